"""A kampung's records: profile, figures, activities and thematic programme tags."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from ..forms.records import (
    ActivityForm,
    FiguresForm,
    KampungProgramForm,
    ProfileForm,
)
from ..models import Activity, KampungProgram
from ..selectors.records import (
    figures_history,
    figures_shares,
    kampung_activities,
    kampung_program_tags,
    latest_profile,
    profile_versions,
)
from ..services.records import (
    activity_delete,
    activity_save,
    figures_create,
    kampung_program_delete,
    kampung_program_save,
    profile_create,
)
from .base import KampungAccessMixin, KampungFormView, reverse_kampung
from .kampung import poktan_shares


def _version_id(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


class ProfileListView(KampungAccessMixin, TemplateView):
    """Every version of the profile, newest first; ``?versi=<id>`` shows an older one."""

    template_name = "classification/profile_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = profile_versions(kampung=self.kampung)
        wanted = _version_id(self.request.GET.get("versi"))
        if wanted is None:
            selected = versions[0] if versions else None
        else:
            selected = next((version for version in versions if version.pk == wanted), None)
            if selected is None:
                raise Http404
        context.update(
            versions=versions,
            profile=selected,
            is_current=bool(versions) and selected is versions[0],
        )
        return context


class ProfileUpdateView(KampungFormView):
    """Edit the profile: the form opens on the current version and saving adds a new one."""

    template_name = "classification/profile_form.html"
    form_class = ProfileForm

    def dispatch(self, request, *args, **kwargs):
        self.previous = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.previous = latest_profile(kampung=self.kampung)
        return {**super().get_form_kwargs(), "previous": self.previous}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form, so self.previous is set
        context["previous"] = self.previous
        return context

    def save(self, form) -> str:
        profile_create(
            kampung=self.kampung,
            by=self.request.user,
            based_on=form.opened_at(),
            **form.profile_fields(),
        )
        return _("Profil disimpan sebagai versi baru.")

    def get_success_url(self):
        return reverse_kampung("classification:kampung_profile", self.kampung)


def _period(raw: str | None) -> datetime.date | None:
    if not raw:
        return None
    try:
        return datetime.datetime.strptime(raw, "%Y-%m").date()
    except ValueError as exc:
        raise Http404 from exc


class FiguresListView(KampungAccessMixin, ListView):
    """Figures by period, newest first, with the computed CPR, MKJP and unmet need."""

    template_name = "classification/figures_list.html"
    paginate_by = 24
    context_object_name = "figures_list"

    def get_queryset(self):
        return figures_history(kampung=self.kampung)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [figures_shares(figures) for figures in context["figures_list"]]
        period = _period(self.request.GET.get("periode"))
        if period is not None:
            selected = figures_shares(get_object_or_404(self.get_queryset(), period=period))
        else:
            selected = rows[0] if rows and context["page_obj"].number == 1 else None
        context.update(
            rows=rows,
            selected=selected,
            selected_poktan=poktan_shares(selected.poktan_participation) if selected else [],
        )
        return context


class FiguresCreateView(KampungFormView):
    template_name = "classification/figures_form.html"
    form_class = FiguresForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kampung": self.kampung}

    def save(self, form) -> str:
        figures = figures_create(
            kampung=self.kampung, by=self.request.user, **form.figures_fields()
        )
        return _("Angka periode %(period)s disimpan.") % {
            "period": date_format(figures.period, "YEAR_MONTH_FORMAT")
        }

    def get_success_url(self):
        return reverse_kampung("classification:kampung_figures", self.kampung)


class ActivityListView(KampungAccessMixin, ListView):
    template_name = "classification/activity_list.html"
    paginate_by = 20
    context_object_name = "activities"

    def get_queryset(self):
        return kampung_activities(kampung=self.kampung)


class ActivityMixin:
    """The activity named in the URL, which must belong to the kampung in the URL (else 404)."""

    def get_activity(self) -> Activity:
        if not hasattr(self, "activity"):
            self.activity = get_object_or_404(self.kampung.activities, pk=self.kwargs["pk"])
        return self.activity


class ActivityFormView(ActivityMixin, KampungFormView):
    """Add a kegiatan (no ``pk`` in the URL) or change one."""

    template_name = "classification/activity_form.html"
    form_class = ActivityForm

    def get_instance(self) -> Activity:
        if "pk" in self.kwargs:
            return self.get_activity()
        return Activity(kampung=self.kampung)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_new="pk" not in self.kwargs, **kwargs)

    def save(self, form) -> str:
        is_new = form.instance.pk is None
        activity = activity_save(
            activity=form.instance,
            by=self.request.user,
            agencies=form.cleaned_data["agencies"],
            expected_version=form.opened_at(),
        )
        if is_new:
            return _("Kegiatan “%(title)s” ditambahkan.") % {"title": activity.title}
        return _("Kegiatan “%(title)s” diperbarui.") % {"title": activity.title}

    def get_success_url(self):
        return reverse_kampung("classification:activity_list", self.kampung)


class ActivityDeleteView(ActivityMixin, KampungAccessMixin, TemplateView):
    """Ask before deleting a kegiatan (GET), delete it (POST)."""

    kampung_access = "edit"
    template_name = "classification/activity_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.get_activity(), **kwargs)

    def post(self, request, *args, **kwargs):
        activity = self.get_activity()
        title = activity.title
        activity_delete(activity=activity, by=request.user)
        messages.success(request, _("Kegiatan “%(title)s” dihapus.") % {"title": title})
        return redirect(reverse_kampung("classification:activity_list", self.kampung))


class KampungProgramMixin:
    """The programme tag named in the URL, which must belong to the kampung (else 404)."""

    def get_tag(self) -> KampungProgram:
        if not hasattr(self, "tag"):
            self.tag = get_object_or_404(
                self.kampung.programs.select_related("program"), pk=self.kwargs["pk"]
            )
        return self.tag


class KampungProgramListView(KampungFormView):
    """The kampung's thematic programme tags, and (for those who may edit) a form to add one."""

    kampung_access = "read"
    kampung_write_access = "edit"
    template_name = "classification/program_list.html"
    form_class = KampungProgramForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kampung": self.kampung}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tags=kampung_program_tags(kampung=self.kampung), **kwargs)

    def save(self, form) -> str:
        tag = kampung_program_save(tag=form.instance, by=self.request.user)
        return _("Program %(program)s ditambahkan.") % {"program": tag.program.name}

    def get_success_url(self):
        return reverse_kampung("classification:kampung_program_list", self.kampung)


class KampungProgramUpdateView(KampungProgramMixin, KampungFormView):
    template_name = "classification/program_form.html"
    form_class = KampungProgramForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kampung": self.kampung, "instance": self.get_tag()}

    def save(self, form) -> str:
        tag = kampung_program_save(tag=form.instance, by=self.request.user)
        return _("Program %(program)s diperbarui.") % {"program": tag.program.name}

    def get_success_url(self):
        return reverse_kampung("classification:kampung_program_list", self.kampung)


class KampungProgramDeleteView(KampungProgramMixin, KampungAccessMixin, TemplateView):
    """Ask before removing a programme tag (GET), remove it (POST)."""

    kampung_access = "edit"
    template_name = "classification/program_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.get_tag(), **kwargs)

    def post(self, request, *args, **kwargs):
        tag = self.get_tag()
        name = tag.program.name
        kampung_program_delete(tag=tag, by=request.user)
        messages.success(request, _("Program %(program)s dihapus.") % {"program": name})
        return redirect(reverse_kampung("classification:kampung_program_list", self.kampung))
