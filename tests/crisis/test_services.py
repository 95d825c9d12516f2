"""The crisis services against the real database: the five actions, the measure evaluations as
deadline rows (two weeks, then monthly, with the Algemene termijnenwet), the media log.

Dates worked out by hand (Atw: weekends, Bevrijdingsdag 5 May 2026 in a non-lustrum year counts as
a holiday for terms; see tests/deadlines/test_domain.py):
- a measure in force from Tue 21 Apr 2026: + 14 days = Tue 5 May (Bevrijdingsdag) -> Wed 6 May 2026;
- an evaluation on Wed 6 May 2026: + 1 month = Sat 6 Jun; Sun 7 Jun -> Mon 8 Jun 2026;
- an evaluation on Mon 8 Jun 2026: + 1 month = Wed 8 Jul 2026, an ordinary day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crisis import services as svc
from crisis.models import (
    ActionStatus,
    CommunicationDecision,
    Crisis,
    CrisisAction,
    CrisisStatus,
    MeasureEvaluation,
    MeasureStatus,
    MediaLogEntry,
    Spokesperson,
    TemporaryMeasure,
)
from lev.audit.models import AuditEvent, InsertOnlyError
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.dossier.models import DossierEntry
from lev.schools.models import Role
from tests import factories as f
from tests.crisis.helpers import NOW, make_incident, started_crisis
from tests.i18n_helpers import t

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2026, 4, 21)  # a Tuesday


def at(day: dt.date, hour: int = 13) -> dt.datetime:
    """HOUR UTC on DAY: 15:00 in Amsterdam in summer time."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


# --- Starting a crisis ---------------------------------------------------------------------------


def test_start_creates_the_five_actions_owned_by_the_director(world):
    crisis = started_crisis(world)
    actions = list(crisis.actions.order_by("position"))
    assert [(a.position, a.code, a.status, a.owner_id) for a in actions] == [
        (1, "gesprekken", "todo", world.director_a.pk),
        (2, "actie", "todo", world.director_a.pk),
        (3, "opvang", "todo", world.director_a.pk),
        (4, "communicatie", "todo", world.director_a.pk),
        (5, "vervolg", "todo", world.director_a.pk),
    ]
    assert crisis.status == CrisisStatus.OPEN
    assert crisis.spokesperson == Spokesperson.BOARD
    assert svc.spokesperson_label(crisis) == t("the board (%(board)s)", board="Stichting Test")
    event = AuditEvent.objects.get(action="crisis_started")
    assert event.object_id == str(crisis.pk)
    assert event.summary == {"school_id": world.school_a.pk, "incident_ids": [crisis.incidents.get().pk]}


def test_the_deputy_may_start_a_crisis_too(world):
    incident = make_incident(world.school_a, reporter=world.teacher_a)
    crisis = svc.crisis_start(
        school=world.school_a, incidents=[incident], title="Onrust", actor=world.deputy_a, now=NOW
    )
    assert crisis.started_by == world.deputy_a


@pytest.mark.parametrize(
    "persona", ["ib_a", "teacher_a", "staff_a", "confidant_a", "board_member", "teacher_b"]
)
def test_only_director_and_deputy_start_a_crisis(world, persona):
    incident = make_incident(world.school_a, reporter=world.teacher_a)
    with pytest.raises(PermissionDenied):
        svc.crisis_start(
            school=world.school_a,
            incidents=[incident],
            title="Onrust",
            actor=getattr(world, persona),
            now=NOW,
        )
    assert not Crisis.objects.exists()


def test_incidents_of_another_school_are_refused(world):
    own = make_incident(world.school_a, reporter=world.teacher_a)
    other = make_incident(world.school_b, reporter=world.teacher_b)
    with pytest.raises(ValidationError) as exc:
        svc.crisis_start(
            school=world.school_a, incidents=[own, other], title="Onrust", actor=world.director_a, now=NOW
        )
    assert exc.value.message_dict == {"incidents": [t("Choose incidents of this school only.")]}
    assert not Crisis.objects.exists()
    assert not CrisisAction.objects.exists()


def test_no_incident_and_no_title_are_refused_at_their_fields(world):
    with pytest.raises(ValidationError) as exc:
        svc.crisis_start(school=world.school_a, incidents=[], title="  ", actor=world.director_a, now=NOW)
    assert set(exc.value.message_dict) == {"incidents", "title"}


