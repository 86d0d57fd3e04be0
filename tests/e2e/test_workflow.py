"""The verification loop in Chromium: Pokja submits, DP3A returns, Pokja resubmits, DP3A verifies.

Three people, each in their own browser context (own cookies): pokja.demo (Tabanio), dp3a.demo
(Tanah Laut) and bkkbn.demo (read-only reviewer). Screenshots of each step land in
artifacts/workflow-NN-<step>.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from classification.demo.baseline import DEMO_KABUPATEN, DEMO_POKJA_KAMPUNG
from classification.demo.records import load_records
from tests.e2e.conftest import DESKTOP, TIMEOUT_MS, BrowserLog
from tests.e2e.test_dashboard import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KODE = DEMO_POKJA_KAMPUNG
KAMPUNG_URL = f"/kampung/{KODE}/"
ASSESSMENT_URL = f"/kampung/{KODE}/penilaian/"
PROPOSAL_NOTE = "Pokja lengkap, SK terbit, data rutin dipakai untuk RKM."
RETURN_NOTE = "Lengkapi SK Pokja"
SK_NUMBER = "07/SK-KKB/2025"
VERIFY_REASON = "Dokumen SK Pokja lengkap setelah diperbaiki."


@pytest.fixture
def records(demo_data):
    """Every Tanah Laut kampung, Tabanio included, gets a demo profile and figures."""
    load_records()


@pytest.fixture
def new_page(browser: Browser, live_server, browser_log: BrowserLog) -> Iterator:
    """Open further pages, each in its own context, with the same guards as ``page``."""
    contexts: list[BrowserContext] = []
    own = live_server.url.split("//", 1)[1]

    def only_live_server(route):
        url = route.request.url
        if url.split("//", 1)[-1].split("/", 1)[0] == own:
            route.continue_()
        else:
            browser_log.offsite_requests.append(url)
            route.abort("blockedbyclient")

    def open_page() -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Makassar"
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", only_live_server)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                browser_log.console_errors.append(f"{m.text} ({m.location})")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: browser_log.console_errors.append(f"pageerror: {e}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Page, username: str, next_url: str) -> None:
    page.goto(f"/masuk/?next={next_url}")
    log_in(page, username)
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".messages .message-success")).to_contain_text(text)


def card(page: Page, code: str) -> int:
    return int(page.get_by_test_id(f"count-{code}").inner_text().strip())


def edit_forms(page: Page) -> list[str]:
    """The actions of the page's POST forms, except signing out and the language switch
    (each changes only the visitor's own session or language cookie)."""
    actions = page.locator("form").evaluate_all(
        "forms => forms.filter(f => f.method === 'post').map(f => f.action)"
    )
    return [action for action in actions if not action.endswith(("/keluar/", "/i18n/setlang/"))]


def assessment_status(page: Page):
    return page.get_by_test_id("assessment-row").first.get_by_test_id("assessment-status")


def test_pokja_submits_dp3a_returns_then_verifies(
    page: Page, new_page, records, live_server, browser_log, artifacts
):
    shots = iter(range(1, 100))

    def shot(p: Page, step: str) -> None:
        p.screenshot(path=artifacts / f"workflow-{next(shots):02d}-{step}.png", full_page=True)

    # DP3A reads the dashboard cards before anything happens.
    dp3a = page
    sign_in(dp3a, "dp3a.demo", "/")
    expect(dp3a.get_by_test_id("count-berkembang")).to_have_text("25")
    before = {code: card(dp3a, code) for code in ("berkembang", "mandiri")}
    assert before == {"berkembang": 25, "mandiri": 3}

    # 1. The Pokja edits its profile and submits a Mandiri proposal.
    pokja = new_page()
    sign_in(pokja, "pokja.demo", KAMPUNG_URL)
    expect(pokja.get_by_role("heading", level=1)).to_contain_text("Tabanio")
    pokja.get_by_role("link", name="Ubah profil").first.click()
    expect(pokja).to_have_url(re.compile(r"/profil/ubah/$"))
    members = int(pokja.locator("#id_pokja_members").input_value() or 0)
    trained = int(pokja.locator("#id_pokja_members_trained").input_value() or 0)
    new_trained = trained - 1 if trained > 0 else min(1, members)
    assert members > 0 and new_trained != trained
    pokja.locator("#id_pokja_members_trained").fill(str(new_trained))
    pokja.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect_message(pokja, "Profil disimpan sebagai versi baru.")
    shot(pokja, "pokja-profile-saved")

    pokja.goto(ASSESSMENT_URL)
    submitted_facts = pokja.locator("#yang-diajukan")
    expect(submitted_facts).to_contain_text("periode")  # figures exist (demo records)
    pokja.locator("#id_proposed_level").select_option(label="Mandiri")
    pokja.get_by_label("Catatan untuk DP3A").fill(PROPOSAL_NOTE)
    pokja.get_by_role("button", name="Ajukan untuk verifikasi").click()
    expect_message(pokja, "Penilaian diajukan untuk verifikasi DP3A.")
    expect(assessment_status(pokja)).to_have_text("Diajukan")
    expect(pokja.get_by_test_id("waiting")).to_be_visible()
    shot(pokja, "pokja-submitted")

    # 2. DP3A finds it in the queue and returns it with a note.
    dp3a.goto("/verifikasi/")
    row = dp3a.get_by_test_id("queue-row").filter(has_text="Tabanio")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Mandiri")
    shot(dp3a, "dp3a-queue")
    row.get_by_role("link", name=re.compile(r"^Periksa")).click()
    expect(dp3a.get_by_role("heading", level=1)).to_contain_text("Penilaian Tabanio")
    expect(dp3a.get_by_test_id("pokja-note")).to_have_text(PROPOSAL_NOTE)
    return_form = dp3a.get_by_test_id("return-form")
    return_form.get_by_role("textbox").fill(RETURN_NOTE)
    shot(dp3a, "dp3a-review")
    return_form.get_by_role("button", name="Kembalikan dengan catatan").click()
    expect(dp3a).to_have_url(re.compile(r"/verifikasi/$"))
    expect_message(dp3a, "Penilaian dikembalikan ke Pokja dengan catatan.")
    expect(dp3a.get_by_test_id("queue-row").filter(has_text="Tabanio")).to_have_count(0)
    shot(dp3a, "dp3a-returned")

    # 3. The Pokja sees the note, fixes the SK number and submits again.
    pokja.goto(ASSESSMENT_URL)
    expect(assessment_status(pokja)).to_have_text("Dikembalikan")
    expect(pokja.get_by_test_id("review-note")).to_contain_text(RETURN_NOTE)
    shot(pokja, "pokja-sees-return")
    pokja.goto(f"/kampung/{KODE}/profil/ubah/")
    pokja.locator("#id_pokja_sk_nomor").fill(SK_NUMBER)
    pokja.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect_message(pokja, "Profil disimpan sebagai versi baru.")
    pokja.goto(ASSESSMENT_URL)
    expect(pokja.locator("#id_proposed_level option:checked")).to_have_text("Mandiri")
    pokja.get_by_role("button", name="Ajukan untuk verifikasi").click()
    expect_message(pokja, "Penilaian diajukan untuk verifikasi DP3A.")
    expect(assessment_status(pokja)).to_have_text("Diajukan")
    shot(pokja, "pokja-resubmitted")

    # 4. DP3A verifies it as Mandiri.
    dp3a.goto("/verifikasi/")
    row = dp3a.get_by_test_id("queue-row").filter(has_text="Tabanio")
    row.get_by_role("link", name=re.compile(r"^Periksa")).click()
    expect(dp3a.locator("dl.facts")).to_contain_text(RETURN_NOTE)
    verify_form = dp3a.get_by_test_id("verify-form")
    verify_form.get_by_label("Level resmi hasil verifikasi").select_option(label="Mandiri")
    verify_form.get_by_label("Alasan").fill(VERIFY_REASON)
    shot(dp3a, "dp3a-verify")
    verify_form.get_by_role("button", name="Verifikasi dan tetapkan level").click()
    expect_message(dp3a, "Penilaian Tabanio diverifikasi: level resmi kini Mandiri.")
    shot(dp3a, "dp3a-verified")

    pokja.goto(ASSESSMENT_URL)
    expect(assessment_status(pokja)).to_have_text("Diverifikasi")

    # 5. The dashboard moved by one kampung.
    dp3a.goto("/")
    expect(dp3a.get_by_test_id("count-berkembang")).to_have_text(str(before["berkembang"] - 1))
    expect(dp3a.get_by_test_id("count-mandiri")).to_have_text(str(before["mandiri"] + 1))
    shot(dp3a, "dp3a-dashboard-after")

    # 6. The audit log tells the story.
    dp3a.goto("/riwayat/")
    entries = dp3a.get_by_test_id("audit-entry").filter(has_text="Tabanio")
    expected = [  # newest first: (who, what, change)
        ("Staf DP3A", "Penilaian", "Status: “Diajukan” → “Diverifikasi”"),
        ("Staf DP3A", "Level resmi: Berkembang → Mandiri", "Sumber: “Verifikasi”"),
        ("Pokja Tabanio", "Penilaian", "Status: “Dikembalikan” → “Diajukan”"),
        ("Pokja Tabanio", "Profil", f"Nomor SK Pokja: “40/SK-KKB/2023 (demo)” → “{SK_NUMBER}”"),
        ("Staf DP3A", "Penilaian", f"Catatan pemeriksa: “—” → “{RETURN_NOTE}”"),
        ("Pokja Tabanio", "Penilaian", "Dibuat"),
        ("Pokja Tabanio", "Profil", "Dibuat"),
    ]
    expect(entries).to_have_count(len(expected))
    for index, (who, what, change) in enumerate(expected):
        entry = entries.nth(index)
        expect(entry.locator("td").nth(1)).to_have_text(who)
        expect(entry).to_contain_text(what)
        expect(entry).to_contain_text(change)
    expect(entries.nth(4)).to_contain_text("Status: “Diajukan” → “Dikembalikan”")
    expect(entries.nth(1)).to_contain_text("Catatan: “" + VERIFY_REASON + "”")
    shot(dp3a, "dp3a-audit")

    # 7. A BKKBN reviewer sees the new level and nothing to edit.
    bkkbn = new_page()
    sign_in(bkkbn, "bkkbn.demo", KAMPUNG_URL)
    expect(bkkbn.get_by_test_id("official-level")).to_contain_text("Mandiri")
    nav = bkkbn.locator("nav.site-nav")
    expect(nav.get_by_role("link", name="Verifikasi")).to_have_count(0)
    expect(nav.get_by_role("link", name="Impor")).to_have_count(0)
    expect(bkkbn.get_by_role("link", name=re.compile(r"Ubah|Tambah|Koreksi"))).to_have_count(0)
    expect(bkkbn.get_by_role("button", name=re.compile(r"Ubah|Simpan|Ajukan"))).to_have_count(0)
    expect(bkkbn.get_by_role("link", name="Lihat penilaian")).to_be_visible()
    assert edit_forms(bkkbn) == []
    shot(bkkbn, "bkkbn-kampung")
    bkkbn.goto(ASSESSMENT_URL)
    expect(assessment_status(bkkbn)).to_have_text("Diverifikasi")
    expect(bkkbn.get_by_role("button", name="Ajukan untuk verifikasi")).to_have_count(0)
    expect(bkkbn.get_by_role("link", name="Periksa")).to_have_count(0)
    assert edit_forms(bkkbn) == []
    bkkbn.goto(f"/kabupaten/{DEMO_KABUPATEN}/")
    expect(bkkbn.get_by_test_id("count-mandiri")).to_have_text(str(before["mandiri"] + 1))
    expect(bkkbn.get_by_test_id("count-berkembang")).to_have_text(str(before["berkembang"] - 1))
    shot(bkkbn, "bkkbn-dashboard")

    browser_log.assert_clean()
