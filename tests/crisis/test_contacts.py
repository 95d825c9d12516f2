"""Contacts with parents during a crisis (Bijlage 21 per crisis): rows of the parent contact log of
`communications` with the crisis's id, written through its service and read through its selector."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communications.contact_models import ContactLog
from crisis import services as svc
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline
from lev.dossier.models import DossierEntry
from tests.conftest import signed_in_client
from tests.crisis.helpers import NOW, started_crisis
from tests.i18n_helpers import h, t

pytestmark = pytest.mark.django_db


def _record(world, crisis, **fields):
    values = {
        "contact_at": NOW - dt.timedelta(hours=2),
        "with_whom": "ouders van groep 5a (spreekuur)",
        "channel": "in_person",
        "summary": "Vragen over het incident beantwoord; verteld wat de kinderen in de klas horen.",
        "agreements": "Brief volgt vrijdag.",
    }
    values.update(fields)
    return svc.crisis_contact_record(crisis=crisis, actor=world.director_a, now=NOW, **values)


def test_a_contact_without_a_pupil_belongs_to_the_crisis_only(world):
    crisis = started_crisis(world)
    contact = _record(world, crisis, pupil=None)
    assert (contact.crisis_id, contact.pupil_id, contact.school_id, contact.board_id) == (
        crisis.pk,
        None,
        world.school_a.pk,
        world.board.pk,
    )
    assert not DossierEntry.objects.exists()
    event = AuditEvent.objects.get(action="contact_log_recorded")
    assert (event.summary["crisis_id"], event.summary["pupil_id"], event.summary["dossier_entry_id"]) == (
        crisis.pk,
        None,
        None,
    )
    from communications.contact_selectors import contact_logs_for_crisis

    rows = contact_logs_for_crisis(school=world.school_a, crisis_id=crisis.pk)
    assert [row.contact for row in rows] == [contact]


def test_a_contact_about_a_pupil_is_in_the_pupils_chronology_too(world):
    crisis = started_crisis(world)
    contact = _record(
        world, crisis, pupil=world.pupil_a, with_whom="moeder", follow_up_on=dt.date(2026, 4, 28)
    )
    entry = DossierEntry.objects.get()
    assert (entry.pupil_id, entry.kind, entry.source_id) == (
        world.pupil_a.pk,
        "parent_contact",
        str(contact.pk),
    )
    deadline = Deadline.objects.get(rule_code="vervolgafspraak-ouders")
    assert (deadline.subject_id, deadline.due_on) == (str(contact.pk), dt.date(2026, 4, 28))


def test_a_pupil_of_another_school_is_refused(world):
    crisis = started_crisis(world)
    with pytest.raises(ValidationError) as exc:
        _record(world, crisis, pupil=world.pupil_b)
    assert list(exc.value.message_dict) == ["pupil"]
    assert not ContactLog.objects.exists()


def test_only_the_crisis_managers_record_contacts(world):
    crisis = started_crisis(world)
    with pytest.raises(PermissionDenied):
        svc.crisis_contact_record(
            crisis=crisis,
            pupil=None,
            contact_at=NOW,
            with_whom="moeder",
            channel="phone",
            summary="x",
            actor=world.ib_a,
            now=NOW,
        )
    assert not ContactLog.objects.exists()


def test_record_a_contact_from_the_page(world):
    crisis = started_crisis(world)
    client = signed_in_client(world.director_a)
    response = client.post(
        f"/crisis/{crisis.pk}/contacten/nieuw/",
        {
            "contact-contact_at": "2026-04-21T09:30",
            "contact-pupil": "",
            "contact-with_whom": "vader van een leerling uit groep 5a",
            "contact-channel": "phone",
            "contact-summary": "Vader belde ongerust; uitgelegd wat de school doet.",
            "contact-agreements": "Terugbellen na het teamoverleg.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#contacts"
    contact = ContactLog.objects.get()
    assert (contact.crisis_id, contact.recorded_by_id) == (crisis.pk, world.director_a.pk)
    html = client.get(f"/crisis/{crisis.pk}/").content.decode()
    assert "vader van een leerling uit groep 5a" in html
    assert "Terugbellen na het teamoverleg." in html


def test_a_contact_in_the_future_is_refused_at_the_field(world):
    crisis = started_crisis(world)
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/contacten/nieuw/",
        {
            "contact-contact_at": "2099-01-01T09:30",
            "contact-with_whom": "moeder",
            "contact-channel": "phone",
            "contact-summary": "Mijn samenvatting",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_contact-contact_at_error"' in html
    assert h(t("A contact cannot lie in the future. Enter the date and time the contact took place.")) in html
    assert "Mijn samenvatting" in html
    assert not ContactLog.objects.exists()
