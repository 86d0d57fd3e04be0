"""Kampung KB: one per desa/kelurahan, with its official and estimated level."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import validate_photo
from .levels import ClassificationLevel
from .querysets import KampungQuerySet
from .regions import Kecamatan

# The kampung's own description, which its Pokja edits: the identity form, its service and the
# audit trail all name these fields.
IDENTITY_FIELDS = (
    "nama_kampung",
    "tanggal_pencanangan",
    "gambaran_umum",
    "cakupan_wilayah",
    "latitude",
    "longitude",
    "photo",
)


class Kampung(models.Model):
    """A Kampung KB: one per desa/kelurahan, keyed by the desa's dotted Kemendagri code."""

    class Jenis(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    desa_kode = models.CharField(_("kode desa/kelurahan"), max_length=13, unique=True)
    desa_nama = models.CharField(_("desa/kelurahan"), max_length=100)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kampung", verbose_name=_("kecamatan")
    )
    nama_kampung = models.CharField(_("nama Kampung KB"), max_length=150, blank=True)
    tanggal_pencanangan = models.DateField(_("tanggal pencanangan"), null=True, blank=True)
    gambaran_umum = models.TextField(_("gambaran umum"), blank=True)
    cakupan_wilayah = models.CharField(_("cakupan wilayah"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # GeoJSON geometry for the district map; only districts whose boundaries were loaded have it.
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"), null=True, blank=True, editable=False)
    photo = models.ImageField(
        _("foto"), upload_to="kampung/%Y/", blank=True, validators=[validate_photo]
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # Denormalised copy of the latest LevelChange, kept in step by
    # services.levels.kampung_set_level.
    official_level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level resmi"),
    )
    official_level_since = models.DateField(_("level resmi sejak"), null=True, blank=True)
    # The national scoring rule's verdict on the kampung's own data (advice, never official).
    # Kept in step by services.records.kampung_refresh_estimate whenever profile, figures or
    # activities change, so tables can filter and sort on it in SQL.
    estimated_level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level estimasi"),
        editable=False,
    )
    estimated_input = models.DecimalField(
        _("indeks input"), max_digits=3, decimal_places=2, null=True, editable=False
    )
    estimated_proses = models.DecimalField(
        _("indeks proses"), max_digits=3, decimal_places=2, null=True, editable=False
    )
    estimated_output = models.DecimalField(
        _("indeks output"), max_digits=3, decimal_places=2, null=True, editable=False
    )
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = KampungQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["boundary"])

    class Meta:
        ordering = ["kecamatan_id", "desa_nama"]
        verbose_name = _("Kampung KB")
        verbose_name_plural = _("Kampung KB")
        constraints = [
            models.CheckConstraint(
                condition=Q(desa_kode__startswith=F("kecamatan_id")),
                name="kampung_desa_within_kecamatan",
                violation_error_message=_("Kode desa harus diawali kode kecamatannya."),
            ),
            models.CheckConstraint(
                condition=Q(official_level__isnull=True) | Q(official_level_since__isnull=False),
                name="kampung_official_level_has_date",
                violation_error_message=_("Level resmi harus punya tanggal berlaku."),
            ),
            models.CheckConstraint(
                condition=Q(tanggal_pencanangan__isnull=True)
                | Q(tanggal_pencanangan__gte="2016-01-01"),
                name="kampung_pencanangan_from_2016",
                violation_error_message=_("Kampung KB dicanangkan paling awal tahun 2016."),
            ),
        ]
        indexes = [
            # Dashboard: counts by level within a kecamatan set.
            models.Index(fields=["kecamatan", "official_level"], name="kampung_kec_level_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("classification:kampung_detail", args=[self.desa_kode])

    def natural_key(self) -> tuple[str]:
        return (self.desa_kode,)

    @property
    def display_name(self) -> str:
        # Translators: a kampung without a name of its own, called after its village.
        return self.nama_kampung or _("Kampung KB %(desa)s") % {"desa": self.desa_nama}
