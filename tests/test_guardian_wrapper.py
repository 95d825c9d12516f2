"""django-guardian only through the one wrapper, and never through model-wide permissions.

SECURITY.md pitfalls 1 and 4: `get_objects_for_user` with its defaults hands a user with a global
permission every object of every school, and guardian's post-migrate signal creates an
"AnonymousUser" account unless ANONYMOUS_USER_NAME is None.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import get_objects_for_user

from lev.accounts.models import User
from lev.schools.models import Pupil
from lev.schools.permissions import grant_object, has_object_grant, objects_granted, revoke_object
from tests import factories as f

LEV = Path(__file__).resolve().parent.parent / "lev"
WRAPPER = LEV / "schools" / "permissions.py"


def guardian_imports(source: Path) -> list[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "guardian"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "guardian":
                found.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"__import__", "import_module"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).split(".")[0] == "guardian"
        ):
            found.append(str(node.args[0].value))
    return found


def test_the_walk_finds_the_wrapper_import():
    # Proves the walker sees imports at all.
    assert "guardian.shortcuts" in guardian_imports(WRAPPER)


def test_no_module_other_than_the_wrapper_imports_guardian():
    offenders = {
        str(path.relative_to(LEV.parent)): imports
        for path in sorted(LEV.rglob("*.py"))
        if path != WRAPPER and (imports := guardian_imports(path))
    }
    assert offenders == {}


@pytest.mark.django_db
def test_no_model_wide_permission_after_migrate():
    assert User.user_permissions.through.objects.count() == 0
    assert Group.permissions.through.objects.count() == 0


@pytest.mark.django_db
def test_no_model_wide_permission_for_any_persona(world):
    assert User.user_permissions.through.objects.count() == 0
    assert Group.permissions.through.objects.count() == 0
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.mark.django_db
def test_no_anonymous_user_account():
    assert settings.ANONYMOUS_USER_NAME is None
    assert not User.objects.filter(username__iexact="anonymoususer").exists()
    assert User.objects.count() == 0  # a freshly migrated database holds no account at all


@pytest.fixture
def pupils(world):
    extra = f.PupilFactory(school=world.school_b, roepnaam="Dirk", achternaam="Smit")
    return [world.pupil_a, world.pupil_a_other, world.pupil_b, extra]


@pytest.mark.django_db
def test_wrapper_ignores_a_model_wide_permission(world, pupils):
    user = world.teacher_a
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="schools", codename="view_pupil")
    )
    granted = world.pupil_a_other
    grant_object(user, "schools.view_pupil", granted)
    user = User.objects.get(pk=user.pk)  # a fresh object: no cached permissions

    # The pitfall is real: guardian's defaults return every pupil of every school.
    assert get_objects_for_user(user, "schools.view_pupil", klass=Pupil).count() == len(pupils)

    # The wrapper returns exactly the one granted pupil.
    assert list(objects_granted(user, "schools.view_pupil", Pupil.objects.all())) == [granted]
    assert has_object_grant(user, "schools.view_pupil", granted)
    assert not has_object_grant(user, "schools.view_pupil", world.pupil_a)
    assert not has_object_grant(user, "schools.view_pupil", world.pupil_b)


@pytest.mark.django_db
def test_wrapper_gives_a_superuser_nothing_without_a_grant(world, pupils):
    boss = f.UserFactory(username="root-like", is_superuser=True)
    assert list(objects_granted(boss, "schools.view_pupil", Pupil.objects.all())) == []


@pytest.mark.django_db
def test_wrapper_ignores_group_grants(world, pupils):
    from guardian.shortcuts import assign_perm

    group = Group.objects.create(name="zorgteam")
    world.ib_a.groups.add(group)
    assign_perm("schools.view_pupil", group, world.pupil_a)
    assert list(objects_granted(world.ib_a, "schools.view_pupil", Pupil.objects.all())) == []


@pytest.mark.django_db
def test_revoked_grant_is_gone(world, pupils):
    user = world.teacher_a
    grant_object(user, "schools.view_pupil", world.pupil_a_other)
    revoke_object(user, "schools.view_pupil", world.pupil_a_other)
    assert list(objects_granted(user, "schools.view_pupil", Pupil.objects.all())) == []


@pytest.mark.django_db
def test_wrapper_respects_the_queryset_it_is_given(world, pupils):
    user = world.teacher_a
    grant_object(user, "schools.view_pupil", world.pupil_a_other)
    grant_object(user, "schools.view_pupil", world.pupil_b)
    own_school = Pupil.objects.filter(school=world.school_a)
    assert list(objects_granted(user, "schools.view_pupil", own_school)) == [world.pupil_a_other]
