"""The schorsing's services (escalation/schorsing_services.py; WPO 40c, LEGAL.md R3–R9), on PostgreSQL.

Dates are worked out by hand. School A has no closures unless a test adds them, so its school days
are Monday to Friday. Anchors (2026): Thu 1 Oct, Fri 2 Oct, Mon 5 Oct, Wed 14 Oct, Tue 27 Oct;
Fri 13 Nov, Fri 11 Dec, Fri 25 Dec (Eerste Kerstdag), Mon 28 Dec; (2027) Mon 4 Jan, Mon 8 Feb,
Mon 22 Mar. Most actions happen on Thu 1 Oct 2026 at 09:00 (Amsterdam), before the schorsingen.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import translation

from communications.letter_models import Letter
from escalation import schorsing_services as s
from escalation.domain.exclusion import MESSAGES
from escalation.domain.ladder import GUARDS
from escalation.models import (
    Authority,
    Episode,
    EpisodeState,
    Objection,
    ObjectionKind,
    Schorsing,
    SchorsingStatus,
    Verwijdering,
)
from escalation.services import episode_open, serious_incident_record
from incidents.models import Incident, IncidentPupil
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline, DeadlineStatus, SchoolClosure, Visibility
from lev.dossier.models import DossierEntry
from lev.schools.models import DecisionMaker
from tests.i18n_helpers import t

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date.fromisoformat
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=AMS)  # Thu 1 Oct 2026


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(D(day), dt.time(hour, 0), tzinfo=AMS)


def incident(world, number: str, *, pupil=None, happened: str = "2026-09-30") -> Incident:
    pupil = pupil or world.pupil_a
    row = Incident.objects.create(
        board=pupil.school.board,
        school=pupil.school,
        number=number,
        happened_on=D(happened),
        location="Schoolplein",
        category="pesten",
        description="Geslagen en geschopt.",
        severity="severe",
        reporter=world.teacher_a,
        recorded_by=world.teacher_a,
        created_at=at(happened),
    )
    IncidentPupil.objects.create(incident=row, pupil=pupil, role="initiative")
    return row


def ready(world, *, now: dt.datetime = NOW) -> Incident:
    """Pupil A's episode with a very serious incident: a schorsing may follow (Bijlage 4, stap 6)."""
    first = incident(world, "2026-0001")
    episode = episode_open(pupil=world.pupil_a, actor=world.director_a, now=now, incident=first)
    serious_incident_record(
        episode=episode,
        incident=first,
        reason="Een klasgenoot bewusteloos geslagen.",
        actor=world.director_a,
        now=now,
    )
    return first


def mandate(world) -> None:
    world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    world.school_a.save()


def prepare(world, first: str, last: str, *, incidents=(), actor=None, now=NOW, use_mandate=False, **kw):
    return s.schorsing_prepare(
        pupil=world.pupil_a,
        first_day=D(first),
        last_day=D(last),
        reasons=kw.pop("reasons", "Een klasgenoot geslagen; de time-out hielp niet."),
        earlier_measures=kw.pop("earlier_measures", "Gesprek stap 4; time-out op 28-09-2026."),
        incidents=list(incidents),
        actor=actor or world.director_a,
        now=now,
        use_mandate=use_mandate,
    )


