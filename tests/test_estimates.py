"""The estimated level on the Django side: rule inputs from the records, the stored estimate kept
in step by the services, and where it shows (kampung page, table, dashboard).

The estimate is advice (domain.md §2): nothing here may move the official level.
"""

import datetime
import re
from decimal import Decimal

from django.test import TestCase

from classification import charts
from classification.models import (
    Activity,
    Agency,
    ClassificationLevel,
    Kampung,
    KampungFigures,
    KampungProfile,
    KampungProgram,
    LevelChange,
    ThematicProgram,
)
from classification.rules.assessment import Assessment, assess
from classification.rules.levels import Level
from classification.rules.scoring import (
    cpr_percent,
    mkjp_percent,
    participation_percent,
    score_indicators,
    unmet_need_percent,
)
from classification.selectors.dashboard import program_counts_by_level
from classification.selectors.kampung import level_history
from classification.selectors.levels import level_list
from classification.selectors.records import (
    cross_sector_agency_count,
    inputs_from_records,
    latest_figures,
    latest_profile,
)
from classification.services.levels import kampung_set_level
from classification.services.records import (
    activity_delete,
    activity_save,
    figures_create,
    kampung_program_save,
    kampung_refresh_estimate,
    profile_create,
)
from tests.base import KAMPUNG_A, KAMPUNG_B, KAMPUNG_LAIN_KABUPATEN, PeopleTestCase
from tests.test_views_kampung import shown_count, table_rows

KB_OFFICE = "OPD KB (Dinas Pengendalian Penduduk dan KB)"
BKKBN = "BKKBN / Perwakilan BKKBN Provinsi"

# Input: I1 4 (Pokja, members, trained), I2 4 (5 sources), I3 4 (5 poktan), I4 3 (both sarana),
# I5 3 (pendamping and regulation) → 18 ÷ 5 = 3.60, met.
# Proses without agencies: P1 3 (2 data sources), P2 3 (3 mechanisms), P3 1 → 7 ÷ 3 = 2.33.
STRONG_PROFILE = {
    "pokja_exists": True,
    "pokja_members": 11,
    "pokja_members_trained": 5,
    "funding_sources": ["apbn", "apbd", "dana_desa", "csr", "swadaya"],
    "poktan_present": ["bkb", "bkr", "bkl", "uppka", "pikr"],
    "has_sekretariat": True,
    "has_rumah_dataku": True,
    "has_pendamping": True,
    "has_regulation": True,
    "data_sources": ["pk", "potensi_desa"],
    "mechanisms": {
        "rapat_perencanaan": "tahunan",
        "rakor_opd": "tidak",
        "sosialisasi": "bulanan",
        "monev": "triwulanan",
        "laporan": "tidak",
    },
}
# Output: O1 4 (poktan 50, 40, 25, 25, 25 → 33%), O2 4 (CPR 55%), O3 4 (MKJP 15 ÷ 55 = 27%),
# O4 3 (unmet need 9 ÷ 100 = 9%) → 15 ÷ 4 = 3.75, met.
STRONG_FIGURES = {
    "period": datetime.date(2026, 2, 1),
    "families": 200,
    "pus": 100,
    "remaja": 80,
    "families_with_balita": 60,
    "families_with_remaja": 50,
    "families_with_lansia": 40,
    "participants_bkb": 30,
    "participants_bkr": 20,
    "participants_bkl": 10,
    "participants_uppka": 50,
    "participants_pikr": 20,
    "users_iud": 10,
    "users_implan": 5,
    "users_suntik": 25,
    "users_pil": 15,
    "not_using_hamil": 20,
    "not_using_ingin_anak_segera": 16,
    "not_using_ingin_anak_tunda": 5,
    "not_using_tidak_ingin_anak_lagi": 4,
}


