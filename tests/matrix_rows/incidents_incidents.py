"""Permission-matrix rows of the incident pages (incidents/incident_urls.py).

Recording: teachers, staff without a group, the IB, the director and the deputy of the active
school (teacher_b at school B too); the confidant and the board-wide roles (no school) get 403.
An incident of school A is reported by teacher_a, school B's by teacher_b. Reading it (the detail
page, its attachments): the leads and its reporter; staff and the confidant 403 (refusal logged);
another school and the board-wide roles 404. Handling it (attachments, follow-up actions, closing):
the leads only — the reporter gets 403. Empty POSTs are refused by the form (200, nothing saved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, Method, Row, fixed, only

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 19)

RECORDERS = {"teacher_a": 200, "staff_a": 200, "ib_a": 200, "director_a": 200, "deputy_a": 200}
LEADS = {"ib_a": 200, "director_a": 200, "deputy_a": 200}


def readers() -> dict[str, int]:
    return only(LEADS | {"teacher_a": 200}, others=403, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)


def handlers() -> dict[str, int]:
    return only(LEADS, others=403, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)


def matrix_incident(world: World, own: bool):
    from incidents.incident_services import incident_register
    from incidents.models import Incident

    school, pupil, reporter = (
        (world.school_a, world.pupil_a, world.teacher_a)
        if own
        else (world.school_b, world.pupil_b, world.teacher_b)
    )
    incident = Incident.objects.filter(school=school, location="Matrix").first()
    if incident is None:
        incident = incident_register(
            school=school,
            happened_on=DAY,
            happened_time=None,
            location="Matrix",
            category="pesten",
            description="Matrix test.",
            severity="minor",
            pupils=[(pupil, "experienced")],
            reporter=reporter,
            actor=reporter,
            now=NOW,
        )
    return incident


def incident_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/incidenten/{matrix_incident(world, own).pk}/{suffix}"


def attachment_url(world: World, own: bool) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from incidents.models import IncidentAttachment

    incident = matrix_incident(world, own)
    attachment = incident.attachments.first()
    if attachment is None:
        content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        name = f"incidents/matrix/{incident.school.brin}.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
        attachment = IncidentAttachment.objects.create(
            incident=incident,
            file=name,
            original_name="matrix.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256="0" * 64,
            uploaded_by=incident.reporter,
            uploaded_at=NOW,
        )
    return f"/incidenten/{incident.pk}/bijlagen/{attachment.pk}/"


def followup_done_url(world: World, own: bool) -> str:
    from incidents.models import FollowUpAction

    incident = matrix_incident(world, own)
    action = incident.follow_ups.first()
    if action is None:
        action = FollowUpAction.objects.create(
            incident=incident,
            description="Matrix test.",
            owner=incident.reporter,
            due_on=DAY,
            created_by=incident.reporter,
            created_at=NOW,
        )
    return f"/incidenten/{incident.pk}/vervolgacties/{action.pk}/gedaan/"


ROWS: dict[str, Row] = {
    "incidents:incident_new": Row(
        fixed("/incidenten/nieuw/"),
        {
            "GET": Method(only(RECORDERS, others=403, outsider=200)),
            "POST": Method(only(RECORDERS, others=403, outsider=200)),
        },
    ),
    "incidents:incident_detail": Row(incident_url(), {"GET": Method(readers())}, sensitive=True),
    "incidents:attachment_download": Row(attachment_url, {"GET": Method(readers())}, sensitive=True),
    "incidents:attachment_add": Row(
        incident_url("bijlagen/nieuw/"), {"GET": Method(handlers()), "POST": Method(handlers())}
    ),
    "incidents:followup_add": Row(
        incident_url("vervolgacties/nieuw/"), {"GET": Method(handlers()), "POST": Method(handlers())}
    ),
    "incidents:followup_done": Row(
        followup_done_url, {"GET": Method(handlers()), "POST": Method(handlers())}
    ),
    "incidents:incident_close": Row(
        incident_url("afsluiten/"), {"GET": Method(handlers()), "POST": Method(handlers())}
    ),
}
