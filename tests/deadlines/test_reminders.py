"""Reminders and missed deadlines: the sweep writes one outbox row per reminder or missed term,
the handlers mail the right people without any case content, and two sweepers at once over a
few hundred due rows produce every row exactly once (PostgreSQL, row locks with skip_locked).

Dates (by hand): bezwaar-verwijdering from Thu 2 Apr 2026 → Mon 18 May 2026; reminders at 07:00 on
Tue 12 May (two working days before: 17/16 weekend, 15 KB day, 14 Hemelvaart, 13, 12) and Mon 18
May; overdue from Tue 19 May 00:00 (Amsterdam). veilig-thuis-beoordeling from Mon 11 May 2026 →
Wed 20 May 2026, overdue from Thu 21 May 00:00.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import override_settings

from lev.accounts.models import Deputy
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline, DeadlineReminder, DeadlineStatus, Visibility
from lev.deadlines.services import (
    MISSED_JOB,
    REMINDER_JOB,
    SweepResult,
    deadline_meet,
    deadline_open,
    deadlines_sweep,
)
from lev.jobs.models import OutboxItem
from lev.jobs.services import sweep as run_outbox
from lev.schools.models import Role
from tests import factories as f

AMS = ZoneInfo("Europe/Amsterdam")
OPENED = dt.datetime(2026, 4, 2, 10, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def _no_broker(settings):
    settings.REDIS_URL = None


def open_term(
    world,
    *,
    rule="bezwaar-verwijdering",
    start=dt.date(2026, 4, 2),
    user=None,
    role=Role.DIRECTOR,
    visibility=Visibility.SCHOOL,
    school=None,
):
    return deadline_open(
        rule_code=rule,
        start=start,
        school=school if school is not None else world.school_a,
        subject=world.pupil_a,
        responsible_role=role,
        responsible_user=user,
        actor=None,
        now=OPENED,
        visibility=visibility,
    )


@pytest.mark.django_db
def test_reminders_are_sent_once_when_due(world):
    deadline = open_term(world, user=world.teacher_a, role=Role.TEACHER)
    before = dt.datetime(2026, 5, 12, 6, 59, tzinfo=AMS)
    assert deadlines_sweep(before).reminders == 0
    first = dt.datetime(2026, 5, 12, 7, 0, tzinfo=AMS)
    assert deadlines_sweep(first).reminders == 1
    assert deadlines_sweep(first).reminders == 0
    item = OutboxItem.objects.get(kind=REMINDER_JOB)
    reminder = DeadlineReminder.objects.get(deadline=deadline, send_at=first)
    assert item.payload == {"reminder_id": reminder.pk}
    assert item.school == world.school_a
    assert reminder.sent_at == first
    on_the_day = dt.datetime(2026, 5, 18, 7, 0, tzinfo=AMS)
    assert deadlines_sweep(on_the_day).reminders == 1
    assert OutboxItem.objects.filter(kind=REMINDER_JOB).count() == 2


@pytest.mark.django_db
def test_reminder_mail_goes_to_the_person_and_deputy_without_content(world, mailoutbox):
    world.teacher_a.email = "teacher@school.example"
    world.teacher_a.save()
    world.staff_a.email = "staff@school.example"
    world.staff_a.save()
    Deputy.objects.create(
        user=world.teacher_a,
        deputy=world.staff_a,
        starts_on=dt.date(2026, 5, 11),
        ends_on=dt.date(2026, 5, 12),
    )
    open_term(world, user=world.teacher_a, role=Role.TEACHER)
    moment = dt.datetime(2026, 5, 12, 7, 0, tzinfo=AMS)
    deadlines_sweep(moment)
    assert run_outbox(now=moment) == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["staff@school.example", "teacher@school.example"]
    for message in mailoutbox:
        assert len(message.to) == 1
        assert "De Regenboog" in message.body
        assert message.body.rstrip().endswith("/termijnen/mijn/")
        for content in (world.pupil_a.roepnaam, world.pupil_a.achternaam, "bezwaar", "verwijdering"):
            assert content not in message.body
            assert content not in message.subject


@pytest.mark.django_db
def test_no_reminder_after_the_deadline_is_met(world, mailoutbox):
    deadline = open_term(world, user=world.teacher_a, role=Role.TEACHER)
    deadline_meet(deadline=deadline, actor=world.teacher_a, now=dt.datetime(2026, 5, 1, 9, 0, tzinfo=AMS))
    assert deadlines_sweep(dt.datetime(2026, 5, 18, 7, 0, tzinfo=AMS)).reminders == 0
    assert not OutboxItem.objects.exists()


@pytest.mark.django_db
def test_missed_deadline_is_marked_and_escalated_to_the_director(world, mailoutbox):
    world.teacher_a.email = "teacher@school.example"
    world.teacher_a.save()
    world.director_a.email = "director@school.example"
    world.director_a.save()
    deadline = open_term(world, user=world.teacher_a, role=Role.TEACHER)
    reminder_only = open_term(
        world,
        rule="veilig-thuis-beoordeling",
        start=dt.date(2026, 5, 11),
        user=world.teacher_a,
        role=Role.TEACHER,
    )
    last_moment = dt.datetime(2026, 5, 18, 23, 59, tzinfo=AMS)
    assert deadlines_sweep(last_moment).missed == 0
    run_outbox(now=last_moment)  # the reminders due so far
    mailoutbox.clear()
    overdue = dt.datetime(2026, 5, 19, 0, 0, tzinfo=AMS)
    result = deadlines_sweep(overdue)
    assert result == SweepResult(reminders=0, missed=1)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MISSED
    assert AuditEvent.objects.get(action="deadline_missed").object_id == str(deadline.pk)
    item = OutboxItem.objects.get(kind=MISSED_JOB)
    assert item.payload == {"deadline_id": deadline.pk}
    assert run_outbox(now=overdue) == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["director@school.example", "teacher@school.example"]
    assert all("De Regenboog" in m.body and "verwijdering" not in m.body for m in mailoutbox)
    # The other party's term is never missed, not even well past its date.
    assert deadlines_sweep(dt.datetime(2026, 6, 30, 9, 0, tzinfo=AMS)).missed == 0
    reminder_only.refresh_from_db()
    assert reminder_only.status == DeadlineStatus.OPEN
    assert OutboxItem.objects.filter(kind=MISSED_JOB).count() == 1


@pytest.mark.django_db
def test_missed_board_only_deadline_goes_to_the_board(world, mailoutbox):
    world.board_member.email = "board@board.example"
    world.board_member.save()
    world.director_a.email = "director@school.example"
    world.director_a.save()
    open_term(world, user=None, role=Role.BOARD, visibility=Visibility.BOARD_ONLY)
    overdue = dt.datetime(2026, 5, 19, 0, 0, tzinfo=AMS)
    DeadlineReminder.objects.all().delete()
    assert deadlines_sweep(overdue).missed == 1
    run_outbox(now=overdue)
    assert sorted(m.to[0] for m in mailoutbox) == ["board@board.example"]
    assert "De Regenboog" in mailoutbox[0].body


ROWS = 300


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_mark_and_remind_each_row_exactly_once():
    board = f.BoardFactory(name="Stichting Parallel", slug="stichting-parallel")
    school = f.SchoolFactory(board=board, name="De Parallel", brin="33CC")
    director = f.UserFactory()
    with override_settings(REDIS_URL=None), transaction.atomic():
        for n in range(ROWS):
            deadline_open(
                rule_code="bezwaar-verwijdering",
                start=dt.date(2026, 4, 2),
                school=school,
                subject=("schools.pupil", n),
                responsible_role=Role.DIRECTOR,
                responsible_user=director,
                actor=None,
                now=OPENED,
            )
    # At Tue 19 May 00:00 both reminders of every row (12 and 18 May, 07:00) are due and every
    # row is overdue: the sweep sends the reminders first, then marks the rows missed.
    moment = dt.datetime(2026, 5, 19, 0, 0, tzinfo=AMS)
    results: dict[str, tuple[int, int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sweeper(name: str) -> None:
        try:
            with override_settings(REDIS_URL=None):
                start.wait()
                outcome = deadlines_sweep(moment, batch=7)
                results[name] = (outcome.reminders, outcome.missed)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper, args=(name,)) for name in ("sweeper-1", "sweeper-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(r for r, _m in results.values()) == 2 * ROWS
    assert sum(m for _r, m in results.values()) == ROWS
    assert OutboxItem.objects.filter(kind=REMINDER_JOB).count() == 2 * ROWS
    assert OutboxItem.objects.filter(kind=MISSED_JOB).count() == ROWS
    assert not DeadlineReminder.objects.filter(sent_at__isnull=True).exists()
    assert Deadline.objects.filter(status=DeadlineStatus.MISSED).count() == ROWS
    assert AuditEvent.objects.filter(action="deadline_missed").values("object_id").distinct().count() == ROWS
    assert AuditEvent.objects.filter(action="deadline_missed").count() == ROWS
