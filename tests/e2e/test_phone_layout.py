"""Every page of the URL walk, for every role, on a 360 px phone: nothing scrolls sideways.

The URLs are those of the permission matrix (``ROUTES`` in tests/test_permission_matrix.py, one
per URL name the project routes), filled with real demo objects of Tabanio (pokja.demo's kampung).
Each role gets one browser context and logs in once: anonymous, the Pokja of Tabanio, the Pokja of
another kampung of the kabupaten, the BKKBN reviewer and DP3A staff. On every page, whatever it
answers (the page, the login form, a 403 or 404 page):

- the document is no wider than the screen (the body never hides overflow instead of fitting it);
- the closed menu is at most 56 px tall;
- anything that scrolls sideways by itself is a table of figures in its scroll box (first column
  fixed, a shadow at the edge) or a row of sort buttons: lists are cards, never wider.

A few states the walk alone does not reach are visited too: an assessment returned with a note
(the Pokja's form and the reviewer's note) and an import preview. Once per role the menu is
opened (its links stacked, on screen) and closed again; at 1366 px its links sit in one row.
Failures are collected and reported together, each naming the URL and the role, with a
screenshot in artifacts/phone-<role>-<page>.png.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from classification.demo.baseline import DEMO_KABUPATEN, DEMO_PASSWORD, DEMO_POKJA_KAMPUNG
from classification.demo.records import load_records
from classification.models import Activity, Assessment, Kampung, KampungProgram, ThematicProgram
from classification.services.accounts import pokja_account_create
from classification.services.records import activity_save, kampung_program_save
from classification.services.verification import assessment_return, assessment_save
from tests.e2e.conftest import TIMEOUT_MS, BrowserLog
from tests.test_permission_matrix import ROUTES

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1366, "height": 900}
MENU_MAX_HEIGHT = 56
OTHER_KAMPUNG = "63.01.01.2001"  # Benua Lawas, Takisung: same kabupaten as Tabanio
ROLES = {
    "anonymous": None,
    "pokja of this kampung": "pokja.demo",
    "pokja of another kampung": "pokja.lain",
    "reviewer": "bkkbn.demo",
    "dp3a": "dp3a.demo",
}
# URL names that are not pages of the site, with the reason; every other name of ROUTES is walked.
NOT_PAGES = {
    "logout": "POST only (the menu's button): a GET is a bare 405 with no page",
    "api:kabupaten-ringkasan": "JSON for programs, shown raw by the browser",
    "api:kampung-list": "JSON for programs, shown raw by the browser",
    "api:kampung-detail": "JSON for programs, shown raw by the browser",
    "api:schema": "the API's OpenAPI schema (YAML)",
}

# What a phone user would notice, measured in the page: widths, the header, and every element
# that scrolls sideways by itself (which kind it is, and whether it shows that it does).
MEASURE_JS = """
() => {
  const doc = document.documentElement;
  const header = document.querySelector(".site-header");
  const menu = document.querySelector("details.site-menu");
  const describe = (el) => {
    const names = typeof el.className === "string" ? el.className.trim() : "";
    const cls = names ? "." + names.split(/\\s+/).join(".") : "";
    const id = el.id ? "#" + el.id : "";
    const testid = el.dataset && el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
    return el.tagName.toLowerCase() + id + cls + testid;
  };
  const scrollers = [...document.body.querySelectorAll("*")]
    .filter((el) => {
      const overflow = getComputedStyle(el).overflowX;
      return (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
    })
    .map((el) => {
      const table = el.matches("table") ? el : el.querySelector(":scope > table");
      const firstCell = table && table.querySelector("tbody tr > :first-child");
      let kind = "other";
      if (el.matches(".table-scroll, .report-section > table")) kind = "figures";
      else if (el.matches("thead tr")) kind = "sort buttons";
      else if (el.closest(".table-cards, .table-stack")) kind = "list";
      return {
        element: describe(el),
        kind,
        cue: getComputedStyle(el).backgroundImage.includes("gradient"),
        sticky: !!firstCell && getComputedStyle(firstCell).position === "sticky",
      };
    });
  const right = doc.clientWidth + 0.5;
  const beyond = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > right)
    .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= right)
    .slice(0, 5)
    .map((el) => `${describe(el)} right=${Math.round(el.getBoundingClientRect().right)}`);
  return {
    scrollWidth: doc.scrollWidth,
    innerWidth: window.innerWidth,
    clipped: [doc, document.body].filter((el) => {
      const overflow = getComputedStyle(el).overflowX;
      return overflow === "hidden" || overflow === "clip";
    }).map(describe),
    header: header ? header.getBoundingClientRect().height : null,
    menu: !!menu,
    menuOpen: !!(menu && menu.open),
    scrollers,
    beyond,
  };
}
"""


@pytest.fixture
def walk(demo_data) -> dict[str, str | int]:
    """Tabanio's objects for the URLs' kwargs, with demo records, a submitted assessment and a
    second Pokja account on another kampung of the kabupaten."""
    load_records()
    User = get_user_model()
    dp3a, pokja = User.objects.get(username="dp3a.demo"), User.objects.get(username="pokja.demo")
    tabanio = Kampung.objects.get(desa_kode=DEMO_POKJA_KAMPUNG)
    pokja_account_create(
        kampung=Kampung.objects.get(desa_kode=OTHER_KAMPUNG),
        username="pokja.lain",
        password=DEMO_PASSWORD,
        by=dp3a,
        first_name="Pokja Benua Lawas",
    )
    activity = Activity.objects.filter(kampung=tabanio).first() or activity_save(
        activity=Activity(
            kampung=tabanio,
            date=datetime.date(2026, 1, 20),
            title="Pertemuan BKB",
            category=Activity.Category.PENDIDIKAN,
            target_groups=["balita"],
        ),
        by=pokja,
    )
    tag = KampungProgram.objects.filter(kampung=tabanio).first() or kampung_program_save(
        tag=KampungProgram(
            kampung=tabanio,
            program=ThematicProgram.objects.get_or_create(name="Kampung Bersinar")[0],
            since=datetime.date(2025, 1, 1),
        ),
        by=dp3a,
    )
    assessment = assessment_save(kampung=tabanio, by=pokja, submit=True)
    return {
        "kampung": tabanio.desa_kode,
        "kabupaten": DEMO_KABUPATEN,
        "provinsi": DEMO_KABUPATEN[:2],
        "activity": activity.pk,
        "program_tag": tag.pk,
        "assessment": assessment.pk,
        "pokja_account": pokja.pk,
    }


def walk_urls(objects) -> list[tuple[str, str]]:
    return [
        (name, reverse(name, kwargs={key: objects[value] for key, value in route.kwargs}))
        for name, route in sorted(ROUTES.items())
        if name not in NOT_PAGES
    ]


class PhoneCheck:
    """Opens pages in a role's context and writes down what does not fit a phone."""

    def __init__(self, artifacts: Path):
        self.artifacts = artifacts
        self.failures: list[str] = []
        self.checked = 0

    def visit(self, page: Page, role: str, name: str, url: str) -> None:
        response = page.goto(url)
        status = response.status if response else "no response"
        self.check(page, role, name, f"{url} ({status})")

    def check(self, page: Page, role: str, name: str, where: str) -> None:
        self.checked += 1
        m = page.evaluate(MEASURE_JS)
        problems = []
        if m["scrollWidth"] > PHONE["width"] or m["innerWidth"] != PHONE["width"]:
            problems.append(
                f"document {m['scrollWidth']} px wide in a {m['innerWidth']} px window "
                f"(phone {PHONE['width']}): {m['beyond']}"
            )
        if m["clipped"]:
            problems.append(f"horizontal overflow hidden on {m['clipped']} instead of fitting")
        if not m["menu"]:
            problems.append("no site menu")
        elif m["menuOpen"] or m["header"] > MENU_MAX_HEIGHT:
            problems.append(f"closed menu {m['header']} px tall (at most {MENU_MAX_HEIGHT})")
        for box in m["scrollers"]:
            if box["kind"] == "figures" and box["cue"] and box["sticky"]:
                continue
            if box["kind"] == "sort buttons":
                continue
            problems.append(f"scrolls sideways: {box}")
        if problems:
            stem = f"phone-{role.replace(' ', '-')}-{name.replace(':', '-')}"
            page.screenshot(path=self.artifacts / f"{stem}.png", full_page=True)
            self.failures.extend(f"{where} as {role}: {problem}" for problem in problems)


