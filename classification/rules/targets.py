"""The 5%-a-year target arithmetic (domain.md §4, a working rule): plain Python, no ORM.

Each year at least ``annual_percent`` of all Kampung KB must be raised to mandiri or paripurna.
Base = all active Kampung KB at the start of the year; quota = that share of the base, rounded
(up by default); the target for year Y = (mandiri + paripurna at the baseline) + quota × (Y −
baseline year), capped at the total. Tanah Laut: 17 of 135 at 2025-07-31 → 24 in 2026, 31 in 2027.

When the base changes (new kampung launched), each year's quota comes from that year's own base,
so past years keep the targets they had: 135 → 141 in 2027 gives 7 for 2026 and 8 for 2027
(targets 24, 32). §4 asks for two views of a year, both here: how many kampung *moved up* into
mandiri/paripurna during it (``moved_up``), and the *net* change of the mandiri+ count.

Everything the selectors, roll-ups, views and templates need of the rule is here: the defaults
(``DEFAULT_PERCENT``, ``DEFAULT_ROUNDING``, which ``models.TargetPolicy`` uses as its field
defaults), what "mandiri or above" means (``UPPER_MIN_RANK``, ``is_upper_rank``), and, through
``TargetRule``, the dates each year is counted on and the quota and targets of a policy.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from .levels import Level, level_rank

# How the quota is rounded to whole kampung (``TargetPolicy.Rounding`` labels these codes).
ROUNDING_UP: Final = "up"


ROUNDING_NEAREST: Final = "nearest"  # half rounds up: 6.5 → 7 (not to even)


ROUNDING_DOWN: Final = "down"


ROUNDINGS: Final[tuple[str, ...]] = (ROUNDING_UP, ROUNDING_NEAREST, ROUNDING_DOWN)


# The district's announcement: 5% a year, rounded up (§4). The model's field defaults.
DEFAULT_PERCENT: Final = Decimal("5")


DEFAULT_ROUNDING: Final = ROUNDING_UP


# Mandiri and paripurna: what the target counts (domain.md §4). The one definition of
# "mandiri or above": models, selectors and charts ask ``is_upper_rank`` / ``is_upper``.
UPPER_MIN_RANK: Final = Level.MANDIRI.rank


DAYS_PER_YEAR = 365


def is_upper_rank(rank: int) -> bool:
    """Whether a level of this rank (1 dasar … 4 paripurna) is mandiri or above."""
    return rank >= UPPER_MIN_RANK


def annual_quota(base: int, percent: Decimal, rounding: str = DEFAULT_ROUNDING) -> int:
    """How many kampung must move up to mandiri/paripurna in one year: ``percent`` of ``base``.

    Exact decimal arithmetic, then ``rounding``: up (ceiling), down (floor), or nearest with a
    half rounding up (``ROUND_HALF_UP``, not to even). 135 × 5% = 6.75 → 7 up, 6 down, 7
    nearest; 130 × 5% = 6.5 → 7 up, 6 down, 7 nearest; 141 × 5% = 7.05 → 8 up, 7 down, 7 nearest.

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
    """Cumulative mandiri+paripurna count the district should reach by the end of ``year``.

    One quota and one total for every year (§4 with a base that never changes); see
    ``targets_by_year`` for a base per year.
    """
    years_since = max(0, year - baseline_year)
    return min(total, baseline_upper + quota * years_since)


def base_for_year(bases: Mapping[int, int], year: int) -> int:
    """``bases[year]``, else the base of the nearest earlier year listed (0 before the first).

    Future years have no count yet: they keep the latest known base.
    """
    earlier = [y for y in bases if y <= year]
    return bases[max(earlier)] if earlier else 0


