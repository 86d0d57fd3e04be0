"""Who sees and edits which kampung: permissions.py and the querysets that mirror it."""

import ast
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import SimpleTestCase

import classification
from classification import permissions
from classification.models import Kabupaten, Kampung, Kecamatan, PokjaMembership, RegionScope
from classification.permissions import BKKBN_GROUP, DP3A_GROUP
from classification.selectors.accounts import manageable_pokja_users

from .base import (
    KAMPUNG_A,
    KAMPUNG_B,
    KAMPUNG_LAIN_KABUPATEN,
    KOTABARU,
    TANAH_LAUT,
    PeopleTestCase,
    make_user,
)

TANAH_LAUT_TOTAL = 135
KOTABARU_TOTAL = 202


def counts(queryset) -> dict[str, int]:
    return {
        TANAH_LAUT: queryset.in_kabupaten(TANAH_LAUT).count(),
        KOTABARU: queryset.in_kabupaten(KOTABARU).count(),
    }


class PermissionTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        # DP3A account scoped to a whole provinsi: may read it, manages nothing (permissions.py).
        cls.staf_provinsi = make_user("staf_provinsi", group=DP3A_GROUP, provinsi_id="63")
        # BKKBN reviewer listed for one kabupaten: reads it, changes nothing.
        cls.peninjau_kab = make_user("peninjau_kab", group=BKKBN_GROUP, kabupaten_id=KOTABARU)
        # A region scope without a group grants nothing; a group without a scope neither.
        cls.tanpa_grup = make_user("tanpa_grup", kabupaten_id=TANAH_LAUT)
        cls.tanpa_wilayah = make_user("tanpa_wilayah", group=DP3A_GROUP)
        kampung = Kampung.objects.select_related("kecamatan")
        cls.kampung_a = kampung.get(desa_kode=KAMPUNG_A)
        cls.kampung_b = kampung.get(desa_kode=KAMPUNG_B)
        cls.kampung_lain = kampung.get(desa_kode=KAMPUNG_LAIN_KABUPATEN)

    def people(self):
        return {
            "staf": self.staf,
            "staf_lain": self.staf_lain,
            "pokja_a": self.pokja_a,
            "pokja_b": self.pokja_b,
            "peninjau": self.peninjau,
            "peninjau_kab": self.peninjau_kab,
            "admin": self.admin,
            "staf_provinsi": self.staf_provinsi,
            "tanpa_grup": self.tanpa_grup,
            "tanpa_wilayah": self.tanpa_wilayah,
            "anonymous": AnonymousUser(),
        }


class VisibleToTests(PermissionTestCase):
    def test_who_sees_which_district(self):
        expected = {
            "staf": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: 0},
            "staf_lain": {TANAH_LAUT: 0, KOTABARU: KOTABARU_TOTAL},
            "pokja_a": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: 0},
            "pokja_b": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: 0},
            "peninjau": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: KOTABARU_TOTAL},
            "peninjau_kab": {TANAH_LAUT: 0, KOTABARU: KOTABARU_TOTAL},
            "admin": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: KOTABARU_TOTAL},
            "staf_provinsi": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: KOTABARU_TOTAL},
            "tanpa_grup": {TANAH_LAUT: 0, KOTABARU: 0},
            "tanpa_wilayah": {TANAH_LAUT: 0, KOTABARU: 0},
            "anonymous": {TANAH_LAUT: 0, KOTABARU: 0},
        }
        for name, user in self.people().items():
            with self.subTest(user=name):
                self.assertEqual(counts(Kampung.objects.visible_to(user)), expected[name])

    def test_superuser_sees_every_kampung(self):
        self.assertEqual(Kampung.objects.visible_to(self.admin).count(), Kampung.objects.count())

    def test_can_view_mirrors_the_queryset(self):
        for name, user in self.people().items():
            visible = set(Kampung.objects.visible_to(user).values_list("pk", flat=True))
            for kampung in (self.kampung_a, self.kampung_b, self.kampung_lain):
                with self.subTest(user=name, kampung=kampung.desa_nama):
                    self.assertIs(
                        permissions.can_view_kampung(user, kampung), kampung.pk in visible
                    )
                    self.assertIs(
                        permissions.can_view_kabupaten(user, kampung.kecamatan.kabupaten_id),
                        kampung.pk in visible,
                    )


