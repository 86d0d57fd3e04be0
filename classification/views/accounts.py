"""Pokja accounts, managed by DP3A staff from the site (domain.md §6).

List, add, set a new password, deactivate and reactivate. Every write goes through
``classification.services.accounts``. Anyone but DP3A staff (and superusers) gets 403; an account
DP3A staff may not manage (another kabupaten's, or not a Pokja account at all) is 404, so its
existence is not revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableView

from .. import permissions
from ..exports import FilteredExportMixin
from ..forms.accounts import PokjaAccountForm, PokjaPasswordForm
from ..forms.filters import PokjaAccountFilterForm
from ..selectors.accounts import account_kampung_choices, managed_pokja_account, pokja_account_rows
from ..services.accounts import (
    pokja_account_create,
    pokja_account_set_active,
    pokja_account_set_password,
)
from ..tables import PokjaAccountTable
from .base import RequiresRule, add_service_errors

ACCOUNT_LIST_URL = reverse_lazy("classification:pokja_accounts")


class AccountManagerMixin(RequiresRule):
    """Anonymous → login page; signed in without ``can_manage_district`` → 403."""

    permission_rule = permissions.can_manage_district


class ManagedAccountMixin(AccountManagerMixin):
    """The account named in the URL, which the user must manage (else 404).

    Looked up as the page renders, after the role gate: whoever may not manage accounts at all
    gets 403 for every pk, which reveals nothing.
    """

    def get_account(self):
        if not hasattr(self, "account"):
            self.account = managed_pokja_account(user=self.request.user, pk=self.kwargs["pk"])
        return self.account

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.get_account(), **kwargs)


class PokjaAccountListView(AccountManagerMixin, FilteredExportMixin, SingleTableView):
    """The Pokja accounts of the kabupaten the user manages: filterable, sortable, paginated."""

    template_name = "classification/pokja_account_list.html"
    table_class = PokjaAccountTable
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        self.filter_form = PokjaAccountFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        status = data.get("status")
        return pokja_account_rows(
            user=self.request.user,
            q=(data.get("q") or "").strip(),
            active={"aktif": True, "nonaktif": False}.get(status),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)

    def get_export_filename(self, export_format):
        return f"akun-pokja.{export_format}"


class PokjaAccountCreateView(AccountManagerMixin, FormView):
    """A new Pokja login; ``?kampung=<kode>`` preselects the kampung (from its page)."""

    template_name = "classification/pokja_account_form.html"
    form_class = PokjaAccountForm

    def get_initial(self):
        return {**super().get_initial(), "kampung": self.request.GET.get("kampung", "")}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "kampung_queryset": account_kampung_choices(user=self.request.user),
        }

    def form_valid(self, form):
        try:
            user = pokja_account_create(by=self.request.user, **form.account_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        kampung = form.cleaned_data["kampung"]
        messages.success(
            self.request,
            _(
                "Akun %(username)s untuk Pokja %(kampung)s dibuat. Berikan nama pengguna dan "
                "sandinya langsung kepada yang bersangkutan."
            )
            % {"username": user.username, "kampung": kampung.desa_nama},
        )
        return redirect(ACCOUNT_LIST_URL)


class PokjaAccountPasswordView(ManagedAccountMixin, FormView):
    """A new password for a Pokja account (a forgotten one is replaced, never shown)."""

    template_name = "classification/pokja_account_password.html"
    form_class = PokjaPasswordForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.get_account()}

    def form_valid(self, form):
        account = self.get_account()
        try:
            pokja_account_set_password(
                user=account, password=form.cleaned_data["password1"], by=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Sandi baru untuk %(username)s disimpan; sesi lamanya berakhir. Berikan sandi "
                "itu langsung kepada yang bersangkutan."
            )
            % {"username": account.username},
        )
        return redirect(ACCOUNT_LIST_URL)


class PokjaAccountActiveView(ManagedAccountMixin, TemplateView):
    """Ask first (GET), then deactivate or reactivate the account (POST)."""

    template_name = "classification/pokja_account_confirm_active.html"
    active: bool

    def get_context_data(self, **kwargs):
        return super().get_context_data(active=self.active, **kwargs)

    def post(self, request, *args, **kwargs):
        account = self.get_account()
        try:
            pokja_account_set_active(user=account, active=self.active, by=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        if self.active:
            message = _("Akun %(username)s diaktifkan kembali: ia dapat masuk lagi.")
        else:
            message = _(
                "Akun %(username)s dinonaktifkan: ia tidak dapat masuk lagi. Isian dan "
                "riwayatnya tetap tersimpan."
            )
        messages.success(request, message % {"username": account.username})
        return redirect(ACCOUNT_LIST_URL)


class PokjaAccountDeactivateView(PokjaAccountActiveView):
    active = False


class PokjaAccountActivateView(PokjaAccountActiveView):
    active = True


__all__ = [
    "PokjaAccountActivateView",
    "PokjaAccountCreateView",
    "PokjaAccountDeactivateView",
    "PokjaAccountListView",
    "PokjaAccountPasswordView",
]
