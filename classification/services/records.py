"""Writes to a kampung's records. Views, the admin and commands call these, never ``save()``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    Activity,
    Agency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
)
from ..models.kampung import IDENTITY_FIELDS
from ..models.people import person_name
from ..rules.assessment import Assessment as RuleAssessment
from ..selectors.records import kampung_records, latest_profile
from .conflicts import EditConflict, field_changes, lock_at_revision, lock_at_version

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def kampung_refresh_estimate(*, kampung: Kampung) -> RuleAssessment:
    """Recompute the stored estimated level from the kampung's current records.

    Runs inside every write that changes profile, figures or activities, so the table's
    "estimated level" column never lags behind what the Pokja entered.
    """
    records = kampung_records(kampung=kampung)
    indices = records.assessment.indices
    Kampung.objects.filter(pk=kampung.pk).update(
        estimated_level_id=records.assessment.level.value,
        estimated_input=indices.input,
        estimated_proses=indices.proses,
        estimated_output=indices.output,
    )
    return records.assessment


_M = TypeVar("_M", bound=models.Model)


def _clean_and_save(instance: _M) -> _M:
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def profile_create(
    *, kampung: Kampung, by: User | None, based_on: int | None = None, **fields: Any
) -> KampungProfile:
    """Save a new dated version of the profile; earlier versions stay as they were.

    ``based_on`` is the id of the version the form showed (0 when there was none): if another
    version was saved since, the save is refused with what that version changed.
    """
    Kampung.objects.select_for_update().filter(pk=kampung.pk).first()
    if based_on is not None:
        latest = latest_profile(kampung=kampung)
        if (latest.pk if latest else 0) != based_on:
            assert latest is not None  # based_on names a version (else 0): one exists
            # Only this kampung's versions: the id comes from the form, so it is not trusted.
            seen = kampung.profiles.filter(pk=based_on).first()
            # Nothing seen (the form showed no profile): everything the other version holds.
            raise EditConflict(
                changes=field_changes(seen, latest, PROFILE_COMPARED_FIELDS),
                by=person_name(latest.created_by),
                at=latest.created_at,
                current=latest.pk,
            )
    profile = _clean_and_save(KampungProfile(kampung=kampung, created_by=by, **fields))
    kampung_refresh_estimate(kampung=kampung)
    return profile


@transaction.atomic
def figures_create(*, kampung: Kampung, by: User | None, **fields: Any) -> KampungFigures:
    """Record one month's figures; a second set for the same month is refused."""
    try:
        # Its own savepoint: two saves for the same month can both pass full_clean's check, and
        # the second insert then fails on the unique constraint once the first commits.
        with transaction.atomic():
            figures = _clean_and_save(KampungFigures(kampung=kampung, created_by=by, **fields))
    except IntegrityError:
        period = fields.get("period")
        # Without a period no row can collide (the column is never null): as before, re-raise.
        if (
            period is None
            or not KampungFigures.objects.filter(kampung=kampung, period=period).exists()
        ):
            raise
        raise ValidationError(
            {
                "period": ValidationError(
                    _("Angka untuk periode %(period)s sudah ada."),
                    code="duplicate_period",
                    params={"period": date_format(period, "YEAR_MONTH_FORMAT")},
                )
            }
        ) from None
    kampung_refresh_estimate(kampung=kampung)
    return figures


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    by: User | None,
    agencies: Iterable[Agency] | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Create or update a kegiatan and its agencies; P3 of the estimate follows.

    An update names the version its form was opened at; a newer save in between is refused.
    Activity has no ``version`` field: its version is its latest history row's id
    (``services.conflicts.latest_revision``), which every save and every change of agencies moves
    on.
    """
    if activity.pk is None:
        activity.created_by = by
    else:
        lock_at_revision(
            Activity,
            pk=activity.pk,
            expected_revision=expected_version,
            fields=ACTIVITY_FIELDS,
            m2m=("agencies",),
        )
    _clean_and_save(activity)
    if agencies is not None:
        activity.agencies.set(agencies)
    kampung_refresh_estimate(kampung=activity.kampung)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by: User | None) -> None:
    kampung = activity.kampung
    activity.delete()
    kampung_refresh_estimate(kampung=kampung)


ACTIVITY_FIELDS = ["date", "title", "place", "description", "category", "target_groups", "program"]


PROFILE_COMPARED_FIELDS = [
    field.name
    for field in KampungProfile._meta.concrete_fields
    if field.name not in {"id", "kampung", "created_at", "created_by", "is_demo"}
]


@transaction.atomic
def kampung_update_identity(
    *, kampung: Kampung, by: User | None, expected_version: int | None = None, **fields: Any
) -> Kampung:
    """Change the kampung's own description (name, launch date, description, location, photo).

    Refused with EditConflict when someone else saved it after ``expected_version``.
    """
    current = lock_at_version(
        Kampung, pk=kampung.pk, expected_version=expected_version, fields=IDENTITY_FIELDS
    )
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    # Only what changed is validated: re-checking an untouched photo would read it from disk.
    current.full_clean(exclude=[f for f in IDENTITY_FIELDS if f not in fields] + ["boundary"])
    current.save()
    return current


@transaction.atomic
def kampung_program_save(*, tag: KampungProgram, by: User | None) -> KampungProgram:
    """Tag a kampung with a thematic programme, or change the tag's date or status."""
    return _clean_and_save(tag)


@transaction.atomic
def kampung_program_delete(*, tag: KampungProgram, by: User | None) -> None:
    tag.delete()
