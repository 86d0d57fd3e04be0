"""The site as a user sees it in Chromium: login, dashboard charts, kampung table, public page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from classification.demo.baseline import DEMO_PASSWORD

pytestmark = [
    pytest.mark.e2e,
    # The live server reads the database from another thread, so data must be committed;
    # serialized_rollback puts the migration-seeded ClassificationLevel rows back after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BASELINE = {"dasar": 93, "berkembang": 25, "mandiri": 3, "paripurna": 14}
CHARTS = ("chart-distribusi", "chart-kecamatan", "chart-target", "chart-peta")
PHONE = {"width": 360, "height": 740}

# Elements reaching past the right edge of the viewport, except inside a container that scrolls
# horizontally by itself (the tables' .table-scroll): those are what a phone user would lose.
OVERFLOWING_ELEMENTS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrollsItself(el))
    .map((el) => {
      const r = el.getBoundingClientRect();
      const cls = el.className && typeof el.className === "string" ? "." + el.className : "";
      return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} right=${r.right}`;
    });
}
"""


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill and submit the login form the page is on."""
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()


def expect_cards(page: Page) -> None:
    expect(page.get_by_test_id("total")).to_have_text("135")
    for code, count in BASELINE.items():
        expect(page.get_by_test_id(f"count-{code}")).to_have_text(str(count))
    expect(page.get_by_test_id("upper")).to_have_text("17")


def expect_chart_drawn(page: Page, div_id: str) -> None:
    expect(page.locator(f"#{div_id} svg.main-svg").first).to_be_attached()


def test_dp3a_sees_tanah_laut_dashboard(page: Page, live_server, browser_log, artifacts):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/masuk/\?next=/$"))
    log_in(page, "dp3a.demo")

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kampung KB Kabupaten Tanah Laut")
    expect(page.get_by_role("button", name="Keluar (dp3a.demo)")).to_be_visible()
    expect_cards(page)

    for div_id in CHARTS:
        expect_chart_drawn(page, div_id)
    expect(page.locator("#chart-peta .scatterlayer .trace")).to_have_count(135)
    # Each desa filled and named on hover, from the style the figure's template gives them all.
    expect(page.locator("#chart-peta .scatterlayer .trace path.js-fill")).to_have_count(135)
    hover = page.evaluate(
        "[...new Set(document.getElementById('chart-peta')._fullData"
        ".map((t) => `${t.fill} ${t.hoveron} ${t.hoverinfo}`))]"
    )
    assert hover == ["toself fills text+name"], hover
    expect(page.locator("#chart-kecamatan .barlayer .trace")).to_have_count(4)
    expect(page.locator("#chart-distribusi .barlayer .trace")).to_have_count(1)

    page.screenshot(path=artifacts / "dashboard.png", full_page=True)
    browser_log.assert_clean()


def test_kampung_table_filters_and_opens_a_kampung(page: Page, live_server, browser_log, artifacts):
    page.goto(live_server.url + "/kampung/")
    log_in(page, "dp3a.demo")
    expect(page).to_have_url(live_server.url + "/kampung/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Kampung KB")
    expect(page.locator(".result-count")).to_contain_text("135 kampung")

    # By name: other filters' labels contain "level resmi" too.
    page.locator("select[name=official_level]").select_option(label="Mandiri")
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"official_level=mandiri"))
    rows = page.locator("table.table-kampung tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator(".result-count")).to_contain_text("3 kampung")
    for index in range(3):
        expect(rows.nth(index).locator(".badge")).to_have_text("Mandiri")

    first_link = rows.first.get_by_role("link").first
    kode = first_link.inner_text().strip()
    first_link.click()

    expect(page).to_have_url(f"{live_server.url}/kampung/{kode}/")
    expect(page.locator(".facts")).to_contain_text(kode)
    expect(page.get_by_test_id("official-level")).to_contain_text("Mandiri")
    expect(page.get_by_test_id("official-level")).to_contain_text("sejak 31 Juli 2025")
    history_panel = page.locator("section", has=page.get_by_role("heading", name="Riwayat level"))
    history = history_panel.locator("table tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Mandiri")
    expect(history.first).to_contain_text("Data awal")
    page.screenshot(path=artifacts / "kampung.png", full_page=True)

    # A Pokja member on a phone: the page itself must not scroll sideways, and each kampung is a
    # card with its code, name and both levels on screen (nothing hidden off to the right).
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/kampung/")
    rows = page.locator("table.table-kampung tbody tr")
    expect(rows).to_have_count(50)
    overflowing = page.evaluate(OVERFLOWING_ELEMENTS_JS)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], (scroll_width, overflowing)
    assert overflowing == [], overflowing
    for column in ("desa_kode", "desa_nama", "official_level", "estimated_level"):
        cell = rows.first.locator(f'td[data-col="{column}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (column, box)
    expect(rows.first.locator('td[data-col="official_level"] .badge')).to_be_visible()
    cards = page.locator(".table-cards").first
    assert cards.evaluate("el => el.scrollWidth <= el.clientWidth"), "the cards scroll sideways"
    page.screenshot(path=artifacts / "kampung-phone.png", full_page=True)

    browser_log.assert_clean()


def test_public_summary_without_login(page: Page, live_server, browser_log, artifacts):
    page.goto(live_server.url + "/publik/")
    expect(page).to_have_url(live_server.url + "/publik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kampung KB Kabupaten Tanah Laut")
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()
    expect_cards(page)
    expect_chart_drawn(page, "chart-distribusi")
    expect(page.locator("#chart-distribusi .barlayer .trace")).to_have_count(1)
    # Only the public summary: no dashboard-only charts for anonymous visitors.
    expect(page.locator("#chart-peta")).to_have_count(0)

    page.screenshot(path=artifacts / "publik.png", full_page=True)
    browser_log.assert_clean()
