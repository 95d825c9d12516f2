"""The afwegingskader of meldcode/domain/afwegingskader.py (no database).

`ROWS` is the table of issue 7, copied by hand (not generated from the tree under test): per row the
answers to q1..q5 ("T", "F", "-" for unanswered, "*" for anything), then outcome, path, next question
and report_required. Each row is tested with several fillings of its "*" cells (all unanswered, all
yes, all no, and mixed), so the rule "answers after a terminal node are ignored" is exercised; a
second test checks that the rows partition all 3^5 answer combinations and that every combination
gets its row's decision.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from meldcode.domain.afwegingskader import (
    FIRST_QUESTION,
    M3_NOTE,
    OUTCOME_LABELS,
    QUESTION_KEYS,
    QUESTIONS,
    Decision,
    Outcome,
    asked_with_veilig_thuis,
    closable,
    evaluate,
)
from tests.i18n_helpers import t

KEYS = ("q1", "q2", "q3", "q4", "q5")
CELL = {"T": True, "F": False, "-": None}
Out = Outcome
Q1_4 = ("q1", "q2", "q3", "q4")
Q1_5 = KEYS

# q1..q5, outcome, path, next, RR — the table, row by row.
ROWS: tuple[tuple[str, Outcome | None, tuple[str, ...], str | None, bool], ...] = (
    ("-****", None, (), "q1", False),
    ("F****", Out.CLOSE, ("q1",), None, False),
    ("T-***", None, ("q1",), "q2", False),
    ("TT-**", Out.REPORT, ("q1", "q2"), "q3", True),
    ("TTF**", Out.REPORT, ("q1", "q2", "q3"), None, True),
    ("TTT-*", Out.REPORT, ("q1", "q2", "q3"), "q4", True),
    ("TTTF*", Out.REPORT, Q1_4, None, True),
    ("TTTT-", Out.REPORT, Q1_4, "q5", True),
    ("TTTTF", Out.REPORT, Q1_5, None, True),
    ("TTTTT", Out.CLOSE_WITH_MONITORING, Q1_5, None, True),
    ("TF-**", None, ("q1", "q2"), "q3", False),
    ("TFF**", Out.REPORT, ("q1", "q2", "q3"), None, True),
    ("TFT-*", None, ("q1", "q2", "q3"), "q4", False),
    ("TFTF*", Out.REPORT, Q1_4, None, True),
    ("TFTT-", Out.HELP, Q1_4, "q5", False),
    ("TFTTF", Out.REPORT, Q1_5, None, True),
    ("TFTTT", Out.CLOSE_WITH_MONITORING, Q1_5, None, False),
)

# Fillings of the "*" cells, cycled over the starred positions left to right.
FILLINGS: tuple[tuple[bool | None, ...], ...] = (
    (None,),
    (True,),
    (False,),
    (True, False, None),
    (False, None, True),
)


def fill(pattern: str, filling: tuple[bool | None, ...]) -> dict[str, bool | None]:
    cycle = itertools.cycle(filling)
    return {key: next(cycle) if cell == "*" else CELL[cell] for key, cell in zip(KEYS, pattern, strict=True)}


def show(answers: dict[str, bool | None]) -> str:
    return "".join({True: "T", False: "F", None: "-"}[answers[key]] for key in KEYS)


def row_cases() -> Iterator[object]:
    for number, (pattern, outcome, path, next_question, rr) in enumerate(ROWS, start=1):
        seen: set[str] = set()
        for filling in FILLINGS:
            answers = fill(pattern, filling)
            if show(answers) in seen:
                continue
            seen.add(show(answers))
            yield pytest.param(
                answers,
                Decision(outcome, path, next_question, rr),
                id=f"row{number:02d}-{pattern}-as-{show(answers)}",
            )


@pytest.mark.parametrize(("answers", "expected"), list(row_cases()))
def test_table_row(answers: dict[str, bool | None], expected: Decision) -> None:
    assert evaluate(answers) == expected


def matches(pattern: str, combination: tuple[bool | None, ...]) -> bool:
    return all(cell == "*" or CELL[cell] is value for cell, value in zip(pattern, combination, strict=True))


def test_rows_partition_every_combination_and_decide_it() -> None:
    """All 243 answer combinations: each matches exactly one row and gets that row's decision."""
    combinations = list(itertools.product((True, False, None), repeat=5))
    assert len(combinations) == 243
    for combination in combinations:
        rows = [row for row in ROWS if matches(row[0], combination)]
        assert len(rows) == 1, (combination, rows)
        _, outcome, path, next_question, rr = rows[0]
        answers = dict(zip(KEYS, combination, strict=True))
        assert evaluate(answers) == Decision(outcome, path, next_question, rr), combination