def targets_by_year(
    *,
    baseline_year: int,
    baseline_upper: int,
    bases: Mapping[int, int],
    last_year: int,
    percent: Decimal = DEFAULT_PERCENT,
    rounding: str = DEFAULT_ROUNDING,
) -> dict[int, int]:
    """The §4 target of every year from the baseline to ``last_year``, each from its own base.

    ``bases[Y]`` is the number of active Kampung KB at the start of year Y (a year left out takes
    the nearest earlier year's, see ``base_for_year``). Year Y adds ``annual_quota(bases[Y])`` to
    the year before, so a later change of base never rewrites an earlier year's target; each
    target is capped at its own year's base. The baseline year's target is the baseline count.

    >>> targets_by_year(baseline_year=2025, baseline_upper=17, bases={2025: 135, 2027: 141},
    ...                 last_year=2028)
    {2025: 17, 2026: 24, 2027: 32, 2028: 40}
    """
    result: dict[int, int] = {}
    cumulative = baseline_upper
    for year in range(baseline_year, last_year + 1):
        base = base_for_year(bases, year)
        if year > baseline_year:
            cumulative += annual_quota(base, percent, rounding)
        result[year] = min(base, cumulative) if year > baseline_year else baseline_upper
    return result


def is_upper(level: str | None) -> bool:
    """Whether a level code is mandiri or above (None, no level yet, is not)."""
    return level is not None and is_upper_rank(level_rank(level))


@dataclass(frozen=True)
class Movement:
    """One year's movement across the mandiri line (domain.md §4: both views).

    ``moved_up``: kampung below mandiri at the start of the year (with a level) and mandiri or
    paripurna at its end; ``moved_down``: the reverse. A kampung that rose and fell back within
    the year is in neither. ``net`` is the change of the mandiri+ count, which also follows
    kampung that enter or leave with a level (a first level given during the year).
    """

    moved_up: int
    moved_down: int
    upper_at_start: int
    upper_at_end: int

    @property
    def net(self) -> int:
        return self.upper_at_end - self.upper_at_start


def moved_up(transitions: Iterable[tuple[str | None, str | None]]) -> Movement:
    """Count a year's movement from each kampung's (level at start, level at end) codes.

    The selectors count the same thing in SQL; this is the rule they follow.

    >>> moved_up([("dasar", "mandiri"), ("mandiri", "berkembang"), ("berkembang", "berkembang")])
    Movement(moved_up=1, moved_down=1, upper_at_start=1, upper_at_end=1)
    """
    up = down = start = end = 0
    for before, after in transitions:
        was, now = is_upper(before), is_upper(after)
        start += was
        end += now
        up += before is not None and not was and now
        down += was and after is not None and not now
    return Movement(moved_up=up, moved_down=down, upper_at_start=start, upper_at_end=end)


@dataclass(frozen=True)
class YearProgress:
    """One year of the target: the cumulative target against the mandiri+ count at year end."""

    year: int
    target: int
    actual: int
    is_current: bool
    base: int | None = None  # active kampung at the start of the year, when known
    quota: int = 0  # what this year adds to the target (0 in the baseline year)
    movement: Movement | None = None

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
    actual_by_year: Mapping[int, int],
    current_year: int,
    quota: int | None = None,
    total: int | None = None,
    bases: Mapping[int, int] | None = None,
    percent: Decimal = DEFAULT_PERCENT,
    rounding: str = DEFAULT_ROUNDING,
    movements: Mapping[int, Movement] | None = None,
) -> list[YearProgress]:
    """Target against actual for every year from the baseline up to and including ``current_year``.

    ``actual_by_year`` gives the mandiri+paripurna count at each year's end (for the current year:
    today), as the level history says. Give either one ``quota`` and ``total`` for every year,
    or ``bases`` (active kampung at the start of each year) with ``percent`` and ``rounding``:
    then each year's quota comes from its own base (``targets_by_year``). ``movements`` adds
    each year's moved-up/net counts to its row.
    """
    if bases is None:
        if quota is None or total is None:
            raise TypeError("yearly_progress needs quota and total, or bases")
        bases = {baseline_year: total}
        yearly_quota = {year: quota for year in range(baseline_year + 1, current_year + 1)}
        target = {
            year: target_for_year(
                year=year,
                baseline_year=baseline_year,
                baseline_upper=baseline_upper,
                quota=quota,
                total=total,
            )
            for year in range(baseline_year, current_year + 1)
        }
    else:
        if quota is not None or total is not None:
            raise TypeError("give quota and total, or bases, not both")
        target = targets_by_year(
            baseline_year=baseline_year,
            baseline_upper=baseline_upper,
            bases=bases,
            last_year=current_year,
            percent=percent,
            rounding=rounding,
        )
        yearly_quota = {
            year: annual_quota(base_for_year(bases, year), percent, rounding)
            for year in range(baseline_year + 1, current_year + 1)
        }
    return [
        YearProgress(
            year=year,
            target=target[year],
            actual=actual_by_year.get(year, 0),
            is_current=year == current_year,
            base=base_for_year(bases, year),
            quota=yearly_quota.get(year, 0),
            movement=(movements or {}).get(year),
        )
        for year in range(baseline_year, current_year + 1)
    ]


