"""`manage.py create_admin`: the first board and its functional administrator."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from lev.accounts.models import User
from lev.audit.models import AuditEvent
from lev.schools.models import Board, Membership, Role
from tests import factories as f

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GOOD_PASSWORD = "Paarse-Olifant-Fietst-42"
# 23:30 on 23 November in Amsterdam is 22:30 UTC: the membership must start on the local date.
LATE_EVENING = dt.datetime(2026, 11, 23, 23, 30, tzinfo=AMSTERDAM)


def password_file(tmp_path, password: str = GOOD_PASSWORD):
    path = tmp_path / f"password-{len(list(tmp_path.iterdir()))}"
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


def create_admin(*args: str, **options) -> str:
    out = StringIO()
    with translation.override("en"):  # assert on the English msgids
        call_command("create_admin", *args, stdout=out, **options)
    return out.getvalue()


def standard_args(tmp_path, **overrides) -> list[str]:
    values = {
        "--board-slug": "stichting-noord",
        "--board-name": "Stichting Noord",
        "--username": "fb.noord",
        "--email": "FB@Noord.example.nl",
        "--password-file": password_file(tmp_path),
    }
    values.update(overrides)
    return [item for pair in values.items() for item in pair]


@pytest.mark.django_db
def test_creates_board_user_and_membership_from_today(tmp_path):
    with time_machine.travel(LATE_EVENING, tick=False):
        output = create_admin(*standard_args(tmp_path))

    board = Board.objects.get(slug="stichting-noord")
    assert board.name == "Stichting Noord"
    user = User.objects.get(username="fb.noord")
    assert user.email == "fb@noord.example.nl"
    assert user.is_active
    assert not user.is_superuser
    assert not user.is_staff
    assert not user.is_demo
    assert user.check_password(GOOD_PASSWORD)
    (membership,) = Membership.objects.filter(user=user)
    assert membership.board == board
    assert membership.school is None
    assert membership.role == Role.FUNCTIONAL_ADMIN
    assert membership.active_from == dt.date(2026, 11, 23)
    assert membership.active_to is None
    assert "23-11-2026" in output


@pytest.mark.django_db
def test_the_creation_is_audited_without_personal_content(tmp_path):
    with time_machine.travel(LATE_EVENING, tick=False):
        create_admin(*standard_args(tmp_path))
    user = User.objects.get(username="fb.noord")
    (event,) = AuditEvent.objects.filter(action="admin_created")
    assert event.board == Board.objects.get(slug="stichting-noord")
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)
    assert event.actor is None
    assert event.occurred_at == LATE_EVENING
    assert event.summary == {
        "user_id": user.pk,
        "membership_id": Membership.objects.get(user=user).pk,
        "role": "functional_admin",
        "board_created": True,
        "via": "create_admin",
    }
    text = str(event.summary)
    for personal in ("fb.noord", "noord.example.nl", GOOD_PASSWORD):
        assert personal not in text


@pytest.mark.django_db
def test_an_existing_board_is_reused_unchanged(tmp_path):
    board = f.BoardFactory(slug="stichting-noord", name="Stichting Noord (origineel)")
    create_admin(*standard_args(tmp_path, **{"--board-name": "Een andere naam"}))
    assert Board.objects.filter(slug="stichting-noord").count() == 1
    board.refresh_from_db()
    assert board.name == "Stichting Noord (origineel)"
    assert Membership.objects.get(user__username="fb.noord").board == board
    assert AuditEvent.objects.get(action="admin_created").summary["board_created"] is False


@pytest.mark.django_db
def test_a_second_administrator_for_the_same_board(tmp_path):
    create_admin(*standard_args(tmp_path))
    create_admin(
        *standard_args(tmp_path, **{"--username": "fb.tweede", "--email": "tweede@noord.example.nl"})
    )
    assert Board.objects.count() == 1
    assert Membership.objects.filter(role=Role.FUNCTIONAL_ADMIN).count() == 2


@pytest.mark.django_db
def test_refuses_an_existing_username(tmp_path):
    existing = f.UserFactory(username="fb.noord", email="old@noord.example.nl")
    old_hash = existing.password
    with pytest.raises(CommandError, match="already in use"):
        create_admin(*standard_args(tmp_path, **{"--username": "FB.Noord"}))
    existing.refresh_from_db()
    assert existing.password == old_hash
    assert existing.email == "old@noord.example.nl"
    assert not Membership.objects.filter(user=existing).exists()
    assert not Board.objects.filter(slug="stichting-noord").exists()
    assert not AuditEvent.objects.filter(action="admin_created").exists()


@pytest.mark.django_db
def test_refuses_an_e_mail_address_in_use(tmp_path):
    f.UserFactory(username="iemand", email="fb@noord.example.nl")
    with pytest.raises(CommandError, match="e-mail address is already in use"):
        create_admin(*standard_args(tmp_path))
    assert not User.objects.filter(username="fb.noord").exists()
    assert not Board.objects.filter(slug="stichting-noord").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-1", "too short"),
        ("123456789012345", "entirely numeric"),
        ("FB@noord.example.nl", "too similar"),
    ],
)
def test_refuses_a_password_the_validators_refuse(tmp_path, password, message):
    with pytest.raises(CommandError, match=message):
        create_admin(*standard_args(tmp_path, **{"--password-file": password_file(tmp_path, password)}))
    assert not User.objects.exists()
    assert not Board.objects.exists()
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"--email": "geen-adres"}, "not a valid e-mail address"),
        ({"--username": "fb@noord"}, "cannot contain '@'"),
        ({"--board-slug": "Stichting Noord!"}, "board slug"),
        ({"--board-name": "  "}, "A new board needs a name"),
    ],
)
def test_refuses_invalid_input(tmp_path, overrides, message):
    with pytest.raises(CommandError, match=message):
        create_admin(*standard_args(tmp_path, **overrides))
    assert not User.objects.exists()
    assert not Board.objects.exists()


@pytest.mark.django_db
def test_missing_password_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read the password file"):
        create_admin(*standard_args(tmp_path, **{"--password-file": str(tmp_path / "absent")}))
    assert not User.objects.exists()


@pytest.mark.django_db
def test_password_asked_twice(tmp_path, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    prompts = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("lev.web.management.commands.create_admin.getpass.getpass", fake_getpass)
    args = standard_args(tmp_path)
    args = args[: args.index("--password-file")]
    create_admin(*args)
    assert len(prompts) == 2
    assert User.objects.get(username="fb.noord").check_password(GOOD_PASSWORD)


@pytest.mark.django_db
def test_passwords_that_differ_create_nothing(tmp_path, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr(
        "lev.web.management.commands.create_admin.getpass.getpass", lambda prompt="": next(answers)
    )
    args = standard_args(tmp_path)
    args = args[: args.index("--password-file")]
    with pytest.raises(CommandError, match="do not match"):
        create_admin(*args)
    assert not User.objects.exists()
    assert not Board.objects.exists()


@pytest.mark.django_db
def test_the_new_administrator_can_sign_in_and_must_set_up_two_factor(tmp_path, client):
    create_admin(*standard_args(tmp_path))
    response = client.post(
        "/account/inloggen/", {"username": "fb@noord.example.nl", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    start = client.get("/")
    assert start.status_code == 302
    assert start["Location"].startswith("/account/tweestaps/")
