"""Time-out and schorsing (steps 5 and 6 of the ladder): duration, place, approval and the Inspectie report.

Sources:

- The policy plan, Bijlage 4 Stap 5 "Time-out": the pupil works in another group or with a
  professional elsewhere in the school; the director approves beforehand; "voor de rest van de dag"
  and "maximaal tot het einde van de week of maximaal 5 dagen". LEGAL.md R1: the maximum is a school
  setting — the rest of the day (default) or N school days (N ≤ 5); more than one day only when the
  setting allows it, with a warning that the Inspectie treats a longer internal time-out as a
  schorsing, and with the director's confirmation (guidance: Inspectie via Ingrado 2016).
- LEGAL.md R2 (guidance: GPO 2021): a pupil sent home is suspended, whatever the school calls it.
  "Pupil stays at home" is therefore refused as a time-out, and the refusal points to the schorsing.
- Approval of a time-out (the plan's Stap 5: "alleen ... na goedkeuring door de directeur"; LEGAL.md
  R1): the director approves; when the director asked for it, the deputy approves, or the director
  decides alone with a reason the board sees (the product's rule for the director's own request).
- WPO art. 40c lid 1 (LEGAL.md R3, §10.3): a schorsing lasts at most one week = at most 5 school
  days **and** an end at most 6 calendar days after the start (counted by
  `lev.deadlines.domain.schooldays` from the school's non-school days, which the caller passes in).
  No back-to-back schorsingen to get round it: a new schorsing starting within 5 school days after
  the end of the previous one needs a new incident (not linked to the previous one) and the board's
  approval, even when the director has a mandate.
- WPO art. 40c and the plan's Stap 6 (R4): the bevoegd gezag decides, asked beforehand; the director
  only under a recorded mandate. WPO art. 40c lid 1: the reasons are given.
- WPO art. 40c lid 3 (R6): a schorsing of more than one day is reported to the Inspectie onverwijld;
  "more than one day" = spans more than one school day, so a Friday + Monday schorsing is reported.

Pure: no database, no clock; the non-school days and the Atw calendar are arguments.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from lev.deadlines.domain import AtwCalendar, Deadline, due_date, resolve_rule
from lev.deadlines.domain.schooldays import (
    MAX_SCHORSING_CALENDAR_OFFSET,
    MAX_SCHORSING_SCHOOL_DAYS,
    ExclusionDuration,
    exclusion_duration,
    is_school_day,
    school_day_end,
    school_days_between,
)

from .errors import Notice, Outcome, StrPromise, fmt

MAX_TIME_OUT_SCHOOL_DAYS = 5  # the plan: "maximaal 5 dagen"
BACK_TO_BACK_SCHOOL_DAYS = 5  # LEGAL.md R3: a new schorsing within this many school days of the last

# The texts by code: English msgids, shown in the active language (Dutch) when a notice is made.
MESSAGES: dict[str, StrPromise] = {
    "time_out_at_home": _(
        "A pupil who stays at home is suspended, whatever the school calls it: a time-out is always "
        "inside the school. Start a schorsing instead of a time-out."
    ),
    "time_out_not_school_day": _(
        "A time-out is on a school day; {day} is not a school day. Choose {next_day}, for example."
    ),
    "end_before_start": _(
        "The end date is before the start date. Choose an end date on or after {first_day}."
    ),
    "time_out_rest_of_day": _(
        "Under the school's setting, a time-out lasts at most the rest of the day (Bijlage 4, stap 5). "
        "Choose {first_day} as the end date."
    ),
    "time_out_longer_than_setting": _(
        "Under the school's setting, a time-out lasts at most {max_days} school days (Bijlage 4, "
        "stap 5). Choose an end date on or before {latest}."
    ),
    "time_out_longer_than_a_day": _(
        "The Inspectie will readily treat a time-out of more than one day as a schorsing. Choose a "
        "schorsing, or confirm as the director that the pupil is taught inside the school on all "
        "those days."
    ),
    "director_confirmation_needed": _(
        "A time-out of more than one day needs the director's confirmation that the pupil is taught "
        "inside the school on all those days; the Inspectie will readily treat a longer time-out as a "
        "schorsing."
    ),
    "approver_not_allowed": _(
        "The director approves a time-out (Bijlage 4, stap 5). If the director requested the time-out, "
        "the deputy director approves it, or the director decides alone and gives a reason."
    ),
    "self_decision_needs_reason": _(
        "You requested this time-out yourself. Have the deputy director approve it, or write down why "
        "you are deciding yourself: the board sees that reason."
    ),
    "schorsing_not_school_day": _(
        "A schorsing starts on a school day; {day} is not a school day. Choose {next_day}, for example."
    ),
    "more_than_5_school_days": _(
        "A schorsing lasts at most one week (WPO art. 40c): at most 5 school days, and this is "
        "{school_days}. Choose an end date on or before {latest}."
    ),
    "more_than_6_calendar_days": _(
        "A schorsing lasts at most one week (WPO art. 40c): the end date is at most 6 days after the "
        "first day, even when there are days off in between. Choose an end date on or before {latest}."
    ),
    "reasons_missing": _(
        "Write down why the pupil is being suspended: the parents receive the reasons in writing "
        "(WPO art. 40c)."
    ),
    "overlaps_previous": _(
        "The previous schorsing runs up to and including {previous_last}. A new schorsing starts the "
        "day after at the earliest."
    ),
    "needs_new_incident": _(
        "This schorsing starts within 5 school days after the previous one ({previous_first} to "
        "{previous_last}). That is only possible after a new incident; link that incident (WPO art. "
        "40c: no back-to-back schorsingen to get round the one-week limit)."
    ),
    "needs_board_approval_back_to_back": _(
        "This schorsing starts within 5 school days after the previous one ({previous_first} to "
        "{previous_last}). It needs the board's approval, even when the director has a mandate "
        "(WPO art. 40c)."
    ),
    "needs_board_approval": _(
        "A schorsing first needs the board's approval, or a recorded mandate of the director "
        "(WPO art. 40c; Bijlage 4, stap 6)."
    ),
}


def _notice(code: str, field: str, **params: str) -> Notice:
    """The notice CODE for FIELD: its text translated now (the active language), then formatted."""
    return Notice(code, field, str(MESSAGES[code]).format(**params), params)


def next_school_day(day: date, non_school_days: Collection[date]) -> date:
    """DAY itself when it is a school day, otherwise the first school day after it."""
    while not is_school_day(day, non_school_days):
        day += timedelta(days=1)
    return day


def last_school_day_on_or_before(day: date, non_school_days: Collection[date]) -> date:
    while not is_school_day(day, non_school_days):
        day -= timedelta(days=1)
    return day


# --- time-out (R1, R2) ---------------------------------------------------------------------------


class TimeOutPlace(StrEnum):
    IN_SCHOOL = "in_school"  # another group, or a professional elsewhere in the school
    AT_HOME = "at_home"  # not a time-out: a schorsing (R2)


@dataclass(frozen=True)
class TimeOutSetting:
    """The school's maximum: None = the rest of the day (default), or N school days (1 ≤ N ≤ 5)."""

    max_school_days: int | None = None

    def __post_init__(self) -> None:
        if self.max_school_days is not None and not 1 <= self.max_school_days <= MAX_TIME_OUT_SCHOOL_DAYS:
            raise ValueError(f"a time-out lasts 1 to {MAX_TIME_OUT_SCHOOL_DAYS} school days at most")


