"""Permission-matrix rows of the ladder pages (escalation/ladder_urls.py; decisions in
escalation/permissions.py).

- The overview (active school): director, deputy and IB; every other role 403.
- The board's decision page: the board member; every other role 403.
- A pupil's ladder page goes through the pupil chokepoint: director, deputy, IB and the teacher of
  the pupil's group (teacher_a teaches pupil_a; teacher_b teaches pupil_b, the "other" pupil) 200;
  staff and confidant 403; the board-wide roles 404 (no school of theirs); another school's pupil 404. A POST there is
  only the teacher's reason form: without it the page redirects to itself (302, nothing read).
- Starting the stappenplan: director and deputy. Recording a step: director, deputy, IB and the
  teacher of the group. An empty post shows the form again with its errors (200, one logged read).
- The episode's own forms (serious incident, closing): director and deputy; the other roles of the
  school 403; an episode of another school 404 (teacher_b holds a role there: 403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, SIGNED_IN, Method, Row, everyone, fixed, only

NOW = dt.datetime(2026, 4, 21, 8, 0, tzinfo=dt.UTC)
LEADS = {"director_a": 200, "deputy_a": 200}
READERS = LEADS | {"ib_a": 200, "teacher_a": 200}
POST_ONLY = {
    "GET": Method(dict.fromkeys(SIGNED_IN, 405) | {"anonymous": 302}, other=dict.fromkeys(SIGNED_IN, 405))
}


def _pupil_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/stappenplan/leerling/{(world.pupil_a if own else world.pupil_b).pk}/{suffix}"


def _episode(world: World, own: bool):
    from escalation.models import Episode

    pupil, user = (world.pupil_a, world.director_a) if own else (world.pupil_b, world.teacher_b)
    episode = Episode.objects.filter(pupil=pupil).first()
    if episode is None:
        episode = Episode.objects.create(
            board=pupil.board,
            school=pupil.school,
            pupil=pupil,
            opened_at=NOW,
            opened_by=user,
            reason="Matrix test.",
            updated_at=NOW,
        )
    return episode


def _episode_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: f"/stappenplan/episode/{_episode(world, own).pk}/{suffix}"


def _pupil_page(allowed: dict[str, int], *, teacher_b_other: int) -> Method:
    return Method(
        only(allowed, outsider=404) | dict.fromkeys(BOARD_WIDE, 404),
        other=dict.fromkeys(SIGNED_IN, 404) | {"teacher_b": teacher_b_other},
    )


def _episode_post() -> dict[str, Method]:
    return POST_ONLY | {
        "POST": Method(
            only(LEADS, outsider=404) | dict.fromkeys(BOARD_WIDE, 404),
            other=dict.fromkeys(SIGNED_IN, 404) | {"teacher_b": 403},
        )
    }


ROWS: dict[str, Row] = {
    "escalation:overview": Row(
        fixed("/stappenplan/"), {"GET": Method(only(LEADS | {"ib_a": 200}))}, sensitive=True
    ),
    "escalation:board_decisions": Row(
        fixed("/stappenplan/besluiten/"), {"GET": Method(only({"board_member": 200}))}
    ),
    "escalation:pupil_ladder": Row(
        _pupil_url(),
        {
            "GET": _pupil_page(READERS, teacher_b_other=200),
            "POST": Method(everyone(302), other=dict.fromkeys(SIGNED_IN, 302)),
        },
        sensitive=True,
    ),
    "escalation:episode_new": Row(
        _pupil_url("starten/"),
        {
            "GET": _pupil_page(LEADS, teacher_b_other=403),
            "POST": _pupil_page(LEADS, teacher_b_other=403),
        },
        sensitive=True,
    ),
    "escalation:step_new": Row(
        _pupil_url("stap/"),
        {
            "GET": _pupil_page(READERS, teacher_b_other=200),
            "POST": _pupil_page(READERS, teacher_b_other=200),
        },
        sensitive=True,
    ),
    "escalation:serious_incident": Row(_episode_url("ernstig-incident/"), _episode_post(), sensitive=True),
    "escalation:episode_close": Row(_episode_url("afsluiten/"), _episode_post(), sensitive=True),
}
