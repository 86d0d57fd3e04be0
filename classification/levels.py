"""Kampung KB level codes and the 12-indicator scoring rule: plain Python, no ORM, no request.

Source: domain.md §2, "The scoring rule [confirmed: national portal code 2021–2023]". Everything
the rule decides lives in this module (thresholds in ``_MINIMUMS``/``_MAXIMUMS``, the decision in
``level_for_met``), so a new rule set (e.g. the 77-indicator assessment under Inpres 3/2022) can
replace it in one place.

The result is the *estimated* level: advice on the kampung's own data ("what is missing to reach
the next level"). The *official* level is set by the district and never computed here.

Decisions where §2 leaves room (each repeated where it applies):

* Percentages are computed exactly with ``Decimal`` and rounded half to even, so 81 of 200 is
  40.5 → 40 (a float computation could land just above or below the half).
* A breakdown with some blank cells (users by method, participants per poktan, unmet-need reasons)
  counts the blanks as 0; the figure is *missing* (score 1) only when its denominator is blank or
  every cell of its numerator is blank.
* Group indices are rounded to 2 decimals ROUND_HALF_UP. Only Proses (÷ 3) is not exact at
  2 decimals, and a third never ends in a half, so the choice cannot change a result.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from enum import StrEnum
from typing import Any, Final

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


def next_level(code: str) -> Level | None:
    """The level one step above ``code``, or ``None`` at paripurna."""
    rank = level_rank(code)
    return LEVEL_ORDER[rank] if rank < len(LEVEL_ORDER) else None


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


# --------------------------------------------------------------------------------------------
# Vocabularies (domain.md §2 table and §3)
# --------------------------------------------------------------------------------------------

FUNDING_SOURCES: Final[dict[str, str]] = {
    "apbn": "APBN",
    "apbd": "APBD",
    "dana_desa": "Dana Desa",
    "hibah": "Donasi/Hibah",
    "csr": "CSR",
    "swadaya": "Swadaya",
}
POKTAN: Final[dict[str, str]] = {
    "bkb": "BKB",
    "bkr": "BKR",
    "bkl": "BKL",
    "uppka": "UPPKA",
    "pikr": "PIK-R",
}
DATA_SOURCES: Final[dict[str, str]] = {
    "pk": "PK dan pemutakhiran data",
    "rutin_bkkbn": "data rutin BKKBN",
    "potensi_desa": "data Potensi Desa",
    "sektoral": "data sektoral",
    "lainnya": "sumber data lainnya",
}
MECHANISMS: Final[dict[str, str]] = {
    "rapat_perencanaan": "rapat perencanaan",
    "rakor_opd": "rakor dengan OPD",
    "sosialisasi": "sosialisasi",
    "monev": "monev",
    "laporan": "penyusunan laporan",
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
_TARGET_NOUNS: Final[dict[str, str]] = {
    "bkb": "keluarga dengan balita",
    "bkr": "keluarga dengan remaja",
    "bkl": "keluarga dengan lansia",
    "uppka": "keluarga",
    "pikr": "remaja",
}

GROUPS: Final[tuple[str, ...]] = ("input", "proses", "output")
GROUP_LABELS: Final[dict[str, str]] = {"input": "Input", "proses": "Proses", "output": "Output"}
GROUP_INDICATORS: Final[dict[str, tuple[str, ...]]] = {
    "input": ("i1", "i2", "i3", "i4", "i5"),
    "proses": ("p1", "p2", "p3"),
    "output": ("o1", "o2", "o3", "o4"),
}
INDICATORS: Final[tuple[str, ...]] = tuple(c for g in GROUPS for c in GROUP_INDICATORS[g])
INDICATOR_LABELS: Final[dict[str, str]] = {
    "i1": "Pokja",
    "i2": "Sumber dana",
    "i3": "Poktan",
    "i4": "Sarana",
    "i5": "Pendamping dan regulasi",
    "p1": "Sumber data perencanaan",
    "p2": "Mekanisme operasional",
    "p3": "Kerja sama lintas sektor",
    "o1": "Partisipasi poktan",
    "o2": "CPR",
    "o3": "MKJP",
    "o4": "Unmet need",
}
# I4 and I5 have no score 4 (§2: "Input can reach at most 3.6").
MAX_SCORES: Final[dict[str, int]] = {c: 3 if c in ("i4", "i5") else 4 for c in INDICATORS}

# The bands of §2: the smallest value that earns score 2, 3 and 4 ...
_MINIMUMS: Final[dict[str, tuple[int, int, int]]] = {
    "i2": (1, 2, 5),  # funding sources: 0 | 1 | 2–4 | ≥5
    "i3": (1, 3, 5),  # poktan: 0 | 1–2 | 3–4 | 5
    "p1": (1, 2, 4),  # data sources: 0 | 1 | 2–3 | ≥4
    "p2": (1, 3, 5),  # mechanisms: 0 | 1–2 | 3–4 | 5
    "p3": (1, 4, 7),  # agencies: 0 | 1–3 | 4–6 | ≥7
    "o1": (10, 21, 31),  # participation %: <10 | 10–20 | 21–30 | >30
    "o2": (30, 41, 51),  # CPR %: <30 | 30–40 | 41–50 | >50
    "o3": (20, 23, 25),  # MKJP %: <20 | 20–22 | 23–24 | >24
}
# ... and, for unmet need (lower is better), the largest value that earns score 2, 3 and 4.
_MAXIMUMS: Final[dict[str, tuple[int, int, int]]] = {
    "o4": (12, 9, 6),  # unmet need %: ≥13 | 10–12 | 7–9 | ≤6
}

MET_THRESHOLD: Final[Decimal] = Decimal("3.00")


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

_SET_FIELDS: Final[dict[str, Mapping[str, str]]] = {
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


# --------------------------------------------------------------------------------------------
# Percentages (§2: whole numbers, half to even; zero denominator → 0)
# --------------------------------------------------------------------------------------------

# A private context: exact enough for any realistic count, and immune to changes in the
# thread's decimal context made elsewhere.
_CONTEXT: Final[Context] = Context(prec=50, rounding=ROUND_HALF_EVEN)
_ONE: Final[Decimal] = Decimal(1)
_CENT: Final[Decimal] = Decimal("0.01")


def round_half_even(value: Decimal) -> int:
    """Round to a whole number, half to even, as the portal's database rounds (§2)."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=_CONTEXT))


