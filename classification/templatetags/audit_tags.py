"""Template helpers for the audit trail's navigation."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def views_audit(user) -> bool:
    """Whether the user reads the audit trail (DP3A staff, reviewers); cached per request."""
    return permissions.can_view_audit(user)
