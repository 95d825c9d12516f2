"""Which Meldcode cases a reader may open, for the readers outside the Meldcode app.

The pupil chronology (`lev.dossier.selectors`) and the deadline pages (`lev.deadlines.selectors`)
show a record with visibility "meldcode_case" only to those with access to its case. The rule lives
in `meldcode.permissions`; the Meldcode app registers it here when it loads, so the foundation does
not import the app. Without a registered rule nobody sees such a record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .access import AccessContext

CaseIds = Callable[[AccessContext], Any]  # a queryset of the ids (`.values("pk")`) or a list
UserCheck = Callable[[Any, int, date], bool]  # (user, case id, day) -> may open the case

_rules: list[CaseIds] = []
_checks: list[UserCheck] = []


def register_meldcode_case_ids(rule: CaseIds, check: UserCheck) -> None:
    """RULE gives a reader's case ids (for lists); CHECK answers for one user and one case (for
    whom to tell about a term), without a request."""
    if rule not in _rules:
        _rules.append(rule)
    if check not in _checks:
        _checks.append(check)


def may_open_meldcode_case(user: Any, case_id: int | None, day: date) -> bool:
    """Whether USER may open the Meldcode case CASE_ID on DAY (False without a registered rule)."""
    return case_id is not None and any(check(user, case_id, day) for check in _checks)


def meldcode_case_ids(ctx: AccessContext) -> list[Any]:
    """The ids (as subqueries) of the Meldcode cases CTX's user may open, one per registered rule."""
    return [rule(ctx) for rule in _rules]
