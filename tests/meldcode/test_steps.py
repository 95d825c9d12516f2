"""The five steps of meldcode/domain/steps.py: every guard both ways, the order of the steps, the
skipped conversation (M4), closing (M2, M3), and the feedback reminder (M6). No database.

The expected refusals below are written out by hand from LEGAL.md §4 (M1–M6), the plan's §14.2 and
Bijlage 27, not generated from the table under test. The texts are checked against the English
msgids (the Dutch catalogue translates them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from lev.deadlines.domain import AtwCalendar, DeadlineError, KBDay, resolve_rule
from meldcode.domain.afwegingskader import Outcome, evaluate
from meldcode.domain.errors import MeldcodeRefused
from meldcode.domain.steps import (
    EVENT_GUARDS,
    EVENT_LABELS,
    FEEDBACK_RULE,
    GUARDS,
    STEPS,
    CaseFacts,
    Event,
    Step,
    TeacherStatus,
    check,
    check_step,
    feedback_reminder_due,
    melding_day,
    next_actions,
    next_step,
    require,
    step_done,
    teacher_status,
)

E = Event
D = date.fromisoformat

# The KB day of 2026 that the deadline tests use too (Friday after Hemelvaartsdag).
CAL = AtwCalendar([KBDay(D("2026-05-15"), "vrijdag na Hemelvaartsdag", "Stcrt.")])
CAL_WITHOUT_KB = AtwCalendar()

S123 = frozenset({Step.SIGNALS, Step.CONSULTATION, Step.CONVERSATION})
S1234 = S123 | {Step.WEIGHING}
ALL = frozenset(Step)
REASON = "Vader dreigde bij het vorige gesprek de leerkracht te slaan; een gesprek brengt het kind in gevaar."
AGREEMENTS = "Maandelijks contact met het wijkteam tot de zomervakantie."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The texts are checked as their English msgids."""
    with translation.override("en"):
        yield


def codes(event: Event, facts: CaseFacts) -> tuple[str, ...]:
    return tuple(notice.code for notice in check(event, facts).refusals)


# --- the steps as data ----------------------------------------------------------------------------


def test_the_five_steps_in_the_order_of_the_law() -> None:
    assert [(spec.number, spec.code, str(spec.name)) for spec in STEPS.values()] == [
        (1, "signals", "Map the signals"),
        (2, "consultation", "Collegial consultation and advice from Veilig Thuis"),
        (3, "conversation", "Conversation with the parents"),
        (4, "weighing", "Weigh and assess the worries"),
        (5, "decision", "Decide on melden and help"),
    ]
    assert [spec.step for spec in STEPS.values()] == list(Step)


def test_what_each_step_must_record() -> None:
    # Issue point 2 and §14.2: the kindcheck in step 1 (M7), Veilig Thuis's advice in step 2, the
    # agreements of the conversation in step 3, the afwegingskader in step 4, melden AND help in step 5.
    assert {step: spec.required for step, spec in STEPS.items()} == {
        Step.SIGNALS: ("history", "signals", "kindcheck"),
        Step.CONSULTATION: ("consulted", "advice", "veilig_thuis"),
        Step.CONVERSATION: ("participants", "discussed", "agreements"),
        Step.WEIGHING: ("weighing_questions", "afwegingskader"),
        Step.DECISION: ("decision_melden", "decision_hulp", "reasons", "decided_by"),
    }
    optional = {step: [r.code for r in spec.records if not r.required] for step, spec in STEPS.items()}
    assert optional == {
        Step.SIGNALS: ["signal_list", "questions"],
        Step.CONSULTATION: ["letselduiding"],
        Step.CONVERSATION: ["signed"],
        Step.WEIGHING: ["balansmodel", "shared_with"],
        Step.DECISION: [],
    }


@pytest.mark.parametrize(
    ("step", "filled", "missing"),
    [
        (Step.SIGNALS, {"date", "author", "history", "signals", "kindcheck"}, ()),
        (Step.SIGNALS, {"date", "author", "history", "signals"}, ("kindcheck",)),
        (Step.SIGNALS, {"history", "signals", "kindcheck", "signal_list"}, ("date", "author")),
        (Step.CONVERSATION, {"date", "author", "participants", "discussed"}, ("agreements",)),
        (Step.DECISION, {"date", "author", "decision_melden", "reasons", "decided_by"}, ("decision_hulp",)),
        (Step.WEIGHING, set(), ("date", "author", "weighing_questions", "afwegingskader")),
    ],
)
def test_check_step_names_each_missing_record_on_its_field(
    step: Step, filled: set[str], missing: tuple[str, ...]
) -> None:
    result = check_step(step, filled)
    assert result.ok is (not missing)
    assert result.codes == tuple(f"missing_{code}" for code in missing)
    assert tuple(notice.field for notice in result.refusals) == missing
    for notice in result.refusals:
        assert notice.message == f"This is required for step {int(step)} ({STEPS[step].name})."


# --- the event table: nothing recorded, and each event's own facts ---------------------------------

# With nothing recorded (CaseFacts()): every failing guard, in the table's order.
BARE: dict[Event, tuple[str, ...]] = {
    E.RECORD_SIGNALS: (),
    E.RECORD_CONSULTATION: ("step_1_recorded",),
    E.RECORD_CONVERSATION: ("step_2_recorded",),
    E.SKIP_CONVERSATION: ("step_2_recorded", "skip_reason_given"),
    E.ANSWER_QUESTION: ("step_3_done",),
    E.RECORD_WEIGHING: ("step_3_done", "afweging_started"),
    E.RECORD_DECISION: (
        "step_4_recorded",
        "afweging_outcome",
        "decision_melden_given",
        "decision_hulp_given",
    ),
    E.RECORD_MELDING: ("decision_recorded", "melden_decided"),
    E.RECORD_FEEDBACK: ("melding_recorded",),
    E.RECORD_HELP: ("decision_recorded", "hulp_decided"),
    E.CLOSE_CASE: ("all_steps_done", "afweging_finished"),
}

