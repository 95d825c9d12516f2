"""Schorsingen on the board's decision page and on the start page ("Waiting for your approval").

- `schorsing_board_section(ctx, board)`: the schorsingen of BOARD's schools submitted to the board
  (R4: the board approves beforehand), and the beroepen and bezwaren against a schorsing waiting for
  the board's decision (R8), each with the date that matters.
- `schorsing_approvals(ctx)`: the same items for a board member, on the start page.

Both link to the board's page of the schorsing (`escalation:board_schorsing`), the one page where the
board sees the pupil's data. To be registered by `EscalationConfig.ready`
(`register_board_section`, `register_approval_source`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lev.deadlines.models import Deadline
from lev.schools.access import AccessContext
from lev.schools.models import Board, Role

from .board import BoardItem, BoardSection
from .models import Objection, ObjectionKind, Schorsing, SchorsingStatus
from .schorsing_services import DECISION_RULE, OBJECTION_TYPE

LIMIT = 50


def _d(day: date) -> str:
    return dateformat.format(day, "d-m-Y")


def _url(schorsing_id: int) -> str:
    return reverse("escalation:board_schorsing", args=[schorsing_id])


def _period(schorsing: Schorsing) -> str:
    if schorsing.first_day == schorsing.last_day:
        return _d(schorsing.first_day)
    return _("%(first)s to %(last)s") % {"first": _d(schorsing.first_day), "last": _d(schorsing.last_day)}


def _board_ids(ctx: AccessContext) -> list[int]:
    return [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]


def _submitted(board_ids: list[int]) -> list[Schorsing]:
    return list(
        Schorsing.objects.filter(board_id__in=board_ids, status=SchorsingStatus.SUBMITTED)
        .select_related("school", "pupil")
        .order_by("first_day", "pk")[:LIMIT]
    )


def _open_objections(board_ids: list[int]) -> list[tuple[Objection, date | None]]:
    objections = list(
        Objection.objects.filter(board_id__in=board_ids, schorsing__isnull=False, decided_on__isnull=True)
        .select_related("school", "schorsing", "schorsing__pupil")
        .order_by("received_on", "pk")[:LIMIT]
    )
    due: dict[str, date] = {}
    for subject_id, due_on in (
        Deadline.objects.filter(
            subject_type=OBJECTION_TYPE,
            subject_id__in=[str(o.pk) for o in objections],
            rule_code=DECISION_RULE,
        )
        .order_by("pk")
        .values_list("subject_id", "due_on")
    ):
        due[subject_id] = due_on  # the latest row wins (after a postponement)
    return [(o, due.get(str(o.pk))) for o in objections]


def _submitted_what(schorsing: Schorsing) -> str:
    if schorsing.back_to_back:
        return _(
            "Schorsing %(days)s: waiting for the board's approval (starts soon after the previous one)"
        ) % {"days": _period(schorsing)}
    return _("Schorsing %(days)s: waiting for the board's approval") % {"days": _period(schorsing)}


def _objection_what(objection: Objection) -> str:
    assert objection.schorsing is not None
    if objection.kind == ObjectionKind.BEZWAAR:
        text = _("Bezwaar against the schorsing %(days)s, received on %(received)s")
    else:
        text = _("Beroep against the schorsing %(days)s, received on %(received)s")
    return text % {"days": _period(objection.schorsing), "received": _d(objection.received_on)}


def schorsing_board_section(ctx: AccessContext, board: Board) -> BoardSection:
    """What waits for BOARD about schorsingen: submissions to approve, beroepen and bezwaren to decide."""
    section = BoardSection(
        key="schorsingen",
        title=gettext_lazy("Schorsingen"),
        empty=gettext_lazy(
            "Schorsingen that a director submits for the board's approval, and beroepen and bezwaren "
            "of parents against a schorsing, appear here."
        ),
    )
    if Role.BOARD not in ctx.board_roles(board.pk):
        return section
    items = [
        BoardItem(
            school=s.school.name,
            pupil=s.pupil.full_name,
            what=_submitted_what(s),
            when=_d(s.first_day),
            url=_url(s.pk),
        )
        for s in _submitted([board.pk])
    ]
    for objection, due_on in _open_objections([board.pk]):
        assert objection.schorsing is not None
        items.append(
            BoardItem(
                school=objection.school.name,
                pupil=objection.schorsing.pupil.full_name,
                what=_objection_what(objection),
                when=_d(due_on) if due_on else _d(objection.received_on),
                url=_url(objection.schorsing.pk),
            )
        )
    return BoardSection(key=section.key, title=section.title, empty=section.empty, items=items)


def schorsing_approvals(ctx: AccessContext) -> list[dict[str, Any]]:
    """For a board member: the schorsingen to approve and the beroepen and bezwaren to decide."""
    board_ids = _board_ids(ctx)
    if not board_ids:
        return []
    today = timezone.localdate()
    items: list[dict[str, Any]] = []
    for s in _submitted(board_ids):
        params = {"days": _period(s), "school": s.school.name}
        detail = (
            _("%(days)s, %(school)s — the first day has passed: it can only be rejected now") % params
            if s.first_day < today
            else _("%(days)s, %(school)s") % params
        )
        items.append(
            {
                "label": _("Schorsing of %(pupil)s") % {"pupil": s.pupil.full_name},
                "detail": detail,
                "url": _url(s.pk),
            }
        )
    for objection, due_on in _open_objections(board_ids):
        assert objection.schorsing is not None
        label = (
            _("Bezwaar about the schorsing of %(pupil)s")
            if objection.kind == ObjectionKind.BEZWAAR
            else _("Beroep about the schorsing of %(pupil)s")
        ) % {"pupil": objection.schorsing.pupil.full_name}
        detail = (
            _("%(school)s — decide by %(due)s") % {"school": objection.school.name, "due": _d(due_on)}
            if due_on
            else objection.school.name
        )
        items.append({"label": label, "detail": detail, "url": _url(objection.schorsing.pk)})
    return items
