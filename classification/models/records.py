"""A kampung's records: profile versions, monthly figures and activities (kegiatan)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.figures import NOT_USING_FIELDS, POKTAN_TARGET_FIELDS, USER_FIELDS
from ..rules.vocabularies import DATA_SOURCES, FUNDING_SOURCES, MECHANISMS, POKTAN
from .kampung import Kampung
from .programs import Agency, ThematicProgram

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _choices(vocabulary: dict[str, StrOrPromise]) -> list[tuple[str, StrOrPromise]]:
    return list(vocabulary.items())


FUNDING_SOURCE_CHOICES = _choices(FUNDING_SOURCES)


POKTAN_CHOICES = _choices(POKTAN)


DATA_SOURCE_CHOICES = _choices(DATA_SOURCES)


MECHANISM_CHOICES = _choices(MECHANISMS)


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
    # I2, I3: codes from rules.vocabularies.FUNDING_SOURCES and rules.vocabularies.POKTAN
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
    # P1: codes from rules.vocabularies.DATA_SOURCES; P2: {mechanism code: Frequency}
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


def _count(label: StrOrPromise) -> models.PositiveIntegerField[int, int]:
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

    @classmethod
    def field_label(cls, name: str) -> StrOrPromise:
        """A count field's label, as the figures rules name it in their messages."""
        field = cls._meta.get_field(name)
        assert isinstance(field, models.Field)  # a count field, never a relation
        return field.verbose_name

    @property
    def total_users(self) -> int:
        return sum(getattr(self, name) for name in USER_FIELDS)


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
