"""``/impor/``: upload, preview, apply or cancel; who may; the stored file between the steps.

Files are real CSV/XLSX files written into a temp dir and uploaded; the default storage points at
a fresh temp MEDIA_ROOT per test, so what is kept between preview and apply can be inspected.
"""

import datetime
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from classification.models import ClassificationLevel, Kampung, KampungFigures, LevelChange
from classification.selectors.dashboard import district_summary
from classification.selectors.levels import level_list
from classification.services.levels import kampung_set_level
from classification.views.imports import SESSION_KEY
from tests.base import TANAH_LAUT, PeopleTestCase, level_count
from tests.import_files import (
    BERKEMBANG,
    DASAR_1,
    DASAR_2,
    FIGURES_HEADER,
    GOOD_LEVEL_ROWS,
    KOTABARU_KAMPUNG,
    LEVEL_HEADER,
    LEVEL_MESSAGE,
    UNKNOWN,
    TempFiles,
    counts,
    figures_row,
    write_big_csv,
)

UPLOAD = "/impor/"
PREVIEW = "/impor/pratinjau/"
TEN_MB = 10 * 1024 * 1024


def login_url(url: str) -> str:
    return "/masuk/?next=" + url


class ImportViewTestCase(TempFiles, PeopleTestCase):
    def setUp(self):
        self.media_root = self.make_tmp()
        self.enterContext(override_settings(MEDIA_ROOT=self.media_root))

    def stored_files(self) -> list[Path]:
        return [path for path in self.media_root.rglob("*") if path.is_file()]

    def upload(self, path: Path, kind: str = "levels", **extra):
        with path.open("rb") as handle:
            return self.client.post(UPLOAD, {"kind": kind, "file": handle, **extra})

    def apply(self, **data):
        name = self.client.session[SESSION_KEY]["name"]
        return self.client.post(PREVIEW, {"aksi": "terapkan", "berkas": name, **data}, follow=True)

    def messages(self, response) -> list[str]:
        return [str(message) for message in response.context["messages"]]


class ImportPermissionTests(ImportViewTestCase):
    def test_anonymous_is_sent_to_login(self):
        for url in (UPLOAD, PREVIEW):
            with self.subTest(url=url):
                self.assertRedirects(
                    self.client.get(url), login_url(url), fetch_redirect_response=False
                )
                self.assertRedirects(
                    self.client.post(url, {"aksi": "terapkan"}),
                    login_url(url),
                    fetch_redirect_response=False,
                )

    def test_pokja_and_reviewer_get_403_and_nothing_is_stored(self):
        path = self.write_csv(GOOD_LEVEL_ROWS)
        for person in (self.pokja_a, self.pokja_b, self.peninjau):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                self.assertEqual(self.client.get(UPLOAD).status_code, 403)
                self.assertEqual(self.client.get(PREVIEW).status_code, 403)
                self.assertEqual(self.upload(path).status_code, 403)
                response = self.client.post(PREVIEW, {"aksi": "terapkan", "berkas": "x"})
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.stored_files(), [])
        self.assertFalse(LevelChange.objects.filter(source=LevelChange.Source.IMPORT).exists())

    def test_dp3a_staff_of_either_kabupaten_open_the_page(self):
        for person in (self.staf, self.staf_lain):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(UPLOAD)
                self.assertContains(response, "Impor data dari berkas")
                self.assertContains(response, 'enctype="multipart/form-data"')

    def test_the_nav_link_is_for_dp3a_staff_only(self):
        link = '<a href="/impor/">Impor</a>'
        self.client.force_login(self.staf)
        self.assertContains(self.client.get("/kampung/"), link, html=True)
        for person in (self.pokja_a, self.peninjau):
            self.client.force_login(person)
            self.assertNotContains(self.client.get("/kampung/"), link, html=True)

    def test_preview_without_an_upload_goes_back_to_the_form(self):
        self.client.force_login(self.staf)
        self.assertRedirects(self.client.get(PREVIEW), UPLOAD)


