"""The four classification levels as rows, so a district can relabel them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..rules.targets import is_upper_rank


class ClassificationLevel(models.Model):
    """One of the four ordered levels; rows so a district can relabel the top one without code."""

    code = models.CharField(_("kode"), max_length=20, primary_key=True)
    rank = models.PositiveSmallIntegerField(
        _("urutan"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    label = models.CharField(_("label"), max_length=40)
    colour = models.CharField(_("warna"), max_length=7, help_text=_("Warna hex, mis. #1b9e77."))
    bkkbn_code = models.CharField(
        _("kode BKKBN"),
        max_length=20,
        help_text=_("Nama level pada format BKKBN (paripurna = berkelanjutan)."),
    )

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level klasifikasi")
        verbose_name_plural = _("level klasifikasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=4),
                name="classificationlevel_rank_1_to_4",
                violation_error_message=_("Urutan level harus 1 sampai 4."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_upper(self) -> bool:
        """Mandiri or above: what the 5%-a-year target counts (``rules.targets``)."""
        return is_upper_rank(self.rank)
