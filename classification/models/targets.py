"""TargetPolicy: a kabupaten's 5%-a-year target settings."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .regions import Kabupaten


class TargetPolicy(models.Model):
    """How a kabupaten's 5%-a-year target is computed (domain.md §4, a working rule)."""

    class Rounding(models.TextChoices):
        UP = "up", _("Dibulatkan ke atas")
        NEAREST = "nearest", _("Dibulatkan ke terdekat")
        DOWN = "down", _("Dibulatkan ke bawah")

    kabupaten = models.OneToOneField(
        Kabupaten,
        on_delete=models.CASCADE,
        related_name="target_policy",
        verbose_name=_("kabupaten"),
    )
    baseline_date = models.DateField(_("tanggal data awal"))
    annual_percent = models.DecimalField(
        _("persen per tahun"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    rounding = models.CharField(
        _("pembulatan"), max_length=10, choices=Rounding.choices, default=Rounding.UP
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kebijakan target")
        verbose_name_plural = _("kebijakan target")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_percent__gt=0) & Q(annual_percent__lte=100),
                name="targetpolicy_percent_in_range",
                violation_error_message=_(
                    "Persen per tahun harus di atas 0 dan paling banyak 100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(kabupaten)s: %(percent)s%% / tahun") % {
            "kabupaten": self.kabupaten,
            "percent": formats.localize(self.annual_percent),
        }
