"""Letters in the browser: the director finds the time-out notice waiting for approval on the
start page, approves it, watches the PDFs being made (the progress bar follows the job runner
through htmx polling), downloads the letter and records that it was handed over. The demo seeds
the letters (communications.demo); axe-core checks the letter and template pages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import violations

PASSWORD = "Demo-Schoolplein-2741"
TIMEOUT_TITLE = "Time-out: bericht aan de ouders"


def test_director_approves_a_letter_and_sees_it_made_and_sent(lev_server, page):
    sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
    approvals = page.locator("section[aria-labelledby='section-approvals']")
    approvals.get_by_role("link", name=TIMEOUT_TITLE).click()
    expect(page).to_have_url(re.compile(r"/brieven/\d+/$"))
    assert violations(page) == []
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page).to_have_url(re.compile(r"/brieven/\d+/$"))
    bar = page.locator("#letter-progress-bar")
    expect(bar).to_be_visible()
    total = bar.get_attribute("max")
    assert total is not None and int(total) >= 1
    expect(bar).to_have_attribute("value", "0")  # nothing made yet: no job runner has run
    # The job runner renders the PDFs; the page follows by itself.
    assert "Jobs run: " in lev_server.manage("run_jobs", "--once")
    expect(bar).to_have_attribute("value", total, timeout=20_000)
    print_link = page.locator("a[href$='/afdrukbestand/']")
    expect(print_link).to_be_visible(timeout=10_000)
    with page.expect_download() as download:
        print_link.click()
    assert download.value.suggested_filename.startswith("brieven-LEV-")
    # The copies' rows came in with the progress (no reload): record that each was handed over.
    links = page.locator("a[href$='/verzending/']")
    expect(links).to_have_count(int(total))
    for index in range(int(total)):
        page.locator("a[href$='/verzending/']").nth(index).click()
        expect(page).to_have_url(re.compile(r"/verzending/$"))
        if index == 0:
            assert violations(page) == []
        page.locator("select[name='method']").select_option("by_hand")
        page.get_by_role("button", name="Opslaan").click()
        expect(page).to_have_url(re.compile(r"/brieven/\d+/$"))
    expect(page.locator("main p.lev-muted").first).to_contain_text("Verzonden")


def test_letter_and_template_pages_are_accessible(lev_server, page):
    sign_in(page, lev_server, "ib.regenboog", PASSWORD)
    problems = []
    for path in ("/brieven/", "/brieven/nieuw/"):
        page.goto(lev_server.url(path))
        problems += [f"{path}: {v}" for v in violations(page)]
    page.goto(lev_server.url("/brieven/"))
    page.locator("table tbody tr a").first.click()
    problems += [f"letter: {v}" for v in violations(page)]
    edit = page.locator("a[href$='/bewerken/']")
    if edit.count():
        edit.first.click()
        problems += [f"letter edit: {v}" for v in violations(page)]
    assert problems == []
    page.context.clear_cookies()
    sign_in(page, lev_server, "beheerder", PASSWORD)
    page.goto(lev_server.url("/brieven/sjablonen/"))
    problems += [f"templates: {v}" for v in violations(page)]
    page.locator("table tbody tr a").first.click()
    problems += [f"template: {v}" for v in violations(page)]
    page.locator("a[href*='/voorbeeld/']").first.click()
    problems += [f"preview: {v}" for v in violations(page)]
    assert problems == []
