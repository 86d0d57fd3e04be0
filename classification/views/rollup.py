"""Roll-ups for reviewers: a provinsi's kabupaten side by side, and every provinsi nationally."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView

from .. import charts
from ..models import Provinsi, TargetPolicy
from ..permissions import access_for
from ..selectors.levels import level_list
from ..selectors.rollups import kabupaten_rollup
from . import base


def _check_reviewer(user):
    """Roll-ups are for BKKBN reviewers and superusers; DP3A and Pokja work on one district."""
    access = access_for(user)
    if not (access.superuser or access.reviewer):
        raise PermissionDenied
    return access


class ProvinceRollupView(LoginRequiredMixin, TemplateView):
    """Every kabupaten/kota of one provinsi side by side, each linking to its dashboard."""

    template_name = "classification/rollup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = _check_reviewer(self.request.user)
        kode = kwargs["kode"]
        if not (access.superuser or kode in access.read_provinsi):
            raise Http404
        provinsi = Provinsi.objects.filter(kode=kode).first()
        if provinsi is None:
            raise Http404
        return self._fill(context, provinsi_kode=kode, title=provinsi.nama, national=False)

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
            show_national_link=access_for(self.request.user).superuser and not national,
        )
        return context


class NationalRollupView(ProvinceRollupView):
    """Every provinsi side by side; only a national scope (for now: superusers) sees it."""

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        access = _check_reviewer(self.request.user)
        # No national RegionScope exists yet: only superusers have a national scope.
        if not access.superuser:
            raise Http404
        return self._fill(context, provinsi_kode=None, title="Indonesia", national=True)
