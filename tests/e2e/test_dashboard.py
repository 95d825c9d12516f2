"""The board dashboard in the browser (issue 8), on the demo data (seeded once for this module): a
board member opens the dashboard from the main menu, switches to the previous school year and
downloads the CSV of what is shown.

Beside the demo's six schools (whose count history the demo seeds) the test adds a seventh school
of the demo board with counts of its own, written straight into the count table as the services
would leave them: signals in this month (the running school year) and in October of the previous
school year, both far above the suppression thresholds, so the page shows them as they are. It also
adds a pupil with a name found nowhere else; no pupil's name may be on the dashboard or in its CSV.

The CSV is checked against the page itself: every value of the signals table as the page shows it
is a line of the CSV, and the CSV has no other line for that table. Texts are compared through
gettext (tests.i18n_helpers), so the test passes whether or not the dashboard's texts are
translated yet.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LevServer, shell_json, signed_in
from tests.i18n_helpers import t

PASSWORD = "Demo-Schoolplein-2741"
SCHOOL_NAME = "OBS De Proefpolder"
SCHOOL_BRIN = "99AZ"
RUNNING_SIGNALS = 31
PREVIOUS_SIGNALS = 23
PUPIL_NAME = "Quirijntje Zwanenburg-Vlasblom"
BOM = b"\xef\xbb\xbf"

WORLD = f"""
import datetime as dt
import json
from django.utils import timezone
from lev.monitoring.dashboard import SchoolYearSpan
from lev.monitoring.models import CountKind, MonthlyCount
from lev.schools.models import Enrolment, Pupil, School

