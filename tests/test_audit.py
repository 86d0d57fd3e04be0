"""The audit trail's reads (``classification.selectors.audit``): what an entry says, who sees it,
filters, and a query count that does not grow with the page.

Changes are made through the services inside ``acting_as(person)``, which tells simple-history
who is acting the way HistoryRequestMiddleware does during a request (tests/history.py).
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from classification.models import (
    Activity,
    Agency,
    ClassificationLevel,
    Kampung,
    KampungProfile,
    LevelChange,
    TargetPolicy,
)
from classification.permissions import access_for
from classification.selectors.audit import (
    KAMPUNG_PAGE_ENTRIES,
    AuditEntry,
    AuditFilters,
    audit_entries,
    kampung_history,
)
from classification.selectors.audit_kinds import KAMPUNG_KINDS
from classification.selectors.changes import BASELINE_REASON, FieldChange, display_value
from classification.services.conflicts import latest_revision
from classification.services.levels import kampung_set_level
from classification.services.records import (
    activity_delete,
    activity_save,
    figures_create,
    kampung_update_identity,
    profile_create,
)
from classification.services.verification import assessment_return, assessment_save
from tests.base import KAMPUNG_A, KAMPUNG_B, KAMPUNG_LAIN_KABUPATEN, PeopleTestCase
from tests.history import acting_as
from tests.records import FIGURES_JANUARY, PROFILE

# A page of the trail: the paginator's COUNT, the page's keys, one query per kind of record (13),
# the kegiatan's agencies. Whatever the page holds.
PAGE_QUERIES = 16
# A kampung page's latest entries: their keys, one query per kind of kampung record (8), agencies.
KAMPUNG_HISTORY_QUERIES = 10
WITA = datetime.timezone(datetime.timedelta(hours=8))


def entries(viewer, **filters) -> list[AuditEntry]:
    """Every entry the viewer may read (one long page), newest first."""
    page = audit_entries(user=viewer, filters=AuditFilters(**filters), per_page=10_000)
    return list(page.object_list)


def of_kampung(entries_, code: str) -> list[AuditEntry]:
    return [entry for entry in entries_ if entry.kampung_code == code]


class AuditTestCase(PeopleTestCase):
    """Tabanio (A): its name changed by its Pokja, two profile versions, figures, a kegiatan
    created, changed by staf and deleted, a level correction. Kotabaru: one renamed kampung."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.other = Kampung.objects.get(desa_kode=KAMPUNG_LAIN_KABUPATEN)
        puskesmas = Agency.objects.get(name="Puskesmas")
        cls.bnn = Agency.objects.get(name="BNN")
        with acting_as(cls.pokja_a):
            kampung_update_identity(
                kampung=cls.kampung,
                by=cls.pokja_a,
                expected_version=cls.kampung.version,
                nama_kampung="Kampung KB Tabanio Bahari",
                cakupan_wilayah="Seluruh desa",
            )
            profile_create(kampung=cls.kampung, by=cls.pokja_a, based_on=0, **PROFILE)
            profile_create(
                kampung=cls.kampung,
                by=cls.pokja_a,
                **{
                    **PROFILE,
                    "pokja_members": 12,
                    "funding_sources": ["dana_desa", "apbd", "swadaya"],  # same set, reordered
                    "mechanisms": {**PROFILE["mechanisms"], "monev": "bulanan"},
                },
            )
            figures_create(kampung=cls.kampung, by=cls.pokja_a, **FIGURES_JANUARY)
            cls.activity = activity_save(
                activity=Activity(
                    kampung=cls.kampung,
                    date=datetime.date(2026, 1, 20),
                    title="Pertemuan BKB",
                    category=Activity.Category.PENDIDIKAN,
                    target_groups=["balita"],
                ),
                by=cls.pokja_a,
                agencies=[puskesmas],
            )
        with acting_as(cls.staf):
            cls.activity.title = "Pertemuan BKB Januari"
            activity_save(
                activity=cls.activity,
                by=cls.staf,
                agencies=[puskesmas],
                expected_version=latest_revision(Activity, cls.activity.pk),
            )
            activity_delete(activity=cls.activity, by=cls.staf)
            kampung_set_level(
                kampung=cls.kampung,
                level=ClassificationLevel.objects.get(code="mandiri"),
                effective_date=datetime.date(2026, 2, 1),
                source=LevelChange.Source.CORRECTION,
                by=cls.staf,
                note="Koreksi data awal",
            )
        with acting_as(cls.staf_lain):
            kampung_update_identity(
                kampung=cls.other, by=cls.staf_lain, nama_kampung="Kampung KB Kotabaru Satu"
            )


