"""The five steps of the Meldcode as data, and what a case needs before it may move on or close.

Sources:
- LEGAL.md §4 M1 (Besluit verplichte meldcode huiselijk geweld en kindermishandeling, 2019, art. 2):
  five steps, walked in order, each with date, author and content — (1) map the signals; (2)
  collegial consultation and, where needed, advice from Veilig Thuis (may be anonymous); (3) the
  conversation with the parents (and the child); (4) weigh, with the afwegingskader; (5) decide on
  both melden and help.
- The policy plan §14.2 "De Meldcode": what the aandachtsfunctionaris records in each step (the
  history, objectified signals, the questions to pay attention to, the kindcheck (M7); consultation
  with internal and external professionals; the conversation and its signed agreements; the three
  questions of the weighing), and the "Let op" that the conversation with the parents may be left out
  when holding it could endanger someone (M4). Bijlage 17 (signals of child abuse) is a tool of step
  1, Bijlage 13 (the Balansmodel, balans.py) of step 4.
- Bijlage 27 and LEGAL.md M2/M3 (afwegingskader.py): a case closes only where the afwegingskader
  ends, never with a required melding missing; the plan's §14.2 sentence that a melding is made only
  when parents refuse help is not followed (M3, shown with the refusal). Q3–Q5 are answered together
  with Veilig Thuis when they follow a required melding; Q5 judges the help, so it follows the help;
  Q5 "no" means a (new) melding; Q5 "yes" closes the help with agreements on monitoring.
- LEGAL.md M6 and Achtergrondinformatie 2: Veilig Thuis decides on the next steps within 5 working
  days of a melding; that is Veilig Thuis's term, so the school gets a reminder to ask for the
  feedback, never a "missed" deadline (rule `veilig-thuis-beoordeling` of the deadline calculator;
  working days as in LEGAL.md §10.4).

The guards work on `CaseFacts`, a summary of what the case has recorded (like the stappenplan's
`EpisodeFacts`); the afwegingskader's state enters as plain fields (`CaseFacts.with_decision` copies
them from an `afwegingskader.Decision`). Facts that describe a proposed action (the reason to skip
the conversation, the decision of step 5) are put in the facts by the caller before `check`.
Interpretations where the sources leave room: a step may be recorded again (more signals, a revised
decision) once the step before it is done; step 5 is needed to close also after question 1 "no" (the
decision "no melding, no help" is recorded by the eindverantwoordelijke); a melding needs step 5
recorded even when the afwegingskader requires it (the acceptance criterion "cannot record a melding
without the decision step"); questions 3–5 after a required melding wait for the melding (LEGAL.md M2:
"answered together with Veilig Thuis when they follow a melding").

Pure: no database, no clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lev.deadlines.domain import AtwCalendar, DeadlineError, due_date, resolve_rule

from .afwegingskader import M3_NOTE, Outcome
from .errors import MeldcodeRefused, Notice, RuleOutcome, StrPromise

__all__ = [
    "COMMON_RECORDS",
    "EVENT_LABELS",
    "FEEDBACK_RULE",
    "GUARDS",
    "KINDCHECK_QUESTION",
    "SIGNAL_QUESTIONS",
    "SKIP_RULE",
    "STEPS",
    "TEACHER_STATUS_LABELS",
    "WEIGHING_QUESTIONS",
    "Allowed",
    "CaseFacts",
    "DecisionLike",
    "Event",
    "FeedbackReminder",
    "Record",
    "Step",
    "StepSpec",
    "TeacherStatus",
    "check",
    "check_step",
    "feedback_reminder_due",
    "melding_day",
    "next_actions",
    "next_step",
    "require",
    "step_done",
    "teacher_status",
]


class Step(IntEnum):
    """The five steps of the Meldcode (LEGAL.md M1), numbered as the law numbers them."""

    SIGNALS = 1
    CONSULTATION = 2
    CONVERSATION = 3
    WEIGHING = 4
    DECISION = 5


@dataclass(frozen=True)
class Record:
    """Something a step records: a stable code (the form field) and its label."""

    code: str
    label: StrPromise
    required: bool = True


@dataclass(frozen=True)
class StepSpec:
    """One step: its code, its number, its name and what it records besides date and author."""

    step: Step
    code: str
    name: StrPromise
    records: tuple[Record, ...]

    @property
    def number(self) -> int:
        return int(self.step)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(record.code for record in self.records if record.required)


# Every step records when and by whom (M1: "each step records date, author and content").
COMMON_RECORDS: tuple[Record, ...] = (
    Record("date", _("Date")),
    Record("author", _("Recorded by")),
)

# Step 1 (§14.2 "De aandachtsfunctionaris HGKM let op"): the questions to pay attention to.
SIGNAL_QUESTIONS: Mapping[str, StrPromise] = MappingProxyType(
    {
        "which_signals": _("Which signals are there: what have you seen or heard?"),
        "how_often": _("How often does it happen?"),
        "situations": _("In which situations does the worry occur?"),
        "more_children": _("Are more children involved?"),
        "normal_development": _("How does the behaviour relate to normal development?"),
        "same_behaviour_before": _("Did the child show the same behaviour before?"),
        "same_worries_before": _("Were there the same worries before?"),
    }
)

# Step 1 (§14.2; LEGAL.md M7): the plan's version of the kindcheck.
KINDCHECK_QUESTION = _(
    "Kindcheck: are there other children in the family who are not at this school, about whom there "
    "are worries based on the signals about the parents?"
)

# Step 4 (§14.2 "Wegen en beoordelen van zorgen"): the three questions of the internal inquiry.
WEIGHING_QUESTIONS: Mapping[str, StrPromise] = MappingProxyType(
    {
        "direct_danger": _("Is the child in direct physical danger?"),
        "upbringing": _("Does the upbringing situation hinder a safe and healthy development of the child?"),
        "near_future": _("Are there risks to the child's safety in the near future?"),
    }
)

# LEGAL.md M4, in the plan's words (§14.2 "Let op").
SKIP_RULE = _(
    "The conversation with the parents may be left out only when there are concrete indications that "
    "holding it could put the safety of someone involved at risk. Record that reason (policy plan "
    "§14.2)."
)

STEPS: Mapping[Step, StepSpec] = MappingProxyType(
    {
        Step.SIGNALS: StepSpec(
            Step.SIGNALS,
            "signals",
            _("Map the signals"),
            (
                Record("history", _("The pupil's history: earlier or similar signals in the file")),
                Record(
                    "signals",
                    _("The signals, objectified: what was seen or heard, when, by whom, and the source"),
                ),
                Record("signal_list", _("Signals from the list of signs of child abuse (Bijlage 17)"), False),
                Record("questions", _("The answers to the questions to pay attention to"), False),
                Record("kindcheck", KINDCHECK_QUESTION),
            ),
        ),
        Step.CONSULTATION: StepSpec(
            Step.CONSULTATION,
            "consultation",
            _("Collegial consultation and advice from Veilig Thuis"),
            (
                Record("consulted", _("Who was consulted (colleagues, external professionals), and when")),
                Record("advice", _("What was advised")),
                Record(
                    "veilig_thuis",
                    _("Advice from Veilig Thuis: asked or not, and if so, named or anonymous"),
                ),
                Record("letselduiding", _("Letselduiding (assessment of injuries), if used"), False),
            ),
        ),
        Step.CONVERSATION: StepSpec(
            Step.CONVERSATION,
            "conversation",
            _("Conversation with the parents"),
            (
                Record("participants", _("Who took part (parents, child, colleague)")),
                Record("discussed", _("What was discussed, and what the parents (and the child) said")),
                Record("agreements", _("The agreements made, and the follow-up appointment")),
                Record("signed", _("Whether the parents signed the agreements"), False),
            ),
        ),
        Step.WEIGHING: StepSpec(
            Step.WEIGHING,
            "weighing",
            _("Weigh and assess the worries"),
            (
                Record("weighing_questions", _("The answers to the three questions of the weighing")),
                Record(
                    "balansmodel",
                    _("The Balansmodel: risk and protective factors, context score, goals"),
                    False,
                ),
                Record("afwegingskader", _("The afwegingskader: each answer with its reasoning")),
                Record(
                    "shared_with",
                    _(
                        "The findings put to external professionals (CJG, youth and family team, Veilig Thuis)"
                    ),
                    False,
                ),
            ),
        ),
        Step.DECISION: StepSpec(
            Step.DECISION,
            "decision",
            _("Decide on melden and help"),
            (
                Record("decision_melden", _("The decision on a melding at Veilig Thuis: yes or no")),
                Record("decision_hulp", _("The decision on help: offer or organise help, yes or no")),
                Record("reasons", _("The reasons for the decision")),
                Record("decided_by", _("Who decided (the person finally responsible)")),
            ),
        ),
    }
)


def check_step(step: Step, filled: Collection[str]) -> RuleOutcome:
    """Whether a step's form holds what the step must record: FILLED are the record codes with a
    value. One refusal per missing required record, on its own field, in the order of `STEPS`."""
    spec = STEPS[Step(step)]
    refusals = tuple(
        Notice(
            f"missing_{code}",
            code,
            gettext("This is required for step {number} ({name}).").format(
                number=spec.number, name=str(spec.name)
            ),
            {"number": str(spec.number)},
        )
        for code in (*(record.code for record in COMMON_RECORDS), *spec.required)
        if code not in filled
    )
    return RuleOutcome(refusals=refusals)


# --- the facts of a case ---------------------------------------------------------------------------


class DecisionLike(Protocol):
    """What the case needs of an `afwegingskader.Decision`."""

    @property
    def outcome(self) -> str | None: ...

    @property
    def path(self) -> tuple[str, ...]: ...

    @property
    def next_question(self) -> str | None: ...

    @property
    def report_required(self) -> bool: ...


@dataclass(frozen=True)
class CaseFacts:
    """What a Meldcode case has recorded, as far as the guards need to know.

    The afwegingskader's state is plain data: AFWEGING_OUTCOME is an `afwegingskader.Outcome` value
    (or None), AFWEGING_NEXT_QUESTION the question to answer next (None once the walk has ended),
    REPORT_REQUIRED whether a melding is required, HELP_FAILED whether question 5 was answered "no".
    """

    steps_done: frozenset[Step] = frozenset()  # the steps recorded (step 3: the conversation held)
    conversation_skip_reason: str = ""  # step 3 left out, with this reason (M4)
    afweging_outcome: str | None = None
    afweging_next_question: str | None = "q1"
    report_required: bool = False
    help_failed: bool = False  # question 5 answered "no": the help did not lead to safety in time
    decision_melden: bool | None = None  # step 5: melding yes/no (None: not decided)
    decision_hulp: bool | None = None  # step 5: help yes/no (None: not decided)
    melding_recorded: bool = False
    melding_after_help_failed: bool = False  # a melding recorded after question 5 was answered "no"
    help_organised: bool = False  # the help organised, and with whom, is recorded
    monitoring_agreements: str = ""  # the agreements on monitoring made when the help was closed
    closed: bool = False

    @property
    def conversation_skipped(self) -> bool:
        """Step 3 was left out with a reason (and no conversation is recorded)."""
        return Step.CONVERSATION not in self.steps_done and bool(self.conversation_skip_reason.strip())

    @property
    def afweging_finished(self) -> bool:
        """The afwegingskader has reached a terminal node (afwegingskader.closable)."""
        return self.afweging_next_question is None and self.afweging_outcome is not None

    def with_decision(self, decision: DecisionLike) -> CaseFacts:
        """These facts with the afwegingskader's state taken from DECISION."""
        finished = decision.next_question is None and decision.outcome is not None
        return dataclasses.replace(
            self,
            afweging_outcome=None if decision.outcome is None else str(decision.outcome),
            afweging_next_question=decision.next_question,
            report_required=decision.report_required,
            help_failed=finished and decision.outcome == Outcome.REPORT and decision.path[-1:] == ("q5",),
        )


