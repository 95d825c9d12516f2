"""Two-step verification: required for every role, reachable pages while unverified, the board's
teacher exemption, replay refusal, throttling and backup codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.accounts.models import Deputy
from lev.accounts.policy import two_factor_required
from lev.accounts.services import backup_codes_generate, board_teachers_2fa_exemption_set
from lev.audit.models import AuditEvent
from lev.schools.models import Role
from tests import factories as f
from tests.conftest import confirmed_totp, signed_in_client

from .helpers import LOGIN_URL, SETUP_URL, T0, VERIFY_URL, code, redirect_path, template_names

pytestmark = pytest.mark.django_db

PERSONAS = [
    "teacher_a",
    "staff_a",
    "ib_a",
    "director_a",
    "deputy_a",
    "confidant_a",
    "board_member",
    "privacy_officer",
    "functional_admin",
    "teacher_b",
]
POLICY_URL = "/account/bestuur/tweestaps/"


def gated_paths() -> list[str]:
    """A concrete path for every URL pattern of the project that requires sign-in and a verified
    second factor (public pages and the 2FA pages themselves are left out)."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                path = "/" + re.sub(r"<(?:int:)?[^>]+>", "1", route).lstrip("^").rstrip("$")
                path = path.replace("//", "/")
                try:
                    match = resolve(path)
                except Exception:  # a pattern with a converter we cannot fill in this way
                    continue
                func = match.func
                if not getattr(func, "login_required", True) or getattr(func, "lev_allow_unverified", False):
                    continue
                paths.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def test_the_gated_pages_include_the_ones_that_matter():
    paths = gated_paths()
    for path in [
        "/",
        "/account/beveiliging/",
        "/account/vervanging/",
        POLICY_URL,
        "/account/wachtwoord/wijzigen/",
    ]:
        assert path in paths
    for public_or_2fa in [LOGIN_URL, VERIFY_URL, SETUP_URL, "/health", "/account/wachtwoord/vergeten/"]:
        assert public_or_2fa not in paths


@pytest.mark.parametrize("persona", PERSONAS)
def test_unverified_user_with_a_device_reaches_only_the_verification_page(world, persona):
    user = getattr(world, persona)
    confirmed_totp(user)
    client = signed_in_client(user, verified=False)
    for path in gated_paths():
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert redirect_path(response) == VERIFY_URL, (method, path)
    # Nothing was written by the refused POSTs.
    assert not Deputy.objects.exists()
    assert client.get(VERIFY_URL).status_code == 200
    assert client.get("/health").status_code == 200
    assert redirect_path(client.post("/account/uitloggen/")) == LOGIN_URL
    assert redirect_path(client.get("/")) == LOGIN_URL


@pytest.mark.parametrize("persona", PERSONAS)
def test_unverified_user_without_a_device_is_sent_to_set_one_up(world, persona):
    client = signed_in_client(getattr(world, persona), verified=False)
    for path in ["/", "/account/beveiliging/", "/account/vervanging/", POLICY_URL]:
        assert redirect_path(client.get(path)) == SETUP_URL
    assert client.get(SETUP_URL).status_code == 200
    assert redirect_path(client.get(VERIFY_URL)) == SETUP_URL


def test_verification_returns_to_the_page_asked_for_and_only_on_this_site(world):
    with time_machine.travel(T0, tick=False) as clock:
        device = confirmed_totp(world.ib_a)
        client = signed_in_client(world.ib_a, verified=False)
        asked = client.get("/account/vervanging/")
        assert redirect_path(asked) == VERIFY_URL
        response = client.post(asked["Location"], {"token": code(device)})
        assert response["Location"] == "/account/vervanging/"

        clock.shift(dt.timedelta(seconds=30))
        other = signed_in_client(world.ib_a, verified=False)
        response = other.post(VERIFY_URL + "?next=https://evil.example/", {"token": code(device)})
        assert response["Location"] == "/"


# --- The board's teacher exemption ----------------------------------------------------------


def exempt_teachers(world, exempt: bool = True) -> None:
    board_teachers_2fa_exemption_set(
        board=world.board,
        exempt=exempt,
        reason="Decided in the board meeting of 10-11-2026.",
        actor=world.board_member,
        now=f.now(),
    )


def test_an_exempt_teacher_reaches_the_start_page_without_a_code(world):
    exempt_teachers(world)
    client = signed_in_client(world.teacher_a, verified=False)
    assert client.get("/").status_code == 200
    assert client.get("/account/beveiliging/").status_code == 200


def test_the_exemption_applies_on_the_next_request_when_withdrawn(world):
    exempt_teachers(world)
    client = signed_in_client(world.teacher_a, verified=False)
    assert client.get("/").status_code == 200
    exempt_teachers(world, exempt=False)
    assert redirect_path(client.get("/")) == SETUP_URL