def percent(numerator: int, denominator: int) -> int:
    """``numerator ÷ denominator × 100`` as a whole number, half to even; 0 if the denominator is 0.

    Computed exactly (``Decimal``), so 81 of 200 = 40.5 → 40 and 83 of 200 = 41.5 → 42 (§2).
    """
    if denominator == 0:
        return 0
    exact = _CONTEXT.divide(_CONTEXT.multiply(Decimal(numerator), Decimal(100)), denominator)
    return round_half_even(exact)


def _sum_known(values: Iterable[int | None]) -> int | None:
    """Sum of the filled cells of a breakdown; ``None`` only when every cell is blank."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _users(inputs: KampungInputs) -> int | None:
    return _sum_known(getattr(inputs, f"users_{m}") for m in CONTRACEPTIVE_METHODS)


def _mkjp_users(inputs: KampungInputs) -> int:
    return sum(getattr(inputs, f"users_{m}") or 0 for m in MKJP_METHODS)


def _unmet_count(inputs: KampungInputs) -> int | None:
    return _sum_known(getattr(inputs, f"not_using_{r}") for r in UNMET_NEED_REASONS)


def poktan_participation(inputs: KampungInputs) -> dict[str, int | None]:
    """O1 per poktan: participants ÷ target group × 100, rounded half to even (§2).

    BKB ↔ families with balita, BKR ↔ with remaja, BKL ↔ with lansia, UPPKA ↔ all families,
    PIK-R ↔ remaja. ``None`` when the participants or the target group are blank; a target
    group of 0 gives 0.
    """
    shares: dict[str, int | None] = {}
    for code, target_field in POKTAN_TARGETS.items():
        participants = getattr(inputs, f"participants_{code}")
        target = getattr(inputs, target_field)
        shares[code] = (
            None if participants is None or target is None else percent(participants, target)
        )
    return shares


def participation_percent(inputs: KampungInputs) -> int | None:
    """O1: the sum of the five rounded poktan percentages ÷ 5 (always ÷ 5), rounded (§2).

    A poktan with blank figures counts as 0; ``None`` (missing) only when all five are blank.
    (A sum of whole numbers ÷ 5 never ends in a half, so this second rounding is never a tie.)
    """
    shares = poktan_participation(inputs)
    if all(share is None for share in shares.values()):
        return None
    return _average_share(sum(share or 0 for share in shares.values()))


def _average_share(total: int) -> int:
    return round_half_even(_CONTEXT.divide(Decimal(total), len(POKTAN)))


def cpr_percent(inputs: KampungInputs) -> int | None:
    """O2: CPR = PUS using contraception (all methods) ÷ PUS × 100 (§2); ``None`` if missing."""
    users = _users(inputs)
    if inputs.pus is None or users is None:
        return None
    return percent(users, inputs.pus)


def mkjp_percent(inputs: KampungInputs) -> int | None:
    """O3: MKJP = (IUD + MOW + MOP + Implan) ÷ all users × 100 (§2); ``None`` if missing."""
    users = _users(inputs)
    if users is None:
        return None
    return percent(_mkjp_users(inputs), users)


def unmet_need_percent(inputs: KampungInputs) -> int | None:
    """O4: (ingin anak tunda + tidak ingin anak lagi) ÷ PUS × 100 (§2); ``None`` if missing.

    Follows §2 literally: with PUS = 0 the share is 0, which is the best band.
    """
    unmet = _unmet_count(inputs)
    if inputs.pus is None or unmet is None:
        return None
    return percent(unmet, inputs.pus)


# --------------------------------------------------------------------------------------------
# The twelve indicator scores (§2 table)
# --------------------------------------------------------------------------------------------


def _band_up(value: int, minimums: tuple[int, int, int]) -> int:
    if value < 0:
        raise ValueError(f"cannot score a negative value ({value})")
    return 1 + sum(value >= minimum for minimum in minimums)


def _band_down(value: int, maximums: tuple[int, int, int]) -> int:
    if value < 0:
        raise ValueError(f"cannot score a negative value ({value})")
    return 1 + sum(value <= maximum for maximum in maximums)


def score_pokja(exists: bool | None, has_members: bool | None, trained: bool | None) -> int:
    """I1 (§2): no Pokja 1; Pokja only 2; Pokja + (members or trained) 3; all three 4."""
    if not exists:
        return 1
    return 2 + bool(has_members) + bool(trained)


def score_funding_sources(count: int) -> int:
    """I2 (§2): funding sources of 6: 0 → 1, 1 → 2, 2–4 → 3, ≥5 → 4."""
    return _band_up(count, _MINIMUMS["i2"])


def score_poktan(count: int) -> int:
    """I3 (§2): poktan present of 5: 0 → 1, 1–2 → 2, 3–4 → 3, 5 → 4."""
    return _band_up(count, _MINIMUMS["i3"])


def score_sarana(has_sekretariat: bool | None, has_rumah_dataku: bool | None) -> int:
    """I4 (§2): Sekretariat and Rumah DataKu: none 1, one 2, both 3 (no score 4)."""
    return 1 + bool(has_sekretariat) + bool(has_rumah_dataku)


def score_pendamping_regulation(has_pendamping: bool | None, has_regulation: bool | None) -> int:
    """I5 (§2): PLKB/PKB pendamping and a regulation: neither 1, one 2, both 3 (no score 4)."""
    return 1 + bool(has_pendamping) + bool(has_regulation)


def score_data_sources(count: int) -> int:
    """P1 (§2): data sources used in planning, of 5: 0 → 1, 1 → 2, 2–3 → 3, ≥4 → 4."""
    return _band_up(count, _MINIMUMS["p1"])


def score_mechanisms(count: int) -> int:
    """P2 (§2): operational mechanisms held, of 5: 0 → 1, 1–2 → 2, 3–4 → 3, 5 → 4."""
    return _band_up(count, _MINIMUMS["p2"])


def score_cross_sector(agencies: int | None) -> int:
    """P3 (§2): distinct cross-sector agencies: 0 or missing → 1, 1–3 → 2, 4–6 → 3, ≥7 → 4."""
    return 1 if agencies is None else _band_up(agencies, _MINIMUMS["p3"])


def score_participation(pct: int | None) -> int:
    """O1 (§2): rounded participation %: <10 → 1, 10–20 → 2, 21–30 → 3, >30 → 4; missing → 1."""
    return 1 if pct is None else _band_up(pct, _MINIMUMS["o1"])


def score_cpr(pct: int | None) -> int:
    """O2 (§2): rounded CPR %: <30 → 1, 30–40 → 2, 41–50 → 3, >50 → 4; missing → 1."""
    return 1 if pct is None else _band_up(pct, _MINIMUMS["o2"])


def score_mkjp(pct: int | None) -> int:
    """O3 (§2): rounded MKJP %: <20 → 1, 20–22 → 2, 23–24 → 3, >24 → 4; missing → 1."""
    return 1 if pct is None else _band_up(pct, _MINIMUMS["o3"])


def score_unmet_need(pct: int | None) -> int:
    """O4 (§2): rounded unmet need %: ≥13 → 1, 10–12 → 2, 7–9 → 3, ≤6 → 4; missing → 1."""
    return 1 if pct is None else _band_down(pct, _MAXIMUMS["o4"])


@dataclass(frozen=True)
class Scores:
    """The twelve §2 scores, plus the rounded percentages behind O1–O4 for display.

    A percentage is ``None`` when its figures are missing (its score is then 1).
    """

    i1: int
    i2: int
    i3: int
    i4: int
    i5: int
    p1: int
    p2: int
    p3: int
    o1: int
    o2: int
    o3: int
    o4: int
    o1_participation: int | None = None
    cpr: int | None = None
    mkjp: int | None = None
    unmet_need: int | None = None
    poktan_participation: dict[str, int | None] = field(default_factory=dict, hash=False)

    def group(self, name: str) -> tuple[int, ...]:
        """The scores of one group ("input", "proses" or "output"), in indicator order."""
        return tuple(getattr(self, code) for code in GROUP_INDICATORS[name])

    def as_dict(self) -> dict[str, int]:
        """The twelve scores keyed by indicator code ("i1" … "o4")."""
        return {code: getattr(self, code) for code in INDICATORS}


# One scorer per indicator, so a what-if can re-score a single indicator cheaply.
_SCORERS: Final[dict[str, Callable[[KampungInputs], int]]] = {
    "i1": lambda x: score_pokja(x.pokja_exists, x.pokja_has_members, x.pokja_members_trained),
    "i2": lambda x: score_funding_sources(len(x.funding_sources)),
    "i3": lambda x: score_poktan(len(x.poktan_present)),
    "i4": lambda x: score_sarana(x.has_sekretariat, x.has_rumah_dataku),
    "i5": lambda x: score_pendamping_regulation(x.has_pendamping, x.has_regulation),
    "p1": lambda x: score_data_sources(len(x.data_sources)),
    "p2": lambda x: score_mechanisms(len(x.mechanisms)),
    "p3": lambda x: score_cross_sector(x.cross_sector_agencies),
    "o1": lambda x: score_participation(participation_percent(x)),
    "o2": lambda x: score_cpr(cpr_percent(x)),
    "o3": lambda x: score_mkjp(mkjp_percent(x)),
    "o4": lambda x: score_unmet_need(unmet_need_percent(x)),
}


def score_indicators(inputs: KampungInputs) -> Scores:
    """Score all twelve indicators of domain.md §2 (national portal code 2021–2023)."""
    return Scores(
        **{code: scorer(inputs) for code, scorer in _SCORERS.items()},
        o1_participation=participation_percent(inputs),
        cpr=cpr_percent(inputs),
        mkjp=mkjp_percent(inputs),
        unmet_need=unmet_need_percent(inputs),
        poktan_participation=poktan_participation(inputs),
    )


# --------------------------------------------------------------------------------------------
# Group indices and the decision (§2)
# --------------------------------------------------------------------------------------------


def _mean(total: int, count: int) -> Decimal:
    exact = _CONTEXT.divide(Decimal(total), count)
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP, context=_CONTEXT)


def group_index(scores: Sequence[int]) -> Decimal:
    """Mean of a group's indicator scores rounded to 2 decimals (§2), ROUND_HALF_UP.

    §2 does not name the tie rule. Input (÷ 5) and Output (÷ 4) are exact at 2 decimals and
    Proses (÷ 3) never ends in a half, so HALF_UP and HALF_EVEN agree on every real index.
    """
    if not scores:
        raise ValueError("a group needs at least one score")
    return _mean(sum(scores), len(scores))


def is_met(index: Decimal) -> bool:
    """A group is met when its index is ≥ 3.00 (§2)."""
    return index >= MET_THRESHOLD


@dataclass(frozen=True)
class GroupIndices:
    """The three §2 group indices, each a ``Decimal`` with 2 decimals."""

    input: Decimal
    proses: Decimal
    output: Decimal

    def index(self, group: str) -> Decimal:
        """The index of "input", "proses" or "output"."""
        if group not in GROUPS:
            raise ValueError(f"unknown group {group!r}")
        return getattr(self, group)

    def met(self, group: str) -> bool:
        """Whether ``group`` is met (index ≥ 3.00)."""
        return is_met(self.index(group))

    @property
    def input_met(self) -> bool:
        return is_met(self.input)

    @property
    def proses_met(self) -> bool:
        return is_met(self.proses)

    @property
    def output_met(self) -> bool:
        return is_met(self.output)


def group_indices(scores: Scores) -> GroupIndices:
    """Input (I1–I5), Proses (P1–P3) and Output (O1–O4) indices of §2."""
    return GroupIndices(
        input=group_index(scores.group("input")),
        proses=group_index(scores.group("proses")),
        output=group_index(scores.group("output")),
    )


def level_for_met(*, input_met: bool, proses_met: bool, output_met: bool) -> Level:
    """The §2 decision (national portal code 2021–2023) on which groups are met.

    met ≤ 1 → dasar; input and proses met, output not → berkembang; all three → paripurna;
    otherwise (output and one other) → mandiri.
    """
    met = input_met + proses_met + output_met
    if met <= 1:
        return Level.DASAR
    if met == 3:
        return Level.PARIPURNA
    if not output_met:
        return Level.BERKEMBANG
    return Level.MANDIRI


def estimated_level(indices: GroupIndices) -> Level:
    """The estimated level (§2) for a kampung's group indices."""
    return level_for_met(
        input_met=indices.input_met,
        proses_met=indices.proses_met,
        output_met=indices.output_met,
    )