def refusal(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def message(code: str, **params: str) -> str:
    return str(MESSAGES[code]).format(**params)


# --- the period (R3) -------------------------------------------------------------------------------


def test_a_schorsing_of_6_school_days_is_refused_at_the_end_date(world):
    first = ready(world)
    # Mon 5 to Mon 12 Oct 2026: Mon–Fri 5–9 Oct (5) + Mon 12 Oct = 6 school days. The latest end is the
    # earlier of the 5th school day (Fri 9 Oct) and 5 Oct + 6 days (Sun 11 Oct), back to a school day:
    # Fri 9 Oct.
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-05", "2026-10-12", incidents=[first])
    assert refusal(excinfo) == {
        "last_day": [message("more_than_5_school_days", school_days="6", latest="09-10-2026")]
    }
    assert Schorsing.objects.count() == 0
    # Nothing was written; the episode keeps its step.
    assert Episode.objects.get().state == EpisodeState.OPEN


def test_5_school_days_spanning_a_holiday_week_are_refused_by_the_calendar_day_limit(world):
    first = ready(world)
    SchoolClosure.objects.create(
        board=world.board,
        school=world.school_a,
        first_day=D("2026-10-19"),
        last_day=D("2026-10-23"),
        kind="vacation",
        name="Herfstvakantie",
        created_at=NOW,
    )
    # Wed 14 to Tue 27 Oct 2026: school days Wed 14, Thu 15, Fri 16, Mon 26, Tue 27 = 5 (the holiday
    # week 19–23 Oct does not count), but the end is 13 days after the start (> 6). The latest end:
    # min(5th school day Tue 27 Oct, 14 Oct + 6 = Tue 20 Oct) = Tue 20 Oct, a holiday; back to the last
    # school day before it: Fri 16 Oct.
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-14", "2026-10-27", incidents=[first])
    assert refusal(excinfo) == {"last_day": [message("more_than_6_calendar_days", latest="16-10-2026")]}
    # Ending on Fri 16 Oct (3 school days, 2 days after the start) is allowed.
    row = prepare(world, "2026-10-14", "2026-10-16", incidents=[first])
    assert (row.status, row.first_day, row.last_day) == (
        SchorsingStatus.SUBMITTED,
        D("2026-10-14"),
        D("2026-10-16"),
    )


def test_a_start_in_the_past_and_missing_reasons_are_refused_together(world):
    ready(world)
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-09-30", "2026-09-30", reasons="  ")
    errors = refusal(excinfo)
    assert set(errors) == {"first_day", "reasons"}
    assert errors["reasons"] == [message("reasons_missing")]


def test_only_incidents_of_the_pupil_can_be_linked(world):
    ready(world)
    other = incident(world, "2026-0009", pupil=world.pupil_a_other)
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-05", "2026-10-05", incidents=[other])
    assert list(refusal(excinfo)) == ["incidents"]


# --- the ladder's guards at the submission ---------------------------------------------------------


def test_a_submission_the_ladder_refuses_is_refused_at_once_with_its_reason(world):
    # No time-out and no serious incident recorded: the ladder refuses a schorsing (Bijlage 4, stap 6).
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-05", "2026-10-06")
    assert refusal(excinfo) == {NON_FIELD_ERRORS: [str(GUARDS["step_5_reached_or_serious_incident"].reason)]}
    assert Schorsing.objects.count() == 0
    assert Episode.objects.count() == 0  # the episode opened for it was rolled back too


def test_during_a_verwijdering_only_one_schorsing(world):
    first = ready(world)
    mandate(world)
    episode = Episode.objects.get()
    Verwijdering.objects.create(
        episode=episode,
        board=world.board,
        school=world.school_a,
        pupil=world.pupil_a,
        ground=2,
        ground_explanation="Ernstig wangedrag.",
        lighter_measures_failed=True,
        warning_given_on=D("2026-09-15"),
        started_by=world.director_a,
        started_at=at("2026-09-30"),
    )
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.STEP_7)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first], use_mandate=True)
    assert (row.status, row.during_verwijdering) == (SchorsingStatus.DECIDED, True)
    second = incident(world, "2026-0002", happened="2026-10-08")
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-26", "2026-10-27", incidents=[second], now=at("2026-10-09"), use_mandate=True)
    assert refusal(excinfo) == {NON_FIELD_ERRORS: [str(GUARDS["one_schorsing_during_verwijdering"].reason)]}


# --- who decides (R4) ----------------------------------------------------------------------------


def test_under_the_directors_mandate_the_schorsing_is_decided_at_once(world):
    first = ready(world)
    mandate(world)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first], use_mandate=True)
    assert (row.status, row.authority, row.decided_by, row.decided_at) == (
        SchorsingStatus.DECIDED,
        Authority.MANDATE,
        world.director_a,
        NOW,
    )
    assert list(row.incidents.all()) == [first]
    assert Episode.objects.get().state == EpisodeState.STEP_6
    entry = DossierEntry.objects.get(kind="schorsing")
    assert entry.title == "Schorsing besloten door de directeur (mandaat)"
    assert "Periode: van 05-10-2026 tot en met 06-10-2026 (2 schooldagen)." in entry.summary
    assert "Incidenten: 2026-0001." in entry.summary
    assert AuditEvent.objects.filter(action="schorsing_decided", object_id=str(row.pk)).count() == 1
    transition = AuditEvent.objects.get(action="escalation_transition", summary__event="start_schorsing")
    assert (transition.summary["from"], transition.summary["to"]) == ("open", "step_6")


