"""Who may do what, in one place. Querysets (``visible_to``/``editable_by``) mirror these answers.

Roles (domain.md §6): superusers see everything; DP3A staff (group ``dp3a``) manage the kabupaten
of their RegionScope; BKKBN reviewers (group ``bkkbn``) read their provinsi or kabupaten; a Pokja
member reads their kabupaten and edits only the kampung they sit on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from .models import Assessment, Kampung

DP3A_GROUP = "dp3a"
BKKBN_GROUP = "bkkbn"


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


def kampung_read_filter(access: Access, prefix: str = "") -> Q | None:
    """A Q limiting kampung (reached through ``prefix``) to what ``access`` may read.

    ``None`` means no limit (superuser); an impossible Q means nothing.
    """
    if access.sees_everything:
        return None
    return Q(**{f"{prefix}kecamatan__kabupaten_id__in": access.read_kabupaten}) | Q(
        **{f"{prefix}kecamatan__kabupaten__provinsi_id__in": access.read_provinsi}
    )


def kampung_edit_filter(access: Access, prefix: str = "") -> Q | None:
    """A Q limiting kampung to those ``access`` may edit: own Pokja kampung, or DP3A's kabupaten."""
    if access.sees_everything:
        return None
    return Q(**{f"{prefix}pk__in": access.pokja_kampung_ids}) | Q(
        **{f"{prefix}kecamatan__kabupaten_id__in": access.managed_kabupaten}
    )


def can_view_kampung(user: User | AnonymousUser, kampung: Kampung) -> bool:
    return access_for(user).reads_kabupaten(kampung.kecamatan.kabupaten_id)


def can_edit_kampung(user: User | AnonymousUser, kampung: Kampung) -> bool:
    access = access_for(user)
    return kampung.pk in access.pokja_kampung_ids or access.manages_kabupaten(
        kampung.kecamatan.kabupaten_id
    )


def can_set_level(user: User | AnonymousUser, kampung: Kampung) -> bool:
    """Only DP3A staff of the kampung's kabupaten set official levels: never its own Pokja."""
    return access_for(user).manages_kabupaten(kampung.kecamatan.kabupaten_id)


def can_view_kabupaten(user: User | AnonymousUser, kabupaten_kode: str) -> bool:
    return access_for(user).reads_kabupaten(kabupaten_kode)


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


def can_manage_accounts(user: User | AnonymousUser) -> bool:
    """DP3A staff (for their kabupaten) and superusers manage Pokja accounts."""
    access = access_for(user)
    return access.superuser or bool(access.managed_kabupaten)


def can_view_audit(user: User | AnonymousUser) -> bool:
    """The audit log is for DP3A staff and reviewers; a Pokja sees its kampung's on its page."""
    access = access_for(user)
    return access.superuser or access.dp3a or access.reviewer


def can_view_kampung_history(user: User | AnonymousUser, kampung: Kampung) -> bool:
    """A kampung page's change history: DP3A staff and reviewers, and that kampung's own Pokja."""
    return can_view_audit(user) or kampung.pk in access_for(user).pokja_kampung_ids


def can_verify_queue(user: User | AnonymousUser) -> bool:
    access = access_for(user)
    return access.superuser or bool(access.managed_kabupaten)


def can_import(user: User | AnonymousUser) -> bool:
    """Import levels or figures from a file: DP3A staff (their kabupaten's rows), superusers."""
    access = access_for(user)
    return access.superuser or bool(access.managed_kabupaten)
