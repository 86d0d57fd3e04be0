"""Thin views: parse the request, call selectors and charts, render."""

from __future__ import annotations

import copy
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .. import charts, permissions
from ..exports import FilteredExportMixin
from ..filters import KampungFilterSet
from ..forms import ActivityForm, FiguresForm, KampungIdentityForm, KampungProgramForm, ProfileForm
from ..models import Activity, Kabupaten, Kampung, KampungProgram
from ..rules.assessment import Assessment
from ..rules.scoring import MAX_SCORES
from ..rules.vocabularies import GROUP_INDICATORS, GROUP_LABELS, GROUPS, INDICATOR_LABELS, POKTAN
from ..selectors.accounts import kampung_pokja_members
from ..selectors.audit import (
    kampung_history,  # by name: ``audit`` would shadow the views.audit module
)
from ..selectors.completeness import pokja_kampung_overview
from ..selectors.dashboard import (
    district_summary,
    level_counts_by_kecamatan,
    map_features,
    program_counts_by_level,
    recent_level_changes,
)
from ..selectors.kampung import kampung_for_user, level_history, public_activities, public_kampung
from ..selectors.levels import level_list
from ..selectors.records import (
    figures_history,
    figures_shares,
    kampung_activities,
    kampung_program_tags,
    kampung_records,
    latest_profile,
    profile_versions,
)
from ..selectors.regions import home_kabupaten_code, kabupaten_for_user
from ..selectors.target import target_progress
from ..selectors.verification import open_assessment
from ..services.conflicts import EditConflict
from ..services.records import (
    activity_delete,
    activity_save,
    figures_create,
    kampung_program_delete,
    kampung_program_save,
    kampung_update_identity,
    profile_create,
)
from ..tables import KampungTable


def local_today() -> datetime.date:
    return timezone.localdate()


def district_overview(*, kabupaten_kode: str, today: datetime.date) -> dict:
    """What the dashboard and the public summary share: totals and the distribution chart."""
    levels = level_list()
    summary = district_summary(kabupaten_kode=kabupaten_kode, levels=levels)
    return {
        "levels": levels,
        "summary": summary,
        "distribution_chart": charts.render(
            charts.level_distribution(summary), div_id="chart-distribusi"
        ),
        "today": today,
    }


class DashboardView(LoginRequiredMixin, TemplateView):
    """District dashboard: `/` opens the user's own district, `/kabupaten/<kode>/` any in scope."""

    template_name = "classification/dashboard.html"

    def get(self, request, *args, **kwargs):
        # A reviewer whose only scope is one provinsi starts on its roll-up, not one district.
        access = permissions.access_for(request.user)
        if (
            "kode" not in kwargs
            and access.reviewer
            and len(access.read_provinsi) == 1
            and not (access.read_kabupaten or access.managed_kabupaten or access.superuser)
        ):
            return redirect("classification:province_rollup", kode=next(iter(access.read_provinsi)))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kode = kwargs.get("kode") or home_kabupaten_code(user=self.request.user)
        if kode is None:
            self.template_name = "classification/no_scope.html"
            return context
        kabupaten = kabupaten_for_user(user=self.request.user, kode=kode)
        today = local_today()
        overview = district_overview(kabupaten_kode=kabupaten.kode, today=today)
        levels = overview["levels"]
        by_kecamatan = level_counts_by_kecamatan(kabupaten_kode=kabupaten.kode, levels=levels)
        # Each year's quota from that year's own base (domain.md §4), as on /target/.
        progress = target_progress(kabupaten_kode=kabupaten.kode, levels=levels, today=today)
        features = map_features(kabupaten_kode=kabupaten.kode)
        by_program = program_counts_by_level(kabupaten_kode=kabupaten.kode, levels=levels)
        context.update(
            overview,
            kabupaten=kabupaten,
            by_kecamatan=by_kecamatan,
            by_program=by_program,
            progress=progress,
            kecamatan_chart=charts.render(
                charts.levels_by_kecamatan(by_kecamatan, levels), div_id="chart-kecamatan"
            ),
            target_chart=charts.render(charts.target_progress(progress), div_id="chart-target"),
            map_chart=(
                charts.render(charts.level_map(features, levels), div_id="chart-peta")
                if features
                else ""
            ),
            # No chart while no kampung carries a programme: empty bars say nothing.
            program_chart=(
                charts.render(charts.programs_by_level(by_program, levels), div_id="chart-program")
                if any(row.total for row in by_program)
                else ""
            ),
            recent_changes=recent_level_changes(kabupaten_kode=kabupaten.kode),
            # A Pokja member's own kampung on top (one query; none for other users).
            pokja_kampung=pokja_kampung_overview(user=self.request.user),
        )
        return context


class PublicSummaryView(TemplateView):
    """The district's public summary: totals and distribution, no personal data, no login."""

    template_name = "classification/public_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kabupaten = (
            Kabupaten.objects.select_related("provinsi")
            .filter(kode=settings.DEFAULT_KABUPATEN)
            .first()
        )
        context["kabupaten"] = kabupaten
        if kabupaten is not None:
            context.update(district_overview(kabupaten_kode=kabupaten.kode, today=local_today()))
        return context


