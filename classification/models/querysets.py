"""Chainable, permission-aware filters on Kampung (as NetBox hangs ``restrict`` on querysets)."""

from django.db import models

from ..permissions import access_for, kampung_edit_filter, kampung_read_filter


class KampungQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KampungQuerySet":
        limit = kampung_read_filter(access_for(user))
        return self if limit is None else self.filter(limit)

    def editable_by(self, user) -> "KampungQuerySet":
        limit = kampung_edit_filter(access_for(user))
        return self if limit is None else self.filter(limit)

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
