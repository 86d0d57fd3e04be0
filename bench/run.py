"""Drive the production server (gunicorn, DEBUG off, 2 workers, 127.0.0.1 only) with wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kkb_bench python -m bench.run [--duration 10]

Needs a database built by ``python -m bench.build`` (and, for the national/district ratio, a
Tanah Laut-only one: ``--district-db``). Writes bench/results/latest.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
SECRET_KEY = "bench-only-not-a-secret-" + "x" * 30
HTTPS = {"X-Forwarded-Proto": "https"}  # as the reverse proxy sends: no SSL redirect


def env_for(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "kampungkb.settings",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, path, who) for every page measured."""
    return [
        ("floor", "/masuk/", "anon"),  # the login form: reads no data
        ("dashboard", "/kabupaten/63.01/", "staf"),
        ("province", "/provinsi/63/", "peninjau"),
        ("national", "/nasional/", "admin"),
        ("kampung_kecamatan", "/kampung/?kecamatan=63.01.01", "staf"),
        ("kampung_level_national", "/kampung/?official_level=mandiri", "admin"),
        # The peers: the Django admin changelist of the same rows, 50 a page as ours.
        ("admin_kecamatan", "/admin/classification/kampung/?kecamatan=63.01.01", "admin"),
        (
            "admin_level_national",
            "/admin/classification/kampung/?official_level__code__exact=mandiri",
            "admin",
        ),
        ("kampung_page", f"/kampung/{ids['kampung']}/", "staf"),
        ("target", "/target/", "staf"),
        ("api_summary", "/api/v1/kabupaten/63.01/ringkasan/", "staf"),
    ]


def sessions_and_ids(url: str) -> dict:
    code = (
        "import json, django; django.setup();"
        "from bench.build import ensure_users; from classification.models import Kampung;"
        "print(json.dumps({'sessions': ensure_users(),"
        # The kampung page measured is the first Tanah Laut kampung with records to show.
        " 'kampung': Kampung.objects.filter(kecamatan__kabupaten_id='63.01',"
        " profiles__isnull=False).order_by('desa_kode')"
        ".values_list('desa_kode', flat=True).first()}))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env_for(url), check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def query_counts(url: str, plan: list, sessions: dict) -> dict:
    """SQL queries per request, counted in-process against the same database."""
    code = """
import json, sys, django
django.setup()
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
plan, sessions = json.loads(sys.argv[1]), json.loads(sys.argv[2])
result = {}
for name, path, who in plan:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if who != "anon":
        client.cookies["sessionid"] = sessions[who]
    client.get(path, secure=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    result[name] = {"queries": len(ctx), "status": response.status_code,
                    "html_bytes": len(response.content)}
print(json.dumps(result))
"""
    out = subprocess.run(
        [PYTHON, "-c", code, json.dumps(plan), json.dumps(sessions)],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Server:
    def __init__(self, url: str):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "kampungkb.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env_for(url),
        )
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/masuk/", headers=HTTPS))
                break
            except OSError:
                time.sleep(0.1)
        self.base = base

    def worker_rss_kb(self) -> int:
        """Peak RSS (VmHWM) of the largest worker."""
        peak = 0
        for child in (
            Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        ):
            status = Path(f"/proc/{child}/status").read_text()
            peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
        return peak

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def wrk(base: str, path: str, session: str | None, *, duration: int, connections: int) -> dict:
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "report.lua"),
        "-H",
        "X-Forwarded-Proto: https",
        "-H",
        "Accept-Encoding: br, gzip",
    ]
    if session:
        cmd += ["-H", f"Cookie: sessionid={session}"]
    out = subprocess.run(cmd + [base + path], check=True, capture_output=True, text=True).stdout
    result = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    result["rps"] = round(result["requests"] / result["duration_s"], 1)
    return result


