"""Agencies (instansi), thematic programmes and a kampung's programme tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .kampung import Kampung


class Agency(models.Model):
    """A cross-sector partner (instansi) named in activities; P3 counts the distinct ones."""

    name = models.CharField(_("nama"), max_length=150, unique=True)
    counts_for_cross_sector = models.BooleanField(
        _("dihitung lintas sektor"),
        default=True,
        help_text=_("Tidak untuk OPD KB dan BKKBN sendiri (indikator P3)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class ThematicProgram(models.Model):
    """A village programme Kampung KB is integrated with (Kampung Bersinar, DRPPA, …)."""

    name = models.CharField(_("nama"), max_length=150, unique=True)
    owner = models.CharField(_("pemilik program"), max_length=150, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program tematik")
        verbose_name_plural = _("program tematik")

    def __str__(self) -> str:
        return self.name


class KampungProgram(models.Model):
    """A kampung's tag for one thematic programme, with since when and its status."""

    class Status(models.TextChoices):
        RINTISAN = "rintisan", _("Rintisan")
        AKTIF = "aktif", _("Aktif")
        BERHENTI = "berhenti", _("Berhenti")

    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="programs", verbose_name=_("kampung")
    )
    program = models.ForeignKey(
        ThematicProgram,
        on_delete=models.PROTECT,
        related_name="kampung_tags",
        verbose_name=_("program"),
    )
    since = models.DateField(_("sejak"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AKTIF
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["program__name"]
        verbose_name = _("program tematik kampung")
        verbose_name_plural = _("program tematik kampung")
        constraints = [
            models.UniqueConstraint(
                fields=["kampung", "program"],
                name="kampungprogram_unique",
                violation_error_message=_("Kampung ini sudah ditandai dengan program tersebut."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kampung_id}: {self.program}"
