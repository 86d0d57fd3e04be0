"""Template helpers for Pokja account management and the login lockout page."""

import datetime

from django import template

from .. import permissions

register = template.Library()


@register.filter
def manages_accounts(user) -> bool:
    """Whether the user manages Pokja accounts (DP3A staff, superusers); cached per request."""
    return permissions.can_manage_district(user)


@register.filter
def minutes(duration: datetime.timedelta | None) -> int | None:
    """A duration in whole minutes, rounded up (the lockout page's "coba lagi dalam N menit")."""
    if not duration:
        return None
    return -(-int(duration.total_seconds()) // 60)