def visit_bytes(base: str, path: str, session: str) -> dict:
    """Bytes on the wire for a first visit (HTML + same-origin assets, br/gzip as served) and a
    repeat visit (assets cached for their max-age are not fetched again)."""
    headers = {**HTTPS, "Accept-Encoding": "br, gzip", "Cookie": f"sessionid={session}"}

    def get(url):
        with urllib.request.urlopen(urllib.request.Request(base + url, headers=headers)) as resp:
            return resp.read(), resp.headers

    html, _ = get(path)
    import gzip

    try:
        text = gzip.decompress(html).decode()
    except OSError:
        text = html.decode(errors="replace")
    assets = sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', text)))
    first = len(html)
    repeat = len(html)
    repeat_requests = 1
    for asset in assets:
        body, asset_headers = get(asset)
        first += len(body)
        cache = asset_headers.get("Cache-Control", "")
        match = re.search(r"max-age=(\d+)", cache)
        if not match or int(match.group(1)) < 3600:
            repeat += len(body)
            repeat_requests += 1
    return {
        "first_visit_bytes": first,
        "first_visit_requests": 1 + len(assets),
        "repeat_visit_bytes": repeat,
        "repeat_visit_requests": repeat_requests,
        "html_bytes_compressed": len(html),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=30, help="Seconds per page.")
    # As many connections as gunicorn workers: each request is served as soon as it arrives, so
    # the latency is the page's own cost, not time spent queueing (the 50-client soak is that).
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--soak", type=int, default=60, help="Seconds at 50 clients (0: skip).")
    parser.add_argument("--district-db", default=os.environ.get("BENCH_DISTRICT_URL"))
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    ids = sessions_and_ids(url)
    sessions = ids["sessions"]
    plan = pages(ids)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "duration_s": args.duration,
        "connections": args.connections,
        "queries": query_counts(url, plan, sessions),
        "pages": {},
    }
    server = Server(url)
    try:
        for name, path, who in plan:
            result["pages"][name] = wrk(
                server.base,
                path,
                sessions.get(who),
                duration=args.duration,
                connections=args.connections,
            )
            print(name, result["pages"][name], flush=True)
        result["bytes"] = visit_bytes(server.base, "/kabupaten/63.01/", sessions["staf"])
        if args.soak:
            result["soak_50"] = wrk(
                server.base,
                "/kabupaten/63.01/",
                sessions["staf"],
                duration=args.soak,
                connections=50,
            )
        result["worker_peak_rss_kb"] = server.worker_rss_kb()
    finally:
        server.stop()
    if args.district_db:
        district = sessions_and_ids(args.district_db)
        result["district_db_queries"] = query_counts(
            args.district_db, [plan[1]], district["sessions"]
        )
        server = Server(args.district_db)
        try:
            result["district_db_dashboard"] = wrk(
                server.base,
                plan[1][1],
                district["sessions"]["staf"],
                duration=args.duration,
                connections=args.connections,
            )
        finally:
            server.stop()
    floor = result["pages"]["floor"]["p50_ms"]
    for page in result["pages"].values():
        page["ratio_to_floor"] = round(page["p50_ms"] / floor, 1) if floor else None
    pages_ = result["pages"]
    result["ratios"] = {
        "kampung_kecamatan/admin": round(
            pages_["kampung_kecamatan"]["p50_ms"] / pages_["admin_kecamatan"]["p50_ms"], 2
        ),
        "kampung_level_national/admin": round(
            pages_["kampung_level_national"]["p50_ms"] / pages_["admin_level_national"]["p50_ms"],
            2,
        ),
    }
    if "district_db_dashboard" in result:
        result["ratios"]["dashboard national/district"] = round(
            pages_["dashboard"]["p50_ms"] / result["district_db_dashboard"]["p50_ms"], 2
        )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results/latest.json").write_text(json.dumps(result, indent=2))
    print(
        f"\n{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'SQL':>5}{'x floor':>9}{'errors':>8}"
    )
    for name, page in pages_.items():
        q = result["queries"][name]["queries"]
        print(
            f"{name:<24}{page['p50_ms']:>9.1f}{page['p95_ms']:>9.1f}{page['rps']:>9.1f}{q:>5}"
            f"{page['ratio_to_floor']:>9}{page['errors'] + page['non2xx']:>8}"
        )
    print(
        json.dumps(
            {
                k: result.get(k)
                for k in (
                    "ratios",
                    "bytes",
                    "soak_50",
                    "worker_peak_rss_kb",
                    "district_db_dashboard",
                    "district_db_queries",
                )
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