today = timezone.localdate()
running = SchoolYearSpan.of(today)
previous = running.previous()
regenboog = School.objects.get(brin="99AA")
board = regenboog.board
school = School.objects.create(board=board, name="{SCHOOL_NAME}", brin="{SCHOOL_BRIN}")
# The running year is shown up to the end of last month: the count goes in last month; in August,
# when last month was in the previous school year, the running year shows nothing yet.
last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
month = last_month if last_month >= running.first_day else today.replace(day=1)
MonthlyCount.objects.create(
    board=board, school=school, month=month, kind=CountKind.SIGNAL, count={RUNNING_SIGNALS}
)
shown_running = {RUNNING_SIGNALS} if month < today.replace(day=1) else 0
MonthlyCount.objects.create(
    board=board, school=school, month=dt.date(previous.start, 10, 1), kind=CountKind.SIGNAL,
    count={PREVIOUS_SIGNALS},
)
pupil = Pupil.objects.create(
    board=board, school=regenboog, admin_number="E2E-DASHBOARD-1", roepnaam="Quirijntje",
    achternaam="Zwanenburg-Vlasblom", date_of_birth=dt.date(today.year - 9, 3, 14),
)
Enrolment.objects.create(board=board, school=regenboog, pupil=pupil, enrolled_on=today)
names = sorted({{p.full_name for p in Pupil.objects.filter(board=board)}})
print(json.dumps({{
    "running": running.label, "previous": previous.label, "names": names, "running_signals": shown_running
}}))
"""

EXPORTS = """
import json
from lev.audit.models import AuditEvent
print(json.dumps([
    [event.actor.username, event.summary]
    for event in AuditEvent.objects.filter(action="dashboard_exported").select_related("actor")
]))
"""

# A table as the page shows it: its caption, its column headings (after "Category") and every row
# of the body and the foot, each as its heading and cells.
READ_TABLE = """table => ({
  caption: table.caption.textContent.trim(),
  columns: [...table.tHead.rows[0].cells].slice(1).map(cell => cell.textContent.trim()),
  rows: [...table.querySelectorAll("tbody tr, tfoot tr")].map(
    row => [...row.cells].map(cell => cell.textContent.trim())
  ),
})"""


def _table(page: Page, table_id: str) -> dict[str, Any]:
    table: dict[str, Any] = page.locator(f"#{table_id}").evaluate(READ_TABLE)
    return table


def _shown(table: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """Every value the table shows: (caption, row, column, value); an empty cell shows nothing."""
    return {
        (table["caption"], row[0], column, value)
        for row in table["rows"]
        for column, value in zip(table["columns"], row[1:], strict=True)
        if value
    }


def _cell(table: dict[str, Any], row_label: str, column: str) -> str:
    rows = [row for row in table["rows"] if row[0] == row_label]
    assert len(rows) == 1, table
    return str(rows[0][1 + table["columns"].index(column)])


def _pupil_names_in(text: str, names: list[str]) -> list[str]:
    return [name for name in names if name in text]


def test_board_member_switches_school_year_and_downloads_the_csv(
    lev_server: LevServer, browser: Browser
) -> None:
    world = shell_json(lev_server, WORLD)
    running, previous, names = world["running"], world["previous"], world["names"]
    assert PUPIL_NAME in names
    signals, board_column = t("Signals"), t("Board")
    problems: list[str] = []
    page = signed_in(browser, lev_server, "bestuur", PASSWORD, problems)
    try:
        # --- The dashboard from the main menu: the running school year. ---------------------------
        page.get_by_role("navigation", name=t("Main menu")).get_by_role(
            "link", name=t("Dashboard"), exact=True
        ).click()
        expect(page).to_have_url(re.compile(r"/dashboard/$"))
        year_choice = page.locator("#id_jaar")
        expect(year_choice).to_have_value(running)
        expect(year_choice.locator("option").first).to_have_attribute("value", running)
        expect(year_choice.locator(f"option[value='{previous}']")).to_have_count(1)
        expect(page.locator("#id_school")).to_have_value("")  # the board: every school
        expect(page.locator("#suppression-explanation")).to_be_visible()
        expect(page.locator("#table-signals-year caption")).to_contain_text(running)
        table = _table(page, "table-signals-year")
        assert SCHOOL_NAME in table["columns"]
        assert _cell(table, signals, SCHOOL_NAME) == str(world["running_signals"])
        # Live counts (open Meldcode cases by step) belong to the running school year only.
        expect(page.locator("#table-meldcode_open-year")).to_have_count(1)
        body = page.locator("body").text_content() or ""
        assert _pupil_names_in(body, names) == []

        # --- The previous school year. -------------------------------------------------------------
        year_choice.select_option(previous)
        page.locator("#dashboard-choice button[type='submit']").click()
        expect(page).to_have_url(re.compile(rf"/dashboard/\?(.*&)?jaar={previous}(&|$)"))
        expect(year_choice).to_have_value(previous)
        captions = page.locator("table.lev-dashboard-table[id$='-year'] caption")
        assert captions.count() >= 4  # signals, incidents, stappenplan, Meldcode
        for caption in captions.all():
            expect(caption).to_contain_text(previous)
            expect(caption).not_to_contain_text(running)
        expect(page.locator("#table-meldcode_open-year")).to_have_count(0)
        table = _table(page, "table-signals-year")
        assert previous in table["caption"]
        shown_count = _cell(table, signals, SCHOOL_NAME)
        assert shown_count == str(PREVIOUS_SIGNALS)
        assert board_column in table["columns"]
        body = page.locator("body").text_content() or ""
        assert _pupil_names_in(body, names) == []

        # --- The CSV: exactly what the page shows. -------------------------------------------------
        csv_link = page.locator("#dashboard-csv")
        expect(csv_link).to_have_attribute("href", re.compile(rf"[?&]jaar={previous}(&|$)"))
        with page.expect_download() as download_info:
            csv_link.click()
        download = download_info.value
        assert download.suggested_filename == f"dashboard-{previous}.csv"
        raw = Path(download.path()).read_bytes()
    finally:
        page.context.close()
    assert not problems, "Browser reported problems:\n" + "\n".join(problems)

    assert raw.startswith(BOM)
    text = raw[len(BOM) :].decode("utf-8")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert lines[0] == [t("Table"), t("Row"), t("Column"), t("Shown")]
    assert all(len(line) == 4 for line in lines), [line for line in lines if len(line) != 4]
    rows = {tuple(line) for line in lines[1:]}
    # The school's signals of the previous year, as the page shows them.
    assert (table["caption"], signals, SCHOOL_NAME, shown_count) in rows
    # Every value of the page's signals table is in the CSV, and the CSV has no other for it.
    assert {row for row in rows if row[0] == table["caption"]} == _shown(table)
    assert _pupil_names_in(text, names) == []

    # --- The export is in the audit trail, for the year shown. -------------------------------------
    exports = shell_json(lev_server, EXPORTS)
    assert exports == [["bestuur", {"year": previous, "school": None, "format": "csv"}]]
