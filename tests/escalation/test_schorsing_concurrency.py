"""Two people acting on one schorsing at the same moment end in exactly one outcome (issue 6,
"Concurrency"): threads on PostgreSQL, each with its own connection, started together by a barrier.

- Two board members approve (or one approves and one rejects) the same submission: one decision, one
  step on the ladder, one Inspectie task; the other is told it has already been decided.
- Two directors prepare a schorsing of the same pupil for the same period: one schorsing; the other
  is refused after the episode's lock by the overlap check (under mandate) or by the submission
  already waiting (without).

The schorsing is Fri 2 + Mon 5 Oct 2026 (two school days, so an Inspectie task), prepared and decided
on Thu 1 Oct 2026.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from escalation import schorsing_services as s
from escalation.models import Episode, EpisodeState, Schorsing, SchorsingStatus
from escalation.services import episode_open, serious_incident_record
from incidents.models import Incident, IncidentPupil
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline
from lev.schools.models import DecisionMaker, Membership, Role
from tests import factories as f
from tests.conftest import make_world

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
FIRST, LAST = dt.date(2026, 10, 2), dt.date(2026, 10, 5)


def run_together(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run CALLS at the same moment, each in its own thread and connection."""
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def setup(*, with_mandate: bool):
    world = make_world()
    if with_mandate:
        world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
        world.school_a.save()
    incident = Incident.objects.create(
        board=world.board,
        school=world.school_a,
        number="2026-0001",
        happened_on=dt.date(2026, 9, 30),
        location="Gang",
        category="pesten",
        description="Geslagen.",
        severity="severe",
        reporter=world.teacher_a,
        recorded_by=world.teacher_a,
        created_at=NOW,
    )
    IncidentPupil.objects.create(incident=incident, pupil=world.pupil_a, role="initiative")
    episode = episode_open(pupil=world.pupil_a, actor=world.director_a, now=NOW, incident=incident)
    serious_incident_record(
        episode=episode, incident=incident, reason="Zeer ernstig.", actor=world.director_a, now=NOW
    )
    return world, incident


def prepare(world, incident, actor, *, use_mandate: bool) -> Callable[[], Schorsing]:
    return lambda: s.schorsing_prepare(
        pupil=world.pupil_a,
        first_day=FIRST,
        last_day=LAST,
        reasons="Geslagen.",
        earlier_measures="",
        incidents=[incident],
        actor=actor,
        now=NOW,
        use_mandate=use_mandate,
    )


def second_member(world, role: str, *, school=None):
    user = f.UserFactory(username=f"second_{role}")
    Membership.objects.create(
        user=user, school=school, board=world.board, role=role, active_from=dt.date(2020, 1, 1)
    )
    return user


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second_approves", [True, False])
def test_two_board_members_deciding_at_once_make_one_decision(second_approves):
    world, incident = setup(with_mandate=False)
    schorsing = prepare(world, incident, world.director_a, use_mandate=False)()
    other = second_member(world, Role.BOARD)
    results, errors = run_together(
        lambda: s.schorsing_board_decide(
            schorsing=schorsing, approve=True, note="", actor=world.board_member, now=NOW
        ),
        lambda: s.schorsing_board_decide(
            schorsing=schorsing, approve=second_approves, note="Niet akkoord.", actor=other, now=NOW
        ),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    row = Schorsing.objects.get()
    assert row.status in (SchorsingStatus.DECIDED, SchorsingStatus.REJECTED)
    assert row.board_decided_by in (world.board_member, other)
    decided = row.status == SchorsingStatus.DECIDED
    # One decision: at most one step on the ladder and one Inspectie task, and only when approved.
    assert AuditEvent.objects.filter(action="schorsing_decided").count() == int(decided)
    assert AuditEvent.objects.filter(action="schorsing_rejected").count() == int(not decided)
    assert Deadline.objects.filter(rule_code="inspectie-melding-schorsing").count() == int(decided)
    assert AuditEvent.objects.filter(
        action="escalation_transition", summary__event="start_schorsing"
    ).count() == int(decided)
    assert Episode.objects.get().state == (EpisodeState.STEP_6 if decided else EpisodeState.OPEN)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_mandate", [True, False])
def test_two_schorsingen_for_the_same_pupil_and_period_at_once_make_one(with_mandate):
    world, incident = setup(with_mandate=with_mandate)
    other = second_member(world, Role.DIRECTOR, school=world.school_a)
    results, errors = run_together(
        prepare(world, incident, world.director_a, use_mandate=with_mandate),
        prepare(world, incident, other, use_mandate=with_mandate),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    row = Schorsing.objects.get()
    if with_mandate:
        # The second saw the first one decided, after the lock: an overlap.
        assert row.status == SchorsingStatus.DECIDED
        assert list(errors[0].message_dict) == ["first_day"]
        assert "05-10-2026" in errors[0].message_dict["first_day"][0]  # "runs up to and including"
        assert Deadline.objects.filter(rule_code="inspectie-melding-schorsing").count() == 1
    else:
        # The second saw the first one waiting for the board.
        assert row.status == SchorsingStatus.SUBMITTED
        assert "02-10-2026" in errors[0].message_dict["__all__"][0]
    assert Episode.objects.count() == 1
