"""The verification workflow's forms: a Pokja's assessment, verify, return, correct a level."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    ClassificationLevel,
)
from .base import DateInput, TodayMixin

# --------------------------------------------------------------------------------------------
# The verification workflow: a Pokja's assessment, DP3A's verify/return, a level correction.
# The services in ``services/verification.py`` check every rule again; these only parse the input.
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
        """The cleaned values for ``services.verification.assessment_save``."""
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
        """The cleaned values for ``services.verification.assessment_verify``."""
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
        """The cleaned values for ``services.verification.assessment_return``."""
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
        """The cleaned values for ``services.verification.level_correct``."""
        return {
            "level": self.cleaned_data["level"],
            "reason": self.cleaned_data["reason"],
            "effective_date": self.cleaned_data["effective_date"],
        }
