"""Reporting pages: who has not reported (``/kelengkapan/``) and the printable district report
(``/laporan/``, optionally a dated snapshot ``?tanggal=YYYY-MM-DD``)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from ..exports import FilteredExportMixin
from ..models import Kabupaten
from ..selectors.completeness import reporting_completeness
from ..selectors.dashboard import district_overview
from ..selectors.levels import level_list, levels_recorded_at
from ..selectors.regions import home_kabupaten_code, kabupaten_for_user
from ..selectors.target import target_candidates
from ..tables import CompletenessTable, TargetCandidateTable
from . import base
from .base import RequiresSignIn
from .dashboard import overview_context

CANDIDATE_LIMIT = 20


def _scoped_kabupaten(request) -> Kabupaten | None:
    """``?kabupaten=<kode>`` if in scope (else 404), or the user's home district (None: none)."""
    kode = request.GET.get("kabupaten") or home_kabupaten_code(user=request.user)
    if kode is None:
        return None
    return kabupaten_for_user(user=request.user, kode=kode)


class CompletenessView(RequiresSignIn, FilteredExportMixin, SingleTableMixin, TemplateView):
    """``/kelengkapan/``: per kecamatan the kampung that have not reported, then every kampung.

    ``?belum=1`` keeps only the kampung missing something; ``?_export=csv|xlsx`` downloads the
    rows shown. Pokja members see their own status on the dashboard instead (not in the nav).
    """

    template_name = "classification/completeness.html"
    table_class = CompletenessTable
    table_pagination = {"per_page": 50}

    def get(self, request, *args, **kwargs):
        self.kabupaten = _scoped_kabupaten(request)
        if self.kabupaten is None:
            self.template_name = "classification/no_scope.html"
            return self.render_to_response({"view": self})
        self.today = base.local_today()
        self.completeness = reporting_completeness(
            kabupaten_kode=self.kabupaten.kode, today=self.today
        )
        self.only_missing = request.GET.get("belum") in ("1", "on", "true")
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        rows = self.completeness.rows
        return [row for row in rows if not row.complete] if self.only_missing else rows

    def get_export_filename(self, export_format):
        return f"kelengkapan-{self.kabupaten.kode}-{self.today.isoformat()}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kabupaten=self.kabupaten,
            today=self.today,
            completeness=self.completeness,
            only_missing=self.only_missing,
            quarterly=self.completeness.figures_every == "quarter",
        )
        return context


class SnapshotForm(forms.Form):
    tanggal = forms.DateField(
        label=_("Data per tanggal"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak valid; gunakan format TTTT-BB-HH.")},
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_tanggal(self):
        value = self.cleaned_data.get("tanggal")
        if value and value > self.today:
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return value


class ReportView(RequiresSignIn, TemplateView):
    """``/laporan/``: the district report to print (A4), every number read at request time.

    ``?tanggal=`` gives levels as they were that day (from the level history); the target,
    candidates, completeness and programme sections are always as of today and say so.
    """

    template_name = "classification/report.html"

    def get(self, request, *args, **kwargs):
        self.kabupaten = _scoped_kabupaten(request)
        if self.kabupaten is None:
            self.template_name = "classification/no_scope.html"
            return self.render_to_response({"view": self})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kode, today = self.kabupaten.kode, base.local_today()
        form = SnapshotForm(self.request.GET or None, today=today)
        snapshot = form.cleaned_data["tanggal"] if form.is_valid() else None
        overview = district_overview(
            kabupaten_kode=kode, levels=level_list(), today=today, on=snapshot, detailed=True
        )
        candidates = [
            row
            for row in target_candidates(
                kabupaten_kode=kode, levels=overview.levels, limit=CANDIDATE_LIMIT
            )
            if row.estimated_upper
        ]
        context.update(
            overview_context(overview),
            kabupaten=self.kabupaten,
            form=form,
            snapshot=snapshot,
            on=snapshot or today,
            today=today,
            generated_at=timezone.localtime(),
            as_of=levels_recorded_at(kabupaten_kode=kode, on=snapshot),
            current=overview.progress.current,
            candidates=candidates,
            candidate_table=TargetCandidateTable(candidates),
            completeness=reporting_completeness(kabupaten_kode=kode, today=today),
        )
        return context
