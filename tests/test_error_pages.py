"""Error pages: the site's layout and language, phone-width, and a way back from each.

400, 403 and 404 go through kampungkb/views.py (handler400/403/404); the CSRF failure through
CSRF_FAILURE_VIEW; 500 through Django's own handler and the standalone templates/500.html.
The English texts come with the catalogs; here English shows only in what needs no catalog.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.views import defaults

from kampungkb import views
from tests.base import PASSWORD, PeopleTestCase

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
BACK = "Kembali ke halaman sebelumnya"


def boom(request):
    raise RuntimeError("the database went away")


# A URLconf with a view that fails, for the 500 page (handler500 is Django's default here too).
urlpatterns = [path("rusak/", boom)]


class ErrorPageAssertions:
    def assertSitePage(self, response, status, title):
        """The site's page in Bahasa Indonesia, for a phone, not Django's plain English one."""
        self.assertContains(response, title, status_code=status)
        self.assertContains(response, '<html lang="id">', status_code=status)
        self.assertContains(response, VIEWPORT, status_code=status)
        self.assertContains(response, 'class="site-header"', status_code=status)
        self.assertContains(response, "css/site.", status_code=status)
        for english in ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF"):
            self.assertNotContains(response, english, status_code=status)


class NotFoundTests(ErrorPageAssertions, PeopleTestCase):
    def test_unknown_address_is_the_site_404_page(self):
        response = self.client.get("/tidak-ada/")
        self.assertSitePage(response, 404, "Halaman tidak ditemukan")

    def test_anonymous_404_leads_to_the_public_summary_and_the_login(self):
        response = self.client.get("/tidak-ada/")
        self.assertContains(response, 'href="/publik/">Ke ringkasan publik</a>', status_code=404)
        self.assertContains(response, 'href="/masuk/?next=/tidak-ada/">Masuk</a>', status_code=404)

    def test_signed_in_404_leads_to_the_dashboard(self):
        self.client.force_login(self.pokja_a)
        response = self.client.get("/kampung/99.99.99.9999/")
        self.assertSitePage(response, 404, "Halaman tidak ditemukan")
        self.assertContains(response, 'href="/">Ke dasbor</a>', status_code=404)
        self.assertNotContains(response, "/masuk/?next=", status_code=404)
        self.assertContains(response, "Keluar (pokja_a)", status_code=404)  # the site's menu

    def test_kampung_of_another_kabupaten_is_the_same_404_page(self):
        self.client.force_login(self.pokja_a)
        response = self.client.get("/kampung/63.02.01.2001/")
        self.assertSitePage(response, 404, "Halaman tidak ditemukan")

    def test_back_link_to_the_page_the_visitor_came_from(self):
        response = self.client.get("/tidak-ada/", HTTP_REFERER="http://testserver/publik/")
        self.assertContains(
            response,
            f'<a class="button" href="http://testserver/publik/">{BACK}</a>',
            status_code=404,
        )

    def test_no_back_link_to_the_login_form(self):
        # Signed in, then refused: "back" to the login form would only go round again.
        self.client.force_login(self.pokja_a)
        response = self.client.get(
            "/verifikasi/", HTTP_REFERER="http://testserver/masuk/?next=/verifikasi/"
        )
        self.assertNotContains(response, BACK, status_code=403)

    def test_no_back_link_to_another_site(self):
        response = self.client.get("/tidak-ada/", HTTP_REFERER="https://contoh-jahat.example/")
        self.assertNotContains(response, BACK, status_code=404)
        self.assertNotContains(response, "contoh-jahat", status_code=404)


class PermissionDeniedTests(ErrorPageAssertions, PeopleTestCase):
    def test_pokja_on_a_dp3a_page_gets_the_site_403_page(self):
        self.client.force_login(self.pokja_a)
        response = self.client.get("/verifikasi/", HTTP_REFERER="http://testserver/kampung/")
        self.assertSitePage(response, 403, "Akses ditolak")
        self.assertContains(response, "hubungi staf DP3A", status_code=403)
        self.assertContains(response, 'href="http://testserver/kampung/">', status_code=403)
        self.assertContains(response, 'href="/">Ke dasbor</a>', status_code=403)
        # A shared phone may be signed in as someone else.
        self.assertContains(
            response, 'href="/masuk/?next=/verifikasi/">Masuk dengan akun lain</a>', status_code=403
        )

    def render_403(self, exception, user=None):
        request = RequestFactory().get("/verifikasi/")
        request.user = user or AnonymousUser()
        return views.permission_denied(request, exception)

    def test_anonymous_403_offers_the_login(self):
        response = self.render_403(PermissionDenied())
        self.assertSitePage(response, 403, "Akses ditolak")
        self.assertContains(response, "hanya untuk pengguna yang sudah masuk", status_code=403)
        self.assertContains(response, 'href="/masuk/?next=/verifikasi/">Masuk</a>', status_code=403)
        self.assertContains(response, 'href="/publik/">Ke ringkasan publik</a>', status_code=403)

    def test_the_apps_own_reason_is_shown(self):
        reason = "Anda tidak dapat memeriksa pengajuan Anda sendiri."
        response = self.render_403(PermissionDenied(reason), user=self.staf)
        self.assertContains(
            response, f'<p class="notice" data-testid="reason">{reason}</p>', status_code=403
        )

    def test_a_bare_permission_denied_shows_no_reason(self):
        response = self.render_403(PermissionDenied(), user=self.staf)
        self.assertNotContains(response, 'data-testid="reason"', status_code=403)


class BadRequestTests(ErrorPageAssertions, PeopleTestCase):
    def test_a_forged_host_gets_the_site_400_page_without_a_back_link(self):
        response = self.client.get(
            "/publik/", HTTP_HOST="contoh-jahat.example", HTTP_REFERER="http://testserver/"
        )
        self.assertSitePage(response, 400, "Permintaan tidak dapat diproses")
        self.assertNotContains(response, BACK, status_code=400)
        self.assertContains(response, 'href="/publik/">Ke ringkasan publik</a>', status_code=400)


class CsrfFailureTests(ErrorPageAssertions, PeopleTestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def test_csrf_failure_view_is_the_sites(self):
        from django.conf import settings

        self.assertEqual(settings.CSRF_FAILURE_VIEW, "kampungkb.views.csrf_failure")

    def test_an_expired_login_form_gets_the_site_page_and_a_reload_link(self):
        response = self.client.post(
            "/masuk/",
            {"username": "staf", "password": PASSWORD},
            HTTP_REFERER="http://testserver/masuk/",
        )
        self.assertSitePage(response, 403, "Formulir kedaluwarsa")
        self.assertContains(response, "Muat ulang halaman formulir", status_code=403)
        self.assertContains(
            response,
            '<a class="button" href="http://testserver/masuk/">Muat ulang formulir</a>',
            status_code=403,
        )
        self.assertContains(
            response, 'href="/masuk/">Kembali ke halaman masuk</a>', status_code=403
        )
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_expired_form_of_a_signed_in_user_leads_to_the_dashboard(self):
        self.client.force_login(self.staf)
        response = self.client.post("/impor/", {})
        self.assertSitePage(response, 403, "Formulir kedaluwarsa")
        self.assertContains(response, 'href="/">Ke dasbor</a>', status_code=403)
        self.assertNotContains(response, "Muat ulang formulir", status_code=403)


class ServerErrorTests(ErrorPageAssertions, PeopleTestCase):
    def test_500_page_renders_with_an_empty_context_and_no_query(self):
        request = RequestFactory().get("/kampung/")
        with self.assertNumQueries(0):
            response = defaults.server_error(request)
        self.assertSitePage(response, 500, "Terjadi kesalahan")
        content = response.content.decode()
        self.assertIn('<a class="button button-secondary" href="/">Ke halaman utama</a>', content)
        self.assertIn('<a class="button" href="">Coba lagi</a>', content)  # the same address
        self.assertNotIn("csrfmiddlewaretoken", content)

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_failing_view_answers_with_the_500_page(self):
        client = Client(raise_request_exception=False)
        response = client.get("/rusak/")
        self.assertSitePage(response, 500, "Terjadi kesalahan")
        self.assertNotContains(response, "database went away", status_code=500)

    def test_500_page_names_the_active_language(self):
        request = RequestFactory().get("/")
        with translation.override("en"):
            response = defaults.server_error(request)
        self.assertContains(response, '<html lang="en">', status_code=500)


class LockoutPageTests(PeopleTestCase):
    """django-axes' 429 page (AXES_LOCKOUT_TEMPLATE) is still the site's, with the new layout."""

    def test_lockout_page_is_the_sites_in_indonesian(self):
        for _attempt in range(5):
            response = self.client.post("/masuk/", {"username": "pokja_a", "password": "salah"})
        self.assertContains(response, "Masuk dikunci sementara", status_code=429)
        self.assertContains(response, '<html lang="id">', status_code=429)
        self.assertContains(response, VIEWPORT, status_code=429)
        self.assertContains(response, 'action="/i18n/setlang/"', status_code=429)
