"""Permission-matrix rows of the schorsing pages (escalation/schorsing_urls.py; decisions in
escalation/schorsing_views.py).

- Preparing a schorsing (a pupil): the director and the deputy; every other role of the school and
  the board-wide roles 403; another board's pupil 404 (teacher_b, who holds a role at school B, gets
  403 there as teacher_a does at home). An empty post shows the form again with its errors (200).
- The school's page of a schorsing: director, deputy and IB read it; teacher, staff, confidant and
  the board-wide roles 403 (the board has its own page); another board's schorsing 404. Its parts
  take POST only, from the director and the deputy (an empty post: 200 with the errors, except the
  conversation, whose fields are all optional: saved, 302); the IB 403.
- The board's page and its parts: board members of the school's board only; the school's staff and
  the other board-wide roles 403; another board's schorsing 404 (teacher_b 403 at school B).
- Every page shown is a read of a pupil's data: each 200 leaves one access-log row.

The schorsing in these rows was approved by the board and has an undecided beroep (school A is
bijzonder), so every form has its object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, SCHOOL_STAFF, SIGNED_IN, Method, Row, everyone, only

NOW = dt.datetime(2026, 4, 20, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # Mon 20 Apr 2026
LEADS = {"director_a": 200, "deputy_a": 200}
READERS = LEADS | {"ib_a": 200}
POST_ONLY = {"GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))}


def _people(world: World, own: bool):
    """The school, pupil, director and board member at school A (own) or school B (other board)."""
    from lev.schools.models import Membership, Role
    from tests import factories as f

    if own:
        return world.school_a, world.pupil_a, world.director_a, world.board_member
    school = world.school_b
    director = f.UserFactory(username="schorsing_director_b")
    board_member = f.UserFactory(username="schorsing_board_b")
    Membership.objects.create(
        user=director, school=school, board=school.board, role=Role.DIRECTOR, active_from=dt.date(2020, 1, 1)
    )
    Membership.objects.create(
        user=board_member, school=None, board=school.board, role=Role.BOARD, active_from=dt.date(2020, 1, 1)
    )
    return school, world.pupil_b, director, board_member


def _schorsing(world: World, own: bool):
    from escalation.models import Schorsing
    from escalation.schorsing_services import (
        schorsing_board_decide,
        schorsing_objection_record,
        schorsing_prepare,
    )
    from escalation.services import episode_open, serious_incident_record
    from incidents.models import Incident, IncidentPupil

    school = world.school_a if own else world.school_b
    existing = Schorsing.objects.filter(school=school).first()
    if existing is not None:
        return existing
    school, pupil, director, board_member = _people(world, own)
    incident = Incident.objects.create(
        board=school.board,
        school=school,
        number=f"S-{school.pk}",
        happened_on=dt.date(2026, 4, 17),
        location="Gang",
        category="pesten",
        description="Matrix test.",
        severity="severe",
        reporter=director,
        recorded_by=director,
        created_at=NOW,
    )
    IncidentPupil.objects.create(incident=incident, pupil=pupil, role="initiative")
    episode = episode_open(pupil=pupil, actor=director, now=NOW, incident=incident)
    serious_incident_record(
        episode=episode, incident=incident, reason="Matrix test.", actor=director, now=NOW
    )
    schorsing = schorsing_prepare(
        pupil=pupil,
        first_day=dt.date(2026, 4, 21),
        last_day=dt.date(2026, 4, 22),
        reasons="Matrix test.",
        earlier_measures="",
        incidents=[incident],
        actor=director,
        now=NOW,
    )
    schorsing_board_decide(schorsing=schorsing, approve=True, note="", actor=board_member, now=NOW)
    schorsing_objection_record(
        schorsing=schorsing,
        posted_on=None,
        received_on=dt.date(2026, 4, 20),
        grounds="Matrix test.",
        adviescommissie=False,
        actor=director,
        now=NOW,
    )
    return schorsing


def school_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/stappenplan/schorsing/{_schorsing(world, own).pk}/{suffix}"


def board_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/stappenplan/bestuur/schorsing/{_schorsing(world, own).pk}/{suffix}"


def objection_url(suffix: str) -> Callable[[World, bool], str]:
    def url(world: World, own: bool) -> str:
        schorsing = _schorsing(world, own)
        return (
            f"/stappenplan/bestuur/schorsing/{schorsing.pk}/beroep/{schorsing.objections.get().pk}/{suffix}"
        )

    return url


def new_url(world: World, own: bool) -> str:
    return f"/stappenplan/leerling/{(world.pupil_a if own else world.pupil_b).pk}/schorsing/nieuw/"


def leads(status: int = 200) -> dict[str, int]:
    return only(dict.fromkeys(LEADS, status), outsider=404) | dict.fromkeys(BOARD_WIDE, 403)


def readers() -> dict[str, int]:
    return only(READERS, outsider=404) | dict.fromkeys(BOARD_WIDE, 403)


def board() -> dict[str, int]:
    return only({"board_member": 200}, outsider=404) | dict.fromkeys(SCHOOL_STAFF, 403)


def school_post(suffix: str, status: int = 200) -> Row:
    return Row(school_url(suffix), POST_ONLY | {"POST": Method(leads(status))}, sensitive=True)


def board_post(url: Callable[[World, bool], str]) -> Row:
    return Row(url, POST_ONLY | {"POST": Method(board())}, sensitive=True)


ROWS: dict[str, Row] = {
    "escalation:schorsing_new": Row(
        new_url, {"GET": Method(leads()), "POST": Method(leads())}, sensitive=True
    ),
    "escalation:schorsing_detail": Row(school_url(), {"GET": Method(readers())}, sensitive=True),
    "escalation:schorsing_withdraw": school_post("intrekken/"),
    # Every field of the conversation is optional: an empty post is saved.
    "escalation:schorsing_conversation": school_post("gesprek/", 302),
    "escalation:schorsing_education": school_post("onderwijs/"),
    "escalation:schorsing_inspectie": school_post("inspectie/"),
    "escalation:schorsing_letter": school_post("brieven/nieuw/"),
    "escalation:schorsing_objection_new": school_post("beroep/nieuw/"),
    "escalation:board_schorsing": Row(board_url(), {"GET": Method(board())}, sensitive=True),
    "escalation:board_schorsing_decide": board_post(board_url("besluit/")),
    "escalation:board_schorsing_letter": board_post(board_url("brieven/nieuw/")),
    "escalation:board_schorsing_hearing": board_post(objection_url("horen/")),
    "escalation:board_schorsing_extend": board_post(objection_url("verdagen/")),
    "escalation:board_schorsing_objection_decide": board_post(objection_url("besluit/")),
}
