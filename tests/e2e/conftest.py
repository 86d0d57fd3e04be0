"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against the live server.

Never downloads a browser: the tests use /usr/bin/chromium (``make browser`` installs it) and fail,
not skip, when it is missing, so a CI image without it cannot pass silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread (and leaves it marked as
# running between calls), so Django sees a running loop and refuses ORM calls from fixtures and
# tests ("You cannot call this from an async context"). Nothing here is actually concurrent with
# that loop: Playwright only drives it while a browser call blocks, so the check is a false alarm.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.db import connections  # noqa: E402
from playwright.sync_api import Browser, Playwright, expect, sync_playwright  # noqa: E402
from pytest_django.live_server_helper import LiveServer  # noqa: E402

from classification.demo.baseline import create_demo_users  # noqa: E402
from tests.conftest import load_test_regions  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
# The dashboard is ~130 KB of HTML plus 4.8 MB of plotly.js, rendered on a shared CI machine:
# Playwright's 5 s default for expect() is too tight under load. Still a ceiling, not a sleep.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


class _ProductionStaticHandler(StaticFilesHandler):
    """Let static requests through to the WSGI app, where WhiteNoise serves them.

    pytest-django's live server wraps the app in Django's StaticFilesHandler, which looks files up
    through the finders by their source name. With DEBUG off, templates link the hashed names from
    the manifest (vendor/plotly.min.<hash>.js), which no finder knows, so every asset would 404.
    Serving them the way production does (WhiteNoise from STATIC_ROOT) also tests that path.
    """

    def _should_handle(self, path):
        return False


@pytest.fixture(scope="session")
def live_server(request) -> Iterator[LiveServer]:
    """pytest-django's live server, with static files served by WhiteNoise (see above)."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _ProductionStaticHandler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Between sync calls Playwright leaves its event loop marked as running in this thread, and
    # from then on asgiref hands Django a second, context-local set of connections. Put the
    # thread's own connection objects there too: they carry the serialized_rollback snapshot
    # (_test_serialized_contents) and are the ones the live server shares for in-memory SQLite.
    # Without this, serialized_rollback silently restores nothing once a non-browser test has
    # opened the connection before Playwright started (the full suite, not tests/e2e alone).
    wrappers = {alias: connections[alias] for alias in connections}
    with sync_playwright() as driver:
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} "
            "(`make browser` or `sudo apt-get install chromium`); never `playwright install`.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def demo_data():
    """The Tanah Laut demo and its users inside the test database.

    Transactional tests flush the database after each test (serialized_rollback then restores only
    what the migrations seeded), so each e2e test loads its own data. Loading is idempotent, so the
    first e2e test, which still sees the session's data, gets the same state as the later ones.
    ``create_demo_users`` is called directly: the management command refuses when DEBUG is off.
    """
    load_test_regions()
    create_demo_users()


@dataclass
class BrowserLog:
    """What a page did that a test should never see: off-site requests and JavaScript errors."""

    offsite_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.offsite_requests == [], f"requests to other hosts: {self.offsite_requests}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item so the page fixture can tell that the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser: Browser, live_server: LiveServer, demo_data, browser_log: BrowserLog):
    """A fresh context (no cookies) per test; only the live server may be reached.

    When the test fails, the page as it was is kept in artifacts/ as <test>-failure.png/.html.
    """
    own_host = urlsplit(live_server.url).netloc
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Makassar"
    )
    context.set_default_timeout(TIMEOUT_MS)

    def only_live_server(route):
        url = route.request.url
        if urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            browser_log.offsite_requests.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            browser_log.console_errors.append(f"{message.text} ({message.location})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: browser_log.console_errors.append(f"pageerror: {error}"))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTIFACTS / f"{request.node.name}-failure"
        page.screenshot(path=stem.with_suffix(".png"), full_page=True)
        stem.with_suffix(".html").write_text(page.content(), encoding="utf-8")
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots land here (git-ignored) for a human to look at; old failure captures go."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("*-failure.*"):
        stale.unlink()
    return ARTIFACTS
