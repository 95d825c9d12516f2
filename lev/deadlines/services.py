"""Deadline rows: open, meet, waive, suspend, resume, and the sweep that reminds and marks missed.

Every term is computed by the pure engine (`lev.deadlines.domain.due_date`) with this deployment's
KB days (`calendar_data.atw_calendar`); nothing here counts days itself except the reminder moments.
Each write owns its transaction and leaves one audit row with ids, field names and counts only.

Reminder schedule (ARCHITECTURE.md §5, docs/deadlines.md):
- terms of days, weeks or months: at 07:00 two working days before the due date and at 07:00 on
  the due date;
- *onverwijld* rules: at once, and at 07:00 on the next working day (the last day in time);
- hour rules (`datalek`): at once, and 24 hours before the end.
A reminder whose moment has already passed when the deadline opens is sent at once; of several such
reminders only the last is kept, so nobody gets two mails for the same thing at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from lev.audit.services import record
from lev.jobs.services import outbox_enqueue

from .calendar_data import atw_calendar
from .domain import AtwCalendar, DeadlineError, Rule, Unit, due_date, resolve_rule
from .domain.due import AMSTERDAM
from .domain.due import Deadline as Computed
from .models import Deadline, DeadlineReminder, DeadlineStatus, Visibility

REMINDER_JOB = "email.deadline_reminder"
MISSED_JOB = "email.deadline_missed"
REMINDER_HOUR = time(7, 0)
CLOSED_STATUSES = (DeadlineStatus.MET, DeadlineStatus.WAIVED)


class DeadlineStateError(ValueError):
    """The deadline is not in a status that allows this change."""


def start_of_day(day: date) -> datetime:
    """00:00 of DAY in Europe/Amsterdam, as an aware datetime."""
    return datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)


def _subject(subject: Any) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    object_type, object_id = subject
    return str(object_type), str(object_id)


def _compute(deadline: Deadline, calendar: AtwCalendar) -> Computed:
    rule = resolve_rule(
        deadline.rule_code, school_type=deadline.school_type, adviescommissie=deadline.adviescommissie
    )
    start: date | datetime = deadline.start_at if rule.unit is Unit.HOURS else deadline.start_on  # type: ignore[assignment]
    return due_date(rule, start, calendar, suspended_days=deadline.suspended_days)


def _apply(deadline: Deadline, computed: Computed) -> None:
    """Copy the engine's outcome onto the row: due date or instant, overdue moment, explanation."""
    rule = computed.rule
    if isinstance(computed.due, datetime):
        deadline.due_at = computed.due
        deadline.due_on = computed.due.astimezone(AMSTERDAM).date()
        deadline.overdue_at = computed.due
    else:
        deadline.due_at = None
        deadline.due_on = computed.due
        last_day = computed.late_after or computed.due
        deadline.overdue_at = start_of_day(last_day + timedelta(days=1))
    deadline.late_after = computed.late_after
    deadline.raw_end = computed.raw_end
    deadline.explanation = "\n".join(computed.explanation)
    deadline.source = rule.source[:300]
    # Another party's term by its rule, or because the caller opened it as one (`deadline_open`).
    deadline.reminder_only = rule.reminder or deadline.reminder_only


def working_days_before(day: date, count: int, calendar: AtwCalendar) -> date:
    """The COUNT-th working day (Mon–Fri outside the Atw set) before DAY."""
    found = 0
    while found < count:
        day -= timedelta(days=1)
        if not calendar.is_closed(day):
            found += 1
    return day


def reminder_moments(deadline: Deadline, rule: Rule, calendar: AtwCalendar, now: datetime) -> list[datetime]:
    """When to remind for this deadline (see the module docstring), never before NOW."""
    if rule.unit is Unit.ONVERWIJLD:
        assert deadline.late_after is not None
        planned = [now, datetime.combine(deadline.late_after, REMINDER_HOUR, tzinfo=AMSTERDAM)]
    elif rule.unit is Unit.HOURS:
        assert deadline.due_at is not None
        planned = [now, deadline.due_at - timedelta(hours=24)]
    else:
        before = working_days_before(deadline.due_on, 2, calendar)
        planned = [
            datetime.combine(before, REMINDER_HOUR, tzinfo=AMSTERDAM),
            datetime.combine(deadline.due_on, REMINDER_HOUR, tzinfo=AMSTERDAM),
        ]
    planned = [moment for moment in planned if moment < deadline.overdue_at]
    past = [moment for moment in planned if moment <= now]
    future = sorted(moment for moment in planned if moment > now)
    return ([now] if past else []) + future


