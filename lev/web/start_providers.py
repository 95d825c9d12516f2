"""The start page's sections per role: what needs the user's attention now (UX.md).

Only data that exists today is shown; a section with nothing in it says what will appear there and
how. Links only go to pages that exist: a URL name that cannot be reversed gives no link, so a link
appears by itself when its page lands.

Some sections hold only an empty state today (follow-ups, approvals, my signals, my
conversations). The issue that fills one of them replaces the provider here, keeping its key.

Every query is bounded: counts come from annotations or aggregates, lists are cut off at
`LIST_LIMIT` with a line saying how many more there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.accounts.models import User
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.schools.access import AccessContext
from lev.schools.models import Board, Enrolment, Membership, Role, School, SchoolGroup
from lev.schools.selectors import current_enrolments, current_pupils, groups_taught_by

from .start import StartSection, provides

LIST_LIMIT = 15
ACCESS_LOG_DAYS = 7


def _url(name: str, *args: Any) -> str | None:
    """The URL of a page, or None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _d(day: dt.date) -> str:
    return dateformat.format(day, "d-m-Y")


def _school_with(ctx: AccessContext, *roles: str) -> School | None:
    """The active school, if the user holds one of `roles` there."""
    school = ctx.active_school
    if school is None or not ctx.roles_at(school) & set(roles):
        return None
    return school


def _board_with(ctx: AccessContext, role: str) -> Board | None:
    """The active board, if the user holds the board-wide `role` there."""
    board = ctx.active_board
    if board is None or role not in ctx.board_roles(board):
        return None
    return board


