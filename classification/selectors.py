"""Every read the pages need. Each selector is a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from .models import (
    Activity,
    Agency,
    Assessment,
    ClassificationLevel,
    Kabupaten,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    Kecamatan,
    LevelChange,
    PokjaMembership,
    TargetPolicy,
    ThematicProgram,
)
from .models.levels import UPPER_LEVEL_MIN_RANK
from .permissions import BKKBN_GROUP, DP3A_GROUP, access_for, kampung_read_filter
from .rules.assessment import Assessment as RuleAssessment
from .rules.assessment import assess
from .rules.figures import NOT_USING_FIELDS, POKTAN_TARGET_FIELDS, USER_FIELDS
from .rules.inputs import KampungInputs
from .rules.numbers import format_decimal
from .rules.plans import missing_for_next_level
from .rules.scoring import (
    MET_THRESHOLD,
    cpr_percent,
    mkjp_percent,
    participation_percent,
    poktan_participation,
    unmet_need_percent,
)
from .rules.targets import (
    Movement,
    Pace,
    ProjectedTarget,
    YearProgress,
    annual_quota,
    base_for_year,
    projection,
    targets_by_year,
    year_before,
    yearly_progress,
)
from .rules.vocabularies import GROUP_LABELS, GROUPS, INDICATOR_LABELS, INDICATORS


@dataclass(frozen=True)
class LevelCount:
    code: str
    label: str
    colour: str
    count: int
    share: Decimal  # percent of all kampung, one decimal


@dataclass(frozen=True)
class DistrictSummary:
    total: int
    kecamatan_count: int
    levels: list[LevelCount]
    unassigned: int
    upper_count: int
    upper_share: Decimal

    def count_of(self, code: str) -> int:
        return next((level.count for level in self.levels if level.code == code), 0)


@dataclass(frozen=True)
class KecamatanLevels:
    kode: str
    nama: str
    total: int
    counts: list[int]  # in the order of the levels passed to the selector


@dataclass(frozen=True)
class ProgramLevels:
    pk: int
    name: str
    total: int
    counts: list[int]  # in the order of the levels passed to the selector


@dataclass(frozen=True)
class TargetProgress:
    """The 5%-a-year target of one kabupaten (domain.md §4) as ``target_progress`` reads it.

    ``base`` and ``quota`` are the current year's; ``bases`` holds every year's base (active
    kampung at its start). ``pace`` (net mandiri+ gained over the last 12 months) and each
    year's ``movement`` are there when the selector was asked for them (``detailed``).
    """

    policy_percent: Decimal
    rounding: str
    baseline_date: datetime.date
    base: int
    quota: int
    baseline_upper: int
    years: list[YearProgress]
    bases: dict[int, int] = field(default_factory=dict)
    today: datetime.date | None = None
    pace: Pace | None = None

    @property
    def current(self) -> YearProgress:
        return self.years[-1]

    def projection(self, *, years_ahead: int = 5) -> list[ProjectedTarget]:
        """When each target from this year to ``years_ahead`` later is met at ``pace`` (no query).

        Future years keep the current base (``targets.base_for_year``).
        """
        if self.pace is None or self.today is None:
            raise ValueError("projection needs target_progress(..., detailed=True)")
        future = targets_by_year(
            baseline_year=self.baseline_date.year,
            baseline_upper=self.baseline_upper,
            bases=self.bases,
            last_year=self.today.year + years_ahead,
            percent=self.policy_percent,
            rounding=self.rounding,
        )
        return projection(
            today=self.today,
            upper_now=self.current.actual,
            pace=self.pace,
            targets={year: t for year, t in future.items() if year >= self.today.year},
        )


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def level_list() -> list[ClassificationLevel]:
    """The four levels in rank order (one query; pass the result to the selectors below)."""
    return list(ClassificationLevel.objects.order_by("rank"))


def upper_codes(levels: list[ClassificationLevel]) -> list[str]:
    return [level.code for level in levels if level.rank >= UPPER_LEVEL_MIN_RANK]


def _level_count_kwargs(
    levels: list[ClassificationLevel], prefix: str = "", field: str = "official_level_id"
) -> dict:
    return {
        f"n_{level.code}": Count("pk", filter=Q(**{f"{prefix}{field}": level.code}))
        for level in levels
    }


def _kampung_levels_on(kabupaten_kode: str, on: datetime.date | None):
    """The kabupaten's active kampung and the field holding their level: the official level
    now, or (``on`` given) the level the history says they held that day."""
    queryset = Kampung.objects.active().in_kabupaten(kabupaten_kode)
    if on is None:
        return queryset, "official_level_id"
    return queryset.annotate(level_then=_level_on(on)), "level_then"


def kabupaten_for_user(*, user, kode: str) -> Kabupaten:
    """The kabupaten ``kode`` if the user may read it; 404 otherwise (never reveal what exists)."""
    if not access_for(user).reads_kabupaten(kode):
        raise Http404
    try:
        return Kabupaten.objects.select_related("provinsi").get(kode=kode)
    except Kabupaten.DoesNotExist as exc:
        raise Http404 from exc


def home_kabupaten_code(*, user) -> str | None:
    """The kabupaten a user's dashboard opens on: their own district, else the first in scope."""
    access = access_for(user)
    for codes in (access.managed_kabupaten, access.read_kabupaten):
        if codes:
            return min(codes)
    if access.read_provinsi:
        return (
            Kabupaten.objects.filter(
                provinsi_id__in=access.read_provinsi, kecamatan__kampung__isnull=False
            )
            .order_by("kode")
            .values_list("kode", flat=True)
            .first()
        )
    if access.sees_everything:
        return settings.DEFAULT_KABUPATEN
    return None


