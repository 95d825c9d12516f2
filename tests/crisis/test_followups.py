"""Two follow-ups on a running crisis: linking more incidents after it started, and removing a
participant from the list of Bijlage 20 (the row is kept, with when, by whom and why)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from crisis import services as svc
from crisis.models import Crisis, Participant
from lev.audit.models import AuditEvent
from tests.conftest import signed_in_client
from tests.crisis.helpers import NOW, make_incident, started_crisis
from tests.i18n_helpers import h, t

pytestmark = pytest.mark.django_db

REASON = "Heeft het team verlaten; vervangen door K. Bos."


def _close(crisis: Crisis, world) -> Crisis:
    svc.crisis_evaluate_and_close(
        crisis=crisis,
        sounding_board="",
        process_evaluation="",
        result_evaluation="Rust keerde terug.",
        close=True,
        actor=world.director_a,
        now=NOW,
    )
    crisis.refresh_from_db()
    return crisis


def _participant(crisis: Crisis, world, name: str = "J. Smit (GGD)") -> Participant:
    return svc.participant_add(crisis=crisis, name=name, phone="0612345678", actor=world.director_a, now=NOW)


def _other_open_crisis(world):
    """A second open crisis at school A, with an incident of its own."""
    incident = make_incident(world.school_a, reporter=world.teacher_a)
    other = svc.crisis_start(
        school=world.school_a, incidents=[incident], title="Andere crisis", actor=world.director_a, now=NOW
    )
    return other, incident


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- Linking incidents: the service -----------------------------------------------------------------


def test_more_incidents_are_linked_and_audited_with_ids(world):
    crisis = started_crisis(world)
    first = crisis.incidents.get()
    second = make_incident(world.school_a, reporter=world.teacher_a, day=dt.date(2026, 4, 21))
    third = make_incident(world.school_a, reporter=world.teacher_a, day=dt.date(2026, 4, 21))
    svc.crisis_incidents_add(crisis=crisis, incidents=[third, second, third], actor=world.deputy_a, now=NOW)
    assert set(crisis.incidents.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}
    event = AuditEvent.objects.get(action="crisis_incidents_added")
    assert (event.object_id, event.actor_id) == (str(crisis.pk), world.deputy_a.pk)
    assert event.summary == {"incident_ids": sorted([second.pk, third.pk])}


def test_an_incident_of_a_closed_crisis_may_be_linked(world):
    old = _close(started_crisis(world, title="Oude crisis"), world)
    crisis, _ = _other_open_crisis(world)
    svc.crisis_incidents_add(crisis=crisis, incidents=[old.incidents.get()], actor=world.director_a, now=NOW)
    assert crisis.incidents.count() == 2


def test_linking_refuses_another_school_no_choice_and_busy_incidents(world):
    crisis = started_crisis(world)
    other_school = make_incident(world.school_b, reporter=world.teacher_b)
    with pytest.raises(ValidationError) as exc:
        svc.crisis_incidents_add(crisis=crisis, incidents=[other_school], actor=world.director_a, now=NOW)
    assert _messages(exc) == {"incidents": [t("Choose incidents of this school only.")]}
    with pytest.raises(ValidationError) as exc:
        svc.crisis_incidents_add(crisis=crisis, incidents=[], actor=world.director_a, now=NOW)
    assert _messages(exc) == {"incidents": [t("Choose at least one incident of this school.")]}

    other, busy = _other_open_crisis(world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    with pytest.raises(ValidationError) as exc:
        svc.crisis_incidents_add(crisis=crisis, incidents=[free, busy], actor=world.director_a, now=NOW)
    assert _messages(exc) == {
        "incidents": [
            t(
                "Incident %(number)s is already part of the open crisis “%(title)s”. "
                "An incident can be part of one open crisis only.",
                number=busy.number,
                title="Andere crisis",
            )
        ]
    }
    own = crisis.incidents.get()
    with pytest.raises(ValidationError) as exc:
        svc.crisis_incidents_add(crisis=crisis, incidents=[own], actor=world.director_a, now=NOW)
    assert _messages(exc) == {
        "incidents": [t("Incident %(number)s is already part of this crisis.", number=own.number)]
    }
    # Nothing was linked by the refused calls: not even the free incident of the mixed choice.
    assert list(crisis.incidents.all()) == [own]
    assert list(other.incidents.all()) == [busy]
    assert not AuditEvent.objects.filter(action="crisis_incidents_added").exists()


def test_linking_to_a_closed_crisis_is_refused(world):
    crisis = _close(started_crisis(world), world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    with pytest.raises(ValidationError) as exc:
        svc.crisis_incidents_add(crisis=crisis, incidents=[free], actor=world.director_a, now=NOW)
    assert exc.value.code == "closed"
    assert crisis.incidents.count() == 1


@pytest.mark.parametrize("persona", ["ib_a", "teacher_a", "teacher_b"])
def test_only_the_director_or_deputy_links_incidents(world, persona):
    crisis = started_crisis(world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    with pytest.raises(PermissionDenied):
        svc.crisis_incidents_add(crisis=crisis, incidents=[free], actor=getattr(world, persona), now=NOW)
    assert crisis.incidents.count() == 1


# --- Removing a participant: the service --------------------------------------------------------------


def test_a_removed_participant_keeps_its_row_and_the_audit_row_holds_no_text(world):
    crisis = started_crisis(world)
    participant = _participant(crisis, world)
    later = NOW + dt.timedelta(days=2)
    svc.participant_remove(participant=participant, reason=f"  {REASON} ", actor=world.deputy_a, now=later)
    row = Participant.objects.get(pk=participant.pk)
    assert (row.removed_at, row.removed_by_id, row.removal_reason) == (later, world.deputy_a.pk, REASON)
    assert row.name == "J. Smit (GGD)"
    event = AuditEvent.objects.get(action="crisis_participant_removed")
    assert (event.object_id, event.actor_id) == (str(crisis.pk), world.deputy_a.pk)
    assert event.summary == {"participant_id": participant.pk}
    text = json.dumps(event.summary)
    assert "Smit" not in text and "team" not in text


def test_removing_needs_a_reason_an_open_crisis_and_a_listed_participant(world):
    crisis = started_crisis(world)
    participant = _participant(crisis, world)
    with pytest.raises(ValidationError) as exc:
        svc.participant_remove(participant=participant, reason="   ", actor=world.director_a, now=NOW)
    assert _messages(exc) == {
        "reason": [t("Say briefly why the participant is removed (for example: has left the team).")]
    }
    svc.participant_remove(participant=participant, reason=REASON, actor=world.director_a, now=NOW)
    with pytest.raises(ValidationError) as exc:
        svc.participant_remove(participant=participant, reason="Nog eens.", actor=world.director_a, now=NOW)
    assert exc.value.code == "removed"
    assert exc.value.messages == [
        t("This participant was removed from the list already, on %(day)s.", day="21-04-2026")
    ]
    assert Participant.objects.get(pk=participant.pk).removal_reason == REASON

    still = _participant(crisis, world, name="K. Bos")
    _close(crisis, world)
    with pytest.raises(ValidationError) as exc:
        svc.participant_remove(participant=still, reason=REASON, actor=world.director_a, now=NOW)
    assert exc.value.code == "closed"
    assert Participant.objects.get(pk=still.pk).removed_at is None
    assert AuditEvent.objects.filter(action="crisis_participant_removed").count() == 1


@pytest.mark.parametrize("persona", ["ib_a", "teacher_b"])
def test_only_the_director_or_deputy_removes_a_participant(world, persona):
    crisis = started_crisis(world)
    participant = _participant(crisis, world)
    with pytest.raises(PermissionDenied):
        svc.participant_remove(participant=participant, reason=REASON, actor=getattr(world, persona), now=NOW)
    assert Participant.objects.get(pk=participant.pk).removed_at is None


# --- The page -------------------------------------------------------------------------------------


def _html(client, crisis) -> str:
    response = client.get(f"/crisis/{crisis.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _offered(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="incidents-incidents" value="(\d+)"', html)}


def test_the_link_form_offers_free_incidents_and_links_them(world):
    crisis = started_crisis(world)
    _, busy = _other_open_crisis(world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    make_incident(world.school_a, reporter=world.teacher_a, status="closed")
    make_incident(world.school_b, reporter=world.teacher_b)
    client = signed_in_client(world.director_a)
    html = _html(client, crisis)
    assert h(t("Link more incidents")) in html
    assert _offered(html) == {free.pk}
    assert busy.pk not in _offered(html)
    response = client.post(f"/crisis/{crisis.pk}/incidenten/koppelen/", {"incidents-incidents": [free.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#incidents"
    assert free in crisis.incidents.all()
    html = _html(client, crisis)
    assert h(t("The incidents have been linked to the crisis.")) in html
    assert f'href="{reverse("incidents:incident_detail", args=[free.pk])}"' in html
    assert _offered(html) == set()


def test_a_refused_link_keeps_the_choice_and_shows_the_error_at_the_field(world):
    crisis = started_crisis(world)
    _, busy = _other_open_crisis(world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/incidenten/koppelen/", {"incidents-incidents": [free.pk, busy.pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_incidents-incidents_error"' in html
    assert (
        h(
            t(
                "Choose incidents from the list: open incidents of this school that are not part of an open crisis."
            )
        )
        in html
    )
    assert re.search(rf'value="{free.pk}" id="[^"]+" checked', html)
    assert crisis.incidents.count() == 1


def test_linking_to_a_closed_crisis_from_an_old_page_says_why(world):
    crisis = _close(started_crisis(world), world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    client = signed_in_client(world.director_a)
    assert "incidenten/koppelen" not in _html(client, crisis)
    response = client.post(f"/crisis/{crisis.pk}/incidenten/koppelen/", {"incidents-incidents": [free.pk]})
    # The form is no longer on the page: the refusal is shown above it.
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#incidents"
    assert h(t("This crisis is closed. It is kept as it was: nothing can be added or changed.")) in _html(
        client, crisis
    )
    assert crisis.incidents.count() == 1


def test_the_director_removes_a_participant_and_sees_it_folded_away(world):
    crisis = started_crisis(world)
    gone = _participant(crisis, world)
    stays = _participant(crisis, world, name="K. Bos (vervanger)")
    client = signed_in_client(world.director_a)
    html = _html(client, crisis)
    assert f'action="/crisis/{crisis.pk}/deelnemers/{gone.pk}/verwijderen/"' in html
    response = client.post(
        f"/crisis/{crisis.pk}/deelnemers/{gone.pk}/verwijderen/", {f"remove-{gone.pk}-reason": REASON}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#participants"
    html = _html(client, crisis)
    assert (
        h(
            t(
                "The participant has been removed from the list. The row stays visible under the removed participants."
            )
        )
        in html
    )
    removed = html.split('id="participants-removed"')[1].split("</details>")[0]
    assert h(t("Removed participants")) + " (1)" in removed
    gone.refresh_from_db()
    day = timezone.localtime(gone.removed_at).strftime("%d-%m-%Y")
    assert "J. Smit (GGD)" in removed and day in removed and h(REASON) in removed
    assert world.director_a.display_name in removed
    current = html.split('id="participants-heading"')[1].split('id="participants-removed"')[0]
    assert f'id="participant-{stays.pk}"' in current
    assert f'id="participant-{gone.pk}"' not in current
    assert f"/deelnemers/{gone.pk}/verwijderen/" not in html


def test_removing_without_a_reason_shows_the_error_at_the_field(world):
    crisis = started_crisis(world)
    participant = _participant(crisis, world)
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/deelnemers/{participant.pk}/verwijderen/",
        {f"remove-{participant.pk}-reason": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_remove-{participant.pk}-reason_error"' in html
    assert h(t("Say briefly why the participant is removed (for example: has left the team).")) in html
    assert Participant.objects.get(pk=participant.pk).removed_at is None


def test_removing_twice_says_so_above_the_list(world):
    crisis = started_crisis(world)
    participant = _participant(crisis, world)
    svc.participant_remove(participant=participant, reason=REASON, actor=world.director_a, now=NOW)
    client = signed_in_client(world.director_a)
    response = client.post(
        f"/crisis/{crisis.pk}/deelnemers/{participant.pk}/verwijderen/",
        {f"remove-{participant.pk}-reason": "Nog eens."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#participants"
    html = _html(client, crisis)
    assert h(t("This participant was removed from the list already, on %(day)s.", day="21-04-2026")) in html
    assert Participant.objects.get(pk=participant.pk).removal_reason == REASON


def test_a_participant_of_another_crisis_is_not_found(world):
    crisis = started_crisis(world)
    other, _ = _other_open_crisis(world)
    participant = _participant(other, world)
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/deelnemers/{participant.pk}/verwijderen/",
        {f"remove-{participant.pk}-reason": REASON},
    )
    assert response.status_code == 404
    assert Participant.objects.get(pk=participant.pk).removed_at is None


def test_the_ib_sees_no_forms_and_gets_403_the_other_school_404(world):
    crisis = started_crisis(world)
    participant = _participant(crisis, world)
    free = make_incident(world.school_a, reporter=world.teacher_a)
    ib = signed_in_client(world.ib_a)
    html = _html(ib, crisis)
    assert "incidenten/koppelen" not in html and "verwijderen/" not in html
    assert "J. Smit (GGD)" in html
    posts = [
        (f"/crisis/{crisis.pk}/incidenten/koppelen/", {"incidents-incidents": [free.pk]}),
        (
            f"/crisis/{crisis.pk}/deelnemers/{participant.pk}/verwijderen/",
            {f"remove-{participant.pk}-reason": REASON},
        ),
    ]
    for url, data in posts:
        assert ib.post(url, data).status_code == 403
        assert signed_in_client(world.teacher_b).post(url, data).status_code == 404
    assert crisis.incidents.count() == 1
    assert Participant.objects.get(pk=participant.pk).removed_at is None
    assert not AuditEvent.objects.filter(
        action__in=["crisis_incidents_added", "crisis_participant_removed"]
    ).exists()
