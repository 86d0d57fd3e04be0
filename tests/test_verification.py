"""The verification workflow's services (``services.verification``) and its selectors.

Tabanio (``pokja_a``'s kampung, berkembang at the demo baseline) gets a profile and January's
figures in ``setUpTestData``: the rule estimates mandiri (see ``tests/records.py``).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from classification import permissions
from classification.models import Assessment, ClassificationLevel, Kampung, LevelChange
from classification.permissions import DP3A_GROUP
from classification.selectors.completeness import pokja_kampung_overview
from classification.selectors.records import latest_profile
from classification.selectors.verification import (
    assessment_changes,
    latest_verified_assessment,
    verification_queue,
)
from classification.services.records import figures_create
from classification.services.verification import (
    assessment_return,
    assessment_save,
    assessment_verify,
    level_correct,
)

from .base import KAMPUNG_A, KAMPUNG_B, TANAH_LAUT, PeopleTestCase, make_user
from .records import FIGURES_FEBRUARY, JANUARY_SCORES, give_records


def fresh(user):
    """The same user without the cached access, as a new request would see them."""
    return get_user_model().objects.get(pk=user.pk)


class VerificationTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staf_dua = make_user("staf_dua", group=DP3A_GROUP, kabupaten_id=TANAH_LAUT)
        cls.tabanio = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.benua_lawas = Kampung.objects.get(desa_kode=KAMPUNG_B)
        give_records(cls.tabanio, cls.pokja_a)
        cls.level = {level.code: level for level in ClassificationLevel.objects.all()}

    def save(self, *, by=None, submit=True, kampung=None, proposed=None, note=""):
        return assessment_save(
            kampung=kampung or self.tabanio,
            by=by or self.pokja_a,
            submit=submit,
            proposed_level=self.level[proposed] if proposed else None,
            note=note,
        )

    def verify(self, assessment, *, by=None, level=None, **kwargs):
        return assessment_verify(
            assessment=assessment,
            by=by or self.staf,
            level=self.level[level] if level else None,
            **kwargs,
        )

    def official(self, kampung=None) -> str | None:
        kampung = Kampung.objects.get(pk=(kampung or self.tabanio).pk)
        return kampung.official_level_id

    def level_changes(self, kampung=None):
        return LevelChange.objects.filter(kampung=kampung or self.tabanio)


class AssessmentSaveTests(VerificationTestCase):
    def test_submitting_snapshots_profile_figures_scores_and_both_levels(self):
        assessment = self.save(proposed="mandiri", note="Kegiatan BKR rutin tiap bulan.")
        self.assertEqual(assessment.status, Assessment.Status.SUBMITTED)
        self.assertEqual(assessment.profile, latest_profile(kampung=self.tabanio))
        self.assertEqual(assessment.figures.period, datetime.date(2026, 1, 1))
        self.assertEqual(assessment.scores, JANUARY_SCORES)
        self.assertEqual(
            (assessment.index_input, assessment.index_proses, assessment.index_output),
            (Decimal("3.40"), Decimal("2.33"), Decimal("3.25")),
        )
        self.assertEqual(assessment.estimated_level_id, "mandiri")
        self.assertEqual(assessment.official_level_at_submission_id, "berkembang")
        self.assertEqual(assessment.proposed_level_id, "mandiri")
        self.assertEqual(assessment.pokja_note, "Kegiatan BKR rutin tiap bulan.")
        self.assertEqual(assessment.submitted_by, self.pokja_a)
        self.assertIsNotNone(assessment.submitted_at)
        self.assertEqual(assessment.period, timezone.localdate().replace(day=1))

    def test_a_draft_is_snapshotted_but_not_submitted(self):
        draft = self.save(submit=False)
        self.assertEqual(draft.status, Assessment.Status.DRAFT)
        self.assertIsNone(draft.submitted_by)
        self.assertIsNone(draft.submitted_at)
        self.assertEqual(draft.scores, JANUARY_SCORES)

    def test_records_added_after_submitting_leave_the_snapshot_alone(self):
        assessment = self.save()
        figures_create(kampung=self.tabanio, by=self.pokja_a, **FIGURES_FEBRUARY)
        assessment.refresh_from_db()
        self.assertEqual(assessment.figures.period, datetime.date(2026, 1, 1))
        self.assertEqual(assessment.scores["o2"], 2)

    def test_saving_again_updates_the_one_open_assessment(self):
        first = self.save(submit=False, note="Draf pertama")
        second = self.save(submit=False, note="Draf kedua", proposed="mandiri")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(second.version, first.version + 1)
        self.assertEqual(Assessment.objects.filter(kampung=self.tabanio).count(), 1)
        self.assertEqual(second.pokja_note, "Draf kedua")

    def test_a_submitted_assessment_cannot_be_saved_again(self):
        self.save()
        with self.assertRaisesMessage(ValidationError, "Penilaian sudah diajukan"):
            self.save(note="Tambahan")

    def test_the_database_holds_one_open_assessment_per_kampung(self):
        self.save(submit=False)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Assessment.objects.create(kampung=self.tabanio, period=datetime.date(2026, 1, 1))

    def test_submitting_needs_a_profile_and_figures(self):
        with self.assertRaisesMessage(ValidationError, "Isi profil dan angka kampung"):
            self.save(by=self.pokja_b, kampung=self.benua_lawas)
        self.assertFalse(Assessment.objects.filter(kampung=self.benua_lawas).exists())
        draft = self.save(by=self.pokja_b, kampung=self.benua_lawas, submit=False)
        self.assertEqual(draft.status, Assessment.Status.DRAFT)

    def test_only_the_kampung_s_pokja_and_its_dp3a_may_save(self):
        for user in (self.pokja_b, self.peninjau, self.staf_lain):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.save(by=user, submit=False)
        on_behalf = self.save(by=self.staf)
        self.assertEqual(on_behalf.submitted_by, self.staf)


class AssessmentReviewTests(VerificationTestCase):
    def test_draft_submit_return_resubmit_verify_sets_the_official_level(self):
        assessment = self.save(submit=False, proposed="mandiri")
        assessment = self.save(proposed="mandiri")
        self.assertEqual(assessment.status, Assessment.Status.SUBMITTED)

        with self.assertRaises(ValidationError) as refused:
            assessment_return(assessment=assessment, by=self.staf, note="  ")
        self.assertIn("note", refused.exception.message_dict)
        returned = assessment_return(
            assessment=assessment, by=self.staf, note="Lampirkan SK Pokja terbaru."
        )
        self.assertEqual(returned.status, Assessment.Status.RETURNED)
        self.assertEqual(returned.review_note, "Lampirkan SK Pokja terbaru.")
        self.assertEqual(returned.reviewed_by, self.staf)
        self.assertEqual(self.official(), "berkembang")

        resubmitted = self.save(proposed="mandiri", note="SK sudah dilampirkan.")
        self.assertEqual(resubmitted.pk, assessment.pk)
        self.assertEqual(resubmitted.status, Assessment.Status.SUBMITTED)

        verified = self.verify(resubmitted)
        self.assertEqual(verified.status, Assessment.Status.VERIFIED)
        self.assertEqual(verified.verified_level_id, "mandiri")
        self.assertEqual(verified.reviewed_by, self.staf)
        change = self.level_changes().exclude(source=LevelChange.Source.BASELINE).get()
        self.assertEqual(change.source, LevelChange.Source.VERIFICATION)
        self.assertEqual((change.level_from_id, change.level_to_id), ("berkembang", "mandiri"))
        self.assertEqual(change.changed_by, self.staf)
        self.assertEqual(change.effective_date, timezone.localdate())
        self.assertIn("Verifikasi penilaian", change.note)
        kampung = Kampung.objects.get(pk=self.tabanio.pk)
        self.assertEqual(kampung.official_level_id, "mandiri")
        self.assertEqual(kampung.official_level_since, timezone.localdate())
        # The workflow is done: the kampung may start a new assessment.
        self.assertEqual(self.save(submit=False).status, Assessment.Status.DRAFT)

    def test_the_effective_date_can_be_given(self):
        assessment = self.save()
        self.verify(assessment, effective_date=datetime.date(2026, 3, 1))
        change = self.level_changes().get(source=LevelChange.Source.VERIFICATION)
        self.assertEqual(change.effective_date, datetime.date(2026, 3, 1))

    def test_verifying_another_level_than_the_proposal_needs_a_reason(self):
        assessment = self.save(proposed="mandiri")
        with self.assertRaises(ValidationError) as refused:
            self.verify(assessment, level="paripurna")
        self.assertIn("reason", refused.exception.message_dict)
        self.assertEqual(self.official(), "berkembang")
        self.verify(assessment, level="berkembang", reason="Output belum stabil tiga bulan.")
        self.assertFalse(self.level_changes().filter(source="verification").exists())
        assessment.refresh_from_db()
        self.assertEqual(assessment.verified_level_id, "berkembang")
        self.assertEqual(assessment.review_note, "Output belum stabil tiga bulan.")

    def test_without_a_proposal_the_estimate_is_the_default(self):
        assessment = self.save()
        self.verify(assessment)
        self.assertEqual(self.official(), "mandiri")

    def test_verifying_the_current_official_level_writes_no_level_change(self):
        before = self.level_changes().count()
        assessment = self.save(proposed="berkembang")
        verified = self.verify(assessment)
        self.assertEqual(verified.status, Assessment.Status.VERIFIED)
        self.assertEqual(verified.verified_level_id, "berkembang")
        self.assertEqual(self.level_changes().count(), before)
        self.assertEqual(self.official(), "berkembang")

    def test_pokja_cannot_verify_or_return_even_its_own_kampung(self):
        assessment = self.save()
        for user in (self.pokja_a, self.pokja_b, self.peninjau, self.staf_lain):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    self.verify(assessment, by=user)
                with self.assertRaises(PermissionDenied):
                    assessment_return(assessment=assessment, by=user, note="x")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, Assessment.Status.SUBMITTED)
        self.assertEqual(self.official(), "berkembang")

    def test_dp3a_cannot_review_what_they_submitted_themselves(self):
        assessment = self.save(by=self.staf)
        self.assertFalse(permissions.can_review(self.staf, assessment))
        self.assertTrue(permissions.can_review(self.staf_dua, assessment))
        with self.assertRaisesMessage(PermissionDenied, "pengajuan Anda sendiri"):
            self.verify(assessment, by=self.staf)
        with self.assertRaises(PermissionDenied):
            assessment_return(assessment=assessment, by=self.staf, note="x")
        self.verify(assessment, by=self.staf_dua)
        self.assertEqual(self.official(), "mandiri")

    def test_a_stale_version_is_refused(self):
        assessment = self.save()
        seen = assessment.version
        self.verify(assessment, expected_version=seen)
        with self.assertRaisesMessage(ValidationError, "sudah diproses (diverifikasi) oleh staf"):
            assessment_return(
                assessment=assessment, by=self.staf_dua, note="Cek lagi.", expected_version=seen
            )
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, Assessment.Status.VERIFIED)
        self.assertEqual(self.level_changes().filter(source="verification").count(), 1)

    def test_a_page_opened_before_a_return_and_resubmission_is_stale(self):
        assessment = self.save()
        seen = assessment.version
        assessment_return(assessment=assessment, by=self.staf, note="Perbaiki.")
        self.save()  # submitted again: the same status as the stale page saw, a newer version
        with self.assertRaises(ValidationError) as refused:
            self.verify(assessment, by=self.staf_dua, expected_version=seen)
        self.assertEqual(refused.exception.code, "already_reviewed")
        self.assertEqual(self.official(), "berkembang")


class LevelCorrectTests(VerificationTestCase):
    def test_dp3a_corrects_the_official_level_with_a_reason(self):
        change = level_correct(
            kampung=self.tabanio,
            level=self.level["dasar"],
            by=self.staf,
            reason="Salah input data awal.",
            effective_date=datetime.date(2026, 2, 1),
        )
        self.assertEqual(change.source, LevelChange.Source.CORRECTION)
        self.assertEqual((change.level_from_id, change.level_to_id), ("berkembang", "dasar"))
        self.assertEqual(change.changed_by, self.staf)
        self.assertEqual(change.note, "Salah input data awal.")
        self.assertEqual(self.official(), "dasar")

    def test_a_correction_needs_a_reason(self):
        with self.assertRaises(ValidationError) as refused:
            level_correct(kampung=self.tabanio, level=self.level["dasar"], by=self.staf, reason=" ")
        self.assertIn("reason", refused.exception.message_dict)

    def test_nobody_but_dp3a_of_the_kabupaten_corrects_a_level(self):
        for user in (self.pokja_a, self.pokja_b, self.peninjau, self.staf_lain):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                level_correct(
                    kampung=self.tabanio, level=self.level["mandiri"], by=user, reason="x"
                )
        self.assertEqual(self.official(), "berkembang")


class AssessmentChangesTests(VerificationTestCase):
    def test_the_first_assessment_has_nothing_to_compare_with(self):
        assessment = self.save()
        previous = latest_verified_assessment(assessment=assessment)
        changes = assessment_changes(assessment=assessment, previous=previous)
        self.assertIsNone(previous)
        self.assertTrue(changes.is_first)

    def test_changed_scores_and_indices_since_the_last_verified_one(self):
        first = self.verify(self.save())
        figures_create(kampung=self.tabanio, by=self.pokja_a, **FIGURES_FEBRUARY)
        second = self.save()
        previous = latest_verified_assessment(assessment=second)
        self.assertEqual(previous, first)
        changes = assessment_changes(assessment=second, previous=previous)
        self.assertEqual([str(change) for change in changes.scores], ["O2 CPR 2 → 3"])
        self.assertEqual([str(change) for change in changes.indices], ["Indeks Output 3,25 → 3,50"])
        self.assertFalse(changes.is_first)
        self.assertFalse(changes.unchanged)

    def test_the_same_records_again_change_nothing(self):
        first = self.verify(self.save())
        second = self.save()
        changes = assessment_changes(assessment=second, previous=first)
        self.assertTrue(changes.unchanged)


class VerificationQueueSelectorTests(VerificationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_records(cls.benua_lawas, cls.pokja_b)
        cls.superuser = get_user_model().objects.create_superuser("admin", password="x")

    def test_queue_is_oldest_first_within_the_managed_kabupaten(self):
        tabanio = self.save()
        benua_lawas = self.save(by=self.pokja_b, kampung=self.benua_lawas)
        Assessment.objects.filter(pk=benua_lawas.pk).update(
            submitted_at=tabanio.submitted_at - datetime.timedelta(days=3)
        )
        rows = verification_queue(user=fresh(self.staf))
        self.assertEqual([row.assessment.pk for row in rows], [benua_lawas.pk, tabanio.pk])
        self.assertEqual(verification_queue(user=fresh(self.staf_lain)), [])
        everything = verification_queue(user=fresh(self.superuser))
        self.assertEqual(len(everything), 2)

    def test_drafts_returned_and_verified_ones_are_not_in_the_queue(self):
        self.save(by=self.pokja_b, kampung=self.benua_lawas, submit=False)
        returned = self.save()
        assessment_return(assessment=returned, by=self.staf, note="Perbaiki.")
        self.assertEqual(verification_queue(user=fresh(self.staf)), [])

    def test_two_queries_whatever_the_length_of_the_queue(self):
        self.verify(self.save())
        self.save()
        staf = fresh(self.staf)
        permissions.access_for(staf)
        with self.assertNumQueries(2):
            one = verification_queue(user=staf)
        self.save(by=self.pokja_b, kampung=self.benua_lawas)
        with self.assertNumQueries(2):
            two = verification_queue(user=staf)
        self.assertEqual((len(one), len(two)), (1, 2))
        self.assertTrue(one[0].changes.unchanged)
        self.assertTrue(two[1].changes.is_first)


class PokjaOverviewSelectorTests(VerificationTestCase):
    def test_a_pokja_member_gets_their_kampung_with_the_latest_assessment(self):
        assessment = self.save()
        assessment_return(assessment=assessment, by=self.staf, note="Lengkapi RKM.")
        pokja = fresh(self.pokja_a)
        permissions.access_for(pokja)
        with self.assertNumQueries(1):
            (item,) = pokja_kampung_overview(user=pokja)
        self.assertEqual(item.kampung, self.tabanio)
        self.assertEqual(item.kampung.official_level.code, "berkembang")
        self.assertEqual(item.kampung.estimated_level.code, "mandiri")
        self.assertEqual(item.status_label, "Dikembalikan")
        self.assertTrue(item.is_returned)
        self.assertEqual(item.review_note, "Lengkapi RKM.")

    def test_other_users_get_nothing_without_a_query(self):
        for user in (self.staf, self.peninjau):
            user = fresh(user)
            permissions.access_for(user)
            with self.subTest(user=user.username), self.assertNumQueries(0):
                self.assertEqual(pokja_kampung_overview(user=user), [])
