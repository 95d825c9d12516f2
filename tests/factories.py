"""factory_boy factories for the platform models."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from lev.accounts.models import User
from lev.schools import models as m


def current_school_year_start(day: dt.date | None = None) -> dt.date:
    day = day or timezone.localdate()
    return dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Board
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Stichting {n}")
    slug = factory.Sequence(lambda n: f"stichting-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.School

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    brin = factory.Sequence(lambda n: f"{10 + n % 90:02d}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SchoolYear
        django_get_or_create = ("board", "starts_on")

    board = factory.SubFactory(BoardFactory)
    starts_on = factory.LazyFunction(current_school_year_start)
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.starts_on.year + 1, 7, 31))
    name = factory.LazyAttribute(lambda o: f"{o.starts_on.year}-{o.starts_on.year + 1}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SchoolGroup

    school = factory.SubFactory(SchoolFactory)
    board = factory.LazyAttribute(lambda o: o.school.board)
    school_year = factory.LazyAttribute(lambda o: SchoolYearFactory(board=o.school.board))
    name = factory.Sequence(lambda n: f"{n % 8 + 1}{chr(97 + n % 3)}")
    grades = factory.LazyAttribute(lambda o: [int(o.name[0])] if o.name[0].isdigit() else [])


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Pupil

    school = factory.SubFactory(SchoolFactory)
    board = factory.LazyAttribute(lambda o: o.school.board)
    admin_number = factory.Sequence(lambda n: f"{100000 + n}")
    roepnaam = factory.Faker("first_name", locale="nl_NL")
    achternaam = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = dt.date(2017, 3, 14)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@school.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-9")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    board = factory.LazyAttribute(lambda o: o.school.board if o.school else BoardFactory())
    role = m.Role.TEACHER
    active_from = dt.date(2020, 1, 1)


def place(pupil: m.Pupil, group: m.SchoolGroup, starts_on: dt.date | None = None) -> m.GroupPlacement:
    starts_on = starts_on or group.school_year.starts_on
    return m.GroupPlacement.objects.create(
        pupil=pupil, group=group, school=group.school, board=group.board, starts_on=starts_on
    )


def now() -> dt.datetime:
    return timezone.now()
