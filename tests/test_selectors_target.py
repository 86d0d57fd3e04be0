"""Reads for the 5%-a-year target page (domain.md §4): per-year base, moved up and net per year,
the pace of the last 12 months, each kecamatan's share, and the kampung nearest to mandiri.

The session data: Tanah Laut (63.01) with the demo baseline 93/25/3/14 on 2025-07-31 and no
records (so no estimated levels until a test gives some), and Kotabaru (63.02) with no levels.
"""

import datetime
from decimal import Decimal

from django.test import TestCase

from classification.models import Kampung, LevelChange
from classification.permissions import access_for
from classification.rules.targets import Movement, Pace, moved_up
from classification.selectors.levels import level_list
from classification.selectors.records import kampung_records
from classification.selectors.regions import readable_kabupaten
from classification.selectors.target import (
    movements_by_kecamatan,
    target_candidates,
    target_progress,
)
from classification.services.levels import kampung_set_level
from classification.services.records import figures_create, profile_create

from .base import KOTABARU, TANAH_LAUT, PeopleTestCase, level_held_on

D = datetime.date
BASELINE = D(2025, 7, 31)
END_2025 = D(2025, 12, 31)
TODAY_2026 = D(2026, 11, 22)


class TargetSelectorTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.levels = level_list()
        cls.by_code = {level.code: level for level in cls.levels}

    def set_level(self, kampung, code, date, source=LevelChange.Source.VERIFICATION):
        kampung_set_level(
            kampung=kampung, level=self.by_code[code], effective_date=date, source=source
        )

    def kampung_at(self, code: str, count: int, kecamatan: str = TANAH_LAUT) -> list[Kampung]:
        """``count`` active kampung currently at level ``code`` (by code, within ``kecamatan``)."""
        found = list(
            Kampung.objects.filter(desa_kode__startswith=kecamatan, official_level_id=code)
            .defer("boundary")
            .order_by("desa_kode")[:count]
        )
        self.assertEqual(len(found), count)
        return found

    def progress(self, today, kode=TANAH_LAUT, **kwargs):
        return target_progress(
            kabupaten_kode=kode, levels=self.levels, today=today, detailed=True, **kwargs
        )

    def add_kampung(self, count: int, launched: datetime.date | None, start: int = 2901):
        """``count`` new Tanah Laut kampung in Takisung, launched on ``launched``."""
        return [
            Kampung.objects.create(
                desa_kode=f"63.01.01.{start + i}",
                desa_nama=f"Desa Baru {i + 1}",
                jenis=Kampung.Jenis.DESA,
                kecamatan_id="63.01.01",
                tanggal_pencanangan=launched,
            )
            for i in range(count)
        ]


class PerYearBaseTests(TargetSelectorTestCase):
    def test_demo_baseline_17_of_135_gives_24_in_2026(self):
        progress = self.progress(D(2026, 11, 22))
        self.assertEqual(progress.bases, {2025: 135, 2026: 135})
        self.assertEqual((progress.base, progress.quota, progress.baseline_upper), (135, 7, 17))
        self.assertEqual(
            [(y.year, y.base, y.quota, y.target, y.actual) for y in progress.years],
            [(2025, 135, 0, 17, 17), (2026, 135, 7, 24, 17)],
        )

    def test_new_kampung_raise_later_quotas_without_rewriting_past_years(self):
        # Six kampung launched in October 2026: 141 active at the start of 2027.
        self.add_kampung(6, D(2026, 10, 1))
        progress = self.progress(D(2027, 6, 30))
        self.assertEqual(progress.bases, {2025: 135, 2026: 135, 2027: 141})
        self.assertEqual((progress.base, progress.quota), (141, 8))  # ceil(7.05)
        self.assertEqual([y.target for y in progress.years], [17, 24, 32])
        self.assertEqual([y.quota for y in progress.years], [0, 7, 8])
        # The dashboard's single base (today's 141 for every year) would rewrite 2026 as 25.
        fixed = self.progress(D(2027, 6, 30), total=141)
        self.assertEqual([y.target for y in fixed.years], [17, 25, 33])

    def test_launch_date_decides_the_first_base_a_kampung_is_in(self):
        cases = [
            # launched, in the base of 2025 (baseline date), 2026, 2027
            (D(2025, 7, 31), [136, 136, 136]),
            (D(2025, 8, 1), [135, 136, 136]),
            (D(2026, 1, 1), [135, 136, 136]),  # there at the start of 2026
            (D(2026, 1, 2), [135, 135, 136]),
            (D(2027, 3, 1), [135, 135, 135]),  # launched during the current year
        ]
        for launched, expected in cases:
            with self.subTest(launched=launched):
                [kampung] = self.add_kampung(1, launched)
                progress = self.progress(D(2027, 6, 30))
                self.assertEqual(list(progress.bases.values()), expected)
                kampung.delete()

    def test_kampung_without_launch_date_counts_in_every_base(self):
        self.add_kampung(2, None)
        self.assertEqual(self.progress(D(2026, 6, 30)).bases, {2025: 137, 2026: 137})

    def test_inactive_kampung_leave_the_base(self):
        Kampung.objects.filter(desa_kode__in=["63.01.01.2001", "63.01.01.2003"]).update(
            is_active=False
        )
        progress = self.progress(D(2026, 6, 30))
        self.assertEqual(progress.bases, {2025: 133, 2026: 133})
        self.assertEqual(progress.quota, 7)  # 6.65 rounded up

    def test_district_without_levels_gets_a_quota_from_its_base(self):
        progress = self.progress(D(2026, 6, 30), kode=KOTABARU)
        self.assertEqual((progress.base, progress.quota, progress.baseline_upper), (202, 11, 0))
        self.assertEqual([y.target for y in progress.years], [0, 11])


