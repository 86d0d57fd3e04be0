"""The 12-indicator scoring rule and the estimated level: plain Python, no ORM, no request.

Source: domain.md §2, "The scoring rule [confirmed: national portal code 2021–2023]". Everything
the rule decides lives in ``rules/``: thresholds (``MINIMUMS``/``MAXIMUMS``) and the decision
(``level_for_met``) here, what is missing for the next level in ``rules.plans``, so a new rule set
(e.g. the 77-indicator assessment under Inpres 3/2022) can replace it in one place.

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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from .inputs import KampungInputs
from .levels import Level
from .numbers import CENT, CONTEXT, percent, round_half_even
from .vocabularies import (
    CONTRACEPTIVE_METHODS,
    GROUP_INDICATORS,
    GROUPS,
    INDICATORS,
    MKJP_METHODS,
    POKTAN,
    POKTAN_TARGETS,
    UNMET_NEED_REASONS,
)

# I4 and I5 have no score 4 (§2: "Input can reach at most 3.6").
MAX_SCORES: Final[dict[str, int]] = {c: 3 if c in ("i4", "i5") else 4 for c in INDICATORS}


# The bands of §2: the smallest value that earns score 2, 3 and 4 ...
MINIMUMS: Final[dict[str, tuple[int, int, int]]] = {
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
MAXIMUMS: Final[dict[str, tuple[int, int, int]]] = {
    "o4": (12, 9, 6),  # unmet need %: ≥13 | 10–12 | 7–9 | ≤6
}


MET_THRESHOLD: Final[Decimal] = Decimal("3.00")


def _sum_known(values: Iterable[int | None]) -> int | None:
    """Sum of the filled cells of a breakdown; ``None`` only when every cell is blank."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def kb_users(inputs: KampungInputs) -> int | None:
    return _sum_known(getattr(inputs, f"users_{m}") for m in CONTRACEPTIVE_METHODS)


def mkjp_users(inputs: KampungInputs) -> int:
    return sum(getattr(inputs, f"users_{m}") or 0 for m in MKJP_METHODS)


def unmet_count(inputs: KampungInputs) -> int | None:
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
    return average_share(sum(share or 0 for share in shares.values()))


def average_share(total: int) -> int:
    return round_half_even(CONTEXT.divide(Decimal(total), len(POKTAN)))


def cpr_percent(inputs: KampungInputs) -> int | None:
    """O2: CPR = PUS using contraception (all methods) ÷ PUS × 100 (§2); ``None`` if missing."""
    users = kb_users(inputs)
    if inputs.pus is None or users is None:
        return None
    return percent(users, inputs.pus)


def mkjp_percent(inputs: KampungInputs) -> int | None:
    """O3: MKJP = (IUD + MOW + MOP + Implan) ÷ all users × 100 (§2); ``None`` if missing."""
    users = kb_users(inputs)
    if users is None:
        return None
    return percent(mkjp_users(inputs), users)


def unmet_need_percent(inputs: KampungInputs) -> int | None:
    """O4: (ingin anak tunda + tidak ingin anak lagi) ÷ PUS × 100 (§2); ``None`` if missing.

    Follows §2 literally: with PUS = 0 the share is 0, which is the best band.
    """
    unmet = unmet_count(inputs)
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
    return _band_up(count, MINIMUMS["i2"])


def score_poktan(count: int) -> int:
    """I3 (§2): poktan present of 5: 0 → 1, 1–2 → 2, 3–4 → 3, 5 → 4."""
    return _band_up(count, MINIMUMS["i3"])


def score_sarana(has_sekretariat: bool | None, has_rumah_dataku: bool | None) -> int:
    """I4 (§2): Sekretariat and Rumah DataKu: none 1, one 2, both 3 (no score 4)."""
    return 1 + bool(has_sekretariat) + bool(has_rumah_dataku)


def score_pendamping_regulation(has_pendamping: bool | None, has_regulation: bool | None) -> int:
    """I5 (§2): PLKB/PKB pendamping and a regulation: neither 1, one 2, both 3 (no score 4)."""
    return 1 + bool(has_pendamping) + bool(has_regulation)


def score_data_sources(count: int) -> int:
    """P1 (§2): data sources used in planning, of 5: 0 → 1, 1 → 2, 2–3 → 3, ≥4 → 4."""
    return _band_up(count, MINIMUMS["p1"])


def score_mechanisms(count: int) -> int:
    """P2 (§2): operational mechanisms held, of 5: 0 → 1, 1–2 → 2, 3–4 → 3, 5 → 4."""
    return _band_up(count, MINIMUMS["p2"])


def score_cross_sector(agencies: int | None) -> int:
    """P3 (§2): distinct cross-sector agencies: 0 or missing → 1, 1–3 → 2, 4–6 → 3, ≥7 → 4."""
    return 1 if agencies is None else _band_up(agencies, MINIMUMS["p3"])


def score_participation(pct: int | None) -> int:
    """O1 (§2): rounded participation %: <10 → 1, 10–20 → 2, 21–30 → 3, >30 → 4; missing → 1."""
    return 1 if pct is None else _band_up(pct, MINIMUMS["o1"])


def score_cpr(pct: int | None) -> int:
    """O2 (§2): rounded CPR %: <30 → 1, 30–40 → 2, 41–50 → 3, >50 → 4; missing → 1."""
    return 1 if pct is None else _band_up(pct, MINIMUMS["o2"])


def score_mkjp(pct: int | None) -> int:
    """O3 (§2): rounded MKJP %: <20 → 1, 20–22 → 2, 23–24 → 3, >24 → 4; missing → 1."""
    return 1 if pct is None else _band_up(pct, MINIMUMS["o3"])


def score_unmet_need(pct: int | None) -> int:
    """O4 (§2): rounded unmet need %: ≥13 → 1, 10–12 → 2, 7–9 → 3, ≤6 → 4; missing → 1."""
    return 1 if pct is None else _band_down(pct, MAXIMUMS["o4"])


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
SCORERS: Final[dict[str, Callable[[KampungInputs], int]]] = {
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
        **{code: scorer(inputs) for code, scorer in SCORERS.items()},
        o1_participation=participation_percent(inputs),
        cpr=cpr_percent(inputs),
        mkjp=mkjp_percent(inputs),
        unmet_need=unmet_need_percent(inputs),
        poktan_participation=poktan_participation(inputs),
    )


# --------------------------------------------------------------------------------------------
# Group indices and the decision (§2)
# --------------------------------------------------------------------------------------------


def mean_of(total: int, count: int) -> Decimal:
    exact = CONTEXT.divide(Decimal(total), count)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP, context=CONTEXT)


def group_index(scores: Sequence[int]) -> Decimal:
    """Mean of a group's indicator scores rounded to 2 decimals (§2), ROUND_HALF_UP.

    §2 does not name the tie rule. Input (÷ 5) and Output (÷ 4) are exact at 2 decimals and
    Proses (÷ 3) never ends in a half, so HALF_UP and HALF_EVEN agree on every real index.
    """
    if not scores:
        raise ValueError("a group needs at least one score")
    return mean_of(sum(scores), len(scores))


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
        index: Decimal = getattr(self, group)
        return index

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
