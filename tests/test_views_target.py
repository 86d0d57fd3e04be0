"""The 5%-a-year target page at ``/target/`` (domain.md §4).

Numbers from the demo baseline: 17 of 135 Tanah Laut kampung mandiri/paripurna on 2025-07-31,
so a quota of 7 a year and a target of 24 at the end of 2026. "Today" is 22 November 2026.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from unittest import mock

import openpyxl
from django.test import SimpleTestCase

from classification import charts
from classification.models import ClassificationLevel, Kampung, LevelChange, TargetPolicy
from classification.rules.targets import Movement
from classification.selectors.levels import level_list
from classification.selectors.records import kampung_records
from classification.selectors.target import KecamatanMovement, target_candidates
from classification.services.levels import kampung_set_level
from classification.views import base
from classification.views import target as target_views
from tests.base import KOTABARU, SESSION_CACHED, TANAH_LAUT, PeopleTestCase, make_user

TODAY = datetime.date(2026, 11, 22)
# session, user, the user's access (groups, region scopes, pokja memberships), kabupaten, levels,
# candidates with their latest profiles, latest figures and agency counts, target policy, the
# level-history count (year ends, movements, bases, pace), movements by kecamatan.
TARGET_QUERIES = 14 - SESSION_CACHED
# Without any candidate the three record queries are not needed.
TARGET_QUERIES_NO_CANDIDATES = TARGET_QUERIES - 3
# A download: the same minus policy, history count and kecamatan (not read for a file).
EXPORT_QUERIES = TARGET_QUERIES - 3
CANDIDATE_HEADER = [
    "Kode",
    "Kampung",
    "Kecamatan",
    "Level resmi",
    "Level estimasi",
    "Indeks input",
    "Indeks proses",
    "Indeks output",
    "Yang masih kurang",
]


def text(response) -> str:
    """The page's visible text on one line: tags dropped, spaces squeezed."""
    html = re.sub(r"<script\b.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def set_estimate(desa_kode, level, input_, proses, output):
    Kampung.objects.filter(desa_kode=desa_kode).update(
        estimated_level_id=level,
        estimated_input=Decimal(input_),
        estimated_proses=Decimal(proses),
        estimated_output=Decimal(output),
    )


class TargetPageTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.by_code = {level.code: level for level in ClassificationLevel.objects.all()}

    def setUp(self):
        patcher = mock.patch.object(base, "local_today", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def get(self, url="/target/", user=None):
        self.client.force_login(user or self.staf)
        return self.client.get(url)

    def set_level(self, desa_kode, code, date, source=LevelChange.Source.VERIFICATION):
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode=desa_kode),
            level=self.by_code[code],
            effective_date=date,
            source=source,
            by=self.staf,
        )


