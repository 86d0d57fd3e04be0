"""The ``load_demo`` command: Tanah Laut, an illustrative baseline, demo users (DEBUG only)."""

import datetime
import io
import json
from collections import Counter

import shapely
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from shapely.geometry import shape

from classification import permissions
from classification.demo.baseline import FIXTURES
from classification.models import (
    Kabupaten,
    Kampung,
    LevelChange,
    PokjaMembership,
    RegionScope,
    TargetPolicy,
)

DEMO_USERS = ["bkkbn.demo", "dp3a.demo", "pokja.demo"]
TABANIO = "63.01.01.2002"
BOUNDARIES = FIXTURES / "tanah_laut_desa.geojson"


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, verbosity=0, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def forget_demo():
    """Undo what the session set-up loaded for 63.01, so the command has real work to do."""
    LevelChange.objects.filter(kampung__kecamatan__kabupaten_id="63.01").delete()
    Kampung.objects.in_kabupaten("63.01").update(
        official_level=None, official_level_since=None, boundary=None, latitude=None, longitude=None
    )
    Kabupaten.objects.filter(kode="63.01").update(demo_levels=False)
    TargetPolicy.objects.filter(kabupaten_id="63.01").delete()


def demo_state() -> dict:
    """Everything load_demo writes, counted."""
    return {
        "users": get_user_model().objects.count(),
        "level_changes": LevelChange.objects.count(),
        "target_policies": TargetPolicy.objects.count(),
        "region_scopes": RegionScope.objects.count(),
        "pokja": PokjaMembership.objects.count(),
        "kampung": Kampung.objects.count(),
    }


class LoadDemoWithoutDebugTests(TestCase):
    def test_refuses_demo_users_when_debug_is_off(self):
        forget_demo()
        before = demo_state()
        with self.assertRaisesMessage(CommandError, "Pengguna demo hanya dibuat bila DEBUG aktif"):
            load_demo()
        self.assertEqual(demo_state(), before)
        self.assertFalse(get_user_model().objects.filter(username__in=DEMO_USERS).exists())

    def test_no_users_loads_the_data_only(self):
        Kampung.objects.in_kabupaten("63.01").update(boundary=None)
        load_demo("--no-users")
        self.assertFalse(get_user_model().objects.filter(username__in=DEMO_USERS).exists())
        self.assertEqual(
            Kampung.objects.in_kabupaten("63.01").filter(boundary__isnull=False).count(), 135
        )


