"""Shared test data for the misconduct tests: a WPO 4a report filed on Wed 13 May 2026 10:00
(Amsterdam) by teacher A about pupil A, and helpers that take its steps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from lev.schools.access import build_access_context
from lev.schools.models import Membership, Role
from misconduct.services import confidant_note_record, report_file, report_step_record
from tests import factories as f

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 5, 13, 10, 0, tzinfo=AMSTERDAM)
FACTS = "CANARY-FACTS: de gymleraar hield een leerling na de les vast in de kleedkamer."
ACCUSED = "CANARY-ACCUSED: meester Kees, gymleraar"
NOTE_TEXT = "CANARY-NOTE: leerling vertelt dat de invaller haar aanraakte."


def at(day: int, hour: int = 10, month: int = 5) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=AMSTERDAM)


def file_report(world, **overrides):
    values = {
        "school": world.school_a,
        "kind": "sexual",
        "accused": ACCUSED,
        "facts": FACTS,
        "source": "observed",
        "aware_on": dt.date(2026, 5, 12),
        "pupils": [world.pupil_a],
        "actor": world.teacher_a,
        "now": NOW,
    }
    values.update(overrides)
    return report_file(**values)


def step(world, report, code, done_on, *, now=None, **kwargs):
    kwargs.setdefault("note", "Uitkomst vastgelegd.")
    return report_step_record(
        report=report,
        code=code,
        done_on=done_on,
        actor=kwargs.pop("actor", world.board_member),
        now=now or dt.datetime.combine(done_on, dt.time(16, 0), tzinfo=AMSTERDAM),
        **kwargs,
    )


def record_note(world, **overrides):
    values = {
        "school": world.school_a,
        "held_at": at(12, 14),
        "with_whom": "Leerling uit groep 5",
        "summary": NOTE_TEXT,
        "agreements": "Volgende week opnieuw praten.",
        "pupils": [world.pupil_a],
        "actor": world.confidant_a,
        "now": NOW,
    }
    values.update(overrides)
    return confidant_note_record(**values)


def ctx_for(user, school=None):
    return build_access_context(
        user, today=timezone.localdate(), active_school_id=school.pk if school is not None else None
    )


def other_board_member(world):
    user = f.UserFactory(username="board_b")
    Membership.objects.create(
        user=user, board=world.school_b.board, school=None, role=Role.BOARD, active_from=dt.date(2020, 1, 1)
    )
    return user


def second_confidant(world):
    user = f.UserFactory(username="confidant_a2")
    Membership.objects.create(
        user=user,
        board=world.board,
        school=world.school_a,
        role=Role.CONFIDANT,
        active_from=dt.date(2020, 1, 1),
    )
    return user
