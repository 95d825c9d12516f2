"""Outbox handlers for deadline e-mails. No case content ever leaves LEV by mail: the message only
says that a deadline is waiting, at which school (or board), with a link to "My deadlines"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.jobs.registry import job_handler

from .models import Deadline, DeadlineReminder, DeadlineStatus
from .selectors import escalation_recipients, responsible_recipients
from .services import MISSED_JOB, REMINDER_JOB


def _place(deadline: Deadline) -> str:
    if deadline.school is not None:
        return _("school %(name)s") % {"name": deadline.school.name}
    return _("board %(name)s") % {"name": deadline.board.name}


def _link() -> str:
    return settings.LEV_BASE_URL.rstrip("/") + reverse("deadlines:mine")


def _send(subject: str, line: str, users: list[Any]) -> int:
    body = "\n\n".join([line, _link()])
    sent = 0
    seen: set[str] = set()
    for user in users:
        address = (user.email or "").strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        # One message per recipient: nobody sees who else was told.
        sent += send_mail(subject, body, None, [address], fail_silently=False)
    return sent


@job_handler(REMINDER_JOB)
def send_deadline_reminder(reminder_id: int, now: datetime | None = None) -> int:
    """E-mail the responsible person and their deputies that a deadline is waiting."""
    reminder = (
        DeadlineReminder.objects.select_related(
            "deadline__school", "deadline__board", "deadline__responsible_user"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.deadline.status != DeadlineStatus.OPEN:
        return 0
    deadline = reminder.deadline
    day = timezone.localdate(now) if now is not None else timezone.localdate()
    return _send(
        _("LEV: a deadline is waiting for you"),
        _("A deadline is waiting for you in LEV (%(place)s).") % {"place": _place(deadline)},
        responsible_recipients(deadline, day),
    )


@job_handler(MISSED_JOB)
def send_deadline_missed(deadline_id: int, now: datetime | None = None) -> int:
    """E-mail that a deadline has passed: the responsible person, their deputies and the school's
    director(s), or the board for a board-only deadline."""
    deadline = (
        Deadline.objects.select_related("school", "board", "responsible_user").filter(pk=deadline_id).first()
    )
    if deadline is None or deadline.status != DeadlineStatus.MISSED:
        return 0
    day = timezone.localdate(now) if now is not None else timezone.localdate()
    users = responsible_recipients(deadline, day) + escalation_recipients(deadline, day)
    return _send(
        _("LEV: a deadline has passed"),
        _("A deadline in LEV has passed (%(place)s).") % {"place": _place(deadline)},
        users,
    )
