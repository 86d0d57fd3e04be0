"""Logging in and out: Indonesian pages, a demo account reaching its dashboard, POST-only logout,
sessions that end with the browser or after SESSION_COOKIE_AGE."""

import datetime
from unittest import mock

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from classification.demo.baseline import DEMO_PASSWORD, create_demo_users
from tests.base import PASSWORD, SESSION_CACHED, PeopleTestCase


class LoginPageTests(PeopleTestCase):
    def test_login_page_is_in_indonesian(self):
        response = self.client.get("/masuk/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="id">')
        self.assertContains(response, "<h1>Masuk</h1>", html=True)
        self.assertContains(response, '<label for="id_username">Nama pengguna:</label>', html=True)
        self.assertContains(response, '<label for="id_password">Sandi:</label>', html=True)
        self.assertContains(response, '<button type="submit">Masuk</button>', html=True)
        for english in ("Username", "Password", "Log in"):
            self.assertNotContains(response, english)

    def test_wrong_password_shows_an_indonesian_error_and_stays_logged_out(self):
        response = self.client.post("/masuk/", {"username": "staf", "password": "bukan-sandinya"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'role="alert"')
        self.assertContains(
            response, "Nama pengguna atau sandi salah. Perhatikan huruf besar dan kecil."
        )
        # Django's own Indonesian text says "nama pengguna nama pengguna".
        self.assertNotContains(response, "nama pengguna nama pengguna")
        self.assertNotContains(response, "Please enter")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(self.client.get("/"), "/masuk/?next=/", fetch_redirect_response=False)

    def test_empty_form_shows_indonesian_required_errors(self):
        response = self.client.post("/masuk/", {"username": "", "password": ""})
        # Django's catalogue says "Bidang ini tidak boleh kosong.", Django REST framework's (an
        # app, so it takes precedence) "Bidang ini harus diisi." (as in tests/test_forms.py).
        required = str(forms.Field.default_error_messages["required"])
        self.assertIn(required, ("Bidang ini tidak boleh kosong.", "Bidang ini harus diisi."))
        self.assertContains(response, required, count=2)
        self.assertNotContains(response, "This field is required.")


class LoginFlowTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        create_demo_users()

    def test_demo_staff_logs_in_and_lands_on_the_dashboard(self):
        response = self.client.post(
            "/masuk/", {"username": "dp3a.demo", "password": DEMO_PASSWORD}, follow=True
        )
        self.assertEqual(response.redirect_chain, [("/", 302)])
        self.assertContains(response, "Kampung KB Kabupaten Tanah Laut")
        self.assertContains(response, 'data-testid="total">135<')
        self.assertContains(response, "Keluar (dp3a.demo)")

    def test_demo_pokja_and_reviewer_land_on_the_tanah_laut_dashboard(self):
        # The provincial reviewer lands on the roll-up of Kalimantan Selatan, which lists it.
        for username, chain in (
            ("pokja.demo", [("/", 302)]),
            ("bkkbn.demo", [("/", 302), ("/provinsi/63/", 302)]),
        ):
            with self.subTest(username=username):
                self.client.logout()
                response = self.client.post(
                    "/masuk/", {"username": username, "password": DEMO_PASSWORD}, follow=True
                )
                self.assertEqual(response.redirect_chain, chain)
                self.assertContains(response, "Kabupaten Tanah Laut")

    def test_login_returns_to_the_page_asked_for(self):
        login_url = self.client.get("/kampung/?jenis=kelurahan")["Location"]
        self.assertTrue(login_url.startswith("/masuk/?next="))
        response = self.client.post(
            login_url,
            {"username": "staf", "password": PASSWORD, "next": "/kampung/?jenis=kelurahan"},
        )
        self.assertRedirects(response, "/kampung/?jenis=kelurahan", fetch_redirect_response=False)

    def test_login_never_redirects_to_another_host(self):
        response = self.client.post(
            "/masuk/",
            {"username": "staf", "password": PASSWORD, "next": "https://contoh-jahat.example/"},
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)


class LogoutTests(PeopleTestCase):
    def test_logout_by_post_logs_out_and_shows_the_public_summary(self):
        self.client.force_login(self.staf)
        response = self.client.post("/keluar/")
        self.assertRedirects(response, "/publik/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(self.client.get("/"), "/masuk/?next=/", fetch_redirect_response=False)

    def test_logout_by_get_is_refused_and_keeps_the_session(self):
        self.client.force_login(self.staf)
        response = self.client.get("/keluar/")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_every_page_offers_logout_as_a_post_form(self):
        self.client.force_login(self.staf)
        response = self.client.get("/kampung/")
        self.assertRegex(
            response.content.decode(),
            r'<form method="post" action="/keluar/"[^>]*>\s*<input type="hidden" '
            r'name="csrfmiddlewaretoken"',
        )
        self.assertNotContains(response, 'href="/keluar/"')


class SessionExpiryTests(PeopleTestCase):
    """A session ends when the browser closes, and SESSION_COOKIE_AGE after login at the latest."""

    def log_in(self):
        response = self.client.post("/masuk/", {"username": "staf", "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        return response

    def test_defaults_are_a_working_day_and_the_browser_session(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 8 * 3600)
        self.assertIs(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, True)

    def test_session_cookie_dies_with_the_browser(self):
        cookie = self.log_in().cookies[settings.SESSION_COOKIE_NAME]
        # No Max-Age and no Expires: the browser drops the cookie when it closes.
        self.assertEqual((cookie["max-age"], cookie["expires"]), ("", ""))
        self.assertIs(cookie["httponly"], True)
        self.assertIs(self.client.session.get_expire_at_browser_close(), True)

    @override_settings(SESSION_COOKIE_AGE=600)
    def test_session_is_gone_once_the_age_has_passed(self):
        self.log_in()
        session = self.client.session
        self.assertEqual(session.get_expiry_age(), 600)
        logged_in_at = timezone.now()
        self.assertAlmostEqual(
            session.get_expiry_date(),
            logged_in_at + datetime.timedelta(seconds=600),
            delta=datetime.timedelta(seconds=30),
        )
        with mock.patch(
            "django.utils.timezone.now", return_value=logged_in_at + datetime.timedelta(minutes=9)
        ):
            self.assertEqual(self.client.get("/").status_code, 200)
        if SESSION_CACHED:
            # With REDIS_URL the session is read from Redis, which drops it when its TTL (the
            # same age, tests/test_scaling.py) runs out: the mocked clock cannot move Redis's, so
            # drop it as Redis would. The database copy then answers, and it has expired.
            caches[settings.SESSION_CACHE_ALIAS].delete(session.cache_key)
        with mock.patch(
            "django.utils.timezone.now", return_value=logged_in_at + datetime.timedelta(minutes=11)
        ):
            response = self.client.get("/")
        self.assertRedirects(response, "/masuk/?next=/", fetch_redirect_response=False)

    @override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=False, SESSION_COOKIE_AGE=600)
    def test_a_kept_cookie_carries_the_age(self):
        cookie = self.log_in().cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(cookie["max-age"], 600)