def step_done(facts: CaseFacts, step: Step) -> bool:
    """STEP is recorded; step 3 also when it was left out with a recorded reason (M4)."""
    if step is Step.CONVERSATION and facts.conversation_skipped:
        return True
    return step in facts.steps_done


def next_step(facts: CaseFacts) -> Step | None:
    """The first step not done yet (None when all five are done): where the case page points."""
    return next((step for step in Step if not step_done(facts, step)), None)


# --- what the teacher who signalled sees ----------------------------------------------------------


class TeacherStatus(StrEnum):
    """The only thing the signalling teacher sees of a case: never the step, melding or outcome."""

    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


TEACHER_STATUS_LABELS: Mapping[TeacherStatus, StrPromise] = MappingProxyType(
    {
        TeacherStatus.IN_PROGRESS: _("In progress with the care coordinator"),
        TeacherStatus.CLOSED: pgettext_lazy("meldcode case seen by the teacher", "Closed"),
    }
)


def teacher_status(facts: CaseFacts) -> TeacherStatus:
    return TeacherStatus.CLOSED if facts.closed else TeacherStatus.IN_PROGRESS


# --- events and guards ----------------------------------------------------------------------------


class Event(StrEnum):
    RECORD_SIGNALS = "record_signals"
    RECORD_CONSULTATION = "record_consultation"
    RECORD_CONVERSATION = "record_conversation"
    SKIP_CONVERSATION = "skip_conversation"
    ANSWER_QUESTION = "answer_question"
    RECORD_WEIGHING = "record_weighing"
    RECORD_DECISION = "record_decision"
    RECORD_MELDING = "record_melding"
    RECORD_FEEDBACK = "record_feedback"
    RECORD_HELP = "record_help"
    CLOSE_CASE = "close_case"


