"""A school's calendar: the national school holidays per region and the public holidays schools close on.

Sources:
- Rijksoverheid, "Schoolvakanties" (the advice dates of the Ministerie van OCW per school year and
  region noord/midden/zuid; each period Saturday to Sunday inclusive). Shipped as data in
  `lev/deadlines/data/school_holidays.json`, every entry marked unverified until someone checks it
  against rijksoverheid.nl. A school year/region that is not in the file is simply not known.
- The public holidays on which primary schools are normally closed: Nieuwjaarsdag, Goede Vrijdag,
  Tweede Paasdag, Koningsdag, Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag, and
  Bevrijdingsdag (5 May) only in lustrum years (divisible by 5). These come from the `holidays`
  package (`holidays.NL`, categories PUBLIC and OPTIONAL); unlike the Algemene termijnenwet
  (`calendar.py`), 5 May outside a lustrum year is a normal school day, and KB-gelijkgestelde dagen
  play no part.

LEGAL.md §1 and §2: a school calendar counts only for the duration of an exclusion (time-out,
schorsing: WPO art. 40c lid 1, see `schooldays.py`); school holidays never extend a statutory term.

Here a school year ("2025-2026") runs from 1 August to 31 July; a holiday period belongs to the
school year in which it starts (the summer holiday runs on into August of the next one).

Pure: no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

import holidays

REGIONS = ("noord", "midden", "zuid")
# The longest national period (the summer holiday is six weeks and two days); anything longer is a
# typing error in the data file.
MAX_PERIOD_DAYS = 70
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")

# The public holidays schools close on, by the package's Dutch name (lower case), with the name
# LEV shows. Eerste Paasdag and Eerste Pinksterdag are always Sundays.
SCHOOL_CLOSURE_HOLIDAYS = {
    "nieuwjaarsdag": "Nieuwjaarsdag",
    "goede vrijdag": "Goede Vrijdag",
    "tweede paasdag": "Tweede Paasdag",
    "koningsdag": "Koningsdag",
    "bevrijdingsdag": "Bevrijdingsdag",
    "hemelvaartsdag": "Hemelvaartsdag",
    "tweede pinksterdag": "Tweede Pinksterdag",
    "eerste kerstdag": "Eerste Kerstdag",
    "tweede kerstdag": "Tweede Kerstdag",
}
LIBERATION_DAY = "bevrijdingsdag"
LUSTRUM = 5


class ClosureKind(StrEnum):
    VACATION = "vacation"
    PUBLIC_HOLIDAY = "public_holiday"
    STUDY_DAY = "study_day"
    OTHER = "other"


class Period(Protocol):
    """Anything with a first and a last day: a Closure, or a stored closure row."""

    @property
    def first_day(self) -> date: ...

    @property
    def last_day(self) -> date: ...


class SchoolCalendarDataError(ValueError):
    """The holiday data file is malformed (a message for the operator, not for end users)."""


@dataclass(frozen=True)
class Closure:
    """A period (FIRST_DAY to LAST_DAY inclusive) in which a school is closed. `verified`: the data
    file says someone checked it against rijksoverheid.nl (a public holiday's date is computed, but
    whether a school closes on it is custom, so it is never marked verified)."""

    first_day: date
    last_day: date
    kind: str
    name: str
    verified: bool = False

    def days(self) -> Iterator[date]:
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += timedelta(days=1)


@dataclass(frozen=True)
class HolidayData:
    """The national holiday periods, by (school year, region)."""

    source: str
    periods: Mapping[tuple[str, str], tuple[Closure, ...]]

    def school_years(self, region: str | None = None) -> tuple[str, ...]:
        """The school years LEV knows (for REGION, or for any region), oldest first."""
        return tuple(sorted({year for year, r in self.periods if region is None or r == region}))

    def knows(self, region: str, school_year: str) -> bool:
        return (school_year, region) in self.periods


# --- School years -------------------------------------------------------------------------------


def school_year_name(day: date) -> str:
    """The school year DAY lies in: "2026-2027" for 1 Aug 2026 up to and including 31 Jul 2027."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def school_year_bounds(name: str) -> tuple[date, date]:
    """1 August and 31 July of a school year named like "2026-2027"; ValueError for another name."""
    match = _SCHOOL_YEAR.fullmatch(name)
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValueError(f"{name!r} is not a school year like 2026-2027")
    start = int(match.group(1))
    return date(start, 8, 1), date(start + 1, 7, 31)


