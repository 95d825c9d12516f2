"""Who sees a Meldcode case (issue 7, "Permission matrix"; meldcode/permissions.py) on PostgreSQL.

One case at school A (case manager ib_a) and, where a test needs it, one at school B of another
board (case manager ib_b). Access is per case and read from the database on every call: the case
manager while they hold a case-manager role at the school, the school's director and deputy, the
eindverantwoordelijke, and staff granted the case (guardian, per object). Everyone else gets 404,
and every read, granted or refused, is in the access log. No model-wide permission ever opens a
case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation
from guardian.models import UserObjectPermission

from lev.accounts.models import User
from lev.audit.models import AccessLogEntry, AuditEvent
from lev.deadlines.models import Deadline
from lev.schools.access import build_access_context
from lev.schools.models import Membership, Role
from meldcode import services as s
from meldcode.models import MeldcodeCase
from meldcode.permissions import Basis, access_basis, cases_for, may_open_case, read_case
from tests.conftest import World

from .conftest import NOW, Walk, add_member, open_case, walk_to


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def today() -> dt.date:
    return timezone.localdate()


def ctx_for(user: Any):
    return build_access_context(user, today=today(), active_school_id=None)


def leave_school(user: Any, *, role: str | None = None) -> None:
    """End USER's memberships (of ROLE) at their schools yesterday."""
    rows = Membership.objects.filter(user=user, school__isnull=False)
    if role is not None:
        rows = rows.filter(role=role)
    rows.update(active_to=today() - dt.timedelta(days=1))


@pytest.fixture
def case_a(world: World):
    return open_case(world)


@pytest.fixture
def other_ib(world: World):
    """A second care coordinator of school A who does not manage the case."""
    return add_member(world, "ib_a2", Role.CARE_COORDINATOR)


@pytest.fixture
def ib_b(world: World):
    return add_member(world, "ib_b", Role.CARE_COORDINATOR, school=world.school_b)


@pytest.fixture
def case_b(world: World, ib_b):
    return open_case(world, pupil=world.pupil_b, actor=ib_b, signal_actor=world.teacher_b)


def persona(world: World, name: str, case, request) -> Any:
    """The user NAME stands for, set up as the name says."""
    if name == "final":
        return request.getfixturevalue("final_responsible")
    if name == "final_left":
        user = request.getfixturevalue("final_responsible")
        leave_school(user)
        return user
    if name == "other_ib":
        return request.getfixturevalue("other_ib")
    if name == "ib_b":
        return request.getfixturevalue("ib_b")
    if name.startswith("granted_"):
        user = getattr(world, name.removeprefix("granted_").removesuffix("_left"))
        s.access_grant(case=case, user=user, actor=world.ib_a, now=NOW)
        if name.endswith("_left"):
            leave_school(user)
        return user
    if name == "manager_left":
        leave_school(world.ib_a)
        return world.ib_a
    if name == "manager_now_teacher":
        leave_school(world.ib_a, role=Role.CARE_COORDINATOR)
        Membership.objects.create(
            user=world.ib_a, school=world.school_a, board=world.board, role=Role.TEACHER, active_from=today()
        )
        return world.ib_a
    return getattr(world, name)


# persona, basis on school A's case (None: no access, 404)
MATRIX = [
    ("ib_a", Basis.CASE_MANAGER),
    ("director_a", Basis.SCHOOL_LEAD),
    ("deputy_a", Basis.SCHOOL_LEAD),
    ("final", Basis.FINAL_RESPONSIBLE),
    ("granted_staff_a", Basis.GRANTED),
    ("granted_teacher_a", Basis.GRANTED),
    ("other_ib", None),
    ("teacher_a", None),  # the teacher who signalled
    ("staff_a", None),
    ("confidant_a", None),
    ("board_member", None),
    ("privacy_officer", None),
    ("functional_admin", None),
    ("teacher_b", None),
    ("ib_b", None),  # a care coordinator at another board's school
    ("deactivated", None),
    ("manager_left", None),  # the case manager's membership ended
    ("manager_now_teacher", None),  # still at the school, no longer a care coordinator
    ("final_left", None),
    ("granted_staff_a_left", None),  # a grant ends with the membership
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "basis"), MATRIX)
def test_access_matrix_basis_list_and_read(world, case_a, request, name, basis):
    user = persona(world, name, case_a, request)
    user = User.objects.get(pk=user.pk)  # fresh: no cached permissions
    case_a = MeldcodeCase.objects.get(pk=case_a.pk)  # as a request reads it
    assert access_basis(user, case_a) == basis
    ctx = ctx_for(user)
    assert list(cases_for(ctx)) == ([case_a] if basis else [])
    before = AccessLogEntry.objects.count()
    if basis is None:
        with pytest.raises(Http404):
            read_case(ctx, case_a.pk)
    else:
        found, found_basis = read_case(ctx, case_a.pk)
        assert (found, found_basis) == (case_a, basis)
    entry = AccessLogEntry.objects.order_by("-pk").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.user_id, entry.object_type, entry.object_id, entry.pupil_id) == (
        user.pk,
        "meldcode.meldcodecase",
        str(case_a.pk),
        world.pupil_a.pk,
    )
    assert entry.outcome == ("granted" if basis else "denied")
    if basis:
        assert entry.role == str(basis)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "role"),
    [("teacher_a", "teacher"), ("board_member", "board"), ("teacher_b", ""), ("both", "care_coordinator")],
)
def test_a_refused_read_is_logged_with_one_role(world, case_a, name, role):
    user = getattr(world, name, None)
    if name == "both":  # a care coordinator who also teaches: two roles at the school
        user = add_member(world, "ib_teacher", Role.CARE_COORDINATOR)
        Membership.objects.create(
            user=user,
            school=world.school_a,
            board=world.board,
            role=Role.TEACHER,
            active_from=dt.date(2020, 1, 1),
        )
    with pytest.raises(Http404):
        read_case(ctx_for(user), case_a.pk)
    entry = AccessLogEntry.objects.get(user=user)
    assert (entry.outcome, entry.role, entry.school) == ("denied", role, world.school_a)