class EditableByTests(PermissionTestCase):
    def test_who_edits_which_district(self):
        expected = {
            "staf": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: 0},
            "staf_lain": {TANAH_LAUT: 0, KOTABARU: KOTABARU_TOTAL},
            "pokja_a": {TANAH_LAUT: 1, KOTABARU: 0},
            "pokja_b": {TANAH_LAUT: 1, KOTABARU: 0},
            "peninjau": {TANAH_LAUT: 0, KOTABARU: 0},
            "peninjau_kab": {TANAH_LAUT: 0, KOTABARU: 0},
            "admin": {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: KOTABARU_TOTAL},
            "staf_provinsi": {TANAH_LAUT: 0, KOTABARU: 0},
            "tanpa_grup": {TANAH_LAUT: 0, KOTABARU: 0},
            "tanpa_wilayah": {TANAH_LAUT: 0, KOTABARU: 0},
            "anonymous": {TANAH_LAUT: 0, KOTABARU: 0},
        }
        for name, user in self.people().items():
            with self.subTest(user=name):
                self.assertEqual(counts(Kampung.objects.editable_by(user)), expected[name])

    def test_pokja_edits_only_their_own_kampung(self):
        self.assertEqual(list(Kampung.objects.editable_by(self.pokja_a)), [self.kampung_a])
        self.assertEqual(list(Kampung.objects.editable_by(self.pokja_b)), [self.kampung_b])

    def test_pokja_of_two_kampung_edits_both(self):
        PokjaMembership.objects.create(user=self.pokja_a, kampung=self.kampung_b)
        pokja_a = get_user_model().objects.get(pk=self.pokja_a.pk)
        self.assertEqual(
            set(Kampung.objects.editable_by(pokja_a)), {self.kampung_a, self.kampung_b}
        )

    def test_staff_scope_follows_the_region_scope_row(self):
        RegionScope.objects.create(user=self.staf, kabupaten_id=KOTABARU)
        staf = get_user_model().objects.get(pk=self.staf.pk)
        self.assertEqual(
            counts(Kampung.objects.editable_by(staf)),
            {TANAH_LAUT: TANAH_LAUT_TOTAL, KOTABARU: KOTABARU_TOTAL},
        )

    def test_editable_is_always_visible(self):
        for name, user in self.people().items():
            with self.subTest(user=name):
                editable = Kampung.objects.editable_by(user)
                self.assertFalse(editable.exclude(pk__in=Kampung.objects.visible_to(user)).exists())


