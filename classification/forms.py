"""Forms for a kampung's records (identity, profile, figures, activities, thematic tags).

Forms only check input and hand clean values to the views, which write through ``services``:
nothing here calls ``save()``. Every message is in Bahasa Indonesia, on the field it concerns.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import levels
from .models import (
    DATA_SOURCE_CHOICES,
    FUNDING_SOURCE_CHOICES,
    NOT_USING_FIELDS,
    POKTAN_CHOICES,
    POKTAN_TARGET_FIELDS,
    USER_FIELDS,
    Activity,
    Agency,
    Frequency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    ThematicProgram,
)

# Kampung KB was launched in 2016 (domain.md §3).
PROGRAMME_START = datetime.date(2016, 1, 1)
# Indonesia's extent, rounded outwards: Rote (−11°) to Weh (6°), Sabang (94°) to Merauke (141°).
LATITUDE_RANGE = (-11, 6)
LONGITUDE_RANGE = (94, 142)
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

NEGATIVE = _("Angka tidak boleh negatif.")
NOT_A_PHOTO = _("Foto harus berupa berkas JPG, PNG, atau WebP.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "2026-03", **(attrs or {})}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as ``YYYY-MM`` (``<input type="month">``), cleaned to its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m"]
    default_error_messages = {
        "invalid": _("Masukkan bulan dengan format TTTT-BB, misalnya 2026-03."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


def _checkboxes(choices, label, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=[(code, capfirst(choice)) for code, choice in choices],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        **kwargs,
    )


class TodayMixin:
    """``today`` can be passed in (tests); otherwise the local date in Asia/Makassar."""

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def _not_future(self, value, message):
        if value and value > self.today:
            raise forms.ValidationError(message, code="future")
        return value


def _month_name(period: datetime.date) -> str:
    return date_format(period, "F Y")


class KampungIdentityForm(TodayMixin, forms.ModelForm):
    """The kampung's own description: name, launch date, description, location and photo."""

    remove_photo = forms.BooleanField(label=_("Hapus foto yang sekarang"), required=False)

    class Meta:
        model = Kampung
        fields = [
            "nama_kampung",
            "tanggal_pencanangan",
            "gambaran_umum",
            "cakupan_wilayah",
            "latitude",
            "longitude",
            "photo",
        ]
        widgets = {
            "tanggal_pencanangan": DateInput(),
            "gambaran_umum": forms.Textarea(attrs={"rows": 5}),
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            # A plain file input: removing the photo is its own checkbox (``remove_photo``).
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "nama_kampung": _("Kosongkan untuk memakai “Kampung KB <nama desa>”."),
            "cakupan_wilayah": _("Mis. seluruh desa, atau RW/dusun yang dicakup."),
            "latitude": _("Derajat desimal, mis. -3,80512 (titik atau koma)."),
            "longitude": _("Derajat desimal, mis. 114,77231."),
            "photo": _("JPG, PNG, atau WebP, paling besar 5 MB."),
        }
        error_messages = {
            "photo": {
                "invalid_image": _(
                    "Berkas ini bukan gambar atau gambarnya rusak. Unggah foto JPG, PNG, atau WebP."
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accept a decimal comma as well as a point (some phones' keyboards offer only a comma),
        # and show the stored value with the comma Indonesian readers expect.
        for name in ("latitude", "longitude"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def clean_tanggal_pencanangan(self):
        value = self.cleaned_data["tanggal_pencanangan"]
        if value and value < PROGRAMME_START:
            raise forms.ValidationError(
                _("Tanggal pencanangan tidak boleh sebelum 1 Januari 2016."), code="too_early"
            )
        return self._not_future(value, _("Tanggal pencanangan tidak boleh di masa depan."))

    def _in_range(self, name, bounds, message):
        value = self.cleaned_data[name]
        low, high = bounds
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(
                message, code="out_of_range", params={"min": low, "max": high}
            )
        return value

    def clean_latitude(self):
        return self._in_range(
            "latitude",
            LATITUDE_RANGE,
            _("Lintang harus antara %(min)s dan %(max)s (wilayah Indonesia)."),
        )

    def clean_longitude(self):
        return self._in_range(
            "longitude",
            LONGITUDE_RANGE,
            _("Bujur harus antara %(min)s dan %(max)s (wilayah Indonesia)."),
        )

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        # A freshly uploaded image carries the format Pillow read from its content, so a GIF
        # renamed .jpg is refused here rather than stored as a "JPG".
        image = getattr(photo, "image", None)
        if image is not None and image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(NOT_A_PHOTO, code="invalid_extension")
        return photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_photo") and "photo" in self.changed_data:
            self.add_error(
                "remove_photo",
                forms.ValidationError(
                    _("Pilih salah satu: unggah foto baru atau hapus foto yang sekarang."),
                    code="contradiction",
                ),
            )
        return cleaned

    def identity_fields(self) -> dict:
        """The cleaned values for ``services.kampung_update_identity``.

        An unchanged photo is left out; a removed one becomes "" (no photo).
        """
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "photo"}
        if self.cleaned_data.get("remove_photo"):
            fields["photo"] = ""
        elif "photo" in self.changed_data and self.cleaned_data.get("photo"):
            fields["photo"] = self.cleaned_data["photo"]
        return fields


PROFILE_FIELDSETS = (
    (
        _("Pokja"),
        (
            "pokja_exists",
            "pokja_sk_nomor",
            "pokja_sk_tanggal",
            "pokja_members",
            "pokja_members_trained",
        ),
    ),
    (_("Sumber dana dan poktan"), ("funding_sources", "poktan_present")),
    (
        _("Sarana, pendamping, dan regulasi"),
        (
            "has_sekretariat",
            "has_rumah_dataku",
            "has_pendamping",
            "pendamping_nama",
            "has_regulation",
            "regulation_note",
            "has_rkm",
            "rkm_note",
        ),
    ),
    (_("Perencanaan"), ("data_sources",)),
)


class ProfileForm(TodayMixin, forms.ModelForm):
    """A new version of the profile, pre-filled from the current one (``previous``)."""

    funding_sources = _checkboxes(FUNDING_SOURCE_CHOICES, _("Sumber dana"))
    poktan_present = _checkboxes(POKTAN_CHOICES, _("Poktan yang ada"))
    data_sources = _checkboxes(DATA_SOURCE_CHOICES, _("Sumber data untuk perencanaan"))

    MECHANISM_PREFIX = "mechanism_"

    class Meta:
        model = KampungProfile
        fields = [
            "pokja_exists",
            "pokja_sk_nomor",
            "pokja_sk_tanggal",
            "pokja_members",
            "pokja_members_trained",
            "funding_sources",
            "poktan_present",
            "has_sekretariat",
            "has_rumah_dataku",
            "has_pendamping",
            "pendamping_nama",
            "has_regulation",
            "regulation_note",
            "has_rkm",
            "rkm_note",
            "data_sources",
        ]
        widgets = {
            "pokja_sk_tanggal": DateInput(),
            "rkm_note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "pendamping_nama": _("Nama PLKB/PKB pendamping"),
            "regulation_note": _("Regulasi (jenis, nomor, dan tahun)"),
            "rkm_note": _("Ringkasan RKM"),
        }
        error_messages = {
            "pokja_members": {"min_value": NEGATIVE},
            "pokja_members_trained": {"min_value": NEGATIVE},
        }

    def __init__(self, *args, previous: KampungProfile | None = None, **kwargs):
        if previous is not None:
            kwargs["initial"] = {**self.initial_from(previous), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        current = (previous.mechanisms if previous is not None else {}) or {}
        for code, label in levels.MECHANISMS.items():
            self.fields[self.MECHANISM_PREFIX + code] = forms.ChoiceField(
                label=capfirst(label),
                choices=Frequency.choices,
                initial=current.get(code, Frequency.TIDAK),
            )

    @classmethod
    def initial_from(cls, profile: KampungProfile) -> dict:
        return {name: getattr(profile, name) for name in cls.Meta.fields}

    def fieldsets(self) -> list[tuple[str, list]]:
        groups = [(legend, [self[name] for name in names]) for legend, names in PROFILE_FIELDSETS]
        mechanisms = [self[self.MECHANISM_PREFIX + code] for code in levels.MECHANISMS]
        return [*groups, (_("Mekanisme operasional: seberapa sering dilaksanakan"), mechanisms)]

    def clean_pokja_sk_tanggal(self):
        return self._not_future(
            self.cleaned_data["pokja_sk_tanggal"], _("Tanggal SK tidak boleh di masa depan.")
        )

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("pokja_members")
        trained = cleaned.get("pokja_members_trained")
        if cleaned.get("pokja_exists") is False and members:
            self.add_error(
                "pokja_members",
                forms.ValidationError(
                    _("Pokja belum dibentuk: jumlah anggota harus 0."), code="no_pokja"
                ),
            )
        if members is not None and trained is not None and trained > members:
            self.add_error(
                "pokja_members_trained",
                forms.ValidationError(
                    _(
                        "Anggota terlatih (%(trained)s) tidak boleh melebihi jumlah anggota "
                        "Pokja (%(members)s)."
                    ),
                    code="trained_over_members",
                    params={"trained": trained, "members": members},
                ),
            )
        cleaned["mechanisms"] = {
            code: cleaned.get(self.MECHANISM_PREFIX + code, Frequency.TIDAK)
            for code in levels.MECHANISMS
        }
        return cleaned

    def profile_fields(self) -> dict:
        """The cleaned values for ``services.profile_create``."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["mechanisms"] = self.cleaned_data["mechanisms"]
        return fields


FIGURE_FIELDSETS = (
    (
        _("Keluarga & sasaran"),
        (
            "families",
            "pus",
            "remaja",
            "families_with_balita",
            "families_with_remaja",
            "families_with_lansia",
        ),
    ),
    (_("Peserta poktan"), tuple(POKTAN_TARGET_FIELDS)),
    (_("Peserta KB per metode"), tuple(USER_FIELDS)),
    (_("PUS bukan peserta KB"), tuple(NOT_USING_FIELDS)),
)
FIGURE_COUNT_FIELDS = tuple(name for _legend, names in FIGURE_FIELDSETS for name in names)
FAMILY_SUBSET_FIELDS = ("families_with_balita", "families_with_remaja", "families_with_lansia")


class FiguresForm(TodayMixin, forms.ModelForm):
    """One month's figures of one kampung; percentages are computed later, never typed."""

    period = MonthField(
        label=_("Periode (bulan)"),
        help_text=_("Bulan laporan, mis. 2026-03 untuk Maret 2026."),
    )

    class Meta:
        model = KampungFigures
        fields = ["period", *FIGURE_COUNT_FIELDS]
        widgets = {
            name: forms.NumberInput(attrs={"inputmode": "numeric"}) for name in FIGURE_COUNT_FIELDS
        }
        error_messages = {name: {"min_value": NEGATIVE} for name in FIGURE_COUNT_FIELDS}

    def __init__(self, *args, kampung: Kampung, **kwargs):
        super().__init__(*args, **kwargs)
        self.kampung = kampung
        self.instance.kampung = kampung
        if not self.is_bound and "period" not in self.initial:
            self.initial["period"] = self.today.replace(day=1)

    def fieldsets(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in FIGURE_FIELDSETS]

    def clean_period(self):
        period = self.cleaned_data["period"]
        if period > self.today.replace(day=1):
            raise forms.ValidationError(_("Periode tidak boleh di masa depan."), code="future")
        if KampungFigures.objects.filter(kampung=self.kampung, period=period).exists():
            raise forms.ValidationError(
                _("Angka untuk periode %(period)s sudah ada."),
                code="duplicate_period",
                params={"period": _month_name(period)},
            )
        return period

    def _field_label(self, name: str) -> str:
        return KampungFigures._meta.get_field(name).verbose_name

    def clean(self):
        cleaned = super().clean()
        for participants, target in POKTAN_TARGET_FIELDS.items():
            count, limit = cleaned.get(participants), cleaned.get(target)
            if count is not None and limit is not None and count > limit:
                poktan = levels.POKTAN[participants.removeprefix("participants_")]
                self.add_error(
                    participants,
                    forms.ValidationError(
                        _("Peserta %(poktan)s (%(count)s) melebihi %(target)s (%(limit)s)."),
                        code="over_target",
                        params={
                            "poktan": poktan,
                            "count": count,
                            "target": self._field_label(target),
                            "limit": limit,
                        },
                    ),
                )
        families = cleaned.get("families")
        for name in FAMILY_SUBSET_FIELDS:
            value = cleaned.get(name)
            if families is not None and value is not None and value > families:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("%(field)s (%(value)s) melebihi jumlah keluarga (%(families)s)."),
                        code="over_families",
                        params={
                            "field": capfirst(self._field_label(name)),
                            "value": value,
                            "families": families,
                        },
                    ),
                )
        breakdown = [cleaned.get(name) for name in (*USER_FIELDS, *NOT_USING_FIELDS)]
        pus = cleaned.get("pus")
        if pus is not None and None not in breakdown:
            users = sum(cleaned[name] for name in USER_FIELDS)
            non_users = sum(cleaned[name] for name in NOT_USING_FIELDS)
            if users + non_users != pus:
                self.add_error(
                    "pus",
                    forms.ValidationError(
                        _(
                            "Peserta KB (%(users)s) + PUS bukan peserta KB (%(non_users)s) = "
                            "%(total)s, tidak sama dengan PUS (%(pus)s)."
                        ),
                        code="pus_mismatch",
                        params={
                            "users": users,
                            "non_users": non_users,
                            "total": users + non_users,
                            "pus": pus,
                        },
                    ),
                )
        return cleaned

    def figures_fields(self) -> dict:
        """The cleaned values for ``services.figures_create``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _active_programs(current_id: int | None):
    """Active programmes, plus the one already chosen (so an edit can keep a retired one)."""
    return ThematicProgram.objects.filter(Q(is_active=True) | Q(pk=current_id))


class ActivityForm(TodayMixin, forms.ModelForm):
    """A kegiatan; the view saves it (and its agencies) through ``services.activity_save``."""

    category = forms.ChoiceField(
        label=_("Kategori"),
        choices=[("", _("— Pilih kategori —")), *Activity.Category.choices],
    )
    target_groups = _checkboxes(Activity.TargetGroup.choices, _("Sasaran"))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Instansi terlibat"),
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Instansi lintas sektor dihitung untuk indikator P3 (kantor KB dan BKKBN tidak)."
        ),
    )
    program = forms.ModelChoiceField(
        label=_("Program tematik"),
        queryset=ThematicProgram.objects.none(),
        required=False,
        empty_label=_("— Tidak ada —"),
        help_text=_("Isi jika kegiatan ini juga untuk program tematik."),
    )

    class Meta:
        model = Activity
        fields = [
            "date",
            "title",
            "place",
            "description",
            "category",
            "target_groups",
            "agencies",
            "program",
        ]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = _active_programs(self.instance.program_id)

    def clean_date(self):
        return self._not_future(
            self.cleaned_data["date"], _("Tanggal kegiatan tidak boleh di masa depan.")
        )


class KampungProgramForm(TodayMixin, forms.ModelForm):
    """A kampung's tag for one thematic programme (one tag per programme)."""

    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=ThematicProgram.objects.none(),
        empty_label=_("— Pilih program —"),
    )

    class Meta:
        model = KampungProgram
        fields = ["program", "since", "status"]
        widgets = {"since": DateInput()}

    def __init__(self, *args, kampung: Kampung, **kwargs):
        super().__init__(*args, **kwargs)
        self.kampung = kampung
        self.instance.kampung = kampung
        self.fields["program"].queryset = _active_programs(self.instance.program_id)

    def clean_program(self):
        program = self.cleaned_data["program"]
        taken = (
            KampungProgram.objects.filter(kampung=self.kampung, program=program)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(
                _("Kampung ini sudah ditandai dengan program %(program)s."),
                code="duplicate_program",
                params={"program": program.name},
            )
        return program

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since < PROGRAMME_START:
            raise forms.ValidationError(
                _("Tanggal tidak boleh sebelum 1 Januari 2016."), code="too_early"
            )
        return self._not_future(since, _("Tanggal tidak boleh di masa depan."))
