"""A kampung's records as pages read them: latest profile and figures, histories, activities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ..models import (
    Activity,
    Agency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
)
from ..rules.assessment import Assessment as RuleAssessment
from ..rules.assessment import assess
from ..rules.figures import NOT_USING_FIELDS, POKTAN_TARGET_FIELDS, USER_FIELDS
from ..rules.inputs import KampungInputs
from ..rules.scoring import (
    cpr_percent,
    mkjp_percent,
    participation_percent,
    poktan_participation,
    unmet_need_percent,
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
    values: dict[str, Any] = {"cross_sector_agencies": cross_sector_agencies}
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


def figures_history(*, kampung: Kampung) -> QuerySet[KampungFigures]:
    """The kampung's figures by period, newest first (a lazy queryset, for pagination)."""
    return kampung.figures.select_related("created_by").order_by("-period")


def kampung_activities(*, kampung: Kampung) -> QuerySet[Activity]:
    """The kampung's activities, newest first, with agencies and programme (two queries)."""
    return (
        kampung.activities.select_related("program", "created_by")
        .prefetch_related("agencies")
        .order_by("-date", "-id")
    )


def kampung_program_tags(*, kampung: Kampung) -> list[KampungProgram]:
    """The kampung's thematic programme tags, by programme name (one query)."""
    return list(kampung.programs.select_related("program").order_by("program__name"))
