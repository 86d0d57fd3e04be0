"""The audit trail at ``/riwayat/``: who changed what, when, for DP3A staff and reviewers.

The reads are ``classification.selectors.audit``; a kampung page shows its own latest entries itself
(``KampungDetailView``). Pokja members get 403 here (``permissions.can_view_audit``).
"""

from __future__ import annotations

from django.views.generic import TemplateView

from .. import permissions
from ..forms.filters import AuditFilterForm
from ..selectors.audit import audit_entries
from .base import RequiresRule


class AuditLogView(RequiresRule, TemplateView):
    """Every recorded create, change and delete in the user's regions, newest first, 50 a page.

    Anonymous: to the login page; signed in without the right (a Pokja member): 403.
    """

    permission_rule = permissions.can_view_audit
    template_name = "classification/audit_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        page_number = query.pop("page", [1])[-1]
        form = AuditFilterForm(query or None)
        page = audit_entries(user=self.request.user, filters=form.filters(), page=page_number)
        context.update(
            form=form,
            page_obj=page,
            entries=page.object_list,
            filtered=bool(query),
        )
        return context
