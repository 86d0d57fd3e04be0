"""One kampung as a user may read it, its level history, and its public page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import Http404

from ..models import (
    Kampung,
    LevelChange,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def kampung_for_user(*, user: User | AnonymousUser, desa_kode: str) -> Kampung:
    """One kampung the user may read, with its region; 404 when out of reach."""
    try:
        return (
            Kampung.objects.visible_to(user)
            .select_related("kecamatan__kabupaten__provinsi", "official_level")
            .defer("boundary")
            .get(desa_kode=desa_kode)
        )
    except Kampung.DoesNotExist as exc:
        raise Http404 from exc


def level_history(*, kampung: Kampung) -> list[LevelChange]:
    return list(
        kampung.level_changes.select_related("level_from", "level_to", "changed_by").order_by(
            "-effective_date", "-created_at", "-id"
        )
    )


def public_kampung(*, desa_kode: str) -> Kampung:
    """An active kampung for its public page (anyone may read it); 404 otherwise."""
    try:
        return (
            Kampung.objects.active()
            .select_related("kecamatan__kabupaten", "official_level")
            .defer("boundary")
            .get(desa_kode=desa_kode)
        )
    except Kampung.DoesNotExist as exc:
        raise Http404 from exc


def public_activities(*, kampung: Kampung, limit: int = 5) -> list[Mapping[str, Any]]:
    """Date and title of the latest activities: all the public page shows (one query)."""
    return list(kampung.activities.order_by("-date", "-id").values("date", "title")[:limit])