# --------------------------------------------------------------------------------------------
# What is missing for the next level
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One edit of a what-if on ``KampungInputs``.

    A ``bool`` value sets the field, a ``frozenset`` adds codes to it, an ``int`` is added to
    the count (negative to take away; a blank count counts as 0).
    """

    name: str
    value: bool | int | frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    """A concrete change that raises one indicator by at least one score band."""

    group: str
    indicator: str
    current_score: int
    target_score: int
    text: str
    changes: tuple[Change, ...]

    @property
    def points(self) -> int:
        """Score points this suggestion adds to its group."""
        return self.target_score - self.current_score


@dataclass(frozen=True)
class GroupGap:
    """A group that must become met, with how far it is and the options to get there.

    ``suggestions`` lists, for every indicator below its maximum, the change that raises it one
    band; when those are not enough points, further bands follow (each after its indicator's
    earlier ones). When ``sufficient``, applying suggestions in list order until their
    ``points`` reach ``points_needed`` makes the group met (suggestions never lower another
    indicator). ``notes`` name figures to fill in before an indicator can be planned.
    """

    group: str
    index: Decimal
    points_needed: int
    suggestions: tuple[Suggestion, ...]
    notes: tuple[str, ...] = ()

    @property
    def sufficient(self) -> bool:
        """Whether the suggestions together add at least ``points_needed``."""
        return sum(s.points for s in self.suggestions) >= self.points_needed

    @property
    def heading(self) -> str:
        """E.g. "Input 2,60 → perlu 2 poin lagi agar indeks mencapai 3,00"."""
        return (
            f"{GROUP_LABELS[self.group]} {format_decimal(self.index)} → perlu "
            f"{self.points_needed} poin lagi agar indeks mencapai {format_decimal(MET_THRESHOLD)}"
        )


@dataclass(frozen=True)
class NextLevelPlan:
    """What the kampung needs for a higher estimated level; no groups at paripurna.

    ``target_level`` is the level reached once every group in ``groups`` is met: the next
    level, or one above it when that is the cheaper way up (see ``next_level_plan``).
    """

    current_level: Level
    target_level: Level | None
    groups: tuple[GroupGap, ...]

    @property
    def sufficient(self) -> bool:
        return all(gap.sufficient for gap in self.groups)

    def texts(self, labels: Mapping[str, str] | None = None) -> list[str]:
        """The plan as plain Bahasa Indonesia lines (decimal comma), headings first per group."""
        if self.target_level is None:
            return []
        names = {**DEFAULT_LABELS, **(labels or {})}
        groups = _join([GROUP_LABELS[gap.group] for gap in self.groups], "dan")
        lines = [
            (
                f"Menuju {names[self.target_level.value]}: indeks {groups} harus mencapai "
                f"minimal {format_decimal(MET_THRESHOLD)}"
            )
        ]
        for gap in self.groups:
            lines.append(gap.heading)
            lines.extend(gap.notes)
            lines.extend(s.text for s in gap.suggestions)
        return lines


def format_decimal(value: Decimal) -> str:
    """A group index for users: 2 decimals with a decimal comma ("2,60")."""
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP, context=_CONTEXT):f}".replace(".", ",")


def _fmt(count: int) -> str:
    """A count for users, with Indonesian thousands separators ("1.250")."""
    return f"{count:,}".replace(",", ".")


def _join(items: Sequence[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def apply_changes(inputs: KampungInputs, changes: Iterable[Change]) -> KampungInputs:
    """A copy of ``inputs`` with ``changes`` applied (see ``Change``)."""
    updates: dict[str, Any] = {}
    for change in changes:
        current = updates.get(change.name, getattr(inputs, change.name))
        if isinstance(change.value, bool):
            updates[change.name] = change.value
        elif isinstance(change.value, frozenset):
            updates[change.name] = current | change.value
        else:
            updates[change.name] = (current or 0) + change.value
    return replace(inputs, **updates)


def apply_suggestions(inputs: KampungInputs, suggestions: Iterable[Suggestion]) -> KampungInputs:
    """A copy of ``inputs`` with every suggestion's changes applied, in order."""
    return apply_changes(inputs, [c for s in suggestions for c in s.changes])


