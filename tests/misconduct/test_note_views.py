""" "Mijn gesprekken": only the author sees a note (404 for everyone else, the director and the board
included); corrections and the conversion into a report through the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lev.audit.models import AccessLogEntry, AccessOutcome
from misconduct.models import ConfidantNote, MisconductReport
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

from .helpers import NOTE_TEXT, record_note, second_confidant

pytestmark = pytest.mark.django_db


def note_now(world, **overrides):
    now = timezone.now()
    overrides.setdefault("now", now)
    overrides.setdefault("held_at", now - timezone.timedelta(hours=1))
    return record_note(world, **overrides)


def test_the_confidant_records_and_reads_a_conversation(world):
    client = signed_in_client(world.confidant_a)
    assert client.get("/vertrouwenspersoon/gesprekken/nieuw/").status_code == 200
    held = timezone.localtime() - timezone.timedelta(hours=2)
    response = client.post(
        "/vertrouwenspersoon/gesprekken/nieuw/",
        {
            "school": world.school_a.pk,
            "held_at": held.strftime("%Y-%m-%dT%H:%M"),
            "with_whom": "Moeder van een leerling",
            "summary": NOTE_TEXT,
            "agreements": "",
            "follow_up": "",
        },
    )
    note = ConfidantNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vertrouwenspersoon/gesprekken/{note.pk}/"
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and NOTE_TEXT in detail.content.decode()
    listing = client.get("/vertrouwenspersoon/gesprekken/")
    assert listing.status_code == 200 and "Moeder van een leerling" in listing.content.decode()
    reads = AccessLogEntry.objects.filter(user=world.confidant_a, outcome=AccessOutcome.GRANTED)
    assert [(e.object_type, e.object_id) for e in reads.order_by("pk")] == [
        ("misconduct.confidantnote", str(note.pk)),
        ("misconduct.list", "confidant_notes"),
    ]


def test_a_refused_note_keeps_what_was_typed(world):
    client = signed_in_client(world.confidant_a)
    response = client.post(
        "/vertrouwenspersoon/gesprekken/nieuw/",
        {"school": world.school_a.pk, "held_at": "", "with_whom": "", "summary": NOTE_TEXT},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert h(t("Enter the date and time of the conversation.")) in page
    assert h(t("Say with whom you spoke (for example: a pupil of group 7, a mother).")) in page
    assert NOTE_TEXT in page
    assert ConfidantNote.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["director_a", "deputy_a", "ib_a", "teacher_a", "board_member", "privacy_officer", "teacher_b"]
)
def test_nobody_else_sees_the_notes(world, persona):
    note = note_now(world)
    client = signed_in_client(getattr(world, persona))
    for path in (
        "/vertrouwenspersoon/gesprekken/",
        "/vertrouwenspersoon/gesprekken/nieuw/",
        f"/vertrouwenspersoon/gesprekken/{note.pk}/",
        f"/vertrouwenspersoon/gesprekken/{note.pk}/corrigeren/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/vertrouwenspersoon/gesprekken/{note.pk}/melden/", {}).status_code == 404
    assert not AccessLogEntry.objects.filter(
        user=getattr(world, persona), outcome=AccessOutcome.GRANTED
    ).exists()


def test_another_confidant_of_the_same_school_gets_404(world):
    note = note_now(world)
    other = second_confidant(world)
    client = signed_in_client(other)
    assert client.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/").status_code == 404
    listing = client.get("/vertrouwenspersoon/gesprekken/")
    assert listing.status_code == 200 and NOTE_TEXT not in listing.content.decode()
    assert "Leerling uit groep 5" not in listing.content.decode()


def test_a_correction_through_the_page(world):
    note = note_now(world)
    client = signed_in_client(world.confidant_a)
    form = client.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/corrigeren/")
    assert NOTE_TEXT in form.content.decode()
    response = client.post(
        f"/vertrouwenspersoon/gesprekken/{note.pk}/corrigeren/",
        {
            "held_at": timezone.localtime(note.held_at).strftime("%Y-%m-%dT%H:%M"),
            "with_whom": "Leerling uit groep 6",
            "summary": "Verbeterd verslag.",
            "correction_reason": "Groep was fout.",
        },
    )
    correction = ConfidantNote.objects.get(corrects=note)
    assert response["Location"] == f"/vertrouwenspersoon/gesprekken/{correction.pk}/"
    old = client.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/").content.decode()
    assert h(t("This version has been corrected.")) in old
    # Correcting the old version again is refused.
    again = client.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/corrigeren/")
    assert again.status_code == 302


def test_turning_a_note_into_a_report_through_the_page(world):
    note = note_now(world)
    client = signed_in_client(world.confidant_a)
    refused = client.post(f"/vertrouwenspersoon/gesprekken/{note.pk}/melden/", {"report-kind": "sexual"})
    assert refused.status_code == 200
    assert h(
        t("Say who it is about: a name and function, or describe the person if you do not know the name.")
    ) in (refused.content.decode())
    response = client.post(
        f"/vertrouwenspersoon/gesprekken/{note.pk}/melden/",
        {"report-kind": "sexual", "report-accused": "De invaller van groep 5"},
    )
    report = MisconductReport.objects.get()
    assert response["Location"] == f"/wpo4a/meldingen/{report.pk}/ontvangen/"
    assert client.get(response["Location"]).status_code == 200
    assert report.reference in client.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/").content.decode()
    # The board now sees the report, with the facts, but never the note.
    board = signed_in_client(world.board_member)
    assert NOTE_TEXT in board.get(f"/wpo4a/meldingen/{report.pk}/").content.decode()
    assert board.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/").status_code == 404
    # The director sees neither.
    director = signed_in_client(world.director_a)
    assert director.get(f"/wpo4a/meldingen/{report.pk}/").status_code == 404
    assert director.get(f"/vertrouwenspersoon/gesprekken/{note.pk}/").status_code == 404
