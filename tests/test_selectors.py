"""Dashboard reads: district totals, per-kecamatan counts, the 5% target, the map, home district.

The session data: Tanah Laut (63.01) with the demo baseline 93/25/3/14 on 2025-07-31, and Kotabaru
(63.02, 202 kampung) with no levels.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import TestCase, override_settings

from classification.models import ClassificationLevel, Kabupaten, Kampung, LevelChange, TargetPolicy
from classification.selectors.dashboard import (
    district_summary,
    level_counts_by_kecamatan,
    map_features,
    recent_level_changes,
)
from classification.selectors.levels import level_list, upper_counts_on
from classification.selectors.regions import home_kabupaten_code, kabupaten_for_user
from classification.selectors.target import target_progress
from classification.services.levels import kampung_set_level

from .base import KOTABARU, TANAH_LAUT, PeopleTestCase, level_count

BASELINE = datetime.date(2025, 7, 31)
MID_2026 = datetime.date(2026, 6, 30)
KOTABARU_TOTAL = 202


def fresh(user):
    """The same user without the cached access, as a new request would see them."""
    return get_user_model().objects.get(pk=user.pk)


class SelectorTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.levels = level_list()
        cls.by_code = {level.code: level for level in cls.levels}

    def set_level(self, kampung, code, date, source=LevelChange.Source.VERIFICATION):
        kampung_set_level(
            kampung=kampung, level=self.by_code[code], effective_date=date, source=source
        )

    def kampung_at(self, code: str, count: int) -> list[Kampung]:
        """``count`` Tanah Laut kampung currently at level ``code``."""
        found = list(
            Kampung.objects.in_kabupaten(TANAH_LAUT)
            .filter(official_level_id=code)
            .order_by("desa_kode")[:count]
        )
        self.assertEqual(len(found), count)
        return found

    def summary(self, kode=TANAH_LAUT):
        return district_summary(kabupaten_kode=kode, levels=self.levels)

    def progress(self, today=MID_2026, kode=TANAH_LAUT):
        total = self.summary(kode).total
        return target_progress(kabupaten_kode=kode, total=total, levels=self.levels, today=today)


class DistrictSummaryTests(SelectorTestCase):
    def test_tanah_laut_baseline(self):
        summary = self.summary()
        self.assertEqual((summary.total, summary.kecamatan_count), (135, 11))
        self.assertEqual(
            [(level.code, level.label, level.count, level.share) for level in summary.levels],
            [
                ("dasar", "Dasar", 93, Decimal("68.9")),
                ("berkembang", "Berkembang", 25, Decimal("18.5")),
                ("mandiri", "Mandiri", 3, Decimal("2.2")),
                ("paripurna", "Paripurna", 14, Decimal("10.4")),
            ],
        )
        self.assertEqual(summary.unassigned, 0)
        self.assertEqual((summary.upper_count, summary.upper_share), (17, Decimal("12.6")))
        self.assertEqual(level_count(summary, "berkembang"), 25)
        self.assertEqual(level_count(summary, "tidak-ada"), 0)

    def test_district_without_levels(self):
        summary = self.summary(KOTABARU)
        self.assertEqual(summary.total, KOTABARU_TOTAL)
        self.assertEqual(summary.unassigned, KOTABARU_TOTAL)
        self.assertEqual([level.count for level in summary.levels], [0, 0, 0, 0])
        self.assertEqual((summary.upper_count, summary.upper_share), (0, Decimal("0.0")))

    def test_unknown_district_is_empty_not_an_error(self):
        summary = self.summary("63.99")
        self.assertEqual((summary.total, summary.upper_share), (0, Decimal("0.0")))

    def test_follows_a_level_change(self):
        [kampung] = self.kampung_at("dasar", 1)
        self.set_level(kampung, "mandiri", datetime.date(2026, 3, 1))
        summary = self.summary()
        self.assertEqual((level_count(summary, "dasar"), level_count(summary, "mandiri")), (92, 4))
        self.assertEqual((summary.upper_count, summary.upper_share), (18, Decimal("13.3")))

    def test_inactive_kampung_are_left_out(self):
        [kampung] = self.kampung_at("paripurna", 1)
        Kampung.objects.filter(pk=kampung.pk).update(is_active=False)
        summary = self.summary()
        self.assertEqual((summary.total, level_count(summary, "paripurna")), (134, 13))
        self.assertEqual(summary.upper_count, 16)

    def test_relabelled_top_level_is_shown(self):
        ClassificationLevel.objects.filter(code="paripurna").update(label="Berkelanjutan")
        levels = level_list()
        summary = district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
        self.assertEqual(summary.levels[-1].label, "Berkelanjutan")
        self.assertEqual(summary.levels[-1].count, 14)


class LevelCountsByKecamatanTests(SelectorTestCase):
    def test_eleven_kecamatan_adding_up_to_the_district(self):
        rows = level_counts_by_kecamatan(kabupaten_kode=TANAH_LAUT, levels=self.levels)
        self.assertEqual(len(rows), 11)
        self.assertEqual([row.kode for row in rows], [f"63.01.{i:02d}" for i in range(1, 12)])
        self.assertEqual(sum(row.total for row in rows), 135)
        summary = self.summary()
        self.assertEqual(
            [sum(row.counts[i] for row in rows) for i in range(4)],
            [level.count for level in summary.levels],
        )
        for row in rows:
            with self.subTest(kecamatan=row.nama):
                self.assertEqual(sum(row.counts), row.total)

    def test_pelaihari_has_20(self):
        rows = level_counts_by_kecamatan(kabupaten_kode=TANAH_LAUT, levels=self.levels)
        pelaihari = next(row for row in rows if row.kode == "63.01.03")
        self.assertEqual((pelaihari.nama, pelaihari.total), ("Pelaihari", 20))
        bati_bati = next(row for row in rows if row.kode == "63.01.05")
        self.assertEqual((bati_bati.nama, bati_bati.total), ("Bati Bati", 14))

    def test_district_without_levels_counts_totals_only(self):
        rows = level_counts_by_kecamatan(kabupaten_kode=KOTABARU, levels=self.levels)
        self.assertEqual(sum(row.total for row in rows), KOTABARU_TOTAL)
        self.assertTrue(all(row.counts == [0, 0, 0, 0] for row in rows))


class UpperCountsOnTests(SelectorTestCase):
    def test_counts_follow_the_history_dates(self):
        promoted = self.kampung_at("berkembang", 2)
        [demoted] = self.kampung_at("mandiri", 1)
        self.set_level(promoted[0], "mandiri", datetime.date(2026, 3, 1))
        self.set_level(promoted[1], "paripurna", datetime.date(2026, 9, 1))
        self.set_level(demoted, "berkembang", datetime.date(2026, 5, 1), "correction")
        cases = [
            (datetime.date(2025, 7, 30), 0),  # before the baseline: no level yet
            (BASELINE, 17),
            (datetime.date(2026, 2, 28), 17),
            (datetime.date(2026, 3, 1), 18),
            (datetime.date(2026, 5, 1), 17),
            (datetime.date(2026, 9, 1), 18),
        ]
        counts = upper_counts_on(
            kabupaten_kode=TANAH_LAUT, dates=[date for date, _ in cases], levels=self.levels
        )
        self.assertEqual(counts, [expected for _, expected in cases])

    def test_district_without_levels(self):
        self.assertEqual(
            upper_counts_on(
                kabupaten_kode=KOTABARU, dates=[BASELINE, MID_2026], levels=self.levels
            ),
            [0, 0],
        )


class TargetProgressTests(SelectorTestCase):
    def test_tanah_laut_mid_2026(self):
        progress = self.progress()
        self.assertEqual(
            (progress.baseline_date, progress.base, progress.quota, progress.baseline_upper),
            (BASELINE, 135, 7, 17),
        )
        self.assertEqual((progress.policy_percent, progress.rounding), (5, "up"))
        self.assertEqual(
            [(y.year, y.target, y.actual, y.is_current) for y in progress.years],
            [(2025, 17, 17, False), (2026, 24, 17, True)],
        )
        self.assertEqual((progress.current.year, progress.current.gap), (2026, 7))

    def test_promotions_count_in_their_year_only(self):
        for kampung in self.kampung_at("dasar", 2):
            self.set_level(kampung, "mandiri", datetime.date(2026, 3, 1))
        progress = self.progress()
        self.assertEqual(
            [(y.year, y.target, y.actual) for y in progress.years],
            [(2025, 17, 17), (2026, 24, 19)],
        )
        self.assertEqual((progress.baseline_upper, progress.current.gap), (17, 5))

    def test_a_demotion_lowers_the_actual(self):
        for kampung in self.kampung_at("dasar", 2):
            self.set_level(kampung, "mandiri", datetime.date(2026, 3, 1))
        [demoted] = self.kampung_at("paripurna", 1)
        self.set_level(demoted, "berkembang", datetime.date(2026, 4, 1), "correction")
        self.assertEqual(self.progress().current.actual, 18)

    def test_a_change_dated_after_today_is_not_counted_yet(self):
        [kampung] = self.kampung_at("dasar", 1)
        self.set_level(kampung, "mandiri", datetime.date(2026, 8, 1))
        self.assertEqual(self.progress(today=MID_2026).current.actual, 17)
        self.assertEqual(self.progress(today=datetime.date(2026, 8, 1)).current.actual, 18)

    def test_past_years_are_counted_at_year_end(self):
        [early] = self.kampung_at("dasar", 1)
        self.set_level(early, "mandiri", datetime.date(2025, 12, 1))
        [late] = self.kampung_at("berkembang", 1)
        self.set_level(late, "paripurna", datetime.date(2026, 12, 31))
        progress = self.progress(today=datetime.date(2027, 2, 1))
        self.assertEqual(
            [(y.year, y.target, y.actual, y.is_current) for y in progress.years],
            [(2025, 17, 18, False), (2026, 24, 19, False), (2027, 31, 19, True)],
        )
        # The baseline itself stays what it was on the baseline date.
        self.assertEqual(progress.baseline_upper, 17)

    def test_district_policy_is_applied(self):
        TargetPolicy.objects.filter(kabupaten_id=TANAH_LAUT).update(
            annual_percent=Decimal("10"), rounding=TargetPolicy.Rounding.DOWN
        )
        progress = self.progress(today=datetime.date(2027, 6, 30))
        self.assertEqual(progress.quota, 13)  # 13.5 rounded down
        self.assertEqual([y.target for y in progress.years], [17, 30, 43])

    def test_district_without_policy_gets_the_national_default(self):
        self.assertFalse(TargetPolicy.objects.filter(kabupaten_id=KOTABARU).exists())
        progress = self.progress(kode=KOTABARU)
        self.assertEqual(
            (progress.baseline_date, progress.base, progress.quota, progress.baseline_upper),
            (BASELINE, KOTABARU_TOTAL, 11, 0),
        )
        self.assertEqual(
            [(y.year, y.target, y.actual) for y in progress.years], [(2025, 0, 0), (2026, 11, 0)]
        )

    @override_settings(DEFAULT_TARGET_BASELINE_DATE="2026-01-01")
    def test_default_baseline_date_is_a_setting(self):
        progress = self.progress(kode=KOTABARU)
        self.assertEqual(progress.baseline_date, datetime.date(2026, 1, 1))
        self.assertEqual([y.year for y in progress.years], [2026])


class MapFeaturesTests(SelectorTestCase):
    def test_every_tanah_laut_kampung_with_its_boundary_and_level(self):
        features = map_features(kabupaten_kode=TANAH_LAUT)
        self.assertEqual(len(features), 135)
        codes = [feature["desa_kode"] for feature in features]
        self.assertEqual(codes, sorted(codes))
        tabanio = next(f for f in features if f["desa_kode"] == "63.01.01.2002")
        self.assertEqual(
            (tabanio["desa_nama"], tabanio["kecamatan__nama"], tabanio["official_level_id"]),
            ("Tabanio", "Takisung", "berkembang"),
        )
        self.assertIn(tabanio["boundary"]["type"], {"Polygon", "MultiPolygon"})

    def test_district_without_boundaries_has_no_features(self):
        self.assertEqual(map_features(kabupaten_kode=KOTABARU), [])

    def test_kampung_without_boundary_is_left_off(self):
        Kampung.objects.filter(desa_kode="63.01.01.2002").update(boundary=None)
        self.assertEqual(len(map_features(kabupaten_kode=TANAH_LAUT)), 134)


class SelectorQueryCountTests(SelectorTestCase):
    """Each selector costs the same number of queries whatever the district's size."""

    def test_query_counts_do_not_depend_on_the_district(self):
        today = datetime.date(2028, 6, 30)  # four year-ends: still one counting query
        for kode in (TANAH_LAUT, KOTABARU):
            with self.subTest(kabupaten=kode):
                with self.assertNumQueries(1):
                    level_list()
                with self.assertNumQueries(1):
                    summary = district_summary(kabupaten_kode=kode, levels=self.levels)
                with self.assertNumQueries(1):
                    level_counts_by_kecamatan(kabupaten_kode=kode, levels=self.levels)
                with self.assertNumQueries(1):
                    upper_counts_on(
                        kabupaten_kode=kode, dates=[BASELINE, MID_2026, today], levels=self.levels
                    )
                with self.assertNumQueries(2):
                    target_progress(
                        kabupaten_kode=kode, total=summary.total, levels=self.levels, today=today
                    )
                with self.assertNumQueries(1):
                    map_features(kabupaten_kode=kode)
                with self.assertNumQueries(1):
                    recent_level_changes(kabupaten_kode=kode)


class HomeKabupatenTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        cls.tanpa_peran = get_user_model().objects.create_user("tanpa_peran")

    def test_dashboard_opens_on_the_person_s_district(self):
        cases = [
            ("staf", self.staf, TANAH_LAUT),
            ("staf_lain", self.staf_lain, KOTABARU),
            ("pokja_a", self.pokja_a, TANAH_LAUT),
            ("pokja_b", self.pokja_b, TANAH_LAUT),
            ("peninjau", self.peninjau, TANAH_LAUT),  # first kabupaten of 63 with kampung
            ("admin", self.admin, TANAH_LAUT),  # settings.DEFAULT_KABUPATEN
            ("tanpa_peran", self.tanpa_peran, None),
            ("anonymous", AnonymousUser(), None),
        ]
        for name, user, expected in cases:
            with self.subTest(user=name):
                self.assertEqual(home_kabupaten_code(user=user), expected)

    def test_reviewer_skips_kabupaten_without_kampung(self):
        # 63.00 sorts first but has no kampung loaded: not a useful first page.
        Kabupaten.objects.create(kode="63.00", nama="Kosong", provinsi_id="63")
        self.assertEqual(home_kabupaten_code(user=self.peninjau), TANAH_LAUT)

    @override_settings(DEFAULT_KABUPATEN="63.02")
    def test_superuser_default_is_a_setting(self):
        self.assertEqual(home_kabupaten_code(user=self.admin), KOTABARU)

    def test_query_counts(self):
        cases = [
            (self.staf, 3),  # groups, region scopes, Pokja seats
            (self.pokja_a, 2),  # groups, Pokja seats
            (self.peninjau, 4),  # … plus the first kabupaten of the provinsi
            (self.admin, 0),
        ]
        for user, queries in cases:
            user = fresh(user)
            with self.subTest(user=user.username), self.assertNumQueries(queries):
                home_kabupaten_code(user=user)


class KabupatenForUserTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")

    def test_each_person_reaches_only_their_districts(self):
        cases = [
            ("staf", self.staf, {TANAH_LAUT}),
            ("staf_lain", self.staf_lain, {KOTABARU}),
            ("pokja_a", self.pokja_a, {TANAH_LAUT}),
            ("peninjau", self.peninjau, {TANAH_LAUT, KOTABARU}),
            ("admin", self.admin, {TANAH_LAUT, KOTABARU}),
            ("anonymous", AnonymousUser(), set()),
        ]
        for name, user, reachable in cases:
            for kode in (TANAH_LAUT, KOTABARU, "64.01"):
                with self.subTest(user=name, kabupaten=kode):
                    if kode in reachable:
                        kabupaten = kabupaten_for_user(user=user, kode=kode)
                        self.assertEqual(kabupaten.kode, kode)
                        self.assertEqual(kabupaten.provinsi.nama, "Kalimantan Selatan")
                    else:
                        with self.assertRaises(Http404):
                            kabupaten_for_user(user=user, kode=kode)

    def test_a_code_in_scope_that_does_not_exist_is_404(self):
        for user in (self.peninjau, self.admin):
            with self.subTest(user=user.username), self.assertRaises(Http404):
                kabupaten_for_user(user=user, kode="63.99")

    def test_query_count_is_the_same_for_both_districts(self):
        for user, kode in ((self.staf, TANAH_LAUT), (self.staf_lain, KOTABARU)):
            user = fresh(user)
            with self.subTest(kabupaten=kode), self.assertNumQueries(4):
                kabupaten_for_user(user=user, kode=kode)
