"""Deputies: naming a colleague for a period, withdrawing, and who receives a user's approvals and
reminders on a given day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lev.accounts.models import Deputy
from lev.accounts.selectors import deputy_candidates, recipients_for
from lev.accounts.services import deputy_add, deputy_revoke
from lev.audit.models import AuditEvent
from lev.schools.models import Role
from tests import factories as f
from tests.conftest import signed_in_client

from .helpers import T0, redirect_path

pytestmark = pytest.mark.django_db
PAGE = "/account/vervanging/"
TODAY = dt.date(2026, 11, 24)  # the local date of T0


def name(world, *, deputy, starts_on, ends_on, user=None):
    owner = user or world.director_a
    with time_machine.travel(T0, tick=False):
        return deputy_add(
            user=owner, deputy=deputy, starts_on=starts_on, ends_on=ends_on, actor=owner, now=f.now()
        )


def test_a_deputy_receives_on_the_first_and_last_day_and_not_after(world):
    name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    director, deputy = world.director_a, world.deputy_a
    assert recipients_for(director, dt.date(2026, 11, 30)) == [director]
    assert recipients_for(director, dt.date(2026, 12, 1)) == [director, deputy]
    assert recipients_for(director, dt.date(2026, 12, 3)) == [director, deputy]
    assert recipients_for(director, dt.date(2026, 12, 5)) == [director, deputy]
    assert recipients_for(director, dt.date(2026, 12, 6)) == [director]
    # It is one-way: the deputy's own items do not go to the director.
    assert recipients_for(deputy, dt.date(2026, 12, 3)) == [deputy]


def test_two_deputies_with_overlapping_periods_both_receive_once(world):
    name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 10))
    name(world, deputy=world.ib_a, starts_on=dt.date(2026, 12, 8), ends_on=dt.date(2026, 12, 20))
    name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 15), ends_on=dt.date(2026, 12, 18))
    on_9_dec = recipients_for(world.director_a, dt.date(2026, 12, 9))
    assert on_9_dec[0] == world.director_a
    assert set(on_9_dec) == {world.director_a, world.deputy_a, world.ib_a}
    assert len(on_9_dec) == 3
    assert set(recipients_for(world.director_a, dt.date(2026, 12, 12))) == {world.director_a, world.ib_a}
    assert set(recipients_for(world.director_a, dt.date(2026, 12, 16))) == {
        world.director_a,
        world.deputy_a,
        world.ib_a,
    }


def test_withdrawn_and_deactivated_deputies_receive_nothing(world):
    withdrawn = name(
        world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5)
    )
    name(world, deputy=world.ib_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    deputy_revoke(entry=withdrawn, actor=world.director_a, now=f.now())
    world.ib_a.is_active = False
    world.ib_a.save()
    assert recipients_for(world.director_a, dt.date(2026, 12, 3)) == [world.director_a]


def test_candidates_are_active_colleagues_of_the_same_board(world):
    candidates = set(deputy_candidates(world.director_a, day=TODAY))
    expected = {
        world.teacher_a,
        world.staff_a,
        world.ib_a,
        world.deputy_a,
        world.confidant_a,
        world.board_member,
        world.privacy_officer,
        world.functional_admin,
    }
    assert candidates == expected  # not themselves, not the other board, not the deactivated
    # A colleague whose role has ended is no longer a candidate.
    ended = f.UserFactory(username="left_in_summer")
    f.MembershipFactory(
        user=ended,
        school=world.school_a,
        board=world.board,
        active_from=dt.date(2020, 8, 1),
        active_to=dt.date(2026, 7, 31),
    )
    assert ended not in set(deputy_candidates(world.director_a, day=TODAY))


def test_the_service_refuses_what_the_form_refuses(world):
    with pytest.raises(ValidationError):
        name(world, deputy=world.teacher_b, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    with pytest.raises(ValidationError):
        name(world, deputy=world.director_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    with pytest.raises(ValidationError):
        name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 5), ends_on=dt.date(2026, 12, 1))
    with pytest.raises(ValidationError):
        name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 23))
    assert not Deputy.objects.exists()
    assert not AuditEvent.objects.filter(action="deputy_added").exists()


def post(client, deputy, starts_on: str, ends_on: str):
    return client.post(PAGE, {"deputy": deputy.pk, "starts_on": starts_on, "ends_on": ends_on})


def test_adding_a_deputy_on_the_page(world):
    with time_machine.travel(T0, tick=False):
        client = signed_in_client(world.director_a)
        page = client.get(PAGE)
        assert page.status_code == 200
        assert set(page.context["form"].fields["deputy"].queryset) == set(
            deputy_candidates(world.director_a, day=TODAY)
        )
        response = post(client, world.deputy_a, "2026-12-01", "2026-12-05")
        assert redirect_path(response) == PAGE
        page = client.get(PAGE)
    entry = Deputy.objects.get()
    assert (entry.user, entry.deputy, entry.starts_on, entry.ends_on) == (
        world.director_a,
        world.deputy_a,
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 5),
    )
    html = page.content.decode()
    assert "01-12-2026" in html and "05-12-2026" in html
    event = AuditEvent.objects.get(action="deputy_added")
    assert event.actor == world.director_a
    assert event.summary == {
        "user_id": world.director_a.pk,
        "deputy_id": world.deputy_a.pk,
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-05",
    }


@pytest.mark.parametrize(
    ("who", "starts_on", "ends_on", "field"),
    [
        ("teacher_b", "2026-12-01", "2026-12-05", "deputy"),  # another board
        ("director_a", "2026-12-01", "2026-12-05", "deputy"),  # themselves
        ("deactivated", "2026-12-01", "2026-12-05", "deputy"),
        ("deputy_a", "2026-12-06", "2026-12-05", "ends_on"),  # from after until
        ("deputy_a", "2026-11-02", "2026-11-23", "ends_on"),  # already over on 24-11-2026
    ],
)
def test_the_page_refuses_a_wrong_deputy_or_period(world, who, starts_on, ends_on, field):
    with time_machine.travel(T0, tick=False):
        response = post(signed_in_client(world.director_a), getattr(world, who), starts_on, ends_on)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Deputy.objects.exists()


def test_the_same_deputy_twice_for_an_overlapping_period_is_refused(world):
    name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    with time_machine.travel(T0, tick=False):
        response = post(signed_in_client(world.director_a), world.deputy_a, "2026-12-05", "2026-12-09")
        assert "deputy" in response.context["form"].errors
        # The day after the first period is fine.
        response = post(signed_in_client(world.director_a), world.deputy_a, "2026-12-06", "2026-12-09")
        assert response.status_code == 302
    assert Deputy.objects.count() == 2


def test_withdrawing_a_deputy(world):
    entry = name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    client = signed_in_client(world.director_a)
    url = f"/account/vervanging/{entry.pk}/intrekken/"
    assert client.get(url).status_code == 405
    assert redirect_path(client.post(url)) == PAGE
    entry.refresh_from_db()
    assert entry.revoked_at is not None
    event = AuditEvent.objects.get(action="deputy_revoked")
    assert event.object_id == str(entry.pk)
    assert event.summary == {"user_id": world.director_a.pk, "deputy_id": world.deputy_a.pk}
    # Withdrawing again changes nothing and writes no second row.
    client.post(url)
    assert AuditEvent.objects.filter(action="deputy_revoked").count() == 1


@pytest.mark.parametrize("persona", ["deputy_a", "ib_a", "teacher_b", "functional_admin"])
def test_someone_elses_deputy_cannot_be_withdrawn(world, persona):
    entry = name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    response = signed_in_client(getattr(world, persona)).post(f"/account/vervanging/{entry.pk}/intrekken/")
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.revoked_at is None
    assert signed_in_client(world.director_a).post("/account/vervanging/999999/intrekken/").status_code == 404


def test_the_deputy_sees_for_whom_they_stand_in(world):
    name(world, deputy=world.deputy_a, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5))
    with time_machine.travel(T0, tick=False):
        page = signed_in_client(world.deputy_a).get(PAGE)
    assert [e.user for e in page.context["standing_in"]] == [world.director_a]


def test_a_board_member_can_name_a_school_colleague(world):
    """Board-wide roles share the board with every school of it."""
    f.MembershipFactory(user=f.UserFactory(username="ceo2"), school=None, board=world.board, role=Role.BOARD)
    entry = name(
        world,
        user=world.board_member,
        deputy=world.director_a,
        starts_on=dt.date(2026, 11, 24),
        ends_on=dt.date(2026, 11, 24),
    )
    assert recipients_for(world.board_member, dt.date(2026, 11, 24)) == [world.board_member, world.director_a]
    assert entry.pk