def district_summary(
    *, kabupaten_kode: str, levels: list[ClassificationLevel], on: datetime.date | None = None
) -> DistrictSummary:
    """Totals and the level distribution of one kabupaten's active Kampung KB (one query).

    With ``on``, levels as they were that day per the history; kampung without a change by
    then count as not yet assigned (a dated snapshot for /laporan/).
    """
    queryset, field = _kampung_levels_on(kabupaten_kode, on)
    row = queryset.aggregate(
        total=Count("pk"),
        kecamatan_count=Count("kecamatan", distinct=True),
        **_level_count_kwargs(levels, field=field),
    )
    total = row["total"]
    counts = [
        LevelCount(
            code=level.code,
            label=level.label,
            colour=level.colour,
            count=row[f"n_{level.code}"],
            share=percent(row[f"n_{level.code}"], total),
        )
        for level in levels
    ]
    upper = sum(c.count for c in counts if c.code in upper_codes(levels))
    return DistrictSummary(
        total=total,
        kecamatan_count=row["kecamatan_count"],
        levels=counts,
        unassigned=total - sum(c.count for c in counts),
        upper_count=upper,
        upper_share=percent(upper, total),
    )


def level_counts_by_kecamatan(
    *, kabupaten_kode: str, levels: list[ClassificationLevel], on: datetime.date | None = None
) -> list[KecamatanLevels]:
    """Per kecamatan, how many active kampung sit at each level (one query); ``on`` as in
    ``district_summary``."""
    queryset, field = _kampung_levels_on(kabupaten_kode, on)
    rows = (
        queryset.values("kecamatan_id", "kecamatan__nama")
        .annotate(total=Count("pk"), **_level_count_kwargs(levels, field=field))
        .order_by("kecamatan_id")
    )
    return [
        KecamatanLevels(
            kode=row["kecamatan_id"],
            nama=row["kecamatan__nama"],
            total=row["total"],
            counts=[row[f"n_{level.code}"] for level in levels],
        )
        for row in rows
    ]


def program_counts_by_level(
    *, kabupaten_kode: str, levels: list[ClassificationLevel]
) -> list[ProgramLevels]:
    """Per active thematic programme, how many active Kampung KB of the kabupaten carry it
    (tag aktif or rintisan), split by official level (one query).

    Every active programme is listed, with zeros where no kampung carries it yet.
    """
    tag = "kampung_tags__"
    carried = Q(
        **{
            f"{tag}status__in": [KampungProgram.Status.AKTIF, KampungProgram.Status.RINTISAN],
            f"{tag}kampung__is_active": True,
            f"{tag}kampung__kecamatan__kabupaten_id": kabupaten_kode,
        }
    )
    rows = (
        ThematicProgram.objects.filter(is_active=True)
        .values("pk", "name")
        .annotate(
            total=Count(f"{tag}pk", filter=carried),
            **{
                f"n_{level.code}": Count(
                    f"{tag}pk",
                    filter=carried & Q(**{f"{tag}kampung__official_level_id": level.code}),
                )
                for level in levels
            },
        )
        .order_by("name")
    )
    return [
        ProgramLevels(
            pk=row["pk"],
            name=row["name"],
            total=row["total"],
            counts=[row[f"n_{level.code}"] for level in levels],
        )
        for row in rows
    ]


def _level_on(date: datetime.date) -> Case:
    """The level each kampung held on ``date``: its last change dated on or before that day.

    ``Kampung.official_level`` is a copy of the latest change (``services.kampung_set_level``
    keeps it so), so a kampung whose latest change is on or before ``date`` held that level then
    and needs no lookup. Only the others read the history: nationally that spares most of the
    83,762 correlated lookups for any recent date (EXPLAIN ANALYZE: ~250 ms per date).
    """
    return Case(
        When(official_level_since__lte=date, then=F("official_level_id")),
        default=Subquery(
            LevelChange.objects.filter(kampung=OuterRef("pk"), effective_date__lte=date)
            .order_by("-effective_date", "-created_at", "-id")
            .values("level_to_id")[:1]
        ),
        output_field=CharField(),
    )


def upper_counts_on(
    *, kabupaten_kode: str, dates: list[datetime.date], levels: list[ClassificationLevel]
) -> list[int]:
    """How many active kampung were mandiri or above on each date, per the history (one query)."""
    upper = upper_codes(levels)
    annotated = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .annotate(**{f"level_{i}": _level_on(date) for i, date in enumerate(dates)})
    )
    row = annotated.aggregate(
        **{
            f"upper_{i}": Count("pk", filter=Q(**{f"level_{i}__in": upper}))
            for i in range(len(dates))
        }
    )
    return [row[f"upper_{i}"] for i in range(len(dates))]


