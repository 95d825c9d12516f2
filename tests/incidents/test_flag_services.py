"""`assessment_record`: the suggested flag it stores, the refusals at their fields, and its side
effects (the insert-only assessment, one audit row, one dossier entry for the weighed pupil).

Times are fixed: the incident on Mon 11 May 2026, weighed on Tue 12 May 2026 10:00 (Amsterdam).
Incidents are made directly with the ORM (the incident service is another part of the app).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from incidents.demo_flags import seed_assessment
from incidents.domain import flags as d
from incidents.flag_services import DOSSIER_KIND, assessment_record, assessments_of
from incidents.models import Flag, FlagAssessment, Incident, IncidentPupil
from lev.audit.models import AuditEvent, InsertOnlyError
from lev.dossier.models import DossierEntry, Visibility
from tests.i18n_helpers import t

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=AMSTERDAM)


def make_incident(world, *, own: bool = True, number: str = "2026-0001", reporter=None) -> Incident:
    """An incident at school A (or B) with pupil_a (or pupil_b) who took the initiative."""
    school, pupil = (world.school_a, world.pupil_a) if own else (world.school_b, world.pupil_b)
    reporter = reporter or (world.teacher_a if own else world.teacher_b)
    incident = Incident.objects.create(
        board=school.board,
        school=school,
        number=number,
        happened_on=dt.date(2026, 5, 11),
        location="Schoolplein",
        category="grensoverschrijdend",
        description="Tijdens de pauze trok een leerling aan de kleding van een andere leerling.",
        severity="minor",
        reporter=reporter,
        recorded_by=reporter,
        created_at=NOW - dt.timedelta(days=1),
    )
    IncidentPupil.objects.create(incident=incident, pupil=pupil, role="initiative")
    return incident


def criteria(**answers: str) -> dict[str, dict[str, str]]:
    """All six met with a note, except the ones given (code=answer)."""
    result = {code: {"answer": "met", "note": ""} for code in d.CRITERION_CODES}
    for code, answer in answers.items():
        result[code] = {"answer": answer, "note": f"Toelichting bij {code}."}
    return result


def weigh(world, incident, **overrides):
    values = {
        "incident": incident,
        "pupil": world.pupil_a,
        "group_behaviour": False,
        # Context not met only: one criterion, no coercion → geel (rule step 3).
        "criteria": criteria(contextadequaat="not_met"),
        "questions": {"druk": "Nee."},
        "gaps": {"risico_veiligheid": "Nee."},
        "flag": "geel",
        "deviation_reason": "",
        "pedagogical_response": "Waarschuwen of begrenzen.",
        "decision": {"zwaarte": "Eenmalig en kleinschalig.", "communicatie": "Ouders bellen."},
        "actor": world.ib_a,
        "now": NOW,
    }
    values.update(overrides)
    return assessment_record(**values)


def counts() -> tuple[int, int, int]:
    return (
        FlagAssessment.objects.count(),
        DossierEntry.objects.filter(kind=DOSSIER_KIND).count(),
        AuditEvent.objects.filter(action="flag_assessment_recorded").count(),
    )


def refusal(world, incident, **overrides) -> dict[str, list[str]]:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        weigh(world, incident, **overrides)
    assert counts() == before, "a refused weighing writes nothing"
    return exc.value.message_dict


@pytest.mark.django_db
def test_records_the_suggested_flag_the_audit_row_and_the_dossier_entry(world):
    incident = make_incident(world)
    assessment = weigh(world, incident)
    assessment.refresh_from_db()
    assert (assessment.suggested_flag, assessment.flag, assessment.deviation_reason) == ("geel", "geel", "")
    assert assessment.criteria["contextadequaat"] == {
        "answer": "not_met",
        "note": "Toelichting bij contextadequaat.",
    }
    # Every question of the individual set is stored, unanswered ones empty.
    assert assessment.questions == {
        "voorgeschiedenis": "",
        "zelfrespect": "",
        "ontwikkeling": "",
        "context": "",
        "druk": "Nee.",
    }
    assert assessment.gaps["risico_veiligheid"] == "Nee."
    assert assessment.decision["toezicht"] == ""
    assert (assessment.assessed_by, assessment.assessed_at) == (world.ib_a, NOW)

    entry = DossierEntry.objects.get(kind=DOSSIER_KIND)
    assert entry.pupil == world.pupil_a
    assert entry.title == "Weging Vlaggensysteem: geel"
    assert entry.visibility == Visibility.SCHOOL
    assert (entry.source_type, entry.source_id) == ("incidents.flagassessment", str(assessment.pk))
    assert entry.summary.splitlines() == [
        "Incident 2026-0001: het gedrag is gewogen met het Vlaggensysteem.",
        "Vlag: geel (licht grensoverschrijdend gedrag).",
        "Pedagogische reactie: Waarschuwen of begrenzen.",
    ]
    assert (entry.author, entry.happened_at) == (world.ib_a, NOW)

    audit = AuditEvent.objects.get(action="flag_assessment_recorded")
    assert audit.object_type == "incidents.flagassessment"
    assert audit.object_id == str(assessment.pk)
    assert audit.board == world.board
    assert audit.summary == {
        "incident_id": incident.pk,
        "pupil_id": world.pupil_a.pk,
        "dossier_entry_id": entry.pk,
    }


@pytest.mark.django_db
def test_the_suggestion_is_computed_not_taken_from_the_caller(world):
    incident = make_incident(world)
    # Voluntariness not met (coercion, step 2a) → rood is stored as the suggestion, also when the
    # assessor chooses geel (with a reason).
    assessment = weigh(
        world,
        incident,
        criteria=criteria(vrijwilligheid="not_met"),
        flag="geel",
        deviation_reason="De druk was licht: een uitdaging tijdens een spel.",
    )
    assert (assessment.suggested_flag, assessment.flag) == ("rood", "geel")


@pytest.mark.django_db
def test_another_flag_than_suggested_needs_a_reason(world):
    incident = make_incident(world)
    errors = refusal(world, incident, flag="rood", deviation_reason="   ")
    assert set(errors) == {"deviation_reason"}
    with override("nl"):
        yellow = str(Flag.YELLOW.label)
    assert errors["deviation_reason"] == [
        t(
            "You chose another flag than the suggestion (%(suggested)s). Write why you chose this flag.",
            suggested=yellow,
        )
    ]

    assessment = weigh(world, incident, flag="rood", deviation_reason="Het gebeurde voor de derde keer.")
    assert (assessment.suggested_flag, assessment.flag) == ("geel", "rood")
    assert assessment.deviation_reason == "Het gebeurde voor de derde keer."
    entry = DossierEntry.objects.get(kind=DOSSIER_KIND)
    assert entry.title == "Weging Vlaggensysteem: rood"
    assert "LEV stelde geel voor." in entry.summary.splitlines()


@pytest.mark.django_db
def test_refuses_a_pupil_not_involved_in_the_incident(world):
    incident = make_incident(world)
    errors = refusal(world, incident, pupil=world.pupil_a_other)
    assert set(errors) == {"pupil"}
    # A pupil of another school is not involved either.
    assert set(refusal(world, incident, pupil=world.pupil_b)) == {"pupil"}


@pytest.mark.django_db
def test_one_pupil_or_a_group(world):
    incident = make_incident(world)
    assert set(refusal(world, incident, pupil=None)) == {"pupil"}
    assert set(refusal(world, incident, group_behaviour=True, questions={})) == {"pupil"}

    before = DossierEntry.objects.count()
    assessment = weigh(
        world, incident, pupil=None, group_behaviour=True, questions={"begrip": "Nee, niet iedereen."}
    )
    assert assessment.group_behaviour and assessment.pupil is None
    assert assessment.questions["begrip"] == "Nee, niet iedereen."
    assert set(assessment.questions) == {q.code for q in d.GROUP_QUESTIONS}
    # No pupil weighed: no chronology entry; the audit row names no pupil.
    assert DossierEntry.objects.count() == before
    assert AuditEvent.objects.get(action="flag_assessment_recorded").summary["pupil_id"] is None
    # The questions of the other set are a programming error.
    with pytest.raises(ValueError, match="not a question"):
        weigh(world, incident, pupil=None, group_behaviour=True, questions={"zelfrespect": "x"})


@pytest.mark.django_db
def test_an_unknown_criterion_asks_for_an_explanation_under_gaps(world):
    incident = make_incident(world)
    unknown = criteria(contextadequaat="not_met", vrijwilligheid="unknown")
    errors = refusal(world, incident, criteria=unknown)
    assert set(errors) == {"gaps.criteria_duidelijk"}

    assessment = weigh(
        world,
        incident,
        criteria=unknown,
        gaps={"criteria_duidelijk": "Nog niet duidelijk of er druk was: de IB spreekt de leerling morgen."},
    )
    # Step 3 with a gap: geel stays geel (unknown never raises or lowers it).
    assert assessment.suggested_flag == "geel"


@pytest.mark.django_db
def test_refusals_appear_at_their_fields(world):
    incident = make_incident(world)
    missing = criteria()
    missing["gelijkwaardigheid"] = {"answer": "", "note": ""}
    assert set(refusal(world, incident, criteria=missing)) == {"criteria.gelijkwaardigheid"}
    assert set(refusal(world, incident, flag="paars")) == {"flag"}
    assert set(refusal(world, incident, pedagogical_response=" ")) == {"pedagogical_response"}
    assert set(refusal(world, incident, decision={"communicatie": "Ouders bellen."})) == {"decision.zwaarte"}


@pytest.mark.django_db
def test_only_a_lead_of_the_incidents_school_may_weigh(world):
    incident = make_incident(world)
    for actor in (world.teacher_a, world.staff_a, world.confidant_a, world.board_member, world.teacher_b):
        with pytest.raises(PermissionDenied):
            weigh(world, incident, actor=actor)
    assert counts() == (0, 0, 0)
    for actor in (world.director_a, world.deputy_a):
        weigh(world, incident, actor=actor)
    assert counts() == (2, 2, 2)


@pytest.mark.django_db
def test_a_new_weighing_is_the_current_one_and_the_old_one_stays(world):
    incident = make_incident(world)
    first = weigh(world, incident)
    second = weigh(
        world,
        incident,
        criteria=criteria(wederzijdse_toestemming="not_met", gelijkwaardigheid="not_met"),
        flag="rood",
        pedagogical_response="Verbieden.",
        now=NOW + dt.timedelta(days=2),
    )
    assert list(assessments_of(incident)) == [second, first]
    assert second.suggested_flag == "rood"  # step 2b: no consent from someone not an equal
    first.refresh_from_db()
    assert first.flag == "geel"
    first.pedagogical_response = "Anders."
    with pytest.raises(InsertOnlyError):
        first.save()


@pytest.mark.django_db
def test_seed_assessment_is_idempotent(world):
    incident = make_incident(world)
    first = seed_assessment(incident=incident, pupil=world.pupil_a, actor=world.director_a, now=NOW)
    again = seed_assessment(incident=incident, pupil=world.pupil_a, actor=world.director_a, now=NOW)
    assert again == first
    assert counts() == (1, 1, 1)
    # T and C not met (two, no coercion, G met): step 3 → geel, as chosen.
    assert (first.suggested_flag, first.flag) == ("geel", "geel")
    group = seed_assessment(
        incident=make_incident(world, number="2026-0002"), pupil=None, actor=world.ib_a, now=NOW
    )
    assert group.group_behaviour and group.pupil is None
