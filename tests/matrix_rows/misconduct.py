"""Permission-matrix rows of reports of misconduct by staff (WPO 4a) and the confidant's notes
(misconduct/urls.py).

- Filing a report: everyone working at a school (every school role) and the board; the FG and the
  functional administrator 403 (no school, no board role). An empty POST re-shows the form with its
  errors (200) and files nothing.
- The board's list, a report's page, its step and closing forms: the board of the report's board
  only; everyone else 404 — the director included, and 404 rather than 403 also for the list, so
  that the pages do not reveal that there is anything. An empty POST re-shows the report page with
  the errors (200), which is a read of the report.
- The receipt: the person who filed the report (teacher_a here; teacher_b for school B's).
- "Mijn gesprekken" and every note page: the vertrouwenspersoon who wrote the note; everyone else
  404, the director and the board included. School B's note is written by a vertrouwenspersoon of
  school B who is not a persona, so everyone gets 404 on it.

Every 200 on a report, receipt, note or list is one access-log row (sensitive=True); the forms for a
new report or note read no record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import SIGNED_IN, Method, Row, everyone, fixed, only

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
POST_ONLY_GET = Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))


def matrix_report(world: World, own: bool):
    from misconduct.models import MisconductReport
    from misconduct.services import report_file

    school, pupil, reporter = (
        (world.school_a, world.pupil_a, world.teacher_a)
        if own
        else (world.school_b, world.pupil_b, world.teacher_b)
    )
    report = MisconductReport.objects.filter(school=school, accused="Matrix").first()
    if report is None:
        report = report_file(
            school=school,
            kind="sexual",
            accused="Matrix",
            facts="Matrix test.",
            source="observed",
            aware_on=NOW.date(),
            pupils=[pupil],
            actor=reporter,
            now=NOW,
        )
    return report


def report_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: f"/wpo4a/meldingen/{matrix_report(world, own).pk}/{suffix}"


def confidant_of(world: World, own: bool):
    from lev.schools.models import Membership, Role
    from tests.factories import UserFactory

    if own:
        return world.confidant_a
    user = UserFactory(username="matrix_confidant_b")
    Membership.objects.get_or_create(
        user=user,
        board=world.school_b.board,
        school=world.school_b,
        role=Role.CONFIDANT,
        active_from="2020-01-01",
    )
    return user


def matrix_note(world: World, own: bool):
    from misconduct.models import ConfidantNote
    from misconduct.services import confidant_note_record

    school = world.school_a if own else world.school_b
    note = ConfidantNote.objects.filter(school=school, with_whom="Matrix").first()
    if note is None:
        note = confidant_note_record(
            school=school,
            held_at=NOW - dt.timedelta(hours=1),
            with_whom="Matrix",
            summary="Matrix test.",
            actor=confidant_of(world, own),
            now=NOW,
        )
    return note


def note_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: f"/vertrouwenspersoon/gesprekken/{matrix_note(world, own).pk}/{suffix}"


FILERS = everyone(200, privacy_officer=403, functional_admin=403)
BOARD = only({"board_member": 200}, others=404)
AUTHOR = only({"confidant_a": 200}, others=404)

ROWS: dict[str, Row] = {
    "misconduct:wpo4a_new": Row(fixed("/wpo4a/melden/"), {"GET": Method(FILERS), "POST": Method(FILERS)}),
    "misconduct:wpo4a_list": Row(fixed("/wpo4a/"), {"GET": Method(BOARD)}, sensitive=True),
    "misconduct:wpo4a_detail": Row(report_url(""), {"GET": Method(BOARD)}, sensitive=True),
    "misconduct:wpo4a_receipt": Row(
        report_url("ontvangen/"), {"GET": Method(only({"teacher_a": 200}, others=404))}, sensitive=True
    ),
    "misconduct:wpo4a_step": Row(
        report_url("stappen/consult/"), {"GET": POST_ONLY_GET, "POST": Method(BOARD)}, sensitive=True
    ),
    "misconduct:wpo4a_close": Row(
        report_url("afsluiten/"), {"GET": POST_ONLY_GET, "POST": Method(BOARD)}, sensitive=True
    ),
    "misconduct:confidant_notes": Row(
        fixed("/vertrouwenspersoon/gesprekken/"), {"GET": Method(AUTHOR)}, sensitive=True
    ),
    "misconduct:confidant_note_new": Row(
        fixed("/vertrouwenspersoon/gesprekken/nieuw/"), {"GET": Method(AUTHOR), "POST": Method(AUTHOR)}
    ),
    "misconduct:confidant_note_detail": Row(note_url(""), {"GET": Method(AUTHOR)}, sensitive=True),
    "misconduct:confidant_note_correct": Row(
        note_url("corrigeren/"), {"GET": Method(AUTHOR), "POST": Method(AUTHOR)}, sensitive=True
    ),
    "misconduct:confidant_note_report": Row(
        note_url("melden/"), {"GET": POST_ONLY_GET, "POST": Method(AUTHOR)}, sensitive=True
    ),
}
