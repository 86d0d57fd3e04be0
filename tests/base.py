"""Named people for view and permission tests, as healthchecks has alice/bob/charlie.

- ``staf``: DP3A staff of Tanah Laut (63.01)
- ``staf_lain``: DP3A staff of Kotabaru (63.02), another kabupaten
- ``pokja_a``: Pokja of Tabanio (63.01.01.2002, berkembang in the demo baseline)
- ``pokja_b``: Pokja of Benua Lawas (63.01.01.2001), another kampung of the same kabupaten
- ``peninjau``: BKKBN reviewer for the provinsi Kalimantan Selatan (63)
Anonymous is simply the unauthenticated client.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from classification.models import Kampung, LevelChange, PokjaMembership, RegionScope
from classification.permissions import BKKBN_GROUP, DP3A_GROUP

TANAH_LAUT = "63.01"
KOTABARU = "63.02"
KAMPUNG_A = "63.01.01.2002"  # Tabanio
KAMPUNG_B = "63.01.01.2001"  # Benua Lawas
KAMPUNG_LAIN_KABUPATEN = "63.02.01.2001"
PASSWORD = "sandi-uji-yang-panjang"
# Pinned page query counts include reading the session: a query with database sessions, none with
# REDIS_URL set (cached_db), where the login has already put the session in Redis.
SESSION_CACHED = int(settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db")


def level_count(summary, code: str) -> int:
    """How many kampung of a ``district_summary`` hold level ``code`` (0 for an unknown code)."""
    return next((level.count for level in summary.levels if level.code == code), 0)


def level_held_on(kampung, on) -> str | None:
    """The level a kampung's history says it held on ``on``: its last change dated on or before
    that day (design.md), later records first on the same day; None before the first."""
    return (
        LevelChange.objects.filter(kampung=kampung, effective_date__lte=on)
        .order_by("-effective_date", "-created_at", "-id")
        .values_list("level_to_id", flat=True)
        .first()
    )


def make_user(username: str, *, group: str | None = None, **scope):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if scope:
        RegionScope.objects.create(user=user, **scope)
    return user


def make_pokja(username: str, desa_kode: str):
    user = make_user(username)
    PokjaMembership.objects.create(user=user, kampung=Kampung.objects.get(desa_kode=desa_kode))
    return user


class PeopleTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staf = make_user("staf", group=DP3A_GROUP, kabupaten_id=TANAH_LAUT)
        cls.staf_lain = make_user("staf_lain", group=DP3A_GROUP, kabupaten_id=KOTABARU)
        cls.pokja_a = make_pokja("pokja_a", KAMPUNG_A)
        cls.pokja_b = make_pokja("pokja_b", KAMPUNG_B)
        cls.peninjau = make_user("peninjau", group=BKKBN_GROUP, provinsi_id="63")