class EntryTests(AuditTestCase):
    def test_a_change_says_who_when_what_and_old_to_new_values(self):
        entry = of_kampung(entries(self.staf, kind="kampung"), KAMPUNG_A)[0]
        self.assertEqual((entry.kind, entry.change, entry.change_label), ("kampung", "~", "Diubah"))
        self.assertEqual(entry.user, "pokja_a")
        self.assertEqual(entry.kind_label, "Identitas kampung")
        self.assertEqual(entry.kampung_name, "Kampung KB Tabanio Bahari")
        self.assertEqual(entry.kampung_url, f"/kampung/{KAMPUNG_A}/")
        self.assertLess(timezone.now() - entry.date, datetime.timedelta(minutes=5))
        # The kampung was loaded in bulk (no history): the service kept a baseline first, so the
        # old values are known; the version bump is not shown.
        self.assertEqual(
            entry.changes,
            [
                FieldChange("Nama Kampung KB", "—", "Kampung KB Tabanio Bahari"),
                FieldChange("Cakupan wilayah", "—", "Seluruh desa"),
            ],
        )
        self.assertFalse(entry.previous_missing)

    def test_the_baseline_snapshot_is_never_listed(self):
        kampung_entries = of_kampung(entries(self.staf, kind="kampung"), KAMPUNG_A)
        self.assertEqual(len(kampung_entries), 1)
        self.assertEqual(self.kampung.history.count(), 2)  # the baseline and the change

    def test_a_created_record_lists_its_values_with_labels(self):
        created = [e for e in entries(self.staf, kind="kegiatan") if e.change == "+"]
        self.assertEqual(len(created), 1)
        entry = created[0]
        self.assertEqual((entry.change_label, entry.user), ("Dibuat", "pokja_a"))
        self.assertEqual(entry.object_label, "Pertemuan BKB")
        self.assertEqual(
            entry.changes,
            [
                FieldChange("Tanggal", "—", "20 Januari 2026"),
                FieldChange("Judul", "—", "Pertemuan BKB"),
                FieldChange("Kategori", "—", "Fungsi sosialisasi dan pendidikan"),
                FieldChange("Sasaran", "—", "Keluarga dengan balita"),
            ],
        )

    def test_agencies_set_after_the_save_are_their_own_change(self):
        activity = [e for e in entries(self.staf, kind="kegiatan") if e.user == "pokja_a"]
        self.assertEqual([e.change for e in activity], ["~", "+"])
        self.assertEqual(activity[0].changes, [FieldChange("Instansi terlibat", "—", "Puskesmas")])

    def test_a_change_and_a_delete_by_another_person(self):
        deleted, changed = [e for e in entries(self.staf, kind="kegiatan") if e.user == "staf"]
        self.assertEqual(
            (changed.change_label, changed.object_label), ("Diubah", "Pertemuan BKB Januari")
        )
        self.assertEqual(
            changed.changes, [FieldChange("Judul", "Pertemuan BKB", "Pertemuan BKB Januari")]
        )
        self.assertEqual((deleted.change, deleted.change_label), ("-", "Dihapus"))
        self.assertEqual(deleted.changes, [])
        # The kampung still exists: its page is linked from its deleted record.
        self.assertEqual(deleted.kampung_url, f"/kampung/{KAMPUNG_A}/")

    def test_a_new_profile_version_shows_what_changed_since_the_previous_one(self):
        second, first = entries(self.staf, kind="profil")[:2]
        self.assertEqual((first.change_label, second.change_label), ("Dibuat", "Diubah"))
        self.assertIn(FieldChange("Sumber dana", "—", "APBD, Dana Desa, Swadaya"), first.changes)
        # Reordering the funding sources changed nothing; each mechanism is its own line.
        self.assertEqual(
            second.changes,
            [
                FieldChange("Jumlah anggota Pokja", "11", "12"),
                FieldChange("Mekanisme operasional: monev", "—", "Bulanan"),
            ],
        )

    def test_a_level_change_names_both_levels(self):
        entry = entries(self.staf, kind="level", user="staf")[0]
        self.assertEqual(entry.object_label, "Berkembang → Mandiri")
        self.assertEqual(
            entry.changes,
            [
                FieldChange("Dari level", "—", "Berkembang"),
                FieldChange("Ke level", "—", "Mandiri"),
                FieldChange("Tanggal berlaku", "—", "1 Februari 2026"),
                FieldChange("Sumber", "—", "Koreksi"),
                FieldChange("Catatan", "—", "Koreksi data awal"),
            ],
        )

    def test_an_assessment_submitted_then_returned(self):
        with acting_as(self.pokja_a):
            assessment = assessment_save(
                kampung=self.kampung, by=self.pokja_a, submit=True, note="Mohon diperiksa"
            )
        with acting_as(self.staf):
            assessment_return(assessment=assessment, by=self.staf, note="Lengkapi SK Pokja")
        returned, submitted = entries(self.staf, kind="penilaian")[:2]
        self.assertEqual((submitted.user, submitted.change_label), ("pokja_a", "Dibuat"))
        self.assertIn(FieldChange("Status", "—", "Diajukan"), submitted.changes)
        self.assertIn(FieldChange("Catatan Pokja", "—", "Mohon diperiksa"), submitted.changes)
        self.assertEqual((returned.user, returned.change_label), ("staf", "Diubah"))
        self.assertEqual(
            returned.changes,
            [
                FieldChange("Status", "Diajukan", "Dikembalikan"),
                FieldChange("Catatan pemeriksa", "—", "Lengkapi SK Pokja"),
            ],
        )
        self.assertTrue(returned.object_label.startswith("Penilaian "))

    def test_figures_are_listed_for_their_month(self):
        entry = entries(self.staf, kind="angka")[0]
        self.assertEqual((entry.object_label, entry.change), ("Angka Januari 2026", "+"))
        self.assertIn(FieldChange("Pasangan usia subur (PUS)", "—", "100"), entry.changes)

    def test_a_change_whose_earlier_state_was_never_recorded_says_so(self):
        kampung = Kampung.objects.get(desa_kode=KAMPUNG_B)
        kampung.save()  # outside the services: no baseline, so nothing to compare with
        entry = of_kampung(entries(self.staf, kind="kampung"), KAMPUNG_B)[0]
        self.assertEqual((entry.change, entry.changes, entry.previous_missing), ("~", [], True))
        self.assertIsNone(entry.user)  # no request, no acting_as: a script

    def test_newest_first(self):
        dates = [entry.date for entry in entries(self.staf)]
        self.assertEqual(dates, sorted(dates, reverse=True))


