"""Letters from draft to sent: four eyes, required elements, the legal review, R2a, the wording
check, one copy per address, PDFs stored with their hash and never regenerated, dispatch per copy,
the dossier entry (issue "Letters and communication", LEGAL.md §8, ARCHITECTURE.md §8)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communications import letter_services as svc
from communications.domain.texts import letter_kind
from communications.letter_models import Letter, LetterCopy, LetterStatus
from communications.models import LetterTemplate, TemplateReview
from lev.audit.models import AuditEvent
from lev.dossier.models import DossierEntry
from lev.jobs.models import OutboxItem
from lev.schools.models import DecisionMaker, Guardian, Pupil, PupilGuardian
from tests.communications.test_rendering import normalise, pdf_text
from tests.i18n_helpers import t

pytestmark = pytest.mark.django_db


def msg(msgid: str) -> str:
    """A service message as the user reads it (through gettext), as a pattern for pytest.raises."""
    return re.escape(t(msgid))


@pytest.fixture(autouse=True)
def _school_phone(world):
    """Letters name the school's phone number as the contact (a required element)."""
    world.school_a.phone = "0172 123 456"
    world.school_a.city = "Boskoop"
    world.school_a.save()


NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def guardian(
    world,
    pupil,
    name,
    *,
    street="Zuidkade 3",
    postcode="2771 DS",
    city="Boskoop",
    gezag=True,
    shielded=False,
    email="",
):
    first, last = name.split(" ", 1)
    g = Guardian.objects.create(
        board=world.board,
        school=pupil.school,
        external_key=name,
        first_name=first,
        achternaam=last,
        street=street,
        postcode=postcode,
        city=city,
        address_shielded=shielded,
        email=email,
    )
    PupilGuardian.objects.create(
        board=world.board, school=pupil.school, pupil=pupil, guardian=g, relation="parent", has_gezag=gezag
    )
    return g


def reviewed_template(world, code):
    kind = letter_kind(code)
    template = LetterTemplate.objects.create(
        board=world.board,
        kind=code,
        version=1,
        shipped_version=kind.version,
        blocks=kind.snapshot(),
        created_at=NOW,
    )
    TemplateReview.objects.create(
        template=template,
        board=world.board,
        reviewer_name="mr. A. de Wit",
        recorded_by=world.functional_admin,
        recorded_at=NOW,
    )
    return template


def samples(code):
    kind = letter_kind(code)
    return {f.code: f.sample for f in kind.fields if f.source == "letter"}


def draft(world, code="schorsing_besluit", author=None, values=None, **kwargs):
    kind = letter_kind(code)
    pupil = world.pupil_a if kind.audience == "pupil_parents" else None
    groups = [world.group_a.pk] if kind.audience == "group_parents" else []
    return svc.letter_create(
        kind_code=code,
        school=world.school_a,
        pupil=pupil,
        group_ids=groups,
        values=samples(code) if values is None else values,
        actor=author or world.ib_a,
        now=NOW,
        **kwargs,
    )


def render_now(letter):
    return svc.letter_render(letter.pk, now=NOW, renderer=svc.render_in_process)


