"""The active language: Bahasa Indonesia, or the one chosen with the site's language switch."""

from django.conf import settings
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """The language in the language cookie (set by the switch), else ``LANGUAGE_CODE``.

    Unlike Django's ``get_language_from_request``, the browser's Accept-Language is never read.
    Bahasa Indonesia is the programme's working language for everyone. Accept-Language is the
    phone's system setting, not a choice its reader made for this site (and a village phone is
    often shared): negotiating would hand a Pokja whose phone is set to English a site in another
    language, partly translated until the catalogs are complete, and show two people reading the
    same page different words. Only an explicit choice counts, and it is remembered.
    """
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:  # a language no longer offered, or a forged value
            pass
    return settings.LANGUAGE_CODE


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware deciding by :func:`chosen_language` alone (no URL prefixes)."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # A page depends on the language cookie, never on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
