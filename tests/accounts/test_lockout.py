"""Lockout (SECURITY.md, django-axes): by the normalised account and by account + IP, five failures,
a cool-off of 15 minutes. Every attempt goes through the real login view with REMOTE_ADDR set."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client

from tests import factories as f
from tests.conftest import PASSWORD

from .helpers import SCHOOL_NAT, T0, sign_in, signed_in, template_names

WRONG = "Not-The-Password-1"
pytestmark = pytest.mark.django_db


def fail(client: Client, login: str, times: int, *, ip: str = SCHOOL_NAT) -> None:
    for _ in range(times):
        response = sign_in(client, login, WRONG, ip=ip)
        assert not signed_in(response)


def assert_locked_out(response) -> None:
    assert response.status_code in (403, 429)
    assert "accounts/locked_out.html" in template_names(response)
    assert "_auth_user_id" not in response.wsgi_request.session


def test_below_the_limit_the_right_password_still_works(world):
    client = Client()
    fail(client, "teacher_a", 4)
    assert signed_in(sign_in(client, "teacher_a", PASSWORD))


def test_brute_force_locks_the_account_even_for_the_right_password(world):
    client = Client()
    fail(client, "teacher_a", 5)
    assert_locked_out(sign_in(client, "teacher_a", PASSWORD))
    # The lock is on the account: another address does not help the attacker either.
    assert_locked_out(sign_in(Client(), "teacher_a", PASSWORD, ip="198.51.100.7"))


def test_the_fifth_failure_already_answers_with_the_lockout_page(world):
    client = Client()
    fail(client, "teacher_a", 4)
    assert_locked_out(sign_in(client, "teacher_a", WRONG))


def test_shared_school_nat_one_teacher_does_not_lock_out_another(world):
    """Thirty teachers behind the school's single public address."""
    teachers = [f.UserFactory(username=f"juf{n:02d}", email=f"juf{n:02d}@school.example") for n in range(30)]
    for teacher in teachers:
        f.MembershipFactory(user=teacher, school=world.school_a, board=world.board)
    # Each of them mistypes twice: 60 failures from one address, none of them locked.
    for teacher in teachers:
        fail(Client(), teacher.username, 2)
    # Teacher A locks her own account from the same address ...
    fail(Client(), "teacher_a", 5)
    assert_locked_out(sign_in(Client(), "teacher_a", PASSWORD))
    # ... and every colleague behind the same NAT still signs in.
    for teacher in teachers:
        assert signed_in(sign_in(Client(), teacher.username, PASSWORD))
    assert signed_in(sign_in(Client(), "staff_a", PASSWORD))


@pytest.mark.parametrize(
    "spellings",
    [
        ["teacher_a", " TEACHER_A ", "teacher_a@school.example", "Teacher_A@School.Example", "TeAcHeR_a"],
        ["teacher_a@school.example"] * 3 + ["TEACHER_A"] * 2,
    ],
    ids=["all-spellings", "e-mail-then-username"],
)
def test_alternating_spellings_count_against_one_account(world, spellings):
    client = Client()
    for login in spellings:
        assert not signed_in(sign_in(client, login, WRONG))
    for login in ("teacher_a", "teacher_a@school.example", "TEACHER_A"):
        assert_locked_out(sign_in(Client(), login, PASSWORD))
    # One counter, under the account's username.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"teacher_a"}


def test_cool_off_expires_after_fifteen_minutes(world):
    client = Client()
    with time_machine.travel(T0, tick=False):
        fail(client, "teacher_a", 5)
    with time_machine.travel(T0 + dt.timedelta(minutes=15, seconds=1), tick=False):
        assert signed_in(sign_in(Client(), "teacher_a", PASSWORD))


def test_still_locked_just_before_the_cool_off_ends(world):
    with time_machine.travel(T0, tick=False):
        fail(Client(), "teacher_a", 5)
    with time_machine.travel(T0 + dt.timedelta(minutes=14, seconds=59), tick=False):
        assert_locked_out(sign_in(Client(), "teacher_a", PASSWORD))


def test_an_attempt_during_the_lockout_restarts_the_cool_off(world):
    """An attacker who keeps trying keeps the account locked: locked at 09:00, tried again at 09:10
    and 09:16 (each restarts the 15 minutes), open again only after 09:31."""
    with time_machine.travel(T0, tick=False):
        fail(Client(), "teacher_a", 5)
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        assert_locked_out(sign_in(Client(), "teacher_a", WRONG))
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        assert_locked_out(sign_in(Client(), "teacher_a", PASSWORD))
    with time_machine.travel(T0 + dt.timedelta(minutes=31, seconds=1), tick=False):
        assert signed_in(sign_in(Client(), "teacher_a", PASSWORD))


def test_a_successful_sign_in_resets_the_counter(world):
    client = Client()
    fail(client, "teacher_a", 4)
    assert signed_in(sign_in(client, "teacher_a", PASSWORD))
    assert not AccessAttempt.objects.filter(username="teacher_a").exists()
    # Four more failures would have made eight without the reset; the account stays open.
    fail(Client(), "teacher_a", 4)
    assert signed_in(sign_in(Client(), "teacher_a", PASSWORD))


def test_unknown_accounts_get_their_own_counter_and_lock_nobody(world):
    fail(Client(), "nobody@school.example", 6)
    assert signed_in(sign_in(Client(), "teacher_a", PASSWORD))


def test_a_deactivated_account_cannot_sign_in_with_the_right_password(world):
    response = sign_in(Client(), "deactivated", PASSWORD)
    assert not signed_in(response)
    assert response.status_code == 200
