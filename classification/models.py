"""Regions, Kampung KB, their official level and its history, and who may act on them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import KampungQuerySet


class Provinsi(models.Model):
    """A province, keyed by its Kemendagri code (``63``)."""

    kode = models.CharField(_("kode"), max_length=2, primary_key=True)
    nama = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.nama


class Kabupaten(models.Model):
    """A kabupaten or kota, keyed by its dotted Kemendagri code (``63.01``)."""

    kode = models.CharField(_("kode"), max_length=5, primary_key=True)
    nama = models.CharField(_("nama"), max_length=100)
    provinsi = models.ForeignKey(
        Provinsi, on_delete=models.PROTECT, related_name="kabupaten", verbose_name=_("provinsi")
    )
    demo_levels = models.BooleanField(
        _("level per kampung ilustratif"),
        default=False,
        help_text=_("Dinyalakan oleh pemuat demo: level per kampung bukan data resmi."),
    )

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.CheckConstraint(
                condition=Q(kode__startswith=F("provinsi_id")),
                name="kabupaten_kode_within_provinsi",
                violation_error_message=_("Kode kabupaten harus diawali kode provinsinya."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    def get_absolute_url(self) -> str:
        return reverse("classification:district_dashboard", args=[self.kode])

    @property
    def is_kota(self) -> bool:
        # Kemendagri: a third digit of 7 marks a kota (63.71 Banjarmasin).
        return self.kode[3] == "7"


class Kecamatan(models.Model):
    """A kecamatan, keyed by its dotted Kemendagri code (``63.01.03``)."""

    kode = models.CharField(_("kode"), max_length=8, primary_key=True)
    nama = models.CharField(_("nama"), max_length=100)
    kabupaten = models.ForeignKey(
        Kabupaten, on_delete=models.PROTECT, related_name="kecamatan", verbose_name=_("kabupaten")
    )

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(kode__startswith=F("kabupaten_id")),
                name="kecamatan_kode_within_kabupaten",
                violation_error_message=_("Kode kecamatan harus diawali kode kabupatennya."),
            ),
        ]

    def __str__(self) -> str:
        return self.nama


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
        """Mandiri or above: what the 5%-a-year target counts."""
        return self.rank >= UPPER_LEVEL_MIN_RANK


UPPER_LEVEL_MIN_RANK = 3  # mandiri


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
    is_active = models.BooleanField(_("aktif"), default=True)
    # Denormalised copy of the latest LevelChange, kept in step by services.kampung_set_level.
    official_level = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level resmi"),
    )
    official_level_since = models.DateField(_("level resmi sejak"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    objects = KampungQuerySet.as_manager()

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
        return self.nama_kampung or f"Kampung KB {self.desa_nama}"


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
            # "Level at date D" and year-end snapshots: latest change per kampung up to D.
            models.Index(fields=["kampung", "effective_date"], name="levelchange_kampung_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kampung_id}: {self.level_from_id or '-'} → {self.level_to_id}"


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
        return f"{self.kabupaten}: {self.annual_percent}% / tahun"


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
