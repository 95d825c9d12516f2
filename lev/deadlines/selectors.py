"""Deadline reads, scoped by the reader's memberships, and who is told about a deadline.

Visibility (ARCHITECTURE.md §5): a `school` deadline is seen by its responsible person (and their
deputies) and by the school's director and deputy director; a `board_only` deadline (WPO 4a) by its
responsible person and the board, never in a school's list; a `meldcode_case` deadline only by
those with access to its case (`meldcode.permissions`, through `lev.schools.case_access`): its
responsible person in "My deadlines", all of them on its own page; never in a school's list, and
never for a deputy or former case manager without case access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lev.accounts.models import Deputy
from lev.accounts.selectors import recipients_for
from lev.audit.models import AuditEvent
from lev.schools.access import AccessContext
from lev.schools.case_access import may_open_meldcode_case, meldcode_case_ids
from lev.schools.models import Board, Membership, Role, School

from .models import Deadline, DeadlineStatus, Visibility

SCHOOL_LIST_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
ACTIVE_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.MISSED, DeadlineStatus.SUSPENDED)


def _ordered(query: QuerySet[Deadline], now: datetime) -> QuerySet[Deadline]:
    """Overdue first (missed, or open past its moment), then by date."""
    overdue = Case(
        When(Q(status=DeadlineStatus.MISSED) | Q(overdue_at__lte=now), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        query.select_related("school", "board", "responsible_user")
        .annotate(overdue_rank=overdue)
        .order_by("overdue_rank", "due_on", "overdue_at", "pk")
    )


def _role_held(ctx: AccessContext) -> Q:
    """Deadlines without a person, whose responsible role the reader holds where it counts."""
    condition = Q(pk__in=[])
    for m in ctx.memberships:
        if m.school_id is not None:
            condition |= Q(visibility=Visibility.SCHOOL, school_id=m.school_id, responsible_role=m.role)
        elif m.role == Role.BOARD:
            condition |= Q(visibility=Visibility.BOARD_ONLY, board_id=m.board_id, responsible_role=m.role)
    return Q(responsible_user__isnull=True) & condition


def _own_scope(ctx: AccessContext) -> Q:
    """Deadlines of the schools where the reader holds a membership today, and board-only
    deadlines of boards where they hold the board role."""
    school_ids = [m.school_id for m in ctx.memberships if m.school_id is not None]
    board_ids = [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]
    return Q(school_id__in=school_ids) | Q(visibility=Visibility.BOARD_ONLY, board_id__in=board_ids)


def _case_access(ctx: AccessContext) -> Q:
    """A Meldcode term only for a reader with access to its case, also when they are (or were)
    its responsible person: a case manager replaced, or no longer in a case manager's role, loses
    the case and its terms together."""
    allowed = Q(pk__in=[])
    for case_ids in meldcode_case_ids(ctx):
        allowed |= Q(case_id__in=case_ids)
    return ~Q(visibility=Visibility.MELDCODE_CASE) | allowed


def _deputy_scope(ctx: AccessContext) -> Q:
    """What a deputy may see of the person they stand in for: that person's school deadlines at
    the deputy's own schools, and board-only deadlines of boards where the deputy holds the board
    role. Never a Meldcode deadline."""
    school_ids = [m.school_id for m in ctx.memberships if m.school_id is not None]
    board_ids = [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]
    return Q(visibility=Visibility.SCHOOL, school_id__in=school_ids) | Q(
        visibility=Visibility.BOARD_ONLY, board_id__in=board_ids
    )


def my_deadlines(ctx: AccessContext, *, now: datetime, today: date) -> QuerySet[Deadline]:
    """Open work for the reader: where they are responsible, hold the responsible role, or stand
    in (as a deputy today) for the responsible person."""
    user = ctx.user
    stood_in_for = Deputy.objects.filter(
        deputy=user, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today, user__is_active=True
    ).values("user_id")
    # A person's own deadlines only where they still work: a move or leaving takes them away on the
    # next request (the deadline stays with the role, for whoever holds it now).
    mine = (Q(responsible_user=user) & _own_scope(ctx)) | _role_held(ctx)
    as_deputy = Q(responsible_user__in=stood_in_for) & _deputy_scope(ctx)
    query = (
        Deadline.objects.filter(status__in=ACTIVE_STATUSES).filter(mine | as_deputy).filter(_case_access(ctx))
    )
    return _ordered(query, now)


def _visible_scope(ctx: AccessContext, *, today: date) -> Q:
    """Every deadline the reader may open, whatever its status: their own (as in "My deadlines",
    also as a deputy), the school's deadlines for its director and deputy director, and the
    board-only deadlines for the board."""
    user = ctx.user
    stood_in_for = Deputy.objects.filter(
        deputy=user, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today, user__is_active=True
    ).values("user_id")
    managed_schools = [
        m.school_id for m in ctx.memberships if m.school_id is not None and m.role in SCHOOL_LIST_ROLES
    ]
    board_ids = [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]
    scope = (
        (Q(responsible_user=user) & _own_scope(ctx))
        | _role_held(ctx)
        | (Q(responsible_user__in=stood_in_for) & _deputy_scope(ctx))
        | Q(visibility=Visibility.SCHOOL, school_id__in=managed_schools)
        | Q(visibility=Visibility.BOARD_ONLY, board_id__in=board_ids)
    )
    for case_ids in meldcode_case_ids(ctx):
        scope |= Q(visibility=Visibility.MELDCODE_CASE, case_id__in=case_ids)
    return scope & _case_access(ctx)


def deadline_for_user(ctx: AccessContext, deadline_id: int, *, today: date) -> Deadline | None:
    """One deadline, if the reader may see it; None otherwise (the view answers 404 either way, as
    for a missing row: a Meldcode or WPO 4a term must not reveal that it exists)."""
    return (
        Deadline.objects.filter(_visible_scope(ctx, today=today), pk=deadline_id)
        .select_related("school", "board", "responsible_user")
        .first()
    )


HISTORY_LABELS: dict[str, Promise] = {
    "deadline_opened": _("Term started"),
    "deadline_met": _("Marked as met"),
    "deadline_waived": _("No longer applies"),
    "deadline_suspended": _("Suspended"),
    "deadline_resumed": _("Resumed"),
    "deadline_missed": _("Date passed; the director or board was told"),
}


@dataclass(frozen=True)
class HistoryLine:
    when: datetime
    label: str | Promise
    actor: Any | None
    late: bool


def deadline_history(deadline: Deadline) -> list[HistoryLine]:
    """What happened to the deadline, from its audit rows (who did it; the system when nobody)."""
    events = (
        AuditEvent.objects.filter(
            object_type=Deadline._meta.label_lower, object_id=str(deadline.pk), action__in=HISTORY_LABELS
        )
        .select_related("actor")
        .order_by("occurred_at", "sequence")
    )
    return [
        HistoryLine(
            when=event.occurred_at,
            label=HISTORY_LABELS[event.action],
            actor=event.actor,
            late=bool(event.summary.get("late")) if isinstance(event.summary, dict) else False,
        )
        for event in events
    ]


def may_list_school(ctx: AccessContext, school: School | None) -> bool:
    return school is not None and bool(ctx.roles_at(school) & SCHOOL_LIST_ROLES)


def may_list_board(ctx: AccessContext, board: Board | None) -> bool:
    return board is not None and Role.BOARD in ctx.board_roles(board)


def school_deadlines(ctx: AccessContext, school: School, *, now: datetime) -> QuerySet[Deadline]:
    """The school's own deadlines for its management: never board-only, never Meldcode."""
    if not may_list_school(ctx, school):
        return Deadline.objects.none()
    query = Deadline.objects.filter(school=school, visibility=Visibility.SCHOOL, status__in=ACTIVE_STATUSES)
    return _ordered(query, now)


