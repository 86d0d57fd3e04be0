"""The translation catalogs: English complete and in step with the sources, compiled for the
tests (``make messages``), Indonesian by default, English when the language cookie asks for it."""

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import polib
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from classification import charts
from classification.models import ClassificationLevel
from classification.selectors import dashboard as selectors
from tests.base import TANAH_LAUT, PeopleTestCase

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("id", "en")}
# The README's command line: `manage.py makemessages -l id -l en` with these options.
MAKEMESSAGES_OPTIONS = {
    "ignore_patterns": [".venv", "staticfiles", "tests", "bench", "node_modules"],
    "add_location": "file",
    "no_obsolete": True,
}
# What makemessages reads (its default extensions), and what it never walks into.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
NOT_SOURCES = {"locale", "media"}
# Format placeholders, and the HTML tags a blocktranslate may hold ("<nama desa>" is text).
PLACEHOLDER = re.compile(
    r"%\([a-z_]+\)[sd]|%%|%[sd]|\{[a-z_]*\}|</?(?:a|abbr|b|br|code|em|i|small|span|strong)\b[^>]*>"
)


def copy_sources(base: Path, into: Path) -> None:
    """The files makemessages reads, from the directories it walks."""
    ignored = {*MAKEMESSAGES_OPTIONS["ignore_patterns"], *NOT_SOURCES}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [name for name in dirnames if name not in ignored and name[0] != "."]
        target = into / Path(dirpath).relative_to(base)
        for name in filenames:
            if Path(name).suffix in SOURCE_SUFFIXES:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(dirpath) / name, target / name)


def entries(lang: str) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(CATALOGS[lang])) if not entry.obsolete]


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def describe(entry: polib.POEntry) -> str:
    where = ", ".join(sorted({path for path, _line in entry.occurrences}))
    return f"{entry.msgid!r} ({where})"


class CatalogTests(SimpleTestCase):
    def test_english_catalog_translates_every_entry(self):
        untranslated = [
            describe(entry)
            for entry in entries("en")
            if not (
                all(entry.msgstr_plural.get(form) for form in (0, 1))
                if entry.msgid_plural
                else entry.msgstr
            )
        ]
        self.assertEqual(untranslated, [], "translate these in locale/en/LC_MESSAGES/django.po")

    def test_no_catalog_has_fuzzy_entries(self):
        for lang in CATALOGS:
            with self.subTest(lang=lang):
                catalog = polib.pofile(str(CATALOGS[lang]))
                self.assertFalse(catalog.metadata_is_fuzzy, "the header is marked fuzzy")
                fuzzy = [describe(entry) for entry in catalog.fuzzy_entries()]
                self.assertEqual(fuzzy, [], "check these, then drop their '#, fuzzy' line")

    def test_english_keeps_every_placeholder_and_tag(self):
        def tokens(text: str) -> list[str]:
            return sorted(PLACEHOLDER.findall(text))

        mismatched = []
        for entry in entries("en"):
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                pairs = [(entry.msgid, entry.msgstr_plural[0])]
                pairs += [(entry.msgid_plural, entry.msgstr_plural[1])]
            mismatched += [
                (source, tokens(source), tokens(english))
                for source, english in pairs
                if tokens(source) != tokens(english)
            ]
        self.assertEqual(mismatched, [])

    def test_indonesian_catalog_translates_only_the_pinned_django_messages(self):
        # Its msgids are the Indonesian text already; only Django's own (English) msgids pinned
        # in kampungkb/catalog_pins.py get an Indonesian wording.
        translated = {entry.msgid: entry.msgstr for entry in entries("id") if entry.translated()}
        self.assertEqual(translated, {"This field is required.": "Bidang ini harus diisi."})

    def test_catalogs_hold_exactly_the_messages_of_the_sources(self):
        """makemessages, run on a copy of the sources, finds the messages the catalogs have."""
        if shutil.which("xgettext") is None:
            self.fail("makemessages needs GNU gettext: `make messages` installs it")
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            copy_sources(Path(settings.BASE_DIR), root)
            with override_settings(LOCALE_PATHS=[root / "locale"]), contextlib.chdir(root):
                call_command(
                    "makemessages",
                    locale=["en"],
                    keep_pot=True,
                    verbosity=0,
                    **MAKEMESSAGES_OPTIONS,
                )
            found = {key(entry) for entry in polib.pofile(str(root / "locale" / "django.pot"))}
        self.assertGreater(len(found), 500)
        for lang in CATALOGS:
            with self.subTest(lang=lang):
                catalog = {key(entry) for entry in entries(lang)}
                self.assertEqual(
                    (sorted(found - catalog, key=str), sorted(catalog - found, key=str)),
                    ([], []),
                    "(new in the sources, gone from the sources): run makemessages as the README "
                    "says, then translate the new English entries",
                )

    def test_compiled_catalogs_are_current(self):
        for lang, po in CATALOGS.items():
            with self.subTest(lang=lang):
                mo = po.with_suffix(".mo")
                self.assertTrue(mo.exists(), f"{mo} is missing: run `make messages`")
                self.assertGreaterEqual(
                    mo.stat().st_mtime, po.stat().st_mtime, f"{mo} is stale: run `make messages`"
                )