# Facts in which each event is allowed (what a care coordinator would have recorded first).
READY: dict[Event, CaseFacts] = {
    E.RECORD_SIGNALS: CaseFacts(),
    E.RECORD_CONSULTATION: CaseFacts(steps_done=frozenset({Step.SIGNALS})),
    E.RECORD_CONVERSATION: CaseFacts(steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION})),
    E.SKIP_CONVERSATION: CaseFacts(
        steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION}), conversation_skip_reason=REASON
    ),
    E.ANSWER_QUESTION: CaseFacts(steps_done=S123),
    E.RECORD_WEIGHING: CaseFacts(steps_done=S123, afweging_next_question="q2"),
    E.RECORD_DECISION: CaseFacts(
        steps_done=S1234,
        afweging_outcome=Outcome.HELP,
        afweging_next_question="q5",
        decision_melden=False,
        decision_hulp=True,
    ),
    E.RECORD_MELDING: CaseFacts(steps_done=ALL, decision_melden=True),
    E.RECORD_FEEDBACK: CaseFacts(steps_done=ALL, decision_melden=True, melding_recorded=True),
    E.RECORD_HELP: CaseFacts(steps_done=ALL, decision_hulp=True),
    E.CLOSE_CASE: CaseFacts(
        steps_done=ALL,
        afweging_outcome=Outcome.CLOSE,
        afweging_next_question=None,
        decision_melden=False,
        decision_hulp=False,
    ),
}


def test_the_tables_cover_every_event() -> None:
    assert set(BARE) == set(READY) == set(EVENT_GUARDS) == set(EVENT_LABELS) == set(Event)
    used = {name for guards in EVENT_GUARDS.values() for name in guards}
    assert used == set(GUARDS)


@pytest.mark.parametrize("event", list(Event))
def test_with_nothing_recorded(event: Event) -> None:
    result = check(event, CaseFacts())
    assert codes(event, CaseFacts()) == BARE[event]
    assert result.allowed is (not BARE[event])
    assert all(notice.message.endswith(".") for notice in result.refusals)


@pytest.mark.parametrize("event", list(Event))
def test_with_the_events_own_facts(event: Event) -> None:
    result = check(event, READY[event])
    assert result.allowed, result.reason
    assert result.refusals == ()
    assert result.reason == ""
    require(event, READY[event])  # does not raise


# --- every guard both ways -------------------------------------------------------------------------


def _r(event: Event, **changes: object) -> CaseFacts:
    return dataclasses.replace(READY[event], **changes)  # type: ignore[arg-type]


