"""Exact percentages and decimals as the rule rounds them and as pages print them."""

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


def round_half_even(value: Decimal) -> int:
    """Round to a whole number, half to even, as the portal's database rounds (§2)."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=CONTEXT))


def percent(numerator: int, denominator: int) -> int:
    """``numerator ÷ denominator × 100`` as a whole number, half to even; 0 if the denominator is 0.

    Computed exactly (``Decimal``), so 81 of 200 = 40.5 → 40 and 83 of 200 = 41.5 → 42 (§2).
    """
    if denominator == 0:
        return 0
    exact = CONTEXT.divide(CONTEXT.multiply(Decimal(numerator), Decimal(100)), denominator)
    return round_half_even(exact)


def format_decimal(value: Decimal) -> str:
    """A group index for users: 2 decimals, as the active language writes them ("2,60";
    English "2.60")."""
    return number_format(value.quantize(CENT, rounding=ROUND_HALF_UP, context=CONTEXT), 2)
