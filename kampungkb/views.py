"""The site's error pages (400, 403, 404, CSRF failure): its layout and language, a way back.

500 stays Django's own handler: it renders templates/500.html with an empty context, and that
template stands alone (no database, no request, no tags of the app).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def _back_url(request, *, to_login: bool = False) -> str | None:
    """The page the visitor came from, when it is one of ours (the Referer, same origin only).

    Not the login page, unless ``to_login``: after signing in, the Referer of the page that
    then refuses is the login form, and "back" there would only send the visitor round again.
    """
    referer = request.META.get("HTTP_REFERER")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for a forged Host header: nothing to go back to
        return None
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return None
    if not to_login and urlsplit(referer).path == resolve_url(settings.LOGIN_URL):
        return None
    return referer


def _error_page(request, template_name: str, status: int, *, to_login=False, **context):
    back_url = _back_url(request, to_login=to_login)
    return render(request, template_name, {"back_url": back_url, **context}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception: PermissionDenied | None = None):
    # The app's own PermissionDenied messages are written for the reader ("Anda tidak dapat
    # memeriksa pengajuan Anda sendiri."); a bare PermissionDenied has none.
    reason = str(exception) if exception is not None and exception.args else ""
    return _error_page(request, "403.html", 403, reason=reason)


def page_not_found(request, exception=None):
    # Django's message ("No Kampung matches the given query.") is not for the reader.
    return _error_page(request, "404.html", 404)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the form was opened too long ago, in another tab, or without cookies.

    ``reason`` is Django's technical one; CsrfViewMiddleware has already logged it.
    """
    # Here the login form is the usual way back: it is the form that expired.
    return _error_page(request, "403_csrf.html", 403, to_login=True)