# (guard, event, facts in which the guard fails, facts in which it holds). Where the guard holds,
# the event is allowed; where it fails, the guard is among the refusals.
BOTH_WAYS: list[tuple[str, Event, CaseFacts, CaseFacts]] = [
    # A case cannot skip a step (M1).
    ("step_1_recorded", E.RECORD_CONSULTATION, CaseFacts(), READY[E.RECORD_CONSULTATION]),
    ("step_2_recorded", E.RECORD_CONVERSATION, _r(E.RECORD_CONVERSATION, steps_done=frozenset({Step.SIGNALS})),
     READY[E.RECORD_CONVERSATION]),
    ("step_3_done", E.RECORD_WEIGHING, _r(E.RECORD_WEIGHING, steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION})),
     READY[E.RECORD_WEIGHING]),
    ("step_4_recorded", E.RECORD_DECISION, _r(E.RECORD_DECISION, steps_done=S123), READY[E.RECORD_DECISION]),
    # The conversation may be left out only with a reason, and only while it was not held (M4).
    ("conversation_not_held", E.SKIP_CONVERSATION, _r(E.SKIP_CONVERSATION, steps_done=S123),
     READY[E.SKIP_CONVERSATION]),
    ("skip_reason_given", E.SKIP_CONVERSATION, _r(E.SKIP_CONVERSATION, conversation_skip_reason=" \n "),
     READY[E.SKIP_CONVERSATION]),
    # The afwegingskader (M2).
    ("afweging_started", E.RECORD_WEIGHING, _r(E.RECORD_WEIGHING, afweging_next_question="q1"),
     READY[E.RECORD_WEIGHING]),
    ("afweging_not_finished", E.ANSWER_QUESTION,
     _r(E.ANSWER_QUESTION, afweging_outcome=Outcome.CLOSE, afweging_next_question=None),
     READY[E.ANSWER_QUESTION]),
    ("melding_before_veilig_thuis_questions", E.ANSWER_QUESTION,
     _r(E.ANSWER_QUESTION, afweging_outcome=Outcome.REPORT, afweging_next_question="q3", report_required=True),
     _r(E.ANSWER_QUESTION, afweging_outcome=Outcome.REPORT, afweging_next_question="q3", report_required=True,
        melding_recorded=True)),
    ("help_before_question_5", E.ANSWER_QUESTION,
     _r(E.ANSWER_QUESTION, afweging_outcome=Outcome.HELP, afweging_next_question="q5"),
     _r(E.ANSWER_QUESTION, afweging_outcome=Outcome.HELP, afweging_next_question="q5", help_organised=True)),
    ("afweging_outcome", E.RECORD_DECISION, _r(E.RECORD_DECISION, afweging_outcome=None, afweging_next_question="q4"),
     READY[E.RECORD_DECISION]),
    # Step 5 decides on melden AND help (M1).
    ("decision_melden_given", E.RECORD_DECISION, _r(E.RECORD_DECISION, decision_melden=None),
     READY[E.RECORD_DECISION]),
    ("decision_hulp_given", E.RECORD_DECISION, _r(E.RECORD_DECISION, decision_hulp=None),
     READY[E.RECORD_DECISION]),
    ("melden_when_required", E.RECORD_DECISION,
     _r(E.RECORD_DECISION, afweging_outcome=Outcome.REPORT, afweging_next_question="q3", report_required=True),
     _r(E.RECORD_DECISION, afweging_outcome=Outcome.REPORT, afweging_next_question="q3", report_required=True,
        decision_melden=True)),
    ("no_melding_without_suspicion", E.RECORD_DECISION,
     _r(E.RECORD_DECISION, afweging_outcome=Outcome.CLOSE, afweging_next_question=None, decision_melden=True),
     _r(E.RECORD_DECISION, afweging_outcome=Outcome.CLOSE, afweging_next_question=None, decision_melden=False)),
    ("hulp_when_accepted", E.RECORD_DECISION, _r(E.RECORD_DECISION, decision_hulp=False),
     READY[E.RECORD_DECISION]),
    # A melding only after the decision of step 5 (or when the afwegingskader requires it).
    ("decision_recorded", E.RECORD_MELDING, _r(E.RECORD_MELDING, steps_done=S1234), READY[E.RECORD_MELDING]),
    ("melden_decided", E.RECORD_MELDING, _r(E.RECORD_MELDING, decision_melden=False), READY[E.RECORD_MELDING]),
    ("decision_recorded", E.RECORD_HELP, _r(E.RECORD_HELP, steps_done=S1234), READY[E.RECORD_HELP]),
    ("hulp_decided", E.RECORD_HELP, _r(E.RECORD_HELP, decision_hulp=False), READY[E.RECORD_HELP]),
    ("melding_recorded", E.RECORD_FEEDBACK, _r(E.RECORD_FEEDBACK, melding_recorded=False),
     READY[E.RECORD_FEEDBACK]),
    # Closing (M2, M3).
    ("all_steps_done", E.CLOSE_CASE, _r(E.CLOSE_CASE, steps_done=S1234), READY[E.CLOSE_CASE]),
    ("afweging_finished", E.CLOSE_CASE,
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.HELP, afweging_next_question="q5", decision_hulp=True,
        help_organised=True),
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.CLOSE_WITH_MONITORING, decision_hulp=True, help_organised=True,
        monitoring_agreements=AGREEMENTS)),
    ("required_melding_recorded", E.CLOSE_CASE,
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.REPORT, report_required=True, decision_melden=True),
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.REPORT, report_required=True, decision_melden=True,
        melding_recorded=True)),
    ("decided_melding_recorded", E.CLOSE_CASE, _r(E.CLOSE_CASE, decision_melden=True),
     _r(E.CLOSE_CASE, decision_melden=True, melding_recorded=True)),
    ("new_melding_recorded", E.CLOSE_CASE,
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.REPORT, report_required=True, help_failed=True,
        decision_melden=True, melding_recorded=True),
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.REPORT, report_required=True, help_failed=True,
        decision_melden=True, melding_recorded=True, melding_after_help_failed=True)),
    ("decided_help_recorded", E.CLOSE_CASE, _r(E.CLOSE_CASE, decision_hulp=True),
     _r(E.CLOSE_CASE, decision_hulp=True, help_organised=True)),
    ("monitoring_agreed", E.CLOSE_CASE,
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.CLOSE_WITH_MONITORING, decision_hulp=True, help_organised=True,
        monitoring_agreements="  "),
     _r(E.CLOSE_CASE, afweging_outcome=Outcome.CLOSE_WITH_MONITORING, decision_hulp=True, help_organised=True,
        monitoring_agreements=AGREEMENTS)),
]  # fmt: skip


def test_every_guard_is_tested_both_ways() -> None:
    assert {guard for guard, *_ in BOTH_WAYS} == set(GUARDS)


@pytest.mark.parametrize(
    ("guard", "event", "failing", "holding"),
    BOTH_WAYS,
    ids=[f"{guard}-{event.value}" for guard, event, *_ in BOTH_WAYS],
)
def test_guard_both_ways(guard: str, event: Event, failing: CaseFacts, holding: CaseFacts) -> None:
    refused = check(event, failing)
    assert not refused.allowed
    assert guard in codes(event, failing)
    notice = next(n for n in refused.refusals if n.code == guard)
    assert notice.field == GUARDS[guard].field
    assert notice.message
    with pytest.raises(MeldcodeRefused) as raised:
        require(event, failing)
    assert raised.value.code == refused.code
    assert raised.value.refusals == refused.refusals

    allowed = check(event, holding)
    assert allowed.allowed, allowed.reason
    assert guard not in codes(event, holding)


# --- a case cannot skip a step ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps_done", "event", "code"),
    [
        # Step 2 without step 1; step 3 without step 2 (even with step 1 recorded).
        (frozenset(), E.RECORD_CONSULTATION, "step_1_recorded"),
        (frozenset({Step.SIGNALS}), E.RECORD_CONVERSATION, "step_2_recorded"),
        (frozenset({Step.SIGNALS}), E.SKIP_CONVERSATION, "step_2_recorded"),
        # Step 4 without step 3, though steps 1 and 2 are there.
        (frozenset({Step.SIGNALS, Step.CONSULTATION}), E.RECORD_WEIGHING, "step_3_done"),
        # Step 5 without step 4, though 1-3 are there.
        (S123, E.RECORD_DECISION, "step_4_recorded"),
        # A hole in the middle counts too: 1, 2, 4 and 5 recorded but not 3 and no reason to skip it.
        (ALL - {Step.CONVERSATION}, E.CLOSE_CASE, "all_steps_done"),
    ],
)
def test_a_case_cannot_skip_a_step(steps_done: frozenset[Step], event: Event, code: str) -> None:
    facts = dataclasses.replace(READY[event], steps_done=steps_done)
    assert codes(event, facts)[0] == code