# Every count of a month's figures the rule reads (domain.md §3): target groups, participants
# per poktan, users per method, PUS not using per reason.
FIGURE_COUNTS = (
    "families",
    "pus",
    "remaja",
    "families_with_balita",
    "families_with_remaja",
    "families_with_lansia",
    "participants_bkb",
    "participants_bkr",
    "participants_bkl",
    "participants_uppka",
    "participants_pikr",
    "users_iud",
    "users_mow",
    "users_mop",
    "users_kondom",
    "users_implan",
    "users_suntik",
    "users_pil",
    "not_using_hamil",
    "not_using_ingin_anak_segera",
    "not_using_ingin_anak_tunda",
    "not_using_tidak_ingin_anak_lagi",
)


def estimate_row(kampung: Kampung) -> tuple:
    return (
        Kampung.objects.filter(pk=kampung.pk)
        .values_list(
            "estimated_level_id", "estimated_input", "estimated_proses", "estimated_output"
        )
        .get()
    )


def rule_on_records(kampung: Kampung) -> Assessment:
    """The rule applied afresh to what is stored: what the stored estimate must equal."""
    return assess(
        inputs_from_records(
            latest_profile(kampung=kampung),
            latest_figures(kampung=kampung),
            cross_sector_agency_count(kampung=kampung),
        )
    )


class InputsFromRecordsTests(TestCase):
    def test_profile_answers_become_the_rule_inputs(self):
        profile = KampungProfile(**STRONG_PROFILE)
        inputs = inputs_from_records(profile, None, 3)
        self.assertIs(inputs.pokja_exists, True)
        self.assertIs(inputs.pokja_has_members, True)
        self.assertIs(inputs.pokja_members_trained, True)
        self.assertEqual(inputs.funding_sources, {"apbn", "apbd", "dana_desa", "csr", "swadaya"})
        self.assertEqual(len(inputs.poktan_present), 5)
        self.assertIs(inputs.has_sekretariat, True)
        self.assertIs(inputs.has_rumah_dataku, True)
        self.assertIs(inputs.has_pendamping, True)
        self.assertIs(inputs.has_regulation, True)
        self.assertEqual(inputs.data_sources, {"pk", "potensi_desa"})
        # Mechanisms marked "tidak" are not held.
        self.assertEqual(inputs.mechanisms, {"rapat_perencanaan", "sosialisasi", "monev"})
        self.assertEqual(inputs.cross_sector_agencies, 3)
        scores = score_indicators(inputs)
        self.assertEqual((scores.i1, scores.i2, scores.i3, scores.i4, scores.i5), (4, 4, 4, 3, 3))
        self.assertEqual((scores.p1, scores.p2, scores.p3), (3, 3, 2))

    def test_member_counts_become_yes_or_no(self):
        profile = KampungProfile(pokja_exists=True, pokja_members=12, pokja_members_trained=0)
        inputs = inputs_from_records(profile, None, 0)
        self.assertEqual(
            (inputs.pokja_exists, inputs.pokja_has_members, inputs.pokja_members_trained),
            (True, True, False),
        )
        self.assertEqual(score_indicators(inputs).i1, 3)
        inputs = inputs_from_records(KampungProfile(pokja_exists=True), None, 0)
        self.assertEqual(score_indicators(inputs).i1, 2)  # Pokja only

    def test_figures_become_the_rule_inputs_field_by_field(self):
        figures = KampungFigures(**STRONG_FIGURES)
        inputs = inputs_from_records(None, figures, 0)
        for name in FIGURE_COUNTS:
            with self.subTest(field=name):
                self.assertEqual(getattr(inputs, name), getattr(figures, name))
        self.assertEqual(inputs.pus, 100)
        self.assertEqual(inputs.users_mow, 0)  # a zero is a count, not missing
        self.assertEqual(cpr_percent(inputs), 55)
        self.assertEqual(mkjp_percent(inputs), 27)
        self.assertEqual(unmet_need_percent(inputs), 9)
        self.assertEqual(participation_percent(inputs), 33)

    def test_missing_profile_leaves_its_answers_unknown_and_they_score_1(self):
        inputs = inputs_from_records(None, KampungFigures(**STRONG_FIGURES), 0)
        for name in (
            "pokja_exists",
            "pokja_has_members",
            "pokja_members_trained",
            "has_sekretariat",
            "has_rumah_dataku",
            "has_pendamping",
            "has_regulation",
        ):
            with self.subTest(field=name):
                self.assertIsNone(getattr(inputs, name))
        self.assertEqual(inputs.funding_sources, frozenset())
        scores = score_indicators(inputs)
        self.assertEqual(scores.group("input"), (1, 1, 1, 1, 1))
        self.assertEqual(scores.group("proses"), (1, 1, 1))
        self.assertEqual(scores.group("output"), (4, 4, 4, 3))

    def test_missing_figures_leave_every_count_unknown_and_output_scores_1(self):
        inputs = inputs_from_records(KampungProfile(**STRONG_PROFILE), None, 0)
        for name in FIGURE_COUNTS:
            with self.subTest(field=name):
                self.assertIsNone(getattr(inputs, name))
        self.assertEqual(score_indicators(inputs).group("output"), (1, 1, 1, 1))

    def test_no_records_at_all_is_dasar_with_every_index_1(self):
        assessment = assess(inputs_from_records(None, None, 0))
        self.assertEqual(assessment.level, Level.DASAR)
        self.assertEqual(
            (assessment.indices.input, assessment.indices.proses, assessment.indices.output),
            (Decimal("1.00"), Decimal("1.00"), Decimal("1.00")),
        )