# --- The data file ------------------------------------------------------------------------------


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise SchoolCalendarDataError(f"{where}: a date must be written as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SchoolCalendarDataError(f"{where}: {value!r} is not a date as YYYY-MM-DD") from None


def _period(entry: Any, school_year: str, region: str, first_of_year: date, last_of_year: date) -> Closure:
    where = f"{school_year} {region}"
    if not isinstance(entry, Mapping):
        raise SchoolCalendarDataError(f"{where}: every period is an object")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchoolCalendarDataError(f"{where}: a period needs a name")
    where = f"{where} {name}"
    first = _date(entry.get("first_day"), where)
    last = _date(entry.get("last_day"), where)
    if last < first:
        raise SchoolCalendarDataError(f"{where}: the last day {last} is before the first day {first}")
    if not first_of_year <= first <= last_of_year:
        raise SchoolCalendarDataError(
            f"{where}: starts on {first}, outside the school year ({first_of_year} to {last_of_year})"
        )
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise SchoolCalendarDataError(f"{where}: longer than {MAX_PERIOD_DAYS} days")
    verified = entry.get("verified", False)
    if not isinstance(verified, bool):
        raise SchoolCalendarDataError(f"{where}: 'verified' is true or false")
    name = name.strip()
    return Closure(
        first_day=first,
        last_day=last,
        kind=ClosureKind.VACATION.value,
        name=name[:1].upper() + name[1:],
        verified=verified,
    )


def _check_overlaps(region: str, closures: Iterable[Closure]) -> None:
    ordered = sorted(closures, key=lambda c: (c.first_day, c.last_day))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.first_day <= earlier.last_day:
            raise SchoolCalendarDataError(
                f"{region}: {earlier.name} ({earlier.first_day} to {earlier.last_day}) overlaps "
                f"{later.name} ({later.first_day} to {later.last_day})"
            )


def parse_holiday_data(raw: Any) -> HolidayData:
    """Validate the content of the data file and return its periods.

    Refused: a region other than noord/midden/zuid, a malformed school year name or date, a period
    whose first day is outside its school year or after its last day, a period longer than
    MAX_PERIOD_DAYS, a school year/region without periods, and overlapping periods of one region.
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("school_years"), Mapping):
        raise SchoolCalendarDataError("the file needs an object 'school_years'")
    source = raw.get("source", "")
    if not isinstance(source, str) or not source.strip():
        raise SchoolCalendarDataError("the file needs a 'source' note")
    periods: dict[tuple[str, str], tuple[Closure, ...]] = {}
    for school_year, regions in raw["school_years"].items():
        try:
            first_of_year, last_of_year = school_year_bounds(school_year)
        except ValueError as exc:
            raise SchoolCalendarDataError(str(exc)) from None
        if not isinstance(regions, Mapping):
            raise SchoolCalendarDataError(f"{school_year}: the regions are an object")
        for region, entries in regions.items():
            if region not in REGIONS:
                raise SchoolCalendarDataError(f"{school_year}: unknown region {region!r}")
            if not isinstance(entries, list) or not entries:
                raise SchoolCalendarDataError(f"{school_year} {region}: no periods")
            closures = tuple(
                sorted(
                    (_period(e, school_year, region, first_of_year, last_of_year) for e in entries),
                    key=lambda c: c.first_day,
                )
            )
            periods[(school_year, region)] = closures
    for region in REGIONS:
        _check_overlaps(region, (c for (_, r), cs in periods.items() if r == region for c in cs))
    return HolidayData(source=source.strip(), periods=periods)


def national_periods(data: HolidayData, region: str, school_year: str) -> tuple[Closure, ...]:
    """The national holiday periods of REGION in SCHOOL_YEAR, by date; () when LEV does not know them."""
    return data.periods.get((school_year, region), ())


# --- Public holidays ----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _package_holidays(year: int) -> tuple[tuple[date, str], ...]:
    found = holidays.NL(years=year, categories=(holidays.PUBLIC, holidays.OPTIONAL), language="nl")
    return tuple(sorted((day, str(name)) for day, name in found.items()))


def public_holiday_closures(first: date, last: date) -> tuple[Closure, ...]:
    """The public holidays from FIRST to LAST (inclusive) on which schools are closed: weekdays
    only, 5 May only in lustrum years, with their Dutch names."""
    closures: list[Closure] = []
    for year in range(first.year, last.year + 1):
        for day, package_name in _package_holidays(year):
            key = package_name.strip().lower()
            if not first <= day <= last or day.weekday() >= 5 or key not in SCHOOL_CLOSURE_HOLIDAYS:
                continue
            if key == LIBERATION_DAY and day.year % LUSTRUM != 0:
                continue
            closures.append(
                Closure(
                    first_day=day,
                    last_day=day,
                    kind=ClosureKind.PUBLIC_HOLIDAY.value,
                    name=SCHOOL_CLOSURE_HOLIDAYS[key],
                )
            )
    return tuple(closures)


def national_closures(data: HolidayData, region: str, school_year: str) -> tuple[Closure, ...]:
    """What LEV seeds for a school of REGION in SCHOOL_YEAR: the national holiday periods plus the
    public holidays of that school year that do not fall inside one of them (Koningsdag in the
    meivakantie needs no row of its own). () when LEV does not know the region's holidays."""
    periods = national_periods(data, region, school_year)
    if not periods:
        return ()
    first, last = school_year_bounds(school_year)
    covered = non_school_days(periods, first, last)
    extra = tuple(c for c in public_holiday_closures(first, last) if c.first_day not in covered)
    return tuple(sorted(periods + extra, key=lambda c: (c.first_day, c.last_day)))


def non_school_days(closures: Iterable[Period], first: date, last: date) -> frozenset[date]:
    """Every day from FIRST to LAST (inclusive) that lies in one of CLOSURES, weekends included."""
    days: set[date] = set()
    for closure in closures:
        day = max(closure.first_day, first)
        end = min(closure.last_day, last)
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)
