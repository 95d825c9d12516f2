"""School calendars, pure (no database): the national holiday data, the public holidays schools close
on, and the non-school days they give for exclusion durations.

Weekdays worked out by hand from 1 Jan 2025 (Wednesday) and 1 Jan 2026 (Thursday); Easter Sunday
2025 is 20 April, 2026 is 5 April, 2027 is 28 March; Hemelvaart is Easter + 39 days, Tweede
Pinksterdag Easter + 50 days.
"""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from lev.deadlines.calendar_data import SCHOOL_HOLIDAYS_FILE, school_holiday_data
from lev.deadlines.domain import exclusion_duration, school_day_end, school_days_between
from lev.deadlines.domain.school_calendar import (
    Closure,
    SchoolCalendarDataError,
    national_closures,
    national_periods,
    non_school_days,
    parse_holiday_data,
    public_holiday_closures,
    school_year_bounds,
    school_year_name,
)

D = date.fromisoformat


def periods(closures) -> list[tuple[str, str, str]]:
    return [(c.first_day.isoformat(), c.last_day.isoformat(), c.name) for c in closures]


# --- The shipped data file ----------------------------------------------------------------------


def test_the_shipped_file_knows_exactly_these_school_years_and_regions() -> None:
    data = school_holiday_data()
    assert sorted(data.periods) == [
        ("2024-2025", "midden"),
        ("2024-2025", "noord"),
        ("2024-2025", "zuid"),
        ("2025-2026", "midden"),
        ("2025-2026", "noord"),
        ("2025-2026", "zuid"),
        ("2026-2027", "midden"),
    ]
    assert "rijksoverheid.nl" in data.source
    raw = json.loads(SCHOOL_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    entries = [e for regions in raw["school_years"].values() for es in regions.values() for e in es]
    assert len(entries) == 7 * 5
    assert all(e["verified"] is False for e in entries)
    for closures in data.periods.values():
        assert [c.name for c in closures] == [
            "Herfstvakantie",
            "Kerstvakantie",
            "Voorjaarsvakantie",
            "Meivakantie",
            "Zomervakantie",
        ]
        # Every period runs from a Saturday to a Sunday.
        assert {(c.first_day.weekday(), c.last_day.weekday()) for c in closures} == {(5, 6)}


@pytest.mark.parametrize(
    ("region", "school_year", "name", "first", "last"),
    [
        ("noord", "2024-2025", "Herfstvakantie", "2024-10-19", "2024-10-27"),
        ("midden", "2024-2025", "Herfstvakantie", "2024-10-26", "2024-11-03"),
        ("zuid", "2024-2025", "Zomervakantie", "2025-07-05", "2025-08-17"),
        ("midden", "2024-2025", "Zomervakantie", "2025-07-19", "2025-08-31"),
        ("noord", "2025-2026", "Voorjaarsvakantie", "2026-02-21", "2026-03-01"),
        ("zuid", "2025-2026", "Herfstvakantie", "2025-10-11", "2025-10-19"),
        ("midden", "2025-2026", "Meivakantie", "2026-04-25", "2026-05-03"),
        ("midden", "2026-2027", "Kerstvakantie", "2026-12-19", "2027-01-03"),
        ("midden", "2026-2027", "Zomervakantie", "2027-07-17", "2027-08-29"),
    ],
)
def test_national_periods(region, school_year, name, first, last) -> None:
    found = {c.name: c for c in national_periods(school_holiday_data(), region, school_year)}
    assert (found[name].first_day, found[name].last_day) == (D(first), D(last))
    assert found[name].kind == "vacation"
    assert found[name].verified is False


@pytest.mark.parametrize(
    ("region", "school_year"), [("noord", "2026-2027"), ("zuid", "2026-2027"), ("midden", "2027-2028")]
)
def test_a_region_or_year_not_in_the_file_is_not_known(region, school_year) -> None:
    data = school_holiday_data()
    assert national_periods(data, region, school_year) == ()
    assert national_closures(data, region, school_year) == ()
    assert not data.knows(region, school_year)


# --- School years --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2026-07-31", "2025-2026"), ("2026-08-01", "2026-2027"), ("2027-01-01", "2026-2027")],
)
def test_school_year_name(day, expected) -> None:
    assert school_year_name(D(day)) == expected


