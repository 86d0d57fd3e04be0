"""How recorded values read, and which fields changed between two versions of a record."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    Frequency,
    Kampung,
)
from ..models.people import person_name
from ..rules.vocabularies import DATA_SOURCES, FUNDING_SOURCES, MECHANISMS, POKTAN

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = get_user_model()


# A snapshot of a record's state before its first tracked change (rows loaded in bulk have no
# history): written by services.conflicts.record_baseline, used as a predecessor, never listed.
BASELINE_REASON = "baseline"


EMPTY = "—"


# A history row: an instance of the model simple-history builds at runtime for each tracked
# model. simple-history ships no type information, so these rows are Any.
HistoryRow = Any


# --------------------------------------------------------------------------------------------
# How recorded values read (also used by services/conflicts.py for the "someone else saved" message)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: StrOrPromise
    before: str
    after: str


# JSON fields holding codes: the words to show for each code.
_CODE_LISTS: dict[tuple[str, str], Mapping[str, StrOrPromise]] = {
    ("kampungprofile", "funding_sources"): FUNDING_SOURCES,
    ("kampungprofile", "poktan_present"): POKTAN,
    ("kampungprofile", "data_sources"): DATA_SOURCES,
    ("activity", "target_groups"): dict(Activity.TargetGroup.choices),
}


# JSON fields holding {code: choice}: each key is shown as its own line.
_CODE_MAPS: dict[tuple[str, str], tuple[Mapping[str, StrOrPromise], Mapping[str, StrOrPromise]]] = {
    ("kampungprofile", "mechanisms"): (MECHANISMS, dict(Frequency.choices)),
}


def _model_name(record: models.Model) -> str:
    # Historical rows name the model they record in ``instance_type``.
    model: type[models.Model] = getattr(record, "instance_type", type(record))
    return model._meta.model_name or ""  # never None for a concrete model


def related_label(target: models.Model) -> str:
    if isinstance(target, User):
        return person_name(target)
    if isinstance(target, Kampung):
        return f"{target.display_name} ({target.desa_kode})"
    return str(target)


def _plain(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, (int, float, Decimal)):
        return formats.localize(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or EMPTY
    return str(value)


def display_value(record: models.Model, model_field: models.Field[Any, Any]) -> str:
    """How one field of a record (live or historical) reads: labels, not codes or ids."""
    if model_field.is_relation:
        if getattr(record, model_field.attname) is None:
            return EMPTY
        try:
            return related_label(getattr(record, model_field.name))
        except ObjectDoesNotExist:  # the target has been deleted since
            return f"#{getattr(record, model_field.attname)}"
    value = getattr(record, model_field.attname)
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    words = _CODE_LISTS.get((_model_name(record), model_field.name))
    if words is not None and isinstance(value, list):
        return ", ".join(str(words.get(code, code)) for code in value) or EMPTY
    if isinstance(model_field, models.FileField):
        return PurePosixPath(str(value)).name if value else EMPTY
    return _plain(value)


def _same(before: object, after: object) -> bool:
    # Lists of codes are sets to the reader: ["apbd", "dana_desa"] equals ["dana_desa", "apbd"].
    if isinstance(before, list) and isinstance(after, list):
        try:
            return sorted(before) == sorted(after)
        except TypeError:
            return before == after
    return before == after


def _map_changes(
    record_before: models.Model | None,
    record_after: models.Model,
    model_field: models.Field[Any, Any],
) -> list[FieldChange]:
    keys, choices = _CODE_MAPS[(_model_name(record_after), model_field.name)]
    before = (getattr(record_before, model_field.attname) if record_before else None) or {}
    after = getattr(record_after, model_field.attname) or {}
    changes = []
    for key in [*keys, *sorted(set(before) | set(after) - set(keys))]:
        old, new = before.get(key), after.get(key)
        if old == new or (record_before is None and new is None):
            continue
        changes.append(
            FieldChange(
                label=f"{capfirst(model_field.verbose_name)}: {keys.get(key, key)}",
                before=str(choices.get(old, old)) if old else EMPTY,
                after=str(choices.get(new, new)) if new else EMPTY,
            )
        )
    return changes


def changes_between(
    before: models.Model | None, after: models.Model, names: Iterable[str]
) -> list[FieldChange]:
    """The fields (of ``names``) whose values differ from ``before`` to ``after``.

    Both are records of the same model, live or historical. ``before`` None means ``after`` was
    just created: every field with a value is listed, from "—".
    """
    model: type[models.Model] = getattr(after, "instance_type", type(after))
    meta = model._meta
    changes: list[FieldChange] = []
    for name in names:
        model_field = meta.get_field(name)
        # ``names`` are fields of the model, never reverse relations.
        assert isinstance(model_field, models.Field)
        if (_model_name(after), name) in _CODE_MAPS:
            changes.extend(_map_changes(before, after, model_field))
            continue
        new = getattr(after, model_field.attname)
        if before is None:
            if new is None or new == "" or new == [] or new == {}:
                continue
        elif _same(getattr(before, model_field.attname), new):
            continue
        changes.append(
            FieldChange(
                label=capfirst(model_field.verbose_name),
                before=display_value(before, model_field) if before is not None else EMPTY,
                after=display_value(after, model_field),
            )
        )
    return changes
