"""The permission matrix of design.md, checked on EVERY URL the project defines.

The URL patterns are discovered from the URLconf at test time. Each URL name must have a declared
expectation in ``ROUTES`` (its kind and how to fill its kwargs): a new view without one fails
``test_every_url_is_declared``, a declared name that no longer exists fails too. Then every URL is
requested by every person, with GET and with an empty POST, and the status is checked against the
matrix of its kind (``KINDS``). Each request runs in a savepoint that is rolled back, so a POST
that deletes or deactivates something does not change what the next cell sees.

Two walks: one on Tabanio (63.01.01.2002, kabupaten 63.01 Tanah Laut) and, for the URLs that take
a kampung, a kabupaten or one of their objects, one on 63.02.01.2001 of Kotabaru (63.02), where
the Tanah Laut people are out of scope (404), the reviewer of provinsi 63 is still in scope, and
DP3A Kotabaru (``staf_lain``) with a Pokja of that kampung are the ones who may edit; the pages
that take ``?kabupaten=<kode>`` (target, completeness, report) are requested with 63.02 there.
Last, an object of one kampung under another (editable) kampung's code must be 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from classification.models import Activity, Kampung, KampungProgram, ThematicProgram
from classification.services.accounts import pokja_account_create
from classification.services.records import activity_save, kampung_program_save
from classification.services.verification import assessment_save

from .base import (
    KAMPUNG_A,
    KAMPUNG_B,
    KAMPUNG_LAIN_KABUPATEN,
    KOTABARU,
    PASSWORD,
    TANAH_LAUT,
    PeopleTestCase,
)
from .records import give_records

# ---------------------------------------------------------------------------------------------
# What is not walked, and why
# ---------------------------------------------------------------------------------------------

# Namespaces left out: the Django admin is for superusers only and has its own permission system
# (staff flag + model permissions), outside the design's matrix.
SKIPPED_NAMESPACES = {"admin": "Django admin: superusers only, its own permission system"}
# Views left out wherever they are routed: serving static/media files (development only).
SKIPPED_CALLBACKS = {serve: "static/media file serving (DEBUG only)"}
# Auth views left out by name, with the reason. None: login and logout are walked below.
SKIPPED_NAMES: dict[str, str] = {}

# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------

# How each person stands to the URL's object, per walk.
ANON = "anonymous"
OWN_POKJA = "pokja, own kampung"
OTHER_POKJA = "pokja, other kampung of the kabupaten"
FOREIGN_POKJA = "pokja of another kabupaten"
REVIEWER = "reviewer (in scope)"
OWN_DP3A = "dp3a, own kabupaten"
OTHER_DP3A = "dp3a of another kabupaten"
ROLES = (ANON, OWN_POKJA, OTHER_POKJA, FOREIGN_POKJA, REVIEWER, OWN_DP3A, OTHER_DP3A)

# Expected outcomes. LOGIN: a redirect to /masuk/?next=<the path>. API_ANON: 401 or 403.
LOGIN = "→ login"
API_ANON = "401/403"
OK = 200
# A permitted empty POST: the form again with errors (200), done/start again (302), or refused as
# malformed (400, the review page without an action). Never a 500, never a login redirect.
WRITE = "200/302/400"
EXPECTED_STATUSES = {API_ANON: {401, 403}, WRITE: {200, 302, 400}}
# Kinds whose POST changes only the caller's own session (or language cookie), not the data.
SESSION = {"login", "logout", "language"}


def _row(anon, own_pokja, other_pokja, reviewer, own_dp3a, other_dp3a, foreign_pokja=None):
    return {
        ANON: anon,
        OWN_POKJA: own_pokja,
        OTHER_POKJA: other_pokja,
        FOREIGN_POKJA: other_pokja if foreign_pokja is None else foreign_pokja,
        REVIEWER: reviewer,
        OWN_DP3A: own_dp3a,
        OTHER_DP3A: other_dp3a,
    }


# kind → {method → {role → expected}}. For the kinds without an object, "own"/"other" make no
# difference: every Pokja is a Pokja and every DP3A works on its own kabupaten.
KINDS = {
    # Anyone, no login: the public summary and a kampung's public page. They only render.
    "public": {
        "GET": _row(OK, OK, OK, OK, OK, OK),
        "POST": _row(405, 405, 405, 405, 405, 405),
    },
    # The login page: a form for anyone; an empty POST shows it again with errors.
    "login": {
        "GET": _row(OK, OK, OK, OK, OK, OK),
        "POST": _row(OK, OK, OK, OK, OK, OK),
    },
    # Logging out is a POST (Django 5 refuses GET); it redirects, signed in or not.
    "logout": {
        "GET": _row(405, 405, 405, 405, 405, 405),
        "POST": _row(302, 302, 302, 302, 302, 302),
    },
    # The language switch (Django's set_language): anyone; it redirects back (here to "/",
    # there being no next or Referer), setting the language cookie on a POST that names one.
    "language": {
        "GET": _row(302, 302, 302, 302, 302, 302),
        "POST": _row(302, 302, 302, 302, 302, 302),
    },
    # Dashboard, tables, reports, exports: any signed-in user; they only render.
    "read": {
        "GET": _row(LOGIN, OK, OK, OK, OK, OK),
        "POST": _row(LOGIN, 405, 405, 405, 405, 405),
    },
    # A kabupaten's dashboard: its readers; another kabupaten's DP3A or Pokja get 404. GET-only,
    # the scope is checked while rendering: any signed-in POST is 405 (for every code alike, so
    # it reveals nothing).
    "read_kabupaten": {
        "GET": _row(LOGIN, OK, OK, OK, OK, 404, foreign_pokja=404),
        "POST": _row(LOGIN, 405, 405, 405, 405, 405, foreign_pokja=405),
    },
    # A kampung's read-only pages: its readers; out of scope 404 (before the method check).
    "read_kampung": {
        "GET": _row(LOGIN, OK, OK, OK, OK, 404, foreign_pokja=404),
        "POST": _row(LOGIN, 405, 405, 405, 405, 404, foreign_pokja=404),
    },
    # A kampung page every reader sees, whose POST is an edit (programme tags) or the
    # assessment's submission ("submit assessment same as edit").
    "read_kampung_post_edit": {
        "GET": _row(LOGIN, OK, OK, OK, OK, 404, foreign_pokja=404),
        "POST": _row(LOGIN, WRITE, 403, 403, WRITE, 404, foreign_pokja=404),
    },
    # Edit profile / figures / activities / identity / programme tags: own Pokja and DP3A.
    "edit": {
        "GET": _row(LOGIN, OK, 403, 403, OK, 404, foreign_pokja=404),
        "POST": _row(LOGIN, WRITE, 403, 403, WRITE, 404, foreign_pokja=404),
    },
    # Set (correct) a kampung's official level: DP3A of its kabupaten only.
    "dp3a_kampung": {
        "GET": _row(LOGIN, 403, 403, 403, OK, 404, foreign_pokja=404),
        "POST": _row(LOGIN, 403, 403, 403, WRITE, 404, foreign_pokja=404),
    },
    # DP3A pages without an object (verification queue, import): any DP3A, for its kabupaten.
    "dp3a": {
        "GET": _row(LOGIN, 403, 403, 403, OK, OK),
        "POST": _row(LOGIN, 403, 403, 403, WRITE, WRITE),
    },
    # Verify/return one submitted assessment: DP3A of its kabupaten; the assessment of another
    # kabupaten is 404 (looked up before the role check).
    "dp3a_assessment": {
        "GET": _row(LOGIN, 403, 403, 403, OK, 404, foreign_pokja=404),
        "POST": _row(LOGIN, 403, 403, 403, WRITE, 404, foreign_pokja=404),
    },
    # Pokja account list / new account: any DP3A (its own kabupaten's accounts).
    "dp3a_manage_accounts": {
        "GET": _row(LOGIN, 403, 403, 403, OK, OK),
        "POST": _row(LOGIN, 403, 403, 403, WRITE, WRITE),
    },
    # One Pokja account: DP3A of its kabupaten; another kabupaten's DP3A 404. Whoever may not
    # manage accounts at all gets 403 for every pk (the role gate comes first), which reveals
    # nothing either.
    "dp3a_manage_account": {
        "GET": _row(LOGIN, 403, 403, 403, OK, 404, foreign_pokja=403),
        "POST": _row(LOGIN, 403, 403, 403, WRITE, 404, foreign_pokja=403),
    },
    # The audit log: DP3A staff and reviewers; Pokja 403 (domain: a Pokja sees its kampung's
    # changes on the kampung page).
    "audit": {
        "GET": _row(LOGIN, 403, 403, OK, OK, OK),
        "POST": _row(LOGIN, 403, 403, 405, 405, 405),
    },
    # A provinsi's roll-up (kabupaten side by side): BKKBN reviewers of that provinsi; DP3A and
    # Pokja work on one district (403). GET-only: the role is checked while rendering, so any
    # signed-in POST is 405.
    "reviewer_rollup": {
        "GET": _row(LOGIN, 403, 403, OK, 403, 403),
        "POST": _row(LOGIN, 405, 405, 405, 405, 405),
    },
    # The national roll-up: a national scope only (for now superusers): reviewers of one
    # provinsi 404, DP3A and Pokja 403. GET-only, as above.
    "national_rollup": {
        "GET": _row(LOGIN, 403, 403, 404, 403, 403),
        "POST": _row(LOGIN, 405, 405, 405, 405, 405),
    },
    # Read-only JSON without an object: any signed-in user; every write 405.
    "api_read": {
        "GET": _row(API_ANON, OK, OK, OK, OK, OK),
        "POST": _row(API_ANON, 405, 405, 405, 405, 405),
    },
    # Read-only JSON of a kabupaten or kampung: out of scope 404; every write 405 (the method is
    # refused before the object is looked up, so a 405 reveals nothing).
    "api_read_object": {
        "GET": _row(API_ANON, OK, OK, OK, OK, 404, foreign_pokja=404),
        "POST": _row(API_ANON, 405, 405, 405, 405, 405, foreign_pokja=405),
    },
}

# ---------------------------------------------------------------------------------------------
# The declared routes: URL name → kind, kwargs, and GET statuses that differ from 200
# ---------------------------------------------------------------------------------------------

# kwargs values: "kampung" / "kabupaten" (a code), or an object of that kampung created in
# setUpTestData: "activity", "program_tag", "assessment", "pokja_account"; "provinsi" (63, the
# same in both walks, so the Kotabaru walk leaves those URLs out).


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: tuple[tuple[str, str], ...] = ()
    # Roles whose permitted GET answers 302 instead of 200 (never to the login page), and why.
    get_redirects: tuple[tuple[str, ...], str] = ((), "")
    # Why a kind's permitted POST is 405 here: a page of that kind that only renders.
    get_only: str = ""
    # Takes ``?kabupaten=<kode>`` (else the user's home district): the Kotabaru walk requests it
    # with ``?kabupaten=63.02`` as a "read_kabupaten" page.
    kabupaten_param: bool = False


ALL_SIGNED_IN = (OWN_POKJA, OTHER_POKJA, FOREIGN_POKJA, REVIEWER, OWN_DP3A, OTHER_DP3A)


KAMPUNG = (("kode", "kampung"),)
KABUPATEN = (("kode", "kabupaten"),)

ROUTES: dict[str, Route] = {
    "login": Route("login"),
    "logout": Route("logout"),
    "set_language": Route("language"),
    "classification:public_summary": Route("public"),
    "classification:public_kampung": Route("public", KAMPUNG),
    "classification:dashboard": Route(
        "read", get_redirects=((REVIEWER,), "a provinsi reviewer starts on the provinsi roll-up")
    ),
    "classification:province_rollup": Route("reviewer_rollup", (("kode", "provinsi"),)),
    "classification:national_rollup": Route("national_rollup"),
    "classification:district_dashboard": Route("read_kabupaten", KABUPATEN),
    "classification:kampung_list": Route("read"),
    "classification:target": Route("read", kabupaten_param=True),
    "classification:completeness": Route("read", kabupaten_param=True),
    "classification:report": Route("read", kabupaten_param=True),
    "classification:kampung_detail": Route("read_kampung", KAMPUNG),
    "classification:kampung_profile": Route("read_kampung", KAMPUNG),
    "classification:kampung_figures": Route("read_kampung", KAMPUNG),
    "classification:activity_list": Route("read_kampung", KAMPUNG),
    "classification:kampung_program_list": Route("read_kampung_post_edit", KAMPUNG),
    "classification:assessment": Route("read_kampung_post_edit", KAMPUNG),
    "classification:kampung_identity_edit": Route("edit", KAMPUNG),
    "classification:kampung_profile_edit": Route("edit", KAMPUNG),
    "classification:kampung_figures_add": Route("edit", KAMPUNG),
    "classification:activity_add": Route("edit", KAMPUNG),
    "classification:activity_edit": Route("edit", (*KAMPUNG, ("pk", "activity"))),
    "classification:activity_delete": Route("edit", (*KAMPUNG, ("pk", "activity"))),
    "classification:kampung_program_edit": Route("edit", (*KAMPUNG, ("pk", "program_tag"))),
    "classification:kampung_program_delete": Route("edit", (*KAMPUNG, ("pk", "program_tag"))),
    "classification:level_correct": Route("dp3a_kampung", KAMPUNG),
    "classification:verification_queue": Route("dp3a", get_only="the queue only lists"),
    "classification:assessment_review": Route("dp3a_assessment", (("pk", "assessment"),)),
    "classification:import": Route("dp3a"),
    "classification:import_preview": Route(
        "dp3a", get_redirects=(ALL_SIGNED_IN, "nothing uploaded yet: back to the upload form")
    ),
    "classification:pokja_accounts": Route("dp3a_manage_accounts", get_only="the list"),
    "classification:pokja_account_add": Route("dp3a_manage_accounts"),
    "classification:pokja_account_password": Route(
        "dp3a_manage_account", (("pk", "pokja_account"),)
    ),
    "classification:pokja_account_deactivate": Route(
        "dp3a_manage_account", (("pk", "pokja_account"),)
    ),
    "classification:pokja_account_activate": Route(
        "dp3a_manage_account", (("pk", "pokja_account"),)
    ),
    "classification:audit_log": Route("audit"),
    "api:kabupaten-ringkasan": Route("api_read_object", KABUPATEN),
    "api:kampung-list": Route("api_read"),
    "api:kampung-detail": Route("api_read_object", KAMPUNG),
    "api:schema": Route("api_read"),
}

# ---------------------------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discovered:
    name: str
    kwargs: frozenset[str]
    route: str


def discover_urls() -> list[Discovered]:
    """Every URL pattern of the URLconf, with its namespaced name and its kwargs' names."""
    found: list[Discovered] = []

    def walk(patterns, namespace: str, prefix: str, kwargs: frozenset[str]):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(
                    entry.url_patterns,
                    inner,
                    prefix + str(entry.pattern),
                    kwargs | _converters(entry),
                )
            elif isinstance(entry, URLPattern):
                if entry.callback in SKIPPED_CALLBACKS:
                    continue
                route = prefix + str(entry.pattern)
                name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}>"
                if name in SKIPPED_NAMES:
                    continue
                found.append(Discovered(name, kwargs | _converters(entry), route))

    walk(get_resolver().url_patterns, "", "", frozenset())
    return found


