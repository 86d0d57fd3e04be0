"""Who may do what, in one place. Querysets (``visible_to``/``editable_by``) mirror these answers.

Roles (domain.md §6): superusers see everything; DP3A staff (group ``dp3a``) manage the kabupaten
of their RegionScope; BKKBN reviewers (group ``bkkbn``) read their provinsi or kabupaten; a Pokja
member reads their kabupaten and edits only the kampung they sit on.

Three kinds of answer, all about one user: rules (``can_…``, ``is_…``, ``has_…``: yes or no),
scope data (which codes a page opens on), and filters (``…_filter``: a Q narrowing rows to the
user's reach, for the querysets and selectors). Nothing outside this module reads ``Access``; the
views declare which rule they need through the gates of ``views.base`` and ``api.permissions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from .models import Assessment, Kampung

DP3A_GROUP = "dp3a"
BKKBN_GROUP = "bkkbn"
# People with one of these roles are staff, not Pokja accounts, whatever seats they hold.
STAFF_GROUPS = (DP3A_GROUP, BKKBN_GROUP)


@dataclass(frozen=True)
class Access:
    """Everything permission checks need about one user, read in three queries and cached."""

    authenticated: bool = False
    superuser: bool = False
    dp3a: bool = False
    reviewer: bool = False
    # Kabupaten DP3A staff manage.
    managed_kabupaten: frozenset[str] = frozenset()
    # Regions the user may read (managed ones included).
    read_kabupaten: frozenset[str] = frozenset()
    read_provinsi: frozenset[str] = frozenset()
    pokja_kampung_ids: frozenset[int] = frozenset()

    @property
    def sees_everything(self) -> bool:
        return self.superuser

    @property
    def is_pokja(self) -> bool:
        return bool(self.pokja_kampung_ids)

    def reads_kabupaten(self, kabupaten_kode: str) -> bool:
        return (
            self.superuser
            or kabupaten_kode in self.read_kabupaten
            or kabupaten_kode[:2] in self.read_provinsi
        )

    def manages_kabupaten(self, kabupaten_kode: str) -> bool:
        return self.superuser or kabupaten_kode in self.managed_kabupaten


ANONYMOUS_ACCESS = Access()


def access_for(user: User | AnonymousUser) -> Access:
    """The user's roles and regions, computed once per user object (so once per request)."""
    if not user.is_authenticated:
        return ANONYMOUS_ACCESS
    cached: Access | None = getattr(user, "_kampungkb_access", None)
    if cached is not None:
        return cached
    access = _load_access(user)
    # Cached on the user object, which lives as long as the request.
    user._kampungkb_access = access  # type: ignore[attr-defined]  # not a declared User field
    return access


def _load_access(user: User) -> Access:
    if user.is_superuser:
        return Access(authenticated=True, superuser=True)
    groups = set(user.groups.values_list("name", flat=True))
    dp3a = DP3A_GROUP in groups
    reviewer = BKKBN_GROUP in groups
    scope_kabupaten: set[str] = set()
    scope_provinsi: set[str] = set()
    if dp3a or reviewer:
        for provinsi_id, kabupaten_id in user.region_scopes.values_list(
            "provinsi_id", "kabupaten_id"
        ):
            if kabupaten_id:
                scope_kabupaten.add(kabupaten_id)
            elif provinsi_id:
                scope_provinsi.add(provinsi_id)
    memberships = list(
        user.pokja_memberships.values_list("kampung_id", "kampung__kecamatan__kabupaten_id")
    )
    pokja_kabupaten = {kabupaten_id for _, kabupaten_id in memberships}
    # DP3A staff manage kabupaten only; a provinsi scope on a DP3A account grants reading alone.
    managed = frozenset(scope_kabupaten) if dp3a else frozenset()
    return Access(
        authenticated=True,
        dp3a=dp3a,
        reviewer=reviewer,
        managed_kabupaten=managed,
        read_kabupaten=frozenset(scope_kabupaten | pokja_kabupaten),
        read_provinsi=frozenset(scope_provinsi),
        pokja_kampung_ids=frozenset(kampung_id for kampung_id, _ in memberships),
    )


# --------------------------------------------------------------------------------------------
# Rules: yes or no, for one user (no query once the user's access is read, unless they say so)
# --------------------------------------------------------------------------------------------


def is_signed_in(user: User | AnonymousUser) -> bool:
    """Dashboards, tables, reports and the API: any signed-in user (each page scopes its data)."""
    return user.is_authenticated


def can_view_kampung(user: User | AnonymousUser, kampung: Kampung) -> bool:
    return access_for(user).reads_kabupaten(kampung.kecamatan.kabupaten_id)


