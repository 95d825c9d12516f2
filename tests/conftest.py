"""Personas (ARCHITECTURE.md §7) and helpers shared by the whole suite."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from lev.accounts.models import User
from lev.schools import models as m
from tests import factories as f

PASSWORD = "Correct-Horse-9"

# No hidden timing in property tests; the same examples every run in CI.
hypothesis_settings.register_profile(
    "lev", deadline=None, derandomize=os.environ.get("CI") == "true", max_examples=200, print_blob=True
)
hypothesis_settings.load_profile("lev")


@dataclass
class World:
    board: m.Board
    school_a: m.School
    school_b: m.School
    group_a: m.SchoolGroup
    group_a2: m.SchoolGroup
    group_b: m.SchoolGroup
    pupil_a: m.Pupil  # in group_a, taught by teacher_a
    pupil_a_other: m.Pupil  # in group_a2, not taught by teacher_a
    pupil_b: m.Pupil  # at school B
    personas: dict[str, User]

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["personas"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


SCHOOL_PERSONAS = {
    "teacher_a": m.Role.TEACHER,
    "staff_a": m.Role.STAFF,
    "ib_a": m.Role.CARE_COORDINATOR,
    "director_a": m.Role.DIRECTOR,
    "deputy_a": m.Role.DEPUTY_DIRECTOR,
    "confidant_a": m.Role.CONFIDANT,
}
BOARD_PERSONAS = {
    "board_member": m.Role.BOARD,
    "privacy_officer": m.Role.PRIVACY_OFFICER,
    "functional_admin": m.Role.FUNCTIONAL_ADMIN,
}


def make_world() -> World:
    board = f.BoardFactory(name="Stichting Test", slug="stichting-test")
    other_board = f.BoardFactory(name="Stichting Anders", slug="stichting-anders")
    school_a = f.SchoolFactory(board=board, name="De Regenboog", brin="11AA")
    school_b = f.SchoolFactory(board=other_board, name="De Vuurtoren", brin="22BB")
    group_a = f.GroupFactory(school=school_a, name="5a", grades=[5])
    group_a2 = f.GroupFactory(school=school_a, name="6a", grades=[6])
    group_b = f.GroupFactory(school=school_b, name="5b", grades=[5])
    pupil_a = f.PupilFactory(school=school_a, roepnaam="Anna", achternaam="Jansen")
    pupil_a_other = f.PupilFactory(school=school_a, roepnaam="Bram", achternaam="de Vries")
    pupil_b = f.PupilFactory(school=school_b, roepnaam="Cees", achternaam="Bakker")
    f.place(pupil_a, group_a)
    f.place(pupil_a_other, group_a2)
    f.place(pupil_b, group_b)
    personas: dict[str, User] = {}
    for name, role in SCHOOL_PERSONAS.items():
        user = f.UserFactory(username=name)
        f.MembershipFactory(user=user, school=school_a, board=board, role=role)
        personas[name] = user
    for name, role in BOARD_PERSONAS.items():
        user = f.UserFactory(username=name)
        f.MembershipFactory(user=user, school=None, board=board, role=role)
        personas[name] = user
    outsider = f.UserFactory(username="teacher_b")
    f.MembershipFactory(user=outsider, school=school_b, board=other_board, role=m.Role.TEACHER)
    personas["teacher_b"] = outsider
    group_a.teachers.add(personas["teacher_a"])
    group_b.teachers.add(outsider)
    deactivated = f.UserFactory(username="deactivated", is_active=False)
    f.MembershipFactory(user=deactivated, school=school_a, board=board, role=m.Role.TEACHER)
    personas["deactivated"] = deactivated
    return World(
        board=board,
        school_a=school_a,
        school_b=school_b,
        group_a=group_a,
        group_a2=group_a2,
        group_b=group_b,
        pupil_a=pupil_a,
        pupil_a_other=pupil_a_other,
        pupil_b=pupil_b,
        personas=personas,
    )


@pytest.fixture
def world(db) -> World:
    return make_world()


def confirmed_totp(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="LEV", confirmed=True)


def signed_in_client(user: User, *, verified: bool = True, enforce_csrf: bool = False) -> Client:
    """A client whose session is logged in (and past the second factor when `verified`)."""
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    if verified:
        device = confirmed_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for():
    return signed_in_client


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 24)


def pytest_report_header(config):
    """The browser and driver versions the browser tests run with (ARCHITECTURE.md §7)."""
    import importlib.metadata
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        version = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = "not installed"
    return [
        f"browser tests: {version or 'chromium: unknown'}; Playwright {importlib.metadata.version('playwright')}"
    ]