def test_school_year_bounds() -> None:
    assert school_year_bounds("2026-2027") == (D("2026-08-01"), D("2027-07-31"))
    for wrong in ("2026-2028", "2026/2027", "26-27", ""):
        with pytest.raises(ValueError):
            school_year_bounds(wrong)


# --- Public holidays on which schools close ------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # 2026: Koningsdag Mon 27 Apr; 5 May (Tue) is no lustrum year; 26 Dec is a Saturday.
        (
            "2026-01-01",
            "2026-12-31",
            [
                ("2026-01-01", "Nieuwjaarsdag"),
                ("2026-04-03", "Goede Vrijdag"),
                ("2026-04-06", "Tweede Paasdag"),
                ("2026-04-27", "Koningsdag"),
                ("2026-05-14", "Hemelvaartsdag"),
                ("2026-05-25", "Tweede Pinksterdag"),
                ("2026-12-25", "Eerste Kerstdag"),
            ],
        ),
        # 2025: Koningsdag on Sat 26 Apr (the 27th is a Sunday) is no weekday; 5 May (Mon) is a
        # lustrum year.
        (
            "2025-01-01",
            "2025-12-31",
            [
                ("2025-01-01", "Nieuwjaarsdag"),
                ("2025-04-18", "Goede Vrijdag"),
                ("2025-04-21", "Tweede Paasdag"),
                ("2025-05-05", "Bevrijdingsdag"),
                ("2025-05-29", "Hemelvaartsdag"),
                ("2025-06-09", "Tweede Pinksterdag"),
                ("2025-12-25", "Eerste Kerstdag"),
                ("2025-12-26", "Tweede Kerstdag"),
            ],
        ),
        # May 2027: 5 May is a Wednesday but 2027 is no lustrum year.
        (
            "2027-05-01",
            "2027-05-31",
            [("2027-05-06", "Hemelvaartsdag"), ("2027-05-17", "Tweede Pinksterdag")],
        ),
        # 5 May 2045 is a Friday in a lustrum year; 5 May 2030 a Sunday.
        ("2045-05-05", "2045-05-05", [("2045-05-05", "Bevrijdingsdag")]),
        ("2030-05-05", "2030-05-05", []),
        ("2026-05-05", "2026-05-05", []),
        # The range is inclusive and clips: Goede Vrijdag (3 Apr) is before it, Eerste Paasdag a Sunday.
        ("2026-04-04", "2026-04-06", [("2026-04-06", "Tweede Paasdag")]),
    ],
)
def test_public_holiday_closures(first, last, expected) -> None:
    found = public_holiday_closures(D(first), D(last))
    assert [(c.first_day.isoformat(), c.name) for c in found] == expected
    assert all(c.first_day == c.last_day and c.kind == "public_holiday" for c in found)


def test_national_closures_add_the_public_holidays_outside_the_holiday_periods() -> None:
    # 2025-2026 midden: Kerstdagen and Nieuwjaarsdag fall in the kerstvakantie, Koningsdag (27 Apr)
    # in the meivakantie (25 Apr - 3 May): they need no row of their own.
    found = national_closures(school_holiday_data(), "midden", "2025-2026")
    assert periods(found) == [
        ("2025-10-18", "2025-10-26", "Herfstvakantie"),
        ("2025-12-20", "2026-01-04", "Kerstvakantie"),
        ("2026-02-14", "2026-02-22", "Voorjaarsvakantie"),
        ("2026-04-03", "2026-04-03", "Goede Vrijdag"),
        ("2026-04-06", "2026-04-06", "Tweede Paasdag"),
        ("2026-04-25", "2026-05-03", "Meivakantie"),
        ("2026-05-14", "2026-05-14", "Hemelvaartsdag"),
        ("2026-05-25", "2026-05-25", "Tweede Pinksterdag"),
        ("2026-07-18", "2026-08-30", "Zomervakantie"),
    ]
    # 2024-2025 midden: the meivakantie ends Sun 4 May, so Mon 5 May 2025 (lustrum) is a day of its own.
    earlier = national_closures(school_holiday_data(), "midden", "2024-2025")
    assert [c.name for c in earlier if c.kind == "public_holiday"] == [
        "Goede Vrijdag",
        "Tweede Paasdag",
        "Bevrijdingsdag",
        "Hemelvaartsdag",
        "Tweede Pinksterdag",
    ]
    assert len(earlier) == 10