@override_settings(DEBUG=True)
class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        forget_demo()
        with override_settings(DEBUG=True):
            cls.output = load_demo()

    def test_reports_the_password(self):
        self.assertIn("dp3a.demo, bkkbn.demo, pokja.demo (sandi kampungkb-demo)", self.output)

    def test_demo_users_share_the_documented_password(self):
        users = get_user_model().objects.filter(username__in=DEMO_USERS).order_by("username")
        self.assertEqual([user.username for user in users], DEMO_USERS)
        for user in users:
            with self.subTest(user=user.username):
                self.assertTrue(user.check_password("kampungkb-demo"))
                self.assertFalse(user.is_superuser)

    def test_dp3a_demo_manages_tanah_laut(self):
        user = get_user_model().objects.get(username="dp3a.demo")
        self.assertEqual(list(user.groups.values_list("name", flat=True)), ["dp3a"])
        self.assertEqual(
            list(user.region_scopes.values_list("provinsi_id", "kabupaten_id")), [(None, "63.01")]
        )
        tabanio = Kampung.objects.get(desa_kode=TABANIO)
        self.assertTrue(permissions.can_set_level(user, tabanio))
        self.assertEqual(Kampung.objects.editable_by(user).count(), 135)

    def test_bkkbn_demo_reads_the_provinsi(self):
        user = get_user_model().objects.get(username="bkkbn.demo")
        self.assertEqual(list(user.groups.values_list("name", flat=True)), ["bkkbn"])
        self.assertEqual(
            list(user.region_scopes.values_list("provinsi_id", "kabupaten_id")), [("63", None)]
        )
        self.assertTrue(permissions.can_view_kabupaten(user, "63.02"))
        self.assertFalse(Kampung.objects.editable_by(user).exists())

    def test_pokja_demo_sits_on_tabanio_which_is_berkembang(self):
        user = get_user_model().objects.get(username="pokja.demo")
        self.assertFalse(user.groups.exists())
        self.assertFalse(user.region_scopes.exists())
        membership = PokjaMembership.objects.select_related("kampung").get(user=user)
        self.assertEqual(
            (membership.kampung.desa_kode, membership.kampung.desa_nama), (TABANIO, "Tabanio")
        )
        self.assertEqual(membership.kampung.official_level_id, "berkembang")
        self.assertEqual(list(Kampung.objects.editable_by(user)), [membership.kampung])
        self.assertFalse(permissions.can_set_level(user, membership.kampung))

    def test_baseline_is_93_25_3_14_on_31_july_2025(self):
        changes = LevelChange.objects.filter(kampung__kecamatan__kabupaten_id="63.01")
        self.assertEqual(changes.count(), 135)
        self.assertEqual(
            set(changes.values_list("source", "effective_date", "level_from_id")),
            {("baseline", datetime.date(2025, 7, 31), None)},
        )
        self.assertTrue(
            all("ilustratif" in note for note in changes.values_list("note", flat=True))
        )
        self.assertEqual(
            Counter(changes.values_list("level_to_id", flat=True)),
            {"dasar": 93, "berkembang": 25, "mandiri": 3, "paripurna": 14},
        )
        kampung = Kampung.objects.in_kabupaten("63.01")
        self.assertEqual(
            Counter(kampung.values_list("official_level_id", flat=True)),
            {"dasar": 93, "berkembang": 25, "mandiri": 3, "paripurna": 14},
        )
        self.assertEqual(
            set(kampung.values_list("official_level_since", flat=True)),
            {datetime.date(2025, 7, 31)},
        )

    def test_target_policy_starts_at_the_baseline(self):
        policy = TargetPolicy.objects.get(kabupaten_id="63.01")
        self.assertEqual(policy.baseline_date, datetime.date(2025, 7, 31))
        self.assertEqual((policy.annual_percent, policy.rounding), (5, "up"))

    def test_boundaries_for_all_135_kampung(self):
        kampung = Kampung.objects.in_kabupaten("63.01")
        self.assertEqual(kampung.filter(boundary__isnull=False).count(), 135)
        self.assertEqual(
            kampung.filter(latitude__isnull=False, longitude__isnull=False).count(), 135
        )
        bati_bati = kampung.get(desa_kode="63.01.05.2002")
        self.assertIn(bati_bati.boundary["type"], {"Polygon", "MultiPolygon"})
        # Tanah Laut lies south of the equator, east of 114°E.
        self.assertTrue(-4.5 < bati_bati.latitude < -3.5)
        self.assertTrue(114 < bati_bati.longitude < 116)

    def test_boundaries_keep_their_shape_with_far_fewer_points(self):
        """Simplified for the map, each desa still covers the same ground as in the source."""
        source = {
            feature["properties"]["kode"]: shape(feature["geometry"])
            for feature in json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
        }
        shown = {
            kode: shape(geometry)
            for kode, geometry in Kampung.objects.in_kabupaten("63.01").values_list(
                "desa_kode", "boundary"
            )
        }
        self.assertEqual(shown.keys(), source.keys())
        for kode, geometry in shown.items():
            with self.subTest(kode=kode):
                self.assertIn(geometry.geom_type, {"Polygon", "MultiPolygon"})
                self.assertFalse(geometry.is_empty)
                self.assertTrue(geometry.is_valid, shapely.is_valid_reason(geometry))
                self.assertAlmostEqual(geometry.area / source[kode].area, 1, delta=0.05)
                # Drawn where it was: no outline moved by a pixel of the 520 px high map, which
                # the district's 0.67° of latitude fill (~0.0013° a pixel).
                self.assertLess(geometry.hausdorff_distance(source[kode]), 0.0013)
                coordinates = shapely.get_coordinates(geometry).ravel()
                self.assertTrue((coordinates.round(4) == coordinates).all())
        source_points = shapely.get_num_coordinates(list(source.values())).sum()
        shown_points = shapely.get_num_coordinates(list(shown.values())).sum()
        self.assertEqual(source_points, 14_535)
        self.assertLess(shown_points, source_points / 2)

    def test_only_tanah_laut_is_flagged_illustrative(self):
        self.assertEqual(
            list(Kabupaten.objects.filter(demo_levels=True).values_list("kode", flat=True)),
            ["63.01"],
        )

    def test_kotabaru_is_left_alone(self):
        kotabaru = Kampung.objects.in_kabupaten("63.02")
        self.assertFalse(kotabaru.filter(official_level__isnull=False).exists())
        self.assertFalse(kotabaru.filter(boundary__isnull=False).exists())

    def test_running_twice_duplicates_nothing(self):
        before = demo_state()
        versions = dict(Kampung.objects.values_list("pk", "version"))
        output = load_demo()
        self.assertEqual(demo_state(), before)
        self.assertIn("0 level awal baru dicatat", output)
        self.assertEqual(dict(Kampung.objects.values_list("pk", "version")), versions)
