"""``manage.py import_kampung``: the same checks and messages as the page, all or nothing."""

import io

from django.core.management import CommandError, call_command

from classification.models import KampungFigures, LevelChange
from tests.base import PeopleTestCase
from tests.import_files import (
    DASAR_1,
    DASAR_2,
    FIGURES_HEADER,
    GOOD_LEVEL_ROWS,
    LEVEL_HEADER,
    LEVEL_MESSAGE,
    UNKNOWN,
    TempFiles,
    counts,
    figures_row,
)


class ImportCommandTests(TempFiles, PeopleTestCase):
    def run_command(self, path, *args, kind="levels", user="staf"):
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "import_kampung",
            str(path),
            "--kind",
            kind,
            "--user",
            user,
            *args,
            stdout=out,
            stderr=err,
        )
        return out.getvalue(), err.getvalue()

    def test_a_good_file_is_applied_with_source_import(self):
        out, err = self.run_command(self.write_csv(GOOD_LEVEL_ROWS))
        self.assertIn("3 baris: 3 berubah, 0 sudah sesuai, 0 kesalahan.", out)
        self.assertIn("3 perubahan level diterapkan.", out)
        self.assertIn("Memeriksa", err)  # the tqdm bar
        imported = LevelChange.objects.filter(source=LevelChange.Source.IMPORT)
        self.assertEqual(imported.count(), 3)
        self.assertEqual(set(imported.values_list("changed_by__username", flat=True)), {"staf"})

    def test_running_it_again_changes_nothing(self):
        path = self.write_xlsx(GOOD_LEVEL_ROWS)
        self.run_command(path)
        before = counts()
        out, _err = self.run_command(path)
        self.assertIn("3 baris: 0 berubah, 3 sudah sesuai, 0 kesalahan.", out)
        self.assertEqual(counts(), before)

    def test_dry_run_writes_nothing(self):
        before = counts()
        out, _err = self.run_command(self.write_csv(GOOD_LEVEL_ROWS), "--dry-run")
        self.assertIn("Uji coba (--dry-run): tidak ada yang disimpan.", out)
        self.assertEqual(counts(), before)

    def test_row_errors_are_printed_and_nothing_is_written(self):
        rows = [*GOOD_LEVEL_ROWS, [UNKNOWN, "mandiri", "", ""], [DASAR_1, "sedang", "", ""]]
        before = counts()
        err = io.StringIO()
        with self.assertRaisesMessage(
            CommandError,
            "5 baris: 3 berubah, 0 sudah sesuai, 3 kesalahan. Tidak ada yang disimpan.",
        ):
            call_command(
                "import_kampung",
                str(self.write_csv(rows)),
                "--kind=levels",
                "--user=staf",
                stdout=io.StringIO(),
                stderr=err,
            )
        self.assertIn(f"Baris 5, kolom kode: Kode {UNKNOWN} tidak dikenal", err.getvalue())
        self.assertIn(f"Baris 6, kolom level: {LEVEL_MESSAGE}", err.getvalue())
        self.assertIn(
            f"Baris 6, kolom kode: Kode {DASAR_1} sudah muncul di baris 2", err.getvalue()
        )
        self.assertEqual(counts(), before)

    def test_a_cp1252_file_is_announced(self):
        rows = [LEVEL_HEADER, [DASAR_1, "berkembang", "", "Kunjungan café"]]
        _out, err = self.run_command(self.write_csv(rows, encoding="cp1252"))
        self.assertIn("dibaca sebagai Windows-1252", err)
        self.assertEqual(LevelChange.objects.get(source="import").note, "Kunjungan café")

    def test_an_empty_file_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "0 baris"):
            self.run_command(self.write_bytes(b"", "kosong.csv"))

    def test_figures(self):
        rows = [FIGURES_HEADER, figures_row(DASAR_1, "2026-01"), figures_row(DASAR_2, "2026-01")]
        out, _err = self.run_command(self.write_csv(rows), kind="figures")
        self.assertIn("2 angka bulanan disimpan.", out)
        self.assertEqual(KampungFigures.objects.filter(created_by=self.staf).count(), 2)

    def test_the_user_must_exist_and_be_dp3a_staff(self):
        path = self.write_csv(GOOD_LEVEL_ROWS)
        with self.assertRaisesMessage(CommandError, "Pengguna 'siapa' tidak ada."):
            self.run_command(path, user="siapa")
        for username in ("pokja_a", "peninjau"):
            with self.assertRaisesMessage(CommandError, "bukan staf DP3A"):
                self.run_command(path, user=username)
        self.assertEqual(LevelChange.objects.filter(source="import").count(), 0)

    def test_staff_of_another_kabupaten_cannot_import_tanah_laut(self):
        before = counts()
        with self.assertRaisesMessage(CommandError, "3 kesalahan"):
            self.run_command(self.write_csv(GOOD_LEVEL_ROWS), user="staf_lain")
        self.assertEqual(counts(), before)

    def test_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "tidak dapat dibuka"):
            self.run_command(self.tmp / "tidak-ada.csv")

    def test_the_kind_is_checked(self):
        with self.assertRaises(CommandError):
            self.run_command(self.write_csv(GOOD_LEVEL_ROWS), kind="lain")
