"""Every view in the URLconf declares its gate, in the one vocabulary of the project.

Pages declare a gate of ``classification.views.base`` (``PublicView``, ``RequiresSignIn``,
``RequiresRule``, ``RequiresObjectRule``, ``KampungAccessMixin``), a view function from outside
the app is marked with ``views.base.public``, and API views name ``api.permissions.RulePermission``
classes in ``permission_classes``. The URL patterns are discovered from the URLconf at test time,
so a new view without a gate fails here, by its pattern, before the permission matrix
(``test_permission_matrix.py``) is asked what it answers.

Left out, and why:

- the ``admin`` namespace: Django's admin wraps each of its views in ``AdminSite.admin_view``
  (active staff, then model permissions), its own permission system outside the design's matrix;
- ``django.views.static.serve``: ``static()`` routes it for MEDIA_URL under DEBUG only, to serve
  files, not pages;
- ``django.views.i18n`` (``set_language`` and the JavaScript/JSON catalogs), should they be routed:
  they set a language cookie or serve translation catalogs, the same for anyone, no data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.views.generic import TemplateView
from django.views.i18n import JavaScriptCatalog, JSONCatalog, set_language
from django.views.static import serve
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from classification import permissions
from classification.api.permissions import RulePermission, SignedIn
from classification.views.base import (
    Gate,
    KampungAccessMixin,
    PublicView,
    RequiresRule,
    RequiresSignIn,
    public,
)

from .base import KAMPUNG_A, PeopleTestCase

SKIPPED_NAMESPACES = {"admin": "Django admin: its own permission system (staff, model perms)"}
SKIPPED_CALLBACKS: dict[Callable[..., Any], str] = {
    serve: "static/media file serving (DEBUG only)",
    set_language: "sets the language cookie, the same for anyone",
}
SKIPPED_VIEW_CLASSES = {
    JavaScriptCatalog: "translation catalog, the same for anyone",
    JSONCatalog: "translation catalog, the same for anyone",
}


@dataclass(frozen=True)
class Routed:
    pattern: str
    name: str
    callback: Callable[..., Any]

    def __str__(self) -> str:
        return f"{self.pattern or '/'} ({self.name})"


def routed_views(patterns, prefix: str = "", namespace: str = "") -> list[Routed]:
    """Every URL pattern under ``patterns``, recursively, but for the ones left out above."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += routed_views(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            if callback in SKIPPED_CALLBACKS or _view_class(callback) in SKIPPED_VIEW_CLASSES:
                continue
            route = prefix + str(entry.pattern)
            name = f"{namespace}{entry.name}" if entry.name else "unnamed"
            found.append(Routed(route, name, callback))
    return found


def _view_class(callback) -> type | None:
    # DRF's as_view sets ``cls`` (and Django's ``view_class``); Django's sets ``view_class``.
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


class NoGate(Exception):
    """The view declares no gate of the vocabulary, or an incomplete one."""


def declared_gate(callback) -> str:
    """The gate a routed view declares, in words; NoGate saying what is missing."""
    if getattr(callback, "public", False) is True:
        return "public"
    view_class = _view_class(callback)
    if view_class is None:
        raise NoGate(
            f"the function {callback.__qualname__} declares no gate: make it a class with a "
            "gate of classification.views.base, or mark it with views.base.public"
        )
    if issubclass(view_class, APIView):
        initkwargs = getattr(callback, "initkwargs", {})
        classes = list(initkwargs.get("permission_classes", view_class.permission_classes))
        outside = [cls for cls in classes if not _is_rule_permission(cls)]
        if not classes or outside:
            names = [getattr(cls, "__name__", repr(cls)) for cls in outside] or "none"
            raise NoGate(
                f"{view_class.__name__}: permission_classes outside "
                f"api.permissions.RulePermission: {names}"
            )
        return "api " + ", ".join(cls.__name__ for cls in classes)
    if not issubclass(view_class, Gate):
        raise NoGate(f"{view_class.__name__} declares no gate of classification.views.base")
    initkwargs = getattr(callback, "view_initkwargs", {})
    if initkwargs:
        # as_view(permission_rule=…) declares as well as a class attribute does.
        view_class = type(view_class.__name__, (view_class,), dict(initkwargs))
    try:
        return view_class.declared_gate()
    except ImproperlyConfigured as error:
        raise NoGate(str(error)) from error


def _is_rule_permission(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, RulePermission)


def gate_failures(patterns) -> list[str]:
    """One line per routed view without a (complete) gate, naming its URL pattern."""
    failures = []
    for routed in routed_views(patterns):
        try:
            declared_gate(routed.callback)
        except NoGate as error:
            failures.append(f"{routed}: {error}")
    return failures


