"""``demo.records.load_records``: made-up profile, figures and activities for every Tanah Laut
kampung, all marked as demo, with the estimated level left to the scoring rule.

The records are loaded once per class (a few seconds), for a fixed "today" of 15 March 2026.
"""

import datetime
from collections import Counter

from django.db.models import CheckConstraint, Count, F
from django.test import TestCase

from classification.demo.activities import ACTIVITY_DAYS
from classification.demo.records import load_records
from classification.models import (
    Activity,
    Agency,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
)
from classification.selectors.records import kampung_records, latest_figures
from classification.services.records import profile_create
from tests import domain_rule
from tests.base import KAMPUNG_A

TODAY = datetime.date(2026, 3, 15)
MONTHS = [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
TANAH_LAUT = "63.01"


def record_counts() -> dict[str, int]:
    return {
        "profiles": KampungProfile.objects.count(),
        "figures": KampungFigures.objects.count(),
        "activities": Activity.objects.count(),
        "agency_links": Activity.agencies.through.objects.count(),
        "tags": KampungProgram.objects.count(),
    }


class LoadRecordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.loaded = load_records(today=TODAY)
        cls.kampung = list(
            Kampung.objects.in_kabupaten(TANAH_LAUT).defer("boundary").order_by("desa_kode")
        )

    def test_every_tanah_laut_kampung_is_given_records(self):
        self.assertEqual(self.loaded, 135)
        self.assertEqual(len(self.kampung), 135)

    def test_every_kampung_has_one_profile(self):
        per_kampung = Counter(KampungProfile.objects.values_list("kampung_id", flat=True))
        self.assertEqual(set(per_kampung), {item.pk for item in self.kampung})
        self.assertEqual(set(per_kampung.values()), {1})

    def test_every_kampung_has_the_three_months_up_to_today(self):
        periods: dict[int, list] = {}
        for kampung_id, period in KampungFigures.objects.order_by("period").values_list(
            "kampung_id", "period"
        ):
            periods.setdefault(kampung_id, []).append(period)
        self.assertEqual(set(periods), {item.pk for item in self.kampung})
        for kampung_id, months in periods.items():
            with self.subTest(kampung_id=kampung_id):
                self.assertEqual(months, MONTHS)

    def test_every_kampung_has_activities_from_the_last_year(self):
        per_kampung = dict(
            Activity.objects.values("kampung_id")
            .annotate(n=Count("pk"))
            .values_list("kampung_id", "n")
        )
        self.assertEqual(set(per_kampung), {item.pk for item in self.kampung})
        self.assertGreaterEqual(min(per_kampung.values()), 2)
        first = TODAY - datetime.timedelta(days=ACTIVITY_DAYS)
        self.assertFalse(Activity.objects.exclude(date__range=(first, TODAY)).exists())
        # Activities name their partners; most kampung have at least one cross-sector one.
        self.assertTrue(Activity.agencies.through.objects.exists())
        with_partners = Kampung.objects.filter(
            activities__agencies__counts_for_cross_sector=True
        ).distinct()
        self.assertGreater(with_partners.count(), 100)

    def test_everything_loaded_is_marked_demo(self):
        for model in (KampungProfile, KampungFigures, Activity):
            with self.subTest(model=model.__name__):
                self.assertTrue(model.objects.exists())
                self.assertFalse(model.objects.filter(is_demo=False).exists())
        self.assertEqual(set(KampungProfile.objects.values_list("created_by", flat=True)), {None})

    def test_nothing_is_loaded_outside_tanah_laut(self):
        other = Kampung.objects.exclude(kecamatan__kabupaten_id=TANAH_LAUT)
        self.assertFalse(KampungProfile.objects.filter(kampung__in=other).exists())
        self.assertFalse(KampungFigures.objects.filter(kampung__in=other).exists())
        self.assertFalse(Activity.objects.filter(kampung__in=other).exists())
        self.assertFalse(other.filter(estimated_level__isnull=False).exists())

    def test_figures_satisfy_every_database_rule(self):
        figures = KampungFigures.objects.all()
        self.assertEqual(figures.count(), 135 * 3)
        # Each CheckConstraint as the database states it: no row falls outside its condition.
        checks = [c for c in KampungFigures._meta.constraints if isinstance(c, CheckConstraint)]
        self.assertEqual(len(checks), 7)  # first of month, 5 poktan targets, users + non-users
        for constraint in checks:
            with self.subTest(constraint=constraint.name):
                self.assertFalse(figures.exclude(constraint.condition).exists())
        duplicates = figures.values("kampung", "period").annotate(n=Count("pk")).filter(n__gt=1)
        self.assertFalse(duplicates.exists())
        # The same rules read in Python, plus the form's: family groups within all families.
        for item in figures:
            non_users = (
                item.not_using_hamil
                + item.not_using_ingin_anak_segera
                + item.not_using_ingin_anak_tunda
                + item.not_using_tidak_ingin_anak_lagi
            )
            self.assertEqual(item.pus, item.total_users + non_users, item)
            for participants, target in domain_rule.POKTAN_TARGETS:
                self.assertLessEqual(getattr(item, participants), getattr(item, target), item)
            for name in ("families_with_balita", "families_with_remaja", "families_with_lansia"):
                self.assertLessEqual(getattr(item, name), item.families, item)
        # And Django's own validation of one kampung's rows, constraints included.
        for item in figures.filter(kampung__desa_kode=KAMPUNG_A):
            item.full_clean()

    def test_profiles_satisfy_the_model_rules(self):
        for profile in KampungProfile.objects.all():
            profile.full_clean()
            if not profile.pokja_exists:
                self.assertEqual(profile.pokja_members, 0)

    def test_activities_in_a_programme_come_from_the_kampung_s_own_tags(self):
        tagged = {(tag.kampung_id, tag.program_id): tag for tag in KampungProgram.objects.all()}
        in_programme = Activity.objects.filter(program__isnull=False)
        self.assertTrue(in_programme.exists())
        for activity in in_programme:
            tag = tagged.get((activity.kampung_id, activity.program_id))
            self.assertIsNotNone(tag, activity)
            self.assertNotEqual(tag.status, KampungProgram.Status.BERHENTI)
            self.assertGreaterEqual(activity.date, tag.since)

    def test_running_it_again_adds_nothing(self):
        before = record_counts()
        estimates = list(Kampung.objects.values_list("pk", "estimated_level", "estimated_input"))
        self.assertEqual(load_records(today=TODAY), 0)
        self.assertEqual(record_counts(), before)
        self.assertEqual(
            list(Kampung.objects.values_list("pk", "estimated_level", "estimated_input")),
            estimates,
        )

    def test_every_estimate_is_what_the_rule_makes_of_the_records(self):
        # Expected values from domain.md §2 as tests/domain_rule.py writes it out, on the records
        # read as stored: the latest profile, the latest month, the distinct cross-sector
        # agencies of all activities (not the KB office or BKKBN).
        for kampung in self.kampung:
            with self.subTest(kampung=kampung.desa_kode):
                profile = kampung.profiles.order_by("-created_at", "-id").values().first()
                figures = kampung.figures.order_by("-period").values().first()
                agencies = (
                    Agency.objects.filter(counts_for_cross_sector=True, activities__kampung=kampung)
                    .distinct()
                    .count()
                )
                self.assertEqual(
                    (
                        kampung.estimated_level_id,
                        kampung.estimated_input,
                        kampung.estimated_proses,
                        kampung.estimated_output,
                    ),
                    domain_rule.estimate(profile, figures, agencies),
                )

    def test_the_latest_month_is_the_one_estimated(self):
        kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        latest = latest_figures(kampung=kampung)
        self.assertEqual(latest.period, MONTHS[-1])
        records = kampung_records(kampung=kampung)
        self.assertEqual(records.figures, latest)
        self.assertEqual(records.assessment.level.value, kampung.estimated_level_id)

    def test_some_kampung_are_candidates_and_most_agree_with_their_official_level(self):
        candidates = Kampung.objects.filter(estimated_level__rank__gt=F("official_level__rank"))
        # demo.records._DRIFTS draws 5 dasar → mandiri and 2 berkembang → paripurna.
        self.assertGreaterEqual(candidates.count(), 1)
        self.assertLessEqual(candidates.count(), 7)
        agree = Kampung.objects.in_kabupaten(TANAH_LAUT).filter(estimated_level=F("official_level"))
        self.assertGreater(agree.count(), 135 * 3 // 4)

    def test_official_levels_are_untouched(self):
        self.assertEqual(
            Counter(item.official_level_id for item in self.kampung),
            {"dasar": 93, "berkembang": 25, "mandiri": 3, "paripurna": 14},
        )


class LoadRecordsBesideRealRecordsTests(TestCase):
    """A kampung whose Pokja already entered something gets no demo records at all."""

    @classmethod
    def setUpTestData(cls):
        cls.tabanio = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.real = profile_create(kampung=cls.tabanio, by=None, pokja_exists=True, pokja_members=11)
        cls.loaded = load_records(today=TODAY)

    def test_kampung_with_real_records_is_skipped(self):
        self.assertEqual(self.loaded, 134)
        self.assertEqual(list(self.tabanio.profiles.all()), [self.real])
        self.assertFalse(self.tabanio.figures.exists())
        self.assertFalse(self.tabanio.activities.exists())
        self.assertFalse(KampungProfile.objects.filter(kampung=self.tabanio, is_demo=True).exists())

    def test_its_estimate_still_comes_from_its_own_record(self):
        self.tabanio.refresh_from_db()
        # Pokja with members, nothing else: I1 3 → Input 7 ÷ 5 = 1.40; no figures → dasar.
        self.assertEqual(self.tabanio.estimated_level_id, "dasar")
        self.assertEqual(str(self.tabanio.estimated_input), "1.40")
