"""Widgets, fields and mixins the forms share (dates, months, checkboxes, opened-at versions)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


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


def checkboxes(choices, label, **kwargs) -> forms.MultipleChoiceField:
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


def month_name(period: datetime.date) -> str:
    return date_format(period, "YEAR_MONTH_FORMAT")


STALE_FORM = _("Formulir ini tidak lengkap. Muat ulang halaman, lalu isi dan simpan lagi.")


def opened_at_version_field() -> forms.IntegerField:
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
    saved in between, the service raises ``services.conflicts.EditConflict``; the view shows the
    form again with the user's input, the message, and ``reopen_at`` the version the message was
    about, so saving once more (after reading what the other person changed) goes through.
    """

    opened_at_field = "version"

    def opened_at(self) -> int | None:
        return self.cleaned_data.get(self.opened_at_field)

    def reopen_at(self, value: int) -> None:
        data = self.data.copy()
        data[self.opened_at_field] = str(value)
        self.data = data