def check_time_out(
    *,
    first_day: date,
    last_day: date,
    place: TimeOutPlace | str,
    setting: TimeOutSetting,
    non_school_days: Collection[date],
    director_confirmed: bool = False,
) -> Outcome:
    """R1/R2: a time-out in the school, on a school day, within the school's maximum.

    More than one school day gives a warning and needs DIRECTOR_CONFIRMED.
    """
    if TimeOutPlace(place) is TimeOutPlace.AT_HOME:
        return Outcome(refusals=(_notice("time_out_at_home", "place", offer="schorsing"),))
    if not is_school_day(first_day, non_school_days):
        next_day = fmt(next_school_day(first_day, non_school_days))
        return Outcome(
            refusals=(_notice("time_out_not_school_day", "first_day", day=fmt(first_day), next_day=next_day),)
        )
    if last_day < first_day:
        return Outcome(refusals=(_notice("end_before_start", "last_day", first_day=fmt(first_day)),))
    if setting.max_school_days is None:
        if last_day != first_day:
            return Outcome(refusals=(_notice("time_out_rest_of_day", "last_day", first_day=fmt(first_day)),))
        return Outcome()
    school_days = school_days_between(first_day, last_day, non_school_days)
    if school_days > setting.max_school_days:
        latest = school_day_end(first_day, setting.max_school_days, non_school_days)
        return Outcome(
            refusals=(
                _notice(
                    "time_out_longer_than_setting",
                    "last_day",
                    max_days=str(setting.max_school_days),
                    latest=fmt(latest),
                ),
            )
        )
    if school_days <= 1:
        return Outcome()
    warning = _notice("time_out_longer_than_a_day", "last_day")
    if director_confirmed:
        return Outcome(warnings=(warning,))
    return Outcome(
        refusals=(_notice("director_confirmation_needed", "director_confirmed"),), warnings=(warning,)
    )