def board_deadlines(ctx: AccessContext, board: Board, *, now: datetime) -> QuerySet[Deadline]:
    """The board-only deadlines of a board, for its board role."""
    if not may_list_board(ctx, board):
        return Deadline.objects.none()
    query = Deadline.objects.filter(board=board, visibility=Visibility.BOARD_ONLY, status__in=ACTIVE_STATUSES)
    return _ordered(query, now)


# --- Who is told ----------------------------------------------------------------------------


def _active_users(ids: Any) -> list[Any]:
    return list(get_user_model().objects.filter(is_active=True, pk__in=ids).order_by("pk"))


def responsible_recipients(deadline: Deadline, day: date) -> list[Any]:
    """The responsible person and their deputies on DAY; without a person, the holders of the
    responsible role (at the school, or the board role for a board-only deadline)."""
    if deadline.responsible_user is not None:
        if not deadline.responsible_user.is_active:
            return []
        recipients = recipients_for(deadline.responsible_user, day)
        if deadline.visibility == Visibility.MELDCODE_CASE:
            # Only those with access to the case hear of its terms (a deputy without it does not).
            return [user for user in recipients if may_open_meldcode_case(user, deadline.case_id, day)]
        # A deputy only hears of what they could see in their own list.
        allowed = set(_members_who_may_see(deadline, day))
        return [recipients[0]] + [user for user in recipients[1:] if user.pk in allowed]
    if not deadline.responsible_role or deadline.visibility == Visibility.MELDCODE_CASE:
        return []
    holders = Membership.objects.active_on(day).filter(role=deadline.responsible_role)
    if deadline.visibility == Visibility.BOARD_ONLY:
        holders = holders.filter(board=deadline.board, school__isnull=True)
    else:
        holders = holders.filter(school=deadline.school)
    return _active_users(holders.values("user_id"))


def _members_who_may_see(deadline: Deadline, day: date) -> list[int]:
    members = Membership.objects.active_on(day)
    if deadline.visibility == Visibility.BOARD_ONLY:
        members = members.filter(board=deadline.board, school__isnull=True, role=Role.BOARD)
    else:
        members = members.filter(school=deadline.school)
    return list(members.values_list("user_id", flat=True))


def escalation_recipients(deadline: Deadline, day: date) -> list[Any]:
    """Who else hears of a missed deadline: the school's director(s), or for a board-only
    deadline the board."""
    holders = Membership.objects.active_on(day)
    if deadline.visibility == Visibility.BOARD_ONLY or deadline.school_id is None:
        holders = holders.filter(board=deadline.board, school__isnull=True, role=Role.BOARD)
    else:
        holders = holders.filter(school=deadline.school, role=Role.DIRECTOR)
    return _active_users(holders.values("user_id"))


@dataclass(frozen=True)
class DeadlineRow:
    """One line of a list: the row and whether it is overdue now."""

    deadline: Deadline
    overdue: bool


def rows(query: QuerySet[Deadline], now: datetime) -> list[DeadlineRow]:
    return [
        DeadlineRow(deadline=d, overdue=d.status == DeadlineStatus.MISSED or d.overdue_at <= now)
        for d in query
    ]
