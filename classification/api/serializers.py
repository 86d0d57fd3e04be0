"""How the read-only API writes its JSON: one serializer per shape."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Kampung, LevelChange, TargetPolicy

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
        help_text=_("Level per kampung ilustratif (data demo), bukan data resmi.")
    )


class KecamatanRefSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()


class LevelCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    bkkbn_code = serializers.CharField(
        help_text=_("Nama level pada format BKKBN (paripurna = berkelanjutan).")
    )
    colour = serializers.CharField()
    count = serializers.IntegerField()
    share = _number(
        4, 1, help_text=_("Persen dari seluruh kampung aktif, satu desimal."), **_PERCENT
    )


class KecamatanLevelsSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    total = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Jumlah kampung per kode level resmi.")
    )


class YearProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.IntegerField()
    actual = serializers.IntegerField(
        help_text=_("Mandiri + paripurna di akhir tahun (tahun berjalan: hari ini).")
    )
    gap = serializers.IntegerField(help_text=_("Kekurangan terhadap target (0 bila tercapai)."))
    base = serializers.IntegerField(
        allow_null=True, help_text=_("Kampung aktif di awal tahun (tahun data awal: tanggal itu).")
    )
    quota = serializers.IntegerField(
        help_text=_("Tambahan target tahun ini (0 di tahun data awal).")
    )
    met = serializers.BooleanField()
    is_current = serializers.BooleanField()


class TargetProgressSerializer(serializers.Serializer):
    policy_percent = _number(5, 2, **_PERCENT)
    rounding = serializers.ChoiceField(choices=TargetPolicy.Rounding.choices)
    baseline_date = serializers.DateField()
    base = serializers.IntegerField(help_text=_("Kampung aktif di awal tahun berjalan."))
    quota = serializers.IntegerField(
        help_text=_("Kampung yang harus naik ke mandiri+ tahun ini (persen × base, dibulatkan).")
    )
    baseline_upper = serializers.IntegerField()
    years = YearProgressSerializer(many=True)


class DistrictSummarySerializer(serializers.Serializer):
    """A kabupaten's active Kampung KB: by level, by kecamatan, and the 5%-a-year target."""

    kabupaten = KabupatenSerializer()
    as_of = serializers.DateField(help_text=_("Tanggal hitungan (hari ini, WITA)."))
    total = serializers.IntegerField(help_text=_("Kampung KB aktif."))
    kecamatan_count = serializers.IntegerField()
    unassigned = serializers.IntegerField(help_text=_("Kampung tanpa level resmi."))
    upper_count = serializers.IntegerField(help_text=_("Mandiri dan paripurna."))
    upper_share = _number(4, 1, **_PERCENT)
    by_level = LevelCountSerializer(many=True)
    by_kecamatan = KecamatanLevelsSerializer(many=True)
    target = TargetProgressSerializer()


class KampungCodeSerializer(serializers.Serializer):
    # Both spellings of the code; the list and detail items build on it.
    desa_kode = serializers.CharField(help_text=_("Kode Kemendagri bertitik, mis. 63.01.01.2002."))
    desa_kode_bkkbn = serializers.SerializerMethodField(
        help_text=_("Kode yang sama tanpa titik (format BKKBN), mis. 6301012002.")
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
        help_text=_("Kampung nonaktif tetap didaftar, tetapi tidak dihitung di ringkasan.")
    )
    official_level = serializers.CharField(source="official_level_id", allow_null=True)
    official_level_since = serializers.DateField(allow_null=True)
    estimated_level = serializers.CharField(
        source="estimated_level_id",
        allow_null=True,
        help_text=_("Saran aturan skor nasional atas data kampung; bukan level resmi."),
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
        help_text=_("Saran aturan skor nasional atas data kampung; bukan level resmi."),
    )
    estimated_indices = EstimatedIndicesSerializer(source="*")
    level_history = LevelChangeSerializer(
        many=True, help_text=_("Riwayat level resmi, terbaru dahulu.")
    )
