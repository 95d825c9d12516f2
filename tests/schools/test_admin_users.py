"""Users: the list with search, creating an account (no password shown; an e-mail link instead),
sending the link again, and deactivation (never one's own account)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext

from lev.accounts.models import User
from lev.audit.models import AuditEvent
from lev.jobs.services import sweep
from lev.schools.admin_selectors import users_for_admin
from lev.schools.models import Membership, Role
from tests import factories as f
from tests.conftest import signed_in_client

BOARD_WIDE = "%(role)s is a board-wide role: it holds for every school of the board. Leave the school empty."
SCHOOL_ROLE = "%(role)s is a role at one school. Choose the school."
USERNAME_TAKEN = "This username is already in use. Choose another one."
EMAIL_TAKEN = "This e-mail address is already in use by another account."
REFUSED_SELF = "You cannot change your own roles or account. Ask another functional administrator to do this."
OTHER_BOARD = (
    "This person also works for another board. End their roles at your board instead; "
    "only deactivate an account that no other board uses."
)


def text(response) -> str:
    return unescape(response.content.decode())


def new_user_data(**overrides) -> dict:
    data = {
        "username": "j.devries",
        "first_name": "Joke",
        "last_name": "de Vries",
        "email": "J.deVries@school.example",
        "role": Role.TEACHER,
        "school": "",
        "active_from": "2026-08-01",
    }
    data.update(overrides)
    return data


# --- The list -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_the_boards_users_with_roles_and_two_factor(world):
    client = signed_in_client(world.functional_admin)  # gives the admin a confirmed TOTP device
    html = text(client.get("/beheer/gebruikers/"))
    for name in ("teacher_a", "director_a", "board_member", "functional_admin", "deactivated"):
        assert name in html
    assert "teacher_b" not in html  # another board's user
    users = {u.username: u for u in users_for_admin([world.board], today=dt.date(2026, 11, 24))}
    assert users["functional_admin"].has_2fa is True
    assert users["teacher_a"].has_2fa is False
    assert [(m.role, m.school_id) for m in users["teacher_a"].current_memberships] == [
        (Role.TEACHER, world.school_a.pk)
    ]


@pytest.mark.django_db
def test_search_by_name_username_or_email(world):
    world.ib_a.first_name, world.ib_a.last_name = "Ineke", "Bosman"
    world.ib_a.save()
    # The personas get random Dutch names; "Bosman" is one of them now and then.
    world.teacher_a.first_name, world.teacher_a.last_name = "Tom", "Jansen"
    world.teacher_a.save()
    client = signed_in_client(world.functional_admin)
    html = text(client.get("/beheer/gebruikers/", {"q": "bosman"}))
    assert "ib_a" in html
    assert "teacher_a" not in html
    html = text(client.get("/beheer/gebruikers/", {"q": "director_a@school"}))
    assert "director_a" in html and "ib_a" not in html


# --- Creating an account --------------------------------------------------------------------


@pytest.mark.django_db
def test_create_a_user_sends_a_password_link_and_shows_no_password(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in_client(world.functional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/gebruikers/nieuw/", new_user_data(school=world.school_a.pk), follow=True
        )
    user = User.objects.get(username="j.devries")
    assert response.redirect_chain[-1][0] == f"/beheer/gebruikers/{user.pk}/"
    assert (user.first_name, user.last_name, user.email) == ("Joke", "de Vries", "j.devries@school.example")
    assert user.is_active
    membership = Membership.objects.get(user=user)
    assert (membership.board, membership.school, membership.role) == (
        world.board,
        world.school_a,
        Role.TEACHER,
    )
    assert membership.active_from == dt.date(2026, 8, 1)
    created = AuditEvent.objects.get(action="user_created")
    assert (created.board, created.object_id) == (world.board, str(user.pk))
    assert "Joke" not in str(created.summary) and "devries" not in str(created.summary)
    granted = AuditEvent.objects.get(action="membership_granted")
    assert granted.summary["privileged"] is False
    # One e-mail, to the new user: a link to choose a password, never a password.
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["j.devries@school.example"]
    assert "j.devries" in mail.body  # the username they sign in with
    assert "password:" not in mail.body.lower()
    # The link is a valid one-time link for exactly this user, on LEV's own address.
    match = re.search(
        re.escape(settings.LEV_BASE_URL.rstrip("/")) + r"(/\S+/)(?P<uid>[^/]+)/(?P<token>[^/]+)/", mail.body
    )
    assert match is not None
    assert urlsafe_base64_decode(match["uid"]).decode() == str(user.pk)
    assert default_token_generator.check_token(user, match["token"])


@pytest.mark.django_db
def test_a_new_director_notifies_the_board_and_the_fg(world, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in_client(world.functional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/gebruikers/nieuw/", new_user_data(role=Role.DIRECTOR, school=world.school_a.pk))
    sweep()  # the board/FG notice is an outbox item: a job worker sends it
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(
        [world.board_member.email, world.privacy_officer.email, "j.devries@school.example"]
    )
    notice = next(m for m in mailoutbox if m.to == [world.board_member.email])
    assert "Joke" not in notice.body and "Vries" not in notice.body and "j.devries" not in notice.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "with_school", "message", "role_label"),
    [
        (Role.BOARD, True, BOARD_WIDE, "Board"),
        (Role.PRIVACY_OFFICER, True, BOARD_WIDE, "Data protection officer"),
        (Role.TEACHER, False, SCHOOL_ROLE, "Teacher"),
        (Role.DIRECTOR, False, SCHOOL_ROLE, "Director"),
    ],
)
def test_the_school_must_match_the_role(world, role, with_school, message, role_label):
    client = signed_in_client(world.functional_admin)
    data = new_user_data(role=role, school=world.school_a.pk if with_school else "")
    response = client.post("/beheer/gebruikers/nieuw/", data)
    assert response.status_code == 200
    assert gettext(message) % {"role": gettext(role_label)} in text(response)
    assert 'value="j.devries"' in text(response)  # nothing typed is lost
    assert not User.objects.filter(username="j.devries").exists()


@pytest.mark.django_db
def test_a_school_of_another_board_cannot_be_chosen(world):
    client = signed_in_client(world.functional_admin)
    response = client.post("/beheer/gebruikers/nieuw/", new_user_data(school=world.school_b.pk))
    assert response.status_code == 200
    assert "lev-field-error" in text(response)
    assert not User.objects.filter(username="j.devries").exists()


@pytest.mark.django_db
def test_username_and_email_must_be_unused(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/gebruikers/nieuw/",
        new_user_data(username="Teacher_A", email="DIRECTOR_A@school.example", school=world.school_a.pk),
    )
    assert gettext(USERNAME_TAKEN) in text(response)
    assert gettext(EMAIL_TAKEN) in text(response)
    assert User.objects.filter(username="teacher_a").count() == 1


@pytest.mark.django_db
def test_the_password_link_can_be_sent_again(world, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in_client(world.functional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/gebruikers/{world.teacher_a.pk}/uitnodigen/")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]
    event = AuditEvent.objects.get(action="user_invitation_sent")
    assert event.summary == {"user_id": world.teacher_a.pk}


# --- Deactivation ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_deactivate_a_user_ends_their_sessions(world):
    teacher_client = signed_in_client(world.teacher_a)
    assert teacher_client.get("/").status_code == 200
    admin = signed_in_client(world.functional_admin)
    assert (
        world.teacher_a.pk
        and admin.get(f"/beheer/gebruikers/{world.teacher_a.pk}/deactiveren/").status_code == 200
    )
    response = admin.post(f"/beheer/gebruikers/{world.teacher_a.pk}/deactiveren/")
    assert response.status_code == 302
    world.teacher_a.refresh_from_db()
    assert world.teacher_a.is_active is False
    assert world.teacher_a.deactivated_at is not None
    event = AuditEvent.objects.get(action="user_deactivated")
    assert (event.actor, event.object_id) == (world.functional_admin, str(world.teacher_a.pk))
    # The teacher's open session is gone: the next request goes to the login page.
    assert teacher_client.get("/").status_code == 302
    assert Session.objects.count() == 1  # only the administrator's


@pytest.mark.django_db
def test_a_person_who_also_works_for_another_board_is_not_deactivated_here(world):
    f.MembershipFactory(user=world.teacher_a, school=world.school_b, board=world.school_b.board)
    admin = signed_in_client(world.functional_admin)
    response = admin.post(f"/beheer/gebruikers/{world.teacher_a.pk}/deactiveren/")
    assert response.status_code == 200
    assert gettext(OTHER_BOARD) in text(response)
    world.teacher_a.refresh_from_db()
    assert world.teacher_a.is_active is True


@pytest.mark.django_db
def test_an_administrator_cannot_deactivate_themselves(world):
    admin = world.functional_admin
    client = signed_in_client(admin)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/beheer/gebruikers/{admin.pk}/deactiveren/")
        assert response.status_code == 403
        assert gettext(REFUSED_SELF) in text(response)
    assert client.post(f"/beheer/gebruikers/{admin.pk}/uitnodigen/").status_code == 403
    admin.refresh_from_db()
    assert admin.is_active is True
    assert admin.deactivated_at is None
    assert not AuditEvent.objects.filter(action__in=["user_deactivated", "user_invitation_sent"]).exists()
