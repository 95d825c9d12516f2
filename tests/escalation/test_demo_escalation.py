"""The stappenplan demo (escalation/demo.py) on awkward days: the stories are dated back from NOW on
the school's calendar, so they must hold whatever day the demo is seeded on. The demo data set is
seeded on Tuesday 24 November 2026 (its first school gets the stories there, see
tests/web/test_demo.py); here three other schools get them "on" other days."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter

import pytest

from escalation.demo import seed_escalation
from escalation.models import (
    Episode,
    Objection,
    Schorsing,
    SchorsingStatus,
    TimeOut,
    TimeOutStatus,
    Verwijdering,
)
from lev.accounts.models import User
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.deadlines.domain.schooldays import school_days_between
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.schools import models as m
from lev.web.demo import BOARD_USERS, MAIN_TEACHER_GROUP, _current_pupils_of, _teacher_username, demo_seed

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
SEED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)

EXPECTED = {
    "episodes": 10,
    "time_outs": 5,
    "schorsingen": 3,
    "verwijderingen": 2,
    "objections": 2,
    "gpo_cases": 1,
}
STATES = {"step_1": 1, "step_2": 1, "step_3": 1, "step_4": 2, "step_5": 2, "step_6": 1, "step_7": 2}


@pytest.fixture
def demo(db, settings):
    settings.DEMO_ALLOWED = True
    demo_seed(now=SEED_AT)


def _cast(slug: str) -> dict[str, User]:
    return {
        "director": User.objects.get(username=f"directeur.{slug}"),
        "deputy": User.objects.get(username=f"adjunct.{slug}"),
        "ib": User.objects.get(username=f"ib.{slug}"),
        "teacher": User.objects.get(username=_teacher_username(MAIN_TEACHER_GROUP, slug)),
        "board": User.objects.get(username=BOARD_USERS[0][0]),
    }


def _pupils(school: m.School) -> list[m.Pupil]:
    day = SEED_AT.date()
    return (_current_pupils_of(school, MAIN_TEACHER_GROUP, day)[6:] + _current_pupils_of(school, "7", day))[
        :10
    ]


def _deadline(subject, rule_code: str) -> Deadline:
    return Deadline.objects.get(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk), rule_code=rule_code
    )


# (school, the moment of seeding, why that day)
DAYS = [
    # Thursday before the autumn holiday (17-25 October): the next school day is Friday 16 October,
    # the one after it Monday 26 October, 10 days later, so the schorsing of two school days from
    # the next school day must not be Friday + Monday but Monday 26 + Tuesday 27 October.
    ("99AC", "baken", dt.datetime(2026, 10, 15, 11, 0, tzinfo=AMSTERDAM)),
    # A Saturday in the Christmas holiday (19 December - 3 January); an openbare school.
    ("99AB", "kwekerij", dt.datetime(2026, 12, 26, 9, 0, tzinfo=AMSTERDAM)),
    # A Wednesday in the summer holiday (17 July - 29 August 2027).
    ("99AD", "wegwijzer", dt.datetime(2027, 7, 28, 14, 0, tzinfo=AMSTERDAM)),
]


@pytest.mark.parametrize(("brin", "slug", "now"), DAYS, ids=[d[1] for d in DAYS])
def test_the_stories_hold_on_any_day(demo, brin, slug, now):
    school = m.School.objects.get(brin=brin)
    today = now.date()
    assert seed_escalation(school=school, users=_cast(slug), pupils=_pupils(school), now=now) == EXPECTED
    episodes = Episode.objects.filter(school=school)
    assert Counter(episodes.values_list("state", flat=True)) == STATES
    assert episodes.values("pupil").distinct().count() == 10
    closed = school_non_school_days(school, today - dt.timedelta(days=200), today + dt.timedelta(days=70))

    def school_day(day: dt.date) -> bool:
        return school_days_between(day, day, closed) == 1

    # Every time-out and schorsing lies on school days; nothing is dated after NOW but what is
    # planned: the time-out asked for the next school day and the two schorsingen ahead.
    for time_out in TimeOut.objects.filter(school=school):
        assert school_day(time_out.first_day) and time_out.first_day == time_out.last_day
        assert time_out.requested_at <= now
        assert (time_out.first_day > today) == (time_out.status == TimeOutStatus.REQUESTED)
    for schorsing in Schorsing.objects.filter(school=school):
        assert school_day(schorsing.first_day) and school_day(schorsing.last_day)
        assert school_days_between(schorsing.first_day, schorsing.last_day, closed) == 2
        assert (schorsing.last_day - schorsing.first_day).days <= 6
        assert schorsing.prepared_at <= now
    decided = Schorsing.objects.get(school=school, status=SchorsingStatus.DECIDED, inspectie_reported_on=None)
    assert decided.first_day > today
    inspectie = _deadline(decided, "inspectie-melding-schorsing")
    assert (inspectie.status, inspectie.start_on) == (DeadlineStatus.OPEN, today)
    assert Schorsing.objects.get(school=school, status=SchorsingStatus.SUBMITTED).first_day > today
    # The two verwijderingen: a bezwaar waiting with its decision term open, and one held up by the
    # GPO with its decision term suspended since the filing.
    for verwijdering in Verwijdering.objects.filter(school=school):
        assert verwijdering.decided_on < verwijdering.sent_on <= today
        objection = Objection.objects.get(verwijdering=verwijdering)
        assert objection.decided_on is None and verwijdering.sent_on <= objection.received_on <= today
        decision = _deadline(objection, "beslissing-bezwaar-verwijdering")
        case = verwijdering.gpo_cases.first()
        if case is None:
            assert decision.status == DeadlineStatus.OPEN
        else:
            assert decision.status == DeadlineStatus.SUSPENDED
            assert decision.suspended_since == max(case.filed_on, decision.start_on)
            assert case.opinion_on is None and case.defence_sent_on <= today
    # Seeding again adds nothing.
    before = Episode.objects.count()
    again = seed_escalation(school=school, users=_cast(slug), pupils=_pupils(school), now=now)
    assert again == dict.fromkeys(EXPECTED, 0)
    assert Episode.objects.count() == before


def test_too_few_pupils_make_nothing(demo):
    school = m.School.objects.get(brin="99AE")
    made = seed_escalation(school=school, users=_cast("veenhof"), pupils=_pupils(school)[:9], now=SEED_AT)
    assert made == dict.fromkeys(EXPECTED, 0)
    assert not Episode.objects.filter(school=school).exists()


def test_pupils_of_another_school_are_refused(demo):
    school = m.School.objects.get(brin="99AE")
    others = _pupils(m.School.objects.get(brin="99AF"))
    with pytest.raises(ValueError, match="pupils of the school"):
        seed_escalation(school=school, users=_cast("veenhof"), pupils=others, now=SEED_AT)
    assert not Episode.objects.filter(school=school).exists()
