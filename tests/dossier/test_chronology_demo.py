import datetime as dt

import pytest

from lev.dossier.demo import seed_chronology
from lev.dossier.models import DossierEntry, Visibility
from lev.dossier.services import entry_record

NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)


def add(world, pupil, kind, title, hours_ago, **kw):
    return entry_record(
        pupil=pupil,
        kind=kind,
        title=title,
        summary="Feiten.",
        happened_at=NOW - dt.timedelta(hours=hours_ago),
        author=world.teacher_a,
        now=NOW,
        **kw,
    )


@pytest.mark.django_db
def test_seed_chronology_adds_a_correction_and_a_parents_view_once(world):
    add(world, world.pupil_a_other, "signal", "Een signaal", 5)
    first = add(world, world.pupil_a, "signal", "Eerste signaal", 50)
    add(world, world.pupil_a, "signal", "Tweede signaal", 45)
    newest = add(world, world.pupil_a, "incident", "Incident 1", 40)
    add(world, world.pupil_a, "meldcode", "Vertrouwelijk", 10, visibility=Visibility.BOARD_ONLY)
    assert seed_chronology(school=world.school_a, director=world.director_a, now=NOW) == 2
    correction = DossierEntry.objects.get(corrects__isnull=False)
    assert (correction.corrects, correction.author) == (first, world.director_a)
    view = DossierEntry.objects.get(kind="zienswijze")
    assert (view.pupil, view.source_id, view.told_by) == (world.pupil_a, str(newest.pk), "moeder")
    assert view.happened_at == newest.happened_at + dt.timedelta(days=1)
    assert seed_chronology(school=world.school_a, director=world.director_a, now=NOW) == 0
    assert DossierEntry.objects.count() == 7


@pytest.mark.django_db
def test_seed_chronology_without_entries_writes_nothing(world):
    assert seed_chronology(school=world.school_a, director=world.director_a, now=NOW) == 0
    assert not DossierEntry.objects.exists()
