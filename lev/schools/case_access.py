"""Which Meldcode cases a reader may open, for the readers outside the Meldcode app.

The pupil chronology (`lev.dossier.selectors`) and the deadline pages (`lev.deadlines.selectors`)
show a record with visibility "meldcode_case" only to those with access to its case. The rule lives
in `meldcode.permissions`; the Meldcode app registers it here when it loads, so the foundation does
not import the app. Without a registered rule nobody sees such a record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .access import AccessContext

CaseIds = Callable[[AccessContext], Any]  # a queryset of the ids (`.values("pk")`) or a list

_rules: list[CaseIds] = []


def register_meldcode_case_ids(rule: CaseIds) -> None:
    if rule not in _rules:
        _rules.append(rule)


def meldcode_case_ids(ctx: AccessContext) -> list[Any]:
    """The ids (as subqueries) of the Meldcode cases CTX's user may open, one per registered rule."""
    return [rule(ctx) for rule in _rules]
