"""Concurrent edits lose nothing: the second of two saves from the same version is refused, told
what the first one changed, and can then be saved on purpose.

Two layers:

- ``ConcurrentTransactionTests`` (PostgreSQL only): two threads, each with its own connection and
  a real transaction. The first saves and holds its transaction open; the second, from the same
  version, must block on the row lock (seen in pg_stat_activity), then fail with a clear error
  once the first commits. Exactly one change is stored.
- ``StaleFormTests`` (both databases): through the pages, a form opened before someone else saved
  is shown again with the user's input and the conflict message (status 200), nothing saved; the
  page now carries the new version, so submitting it again goes through.

History rows name who acted: the client's requests go through simple-history's middleware; the
threads call the services inside ``acting_as`` (tests/history.py).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from unittest import skipUnless

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client, TransactionTestCase

from classification.models import (
    Activity,
    Agency,
    Kabupaten,
    Kampung,
    KampungFigures,
    KampungProfile,
    Kecamatan,
    Provinsi,
)
from classification.services.conflicts import EditConflict, latest_revision
from classification.services.records import (
    activity_save,
    figures_create,
    kampung_update_identity,
    profile_create,
)
from tests.base import KAMPUNG_A, PASSWORD, PeopleTestCase
from tests.history import acting_as
from tests.records import FIGURES_JANUARY, PROFILE

# Long enough for a loaded CI machine; the tests never sleep this long when things work.
TIMEOUT = 20


class Racer(threading.Thread):
    """Runs ``work`` in one transaction on this thread's own connection.

    ``saved`` is set once ``work`` returned (or failed); with ``hold`` the transaction then stays
    open, its row locks held, until ``hold`` is set.
    """

    def __init__(self, work: Callable, *, hold: threading.Event | None = None) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.hold = hold
        self.saved = threading.Event()
        self.result = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.result = self.work()
                self.saved.set()
                if self.hold is not None and not self.hold.wait(TIMEOUT):
                    raise TimeoutError("the test never released the first transaction")
        except Exception as error:  # handed to the test thread, which asserts on it
            self.error = error
        finally:
            self.saved.set()
            # Each thread opened its own connection: close it, or the test database cannot be
            # dropped at the end of the run.
            connection.close()


@skipUnless(
    connection.vendor == "postgresql",
    "Needs PostgreSQL: SQLite has no row locks (SELECT … FOR UPDATE is ignored and a writer "
    "locks the whole database file), so it cannot show a second transaction waiting on a row.",
)
class ConcurrentTransactionTests(TransactionTestCase):
    # TransactionTestCase empties the database after each test; this brings back what the
    # migrations seeded (the four levels, agencies, programmes). The rest is made here.
    serialized_rollback = True

    def setUp(self):
        provinsi, _ = Provinsi.objects.get_or_create(kode="63", defaults={"nama": "Kalsel"})
        kabupaten, _ = Kabupaten.objects.get_or_create(
            kode="63.01", defaults={"nama": "Tanah Laut", "provinsi": provinsi}
        )
        kecamatan, _ = Kecamatan.objects.get_or_create(
            kode="63.01.01", defaults={"nama": "Takisung", "kabupaten": kabupaten}
        )
        self.kampung, _ = Kampung.objects.get_or_create(
            desa_kode=KAMPUNG_A,
            defaults={"desa_nama": "Tabanio", "jenis": "desa", "kecamatan": kecamatan},
        )
        users = get_user_model().objects
        self.satu = users.create_user("satu", password=PASSWORD)
        self.dua = users.create_user("dua", password=PASSWORD)

    def fresh_kampung(self) -> Kampung:
        return Kampung.objects.get(pk=self.kampung.pk)

    def wait_until_blocked(self) -> None:
        """Until another session of this database waits for a lock (the second saver)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.02)
        self.fail("the second save never waited for the first one's lock")

    def race(self, first_work: Callable, second_work: Callable) -> tuple[Racer, Racer]:
        """The first saves and holds its transaction; the second must block until it commits."""
        release = threading.Event()
        first = Racer(first_work, hold=release)
        second = Racer(second_work)
        try:
            first.start()
            self.assertTrue(first.saved.wait(TIMEOUT))
            self.assertIsNone(first.error)
            second.start()
            self.wait_until_blocked()
            self.assertFalse(second.saved.is_set(), "the second save did not wait")
        finally:
            release.set()
            first.join(TIMEOUT)
            second.join(TIMEOUT)
        self.assertFalse(first.is_alive() or second.is_alive())
        self.assertIsNone(first.error)
        return first, second

    def test_identity_saved_twice_from_one_version(self):
        version = self.fresh_kampung().version

        def rename(person, name):
            def work():
                with acting_as(person):
                    return kampung_update_identity(
                        kampung=self.fresh_kampung(),
                        by=person,
                        expected_version=version,
                        nama_kampung=name,
                    )

            return work

        _, second = self.race(
            rename(self.satu, "Kampung KB Satu"), rename(self.dua, "Kampung KB Dua")
        )
        self.assertIsInstance(second.error, EditConflict)
        message = second.error.messages[0]
        self.assertIn("Data ini sudah diubah oleh satu pada", message)
        self.assertIn("Perubahan mereka: Nama Kampung KB: “—” → “Kampung KB Satu”.", message)
        self.assertEqual(second.error.current, version + 1)
        kampung = self.fresh_kampung()
        self.assertEqual((kampung.nama_kampung, kampung.version), ("Kampung KB Satu", version + 1))
        self.assertEqual(
            list(
                kampung.history.filter(history_type="~")
                .exclude(history_change_reason="baseline")
                .values_list("nama_kampung", "history_user__username")
            ),
            [("Kampung KB Satu", "satu")],
        )

    def test_profile_saved_twice_from_one_version(self):
        def save(person, members):
            def work():
                with acting_as(person):
                    return profile_create(
                        kampung=self.fresh_kampung(),
                        by=person,
                        based_on=0,
                        **{**PROFILE, "pokja_members": members},
                    )

            return work

        first, second = self.race(save(self.satu, 11), save(self.dua, 20))
        self.assertIsInstance(second.error, EditConflict)
        message = second.error.messages[0]
        self.assertIn("Data ini sudah diubah oleh satu pada", message)
        self.assertIn("Jumlah anggota Pokja: “—” → “11”", message)
        self.assertEqual(second.error.current, first.result.pk)
        self.assertEqual(
            list(KampungProfile.objects.filter(kampung=self.kampung).values_list("pokja_members")),
            [(11,)],
        )

    def test_figures_saved_twice_for_one_month(self):
        def save(person):
            def work():
                with acting_as(person):
                    return figures_create(
                        kampung=self.fresh_kampung(), by=person, **FIGURES_JANUARY
                    )

            return work

        _, second = self.race(save(self.satu), save(self.dua))
        # Not an IntegrityError (a 500 on the page): the form's own message, on the period.
        self.assertIsInstance(second.error, ValidationError)
        self.assertEqual(
            second.error.message_dict, {"period": ["Angka untuk periode Januari 2026 sudah ada."]}
        )
        figures = KampungFigures.objects.filter(kampung=self.kampung)
        self.assertEqual(list(figures.values_list("created_by__username")), [("satu",)])


