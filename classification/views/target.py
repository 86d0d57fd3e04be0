"""The 5%-a-year target page, ``/target/`` (domain.md §4, design.md "Pages").

Target against actual by year, this year's kampung that moved up into mandiri/paripurna and the
net change, when the targets are met at the last 12 months' pace, each kecamatan's share this
year, and the kampung nearest to mandiri (downloadable as CSV/XLSX). Every number is read from
the level history at request time, in a fixed number of queries whatever the number of kampung.
"""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from .. import charts, permissions
from ..exports import FilteredExportMixin
from ..models import Kabupaten
from ..selectors.levels import level_list
from ..selectors.regions import home_kabupaten_code, kabupaten_for_user, readable_kabupaten
from ..selectors.target import movements_by_kecamatan, target_candidates, target_progress
from ..tables import TargetCandidateTable
from . import base
from .base import RequiresSignIn

# The candidate list shows (and downloads) this many kampung: what is missing is worked out
# for each row from its records, so the list stays short enough to act on.
CANDIDATE_LIMIT = 20
# The projection table looks this many years past the current one.
PROJECTION_YEARS = 5


class TargetView(RequiresSignIn, FilteredExportMixin, SingleTableMixin, TemplateView):
    """``/target/``: the user's own district, or ``?kabupaten=<kode>`` for one in scope (else 404).

    ``?_export=csv`` or ``xlsx`` downloads the candidate list exactly as shown.
    """

    template_name = "classification/target.html"
    table_class = TargetCandidateTable
    table_pagination = False
    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        kode = request.GET.get("kabupaten") or home_kabupaten_code(user=request.user)
        if kode is None:
            self.template_name = "classification/no_scope.html"
            return self.render_to_response({"view": self})
        self.kabupaten: Kabupaten = kabupaten_for_user(user=request.user, kode=kode)
        self.today = base.local_today()
        self.levels = level_list()
        export_format = request.GET.get(self.export_trigger_param)
        if export_format:
            if export_format not in self.export_formats:
                raise Http404
            return self.create_export(export_format)
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        # Downloads are answered in ``get`` before the page's other numbers are read.
        return TemplateView.render_to_response(self, context, **kwargs)

    def get_table_data(self):
        return target_candidates(
            kabupaten_kode=self.kabupaten.kode, levels=self.levels, limit=CANDIDATE_LIMIT
        )

    def get_export_filename(self, export_format):
        return f"kandidat-target-{self.kabupaten.kode}-{self.today.isoformat()}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kabupaten, today, levels = self.kabupaten, self.today, self.levels
        progress = target_progress(
            kabupaten_kode=kabupaten.kode, levels=levels, today=today, detailed=True
        )
        by_kecamatan = movements_by_kecamatan(
            kabupaten_kode=kabupaten.kode,
            levels=levels,
            start=progress.year_start,
            end=today,
        )
        projection = progress.projection(years_ahead=PROJECTION_YEARS)
        several = permissions.reads_several_kabupaten(self.request.user)
        context.update(
            kabupaten=kabupaten,
            kabupaten_choices=(readable_kabupaten(user=self.request.user) if several else []),
            today=today,
            progress=progress,
            current=progress.current,
            is_baseline_year=progress.is_baseline_year,
            projection=projection,
            projection_now=projection[0],
            by_kecamatan=by_kecamatan,
            candidate_limit=CANDIDATE_LIMIT,
            target_chart=charts.render(charts.target_progress(progress), div_id="chart-target"),
            # No chart in a year without movement: empty bars say nothing.
            kecamatan_chart=(
                charts.render(
                    charts.movements_by_kecamatan(by_kecamatan), div_id="chart-kontribusi"
                )
                if any(row.movement.moved_up or row.movement.moved_down for row in by_kecamatan)
                else ""
            ),
        )
        return context
