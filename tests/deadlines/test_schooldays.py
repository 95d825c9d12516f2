"""School-day arithmetic for exclusion durations (no database). The non-school days are data; the
Atw holiday set plays no part. Weekdays worked out by hand: 1 Apr 2026 is a Wednesday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lev.deadlines.domain import exclusion_duration, school_day_end, school_days_between

D = date.fromisoformat
KONINGSDAG = {D("2026-04-27")}


def test_schorsing_over_koningsdag_is_within_one_week() -> None:
    # Thu 23 Apr - Wed 29 Apr 2026: Thu 23, Fri 24, (weekend), Mon 27 closed, Tue 28, Wed 29 = 4 school
    # days; 7 calendar days, the end 6 days after the start.
    duration = exclusion_duration(D("2026-04-23"), D("2026-04-29"), KONINGSDAG)
    assert duration.school_days == 4
    assert duration.calendar_days == 7
    assert duration.within_one_week


def test_five_school_days_spread_over_eight_calendar_days_are_more_than_a_week() -> None:
    # Mon 20 - Mon 27 Apr 2026: Mon 20-Fri 24 = 5 school days, Mon 27 closed; but the end is 7 days
    # after the start (LEGAL.md §10.3).
    duration = exclusion_duration(D("2026-04-20"), D("2026-04-27"), KONINGSDAG)
    assert duration.school_days == 5
    assert duration.calendar_days == 8
    assert not duration.within_one_week


def test_six_school_days_are_more_than_a_week() -> None:
    # Mon 2 - Mon 9 Mar 2026 without closed days: Mon 2-Fri 6 (5) + Mon 9 (6).
    duration = exclusion_duration(D("2026-03-02"), D("2026-03-09"), set())
    assert duration.school_days == 6
    assert not duration.within_one_week


def test_friday_and_monday_span_more_than_one_school_day() -> None:
    # Fri 10 - Mon 13 Apr 2026: two school days (LEGAL.md R6: reported to the Inspectie).
    duration = exclusion_duration(D("2026-04-10"), D("2026-04-13"), set())
    assert duration.school_days == 2
    assert duration.more_than_one_school_day
    assert not exclusion_duration(D("2026-04-10"), D("2026-04-10"), set()).more_than_one_school_day


def test_study_day_is_not_a_school_day() -> None:
    # Mon 2 - Fri 6 Mar 2026 with a study day on Wed 4 Mar: 4 school days.
    assert school_days_between(D("2026-03-02"), D("2026-03-06"), {D("2026-03-04")}) == 4


def test_atw_holidays_count_only_when_the_school_calendar_says_so() -> None:
    # Thu 14 May 2026 (Hemelvaart) is a school day unless the school's calendar lists it.
    assert school_days_between(D("2026-05-14"), D("2026-05-14"), set()) == 1
    assert school_days_between(D("2026-05-14"), D("2026-05-14"), {D("2026-05-14")}) == 0


@pytest.mark.parametrize(
    ("first", "count", "closed", "expected"),
    [
        # Thu 23 (1), Fri 24 (2), Mon 27 closed, Tue 28 (3)
        ("2026-04-23", 3, KONINGSDAG, "2026-04-28"),
        # starts on Saturday 25 Apr: the first school day is Mon 27 Apr (nothing closed)
        ("2026-04-25", 1, set(), "2026-04-27"),
        # five school days from Mon 2 Mar: Fri 6 Mar
        ("2026-03-02", 5, set(), "2026-03-06"),
        # over the Christmas holiday 21 Dec 2026 - 1 Jan 2027 (Mon-Fri): Fri 18 Dec (1), Mon 4 Jan (2)
        ("2026-12-18", 2, {D("2026-12-21") + timedelta(days=i) for i in range(12)}, "2027-01-04"),
    ],
)
def test_school_day_end(first: str, count: int, closed: set[date], expected: str) -> None:
    assert school_day_end(D(first), count, closed) == D(expected)


def test_invalid_exclusions_are_refused() -> None:
    with pytest.raises(ValueError):
        school_day_end(D("2026-03-02"), 0, set())
    with pytest.raises(ValueError):
        exclusion_duration(D("2026-03-06"), D("2026-03-02"), set())
