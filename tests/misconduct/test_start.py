"""The start page: the vertrouwenspersoon sees how many conversations they keep; the board sees
open WPO 4a reports, and how many have a step past its onverwijld term. Counts only: no facts, no
names, and nobody else sees either section."""

from __future__ import annotations

import re

from tests.conftest import signed_in_client
from tests.i18n_helpers import t, tn

from .helpers import ACCUSED, FACTS, NOTE_TEXT, file_report, record_note


def _section(html: str, key: str) -> str:
    start = html.index(f'id="section-{key}"')
    return html[start : html.index("</section>", start)]


def test_the_confidant_sees_the_number_of_their_conversations(world):
    empty = signed_in_client(world.confidant_a).get("/").content.decode()
    assert t("Notes of confidential conversations you record appear here. Only you can read them.") in empty
    record_note(world)
    record_note(world)
    html = signed_in_client(world.confidant_a).get("/").content.decode()
    section = _section(html, "my_conversations")
    assert tn("%(count)s conversation", "%(count)s conversations", 2, count=2) in section
    assert NOTE_TEXT not in html
    # Nobody else has the section.
    for user in (world.director_a, world.board_member, world.teacher_a):
        assert 'id="section-my_conversations"' not in signed_in_client(user).get("/").content.decode()


def test_the_board_sees_open_reports_and_late_steps_only_while_one_is_open(world):
    html = signed_in_client(world.board_member).get("/").content.decode()
    assert 'id="section-wpo4a_reports"' not in html
    # Filed on 13 May 2026: consulting the vertrouwensinspecteur is onverwijld, so it is late by now.
    file_report(world)
    html = signed_in_client(world.board_member).get("/").content.decode()
    section = _section(html, "wpo4a_reports")
    assert tn("%(count)s open report", "%(count)s open reports", 1, count=1) in section
    assert (
        tn(
            "%(count)s with a step whose term has passed",
            "%(count)s with a step whose term has passed",
            1,
            count=1,
        )
        in section
    )
    assert re.search(r'href="/wpo4a/[^"]*"', section)
    assert FACTS not in html and ACCUSED not in html
    for user in (world.director_a, world.ib_a, world.confidant_a, world.teacher_a):
        assert 'id="section-wpo4a_reports"' not in signed_in_client(user).get("/").content.decode()
