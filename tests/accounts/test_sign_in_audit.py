"""Audit rows for signing in, failing to sign in and signing out."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lev.accounts.models import UserSession
from lev.audit.models import AuditEvent
from tests.conftest import PASSWORD

from .helpers import LOGIN_URL, SCHOOL_NAT, redirect_path, sign_in, signed_in

pytestmark = pytest.mark.django_db


def everything_audited() -> str:
    return json.dumps([[e.action, e.object_type, e.object_id, e.summary] for e in AuditEvent.objects.all()])


def test_a_sign_in_is_audited_with_the_address(world):
    client = Client()
    assert signed_in(sign_in(client, "Teacher_A@School.Example", PASSWORD))
    event = AuditEvent.objects.get(action="login")
    assert event.actor == world.teacher_a
    assert event.object_id == str(world.teacher_a.pk)
    assert event.ip_address == SCHOOL_NAT
    assert UserSession.objects.filter(user=world.teacher_a, session_key=client.session.session_key).exists()


def test_a_failed_sign_in_of_a_known_account_names_the_account_by_id(world):
    sign_in(Client(), "teacher_a", "Wrong-Password-1")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert event.object_id == str(world.teacher_a.pk)
    assert event.summary == {"known_account": True}
    assert event.ip_address == SCHOOL_NAT
    assert "Wrong-Password-1" not in everything_audited()


@pytest.mark.parametrize("typed", ["ghost.account@school.example", "Zonnebloem-Geheim-77"])
def test_a_failed_sign_in_of_an_unknown_login_stores_nothing_typed(world, typed):
    """The second case is a password typed into the login field by mistake."""
    sign_in(Client(), typed, "Whatever-Password-1")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.object_id == ""
    assert event.summary == {"known_account": False}
    audited = everything_audited().lower()
    assert typed.lower() not in audited
    assert "whatever-password-1" not in audited


def test_signing_out_is_audited_and_forgets_the_session(world):
    client = Client()
    sign_in(client, "teacher_a", PASSWORD)
    key = client.session.session_key
    assert redirect_path(client.post("/account/uitloggen/")) == LOGIN_URL
    event = AuditEvent.objects.get(action="logout")
    assert event.actor == world.teacher_a
    assert not UserSession.objects.filter(session_key=key).exists()
    assert [e.action for e in AuditEvent.objects.order_by("sequence")] == ["login", "logout"]


def test_signing_out_needs_a_post(world):
    client = Client()
    sign_in(client, "teacher_a", PASSWORD)
    assert client.get("/account/uitloggen/").status_code == 405
    assert not AuditEvent.objects.filter(action="logout").exists()
