"""The parent contact log (Bijlage 21): the services' side effects, corrections that never change a
row, the refusals next to their fields, and access through the pupil chokepoint.

Times in the service tests are fixed: the contact on Tue 12 May 2026 09:15 (Amsterdam), recorded at
10:00. A follow-up on Thu 14 May (Hemelvaartsdag) is due that very day (rule
`vervolgafspraak-ouders`: no Atw extension), overdue from Fri 15 May 00:00.
View tests use the real clock, with dates relative to today.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communications.contact_models import ContactChannel, ContactLog
from communications.contact_services import contact_log_correct, contact_log_record
from lev.audit.models import AccessLogEntry, AccessOutcome, AuditEvent, InsertOnlyError
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.schools.models import Guardian, PupilGuardian
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=AMSTERDAM)
CONTACT_AT = dt.datetime(2026, 5, 12, 9, 15, tzinfo=AMSTERDAM)


def add_parent(pupil, first_name: str, achternaam: str, relation: str = "mother", key: str = "") -> Guardian:
    guardian = Guardian.objects.create(
        board=pupil.board,
        school=pupil.school,
        external_key=key or f"{first_name}-{achternaam}",
        first_name=first_name,
        achternaam=achternaam,
    )
    PupilGuardian.objects.create(
        board=pupil.board, school=pupil.school, pupil=pupil, guardian=guardian, relation=relation
    )
    return guardian


def record(world, **overrides):
    values = {
        "pupil": world.pupil_a,
        "contact_at": CONTACT_AT,
        "with_whom": "moeder",
        "channel": ContactChannel.PHONE,
        "summary": "Gebeld over het duwen bij het klimrek.",
        "agreements": "Moeder praat er thuis over.",
        "actor": world.teacher_a,
        "now": NOW,
    }
    values.update(overrides)
    return contact_log_record(**values)


# Audit actions of the writes under test (signing in writes its own audit rows).
WRITE_ACTIONS = (
    "contact_log_recorded",
    "contact_log_corrected",
    "dossier_entry_recorded",
    "dossier_entry_corrected",
    "deadline_opened",
    "deadline_waived",
)


def counts() -> tuple[int, int, int, int]:
    """Contact rows, dossier entries, audit rows of these writes, deadlines."""
    return (
        ContactLog.objects.count(),
        DossierEntry.objects.count(),
        AuditEvent.objects.filter(action__in=WRITE_ACTIONS).count(),
        Deadline.objects.count(),
    )


# --- Recording ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_writes_the_row_the_dossier_entry_the_audit_row_and_the_follow_up(world):
    mother = add_parent(world.pupil_a, "Petra", "Jansen")
    contact = record(
        world,
        guardian_ids=[mother.pk],
        others_present="J.K., P.d.V.",
        follow_up_on=dt.date(2026, 5, 14),
        follow_up_note="Moeder belt terug",
    )

    row = ContactLog.objects.get()
    assert (row.board, row.school, row.pupil, row.crisis_id) == (
        world.board,
        world.school_a,
        world.pupil_a,
        None,
    )
    assert (row.contact_at, row.created_at, row.recorded_by) == (CONTACT_AT, NOW, world.teacher_a)
    assert (row.with_whom, row.guardian_ids, row.channel) == ("moeder", [mother.pk], "phone")
    assert (row.summary, row.agreements, row.others_present) == (
        "Gebeld over het duwen bij het klimrek.",
        "Moeder praat er thuis over.",
        "J.K., P.d.V.",
    )
    assert (row.follow_up_on, row.follow_up_note, row.corrects) == (
        dt.date(2026, 5, 14),
        "Moeder belt terug",
        None,
    )

    entry = DossierEntry.objects.get()
    assert (entry.pupil, entry.school, entry.kind) == (world.pupil_a, world.school_a, "parent_contact")
    assert (entry.source_type, entry.source_id) == ("communications.contactlog", str(contact.pk))
    assert (entry.happened_at, entry.recorded_at, entry.author) == (CONTACT_AT, NOW, world.teacher_a)
    assert (entry.observation, entry.others_present, entry.visibility) == (
        Observation.OBSERVED,
        "J.K., P.d.V.",
        Visibility.SCHOOL,
    )
    # Stored in Dutch (part of the record, like the deadline explanations).
    assert entry.title == "Contact met ouders: moeder (telefoon)"
    assert entry.summary.splitlines() == [
        "Gebeld over het duwen bij het klimrek.",
        "Afspraken: Moeder praat er thuis over.",
        "Vervolgafspraak: 14-05-2026 — Moeder belt terug",
    ]

    deadline = Deadline.objects.get()
    assert (deadline.rule_code, deadline.subject_type, deadline.subject_id) == (
        "vervolgafspraak-ouders",
        "communications.contactlog",
        str(contact.pk),
    )
    assert (deadline.school, deadline.board, deadline.visibility) == (world.school_a, world.board, "school")
    assert (deadline.responsible_user, deadline.responsible_role) == (world.teacher_a, "teacher")
    # Thu 14 May 2026 is Hemelvaartsdag: the agreed date stays the due date.
    assert (deadline.start_on, deadline.due_on, deadline.status) == (
        dt.date(2026, 5, 14),
        dt.date(2026, 5, 14),
        DeadlineStatus.OPEN,
    )
    assert deadline.overdue_at == dt.datetime(2026, 5, 15, 0, 0, tzinfo=AMSTERDAM)

    audit = AuditEvent.objects.get(action="contact_log_recorded")
    assert (audit.actor, audit.board, audit.object_type, audit.object_id) == (
        world.teacher_a,
        world.board,
        "communications.contactlog",
        str(contact.pk),
    )
    assert audit.summary == {
        "pupil_id": world.pupil_a.pk,
        "channel": "phone",
        "guardian_ids": [mother.pk],
        "dossier_entry_id": entry.pk,
        "deadline_id": deadline.pk,
    }
    assert [e.action for e in AuditEvent.objects.order_by("sequence")] == [
        "dossier_entry_recorded",
        "deadline_opened",
        "contact_log_recorded",
    ]


@pytest.mark.django_db
def test_without_a_follow_up_no_deadline_and_ticked_parents_name_the_contact(world):
    father = add_parent(world.pupil_a, "Karel", "Jansen", relation="father")
    mother = add_parent(world.pupil_a, "Petra", "Bakker")
    record(world, with_whom="  ", guardian_ids=[father.pk, mother.pk], actor=world.director_a)
    row = ContactLog.objects.get()
    # Both names are stored with the row, in the pupil's order of parents (by surname).
    assert row.with_whom == "Petra Bakker, Karel Jansen"
    assert row.guardian_ids == sorted([mother.pk, father.pk])
    assert not Deadline.objects.exists()
    assert AuditEvent.objects.get(action="contact_log_recorded").summary["deadline_id"] is None


@pytest.mark.django_db
def test_a_follow_up_on_the_day_of_the_contact_is_allowed(world):
    record(world, follow_up_on=dt.date(2026, 5, 12), actor=world.deputy_a)
    deadline = Deadline.objects.get()
    assert (deadline.due_on, deadline.responsible_role) == (dt.date(2026, 5, 12), "deputy_director")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"contact_at": NOW + dt.timedelta(minutes=1)},
            "contact_at",
            ("A contact cannot lie in the future. Enter the date and time the contact took place.", {}),
        ),
        (
            {"follow_up_on": dt.date(2026, 5, 11)},
            "follow_up_on",
            (
                "The follow-up appointment cannot be before the contact (%(day)s). Choose a date on or after it.",
                {"day": "12-05-2026"},
            ),
        ),
        (
            {"follow_up_note": "Terugbellen"},
            "follow_up_on",
            ("Enter the date of the follow-up appointment, or leave the note empty.", {}),
        ),
        (
            {"follow_up_on": dt.date(2100, 1, 4)},
            "follow_up_on",
            ("LEV cannot plan a follow-up appointment on this date. Choose another date.", {}),
        ),
        (
            {"summary": "  \n "},
            "summary",
            ("Write down what was discussed: the facts, in a few sentences.", {}),
        ),
        (
            {"with_whom": ""},
            "with_whom",
            (
                "Say with whom you spoke: tick a parent or type who it was (for example: mother, both parents).",
                {},
            ),
        ),
        ({"channel": "fax"}, "channel", ("Choose how the contact took place.", {})),
        (
            {"others_present": "Jan Klaassen"},
            "others_present",
            (
                "Record others present by their initials only, separated by commas (for example: J.K., P.d.V.).",
                {},
            ),
        ),
    ],
)
def test_refusals_come_with_a_message_for_their_field_and_write_nothing(world, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        record(world, **overrides)
    msgid, params = message
    assert caught.value.message_dict == {field: [t(msgid, **params)]}
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_a_parent_of_another_pupil_cannot_be_linked(world):
    stranger = add_parent(world.pupil_a_other, "Els", "de Vries")
    with pytest.raises(ValidationError) as caught:
        record(world, guardian_ids=[stranger.pk])
    assert caught.value.message_dict == {"guardian_ids": [t("Choose only parents of this pupil.")]}
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["staff_a", "confidant_a", "board_member", "privacy_officer", "functional_admin", "teacher_b"]
)
def test_only_teachers_ib_and_directors_of_the_school_may_record(world, persona):
    with pytest.raises(PermissionDenied):
        record(world, actor=getattr(world, persona))
    assert counts() == (0, 0, 0, 0)


# --- Corrections: append-only --------------------------------------------------------------------


def correct(entry, actor, **overrides):
    values = {
        "entry": entry,
        "contact_at": entry.contact_at,
        "with_whom": entry.with_whom,
        "guardian_ids": entry.guardian_ids,
        "channel": entry.channel,
        "summary": entry.summary,
        "agreements": entry.agreements,
        "others_present": entry.others_present,
        "follow_up_on": entry.follow_up_on,
        "follow_up_note": entry.follow_up_note,
        "reason": "Verkeerd vastgelegd",
        "actor": actor,
        "now": NOW + dt.timedelta(hours=1),
    }
    values.update(overrides)
    return contact_log_correct(**values)


@pytest.mark.django_db
def test_rows_are_insert_only(world):
    contact = record(world)
    contact.summary = "overschreven"
    with pytest.raises(InsertOnlyError):
        contact.save()
    with pytest.raises(InsertOnlyError):
        contact.delete()
    assert ContactLog.objects.get().summary == "Gebeld over het duwen bij het klimrek."


@pytest.mark.django_db
def test_a_correction_is_a_new_row_and_moves_the_follow_up(world):
    original = record(world, follow_up_on=dt.date(2026, 5, 14))
    first_deadline = Deadline.objects.get()
    later = NOW + dt.timedelta(hours=1)

    correction = correct(
        original,
        world.ib_a,
        channel=ContactChannel.IN_PERSON,
        follow_up_on=dt.date(2026, 5, 19),
        reason="Het was een gesprek op school; de vervolgafspraak is dinsdag.",
    )

    assert (correction.corrects, correction.correction_reason) == (
        original,
        "Het was een gesprek op school; de vervolgafspraak is dinsdag.",
    )
    assert (correction.recorded_by, correction.created_at, correction.channel) == (
        world.ib_a,
        later,
        "in_person",
    )
    assert ContactLog.objects.count() == 2
    unchanged = ContactLog.objects.get(pk=original.pk)
    assert (unchanged.channel, unchanged.follow_up_on, unchanged.recorded_by) == (
        "phone",
        dt.date(2026, 5, 14),
        world.teacher_a,
    )

    first_entry, corrected_entry = DossierEntry.objects.order_by("pk")
    assert corrected_entry.corrects == first_entry
    assert (
        corrected_entry.correction_reason == "Het was een gesprek op school; de vervolgafspraak is dinsdag."
    )
    assert (corrected_entry.author, corrected_entry.recorded_at) == (world.ib_a, later)
    assert corrected_entry.summary.splitlines()[-1] == "Vervolgafspraak: 19-05-2026"
    assert DossierEntry.objects.get(pk=first_entry.pk).summary == first_entry.summary

    first_deadline.refresh_from_db()
    assert first_deadline.status == DeadlineStatus.WAIVED
    assert first_deadline.waived_reason == (
        "Datum van de vervolgafspraak gecorrigeerd: Het was een gesprek op school; de vervolgafspraak is dinsdag."
    )
    new_deadline = Deadline.objects.get(status=DeadlineStatus.OPEN)
    assert (new_deadline.subject_id, new_deadline.due_on) == (str(correction.pk), dt.date(2026, 5, 19))
    assert (new_deadline.responsible_user, new_deadline.responsible_role) == (world.ib_a, "care_coordinator")

    audit = AuditEvent.objects.get(action="contact_log_corrected")
    assert audit.object_id == str(correction.pk)
    assert audit.summary == {
        "corrects": original.pk,
        "pupil_id": world.pupil_a.pk,
        "fields": ["channel", "follow_up_on"],
        "dossier_entry_id": corrected_entry.pk,
        "deadline_id": new_deadline.pk,
        "waived_deadline_ids": [first_deadline.pk],
    }


@pytest.mark.django_db
def test_an_unchanged_follow_up_keeps_its_deadline_and_corrections_chain(world):
    original = record(world, follow_up_on=dt.date(2026, 5, 14))
    deadline = Deadline.objects.get()
    first = correct(original, world.teacher_a, summary="Gebeld over het duwen bij de schommel.")
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN
    assert Deadline.objects.count() == 1
    assert AuditEvent.objects.get(action="contact_log_corrected").summary["fields"] == ["summary"]

    # The original can no longer be corrected; the newest version can.
    with pytest.raises(ValidationError) as caught:
        correct(original, world.teacher_a, summary="Nog anders.")
    assert caught.value.messages == [
        t("This contact has been corrected already. Correct the newest version.")
    ]
    second = correct(first, world.teacher_a, follow_up_on=None, reason="Geen vervolgafspraak gemaakt")
    assert second.corrects == first
    # The chronology corrects its own newest entry, and the follow-up of the first row is waived.
    entries = list(DossierEntry.objects.order_by("pk"))
    assert [e.corrects_id for e in entries] == [None, entries[0].pk, entries[1].pk]
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.WAIVED
    assert not Deadline.objects.filter(status=DeadlineStatus.OPEN).exists()


@pytest.mark.django_db
def test_a_corrected_date_is_named_in_the_chronology(world):
    original = record(world)
    correction = correct(original, world.teacher_a, contact_at=CONTACT_AT - dt.timedelta(minutes=30))
    assert correction.contact_at == dt.datetime(2026, 5, 12, 8, 45, tzinfo=AMSTERDAM)
    corrected_entry = DossierEntry.objects.get(corrects__isnull=False)
    # The dossier correction keeps the moment of the entry it corrects and names the new one.
    assert corrected_entry.summary.splitlines()[0] == "Gecorrigeerde datum van het contact: 12-05-2026 08:45"
    assert corrected_entry.happened_at == CONTACT_AT
    assert AuditEvent.objects.get(action="contact_log_corrected").summary["fields"] == ["contact_at"]


@pytest.mark.django_db
def test_a_correction_needs_a_reason_and_a_change(world):
    original = record(world)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        correct(original, world.teacher_a, summary="Anders", reason="  ")
    assert caught.value.message_dict == {"reason": [t("Give the reason for the correction.")]}
    with pytest.raises(ValidationError) as caught:
        correct(original, world.teacher_a)
    assert caught.value.messages == [t("Nothing was changed. Change what was wrong, or cancel.")]
    with pytest.raises(ValidationError) as caught:
        correct(original, world.teacher_a, summary="", reason="")
    assert set(caught.value.message_dict) == {"summary", "reason"}
    with pytest.raises(PermissionDenied):
        correct(original, world.staff_a, summary="Anders")
    assert counts() == before


@pytest.mark.django_db
def test_the_database_refuses_a_correction_without_reason_and_a_second_correction(world):
    original = record(world)
    fields = {
        "board": world.board,
        "school": world.school_a,
        "pupil": world.pupil_a,
        "contact_at": CONTACT_AT,
        "with_whom": "moeder",
        "channel": "phone",
        "summary": "x",
        "recorded_by": world.teacher_a,
        "created_at": NOW,
        "corrects": original,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactLog.objects.create(**fields)
    ContactLog.objects.create(**fields, correction_reason="eerste")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactLog.objects.create(**fields, correction_reason="tweede")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactLog.objects.create(**{**fields, "corrects": None, "pupil": None})  # neither pupil nor crisis


# --- Pages -----------------------------------------------------------------------------------------


def list_url(pupil) -> str:
    return f"/leerlingen/{pupil.pk}/contacten/"


def local_now() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def form_data(**overrides) -> dict:
    when = local_now() - dt.timedelta(days=1)
    data = {
        "contact_at": when.strftime("%Y-%m-%dT%H:%M"),
        "with_whom": "vader",
        "channel": "phone",
        "summary": "Vader belde over de ruzie in de gymles.",
        "agreements": "Leerkracht bespreekt het morgen in de klas.",
        "others_present": "",
        "follow_up_on": "",
        "follow_up_note": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_pupil_page_links_to_the_contact_log(world):
    page = signed_in_client(world.teacher_a).get(f"/leerlingen/{world.pupil_a.pk}/").content.decode()
    assert h(t("Contacts with parents")) in page
    assert f'href="{list_url(world.pupil_a)}"' in page
    assert f'href="{list_url(world.pupil_a)}nieuw/"' in page


@pytest.mark.django_db
def test_recording_through_the_form_and_the_list_newest_first(world):
    client = signed_in_client(world.teacher_a)
    follow_up = (local_now() + dt.timedelta(days=7)).date()
    response = client.post(
        f"{list_url(world.pupil_a)}nieuw/",
        form_data(follow_up_on=follow_up.isoformat(), follow_up_note="Op school met IB"),
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(world.pupil_a)
    older = ContactLog.objects.get()
    assert (older.recorded_by, older.follow_up_on) == (world.teacher_a, follow_up)
    assert Deadline.objects.get().due_on == follow_up
    client.post(
        f"{list_url(world.pupil_a)}nieuw/",
        form_data(contact_at=local_now().strftime("%Y-%m-%dT%H:%M"), summary="Moeder mailde een vraag."),
    )
    response = client.get(list_url(world.pupil_a))
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for heading in (
        "Date",
        "Spoke with",
        "Channel",
        "What was discussed",
        "Agreements",
        "By whom",
        "Follow-up",
    ):
        assert f'<th scope="col">{h(t(heading))}</th>' in page
    assert page.index("Moeder mailde een vraag.") < page.index("Vader belde over de ruzie in de gymles.")
    assert follow_up.strftime("%d-%m-%Y") in page
    assert h(world.teacher_a.display_name) in page
    # The buttons are not printed.
    assert 'class="btn btn-primary lev-no-print"' in page


@pytest.mark.django_db
def test_the_form_starts_at_now_and_lists_the_parents_with_their_restrictions(world):
    add_parent(world.pupil_a, "Petra", "Jansen")
    link = PupilGuardian.objects.get()
    PupilGuardian.objects.filter(pk=link.pk).update(contact_restriction="Alleen via de moeder")
    page = signed_in_client(world.teacher_a).get(f"{list_url(world.pupil_a)}nieuw/").content.decode()
    assert 'type="datetime-local"' in page
    assert 'name="contact_at" value="' + timezone.localtime().strftime("%Y-%m-%dT") in page
    assert f"Petra Jansen ({h(t('Mother'))})" in page
    assert "Alleen via de moeder" in page


def refused(case: str) -> tuple[dict, str]:
    yesterday = local_now() - dt.timedelta(days=1)
    if case == "future":
        overrides = {"contact_at": (local_now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}
        return overrides, t(
            "A contact cannot lie in the future. Enter the date and time the contact took place."
        )
    if case == "follow_up_before_contact":
        return {"follow_up_on": (yesterday - dt.timedelta(days=4)).date().isoformat()}, t(
            "The follow-up appointment cannot be before the contact (%(day)s). Choose a date on or after it.",
            day=yesterday.strftime("%d-%m-%Y"),
        )
    return {"summary": ""}, t("Write down what was discussed: the facts, in a few sentences.")


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["future", "follow_up_before_contact", "empty_summary"])
def test_refused_input_is_kept_and_the_message_is_next_to_the_field(world, case):
    overrides, message = refused(case)
    data = form_data(**overrides)
    response = signed_in_client(world.teacher_a).post(f"{list_url(world.pupil_a)}nieuw/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'class="lev-field-error" role="alert">{h(message)}</div>' in page
    # Everything typed is still there.
    assert 'value="vader"' in page
    assert h("Leerkracht bespreekt het morgen in de klas.") in page
    if data["summary"]:
        assert h(data["summary"]) in page
    assert f'value="{data["contact_at"]}"' in page
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_correcting_through_the_form(world):
    now = timezone.now()
    original = record(world, actor=world.ib_a, contact_at=now - dt.timedelta(hours=3), now=now)
    client = signed_in_client(world.teacher_a)
    url = f"{list_url(world.pupil_a)}{original.pk}/corrigeren/"
    page = client.get(url).content.decode()
    assert "Gebeld over het duwen bij het klimrek." in page  # prefilled
    data = {
        "contact_at": timezone.localtime(original.contact_at).strftime("%Y-%m-%dT%H:%M"),
        "with_whom": "moeder",
        "channel": "in_person",
        "summary": original.summary,
        "agreements": original.agreements,
        "correction_reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert h(t("Give the reason for the correction.")) in response.content.decode()
    assert 'value="in_person" id="id_channel_1" checked' in response.content.decode()
    assert ContactLog.objects.count() == 1

    response = client.post(url, {**data, "correction_reason": "Het was een gesprek op school."})
    assert response.status_code == 302
    correction = ContactLog.objects.get(corrects=original)
    assert (correction.channel, correction.recorded_by) == ("in_person", world.teacher_a)

    page = client.get(list_url(world.pupil_a)).content.decode()
    assert f"<del>{timezone.localtime(original.contact_at).strftime('%d-%m-%Y %H:%M')}</del>" in page
    assert h(t("corrected")) in page
    assert "Het was een gesprek op school." in page
    # Only the newest version has a correction link; the old one is refused.
    assert f"contacten/{correction.pk}/corrigeren/" in page
    assert f"contacten/{original.pk}/corrigeren/" not in page
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(list_url(world.pupil_a), 302)]
    assert (
        h(t("This contact has been corrected already. Correct the newest version."))
        in response.content.decode()
    )


@pytest.mark.django_db
def test_a_contact_of_another_pupil_is_not_found_under_this_pupil(world):
    now = timezone.now()
    other = record(
        world, pupil=world.pupil_a_other, actor=world.ib_a, contact_at=now - dt.timedelta(hours=1), now=now
    )
    client = signed_in_client(world.director_a)
    assert client.get(f"{list_url(world.pupil_a)}{other.pk}/corrigeren/").status_code == 404
    assert client.get(f"{list_url(world.pupil_a_other)}{other.pk}/corrigeren/").status_code == 200


# --- Access ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_read_is_access_logged_like_the_pupil_page(world):
    client = signed_in_client(world.teacher_a)
    assert client.get(list_url(world.pupil_a)).status_code == 200
    assert client.get(f"{list_url(world.pupil_a)}nieuw/").status_code == 200
    logs = list(AccessLogEntry.objects.order_by("pk"))
    assert [(log.user, log.pupil_id, log.role, log.outcome, log.reason) for log in logs] == [
        (world.teacher_a, world.pupil_a.pk, "teacher", AccessOutcome.GRANTED, ""),
    ] * 2


@pytest.mark.django_db
def test_a_teacher_outside_own_groups_gives_a_reason_first(world):
    client = signed_in_client(world.teacher_a)
    url = list_url(world.pupil_a_other)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bram" in page  # the name on the reason page, nothing of the file
    assert h(t("Why do you open this file?")) in page
    assert not AccessLogEntry.objects.exists()
    # Recording is refused the same way until the reason is given.
    response = client.post(f"{url}nieuw/", form_data())
    assert h(t("Why do you open this file?")) in response.content.decode()
    assert counts() == (0, 0, 0, 0)

    response = client.post(url, {"reason": "Pleinwacht: ruzie bij het klimrek"})
    assert (response.status_code, response["Location"]) == (302, url)
    assert client.get(url).status_code == 200
    assert client.post(f"{url}nieuw/", form_data()).status_code == 302
    assert ContactLog.objects.get().pupil == world.pupil_a_other
    logs = AccessLogEntry.objects.filter(user=world.teacher_a)
    assert [(log.pupil_id, log.outcome, log.reason) for log in logs.order_by("pk")] == [
        (world.pupil_a_other.pk, AccessOutcome.GRANTED, "Pleinwacht: ruzie bij het klimrek"),
    ] * 2


@pytest.mark.django_db
def test_a_reason_given_on_the_pupil_page_counts_for_the_contact_log(world):
    client = signed_in_client(world.teacher_a)
    client.post(f"/leerlingen/{world.pupil_a_other.pk}/", {"reason": "Vervanging in groep 6a"})
    assert client.get(list_url(world.pupil_a_other)).status_code == 200
    assert AccessLogEntry.objects.get().reason == "Vervanging in groep 6a"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["ib_a", "director_a", "deputy_a"])
def test_ib_and_directors_read_and_record_for_any_pupil_of_the_school(world, persona):
    client = signed_in_client(getattr(world, persona))
    assert client.get(list_url(world.pupil_a_other)).status_code == 200
    assert client.post(f"{list_url(world.pupil_a_other)}nieuw/", form_data()).status_code == 302
    assert ContactLog.objects.get().recorded_by == getattr(world, persona)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff_a", 403),
        ("confidant_a", 403),
        ("board_member", 404),
        ("privacy_officer", 404),
        ("functional_admin", 404),
        ("teacher_b", 404),
    ],
)
def test_other_roles_read_nothing_and_record_nothing(world, persona, status):
    existing = record(world)
    before = counts()
    client = signed_in_client(getattr(world, persona))
    assert client.get(list_url(world.pupil_a)).status_code == status
    assert client.post(f"{list_url(world.pupil_a)}nieuw/", form_data()).status_code == status
    assert (
        client.post(
            f"{list_url(world.pupil_a)}{existing.pk}/corrigeren/", {**form_data(), "correction_reason": "x"}
        ).status_code
        == status
    )
    assert counts() == before
    assert ContactLog.objects.get().summary == "Gebeld over het duwen bij het klimrek."
    refusals = AccessLogEntry.objects.filter(user=getattr(world, persona))
    if status == 403:  # the refusal is logged, as on the pupil page
        assert {log.outcome for log in refusals} == {AccessOutcome.DENIED}
    assert not refusals.filter(outcome=AccessOutcome.GRANTED).exists()


@pytest.mark.django_db
def test_another_schools_pupil_answers_404_like_a_missing_one(world):
    client = signed_in_client(world.director_a)
    assert client.get(list_url(world.pupil_b)).status_code == 404
    assert client.get("/leerlingen/999999/contacten/").status_code == 404
    assert client.post(f"{list_url(world.pupil_b)}nieuw/", form_data()).status_code == 404
    assert counts() == (0, 0, 0, 0)


# --- Demo ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_contacts_for_two_pupils_once(settings):
    from lev.web.demo import demo_seed

    settings.DEMO_ALLOWED = True
    seeded_at = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)
    assert demo_seed(now=seeded_at).created["contact_logs"] == 4
    # The pupils' own contact log (the demo crisis records one contact of its own, with its id).
    rows = list(ContactLog.objects.filter(crisis_id__isnull=True).order_by("pk"))
    assert len({row.pupil_id for row in rows}) == 2
    assert {row.school.brin for row in rows} == {"99AA"}
    assert [row.corrects_id for row in rows] == [None, None, None, rows[2].pk]
    assert (
        DossierEntry.objects.filter(
            kind="parent_contact", source_id__in=[str(row.pk) for row in rows]
        ).count()
        == 4
    )
    assert all(row.contact_at < seeded_at for row in rows)
    assert demo_seed(now=seeded_at + dt.timedelta(days=9)).created["contact_logs"] == 0
    assert ContactLog.objects.filter(crisis_id__isnull=True).count() == 4
    assert ContactLog.objects.filter(crisis_id__isnull=False).count() == 1