class EveryViewDeclaresAGateTests(SimpleTestCase):
    def test_every_routed_view_declares_a_gate(self):
        failures = gate_failures(get_resolver().url_patterns)
        self.assertEqual(failures, [], "\n" + "\n".join(failures))

    def test_the_walk_reaches_pages_api_and_auth_views(self):
        """The walk is not vacuous: it finds the pages, the API, login and logout, not the admin."""
        found = {routed.name: routed for routed in routed_views(get_resolver().url_patterns)}
        for name in (
            "login",
            "logout",
            "classification:public_summary",
            "classification:kampung_detail",
            "classification:pokja_account_password",
            "api:kampung-list",
            "api:schema",
        ):
            with self.subTest(name=name):
                self.assertIn(name, found)
        self.assertFalse([name for name in found if name.startswith("admin:")])
        self.assertFalse(
            [routed for routed in found.values() if routed.pattern.startswith("admin/")]
        )

    def test_gates_in_words(self):
        """A few declarations as the walk reads them: one per kind of gate."""
        gates = {
            routed.name: declared_gate(routed.callback)
            for routed in routed_views(get_resolver().url_patterns)
        }
        expected = {
            "login": "public",
            "classification:public_kampung": "public",
            "classification:kampung_list": "signed in",
            "classification:verification_queue": "rule can_manage_district",
            "classification:audit_log": "rule can_view_audit",
            "classification:province_rollup": "rule can_view_rollups on GET, HEAD",
            "classification:assessment_review": "object rule can_review",
            "classification:kampung_detail": "kampung read",
            "classification:kampung_profile_edit": "kampung edit",
            "classification:assessment": "kampung read, writes submit",
            "classification:kampung_program_list": "kampung read, writes edit",
            "classification:level_correct": "kampung set_level on GET, HEAD, POST, PUT",
            "api:kampung-detail": "api SignedIn",
            "api:schema": "api SignedIn",
        }
        self.assertEqual({name: gates[name] for name in expected}, expected)


# Views of the self-test's URLconf below: one of each way to miss a gate, and gated ones.


class UngatedPage(TemplateView):
    template_name = "base.html"


class RuleForgotten(RequiresRule, TemplateView):
    template_name = "base.html"


class UnknownKampungAccess(KampungAccessMixin, TemplateView):
    kampung_access = "admin"


class PlainApi(APIView):
    permission_classes = [IsAuthenticated]


class GatedApi(APIView):
    permission_classes = [SignedIn]


class OpenPage(PublicView, TemplateView):
    template_name = "base.html"


class ReadPage(RequiresSignIn, TemplateView):
    template_name = "base.html"


def plain_function(request):
    return HttpResponse()


SELF_TEST_URLS = [
    path("terbuka/", OpenPage.as_view(), name="open"),
    path("baca/", ReadPage.as_view(), name="read"),
    path(
        "aturan/",
        RuleForgotten.as_view(permission_rule=permissions.can_view_audit),
        name="rule-in-as-view",
    ),
    path("fungsi-publik/", public(lambda request: HttpResponse()), name="public-function"),
    path("api/baik/", GatedApi.as_view(), name="gated-api"),
    path("admin-lain/", include(([path("x/", UngatedPage.as_view())], "admin"))),
    path("statis/<path:path>", serve),
    # Each of these misses its gate.
    path("tanpa-gerbang/", UngatedPage.as_view(), name="ungated"),
    path("lupa-aturan/", RuleForgotten.as_view(), name="rule-forgotten"),
    path(
        "bagian/",
        include(([path("kampung/<str:kode>/", UnknownKampungAccess.as_view())], "bagian")),
    ),
    path("api/polos/", PlainApi.as_view(), name="plain-api"),
    path("api/terbuka/", PlainApi.as_view(permission_classes=[]), name="open-api"),
    path("fungsi/", plain_function, name="function"),
]


class GateTestCatchesMissingGatesTests(SimpleTestCase):
    def test_each_view_without_a_gate_is_named_by_its_pattern(self):
        failures = gate_failures(SELF_TEST_URLS)
        self.assertEqual(
            [failure.split(": ", 1)[0] for failure in failures],
            [
                "tanpa-gerbang/ (ungated)",
                "lupa-aturan/ (rule-forgotten)",
                "bagian/kampung/<str:kode>/ (unnamed)",
                "api/polos/ (plain-api)",
                "api/terbuka/ (open-api)",
                "fungsi/ (function)",
            ],
        )
        self.assertIn("UngatedPage declares no gate", failures[0])
        self.assertIn("RuleForgotten declares no permission_rule", failures[1])
        self.assertIn("kampung access ['admin']", failures[2])
        self.assertIn("['IsAuthenticated']", failures[3])
        self.assertIn("none", failures[4])
        self.assertIn("plain_function declares no gate", failures[5])


class GuardedMethodsTests(PeopleTestCase):
    """Methods off the matrix answer as when these pages checked their rule in ``get`` and
    ``post``: a form view's PUT is its POST, OPTIONS is refused only by dispatch-time gates."""

    def statuses(self, user, name, kode, methods=("get", "head", "post", "put", "options")):
        self.client.force_login(user)
        url = reverse(name, args=[kode])
        return {method: getattr(self.client, method)(url).status_code for method in methods}

    def test_rollup_guards_what_it_renders(self):
        self.assertEqual(
            self.statuses(self.pokja_a, "classification:province_rollup", "63"),
            {"get": 403, "head": 403, "post": 405, "put": 405, "options": 200},
        )

    def test_level_correction_guards_its_form(self):
        self.assertEqual(
            self.statuses(self.pokja_a, "classification:level_correct", KAMPUNG_A),
            {"get": 403, "head": 403, "post": 403, "put": 403, "options": 200},
        )

    def test_a_readers_page_refuses_its_form_writes_by_post_and_put(self):
        for name in ("classification:assessment", "classification:kampung_program_list"):
            with self.subTest(url=name):
                self.assertEqual(
                    self.statuses(self.pokja_b, name, KAMPUNG_A),
                    {"get": 200, "head": 200, "post": 403, "put": 403, "options": 200},
                )

    def test_edit_pages_refuse_every_method(self):
        self.assertEqual(
            self.statuses(self.pokja_b, "classification:kampung_profile_edit", KAMPUNG_A),
            {"get": 403, "head": 403, "post": 403, "put": 403, "options": 403},
        )
