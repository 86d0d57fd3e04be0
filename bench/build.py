"""Build a PostgreSQL database with every Kampung KB of Indonesia and a synthetic level history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kkb_bench python -m bench.build [--only 63.01]

Fixed seed: the same database every time. Regions come from ``load_region --all`` (bulk upsert);
the history (2019-2025, about 3.6 changes per kampung) is written with COPY, then each kampung's
denormalised official level is set from its last change in one UPDATE.
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
    """A plausible path: a baseline in 2019, then mostly upward steps, the odd step down."""
    rank = rng.choices([0, 1, 2], weights=[70, 25, 5])[0]
    day = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(180))
    rows = [(kampung_id, None, LEVELS[rank], day, "baseline")]
    for _ in range(rng.choices([0, 1, 2, 3, 4, 5], weights=[5, 10, 20, 30, 20, 15])[0]):
        day = day + datetime.timedelta(days=rng.randrange(60, 420))
        if day.year > LAST_YEAR:
            break
        step = 1 if rng.random() < 0.8 else -1
        new = min(3, max(0, rank + step))
        if new == rank:
            new = rank - 1 if rank == 3 else rank + 1
        rows.append((kampung_id, LEVELS[rank], LEVELS[new], day, "verification"))
        rank = new
    return rows


def build(*, only: list[str]) -> dict:
    from django.core.management import call_command
    from django.db import connection

    timings = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    if only:
        call_command("load_region", *only, verbosity=0)
    else:
        call_command("load_region", all=True, verbosity=0)
    timings["load_region_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM classification_kampung ORDER BY desa_kode")
        ids = [row[0] for row in cursor.fetchall()]
    now = datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC)
    count = 0
    raw = connection.connection  # psycopg 3 connection
    with raw.cursor() as cur:
        with cur.copy(
            "COPY classification_levelchange (kampung_id, level_from_id, level_to_id,"
            " effective_date, source, note, created_at) FROM STDIN"
        ) as copy:
            for kampung_id in ids:
                for row in history_for(rng, kampung_id):
                    copy.write_row((*row, "", now))
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
        cur.execute("ANALYZE")
    raw.commit()
    timings["history_s"] = round(time.perf_counter() - start, 1)
    return {"kampung": len(ids), "level_changes": count, **timings}


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
