"""Exact percentages and decimals as the rule rounds them and as pages print them.

Two roundings, on purpose, because they mean different things:

* **The scoring rule's** (``percent``, ``round_half_even``): whole numbers, half to even, as the
  national portal's database rounds before banding (domain.md §2). A score depends on it.
* **Display** (``share``, ``round_for_display``, ``format_decimal``): what pages, charts' labels
  and the API print for counts and rates (a level's share of the kampung, a pace per year, a
  group index): a fixed number of decimals, half up, as people round by hand (and as Django's
  ``floatformat`` does). Nothing is decided on these numbers.
"""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from typing import Final

from django.utils.formats import number_format

# --------------------------------------------------------------------------------------------
# Percentages (§2: whole numbers, half to even; zero denominator → 0)
# --------------------------------------------------------------------------------------------

# A private context: exact enough for any realistic count, and immune to changes in the
# thread's decimal context made elsewhere.
CONTEXT: Final[Context] = Context(prec=50, rounding=ROUND_HALF_EVEN)


_ONE: Final[Decimal] = Decimal(1)


CENT: Final[Decimal] = Decimal("0.01")


TENTH: Final[Decimal] = Decimal("0.1")


def round_half_even(value: Decimal) -> int:
    """Round to a whole number, half to even, as the portal's database rounds (§2)."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=CONTEXT))


def percent(numerator: int, denominator: int) -> int:
    """``numerator ÷ denominator × 100`` as a whole number, half to even; 0 if the denominator is 0.

    The scoring rule's percentage (CPR, MKJP, unmet need, poktan participation), not a display
    rounding: computed exactly (``Decimal``), so 81 of 200 = 40.5 → 40 and 83 of 200 = 41.5 → 42
    (§2). Pages print it as it is (``kampung_records.percent``).
    """
    if denominator == 0:
        return 0
    exact = CONTEXT.divide(CONTEXT.multiply(Decimal(numerator), Decimal(100)), denominator)
    return round_half_even(exact)


# --------------------------------------------------------------------------------------------
# Display: a fixed number of decimals, half up
# --------------------------------------------------------------------------------------------


def round_for_display(value: Decimal | int, step: Decimal = TENTH) -> Decimal:
    """``value`` to the decimals of ``step`` (one by default), half up: 6.25 → 6.3, 7.35 → 7.4.

    The one display rounding: shares (``share``), the target page's signed changes
    (``target_tags.signed``) and group indices (``format_decimal``) all go through it.
    """
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP, context=CONTEXT)


def share(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole`` for display: one decimal, half up; 0.0 for none.

    17 of 135 = 12.59… → 12.6; 1 of 16 = 6.25 → 6.3.
    """
    if not whole:
        return Decimal("0.0")
    return round_for_display(CONTEXT.divide(CONTEXT.multiply(Decimal(part), 100), whole))


def format_decimal(value: Decimal) -> str:
    """A group index for users: 2 decimals, half up, as the active language writes them
    ("2,60"; English "2.60")."""
    return number_format(round_for_display(value, CENT), 2)