def test_the_refusal_names_both_steps() -> None:
    result = check(E.RECORD_DECISION, _r(E.RECORD_DECISION, steps_done=S123))
    assert result.reason == (
        "Step 5 (Decide on melden and help) follows step 4 (Weigh and assess the worries). Record step 4 first."
    )
    result = check(E.CLOSE_CASE, _r(E.CLOSE_CASE, steps_done=frozenset({Step.SIGNALS, Step.WEIGHING})))
    assert result.reason == (
        "Close the case only after all five steps. Not done yet: 2 (Collegial consultation and advice from "
        "Veilig Thuis), 3 (Conversation with the parents), 5 (Decide on melden and help)."
    )


def test_next_step_and_step_done() -> None:
    assert next_step(CaseFacts()) is Step.SIGNALS
    assert next_step(CaseFacts(steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION}))) is Step.CONVERSATION
    assert next_step(CaseFacts(steps_done=S1234)) is Step.DECISION
    assert next_step(CaseFacts(steps_done=ALL)) is None
    # A hole: the first step not done.
    assert next_step(CaseFacts(steps_done=frozenset({Step.SIGNALS, Step.WEIGHING}))) is Step.CONSULTATION
    assert not step_done(CaseFacts(), Step.SIGNALS)
    assert step_done(CaseFacts(steps_done=frozenset({Step.SIGNALS})), Step.SIGNALS)


def test_a_recorded_step_may_be_recorded_again_while_the_case_is_open() -> None:
    # More signals after step 4, a new consultation: each is a new dated entry of that step.
    facts = CaseFacts(steps_done=S1234, afweging_next_question="q3")
    assert check(E.RECORD_SIGNALS, facts).allowed
    assert check(E.RECORD_CONSULTATION, facts).allowed
    assert check(E.RECORD_CONVERSATION, facts).allowed


# --- leaving out the conversation with the parents (M4) -------------------------------------------


def test_skipping_the_conversation_with_a_reason_counts_as_step_3() -> None:
    facts = CaseFacts(
        steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION}),
        conversation_skip_reason=REASON,
        afweging_next_question="q2",
    )
    assert check(E.SKIP_CONVERSATION, facts).allowed
    assert facts.conversation_skipped
    assert step_done(facts, Step.CONVERSATION)
    assert next_step(facts) is Step.WEIGHING
    assert check(E.ANSWER_QUESTION, facts).allowed
    assert check(E.RECORD_WEIGHING, facts).allowed


@pytest.mark.parametrize("reason", ["", " ", "\t\n"])
def test_skipping_the_conversation_without_a_reason_is_refused(reason: str) -> None:
    facts = CaseFacts(
        steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION}), conversation_skip_reason=reason
    )
    result = check(E.SKIP_CONVERSATION, facts)
    assert result.code == "skip_reason_given"
    assert result.refusals[0].field == "conversation_skip_reason"
    assert result.reason == (
        "The conversation with the parents may be left out only when there are concrete indications that "
        "holding it could put the safety of someone involved at risk. Record that reason (policy plan §14.2)."
    )
    assert not facts.conversation_skipped
    assert (
        check(E.RECORD_WEIGHING, dataclasses.replace(facts, afweging_next_question="q2")).code
        == "step_3_done"
    )


def test_a_conversation_held_cannot_be_left_out_afterwards_but_a_skipped_one_can_be_held_later() -> None:
    held = CaseFacts(steps_done=S123, conversation_skip_reason=REASON)
    assert check(E.SKIP_CONVERSATION, held).code == "conversation_not_held"
    assert not held.conversation_skipped  # the conversation is recorded: it was not left out
    skipped = CaseFacts(
        steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION}), conversation_skip_reason=REASON
    )
    assert check(E.RECORD_CONVERSATION, skipped).allowed


# --- the afwegingskader's state in the facts --------------------------------------------------------

YES, NO = True, False


@pytest.mark.parametrize(
    ("answers", "outcome", "next_question", "report_required", "help_failed", "finished"),
    [
        ({}, None, "q1", False, False, False),
        ({"q1": NO}, "close", None, False, False, True),
        ({"q1": YES, "q2": YES}, "report", "q3", True, False, False),
        ({"q1": YES, "q2": YES, "q3": NO}, "report", None, True, False, True),
        ({"q1": YES, "q2": NO, "q3": YES, "q4": YES}, "help", "q5", False, False, False),
        # Question 5 "no": the help did not lead to safety in time.
        ({"q1": YES, "q2": NO, "q3": YES, "q4": YES, "q5": NO}, "report", None, True, True, True),
        ({"q1": YES, "q2": YES, "q3": YES, "q4": YES, "q5": NO}, "report", None, True, True, True),
        (
            {"q1": YES, "q2": YES, "q3": YES, "q4": YES, "q5": YES},
            "close_with_monitoring",
            None,
            True,
            False,
            True,
        ),
    ],
)
def test_with_decision_copies_the_afwegingskader(
    answers: dict[str, bool],
    outcome: str | None,
    next_question: str | None,
    report_required: bool,
    help_failed: bool,
    finished: bool,
) -> None:
    facts = CaseFacts(steps_done=S123, melding_recorded=True).with_decision(evaluate(answers))
    assert (facts.afweging_outcome, facts.afweging_next_question) == (outcome, next_question)
    assert (facts.report_required, facts.help_failed, facts.afweging_finished) == (
        report_required,
        help_failed,
        finished,
    )
    assert facts.steps_done == S123 and facts.melding_recorded  # the rest is kept