# The labels of the case page's buttons.
EVENT_LABELS: Mapping[Event, StrPromise] = MappingProxyType(
    {
        Event.RECORD_SIGNALS: _("Record step 1: map the signals"),
        Event.RECORD_CONSULTATION: _("Record step 2: collegial consultation and advice"),
        Event.RECORD_CONVERSATION: _("Record step 3: the conversation with the parents"),
        Event.SKIP_CONVERSATION: _("Leave out the conversation with the parents, with the reason"),
        Event.ANSWER_QUESTION: _("Answer the next question of the afwegingskader"),
        Event.RECORD_WEIGHING: _("Record step 4: weigh and assess the worries"),
        Event.RECORD_DECISION: _("Record step 5: decide on melden and help"),
        Event.RECORD_MELDING: _("Record the melding at Veilig Thuis"),
        Event.RECORD_FEEDBACK: _("Record the feedback from Veilig Thuis"),
        Event.RECORD_HELP: _("Record the help organised"),
        Event.CLOSE_CASE: _("Close the case"),
    }
)

_VT_QUESTIONS = ("q3", "q4", "q5")


def _number(question: str | None) -> str:
    """'q3' → '3' (the afwegingskader's keys are q1…q5)."""
    return (question or "")[1:]


@dataclass(frozen=True)
class Guard:
    """A condition of an event: CHECK must hold; MESSAGE says (in the active language) what is
    wrong and what to do; FIELD is the form field the message belongs to."""

    check: Callable[[CaseFacts], bool]
    message: Callable[[CaseFacts], str]
    field: str = ""

    def notice(self, code: str, facts: CaseFacts) -> Notice:
        return Notice(code, self.field, self.message(facts))


