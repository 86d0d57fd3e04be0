"""The read-only JSON API's views: district summary, kampung list and kampung detail.

Same gate and scoping as the pages: any signed-in user (``api.permissions.SignedIn``), objects
through ``Kampung.objects.visible_to``, ``selectors.regions.kabupaten_for_user`` and
``selectors.kampung.kampung_for_user``: anything out of reach is a 404. Only GET, HEAD and OPTIONS
are routed, so every write answers 405. The serializers are the schema: drf-spectacular describes
each response from them, and ``tests/test_api.py`` validates real responses against it.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..filters import KampungFilterSet
from ..models import Kampung, Kecamatan
from ..rules.codes import normalise_region_code
from ..selectors.api import district_report
from ..selectors.kampung import kampung_for_user, level_history
from ..selectors.regions import kabupaten_for_user
from .permissions import SignedIn
from .serializers import DistrictSummarySerializer, KampungDetailSerializer, KampungListSerializer

__all__ = ["DistrictSummaryView", "KampungDetailView", "KampungListView"]


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------

_KODE_NOT_FOUND = OpenApiResponse(description=_("Tidak ada, atau di luar cakupan pengguna."))


def _dotted(kode: str) -> str:
    """A region code from the URL, dotted or BKKBN-style undotted, in dotted form; else 404."""
    dotted = normalise_region_code(kode)
    if dotted is None:
        raise Http404
    return dotted


class DistrictSummaryView(APIView):
    """A kabupaten's totals, level distribution, levels by kecamatan and 5%-a-year target."""

    permission_classes = [SignedIn]

    @extend_schema(
        operation_id="kabupaten_ringkasan",
        summary=_("Ringkasan kabupaten"),
        parameters=[
            OpenApiParameter(
                "kode",
                str,
                OpenApiParameter.PATH,
                description=_("Kode kabupaten, bertitik (63.01) atau tanpa titik (6301)."),
            )
        ],
        responses={200: DistrictSummarySerializer, 404: _KODE_NOT_FOUND},
    )
    def get(self, request: Request, kode: str) -> Response:
        kabupaten = kabupaten_for_user(user=request.user, kode=_dotted(kode))
        report = district_report(kabupaten=kabupaten, today=timezone.localdate())
        return Response(DistrictSummarySerializer(report).data)


class KampungPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class ApiKampungFilterSet(KampungFilterSet):
    """The table's filters; ``kecamatan`` accepts any kecamatan the user may read.

    The table narrows that choice to one kabupaten because it renders it as a drop-down; an API
    client should not have to name the kabupaten as well.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kecamatan"].queryset = Kecamatan.objects.visible_to(self.request.user)

    # The programme filter works through a method, so the schema cannot see its type: a pk.
    @extend_schema_field(OpenApiTypes.INT)
    def filter_program(self, queryset, name, value):
        return super().filter_program(queryset, name, value)


@extend_schema(summary=_("Daftar kampung"))
class KampungListView(generics.ListAPIView):
    """Every kampung the user may read, by code; the same filters as the kampung table."""

    permission_classes = [SignedIn]
    serializer_class = KampungListSerializer
    pagination_class = KampungPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiKampungFilterSet
    # For the schema only; get_queryset narrows it to the user's scope.
    queryset = Kampung.objects.none()

    def get_queryset(self):
        return (
            Kampung.objects.visible_to(self.request.user)
            .select_related("kecamatan")
            .defer("boundary")
            .order_by("desa_kode")
        )


@extend_schema(
    summary=_("Detail kampung"),
    parameters=[
        OpenApiParameter(
            "kode",
            str,
            OpenApiParameter.PATH,
            description=_("Kode desa/kelurahan, bertitik (63.01.01.2002) atau tanpa titik."),
        )
    ],
    responses={200: KampungDetailSerializer, 404: _KODE_NOT_FOUND},
)
class KampungDetailView(generics.RetrieveAPIView):
    """One kampung with its official and estimated level and its level history."""

    permission_classes = [SignedIn]
    serializer_class = KampungDetailSerializer
    queryset = Kampung.objects.none()

    def get_object(self) -> Kampung:
        kampung = kampung_for_user(user=self.request.user, desa_kode=_dotted(self.kwargs["kode"]))
        kampung.level_history = level_history(kampung=kampung)
        return kampung
