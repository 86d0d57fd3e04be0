"""Provinsi, kabupaten and kecamatan, keyed by their dotted Kemendagri codes."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import KabupatenQuerySet, KecamatanQuerySet


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

    objects = KabupatenQuerySet.as_manager()

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

    objects = KecamatanQuerySet.as_manager()

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
