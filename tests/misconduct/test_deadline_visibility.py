"""The WPO 4a deadlines are board-only: the lists, the deadline page and the e-mails of
lev/deadlines show them to the board and never to the school (the director included)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lev.deadlines.models import Deadline
from lev.deadlines.selectors import (
    board_deadlines,
    deadline_for_user,
    escalation_recipients,
    my_deadlines,
    responsible_recipients,
    school_deadlines,
)
from tests.conftest import signed_in_client

from .helpers import ctx_for, file_report

pytestmark = pytest.mark.django_db


def filed(world):
    file_report(world, actor=world.teacher_a, now=timezone.now(), aware_on=timezone.localdate())
    return Deadline.objects.get()


@pytest.mark.parametrize(
    "persona", ["director_a", "deputy_a", "ib_a", "teacher_a", "confidant_a", "privacy_officer"]
)
def test_the_school_never_sees_the_deadline(world, persona):
    deadline = filed(world)
    user = getattr(world, persona)
    ctx = ctx_for(user, world.school_a)
    now, today = timezone.now(), timezone.localdate()
    assert list(my_deadlines(ctx, now=now, today=today)) == []
    assert list(school_deadlines(ctx, world.school_a, now=now)) == []
    assert list(board_deadlines(ctx, world.board, now=now)) == []
    assert deadline_for_user(ctx, deadline.pk, today=today) is None
    client = signed_in_client(user)
    assert client.get(f"/termijnen/{deadline.pk}/").status_code == 404
    assert deadline.rule_title not in client.get("/termijnen/mijn/").content.decode()
    listing = client.get("/termijnen/")
    assert listing.status_code in (200, 403)
    assert deadline.rule_title not in listing.content.decode()


def test_the_board_sees_the_deadline_and_is_the_one_told(world):
    deadline = filed(world)
    ctx = ctx_for(world.board_member)
    now, today = timezone.now(), timezone.localdate()
    assert list(my_deadlines(ctx, now=now, today=today)) == [deadline]
    assert list(board_deadlines(ctx, world.board, now=now)) == [deadline]
    assert deadline_for_user(ctx, deadline.pk, today=today) == deadline
    client = signed_in_client(world.board_member)
    assert client.get(f"/termijnen/{deadline.pk}/").status_code == 200
    assert deadline.rule_title in client.get("/termijnen/").content.decode()
    assert responsible_recipients(deadline, today) == [world.board_member]
    assert escalation_recipients(deadline, today) == [world.board_member]
