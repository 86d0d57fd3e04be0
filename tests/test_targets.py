"""The 5%-a-year target arithmetic (domain.md §4): plain Python, no database."""

import datetime
from decimal import Decimal

from django.test import SimpleTestCase

from classification.models import ClassificationLevel, TargetPolicy
from classification.rules.levels import Level
from classification.rules.targets import (
    DEFAULT_PERCENT,
    DEFAULT_ROUNDING,
    ROUNDING_DOWN,
    ROUNDING_NEAREST,
    ROUNDING_UP,
    ROUNDINGS,
    UPPER_MIN_RANK,
    Movement,
    Pace,
    ProjectedTarget,
    TargetRule,
    YearProgress,
    annual_quota,
    base_for_year,
    is_upper,
    is_upper_rank,
    moved_up,
    projection,
    target_for_year,
    targets_by_year,
    year_before,
    year_start,
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


class TargetsByYearTests(SimpleTestCase):
    """Each year's quota from that year's own base (domain.md §4: base at the start of the year)."""

    def test_targets_per_base_and_rounding(self):
        cases = [
            # bases, percent, rounding, targets from 2025 on
            ({2025: 135}, "5", ROUNDING_UP, [17, 24, 31, 38]),  # Tanah Laut: 6.75 → 7
            ({2025: 135}, "5", ROUNDING_NEAREST, [17, 24, 31, 38]),
            ({2025: 135}, "5", ROUNDING_DOWN, [17, 23, 29, 35]),  # 6
            ({2025: 141}, "5", ROUNDING_UP, [17, 25, 33, 41]),  # 7.05 → 8
            ({2025: 141}, "5", ROUNDING_NEAREST, [17, 24, 31, 38]),
            ({2025: 141}, "5", ROUNDING_DOWN, [17, 24, 31, 38]),
            ({2025: 130}, "5", ROUNDING_NEAREST, [17, 24, 31, 38]),  # 6.5: half up
            ({2025: 130}, "5", ROUNDING_DOWN, [17, 23, 29, 35]),
            ({2025: 135}, "10", ROUNDING_UP, [17, 31, 45, 59]),  # 13.5 → 14
            # New kampung launched in 2026: 141 at the start of 2027, so 2027 adds 8.
            ({2025: 135, 2026: 135, 2027: 141}, "5", ROUNDING_UP, [17, 24, 32, 40]),
            # A year left out keeps the earlier base.
            ({2025: 135, 2027: 141}, "5", ROUNDING_UP, [17, 24, 32, 40]),
            ({2025: 135, 2027: 141}, "5", ROUNDING_DOWN, [17, 23, 30, 37]),
            # The base shrinks to 20: the target is capped at the year's own base.
            ({2025: 135, 2027: 20}, "5", ROUNDING_UP, [17, 24, 20, 20]),
        ]
        for bases, percent, rounding, expected in cases:
            with self.subTest(bases=bases, percent=percent, rounding=rounding):
                result = targets_by_year(
                    baseline_year=BASELINE_YEAR,
                    baseline_upper=BASELINE_UPPER,
                    bases=bases,
                    last_year=2028,
                    percent=Decimal(percent),
                    rounding=rounding,
                )
                self.assertEqual(list(result), [2025, 2026, 2027, 2028])
                self.assertEqual(list(result.values()), expected)

    def test_tanah_laut_is_capped_at_135_from_2042(self):
        result = targets_by_year(
            baseline_year=BASELINE_YEAR,
            baseline_upper=BASELINE_UPPER,
            bases={2025: TOTAL},
            last_year=2044,
        )
        cases = [(2025, 17), (2026, 24), (2027, 31), (2041, 129), (2042, 135), (2044, 135)]
        for year, expected in cases:
            with self.subTest(year=year):
                self.assertEqual(result[year], expected)

    def test_a_later_base_never_rewrites_an_earlier_year(self):
        before = targets_by_year(
            baseline_year=2025, baseline_upper=17, bases={2025: 135, 2026: 135}, last_year=2026
        )
        after = targets_by_year(
            baseline_year=2025,
            baseline_upper=17,
            bases={2025: 135, 2026: 135, 2027: 141},
            last_year=2027,
        )
        self.assertEqual(before, {2025: 17, 2026: 24})
        self.assertEqual(after, {2025: 17, 2026: 24, 2027: 32})

    def test_one_base_gives_the_same_targets_as_target_for_year(self):
        for total, quota in ((135, 7), (141, 8), (20, 1), (100, 5)):
            with self.subTest(total=total):
                self.assertEqual(
                    list(
                        targets_by_year(
                            baseline_year=2025,
                            baseline_upper=17,
                            bases={2025: total},
                            last_year=2045,
                        ).values()
                    ),
                    [
                        target_for_year(
                            year=year,
                            baseline_year=2025,
                            baseline_upper=17,
                            quota=quota,
                            total=total,
                        )
                        for year in range(2025, 2046)
                    ],
                )

    def test_base_for_year_takes_the_nearest_earlier_base(self):
        bases = {2025: 135, 2027: 141}
        cases = [(2024, 0), (2025, 135), (2026, 135), (2027, 141), (2030, 141)]
        for year, expected in cases:
            with self.subTest(year=year):
                self.assertEqual(base_for_year(bases, year), expected)


class YearlyProgressWithBasesTests(SimpleTestCase):
    def test_each_row_has_its_base_and_quota(self):
        years = yearly_progress(
            baseline_year=BASELINE_YEAR,
            baseline_upper=BASELINE_UPPER,
            bases={2025: 135, 2026: 135, 2027: 141},
            actual_by_year={2025: 17, 2026: 24, 2027: 30},
            current_year=2028,
        )
        self.assertEqual(
            [(y.year, y.base, y.quota, y.target, y.actual, y.gap, y.is_current) for y in years],
            [
                (2025, 135, 0, 17, 17, 0, False),  # the baseline year adds no quota
                (2026, 135, 7, 24, 24, 0, False),
                (2027, 141, 8, 32, 30, 2, False),
                (2028, 141, 8, 40, 0, 40, True),
            ],
        )

    def test_the_old_call_shape_still_works_and_fills_base_and_quota(self):
        years = yearly_progress(
            baseline_year=2025,
            baseline_upper=17,
            quota=7,
            total=135,
            actual_by_year={2025: 17, 2026: 19},
            current_year=2026,
        )
        self.assertEqual(
            [(y.year, y.base, y.quota, y.target) for y in years],
            [(2025, 135, 0, 17), (2026, 135, 7, 24)],
        )

    def test_movements_are_attached_to_their_year(self):
        movement = Movement(moved_up=3, moved_down=2, upper_at_start=17, upper_at_end=18)
        years = yearly_progress(
            baseline_year=2025,
            baseline_upper=17,
            bases={2025: 135},
            actual_by_year={2025: 17, 2026: 18},
            current_year=2026,
            movements={2026: movement},
        )
        self.assertEqual([y.movement for y in years], [None, movement])

    def test_quota_and_bases_cannot_be_mixed_or_left_out(self):
        common = {
            "baseline_year": 2025,
            "baseline_upper": 17,
            "actual_by_year": {},
            "current_year": 2026,
        }
        for extra in ({}, {"quota": 7}, {"quota": 7, "total": 135, "bases": {2025: 135}}):
            with self.subTest(extra=extra), self.assertRaises(TypeError):
                yearly_progress(**common, **extra)


class MovedUpTests(SimpleTestCase):
    """Both views of a year (domain.md §4): kampung that moved up, and the net change."""

    def test_moved_up_and_net(self):
        cases = [
            # name, (level at the start of the year, level at its end) per kampung, expected
            ("nothing moves", [("dasar", "dasar"), ("mandiri", "mandiri")], (0, 0, 1, 1, 0)),
            (
                "two promotions",
                [("dasar", "mandiri"), ("berkembang", "paripurna"), ("dasar", "berkembang")],
                (2, 0, 0, 2, 2),
            ),
            (
                "a year with demotions: moved up 3, net +1",
                [
                    ("dasar", "mandiri"),
                    ("berkembang", "mandiri"),
                    ("berkembang", "paripurna"),
                    ("mandiri", "berkembang"),
                    ("paripurna", "dasar"),
                    ("paripurna", "paripurna"),
                ],
                (3, 2, 3, 4, 1),
            ),
            # Rose in March, fell back in May: the same level at both ends, so neither count.
            ("rose and fell back", [("berkembang", "berkembang")], (0, 0, 0, 0, 0)),
            ("mandiri to paripurna is not a move up", [("mandiri", "paripurna")], (0, 0, 1, 1, 0)),
            # A first level given during the year: in the net, not a move up.
            ("first level", [(None, "mandiri"), (None, "dasar")], (0, 0, 0, 1, 1)),
            ("no kampung", [], (0, 0, 0, 0, 0)),
        ]
        for name, transitions, expected in cases:
            with self.subTest(name):
                movement = moved_up(transitions)
                self.assertEqual(
                    (
                        movement.moved_up,
                        movement.moved_down,
                        movement.upper_at_start,
                        movement.upper_at_end,
                        movement.net,
                    ),
                    expected,
                )

    def test_is_upper(self):
        cases = [("dasar", False), ("berkembang", False), ("mandiri", True), ("paripurna", True)]
        for code, expected in [*cases, (None, False)]:
            with self.subTest(code=code):
                self.assertIs(is_upper(code), expected)


class PaceTests(SimpleTestCase):
    def test_per_year(self):
        cases = [
            # since, until, gained, per year, full year
            ("2025-06-30", "2026-06-30", 4, Decimal(4), True),
            ("2025-06-30", "2026-06-30", -2, Decimal(-2), True),
            ("2025-06-30", "2026-06-30", 0, Decimal(0), True),
            # Since the baseline only (183 days): scaled to 12 months.
            ("2025-07-31", "2026-01-30", 3, Decimal(3) * 365 / 183, False),
            ("2026-01-30", "2026-01-30", 3, Decimal(0), False),  # no window, no pace
        ]
        for since, until, gained, per_year, full in cases:
            with self.subTest(since=since, until=until, gained=gained):
                pace = Pace(
                    since=datetime.date.fromisoformat(since),
                    until=datetime.date.fromisoformat(until),
                    gained=gained,
                )
                self.assertEqual(pace.per_year, per_year)
                self.assertIs(pace.is_full_year, full)

    def test_year_before(self):
        cases = [("2026-06-30", "2025-06-30"), ("2028-02-29", "2027-02-28")]
        for day, expected in cases:
            with self.subTest(day=day):
                self.assertEqual(
                    year_before(datetime.date.fromisoformat(day)),
                    datetime.date.fromisoformat(expected),
                )


class ProjectionTests(SimpleTestCase):
    TODAY = datetime.date(2026, 6, 30)
    TARGETS = {2026: 24, 2027: 31, 2028: 38, 2029: 45}

    def project(self, *, gained, upper_now=19):
        pace = Pace(since=year_before(self.TODAY), until=self.TODAY, gained=gained)
        return projection(today=self.TODAY, upper_now=upper_now, pace=pace, targets=self.TARGETS)

    def test_year_each_target_is_met_at_the_pace(self):
        cases = [
            # net gained in the last 12 months, year each of 24, 31, 38, 45 is reached
            (4, [2027, 2029, 2031, 2032]),  # 24 − 19 = 5 at 4 a year: September 2027
            (12, [2026, 2027, 2028, 2028]),
            (26, [2026, 2026, 2027, 2027]),
            (0, [None, None, None, None]),  # "tidak tercapai pada laju ini"
            (-3, [None, None, None, None]),
        ]
        for gained, expected in cases:
            with self.subTest(gained=gained):
                self.assertEqual([p.reached_in for p in self.project(gained=gained)], expected)

    def test_a_target_already_met_is_met_this_year_whatever_the_pace(self):
        result = self.project(gained=-5, upper_now=31)
        self.assertEqual(
            result,
            [
                ProjectedTarget(year=2026, target=24, reached_in=2026),
                ProjectedTarget(year=2027, target=31, reached_in=2026),
                ProjectedTarget(year=2028, target=38, reached_in=None),
                ProjectedTarget(year=2029, target=45, reached_in=None),
            ],
        )

    def test_on_time(self):
        self.assertEqual([p.on_time for p in self.project(gained=12)], [True, True, True, True])
        self.assertEqual([p.on_time for p in self.project(gained=4)], [False] * 4)
        self.assertEqual([p.on_time for p in self.project(gained=0)], [False] * 4)


class TargetRuleTests(SimpleTestCase):
    """A policy as the arithmetic reads it: every date, quota and target the pages count."""

    TANAH_LAUT = TargetRule(baseline_date=datetime.date(2025, 7, 31))

    def test_quota_follows_the_policy_rounding_hand_worked(self):
        cases = [
            # base, rounding, quota
            (135, ROUNDING_UP, 7),  # 135 × 5% = 6.75 → 7
            (135, ROUNDING_DOWN, 6),  # → 6
            (135, ROUNDING_NEAREST, 7),  # 6.75 is nearer 7
            (130, ROUNDING_UP, 7),  # 130 × 5% = 6.5 → 7
            (130, ROUNDING_DOWN, 6),  # → 6
            (130, ROUNDING_NEAREST, 7),  # a half rounds up (ROUND_HALF_UP), not to even 6
            (110, ROUNDING_NEAREST, 6),  # 5.5 → 6 (half to even would give 6 too)
            (150, ROUNDING_NEAREST, 8),  # 7.5 → 8 (half to even would give 8 too)
            (170, ROUNDING_NEAREST, 9),  # 8.5 → 9 (half to even would give 8)
        ]
        for base, rounding, expected in cases:
            with self.subTest(base=base, rounding=rounding):
                rule = TargetRule(datetime.date(2025, 7, 31), DEFAULT_PERCENT, rounding)
                self.assertEqual(rule.quota(base), expected)

    def test_defaults_are_five_percent_rounded_up(self):
        self.assertEqual((self.TANAH_LAUT.percent, self.TANAH_LAUT.rounding), (Decimal(5), "up"))
        self.assertEqual(self.TANAH_LAUT.quota(135), 7)
        self.assertIn(DEFAULT_ROUNDING, ROUNDINGS)

    def test_base_dates_are_the_baseline_then_each_first_of_january(self):
        self.assertEqual(
            self.TANAH_LAUT.base_dates(datetime.date(2027, 3, 1)),
            {
                2025: datetime.date(2025, 7, 31),
                2026: datetime.date(2026, 1, 1),
                2027: datetime.date(2027, 1, 1),
            },
        )
        self.assertEqual(
            self.TANAH_LAUT.base_dates(datetime.date(2025, 8, 1)),
            {2025: datetime.date(2025, 7, 31)},
        )

    def test_year_ends_are_31_december_and_today_in_the_current_year(self):
        today = datetime.date(2026, 11, 22)
        self.assertEqual(self.TANAH_LAUT.year_end(2025, today), datetime.date(2025, 12, 31))
        self.assertEqual(self.TANAH_LAUT.year_end(2026, today), today)

    def test_each_year_moves_from_the_previous_year_end_or_the_baseline(self):
        self.assertEqual(
            self.TANAH_LAUT.periods(datetime.date(2026, 11, 22)),
            {
                2025: (datetime.date(2025, 7, 31), datetime.date(2025, 12, 31)),
                2026: (datetime.date(2025, 12, 31), datetime.date(2026, 11, 22)),
            },
        )

    def test_year_start_is_last_31_december_or_the_baseline_in_its_year(self):
        baseline = datetime.date(2025, 7, 31)
        cases = [
            (datetime.date(2025, 9, 1), baseline),  # the baseline year: the history starts there
            (datetime.date(2026, 1, 1), datetime.date(2025, 12, 31)),
            (datetime.date(2026, 11, 22), datetime.date(2025, 12, 31)),
            (datetime.date(2027, 12, 31), datetime.date(2026, 12, 31)),
        ]
        for today, expected in cases:
            with self.subTest(today=today):
                self.assertEqual(year_start(today=today, baseline_date=baseline), expected)
                self.assertEqual(self.TANAH_LAUT.year_start(today.year), expected)

    def test_pace_window_starts_twelve_months_back_or_at_the_baseline(self):
        self.assertEqual(
            self.TANAH_LAUT.pace_since(datetime.date(2026, 3, 1)), datetime.date(2025, 7, 31)
        )
        self.assertEqual(
            self.TANAH_LAUT.pace_since(datetime.date(2026, 11, 22)), datetime.date(2025, 11, 22)
        )

    def test_targets_follow_the_policy_rounding(self):
        bases = {2025: 130}
        cases = [(ROUNDING_UP, [17, 24, 31]), (ROUNDING_DOWN, [17, 23, 29])]
        for rounding, expected in cases:
            with self.subTest(rounding=rounding):
                rule = TargetRule(datetime.date(2025, 7, 31), DEFAULT_PERCENT, rounding)
                targets = rule.targets(baseline_upper=17, bases=bases, last_year=2027)
                self.assertEqual(list(targets.values()), expected)
                self.assertEqual(rule.target_in(2027, baseline_upper=17, bases=bases), expected[-1])
                years = rule.progress(
                    baseline_upper=17, bases=bases, actual_by_year={}, current_year=2027
                )
                self.assertEqual([y.target for y in years], expected)


class UpperLevelTests(SimpleTestCase):
    """ "Mandiri or above" has one definition: the rule's, which the model asks."""

    def test_mandiri_and_paripurna_are_upper(self):
        self.assertEqual(UPPER_MIN_RANK, Level.MANDIRI.rank)
        self.assertEqual([is_upper_rank(level.rank) for level in Level], [False, False, True, True])
        self.assertEqual([is_upper(level.value) for level in Level], [False, False, True, True])

    def test_the_level_model_asks_the_rule(self):
        for level in Level:
            with self.subTest(level=level):
                row = ClassificationLevel(code=level.value, rank=level.rank, label=level.label)
                self.assertIs(row.is_upper, is_upper(level.value))


class PolicyDefaultsTests(SimpleTestCase):
    """The model's defaults and rounding codes are the rule's."""

    def test_field_defaults_come_from_the_rule(self):
        fields = TargetPolicy._meta
        self.assertEqual(fields.get_field("annual_percent").default, DEFAULT_PERCENT)
        self.assertEqual(fields.get_field("rounding").default, DEFAULT_ROUNDING)
        self.assertEqual(tuple(TargetPolicy.Rounding.values), ROUNDINGS)

    def test_policy_rule_carries_its_percent_rounding_and_baseline(self):
        policy = TargetPolicy(
            baseline_date=datetime.date(2025, 7, 31),
            annual_percent=Decimal("10"),
            rounding=TargetPolicy.Rounding.DOWN,
        )
        self.assertEqual(
            policy.rule, TargetRule(datetime.date(2025, 7, 31), Decimal("10"), ROUNDING_DOWN)
        )
        self.assertEqual(policy.rule.quota(135), 13)  # 13.5 rounded down

    def test_rounding_phrase_is_the_choice_label_in_lower_case(self):
        cases = [
            (TargetPolicy.Rounding.UP, "dibulatkan ke atas"),
            (TargetPolicy.Rounding.DOWN, "dibulatkan ke bawah"),
            (TargetPolicy.Rounding.NEAREST, "dibulatkan ke terdekat"),
        ]
        for rounding, expected in cases:
            with self.subTest(rounding=rounding):
                policy = TargetPolicy(baseline_date=datetime.date(2025, 7, 31), rounding=rounding)
                self.assertEqual(policy.rounding_phrase, expected)
