"""Journeys through the real UI: a teacher on a phone, a director with TOTP, the functional
administrator importing pupils. The demo data is seeded once for the module."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

PASSWORD = "Demo-Schoolplein-2741"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_teacher_on_a_phone_reaches_start_page_and_a_pupil_of_the_own_group(lev_server, browser, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, lev_server, "leerkracht.regenboog", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    groups = page.locator("section[aria-labelledby=section-my_groups]")
    expect(groups).to_be_visible()
    # The section's own button is "Signaal vastleggen"; the groups are the links named "Groep ...".
    expect(groups.get_by_role("link", name="Signaal vastleggen")).to_be_visible()
    groups.get_by_role("link", name=re.compile(r"^Groep ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leerlingen")
    page.locator("table tbody tr a").first.click()
    expect(page.get_by_role("heading", name="Chronologie")).to_be_visible()
    # The teacher's own group: no reason asked.
    expect(page.get_by_label("Waarom open je dit dossier?")).to_have_count(0)


def test_teacher_must_give_a_reason_for_a_pupil_outside_own_groups(lev_server, page):
    sign_in(page, lev_server, "leerkracht.groep8.regenboog", PASSWORD)
    page.goto(lev_server.url("/leerlingen/?q=a"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    # Find a pupil who is not in group 8.
    for index in range(rows.count()):
        if rows.nth(index).locator("td").nth(1).inner_text().strip() not in {"8"}:
            rows.nth(index).locator("a").click()
            break
    reason = page.get_by_label("Waarom open je dit dossier?")
    expect(reason).to_be_visible()
    reason.fill("Pleinwacht: ruzie in de pauze")
    page.get_by_role("button", name="Dossier openen").click()
    expect(page.get_by_role("heading", name="Chronologie")).to_be_visible()
    expect(page.get_by_text("Pleinwacht: ruzie in de pauze")).to_be_visible()


def test_director_signs_in_with_totp_and_sees_approvals_and_leavers(lev_server, page):
    sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("section[aria-labelledby=section-approvals]")).to_be_visible()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Leerlingen").click()
    expect(page.locator("table tbody tr")).not_to_have_count(0)


def test_wrong_totp_code_is_refused(lev_server, page):
    page.goto(lev_server.url("/account/inloggen/"))
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("ib.regenboog")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account/tweestaps/**")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator(".lev-field-error")).to_be_visible()
    page.goto(lev_server.url("/leerlingen/"))
    expect(page).to_have_url(re.compile(r"/account/tweestaps/"))
