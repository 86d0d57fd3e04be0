"""django-filter FilterSets for the kampung table."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import (
    ClassificationLevel,
    Kabupaten,
    Kampung,
    KampungProgram,
    Kecamatan,
    Provinsi,
    ThematicProgram,
)
from .rules.codes import normalise_region_code

__all__ = ["KampungFilterSet"]


class KampungFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau kode"))
    # Only for users who read more than one provinsi (see __init__).
    provinsi = django_filters.ModelChoiceFilter(
        field_name="kecamatan__kabupaten__provinsi",
        queryset=Provinsi.objects.none(),
        label=_("Provinsi"),
        empty_label=_("Semua provinsi"),
    )
    kabupaten = django_filters.ModelChoiceFilter(
        field_name="kecamatan__kabupaten",
        queryset=Kabupaten.objects.none(),
        label=_("Kabupaten/kota"),
        empty_label=_("Semua kabupaten/kota"),
    )
    kecamatan = django_filters.ModelChoiceFilter(
        queryset=Kecamatan.objects.none(), label=_("Kecamatan"), empty_label=_("Semua kecamatan")
    )
    official_level = django_filters.ModelChoiceFilter(
        queryset=ClassificationLevel.objects.order_by("rank"),
        label=_("Level resmi"),
        empty_label=_("Semua level"),
        null_label=_("Belum ditetapkan"),
    )
    jenis = django_filters.ChoiceFilter(
        choices=Kampung.Jenis.choices, label=_("Jenis"), empty_label=_("Desa dan kelurahan")
    )
    estimated_level = django_filters.ModelChoiceFilter(
        queryset=ClassificationLevel.objects.order_by("rank"),
        label=_("Level estimasi"),
        empty_label=_("Semua level"),
        null_label=_("Belum ada data"),
    )
    kandidat = django_filters.BooleanFilter(
        method="filter_kandidat",
        label=_("Estimasi di atas level resmi"),
        widget=forms.Select(choices=[("", _("Semua")), ("true", _("Ya")), ("false", _("Tidak"))]),
    )
    program = django_filters.ModelChoiceFilter(
        queryset=ThematicProgram.objects.order_by("name"),
        method="filter_program",
        label=_("Program tematik"),
        empty_label=_("Semua program"),
    )

    class Meta:
        model = Kampung
        fields = [
            "q",
            "provinsi",
            "kabupaten",
            "kecamatan",
            "official_level",
            "jenis",
            "estimated_level",
            "kandidat",
            "program",
        ]

    def __init__(self, *args, home_kabupaten: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        kabupaten = Kabupaten.objects.visible_to(user).order_by("kode")
        # The provinsi the user reads all or part of; None for all of them.
        readable = permissions.readable_provinsi_codes(user)
        provinsi = Provinsi.objects.order_by("kode")
        if readable is not None:
            provinsi = provinsi.filter(kode__in=readable)
        if readable is None or len(readable) > 1:
            # Kabupaten of one provinsi at a time: the chosen one, else the chosen kabupaten's or
            # the user's own. A national list of 514 kabupaten is no use as a drop-down (and
            # took a quarter of the page's time to render).
            self.filters["provinsi"].queryset = provinsi
            chosen_provinsi = (
                self.data.get("provinsi")
                or (self.data.get("kabupaten") or home_kabupaten or "")[:2]
            ).strip()
            kabupaten = kabupaten.filter(provinsi_id=chosen_provinsi)
        else:
            del self.filters["provinsi"]
        self.filters["kabupaten"].queryset = kabupaten
        # Kecamatan of the chosen kabupaten, else of the user's own district: a national
        # list of 7,285 kecamatan would be useless as a drop-down.
        chosen = (self.data.get("kabupaten") or home_kabupaten or "").strip()
        if chosen and permissions.can_view_kabupaten(user, chosen):
            self.filters["kecamatan"].queryset = Kecamatan.objects.filter(
                kabupaten_id=chosen
            ).order_by("kode")

    def filter_kandidat(self, queryset, name, value):
        # Candidates to verify: the scoring rule puts the kampung above its official level.
        above = Q(estimated_level__rank__gt=F("official_level__rank"))
        return queryset.filter(above) if value else queryset.exclude(above)

    def filter_program(self, queryset, name, value):
        # A subquery, not a join: one row per kampung whatever else is filtered or sorted.
        # "Berhenti" tags are left out, as on the dashboard's thematic panel.
        tagged = KampungProgram.objects.filter(program=value).exclude(
            status=KampungProgram.Status.BERHENTI
        )
        return queryset.filter(pk__in=tagged.values("kampung_id"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(nama_kampung__icontains=value)
        # Names vary in spacing and hyphens between datasets ("Bati Bati" / "Bati-Bati").
        for variant in {value, value.replace("-", " "), value.replace(" ", "-")}:
            condition |= Q(desa_nama__icontains=variant) | Q(kecamatan__nama__icontains=variant)
        code = normalise_region_code(value)
        if code:
            condition |= Q(desa_kode__startswith=code)
        return queryset.filter(condition)
