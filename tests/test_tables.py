"""Tables: Indonesian headers, links to the kampung page, plain-text export values, dates."""

import datetime
from types import SimpleNamespace

from django.test import TestCase

from classification.models import Kampung
from classification.tables import CompletenessTable, KampungTable

KAMPUNG_A = "63.01.01.2002"  # Tabanio, berkembang in the demo baseline
KAMPUNG_KOTABARU = "63.02.01.2001"  # no level loaded
# Column name → header, in the order they appear. Columns added later (estimated level, …) may
# follow; these six come first and keep their Indonesian headers.
HEADERS = {
    "desa_kode": "Kode",
    "desa_nama": "Desa/kelurahan",
    "jenis": "Jenis",
    "kecamatan": "Kecamatan",
    "official_level": "Level resmi",
    "official_level_since": "Sejak",
}


DATE_FIELDS = ["last_profile", "last_figures", "last_activity", "last_update"]


def table_of(*codes: str) -> KampungTable:
    return KampungTable(Kampung.objects.for_listing().filter(desa_kode__in=codes))


def exported(table: KampungTable) -> list[dict[str, str]]:
    """Rows as an export sees them, keyed by the header a spreadsheet user reads."""
    header, *rows = table.as_values()
    return [dict(zip(header, row, strict=True)) for row in rows]


class KampungTableTests(TestCase):
    def test_columns_start_with_code_name_jenis_kecamatan_level_and_date(self):
        names = [column.name for column in table_of(KAMPUNG_A).columns]
        self.assertEqual(names[: len(HEADERS)], list(HEADERS))

    def test_headers_are_in_indonesian(self):
        headers = {column.name: str(column.header) for column in table_of(KAMPUNG_A).columns}
        for name, header in HEADERS.items():
            self.assertEqual(headers[name], header)

    def test_code_and_name_link_to_the_kampung_page(self):
        row = table_of(KAMPUNG_A).rows[0]
        self.assertEqual(
            row.get_cell("desa_kode"), f'<a href="/kampung/{KAMPUNG_A}/">{KAMPUNG_A}</a>'
        )
        self.assertEqual(row.get_cell("desa_nama"), f'<a href="/kampung/{KAMPUNG_A}/">Tabanio</a>')

    def test_row_shows_jenis_kecamatan_name_and_date(self):
        row = table_of(KAMPUNG_A).rows[0]
        self.assertEqual(row.get_cell("jenis"), "Desa")
        self.assertEqual(row.get_cell("kecamatan"), "Takisung")
        self.assertEqual(row.get_cell("official_level_since"), "31 Jul 2025")

    def test_level_is_a_coloured_badge_on_screen(self):
        cell = str(table_of(KAMPUNG_A).rows[0].get_cell("official_level"))
        self.assertIn('class="badge"', cell)
        self.assertIn("Berkembang", cell)
        self.assertIn("#fdae61", cell)

    def test_level_value_is_plain_text_for_exports(self):
        row = table_of(KAMPUNG_A).rows[0]
        self.assertEqual(row.get_cell_value("official_level"), "Berkembang")
        # A date, so XLSX gets a date cell; CSV writes it as ISO.
        self.assertEqual(row.get_cell_value("official_level_since"), datetime.date(2025, 7, 31))

    def test_export_values_have_indonesian_headers_and_no_html(self):
        rows = exported(table_of(KAMPUNG_A, "63.01.03.1001"))
        shown = [{header: row[header] for header in HEADERS.values()} for row in rows]
        self.assertEqual(
            shown,
            [
                {
                    "Kode": KAMPUNG_A,
                    "Desa/kelurahan": "Tabanio",
                    "Jenis": "Desa",
                    "Kecamatan": "Takisung",
                    "Level resmi": "Berkembang",
                    "Sejak": datetime.date(2025, 7, 31),
                },
                {
                    "Kode": "63.01.03.1001",
                    "Desa/kelurahan": "Sarang Halang",
                    "Jenis": "Kelurahan",
                    "Kecamatan": "Pelaihari",
                    "Level resmi": "Berkembang",
                    "Sejak": datetime.date(2025, 7, 31),
                },
            ],
        )
        for row in rows:
            for header, value in row.items():
                self.assertNotIn("<", str(value), header)

    def test_kampung_without_level_shows_a_not_set_badge(self):
        row = table_of(KAMPUNG_KOTABARU).rows[0]
        cell = str(row.get_cell("official_level"))
        self.assertIn("badge-none", cell)
        self.assertIn("Belum ditetapkan", cell)
        self.assertEqual(row.get_cell("official_level_since"), "—")
        self.assertEqual(row.get_cell_value("official_level"), "")
        self.assertEqual(row.get_cell_value("official_level_since"), "")

    def test_default_order_is_by_code(self):
        table = KampungTable(Kampung.objects.for_listing().filter(kecamatan_id="63.01.01"))
        codes = [row.get_cell_value("desa_kode") for row in table.rows]
        self.assertEqual(codes, sorted(codes))
        self.assertEqual(len(codes), 12)

    def test_level_column_sorts_by_rank_not_alphabetically(self):
        table = KampungTable(
            Kampung.objects.for_listing().filter(kecamatan_id="63.01.01"), order_by="official_level"
        )
        labels = [row.get_cell_value("official_level") for row in table.rows]
        rank = {"Dasar": 1, "Berkembang": 2, "Mandiri": 3, "Paripurna": 4}
        self.assertEqual(labels, sorted(labels, key=rank.get))
        self.assertEqual((labels[0], labels[-1]), ("Dasar", "Paripurna"))


class CompletenessDateTests(TestCase):
    """Dates on /kelengkapan/ read as Indonesian dates on screen; a missing one is a dash."""

    def row(self, **dates):
        record = SimpleNamespace(
            kampung=Kampung.objects.select_related("kecamatan").get(desa_kode=KAMPUNG_A),
            profile_ok=False,
            figures_ok=False,
            activity_ok=False,
            missing_count=3,
            **{field: dates.get(field) for field in DATE_FIELDS},
        )
        return CompletenessTable([record]).rows[0]

    def test_dates_use_indonesian_month_names(self):
        row = self.row(
            last_profile=datetime.date(2025, 8, 17),
            last_figures=datetime.date(2025, 10, 1),
            last_activity=datetime.date(2025, 12, 5),
            last_update=datetime.date(2025, 5, 2),
        )
        self.assertEqual(
            [row.get_cell(field) for field in DATE_FIELDS],
            ["17 Agu 2025", "Okt 2025", "5 Des 2025", "2 Mei 2025"],
        )

    def test_a_missing_date_is_a_dash_on_screen_and_empty_in_downloads(self):
        row = self.row(last_profile=datetime.date(2025, 8, 17))
        self.assertEqual([row.get_cell(field) for field in DATE_FIELDS[1:]], ["—", "—", "—"])
        self.assertEqual([row.get_cell_value(field) for field in DATE_FIELDS[1:]], ["", "", ""])
        self.assertEqual(row.get_cell_value("last_profile"), datetime.date(2025, 8, 17))