def _converters(entry) -> frozenset[str]:
    return frozenset(getattr(entry.pattern, "converters", {}) or {})


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


class PermissionMatrixTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        bersinar, _ = ThematicProgram.objects.get_or_create(name="Kampung Bersinar")
        tabanio = Kampung.objects.get(desa_kode=KAMPUNG_A)
        kotabaru = Kampung.objects.get(desa_kode=KAMPUNG_LAIN_KABUPATEN)
        cls.pokja_kotabaru = pokja_account_create(
            kampung=kotabaru, username="pokja_kotabaru", password=PASSWORD, by=cls.staf_lain
        )
        cls.objects = {
            "tanah_laut": cls.records(tabanio, TANAH_LAUT, cls.pokja_a, cls.staf, bersinar),
            "kotabaru": cls.records(
                kotabaru, KOTABARU, cls.pokja_kotabaru, cls.staf_lain, bersinar
            ),
        }

    @classmethod
    def records(cls, kampung, kabupaten, pokja, dp3a, program) -> dict[str, str | int]:
        """A kampung's records written through the services, as its Pokja and DP3A would."""
        give_records(kampung, pokja)
        activity = activity_save(
            activity=Activity(
                kampung=kampung,
                date=datetime.date(2026, 1, 20),
                title="Pertemuan BKB",
                category=Activity.Category.PENDIDIKAN,
                target_groups=["balita"],
            ),
            by=pokja,
        )
        tag = kampung_program_save(
            tag=KampungProgram(kampung=kampung, program=program, since=datetime.date(2025, 1, 1)),
            by=dp3a,
        )
        assessment = assessment_save(kampung=kampung, by=pokja, submit=True)
        account = pokja_account_create(
            kampung=kampung, username=f"akun_{kabupaten}", password=PASSWORD, by=dp3a
        )
        return {
            "kampung": kampung.desa_kode,
            "kabupaten": kabupaten,
            "provinsi": kabupaten[:2],
            "activity": activity.pk,
            "program_tag": tag.pk,
            "assessment": assessment.pk,
            "pokja_account": account.pk,
        }

    def test_every_url_is_declared(self):
        discovered = discover_urls()
        names = {url.name for url in discovered}
        undeclared = sorted(names - ROUTES.keys())
        self.assertEqual(undeclared, [], "URLs without a declared expectation: add them to ROUTES")
        self.assertEqual(
            sorted(ROUTES.keys() - names), [], "declared in ROUTES but no longer routed"
        )
        for url in discovered:
            with self.subTest(url=url.name):
                self.assertEqual(url.kwargs, {key for key, _ in ROUTES[url.name].kwargs}, url.route)
        for name, route in ROUTES.items():
            with self.subTest(kind=name):
                self.assertIn(route.kind, KINDS)

    def test_matrix_tanah_laut(self):
        """Every URL, for Tabanio (and 63.01), by each person, GET and POST."""
        people = [
            ("anonymous", ANON, None),
            ("pokja_a", OWN_POKJA, self.pokja_a),
            ("pokja_b", OTHER_POKJA, self.pokja_b),
            ("peninjau", REVIEWER, self.peninjau),
            ("staf", OWN_DP3A, self.staf),
            ("staf_lain", OTHER_DP3A, self.staf_lain),
        ]
        self.walk(self.objects["tanah_laut"], people, names=self.routed_names())

    def test_matrix_kotabaru(self):
        """The URLs that take a kampung, a kabupaten or their object, for 63.02.01.2001."""
        people = [
            ("anonymous", ANON, None),
            ("pokja_kotabaru", OWN_POKJA, self.pokja_kotabaru),
            ("pokja_a", FOREIGN_POKJA, self.pokja_a),
            ("pokja_b", FOREIGN_POKJA, self.pokja_b),
            ("peninjau", REVIEWER, self.peninjau),
            ("staf_lain", OWN_DP3A, self.staf_lain),
            ("staf", OTHER_DP3A, self.staf),
        ]
        names = [
            name
            for name in self.routed_names()
            if any(value != "provinsi" for _, value in ROUTES[name].kwargs)
            or ROUTES[name].kabupaten_param
        ]
        self.walk(self.objects["kotabaru"], people, names=names, kabupaten_param=KOTABARU)

    def test_object_of_another_kampung_under_an_editable_code(self):
        """Tabanio's activity or programme tag under Benua Lawas's code: 404, even for its Pokja
        (who may edit Benua Lawas) and for DP3A (who may edit both)."""
        names = [
            name
            for name in self.routed_names()
            if {value for _, value in ROUTES[name].kwargs} > {"kampung"}
        ]
        self.assertTrue(names)
        tabanio = self.objects["tanah_laut"]
        for user in (self.pokja_b, self.staf):
            client = Client(enforce_csrf_checks=False)
            client.force_login(user)
            for name in names:
                kwargs = {key: tabanio[value] for key, value in ROUTES[name].kwargs}
                url = reverse(name, kwargs={**kwargs, "kode": KAMPUNG_B})
                for method in ("GET", "POST"):
                    with self.subTest(url=name, person=user.username, method=method):
                        self.assertEqual(self.request(client, method, url)[0], 404)

    def routed_names(self) -> list[str]:
        # Logout first: the cells after it must still be signed in (``walk`` restores the
        # session cookie after every request).
        names = {url.name for url in discover_urls()} & ROUTES.keys()
        return sorted(names, key=lambda name: (name != "logout", name))

    def walk(self, objects, people, *, names, kabupaten_param=None):
        for label, role, user in people:
            client = Client(enforce_csrf_checks=False)
            if user is not None:
                client.force_login(user)
            # Restored after each cell: a logout cell must not sign out the cells after it.
            session = {key: morsel.value for key, morsel in client.cookies.items()}
            for name in names:
                route = ROUTES[name]
                url = reverse(name, kwargs={key: objects[value] for key, value in route.kwargs})
                kind = route.kind
                if route.kabupaten_param and kabupaten_param:
                    url, kind = f"{url}?kabupaten={kabupaten_param}", "read_kabupaten"
                for method in ("GET", "POST"):
                    expected = KINDS[kind][method][role]
                    if method == "GET" and expected == OK and role in route.get_redirects[0]:
                        expected = 302
                    if method == "POST" and expected == WRITE and route.get_only:
                        expected = 405
                    with self.subTest(url=name, person=f"{label}: {role}", method=method):
                        status, location = self.request(client, method, url)
                        client.cookies.clear()
                        for key, value in session.items():
                            client.cookies[key] = value
                        self.check(route, method, url, expected, status, location)
                        if role == REVIEWER and method == "POST" and kind not in SESSION:
                            # Reviewers read: whatever the table says, no POST of theirs succeeds.
                            self.assertNotIn(status, (200, 302), "a reviewer's POST went through")
        # Every cell ran in a rolled-back savepoint: the deleted activity is still there.
        self.assertTrue(Activity.objects.filter(pk=objects["activity"]).exists())

    def request(self, client, method, url) -> tuple[int | str, str]:
        """One request in a savepoint, rolled back: no cell sees another cell's writes."""
        with transaction.atomic():
            try:
                response = client.get(url) if method == "GET" else client.post(url, {})
            except Exception as error:  # a 500: the test client re-raises the view's exception
                transaction.set_rollback(True)
                return f"500 ({type(error).__name__}: {error})", ""
            transaction.set_rollback(True)
        return response.status_code, response.get("Location", "")

    def check(self, route, method, url, expected, status, location):
        login = redirect_to_login(url)["Location"]
        if expected == LOGIN:
            self.assertEqual((status, location), (302, login))
            return
        allowed = EXPECTED_STATUSES.get(expected, {expected})
        self.assertIn(status, allowed, f"expected {expected}")
        if status == 302 and route.kind != "logout":
            self.assertFalse(
                location.startswith(login.split("?")[0]), f"permitted but sent to {location}"
            )
