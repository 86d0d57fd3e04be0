"""CSV and XLSX downloads: exactly the filtered rows, a header row, typed XLSX cells and the
filter used (second sheet "Filter")."""

import csv
import datetime
import io
from unittest import mock

import openpyxl

from classification.models import Kampung, KampungProfile
from tests.base import KAMPUNG_A, PeopleTestCase

TODAY = datetime.date(2026, 11, 22)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def workbook(response):
    assert "spreadsheetml" in response["Content-Type"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def sheet_rows(book) -> list[list]:
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class KampungExportTests(PeopleTestCase):
    def setUp(self):
        self.client.force_login(self.staf)

    def test_xlsx_has_header_typed_dates_filter_line_and_only_filtered_rows(self):
        book = workbook(self.client.get("/kampung/?official_level=mandiri&_export=xlsx"))
        header, *rows = sheet_rows(book)
        self.assertEqual(
            header[:6], ["Kode", "Desa/kelurahan", "Jenis", "Kecamatan", "Level resmi", "Sejak"]
        )
        self.assertEqual(len(rows), 3)
        since = header.index("Sejak")
        for row in rows:
            self.assertIsInstance(row[since], (datetime.date, datetime.datetime))
        self.assertEqual(book.sheetnames[1], "Filter")
        self.assertEqual(book["Filter"]["A1"].value, "Filter: official_level=mandiri")

    def test_csv_has_the_same_rows_with_iso_dates(self):
        url = "/kampung/?official_level=mandiri&_export="
        header, *rows = csv_rows(self.client.get(url + "csv"))
        _, *xlsx = sheet_rows(workbook(self.client.get(url + "xlsx")))
        self.assertEqual([row[0] for row in rows], [row[0] for row in xlsx])
        since = header.index("Sejak")
        self.assertEqual(rows[0][since], xlsx[0][since].date().isoformat())

    def test_without_a_filter_the_line_says_so(self):
        book = workbook(self.client.get("/kampung/?_export=xlsx"))
        self.assertEqual(book["Filter"]["A1"].value, "Filter: semua")
        self.assertEqual(len(sheet_rows(book)), 136)


@mock.patch("classification.views.base.local_today", return_value=TODAY)
class CompletenessExportTests(PeopleTestCase):
    def setUp(self):
        KampungProfile.objects.create(kampung=Kampung.objects.get(desa_kode=KAMPUNG_A))
        self.client.force_login(self.staf)

    def test_xlsx_counts_are_int_dates_are_dates_and_rows_are_the_filtered_ones(self, _today):
        book = workbook(self.client.get("/kelengkapan/?belum=1&_export=xlsx"))
        header, *rows = sheet_rows(book)
        self.assertIn("Profil terakhir", header)
        self.assertEqual(len(rows), 135)  # one profile is not a complete report
        self.assertEqual(book["Filter"]["A1"].value, "Filter: belum=1")
        by_code = {row[0]: row for row in rows}
        tabanio = by_code[KAMPUNG_A]
        self.assertIsInstance(tabanio[header.index("Profil terakhir")], datetime.datetime)
        self.assertIsInstance(tabanio[header.index("Belum lapor")], int)
        self.assertEqual(tabanio[header.index("Belum lapor")], 2)
        self.assertEqual(tabanio[header.index("Profil tahun ini")], "sudah")

    def test_csv_has_the_same_rows(self, _today):
        header, *rows = csv_rows(self.client.get("/kelengkapan/?belum=1&_export=csv"))
        _, *xlsx = sheet_rows(workbook(self.client.get("/kelengkapan/?belum=1&_export=xlsx")))
        self.assertEqual([row[0] for row in rows], [row[0] for row in xlsx])
        self.assertEqual(header[0], "Kode")


class CandidateExportTests(PeopleTestCase):
    def test_target_xlsx_carries_the_filter_sheet(self):
        self.client.force_login(self.staf)
        book = workbook(self.client.get("/target/?_export=xlsx"))
        self.assertEqual(book.sheetnames[1], "Filter")
        header = sheet_rows(book)[0]
        self.assertEqual(header[0], "Kode")


class PokjaAccountExportTests(PeopleTestCase):
    def test_xlsx_lists_the_accounts_without_actions(self):
        self.client.force_login(self.staf)
        book = workbook(self.client.get("/pengguna/?status=aktif&_export=xlsx"))
        header, *rows = sheet_rows(book)
        self.assertNotIn("Tindakan", header)
        self.assertEqual(sorted(row[0] for row in rows), ["pokja_a", "pokja_b"])
        self.assertEqual(book["Filter"]["A1"].value, "Filter: status=aktif")
        header_csv, *rows_csv = csv_rows(self.client.get("/pengguna/?status=aktif&_export=csv"))
        self.assertEqual(header_csv, header)
        self.assertEqual(len(rows_csv), 2)