@pytest.mark.django_db
def test_a_case_that_does_not_exist_is_404_without_a_log_row(world, case_a):
    with pytest.raises(Http404):
        read_case(ctx_for(world.director_a), case_a.pk + 1000)
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
def test_cases_for_lists_exactly_the_cases_each_persona_may_open(world, case_a, case_b, other_ib, ib_b):
    second_a = open_case(world, pupil=world.pupil_a_other, actor=other_ib)
    expected = {
        world.ib_a: {case_a},
        other_ib: {second_a},
        world.director_a: {case_a, second_a},
        world.deputy_a: {case_a, second_a},
        ib_b: {case_b},
        world.teacher_a: set(),
        world.staff_a: set(),
        world.confidant_a: set(),
        world.board_member: set(),
        world.privacy_officer: set(),
        world.functional_admin: set(),
        world.teacher_b: set(),
    }
    for user, cases in expected.items():
        assert set(cases_for(ctx_for(user))) == cases, user.username
        for case in (case_a, second_a, case_b):
            assert (access_basis(user, case) is not None) == (case in cases), (user.username, case.number)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "may"),
    [
        ("ib_a", True),
        ("director_a", True),
        ("deputy_a", True),
        ("teacher_a", False),
        ("staff_a", False),
        ("confidant_a", False),
        ("board_member", False),
        ("teacher_b", False),
    ],
)
def test_may_open_case(world, name, may):
    assert may_open_case(ctx_for(getattr(world, name))) is may


# --- granting and revoking ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("ib_a", True),  # the case manager
        ("director_a", True),
        ("deputy_a", True),
        ("final", False),
        ("granted_teacher_a", False),
        ("other_ib", False),
        ("confidant_a", False),
        ("board_member", False),
    ],
)
def test_granting_is_for_the_case_manager_and_the_school_leads(world, case_a, request, name, allowed):
    actor = persona(world, name, case_a, request)
    if allowed:
        s.access_grant(case=case_a, user=world.staff_a, actor=actor, now=NOW)
        assert access_basis(world.staff_a, case_a) == Basis.GRANTED
        event = AuditEvent.objects.get(action="meldcode_access_granted", summary__user_id=world.staff_a.pk)
        assert (event.actor, event.board, event.object_id) == (actor, world.board, str(case_a.pk))
        assert event.summary == {"user_id": world.staff_a.pk}
    else:
        with pytest.raises(PermissionDenied):
            s.access_grant(case=case_a, user=world.staff_a, actor=actor, now=NOW)
        assert access_basis(world.staff_a, case_a) is None
    with pytest.raises(PermissionDenied if not allowed else ValidationError):
        s.access_revoke(case=case_a, user=world.confidant_a, actor=actor, now=NOW)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("staff_a", True),
        ("teacher_a", True),
        ("confidant_a", True),
        ("other_ib", True),
        ("teacher_b", False),  # not staff of the school
        ("board_member", False),
        ("privacy_officer", False),
        ("deactivated", False),
        ("director_a", False),  # has access already
        ("ib_a", False),  # the case manager
    ],
)
def test_only_staff_of_the_school_without_access_are_granted(world, case_a, request, name, ok):
    user = persona(world, name, case_a, request)
    call = lambda: s.access_grant(case=case_a, user=user, actor=world.ib_a, now=NOW)  # noqa: E731
    if ok:
        call()
        assert access_basis(user, case_a) == Basis.GRANTED
        assert s.granted_users(case_a) == [user]
    else:
        with pytest.raises(ValidationError) as info:
            call()
        assert list(info.value.message_dict) == ["user"]
        assert not AuditEvent.objects.filter(action="meldcode_access_granted").exists()


