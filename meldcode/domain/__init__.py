"""The Meldcode's rules as data and pure functions: the afwegingskader (afwegingskader.py), the five
steps and what a case needs before it may move on or close (steps.py), and the Balansmodel of step 4
(balans.py).

Sources: Besluit verplichte meldcode huiselijk geweld en kindermishandeling (2019); the policy plan
ch. 14, Bijlage 13, 16, 17 and 27; LEGAL.md §4 (M1–M9). Each module names its own sources.
"""

from .afwegingskader import M3_NOTE, QUESTIONS, Decision, Outcome, closable, evaluate
from .balans import Balans, Factor, Level, check_balans
from .errors import MeldcodeRefused, Notice, RuleOutcome
from .steps import STEPS, Allowed, CaseFacts, Event, Step, check, feedback_reminder_due, next_actions, require

__all__ = [
    "M3_NOTE",
    "QUESTIONS",
    "STEPS",
    "Allowed",
    "Balans",
    "CaseFacts",
    "Decision",
    "Event",
    "Factor",
    "Level",
    "MeldcodeRefused",
    "Notice",
    "Outcome",
    "RuleOutcome",
    "Step",
    "check",
    "check_balans",
    "closable",
    "evaluate",
    "feedback_reminder_due",
    "next_actions",
    "require",
]