class ImportFlowTests(ImportViewTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.staf)

    def test_upload_stores_the_file_and_the_session_names_it_then_preview_lists_changes(self):
        response = self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        self.assertRedirects(response, PREVIEW, fetch_redirect_response=False)
        pending = self.client.session[SESSION_KEY]
        self.assertEqual(
            {key: pending[key] for key in ("user", "kind", "file_name")},
            {"user": self.staf.pk, "kind": "levels", "file_name": "levels.csv"},
        )
        self.assertRegex(pending["name"], r"^imports/[0-9a-f]{32}\.csv$")
        self.assertTrue(default_storage.exists(pending["name"]))
        self.assertEqual(len(self.stored_files()), 1)

        response = self.client.get(PREVIEW)
        self.assertContains(response, 'data-testid="count-changes">3<')
        self.assertContains(response, "Benua Lawas")
        self.assertContains(response, "Dasar → Berkembang")
        self.assertContains(response, 'value="terapkan"')
        self.assertNotContains(response, 'data-testid="import-errors"')
        self.assertFalse(LevelChange.objects.filter(source=LevelChange.Source.IMPORT).exists())

    def test_apply_writes_everything_deletes_the_file_and_moves_the_dashboard(self):
        levels = level_list()
        before = district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        response = self.apply()
        self.assertRedirects(response, UPLOAD)
        self.assertEqual(self.messages(response), ["3 perubahan level diterapkan."])
        self.assertEqual(
            LevelChange.objects.filter(
                source=LevelChange.Source.IMPORT, changed_by=self.staf
            ).count(),
            3,
        )
        self.assertEqual(self.stored_files(), [])
        self.assertNotIn(SESSION_KEY, self.client.session)
        after = district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
        self.assertEqual(level_count(after, "mandiri"), level_count(before, "mandiri") + 2)
        dashboard = self.client.get("/")
        self.assertEqual(
            level_count(dashboard.context["summary"], "mandiri"), level_count(after, "mandiri")
        )

    def test_the_same_file_again_is_all_unchanged_and_offers_no_apply(self):
        path = self.write_csv(GOOD_LEVEL_ROWS)
        self.upload(path)
        self.apply()
        before = counts()
        self.upload(path)
        response = self.client.get(PREVIEW)
        self.assertContains(response, 'data-testid="count-unchanged">3<')
        self.assertContains(response, "Tidak ada yang perlu diterapkan")
        self.assertNotContains(response, 'value="terapkan"')
        self.apply()
        self.assertEqual(counts(), before)

    def test_errors_are_listed_with_row_column_and_message_and_nothing_applies(self):
        rows = [
            LEVEL_HEADER,
            [DASAR_1, "berkembang", "", ""],
            [UNKNOWN, "mandiri", "", ""],
            [KOTABARU_KAMPUNG, "mandiri", "", ""],
            [DASAR_2, "sedang", "", ""],
            [DASAR_1, "mandiri", "", ""],
        ]
        self.upload(self.write_csv(rows))
        response = self.client.get(PREVIEW)
        self.assertContains(response, 'data-testid="count-errors">4<')
        for row, column, message in [
            (3, "kode", "Kode 63.01.99.9999 tidak dikenal"),
            (4, "kode", "Kode 63.02.01.2001 bukan wilayah Anda"),
            (5, "level", LEVEL_MESSAGE),
            (6, "kode", f"Kode {DASAR_1} sudah muncul di baris 2"),
        ]:
            self.assertContains(
                response,
                f'<tr><td data-label="Baris">{row}</td><td data-label="Kolom">{column}</td>'
                f'<td data-label="Pesan">{message}</td></tr>',
                html=True,
            )
        self.assertNotContains(response, 'value="terapkan"')
        before = counts()
        response = self.apply()
        self.assertEqual(response.status_code, 200)
        self.assertIn("tidak ada yang disimpan", self.messages(response)[0])
        self.assertEqual(counts(), before)

    def test_staff_of_another_kabupaten_see_each_row_refused(self):
        self.client.force_login(self.staf_lain)
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        response = self.client.get(PREVIEW)
        self.assertContains(response, "bukan wilayah Anda", count=3)
        before = counts()
        self.apply()
        self.assertEqual(counts(), before)

    def test_data_changed_between_preview_and_apply_is_checked_again(self):
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        self.client.get(PREVIEW)
        # Meanwhile a later change of the first kampung makes its row's date too early.
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode=DASAR_1),
            level=ClassificationLevel.objects.get(code="paripurna"),
            effective_date=datetime.date(2026, 1, 20),
            source=LevelChange.Source.CORRECTION,
        )
        before = counts()
        response = self.apply()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Data berubah sejak pratinjau")
        self.assertContains(response, "sebelum perubahan level terakhir (20-01-2026)")
        self.assertEqual(counts(), before)
        self.assertEqual(len(self.stored_files()), 1)

    def test_a_preview_of_a_replaced_upload_does_not_apply(self):
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        old_name = self.client.session[SESSION_KEY]["name"]
        self.upload(self.write_csv([LEVEL_HEADER, [BERKEMBANG, "mandiri", "", ""]], name="b.csv"))
        self.assertEqual(len(self.stored_files()), 1, "the first upload is deleted")
        before = counts()
        response = self.client.post(PREVIEW, {"aksi": "terapkan", "berkas": old_name}, follow=True)
        self.assertRedirects(response, PREVIEW)
        self.assertIn("Berkas sudah diganti", self.messages(response)[0])
        self.assertEqual(counts(), before)

    def test_cancel_deletes_the_stored_file(self):
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        response = self.client.post(PREVIEW, {"aksi": "batal"}, follow=True)
        self.assertRedirects(response, UPLOAD)
        self.assertEqual(self.stored_files(), [])
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(
            self.messages(response), ["Impor dibatalkan; berkas yang diunggah dihapus."]
        )

    def test_a_stored_file_gone_missing_asks_for_a_new_upload(self):
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        default_storage.delete(self.client.session[SESSION_KEY]["name"])
        response = self.client.get(PREVIEW, follow=True)
        self.assertRedirects(response, UPLOAD)
        self.assertIn("tidak ditemukan lagi", self.messages(response)[0])

    def test_a_session_entry_of_another_user_or_path_is_ignored(self):
        for pending in (
            {"name": "imports/a.csv", "user": self.staf_lain.pk, "kind": "levels"},
            {"name": "../settings.py", "user": self.staf.pk, "kind": "levels"},
            {"name": "imports/a.csv", "user": self.staf.pk, "kind": "lain"},
        ):
            with self.subTest(pending=pending):
                session = self.client.session
                session[SESSION_KEY] = {**pending, "file_name": "a.csv"}
                session.save()
                self.assertRedirects(self.client.get(PREVIEW), UPLOAD)

    def test_figures_upload_xlsx_and_apply(self):
        rows = [FIGURES_HEADER, figures_row(DASAR_1, "2026-01"), figures_row(DASAR_2, "2026-01")]
        self.upload(self.write_xlsx(rows, name="angka.xlsx"), kind="figures")
        response = self.client.get(PREVIEW)
        self.assertContains(response, 'data-testid="count-changes">2<')
        self.assertContains(response, "Angka bulanan")
        response = self.apply()
        self.assertEqual(self.messages(response), ["2 angka bulanan disimpan."])
        self.assertEqual(KampungFigures.objects.filter(created_by=self.staf).count(), 2)

    def test_cp1252_file_preview_says_how_it_was_read(self):
        rows = [LEVEL_HEADER, [DASAR_1, "berkembang", "", "Kunjungan café"]]
        self.upload(self.write_csv(rows, encoding="cp1252", delimiter=";"))
        response = self.client.get(PREVIEW)
        self.assertContains(response, 'data-testid="encoding-note"')
        self.assertContains(response, "Kunjungan café")
        self.assertContains(response, "Windows-1252, pemisah titik koma")
        self.apply()
        self.assertEqual(
            LevelChange.objects.get(source=LevelChange.Source.IMPORT).note, "Kunjungan café"
        )

    def test_formula_without_value_in_xlsx_is_a_row_error(self):
        rows = [LEVEL_HEADER, [DASAR_1, "=1+1", None, None]]
        self.upload(self.write_xlsx(rows))
        response = self.client.get(PREVIEW)
        self.assertContains(response, "Sel berisi rumus =1+1 tanpa nilai tersimpan")
        self.assertNotContains(response, 'value="terapkan"')


