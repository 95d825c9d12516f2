"""The holiday set of the Algemene termijnenwet (Atw), per year, and Dutch date formatting.

Source: Atw art. 1 lid 1 and art. 3 (algemeen erkende feestdagen; days declared equal by Koninklijk
Besluit); LEGAL.md §1. The set is Nieuwjaarsdag, Goede Vrijdag, Eerste and Tweede Paasdag,
Koningsdag (27 April, or 26 April when the 27th is a Sunday), 5 May **every year**, Hemelvaartsdag,
Eerste and Tweede Pinksterdag, Eerste and Tweede Kerstdag, plus the KB-gelijkgestelde dagen. The
`holidays` package (PUBLIC + OPTIONAL) provides the statutory days; 5 May is added here whatever the
package says; the KB days are data passed in by the caller (LEGAL.md §10.9: verify each against the
Staatscourant).

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

WEEKDAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKEND = "weekend"
KB_REASON = "bij KB gelijkgesteld"
LIBERATION_DAY = "Bevrijdingsdag"

# Koningsdag exists since 2014; the package's rules are checked up to the end of the century.
FIRST_YEAR = 2014
LAST_YEAR = 2099


def fmt(day: date) -> str:
    """2-4-2026 (day-month-year without leading zeros, as Dutch letters write it)."""
    return f"{day.day}-{day.month}-{day.year}"


def fmt_wd(day: date) -> str:
    """do 14-5-2026: the Dutch weekday abbreviation and the date."""
    return f"{WEEKDAYS_NL[day.weekday()]} {fmt(day)}"


def fmt_short(day: date) -> str:
    """14-5: day and month only, for lists of skipped days."""
    return f"{day.day}-{day.month}"


@dataclass(frozen=True)
class KBDay:
    """A day declared equal to a holiday by Koninklijk Besluit (Atw art. 3)."""

    day: date
    description: str
    source: str = ""
    verified: bool = False


class AtwCalendar:
    """The Atw holiday set for FIRST_YEAR..LAST_YEAR, with the KB days given as data."""

    def __init__(
        self,
        kb_days: Iterable[KBDay] = (),
        *,
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> None:
        if first_year > last_year:
            raise ValueError("first_year must not be after last_year")
        self.first_year = first_year
        self.last_year = last_year
        self.kb_days: dict[date, KBDay] = {kb.day: kb for kb in kb_days}
        self._statutory: dict[int, dict[date, str]] = {}

    # --- range ------------------------------------------------------------------------------
    @property
    def first_day(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.last_year, 12, 31)

    def in_range(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def kb_years(self) -> tuple[int, int] | None:
        """The first and last year for which KB days are recorded (None when there are none)."""
        if not self.kb_days:
            return None
        years = [d.year for d in self.kb_days]
        return min(years), max(years)

    def with_kb_day(self, kb: KBDay) -> AtwCalendar:
        """A copy of this calendar with one more KB day."""
        return AtwCalendar([*self.kb_days.values(), kb], first_year=self.first_year, last_year=self.last_year)

    # --- the holiday set --------------------------------------------------------------------
    def statutory_holidays(self, year: int) -> dict[date, str]:
        """The algemeen erkende feestdagen of YEAR (without KB days), name by date."""
        cached = self._statutory.get(year)
        if cached is None:
            found = holidays.NL(years=year, categories=(holidays.PUBLIC, holidays.OPTIONAL), language="nl")
            cached = {day: str(name) for day, name in found.items()}
            cached.setdefault(date(year, 5, 5), LIBERATION_DAY)
            self._statutory[year] = cached
        return cached

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name, KB_REASON for a KB day, or None for an ordinary day."""
        name = self.statutory_holidays(day.year).get(day)
        if name is not None:
            return name[:1].upper() + name[1:]
        if day in self.kb_days:
            return KB_REASON
        return None

    def closed_reason(self, day: date) -> str | None:
        """Why DAY is not a day on which a term can end: WEEKEND, a holiday name, or None."""
        if day.weekday() >= 5:
            return WEEKEND
        return self.holiday_name(day)

    def is_closed(self, day: date) -> bool:
        return self.closed_reason(day) is not None

    def next_open_day(self, day: date) -> date:
        """DAY itself when it is open, else the first later day that is no weekend or holiday."""
        while self.is_closed(day):
            day += timedelta(days=1)
        return day

    def next_working_day_after(self, day: date) -> date:
        return self.next_open_day(day + timedelta(days=1))
