"""Deadlines in the browser: the director finds the school's terms through the main menu, the
overdue one first with how its date was worked out; the board-only terms are for the board alone.
The demo seeds the deadlines (lev.web.demo._seed_deadlines) and, at the first school, those of an
incident's follow-up (the teacher's), a crisis measure's monthly evaluation and a WPO 4a report
(lev.web.demo._seed_incidents)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

PASSWORD = "Demo-Schoolplein-2741"
OVERDUE = "Melding van een schorsing aan de Inspectie"
OPEN = "Eerste evaluatie van de extra omgangsregels"
BOARD_ONLY = "Beslissing op bezwaar tegen verwijdering"
FOLLOW_UP = "Vervolgactie bij een incident"
MONTHLY = "Maandelijkse evaluatie van de extra omgangsregels"
WPO4A = "Vertrouwensinspecteur informeren over de aangifte (WPO art. 4a)"


def test_director_opens_deadlines_from_the_menu_and_sees_the_overdue_one_first(lev_server, page):
    sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Termijnen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/termijnen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Termijnen")
    rows = page.locator("table tbody tr")
    # The school's four open terms, by due date: the overdue one first.
    expect(rows).to_have_count(4)
    first = rows.nth(0)
    expect(first).to_contain_text(OVERDUE)
    expect(first).to_contain_text("CBS De Regenboog")
    expect(first.locator(".badge")).to_have_count(1)
    expect(first).to_contain_text("Bron:")
    for index, title in enumerate((FOLLOW_UP, OPEN, MONTHLY), start=1):
        expect(rows.nth(index)).to_contain_text(title)
    # Board-only terms, the WPO 4a steps included, never show at the school.
    expect(page.get_by_text(BOARD_ONLY)).to_have_count(0)
    expect(page.get_by_text(WPO4A)).to_have_count(0)
    # The director's own list: the three the director is responsible for (not the teacher's).
    page.goto(lev_server.url("/termijnen/mijn/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn termijnen")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(OVERDUE)
    expect(rows.nth(0)).to_contain_text("Bron:")
    expect(page.get_by_text(FOLLOW_UP)).to_have_count(0)
    expect(page.get_by_text(BOARD_ONLY)).to_have_count(0)


def test_board_sees_the_board_only_deadline(lev_server, page):
    sign_in(page, lev_server, "bestuur", PASSWORD)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Termijnen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/termijnen/$"))
    rows = page.locator("table tbody tr")
    # The WPO 4a step (onverwijld, overdue) first, then the decision on a bezwaar.
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(WPO4A)
    expect(rows.nth(1)).to_contain_text(BOARD_ONLY)
    expect(rows.nth(1)).to_contain_text("Stichting LEV")
    expect(rows.nth(1)).to_contain_text("Bron:")
    expect(page.get_by_text(OVERDUE)).to_have_count(0)