# --- step 5 and the melding -------------------------------------------------------------------------


def test_a_melding_is_refused_before_step_5() -> None:
    # The afwegingskader requires a melding (question 2: acute unsafety), but step 5 is not recorded.
    facts = CaseFacts(steps_done=S1234).with_decision(evaluate({"q1": YES, "q2": YES}))
    result = check(E.RECORD_MELDING, facts)
    assert result.code == "decision_recorded"
    assert result.reason == "Record the decision of step 5 (decide on melden and help) first."


def test_a_melding_is_refused_when_step_5_decided_not_to_melden() -> None:
    facts = CaseFacts(steps_done=ALL, decision_melden=False, decision_hulp=True).with_decision(
        evaluate({"q1": YES, "q2": NO, "q3": YES, "q4": YES})
    )
    assert codes(E.RECORD_MELDING, facts) == ("melden_decided",)


def test_a_melding_is_allowed_when_the_afwegingskader_requires_it_after_the_decision() -> None:
    # Step 5 decided "no melding, help"; then the help failed (question 5: no), so the afwegingskader
    # requires a melding: it may be recorded without a new decision.
    facts = CaseFacts(
        steps_done=ALL, decision_melden=False, decision_hulp=True, help_organised=True
    ).with_decision(evaluate({"q1": YES, "q2": NO, "q3": YES, "q4": YES, "q5": NO}))
    assert check(E.RECORD_MELDING, facts).allowed


def test_step_5_cannot_decide_against_a_required_melding_and_shows_the_m3_rule() -> None:
    facts = CaseFacts(steps_done=S1234, decision_melden=False, decision_hulp=False).with_decision(
        evaluate({"q1": YES, "q2": YES})
    )
    result = check(E.RECORD_DECISION, facts)
    assert result.code == "melden_when_required"
    assert result.refusals[0].field == "decision_melden"
    assert result.reason.startswith(
        "The afwegingskader requires a melding at Veilig Thuis: decide to make the melding. LEV follows "
        "the afwegingskader of Bijlage 27"
    )
    assert "Section 14.2 of the policy plan" in result.reason


def test_step_5_needs_an_outcome_of_the_afwegingskader() -> None:
    # q1 yes, q2 no, q3 not answered: no outcome yet.
    facts = CaseFacts(steps_done=S1234, decision_melden=False, decision_hulp=True).with_decision(
        evaluate({"q1": YES, "q2": NO})
    )
    result = check(E.RECORD_DECISION, facts)
    assert result.code == "afweging_outcome"
    assert result.reason == "The afwegingskader has no outcome yet: answer question 3 first (Bijlage 27)."


def test_step_5_decides_on_melden_and_help_both() -> None:
    base = CaseFacts(steps_done=S1234).with_decision(evaluate({"q1": NO}))
    assert codes(E.RECORD_DECISION, base) == ("decision_melden_given", "decision_hulp_given")
    only_melden = dataclasses.replace(base, decision_melden=False)
    assert codes(E.RECORD_DECISION, only_melden) == ("decision_hulp_given",)
    assert check(E.RECORD_DECISION, dataclasses.replace(only_melden, decision_hulp=False)).allowed


# --- the afwegingskader's questions -----------------------------------------------------------------


def test_questions_3_to_5_after_a_required_melding_wait_for_the_melding() -> None:
    facts = CaseFacts(steps_done=ALL, decision_melden=True, decision_hulp=False).with_decision(
        evaluate({"q1": YES, "q2": YES})
    )
    assert check(E.ANSWER_QUESTION, facts).code == "melding_before_veilig_thuis_questions"
    assert check(E.ANSWER_QUESTION, dataclasses.replace(facts, melding_recorded=True)).allowed
    # Without a required melding, the school answers question 3 itself.
    own = CaseFacts(steps_done=S123).with_decision(evaluate({"q1": YES, "q2": NO}))
    assert check(E.ANSWER_QUESTION, own).allowed


# --- closing the case (M2, M3) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "first_code"),
    [
        # Non-terminal: a melding is required, questions 3-5 still open with Veilig Thuis.
        ({"q1": YES, "q2": YES}, "afweging_finished"),
        # Non-terminal: help accepted, question 5 not answered yet.
        ({"q1": YES, "q2": NO, "q3": YES, "q4": YES}, "afweging_finished"),
        # Nothing answered.
        ({}, "afweging_finished"),
    ],
)
def test_a_case_cannot_close_before_the_afwegingskader_ends(
    answers: dict[str, bool], first_code: str
) -> None:
    facts = CaseFacts(
        steps_done=ALL, decision_melden=True, decision_hulp=True, melding_recorded=True, help_organised=True
    ).with_decision(evaluate(answers))
    result = check(E.CLOSE_CASE, facts)
    assert result.code == first_code


