"""The verification workflow's pages (domain.md §6).

A Pokja saves or submits its assessment at ``/kampung/<kode>/penilaian/``; DP3A staff work the
queue at ``/verifikasi/``, verify or return one assessment at ``/verifikasi/<pk>/``, and correct
an official level directly at ``/kampung/<kode>/level/``. Every write goes through
``classification.services.verification``, which checks the rules again (nobody reviews their own
submission, only DP3A of the kabupaten set a level, a stale page cannot process twice).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import permissions
from ..forms.workflow import (
    AssessmentForm,
    AssessmentReturnForm,
    AssessmentVerifyForm,
    LevelCorrectForm,
)
from ..models import Assessment
from ..rules.numbers import format_decimal
from ..rules.vocabularies import GROUP_LABELS, GROUPS
from ..selectors.kampung import level_history
from ..selectors.levels import level_list
from ..selectors.records import kampung_records
from ..selectors.verification import (
    assessment_changes,
    assessment_for_review,
    kampung_assessments,
    latest_verified_assessment,
    verification_queue,
)
from ..services.verification import (
    assessment_return,
    assessment_save,
    assessment_verify,
    level_correct,
)
from .base import (
    KampungFormView,
    RequiresObjectRule,
    RequiresRule,
    add_service_errors,
    reverse_kampung,
)
from .kampung import snapshot_score_groups


class AssessmentView(KampungFormView):
    """A kampung's assessments, newest first; its Pokja (and DP3A) also get the form.

    Everybody who may read the kampung sees the list; only ``can_submit_assessment`` may POST.
    """

    kampung_access = "read"
    kampung_write_access = "submit"
    template_name = "classification/assessment_list.html"
    form_class = AssessmentForm

    @cached_property
    def can_submit(self) -> bool:
        return permissions.can_submit_assessment(self.request.user, self.kampung)

    @cached_property
    def assessments(self) -> list[Assessment]:
        return kampung_assessments(kampung=self.kampung)

    @cached_property
    def open_assessment(self) -> Assessment | None:
        return next((a for a in self.assessments if a.is_open), None)

    def get_initial(self):
        current = self.open_assessment if self.request.method == "GET" else None
        if current is None:
            return {}
        return {"proposed_level": current.proposed_level_id, "note": current.pokja_note}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.open_assessment
        waiting = current is not None and current.status == Assessment.Status.SUBMITTED
        records = kampung_records(kampung=self.kampung)
        levels_by_code = {level.code: level for level in level_list()}
        context.update(
            assessments=self.assessments,
            open_assessment=current,
            can_submit=self.can_submit,
            can_verify=permissions.can_set_level(self.request.user, self.kampung),
            # A submitted assessment waits for DP3A: no form, unless a refused POST needs it.
            show_form=self.can_submit and (not waiting or context["form"].is_bound),
            records=records,
            estimated_level=levels_by_code.get(records.assessment.level.value),
            indices=[
                {
                    "label": GROUP_LABELS[group],
                    "index": format_decimal(records.assessment.indices.index(group)),
                    "met": records.assessment.indices.met(group),
                }
                for group in GROUPS
            ],
        )
        return context

    def save(self, form) -> str:
        assessment = assessment_save(
            kampung=self.kampung, by=self.request.user, **form.assessment_fields()
        )
        if assessment.status == Assessment.Status.SUBMITTED:
            return _("Penilaian diajukan untuk verifikasi DP3A.")
        return _("Draf penilaian disimpan.")

    def get_success_url(self):
        return reverse_kampung("classification:assessment", self.kampung)


class VerificationQueueView(RequiresRule, TemplateView):
    """Submitted assessments of the kabupaten the user manages, oldest first."""

    permission_rule = permissions.can_manage_district
    template_name = "classification/verification_queue.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=verification_queue(user=self.request.user), **kwargs)


class AssessmentReviewView(RequiresObjectRule, TemplateView):
    """One submitted assessment, with a form to verify it and one to return it.

    404 when its kampung is out of the user's reach; 403 for anyone but DP3A staff of its
    kabupaten, and for the person who submitted it.
    """

    object_rule = permissions.can_review
    template_name = "classification/verification_review.html"
    VERIFY = "verifikasi"
    RETURN = "kembalikan"

    def get_gated_object(self) -> Assessment:
        self.assessment = assessment_for_review(user=self.request.user, pk=self.kwargs["pk"])
        return self.assessment

    def verify_form(self, data=None) -> AssessmentVerifyForm:
        return AssessmentVerifyForm(data, assessment=self.assessment, prefix=self.VERIFY)

    def return_form(self, data=None) -> AssessmentReturnForm:
        return AssessmentReturnForm(data, assessment=self.assessment, prefix=self.RETURN)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        previous = latest_verified_assessment(assessment=assessment)
        context.setdefault("verify_form", self.verify_form())
        context.setdefault("return_form", self.return_form())
        context.update(
            assessment=assessment,
            kampung=assessment.kampung,
            is_waiting=assessment.status == Assessment.Status.SUBMITTED,
            changes=assessment_changes(assessment=assessment, previous=previous),
            score_groups=snapshot_score_groups(assessment),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("aksi")
        if action == self.VERIFY:
            form = self.verify_form(request.POST)
            act, fields = assessment_verify, form.verify_fields
        elif action == self.RETURN:
            form = self.return_form(request.POST)
            act, fields = assessment_return, form.return_fields
        else:
            return HttpResponseBadRequest()
        if form.is_valid():
            try:
                done = act(assessment=self.assessment, by=request.user, **fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self._success_message(done))
                return redirect("classification:verification_queue")
        key = "verify_form" if action == self.VERIFY else "return_form"
        return self.render_to_response(self.get_context_data(posted_form=form, **{key: form}))

    def _success_message(self, assessment: Assessment) -> str:
        if assessment.status == Assessment.Status.VERIFIED:
            return _("Penilaian %(kampung)s diverifikasi: level resmi kini %(level)s.") % {
                "kampung": assessment.kampung.desa_nama,
                "level": assessment.verified_level.label,
            }
        return _("Penilaian dikembalikan ke Pokja dengan catatan.")


class LevelCorrectView(KampungFormView):
    """DP3A corrects a kampung's official level directly; nobody else may (its Pokja neither)."""

    kampung_access = "set_level"
    # The form's methods (its PUT is its POST); OPTIONS answers whoever reads the kampung.
    guarded_methods = frozenset({"GET", "HEAD", "POST", "PUT"})
    template_name = "classification/verification_level_form.html"
    form_class = LevelCorrectForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=level_history(kampung=self.kampung)[:5], **kwargs)

    def save(self, form) -> str:
        change = level_correct(
            kampung=self.kampung, by=self.request.user, **form.correction_fields()
        )
        return _("Level resmi %(kampung)s dikoreksi menjadi %(level)s.") % {
            "kampung": self.kampung.desa_nama,
            "level": change.level_to.label,
        }

    def get_success_url(self):
        return reverse("classification:kampung_detail", args=[self.kampung.desa_kode]) + "#riwayat"


__all__ = [
    "AssessmentReviewView",
    "AssessmentView",
    "LevelCorrectView",
    "VerificationQueueView",
]
