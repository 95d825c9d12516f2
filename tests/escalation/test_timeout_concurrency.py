"""Two directors approve the same time-out request at the same moment (issue 6, point 6): exactly one
approval; the other is told who approved it; one audit event "approved" (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings

from escalation import timeout_services as svc
from escalation.models import Episode, EpisodeState, TimeOut, TimeOutStatus
from lev.audit.models import AuditEvent
from lev.dossier.models import DossierEntry
from tests.conftest import make_world
from tests.escalation.test_timeout_services import NOW, ask, at_step_4, prepare, second_director
from tests.i18n_helpers import t


@pytest.mark.django_db(transaction=True)
def test_two_directors_approve_the_same_request_at_once():
    world = prepare(make_world())
    other = second_director(world)
    at_step_4(world)
    request = ask(world)
    start = threading.Barrier(2)
    approved: list[int] = []
    refused: list[tuple[int, list[str]]] = []
    errors: list[BaseException] = []

    def approve(user) -> None:
        try:
            with override_settings(REDIS_URL=None):
                time_out = TimeOut.objects.get(pk=request.pk)  # each read before the other decides
                start.wait()
                svc.timeout_approve(time_out=time_out, actor=user, now=NOW)
                approved.append(user.pk)
        except ValidationError as exc:
            refused.append((user.pk, exc.messages))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (world.director_a, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(approved) == 1 and len(refused) == 1
    winner = world.director_a if approved[0] == world.director_a.pk else other
    loser_pk, messages = refused[0]
    assert loser_pk != winner.pk
    assert messages == [
        t(
            "This time-out was already approved by %(name)s on %(date)s.",
            name=winner.display_name,
            date="08-12-2026",
        )
    ]
    row = TimeOut.objects.get(pk=request.pk)
    assert (row.status, row.decided_by_id) == (TimeOutStatus.APPROVED, winner.pk)
    assert AuditEvent.objects.filter(action="escalation_timeout_approved").count() == 1
    assert (
        AuditEvent.objects.filter(action="escalation_transition", summary__event="approve_time_out").count()
        == 1
    )
    assert DossierEntry.objects.filter(title="Time-out goedgekeurd").count() == 1
    assert Episode.objects.get(pupil=world.pupil_a).state == EpisodeState.STEP_5
