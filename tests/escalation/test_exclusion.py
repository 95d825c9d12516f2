"""Time-out and schorsing rules of escalation/domain/exclusion.py, with dates worked out by hand (no database).

Weekday anchors: Wed 15 Oct 2025; Mon 9 Mar 2026; Wed 15 Apr 2026; Wed 13 May 2026. The school
calendars are built by hand for each test (the caller of the rules passes the non-school days in):

- the autumn holiday 2025 (regions noord and midden): Mon 20 to Fri 24 Oct 2025;
- a study day on Wed 11 Mar 2026 (or on Mon 16 Mar 2026);
- Hemelvaartsdag Thu 14 May 2026 and the Friday after it, Fri 15 May 2026, when the school is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from escalation.domain.errors import RuleRefused
from escalation.domain.exclusion import (
    Decider,
    PreviousSchorsing,
    Role,
    SchorsingRequest,
    TimeOutPlace,
    TimeOutSetting,
    check_back_to_back,
    check_schorsing,
    check_schorsing_period,
    check_time_out,
    check_time_out_approval,
    inspectie_report_due,
    is_back_to_back,
    latest_schorsing_end,
    needs_inspectie_report,
)
from lev.deadlines.domain import AtwCalendar, KBDay

D = date.fromisoformat
NONE: frozenset[date] = frozenset()
AUTUMN_2025 = frozenset(D("2025-10-20") + timedelta(days=i) for i in range(5))  # Mon 20 – Fri 24 Oct
STUDY_DAY_WED = frozenset({D("2026-03-11")})
STUDY_DAY_MON = frozenset({D("2026-03-16")})
ASCENSION_2026 = frozenset({D("2026-05-14"), D("2026-05-15")})
CAL = AtwCalendar([KBDay(D("2026-05-15"), "vrijdag na Hemelvaartsdag", "Stcrt.")])


@pytest.fixture(autouse=True, scope="module")
def _dutch() -> Iterator[None]:
    """The texts are checked in Dutch, the interface language: the Dutch catalogue translates the msgids."""
    with translation.override("nl"):
        yield


# --- schorsing: at most one week (R3) -------------------------------------------------------------

# (first, last, non-school days, expected refusal code or None, latest allowed end, reasoning)
PERIODS = [
    ("2026-03-09", "2026-03-13", NONE, None, "2026-03-13",
     "Mon 9 – Fri 13 Mar: 5 school days, end = start + 4"),
    ("2026-04-15", "2026-04-21", NONE, None, "2026-04-21",
     "Wed 15 – Tue 21 Apr: Wed Thu Fri Mon Tue = 5 school days, end = start + 6: the exact limit"),
    ("2026-03-10", "2026-03-16", NONE, None, "2026-03-16",
     "Tue 10 – Mon 16 Mar: 4 + 1 = 5 school days, end = start + 6"),
    ("2026-03-11", "2026-03-15", NONE, None, "2026-03-17",
     "Wed 11 – Sun 15 Mar: 3 school days; an end on a Sunday is fine. Latest: Tue 17 (5th, +6)"),
    ("2026-03-09", "2026-03-16", NONE, "more_than_5_school_days", "2026-03-13",
     "Mon 9 – Mon 16 Mar: 6 school days. Latest: min(5th school day Fri 13, Sun 15) = Fri 13"),
    ("2026-03-10", "2026-03-17", NONE, "more_than_5_school_days", "2026-03-16",
     "Tue 10 – Tue 17 Mar: 6 school days. Latest: min(Mon 16, Mon 16) = Mon 16"),
    ("2025-10-15", "2025-10-28", AUTUMN_2025, "more_than_6_calendar_days", "2025-10-17",
     "Wed 15 – Tue 28 Oct 2025 over the autumn holiday: Wed Thu Fri + Mon Tue = 5 school days, but "
     "the end is start + 13. Latest: min(5th school day Tue 28, Tue 21) = Tue 21, a holiday -> Fri 17"),
    ("2025-10-16", "2025-10-27", AUTUMN_2025, "more_than_6_calendar_days", "2025-10-17",
     "Thu 16 – Mon 27 Oct 2025: only 3 school days, end = start + 11"),
    ("2026-03-09", "2026-03-16", STUDY_DAY_WED, "more_than_6_calendar_days", "2026-03-13",
     "Mon 9 – Mon 16 Mar with a study day on Wed 11: Mon Tue Thu Fri Mon = 5 school days, end = "
     "start + 7. Latest: min(5th school day Mon 16, Sun 15) = Sun 15 -> Fri 13"),
    ("2026-05-13", "2026-05-20", ASCENSION_2026, "more_than_6_calendar_days", "2026-05-19",
     "Wed 13 – Wed 20 May 2026, school closed Thu 14 and Fri 15: 13, 18, 19, 20 = 4 school days, "
     "end = start + 7. Latest: min(5th school day Thu 21, Tue 19) = Tue 19 (the UX.md example)"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "last", "closed", "code", "latest", "why"), PERIODS)
def test_schorsing_periods(
    first: str, last: str, closed: frozenset[date], code: str | None, latest: str, why: str
) -> None:
    outcome = check_schorsing_period(D(first), D(last), closed)
    assert outcome.codes == (() if code is None else (code,)), why
    assert latest_schorsing_end(D(first), closed) == D(latest), why
    if code is not None:
        notice = outcome.refusals[0]
        assert notice.field == "last_day"
        assert notice.message.startswith("Een schorsing duurt ten hoogste één week (WPO art. 40c)")
        assert notice.message.endswith(f"Kies een einddatum op of vóór {D(latest).strftime('%d-%m-%Y')}.")


def test_six_school_days_are_refused_with_the_count() -> None:
    outcome = check_schorsing_period(D("2026-03-09"), D("2026-03-16"), NONE)
    assert outcome.refusals[0].message == (
        "Een schorsing duurt ten hoogste één week (WPO art. 40c): ten hoogste 5 schooldagen, en dit zijn "
        "er 6. Kies een einddatum op of vóór 13-03-2026."
    )


def test_five_school_days_over_a_holiday_are_refused_by_the_calendar_limit() -> None:
    outcome = check_schorsing_period(D("2025-10-15"), D("2025-10-28"), AUTUMN_2025)
    assert outcome.refusals[0].message == (
        "Een schorsing duurt ten hoogste één week (WPO art. 40c): de einddatum ligt uiterlijk 6 dagen na "
        "de eerste dag, ook als er vrije dagen tussen liggen. Kies een einddatum op of vóór 17-10-2025."
    )
    # Without the holiday the same dates are 10 school days.
    assert check_schorsing_period(D("2025-10-15"), D("2025-10-28"), NONE).codes == (
        "more_than_5_school_days",
    )


@pytest.mark.parametrize(
    ("first", "closed", "next_day"),
    [
        ("2026-03-14", NONE, "16-03-2026"),  # Saturday -> Monday
        ("2026-03-11", STUDY_DAY_WED, "12-03-2026"),  # the study day -> Thursday
        ("2025-10-22", AUTUMN_2025, "27-10-2025"),  # in the autumn holiday -> the Monday after
    ],
)
def test_a_schorsing_starts_on_a_school_day(first: str, closed: frozenset[date], next_day: str) -> None:
    outcome = check_schorsing_period(D(first), D(first) + timedelta(days=2), closed)
    assert outcome.codes == ("schorsing_not_school_day",)
    assert outcome.refusals[0].field == "first_day"
    assert outcome.refusals[0].message.endswith(f"Kies bijvoorbeeld {next_day}.")


def test_a_message_is_translated_when_the_notice_is_made() -> None:
    with translation.override("en"):
        english = check_schorsing_period(D("2026-03-10"), D("2026-03-09"), NONE).refusals[0]
    dutch = check_schorsing_period(D("2026-03-10"), D("2026-03-09"), NONE).refusals[0]
    assert english.code == dutch.code == "end_before_start"
    assert (
        english.message == "The end date is before the start date. Choose an end date on or after 10-03-2026."
    )
    assert dutch.message == "De einddatum ligt vóór de begindatum. Kies een einddatum op of na 10-03-2026."
    assert english.params == dutch.params == {"first_day": "10-03-2026"}


def test_an_end_before_the_start_is_refused() -> None:
    outcome = check_schorsing_period(D("2026-03-10"), D("2026-03-09"), NONE)
    assert outcome.codes == ("end_before_start",)
    assert (
        outcome.refusals[0].message
        == "De einddatum ligt vóór de begindatum. Kies een einddatum op of na 10-03-2026."
    )
    with pytest.raises(RuleRefused) as refused:
        outcome.raise_if_refused()
    assert refused.value.field == "last_day"


# --- the Inspectie report (R6) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "closed", "report", "why"),
    [
        ("2026-03-13", "2026-03-16", NONE, True, "Fri 13 + Mon 16: two school days"),
        ("2026-03-16", "2026-03-16", NONE, False, "a single Monday"),
        ("2026-03-13", "2026-03-15", NONE, False, "Fri 13 to Sun 15: one school day"),
        ("2026-03-13", "2026-03-16", STUDY_DAY_MON, False, "Fri 13 + Mon 16 as a study day: one school day"),
        ("2026-05-13", "2026-05-18", ASCENSION_2026, True, "Wed 13 + Mon 18 over Ascension: two school days"),
    ],
)
def test_inspectie_report_when_more_than_one_school_day(
    first: str, last: str, closed: frozenset[date], report: bool, why: str
) -> None:
    assert needs_inspectie_report(D(first), D(last), closed) is report, why


def test_the_inspectie_report_is_due_onverwijld() -> None:
    # Decided Fri 13 Mar 2026: due the same day, overdue after the next working day, Mon 16 Mar.
    deadline = inspectie_report_due(D("2026-03-13"), CAL)
    assert deadline.rule.code == "inspectie-melding-schorsing"
    assert deadline.due == D("2026-03-13")
    assert deadline.late_after == D("2026-03-16")


# --- back-to-back schorsingen (R3) ----------------------------------------------------------------

PREVIOUS = PreviousSchorsing(D("2026-03-09"), D("2026-03-11"), frozenset({"incident-1"}))


@pytest.mark.parametrize(
    ("first", "closed", "back_to_back", "why"),
    [
        ("2026-03-12", NONE, True, "Thu 12: the 1st school day after Wed 11"),
        ("2026-03-17", NONE, True, "Tue 17: Thu 12, Fri 13, Mon 16, Tue 17 = the 4th"),
        ("2026-03-18", NONE, True, "Wed 18: the 5th school day after the end"),
        ("2026-03-19", NONE, False, "Thu 19: the 6th"),
        (
            "2026-03-19",
            STUDY_DAY_MON,
            True,
            "Thu 19 with Mon 16 a study day: Thu, Fri, Tue, Wed, Thu = the 5th",
        ),
    ],
)
def test_back_to_back_counts_school_days_after_the_previous_end(
    first: str, closed: frozenset[date], back_to_back: bool, why: str
) -> None:
    assert is_back_to_back(D(first), PREVIOUS, closed) is back_to_back, why


@pytest.mark.parametrize(
    ("incidents", "board_approved", "missing"),
    [
        ({"incident-1"}, False, ("needs_new_incident", "needs_board_approval_back_to_back")),
        ({"incident-1", "incident-2"}, False, ("needs_board_approval_back_to_back",)),
        ({"incident-1"}, True, ("needs_new_incident",)),
        (set(), True, ("needs_new_incident",)),
        ({"incident-2"}, True, ()),
    ],
)
def test_a_second_schorsing_within_5_school_days_needs_a_new_incident_and_the_board(
    incidents: set[str], board_approved: bool, missing: tuple[str, ...]
) -> None:
    outcome = check_back_to_back(
        first_day=D("2026-03-17"),
        incidents=incidents,
        board_approved=board_approved,
        previous=PREVIOUS,
        non_school_days=NONE,
    )
    assert outcome.codes == missing
    for notice in outcome.refusals:
        assert "(09-03-2026 t/m 11-03-2026)" in notice.message  # LEV shows the previous one
        assert notice.params["previous_last"] == "11-03-2026"


def test_after_5_school_days_a_new_schorsing_is_an_ordinary_one() -> None:
    outcome = check_back_to_back(
        first_day=D("2026-03-19"),
        incidents={"incident-1"},
        board_approved=False,
        previous=PREVIOUS,
        non_school_days=NONE,
    )
    assert outcome.ok


def test_a_schorsing_overlapping_the_previous_one_is_refused() -> None:
    outcome = check_back_to_back(
        first_day=D("2026-03-11"),
        incidents={"x"},
        board_approved=True,
        previous=PREVIOUS,
        non_school_days=NONE,
    )
    assert outcome.codes == ("overlaps_previous",)


# --- the whole schorsing: reasons, who decides (R4) -----------------------------------------------


def _request(**changes: object) -> SchorsingRequest:
    values: dict[str, object] = {
        "first_day": D("2026-03-13"),
        "last_day": D("2026-03-16"),
        "reasons": "Schopte een medeleerling na eerdere time-outs.",
        "incidents": frozenset({"incident-2"}),
    }
    values.update(changes)
    return SchorsingRequest(**values)  # type: ignore[arg-type]


def test_the_board_decides_or_the_director_under_mandate() -> None:
    by_board = check_schorsing(_request(board_approved=True), NONE)
    assert by_board.ok
    assert by_board.decider is Decider.BOARD
    by_director = check_schorsing(_request(director_mandate=True), NONE)
    assert by_director.ok
    assert by_director.decider is Decider.DIRECTOR_UNDER_MANDATE
    neither = check_schorsing(_request(), NONE)
    assert neither.codes == ("needs_board_approval",)
    assert neither.refusals[0].message.startswith("Schorsing vraagt eerst goedkeuring van het bestuur")
    assert neither.decider is None


def test_a_back_to_back_schorsing_needs_the_board_even_under_mandate() -> None:
    # Previous Mon 9 – Wed 11 Mar; the new one starts Fri 13 (2nd school day after) with a new incident.
    check = check_schorsing(_request(director_mandate=True), NONE, previous=PREVIOUS)
    assert check.back_to_back
    assert check.codes == ("needs_board_approval_back_to_back",)
    assert check.decider is None
    approved = check_schorsing(_request(director_mandate=True, board_approved=True), NONE, previous=PREVIOUS)
    assert approved.ok
    assert approved.decider is Decider.BOARD


def test_the_reasons_are_required() -> None:
    check = check_schorsing(_request(reasons="  ", board_approved=True), NONE)
    assert check.codes == ("reasons_missing",)
    assert check.refusals[0].field == "reasons"


def test_the_check_reports_the_duration_and_the_inspectie_report() -> None:
    check = check_schorsing(_request(board_approved=True), NONE)  # Fri 13 + Mon 16 Mar
    assert check.duration is not None
    assert (check.duration.school_days, check.duration.calendar_days) == (2, 4)
    assert check.needs_inspectie_report
    assert check.latest_last_day == D("2026-03-19")  # min(5th school day Thu 19, Thu 19)
    single = check_schorsing(_request(first_day=D("2026-03-16"), board_approved=True), NONE)
    assert not single.needs_inspectie_report


def test_every_refusal_is_collected() -> None:
    check = check_schorsing(
        _request(last_day=D("2026-03-23"), reasons="", incidents=frozenset({"incident-1"})),
        NONE,
        previous=PREVIOUS,
    )
    assert check.codes == (
        "more_than_5_school_days",
        "reasons_missing",
        "needs_new_incident",
        "needs_board_approval_back_to_back",
    )
    assert {notice.field for notice in check.refusals} == {
        "last_day",
        "reasons",
        "incidents",
        "board_approved",
    }


# --- time-out (R1, R2) --------------------------------------------------------------------------


def test_a_pupil_at_home_is_not_on_time_out() -> None:
    outcome = check_time_out(
        first_day=D("2026-03-09"),
        last_day=D("2026-03-09"),
        place=TimeOutPlace.AT_HOME,
        setting=TimeOutSetting(),
        non_school_days=NONE,
    )
    assert outcome.codes == ("time_out_at_home",)
    notice = outcome.refusals[0]
    assert notice.field == "place"
    assert notice.params["offer"] == "schorsing"
    assert "is geschorst" in notice.message
    assert notice.message.endswith("Start een schorsing in plaats van een time-out.")


def test_the_default_maximum_is_the_rest_of_the_day() -> None:
    def run(last: str) -> tuple[str, ...]:
        return check_time_out(
            first_day=D("2026-03-09"),
            last_day=D(last),
            place="in_school",
            setting=TimeOutSetting(),
            non_school_days=NONE,
        ).codes

    assert run("2026-03-09") == ()
    assert run("2026-03-10") == ("time_out_rest_of_day",)


@pytest.mark.parametrize(
    ("first", "last", "closed", "confirmed", "codes", "warnings", "why"),
    [
        ("2026-03-12", "2026-03-12", NONE, False, (), (), "one day: no warning"),
        ("2026-03-12", "2026-03-16", NONE, False, ("director_confirmation_needed",), ("time_out_longer_than_a_day",),
         "Thu 12, Fri 13, Mon 16 = 3 school days: needs the director's confirmation"),
        ("2026-03-12", "2026-03-16", NONE, True, (), ("time_out_longer_than_a_day",),
         "confirmed: allowed, the warning stays"),
        ("2026-03-12", "2026-03-17", NONE, True, ("time_out_longer_than_setting",), (),
         "Thu 12 – Tue 17 = 4 school days > 3"),
        ("2026-03-12", "2026-03-17", STUDY_DAY_MON, True, (), ("time_out_longer_than_a_day",),
         "with Mon 16 a study day: Thu, Fri, Tue = 3 school days"),
        ("2026-03-14", "2026-03-16", NONE, True, ("time_out_not_school_day",), (), "a Saturday"),
        ("2026-03-12", "2026-03-11", NONE, True, ("end_before_start",), (), "end before start"),
    ],
)  # fmt: skip
def test_a_school_setting_of_three_school_days(
    first: str,
    last: str,
    closed: frozenset[date],
    confirmed: bool,
    codes: tuple[str, ...],
    warnings: tuple[str, ...],
    why: str,
) -> None:
    outcome = check_time_out(
        first_day=D(first),
        last_day=D(last),
        place=TimeOutPlace.IN_SCHOOL,
        setting=TimeOutSetting(max_school_days=3),
        non_school_days=closed,
        director_confirmed=confirmed,
    )
    assert (outcome.codes, outcome.warning_codes) == (codes, warnings), why


def test_the_time_out_limit_names_the_last_allowed_day() -> None:
    outcome = check_time_out(
        first_day=D("2026-03-12"),
        last_day=D("2026-03-17"),
        place=TimeOutPlace.IN_SCHOOL,
        setting=TimeOutSetting(max_school_days=3),
        non_school_days=NONE,
    )
    # 3 school days from Thu 12: Thu 12, Fri 13, Mon 16.
    assert outcome.refusals[0].message.endswith("Kies een einddatum op of vóór 16-03-2026.")
    warning = check_time_out(
        first_day=D("2026-03-12"),
        last_day=D("2026-03-13"),
        place=TimeOutPlace.IN_SCHOOL,
        setting=TimeOutSetting(max_school_days=3),
        non_school_days=NONE,
        director_confirmed=True,
    ).warnings[0]
    assert "ziet de Inspectie al snel als een schorsing" in warning.message


@pytest.mark.parametrize("days", [0, 6, -1])
def test_a_time_out_setting_is_1_to_5_school_days(days: int) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        TimeOutSetting(max_school_days=days)


@pytest.mark.parametrize(
    ("requested_by", "approved_by", "same_person", "reason", "codes"),
    [
        (Role.TEACHER, Role.DIRECTOR, False, "", ()),
        (Role.TEACHER, Role.DEPUTY_DIRECTOR, False, "", ("approver_not_allowed",)),
        (Role.TEACHER, Role.TEACHER, True, "", ("approver_not_allowed",)),
        (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, False, "", ()),
        (Role.DIRECTOR, Role.DIRECTOR, True, "", ("self_decision_needs_reason",)),
        (Role.DIRECTOR, Role.DIRECTOR, True, "Adjunct is op kamp; direct ingrijpen nodig.", ()),
    ],
)
def test_who_approves_a_time_out(
    requested_by: Role, approved_by: Role, same_person: bool, reason: str, codes: tuple[str, ...]
) -> None:
    outcome = check_time_out_approval(
        requested_by=requested_by,
        approved_by=approved_by,
        same_person=same_person,
        self_decision_reason=reason,
    )
    assert outcome.codes == codes


# --- a property ---------------------------------------------------------------------------------

SPRING_2026 = [D("2026-03-02") + timedelta(days=i) for i in range(42)]


@given(
    first=st.sampled_from(SPRING_2026),
    length=st.integers(min_value=0, max_value=16),
    closed=st.frozensets(st.sampled_from(SPRING_2026), max_size=10),
)
def test_no_accepted_schorsing_exceeds_5_school_days_or_6_calendar_days(
    first: date, length: int, closed: frozenset[date]
) -> None:
    last = first + timedelta(days=length)
    outcome = check_schorsing_period(first, last, closed)
    if outcome.ok:
        school_days = sum(
            1
            for i in range(length + 1)
            if (first + timedelta(days=i)).weekday() < 5 and first + timedelta(days=i) not in closed
        )
        assert 1 <= school_days <= 5
        assert length <= 6
    if first.weekday() < 5 and first not in closed:
        # The end LEV suggests is always accepted, and never before the start.
        latest = latest_schorsing_end(first, closed)
        assert latest >= first
        assert check_schorsing_period(first, latest, closed).ok
