"""The verification workflow: a Pokja submits an assessment, DP3A staff verify or return it.

Writes only; reads for the queue live in selectors. Every rule that keeps the workflow honest is
checked here, not only in views: nobody verifies their own submission, only DP3A staff of the
kampung's kabupaten set an official level, a returned assessment carries a note.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Assessment, ClassificationLevel, Kampung, LevelChange
from ..models.people import person_name
from ..selectors.records import kampung_records
from .levels import kampung_set_level

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _snapshot(assessment: Assessment) -> None:
    """Copy the kampung's current records and what the rule makes of them into the assessment."""
    kampung = assessment.kampung
    records = kampung_records(kampung=kampung)
    result = records.assessment
    assessment.profile = records.profile
    assessment.figures = records.figures
    assessment.cross_sector_agencies = records.cross_sector_agencies
    assessment.scores = result.scores.as_dict()
    assessment.index_input = result.indices.input
    assessment.index_proses = result.indices.proses
    assessment.index_output = result.indices.output
    assessment.estimated_level_id = result.level.value
    assessment.official_level_at_submission_id = kampung.official_level_id


@transaction.atomic
def assessment_save(
    *,
    kampung: Kampung,
    by: User,
    submit: bool,
    proposed_level: ClassificationLevel | None = None,
    note: str = "",
    period: datetime.date | None = None,
) -> Assessment:
    """Save the kampung's open assessment as a draft, or submit it for verification.

    A returned assessment is edited and submitted again (the same row; its history keeps every
    step). The snapshot is taken afresh on every save, so what DP3A sees is what was submitted.
    """
    if not permissions.can_edit_kampung(by, kampung):
        raise PermissionDenied
    kampung = Kampung.objects.select_for_update().get(pk=kampung.pk)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(kampung=kampung, status__in=Assessment.OPEN_STATUSES)
        .first()
    )
    if assessment is None:
        assessment = Assessment(kampung=kampung, created_by=by)
    elif assessment.status == Assessment.Status.SUBMITTED:
        raise ValidationError(
            _("Penilaian sudah diajukan dan sedang menunggu verifikasi DP3A."), code="submitted"
        )
    assessment.period = _month_start(period or timezone.localdate())
    assessment.proposed_level = proposed_level
    assessment.pokja_note = note
    _snapshot(assessment)
    if submit:
        if assessment.profile is None or assessment.figures is None:
            raise ValidationError(
                _("Isi profil dan angka kampung terlebih dahulu sebelum mengajukan penilaian."),
                code="incomplete",
            )
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_by = by
        assessment.submitted_at = timezone.now()
    if assessment.pk:
        assessment.version += 1
    assessment.full_clean()
    assessment.save()
    return assessment


def _lock_for_review(assessment: Assessment, by: User, expected_version: int | None) -> Assessment:
    locked = (
        Assessment.objects.select_for_update()
        .select_related("kampung__kecamatan")
        .get(pk=assessment.pk)
    )
    if not permissions.can_set_level(by, locked.kampung):
        raise PermissionDenied
    if locked.submitted_by_id is not None and locked.submitted_by_id == by.pk:
        raise PermissionDenied(_("Anda tidak dapat memeriksa pengajuan Anda sendiri."))
    if locked.status != Assessment.Status.SUBMITTED or (
        expected_version is not None and locked.version != expected_version
    ):
        raise ValidationError(
            _("Penilaian ini sudah diproses (%(status)s) oleh %(who)s; muat ulang antrean."),
            code="already_reviewed",
            params={
                "status": locked.get_status_display().lower(),
                "who": person_name(locked.reviewed_by),
            },
        )
    return locked


@transaction.atomic
def assessment_verify(
    *,
    assessment: Assessment,
    by: User,
    level: ClassificationLevel | None = None,
    reason: str = "",
    effective_date: datetime.date | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Verify a submitted assessment, setting the official level when it differs.

    The level defaults to the one proposed (else the estimate); choosing another needs a reason.
    """
    locked = _lock_for_review(assessment, by, expected_version)
    suggested = locked.proposed_level_id or locked.estimated_level_id
    level = level or ClassificationLevel.objects.get(code=suggested)
    if level.code != suggested and not reason.strip():
        raise ValidationError(
            {"reason": _("Jelaskan alasan memilih level yang berbeda dari usulan.")}
        )
    kampung = locked.kampung
    if level.code != kampung.official_level_id:
        kampung_set_level(
            kampung=kampung,
            level=level,
            effective_date=effective_date or timezone.localdate(),
            source=LevelChange.Source.VERIFICATION,
            by=by,
            note=reason
            or _("Verifikasi penilaian %(period)s.") % {"period": locked.period.strftime("%m-%Y")},
        )
    locked.status = Assessment.Status.VERIFIED
    locked.verified_level = level
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.review_note = reason
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by: User, note: str, expected_version: int | None = None
) -> Assessment:
    """Send a submitted assessment back to its Pokja with a note saying what to fix."""
    if not note.strip():
        raise ValidationError(
            {"note": _("Tuliskan catatan untuk Pokja: apa yang perlu diperbaiki.")}
        )
    locked = _lock_for_review(assessment, by, expected_version)
    locked.status = Assessment.Status.RETURNED
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.review_note = note.strip()
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def level_correct(
    *,
    kampung: Kampung,
    level: ClassificationLevel,
    by: User,
    reason: str,
    effective_date: datetime.date | None = None,
) -> LevelChange:
    """DP3A corrects an official level directly (source ``correction``); a reason is required."""
    if not permissions.can_set_level(by, kampung):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan koreksi wajib diisi.")})
    return kampung_set_level(
        kampung=kampung,
        level=level,
        effective_date=effective_date or timezone.localdate(),
        source=LevelChange.Source.CORRECTION,
        by=by,
        note=reason.strip(),
    )