def can_edit_kampung(user: User | AnonymousUser, kampung: Kampung) -> bool:
    access = access_for(user)
    return kampung.pk in access.pokja_kampung_ids or access.manages_kabupaten(
        kampung.kecamatan.kabupaten_id
    )


def can_set_level(user: User | AnonymousUser, kampung: Kampung) -> bool:
    """Only DP3A staff of the kampung's kabupaten set official levels: never its own Pokja."""
    return can_manage_kabupaten(user, kampung.kecamatan.kabupaten_id)


def can_view_kabupaten(user: User | AnonymousUser, kabupaten_kode: str) -> bool:
    return access_for(user).reads_kabupaten(kabupaten_kode)


def can_manage_kabupaten(user: User | AnonymousUser, kabupaten_kode: str) -> bool:
    """DP3A staff of that kabupaten (and superusers): its levels, imports and Pokja accounts."""
    return access_for(user).manages_kabupaten(kabupaten_kode)


def can_manage_district(user: User | AnonymousUser) -> bool:
    """DP3A staff of at least one kabupaten, and superusers: the verification queue, file
    imports and Pokja accounts, each holding only the kabupaten they manage."""
    access = access_for(user)
    return access.superuser or bool(access.managed_kabupaten)


def can_submit_assessment(user: User | AnonymousUser, kampung: Kampung) -> bool:
    """The kampung's own Pokja, or DP3A staff of its kabupaten on their behalf."""
    return can_edit_kampung(user, kampung)


def can_review(user: User | AnonymousUser, assessment: Assessment) -> bool:
    """Verify or return: DP3A staff of the kabupaten, never the person who submitted it."""
    return (
        can_set_level(user, assessment.kampung)
        and assessment.submitted_by_id is not None
        and assessment.submitted_by_id != user.pk
    )


def has_staff_role(user: User) -> bool:
    """An admin flag or a DP3A/BKKBN group: staff, never a Pokja account (one query)."""
    return bool(
        user.is_staff
        or user.is_superuser
        # DP3A staff or a reviewer holding a Pokja seat is still staff.
        or user.groups.filter(name__in=STAFF_GROUPS).exists()
    )


def can_manage_account(user: User | AnonymousUser, account: User) -> bool:
    """A Pokja account ``user`` may manage: it holds at least one seat, every seat in a kabupaten
    ``user`` manages, and no staff role of its own (not theirs to take over).

    Two queries (the account's seats, its groups); ``selectors.accounts.manageable_pokja_users``
    is the same rule as a queryset (with ``kampung_manage_filter`` and ``staff_role_filter``).
    """
    memberships = list(account.pokja_memberships.select_related("kampung__kecamatan"))
    return (
        bool(memberships)
        and not has_staff_role(account)
        and all(
            can_manage_kabupaten(user, membership.kampung.kecamatan.kabupaten_id)
            for membership in memberships
        )
    )


def can_view_audit(user: User | AnonymousUser) -> bool:
    """The audit log is for DP3A staff and reviewers; a Pokja sees its kampung's on its page."""
    access = access_for(user)
    return access.superuser or access.dp3a or access.reviewer


def can_view_kampung_history(user: User | AnonymousUser, kampung: Kampung) -> bool:
    """A kampung page's change history: DP3A staff and reviewers, and that kampung's own Pokja."""
    return can_view_audit(user) or kampung.pk in access_for(user).pokja_kampung_ids


def can_view_rollups(user: User | AnonymousUser) -> bool:
    """Roll-ups are for BKKBN reviewers and superusers; DP3A and Pokja work on one district."""
    access = access_for(user)
    return access.superuser or access.reviewer


def reads_whole_provinsi(user: User | AnonymousUser, provinsi_kode: str) -> bool:
    """A provinsi-wide scope (or a national one): what a provinsi's roll-up needs."""
    access = access_for(user)
    return access.superuser or provinsi_kode in access.read_provinsi


def has_provinsi_scope(user: User | AnonymousUser) -> bool:
    """At least one provinsi-wide scope."""
    return bool(access_for(user).read_provinsi)


def has_national_scope(user: User | AnonymousUser) -> bool:
    """Every region. No national RegionScope exists yet: only superusers have a national scope."""
    return access_for(user).superuser


def reads_several_kabupaten(user: User | AnonymousUser) -> bool:
    """More than one kabupaten in reach: the pages offer a choice of district."""
    access = access_for(user)
    return bool(access.sees_everything or access.read_provinsi or len(access.read_kabupaten) > 1)


def is_pokja_only(user: User | AnonymousUser) -> bool:
    """A Pokja member with no district role: they see their own reporting on the dashboard."""
    access = access_for(user)
    return access.is_pokja and not (
        access.superuser or access.dp3a or access.reviewer or access.read_provinsi
    )


# --------------------------------------------------------------------------------------------
# Scope data: which codes a user's pages start from
# --------------------------------------------------------------------------------------------


