"""Which kabupaten a user reads, and which one their pages open on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import (
    Q,
)
from django.http import Http404

from ..models import (
    Kabupaten,
    Kecamatan,
)
from ..permissions import access_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def kabupaten_for_user(*, user: User | AnonymousUser, kode: str) -> Kabupaten:
    """The kabupaten ``kode`` if the user may read it; 404 otherwise (never reveal what exists)."""
    if not access_for(user).reads_kabupaten(kode):
        raise Http404
    try:
        return Kabupaten.objects.select_related("provinsi").get(kode=kode)
    except Kabupaten.DoesNotExist as exc:
        raise Http404 from exc


def home_kabupaten_code(*, user: User | AnonymousUser) -> str | None:
    """The kabupaten a user's dashboard opens on: their own district, else the first in scope."""
    access = access_for(user)
    for codes in (access.managed_kabupaten, access.read_kabupaten):
        if codes:
            return min(codes)
    if access.read_provinsi:
        return (
            Kabupaten.objects.filter(
                provinsi_id__in=access.read_provinsi, kecamatan__kampung__isnull=False
            )
            .order_by("kode")
            .values_list("kode", flat=True)
            .first()
        )
    if access.sees_everything:
        return settings.DEFAULT_KABUPATEN
    return None


def readable_kabupaten(*, user: User | AnonymousUser) -> list[Kabupaten]:
    """The kabupaten with Kampung KB the user may read, by code (one query).

    For the district chooser of reviewers who read several; superusers get every one.
    """
    access = access_for(user)
    queryset = Kabupaten.objects.filter(
        kode__in=Kecamatan.objects.filter(kampung__isnull=False).values("kabupaten_id")
    )
    if not access.sees_everything:
        queryset = queryset.filter(
            Q(kode__in=access.read_kabupaten) | Q(provinsi_id__in=access.read_provinsi)
        )
    return list(queryset.order_by("kode"))