def target_policy_for(*, kabupaten_kode: str) -> TargetPolicy:
    """The kabupaten's policy, or the national default (5%, rounded up) when it has none."""
    policy = TargetPolicy.objects.filter(kabupaten_id=kabupaten_kode).first()
    if policy is None:
        policy = TargetPolicy(
            kabupaten_id=kabupaten_kode,
            baseline_date=datetime.date.fromisoformat(settings.DEFAULT_TARGET_BASELINE_DATE),
        )
    return policy


def _lower_codes(levels: list[ClassificationLevel]) -> list[str]:
    return [level.code for level in levels if level.rank < UPPER_LEVEL_MIN_RANK]


def _active_on(date: datetime.date) -> Q:
    """Launched on or before ``date``; a kampung without a launch date counts from the start.

    ``Kampung`` keeps no date for ``is_active``: a deactivated kampung leaves every year's base.
    """
    return Q(tanggal_pencanangan__isnull=True) | Q(tanggal_pencanangan__lte=date)


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

    Each kampung is annotated with its level on every date needed (``_level_on``), then counted:
    mandiri+ on each of ``dates``; for each period, who moved up or down across the mandiri
    line (``targets.moved_up``'s rule) and the mandiri+ count at both ends; and for each of
    ``base_dates`` the active kampung launched by then (``_active_on``).
    """
    upper, lower = upper_codes(levels), _lower_codes(levels)
    needed = dict.fromkeys([*dates, *(day for period in periods for day in period)])
    column = {day: f"level_{i}" for i, day in enumerate(needed)}
    counts: dict = {
        f"upper_{i}": Count("pk", filter=Q(**{f"{column[day]}__in": upper}))
        for i, day in enumerate(needed)
    }
    for i, (start, end) in enumerate(periods):
        was_lower = Q(**{f"{column[start]}__in": lower})
        was_upper = Q(**{f"{column[start]}__in": upper})
        counts[f"up_{i}"] = Count("pk", filter=was_lower & Q(**{f"{column[end]}__in": upper}))
        counts[f"down_{i}"] = Count("pk", filter=was_upper & Q(**{f"{column[end]}__in": lower}))
    for i, day in enumerate(base_dates):
        counts[f"base_{i}"] = Count("pk", filter=_active_on(day))
    if not counts:
        return HistoryCounts(upper=[], movements=[], bases=[])
    row = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .annotate(**{name: _level_on(day) for day, name in column.items()})
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
    mandiri line and the net gain of the last 12 months (``pace``), in the same query.
    """
    policy = target_policy_for(kabupaten_kode=kabupaten_kode)
    baseline_year = policy.baseline_date.year
    years = list(range(baseline_year, today.year + 1))
    year_ends = [today if year == today.year else datetime.date(year, 12, 31) for year in years]
    starts = [policy.baseline_date] + year_ends[:-1]
    pace_since = max(year_before(today), policy.baseline_date)
    counted = history_counts(
        kabupaten_kode=kabupaten_kode,
        levels=levels,
        dates=[policy.baseline_date, *year_ends, *([pace_since] if detailed else [])],
        periods=list(zip(starts, year_ends, strict=True)) if detailed else [],
        base_dates=(
            []
            if total is not None
            else [policy.baseline_date] + [datetime.date(year, 1, 1) for year in years[1:]]
        ),
    )
    baseline_upper, year_end = counted.upper[0], counted.upper[1 : 1 + len(years)]
    if total is not None:
        bases = {baseline_year: total}
    else:
        bases = dict(zip(years, counted.bases, strict=True))
    current_base = base_for_year(bases, today.year)
    return TargetProgress(
        policy_percent=policy.annual_percent,
        rounding=policy.rounding,
        baseline_date=policy.baseline_date,
        base=current_base,
        quota=annual_quota(current_base, policy.annual_percent, policy.rounding),
        baseline_upper=baseline_upper,
        years=yearly_progress(
            baseline_year=baseline_year,
            baseline_upper=baseline_upper,
            bases=bases,
            percent=policy.annual_percent,
            rounding=policy.rounding,
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
    upper, lower = upper_codes(levels), _lower_codes(levels)
    rows = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .annotate(level_start=_level_on(start), level_end=_level_on(end))
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
    ``levels.missing_for_next_level`` on its current records.
    """

    kampung: Kampung
    shortfall: Decimal
    estimated_upper: bool
    missing: tuple[str, ...]


def _shortfall(name: str):
    index = Coalesce(F(name), Value(Decimal("0")), output_field=_INDEX_FIELD)
    return Greatest(Value(Decimal("0")), Value(MET_THRESHOLD) - index, output_field=_INDEX_FIELD)


_INDEX_FIELD = DecimalField(max_digits=4, decimal_places=2)


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
        .filter(Q(official_level__isnull=True) | Q(official_level_id__in=_lower_codes(levels)))
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
    """``levels.missing_for_next_level`` for many kampung at once (three queries; none for none).

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
        .values_list("activity__kampung_id", "n")
    )
    return {
        pk: tuple(
            missing_for_next_level(
                inputs_from_records(profiles.get(pk), figures.get(pk), agencies.get(pk, 0))
            )
        )
        for pk in kampung_ids
    }


def readable_kabupaten(*, user) -> list[Kabupaten]:
    """The kabupaten with Kampung KB the user may read, by code (one query).

    For the district chooser of reviewers who read several; superusers get every one.
    """
    access = access_for(user)
    queryset = Kabupaten.objects.filter(
        kode__in=Kecamatan.objects.filter(kampung__isnull=False).values("kabupaten_id")
    )
    if not access.sees_everything:
        queryset = queryset.filter(
            Q(kode__in=access.read_kabupaten) | Q(provinsi_id__in=access.read_provinsi)
        )
    return list(queryset.order_by("kode"))


def map_features(*, kabupaten_kode: str) -> list[dict]:
    """Code, name, level and boundary of every kampung that has one (one query)."""
    return list(
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .filter(boundary__isnull=False)
        .values("desa_kode", "desa_nama", "kecamatan__nama", "official_level_id", "boundary")
        .order_by("desa_kode")
    )


def recent_level_changes(*, kabupaten_kode: str, limit: int = 10) -> list[LevelChange]:
    return list(
        LevelChange.objects.filter(kampung__kecamatan__kabupaten_id=kabupaten_kode)
        .exclude(source=LevelChange.Source.BASELINE)
        .select_related("kampung", "level_from", "level_to", "changed_by")
        .defer("kampung__boundary")
        .order_by("-created_at", "-id")[:limit]
    )


def kampung_for_user(*, user, desa_kode: str) -> Kampung:
    """One kampung the user may read, with its region; 404 when out of reach."""
    try:
        return (
            Kampung.objects.visible_to(user)
            .select_related("kecamatan__kabupaten__provinsi", "official_level")
            .defer("boundary")
            .get(desa_kode=desa_kode)
        )
    except Kampung.DoesNotExist as exc:
        raise Http404 from exc


def level_history(*, kampung: Kampung) -> list[LevelChange]:
    return list(
        kampung.level_changes.select_related("level_from", "level_to", "changed_by").order_by(
            "-effective_date", "-created_at", "-id"
        )
    )


def latest_profile(*, kampung: Kampung) -> KampungProfile | None:
    return kampung.profiles.order_by("-created_at", "-id").first()


def latest_figures(*, kampung: Kampung) -> KampungFigures | None:
    return kampung.figures.order_by("-period").first()


def cross_sector_agency_count(*, kampung: Kampung) -> int:
    """Distinct cross-sector agencies in the kampung's recorded activities (indicator P3).

    Counted over all activities, as domain.md §2 says, with no time window: a window would make
    the stored estimate drift as days pass without anybody changing the records.
    """
    return (
        Agency.objects.filter(counts_for_cross_sector=True, activities__kampung=kampung)
        .distinct()
        .count()
    )


def inputs_from_records(
    profile: KampungProfile | None, figures: KampungFigures | None, cross_sector_agencies: int
) -> KampungInputs:
    """The scoring rule's inputs from a kampung's current records; what is missing stays None."""
    values: dict = {"cross_sector_agencies": cross_sector_agencies}
    if profile is not None:
        values.update(
            pokja_exists=profile.pokja_exists,
            pokja_has_members=profile.pokja_members > 0,
            pokja_members_trained=profile.pokja_members_trained > 0,
            funding_sources=profile.funding_sources,
            poktan_present=profile.poktan_present,
            has_sekretariat=profile.has_sekretariat,
            has_rumah_dataku=profile.has_rumah_dataku,
            has_pendamping=profile.has_pendamping,
            has_regulation=profile.has_regulation,
            data_sources=profile.data_sources,
            mechanisms=profile.mechanisms_held,
        )
    if figures is not None:
        values.update(
            {name: getattr(figures, name) for name in FIGURE_INPUT_FIELDS},
        )
    return KampungInputs(**values)


FIGURE_INPUT_FIELDS = (
    "families",
    "pus",
    "remaja",
    "families_with_balita",
    "families_with_remaja",
    "families_with_lansia",
    *POKTAN_TARGET_FIELDS,
    *USER_FIELDS,
    *NOT_USING_FIELDS,
)


@dataclass(frozen=True)
class KampungRecords:
    profile: KampungProfile | None
    figures: KampungFigures | None
    cross_sector_agencies: int
    assessment: RuleAssessment


def kampung_records(*, kampung: Kampung) -> KampungRecords:
    """The current profile and figures, and what the scoring rule makes of them (3 queries)."""
    profile = latest_profile(kampung=kampung)
    figures = latest_figures(kampung=kampung)
    agencies = cross_sector_agency_count(kampung=kampung)
    return KampungRecords(
        profile=profile,
        figures=figures,
        cross_sector_agencies=agencies,
        assessment=assess(inputs_from_records(profile, figures, agencies)),
    )


@dataclass(frozen=True)
class FiguresShares:
    """One period's figures with the percentages the scoring rule computes from them (§2)."""

    figures: KampungFigures
    users: int
    cpr: int | None
    mkjp: int | None
    unmet_need: int | None
    participation: int | None
    poktan_participation: dict[str, int | None]


def figures_shares(figures: KampungFigures) -> FiguresShares:
    """CPR, MKJP, unmet need and poktan participation of one period (no query)."""
    inputs = inputs_from_records(None, figures, 0)
    return FiguresShares(
        figures=figures,
        users=figures.total_users,
        cpr=cpr_percent(inputs),
        mkjp=mkjp_percent(inputs),
        unmet_need=unmet_need_percent(inputs),
        participation=participation_percent(inputs),
        poktan_participation=poktan_participation(inputs),
    )


def profile_versions(*, kampung: Kampung) -> list[KampungProfile]:
    """Every saved version of the profile, newest first, with its author (one query)."""
    return list(kampung.profiles.select_related("created_by").order_by("-created_at", "-id"))


def figures_history(*, kampung: Kampung):
    """The kampung's figures by period, newest first (a lazy queryset, for pagination)."""
    return kampung.figures.select_related("created_by").order_by("-period")


def kampung_activities(*, kampung: Kampung):
    """The kampung's activities, newest first, with agencies and programme (two queries)."""
    return (
        kampung.activities.select_related("program", "created_by")
        .prefetch_related("agencies")
        .order_by("-date", "-id")
    )


def kampung_program_tags(*, kampung: Kampung) -> list:
    """The kampung's thematic programme tags, by programme name (one query)."""
    return list(kampung.programs.select_related("program").order_by("program__name"))


def public_kampung(*, desa_kode: str) -> Kampung:
    """An active kampung for its public page (anyone may read it); 404 otherwise."""
    try:
        return (
            Kampung.objects.active()
            .select_related("kecamatan__kabupaten", "official_level")
            .defer("boundary")
            .get(desa_kode=desa_kode)
        )
    except Kampung.DoesNotExist as exc:
        raise Http404 from exc


def public_activities(*, kampung: Kampung, limit: int = 5) -> list[dict]:
    """Date and title of the latest activities: all the public page shows (one query)."""
    return list(kampung.activities.order_by("-date", "-id").values("date", "title")[:limit])


# --------------------------------------------------------------------------------------------
# Pokja accounts, for the DP3A staff who manage them (classification.accounts writes them)
# --------------------------------------------------------------------------------------------

# People with one of these roles are staff, not Pokja accounts, whatever seats they hold.
STAFF_GROUPS = (DP3A_GROUP, BKKBN_GROUP)
_JABATAN_ORDER = {value: index for index, value in enumerate(PokjaMembership.Jabatan.values)}


def manageable_pokja_users(*, user):
    """The accounts ``user`` may manage, as a lazy queryset (``accounts._managed_user``'s rule).

    At least one Pokja seat, every seat in a kabupaten ``user`` manages (superuser: any), and no
    staff role of their own (admin, DP3A, BKKBN).
    """
    access = access_for(user)
    User = get_user_model()
    if not (access.superuser or access.managed_kabupaten):
        return User.objects.none()
    seats = PokjaMembership.objects.filter(user=OuterRef("pk"))
    staff_roles = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=STAFF_GROUPS
    )
    users = User.objects.filter(Exists(seats), is_staff=False, is_superuser=False).exclude(
        Exists(staff_roles)
    )
    if not access.superuser:
        outside = seats.exclude(kampung__kecamatan__kabupaten_id__in=access.managed_kabupaten)
        users = users.exclude(Exists(outside))
    return users


def pokja_account_rows(*, user, q: str = "", active: bool | None = None):
    """One row per Pokja seat of the accounts ``user`` manages, with user and kampung.

    A lazy queryset of one query (the table's paginator adds a count), whatever the number of
    accounts. ``q`` matches kampung, kecamatan, desa code, username and names.
    """
    rows = (
        PokjaMembership.objects.filter(user__in=manageable_pokja_users(user=user))
        .select_related("user", "kampung__kecamatan")
        .only(
            "jabatan",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__is_active",
            "user__last_login",
            "kampung__desa_kode",
            "kampung__desa_nama",
            "kampung__nama_kampung",
            "kampung__kecamatan__nama",
        )
    )
    if q:
        rows = rows.filter(
            Q(kampung__desa_nama__icontains=q)
            | Q(kampung__nama_kampung__icontains=q)
            | Q(kampung__kecamatan__nama__icontains=q)
            | Q(kampung__desa_kode__startswith=q)
            | Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
        )
    if active is not None:
        rows = rows.filter(user__is_active=active)
    return rows.order_by("kampung__kecamatan__nama", "kampung__desa_nama", "user__username")


def managed_pokja_account(*, user, pk: int):
    """One account ``user`` may manage, with its seats (two queries); 404 for any other user."""
    seats = PokjaMembership.objects.select_related("kampung__kecamatan").defer("kampung__boundary")
    try:
        return (
            manageable_pokja_users(user=user)
            .prefetch_related(Prefetch("pokja_memberships", queryset=seats))
            .get(pk=pk)
        )
    except get_user_model().DoesNotExist as exc:
        raise Http404 from exc


def account_kampung_choices(*, user):
    """Active kampung where ``user`` may seat a new Pokja account, by kecamatan then desa."""
    access = access_for(user)
    kampung = Kampung.objects.active().select_related("kecamatan")
    if not access.superuser:
        kampung = kampung.filter(kecamatan__kabupaten_id__in=access.managed_kabupaten)
    return kampung.only("desa_kode", "desa_nama", "kecamatan__nama").order_by(
        "kecamatan__nama", "kecamatan_id", "desa_nama"
    )


def kampung_pokja_members(*, kampung: Kampung) -> list[PokjaMembership]:
    """The kampung's Pokja members, ketua first, inactive accounts last (one query)."""
    members = kampung.pokja_members.select_related("user")
    return sorted(
        members,
        key=lambda member: (
            not member.user.is_active,
            _JABATAN_ORDER.get(member.jabatan, len(_JABATAN_ORDER)),
            (member.user.get_full_name() or member.user.username).lower(),
        ),
    )


# --------------------------------------------------------------------------------------------
# The verification workflow: a kampung's assessments, the DP3A queue, what changed since the
# last verified assessment, a Pokja's own kampung on the dashboard.
# --------------------------------------------------------------------------------------------

_ASSESSMENT_RELATED = (
    "estimated_level",
    "proposed_level",
    "verified_level",
    "official_level_at_submission",
    "submitted_by",
    "reviewed_by",
)


def kampung_assessments(*, kampung: Kampung) -> list[Assessment]:
    """The kampung's assessments, newest first, with their levels and people (one query)."""
    return list(
        kampung.assessments.select_related(*_ASSESSMENT_RELATED).order_by("-created_at", "-id")
    )


def open_assessment(*, kampung: Kampung) -> Assessment | None:
    """The kampung's assessment still in the workflow (draft, submitted, returned), if any.

    One query; at most one exists (``assessment_one_open_per_kampung``).
    """
    return (
        kampung.assessments.filter(status__in=Assessment.OPEN_STATUSES)
        .select_related("proposed_level", "estimated_level")
        .first()
    )


@dataclass(frozen=True)
class ScoreChange:
    """One indicator whose score differs from the last verified assessment ("O2 CPR 2 → 3")."""

    code: str
    label: str
    before: int | None
    after: int | None

    def __str__(self) -> str:
        return f"{self.code} {self.label} {_score_text(self.before)} → {_score_text(self.after)}"


@dataclass(frozen=True)
class IndexChange:
    """One group index that moved ("Indeks Output 3,25 → 3,50")."""

    group: str
    before: Decimal | None
    after: Decimal | None

    @property
    def before_text(self) -> str:
        return _index_text(self.before)

    @property
    def after_text(self) -> str:
        return _index_text(self.after)

    def __str__(self) -> str:
        return f"Indeks {self.group} {self.before_text} → {self.after_text}"


def _score_text(score: int | None) -> str:
    return "—" if score is None else str(score)


def _index_text(index: Decimal | None) -> str:
    return "—" if index is None else format_decimal(Decimal(index))


@dataclass(frozen=True)
class AssessmentChanges:
    """What an assessment changes against the kampung's latest verified one (``previous``)."""

    previous: Assessment | None
    scores: list[ScoreChange]
    indices: list[IndexChange]

    @property
    def is_first(self) -> bool:
        return self.previous is None

    @property
    def unchanged(self) -> bool:
        return self.previous is not None and not self.scores and not self.indices


def assessment_changes(*, assessment: Assessment, previous: Assessment | None) -> AssessmentChanges:
    """Indicators whose score changed, and group indices that moved, since ``previous`` (no query).

    ``previous`` is the kampung's latest verified assessment; None means this is the first.
    """
    if previous is None:
        return AssessmentChanges(previous=None, scores=[], indices=[])
    before, after = previous.scores or {}, assessment.scores or {}
    scores = [
        ScoreChange(
            code=code.upper(),
            label=INDICATOR_LABELS[code],
            before=before.get(code),
            after=after.get(code),
        )
        for code in INDICATORS
        if before.get(code) != after.get(code)
    ]
    indices = [
        IndexChange(
            group=GROUP_LABELS[group],
            before=getattr(previous, f"index_{group}"),
            after=getattr(assessment, f"index_{group}"),
        )
        for group in GROUPS
        if getattr(previous, f"index_{group}") != getattr(assessment, f"index_{group}")
    ]
    return AssessmentChanges(previous=previous, scores=scores, indices=indices)


def _latest_verified(kampung_ref) -> Subquery:
    return Subquery(
        Assessment.objects.filter(kampung=kampung_ref, status=Assessment.Status.VERIFIED)
        .order_by("-reviewed_at", "-id")
        .values("pk")[:1]
    )


def latest_verified_assessment(*, assessment: Assessment) -> Assessment | None:
    """The kampung's latest verified assessment before ``assessment`` (one query)."""
    queryset = Assessment.objects.filter(
        kampung_id=assessment.kampung_id, status=Assessment.Status.VERIFIED
    ).exclude(pk=assessment.pk)
    if assessment.status == Assessment.Status.VERIFIED and assessment.reviewed_at:
        queryset = queryset.filter(reviewed_at__lt=assessment.reviewed_at)
    return queryset.select_related("verified_level").order_by("-reviewed_at", "-id").first()


@dataclass(frozen=True)
class QueueRow:
    assessment: Assessment
    changes: AssessmentChanges


def verification_queue(*, user) -> list[QueueRow]:
    """Submitted assessments in the kabupaten the user manages (superuser: all), oldest first.

    Two queries whatever the queue's length (one when it is empty): the rows with their kampung,
    levels and submitter, then every row's latest verified assessment at once.
    """
    access = access_for(user)
    queryset = Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
    if not access.sees_everything:
        queryset = queryset.filter(kampung__kecamatan__kabupaten_id__in=access.managed_kabupaten)
    rows = list(
        queryset.select_related(
            "kampung__kecamatan",
            "kampung__official_level",
            "estimated_level",
            "proposed_level",
            "submitted_by",
        )
        .defer("kampung__boundary")
        .order_by("submitted_at", "id")
    )
    if not rows:
        return []
    previous = {
        verified.kampung_id: verified
        for verified in Assessment.objects.filter(
            kampung_id__in={row.kampung_id for row in rows},
            status=Assessment.Status.VERIFIED,
            pk=_latest_verified(OuterRef("kampung")),
        ).select_related("verified_level")
    }
    return [
        QueueRow(
            assessment=row,
            changes=assessment_changes(assessment=row, previous=previous.get(row.kampung_id)),
        )
        for row in rows
    ]


def assessment_for_review(*, user, pk: int) -> Assessment:
    """A submitted (or already processed) assessment of a kampung the user may read.

    404 when its kampung is out of the user's reach, or when it is a draft nobody submitted.
    One query, with everything the review page shows.
    """
    queryset = Assessment.objects.exclude(status=Assessment.Status.DRAFT)
    limit = kampung_read_filter(access_for(user), "kampung__")
    if limit is not None:
        queryset = queryset.filter(limit)
    try:
        return (
            queryset.select_related(
                "kampung__kecamatan__kabupaten",
                "kampung__official_level",
                "figures",
                *_ASSESSMENT_RELATED,
            )
            .defer("kampung__boundary")
            .get(pk=pk)
        )
    except Assessment.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PokjaKampung:
    """A Pokja member's kampung for the dashboard panel, with its latest assessment's status."""

    kampung: Kampung
    assessment_status: str | None
    assessment_period: datetime.date | None
    review_note: str
    # This year's profile, this month's figures and activity (``reporting_completeness``).
    reporting: CompletenessRow | None = None

    @property
    def status_label(self) -> str | None:
        if self.assessment_status is None:
            return None
        return Assessment.Status(self.assessment_status).label

    @property
    def is_returned(self) -> bool:
        return self.assessment_status == Assessment.Status.RETURNED


def pokja_kampung_overview(*, user, today: datetime.date | None = None) -> list[PokjaKampung]:
    """The kampung the user sits on as Pokja, with both levels, their latest assessment and
    whether this period's profile, figures and activity are in.

    One query however many kampung (none when the user is no Pokja member).
    """
    kampung_ids = access_for(user).pokja_kampung_ids
    if not kampung_ids:
        return []
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    latest = Assessment.objects.filter(kampung=OuterRef("pk")).order_by("-created_at", "-id")
    rows = (
        Kampung.objects.filter(pk__in=kampung_ids)
        .select_related("official_level", "estimated_level")
        .defer("boundary")
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_period=Subquery(latest.values("period")[:1]),
            latest_note=Subquery(latest.values("review_note")[:1]),
            **completeness_annotations(today=today, figures_every=reporting_figures_period()),
        )
    )
    return [
        PokjaKampung(
            kampung=row,
            assessment_status=row.latest_status,
            assessment_period=row.latest_period,
            review_note=row.latest_note or "",
            reporting=completeness_row(row, today=today),
        )
        for row in rows
    ]


