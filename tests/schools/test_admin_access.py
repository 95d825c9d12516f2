"""Who may use the functional administrator's pages.

Only the functional administrator of the board: every other role of the same board gets 403,
another board's objects (and missing ones) answer 404, anonymous users go to the login page, and
every POST without a CSRF token is refused without changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings

from lev.accounts.models import User
from lev.audit.models import AuditEvent
from lev.schools.models import Membership, School, SchoolGroup, SchoolYear, SocialMapEntry, SocialMapKind
from tests.conftest import World, signed_in_client

OTHER_ROLES = [
    "teacher_a",
    "staff_a",
    "ib_a",
    "director_a",
    "deputy_a",
    "confidant_a",
    "board_member",
    "privacy_officer",
    "teacher_b",
]
CSRF_TOKEN = "k" * 32


@dataclass
class Page:
    name: str
    own: str
    other: str | None  # the same page for an object of another board (None: no object in the URL)
    get: bool = True
    post: bool = True


def pages(world: World) -> list[Page]:
    own_year = world.group_a.school_year
    other_year = world.group_b.school_year
    own_m = Membership.objects.get(user=world.teacher_a)
    other_m = Membership.objects.get(user=world.teacher_b)
    own_entry = SocialMapEntry.objects.get(school=world.school_a)
    other_entry = SocialMapEntry.objects.get(school=world.school_b)
    return [
        Page("school_list", "/beheer/scholen/", None, post=False),
        Page("school_create", "/beheer/scholen/nieuw/", None),
        Page("school_edit", f"/beheer/scholen/{world.school_a.pk}/", f"/beheer/scholen/{world.school_b.pk}/"),
        Page("year_list", "/beheer/schooljaren/", None, post=False),
        Page("year_create", "/beheer/schooljaren/nieuw/", None),
        Page(
            "year_detail",
            f"/beheer/schooljaren/{own_year.pk}/",
            f"/beheer/schooljaren/{other_year.pk}/",
            post=False,
        ),
        Page(
            "group_create",
            f"/beheer/schooljaren/{own_year.pk}/scholen/{world.school_a.pk}/groepen/nieuw/",
            f"/beheer/schooljaren/{other_year.pk}/scholen/{world.school_b.pk}/groepen/nieuw/",
        ),
        Page("group_edit", f"/beheer/groepen/{world.group_a.pk}/", f"/beheer/groepen/{world.group_b.pk}/"),
        Page("user_list", "/beheer/gebruikers/", None, post=False),
        Page("user_create", "/beheer/gebruikers/nieuw/", None),
        Page(
            "user_detail",
            f"/beheer/gebruikers/{world.teacher_a.pk}/",
            f"/beheer/gebruikers/{world.teacher_b.pk}/",
            post=False,
        ),
        Page(
            "user_invite",
            f"/beheer/gebruikers/{world.teacher_a.pk}/uitnodigen/",
            f"/beheer/gebruikers/{world.teacher_b.pk}/uitnodigen/",
            get=False,
        ),
        Page(
            "user_deactivate",
            f"/beheer/gebruikers/{world.teacher_a.pk}/deactiveren/",
            f"/beheer/gebruikers/{world.teacher_b.pk}/deactiveren/",
        ),
        Page(
            "membership_create",
            f"/beheer/gebruikers/{world.teacher_a.pk}/rollen/nieuw/",
            f"/beheer/gebruikers/{world.teacher_b.pk}/rollen/nieuw/",
        ),
        Page(
            "membership_end",
            f"/beheer/rollen/{own_m.pk}/beeindigen/",
            f"/beheer/rollen/{other_m.pk}/beeindigen/",
        ),
        Page("social_map", "/beheer/sociale-kaart/", None, post=False),
        Page(
            "social_map_school",
            f"/beheer/sociale-kaart/scholen/{world.school_a.pk}/",
            f"/beheer/sociale-kaart/scholen/{world.school_b.pk}/",
            post=False,
        ),
        Page(
            "social_map_create",
            f"/beheer/sociale-kaart/scholen/{world.school_a.pk}/nieuw/",
            f"/beheer/sociale-kaart/scholen/{world.school_b.pk}/nieuw/",
        ),
        Page(
            "social_map_edit",
            f"/beheer/sociale-kaart/{own_entry.pk}/",
            f"/beheer/sociale-kaart/{other_entry.pk}/",
        ),
        Page(
            "social_map_delete",
            f"/beheer/sociale-kaart/{own_entry.pk}/verwijderen/",
            f"/beheer/sociale-kaart/{other_entry.pk}/verwijderen/",
        ),
    ]


@pytest.fixture
def admin_world(world: World) -> World:
    for school, org in ((world.school_a, "GGD Hollands Midden"), (world.school_b, "GGD Elders")):
        SocialMapEntry.objects.create(
            board=school.board, school=school, kind=SocialMapKind.GGD, organisation=org, phone="088 308 3000"
        )
    return world


def snapshot() -> tuple:
    """Everything the admin pages can change, to prove a refused request changed nothing."""
    return (
        AuditEvent.objects.count(),
        sorted(School.objects.values_list("pk", "name", "brin", "timeout_maximum_days")),
        sorted(SchoolYear.objects.values_list("pk", "name", "starts_on", "ends_on")),
        sorted(SchoolGroup.objects.values_list("pk", "name")),
        sorted(Membership.objects.values_list("pk", "role", "school_id", "active_from", "active_to")),
        sorted(SocialMapEntry.objects.values_list("pk", "organisation")),
        sorted(User.objects.values_list("pk", "is_active")),
    )


def test_the_navigation_names_resolve():
    from django.urls import reverse

    assert reverse("schools:admin_school_list") == "/beheer/scholen/"
    assert reverse("schools:admin_year_list") == "/beheer/schooljaren/"
    assert reverse("schools:admin_user_list") == "/beheer/gebruikers/"
    assert reverse("schools:admin_social_map") == "/beheer/sociale-kaart/"


@pytest.mark.django_db
def test_functional_admin_opens_every_page_of_own_board(admin_world):
    client = signed_in_client(admin_world.functional_admin)
    failures = []
    for page in pages(admin_world):
        if page.get:
            status = client.get(page.own).status_code
            if status != 200:
                failures.append(f"GET {page.name} {page.own}: {status}")
        else:
            status = client.get(page.own).status_code
            if status != 405:
                failures.append(f"GET {page.name} {page.own}: {status}, expected 405")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_functional_admin_menu_links_to_the_admin_pages(admin_world):
    html = signed_in_client(admin_world.functional_admin).get("/").content.decode()
    for path in ("/beheer/scholen/", "/beheer/schooljaren/", "/beheer/gebruikers/", "/beheer/sociale-kaart/"):
        assert f'href="{path}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_every_other_role_gets_403_and_changes_nothing(admin_world, persona):
    client = signed_in_client(getattr(admin_world, persona))
    before = snapshot()
    failures = []
    for page in pages(admin_world):
        for path in filter(None, (page.own, page.other)):
            if page.get and (status := client.get(path).status_code) != 403:
                failures.append(f"GET {page.name} {path}: {status}")
            if (
                page.post
                and (status := client.post(path, {"name": "X", "active_to": "2026-01-01"}).status_code) != 403
            ):
                failures.append(f"POST {page.name} {path}: {status}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before


@pytest.mark.django_db
def test_another_boards_objects_answer_404_like_missing_ones(admin_world):
    client = signed_in_client(admin_world.functional_admin)
    before = snapshot()
    failures = []
    for page in pages(admin_world):
        if page.other is None:
            continue
        missing = page.other
        for part in missing.strip("/").split("/"):
            if part.isdigit():
                missing = missing.replace(f"/{part}/", "/999999/", 1)
        for path in (page.other, missing):
            if page.get and (status := client.get(path).status_code) != 404:
                failures.append(f"GET {page.name} {path}: {status}")
            if (
                page.post
                and (status := client.post(path, {"name": "X", "active_to": "2026-01-01"}).status_code) != 404
            ):
                failures.append(f"POST {page.name} {path}: {status}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before


@pytest.mark.django_db
def test_group_page_with_a_school_of_another_board_answers_404(admin_world):
    client = signed_in_client(admin_world.functional_admin)
    year = admin_world.group_a.school_year
    assert (
        client.get(
            f"/beheer/schooljaren/{year.pk}/scholen/{admin_world.school_b.pk}/groepen/nieuw/"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(admin_world):
    from django.test import Client

    client = Client()
    for page in pages(admin_world):
        response = client.get(page.own) if page.get else client.post(page.own)
        assert response.status_code == 302, page.name
        assert response["Location"].startswith("/account/inloggen/"), page.name


@pytest.mark.django_db
def test_a_deactivated_functional_admin_loses_the_pages(admin_world):
    admin = admin_world.functional_admin
    client = signed_in_client(admin)
    assert client.get("/beheer/scholen/").status_code == 200
    Membership.objects.filter(user=admin).update(active_to="2000-01-01", active_from="2000-01-01")
    # Memberships are read on every request: the next request no longer has the role.
    assert client.get("/beheer/scholen/").status_code == 403


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(admin_world):
    client = signed_in_client(admin_world.functional_admin, enforce_csrf=True)
    before = snapshot()
    failures = []
    for page in pages(admin_world):
        if not page.post:
            continue
        status = client.post(page.own, {"name": "X", "active_to": "2026-01-01"}).status_code
        if status != 403:
            failures.append(f"POST {page.name} without token: {status}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before
    # With the token the same client gets through (here: a form with errors, nothing saved).
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    response = client.post("/beheer/schooljaren/nieuw/", {"csrfmiddlewaretoken": CSRF_TOKEN, "name": "X"})
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.django_db
def test_an_administrator_of_two_boards_works_on_both_and_chooses_the_board(admin_world):
    from tests import factories as f

    admin = admin_world.functional_admin
    other_board = admin_world.school_b.board
    f.MembershipFactory(user=admin, school=None, board=other_board, role="functional_admin")
    client = signed_in_client(admin)
    assert client.get(f"/beheer/scholen/{admin_world.school_b.pk}/").status_code == 200
    html = client.get("/beheer/scholen/").content.decode()
    assert "De Regenboog" in html and "De Vuurtoren" in html
    assert 'name="board"' in client.get("/beheer/schooljaren/nieuw/").content.decode()
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"board": other_board.pk, "name": "2040-2041", "starts_on": "2040-08-01", "ends_on": "2041-07-31"},
    )
    assert response.status_code == 302
    assert SchoolYear.objects.get(name="2040-2041").board == other_board
