"""The pupil chokepoint: 404 across schools, 403 for roles without the file, reasons for teachers."""

import pytest

from lev.audit.models import AccessLogEntry, AccessOutcome
from tests.conftest import signed_in_client


def url(pupil):
    return f"/leerlingen/{pupil.pk}/"


@pytest.mark.django_db
def test_teacher_reads_pupil_of_own_group_and_the_read_is_logged(world):
    response = signed_in_client(world.teacher_a).get(url(world.pupil_a))
    assert response.status_code == 200
    assert "Anna Jansen" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = AccessLogEntry.objects.get(user=world.teacher_a)
    assert (log.pupil_id, log.outcome, log.role) == (world.pupil_a.pk, AccessOutcome.GRANTED, "teacher")


@pytest.mark.django_db
def test_teacher_needs_a_reason_for_a_pupil_outside_own_groups(world):
    client = signed_in_client(world.teacher_a)
    response = client.get(url(world.pupil_a_other))
    assert response.status_code == 200
    assert "Bram" in response.content.decode()  # the name on the reason page, not the file
    assert "Chronologie" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(user=world.teacher_a).exists()
    response = client.post(url(world.pupil_a_other), {"reason": "Pleinwacht: incident op het plein"})
    assert response.status_code == 302
    response = client.get(url(world.pupil_a_other))
    assert response.status_code == 200
    log = AccessLogEntry.objects.get(user=world.teacher_a)
    assert log.reason == "Pleinwacht: incident op het plein"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["director_a", "deputy_a", "ib_a"])
def test_leadership_reads_any_pupil_of_own_school(world, persona):
    assert signed_in_client(getattr(world, persona)).get(url(world.pupil_a_other)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff_a", "confidant_a"])
def test_roles_without_pupil_files_get_403_and_the_refusal_is_logged(world, persona):
    user = getattr(world, persona)
    assert signed_in_client(user).get(url(world.pupil_a)).status_code == 403
    assert AccessLogEntry.objects.get(user=user).outcome == AccessOutcome.DENIED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_b", "board_member", "privacy_officer", "functional_admin"])
def test_other_school_or_board_wide_roles_get_404(world, persona):
    assert signed_in_client(getattr(world, persona)).get(url(world.pupil_a)).status_code == 404


@pytest.mark.django_db
def test_missing_pupil_and_other_school_answer_the_same(world):
    client = signed_in_client(world.director_a)
    missing = client.get("/leerlingen/999999/")
    other = client.get(url(world.pupil_b))
    assert missing.status_code == other.status_code == 404


@pytest.mark.django_db
def test_a_move_to_another_school_takes_effect_on_the_next_request(world):
    import datetime as dt

    from django.utils import timezone

    from lev.schools.models import Enrolment, Membership, Role

    for pupil in (world.pupil_a, world.pupil_b):
        Enrolment.objects.create(
            pupil=pupil, school=pupil.school, board=pupil.board, enrolled_on=dt.date(2022, 8, 1)
        )
    client = signed_in_client(world.director_a)
    assert client.get(url(world.pupil_a)).status_code == 200
    assert world.pupil_a.sort_name in client.get("/leerlingen/").content.decode()
    # The director moves to school B: the old membership ends yesterday, a new one starts today.
    today = timezone.localdate()
    Membership.objects.filter(user=world.director_a).update(active_to=today - dt.timedelta(days=1))
    Membership.objects.create(
        user=world.director_a,
        board=world.school_b.board,
        school=world.school_b,
        role=Role.DIRECTOR,
        active_from=today,
    )
    # Same session, next request: school A is gone, school B is there.
    assert client.get(url(world.pupil_a)).status_code == 404
    assert client.get(url(world.pupil_b)).status_code == 200
    listing = client.get("/leerlingen/").content.decode()
    assert world.pupil_a.sort_name not in listing
    assert world.pupil_b.sort_name in listing


@pytest.mark.django_db
def test_a_membership_that_has_not_started_yet_gives_no_access(world):
    import datetime as dt

    from django.utils import timezone

    from lev.schools.models import Membership

    Membership.objects.filter(user=world.ib_a).update(active_from=timezone.localdate() + dt.timedelta(days=1))
    assert signed_in_client(world.ib_a).get(url(world.pupil_a)).status_code == 404
