"""The district dashboard (/ and /kabupaten/<kode>/)."""

from __future__ import annotations

import datetime

from django.shortcuts import redirect
from django.views.generic import TemplateView

from .. import charts, permissions
from ..selectors.completeness import pokja_kampung_overview
from ..selectors.dashboard import (
    district_summary,
    level_counts_by_kecamatan,
    map_features,
    program_counts_by_level,
    recent_level_changes,
)
from ..selectors.levels import level_list
from ..selectors.regions import home_kabupaten_code, kabupaten_for_user
from ..selectors.target import target_progress
from . import base
from .base import RequiresSignIn


def district_overview(*, kabupaten_kode: str, today: datetime.date) -> dict:
    """What the dashboard and the public summary share: totals and the distribution chart."""
    levels = level_list()
    summary = district_summary(kabupaten_kode=kabupaten_kode, levels=levels)
    return {
        "levels": levels,
        "summary": summary,
        "distribution_chart": charts.render(
            charts.level_distribution(summary), div_id="chart-distribusi"
        ),
        "today": today,
    }


class DashboardView(RequiresSignIn, TemplateView):
    """District dashboard: `/` opens the user's own district, `/kabupaten/<kode>/` any in scope."""

    template_name = "classification/dashboard.html"

    def get(self, request, *args, **kwargs):
        # A reviewer whose only scope is one provinsi starts on its roll-up, not one district.
        provinsi = permissions.rollup_home_provinsi(request.user)
        if "kode" not in kwargs and provinsi is not None:
            return redirect("classification:province_rollup", kode=provinsi)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kode = kwargs.get("kode") or home_kabupaten_code(user=self.request.user)
        if kode is None:
            self.template_name = "classification/no_scope.html"
            return context
        kabupaten = kabupaten_for_user(user=self.request.user, kode=kode)
        today = base.local_today()
        overview = district_overview(kabupaten_kode=kabupaten.kode, today=today)
        levels = overview["levels"]
        by_kecamatan = level_counts_by_kecamatan(kabupaten_kode=kabupaten.kode, levels=levels)
        # Each year's quota from that year's own base (domain.md §4), as on /target/.
        progress = target_progress(kabupaten_kode=kabupaten.kode, levels=levels, today=today)
        features = map_features(kabupaten_kode=kabupaten.kode)
        by_program = program_counts_by_level(kabupaten_kode=kabupaten.kode, levels=levels)
        context.update(
            overview,
            kabupaten=kabupaten,
            by_kecamatan=by_kecamatan,
            by_program=by_program,
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
            # No chart while no kampung carries a programme: empty bars say nothing.
            program_chart=(
                charts.render(charts.programs_by_level(by_program, levels), div_id="chart-program")
                if any(row.total for row in by_program)
                else ""
            ),
            recent_changes=recent_level_changes(kabupaten_kode=kabupaten.kode),
            # A Pokja member's own kampung on top (one query; none for other users).
            pokja_kampung=pokja_kampung_overview(user=self.request.user),
        )
        return context
