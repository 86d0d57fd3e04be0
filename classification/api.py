"""The read-only JSON API at ``/api/v1/``: serializers and views.

Same scoping as the pages (``Kampung.objects.visible_to``, ``selectors.kabupaten_for_user``,
``selectors.kampung_for_user``): anything out of reach is a 404. Only GET, HEAD and OPTIONS are
routed, so every write answers 405. The serializers are the schema: drf-spectacular describes
each response from them, and ``tests/test_api.py`` validates real responses against it.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .filters import KampungFilterSet
from .models import Kabupaten, Kampung, Kecamatan, LevelChange, TargetPolicy
from .permissions import access_for
from .rules.codes import normalise_region_code
from .selectors.dashboard import district_summary, level_counts_by_kecamatan
from .selectors.kampung import kampung_for_user, level_history
from .selectors.levels import level_list
from .selectors.regions import kabupaten_for_user
from .selectors.target import target_progress

__all__ = ["DistrictSummaryView", "KampungDetailView", "KampungListView"]


# --------------------------------------------------------------------------------------------
# Serializers
# --------------------------------------------------------------------------------------------


def _number(max_digits: int, decimal_places: int, **kwargs) -> serializers.DecimalField:
    """A decimal rendered as a JSON number (68.9), not DRF's default string ("68.9")."""
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=decimal_places, coerce_to_string=False, **kwargs
    )


# Bounds for the schema: DRF checks them on input only, so here they document the output (and
# tests/test_api.py checks real responses keep to them).
_PERCENT = {"min_value": 0, "max_value": 100}
_INDEX = {"min_value": 1, "max_value": 4}


class ProvinsiSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()


class KabupatenSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    provinsi = ProvinsiSerializer()
    demo_levels = serializers.BooleanField(
        help_text="Level per kampung ilustratif (data demo), bukan data resmi."
    )


class KecamatanRefSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()


class LevelCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    bkkbn_code = serializers.CharField(
        help_text="Nama level pada format BKKBN (paripurna = berkelanjutan)."
    )
    colour = serializers.CharField()
    count = serializers.IntegerField()
    share = _number(4, 1, help_text="Persen dari seluruh kampung aktif, satu desimal.", **_PERCENT)


class KecamatanLevelsSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    total = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Jumlah kampung per kode level resmi."
    )


class YearProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.IntegerField()
    actual = serializers.IntegerField(
        help_text="Mandiri + paripurna di akhir tahun (tahun berjalan: hari ini)."
    )
    gap = serializers.IntegerField(help_text="Kekurangan terhadap target (0 bila tercapai).")
    base = serializers.IntegerField(
        allow_null=True, help_text="Kampung aktif di awal tahun (tahun data awal: tanggal itu)."
    )
    quota = serializers.IntegerField(help_text="Tambahan target tahun ini (0 di tahun data awal).")
    met = serializers.BooleanField()
    is_current = serializers.BooleanField()


class TargetProgressSerializer(serializers.Serializer):
    policy_percent = _number(5, 2, **_PERCENT)
    rounding = serializers.ChoiceField(choices=TargetPolicy.Rounding.choices)
    baseline_date = serializers.DateField()
    base = serializers.IntegerField(help_text="Kampung aktif di awal tahun berjalan.")
    quota = serializers.IntegerField(
        help_text="Kampung yang harus naik ke mandiri+ tahun ini (persen × base, dibulatkan)."
    )
    baseline_upper = serializers.IntegerField()
    years = YearProgressSerializer(many=True)


