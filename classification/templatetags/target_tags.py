"""Template helpers for the 5%-a-year target page."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def signed(value) -> str:
    """A change with its sign, Indonesian style: ``+2``, ``−1``, ``0``, ``+1,5``."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    text = f"{abs(number):f}".replace(".", ",")
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return "0"