# --- Reporting completeness and dated snapshots (/kelengkapan/, /laporan/) -------------------


def figures_period_start(today: datetime.date, every: str) -> datetime.date:
    """First day of the reporting period holding ``today``: its month, or its quarter."""
    if every == "quarter":
        return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return today.replace(day=1)


@dataclass(frozen=True)
class CompletenessRow:
    """One kampung's reporting: when each record was last saved and whether it is current."""

    kampung: Kampung
    last_profile: datetime.date | None  # local date the latest profile version was saved
    last_figures: datetime.date | None  # latest figures period (first day of its month)
    last_activity: datetime.date | None  # date of the latest activity
    last_update: datetime.date | None  # latest save of any record: profile, figures, activity
    profile_ok: bool  # profile saved this calendar year
    figures_ok: bool  # figures for the current month (or quarter)
    activity_ok: bool  # an activity dated this month

    @property
    def complete(self) -> bool:
        return self.profile_ok and self.figures_ok and self.activity_ok

    @property
    def missing_count(self) -> int:
        return 3 - self.profile_ok - self.figures_ok - self.activity_ok


@dataclass(frozen=True)
class KecamatanCompleteness:
    kode: str
    nama: str
    total: int
    missing_profile: int
    missing_figures: int
    missing_activity: int
    complete: int


