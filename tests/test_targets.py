"""The 5%-a-year target arithmetic (domain.md §4): plain Python, no database."""

from decimal import Decimal

from django.test import SimpleTestCase

from classification.targets import (
    ROUNDING_DOWN,
    ROUNDING_NEAREST,
    ROUNDING_UP,
    YearProgress,
    annual_quota,
    target_for_year,
    yearly_progress,
)

# Tanah Laut: 135 Kampung KB, 17 at mandiri or paripurna on 31 July 2025.
TOTAL = 135
BASELINE_YEAR = 2025
BASELINE_UPPER = 17


class AnnualQuotaTests(SimpleTestCase):
    def test_quota_for_each_base_and_rounding(self):
        cases = [
            # base, percent, rounding, quota
            (135, "5", ROUNDING_UP, 7),  # 6.75
            (135, "5", ROUNDING_NEAREST, 7),
            (135, "5", ROUNDING_DOWN, 6),
            (140, "5", ROUNDING_UP, 7),  # exactly 7
            (140, "5", ROUNDING_NEAREST, 7),
            (140, "5", ROUNDING_DOWN, 7),
            (141, "5", ROUNDING_UP, 8),  # 7.05
            (141, "5", ROUNDING_NEAREST, 7),
            (141, "5", ROUNDING_DOWN, 7),
            (130, "5", ROUNDING_NEAREST, 7),  # 6.5: half rounds up, not to even
            (150, "5", ROUNDING_NEAREST, 8),  # 7.5
            (0, "5", ROUNDING_UP, 0),
            (0, "5", ROUNDING_NEAREST, 0),
            (0, "5", ROUNDING_DOWN, 0),
            (1, "5", ROUNDING_UP, 1),  # a single kampung still has to move
            (1, "5", ROUNDING_DOWN, 0),
            (135, "10", ROUNDING_UP, 14),  # 13.5
            (135, "2.5", ROUNDING_UP, 4),  # 3.375
            (135, "100", ROUNDING_UP, 135),
            (202, "5", ROUNDING_UP, 11),  # Kotabaru: 10.1
        ]
        for base, percent, rounding, expected in cases:
            with self.subTest(base=base, percent=percent, rounding=rounding):
                self.assertEqual(annual_quota(base, Decimal(percent), rounding), expected)

    def test_rounds_up_by_default(self):
        self.assertEqual(annual_quota(135, Decimal("5")), 7)
        self.assertEqual(annual_quota(141, Decimal("5")), 8)

    def test_exact_decimal_arithmetic_does_not_round_an_exact_result_up(self):
        # 5% of 140 is exactly 7; binary floating point must not turn it into 7.000…01 → 8.
        self.assertEqual(annual_quota(140, Decimal("5"), ROUNDING_UP), 7)
        self.assertEqual(annual_quota(60, Decimal("5"), ROUNDING_UP), 3)

    def test_negative_base_is_refused(self):
        with self.assertRaisesMessage(ValueError, "negative"):
            annual_quota(-1, Decimal("5"))

    def test_unknown_rounding_is_refused(self):
        with self.assertRaisesMessage(ValueError, "'sideways'"):
            annual_quota(135, Decimal("5"), "sideways")


class TargetForYearTests(SimpleTestCase):
    def test_tanah_laut_targets_by_year(self):
        cases = [
            (2020, 17),  # before the baseline: never below the baseline count
            (2024, 17),
            (2025, 17),
            (2026, 24),
            (2027, 31),
            (2028, 38),
            (2030, 52),
            (2041, 129),
            (2042, 135),  # 136 capped at the total
            (2060, 135),
        ]
        for year, expected in cases:
            with self.subTest(year=year):
                self.assertEqual(
                    target_for_year(
                        year=year,
                        baseline_year=BASELINE_YEAR,
                        baseline_upper=BASELINE_UPPER,
                        quota=7,
                        total=TOTAL,
                    ),
                    expected,
                )

    def test_target_never_exceeds_total(self):
        # 20 + 1 would be more kampung than the district has.
        self.assertEqual(
            target_for_year(year=2026, baseline_year=2025, baseline_upper=20, quota=1, total=20),
            20,
        )

    def test_zero_quota_keeps_the_baseline(self):
        self.assertEqual(
            target_for_year(year=2030, baseline_year=2025, baseline_upper=3, quota=0, total=10),
            3,
        )


