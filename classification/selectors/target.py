"""The 5% target page's reads: yearly progress, movements by kecamatan, candidates to move up."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from ..models import (
    Activity,
    ClassificationLevel,
    Kampung,
    KampungFigures,
    KampungProfile,
    TargetPolicy,
)
from ..models.targets import rounding_phrase
from ..rules.plans import missing_for_next_level
from ..rules.scoring import (
    MET_THRESHOLD,
)
from ..rules.targets import (
    Movement,
    Pace,
    ProjectedTarget,
    TargetRule,
    YearProgress,
    base_for_year,
)
from ..rules.targets import projection as target_projection
from .levels import active_on, level_on, lower_codes, upper_codes
from .records import inputs_from_records


@dataclass(frozen=True)
class TargetProgress:
    """The 5%-a-year target of one kabupaten (domain.md §4) as ``target_progress`` reads it.

    ``rule`` is its policy (``rules.targets.TargetRule``). ``base`` and ``quota`` are the
    current year's; ``bases`` holds every year's base (active kampung at its start). ``pace``
    (net mandiri+ gained over the last 12 months) and each year's ``movement`` are there when
    the selector was asked for them (``detailed``).
    """

    rule: TargetRule
    base: int
    quota: int
    baseline_upper: int
    years: list[YearProgress]
    bases: dict[int, int] = field(default_factory=dict)
    today: datetime.date | None = None
    pace: Pace | None = None

    @property
    def policy_percent(self) -> Decimal:
        return self.rule.percent

    @property
    def rounding(self) -> str:
        return self.rule.rounding

    @property
    def rounding_label(self) -> str:
        """How the quota is rounded, inside a sentence: "dibulatkan ke atas" (the policy's)."""
        return rounding_phrase(self.rule.rounding)

    @property
    def baseline_date(self) -> datetime.date:
        return self.rule.baseline_date

    @property
    def current(self) -> YearProgress:
        return self.years[-1]

    @property
    def is_baseline_year(self) -> bool:
        """Whether today falls in the baseline year (no full year of movement yet)."""
        return self.today is not None and self.today.year == self.rule.baseline_year

    @property
    def year_start(self) -> datetime.date:
        """The day this year's movement is counted from (``TargetRule.year_start``)."""
        if self.today is None:
            raise ValueError("year_start needs target_progress(..., today=...)")
        return self.rule.year_start(self.today.year)

    def projection(self, *, years_ahead: int = 5) -> list[ProjectedTarget]:
        """When each target from this year to ``years_ahead`` later is met at ``pace`` (no query).

        Future years keep the current base (``rules.targets.base_for_year``).
        """
        if self.pace is None or self.today is None:
            raise ValueError("projection needs target_progress(..., detailed=True)")
        future = self.rule.targets(
            baseline_upper=self.baseline_upper,
            bases=self.bases,
            last_year=self.today.year + years_ahead,
        )
        return target_projection(
            today=self.today,
            upper_now=self.current.actual,
            pace=self.pace,
            targets={year: t for year, t in future.items() if year >= self.today.year},
        )


def target_policy_for(*, kabupaten_kode: str) -> TargetPolicy:
    """The kabupaten's policy, or the national default (5%, rounded up) when it has none."""
    policy = TargetPolicy.objects.filter(kabupaten_id=kabupaten_kode).first()
    return policy or TargetPolicy.national_default(kabupaten_kode=kabupaten_kode)


@dataclass(frozen=True)
class HistoryCounts:
    upper: list[int]  # mandiri+ on each date
    movements: list[Movement]  # one per (start, end) period
    bases: list[int]  # active kampung launched by each base date


def history_counts(
    *,
    kabupaten_kode: str,
    levels: list[ClassificationLevel],
    dates: Sequence[datetime.date] = (),
    periods: Sequence[tuple[datetime.date, datetime.date]] = (),
    base_dates: Sequence[datetime.date] = (),
) -> HistoryCounts:
    """Counts over the level history of one kabupaten's active kampung, in one query.

    Each kampung is annotated with its level on every date needed (``level_on``), then counted:
    mandiri+ on each of ``dates``; for each period, who moved up or down across the mandiri
    line (``rules.targets.moved_up``'s rule) and the mandiri+ count at both ends; and for each of
    ``base_dates`` the active kampung launched by then (``active_on``).
    """
    upper, lower = upper_codes(levels), lower_codes(levels)
    needed = dict.fromkeys([*dates, *(day for period in periods for day in period)])
    column = {day: f"level_{i}" for i, day in enumerate(needed)}
    counts: dict[str, Count] = {
        f"upper_{i}": Count("pk", filter=Q(**{f"{column[day]}__in": upper}))
        for i, day in enumerate(needed)
    }
    for i, (start, end) in enumerate(periods):
        was_lower = Q(**{f"{column[start]}__in": lower})
        was_upper = Q(**{f"{column[start]}__in": upper})
        counts[f"up_{i}"] = Count("pk", filter=was_lower & Q(**{f"{column[end]}__in": upper}))
        counts[f"down_{i}"] = Count("pk", filter=was_upper & Q(**{f"{column[end]}__in": lower}))
    for i, day in enumerate(base_dates):
        counts[f"base_{i}"] = Count("pk", filter=active_on(day))
    if not counts:
        return HistoryCounts(upper=[], movements=[], bases=[])
    row = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .annotate(**{name: level_on(day) for day, name in column.items()})
        .aggregate(**counts)
    )
    upper_on = {day: row[f"upper_{i}"] for i, day in enumerate(needed)}
    return HistoryCounts(
        upper=[upper_on[day] for day in dates],
        movements=[
            Movement(
                moved_up=row[f"up_{i}"],
                moved_down=row[f"down_{i}"],
                upper_at_start=upper_on[start],
                upper_at_end=upper_on[end],
            )
            for i, (start, end) in enumerate(periods)
        ],
        bases=[row[f"base_{i}"] for i in range(len(base_dates))],
    )