def test_a_teacher_who_also_holds_another_role_is_not_exempt(world):
    exempt_teachers(world)
    f.MembershipFactory(
        user=world.teacher_a, school=world.school_a, board=world.board, role=Role.CARE_COORDINATOR
    )
    assert two_factor_required(world.teacher_a)
    client = signed_in_client(world.teacher_a, verified=False)
    assert redirect_path(client.get("/")) == SETUP_URL


def test_a_teacher_at_a_second_board_without_the_exemption_is_not_exempt(world):
    exempt_teachers(world)
    f.MembershipFactory(
        user=world.teacher_a, school=world.school_b, board=world.school_b.board, role=Role.TEACHER
    )
    client = signed_in_client(world.teacher_a, verified=False)
    assert redirect_path(client.get("/")) == SETUP_URL


@pytest.mark.parametrize(
    "persona", ["staff_a", "ib_a", "director_a", "confidant_a", "board_member", "teacher_b"]
)
def test_other_roles_and_other_boards_are_not_exempt(world, persona):
    exempt_teachers(world)
    client = signed_in_client(getattr(world, persona), verified=False)
    assert redirect_path(client.get("/")) == SETUP_URL


def test_the_board_records_its_decision_on_the_policy_page(world):
    with time_machine.travel(T0, tick=False):
        client = signed_in_client(world.board_member)
        page = client.get(POLICY_URL)
        assert page.status_code == 200
        assert page.context["board"] == world.board
        response = client.post(POLICY_URL, {"exempt": "yes", "reason": "Board meeting 10-11-2026, item 4."})
        assert redirect_path(response) == POLICY_URL
        # The page now shows who decided, and the decision in the history.
        page = client.get(POLICY_URL)
    world.board.refresh_from_db()
    assert world.board.teachers_2fa_exempt is True
    assert world.board.teachers_2fa_exempt_decided_by == world.board_member
    assert world.board.teachers_2fa_exempt_decided_at == T0
    assert world.board.teachers_2fa_exempt_reason == "Board meeting 10-11-2026, item 4."
    event = AuditEvent.objects.get(action="teachers_2fa_exemption_changed")
    assert event.board == world.board
    assert event.actor == world.board_member
    assert event.object_id == str(world.board.pk)
    assert event.summary == {"exempt": True, "previous": False}
    assert world.board_member.display_name in page.content.decode()
    assert "24-11-2026 09:00" in page.content.decode()
    assert list(page.context["history"]) == [event]


