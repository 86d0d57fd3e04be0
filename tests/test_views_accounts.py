"""Pokja account pages (/pengguna/…): who reaches them, what they show, what they write."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from classification.models import Kampung, PokjaMembership
from classification.permissions import DP3A_GROUP
from tests.base import (
    KAMPUNG_A,
    KAMPUNG_B,
    KAMPUNG_LAIN_KABUPATEN,
    PASSWORD,
    SESSION_CACHED,
    PeopleTestCase,
    make_pokja,
    make_user,
)

NEW_PASSWORD = "Tabanio-sehat-2026"
# session, user, the user's groups, region scopes and Pokja seats, the count, the page of rows.
LIST_QUERIES = 7 - SESSION_CACHED


def account_data(**overrides) -> dict:
    return {
        "kampung": KAMPUNG_A,
        "jabatan": "sekretaris",
        "first_name": "Siti",
        "last_name": "Aminah",
        "username": "siti.tabanio",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def password_data(password: str = NEW_PASSWORD, again: str | None = None) -> dict:
    return {"password1": password, "password2": password if again is None else again}


def field_errors(response, field: str) -> list[str]:
    """The messages shown under one form field."""
    match = re.search(
        rf'<ul class="field-error" id="id_{field}_error">(.*?)</ul>', response.content.decode()
    )
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


class AccountViewTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pokja_lain = make_pokja("pokja_lain", KAMPUNG_LAIN_KABUPATEN)

    def password_url(self, user) -> str:
        return f"/pengguna/{user.pk}/sandi/"

    def deactivate_url(self, user) -> str:
        return f"/pengguna/{user.pk}/nonaktifkan/"

    def activate_url(self, user) -> str:
        return f"/pengguna/{user.pk}/aktifkan/"

    def reload(self, user):
        return get_user_model().objects.get(pk=user.pk)


class PermissionMatrixTests(AccountViewTestCase):
    """Each page × person, GET and POST (design.md permission matrix)."""

    def pages(self):
        """(url, POST data) for every page; the account pages name pokja_a (Tanah Laut)."""
        return [
            ("/pengguna/", None),
            ("/pengguna/tambah/", account_data()),
            (self.password_url(self.pokja_a), password_data()),
            (self.deactivate_url(self.pokja_a), {}),
            (self.activate_url(self.pokja_a), {}),
        ]

    def test_anonymous_is_sent_to_the_login_page(self):
        for url, data in self.pages():
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url, data if method == "post" else {})
                    self.assertRedirects(
                        response, f"/masuk/?next={url}", fetch_redirect_response=False
                    )

    def test_pokja_and_reviewer_get_403(self):
        for person in (self.pokja_a, self.pokja_b, self.peninjau):
            self.client.force_login(person)
            for url, data in self.pages():
                for method in ("get", "post"):
                    with self.subTest(person=person.username, url=url, method=method):
                        response = getattr(self.client, method)(url, data or {})
                        self.assertEqual(response.status_code, 403)
        self.assertFalse(get_user_model().objects.filter(username="siti.tabanio").exists())
        self.assertTrue(self.reload(self.pokja_a).check_password(PASSWORD))
        self.assertTrue(self.reload(self.pokja_a).is_active)

    def test_dp3a_staff_reach_every_page(self):
        self.client.force_login(self.staf)
        for url, _data in self.pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_dp3a_staff_post_writes(self):
        self.client.force_login(self.staf)
        for url, data in self.pages()[1:]:
            with self.subTest(url=url):
                response = self.client.post(url, data)
                self.assertRedirects(response, "/pengguna/", fetch_redirect_response=False)
        self.assertTrue(get_user_model().objects.filter(username="siti.tabanio").exists())
        pokja_a = self.reload(self.pokja_a)
        self.assertTrue(pokja_a.check_password(NEW_PASSWORD))
        self.assertTrue(pokja_a.is_active)  # deactivated, then activated again

    def test_dp3a_of_another_kabupaten_gets_404_for_its_accounts(self):
        self.client.force_login(self.staf_lain)
        for url, data in self.pages()[2:]:
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url, data)
                    self.assertEqual(response.status_code, 404)
        pokja_a = self.reload(self.pokja_a)
        self.assertTrue(pokja_a.check_password(PASSWORD))
        self.assertTrue(pokja_a.is_active)

    def test_dp3a_of_another_kabupaten_manages_its_own(self):
        self.client.force_login(self.staf_lain)
        self.assertEqual(self.client.get("/pengguna/").status_code, 200)
        self.assertEqual(self.client.get("/pengguna/tambah/").status_code, 200)
        for url in (
            self.password_url(self.pokja_lain),
            self.deactivate_url(self.pokja_lain),
            self.activate_url(self.pokja_lain),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_users_who_are_not_pokja_accounts_are_404(self):
        """Staff, reviewers, unknown ids: as if they did not exist."""
        colleague = make_pokja("staf_pembina", KAMPUNG_B)
        colleague.groups.add(Group.objects.get(name=DP3A_GROUP))
        self.client.force_login(self.staf)
        for user_pk in (self.staf_lain.pk, self.peninjau.pk, self.staf.pk, colleague.pk, 99999):
            for suffix in ("sandi", "nonaktifkan", "aktifkan"):
                url = f"/pengguna/{user_pk}/{suffix}/"
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, password_data()).status_code, 404)
        self.assertTrue(self.reload(self.staf_lain).is_active)

    def test_superuser_manages_every_kabupaten(self):
        admin = get_user_model().objects.create_superuser("admin", password=PASSWORD)
        self.client.force_login(admin)
        response = self.client.get("/pengguna/")
        for username in ("pokja_a", "pokja_b", "pokja_lain"):
            self.assertContains(response, f'<td data-label="Nama pengguna">{username}</td>')
        self.assertEqual(self.client.get(self.password_url(self.pokja_lain)).status_code, 200)

    def test_nav_link_is_for_dp3a_staff_only(self):
        link = '<a href="/pengguna/">Akun Pokja</a>'
        for person, shown in (
            (self.staf, True),
            (self.staf_lain, True),
            (self.pokja_a, False),
            (self.peninjau, False),
        ):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get("/kampung/")
                if shown:
                    self.assertContains(response, link, html=True)
                else:
                    self.assertNotContains(response, 'href="/pengguna/"')


class AccountListTests(AccountViewTestCase):
    def usernames(self, response) -> list[str]:
        return re.findall(r'<td data-label="Nama pengguna">([^<]*)</td>', response.content.decode())

    def test_lists_the_pokja_accounts_of_the_kabupaten_only(self):
        self.pokja_a.first_name, self.pokja_a.last_name = "Siti", "Aminah"
        self.pokja_a.save()
        self.client.force_login(self.staf)
        response = self.client.get("/pengguna/")
        self.assertEqual(self.usernames(response), ["pokja_b", "pokja_a"])  # Benua Lawas, Tabanio
        self.assertContains(response, '<td data-label="Nama">Siti Aminah</td>', html=True)
        self.assertContains(response, f'href="/kampung/{KAMPUNG_A}/"')
        self.assertContains(response, "Anggota / pengisi konten")
        self.assertContains(response, "Belum pernah")
        self.assertContains(response, f'href="/pengguna/{self.pokja_a.pk}/sandi/"')
        self.assertContains(response, f'href="/pengguna/{self.pokja_a.pk}/nonaktifkan/"')
        self.assertContains(response, "2 anggota Pokja")

    def test_other_kabupaten_sees_only_its_own(self):
        self.client.force_login(self.staf_lain)
        self.assertEqual(self.usernames(self.client.get("/pengguna/")), ["pokja_lain"])

    def test_shows_status_and_last_login(self):
        self.client.post("/masuk/", {"username": "pokja_a", "password": PASSWORD})
        self.client.post("/keluar/")
        pokja_b = self.reload(self.pokja_b)
        pokja_b.is_active = False
        pokja_b.save()
        self.client.force_login(self.staf)
        response = self.client.get("/pengguna/")
        self.assertContains(response, "Nonaktif")
        self.assertContains(response, f'href="/pengguna/{self.pokja_b.pk}/aktifkan/"')
        self.assertContains(response, "Belum pernah", count=1)  # pokja_a has logged in

    def test_filters_by_kampung_kecamatan_name_and_status(self):
        make_pokja("pokja_bajuin", "63.01.10.2001")
        self.client.force_login(self.staf)
        for query, expected in (
            ("q=tabanio", ["pokja_a"]),
            ("q=Bajuin", ["pokja_bajuin"]),  # kecamatan name
            ("q=takisung", ["pokja_b", "pokja_a"]),
            (f"q={KAMPUNG_B}", ["pokja_b"]),
            ("q=pokja_bajuin", ["pokja_bajuin"]),  # username
            ("q=tidak-ada", []),
            ("status=nonaktif", []),
            ("status=aktif&q=tabanio", ["pokja_a"]),
        ):
            with self.subTest(query=query):
                response = self.client.get(f"/pengguna/?{query}")
                self.assertEqual(self.usernames(response), expected)
        self.assertContains(
            self.client.get("/pengguna/?q=tidak-ada"), "Tidak ada akun Pokja yang cocok."
        )

    def test_paginates_keeping_the_filter(self):
        kampung = Kampung.objects.filter(kecamatan_id="63.01.05")[:1].get()
        for number in range(30):
            make_pokja(f"pokja_{number:02}", kampung.desa_kode)
        self.client.force_login(self.staf)
        response = self.client.get(f"/pengguna/?q={kampung.desa_nama}")
        self.assertEqual(len(self.usernames(response)), 25)
        self.assertContains(response, "30 anggota Pokja")
        self.assertContains(response, f"q={kampung.desa_nama.replace(' ', '+')}&amp;page=2")
        page_2 = self.client.get(f"/pengguna/?q={kampung.desa_nama}&page=2")
        self.assertEqual(len(self.usernames(page_2)), 5)

    def test_query_count_is_pinned_whatever_the_number_of_accounts(self):
        self.client.force_login(self.staf)
        with self.assertNumQueries(LIST_QUERIES):
            self.assertEqual(len(self.usernames(self.client.get("/pengguna/"))), 2)
        kampung = list(Kampung.objects.filter(kecamatan__kabupaten_id="63.01")[:18])
        for number, desa in enumerate(kampung):
            make_pokja(f"pokja_{number:02}", desa.desa_kode)
        with self.assertNumQueries(LIST_QUERIES):
            self.assertEqual(len(self.usernames(self.client.get("/pengguna/"))), 20)
        with self.assertNumQueries(LIST_QUERIES):
            self.client.get("/pengguna/?q=a&status=aktif&sort=-last_login")


class AccountCreateTests(AccountViewTestCase):
    def test_form_offers_only_kampung_of_the_managed_kabupaten(self):
        self.client.force_login(self.staf)
        response = self.client.get("/pengguna/tambah/")
        content = response.content.decode()
        codes = re.findall(r'<option value="(\d\d\.\d\d\.[\d.]+)"', content)
        tanah_laut = Kampung.objects.filter(kecamatan__kabupaten_id="63.01", is_active=True)
        self.assertEqual(sorted(codes), sorted(tanah_laut.values_list("desa_kode", flat=True)))
        self.assertContains(response, '<optgroup label="Takisung">')
        self.assertContains(
            response, f'<option value="{KAMPUNG_A}">Tabanio (Kec. Takisung)</option>'
        )
        for label in ("Kampung", "Jabatan di Pokja", "Nama depan", "Nama pengguna", "Sandi"):
            self.assertContains(response, label)
        self.assertContains(response, 'autocapitalize="none"')
        self.assertNotContains(response, "Password")

    def test_kampung_in_the_address_is_preselected(self):
        self.client.force_login(self.staf)
        response = self.client.get(f"/pengguna/tambah/?kampung={KAMPUNG_A}")
        self.assertContains(response, f'<option value="{KAMPUNG_A}" selected>', count=1)

    def test_creates_the_account_and_says_so(self):
        self.client.force_login(self.staf)
        response = self.client.post("/pengguna/tambah/", account_data(), follow=True)
        self.assertRedirects(response, "/pengguna/")
        self.assertContains(
            response,
            "Akun siti.tabanio untuk Pokja Tabanio dibuat. Berikan nama pengguna dan sandinya "
            "langsung kepada yang bersangkutan.",
        )
        user = get_user_model().objects.get(username="siti.tabanio")
        self.assertEqual(user.get_full_name(), "Siti Aminah")
        membership = user.pokja_memberships.get()
        self.assertEqual(
            (membership.kampung.desa_kode, membership.jabatan), (KAMPUNG_A, "sekretaris")
        )
        # The audit trail names the DP3A staff member who did it.
        self.assertEqual(user.history.get().history_user, self.staf)
        self.assertEqual(membership.history.get().history_user, self.staf)
        self.client.post("/keluar/")
        response = self.client.post(
            "/masuk/", {"username": "siti.tabanio", "password": NEW_PASSWORD}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_undotted_kampung_code_is_accepted(self):
        self.client.force_login(self.staf)
        response = self.client.post(
            "/pengguna/tambah/", account_data(kampung=KAMPUNG_A.replace(".", ""))
        )
        self.assertRedirects(response, "/pengguna/", fetch_redirect_response=False)
        self.assertTrue(
            PokjaMembership.objects.filter(
                user__username="siti.tabanio", kampung__desa_kode=KAMPUNG_A
            ).exists()
        )

    def test_errors_are_in_indonesian_on_their_fields(self):
        self.client.force_login(self.staf)
        cases = [
            ({"password2": "sandi-yang-lain-sekali"}, "password2", ["Kedua sandi tidak sama."]),
            (
                {"password1": "12345678", "password2": "12345678"},
                "password1",
                ["Kata sandi ini terlalu umum.", "Kata sandi ini seluruhnya terdiri dari angka."],
            ),
            (
                {"password1": "pendek", "password2": "pendek"},
                "password1",
                ["Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter."],
            ),
            (
                {"password1": "siti-aminah", "password2": "siti-aminah"},
                "password1",
                ["Kata sandi terlalu mirip dengan nama belakang."],
            ),
            ({"username": "Pokja_A"}, "username", ["Nama pengguna ini sudah dipakai."]),
            (
                {"username": "siti tabanio"},
                "username",
                [
                    "Nama pengguna hanya boleh berisi huruf, angka, dan karakter . @ + - _ "
                    "(tanpa spasi)."
                ],
            ),
            (
                {"kampung": KAMPUNG_LAIN_KABUPATEN},
                "kampung",
                ["Pilih kampung dari daftar: hanya kampung di kabupaten Anda."],
            ),
            ({"kampung": ""}, "kampung", ["Pilih kampung tempat anggota Pokja ini bertugas."]),
            ({"first_name": ""}, "first_name", ["Isi nama anggota Pokja."]),
        ]
        for overrides, field, messages in cases:
            with self.subTest(field=field, overrides=overrides):
                response = self.client.post("/pengguna/tambah/", account_data(**overrides))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Data belum disimpan.")
                self.assertEqual(field_errors(response, field), messages)
        self.assertFalse(get_user_model().objects.filter(username="siti.tabanio").exists())

    def test_dp3a_of_another_kabupaten_cannot_seat_an_account_here(self):
        self.client.force_login(self.staf_lain)
        response = self.client.post("/pengguna/tambah/", account_data())
        self.assertEqual(
            field_errors(response, "kampung"),
            ["Pilih kampung dari daftar: hanya kampung di kabupaten Anda."],
        )
        self.assertFalse(get_user_model().objects.filter(username="siti.tabanio").exists())


class AccountPasswordTests(AccountViewTestCase):
    def test_page_names_the_account(self):
        self.client.force_login(self.staf)
        response = self.client.get(self.password_url(self.pokja_a))
        self.assertContains(response, "<h1>Sandi baru untuk pokja_a</h1>", html=True)
        self.assertContains(response, f'href="/kampung/{KAMPUNG_A}/"')
        self.assertContains(response, "Ulangi sandi baru")

    def test_sets_the_new_password_and_ends_old_sessions(self):
        pokja_client = self.client_class()
        pokja_client.force_login(self.pokja_a)
        self.client.force_login(self.staf)
        response = self.client.post(self.password_url(self.pokja_a), password_data(), follow=True)
        self.assertRedirects(response, "/pengguna/")
        self.assertContains(response, "Sandi baru untuk pokja_a disimpan")
        self.assertTrue(self.reload(self.pokja_a).check_password(NEW_PASSWORD))
        self.assertEqual(pokja_client.get("/").status_code, 302)

    def test_mismatch_and_weak_passwords_are_refused(self):
        self.client.force_login(self.staf)
        url = self.password_url(self.pokja_a)
        response = self.client.post(url, password_data(again="sandi-yang-lain-sekali"))
        self.assertEqual(field_errors(response, "password2"), ["Kedua sandi tidak sama."])
        response = self.client.post(url, password_data("pokja_a1"))
        self.assertEqual(
            field_errors(response, "password1"), ["Kata sandi terlalu mirip dengan nama pengguna."]
        )
        self.assertTrue(self.reload(self.pokja_a).check_password(PASSWORD))


class AccountActiveTests(AccountViewTestCase):
    def test_get_only_asks(self):
        self.client.force_login(self.staf)
        response = self.client.get(self.deactivate_url(self.pokja_a))
        self.assertContains(response, "<h1>Nonaktifkan akun pokja_a?</h1>", html=True)
        self.assertContains(response, '<form method="post" class="form-panel">')
        self.assertContains(response, "Ya, nonaktifkan")
        self.assertTrue(self.reload(self.pokja_a).is_active)

    def test_deactivate_then_activate(self):
        self.client.force_login(self.staf)
        response = self.client.post(self.deactivate_url(self.pokja_a), follow=True)
        self.assertRedirects(response, "/pengguna/")
        self.assertContains(response, "Akun pokja_a dinonaktifkan: ia tidak dapat masuk lagi.")
        pokja_a = self.reload(self.pokja_a)
        self.assertFalse(pokja_a.is_active)
        self.assertEqual(pokja_a.history.first().history_user, self.staf)
        self.assertContains(
            self.client.get(self.activate_url(self.pokja_a)), "Aktifkan kembali akun pokja_a?"
        )
        response = self.client.post(self.activate_url(self.pokja_a), follow=True)
        self.assertContains(response, "Akun pokja_a diaktifkan kembali: ia dapat masuk lagi.")
        self.assertTrue(self.reload(self.pokja_a).is_active)

    def test_deactivated_pokja_is_told_at_login(self):
        self.client.force_login(self.staf)
        self.client.post(self.deactivate_url(self.pokja_a))
        self.client.post("/keluar/")
        response = self.client.post("/masuk/", {"username": "pokja_a", "password": PASSWORD})
        self.assertContains(response, "Akun ini dinonaktifkan. Hubungi staf DP3A.")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_confirmation_says_when_nothing_would_change(self):
        self.client.force_login(self.staf)
        self.assertContains(
            self.client.get(self.activate_url(self.pokja_a)), "Akun ini sudah aktif."
        )


class KampungPageMembersTests(AccountViewTestCase):
    def test_dp3a_sees_the_pokja_members_and_a_link_to_add_one(self):
        self.pokja_a.first_name = "Siti"
        self.pokja_a.save()
        PokjaMembership.objects.filter(user=self.pokja_a).update(jabatan="ketua")
        make_user("pokja_a2").pokja_memberships.create(
            kampung=Kampung.objects.get(desa_kode=KAMPUNG_A)
        )
        self.client.force_login(self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertContains(response, "Anggota Pokja")
        members = re.search(
            r'<ul class="plain-list" data-testid="pokja-members">(.*?)</ul>',
            response.content.decode(),
        ).group(1)
        self.assertEqual(
            re.findall(r"<li>(.*?)</li>", members),
            ["Siti — Ketua", "pokja_a2 — Anggota / pengisi konten"],
        )
        self.assertContains(response, f'href="/pengguna/tambah/?kampung={KAMPUNG_A}"')

    def test_kampung_without_pokja_says_so(self):
        self.client.force_login(self.staf)
        response = self.client.get("/kampung/63.01.10.2001/")
        self.assertContains(response, "Belum ada akun Pokja untuk kampung ini.")

    def test_others_do_not_see_pokja_members(self):
        for person in (self.pokja_a, self.pokja_b, self.peninjau):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(f"/kampung/{KAMPUNG_A}/")
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'data-testid="pokja-members"')
                self.assertNotContains(response, "/pengguna/tambah/")