class CanEditAndSetLevelTests(PermissionTestCase):
    def test_matrix(self):
        # (can_edit_kampung, can_set_level) on Tabanio, Benua Lawas, a Kotabaru kampung.
        expected = {
            "staf": [(True, True), (True, True), (False, False)],
            "staf_lain": [(False, False), (False, False), (True, True)],
            "pokja_a": [(True, False), (False, False), (False, False)],
            "pokja_b": [(False, False), (True, False), (False, False)],
            "peninjau": [(False, False), (False, False), (False, False)],
            "peninjau_kab": [(False, False), (False, False), (False, False)],
            "admin": [(True, True), (True, True), (True, True)],
            "staf_provinsi": [(False, False), (False, False), (False, False)],
            "tanpa_grup": [(False, False), (False, False), (False, False)],
            "tanpa_wilayah": [(False, False), (False, False), (False, False)],
            "anonymous": [(False, False), (False, False), (False, False)],
        }
        for name, user in self.people().items():
            for kampung, answer in zip(
                (self.kampung_a, self.kampung_b, self.kampung_lain), expected[name], strict=True
            ):
                with self.subTest(user=name, kampung=kampung.desa_nama):
                    self.assertEqual(
                        (
                            permissions.can_edit_kampung(user, kampung),
                            permissions.can_set_level(user, kampung),
                        ),
                        answer,
                    )

    def test_pokja_never_sets_a_level_even_on_their_own_kampung(self):
        self.assertTrue(permissions.can_edit_kampung(self.pokja_a, self.kampung_a))
        self.assertFalse(permissions.can_set_level(self.pokja_a, self.kampung_a))

    def test_pokja_who_is_also_staff_sets_levels_as_staff(self):
        self.pokja_a.groups.add(*self.staf.groups.all())
        RegionScope.objects.create(user=self.pokja_a, kabupaten_id=TANAH_LAUT)
        user = get_user_model().objects.get(pk=self.pokja_a.pk)
        self.assertTrue(permissions.can_set_level(user, self.kampung_a))

    def test_can_edit_mirrors_the_queryset(self):
        for name, user in self.people().items():
            editable = set(Kampung.objects.editable_by(user).values_list("pk", flat=True))
            for kampung in (self.kampung_a, self.kampung_b, self.kampung_lain):
                with self.subTest(user=name, kampung=kampung.desa_nama):
                    self.assertIs(
                        permissions.can_edit_kampung(user, kampung), kampung.pk in editable
                    )


class RegionQuerysetTests(PermissionTestCase):
    """Kabupaten and Kecamatan ``visible_to`` and Kampung ``managed_by`` answer as the rules."""

    def test_kabupaten_and_kecamatan_visible_to_mirror_can_view_kabupaten(self):
        districts = (TANAH_LAUT, KOTABARU)
        for name, user in self.people().items():
            readable = {kode for kode in districts if permissions.can_view_kabupaten(user, kode)}
            with self.subTest(user=name):
                kabupaten = Kabupaten.objects.visible_to(user).filter(kode__in=districts)
                self.assertEqual(set(kabupaten.values_list("kode", flat=True)), readable)
                kecamatan = Kecamatan.objects.visible_to(user).filter(kabupaten_id__in=districts)
                self.assertEqual(set(kecamatan.values_list("kabupaten_id", flat=True)), readable)

    def test_managed_by_mirrors_can_set_level(self):
        for name, user in self.people().items():
            managed = set(Kampung.objects.managed_by(user).values_list("pk", flat=True))
            for kampung in (self.kampung_a, self.kampung_b, self.kampung_lain):
                with self.subTest(user=name, kampung=kampung.desa_nama):
                    self.assertIs(permissions.can_set_level(user, kampung), kampung.pk in managed)

    def test_district_pages_are_for_dp3a_with_a_kabupaten_and_superusers(self):
        managers = {"staf", "staf_lain", "admin"}
        for name, user in self.people().items():
            with self.subTest(user=name):
                self.assertIs(permissions.can_manage_district(user), name in managers)


class CanManageAccountTests(PermissionTestCase):
    def test_rule_mirrors_the_account_queryset(self):
        # A Pokja seated in both kabupaten: nobody but a superuser manages all of its seats.
        both = make_user("pokja_dua_kabupaten")
        for kampung in (self.kampung_a, self.kampung_lain):
            PokjaMembership.objects.create(user=both, kampung=kampung)
        accounts = [self.pokja_a, self.pokja_b, both, self.staf, self.peninjau, self.admin]
        for name, user in self.people().items():
            if not user.is_authenticated:
                continue
            manageable = set(manageable_pokja_users(user=user).values_list("pk", flat=True))
            for account in accounts:
                with self.subTest(manager=name, account=account.username):
                    self.assertIs(
                        permissions.can_manage_account(user, account), account.pk in manageable
                    )

    def test_staff_with_a_pokja_seat_is_no_pokja_account(self):
        PokjaMembership.objects.create(user=self.peninjau, kampung=self.kampung_a)
        self.assertTrue(permissions.has_staff_role(self.peninjau))
        self.assertFalse(permissions.can_manage_account(self.staf, self.peninjau))
        self.assertTrue(permissions.can_manage_account(self.staf, self.pokja_a))


