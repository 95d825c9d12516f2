"""Who is on the pupil list: pupils with a current enrolment (a confirmed leaving date ends it)."""

import datetime as dt

import pytest
from django.utils import timezone

from lev.schools.models import Enrolment
from tests import factories as f
from tests.conftest import signed_in_client


def enrol(pupil, enrolled_on, left_on=None, confirmed=False):
    return Enrolment.objects.create(
        pupil=pupil,
        school=pupil.school,
        board=pupil.board,
        enrolled_on=enrolled_on,
        left_on=left_on,
        left_confirmed=confirmed,
    )


@pytest.mark.django_db
def test_the_list_shows_current_pupils_only(world):
    today = timezone.localdate()
    school = world.school_a
    staying = f.PupilFactory(school=school, roepnaam="Blijft", achternaam="Aanwezig")
    enrol(staying, dt.date(2020, 8, 20))
    provisional = f.PupilFactory(school=school, roepnaam="Voorlopig", achternaam="Vertrokken")
    enrol(provisional, dt.date(2020, 8, 20), left_on=today - dt.timedelta(days=3))
    gone = f.PupilFactory(school=school, roepnaam="Echt", achternaam="Vertrokken")
    enrol(gone, dt.date(2020, 8, 20), left_on=today - dt.timedelta(days=3), confirmed=True)
    leaving_later = f.PupilFactory(school=school, roepnaam="Vertrekt", achternaam="Straks")
    enrol(leaving_later, dt.date(2020, 8, 20), left_on=today + dt.timedelta(days=10), confirmed=True)
    back = f.PupilFactory(school=school, roepnaam="Weer", achternaam="Terug")
    enrol(back, dt.date(2019, 8, 20), left_on=dt.date(2021, 7, 1), confirmed=True)
    enrol(back, dt.date(2023, 8, 20))

    html = signed_in_client(world.director_a).get("/leerlingen/").content.decode()
    for pupil in (staying, provisional, leaving_later, back):
        assert pupil.sort_name in html
    assert gone.sort_name not in html
    assert html.count(back.sort_name) == 1
