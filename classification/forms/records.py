"""Forms for a kampung's records (identity, profile, figures, activities, thematic tags).

Forms only check input and hand clean values to the views, which write through ``services``:
nothing here calls ``save()``. Every message is in Bahasa Indonesia, on the field it concerns.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    Agency,
    Frequency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    ThematicProgram,
)
from ..models.kampung import IDENTITY_FIELDS
from ..models.records import DATA_SOURCE_CHOICES, FUNDING_SOURCE_CHOICES, POKTAN_CHOICES
from ..rules.figures import (
    FAMILY_FIELDS,
    FIGURE_COUNT_FIELDS,
    NEGATIVE,
    NOT_USING_FIELDS,
    POKTAN_TARGET_FIELDS,
    USER_FIELDS,
    figures_rule_errors,
)
from ..rules.vocabularies import MECHANISMS
from ..services.conflicts import latest_revision
from .base import (
    DateInput,
    MonthField,
    OpenedAtMixin,
    TodayMixin,
    checkboxes,
    month_name,
    opened_at_version_field,
)

# Kampung KB was launched in 2016 (domain.md §3).
PROGRAMME_START = datetime.date(2016, 1, 1)


# Indonesia's extent, rounded outwards: Rote (−11°) to Weh (6°), Sabang (94°) to Merauke (141°).
LATITUDE_RANGE = (-11, 6)


LONGITUDE_RANGE = (94, 142)


PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


NOT_A_PHOTO = _("Foto harus berupa berkas JPG, PNG, atau WebP.")


class KampungIdentityForm(OpenedAtMixin, TodayMixin, forms.ModelForm):
    """The kampung's own description: name, launch date, description, location and photo."""

    remove_photo = forms.BooleanField(label=_("Hapus foto yang sekarang"), required=False)
    version = opened_at_version_field()

    class Meta:
        model = Kampung
        fields = IDENTITY_FIELDS
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
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)

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
        """The cleaned values for ``services.records.kampung_update_identity``.

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


class ProfileForm(OpenedAtMixin, TodayMixin, forms.ModelForm):
    """A new version of the profile, pre-filled from the current one (``previous``)."""

    # The id of the version the form was filled from (0: there was none).
    based_on = opened_at_version_field()
    opened_at_field = "based_on"
    funding_sources = checkboxes(FUNDING_SOURCE_CHOICES, _("Sumber dana"))
    poktan_present = checkboxes(POKTAN_CHOICES, _("Poktan yang ada"))
    data_sources = checkboxes(DATA_SOURCE_CHOICES, _("Sumber data untuk perencanaan"))

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
        if not self.is_bound:
            self.initial.setdefault("based_on", previous.pk if previous is not None else 0)
        current = (previous.mechanisms if previous is not None else {}) or {}
        for code, label in MECHANISMS.items():
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
        mechanisms = [self[self.MECHANISM_PREFIX + code] for code in MECHANISMS]
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
            code: cleaned.get(self.MECHANISM_PREFIX + code, Frequency.TIDAK) for code in MECHANISMS
        }
        return cleaned

    def profile_fields(self) -> dict:
        """The cleaned values for ``services.records.profile_create``."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["mechanisms"] = self.cleaned_data["mechanisms"]
        return fields


FIGURE_FIELDSETS = (
    (_("Keluarga & sasaran"), FAMILY_FIELDS),
    (_("Peserta poktan"), tuple(POKTAN_TARGET_FIELDS)),
    (_("Peserta KB per metode"), tuple(USER_FIELDS)),
    (_("PUS bukan peserta KB"), tuple(NOT_USING_FIELDS)),
)


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
                params={"period": month_name(period)},
            )
        return period

    def clean(self):
        cleaned = super().clean()
        for name, error in figures_rule_errors(cleaned, KampungFigures.field_label):
            self.add_error(name, error)
        return cleaned

    def figures_fields(self) -> dict:
        """The cleaned values for ``services.records.figures_create``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _active_programs(current_id: int | None):
    """Active programmes, plus the one already chosen (so an edit can keep a retired one)."""
    return ThematicProgram.objects.filter(Q(is_active=True) | Q(pk=current_id))


class ActivityForm(OpenedAtMixin, TodayMixin, forms.ModelForm):
    """A kegiatan; the view saves it (and its agencies) through
    ``services.records.activity_save``."""

    # For a change: the kegiatan's latest history row when the form was opened (its version).
    version = opened_at_version_field()

    category = forms.ChoiceField(
        label=_("Kategori"),
        choices=[("", _("— Pilih kategori —")), *Activity.Category.choices],
    )
    target_groups = checkboxes(Activity.TargetGroup.choices, _("Sasaran"))
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
        if not self.is_bound and self.instance.pk is not None:
            self.initial.setdefault("version", latest_revision(Activity, self.instance.pk))

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