class ScopeTests(AuditTestCase):
    def test_district_staff_see_their_kabupaten_only(self):
        codes = {e.kampung_code for e in entries(self.staf) if e.kampung_code}
        self.assertIn(KAMPUNG_A, codes)
        self.assertTrue(all(code.startswith("63.01.") for code in codes), codes)
        other = {e.kampung_code for e in entries(self.staf_lain) if e.kampung_code}
        self.assertIn(KAMPUNG_LAIN_KABUPATEN, other)
        self.assertTrue(all(code.startswith("63.02.") for code in other), other)

    def test_a_provinsi_reviewer_sees_both_kabupaten(self):
        codes = {e.kampung_code for e in entries(self.peninjau) if e.kampung_code}
        self.assertTrue({KAMPUNG_A, KAMPUNG_LAIN_KABUPATEN} <= codes)

    def test_pokja_members_read_nothing_here(self):
        for person in (self.pokja_a, self.pokja_b):
            access_for(person)
            with self.subTest(person=person.username), self.assertNumQueries(0):
                page = audit_entries(user=person)
            self.assertEqual(list(page.object_list), [])

    def test_accounts_of_pokja_members_in_reach_and_ones_own(self):
        def accounts(user):
            return {e.object_label for e in entries(user, kind="akun")}

        self.assertEqual(accounts(self.staf), {"staf", "pokja_a", "pokja_b"})
        self.assertEqual(accounts(self.staf_lain), {"staf_lain"})
        self.assertEqual(accounts(self.peninjau), {"peninjau", "pokja_a", "pokja_b"})

    def test_region_scopes_and_target_policies_by_their_region(self):
        with acting_as(self.staf_lain):
            TargetPolicy.objects.create(
                kabupaten_id="63.02", baseline_date=datetime.date(2025, 7, 31)
            )
        scopes = {e.object_label for e in entries(self.staf, kind="cakupan")}
        self.assertEqual(scopes, {"staf: Kabupaten Tanah Laut"})  # not staf_lain's, nor peninjau's
        self.assertEqual(entries(self.staf, kind="target", user="staf_lain"), [])
        self.assertEqual(len(entries(self.staf_lain, kind="target", user="staf_lain")), 1)
        reviewer_scopes = {e.object_label for e in entries(self.peninjau, kind="cakupan")}
        self.assertTrue(
            {"staf: Kabupaten Tanah Laut", "staf_lain: Kabupaten Kotabaru"} <= reviewer_scopes
        )

    def test_a_login_is_no_change_of_the_account(self):
        self.client.force_login(self.pokja_a)  # saves last_login, which the history leaves out
        self.assertEqual(self.pokja_a.history.filter(history_type="~").count(), 1)
        logins = [e for e in entries(self.staf, kind="akun") if e.change == "~"]
        self.assertEqual(logins, [])


