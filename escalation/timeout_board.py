"""Time-outs on the start page ("Waiting for your approval") and on the board's decision page.

- `timeout_approvals(ctx)`: the requests the reader may decide — at the active school for the
  director (every request, their own too: they decide it alone with a reason) and the deputy (the
  director's requests); for a board member, the requests of the board's schools that leave
  time-outs to the board. A request whose first day has passed is listed too (it can only be
  rejected now, and it blocks a new request until it is).
- `timeout_board_section(ctx, board)`: the requests waiting for the board (schools whose
  managementstatuut leaves time-outs to the board), and the time-outs the director approved alone
  in the last 12 months, with the reason (R1: "the board sees").

Registered by `EscalationConfig.ready` (`register_approval_source`, `register_board_section`).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lev.schools.access import AccessContext
from lev.schools.models import Board, DecisionMaker, Membership, Role

from .board import BoardItem, BoardSection
from .models import ApprovalKind, TimeOut, TimeOutStatus

LIMIT = 50


def _d(day: date) -> str:
    return dateformat.format(day, "d-m-Y")


def _url(time_out: TimeOut) -> str:
    return reverse("escalation:timeout_detail", args=[time_out.pk])


def _period(time_out: TimeOut) -> str:
    if time_out.first_day == time_out.last_day:
        return _d(time_out.first_day)
    return _("%(first)s to %(last)s") % {"first": _d(time_out.first_day), "last": _d(time_out.last_day)}


def _item(time_out: TimeOut, today: date) -> dict[str, Any]:
    params = {
        "name": time_out.requested_by.display_name,
        "days": _period(time_out),
        "school": time_out.school.name,
    }
    if today > time_out.first_day:
        detail = _("requested by %(name)s for %(days)s, %(school)s — too late to approve: reject it") % params
    else:
        detail = _("requested by %(name)s for %(days)s, %(school)s") % params
    return {
        "label": _("Time-out for %(pupil)s") % {"pupil": time_out.pupil.full_name},
        "detail": detail,
        "url": _url(time_out),
    }


def _requested() -> Any:
    return (
        TimeOut.objects.filter(status=TimeOutStatus.REQUESTED)
        .select_related("school", "pupil", "requested_by")
        .order_by("requested_at", "pk")
    )


def timeout_approvals(ctx: AccessContext) -> list[dict[str, Any]]:
    """The time-out requests the reader may decide (the start page's approvals)."""
    today = timezone.localdate()
    items: list[dict[str, Any]] = []
    school = ctx.active_school
    roles = ctx.roles_at(school) if school is not None else frozenset()
    if (
        school is not None
        and roles & {Role.DIRECTOR, Role.DEPUTY_DIRECTOR}
        and school.timeout_decided_by != DecisionMaker.BOARD
    ):
        requests = list(_requested().filter(school=school)[:LIMIT])
        if Role.DIRECTOR not in roles:
            # The deputy decides the director's own requests only.
            directors = set(
                Membership.objects.active_on(today)
                .filter(school=school, role=Role.DIRECTOR)
                .values_list("user_id", flat=True)
            )
            requests = [
                r for r in requests if r.requested_by_id in directors and r.requested_by_id != ctx.user.pk
            ]
        items.extend(_item(r, today) for r in requests)
    board_ids = [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]
    if board_ids:
        waiting = _requested().filter(board_id__in=board_ids, school__timeout_decided_by=DecisionMaker.BOARD)
        items.extend(_item(r, today) for r in waiting[:LIMIT])
    return items


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def timeout_board_section(ctx: AccessContext, board: Board) -> BoardSection:
    """Time-outs of BOARD's schools that the board decides or must see."""
    section = BoardSection(
        key="time_outs",
        title=gettext_lazy("Time-outs"),
        empty=gettext_lazy(
            "Time-out requests that a school leaves to the board, and time-outs that a director "
            "approved alone (with the reason) in the last 12 months appear here."
        ),
    )
    if Role.BOARD not in ctx.board_roles(board.pk):
        return section
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(_year_before(today), time.min))
    rows = (
        TimeOut.objects.filter(board=board)
        .filter(
            Q(status=TimeOutStatus.REQUESTED, school__timeout_decided_by=DecisionMaker.BOARD)
            | Q(status=TimeOutStatus.APPROVED, approval_kind=ApprovalKind.SELF, decided_at__gte=since)
        )
        .select_related("school", "pupil", "decided_by")
        .order_by("-status", "first_day", "pk")[:LIMIT]
    )
    waiting: list[BoardItem] = []
    seen: list[BoardItem] = []
    for row in rows:
        if row.status == TimeOutStatus.REQUESTED:
            waiting.append(
                BoardItem(
                    school=row.school.name,
                    pupil=row.pupil.full_name,
                    what=_("Time-out %(days)s: waiting for the board's approval") % {"days": _period(row)},
                    when=_d(row.first_day),
                    url=_url(row),
                    waiting=True,
                )
            )
        else:
            seen.append(
                BoardItem(
                    school=row.school.name,
                    pupil=row.pupil.full_name,
                    what=_("Time-out %(days)s, approved by the director alone. Reason: %(reason)s")
                    % {"days": _period(row), "reason": Truncator(row.decision_reason).chars(300)},
                    when=_d(timezone.localdate(row.decided_at)) if row.decided_at else _d(row.first_day),
                    url=_url(row),
                    waiting=False,
                )
            )
    return BoardSection(key=section.key, title=section.title, empty=section.empty, items=waiting + seen)
