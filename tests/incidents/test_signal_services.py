"""Recording a signal (logboek signalen, Bijlage 14): the rows it writes, the refusals at their
field, the words for a source who does not want to be named, and drafts kept on the server for 24
hours.

Times are fixed: the signal happened on Tue 24 Nov 2026 09:15 (Amsterdam), recorded at 10:00.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.models import Signal, SignalDraft, SignalSource, SignalTag
from incidents.notifications import NOTIFY_JOB
from incidents.signal_selectors import signal_draft_for
from incidents.signal_services import (
    signal_draft_discard,
    signal_draft_keep,
    signal_drafts_purge,
    signal_record,
)
from lev.audit.models import AuditEvent
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.jobs.models import OutboxItem
from lev.schools.models import Enrolment
from tests import factories as f
from tests.i18n_helpers import t

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)
HAPPENED = dt.datetime(2026, 11, 24, 9, 15, tzinfo=AMSTERDAM)


def enrol(*pupils, left_on: dt.date | None = None) -> None:
    for pupil in pupils:
        Enrolment.objects.create(
            board=pupil.board,
            school=pupil.school,
            pupil=pupil,
            enrolled_on=dt.date(2025, 8, 1),
            left_on=left_on,
            left_confirmed=left_on is not None,
        )


def enrol_world(world) -> None:
    enrol(world.pupil_a, world.pupil_a_other, world.pupil_b)


def record(world, **overrides) -> Signal:
    values = {
        "school": world.school_a,
        "pupils": [world.pupil_a],
        "happened_at": HAPPENED,
        "location": "Schoolplein",
        "description": "Anna werd bij het klimrek door twee kinderen geduwd en huilde daarna.",
        "source": SignalSource.OBSERVED,
        "actor": world.teacher_a,
        "now": NOW,
    }
    values.update(overrides)
    return signal_record(**values)


WRITE_ACTIONS = ("signal_recorded", "dossier_entry_recorded")


def counts() -> tuple[int, int, int, int]:
    """Signals, dossier entries, audit rows of these writes, notification outbox rows."""
    return (
        Signal.objects.count(),
        DossierEntry.objects.count(),
        AuditEvent.objects.filter(action__in=WRITE_ACTIONS).count(),
        OutboxItem.objects.filter(kind=NOTIFY_JOB).count(),
    )


# --- Recording ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_observed_signal_writes_the_signal_one_entry_per_pupil_the_audit_row_and_the_notice(world):
    enrol_world(world)
    signal = record(
        world,
        pupils=[world.pupil_a, world.pupil_a_other.pk],
        own_reaction="Ik heb de kinderen uit elkaar gehaald.",
        agreements="Morgen kort gesprek met de groep.",
        others_present="J.K., P.d.V.",
        tags=[SignalTag.FAMILY, SignalTag.BEHAVIOUR],
    )

    row = Signal.objects.get()
    assert (row.board, row.school, row.author) == (world.board, world.school_a, world.teacher_a)
    assert (row.happened_at, row.created_at, row.location) == (HAPPENED, NOW, "Schoolplein")
    assert (row.source, row.told_by, row.source_anonymous) == ("observed", "", False)
    assert (row.own_reaction, row.agreements, row.others_present) == (
        "Ik heb de kinderen uit elkaar gehaald.",
        "Morgen kort gesprek met de groep.",
        "J.K., P.d.V.",
    )
    # Tags are kept in the order of Bijlage 17, whatever order they were ticked in.
    assert row.tags == ["gedrag_kind", "gezinssituatie"]
    assert sorted(row.pupils.values_list("pk", flat=True)) == sorted(
        [world.pupil_a.pk, world.pupil_a_other.pk]
    )

    entries = list(DossierEntry.objects.order_by("pupil_id"))
    assert [e.pupil_id for e in entries] == sorted([world.pupil_a.pk, world.pupil_a_other.pk])
    for entry in entries:
        assert (entry.kind, entry.school, entry.board) == ("signal", world.school_a, world.board)
        assert (entry.source_type, entry.source_id) == ("incidents.signal", str(signal.pk))
        assert (entry.happened_at, entry.recorded_at, entry.author) == (HAPPENED, NOW, world.teacher_a)
        assert (entry.observation, entry.told_by) == (Observation.OBSERVED, "")
        assert (entry.others_present, entry.visibility) == ("J.K., P.d.V.", Visibility.SCHOOL)
        assert entry.title == t("Signal")
        assert entry.summary == (
            "Schoolplein: Anna werd bij het klimrek door twee kinderen geduwd en huilde daarna."
        )

    audit = AuditEvent.objects.get(action="signal_recorded")
    assert (audit.actor, audit.object_type, audit.object_id) == (
        world.teacher_a,
        "incidents.signal",
        str(signal.pk),
    )
    assert audit.summary == {
        "pupil_ids": [world.pupil_a.pk, world.pupil_a_other.pk],
        "source": "observed",
        "source_anonymous": False,
        "dossier_entry_ids": [e.pk for e in DossierEntry.objects.order_by("pk")],
    }
    assert AuditEvent.objects.filter(action="dossier_entry_recorded").count() == 2

    notice = OutboxItem.objects.get(kind=NOTIFY_JOB)
    assert notice.payload == {"record_kind": "signal", "record_id": signal.pk}
    assert (notice.school, notice.run_after) == (world.school_a, NOW)


@pytest.mark.django_db
def test_a_told_signal_records_who_told_it_in_the_signal_and_the_entry(world):
    enrol_world(world)
    record(world, source=SignalSource.TOLD, told_by="  een leerling uit groep 6 ")
    row = Signal.objects.get()
    assert (row.source, row.told_by, row.source_anonymous) == ("told", "een leerling uit groep 6", False)
    entry = DossierEntry.objects.get()
    assert (entry.observation, entry.told_by, entry.title) == (
        Observation.TOLD,
        "een leerling uit groep 6",
        t("Signal"),
    )


@pytest.mark.django_db
def test_an_anonymous_source_is_not_named_and_the_entry_is_marked(world):
    enrol_world(world)
    record(world, source=SignalSource.TOLD, told_by="", source_anonymous=True)
    row = Signal.objects.get()
    assert (row.source, row.told_by, row.source_anonymous) == ("told", "", True)
    entry = DossierEntry.objects.get()
    assert entry.observation == Observation.TOLD
    # docs/decisions/0004-told-signal-wording.md
    assert entry.told_by == t("not named (no consent)")
    assert entry.title == f"{t('Signal')}: {t('heard from a third party, source anonymous')}"


@pytest.mark.django_db
def test_an_observed_signal_drops_a_source_typed_by_mistake(world):
    enrol_world(world)
    record(world, source=SignalSource.OBSERVED, told_by="de moeder", source_anonymous=True)
    row = Signal.objects.get()
    assert (row.told_by, row.source_anonymous) == ("", False)
    assert DossierEntry.objects.get().told_by == ""


@pytest.mark.django_db
def test_a_long_description_is_cut_in_the_entry_summary_but_kept_whole_on_the_signal(world):
    enrol_world(world)
    text = "woord " * 100  # 600 characters
    record(world, description=text)
    assert Signal.objects.get().description == text.strip()
    summary = DossierEntry.objects.get().summary
    assert summary.startswith("Schoolplein: woord woord")
    # "Schoolplein: " + 300 characters, the last one the ellipsis.
    assert len(summary) == len("Schoolplein: ") + 300
    assert summary.endswith("…")


@pytest.mark.django_db
def test_recording_removes_the_authors_draft_only(world):
    enrol_world(world)
    signal_draft_keep(user=world.teacher_a, school=world.school_a, data={"description": "half af"}, now=NOW)
    signal_draft_keep(user=world.ib_a, school=world.school_a, data={"description": "van de IB"}, now=NOW)
    record(world)
    assert list(SignalDraft.objects.values_list("user__username", flat=True)) == ["ib_a"]


# --- Refusals -----------------------------------------------------------------------------------

REFUSALS = [
    pytest.param(
        {"happened_at": NOW + dt.timedelta(minutes=1)},
        "happened_at",
        "A signal cannot lie in the future. Enter when it happened: now or earlier (%(now)s).",
        {"now": "24-11-2026 10:00"},
        id="future",
    ),
    pytest.param(
        {"happened_at": None}, "happened_at", "Enter when it happened (date and time).", {}, id="no-moment"
    ),
    pytest.param(
        {"source": SignalSource.TOLD, "told_by": "  "},
        "told_by",
        "Say who told you (for example: a pupil of group 6, the mother of a classmate), or tick that the "
        "source does not want to be named.",
        {},
        id="told-without-source",
    ),
    pytest.param(
        {"source": SignalSource.TOLD, "told_by": "Mevr. Pietersen", "source_anonymous": True},
        "told_by",
        "You ticked that the source does not want to be named. Leave the name empty, or untick the box.",
        {},
        id="anonymous-with-a-name",
    ),
    pytest.param(
        {"source": "gevoel"},
        "source",
        "Choose whether you saw it yourself or heard it from someone else.",
        {},
        id="unknown-source",
    ),
    pytest.param(
        {"description": "  \n "},
        "description",
        "Write down what happened: the facts, what you saw or heard.",
        {},
        id="no-description",
    ),
    pytest.param(
        {"location": " "},
        "location",
        "Enter where it happened, for example: schoolplein, klaslokaal, gym.",
        {},
        id="no-location",
    ),
    pytest.param(
        {"location": "x" * 201},
        "location",
        "Keep the place short: at most 200 characters.",
        {},
        id="long-location",
    ),
    pytest.param(
        {"others_present": "Jan Klaassen"},
        "others_present",
        "Record others present by their initials only, separated by commas (for example: J.K., P.d.V.).",
        {},
        id="others-by-name",
    ),
    pytest.param(
        {"tags": ["ruzie"]}, "tags", "Choose only kinds of signals from the list.", {}, id="unknown-tag"
    ),
    pytest.param(
        {"pupils": []}, "pupils", "Choose the pupil or pupils this signal is about.", {}, id="no-pupil"
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "msgid", "params"), REFUSALS)
def test_refusals_are_at_their_field_and_write_nothing(world, overrides, field, msgid, params):
    enrol_world(world)
    with pytest.raises(ValidationError) as caught:
        record(world, **overrides)
    assert caught.value.message_dict == {field: [t(msgid, **params)]}
    assert counts() == (0, 0, 0, 0)


OTHER_SCHOOL = "Choose only pupils who go to %(school)s now. A pupil of another school, or one who has left, cannot be chosen."


@pytest.mark.django_db
def test_a_pupil_of_another_school_is_refused(world):
    enrol_world(world)
    with pytest.raises(ValidationError) as caught:
        record(world, pupils=[world.pupil_a, world.pupil_b])
    assert caught.value.message_dict == {"pupils": [t(OTHER_SCHOOL, school="De Regenboog")]}
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_a_pupil_who_has_left_or_was_never_enrolled_is_refused(world):
    enrol(world.pupil_a, left_on=dt.date(2026, 10, 31))
    for pupil in (world.pupil_a, world.pupil_a_other):  # left; no enrolment at all
        with pytest.raises(ValidationError) as caught:
            record(world, pupils=[pupil])
        assert caught.value.message_dict == {"pupils": [t(OTHER_SCHOOL, school="De Regenboog")]}
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_all_refusals_come_together(world):
    enrol_world(world)
    with pytest.raises(ValidationError) as caught:
        record(world, description="", location="", source=SignalSource.TOLD, others_present="Piet Jansen")
    assert sorted(caught.value.message_dict) == ["description", "location", "others_present", "told_by"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["confidant_a", "board_member", "privacy_officer", "teacher_b"])
def test_only_recording_roles_of_the_school_may_record(world, persona):
    enrol_world(world)
    with pytest.raises(PermissionDenied):
        record(world, actor=getattr(world, persona))
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_a", "staff_a", "ib_a", "director_a", "deputy_a"])
def test_every_recording_role_may_record(world, persona):
    enrol_world(world)
    record(world, actor=getattr(world, persona))
    assert counts() == (1, 1, 2, 1)


# --- Drafts -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_keeps_the_typed_fields_and_pupil_ids_only(world):
    enrol_world(world)
    draft = signal_draft_keep(
        user=world.teacher_a,
        school=world.school_a,
        data={
            "pupils": [str(world.pupil_a.pk), "x", str(world.pupil_b.pk)],
            "description": " Duwen bij het klimrek ",
            "source": "told",
            "told_by": "",
            "source_anonymous": "on",
            "happened_at": "2026-11-24T09:15",
            "location": "Schoolplein",
            "tags": ["gedrag_kind", "onzin"],
            "csrfmiddlewaretoken": "abc",
            "roepnaam": "Anna",
        },
        now=NOW,
    )
    assert draft is not None
    assert (draft.user, draft.school, draft.updated_at) == (world.teacher_a, world.school_a, NOW)
    # The pupil of another school and the junk are dropped; no names, no unknown keys.
    assert draft.data == {
        "pupils": [world.pupil_a.pk],
        "description": "Duwen bij het klimrek",
        "source": "told",
        "source_anonymous": True,
        "happened_at": "2026-11-24T09:15",
        "location": "Schoolplein",
        "tags": ["gedrag_kind"],
    }


@pytest.mark.django_db
def test_one_draft_per_user_and_an_empty_form_keeps_none(world):
    enrol_world(world)
    signal_draft_keep(user=world.teacher_a, school=world.school_a, data={"description": "eerste"}, now=NOW)
    later = NOW + dt.timedelta(minutes=5)
    signal_draft_keep(user=world.teacher_a, school=world.school_a, data={"description": "tweede"}, now=later)
    draft = SignalDraft.objects.get()
    assert (draft.data, draft.updated_at) == ({"description": "tweede"}, later)
    # The default moment and a radio button alone are not worth keeping: the draft goes.
    kept = signal_draft_keep(
        user=world.teacher_a,
        school=world.school_a,
        data={"happened_at": "2026-11-24T10:00", "source": "observed", "description": ""},
        now=later,
    )
    assert kept is None
    assert SignalDraft.objects.count() == 0


@pytest.mark.django_db
def test_a_draft_is_offered_for_24_hours_and_purged_after(world):
    enrol_world(world)
    signal_draft_keep(user=world.teacher_a, school=world.school_a, data={"description": "half af"}, now=NOW)
    just_before = NOW + dt.timedelta(hours=24) - dt.timedelta(seconds=1)
    assert signal_draft_for(world.teacher_a, world.school_a, just_before) is not None
    assert signal_drafts_purge(now=just_before) == 0
    at_24h = NOW + dt.timedelta(hours=24)
    assert signal_draft_for(world.teacher_a, world.school_a, at_24h) is None
    assert signal_drafts_purge(now=at_24h) == 1
    assert SignalDraft.objects.count() == 0


@pytest.mark.django_db
def test_keeping_a_draft_purges_everyones_expired_drafts(world):
    enrol_world(world)
    signal_draft_keep(user=world.ib_a, school=world.school_a, data={"description": "oud"}, now=NOW)
    with time_machine.travel(NOW + dt.timedelta(hours=25), tick=False):
        signal_draft_keep(
            user=world.teacher_a,
            school=world.school_a,
            data={"description": "nieuw"},
            now=NOW + dt.timedelta(hours=25),
        )
    assert list(SignalDraft.objects.values_list("user__username", flat=True)) == ["teacher_a"]


@pytest.mark.django_db
def test_a_draft_is_offered_only_at_its_own_school(world):
    enrol_world(world)
    other = f.SchoolFactory(board=world.board, name="De Linde")
    f.MembershipFactory(user=world.teacher_a, school=other, board=world.board)
    signal_draft_keep(user=world.teacher_a, school=world.school_a, data={"description": "half af"}, now=NOW)
    assert signal_draft_for(world.teacher_a, other, NOW) is None
    assert signal_draft_for(world.teacher_a, world.school_a, NOW) is not None


@pytest.mark.django_db
def test_discarding_and_who_may_keep_a_draft(world):
    enrol_world(world)
    signal_draft_keep(user=world.teacher_a, school=world.school_a, data={"description": "x"}, now=NOW)
    signal_draft_discard(user=world.teacher_a)
    assert SignalDraft.objects.count() == 0
    with pytest.raises(PermissionDenied):
        signal_draft_keep(user=world.confidant_a, school=world.school_a, data={"description": "x"}, now=NOW)
    with pytest.raises(PermissionDenied):
        signal_draft_keep(user=world.teacher_b, school=world.school_a, data={"description": "x"}, now=NOW)
    assert SignalDraft.objects.count() == 0
