"""The board's annual report PDF (lev/monitoring/report.py, report_views.py; issue 8, point 5).

The board of the test world gets a second school, De Linde. Its count table is filled for the school
years 2024-2025 and 2025-2026 with counts on both sides of the suppression thresholds; the report of
2025-2026 must show every value exactly as the dashboard of that year shows it (its `csv_rows`),
nothing more and nothing computed anew. A Meldcode case about a pupil with an unmistakable name is
opened at De Regenboog in April 2026 and its report names the pupil: the anonymised bundle is in the
report, the name is not. The board has a school year (a `SchoolYear` row) for 2025-2026 and none for
2024-2025, whose report says that no Meldcode bundle is available.

Everything runs on Sat 5 Dec 2026 (the running school year is 2026-2027).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import groupby
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lev.audit.models import AccessLogEntry, AuditEvent
from lev.monitoring import report as report_module
from lev.monitoring.dashboard import SchoolYearSpan, csv_rows, dashboard, scope_for
from lev.monitoring.domain.suppression import EXPLANATION, HIDDEN_NOTE
from lev.monitoring.models import CountKind, MonthlyCount
from lev.monitoring.report import COLUMNS_PER_TABLE, table_parts
from lev.schools.access import build_access_context
from lev.schools.models import School, SchoolYear
from meldcode.models import CaseReportVersion, MeldcodeCase
from meldcode.services import report_save
from tests import factories as f
from tests.conftest import World, signed_in_client
from tests.meldcode.conftest import open_case
from tests.pdf_helpers import normalise, pdf_text

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date
NOW = dt.datetime(2026, 12, 5, 10, 0, tzinfo=AMS)
YEAR = SchoolYearSpan(2025)
EARLIER = SchoolYearSpan(2024)
CASE_AT = dt.datetime(2026, 4, 24, 10, 0, tzinfo=AMS)
FIRST_NAME, SURNAME = "Quirijntje", "Zwanenburg"
MONITOR = (
    "The results of the safety monitor (WPO article 4c) will be added here once the school's monitor "
    "is in LEV."
)

# (school, month, kind, category, count): on both sides of 5 and 10, a sensitive category, zeros.
COUNTS = [
    ("a", D(2025, 10, 1), CountKind.SIGNAL, "", 23),
    ("c", D(2025, 11, 1), CountKind.SIGNAL, "", 12),
    ("a", D(2025, 10, 1), CountKind.INCIDENT, "pesten", 7),
    ("c", D(2026, 2, 1), CountKind.INCIDENT, "pesten", 9),
    ("a", D(2026, 3, 1), CountKind.INCIDENT, "agressie", 2),
    ("c", D(2026, 3, 1), CountKind.INCIDENT, "agressie", 6),
    ("c", D(2026, 1, 1), CountKind.INCIDENT, "grensoverschrijdend", 3),
    ("a", D(2025, 9, 1), CountKind.LADDER_STEP, "1", 14),
    ("c", D(2025, 9, 1), CountKind.LADDER_STEP, "1", 8),
    ("a", D(2026, 1, 1), CountKind.TIME_OUT, "", 3),
    ("a", D(2026, 1, 1), CountKind.CRISIS, "", 1),
    ("a", D(2024, 10, 1), CountKind.SIGNAL, "", 31),
    ("c", D(2024, 10, 1), CountKind.SIGNAL, "", 4),
    ("a", D(2024, 11, 1), CountKind.INCIDENT, "pesten", 11),
]


def nl(text: Any) -> str:
    with translation.override("nl"):
        return str(gettext(str(text)) if isinstance(text, str) else text)


def made(factory: Any, **fields: Any) -> Any:
    """An object of a factory_boy factory (the factories are not typed)."""
    return factory(**fields)


@pytest.fixture
def now() -> Iterator[dt.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def linde(world: World) -> School:
    return cast(School, made(f.SchoolFactory, board=world.board, name="De Linde", brin="33CC"))


@pytest.fixture
def counts(world: World, linde: School) -> None:
    schools = {"a": world.school_a, "c": linde}
    for key, month, kind, category, n in COUNTS:
        MonthlyCount.objects.create(
            board=world.board, school=schools[key], month=month, kind=kind, category=category, count=n
        )


@pytest.fixture
def school_year(world: World) -> SchoolYear:
    return cast(SchoolYear, made(f.SchoolYearFactory, board=world.board, starts_on=D(2025, 8, 1)))


@pytest.fixture
def case(world: World, school_year: SchoolYear) -> MeldcodeCase:
    """A case about a pupil with an unmistakable name, whose report names the pupil."""
    pupil = made(f.PupilFactory, school=world.school_a, roepnaam=FIRST_NAME, achternaam=SURNAME)
    opened = open_case(world, pupil=pupil, now=CASE_AT)
    report_save(
        case=opened,
        report_on=CASE_AT.date(),
        values={
            "subject": "Verwaarlozing",
            "description": f"{FIRST_NAME} {SURNAME} kwam op 14-04-2026 zonder jas en zonder eten op school.",
            "involved": f"{FIRST_NAME} en de ouders.",
            "activities": f"Gesprek met {FIRST_NAME}; overleg met het wijkteam.",
        },
        actor=world.ib_a,
        now=CASE_AT,
    )
    return opened


def report_url(year: SchoolYearSpan | None = None, *, meldcode: bool = True) -> str:
    """The report of YEAR; by default the version for the Inspectie, with the Meldcode bundles."""
    url = reverse("monitoring:annual_report")
    query = [f"jaar={year.label}"] if year is not None else []
    query += ["meldcode=1"] if meldcode else []
    return f"{url}?{'&'.join(query)}" if query else url


def shown_tables(world: World, year: SchoolYearSpan) -> dict[str, list[list[str]]]:
    """What the board's dashboard of YEAR shows, from its CSV rows in Dutch as the report prints it:
    per table title its rows (row label, column, value as shown), in the dashboard's order."""
    ctx = build_access_context(world.board_member, today=NOW.date(), active_school_id=None)
    with translation.override("nl"):
        board = dashboard(scope_for(ctx, NOW.date()), year=year, school=None, now=NOW, today=NOW.date())
        rows = csv_rows(board)
    return {title: [row[1:] for row in group] for title, group in groupby(rows, key=lambda row: row[0])}