def test_a_case_cannot_close_with_a_required_melding_missing_and_shows_the_m3_rule() -> None:
    # Question 4: the parents do not accept help → melden (terminal). No melding recorded.
    facts = CaseFacts(
        steps_done=ALL, decision_melden=True, decision_hulp=True, help_organised=True
    ).with_decision(evaluate({"q1": YES, "q2": NO, "q3": YES, "q4": NO}))
    result = check(E.CLOSE_CASE, facts)
    assert codes(E.CLOSE_CASE, facts) == ("required_melding_recorded", "decided_melding_recorded")
    assert result.reason.startswith(
        "The afwegingskader requires a melding at Veilig Thuis, and no melding is recorded. Record the "
        "melding before you close the case. LEV follows the afwegingskader of Bijlage 27"
    )
    assert "That contradicts the plan's own Bijlage 27 and the law" in result.reason
    assert check(E.CLOSE_CASE, dataclasses.replace(facts, melding_recorded=True)).allowed


def test_a_required_melding_stays_required_after_close_with_monitoring() -> None:
    # Question 2 yes, then 3-5 yes with Veilig Thuis: close with monitoring, report_required stays.
    facts = CaseFacts(
        steps_done=ALL,
        decision_melden=True,
        decision_hulp=True,
        help_organised=True,
        monitoring_agreements=AGREEMENTS,
    ).with_decision(evaluate({"q1": YES, "q2": YES, "q3": YES, "q4": YES, "q5": YES}))
    assert facts.afweging_outcome == Outcome.CLOSE_WITH_MONITORING and facts.report_required
    assert codes(E.CLOSE_CASE, facts) == ("required_melding_recorded", "decided_melding_recorded")
    assert check(E.CLOSE_CASE, dataclasses.replace(facts, melding_recorded=True)).allowed


def test_help_that_failed_needs_a_new_melding_after_question_5() -> None:
    # Question 2 yes → melding; with Veilig Thuis 3 and 4 yes → help; question 5 no → melden again.
    facts = CaseFacts(
        steps_done=ALL, decision_melden=True, decision_hulp=True, help_organised=True, melding_recorded=True
    ).with_decision(evaluate({"q1": YES, "q2": YES, "q3": YES, "q4": YES, "q5": NO}))
    result = check(E.CLOSE_CASE, facts)
    assert codes(E.CLOSE_CASE, facts) == ("new_melding_recorded",)
    assert result.reason == (
        "The help did not lead to safety in time (question 5: no): make a (new) melding at Veilig Thuis and "
        "record it before you close the case (Bijlage 27)."
    )
    assert check(E.CLOSE_CASE, dataclasses.replace(facts, melding_after_help_failed=True)).allowed


def test_close_with_monitoring_needs_the_agreements() -> None:
    facts = CaseFacts(
        steps_done=ALL, decision_melden=False, decision_hulp=True, help_organised=True
    ).with_decision(evaluate({"q1": YES, "q2": NO, "q3": YES, "q4": YES, "q5": YES}))
    result = check(E.CLOSE_CASE, facts)
    assert result.code == "monitoring_agreed"
    assert result.refusals[0].field == "monitoring_agreements"
    assert check(E.CLOSE_CASE, dataclasses.replace(facts, monitoring_agreements=AGREEMENTS)).allowed


def test_no_suspicion_closes_after_the_decision_of_step_5() -> None:
    facts = CaseFacts(steps_done=S1234).with_decision(evaluate({"q1": NO}))
    assert codes(E.CLOSE_CASE, facts) == ("all_steps_done",)
    decided = dataclasses.replace(facts, steps_done=ALL, decision_melden=False, decision_hulp=False)
    assert check(E.CLOSE_CASE, decided).allowed


def test_a_closed_case_accepts_nothing() -> None:
    everything = dataclasses.replace(READY[E.CLOSE_CASE], closed=True, melding_recorded=True)
    for allowed in next_actions(everything):
        assert not allowed.allowed
        assert allowed.code == "case_closed"
        assert len(allowed.refusals) == 1
        assert allowed.reason == "This case is closed. Open a new case to continue."


# --- a whole case, with the real afwegingskader -------------------------------------------------------


def _allowed(facts: CaseFacts) -> set[Event]:
    return {a.event for a in next_actions(facts) if a.allowed}


def test_a_case_from_signals_to_a_melding_and_closure() -> None:
    facts = CaseFacts()
    assert _allowed(facts) == {E.RECORD_SIGNALS}
    facts = dataclasses.replace(facts, steps_done=frozenset({Step.SIGNALS}))
    assert _allowed(facts) == {E.RECORD_SIGNALS, E.RECORD_CONSULTATION}
    facts = dataclasses.replace(facts, steps_done=frozenset({Step.SIGNALS, Step.CONSULTATION}))
    assert _allowed(facts) == {E.RECORD_SIGNALS, E.RECORD_CONSULTATION, E.RECORD_CONVERSATION}
    facts = dataclasses.replace(facts, steps_done=S123)
    assert E.ANSWER_QUESTION in _allowed(facts) and E.RECORD_WEIGHING not in _allowed(facts)
    # q1 yes, q2 yes (structural unsafety): a melding is required.
    facts = facts.with_decision(evaluate({"q1": YES, "q2": YES}))
    assert E.ANSWER_QUESTION not in _allowed(facts)  # q3 waits for the melding (with Veilig Thuis)
    facts = dataclasses.replace(facts, steps_done=S1234, decision_melden=True, decision_hulp=False)
    assert E.RECORD_DECISION in _allowed(facts)
    facts = dataclasses.replace(facts, steps_done=ALL)
    assert {E.RECORD_MELDING, E.RECORD_DECISION} <= _allowed(facts)
    assert E.RECORD_HELP not in _allowed(facts)  # step 5 decided no help (yet)
    facts = dataclasses.replace(facts, melding_recorded=True)
    assert {E.RECORD_FEEDBACK, E.ANSWER_QUESTION} <= _allowed(facts)
    assert E.CLOSE_CASE not in _allowed(facts)  # questions 3-5 are still open
    # With Veilig Thuis: q3 no (no effective help possible) → melden, terminal; the melding is there.
    facts = facts.with_decision(evaluate({"q1": YES, "q2": YES, "q3": NO}))
    assert E.ANSWER_QUESTION not in _allowed(facts)
    assert check(E.CLOSE_CASE, facts).allowed
    assert teacher_status(facts) is TeacherStatus.IN_PROGRESS
    assert teacher_status(dataclasses.replace(facts, closed=True)) is TeacherStatus.CLOSED


