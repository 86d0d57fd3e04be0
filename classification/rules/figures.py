"""A month's figures: the count fields and the rules between them (form and import share them).

Plain Python, no ORM: ``figures_rule_errors`` is told how to name a field (``label``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .vocabularies import CONTRACEPTIVE_METHODS, NON_USE_REASONS, POKTAN

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

POKTAN_TARGET_FIELDS = {
    # O1: each poktan's participants are counted against its target group (domain.md §2).
    "participants_bkb": "families_with_balita",
    "participants_bkr": "families_with_remaja",
    "participants_bkl": "families_with_lansia",
    "participants_uppka": "families",
    "participants_pikr": "remaja",
}


USER_FIELDS = [f"users_{method}" for method in CONTRACEPTIVE_METHODS]


NOT_USING_FIELDS = [f"not_using_{reason}" for reason in NON_USE_REASONS]


NEGATIVE = _("Angka tidak boleh negatif.")

FAMILY_FIELDS = (
    "families",
    "pus",
    "remaja",
    "families_with_balita",
    "families_with_remaja",
    "families_with_lansia",
)
FIGURE_COUNT_FIELDS = (*FAMILY_FIELDS, *POKTAN_TARGET_FIELDS, *USER_FIELDS, *NOT_USING_FIELDS)
FAMILY_SUBSET_FIELDS = ("families_with_balita", "families_with_remaja", "families_with_lansia")


def figures_rule_errors(
    values: Mapping[str, int | None], label: Callable[[str], StrOrPromise]
) -> list[tuple[str, ValidationError]]:
    """The rules between one month's counts, as (field, error) pairs; empty when they hold.

    Pure (no database): ``values`` maps field names to counts, ``None`` or absent for a missing
    or invalid one, whose rules are then skipped. ``FiguresForm`` and the file import share it;
    ``label(name)`` names a field in the messages.
    """
    problems: list[tuple[str, ValidationError]] = []
    for participants, target in POKTAN_TARGET_FIELDS.items():
        count, limit = values.get(participants), values.get(target)
        if count is not None and limit is not None and count > limit:
            poktan = POKTAN[participants.removeprefix("participants_")]
            error = ValidationError(
                _("Peserta %(poktan)s (%(count)s) melebihi %(target)s (%(limit)s)."),
                code="over_target",
                params={
                    "poktan": poktan,
                    "count": count,
                    "target": label(target),
                    "limit": limit,
                },
            )
            problems.append((participants, error))
    families = values.get("families")
    for name in FAMILY_SUBSET_FIELDS:
        value = values.get(name)
        if families is not None and value is not None and value > families:
            error = ValidationError(
                _("%(field)s (%(value)s) melebihi jumlah keluarga (%(families)s)."),
                code="over_families",
                params={
                    "field": capfirst(label(name)),
                    "value": value,
                    "families": families,
                },
            )
            problems.append((name, error))
    breakdown = [values.get(name) for name in (*USER_FIELDS, *NOT_USING_FIELDS)]
    pus = values.get("pus")
    if pus is not None and None not in breakdown:
        # ``or 0`` only for the type checker: no count is None here (checked just above).
        users = sum(values[name] or 0 for name in USER_FIELDS)
        non_users = sum(values[name] or 0 for name in NOT_USING_FIELDS)
        if users + non_users != pus:
            error = ValidationError(
                _(
                    "Peserta KB (%(users)s) + PUS bukan peserta KB (%(non_users)s) = "
                    "%(total)s, tidak sama dengan PUS (%(pus)s)."
                ),
                code="pus_mismatch",
                params={
                    "users": users,
                    "non_users": non_users,
                    "total": users + non_users,
                    "pus": pus,
                },
            )
            problems.append(("pus", error))
    return problems
