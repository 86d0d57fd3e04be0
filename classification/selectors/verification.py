"""The verification workflow's reads: a kampung's assessments, the DP3A queue, what changed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    OuterRef,
    Subquery,
)
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import (
    Assessment,
    Kampung,
)
from ..permissions import kampung_manage_filter, kampung_read_filter
from ..rules.numbers import format_decimal
from ..rules.vocabularies import GROUP_LABELS, GROUPS, INDICATOR_LABELS, INDICATORS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

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
    label: StrOrPromise
    before: int | None
    after: int | None

    def __str__(self) -> str:
        return f"{self.code} {self.label} {_score_text(self.before)} → {_score_text(self.after)}"


@dataclass(frozen=True)
class IndexChange:
    """One group index that moved ("Indeks Output 3,25 → 3,50")."""

    group: StrOrPromise
    before: Decimal | None
    after: Decimal | None

    @property
    def before_text(self) -> str:
        return _index_text(self.before)

    @property
    def after_text(self) -> str:
        return _index_text(self.after)

    def __str__(self) -> str:
        return _("Indeks %(group)s %(before)s → %(after)s") % {
            "group": self.group,
            "before": self.before_text,
            "after": self.after_text,
        }


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


def _latest_verified(kampung_ref: OuterRef) -> Subquery:
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


def verification_queue(*, user: User | AnonymousUser) -> list[QueueRow]:
    """Submitted assessments in the kabupaten the user manages (superuser: all), oldest first.

    Two queries whatever the queue's length (one when it is empty): the rows with their kampung,
    levels and submitter, then every row's latest verified assessment at once.
    """
    queryset = Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
    limit = kampung_manage_filter(user, "kampung__")
    if limit is not None:
        queryset = queryset.filter(limit)
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


def assessment_for_review(*, user: User | AnonymousUser, pk: int) -> Assessment:
    """A submitted (or already processed) assessment of a kampung the user may read.

    404 when its kampung is out of the user's reach, or when it is a draft nobody submitted.
    One query, with everything the review page shows.
    """
    queryset = Assessment.objects.exclude(status=Assessment.Status.DRAFT)
    limit = kampung_read_filter(user, "kampung__")
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
