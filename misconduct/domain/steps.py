"""The steps the board takes after a report of misconduct by a staff member, and their order.

Sources:
- WPO art. 4a (sexual abuse, sexual harassment and other sexual offences against a pupil by someone
  working for the school): the staff member informs the board (bevoegd gezag) at once; the board
  consults the vertrouwensinspecteur onverwijld (lid 1); when that gives a reasonable suspicion of a
  criminal offence it files an aangifte onverwijld and tells the vertrouwensinspecteur (lid 2), after
  informing the parents of the pupil and the accused (lid 3). Policy plan Bijlage 7, steps 1–6;
  LEGAL.md §5.
- Physical abuse by a staff member (Bijlage 7: "seksueel of fysiek (heeft) misbruikt"): not WPO 4a,
  but the same board-only route with its own steps, each onverwijld (policy, rule
  `fysiek-geweld-personeel`): a conversation with the reporter and those involved, informing the
  parents, measures concerning the staff member, and the decision whether to file an aangifte.

Pure: no Django, no clock. A step is recorded once (measures may be recorded more than once); a
step that follows another may not be recorded before it. The deadline rule of each step is opened
when its start event happens: the report reaching the board, the decision that there is a reasonable
suspicion, or the aangifte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SEXUAL = "sexual"
PHYSICAL = "physical"
KINDS = (SEXUAL, PHYSICAL)

# Start events of a step's deadline (besides the code of a step whose recording opens it).
ON_REPORT = "report"
ON_SUSPICION = "suspicion_yes"
ON_NO_SUSPICION = "suspicion_no"

SUSPICION = "suspicion"


class UnknownStep(KeyError):
    """The step code does not belong to this kind of report."""


@dataclass(frozen=True)
class StepSpec:
    code: str
    # The deadline rule opened for this step, and the event that opens it.
    rule: str | None = None
    opens_on: str | None = None
    # What must be recorded first: step codes, or ON_SUSPICION (a suspicion decided "yes").
    needs: tuple[str, ...] = ()
    # The step asks a yes/no decision (reasonable suspicion; aangifte filed).
    decision: bool = False
    note_required: bool = True
    # The aangifte asks where it was filed.
    place_required: bool = False
    repeatable: bool = False
    required_to_close: bool = True


WPO4A_STEPS: tuple[StepSpec, ...] = (
    StepSpec("consult", rule="wpo4a-overleg-vertrouwensinspecteur", opens_on=ON_REPORT),
    StepSpec(SUSPICION, needs=("consult",), decision=True),
    StepSpec("inform", rule="wpo4a-informeren", opens_on=ON_SUSPICION, needs=(ON_SUSPICION,)),
    StepSpec(
        "police_report",
        rule="wpo4a-aangifte",
        opens_on=ON_SUSPICION,
        needs=(ON_SUSPICION,),
        note_required=False,
        place_required=True,
    ),
    StepSpec(
        "inspector_informed",
        rule="wpo4a-vertrouwensinspecteur-informeren",
        opens_on="police_report",
        needs=("police_report",),
        note_required=False,
    ),
    StepSpec("measures", repeatable=True, required_to_close=False),
)

PHYSICAL_RULE = "fysiek-geweld-personeel"
PHYSICAL_STEPS: tuple[StepSpec, ...] = (
    StepSpec("conversation", rule=PHYSICAL_RULE, opens_on=ON_REPORT),
    StepSpec("parents_informed", rule=PHYSICAL_RULE, opens_on=ON_REPORT),
    StepSpec("measures", rule=PHYSICAL_RULE, opens_on=ON_REPORT, repeatable=True),
    StepSpec("police_considered", rule=PHYSICAL_RULE, opens_on=ON_REPORT, decision=True),
)


@dataclass(frozen=True)
class Done:
    """A recorded step: its code and, for a decision, the answer."""

    code: str
    decision: bool | None = None


def specs(kind: str) -> tuple[StepSpec, ...]:
    if kind == SEXUAL:
        return WPO4A_STEPS
    if kind == PHYSICAL:
        return PHYSICAL_STEPS
    raise UnknownStep(kind)


def spec(kind: str, code: str) -> StepSpec:
    for step in specs(kind):
        if step.code == code:
            return step
    raise UnknownStep(code)


def suspicion(kind: str, done: Sequence[Done]) -> bool | None:
    """The board's decision on a reasonable suspicion (WPO 4a only), or None while undecided."""
    if kind != SEXUAL:
        return None
    return next((d.decision for d in done if d.code == SUSPICION), None)


