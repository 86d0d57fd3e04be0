"""Applying a checked plan, all or nothing, through the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from ..models import LevelChange
from ..services.levels import kampung_set_level
from ..services.records import figures_create
from .plan import ImportPlan, LevelRow

# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------


@transaction.atomic
def import_apply(*, plan: ImportPlan, by, progress=None) -> int:
    """Write every change of ``plan``, all or nothing; the number of changes written.

    Refused when the plan holds any error, or was checked for someone else. Each level goes
    through ``services.levels.kampung_set_level`` (source "import"), each month through
    ``services.records.figures_create``, which check their rules again: one refusal undoes
    everything.
    """
    if plan.user_id != by.pk:
        raise PermissionDenied
    if not plan.ok:
        raise ValidationError(
            ngettext(
                "Berkas masih memuat %(count)s kesalahan: tidak ada yang disimpan.",
                "Berkas masih memuat %(count)s kesalahan: tidak ada yang disimpan.",
                plan.error_count,
            )
            % {"count": plan.error_count},
            code="has_errors",
        )
    for item in plan.changes:
        if isinstance(item, LevelRow):
            kampung_set_level(
                kampung=item.kampung,
                level=item.level_to,
                effective_date=item.effective_date,
                source=LevelChange.Source.IMPORT,
                by=by,
                note=item.note,
            )
        else:
            figures_create(kampung=item.kampung, by=by, period=item.period, **item.values)
        if progress is not None:
            progress.update(1)
    return len(plan.changes)