class LanguageTests(SimpleTestCase):
    def test_indonesian_is_the_default_language(self):
        self.assertEqual(settings.LANGUAGE_CODE, "id")
        self.assertEqual(translation.get_language(), "id")
        self.assertEqual(translation.gettext("Sebaran level"), "Sebaran level")

    def test_required_message_is_pinned_in_both_languages(self):
        required = forms.Field.default_error_messages["required"]
        self.assertEqual(str(required), "Bidang ini harus diisi.")
        with translation.override("en"):
            self.assertEqual(str(required), "This field is required.")

    def test_plural_forms_in_english(self):
        with translation.override("en"):
            one = translation.ngettext("%(count)s kegiatan", "%(count)s kegiatan", 1)
            many = translation.ngettext("%(count)s kegiatan", "%(count)s kegiatan", 2)
        self.assertEqual((one, many), ("%(count)s activity", "%(count)s activities"))


class ChartLanguageTests(PeopleTestCase):
    def figure(self):
        levels = list(ClassificationLevel.objects.order_by("rank"))
        summary = selectors.district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
        return charts.level_distribution(summary)

    def test_charts_are_translated_when_drawn(self):
        figure = self.figure()
        self.assertEqual(figure["layout"]["yaxis"]["title"]["text"], "Jumlah kampung")
        self.assertEqual(figure["layout"]["separators"], ",.")
        self.assertEqual(figure["data"][0]["text"][0], "93 (68,9%)")
        with translation.override("en"):
            figure = self.figure()
        self.assertEqual(figure["layout"]["yaxis"]["title"]["text"], "Number of kampung")
        self.assertEqual(figure["layout"]["separators"], ".,")
        self.assertEqual(figure["data"][0]["text"][0], "93 (68.9%)")
        self.assertTrue(figure["data"][0]["hovertemplate"].startswith("%{x}: %{y} kampung"))


class PageLanguageTests(PeopleTestCase):
    def use_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        # LocaleMiddleware leaves the request's language active in this thread after the
        # response: later tests that call services directly must not inherit English.
        self.addCleanup(translation.deactivate)

    def test_login_page_is_indonesian_by_default_and_english_on_request(self):
        response = self.client.get("/masuk/")
        self.assertContains(response, "<h1>Masuk</h1>", html=True)
        self.use_english()
        response = self.client.get("/masuk/")
        self.assertContains(response, "<h1>Log in</h1>", html=True)
        self.assertContains(response, '<button type="submit">Log in</button>', html=True)
        self.assertNotContains(response, "Masuk")

    def test_login_errors_follow_the_language(self):
        response = self.client.post("/masuk/", {"username": "", "password": ""})
        self.assertContains(response, "Bidang ini harus diisi.", count=2)
        self.use_english()
        response = self.client.post("/masuk/", {"username": "staf", "password": "salah"})
        self.assertContains(
            response, "Wrong username or password. Note that upper and lower case letters differ."
        )
        response = self.client.post("/masuk/", {"username": "", "password": ""})
        self.assertContains(response, "This field is required.", count=2)

    def test_dashboard_in_english(self):
        self.client.force_login(self.staf)
        response = self.client.get("/")
        self.assertContains(response, "Sebaran level")
        self.assertContains(response, "Kampung KB di 11 kecamatan")
        self.use_english()
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        for english in (
            "Level distribution",
            "Kampung KB in 11 subdistricts",
            "Mandiri or above (12.6%)",
            "Levels by subdistrict",
            "Map of official levels",
        ):
            self.assertContains(response, english)
        for indonesian in ("Sebaran level", "Kampung KB di 11 kecamatan", "Peta level resmi"):
            self.assertNotContains(response, indonesian)

    def test_kampung_list_in_english(self):
        self.client.force_login(self.staf)
        self.use_english()
        response = self.client.get("/kampung/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kampung KB list")
        self.assertContains(response, "135 kampung")
        for header in ("Code", "Village", "Subdistrict", "Official level", "Estimated level"):
            self.assertContains(response, f">{header}<")
