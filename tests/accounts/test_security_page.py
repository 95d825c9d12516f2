"""The account page: name, e-mail, roles per school, two-step status and the ways to change them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lev.accounts.services import backup_codes_generate, board_teachers_2fa_exemption_set, deputy_add
from lev.schools.models import Role
from tests import factories as f
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
PAGE = "/account/beveiliging/"


def test_the_page_shows_who_you_are_and_where_you_work(world):
    teacher = world.teacher_a
    f.MembershipFactory(user=teacher, school=world.school_a, board=world.board, role=Role.CONFIDANT)
    response = signed_in_client(teacher).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (teacher.get_full_name(), teacher.username, teacher.email, world.school_a.name):
        assert text in html
    places = response.context["places"]
    assert [(p.name, sorted(p.roles)) for p in places] == [
        (world.school_a.name, sorted([str(Role.TEACHER.label), str(Role.CONFIDANT.label)]))
    ]
    for url in (
        "/account/wachtwoord/wijzigen/",
        "/account/vervanging/",
        "/account/beveiliging/reservecodes/",
    ):
        assert f'"{url}"' in html
    assert "/account/bestuur/tweestaps/" not in html


def test_board_wide_roles_are_shown_per_board_and_the_board_gets_the_policy_link(world):
    response = signed_in_client(world.board_member).get(PAGE)
    places = response.context["places"]
    assert [(p.name, p.board_wide, p.roles) for p in places] == [
        (world.board.name, True, [str(Role.BOARD.label)])
    ]
    assert '"/account/bestuur/tweestaps/"' in response.content.decode()


def test_two_step_status_and_backup_codes(world):
    user = world.ib_a
    client = signed_in_client(user)
    backup_codes_generate(user=user, actor=user, now=f.now())
    status = client.get(PAGE).context["two_factor"]
    assert (status.has_device, status.verified, status.required) == (True, True, True)
    assert client.get(PAGE).context["backup_codes_remaining"] == 10


def test_an_exempt_teacher_without_a_device_is_told_so(world):
    board_teachers_2fa_exemption_set(
        board=world.board, exempt=True, reason="Board meeting.", actor=world.board_member, now=f.now()
    )
    response = signed_in_client(world.teacher_a, verified=False).get(PAGE)
    status = response.context["two_factor"]
    assert (status.has_device, status.verified, status.required) == (False, False, False)
    assert '"/account/tweestaps/instellen/"' in response.content.decode()


def test_current_and_planned_deputies_are_listed_but_not_past_ones(world):
    today = timezone.localdate()
    user = world.director_a
    current = deputy_add(
        user=user,
        deputy=world.deputy_a,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        actor=user,
        now=f.now(),
    )
    response = signed_in_client(user).get(PAGE)
    assert list(response.context["deputies"]) == [current]
    assert world.deputy_a.display_name in response.content.decode()