def own_kabupaten_code(user: User | AnonymousUser) -> str | None:
    """The kabupaten a user works in by name: the first they manage, else the first they read
    (a Pokja's, a kabupaten reviewer's). None with only provinsi-wide or national scopes."""
    access = access_for(user)
    for codes in (access.managed_kabupaten, access.read_kabupaten):
        if codes:
            return min(codes)
    return None


def rollup_home_provinsi(user: User | AnonymousUser) -> str | None:
    """The provinsi whose roll-up a reviewer starts on: theirs, when a single provinsi is their
    only scope (one district's dashboard would show them a fraction of it)."""
    access = access_for(user)
    if (
        access.reviewer
        and len(access.read_provinsi) == 1
        and not (access.read_kabupaten or access.managed_kabupaten or access.superuser)
    ):
        return next(iter(access.read_provinsi))
    return None


def readable_provinsi_codes(user: User | AnonymousUser) -> frozenset[str] | None:
    """The provinsi the user reads all or part of; None for every one. A kabupaten code starts
    with its provinsi's ("63.01" is in "63")."""
    access = access_for(user)
    if access.sees_everything:
        return None
    return access.read_provinsi | {kode[:2] for kode in access.read_kabupaten}


def own_pokja_kampung_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The kampung the user sits on as a Pokja member."""
    return access_for(user).pokja_kampung_ids


# --------------------------------------------------------------------------------------------
# Filters: the rules above as a Q on rows, for querysets and selectors. ``None`` means no limit
# (a superuser); an impossible Q (``__in`` an empty set) means nothing.
# --------------------------------------------------------------------------------------------


def _kabupaten_fields(to_kabupaten: str) -> tuple[str, str]:
    """The kabupaten's code and its provinsi's code, reached through ``to_kabupaten``."""
    if not to_kabupaten:
        return "kode", "provinsi_id"
    return f"{to_kabupaten}_id", f"{to_kabupaten}__provinsi_id"


def kabupaten_read_filter(user: User | AnonymousUser, to_kabupaten: str = "") -> Q | None:
    """Rows whose kabupaten (a Kabupaten, or one reached through ``to_kabupaten``, e.g.
    ``"kecamatan__kabupaten"``) the user may read: ``can_view_kabupaten`` as a Q."""
    access = access_for(user)
    if access.sees_everything:
        return None
    kabupaten, provinsi = _kabupaten_fields(to_kabupaten)
    return Q(**{f"{kabupaten}__in": access.read_kabupaten}) | Q(
        **{f"{provinsi}__in": access.read_provinsi}
    )


def kabupaten_manage_filter(user: User | AnonymousUser, to_kabupaten: str = "") -> Q | None:
    """Rows whose kabupaten the user manages: ``can_manage_kabupaten`` as a Q."""
    access = access_for(user)
    if access.sees_everything:
        return None
    kabupaten, _ = _kabupaten_fields(to_kabupaten)
    return Q(**{f"{kabupaten}__in": access.managed_kabupaten})


def whole_provinsi_filter(user: User | AnonymousUser, to_provinsi: str = "") -> Q | None:
    """Rows of a provinsi (a Provinsi, or one reached through ``to_provinsi``) the user reads
    as a whole: ``reads_whole_provinsi`` as a Q."""
    access = access_for(user)
    if access.sees_everything:
        return None
    return Q(**{f"{to_provinsi}_id__in" if to_provinsi else "kode__in": access.read_provinsi})


def kampung_read_filter(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """Kampung (reached through ``prefix``, e.g. ``"kampung__"``) the user may read."""
    return kabupaten_read_filter(user, f"{prefix}kecamatan__kabupaten")


def kampung_manage_filter(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """Kampung in a kabupaten the user manages (DP3A staff): ``can_set_level`` as a Q."""
    return kabupaten_manage_filter(user, f"{prefix}kecamatan__kabupaten")


def kampung_edit_filter(user: User | AnonymousUser, prefix: str = "") -> Q | None:
    """Kampung the user may edit: own Pokja kampung, or DP3A's kabupaten."""
    access = access_for(user)
    if access.sees_everything:
        return None
    kabupaten, _ = _kabupaten_fields(f"{prefix}kecamatan__kabupaten")
    return Q(**{f"{prefix}pk__in": access.pokja_kampung_ids}) | Q(
        **{f"{kabupaten}__in": access.managed_kabupaten}
    )


def staff_role_filter() -> Q:
    """Users with a staff role: ``has_staff_role`` as a Q on User."""
    roles = get_user_model().groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=STAFF_GROUPS
    )
    # Q | Exists is a Q at runtime (Q._combine); the stubs only know Q | Q.
    return Q(is_staff=True) | Q(is_superuser=True) | Exists(roles)  # type: ignore[return-value]
