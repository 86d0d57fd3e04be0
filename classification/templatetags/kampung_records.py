"""Display helpers for a kampung's records: vocabulary codes as labels, computed percentages."""

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import Activity, Frequency
from ..rules.vocabularies import DATA_SOURCES, FUNDING_SOURCES, MECHANISMS, POKTAN

register = template.Library()

VOCABULARIES = {
    "funding_sources": FUNDING_SOURCES,
    "poktan": POKTAN,
    "data_sources": DATA_SOURCES,
    "target_groups": dict(Activity.TargetGroup.choices),
}


@register.filter
def vocabulary_labels(codes, vocabulary: str) -> list[str]:
    """The labels of ``codes`` in the vocabulary's own order (unknown codes are shown as is)."""
    labels = VOCABULARIES[vocabulary]
    codes = list(codes or [])
    known = [capfirst(str(label)) for code, label in labels.items() if code in codes]
    return known + [code for code in codes if code not in labels]


@register.filter
def mechanism_rows(mechanisms) -> list[tuple[str, str]]:
    """Each operational mechanism (P2) with how often it is held."""
    frequencies = dict(Frequency.choices)
    mechanisms = mechanisms or {}
    return [
        (capfirst(label), frequencies.get(mechanisms.get(code), frequencies[Frequency.TIDAK]))
        for code, label in MECHANISMS.items()
    ]


@register.filter
def percent(value) -> str:
    """A computed whole-number percentage, or a dash when its figures are missing.

    Prints the scoring rule's own percentage (``rules.numbers.percent``, already whole): no
    second rounding, so the page shows the number the score was banded on.
    """
    return "—" if value is None else f"{value}%"


@register.filter
def yes_no(value) -> str:
    return _("Ya") if value else _("Tidak")
