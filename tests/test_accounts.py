"""services.accounts: Pokja logins created, reset and (de)activated by DP3A staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from classification.models import Kampung, PokjaMembership
from classification.permissions import DP3A_GROUP
from classification.services.accounts import (
    pokja_account_create,
    pokja_account_set_active,
    pokja_account_set_password,
)
from tests.base import KAMPUNG_A, KAMPUNG_LAIN_KABUPATEN, PASSWORD, PeopleTestCase, make_pokja

NEW_PASSWORD = "Tabanio-sehat-2026"
INVALID_LOGIN = "Nama pengguna atau sandi salah. Perhatikan huruf besar dan kecil."
INACTIVE = "Akun ini dinonaktifkan. Hubungi staf DP3A."


class AccountTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tabanio = Kampung.objects.get(desa_kode=KAMPUNG_A)
        cls.kotabaru_desa = Kampung.objects.get(desa_kode=KAMPUNG_LAIN_KABUPATEN)

    def create(self, **kwargs):
        kwargs = {
            "kampung": self.tabanio,
            "username": "siti.tabanio",
            "password": NEW_PASSWORD,
            "by": self.staf,
            **kwargs,
        }
        return pokja_account_create(**kwargs)

    def login(self, username, password):
        return self.client.post("/masuk/", {"username": username, "password": password})

    def assertLogsIn(self, username, password):
        response = self.login(username, password)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.client.post("/keluar/")

    def assertRefused(self, username, password, message):
        response = self.login(username, password)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertNotIn("_auth_user_id", self.client.session)


class PokjaAccountCreateTests(AccountTestCase):
    def test_creates_a_user_seated_on_the_kampung_with_history(self):
        user = self.create(
            first_name="Siti",
            last_name="Aminah",
            jabatan=PokjaMembership.Jabatan.SEKRETARIS,
        )
        user.refresh_from_db()
        self.assertEqual((user.first_name, user.last_name), ("Siti", "Aminah"))
        self.assertTrue(user.is_active)
        self.assertFalse(user.is_staff)
        self.assertTrue(user.check_password(NEW_PASSWORD))
        membership = PokjaMembership.objects.get(user=user)
        self.assertEqual(membership.kampung, self.tabanio)
        self.assertEqual(membership.jabatan, PokjaMembership.Jabatan.SEKRETARIS)
        # The audit trail holds both the login and the seat (never the password hash).
        self.assertEqual(list(user.history.values_list("history_type", flat=True)), ["+"])
        self.assertEqual(membership.history.get().history_type, "+")
        self.assertFalse(hasattr(user.history.get(), "password"))
        self.assertLogsIn("siti.tabanio", NEW_PASSWORD)

    def test_jabatan_defaults_to_anggota(self):
        user = self.create()
        self.assertEqual(user.pokja_memberships.get().jabatan, PokjaMembership.Jabatan.ANGGOTA)

    def test_dp3a_of_another_kabupaten_is_refused(self):
        with self.assertRaises(PermissionDenied):
            self.create(by=self.staf_lain)
        self.assertFalse(get_user_model().objects.filter(username="siti.tabanio").exists())

    def test_dp3a_creates_in_its_own_kabupaten_only(self):
        user = self.create(kampung=self.kotabaru_desa, by=self.staf_lain)
        self.assertEqual(user.pokja_memberships.get().kampung, self.kotabaru_desa)
        with self.assertRaises(PermissionDenied):
            self.create(username="lain", kampung=self.kotabaru_desa, by=self.staf)

    def test_pokja_and_reviewer_cannot_create_accounts(self):
        for person in (self.pokja_a, self.peninjau):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                self.create(by=person)

    def test_duplicate_username_is_refused_whatever_the_case(self):
        with self.assertRaises(ValidationError) as raised:
            self.create(username="POKJA_A")
        self.assertEqual(
            raised.exception.message_dict, {"username": ["Nama pengguna ini sudah dipakai."]}
        )
        self.assertEqual(get_user_model().objects.filter(username__iexact="pokja_a").count(), 1)

    def test_weak_passwords_are_refused_in_indonesian_and_nothing_is_saved(self):
        cases = {
            "12345678": ["Kata sandi ini terlalu umum.", "seluruhnya terdiri dari angka"],
            "kb-123": ["Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter."],
            "siti.tabanio1": ["Kata sandi terlalu mirip dengan nama pengguna."],
        }
        for password, expected in cases.items():
            with self.subTest(password=password):
                with self.assertRaises(ValidationError) as raised:
                    self.create(password=password)
                text = " ".join(raised.exception.messages)
                for message in expected:
                    self.assertIn(message, text)
                self.assertNotIn("password", text.lower())
        self.assertFalse(get_user_model().objects.filter(username="siti.tabanio").exists())
        self.assertFalse(self.tabanio.pokja_members.exclude(user=self.pokja_a).exists())


class PokjaAccountSetPasswordTests(AccountTestCase):
    def test_new_password_replaces_the_old_one(self):
        pokja_account_set_password(user=self.pokja_a, password=NEW_PASSWORD, by=self.staf)
        self.assertRefused("pokja_a", PASSWORD, INVALID_LOGIN)
        self.assertLogsIn("pokja_a", NEW_PASSWORD)

    def test_weak_new_password_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "Kata sandi ini terlalu umum."):
            pokja_account_set_password(user=self.pokja_a, password="password", by=self.staf)
        self.pokja_a.refresh_from_db()
        self.assertTrue(self.pokja_a.check_password(PASSWORD))

    def test_only_dp3a_of_the_kampung_kabupaten_may_reset(self):
        for person in (self.staf_lain, self.pokja_b, self.peninjau, self.pokja_a):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                pokja_account_set_password(user=self.pokja_a, password=NEW_PASSWORD, by=person)
        self.pokja_a.refresh_from_db()
        self.assertTrue(self.pokja_a.check_password(PASSWORD))

    def test_staff_accounts_are_not_pokja_accounts(self):
        for person in (self.staf_lain, self.peninjau):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                pokja_account_set_password(user=person, password=NEW_PASSWORD, by=self.staf)

    def test_dp3a_colleague_with_a_pokja_seat_cannot_be_taken_over(self):
        """A DP3A staff member who also sits on a Pokja keeps a staff account: no reset by peers."""
        colleague = make_pokja("staf_pembina", KAMPUNG_A)
        colleague.groups.add(Group.objects.get(name=DP3A_GROUP))
        with self.assertRaises(PermissionDenied):
            pokja_account_set_password(user=colleague, password=NEW_PASSWORD, by=self.staf)
        with self.assertRaises(PermissionDenied):
            pokja_account_set_active(user=colleague, active=False, by=self.staf)


class PokjaAccountSetActiveTests(AccountTestCase):
    def test_deactivated_account_can_no_longer_log_in(self):
        pokja_account_set_active(user=self.pokja_a, active=False, by=self.staf)
        self.pokja_a.refresh_from_db()
        self.assertFalse(self.pokja_a.is_active)
        # The right password is told why; a wrong one learns nothing about the account.
        self.assertRefused("pokja_a", PASSWORD, INACTIVE)
        self.assertRefused("pokja_a", "bukan-sandinya", INVALID_LOGIN)
        response = self.login("pokja_a", "bukan-sandinya")
        self.assertNotContains(response, "dinonaktifkan")

    def test_deactivation_ends_an_open_session(self):
        self.client.force_login(self.pokja_a)
        self.assertEqual(self.client.get(f"/kampung/{KAMPUNG_A}/").status_code, 200)
        pokja_account_set_active(user=self.pokja_a, active=False, by=self.staf)
        response = self.client.get(f"/kampung/{KAMPUNG_A}/")
        self.assertRedirects(
            response, f"/masuk/?next=/kampung/{KAMPUNG_A}/", fetch_redirect_response=False
        )

    def test_reactivated_account_logs_in_again_with_its_password(self):
        pokja_account_set_active(user=self.pokja_a, active=False, by=self.staf)
        pokja_account_set_active(user=self.pokja_a, active=True, by=self.staf)
        self.assertLogsIn("pokja_a", PASSWORD)

    def test_history_keeps_each_change(self):
        pokja_account_set_active(user=self.pokja_a, active=False, by=self.staf)
        latest = self.pokja_a.history.first()
        self.assertEqual((latest.history_type, latest.is_active), ("~", False))

    def test_dp3a_of_another_kabupaten_cannot_deactivate(self):
        with self.assertRaises(PermissionDenied):
            pokja_account_set_active(user=self.pokja_a, active=False, by=self.staf_lain)
        self.pokja_a.refresh_from_db()
        self.assertTrue(self.pokja_a.is_active)

    def test_cannot_deactivate_self(self):
        """DP3A staff with a Pokja seat in their own kabupaten still cannot switch themselves off.

        They are refused as staff (not a Pokja account) before the service's own self-check.
        """
        self.staf.pokja_memberships.create(kampung=self.tabanio)
        with self.assertRaises(PermissionDenied):
            pokja_account_set_active(user=self.staf, active=False, by=self.staf)
        self.staf.refresh_from_db()
        self.assertTrue(self.staf.is_active)
