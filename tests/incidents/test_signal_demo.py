"""The demo signals: eight, through the service, varied, and written once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from incidents.demo import seed_signals
from incidents.models import Signal, SignalRead
from lev.dossier.models import DossierEntry, Observation
from tests import factories as f
from tests.i18n_helpers import t
from tests.incidents.test_signal_services import enrol

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.mark.django_db
def test_seed_signals_writes_eight_varied_signals_once(world):
    pupils = [f.PupilFactory(school=world.school_a, roepnaam=f"Kind{i}", achternaam="Demo") for i in range(6)]
    enrol(*pupils)
    users = {"teacher": world.teacher_a, "staff": world.staff_a, "ib": world.ib_a}
    assert seed_signals(school=world.school_a, users=users, pupils=pupils, now=NOW) == 8
    assert seed_signals(school=world.school_a, users=users, pupils=pupils, now=NOW) == 0

    signals = Signal.objects.all()
    assert signals.count() == 8
    assert all(s.happened_at < s.created_at <= NOW for s in signals)
    assert sorted({s.author.username for s in signals}) == ["staff_a", "teacher_a"]
    assert {s.source for s in signals} == {"observed", "told"}
    assert signals.filter(source_anonymous=True).count() == 1
    assert len({tag for s in signals for tag in s.tags}) == 7
    # One entry per pupil of each signal: seven signals about one pupil, one about two.
    assert DossierEntry.objects.filter(kind="signal").count() == 9
    anonymous = DossierEntry.objects.get(told_by=t("not named (no consent)"))
    assert anonymous.observation == Observation.TOLD
    # The IB read the five signals older than four days; three wait for her.
    assert SignalRead.objects.filter(user=world.ib_a).count() == 5
