"""The four Kampung KB level codes, their order and labels, and reading a level from text."""

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

# --------------------------------------------------------------------------------------------
# Levels
# --------------------------------------------------------------------------------------------


class Level(StrEnum):
    """The four Kampung KB levels, lowest first (domain.md §2).

    Members are ``str`` (``Level.MANDIRI == "mandiri"``), so they store straight into a
    ``CharField``. Compare levels with ``rank``, never with ``<`` (that compares the text).
    """

    DASAR = "dasar"
    BERKEMBANG = "berkembang"
    MANDIRI = "mandiri"
    PARIPURNA = "paripurna"

    @property
    def rank(self) -> int:
        """1 for dasar … 4 for paripurna."""
        return LEVEL_ORDER.index(self) + 1

    @property
    def label(self) -> str:
        """The default Indonesian label (districts may configure their own)."""
        return DEFAULT_LABELS[self.value]


LEVEL_ORDER: Final[tuple[Level, ...]] = tuple(Level)


DEFAULT_LABELS: Final[dict[str, str]] = {
    "dasar": "Dasar",
    "berkembang": "Berkembang",
    "mandiri": "Mandiri",
    "paripurna": "Paripurna",
}


# The national portal and Peraturan BKKBN 20/2023 call the top level "Berkelanjutan" (§2).
BKKBN_EXPORT_CODES: Final[dict[str, str]] = {
    "dasar": "dasar",
    "berkembang": "berkembang",
    "mandiri": "mandiri",
    "paripurna": "berkelanjutan",
}


def level_rank(code: str) -> int:
    """Rank 1..4 of a level code; ``ValueError`` for anything that is not a code."""
    return Level(code).rank


def parse_level(text: str, labels: Mapping[str, str] | None = None) -> Level:
    """Read a level from a code or label, ignoring case and surrounding spaces.

    "berkelanjutan" (the BKKBN name, §2) means paripurna. ``labels`` adds a district's own
    labels to the defaults. Anything else raises ``ValueError``.
    """
    try:
        key = text.strip().casefold()
    except AttributeError:
        raise ValueError(f"not a level: {text!r}") from None
    aliases: dict[str, Level] = {}
    for mapping in (DEFAULT_LABELS, BKKBN_EXPORT_CODES, labels or {}):
        for code, alias in mapping.items():
            aliases[alias.strip().casefold()] = Level(code)
    for level in Level:
        aliases[level.value] = level
    try:
        return aliases[key]
    except KeyError:
        raise ValueError(f"not a level: {text!r}") from None
