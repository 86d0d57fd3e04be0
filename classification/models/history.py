"""LevelChange: the append-only history of official levels."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .kampung import Kampung
from .levels import ClassificationLevel


class LevelChange(models.Model):
    """Append-only history of official levels.

    The level at date D is the last change with ``effective_date`` on or before D.
    """

    class Source(models.TextChoices):
        BASELINE = "baseline", _("Data awal")
        VERIFICATION = "verification", _("Verifikasi")
        IMPORT = "import", _("Impor")
        CORRECTION = "correction", _("Koreksi")

    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="level_changes", verbose_name=_("kampung")
    )
    level_from = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dari level"),
    )
    level_to = models.ForeignKey(
        ClassificationLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("ke level")
    )
    effective_date = models.DateField(_("tanggal berlaku"))
    source = models.CharField(_("sumber"), max_length=20, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_date", "-created_at", "-id"]
        verbose_name = _("perubahan level")
        verbose_name_plural = _("perubahan level")
        constraints = [
            models.CheckConstraint(
                condition=Q(level_from__isnull=True) | ~Q(level_from=F("level_to")),
                name="levelchange_changes_level",
                violation_error_message=_("Level baru harus berbeda dari level lama."),
            ),
        ]
        indexes = [
            # "Level at date D": the latest change per kampung up to D, read straight off the
            # index in the model's ordering, with no sort per kampung.
            models.Index(
                fields=["kampung", "-effective_date", "-created_at", "-id"],
                name="levelchange_kampung_latest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kampung_id}: {self.level_from_id or '-'} → {self.level_to_id}"