class DistrictSummarySerializer(serializers.Serializer):
    """A kabupaten's active Kampung KB: by level, by kecamatan, and the 5%-a-year target."""

    kabupaten = KabupatenSerializer()
    as_of = serializers.DateField(help_text="Tanggal hitungan (hari ini, WITA).")
    total = serializers.IntegerField(help_text="Kampung KB aktif.")
    kecamatan_count = serializers.IntegerField()
    unassigned = serializers.IntegerField(help_text="Kampung tanpa level resmi.")
    upper_count = serializers.IntegerField(help_text="Mandiri dan paripurna.")
    upper_share = _number(4, 1, **_PERCENT)
    by_level = LevelCountSerializer(many=True)
    by_kecamatan = KecamatanLevelsSerializer(many=True)
    target = TargetProgressSerializer()


class KampungCodeSerializer(serializers.Serializer):
    # Both spellings of the code; the list and detail items build on it.
    desa_kode = serializers.CharField(help_text="Kode Kemendagri bertitik, mis. 63.01.01.2002.")
    desa_kode_bkkbn = serializers.SerializerMethodField(
        help_text="Kode yang sama tanpa titik (format BKKBN), mis. 6301012002."
    )

    def get_desa_kode_bkkbn(self, kampung: Kampung) -> str:
        return kampung.desa_kode.replace(".", "")


class KampungListSerializer(KampungCodeSerializer):
    """A kampung as a row of the list; ``url`` leads to its detail."""

    desa_nama = serializers.CharField()
    jenis = serializers.ChoiceField(choices=Kampung.Jenis.choices)
    kecamatan = KecamatanRefSerializer()
    kabupaten_kode = serializers.CharField(source="kecamatan.kabupaten_id")
    is_active = serializers.BooleanField(
        help_text="Kampung nonaktif tetap didaftar, tetapi tidak dihitung di ringkasan."
    )
    official_level = serializers.CharField(source="official_level_id", allow_null=True)
    official_level_since = serializers.DateField(allow_null=True)
    estimated_level = serializers.CharField(
        source="estimated_level_id",
        allow_null=True,
        help_text="Saran aturan skor nasional atas data kampung; bukan level resmi.",
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api:kampung-detail", lookup_field="desa_kode", lookup_url_kwarg="kode"
    )


class EstimatedIndicesSerializer(serializers.Serializer):
    """Group indices of the scoring rule: the mean of scores 1–4; a group is met from 3.00."""

    input = _number(3, 2, source="estimated_input", allow_null=True, **_INDEX)
    proses = _number(3, 2, source="estimated_proses", allow_null=True, **_INDEX)
    output = _number(3, 2, source="estimated_output", allow_null=True, **_INDEX)


class LevelChangeSerializer(serializers.Serializer):
    effective_date = serializers.DateField()
    level_from = serializers.CharField(source="level_from_id", allow_null=True)
    level_to = serializers.CharField(source="level_to_id")
    source = serializers.ChoiceField(choices=LevelChange.Source.choices)
    note = serializers.CharField(allow_blank=True)


class KampungDetailSerializer(KampungCodeSerializer):
    """A kampung: identity, official and estimated level, and its official level history."""

    desa_nama = serializers.CharField()
    jenis = serializers.ChoiceField(choices=Kampung.Jenis.choices)
    nama_kampung = serializers.CharField(source="display_name")
    kecamatan = KecamatanRefSerializer()
    kabupaten = KabupatenSerializer(source="kecamatan.kabupaten")
    tanggal_pencanangan = serializers.DateField(allow_null=True)
    cakupan_wilayah = serializers.CharField(allow_blank=True)
    gambaran_umum = serializers.CharField(allow_blank=True)
    latitude = _number(8, 5, allow_null=True, min_value=-90, max_value=90)
    longitude = _number(8, 5, allow_null=True, min_value=-180, max_value=180)
    is_active = serializers.BooleanField()
    official_level = serializers.CharField(source="official_level_id", allow_null=True)
    official_level_since = serializers.DateField(allow_null=True)
    estimated_level = serializers.CharField(
        source="estimated_level_id",
        allow_null=True,
        help_text="Saran aturan skor nasional atas data kampung; bukan level resmi.",
    )
    estimated_indices = EstimatedIndicesSerializer(source="*")
    level_history = LevelChangeSerializer(
        many=True, help_text="Riwayat level resmi, terbaru dahulu."
    )


