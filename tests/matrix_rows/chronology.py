"""Permission-matrix rows of the pupil chronology's pages (lev/dossier/views.py).

Both pages open the pupil's file through the pupil chokepoint: teacher_a (own group), IB, director
and deputy get the page, staff and confidant 403 (the refusal is access-logged), the board-wide
roles 404 (they hold no school), another school's pupil 404. Each 200 is one logged read; an empty
POST re-shows the form with its errors and records nothing.

- Correcting an entry: its author and the school's director, deputy and IB. The entry here is
  teacher_a's own (school B's is teacher_b's), so every reader of the file may correct it; that a
  teacher may not correct someone else's entry (403) is in tests/schools/test_chronology_actions.py.
- The parents' view: director, deputy, IB and a teacher of the pupil's own group.
"""

from __future__ import annotations

import datetime as dt

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, Method, Row, only


def pupil_file_readers() -> dict[str, int]:
    readers = {"teacher_a": 200, "ib_a": 200, "director_a": 200, "deputy_a": 200}
    return only(readers, others=403, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)


def entry_correct_url(world: World, own: bool) -> str:
    from lev.dossier.models import DossierEntry
    from lev.dossier.services import entry_record

    pupil, author = (world.pupil_a, world.teacher_a) if own else (world.pupil_b, world.teacher_b)
    entry = DossierEntry.objects.filter(pupil=pupil, kind="signal").first()
    if entry is None:
        now = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
        entry = entry_record(
            pupil=pupil,
            kind="signal",
            title="Signaal",
            summary="Matrix test.",
            happened_at=now - dt.timedelta(hours=2),
            author=author,
            now=now,
        )
    return f"/leerlingen/{pupil.pk}/chronologie/{entry.pk}/corrigeren/"


def parent_view_url(world: World, own: bool) -> str:
    return f"/leerlingen/{(world.pupil_a if own else world.pupil_b).pk}/zienswijze-ouders/nieuw/"


ROWS: dict[str, Row] = {
    name: Row(
        url, {"GET": Method(pupil_file_readers()), "POST": Method(pupil_file_readers())}, sensitive=True
    )
    for name, url in (
        ("schools:entry_correct", entry_correct_url),
        ("schools:parent_view_new", parent_view_url),
    )
}
