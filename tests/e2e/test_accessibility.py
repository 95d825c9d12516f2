"""WCAG 2.1 AA checks with axe-core on the pages each role reaches (UX.md: WCAG 2.1 AA).

axe-core is vendored in tests/e2e/vendor (tests only) and run through Playwright's evaluate, which
does not weaken the page's Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import shell_json, sign_in

PASSWORD = "Demo-Schoolplein-2741"
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def check(page, server, path: str) -> list[str]:
    response = page.goto(server.url(path))
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    return [f"{path}: {v}" for v in violations(page)]


def test_login_page(lev_server, page):
    assert check(page, lev_server, "/account/inloggen/") == []


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("leerkracht.regenboog", ["/", "/leerlingen/", "/account/beveiliging/", "/account/vervanging/"]),
        ("directeur.regenboog", ["/", "/leerlingen/?q=a", "/dashboard/"]),
        (
            "beheerder",
            [
                "/",
                "/beheer/scholen/",
                "/beheer/scholen/nieuw/",
                "/beheer/schooljaren/",
                "/beheer/gebruikers/",
                "/beheer/gebruikers/nieuw/",
                "/beheer/import/",
                "/beheer/sociale-kaart/",
            ],
        ),
        ("bestuur", ["/", "/account/bestuur/tweestaps/", "/dashboard/"]),
    ],
)
def test_pages_per_role(lev_server, page, username, paths):
    sign_in(page, lev_server, username, PASSWORD)
    problems = []
    for path in paths:
        problems += check(page, lev_server, path)
    if username == "directeur.regenboog":
        page.goto(lev_server.url("/leerlingen/"))
        page.locator("table tbody tr a").first.click()
        problems += [f"pupil page: {v}" for v in violations(page)]
    assert problems == []


def test_the_checker_finds_a_field_without_a_label(lev_server, page):
    page.goto(lev_server.url("/account/inloggen/"))
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"text\" name=\"x\">')"
    )
    assert any(v.startswith("label ") for v in violations(page))


STAPPENPLAN_IDS = """
import json
from escalation.models import Episode, Schorsing, TimeOut, Verwijdering
print(json.dumps({
    "ladder": Episode.objects.filter(state="step_7").values_list("pupil_id", flat=True).first(),
    "time_out": TimeOut.objects.filter(status="requested").values_list("pk", flat=True).first(),
    "schorsing": Schorsing.objects.filter(status="submitted").values_list("pk", flat=True).first(),
    "verwijdering": Verwijdering.objects.filter(gpo_cases__isnull=False).values_list("pk", flat=True).first(),
}))
"""


def test_stappenplan_pages_are_accessible(lev_server, page, browser):
    """The demo's stappenplan (escalation.demo): the director's overview, a pupil's ladder with
    every measure, the forms to record a step and to prepare a schorsing, a time-out waiting for
    approval, a verwijdering with a GPO case; the board's Besluiten page and its schorsing page."""
    ids = shell_json(lev_server, STAPPENPLAN_IDS)
    assert all(ids.values()), ids
    sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
    problems = []
    for path in (
        "/stappenplan/",
        f"/stappenplan/leerling/{ids['ladder']}/",
        f"/stappenplan/leerling/{ids['ladder']}/stap/",
        f"/stappenplan/leerling/{ids['ladder']}/schorsing/nieuw/",
        f"/stappenplan/time-out/{ids['time_out']}/",
        f"/stappenplan/schorsing/{ids['schorsing']}/",
        f"/stappenplan/verwijdering/{ids['verwijdering']}/",
    ):
        problems += check(page, lev_server, path)
    board = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    sign_in(board, lev_server, "bestuur", PASSWORD)
    for path in ("/stappenplan/besluiten/", f"/stappenplan/bestuur/schorsing/{ids['schorsing']}/"):
        problems += check(board, lev_server, path)
    board.context.close()
    assert problems == []
