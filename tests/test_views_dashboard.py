"""The district dashboard at ``/`` and ``/kabupaten/<kode>/``."""

import datetime
import gzip
import re
from unittest import mock

from django.utils import timezone

from classification.models import ClassificationLevel, Kampung, LevelChange, TargetPolicy
from classification.services.levels import kampung_set_level
from classification.views import base
from tests.base import KAMPUNG_A, KOTABARU, SESSION_CACHED, TANAH_LAUT, PeopleTestCase, make_user

# session, user, the user's access (groups, region scopes, pokja memberships), kabupaten, levels,
# district summary, counts by kecamatan, target policy, year-end counts, map features, thematic
# programmes by level, recent changes. Pinned: it must not grow with the number of kampung.
DASHBOARD_QUERIES = 14 - SESSION_CACHED
CHART_IDS = ("chart-distribusi", "chart-kecamatan", "chart-target", "chart-peta")
MAX_DASHBOARD_BYTES = 150_000


def card(response, testid: str) -> int:
    """The number on a summary card, as the user reads it."""
    match = re.search(rf'data-testid="{testid}">(\d+)<', response.content.decode())
    assert match, f"no card {testid!r} on the page"
    return int(match.group(1))


def script_sources(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", html)


class DashboardContentTests(PeopleTestCase):
    def test_staff_sees_tanah_laut_totals_and_level_distribution(self):
        self.client.force_login(self.staf)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kampung KB Kabupaten Tanah Laut")
        self.assertEqual(card(response, "total"), 135)
        self.assertContains(response, "Kampung KB di 11 kecamatan")
        self.assertEqual(card(response, "count-dasar"), 93)
        self.assertEqual(card(response, "count-berkembang"), 25)
        self.assertEqual(card(response, "count-mandiri"), 3)
        self.assertEqual(card(response, "count-paripurna"), 14)
        for share in ("Dasar · 68,9%", "Berkembang · 18,5%", "Mandiri · 2,2%", "Paripurna · 10,4%"):
            self.assertContains(response, share)
        self.assertEqual(card(response, "upper"), 17)
        self.assertContains(response, "mandiri atau lebih (12,6%)")
        # Every kampung has a level in the demo: no "belum ditetapkan" card.
        self.assertNotContains(response, "belum ditetapkan")

    def test_demo_district_says_its_levels_are_illustrative(self):
        self.client.force_login(self.staf)
        response = self.client.get("/")
        self.assertContains(response, "ilustratif")
        self.assertContains(response, "93 dasar, 25 berkembang, 3 mandiri, 14 paripurna")

    def test_page_has_all_four_charts_with_inline_data(self):
        self.client.force_login(self.staf)
        response = self.client.get("/")
        for chart_id in CHART_IDS:
            self.assertContains(response, f'<div id="{chart_id}"', count=1)
        self.assertContains(response, "Plotly.newPlot(", count=4)

    def test_plotly_is_loaded_from_our_own_static_files_and_nothing_from_elsewhere(self):
        self.client.force_login(self.staf)
        html = self.client.get("/").content.decode()
        sources = script_sources(html)
        self.assertTrue(any("/vendor/plotly.min." in src for src in sources), sources)
        for src in sources:
            self.assertTrue(src.startswith("/static/"), src)
        self.assertNotIn("cdn", html.lower())
        self.assertEqual(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", html), [])

    def test_plotly_script_url_is_served_compressed_and_cached_for_a_year(self):
        self.client.force_login(self.staf)
        html = self.client.get("/").content.decode()
        (plotly_src,) = [src for src in script_sources(html) if "plotly" in src]
        response = self.client.get(plotly_src, HTTP_ACCEPT_ENCODING="gzip")
        # Reading the stream to its end closes the file the way the test client expects
        # (response.close() here would fire request_finished and drop the test's connection).
        body = b"".join(response.streaming_content)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertTrue(body.startswith(b"\x1f\x8b"), "not gzip data")
        self.assertIn("max-age=31536000", response["Cache-Control"])

    def test_target_for_2026_is_24_from_17_at_the_baseline(self):
        self.client.force_login(self.staf)
        with mock.patch.object(base, "local_today", return_value=datetime.date(2026, 11, 22)):
            response = self.client.get("/")
        self.assertContains(
            response,
            "Tahun 2026: 17 kampung mandiri/paripurna dari target 24 "
            "(kuota 7 per tahun = 5% dari 135, dibulatkan ke atas).",
        )
        self.assertContains(response, "Kurang 7 kampung.")
        self.assertContains(response, "<tr><td>2025</td><td>17</td><td>17</td><td>0</td></tr>")
        self.assertContains(
            response, "<tr><td>2026 (s.d. hari ini)</td><td>24</td><td>17</td><td>7</td></tr>"
        )

    def test_target_for_2027_is_31(self):
        self.client.force_login(self.staf)
        with mock.patch.object(base, "local_today", return_value=datetime.date(2027, 3, 1)):
            response = self.client.get("/")
        self.assertContains(response, "<tr><td>2026</td><td>24</td><td>17</td><td>7</td></tr>")
        self.assertContains(
            response, "<tr><td>2027 (s.d. hari ini)</td><td>31</td><td>17</td><td>14</td></tr>"
        )

    def test_kecamatan_table_links_to_the_filtered_kampung_list(self):
        self.client.force_login(self.staf)
        response = self.client.get("/")
        self.assertContains(
            response,
            '<td><a href="/kampung/?kecamatan=63.01.03">Pelaihari</a></td>'
            "<td>15</td><td>4</td><td>0</td><td>1</td><td>20</td>",
            html=False,
        )

    def test_district_url_shows_the_same_dashboard_as_home(self):
        self.client.force_login(self.staf)
        home = self.client.get("/")
        district = self.client.get(f"/kabupaten/{TANAH_LAUT}/")
        self.assertEqual(district.status_code, 200)
        self.assertContains(district, "Kampung KB Kabupaten Tanah Laut")
        for testid in ("total", "count-dasar", "count-berkembang", "count-mandiri", "upper"):
            self.assertEqual(card(district, testid), card(home, testid), testid)
        for chart_id in CHART_IDS:
            self.assertContains(district, f'<div id="{chart_id}"', count=1)

    def test_dashboard_with_its_map_of_135_desa_is_at_most_150_kb(self):
        """What a phone on a slow line downloads before any chart shows, beside plotly.js (cached).

        The desa polygons are most of it: kept to what the map can show, not the survey's detail.
        """
        self.client.force_login(self.staf)
        for url in ("/", f"/kabupaten/{TANAH_LAUT}/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, '"text":"Tabanio (Takisung)"')  # the map is there
                self.assertLessEqual(len(response.content), MAX_DASHBOARD_BYTES)

    def test_a_browser_that_accepts_gzip_gets_the_page_compressed(self):
        self.client.force_login(self.staf)
        plain = self.client.get("/").content
        response = self.client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", response["Vary"])
        self.assertLess(len(response.content), len(plain) / 3)
        page = gzip.decompress(response.content).decode()
        self.assertIn('"text":"Tabanio (Takisung)"', page)
        self.assertIn("Dasar", page)


class DashboardAccessTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tanpa_peran = make_user("tanpa_peran")

    def test_anonymous_is_sent_to_login(self):
        for url in ("/", f"/kabupaten/{TANAH_LAUT}/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, f"/masuk/?next={url}", fetch_redirect_response=False)

    def test_every_role_of_tanah_laut_opens_its_dashboard(self):
        for user in (self.staf, self.pokja_a, self.pokja_b):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get("/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Kampung KB Kabupaten Tanah Laut")
                self.assertEqual(card(response, "total"), 135)

    def test_provincial_reviewer_lands_on_the_province_rollup(self):
        self.client.force_login(self.peninjau)
        self.assertRedirects(self.client.get("/"), "/provinsi/63/")

    def test_staff_of_another_kabupaten_sees_kotabaru_not_tanah_laut(self):
        self.client.force_login(self.staf_lain)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kampung KB Kabupaten Kotabaru")
        self.assertNotContains(response, "Tanah Laut")
        self.assertEqual(card(response, "total"), 202)
        self.assertEqual(card(response, "upper"), 0)
        # Kotabaru is not the demo district and has no boundaries loaded.
        self.assertNotContains(response, "ilustratif")
        self.assertNotContains(response, 'id="chart-peta"')
        self.assertContains(response, "Batas desa untuk kabupaten ini belum dimuat.")

    def test_staff_of_another_kabupaten_gets_404_for_tanah_laut(self):
        self.client.force_login(self.staf_lain)
        self.assertEqual(self.client.get(f"/kabupaten/{TANAH_LAUT}/").status_code, 404)

    def test_tanah_laut_staff_and_pokja_get_404_for_kotabaru(self):
        for user in (self.staf, self.pokja_a):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(f"/kabupaten/{KOTABARU}/").status_code, 404)

    def test_unknown_kabupaten_is_404_even_inside_the_reviewers_provinsi(self):
        self.client.force_login(self.peninjau)
        self.assertEqual(self.client.get("/kabupaten/63.99/").status_code, 404)

    def test_provincial_reviewer_reads_both_kabupaten(self):
        self.client.force_login(self.peninjau)
        tanah_laut = self.client.get(f"/kabupaten/{TANAH_LAUT}/")
        kotabaru = self.client.get(f"/kabupaten/{KOTABARU}/")
        self.assertContains(tanah_laut, "Kampung KB Kabupaten Tanah Laut")
        self.assertEqual(card(tanah_laut, "total"), 135)
        self.assertContains(kotabaru, "Kampung KB Kabupaten Kotabaru")
        self.assertEqual(card(kotabaru, "total"), 202)

    def test_user_without_any_role_sees_the_no_region_page(self):
        self.client.force_login(self.tanpa_peran)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Belum ada wilayah untuk akun ini")
        self.assertNotContains(response, 'data-testid="total"')
        self.assertNotContains(response, "plotly")

    def test_user_without_any_role_cannot_open_a_district_by_url(self):
        self.client.force_login(self.tanpa_peran)
        self.assertEqual(self.client.get(f"/kabupaten/{TANAH_LAUT}/").status_code, 404)


class DashboardFreshnessTests(PeopleTestCase):
    def test_a_verified_level_change_shows_on_the_next_request(self):
        self.client.force_login(self.staf)
        before = self.client.get("/")
        self.assertEqual(card(before, "count-berkembang"), 25)
        self.assertContains(before, "Belum ada perubahan sejak data awal.")

        tabanio = Kampung.objects.get(desa_kode=KAMPUNG_A)
        self.assertEqual(tabanio.official_level_id, "berkembang")
        kampung_set_level(
            kampung=tabanio,
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=timezone.localdate(),
            source=LevelChange.Source.VERIFICATION,
            by=self.staf,
            note="Hasil verifikasi lapangan.",
        )

        after = self.client.get("/")
        self.assertEqual(card(after, "total"), 135)
        self.assertEqual(card(after, "count-dasar"), 93)
        self.assertEqual(card(after, "count-berkembang"), 24)
        self.assertEqual(card(after, "count-mandiri"), 4)
        self.assertEqual(card(after, "count-paripurna"), 14)
        self.assertEqual(card(after, "upper"), 18)
        self.assertContains(after, "mandiri atau lebih (13,3%)")
        self.assertContains(after, "Tabanio</a>: Berkembang → Mandiri")
        year = timezone.localdate().year
        self.assertRegex(
            after.content.decode(),
            rf"<tr><td>{year} \(s\.d\. hari ini\)</td><td>\d+</td><td>18</td>",
        )


class DashboardQueryCountTests(PeopleTestCase):
    def test_dashboard_query_count_is_pinned(self):
        self.client.force_login(self.staf)
        with self.assertNumQueries(DASHBOARD_QUERIES):
            response = self.client.get("/")
        self.assertEqual(response.status_code, 200)

    def test_query_count_does_not_depend_on_the_number_of_kampung(self):
        """135 kampung with levels and polygons cost the same as 202 without either."""
        self.client.force_login(self.peninjau)
        with self.assertNumQueries(DASHBOARD_QUERIES):
            tanah_laut = self.client.get(f"/kabupaten/{TANAH_LAUT}/")
        with self.assertNumQueries(DASHBOARD_QUERIES):
            kotabaru = self.client.get(f"/kabupaten/{KOTABARU}/")
        self.assertEqual(card(tanah_laut, "total"), 135)
        self.assertContains(tanah_laut, 'id="chart-peta"')
        self.assertEqual(card(kotabaru, "total"), 202)

    def test_query_count_does_not_grow_with_level_history(self):
        self.client.force_login(self.staf)
        mandiri = ClassificationLevel.objects.get(code="mandiri")
        for kampung in Kampung.objects.filter(official_level_id="dasar")[:12]:
            kampung_set_level(
                kampung=kampung,
                level=mandiri,
                effective_date=datetime.date(2026, 1, 15),
                source=LevelChange.Source.VERIFICATION,
                by=self.staf,
            )
        with self.assertNumQueries(DASHBOARD_QUERIES):
            response = self.client.get("/")
        self.assertEqual(card(response, "count-mandiri"), 15)
        # The latest-changes list stops at ten.
        self.assertContains(response, "Dasar → Mandiri", count=10)


class DashboardTargetPolicyTests(PeopleTestCase):
    """The target sentence says what the district's policy says: its percent, its rounding."""

    def setUp(self):
        patcher = mock.patch.object(base, "local_today", return_value=datetime.date(2026, 11, 22))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.client.force_login(self.staf)

    def set_policy(self, rounding, percent=5):
        TargetPolicy.objects.filter(kabupaten_id=TANAH_LAUT).update(
            rounding=rounding, annual_percent=percent
        )

    def sentence(self, *, target, quota, percent, base, rounding):
        return (
            f"Tahun 2026: 17 kampung mandiri/paripurna dari target {target} "
            f"(kuota {quota} per tahun = {percent}% dari {base}, {rounding})."
        )

    def test_135_kampung_at_5_percent_is_6_75(self):
        cases = [
            # rounding, quota (6.75), target 2026 (17 + quota), wording
            (TargetPolicy.Rounding.UP, 7, 24, "dibulatkan ke atas"),
            (TargetPolicy.Rounding.DOWN, 6, 23, "dibulatkan ke bawah"),
            (TargetPolicy.Rounding.NEAREST, 7, 24, "dibulatkan ke terdekat"),
        ]
        for rounding, quota, target, wording in cases:
            with self.subTest(rounding=rounding):
                self.set_policy(rounding)
                response = self.client.get("/")
                self.assertContains(
                    response,
                    self.sentence(
                        target=target, quota=quota, percent=5, base=135, rounding=wording
                    ),
                )
                self.assertContains(response, "<h2>Target 5% per tahun</h2>")

    def test_130_kampung_at_5_percent_is_6_5_and_nearest_rounds_the_half_up(self):
        # Five dasar kampung leave: 130 active at the baseline and on 1 January 2026.
        leaving = Kampung.objects.filter(kecamatan__kabupaten_id=TANAH_LAUT)
        leaving = leaving.filter(official_level_id="dasar").order_by("desa_kode")[:5]
        Kampung.objects.filter(pk__in=[k.pk for k in leaving]).update(is_active=False)
        cases = [
            (TargetPolicy.Rounding.UP, 7, 24, "dibulatkan ke atas"),
            (TargetPolicy.Rounding.DOWN, 6, 23, "dibulatkan ke bawah"),
            (TargetPolicy.Rounding.NEAREST, 7, 24, "dibulatkan ke terdekat"),  # 6.5 → 7
        ]
        for rounding, quota, target, wording in cases:
            with self.subTest(rounding=rounding):
                self.set_policy(rounding)
                self.assertContains(
                    self.client.get("/"),
                    self.sentence(
                        target=target, quota=quota, percent=5, base=130, rounding=wording
                    ),
                )

    def test_the_heading_and_sentence_follow_the_policy_percent(self):
        self.set_policy(TargetPolicy.Rounding.DOWN, percent=10)  # 13.5 → 13; 17 + 13 = 30
        response = self.client.get("/")
        self.assertContains(response, "<h2>Target 10% per tahun</h2>")
        self.assertContains(
            response,
            self.sentence(
                target=30, quota=13, percent=10, base=135, rounding="dibulatkan ke bawah"
            ),
        )
        self.assertNotContains(response, "dibulatkan ke atas")