class MovementByYearTests(TargetSelectorTestCase):
    def demotion_year(self):
        """2026: three move up, two move down, one rises and falls back, one goes up a step."""
        dasar = self.kampung_at("dasar", 3)
        [berkembang] = self.kampung_at("berkembang", 1)
        [mandiri_down, mandiri_up] = self.kampung_at("mandiri", 2)
        [paripurna_down] = self.kampung_at("paripurna", 1)
        self.set_level(dasar[0], "mandiri", D(2026, 3, 1))
        self.set_level(dasar[1], "mandiri", D(2026, 3, 1))
        self.set_level(berkembang, "paripurna", D(2026, 4, 1))
        self.set_level(mandiri_down, "berkembang", D(2026, 5, 1), "correction")
        self.set_level(mandiri_up, "paripurna", D(2026, 2, 1))
        self.set_level(paripurna_down, "berkembang", D(2026, 6, 1), "correction")
        self.set_level(dasar[2], "mandiri", D(2026, 3, 1))  # rises, then falls back
        self.set_level(dasar[2], "dasar", D(2026, 5, 1), "correction")

    def test_a_year_with_demotions_moved_up_3_net_plus_1(self):
        self.demotion_year()
        progress = self.progress(D(2026, 11, 22))
        baseline_year, current = progress.years
        self.assertEqual(
            baseline_year.movement,
            Movement(moved_up=0, moved_down=0, upper_at_start=17, upper_at_end=17),
        )
        self.assertEqual(
            current.movement,
            Movement(moved_up=3, moved_down=2, upper_at_start=17, upper_at_end=18),
        )
        self.assertEqual((current.movement.net, current.actual, current.gap), (1, 18, 6))

    def test_sql_counts_follow_the_pure_rule(self):
        """The one-query count agrees with ``rules.targets.moved_up`` on every kampung's levels."""
        self.demotion_year()
        start, end = D(2025, 12, 31), D(2026, 11, 22)
        transitions = [
            (level_held_on(k, start), level_held_on(k, end))
            for k in Kampung.objects.active().in_kabupaten(TANAH_LAUT).defer("boundary")
        ]
        self.assertEqual(self.progress(end).current.movement, moved_up(transitions))

    def test_each_change_counts_in_the_year_of_its_date(self):
        [december, new_year, late] = self.kampung_at("dasar", 3)
        self.set_level(december, "mandiri", D(2025, 12, 31))
        self.set_level(new_year, "mandiri", D(2026, 1, 1))
        self.set_level(late, "mandiri", D(2027, 2, 1))  # after "today": not yet
        progress = self.progress(D(2027, 1, 15))
        self.assertEqual(
            [(y.year, y.movement.moved_up, y.movement.net, y.actual) for y in progress.years],
            [(2025, 1, 1, 18), (2026, 1, 1, 19), (2027, 0, 0, 19)],
        )

    def test_without_detailed_there_are_no_movements_and_no_pace(self):
        progress = target_progress(
            kabupaten_kode=TANAH_LAUT, levels=self.levels, today=D(2026, 6, 30)
        )
        self.assertEqual([y.movement for y in progress.years], [None, None])
        self.assertIsNone(progress.pace)
        with self.assertRaises(ValueError):
            progress.projection()