class FilterTests(AuditTestCase):
    def test_by_kampung_code_or_its_start_or_name(self):
        for text in (KAMPUNG_A, "63.01.01", "tabanio", "Bahari"):
            with self.subTest(text=text):
                found = entries(self.staf, kampung=text)
                self.assertTrue(found)
                self.assertIn(KAMPUNG_A, {e.kampung_code for e in found})
                self.assertTrue(all(e.kampung_code.startswith("63.01.01") for e in found))
        self.assertEqual(entries(self.staf, kampung="63.02"), [])  # out of reach

    def test_by_person(self):
        found = entries(self.staf, user="pokja_a")
        self.assertTrue(found)
        self.assertEqual({e.user for e in found}, {"pokja_a"})
        self.assertEqual(entries(self.staf, user="tak-ada"), [])

    def test_by_kind(self):
        self.assertEqual({e.kind for e in entries(self.staf, kind="profil")}, {"profil"})

    def test_by_date_in_wita(self):
        # The name change at 23:30 WITA on 15 January (15:30 UTC); the level correction at 00:30
        # WITA on the 16th, which is still the 15th in UTC.
        self.kampung.history.filter(history_type="~").exclude(
            history_change_reason=BASELINE_REASON
        ).update(history_date=datetime.datetime(2026, 1, 15, 23, 30, tzinfo=WITA))
        LevelChange.history.filter(kampung=self.kampung, history_user=self.staf).update(
            history_date=datetime.datetime(2026, 1, 16, 0, 30, tzinfo=WITA)
        )
        fifteenth, sixteenth = datetime.date(2026, 1, 15), datetime.date(2026, 1, 16)
        self.assertEqual(
            [e.kind for e in entries(self.staf, date_from=fifteenth, date_to=fifteenth)],
            ["kampung"],
        )
        self.assertEqual(
            [e.kind for e in entries(self.staf, date_from=fifteenth, date_to=sixteenth)],
            ["level", "kampung"],
        )
        self.assertEqual(entries(self.staf, date_to=datetime.date(2026, 1, 14)), [])
        later = entries(self.staf, date_from=sixteenth, kampung=KAMPUNG_A)
        self.assertNotIn("kampung", {e.kind for e in later})
        self.assertIn("level", {e.kind for e in later})


