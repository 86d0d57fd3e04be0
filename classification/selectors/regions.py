"""Which kabupaten a user reads, and which one their pages open on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404

from .. import permissions
from ..models import (
    Kabupaten,
    Kecamatan,
    Provinsi,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def kabupaten_for_user(*, user: User | AnonymousUser, kode: str) -> Kabupaten:
    """The kabupaten ``kode`` if the user may read it; 404 otherwise (never reveal what exists)."""
    if not permissions.can_view_kabupaten(user, kode):
        raise Http404
    try:
        return Kabupaten.objects.select_related("provinsi").get(kode=kode)
    except Kabupaten.DoesNotExist as exc:
        raise Http404 from exc


def provinsi_for_user(*, user: User | AnonymousUser, kode: str) -> Provinsi:
    """The provinsi ``kode`` if the user reads all of it (its roll-up); 404 otherwise."""
    if not permissions.reads_whole_provinsi(user, kode):
        raise Http404
    provinsi = Provinsi.objects.filter(kode=kode).first()
    if provinsi is None:
        raise Http404
    return provinsi


def home_kabupaten_code(*, user: User | AnonymousUser) -> str | None:
    """The kabupaten a user's dashboard opens on: their own district, else the first in scope."""
    own = permissions.own_kabupaten_code(user)
    if own is not None:
        return own
    if permissions.has_provinsi_scope(user):
        # The first kabupaten of their provinsi that has Kampung KB.
        return (
            Kabupaten.objects.visible_to(user)
            .filter(kecamatan__kampung__isnull=False)
            .order_by("kode")
            .values_list("kode", flat=True)
            .first()
        )
    if permissions.has_national_scope(user):
        return settings.DEFAULT_KABUPATEN
    return None


def readable_kabupaten(*, user: User | AnonymousUser) -> list[Kabupaten]:
    """The kabupaten with Kampung KB the user may read, by code (one query).

    For the district chooser of reviewers who read several; superusers get every one.
    """
    queryset = Kabupaten.objects.filter(
        kode__in=Kecamatan.objects.filter(kampung__isnull=False).values("kabupaten_id")
    ).visible_to(user)
    return list(queryset.order_by("kode"))