class YearProgressTests(SimpleTestCase):
    def test_gap_and_met(self):
        cases = [
            # target, actual, gap, met
            (24, 17, 7, False),
            (24, 23, 1, False),
            (24, 24, 0, True),
            (24, 30, 0, True),  # overshooting is not a negative gap
            (0, 0, 0, True),
        ]
        for target, actual, gap, met in cases:
            with self.subTest(target=target, actual=actual):
                progress = YearProgress(year=2026, target=target, actual=actual, is_current=True)
                self.assertEqual(progress.gap, gap)
                self.assertIs(progress.met, met)


class YearlyProgressTests(SimpleTestCase):
    def progress(self, *, current_year, actual_by_year, quota=7, total=TOTAL):
        return yearly_progress(
            baseline_year=BASELINE_YEAR,
            baseline_upper=BASELINE_UPPER,
            quota=quota,
            total=total,
            actual_by_year=actual_by_year,
            current_year=current_year,
        )

    def test_one_row_per_year_from_baseline_to_current(self):
        years = self.progress(current_year=2027, actual_by_year={2025: 17, 2026: 25, 2027: 28})
        self.assertEqual(
            [(y.year, y.target, y.actual, y.gap, y.met, y.is_current) for y in years],
            [
                (2025, 17, 17, 0, True, False),
                (2026, 24, 25, 0, True, False),
                (2027, 31, 28, 3, False, True),
            ],
        )

    def test_in_the_baseline_year_only_the_baseline_row(self):
        years = self.progress(current_year=2025, actual_by_year={2025: 17})
        self.assertEqual([(y.year, y.target, y.is_current) for y in years], [(2025, 17, True)])
        self.assertTrue(years[0].met)

    def test_a_year_without_figures_counts_zero(self):
        years = self.progress(current_year=2026, actual_by_year={2025: 17})
        self.assertEqual(years[-1].actual, 0)
        self.assertEqual(years[-1].gap, 24)

    def test_current_year_before_the_baseline_gives_no_rows(self):
        self.assertEqual(self.progress(current_year=2024, actual_by_year={}), [])

    def test_capped_target_is_met_once_every_kampung_is_upper(self):
        years = self.progress(
            current_year=2029,
            actual_by_year={2025: 17, 2026: 18, 2027: 19, 2028: 20, 2029: 20},
            quota=1,
            total=20,
        )
        self.assertEqual([y.target for y in years], [17, 18, 19, 20, 20])
        self.assertTrue(all(y.met for y in years))


class ChangingBaseTests(SimpleTestCase):
    """A district whose number of active Kampung KB changes: the quota follows the new base."""

    def targets_for(self, total: int, years: range) -> list[int]:
        quota = annual_quota(total, Decimal("5"))
        return [
            target_for_year(
                year=year,
                baseline_year=BASELINE_YEAR,
                baseline_upper=BASELINE_UPPER,
                quota=quota,
                total=total,
            )
            for year in years
        ]

    def test_targets_per_base(self):
        cases = [
            # total, targets 2025..2028
            (135, [17, 24, 31, 38]),
            (140, [17, 24, 31, 38]),  # 5% of 140 is still 7
            (141, [17, 25, 33, 41]),  # 5% of 141 rounds up to 8
            (30, [17, 19, 21, 23]),  # 1.5 → 2
            (20, [17, 18, 19, 20]),  # 1 a year, capped at 20
        ]
        for total, expected in cases:
            with self.subTest(total=total):
                self.assertEqual(self.targets_for(total, range(2025, 2029)), expected)

    def test_fewer_kampung_lower_the_cap(self):
        # 135 → 100 active kampung: the cap follows the smaller total.
        self.assertEqual(self.targets_for(100, range(2040, 2044)), [92, 97, 100, 100])