def test_an_incident_in_an_open_crisis_cannot_start_a_second_one(world):
    crisis = started_crisis(world)
    incident = crisis.incidents.get()
    with pytest.raises(ValidationError) as exc:
        svc.crisis_start(
            school=world.school_a, incidents=[incident], title="Nog een", actor=world.director_a, now=NOW
        )
    assert incident.number in exc.value.message_dict["incidents"][0]
    assert Crisis.objects.count() == 1


# --- The actions ---------------------------------------------------------------------------------


def test_director_divides_an_action_and_the_ib_works_on_it(world):
    crisis = started_crisis(world)
    action = crisis.actions.get(code="opvang")
    svc.crisis_action_update(
        action=action, owner=world.ib_a, status=ActionStatus.BUSY, note="", actor=world.director_a, now=NOW
    )
    action.refresh_from_db()
    assert (action.owner_id, action.status) == (world.ib_a.pk, "busy")
    event = AuditEvent.objects.filter(action="crisis_action_updated").get()
    assert event.summary["fields"] == ["owner_id", "status"]
    assert event.summary["action"] == "opvang"

    later = NOW + dt.timedelta(days=1)
    svc.crisis_action_update(
        action=action,
        owner=world.ib_a,
        status=ActionStatus.DONE,
        note="Team gesproken.",
        actor=world.ib_a,
        now=later,
    )
    action.refresh_from_db()
    assert (action.status, action.note, action.updated_by_id, action.updated_at) == (
        "done",
        "Team gesproken.",
        world.ib_a.pk,
        later,
    )


def test_the_ib_cannot_reassign_or_touch_actions_of_others(world):
    crisis = started_crisis(world)
    mine = crisis.actions.get(code="opvang")
    svc.crisis_action_update(
        action=mine, owner=world.ib_a, status="todo", note="", actor=world.director_a, now=NOW
    )
    mine.refresh_from_db()
    with pytest.raises(PermissionDenied):
        svc.crisis_action_update(
            action=mine, owner=world.deputy_a, status="todo", note="", actor=world.ib_a, now=NOW
        )
    other = crisis.actions.get(code="gesprekken")
    with pytest.raises(PermissionDenied):
        svc.crisis_action_update(
            action=other, owner=world.director_a, status="done", note="", actor=world.ib_a, now=NOW
        )
    other.refresh_from_db()
    assert other.status == "todo"


def test_an_owner_holds_a_crisis_role_at_the_school(world):
    crisis = started_crisis(world)
    action = crisis.actions.get(code="actie")
    for outsider in (world.teacher_a, world.teacher_b, world.board_member):
        with pytest.raises(ValidationError) as exc:
            svc.crisis_action_update(
                action=action, owner=outsider, status="busy", note="", actor=world.director_a, now=NOW
            )
        assert list(exc.value.message_dict) == ["owner"]
    action.refresh_from_db()
    assert action.owner_id == world.director_a.pk


def test_saving_an_unchanged_action_writes_no_audit_row(world):
    crisis = started_crisis(world)
    action = crisis.actions.get(code="actie")
    svc.crisis_action_update(
        action=action, owner=world.director_a, status="todo", note="", actor=world.director_a, now=NOW
    )
    assert not AuditEvent.objects.filter(action="crisis_action_updated").exists()


# --- Measures and their evaluations (Bijlage 19) ---------------------------------------------------


def _measure(world, crisis, *, starts_on=START, now=NOW) -> TemporaryMeasure:
    return svc.measure_start(
        crisis=crisis,
        pupil=world.pupil_a,
        description="Wordt door een ouder bij de klas gebracht; speelt binnen het zicht van de leerkracht.",
        starts_on=starts_on,
        actor=world.director_a,
        now=now,
    )


