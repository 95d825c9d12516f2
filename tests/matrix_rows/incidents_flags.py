"""Permission-matrix rows of the Vlaggensysteem pages (incidents/flag_urls.py).

A new weighing is for the leads of the school (director, deputy, IB); a weighing is read by them and
by the teacher who reported the incident. The incident of each school is reported by its teacher
(teacher_a at school A, teacher_b at school B), so teacher_b, the mirror of teacher_a, reads the
weighing of school B's incident. Board-wide roles have no school and find no incident (404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import Method, Row, everyone

NOW = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)
MATRIX_NUMBER = "MATRIX-FLAG"
LEADS = {"ib_a": 200, "director_a": 200, "deputy_a": 200}
NO_SCHOOL = {"board_member": 404, "privacy_officer": 404, "functional_admin": 404, "teacher_b": 404}


def matrix_incident(world: World, own: bool):
    """An incident of school A (reported by teacher_a) or B (by teacher_b) with its pupil."""
    from incidents.models import Incident, IncidentPupil

    school, pupil, reporter = (
        (world.school_a, world.pupil_a, world.teacher_a)
        if own
        else (world.school_b, world.pupil_b, world.teacher_b)
    )
    incident = Incident.objects.filter(school=school, number=MATRIX_NUMBER).first()
    if incident is not None:
        return incident
    incident = Incident.objects.create(
        board=school.board,
        school=school,
        number=MATRIX_NUMBER,
        happened_on=dt.date(2026, 5, 11),
        location="Gymzaal",
        category="grensoverschrijdend",
        description="Matrix-incident.",
        severity="minor",
        reporter=reporter,
        recorded_by=reporter,
        created_at=NOW,
    )
    IncidentPupil.objects.create(incident=incident, pupil=pupil, role="initiative")
    return incident


def matrix_assessment(world: World, own: bool):
    from incidents.domain.flags import CRITERION_CODES
    from incidents.models import FlagAssessment

    incident = matrix_incident(world, own)
    assessment = FlagAssessment.objects.filter(incident=incident).first()
    if assessment is not None:
        return assessment
    return FlagAssessment.objects.create(
        incident=incident,
        pupil=incident.pupils.first(),
        criteria={code: {"answer": "met", "note": ""} for code in CRITERION_CODES},
        suggested_flag="groen",
        flag="groen",
        pedagogical_response="Niet of positief (bevestigend) reageren.",
        assessed_by=world.director_a if own else world.teacher_b,
        assessed_at=NOW,
    )


def new_url(world: World, own: bool) -> str:
    return f"/incidenten/{matrix_incident(world, own).pk}/vlaggensysteem/"


def detail_url(world: World, own: bool) -> str:
    assessment = matrix_assessment(world, own)
    return f"/incidenten/{assessment.incident_id}/vlaggensysteem/{assessment.pk}/"


def expect(allowed: dict[str, int]) -> dict[str, int]:
    return everyone(403) | NO_SCHOOL | allowed


NEW: Callable[[], Method] = lambda: Method(expect(LEADS))  # noqa: E731

ROWS: dict[str, Row] = {
    # Leads get the form (an empty POST re-renders it with the errors at the fields: 200).
    "incidents:assessment_new": Row(new_url, {"GET": NEW(), "POST": NEW()}),
    # Leads and the reporting teacher read it; every granted read is access-logged once.
    "incidents:assessment_detail": Row(
        detail_url, {"GET": Method(expect(LEADS | {"teacher_a": 200}))}, sensitive=True
    ),
}
