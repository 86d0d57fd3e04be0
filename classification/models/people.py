"""Who may act where: Pokja memberships and staff region scopes (plus User history)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from .kampung import Kampung
from .regions import Kabupaten, Provinsi


class PokjaMembership(models.Model):
    """A user's seat in one kampung's Pokja: what lets a Pokja member update that kampung."""

    class Jabatan(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        ANGGOTA = "anggota", _("Anggota / pengisi konten")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pokja_memberships",
        verbose_name=_("pengguna"),
    )
    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="pokja_members", verbose_name=_("kampung")
    )
    jabatan = models.CharField(
        _("jabatan"), max_length=20, choices=Jabatan.choices, default=Jabatan.ANGGOTA
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anggota Pokja")
        verbose_name_plural = _("anggota Pokja")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kampung"],
                name="pokjamembership_unique_user_kampung",
                violation_error_message=_("Pengguna ini sudah menjadi anggota Pokja kampung ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kampung}"


class RegionScope(models.Model):
    """The region a DP3A staff member or BKKBN reviewer works in: one kabupaten or one provinsi."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_scopes",
        verbose_name=_("pengguna"),
    )
    provinsi = models.ForeignKey(
        Provinsi, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("provinsi")
    )
    kabupaten = models.ForeignKey(
        Kabupaten, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("kabupaten")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cakupan wilayah pengguna")
        verbose_name_plural = _("cakupan wilayah pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(provinsi__isnull=True, kabupaten__isnull=False)
                | Q(provinsi__isnull=False, kabupaten__isnull=True),
                name="regionscope_exactly_one_region",
                violation_error_message=_("Pilih satu kabupaten atau satu provinsi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kabupaten or self.provinsi}"


# Pokja accounts are created, reset and deactivated by DP3A staff from the site: keep those
# changes in the audit trail too (never the password hash, nor every login).
register(User, app="classification", excluded_fields=["password", "last_login"])


def person_name(user: User | None) -> str:
    """How messages name a person: full name, else username; "pengguna lain" when unknown."""
    if user is None:
        return str(_("pengguna lain"))
    return user.get_full_name() or user.get_username()
