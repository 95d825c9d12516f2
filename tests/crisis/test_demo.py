"""The demo crisis: made through the services, idempotent.

Dates by hand, with now = Tue 24 Nov 2026 13:00 (Amsterdam): the crisis starts 21 days earlier,
Tue 3 Nov; the measure takes effect Thu 5 Nov; + 14 days = Thu 19 Nov (ordinary) is the first
evaluation, held that day; + 1 month = Sat 19 Dec; Sun 20 Dec -> Mon 21 Dec 2026 is the next one.
"""

from __future__ import annotations

import datetime as dt

import pytest

from communications.contact_models import ContactLog
from crisis.demo import seed_crisis
from crisis.models import Crisis, MediaLogEntry
from lev.deadlines.models import Deadline, DeadlineStatus
from tests.crisis.helpers import make_incident

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _seed(world) -> int:
    incident = make_incident(
        world.school_a,
        pupils=[(world.pupil_a, "initiative"), (world.pupil_a_other, "experienced")],
        reporter=world.teacher_a,
        day=dt.date(2026, 11, 2),
    )
    return seed_crisis(
        school=world.school_a,
        incidents=[incident],
        users={"director": world.director_a, "ib": world.ib_a, "deputy": world.deputy_a},
        pupils=[world.pupil_a, world.pupil_a_other],
        now=NOW,
    )


def test_seed_makes_one_full_crisis_once(world):
    assert _seed(world) == 1
    crisis = Crisis.objects.get()
    assert crisis.started_at.date() == dt.date(2026, 11, 3)
    assert dict(crisis.actions.values_list("code", "status")) == {
        "gesprekken": "done",
        "actie": "busy",
        "opvang": "busy",
        "communicatie": "done",
        "vervolg": "todo",
    }
    assert crisis.actions.get(code="opvang").owner == world.ib_a
    assert crisis.participants.count() == 3
    assert ContactLog.objects.filter(crisis_id=crisis.pk).count() == 1
    assert MediaLogEntry.objects.filter(crisis=crisis).count() == 1
    measure = crisis.measures.get()
    assert measure.starts_on == dt.date(2026, 11, 5)
    assert measure.evaluations.get().held_on == dt.date(2026, 11, 19)
    running = Deadline.objects.get(subject_type="crisis.temporarymeasure", status=DeadlineStatus.OPEN)
    assert (running.rule_code, running.due_on) == ("evaluatie-omgangsregels-vervolg", dt.date(2026, 12, 21))

    assert _seed(world) == 0
    assert Crisis.objects.count() == 1
