"""Permission-matrix rows of the time-out pages (escalation/timeout_urls.py; decisions in
escalation/timeout_views.py and escalation/timeout_services.py).

The time-out in these rows is asked for by the director of the pupil's school (school A: pupil_a,
taught by teacher_a; school B: pupil_b, taught by teacher_b) and waits for a decision.

- The request form (pupil in the URL): director and deputy, and the teacher of the pupil's group;
  IB, staff and confidant 403; the board-wide roles 404 (they hold no school); another school's
  pupil 404. Each 200 is one logged read of the pupil's file. An empty POST shows the form again
  with its errors (200) and records nothing.
- The time-out's page: director, deputy, IB and the teacher of the pupil's group; staff, confidant
  and the board-wide roles of the school's board 403 (the board sees a time-out only when it decides
  it or the director decided alone); another board's time-out 404. Each 200 is one logged read.
- The actions take POST only. An empty post decides nothing: the page is shown again with the
  error (200). Approve and reject: the director (their own request: alone, with a reason) and the
  deputy (the director asked for it). Withdraw: the requester (here the director) and the deputy.
  The phone call: director, deputy, IB and the pupil's teacher. The letter: those who write letters
  (IB, director, deputy). Whoever may read the page but not act gets 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, SIGNED_IN, Method, Row, everyone, only

NOW = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)  # Tue 8 Dec 2026, 09:00 in Amsterdam
POST_ONLY = Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))
LEADS = {"director_a": 200, "deputy_a": 200}


def _director(world: World, own: bool):
    from lev.schools.models import Membership, Role
    from tests import factories as f

    if own:
        return world.director_a
    school = world.school_b
    user = f.UserFactory(username="director_b_timeout")
    Membership.objects.get_or_create(
        user=user, school=school, board=school.board, role=Role.DIRECTOR, active_from=dt.date(2020, 1, 1)
    )
    return user


def _time_out(world: World, own: bool):
    """The director's request for a time-out of pupil_a (own) or pupil_b (other), after step 4."""
    from escalation.models import TimeOut
    from escalation.services import step_record
    from escalation.timeout_services import timeout_request

    pupil = world.pupil_a if own else world.pupil_b
    existing = TimeOut.objects.filter(pupil=pupil).first()
    if existing is not None:
        return existing
    director = _director(world, own)
    for step in (3, 4):
        step_record(
            pupil=pupil,
            step=step,
            happened_on=dt.date(2026, 12, 7),
            summary="Matrix.",
            participants="Leerkracht",
            agreements="Afspraken.",
            parents_informed=True,
            parents_informed_how="telefonisch",
            actor=director,
            now=NOW,
        )
    return timeout_request(
        pupil=pupil,
        reason="Matrix.",
        first_day=dt.date(2026, 12, 8),
        last_day=dt.date(2026, 12, 8),
        where="groep 6a",
        place="in_school",
        work="",
        excluded_activities=[],
        longer_confirmed=False,
        actor=director,
        now=NOW,
    )


def pupil_url(world: World, own: bool) -> str:
    return f"/stappenplan/leerling/{(world.pupil_a if own else world.pupil_b).pk}/time-out/nieuw/"


def time_out_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/stappenplan/time-out/{_time_out(world, own).pk}/{suffix}"


FORM_USERS = only({"teacher_a": 200, **LEADS}, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)
READERS = only({"teacher_a": 200, "ib_a": 200, **LEADS}, outsider=404)


def action(allowed: dict[str, int]) -> dict[str, Method]:
    # Staff and confidant may not read the page (403); the board-wide roles of the school's board
    # neither (403); teacher_b holds no role at school A (404).
    return {"GET": POST_ONLY, "POST": Method(only(allowed, outsider=404))}


ROWS: dict[str, Row] = {
    "escalation:timeout_new": Row(
        pupil_url, {"GET": Method(FORM_USERS), "POST": Method(FORM_USERS)}, sensitive=True
    ),
    "escalation:timeout_detail": Row(time_out_url(), {"GET": Method(READERS)}, sensitive=True),
    "escalation:timeout_approve": Row(time_out_url("goedkeuren/"), action(LEADS)),
    "escalation:timeout_reject": Row(time_out_url("afwijzen/"), action(LEADS)),
    "escalation:timeout_withdraw": Row(time_out_url("intrekken/"), action(LEADS)),
    "escalation:timeout_phone": Row(
        time_out_url("telefoongesprek/"), action({"teacher_a": 200, "ib_a": 200, **LEADS})
    ),
    "escalation:timeout_letter": Row(time_out_url("brief/"), action({"ib_a": 200, **LEADS})),
}
