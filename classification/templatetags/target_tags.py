"""Template helpers for the 5%-a-year target page."""

from decimal import Decimal

from django import template

from ..rules.numbers import round_for_display

register = template.Library()


@register.filter
def signed(value) -> str:
    """A change with its sign, Indonesian style: ``+2``, ``−1``, ``0``, ``+1,5``.

    One decimal at most, rounded as every displayed number is (``rules.numbers``).
    """
    if value is None:
        return "—"
    number = round_for_display(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    text = f"{abs(number):f}".replace(".", ",")
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return "0"
