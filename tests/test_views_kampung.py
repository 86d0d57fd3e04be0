"""The kampung table at ``/kampung/`` (filters, sorting, pages, exports) and the kampung page."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
from django.conf import settings
from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation

from classification.models import ClassificationLevel, Kampung, LevelChange
from classification.services.levels import kampung_set_level
from tests.base import KAMPUNG_A, KAMPUNG_LAIN_KABUPATEN, SESSION_CACHED, PeopleTestCase

# Pinned query counts. List: session, user, access (3), two COUNTs (the list view's and the
# table's paginator), kabupaten and kecamatan choices, level choices (official and estimated),
# programme choices, one page of rows. Detail: session, user, access (3), the kampung, latest
# profile, latest figures, cross-sector agencies, levels, level history, activities, programmes,
# the open assessment, the Pokja members (DP3A), and the change history (10: its entries' keys,
# one query per kind of record, the kegiatan's agencies; selectors.audit.kampung_history).
LIST_QUERIES = 12 - SESSION_CACHED  # one COUNT: only the table paginates
DETAIL_QUERIES = 25 - SESSION_CACHED


class _TableParser(HTMLParser):
    """Header and body cells (as text) of the kampung table."""

    def __init__(self):
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._in_table = False
        self._section = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "table-kampung" in classes:
            self._in_table = True
        elif self._in_table and tag in ("thead", "tbody"):
            self._section = tag
        elif self._in_table and tag == "tr" and self._section == "tbody":
            self.rows.append([])
        elif self._in_table and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._in_table:
            self._in_table = False
        elif self._in_table and tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._section == "thead":
                self.headers.append(text)
            elif self.rows:
                self.rows[-1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[dict[str, str]]:
    """The rows a user sees in the kampung table, keyed by column header."""
    parser = _TableParser()
    parser.feed(response.content.decode())
    if len(parser.rows) == 1 and len(parser.rows[0]) == 1:
        # An empty table shows one full-width row with the "nothing matches" text.
        assert parser.rows[0][0] == "Tidak ada kampung yang cocok dengan filter ini.", parser.rows
        return []
    return [dict(zip(parser.headers, row, strict=True)) for row in parser.rows]


def shown_count(response) -> int:
    match = re.search(r'class="result-count">\s*(\d+) kampung', response.content.decode())
    assert match, "no result count on the page"
    return int(match.group(1))


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> tuple[list[str], list[list]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return header, rows


class KampungListAccessTests(PeopleTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get("/kampung/")
        self.assertRedirects(response, "/masuk/?next=/kampung/", fetch_redirect_response=False)

    def test_anonymous_cannot_export(self):
        response = self.client.get("/kampung/?_export=csv")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/masuk/?next="))

    def test_staff_sees_all_135_kampung_of_tanah_laut(self):
        self.client.force_login(self.staf)
        response = self.client.get("/kampung/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(shown_count(response), 135)
        rows = table_rows(response)
        self.assertEqual(len(rows), 50)
        self.assertTrue(all(row["Kode"].startswith("63.01.") for row in rows))

    def test_every_tanah_laut_role_reads_the_table(self):
        for user in (self.pokja_a, self.pokja_b):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(shown_count(self.client.get("/kampung/")), 135)

    def test_provincial_reviewer_sees_both_kabupaten(self):
        self.client.force_login(self.peninjau)
        self.assertEqual(shown_count(self.client.get("/kampung/")), 135 + 202)

    def test_staff_of_another_kabupaten_sees_none_of_tanah_laut(self):
        self.client.force_login(self.staf_lain)
        response = self.client.get("/kampung/")
        self.assertEqual(shown_count(response), 202)
        self.assertTrue(all(row["Kode"].startswith("63.02.") for row in table_rows(response)))
        self.assertEqual(shown_count(self.client.get("/kampung/?q=Tabanio")), 0)
        self.assertEqual(shown_count(self.client.get("/kampung/?q=63.01")), 0)
        export = csv_rows(self.client.get("/kampung/?_export=csv"))
        self.assertEqual(len(export), 202)
        self.assertFalse(any(row["Kode"].startswith("63.01.") for row in export))


class KampungListPaginationSortingTests(PeopleTestCase):
    def setUp(self):
        self.client.force_login(self.staf)

    def test_fifty_rows_a_page_and_35_on_the_third(self):
        pages = [table_rows(self.client.get(f"/kampung/?page={page}")) for page in (1, 2, 3)]
        self.assertEqual([len(rows) for rows in pages], [50, 50, 35])
        codes = [row["Kode"] for rows in pages for row in rows]
        self.assertEqual(len(set(codes)), 135)

    def test_default_order_is_by_code(self):
        rows = table_rows(self.client.get("/kampung/"))
        self.assertEqual(rows[0]["Kode"], "63.01.01.2001")
        self.assertEqual([row["Kode"] for row in rows], sorted(row["Kode"] for row in rows))

    def test_sorting_by_code_descending(self):
        last = Kampung.objects.in_kabupaten("63.01").order_by("-desa_kode").first()
        rows = table_rows(self.client.get("/kampung/?sort=-desa_kode"))
        self.assertEqual(rows[0]["Kode"], last.desa_kode)
        self.assertEqual(rows[0]["Desa/kelurahan"], last.desa_nama)

    def test_sorting_by_level_puts_dasar_first_and_paripurna_last(self):
        first_page = table_rows(self.client.get("/kampung/?sort=official_level"))
        self.assertEqual({row["Level resmi"] for row in first_page}, {"Dasar"})
        second_page = table_rows(self.client.get("/kampung/?sort=official_level&page=2"))
        self.assertEqual([row["Level resmi"] for row in second_page].count("Dasar"), 43)
        self.assertEqual(second_page[-1]["Level resmi"], "Berkembang")
        last_page = table_rows(self.client.get("/kampung/?sort=official_level&page=3"))
        self.assertEqual(last_page[-1]["Level resmi"], "Paripurna")

    def test_sorting_by_level_descending_puts_paripurna_first(self):
        rows = table_rows(self.client.get("/kampung/?sort=-official_level"))
        self.assertEqual([row["Level resmi"] for row in rows[:14]], ["Paripurna"] * 14)
        self.assertEqual([row["Level resmi"] for row in rows[14:17]], ["Mandiri"] * 3)
        self.assertEqual(rows[17]["Level resmi"], "Berkembang")

    def test_unknown_sort_column_is_ignored(self):
        response = self.client.get("/kampung/?sort=bukan_kolom")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(shown_count(response), 135)


class KampungListFilterTests(PeopleTestCase):
    def setUp(self):
        self.client.force_login(self.staf)

    def rows(self, query: str) -> list[dict[str, str]]:
        response = self.client.get(f"/kampung/?{query}")
        self.assertEqual(response.status_code, 200)
        rows = table_rows(response)
        self.assertEqual(shown_count(response), len(rows), "all matches fit on one page here")
        return rows

    def test_filter_by_kecamatan(self):
        rows = self.rows("kecamatan=63.01.03")
        self.assertEqual(len(rows), 20)
        self.assertEqual({row["Kecamatan"] for row in rows}, {"Pelaihari"})

    def test_filter_by_official_level(self):
        rows = self.rows("official_level=mandiri")
        self.assertEqual(
            [row["Desa/kelurahan"] for row in rows], ["Sungai Bakau", "Ujung Baru", "Panyipatan"]
        )
        self.assertEqual({row["Level resmi"] for row in rows}, {"Mandiri"})

    def test_filter_by_jenis_finds_the_five_kelurahan(self):
        rows = self.rows("jenis=kelurahan")
        self.assertEqual(len(rows), 5)
        self.assertEqual({row["Jenis"] for row in rows}, {"Kelurahan"})
        self.assertEqual(
            sorted(row["Desa/kelurahan"] for row in rows),
            ["Angsau", "Karang Taruna", "Pabahanan", "Pelaihari", "Sarang Halang"],
        )

    def test_search_by_name_ignores_case(self):
        rows = self.rows("q=tabanio")
        self.assertEqual(
            [(row["Kode"], row["Desa/kelurahan"]) for row in rows], [(KAMPUNG_A, "Tabanio")]
        )

    def test_search_by_undotted_code(self):
        rows = self.rows("q=6301012002")
        self.assertEqual([row["Kode"] for row in rows], [KAMPUNG_A])

    def test_search_by_dotted_code_prefix_finds_the_kecamatan(self):
        rows = self.rows("q=63.01.05")
        self.assertEqual(len(rows), 14)
        self.assertTrue(all(row["Kode"].startswith("63.01.05.") for row in rows))

    def test_search_treats_spaces_and_hyphens_alike(self):
        names = [row["Desa/kelurahan"] for row in self.rows("q=bati+bati")]
        self.assertIn("Bati-Bati", names)
        names = [row["Desa/kelurahan"] for row in self.rows("q=asam+asam")]
        self.assertEqual(names, ["Asam-Asam", "Muara Asam-Asam"])
        names = [row["Desa/kelurahan"] for row in self.rows("q=kait-kait")]
        self.assertEqual(names, ["Kait-kait", "Kait-kait Baru"])

    def test_filters_combine(self):
        self.assertEqual(len(self.rows("kecamatan=63.01.03&jenis=kelurahan")), 5)
        self.assertEqual(len(self.rows("kecamatan=63.01.03&jenis=desa")), 15)
        rows = self.rows("kecamatan=63.01.05&official_level=mandiri")
        self.assertEqual([row["Desa/kelurahan"] for row in rows], ["Ujung Baru"])
        rows = self.rows("q=sungai&official_level=mandiri")
        self.assertEqual([row["Desa/kelurahan"] for row in rows], ["Sungai Bakau"])
        self.assertEqual(self.rows("q=tabanio&official_level=dasar"), [])

    def test_filter_keeps_its_value_in_the_form_and_export_links(self):
        response = self.client.get("/kampung/?official_level=mandiri")
        self.assertContains(response, '<option value="mandiri" selected>Mandiri</option>')
        self.assertContains(response, 'href="?official_level=mandiri&amp;_export=csv"')

    def test_invalid_filter_values_show_form_errors_not_a_server_error(self):
        for query in (
            "official_level=bukan-level",
            "kecamatan=99.99.99",
            "kecamatan=63.02.01",  # a real kecamatan, but of another kabupaten
            "jenis=kota",
            "kabupaten=63.02",
        ):
            with self.subTest(query=query):
                response = self.client.get(f"/kampung/?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="field-error"')
                self.assertContains(response, "Masukkan pilihan yang valid")


class KampungExportTests(PeopleTestCase):
    def setUp(self):
        self.client.force_login(self.staf)

    def test_csv_holds_exactly_the_filtered_rows_with_indonesian_headers(self):
        response = self.client.get("/kampung/?official_level=mandiri&_export=csv")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        self.assertRegex(
            response["Content-Disposition"],
            r'attachment; filename="kampung-kb-\d{4}-\d\d-\d\d\.csv"',
        )
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        self.assertEqual(len(lines), 1 + 3)
        header = lines[0].split(",")
        self.assertEqual(
            header[:6], ["Kode", "Desa/kelurahan", "Jenis", "Kecamatan", "Level resmi", "Sejak"]
        )
        rows = csv_rows(response)
        self.assertEqual(
            [(row["Kode"], row["Desa/kelurahan"], row["Level resmi"]) for row in rows],
            [
                ("63.01.04.2001", "Sungai Bakau", "Mandiri"),
                ("63.01.05.2011", "Ujung Baru", "Mandiri"),
                ("63.01.06.2002", "Panyipatan", "Mandiri"),
            ],
        )
        self.assertEqual({row["Sejak"] for row in rows}, {"2025-07-31"})
        self.assertNotIn("<", response.content.decode())

    def test_xlsx_holds_exactly_the_filtered_rows(self):
        response = self.client.get("/kampung/?official_level=mandiri&_export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        self.assertIn(".xlsx", response["Content-Disposition"])
        header, rows = xlsx_rows(response)
        self.assertEqual(
            header[:6], ["Kode", "Desa/kelurahan", "Jenis", "Kecamatan", "Level resmi", "Sejak"]
        )
        self.assertEqual(len(rows), 3)
        level = header.index("Level resmi")
        self.assertEqual([row[level] for row in rows], ["Mandiri"] * 3)
        self.assertEqual([row[0] for row in rows][0], "63.01.04.2001")

    def test_exports_hold_every_filtered_row_not_just_one_page(self):
        self.assertEqual(len(csv_rows(self.client.get("/kampung/?_export=csv"))), 135)
        # The download link on page 3 carries page=3; the file still has all rows.
        self.assertEqual(len(csv_rows(self.client.get("/kampung/?page=3&_export=csv"))), 135)
        _, rows = xlsx_rows(self.client.get("/kampung/?_export=xlsx"))
        self.assertEqual(len(rows), 135)
        dasar = csv_rows(self.client.get("/kampung/?official_level=dasar&_export=csv"))
        self.assertEqual(len(dasar), 93)

    def test_export_follows_the_search_and_sort_on_screen(self):
        rows = csv_rows(self.client.get("/kampung/?sort=-official_level&_export=csv"))
        self.assertEqual([row["Level resmi"] for row in rows[:14]], ["Paripurna"] * 14)
        rows = csv_rows(self.client.get("/kampung/?q=asam+asam&_export=csv"))
        self.assertEqual([row["Desa/kelurahan"] for row in rows], ["Asam-Asam", "Muara Asam-Asam"])


class KampungDetailTests(PeopleTestCase):
    def test_anonymous_is_sent_to_login(self):
        url = f"/kampung/{KAMPUNG_A}/"
        response = self.client.get(url)
        self.assertRedirects(response, f"/masuk/?next={url}", fetch_redirect_response=False)

    def test_shows_region_and_official_level(self):
        self.client.force_login(self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Kampung KB Tabanio</h1>", html=True)
        self.assertContains(response, "<dt>Kode</dt><dd>63.01.01.2002</dd>", html=True)
        self.assertContains(response, "<dt>Desa</dt><dd>Tabanio</dd>", html=True)
        self.assertContains(response, "<dt>Kecamatan</dt><dd>Takisung (63.01.01)</dd>", html=True)
        self.assertContains(
            response, "<dt>Kabupaten/kota</dt><dd>Kabupaten Tanah Laut</dd>", html=True
        )
        self.assertContains(response, "<dt>Provinsi</dt><dd>Kalimantan Selatan</dd>", html=True)
        self.assertRegex(
            response.content.decode(),
            r'data-testid="official-level"><span class="badge"[^>]*>Berkembang</span>'
            r" sejak 31 Juli 2025",
        )

    def test_history_starts_with_the_baseline(self):
        self.client.force_login(self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(response, "Riwayat level")
        self.assertContains(
            response,
            "<tr><td>31 Jul 2025</td><td>—</td><td>Berkembang</td><td>Data awal</td>"
            "<td>Sistem</td><td>Data demo ilustratif: hanya total kabupaten per 31 Juli 2025 "
            "yang dipublikasikan.</td></tr>",
            html=True,
        )

    def test_a_new_level_change_appears_first_with_its_note_and_author(self):
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode=KAMPUNG_A),
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 2),
            source=LevelChange.Source.VERIFICATION,
            by=self.staf,
            note="Sepuluh dari dua belas indikator terpenuhi.",
        )
        self.client.force_login(self.pokja_a)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        html = response.content.decode()
        self.assertRegex(
            html,
            r'data-testid="official-level"><span class="badge"[^>]*>Mandiri</span>'
            r" sejak 2 Maret 2026",
        )
        new_row = (
            "<tr><td>2 Mar 2026</td><td>Berkembang</td><td>Mandiri</td><td>Verifikasi</td>"
            "<td>staf</td><td>Sepuluh dari dua belas indikator terpenuhi.</td></tr>"
        )
        self.assertContains(response, new_row, html=True)
        self.assertLess(html.index("2 Mar 2026"), html.index("31 Jul 2025</td>"))

    def test_pokja_reviewer_and_staff_of_the_kabupaten_can_read_any_of_its_kampung(self):
        for user in (self.staf, self.pokja_a, self.pokja_b, self.peninjau):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(f"/kampung/{KAMPUNG_A}/").status_code, 200)

    def test_unknown_code_is_404(self):
        self.client.force_login(self.staf)
        self.assertEqual(self.client.get("/kampung/63.01.01.9999/").status_code, 404)
        self.assertEqual(self.client.get("/kampung/tabanio/").status_code, 404)

    def test_kampung_of_another_kabupaten_is_404(self):
        self.client.force_login(self.staf_lain)
        self.assertEqual(self.client.get(f"/kampung/{KAMPUNG_A}/").status_code, 404)
        self.client.force_login(self.staf)
        self.assertEqual(self.client.get(f"/kampung/{KAMPUNG_LAIN_KABUPATEN}/").status_code, 404)


class KampungQueryCountTests(PeopleTestCase):
    def test_list_query_count_is_pinned_whatever_the_total(self):
        self.client.force_login(self.staf)
        with self.assertNumQueries(LIST_QUERIES):
            first = self.client.get("/kampung/")
        with self.assertNumQueries(LIST_QUERIES):
            third = self.client.get("/kampung/?page=3&sort=-official_level")
        self.assertEqual((len(table_rows(first)), len(table_rows(third))), (50, 35))
        self.client.force_login(self.staf_lain)
        with self.assertNumQueries(LIST_QUERIES):
            other = self.client.get("/kampung/")
        self.assertEqual((shown_count(first), shown_count(other)), (135, 202))
        self.assertEqual(len(table_rows(other)), 50)

    def test_detail_query_count_is_pinned_whatever_the_history(self):
        self.client.force_login(self.staf)
        with self.assertNumQueries(DETAIL_QUERIES):
            self.client.get(f"/kampung/{KAMPUNG_A}/")
        kampung = Kampung.objects.get(desa_kode=KAMPUNG_A)
        for day, code in ((1, "mandiri"), (2, "paripurna"), (3, "mandiri")):
            kampung_set_level(
                kampung=kampung,
                level=ClassificationLevel.objects.get(code=code),
                effective_date=datetime.date(2026, 4, day),
                source=LevelChange.Source.CORRECTION,
                by=self.staf,
            )
        with self.assertNumQueries(DETAIL_QUERIES):
            response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(response, "<td>staf</td>", count=3)


class LevelBadgeSnippetTests(SimpleTestCase):
    """``_snippets/level_badge.html``: the one markup every page's level badge comes from."""

    LEVEL = ClassificationLevel(code="mandiri", rank=3, label="Mandiri", colour="#1b9e77")

    def render(self, **context) -> str:
        with translation.override("id"):
            return render_to_string("_snippets/level_badge.html", context)

    def test_official_and_estimated_badges(self):
        self.assertEqual(
            self.render(level=self.LEVEL),
            '<span class="badge" style="--level-colour: #1b9e77">Mandiri</span>',
        )
        self.assertEqual(
            self.render(level=self.LEVEL, estimate=True),
            '<span class="badge badge-estimate" style="--level-colour: #1b9e77">Mandiri</span>',
        )

    def test_no_level(self):
        self.assertEqual(self.render(level=None), "Belum ditetapkan")
        self.assertEqual(self.render(level=None, estimate=True), "—")
        self.assertEqual(
            self.render(level=None, estimate=True, fallback="Dasar"),
            '<span class="badge badge-estimate" style="--level-colour: #52606d">Dasar</span>',
        )

    def test_since_follows_an_official_level_only(self):
        since = datetime.date(2025, 7, 31)
        self.assertEqual(
            self.render(level=self.LEVEL, since=since),
            '<span class="badge" style="--level-colour: #1b9e77">Mandiri</span> sejak 31 Juli 2025',
        )
        self.assertEqual(self.render(level=None, since=since), "Belum ditetapkan")

    def test_no_page_template_writes_its_own_badge(self):
        templates = Path(settings.BASE_DIR) / "templates"
        own = [
            path.name
            for path in templates.rglob("*.html")
            if path.name != "level_badge.html" and 'class="badge' in path.read_text()
        ]
        self.assertEqual(own, [])