def test_non_school_days_expand_and_clip_the_periods() -> None:
    closures = [
        Closure(D("2026-04-25"), D("2026-05-03"), "vacation", "Meivakantie"),
        Closure(D("2026-05-14"), D("2026-05-14"), "public_holiday", "Hemelvaartsdag"),
        Closure(D("2026-06-01"), D("2026-06-01"), "study_day", "Studiedag"),
    ]
    days = non_school_days(closures, D("2026-04-27"), D("2026-05-15"))
    # 27 Apr - 3 May (7 days, Koningsdag in the meivakantie) and 14 May; 25-26 Apr and 1 Jun fall
    # outside the range.
    assert sorted(days) == [D(f"2026-04-{d}") for d in (27, 28, 29, 30)] + [
        D("2026-05-01"),
        D("2026-05-02"),
        D("2026-05-03"),
        D("2026-05-14"),
    ]
    assert D("2026-04-27") in days
    assert non_school_days([], D("2026-01-01"), D("2026-12-31")) == frozenset()


# --- Together with the school-day arithmetic (domain/schooldays.py) ------------------------------


def midden_2025_2026() -> frozenset[date]:
    return non_school_days(
        national_closures(school_holiday_data(), "midden", "2025-2026"), D("2025-08-01"), D("2026-07-31")
    )


def test_schorsing_starting_the_friday_before_the_herfstvakantie() -> None:
    closed = midden_2025_2026()
    # Herfstvakantie midden: Sat 18 - Sun 26 Oct 2025. Three school days from Fri 17 Oct: Fri 17,
    # Mon 27, Tue 28.
    assert school_day_end(D("2025-10-17"), 3, closed) == D("2025-10-28")
    duration = exclusion_duration(D("2025-10-17"), D("2025-10-28"), closed)
    assert (duration.school_days, duration.calendar_days) == (3, 12)
    # Three school days, but the end is 11 calendar days after the start: more than one week.
    assert not duration.within_one_week
    # Fri 17 - Mon 27 Oct: two school days, so it is reported to the Inspectie (LEGAL.md R6).
    assert exclusion_duration(D("2025-10-17"), D("2025-10-27"), closed).more_than_one_school_day
    # Without the school calendar, Mon 20 - Fri 24 would count as five school days.
    assert school_days_between(D("2025-10-17"), D("2025-10-28"), frozenset()) == 8


def test_the_kb_day_after_hemelvaart_is_a_school_day() -> None:
    # Wed 13 - Tue 19 May 2026 in midden: Wed 13, (Thu 14 Hemelvaart), Fri 15 (a KB day for the Atw,
    # but not a school closure), Mon 18, Tue 19 = 4 school days in 7 calendar days.
    duration = exclusion_duration(D("2026-05-13"), D("2026-05-19"), midden_2025_2026())
    assert (duration.school_days, duration.calendar_days) == (4, 7)
    assert duration.within_one_week


def test_the_regions_differ() -> None:
    data = school_holiday_data()
    zuid = non_school_days(national_closures(data, "zuid", "2025-2026"), D("2025-08-01"), D("2026-07-31"))
    # Mon 13 - Fri 17 Oct 2025: herfstvakantie in zuid (11-19 Oct), school days in midden.
    assert school_days_between(D("2025-10-13"), D("2025-10-17"), zuid) == 0
    assert school_days_between(D("2025-10-13"), D("2025-10-17"), midden_2025_2026()) == 5


