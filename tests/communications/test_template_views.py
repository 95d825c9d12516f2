"""Letter templates for the functional administrator: versions, errors next to the field, the legal
review, previews, and access (403 for other roles, 404 for another board)."""

from __future__ import annotations

import pytest

from communications.domain.texts import letter_kind
from communications.models import LetterTemplate, TemplateReview
from lev.audit.models import AuditEvent
from tests.communications.test_rendering import normalise, pdf_text
from tests.conftest import signed_in_client
from tests.i18n_helpers import t

pytestmark = pytest.mark.django_db


def base(world, kind="schorsing_besluit", board=None):
    return f"/brieven/sjablonen/{(board or world.board).pk}/{kind}/"


def edit_data(kind_code: str, **changes: str) -> dict[str, str]:
    kind = letter_kind(kind_code)
    data = {f"block_{code}": text for code, text in kind.editable_defaults().items()}
    data.update({f"block_{code}": text for code, text in changes.items()})
    return data


def test_list_shows_every_kind_with_its_review_state(world):
    response = signed_in_client(world.functional_admin).get("/brieven/sjablonen/")
    assert response.status_code == 200
    [(board, statuses)] = response.context["sections"]
    assert board == world.board
    assert len(statuses) == 11
    by_code = {s.kind.code: s for s in statuses}
    assert by_code["schorsing_besluit"].concept is True
    assert by_code["timeout_melding"].concept is False  # not a legal letter
    assert t("Concept: not yet reviewed") in response.content.decode()


def test_saving_makes_a_new_version_with_a_snapshot_and_audit(world):
    client = signed_in_client(world.functional_admin)
    data = edit_data("schorsing_besluit", inleiding="Op {{ gesprek_datum }} spraken wij u.") | {
        "note": "Korter"
    }
    response = client.post(base(world) + "bewerken/", data)
    assert response.status_code == 302
    template = LetterTemplate.objects.get(board=world.board, kind="schorsing_besluit")
    assert template.version == 1
    assert template.blocks["inleiding"] == "Op {{ gesprek_datum }} spraken wij u."
    assert template.blocks["beroep_bijzonder"] == next(
        b.text for b in letter_kind("schorsing_besluit").blocks if b.code == "beroep_bijzonder"
    )
    event = AuditEvent.objects.get(action="letter_template_saved")
    assert event.summary["version"] == 1
    assert event.actor == world.functional_admin
    # The same text again is refused: nothing changed.
    again = client.post(base(world) + "bewerken/", data)
    assert again.status_code == 200
    assert LetterTemplate.objects.filter(board=world.board).count() == 1
    # A change makes version 2.
    client.post(
        base(world) + "bewerken/", edit_data("schorsing_besluit", inleiding="Anders {{ gesprek_datum }}.")
    )
    assert list(LetterTemplate.objects.filter(board=world.board).values_list("version", flat=True)) == [2, 1]


def test_unknown_field_and_lost_requirement_are_refused_next_to_the_field(world):
    client = signed_in_client(world.functional_admin)
    typed = "Om deze reden: {{ reden }}"
    response = client.post(base(world) + "bewerken/", edit_data("schorsing_besluit", redenen=typed))
    assert response.status_code == 200
    form = response.context["form"]
    assert "block_redenen" in form.errors
    assert any("{{ reden }}" in error for error in form.errors["block_redenen"])
    assert any("de redenen van het besluit" in error for error in form.non_field_errors())
    assert form["block_redenen"].value() == typed  # what was typed stays
    assert not LetterTemplate.objects.exists()


def test_template_syntax_from_the_browser_is_refused(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        base(world, "timeout_melding") + "bewerken/",
        edit_data("timeout_melding", gesprek="{% load static %}{{ gesprek_aanbod }}"),
    )
    assert response.status_code == 200
    assert "block_gesprek" in response.context["form"].errors
    assert not LetterTemplate.objects.exists()


