"""Roll-ups: a provinsi's kabupaten side by side (``/provinsi/<kode>/``), every provinsi
nationally (``/nasional/``), and the selector behind both."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from classification import charts
from classification.models import Kabupaten, TargetPolicy
from classification.selectors.levels import level_list
from classification.selectors.rollups import kabupaten_rollup
from classification.selectors.target import target_progress
from tests.base import KOTABARU, SESSION_CACHED, TANAH_LAUT, PeopleTestCase, make_user

TODAY = datetime.date(2026, 6, 30)


class RollupSelectorTests(TestCase):
    def setUp(self):
        self.levels = level_list()

    def rollup(self, provinsi_kode="63"):
        return kabupaten_rollup(provinsi_kode=provinsi_kode, levels=self.levels, today=TODAY)

    def test_counts_and_shares_per_kabupaten(self):
        rows = {row.kode: row for row in self.rollup().rows}
        tanah_laut, kotabaru = rows[TANAH_LAUT], rows[KOTABARU]
        self.assertEqual(tanah_laut.total, 135)
        self.assertEqual([level.count for level in tanah_laut.levels], [93, 25, 3, 14])
        self.assertEqual(tanah_laut.upper_count, 17)
        self.assertEqual(str(tanah_laut.upper_share), "12.6")
        self.assertEqual(str(tanah_laut.completeness), "100.0")
        self.assertEqual(tanah_laut.url, f"/kabupaten/{TANAH_LAUT}/")
        self.assertEqual(kotabaru.total, 202)
        self.assertEqual(kotabaru.unassigned, 202)
        self.assertEqual(kotabaru.upper_count, 0)
        self.assertEqual(str(kotabaru.completeness), "0.0")

    def test_target_matches_the_district_target_page(self):
        rows = {row.kode: row for row in self.rollup().rows}
        for kode in (TANAH_LAUT, KOTABARU):
            progress = target_progress(kabupaten_kode=kode, levels=self.levels, today=TODAY)
            with self.subTest(kode=kode):
                self.assertEqual(rows[kode].target, progress.current.target)
                self.assertEqual(rows[kode].actual, progress.current.actual)
        self.assertEqual(rows[KOTABARU].default_policy, 1)  # the national default

    def test_a_district_policy_replaces_the_national_default(self):
        TargetPolicy.objects.update_or_create(
            kabupaten_id=TANAH_LAUT,
            defaults={
                "baseline_date": datetime.date(2025, 1, 1),
                "annual_percent": 10,
                "rounding": TargetPolicy.Rounding.DOWN,
            },
        )
        row = next(row for row in self.rollup().rows if row.kode == TANAH_LAUT)
        progress = target_progress(kabupaten_kode=TANAH_LAUT, levels=self.levels, today=TODAY)
        self.assertEqual(row.default_policy, 0)
        self.assertEqual(row.target, progress.current.target)

    def test_national_rollup_sums_kabupaten_per_provinsi(self):
        rollup = self.rollup(provinsi_kode=None)
        [kalsel] = [row for row in rollup.rows if row.kode == "63"]
        self.assertEqual(kalsel.total, 337)
        self.assertEqual(kalsel.upper_count, 17)
        self.assertEqual(kalsel.url, "/provinsi/63/")
        self.assertEqual(rollup.total.total, 337)

    def test_query_count_does_not_depend_on_the_number_of_kabupaten(self):
        with CaptureQueriesContext(connection) as two:
            self.rollup()
        Kabupaten.objects.create(kode="63.03", nama="Kabupaten Baru", provinsi_id="63")
        TargetPolicy.objects.update_or_create(
            kabupaten_id=KOTABARU, defaults={"baseline_date": datetime.date(2024, 3, 1)}
        )
        with self.assertNumQueries(len(two)):
            rows = self.rollup().rows
        self.assertEqual(len(two), 4)
        self.assertEqual([row.kode for row in rows], [TANAH_LAUT, KOTABARU, "63.03"])
        self.assertEqual(rows[-1].total, 0)

    def test_chart_stacks_shares_sorted_by_upper_share(self):
        figure = charts.rollup_shares(self.rollup().rows, self.levels)
        self.assertEqual(figure["layout"]["barmode"], "stack")
        self.assertEqual(figure["data"][0]["x"][0], "Kabupaten Tanah Laut")
        self.assertEqual(len(figure["data"]), len(self.levels) + 1)
        self.assertEqual(figure["data"][-1]["y"], [0.0, 100.0])


# session, user, access (groups, region scopes, pokja memberships), provinsi, levels, roll-up (4).
PROVINCE_QUERIES = 11 - SESSION_CACHED


class RollupViewTests(PeopleTestCase):
    def test_reviewer_sees_their_provinsi_with_drill_down(self):
        self.client.force_login(self.peninjau)
        with self.assertNumQueries(PROVINCE_QUERIES):
            response = self.client.get("/provinsi/63/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="/kabupaten/63.01/">Kabupaten Tanah Laut</a>')
        self.assertContains(response, 'href="/kabupaten/63.02/">Kabupaten Kotabaru</a>')
        self.assertContains(response, 'id="chart-rollup"')
        self.assertContains(response, "<td>93 (68,9%)</td>")
        # Kotabaru has no policy: the footnote states the national default's own terms.
        self.assertContains(response, 'title="Kebijakan target nasional (5%, dibulatkan ke atas)"')
        self.assertContains(
            response,
            "* Tanpa kebijakan target sendiri: memakai ketentuan nasional (5% per tahun, "
            "dibulatkan ke atas).",
        )

    def test_query_count_is_fixed_whatever_the_number_of_kabupaten(self):
        Kabupaten.objects.create(kode="63.03", nama="Kabupaten Baru", provinsi_id="63")
        self.client.force_login(self.peninjau)
        with self.assertNumQueries(PROVINCE_QUERIES):
            self.client.get("/provinsi/63/")

    def test_reviewer_out_of_scope_gets_404(self):
        self.client.force_login(self.peninjau)
        self.assertEqual(self.client.get("/provinsi/64/").status_code, 404)
        self.assertEqual(self.client.get("/nasional/").status_code, 404)
        other = make_user("peninjau_lain", group="bkkbn", kabupaten_id=KOTABARU)
        self.client.force_login(other)
        self.assertEqual(self.client.get("/provinsi/63/").status_code, 404)

    def test_dp3a_and_pokja_get_403(self):
        for user in (self.staf, self.staf_lain, self.pokja_a):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/provinsi/63/").status_code, 403)
                self.assertEqual(self.client.get("/nasional/").status_code, 403)

    def test_anonymous_goes_to_login(self):
        for url in ("/provinsi/63/", "/nasional/"):
            response = self.client.get(url)
            self.assertRedirects(response, f"/masuk/?next={url}", fetch_redirect_response=False)

    def test_superuser_sees_national_with_links_to_provinsi(self):
        admin = get_user_model().objects.create_superuser("admin", password="x" * 20)
        self.client.force_login(admin)
        response = self.client.get("/nasional/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="/provinsi/63/">Kalimantan Selatan</a>')
        self.assertEqual(self.client.get("/provinsi/63/").status_code, 200)
        self.assertEqual(self.client.get("/provinsi/99/").status_code, 404)
