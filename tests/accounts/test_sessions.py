"""Session lifetime: 30 minutes idle, 15 on sensitive pages, 8 hours at most; deactivation and a
password change end sessions at once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session

from lev.accounts.models import UserSession
from lev.accounts.services import user_deactivate
from lev.audit.models import AuditEvent
from tests import factories as f
from tests.conftest import PASSWORD, confirmed_totp, signed_in_client

from .helpers import LOGIN_URL, T0, VERIFY_URL, redirect_path

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Herfst-Kompas-Molen-17"


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def timeouts(user) -> list[dict]:
    return list(
        AuditEvent.objects.filter(action="session_timeout", actor=user)
        .order_by("sequence")
        .values_list("summary", flat=True)
    )


def test_activity_keeps_the_session_alive_and_30_idle_minutes_end_it(world):
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_client(world.ib_a)  # signed in at 09:00
        clock.move_to(T0 + minutes(29))  # 09:29
        assert client.get("/").status_code == 200
        clock.move_to(T0 + minutes(58))  # 09:58, 29 minutes after the last request
        assert client.get("/").status_code == 200
        clock.move_to(T0 + minutes(88) + dt.timedelta(seconds=1))  # 10:28:01, 30 min 1 s idle
        response = client.get("/")
        assert redirect_path(response) == LOGIN_URL
        assert redirect_path(client.get("/")) == LOGIN_URL  # signed out, not just bounced once
    assert timeouts(world.ib_a) == [{"idle": True}]


def test_no_session_lasts_longer_than_8_hours(world):
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_client(world.director_a)  # 09:00
        for k in range(1, 20):  # every 25 minutes, the last at 16:55
            clock.move_to(T0 + minutes(25 * k))
            assert client.get("/").status_code == 200, f"request at +{25 * k} min"
        clock.move_to(T0 + dt.timedelta(hours=8, minutes=1))  # 17:01, 6 minutes after the last request
        assert redirect_path(client.get("/")) == LOGIN_URL
    assert timeouts(world.director_a) == [{"idle": False}]


@pytest.mark.urls("tests.accounts.urls_sensitive")
def test_sensitive_pages_time_out_after_15_idle_minutes(world):
    with time_machine.travel(T0, tick=False) as clock:
        early = signed_in_client(world.ib_a)
        late = signed_in_client(world.ib_a)
        ordinary = signed_in_client(world.ib_a)
        clock.move_to(T0 + minutes(14) + dt.timedelta(seconds=59))  # 09:14:59
        assert early.get("/test/gevoelig/").status_code == 200
        clock.move_to(T0 + minutes(16))  # 09:16
        assert ordinary.get("/test/gewoon/").status_code == 200  # the 30-minute rule applies here
        assert redirect_path(late.get("/test/gevoelig/")) == LOGIN_URL
        assert redirect_path(late.get("/test/gewoon/")) == LOGIN_URL  # that session is over
        # The early client was last seen at 09:14:59: 1 minute idle, still fine.
        assert early.get("/test/gevoelig/").status_code == 200


def test_deactivation_ends_every_session_at_once(world):
    teacher = world.teacher_a
    laptop = signed_in_client(teacher)
    phone = signed_in_client(teacher)
    keys = [laptop.session.session_key, phone.session.session_key]
    assert laptop.get("/").status_code == 200 and phone.get("/").status_code == 200

    user_deactivate(user=teacher, actor=world.functional_admin, now=f.now())

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=teacher).exists()
    assert redirect_path(phone.get("/")) == LOGIN_URL
    assert redirect_path(laptop.get("/account/beveiliging/")) == LOGIN_URL
    event = AuditEvent.objects.get(action="user_deactivated")
    assert event.actor == world.functional_admin
    assert event.object_id == str(teacher.pk)
    assert event.summary == {"sessions_ended": 2}


def test_a_password_change_keeps_this_session_and_ends_the_others(world):
    user = world.director_a
    here = signed_in_client(user)
    elsewhere = signed_in_client(user)
    other_key = elsewhere.session.session_key
    assert here.get("/account/wachtwoord/wijzigen/").status_code == 200
    response = here.post(
        "/account/wachtwoord/wijzigen/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert redirect_path(response) == "/account/beveiliging/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # This browser stays signed in and verified; the other session is gone.
    assert here.get("/").status_code == 200
    assert not Session.objects.filter(session_key=other_key).exists()
    assert redirect_path(elsewhere.get("/")) == LOGIN_URL
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        here.session.session_key
    ]
    event = AuditEvent.objects.get(action="password_changed")
    assert event.summary == {"sessions_ended": 1}
    assert event.actor == user


def test_a_wrong_current_password_changes_nothing(world):
    user = world.director_a
    here = signed_in_client(user)
    elsewhere = signed_in_client(user)
    response = here.post(
        "/account/wachtwoord/wijzigen/",
        {"old_password": "Wrong-Password-1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert elsewhere.get("/").status_code == 200
    assert not AuditEvent.objects.filter(action="password_changed").exists()


def test_changing_the_password_needs_the_second_factor(world):
    confirmed_totp(world.director_a)
    client = signed_in_client(world.director_a, verified=False)
    response = client.post(
        "/account/wachtwoord/wijzigen/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert redirect_path(response) == VERIFY_URL
    world.director_a.refresh_from_db()
    assert world.director_a.check_password(PASSWORD)
