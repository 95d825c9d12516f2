"""The functional administrator's calendar pages in the browser: WCAG 2.1 AA (axe-core), no CSP
violations (the `page` fixture fails on any), and adding a study day with a typing error first.

The demo seeds every school in region midden with two study days in the current school year.
"""

from __future__ import annotations

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import PASSWORD, violations


def test_calendar_pages_are_accessible_and_a_study_day_can_be_added(lev_server, page):
    sign_in(page, lev_server, "beheerder", PASSWORD)
    page.goto(lev_server.url("/"))
    page.get_by_role("link", name="Kalenders").first.click()
    problems = [f"overview: {v}" for v in violations(page)]
    page.get_by_role("link", name="CBS De Regenboog").click()
    problems += [f"school page: {v}" for v in violations(page)]
    rows_before = page.locator("table tbody tr").count()
    assert rows_before >= 2

    page.locator("#id_first_day").fill("2030-03-06")
    page.locator("#id_last_day").fill("2030-03-05")
    page.locator("#id_name").fill("Studiedag e2e")
    page.locator("form:has(#id_name) button[type=submit]").click()
    assert page.locator("#id_last_day_error").is_visible()
    assert page.locator("#id_name").input_value() == "Studiedag e2e"
    problems += [f"form with an error: {v}" for v in violations(page)]

    page.locator("#id_last_day").fill("2030-03-06")
    page.locator("form:has(#id_name) button[type=submit]").click()
    assert "?jaar=2029-2030" in page.url
    assert page.get_by_role("cell", name="Studiedag e2e", exact=True).is_visible()
    page.get_by_role("link", name="Verwijderen Studiedag e2e 06-03-2030").click()
    problems += [f"delete page: {v}" for v in violations(page)]
    page.locator("main form button[type=submit]").click()
    assert "?jaar=2029-2030" in page.url
    assert page.get_by_role("cell", name="Studiedag e2e", exact=True).count() == 0
    assert problems == []
