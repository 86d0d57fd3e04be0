"""KampungInputs: a kampung's records as the scoring rule reads them, as plain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .vocabularies import (
    CONTRACEPTIVE_METHODS,
    DATA_SOURCES,
    FUNDING_SOURCES,
    MECHANISMS,
    NON_USE_REASONS,
    POKTAN,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

_SET_FIELDS: Final[dict[str, Mapping[str, StrOrPromise]]] = {
    "funding_sources": FUNDING_SOURCES,
    "poktan_present": POKTAN,
    "data_sources": DATA_SOURCES,
    "mechanisms": MECHANISMS,
}


_COUNT_FIELDS: Final[tuple[str, ...]] = (
    "cross_sector_agencies",
    "families",
    "families_with_balita",
    "families_with_remaja",
    "families_with_lansia",
    "remaja",
    *(f"participants_{p}" for p in POKTAN),
    "pus",
    *(f"users_{m}" for m in CONTRACEPTIVE_METHODS),
    *(f"not_using_{r}" for r in NON_USE_REASONS),
)


@dataclass(frozen=True)
class KampungInputs:
    """The raw answers the §2 rule needs, flat; ``None`` means missing (and scores 1).

    The Django side fills this from the kampung's current Profile and Figures. Set fields take
    the codes of ``FUNDING_SOURCES``, ``POKTAN``, ``DATA_SOURCES`` and ``MECHANISMS`` (any
    iterable is accepted and stored as a frozenset; ``None`` means none). Counts must be ≥ 0.
    ``cross_sector_agencies`` is the number of distinct agencies in recorded activities, not
    counting the KB office or BKKBN: the caller counts them.
    """

    # I1 Pokja
    pokja_exists: bool | None = None
    pokja_has_members: bool | None = None
    pokja_members_trained: bool | None = None
    # I2 funding sources, I3 poktan present
    funding_sources: frozenset[str] = frozenset()
    poktan_present: frozenset[str] = frozenset()
    # I4 sarana
    has_sekretariat: bool | None = None
    has_rumah_dataku: bool | None = None
    # I5 PLKB/PKB pendamping, regional regulation (SK/Instruksi/SE)
    has_pendamping: bool | None = None
    has_regulation: bool | None = None
    # P1 data sources used in planning, P2 operational mechanisms, P3 cross-sector agencies
    data_sources: frozenset[str] = frozenset()
    mechanisms: frozenset[str] = frozenset()
    cross_sector_agencies: int | None = None
    # O1 target groups and poktan participants
    families: int | None = None
    families_with_balita: int | None = None
    families_with_remaja: int | None = None
    families_with_lansia: int | None = None
    remaja: int | None = None
    participants_bkb: int | None = None
    participants_bkr: int | None = None
    participants_bkl: int | None = None
    participants_uppka: int | None = None
    participants_pikr: int | None = None
    # O2–O4 PUS, contraceptive users by method, PUS not using by reason
    pus: int | None = None
    users_iud: int | None = None
    users_mow: int | None = None
    users_mop: int | None = None
    users_kondom: int | None = None
    users_implan: int | None = None
    users_suntik: int | None = None
    users_pil: int | None = None
    not_using_hamil: int | None = None
    not_using_ingin_anak_segera: int | None = None
    not_using_ingin_anak_tunda: int | None = None
    not_using_tidak_ingin_anak_lagi: int | None = None

    def __post_init__(self) -> None:
        for name, vocabulary in _SET_FIELDS.items():
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"{name} must be a set of codes, not a string")
            codes = frozenset() if value is None else frozenset(value)
            unknown = codes - vocabulary.keys()
            if unknown:
                raise ValueError(
                    f"{name}: unknown code(s) {sorted(unknown)}; expected {list(vocabulary)}"
                )
            object.__setattr__(self, name, codes)
        for name in _COUNT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int or None, not {value!r}")
            if value < 0:
                raise ValueError(f"{name} cannot be negative ({value})")
