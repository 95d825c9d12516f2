"""WCAG 2.1 AA checks with axe-core on the pages each role reaches (UX.md: WCAG 2.1 AA).

axe-core is vendored in tests/e2e/vendor (tests only) and run through Playwright's evaluate, which
does not weaken the page's Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import sign_in

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
    page.goto(server.url(path))
    return [f"{path}: {v}" for v in violations(page)]


def test_login_page(lev_server, page):
    assert check(page, lev_server, "/account/inloggen/") == []


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("leerkracht.regenboog", ["/", "/leerlingen/", "/account/beveiliging/", "/account/vervanging/"]),
        ("directeur.regenboog", ["/", "/leerlingen/?q=a"]),
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
        ("bestuur", ["/", "/account/bestuur/tweestaps/"]),
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