def printed(title: str, rows: list[list[str]]) -> str:
    """The text of the table as printed: its caption, the header (Category, the columns), then each
    line's label and its values in order."""
    columns = list(dict.fromkeys(column for _label, column, _value in rows))
    lines = [
        " ".join([label, *(value for _l, _c, value in group)])
        for label, group in groupby(rows, key=lambda row: row[0])
    ]
    return normalise(" ".join([title, nl("Category"), *columns, *lines]))


# --- The report -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_shows_the_dashboard_as_shown_and_the_bundle_without_names(
    world: World, now: dt.datetime, counts: None, case: MeldcodeCase
) -> None:
    response = signed_in_client(world.board_member).get(report_url(YEAR))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="jaarverslag-2025-2026-met-meldcode.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert world.board.name in text
    assert "2025-2026" in text
    assert normalise(f"{nl(EXPLANATION)}. {nl(HIDDEN_NOTE)}.") in text
    # Every table the dashboard shows, whole: caption, header and every line's values in order.
    tables = shown_tables(world, YEAR)
    shown = {value for rows in tables.values() for _label, _column, value in rows}
    # Suppression is in play (a band and a complement), and so are counts shown as they are.
    assert "< 10" in shown and "x" in shown
    assert any(value.isdigit() and int(value) >= 10 for value in shown)
    assert len(tables) == 8
    for title, rows in tables.items():
        assert printed(title, rows) in text, title
    # The anonymised bundle is in it; the pupil is not.
    assert "Verwaarlozing" in text
    assert nl("Case %(number)s") % {"number": 1} in text
    assert f"{nl('[name]')} kwam op april 2026 zonder jas" in text
    assert FIRST_NAME.lower() not in text.lower()
    assert SURNAME.lower() not in text.lower()
    assert "14-04-2026" not in text
    # The safety monitor: one sentence, no table.
    assert normalise(nl(MONITOR)) in text


@pytest.mark.django_db
def test_the_version_for_the_mr_holds_no_meldcode_bundle_and_no_exact_meldcode_count(
    world: World, now: dt.datetime, counts: None, case: MeldcodeCase, linde: School
) -> None:
    """The MR/GMR's version: the same tables, but no bundle, and no line per school that would give
    its exact number of cases (a bundle's cover, or "no Meldcode case was open")."""
    response = signed_in_client(world.board_member).get(report_url(YEAR, meldcode=False))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jaarverslag-2025-2026.pdf"'
    text = pdf_text(response.content)
    for title, rows in shown_tables(world, YEAR).items():
        assert printed(title, rows) in text, title
    assert "Verwaarlozing" not in text
    assert normalise(nl("no Meldcode case was open during the school year")) not in text
    assert normalise(nl("bundle included")) not in text
    assert FIRST_NAME.lower() not in text.lower()
    event = AuditEvent.objects.get(action="annual_report_exported")
    assert event.summary["with_meldcode"] is False and event.summary["cases"] == []
    assert not AuditEvent.objects.filter(action="meldcode_bundle_exported").exists()
    assert not AccessLogEntry.objects.filter(object_type="meldcode.meldcodecase").exists()


