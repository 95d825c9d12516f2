"""The rule `vervolgafspraak-ouders`: the follow-up appointment agreed with the parents (policy plan
16.5 "maak altijd een vervolgafspraak", 17.3, Bijlage 21). The due date IS the agreed date: 0 days,
no Atw extension, not even on a weekend, a holiday or a KB day.

Weekdays worked out by hand: 1 May 2026 is a Friday, so Tue 12 May, Thu 14 May (Hemelvaartsdag:
Easter 5 Apr + 39), Fri 15 May (KB day), Sat 16, Sun 17; Mon 27 Apr 2026 Koningsdag; Fri 25 Dec
2026; Fri 1 Jan 2027; Tue 29 Feb 2028 (1 Feb 2028 is a Tuesday).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from lev.deadlines.calendar_data import shipped_kb_days
from lev.deadlines.domain import RULE_CODES, AtwCalendar, DeadlineError, Unit, due_date, resolve_rule
from lev.deadlines.domain.rules import Basis
from lev.deadlines.models import DeadlineStatus
from lev.deadlines.services import deadline_open
from lev.schools.models import Role

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CAL = AtwCalendar(shipped_kb_days())
D = dt.date.fromisoformat

# (agreed date, due date, why)
CASES = [
    ("2026-05-12", "2026-05-12", "Tue 12 May: an ordinary working day"),
    ("2026-05-14", "2026-05-14", "Thu 14 May Hemelvaartsdag: not moved (no Atw)"),
    ("2026-05-15", "2026-05-15", "Fri 15 May, a KB day: not moved"),
    ("2026-05-16", "2026-05-16", "Sat 16 May: not moved to Monday"),
    ("2026-05-17", "2026-05-17", "Sun 17 May: not moved"),
    ("2026-04-27", "2026-04-27", "Mon 27 Apr Koningsdag: not moved"),
    ("2026-12-25", "2026-12-25", "Fri 25 Dec Eerste Kerstdag: not moved"),
    ("2027-01-01", "2027-01-01", "Fri 1 Jan 2027 Nieuwjaarsdag: not moved"),
    ("2028-02-29", "2028-02-29", "Tue 29 Feb 2028, a leap day"),
]


@pytest.mark.parametrize("school_type", ["bijzonder", "openbaar"])
@pytest.mark.parametrize(("start", "expected", "why"), CASES)
def test_the_due_date_is_the_agreed_date(school_type: str, start: str, expected: str, why: str) -> None:
    deadline = due_date(resolve_rule("vervolgafspraak-ouders", school_type=school_type), D(start), CAL)
    assert deadline.due == D(expected), why
    assert deadline.due_text == expected
    assert deadline.raw_end == D(expected)
    assert deadline.late_after is None


def test_the_rule_is_a_policy_term_of_0_days_without_atw() -> None:
    rule = resolve_rule("vervolgafspraak-ouders")
    assert (rule.amount, rule.unit, rule.atw, rule.basis) == (0, Unit.DAYS, False, Basis.POLICY)
    assert not rule.reminder and not rule.suspendable and not rule.configurable
    assert rule.title == "Vervolgafspraak met ouders"
    assert "vervolgafspraak-ouders" in RULE_CODES


def test_the_explanation_names_the_date_and_the_policy() -> None:
    deadline = due_date(resolve_rule("vervolgafspraak-ouders"), D("2026-05-14"), CAL)
    assert deadline.explanation[0] == "0 dagen na de afgesproken datum op 14-5-2026 → do 14-5-2026"
    assert deadline.explanation[1] == (
        "Bron: beleidsplan 16.5 (maak altijd een vervolgafspraak) en 17.3, Bijlage 21 "
        "(Lijst contacten met ouders) (beleid van de school)."
    )
    assert deadline.explanation[2] == (
        "De vervolgafspraak is de datum die met de ouders is afgesproken; LEV verschuift hem niet."
    )
    assert len(deadline.explanation) == 3  # no Atw, no KB-day note, no interpretation


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda rule: rule.with_amount(3), "not_configurable"),
        (lambda rule: due_date(rule, D("2026-05-14"), CAL, suspended_days=2), "not_suspendable"),
        (lambda rule: due_date(rule, D("2100-01-01"), CAL), "date_out_of_range"),
        (lambda rule: due_date(rule, dt.datetime(2026, 5, 14, 9, 0, tzinfo=AMSTERDAM), CAL), "date_expected"),
    ],
)
def test_what_the_rule_refuses(call, code: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        call(resolve_rule("vervolgafspraak-ouders"))
    assert caught.value.code == code


@pytest.mark.django_db
def test_the_deadline_command_prints_the_agreed_date_on_line_1() -> None:
    out = StringIO()
    call_command("deadline", "vervolgafspraak-ouders", "2026-05-14", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "2026-05-14"
    assert lines[1] == "0 dagen na de afgesproken datum op 14-5-2026 → do 14-5-2026"
    assert lines[-1] == "KB-gelijkgestelde dagen uit de database."


@pytest.mark.django_db
def test_a_deadline_row_is_due_that_day_and_overdue_from_the_next(world) -> None:
    now = dt.datetime(2026, 5, 1, 9, 0, tzinfo=AMSTERDAM)
    deadline = deadline_open(
        rule_code="vervolgafspraak-ouders",
        start=dt.date(2026, 5, 14),
        school=world.school_a,
        subject=("test", 1),
        responsible_role=Role.TEACHER,
        responsible_user=world.teacher_a,
        actor=world.teacher_a,
        now=now,
    )
    assert (deadline.due_on, deadline.status, deadline.reminder_only) == (
        dt.date(2026, 5, 14),
        DeadlineStatus.OPEN,
        False,
    )
    # Thu 14 May: overdue from Fri 15 May 00:00; reminders at 07:00 two working days before
    # (Wed 13 is one, Tue 12 is two) and on the day itself.
    assert deadline.overdue_at == dt.datetime(2026, 5, 15, 0, 0, tzinfo=AMSTERDAM)
    assert [r.send_at for r in deadline.reminders.order_by("send_at")] == [
        dt.datetime(2026, 5, 12, 7, 0, tzinfo=AMSTERDAM),
        dt.datetime(2026, 5, 14, 7, 0, tzinfo=AMSTERDAM),
    ]
