"""The kampung table, a kampung's page and its identity form."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .. import permissions
from ..exports import FilteredExportMixin
from ..filters import KampungFilterSet
from ..forms.records import (
    KampungIdentityForm,
)
from ..models import Assessment as AssessmentRecord
from ..models import Kampung
from ..rules.assessment import Assessment
from ..rules.scoring import MAX_SCORES, is_met
from ..rules.vocabularies import GROUP_INDICATORS, GROUP_LABELS, GROUPS, INDICATOR_LABELS, POKTAN
from ..selectors.accounts import kampung_pokja_members
from ..selectors.audit import kampung_history
from ..selectors.kampung import level_history
from ..selectors.levels import level_list
from ..selectors.records import (
    kampung_activities,
    kampung_program_tags,
    kampung_records,
)
from ..selectors.regions import home_kabupaten_code
from ..selectors.verification import open_assessment
from ..services.records import (
    kampung_update_identity,
)
from ..tables import KampungTable
from . import base
from .base import KampungAccessMixin, KampungFormView, RequiresSignIn


class KampungListView(RequiresSignIn, FilteredExportMixin, SingleTableMixin, FilterView):
    """All kampung the user may read: sortable, filterable, paginated, exportable as shown."""

    template_name = "classification/kampung_list.html"
    table_class = KampungTable
    filterset_class = KampungFilterSet
    # Only the table paginates: a paginate_by here would make the list view count the rows too.
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return Kampung.objects.visible_to(self.request.user).for_listing()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["home_kabupaten"] = home_kabupaten_code(user=self.request.user)
        return kwargs

    def get_export_filename(self, export_format):
        return f"kampung-kb-{base.local_today().isoformat()}.{export_format}"


@dataclass(frozen=True)
class IndicatorScore:
    code: str  # "I1" … "O4"
    label: str
    score: int | None  # None: not in a snapshot
    max: int


@dataclass(frozen=True)
class ScoreGroup:
    code: str  # "input", "proses", "output"
    label: str
    index: Decimal | None  # None: not in a snapshot
    met: bool
    indicators: list[IndicatorScore]


def score_groups(
    *, indices: Mapping[str, Decimal | None], scores: Mapping[str, int | None]
) -> list[ScoreGroup]:
    """The twelve scores grouped Input/Proses/Output, each group with its index and verdict.

    One shape for the score table (``_snippets/score_table.html``) of the kampung page's live
    estimate (``estimate_score_groups``) and of a submitted snapshot (``snapshot_score_groups``),
    where an index or a score may be missing (``None``, shown as "—").
    """
    return [
        ScoreGroup(
            code=group,
            label=GROUP_LABELS[group],
            index=indices.get(group),
            met=indices.get(group) is not None and is_met(indices[group]),
            indicators=[
                IndicatorScore(
                    code=code.upper(),
                    label=INDICATOR_LABELS[code],
                    score=scores.get(code),
                    max=MAX_SCORES[code],
                )
                for code in GROUP_INDICATORS[group]
            ],
        )
        for group in GROUPS
    ]


def estimate_score_groups(assessment: Assessment) -> list[ScoreGroup]:
    """``score_groups`` of the estimate ``rules.assessment.assess`` gives on current records."""
    return score_groups(
        indices={group: assessment.indices.index(group) for group in GROUPS},
        scores=assessment.scores.as_dict(),
    )


def snapshot_score_groups(assessment: AssessmentRecord) -> list[ScoreGroup]:
    """``score_groups`` of the scores and indices a submitted assessment stored."""
    return score_groups(
        indices={group: getattr(assessment, f"index_{group}") for group in GROUPS},
        scores=assessment.scores or {},
    )


def poktan_shares(shares: dict[str, int | None]) -> list[tuple[str, int | None]]:
    return [(label, shares.get(code)) for code, label in POKTAN.items()]


class KampungDetailView(KampungAccessMixin, TemplateView):
    """One kampung: identity, current profile and figures, estimated level, activities, history."""

    template_name = "classification/kampung_detail.html"
    recent_activities = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kampung = self.kampung
        records = kampung_records(kampung=kampung)
        assessment = records.assessment
        levels_by_code = {level.code: level for level in level_list()}
        context.update(
            history=level_history(kampung=kampung),
            records=records,
            assessment=assessment,
            estimated_level=levels_by_code.get(assessment.level.value),
            score_groups=estimate_score_groups(assessment),
            poktan_shares=poktan_shares(assessment.scores.poktan_participation),
            figures_users=records.figures.total_users if records.figures else None,
            activities=list(kampung_activities(kampung=kampung)[: self.recent_activities]),
            program_tags=kampung_program_tags(kampung=kampung),
            open_assessment=open_assessment(kampung=kampung),
            can_set_level=permissions.can_set_level(self.request.user, kampung),
            # The latest changes to its records; None: not for this user (another kampung's
            # Pokja). A fixed number of queries (selectors.audit.kampung_history).
            change_history=(
                kampung_history(kampung=kampung)
                if permissions.can_view_kampung_history(self.request.user, kampung)
                else None
            ),
            # Who sits on its Pokja: for DP3A staff of its kabupaten only (one query; none else).
            pokja_members=(
                kampung_pokja_members(kampung=kampung)
                if permissions.can_manage_kabupaten(
                    self.request.user, kampung.kecamatan.kabupaten_id
                )
                else None
            ),
        )
        return context


class KampungIdentityUpdateView(KampungFormView):
    template_name = "classification/kampung_identity_form.html"
    form_class = KampungIdentityForm

    def get_form_kwargs(self):
        # The form fills its instance while validating; a copy keeps rejected input out of the
        # page header and anything else that shows the kampung.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.kampung)}

    def save(self, form) -> str:
        kampung_update_identity(
            kampung=self.kampung,
            by=self.request.user,
            expected_version=form.opened_at(),
            **form.identity_fields(),
        )
        return _("Identitas kampung disimpan.")

    def get_success_url(self):
        return self.kampung.get_absolute_url()
