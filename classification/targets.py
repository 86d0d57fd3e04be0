"""The 5%-a-year target arithmetic (domain.md §4, a working rule): plain Python, no ORM.

Each year at least ``annual_percent`` of all Kampung KB must be raised to mandiri or paripurna.
Base = all active Kampung KB at the start of the year; quota = that share of the base, rounded
(up by default); the target for year Y = (mandiri + paripurna at the baseline) + quota × (Y −
baseline year), capped at the total. Tanah Laut: 17 of 135 at 2025-07-31 → 24 in 2026, 31 in 2027.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ROUNDING_UP = "up"
ROUNDING_NEAREST = "nearest"
ROUNDING_DOWN = "down"


def annual_quota(base: int, percent: Decimal, rounding: str = ROUNDING_UP) -> int:
    """How many kampung must move up to mandiri/paripurna in one year: ``percent`` of ``base``.

    >>> annual_quota(135, Decimal("5"))
    7
    """
    if base < 0:
        raise ValueError("base cannot be negative")
    exact = Decimal(base) * Decimal(percent) / Decimal(100)
    if rounding == ROUNDING_UP:
        return math.ceil(exact)
    if rounding == ROUNDING_DOWN:
        return math.floor(exact)
    if rounding == ROUNDING_NEAREST:
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    raise ValueError(f"unknown rounding {rounding!r}")


def target_for_year(
    *, year: int, baseline_year: int, baseline_upper: int, quota: int, total: int
) -> int:
    """Cumulative mandiri+paripurna count the district should reach by the end of ``year``."""
    years_since = max(0, year - baseline_year)
    return min(total, baseline_upper + quota * years_since)


@dataclass(frozen=True)
class YearProgress:
    year: int
    target: int
    actual: int
    is_current: bool

    @property
    def gap(self) -> int:
        """How many more kampung must reach mandiri/paripurna to meet the target (0 if met)."""
        return max(0, self.target - self.actual)

    @property
    def met(self) -> bool:
        return self.actual >= self.target


def yearly_progress(
    *,
    baseline_year: int,
    baseline_upper: int,
    quota: int,
    total: int,
    actual_by_year: dict[int, int],
    current_year: int,
) -> list[YearProgress]:
    """Target against actual for every year from the baseline up to and including ``current_year``.

    ``actual_by_year`` gives the mandiri+paripurna count at each year's end (for the current year:
    today), as the level history says.
    """
    return [
        YearProgress(
            year=year,
            target=target_for_year(
                year=year,
                baseline_year=baseline_year,
                baseline_upper=baseline_upper,
                quota=quota,
                total=total,
            ),
            actual=actual_by_year.get(year, 0),
            is_current=year == current_year,
        )
        for year in range(baseline_year, current_year + 1)
    ]
