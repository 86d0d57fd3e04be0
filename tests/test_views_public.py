"""The public district summary at ``/publik/``: no login, no personal data."""

import datetime
import re

from classification.models import ClassificationLevel, Kampung, LevelChange
from classification.services.levels import kampung_set_level
from tests.base import KAMPUNG_A, PeopleTestCase

# Anonymous: kabupaten, levels, district summary. No session, no user, no per-kampung rows.
PUBLIC_QUERIES = 3
SECRET_NOTE = "Ketua Pokja Ibu Rina Marlina, HP 0812-5555-0199, minta verifikasi ulang."


def card(response, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">(\d+)<', response.content.decode())
    assert match, f"no card {testid!r} on the page"
    return int(match.group(1))


class PublicSummaryTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staf.first_name, cls.staf.last_name = "Sri", "Wahyuningsih"
        cls.staf.email = "sri.wahyuningsih@dp3a.tanahlaut.example"
        cls.staf.save()
        # A recorded change by a named person with a personal note: none of it may leak.
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode=KAMPUNG_A),
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 2, 10),
            source=LevelChange.Source.VERIFICATION,
            by=cls.staf,
            note=SECRET_NOTE,
        )

    def test_anonymous_gets_the_summary_without_logging_in(self):
        response = self.client.get("/publik/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kampung KB Kabupaten Tanah Laut")
        self.assertContains(response, "Kampung KB di 11 kecamatan")
        self.assertEqual(card(response, "total"), 135)
        self.assertContains(response, 'href="/masuk/"')

    def test_totals_reflect_the_recorded_change(self):
        response = self.client.get("/publik/")
        self.assertEqual(card(response, "count-dasar"), 93)
        self.assertEqual(card(response, "count-berkembang"), 24)
        self.assertEqual(card(response, "count-mandiri"), 4)
        self.assertEqual(card(response, "count-paripurna"), 14)
        self.assertEqual(card(response, "upper"), 18)
        self.assertContains(response, "ilustratif")

    def test_distribution_chart_is_drawn_with_plotly_from_our_static_files(self):
        html = self.client.get("/publik/").content.decode()
        self.assertIn('<div id="chart-distribusi"', html)
        self.assertEqual(html.count("Plotly.newPlot("), 1)
        sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", html)
        self.assertTrue(sources)
        for src in sources:
            self.assertTrue(src.startswith("/static/"), src)
        self.assertNotIn("cdn", html.lower())

    def test_no_usernames_names_notes_or_kampung_detail_on_the_page(self):
        html = self.client.get("/publik/").content.decode()
        self.assertIsNone(re.search(r"\bstaf\b", html, re.IGNORECASE))
        for personal in ("Wahyuningsih", "sri.wahyuningsih", "Rina Marlina", "0812-5555", "ulang"):
            self.assertNotIn(personal, html)
        # Only district totals: no per-kampung names, links or change list.
        self.assertNotIn("Tabanio", html)
        self.assertNotIn("/kampung/", html)
        self.assertNotIn("Perubahan level terbaru", html)

    def test_logged_in_users_can_read_it_too(self):
        for user in (self.staf, self.staf_lain, self.pokja_a, self.peninjau):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get("/publik/")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(card(response, "total"), 135)
                self.assertNotContains(response, SECRET_NOTE)

    def test_public_query_count_is_pinned(self):
        with self.assertNumQueries(PUBLIC_QUERIES):
            response = self.client.get("/publik/")
        self.assertEqual(response.status_code, 200)