def test_a_case_with_help_that_works() -> None:
    answers: dict[str, bool] = {"q1": YES, "q2": NO, "q3": YES, "q4": YES}
    facts = CaseFacts(steps_done=S1234).with_decision(evaluate(answers))
    assert facts.afweging_outcome == Outcome.HELP
    facts = dataclasses.replace(facts, steps_done=ALL, decision_melden=False, decision_hulp=True)
    assert E.RECORD_HELP in _allowed(facts)
    assert E.ANSWER_QUESTION not in _allowed(facts)  # q5 judges the help: first the help
    facts = dataclasses.replace(facts, help_organised=True)
    assert E.ANSWER_QUESTION in _allowed(facts)
    facts = facts.with_decision(evaluate({**answers, "q5": YES}))
    assert codes(E.CLOSE_CASE, facts) == ("monitoring_agreed",)
    facts = dataclasses.replace(facts, monitoring_agreements=AGREEMENTS)
    assert E.CLOSE_CASE in _allowed(facts)


def test_labels_and_next_actions() -> None:
    actions = next_actions(READY[E.RECORD_CONVERSATION])
    assert [a.event for a in actions] == list(Event)
    by_event = {a.event: a for a in actions}
    assert by_event[E.RECORD_CONVERSATION].label == "Record step 3: the conversation with the parents"
    assert (
        by_event[E.SKIP_CONVERSATION].label == "Leave out the conversation with the parents, with the reason"
    )
    assert by_event[E.SKIP_CONVERSATION].code == "skip_reason_given"
    assert by_event[E.CLOSE_CASE].label == "Close the case"


def test_events_are_accepted_as_their_values() -> None:
    assert check("record_signals", CaseFacts()).allowed  # type: ignore[arg-type]


# --- a property: what closing guarantees ----------------------------------------------------------

QUESTIONS = ("q1", "q2", "q3", "q4", "q5")


def _facts(closed: st.SearchStrategy[bool]) -> st.SearchStrategy[CaseFacts]:
    """Any facts, with the afwegingskader's state from real answers; half of them with all five
    steps, so that closing is reached often enough to test what it guarantees."""
    return st.builds(
        lambda steps, reason, answers, **rest: CaseFacts(
            steps_done=steps, conversation_skip_reason=reason, **rest
        ).with_decision(evaluate(dict(zip(QUESTIONS, answers, strict=True)))),
        st.just(ALL) | st.frozensets(st.sampled_from(Step)),
        st.sampled_from(["", " ", REASON]),
        st.tuples(*(st.booleans() | st.none() for _ in QUESTIONS)),
        decision_melden=st.none() | st.booleans(),
        decision_hulp=st.none() | st.booleans(),
        melding_recorded=st.booleans(),
        melding_after_help_failed=st.booleans(),
        help_organised=st.booleans(),
        monitoring_agreements=st.sampled_from(["", AGREEMENTS]),
        closed=closed,
    )


FACTS = _facts(st.booleans())
OPEN_FACTS = _facts(st.just(False))


@settings(max_examples=400)
@given(facts=OPEN_FACTS)
def test_closing_is_allowed_only_when_the_law_is_satisfied(facts: CaseFacts) -> None:
    result = check(E.CLOSE_CASE, facts)
    assert result.allowed != bool(result.refusals)
    if not result.allowed:
        return
    assert not facts.closed
    assert all(step_done(facts, step) for step in Step)
    assert facts.afweging_next_question is None
    assert facts.afweging_outcome in {Outcome.CLOSE, Outcome.REPORT, Outcome.CLOSE_WITH_MONITORING}
    if facts.report_required or facts.decision_melden:
        assert facts.melding_recorded
    if facts.help_failed:
        assert facts.melding_after_help_failed
    if facts.afweging_outcome == Outcome.CLOSE_WITH_MONITORING:
        assert facts.monitoring_agreements.strip()


@given(facts=FACTS)
def test_a_melding_is_recorded_only_after_step_5(facts: CaseFacts) -> None:
    if check(E.RECORD_MELDING, facts).allowed:
        assert Step.DECISION in facts.steps_done
        assert facts.decision_melden or facts.report_required


# --- the feedback reminder (M6) ---------------------------------------------------------------------


def test_the_reminder_uses_veilig_thuis_s_rule_a_reminder_never_missed() -> None:
    rule = resolve_rule(FEEDBACK_RULE)
    assert (rule.amount, rule.unit.value, rule.reminder) == (5, "working_days", True)


