"""The vertrouwenspersoon's notes: recording, corrections that never change a row, and turning a
note into a report to the board (the meldplicht of WPO art. 4a)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from lev.audit.models import AuditEvent, InsertOnlyError
from lev.deadlines.models import Deadline
from lev.dossier.models import DossierEntry
from misconduct.models import ConfidantNote, MisconductReport
from misconduct.services import confidant_note_correct, confidant_note_to_report
from tests.i18n_helpers import t

from .helpers import NOTE_TEXT, NOW, at, record_note

pytestmark = pytest.mark.django_db


def correct(note, actor, **overrides):
    values = {
        "note": note,
        "held_at": note.held_at,
        "with_whom": note.with_whom,
        "summary": "Gecorrigeerd verslag.",
        "reason": "Verkeerde groep genoteerd.",
        "actor": actor,
        "now": NOW,
    }
    values.update(overrides)
    return confidant_note_correct(**values)


def test_a_note_is_recorded_with_an_audit_row_without_content_and_no_dossier_entry(world):
    note = record_note(world)
    assert (note.author, note.school, note.board, note.summary) == (
        world.confidant_a,
        world.school_a,
        world.board,
        NOTE_TEXT,
    )
    assert list(note.pupils.all()) == [world.pupil_a]
    # The vertrouwenspersoon's notebook is not part of the school's pupil file.
    assert DossierEntry.objects.count() == 0
    event = AuditEvent.objects.get(action="confidant_note_recorded")
    assert event.summary == {"school": world.school_a.pk, "pupils": 1}
    assert NOTE_TEXT not in json.dumps([e.summary for e in AuditEvent.objects.all()])


@pytest.mark.parametrize("persona", ["director_a", "teacher_a", "ib_a", "board_member", "teacher_b"])
def test_only_a_vertrouwenspersoon_of_the_school_records_notes(world, persona):
    with pytest.raises(PermissionDenied):
        record_note(world, actor=getattr(world, persona))
    assert ConfidantNote.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"held_at": dt.datetime(2026, 5, 13, 11, 0, tzinfo=dt.UTC)},
            "held_at",
            "A conversation cannot lie in the future. Enter the date and time it took place.",
        ),
        (
            {"with_whom": " "},
            "with_whom",
            "Say with whom you spoke (for example: a pupil of group 7, a mother).",
        ),
        ({"summary": ""}, "summary", "Write down what was said: the facts, in a few sentences."),
    ],
)
def test_bad_input_is_refused_at_the_field(world, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        record_note(world, **overrides)
    assert refused.value.message_dict[field] == [t(message)]
    assert ConfidantNote.objects.count() == 0


def test_a_pupil_of_another_school_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        record_note(world, pupils=[world.pupil_b])
    assert refused.value.message_dict["pupils"] == [
        t("Choose only pupils of %(school)s.", school="De Regenboog")
    ]


def test_a_correction_is_a_new_note_and_the_original_stays(world):
    note = record_note(world)
    correction = correct(note, world.confidant_a)
    note.refresh_from_db()
    assert note.summary == NOTE_TEXT
    assert (correction.corrects, correction.correction_reason, correction.summary) == (
        note,
        "Verkeerde groep genoteerd.",
        "Gecorrigeerd verslag.",
    )
    assert list(correction.pupils.all()) == [world.pupil_a]
    assert AuditEvent.objects.get(action="confidant_note_corrected").summary == {"corrects": note.pk}
    with pytest.raises(ValidationError) as refused:
        correct(note, world.confidant_a)
    assert refused.value.messages == [t("This note has been corrected already. Correct the newest version.")]
    note.summary = "changed"
    with pytest.raises(InsertOnlyError):
        note.save()


def test_a_correction_needs_a_reason_and_the_author(world):
    note = record_note(world)
    with pytest.raises(ValidationError) as refused:
        correct(note, world.confidant_a, reason=" ")
    assert refused.value.message_dict == {"reason": [t("Give the reason for the correction.")]}
    with pytest.raises(PermissionDenied):
        correct(note, world.director_a)
    assert ConfidantNote.objects.count() == 1


def test_the_database_refuses_a_second_correction_of_one_note(world):
    note = record_note(world)
    correct(note, world.confidant_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConfidantNote.objects.create(
            board=world.board,
            school=world.school_a,
            author=world.confidant_a,
            held_at=note.held_at,
            with_whom="x",
            summary="y",
            created_at=NOW,
            corrects=note,
            correction_reason="z",
        )


def test_turning_a_note_into_a_report(world):
    note = record_note(world)
    report = confidant_note_to_report(
        note=note, kind="sexual", accused="De invaller van groep 5", actor=world.confidant_a, now=at(13, 11)
    )
    assert (report.source_note, report.reported_by, report.reporter_role) == (
        note,
        world.confidant_a,
        "confidant",
    )
    assert (report.facts, report.source, report.told_by, report.aware_on) == (
        NOTE_TEXT,
        "told",
        "Leerling uit groep 5",
        dt.date(2026, 5, 12),
    )
    assert list(report.pupils.all()) == [world.pupil_a]
    # Agreements and follow-up stay in the note.
    assert "Volgende week" not in report.facts
    assert DossierEntry.objects.get().visibility == "board_only"
    assert Deadline.objects.get().rule_code == "wpo4a-overleg-vertrouwensinspecteur"
    assert AuditEvent.objects.get(action="confidant_note_reported").summary == {"report": report.pk}
    assert AuditEvent.objects.get(action="misconduct_report_filed").summary["from_note"] is True
    with pytest.raises(ValidationError) as refused:
        confidant_note_to_report(
            note=note, kind="sexual", accused="x", actor=world.confidant_a, now=at(13, 12)
        )
    assert refused.value.messages == [t("This conversation has been reported to the board already.")]
    # Correcting the note afterwards does not make it reportable again.
    correction = correct(note, world.confidant_a)
    with pytest.raises(ValidationError) as refused:
        confidant_note_to_report(
            note=correction, kind="sexual", accused="x", actor=world.confidant_a, now=at(13, 12)
        )
    assert refused.value.messages == [t("This conversation has been reported to the board already.")]
    assert MisconductReport.objects.count() == 1


def test_only_the_newest_version_is_reported_and_an_accused_is_needed(world):
    note = record_note(world)
    correct(note, world.confidant_a)
    with pytest.raises(ValidationError) as refused:
        confidant_note_to_report(
            note=note, kind="sexual", accused="x", actor=world.confidant_a, now=at(13, 12)
        )
    assert refused.value.messages == [t("This note has been corrected. Report the newest version.")]
    newest = ConfidantNote.objects.get(corrects=note)
    with pytest.raises(ValidationError) as refused:
        confidant_note_to_report(note=newest, kind="", accused="", actor=world.confidant_a, now=at(13, 12))
    assert set(refused.value.message_dict) == {"kind", "accused"}
    assert MisconductReport.objects.count() == 0


@pytest.mark.parametrize("persona", ["director_a", "board_member"])
def test_nobody_else_turns_a_note_into_a_report(world, persona):
    note = record_note(world)
    with pytest.raises(PermissionDenied):
        confidant_note_to_report(
            note=note, kind="sexual", accused="x", actor=getattr(world, persona), now=at(13, 12)
        )