@dataclass(frozen=True)
class Completeness:
    today: datetime.date
    figures_every: str
    figures_since: datetime.date
    rows: list[CompletenessRow]
    by_kecamatan: list[KecamatanCompleteness]

    @property
    def totals(self) -> KecamatanCompleteness:
        return KecamatanCompleteness(
            kode="",
            nama="",
            total=len(self.rows),
            missing_profile=sum(not r.profile_ok for r in self.rows),
            missing_figures=sum(not r.figures_ok for r in self.rows),
            missing_activity=sum(not r.activity_ok for r in self.rows),
            complete=sum(r.complete for r in self.rows),
        )


def _latest(model, field: str) -> Subquery:
    return Subquery(
        model.objects.filter(kampung=OuterRef("pk")).order_by(f"-{field}").values(field)[:1]
    )


def _local_date(value) -> datetime.date | None:
    from django.utils import timezone

    return timezone.localtime(value).date() if value is not None else None


def completeness_annotations(*, today: datetime.date, figures_every: str) -> dict:
    """Subquery annotations for a Kampung queryset: the latest of each record (no extra query)."""
    return {
        "last_profile_at": _latest(KampungProfile, "created_at"),
        "last_figures_period": _latest(KampungFigures, "period"),
        "last_figures_at": _latest(KampungFigures, "created_at"),
        "last_activity_date": _latest(Activity, "date"),
        "last_activity_at": _latest(Activity, "created_at"),
        "activity_this_month": Exists(
            Activity.objects.filter(
                kampung=OuterRef("pk"), date__gte=today.replace(day=1), date__lte=today
            )
        ),
        "figures_current": Exists(
            KampungFigures.objects.filter(
                kampung=OuterRef("pk"),
                period__gte=figures_period_start(today, figures_every),
                period__lte=today,
            )
        ),
    }


