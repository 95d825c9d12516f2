"""School years (no overlap within a board) and groups (grades, teachers among the school's teachers)."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.utils.translation import gettext

from lev.audit.models import AuditEvent
from lev.schools.admin_forms import grades_from_name
from lev.schools.models import Membership, SchoolGroup, SchoolYear
from tests import factories as f
from tests.conftest import signed_in_client

OVERLAP = (
    "This period overlaps school year %(name)s (%(start)s to %(end)s). School years of a board "
    "may not overlap: choose dates outside that period."
)
ORDER = "The last day must come after the first day."
DUPLICATE_YEAR = "This board already has a school year with this name."
GRADES_UNREADABLE = "The grades could not be read from the name. Give the grades (1 to 8) of this group."
GRADES_RANGE = "Dutch primary schools have grades 1 to 8. Correct the grades."
DUPLICATE_GROUP = "This school already has a group with this name in this school year."


def text(response) -> str:
    return unescape(response.content.decode())


def audit(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


@pytest.fixture
def year_2030(world) -> SchoolYear:
    return SchoolYear.objects.create(
        board=world.board, name="2030-2031", starts_on=dt.date(2030, 8, 1), ends_on=dt.date(2031, 7, 31)
    )


# --- School years ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_the_own_boards_years(world, year_2030):
    SchoolYear.objects.create(
        board=world.school_b.board,
        name="2040-2041",
        starts_on=dt.date(2040, 8, 1),
        ends_on=dt.date(2041, 7, 31),
    )
    html = text(signed_in_client(world.functional_admin).get("/beheer/schooljaren/"))
    assert "2030-2031" in html
    assert "01-08-2030" in html and "31-07-2031" in html
    assert "2040-2041" not in html


@pytest.mark.django_db
def test_create_a_school_year(world, year_2030):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"name": "2031-2032", "starts_on": "2031-08-01", "ends_on": "2032-07-31"},
    )
    year = SchoolYear.objects.get(board=world.board, name="2031-2032")
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/schooljaren/{year.pk}/"
    assert (year.starts_on, year.ends_on) == (dt.date(2031, 8, 1), dt.date(2032, 7, 31))
    event = audit("school_year_created")
    assert event.board == world.board
    assert event.summary == {"school_year_id": year.pk, "starts_on": "2031-08-01", "ends_on": "2032-07-31"}


@pytest.mark.django_db
def test_the_dutch_date_format_is_accepted_too(world, year_2030):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"name": "2031-2032", "starts_on": "01-08-2031", "ends_on": "31-07-2032"},
    )
    assert response.status_code == 302
    assert SchoolYear.objects.get(name="2031-2032").starts_on == dt.date(2031, 8, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        ("2031-07-15", "2032-07-31"),  # starts before 2030-2031 ends (31-07-2031)
        ("2029-08-01", "2030-08-01"),  # ends on its first day
        ("2030-09-01", "2031-06-30"),  # lies inside it
        ("2029-08-01", "2032-07-31"),  # surrounds it
    ],
)
def test_a_year_overlapping_another_year_of_the_board_is_refused_with_the_rule(
    world, year_2030, starts_on, ends_on
):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/schooljaren/nieuw/", {"name": "Nieuw", "starts_on": starts_on, "ends_on": ends_on}
    )
    assert response.status_code == 200
    message = gettext(OVERLAP) % {"name": "2030-2031", "start": "01-08-2030", "end": "31-07-2031"}
    assert message in text(response)
    assert not SchoolYear.objects.filter(name="Nieuw").exists()
    assert not AuditEvent.objects.filter(action="school_year_created").exists()


@pytest.mark.django_db
def test_the_day_after_the_last_day_does_not_overlap(world, year_2030):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"name": "2031-2032", "starts_on": "2031-08-01", "ends_on": "2032-07-31"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_another_boards_years_do_not_count_as_overlap(world):
    SchoolYear.objects.create(
        board=world.school_b.board,
        name="2040-2041",
        starts_on=dt.date(2040, 8, 1),
        ends_on=dt.date(2041, 7, 31),
    )
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"name": "2040-2041", "starts_on": "2040-08-01", "ends_on": "2041-07-31"},
    )
    assert response.status_code == 302
    assert SchoolYear.objects.filter(name="2040-2041").count() == 2


@pytest.mark.django_db
def test_end_before_start_and_duplicate_names_are_refused(world, year_2030):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"name": "2035-2036", "starts_on": "2036-07-31", "ends_on": "2035-08-01"},
    )
    assert gettext(ORDER) in text(response)
    response = client.post(
        "/beheer/schooljaren/nieuw/",
        {"name": "2030-2031", "starts_on": "2035-08-01", "ends_on": "2036-07-31"},
    )
    assert gettext(DUPLICATE_YEAR) in text(response)
    assert SchoolYear.objects.filter(board=world.board).count() == 2  # the factory's year and 2030-2031


# --- Groups ---------------------------------------------------------------------------------


def test_grades_are_read_from_the_group_name():
    assert grades_from_name("4/5") == [4, 5]
    assert grades_from_name("8b") == [8]
    assert grades_from_name("groep 1-2") == [1, 2]
    assert grades_from_name("Kleuters") == []
    assert grades_from_name("9a") == []


@pytest.mark.django_db
def test_create_a_group_with_grades_from_the_name_and_a_teacher(world, year_2030):
    client = signed_in_client(world.functional_admin)
    url = f"/beheer/schooljaren/{year_2030.pk}/scholen/{world.school_a.pk}/groepen/nieuw/"
    page = text(client.get(url))
    assert world.teacher_a.username in page  # a teacher of the school can be chosen
    assert world.director_a.username not in page  # a director is not a teacher
    response = client.post(url, {"name": "4/5", "grades": "", "teachers": [world.teacher_a.pk]})
    assert response.status_code == 302
    group = SchoolGroup.objects.get(school_year=year_2030, name="4/5")
    assert (group.school, group.board, group.grades) == (world.school_a, world.board, [4, 5])
    assert list(group.teachers.all()) == [world.teacher_a]
    event = audit("group_created")
    assert event.summary["teacher_ids"] == [world.teacher_a.pk]
    assert event.summary["grades"] == [4, 5]
    assert event.summary["school_id"] == world.school_a.pk
    detail = text(client.get(f"/beheer/schooljaren/{year_2030.pk}/"))
    assert "4/5" in detail and world.teacher_a.display_name in detail


@pytest.mark.django_db
def test_entered_grades_win_over_the_name(world, year_2030):
    client = signed_in_client(world.functional_admin)
    url = f"/beheer/schooljaren/{year_2030.pk}/scholen/{world.school_a.pk}/groepen/nieuw/"
    assert client.post(url, {"name": "Kleuters", "grades": "1, 2"}).status_code == 302
    assert SchoolGroup.objects.get(name="Kleuters").grades == [1, 2]


@pytest.mark.django_db
def test_group_errors_are_shown_next_to_the_field(world, year_2030):
    client = signed_in_client(world.functional_admin)
    url = f"/beheer/schooljaren/{year_2030.pk}/scholen/{world.school_a.pk}/groepen/nieuw/"
    assert gettext(GRADES_UNREADABLE) in text(client.post(url, {"name": "Kleuters", "grades": ""}))
    assert gettext(GRADES_RANGE) in text(client.post(url, {"name": "Plus", "grades": "8, 9"}))
    f.GroupFactory(school=world.school_a, school_year=year_2030, name="8b")
    assert gettext(DUPLICATE_GROUP) in text(client.post(url, {"name": "8b", "grades": ""}))
    assert SchoolGroup.objects.filter(school_year=year_2030).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["director_a", "teacher_b", "deactivated"])
def test_only_teachers_of_the_school_can_be_put_on_a_group(world, year_2030, persona):
    client = signed_in_client(world.functional_admin)
    url = f"/beheer/schooljaren/{year_2030.pk}/scholen/{world.school_a.pk}/groepen/nieuw/"
    response = client.post(url, {"name": "3a", "teachers": [getattr(world, persona).pk]})
    assert response.status_code == 200
    assert "lev-field-error" in text(response)
    assert not SchoolGroup.objects.filter(school_year=year_2030).exists()


@pytest.mark.django_db
def test_edit_a_group_and_its_teachers_is_audited(world):
    group = world.group_a  # 5a, taught by teacher_a
    second = f.UserFactory(username="tweede_leerkracht")
    f.MembershipFactory(user=second, school=world.school_a, board=world.board)
    client = signed_in_client(world.functional_admin)
    response = client.post(
        f"/beheer/groepen/{group.pk}/", {"name": "5/6", "grades": "", "teachers": [second.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/schooljaren/{group.school_year_id}/"
    group.refresh_from_db()
    assert (group.name, group.grades) == ("5/6", [5, 6])
    assert list(group.teachers.all()) == [second]
    event = audit("group_updated")
    assert event.summary == {
        "group_id": group.pk,
        "fields": ["name", "grades", "teachers"],
        "teachers_added": [second.pk],
        "teachers_removed": [world.teacher_a.pk],
    }


@pytest.mark.django_db
def test_a_teacher_whose_role_ended_may_stay_on_the_group(world):
    Membership.objects.filter(user=world.teacher_a).update(active_to=dt.date(2020, 1, 1))
    group = world.group_a
    client = signed_in_client(world.functional_admin)
    response = client.post(
        f"/beheer/groepen/{group.pk}/", {"name": "5a", "grades": "5", "teachers": [world.teacher_a.pk]}
    )
    assert response.status_code == 302
    assert list(group.teachers.all()) == [world.teacher_a]
    assert audit("group_updated").summary["fields"] == []