class PaceAndProjectionTests(TargetSelectorTestCase):
    def test_net_gain_over_the_last_12_months(self):
        [before, first, second] = self.kampung_at("dasar", 3)
        self.set_level(before, "mandiri", D(2026, 2, 1))  # before the window
        self.set_level(first, "mandiri", D(2026, 6, 1))
        self.set_level(second, "paripurna", D(2026, 9, 1))
        [demoted] = self.kampung_at("paripurna", 1)
        self.set_level(demoted, "berkembang", D(2027, 1, 15), "correction")
        pace = self.progress(D(2027, 3, 1)).pace
        self.assertEqual(pace, Pace(since=D(2026, 3, 1), until=D(2027, 3, 1), gained=1))
        self.assertTrue(pace.is_full_year)

    def test_the_window_starts_at_the_baseline_when_that_is_more_recent(self):
        [kampung] = self.kampung_at("dasar", 1)
        self.set_level(kampung, "mandiri", D(2025, 10, 1))
        pace = self.progress(D(2026, 1, 30)).pace
        self.assertEqual(pace, Pace(since=BASELINE, until=D(2026, 1, 30), gained=1))
        self.assertFalse(pace.is_full_year)

    def test_projection_at_the_pace(self):
        for kampung in self.kampung_at("dasar", 4):
            self.set_level(kampung, "mandiri", D(2026, 3, 1))
        progress = self.progress(D(2026, 7, 31))  # +4 in the 12 months since the baseline
        self.assertEqual(progress.pace.per_year, 4)
        projected = progress.projection(years_ahead=3)
        self.assertEqual(
            [(p.year, p.target, p.reached_in, p.on_time) for p in projected],
            [
                (2026, 24, 2027, False),
                (2027, 31, 2029, False),
                (2028, 38, 2030, False),
                (2029, 45, 2032, False),
            ],
        )

    def test_no_gain_is_never_reached(self):
        projected = self.progress(D(2026, 11, 22)).projection(years_ahead=1)
        self.assertEqual([(p.year, p.reached_in) for p in projected], [(2026, None), (2027, None)])


class MovementsByKecamatanTests(TargetSelectorTestCase):
    def rows(self, kode=TANAH_LAUT, start=END_2025, end=TODAY_2026):
        return movements_by_kecamatan(kabupaten_kode=kode, levels=self.levels, start=start, end=end)

    def test_moved_up_per_kecamatan_this_year(self):
        for kampung in self.kampung_at("dasar", 2, kecamatan="63.01.01"):  # Takisung
            self.set_level(kampung, "mandiri", D(2026, 3, 1))
        [pelaihari] = self.kampung_at("berkembang", 1, kecamatan="63.01.03")
        self.set_level(pelaihari, "paripurna", D(2026, 4, 1))
        [takisung_down] = self.kampung_at("paripurna", 1, kecamatan="63.01.01")
        self.set_level(takisung_down, "dasar", D(2026, 5, 1), "correction")
        rows = self.rows()
        self.assertEqual(len(rows), 11)
        by_code = {row.kode: row for row in rows}
        takisung, pelaihari = by_code["63.01.01"], by_code["63.01.03"]
        self.assertEqual((takisung.nama, takisung.total), ("Takisung", 12))
        self.assertEqual(
            takisung.movement,
            Movement(moved_up=2, moved_down=1, upper_at_start=2, upper_at_end=3),
        )
        self.assertEqual(
            pelaihari.movement,
            Movement(moved_up=1, moved_down=0, upper_at_start=1, upper_at_end=2),
        )
        self.assertEqual(sum(row.movement.moved_up for row in rows), 3)
        self.assertEqual(sum(row.movement.net for row in rows), 2)
        self.assertEqual(sum(row.total for row in rows), 135)
        # The district's own count agrees.
        current = self.progress(D(2026, 11, 22)).current.movement
        self.assertEqual((current.moved_up, current.moved_down, current.net), (3, 1, 2))

    def test_last_year_s_promotions_are_not_this_year_s(self):
        [kampung] = self.kampung_at("dasar", 1, kecamatan="63.01.01")
        self.set_level(kampung, "mandiri", D(2025, 11, 1))
        self.assertEqual(sum(row.movement.moved_up for row in self.rows()), 0)
        self.assertEqual(
            sum(row.movement.moved_up for row in self.rows(start=BASELINE, end=D(2025, 12, 31))),
            1,
        )

    def test_district_without_levels(self):
        rows = self.rows(kode=KOTABARU)
        self.assertTrue(rows)
        self.assertTrue(all(row.movement == Movement(0, 0, 0, 0) for row in rows))