def blocked(kind: str, done: Sequence[Done], code: str) -> str | None:
    """Why CODE cannot be recorded now, or None when it can.

    Reasons: "done" (recorded already), "no_suspicion" (the board found no reasonable suspicion:
    nothing follows), "needs_suspicion_yes" (only after a reasonable suspicion), "needs_<code>" (the
    step that must come first).
    """
    step = spec(kind, code)
    codes = {d.code for d in done}
    if code in codes and not step.repeatable:
        return "done"
    decided = suspicion(kind, done)
    if decided is False:
        return "no_suspicion"
    for need in step.needs:
        if need == ON_SUSPICION:
            if decided is not True:
                return "needs_suspicion_yes"
        elif need not in codes:
            return f"needs_{need}"
    return None


def available(kind: str, done: Sequence[Done]) -> list[str]:
    """The steps that may be recorded now, in route order."""
    return [s.code for s in specs(kind) if blocked(kind, done, s.code) is None]


def outstanding(kind: str, done: Sequence[Done]) -> list[str]:
    """The steps still to be taken before the report can be closed, in route order.

    For WPO 4a the steps after the decision count only once it is "yes"; after "no" nothing is
    outstanding (the report closes with the reasons).
    """
    codes = {d.code for d in done}
    decided = suspicion(kind, done)
    if decided is False:
        return []
    return [
        step.code
        for step in specs(kind)
        if step.required_to_close and step.code not in codes and _applies(kind, step, decided)
    ]


def _applies(kind: str, step: StepSpec, decided: bool | None) -> bool:
    """Whether STEP is part of this report's route: steps after the suspicion decision only once it
    is "yes" (also those that follow them, such as telling the vertrouwensinspecteur)."""
    for need in step.needs:
        if need == ON_SUSPICION:
            if decided is not True:
                return False
        elif not _applies(kind, spec(kind, need), decided):
            return False
    return True


def next_step(kind: str, done: Sequence[Done]) -> str | None:
    """The first outstanding step that can be taken now (or the first outstanding one)."""
    todo = outstanding(kind, done)
    ready = [code for code in todo if blocked(kind, done, code) is None]
    if ready:
        return ready[0]
    return todo[0] if todo else None


def may_close(kind: str, done: Sequence[Done]) -> bool:
    """Whether the board may close the report: every required step has been recorded."""
    return not outstanding(kind, done)


def closes_on(kind: str, code: str, decision: bool | None) -> bool:
    """Whether recording this step closes the report: no reasonable suspicion (WPO 4a)."""
    return kind == SEXUAL and code == SUSPICION and decision is False


def event_of(code: str, decision: bool | None) -> str:
    """The start event that recording CODE (with DECISION) is."""
    if code == SUSPICION:
        return ON_SUSPICION if decision else ON_NO_SUSPICION
    return code


def terms_opened_by(kind: str, event: str) -> tuple[StepSpec, ...]:
    """The steps whose deadline opens at EVENT (ON_REPORT, ON_SUSPICION or a step code)."""
    return tuple(s for s in specs(kind) if s.rule is not None and s.opens_on == event)


def follows(kind: str, code: str) -> tuple[str, ...]:
    """The steps CODE comes after: it may not be dated before any of them."""
    return tuple(SUSPICION if need == ON_SUSPICION else need for need in spec(kind, code).needs)
