"""`due_date(rule, start, calendar)`: the end of a term, with an explanation in Dutch.

Sources: Algemene termijnenwet art. 1 (a term ending on a Saturday, Sunday or recognised holiday
ends on the next day that is none of these), art. 2 (a term of three days or more contains at least
two such days), art. 4 (no extension for terms counted backwards, in hours, or longer than three
months); Verordening (EEG) 1182/71 art. 3 for the AVG month; WPO art. 43 lid 4 for the suspension
of the decision term while the GPO handles a case (LEGAL.md R19: the suspended days are added to the
raw end, then the Atw is applied once). Interpretations: LEGAL.md §10.

Pure: no database, no clock; the calendar (with its KB days) is an argument.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .calendar import KB_REASON, AtwCalendar, fmt, fmt_short, fmt_wd
from .errors import DeadlineError
from .rules import INTERPRETATIONS, Basis, Rule, Unit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Deadline:
    """The outcome of a rule: the due date (or instant), the raw end and the explanation."""

    rule: Rule
    start: date | datetime
    due: date | datetime
    raw_end: date | None = None
    late_after: date | None = None  # "onverwijld": overdue after this day
    explanation: tuple[str, ...] = ()

    @property
    def due_text(self) -> str:
        """YYYY-MM-DD, or the instant as YYYY-MM-DDTHH:MM+HH:MM for hour terms."""
        if isinstance(self.due, datetime):
            return format_instant(self.due)
        return self.due.isoformat()


def format_instant(moment: datetime) -> str:
    """2026-03-31T10:00+02:00 (seconds only when there are any)."""
    return moment.isoformat(timespec="seconds" if moment.second else "minutes")


def add_months(day: date, months: int) -> date:
    """The same date MONTHS later, or that month's last day when the date does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def raw_end(rule: Rule, start: date) -> date:
    """The last day of the term before any extension."""
    if rule.unit is Unit.DAYS:
        return start + timedelta(days=rule.amount)
    if rule.unit is Unit.WEEKS:
        return start + timedelta(weeks=rule.amount)
    if rule.unit is Unit.MONTHS:
        return add_months(start, rule.amount)
    raise ValueError(f"raw_end does not apply to unit {rule.unit}")


def describe_closed(calendar: AtwCalendar, days: Sequence[date]) -> str:
    """'14-5 Hemelvaartsdag, 15-5 bij KB gelijkgesteld, 16–17-5 weekend' for consecutive days."""
    runs: list[tuple[date, date, str]] = []
    for day in days:
        reason = calendar.closed_reason(day) or ""
        if runs and runs[-1][2] == reason and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, reason)
        else:
            runs.append((day, day, reason))
    parts = []
    for first, last, reason in runs:
        if first == last:
            span = fmt_short(first)
        elif first.month == last.month:
            span = f"{first.day}–{fmt_short(last)}"
        else:
            span = f"{fmt_short(first)}–{fmt_short(last)}"
        parts.append(f"{span} {reason}")
    return ", ".join(parts)


def _days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _check_range(calendar: AtwCalendar, *days: date) -> None:
    for day in days:
        if not calendar.in_range(day):
            raise DeadlineError(
                "date_out_of_range",
                f"{day.isoformat()} is outside the supported calendar "
                f"({calendar.first_day.isoformat()} to {calendar.last_day.isoformat()}).",
                date=day.isoformat(),
                first=calendar.first_day.isoformat(),
                last=calendar.last_day.isoformat(),
            )


@dataclass
class _Notes:
    """What every explanation ends with: KB-day warnings, source, interpretations, note."""

    kb_days: set[date]
    years: set[int]
    interpretations: set[int]

    @classmethod
    def empty(cls) -> _Notes:
        return cls(set(), set(), set())

    def look_at(self, calendar: AtwCalendar, days: Sequence[date]) -> None:
        for day in days:
            self.years.add(day.year)
            if calendar.closed_reason(day) == KB_REASON:
                self.kb_days.add(day)

    def lines(self, calendar: AtwCalendar, rule: Rule) -> list[str]:
        out: list[str] = []
        interpretations = set(rule.interpretations) | self.interpretations
        for alternative in rule.alternatives:
            interpretations |= set(alternative.interpretations)
        for day in sorted(self.kb_days):
            kb = calendar.kb_days[day]
            status = "geverifieerd" if kb.verified else "nog niet geverifieerd in de Staatscourant"
            source = f", bron: {kb.source}" if kb.source else ""
            out.append(f"{fmt(day)} is bij KB gelijkgesteld ({kb.description}{source}; {status}).")
            interpretations.add(9)
        covered = calendar.kb_years()
        missing = sorted(
            year for year in self.years if covered is None or not covered[0] <= year <= covered[1]
        )
        if missing:
            listed = ", ".join(str(year) for year in missing)
            out.append(
                f"Let op: voor {listed} zijn geen bij KB gelijkgestelde dagen vastgelegd; "
                "controleer de Staatscourant."
            )
        basis = {
            Basis.LAW: "wet",
            Basis.GUIDANCE: "richtlijn",
            Basis.POLICY: "beleid van de school" + (", instelbaar" if rule.configurable else ""),
        }[rule.basis]
        out.append(f"Bron: {rule.source} ({basis}).")
        for number in sorted(interpretations):
            out.append(f"interpretatie: {INTERPRETATIONS[number]}.")
        if rule.note:
            out.append(rule.note)
        return out