def test_the_whole_way_from_draft_to_sent(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    guardian(world, world.pupil_a, "Els Jansen")  # same address: one letter
    guardian(
        world, world.pupil_a, "Piet Pietersen", street="Dorpsstraat 8", postcode="2741AB", city="Waddinxveen"
    )
    guardian(
        world, world.pupil_a, "Ria Jansen", shielded=True, street="Geheim 1", postcode="1234AB", city="Ergens"
    )
    guardian(
        world, world.pupil_a, "Kees Jansen", gezag=False, street="Elders 2", postcode="9999ZZ", city="Verweg"
    )
    reviewed_template(world, "schorsing_besluit")
    world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    world.school_a.save()
    letter = draft(world)
    assert letter.status == LetterStatus.DRAFT
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED
    assert letter.approved_by == world.director_a
    copies = list(letter.copies.order_by("position"))
    assert [c.address_lines[0] for c in copies] == [
        "Jan Jansen en Els Jansen",
        "Piet Pietersen",
        "Ria Jansen",
        "het bestuur van Stichting Test",
    ]
    assert [(c.shielded, c.is_copy) for c in copies] == [
        (False, False),
        (False, False),
        (True, False),
        (False, True),
    ]
    assert OutboxItem.objects.filter(kind=svc.RENDER_JOB, payload={"letter_id": letter.pk}).count() == 1
    assert render_now(letter) == 4
    first = LetterCopy.objects.get(letter=letter, position=1)
    content = svc.copy_pdf_bytes(first)
    assert hashlib.sha256(content).hexdigest() == first.sha256
    text = normalise(pdf_text(content))
    assert "Jan Jansen en Els Jansen" in text and "2771 DS BOSKOOP" in text
    assert (
        "Ria Jansen" not in text and "Geheim 1" not in text
    )  # the shielded address is only on her own letter
    assert "7 december 2026" in text  # the date of approval
    assert "CONCEPT" not in text
    assert "Anna Jansen" in text  # the pupil, in her parents' letter
    # Rendering again changes nothing.
    hashes = list(
        LetterCopy.objects.filter(letter=letter).order_by("position").values_list("sha256", flat=True)
    )
    assert render_now(letter) == 0
    assert (
        list(LetterCopy.objects.filter(letter=letter).order_by("position").values_list("sha256", flat=True))
        == hashes
    )
    # Dispatch: the letter is sent when every addressee's copy went out (copies to the board do not count).
    for position in (1, 2, 3):
        copy = LetterCopy.objects.get(letter=letter, position=position)
        svc.letter_copy_dispatch(
            copy=copy,
            method="registered_mail",
            tracking_number=f"3SABC{position}",
            sent_on=dt.date(2026, 12, 7),
            actor=world.ib_a,
            now=NOW,
        )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    entry = DossierEntry.objects.get(pupil=world.pupil_a, kind="letter")
    assert entry.source_id == str(letter.pk)
    assert [
        e.action
        for e in AuditEvent.objects.filter(object_type="communications.letter", object_id=str(letter.pk))
    ] == [
        "letter_created",
        "letter_submitted",
        "letter_approved",
        "letter_sent",
    ]


def test_author_cannot_approve_their_own_letter(world):
    reviewed_template(world, "timeout_melding")
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding", author=world.director_a)
    svc.letter_submit(letter=letter, actor=world.director_a, now=NOW)
    with pytest.raises(
        ValidationError,
        match=msg("Someone else must approve this letter: the author cannot approve their own letter."),
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SUBMITTED
    # Also the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(approved_by=world.director_a)


def test_only_director_deputy_or_board_approve(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding")
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    for persona in ("teacher_a", "confidant_a", "functional_admin", "privacy_officer"):
        with pytest.raises(
            ValidationError,
            match=msg("Only the director, the deputy director or a board member can approve letters."),
        ):
            svc.letter_approve(letter=letter, actor=getattr(world, persona), now=NOW)
    svc.letter_approve(letter=letter, actor=world.deputy_a, now=NOW)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.APPROVED


def test_board_letters_only_by_the_board(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    reviewed_template(world, "verwijdering_besluit")
    letter = draft(world, "verwijdering_besluit")
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    with pytest.raises(
        ValidationError, match=msg("The board decides this letter: only a board member can approve it.")
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.board_member, now=NOW)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.APPROVED


def test_unreviewed_legal_template_cannot_be_approved(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    world.school_a.save()
    letter = draft(world)  # LEV's text, no reviewed version
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    with pytest.raises(
        ValidationError,
        match=msg(
            "The letter text is a concept: a named reviewer has not yet approved this template version (Letter templates)."
        ),
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    # An unreviewed board version is not enough either.
    kind = letter_kind("schorsing_besluit")
    template = LetterTemplate.objects.create(
        board=world.board,
        kind=kind.code,
        version=1,
        shipped_version=kind.version,
        blocks=kind.snapshot(),
        created_at=NOW,
    )
    letter = svc.letter_update(letter=letter, values=samples(kind.code), actor=world.ib_a, now=NOW)
    assert letter.template == template
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    with pytest.raises(
        ValidationError,
        match=msg(
            "The letter text is a concept: a named reviewer has not yet approved this template version (Letter templates)."
        ),
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    assert not LetterCopy.objects.exists()


def test_missing_required_element_cannot_be_submitted_or_approved(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    reviewed_template(world, "timeout_melding")
    values = samples("timeout_melding") | {"werkplek": "  "}
    letter = draft(world, "timeout_melding", values=values)
    with pytest.raises(ValidationError, match="waar de leerling werkt"):
        svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.DRAFT


def test_incident_letter_wording_needs_an_override_with_reason(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    values = samples("incident_eigen_groep") | {"situatie": "waarbij een dader een slachtoffer pestte"}
    letter = draft(world, "incident_eigen_groep", values=values)
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    with pytest.raises(
        ValidationError,
        match=msg(
            "This letter goes to other parents: explain why the flagged words must stay, or change them."
        ),
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    check = svc.letter_check(Letter.objects.get(pk=letter.pk), day=NOW.date())
    assert [w.split(" — ")[0] for w in check.wording] == ["dader", "slachtoffer"]
    letter = svc.letter_update(
        letter=letter,
        values=values,
        wording_override_reason="Citaat uit de melding van de GGD.",
        actor=world.ib_a,
        now=NOW,
    )
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)


def test_incident_letter_names_no_pupil(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    values = samples("incident_eigen_groep") | {"acties": "Anna Jansen krijgt begeleiding."}
    letter = draft(world, "incident_eigen_groep", values=values)
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    with pytest.raises(
        ValidationError, match=msg("The letter names a pupil. Letters to groups name no one.")
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)


def test_r2a_sentence_needs_a_covering_decided_suspension(world):
    # A name no generated staff name can contain, so "never named" below cannot pass or fail by chance.
    Pupil.objects.filter(pk=world.pupil_a_other.pk).update(roepnaam="Quirijntje", achternaam="Zwaluwstaart")
    guardian(world, world.pupil_a, "Jan Jansen")
    values = samples("incident_eigen_groep") | {
        "thuis_leerling_id": str(world.pupil_a_other.pk),
        "thuis_eerste_dag_iso": "2026-12-08",
        "thuis_laatste_dag_iso": "2026-12-10",
    }
    letter = draft(world, "incident_eigen_groep", values=values)
    letter = svc.letter_update(
        letter=letter, values=values, enabled_blocks=["thuis_gehouden"], actor=world.ib_a, now=NOW
    )
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    with pytest.raises(
        ValidationError,
        match=msg(
            "The sentence that a pupil stays at home may only be used when a decided suspension of that pupil covers those days (LEGAL.md R2a). No such suspension is recorded."
        ),
    ):
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    calls = []

    def covers(pupil, first, last):
        calls.append((pupil.pk, first, last))
        return (
            pupil.pk == world.pupil_a_other.pk
            and first >= dt.date(2026, 12, 8)
            and last <= dt.date(2026, 12, 10)
        )

    registered = svc._covering_suspension
    svc.register_covering_suspension(covers)
    try:
        svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    finally:
        svc.register_covering_suspension(registered)
    assert calls == [(world.pupil_a_other.pk, dt.date(2026, 12, 8), dt.date(2026, 12, 10))]
    render_now(letter)
    text = normalise(pdf_text(svc.copy_pdf_bytes(LetterCopy.objects.get(letter=letter, position=1))))
    assert "niet naar school" in text
    assert "Quirijntje" not in text and "Zwaluwstaart" not in text  # the pupil is never named


def test_dispatch_rules(world):
    guardian(world, world.pupil_a, "Jan Jansen", email="jan@example.org")
    reviewed_template(world, "schorsing_besluit")
    world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    world.school_a.save()
    letter = draft(world)
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    copy = LetterCopy.objects.get(letter=letter, position=1)
    with pytest.raises(
        ValidationError, match=msg("The PDF of this letter is not ready yet. Try again in a minute.")
    ):
        svc.letter_copy_dispatch(
            copy=copy, method="by_hand", sent_on=dt.date(2026, 12, 7), actor=world.ib_a, now=NOW
        )
    render_now(letter)
    cases = [
        ({"method": "email"}, "method"),  # a schorsing never goes as an attachment
        ({"method": "registered_mail", "tracking_number": " "}, "tracking_number"),
        ({"method": "by_hand", "sent_on": dt.date(2026, 12, 8)}, "sent_on"),  # the future
        ({"method": "post", "delivered_on": dt.date(2026, 12, 6)}, "delivered_on"),
    ]
    for changes, field in cases:
        kwargs = {"method": "by_hand", "sent_on": dt.date(2026, 12, 7)} | changes
        with pytest.raises(ValidationError) as refused:
            svc.letter_copy_dispatch(copy=copy, actor=world.ib_a, now=NOW, **kwargs)
        assert field in refused.value.error_dict
    assert LetterCopy.objects.get(pk=copy.pk).method == ""
    svc.letter_copy_dispatch(
        copy=copy, method="by_hand", sent_on=dt.date(2026, 12, 7), actor=world.ib_a, now=NOW
    )
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT
    # Later the delivery date is added; the letter stays sent and gets one dossier entry.
    svc.letter_copy_dispatch(
        copy=copy,
        method="by_hand",
        sent_on=dt.date(2026, 12, 7),
        delivered_on=dt.date(2026, 12, 7),
        actor=world.ib_a,
        now=NOW,
    )
    assert DossierEntry.objects.filter(kind="letter").count() == 1


def test_email_dispatch_for_an_incident_letter_goes_through_the_outbox(world, mailoutbox):
    from lev.jobs.services import sweep

    guardian(world, world.pupil_a, "Jan Jansen", email="jan@example.org")
    letter = draft(world, "incident_eigen_groep")
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    render_now(letter)
    copy = LetterCopy.objects.get(letter=letter, position=1)
    svc.letter_copy_dispatch(
        copy=copy, method="email", sent_on=dt.date(2026, 12, 7), actor=world.ib_a, now=NOW
    )
    OutboxItem.objects.filter(kind=svc.RENDER_JOB).update(status="done")
    sweep(now=NOW)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["jan@example.org"]
    assert "Anna" not in message.body and "grensoverschrijdend" not in message.body
    [(name, content, mime)] = message.attachments
    assert mime == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == LetterCopy.objects.get(pk=copy.pk).sha256


def test_a_changed_pdf_on_disk_is_never_served(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding")
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    render_now(letter)
    copy = LetterCopy.objects.get(letter=letter, position=1)
    with copy.pdf.open("wb") as fh:
        fh.write(b"%PDF-1.7 tampered")
    with pytest.raises(ValueError, match="does not match"):
        svc.copy_pdf_bytes(copy)


def test_withdraw(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding")
    with pytest.raises(ValidationError):
        svc.letter_withdraw(letter=letter, reason=" ", actor=world.ib_a, now=NOW)
    svc.letter_withdraw(letter=letter, reason="Toch telefonisch afgehandeld.", actor=world.ib_a, now=NOW)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)


@pytest.mark.parametrize(
    ("code", "attendance", "inspectorate", "expected"),
    [
        ("timeout_melding", True, True, []),
        ("schorsing_besluit", False, False, ["het bestuur van Stichting Test"]),
        (
            "schorsing_besluit",
            True,
            False,
            ["het bestuur van Stichting Test", "de leerplichtambtenaar (Leerplicht Alphen)"],
        ),
        ("verwijdering_besluit", True, False, ["het bestuur van Stichting Test"]),
        (
            "verwijdering_besluit",
            False,
            True,
            ["het bestuur van Stichting Test", "de Inspectie van het Onderwijs"],
        ),
    ],
)
def test_default_copies_follow_the_school_settings(world, code, attendance, inspectorate, expected):
    world.school_a.attendance_office = "Leerplicht Alphen"
    world.school_a.copy_suspension_to_attendance_officer = attendance
    world.school_a.copy_expulsion_to_inspectorate = inspectorate
    world.school_a.save()
    assert draft(world, code).copies_to == expected
