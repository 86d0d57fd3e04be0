"""Chainable, permission-aware filters on Kampung (as NetBox hangs ``restrict`` on querysets)."""

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

from ..permissions import access_for, kampung_edit_filter, kampung_read_filter

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from .kampung import Kampung  # noqa: F401  (named as a string in the TypeVar below)

_KampungT = TypeVar("_KampungT", bound="Kampung", covariant=True)


class KampungQuerySet(models.QuerySet[_KampungT]):
    def visible_to(self, user: "User | AnonymousUser") -> Self:
        limit = kampung_read_filter(access_for(user))
        return self if limit is None else self.filter(limit)

    def editable_by(self, user: "User | AnonymousUser") -> Self:
        limit = kampung_edit_filter(access_for(user))
        return self if limit is None else self.filter(limit)

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