def _says(text: StrPromise) -> Callable[[CaseFacts], str]:
    return lambda _facts: str(text)


def _with_m3(text: StrPromise) -> Callable[[CaseFacts], str]:
    """TEXT followed by the rule LEV follows where the plan's §14.2 contradicts it (M3)."""
    return lambda _facts: f"{str(text)} {str(M3_NOTE)}"


def _step_follows(later: Step) -> Callable[[CaseFacts], str]:
    earlier = Step(later - 1)

    def message(_facts: CaseFacts) -> str:
        return gettext(
            "Step {later} ({later_name}) follows step {earlier} ({earlier_name}). Record step {earlier} first."
        ).format(
            later=int(later),
            later_name=str(STEPS[later].name),
            earlier=int(earlier),
            earlier_name=str(STEPS[earlier].name),
        )

    return message


def _conversation_first(_facts: CaseFacts) -> str:
    return gettext(
        "The weighing (step 4) follows the conversation with the parents (step 3). Record the "
        "conversation first, or leave it out with the reason."
    )


def _outcome_missing(facts: CaseFacts) -> str:
    return gettext(
        "The afwegingskader has no outcome yet: answer question {number} first (Bijlage 27)."
    ).format(number=_number(facts.afweging_next_question))


def _not_finished(facts: CaseFacts) -> str:
    return gettext(
        "The afwegingskader has not reached its end: question {number} is still open. A case is closed "
        "only where the afwegingskader ends (Bijlage 27)."
    ).format(number=_number(facts.afweging_next_question))


