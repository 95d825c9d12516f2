"""The deadline sweep with many open deadlines, against the same sweep with few.

Each run happens in a transaction that is rolled back afterwards, in a school created inside that
transaction, so every repeat starts from the same database. The rows are written with one
INSERT … SELECT over generate_series per table (the fastest honest way to get a million rows in);
they carry what `deadline_open` writes: the rule, its source and explanation, the due date and the
overdue moment, a responsible role, the subject, and one unsent reminder per deadline.

- N "quiet" deadlines are due in a year; their reminder is planned for then, so the sweep must
  leave them alone.
- K "due" deadlines are due in ten days; their reminder was due a minute ago.

After ANALYZE (autovacuum would have done it on a real deployment; not timed) one
`deadlines_sweep(now)` is timed. The run checks that it sent exactly the K reminders: K outbox
rows for exactly these reminders, and every due reminder marked sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from lev.deadlines.domain import resolve_rule
from lev.deadlines.models import Deadline, DeadlineReminder, DeadlineStatus
from lev.deadlines.services import REMINDER_JOB, deadlines_sweep
from lev.jobs.models import OutboxItem
from lev.schools.models import Board, Role, School

from .imports import rolled_back

RULE = "bezwaar-verwijdering"
DUE = 1000
SWEEP_GOAL = 2.0


class SweepCheckFailed(Exception):
    pass


@dataclass(frozen=True)
class SweepRows:
    school: School
    due_reminder_ids: list[int]


def _scratch_school(board: Board) -> School:
    taken = set(School.objects.values_list("brin", flat=True))
    brin = next(f"{n:02d}QS" for n in range(100) if f"{n:02d}QS" not in taken)
    return School.objects.create(board=board, name="Termijnentest", brin=brin, city="Boskoop")


def _insert(
    school: School, count: int, *, due_on_days: int, remind_at: datetime, now: datetime, tag: str
) -> None:
    """COUNT open deadlines of SCHOOL due in DUE_ON_DAYS days, each with one reminder at REMIND_AT."""
    if count <= 0:
        return
    rule = resolve_rule(RULE, school_type=school.denominatie, adviescommissie=False)
    due_on = timezone.localdate(now) + timedelta(days=due_on_days)
    overdue_at = now + timedelta(days=due_on_days + 1)
    start_on = timezone.localdate(now)
    deadline_table = Deadline._meta.db_table
    reminder_table = DeadlineReminder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {deadline_table} (
                rule_code, school_type, adviescommissie, start_on, raw_end, due_on, overdue_at,
                suspended_days, explanation, source, status, waived_reason, reminder_only,
                responsible_role, board_id, school_id, visibility, subject_type, subject_id,
                created_at, updated_at
            )
            SELECT %s, %s, false, %s, %s, %s, %s, 0, %s, %s, %s, '', false, %s, %s, %s, 'school',
                   'schools.pupil', %s || n::text, %s, %s
            FROM generate_series(1, %s) AS n
            """,
            [
                rule.code,
                school.denominatie,
                start_on,
                due_on,
                due_on,
                overdue_at,
                f"Start {start_on.isoformat()}\nEnd {due_on.isoformat()}",
                rule.source[:300],
                DeadlineStatus.OPEN,
                Role.DIRECTOR,
                school.board_id,
                school.pk,
                tag,
                now,
                now,
                count,
            ],
        )
        cursor.execute(
            f"""
            INSERT INTO {reminder_table} (deadline_id, send_at, sent_at)
            SELECT id, %s, NULL FROM {deadline_table}
            WHERE school_id = %s AND subject_id LIKE %s
            """,
            [remind_at, school.pk, f"{tag}%"],
        )


def build_rows(board: Board, *, open_count: int, due_count: int, now: datetime) -> SweepRows:
    """A scratch school with OPEN_COUNT quiet deadlines and DUE_COUNT with a reminder due at NOW."""
    school = _scratch_school(board)
    _insert(school, open_count, due_on_days=365, remind_at=now + timedelta(days=363), now=now, tag="q")
    _insert(school, due_count, due_on_days=10, remind_at=now - timedelta(minutes=1), now=now, tag="d")
    due_ids = list(
        DeadlineReminder.objects.filter(
            deadline__school=school, deadline__subject_id__startswith="d"
        ).values_list("pk", flat=True)
    )
    return SweepRows(school=school, due_reminder_ids=due_ids)


def check_sweep(rows: SweepRows, reminders_sent: int) -> None:
    """Raise SweepCheckFailed unless the sweep handled exactly the due reminders of ROWS."""
    expected = len(rows.due_reminder_ids)
    keys = {f"{REMINDER_JOB}:{pk}" for pk in rows.due_reminder_ids}
    outbox = OutboxItem.objects.filter(kind=REMINDER_JOB, school=rows.school).values_list("key", flat=True)
    found = set(outbox)
    unsent = DeadlineReminder.objects.filter(pk__in=rows.due_reminder_ids, sent_at__isnull=True).count()
    sent_quiet = DeadlineReminder.objects.filter(
        deadline__school=rows.school, deadline__subject_id__startswith="q", sent_at__isnull=False
    ).count()
    if found != keys or unsent or sent_quiet or reminders_sent < expected:
        raise SweepCheckFailed(
            f"the sweep wrote {len(found)} outbox rows for this school ({len(found & keys)} of the "
            f"{expected} due reminders), left {unsent} due reminders unsent and sent {sent_quiet} "
            "that were not due."
        )


def time_sweep(board: Board, open_count: int, due_count: int = DUE) -> float:
    def work() -> float:
        now = timezone.now()
        rows = build_rows(board, open_count=open_count, due_count=due_count, now=now)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Deadline._meta.db_table}")
            cursor.execute(f"ANALYZE {DeadlineReminder._meta.db_table}")
        started = time.perf_counter()
        result = deadlines_sweep(now)
        elapsed = time.perf_counter() - started
        check_sweep(rows, result.reminders)
        return elapsed

    return rolled_back(work)


@dataclass(frozen=True)
class SweepRun:
    large_seconds: float
    small_seconds: float

    @property
    def ratio(self) -> float:
        return self.large_seconds / self.small_seconds


def measure_sweep(board: Board, open_count: int, baseline_count: int = DUE) -> SweepRun:
    return SweepRun(
        large_seconds=time_sweep(board, open_count),
        small_seconds=time_sweep(board, baseline_count),
    )


def explain_slow(board: Board, open_count: int) -> str:
    """EXPLAIN ANALYZE of the sweep's two claiming queries with OPEN_COUNT quiet deadlines."""

    def work() -> str:
        now = timezone.now()
        build_rows(board, open_count=open_count, due_count=DUE, now=now)
        lines: list[str] = []
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Deadline._meta.db_table}")
            cursor.execute(f"ANALYZE {DeadlineReminder._meta.db_table}")
            reminders = (
                DeadlineReminder.objects.filter(
                    sent_at__isnull=True, send_at__lte=now, deadline__status=DeadlineStatus.OPEN
                )
                .select_related("deadline")
                .order_by("send_at", "pk")[:100]
            )
            missed = Deadline.objects.filter(
                status=DeadlineStatus.OPEN, reminder_only=False, overdue_at__lte=now
            ).order_by("overdue_at", "pk")[:100]
            for query in (reminders, missed):
                sql, params = query.query.sql_with_params()
                cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
                lines.extend(row[0] for row in cursor.fetchall())
                lines.append("")
        return "\n".join(lines)

    return rolled_back(work)
