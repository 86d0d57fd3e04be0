"""Public pages: the district summary and a kampung's public page (no personal data)."""

from __future__ import annotations

from django.conf import settings
from django.views.generic import TemplateView

from ..models import Kabupaten
from ..selectors.kampung import public_activities, public_kampung
from ..selectors.records import (
    kampung_program_tags,
)
from . import base
from .base import PublicView
from .dashboard import public_overview


class PublicSummaryView(PublicView, TemplateView):
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
            context.update(public_overview(kabupaten_kode=kabupaten.kode, today=base.local_today()))
        return context


class PublicKampungView(PublicView, TemplateView):
    """A kampung's public page: no login, no personal data (no people, no notes)."""

    template_name = "classification/kampung_public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kampung = public_kampung(desa_kode=kwargs["kode"])
        context.update(
            kampung=kampung,
            program_tags=kampung_program_tags(kampung=kampung),
            activities=public_activities(kampung=kampung),
        )
        return context
