"""The language: Bahasa Indonesia for everyone, English for whoever picks it, remembered.

The choice is Django's set_language at /i18n/setlang/ (a POST from the footer's switch), kept in
the language cookie; the browser's Accept-Language is not asked (kampungkb/middleware.py).
"""

from django.conf import settings
from django.test import Client, RequestFactory, SimpleTestCase

from kampungkb.middleware import chosen_language
from tests.base import PeopleTestCase

SWITCH = "/i18n/setlang/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


class ChosenLanguageTests(SimpleTestCase):
    def language(self, cookie=None, accept=""):
        request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=accept)
        if cookie is not None:
            request.COOKIES[COOKIE] = cookie
        return chosen_language(request)

    def test_indonesian_for_everyone_whatever_the_browser_asks(self):
        self.assertEqual(self.language(), "id")
        self.assertEqual(self.language(accept="en-US,en;q=0.9"), "id")

    def test_the_cookie_decides(self):
        self.assertEqual(self.language("en", accept="id"), "en")
        self.assertEqual(self.language("id", accept="en"), "id")
        self.assertEqual(self.language("en-us"), "en")

    def test_a_language_not_offered_falls_back_to_indonesian(self):
        for cookie in ("fr", "", "x" * 1000, "../../etc"):
            with self.subTest(cookie=cookie[:10]):
                self.assertEqual(self.language(cookie, accept="en"), "id")

    def test_middleware_sits_after_sessions_and_before_common(self):
        middleware = settings.MIDDLEWARE
        locale = middleware.index("kampungkb.middleware.LocaleMiddleware")
        self.assertNotIn("django.middleware.locale.LocaleMiddleware", middleware)
        self.assertLess(
            middleware.index("django.contrib.sessions.middleware.SessionMiddleware"), locale
        )
        self.assertLess(locale, middleware.index("django.middleware.common.CommonMiddleware"))

    def test_cookie_settings(self):
        self.assertEqual(settings.LANGUAGE_COOKIE_AGE, 365 * 24 * 3600)
        self.assertEqual(settings.LANGUAGE_COOKIE_SAMESITE, "Lax")
        self.assertIs(settings.LANGUAGE_COOKIE_HTTPONLY, True)
        # Secure like the session cookie (tests run without TLS: both off).
        self.assertEqual(settings.LANGUAGE_COOKIE_SECURE, settings.SESSION_COOKIE_SECURE)
        self.assertEqual([code for code, _name in settings.LANGUAGES], ["id", "en"])
        self.assertEqual(settings.LANGUAGE_CODE, "id")


class LanguageSwitchTests(PeopleTestCase):
    def switch(self, language, next_url="/publik/"):
        return self.client.post(SWITCH, {"language": language, "next": next_url})

    def test_default_page_is_indonesian_even_for_an_english_browser(self):
        response = self.client.get("/publik/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, '<html lang="id">')
        self.assertEqual(response["Content-Language"], "id")
        self.assertIn("Cookie", response["Vary"])
        self.assertNotIn("Accept-Language", response["Vary"])

    def test_switching_to_english_is_remembered_then_back_to_indonesian(self):
        response = self.switch("en")
        self.assertRedirects(response, "/publik/", fetch_redirect_response=False)
        cookie = response.cookies[COOKIE]
        self.assertEqual(cookie.value, "en")
        self.assertEqual(cookie["max-age"], 365 * 24 * 3600)
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["path"], "/")

        for url in ("/publik/", "/masuk/", "/tidak-ada/"):
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="id")
                self.assertContains(response, '<html lang="en">', status_code=response.status_code)
                self.assertEqual(response["Content-Language"], "en")

        self.assertRedirects(self.switch("id"), "/publik/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/publik/"), '<html lang="id">')

    def test_the_choice_survives_signing_in_and_out(self):
        self.switch("en")
        self.client.force_login(self.staf)
        self.assertContains(self.client.get("/"), '<html lang="en">')
        self.client.post("/keluar/")
        self.assertContains(self.client.get("/publik/"), '<html lang="en">')

    def test_switch_goes_back_to_the_same_page_with_its_query(self):
        self.client.force_login(self.staf)
        response = self.switch("en", next_url="/kampung/?level=mandiri&page=2")
        self.assertRedirects(
            response, "/kampung/?level=mandiri&page=2", fetch_redirect_response=False
        )

    def test_switch_never_sends_to_another_site(self):
        response = self.switch("en", next_url="https://contoh-jahat.example/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_a_language_not_offered_leaves_the_site_indonesian(self):
        # Django's set_language stores any language Django itself has a catalog for.
        self.switch("fr")
        self.assertContains(self.client.get("/publik/"), '<html lang="id">')

    def test_switch_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(SWITCH, {"language": "en", "next": "/publik/"})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(COOKIE, response.cookies)

    def test_footer_switch_on_every_page_posts_back_to_the_same_page(self):
        self.client.force_login(self.pokja_a)
        response = self.client.get("/kampung/?level=dasar")
        html = response.content.decode()
        self.assertIn(f'<form method="post" action="{SWITCH}" class="language-switch">', html)
        self.assertIn('<input type="hidden" name="next" value="/kampung/?level=dasar">', html)
        self.assertIn('name="csrfmiddlewaretoken"', html.split('class="language-switch"')[1])
        # The current language is named, the other one is a button, each in its own language.
        self.assertIn('<strong lang="id" aria-current="true">Bahasa Indonesia</strong>', html)
        self.assertIn(
            '<button type="submit" name="language" value="en" lang="en" class="link-button">'
            "English</button>",
            html,
        )
        self.switch("en")
        html = self.client.get("/kampung/").content.decode()
        self.assertIn('<strong lang="en" aria-current="true">English</strong>', html)
        self.assertIn('value="id" lang="id" class="link-button">Bahasa Indonesia</button>', html)

    def test_switch_on_an_error_page_returns_to_it(self):
        response = self.client.get("/tidak-ada/?x=1")
        self.assertContains(
            response, '<input type="hidden" name="next" value="/tidak-ada/?x=1">', status_code=404
        )