def points_needed(scores: Sequence[int]) -> int:
    """Score points a group still needs for its index to reach 3.00 (0 when met)."""
    total, count, extra = sum(scores), len(scores), 0
    while not is_met(_mean(total + extra, count)):
        extra += 1
    return extra


def _smallest(low: int, high: int, ok: Callable[[int], bool]) -> int | None:
    """The smallest n in low..high with ok(n), for ok monotone in n; None if there is none."""
    if high < low or not ok(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _take(inputs: KampungInputs, fields: Sequence[str], amount: int) -> list[Change]:
    """Changes removing ``amount`` from ``fields``, largest count first."""
    changes: list[Change] = []
    for name in sorted(fields, key=lambda n: -(getattr(inputs, n) or 0)):
        taken = min(amount, getattr(inputs, name) or 0)
        if taken:
            changes.append(Change(name, -taken))
            amount -= taken
    return changes


# A step is (action text, changes), or a note (str) when figures must be filled in first.
_Step = tuple[str, tuple[Change, ...]] | str


def _set_step(
    inputs: KampungInputs, code: str, name: str, score: int, vocabulary: Mapping[str, str]
) -> _Step:
    current: frozenset[str] = getattr(inputs, name)
    missing = [c for c in vocabulary if c not in current]
    needed = _MINIMUMS[code][score - 1] - len(current)
    labels = [vocabulary[c] for c in missing]
    again = " lagi" if current else ""
    if needed == len(missing):
        chosen = _join(labels, "dan")
        action = {
            "i2": f"Tambahkan sumber dana {chosen}",
            "i3": f"Bentuk poktan {chosen}",
            "p1": f"Gunakan {chosen} dalam perencanaan",
            "p2": f"Laksanakan {chosen}",
        }[code]
    else:
        options = _join(labels, "atau")
        action = {
            "i2": f"Tambahkan {needed} sumber dana{again}, pilih dari: {options}",
            "i3": f"Bentuk {needed} poktan{again}, pilih dari: {options}",
            "p1": f"Gunakan {needed} sumber data{again} dalam perencanaan, pilih dari: {options}",
            "p2": f"Laksanakan {needed} mekanisme operasional{again}, pilih dari: {options}",
        }[code]
    action += f" (sekarang {len(current)} dari {len(vocabulary)})"
    return action, (Change(name, frozenset(missing[:needed])),)


def _added_for_share(participants: int, target: int, wanted: int) -> int | None:
    """Fewest participants to add so that participants ÷ target rounds to at least ``wanted``%."""
    return _smallest(
        1, target - participants, lambda x: percent(participants + x, target) >= wanted
    )


def _participation_step(inputs: KampungInputs, score: int) -> _Step:
    shares = poktan_participation(inputs)
    total = sum(share or 0 for share in shares.values())
    minimum = _MINIMUMS["o1"][score - 1]
    goal = _smallest(total, 100 * len(POKTAN), lambda t: _average_share(t) >= minimum)
    shortfall = (goal if goal is not None else total + 1) - total
    # Poktan that already exist first; then the smallest target group, where one participant
    # moves the percentage most.
    open_poktan = []
    for code, target_field in POKTAN_TARGETS.items():
        target = getattr(inputs, target_field)
        participants = getattr(inputs, f"participants_{code}") or 0
        if target and participants < target and (shares[code] or 0) < 100:
            open_poktan.append((code not in inputs.poktan_present, target, code, participants))
    if not open_poktan:
        return (
            "O1 Partisipasi poktan: isi jumlah keluarga, keluarga dengan balita/remaja/lansia "
            "dan remaja serta peserta tiap poktan agar partisipasi poktan bisa dihitung"
        )
    changes: list[Change] = []
    parts: list[str] = []
    for absent, target, code, participants in sorted(open_poktan):
        if shortfall <= 0:
            break
        share = shares[code] or 0
        extra = _added_for_share(participants, target, min(share + shortfall, 100))
        if extra is None:  # pragma: no cover - participants < target always reaches 100%
            continue
        shortfall -= percent(participants + extra, target) - share
        changes.append(Change(f"participants_{code}", extra))
        formed = f"; bentuk dulu poktan {POKTAN[code]}" if absent else ""
        if getattr(inputs, f"participants_{code}") is None:
            now = f"belum tercatat; sasaran {_fmt(target)} {_TARGET_NOUNS[code]}"
        else:
            now = f"sekarang {_fmt(participants)} dari {_fmt(target)} {_TARGET_NOUNS[code]}"
        parts.append(f"{_fmt(extra)} peserta {POKTAN[code]} ({now}{formed})")
    if shortfall > 0:
        return (
            "O1 Partisipasi poktan: tidak bisa naik lagi dengan sasaran yang tercatat; lengkapi "
            "data sasaran semua poktan"
        )
    current = participation_percent(inputs) or 0
    action = (
        f"Naikkan partisipasi poktan dari rata-rata {current}% ke minimal {minimum}%: "
        f"tambah {_join(parts, 'dan')}"
    )
    return action, tuple(changes)


def _cpr_step(inputs: KampungInputs, score: int) -> _Step:
    pus = inputs.pus
    if not pus:
        if pus is None:
            return "O2 CPR: isi jumlah PUS agar CPR bisa dihitung"
        return "O2 CPR: jumlah PUS tercatat 0; periksa dan perbarui data PUS"
    users = _users(inputs) or 0
    minimum = _MINIMUMS["o2"][score - 1]
    extra = _smallest(1, pus - users, lambda d: percent(users + d, pus) >= minimum)
    if extra is None:  # pragma: no cover - 100% always reaches the top band
        return "O2 CPR: periksa data PUS dan peserta KB"
    changes = (Change("users_implan", extra),)
    if _users(inputs) is None:
        action = (
            f"Catat peserta KB aktif per metode: untuk CPR minimal {minimum}% perlu "
            f"{_fmt(extra)} peserta KB dari {_fmt(pus)} PUS"
        )
    else:
        action = (
            f"Naikkan CPR dari {cpr_percent(inputs)}% ke minimal {minimum}%: tambah "
            f"{_fmt(extra)} peserta KB aktif, sebaiknya IUD/implan (sekarang {_fmt(users)} dari "
            f"{_fmt(pus)} PUS ber-KB)"
        )
    return action, changes


def _mkjp_step(inputs: KampungInputs, score: int) -> _Step:
    recorded = _users(inputs)
    if recorded is None:
        return "O3 MKJP: catat peserta KB aktif per metode agar MKJP bisa dihitung"
    users = recorded
    minimum = _MINIMUMS["o3"][score - 1]
    if users == 0:
        action = "Layani peserta KB dengan MKJP (IUD, implan, MOW atau MOP): sekarang 0 peserta KB"
        return action, (Change("users_implan", 1),)
    mkjp = _mkjp_users(inputs)
    switch = _smallest(1, users - mkjp, lambda s: percent(mkjp + s, users) >= minimum)
    if switch is None:  # pragma: no cover - 100% always reaches the top band
        return "O3 MKJP: periksa data peserta KB per metode"
    short_term = [f"users_{m}" for m in SHORT_TERM_METHODS]
    changes = (Change("users_implan", switch), *_take(inputs, short_term, switch))
    action = (
        f"Naikkan MKJP dari {mkjp_percent(inputs)}% ke minimal {minimum}%: ajak {_fmt(switch)} "
        f"peserta pil/suntik/kondom beralih ke IUD, implan, MOW atau MOP (sekarang "
        f"{_fmt(mkjp)} dari {_fmt(users)} peserta KB memakai MKJP)"
    )
    return action, changes


def _unmet_need_step(inputs: KampungInputs, score: int) -> _Step:
    pus = inputs.pus
    unmet = _unmet_count(inputs)
    if pus is None:
        return "O4 Unmet need: isi jumlah PUS agar unmet need bisa dihitung"
    if unmet is None:
        return (
            "O4 Unmet need: catat PUS yang tidak ber-KB menurut alasan (ingin anak ditunda, "
            "tidak ingin anak lagi)"
        )
    maximum = _MAXIMUMS["o4"][score - 1]
    served = _smallest(1, unmet, lambda d: percent(unmet - d, pus) <= maximum)
    if served is None:  # pragma: no cover - 0% always reaches the top band
        return "O4 Unmet need: periksa data PUS"
    reasons = [f"not_using_{r}" for r in UNMET_NEED_REASONS]
    changes = (*_take(inputs, reasons, served), Change("users_implan", served))
    action = (
        f"Turunkan unmet need dari {unmet_need_percent(inputs)}% ke maksimal {maximum}%: layani "
        f"{_fmt(served)} PUS yang ingin menunda atau tidak ingin anak lagi agar ber-KB "
        f"(sekarang {_fmt(unmet)} dari {_fmt(pus)} PUS)"
    )
    return action, changes


def _step(code: str, inputs: KampungInputs, score: int) -> _Step:
    """The smallest concrete change raising indicator ``code`` from ``score`` by at least one
    band, or a note when the figures it needs are missing."""
    if code == "i1":
        if not inputs.pokja_exists:
            return "Bentuk Pokja Kampung KB dengan SK Kepala Desa/Lurah", (
                Change("pokja_exists", True),
            )
        if not inputs.pokja_has_members:
            return "Tetapkan susunan anggota Pokja (pengurus dan seksi)", (
                Change("pokja_has_members", True),
            )
        return "Latih anggota Pokja", (Change("pokja_members_trained", True),)
    if code == "i4":
        if not inputs.has_sekretariat:
            return "Sediakan Sekretariat Kampung KB", (Change("has_sekretariat", True),)
        return "Bentuk Rumah DataKu", (Change("has_rumah_dataku", True),)
    if code == "i5":
        if not inputs.has_pendamping:
            return "Dapatkan pendamping PLKB/PKB", (Change("has_pendamping", True),)
        return "Terbitkan regulasi tentang Kampung KB (SK, Instruksi atau SE)", (
            Change("has_regulation", True),
        )
    if code == "p3":
        current = inputs.cross_sector_agencies or 0
        minimum = _MINIMUMS["p3"][score - 1]
        again = " lagi" if current else ""
        action = (
            f"Libatkan {minimum - current} instansi lintas sektor{again} dalam kegiatan "
            f"(sekarang {current}, perlu minimal {minimum}; kantor KB/BKKBN tidak dihitung)"
        )
        return action, (Change("cross_sector_agencies", minimum - current),)
    set_steps = {
        "i2": ("funding_sources", FUNDING_SOURCES),
        "i3": ("poktan_present", POKTAN),
        "p1": ("data_sources", DATA_SOURCES),
        "p2": ("mechanisms", MECHANISMS),
    }
    if code in set_steps:
        name, vocabulary = set_steps[code]
        return _set_step(inputs, code, name, score, vocabulary)
    output_steps = {
        "o1": _participation_step,
        "o2": _cpr_step,
        "o3": _mkjp_step,
        "o4": _unmet_need_step,
    }
    return output_steps[code](inputs, score)


def _group_gap(group: str, inputs: KampungInputs, scores: Scores, index: Decimal) -> GroupGap:
    """Options for ``group``: one band per indicator below its maximum, then further bands
    round by round until they add up to the points the group needs."""
    needed = points_needed(scores.group(group))
    states = {code: inputs for code in GROUP_INDICATORS[group]}
    active = [c for c in GROUP_INDICATORS[group] if getattr(scores, c) < MAX_SCORES[c]]
    suggestions: list[Suggestion] = []
    notes: list[str] = []
    gained = 0
    first_round = True
    while active and (first_round or gained < needed):
        still_active = []
        for code in active:
            state = states[code]
            current = _SCORERS[code](state)
            if current >= MAX_SCORES[code]:
                continue
            step = _step(code, state, current)
            if isinstance(step, str):
                if first_round:
                    notes.append(step)
                continue
            action, changes = step
            if not first_round:
                # The figures quoted are those after this indicator's earlier suggestions.
                action = action.replace("(sekarang ", "(setelah langkah sebelumnya: ")
            after = apply_changes(state, changes)
            target = _SCORERS[code](after)
            text = f"{code.upper()} {INDICATOR_LABELS[code]} (skor {current} → {target}): {action}"
            suggestions.append(Suggestion(group, code, current, target, text, changes))
            gained += target - current
            states[code] = after
            still_active.append(code)
        active = still_active
        first_round = False
    return GroupGap(group, index, needed, tuple(suggestions), tuple(notes))


def _plan(inputs: KampungInputs, scores: Scores, indices: GroupIndices) -> NextLevelPlan:
    met = {group: indices.met(group) for group in GROUPS}
    current = level_for_met(
        input_met=met["input"], proses_met=met["proses"], output_met=met["output"]
    )
    if current is Level.PARIPURNA:
        return NextLevelPlan(current, None, ())
    unmet = [group for group in GROUPS if not met[group]]
    gaps = {group: _group_gap(group, inputs, scores, indices.index(group)) for group in unmet}
    best: tuple[tuple[int, int, int, tuple[int, ...]], Level, list[str]] | None = None
    for mask in range(1, 2 ** len(unmet)):
        chosen = [group for i, group in enumerate(unmet) if mask >> i & 1]
        now_met = {group: met[group] or group in chosen for group in GROUPS}
        level = level_for_met(
            input_met=now_met["input"], proses_met=now_met["proses"], output_met=now_met["output"]
        )
        if level.rank <= current.rank:
            continue
        key = (
            sum(not gaps[group].sufficient for group in chosen),
            sum(gaps[group].points_needed for group in chosen),
            level.rank,
            tuple(GROUPS.index(group) for group in chosen),
        )
        if best is None or key < best[0]:
            best = (key, level, chosen)
    assert best is not None  # meeting every unmet group always reaches paripurna
    _, target, chosen = best
    return NextLevelPlan(current, target, tuple(gaps[group] for group in chosen))


def next_level_plan(inputs: KampungInputs) -> NextLevelPlan:
    """Which groups must become met for a higher estimated level, and how (domain.md §2).

    From mandiri only the missing group raises the level. From berkembang only Output does, and
    it leads straight to paripurna: §2 gives mandiri to Output plus *one* other group, which a
    berkembang kampung (Input and Proses met) cannot reach by improving. From dasar several
    ways exist (e.g. Input + Proses → berkembang, or Output + one other → mandiri); the plan
    takes the one needing the fewest score points, preferring ways whose suggestions are
    complete, then the lower level, then Input before Proses before Output.
    """
    scores = score_indicators(inputs)
    return _plan(inputs, scores, group_indices(scores))


def missing_for_next_level(inputs: KampungInputs) -> list[str]:
    """What is missing for the next level, in plain Bahasa Indonesia; empty at paripurna.

    E.g. ``["Menuju Berkembang: indeks Proses harus mencapai minimal 3,00",
    "Proses 2,33 → perlu 2 poin lagi agar indeks mencapai 3,00",
    "P1 Sumber data perencanaan (skor 2 → 3): Gunakan 1 sumber data lagi …", …]``.
    """
    return next_level_plan(inputs).texts()


@dataclass(frozen=True)
class Assessment:
    """Everything the kampung page shows about the estimated level (domain.md §2)."""

    scores: Scores
    indices: GroupIndices
    level: Level
    plan: NextLevelPlan
    missing_for_next_level: tuple[str, ...]


def assess(inputs: KampungInputs) -> Assessment:
    """Score, index and classify ``inputs`` by the §2 rule, with what is missing."""
    scores = score_indicators(inputs)
    indices = group_indices(scores)
    plan = _plan(inputs, scores, indices)
    return Assessment(
        scores=scores,
        indices=indices,
        level=estimated_level(indices),
        plan=plan,
        missing_for_next_level=tuple(plan.texts()),
    )
