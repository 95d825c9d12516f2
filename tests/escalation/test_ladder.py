"""The ladder of escalation/domain/ladder.py: the full State × Event matrix and every guard (no database).

The matrices below are written out by hand from Bijlage 4 and LEGAL.md §3, not generated from the
table under test. Each cell is the expected new state, or "!code" for a refusal with that reason code
(the first failing guard, or a structural refusal). Columns, in the order of `Event`:

  RS1..RS4  record step 1..4          REQ/APP/REJ  request / approve / reject a time-out
  SCH       start a schorsing         VER/WDR/CMP  start / withdraw / complete a verwijdering
  CLS       close the episode
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from escalation.domain.ladder import (
    EVENT_LABELS,
    GUARDS,
    STEP_NAMES,
    TRANSITIONS,
    EpisodeFacts,
    Event,
    LadderRefused,
    State,
    Step,
    apply,
    check,
    implied_steps,
    next_steps,
    step_of,
)
from escalation.domain.verwijdering import VerwijderingGround

G = VerwijderingGround
E = Event


COLUMNS = (
    E.RECORD_STEP_1,
    E.RECORD_STEP_2,
    E.RECORD_STEP_3,
    E.RECORD_STEP_4,
    E.REQUEST_TIME_OUT,
    E.APPROVE_TIME_OUT,
    E.REJECT_TIME_OUT,
    E.START_SCHORSING,
    E.START_VERWIJDERING,
    E.WITHDRAW_VERWIJDERING,
    E.COMPLETE_VERWIJDERING,
    E.CLOSE_EPISODE,
)

# Facts in which each event's own guards hold (what a director would have recorded first).
READY: dict[Event, EpisodeFacts] = {
    E.RECORD_STEP_1: EpisodeFacts(),
    E.RECORD_STEP_2: EpisodeFacts(),
    E.RECORD_STEP_3: EpisodeFacts(),
    E.RECORD_STEP_4: EpisodeFacts(steps_done=frozenset({Step.SAMEN_EEN_OPLOSSING})),
    E.REQUEST_TIME_OUT: EpisodeFacts(steps_done=frozenset({Step.SAMEN_EEN_OPLOSSING, Step.SCHOOL_EN_OUDERS})),
    E.APPROVE_TIME_OUT: EpisodeFacts(time_out_requested=True),
    E.REJECT_TIME_OUT: EpisodeFacts(time_out_requested=True),
    E.START_SCHORSING: EpisodeFacts(steps_done=frozenset({Step.TIME_OUT}), schorsing_authorised=True),
    E.START_VERWIJDERING: EpisodeFacts(verwijdering_ground=G.ONDERSTEUNINGSBEHOEFTE),
    E.WITHDRAW_VERWIJDERING: EpisodeFacts(verwijdering_open=True),
    E.COMPLETE_VERWIJDERING: EpisodeFacts(
        verwijdering_open=True, verwijdering_decided=True, accepting_school_recorded=True
    ),
    E.CLOSE_EPISODE: EpisodeFacts(),
}

NIV = "!not_in_verwijdering"
CLOSED_ROW = ("!episode_closed",) * 12

# With READY facts: only the table's structure can refuse. A state is the highest step reached, so
# a lower step keeps it; a time-out request keeps it until the approval puts the pupil on step 5.
READY_MATRIX: dict[State, tuple[str, ...]] = {
    #                RS1       RS2       RS3       RS4       REQ       APP       REJ       SCH       VER       WDR       CMP       CLS
    State.OPEN:   ("step_1", "step_2", "step_3", "step_4", "open",   "step_5", "open",   "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_1: ("step_1", "step_2", "step_3", "step_4", "step_1", "step_5", "step_1", "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_2: ("step_2", "step_2", "step_3", "step_4", "step_2", "step_5", "step_2", "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_3: ("step_3", "step_3", "step_3", "step_4", "step_3", "step_5", "step_3", "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_4: ("step_4", "step_4", "step_4", "step_4", "step_4", "step_5", "step_4", "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_5: ("step_5", "step_5", "step_5", "step_5", "step_5", "step_5", "step_5", "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_6: ("step_6", "step_6", "step_6", "step_6", "step_6", "step_6", "step_6", "step_6", "step_7", NIV,      NIV,      "closed"),
    State.STEP_7: ("step_7", "step_7", "step_7", "step_7", "step_7", "step_7", "step_7", "step_7", "step_7", "step_7", "closed", "closed"),
    State.CLOSED: CLOSED_ROW,
}  # fmt: skip

S3R = "!step_3_reached"
S4R = "!step_4_reached_or_serious_incident"
S5R = "!step_5_reached_or_serious_incident"
TOP = "!time_out_pending"
GC = "!ground_chosen"
AUTH = "!schorsing_authorised"
VO = "!verwijdering_open"

# With no facts at all (EpisodeFacts()): the guards refuse what needs an earlier record. The state
# proves some facts itself: on step 3 or 4 step 3 was reached; on step 4 a time-out may be asked;
# on step 5 or 6 a schorsing needs only the board (or the mandate).
BARE_MATRIX: dict[State, tuple[str, ...]] = {
    #                RS1       RS2       RS3       RS4       REQ       APP  REJ  SCH   VER  WDR  CMP  CLS
    State.OPEN:   ("step_1", "step_2", "step_3", S3R,      S4R,      TOP, TOP, S5R,  GC,  NIV, NIV, "closed"),
    State.STEP_1: ("step_1", "step_2", "step_3", S3R,      S4R,      TOP, TOP, S5R,  GC,  NIV, NIV, "closed"),
    State.STEP_2: ("step_2", "step_2", "step_3", S3R,      S4R,      TOP, TOP, S5R,  GC,  NIV, NIV, "closed"),
    State.STEP_3: ("step_3", "step_3", "step_3", "step_4", S4R,      TOP, TOP, S5R,  GC,  NIV, NIV, "closed"),
    State.STEP_4: ("step_4", "step_4", "step_4", "step_4", "step_4", TOP, TOP, S5R,  GC,  NIV, NIV, "closed"),
    State.STEP_5: ("step_5", "step_5", "step_5", "step_5", "step_5", TOP, TOP, AUTH, GC,  NIV, NIV, "closed"),
    State.STEP_6: ("step_6", "step_6", "step_6", "step_6", "step_6", TOP, TOP, AUTH, GC,  NIV, NIV, "closed"),
    State.STEP_7: ("step_7", "step_7", "step_7", "step_7", "step_7", TOP, TOP, S5R,  GC,  VO,  VO,  "closed"),
    State.CLOSED: CLOSED_ROW,
}  # fmt: skip


@pytest.fixture(autouse=True, scope="module")
def _dutch() -> Iterator[None]:
    """The texts are checked in Dutch, the interface language: the Dutch catalogue translates the msgids."""
    with translation.override("nl"):
        yield


def _cells(matrix: dict[State, tuple[str, ...]]) -> list[tuple[State, Event, str]]:
    return [(state, event, row[i]) for state, row in matrix.items() for i, event in enumerate(COLUMNS)]


def _assert_cell(state: State, event: Event, facts: EpisodeFacts, expected: str) -> None:
    result = check(state, event, facts)
    if expected.startswith("!"):
        assert not result.allowed
        assert result.target is None
        assert result.code == expected[1:]
        assert result.reason  # a Dutch sentence for the ladder page
        with pytest.raises(LadderRefused) as refused:
            apply(state, event, facts)
        assert refused.value.code == expected[1:]
        assert refused.value.message == result.reason
        assert (refused.value.state, refused.value.event) == (state, event)
    else:
        assert result.allowed, result.reason
        assert result.target == State(expected)
        assert result.refusals == ()
        assert apply(state, event, facts) == State(expected)


def test_the_matrices_cover_every_state_and_event() -> None:
    assert tuple(Event) == COLUMNS
    for matrix in (READY_MATRIX, BARE_MATRIX):
        assert set(matrix) == set(State)
        assert all(len(row) == len(Event) for row in matrix.values())


@pytest.mark.parametrize(("state", "event", "expected"), _cells(READY_MATRIX))
def test_matrix_when_the_events_own_facts_are_recorded(state: State, event: Event, expected: str) -> None:
    _assert_cell(state, event, READY[event], expected)


@pytest.mark.parametrize(("state", "event", "expected"), _cells(BARE_MATRIX))
def test_matrix_when_nothing_is_recorded(state: State, event: Event, expected: str) -> None:
    _assert_cell(state, event, EpisodeFacts(), expected)


# --- the plan's steps ---------------------------------------------------------------------------


def test_steps_carry_the_plans_names() -> None:
    assert [(int(step), str(STEP_NAMES[step])) for step in Step] == [
        (1, "Ik kan het zelf"),
        (2, "Ik vraag hulp"),
        (3, "We zoeken samen een oplossing"),
        (4, "School en ouders werken samen"),
        (5, "Time-out"),
        (6, "Schorsing"),
        (7, "Verwijdering"),
    ]
    assert step_of(State.OPEN) is None
    assert step_of(State.CLOSED) is None
    assert step_of(State.STEP_6) is Step.SCHORSING


def test_steps_1_and_2_are_implied_by_step_3() -> None:
    assert implied_steps(frozenset()) == frozenset()
    assert implied_steps(frozenset({Step.IK_KAN_HET_ZELF})) == {Step.IK_KAN_HET_ZELF}
    assert implied_steps(frozenset({Step.SAMEN_EEN_OPLOSSING})) == {1, 2, 3}
    assert implied_steps(frozenset({Step.TIME_OUT})) == {1, 2, 5}


def test_steps_1_and_2_are_optional() -> None:
    # Straight to the conversation of step 3, then step 4, then a time-out: no step 1 or 2 recorded.
    state = apply(State.OPEN, E.RECORD_STEP_3, EpisodeFacts())
    facts = EpisodeFacts(steps_done=frozenset({Step.SAMEN_EEN_OPLOSSING}))
    state = apply(state, E.RECORD_STEP_4, facts)
    facts = EpisodeFacts(steps_done=frozenset({Step.SAMEN_EEN_OPLOSSING, Step.SCHOOL_EN_OUDERS}))
    assert apply(state, E.REQUEST_TIME_OUT, facts) is State.STEP_4
    facts = EpisodeFacts(steps_done=facts.steps_done, time_out_requested=True)
    assert apply(state, E.APPROVE_TIME_OUT, facts) is State.STEP_5


def test_step_4_needs_step_3() -> None:
    result = check(State.STEP_2, E.RECORD_STEP_4, EpisodeFacts(steps_done=frozenset({Step.IK_VRAAG_HULP})))
    assert result.code == "step_3_reached"
    assert result.reason == (
        "Stap 4 (School en ouders werken samen) volgt op het gesprek van stap 3 (We zoeken samen een "
        "oplossing). Leg eerst stap 3 vast (Bijlage 4)."
    )


# --- time-out -----------------------------------------------------------------------------------


def test_a_serious_incident_with_a_reason_goes_straight_to_time_out() -> None:
    facts = EpisodeFacts(serious_incident_reason="Slaat een medeleerling met een stoel.")
    assert apply(State.OPEN, E.REQUEST_TIME_OUT, facts) is State.OPEN
    approved = EpisodeFacts(serious_incident_reason=facts.serious_incident_reason, time_out_requested=True)
    assert apply(State.OPEN, E.APPROVE_TIME_OUT, approved) is State.STEP_5


def test_a_serious_incident_without_a_reason_does_not_count() -> None:
    result = check(State.OPEN, E.REQUEST_TIME_OUT, EpisodeFacts(serious_incident_reason="   "))
    assert result.code == "step_4_reached_or_serious_incident"
    assert "ernstige incident vast met een reden" in result.reason


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (EpisodeFacts(serious_incident_reason="x", schorsing_running=True), "no_schorsing_running"),
        (EpisodeFacts(serious_incident_reason="x", time_out_requested=True), "no_time_out_pending"),
        (EpisodeFacts(serious_incident_reason="x", time_out_running=True), "no_time_out_running"),
    ],
)
def test_a_time_out_request_is_refused_while_something_runs(facts: EpisodeFacts, code: str) -> None:
    assert check(State.STEP_3, E.REQUEST_TIME_OUT, facts).code == code


def test_a_time_out_is_not_approved_while_the_pupil_is_suspended() -> None:
    facts = EpisodeFacts(time_out_requested=True, schorsing_running=True)
    result = check(State.STEP_6, E.APPROVE_TIME_OUT, facts)
    assert result.code == "no_schorsing_running"
    assert "niet op school" in result.reason
    # Rejecting the request is still possible.
    assert apply(State.STEP_6, E.REJECT_TIME_OUT, facts) is State.STEP_6


def test_a_lower_step_after_a_time_out_keeps_the_pupil_on_step_5() -> None:
    assert apply(State.STEP_5, E.RECORD_STEP_4, EpisodeFacts()) is State.STEP_5


# --- schorsing ----------------------------------------------------------------------------------


def test_a_very_serious_incident_goes_straight_to_schorsing_with_the_boards_approval() -> None:
    facts = EpisodeFacts(serious_incident_reason="Bedreigt de leerkracht met een mes.")
    refused = check(State.OPEN, E.START_SCHORSING, facts)
    assert refused.code == "schorsing_authorised"
    assert refused.reason.startswith("Schorsing vraagt eerst goedkeuring van het bestuur")
    authorised = EpisodeFacts(
        serious_incident_reason=facts.serious_incident_reason, schorsing_authorised=True
    )
    assert apply(State.OPEN, E.START_SCHORSING, authorised) is State.STEP_6


def test_no_second_schorsing_while_one_runs() -> None:
    facts = EpisodeFacts(
        steps_done=frozenset({Step.SCHORSING}), schorsing_running=True, schorsing_authorised=True
    )
    assert check(State.STEP_6, E.START_SCHORSING, facts).code == "no_schorsing_running"


def test_one_schorsing_during_a_verwijdering() -> None:
    base = {
        "steps_done": frozenset({Step.TIME_OUT, Step.VERWIJDERING}),
        "schorsing_authorised": True,
        "verwijdering_open": True,
        "verwijdering_ground": G.ERNSTIG_WANGEDRAG,
    }
    assert apply(State.STEP_7, E.START_SCHORSING, EpisodeFacts(**base)) is State.STEP_7  # type: ignore[arg-type]
    second = EpisodeFacts(**base, schorsing_during_verwijdering=True)  # type: ignore[arg-type]
    result = check(State.STEP_7, E.START_SCHORSING, second)
    assert result.code == "one_schorsing_during_verwijdering"
    assert "'tijdelijke verwijdering' bestaat niet" in result.reason


# --- verwijdering -------------------------------------------------------------------------------


@pytest.mark.parametrize("ground", [G.ONDERSTEUNINGSBEHOEFTE, G.GEDRAG_OUDERS, G.GRONDSLAG])
def test_grounds_1_3_and_4_start_a_verwijdering_without_steps_1_to_6(ground: VerwijderingGround) -> None:
    assert apply(State.OPEN, E.START_VERWIJDERING, EpisodeFacts(verwijdering_ground=ground)) is State.STEP_7


GROUND_2_REASON = (
    "Een verwijdering wegens ernstig wangedrag vraagt eerst dat lichtere maatregelen niet hielpen en dat "
    "de ouders zijn gewaarschuwd (Bijlage 4)."
)


@pytest.mark.parametrize(
    ("failed", "warned", "allowed"),
    [(False, False, False), (True, False, False), (False, True, False), (True, True, True)],
)
def test_ground_2_needs_failed_lighter_measures_and_a_warning(
    failed: bool, warned: bool, allowed: bool
) -> None:
    facts = EpisodeFacts(
        steps_done=frozenset({Step.SCHORSING}),
        verwijdering_ground=G.ERNSTIG_WANGEDRAG,
        lighter_measures_failed=failed,
        warning_given=warned,
    )
    result = check(State.STEP_6, E.START_VERWIJDERING, facts)
    assert result.allowed is allowed
    if not allowed:
        assert result.code == "ground_2_conditions"
        assert result.reason == GROUND_2_REASON


def test_no_second_verwijdering_while_one_runs() -> None:
    facts = EpisodeFacts(verwijdering_ground=G.GRONDSLAG, verwijdering_open=True)
    assert check(State.STEP_7, E.START_VERWIJDERING, facts).code == "no_verwijdering_open"
    # After a withdrawal (bezwaar upheld) a new verwijdering may start from step 7.
    withdrawn = EpisodeFacts(verwijdering_ground=G.GRONDSLAG)
    assert apply(State.STEP_7, E.START_VERWIJDERING, withdrawn) is State.STEP_7


@pytest.mark.parametrize(
    ("decided", "accepting", "codes"),
    [
        (False, False, ("verwijdering_decided", "accepting_school_recorded")),
        (True, False, ("accepting_school_recorded",)),
        (False, True, ("verwijdering_decided",)),
    ],
)
def test_definitive_removal_needs_the_decision_and_an_accepting_school(
    decided: bool, accepting: bool, codes: tuple[str, ...]
) -> None:
    facts = EpisodeFacts(
        verwijdering_open=True, verwijdering_decided=decided, accepting_school_recorded=accepting
    )
    with pytest.raises(LadderRefused) as refused:
        apply(State.STEP_7, E.COMPLETE_VERWIJDERING, facts)
    assert tuple(notice.code for notice in refused.value.refusals) == codes
    if not accepting:
        assert "WPO art. 40 lid 11" in refused.value.refusals[-1].message


# --- closing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "running",
    [
        EpisodeFacts(time_out_requested=True),
        EpisodeFacts(time_out_running=True),
        EpisodeFacts(schorsing_running=True),
        EpisodeFacts(verwijdering_open=True),
    ],
)
def test_an_episode_closes_only_when_nothing_runs(running: EpisodeFacts) -> None:
    assert check(State.STEP_5, E.CLOSE_EPISODE, running).code == "nothing_running"


def test_a_closed_episode_accepts_nothing_even_with_every_fact_recorded() -> None:
    everything = EpisodeFacts(
        steps_done=frozenset(Step),
        serious_incident_reason="x",
        time_out_requested=True,
        schorsing_authorised=True,
        verwijdering_ground=G.ONDERSTEUNINGSBEHOEFTE,
        verwijdering_open=True,
        verwijdering_decided=True,
        accepting_school_recorded=True,
    )
    for allowed in next_steps(State.CLOSED, everything):
        assert not allowed.allowed
        assert allowed.code == "episode_closed"
        assert allowed.reason == "Deze episode is afgesloten. Open een nieuwe episode om verder te gaan."


# --- next_steps and apply -------------------------------------------------------------------------


def test_next_steps_lists_every_event_with_its_reason() -> None:
    facts = EpisodeFacts(
        steps_done=frozenset({Step.SAMEN_EEN_OPLOSSING, Step.SCHOOL_EN_OUDERS}),
        verwijdering_ground=G.ERNSTIG_WANGEDRAG,
    )
    steps = next_steps(State.STEP_4, facts)
    assert [allowed.event for allowed in steps] == list(Event)
    summary = {allowed.event: (allowed.allowed, allowed.code) for allowed in steps}
    assert summary == {
        E.RECORD_STEP_1: (True, None),
        E.RECORD_STEP_2: (True, None),
        E.RECORD_STEP_3: (True, None),
        E.RECORD_STEP_4: (True, None),
        E.REQUEST_TIME_OUT: (True, None),
        E.APPROVE_TIME_OUT: (False, "time_out_pending"),
        E.REJECT_TIME_OUT: (False, "time_out_pending"),
        E.START_SCHORSING: (False, "step_5_reached_or_serious_incident"),
        E.START_VERWIJDERING: (False, "ground_2_conditions"),
        E.WITHDRAW_VERWIJDERING: (False, "not_in_verwijdering"),
        E.COMPLETE_VERWIJDERING: (False, "not_in_verwijdering"),
        E.CLOSE_EPISODE: (True, None),
    }
    by_event = {allowed.event: allowed for allowed in steps}
    assert by_event[E.START_VERWIJDERING].reason == GROUND_2_REASON
    assert by_event[E.REQUEST_TIME_OUT].label == "Time-out aanvragen"
    assert by_event[E.REQUEST_TIME_OUT].reason == ""


def test_apply_reports_every_failing_guard_in_order() -> None:
    facts = EpisodeFacts(schorsing_running=True)
    with pytest.raises(LadderRefused) as refused:
        apply(State.OPEN, E.START_SCHORSING, facts)
    assert [notice.code for notice in refused.value.refusals] == [
        "no_schorsing_running",
        "step_5_reached_or_serious_incident",
        "schorsing_authorised",
    ]
    assert refused.value.code == "no_schorsing_running"
    assert str(refused.value) == refused.value.message


def test_events_and_states_are_accepted_as_their_values() -> None:
    assert apply("open", "record_step_3", EpisodeFacts()) is State.STEP_3  # type: ignore[arg-type]


def test_a_reason_is_an_english_msgid_shown_in_dutch() -> None:
    facts = EpisodeFacts(time_out_requested=True)
    with translation.override("en"):
        english = check(State.STEP_4, E.REQUEST_TIME_OUT, facts)
    with translation.override("nl"):
        dutch = check(State.STEP_4, E.REQUEST_TIME_OUT, facts)
    assert english.code == dutch.code == "no_time_out_pending"
    assert english.reason == "A time-out request is already waiting for approval."
    assert dutch.reason == "Er wacht al een aanvraag voor een time-out op goedkeuring."
    with translation.override("en"):
        assert english.label == "Request a time-out"
    assert dutch.label == "Time-out aanvragen"  # the label is translated when it is read


def test_every_guard_in_the_table_exists_and_speaks_dutch() -> None:
    used = {name for transition in TRANSITIONS.values() for name in transition.guards}
    assert used == set(GUARDS)
    assert all(str(guard.reason).endswith(".") for guard in GUARDS.values())
    assert set(EVENT_LABELS) == set(Event)


# --- a property ---------------------------------------------------------------------------------

FACTS = st.builds(
    EpisodeFacts,
    steps_done=st.frozensets(st.sampled_from(Step)),
    serious_incident_reason=st.sampled_from(["", " ", "Ernstig incident."]),
    time_out_requested=st.booleans(),
    time_out_running=st.booleans(),
    schorsing_running=st.booleans(),
    schorsing_authorised=st.booleans(),
    schorsing_during_verwijdering=st.booleans(),
    verwijdering_ground=st.none() | st.sampled_from(VerwijderingGround),
    lighter_measures_failed=st.booleans(),
    warning_given=st.booleans(),
    verwijdering_open=st.booleans(),
    verwijdering_decided=st.booleans(),
    accepting_school_recorded=st.booleans(),
)


@given(state=st.sampled_from(State), event=st.sampled_from(Event), facts=FACTS)
def test_the_ladder_never_goes_down_and_closed_is_final(
    state: State, event: Event, facts: EpisodeFacts
) -> None:
    result = check(state, event, facts)
    assert result.allowed != bool(result.refusals)
    if state is State.CLOSED:
        assert not result.allowed
    if not result.allowed:
        return
    assert result.target is not None
    if result.target is not State.CLOSED:
        before, after = step_of(state), step_of(result.target)
        if after is None:  # no step yet: a time-out requested or rejected before any step
            assert state is State.OPEN and result.target is State.OPEN
            assert event in (E.REQUEST_TIME_OUT, E.REJECT_TIME_OUT)
        else:
            assert before is None or after >= before
    if event is E.START_VERWIJDERING:
        assert facts.verwijdering_ground is not None
        if facts.verwijdering_ground is G.ERNSTIG_WANGEDRAG:
            assert facts.lighter_measures_failed and facts.warning_given
    if event is E.COMPLETE_VERWIJDERING:
        assert facts.accepting_school_recorded