def _count(queryset: QuerySet[Any], group_by: str, what: str = "pk") -> Coalesce:
    """A correlated COUNT(DISTINCT what) subquery, 0 when there are no rows."""
    counted = queryset.order_by().values(group_by).annotate(n=Count(what, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _current_groups(today: dt.date) -> QuerySet[SchoolGroup]:
    return SchoolGroup.objects.filter(school_year__starts_on__lte=today, school_year__ends_on__gte=today)


def _more(count: int, shown: int, url: str | None = None) -> list[dict[str, Any]]:
    if count <= shown:
        return []
    rest = count - shown
    return [
        {"label": ngettext("and %(count)s more", "and %(count)s more", rest) % {"count": rest}, "url": url}
    ]


# --- Teacher ---------------------------------------------------------------------------------


@provides(Role.TEACHER)
def my_groups(ctx: AccessContext) -> StartSection | None:
    school = _school_with(ctx, Role.TEACHER)
    if school is None:
        return None
    today = timezone.localdate()
    current = Q(placements__starts_on__lte=today) & (
        Q(placements__ends_on__isnull=True) | Q(placements__ends_on__gte=today)
    )
    groups = (
        groups_taught_by(ctx, school)
        .annotate(pupil_count=Count("placements__pupil", filter=current, distinct=True))
        .order_by("name")
    )
    pupil_list = _url("schools:pupil_list")
    return StartSection(
        key="my_groups",
        title=gettext_lazy("My groups"),
        empty=gettext_lazy(
            "You are not linked to a group this school year. The functional administrator links "
            "teachers to their groups."
        ),
        items=[
            {
                "label": _("Group %(name)s") % {"name": group.name},
                "detail": ngettext("%(count)s pupil", "%(count)s pupils", group.pupil_count)
                % {"count": group.pupil_count},
                "url": pupil_list,
            }
            for group in groups
        ],
        action_label=gettext_lazy("Record a signal"),
        action_url=_url("incidents:signal_new"),
    )


@provides(Role.TEACHER, Role.CARE_COORDINATOR)
def follow_ups(ctx: AccessContext) -> StartSection | None:
    if _school_with(ctx, Role.TEACHER, Role.CARE_COORDINATOR) is None:
        return None
    return StartSection(
        key="follow_ups",
        title=gettext_lazy("To follow up"),
        empty=gettext_lazy("Signals and steps you need to follow up appear here."),
    )


# --- Director and deputy -----------------------------------------------------------------------


# Process apps add what waits for approval (letters, time-outs, …): each source returns the items
# for the reader, newest last; the section shows them together (see `register_approval_source`).
ApprovalSource = Callable[[AccessContext], list[dict[str, Any]]]
APPROVAL_SOURCES: list[ApprovalSource] = []


def register_approval_source(source: ApprovalSource) -> ApprovalSource:
    if source not in APPROVAL_SOURCES:
        APPROVAL_SOURCES.append(source)
    return source


@provides(Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.BOARD)
def approvals(ctx: AccessContext) -> StartSection | None:
    if (
        _school_with(ctx, Role.DIRECTOR, Role.DEPUTY_DIRECTOR) is None
        and _board_with(ctx, Role.BOARD) is None
    ):
        return None
    items: list[dict[str, Any]] = []
    for source in APPROVAL_SOURCES:
        items.extend(source(ctx))
    shown = items[:LIST_LIMIT]
    return StartSection(
        key="approvals",
        title=gettext_lazy("Waiting for your approval"),
        empty=gettext_lazy("Time-outs, letters and other decisions that need your approval appear here."),
        items=shown + _more(len(items), len(shown)),
    )


def _provisional_leavers(today: dt.date) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(left_on__isnull=False, left_confirmed=False)
        .select_related("pupil", "school")
        .order_by("left_on", "pupil__achternaam", "pupil__roepnaam", "pk")
    )


LEAVERS_EMPTY = gettext_lazy(
    "When an import reports that a pupil has left, the pupil appears here until someone confirms "
    "the leaving date."
)


@provides(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
def school_leavers(ctx: AccessContext) -> StartSection | None:
    school = _school_with(ctx, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
    if school is None:
        return None
    leavers = _provisional_leavers(timezone.localdate()).filter(school=school)
    count = leavers.count()
    shown = list(leavers[:LIST_LIMIT])
    return StartSection(
        key="school_leavers",
        title=gettext_lazy("Leaving dates to confirm"),
        empty=LEAVERS_EMPTY,
        items=[
            {
                "label": e.pupil.full_name,
                "detail": _("left on %(date)s according to the import") % {"date": _d(e.left_on)},
                "url": _url("schools:pupil_detail", e.pupil_id),
            }
            for e in shown
            if e.left_on is not None
        ]
        + _more(count, len(shown)),
    )


@provides(Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
def school_overview(ctx: AccessContext) -> StartSection | None:
    school = _school_with(ctx, Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
    if school is None:
        return None
    today = timezone.localdate()
    pupils = current_pupils(today, school=school).count()
    groups = _current_groups(today).filter(school=school).count()
    return StartSection(
        key="school_overview",
        title=school.name,
        empty=gettext_lazy("There are no pupils or groups at this school yet."),
        items=[
            {
                "label": _("Pupils"),
                "detail": ngettext("%(count)s pupil", "%(count)s pupils", pupils) % {"count": pupils},
                "url": _url("schools:pupil_list"),
            },
            {
                "label": _("Groups this school year"),
                "detail": ngettext("%(count)s group", "%(count)s groups", groups) % {"count": groups},
            },
        ]
        if pupils or groups
        else [],
    )


# --- Staff without a group and the confidential counsellor ------------------------------------


# --- Board-wide roles --------------------------------------------------------------------------


@provides(Role.PRIVACY_OFFICER)
def access_log(ctx: AccessContext) -> StartSection | None:
    board = _board_with(ctx, Role.PRIVACY_OFFICER)
    if board is None:
        return None
    since = timezone.now() - dt.timedelta(days=ACCESS_LOG_DAYS)
    totals = AccessLogEntry.objects.filter(board=board, at__gte=since).aggregate(
        reads=Count("pk"),
        refused=Count("pk", filter=Q(outcome=AccessOutcome.DENIED)),
        people=Count("user", distinct=True),
        pupils=Count("pupil_id", distinct=True),
    )
    items: list[dict[str, Any]] = []
    if totals["reads"]:
        items = [
            {
                "label": ngettext("%(count)s read of a record", "%(count)s reads of records", totals["reads"])
                % {"count": totals["reads"]},
                "detail": ngettext("by %(count)s person", "by %(count)s people", totals["people"])
                % {"count": totals["people"]}
                + ", "
                + ngettext("about %(count)s pupil", "about %(count)s pupils", totals["pupils"])
                % {"count": totals["pupils"]},
                "url": _url("privacy:access_log"),
            },
            {
                "label": ngettext("%(count)s refused", "%(count)s refused", totals["refused"])
                % {"count": totals["refused"]},
                "detail": _("a user tried to open a record their role does not allow"),
            },
        ]
    return StartSection(
        key="access_log",
        title=ngettext("Access log, last %(days)s day", "Access log, last %(days)s days", ACCESS_LOG_DAYS)
        % {"days": ACCESS_LOG_DAYS},
        empty=gettext_lazy(
            "Nobody opened a pupil's record in this period. Every read of a pupil's record is logged "
            "and counted here."
        ),
        items=items,
        action_label=gettext_lazy("Open the access log"),
        action_url=_url("privacy:access_log"),
    )


@provides(Role.FUNCTIONAL_ADMIN)
def accounts_without_2fa(ctx: AccessContext) -> StartSection | None:
    board = _board_with(ctx, Role.FUNCTIONAL_ADMIN)
    if board is None:
        return None
    today = timezone.localdate()
    members = Membership.objects.active_on(today).filter(board=board, user=OuterRef("pk"))
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    users = (
        User.objects.filter(Exists(members), is_active=True)
        .exclude(Exists(devices))
        .order_by("last_name", "first_name", "username")
    )
    count = users.count()
    shown = list(users[:LIST_LIMIT])
    items: list[dict[str, Any]] = []
    if count:
        items.append(
            {
                "label": ngettext(
                    "%(count)s account has not set up two-factor sign-in yet.",
                    "%(count)s accounts have not set up two-factor sign-in yet.",
                    count,
                )
                % {"count": count},
                "detail": _("they are asked to set it up when they sign in"),
            }
        )
        items += [
            {"label": u.display_name, "detail": u.username, "url": _url("schools:admin_user_detail", u.pk)}
            for u in shown
        ]
        items += _more(count, len(shown), _url("schools:admin_user_list"))
    return StartSection(
        key="accounts_without_2fa",
        title=gettext_lazy("Accounts without two-factor sign-in"),
        empty=gettext_lazy("Every active account has set up two-factor sign-in."),
        items=items,
    )


def _confirm_leaving_url(school_id: int) -> str | None:
    url = _url("schools:import_left")
    return f"{url}?school={school_id}" if url else None


@provides(Role.FUNCTIONAL_ADMIN)
def board_leavers(ctx: AccessContext) -> StartSection | None:
    board = _board_with(ctx, Role.FUNCTIONAL_ADMIN)
    if board is None:
        return None
    leavers = _provisional_leavers(timezone.localdate()).filter(board=board)
    count = leavers.count()
    shown = list(leavers[:LIST_LIMIT])
    return StartSection(
        key="board_leavers",
        title=gettext_lazy("Leaving dates to confirm"),
        empty=LEAVERS_EMPTY,
        items=[
            {
                "label": e.pupil.full_name,
                "detail": _("%(school)s, left on %(date)s according to the import")
                % {"school": e.school.name, "date": _d(e.left_on)},
                "url": _confirm_leaving_url(e.school_id),
            }
            for e in shown
            if e.left_on is not None
        ]
        + _more(count, len(shown)),
    )


@provides(Role.BOARD, Role.FUNCTIONAL_ADMIN)
def board_schools(ctx: AccessContext) -> StartSection | None:
    board = ctx.active_board
    if board is None or not ctx.board_roles(board) & {Role.BOARD, Role.FUNCTIONAL_ADMIN}:
        return None
    today = timezone.localdate()
    schools = (
        School.objects.filter(board=board)
        .annotate(
            # Counted from enrolments: an anti-join over all pupils costs ~60 ms at 100 schools.
            pupil_count=_count(current_enrolments(today).filter(school=OuterRef("pk")), "school", "pupil"),
            group_count=_count(_current_groups(today).filter(school=OuterRef("pk")), "school"),
        )
        .order_by("name")
    )
    is_admin = Role.FUNCTIONAL_ADMIN in ctx.board_roles(board)
    items = []
    for school in schools:
        pupils = ngettext("%(count)s pupil", "%(count)s pupils", school.pupil_count) % {
            "count": school.pupil_count
        }
        groups = ngettext("%(count)s group", "%(count)s groups", school.group_count) % {
            "count": school.group_count
        }
        items.append(
            {
                "label": school.name,
                "detail": f"{school.city + ', ' if school.city else ''}{pupils}, {groups}",
                "url": _url("schools:admin_school_edit", school.pk) if is_admin else None,
            }
        )
    return StartSection(
        key="board_schools",
        title=_("Schools of %(board)s") % {"board": board.name},
        empty=gettext_lazy("This board has no schools yet. The functional administrator adds them."),
        items=items,
        action_label=gettext_lazy("Dashboard") if not is_admin else gettext_lazy("Manage schools"),
        action_url=_url("monitoring:dashboard") if not is_admin else _url("schools:admin_school_list"),
    )
