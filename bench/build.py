"""Build a PostgreSQL database with every Kampung KB of Indonesia and synthetic records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kkb_bench python -m bench.build [--only 63.01]

Fixed seed (``SEED``), drawn per kampung from its code: the same rows every time, and the same
rows for a kampung whichever regions are built. Steps, each timed in the printed summary:

- regions: ``load_region --all`` (bulk upsert), or only the codes given;
- history: a 2019 baseline and about 2.8 changes per kampung to the end of 2025, ending mostly
  dasar (``FINAL_WEIGHTS``), written with COPY; then each kampung's denormalised official level
  is set from its last change in one UPDATE;
- boundaries: Tanah Laut's (63.01) real desa polygons, as the demo loads them
  (``demo.baseline.load_boundaries``), so the district dashboard draws its map; none without 63.01;
- records: for about one kampung in ten, one profile version, three months of figures
  (October-December 2025) and a year of activities with their agencies (which the rule's P3
  counts), from the demo's generators (``demo.records.draw_records``; rows marked ``is_demo``).
  Bulk-created, ``created_at`` pinned to ``SAVED_AT``;
- estimates: those kampung's stored estimated level and indices, from ``rules.assessment.assess``
  on the records just drawn, as ``services.records.kampung_refresh_estimate`` would compute them;
  bulk-updated.

No thematic programme tags, assessments or Pokja accounts. ``--keep`` reuses the database as it
is: run it on an empty one, since the history and records are added again.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time

SEED = 20251122
LEVELS = ["dasar", "berkembang", "mandiri", "paripurna"]
FIRST_YEAR, LAST_YEAR = 2019, 2025
# Where the kampung stand at the end of 2025 (dasar, berkembang, mandiri, paripurna): mostly
# dasar, as in the districts that publish their counts (Tanah Laut: 93/25/3/14 of 135).
FINAL_WEIGHTS = [60, 22, 6, 12]
# When the history ends and the records were saved (their created_at).
SAVED_AT = datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC)
RECORDS_SHARE = 10  # one kampung in RECORDS_SHARE gets records
RECORDS_DAY = datetime.date(2025, 12, 15)  # the demo generators' "today": figures Oct-Dec 2025
BATCH = 2000


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def history_for(rng: random.Random, kampung_id: int):
    """A plausible path from a 2019 baseline to where the kampung stands at the end of 2025.

    The final level follows ``FINAL_WEIGHTS``; the path climbs to it one level at a time, with
    the odd detour (promoted, then back at the next verification, or the other way round).
    Change dates are spread over the whole period, so about one kampung in six changed after
    the target baseline of 31 July 2025 and the "level on a date" lookups have work to do.
    """
    final = rng.choices(range(len(LEVELS)), weights=FINAL_WEIGHTS)[0]
    rank = min(final, rng.choices([0, 1], weights=[85, 15])[0])
    moves = [1] * (final - rank)
    for _ in range(rng.choices([0, 1, 2, 3], weights=[35, 35, 20, 10])[0]):
        at = rng.randrange(len(moves) + 1)
        level_there = rank + sum(moves[:at])
        if level_there == len(LEVELS) - 1:
            step = -1
        elif level_there == 0:
            step = 1
        else:
            step = rng.choice([1, -1])
        moves[at:at] = [step, -step]
    baseline = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(180))
    span = (datetime.date(LAST_YEAR, 12, 31) - baseline).days
    offsets = sorted(rng.sample(range(30, span + 1), len(moves)))
    rows = [(kampung_id, None, LEVELS[rank], baseline, "baseline")]
    for move, offset in zip(moves, offsets, strict=True):
        day = baseline + datetime.timedelta(days=offset)
        rows.append((kampung_id, LEVELS[rank], LEVELS[rank + move], day, "verification"))
        rank += move
    return rows


def write_records(kampung_codes: list[tuple[int, str]]) -> list:
    """Records for a seeded tenth of the kampung, bulk-created, as ``demo.records.Records``.

    The demo's generators (``demo.records.draw_records``), drawn once for the level the kampung
    holds: unlike the demo, no redraws until the rule agrees, so some estimates land above or below
    the official level, as real records do. Chosen and drawn per kampung from its code.
    """
    from classification.demo.records import draw_records
    from classification.models import Activity, Agency, Kampung, KampungFigures, KampungProfile
    from classification.rules.levels import Level

    rngs = {}
    for _kampung_id, code in kampung_codes:
        rng = random.Random(f"{SEED}:records:{code}")
        if rng.random() < 1 / RECORDS_SHARE:
            rngs[code] = rng
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    kampung = (
        Kampung.objects.filter(desa_kode__in=rngs)
        .select_related("kecamatan")
        .only("desa_kode", "desa_nama", "jenis", "official_level", "kecamatan__nama")
        .order_by("desa_kode")
    )
    drawn = [
        draw_records(
            item,
            rng=rngs[item.desa_kode],
            target=Level(item.official_level_id or Level.DASAR.value),
            agencies=agencies,
            programs={},
            today=RECORDS_DAY,
            max_draws=1,
        )
        for item in kampung
    ]
    KampungProfile.objects.bulk_create([r.profile for r in drawn], batch_size=BATCH)
    KampungFigures.objects.bulk_create([f for r in drawn for f in r.figures], batch_size=BATCH)
    activities = [pair for r in drawn for pair in r.activities]
    Activity.objects.bulk_create([activity for activity, _ in activities], batch_size=BATCH)
    through = Activity.agencies.through
    through.objects.bulk_create(
        [
            through(activity_id=activity.pk, agency_id=agency.pk)
            for activity, partners in activities
            for agency in partners
        ],
        batch_size=BATCH,
    )
    # created_at is auto_now_add: pin it to the build's fixed date, as the history's.
    for model in (KampungProfile, KampungFigures, Activity):
        model.objects.update(created_at=SAVED_AT)
    return drawn


def store_estimates(drawn: list) -> int:
    """Each kampung's estimated level and indices, as ``kampung_refresh_estimate`` stores them.

    The same ``rules.assessment.assess`` on the same inputs (latest profile, latest month's figures,
    distinct cross-sector agencies of the activities), from the records in memory, bulk-updated.
    """
    from classification.demo.records import cross_sector_count
    from classification.models import Kampung
    from classification.rules.assessment import assess
    from classification.selectors.records import inputs_from_records

    for r in drawn:
        inputs = inputs_from_records(r.profile, r.figures[-1], cross_sector_count(r.activities))
        assessment = assess(inputs)
        r.kampung.estimated_level_id = assessment.level.value
        r.kampung.estimated_input = assessment.indices.input
        r.kampung.estimated_proses = assessment.indices.proses
        r.kampung.estimated_output = assessment.indices.output
    Kampung.objects.bulk_update(
        [r.kampung for r in drawn],
        ["estimated_level", "estimated_input", "estimated_proses", "estimated_output"],
        batch_size=BATCH,
    )
    return len(drawn)


def build(*, only: list[str]) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from classification.demo.baseline import load_boundaries

    counts, timings = {}, {}
    start = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal start
        timings[f"{step}_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()

    call_command("migrate", verbosity=0)
    lap("migrate")
    if only:
        call_command("load_region", *only, verbosity=0)
    else:
        call_command("load_region", all=True, verbosity=0)
    lap("load_region")

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, desa_kode FROM classification_kampung ORDER BY desa_kode")
        kampung_codes = cursor.fetchall()
    count = 0
    raw = connection.connection  # psycopg 3 connection
    with raw.cursor() as cur:
        with cur.copy(
            "COPY classification_levelchange (kampung_id, level_from_id, level_to_id,"
            " effective_date, source, note, created_at) FROM STDIN"
        ) as copy:
            for kampung_id, code in kampung_codes:
                # Seeded per kampung: Tanah Laut gets the same history in the national and
                # the district-only database, so the two dashboards compare like with like.
                for row in history_for(random.Random(f"{SEED}:{code}"), kampung_id):
                    copy.write_row((*row, "", SAVED_AT))
                    count += 1
        cur.execute(
            """
            UPDATE classification_kampung k SET official_level_id = last.level_to_id,
                   official_level_since = last.effective_date
            FROM (SELECT DISTINCT ON (kampung_id) kampung_id, level_to_id, effective_date
                  FROM classification_levelchange
                  ORDER BY kampung_id, effective_date DESC, id DESC) last
            WHERE last.kampung_id = k.id
            """
        )
    raw.commit()
    counts.update(kampung=len(kampung_codes), level_changes=count)
    lap("history")

    # Matches on desa code: a no-op unless Tanah Laut's kampung were loaded.
    counts["boundaries"] = load_boundaries()
    lap("boundaries")
    drawn = write_records(kampung_codes)
    counts.update(
        profiles=len(drawn),
        figures=sum(len(r.figures) for r in drawn),
        activities=sum(len(r.activities) for r in drawn),
    )
    lap("records")
    counts["estimates"] = store_estimates(drawn)
    lap("estimates")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lap("analyze")
    return {**counts, **timings}


def ensure_users() -> dict[str, str]:
    """Bench users (reviewer of provinsi 63, DP3A of 63.01, superuser) with fresh sessions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from classification.models import RegionScope
    from classification.permissions import BKKBN_GROUP, DP3A_GROUP

    User = get_user_model()
    users = {}
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"is_superuser": True, "is_staff": True}
    )
    users["admin"] = admin
    for name, group, scope in (
        ("bench_peninjau", BKKBN_GROUP, {"provinsi_id": "63"}),
        ("bench_staf", DP3A_GROUP, {"kabupaten_id": "63.01"}),
    ):
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
            RegionScope.objects.create(user=user, **scope)
        users[name.removeprefix("bench_")] = user
    sessions = {}
    for key, user in users.items():
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions[key] = store.session_key
    return sessions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=[], help="Region codes (default: all).")
    parser.add_argument("--keep", action="store_true", help="Do not recreate the database.")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not args.keep:
        recreate_database(url)
    _setup_django()
    print(build(only=args.only))


if __name__ == "__main__":
    main()