# --------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------

_KODE_NOT_FOUND = OpenApiResponse(description="Tidak ada, atau di luar cakupan pengguna.")


def _dotted(kode: str) -> str:
    """A region code from the URL, dotted or BKKBN-style undotted, in dotted form; else 404."""
    dotted = normalise_region_code(kode)
    if dotted is None:
        raise Http404
    return dotted


def district_report(*, kabupaten: Kabupaten, today: datetime.date) -> dict:
    """What the district summary returns, straight from the dashboard's selectors (5 queries)."""
    levels = level_list()
    summary = district_summary(kabupaten_kode=kabupaten.kode, levels=levels)
    by_kecamatan = level_counts_by_kecamatan(kabupaten_kode=kabupaten.kode, levels=levels)
    # Each year's quota from that year's own base, as the target page reads domain.md §4.
    progress = target_progress(kabupaten_kode=kabupaten.kode, levels=levels, today=today)
    bkkbn_codes = {level.code: level.bkkbn_code for level in levels}
    return {
        "kabupaten": kabupaten,
        "as_of": today,
        "total": summary.total,
        "kecamatan_count": summary.kecamatan_count,
        "unassigned": summary.unassigned,
        "upper_count": summary.upper_count,
        "upper_share": summary.upper_share,
        "by_level": [
            {
                "code": count.code,
                "label": count.label,
                "bkkbn_code": bkkbn_codes[count.code],
                "colour": count.colour,
                "count": count.count,
                "share": count.share,
            }
            for count in summary.levels
        ],
        "by_kecamatan": [
            {
                "kode": row.kode,
                "nama": row.nama,
                "total": row.total,
                "counts": {level.code: n for level, n in zip(levels, row.counts, strict=True)},
            }
            for row in by_kecamatan
        ],
        "target": progress,
    }


class DistrictSummaryView(APIView):
    """A kabupaten's totals, level distribution, levels by kecamatan and 5%-a-year target."""

    @extend_schema(
        operation_id="kabupaten_ringkasan",
        summary="Ringkasan kabupaten",
        parameters=[
            OpenApiParameter(
                "kode",
                str,
                OpenApiParameter.PATH,
                description="Kode kabupaten, bertitik (63.01) atau tanpa titik (6301).",
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
        access = access_for(self.request.user)
        kecamatan = Kecamatan.objects.all()
        if not access.sees_everything:
            kecamatan = kecamatan.filter(
                Q(kabupaten_id__in=access.read_kabupaten)
                | Q(kabupaten__provinsi_id__in=access.read_provinsi)
            )
        self.filters["kecamatan"].queryset = kecamatan

    # The programme filter works through a method, so the schema cannot see its type: a pk.
    @extend_schema_field(OpenApiTypes.INT)
    def filter_program(self, queryset, name, value):
        return super().filter_program(queryset, name, value)


@extend_schema(summary="Daftar kampung")
class KampungListView(generics.ListAPIView):
    """Every kampung the user may read, by code; the same filters as the kampung table."""

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
    summary="Detail kampung",
    parameters=[
        OpenApiParameter(
            "kode",
            str,
            OpenApiParameter.PATH,
            description="Kode desa/kelurahan, bertitik (63.01.01.2002) atau tanpa titik.",
        )
    ],
    responses={200: KampungDetailSerializer, 404: _KODE_NOT_FOUND},
)
class KampungDetailView(generics.RetrieveAPIView):
    """One kampung with its official and estimated level and its level history."""

    serializer_class = KampungDetailSerializer
    queryset = Kampung.objects.none()

    def get_object(self) -> Kampung:
        kampung = kampung_for_user(user=self.request.user, desa_kode=_dotted(self.kwargs["kode"]))
        kampung.level_history = level_history(kampung=kampung)
        return kampung
