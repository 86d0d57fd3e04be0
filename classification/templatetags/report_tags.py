"""Template helpers for the reporting pages' navigation."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def is_pokja_only(user) -> bool:
    """A Pokja member with no district role: they see their own reporting on the dashboard.

    No query on pages that already checked the user's access (it is cached per request).
    """
    return permissions.is_pokja_only(user)
