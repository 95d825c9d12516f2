import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from lev.audit.models import AuditEvent, InsertOnlyError
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.dossier.selectors import chronology_for
from lev.dossier.services import entry_correct, entry_record
from lev.schools.access import build_access_context
from tests.conftest import signed_in_client

NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)


def ctx_for(user):
    return build_access_context(user, today=timezone.localdate(), active_school_id=None)


def add(world, **kw):
    defaults = {
        "pupil": world.pupil_a,
        "kind": "signal",
        "title": "Signaal",
        "summary": "Zat alleen op het plein",
        "happened_at": NOW - dt.timedelta(hours=2),
        "author": world.teacher_a,
        "now": NOW,
    }
    defaults.update(kw)
    return entry_record(**defaults)


@pytest.mark.django_db
def test_entry_is_written_with_school_board_and_audit(world):
    entry = add(world, observation=Observation.OBSERVED, others_present="J.K., P.d.V.")
    assert (entry.school, entry.board, entry.recorded_at) == (world.school_a, world.board, NOW)
    event = AuditEvent.objects.get(action="dossier_entry_recorded")
    assert event.summary == {"kind": "signal", "pupil_id": world.pupil_a.pk, "visibility": "school"}
    assert "plein" not in str(event.summary)


@pytest.mark.django_db
def test_entries_are_append_only(world):
    entry = add(world)
    entry.summary = "overschreven"
    with pytest.raises(InsertOnlyError):
        entry.save()
    with pytest.raises(InsertOnlyError):
        entry.delete()
    assert DossierEntry.objects.get(pk=entry.pk).summary == "Zat alleen op het plein"


@pytest.mark.django_db
def test_correction_is_a_new_entry_with_a_reason(world):
    entry = add(world)
    with pytest.raises(ValidationError):
        entry_correct(entry=entry, summary="x", reason="  ", actor=world.ib_a, now=NOW)
    correction = entry_correct(
        entry=entry, summary="Zat alleen bij het hek", reason="Plek verkeerd", actor=world.ib_a, now=NOW
    )
    assert correction.corrects == entry
    assert DossierEntry.objects.get(pk=entry.pk).summary == "Zat alleen op het plein"
    assert DossierEntry.objects.filter(pupil=world.pupil_a).count() == 2


@pytest.mark.django_db
def test_database_refuses_a_correction_without_reason(world):
    entry = add(world)
    with pytest.raises(IntegrityError):
        DossierEntry.objects.create(
            board=world.board,
            school=world.school_a,
            pupil=world.pupil_a,
            kind="signal",
            title="x",
            happened_at=NOW,
            recorded_at=NOW,
            author=world.teacher_a,
            corrects=entry,
            correction_reason="",
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"happened_at": NOW + dt.timedelta(minutes=5)}, "future"),
        ({"observation": Observation.TOLD, "told_by": ""}, "told"),
        ({"others_present": "Jan Klaassen"}, "initials"),
    ],
)
def test_bad_input_is_refused(world, kw, message):
    with pytest.raises(ValidationError):
        add(world, **kw)
    assert not DossierEntry.objects.exists()


@pytest.mark.django_db
def test_chronology_visibility_per_role(world):
    school_entry = add(world, title="Schoolzichtbaar")
    confidant_entry = add(
        world, title="Vertrouwelijk gesprek", author=world.confidant_a, visibility=Visibility.CONFIDANT
    )
    board_entry = add(world, title="Alleen bestuur", visibility=Visibility.BOARD_ONLY)
    meldcode_entry = add(
        world, title="Meldcode stap", visibility=Visibility.MELDCODE_CASE, meldcode_case_id=1
    )
    seen = {
        name: set(chronology_for(ctx_for(getattr(world, name)), world.pupil_a))
        for name in ["teacher_a", "director_a", "ib_a", "confidant_a"]
    }
    for name in ["teacher_a", "director_a", "ib_a"]:
        assert seen[name] == {school_entry}
    assert seen["confidant_a"] == {school_entry, confidant_entry}
    for entries in seen.values():
        assert board_entry not in entries
        assert meldcode_entry not in entries


@pytest.mark.django_db
def test_pupil_page_shows_the_chronology_but_not_restricted_entries(world):
    add(world, title="Ruzie bij de gymles")
    add(world, title="CANARY-meldcode-7731", visibility=Visibility.MELDCODE_CASE, meldcode_case_id=1)
    add(world, title="CANARY-vertrouwelijk-5521", author=world.confidant_a, visibility=Visibility.CONFIDANT)
    for persona in ["teacher_a", "director_a", "ib_a"]:
        html = (
            signed_in_client(getattr(world, persona)).get(f"/leerlingen/{world.pupil_a.pk}/").content.decode()
        )
        assert "Ruzie bij de gymles" in html
        assert "CANARY" not in html