# The profile form as a browser posts it (mechanisms are their own selects).
PROFILE_POST = {
    "pokja_exists": "on",
    "pokja_sk_nomor": "12/SK-KKB/2020",
    "pokja_members": "11",
    "pokja_members_trained": "4",
    "funding_sources": ["dana_desa", "apbd"],
    "poktan_present": ["bkb", "bkr"],
    "data_sources": ["pk"],
    "mechanism_rapat_perencanaan": "tahunan",
    "mechanism_rakor_opd": "tidak",
    "mechanism_sosialisasi": "bulanan",
    "mechanism_monev": "triwulanan",
    "mechanism_laporan": "bulanan",
}


def hidden_value(response, name: str) -> str:
    match = re.search(
        rf'<input type="hidden" name="{name}" value="(\d+)"', response.content.decode()
    )
    assert match, f"no hidden {name} on the page"
    return match.group(1)


class StaleFormTests(PeopleTestCase):
    """pokja_a opens a form; staf saves the same record; pokja_a's save comes second."""

    identity_url = f"/kampung/{KAMPUNG_A}/ubah/"
    profile_url = f"/kampung/{KAMPUNG_A}/profil/ubah/"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.puskesmas = Agency.objects.get(name="Puskesmas")
        cls.bnn = Agency.objects.get(name="BNN")

    def setUp(self):
        self.client.force_login(self.pokja_a)
        self.other = Client()
        self.other.force_login(self.staf)

    def assertConflict(self, response, *changes: str) -> None:
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Data ini sudah diubah oleh staf pada")
        for change in changes:
            self.assertContains(response, change)
        self.assertContains(response, "Isian Anda belum disimpan")

    def test_a_stale_identity_form_keeps_the_input_and_can_be_saved_again(self):
        opened = self.client.get(self.identity_url)
        version = hidden_value(opened, "version")
        self.assertEqual(int(version), self.kampung.version)
        saved = self.other.post(
            self.identity_url, {"nama_kampung": "Kampung KB Staf", "version": version}
        )
        self.assertEqual(saved.status_code, 302)
        mine = {"nama_kampung": "Kampung KB Pokja", "cakupan_wilayah": "Dusun I dan II"}

        refused = self.client.post(self.identity_url, {**mine, "version": version})
        self.assertConflict(refused, "Perubahan mereka: Nama Kampung KB: “—” → “Kampung KB Staf”")
        self.assertContains(refused, 'value="Kampung KB Pokja"')
        self.assertContains(refused, 'value="Dusun I dan II"')
        kampung = Kampung.objects.get(pk=self.kampung.pk)
        self.assertEqual((kampung.nama_kampung, kampung.cakupan_wilayah), ("Kampung KB Staf", ""))
        self.assertEqual(hidden_value(refused, "version"), str(kampung.version))

        again = self.client.post(
            self.identity_url, {**mine, "version": hidden_value(refused, "version")}
        )
        self.assertRedirects(again, f"/kampung/{KAMPUNG_A}/", fetch_redirect_response=False)
        kampung.refresh_from_db()
        self.assertEqual(kampung.nama_kampung, "Kampung KB Pokja")
        self.assertEqual(kampung.cakupan_wilayah, "Dusun I dan II")

    def test_a_stale_profile_form_keeps_the_input_and_can_be_saved_again(self):
        opened = self.client.get(self.profile_url)
        self.assertEqual(hidden_value(opened, "based_on"), "0")  # no profile yet
        saved = self.other.post(self.profile_url, {**PROFILE_POST, "based_on": "0"})
        self.assertEqual(saved.status_code, 302)
        theirs = KampungProfile.objects.get(kampung=self.kampung)
        mine = {**PROFILE_POST, "pokja_members": "15", "pokja_sk_nomor": "99/SK/2026"}

        refused = self.client.post(self.profile_url, {**mine, "based_on": "0"})
        self.assertConflict(refused, "Nomor SK Pokja: “—” → “12/SK-KKB/2020”")
        self.assertContains(refused, 'value="99/SK/2026"')
        self.assertEqual(KampungProfile.objects.filter(kampung=self.kampung).count(), 1)
        self.assertEqual(hidden_value(refused, "based_on"), str(theirs.pk))

        again = self.client.post(
            self.profile_url, {**mine, "based_on": hidden_value(refused, "based_on")}
        )
        self.assertEqual(again.status_code, 302)
        latest = KampungProfile.objects.filter(kampung=self.kampung).latest()
        self.assertEqual((latest.pokja_members, latest.created_by), (15, self.pokja_a))

    def test_a_stale_activity_form_keeps_the_input_and_can_be_saved_again(self):
        with acting_as(self.pokja_a):
            activity = activity_save(
                activity=Activity(
                    kampung=self.kampung,
                    date="2026-01-20",
                    title="Pertemuan BKB",
                    category="pendidikan",
                ),
                by=self.pokja_a,
                agencies=[self.puskesmas],
            )
        url = f"/kampung/{KAMPUNG_A}/kegiatan/{activity.pk}/ubah/"
        opened = self.client.get(url)
        version = hidden_value(opened, "version")
        self.assertEqual(int(version), latest_revision(Activity, activity.pk))
        form = {"date": "2026-01-20", "category": "pendidikan", "version": version}
        saved = self.other.post(
            url, {**form, "title": "Pertemuan BKB Januari", "agencies": [self.bnn.pk]}
        )
        self.assertEqual(saved.status_code, 302)
        mine = {**form, "title": "Pertemuan BKB dan BKR", "place": "Balai desa"}

        refused = self.client.post(url, {**mine, "agencies": [self.puskesmas.pk]})
        self.assertConflict(
            refused,
            "Judul: “Pertemuan BKB” → “Pertemuan BKB Januari”",
            "Instansi terlibat: “Puskesmas” → “BNN”",
        )
        self.assertContains(refused, 'value="Pertemuan BKB dan BKR"')
        activity.refresh_from_db()
        self.assertEqual((activity.title, activity.place), ("Pertemuan BKB Januari", ""))
        self.assertEqual(list(activity.agencies.all()), [self.bnn])

        again = self.client.post(
            url,
            {**mine, "agencies": [self.puskesmas.pk], "version": hidden_value(refused, "version")},
        )
        self.assertEqual(again.status_code, 302)
        activity.refresh_from_db()
        self.assertEqual((activity.title, activity.place), ("Pertemuan BKB dan BKR", "Balai desa"))
        self.assertEqual(list(activity.agencies.all()), [self.puskesmas])

    def test_a_form_posted_without_its_version_is_saved_unchecked(self):
        # A script, or a page opened before the field existed: saved as the services did before.
        response = self.client.post(self.identity_url, {"nama_kampung": "Kampung KB Tanpa Versi"})
        self.assertEqual(response.status_code, 302)

    def test_a_tampered_version_is_refused_with_a_message(self):
        response = self.client.post(
            self.identity_url, {"nama_kampung": "Kampung KB X", "version": "abc"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Formulir ini tidak lengkap. Muat ulang halaman")
        self.assertEqual(Kampung.objects.get(pk=self.kampung.pk).nama_kampung, "")
