"""Assessment: a Pokja's self-assessment and its review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .kampung import Kampung
from .levels import ClassificationLevel
from .records import KampungFigures, KampungProfile


class Assessment(models.Model):
    """A Pokja's self-assessment for one period, snapshotted at submission, verified by DP3A.

    Flow: draft → submitted → verified, or returned (with the reviewer's note) → submitted again.
    Verifying may set the official level, always through ``services.levels.kampung_set_level``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        VERIFIED = "verified", _("Diverifikasi")
        RETURNED = "returned", _("Dikembalikan")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)

    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("kampung")
    )
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan penilaian."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The snapshot: profile and figures rows are never edited, so pointing at them is enough;
    # the scores are copied because the rule itself may change.
    profile = models.ForeignKey(
        KampungProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profil yang dinilai"),
    )
    figures = models.ForeignKey(
        KampungFigures,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angka yang dinilai"),
    )
    cross_sector_agencies = models.PositiveSmallIntegerField(_("instansi lintas sektor"), default=0)
    scores = models.JSONField(_("skor indikator"), default=dict)
    index_input = models.DecimalField(_("indeks input"), max_digits=3, decimal_places=2, null=True)
    index_proses = models.DecimalField(
        _("indeks proses"), max_digits=3, decimal_places=2, null=True
    )
    index_output = models.DecimalField(
        _("indeks output"), max_digits=3, decimal_places=2, null=True
    )
    estimated_level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("level estimasi"),
    )
    official_level_at_submission = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level resmi saat diajukan"),
    )
    proposed_level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level yang diusulkan"),
    )
    pokja_note = models.TextField(_("catatan Pokja"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    review_note = models.TextField(_("catatan pemeriksa"), blank=True)
    verified_level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level hasil verifikasi"),
    )
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        constraints = [
            models.UniqueConstraint(
                fields=["kampung"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="assessment_one_open_per_kampung",
                violation_error_message=_(
                    "Kampung ini masih punya penilaian yang belum selesai diverifikasi."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="assessment_period_first_of_month",
                violation_error_message=_("Periode harus hari pertama bulan."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_note=""),
                name="assessment_returned_has_note",
                violation_error_message=_("Penilaian yang dikembalikan harus diberi catatan."),
            ),
        ]
        indexes = [
            # The verification queue: submitted assessments, oldest first.
            models.Index(fields=["status", "submitted_at"], name="assessment_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kampung_id} {self.period:%Y-%m} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
