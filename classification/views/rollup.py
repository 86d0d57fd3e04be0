"""Roll-ups for reviewers: a provinsi's kabupaten side by side, and every provinsi nationally."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView

from .. import charts, permissions
from ..models import TargetPolicy
from ..selectors.levels import level_list
from ..selectors.regions import provinsi_for_user
from ..selectors.rollups import kabupaten_rollup
from . import base
from .base import RequiresRule


class ProvinceRollupView(RequiresRule, TemplateView):
    """Every kabupaten/kota of one provinsi side by side, each linking to its dashboard.

    Only reviewers and superusers (403 for the others); a provinsi the user does not read as a
    whole is 404.
    """

    permission_rule = permissions.can_view_rollups
    # GET-only pages: the rule guards what they render; a POST is 405 whatever the role, as the
    # permission matrix has it.
    guarded_methods = frozenset({"GET", "HEAD"})
    template_name = "classification/rollup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provinsi = provinsi_for_user(user=self.request.user, kode=kwargs["kode"])
        return self._fill(context, provinsi_kode=provinsi.kode, title=provinsi.nama, national=False)

    def _fill(self, context, *, provinsi_kode, title, national):
        today = base.local_today()
        levels = level_list()
        rollup = kabupaten_rollup(provinsi_kode=provinsi_kode, levels=levels, today=today)
        context.update(
            title=title,
            national=national,
            today=today,
            levels=levels,
            rollup=rollup,
            # What a kabupaten without a policy of its own follows (the footnote says it).
            default_policy=TargetPolicy.national_default(),
            rollup_chart=charts.render(
                charts.rollup_shares(rollup.rows, levels), div_id="chart-rollup"
            ),
            show_national_link=permissions.has_national_scope(self.request.user) and not national,
        )
        return context


class NationalRollupView(ProvinceRollupView):
    """Every provinsi side by side; only a national scope (for now: superusers) sees it."""

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        if not permissions.has_national_scope(self.request.user):
            raise Http404
        return self._fill(context, provinsi_kode=None, title="Indonesia", national=True)