def test_the_mandate_is_refused_where_the_school_gives_none_and_to_the_deputy(world):
    first = ready(world)
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-05", "2026-10-06", incidents=[first], use_mandate=True)
    assert list(refusal(excinfo)) == ["use_mandate"]
    mandate(world)
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-05", "2026-10-06", incidents=[first], use_mandate=True, actor=world.deputy_a)
    assert list(refusal(excinfo)) == ["use_mandate"]
    assert Schorsing.objects.count() == 0


def test_without_the_mandate_the_board_decides_and_the_ladder_waits(world):
    first = ready(world)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first], actor=world.deputy_a)
    assert (row.status, row.authority, row.decided_at) == (SchorsingStatus.SUBMITTED, "", None)
    assert Episode.objects.get().state == EpisodeState.OPEN
    assert not Deadline.objects.exists()
    assert DossierEntry.objects.get(kind="schorsing").title == "Schorsing voorgelegd aan het bestuur"
    # Neither the director nor the board of another school decides.
    with pytest.raises(PermissionDenied):
        s.schorsing_board_decide(
            schorsing=row, approve=True, note="", actor=world.director_a, now=at("2026-10-02")
        )
    decided = s.schorsing_board_decide(
        schorsing=row, approve=True, note="Akkoord.", actor=world.board_member, now=at("2026-10-02", 10)
    )
    assert (decided.status, decided.authority, decided.board_decided_by, decided.board_decided_at) == (
        SchorsingStatus.DECIDED,
        Authority.BOARD,
        world.board_member,
        at("2026-10-02", 10),
    )
    assert Episode.objects.get().state == EpisodeState.STEP_6
    with pytest.raises(ValidationError) as excinfo:
        s.schorsing_board_decide(
            schorsing=row,
            approve=False,
            note="Toch niet.",
            actor=world.board_member,
            now=at("2026-10-02", 11),
        )
    assert excinfo.value.messages == [
        t("This schorsing has already been decided or withdrawn: {status}.").format(status=t("Decided"))
    ]
    assert Schorsing.objects.get().status == SchorsingStatus.DECIDED


def test_the_board_rejects_with_a_note_and_not_after_the_first_day(world):
    first = ready(world)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first])
    with pytest.raises(ValidationError) as excinfo:
        s.schorsing_board_decide(schorsing=row, approve=False, note=" ", actor=world.board_member, now=NOW)
    assert list(refusal(excinfo)) == ["note"]
    # Approving on Tue 6 Oct, after the first day (Mon 5 Oct), is refused: the board decides beforehand.
    with pytest.raises(ValidationError) as excinfo:
        s.schorsing_board_decide(
            schorsing=row, approve=True, note="", actor=world.board_member, now=at("2026-10-06")
        )
    assert "05-10-2026" in refusal(excinfo)[NON_FIELD_ERRORS][0]
    rejected = s.schorsing_board_decide(
        schorsing=row,
        approve=False,
        note="Eerst een gesprek met de ouders.",
        actor=world.board_member,
        now=at("2026-10-06"),
    )
    assert (rejected.status, rejected.board_note) == (
        SchorsingStatus.REJECTED,
        "Eerst een gesprek met de ouders.",
    )
    assert Episode.objects.get().state == EpisodeState.OPEN


def test_a_submission_can_be_withdrawn_and_one_waits_at_a_time(world):
    first = ready(world)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first])
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-19", "2026-10-20", incidents=[first])
    assert "05-10-2026" in refusal(excinfo)[NON_FIELD_ERRORS][0]
    with pytest.raises(ValidationError):
        s.schorsing_withdraw(schorsing=row, reason="", actor=world.director_a, now=NOW)
    with pytest.raises(PermissionDenied):
        s.schorsing_withdraw(
            schorsing=row, reason="Ouders kwamen met een oplossing.", actor=world.ib_a, now=NOW
        )
    withdrawn = s.schorsing_withdraw(
        schorsing=row, reason="Ouders kwamen met een oplossing.", actor=world.director_a, now=NOW
    )
    assert withdrawn.status == SchorsingStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        s.schorsing_board_decide(schorsing=row, approve=True, note="", actor=world.board_member, now=NOW)
    again = prepare(world, "2026-10-19", "2026-10-20", incidents=[first])
    assert again.status == SchorsingStatus.SUBMITTED


# --- back-to-back (R3) ---------------------------------------------------------------------------