def _atw(
    rule: Rule, start: date, end: date, calendar: AtwCalendar, notes: _Notes
) -> tuple[date, str, str | None]:
    """Apply Atw art. 1 (and art. 2 when the rule says so) to END.

    Returns the extended end, the ';'-part naming the skipped days ('' when there are none) and
    the art. 2 sentence (None when art. 2 changed nothing).
    """
    due = calendar.next_open_day(end)
    _check_range(calendar, due)
    skipped = _days_between(end, due - timedelta(days=1)) if due > end else []
    notes.look_at(calendar, [end, *skipped, due])
    art1 = f"; {describe_closed(calendar, skipped)} → {fmt_wd(due)}" if skipped else ""
    art2: str | None = None
    if rule.atw_art2 and (end - start).days >= 3:
        term = _days_between(start + timedelta(days=1), due)
        open_days = sum(1 for day in term if not calendar.is_closed(day))
        extended = due
        while open_days < 2:
            extended = calendar.next_working_day_after(extended)
            _check_range(calendar, extended)
            open_days += 1
        if extended != due:
            notes.look_at(calendar, _days_between(due, extended))
            art2 = (
                "Atw art. 2: een termijn van drie dagen of meer bevat ten minste twee dagen die geen "
                f"zaterdag, zondag of feestdag zijn → {fmt_wd(extended)}"
            )
            due = extended
    return due, art1, art2


def _term_with_atw(
    rule: Rule, start: date, calendar: AtwCalendar, suspended_days: int, notes: _Notes
) -> tuple[date, date, list[str]]:
    """A term in days/weeks/months: raw end, (suspension), Atw. Returns due, raw end, lines."""
    end = raw_end(rule, start)
    _check_range(calendar, end)
    line = f"{rule.term_words} na {rule.start_event} op {fmt(start)} → {fmt_wd(end)}"
    if rule.unit is Unit.MONTHS and end.day != start.day:
        line += f" (de laatste dag van {MONTHS_NL[end.month - 1]}: die maand heeft geen {start.day}e)"
    raw = end
    if suspended_days:
        end = end + timedelta(days=suspended_days)
        _check_range(calendar, end)
        line += (
            f"; + {suspended_days} {'dag' if suspended_days == 1 else 'dagen'} opgeschort "
            f"(zaak bij de GPO, WPO art. 43 lid 4) → {fmt_wd(end)}"
        )
    lines: list[str] = []
    if rule.atw:
        due, art1, art2 = _atw(rule, start, end, calendar, notes)
        line += art1
        lines.append(line)
        if art2:
            lines.append(art2)
    else:
        due = end
        lines.append(line)
    notes.look_at(calendar, [start])
    return due, raw, lines


def _working_days(rule: Rule, start: date, calendar: AtwCalendar, notes: _Notes) -> Deadline:
    day, counted, skipped = start, 0, []
    while counted < rule.amount:
        day += timedelta(days=1)
        _check_range(calendar, day)
        if calendar.is_closed(day):
            skipped.append(day)
        else:
            counted += 1
    notes.look_at(calendar, [start, *skipped, day])
    line = f"{rule.term_words} na {rule.start_event} op {fmt(start)} (dag 0 telt niet) → {fmt_wd(day)}"
    if skipped:
        line += f"; overgeslagen: {describe_closed(calendar, skipped)}"
    return Deadline(
        rule=rule,
        start=start,
        due=day,
        raw_end=None,
        explanation=(line, *notes.lines(calendar, rule)),
    )


def _onverwijld(rule: Rule, start: date, calendar: AtwCalendar, notes: _Notes) -> Deadline:
    late_after = calendar.next_working_day_after(start)
    _check_range(calendar, late_after)
    between = _days_between(start + timedelta(days=1), late_after - timedelta(days=1))
    notes.look_at(calendar, [start, *between, late_after])
    line = (
        f"onverwijld na {rule.start_event} op {fmt_wd(start)}: af op {fmt_wd(start)}, "
        f"te laat na de volgende werkdag {fmt_wd(late_after)}"
    )
    if between:
        line += f" ({describe_closed(calendar, between)})"
    return Deadline(
        rule=rule,
        start=start,
        due=start,
        late_after=late_after,
        explanation=(line, *notes.lines(calendar, rule)),
    )