def _missing_steps(facts: CaseFacts) -> str:
    missing = [step for step in Step if not step_done(facts, step)]
    return gettext("Close the case only after all five steps. Not done yet: {steps}.").format(
        steps=", ".join(f"{int(step)} ({STEPS[step].name})" for step in missing)
    )


GUARDS: Mapping[str, Guard] = MappingProxyType(
    {
        # --- the order of the steps (M1) ---
        "step_1_recorded": Guard(lambda f: step_done(f, Step.SIGNALS), _step_follows(Step.CONSULTATION)),
        "step_2_recorded": Guard(lambda f: step_done(f, Step.CONSULTATION), _step_follows(Step.CONVERSATION)),
        "step_3_done": Guard(lambda f: step_done(f, Step.CONVERSATION), _conversation_first),
        "step_4_recorded": Guard(lambda f: step_done(f, Step.WEIGHING), _step_follows(Step.DECISION)),
        # --- leaving out the conversation (M4) ---
        "conversation_not_held": Guard(
            lambda f: Step.CONVERSATION not in f.steps_done,
            _says(
                _("The conversation with the parents is recorded already: it cannot be left out any more.")
            ),
        ),
        "skip_reason_given": Guard(
            lambda f: bool(f.conversation_skip_reason.strip()), _says(SKIP_RULE), "conversation_skip_reason"
        ),
        # --- the afwegingskader (M2) ---
        "afweging_started": Guard(
            lambda f: f.afweging_next_question != "q1",
            _says(_("Answer at least question 1 of the afwegingskader before you record the weighing.")),
        ),
        "afweging_not_finished": Guard(
            lambda f: f.afweging_next_question is not None,
            _says(_("The afwegingskader has reached its end: there is no question left to answer.")),
        ),
        "melding_before_veilig_thuis_questions": Guard(
            lambda f: (
                not (
                    f.report_required and f.afweging_next_question in _VT_QUESTIONS and not f.melding_recorded
                )
            ),
            _says(
                _(
                    "A melding is required, and questions 3 to 5 are then answered together with Veilig "
                    "Thuis. Record the melding first (Bijlage 27)."
                )
            ),
        ),
        "help_before_question_5": Guard(
            lambda f: not (f.afweging_next_question == "q5" and not f.help_organised),
            _says(
                _(
                    "Question 5 asks whether the help leads to safety in time. Record the help organised "
                    "first (Bijlage 27)."
                )
            ),
        ),
        "afweging_outcome": Guard(lambda f: f.afweging_outcome is not None, _outcome_missing),
        # --- the decision of step 5 (M1: melden and help) ---
        "decision_melden_given": Guard(
            lambda f: f.decision_melden is not None,
            _says(_("Decide whether a melding is made at Veilig Thuis: yes or no.")),
            "decision_melden",
        ),
        "decision_hulp_given": Guard(
            lambda f: f.decision_hulp is not None,
            _says(_("Decide whether help is offered or organised: yes or no.")),
            "decision_hulp",
        ),
        "melden_when_required": Guard(
            lambda f: not (f.report_required and f.decision_melden is False),
            _with_m3(_("The afwegingskader requires a melding at Veilig Thuis: decide to make the melding.")),
            "decision_melden",
        ),
        "no_melding_without_suspicion": Guard(
            lambda f: not (f.afweging_outcome == Outcome.CLOSE and f.decision_melden),
            _says(
                _(
                    "The afwegingskader ends without a suspicion (question 1: no): there is nothing to "
                    "report to Veilig Thuis. Decide not to make a melding, or record new signals and "
                    "start the weighing again in a new case (Bijlage 27)."
                )
            ),
            "decision_melden",
        ),
        "hulp_when_accepted": Guard(
            lambda f: not (f.afweging_outcome == Outcome.HELP and f.decision_hulp is False),
            _says(
                _(
                    "Those involved accept help (question 4 of the afwegingskader): decide to offer or "
                    "organise the help (Bijlage 27)."
                )
            ),
            "decision_hulp",
        ),
        # --- what follows the decision ---
        "decision_recorded": Guard(
            lambda f: step_done(f, Step.DECISION),
            _says(_("Record the decision of step 5 (decide on melden and help) first.")),
        ),
        "melden_decided": Guard(
            lambda f: bool(f.decision_melden) or f.report_required,
            _says(
                _(
                    "A melding follows when step 5 decided to make a melding at Veilig Thuis, and the "
                    "decision recorded is not to. Record a new decision of step 5 first."
                )
            ),
        ),
        "hulp_decided": Guard(
            lambda f: bool(f.decision_hulp),
            _says(
                _(
                    "Help is organised after step 5 decided to offer or organise help, and the decision "
                    "recorded is not to. Record a new decision of step 5 first."
                )
            ),
        ),
        "melding_recorded": Guard(
            lambda f: f.melding_recorded,
            _says(_("Feedback from Veilig Thuis follows a melding: record the melding first.")),
        ),
        # --- closing the case (M2, M3) ---
        "all_steps_done": Guard(lambda f: next_step(f) is None, _missing_steps),
        "afweging_finished": Guard(lambda f: f.afweging_finished, _not_finished),
        "required_melding_recorded": Guard(
            lambda f: not (f.report_required and not f.melding_recorded),
            _with_m3(
                _(
                    "The afwegingskader requires a melding at Veilig Thuis, and no melding is recorded. "
                    "Record the melding before you close the case."
                )
            ),
        ),
        "decided_melding_recorded": Guard(
            lambda f: not (f.decision_melden and not f.melding_recorded),
            _says(
                _(
                    "Step 5 decided to make a melding at Veilig Thuis, and no melding is recorded. Record "
                    "the melding before you close the case."
                )
            ),
        ),
        "new_melding_recorded": Guard(
            lambda f: not (f.help_failed and not f.melding_after_help_failed),
            _says(
                _(
                    "The help did not lead to safety in time (question 5: no): make a (new) melding at "
                    "Veilig Thuis and record it before you close the case (Bijlage 27)."
                )
            ),
        ),
        "decided_help_recorded": Guard(
            lambda f: not (f.decision_hulp and not f.help_organised),
            _says(
                _(
                    "Step 5 decided to offer or organise help, and no help is recorded. Record the help "
                    "(what, and with whom) before you close the case."
                )
            ),
        ),
        "monitoring_agreed": Guard(
            lambda f: (
                f.afweging_outcome != Outcome.CLOSE_WITH_MONITORING or bool(f.monitoring_agreements.strip())
            ),
            _says(
                _(
                    "The help is closed with agreements on monitoring future (un)safety with those "
                    "involved and partners (question 5: yes). Record these agreements before you close "
                    "the case."
                )
            ),
            "monitoring_agreements",
        ),
    }
)

