"""Deadlines in the browser: the director finds the school's terms through the main menu, the
overdue one first with how its date was worked out; the board-only terms are for the board alone.
The demo seeds the deadlines (lev.web.demo._seed_deadlines) and, at the first school, those of an
incident's follow-up (the teacher's), a crisis measure's monthly evaluation and a WPO 4a report
(lev.web.demo._seed_incidents), and the stappenplan's (escalation.demo): a schorsing's report to the
Inspectie due today, the board's decisions on two bezwaren (one suspended by a GPO case) and the GPO's
own term."""

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
GPO = "Oordeel van de Geschillencommissie passend onderwijs"


def test_director_opens_deadlines_from_the_menu_and_sees_the_overdue_one_first(lev_server, page):
    sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Termijnen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/termijnen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Termijnen")
    rows = page.locator("table tbody tr")
    # The school's five open terms, by due date: the overdue one first; the stappenplan's schorsing
    # adds a second report to the Inspectie, due today.
    expect(rows).to_have_count(5)
    first = rows.nth(0)
    expect(first).to_contain_text(OVERDUE)
    expect(first).to_contain_text("CBS De Regenboog")
    expect(first.locator(".badge")).to_have_count(1)
    expect(first).to_contain_text("Bron:")
    expect(rows.filter(has_text=OVERDUE)).to_have_count(2)
    for title in (FOLLOW_UP, OPEN, MONTHLY):
        expect(rows.filter(has_text=title)).to_have_count(1)
    # Board-only terms, the WPO 4a steps included, never show at the school.
    expect(page.get_by_text(BOARD_ONLY)).to_have_count(0)
    expect(page.get_by_text(WPO4A)).to_have_count(0)
    # The director's own list: the four the director is responsible for (not the teacher's).
    menu.get_by_role("link", name="Mijn termijnen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn termijnen")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text(OVERDUE)
    expect(rows.filter(has_text=OVERDUE)).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Bron:")
    expect(page.get_by_text(FOLLOW_UP)).to_have_count(0)
    expect(page.get_by_text(BOARD_ONLY)).to_have_count(0)


def test_board_sees_the_board_only_deadline(lev_server, page):
    sign_in(page, lev_server, "bestuur", PASSWORD)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Termijnen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/termijnen/$"))
    rows = page.locator("table tbody tr")
    # The WPO 4a step (onverwijld, overdue) first, then the decisions on three bezwaren (the demo's
    # deadline and the stappenplan's two, one suspended by its GPO case) and the GPO's own term.
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text(WPO4A)
    decisions = rows.filter(has_text=BOARD_ONLY)
    expect(decisions).to_have_count(3)
    expect(decisions.filter(has_text="Stichting LEV")).to_have_count(1)
    expect(decisions.first).to_contain_text("Bron:")
    expect(rows.filter(has_text=GPO)).to_have_count(1)
    expect(page.get_by_text(OVERDUE)).to_have_count(0)