@pytest.mark.django_db
def test_revoking_takes_effect_at_once_and_is_audited(world, case_a):
    s.access_grant(case=case_a, user=world.staff_a, actor=world.ib_a, now=NOW)
    with pytest.raises(ValidationError):  # granted already
        s.access_grant(case=case_a, user=world.staff_a, actor=world.director_a, now=NOW)
    ctx = ctx_for(world.staff_a)
    assert read_case(ctx, case_a.pk)[1] == Basis.GRANTED
    s.access_revoke(case=case_a, user=world.staff_a, actor=world.director_a, now=NOW)
    event = AuditEvent.objects.get(action="meldcode_access_revoked")
    assert (event.actor, event.board, event.summary) == (
        world.director_a,
        world.board,
        {"user_id": world.staff_a.pk},
    )
    assert access_basis(world.staff_a, case_a) is None
    assert list(cases_for(ctx_for(world.staff_a))) == []
    with pytest.raises(Http404):
        read_case(ctx_for(world.staff_a), case_a.pk)
    assert s.granted_users(case_a) == []
    with pytest.raises(ValidationError):  # nothing left to revoke
        s.access_revoke(case=case_a, user=world.staff_a, actor=world.ib_a, now=NOW)


@pytest.mark.django_db
def test_a_grant_is_for_one_case_only(world, case_a):
    other = open_case(world, pupil=world.pupil_a_other)
    s.access_grant(case=case_a, user=world.staff_a, actor=world.ib_a, now=NOW)
    assert access_basis(world.staff_a, other) is None
    assert list(cases_for(ctx_for(world.staff_a))) == [case_a]


@pytest.mark.django_db
def test_no_model_wide_permission_exists_and_none_opens_a_case(world, case_a, other_ib):
    s.access_grant(case=case_a, user=world.staff_a, actor=world.ib_a, now=NOW)
    s.access_grant(case=case_a, user=world.teacher_a, actor=world.director_a, now=NOW)
    perm = Permission.objects.get(content_type__app_label="meldcode", codename="access_case")
    # The grants are per object: no user and no group holds the permission model-wide.
    assert not User.objects.filter(user_permissions=perm).exists()
    assert not Group.objects.filter(permissions=perm).exists()
    assert UserObjectPermission.objects.filter(permission=perm, object_pk=str(case_a.pk)).count() == 2
    # The case models have no default add/change/delete/view permissions either.
    assert set(
        Permission.objects.filter(content_type__app_label="meldcode").values_list("codename", flat=True)
    ) == {"access_case"}

    # Given the permission model-wide on purpose (directly, through a group, or as a superuser),
    # a user still opens no case.
    confidant = world.confidant_a
    confidant.user_permissions.add(perm)
    group = Group.objects.create(name="meldcode-iedereen")
    group.permissions.add(perm)
    other_ib.groups.add(group)
    superuser = add_member(world, "super_a", Role.TEACHER)
    superuser.is_superuser = True
    superuser.save()
    for user in (confidant, other_ib, superuser):
        user = User.objects.get(pk=user.pk)
        assert user.has_perm("meldcode.access_case")  # Django itself would say yes
        assert access_basis(user, case_a) is None
        assert list(cases_for(ctx_for(user))) == []
        with pytest.raises(Http404):
            read_case(ctx_for(user), case_a.pk)


# --- handing the case to another case manager -------------------------------------------------------


@pytest.mark.django_db
def test_a_new_case_manager_takes_over_access_and_the_open_deadlines(world, other_ib):
    walk = walk_to(
        Walk(world=world, case=open_case(world), actor=world.ib_a, decider=world.director_a), "melded"
    )
    with pytest.raises(PermissionDenied):  # the director or deputy hands a case over
        s.case_manager_set(case=walk.case, manager=other_ib, actor=world.ib_a, now=NOW)
    with pytest.raises(ValidationError):
        s.case_manager_set(case=walk.case, manager=world.teacher_a, actor=world.director_a, now=NOW)
    s.case_manager_set(case=walk.case, manager=other_ib, actor=world.director_a, now=NOW)
    walk.case.refresh_from_db()
    assert access_basis(other_ib, walk.case) == Basis.CASE_MANAGER
    assert access_basis(world.ib_a, walk.case) is None
    assert list(Deadline.objects.filter(case_id=walk.case.pk).values_list("responsible_user", flat=True)) == [
        other_ib.pk
    ]
    event = AuditEvent.objects.get(action="meldcode_case_manager_changed")
    assert event.summary == {"from": world.ib_a.pk, "to": other_ib.pk}
