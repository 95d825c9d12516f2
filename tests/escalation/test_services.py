"""The stappenplan's core services on PostgreSQL: episodes, steps 1–4, the serious incident, closing,
the facts the ladder's guards read, and one open episode per pupil under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from escalation.domain.ladder import GUARDS, LadderRefused, State, Step
from escalation.models import Episode, EpisodeState, StepRecord, TimeOut, TimeOutStatus
from escalation.services import (
    episode_close,
    episode_open,
    facts_for,
    open_episode,
    serious_incident_record,
    step_record,
)
from incidents.models import Incident
from lev.audit.models import AuditEvent
from lev.dossier.models import DossierEntry
from tests.conftest import make_world

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=AMSTERDAM)  # a Tuesday
TODAY = dt.date(2026, 5, 12)


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _incident(world, *, number="2026-0001") -> Incident:
    return Incident.objects.create(
        board=world.board,
        school=world.school_a,
        number=number,
        happened_on=dt.date(2026, 5, 11),
        location="Schoolplein",
        category="agressie",
        description="Duwde een klasgenoot tegen het hek.",
        severity="serious",
        reporter=world.teacher_a,
        recorded_by=world.teacher_a,
        created_at=NOW,
    )


def _step(world, step: int, *, actor=None, **extra):
    values = {
        "summary": "Gesprek over het duwen op het plein.",
        "participants": "A.J., juf Smit" if step >= 3 else "",
        "agreements": "Anna zegt stop en haalt de juf." if step >= 3 else "",
        "parents_informed": step >= 3,
        "parents_informed_how": "telefonisch, dezelfde dag" if step >= 3 else "",
    }
    values.update(extra)
    return step_record(
        pupil=world.pupil_a,
        step=step,
        happened_on=TODAY,
        actor=actor or world.teacher_a,
        now=NOW,
        **values,
    )


# --- opening ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_director_opens_an_episode_after_an_incident(world):
    incident = _incident(world)
    episode = episode_open(pupil=world.pupil_a, incident=incident, actor=world.director_a, now=NOW)
    assert episode.state == EpisodeState.OPEN
    assert episode.opened_from == incident
    entry = DossierEntry.objects.get(pupil=world.pupil_a, source_type="escalation.episode")
    assert entry.title == "Stappenplan gestart"
    assert "Na incident 2026-0001." in entry.summary
    assert AuditEvent.objects.filter(action="escalation_episode_opened", object_id=str(episode.pk)).exists()


@pytest.mark.django_db
def test_opening_without_incident_needs_a_reason(world):
    with pytest.raises(ValidationError) as refused:
        episode_open(pupil=world.pupil_a, reason="  ", actor=world.director_a, now=NOW)
    assert "reason" in refused.value.error_dict
    assert Episode.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_a", "ib_a", "staff_a", "confidant_a"])
def test_only_the_director_and_deputy_open_an_episode(world, persona):
    with pytest.raises(PermissionDenied):
        episode_open(pupil=world.pupil_a, reason="Pest al weken.", actor=getattr(world, persona), now=NOW)


@pytest.mark.django_db
def test_a_second_open_episode_is_refused(world):
    episode_open(pupil=world.pupil_a, reason="Pest al weken.", actor=world.director_a, now=NOW)
    with pytest.raises(ValidationError):
        episode_open(pupil=world.pupil_a, reason="Nog een keer.", actor=world.deputy_a, now=NOW)
    assert Episode.objects.filter(pupil=world.pupil_a).count() == 1


# --- steps 1–4 -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_step_3_opens_the_episode_and_implies_steps_1_and_2(world):
    row = _step(world, 3)
    episode = row.episode
    assert episode.state == EpisodeState.STEP_3
    assert episode.opened_by == world.teacher_a
    facts = facts_for(episode, TODAY)
    assert facts.reached(Step.SAMEN_EEN_OPLOSSING)
    titles = list(DossierEntry.objects.filter(pupil=world.pupil_a).values_list("title", flat=True))
    assert "Stap 3: We zoeken samen een oplossing" in titles
    transition = AuditEvent.objects.get(action="escalation_transition")
    assert transition.summary["from"] == "open" and transition.summary["to"] == "step_3"


@pytest.mark.django_db
def test_step_4_before_step_3_is_refused_and_nothing_is_stored(world):
    with pytest.raises(LadderRefused) as refused:
        _step(world, 4)
    assert refused.value.code == "step_3_reached"
    assert refused.value.message == str(GUARDS["step_3_reached"].reason)
    assert Episode.objects.count() == 0  # the episode opened for it is rolled back too
    assert StepRecord.objects.count() == 0
    assert not DossierEntry.objects.filter(pupil=world.pupil_a).exists()


@pytest.mark.django_db
def test_a_conversation_needs_who_what_was_agreed_and_the_parents(world):
    with pytest.raises(ValidationError) as refused:
        _step(world, 3, participants="", agreements=" ", parents_informed=False)
    assert set(refused.value.error_dict) == {"participants", "agreements", "parents_informed"}
    with pytest.raises(ValidationError) as refused:
        _step(world, 3, parents_informed=True, parents_informed_how="")
    assert set(refused.value.error_dict) == {"parents_informed_how"}


@pytest.mark.django_db
def test_step_1_needs_only_what_happened(world):
    row = _step(world, 1)
    assert row.episode.state == EpisodeState.STEP_1
    with pytest.raises(ValidationError) as refused:
        _step(world, 2, summary=" ")
    assert set(refused.value.error_dict) == {"summary"}


@pytest.mark.django_db
def test_a_lower_step_later_keeps_the_highest_step(world):
    _step(world, 3)
    _step(world, 4)
    row = _step(world, 3)
    assert Episode.objects.get(pk=row.episode_id).state == EpisodeState.STEP_4


@pytest.mark.django_db
def test_a_step_in_the_future_and_a_foreign_consequence_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        step_record(
            pupil=world.pupil_a,
            step=1,
            happened_on=TODAY + dt.timedelta(days=1),
            summary="Zei stop.",
            consequences=["strafwerk"],
            actor=world.teacher_a,
            now=NOW,
        )
    assert set(refused.value.error_dict) == {"happened_on", "consequences"}


@pytest.mark.django_db
def test_consequences_are_stored_in_the_plans_order_and_written_in_the_dossier(world):
    _step(world, 3)
    row = _step(world, 4, consequences=["afspraken", "binnenblijven"])
    assert row.consequences == ["binnenblijven", "afspraken"]
    entry = DossierEntry.objects.get(source_type="escalation.steprecord", source_id=str(row.pk))
    assert "Consequenties:" in entry.summary
    assert "Afspraken: Anna zegt stop en haalt de juf." in entry.summary


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff_a", "confidant_a", "board_member"])
def test_roles_without_the_ladder_record_no_step(world, persona):
    with pytest.raises(PermissionDenied):
        _step(world, 1, actor=getattr(world, persona))


@pytest.mark.django_db
def test_an_incident_of_another_school_cannot_be_linked(world):
    other = Incident.objects.create(
        board=world.school_b.board,
        school=world.school_b,
        number="2026-0099",
        happened_on=dt.date(2026, 5, 11),
        location="Gang",
        category="agressie",
        description="Elders.",
        severity="minor",
        reporter=world.teacher_b,
        recorded_by=world.teacher_b,
        created_at=NOW,
    )
    with pytest.raises(ValidationError) as refused:
        _step(world, 1, incidents=[other])
    assert set(refused.value.error_dict) == {"incidents"}


# --- the serious incident and closing ------------------------------------------------------------


@pytest.mark.django_db
def test_a_serious_incident_lets_a_time_out_skip_steps_1_to_4(world):
    incident = _incident(world)
    episode = episode_open(pupil=world.pupil_a, incident=incident, actor=world.director_a, now=NOW)
    assert not facts_for(episode, TODAY).serious_incident
    with pytest.raises(ValidationError):
        serious_incident_record(
            episode=episode, incident=incident, reason=" ", actor=world.director_a, now=NOW
        )
    serious_incident_record(
        episode=episode, incident=incident, reason="Sloeg de leerkracht.", actor=world.director_a, now=NOW
    )
    facts = facts_for(Episode.objects.get(pk=episode.pk), TODAY)
    assert facts.serious_incident
    assert DossierEntry.objects.filter(title="Ernstig incident: stappen overgeslagen").count() == 1


@pytest.mark.django_db
def test_closing_needs_a_note_and_nothing_running(world):
    _step(world, 3)
    row = _step(world, 4)
    episode = row.episode
    TimeOut.objects.create(
        episode=episode,
        board=world.board,
        school=world.school_a,
        pupil=world.pupil_a,
        reason="Schopte.",
        first_day=TODAY,
        last_day=TODAY,
        where="groep 7",
        requested_by=world.teacher_a,
        requested_at=NOW,
    )
    with pytest.raises(ValidationError) as refused:
        episode_close(episode=episode, note="", actor=world.director_a, now=NOW)
    assert set(refused.value.error_dict) == {"note"}
    with pytest.raises(LadderRefused) as refused_ladder:
        episode_close(episode=episode, note="Gaat goed.", actor=world.director_a, now=NOW)
    assert refused_ladder.value.code == "nothing_running"
    TimeOut.objects.filter(episode=episode).update(status=TimeOutStatus.WITHDRAWN, decided_at=NOW)
    closed = episode_close(episode=episode, note="Gaat goed.", actor=world.director_a, now=NOW)
    assert closed.state == EpisodeState.CLOSED
    assert closed.closed_by == world.director_a
    assert open_episode(world.pupil_a) is None
    # A new episode may start after the old one is closed.
    assert (
        episode_open(pupil=world.pupil_a, reason="Opnieuw.", actor=world.director_a, now=NOW).pk != episode.pk
    )


# --- facts ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facts_know_a_running_and_a_requested_time_out(world):
    episode = _step(world, 3).episode

    def time_out(status, first, last):
        return TimeOut.objects.create(
            episode=episode,
            board=world.board,
            school=world.school_a,
            pupil=world.pupil_a,
            status=status,
            reason="Schopte.",
            first_day=first,
            last_day=last,
            where="groep 7",
            requested_by=world.teacher_a,
            requested_at=NOW,
            decided_at=None if status == TimeOutStatus.REQUESTED else NOW,
        )

    time_out(TimeOutStatus.APPROVED, dt.date(2026, 5, 11), dt.date(2026, 5, 12))
    facts = facts_for(episode, TODAY)
    assert facts.time_out_running and not facts.time_out_requested
    assert Step.TIME_OUT in facts.steps_done
    assert not facts_for(episode, dt.date(2026, 5, 13)).time_out_running
    time_out(TimeOutStatus.REQUESTED, dt.date(2026, 5, 14), dt.date(2026, 5, 14))
    assert facts_for(episode, TODAY).time_out_requested


# --- one open episode under concurrency ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_first_steps_at_the_same_moment_share_one_episode():
    world = make_world()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def recorder(user) -> None:
        try:
            with override_settings(REDIS_URL=None), translation.override("nl"):
                start.wait()
                step_record(
                    pupil=world.pupil_a,
                    step=1,
                    happened_on=TODAY,
                    summary="Zei stop.",
                    actor=user,
                    now=NOW,
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=recorder, args=(user,)) for user in (world.teacher_a, world.ib_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Episode.objects.filter(pupil=world.pupil_a).count() == 1
    assert StepRecord.objects.filter(episode__pupil=world.pupil_a).count() == 2
    assert State(Episode.objects.get(pupil=world.pupil_a).state) is State.STEP_1