def completeness_row(kampung: Kampung, *, today: datetime.date) -> CompletenessRow:
    """A ``CompletenessRow`` from a kampung annotated with ``completeness_annotations``."""
    last_profile = _local_date(kampung.last_profile_at)
    saves = [
        d
        for d in (
            last_profile,
            _local_date(kampung.last_figures_at),
            _local_date(kampung.last_activity_at),
        )
        if d is not None
    ]
    return CompletenessRow(
        kampung=kampung,
        last_profile=last_profile,
        last_figures=kampung.last_figures_period,
        last_activity=kampung.last_activity_date,
        last_update=max(saves) if saves else None,
        profile_ok=last_profile is not None and last_profile.year == today.year,
        figures_ok=bool(kampung.figures_current),
        activity_ok=bool(kampung.activity_this_month),
    )


def reporting_figures_period() -> str:
    every = getattr(settings, "REPORTING_FIGURES_PERIOD", "month")
    return every if every in ("month", "quarter") else "month"


def reporting_completeness(
    *, kabupaten_kode: str, today: datetime.date, figures_every: str | None = None
) -> Completeness:
    """Who has reported: per active kampung of the kabupaten, the profile this calendar year
    (the data card is filled in January), figures for the current month or quarter
    (``REPORTING_FIGURES_PERIOD``) and an activity this month (domain.md §3), with the date
    of each kampung's last save of any kind; per kecamatan the kampung missing each.

    One query: subqueries on the kampung rows; the kecamatan roll-up is summed in Python.
    """
    every = figures_every or reporting_figures_period()
    kampung = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .select_related("kecamatan", "official_level")
        .defer("boundary", "gambaran_umum")
        .annotate(**completeness_annotations(today=today, figures_every=every))
        .order_by("kecamatan_id", "desa_kode")
    )
    rows = [completeness_row(k, today=today) for k in kampung]
    grouped: dict[str, list[CompletenessRow]] = {}
    for row in rows:
        grouped.setdefault(row.kampung.kecamatan_id, []).append(row)
    by_kecamatan = [
        KecamatanCompleteness(
            kode=kode,
            nama=group[0].kampung.kecamatan.nama,
            total=len(group),
            missing_profile=sum(not r.profile_ok for r in group),
            missing_figures=sum(not r.figures_ok for r in group),
            missing_activity=sum(not r.activity_ok for r in group),
            complete=sum(r.complete for r in group),
        )
        for kode, group in grouped.items()
    ]
    return Completeness(
        today=today,
        figures_every=every,
        figures_since=figures_period_start(today, every),
        rows=rows,
        by_kecamatan=by_kecamatan,
    )