def test_review_is_recorded_once_and_lifts_the_concept_mark(world):
    client = signed_in_client(world.functional_admin)
    client.post(base(world) + "bewerken/", edit_data("schorsing_besluit") | {"note": "Overgenomen"})
    template = LetterTemplate.objects.get(board=world.board)
    preview = client.get(base(world) + "voorbeeld/")
    assert "CONCEPT — juridisch te toetsen" in preview.content.decode()
    refused = client.post(base(world) + "versies/1/beoordelen/", {"reviewer_name": "mr. A. de Wit"})
    assert refused.status_code == 200  # the confirmation is required
    assert not TemplateReview.objects.exists()
    response = client.post(
        base(world) + "versies/1/beoordelen/", {"reviewer_name": "mr. A. de Wit", "confirm": "on"}
    )
    assert response.status_code == 302
    review = TemplateReview.objects.get(template=template)
    assert review.reviewer_name == "mr. A. de Wit"
    assert review.recorded_by == world.functional_admin
    assert AuditEvent.objects.filter(action="letter_template_reviewed").count() == 1
    assert "CONCEPT — juridisch te toetsen" not in client.get(base(world) + "voorbeeld/").content.decode()
    twice = client.post(base(world) + "versies/1/beoordelen/", {"reviewer_name": "iemand", "confirm": "on"})
    assert twice.status_code == 200
    assert TemplateReview.objects.count() == 1
    # A new version is a concept again until it is reviewed.
    client.post(
        base(world) + "bewerken/", edit_data("schorsing_besluit", inleiding="Nieuw {{ gesprek_datum }}.")
    )
    assert "CONCEPT — juridisch te toetsen" in client.get(base(world) + "voorbeeld/").content.decode()


def test_preview_shows_both_variants_and_the_pdf(world):
    client = signed_in_client(world.functional_admin)
    bijzonder = client.get(base(world) + "voorbeeld/").content.decode()
    openbaar = client.get(base(world) + "voorbeeld/?denominatie=openbaar").content.decode()
    assert "binnen 14 dagen na ontvangst van uw beroep" in bijzonder
    assert "artikel 6:5 van de Algemene wet bestuursrecht" in openbaar
    response = client.get(base(world) + "voorbeeld.pdf?denominatie=openbaar")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "artikel 6:5 van de Algemene wet bestuursrecht" in normalise(pdf_text(response.content))
    assert client.get(base(world) + "voorbeeld/?versie=9").status_code == 404


def test_detail_shows_the_diff_against_lev_text(world):
    client = signed_in_client(world.functional_admin)
    client.post(
        base(world, "timeout_melding") + "bewerken/",
        edit_data("timeout_melding", gesprek="**Een gesprek**\nBel ons gerust. {{ gesprek_aanbod }}"),
    )
    response = client.get(base(world, "timeout_melding"))
    changed = [d.code for d in response.context["diff"] if d.changed]
    assert changed == ["gesprek"]
    [gesprek] = [d for d in response.context["diff"] if d.code == "gesprek"]
    added = "".join(p.text for p in gesprek.pieces if p.change == "added")
    removed = "".join(p.text for p in gesprek.pieces if p.change == "removed")
    assert "Bel ons gerust." in added
    assert "Wij willen graag met u bespreken" in removed
    html = response.content.decode()
    assert "<ins>" in html and "<del>" in html


def test_access(world):
    from lev.schools.models import Board

    other_board = Board.objects.exclude(pk=world.board.pk).get()
    admin = signed_in_client(world.functional_admin)
    assert admin.get(base(world, board=other_board)).status_code == 404
    assert admin.get(base(world, kind="onbekend")).status_code == 404
    for persona in ("director_a", "board_member", "privacy_officer", "teacher_a"):
        client = signed_in_client(getattr(world, persona))
        assert client.get("/brieven/sjablonen/").status_code == 403
        assert client.post(base(world) + "bewerken/", edit_data("schorsing_besluit")).status_code == 403
    assert not LetterTemplate.objects.exists()
