"""Thin views: parse the request, call selectors and charts, render."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from . import charts, selectors
from .filters import KampungFilterSet
from .models import Kabupaten, Kampung
from .tables import KampungTable


def local_today() -> datetime.date:
    return timezone.localdate()


def district_overview(*, kabupaten_kode: str, today: datetime.date) -> dict:
    """What the dashboard and the public summary share: totals and the distribution chart."""
    levels = selectors.level_list()
    summary = selectors.district_summary(kabupaten_kode=kabupaten_kode, levels=levels)
    return {
        "levels": levels,
        "summary": summary,
        "distribution_chart": charts.render(
            charts.level_distribution(summary), div_id="chart-distribusi"
        ),
        "today": today,
    }


class DashboardView(LoginRequiredMixin, TemplateView):
    """District dashboard: `/` opens the user's own district, `/kabupaten/<kode>/` any in scope."""

    template_name = "classification/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kode = kwargs.get("kode") or selectors.home_kabupaten_code(user=self.request.user)
        if kode is None:
            self.template_name = "classification/no_scope.html"
            return context
        kabupaten = selectors.kabupaten_for_user(user=self.request.user, kode=kode)
        today = local_today()
        overview = district_overview(kabupaten_kode=kabupaten.kode, today=today)
        levels, summary = overview["levels"], overview["summary"]
        by_kecamatan = selectors.level_counts_by_kecamatan(
            kabupaten_kode=kabupaten.kode, levels=levels
        )
        progress = selectors.target_progress(
            kabupaten_kode=kabupaten.kode, total=summary.total, levels=levels, today=today
        )
        features = selectors.map_features(kabupaten_kode=kabupaten.kode)
        context.update(
            overview,
            kabupaten=kabupaten,
            by_kecamatan=by_kecamatan,
            progress=progress,
            kecamatan_chart=charts.render(
                charts.levels_by_kecamatan(by_kecamatan, levels), div_id="chart-kecamatan"
            ),
            target_chart=charts.render(charts.target_progress(progress), div_id="chart-target"),
            map_chart=(
                charts.render(charts.level_map(features, levels), div_id="chart-peta")
                if features
                else ""
            ),
            recent_changes=selectors.recent_level_changes(kabupaten_kode=kabupaten.kode),
        )
        return context


class PublicSummaryView(TemplateView):
    """The district's public summary: totals and distribution, no personal data, no login."""

    template_name = "classification/public_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kabupaten = (
            Kabupaten.objects.select_related("provinsi")
            .filter(kode=settings.DEFAULT_KABUPATEN)
            .first()
        )
        context["kabupaten"] = kabupaten
        if kabupaten is not None:
            context.update(district_overview(kabupaten_kode=kabupaten.kode, today=local_today()))
        return context


class KampungListView(LoginRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """All kampung the user may read: sortable, filterable, paginated, exportable as shown."""

    template_name = "classification/kampung_list.html"
    table_class = KampungTable
    filterset_class = KampungFilterSet
    paginate_by = 50
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return Kampung.objects.visible_to(self.request.user).for_listing()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["home_kabupaten"] = selectors.home_kabupaten_code(user=self.request.user)
        return kwargs

    def get_export_filename(self, export_format):
        return f"kampung-kb-{local_today().isoformat()}.{export_format}"


class KampungDetailView(LoginRequiredMixin, TemplateView):
    """One kampung: its region, official level and level history."""

    template_name = "classification/kampung_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kampung = selectors.kampung_for_user(user=self.request.user, desa_kode=kwargs["kode"])
        context.update(kampung=kampung, history=selectors.level_history(kampung=kampung))
        return context


__all__ = [
    "DashboardView",
    "KampungDetailView",
    "KampungListView",
    "PublicSummaryView",
]