class KampungListView(LoginRequiredMixin, FilteredExportMixin, SingleTableMixin, FilterView):
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
        return f"kampung-kb-{local_today().isoformat()}.{export_format}"


class KampungAccessMixin(LoginRequiredMixin):
    """Loads ``self.kampung`` from the URL's code: 404 outside the user's scope.

    With ``edit = True`` the page (GET and POST) is 403 unless the user may edit the kampung:
    its own Pokja or DP3A staff of its kabupaten (``permissions.can_edit_kampung``).
    """

    edit = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.kampung = kampung_for_user(user=request.user, desa_kode=kwargs["kode"])
        self.can_edit = permissions.can_edit_kampung(request.user, self.kampung)
        if self.edit and not self.can_edit:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kampung=self.kampung, can_edit=self.can_edit)
        return context


def score_groups(assessment: Assessment) -> list[dict]:
    """The twelve scores grouped Input/Proses/Output, with each group's index and verdict."""
    return [
        {
            "code": group,
            "label": GROUP_LABELS[group],
            "index": assessment.indices.index(group),
            "met": assessment.indices.met(group),
            "indicators": [
                {
                    "code": code.upper(),
                    "label": INDICATOR_LABELS[code],
                    "score": getattr(assessment.scores, code),
                    "max": MAX_SCORES[code],
                }
                for code in GROUP_INDICATORS[group]
            ],
        }
        for group in GROUPS
    ]


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
            score_groups=score_groups(assessment),
            poktan_shares=poktan_shares(assessment.scores.poktan_participation),
            figures_users=records.figures.total_users if records.figures else None,
            activities=list(kampung_activities(kampung=kampung)[: self.recent_activities]),
            program_tags=kampung_program_tags(kampung=kampung),
            open_assessment=open_assessment(kampung=kampung),
            can_set_level=permissions.can_set_level(self.request.user, kampung),
            # The latest changes to its records; None: not for this user (another kampung's
            # Pokja). A fixed number of queries (audit.kampung_history).
            change_history=(
                kampung_history(kampung=kampung)
                if permissions.can_view_kampung_history(self.request.user, kampung)
                else None
            ),
            # Who sits on its Pokja: for DP3A staff of its kabupaten only (one query; none else).
            pokja_members=(
                kampung_pokja_members(kampung=kampung)
                if permissions.access_for(self.request.user).manages_kabupaten(
                    kampung.kecamatan.kabupaten_id
                )
                else None
            ),
        )
        return context


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on a field it names, else above the form.

    After an edit conflict the form carries the version the message describes, so saving again
    goes through (forms.OpenedAtMixin).
    """
    conflict = isinstance(error, EditConflict) and error.current is not None
    if conflict and hasattr(form, "reopen_at"):
        form.reopen_at(error.current)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else NON_FIELD_ERRORS, errors)


def reverse_kampung(name: str, kampung: Kampung, *args) -> str:
    return reverse(name, args=[kampung.desa_kode, *args])


class KampungFormView(KampungAccessMixin, FormView):
    """An edit page of one kampung: the form checks input, ``save`` writes through a service."""

    edit = True

    def save(self, form) -> str:
        """Write through a service; return the success message."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())


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
            "period": date_format(figures.period, "F Y")
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

    edit = True
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

    edit = False
    template_name = "classification/program_list.html"
    form_class = KampungProgramForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kampung": self.kampung}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tags=kampung_program_tags(kampung=self.kampung), **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.can_edit:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

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

    edit = True
    template_name = "classification/program_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.get_tag(), **kwargs)

    def post(self, request, *args, **kwargs):
        tag = self.get_tag()
        name = tag.program.name
        kampung_program_delete(tag=tag, by=request.user)
        messages.success(request, _("Program %(program)s dihapus.") % {"program": name})
        return redirect(reverse_kampung("classification:kampung_program_list", self.kampung))


class PublicKampungView(TemplateView):
    """A kampung's public page: no login, no personal data (no people, no notes)."""

    template_name = "classification/kampung_public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kampung = public_kampung(desa_kode=kwargs["kode"])
        context.update(
            kampung=kampung,
            program_tags=kampung_program_tags(kampung=kampung),
            activities=public_activities(kampung=kampung),
        )
        return context


__all__ = [
    "ActivityDeleteView",
    "ActivityFormView",
    "ActivityListView",
    "DashboardView",
    "FiguresCreateView",
    "FiguresListView",
    "KampungDetailView",
    "KampungIdentityUpdateView",
    "KampungListView",
    "KampungProgramDeleteView",
    "KampungProgramListView",
    "KampungProgramUpdateView",
    "ProfileListView",
    "ProfileUpdateView",
    "PublicKampungView",
    "PublicSummaryView",
]