CASE_CLOSED = "case_closed"
CLOSED_MESSAGE = _("This case is closed. Open a new case to continue.")

# The guards of each event, checked in this order (a closed case refuses every event).
EVENT_GUARDS: Mapping[Event, tuple[str, ...]] = MappingProxyType(
    {
        Event.RECORD_SIGNALS: (),
        Event.RECORD_CONSULTATION: ("step_1_recorded",),
        Event.RECORD_CONVERSATION: ("step_2_recorded",),
        Event.SKIP_CONVERSATION: ("step_2_recorded", "conversation_not_held", "skip_reason_given"),
        Event.ANSWER_QUESTION: (
            "step_3_done",
            "afweging_not_finished",
            "melding_before_veilig_thuis_questions",
            "help_before_question_5",
        ),
        Event.RECORD_WEIGHING: ("step_3_done", "afweging_started"),
        Event.RECORD_DECISION: (
            "step_4_recorded",
            "afweging_outcome",
            "decision_melden_given",
            "decision_hulp_given",
            "melden_when_required",
            "no_melding_without_suspicion",
            "hulp_when_accepted",
        ),
        Event.RECORD_MELDING: ("decision_recorded", "melden_decided"),
        Event.RECORD_FEEDBACK: ("melding_recorded",),
        Event.RECORD_HELP: ("decision_recorded", "hulp_decided"),
        Event.CLOSE_CASE: (
            "all_steps_done",
            "afweging_finished",
            "required_melding_recorded",
            "decided_melding_recorded",
            "new_melding_recorded",
            "decided_help_recorded",
            "monitoring_agreed",
        ),
    }
)


