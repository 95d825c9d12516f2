"""Reads for school calendars: a school's non-school days (for the duration of a time-out or
schorsing; never for a statutory term, LEGAL.md §1) and the functional administrator's calendar
pages (scoped to the boards they administer, through `lev.schools.admin_selectors`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.http import Http404

from lev.schools.models import Board, School

from .calendar_data import school_holiday_data
from .domain.school_calendar import (
    HolidayData,
    national_closures,
    non_school_days,
    school_year_bounds,
    school_year_name,
)
from .models import KBDay, Region, SchoolCalendar, SchoolClosure


def school_non_school_days(school: School, first: date, last: date) -> frozenset[date]:
    """Every day from FIRST to LAST (inclusive) on which the school's calendar says it is closed:
    holidays, public holidays, study days (weekends only where a closure covers them; the school-day
    arithmetic in `domain/schooldays.py` skips weekends itself)."""
    rows = SchoolClosure.objects.filter(school=school, first_day__lte=last, last_day__gte=first).only(
        "first_day", "last_day"
    )
    return non_school_days(rows, first, last)


def school_region(school: School) -> str:
    """The school's holiday region, or "" when none has been chosen."""
    return SchoolCalendar.objects.filter(school=school).values_list("region", flat=True).first() or ""


@dataclass(frozen=True)
class CalendarSchoolRow:
    school: School
    region: str
    region_label: str
    closure_count: int


def calendar_schools_for_admin(boards: list[Board], *, school_year: str) -> list[CalendarSchoolRow]:
    """The administered boards' schools with their region and the number of closures that start in
    SCHOOL_YEAR."""
    first, last = school_year_bounds(school_year)
    schools = (
        School.objects.filter(board_id__in=[b.pk for b in boards])
        .select_related("board")
        .annotate(
            calendar_region=F("calendar__region"),
            closure_count=Count("closures", filter=Q(closures__first_day__range=(first, last))),
        )
        .order_by("board__name", "name")
    )
    labels = dict(Region.choices)
    return [
        CalendarSchoolRow(
            school=s,
            region=s.calendar_region or "",  # type: ignore[attr-defined]
            region_label=str(labels.get(s.calendar_region or "", "")),  # type: ignore[attr-defined]
            closure_count=s.closure_count,  # type: ignore[attr-defined]
        )
        for s in schools
    ]


@dataclass(frozen=True)
class ClosureRow:
    closure: SchoolClosure
    # For a national row: whether the data file marks it as checked against rijksoverheid.nl.
    verified: bool


def closures_of_year(
    school: School, school_year: str, *, region: str, data: HolidayData | None = None
) -> list[ClosureRow]:
    """The school's closures that start in SCHOOL_YEAR, by date."""
    data = data or school_holiday_data()
    first, last = school_year_bounds(school_year)
    verified = {
        (c.kind, c.first_day, c.last_day, c.name): c.verified
        for c in (national_closures(data, region, school_year) if region else ())
    }
    rows = SchoolClosure.objects.filter(school=school, first_day__range=(first, last)).order_by(
        "first_day", "last_day", "pk"
    )
    return [
        ClosureRow(
            closure=row,
            verified=row.national and verified.get((row.kind, row.first_day, row.last_day, row.name), False),
        )
        for row in rows
    ]


def known_school_years(
    school: School, *, region: str, today: date, shown: str = "", data: HolidayData | None = None
) -> list[str]:
    """The school years to offer: the current and the next one, those the data file knows (for the
    school's region, or for any region when none is chosen), those with closures, and SHOWN (the
    one on the page)."""
    data = data or school_holiday_data()
    current = school_year_name(today)
    years = {current, school_year_name(date(int(current[:4]) + 1, 8, 1))} | ({shown} if shown else set())
    years.update(data.school_years(region or None))
    years.update(
        school_year_name(day)
        for day in SchoolClosure.objects.filter(school=school).values_list("first_day", flat=True).distinct()
    )
    return sorted(years)


def closure_for_admin(boards: list[Board], closure_id: int) -> SchoolClosure:
    """A closure of a school of an administered board; 404 otherwise (also for a missing one)."""
    closure = (
        SchoolClosure.objects.filter(board_id__in=[b.pk for b in boards], pk=closure_id)
        .select_related("school", "board")
        .first()
    )
    if closure is None:
        raise Http404
    return closure


def kb_days() -> list[KBDay]:
    """The KB-gelijkgestelde dagen of this deployment (maintained with `manage.py kb_days`)."""
    return list(KBDay.objects.order_by("date"))
