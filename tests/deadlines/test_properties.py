"""Properties of the Atw rules (Hypothesis, no database): for every rule that follows the Atw, the
due date is never a weekend or Atw day, never earlier than the raw term, and never earlier when a
holiday is added."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lev.deadlines.calendar_data import shipped_kb_days
from lev.deadlines.domain import AtwCalendar, KBDay, Rule, Unit, due_date, raw_end, resolve_rule

CAL = AtwCalendar(shipped_kb_days())

ATW_RULES = [
    resolve_rule("bezwaar-verwijdering"),
    resolve_rule("bezwaar-verwijdering", school_type="openbaar"),
    resolve_rule("beslissing-bezwaar-verwijdering"),
    resolve_rule("beroep-schorsing"),
    resolve_rule("bezwaar-schorsing", school_type="openbaar"),
    resolve_rule("gpo-oordeel"),
    resolve_rule("avg-verzoek"),
    resolve_rule("correctieverzoek-dossier"),
    resolve_rule("evaluatie-omgangsregels"),
    resolve_rule("beroep-schorsing").with_amount(3),
    Rule(
        code="test-3-dagen",
        title="drie dagen",
        amount=3,
        unit=Unit.DAYS,
        atw=True,
        start_event="x",
        source="Atw",
    ),
]

starts = st.dates(min_value=date(2014, 1, 1), max_value=date(2099, 6, 30))
rules = st.sampled_from(ATW_RULES)


def _raw(rule: Rule, start: date) -> date:
    if rule.unit is Unit.EARLIEST:
        return min(raw_end(alternative, start) for alternative in rule.alternatives)
    return raw_end(rule, start)


@given(rule=rules, start=starts)
def test_due_date_is_never_a_weekend_or_atw_day(rule: Rule, start: date) -> None:
    due = due_date(rule, start, CAL).due
    assert isinstance(due, date)
    assert due.weekday() < 5
    assert not CAL.is_closed(due)


@given(rule=rules, start=starts)
def test_due_date_is_never_earlier_than_the_raw_term(rule: Rule, start: date) -> None:
    assert due_date(rule, start, CAL).due >= _raw(rule, start)


@given(rule=rules, start=starts, offset=st.integers(min_value=0, max_value=120))
def test_adding_a_holiday_never_makes_the_due_date_earlier(rule: Rule, start: date, offset: int) -> None:
    extra = start + timedelta(days=offset)
    before = due_date(rule, start, CAL).due
    after = due_date(rule, start, CAL.with_kb_day(KBDay(extra, "extra"))).due
    assert after >= before


@given(start=starts, offset=st.integers(min_value=0, max_value=30))
def test_working_days_skip_closed_days_and_never_move_earlier(start: date, offset: int) -> None:
    rule = resolve_rule("veilig-thuis-beoordeling")
    due = due_date(rule, start, CAL).due
    assert isinstance(due, date)
    assert not CAL.is_closed(due)
    open_days = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(1 for day in open_days if not CAL.is_closed(day)) == 5
    extra = start + timedelta(days=offset)
    assert due_date(rule, start, CAL.with_kb_day(KBDay(extra, "extra"))).due >= due