# --- Invalid data is refused ---------------------------------------------------------------------

VALID = {
    "source": "Rijksoverheid, Schoolvakanties (test)",
    "school_years": {
        "2025-2026": {
            "midden": [
                {
                    "name": "herfstvakantie",
                    "first_day": "2025-10-18",
                    "last_day": "2025-10-26",
                    "verified": False,
                },
                {
                    "name": "kerstvakantie",
                    "first_day": "2025-12-20",
                    "last_day": "2026-01-04",
                    "verified": False,
                },
            ],
            "zuid": [
                # The same dates in another region are fine.
                {
                    "name": "kerstvakantie",
                    "first_day": "2025-12-20",
                    "last_day": "2026-01-04",
                    "verified": True,
                },
            ],
        }
    },
}


def mutated(change) -> dict:
    data = copy.deepcopy(VALID)
    change(data)
    return data


def first_period(data: dict) -> dict:
    return data["school_years"]["2025-2026"]["midden"][0]


def test_the_valid_example_parses() -> None:
    data = parse_holiday_data(VALID)
    assert periods(national_periods(data, "midden", "2025-2026")) == [
        ("2025-10-18", "2025-10-26", "Herfstvakantie"),
        ("2025-12-20", "2026-01-04", "Kerstvakantie"),
    ]
    assert [c.verified for c in national_periods(data, "zuid", "2025-2026")] == [True]
    assert data.school_years() == ("2025-2026",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: first_period(d).update(last_day="2025-10-17"), "before the first day"),
        (lambda d: first_period(d).update(first_day="2025-07-31"), "outside the school year"),
        (
            lambda d: first_period(d).update(first_day="2026-08-01", last_day="2026-08-02"),
            "outside the school year",
        ),
        (lambda d: first_period(d).update(last_day="2025-12-27"), "longer than 70 days"),
        (lambda d: first_period(d).update(last_day="2025-12-21"), "overlaps"),
        (lambda d: first_period(d).update(first_day="18-10-2025"), "not a date"),
        (lambda d: first_period(d).update(first_day=20251018), "YYYY-MM-DD"),
        (lambda d: first_period(d).update(name="  "), "needs a name"),
        (lambda d: first_period(d).update(verified="no"), "true or false"),
        (lambda d: d["school_years"]["2025-2026"].update(oost=[]), "unknown region"),
        (lambda d: d["school_years"]["2025-2026"].update(noord=[]), "no periods"),
        (lambda d: d["school_years"].update({"2025-2027": {}}), "not a school year"),
        (lambda d: d["school_years"].update({"2025/2026": {}}), "not a school year"),
        (lambda d: d.pop("source"), "source"),
        (lambda d: d.pop("school_years"), "school_years"),
    ],
)
def test_invalid_data_is_refused(change, message) -> None:
    with pytest.raises(SchoolCalendarDataError, match=message):
        parse_holiday_data(mutated(change))


def test_periods_overlapping_across_school_years_are_refused() -> None:
    data = mutated(
        lambda d: d["school_years"].update(
            {
                "2024-2025": {
                    "midden": [
                        {"name": "zomervakantie", "first_day": "2025-07-19", "last_day": "2025-08-31"},
                    ]
                }
            }
        )
    )
    parse_holiday_data(data)  # 31 Aug ends before the herfstvakantie: fine
    data["school_years"]["2024-2025"]["midden"][0]["first_day"] = "2025-07-31"
    data["school_years"]["2025-2026"]["midden"].insert(
        0, {"name": "studieweek", "first_day": "2025-08-30", "last_day": "2025-09-05"}
    )
    with pytest.raises(SchoolCalendarDataError, match="overlaps"):
        parse_holiday_data(data)