def set_estimate(desa_kode, level, input_, proses, output):
    Kampung.objects.filter(desa_kode=desa_kode).update(
        estimated_level_id=level,
        estimated_input=Decimal(input_),
        estimated_proses=Decimal(proses),
        estimated_output=Decimal(output),
    )


# A profile that meets Input and Proses; with no figures, Output scores 1 everywhere.
PROFILE = {
    "pokja_exists": True,
    "pokja_members": 11,
    "pokja_members_trained": 5,
    "funding_sources": ["apbd", "dana_desa", "swadaya"],
    "poktan_present": ["bkb", "bkr", "bkl", "uppka", "pikr"],
    "has_sekretariat": True,
    "has_rumah_dataku": True,
    "has_pendamping": True,
    "has_regulation": True,
    "data_sources": ["pk", "rutin_bkkbn", "potensi_desa", "sektoral"],
    "mechanisms": {
        "rapat_perencanaan": "bulanan",
        "rakor_opd": "triwulanan",
        "sosialisasi": "bulanan",
        "monev": "triwulanan",
        "laporan": "bulanan",
    },
}
# Participation 10% (O1 = 2), CPR 35% (O2 = 2), MKJP 43% (O3 = 4), unmet need 9% (O4 = 3):
# Output 2,75, not met.
FIGURES = {
    "period": D(2026, 9, 1),
    "families": 200,
    "pus": 100,
    "remaja": 80,
    "families_with_balita": 60,
    "families_with_remaja": 50,
    "families_with_lansia": 40,
    "participants_bkb": 6,
    "participants_bkr": 5,
    "participants_bkl": 4,
    "participants_uppka": 20,
    "participants_pikr": 8,
    "users_iud": 10,
    "users_implan": 5,
    "users_suntik": 15,
    "users_pil": 5,
    "not_using_hamil": 20,
    "not_using_ingin_anak_segera": 36,
    "not_using_ingin_anak_tunda": 5,
    "not_using_tidak_ingin_anak_lagi": 4,
}