class Role(StrEnum):
    """Who asks for or approves a time-out."""

    TEACHER = "teacher"
    DIRECTOR = "director"
    DEPUTY_DIRECTOR = "deputy_director"


def check_time_out_approval(
    *, requested_by: Role | str, approved_by: Role | str, same_person: bool, self_decision_reason: str = ""
) -> Outcome:
    """The director approves; when the director asked, the deputy approves or the director decides
    alone with a reason (SELF_DECISION_REASON) the board sees."""
    requester, approver = Role(requested_by), Role(approved_by)
    if approver is Role.DIRECTOR:
        if same_person and not self_decision_reason.strip():
            return Outcome(refusals=(_notice("self_decision_needs_reason", "self_decision_reason"),))
        return Outcome()
    if approver is Role.DEPUTY_DIRECTOR and requester is Role.DIRECTOR:
        return Outcome()
    return Outcome(refusals=(_notice("approver_not_allowed", "approved_by"),))


# --- schorsing (R3, R4, R6) ----------------------------------------------------------------------


def latest_schorsing_end(first_day: date, non_school_days: Collection[date]) -> date:
    """The last school day a schorsing starting on FIRST_DAY (a school day) may end on.

    The earlier of the 5th school day and FIRST_DAY + 6 calendar days, moved back to a school day.
    """
    bound = min(
        school_day_end(first_day, MAX_SCHORSING_SCHOOL_DAYS, non_school_days),
        first_day + timedelta(days=MAX_SCHORSING_CALENDAR_OFFSET),
    )
    return last_school_day_on_or_before(bound, non_school_days)


def check_schorsing_period(first_day: date, last_day: date, non_school_days: Collection[date]) -> Outcome:
    """R3: start on a school day, end not before the start, at most one week (5 school days and 6 days)."""
    if not is_school_day(first_day, non_school_days):
        next_day = fmt(next_school_day(first_day, non_school_days))
        return Outcome(
            refusals=(
                _notice("schorsing_not_school_day", "first_day", day=fmt(first_day), next_day=next_day),
            )
        )
    if last_day < first_day:
        return Outcome(refusals=(_notice("end_before_start", "last_day", first_day=fmt(first_day)),))
    duration = exclusion_duration(first_day, last_day, non_school_days)
    latest = fmt(latest_schorsing_end(first_day, non_school_days))
    if duration.school_days > MAX_SCHORSING_SCHOOL_DAYS:
        return Outcome(
            refusals=(
                _notice(
                    "more_than_5_school_days",
                    "last_day",
                    school_days=str(duration.school_days),
                    latest=latest,
                ),
            )
        )
    if not duration.within_one_week:
        return Outcome(refusals=(_notice("more_than_6_calendar_days", "last_day", latest=latest),))
    return Outcome()


def needs_inspectie_report(first_day: date, last_day: date, non_school_days: Collection[date]) -> bool:
    """R6: a schorsing spanning more than one school day is reported to the Inspectie."""
    return exclusion_duration(first_day, last_day, non_school_days).more_than_one_school_day


def inspectie_report_due(decided_on: date, calendar: AtwCalendar) -> Deadline:
    """R6: the report is due onverwijld after the decision (the deadline calculator's SLA)."""
    return due_date(resolve_rule("inspectie-melding-schorsing"), decided_on, calendar)


@dataclass(frozen=True)
class PreviousSchorsing:
    """The pupil's latest earlier schorsing and the incidents linked to it."""

    first_day: date
    last_day: date
    incidents: frozenset[Hashable] = frozenset()


