"""Permission-matrix rows of crisis management (crisis/urls.py; decisions in crisis/permissions.py).

- The list (active school): director, deputy and IB; every other role 403.
- Starting a crisis (`?incident=<id>`): director and deputy; every other role 403 (the page is
  not theirs, whatever the incident); an incident of another school 404 for the director and
  deputy. Each 200 reads the incident once (access-logged by the incidents module).
- The crisis page: director, deputy and IB; teacher, staff, confidant and the board-wide roles of
  the school's board 403; a crisis of another board 404 (teacher_b, who holds a role at school B,
  gets 403 there, as teacher_a does at home, and 404 on school A's crisis).
- The parts of the page take POST only. Director and deputy may post; an empty post shows the
  page again with the errors (200, one logged read) — except the plan and the evaluation, whose
  fields are all optional, which are saved (302). The IB may post only to an action they own (the
  action in these rows is the IB's): 200 there, 403 everywhere else. Removing a participant and
  linking incidents follow the same rule (an empty post: 200 with the errors at the field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, SIGNED_IN, Method, Row, everyone, fixed, only

NOW = dt.datetime(2026, 4, 21, 8, 0, tzinfo=dt.UTC)
MANAGERS = {"director_a": 200, "deputy_a": 200}
READERS = {"ib_a": 200, "director_a": 200, "deputy_a": 200}
POST_ONLY = {"GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))}


def _incident(world: World, own: bool):
    from incidents.models import Incident

    school, reporter = (world.school_a, world.teacher_a) if own else (world.school_b, world.teacher_b)
    incident = Incident.objects.filter(school=school, number=f"M-{school.pk}").first()
    if incident is None:
        incident = Incident.objects.create(
            board=school.board,
            school=school,
            number=f"M-{school.pk}",
            happened_on=dt.date(2026, 4, 20),
            location="Schoolplein",
            category="pesten",
            description="Matrix test.",
            severity="serious",
            reporter=reporter,
            recorded_by=reporter,
            created_at=NOW,
        )
    return incident


def _crisis(world: World, own: bool):
    """A crisis at school A (own) or school B (other), with a measure for a pupil, and the third
    action owned by school A's IB."""
    from crisis.models import Crisis
    from crisis.services import crisis_action_update, crisis_start, measure_start
    from lev.schools.models import Membership, Role
    from tests import factories as f

    school, pupil = (world.school_a, world.pupil_a) if own else (world.school_b, world.pupil_b)
    crisis = Crisis.objects.filter(school=school).first()
    if crisis is not None:
        return crisis
    if own:
        director = world.director_a
    else:
        director = f.UserFactory(username="director_b")
        Membership.objects.get_or_create(
            user=director,
            school=school,
            board=school.board,
            role=Role.DIRECTOR,
            active_from=dt.date(2020, 1, 1),
        )
    crisis = crisis_start(
        school=school, incidents=[_incident(world, own)], title="Matrix", actor=director, now=NOW
    )
    measure_start(
        crisis=crisis,
        pupil=pupil,
        description="Matrix test.",
        starts_on=dt.date(2026, 4, 21),
        actor=director,
        now=NOW,
    )
    if own:
        crisis_action_update(
            action=crisis.actions.get(position=3),
            owner=world.ib_a,
            status="todo",
            note="",
            actor=director,
            now=NOW,
        )
    return crisis


def crisis_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/crisis/{_crisis(world, own).pk}/{suffix}"


def action_url(world: World, own: bool) -> str:
    crisis = _crisis(world, own)
    return f"/crisis/{crisis.pk}/acties/{crisis.actions.get(position=3).pk}/"


def measure_url(suffix: str) -> Callable[[World, bool], str]:
    def url(world: World, own: bool) -> str:
        crisis = _crisis(world, own)
        return f"/crisis/{crisis.pk}/maatregelen/{crisis.measures.get().pk}/{suffix}"

    return url


def participant_url(world: World, own: bool) -> str:
    """A participant of the crisis at school A (own) or school B (other), on the list."""
    from crisis.services import participant_add

    crisis = _crisis(world, own)
    participant = crisis.participants.first()
    if participant is None:
        participant = participant_add(
            crisis=crisis, name="Matrix", phone="0612345678", actor=crisis.started_by, now=NOW
        )
    return f"/crisis/{crisis.pk}/deelnemers/{participant.pk}/verwijderen/"


def new_url(world: World, own: bool) -> str:
    return f"/crisis/nieuw/?incident={_incident(world, own).pk}"


def readers() -> dict[str, int]:
    return only(READERS, outsider=404) | dict.fromkeys(BOARD_WIDE, 403)


def writers(status: int, *, ib: int = 403) -> dict[str, int]:
    return only(dict.fromkeys(MANAGERS, status) | {"ib_a": ib}, outsider=404) | dict.fromkeys(BOARD_WIDE, 403)


NEW_OTHER = dict.fromkeys(SIGNED_IN, 403) | {"director_a": 404, "deputy_a": 404}


def post_row(url: Callable[[World, bool], str], status: int = 200, *, ib: int = 403) -> Row:
    return Row(url, POST_ONLY | {"POST": Method(writers(status, ib=ib))}, sensitive=True)


ROWS: dict[str, Row] = {
    "crisis:list": Row(fixed("/crisis/"), {"GET": Method(only(READERS))}),
    "crisis:new": Row(
        new_url,
        {"GET": Method(only(MANAGERS), other=NEW_OTHER), "POST": Method(only(MANAGERS), other=NEW_OTHER)},
        sensitive=True,
    ),
    "crisis:detail": Row(crisis_url(), {"GET": Method(readers())}, sensitive=True),
    "crisis:action_update": post_row(action_url, ib=200),
    "crisis:plan_update": post_row(crisis_url("plan-van-aanpak/"), 302),
    "crisis:spokesperson_set": post_row(crisis_url("woordvoerder/")),
    "crisis:participant_add": post_row(crisis_url("deelnemers/nieuw/")),
    "crisis:participant_remove": post_row(participant_url),
    "crisis:incidents_add": post_row(crisis_url("incidenten/koppelen/")),
    "crisis:contact_add": post_row(crisis_url("contacten/nieuw/")),
    "crisis:measure_add": post_row(crisis_url("maatregelen/nieuw/")),
    "crisis:measure_evaluate": post_row(measure_url("evaluatie/")),
    "crisis:measure_end": post_row(measure_url("beeindigen/")),
    "crisis:communication_add": post_row(crisis_url("communicatie/nieuw/")),
    "crisis:media_add": post_row(crisis_url("media/nieuw/")),
    "crisis:evaluation_save": post_row(crisis_url("evaluatie/"), 302),
}