# --------------------------------------------------------------------------------------------
# A district's policy: the dates each year is counted on, its quota and its targets
# --------------------------------------------------------------------------------------------


def year_start(*, today: datetime.date, baseline_date: datetime.date) -> datetime.date:
    """The day whose level counts as "at the start of" ``today``'s year: 31 December of the
    year before, or the baseline date in the baseline year (the history begins there)."""
    return max(datetime.date(today.year - 1, 12, 31), baseline_date)


@dataclass(frozen=True)
class TargetRule:
    """One district's target policy as the arithmetic reads it (``TargetPolicy.rule``).

    Every date a year is counted on comes from here, so the target page, the dashboard, the
    report and the roll-ups count the same days: a year's *base* (active kampung at its start)
    on 1 January, in the baseline year on the baseline date; its *actual* (mandiri+) at
    31 December, in the current year today; its movement from the end of the year before (the
    baseline date in the baseline year) to its end.
    """

    baseline_date: datetime.date
    percent: Decimal = DEFAULT_PERCENT
    rounding: str = DEFAULT_ROUNDING

    @property
    def baseline_year(self) -> int:
        return self.baseline_date.year

    def years(self, today: datetime.date) -> list[int]:
        """The baseline year to ``today``'s year (none when the baseline lies in a later year)."""
        return list(range(self.baseline_year, today.year + 1))

    def base_date(self, year: int) -> datetime.date:
        """The day ``year``'s base is counted on: 1 January, or the baseline date."""
        return self.baseline_date if year == self.baseline_year else datetime.date(year, 1, 1)

    def base_dates(self, today: datetime.date) -> dict[int, datetime.date]:
        """``base_date`` of every year up to ``today``'s.

        >>> TargetRule(datetime.date(2025, 7, 31)).base_dates(datetime.date(2026, 5, 1))
        {2025: datetime.date(2025, 7, 31), 2026: datetime.date(2026, 1, 1)}
        """
        return {year: self.base_date(year) for year in self.years(today)}

    def year_end(self, year: int, today: datetime.date) -> datetime.date:
        """The day ``year``'s actual is counted on: 31 December, or ``today`` in its own year."""
        return today if year == today.year else datetime.date(year, 12, 31)

    def year_start(self, year: int) -> datetime.date:
        """The day ``year``'s movement is counted from (see the module's ``year_start``)."""
        return year_start(today=datetime.date(year, 1, 1), baseline_date=self.baseline_date)

    def periods(self, today: datetime.date) -> dict[int, tuple[datetime.date, datetime.date]]:
        """Each year's (start, end) up to ``today``: the movement ``moved_up`` counts."""
        return {
            year: (self.year_start(year), self.year_end(year, today)) for year in self.years(today)
        }

    def pace_since(self, today: datetime.date) -> datetime.date:
        """Where the pace window starts: twelve months back, or the baseline if more recent."""
        return max(year_before(today), self.baseline_date)

    def quota(self, base: int) -> int:
        """``annual_quota`` of ``base`` with this policy's percent and rounding."""
        return annual_quota(base, self.percent, self.rounding)

    def targets(
        self, *, baseline_upper: int, bases: Mapping[int, int], last_year: int
    ) -> dict[int, int]:
        """``targets_by_year`` with this policy's percent and rounding."""
        return targets_by_year(
            baseline_year=self.baseline_year,
            baseline_upper=baseline_upper,
            bases=bases,
            last_year=last_year,
            percent=self.percent,
            rounding=self.rounding,
        )

    def target_in(self, year: int, *, baseline_upper: int, bases: Mapping[int, int]) -> int:
        """The cumulative target of ``year`` alone (the roll-ups' one number per district)."""
        return self.targets(baseline_upper=baseline_upper, bases=bases, last_year=year)[year]

    def progress(
        self,
        *,
        baseline_upper: int,
        bases: Mapping[int, int],
        actual_by_year: Mapping[int, int],
        current_year: int,
        movements: Mapping[int, Movement] | None = None,
    ) -> list[YearProgress]:
        """``yearly_progress`` with this policy's percent and rounding, a base per year."""
        return yearly_progress(
            baseline_year=self.baseline_year,
            baseline_upper=baseline_upper,
            bases=bases,
            actual_by_year=actual_by_year,
            current_year=current_year,
            percent=self.percent,
            rounding=self.rounding,
            movements=movements,
        )