class TargetCandidatesTests(TargetSelectorTestCase):
    # Official levels from the demo baseline; estimates set by hand (no records in the session).
    ESTIMATES = [
        # desa code, official, estimated, input, proses, output, shortfall
        ("63.01.01.2001", "dasar", "mandiri", "2.50", "3.50", "3.50", "0.50"),
        ("63.01.01.2002", "berkembang", "paripurna", "3.20", "3.33", "3.25", "0.00"),
        ("63.01.01.2007", "berkembang", "berkembang", "3.40", "3.00", "2.75", "0.25"),
        ("63.01.01.2003", "dasar", "dasar", "2.00", "2.00", "3.00", "2.00"),
        ("63.01.01.2005", "dasar", "berkembang", "3.00", "3.00", "2.50", "0.50"),
        ("63.01.01.2008", "berkembang", "berkembang", "3.00", "3.33", "2.50", "0.50"),
    ]
    # Officially mandiri+ already, or no estimate, or inactive: never candidates.
    EXCLUDED = [
        ("63.01.01.2004", "paripurna", "paripurna", "4.00", "4.00", "4.00"),  # official upper
        ("63.01.01.2010", "dasar", "mandiri", "3.00", "2.00", "3.50"),  # made inactive below
    ]

    def setUp(self):
        for code, official, level, i, p, o, _shortfall in self.ESTIMATES:
            self.assertEqual(Kampung.objects.get(desa_kode=code).official_level_id, official)
            set_estimate(code, level, i, p, o)
        for code, official, level, i, p, o in self.EXCLUDED:
            self.assertEqual(Kampung.objects.get(desa_kode=code).official_level_id, official)
            set_estimate(code, level, i, p, o)
        Kampung.objects.filter(desa_kode="63.01.01.2010").update(is_active=False)

    def candidates(self, kode=TANAH_LAUT, limit=20):
        return target_candidates(kabupaten_kode=kode, levels=self.levels, limit=limit)

    def test_estimated_mandiri_first_then_smallest_shortfall(self):
        rows = self.candidates()
        self.assertEqual(
            [
                (
                    row.kampung.desa_kode,
                    row.kampung.official_level_id,
                    row.kampung.estimated_level_id,
                    row.estimated_upper,
                    row.shortfall,
                )
                for row in rows
            ],
            [
                ("63.01.01.2002", "berkembang", "paripurna", True, Decimal("0.00")),
                ("63.01.01.2001", "dasar", "mandiri", True, Decimal("0.50")),
                ("63.01.01.2007", "berkembang", "berkembang", False, Decimal("0.25")),
                # Equal shortfalls: by desa code.
                ("63.01.01.2005", "dasar", "berkembang", False, Decimal("0.50")),
                ("63.01.01.2008", "berkembang", "berkembang", False, Decimal("0.50")),
                ("63.01.01.2003", "dasar", "dasar", False, Decimal("2.00")),
            ],
        )
        for row in rows:
            self.assertLess(row.kampung.official_level.rank, 3)
            self.assertEqual(row.kampung.kecamatan.nama, "Takisung")

    def test_limit(self):
        self.assertEqual(
            [row.kampung.desa_kode for row in self.candidates(limit=2)],
            ["63.01.01.2002", "63.01.01.2001"],
        )

    def test_a_kampung_without_official_level_is_a_candidate(self):
        [new] = self.add_kampung(1, D(2026, 1, 1))
        set_estimate(new.desa_kode, "mandiri", "3.00", "2.00", "3.00")
        self.assertIn(new.desa_kode, [row.kampung.desa_kode for row in self.candidates()])

    def test_what_is_missing_comes_from_the_kampung_s_records(self):
        kampung = Kampung.objects.get(desa_kode="63.01.01.2007")
        profile_create(kampung=kampung, by=None, **PROFILE)
        figures_create(kampung=kampung, by=None, **FIGURES)
        kampung.refresh_from_db()
        self.assertEqual(kampung.estimated_level_id, "berkembang")  # Output not met
        expected = kampung_records(kampung=kampung).assessment.missing_for_next_level
        self.assertTrue(expected)
        row = next(r for r in self.candidates() if r.kampung.pk == kampung.pk)
        self.assertEqual(row.missing, expected)
        self.assertTrue(row.missing[0].startswith("Menuju Paripurna: indeks Output"))

    def test_the_latest_profile_and_figures_are_used(self):
        kampung = Kampung.objects.get(desa_kode="63.01.01.2007")
        profile_create(kampung=kampung, by=None, pokja_exists=True)
        profile_create(kampung=kampung, by=None, **PROFILE)
        figures_create(kampung=kampung, by=None, **{**FIGURES, "period": D(2026, 8, 1)})
        figures_create(kampung=kampung, by=None, **FIGURES)
        other = Kampung.objects.get(desa_kode="63.01.01.2003")
        profile_create(kampung=other, by=None, pokja_exists=True)
        rows = {row.kampung.pk: row for row in self.candidates()}
        for item in (kampung, other):
            with self.subTest(kampung=item.desa_kode):
                records = kampung_records(kampung=item)
                self.assertEqual(rows[item.pk].missing, records.assessment.missing_for_next_level)

    def test_district_without_estimates_has_no_candidates(self):
        self.assertEqual(self.candidates(kode=KOTABARU), [])

    def test_query_count_does_not_depend_on_the_number_of_rows(self):
        for kampung in Kampung.objects.filter(desa_kode__in=["63.01.01.2007", "63.01.01.2003"]):
            profile_create(kampung=kampung, by=None, **PROFILE)
            figures_create(kampung=kampung, by=None, **FIGURES)
        for limit in (1, 3, 20):
            with self.subTest(limit=limit), self.assertNumQueries(4):
                self.candidates(limit=limit)
        with self.assertNumQueries(1):  # nothing qualifies: no records to read
            self.candidates(kode=KOTABARU)


class ReadableKabupatenTests(PeopleTestCase):
    def test_each_person_s_districts(self):
        cases = [
            (self.staf, ["63.01"]),
            (self.staf_lain, ["63.02"]),
            (self.pokja_a, ["63.01"]),
            (self.peninjau, ["63.01", "63.02"]),
        ]
        for user, expected in cases:
            with self.subTest(user=user.username):
                access_for(user)  # read once per request, before any page's own queries
                with self.assertNumQueries(1):
                    found = readable_kabupaten(user=user)
                self.assertEqual([k.kode for k in found], expected)


class TargetQueryCountTests(TargetSelectorTestCase):
    def test_fixed_query_counts_whatever_the_district(self):
        today = D(2028, 6, 30)  # four years of movements: still one counting query
        for kode in (TANAH_LAUT, KOTABARU):
            with self.subTest(kabupaten=kode):
                with self.assertNumQueries(2):
                    self.progress(today, kode=kode)
                with self.assertNumQueries(1):
                    movements_by_kecamatan(
                        kabupaten_kode=kode, levels=self.levels, start=D(2027, 12, 31), end=today
                    )
