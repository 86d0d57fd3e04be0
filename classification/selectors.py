"""Every read the pages need. Each selector is a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404

from . import levels, targets
from .models import (
    NOT_USING_FIELDS,
    POKTAN_TARGET_FIELDS,
    UPPER_LEVEL_MIN_RANK,
    USER_FIELDS,
    Agency,
    ClassificationLevel,
    Kabupaten,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    LevelChange,
    TargetPolicy,
    ThematicProgram,
)
from .permissions import access_for


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
    policy_percent: Decimal
    rounding: str
    baseline_date: datetime.date
    base: int
    quota: int
    baseline_upper: int
    years: list[targets.YearProgress]

    @property
    def current(self) -> targets.YearProgress:
        return self.years[-1]


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def level_list() -> list[ClassificationLevel]:
    """The four levels in rank order (one query; pass the result to the selectors below)."""
    return list(ClassificationLevel.objects.order_by("rank"))


def upper_codes(levels: list[ClassificationLevel]) -> list[str]:
    return [level.code for level in levels if level.rank >= UPPER_LEVEL_MIN_RANK]


def _level_count_kwargs(levels: list[ClassificationLevel], prefix: str = "") -> dict:
    return {
        f"n_{level.code}": Count("pk", filter=Q(**{f"{prefix}official_level_id": level.code}))
        for level in levels
    }


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


def district_summary(*, kabupaten_kode: str, levels: list[ClassificationLevel]) -> DistrictSummary:
    """Totals and the level distribution of one kabupaten's active Kampung KB (one query)."""
    row = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .aggregate(
            total=Count("pk"),
            kecamatan_count=Count("kecamatan", distinct=True),
            **_level_count_kwargs(levels),
        )
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
    *, kabupaten_kode: str, levels: list[ClassificationLevel]
) -> list[KecamatanLevels]:
    """Per kecamatan, how many active kampung sit at each level (one query)."""
    rows = (
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .values("kecamatan_id", "kecamatan__nama")
        .annotate(total=Count("pk"), **_level_count_kwargs(levels))
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


def _level_on(date: datetime.date) -> Subquery:
    return Subquery(
        LevelChange.objects.filter(kampung=OuterRef("pk"), effective_date__lte=date)
        .order_by("-effective_date", "-created_at", "-id")
        .values("level_to_id")[:1]
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


def target_progress(
    *,
    kabupaten_kode: str,
    total: int,
    levels: list[ClassificationLevel],
    today: datetime.date,
) -> TargetProgress:
    """Target against actual at the baseline and at each year's end since (current year: today)."""
    policy = target_policy_for(kabupaten_kode=kabupaten_kode)
    baseline_year = policy.baseline_date.year
    years = list(range(baseline_year, today.year + 1))
    dates = [policy.baseline_date] + [
        today if year == today.year else datetime.date(year, 12, 31) for year in years
    ]
    counts = upper_counts_on(kabupaten_kode=kabupaten_kode, dates=dates, levels=levels)
    baseline_upper, year_end = counts[0], counts[1:]
    quota = targets.annual_quota(total, policy.annual_percent, policy.rounding)
    return TargetProgress(
        policy_percent=policy.annual_percent,
        rounding=policy.rounding,
        baseline_date=policy.baseline_date,
        base=total,
        quota=quota,
        baseline_upper=baseline_upper,
        years=targets.yearly_progress(
            baseline_year=baseline_year,
            baseline_upper=baseline_upper,
            quota=quota,
            total=total,
            actual_by_year=dict(zip(years, year_end, strict=True)),
            current_year=today.year,
        ),
    )


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
) -> levels.KampungInputs:
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
    return levels.KampungInputs(**values)


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
    assessment: levels.Assessment


def kampung_records(*, kampung: Kampung) -> KampungRecords:
    """The current profile and figures, and what the scoring rule makes of them (3 queries)."""
    profile = latest_profile(kampung=kampung)
    figures = latest_figures(kampung=kampung)
    agencies = cross_sector_agency_count(kampung=kampung)
    return KampungRecords(
        profile=profile,
        figures=figures,
        cross_sector_agencies=agencies,
        assessment=levels.assess(inputs_from_records(profile, figures, agencies)),
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
        cpr=levels.cpr_percent(inputs),
        mkjp=levels.mkjp_percent(inputs),
        unmet_need=levels.unmet_need_percent(inputs),
        participation=levels.participation_percent(inputs),
        poktan_participation=levels.poktan_participation(inputs),
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
