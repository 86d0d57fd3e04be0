"""The district dashboard (/ and /kabupaten/<kode>/)."""

from __future__ import annotations

import datetime

from django.shortcuts import redirect
from django.views.generic import TemplateView

from .. import charts, permissions
from ..selectors.completeness import pokja_kampung_overview
from ..selectors.dashboard import (
    DistrictOverview,
    DistrictSummary,
    district_overview,
    district_summary,
    map_features,
    recent_level_changes,
)
from ..selectors.levels import level_list
from ..selectors.regions import home_kabupaten_code, kabupaten_for_user
from . import base
from .base import RequiresSignIn


def distribution_chart(summary: DistrictSummary) -> str:
    return charts.render(charts.level_distribution(summary), div_id="chart-distribusi")


def public_overview(*, kabupaten_kode: str, today: datetime.date) -> dict:
    """What the public summary shows: totals and the distribution chart (two queries)."""
    levels = level_list()
    summary = district_summary(kabupaten_kode=kabupaten_kode, levels=levels)
    return {
        "levels": levels,
        "summary": summary,
        "distribution_chart": distribution_chart(summary),
        "today": today,
    }


def overview_context(overview: DistrictOverview) -> dict:
    """The context the dashboard and the report share: ``selectors.dashboard.district_overview``
    and its four charts, each drawn once."""
    levels, by_program = overview.levels, overview.by_program
    return {
        "levels": levels,
        "summary": overview.summary,
        "by_kecamatan": overview.by_kecamatan,
        "by_program": by_program,
        "progress": overview.progress,
        "distribution_chart": distribution_chart(overview.summary),
        "kecamatan_chart": charts.render(
            charts.levels_by_kecamatan(overview.by_kecamatan, levels), div_id="chart-kecamatan"
        ),
        "target_chart": charts.render(
            charts.target_progress(overview.progress), div_id="chart-target"
        ),
        # No chart while no kampung carries a programme: empty bars say nothing.
        "program_chart": (
            charts.render(charts.programs_by_level(by_program, levels), div_id="chart-program")
            if any(row.total for row in by_program)
            else ""
        ),
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
        # Each year's quota from that year's own base (domain.md §4), as on /target/.
        overview = district_overview(
            kabupaten_kode=kabupaten.kode, levels=level_list(), today=today
        )
        features = map_features(kabupaten_kode=kabupaten.kode)
        context.update(
            overview_context(overview),
            kabupaten=kabupaten,
            today=today,
            map_chart=(
                charts.render(charts.level_map(features, overview.levels), div_id="chart-peta")
                if features
                else ""
            ),
            recent_changes=recent_level_changes(kabupaten_kode=kabupaten.kode),
            # A Pokja member's own kampung on top (one query; none for other users).
            pokja_kampung=pokja_kampung_overview(user=self.request.user),
        )
        return context
