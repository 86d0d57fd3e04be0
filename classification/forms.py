"""Forms for a kampung's records (identity, profile, figures, activities, thematic tags).

Forms only check input and hand clean values to the views, which write through ``services``:
nothing here calls ``save()``. Every message is in Bahasa Indonesia, on the field it concerns.
"""

from __future__ import annotations

import datetime
import itertools
from operator import attrgetter

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.contrib.auth.hashers import check_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    Activity,
    Agency,
    ClassificationLevel,
    Frequency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    PokjaMembership,
    ThematicProgram,
)
from .models.kampung import IDENTITY_FIELDS
from .models.records import DATA_SOURCE_CHOICES, FUNDING_SOURCE_CHOICES, POKTAN_CHOICES
from .rules.figures import (
    FAMILY_FIELDS,
    FIGURE_COUNT_FIELDS,
    NEGATIVE,
    NOT_USING_FIELDS,
    POKTAN_TARGET_FIELDS,
    USER_FIELDS,
    figures_rule_errors,
)
from .rules.vocabularies import MECHANISMS
from .selectors.audit import AuditFilters
from .selectors.audit_kinds import KIND_CHOICES
from .services.conflicts import latest_revision

# Kampung KB was launched in 2016 (domain.md §3).
PROGRAMME_START = datetime.date(2016, 1, 1)


# Indonesia's extent, rounded outwards: Rote (−11°) to Weh (6°), Sabang (94°) to Merauke (141°).
LATITUDE_RANGE = (-11, 6)


LONGITUDE_RANGE = (94, 142)


PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


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


STALE_FORM = _("Formulir ini tidak lengkap. Muat ulang halaman, lalu isi dan simpan lagi.")


def _opened_at_field() -> forms.IntegerField:
    # Not required: a form posted without it (a script, a page from before this field) is saved
    # as before, without the check, like the services' ``expected_version=None``.
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        error_messages={"invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class OpenedAtMixin:
    """A hidden field remembering which version of the record the form was opened at.

    The view hands it to the service (``expected_version``, ``based_on``). When someone else
    saved in between, the service raises ``conflicts.EditConflict``; the view shows the form
    again with the user's input, the message, and ``reopen_at`` the version the message was
    about, so saving once more (after reading what the other person changed) goes through.
    """

    opened_at_field = "version"

    def opened_at(self) -> int | None:
        return self.cleaned_data.get(self.opened_at_field)

    def reopen_at(self, value: int) -> None:
        data = self.data.copy()
        data[self.opened_at_field] = str(value)
        self.data = data


class KampungIdentityForm(OpenedAtMixin, TodayMixin, forms.ModelForm):
    """The kampung's own description: name, launch date, description, location and photo."""

    remove_photo = forms.BooleanField(label=_("Hapus foto yang sekarang"), required=False)
    version = _opened_at_field()

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


class ProfileForm(OpenedAtMixin, TodayMixin, forms.ModelForm):
    """A new version of the profile, pre-filled from the current one (``previous``)."""

    # The id of the version the form was filled from (0: there was none).
    based_on = _opened_at_field()
    opened_at_field = "based_on"
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
        """The cleaned values for ``services.profile_create``."""
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
                params={"period": _month_name(period)},
            )
        return period

    def clean(self):
        cleaned = super().clean()
        for name, error in figures_rule_errors(cleaned, KampungFigures.field_label):
            self.add_error(name, error)
        return cleaned

    def figures_fields(self) -> dict:
        """The cleaned values for ``services.figures_create``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _active_programs(current_id: int | None):
    """Active programmes, plus the one already chosen (so an edit can keep a retired one)."""
    return ThematicProgram.objects.filter(Q(is_active=True) | Q(pk=current_id))


class ActivityForm(OpenedAtMixin, TodayMixin, forms.ModelForm):
    """A kegiatan; the view saves it (and its agencies) through ``services.activity_save``."""

    # For a change: the kegiatan's latest history row when the form was opened (its version).
    version = _opened_at_field()

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


class AuditFilterForm(forms.Form):
    """The filters of the audit trail (``/riwayat/``); all optional, read from the query string."""

    kampung = forms.CharField(
        label=_("Kampung"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("kode atau nama")}),
    )
    pengguna = forms.CharField(label=_("Pengguna"), required=False, max_length=150)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())
    jenis = forms.ChoiceField(
        label=_("Jenis data"),
        required=False,
        choices=[("", _("Semua jenis"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = [("", _("Semua jenis")), *KIND_CHOICES]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and start > end:
            self.add_error(
                "sampai",
                forms.ValidationError(
                    _("Tanggal akhir tidak boleh sebelum tanggal awal."), code="reversed"
                ),
            )
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters for ``audit.audit_entries``: those given and valid (errors are shown)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = self.cleaned_data
        return AuditFilters(
            kampung=data.get("kampung") or "",
            user=data.get("pengguna") or "",
            date_from=data.get("dari"),
            date_to=data.get("sampai"),
            kind=data.get("jenis") or "",
        )


# --------------------------------------------------------------------------------------------
# The verification workflow: a Pokja's assessment, DP3A's verify/return, a level correction.
# The services in ``verification.py`` check every rule again; these only parse the input.
# --------------------------------------------------------------------------------------------


def _level_field(label, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=ClassificationLevel.objects.order_by("rank"), **kwargs
    )


class AssessmentForm(forms.Form):
    """The level a Pokja proposes and its note; the button pressed says draft or submit."""

    ACTION = "aksi"
    SAVE_DRAFT = "simpan"
    SUBMIT = "ajukan"

    proposed_level = _level_field(
        _("Level yang diusulkan"),
        required=False,
        empty_label=_("— Sesuai level estimasi —"),
        help_text=_("Kosongkan untuk mengusulkan level estimasi di atas."),
    )
    note = forms.CharField(
        label=_("Catatan untuk DP3A"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mis. kegiatan atau perubahan yang perlu diketahui pemeriksa."),
    )

    @property
    def submit(self) -> bool:
        """Whether "Ajukan untuk verifikasi" was pressed (anything else saves a draft)."""
        return self.data.get(self.ACTION) == self.SUBMIT

    def assessment_fields(self) -> dict:
        """The cleaned values for ``verification.assessment_save``."""
        return {
            "submit": self.submit,
            "proposed_level": self.cleaned_data["proposed_level"],
            "note": self.cleaned_data["note"].strip(),
        }


class _VersionedForm(forms.Form):
    """Carries the assessment's version, so acting on a stale page is refused by the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        if not self.is_bound:
            self.initial.setdefault("version", assessment.version)


