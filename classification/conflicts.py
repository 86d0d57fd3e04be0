"""Optimistic locking: refuse the second of two concurrent edits, saying what the first changed.

Each editable record carries a ``version``. A form remembers the version it was opened at; the
service locks the row (SELECT … FOR UPDATE), and if the version moved on it raises EditConflict
listing the fields the other person changed, read from the audit history. The form is shown
again with the user's own input, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


class EditConflict(ValidationError):
    """Someone saved this record after the form was opened; their changes are in ``changes``."""

    def __init__(self, *, changes: list[FieldChange], by: str, at) -> None:
        self.changes = changes
        summary = "; ".join(f"{c.label}: “{c.before}” → “{c.after}”" for c in changes) or _(
            "tidak ada isian yang berbeda"
        )
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


def _display(instance: models.Model, field: models.Field) -> str:
    if field.choices:
        return str(dict(field.flatchoices).get(getattr(instance, field.attname), ""))
    value = getattr(instance, field.attname)
    if value in (None, ""):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def field_changes(before, after, fields: list[str]) -> list[FieldChange]:
    """Fields whose values differ between two versions of a record (historical or live)."""
    model_fields = {field.name: field for field in after._meta.concrete_fields}
    changes = []
    for name in fields:
        field = model_fields[name]
        old, new = _display(before, field), _display(after, field)
        if old != new:
            changes.append(
                FieldChange(label=str(field.verbose_name).capitalize(), before=old, after=new)
            )
    return changes


def lock_at_version(model: type[models.Model], *, pk, expected_version: int | None, fields):
    """The row, locked for this transaction; EditConflict if it moved past ``expected_version``.

    ``expected_version`` None means the caller has no form version (a script): no check.
    """
    current = model.objects.select_for_update().get(pk=pk)
    if expected_version is None or current.version == expected_version:
        return current
    seen = current.history.filter(version=expected_version).order_by("-history_date").first()
    latest = current.history.order_by("-history_date").first()
    raise EditConflict(
        changes=field_changes(seen, current, fields) if seen else [],
        by=_who(latest),
        at=latest.history_date if latest else None,
    )


def _who(record) -> str:
    user = getattr(record, "history_user", None)
    if user is None:
        return _("pengguna lain")
    return user.get_full_name() or user.get_username()
