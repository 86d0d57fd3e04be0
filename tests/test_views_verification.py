"""The verification workflow's pages: a kampung's penilaian, the DP3A queue and review page, the
level correction, the Pokja's panel on the dashboard and the navigation link.

Every page is walked for every person of ``tests/base.py`` (and anonymous), for GET and POST.
"""

import datetime
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import timezone, translation

from classification.models import Assessment, ClassificationLevel, Kampung, LevelChange
from classification.permissions import DP3A_GROUP
from classification.rules.assessment import assess
from classification.rules.inputs import KampungInputs
from classification.rules.vocabularies import GROUPS
from classification.services.records import figures_create
from classification.services.verification import (
    assessment_return,
    assessment_save,
    assessment_verify,
)
from classification.views.kampung import estimate_score_groups, snapshot_score_groups

from .base import (
    KAMPUNG_A,
    KAMPUNG_B,
    SESSION_CACHED,
    TANAH_LAUT,
    PeopleTestCase,
    make_pokja,
    make_user,
)
from .records import FIGURES_FEBRUARY, give_records
from .test_views_dashboard import DASHBOARD_QUERIES, card

# Queue: session, user, the user's access (groups, region scopes, Pokja memberships), the
# submitted assessments with kampung, levels and submitter, their latest verified assessments.
QUEUE_QUERIES = 7 - SESSION_CACHED
# Review: session, user, access (3), the assessment with its kampung, levels and people, the
# latest verified assessment before it, the levels for the verify form's choices.
REVIEW_QUERIES = 8 - SESSION_CACHED
# The dashboard of a Pokja member: a Pokja account has no region scopes to read (one query fewer
# than staff), and the panel reads their kampung with its latest assessment (one more).
POKJA_DASHBOARD_QUERIES = DASHBOARD_QUERIES

ANONYMOUS = "anonymous"
PEOPLE = ("staf", "staf_lain", "pokja_a", "pokja_b", "peninjau")


def penilaian_url(kode=KAMPUNG_A) -> str:
    return f"/kampung/{kode}/penilaian/"


def review_url(assessment) -> str:
    return f"/verifikasi/{assessment.pk}/"


def hidden_version(response, prefix: str) -> str:
    match = re.search(
        rf'name="{prefix}-version" value="(\d+)"', response.content.decode(), re.MULTILINE
    )
    assert match, f"no {prefix} version on the page"
    return match.group(1)


def verify_data(version: str, level: str = "mandiri", **fields) -> dict:
    """The review page's "verifikasi" form, effective today unless ``effective_date`` is given."""
    data = {
        "aksi": "verifikasi",
        "verifikasi-version": version,
        "verifikasi-level": level,
        "verifikasi-effective_date": timezone.localdate().isoformat(),
    }
    data.update({f"verifikasi-{name}": value for name, value in fields.items()})
    return data


class WorkflowViewTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staf_dua = make_user("staf_dua", group=DP3A_GROUP, kabupaten_id=TANAH_LAUT)
        cls.tabanio = Kampung.objects.get(desa_kode=KAMPUNG_A)
        give_records(cls.tabanio, cls.pokja_a)
        cls.level = {level.code: level for level in ClassificationLevel.objects.all()}

    def submit(self, *, by=None, kampung=None, proposed=None, note=""):
        return assessment_save(
            kampung=kampung or self.tabanio,
            by=by or self.pokja_a,
            submit=True,
            proposed_level=self.level[proposed] if proposed else None,
            note=note,
        )

    def as_person(self, name: str):
        if name == ANONYMOUS:
            self.client.logout()
        else:
            self.client.force_login(getattr(self, name))

    def walk(self, method: str, url: str, expected: dict[str, int], data=None):
        """Request ``url`` as each person in turn, in the order given; anonymous → login."""
        for name, status in expected.items():
            with self.subTest(person=name, method=method):
                self.as_person(name)
                if method == "get":
                    response = self.client.get(url)
                else:
                    response = self.client.post(url, data or {})
                if name == ANONYMOUS:
                    self.assertRedirects(
                        response, f"/masuk/?next={url}", fetch_redirect_response=False
                    )
                else:
                    self.assertEqual(response.status_code, status)


