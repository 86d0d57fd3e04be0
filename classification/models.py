"""Regions, Kampung KB, their official level and its history, and who may act on them."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from . import levels
from .querysets import KampungQuerySet
from .validators import validate_photo


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
    photo = models.ImageField(
        _("foto"), upload_to="kampung/%Y/", blank=True, validators=[validate_photo]
    )
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
    # The national scoring rule's verdict on the kampung's own data (advice, never official).
    # Kept in step by services.kampung_refresh_estimate whenever profile, figures or activities
    # change, so tables can filter and sort on it in SQL.
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


def _choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return list(vocabulary.items())


FUNDING_SOURCE_CHOICES = _choices(levels.FUNDING_SOURCES)
POKTAN_CHOICES = _choices(levels.POKTAN)
DATA_SOURCE_CHOICES = _choices(levels.DATA_SOURCES)
MECHANISM_CHOICES = _choices(levels.MECHANISMS)


class Frequency(models.TextChoices):
    TIDAK = "tidak", _("Tidak dilaksanakan")
    TAHUNAN = "tahunan", _("Tahunan")
    SEMESTERAN = "semesteran", _("Per semester")
    TRIWULANAN = "triwulanan", _("Per triwulan")
    BULANAN = "bulanan", _("Bulanan")


class KampungProfile(models.Model):
    """One dated version of a kampung's profile (domain.md §3); the latest is current.

    Every save adds a version; nothing is overwritten, so earlier answers stay readable.
    """

    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("kampung")
    )
    created_at = models.DateTimeField(_("disimpan pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disimpan oleh"),
    )
    # I1 Pokja
    pokja_exists = models.BooleanField(_("Pokja sudah dibentuk"), default=False)
    pokja_sk_nomor = models.CharField(_("nomor SK Pokja"), max_length=100, blank=True)
    pokja_sk_tanggal = models.DateField(_("tanggal SK Pokja"), null=True, blank=True)
    pokja_members = models.PositiveIntegerField(_("jumlah anggota Pokja"), default=0)
    pokja_members_trained = models.PositiveIntegerField(
        _("anggota Pokja yang sudah dilatih"), default=0
    )
    # I2, I3: codes from levels.FUNDING_SOURCES and levels.POKTAN
    funding_sources = models.JSONField(_("sumber dana"), default=list, blank=True)
    poktan_present = models.JSONField(_("poktan yang ada"), default=list, blank=True)
    # I4, I5
    has_sekretariat = models.BooleanField(_("ada sekretariat"), default=False)
    has_rumah_dataku = models.BooleanField(_("ada Rumah DataKu"), default=False)
    has_pendamping = models.BooleanField(_("ada PLKB/PKB pendamping"), default=False)
    pendamping_nama = models.CharField(_("nama PLKB/PKB"), max_length=100, blank=True)
    has_regulation = models.BooleanField(_("ada regulasi daerah (SK/Instruksi/SE)"), default=False)
    regulation_note = models.CharField(_("regulasi"), max_length=300, blank=True)
    has_rkm = models.BooleanField(_("ada Rencana Kegiatan Masyarakat (RKM)"), default=False)
    rkm_note = models.TextField(_("RKM"), blank=True)
    # P1: codes from levels.DATA_SOURCES; P2: {mechanism code: Frequency}
    data_sources = models.JSONField(_("sumber data perencanaan"), default=list, blank=True)
    mechanisms = models.JSONField(_("mekanisme operasional"), default=dict, blank=True)
    is_demo = models.BooleanField(_("data demo"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("profil kampung")
        verbose_name_plural = _("profil kampung")
        constraints = [
            models.CheckConstraint(
                condition=Q(pokja_members_trained__lte=F("pokja_members")),
                name="profile_trained_within_members",
                violation_error_message=_(
                    "Anggota terlatih tidak boleh melebihi jumlah anggota Pokja."
                ),
            ),
        ]
        indexes = [models.Index(fields=["kampung", "-created_at"], name="profile_latest_idx")]

    def __str__(self) -> str:
        return f"{self.kampung_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def mechanisms_held(self) -> list[str]:
        return [code for code, freq in self.mechanisms.items() if freq and freq != Frequency.TIDAK]


POKTAN_TARGET_FIELDS = {
    # O1: each poktan's participants are counted against its target group (domain.md §2).
    "participants_bkb": "families_with_balita",
    "participants_bkr": "families_with_remaja",
    "participants_bkl": "families_with_lansia",
    "participants_uppka": "families",
    "participants_pikr": "remaja",
}
USER_FIELDS = [f"users_{method}" for method in levels.CONTRACEPTIVE_METHODS]
NOT_USING_FIELDS = [f"not_using_{reason}" for reason in levels.NON_USE_REASONS]


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class KampungFigures(models.Model):
    """A kampung's figures for one month (domain.md §3); percentages are computed, never typed."""

    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="figures", verbose_name=_("kampung")
    )
    period = models.DateField(_("periode (bulan)"), help_text=_("Hari pertama bulan laporan."))
    created_at = models.DateTimeField(_("disimpan pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disimpan oleh"),
    )
    families = _count(_("jumlah keluarga"))
    pus = _count(_("pasangan usia subur (PUS)"))
    remaja = _count(_("jumlah remaja"))
    families_with_balita = _count(_("keluarga dengan balita"))
    families_with_remaja = _count(_("keluarga dengan remaja"))
    families_with_lansia = _count(_("keluarga dengan lansia"))
    participants_bkb = _count(_("peserta BKB"))
    participants_bkr = _count(_("peserta BKR"))
    participants_bkl = _count(_("peserta BKL"))
    participants_uppka = _count(_("peserta UPPKA"))
    participants_pikr = _count(_("peserta PIK-R"))
    users_iud = _count(_("peserta KB IUD"))
    users_mow = _count(_("peserta KB MOW"))
    users_mop = _count(_("peserta KB MOP"))
    users_kondom = _count(_("peserta KB kondom"))
    users_implan = _count(_("peserta KB implan"))
    users_suntik = _count(_("peserta KB suntik"))
    users_pil = _count(_("peserta KB pil"))
    not_using_hamil = _count(_("PUS bukan peserta KB: hamil"))
    not_using_ingin_anak_segera = _count(_("PUS bukan peserta KB: ingin anak segera"))
    not_using_ingin_anak_tunda = _count(_("PUS bukan peserta KB: ingin anak ditunda"))
    not_using_tidak_ingin_anak_lagi = _count(_("PUS bukan peserta KB: tidak ingin anak lagi"))
    is_demo = models.BooleanField(_("data demo"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period"]
        get_latest_by = "period"
        verbose_name = _("angka kampung")
        verbose_name_plural = _("angka kampung")
        constraints = [
            models.UniqueConstraint(
                fields=["kampung", "period"],
                name="figures_one_per_kampung_period",
                violation_error_message=_("Angka untuk periode ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="figures_period_first_of_month",
                violation_error_message=_("Periode harus hari pertama bulan."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{participants}__lte": F(target)}),
                    name=f"figures_{participants}_within_target",
                    violation_error_message=_("Peserta poktan melebihi kelompok sasarannya."),
                )
                for participants, target in POKTAN_TARGET_FIELDS.items()
            ],
            models.CheckConstraint(
                condition=Q(
                    pus=sum((F(name) for name in USER_FIELDS[1:]), F(USER_FIELDS[0]))
                    + sum((F(name) for name in NOT_USING_FIELDS[1:]), F(NOT_USING_FIELDS[0]))
                ),
                name="figures_users_plus_non_users_is_pus",
                violation_error_message=_(
                    "Peserta KB ditambah PUS bukan peserta KB harus sama dengan jumlah PUS."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kampung_id} {self.period:%Y-%m}"

    @property
    def total_users(self) -> int:
        return sum(getattr(self, name) for name in USER_FIELDS)


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


class Activity(models.Model):
    """A kegiatan/intervensi; its agencies feed indicator P3."""

    class Category(models.TextChoices):
        KEAGAMAAN = "keagamaan", _("Fungsi keagamaan")
        SOSIAL_BUDAYA = "sosial_budaya", _("Fungsi sosial budaya")
        CINTA_KASIH = "cinta_kasih", _("Fungsi cinta kasih")
        PERLINDUNGAN = "perlindungan", _("Fungsi perlindungan")
        REPRODUKSI = "reproduksi", _("Fungsi reproduksi")
        PENDIDIKAN = "pendidikan", _("Fungsi sosialisasi dan pendidikan")
        EKONOMI = "ekonomi", _("Fungsi ekonomi")
        LINGKUNGAN = "lingkungan", _("Fungsi pembinaan lingkungan")
        LAINNYA = "lainnya", _("Lainnya")

    class TargetGroup(models.TextChoices):
        BALITA = "balita", _("Keluarga dengan balita")
        REMAJA = "remaja", _("Remaja")
        PUS = "pus", _("Pasangan usia subur")
        LANSIA = "lansia", _("Lansia")
        KELUARGA = "keluarga", _("Semua keluarga")
        PEREMPUAN = "perempuan", _("Perempuan dan anak")

    kampung = models.ForeignKey(
        Kampung, on_delete=models.CASCADE, related_name="activities", verbose_name=_("kampung")
    )
    date = models.DateField(_("tanggal"))
    title = models.CharField(_("judul"), max_length=200)
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    target_groups = models.JSONField(_("sasaran"), default=list, blank=True)
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="activities", verbose_name=_("instansi terlibat")
    )
    program = models.ForeignKey(
        ThematicProgram,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("program tematik"),
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    is_demo = models.BooleanField(_("data demo"), default=False, editable=False)

    history = HistoricalRecords(m2m_fields=["agencies"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        indexes = [models.Index(fields=["kampung", "-date"], name="activity_kampung_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Assessment(models.Model):
    """A Pokja's self-assessment for one period, snapshotted at submission, verified by DP3A.

    Flow: draft → submitted → verified, or returned (with the reviewer's note) → submitted again.
    Verifying may set the official level, always through ``services.kampung_set_level``.
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


# Pokja accounts are created, reset and deactivated by DP3A staff from the site: keep those
# changes in the audit trail too (never the password hash, nor every login).
register(User, app="classification", excluded_fields=["password", "last_login"])