# --------------------------------------------------------------------------------------------
# Projection at the recent pace
# --------------------------------------------------------------------------------------------


def year_before(day: datetime.date) -> datetime.date:
    """The same day twelve months earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Pace:
    """Net mandiri+ kampung gained between ``since`` and ``until``, scaled to 12 months.

    The window is the last 12 months, shortened to start at the baseline when that is more
    recent (before it the history holds no levels); ``per_year`` scales what was gained to a
    full year. An empty window (today is the baseline date) has no pace.
    """

    since: datetime.date
    until: datetime.date
    gained: int

    @property
    def days(self) -> int:
        return (self.until - self.since).days

    @property
    def per_year(self) -> Decimal:
        if self.days <= 0:
            return Decimal(0)
        return Decimal(self.gained) * DAYS_PER_YEAR / self.days

    @property
    def is_full_year(self) -> bool:
        return self.since <= year_before(self.until)


@dataclass(frozen=True)
class ProjectedTarget:
    """When one year's target is reached at ``Pace``: ``reached_in`` None = not at this pace."""

    year: int
    target: int
    reached_in: int | None

    @property
    def on_time(self) -> bool:
        return self.reached_in is not None and self.reached_in <= self.year


def projection(
    *, today: datetime.date, upper_now: int, pace: Pace, targets: Mapping[int, int]
) -> list[ProjectedTarget]:
    """In which year each target would be met if the mandiri+ count grows at ``pace``.

    From ``upper_now`` today, the count grows linearly by ``pace.per_year`` a year; a target is
    reached in the first year (from this one) whose projected count at 31 December is at least
    the target. A target already met is reached this year; with a pace of 0 or less, a target
    not yet met is never reached (``None``: "tidak tercapai pada laju ini").
    """
    rate = pace.per_year
    result = []
    for year, target in sorted(targets.items()):
        if upper_now >= target:
            reached: int | None = today.year
        elif rate <= 0:
            reached = None
        else:
            # Days from today until the count reaches the target, then that day's year.
            days = math.ceil((Decimal(target - upper_now) * DAYS_PER_YEAR) / rate)
            reached = (today + datetime.timedelta(days=days)).year
        result.append(ProjectedTarget(year=year, target=target, reached_in=reached))
    return result
