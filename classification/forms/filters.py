"""Filter forms for the audit trail and the Pokja account list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors.audit import AuditFilters
from ..selectors.audit_kinds import KIND_CHOICES
from .base import DateInput


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
        """The filters for ``selectors.audit.audit_entries``: those given and valid (errors are
        shown)."""
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