@pytest.mark.django_db
def test_the_export_is_audited_with_ids_only(
    world: World, now: dt.datetime, counts: None, case: MeldcodeCase, school_year: SchoolYear, linde: School
) -> None:
    response = signed_in_client(world.board_member).get(report_url(YEAR))
    assert response.status_code == 200

    event = AuditEvent.objects.get(action="annual_report_exported")
    version = CaseReportVersion.objects.get(case=case)
    assert event.actor == world.board_member
    assert event.board == world.board
    assert event.summary == {
        "year": "2025-2026",
        "with_meldcode": True,
        "school_year": school_year.pk,
        "bundles": [world.school_a.pk],
        "bundles_left_out": [],
        "cases": [case.pk],
        "report_versions": [version.pk],
    }
    assert FIRST_NAME not in str(event.summary)
    # The included bundle leaves its own export record: one event and one access-log row per case.
    bundle = AuditEvent.objects.get(action="meldcode_bundle_exported")
    assert bundle.summary["audience"] == "board" and bundle.summary["cases"] == [case.pk]
    assert list(
        AccessLogEntry.objects.filter(
            user=world.board_member, object_type="meldcode.meldcodecase"
        ).values_list("object_id", "role")
    ) == [(str(case.pk), "board")]


@pytest.mark.django_db
def test_a_year_without_a_school_year_says_there_is_no_bundle(
    world: World, now: dt.datetime, counts: None, case: MeldcodeCase
) -> None:
    assert not SchoolYear.objects.filter(
        board=world.board, starts_on__lte=D(2024, 8, 1), ends_on__gte=D(2024, 8, 1)
    )

    response = signed_in_client(world.board_member).get(report_url(EARLIER))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "2024-2025" in text
    no_bundle = nl(
        "No Meldcode bundle is available for school year %(year)s: LEV has no school year of the board that covers it."
    )
    assert normalise(no_bundle % {"year": "2024-2025"}) in text
    for title, rows in shown_tables(world, EARLIER).items():
        assert printed(title, rows) in text, title
    assert "Verwaarlozing" not in text
    event = AuditEvent.objects.get(action="annual_report_exported")
    assert event.summary["school_year"] is None and event.summary["cases"] == []
    assert not AuditEvent.objects.filter(action="meldcode_bundle_exported").exists()


@pytest.mark.django_db
def test_a_school_without_a_case_is_listed_without_a_bundle(
    world: World, now: dt.datetime, counts: None, case: MeldcodeCase, linde: School
) -> None:
    text = pdf_text(signed_in_client(world.board_member).get(report_url(YEAR)).content)

    assert normalise(f"De Linde: {nl('no Meldcode case was open during the school year')}") in text
    assert normalise(f"De Regenboog: {nl('bundle included')}") in text


@pytest.mark.django_db
def test_a_bundle_past_the_cap_is_left_out_and_said_so(
    world: World, now: dt.datetime, counts: None, case: MeldcodeCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "PDF_MAX_CASES", 0)

    response = signed_in_client(world.board_member).get(report_url(YEAR))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert normalise(f"De Regenboog: {nl('bundle not included (see below)')}") in text
    assert "Verwaarlozing" not in text
    event = AuditEvent.objects.get(action="annual_report_exported")
    assert event.summary["bundles"] == [] and event.summary["bundles_left_out"] == [world.school_a.pk]
    assert not AuditEvent.objects.filter(action="meldcode_bundle_exported").exists()
    assert not AccessLogEntry.objects.filter(object_type="meldcode.meldcodecase").exists()


# --- Who may have it --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["director_a", "deputy_a", "ib_a", "teacher_a", "privacy_officer"])
def test_only_a_board_member_gets_the_report(world: World, now: dt.datetime, persona: str) -> None:
    response = signed_in_client(getattr(world, persona)).get(report_url())

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="annual_report_exported").exists()


@pytest.mark.django_db
def test_a_year_the_dashboard_does_not_offer_is_404(world: World, now: dt.datetime, counts: None) -> None:
    client = signed_in_client(world.board_member)

    assert client.get(report_url(SchoolYearSpan(2019))).status_code == 404
    assert client.post(report_url(YEAR)).status_code == 405
    assert not AuditEvent.objects.filter(action="annual_report_exported").exists()


# --- Tables in parts ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_wide_year_table_is_printed_in_parts_with_the_same_cells(
    world: World, now: dt.datetime, counts: None
) -> None:
    for n in range(COLUMNS_PER_TABLE + 1):
        made(f.SchoolFactory, board=world.board, name=f"School {n:02d}")
    ctx = build_access_context(world.board_member, today=NOW.date(), active_school_id=None)
    board = dashboard(scope_for(ctx, NOW.date()), year=YEAR, school=None, now=NOW, today=NOW.date())
    table = board.sections[0].year_table
    assert table is not None and len(table.columns) == COLUMNS_PER_TABLE + 3

    parts = table_parts(table)

    assert [(p.number, p.count) for p in parts] == [(1, 2), (2, 2)]
    assert sum((p.table.columns for p in parts), ()) == table.columns
    assert [p.table.total_label for p in parts] == [None, table.total_label]
    for i, line in enumerate((*table.lines, *table.extra)):
        cut = [(*p.table.lines, *p.table.extra)[i] for p in parts]
        assert sum((c.cells for c in cut), ()) == line.cells
        assert [c.total for c in cut] == [None, line.total]
        if line.rates is not None:
            assert sum((c.rates or () for c in cut), ()) == line.rates
