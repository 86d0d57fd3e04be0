"""Failed logins (django-axes): a username is locked on one address after 5 failures, for a while.

The lock is per username *and* address, so on a village phone shared by the Pokja one member's
typos never lock out the others (settings.AXES_LOCKOUT_PARAMETERS).
"""

import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import F
from django.test import override_settings

from tests.base import PASSWORD, PeopleTestCase

LOCKED_OUT = (
    "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit atau hubungi staf DP3A."
)
HOME = "10.1.2.3"
ELSEWHERE = "10.9.8.7"


class LoginThrottleTests(PeopleTestCase):
    def login(self, username, password, address=HOME):
        return self.client.post(
            "/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def fail(self, username="pokja_a", times=None, address=HOME):
        """Wrong passwords, AXES_FAILURE_LIMIT of them unless told; the last response."""
        for _attempt in range(times or settings.AXES_FAILURE_LIMIT):
            response = self.login(username, "bukan-sandinya", address)
        return response

    def assertLoggedIn(self, response, username):
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(getattr(self, username).pk))
        self.client.post("/keluar/")

    def assertLockedOut(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, LOCKED_OUT, status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_limit_is_five(self):
        self.assertEqual(settings.AXES_FAILURE_LIMIT, 5)
        self.assertEqual(settings.AXES_COOLOFF_TIME, datetime.timedelta(minutes=15))

    def test_failures_below_the_limit_show_the_login_form_again(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            response = self.login("pokja_a", "bukan-sandinya")
            self.assertContains(response, "Nama pengguna atau sandi salah.")
        self.assertLoggedIn(self.login("pokja_a", PASSWORD), "pokja_a")

    def test_sixth_attempt_is_locked_out_even_with_the_right_password(self):
        # The fifth failure already answers with the lockout page, so nobody types a sixth blind.
        self.assertLockedOut(self.fail())
        response = self.login("pokja_a", PASSWORD)
        self.assertLockedOut(response)
        # The lockout page is a page of the site, in Bahasa Indonesia.
        self.assertContains(response, '<html lang="id">', status_code=429)
        self.assertContains(
            response, "<h1>Masuk dikunci sementara</h1>", html=True, status_code=429
        )
        self.assertContains(response, 'class="site-header"', status_code=429)
        self.assertContains(response, 'href="/masuk/"', status_code=429)
        for english in ("Account locked", "too many", "Try again"):
            self.assertNotContains(response, english, status_code=429)
        # Still locked on the next try; and the pages behind the login stay closed.
        self.assertLockedOut(self.login("pokja_a", PASSWORD))
        self.assertRedirects(self.client.get("/"), "/masuk/?next=/", fetch_redirect_response=False)

    def test_another_username_on_the_same_phone_still_logs_in(self):
        self.fail("pokja_a")
        self.assertLoggedIn(self.login("pokja_b", PASSWORD), "pokja_b")

    def test_the_same_username_elsewhere_still_logs_in(self):
        self.fail("pokja_a")
        self.assertLoggedIn(self.login("pokja_a", PASSWORD, address=ELSEWHERE), "pokja_a")

    def test_successful_login_resets_the_count(self):
        self.fail(times=settings.AXES_FAILURE_LIMIT - 1)
        self.assertLoggedIn(self.login("pokja_a", PASSWORD), "pokja_a")
        self.fail(times=settings.AXES_FAILURE_LIMIT - 1)
        self.assertLoggedIn(self.login("pokja_a", PASSWORD), "pokja_a")

    def test_login_works_again_after_the_cool_off(self):
        self.fail()
        self.assertLockedOut(self.login("pokja_a", PASSWORD))
        # Sixteen minutes pass: the recorded failures age past AXES_COOLOFF_TIME.
        AccessAttempt.objects.update(
            attempt_time=F("attempt_time") - datetime.timedelta(minutes=16)
        )
        self.assertLoggedIn(self.login("pokja_a", PASSWORD), "pokja_a")

    def test_an_administrator_can_lift_the_lock(self):
        self.fail()
        self.assertLockedOut(self.login("pokja_a", PASSWORD))
        self.assertEqual(reset(username="pokja_a"), 1)
        self.assertLoggedIn(self.login("pokja_a", PASSWORD), "pokja_a")

    @override_settings(AXES_COOLOFF_TIME=datetime.timedelta(minutes=30))
    def test_lockout_page_states_the_configured_cool_off(self):
        self.fail()
        response = self.login("pokja_a", PASSWORD)
        self.assertContains(response, "Coba lagi dalam 30 menit", status_code=429)
