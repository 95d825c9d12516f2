"""Two people acting on one verwijdering at the same moment end in exactly one decision (issue 6,
point 6): the services lock the pupil's episode row first (`select_for_update`) and re-read the
verwijdering under that lock, so the second is served after the first has committed and is told
what happened. Threads on PostgreSQL, each with its own connection (`transaction=True`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test import override_settings

from escalation import verwijdering_services as svc
from escalation.models import Episode, Verwijdering, VerwijderingStatus
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline
from lev.dossier.models import DossierEntry
from tests.conftest import make_world
from tests.escalation.test_verwijdering_services import (
    DECIDED,
    PARENTS_HEARD,
    TEACHER_HEARD,
    at,
    hear,
    second_board_member,
    start,
)
from tests.i18n_helpers import t


def at_once(*calls: Callable[[], Any]) -> tuple[list[Any], list[ValidationError]]:
    """Run CALLS in threads released together; their results and their refusals."""
    results: list[Any] = []
    refusals: list[ValidationError] = []
    unexpected: list[BaseException] = []
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> None:
        try:
            with override_settings(REDIS_URL=None):
                barrier.wait()
                results.append(call())
        except ValidationError as exc:
            refusals.append(exc)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    return results, refusals


@pytest.mark.django_db(transaction=True)
def test_two_board_members_deciding_at_once_end_in_one_decision():
    world = make_world()
    row = start(world)
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    hear(world, row, "parents", PARENTS_HEARD)
    members = [world.board_member, second_board_member(world)]

    def decide(user: Any) -> Callable[[], Verwijdering]:
        return lambda: svc.verwijdering_decide(
            verwijdering=row,
            decided_on=DECIDED,
            reasons=f"Besluit van {user.username}.",
            actor=user,
            now=at(DECIDED),
        )

    results, refusals = at_once(*(decide(user) for user in members))
    assert len(results) == 1 and len(refusals) == 1
    assert refusals[0].message_dict == {
        NON_FIELD_ERRORS: [t("This verwijdering was already decided on %(day)s.", day="26-03-2026")]
    }
    row.refresh_from_db()
    winner = results[0].decided_by
    assert (row.status, row.decided_by, row.decision_reasons) == (
        VerwijderingStatus.DECIDED,
        winner,
        f"Besluit van {winner.username}.",
    )
    assert AuditEvent.objects.filter(action="verwijdering_decided").count() == 1
    assert DossierEntry.objects.filter(title="Besluit tot verwijdering").count() == 1
    assert Deadline.objects.filter(rule_code="leerplicht-melding-verwijdering").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_directors_starting_at_once_end_in_one_verwijdering():
    world = make_world()

    def begin(user: Any, ground: int) -> Callable[[], Verwijdering]:
        return lambda: start(world, actor=user, ground=ground)

    results, refusals = at_once(begin(world.director_a, 1), begin(world.deputy_a, 3))
    assert len(results) == 1 and len(refusals) == 1
    assert refusals[0].message_dict == {
        NON_FIELD_ERRORS: [t("A verwijdering is already under way for this pupil.")]
    }
    assert Verwijdering.objects.count() == 1
    assert Episode.objects.filter(pupil=world.pupil_a).count() == 1
    assert Verwijdering.objects.get().pk == results[0].pk