def _schedule_reminders(deadline: Deadline, rule: Rule, calendar: AtwCalendar, now: datetime) -> int:
    """Replace the unsent reminders of DEADLINE by a fresh schedule. Returns the number planned."""
    deadline.reminders.filter(sent_at__isnull=True).delete()
    moments = reminder_moments(deadline, rule, calendar, now)
    DeadlineReminder.objects.bulk_create(
        DeadlineReminder(deadline=deadline, send_at=moment) for moment in moments
    )
    return len(moments)


def deadline_open(
    *,
    rule_code: str,
    start: date | datetime,
    school: Any | None,
    subject: Any,
    responsible_role: str,
    responsible_user: Any | None,
    actor: Any | None,
    now: datetime,
    school_type: str | None = None,
    adviescommissie: bool = False,
    visibility: str = Visibility.SCHOOL,
    case_id: int | None = None,
    board: Any | None = None,
    others_term: bool = False,
) -> Deadline:
    """Open a deadline for SUBJECT (a model instance or an (object type, id) pair).

    OTHERS_TERM marks a term that belongs to someone else (the parents' term to object): LEV
    reminds of it and never marks it missed, as for a rule with `reminder` set.

    START is a date, or an aware datetime for hour rules. SCHOOL_TYPE defaults to the school's
    denomination. Raises DeadlineError when the engine refuses the input (unknown rule, a date
    outside the calendar, an instant without offset, a bezwaar-schorsing at a bijzondere school).
    """
    if board is None:
        if school is None:
            raise ValueError("A deadline needs a school or a board.")
        board = school.board
    if school is not None and school.board_id != board.pk:
        raise ValueError("The school does not belong to the board.")
    if visibility == Visibility.MELDCODE_CASE and case_id is None:
        raise ValueError("A Meldcode deadline needs its case.")
    if visibility == Visibility.SCHOOL and school is None:
        raise ValueError("A school deadline needs its school.")
    kind = school_type or (school.denominatie if school is not None else "bijzonder")
    rule = resolve_rule(rule_code, school_type=kind, adviescommissie=adviescommissie)
    calendar, _source = atw_calendar()
    object_type, object_id = _subject(subject)
    deadline = Deadline(
        rule_code=rule.code,
        school_type=kind,
        adviescommissie=adviescommissie,
        start_on=start.astimezone(AMSTERDAM).date() if isinstance(start, datetime) else start,
        start_at=start if isinstance(start, datetime) else None,
        status=DeadlineStatus.OPEN,
        responsible_role=responsible_role or "",
        responsible_user=responsible_user,
        board=board,
        school=school,
        visibility=visibility,
        case_id=case_id if visibility == Visibility.MELDCODE_CASE else None,
        reminder_only=others_term,
        subject_type=object_type,
        subject_id=object_id,
        created_at=now,
        updated_at=now,
    )
    _apply(deadline, due_date(rule, start, calendar))
    with transaction.atomic():
        deadline.save()
        planned = _schedule_reminders(deadline, rule, calendar, now)
        record(
            "deadline_opened",
            actor=actor,
            board=board,
            obj=deadline,
            summary={
                "rule": rule.code,
                "school": school.pk if school is not None else None,
                "subject_type": object_type,
                "subject_id": object_id,
                "responsible_user": getattr(responsible_user, "pk", None),
                "visibility": visibility,
                "reminders": planned,
            },
            now=now,
        )
    return deadline


