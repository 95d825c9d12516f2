""" "My deadlines" and the school's list: who sees which deadline, in which order, and the empty states.

Dates worked out by hand: bezwaar-verwijdering from Thu 2 Apr 2026 ends Mon 18 May 2026 (Hemelvaart
14 May, KB day 15 May, weekend); evaluatie-omgangsregels (2 weeks, Atw) from Wed 4 Jan 2040 ends
Wed 18 Jan 2040 and from Wed 7 Mar 2040 ends Wed 21 Mar 2040 (no holidays in between).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lev.accounts.models import Deputy
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.deadlines.services import deadline_open
from lev.schools.models import Role
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)


def open_deadline(
    world,
    *,
    rule="evaluatie-omgangsregels",
    start=dt.date(2040, 1, 4),
    school=None,
    user=None,
    role=Role.DIRECTOR,
    visibility=Visibility.SCHOOL,
    case_id=None,
):
    school = school or world.school_a
    return deadline_open(
        rule_code=rule,
        start=start,
        school=school,
        subject=("schools.pupil", 1),
        responsible_role=role,
        responsible_user=user,
        actor=None,
        now=NOW,
        visibility=visibility,
        case_id=case_id,
    )


def listed(response) -> list[str]:
    return [
        row.deadline.rule_code + ":" + row.deadline.due_on.isoformat() for row in response.context["rows"]
    ]


def test_mine_lists_own_deadlines_overdue_first_with_explanation(world):
    later = open_deadline(world, start=dt.date(2040, 3, 7), user=world.director_a)
    sooner = open_deadline(world, start=dt.date(2040, 1, 4), user=world.director_a)
    missed = open_deadline(
        world, rule="bezwaar-verwijdering", start=dt.date(2026, 4, 2), user=world.director_a
    )
    Deadline.objects.filter(pk=missed.pk).update(status=DeadlineStatus.MISSED)
    closed = open_deadline(world, start=dt.date(2040, 1, 4), user=world.director_a)
    Deadline.objects.filter(pk=closed.pk).update(status=DeadlineStatus.MET)
    response = signed_in_client(world.director_a).get("/termijnen/mijn/")
    assert response.status_code == 200
    assert [row.deadline.pk for row in response.context["rows"]] == [missed.pk, sooner.pk, later.pk]
    assert response.context["rows"][0].overdue is True
    assert response.context["rows"][1].overdue is False
    html = response.content.decode()
    assert "maandag 18-05-2026" in html
    assert "woensdag 18-01-2040" in html
    assert "woensdag 21-03-2040" in html
    assert "ma 18-5-2026" in html  # the engine's explanation
    assert "Bron:" in html


def test_mine_shows_role_deadlines_without_a_person_and_deputy_deadlines(world):
    for_role = open_deadline(world, role=Role.DIRECTOR, user=None)
    of_teacher = open_deadline(world, user=world.teacher_a, role=Role.TEACHER)
    from tests.meldcode.conftest import open_case

    # A Meldcode term of a case ib_a manages; ib_a's deputy (staff_a) has no access to the case.
    meldcode = open_deadline(
        world,
        user=world.ib_a,
        role=Role.CARE_COORDINATOR,
        visibility=Visibility.MELDCODE_CASE,
        case_id=open_case(world).pk,
    )
    today = timezone.localdate()
    Deputy.objects.create(
        user=world.teacher_a, deputy=world.staff_a, starts_on=today - dt.timedelta(days=1), ends_on=today
    )
    Deputy.objects.create(
        user=world.ib_a, deputy=world.staff_a, starts_on=today - dt.timedelta(days=1), ends_on=today
    )
    director = signed_in_client(world.director_a).get("/termijnen/mijn/")
    assert [row.deadline.pk for row in director.context["rows"]] == [for_role.pk]
    deputy_director = signed_in_client(world.deputy_a).get("/termijnen/mijn/")
    assert deputy_director.context["rows"] == []
    teacher = signed_in_client(world.teacher_a).get("/termijnen/mijn/")
    assert {row.deadline.pk for row in teacher.context["rows"]} == {of_teacher.pk}
    care = signed_in_client(world.ib_a).get("/termijnen/mijn/")
    assert {row.deadline.pk for row in care.context["rows"]} == {meldcode.pk}
    # The deputy sees the school deadline of the colleague, not the Meldcode one.
    deputy = signed_in_client(world.staff_a).get("/termijnen/mijn/")
    assert [row.deadline.pk for row in deputy.context["rows"]] == [of_teacher.pk]


def test_deputy_period_that_ended_shows_nothing(world):
    open_deadline(world, user=world.teacher_a, role=Role.TEACHER)
    today = timezone.localdate()
    Deputy.objects.create(
        user=world.teacher_a,
        deputy=world.staff_a,
        starts_on=today - dt.timedelta(days=5),
        ends_on=today - dt.timedelta(days=1),
    )
    assert signed_in_client(world.staff_a).get("/termijnen/mijn/").context["rows"] == []


def test_mine_empty_state(world):
    response = signed_in_client(world.teacher_a).get("/termijnen/mijn/")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert 'class="lev-empty"' in response.content.decode()


def test_school_list_visibility(world):
    school = open_deadline(world, user=world.teacher_a, role=Role.TEACHER)
    open_deadline(
        world, user=world.teacher_a, role=Role.TEACHER, visibility=Visibility.MELDCODE_CASE, case_id=3
    )
    board_only = open_deadline(
        world, user=world.board_member, role=Role.BOARD, visibility=Visibility.BOARD_ONLY
    )
    other = open_deadline(world, school=world.school_b, user=world.teacher_b, role=Role.TEACHER)
    for persona in ("director_a", "deputy_a"):
        response = signed_in_client(getattr(world, persona)).get("/termijnen/")
        assert response.status_code == 200
        assert [row.deadline.pk for row in response.context["school_rows"]] == [school.pk]
        assert response.context["board_sections"] == []
    board = signed_in_client(world.board_member).get("/termijnen/")
    assert board.status_code == 200
    assert board.context["school_rows"] is None
    [(shown_board, rows)] = board.context["board_sections"]
    assert shown_board == world.board
    assert [row.deadline.pk for row in rows] == [board_only.pk]
    assert other.pk not in {row.deadline.pk for row in rows}
    assert signed_in_client(world.teacher_a).get("/termijnen/").status_code == 403
    assert signed_in_client(world.privacy_officer).get("/termijnen/").status_code == 403


def test_school_list_empty_state(world):
    response = signed_in_client(world.director_a).get("/termijnen/")
    assert response.status_code == 200
    assert response.context["school_rows"] == []
    assert 'class="lev-empty"' in response.content.decode()


def test_own_deadlines_leave_with_the_membership(world):
    from lev.schools.models import Membership

    open_deadline(world, user=world.ib_a, role=Role.CARE_COORDINATOR)
    client = signed_in_client(world.ib_a)
    assert len(client.get("/termijnen/mijn/").context["rows"]) == 1
    Membership.objects.filter(user=world.ib_a).update(active_to=dt.date(2020, 1, 2))
    assert client.get("/termijnen/mijn/").context["rows"] == []