class AccessQueryCountTests(PermissionTestCase):
    def test_roles_are_read_once_per_user_object(self):
        cases = [
            ("staf", 3),  # groups, region scopes, Pokja seats
            ("peninjau", 3),
            ("pokja_a", 2),  # no staff group: region scopes are not read
            ("admin", 0),
        ]
        for name, queries in cases:
            user = get_user_model().objects.get(username=name)
            with self.subTest(user=name):
                with self.assertNumQueries(queries):
                    permissions.can_edit_kampung(user, self.kampung_a)
                with self.assertNumQueries(0):
                    permissions.can_set_level(user, self.kampung_a)
                    permissions.can_view_kampung(user, self.kampung_lain)

    def test_visible_to_costs_one_query_for_either_district(self):
        for name in ("staf", "staf_lain"):
            user = get_user_model().objects.get(username=name)
            permissions.access_for(user)
            with self.subTest(user=name), self.assertNumQueries(1):
                list(Kampung.objects.visible_to(user).for_listing())

    def test_role_checks_do_not_touch_the_database_for_anonymous(self):
        with self.assertNumQueries(0):
            self.assertFalse(permissions.can_view_kampung(AnonymousUser(), self.kampung_a))
            self.assertFalse(permissions.can_edit_kampung(AnonymousUser(), self.kampung_a))


class RulesLiveInPermissionsTests(SimpleTestCase):
    """Who may do what is asked of permissions.py, never worked out again elsewhere."""

    # What only permissions.py reads: the Access record, the role flags and groups behind it.
    NAMES = {
        "access_for",
        "Access",
        "ANONYMOUS_ACCESS",
        "STAFF_GROUPS",
        "DP3A_GROUP",
        "BKKBN_GROUP",
    }
    ATTRIBUTES = {
        "access_for",
        "is_superuser",
        "is_staff",
        "sees_everything",
        "read_kabupaten",
        "read_provinsi",
        "managed_kabupaten",
        "pokja_kampung_ids",
        "reads_kabupaten",
        "manages_kabupaten",
    }
    LOOKUPS = ("is_superuser", "is_staff", "groups__")
    # The demo creates the two groups by name: data, not a rule.
    ALLOWED = {"demo/baseline.py": {"DP3A_GROUP", "BKKBN_GROUP"}}

    def role_reads(self, tree: ast.AST) -> set[str]:
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in self.ATTRIBUTES:
                found.add(f".{node.attr}")
            elif isinstance(node, ast.Name) and node.id in self.NAMES:
                found.add(node.id)
            elif isinstance(node, ast.alias) and node.name in self.NAMES:
                found.add(node.name)
            elif isinstance(node, ast.keyword) and (node.arg or "").startswith(self.LOOKUPS):
                found.add(f"{node.arg}=")
        return found

    def test_no_module_but_permissions_reads_roles(self):
        app = Path(classification.__file__).resolve().parent
        for path in sorted(app.rglob("*.py")):
            module = path.relative_to(app).as_posix()
            if module == "permissions.py" or module.startswith("migrations/"):
                continue
            with self.subTest(module=module):
                found = self.role_reads(ast.parse(path.read_text(encoding="utf-8")))
                self.assertEqual(found - self.ALLOWED.get(module, set()), set())

    def test_the_check_sees_role_reads(self):
        tree = ast.parse(
            "from .permissions import access_for\n"
            "ok = access_for(user).read_kabupaten or user.is_superuser\n"
            "User.objects.filter(groups__name='dp3a')\n"
        )
        self.assertEqual(
            self.role_reads(tree),
            {"access_for", ".read_kabupaten", ".is_superuser", "groups__name="},
        )