class TargetAccessTests(TargetPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tanpa_peran = make_user("tanpa_peran")

    def test_anonymous_is_sent_to_login(self):
        for url in ("/target/", "/target/?_export=csv", f"/target/?kabupaten={TANAH_LAUT}"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/masuk/?next=/target/"))

    def test_every_role_of_tanah_laut_opens_its_district(self):
        for user in (self.staf, self.pokja_a, self.pokja_b, self.peninjau):
            with self.subTest(user=user.username):
                response = self.get(user=user)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Target 5% per tahun: Kabupaten Tanah Laut")

    def test_staff_of_another_kabupaten_opens_their_own_and_gets_404_for_tanah_laut(self):
        own = self.get(user=self.staf_lain)
        self.assertEqual(own.status_code, 200)
        self.assertContains(own, "Kabupaten Kotabaru")
        for url in (
            f"/target/?kabupaten={TANAH_LAUT}",
            f"/target/?kabupaten={TANAH_LAUT}&_export=csv",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.get(url, user=self.staf_lain).status_code, 404)

    def test_tanah_laut_staff_and_pokja_get_404_for_kotabaru(self):
        for user in (self.staf, self.pokja_a):
            with self.subTest(user=user.username):
                response = self.get(f"/target/?kabupaten={KOTABARU}", user=user)
                self.assertEqual(response.status_code, 404)

    def test_provincial_reviewer_chooses_among_the_districts(self):
        tanah_laut = self.get(user=self.peninjau)
        self.assertContains(tanah_laut, '<select id="pilih-kabupaten" name="kabupaten">')
        self.assertContains(
            tanah_laut, '<option value="63.01" selected>Kabupaten Tanah Laut</option>'
        )
        kotabaru = self.get(f"/target/?kabupaten={KOTABARU}", user=self.peninjau)
        self.assertEqual(kotabaru.status_code, 200)
        self.assertContains(kotabaru, "Target 5% per tahun: Kabupaten Kotabaru")
        self.assertContains(kotabaru, '<option value="63.02" selected>Kabupaten Kotabaru</option>')
        self.assertEqual(self.get("/target/?kabupaten=63.99", user=self.peninjau).status_code, 404)

    def test_one_district_users_get_no_chooser(self):
        self.assertNotContains(self.get(user=self.staf), "pilih-kabupaten")

    def test_user_without_any_role_sees_the_no_region_page(self):
        response = self.get(user=self.tanpa_peran)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Belum ada wilayah untuk akun ini")
        self.assertEqual(
            self.get(f"/target/?kabupaten={TANAH_LAUT}", user=self.tanpa_peran).status_code, 404
        )

    def test_nav_links_to_the_page(self):
        self.assertContains(self.get("/", user=self.pokja_a), '<a href="/target/">Target</a>')

    def test_unknown_export_format_is_404(self):
        self.assertEqual(self.get("/target/?_export=json").status_code, 404)


class TargetNumbersTests(TargetPageTestCase):
    def test_demo_baseline_17_gives_24_in_2026(self):
        response = self.get()
        page = text(response)
        self.assertIn("0 dari 7 kampung naik ke mandiri/paripurna tahun ini.", page)
        self.assertIn(
            "Perubahan bersih: 0 kampung mandiri/paripurna (17 di awal tahun, 17 hari ini).", page
        )
        self.assertIn("Target akhir 2026: 24 kampung mandiri/paripurna; capaian hari ini 17.", page)
        self.assertIn("Kurang 7 kampung.", page)
        self.assertIn(
            "Kuota 7 per tahun = 5% dari 135 Kampung KB aktif di awal tahun, dibulatkan ke atas.",
            page,
        )
        self.assertContains(
            response,
            "<tr><td>2025</td><td>135</td><td>—</td><td>17</td><td>17</td>"
            "<td>0</td><td>0</td><td>0</td><td>0</td></tr>",
        )
        self.assertContains(
            response,
            "<tr><td>2026 (s.d. hari ini)</td><td>135</td><td>7</td><td>24</td><td>17</td>"
            "<td>0</td><td>0</td><td>0</td><td>7</td></tr>",
        )
        self.assertContains(response, '<div id="chart-target"', count=1)

    def test_two_promotions_this_year(self):
        self.set_level("63.01.01.2001", "mandiri", datetime.date(2026, 3, 1))  # Takisung
        self.set_level("63.01.03.2024", "mandiri", datetime.date(2026, 9, 1))  # Pelaihari
        response = self.get()
        page = text(response)
        self.assertIn("2 dari 7 kampung naik ke mandiri/paripurna tahun ini.", page)
        self.assertIn(
            "Perubahan bersih: +2 kampung mandiri/paripurna (17 di awal tahun, 19 hari ini).", page
        )
        self.assertIn("capaian hari ini 19. Kurang 5 kampung.", page)
        self.assertContains(
            response,
            "<tr><td>2026 (s.d. hari ini)</td><td>135</td><td>7</td><td>24</td><td>19</td>"
            "<td>2</td><td>0</td><td>+2</td><td>5</td></tr>",
        )

    def test_a_demotion_shows_in_the_net_not_in_the_moved_up(self):
        self.set_level("63.01.01.2001", "mandiri", datetime.date(2026, 3, 1))
        self.set_level("63.01.03.2024", "mandiri", datetime.date(2026, 9, 1))
        self.set_level("63.01.01.2004", "berkembang", datetime.date(2026, 5, 1), "correction")
        page = text(self.get())
        self.assertIn("2 dari 7 kampung naik ke mandiri/paripurna tahun ini.", page)
        self.assertIn(
            "Perubahan bersih: +1 kampung mandiri/paripurna (17 di awal tahun, 18 hari ini), "
            "1 kampung turun dari mandiri/paripurna.",
            page,
        )
        self.assertIn("<td>2</td><td>1</td><td>+1</td><td>6</td>", self.get().content.decode())

    def test_a_promotion_dated_after_today_is_not_counted(self):
        self.set_level("63.01.01.2001", "mandiri", datetime.date(2026, 12, 1))
        self.assertIn("0 dari 7 kampung naik", text(self.get()))

    def test_projection_at_the_pace_of_the_last_12_months(self):
        self.set_level("63.01.01.2001", "mandiri", datetime.date(2026, 3, 1))
        self.set_level("63.01.03.2024", "mandiri", datetime.date(2026, 9, 1))
        response = self.get()
        page = text(response)
        self.assertIn(
            "Laju 12 bulan terakhir: +2 kampung mandiri/paripurna bersih per 12 bulan.", page
        )
        # 24 − 19 = 5 more at 2 a year: May 2029.
        self.assertIn("Pada laju ini target 2026 (24 kampung) tercapai pada 2029.", page)
        self.assertContains(response, "<tr><td>2026</td><td>24</td><td>2029 (terlambat)</td></tr>")

    def test_projection_without_gain_is_never_reached(self):
        page = text(self.get())
        self.assertIn(
            "Laju 12 bulan terakhir: 0 kampung mandiri/paripurna bersih per 12 bulan.", page
        )
        self.assertIn("Target 2026 (24 kampung) tidak tercapai pada laju ini.", page)
        self.assertIn(
            "<td>2031</td><td>59</td><td>tidak tercapai pada laju ini</td>",
            self.get().content.decode(),
        )

    def test_contribution_by_kecamatan(self):
        self.set_level("63.01.01.2001", "mandiri", datetime.date(2026, 3, 1))
        self.set_level("63.01.01.2003", "paripurna", datetime.date(2026, 4, 1))
        self.set_level("63.01.03.2024", "mandiri", datetime.date(2026, 9, 1))
        response = self.get()
        self.assertContains(
            response,
            '<td><a href="/kampung/?kabupaten=63.01&amp;kecamatan=63.01.01">Takisung</a></td>'
            "<td>12</td><td>2</td><td>0</td><td>+2</td><td>4</td>",
        )
        self.assertContains(
            response,
            '<td><a href="/kampung/?kabupaten=63.01&amp;kecamatan=63.01.03">Pelaihari</a></td>'
            "<td>20</td><td>1</td><td>0</td><td>+1</td><td>2</td>",
        )
        self.assertContains(response, '<div id="chart-kontribusi"', count=1)

    def test_no_contribution_chart_in_a_year_without_movement(self):
        response = self.get()
        self.assertNotContains(response, 'id="chart-kontribusi"')
        self.assertContains(response, "Belum ada kampung yang naik atau turun tahun ini.")

    def test_kotabaru_without_levels(self):
        page = text(self.get(user=self.staf_lain))
        self.assertIn("0 dari 11 kampung naik ke mandiri/paripurna tahun ini.", page)
        self.assertIn("Target akhir 2026: 11 kampung mandiri/paripurna; capaian hari ini 0.", page)
        self.assertIn("Belum ada kampung di bawah mandiri yang punya data estimasi.", page)


class TargetCandidatesTests(TargetPageTestCase):
    def setUp(self):
        super().setUp()
        set_estimate("63.01.01.2001", "mandiri", "2.50", "3.50", "3.50")  # dasar officially
        set_estimate("63.01.01.2007", "berkembang", "3.40", "3.00", "2.75")
        set_estimate("63.01.01.2003", "dasar", "2.00", "2.00", "3.00")
        set_estimate("63.01.01.2004", "paripurna", "4.00", "4.00", "4.00")  # paripurna already
        set_estimate("63.01.01.2005", "mandiri", "3.00", "2.00", "3.50")
        Kampung.objects.filter(desa_kode="63.01.01.2005").update(is_active=False)

    def candidate_rows(self, response) -> list[str]:
        return re.findall(
            r'<tr data-testid="candidate".*?</tr>', response.content.decode(), flags=re.S
        )

    def test_candidates_filtered_and_ordered(self):
        response = self.get()
        rows = self.candidate_rows(response)
        self.assertEqual(len(rows), 3)
        first, second, third = (re.sub(r"\s+", " ", row) for row in rows)
        self.assertIn('<a href="/kampung/63.01.01.2001/">Benua Lawas</a>', first)
        self.assertIn("Takisung", first)
        self.assertIn(">Dasar</span>", first)
        self.assertIn('class="badge badge-estimate" style="--level-colour: ', first)
        self.assertIn(">Mandiri</span>", first)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", first)
        self.assertEqual(cells[0], "63.01.01.2001")
        self.assertEqual(cells[5:8], ["2,50", "3,50", "3,50"])  # indices with a decimal comma
        self.assertIn("Data sudah memenuhi Mandiri: tinggal penilaian yang diajukan Pokja", first)
        self.assertIn("/kampung/63.01.01.2007/", second)
        self.assertIn("2,75", second)
        self.assertIn("/kampung/63.01.01.2003/", third)
        page = response.content.decode()
        for excluded in ("63.01.01.2004", "63.01.01.2005"):
            self.assertNotIn(f"/kampung/{excluded}/", page)

    def test_what_is_missing_is_shown_for_rows_below_the_estimate(self):
        response = self.get()
        second = self.candidate_rows(response)[1]
        kampung = Kampung.objects.get(desa_kode="63.01.01.2007")
        # No records in the session: the plan is the scoring rule's on empty records.
        expected = kampung_records(kampung=kampung).assessment.missing_for_next_level
        self.assertIn("<details><summary>", second)
        self.assertIn(expected[0], second.replace("&gt;", ">"))

    def test_csv_rows_equal_the_candidate_list(self):
        response = self.get("/target/?_export=csv")
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response["Content-Type"])
        self.assertIn(
            'filename="kandidat-target-63.01-2026-11-22.csv"', response["Content-Disposition"]
        )
        header, *rows = csv_rows(response)
        self.assertEqual(header, CANDIDATE_HEADER)
        candidates = target_candidates(kabupaten_kode=TANAH_LAUT, levels=level_list())
        self.assertEqual([row[0] for row in rows], [c.kampung.desa_kode for c in candidates])
        self.assertEqual(
            rows[0][:8],
            [
                "63.01.01.2001",
                "Benua Lawas",
                "Takisung",
                "Dasar",
                "Mandiri",
                "2,50",
                "3,50",
                "3,50",
            ],
        )
        self.assertTrue(rows[0][8].startswith("Data sudah memenuhi Mandiri"))
        self.assertEqual(rows[1][8], "; ".join(candidates[1].missing))
        self.assertNotIn("<", response.content.decode())

    def test_xlsx_has_a_header_row_and_the_same_rows(self):
        response = self.get("/target/?_export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        header, *rows = xlsx_rows(response)
        self.assertEqual(header, CANDIDATE_HEADER)
        self.assertEqual(
            [row[:5] for row in rows],
            [
                ["63.01.01.2001", "Benua Lawas", "Takisung", "Dasar", "Mandiri"],
                ["63.01.01.2007", "Ranggang", "Takisung", "Berkembang", "Berkembang"],
                ["63.01.01.2003", "Kuala Tambangan", "Takisung", "Dasar", "Dasar"],
            ],
        )
        self.assertFalse(any("<" in str(cell) for row in rows for cell in row))

    def test_export_follows_the_chosen_district(self):
        self.client.force_login(self.peninjau)
        response = self.client.get(f"/target/?kabupaten={KOTABARU}&_export=csv")
        self.assertEqual(csv_rows(response), [CANDIDATE_HEADER])

    def test_the_list_stops_at_the_limit(self):
        codes = list(
            Kampung.objects.filter(kecamatan__kabupaten_id=TANAH_LAUT, official_level_id="dasar")
            .order_by("desa_kode")
            .values_list("desa_kode", flat=True)[:30]
        )
        for code in codes:
            set_estimate(code, "dasar", "2.00", "2.00", "2.00")
        self.assertEqual(len(self.candidate_rows(self.get())), target_views.CANDIDATE_LIMIT)
        self.assertEqual(
            len(csv_rows(self.get("/target/?_export=csv"))), 1 + target_views.CANDIDATE_LIMIT
        )


class TargetQueryCountTests(TargetPageTestCase):
    def many_candidates(self, count):
        codes = Kampung.objects.filter(
            kecamatan__kabupaten_id=TANAH_LAUT, official_level_id="dasar"
        ).values_list("desa_kode", flat=True)[:count]
        for code in codes:
            set_estimate(code, "dasar", "2.00", "2.50", "2.75")

    def test_query_count_is_pinned(self):
        self.many_candidates(3)
        self.client.force_login(self.staf)
        with self.assertNumQueries(TARGET_QUERIES):
            response = self.client.get("/target/")
        self.assertEqual(len(re.findall(r'data-testid="candidate"', response.content.decode())), 3)

    def test_query_count_does_not_depend_on_the_number_of_kampung_or_rows(self):
        self.client.force_login(self.staf)
        for count in (1, 40):
            with self.subTest(candidates=count):
                self.many_candidates(count)
                with self.assertNumQueries(TARGET_QUERIES):
                    self.client.get("/target/")
                with self.assertNumQueries(EXPORT_QUERIES):
                    self.client.get("/target/?_export=xlsx")

    def test_query_count_does_not_grow_with_level_history(self):
        self.many_candidates(3)
        mandiri = self.by_code["mandiri"]
        for kampung in Kampung.objects.filter(official_level_id="berkembang")[:12]:
            kampung_set_level(
                kampung=kampung,
                level=mandiri,
                effective_date=datetime.date(2026, 1, 15),
                source=LevelChange.Source.VERIFICATION,
            )
        self.client.force_login(self.staf)
        with self.assertNumQueries(TARGET_QUERIES):
            response = self.client.get("/target/")
        self.assertIn("12 dari 7 kampung naik", text(response))

    def test_district_without_candidates(self):
        self.client.force_login(self.staf_lain)
        with self.assertNumQueries(TARGET_QUERIES_NO_CANDIDATES):
            self.client.get("/target/")

    def test_reviewer_pays_for_the_district_chooser(self):
        self.many_candidates(3)
        self.client.force_login(self.peninjau)
        # The chooser's list, and (without ?kabupaten) finding the home district.
        with self.assertNumQueries(TARGET_QUERIES + 2):
            self.client.get("/target/")
        with self.assertNumQueries(TARGET_QUERIES + 1):
            self.client.get(f"/target/?kabupaten={TANAH_LAUT}")


class ContributionChartTests(SimpleTestCase):
    def test_one_bar_per_kecamatan_up_and_down(self):
        rows = [
            KecamatanMovement("63.01.01", "Takisung", 12, Movement(2, 1, 2, 3)),
            KecamatanMovement("63.01.03", "Pelaihari", 20, Movement(1, 0, 1, 2)),
        ]
        figure = charts.movements_by_kecamatan(rows)
        up, down = figure["data"]
        self.assertEqual((up["type"], up["x"], up["y"]), ("bar", ["Takisung", "Pelaihari"], [2, 1]))
        self.assertEqual(down["y"], [1, 0])
        self.assertEqual(figure["layout"]["barmode"], "group")
        html = charts.render(figure, div_id="chart-kontribusi")
        self.assertIn('<div id="chart-kontribusi"', html)


class TargetPolicyWordingTests(TargetPageTestCase):
    """The page's title, heading and quota sentence follow the district's policy."""

    def test_rounding_and_percent_come_from_the_policy(self):
        cases = [
            # percent, rounding, quota of 135, wording
            (5, TargetPolicy.Rounding.UP, 7, "dibulatkan ke atas"),  # 6.75
            (5, TargetPolicy.Rounding.DOWN, 6, "dibulatkan ke bawah"),
            (5, TargetPolicy.Rounding.NEAREST, 7, "dibulatkan ke terdekat"),
            (10, TargetPolicy.Rounding.DOWN, 13, "dibulatkan ke bawah"),  # 13.5
        ]
        for percent, rounding, quota, wording in cases:
            with self.subTest(percent=percent, rounding=rounding):
                TargetPolicy.objects.filter(kabupaten_id=TANAH_LAUT).update(
                    annual_percent=percent, rounding=rounding
                )
                response = self.get()
                page = text(response)
                self.assertIn(
                    f"Kuota {quota} per tahun = {percent}% dari 135 Kampung KB aktif di awal "
                    f"tahun, {wording}.",
                    page,
                )
                self.assertIn(f"Target {percent}% per tahun: Kabupaten Tanah Laut", page)
                self.assertIn(
                    f"<title>Target {percent}% per tahun Kabupaten Tanah Laut",
                    self.get().content.decode(),
                )
