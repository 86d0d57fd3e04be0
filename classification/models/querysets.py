"""Chainable, permission-aware filters on Kampung (as NetBox hangs ``restrict`` on querysets).

Kabupaten and Kecamatan get the same ``visible_to``; every limit comes from ``permissions``.
"""

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.db.models import Q

from ..permissions import (
    kabupaten_read_filter,
    kampung_edit_filter,
    kampung_manage_filter,
    kampung_read_filter,
)

_QuerySetT = TypeVar("_QuerySetT", bound=models.QuerySet[Any])


def _narrowed(queryset: _QuerySetT, limit: Q | None) -> _QuerySetT:
    """``queryset`` filtered by a permissions filter (None: no limit)."""
    return queryset if limit is None else queryset.filter(limit)


if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from .kampung import Kampung  # noqa: F401  (named as a string in the TypeVar below)
    from .regions import Kabupaten, Kecamatan  # noqa: F401  (named as strings below)

_KampungT = TypeVar("_KampungT", bound="Kampung", covariant=True)


class KampungQuerySet(models.QuerySet[_KampungT]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        return _narrowed(self, kampung_read_filter(user))

    def editable_by(self, user: "User | AnonymousUser") -> Self:
        return _narrowed(self, kampung_edit_filter(user))

    def managed_by(self, user: "User | AnonymousUser") -> Self:
        """Kampung of the kabupaten the user manages as DP3A staff (not a Pokja's own)."""
        return _narrowed(self, kampung_manage_filter(user))

    def in_kabupaten(self, kabupaten_kode: str) -> Self:
        return self.filter(kecamatan__kabupaten_id=kabupaten_kode)

    def in_kecamatan(self, kecamatan_kode: str) -> Self:
        return self.filter(kecamatan_id=kecamatan_kode)

    def active(self) -> Self:
        return self.filter(is_active=True)

    def for_listing(self) -> Self:
        """What a table row shows, fetched in the same query."""
        return self.select_related("kecamatan", "official_level", "estimated_level").defer(
            "boundary"
        )


class KabupatenQuerySet(models.QuerySet["Kabupaten"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        return _narrowed(self, kabupaten_read_filter(user))


class KecamatanQuerySet(models.QuerySet["Kecamatan"]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        return _narrowed(self, kabupaten_read_filter(user, "kabupaten"))
