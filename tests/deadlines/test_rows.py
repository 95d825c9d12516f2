"""Deadline rows on PostgreSQL: the engine's dates stored with the overdue moment, reminders,
meeting, waiving, suspending and resuming (LEGAL.md R19), each audited with ids only.

Calendar facts used (worked out by hand): 2026 — Goede Vrijdag Fri 3 Apr, Tweede paasdag Mon 6 Apr,
Hemelvaartsdag Thu 14 May, KB day Fri 15 May; summer time starts Sun 29 Mar 2026 (UTC+2 after).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from lev.audit.models import AuditEvent
from lev.deadlines.domain import DeadlineError
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.deadlines.services import (
    DeadlineStateError,
    deadline_meet,
    deadline_open,
    deadline_resume,
    deadline_suspend,
    deadline_waive,
)
from lev.schools.models import Role

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, h: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=AMS)


CASES = [
    # rule, start, due_on, overdue_at, reminder_only, reminders (send_at), explanation fragment
    pytest.param(
        "bezwaar-verwijdering",
        dt.date(2026, 4, 2),
        dt.date(2026, 5, 18),
        # 6 weeks → Thu 14 May (Hemelvaart); 15 May KB; weekend → Mon 18 May; overdue from Tue 19 May 00:00.
        at(2026, 5, 19),
        False,
        # Two working days before Mon 18 May: back over 17/16 (weekend), 15 (KB), 14 (Hemelvaart)
        # → Wed 13 (1), Tue 12 (2). And on the day itself.
        [at(2026, 5, 12, 7), at(2026, 5, 18, 7)],
        "ma 18-5-2026",
        id="weeks-atw",
    ),
    pytest.param(
        "inspectie-melding-schorsing",
        dt.date(2026, 4, 3),
        dt.date(2026, 4, 3),
        # Onverwijld on Fri 3 Apr (Goede Vrijdag): next working day after 4–5 weekend and Mon 6
        # (Tweede paasdag) is Tue 7 Apr; overdue from Wed 8 Apr 00:00.
        at(2026, 4, 8),
        False,
        # At once (NOW) and on the morning of Tue 7 Apr.
        [NOW, at(2026, 4, 7, 7)],
        "te laat na de volgende werkdag di 7-4-2026",
        id="onverwijld",
    ),
    pytest.param(
        "veilig-thuis-beoordeling",
        dt.date(2026, 5, 11),
        # Day 0 Mon 11 May; 12 (1), 13 (2), 14 Hemelvaart, 15 KB, 16–17 weekend, 18 (3), 19 (4), 20 (5).
        dt.date(2026, 5, 20),
        at(2026, 5, 21),
        True,
        # Two working days before Wed 20 May: Tue 19 (1), Mon 18 (2).
        [at(2026, 5, 18, 7), at(2026, 5, 20, 7)],
        "wo 20-5-2026",
        id="working-days-reminder-only",
    ),
]


@pytest.mark.parametrize(
    ("rule", "start", "due_on", "overdue_at", "reminder_only", "reminders", "fragment"), CASES
)
def test_open_stores_the_engine_outcome(
    world, rule, start, due_on, overdue_at, reminder_only, reminders, fragment
):
    deadline = deadline_open(
        rule_code=rule,
        start=start,
        school=world.school_a,
        subject=world.pupil_a,
        responsible_role=Role.DIRECTOR,
        responsible_user=world.director_a,
        actor=world.director_a,
        now=NOW,
    )
    deadline.refresh_from_db()
    assert deadline.due_on == due_on
    assert deadline.overdue_at == overdue_at
    assert deadline.due_at is None
    assert deadline.reminder_only is reminder_only
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.board == world.school_a.board
    assert deadline.school_type == "bijzonder"
    assert deadline.subject_type == "schools.pupil"
    assert deadline.subject_id == str(world.pupil_a.pk)
    assert fragment in deadline.explanation
    assert deadline.source
    assert list(deadline.reminders.values_list("send_at", flat=True)) == reminders
    event = AuditEvent.objects.get(action="deadline_opened", object_id=str(deadline.pk))
    assert event.actor == world.director_a
    assert event.summary["rule"] == rule
    assert event.summary["subject_id"] == str(world.pupil_a.pk)
    assert event.summary["reminders"] == len(reminders)


def test_hour_rule_stores_the_instant(world):
    # 28 Mar 2026 09:00 (UTC+1) = 08:00 UTC; + 72 h = 08:00 UTC on Tue 31 Mar = 10:00 (UTC+2).
    start = dt.datetime(2026, 3, 28, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    deadline = deadline_open(
        rule_code="datalek",
        start=start,
        school=world.school_a,
        subject=("schools.board", world.board.pk),
        responsible_role=Role.PRIVACY_OFFICER,
        responsible_user=world.privacy_officer,
        actor=world.privacy_officer,
        now=dt.datetime(2026, 3, 28, 8, 30, tzinfo=UTC),
        visibility=Visibility.BOARD_ONLY,
    )
    deadline.refresh_from_db()
    assert deadline.due_at == dt.datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
    assert deadline.overdue_at == deadline.due_at
    assert deadline.due_on == dt.date(2026, 3, 31)
    assert deadline.start_at == start
    assert deadline.start_on == dt.date(2026, 3, 28)
    # At once, and 24 hours before the end (08:00 UTC on 30 Mar).
    assert list(deadline.reminders.values_list("send_at", flat=True)) == [
        dt.datetime(2026, 3, 28, 8, 30, tzinfo=UTC),
        dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
    ]


def test_school_type_defaults_to_the_denomination(world):
    world.school_a.denominatie = "openbaar"
    world.school_a.save()
    deadline = deadline_open(
        rule_code="bezwaar-schorsing",
        start=dt.date(2026, 4, 2),
        school=world.school_a,
        subject=world.pupil_a,
        responsible_role=Role.DIRECTOR,
        responsible_user=None,
        actor=world.director_a,
        now=NOW,
    )
    assert deadline.school_type == "openbaar"
    assert deadline.due_on == dt.date(2026, 5, 18)


def test_refused_inputs_write_nothing(world):
    with pytest.raises(DeadlineError):
        # Bijzonder onderwijs has no statutory bezwaar against a schorsing.
        deadline_open(
            rule_code="bezwaar-schorsing",
            start=dt.date(2026, 4, 2),
            school=world.school_a,
            subject=world.pupil_a,
            responsible_role=Role.DIRECTOR,
            responsible_user=None,
            actor=world.director_a,
            now=NOW,
        )
    with pytest.raises(ValueError, match="Meldcode"):
        deadline_open(
            rule_code="veilig-thuis-beoordeling",
            start=dt.date(2026, 5, 11),
            school=world.school_a,
            subject=world.pupil_a,
            responsible_role=Role.CARE_COORDINATOR,
            responsible_user=world.ib_a,
            actor=world.ib_a,
            now=NOW,
            visibility=Visibility.MELDCODE_CASE,
        )
    assert not Deadline.objects.exists()
    assert not AuditEvent.objects.filter(action="deadline_opened").exists()


def _decision_term(world):
    # 4 weeks after receipt on Wed 13 May 2026 → Wed 10 Jun 2026.
    return deadline_open(
        rule_code="beslissing-bezwaar-verwijdering",
        start=dt.date(2026, 5, 13),
        school=world.school_a,
        subject=world.pupil_a,
        responsible_role=Role.DIRECTOR,
        responsible_user=world.director_a,
        actor=world.director_a,
        now=dt.datetime(2026, 5, 13, 10, 0, tzinfo=UTC),
    )


def test_suspend_and_resume_add_the_days_before_the_atw(world):
    deadline = _decision_term(world)
    assert deadline.due_on == dt.date(2026, 6, 10)
    suspended = deadline_suspend(
        deadline=deadline, actor=world.director_a, now=dt.datetime(2026, 5, 20, 10, 0, tzinfo=UTC)
    )
    assert suspended.status == DeadlineStatus.SUSPENDED
    assert suspended.suspended_since == dt.date(2026, 5, 20)
    assert not suspended.reminders.filter(sent_at__isnull=True).exists()
    # Suspended Wed 20 May up to Sat 30 May: 10 days. Raw end Wed 10 Jun + 10 = Sat 20 Jun;
    # the Atw then moves it over the weekend to Mon 22 Jun (not: Atw first, then + 10).
    resumed = deadline_resume(
        deadline=deadline, actor=world.director_a, now=dt.datetime(2026, 5, 30, 10, 0, tzinfo=UTC)
    )
    resumed.refresh_from_db()
    assert resumed.status == DeadlineStatus.OPEN
    assert resumed.suspended_days == 10
    assert resumed.raw_end == dt.date(2026, 6, 10)
    assert resumed.due_on == dt.date(2026, 6, 22)
    assert resumed.overdue_at == at(2026, 6, 23)
    assert "+ 10 dagen opgeschort" in resumed.explanation
    assert "→ za 20-6-2026" in resumed.explanation
    assert "→ ma 22-6-2026" in resumed.explanation
    # Reminders follow the new date: Thu 18 Jun (two working days before Mon 22) and Mon 22 Jun.
    assert list(resumed.reminders.filter(sent_at__isnull=True).values_list("send_at", flat=True)) == [
        at(2026, 6, 18, 7),
        at(2026, 6, 22, 7),
    ]
    event = AuditEvent.objects.get(action="deadline_resumed", object_id=str(deadline.pk))
    assert event.summary == {"days_added": 10, "days_suspended": 10, "reminders": 2}


def test_only_suspendable_rules_are_suspended(world):
    deadline = deadline_open(
        rule_code="bezwaar-verwijdering",
        start=dt.date(2026, 4, 2),
        school=world.school_a,
        subject=world.pupil_a,
        responsible_role=Role.DIRECTOR,
        responsible_user=world.director_a,
        actor=world.director_a,
        now=NOW,
    )
    with pytest.raises(DeadlineError):
        deadline_suspend(deadline=deadline, actor=world.director_a, now=NOW)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN


def test_meet_closes_and_drops_pending_reminders(world):
    deadline = _decision_term(world)
    met = deadline_meet(deadline=deadline, actor=world.director_a, now=dt.datetime(2026, 6, 1, 9, tzinfo=UTC))
    assert met.status == DeadlineStatus.MET
    assert met.closed_at == dt.datetime(2026, 6, 1, 9, tzinfo=UTC)
    assert not met.reminders.exists()
    assert AuditEvent.objects.get(action="deadline_met", object_id=str(deadline.pk)).summary == {
        "late": False
    }
    with pytest.raises(DeadlineStateError):
        deadline_meet(deadline=deadline, actor=world.director_a, now=dt.datetime(2026, 6, 2, 9, tzinfo=UTC))


def test_waive_needs_a_reason_that_stays_out_of_the_audit(world):
    deadline = _decision_term(world)
    with pytest.raises(ValueError):
        deadline_waive(deadline=deadline, reason="  ", actor=world.director_a, now=NOW)
    waived = deadline_waive(
        deadline=deadline, reason="Ouders trekken bezwaar in.", actor=world.director_a, now=NOW
    )
    assert waived.status == DeadlineStatus.WAIVED
    assert waived.waived_reason == "Ouders trekken bezwaar in."
    event = AuditEvent.objects.get(action="deadline_waived", object_id=str(deadline.pk))
    assert "bezwaar" not in str(event.summary)
    assert event.summary == {"previous_status": "open", "fields": ["waived_reason"]}
    with pytest.raises(DeadlineStateError):
        deadline_waive(deadline=deadline, reason="again", actor=world.director_a, now=NOW)


def test_a_term_opened_as_someone_elses_is_reminded_never_missed(world):
    """The parents' bezwaar term after a verwijdering (rule bezwaar-verwijdering, normally missable
    for the school): opened as the parents' term it is reminder-only, and the sweep leaves it open
    after its end (Mon 18 May 2026, see the table above)."""
    from lev.deadlines.services import deadlines_sweep

    row = deadline_open(
        rule_code="bezwaar-verwijdering",
        start=dt.date(2026, 4, 2),
        school=world.school_a,
        subject=("schools.pupil", world.pupil_a.pk),
        responsible_role=Role.DIRECTOR,
        responsible_user=None,
        actor=None,
        now=NOW,
        others_term=True,
    )
    assert row.reminder_only is True
    deadlines_sweep(at(2026, 5, 20, 9))
    assert Deadline.objects.get(pk=row.pk).status == DeadlineStatus.OPEN
