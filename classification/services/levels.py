"""Official levels: setting one writes a LevelChange and keeps the kampung's copy in step."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    ClassificationLevel,
    Kampung,
    LevelChange,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def kampung_set_level(
    *,
    kampung: Kampung,
    level: ClassificationLevel,
    effective_date: datetime.date,
    source: str,
    by: User | None = None,
    note: str = "",
) -> LevelChange:
    """Record a new official level and keep ``Kampung.official_level`` equal to the latest change.

    History only grows forward: a change dated before the kampung's latest one is refused, since
    slotting it in would leave the later row's "from" level wrong.
    """
    # Lock the kampung row so two verifications of the same kampung cannot interleave.
    kampung = Kampung.objects.select_for_update().get(pk=kampung.pk)
    latest = (
        LevelChange.objects.filter(kampung=kampung)
        .order_by("-effective_date", "-created_at", "-id")
        .values("level_to_id", "effective_date")
        .first()
    )
    if latest and effective_date < latest["effective_date"]:
        raise ValidationError(
            {
                "effective_date": ValidationError(
                    _("Tanggal berlaku tidak boleh sebelum perubahan level terakhir (%(date)s)."),
                    code="before_latest_change",
                    params={"date": date_format(latest["effective_date"], "SHORT_DATE_FORMAT")},
                )
            }
        )
    previous = latest["level_to_id"] if latest else None
    if previous == level.code:
        raise ValidationError(
            {
                "level": ValidationError(
                    _("Kampung ini sudah berada di level %(level)s."),
                    code="same_level",
                    params={"level": level.label},
                )
            }
        )
    change = LevelChange(
        kampung=kampung,
        level_from_id=previous,
        level_to=level,
        effective_date=effective_date,
        source=source,
        changed_by=by,
        note=note,
    )
    change.full_clean()
    change.save()
    # No version bump: the version guards the identity form, which a level change doesn't touch.
    Kampung.objects.filter(pk=kampung.pk).update(
        official_level_id=level.code, official_level_since=effective_date
    )
    return change