@dataclass(frozen=True)
class Allowed:
    """Whether EVENT may happen now; the refusals (every failing guard, in order) when it may not."""

    event: Event
    allowed: bool
    refusals: tuple[Notice, ...] = ()

    @property
    def code(self) -> str | None:
        return self.refusals[0].code if self.refusals else None

    @property
    def reason(self) -> str:
        """The reason of the first refusal, in the active language (Dutch); "" when allowed."""
        return self.refusals[0].message if self.refusals else ""

    @property
    def label(self) -> str:
        """The button's label, in the active language (Dutch)."""
        return str(EVENT_LABELS[self.event])


def check(event: Event, facts: CaseFacts) -> Allowed:
    """Whether EVENT is allowed given FACTS; every failing guard, in the order of `EVENT_GUARDS`."""
    event = Event(event)
    if facts.closed:
        return Allowed(event, False, (Notice(CASE_CLOSED, "", str(CLOSED_MESSAGE)),))
    failing = tuple(
        GUARDS[name].notice(name, facts) for name in EVENT_GUARDS[event] if not GUARDS[name].check(facts)
    )
    return Allowed(event, not failing, failing)


def next_actions(facts: CaseFacts) -> list[Allowed]:
    """Every event, in the order of `Event`, with allowed yes/no and the reasons when not."""
    return [check(event, facts) for event in Event]


def require(event: Event, facts: CaseFacts) -> None:
    """Raise MeldcodeRefused (with the Dutch reasons) when EVENT is not allowed."""
    result = check(event, facts)
    if not result.allowed:
        raise MeldcodeRefused(result.refusals)


# --- the feedback reminder (M6) -------------------------------------------------------------------

FEEDBACK_RULE = "veilig-thuis-beoordeling"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class FeedbackReminder:
    """When to ask Veilig Thuis for the feedback on a melding.

    Veilig Thuis decides on the next steps within 5 working days of a melding: its term, not the
    school's. REMIND_ON is the fifth working day after the melding (the day of the melding is day 0);
    from then on the case manager is reminded to ask for the feedback until it is recorded. There is
    no "missed" and no escalation.
    """

    melding_on: date
    remind_on: date
    explanation: tuple[str, ...]
    rule_code: str = FEEDBACK_RULE

    def is_due(self, today: date, *, feedback_received: bool = False) -> bool:
        """Whether to show the reminder on TODAY."""
        return not feedback_received and today >= self.remind_on


def melding_day(melding_at: date | datetime) -> date:
    """The day of the melding in the Netherlands: a date as it is, an aware time in Amsterdam time.

    A time without a UTC offset is refused (DeadlineError "instant_needs_offset"): its day is not
    certain.
    """
    if isinstance(melding_at, datetime):
        if melding_at.tzinfo is None or melding_at.utcoffset() is None:
            raise DeadlineError(
                "instant_needs_offset",
                "The time of a melding needs a UTC offset, e.g. 2026-03-28T09:00+01:00.",
                rule=FEEDBACK_RULE,
            )
        return melding_at.astimezone(AMSTERDAM).date()
    return melding_at


def feedback_reminder_due(melding_at: date | datetime, calendar: AtwCalendar) -> FeedbackReminder:
    """The reminder to ask for Veilig Thuis's feedback on a melding made at MELDING_AT.

    Counted by the deadline calculator (rule `veilig-thuis-beoordeling`: 5 working days, without
    weekends, the Atw holidays and CALENDAR's KB days; LEGAL.md §10.4). Raises DeadlineError for a
    date outside the calendar.
    """
    day = melding_day(melding_at)
    deadline = due_date(resolve_rule(FEEDBACK_RULE), day, calendar)
    remind_on = deadline.due
    if isinstance(remind_on, datetime):  # pragma: no cover - a working-day rule gives a date
        remind_on = remind_on.date()
    return FeedbackReminder(melding_on=day, remind_on=remind_on, explanation=deadline.explanation)
