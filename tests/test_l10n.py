"""Locale-aware output: pagination words and numbers."""

import django_tables2 as tables
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase
from django.utils import translation
from django_tables2 import RequestConfig

from tests.base import PeopleTestCase


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