class QueryCountTests(AuditTestCase):
    def measure(self, function, **kwargs):
        access_for(self.staf)  # the request has read it already: not part of the trail's cost
        with CaptureQueriesContext(connection) as queries:
            result = function(**kwargs)
            entries_ = list(result.object_list if hasattr(result, "object_list") else result)
        return len(queries.captured_queries), entries_

    def add_changes(self, count: int) -> None:
        activity = Activity.objects.create(
            kampung=self.kampung, date=datetime.date(2026, 3, 1), title="0", category="lainnya"
        )
        with acting_as(self.pokja_a):
            for number in range(1, count + 1):
                activity.title = str(number)
                activity_save(activity=activity, by=self.pokja_a, agencies=[self.bnn])

    def test_a_page_costs_the_same_with_5_or_50_changes_on_it(self):
        self.add_changes(5)
        queries, page = self.measure(audit_entries, user=self.staf, per_page=5)
        self.assertEqual(queries, PAGE_QUERIES)
        self.assertEqual([e.object_label for e in page], ["5", "4", "3", "2", "1"])
        self.add_changes(45)
        queries, page = self.measure(audit_entries, user=self.staf)
        self.assertEqual(queries, PAGE_QUERIES)
        self.assertEqual(len(page), 50)
        self.assertEqual(page[0].changes, [FieldChange("Judul", "44", "45")])
        queries, third = self.measure(audit_entries, user=self.staf, page=3)
        self.assertEqual(queries, PAGE_QUERIES)
        self.assertEqual(len(third), 50)

    def test_pages_follow_on_from_each_other(self):
        self.add_changes(12)
        everything = entries(self.staf)
        pages = [
            list(audit_entries(user=self.staf, page=number, per_page=7).object_list)
            for number in (1, 2, 3)
        ]
        self.assertEqual(
            [e.history_id for page in pages for e in page], [e.history_id for e in everything[:21]]
        )

    def test_the_kampung_history_costs_the_same_whatever_it_holds(self):
        kampung = Kampung.objects.get(desa_kode=KAMPUNG_B)
        queries, before = self.measure(kampung_history, kampung=kampung)
        self.assertEqual(queries, KAMPUNG_HISTORY_QUERIES)
        self.assertIn("pokja", [e.kind for e in before])  # pokja_b's seat
        self.kampung = kampung
        self.add_changes(30)
        queries, after = self.measure(kampung_history, kampung=kampung)
        self.assertEqual(queries, KAMPUNG_HISTORY_QUERIES)
        self.assertEqual(len(after), KAMPUNG_PAGE_ENTRIES)
        self.assertEqual(after[0].object_label, "30")

    def test_a_kampung_history_holds_only_its_own_records(self):
        history = kampung_history(kampung=self.kampung)
        self.assertEqual(len(history), 10)
        kinds = {entry.kind for entry in history}
        self.assertTrue(kinds <= {k.key for k in KAMPUNG_KINDS}, kinds)
        self.assertEqual({entry.kampung_code for entry in history}, {KAMPUNG_A})


class DisplayTests(AuditTestCase):
    def test_values_read_as_labels_in_indonesian(self):
        profile = KampungProfile.objects.filter(kampung=self.kampung).latest()
        field = KampungProfile._meta.get_field
        self.assertEqual(display_value(profile, field("pokja_exists")), "Ya")
        self.assertEqual(display_value(profile, field("has_rkm")), "Tidak")
        self.assertEqual(
            display_value(profile, field("poktan_present")), "BKB, BKR, BKL, UPPKA, PIK-R"
        )
        self.assertEqual(display_value(profile, field("pokja_sk_tanggal")), "—")
        self.assertEqual(display_value(profile, field("created_by")), "pokja_a")
        kampung = Kampung(latitude=Decimal("-3.80512"), photo="kampung/2026/tabanio.jpg")
        self.assertEqual(display_value(kampung, Kampung._meta.get_field("latitude")), "-3,80512")
        self.assertEqual(display_value(kampung, Kampung._meta.get_field("photo")), "tabanio.jpg")