def test_a_second_schorsing_within_5_school_days_needs_a_new_incident_and_the_board(world):
    first_incident = ready(world)
    mandate(world)
    first = prepare(world, "2026-10-05", "2026-10-06", incidents=[first_incident], use_mandate=True)
    assert first.status == SchorsingStatus.DECIDED
    later = at("2026-10-08")  # Thu 8 Oct: the first schorsing is over
    # Tue 13 Oct: the school days after Tue 6 Oct up to it are Wed 7, Thu 8, Fri 9, Mon 12, Tue 13 = 5
    # (≤ 5): back-to-back. Only the previous incident linked: refused, naming the previous one.
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-13", "2026-10-14", incidents=[first_incident], now=later, use_mandate=True)
    assert refusal(excinfo) == {
        "incidents": [message("needs_new_incident", previous_first="05-10-2026", previous_last="06-10-2026")]
    }
    # With a new incident it goes to the board, even though the director asked to use the mandate.
    new = incident(world, "2026-0002", happened="2026-10-07")
    second = prepare(
        world, "2026-10-13", "2026-10-14", incidents=[first_incident, new], now=later, use_mandate=True
    )
    assert (second.status, second.back_to_back, second.previous) == (SchorsingStatus.SUBMITTED, True, first)
    assert (
        "alleen met een nieuw incident" in DossierEntry.objects.filter(kind="schorsing").latest("pk").summary
    )
    approved = s.schorsing_board_decide(
        schorsing=second, approve=True, note="", actor=world.board_member, now=later
    )
    assert (approved.status, approved.authority) == (SchorsingStatus.DECIDED, Authority.BOARD)
    # The board decided the second one: its decision letter is the board's to approve, although the
    # school's setting gives schorsingen to the director; the first one's letter stays the school's.
    from communications.letter_services import is_board_letter

    board_letter = s.schorsing_letter(
        schorsing=approved, kind="schorsing_besluit", actor=world.director_a, now=later
    )
    school_letter = s.schorsing_letter(
        schorsing=first, kind="schorsing_besluit", actor=world.director_a, now=later
    )
    assert is_board_letter(board_letter) and not is_board_letter(school_letter)


def test_a_schorsing_6_school_days_after_the_previous_one_may_be_decided_under_mandate(world):
    first_incident = ready(world)
    mandate(world)
    prepare(world, "2026-10-05", "2026-10-06", incidents=[first_incident], use_mandate=True)
    # Wed 14 Oct: Wed 7, Thu 8, Fri 9, Mon 12, Tue 13, Wed 14 = 6 school days (> 5): not back-to-back.
    row = prepare(
        world, "2026-10-14", "2026-10-14", incidents=[first_incident], now=at("2026-10-08"), use_mandate=True
    )
    assert (row.status, row.back_to_back, row.authority) == (
        SchorsingStatus.DECIDED,
        False,
        Authority.MANDATE,
    )


def test_an_overlap_with_the_previous_schorsing_is_refused(world):
    first_incident = ready(world)
    mandate(world)
    prepare(world, "2026-10-05", "2026-10-06", incidents=[first_incident], use_mandate=True)
    new = incident(world, "2026-0002")
    with pytest.raises(ValidationError) as excinfo:
        prepare(world, "2026-10-06", "2026-10-07", incidents=[new], use_mandate=True)
    assert refusal(excinfo) == {
        "first_day": [message("overlaps_previous", previous_first="05-10-2026", previous_last="06-10-2026")]
    }


# --- the Inspectie report (R6) ---------------------------------------------------------------------


def test_a_friday_plus_monday_schorsing_creates_the_inspectie_task(world):
    first = ready(world)
    mandate(world)
    # Fri 2 + Mon 5 Oct 2026: two school days, so "more than one day"; decided on Thu 1 Oct.
    row = prepare(world, "2026-10-02", "2026-10-05", incidents=[first], use_mandate=True)
    assert row.inspectie_needed is True
    deadline = Deadline.objects.get()
    # Onverwijld from the decision on Thu 1 Oct: due that day, too late after Fri 2 Oct.
    assert (deadline.rule_code, deadline.start_on, deadline.due_on, deadline.late_after) == (
        "inspectie-melding-schorsing",
        D("2026-10-01"),
        D("2026-10-01"),
        D("2026-10-02"),
    )
    assert (deadline.subject_type, deadline.subject_id, deadline.responsible_role, deadline.visibility) == (
        "escalation.schorsing",
        str(row.pk),
        "director",
        Visibility.SCHOOL,
    )
    with pytest.raises(ValidationError) as excinfo:
        s.schorsing_inspectie_reported(
            schorsing=row, reported_on=D("2026-10-01"), reference=" ", actor=world.director_a, now=NOW
        )
    assert list(refusal(excinfo)) == ["reference"]
    s.schorsing_inspectie_reported(
        schorsing=row, reported_on=D("2026-10-01"), reference="ISD-2026-4711", actor=world.director_a, now=NOW
    )
    row.refresh_from_db()
    deadline.refresh_from_db()
    assert (row.inspectie_reported_on, row.inspectie_reference) == (D("2026-10-01"), "ISD-2026-4711")
    assert deadline.status == DeadlineStatus.MET
    with pytest.raises(ValidationError):
        s.schorsing_inspectie_reported(
            schorsing=row, reported_on=D("2026-10-01"), reference="ISD-2", actor=world.director_a, now=NOW
        )


