"""Pokja accounts, for the DP3A staff who manage them (services.accounts writes them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from ..models import (
    Kampung,
    PokjaMembership,
)
from ..permissions import can_manage_district, kampung_manage_filter, staff_role_filter

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# --------------------------------------------------------------------------------------------
# Pokja accounts, for the DP3A staff who manage them (classification.services.accounts writes them)
# --------------------------------------------------------------------------------------------


_JABATAN_ORDER = {value: index for index, value in enumerate(PokjaMembership.Jabatan.values)}


def manageable_pokja_users(*, user: User | AnonymousUser) -> QuerySet[User]:
    """The accounts ``user`` may manage, as a lazy queryset (``permissions.can_manage_account``).

    At least one Pokja seat, every seat in a kabupaten ``user`` manages (superuser: any), and no
    staff role of their own (admin, DP3A, BKKBN).
    """
    User = get_user_model()
    if not can_manage_district(user):
        return User.objects.none()
    seats = PokjaMembership.objects.filter(user=OuterRef("pk"))
    users = User.objects.filter(Exists(seats)).exclude(staff_role_filter())
    managed = kampung_manage_filter(user, "kampung__")
    if managed is not None:
        users = users.exclude(Exists(seats.exclude(managed)))
    return users


def pokja_account_rows(
    *, user: User | AnonymousUser, q: str = "", active: bool | None = None
) -> QuerySet[PokjaMembership]:
    """One row per Pokja seat of the accounts ``user`` manages, with user and kampung.

    A lazy queryset of one query (the table's paginator adds a count), whatever the number of
    accounts. ``q`` matches kampung, kecamatan, desa code, username and names.
    """
    rows = (
        PokjaMembership.objects.filter(user__in=manageable_pokja_users(user=user))
        .select_related("user", "kampung__kecamatan")
        .only(
            "jabatan",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__is_active",
            "user__last_login",
            "kampung__desa_kode",
            "kampung__desa_nama",
            "kampung__nama_kampung",
            "kampung__kecamatan__nama",
        )
    )
    if q:
        rows = rows.filter(
            Q(kampung__desa_nama__icontains=q)
            | Q(kampung__nama_kampung__icontains=q)
            | Q(kampung__kecamatan__nama__icontains=q)
            | Q(kampung__desa_kode__startswith=q)
            | Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
        )
    if active is not None:
        rows = rows.filter(user__is_active=active)
    return rows.order_by("kampung__kecamatan__nama", "kampung__desa_nama", "user__username")


def managed_pokja_account(*, user: User | AnonymousUser, pk: int) -> User:
    """One account ``user`` may manage, with its seats (two queries); 404 for any other user."""
    seats = PokjaMembership.objects.select_related("kampung__kecamatan").defer("kampung__boundary")
    try:
        return (
            manageable_pokja_users(user=user)
            .prefetch_related(Prefetch("pokja_memberships", queryset=seats))
            .get(pk=pk)
        )
    except get_user_model().DoesNotExist as exc:
        raise Http404 from exc


def account_kampung_choices(*, user: User | AnonymousUser) -> QuerySet[Kampung]:
    """Active kampung where ``user`` may seat a new Pokja account, by kecamatan then desa."""
    kampung = Kampung.objects.managed_by(user).active().select_related("kecamatan")
    return kampung.only("desa_kode", "desa_nama", "kecamatan__nama").order_by(
        "kecamatan__nama", "kecamatan_id", "desa_nama"
    )


def kampung_pokja_members(*, kampung: Kampung) -> list[PokjaMembership]:
    """The kampung's Pokja members, ketua first, inactive accounts last (one query)."""
    members = kampung.pokja_members.select_related("user")
    return sorted(
        members,
        key=lambda member: (
            not member.user.is_active,
            _JABATAN_ORDER.get(member.jabatan, len(_JABATAN_ORDER)),
            (member.user.get_full_name() or member.user.username).lower(),
        ),
    )
