"""The incident register's services (plan ch. 7, Bijlage 11): what registering writes, the numbers,
the refusals next to their fields, follow-up actions with their deadline rows, closing.

Times are fixed: the incident on Tue 12 May 2026 08:30 (Amsterdam), recorded at 10:00. A follow-up
agreed for Thu 14 May (Hemelvaartsdag) is due that very day (rule `vervolgactie-incident`: the
agreed date, no Atw extension), so it is overdue from Fri 15 May 00:00.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings

from incidents.incident_services import (
    followup_add,
    followup_done,
    incident_close,
    incident_register,
)
from incidents.models import (
    FollowUpAction,
    Incident,
    IncidentCategory,
    IncidentPupil,
    IncidentStatus,
    PupilRole,
    Severity,
    Signal,
    SignalSource,
)
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.dossier.models import DossierEntry, Visibility
from lev.jobs.models import OutboxItem
from lev.jobs.services import sweep
from tests.conftest import make_world

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=AMSTERDAM)
DAY = dt.date(2026, 5, 12)
AT = dt.time(8, 30)


def register(world, **overrides):
    values = {
        "school": world.school_a,
        "happened_on": DAY,
        "happened_time": AT,
        "location": "Schoolplein, bij het klimrek",
        "category": IncidentCategory.BULLYING,
        "description": "Tijdens de pauze werd een leerling door twee anderen geduwd en uitgescholden.",
        "severity": Severity.SERIOUS,
        "pupils": [(world.pupil_a, PupilRole.INITIATIVE), (world.pupil_a_other, PupilRole.EXPERIENCED)],
        "staff_involved": [world.staff_a],
        "others_involved": "Mevr. Smit, overblijfmoeder",
        "reporter": world.teacher_a,
        "actor": world.teacher_a,
        "now": NOW,
    }
    values.update(overrides)
    return incident_register(**values)


def make_signal(world, school=None, author=None) -> Signal:
    school = school or world.school_a
    signal = Signal.objects.create(
        board=school.board,
        school=school,
        author=author or world.teacher_a,
        happened_at=NOW - dt.timedelta(days=1),
        location="Gang",
        description="Gezien dat er geduwd werd.",
        source=SignalSource.OBSERVED,
        created_at=NOW - dt.timedelta(days=1),
    )
    return signal


def field_errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Registering ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registering_writes_the_incident_its_pupils_dossier_entries_audit_and_notification(world):
    signal = make_signal(world)
    incident = register(world, signals=[signal])

    row = Incident.objects.get()
    assert row == incident
    assert (row.board, row.school, row.number) == (world.board, world.school_a, "2026-0001")
    assert (row.happened_on, row.happened_time, row.location) == (DAY, AT, "Schoolplein, bij het klimrek")
    assert (row.category, row.severity, row.status) == ("pesten", "serious", IncidentStatus.OPEN)
    assert (row.reporter, row.recorded_by, row.created_at) == (world.teacher_a, world.teacher_a, NOW)
    assert row.others_involved == "Mevr. Smit, overblijfmoeder"
    assert list(row.staff_involved.all()) == [world.staff_a]
    assert list(row.signals.all()) == [signal]
    assert {(p.pupil_id, p.role) for p in IncidentPupil.objects.filter(incident=row)} == {
        (world.pupil_a.pk, "initiative"),
        (world.pupil_a_other.pk, "experienced"),
    }

    entries = {e.pupil_id: e for e in DossierEntry.objects.all()}
    assert set(entries) == {world.pupil_a.pk, world.pupil_a_other.pk}
    first, second = entries[world.pupil_a.pk], entries[world.pupil_a_other.pk]
    assert first.title == "Incident 2026-0001 (pesten): leerling die het initiatief nam"
    assert second.title == "Incident 2026-0001 (pesten): leerling die iets is overkomen"
    for entry in (first, second):
        assert (entry.kind, entry.source_type, entry.source_id) == (
            "incident",
            "incidents.incident",
            str(row.pk),
        )
        assert entry.happened_at == dt.datetime(2026, 5, 12, 8, 30, tzinfo=AMSTERDAM)
        assert (entry.recorded_at, entry.author, entry.visibility) == (
            NOW,
            world.teacher_a,
            Visibility.SCHOOL,
        )
        assert entry.summary == (
            "Locatie: Schoolplein, bij het klimrek\nZwaarte: ernstig\n"
            "Tijdens de pauze werd een leerling door twee anderen geduwd en uitgescholden."
        )
        assert "dader" not in entry.title.lower() and "slachtoffer" not in entry.title.lower()

    audit = AuditEvent.objects.get(action="incident_registered")
    assert (audit.actor, audit.object_id, audit.board) == (world.teacher_a, str(row.pk), world.board)
    assert audit.summary["pupil_ids"] == [world.pupil_a.pk, world.pupil_a_other.pk]
    assert audit.summary["roles"] == ["initiative", "experienced"]
    assert audit.summary["staff_ids"] == [world.staff_a.pk]
    assert audit.summary["signal_ids"] == [signal.pk]
    assert "geduwd" not in str(audit.summary)

    outbox = OutboxItem.objects.get(kind="email.incidents_new_record")
    assert outbox.payload == {"record_kind": "incident", "record_id": row.pk}
    assert outbox.school == world.school_a


@pytest.mark.django_db
def test_numbers_run_per_school_and_calendar_year_of_the_incident(world):
    first = register(world)
    second = register(world)
    last_year = register(world, happened_on=dt.date(2025, 12, 30))
    other_school = register(
        world,
        school=world.school_b,
        pupils=[(world.pupil_b, PupilRole.BYSTANDER)],
        staff_involved=[],
        reporter=world.teacher_b,
        actor=world.teacher_b,
    )
    third = register(world)
    assert [first.number, second.number, last_year.number, other_school.number, third.number] == [
        "2026-0001",
        "2026-0002",
        "2025-0001",
        "2026-0001",
        "2026-0003",
    ]


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused_at_the_date_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as excinfo:
        register(world, happened_on=dt.date(2026, 5, 13))
    assert set(field_errors(excinfo)) == {"happened_on"}
    assert (Incident.objects.count(), DossierEntry.objects.count(), OutboxItem.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_a_time_later_today_is_refused_at_the_time(world):
    with pytest.raises(ValidationError) as excinfo:
        register(world, happened_time=dt.time(10, 1))
    assert set(field_errors(excinfo)) == {"happened_time"}
    # The minute of recording itself is allowed.
    assert register(world, happened_time=dt.time(10, 0)).number == "2026-0001"


@pytest.mark.django_db
def test_a_pupil_of_another_school_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        register(
            world, pupils=[(world.pupil_a, PupilRole.INITIATIVE), (world.pupil_b, PupilRole.EXPERIENCED)]
        )
    assert set(field_errors(excinfo)) == {"pupils"}
    assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    ("pupils", "field"),
    [
        (lambda w: [], "pupils"),
        (lambda w: [(w.pupil_a, "dader")], "pupils"),
        (lambda w: [(w.pupil_a, "initiative"), (w.pupil_a, "bystander")], "pupils"),
    ],
    ids=["no pupil", "unknown role", "pupil twice"],
)
@pytest.mark.django_db
def test_the_pupil_list_is_checked(world, pupils, field):
    with pytest.raises(ValidationError) as excinfo:
        register(world, pupils=pupils(world))
    assert set(field_errors(excinfo)) == {field}


@pytest.mark.django_db
def test_other_fields_are_checked_each_at_its_own_field(world):
    outsider_signal = make_signal(world, school=world.school_b, author=world.teacher_b)
    with pytest.raises(ValidationError) as excinfo:
        register(
            world,
            location="  ",
            category="vechten",
            description="",
            severity="heel erg",
            staff_involved=[world.teacher_b],
            signals=[outsider_signal],
        )
    assert set(field_errors(excinfo)) == {
        "location",
        "category",
        "description",
        "severity",
        "staff_involved",
        "signals",
    }


@pytest.mark.django_db
def test_staff_involved_must_be_active_members_of_the_school(world):
    with pytest.raises(ValidationError) as excinfo:
        register(world, staff_involved=[world.deactivated])
    assert set(field_errors(excinfo)) == {"staff_involved"}
    with pytest.raises(ValidationError):
        register(world, staff_involved=[world.board_member])


@pytest.mark.django_db
def test_only_a_lead_may_name_another_reporter(world):
    with pytest.raises(ValidationError) as excinfo:
        register(world, reporter=world.staff_a, actor=world.teacher_a)
    assert set(field_errors(excinfo)) == {"reporter"}

    incident = register(world, reporter=world.teacher_a, actor=world.ib_a)
    assert (incident.reporter, incident.recorded_by) == (world.teacher_a, world.ib_a)

    with pytest.raises(ValidationError) as excinfo:
        register(world, reporter=world.teacher_b, actor=world.ib_a)
    assert set(field_errors(excinfo)) == {"reporter"}


@pytest.mark.parametrize("persona", ["confidant_a", "board_member", "teacher_b", "deactivated"])
@pytest.mark.django_db
def test_roles_that_do_not_record_incidents_are_refused(world, persona):
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        register(world, reporter=user, actor=user)
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_the_notification_names_no_pupil_category_or_content(world):
    canary = "CANARY-7f3a-incident"
    register(
        world, description=f"Wat er gebeurde: {canary}", location=f"Gang {canary}", others_involved=canary
    )
    assert sweep(now=NOW) == 1
    assert len(mail.outbox) == 3  # the IB, the director and the deputy; not the teacher who recorded it
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.ib_a.email, world.director_a.email, world.deputy_a.email]
    )
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert canary not in text
        for word in ("Anna", "Jansen", "Bram", "Vries", "pesten", "Pesten", "Bullying", "Schoolplein"):
            assert word not in text
        assert "De Regenboog" in text
        assert f"/incidenten/{Incident.objects.get().pk}/" in text


# --- Follow-up actions and closing -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_follow_up_action_opens_a_deadline_on_the_agreed_date_for_its_owner(world):
    incident = register(world)
    action = followup_add(
        incident=incident,
        description="Gesprek met de ouders van beide leerlingen",
        owner=world.teacher_a,
        due_on=dt.date(2026, 5, 14),
        actor=world.ib_a,
        now=NOW,
    )
    action.refresh_from_db()
    assert (action.description, action.owner, action.due_on) == (
        "Gesprek met de ouders van beide leerlingen",
        world.teacher_a,
        dt.date(2026, 5, 14),
    )
    assert (action.created_by, action.created_at, action.done_at) == (world.ib_a, NOW, None)
    deadline = Deadline.objects.get()
    assert action.deadline == deadline
    assert (deadline.rule_code, deadline.status) == ("vervolgactie-incident", DeadlineStatus.OPEN)
    assert (deadline.start_on, deadline.due_on) == (dt.date(2026, 5, 14), dt.date(2026, 5, 14))
    assert deadline.overdue_at == dt.datetime(2026, 5, 15, 0, 0, tzinfo=AMSTERDAM)
    assert (deadline.subject_type, deadline.subject_id) == ("incident_followup", str(action.pk))
    assert (deadline.school, deadline.board) == (world.school_a, world.board)
    assert (deadline.responsible_user, deadline.responsible_role) == (world.teacher_a, "teacher")
    assert AuditEvent.objects.filter(action="incident_followup_added", object_id=str(action.pk)).count() == 1


@pytest.mark.django_db
def test_follow_up_input_is_checked(world):
    incident = register(world)
    with pytest.raises(ValidationError) as excinfo:
        followup_add(
            incident=incident,
            description=" ",
            owner=world.teacher_b,
            due_on=dt.date(2026, 5, 11),
            actor=world.director_a,
            now=NOW,
        )
    assert set(field_errors(excinfo)) == {"description", "owner", "due_on"}
    # Today itself is a valid agreed date.
    assert (
        followup_add(
            incident=incident,
            description="Bellen",
            owner=world.ib_a,
            due_on=DAY,
            actor=world.director_a,
            now=NOW,
        ).due_on
        == DAY
    )
    assert FollowUpAction.objects.count() == Deadline.objects.count() == 1


@pytest.mark.parametrize("persona", ["teacher_a", "staff_a", "confidant_a", "teacher_b"])
@pytest.mark.django_db
def test_only_leads_handle_an_incident(world, persona):
    incident = register(world)
    action = followup_add(
        incident=incident, description="Bellen", owner=world.ib_a, due_on=DAY, actor=world.ib_a, now=NOW
    )
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        followup_add(incident=incident, description="x", owner=world.ib_a, due_on=DAY, actor=user, now=NOW)
    with pytest.raises(PermissionDenied):
        followup_done(action=action, note="Gedaan", actor=user, now=NOW)
    with pytest.raises(PermissionDenied):
        incident_close(incident=incident, note="Klaar", actor=user, now=NOW)
    action.refresh_from_db()
    incident.refresh_from_db()
    assert (action.done_at, incident.status, FollowUpAction.objects.count()) == (None, "open", 1)


@pytest.mark.django_db
def test_marking_an_action_done_meets_its_deadline_once(world):
    incident = register(world)
    action = followup_add(
        incident=incident,
        description="Gesprek met de ouders",
        owner=world.teacher_a,
        due_on=dt.date(2026, 5, 14),
        actor=world.ib_a,
        now=NOW,
    )
    later = NOW + dt.timedelta(days=1)
    followup_done(action=action, note="Ouders gesproken, afspraken gemaakt.", actor=world.deputy_a, now=later)
    action.refresh_from_db()
    assert (action.done_at, action.done_by, action.done_note) == (
        later,
        world.deputy_a,
        "Ouders gesproken, afspraken gemaakt.",
    )
    deadline = Deadline.objects.get()
    assert (deadline.status, deadline.closed_at) == (DeadlineStatus.MET, later)
    with pytest.raises(ValidationError):
        followup_done(action=action, note="Nog eens", actor=world.deputy_a, now=later)
    with pytest.raises(ValidationError) as excinfo:
        followup_done(
            action=followup_add(
                incident=incident, description="x", owner=world.ib_a, due_on=DAY, actor=world.ib_a, now=NOW
            ),
            note="  ",
            actor=world.ib_a,
            now=NOW,
        )
    assert set(field_errors(excinfo)) == {"note"}


@pytest.mark.django_db
def test_closing_waits_for_the_open_follow_ups_and_needs_a_note(world):
    incident = register(world)
    action = followup_add(
        incident=incident, description="Bellen", owner=world.ib_a, due_on=DAY, actor=world.ib_a, now=NOW
    )
    with pytest.raises(ValidationError) as excinfo:
        incident_close(incident=incident, note="Opgelost.", actor=world.director_a, now=NOW)
    assert excinfo.value.code == "open_follow_ups"
    followup_done(action=action, note="Gebeld.", actor=world.ib_a, now=NOW)
    with pytest.raises(ValidationError) as excinfo:
        incident_close(incident=incident, note="", actor=world.director_a, now=NOW)
    assert set(field_errors(excinfo)) == {"note"}

    later = NOW + dt.timedelta(days=2)
    incident_close(
        incident=incident, note="Afspraken werken; het pesten is gestopt.", actor=world.director_a, now=later
    )
    incident.refresh_from_db()
    assert (incident.status, incident.closed_at, incident.closing_note) == (
        IncidentStatus.CLOSED,
        later,
        "Afspraken werken; het pesten is gestopt.",
    )
    assert AuditEvent.objects.filter(action="incident_closed", object_id=str(incident.pk)).count() == 1
    with pytest.raises(ValidationError):
        incident_close(incident=incident, note="Nog eens.", actor=world.director_a, now=later)
    with pytest.raises(ValidationError):
        followup_add(
            incident=incident,
            description="Te laat",
            owner=world.ib_a,
            due_on=DAY,
            actor=world.ib_a,
            now=later,
        )


# --- Two registrations at the same moment ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_the_same_moment_get_different_numbers():
    world = make_world()
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def recorder(user) -> None:
        try:
            with override_settings(REDIS_URL=None):
                start.wait()
                numbers.append(register(world, reporter=user, actor=user).number)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=recorder, args=(user,))
        for user in (world.teacher_a, world.staff_a, world.ib_a)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == ["2026-0001", "2026-0002", "2026-0003"]