def _hours(rule: Rule, start: datetime, calendar: AtwCalendar, notes: _Notes) -> Deadline:
    if start.tzinfo is None or start.utcoffset() is None:
        raise DeadlineError(
            "instant_needs_offset",
            "This rule needs a date and time with a UTC offset, e.g. 2026-03-28T09:00+01:00.",
            rule=rule.code,
        )
    start_utc = start.astimezone(UTC)
    due_utc = start_utc + timedelta(hours=rule.amount)
    due = due_utc.astimezone(AMSTERDAM)
    _check_range(calendar, start.date(), due.date())
    notes.years.clear()  # KB days play no part in an hour term

    def local(moment: datetime) -> str:
        offset = moment.isoformat(timespec="minutes")[-6:]
        return f"{fmt(moment.date())} {moment:%H:%M} (UTC{offset})"

    lines = [
        f"{rule.term_words} na {rule.start_event} op {local(start)} → {fmt_wd(due.date())} "
        f"{due:%H:%M} (UTC{due.isoformat(timespec='minutes')[-6:]})",
        f"Gerekend in UTC: {start_utc:%H:%M} op {fmt(start_utc.date())} + {rule.term_words} = "
        f"{due_utc:%H:%M} op {fmt(due_utc.date())}.",
    ]
    local_start = start.astimezone(AMSTERDAM)
    if local_start.utcoffset() != due.utcoffset():
        lines.append("Tussendoor wisselt de klok tussen wintertijd en zomertijd: het blijven 72 echte uren.")
    lines.append("Een termijn in uren wordt niet verlengd voor weekend of feestdag (Atw art. 4).")
    return Deadline(
        rule=rule,
        start=start,
        due=due,
        explanation=(*lines, *notes.lines(calendar, rule)),
    )


def due_date(
    rule: Rule,
    start: date | datetime,
    calendar: AtwCalendar,
    *,
    suspended_days: int = 0,
) -> Deadline:
    """The deadline of RULE for an event on START, explained in Dutch.

    START is a date for every rule except those in hours (an aware datetime). SUSPENDED_DAYS (only
    for rules that may be suspended) are added to the raw end before the Atw is applied once.
    Raises DeadlineError for dates outside the calendar or inputs that do not fit the rule.
    """
    if suspended_days < 0:
        raise DeadlineError("invalid_amount", "Suspended days cannot be negative.", amount=suspended_days)
    if suspended_days and not rule.suspendable:
        raise DeadlineError(
            "not_suspendable", f"The term of {rule.code} cannot be suspended.", rule=rule.code
        )
    notes = _Notes.empty()
    if rule.unit is Unit.HOURS:
        if not isinstance(start, datetime):
            raise DeadlineError(
                "instant_needs_offset",
                "This rule needs a date and time with a UTC offset, e.g. 2026-03-28T09:00+01:00.",
                rule=rule.code,
            )
        return _hours(rule, start, calendar, notes)
    if isinstance(start, datetime):
        raise DeadlineError(
            "date_expected", "This rule needs a date (YYYY-MM-DD), not a time.", rule=rule.code
        )
    _check_range(calendar, start)
    if rule.start_is_extended_end and calendar.is_closed(start):
        extended = calendar.next_open_day(start)
        raise DeadlineError(
            "start_not_extended_end",
            f"{start.isoformat()} is a {calendar.closed_reason(start)} day: this rule starts at the "
            f"Atw-extended end of the bezwaar term ({extended.isoformat()}?).",
            date=start.isoformat(),
            extended=extended.isoformat(),
        )
    if rule.unit is Unit.WORKING_DAYS:
        return _working_days(rule, start, calendar, notes)
    if rule.unit is Unit.ONVERWIJLD:
        return _onverwijld(rule, start, calendar, notes)
    if rule.unit is Unit.EARLIEST:
        return _earliest(rule, start, calendar, notes)
    due, raw, lines = _term_with_atw(rule, start, calendar, suspended_days, notes)
    return Deadline(
        rule=rule,
        start=start,
        due=due,
        raw_end=raw,
        explanation=(*lines, *notes.lines(calendar, rule)),
    )


def _earliest(rule: Rule, start: date, calendar: AtwCalendar, notes: _Notes) -> Deadline:
    results = []
    lines = []
    for alternative in rule.alternatives:
        due, raw, alt_lines = _term_with_atw(alternative, start, calendar, 0, notes)
        results.append((due, raw))
        lines.append(f"{alternative.title}: {alt_lines[0]}")
        lines.extend(alt_lines[1:])
    due, raw = min(results)
    lines.insert(0, f"Het vroegste van {len(results)} termijnen → {fmt_wd(due)}")
    return Deadline(
        rule=rule,
        start=start,
        due=due,
        raw_end=raw,
        explanation=(*lines, *notes.lines(calendar, rule)),
    )