# Working days exclude weekends and the project's Atw holiday set (with the KB days given to the
# calendar); the day of the melding is day 0 (LEGAL.md §10.4). 2026: 1 Jan is a Thursday; Easter is
# Sunday 5 April, so Hemelvaartsdag is Thursday 14 May; 27 April (Koningsdag) is a Monday; 5 May
# (Bevrijdingsdag) is a day off every year in this calendar (LEGAL.md §1), not only every fifth year.
REMINDERS = [
    # Fri 6 Mar 2026: Sat 7, Sun 8 weekend; Mon 9 (1), Tue 10 (2), Wed 11 (3), Thu 12 (4), Fri 13 (5).
    ("2026-03-06", CAL, "2026-03-13"),
    # Sat 7 Mar (a melding on a Saturday): Sun 8 weekend; Mon 9 (1) ... Fri 13 (5) — as from Friday.
    ("2026-03-07", CAL, "2026-03-13"),
    # Fri 24 Apr: Sat 25, Sun 26 weekend; Mon 27 Koningsdag; Tue 28 (1), Wed 29 (2), Thu 30 (3),
    # Fri 1 May (4; 1 May is no holiday); Sat 2, Sun 3 weekend; Mon 4 May (5; Dodenherdenking is no
    # holiday).
    ("2026-04-24", CAL, "2026-05-04"),
    # Thu 30 Apr: Fri 1 May (1); Sat 2, Sun 3 weekend; Mon 4 (2); Tue 5 May Bevrijdingsdag, a day
    # off; Wed 6 (3), Thu 7 (4), Fri 8 (5).
    ("2026-04-30", CAL, "2026-05-08"),
    # Wed 13 May, the day before Hemelvaartsdag: Thu 14 Hemelvaart; Fri 15 KB day; Sat 16, Sun 17
    # weekend; Mon 18 (1), Tue 19 (2), Wed 20 (3), Thu 21 (4), Fri 22 (5).
    ("2026-05-13", CAL, "2026-05-22"),
    # The same melding with a calendar that holds no KB days: Fri 15 May counts (1); Mon 18 (2),
    # Tue 19 (3), Wed 20 (4), Thu 21 (5).
    ("2026-05-13", CAL_WITHOUT_KB, "2026-05-21"),
    # Wed 23 Dec 2026 (1 Dec is a Tuesday): Thu 24 (1); Fri 25 Eerste Kerstdag; Sat 26 (Tweede
    # Kerstdag, a Saturday), Sun 27 weekend; Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5).
    ("2026-12-23", CAL, "2026-12-31"),
]


@pytest.mark.parametrize(("melding", "calendar", "remind_on"), REMINDERS)
def test_feedback_reminder_worked_out_by_hand(melding: str, calendar: AtwCalendar, remind_on: str) -> None:
    reminder = feedback_reminder_due(D(melding), calendar)
    assert reminder.melding_on == D(melding)
    assert reminder.remind_on == D(remind_on)
    assert reminder.rule_code == "veilig-thuis-beoordeling"
    assert "(dag 0 telt niet)" in reminder.explanation[0]
    assert "Een termijn van Veilig Thuis: een herinnering om naar de terugkoppeling te vragen." in (
        reminder.explanation
    )


def test_the_reminder_explains_the_days_skipped() -> None:
    reminder = feedback_reminder_due(D("2026-04-30"), CAL)
    assert reminder.explanation[0] == (
        "5 werkdagen na de melding op 30-4-2026 (dag 0 telt niet) → vr 8-5-2026; "
        "overgeslagen: 2–3-5 weekend, 5-5 Bevrijdingsdag"
    )


@pytest.mark.parametrize(
    ("melding_at", "day", "remind_on"),
    [
        # 23:30 UTC on Thu 5 Mar is 00:30 on Fri 6 Mar in Amsterdam (CET, UTC+1): day 0 is Friday.
        (datetime(2026, 3, 5, 23, 30, tzinfo=UTC), "2026-03-06", "2026-03-13"),
        # 22:59 UTC is 23:59 on Thu 5 Mar: day 0 is Thursday; Fri 6 (1), Mon 9 (2), Tue 10 (3),
        # Wed 11 (4), Thu 12 (5).
        (datetime(2026, 3, 5, 22, 59, tzinfo=UTC), "2026-03-05", "2026-03-12"),
        # Summer time (UTC+2): 22:30 UTC on Wed 13 May is 00:30 on Thu 14 May (Hemelvaart). Day 0 is
        # the holiday; Fri 15 KB; weekend; Mon 18 (1) ... Fri 22 (5).
        (datetime(2026, 5, 13, 22, 30, tzinfo=UTC), "2026-05-14", "2026-05-22"),
        # An offset other than UTC: 09:00 at UTC+1 on Fri 6 Mar.
        (datetime(2026, 3, 6, 9, 0, tzinfo=timezone(timedelta(hours=1))), "2026-03-06", "2026-03-13"),
    ],
)
def test_the_day_of_a_melding_is_the_day_in_the_netherlands(
    melding_at: datetime, day: str, remind_on: str
) -> None:
    assert melding_day(melding_at) == D(day)
    assert feedback_reminder_due(melding_at, CAL).remind_on == D(remind_on)


def test_a_time_without_offset_is_refused() -> None:
    with pytest.raises(DeadlineError) as refused:
        feedback_reminder_due(datetime(2026, 3, 6, 9, 0), CAL)
    assert refused.value.code == "instant_needs_offset"


def test_a_melding_outside_the_calendar_is_refused() -> None:
    with pytest.raises(DeadlineError) as refused:
        feedback_reminder_due(D("2013-12-31"), CAL)
    assert refused.value.code == "date_out_of_range"


def test_the_reminder_is_due_from_the_fifth_working_day_until_the_feedback_arrives() -> None:
    reminder = feedback_reminder_due(D("2026-04-30"), CAL)  # remind on Fri 8 May
    assert not reminder.is_due(D("2026-05-07"))
    assert reminder.is_due(D("2026-05-08"))
    # Never "missed": months later it is still only a reminder, until the feedback is recorded.
    assert reminder.is_due(D("2026-09-01"))
    assert not reminder.is_due(D("2026-09-01"), feedback_received=True)
    assert not hasattr(reminder, "missed") and not hasattr(reminder, "overdue")
