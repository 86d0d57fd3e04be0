"""The two roundings of ``rules.numbers``: the scoring rule's, and the one every page prints."""

from decimal import Decimal

from django.test import SimpleTestCase

from classification.rules.numbers import format_decimal, percent, round_for_display, share
from classification.templatetags.target_tags import signed


class DisplayRoundingTests(SimpleTestCase):
    def test_share_has_one_decimal_rounded_half_up(self):
        cases = [
            # part, whole, share
            (17, 135, "12.6"),  # 12.592… (Tanah Laut's mandiri+ at the baseline)
            (93, 135, "68.9"),
            (1, 16, "6.3"),  # 6.25: the half goes up
            (3, 16, "18.8"),  # 18.75
            (1, 3, "33.3"),
            (2, 3, "66.7"),
            (135, 135, "100.0"),
            (0, 135, "0.0"),
            (0, 0, "0.0"),  # nothing to share
        ]
        for part, whole, expected in cases:
            with self.subTest(part=part, whole=whole):
                self.assertEqual(share(part, whole), Decimal(expected))
                self.assertEqual(str(share(part, whole)), expected)

    def test_round_for_display_defaults_to_one_decimal_half_up(self):
        cases = [("7.35", "7.4"), ("7.25", "7.3"), ("-0.25", "-0.3"), ("4", "4.0"), (3, "3.0")]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(str(round_for_display(Decimal(value))), expected)
        self.assertEqual(str(round_for_display(Decimal("2.605"), Decimal("0.01"))), "2.61")

    def test_index_prints_two_decimals_with_a_comma(self):
        self.assertEqual(format_decimal(Decimal("2.6")), "2,60")
        self.assertEqual(format_decimal(Decimal("2.335")), "2,34")

    def test_signed_changes_use_the_same_rounding(self):
        cases = [
            (Decimal("3.65"), "+3,7"),
            (Decimal("-0.25"), "−0,3"),
            (Decimal("4.0"), "+4"),
            (0, "0"),
            (-1, "−1"),
            (None, "—"),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(signed(value), expected)


class ScoringRoundingIsSeparateTests(SimpleTestCase):
    def test_the_rule_rounds_to_whole_numbers_half_to_even_where_pages_round_half_up(self):
        # 81 of 200 = 40.5: the portal's rule bands 40; a page printing the share shows 40.5.
        self.assertEqual(percent(81, 200), 40)
        self.assertEqual(percent(83, 200), 42)
        self.assertEqual(share(81, 200), Decimal("40.5"))
        # 1 of 16 = 6.25: whole-number rule 6; one-decimal display 6.3 (half up, not 6.2).
        self.assertEqual(percent(1, 16), 6)
        self.assertEqual(share(1, 16), Decimal("6.3"))
