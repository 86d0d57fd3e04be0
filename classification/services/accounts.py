"""Pokja accounts, managed by DP3A staff from the site: create, reset password, (de)activate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Kampung, PokjaMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _require_manager(by: User, kampung: Kampung) -> None:
    if not permissions.can_manage_kabupaten(by, kampung.kecamatan.kabupaten_id):
        raise PermissionDenied


def _managed_user(by: User, user: User) -> User:
    """The Pokja user, if ``by`` may manage the account (``permissions.can_manage_account``)."""
    if not permissions.can_manage_account(by, user):
        raise PermissionDenied
    return user


@transaction.atomic
def pokja_account_create(
    *,
    kampung: Kampung,
    username: str,
    password: str,
    by: User,
    first_name: str = "",
    last_name: str = "",
    jabatan: str = PokjaMembership.Jabatan.ANGGOTA,
) -> User:
    """A new login for a Pokja member, seated on ``kampung``; the password passes the validators."""
    _require_manager(by, kampung)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    user = User(username=username, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    PokjaMembership.objects.create(user=user, kampung=kampung, jabatan=jabatan)
    return user


@transaction.atomic
def pokja_account_set_password(*, user: User, password: str, by: User) -> None:
    _managed_user(by, user)
    validate_password(password, user)
    user.set_password(password)
    user.save()


@transaction.atomic
def pokja_account_set_active(*, user: User, active: bool, by: User) -> None:
    """Deactivate (or reactivate) a Pokja login; history and authorship stay intact."""
    _managed_user(by, user)
    if user.pk == by.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    user.is_active = active
    user.save()
