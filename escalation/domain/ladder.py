"""The escalation ladder: the seven steps of Bijlage 4 as a transition table with guards.

Source: the policy plan, Bijlage 4 "Protocol grensoverschrijdend gedrag", "Stappenplan: Aanpak bij
grensoverschrijdend gedrag" — Stap 1 Ik kan het zelf, Stap 2 Ik vraag hulp, Stap 3 We zoeken samen
een oplossing, Stap 4 School en ouders werken samen, Stap 5 Time-out, Stap 6 Schorsing, Stap 7
Verwijdering — with the four grounds for verwijdering; LEGAL.md §3 (R1–R20) for steps 5–7.

An episode (per pupil) is opened by an incident or by the director and closed by the director. Its
state is the highest step reached (`OPEN` before any step, `CLOSED` at the end): recording a lower
step later (a step-4 conversation after a time-out) is allowed and keeps the state, so the ladder
page always shows how far the pupil has come. The rules the table encodes:

- Steps 1 and 2 are the pupils' own actions: recorded optionally, implied once step 3 is recorded
  (`implied_steps`). Steps 3 and 4 are recorded conversations; step 4 follows step 3.
- A time-out follows step 4, or comes straight after a serious incident recorded with a reason
  ("Een ernstig incident leidt tot een time-out met onmiddellijke ingang"). It is requested, then
  approved (or rejected) before it starts; not while the pupil is suspended (not at school).
- A schorsing follows a time-out that did not help, or a very serious incident ("als een time-out
  niet helpt ... of het incident zeer ernstig is"); it needs the board's approval or the director's
  recorded mandate (R4). While a verwijdering runs, exclusion from school is one schorsing of at
  most one week (R3, R10: "tijdelijke verwijdering" does not exist).
- Verwijdering grounds 1, 3 and 4 may start a verwijdering without steps 1–6; ground 2 (serious
  misconduct) needs lighter measures that failed and a warning (Bijlage 4, the four grounds).
  Definitive removal needs the decision and a recorded accepting school (R13).
- A closed episode accepts nothing; an episode is closed only when nothing runs any more.

The dates and the details of each measure (duration, hearings, terms) are checked by exclusion.py
and verwijdering.py; the ladder works on `EpisodeFacts`, a summary of what has happened.

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .errors import Notice, RuleRefused, StrPromise
from .exclusion import MESSAGES as EXCLUSION_MESSAGES
from .verwijdering import MESSAGES as VERWIJDERING_MESSAGES
from .verwijdering import VerwijderingGround, check_ground


class Step(IntEnum):
    """The seven steps of Bijlage 4, numbered as the plan numbers them."""

    IK_KAN_HET_ZELF = 1
    IK_VRAAG_HULP = 2
    SAMEN_EEN_OPLOSSING = 3
    SCHOOL_EN_OUDERS = 4
    TIME_OUT = 5
    SCHORSING = 6
    VERWIJDERING = 7


# The plan's names of the steps (English msgids; the Dutch catalogue gives the plan's own words).
STEP_NAMES: dict[Step, StrPromise] = {
    Step.IK_KAN_HET_ZELF: _("I can do it myself"),
    Step.IK_VRAAG_HULP: _("I ask for help"),
    Step.SAMEN_EEN_OPLOSSING: _("We look for a solution together"),
    Step.SCHOOL_EN_OUDERS: _("School and parents work together"),
    Step.TIME_OUT: _("Time-out"),
    Step.SCHORSING: _("Schorsing"),
    Step.VERWIJDERING: _("Verwijdering"),
}


class State(StrEnum):
    """Where an episode is: opened, the highest step reached, or closed."""

    OPEN = "open"
    STEP_1 = "step_1"
    STEP_2 = "step_2"
    STEP_3 = "step_3"
    STEP_4 = "step_4"
    STEP_5 = "step_5"
    STEP_6 = "step_6"
    STEP_7 = "step_7"
    CLOSED = "closed"


STATE_STEPS: dict[State, Step] = {
    State.STEP_1: Step.IK_KAN_HET_ZELF,
    State.STEP_2: Step.IK_VRAAG_HULP,
    State.STEP_3: Step.SAMEN_EEN_OPLOSSING,
    State.STEP_4: Step.SCHOOL_EN_OUDERS,
    State.STEP_5: Step.TIME_OUT,
    State.STEP_6: Step.SCHORSING,
    State.STEP_7: Step.VERWIJDERING,
}


def step_of(state: State) -> Step | None:
    """The step an episode in STATE has reached (None when no step yet, or closed)."""
    return STATE_STEPS.get(state)


class Event(StrEnum):
    RECORD_STEP_1 = "record_step_1"
    RECORD_STEP_2 = "record_step_2"
    RECORD_STEP_3 = "record_step_3"
    RECORD_STEP_4 = "record_step_4"
    REQUEST_TIME_OUT = "request_time_out"
    APPROVE_TIME_OUT = "approve_time_out"
    REJECT_TIME_OUT = "reject_time_out"
    START_SCHORSING = "start_schorsing"
    START_VERWIJDERING = "start_verwijdering"
    WITHDRAW_VERWIJDERING = "withdraw_verwijdering"
    COMPLETE_VERWIJDERING = "complete_verwijdering"
    CLOSE_EPISODE = "close_episode"


# The labels of the ladder page's buttons.
EVENT_LABELS: dict[Event, StrPromise] = {
    Event.RECORD_STEP_1: _("Record step 1: I can do it myself"),
    Event.RECORD_STEP_2: _("Record step 2: I ask for help"),
    Event.RECORD_STEP_3: _("Record step 3: We look for a solution together"),
    Event.RECORD_STEP_4: _("Record step 4: School and parents work together"),
    Event.REQUEST_TIME_OUT: _("Request a time-out"),
    Event.APPROVE_TIME_OUT: _("Approve the time-out"),
    Event.REJECT_TIME_OUT: _("Reject the time-out"),
    Event.START_SCHORSING: _("Start a schorsing"),
    Event.START_VERWIJDERING: _("Start a verwijdering"),
    Event.WITHDRAW_VERWIJDERING: _("Withdraw the verwijdering"),
    Event.COMPLETE_VERWIJDERING: _("Remove permanently"),
    Event.CLOSE_EPISODE: _("Close the episode"),
}


@dataclass(frozen=True)
class EpisodeFacts:
    """What has happened in the episode, as far as the guards need to know."""

    steps_done: frozenset[Step] = frozenset()  # the steps recorded (not the implied ones)
    serious_incident_reason: str = ""  # a serious incident recorded with this reason
    time_out_requested: bool = False  # a request waits for approval
    time_out_running: bool = False
    schorsing_running: bool = False
    schorsing_authorised: bool = False  # board approval or the director's mandate is recorded (R4)
    schorsing_during_verwijdering: bool = False  # a schorsing was given since the verwijdering began
    verwijdering_ground: VerwijderingGround | None = None
    lighter_measures_failed: bool = False
    warning_given: bool = False  # the pupil and/or the parents were warned (ground 2)
    verwijdering_open: bool = False  # started, not withdrawn or completed
    verwijdering_decided: bool = False
    accepting_school_recorded: bool = False  # another school agreed to admit the pupil (R13)

    @property
    def serious_incident(self) -> bool:
        return bool(self.serious_incident_reason.strip())

    def reached(self, step: Step) -> bool:
        """A step at or above STEP was recorded."""
        return any(done >= step for done in self.steps_done)


def implied_steps(steps_done: frozenset[Step]) -> frozenset[Step]:
    """The recorded steps plus steps 1 and 2, implied once step 3 or higher is recorded."""
    if any(done >= Step.SAMEN_EEN_OPLOSSING for done in steps_done):
        return steps_done | {Step.IK_KAN_HET_ZELF, Step.IK_VRAAG_HULP}
    return steps_done


@dataclass(frozen=True)
class Guard:
    check: Callable[[EpisodeFacts], bool]
    reason: StrPromise  # shown (in the active language, Dutch) when the check fails


def _ground_ok(facts: EpisodeFacts) -> bool:
    if facts.verwijdering_ground is None:
        return True  # "ground_chosen" says what is missing
    return check_ground(
        facts.verwijdering_ground,
        lighter_measures_failed=facts.lighter_measures_failed,
        warning_given=facts.warning_given,
    ).ok


GUARDS: Mapping[str, Guard] = MappingProxyType(
    {
        "step_3_reached": Guard(
            lambda f: f.reached(Step.SAMEN_EEN_OPLOSSING),
            _(
                "Step 4 (School and parents work together) follows the conversation of step 3 (We look "
                "for a solution together). Record step 3 first (Bijlage 4)."
            ),
        ),
        "no_schorsing_running": Guard(
            lambda f: not f.schorsing_running,
            _(
                "The pupil is suspended and therefore not at school. This is only possible once the "
                "schorsing is over (WPO art. 40c)."
            ),
        ),
        "no_time_out_pending": Guard(
            lambda f: not f.time_out_requested,
            _("A time-out request is already waiting for approval."),
        ),
        "no_time_out_running": Guard(
            lambda f: not f.time_out_running,
            _("The pupil already has a time-out. Request a new time-out once this one is over."),
        ),
        "step_4_reached_or_serious_incident": Guard(
            lambda f: f.reached(Step.SCHOOL_EN_OUDERS) or f.serious_incident,
            _(
                "A time-out follows step 4 (School and parents work together), or comes straight after a "
                "serious incident. Record step 4 first, or record the serious incident with a reason "
                "(Bijlage 4, stap 5)."
            ),
        ),
        "time_out_pending": Guard(
            lambda f: f.time_out_requested,
            _("No time-out request is waiting for approval. Request a time-out first."),
        ),
        "step_5_reached_or_serious_incident": Guard(
            lambda f: f.reached(Step.TIME_OUT) or f.serious_incident,
            _(
                "A schorsing follows a time-out that did not help, or a very serious incident. Record "
                "the time-out first, or record the serious incident with a reason (Bijlage 4, stap 6)."
            ),
        ),
        "one_schorsing_during_verwijdering": Guard(
            lambda f: not (f.verwijdering_open and f.schorsing_during_verwijdering),
            _(
                "During a verwijdering the pupil can be suspended once, for at most one week (WPO art. "
                "40c). There is no such thing as a 'temporary verwijdering': the pupil goes to school "
                "or to an agreed alternative, and is taught."
            ),
        ),
        "schorsing_authorised": Guard(
            lambda f: f.schorsing_authorised,
            EXCLUSION_MESSAGES["needs_board_approval"],
        ),
        "no_verwijdering_open": Guard(
            lambda f: not f.verwijdering_open,
            _("A verwijdering is already under way for this pupil."),
        ),
        "ground_chosen": Guard(
            lambda f: f.verwijdering_ground is not None,
            VERWIJDERING_MESSAGES["ground_missing"],
        ),
        "ground_2_conditions": Guard(_ground_ok, VERWIJDERING_MESSAGES["ground_2_conditions"]),
        "verwijdering_open": Guard(
            lambda f: f.verwijdering_open,
            _("No verwijdering is under way for this pupil."),
        ),
        "verwijdering_decided": Guard(
            lambda f: f.verwijdering_decided,
            VERWIJDERING_MESSAGES["not_decided"],
        ),
        "accepting_school_recorded": Guard(
            lambda f: f.accepting_school_recorded,
            VERWIJDERING_MESSAGES["no_accepting_school"],
        ),
        "nothing_running": Guard(
            lambda f: (
                not (f.time_out_requested or f.time_out_running or f.schorsing_running or f.verwijdering_open)
            ),
            _(
                "Close the episode only when no time-out, schorsing or verwijdering is running or "
                "waiting any more."
            ),
        ),
    }
)

# Refusals that do not come from a guard: the pair (state, event) is not in the table.
EPISODE_CLOSED = "episode_closed"
NOT_IN_VERWIJDERING = "not_in_verwijdering"
STRUCTURAL_REASONS: dict[str, StrPromise] = {
    EPISODE_CLOSED: _("This episode is closed. Open a new episode to continue."),
    NOT_IN_VERWIJDERING: _(
        "This belongs to step 7 (Verwijdering), and the pupil is not on that step. Start a "
        "verwijdering first."
    ),
}


@dataclass(frozen=True)
class Transition:
    target: State
    guards: tuple[str, ...] = ()


def _t(target: State, *guards: str) -> Transition:
    return Transition(target, guards)


S0, S1, S2, S3, S4, S5, S6, S7, SX = (
    State.OPEN,
    State.STEP_1,
    State.STEP_2,
    State.STEP_3,
    State.STEP_4,
    State.STEP_5,
    State.STEP_6,
    State.STEP_7,
    State.CLOSED,
)
E = Event
_TIME_OUT_REQUEST = ("no_schorsing_running", "no_time_out_pending", "no_time_out_running")
_TIME_OUT_REQUEST_FIRST = (*_TIME_OUT_REQUEST, "step_4_reached_or_serious_incident")
_APPROVE = ("time_out_pending", "no_schorsing_running")
_SCHORSING = (
    "no_schorsing_running",
    "step_5_reached_or_serious_incident",
    "one_schorsing_during_verwijdering",
    "schorsing_authorised",
)
# On step 5 or 6 the pupil has had a time-out or a schorsing already.
_SCHORSING_AGAIN = tuple(name for name in _SCHORSING if name != "step_5_reached_or_serious_incident")
_VERWIJDERING = ("no_verwijdering_open", "ground_chosen", "ground_2_conditions")
_COMPLETE = ("verwijdering_open", "verwijdering_decided", "accepting_school_recorded")

# (state, event) -> new state and the guards that must hold, checked in this order. A pair that is
# not here is refused: every event in a closed episode, and the verwijdering's own events outside
# step 7. A guard that the state itself proves is left out (on step 3 and up, step 3 was reached;
# on step 4 and up, a time-out needs no further step; on step 5 or 6, a schorsing neither).
TRANSITIONS: Mapping[tuple[State, Event], Transition] = MappingProxyType(
    {
        # Steps 1 and 2: the pupils' own actions (optional).
        (S0, E.RECORD_STEP_1): _t(S1),
        (S1, E.RECORD_STEP_1): _t(S1),
        (S2, E.RECORD_STEP_1): _t(S2),
        (S3, E.RECORD_STEP_1): _t(S3),
        (S4, E.RECORD_STEP_1): _t(S4),
        (S5, E.RECORD_STEP_1): _t(S5),
        (S6, E.RECORD_STEP_1): _t(S6),
        (S7, E.RECORD_STEP_1): _t(S7),
        (S0, E.RECORD_STEP_2): _t(S2),
        (S1, E.RECORD_STEP_2): _t(S2),
        (S2, E.RECORD_STEP_2): _t(S2),
        (S3, E.RECORD_STEP_2): _t(S3),
        (S4, E.RECORD_STEP_2): _t(S4),
        (S5, E.RECORD_STEP_2): _t(S5),
        (S6, E.RECORD_STEP_2): _t(S6),
        (S7, E.RECORD_STEP_2): _t(S7),
        # Step 3: a recorded conversation; steps 1 and 2 are implied.
        (S0, E.RECORD_STEP_3): _t(S3),
        (S1, E.RECORD_STEP_3): _t(S3),
        (S2, E.RECORD_STEP_3): _t(S3),
        (S3, E.RECORD_STEP_3): _t(S3),
        (S4, E.RECORD_STEP_3): _t(S4),
        (S5, E.RECORD_STEP_3): _t(S5),
        (S6, E.RECORD_STEP_3): _t(S6),
        (S7, E.RECORD_STEP_3): _t(S7),
        # Step 4: a recorded conversation with the parents, after step 3.
        (S0, E.RECORD_STEP_4): _t(S4, "step_3_reached"),
        (S1, E.RECORD_STEP_4): _t(S4, "step_3_reached"),
        (S2, E.RECORD_STEP_4): _t(S4, "step_3_reached"),
        (S3, E.RECORD_STEP_4): _t(S4),
        (S4, E.RECORD_STEP_4): _t(S4),
        (S5, E.RECORD_STEP_4): _t(S5),
        (S6, E.RECORD_STEP_4): _t(S6),
        (S7, E.RECORD_STEP_4): _t(S7),
        # Step 5: a time-out is requested (the step does not change yet) ...
        (S0, E.REQUEST_TIME_OUT): _t(S0, *_TIME_OUT_REQUEST_FIRST),
        (S1, E.REQUEST_TIME_OUT): _t(S1, *_TIME_OUT_REQUEST_FIRST),
        (S2, E.REQUEST_TIME_OUT): _t(S2, *_TIME_OUT_REQUEST_FIRST),
        (S3, E.REQUEST_TIME_OUT): _t(S3, *_TIME_OUT_REQUEST_FIRST),
        (S4, E.REQUEST_TIME_OUT): _t(S4, *_TIME_OUT_REQUEST),
        (S5, E.REQUEST_TIME_OUT): _t(S5, *_TIME_OUT_REQUEST),
        (S6, E.REQUEST_TIME_OUT): _t(S6, *_TIME_OUT_REQUEST),
        (S7, E.REQUEST_TIME_OUT): _t(S7, *_TIME_OUT_REQUEST),
        # ... approved: the pupil is on step 5 ...
        (S0, E.APPROVE_TIME_OUT): _t(S5, *_APPROVE),
        (S1, E.APPROVE_TIME_OUT): _t(S5, *_APPROVE),
        (S2, E.APPROVE_TIME_OUT): _t(S5, *_APPROVE),
        (S3, E.APPROVE_TIME_OUT): _t(S5, *_APPROVE),
        (S4, E.APPROVE_TIME_OUT): _t(S5, *_APPROVE),
        (S5, E.APPROVE_TIME_OUT): _t(S5, *_APPROVE),
        (S6, E.APPROVE_TIME_OUT): _t(S6, *_APPROVE),
        (S7, E.APPROVE_TIME_OUT): _t(S7, *_APPROVE),
        # ... or rejected: nothing changes.
        (S0, E.REJECT_TIME_OUT): _t(S0, "time_out_pending"),
        (S1, E.REJECT_TIME_OUT): _t(S1, "time_out_pending"),
        (S2, E.REJECT_TIME_OUT): _t(S2, "time_out_pending"),
        (S3, E.REJECT_TIME_OUT): _t(S3, "time_out_pending"),
        (S4, E.REJECT_TIME_OUT): _t(S4, "time_out_pending"),
        (S5, E.REJECT_TIME_OUT): _t(S5, "time_out_pending"),
        (S6, E.REJECT_TIME_OUT): _t(S6, "time_out_pending"),
        (S7, E.REJECT_TIME_OUT): _t(S7, "time_out_pending"),
        # Step 6: a schorsing (also once during a verwijdering).
        (S0, E.START_SCHORSING): _t(S6, *_SCHORSING),
        (S1, E.START_SCHORSING): _t(S6, *_SCHORSING),
        (S2, E.START_SCHORSING): _t(S6, *_SCHORSING),
        (S3, E.START_SCHORSING): _t(S6, *_SCHORSING),
        (S4, E.START_SCHORSING): _t(S6, *_SCHORSING),
        (S5, E.START_SCHORSING): _t(S6, *_SCHORSING_AGAIN),
        (S6, E.START_SCHORSING): _t(S6, *_SCHORSING_AGAIN),
        (S7, E.START_SCHORSING): _t(S7, *_SCHORSING),
        # Step 7: a verwijdering, from any step when the ground allows it.
        (S0, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S1, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S2, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S3, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S4, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S5, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S6, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S7, E.START_VERWIJDERING): _t(S7, *_VERWIJDERING),
        (S7, E.WITHDRAW_VERWIJDERING): _t(S7, "verwijdering_open"),
        (S7, E.COMPLETE_VERWIJDERING): _t(SX, *_COMPLETE),
        # The director closes the episode when nothing runs any more.
        (S0, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S1, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S2, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S3, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S4, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S5, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S6, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
        (S7, E.CLOSE_EPISODE): _t(SX, "nothing_running"),
    }
)


@dataclass(frozen=True)
class Allowed:
    """Whether EVENT may happen now; the target state when it may, the refusals when it may not."""

    event: Event
    allowed: bool
    target: State | None = None
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


class LadderRefused(RuleRefused):
    """An event the ladder refuses; carries the state, the event and the reason (in Dutch)."""

    def __init__(self, state: State, event: Event, refusals: tuple[Notice, ...]) -> None:
        super().__init__(refusals)
        self.state = state
        self.event = event


def _structural(state: State, event: Event) -> Notice:
    code = EPISODE_CLOSED if state is State.CLOSED else NOT_IN_VERWIJDERING
    return Notice(code, "", str(STRUCTURAL_REASONS[code]))


def check(state: State, event: Event, facts: EpisodeFacts) -> Allowed:
    """Whether EVENT is allowed in STATE given FACTS; every failing guard, in the table's order."""
    state, event = State(state), Event(event)
    transition = TRANSITIONS.get((state, event))
    if transition is None:
        return Allowed(event, False, refusals=(_structural(state, event),))
    failing = tuple(
        Notice(name, "", str(GUARDS[name].reason))
        for name in transition.guards
        if not GUARDS[name].check(facts)
    )
    if failing:
        return Allowed(event, False, refusals=failing)
    return Allowed(event, True, target=transition.target)


def next_steps(state: State, facts: EpisodeFacts) -> list[Allowed]:
    """Every event, in the order of `Event`, with allowed yes/no and the reason when not."""
    return [check(state, event, facts) for event in Event]


def apply(state: State, event: Event, facts: EpisodeFacts) -> State:
    """The state after EVENT; raises LadderRefused (with the Dutch reason) when it is not allowed."""
    result = check(state, event, facts)
    if not result.allowed or result.target is None:
        raise LadderRefused(State(state), Event(event), result.refusals)
    return result.target
