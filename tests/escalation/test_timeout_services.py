"""The time-out services (Bijlage 4, stap 5; LEGAL.md R1, R2) on PostgreSQL: who may ask and decide,
the school's maximum, at home refused, decided before it starts, the parents' call and the letter,
and the rows each leaves (ladder state, audit events, dossier entries).

The dates: Tue 8 Dec 2026 is the day of the time-outs (NOW is 09:00 that day in Amsterdam); Wed 9,
Thu 10, Fri 11 and Mon 14 Dec are the next school days (no closures unless a test adds one).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from communications.letter_models import Letter
from escalation import timeout_services as svc
from escalation.models import Episode, EpisodeState, TimeOut, TimeOutStatus
from escalation.services import step_record
from lev.audit.models import AuditEvent
from lev.deadlines.models import SchoolClosure
from lev.dossier.models import DossierEntry
from lev.schools.models import DecisionMaker, GroupPlacement, Membership, Role, TimeOutMaximum
from tests import factories as f
from tests.i18n_helpers import t

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)  # Tue 8 Dec 2026, 09:00 in Amsterdam
TUE, WED, THU, FRI, SAT, MON = (
    D(2026, 12, 8),
    D(2026, 12, 9),
    D(2026, 12, 10),
    D(2026, 12, 11),
    D(2026, 12, 12),
    D(2026, 12, 14),
)
LATER_TODAY = NOW + dt.timedelta(hours=6)
NEXT_DAY = NOW + dt.timedelta(days=1)


def prepare(world):
    """teacher_a teaches pupil_a on the test dates, whatever the school year the suite runs in."""
    GroupPlacement.objects.filter(pupil__in=[world.pupil_a, world.pupil_a_other]).update(
        starts_on=D(2020, 8, 1)
    )
    return world


@pytest.fixture
def w(world):
    return prepare(world)


def at_step_4(world, pupil=None, now=NOW):
    """Steps 3 and 4 recorded for PUPIL (a time-out follows step 4)."""
    for step in (3, 4):
        step_record(
            pupil=pupil or world.pupil_a,
            step=step,
            happened_on=D(2026, 12, 7),
            summary="Gesprek over het gedrag.",
            participants="Leerkracht, leerling",
            agreements="Nieuwe afspraken.",
            parents_informed=True,
            parents_informed_how="telefonisch",
            actor=world.director_a,
            now=now,
        )


def ask(world, *, actor=None, pupil=None, now=NOW, **changes):
    values = {
        "reason": "Sam duwde een klasgenoot hard tegen het hek en bleef boos roepen.",
        "first_day": TUE,
        "last_day": TUE,
        "where": "in groep 6a, bij meester Pieters",
        "place": "in_school",
        "work": "Rekenen blz. 12",
        "excluded_activities": ["gym", "lunch_break"],
        "longer_confirmed": False,
    }
    values.update(changes)
    return svc.timeout_request(
        pupil=pupil or world.pupil_a, actor=actor or world.teacher_a, now=now, **values
    )


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [m for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}


def second_director(world, username="director_a2"):
    user = f.UserFactory(username=username)
    Membership.objects.create(
        user=user, school=world.school_a, board=world.board, role=Role.DIRECTOR, active_from=D(2020, 1, 1)
    )
    return user


# --- requesting ------------------------------------------------------------------------------------


def test_teacher_asks_for_a_time_out_for_a_pupil_of_their_group(w):
    at_step_4(w)
    row = ask(w)
    assert row.status == TimeOutStatus.REQUESTED
    assert (row.first_day, row.last_day, row.where) == (TUE, TUE, "in groep 6a, bij meester Pieters")
    assert row.excluded_activities == ["gym", "lunch_break"]
    assert row.requested_by == w.teacher_a and row.requested_at == NOW
    # Requesting does not change the step: the pupil is on step 5 once it is approved.
    assert Episode.objects.get(pupil=w.pupil_a).state == EpisodeState.STEP_4
    event = AuditEvent.objects.get(action="escalation_timeout_requested")
    assert event.object_id == str(row.pk)
    assert event.summary["requested_as"] == "teacher"
    assert event.summary["first_day"] == "2026-12-08"
    transition = AuditEvent.objects.filter(action="escalation_transition").latest("pk")
    assert transition.summary["event"] == "request_time_out"
    entry = DossierEntry.objects.get(kind="timeout")
    assert entry.title == "Time-out aangevraagd"
    assert (entry.source_type, entry.source_id) == ("escalation.timeout", str(row.pk))
    assert "Op 08-12-2026; werkt in groep 6a, bij meester Pieters." in entry.summary
    assert "Doet niet mee aan: " in entry.summary


@pytest.mark.parametrize("persona", ["ib_a", "staff_a", "confidant_a"])
def test_roles_that_may_not_ask(w, persona):
    at_step_4(w)
    with pytest.raises(PermissionDenied):
        ask(w, actor=getattr(w, persona))
    assert not TimeOut.objects.exists()


def test_teacher_may_not_ask_for_a_pupil_of_another_group(w):
    at_step_4(w, pupil=w.pupil_a_other)
    with pytest.raises(PermissionDenied):
        ask(w, pupil=w.pupil_a_other)
    # The director and the deputy may, for any pupil of the school.
    assert ask(w, pupil=w.pupil_a_other, actor=w.deputy_a).status == TimeOutStatus.REQUESTED


def test_at_home_is_refused_as_a_schorsing(w):
    at_step_4(w)
    episodes = Episode.objects.count()
    with pytest.raises(ValidationError) as caught:
        ask(w, place="at_home", where="")
    assert errors_of(caught.value) == {
        "place": [
            t(
                "A pupil who stays at home is suspended, whatever the school calls it: a time-out is always "
                "inside the school. Start a schorsing instead of a time-out."
            )
        ]
    }
    assert not TimeOut.objects.exists()
    assert Episode.objects.count() == episodes


def test_rest_of_the_day_is_the_default_maximum(w):
    at_step_4(w)
    with pytest.raises(ValidationError) as caught:
        ask(w, actor=w.director_a, last_day=WED, longer_confirmed=True)
    expected = t(
        "Under the school's setting, a time-out lasts at most the rest of the day (Bijlage 4, stap 5). "
        "Choose {first_day} as the end date."
    ).format(first_day="08-12-2026")
    assert errors_of(caught.value) == {"last_day": [expected]}


def test_maximum_in_school_days_from_the_school_setting(w):
    school = w.school_a
    school.timeout_maximum, school.timeout_maximum_days = TimeOutMaximum.SCHOOL_DAYS, 3
    school.save()
    at_step_4(w)
    # Tue to Fri is 4 school days; the 3rd school day from Tue is Thu 10 Dec.
    with pytest.raises(ValidationError) as caught:
        ask(w, actor=w.director_a, last_day=FRI, longer_confirmed=True)
    expected = t(
        "Under the school's setting, a time-out lasts at most {max_days} school days (Bijlage 4, "
        "stap 5). Choose an end date on or before {latest}."
    ).format(max_days="3", latest="10-12-2026")
    assert errors_of(caught.value) == {"last_day": [expected]}
    # A study day on Wed: Tue, Thu, Fri are 3 school days, within the maximum.
    SchoolClosure.objects.create(
        board=w.board,
        school=school,
        first_day=WED,
        last_day=WED,
        kind="study_day",
        name="Studiedag",
        created_at=NOW,
    )
    row = ask(w, actor=w.director_a, last_day=FRI, longer_confirmed=True)
    assert (row.first_day, row.last_day, row.longer_confirmed) == (TUE, FRI, True)
    assert svc.school_days_of(row) == 3


def test_more_than_one_day_needs_the_directors_confirmation(w):
    school = w.school_a
    school.timeout_maximum, school.timeout_maximum_days = TimeOutMaximum.SCHOOL_DAYS, 2
    school.save()
    at_step_4(w)
    with pytest.raises(ValidationError) as caught:
        ask(w, actor=w.director_a, last_day=WED)
    assert list(errors_of(caught.value)) == ["longer_confirmed"]
    # A teacher cannot confirm for the director: the request is taken, the approver confirms.
    row = ask(w, last_day=WED, longer_confirmed=True)
    assert row.longer_confirmed is False
    with pytest.raises(ValidationError) as caught:
        svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW)
    assert list(errors_of(caught.value)) == ["longer_confirmed"]
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REQUESTED
    row = svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW, longer_confirmed=True)
    assert (row.status, row.longer_confirmed) == (TimeOutStatus.APPROVED, True)


def test_first_day_on_a_school_day_and_not_in_the_past(w):
    at_step_4(w)
    with pytest.raises(ValidationError) as caught:
        ask(w, first_day=SAT, last_day=SAT)
    expected = t(
        "A time-out is on a school day; {day} is not a school day. Choose {next_day}, for example."
    ).format(day="12-12-2026", next_day="14-12-2026")
    assert errors_of(caught.value) == {"first_day": [expected]}
    with pytest.raises(ValidationError) as caught:
        ask(w, first_day=D(2026, 12, 7), last_day=D(2026, 12, 7))
    assert list(errors_of(caught.value)) == ["first_day"]


def test_missing_facts_and_place_in_school(w):
    at_step_4(w)
    with pytest.raises(ValidationError) as caught:
        ask(w, reason="  ", where="")
    assert sorted(errors_of(caught.value)) == ["reason", "where"]


def test_the_ladder_wants_step_4_or_a_serious_incident_first(w):
    with pytest.raises(ValidationError) as caught:
        ask(w)
    assert caught.value.messages == [
        t(
            "A time-out follows step 4 (School and parents work together), or comes straight after a "
            "serious incident. Record step 4 first, or record the serious incident with a reason "
            "(Bijlage 4, stap 5)."
        )
    ]
    # Nothing stays behind: not the request, not the episode it opened.
    assert not TimeOut.objects.exists()
    assert not Episode.objects.exists()


def test_one_request_at_a_time(w):
    at_step_4(w)
    ask(w)
    with pytest.raises(ValidationError) as caught:
        ask(w, actor=w.director_a)
    assert caught.value.messages == [t("A time-out request is already waiting for approval.")]
    assert TimeOut.objects.count() == 1


def test_an_undecided_request_whose_day_passed_must_be_rejected_first(w):
    at_step_4(w)
    old = ask(w)
    with pytest.raises(ValidationError) as caught:
        ask(w, first_day=WED, last_day=WED, now=NEXT_DAY)
    assert caught.value.messages == [
        t(
            "An earlier request for a time-out on %(day)s was never decided. It can no longer be "
            "approved: have it rejected or withdrawn first.",
            day="08-12-2026",
        )
    ]
    svc.timeout_reject(time_out=old, reason="Niet meer nodig.", actor=w.director_a, now=NEXT_DAY)
    assert ask(w, first_day=WED, last_day=WED, now=NEXT_DAY).status == TimeOutStatus.REQUESTED


# --- deciding --------------------------------------------------------------------------------------


def test_director_approves_a_teachers_request(w):
    at_step_4(w)
    row = ask(w)
    row = svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW)
    row.refresh_from_db()
    assert (row.status, row.approval_kind, row.decided_by, row.decided_at) == (
        TimeOutStatus.APPROVED,
        "director",
        w.director_a,
        NOW,
    )
    assert Episode.objects.get(pupil=w.pupil_a).state == EpisodeState.STEP_5
    transition = AuditEvent.objects.filter(action="escalation_transition").latest("pk")
    assert (transition.summary["event"], transition.summary["from"], transition.summary["to"]) == (
        "approve_time_out",
        "step_4",
        "step_5",
    )
    approved = AuditEvent.objects.get(action="escalation_timeout_approved")
    assert approved.summary == {
        "pupil_id": w.pupil_a.pk,
        "episode_id": row.episode_id,
        "approval_kind": "director",
    }
    assert approved.actor == w.director_a
    titles = list(DossierEntry.objects.filter(kind="timeout").order_by("pk").values_list("title", flat=True))
    assert titles == ["Time-out aangevraagd", "Time-out goedgekeurd"]


def test_deputy_approves_only_the_directors_request(w):
    at_step_4(w)
    teachers = ask(w)
    with pytest.raises(PermissionDenied):
        svc.timeout_approve(time_out=teachers, actor=w.deputy_a, now=NOW)
    svc.timeout_withdraw(time_out=teachers, reason="Toch niet.", actor=w.teacher_a, now=NOW)
    directors = ask(w, actor=w.director_a)
    row = svc.timeout_approve(time_out=directors, actor=w.deputy_a, now=NOW)
    assert (row.status, row.approval_kind, row.decision_reason) == (TimeOutStatus.APPROVED, "deputy", "")
    assert "adjunct-directeur" in DossierEntry.objects.filter(title="Time-out goedgekeurd").get().summary


def test_deputys_own_request_is_approved_by_the_director(w):
    at_step_4(w)
    row = ask(w, actor=w.deputy_a)
    with pytest.raises(PermissionDenied):
        svc.timeout_approve(time_out=row, actor=w.deputy_a, now=NOW)
    assert svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW).approval_kind == "director"


def test_director_alone_on_their_own_request_needs_a_reason(w):
    at_step_4(w)
    row = ask(w, actor=w.director_a)
    with pytest.raises(ValidationError) as caught:
        svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW, self_reason="  ")
    assert errors_of(caught.value) == {
        "self_reason": [
            t(
                "You requested this time-out yourself. Have the deputy director approve it, or write down "
                "why you are deciding yourself: the board sees that reason."
            )
        ]
    }
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REQUESTED
    assert Episode.objects.get(pupil=w.pupil_a).state == EpisodeState.STEP_4
    row = svc.timeout_approve(
        time_out=row, actor=w.director_a, now=NOW, self_reason="De adjunct is vandaag afwezig."
    )
    row.refresh_from_db()
    assert (row.approval_kind, row.decision_reason) == ("self", "De adjunct is vandaag afwezig.")
    entry = DossierEntry.objects.get(title="Time-out goedgekeurd")
    assert (
        "De directeur besliste zelf over de eigen aanvraag. Reden: De adjunct is vandaag afwezig."
        in entry.summary
    )


def test_approved_the_same_day_but_not_after_the_first_day(w):
    at_step_4(w)
    row = ask(w)
    with pytest.raises(ValidationError) as caught:
        svc.timeout_approve(time_out=row, actor=w.director_a, now=NEXT_DAY)
    assert caught.value.messages == [
        t(
            "This time-out was to start on %(day)s. A time-out is approved before it starts, so it can "
            "no longer be approved. Reject it, and request a new time-out if it is still needed.",
            day="08-12-2026",
        )
    ]
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REQUESTED
    # "Met onmiddellijke ingang": later on the first day itself is in time.
    assert (
        svc.timeout_approve(time_out=row, actor=w.director_a, now=LATER_TODAY).status
        == TimeOutStatus.APPROVED
    )


def test_a_decided_request_is_not_decided_again(w):
    at_step_4(w)
    row = ask(w)
    other = second_director(w)
    svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW)
    name = w.director_a.display_name
    for action in (
        lambda: svc.timeout_approve(time_out=row, actor=other, now=LATER_TODAY),
        lambda: svc.timeout_reject(time_out=row, reason="Nee.", actor=other, now=LATER_TODAY),
        lambda: svc.timeout_withdraw(time_out=row, reason="Nee.", actor=w.teacher_a, now=LATER_TODAY),
    ):
        with pytest.raises(ValidationError) as caught:
            action()
        assert caught.value.messages == [
            t("This time-out was already approved by %(name)s on %(date)s.", name=name, date="08-12-2026")
        ]
    assert AuditEvent.objects.filter(action="escalation_timeout_approved").count() == 1


def test_reject_with_a_reason(w):
    at_step_4(w)
    row = ask(w)
    with pytest.raises(ValidationError) as caught:
        svc.timeout_reject(time_out=row, reason=" ", actor=w.director_a, now=NOW)
    assert errors_of(caught.value) == {"reason": [t("Write down why the time-out is rejected.")]}
    with pytest.raises(PermissionDenied):
        svc.timeout_reject(time_out=row, reason="Nee.", actor=w.teacher_a, now=NOW)
    svc.timeout_reject(time_out=row, reason="Eerst een gesprek met de ouders.", actor=w.director_a, now=NOW)
    row.refresh_from_db()
    assert (row.status, row.decision_reason, row.decided_by) == (
        TimeOutStatus.REJECTED,
        "Eerst een gesprek met de ouders.",
        w.director_a,
    )
    assert Episode.objects.get(pupil=w.pupil_a).state == EpisodeState.STEP_4
    assert AuditEvent.objects.filter(action="escalation_timeout_rejected", object_id=str(row.pk)).count() == 1
    assert DossierEntry.objects.filter(title="Time-out afgewezen").count() == 1
    with pytest.raises(ValidationError) as caught:
        svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW)
    assert caught.value.messages == [
        t(
            "This time-out was already rejected by %(name)s on %(date)s.",
            name=w.director_a.display_name,
            date="08-12-2026",
        )
    ]


def test_withdraw_by_the_requester_or_a_lead(w):
    at_step_4(w)
    row = ask(w)
    for persona in ("ib_a", "staff_a"):
        with pytest.raises(PermissionDenied):
            svc.timeout_withdraw(time_out=row, reason="Nee.", actor=getattr(w, persona), now=NOW)
    with pytest.raises(ValidationError) as caught:
        svc.timeout_withdraw(time_out=row, reason="", actor=w.teacher_a, now=NOW)
    assert errors_of(caught.value) == {"reason": [t("Write down why the request is withdrawn.")]}
    svc.timeout_withdraw(time_out=row, reason="De leerling is tot rust gekomen.", actor=w.teacher_a, now=NOW)
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.decision_reason) == (
        TimeOutStatus.WITHDRAWN,
        w.teacher_a,
        "De leerling is tot rust gekomen.",
    )
    assert AuditEvent.objects.filter(action="escalation_timeout_withdrawn").count() == 1
    assert DossierEntry.objects.filter(title="Time-out-aanvraag ingetrokken").count() == 1
    # A new request is possible again; the director may also withdraw it.
    again = ask(w)
    svc.timeout_withdraw(time_out=again, reason="Dubbel.", actor=w.director_a, now=NOW)
    assert TimeOut.objects.get(pk=again.pk).status == TimeOutStatus.WITHDRAWN


def test_board_approves_when_the_school_leaves_time_outs_to_the_board(w):
    school = w.school_a
    school.timeout_decided_by = DecisionMaker.BOARD
    school.save()
    at_step_4(w)
    row = ask(w, actor=w.director_a)
    for lead in (w.director_a, w.deputy_a):
        with pytest.raises(PermissionDenied):
            svc.timeout_approve(time_out=row, actor=lead, now=NOW, self_reason="Zelf.")
    row = svc.timeout_approve(time_out=row, actor=w.board_member, now=NOW)
    row.refresh_from_db()
    assert (row.status, row.approval_kind, row.decision_reason) == (TimeOutStatus.APPROVED, "board", "")
    assert Episode.objects.get(pupil=w.pupil_a).state == EpisodeState.STEP_5
    assert "Goedgekeurd door het bestuur." in DossierEntry.objects.get(title="Time-out goedgekeurd").summary


# --- the parents (R1) ------------------------------------------------------------------------------


def test_phone_call_recorded_once(w):
    at_step_4(w)
    row = svc.timeout_approve(time_out=ask(w), actor=w.director_a, now=NOW)
    phoned = NOW + dt.timedelta(minutes=20)
    after = NOW + dt.timedelta(minutes=30)
    with pytest.raises(ValidationError) as caught:
        svc.timeout_parents_phoned(
            time_out=row, phoned_at=after + dt.timedelta(hours=1), note="", actor=w.teacher_a, now=after
        )
    assert errors_of(caught.value) == {"phoned_at": [t("The moment of the call cannot lie in the future.")]}
    with pytest.raises(PermissionDenied):
        svc.timeout_parents_phoned(time_out=row, phoned_at=phoned, note="", actor=w.staff_a, now=after)
    svc.timeout_parents_phoned(
        time_out=row,
        phoned_at=phoned,
        note="Moeder gesproken; zij haalt hem niet op.",
        actor=w.teacher_a,
        now=after,
    )
    row.refresh_from_db()
    assert (row.parents_phoned_at, row.parents_phoned_by, row.phone_note) == (
        phoned,
        w.teacher_a,
        "Moeder gesproken; zij haalt hem niet op.",
    )
    entry = DossierEntry.objects.get(title="Ouders gebeld over de time-out")
    assert entry.happened_at == phoned
    assert AuditEvent.objects.filter(action="escalation_timeout_parents_phoned").count() == 1
    with pytest.raises(ValidationError) as caught:
        svc.timeout_parents_phoned(time_out=row, phoned_at=phoned, note="", actor=w.director_a, now=after)
    assert caught.value.messages == [
        t(
            "The call to the parents was already recorded: %(when)s by %(name)s.",
            when="08-12-2026 09:20",
            name=w.teacher_a.display_name,
        )
    ]


def test_letter_after_approval_prefilled_and_once(w):
    at_step_4(w)
    row = ask(w)
    with pytest.raises(ValidationError) as caught:
        svc.timeout_letter(time_out=row, actor=w.director_a, now=NOW)
    assert caught.value.messages == [t("The letter to the parents is made once the time-out is approved.")]
    row = svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW)
    with pytest.raises(PermissionDenied):
        svc.timeout_letter(time_out=row, actor=w.teacher_a, now=NOW)
    letter = svc.timeout_letter(time_out=row, actor=w.ib_a, now=NOW)
    assert letter.kind == "timeout_melding"
    assert (letter.pupil, letter.school, letter.author) == (w.pupil_a, w.school_a, w.ib_a)
    assert letter.values == {
        "datum_voorval": "dinsdag 8 december 2026",
        "wat_er_gebeurde": "Sam duwde een klasgenoot hard tegen het hek en bleef boos roepen.",
        "maatregel_duur": "de rest van de schooldag",
        "werkplek": "in groep 6a, bij meester Pieters",
        "gesprek_aanbod": "",
    }
    assert (letter.source_type, letter.source_id) == ("escalation.timeout", str(row.pk))
    assert TimeOut.objects.get(pk=row.pk).letter == letter
    with pytest.raises(ValidationError) as caught:
        svc.timeout_letter(time_out=row, actor=w.director_a, now=NOW)
    assert caught.value.messages == [
        t(
            "The letter for this time-out was already made: %(reference)s. Continue with that letter.",
            reference=letter.reference,
        )
    ]
    assert Letter.objects.count() == 1


def test_letter_duration_of_several_days(w):
    school = w.school_a
    school.timeout_maximum, school.timeout_maximum_days = TimeOutMaximum.SCHOOL_DAYS, 2
    school.save()
    at_step_4(w)
    row = svc.timeout_approve(
        time_out=ask(w, actor=w.director_a, first_day=WED, last_day=THU, longer_confirmed=True),
        actor=w.deputy_a,
        now=NOW,
    )
    letter = svc.timeout_letter(time_out=row, actor=w.director_a, now=NOW)
    assert letter.values["datum_voorval"] == "woensdag 9 december 2026"
    assert (
        letter.values["maatregel_duur"]
        == "van woensdag 9 december 2026 tot en met donderdag 10 december 2026"
    )


def test_refusal_without_field_is_a_non_field_error(w):
    """The approval rule's "approver_not_allowed" has no field of the form: it is a form-wide error."""
    from escalation.domain.errors import Notice

    error = svc._refused([Notice("approver_not_allowed", "approved_by", "Niet toegestaan.")])
    assert error.error_dict[NON_FIELD_ERRORS][0].messages == ["Niet toegestaan."]