def open_role(browser: Browser, live_server, browser_log: BrowserLog, username: str | None):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    context.set_default_timeout(TIMEOUT_MS)
    own = live_server.url.split("//", 1)[1]

    def only_live_server(route):
        if route.request.url.split("//", 1)[-1].split("/", 1)[0] == own:
            route.continue_()
        else:
            browser_log.offsite_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.on("pageerror", lambda error: browser_log.console_errors.append(f"pageerror: {error}"))
    if username:
        page.goto("/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        expect(page.locator("form[action='/keluar/']")).to_have_count(1)
    return context, page


def check_menu_opens(page: Page, role: str, check: PhoneCheck) -> None:
    """Open the menu: its links stacked one under another, all on screen; then close it."""
    toggle = page.locator("summary.site-menu-toggle")
    assert toggle.bounding_box()["height"] >= 44, f"{role}: the menu toggle is under 44 px"
    toggle.click()
    items = page.locator("nav.site-nav > a, nav.site-nav .link-button")
    expect(items.first).to_be_visible()
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    tops = [box["y"] for box in boxes]
    if tops != sorted(tops) or len(set(tops)) != len(tops):
        check.failures.append(f"{page.url} as {role}: open menu links not stacked ({tops})")
    for box in boxes:
        if box["x"] < 0 or box["x"] + box["width"] > PHONE["width"] or box["height"] < 44:
            check.failures.append(f"{page.url} as {role}: open menu link at {box}")
    toggle.click()
    expect(items.first).to_be_hidden()


def upload_levels(page: Page, kampung: str) -> None:
    """Upload a level file as DP3A, one good row and one wrong: the import's preview page."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "level.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["kode", "level", "tanggal_berlaku", "catatan"])
            writer.writerow([kampung, "mandiri", "2026-02-01", "Hasil verifikasi lapangan"])
            writer.writerow(["63.01.99.9999", "sedang", "2026-02-01", ""])
        page.goto(reverse("classification:import"))
        page.locator("input[type=file]").set_input_files(path)
        page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page).to_have_url(reverse("classification:import_preview"))


def test_every_page_fits_a_phone_for_every_role(
    browser: Browser, live_server, walk, browser_log: BrowserLog, artifacts
):
    urls = walk_urls(walk)
    check = PhoneCheck(artifacts)
    pages = {}
    for role, username in ROLES.items():
        context, page = open_role(browser, live_server, browser_log, username)
        pages[role] = (context, page)
        for name, url in urls:
            check.visit(page, role, name, url)
        check_menu_opens(page, role, check)

    # States the walk does not reach: an assessment returned with a note (the Pokja's form beside
    # the note, the reviewer's note in the history), and a preview of an uploaded file.
    dp3a = get_user_model().objects.get(username="dp3a.demo")
    assessment_return(
        assessment=Assessment.objects.get(pk=walk["assessment"]),
        by=dp3a,
        note="Lengkapi SK Pokja dan unggah berita acara rapat perencanaan bulanan yang "
        "ditandatangani kepala desa: tanpa keduanya indikator Input 1 belum terpenuhi.",
    )
    penilaian = reverse("classification:assessment", kwargs={"kode": walk["kampung"]})
    for role in ("pokja of this kampung", "dp3a"):
        check.visit(pages[role][1], role, "assessment-returned", penilaian)
    dp3a_page = pages["dp3a"][1]
    upload_levels(dp3a_page, walk["kampung"])
    check.check(dp3a_page, "dp3a", "import_preview-uploaded", dp3a_page.url)

    # On a wide screen the same menu is one row of links, without the toggle.
    dp3a_page.set_viewport_size(WIDE)
    dp3a_page.goto(reverse("classification:dashboard"))
    expect(dp3a_page.locator("summary.site-menu-toggle")).to_be_hidden()
    expect(dp3a_page.get_by_role("link", name="Riwayat")).to_be_visible()
    header = dp3a_page.locator(".site-header").bounding_box()["height"]
    if header > MENU_MAX_HEIGHT:
        check.failures.append(f"/ as dp3a at {WIDE['width']} px: the menu wraps ({header} px)")

    for context, _ in pages.values():
        context.close()
    expected = len(ROLES) * len(urls) + 3
    assert check.checked == expected, (check.checked, expected)
    assert check.failures == [], "\n".join(check.failures)
    browser_log.assert_clean()