class EveryPageForEveryPersonTests(WorkflowViewTestCase):
    def test_penilaian_page_is_read_by_everyone_in_scope(self):
        self.walk(
            "get",
            penilaian_url(),
            {
                ANONYMOUS: 0,
                "staf": 200,
                "staf_lain": 404,
                "pokja_a": 200,
                "pokja_b": 200,
                "peninjau": 200,
            },
        )

    def test_penilaian_is_saved_only_by_its_pokja_and_dp3a(self):
        self.walk(
            "post",
            penilaian_url(),
            {
                ANONYMOUS: 0,
                "staf_lain": 404,
                "pokja_b": 403,
                "peninjau": 403,
                "pokja_a": 302,
                "staf": 302,
            },
            data={"aksi": "simpan", "note": "Draf"},
        )
        draft = Assessment.objects.get(kampung=self.tabanio)
        self.assertEqual(draft.status, Assessment.Status.DRAFT)
        self.assertEqual(draft.created_by, self.pokja_a)

    def test_only_the_pokja_and_dp3a_see_the_form(self):
        for name, has_form in (("pokja_a", True), ("staf", True), ("pokja_b", False)):
            with self.subTest(person=name):
                self.as_person(name)
                response = self.client.get(penilaian_url())
                if has_form:
                    self.assertContains(response, "Ajukan untuk verifikasi")
                else:
                    self.assertNotContains(response, "Ajukan untuk verifikasi")

    def test_queue_is_for_dp3a_only(self):
        expected = {
            ANONYMOUS: 0,
            "staf": 200,
            "staf_lain": 200,
            "pokja_a": 403,
            "pokja_b": 403,
            "peninjau": 403,
        }
        self.walk("get", "/verifikasi/", expected)
        self.walk("post", "/verifikasi/", {**expected, "staf": 405, "staf_lain": 405})

    def test_review_page_is_for_dp3a_of_the_kabupaten(self):
        assessment = self.submit()
        self.walk(
            "get",
            review_url(assessment),
            {
                ANONYMOUS: 0,
                "staf": 200,
                "staf_lain": 404,
                "pokja_a": 403,
                "pokja_b": 403,
                "peninjau": 403,
            },
        )

    def test_review_is_posted_only_by_dp3a_of_the_kabupaten(self):
        assessment = self.submit()
        data = {"aksi": "kembalikan", "kembalikan-note": "Perbaiki.", "kembalikan-version": "1"}
        self.walk(
            "post",
            review_url(assessment),
            {
                ANONYMOUS: 0,
                "staf_lain": 404,
                "pokja_a": 403,
                "pokja_b": 403,
                "peninjau": 403,
                "staf": 302,
            },
            data=data,
        )
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, Assessment.Status.RETURNED)

    def test_the_submitter_cannot_open_their_own_submission_even_as_dp3a(self):
        assessment = self.submit(by=self.staf)
        self.client.force_login(self.staf)
        self.assertEqual(self.client.get(review_url(assessment)).status_code, 403)
        data = {"aksi": "verifikasi", "verifikasi-level": "mandiri", "verifikasi-version": "1"}
        self.assertEqual(self.client.post(review_url(assessment), data).status_code, 403)
        self.client.force_login(self.staf_dua)
        self.assertEqual(self.client.get(review_url(assessment)).status_code, 200)

    def test_a_draft_or_an_unknown_assessment_is_404(self):
        draft = assessment_save(kampung=self.tabanio, by=self.pokja_a, submit=False)
        self.client.force_login(self.staf)
        self.assertEqual(self.client.get(review_url(draft)).status_code, 404)
        self.assertEqual(self.client.get("/verifikasi/999999/").status_code, 404)

    def test_level_correction_is_for_dp3a_of_the_kabupaten(self):
        url = f"/kampung/{KAMPUNG_A}/level/"
        self.walk(
            "get",
            url,
            {
                ANONYMOUS: 0,
                "staf": 200,
                "staf_lain": 404,
                "pokja_a": 403,
                "pokja_b": 403,
                "peninjau": 403,
            },
        )
        self.walk(
            "post",
            url,
            {
                ANONYMOUS: 0,
                "staf_lain": 404,
                "pokja_a": 403,
                "pokja_b": 403,
                "peninjau": 403,
                "staf": 302,
            },
            data={
                "level": "mandiri",
                "reason": "Hasil kunjungan lapangan.",
                "effective_date": timezone.localdate().isoformat(),
            },
        )
        self.assertEqual(Kampung.objects.get(pk=self.tabanio.pk).official_level_id, "mandiri")