def is_back_to_back(first_day: date, previous: PreviousSchorsing, non_school_days: Collection[date]) -> bool:
    """R3: FIRST_DAY is on or before the 5th school day after the end of PREVIOUS."""
    after_previous = previous.last_day + timedelta(days=1)
    return school_days_between(after_previous, first_day, non_school_days) <= BACK_TO_BACK_SCHOOL_DAYS


def check_back_to_back(
    *,
    first_day: date,
    incidents: Collection[Hashable],
    board_approved: bool,
    previous: PreviousSchorsing | None,
    non_school_days: Collection[date],
) -> Outcome:
    """R3: what a schorsing starting soon after the previous one is missing (a new incident, the board).

    Refuses an overlap with the previous schorsing outright.
    """
    if previous is None:
        return Outcome()
    shown = {"previous_first": fmt(previous.first_day), "previous_last": fmt(previous.last_day)}
    if first_day <= previous.last_day:
        return Outcome(refusals=(_notice("overlaps_previous", "first_day", **shown),))
    if not is_back_to_back(first_day, previous, non_school_days):
        return Outcome()
    missing: list[Notice] = []
    if not set(incidents) - set(previous.incidents):
        missing.append(_notice("needs_new_incident", "incidents", **shown))
    if not board_approved:
        missing.append(_notice("needs_board_approval_back_to_back", "board_approved", **shown))
    return Outcome(refusals=tuple(missing))


class Decider(StrEnum):
    """Who takes the schorsing decision (R4)."""

    BOARD = "board"
    DIRECTOR_UNDER_MANDATE = "director_under_mandate"


def schorsing_decider(*, board_approved: bool, director_mandate: bool, back_to_back: bool) -> Decider | None:
    """R4: the board when it approved; otherwise the director under mandate (not for a back-to-back one)."""
    if board_approved:
        return Decider.BOARD
    if director_mandate and not back_to_back:
        return Decider.DIRECTOR_UNDER_MANDATE
    return None


@dataclass(frozen=True)
class SchorsingRequest:
    first_day: date
    last_day: date
    reasons: str
    incidents: frozenset[Hashable] = frozenset()
    board_approved: bool = False
    director_mandate: bool = False


@dataclass(frozen=True)
class SchorsingCheck(Outcome):
    """The outcome plus what follows from the dates: the duration, the Inspectie report, the decider."""

    duration: ExclusionDuration | None = None
    latest_last_day: date | None = None
    back_to_back: bool = False
    needs_inspectie_report: bool = False
    decider: Decider | None = None


def check_schorsing(
    request: SchorsingRequest,
    non_school_days: Collection[date],
    previous: PreviousSchorsing | None = None,
) -> SchorsingCheck:
    """R3, R4 and R6 together: every refusal, and the facts the decision needs."""
    refusals: list[Notice] = []
    refusals.extend(check_schorsing_period(request.first_day, request.last_day, non_school_days).refusals)
    if not request.reasons.strip():
        refusals.append(_notice("reasons_missing", "reasons"))
    back = check_back_to_back(
        first_day=request.first_day,
        incidents=request.incidents,
        board_approved=request.board_approved,
        previous=previous,
        non_school_days=non_school_days,
    )
    refusals.extend(back.refusals)
    back_to_back = (
        previous is not None
        and request.first_day > previous.last_day
        and is_back_to_back(request.first_day, previous, non_school_days)
    )
    decider = schorsing_decider(
        board_approved=request.board_approved,
        director_mandate=request.director_mandate,
        back_to_back=back_to_back,
    )
    if decider is None and not back_to_back:  # a back-to-back one already says the board must approve
        refusals.append(_notice("needs_board_approval", "board_approved"))
    valid_dates = is_school_day(request.first_day, non_school_days) and request.last_day >= request.first_day
    duration = (
        exclusion_duration(request.first_day, request.last_day, non_school_days) if valid_dates else None
    )
    return SchorsingCheck(
        refusals=tuple(refusals),
        duration=duration,
        latest_last_day=latest_schorsing_end(request.first_day, non_school_days) if valid_dates else None,
        back_to_back=back_to_back,
        needs_inspectie_report=duration is not None and duration.more_than_one_school_day,
        decider=decider,
    )
