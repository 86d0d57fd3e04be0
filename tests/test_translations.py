"""The translation catalogs: English complete and in step with the sources, compiled for the
tests (``make messages``), Indonesian by default, English when the language cookie asks for it."""

import contextlib
import csv
import io
import os
import re
import shutil
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import polib
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from classification import charts
from classification.models import ClassificationLevel
from classification.rules.inputs import KampungInputs
from classification.rules.numbers import format_decimal
from classification.rules.plans import missing_for_next_level, next_level_plan
from classification.selectors.dashboard import district_summary
from tests.base import TANAH_LAUT, PeopleTestCase
from tests.import_files import GOOD_LEVEL_ROWS, LEVEL_HEADER
from tests.test_levels import BERKEMBANG, DASAR
from tests.test_views_imports import ImportViewTestCase

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
        summary = district_summary(kabupaten_kode=TANAH_LAUT, levels=levels)
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


class PlanLanguageTests(SimpleTestCase):
    """The "what is missing" plan is written in the active language, numbers included."""

    def test_plan_in_english(self):
        with translation.override("en"):
            texts = missing_for_next_level(DASAR)
        self.assertEqual(
            texts[0], "To reach Berkembang: the Input and Process indices must be at least 3.00"
        )
        self.assertIn("Input 2.60 → 2 more points needed for the index to reach 3.00", texts)
        self.assertIn("I1 Pokja (score 3 → 4): Train the Pokja members", texts)
        self.assertIn(
            "I2 Funding sources (score 2 → 3): Add 1 more funding source, choose from: APBN, "
            "APBD, Donations/grants, CSR or Self-funded (swadaya) (now 1 of 6)",
            texts,
        )
        self.assertIn(
            "I3 Poktan (score 3 → 4): Form the poktan UPPKA and PIK-R (now 3 of 5)", texts
        )
        self.assertIn(
            "P3 Cross-sector cooperation (score 3 → 4): Involve 2 more cross-sector agencies in "
            "activities (now 5, at least 7 needed; the family planning office/BKKBN does not "
            "count)",
            texts,
        )

    def test_output_plan_in_english_with_english_thousands(self):
        inputs = replace(BERKEMBANG, pus=40_000, users_pil=8_000)
        with translation.override("en"):
            texts = missing_for_next_level(inputs)
        self.assertEqual(texts[0], "To reach Paripurna: the Output index must be at least 3.00")
        self.assertIn(
            "O2 CPR (score 1 → 2): Raise CPR from 20% to at least 30%: add 3,728 active "
            "contraceptive users, preferably IUD/implant (now 8,072 of 40,000 PUS using "
            "contraception)",
            texts,
        )

    def test_later_steps_quote_the_figures_after_the_earlier_ones_in_either_language(self):
        def p1_texts():
            proses = next(g for g in next_level_plan(KampungInputs()).groups if g.group == "proses")
            return [s.text for s in proses.suggestions if s.indicator == "p1"]

        self.assertTrue(p1_texts()[1].endswith("(setelah langkah sebelumnya: 1 dari 5)"))
        with translation.override("en"):
            first, later = p1_texts()
        self.assertTrue(first.endswith("(now 0 of 5)"), first)
        self.assertEqual(
            later,
            "P1 Planning data sources (score 2 → 3): Use 1 more data source in planning, choose "
            "from: BKKBN routine data, Village Potential (Potensi Desa) data, sectoral data or "
            "other data sources (after the previous steps: 1 of 5)",
        )

    def test_missing_figures_are_named_in_english(self):
        inputs = replace(BERKEMBANG, pus=None)
        with translation.override("en"):
            texts = missing_for_next_level(inputs)
        self.assertIn("O2 CPR: fill in the number of PUS so that CPR can be computed", texts)

    def test_decimals_follow_the_language(self):
        self.assertEqual(format_decimal(Decimal("2.6")), "2,60")
        with translation.override("en"):
            self.assertEqual(format_decimal(Decimal("2.6")), "2.60")


class MessageLanguageTests(ImportViewTestCase):
    def test_import_success_message_in_english_counts_in_the_singular(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.addCleanup(translation.deactivate)
        self.client.force_login(self.staf)
        self.upload(self.write_csv([LEVEL_HEADER, GOOD_LEVEL_ROWS[1]]))
        response = self.apply()
        self.assertEqual(self.messages(response), ["1 level change applied."])

    def test_import_success_message_in_english_counts_in_the_plural(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.addCleanup(translation.deactivate)
        self.client.force_login(self.staf)
        self.upload(self.write_csv(GOOD_LEVEL_ROWS))
        response = self.apply()
        self.assertEqual(self.messages(response), ["3 level changes applied."])


class ExportLanguageTests(PeopleTestCase):
    def test_csv_headers_in_english_and_the_file_name_stays_indonesian(self):
        self.client.force_login(self.staf)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.addCleanup(translation.deactivate)
        response = self.client.get("/kampung/?official_level=mandiri&_export=csv")
        self.assertEqual(response.status_code, 200)
        # File names stay the same in every language (scripts and shared links rely on them).
        self.assertRegex(
            response["Content-Disposition"], r'filename="kampung-kb-\d{4}-\d\d-\d\d\.csv"'
        )
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            header[:6], ["Code", "Village", "Type", "Subdistrict", "Official level", "Since"]
        )


class ApiSchemaLanguageTests(SimpleTestCase):
    def test_schema_descriptions_follow_the_language(self):
        from drf_spectacular.generators import SchemaGenerator

        with translation.override("en"):
            schema = SchemaGenerator().get_schema(request=None, public=True)
        self.assertEqual(
            schema["info"]["description"],
            "Read-only Kampung KB data: regency summary, kampung list and kampung detail.",
        )
        detail = schema["paths"]["/api/v1/kampung/{kode}/"]["get"]
        self.assertEqual(detail["summary"], "Kampung detail")
        self.assertEqual(
            detail["responses"]["404"]["description"],
            "Does not exist, or is outside the user's scope.",
        )
