"""The afwegingskader of the Meldcode: five questions as a decision tree, and what the answers decide.

Sources: Besluit verplichte meldcode huiselijk geweld en kindermishandeling (2019, the afwegingskader
mandatory since 1 January 2019); the policy plan, Bijlage 27 "Het afwegingskader in de Meldcode
HGKM" (the five afwegingen with their yes/no branches, the definitions of acute and structural
unsafety, "De afwegingen 3 tot en met 5 worden samen met Veilig Thuis doorlopen"); LEGAL.md §4, M2
(the tree) and M3 (the plan's §14.2 contradicts Bijlage 27; LEV follows Bijlage 27 and shows why).

The tree, as `QUESTIONS` encodes it:

- q1 suspicion of (the threat of) domestic violence or child abuse? no → close and record
  (terminal); yes → q2.
- q2 acute or structural unsafety? yes → a melding is required and the walk continues at q3, which
  with q4 and q5 is then answered together with Veilig Thuis; no → q3.
- q3 can effective help be organised? no → melden (terminal); yes → q4.
- q4 do those involved accept the help? no → melden (terminal); yes → help is offered or
  organised, q5.
- q5 does the help lead to the necessary safety in time? no → (re)melden (terminal); yes → close
  the help with agreements on monitoring (terminal).

Question 1 reads "op basis van de stappen 1 tot en met 3": the plan's "1 tot en met 5" names the
weighing and the decision themselves (steps 4 and 5 of LEGAL.md M1) and is circular.

`evaluate` walks the tree from q1 with the answers given so far (missing or None = not answered),
stops at the first unanswered question or at a terminal node and ignores any answer after it. In a
non-terminal state the outcome so far is `report` once a melding is required, else `help` once help
is accepted (q4 yes), else None. The reasoning, date and author of each answer and whether it was
answered with Veilig Thuis are stored by the case, not here.

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # A lazy translation (gettext_lazy): a str in the language active when it is used.
    from django.utils.functional import _StrPromise as StrPromise
else:
    from django.utils.functional import Promise as StrPromise

__all__ = [
    "FIRST_QUESTION",
    "M3_NOTE",
    "OUTCOME_LABELS",
    "QUESTIONS",
    "QUESTION_KEYS",
    "VEILIG_THUIS_NOTE",
    "Branch",
    "Decision",
    "Outcome",
    "Question",
    "asked_with_veilig_thuis",
    "closable",
    "evaluate",
]


class Outcome(StrEnum):
    """What the afwegingskader decides (so far)."""

    CLOSE = "close"
    REPORT = "report"
    HELP = "help"
    CLOSE_WITH_MONITORING = "close_with_monitoring"


OUTCOME_LABELS: Mapping[Outcome, StrPromise] = MappingProxyType(
    {
        Outcome.CLOSE: _("Close and record in the file"),
        Outcome.REPORT: _("Report to Veilig Thuis"),
        Outcome.HELP: _("Offer or organise help"),
        Outcome.CLOSE_WITH_MONITORING: _("Close the help with agreements on monitoring future (un)safety"),
    }
)


@dataclass(frozen=True)
class Branch:
    """Where an answer leads.

    TARGET is the key of the next question, or the terminal `Outcome` the walk ends in. REPORT: this
    answer makes a melding to Veilig Thuis required. HELP: this answer means help is offered or
    organised (q4 yes). LABEL is Bijlage 27's text for the branch.
    """

    target: str | Outcome
    label: StrPromise
    report: bool = False
    help: bool = False

    @property
    def terminal(self) -> bool:
        return isinstance(self.target, Outcome)


@dataclass(frozen=True)
class Question:
    """One afweging of Bijlage 27.

    TEXT is the question, SHORT a few words for the recorded path, GUIDANCE the explanation and
    sub-questions the plan gives with it. YES and NO are the two branches. WITH_VEILIG_THUIS: the
    question is answered together with Veilig Thuis when it follows a required melding (q3–q5; see
    `asked_with_veilig_thuis`).
    """

    key: str
    number: int
    text: StrPromise
    short: StrPromise
    guidance: tuple[StrPromise, ...]
    yes: Branch
    no: Branch
    with_veilig_thuis: bool = False

    def branch(self, answer: bool) -> Branch:
        return self.yes if answer else self.no


_REPORT = _("Report to Veilig Thuis")

QUESTIONS: Mapping[str, Question] = MappingProxyType(
    {
        "q1": Question(
            key="q1",
            number=1,
            text=_(
                "Based on steps 1 to 3 of the meldcode, do I suspect (the threat of) domestic "
                "violence and/or child abuse?"
            ),
            short=_("Suspicion of domestic violence or child abuse?"),
            guidance=(),
            yes=Branch("q2", _("Continue with question 2")),
            no=Branch(Outcome.CLOSE, _("Close and record in the file")),
        ),
        "q2": Question(
            key="q2",
            number=2,
            text=_(
                "Based on steps 1 to 4 of the meldcode, do I estimate that there is acute "
                "unsafety (A) and/or structural unsafety (B)?"
            ),
            short=_("Acute or structural unsafety?"),
            guidance=(
                _(
                    "A. Acute unsafety: a person is in direct physical danger, their safety is "
                    "not guaranteed in the coming days and they need protection at once (for "
                    "example: violence by an ex-partner with the use of weapons)."
                ),
                _(
                    "B. Structural unsafety: unsafe situations or violence in the relationship "
                    "recur or continue. A history of domestic violence or child abuse is the "
                    "most important predictor of continuing unsafety (as perpetrator and as "
                    "victim) in the future. To weigh whether there is structural unsafety, "
                    "information is needed on at least three factors: recurrence of violence, "
                    "signals from the parents and signals from the child or other victims."
                ),
                _(
                    "With acute unsafety, besides the melding to Veilig Thuis, direction on "
                    "safety, a coordinated (multidisciplinary) approach and monitoring are always "
                    "needed, also when those involved are open to voluntary help."
                ),
            ),
            yes=Branch(
                "q3",
                _("Report to Veilig Thuis; questions 3 to 5 are then answered together with Veilig Thuis"),
                report=True,
            ),
            no=Branch("q3", _("Continue with question 3")),
        ),
        "q3": Question(
            key="q3",
            number=3,
            text=_(
                "Am I able to organise effective help to avert the threat of (future) domestic "
                "violence and/or child abuse?"
            ),
            short=_("Can effective help be organised?"),
            guidance=(
                _("Do I have enough means to form a current picture of the safety?"),
                _(
                    "Do I have sufficient insight into unsafe events in the history and/or into "
                    "the facts underlying the unsafety that may have been established?"
                ),
                _(
                    "Do I have sufficient means to offer or organise suitable and coherent help "
                    "with safety as its result?"
                ),
            ),
            yes=Branch("q4", _("Continue with question 4")),
            no=Branch(Outcome.REPORT, _REPORT, report=True),
            with_veilig_thuis=True,
        ),
        "q4": Question(
            key="q4",
            number=4,
            text=_(
                "Do those involved accept help to avert the threat of (future) domestic violence "
                "and/or child abuse, and are they willing to commit themselves to it?"
            ),
            short=_("Do those involved accept the help?"),
            guidance=(
                _(
                    "This question is about whether those involved, all members of the (family) "
                    "system and also the (wider) network of (informal) supporters, are willing "
                    "and able to take up the proposed help at once."
                ),
            ),
            yes=Branch("q5", _("Offer or organise help; continue with question 5"), help=True),
            no=Branch(Outcome.REPORT, _REPORT, report=True),
            with_veilig_thuis=True,
        ),
        "q5": Question(
            key="q5",
            number=5,
            text=_(
                "Does the help lead, within the desired term, to the necessary results for the "
                "safety and/or the well-being (recovery) of all those involved?"
            ),
            short=_("Does the help lead to safety in time?"),
            guidance=(
                _(
                    "Does the help that was started lead to the necessary results for the "
                    "child's safety and well-being?"
                ),
                _("Has my concern about the child decreased, stayed the same or increased?"),
                _("Are the problems bigger or more serious than expected?"),
                _("Have the agreements we made with the parents been kept?"),
            ),
            yes=Branch(
                Outcome.CLOSE_WITH_MONITORING,
                _(
                    "Close the help with agreements on monitoring future (un)safety with those "
                    "involved and partners"
                ),
            ),
            no=Branch(Outcome.REPORT, _("Report (again) to Veilig Thuis"), report=True),
            with_veilig_thuis=True,
        ),
    }
)

QUESTION_KEYS: tuple[str, ...] = tuple(QUESTIONS)
FIRST_QUESTION = "q1"

VEILIG_THUIS_NOTE = _("Questions 3 to 5 are answered together with Veilig Thuis when they follow a melding.")

# LEGAL.md M3: why LEV follows Bijlage 27 and not the plan's §14.2; shown where the outcome is.
M3_NOTE = _(
    "LEV follows the afwegingskader of Bijlage 27 and the Meldcode decree of 2019: a melding to "
    "Veilig Thuis is required when there is acute or structural unsafety, when effective help "
    "cannot be organised, when those involved do not accept the help, or when the help does not "
    "lead to the necessary safety in time. Section 14.2 of the policy plan says a melding is made "
    "only when the parents accept no (external) support and the child's situation does not "
    "improve. That contradicts the plan's own Bijlage 27 and the law, so LEV does not follow it."
)


@dataclass(frozen=True)
class Decision:
    """The state of the afwegingskader after the answers given so far.

    OUTCOME: the terminal outcome, or in a non-terminal state `report` once a melding is required,
    else `help` once help is accepted, else None. PATH: the questions answered along the walk, in
    order. NEXT_QUESTION: the question to answer next, None at a terminal node. REPORT_REQUIRED: a
    melding to Veilig Thuis is required (q2 yes, or q3, q4 or q5 no).
    """

    outcome: Outcome | None
    path: tuple[str, ...]
    next_question: str | None
    report_required: bool


def evaluate(answers: Mapping[str, bool | None]) -> Decision:
    """Walk the afwegingskader from q1 with ANSWERS (question key → yes/no; missing or None: not
    answered).

    Raises ValueError for a key other than q1…q5 and TypeError for an answer that is not True, False
    or None (a form value such as "no" or 0 must be converted first, never taken for its truth).
    Answers after the first unanswered question or after a terminal node are ignored.
    """
    unknown = sorted(str(key) for key in answers if key not in QUESTIONS)
    if unknown:
        raise ValueError(f"unknown afwegingskader question(s): {', '.join(unknown)}")
    for key, answer in answers.items():
        if answer is not None and not isinstance(answer, bool):
            raise TypeError(f"answer to {key} must be True, False or None, not {answer!r}")

    path: list[str] = []
    report_required = False
    helping = False
    key = FIRST_QUESTION
    while True:
        answer = answers.get(key)
        if answer is None:
            outcome = Outcome.REPORT if report_required else Outcome.HELP if helping else None
            return Decision(outcome, tuple(path), key, report_required)
        branch = QUESTIONS[key].branch(answer)
        path.append(key)
        report_required = report_required or branch.report
        helping = helping or branch.help
        if isinstance(branch.target, Outcome):
            return Decision(branch.target, tuple(path), None, report_required)
        key = branch.target


def closable(decision: Decision) -> bool:
    """Whether the afwegingskader lets the case close: the walk has reached a terminal node
    (`close`, `report` or `close_with_monitoring`; no question left to answer).

    This is the afwegingskader's part only. When `decision.report_required`, the case may close
    only once the melding is recorded, whatever the outcome (also after `close_with_monitoring`
    following q2 yes); the case's step rules check that, not this function. A non-terminal state
    (next_question set, also with outcome `report` or `help`) is never closable: the weighing is not
    finished.
    """
    return decision.next_question is None and decision.outcome is not None


def asked_with_veilig_thuis(decision: Decision) -> bool:
    """Whether DECISION's next question is to be answered together with Veilig Thuis: it is one of
    q3–q5 and it follows a required melding (Bijlage 27: "De afwegingen 3 tot en met 5 worden samen
    met Veilig Thuis doorlopen")."""
    if decision.next_question is None:
        return False
    return decision.report_required and QUESTIONS[decision.next_question].with_veilig_thuis