class StoredEstimateTests(PeopleTestCase):
    """Benua Lawas (official dasar) as its records grow; the stored estimate follows each write."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_B)
        names = [
            "Puskesmas",
            "Dinas Kesehatan",
            "BNN",
            "TP PKK",
            "Dukcapil",
            "Dinas Sosial",
            "Pemerintah Desa",
            KB_OFFICE,
            BKKBN,
        ]
        cls.agency = {agency.name: agency for agency in Agency.objects.filter(name__in=names)}

    def add_activity(self, *agency_names: str, day: int = 1) -> Activity:
        return activity_save(
            activity=Activity(
                kampung=self.kampung,
                date=datetime.date(2026, 3, day),
                title=f"Kegiatan lintas sektor {day}",
                category="lainnya",
            ),
            by=self.pokja_b,
            agencies=[self.agency[name] for name in agency_names],
        )

    def assertEstimate(self, level: str, input_: str, proses: str, output: str):
        self.assertEqual(
            estimate_row(self.kampung),
            (level, Decimal(input_), Decimal(proses), Decimal(output)),
        )
        # ... and it is exactly what the rule makes of the stored records.
        fresh = rule_on_records(self.kampung)
        self.assertEqual(fresh.level.value, level)
        self.assertEqual(
            (fresh.indices.input, fresh.indices.proses, fresh.indices.output),
            (Decimal(input_), Decimal(proses), Decimal(output)),
        )

    def test_no_estimate_is_stored_before_any_record(self):
        self.assertEqual(estimate_row(self.kampung), (None, None, None, None))

    def test_each_write_moves_the_stored_estimate(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        # Input met alone: dasar.
        self.assertEstimate("dasar", "3.60", "2.33", "1.00")

        figures_create(kampung=self.kampung, by=self.pokja_b, **STRONG_FIGURES)
        # Input and Output met: mandiri.
        self.assertEstimate("mandiri", "3.60", "2.33", "3.75")

        activity = self.add_activity("Puskesmas", "Dinas Kesehatan", "BNN", "TP PKK")
        # 4 cross-sector agencies: P3 3 → Proses (3 + 3 + 3) ÷ 3 = 3.00, all met: paripurna.
        self.assertEstimate("paripurna", "3.60", "3.00", "3.75")

        activity_delete(activity=activity, by=self.pokja_b)
        self.assertEstimate("mandiri", "3.60", "2.33", "3.75")

    def test_a_new_profile_version_replaces_the_old_one_in_the_estimate(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        self.assertEstimate("dasar", "3.60", "2.33", "1.00")
        # Pokja without members or training, no funding or poktan, nothing else: all 1s but
        # I1 2 → Input (2 + 1 + 1 + 1 + 1) ÷ 5 = 1.20; mechanisms none → Proses 1.00.
        profile_create(kampung=self.kampung, by=self.pokja_b, pokja_exists=True)
        self.assertEstimate("dasar", "1.20", "1.00", "1.00")
        self.assertEqual(self.kampung.profiles.count(), 2)

    def test_figures_of_an_earlier_month_do_not_replace_the_latest_month(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        figures_create(kampung=self.kampung, by=self.pokja_b, **STRONG_FIGURES)
        self.assertEstimate("mandiri", "3.60", "2.33", "3.75")
        # A late report for January with nothing counted: February stays the latest period.
        figures_create(kampung=self.kampung, by=self.pokja_b, period=datetime.date(2026, 1, 1))
        self.assertEstimate("mandiri", "3.60", "2.33", "3.75")
        # A March report with nothing counted does replace it. Every share has a zero
        # denominator, so is 0%: O1 1, CPR 1, MKJP 1, unmet need 4 → Output 7 ÷ 4 = 1.75.
        figures_create(kampung=self.kampung, by=self.pokja_b, period=datetime.date(2026, 3, 1))
        self.assertEstimate("dasar", "3.60", "2.33", "1.75")

    def test_p3_counts_distinct_cross_sector_agencies_and_not_the_kb_office_or_bkkbn(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        self.add_activity(KB_OFFICE, BKKBN, day=1)
        self.assertEqual(cross_sector_agency_count(kampung=self.kampung), 0)
        self.assertEstimate("dasar", "3.60", "2.33", "1.00")

        self.add_activity("Puskesmas", "Dinas Kesehatan", KB_OFFICE, day=2)
        self.add_activity("Puskesmas", "Dinas Kesehatan", day=3)
        # Two distinct agencies however often they appear: P3 2 → (3 + 3 + 2) ÷ 3 = 2.67.
        self.assertEqual(cross_sector_agency_count(kampung=self.kampung), 2)
        self.assertEstimate("dasar", "3.60", "2.67", "1.00")

        self.add_activity("BNN", "TP PKK", BKKBN, day=4)
        # Four distinct: P3 3 → Proses 3.00; Input and Proses met, Output not: berkembang.
        self.assertEqual(cross_sector_agency_count(kampung=self.kampung), 4)
        self.assertEstimate("berkembang", "3.60", "3.00", "1.00")

    def test_agencies_of_another_kampung_do_not_count(self):
        other = Kampung.objects.get(desa_kode=KAMPUNG_A)
        activity_save(
            activity=Activity(
                kampung=other, date=datetime.date(2026, 3, 1), title="Lain", category="lainnya"
            ),
            by=self.staf,
            agencies=[self.agency["Puskesmas"], self.agency["BNN"]],
        )
        self.assertEqual(cross_sector_agency_count(kampung=self.kampung), 0)
        self.assertEqual(cross_sector_agency_count(kampung=other), 2)

    def test_changing_an_activity_s_agencies_moves_the_estimate(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        activity = self.add_activity("Puskesmas")
        self.assertEstimate("dasar", "3.60", "2.67", "1.00")
        activity.title = "Kegiatan lintas sektor, diperluas"
        activity_save(
            activity=activity,
            by=self.pokja_b,
            agencies=[self.agency[name] for name in ("Puskesmas", "BNN", "TP PKK", "Dukcapil")],
        )
        self.assertEstimate("berkembang", "3.60", "3.00", "1.00")

    def test_an_estimate_above_the_official_level_leaves_the_official_level_alone(self):
        official = Kampung.objects.filter(pk=self.kampung.pk).values(
            "official_level_id", "official_level_since", "version"
        )
        before = official.get()
        changes = LevelChange.objects.count()
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        figures_create(kampung=self.kampung, by=self.pokja_b, **STRONG_FIGURES)
        self.add_activity("Puskesmas", "Dinas Kesehatan", "BNN", "TP PKK")
        self.assertEqual(estimate_row(self.kampung)[0], "paripurna")
        self.assertEqual(before["official_level_id"], "dasar")
        # Official level, its date and the identity version (which guards the identity form)
        # are untouched, and no level change is written.
        self.assertEqual(official.get(), before)
        self.assertEqual(LevelChange.objects.count(), changes)
        self.assertEqual(level_history(kampung=self.kampung)[0].level_to_id, "dasar")

    def test_a_new_official_level_leaves_the_estimate_alone(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        estimate = estimate_row(self.kampung)
        kampung_set_level(
            kampung=self.kampung,
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.VERIFICATION,
            by=self.staf,
        )
        self.assertEqual(estimate_row(self.kampung), estimate)

    def test_refresh_returns_the_assessment_it_stored(self):
        profile_create(kampung=self.kampung, by=self.pokja_b, **STRONG_PROFILE)
        Kampung.objects.filter(pk=self.kampung.pk).update(
            estimated_level=None, estimated_input=None
        )
        assessment = kampung_refresh_estimate(kampung=self.kampung)
        self.assertEqual(assessment.level, Level.DASAR)
        indices = assessment.indices
        self.assertEqual(
            estimate_row(self.kampung), ("dasar", indices.input, indices.proses, indices.output)
        )
        # STRONG_PROFILE alone: Input 3.60, Proses 2.33, no figures: Output 1.00.
        self.assertEqual(
            (indices.input, indices.proses, indices.output),
            (Decimal("3.60"), Decimal("2.33"), Decimal("1.00")),
        )


class KampungPageEstimateTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kampung = Kampung.objects.get(desa_kode=KAMPUNG_B)
        profile_create(kampung=cls.kampung, by=cls.pokja_b, **STRONG_PROFILE)
        figures_create(kampung=cls.kampung, by=cls.pokja_b, **STRONG_FIGURES)

    def test_page_shows_the_estimate_its_indices_with_a_decimal_comma_and_the_official_level(self):
        self.client.force_login(self.pokja_b)
        response = self.client.get(f"/kampung/{KAMPUNG_B}/")
        html = response.content.decode()
        self.assertRegex(html, r'data-testid="estimated-level"><span class="badge[^>]*>Mandiri<')
        self.assertRegex(html, r'data-testid="official-level"><span class="badge"[^>]*>Dasar<')
        for group, index, verdict in (
            ("input", "3,60", "mark-met"),
            ("proses", "2,33", "mark-unmet"),
            ("output", "3,75", "mark-met"),
        ):
            with self.subTest(group=group):
                self.assertRegex(
                    html,
                    rf'data-testid="index-{group}">indeks {index}\s*<span class="mark {verdict}">',
                )
        self.assertNotRegex(html, r'data-testid="index-\w+">indeks \d\.\d\d')

    def test_page_lists_what_is_missing_for_the_next_level(self):
        self.client.force_login(self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_B}/")
        match = re.search(
            r'<ul class="missing-list" data-testid="missing-for-next-level">(.*?)</ul>',
            response.content.decode(),
            re.S,
        )
        self.assertIsNotNone(match, "no 'what is missing' list on the page")
        items = re.findall(r"<li>(.*?)</li>", match.group(1))
        # Mandiri (Input and Output met): only Proses is missing. P1 3 (2 data sources), P2 3
        # (3 mechanisms), P3 1 (no agencies): 7 ÷ 3 = 2.33, 2 points short of 9 ÷ 3 = 3.00. One
        # band on each gives 3 points, enough: P1 needs 4 of 5 sources (2 more of the 3 not
        # used), P2 all 5 mechanisms (the 2 not held), P3 1 agency.
        self.assertEqual(items[0], "Menuju Paripurna: indeks Proses harus mencapai minimal 3,00")
        self.assertEqual(items[1], "Proses 2,33 → perlu 2 poin lagi agar indeks mencapai 3,00")
        self.assertTrue(
            any(item.startswith("P3 Kerja sama lintas sektor (skor 1 → 2)") for item in items),
            items,
        )
        self.assertEqual(
            items,
            [
                "Menuju Paripurna: indeks Proses harus mencapai minimal 3,00",
                "Proses 2,33 → perlu 2 poin lagi agar indeks mencapai 3,00",
                "P1 Sumber data perencanaan (skor 3 → 4): Gunakan 2 sumber data lagi dalam "
                "perencanaan, pilih dari: data rutin BKKBN, data sektoral atau sumber data "
                "lainnya (sekarang 2 dari 5)",
                "P2 Mekanisme operasional (skor 3 → 4): Laksanakan rakor dengan OPD dan "
                "penyusunan laporan (sekarang 3 dari 5)",
                "P3 Kerja sama lintas sektor (skor 1 → 2): Libatkan 1 instansi lintas sektor "
                "dalam kegiatan (sekarang 0, perlu minimal 1; kantor KB/BKKBN tidak dihitung)",
            ],
        )

    def test_kampung_without_records_says_so_and_estimates_dasar(self):
        self.client.force_login(self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(
            response,
            "Profil dan angka belum diisi: indikator yang datanya kosong diberi skor 1.",
        )
        html = response.content.decode()
        self.assertRegex(html, r'data-testid="estimated-level"><span class="badge[^>]*>Dasar<')
        for group in ("input", "proses", "output"):
            self.assertIn(f'data-testid="index-{group}">indeks 1,00', html)


def set_estimates(estimates: dict[str, str | None]) -> None:
    for code, level in estimates.items():
        Kampung.objects.filter(desa_kode=code).update(estimated_level_id=level)


class KampungTableEstimateTests(PeopleTestCase):
    """Official levels from the demo baseline: 2001 dasar, 2002 berkembang, 2003 dasar,
    2004 paripurna, 2005 dasar, 2006 paripurna (all in kecamatan Takisung, 63.01.01)."""

    CANDIDATES = ["63.01.01.2001", "63.01.01.2002", "63.01.01.2003"]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 2003 gets its estimate the real way: strong profile and figures → mandiri.
        kampung = Kampung.objects.get(desa_kode="63.01.01.2003")
        profile_create(kampung=kampung, by=cls.staf, **STRONG_PROFILE)
        figures_create(kampung=kampung, by=cls.staf, **STRONG_FIGURES)
        set_estimates(
            {
                "63.01.01.2001": "berkembang",  # above dasar
                "63.01.01.2002": "mandiri",  # above berkembang
                "63.01.01.2004": "paripurna",  # equal
                "63.01.01.2005": "dasar",  # equal
                "63.01.01.2006": "dasar",  # below paripurna
            }
        )

    def setUp(self):
        self.client.force_login(self.staf)

    def codes(self, query: str) -> list[str]:
        response = self.client.get(f"/kampung/?{query}")
        self.assertEqual(response.status_code, 200)
        rows = table_rows(response)
        self.assertEqual(shown_count(response), len(rows), "all matches fit on one page")
        return [row["Kode"] for row in rows]

    def test_candidates_are_exactly_the_kampung_estimated_above_their_official_level(self):
        self.assertEqual(estimate_row(Kampung.objects.get(desa_kode="63.01.01.2003"))[0], "mandiri")
        response = self.client.get("/kampung/?kandidat=true")
        rows = table_rows(response)
        self.assertEqual([row["Kode"] for row in rows], self.CANDIDATES)
        self.assertEqual(
            [(row["Level resmi"], row["Level estimasi"]) for row in rows],
            [("Dasar", "Berkembang"), ("Berkembang", "Mandiri"), ("Dasar", "Mandiri")],
        )

    def test_non_candidates_are_all_the_others(self):
        response = self.client.get("/kampung/?kandidat=false")
        self.assertEqual(shown_count(response), 135 - 3)
        export = self.client.get("/kampung/?kandidat=false&_export=csv")
        codes = {line.split(",")[0] for line in export.content.decode("utf-8-sig").splitlines()}
        self.assertFalse(codes & set(self.CANDIDATES))
        self.assertIn("63.01.01.2006", codes)

    def test_candidate_filter_follows_a_new_official_level(self):
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode="63.01.01.2002"),
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.VERIFICATION,
            by=self.staf,
        )
        self.assertEqual(self.codes("kandidat=true"), ["63.01.01.2001", "63.01.01.2003"])

    def test_filter_by_estimated_level(self):
        self.assertEqual(self.codes("estimated_level=mandiri"), ["63.01.01.2002", "63.01.01.2003"])
        self.assertEqual(self.codes("estimated_level=dasar"), ["63.01.01.2005", "63.01.01.2006"])

    def test_estimated_level_column_sorts_by_rank(self):
        takisung = Kampung.objects.in_kecamatan("63.01.01").order_by("desa_kode")
        codes = list(takisung.values_list("desa_kode", flat=True))
        # Give every Takisung kampung an estimate, so no empty value takes part in the order.
        cycle = ["paripurna", "dasar", "mandiri", "berkembang"]
        set_estimates({code: cycle[i % 4] for i, code in enumerate(codes)})
        rank = {"dasar": 1, "berkembang": 2, "mandiri": 3, "paripurna": 4}
        by_code = {code: cycle[i % 4] for i, code in enumerate(codes)}

        rows = table_rows(self.client.get("/kampung/?kecamatan=63.01.01&sort=estimated_level"))
        expected = sorted(codes, key=lambda code: (rank[by_code[code]], code))
        self.assertEqual([row["Kode"] for row in rows], expected)
        self.assertEqual(rows[0]["Level estimasi"], "Dasar")
        self.assertEqual(rows[-1]["Level estimasi"], "Paripurna")

        rows = table_rows(self.client.get("/kampung/?kecamatan=63.01.01&sort=-estimated_level"))
        self.assertEqual([row["Kode"] for row in rows], expected[::-1])

    def test_estimated_level_is_in_the_export_as_plain_text(self):
        export = self.client.get("/kampung/?kandidat=true&_export=csv")
        lines = export.content.decode("utf-8-sig").strip().splitlines()
        self.assertIn("Level estimasi", lines[0].split(","))
        self.assertTrue(lines[1].endswith(",Berkembang"), lines[1])


class ProgramFilterAndChartTests(PeopleTestCase):
    """Thematic programme tags of Tanah Laut, by official level (demo baseline):

    - Kampung Bersinar: 2001 dasar (rintisan), 2002 berkembang (aktif), 2004 paripurna (aktif);
      not counted: 2003 dasar (berhenti), 2005 dasar (aktif, kampung inactive), a Kotabaru
      kampung (aktif, another kabupaten).
    - Desa Ramah Perempuan dan Peduli Anak: 2002 berkembang (rintisan), Sungai Bakau mandiri.
    - Kampung Pemuda: no tag.
    - Desa Sadar Jaminan: retired programme, tagged on 2002: not listed.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bersinar = ThematicProgram.objects.get(name="Kampung Bersinar")
        cls.drppa = ThematicProgram.objects.get(name="Desa Ramah Perempuan dan Peduli Anak")
        cls.pemuda = ThematicProgram.objects.get(name="Kampung Pemuda")
        cls.retired = ThematicProgram.objects.create(name="Desa Sadar Jaminan", is_active=False)
        for program, code, status in (
            (cls.bersinar, "63.01.01.2001", "rintisan"),
            (cls.bersinar, "63.01.01.2002", "aktif"),
            (cls.bersinar, "63.01.01.2004", "aktif"),
            (cls.bersinar, "63.01.01.2003", "berhenti"),
            (cls.bersinar, "63.01.01.2005", "aktif"),
            (cls.bersinar, KAMPUNG_LAIN_KABUPATEN, "aktif"),
            (cls.drppa, "63.01.01.2002", "rintisan"),
            (cls.drppa, "63.01.04.2001", "aktif"),
            (cls.retired, "63.01.01.2002", "aktif"),
        ):
            kampung_program_save(
                tag=KampungProgram(
                    kampung=Kampung.objects.get(desa_kode=code),
                    program=program,
                    since=datetime.date(2024, 1, 15),
                    status=status,
                ),
                by=None,
            )
        Kampung.objects.filter(desa_kode="63.01.01.2005").update(is_active=False)
        cls.levels = level_list()

    def test_program_filter_lists_kampung_with_an_active_or_pilot_tag(self):
        self.client.force_login(self.staf)
        rows = table_rows(self.client.get(f"/kampung/?program={self.bersinar.pk}"))
        # Not 2003 (berhenti) nor the Kotabaru kampung. Whether an inactive kampung (2005) is a
        # row of the table at all is the table's business, not this filter's.
        self.assertEqual(
            [row["Kode"] for row in rows if row["Kode"] != "63.01.01.2005"],
            ["63.01.01.2001", "63.01.01.2002", "63.01.01.2004"],
        )
        rows = table_rows(self.client.get(f"/kampung/?program={self.drppa.pk}"))
        self.assertEqual([row["Kode"] for row in rows], ["63.01.01.2002", "63.01.04.2001"])
        self.assertEqual(table_rows(self.client.get(f"/kampung/?program={self.pemuda.pk}")), [])

    def test_program_filter_combines_with_other_filters_without_duplicates(self):
        self.client.force_login(self.staf)
        rows = table_rows(
            self.client.get(f"/kampung/?program={self.bersinar.pk}&official_level=paripurna")
        )
        self.assertEqual([row["Kode"] for row in rows], ["63.01.01.2004"])
        rows = table_rows(self.client.get(f"/kampung/?program={self.drppa.pk}&q=tabanio"))
        self.assertEqual([row["Kode"] for row in rows], [KAMPUNG_A])

    def test_program_counts_by_official_level_in_one_query(self):
        with self.assertNumQueries(1):
            rows = program_counts_by_level(kabupaten_kode="63.01", levels=self.levels)
        self.assertEqual(
            [(row.name, row.total, row.counts) for row in rows],
            [
                ("Desa Ramah Perempuan dan Peduli Anak", 2, [0, 1, 1, 0]),
                ("Kampung Bersinar", 3, [1, 1, 0, 1]),
                ("Kampung Pemuda", 0, [0, 0, 0, 0]),
            ],
        )

    def test_counts_follow_the_official_level_not_the_estimate(self):
        set_estimates({"63.01.01.2001": "paripurna"})
        kampung_set_level(
            kampung=Kampung.objects.get(desa_kode="63.01.01.2004"),
            level=ClassificationLevel.objects.get(code="mandiri"),
            effective_date=datetime.date(2026, 3, 1),
            source=LevelChange.Source.CORRECTION,
            by=self.staf,
        )
        rows = program_counts_by_level(kabupaten_kode="63.01", levels=self.levels)
        bersinar = next(row for row in rows if row.name == "Kampung Bersinar")
        self.assertEqual(bersinar.counts, [1, 1, 1, 0])

    def test_chart_traces_are_the_selector_counts(self):
        rows = program_counts_by_level(kabupaten_kode="63.01", levels=self.levels)
        fig = charts.programs_by_level(rows, self.levels)
        traces = fig["data"]
        self.assertEqual(
            [trace["name"] for trace in traces], ["Dasar", "Berkembang", "Mandiri", "Paripurna"]
        )
        names = [row.name for row in rows]
        for index, trace in enumerate(traces):
            with self.subTest(level=trace["name"]):
                self.assertEqual(trace["orientation"], "h")
                self.assertEqual(list(trace["y"]), names)
                self.assertEqual(list(trace["x"]), [row.counts[index] for row in rows])
                self.assertEqual(trace["marker"]["color"], self.levels[index].colour)
        # Stacked, each programme's bar adds up to its total.
        totals = [sum(trace["x"][i] for trace in traces) for i in range(len(rows))]
        self.assertEqual(totals, [2, 3, 0])

    def test_dashboard_draws_the_programme_chart_from_the_same_counts(self):
        self.client.force_login(self.staf)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        # The counts of test_program_counts_by_official_level_in_one_query, from the tags above.
        self.assertEqual(
            [(row.name, row.total, row.counts) for row in response.context["by_program"]],
            [
                ("Desa Ramah Perempuan dan Peduli Anak", 2, [0, 1, 1, 0]),
                ("Kampung Bersinar", 3, [1, 1, 0, 1]),
                ("Kampung Pemuda", 0, [0, 0, 0, 0]),
            ],
        )
        self.assertContains(response, 'id="chart-program"')

    def test_dashboard_has_no_programme_chart_while_nothing_is_tagged(self):
        KampungProgram.objects.all().delete()
        self.client.force_login(self.staf)
        response = self.client.get("/")
        self.assertNotContains(response, 'id="chart-program"')
