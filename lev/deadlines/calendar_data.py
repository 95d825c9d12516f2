"""Where the KB-gelijkgestelde dagen come from: the database when it is migrated, else the data file;
and the national school holidays per region (`data/school_holidays.json`, read-only data).

The shipped file `data/kb_days.json` is also what the migration loads, so a fresh installation and a
calculation without a database (the `deadline` command on an operator's machine) agree. Once the
database holds the table, the operator's list (`manage.py kb_days`) is the only source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections

from lev.deadlines.domain.calendar import AtwCalendar, KBDay
from lev.deadlines.domain.school_calendar import HolidayData, parse_holiday_data

DATA_FILE = Path(__file__).resolve().parent / "data" / "kb_days.json"


class KBSource(StrEnum):
    DATABASE = "database"
    FILE = "file"


@dataclass(frozen=True)
class LoadedKBDays:
    days: tuple[KBDay, ...]
    source: KBSource


def read_data_file(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The raw entries of the shipped file (date as YYYY-MM-DD, description, source, verified)."""
    content = json.loads(path.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = content["kb_days"]
    return entries


def shipped_kb_days(path: Path = DATA_FILE) -> tuple[KBDay, ...]:
    return tuple(
        KBDay(
            day=date.fromisoformat(entry["date"]),
            description=entry["description"],
            source=entry.get("source", ""),
            verified=bool(entry.get("verified", False)),
        )
        for entry in read_data_file(path)
    )


def _database_is_reachable(alias: str) -> bool:
    """False for an embedded SQLite file that does not exist yet (never create it as a side effect)."""
    settings_dict = connections[alias].settings_dict
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        name = str(settings_dict["NAME"])
        return name == ":memory:" or name.startswith("file:") or Path(name).exists()
    return True


def database_kb_days(alias: str = "default") -> tuple[KBDay, ...] | None:
    """The KB days in the database, or None when there is no migrated table to read."""
    from lev.deadlines.models import KBDay as KBDayRow

    if not _database_is_reachable(alias):
        return None
    connection = connections[alias]
    try:
        if KBDayRow._meta.db_table not in connection.introspection.table_names():
            return None
        rows = KBDayRow.objects.using(alias).order_by("date")
        return tuple(
            KBDay(day=row.date, description=row.description, source=row.source, verified=row.verified)
            for row in rows
        )
    except DatabaseError:
        return None


def load_kb_days(alias: str = "default") -> LoadedKBDays:
    from_database = database_kb_days(alias)
    if from_database is not None:
        return LoadedKBDays(from_database, KBSource.DATABASE)
    return LoadedKBDays(shipped_kb_days(), KBSource.FILE)


def atw_calendar(alias: str = "default") -> tuple[AtwCalendar, KBSource]:
    """The Atw calendar with the KB days of this deployment, and where they came from."""
    loaded = load_kb_days(alias)
    return AtwCalendar(loaded.days), loaded.source


# --- National school holidays (Rijksoverheid "Schoolvakanties") --------------------------------

SCHOOL_HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "school_holidays.json"


@lru_cache(maxsize=4)
def school_holiday_data(path: Path = SCHOOL_HOLIDAYS_FILE) -> HolidayData:
    """The shipped national holiday periods per school year and region, validated (read once)."""
    return parse_holiday_data(json.loads(path.read_text(encoding="utf-8")))