class ImportBadFileTests(ImportViewTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.staf)

    def form_errors(self, response) -> list[str]:
        return response.context["form"].errors.get("file", [])

    def test_no_file(self):
        response = self.client.post(UPLOAD, {"kind": "levels"})
        self.assertEqual(self.form_errors(response), ["Pilih berkas yang akan diimpor."])

    def test_an_empty_file(self):
        response = self.upload(self.write_bytes(b"", "kosong.csv"))
        self.assertEqual(
            self.form_errors(response), ["Berkas kosong: tidak ada judul kolom maupun data."]
        )
        self.assertEqual(self.stored_files(), [])

    def test_a_header_only_file(self):
        self.upload(self.write_csv([LEVEL_HEADER]))
        response = self.client.get(PREVIEW)
        self.assertContains(response, "Berkas hanya berisi judul kolom, tanpa baris data.")
        self.assertNotContains(response, 'value="terapkan"')

    def test_an_unsupported_format(self):
        response = self.upload(self.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "lama.xls"))
        self.assertEqual(
            self.form_errors(response),
            ["Format .xls (Excel 97–2003) tidak didukung: simpan ulang sebagai .xlsx atau CSV."],
        )
        self.assertEqual(self.stored_files(), [])

    def test_a_file_over_10_mb_is_refused_with_a_message_and_not_stored(self):
        path = self.write_bytes(b"kode,level\n" + b"x" * TEN_MB, "besar.csv")
        response = self.upload(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.form_errors(response),
            ["Berkas terlalu besar (10,0\xa0MB); paling besar 10,0\xa0MB."],
        )
        self.assertEqual(self.stored_files(), [])

    def test_a_10_mb_file_of_many_rows_is_refused_by_row_count_without_a_500(self):
        codes = list(Kampung.objects.in_kabupaten(TANAH_LAUT).values_list("desa_kode", flat=True))
        path = write_big_csv(self.tmp / "besar.csv", size=TEN_MB, codes=codes)
        before = counts()
        self.assertRedirects(self.upload(path), PREVIEW, fetch_redirect_response=False)
        response = self.client.get(PREVIEW)
        self.assertContains(response, "Berkas memuat lebih dari 20.000 baris data")
        self.assertEqual(self.apply().status_code, 200)
        self.assertEqual(counts(), before)

    def test_a_10_mb_file_of_long_notes_is_processed_and_applied(self):
        codes = list(
            Kampung.objects.in_kabupaten(TANAH_LAUT)
            .filter(official_level="dasar")
            .values_list("desa_kode", flat=True)
        )
        note = "Catatan panjang. " * (TEN_MB // len(codes) // 17 - 10)
        rows = [LEVEL_HEADER, *([code, "berkembang", "2026-01-05", note] for code in codes)]
        path = self.write_csv(rows, name="catatan.csv")
        self.assertGreater(path.stat().st_size, TEN_MB * 0.99)
        self.assertLessEqual(path.stat().st_size, TEN_MB)
        self.upload(path)
        response = self.client.get(PREVIEW)
        self.assertContains(response, f'data-testid="count-changes">{len(codes)}<')
        response = self.apply()
        self.assertEqual(self.messages(response), [f"{len(codes)} perubahan level diterapkan."])
        self.assertEqual(
            Kampung.objects.in_kabupaten(TANAH_LAUT).filter(official_level="dasar").count(), 0
        )


class ImportStoredFileTests(ImportViewTestCase):
    """The app servers stay stateless: only the storage name is in the session."""

    def test_the_session_holds_no_local_path(self):
        self.client.force_login(self.staf)
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        pending = self.client.session[SESSION_KEY]
        self.assertEqual(set(pending), {"name", "user", "kind", "file_name"})
        self.assertFalse(Path(pending["name"]).is_absolute())
        self.assertNotIn(str(self.media_root), str(pending))
        self.assertNotIn(tempfile.gettempdir(), str(pending))

    def test_upload_time_is_today_by_default(self):
        # The default effective date is the local date in Asia/Makassar.
        self.client.force_login(self.staf)
        self.upload(self.write_csv([["kode", "level"], [DASAR_1, "berkembang"]]))
        self.apply()
        change = LevelChange.objects.get(source=LevelChange.Source.IMPORT)
        self.assertEqual(change.effective_date, timezone.localdate())