def test_a_one_day_schorsing_needs_no_inspectie_report(world):
    first = ready(world)
    mandate(world)
    row = prepare(world, "2026-10-02", "2026-10-02", incidents=[first], use_mandate=True)
    assert row.inspectie_needed is False
    assert not Deadline.objects.exists()


def test_the_board_decision_creates_the_inspectie_task_from_its_own_date(world):
    first = ready(world)
    row = prepare(world, "2026-10-09", "2026-10-12", incidents=[first])  # Fri 9 + Mon 12 Oct
    assert not Deadline.objects.exists()
    s.schorsing_board_decide(
        schorsing=row, approve=True, note="", actor=world.board_member, now=at("2026-10-07")
    )
    deadline = Deadline.objects.get()
    # Decided Wed 7 Oct: due Wed 7 Oct, too late after Thu 8 Oct.
    assert (deadline.start_on, deadline.due_on, deadline.late_after) == (
        D("2026-10-07"),
        D("2026-10-07"),
        D("2026-10-08"),
    )


# --- the conversation, education and letters (R5, R9, §8) --------------------------------------------


def test_conversation_and_education_are_recorded_and_not_a_guard(world):
    first = ready(world)
    mandate(world)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first], use_mandate=True)
    assert row.conversation_on is None  # decided without a conversation
    later = at("2026-10-07")
    with pytest.raises(ValidationError) as excinfo:
        s.schorsing_conversation(
            schorsing=row,
            invited_on=D("2026-10-02"),
            held_on=D("2026-10-01"),
            teacher_invited=True,
            confidant_offered=True,
            report="",
            signed_on=D("2026-10-08"),
            actor=world.director_a,
            now=later,
        )
    assert set(refusal(excinfo)) == {"held_on", "signed_on", "report"}
    s.schorsing_conversation(
        schorsing=row,
        invited_on=D("2026-10-01"),
        held_on=D("2026-10-02"),
        teacher_invited=True,
        confidant_offered=True,
        report="Incident besproken; afspraken over de terugkeer.",
        signed_on=D("2026-10-07"),
        actor=world.director_a,
        now=later,
    )
    s.schorsing_education(
        schorsing=row,
        education_arrangements="Dagelijks werk mee; de leerkracht belt om 14.00 uur.",
        tests_arrangements="De toets wordt op maandag ingehaald.",
        actor=world.deputy_a,
        now=later,
    )
    row.refresh_from_db()
    assert (row.conversation_invited_on, row.conversation_on, row.report_signed_on) == (
        D("2026-10-01"),
        D("2026-10-02"),
        D("2026-10-07"),
    )
    assert (row.teacher_invited, row.confidant_offered) == (True, True)
    assert row.tests_arrangements == "De toets wordt op maandag ingehaald."
    assert DossierEntry.objects.filter(title="Gesprek met de ouders over de schorsing").count() == 1


