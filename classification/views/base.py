"""What the views share: today's date, the gates every view declares, form views, service errors.

The gates are the one vocabulary a page uses to say who may open it. The rules they ask live in
``classification.permissions``; the API's gates (``api.permissions``) ask the same rules.

- ``PublicView``: anyone, signed in or not (``public(view)`` marks a view from outside the app);
- ``RequiresSignIn``: any signed-in user; the page narrows its data to the user's reach;
- ``RequiresRule``: a rule about the user (``permission_rule``), else 403;
- ``RequiresObjectRule``: the URL's object through a scoped lookup (404 out of reach), then a
  rule about the user and that object (``object_rule``), else 403;
- ``KampungAccessMixin``: the same for the URL's kampung, by ``kampung_access``.

Behind every gate but the public one, anonymous users go to the login page first.
``tests/test_view_gates.py`` fails for a view in the URLconf that declares none of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
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


# --------------------------------------------------------------------------------------------
# Gates
# --------------------------------------------------------------------------------------------


def _rule_name(rule: Callable[..., bool]) -> str:
    return getattr(rule, "__name__", repr(rule))


class Gate:
    """Base of every gate: ``declared_gate()`` says, in words, who may open the view."""

    public: ClassVar[bool] = False
    # The methods a rule gate asks its rule for (None: every method). The others go on to the
    # view (405, or OPTIONS' Allow header), as where a page used to check its rule in get/post.
    guarded_methods: ClassVar[frozenset[str] | None] = None

    @classmethod
    def declared_gate(cls) -> str:
        """The view's gate; ImproperlyConfigured when it is incomplete (e.g. names no rule)."""
        raise ImproperlyConfigured(f"{cls.__name__} declares no gate")

    @classmethod
    def _guards(cls, method: str) -> bool:
        return cls.guarded_methods is None or method in cls.guarded_methods

    @classmethod
    def _on_methods(cls) -> str:
        return (
            "" if cls.guarded_methods is None else f" on {', '.join(sorted(cls.guarded_methods))}"
        )


class PublicView(Gate):
    """Anyone, signed in or not: pages without personal data. Only the declaration: no check."""

    public = True

    @classmethod
    def declared_gate(cls) -> str:
        return "public"


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a view function from outside this app (Django's login, logout) open to anyone."""
    view.public = True  # type: ignore[attr-defined]
    return view


class RequiresSignIn(Gate, LoginRequiredMixin):
    """Any signed-in user; anonymous users go to the login page.

    The page itself narrows what it shows to the user's reach (``Kampung.objects.visible_to``,
    ``selectors.regions.kabupaten_for_user``: 404 for a region out of scope).
    """

    @classmethod
    def declared_gate(cls) -> str:
        return "signed in"


class RequiresRule(RequiresSignIn):
    """A rule about the user, e.g. ``permission_rule = permissions.can_manage_district``: 403
    for a signed-in user it refuses, before the view runs."""

    permission_rule: ClassVar[Callable[[Any], bool] | None] = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Read from the class: a function stored as a class attribute would bind to the view.
        rule = type(self).permission_rule
        if rule is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission_rule")
        if self._guards(request.method) and not rule(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def declared_gate(cls) -> str:
        if cls.permission_rule is None:
            raise ImproperlyConfigured(f"{cls.__name__} declares no permission_rule")
        return f"rule {_rule_name(cls.permission_rule)}{cls._on_methods()}"


class RequiresObjectRule(RequiresSignIn):
    """The URL's object, found through a lookup scoped to the user (404 when out of reach), then
    ``object_rule(user, object)`` (403 when it refuses), before the method is dispatched."""

    object_rule: ClassVar[Callable[[Any, Any], bool] | None] = None

    def get_gated_object(self) -> Any:
        """The URL's object as the user may read it; Http404 otherwise."""
        raise NotImplementedError

    def get_object_rule(self) -> Callable[[Any, Any], bool] | None:
        # Read from the class: a function stored as a class attribute would bind to the view.
        return type(self).object_rule

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        gated = self.get_gated_object()
        rule = self.get_object_rule()
        if rule is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no object_rule")
        if self._guards(request.method) and not rule(request.user, gated):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def declared_gate(cls) -> str:
        if cls.object_rule is None:
            raise ImproperlyConfigured(f"{cls.__name__} declares no object_rule")
        return f"object rule {_rule_name(cls.object_rule)}{cls._on_methods()}"


# The methods a form view writes with: Django's ProcessFormView answers PUT as it does POST.
FORM_WRITE_METHODS = frozenset({"POST", "PUT"})

# What each ``kampung_access`` asks of the user about the URL's kampung. "read" holds for every
# kampung the scoped lookup finds; it is asked all the same, so each level names its rule.
KAMPUNG_RULES: dict[str, Callable[[Any, Kampung], bool]] = {
    "read": permissions.can_view_kampung,
    "edit": permissions.can_edit_kampung,
    "submit": permissions.can_submit_assessment,
    "set_level": permissions.can_set_level,
}


class KampungAccessMixin(RequiresObjectRule):
    """Loads ``self.kampung`` from the URL's code through ``Kampung.objects.visible_to``: 404
    outside the user's scope; then 403 unless ``kampung_access`` (``KAMPUNG_RULES``) allows.

    ``kampung_write_access``, when set, is what the form's writes need instead: pages every
    reader opens whose form is an edit (programme tags) or the assessment's submission.
    """

    kampung_access: ClassVar[str] = "read"
    kampung_write_access: ClassVar[str | None] = None

    def get_gated_object(self) -> Kampung:
        self.kampung = kampung_for_user(user=self.request.user, desa_kode=self.kwargs["kode"])
        self.can_edit = permissions.can_edit_kampung(self.request.user, self.kampung)
        return self.kampung

    def get_object_rule(self) -> Callable[[Any, Kampung], bool]:
        access = self.kampung_access
        if self.request.method in FORM_WRITE_METHODS and self.kampung_write_access is not None:
            access = self.kampung_write_access
        return KAMPUNG_RULES[access]

    @classmethod
    def declared_gate(cls) -> str:
        levels = [cls.kampung_access]
        if cls.kampung_write_access is not None:
            levels.append(cls.kampung_write_access)
        unknown = [level for level in levels if level not in KAMPUNG_RULES]
        if unknown:
            raise ImproperlyConfigured(
                f"{cls.__name__}: kampung access {unknown} is none of {sorted(KAMPUNG_RULES)}"
            )
        write = f", writes {cls.kampung_write_access}" if cls.kampung_write_access else ""
        return f"kampung {cls.kampung_access}{write}{cls._on_methods()}"

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

    kampung_access = "edit"

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
