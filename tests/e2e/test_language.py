"""In Chromium on a phone: the error pages and the language switch, remembered across pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_dashboard import OVERFLOWING_ELEMENTS_JS, PHONE, expect_chart_drawn, log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_fits_the_phone(page: Page) -> None:
    overflowing = page.evaluate(OVERFLOWING_ELEMENTS_JS)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], (scroll_width, overflowing)
    assert overflowing == [], overflowing


def test_error_pages_fit_a_phone_and_lead_back(page: Page, live_server, browser_log, artifacts):
    page.set_viewport_size(PHONE)
    # As if followed from the public summary (a typed address sends no Referer: no back link).
    page.goto(
        live_server.url + "/kampung-yang-tidak-ada-dengan-alamat-panjang-sekali/",
        referer=live_server.url + "/publik/",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert_fits_the_phone(page)
    page.screenshot(path=artifacts / "404-phone.png", full_page=True)
    page.get_by_role("link", name="Kembali ke halaman sebelumnya").click()
    expect(page).to_have_url(live_server.url + "/publik/")

    # A Pokja member on a DP3A page: 403, and the way to the dashboard.
    page.goto(live_server.url + "/verifikasi/")
    log_in(page, "pokja.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akses ditolak")
    assert_fits_the_phone(page)
    page.screenshot(path=artifacts / "403-phone.png", full_page=True)
    page.get_by_role("link", name="Ke dasbor").click()
    expect(page).to_have_url(live_server.url + "/")

    # Chromium reports each error page's own status on the console; nothing else may be there.
    expected = {"404 (Not Found)", "403 (Forbidden)"}
    page_statuses = [
        error for error in browser_log.console_errors if any(status in error for status in expected)
    ]
    assert len(page_statuses) == 2, browser_log.console_errors
    browser_log.console_errors = [e for e in browser_log.console_errors if e not in page_statuses]
    browser_log.assert_clean()


def test_language_switch_is_remembered(page: Page, live_server, browser_log, artifacts):
    page.goto(live_server.url + "/publik/?x=1")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect_chart_drawn(page, "chart-distribusi")
    locale = "document.getElementById('chart-distribusi')._context.locale"
    assert page.evaluate(locale) == "id"

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/publik/?x=1")  # back on the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".language-switch strong")).to_have_text("English")
    expect_chart_drawn(page, "chart-distribusi")
    assert page.evaluate(locale) == "en"
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "django_language"]
    assert (cookie["value"], cookie["sameSite"], cookie["httpOnly"]) == ("en", "Lax", True)

    # Remembered on the next page; the login page fits the phone in English too.
    page.goto(live_server.url + "/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size(PHONE)
    assert_fits_the_phone(page)
    page.screenshot(path=artifacts / "login-english-phone.png", full_page=True)

    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page).to_have_url(re.compile(r"/masuk/$"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.goto(live_server.url + "/publik/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect_chart_drawn(page, "chart-distribusi")
    assert page.evaluate(locale) == "id"
    browser_log.assert_clean()
