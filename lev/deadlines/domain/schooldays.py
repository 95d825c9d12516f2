"""School-day arithmetic for exclusion durations (time-out, schorsing), from the school's calendar.

Separate from the Atw on purpose: school holidays never extend a statutory term, and the Atw holiday
set plays no part here (LEGAL.md §1). A school day is a Monday to Friday that is not in the set of
non-school days the caller passes in (holidays, study days, the national holidays the school is
closed on). Source: WPO art. 40c lid 1 (a schorsing lasts at most one week); LEGAL.md R3 and §10.3:
"one week" = at most 5 school days **and** an end at most 6 calendar days after the start.

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

MAX_SCHORSING_SCHOOL_DAYS = 5
MAX_SCHORSING_CALENDAR_OFFSET = 6


def is_school_day(day: date, non_school_days: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in non_school_days


def school_days_between(first: date, last: date, non_school_days: Collection[date]) -> int:
    """The number of school days from FIRST to LAST, both included (0 when LAST is before FIRST)."""
    count = 0
    day = first
    while day <= last:
        if is_school_day(day, non_school_days):
            count += 1
        day += timedelta(days=1)
    return count


def school_day_end(first: date, school_days: int, non_school_days: Collection[date]) -> date:
    """The last day of an exclusion of SCHOOL_DAYS school days starting on FIRST.

    FIRST counts as the first day when it is a school day; otherwise the exclusion starts on the
    next school day.
    """
    if school_days < 1:
        raise ValueError("an exclusion lasts at least one school day")
    day = first
    counted = 0
    while True:
        if is_school_day(day, non_school_days):
            counted += 1
            if counted == school_days:
                return day
        day += timedelta(days=1)


@dataclass(frozen=True)
class ExclusionDuration:
    school_days: int
    calendar_days: int  # FIRST to LAST, both included

    @property
    def within_one_week(self) -> bool:
        """LEGAL.md §10.3: at most 5 school days and the end at most 6 calendar days after the start."""
        return (
            self.school_days <= MAX_SCHORSING_SCHOOL_DAYS
            and self.calendar_days - 1 <= MAX_SCHORSING_CALENDAR_OFFSET
        )

    @property
    def more_than_one_school_day(self) -> bool:
        """LEGAL.md R6: a schorsing spanning more than one school day is reported to the Inspectie."""
        return self.school_days > 1


def exclusion_duration(first: date, last: date, non_school_days: Collection[date]) -> ExclusionDuration:
    """The length of an exclusion from FIRST to LAST (both included) in school and calendar days."""
    if last < first:
        raise ValueError("the last day of an exclusion cannot be before its first day")
    return ExclusionDuration(
        school_days=school_days_between(first, last, non_school_days),
        calendar_days=(last - first).days + 1,
    )
