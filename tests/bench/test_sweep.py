"""The sweep benchmark's rows: N quiet open deadlines plus K due ones, and a sweep sends exactly K."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bench.sweep import SweepCheckFailed, SweepRows, build_rows, check_sweep, time_sweep
from lev.deadlines.models import Deadline, DeadlineReminder, DeadlineStatus
from lev.deadlines.services import REMINDER_JOB, deadlines_sweep
from lev.jobs.models import OutboxItem

# Tuesday 24 November 2026, 10:00 in Amsterdam (09:00 UTC).
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))

pytestmark = pytest.mark.django_db


def test_build_rows_makes_open_and_due_deadlines_like_deadline_open(world):
    rows = build_rows(world.board, open_count=7, due_count=3, now=NOW)
    deadlines = Deadline.objects.filter(school=rows.school)
    assert deadlines.count() == 10
    assert set(deadlines.values_list("status", flat=True)) == {DeadlineStatus.OPEN}
    quiet = deadlines.filter(subject_id__startswith="q")
    due = deadlines.filter(subject_id__startswith="d")
    assert quiet.count() == 7 and due.count() == 3
    # Quiet: 365 days after 24-11-2026 is 24-11-2027; due: 10 days after is 04-12-2026, overdue a day later.
    assert set(quiet.values_list("due_on", flat=True)) == {dt.date(2027, 11, 24)}
    assert set(due.values_list("due_on", flat=True)) == {dt.date(2026, 12, 4)}
    assert set(due.values_list("overdue_at", flat=True)) == {NOW + dt.timedelta(days=11)}
    first = quiet.first()
    assert first.board_id == world.board.pk and first.explanation and first.source
    assert first.subject_type == "schools.pupil" and first.start_on == dt.date(2026, 11, 24)
    reminders = DeadlineReminder.objects.filter(deadline__school=rows.school)
    assert reminders.count() == 10 and reminders.filter(sent_at__isnull=True).count() == 10
    assert reminders.filter(send_at__lte=NOW).count() == 3
    assert sorted(rows.due_reminder_ids) == sorted(
        reminders.filter(send_at__lte=NOW).values_list("pk", flat=True)
    )


def test_a_sweep_handles_exactly_the_due_reminders(world):
    rows = build_rows(world.board, open_count=7, due_count=3, now=NOW)
    result = deadlines_sweep(NOW)
    assert result.reminders == 3
    assert result.missed == 0
    keys = set(OutboxItem.objects.filter(kind=REMINDER_JOB).values_list("key", flat=True))
    assert keys == {f"{REMINDER_JOB}:{pk}" for pk in rows.due_reminder_ids}
    check_sweep(rows, result.reminders)
    assert DeadlineReminder.objects.filter(sent_at__isnull=True, deadline__school=rows.school).count() == 7


def test_check_sweep_refuses_a_sweep_that_did_not_run(world):
    rows = build_rows(world.board, open_count=2, due_count=2, now=NOW)
    with pytest.raises(SweepCheckFailed):
        check_sweep(rows, 0)
    with pytest.raises(SweepCheckFailed):
        check_sweep(SweepRows(school=rows.school, due_reminder_ids=rows.due_reminder_ids[:1]), 2)


def test_time_sweep_rolls_back_its_rows(world):
    before = (Deadline.objects.count(), OutboxItem.objects.count())
    elapsed = time_sweep(world.board, open_count=5, due_count=4)
    assert elapsed > 0
    assert (Deadline.objects.count(), OutboxItem.objects.count()) == before
