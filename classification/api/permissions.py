"""The API's gates: DRF permission classes, each asking one rule of ``classification.permissions``.

The pages' gates (``views.base``) ask the same rules; every API view names one of these in
``permission_classes`` (``tests/test_view_gates.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rest_framework.permissions import BasePermission

from .. import permissions


class RulePermission(BasePermission):
    """Let the request through when ``rule(request.user)`` holds.

    Anonymous requests that fail it get 401 or 403 from DRF (by the authentication classes).
    """

    rule: ClassVar[Callable[[Any], bool]]

    def has_permission(self, request, view) -> bool:
        # Read from the class: a function stored as a class attribute would bind to ``self``.
        return type(self).rule(request.user)


class SignedIn(RulePermission):
    """Any signed-in user (session or token); each view scopes its objects to the user."""

    rule = permissions.is_signed_in