def _locked(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


def deadline_meet(*, deadline: Deadline, actor: Any | None, now: datetime) -> Deadline:
    """Mark the term as met (also after it was missed: the row keeps when it was closed)."""
    with transaction.atomic():
        row = _locked(deadline)
        if row.status not in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
            raise DeadlineStateError(f"A {row.status} deadline cannot be met.")
        late = row.status == DeadlineStatus.MISSED or now >= row.overdue_at
        row.status = DeadlineStatus.MET
        row.closed_at = now
        row.updated_at = now
        row.save(update_fields=["status", "closed_at", "updated_at"])
        row.reminders.filter(sent_at__isnull=True).delete()
        record("deadline_met", actor=actor, board=row.board, obj=row, summary={"late": late}, now=now)
    return row


def deadline_waive(*, deadline: Deadline, reason: str, actor: Any | None, now: datetime) -> Deadline:
    """The term no longer applies (the decision was withdrawn, the parents did not object …)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required to waive a deadline.")
    with transaction.atomic():
        row = _locked(deadline)
        if row.status in CLOSED_STATUSES:
            raise DeadlineStateError(f"A {row.status} deadline cannot be waived.")
        previous = row.status
        row.status = DeadlineStatus.WAIVED
        row.waived_reason = reason
        row.closed_at = now
        row.updated_at = now
        row.save(update_fields=["status", "waived_reason", "closed_at", "updated_at"])
        row.reminders.filter(sent_at__isnull=True).delete()
        record(
            "deadline_waived",
            actor=actor,
            board=row.board,
            obj=row,
            summary={"previous_status": previous, "fields": ["waived_reason"]},
            now=now,
        )
    return row


def deadline_suspend(
    *, deadline: Deadline, actor: Any | None, now: datetime, on: date | None = None
) -> Deadline:
    """Suspend the term from ON (default: today) while the GPO handles the case (WPO art. 43 lid 4)."""
    day = on or timezone.localdate(now)
    with transaction.atomic():
        row = _locked(deadline)
        rule = resolve_rule(row.rule_code, school_type=row.school_type, adviescommissie=row.adviescommissie)
        if not rule.suspendable:
            raise DeadlineError("not_suspendable", f"The term of {row.rule_code} cannot be suspended.")
        if row.status != DeadlineStatus.OPEN:
            raise DeadlineStateError(f"A {row.status} deadline cannot be suspended.")
        row.status = DeadlineStatus.SUSPENDED
        row.suspended_since = day
        row.updated_at = now
        row.save(update_fields=["status", "suspended_since", "updated_at"])
        row.reminders.filter(sent_at__isnull=True).delete()
        record(
            "deadline_suspended",
            actor=actor,
            board=row.board,
            obj=row,
            summary={"since": day.isoformat()},
            now=now,
        )
    return row


def deadline_resume(
    *, deadline: Deadline, actor: Any | None, now: datetime, on: date | None = None
) -> Deadline:
    """Resume the term on ON (default: today). The days from the suspension's first day up to ON
    are added to the raw end of the term, then the Atw is applied once (LEGAL.md R19)."""
    day = on or timezone.localdate(now)
    with transaction.atomic():
        row = _locked(deadline)
        if row.status != DeadlineStatus.SUSPENDED or row.suspended_since is None:
            raise DeadlineStateError(f"A {row.status} deadline cannot be resumed.")
        if day < row.suspended_since:
            raise ValueError("A suspension cannot end before it began.")
        added = (day - row.suspended_since).days
        row.suspended_days += added
        row.suspended_since = None
        row.status = DeadlineStatus.OPEN
        row.updated_at = now
        calendar, _source = atw_calendar()
        computed = _compute(row, calendar)
        _apply(row, computed)
        row.save()
        planned = _schedule_reminders(row, computed.rule, calendar, now)
        record(
            "deadline_resumed",
            actor=actor,
            board=row.board,
            obj=row,
            summary={"days_added": added, "days_suspended": row.suspended_days, "reminders": planned},
            now=now,
        )
    return row


# --- The sweep ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    reminders: int
    missed: int


def _sweep_reminders(now: datetime, batch: int) -> int:
    with transaction.atomic():
        rows = list(
            DeadlineReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True, send_at__lte=now, deadline__status=DeadlineStatus.OPEN)
            .select_related("deadline")
            .order_by("send_at", "pk")[:batch]
        )
        for reminder in rows:
            reminder.sent_at = now
            reminder.save(update_fields=["sent_at"])
            outbox_enqueue(
                kind=REMINDER_JOB,
                payload={"reminder_id": reminder.pk},
                board=reminder.deadline.board,
                school=reminder.deadline.school,
                key=f"{REMINDER_JOB}:{reminder.pk}",
                now=now,
            )
    return len(rows)


def _sweep_missed(now: datetime, batch: int) -> int:
    with transaction.atomic():
        rows = list(
            Deadline.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeadlineStatus.OPEN, reminder_only=False, overdue_at__lte=now)
            .select_related("board", "school")
            .order_by("overdue_at", "pk")[:batch]
        )
        for deadline in rows:
            deadline.status = DeadlineStatus.MISSED
            deadline.updated_at = now
            deadline.save(update_fields=["status", "updated_at"])
            deadline.reminders.filter(sent_at__isnull=True).delete()
            record(
                "deadline_missed",
                actor=None,
                board=deadline.board,
                obj=deadline,
                summary={"rule": deadline.rule_code},
                now=now,
            )
            outbox_enqueue(
                kind=MISSED_JOB,
                payload={"deadline_id": deadline.pk},
                board=deadline.board,
                school=deadline.school,
                key=f"{MISSED_JOB}:{deadline.pk}",
                now=now,
            )
    return len(rows)


def deadlines_sweep(now: datetime | None = None, *, batch: int = 100) -> SweepResult:
    """Send the reminders that are due and mark open deadlines past `overdue_at` as missed.

    Safe to run from several workers at once: rows are claimed with
    `select_for_update(skip_locked=True)` in short transactions, so each reminder and each missed
    deadline produces exactly one outbox row. Terms of others (reminder_only) are never missed.
    """
    now = now or timezone.now()
    reminders = missed = 0
    while True:
        done = _sweep_reminders(now, batch)
        reminders += done
        if done < batch:
            break
    while True:
        done = _sweep_missed(now, batch)
        missed += done
        if done < batch:
            break
    return SweepResult(reminders=reminders, missed=missed)