def test_a_measure_opens_its_first_evaluation_two_weeks_later(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    deadline = measure.evaluation_deadline
    assert (deadline.rule_code, deadline.start_on, deadline.due_on, deadline.status) == (
        "evaluatie-omgangsregels",
        D(2026, 4, 21),
        D(2026, 5, 6),  # Tue 21 Apr + 14 = Tue 5 May, Bevrijdingsdag -> Wed 6 May
        DeadlineStatus.OPEN,
    )
    assert (deadline.subject_type, deadline.subject_id) == ("crisis.temporarymeasure", str(measure.pk))
    assert (deadline.school_id, deadline.visibility, deadline.responsible_role) == (
        world.school_a.pk,
        "school",
        Role.DIRECTOR,
    )
    entry = DossierEntry.objects.get(kind="maatregel")
    assert (entry.pupil_id, entry.school_id, entry.source_type, entry.source_id) == (
        world.pupil_a.pk,
        world.school_a.pk,
        "crisis.temporarymeasure",
        str(measure.pk),
    )
    assert "Gaat in op: 21-04-2026" in entry.summary
    assert "Eerste evaluatie uiterlijk: wo 06-05-2026" in entry.summary
    event = AuditEvent.objects.get(action="crisis_measure_started")
    assert event.summary == {
        "crisis_id": crisis.pk,
        "pupil_id": world.pupil_a.pk,
        "deadline_id": deadline.pk,
        "dossier_entry_id": entry.pk,
    }


def test_evaluations_meet_the_term_and_open_the_next_monthly_one(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    first = measure.evaluation_deadline

    evaluation = svc.measure_evaluate(
        measure=measure,
        held_on=D(2026, 5, 6),
        with_whom="leerkracht, moeder, IB",
        outcome="Gaat goed op het plein; toiletbezoek nog lastig.",
        changes="Extra leerkracht loopt mee naar het toilet.",
        actor=world.director_a,
        now=at(D(2026, 5, 6)),
    )
    first.refresh_from_db()
    assert first.status == DeadlineStatus.MET
    second = Deadline.objects.get(pk=evaluation.next_deadline_id)
    assert (second.rule_code, second.start_on, second.due_on, second.status) == (
        "evaluatie-omgangsregels-vervolg",
        D(2026, 5, 6),
        D(2026, 6, 8),  # Wed 6 May + 1 month = Sat 6 Jun; Sun 7 -> Mon 8 Jun
        DeadlineStatus.OPEN,
    )
    measure.refresh_from_db()
    assert measure.evaluation_deadline_id == second.pk
    assert evaluation.deadline_id == first.pk

    again = svc.measure_evaluate(
        measure=measure,
        held_on=D(2026, 6, 8),
        with_whom="leerkracht, ouders",
        outcome="Rustig.",
        actor=world.director_a,
        now=at(D(2026, 6, 8)),
    )
    second.refresh_from_db()
    third = Deadline.objects.get(pk=again.next_deadline_id)
    assert second.status == DeadlineStatus.MET
    assert (third.rule_code, third.due_on) == ("evaluatie-omgangsregels-vervolg", D(2026, 7, 8))
    assert (
        Deadline.objects.filter(subject_type="crisis.temporarymeasure", status=DeadlineStatus.OPEN).count()
        == 1
    )
    titles = list(
        DossierEntry.objects.filter(kind="maatregel").order_by("id").values_list("title", flat=True)
    )
    assert titles == [
        "Tijdelijke extra omgangsregels",
        "Evaluatie tijdelijke extra omgangsregels",
        "Evaluatie tijdelijke extra omgangsregels",
    ]
    assert (
        "Wijzigingen: Extra leerkracht loopt mee naar het toilet."
        in DossierEntry.objects.filter(kind="maatregel").order_by("id")[1].summary
    )


def test_a_late_evaluation_still_meets_the_missed_term(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    Deadline.objects.filter(pk=measure.evaluation_deadline_id).update(status=DeadlineStatus.MISSED)
    evaluation = svc.measure_evaluate(
        measure=measure,
        held_on=D(2026, 5, 11),
        with_whom="leerkracht",
        outcome="Later gehouden.",
        actor=world.director_a,
        now=at(D(2026, 5, 11)),
    )
    assert Deadline.objects.get(pk=measure.evaluation_deadline_id).status == DeadlineStatus.MET
    # Mon 11 May + 1 month = Thu 11 Jun 2026, ordinary.
    assert Deadline.objects.get(pk=evaluation.next_deadline_id).due_on == D(2026, 6, 11)


def test_an_evaluation_in_the_future_or_before_the_start_is_refused(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    for held_on in (D(2026, 4, 22), D(2026, 4, 20)):
        with pytest.raises(ValidationError) as exc:
            svc.measure_evaluate(
                measure=measure, held_on=held_on, with_whom="IB", outcome="x", actor=world.director_a, now=NOW
            )
        assert list(exc.value.message_dict) == ["held_on"]
    with pytest.raises(ValidationError) as exc:
        svc.measure_evaluate(
            measure=measure,
            held_on=D(2026, 4, 21),
            with_whom=" ",
            outcome="",
            actor=world.director_a,
            now=NOW,
        )
    assert set(exc.value.message_dict) == {"with_whom", "outcome"}
    assert not MeasureEvaluation.objects.exists()
    assert measure.evaluation_deadline.status == DeadlineStatus.OPEN


def test_ending_a_measure_waives_the_running_evaluation(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    ended = svc.measure_end(
        measure=measure,
        ended_on=D(2026, 5, 4),
        reason="Na overleg met de ouders niet meer nodig.",
        actor=world.director_a,
        now=at(D(2026, 5, 4)),
    )
    assert (ended.status, ended.ends_on) == (MeasureStatus.ENDED, D(2026, 5, 4))
    deadline = Deadline.objects.get(pk=measure.evaluation_deadline_id)
    assert deadline.status == DeadlineStatus.WAIVED
    assert (
        deadline.waived_reason
        == "Maatregel beëindigd op 04-05-2026: Na overleg met de ouders niet meer nodig."
    )
    assert (
        DossierEntry.objects.filter(
            kind="maatregel", title="Tijdelijke extra omgangsregels beëindigd"
        ).count()
        == 1
    )
    with pytest.raises(ValidationError):
        svc.measure_evaluate(
            measure=ended,
            held_on=D(2026, 5, 4),
            with_whom="IB",
            outcome="x",
            actor=world.director_a,
            now=at(D(2026, 5, 4)),
        )
    with pytest.raises(ValidationError):
        svc.measure_end(
            measure=ended,
            ended_on=D(2026, 5, 4),
            reason="nog eens",
            actor=world.director_a,
            now=at(D(2026, 5, 4)),
        )
    assert not Deadline.objects.filter(
        subject_type="crisis.temporarymeasure", status=DeadlineStatus.OPEN
    ).exists()


def test_an_end_before_the_start_or_in_the_future_is_refused(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    with pytest.raises(ValidationError) as exc:
        svc.measure_end(measure=measure, ended_on=D(2026, 4, 20), reason="", actor=world.director_a, now=NOW)
    assert set(exc.value.message_dict) == {"ended_on", "reason"}
    with pytest.raises(ValidationError) as exc:
        svc.measure_end(
            measure=measure, ended_on=D(2026, 4, 22), reason="klaar", actor=world.director_a, now=NOW
        )
    assert list(exc.value.message_dict) == ["ended_on"]
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ACTIVE


def test_a_measure_for_a_pupil_of_another_school_is_refused(world):
    crisis = started_crisis(world)
    with pytest.raises(ValidationError) as exc:
        svc.measure_start(
            crisis=crisis,
            pupil=world.pupil_b,
            description="x",
            starts_on=D(2026, 4, 21),
            actor=world.director_a,
            now=NOW,
        )
    assert exc.value.message_dict == {"pupil": [t("Choose a pupil of this school.")]}
    assert not TemporaryMeasure.objects.exists()
    assert not Deadline.objects.exists()


def test_a_measure_ending_before_it_starts_is_refused(world):
    crisis = started_crisis(world)
    with pytest.raises(ValidationError) as exc:
        svc.measure_start(
            crisis=crisis,
            pupil=world.pupil_a,
            description="x",
            starts_on=D(2026, 4, 21),
            ends_on=D(2026, 4, 20),
            actor=world.director_a,
            now=NOW,
        )
    assert list(exc.value.message_dict) == ["ends_on"]


def test_the_ib_cannot_start_or_evaluate_measures(world):
    crisis = started_crisis(world)
    with pytest.raises(PermissionDenied):
        svc.measure_start(
            crisis=crisis,
            pupil=world.pupil_a,
            description="x",
            starts_on=D(2026, 4, 21),
            actor=world.ib_a,
            now=NOW,
        )
    measure = _measure(world, crisis)
    with pytest.raises(PermissionDenied):
        svc.measure_evaluate(
            measure=measure, held_on=D(2026, 4, 21), with_whom="IB", outcome="x", actor=world.ib_a, now=NOW
        )


# --- Communication decisions and the media log ----------------------------------------------------


def _letter(school, author, *, group_ids=()):
    from communications.letter_models import Letter

    return Letter.objects.create(
        board=school.board,
        school=school,
        kind="incident_eigen_groep",
        denominatie=school.denominatie,
        group_ids=list(group_ids),
        values={},
        author=author,
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_communication_decision_links_letters_of_the_school(world):
    crisis = started_crisis(world)
    letter = _letter(world.school_a, world.ib_a, group_ids=[world.group_a.pk])
    decision = svc.communication_record(
        crisis=crisis,
        decided_on=D(2026, 4, 21),
        audience="ouders van groep 5a",
        message="Brief over het incident; spreekuur donderdag.",
        letters=[letter],
        actor=world.director_a,
        now=NOW,
    )
    assert list(decision.letters.all()) == [letter]
    assert AuditEvent.objects.get(action="crisis_communication_recorded").summary == {
        "decision_id": decision.pk,
        "letter_ids": [letter.pk],
    }
    other = _letter(world.school_b, world.teacher_b)
    with pytest.raises(ValidationError) as exc:
        svc.communication_record(
            crisis=crisis,
            decided_on=D(2026, 4, 21),
            audience="x",
            message="y",
            letters=[other],
            actor=world.director_a,
            now=NOW,
        )
    assert list(exc.value.message_dict) == ["letters"]
    with pytest.raises(ValidationError) as exc:
        svc.communication_record(
            crisis=crisis, decided_on=D(2026, 4, 22), audience="", message="", actor=world.director_a, now=NOW
        )
    assert set(exc.value.message_dict) == {"decided_on", "audience", "message"}
    assert CommunicationDecision.objects.count() == 1


def test_the_media_log_is_append_only(world):
    crisis = started_crisis(world)
    entry = svc.media_log_record(
        crisis=crisis,
        occurred_at=NOW - dt.timedelta(hours=1),
        medium="Omroep West, J. de Boer",
        question="Klopt het dat er iets is gebeurd in de kleedkamer?",
        answer="Er is een incident geweest; de school heeft maatregelen genomen. Geen namen.",
        spoken_by=svc.spokesperson_label(crisis),
        actor=world.director_a,
        now=NOW,
    )
    assert AuditEvent.objects.get(action="crisis_media_recorded").summary == {"media_log_id": entry.pk}
    entry.answer = "Iets anders"
    with pytest.raises(InsertOnlyError):
        entry.save()
    with pytest.raises(InsertOnlyError):
        entry.delete()
    assert MediaLogEntry.objects.get().answer.startswith("Er is een incident geweest")


def test_a_media_contact_in_the_future_or_without_answer_is_refused(world):
    crisis = started_crisis(world)
    with pytest.raises(ValidationError) as exc:
        svc.media_log_record(
            crisis=crisis,
            occurred_at=NOW + dt.timedelta(minutes=5),
            medium="Krant",
            question="?",
            answer="",
            spoken_by="",
            actor=world.director_a,
            now=NOW,
        )
    assert set(exc.value.message_dict) == {"occurred_at", "answer", "spoken_by"}
    assert not MediaLogEntry.objects.exists()


def test_another_spokesperson_by_name_and_function(world):
    crisis = started_crisis(world)
    with pytest.raises(ValidationError) as exc:
        svc.crisis_spokesperson_set(
            crisis=crisis, kind="other", user=None, name="", function="", actor=world.director_a, now=NOW
        )
    assert set(exc.value.message_dict) == {"spokesperson_name", "spokesperson_function"}
    crisis = svc.crisis_spokesperson_set(
        crisis=crisis,
        kind="other",
        user=None,
        name="P. de Wit",
        function="woordvoerder bestuur",
        actor=world.director_a,
        now=NOW,
    )
    assert svc.spokesperson_label(crisis) == "P. de Wit (woordvoerder bestuur)"
    crisis = svc.crisis_spokesperson_set(
        crisis=crisis,
        kind="user",
        user=world.deputy_a,
        name="ignored",
        function="",
        actor=world.director_a,
        now=NOW,
    )
    crisis.refresh_from_db()
    assert (crisis.spokesperson, crisis.spokesperson_user_id, crisis.spokesperson_name) == (
        "user",
        world.deputy_a.pk,
        "",
    )
    with pytest.raises(ValidationError):
        svc.crisis_spokesperson_set(
            crisis=crisis,
            kind="user",
            user=world.teacher_a,
            name="",
            function="",
            actor=world.director_a,
            now=NOW,
        )


def test_participants_need_a_way_to_be_reached(world):
    crisis = started_crisis(world)
    with pytest.raises(ValidationError) as exc:
        svc.participant_add(crisis=crisis, name="GGD, J. Smit", actor=world.director_a, now=NOW)
    assert list(exc.value.message_dict) == ["phone"]
    with pytest.raises(ValidationError) as exc:
        svc.participant_add(
            crisis=crisis, name="x", phone="bel mij", email="geen-adres", actor=world.director_a, now=NOW
        )
    assert set(exc.value.message_dict) == {"phone", "email"}
    participant = svc.participant_add(
        crisis=crisis,
        name="J. Smit (vervanger: K. Bos)",
        organisation="GGD Hollands Midden",
        availability="ma-vr 8-17",
        phone="+31 88 308 33 42",
        actor=world.director_a,
        now=NOW,
    )
    assert list(crisis.participants.all()) == [participant]


def test_plan_of_approach_records_the_changed_fields(world):
    crisis = started_crisis(world)
    svc.crisis_plan_update(
        crisis=crisis,
        weighing="Rood: veiligheid in het geding.",
        intended_conversations="Ouders beide kinderen apart.",
        involved="",
        actor=world.director_a,
        now=NOW,
    )
    crisis.refresh_from_db()
    assert crisis.weighing == "Rood: veiligheid in het geding."
    assert AuditEvent.objects.get(action="crisis_plan_updated").summary == {
        "fields": ["weighing", "intended_conversations"]
    }


# --- Evaluation and closing -------------------------------------------------------------------------


def test_closing_needs_an_evaluation_and_no_measure_in_force(world):
    crisis = started_crisis(world)
    measure = _measure(world, crisis)
    with pytest.raises(ValidationError) as exc:
        svc.crisis_evaluate_and_close(
            crisis=crisis,
            sounding_board="",
            process_evaluation="",
            result_evaluation="",
            close=True,
            actor=world.director_a,
            now=NOW,
        )
    assert set(exc.value.message_dict) == {"result_evaluation", "close"}
    svc.measure_end(
        measure=measure, ended_on=D(2026, 4, 21), reason="Opgelost.", actor=world.director_a, now=NOW
    )
    closed = svc.crisis_evaluate_and_close(
        crisis=crisis,
        sounding_board="",
        process_evaluation="Snel gehandeld.",
        result_evaluation="Rust keerde terug.",
        close=True,
        actor=world.director_a,
        now=NOW,
    )
    assert (closed.status, closed.closed_at, closed.closed_by_id) == ("closed", NOW, world.director_a.pk)
    assert AuditEvent.objects.filter(action="crisis_closed").count() == 1


def test_a_closed_crisis_takes_nothing_more(world):
    crisis = started_crisis(world)
    svc.crisis_evaluate_and_close(
        crisis=crisis,
        sounding_board="",
        process_evaluation="",
        result_evaluation="Klaar.",
        close=True,
        actor=world.director_a,
        now=NOW,
    )
    crisis.refresh_from_db()
    writes = [
        lambda: svc.participant_add(
            crisis=crisis, name="x", phone="0612345678", actor=world.director_a, now=NOW
        ),
        lambda: svc.media_log_record(
            crisis=crisis,
            occurred_at=NOW,
            medium="m",
            question="q",
            answer="a",
            spoken_by="s",
            actor=world.director_a,
            now=NOW,
        ),
        lambda: _measure(world, crisis),
        lambda: svc.crisis_action_update(
            action=crisis.actions.first(),
            owner=world.director_a,
            status="done",
            note="",
            actor=world.director_a,
            now=NOW,
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as exc:
            write()
        assert exc.value.code == "closed"
    assert not MediaLogEntry.objects.exists()
    assert not TemporaryMeasure.objects.exists()


def test_the_evaluation_can_be_kept_without_closing(world):
    crisis = started_crisis(world)
    kept = svc.crisis_evaluate_and_close(
        crisis=crisis,
        sounding_board="Klankbordgroep van vier ouders.",
        process_evaluation="",
        result_evaluation="",
        close=False,
        actor=world.director_a,
        now=NOW,
    )
    assert (kept.status, kept.sounding_board) == ("open", "Klankbordgroep van vier ouders.")
    assert AuditEvent.objects.get(action="crisis_evaluation_saved").summary == {"fields": ["sounding_board"]}


def test_another_schools_director_cannot_write(world):
    crisis = started_crisis(world)
    director_b = f.UserFactory(username="director_b")
    f.MembershipFactory(
        user=director_b, school=world.school_b, board=world.school_b.board, role=Role.DIRECTOR
    )
    with pytest.raises(PermissionDenied):
        svc.crisis_plan_update(
            crisis=crisis, weighing="x", intended_conversations="", involved="", actor=director_b, now=NOW
        )
    with pytest.raises(PermissionDenied):
        svc.media_log_record(
            crisis=crisis,
            occurred_at=NOW,
            medium="m",
            question="q",
            answer="a",
            spoken_by="s",
            actor=director_b,
            now=NOW,
        )
