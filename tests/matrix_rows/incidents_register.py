"""Permission-matrix rows of the incident register (incidents/register_views.py).

The register is the active school's: the director, deputy and IB get every incident of the school,
a teacher or staff member their own ("Mijn incidenten"), teacher_b their own at school B; the
confidant and the board-wide roles (board, FG, functional administrator) get 403. The URLs carry no
object, so there is no "other school" variant; that another school's incidents never appear in the
page or the exports is tested in tests/incidents/test_register*.py. The URL callable puts an
incident with a pupil at both schools, so every 200 renders a row (the PDF too).
"""

from __future__ import annotations

import datetime as dt

from tests.conftest import World
from tests.matrix_kit import Method, Row, only

REGISTER_ROLES = {"teacher_a": 200, "staff_a": 200, "ib_a": 200, "director_a": 200, "deputy_a": 200}


def register_url(path: str):
    def url(world: World, own: bool) -> str:
        from incidents.models import Incident, IncidentPupil

        for school, pupil, reporter in (
            (world.school_a, world.pupil_a, world.teacher_a),
            (world.school_b, world.pupil_b, world.teacher_b),
        ):
            incident, created = Incident.objects.get_or_create(
                school=school,
                number="matrix-1",
                defaults={
                    "board": school.board,
                    "happened_on": dt.date(2026, 9, 15),
                    "location": "Schoolplein",
                    "category": "pesten",
                    "description": "Matrix test.",
                    "severity": "minor",
                    "reporter": reporter,
                    "recorded_by": reporter,
                    "created_at": dt.datetime(2026, 9, 15, 12, 0, tzinfo=dt.UTC),
                },
            )
            if created:
                IncidentPupil.objects.create(incident=incident, pupil=pupil, role="experienced")
        return path

    return url


ROWS: dict[str, Row] = {
    # The register page is a read of sensitive records (one access-log row per view); the exports
    # leave an audit row instead.
    name: Row(
        register_url(path),
        {"GET": Method(only(REGISTER_ROLES, outsider=200))},
        sensitive=name == "incidents:register",
    )
    for name, path in (
        ("incidents:register", "/incidentenregister/"),
        ("incidents:register_csv", "/incidentenregister/export.csv"),
        ("incidents:register_pdf", "/incidentenregister/bijlage-11.pdf"),
    )
}