class _EffectiveDateMixin(TodayMixin):
    """An effective date that defaults to today and may not lie in the future."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_date", self.today)

    def clean_effective_date(self):
        return self._not_future(
            self.cleaned_data["effective_date"], _("Tanggal berlaku tidak boleh di masa depan.")
        )


class AssessmentVerifyForm(_EffectiveDateMixin, _VersionedForm):
    """Verify a submitted assessment: the level defaults to the proposal, else the estimate."""

    # An empty choice (never chosen: the level starts on the suggestion) also spares the widget
    # a second query to decide whether the first option is blank.
    level = _level_field(_("Level resmi hasil verifikasi"), empty_label=_("— Pilih level —"))
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila level berbeda dari usulan Pokja."),
    )
    effective_date = forms.DateField(label=_("Tanggal berlaku"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            suggested = self.assessment.proposed_level_id or self.assessment.estimated_level_id
            self.initial.setdefault("level", suggested)

    def verify_fields(self) -> dict:
        """The cleaned values for ``verification.assessment_verify``."""
        return {
            "level": self.cleaned_data["level"],
            "reason": self.cleaned_data["reason"].strip(),
            "effective_date": self.cleaned_data["effective_date"],
            "expected_version": self.cleaned_data["version"],
        }


class AssessmentReturnForm(_VersionedForm):
    """Send a submitted assessment back to its Pokja, saying what to fix."""

    note = forms.CharField(
        label=_("Catatan untuk Pokja"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Tuliskan catatan untuk Pokja: apa yang perlu diperbaiki."),
        },
    )

    def return_fields(self) -> dict:
        """The cleaned values for ``verification.assessment_return``."""
        return {"note": self.cleaned_data["note"], "expected_version": self.cleaned_data["version"]}


class LevelCorrectForm(_EffectiveDateMixin, forms.Form):
    """DP3A's direct correction of a kampung's official level, with its reason."""

    level = _level_field(_("Level resmi yang benar"), empty_label=_("— Pilih level —"))
    reason = forms.CharField(
        label=_("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan koreksi wajib diisi.")},
    )
    effective_date = forms.DateField(label=_("Tanggal berlaku"), widget=DateInput())

    def correction_fields(self) -> dict:
        """The cleaned values for ``verification.level_correct``."""
        return {
            "level": self.cleaned_data["level"],
            "reason": self.cleaned_data["reason"],
            "effective_date": self.cleaned_data["effective_date"],
        }


# --------------------------------------------------------------------------------------------
# Logging in, and Pokja accounts managed by DP3A staff (written by ``classification.accounts``)
# --------------------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """The login form, with messages written for Bahasa Indonesia.

    Django's own Indonesian "invalid login" text repeats itself ("nama pengguna nama pengguna").
    ``ModelBackend`` never authenticates an inactive account, so Django would give a deactivated
    Pokja member the same "wrong password" message: with the right password they are told why.
    """

    error_messages = {
        "invalid_login": _("Nama pengguna atau sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini dinonaktifkan. Hubungi staf DP3A."),
    }

    def get_invalid_login_error(self):
        if self._is_deactivated_account():
            return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def _is_deactivated_account(self) -> bool:
        # A locked-out login gets the lockout page whatever the form says: check nothing more.
        if getattr(self.request, "axes_locked_out", False):
            return False
        User = get_user_model()
        user = (
            User._default_manager.filter(
                **{User.USERNAME_FIELD: self.cleaned_data.get("username")}, is_active=False
            )
            .only("password")
            .first()
        )
        # hashers.check_password, not user.check_password: a refused login never saves a rehash.
        return user is not None and check_password(self.cleaned_data.get("password"), user.password)


def password_rules() -> str:
    """AUTH_PASSWORD_VALIDATORS in one sentence, for whoever chooses a password for a Pokja."""
    min_length = next(
        (
            validator.min_length
            for validator in password_validation.get_default_password_validators()
            if isinstance(validator, password_validation.MinimumLengthValidator)
        ),
        1,
    )
    return _(
        "Minimal %(min_length)d karakter, bukan sandi yang umum dipakai, tidak hanya angka, "
        "dan tidak mirip nama pengguna atau nama."
    ) % {"min_length": min_length}


class NewPasswordMixin(SetPasswordMixin):
    """``password1``/``password2`` (declared on each form) must match and pass the validators."""

    error_messages = {"password_mismatch": _("Kedua sandi tidak sama.")}

    def _setup_password_fields(self) -> None:
        self.fields["password1"].help_text = password_rules()
        self.fields["password2"].help_text = _("Ketik sandi yang sama sekali lagi.")

    def _clean_passwords(self, user) -> None:
        self.validate_passwords()
        if "password2" not in self.errors:
            # Next to the first field, where the password was chosen.
            self.validate_password_for_user(user, password_field_name="password1")


class KampungByKecamatan(forms.models.ModelChoiceIterator):
    """Kampung grouped under their kecamatan (``<optgroup>``), so a long list stays usable."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for _kode, group in itertools.groupby(self.queryset, key=attrgetter("kecamatan_id")):
            kampung = list(group)
            yield (kampung[0].kecamatan.nama, [self.choice(item) for item in kampung])


