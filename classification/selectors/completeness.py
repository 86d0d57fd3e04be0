"""Reporting completeness and dated snapshots (/kelengkapan/, /laporan/, the Pokja's overview)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.conf import settings
from django.db.models import (
    Exists,
    OuterRef,
    Subquery,
)

from ..models import (
    Activity,
    Assessment,
    Kampung,
    KampungFigures,
    KampungProfile,
)
from ..permissions import own_pokja_kampung_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise, WithAnnotations


class CompletenessFields(TypedDict):
    """What ``completeness_annotations`` adds to each kampung."""

    last_profile_at: datetime.datetime | None
    last_figures_period: datetime.date | None
    last_figures_at: datetime.datetime | None
    last_activity_date: datetime.date | None
    last_activity_at: datetime.datetime | None
    activity_this_month: bool
    figures_current: bool


class PokjaOverviewFields(CompletenessFields):
    """``pokja_kampung_overview``'s rows: completeness, and the latest assessment."""

    latest_status: str | None
    latest_period: datetime.date | None
    latest_note: str | None


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
    def status_label(self) -> StrOrPromise | None:
        if self.assessment_status is None:
            return None
        return Assessment.Status(self.assessment_status).label

    @property
    def is_returned(self) -> bool:
        return self.assessment_status == Assessment.Status.RETURNED


def pokja_kampung_overview(
    *, user: User | AnonymousUser, today: datetime.date | None = None
) -> list[PokjaKampung]:
    """The kampung the user sits on as Pokja, with both levels, their latest assessment and
    whether this period's profile, figures and activity are in.

    One query however many kampung (none when the user is no Pokja member).
    """
    kampung_ids = own_pokja_kampung_ids(user)
    if not kampung_ids:
        return []
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    latest = Assessment.objects.filter(kampung=OuterRef("pk")).order_by("-created_at", "-id")
    # django-stubs cannot see annotations passed as **kwargs: the rows' type is spelt out.
    rows = cast(
        "QuerySet[Kampung, WithAnnotations[Kampung, PokjaOverviewFields]]",
        Kampung.objects.filter(pk__in=kampung_ids)
        .select_related("official_level", "estimated_level")
        .defer("boundary")
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_period=Subquery(latest.values("period")[:1]),
            latest_note=Subquery(latest.values("review_note")[:1]),
            **completeness_annotations(today=today, figures_every=reporting_figures_period()),
        ),
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


def _latest(
    model: type[KampungProfile] | type[KampungFigures] | type[Activity], field: str
) -> Subquery:
    return Subquery(
        model.objects.filter(kampung=OuterRef("pk")).order_by(f"-{field}").values(field)[:1]
    )


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    from django.utils import timezone

    return timezone.localtime(value).date() if value is not None else None


def completeness_annotations(
    *, today: datetime.date, figures_every: str
) -> dict[str, Subquery | Exists]:
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


def completeness_row(
    kampung: WithAnnotations[Kampung, CompletenessFields], *, today: datetime.date
) -> CompletenessRow:
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
    # django-stubs cannot see annotations passed as **kwargs: the rows' type is spelt out.
    kampung = cast(
        "QuerySet[Kampung, WithAnnotations[Kampung, CompletenessFields]]",
        Kampung.objects.active()
        .in_kabupaten(kabupaten_kode)
        .select_related("kecamatan", "official_level")
        .defer("boundary", "gambaran_umum")
        .annotate(**completeness_annotations(today=today, figures_every=every))
        .order_by("kecamatan_id", "desa_kode"),
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
