"""TargetPolicy: a kabupaten's 5%-a-year target settings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.targets import (
    DEFAULT_PERCENT,
    DEFAULT_ROUNDING,
    ROUNDING_DOWN,
    ROUNDING_NEAREST,
    ROUNDING_UP,
    TargetRule,
)
from .regions import Kabupaten


class TargetPolicy(models.Model):
    """How a kabupaten's 5%-a-year target is computed (domain.md §4, a working rule)."""

    class Rounding(models.TextChoices):
        # The codes ``rules.targets.annual_quota`` reads; the labels pages print.
        UP = ROUNDING_UP, _("Dibulatkan ke atas")
        NEAREST = ROUNDING_NEAREST, _("Dibulatkan ke terdekat")
        DOWN = ROUNDING_DOWN, _("Dibulatkan ke bawah")

    kabupaten = models.OneToOneField(
        Kabupaten,
        on_delete=models.CASCADE,
        related_name="target_policy",
        verbose_name=_("kabupaten"),
    )
    baseline_date = models.DateField(_("tanggal data awal"))
    annual_percent = models.DecimalField(
        _("persen per tahun"), max_digits=5, decimal_places=2, default=DEFAULT_PERCENT
    )
    rounding = models.CharField(
        _("pembulatan"), max_length=10, choices=Rounding.choices, default=DEFAULT_ROUNDING
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

    @classmethod
    def national_default(cls, *, kabupaten_kode: str | None = None) -> TargetPolicy:
        """The policy of a kabupaten that has none (unsaved): the field defaults, from the
        ``DEFAULT_TARGET_BASELINE_DATE`` setting's baseline (read when called)."""
        baseline = datetime.date.fromisoformat(settings.DEFAULT_TARGET_BASELINE_DATE)
        policy = cls(baseline_date=baseline)
        if kabupaten_kode is not None:
            policy.kabupaten_id = kabupaten_kode
        return policy

    @property
    def rule(self) -> TargetRule:
        """This policy as ``rules.targets`` computes with it: dates, quota, targets."""
        return TargetRule(
            baseline_date=self.baseline_date, percent=self.annual_percent, rounding=self.rounding
        )

    @property
    def rounding_phrase(self) -> str:
        """How the quota is rounded, to go inside a sentence ("dibulatkan ke atas")."""
        return rounding_phrase(self.rounding)


def rounding_phrase(rounding: str) -> str:
    """The ``TargetPolicy.Rounding`` label of ``rounding`` in the active language, lower case
    to sit inside a sentence: "dibulatkan ke atas", "dibulatkan ke bawah", "dibulatkan ke
    terdekat" (English: "rounded up" …)."""
    return str(TargetPolicy.Rounding(rounding).label).lower()