class KampungChoiceField(forms.ModelChoiceField):
    """A kampung chosen by its desa code; BKKBN's undotted ``6301012002`` is accepted too."""

    iterator = KampungByKecamatan

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="desa_kode", **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.isdigit() and len(value) == 10:
            value = f"{value[:2]}.{value[2:4]}.{value[4:6]}.{value[6:]}"
        return super().to_python(value)

    def label_from_instance(self, kampung) -> str:
        return _("%(desa)s (Kec. %(kecamatan)s)") % {
            "desa": kampung.desa_nama,
            "kecamatan": kampung.kecamatan.nama,
        }


USERNAME_ATTRS = {"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}


class PokjaAccountForm(NewPasswordMixin, forms.Form):
    """A new Pokja login, seated on one kampung the DP3A staff member manages."""

    kampung = KampungChoiceField(
        Kampung.objects.none(),
        label=_("Kampung"),
        empty_label=_("— Pilih kampung —"),
        error_messages={
            "required": _("Pilih kampung tempat anggota Pokja ini bertugas."),
            "invalid_choice": _("Pilih kampung dari daftar: hanya kampung di kabupaten Anda."),
        },
    )
    jabatan = forms.ChoiceField(
        label=_("Jabatan di Pokja"),
        choices=PokjaMembership.Jabatan.choices,
        initial=PokjaMembership.Jabatan.ANGGOTA,
    )
    first_name = forms.CharField(
        label=_("Nama depan"),
        max_length=150,
        error_messages={"required": _("Isi nama anggota Pokja.")},
    )
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Untuk masuk: huruf, angka, dan . @ + - _ tanpa spasi, mis. pokja.tabanio."),
        validators=[
            UnicodeUsernameValidator(
                message=_(
                    "Nama pengguna hanya boleh berisi huruf, angka, dan karakter . @ + - _ "
                    "(tanpa spasi)."
                )
            )
        ],
        widget=forms.TextInput(attrs=USERNAME_ATTRS),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Sandi"), label2=_("Ulangi sandi")
    )

    def __init__(self, *args, kampung_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kampung"].queryset = kampung_queryset
        self._setup_password_fields()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."), code="unique")
        return username

    def clean(self):
        cleaned_data = super().clean()
        # The similarity check needs the names and username typed so far.
        self._clean_passwords(
            get_user_model()(
                username=cleaned_data.get("username", ""),
                first_name=cleaned_data.get("first_name", ""),
                last_name=cleaned_data.get("last_name", ""),
            )
        )
        return cleaned_data

    def account_fields(self) -> dict:
        """The cleaned values for ``accounts.pokja_account_create``."""
        data = self.cleaned_data
        return {
            "kampung": data["kampung"],
            "username": data["username"],
            "password": data["password1"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "jabatan": data["jabatan"],
        }


class PokjaPasswordForm(NewPasswordMixin, forms.Form):
    """A new password for a Pokja account, chosen by DP3A staff (who then hand it over)."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Sandi baru"), label2=_("Ulangi sandi baru")
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self._setup_password_fields()

    def clean(self):
        cleaned_data = super().clean()
        self._clean_passwords(self.user)
        return cleaned_data


class PokjaAccountFilterForm(forms.Form):
    """The account list's filters: free text over kampung, kecamatan and names; active or not."""

    STATUS_CHOICES = [("", _("Semua")), ("aktif", _("Aktif")), ("nonaktif", _("Nonaktif"))]

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Kampung, kecamatan, atau nama")}
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
