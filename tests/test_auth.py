"""Logging in and out: Indonesian pages, a demo account reaching its dashboard, POST-only logout."""

from classification import demo
from tests.base import PASSWORD, PeopleTestCase


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
        self.assertContains(response, "sandi yang benar")
        self.assertContains(response, "Huruf besar/kecil pada bidang ini berpengaruh.")
        self.assertNotContains(response, "Please enter")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(self.client.get("/"), "/masuk/?next=/", fetch_redirect_response=False)

    def test_empty_form_shows_indonesian_required_errors(self):
        response = self.client.post("/masuk/", {"username": "", "password": ""})
        self.assertContains(response, "Bidang ini tidak boleh kosong.", count=2)


class LoginFlowTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        demo.create_demo_users()

    def test_demo_staff_logs_in_and_lands_on_the_dashboard(self):
        response = self.client.post(
            "/masuk/", {"username": "dp3a.demo", "password": demo.DEMO_PASSWORD}, follow=True
        )
        self.assertEqual(response.redirect_chain, [("/", 302)])
        self.assertContains(response, "Kampung KB Kabupaten Tanah Laut")
        self.assertContains(response, 'data-testid="total">135<')
        self.assertContains(response, "Keluar (dp3a.demo)")

    def test_demo_pokja_and_reviewer_land_on_the_tanah_laut_dashboard(self):
        for username in ("pokja.demo", "bkkbn.demo"):
            with self.subTest(username=username):
                self.client.logout()
                response = self.client.post(
                    "/masuk/", {"username": username, "password": demo.DEMO_PASSWORD}, follow=True
                )
                self.assertEqual(response.redirect_chain, [("/", 302)])
                self.assertContains(response, "Kampung KB Kabupaten Tanah Laut")

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
