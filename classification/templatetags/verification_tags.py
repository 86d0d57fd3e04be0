"""Template helpers for the verification workflow's navigation."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def verifies(user) -> bool:
    """Whether the user works the verification queue (DP3A staff, superusers).

    No query on pages that already checked the user's access (it is cached per request).
    """
    return permissions.can_manage_district(user)
