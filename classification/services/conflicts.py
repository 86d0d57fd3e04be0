"""Optimistic locking: refuse the second of two concurrent edits, saying what the first changed.

Each editable record carries a ``version`` (a model without that field uses its latest history
row's id: ``latest_revision``). A form remembers the version it was opened at; the service locks
the row (SELECT … FOR UPDATE), and if the version moved on it raises EditConflict listing the
fields the other person changed, read from the audit history. The form is shown again with the
user's own input and the new version, so nothing typed is lost and saving again goes through.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import Activity, Kampung
from ..models.people import person_name
from ..selectors.changes import BASELINE_REASON, FieldChange, HistoryRow, changes_between

__all__ = [
    "EditConflict",
    "field_changes",
    "latest_revision",
    "lock_at_revision",
    "lock_at_version",
    "record_baseline",
]


class EditConflict(ValidationError):
    """Someone saved this record after the form was opened; their changes are in ``changes``.

    ``changes`` None means the state the form was opened at was never recorded. ``current`` is
    the version (or revision, or latest profile id) the record is at now: a form shown again
    with it lets the user, having read the message, save over those changes.
    """

    def __init__(
        self,
        *,
        changes: list[FieldChange] | None,
        by: str,
        at: datetime.datetime | None,
        current: int | None = None,
    ) -> None:
        self.changes = changes
        self.current = current
        if changes is None:
            summary = _("rinciannya tidak tercatat")
        else:
            summary = "; ".join(
                _("%(field)s: “%(before)s” → “%(after)s”")
                % {"field": c.label, "before": c.before, "after": c.after}
                for c in changes
            ) or _("tidak ada isian yang berbeda")
        super().__init__(
            _(
                "Data ini sudah diubah oleh %(by)s pada %(at)s, setelah Anda membuka formulir. "
                "Perubahan mereka: %(summary)s. Isian Anda belum disimpan dan masih ada di "
                "bawah: periksa lalu simpan lagi bila tetap perlu."
            ),
            code="edit_conflict",
            params={
                "by": by,
                "at": timezone.localtime(at).strftime("%d-%m-%Y %H:%M") if at else "-",
                "summary": summary,
            },
        )


def field_changes(
    before: models.Model | None, after: models.Model, fields: Sequence[str]
) -> list[FieldChange]:
    """Fields whose values differ between two versions of a record (historical or live).

    Values read as the audit trail shows them (labels, not codes); ``before`` None lists what
    ``after`` holds.
    """
    return changes_between(before, after, fields)


def record_baseline(instance: Kampung | Activity, *, m2m: tuple[str, ...] = ()) -> None:
    """Keep the record's present state in its history before its first tracked change.

    Rows loaded in bulk (regions, demo records) have no history, so the first change would have
    nothing to compare with: neither the audit trail's old values nor a conflict's "what the
    other person changed". The snapshot is attributed to nobody and hidden from the trail.
    """
    history = type(instance).history.model
    snapshot = history.objects.create(
        history_date=timezone.now(),
        history_type="~",
        history_user=None,
        history_change_reason=BASELINE_REASON,
        **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
    )
    for name in m2m:
        through = getattr(type(instance), name).through
        columns = [f.attname for f in through._meta.concrete_fields]
        own = type(instance)._meta.model_name
        recorded = _recorded_m2m(history, name)
        recorded.objects.bulk_create(
            [
                recorded(history=snapshot, **{column: getattr(link, column) for column in columns})
                for link in through.objects.filter(**{own: instance})
            ]
        )


def _recorded_m2m(history: type[models.Model], name: str) -> type[Any]:
    """simple-history's table of a many-to-many field's links as each history row saw them.

    A model simple-history builds at runtime: typed ``type[Any]``, as simple-history ships no types.
    """
    return apps.get_model(history._meta.app_label, f"{history.__name__}_{name}")


def lock_at_version(
    model: type[Kampung], *, pk: int, expected_version: int | None, fields: Sequence[str]
) -> Kampung:
    """The row, locked for this transaction; EditConflict if it moved past ``expected_version``.

    ``expected_version`` None means the caller has no form version (a script): no check.
    """
    current = model.objects.select_for_update().get(pk=pk)
    if expected_version is None or current.version == expected_version:
        if not current.history.exists():
            record_baseline(current)
        return current
    seen = current.history.filter(version=expected_version).order_by("-history_date").first()
    latest = current.history.order_by("-history_date").first()
    raise EditConflict(
        changes=field_changes(seen, current, fields) if seen else None,
        by=_who(latest),
        at=latest.history_date if latest else None,
        current=current.version,
    )


def latest_revision(model: type[Activity], pk: int) -> int:
    """The id of the record's latest history row, 0 when it has none.

    The version of a model without a ``version`` field: it moves on with every save (and every
    change of its tracked many-to-many fields), all of which simple-history records.
    """
    revision: int = (
        model.history.filter(id=pk)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        or 0
    )
    return revision


def lock_at_revision(
    model: type[Activity],
    *,
    pk: int,
    expected_revision: int | None,
    fields: Sequence[str],
    m2m: tuple[str, ...] = (),
) -> Activity:
    """Like ``lock_at_version``, for a model whose version is its ``latest_revision``."""
    current = model.objects.select_for_update().get(pk=pk)
    revision = latest_revision(model, pk)
    if expected_revision is None or revision == expected_revision:
        if revision == 0:
            record_baseline(current, m2m=m2m)
        return current
    history = current.history.all()
    if expected_revision:
        seen = history.filter(history_id=expected_revision).first()
    else:  # opened before any history: the baseline the other save recorded is what was seen
        seen = history.filter(history_change_reason=BASELINE_REASON).order_by("history_id").first()
    latest = history.order_by("-history_id").first()
    changes = None
    if seen is not None:
        changes = field_changes(seen, current, fields)
        for name in m2m:
            changes += _m2m_changes(current, seen, name)
    raise EditConflict(
        changes=changes,
        by=_who(latest),
        at=latest.history_date if latest else None,
        current=revision,
    )


def _m2m_changes(current: Activity, seen: HistoryRow, name: str) -> list[FieldChange]:
    """A tracked many-to-many field as it was recorded in ``seen`` and as it is now."""
    model_field = type(current)._meta.get_field(name)
    assert isinstance(model_field, models.ManyToManyField)  # ``m2m`` names many-to-many fields
    # A model class once the apps are loaded; managers are not typed on Model, hence Any.
    target: Any = model_field.related_model
    links = _recorded_m2m(type(seen), name).objects.filter(history=seen)
    then = target.objects.filter(pk__in=links.values(f"{target._meta.model_name}_id"))
    before = sorted(str(item) for item in then)
    after = sorted(str(item) for item in getattr(current, name).all())
    if before == after:
        return []
    return [
        FieldChange(
            label=capfirst(model_field.verbose_name),
            before=", ".join(before) or "—",
            after=", ".join(after) or "—",
        )
    ]


def _who(record: HistoryRow | None) -> str:
    return person_name(getattr(record, "history_user", None))
