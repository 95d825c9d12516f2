"""The incident pages: the new-incident form (refusals at the field, nothing typed lost, rows for more
pupils without JavaScript, starting from a signal or a pupil), the detail page for leads and for the
reporter, follow-up actions and closing. These use the real clock, with dates relative to today.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.incident_services import followup_add, incident_register
from incidents.models import (
    Flag,
    FlagAssessment,
    FollowUpAction,
    Incident,
    IncidentStatus,
    PupilRole,
    Severity,
    Signal,
    SignalSource,
)
from lev.audit.models import AccessLogEntry, AccessOutcome
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

NEW = "/incidenten/nieuw/"
DESCRIPTION = "Tijdens de gymles duwde een leerling een ander van de bank. Hij viel op zijn arm."


def today() -> dt.date:
    return timezone.localdate()


def form_data(world, **overrides) -> dict:
    data = {
        "pupil_rows": "3",
        "happened_on": today().isoformat(),
        "happened_time": "",
        "location": "Gymzaal",
        "category": "agressie",
        "description": DESCRIPTION,
        "severity": "serious",
        "pupil_0": str(world.pupil_a.pk),
        "role_0": "initiative",
        "pupil_1": str(world.pupil_a_other.pk),
        "role_1": "experienced",
        "pupil_2": "",
        "role_2": "",
        "others_involved": "",
        "attachment_description": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(world, **overrides) -> Incident:
    values = {
        "school": world.school_a,
        "happened_on": today() - dt.timedelta(days=1),
        "happened_time": dt.time(11, 15),
        "location": "Schoolplein",
        "category": "pesten",
        "description": DESCRIPTION,
        "severity": Severity.SERIOUS,
        "pupils": [(world.pupil_a, PupilRole.INITIATIVE), (world.pupil_a_other, PupilRole.BYSTANDER)],
        "staff_involved": [world.staff_a],
        "reporter": world.teacher_a,
        "actor": world.teacher_a,
        "now": timezone.now(),
    }
    values.update(overrides)
    return incident_register(**values)


def detail_url(incident: Incident) -> str:
    return reverse("incidents:incident_detail", args=[incident.pk])


# --- The new-incident form --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_teacher_gets_the_form_with_three_pupil_rows_of_their_school(world):
    response = signed_in_client(world.teacher_a).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for index in range(3):
        assert f'id="id_pupil_{index}"' in html and f'id="id_role_{index}"' in html
    assert 'id="id_pupil_3"' not in html
    assert f'value="{world.pupil_a.pk}"' in html and f'value="{world.pupil_a_other.pk}"' in html
    assert world.pupil_b.achternaam not in html
    assert 'name="reporter"' not in html  # only a lead names another reporter
    assert h(world.staff_a.display_name) in html
    for role in ("Pupil who took the initiative", "Pupil who experienced it", "Bystander"):
        assert h(t(role)) in html
    assert "dader" not in html.lower() and "slachtoffer" not in html.lower()


@pytest.mark.django_db
def test_a_pupil_can_be_preselected(world):
    response = signed_in_client(world.teacher_a).get(f"{NEW}?leerling={world.pupil_a.pk}")
    assert response.context["form"]["pupil_0"].value() == world.pupil_a.pk
    # A pupil of another school is not.
    response = signed_in_client(world.teacher_a).get(f"{NEW}?leerling={world.pupil_b.pk}")
    assert response.context["form"]["pupil_0"].value() is None


@pytest.mark.django_db
def test_recording_an_incident_redirects_to_it(world):
    response = signed_in_client(world.teacher_a).post(
        NEW, form_data(world, staff_involved=[world.staff_a.pk])
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(incident)
    assert (incident.reporter, incident.recorded_by, incident.location) == (
        world.teacher_a,
        world.teacher_a,
        "Gymzaal",
    )
    assert {(i.pupil_id, i.role) for i in incident.involvements.all()} == {
        (world.pupil_a.pk, "initiative"),
        (world.pupil_a_other.pk, "experienced"),
    }
    assert list(incident.staff_involved.all()) == [world.staff_a]


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused_at_the_field_and_the_input_is_kept(world):
    tomorrow = today() + dt.timedelta(days=1)
    response = signed_in_client(world.teacher_a).post(
        NEW, form_data(world, happened_on=tomorrow.isoformat(), others_involved="Meester Jan, gymdocent")
    )
    assert response.status_code == 200
    html = response.content.decode()
    message = (
        "The date of an incident cannot lie in the future. Enter the day it happened (today at the latest)."
    )
    assert (
        f'<div id="id_happened_on_error" class="lev-field-error" role="alert">{h(t(message))}</div>' in html
    )
    assert h(DESCRIPTION) in html
    assert 'value="Gymzaal"' in html and 'value="Meester Jan, gymdocent"' in html
    assert f'value="{tomorrow.isoformat()}"' in html
    form = response.context["form"]
    assert (form["pupil_0"].value(), form["role_0"].value()) == (str(world.pupil_a.pk), "initiative")
    assert (form["category"].value(), form["severity"].value()) == ("agressie", "serious")
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_pupil_of_another_school_is_refused_at_its_row(world):
    response = signed_in_client(world.teacher_a).post(NEW, form_data(world, pupil_1=str(world.pupil_b.pk)))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'id="id_pupil_1_error" class="lev-field-error" role="alert">{h(t("Choose a pupil of this school from the list."))}'
        in html
    )
    assert h(DESCRIPTION) in html
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_each_pupil_needs_a_role_and_at_least_one_pupil_is_needed(world):
    client = signed_in_client(world.teacher_a)
    response = client.post(NEW, form_data(world, role_1=""))
    assert (
        f'id="id_role_1_error" class="lev-field-error" role="alert">{h(t("Choose the role of this pupil."))}'
        in response.content.decode()
    )
    response = client.post(NEW, form_data(world, pupil_0="", role_0="", pupil_1="", role_1=""))
    message = h(t("Add at least one pupil and the pupil's role."))
    assert (
        f'id="id_pupil_0_error" class="lev-field-error" role="alert">{message}' in response.content.decode()
    )
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_more_pupil_rows_come_by_submitting_without_errors_and_without_losing_input(world):
    response = signed_in_client(world.teacher_a).post(
        NEW, form_data(world, more_pupils="1", location="", description="Nog niet af")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_pupil_5"' in html and 'id="id_pupil_6"' not in html
    assert 'name="pupil_rows" value="6"' in html
    assert "lev-field-error" not in html
    assert "Nog niet af" in html
    assert response.context["form"]["pupil_1"].value() == str(world.pupil_a_other.pk)
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_lead_may_name_another_reporter_a_teacher_may_not(world):
    response = signed_in_client(world.ib_a).post(NEW, form_data(world, reporter=str(world.teacher_a.pk)))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.reporter, incident.recorded_by) == (world.teacher_a, world.ib_a)

    signed_in_client(world.teacher_a).post(NEW, form_data(world, reporter=str(world.staff_a.pk)))
    latest = Incident.objects.latest("id")
    assert (latest.reporter, latest.recorded_by) == (world.teacher_a, world.teacher_a)


@pytest.mark.django_db
def test_starting_from_a_signal_fills_the_form_and_links_it(world):
    happened = timezone.now() - dt.timedelta(hours=3)
    signal = Signal.objects.create(
        board=world.board,
        school=world.school_a,
        author=world.teacher_a,
        happened_at=happened,
        location="Fietsenstalling",
        description="Gezien dat er geschopt werd.",
        source=SignalSource.OBSERVED,
        created_at=happened,
    )
    signal.pupils.set([world.pupil_a])
    client = signed_in_client(world.teacher_a)
    response = client.get(f"{NEW}?signaal={signal.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["location"].value(), form["description"].value()) == (
        "Fietsenstalling",
        "Gezien dat er geschopt werd.",
    )
    assert form["pupil_0"].value() == world.pupil_a.pk
    assert form["happened_on"].value() == timezone.localtime(happened).date()
    assert (
        f'name="signals" value="{signal.pk}" id="id_signals_{signal.pk}" checked' in response.content.decode()
    )
    assert (
        AccessLogEntry.objects.filter(object_type="incidents.signal", object_id=str(signal.pk)).count() == 1
    )

    response = client.post(f"{NEW}?signaal={signal.pk}", form_data(world, signals=[signal.pk]))
    assert response.status_code == 302
    assert list(Incident.objects.get().signals.all()) == [signal]


@pytest.mark.django_db
def test_a_signal_the_user_may_not_see_cannot_be_used(world):
    signal = Signal.objects.create(
        board=world.board,
        school=world.school_a,
        author=world.ib_a,
        happened_at=timezone.now(),
        location="Gang",
        description="Iets van de IB.",
        source=SignalSource.OBSERVED,
        created_at=timezone.now(),
    )
    client = signed_in_client(world.teacher_a)
    assert client.get(f"{NEW}?signaal={signal.pk}").status_code == 403
    # Posting its id links nothing: it is not one of the signals offered to this user.
    response = client.post(NEW, form_data(world, signals=[signal.pk]))
    assert response.status_code == 200
    assert Incident.objects.count() == 0


@pytest.mark.parametrize("persona", ["confidant_a", "board_member", "privacy_officer"])
@pytest.mark.django_db
def test_roles_that_do_not_record_incidents_get_no_form(world, persona):
    client = signed_in_client(getattr(world, persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(world)).status_code == 403
    assert Incident.objects.count() == 0


# --- The detail page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lead_sees_everything_and_the_action_forms(world):
    incident = register(world)
    due = today() + dt.timedelta(days=7)
    followup_add(
        incident=incident,
        description="Gesprek met de ouders",
        owner=world.teacher_a,
        due_on=due,
        actor=world.ib_a,
        now=timezone.now(),
    )
    older = FlagAssessment.objects.create(
        incident=incident,
        criteria={},
        suggested_flag=Flag.YELLOW,
        flag=Flag.YELLOW,
        pedagogical_response="Gesprek.",
        assessed_by=world.ib_a,
        assessed_at=timezone.now() - dt.timedelta(days=1),
    )
    newer = FlagAssessment.objects.create(
        incident=incident,
        criteria={},
        suggested_flag=Flag.RED,
        flag=Flag.RED,
        pedagogical_response="Maatregel.",
        assessed_by=world.ib_a,
        assessed_at=timezone.now(),
    )
    response = signed_in_client(world.ib_a).get(detail_url(incident))
    assert response.status_code == 200
    html = response.content.decode()
    assert h(t("Incident %(number)s", number=incident.number)) in html
    assert incident.happened_on.strftime("%d-%m-%Y") in html and "11:15" in html
    assert h(DESCRIPTION) in html
    assert h(t("Pupil who took the initiative")) in html and h(t("Bystander")) in html
    assert h(world.pupil_a.full_name) in html and h(world.pupil_a_other.full_name) in html
    assert h(world.staff_a.display_name) in html and h(world.teacher_a.display_name) in html
    assert "Gesprek met de ouders" in html and due.strftime("%d-%m-%Y") in html
    assert f'action="{reverse("incidents:followup_add", args=[incident.pk])}"' in html
    assert f'action="{reverse("incidents:attachment_add", args=[incident.pk])}"' in html
    action = FollowUpAction.objects.get()
    assert f'action="{reverse("incidents:followup_done", args=[incident.pk, action.pk])}"' in html
    assert response.context["incident"] == incident
    assert response.context["assessments"] == [newer, older]
    assert "no-store" in response["Cache-Control"]
    granted = AccessLogEntry.objects.filter(outcome=AccessOutcome.GRANTED)
    assert list(granted.values_list("object_type", "object_id")) == [("incidents.incident", str(incident.pk))]


@pytest.mark.django_db
def test_the_reporter_reads_the_incident_without_action_forms(world):
    incident = register(world)
    response = signed_in_client(world.teacher_a).get(detail_url(incident))
    assert response.status_code == 200
    html = response.content.decode()
    assert h(DESCRIPTION) in html
    assert 'method="post"' not in html.split('id="main"')[1]
    assert (
        h(t("You reported this incident. The IB and the director handle it; you can read it here.")) in html
    )


@pytest.mark.parametrize(("persona", "status"), [("staff_a", 403), ("confidant_a", 403), ("teacher_b", 404)])
@pytest.mark.django_db
def test_others_do_not_see_the_incident(world, persona, status):
    incident = register(world)
    response = signed_in_client(getattr(world, persona)).get(detail_url(incident))
    assert response.status_code == status
    assert DESCRIPTION not in response.content.decode()


# --- Follow-up actions and closing through the pages ----------------------------------------------


@pytest.mark.django_db
def test_a_follow_up_action_is_added_and_refused_at_its_field(world):
    incident = register(world)
    client = signed_in_client(world.director_a)
    url = reverse("incidents:followup_add", args=[incident.pk])
    yesterday = today() - dt.timedelta(days=1)
    response = client.post(
        url,
        {
            "followup-description": "Ouders bellen",
            "followup-owner": world.ib_a.pk,
            "followup-due_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    message = h(t("The agreed date cannot lie in the past. Choose today or a later date."))
    assert f'id="id_followup-due_on_error" class="lev-field-error" role="alert">{message}' in html
    assert 'value="Ouders bellen"' in html
    assert FollowUpAction.objects.count() == 0

    due = today() + dt.timedelta(days=3)
    response = client.post(
        url,
        {
            "followup-description": "Ouders bellen",
            "followup-owner": world.ib_a.pk,
            "followup-due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    assert (action.owner, action.due_on, action.deadline.due_on) == (world.ib_a, due, due)


@pytest.mark.django_db
def test_closing_waits_for_open_actions_then_closes(world):
    incident = register(world)
    action = followup_add(
        incident=incident,
        description="Bellen",
        owner=world.ib_a,
        due_on=today(),
        actor=world.ib_a,
        now=timezone.now(),
    )
    client = signed_in_client(world.director_a)
    close_url = reverse("incidents:incident_close", args=[incident.pk])
    response = client.post(close_url, {"close-note": "Opgelost."})
    assert response.status_code == 200
    message = "This incident still has open follow-up actions. Mark them done first; if an action is no longer needed, say so in its note."
    assert h(t(message)) in response.content.decode()
    assert "Opgelost." in response.content.decode()

    done_url = reverse("incidents:followup_done", args=[incident.pk, action.pk])
    response = client.post(done_url, {f"done-{action.pk}-note": ""})
    assert response.status_code == 200
    assert h(t("Write down what was done (or why it is no longer needed).")) in response.content.decode()
    response = client.post(done_url, {f"done-{action.pk}-note": "Moeder gebeld."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.done_note, action.done_by) == ("Moeder gebeld.", world.director_a)

    response = client.post(close_url, {"close-note": "Opgelost."})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.closing_note) == (IncidentStatus.CLOSED, "Opgelost.")
    html = client.get(detail_url(incident)).content.decode()
    assert f'action="{close_url}"' not in html
    assert f'action="{reverse("incidents:followup_add", args=[incident.pk])}"' not in html


@pytest.mark.django_db
def test_every_error_shows_at_once_with_a_future_date(world):
    tomorrow = today() + dt.timedelta(days=1)
    response = signed_in_client(world.teacher_a).post(
        NEW, form_data(world, happened_on=tomorrow.isoformat(), location="")
    )
    html = response.content.decode()
    message = (
        "The date of an incident cannot lie in the future. Enter the day it happened (today at the latest)."
    )
    assert f'id="id_happened_on_error" class="lev-field-error" role="alert">{h(t(message))}' in html
    assert 'id="id_location_error"' in html
    assert h(DESCRIPTION) in html


@pytest.mark.django_db
def test_a_file_can_come_with_the_new_incident(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    client = signed_in_client(world.teacher_a)
    response = client.post(
        NEW,
        form_data(world, location="", attachment_description="Verslag")
        | {"attachment": SimpleUploadedFile("verslag.pdf", pdf, "application/pdf")},
    )
    html = response.content.decode()
    assert (
        h(t("Choose the file again: a browser does not keep a chosen file when the form is shown again."))
        in html
    )
    assert 'value="Verslag"' in html
    assert Incident.objects.count() == 0

    response = client.post(
        NEW,
        form_data(world, attachment_description="Verslag")
        | {"attachment": SimpleUploadedFile("verslag.pdf", pdf, "application/pdf")},
    )
    assert response.status_code == 302
    attachment = Incident.objects.get().attachments.get()
    assert (attachment.original_name, attachment.description, attachment.uploaded_by) == (
        "verslag.pdf",
        "Verslag",
        world.teacher_a,
    )


@pytest.mark.django_db
def test_a_forbidden_file_on_the_new_incident_is_refused_at_its_field(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = signed_in_client(world.teacher_a).post(
        NEW, form_data(world) | {"attachment": SimpleUploadedFile("foto.png", svg, "image/png")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_attachment_error" class="lev-field-error" role="alert">' in html
    assert h(DESCRIPTION) in html
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_signal_of_another_school_answers_404(world):
    signal = Signal.objects.create(
        board=world.school_b.board,
        school=world.school_b,
        author=world.teacher_b,
        happened_at=timezone.now(),
        location="Gang",
        description="Elders.",
        source=SignalSource.OBSERVED,
        created_at=timezone.now(),
    )
    assert signed_in_client(world.teacher_a).get(f"{NEW}?signaal={signal.pk}").status_code == 404


@pytest.mark.parametrize(("persona", "offered"), [("director_a", True), ("deputy_a", True), ("ib_a", False)])
def test_the_director_and_the_deputy_may_escalate_to_a_crisis(world, persona, offered):
    incident = register(world)
    html = signed_in_client(getattr(world, persona)).get(detail_url(incident)).content.decode()
    link = f'href="{reverse("crisis:new")}?incident={incident.pk}"'
    assert (link in html) is offered
    assert (h(t("Escalate to a crisis")) in html) is offered
