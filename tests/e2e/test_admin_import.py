"""The functional administrator adds a school and imports its pupils from a CSV export."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

PASSWORD = "Demo-Schoolplein-2741"
CSV = Path(__file__).resolve().parents[1] / "fixtures" / "import_utf8_semicolon.csv"
PUPILS_IN_FILE = 14  # data rows of the fixture


def count(page, term: str) -> str:
    """The number after a term in the summary list (<dt>term</dt><dd>n</dd>)."""
    return (
        page.locator("dt", has_text=re.compile(f"^{term}$"))
        .locator("xpath=following-sibling::dd[1]")
        .inner_text()
    )


def test_functional_admin_adds_a_school_and_imports_pupils(lev_server, page):
    sign_in(page, lev_server, "beheerder", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")

    menu.get_by_role("link", name="Scholen").click()
    page.get_by_role("link", name="Een school toevoegen").click()
    page.get_by_label(re.compile(r"^Naam")).fill("OBS Het Testbos")
    page.get_by_label("BRIN-nummer").fill("98ZZ")
    page.get_by_role("button", name="School toevoegen").click()
    expect(page.get_by_role("heading", name="OBS Het Testbos")).to_be_visible()

    menu.get_by_role("link", name="Import").click()
    page.get_by_label(re.compile(r"^School\b(?!jaar)")).select_option(label="OBS Het Testbos")
    page.get_by_label("Export uit de leerlingadministratie (CSV)").set_input_files(str(CSV))
    page.get_by_role("button", name="Laat zien wat er verandert").click()
    expect(page).to_have_url(re.compile(r"/beheer/import/voorbeeld/"))
    assert count(page, "Nieuwe leerlingen") == str(PUPILS_IN_FILE)
    assert count(page, "Leerlingen gemarkeerd als uitgeschreven \\(niet in het bestand\\)") == "0"
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.locator("dt", has_text="Nieuwe leerlingen")).to_be_visible()
    assert count(page, "Nieuwe leerlingen") == str(PUPILS_IN_FILE)

    # Importing the same file again changes nothing.
    menu.get_by_role("link", name="Import").click()
    page.get_by_label(re.compile(r"^School\b(?!jaar)")).select_option(label="OBS Het Testbos")
    page.get_by_label("Export uit de leerlingadministratie (CSV)").set_input_files(str(CSV))
    page.get_by_role("button", name="Laat zien wat er verandert").click()
    assert count(page, "Nieuwe leerlingen") == "0"
    assert count(page, "Leerlingen zonder wijzigingen") == str(PUPILS_IN_FILE)
