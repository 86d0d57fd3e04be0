"""What the views share: today's date, the kampung access mixin, form views, service errors."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from .. import permissions
from ..models import Kampung
from ..selectors.kampung import kampung_for_user
from ..services.conflicts import EditConflict


def local_today() -> datetime.date:
    return timezone.localdate()


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


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on a field it names, else above the form.

    After an edit conflict the form carries the version the message describes, so saving again
    goes through (forms.base.OpenedAtMixin).
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