def target_progress(
    *,
    kabupaten_kode: str,
    levels: list[ClassificationLevel],
    today: datetime.date,
    total: int | None = None,
    detailed: bool = False,
) -> TargetProgress:
    """Target against actual at the baseline and at each year's end since (current year: today).

    Two queries: the policy, then one count over the level history (``history_counts``).

    Without ``total`` each year's quota comes from its own base, the active kampung at the start
    of that year (the baseline year: on the baseline date), so kampung launched later raise
    later quotas only (domain.md §4). With ``total``, that one base serves every year (the
    dashboard's original reading). ``detailed`` also counts each year's movement across the
    mandiri line and the net gain of the last 12 months (``pace``), in the same query. Every
    date counted on is the policy's (``TargetRule``).
    """
    rule = target_policy_for(kabupaten_kode=kabupaten_kode).rule
    years = rule.years(today)
    year_ends = [rule.year_end(year, today) for year in years]
    pace_since = rule.pace_since(today)
    counted = history_counts(
        kabupaten_kode=kabupaten_kode,
        levels=levels,
        dates=[rule.baseline_date, *year_ends, *([pace_since] if detailed else [])],
        periods=list(rule.periods(today).values()) if detailed else [],
        base_dates=[] if total is not None else list(rule.base_dates(today).values()),
    )
    baseline_upper, year_end = counted.upper[0], counted.upper[1 : 1 + len(years)]
    if total is not None:
        bases = {rule.baseline_year: total}
    else:
        bases = dict(zip(years, counted.bases, strict=True))
    current_base = base_for_year(bases, today.year)
    return TargetProgress(
        rule=rule,
        base=current_base,
        quota=rule.quota(current_base),
        baseline_upper=baseline_upper,
        years=rule.progress(
            baseline_upper=baseline_upper,
            bases=bases,
            actual_by_year=dict(zip(years, year_end, strict=True)),
            current_year=today.year,
            movements=dict(zip(years, counted.movements, strict=True)) if detailed else None,
        ),
        bases=bases,
        today=today,
        pace=(
            Pace(since=pace_since, until=today, gained=year_end[-1] - counted.upper[-1])
            if detailed and years
            else None
        ),
    )


@dataclass(frozen=True)
class KecamatanMovement:
    """One kecamatan's share of a period's movement across the mandiri line."""

    kode: str
    nama: str
    total: int
    movement: Movement