def test_the_letters_are_made_from_the_record_and_the_decision_letter_only_when_decided(world):
    first = ready(world)
    world.school_a.copy_suspension_to_attendance_officer = True
    world.school_a.attendance_office = "Leerplicht Boskoop"
    world.school_a.save()
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first])
    invitation = s.schorsing_letter(
        schorsing=row, kind="schorsing_uitnodiging", actor=world.director_a, now=NOW
    )
    assert (invitation.kind, invitation.source_type, invitation.source_id) == (
        "schorsing_uitnodiging",
        "escalation.schorsing",
        str(row.pk),
    )
    assert (
        invitation.values["besproken_maatregel"]
        == "een schorsing van maandag 5 oktober 2026 tot en met dinsdag 6 oktober 2026"
    )
    with pytest.raises(ValidationError) as excinfo:
        s.schorsing_letter(schorsing=row, kind="schorsing_besluit", actor=world.director_a, now=NOW)
    assert list(refusal(excinfo)) == ["kind"]
    with pytest.raises(ValidationError):
        s.schorsing_letter(schorsing=row, kind="schorsing_verslag", actor=world.director_a, now=NOW)
    with pytest.raises(ValidationError):  # one live invitation
        s.schorsing_letter(schorsing=row, kind="schorsing_uitnodiging", actor=world.director_a, now=NOW)
    s.schorsing_conversation(
        schorsing=row,
        invited_on=D("2026-09-30"),
        held_on=D("2026-10-01"),
        teacher_invited=True,
        confidant_offered=True,
        report="Besproken.",
        signed_on=None,
        actor=world.director_a,
        now=NOW,
    )
    s.schorsing_education(
        schorsing=row,
        education_arrangements="Werk mee.",
        tests_arrangements="Toets later.",
        actor=world.director_a,
        now=NOW,
    )
    s.schorsing_board_decide(schorsing=row, approve=True, note="", actor=world.board_member, now=NOW)
    decision = s.schorsing_letter(schorsing=row, kind="schorsing_besluit", actor=world.director_a, now=NOW)
    row.refresh_from_db()
    assert row.letter == decision
    assert decision.values == {
        "eerste_dag": "maandag 5 oktober 2026",
        "laatste_dag": "dinsdag 6 oktober 2026",
        "redenen": "Een klasgenoot geslagen; de time-out hielp niet.",
        "onderwijsmaatregelen": "Werk mee.\nToets later.",
        "gesprek_datum": "donderdag 1 oktober 2026",
    }
    # The copies come from the school's settings: the board, and leerplicht because the school asks.
    assert decision.copies_to == [
        "het bestuur van Stichting Test",
        "de leerplichtambtenaar (Leerplicht Boskoop)",
    ]
    report = s.schorsing_letter(schorsing=row, kind="schorsing_verslag", actor=world.deputy_a, now=NOW)
    assert report.values["gesprek_datum"] == "donderdag 1 oktober 2026"
    assert report.copies_to == []  # the report goes to nobody else by default (R6, R7)
    assert {x.pk for x in s.letters_of(row)} == {invitation.pk, decision.pk, report.pk}
    assert Letter.objects.count() == 3


# --- beroep and bezwaar (R8) -------------------------------------------------------------------------

DECIDED_ON = "2026-11-13"  # Fri 13 Nov 2026: the schorsing is decided and the letter sent (bekendmaking)


def decided_schorsing(world, denominatie: str) -> Schorsing:
    world.school_a.denominatie = denominatie
    world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    world.school_a.save()
    first = ready(world, now=at(DECIDED_ON))
    return prepare(world, "2026-11-16", "2026-11-17", incidents=[first], now=at(DECIDED_ON), use_mandate=True)


def record_objection(world, row, **kw) -> Objection:
    values = {
        "posted_on": D("2026-12-10"),  # Thu 10 Dec
        "received_on": D("2026-12-11"),  # Fri 11 Dec
        "grounds": "Te zwaar voor wat er gebeurde.",
        "adviescommissie": False,
        "actor": world.director_a,
        "now": at("2026-12-14"),
        "bekendmaking_on": D(DECIDED_ON),
    }
    values.update(kw)
    return s.schorsing_objection_record(schorsing=row, **values)