def test_missing_key_is_unanswered() -> None:
    """Leaving a question out of the mapping is the same as answering None."""
    for combination in itertools.product((True, False, None), repeat=5):
        with_none = dict(zip(KEYS, combination, strict=True))
        without = {key: value for key, value in with_none.items() if value is not None}
        assert evaluate(without) == evaluate(with_none)
    assert evaluate({}) == Decision(None, (), "q1", False)


# The tree of Bijlage 27 / LEGAL.md M2, written out by hand: question → (yes target, no target).
EXPECTED_TREE: dict[str, tuple[str | Outcome, str | Outcome]] = {
    "q1": ("q2", Out.CLOSE),
    "q2": ("q3", "q3"),
    "q3": ("q4", Out.REPORT),
    "q4": ("q5", Out.REPORT),
    "q5": (Out.CLOSE_WITH_MONITORING, Out.REPORT),
}


def test_structure() -> None:
    assert tuple(QUESTIONS) == KEYS == QUESTION_KEYS
    assert FIRST_QUESTION == "q1"
    for number, (key, question) in enumerate(QUESTIONS.items(), start=1):
        assert question.key == key
        assert question.number == number
        # Both branches defined, each leading to a question or a terminal outcome.
        assert (question.yes.target, question.no.target) == EXPECTED_TREE[key]
        for branch in (question.yes, question.no):
            assert str(branch.label)
            if branch.terminal:
                assert isinstance(branch.target, Outcome)
            else:
                # Only forward, to a later question.
                assert branch.target in QUESTIONS
                assert QUESTIONS[str(branch.target)].number > question.number
        assert question.branch(True) is question.yes
        assert question.branch(False) is question.no
    # Which answers make a melding required, which mean help, which questions go with Veilig Thuis.
    reports = {(k, a) for k, q in QUESTIONS.items() for a in (True, False) if q.branch(a).report}
    assert reports == {("q2", True), ("q3", False), ("q4", False), ("q5", False)}
    helps = {(k, a) for k, q in QUESTIONS.items() for a in (True, False) if q.branch(a).help}
    assert helps == {("q4", True)}
    assert [k for k, q in QUESTIONS.items() if q.with_veilig_thuis] == ["q3", "q4", "q5"]
    # HELP is never terminal: it is the state while the help runs (q5 open).
    terminals = {b.target for q in QUESTIONS.values() for b in (q.yes, q.no) if b.terminal}
    assert terminals == {Out.CLOSE, Out.REPORT, Out.CLOSE_WITH_MONITORING}
    assert set(OUTCOME_LABELS) == set(Outcome)


def test_every_walk_goes_forward_and_never_revisits() -> None:
    """Follow every branch from q1: no question twice, every walk ends in a terminal outcome, and
    every question is reachable."""
    reached: set[str] = set()
    walks: list[tuple[str, ...]] = []

    def walk(key: str, path: tuple[str, ...]) -> None:
        assert key not in path
        reached.add(key)
        for branch in (QUESTIONS[key].yes, QUESTIONS[key].no):
            if branch.terminal:
                walks.append((*path, key))
            else:
                walk(str(branch.target), (*path, key))

    walk(FIRST_QUESTION, ())
    assert reached == set(KEYS)
    # q1 no; q2 yes/no × (q3 no, q4 no, q5 no, q5 yes) = 1 + 2 × 4 terminal walks.
    assert len(walks) == 9


@pytest.mark.parametrize("key", ["q0", "q6", "Q1", "q1 ", "", "question1"])
def test_unknown_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="unknown afwegingskader question"):
        evaluate({"q1": True, key: True})


def test_unknown_key_is_refused_even_when_its_answer_is_none() -> None:
    with pytest.raises(ValueError, match="q7"):
        evaluate({"q7": None})