def movements_by_kecamatan(
    *,
    kabupaten_kode: str,
    levels: list[ClassificationLevel],
    start: datetime.date,
    end: datetime.date,
) -> list[KecamatanMovement]:
    """Per kecamatan, kampung that moved up into (or down from) mandiri+ between ``start`` and
    ``end``, with the mandiri+ count on both dates (one query).

    Levels are those on each date per the history, as in ``history_counts``; every kecamatan
    with an active kampung is listed, in code order.
    """
    upper, lower = upper_codes(levels), lower_codes(levels)
    rows = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .annotate(level_start=level_on(start), level_end=level_on(end))
        .values("kecamatan_id", "kecamatan__nama")
        .annotate(
            total=Count("pk"),
            up=Count("pk", filter=Q(level_start__in=lower, level_end__in=upper)),
            down=Count("pk", filter=Q(level_start__in=upper, level_end__in=lower)),
            upper_start=Count("pk", filter=Q(level_start__in=upper)),
            upper_end=Count("pk", filter=Q(level_end__in=upper)),
        )
        .order_by("kecamatan_id")
    )
    return [
        KecamatanMovement(
            kode=row["kecamatan_id"],
            nama=row["kecamatan__nama"],
            total=row["total"],
            movement=Movement(
                moved_up=row["up"],
                moved_down=row["down"],
                upper_at_start=row["upper_start"],
                upper_at_end=row["upper_end"],
            ),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TargetCandidate:
    """A kampung below mandiri that could move up: its levels, indices and what is missing.

    ``kampung`` carries its kecamatan, official and estimated level. ``shortfall`` is the sum
    of what its estimated group indices lack to reach 3.00. ``missing`` is
    ``rules.plans.missing_for_next_level`` on its current records.
    """

    kampung: Kampung
    shortfall: Decimal
    estimated_upper: bool
    missing: tuple[str, ...]


def _shortfall(name: str) -> Greatest:
    index = Coalesce(F(name), Value(Decimal("0")), output_field=_INDEX_FIELD)
    return Greatest(Value(Decimal("0")), Value(MET_THRESHOLD) - index, output_field=_INDEX_FIELD)


_INDEX_FIELD: DecimalField[Decimal, Decimal] = DecimalField(max_digits=4, decimal_places=2)


def target_candidates(
    *, kabupaten_kode: str, levels: list[ClassificationLevel], limit: int = 20
) -> list[TargetCandidate]:
    """Active kampung officially below mandiri (or without a level) that are nearest to it.

    First those whose *estimated* level is mandiri or above (only the verification is
    missing), then the others by the sum of their estimated indices' shortfalls below 3.00,
    smallest first; ties by desa code. Kampung with no records yet (no estimate) are left out.
    At most ``limit`` rows, each with what is missing for its next level, computed from its
    latest profile, latest figures and cross-sector agencies: four queries whatever ``limit``
    (one when nothing qualifies).
    """
    upper = upper_codes(levels)
    rows = list(
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .filter(estimated_level__isnull=False)
        .filter(Q(official_level__isnull=True) | Q(official_level_id__in=lower_codes(levels)))
        .select_related("kecamatan", "official_level", "estimated_level")
        .defer("boundary")
        .annotate(
            estimated_upper=Case(
                When(estimated_level_id__in=upper, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            shortfall=ExpressionWrapper(
                _shortfall("estimated_input")
                + _shortfall("estimated_proses")
                + _shortfall("estimated_output"),
                output_field=_INDEX_FIELD,
            ),
        )
        .order_by("-estimated_upper", "shortfall", "desa_kode")[:limit]
    )
    missing = _missing_for_next_level([row.pk for row in rows])
    return [
        TargetCandidate(
            kampung=row,
            shortfall=Decimal(row.shortfall).quantize(Decimal("0.01")),
            estimated_upper=row.estimated_upper,
            missing=missing[row.pk],
        )
        for row in rows
    ]


def _missing_for_next_level(kampung_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """``rules.plans.missing_for_next_level`` for many kampung at once (three queries; none for
    none).

    From the same records as ``kampung_records``: the latest profile, the latest figures and the
    distinct cross-sector agencies of all activities, each fetched for every kampung at once.
    """
    if not kampung_ids:
        return {}
    latest_profile_id = Subquery(
        KampungProfile.objects.filter(kampung=OuterRef("kampung"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    latest_figures_id = Subquery(
        KampungFigures.objects.filter(kampung=OuterRef("kampung"))
        .order_by("-period")
        .values("pk")[:1]
    )
    profiles = {
        profile.kampung_id: profile
        for profile in KampungProfile.objects.filter(
            kampung_id__in=kampung_ids, pk=latest_profile_id
        )
    }
    figures = {
        item.kampung_id: item
        for item in KampungFigures.objects.filter(kampung_id__in=kampung_ids, pk=latest_figures_id)
    }
    agencies = dict(
        Activity.agencies.through.objects.filter(
            activity__kampung_id__in=kampung_ids, agency__counts_for_cross_sector=True
        )
        .values("activity__kampung_id")
        .annotate(n=Count("agency_id", distinct=True))
        # django-stubs 5.2 loses "n" after values().annotate() (typeddjango/django-stubs#3471).
        .values_list("activity__kampung_id", "n")  # type: ignore[misc]
    )
    return {
        pk: tuple(
            missing_for_next_level(
                inputs_from_records(profiles.get(pk), figures.get(pk), agencies.get(pk, 0))
            )
        )
        for pk in kampung_ids
    }