class PenilaianPageTests(WorkflowViewTestCase):
    def test_shows_what_will_be_submitted(self):
        self.client.force_login(self.pokja_a)
        response = self.client.get(penilaian_url())
        self.assertContains(response, "Yang akan diajukan")
        html = response.content.decode()
        self.assertRegex(html, r'data-testid="official-level"><span class="badge"[^>]*>Berkembang<')
        self.assertRegex(html, r'data-testid="estimated-level"><span class="badge[^>]*>Mandiri<')
        for index in ("3,40", "2,33", "3,25"):
            self.assertContains(response, index)
        self.assertContains(response, "Belum ada penilaian.")

    def test_pokja_saves_a_draft_then_submits_it(self):
        self.client.force_login(self.pokja_a)
        response = self.client.post(
            penilaian_url(),
            {"aksi": "simpan", "proposed_level": "mandiri", "note": "Draf dulu."},
            follow=True,
        )
        self.assertContains(response, "Draf penilaian disimpan.")
        self.assertContains(response, "Draf dulu.")  # the form opens on the open draft
        draft = Assessment.objects.get(kampung=self.tabanio)
        self.assertEqual((draft.status, draft.proposed_level_id), ("draft", "mandiri"))

        response = self.client.post(
            penilaian_url(),
            {"aksi": "ajukan", "proposed_level": "mandiri", "note": "Siap diverifikasi."},
            follow=True,
        )
        self.assertContains(response, "Penilaian diajukan untuk verifikasi DP3A.")
        self.assertContains(response, "menunggu verifikasi DP3A")
        self.assertContains(response, '<span class="status status-submitted"', count=1)
        self.assertNotContains(response, "Ajukan untuk verifikasi")  # nothing to do but wait
        submitted = Assessment.objects.get(kampung=self.tabanio)
        self.assertEqual((submitted.pk, submitted.status), (draft.pk, "submitted"))
        self.assertEqual(submitted.submitted_by, self.pokja_a)

    def test_service_errors_are_shown_on_the_form_and_nothing_typed_is_lost(self):
        self.client.force_login(self.pokja_b)
        response = self.client.post(
            penilaian_url(KAMPUNG_B),
            {"aksi": "ajukan", "proposed_level": "berkembang", "note": "Catatan panjang kami."},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Isi profil dan angka kampung terlebih dahulu")
        self.assertContains(response, "Catatan panjang kami.</textarea>")
        self.assertContains(response, '<option value="berkembang" selected>')
        self.assertFalse(Assessment.objects.filter(kampung__desa_kode=KAMPUNG_B).exists())

    def test_saving_while_submitted_says_so(self):
        self.submit()
        self.client.force_login(self.pokja_a)
        response = self.client.post(penilaian_url(), {"aksi": "simpan", "note": "Tambahan"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Penilaian sudah diajukan dan sedang menunggu verifikasi")
        self.assertContains(response, "Tambahan</textarea>")

    def test_a_returned_assessment_shows_the_reviewer_s_note_prominently(self):
        assessment = self.submit(proposed="mandiri")
        assessment_return(assessment=assessment, by=self.staf, note="Lampirkan SK Pokja terbaru.")
        self.client.force_login(self.pokja_a)
        response = self.client.get(penilaian_url())
        self.assertContains(response, 'data-testid="review-note"')
        self.assertContains(response, "Dikembalikan oleh DP3A")
        self.assertContains(response, "Lampirkan SK Pokja terbaru.", count=2)  # alert and table
        self.assertContains(response, ">Dikembalikan</span>")
        self.assertContains(response, "Ajukan untuk verifikasi")  # fix and submit again

    def test_history_lists_every_status_newest_first(self):
        first = self.submit(proposed="mandiri")
        assessment_verify(assessment=first, by=self.staf)
        assessment_save(kampung=self.tabanio, by=self.pokja_a, submit=False)
        self.client.force_login(self.peninjau)
        response = self.client.get(penilaian_url())
        statuses = re.findall(
            r'data-testid="assessment-status">([^<]+)<', response.content.decode()
        )
        self.assertEqual(statuses, ["Draf", "Diverifikasi"])
        self.assertNotContains(response, "Ajukan untuk verifikasi")


class QueueTests(WorkflowViewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Four more kampung of the kabupaten with records, submitted by DP3A on their behalf.
        cls.others = list(
            Kampung.objects.in_kabupaten(TANAH_LAUT)
            .exclude(desa_kode__in=[KAMPUNG_A, KAMPUNG_B])
            .order_by("desa_kode")[:4]
        )
        for kampung in cls.others:
            give_records(kampung, cls.staf_dua)

    def queue_names(self, response) -> list[str]:
        rows = re.findall(
            r'<tr data-testid="queue-row">\s*<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>',
            response.content.decode(),
        )
        return rows

    def test_oldest_submission_first_with_what_changed(self):
        assessment_verify(assessment=self.submit(), by=self.staf)
        figures_create(kampung=self.tabanio, by=self.pokja_a, **FIGURES_FEBRUARY)
        newer = self.submit(note="CPR naik.")
        older = self.submit(by=self.staf_dua, kampung=self.others[0])
        Assessment.objects.filter(pk=older.pk).update(
            submitted_at=newer.submitted_at - datetime.timedelta(days=2)
        )
        self.client.force_login(self.staf)
        response = self.client.get("/verifikasi/")
        self.assertEqual(self.queue_names(response), [self.others[0].desa_nama, "Tabanio"])
        self.assertContains(response, "Penilaian pertama", count=1)
        self.assertContains(response, "O2 CPR 2 → 3")
        self.assertContains(response, "Indeks Output 3,25 → 3,50")
        self.assertContains(response, "2 penilaian menunggu verifikasi.")
        self.assertContains(response, f'href="/verifikasi/{newer.pk}/"')

    def test_staff_of_another_kabupaten_sees_none_of_tanah_laut(self):
        self.submit()
        self.client.force_login(self.staf_lain)
        response = self.client.get("/verifikasi/")
        self.assertEqual(self.queue_names(response), [])
        self.assertContains(response, "Tidak ada penilaian yang menunggu verifikasi.")

    def test_a_superuser_sees_every_kabupaten(self):
        self.submit()
        admin = get_user_model().objects.create_superuser("admin", password="x")
        self.client.force_login(admin)
        self.assertEqual(self.queue_names(self.client.get("/verifikasi/")), ["Tabanio"])

    def test_own_submissions_are_listed_without_a_review_link(self):
        own = self.submit(by=self.staf)
        self.client.force_login(self.staf)
        response = self.client.get("/verifikasi/")
        self.assertContains(response, "Pengajuan Anda: diperiksa staf lain")
        self.assertNotContains(response, f'href="/verifikasi/{own.pk}/"')

    def test_query_count_is_the_same_for_one_and_five_submissions(self):
        # Tabanio has a verified assessment to compare with; the other four are first ones.
        assessment_verify(assessment=self.submit(by=self.staf_dua), by=self.staf)
        self.submit()
        self.client.force_login(self.staf)
        with self.assertNumQueries(QUEUE_QUERIES):
            one = self.client.get("/verifikasi/")
        for kampung in self.others:
            self.submit(by=self.staf_dua, kampung=kampung)
        with self.assertNumQueries(QUEUE_QUERIES):
            five = self.client.get("/verifikasi/")
        self.assertEqual((len(self.queue_names(one)), len(self.queue_names(five))), (1, 5))


class ReviewPageTests(WorkflowViewTestCase):
    def test_shows_the_snapshot_the_changes_and_the_pokja_s_note(self):
        assessment = self.submit(proposed="mandiri", note="BKR aktif tiap bulan.")
        self.client.force_login(self.staf)
        with self.assertNumQueries(REVIEW_QUERIES):
            response = self.client.get(review_url(assessment))
        self.assertContains(response, "Penilaian Tabanio")
        self.assertContains(response, 'data-testid="index-input">indeks 3,40')
        self.assertContains(response, 'data-testid="index-proses">indeks 2,33')
        self.assertContains(response, 'data-testid="index-output">indeks 3,25')
        self.assertContains(response, "<td>O2 CPR</td><td>2 dari 4</td>", html=False)
        self.assertContains(response, "Penilaian pertama")
        self.assertContains(response, "BKR aktif tiap bulan.")
        # The verify form suggests the proposal and today, and carries the version.
        self.assertContains(response, '<option value="mandiri" selected>')
        self.assertContains(response, f'value="{timezone.localdate().isoformat()}"')
        self.assertEqual(hidden_version(response, "verifikasi"), str(assessment.version))
        self.assertEqual(hidden_version(response, "kembalikan"), str(assessment.version))

    def test_verifying_moves_the_dashboard_counts(self):
        self.client.force_login(self.staf)
        before = self.client.get("/")
        self.assertEqual((card(before, "count-berkembang"), card(before, "count-mandiri")), (25, 3))

        self.client.force_login(self.pokja_a)
        self.client.post(penilaian_url(), {"aksi": "ajukan", "proposed_level": "mandiri"})
        assessment = Assessment.objects.get(kampung=self.tabanio, status="submitted")

        self.client.force_login(self.staf)
        page = self.client.get(review_url(assessment))
        response = self.client.post(
            review_url(assessment),
            verify_data(hidden_version(page, "verifikasi"), reason=""),
            follow=True,
        )
        self.assertRedirects(response, "/verifikasi/")
        self.assertContains(response, "Penilaian Tabanio diverifikasi: level resmi kini Mandiri.")
        after = self.client.get("/")
        self.assertEqual((card(after, "count-berkembang"), card(after, "count-mandiri")), (24, 4))
        change = LevelChange.objects.get(kampung=self.tabanio, source="verification")
        self.assertEqual(
            (change.changed_by, change.effective_date), (self.staf, timezone.localdate())
        )

    def test_a_different_level_without_a_reason_is_refused_on_the_form(self):
        assessment = self.submit(proposed="mandiri")
        self.client.force_login(self.staf)
        response = self.client.post(
            review_url(assessment),
            verify_data(str(assessment.version), "paripurna"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Jelaskan alasan memilih level yang berbeda dari usulan.")
        self.assertContains(response, '<option value="paripurna" selected>')
        self.assertEqual(Kampung.objects.get(pk=self.tabanio.pk).official_level_id, "berkembang")

    def test_a_future_effective_date_is_refused(self):
        assessment = self.submit()
        self.client.force_login(self.staf)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self.client.post(
            review_url(assessment),
            verify_data(str(assessment.version), effective_date=tomorrow.isoformat()),
        )
        self.assertContains(response, "Tanggal berlaku tidak boleh di masa depan.")

    def test_returning_needs_a_note_and_sends_it_to_the_pokja(self):
        assessment = self.submit()
        self.client.force_login(self.staf)
        data = {"aksi": "kembalikan", "kembalikan-version": str(assessment.version)}
        response = self.client.post(review_url(assessment), {**data, "kembalikan-note": " "})
        self.assertContains(response, "Tuliskan catatan untuk Pokja")
        response = self.client.post(
            review_url(assessment), {**data, "kembalikan-note": "Lengkapi RKM."}, follow=True
        )
        self.assertRedirects(response, "/verifikasi/")
        self.assertContains(response, "Penilaian dikembalikan ke Pokja dengan catatan.")
        self.client.force_login(self.pokja_a)
        self.assertContains(self.client.get(penilaian_url()), "Lengkapi RKM.", count=2)

    def test_a_second_reviewer_on_a_stale_page_gets_the_already_processed_message(self):
        assessment = self.submit(proposed="mandiri")
        self.client.force_login(self.staf_dua)
        stale = self.client.get(review_url(assessment))
        version = hidden_version(stale, "kembalikan")

        self.client.force_login(self.staf)
        self.client.post(
            review_url(assessment),
            verify_data(version),
        )
        self.client.force_login(self.staf_dua)
        response = self.client.post(
            review_url(assessment),
            {"aksi": "kembalikan", "kembalikan-version": version, "kembalikan-note": "Cek."},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "sudah diproses (diverifikasi) oleh staf")
        self.assertNotContains(response, 'data-testid="return-form"')
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, Assessment.Status.VERIFIED)
        self.assertEqual(LevelChange.objects.filter(kampung=self.tabanio).count(), 2)

    def test_an_unknown_action_is_a_bad_request(self):
        assessment = self.submit()
        self.client.force_login(self.staf)
        self.assertEqual(self.client.post(review_url(assessment), {}).status_code, 400)


class LevelCorrectPageTests(WorkflowViewTestCase):
    url = f"/kampung/{KAMPUNG_A}/level/"

    def test_a_correction_is_recorded_with_its_reason(self):
        self.client.force_login(self.staf)
        response = self.client.post(
            self.url,
            {"level": "dasar", "reason": "Salah input data awal.", "effective_date": "2026-02-01"},
            follow=True,
        )
        self.assertRedirects(response, f"/kampung/{KAMPUNG_A}/#riwayat")
        self.assertContains(response, "Level resmi Tabanio dikoreksi menjadi Dasar.")
        change = LevelChange.objects.get(kampung=self.tabanio, source="correction")
        self.assertEqual((change.level_to_id, change.note), ("dasar", "Salah input data awal."))
        self.assertEqual(change.effective_date, datetime.date(2026, 2, 1))

    def test_reason_is_required_and_the_same_level_is_refused(self):
        self.client.force_login(self.staf)
        today = timezone.localdate().isoformat()
        response = self.client.post(self.url, {"level": "dasar", "effective_date": today})
        self.assertContains(response, "Alasan koreksi wajib diisi.")
        response = self.client.post(
            self.url, {"level": "berkembang", "reason": "x", "effective_date": today}
        )
        self.assertContains(response, "Kampung ini sudah berada di level Berkembang.")
        self.assertFalse(LevelChange.objects.filter(source="correction").exists())


class KampungPageTests(WorkflowViewTestCase):
    def test_kampung_page_links_to_penilaian_and_shows_the_open_assessment(self):
        self.client.force_login(self.pokja_a)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(response, "Tidak ada penilaian yang sedang berjalan.")
        self.assertContains(response, f'href="/kampung/{KAMPUNG_A}/penilaian/"')
        self.assertNotContains(response, "Koreksi level resmi")

        assessment = self.submit()
        assessment_return(assessment=assessment, by=self.staf, note="Lengkapi RKM.")
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(response, ">Dikembalikan</span>")
        self.assertContains(response, "Lengkapi RKM.")

    def test_dp3a_gets_the_review_and_correction_links(self):
        assessment = self.submit()
        self.client.force_login(self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(response, "menunggu verifikasi DP3A")
        self.assertContains(response, f'href="/verifikasi/{assessment.pk}/"')
        self.assertContains(response, f'href="/kampung/{KAMPUNG_A}/level/"')


class NavigationTests(WorkflowViewTestCase):
    def test_only_dp3a_see_the_verification_link(self):
        for name, sees in (("staf", True), ("pokja_a", False), ("peninjau", False)):
            with self.subTest(person=name):
                self.as_person(name)
                response = self.client.get("/kampung/")
                if sees:
                    self.assertContains(response, 'href="/verifikasi/"')
                else:
                    self.assertNotContains(response, 'href="/verifikasi/"')


class PokjaDashboardTests(WorkflowViewTestCase):
    def test_pokja_sees_their_kampung_on_top(self):
        assessment = self.submit()
        assessment_return(assessment=assessment, by=self.staf, note="Lengkapi RKM.")
        self.client.force_login(self.pokja_a)
        response = self.client.get("/")
        self.assertContains(response, "Kampung Anda")
        html = response.content.decode()
        panel = html[html.index('data-testid="pokja-panel"') : html.index("</section>")]
        self.assertIn("Kampung KB Tabanio", panel)
        self.assertIn(">Berkembang<", panel)  # official
        self.assertIn(">Mandiri<", panel)  # estimated
        self.assertIn(">Dikembalikan</span>", panel)
        self.assertIn("Lengkapi RKM.", panel)
        for path in ("penilaian/", "profil/ubah/", "angka/tambah/", "kegiatan/tambah/"):
            self.assertIn(f'href="/kampung/{KAMPUNG_A}/{path}"', panel)

    def test_other_roles_have_no_panel(self):
        for name in ("staf", "peninjau"):
            with self.subTest(person=name):
                self.as_person(name)
                # The provincial reviewer's "/" is the roll-up: check the district dashboard.
                self.assertNotContains(self.client.get("/kabupaten/63.01/"), "Kampung Anda")

    def test_query_count_is_fixed_whatever_the_number_of_kampung(self):
        self.client.force_login(self.pokja_a)
        with self.assertNumQueries(POKJA_DASHBOARD_QUERIES):
            self.client.get("/")
        dua_kampung = make_pokja("pokja_dua", KAMPUNG_A)
        dua_kampung.pokja_memberships.create(kampung=Kampung.objects.get(desa_kode=KAMPUNG_B))
        self.client.force_login(dua_kampung)
        with self.assertNumQueries(POKJA_DASHBOARD_QUERIES):
            response = self.client.get("/")
        self.assertContains(response, 'data-testid="pokja-kampung"', count=2)


class ScoreTableTests(SimpleTestCase):
    """One score table for the kampung page's estimate and a submitted snapshot."""

    def render(self, groups) -> str:
        with translation.override("id"):
            return render_to_string(
                "_snippets/score_table.html", {"groups": groups, "caption": "Skor", "testid": "t"}
            )

    def test_a_snapshot_missing_an_index_or_a_score_shows_a_dash(self):
        snapshot = Assessment(
            index_input=Decimal("3.40"),
            index_proses=None,
            index_output=Decimal("2.50"),
            scores={"i1": 4, "o2": 2},
        )
        groups = snapshot_score_groups(snapshot)
        self.assertEqual(
            [(g.code, g.index, g.met) for g in groups],
            [
                ("input", Decimal("3.40"), True),
                ("proses", None, False),
                ("output", Decimal("2.50"), False),
            ],
        )
        html = self.render(groups)
        self.assertIn('data-testid="index-input">indeks 3,40', html)
        self.assertIn('data-testid="index-proses">indeks —', html)
        self.assertIn("<td>I1 Pokja</td><td>4 dari 4</td>", html)
        self.assertIn("<td>O2 CPR</td><td>2 dari 4</td>", html)
        self.assertRegex(html, r"<td>I2 [^<]+</td><td>— dari 4</td>")
        self.assertIn('<table class="table table-compact score-table" data-testid="t">', html)

    def test_the_estimate_and_its_snapshot_give_the_same_table(self):
        estimate = assess(KampungInputs())
        indices = {f"index_{group}": estimate.indices.index(group) for group in GROUPS}
        snapshot = Assessment(scores=estimate.scores.as_dict(), **indices)
        self.assertEqual(estimate_score_groups(estimate), snapshot_score_groups(snapshot))
