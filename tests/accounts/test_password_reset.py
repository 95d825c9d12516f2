"""Password reset by e-mail: no account oracle, one-time links, no sign-in afterwards (so the second
factor is never skipped) and every session of the account ended."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from lev.accounts.models import User
from lev.audit.models import AuditEvent
from tests.conftest import PASSWORD, confirmed_totp, signed_in_client

from .helpers import LOGIN_URL, VERIFY_URL, redirect_path, sign_in, signed_in

pytestmark = pytest.mark.django_db

RESET_URL = "/account/wachtwoord/vergeten/"
DONE_URL = "/account/wachtwoord/vergeten/verstuurd/"
COMPLETE_URL = "/account/wachtwoord/hersteld/"
NEW_PASSWORD = "Zomer-Fiets-Lantaarn-42"
LINK = re.compile(r"(/account/wachtwoord/herstellen/[^/\s]+/[^/\s]+/)")


def request_link(client: Client, email: str):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR="192.0.2.10")


def link_path(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def choose_password(client: Client, path: str, password: str = NEW_PASSWORD):
    """Open the e-mailed link (which moves the token into the session) and choose a password."""
    opened = client.get(path)
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert form_url.endswith("/set-password/")
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_reset_pages_are_public():
    client = Client()
    assert client.get(RESET_URL).status_code == 200
    assert client.get(DONE_URL).status_code == 200
    assert client.get(COMPLETE_URL).status_code == 200


def test_a_known_address_gets_a_link_and_an_audit_row_with_the_id_only(world):
    response = request_link(Client(), "  Teacher_A@School.Example ")
    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["teacher_a@school.example"]
    assert settings.LEV_BASE_URL.rstrip("/") + link_path(message) in message.body
    assert PASSWORD not in message.body
    event = AuditEvent.objects.get(action="password_reset_requested")
    assert event.object_id == str(world.teacher_a.pk)
    assert event.actor is None
    assert event.summary == {}


def test_an_unknown_address_gets_the_same_answer_and_leaves_no_trace(world):
    known = request_link(Client(), "teacher_a@school.example")
    mail.outbox.clear()
    unknown = request_link(Client(), "nobody-here@school.example")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="password_reset_requested").count() == 1
    assert not any("nobody-here" in str(e.summary) + e.object_id for e in AuditEvent.objects.all())
    # The page after the request is the same page for both.
    page = Client().get(unknown["Location"])
    assert page.status_code == 200


def test_a_deactivated_account_gets_no_link(world):
    response = request_link(Client(), "deactivated@school.example")
    assert response["Location"] == DONE_URL
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="password_reset_requested").exists()


def test_reset_sets_the_password_signs_nobody_in_and_ends_every_session(world):
    teacher = world.teacher_a
    elsewhere = signed_in_client(teacher)  # e.g. a forgotten session on the staff-room computer
    assert elsewhere.get("/").status_code == 200
    request_link(Client(), teacher.email)
    path = link_path(mail.outbox[0])

    browser = Client()
    response = choose_password(browser, path)
    assert response.status_code == 302
    assert response["Location"] == COMPLETE_URL
    assert "_auth_user_id" not in browser.session

    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    # The other session is gone: its next request goes to the login page.
    assert redirect_path(elsewhere.get("/")) == LOGIN_URL
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()
    event = AuditEvent.objects.get(action="password_reset_completed")
    assert event.object_id == str(teacher.pk)
    assert event.summary == {"sessions_ended": 1}


def test_reset_does_not_skip_the_second_factor(world):
    confirmed_totp(world.teacher_a)
    request_link(Client(), world.teacher_a.email)
    choose_password(Client(), link_path(mail.outbox[0]))
    browser = Client()
    assert signed_in(sign_in(browser, "teacher_a", NEW_PASSWORD))
    assert redirect_path(browser.get("/")) == VERIFY_URL
    assert not sign_in(Client(), "teacher_a", PASSWORD).wsgi_request.user.is_authenticated


@pytest.mark.parametrize("verified", [False, True], ids=["unverified", "verified"])
def test_resetting_in_a_signed_in_browser_signs_that_browser_out(world, verified):
    browser = signed_in_client(world.teacher_a, verified=verified)
    request_link(browser, world.teacher_a.email)
    response = choose_password(browser, link_path(mail.outbox[0]))
    assert response["Location"] == COMPLETE_URL
    assert "_auth_user_id" not in browser.session
    assert redirect_path(browser.get("/")) == LOGIN_URL


def test_a_link_works_once(world):
    request_link(Client(), world.teacher_a.email)
    path = link_path(mail.outbox[0])
    choose_password(Client(), path)
    again = Client().get(path)
    assert again.status_code == 200
    assert again.context["validlink"] is False


def test_a_forged_link_changes_nothing(world):
    teacher = world.teacher_a
    request_link(Client(), teacher.email)
    uid = link_path(mail.outbox[0]).split("/")[4]
    response = Client().get(f"/account/wachtwoord/herstellen/{uid}/abc-0123456789abcdef/")
    assert response.status_code == 200
    assert response.context["validlink"] is False
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password_reset_completed").exists()


def test_a_weak_new_password_is_refused_next_to_the_field(world):
    request_link(Client(), world.teacher_a.email)
    response = choose_password(Client(), link_path(mail.outbox[0]), password="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert User.objects.get(pk=world.teacher_a.pk).check_password(PASSWORD)
