"""Template helper for folded filter forms: which filters are set, in the words of the form."""

from __future__ import annotations

import datetime

from django import forms, template
from django.db.models import Model
from django.utils.formats import date_format

register = template.Library()


@register.simple_tag
def active_filters(form: forms.Form) -> list[tuple[str, str]]:
    """(label, value) of every filter given a value, for the summary of a folded filter form
    ("Filter (2 aktif): Kecamatan Pelaihari, Level resmi Mandiri").

    Reads what the view's validation already found (a chosen kecamatan is the object it looked
    up), so it runs no query of its own; a value the form refused shows as it was typed.
    """
    if not form.is_bound:
        return []
    cleaned = getattr(form, "cleaned_data", {})
    active = []
    for bound in form:
        raw = bound.value()
        if raw is None or raw == "" or raw == []:
            continue
        active.append((str(bound.label), _shown(bound.field, raw, cleaned.get(bound.name))))
    return active


def _shown(field: forms.Field, raw: object, value: object) -> str:
    if isinstance(value, Model):
        return str(value)
    if isinstance(field, forms.ModelChoiceField):
        # django-filter's "none yet" choice (null_label), or a value the form refused.
        null_label = getattr(field, "null_label", None)
        if raw == getattr(field, "null_value", "null") and null_label:
            return str(null_label)
        return str(raw)
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    # Fixed choices (jenis, status, a yes/no select): the label the drop-down shows.
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None) or ()
    for key, label in choices:
        if str(key) == str(raw):
            return str(label)
    return f"“{raw}”"
