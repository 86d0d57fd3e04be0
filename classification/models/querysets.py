"""Chainable, permission-aware filters on Kampung (as NetBox hangs ``restrict`` on querysets).

Kabupaten and Kecamatan get the same ``visible_to``; every limit comes from ``permissions``.
"""

from django.db import models

from ..permissions import (
    kabupaten_read_filter,
    kampung_edit_filter,
    kampung_manage_filter,
    kampung_read_filter,
)


def _narrowed(queryset, limit):
    """``queryset`` filtered by a permissions filter (None: no limit)."""
    return queryset if limit is None else queryset.filter(limit)


class KampungQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KampungQuerySet":
        return _narrowed(self, kampung_read_filter(user))

    def editable_by(self, user) -> "KampungQuerySet":
        return _narrowed(self, kampung_edit_filter(user))

    def managed_by(self, user) -> "KampungQuerySet":
        """Kampung of the kabupaten the user manages as DP3A staff (not a Pokja's own)."""
        return _narrowed(self, kampung_manage_filter(user))

    def in_kabupaten(self, kabupaten_kode: str) -> "KampungQuerySet":
        return self.filter(kecamatan__kabupaten_id=kabupaten_kode)

    def in_kecamatan(self, kecamatan_kode: str) -> "KampungQuerySet":
        return self.filter(kecamatan_id=kecamatan_kode)

    def active(self) -> "KampungQuerySet":
        return self.filter(is_active=True)

    def for_listing(self) -> "KampungQuerySet":
        """What a table row shows, fetched in the same query."""
        return self.select_related("kecamatan", "official_level", "estimated_level").defer(
            "boundary"
        )


class KabupatenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KabupatenQuerySet":
        return _narrowed(self, kabupaten_read_filter(user))


class KecamatanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KecamatanQuerySet":
        return _narrowed(self, kabupaten_read_filter(user, "kabupaten"))
