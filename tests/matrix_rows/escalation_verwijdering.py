"""Permission-matrix rows of the verwijdering pages (escalation/verwijdering_urls.py; decisions in
escalation/verwijdering_views.py).

- Starting (`verwijdering_new`, a pupil of school A or B): the director and the deputy; every other
  role of the school 403; the board-wide roles 404 (they hold no school, so the pupil is not theirs
  to find), as is a pupil of another school.
- The verwijdering page: the director, the deputy and the IB; teacher, staff, confidant and the
  board-wide roles of the school's board 403; another board's verwijdering 404 (teacher_b, who holds
  a role at school B, gets 403 there, as teacher_a does at home).
- The board's page and its decisions: the board members of the school's board; every role of the
  school and the other board-wide roles 403; another board's 404.
- The parts take POST only. The director's parts (rapport, leerplicht, removal, de-registration):
  director and deputy. The shared parts (hearings, sending, letters, bezwaar, GPO, the search,
  withdrawal): director, deputy and board member. The director's decision under a mandate: 403 for
  everyone while no mandate setting exists. An empty post shows the page again with the errors
  (200, one logged read).

The verwijdering in these rows is decided and sent, with a pending bezwaar, a running GPO case and
a school approached, so that every part's URL has its object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, SIGNED_IN, Method, Row, everyone, only

NOW = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
D = dt.date
LEADS = {"director_a": 200, "deputy_a": 200}
POST_ONLY = {"GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))}


def _verwijdering(world: World, own: bool):
    """A decided and sent verwijdering at school A (own) or school B (other), with a pending bezwaar,
    a running GPO case and a school approached."""
    from escalation.models import Episode, GpoCase, Objection, SchoolApproach, Verwijdering

    school, pupil, actor = (
        (world.school_a, world.pupil_a, world.director_a)
        if own
        else (world.school_b, world.pupil_b, world.teacher_b)
    )
    row = Verwijdering.objects.filter(school=school).first()
    if row is not None:
        return row
    episode = Episode.objects.create(
        board=school.board,
        school=school,
        pupil=pupil,
        state="step_7",
        opened_at=NOW,
        opened_by=actor,
        reason="Matrix.",
        updated_at=NOW,
    )
    row = Verwijdering.objects.create(
        episode=episode,
        board=school.board,
        school=school,
        pupil=pupil,
        status="decided",
        ground=1,
        ground_explanation="Matrix.",
        interim_arrangement="Matrix.",
        started_by=actor,
        started_at=NOW,
        groepsleraar_heard_on=D(2026, 3, 16),
        groepsleraar_note="Matrix.",
        parents_heard_on=D(2026, 3, 19),
        parents_note="Matrix.",
        authority="board",
        decided_on=D(2026, 3, 26),
        decided_by=actor,
        decision_reasons="Matrix.",
        sent_on=D(2026, 4, 2),
    )
    Objection.objects.create(
        verwijdering=row,
        board=school.board,
        school=school,
        kind="bezwaar",
        received_on=D(2026, 5, 13),
        grounds="Matrix.",
        recorded_by=actor,
        recorded_at=NOW,
    )
    GpoCase.objects.create(verwijdering=row, filed_on=D(2026, 5, 20), recorded_by=actor, recorded_at=NOW)
    SchoolApproach.objects.create(
        verwijdering=row,
        school_name="SBO Matrix",
        approached_on=D(2026, 4, 1),
        recorded_by=actor,
        recorded_at=NOW,
    )
    return row


def url(suffix: str = "", *, board: bool = False) -> Callable[[World, bool], str]:
    prefix = "/stappenplan/bestuur/verwijdering" if board else "/stappenplan/verwijdering"
    return lambda world, own: f"{prefix}/{_verwijdering(world, own).pk}/{suffix}"


def objection_url(suffix: str, *, board: bool = False) -> Callable[[World, bool], str]:
    prefix = "/stappenplan/bestuur/verwijdering/bezwaar" if board else "/stappenplan/verwijdering/bezwaar"
    return lambda world, own: f"{prefix}/{_verwijdering(world, own).objections.get().pk}/{suffix}"


def gpo_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: (
        f"/stappenplan/verwijdering/gpo/{_verwijdering(world, own).gpo_cases.get().pk}/{suffix}"
    )


def approach_url(world: World, own: bool) -> str:
    return f"/stappenplan/verwijdering/school/{_verwijdering(world, own).approaches.get().pk}/antwoord/"


def new_url(world: World, own: bool) -> str:
    return f"/stappenplan/leerling/{(world.pupil_a if own else world.pupil_b).pk}/verwijdering/nieuw/"


def _table(allowed: dict[str, int]) -> dict[str, int]:
    """ALLOWED get their status; the other roles of the school and of its board 403; teacher_b 404."""
    return only(allowed, outsider=404) | {p: allowed.get(p, 403) for p in BOARD_WIDE}


def post_row(
    url_of: Callable[[World, bool], str], allowed: dict[str, int], *, other: dict[str, int] | None = None
) -> Row:
    return Row(url_of, POST_ONLY | {"POST": Method(_table(allowed), other=other)}, sensitive=True)


READERS = {"director_a": 200, "deputy_a": 200, "ib_a": 200}
EITHER = LEADS | {"board_member": 200}
BOARD = {"board_member": 200}
NEW = only(LEADS, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)

ROWS: dict[str, Row] = {
    "escalation:verwijdering_new": Row(new_url, {"GET": Method(NEW), "POST": Method(NEW)}, sensitive=True),
    "escalation:verwijdering_detail": Row(url(), {"GET": Method(_table(READERS))}, sensitive=True),
    "escalation:verwijdering_report": post_row(url("rapport/"), LEADS),
    "escalation:verwijdering_hearing": post_row(url("horen/"), EITHER),
    "escalation:verwijdering_decide": post_row(url("besluit/"), {}),
    "escalation:verwijdering_sent": post_row(url("verzonden/"), EITHER),
    "escalation:verwijdering_letter": post_row(url("brief/"), EITHER),
    "escalation:verwijdering_leerplicht": post_row(url("leerplicht/"), LEADS),
    "escalation:verwijdering_bezwaar_new": post_row(url("bezwaar/nieuw/"), EITHER),
    "escalation:verwijdering_bezwaar_hearing": post_row(objection_url("horen/"), EITHER),
    "escalation:verwijdering_bezwaar_letter": post_row(objection_url("brief/"), EITHER),
    "escalation:verwijdering_gpo_new": post_row(url("gpo/nieuw/"), EITHER),
    "escalation:verwijdering_gpo_defence": post_row(gpo_url("verweer/"), EITHER),
    "escalation:verwijdering_gpo_end": post_row(gpo_url("afloop/"), EITHER),
    "escalation:verwijdering_approach_new": post_row(url("scholen/nieuw/"), EITHER),
    "escalation:verwijdering_approach_answer": post_row(approach_url, EITHER),
    "escalation:verwijdering_complete": post_row(url("definitief/"), LEADS),
    "escalation:verwijdering_deregister": post_row(url("uitschrijving/"), LEADS),
    "escalation:verwijdering_withdraw": post_row(url("intrekken/"), EITHER),
    "escalation:board_verwijdering": Row(url(board=True), {"GET": Method(_table(BOARD))}, sensitive=True),
    "escalation:board_verwijdering_decide": post_row(url("besluit/", board=True), BOARD),
    "escalation:board_bezwaar_decide": post_row(objection_url("besluit/", board=True), BOARD),
}
