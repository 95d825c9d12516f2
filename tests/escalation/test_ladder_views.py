"""The ladder pages: a pupil's stappenplan, recording a step, starting and closing an episode, the
serious incident, the school's overview and the buttons on the pupil and incident pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from escalation.domain.ladder import GUARDS
from escalation.models import Episode, EpisodeState, StepRecord
from escalation.services import episode_open, step_record
from incidents.models import Incident, IncidentPupil
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t


def _ladder(pupil) -> str:
    return reverse("escalation:pupil_ladder", args=[pupil.pk])


def _reason(name: str) -> str:
    with translation.override("nl"):
        return h(str(GUARDS[name].reason))


def _incident(world, *, initiator=None) -> Incident:
    incident = Incident.objects.create(
        board=world.board,
        school=world.school_a,
        number="2026-0007",
        happened_on=timezone.localdate() - dt.timedelta(days=1),
        location="Schoolplein",
        category="agressie",
        description="Duwde een klasgenoot tegen het hek.",
        severity="serious",
        reporter=world.teacher_a,
        recorded_by=world.teacher_a,
        created_at=timezone.now(),
    )
    if initiator is not None:
        IncidentPupil.objects.create(incident=incident, pupil=initiator, role="initiative")
    return incident


def _step_3(world) -> StepRecord:
    return step_record(
        pupil=world.pupil_a,
        step=3,
        happened_on=timezone.localdate(),
        summary="Gesprek met Anna en Bram over het duwen.",
        participants="A.J., B.d.V., juf Smit",
        agreements="Stop zeggen en de juf halen.",
        parents_informed=True,
        parents_informed_how="telefonisch",
        actor=world.teacher_a,
        now=timezone.now(),
    )


@pytest.mark.django_db
def test_the_director_sees_the_seven_steps_and_why_a_step_is_not_possible_yet(world):
    html = signed_in_client(world.director_a).get(_ladder(world.pupil_a)).content.decode()
    assert t("No stappenplan is running for this pupil.") in html
    for number in range(1, 8):
        assert f'id="step-{number}"' in html
    # Step 4 follows step 3: disabled, with the reason next to it.
    assert _reason("step_3_reached") in html
    assert f"{reverse('escalation:step_new', args=[world.pupil_a.pk])}?stap=3" in html
    assert reverse("escalation:episode_new", args=[world.pupil_a.pk]) in html


@pytest.mark.django_db
def test_after_step_3_step_4_is_offered_and_the_track_shows_the_record(world):
    _step_3(world)
    html = signed_in_client(world.director_a).get(_ladder(world.pupil_a)).content.decode()
    assert f"{reverse('escalation:step_new', args=[world.pupil_a.pk])}?stap=4" in html
    assert _reason("step_3_reached") not in html
    assert "Gesprek met Anna en Bram over het duwen." in html
    assert t("taken (implied by step 3)") in html
    assert t("current step") in html
    # The director may close the episode and record a serious incident.
    assert 'id="close-form"' in html and 'id="serious-form"' in html


@pytest.mark.django_db
def test_the_teacher_of_the_group_records_steps_but_prepares_no_measure(world):
    _step_3(world)
    html = signed_in_client(world.teacher_a).get(_ladder(world.pupil_a)).content.decode()
    assert f"{reverse('escalation:step_new', args=[world.pupil_a.pk])}?stap=4" in html
    assert t("Prepare a schorsing") not in html
    assert t("Start a verwijdering") not in html
    assert 'id="close-form"' not in html


@pytest.mark.django_db
def test_a_refused_step_keeps_what_was_typed_and_shows_the_rule(world):
    client = signed_in_client(world.teacher_a)
    url = reverse("escalation:step_new", args=[world.pupil_a.pk])
    response = client.post(
        url,
        {
            "step": "4",
            "happened_on": timezone.localdate().isoformat(),
            "summary": "Gesprek met de ouders van Anna over het pesten.",
            "participants": "ouders, juf Smit",
            "agreements": "Dagelijks kort contact.",
            "parents_informed": "on",
            "parents_informed_how": "in het gesprek",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _reason("step_3_reached") in html
    assert "Gesprek met de ouders van Anna over het pesten." in html
    assert "Dagelijks kort contact." in html
    assert not StepRecord.objects.exists()
    assert not Episode.objects.exists()


@pytest.mark.django_db
def test_a_missing_field_of_a_conversation_is_shown_next_to_it(world):
    client = signed_in_client(world.teacher_a)
    response = client.post(
        reverse("escalation:step_new", args=[world.pupil_a.pk]),
        {"step": "3", "happened_on": timezone.localdate().isoformat(), "summary": "Gesprek."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_participants_error"' in html
    assert h(t("Write down who took part in the conversation.")) in html


@pytest.mark.django_db
def test_recording_step_1_opens_the_episode_and_returns_to_the_ladder(world):
    client = signed_in_client(world.teacher_a)
    response = client.post(
        reverse("escalation:step_new", args=[world.pupil_a.pk]) + "?stap=1",
        {
            "step": "1",
            "happened_on": timezone.localdate().isoformat(),
            "summary": "Anna zei: stop, ik vind dit niet leuk.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _ladder(world.pupil_a)
    assert Episode.objects.get(pupil=world.pupil_a).state == EpisodeState.STEP_1


@pytest.mark.django_db
def test_the_director_starts_the_stappenplan_after_an_incident(world):
    incident = _incident(world, initiator=world.pupil_a)
    client = signed_in_client(world.director_a)
    url = reverse("escalation:episode_new", args=[world.pupil_a.pk])
    form = client.get(f"{url}?incident={incident.pk}").content.decode()
    assert f'<option value="{incident.pk}" selected>' in form
    response = client.post(url, {"incident": str(incident.pk), "reason": ""})
    assert response.status_code == 302
    episode = Episode.objects.get(pupil=world.pupil_a)
    assert episode.opened_from == incident
    # A second start goes to the running one.
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == _ladder(world.pupil_a)


@pytest.mark.django_db
def test_the_incident_page_offers_the_stappenplan_of_the_pupil_who_took_the_initiative(world):
    incident = _incident(world, initiator=world.pupil_a)
    detail = reverse("incidents:incident_detail", args=[incident.pk])
    html = signed_in_client(world.director_a).get(detail).content.decode()
    start = f"{reverse('escalation:episode_new', args=[world.pupil_a.pk])}?incident={incident.pk}"
    assert h(start) in html
    assert t("Start the stappenplan for the pupil who took the initiative") in html
    # The IB does not start one; with an open episode the director is sent to the ladder instead.
    assert h(start) not in signed_in_client(world.ib_a).get(detail).content.decode()
    episode_open(pupil=world.pupil_a, incident=incident, actor=world.director_a, now=timezone.now())
    html = signed_in_client(world.director_a).get(detail).content.decode()
    assert t("Stappenplan of the pupil who took the initiative") in html


@pytest.mark.django_db
def test_the_pupil_page_offers_the_stappenplan_to_the_teacher_of_the_group(world):
    html = (
        signed_in_client(world.teacher_a)
        .get(reverse("schools:pupil_detail", args=[world.pupil_a.pk]))
        .content.decode()
    )
    assert f'href="{_ladder(world.pupil_a)}"' in html


@pytest.mark.django_db
def test_a_serious_incident_without_reason_is_refused_at_the_field(world):
    incident = _incident(world, initiator=world.pupil_a)
    episode = episode_open(pupil=world.pupil_a, incident=incident, actor=world.director_a, now=timezone.now())
    client = signed_in_client(world.director_a)
    url = reverse("escalation:serious_incident", args=[episode.pk])
    response = client.post(url, {"serious-incident": str(incident.pk), "serious-reason": ""})
    assert response.status_code == 200
    assert 'id="id_serious-reason_error"' in response.content.decode()
    response = client.post(url, {"serious-incident": str(incident.pk), "serious-reason": "Sloeg de juf."})
    assert response.status_code == 302
    assert Episode.objects.get(pk=episode.pk).serious_incident_reason == "Sloeg de juf."


@pytest.mark.django_db
def test_closing_the_episode_from_the_ladder(world):
    episode = _step_3(world).episode
    client = signed_in_client(world.director_a)
    url = reverse("escalation:episode_close", args=[episode.pk])
    assert client.post(url, {"close-note": ""}).status_code == 200
    response = client.post(url, {"close-note": "Afspraken werken; gesprek met ouders was goed."})
    assert response.status_code == 302
    assert Episode.objects.get(pk=episode.pk).state == EpisodeState.CLOSED
    html = client.get(_ladder(world.pupil_a)).content.decode()
    assert "Afspraken werken; gesprek met ouders was goed." in html  # under earlier episodes


@pytest.mark.django_db
def test_the_overview_lists_pupils_on_the_ladder_and_filters_by_step(world):
    _step_3(world)
    client = signed_in_client(world.ib_a)
    html = client.get(reverse("escalation:overview")).content.decode()
    assert world.pupil_a.full_name in html
    assert t("Step 3: We look for a solution together") in html
    filtered = client.get(reverse("escalation:overview") + "?stap=5").content.decode()
    assert world.pupil_a.full_name not in filtered
    empty = t(
        "No pupil is on the stappenplan. A pupil appears here when a step is recorded or the stappenplan is "
        "started from the pupil's page."
    )
    assert empty in filtered
