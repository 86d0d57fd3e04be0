"""The 12-indicator rule of domain.md §2, written out again for the tests from the document alone.

Independent of ``classification.rules`` on purpose: nothing is imported from it, and the bands
are typed in from the §2 table. Tests that compare the stored estimate of many kampung (the demo
records) check it against this reading, so a slip in the production rule is not repeated in the
expected values. Hand-worked cases with literal numbers are in ``tests/test_levels.py``.

Percentages follow §2 to the letter: floating-point division × 100, then half to even (Python's
``round`` on the float, as the portal's ``ROUND((a / b::float) * 100)``), 0 for a zero
denominator. It reads records as stored: a profile (or None), one month's figures (or None) and
the number of distinct cross-sector agencies in the kampung's activities.
"""

from decimal import Decimal
from typing import Any

# The §2 table: for each counted indicator, the lowest value of its bands 2, 3 and 4. (I1, I4
# and I5 count answers, below.)
FUNDING = (1, 2, 5)  # I2: 0 | 1 | 2–4 | ≥5
POKTAN = (1, 3, 5)  # I3: 0 | 1–2 | 3–4 | 5
DATA_SOURCES = (1, 2, 4)  # P1: 0 | 1 | 2–3 | ≥4
MECHANISMS = (1, 3, 5)  # P2: 0 | 1–2 | 3–4 | 5
AGENCIES = (1, 4, 7)  # P3: 0 | 1–3 | 4–6 | ≥7
PARTICIPATION = (10, 21, 31)  # O1: <10 | 10–20 | 21–30 | >30
CPR = (30, 41, 51)  # O2: <30 | 30–40 | 41–50 | >50
MKJP = (20, 23, 25)  # O3: <20 | 20–22 | 23–24 | >24
UNMET_NEED = (13, 10, 7)  # O4, lower is better: ≥13 → 1 | 10–12 → 2 | 7–9 → 3 | ≤6 → 4

# O1: each poktan against its own target group (§2: BKB ↔ families with balita, …).
POKTAN_TARGETS = (
    ("participants_bkb", "families_with_balita"),
    ("participants_bkr", "families_with_remaja"),
    ("participants_bkl", "families_with_lansia"),
    ("participants_uppka", "families"),
    ("participants_pikr", "remaja"),
)
# Contraceptive users by method (§3), and those counted as MKJP and as unmet need (§2).
USERS = (
    "users_iud",
    "users_mow",
    "users_mop",
    "users_kondom",
    "users_implan",
    "users_suntik",
    "users_pil",
)
MKJP_USERS = ("users_iud", "users_mow", "users_mop", "users_implan")
UNMET = ("not_using_ingin_anak_tunda", "not_using_tidak_ingin_anak_lagi")


def portal_percent(numerator: int, denominator: int) -> int:
    """``ROUND((a / b::float) * 100)``: float division, half to even; 0 for a zero denominator."""
    return 0 if denominator == 0 else round(numerator / denominator * 100)


def band(value: int, lowest: tuple[int, ...]) -> int:
    """1 plus the number of bands whose lowest value ``value`` reaches."""
    return 1 + sum(value >= edge for edge in lowest)


def unmet_band(pct: int) -> int:
    ge13, ge10, ge7 = UNMET_NEED
    return 1 if pct >= ge13 else 2 if pct >= ge10 else 3 if pct >= ge7 else 4


def scores(
    profile: dict[str, Any] | None, figures: dict[str, Any] | None, agencies: int
) -> list[int]:
    """The twelve scores I1 … O4, in the §2 table's order; missing data scores 1.

    I1: no Pokja 1, Pokja only 2, Pokja + (members or trained) 3, all three 4; I4 and I5: one
    point per item held, from 1. O1: the five rounded poktan shares, their sum ÷ 5 rounded.
    """
    if profile is None:
        i1 = i2 = i3 = i4 = i5 = p1 = p2 = 1
    else:
        members = profile["pokja_members"] > 0
        trained = profile["pokja_members_trained"] > 0
        i1 = 1 if not profile["pokja_exists"] else 2 + members + trained
        i2 = band(len(profile["funding_sources"]), FUNDING)
        i3 = band(len(profile["poktan_present"]), POKTAN)
        i4 = 1 + profile["has_sekretariat"] + profile["has_rumah_dataku"]
        i5 = 1 + profile["has_pendamping"] + profile["has_regulation"]
        p1 = band(len(profile["data_sources"]), DATA_SOURCES)
        held = [code for code, often in profile["mechanisms"].items() if often and often != "tidak"]
        p2 = band(len(held), MECHANISMS)
    p3 = band(agencies, AGENCIES)
    if figures is None:
        o1 = o2 = o3 = o4 = 1
    else:
        shares = [portal_percent(figures[p], figures[t]) for p, t in POKTAN_TARGETS]
        o1 = band(round(sum(shares) / 5), PARTICIPATION)
        users = sum(figures[name] for name in USERS)
        o2 = band(portal_percent(users, figures["pus"]), CPR)
        o3 = band(portal_percent(sum(figures[name] for name in MKJP_USERS), users), MKJP)
        o4 = unmet_band(portal_percent(sum(figures[name] for name in UNMET), figures["pus"]))
    return [i1, i2, i3, i4, i5, p1, p2, p3, o1, o2, o3, o4]


def index(group: list[int]) -> Decimal:
    """A group's index: the mean of its scores to 2 decimals."""
    return (Decimal(sum(group)) / len(group)).quantize(Decimal("0.01"))


def estimate(
    profile: dict[str, Any] | None, figures: dict[str, Any] | None, agencies: int
) -> tuple[str, Decimal, Decimal, Decimal]:
    """(level, Input, Proses, Output) as §2 decides them."""
    twelve = scores(profile, figures, agencies)
    indices = index(twelve[:5]), index(twelve[5:8]), index(twelve[8:])
    input_met, proses_met, output_met = (value >= Decimal("3.00") for value in indices)
    met = input_met + proses_met + output_met
    if met <= 1:
        level = "dasar"
    elif met == 3:
        level = "paripurna"
    elif not output_met:
        level = "berkembang"
    else:
        level = "mandiri"
    return (level, *indices)
