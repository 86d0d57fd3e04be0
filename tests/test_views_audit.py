"""The audit trail page ``/riwayat/`` and the "Riwayat perubahan" section of a kampung page.

Who may open the page (anonymous → login, Pokja → 403, reviewer and DP3A → 200), what each
person sees there, its filters and pages, its pinned query count; then the kampung page section.
"""

import datetime
import re

from classification.models import Activity, Kampung
from classification.services.records import activity_save, kampung_update_identity
from tests.base import KAMPUNG_A, KAMPUNG_LAIN_KABUPATEN, SESSION_CACHED, PeopleTestCase
from tests.history import acting_as

URL = "/riwayat/"
# Session, user, access (groups, region scopes, Pokja seats), the COUNT, the page's keys, one
# query per kind of record (13), the kegiatan's agencies: whatever the page holds.
PAGE_QUERIES = 21 - SESSION_CACHED
NAME_A = "Kampung KB Tabanio Bahari"
NAME_OTHER = "Kampung KB Labuan Barat Sejahtera"
NAV_LINK = '<a href="/riwayat/">Riwayat</a>'


class AuditPageTestCase(PeopleTestCase):
    """Tabanio renamed by its Pokja; a Kotabaru kampung renamed by Kotabaru's staff."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        with acting_as(cls.pokja_a):
            kampung_update_identity(kampung=cls.kampung, by=cls.pokja_a, nama_kampung=NAME_A)
        with acting_as(cls.staf_lain):
            kampung_update_identity(
                kampung=Kampung.objects.get(desa_kode=KAMPUNG_LAIN_KABUPATEN),
                by=cls.staf_lain,
                nama_kampung=NAME_OTHER,
            )

    def add_changes(self, count: int) -> None:
        activity = Activity.objects.create(
            kampung=self.kampung, date=datetime.date(2026, 3, 1), title="0", category="lainnya"
        )
        with acting_as(self.pokja_a):
            for number in range(1, count + 1):
                activity.title = f"Kegiatan {number}"
                activity_save(activity=activity, by=self.pokja_a)


class AuditPagePermissionTests(AuditPageTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(URL)
        self.assertRedirects(response, "/masuk/?next=/riwayat/", fetch_redirect_response=False)

    def test_pokja_members_get_403(self):
        for person in (self.pokja_a, self.pokja_b):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                self.assertEqual(self.client.get(URL).status_code, 403)

    def test_reviewer_sees_both_kabupaten(self):
        self.client.force_login(self.peninjau)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, NAME_A)
        self.assertContains(response, NAME_OTHER)

    def test_district_staff_see_their_kabupaten_and_not_the_other(self):
        self.client.force_login(self.staf)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, NAME_A)
        self.assertContains(response, f'<a href="/kampung/{KAMPUNG_A}/">{NAME_A}</a>', html=True)
        self.assertContains(response, "Nama Kampung KB: “—” → “Kampung KB Tabanio Bahari”")
        self.assertNotContains(response, NAME_OTHER)
        self.assertNotContains(response, "63.02.")

        self.client.force_login(self.staf_lain)
        response = self.client.get(URL)
        self.assertContains(response, NAME_OTHER)
        self.assertNotContains(response, NAME_A)
        self.assertNotContains(response, KAMPUNG_A)

    def test_the_nav_links_the_page_for_staff_and_reviewers_only(self):
        for person, shown in (
            (self.staf, True),
            (self.peninjau, True),
            (self.pokja_a, False),
            (self.pokja_b, False),
        ):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get("/kampung/")
                self.assertContains(response, NAV_LINK, count=1 if shown else 0)


class AuditPageTests(AuditPageTestCase):
    def test_each_entry_shows_when_who_what_and_the_change(self):
        self.client.force_login(self.staf)
        response = self.client.get(URL, {"kampung": KAMPUNG_A, "jenis": "kampung"})
        rows = re.findall(r'<tr data-testid="audit-entry".*?</tr>', response.content.decode(), re.S)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertIn("Diubah", row)
        self.assertIn("<td>pokja_a</td>", row)
        self.assertIn("Identitas kampung", row)
        self.assertIn(KAMPUNG_A, row)
        self.assertContains(response, "Waktu (WITA)")

    def test_a_change_made_on_the_site_names_who_made_it(self):
        self.client.force_login(self.staf)
        # Through the edit page: simple-history's middleware records the signed-in person.
        edit = f"/kampung/{KAMPUNG_A}/ubah/"
        version = re.search(r'name="version" value="(\d+)"', self.client.get(edit).content.decode())
        response = self.client.post(
            edit, {"nama_kampung": "Kampung KB Tabanio Raya", "version": version.group(1)}
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.get(URL, {"kampung": KAMPUNG_A, "jenis": "kampung"})
        rows = re.findall(r'<tr data-testid="audit-entry".*?</tr>', response.content.decode(), re.S)
        self.assertEqual(len(rows), 2)
        self.assertIn("<td>staf</td>", rows[0])
        self.assertIn(
            "Nama Kampung KB: “Kampung KB Tabanio Bahari” → “Kampung KB Tabanio Raya”", rows[0]
        )

    def test_filters_keep_their_values_and_a_bad_one_says_why(self):
        self.client.force_login(self.peninjau)
        response = self.client.get(URL, {"kampung": "Labuan", "pengguna": "staf_lain"})
        self.assertContains(response, NAME_OTHER)
        self.assertNotContains(response, NAME_A)
        self.assertContains(response, 'value="Labuan"')
        self.assertContains(response, "1 perubahan")
        response = self.client.get(URL, {"dari": "2026-02-10", "sampai": "2026-02-01"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tanggal akhir tidak boleh sebelum tanggal awal.")
        response = self.client.get(URL, {"pengguna": "tak-ada-orangnya"})
        self.assertContains(response, "Tidak ada perubahan yang cocok dengan filter ini.")

    def test_pages_of_fifty_keep_the_filters(self):
        self.add_changes(55)
        self.client.force_login(self.staf)
        first = self.client.get(URL, {"jenis": "kegiatan"})
        self.assertContains(first, '<tr data-testid="audit-entry"', count=50)
        self.assertContains(first, "Halaman 1 dari 2")
        self.assertContains(first, 'href="?jenis=kegiatan&amp;page=2"')
        second = self.client.get(URL, {"jenis": "kegiatan", "page": "2"})
        self.assertContains(second, '<tr data-testid="audit-entry"', count=6)
        self.assertContains(second, "Halaman 2 dari 2")
        # A page number out of range shows the last page, not an error.
        self.assertContains(
            self.client.get(URL, {"jenis": "kegiatan", "page": "99"}), "Halaman 2 dari 2"
        )

    def test_query_count_is_the_same_with_5_or_50_changes(self):
        self.client.force_login(self.staf)
        self.add_changes(5)
        with self.assertNumQueries(PAGE_QUERIES):
            few = self.client.get(URL)
        self.assertContains(few, "Kegiatan 5")
        self.add_changes(50)
        with self.assertNumQueries(PAGE_QUERIES):
            many = self.client.get(URL)
        self.assertContains(many, '<tr data-testid="audit-entry"', count=50)
        with self.assertNumQueries(PAGE_QUERIES):
            self.client.get(URL, {"page": "2"})


class KampungHistorySectionTests(AuditPageTestCase):
    """The "Riwayat perubahan" section: DP3A, reviewers and the kampung's own Pokja see it."""

    url = f"/kampung/{KAMPUNG_A}/"
    section = 'id="riwayat-perubahan"'

    def test_staff_reviewers_and_the_kampungs_own_pokja_see_its_latest_changes(self):
        for person in (self.staf, self.peninjau, self.pokja_a):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(self.url)
                self.assertContains(response, self.section)
                self.assertContains(response, "Riwayat perubahan")
                self.assertContains(response, "Nama Kampung KB: “—” → “Kampung KB Tabanio Bahari”")
                self.assertContains(response, "WITA · pokja_a")

    def test_the_pokja_of_another_kampung_does_not(self):
        self.client.force_login(self.pokja_b)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.section)
        self.assertIsNone(response.context["change_history"])

    def test_only_audit_readers_get_the_link_to_the_whole_trail(self):
        link = f'href="/riwayat/?kampung={KAMPUNG_A}"'
        self.client.force_login(self.staf)
        self.assertContains(self.client.get(self.url), link)
        self.client.force_login(self.pokja_a)
        self.assertNotContains(self.client.get(self.url), link)

    def test_the_section_shows_the_latest_ten(self):
        self.add_changes(15)
        self.client.force_login(self.pokja_a)
        response = self.client.get(self.url)
        self.assertContains(response, 'data-testid="change-history-entry"', count=10)
        self.assertContains(response, "Judul: “Kegiatan 14” → “Kegiatan 15”")
        self.assertContains(response, "Judul: “Kegiatan 5” → “Kegiatan 6”")  # the tenth
        self.assertNotContains(response, "“Kegiatan 4”")