@pytest.mark.parametrize(
    ("denominatie", "adviescommissie", "kind", "start", "due"),
    [
        # Bijzonder: the school's beroep; the board decides within 14 days of receipt: Fri 11 Dec + 14
        # = Fri 25 Dec (Eerste Kerstdag) → Sat 26 (Tweede Kerstdag), Sun 27 → Mon 28 Dec 2026.
        ("bijzonder", False, ObjectionKind.BEROEP, "2026-12-11", "2026-12-28"),
        # Openbaar: the bezwaar term runs 6 weeks from the bekendmaking Fri 13 Nov = Fri 25 Dec → Mon 28
        # Dec 2026 (Atw); the decision term starts there: 6 weeks → Mon 8 Feb 2027.
        ("openbaar", False, ObjectionKind.BEZWAAR, "2026-12-28", "2027-02-08"),
        # … with an adviescommissie 12 weeks from Mon 28 Dec 2026 → Mon 22 Mar 2027.
        ("openbaar", True, ObjectionKind.BEZWAAR, "2026-12-28", "2027-03-22"),
    ],
)
def test_the_objection_deadlines_for_bijzonder_and_openbaar_from_the_same_dates(
    world, denominatie, adviescommissie, kind, start, due
):
    row = decided_schorsing(world, denominatie)
    objection = record_objection(world, row, adviescommissie=adviescommissie)
    assert (objection.kind, objection.adviescommissie) == (kind, adviescommissie)
    deadline = s.decision_deadline(objection)
    assert deadline is not None
    assert (deadline.rule_code, deadline.start_on, deadline.due_on) == ("beroep-schorsing", D(start), D(due))
    assert (deadline.visibility, deadline.responsible_role, deadline.school_id) == (
        Visibility.BOARD_ONLY,
        "board",
        world.school_a.pk,
    )
    terms = s.objection_terms(objection)
    if kind == ObjectionKind.BEZWAAR:
        assert (terms.bezwaar_term_end, terms.on_time) == (D("2026-12-28"), True)
    else:
        assert (terms.bezwaar_term_end, terms.on_time) == (None, None)


def test_a_bezwaar_posted_in_time_counts_for_a_week_after_the_term(world):
    row = decided_schorsing(world, "openbaar")
    # The term ends Mon 28 Dec 2026; posted that day, received Mon 4 Jan 2027 (28 Dec + 7 days, an open
    # day): on time (Awb 6:9). Received Tue 5 Jan: late, recorded all the same.
    on_time = record_objection(
        world, row, posted_on=D("2026-12-28"), received_on=D("2027-01-04"), now=at("2027-01-05")
    )
    terms = s.objection_terms(on_time)
    assert (terms.grace_end, terms.on_time) == (D("2027-01-04"), True)
    Objection.objects.filter(pk=on_time.pk).update(decided_on=D("2027-01-05"), outcome="withdrawn")
    late = record_objection(
        world, row, posted_on=D("2026-12-28"), received_on=D("2027-01-05"), now=at("2027-01-05")
    )
    assert s.objection_terms(late).on_time is False
    assert "na de bezwaartermijn" in DossierEntry.objects.filter(kind="schorsing").latest("pk").summary


def test_an_openbaar_bezwaar_without_a_sent_letter_needs_the_bekendmaking(world):
    row = decided_schorsing(world, "openbaar")
    with pytest.raises(ValidationError) as excinfo:
        record_objection(world, row, bekendmaking_on=None)
    assert list(refusal(excinfo)) == ["bekendmaking_on"]
    # The day the decision letter was sent through LEV is the bekendmaking.
    letter = s.schorsing_letter(
        schorsing=row, kind="schorsing_besluit", actor=world.director_a, now=at(DECIDED_ON)
    )
    Letter.objects.filter(pk=letter.pk).update(sent_at=at(DECIDED_ON, 15))
    objection = record_objection(world, row, bekendmaking_on=None)
    assert s.decision_deadline(objection).due_on == D("2027-02-08")


def test_the_board_hears_decides_and_meets_the_term(world):
    row = decided_schorsing(world, "openbaar")
    objection = record_objection(world, row)
    later = at("2027-01-11")
    with pytest.raises(PermissionDenied):
        s.objection_decide(
            objection=objection,
            decided_on=D("2027-01-11"),
            outcome="upheld",
            reasons="x",
            actor=world.director_a,
            now=later,
        )
    with pytest.raises(ValidationError) as excinfo:
        s.objection_decide(
            objection=objection,
            decided_on=D("2027-01-11"),
            outcome="upheld",
            reasons="Terecht.",
            actor=world.board_member,
            now=later,
        )
    assert NON_FIELD_ERRORS in refusal(excinfo)  # the hearing comes first (Awb 7:2)
    s.objection_hearing(
        objection=objection,
        hearing_on=D("2027-01-07"),
        note="Ouders lichtten toe.",
        actor=world.board_member,
        now=later,
    )
    decided = s.objection_decide(
        objection=objection,
        decided_on=D("2027-01-11"),
        outcome="upheld",
        reasons="Terecht.",
        actor=world.board_member,
        now=later,
    )
    assert (decided.decided_on, decided.outcome) == (D("2027-01-11"), "upheld")
    assert s.decision_deadline(objection).status == DeadlineStatus.MET
    with pytest.raises(ValidationError):
        s.objection_decide(
            objection=objection,
            decided_on=D("2027-01-11"),
            outcome="revoked",
            reasons="Toch.",
            actor=world.board_member,
            now=later,
        )
    letter = s.schorsing_letter(schorsing=row, kind="besluit_bezwaar", actor=world.board_member, now=later)
    objection.refresh_from_db()
    assert objection.letter == letter
    assert (
        letter.values["beslissing"]
        == "Wij verklaren uw bezwaar ongegrond. Het besluit tot schorsing blijft van kracht."
    )
    assert letter.values["hoorzitting_datum"] == "donderdag 7 januari 2027"


