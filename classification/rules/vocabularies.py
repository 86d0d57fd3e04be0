"""The codes Pokja records use (funding, poktan, methods, reasons) and the indicator groups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Labels are lazy (translated where they are shown); acronyms (APBN, BKB, CPR …) read the same
# in every language and stay plain.

# --------------------------------------------------------------------------------------------
# Vocabularies (domain.md §2 table and §3)
# --------------------------------------------------------------------------------------------

FUNDING_SOURCES: Final[dict[str, StrOrPromise]] = {
    "apbn": "APBN",
    "apbd": "APBD",
    "dana_desa": _("Dana Desa"),
    "hibah": _("Donasi/Hibah"),
    "csr": "CSR",
    "swadaya": _("Swadaya"),
}


POKTAN: Final[dict[str, StrOrPromise]] = {
    "bkb": "BKB",
    "bkr": "BKR",
    "bkl": "BKL",
    "uppka": "UPPKA",
    "pikr": "PIK-R",
}


DATA_SOURCES: Final[dict[str, StrOrPromise]] = {
    "pk": _("PK dan pemutakhiran data"),
    "rutin_bkkbn": _("data rutin BKKBN"),
    "potensi_desa": _("data Potensi Desa"),
    "sektoral": _("data sektoral"),
    "lainnya": _("sumber data lainnya"),
}


MECHANISMS: Final[dict[str, StrOrPromise]] = {
    "rapat_perencanaan": _("rapat perencanaan"),
    "rakor_opd": _("rakor dengan OPD"),
    "sosialisasi": _("sosialisasi"),
    "monev": _("monev"),
    "laporan": _("penyusunan laporan"),
}


CONTRACEPTIVE_METHODS: Final[tuple[str, ...]] = (
    "iud",
    "mow",
    "mop",
    "kondom",
    "implan",
    "suntik",
    "pil",
)


MKJP_METHODS: Final[tuple[str, ...]] = ("iud", "mow", "mop", "implan")


SHORT_TERM_METHODS: Final[tuple[str, ...]] = ("kondom", "suntik", "pil")


NON_USE_REASONS: Final[tuple[str, ...]] = (
    "hamil",
    "ingin_anak_segera",
    "ingin_anak_tunda",
    "tidak_ingin_anak_lagi",
)


UNMET_NEED_REASONS: Final[tuple[str, ...]] = ("ingin_anak_tunda", "tidak_ingin_anak_lagi")


# O1: each poktan's target group, as a KampungInputs field, and how to name it to a user.
POKTAN_TARGETS: Final[dict[str, str]] = {
    "bkb": "families_with_balita",
    "bkr": "families_with_remaja",
    "bkl": "families_with_lansia",
    "uppka": "families",
    "pikr": "remaja",
}


GROUPS: Final[tuple[str, ...]] = ("input", "proses", "output")


GROUP_LABELS: Final[dict[str, StrOrPromise]] = {
    "input": _("Input"),
    "proses": _("Proses"),
    "output": _("Output"),
}


GROUP_INDICATORS: Final[dict[str, tuple[str, ...]]] = {
    "input": ("i1", "i2", "i3", "i4", "i5"),
    "proses": ("p1", "p2", "p3"),
    "output": ("o1", "o2", "o3", "o4"),
}


INDICATORS: Final[tuple[str, ...]] = tuple(c for g in GROUPS for c in GROUP_INDICATORS[g])


INDICATOR_LABELS: Final[dict[str, StrOrPromise]] = {
    "i1": "Pokja",
    "i2": _("Sumber dana"),
    "i3": _("Poktan"),
    "i4": _("Sarana"),
    "i5": _("Pendamping dan regulasi"),
    "p1": _("Sumber data perencanaan"),
    "p2": _("Mekanisme operasional"),
    "p3": _("Kerja sama lintas sektor"),
    "o1": _("Partisipasi poktan"),
    "o2": "CPR",
    "o3": "MKJP",
    "o4": _("Unmet need"),
}