def test_a_decision_needs_a_reason(world):
    client = signed_in_client(world.board_member)
    response = client.post(POLICY_URL, {"exempt": "yes", "reason": "   "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    world.board.refresh_from_db()
    assert world.board.teachers_2fa_exempt is False
    assert not AuditEvent.objects.filter(action="teachers_2fa_exemption_changed").exists()


@pytest.mark.parametrize(
    "persona",
    [
        "teacher_a",
        "staff_a",
        "ib_a",
        "director_a",
        "deputy_a",
        "confidant_a",
        "privacy_officer",
        "functional_admin",
        "teacher_b",
    ],
)
def test_users_without_the_board_role_get_403(world, persona):
    client = signed_in_client(getattr(world, persona))
    assert client.get(POLICY_URL).status_code == 403
    assert client.post(POLICY_URL, {"exempt": "yes", "reason": "Because."}).status_code == 403
    world.board.refresh_from_db()
    assert world.board.teachers_2fa_exempt is False


def test_another_boards_policy_cannot_be_changed(world):
    other_board = world.school_b.board
    other_member = f.UserFactory(username="board_other")
    f.MembershipFactory(user=other_member, school=None, board=other_board, role=Role.BOARD)
    client = signed_in_client(other_member)
    # Their own board's page works; asking for ours answers 404, like a board that does not exist.
    assert client.get(POLICY_URL).context["board"] == other_board
    assert client.get(f"{POLICY_URL}?bestuur={world.board.pk}").status_code == 404
    response = client.post(f"{POLICY_URL}?bestuur={world.board.pk}", {"exempt": "yes", "reason": "Because."})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        board_teachers_2fa_exemption_set(
            board=world.board, exempt=True, reason="Because.", actor=other_member, now=f.now()
        )
    world.board.refresh_from_db()
    assert world.board.teachers_2fa_exempt is False
    assert world.board.teachers_2fa_exempt_decided_by is None


def test_a_board_member_whose_role_ended_cannot_decide(world):
    membership = world.board_member.memberships.get()
    membership.active_to = dt.date(2026, 1, 31)
    membership.save()
    with pytest.raises(PermissionDenied):
        exempt_teachers(world)
    assert signed_in_client(world.board_member).get(POLICY_URL).status_code == 403


# --- Codes: replay, throttling, backup codes --------------------------------------------------


def verify(client: Client, token: str):
    return client.post(VERIFY_URL, {"token": token})


def verified(response) -> bool:
    return response.status_code == 302 and redirect_path(response) == "/"


def test_a_used_code_cannot_be_replayed(world):
    with time_machine.travel(T0 + dt.timedelta(seconds=5), tick=False) as clock:
        device = confirmed_totp(world.director_a)
        first = signed_in_client(world.director_a, verified=False)
        token = code(device)
        assert verified(verify(first, token))
        assert first.get("/").status_code == 200

        # Someone who saw the code types it in another session within the same 30 seconds.
        thief = signed_in_client(world.director_a, verified=False)
        refused = verify(thief, token)
        assert refused.status_code == 200
        assert "token" in refused.context["form"].errors
        assert redirect_path(thief.get("/")) == VERIFY_URL

        # The next time step brings a new code that works; the old one still does not.
        clock.shift(dt.timedelta(seconds=30))
        assert not verified(verify(thief, token))
        clock.shift(dt.timedelta(seconds=10))
        assert verified(verify(thief, code(device)))
    assert AuditEvent.objects.filter(action="otp_verified", object_id=str(world.director_a.pk)).count() == 2
    assert AuditEvent.objects.filter(action="otp_failed", object_id=str(world.director_a.pk)).count() == 2


def test_failed_codes_are_throttled_and_each_failure_is_audited(world):
    """Back-off after failures: 1 s, then 2 s, then 4 s (OTP_TOTP_THROTTLE_FACTOR = 1)."""
    with time_machine.travel(T0, tick=False) as clock:
        device = confirmed_totp(world.ib_a)
        client = signed_in_client(world.ib_a, verified=False)
        good = code(device)
        wrong = "000000" if good != "000000" else "111111"

        assert not verified(verify(client, wrong))  # 09:00:00.0, failure 1
        clock.shift(dt.timedelta(seconds=1.5))
        assert not verified(verify(client, wrong))  # 09:00:01.5, failure 2
        clock.shift(dt.timedelta(seconds=2))
        assert not verified(verify(client, wrong))  # 09:00:03.5, failure 3: next try from 09:00:07.5

        clock.shift(dt.timedelta(seconds=2.5))  # 09:00:06.0
        refused = verify(client, good)
        assert refused.status_code == 200
        assert "token" in refused.context["form"].errors
        device.refresh_from_db()
        assert device.throttling_failure_count == 3
        assert device.last_t == -1  # the good code was not even checked, so it is still unused

        clock.shift(dt.timedelta(seconds=2))  # 09:00:08.0
        assert verified(verify(client, good))
        device.refresh_from_db()
        assert device.throttling_failure_count == 0

    failures = AuditEvent.objects.filter(action="otp_failed", object_id=str(world.ib_a.pk)).order_by(
        "sequence"
    )
    assert [e.summary["throttled"] for e in failures] == [False, False, False, True]
    assert all(e.actor == world.ib_a for e in failures)


def test_backup_codes_work_once(world):
    user = world.confidant_a
    with time_machine.travel(T0, tick=False) as clock:
        confirmed_totp(user)
        codes = backup_codes_generate(user=user, actor=user, now=f.now())
        assert len(codes) == 10 and len(set(codes)) == 10

        first = signed_in_client(user, verified=False)
        assert verified(verify(first, codes[0]))
        assert AuditEvent.objects.filter(action="otp_verified").latest("sequence").summary == {
            "device": "StaticDevice"
        }

        second = signed_in_client(user, verified=False)
        assert not verified(verify(second, codes[0]))
        clock.shift(dt.timedelta(seconds=2))  # past the back-off after one failure
        assert verified(verify(second, f" {codes[1][:4]} {codes[1][4:]} "))  # spaces as typed from paper

        assert signed_in_client(user).get("/account/beveiliging/").context["backup_codes_remaining"] == 8


def test_new_backup_codes_replace_the_old_ones(world):
    user = world.director_a
    with time_machine.travel(T0, tick=False) as clock:
        confirmed_totp(user)
        old = backup_codes_generate(user=user, actor=user, now=f.now())
        response = signed_in_client(user).post("/account/beveiliging/reservecodes/")
        assert response.status_code == 200
        new = response.context["codes"]
        assert set(new).isdisjoint(old)
        assert not verified(verify(signed_in_client(user, verified=False), old[0]))
        clock.shift(dt.timedelta(seconds=2))
        assert verified(verify(signed_in_client(user, verified=False), new[0]))


def test_setting_up_a_device_confirms_it_and_shows_backup_codes(world):
    with time_machine.travel(T0, tick=False):
        client = signed_in_client(world.staff_a, verified=False)
        page = client.get(SETUP_URL)
        assert page.status_code == 200
        device = TOTPDevice.objects.get(user=world.staff_a, confirmed=False)
        response = client.post(SETUP_URL, {"token": code(device)})
        assert response.status_code == 200
        assert "accounts/backup_codes.html" in template_names(response)
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200
    assert {"totp_confirmed", "backup_codes_generated"} <= set(
        AuditEvent.objects.filter(object_id=str(world.staff_a.pk)).values_list("action", flat=True)
    )
