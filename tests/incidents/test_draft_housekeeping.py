"""Signal drafts are deleted 24 hours after their last change, also when the user never comes back:
the housekeeping round (beat every five minutes, `run_jobs` likewise) purges them."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.models import SignalDraft
from lev.jobs import services
from lev.jobs.registry import housekeeping_tasks

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def test_the_purge_is_registered():
    assert "incidents.signal_drafts" in housekeeping_tasks()


def test_housekeeping_deletes_drafts_older_than_24_hours_only(world):
    old = SignalDraft.objects.create(
        user=world.teacher_a,
        school=world.school_a,
        data={"description": "x"},
        updated_at=NOW - dt.timedelta(hours=24),
    )
    fresh = SignalDraft.objects.create(
        user=world.staff_a,
        school=world.school_a,
        data={"description": "y"},
        updated_at=NOW - dt.timedelta(hours=23, minutes=59),
    )
    done = services.housekeeping(now=NOW)
    assert done["incidents.signal_drafts"] == 1
    assert not SignalDraft.objects.filter(pk=old.pk).exists()
    assert SignalDraft.objects.filter(pk=fresh.pk).exists()
