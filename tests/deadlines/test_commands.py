"""The `deadline` command (without a database and against the migrated one), the shipped data, the
migration that loads it, and the operator's `kb_days` command (audited)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lev.audit.models import AuditEvent
from lev.deadlines.calendar_data import DATA_FILE, KBSource, atw_calendar, shipped_kb_days
from lev.deadlines.models import KBDay
from tests.i18n_helpers import t

ROOT = Path(__file__).resolve().parents[2]
ISSUE_KB_DAYS = [
    "2023-04-28",
    "2023-05-19",
    "2024-05-10",
    "2024-12-27",
    "2025-05-30",
    "2026-01-02",
    "2026-05-15",
    "2027-05-07",
    "2028-04-28",
    "2028-05-26",
]


@pytest.fixture
def english():
    """In-process command messages are checked against their English msgids."""
    with translation.override("en"):
        yield


def test_shipped_file_holds_the_issue_kb_days_each_to_be_verified() -> None:
    days = shipped_kb_days()
    assert [kb.day.isoformat() for kb in days] == ISSUE_KB_DAYS
    assert all(not kb.verified for kb in days)
    assert all("Staatscourant" in kb.source for kb in days)
    assert all(kb.day.weekday() == 4 for kb in days)  # every one of them is a Friday
    assert (
        "verify it against the Staatscourant" in json.loads(DATA_FILE.read_text(encoding="utf-8"))["comment"]
    )


# --- without a database: a subprocess on the embedded default with a missing SQLite file -------


def run_without_database(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lev.settings",
        DJANGO_SECRET_KEY="deadline-command-test-key",
        LEV_SQLITE_PATH=str(tmp_path / "absent.sqlite3"),
        LEV_DATA_DIR=str(tmp_path),
    )
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "deadline", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_without_database_uses_the_shipped_kb_days(tmp_path: Path) -> None:
    result = run_without_database(tmp_path, "bezwaar-verwijdering", "2026-04-02")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2026-05-18"  # 14 May Hemelvaart, 15 May KB (from the file), weekend
    assert lines[1] == (
        "6 weken na verzending op 2-4-2026 → do 14-5-2026; 14-5 Hemelvaartsdag, "
        "15-5 bij KB gelijkgesteld, 16–17-5 weekend → ma 18-5-2026"
    )
    assert lines[-1].startswith("KB-gelijkgestelde dagen uit het meegeleverde gegevensbestand")
    assert not (tmp_path / "absent.sqlite3").exists()  # the command did not create a database


def test_command_without_database_datalek_and_onverwijld(tmp_path: Path) -> None:
    result = run_without_database(tmp_path, "datalek", "2026-03-28T09:00+01:00")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "2026-03-31T10:00+02:00"
    result = run_without_database(tmp_path, "inspectie-melding-schorsing", "2026-04-03")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["2026-04-03", "te laat na: 2026-04-07"]


@pytest.mark.parametrize(
    "args",
    [
        ("bezwaar-schorsing", "2026-04-02"),  # bijzonder (the default) has no statutory bezwaar
        ("bezwaar-verwijdering", "2026-02-30"),  # no such date
        ("bezwaar-verwijdering", "2013-06-01"),  # before the supported calendar
        ("onbekend", "2026-04-02"),
        ("bezwaar-verwijdering", "2026-04-02", "--school-type", "katholiek"),
        ("bezwaar-verwijdering",),  # START missing (an argparse error)
        ("datalek", "2026-03-28T09:00"),  # no offset
    ],
)
def test_command_errors_are_one_line_with_status_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_without_database(tmp_path, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_bijzonder_bezwaar_schorsing_message(tmp_path: Path) -> None:
    result = run_without_database(tmp_path, "bezwaar-schorsing", "2026-04-02")
    expected = t(
        "A bijzonder school has no statutory bezwaar against a schorsing: parents appeal to the "
        "board under the school's own procedure (rule beroep-schorsing)."
    )
    assert expected in result.stderr


# --- against the migrated test database ---------------------------------------------------------


def deadline(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_the_migration_loaded_the_shipped_days() -> None:
    assert [d.isoformat() for d in KBDay.objects.values_list("date", flat=True)] == ISSUE_KB_DAYS
    assert not KBDay.objects.filter(verified=True).exists()
    calendar, source = atw_calendar()
    assert source is KBSource.DATABASE
    assert calendar.is_closed(date(2026, 5, 15))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "first_lines"),
    [
        (("bezwaar-verwijdering", "2026-04-02"), ["2026-05-18"]),
        (("beslissing-bezwaar-verwijdering", "2026-05-13"), ["2026-06-10"]),
        (("gpo-oordeel", "2026-03-05"), ["2026-05-18"]),
        (("avg-verzoek", "2026-01-31"), ["2026-03-02"]),
        (("veilig-thuis-beoordeling", "2026-05-11"), ["2026-05-20"]),
        (("evaluatie-omgangsregels", "2026-04-21"), ["2026-05-06"]),
        (("inspectie-melding-schorsing", "2026-04-03"), ["2026-04-03", "te laat na: 2026-04-07"]),
        (("datalek", "2026-03-28T09:00+01:00"), ["2026-03-31T10:00+02:00"]),
        # Mon 18 May 2026 + 6 weeks = Mon 29 Jun; + 12 weeks = Mon 10 Aug
        (("beroep-schorsing", "2026-05-18", "--school-type", "openbaar"), ["2026-06-29"]),
        (
            ("beroep-schorsing", "2026-05-18", "--school-type", "openbaar", "--adviescommissie"),
            ["2026-08-10"],
        ),
        # receipt Tue 21 Apr + 14 days = Tue 5 May -> Wed 6 May
        (("beroep-schorsing", "2026-04-21"), ["2026-05-06"]),
        # Mon 2 Mar: 4 weeks = Mon 30 Mar, a month = Thu 2 Apr
        (("correctieverzoek-dossier", "2026-03-02"), ["2026-03-30"]),
        (("leerplicht-melding-verwijdering", "2026-01-01"), ["2026-01-01", "te laat na: 2026-01-05"]),
    ],
)
def test_command_examples_against_the_database(args: tuple[str, ...], first_lines: list[str]) -> None:
    lines = deadline(*args)
    assert lines[: len(first_lines)] == first_lines
    if args[0] != "datalek":
        assert lines[-1] == "KB-gelijkgestelde dagen uit de database."


@pytest.mark.django_db
def test_a_kb_day_added_to_the_database_is_used() -> None:
    # Fri 22 May 2026 + 4 weeks = Fri 19 Jun 2026: ordinary, until the operator records a KB day.
    assert deadline("beslissing-bezwaar-verwijdering", "2026-05-22")[0] == "2026-06-19"
    call_command(
        "kb_days", "add", "2026-06-19", "testdag", "--source", "Stcrt. 2026, 99999", stdout=StringIO()
    )
    # now: 19 Jun KB, 20-21 weekend -> Mon 22 Jun
    lines = deadline("beslissing-bezwaar-verwijdering", "2026-05-22")
    assert lines[0] == "2026-06-22"
    assert "19-6 bij KB gelijkgesteld, 20–21-6 weekend → ma 22-6-2026" in lines[1]


@pytest.mark.django_db
def test_command_error_in_process_has_return_code_2() -> None:
    with pytest.raises(CommandError) as caught:
        deadline("bezwaar-schorsing", "2026-04-02")
    assert caught.value.returncode == 2


# --- kb_days: the operator's list, audited ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_kb_days_list_shows_status_and_source() -> None:
    out = StringIO()
    call_command("kb_days", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[6].startswith("2026-05-15  vrijdag na Hemelvaartsdag  [NOT VERIFIED")
    assert "Staatscourant" in lines[6]


@pytest.mark.django_db
def test_kb_days_add_is_audited() -> None:
    call_command(
        "kb_days",
        "add",
        "2029-05-11",
        "vrijdag na Hemelvaartsdag",
        "--source",
        "Stcrt. 2028, 1",
        stdout=StringIO(),
    )
    row = KBDay.objects.get(date=date(2029, 5, 11))
    assert (row.description, row.source, row.verified) == (
        "vrijdag na Hemelvaartsdag",
        "Stcrt. 2028, 1",
        False,
    )
    event = AuditEvent.objects.get(action="deadlines.kb_day_added")
    assert event.object_type == "deadlines.kbday"
    assert event.object_id == str(row.pk)
    assert event.summary == {"date": "2029-05-11", "verified": False, "via": "manage.py kb_days"}


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_kb_days_verify_is_audited() -> None:
    call_command("kb_days", "verify", "2026-05-15", stdout=StringIO())
    assert KBDay.objects.get(date=date(2026, 5, 15)).verified
    event = AuditEvent.objects.get(action="deadlines.kb_day_verified")
    assert event.summary["fields"] == ["verified"]
    with pytest.raises(CommandError, match="already marked as verified"):
        call_command("kb_days", "verify", "2026-05-15", stdout=StringIO())
    assert AuditEvent.objects.filter(action="deadlines.kb_day_verified").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-05-15", "dubbel", "--source", "x"), "already in the list"),
        (("add", "2026-05-16", "zaterdag", "--source", "x"), "Saturday or Sunday"),
        (("add", "2026-05-14", "Hemelvaart", "--source", "x"), "already a recognised holiday"),
        (("add", "2026-06-19", "  ", "--source", "x"), "Give a description"),
        (("add", "2026-06-19", "testdag", "--source", " "), "Give the source reference"),
        (("add", "2026-13-01", "testdag", "--source", "x"), "not an existing date"),
        (("add", "2101-06-17", "testdag", "--source", "x"), "outside the supported calendar"),
        (("verify", "2026-06-19"), "not in the list"),
    ],
)
@pytest.mark.usefixtures("english")
def test_kb_days_refusals_write_nothing(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("kb_days", *args, stdout=StringIO())
    assert KBDay.objects.count() == 10
    assert not AuditEvent.objects.filter(action__startswith="deadlines.").exists()
