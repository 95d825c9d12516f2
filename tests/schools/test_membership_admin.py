"""Memberships: granting and ending roles, the privileged-grant notice, the school/role rule,
per-object grants, and the rule that an administrator never changes their own memberships.

The clock stands still on Tuesday 24 November 2026, so every date below is worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from lev.audit.models import AuditEvent
from lev.jobs.services import sweep
from lev.schools.models import Membership, Role, SocialMapEntry, SocialMapKind
from lev.schools.permissions import grant_object, has_object_grant
from lev.schools.services import (
    OBJECT_GRANT_REGISTRY,
    GrantedModel,
    SelfAdministrationRefused,
    grants_revoke_for_membership_end,
    membership_end,
    membership_grant,
    notify_privileged_grant,
)
from tests import factories as f
from tests.conftest import signed_in_client
from tests.i18n_helpers import t

TODAY = dt.date(2026, 11, 24)
BOARD_WIDE = "%(role)s is a board-wide role: it holds for every school of the board. Leave the school empty."
SCHOOL_ROLE = "%(role)s is a role at one school. Choose the school."
DUPLICATE = "This person already holds this role here for (part of) that period."
BEFORE_START = "This role starts on %(start)s. The last day cannot lie before the first day."
REFUSED_SELF = "You cannot change your own roles or account. Ask another functional administrator to do this."
NOTICE = "A privileged role was granted in LEV (board %(board)s). See the audit log."


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(
        dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    ):
        yield


def text(response) -> str:
    return unescape(response.content.decode())


def role_rows() -> list[tuple]:
    return sorted(
        Membership.objects.values_list("pk", "user_id", "role", "school_id", "active_from", "active_to")
    )


def test_the_clock_is_frozen():
    assert timezone.localdate() == TODAY


# --- Granting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_grant_a_teacher_role_is_audited_and_not_notified(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    person = world.staff_a
    client = signed_in_client(world.functional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/beheer/gebruikers/{person.pk}/rollen/nieuw/",
            {"role": Role.TEACHER, "school": world.school_a.pk, "active_from": "2026-11-24"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, role=Role.TEACHER)
    assert (membership.school, membership.board, membership.active_from) == (
        world.school_a,
        world.board,
        TODAY,
    )
    event = AuditEvent.objects.get(action="membership_granted")
    assert event.summary == {
        "membership_id": membership.pk,
        "user_id": person.pk,
        "role": "teacher",
        "school_id": world.school_a.pk,
        "active_from": "2026-11-24",
        "privileged": False,
    }
    assert (event.actor, event.board) == (world.functional_admin, world.board)
    assert mailoutbox == []
    # The new role counts on the very next request: staff_a now has the pupil list.
    assert signed_in_client(person).get("/leerlingen/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "school"),
    [
        (Role.DIRECTOR, True),
        (Role.DEPUTY_DIRECTOR, True),
        (Role.CARE_COORDINATOR, True),
        (Role.CONFIDANT, True),
        (Role.BOARD, False),
        (Role.PRIVACY_OFFICER, False),
    ],
)
def test_a_privileged_grant_is_audited_and_mailed_to_the_board_and_the_fg_without_names(
    world, mailoutbox, django_capture_on_commit_callbacks, role, school
):
    person = world.teacher_a
    person.first_name, person.last_name = "Anneke", "Zwart"
    person.save()
    # Who must not be told: an inactive board member, and the FG of another board.
    gone = f.UserFactory(username="oud_bestuurder", is_active=False)
    f.MembershipFactory(user=gone, school=None, board=world.board, role=Role.BOARD)
    elsewhere = f.UserFactory(username="fg_elders")
    f.MembershipFactory(user=elsewhere, school=None, board=world.school_b.board, role=Role.PRIVACY_OFFICER)
    ended = f.UserFactory(username="fg_vroeger")
    f.MembershipFactory(
        user=ended, school=None, board=world.board, role=Role.PRIVACY_OFFICER, active_to=dt.date(2026, 11, 23)
    )

    client = signed_in_client(world.functional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/beheer/gebruikers/{person.pk}/rollen/nieuw/",
            {"role": role, "school": world.school_a.pk if school else "", "active_from": "2026-11-24"},
        )
    assert response.status_code == 302
    sweep()  # the notice is an outbox item: a job worker sends it
    membership = Membership.objects.get(user=person, role=role)
    event = AuditEvent.objects.get(action="membership_granted")
    assert event.summary["privileged"] is True
    assert (event.summary["role"], event.summary["user_id"]) == (role, person.pk)
    assert event.summary["school_id"] == (world.school_a.pk if school else None)
    assert event.object_id == str(membership.pk)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.board_member.email, world.privacy_officer.email]
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    expected = t(NOTICE, board="Stichting Test") + "\n\nhttp://localhost:8000/"
    for mail in mailoutbox:
        assert mail.body == expected
        for name in ("Anneke", "Zwart", person.username, person.email, "De Regenboog"):
            assert name not in mail.body
            assert name not in mail.subject


@pytest.mark.django_db
def test_notify_takes_an_id_and_ignores_a_missing_membership(world, mailoutbox):
    membership = Membership.objects.get(user=world.director_a)
    assert notify_privileged_grant(membership.pk) == 2
    assert notify_privileged_grant(999999) == 0
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_no_mail_is_sent_when_the_grant_is_rolled_back(world, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in_client(world.functional_admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/beheer/gebruikers/{world.director_a.pk}/rollen/nieuw/",
            {"role": Role.DIRECTOR, "school": world.school_a.pk, "active_from": "2026-11-24"},
        )
    assert response.status_code == 200  # already director there: refused
    assert t(DUPLICATE) in text(response)
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "with_school", "message", "label"),
    [
        (Role.BOARD, True, BOARD_WIDE, "Board"),
        (Role.FUNCTIONAL_ADMIN, True, BOARD_WIDE, "Functional administrator"),
        (Role.CONFIDANT, False, SCHOOL_ROLE, "Confidential counsellor"),
        (Role.STAFF, False, SCHOOL_ROLE, "Staff member without a group"),
    ],
)
def test_the_school_must_match_the_role(world, role, with_school, message, label):
    before = role_rows()
    client = signed_in_client(world.functional_admin)
    response = client.post(
        f"/beheer/gebruikers/{world.teacher_a.pk}/rollen/nieuw/",
        {"role": role, "school": world.school_a.pk if with_school else "", "active_from": "2026-11-24"},
    )
    assert response.status_code == 200
    html = text(response)
    assert t(message, role=t(label)) in html
    assert 'id="id_school_error"' in html  # next to the school field
    assert role_rows() == before


@pytest.mark.django_db
def test_the_service_enforces_the_same_rule(world):
    with pytest.raises(ValidationError) as raised:
        membership_grant(
            user=world.teacher_a,
            board=world.board,
            role=Role.PRIVACY_OFFICER,
            school=world.school_a,
            active_from=TODAY,
            actor=world.functional_admin,
            now=timezone.now(),
        )
    assert "school" in raised.value.error_dict
    with pytest.raises(ValidationError):
        membership_grant(
            user=world.teacher_a,
            board=world.board,
            role=Role.TEACHER,
            school=world.school_b,  # another board's school
            active_from=TODAY,
            actor=world.functional_admin,
            now=timezone.now(),
        )
    assert not AuditEvent.objects.exists()


# --- Ending ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_end_a_role_takes_effect_on_the_next_request(world):
    director = world.director_a
    director_client = signed_in_client(director)
    assert director_client.get("/leerlingen/").status_code == 200
    membership = Membership.objects.get(user=director)
    client = signed_in_client(world.functional_admin)
    page = text(client.get(f"/beheer/rollen/{membership.pk}/beeindigen/"))
    assert 'value="2026-11-23"' in page  # the default last day: yesterday, so access stops at once
    response = client.post(f"/beheer/rollen/{membership.pk}/beeindigen/", {"active_to": "2026-11-23"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.active_to == dt.date(2026, 11, 23)
    event = AuditEvent.objects.get(action="membership_ended")
    assert event.summary == {
        "membership_id": membership.pk,
        "user_id": director.pk,
        "role": "director",
        "school_id": world.school_a.pk,
        "active_to": "2026-11-23",
        "previous_active_to": None,
        "grants_revoked": 0,
    }
    # The same session, next request: no role at the school any more.
    assert director_client.get("/leerlingen/").status_code == 404


@pytest.mark.django_db
def test_a_role_ending_today_lasts_until_the_end_of_the_day(world):
    membership = Membership.objects.get(user=world.director_a)
    client = signed_in_client(world.functional_admin)
    client.post(f"/beheer/rollen/{membership.pk}/beeindigen/", {"active_to": "2026-11-24"})
    assert signed_in_client(world.director_a).get("/leerlingen/").status_code == 200
    with time_machine.travel(
        dt.datetime(2026, 11, 25, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    ):
        assert signed_in_client(world.director_a).get("/leerlingen/").status_code == 404


@pytest.mark.django_db
def test_the_last_day_cannot_lie_before_the_first(world):
    membership = Membership.objects.get(user=world.teacher_a)  # active from 01-01-2020
    client = signed_in_client(world.functional_admin)
    response = client.post(f"/beheer/rollen/{membership.pk}/beeindigen/", {"active_to": "2019-12-31"})
    assert response.status_code == 200
    assert t(BEFORE_START, start="01-01-2020") in text(response)
    membership.refresh_from_db()
    assert membership.active_to is None
    assert not AuditEvent.objects.filter(action="membership_ended").exists()


@pytest.mark.django_db
def test_a_role_that_has_ended_cannot_be_ended_again(world):
    membership = Membership.objects.get(user=world.teacher_a)
    membership.active_to = dt.date(2026, 7, 31)
    membership.save()
    with pytest.raises(ValidationError) as raised:
        membership_end(
            membership=membership,
            active_to=dt.date(2026, 11, 30),
            actor=world.functional_admin,
            now=timezone.now(),
        )
    assert raised.value.code == "ended"
    assert raised.value.messages == [t("This role has already ended.")]
    membership.refresh_from_db()
    assert membership.active_to == dt.date(2026, 7, 31)


# --- Never one's own memberships ------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_cannot_grant_themselves_a_role(world):
    admin = world.functional_admin
    before = role_rows()
    client = signed_in_client(admin)
    url = f"/beheer/gebruikers/{admin.pk}/rollen/nieuw/"
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"role": Role.DIRECTOR, "school": world.school_a.pk, "active_from": "2026-11-24"}
    )
    assert response.status_code == 403
    assert t(REFUSED_SELF) in text(response)
    assert role_rows() == before
    assert not AuditEvent.objects.filter(action="membership_granted").exists()


@pytest.mark.django_db
def test_an_administrator_cannot_end_or_change_their_own_role(world):
    admin = world.functional_admin
    own = Membership.objects.get(user=admin)
    before = role_rows()
    client = signed_in_client(admin)
    url = f"/beheer/rollen/{own.pk}/beeindigen/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"active_to": "2026-11-23"})
    assert response.status_code == 403
    assert t(REFUSED_SELF) in text(response)
    assert role_rows() == before
    own.refresh_from_db()
    assert own.active_to is None
    assert not AuditEvent.objects.filter(action="membership_ended").exists()
    # The detail page of one's own account offers no role actions at all.
    page = text(client.get(f"/beheer/gebruikers/{admin.pk}/"))
    assert f"/beheer/gebruikers/{admin.pk}/rollen/nieuw/" not in page
    assert url not in page


@pytest.mark.django_db
def test_a_second_administrator_may_change_the_first_ones_roles(world):
    second = f.UserFactory(username="tweede_beheerder")
    f.MembershipFactory(user=second, school=None, board=world.board, role=Role.FUNCTIONAL_ADMIN)
    own = Membership.objects.get(user=world.functional_admin)
    response = signed_in_client(second).post(
        f"/beheer/rollen/{own.pk}/beeindigen/", {"active_to": "2026-11-23"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.active_to == dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_the_services_refuse_self_administration_too(world):
    admin = world.functional_admin
    with pytest.raises(SelfAdministrationRefused):
        membership_grant(
            user=admin,
            board=world.board,
            role=Role.BOARD,
            school=None,
            active_from=TODAY,
            actor=admin,
            now=timezone.now(),
        )
    with pytest.raises(SelfAdministrationRefused):
        membership_end(
            membership=Membership.objects.get(user=admin),
            active_to=TODAY,
            actor=admin,
            now=timezone.now(),
        )
    assert list(Membership.objects.filter(user=admin).values_list("role", "active_to")) == [
        ("functional_admin", None)
    ]


# --- Per-object grants ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_registry_holds_the_meldcode_case_and_nothing_else(world):
    from meldcode.models import MeldcodeCase

    assert [(entry.model, entry.perms) for entry in OBJECT_GRANT_REGISTRY] == [
        (MeldcodeCase, ("meldcode.access_case",))
    ]
    membership = Membership.objects.get(user=world.teacher_a)
    assert grants_revoke_for_membership_end(membership=membership, day=TODAY) == 0


@pytest.mark.django_db
def test_grants_at_the_school_are_revoked_when_the_membership_ends(world):
    entry_a = SocialMapEntry.objects.create(
        board=world.board, school=world.school_a, kind=SocialMapKind.GGD, organisation="GGD"
    )
    registry = [GrantedModel(SocialMapEntry, ("schools.change_socialmapentry",))]
    teacher = world.teacher_a
    grant_object(teacher, "schools.change_socialmapentry", entry_a)
    membership = Membership.objects.get(user=teacher)

    # While another membership at the same school stays, the grant stays.
    extra = f.MembershipFactory(user=teacher, school=world.school_a, board=world.board, role=Role.STAFF)
    membership.active_to = dt.date(2026, 11, 23)
    assert grants_revoke_for_membership_end(membership=membership, day=TODAY, registry=registry) == 0
    assert has_object_grant(teacher, "schools.change_socialmapentry", entry_a)

    extra.delete()
    assert grants_revoke_for_membership_end(membership=membership, day=TODAY, registry=registry) == 1
    assert not has_object_grant(teacher, "schools.change_socialmapentry", entry_a)