@pytest.mark.parametrize("value", ["no", "", 0, 1])
def test_answer_must_be_a_bool_or_none(value: object) -> None:
    with pytest.raises(TypeError, match="q2"):
        evaluate({"q1": True, "q2": value})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, False),
        ({"q1": False}, True),
        ({"q1": True}, False),
        ({"q1": True, "q2": True}, False),  # outcome report, but q3 is still open
        ({"q1": True, "q2": True, "q3": False}, True),
        ({"q1": True, "q2": False, "q3": True, "q4": True}, False),  # help, q5 open
        ({"q1": True, "q2": False, "q3": True, "q4": True, "q5": False}, True),
        ({"q1": True, "q2": True, "q3": True, "q4": True, "q5": True}, True),
        ({"q1": True, "q2": False, "q3": True, "q4": True, "q5": True}, True),
    ],
)
def test_closable(answers: dict[str, bool | None], expected: bool) -> None:
    assert closable(evaluate(answers)) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, False),
        ({"q1": True}, False),  # q2 next: the school's own weighing
        ({"q1": True, "q2": True}, True),  # q3 after a required melding
        ({"q1": True, "q2": True, "q3": True}, True),
        ({"q1": True, "q2": True, "q3": True, "q4": True}, True),
        ({"q1": True, "q2": False}, False),  # q3 without a melding
        ({"q1": True, "q2": False, "q3": True, "q4": True}, False),
        ({"q1": True, "q2": True, "q3": False}, False),  # terminal: nothing next
    ],
)
def test_asked_with_veilig_thuis(answers: dict[str, bool | None], expected: bool) -> None:
    assert asked_with_veilig_thuis(evaluate(answers)) is expected


answers_strategy = st.fixed_dictionaries(
    {},
    optional={key: st.one_of(st.none(), st.booleans()) for key in KEYS},
)


@given(answers_strategy)
def test_walk_properties(answers: dict[str, bool | None]) -> None:
    decision = evaluate(answers)
    path = decision.path
    # The path is the start of q1..q5, in order, without repeats, every step answered.
    assert path == KEYS[: len(path)]
    assert all(answers.get(key) is not None for key in path)
    # The next question is not in the path and is where the last answer on the path leads.
    if decision.next_question is not None:
        assert decision.next_question not in path
        assert answers.get(decision.next_question) is None
        if path:
            last = QUESTIONS[path[-1]]
            answer = answers[path[-1]]
            assert answer is not None
            assert last.branch(answer).target == decision.next_question
        else:
            assert decision.next_question == "q1"
    else:
        # A terminal node: the last answer on the path leads to the outcome.
        assert path
        answer = answers[path[-1]]
        assert answer is not None
        assert QUESTIONS[path[-1]].branch(answer).target == decision.outcome
    # close only with q1 = no; close is always terminal after q1 alone.
    if decision.outcome is Out.CLOSE:
        assert answers.get("q1") is False and path == ("q1",)
    if answers.get("q1") is False:
        assert decision.outcome is Out.CLOSE
    # A melding is required exactly when an answer on the path says so (q2 yes; q3–q5 no).
    says_report = answers.get("q2") is True and "q2" in path
    says_report |= any(answers.get(key) is False for key in ("q3", "q4", "q5") if key in path)
    assert decision.report_required is says_report
    # In a non-terminal state the outcome is report / help / None as the issue says.
    if decision.next_question is not None:
        if says_report:
            assert decision.outcome is Out.REPORT
        elif "q4" in path and answers.get("q4") is True:
            assert decision.outcome is Out.HELP
        else:
            assert decision.outcome is None
    # Answers outside the path (after the stop) do not change the decision.
    trimmed = {key: answers[key] for key in path}
    assert evaluate(trimmed) == decision


def test_question_one_says_steps_one_to_three_in_dutch() -> None:
    """The plan's "1 tot en met 5" is circular; LEV's question 1 says "1 tot en met 3" (issue 7)."""
    text = QUESTIONS["q1"].text
    with translation.override("en"):
        msgid = str(text)
    assert "steps 1 to 3" in msgid
    with translation.override("nl"):
        dutch = str(text)
    assert dutch == t(msgid)
    assert "1 tot en met 3" in dutch
    assert "1 tot en met 5" not in dutch


def test_m3_note_names_bijlage_27_and_section_14_2() -> None:
    with translation.override("en"):
        note = str(M3_NOTE)
    assert "Bijlage 27" in note
    assert re.search(r"\b14\.2\b", note)
    with translation.override("nl"):
        assert str(M3_NOTE) == t(note)
