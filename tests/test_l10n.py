"""Locale-aware output: pagination words, numbers, and plotly.js's locale on the chart pages."""

import re
from pathlib import Path

import django_tables2 as tables
import plotly
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase
from django.utils import translation
from django_tables2 import RequestConfig

from tests.base import PeopleTestCase

SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]*)"')
LOCALES = Path(settings.BASE_DIR) / "static" / "vendor" / "chart-locales"


class NumberTable(tables.Table):
    """A table on DJANGO_TABLES2_TEMPLATE, as PokjaAccountTable is (no template_name of its own)."""

    number = tables.Column()


class TablePaginationTests(SimpleTestCase):
    def render(self, page):
        request = RequestFactory().get("/", {"page": page, "q": "x"})
        table = NumberTable([{"number": n} for n in range(1, 31)])
        RequestConfig(request, paginate={"per_page": 10}).configure(table)
        return table.as_html(request)

    def test_default_table_template_is_the_sites(self):
        self.assertEqual(settings.DJANGO_TABLES2_TEMPLATE, "_snippets/table.html")

    def test_pagination_in_the_sites_words_not_django_tables2_english(self):
        html = self.render(2)
        self.assertIn('<nav aria-label="Halaman">', html)
        self.assertIn('<a href="?page=1&amp;q=x" rel="prev">‹ Sebelumnya</a>', html)
        self.assertIn('<a href="?page=3&amp;q=x" rel="next">Berikutnya ›</a>', html)
        self.assertIn('<li class="active"><span aria-current="page">2</span></li>', html)
        for english in ("previous", "next</", "Table navigation", "&laquo;", "&raquo;"):
            self.assertNotIn(english, html)

    def test_first_and_last_page_have_one_direction(self):
        self.assertNotIn("Sebelumnya", self.render(1))
        self.assertNotIn("Berikutnya", self.render(3))


class KampungTablePaginationTests(PeopleTestCase):
    def test_kampung_list_pages_in_the_sites_words(self):
        self.client.force_login(self.staf)
        response = self.client.get("/kampung/", {"page": 2})
        self.assertContains(response, 'rel="prev">‹ Sebelumnya</a>')
        self.assertContains(response, 'rel="next">Berikutnya ›</a>')
        self.assertContains(response, '<span aria-current="page">2</span>')
        self.assertNotContains(response, "Table navigation")


class NumberFormatTests(SimpleTestCase):
    def render(self, template, language, **context):
        with translation.override(language):
            return Template(template).render(Context(context))

    def test_counts_with_intcomma_follow_the_language(self):
        template = "{% load humanize %}{{ n|intcomma }}"
        self.assertEqual(self.render(template, "id", n=83762), "83.762")
        self.assertEqual(self.render(template, "en", n=83762), "83,762")

    def test_decimals_follow_the_language(self):
        self.assertEqual(self.render("{{ x|floatformat:1 }}", "id", x=68.89), "68,9")
        self.assertEqual(self.render("{{ x|floatformat:1 }}", "en", x=68.89), "68.9")

    def test_years_and_ids_print_plain(self):
        # USE_THOUSAND_SEPARATOR stays off: "Tahun 2026", "?program=1234".
        self.assertEqual(self.render("{{ year }} {{ pk }}", "id", year=2026, pk=1234), "2026 1234")


class ChartLocaleTests(PeopleTestCase):
    def scripts(self, url):
        return SCRIPT_SRC.findall(self.client.get(url).content.decode())

    def test_chart_pages_load_the_indonesian_locale_after_plotly(self):
        self.client.force_login(self.staf)
        for url in ("/", "/publik/", "/target/", "/laporan/"):
            with self.subTest(url=url):
                sources = self.scripts(url)
                names = [re.sub(r"\.[0-9a-f]{12}\.js$", ".js", src) for src in sources]
                self.assertEqual(
                    names,
                    [
                        "/static/js/site.js",
                        "/static/vendor/plotly.min.js",
                        "/static/vendor/chart-locales/id.js",
                        "/static/js/chart-locale.js",
                    ],
                )

    def test_english_pages_need_no_locale_file(self):
        # LocaleMiddleware leaves English active in this thread after the response.
        self.addCleanup(translation.deactivate)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/publik/"})
        names = [re.sub(r"\.[0-9a-f]{12}\.js$", ".js", src) for src in self.scripts("/publik/")]
        self.assertEqual(
            names,
            ["/static/js/site.js", "/static/vendor/plotly.min.js", "/static/js/chart-locale.js"],
        )

    def test_locale_script_makes_the_page_language_every_charts_locale(self):
        script = Path(finders.find("js/chart-locale.js")).read_text()
        self.assertIn("Plotly.setPlotConfig({ locale: document.documentElement.lang", script)


class VendoredLocaleTests(SimpleTestCase):
    def test_locale_is_from_the_plotly_js_version_that_is_served(self):
        served = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        with served.open() as file:
            header = file.read(200)
        served_version = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header).group(1)
        readme = (LOCALES / "README.md").read_text()
        vendored_version = re.search(r"`plotly\.js` \*\*(\d+\.\d+\.\d+)\*\*", readme).group(1)
        self.assertEqual(vendored_version, served_version)

    def test_locale_file_registers_id_and_carries_its_licence(self):
        locale = (LOCALES / "id.js").read_text()
        self.assertIn('name:"id"', locale)
        self.assertIn('"Januari","Februari"', locale)
        self.assertIn("Plotly.register(locale)", locale)
        self.assertTrue((LOCALES / "LICENSE").read_text().startswith("MIT License"))
