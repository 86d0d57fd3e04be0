"""Template helper for the import page's navigation link."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def imports_files(user) -> bool:
    """Whether the user may import files (DP3A staff, superusers); no query once access is read."""
    return permissions.can_manage_district(user)
