"""The demo district: its regions' boundaries, baseline levels and demo users."""

from __future__ import annotations

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from shapely.geometry import mapping, shape

from ..models import (
    ClassificationLevel,
    Kabupaten,
    Kampung,
    LevelChange,
    PokjaMembership,
    RegionScope,
    TargetPolicy,
)
from ..permissions import BKKBN_GROUP, DP3A_GROUP
from ..services.levels import kampung_set_level

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


DEMO_KABUPATEN = "63.01"


DEMO_PROVINSI = "63"


BASELINE_DATE = datetime.date(2025, 7, 31)


DEMO_PASSWORD = "kampungkb-demo"


DEMO_POKJA_KAMPUNG = "63.01.01.2002"  # Tabanio, Takisung: berkembang in the demo baseline


BASELINE_NOTE = "Data demo ilustratif: hanya total kabupaten per 31 Juli 2025 yang dipublikasikan."


# The polygons are only ever drawn on the dashboard map, where Tanah Laut (~0.9° by 0.7°) fills
# ~500-900 px, so one pixel is ~0.001-0.002°. Points within 0.0005° (≈ 55 m, under half a pixel)
# of the simplified outline, and digits finer than ~11 m, cannot show; left in, they made up more
# than half of the dashboard's HTML.
DISPLAY_TOLERANCE = 0.0005


DISPLAY_GRID = 0.0001


def simplify_for_display(geometry: dict) -> dict:
    """A GeoJSON (Multi)Polygon with fewer points and 4-decimal coordinates, still valid.

    Each desa is simplified on its own, so neighbours may no longer share every vertex: at a
    sub-pixel tolerance the hairline gaps this can leave are invisible, and the source does not
    form a clean coverage anyway (neighbouring desa already miss each other's vertices), which
    shapely's topology-aware ``coverage_simplify`` needs to do its job.
    """
    source = shape(geometry)
    # preserve_topology keeps rings from crossing or collapsing; set_precision snaps to the grid
    # and repairs whatever snapping would break, where plain rounding could leave a bow-tie.
    simplified = shapely.set_precision(
        shapely.simplify(source, DISPLAY_TOLERANCE, preserve_topology=True), DISPLAY_GRID
    )
    if simplified.is_empty or simplified.geom_type not in {"Polygon", "MultiPolygon"}:
        return geometry  # a desa smaller than the grid: keep it as drawn rather than lose it
    return mapping(simplified)


def load_boundaries(path: Path = FIXTURES / "tanah_laut_desa.geojson") -> int:
    """Attach each desa's polygon (simplified for display) and centroid to its kampung.

    Joined on code, never on name.
    """
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    by_code = {feature["properties"]["kode"]: feature for feature in features}
    kampung = list(Kampung.objects.filter(desa_kode__in=by_code))
    for item in kampung:
        feature = by_code[item.desa_kode]
        item.boundary = simplify_for_display(feature["geometry"])
        item.latitude = round(Decimal(str(feature["properties"]["lat"])), 5)
        item.longitude = round(Decimal(str(feature["properties"]["lng"])), 5)
    Kampung.objects.bulk_update(kampung, ["boundary", "latitude", "longitude"], batch_size=500)
    return len(kampung)


def demo_levels(path: Path = FIXTURES / "demo_levels.csv") -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["kode"]: row["level"] for row in csv.DictReader(handle)}


@transaction.atomic
def load_baseline(levels_by_code: dict[str, str]) -> int:
    """Record the illustrative baseline as ``baseline`` LevelChanges, once per kampung."""
    levels = {level.code: level for level in ClassificationLevel.objects.all()}
    already = set(
        LevelChange.objects.filter(
            source=LevelChange.Source.BASELINE, kampung__desa_kode__in=levels_by_code
        ).values_list("kampung__desa_kode", flat=True)
    )
    created = 0
    for kampung in Kampung.objects.filter(desa_kode__in=levels_by_code.keys() - already):
        kampung_set_level(
            kampung=kampung,
            level=levels[levels_by_code[kampung.desa_kode]],
            effective_date=BASELINE_DATE,
            source=LevelChange.Source.BASELINE,
            note=BASELINE_NOTE,
        )
        created += 1
    Kabupaten.objects.filter(kode=DEMO_KABUPATEN).update(demo_levels=True)
    TargetPolicy.objects.get_or_create(
        kabupaten_id=DEMO_KABUPATEN, defaults={"baseline_date": BASELINE_DATE}
    )
    return created


@transaction.atomic
def create_demo_users() -> list[str]:
    """dp3a.demo, bkkbn.demo and pokja.demo with the documented password (DEBUG only)."""
    dp3a, _ = Group.objects.get_or_create(name=DP3A_GROUP)
    bkkbn, _ = Group.objects.get_or_create(name=BKKBN_GROUP)
    users = []
    for username, first_name in (
        ("dp3a.demo", "Staf DP3A"),
        ("bkkbn.demo", "Peninjau BKKBN"),
        ("pokja.demo", "Pokja Tabanio"),
    ):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    dp3a_user, bkkbn_user, pokja_user = users
    dp3a_user.groups.add(dp3a)
    bkkbn_user.groups.add(bkkbn)
    RegionScope.objects.get_or_create(user=dp3a_user, kabupaten_id=DEMO_KABUPATEN)
    RegionScope.objects.get_or_create(user=bkkbn_user, provinsi_id=DEMO_PROVINSI)
    PokjaMembership.objects.get_or_create(
        user=pokja_user,
        kampung=Kampung.objects.get(desa_kode=DEMO_POKJA_KAMPUNG),
        defaults={"jabatan": PokjaMembership.Jabatan.KETUA},
    )
    return [user.username for user in users]


DEMO_NOTE = "Data demo ilustratif, bukan laporan Pokja."