def test_the_bezwaar_decision_can_be_postponed_once_by_six_weeks(world):
    row = decided_schorsing(world, "openbaar")
    objection = record_objection(world, row)
    first = s.decision_deadline(objection)
    s.objection_extend(
        objection=objection,
        extended_on=D("2027-01-20"),
        reason="Adviescommissie later.",
        actor=world.board_member,
        now=at("2027-01-20"),
    )
    first.refresh_from_db()
    new = s.decision_deadline(objection)
    # Mon 8 Feb 2027 + 6 weeks = Mon 22 Mar 2027.
    assert (first.status, new.start_on, new.due_on) == (
        DeadlineStatus.WAIVED,
        D("2027-02-08"),
        D("2027-03-22"),
    )
    assert s.objection_terms(objection).bezwaar_term_end == D("2026-12-28")
    with pytest.raises(ValidationError):
        s.objection_extend(
            objection=objection,
            extended_on=D("2027-01-21"),
            reason="Nog eens.",
            actor=world.board_member,
            now=at("2027-01-21"),
        )


def test_a_beroep_at_a_bijzonder_school_has_no_adviescommissie_or_extension(world):
    row = decided_schorsing(world, "bijzonder")
    with pytest.raises(ValidationError) as excinfo:
        record_objection(world, row, adviescommissie=True)
    assert list(refusal(excinfo)) == ["adviescommissie"]
    objection = record_objection(world, row)
    with pytest.raises(ValidationError):
        s.objection_extend(
            objection=objection,
            extended_on=D("2026-12-14"),
            reason="Tijd.",
            actor=world.board_member,
            now=at("2026-12-14"),
        )
    # No hearing is required for the school's own beroep.
    decided = s.objection_decide(
        objection=objection,
        decided_on=D("2026-12-21"),
        outcome="revoked",
        reasons="Te zwaar.",
        actor=world.board_member,
        now=at("2026-12-21"),
    )
    assert decided.outcome == "revoked"


def test_an_objection_only_against_a_decided_schorsing_and_one_at_a_time(world):
    first = ready(world)
    row = prepare(world, "2026-10-05", "2026-10-06", incidents=[first])
    with pytest.raises(ValidationError):
        s.schorsing_objection_record(
            schorsing=row,
            posted_on=None,
            received_on=D("2026-10-01"),
            grounds="",
            adviescommissie=False,
            actor=world.director_a,
            now=NOW,
        )
    s.schorsing_board_decide(schorsing=row, approve=True, note="", actor=world.board_member, now=NOW)
    s.schorsing_objection_record(
        schorsing=row,
        posted_on=None,
        received_on=D("2026-10-01"),
        grounds="",
        adviescommissie=False,
        actor=world.board_member,
        now=NOW,
    )
    with pytest.raises(ValidationError):
        s.schorsing_objection_record(
            schorsing=row,
            posted_on=None,
            received_on=D("2026-10-01"),
            grounds="",
            adviescommissie=False,
            actor=world.director_a,
            now=NOW,
        )
    with pytest.raises(PermissionDenied):
        s.schorsing_objection_record(
            schorsing=row,
            posted_on=None,
            received_on=D("2026-10-01"),
            grounds="",
            adviescommissie=False,
            actor=world.teacher_a,
            now=NOW,
        )


def test_covering_suspension_for_the_letters_engine(world):
    first = ready(world)
    mandate(world)
    prepare(world, "2026-10-05", "2026-10-07", incidents=[first], use_mandate=True)
    assert s.covers_days(world.pupil_a, D("2026-10-05"), D("2026-10-07"))
    assert s.covers_days(world.pupil_a, D("2026-10-06"), D("2026-10-06"))
    assert not s.covers_days(world.pupil_a, D("2026-10-06"), D("2026-10-08"))
    assert not s.covers_days(world.pupil_a_other, D("2026-10-05"), D("2026-10-05"))
