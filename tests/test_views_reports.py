"""The printable district report at ``/laporan/``, with its dated snapshots."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from classification.models import ClassificationLevel, Kampung, KampungProfile, LevelChange
from classification.services.levels import kampung_set_level
from tests.base import KAMPUNG_A, KOTABARU, SESSION_CACHED, TANAH_LAUT, PeopleTestCase


def count(response, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">(\d+)<', response.content.decode())
    assert match, f"no {testid!r} on the page"
    return int(match.group(1))


def levels(response) -> dict[str, int]:
    return {
        code: count(response, f"count-{code}")
        for code in ("dasar", "berkembang", "mandiri", "paripurna", "unassigned")
    }


class ReportContentTests(PeopleTestCase):
    def setUp(self):
        self.client.force_login(self.staf)

    def test_today_shows_the_demo_numbers_and_every_section(self):
        response = self.client.get("/laporan/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(count(response, "total"), 135)
        self.assertEqual(
            levels(response),
            {"dasar": 93, "berkembang": 25, "mandiri": 3, "paripurna": 14, "unassigned": 0},
        )
        for section in ("totals", "kecamatan", "target", "candidates", "completeness", "programs"):
            self.assertContains(response, f'data-testid="section-{section}"')
        for chart in ("chart-distribusi", "chart-kecamatan", "chart-target"):
            self.assertContains(response, f'id="{chart}"')
        self.assertContains(response, "Dibuat ")
        self.assertContains(response, "Data per ")
        self.assertNotContains(response, 'data-testid="snapshot-date"')

    def test_before_the_baseline_everything_is_unassigned(self):
        response = self.client.get("/laporan/?tanggal=2025-07-30")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            levels(response),
            {"dasar": 0, "berkembang": 0, "mandiri": 0, "paripurna": 0, "unassigned": 135},
        )
        self.assertContains(response, "Level per tanggal 30 Juli 2025")

    def test_a_snapshot_keeps_the_level_a_later_verification_changed(self):
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode=KAMPUNG_A),  # berkembang in the demo
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.VERIFICATION,
            by=self.staf,
        )
        before = self.client.get("/laporan/?tanggal=2026-02-28")
        self.assertEqual(levels(before)["berkembang"], 25)
        self.assertEqual(levels(before)["mandiri"], 3)
        now = self.client.get("/laporan/")
        self.assertEqual(levels(now)["berkembang"], 24)
        self.assertEqual(levels(now)["mandiri"], 4)

    def test_a_bad_date_is_a_form_error_in_indonesian(self):
        response = self.client.get("/laporan/?tanggal=31-12-2025")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tanggal tidak valid")
        self.assertEqual(count(response, "total"), 135)  # the report as of today

    def test_a_future_date_is_refused(self):
        response = self.client.get("/laporan/?tanggal=2999-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tanggal tidak boleh di masa depan.")
        self.assertNotContains(response, 'data-testid="snapshot-date"')

    def test_print_css_is_linked(self):
        response = self.client.get("/laporan/")
        self.assertContains(response, "site")  # the stylesheet with the @media print block


class ReportAccessTests(PeopleTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get("/laporan/")
        self.assertRedirects(response, "/masuk/?next=/laporan/", fetch_redirect_response=False)

    def test_every_logged_in_role_gets_the_report(self):
        for person in (self.staf, self.staf_lain, self.pokja_a, self.pokja_b, self.peninjau):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                self.assertEqual(self.client.get("/laporan/").status_code, 200)

    def test_reviewer_picks_a_kabupaten_in_scope(self):
        self.client.force_login(self.peninjau)
        response = self.client.get(f"/laporan/?kabupaten={KOTABARU}")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kotabaru")

    def test_other_kabupaten_is_404(self):
        for person in (self.staf, self.pokja_a):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(f"/laporan/?kabupaten={KOTABARU}")
                self.assertEqual(response.status_code, 404)
        self.client.force_login(self.staf_lain)
        self.assertEqual(self.client.get(f"/laporan/?kabupaten={TANAH_LAUT}").status_code, 404)


class ReportQueryTests(PeopleTestCase):
    def queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_query_count_is_pinned_and_independent_of_records(self):
        KampungProfile.objects.create(kampung=Kampung.objects.get(desa_kode=KAMPUNG_A))
        self.client.force_login(self.peninjau)
        self.client.get("/laporan/")  # warm the session
        with_records = self.queries(f"/laporan/?kabupaten={TANAH_LAUT}")
        without = self.queries(f"/laporan/?kabupaten={KOTABARU}")
        snapshot = self.queries(f"/laporan/?kabupaten={TANAH_LAUT}&tanggal=2026-02-28")
        self.assertEqual((with_records, without), (REPORT_QUERIES, REPORT_QUERIES))
        self.assertEqual(snapshot, REPORT_QUERIES)


# session, user, access (groups, region scopes, pokja seats), kabupaten, levels, summary, by
# kecamatan, target policy, history counts, candidates, completeness, programmes, "as of".
# (Candidates add three queries for what is missing once any kampung qualifies.)
REPORT_QUERIES = 15 - SESSION_CACHED
