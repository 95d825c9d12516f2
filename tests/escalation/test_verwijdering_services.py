"""The verwijdering services (escalation/verwijdering_services.py) on PostgreSQL: step 7 of the ladder
(WPO art. 40, 42, 43, 63; Leerplichtwet art. 18; LEGAL.md R10–R20).

Dates are worked out by hand (2026): Thu 2 Apr, Fri 3 Apr Goede Vrijdag, Mon 6 Apr Tweede Paasdag,
Wed 13 May, Thu 14 May Hemelvaartsdag, Fri 15 May a KB-gelijkgestelde dag (in the shipped KB list),
Mon 18 May, Mon 25 May Tweede Pinksterdag, Wed 10 Jun, Mon 15 Jun. n weeks = the same weekday n
weeks later; a Saturday, Sunday, holiday or KB day moves the end to the next open day (Atw art. 1).

The helpers at the top (`at`, `start`, `hear`, `decided`, `sent`, …) are shared with the view and
concurrency tests of the verwijdering.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import translation

from communications.letter_models import Letter
from escalation import verwijdering_services as svc
from escalation.domain.verwijdering import MESSAGES
from escalation.models import (
    ApproachAnswer,
    Authority,
    Episode,
    GpoCase,
    Objection,
    ObjectionOutcome,
    Verwijdering,
    VerwijderingStatus,
)
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.dossier.models import DossierEntry
from lev.schools.models import Role
from tests import factories as f
from tests.i18n_helpers import t

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """HOUR o'clock on DAY in Amsterdam."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS)


# The story used throughout (2026): started Mon 2 Mar; the class teacher heard Mon 16 Mar, the
# parents Thu 19 Mar; decided Thu 26 Mar; sent Thu 2 Apr.
STARTED = D(2026, 3, 2)
TEACHER_HEARD = D(2026, 3, 16)
PARENTS_HEARD = D(2026, 3, 19)
DECIDED = D(2026, 3, 26)
SENT = D(2026, 4, 2)
REASONS = "De veiligheid van de andere kinderen kan niet langer worden gewaarborgd."


def start(world, *, ground: int = 1, pupil=None, actor=None, day: dt.date = STARTED, **extra) -> Verwijdering:
    values = {
        "ground_explanation": "De school kan de extra begeleiding die Anna nodig heeft niet meer bieden.",
        "earlier_measures": "Begeleiding door de IB'er sinds september; arrangement van het samenwerkingsverband.",
        "lighter_measures_failed": False,
        "warning_given_on": None,
        "warning_note": "",
        "incidents": [],
        "interim_arrangement": "Anna blijft in groep 5a, met het eigen lesprogramma.",
    }
    values.update(extra)
    return svc.verwijdering_start(
        pupil=pupil or world.pupil_a, ground=ground, actor=actor or world.director_a, now=at(day), **values
    )


def hear(world, row: Verwijdering, who: str, day: dt.date, actor=None) -> Verwijdering:
    return svc.verwijdering_hearing(
        verwijdering=row,
        who=who,
        heard_on=day,
        note=f"Gesprek met {who}.",
        actor=actor or world.director_a,
        now=at(day, 16),
    )


def decide(world, row: Verwijdering, *, actor=None, day: dt.date = DECIDED) -> Verwijdering:
    return svc.verwijdering_decide(
        verwijdering=row, decided_on=day, reasons=REASONS, actor=actor or world.board_member, now=at(day)
    )


def decided(world, **start_extra) -> Verwijdering:
    row = start(world, **start_extra)
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    hear(world, row, "parents", PARENTS_HEARD)
    return decide(world, row)


def sent(world, *, on: dt.date = SENT, **start_extra) -> Verwijdering:
    row = decided(world, **start_extra)
    return svc.verwijdering_sent(verwijdering=row, sent_on=on, actor=world.director_a, now=at(on))


def bezwaar(world, row: Verwijdering, received: dt.date, posted: dt.date | None = None) -> Objection:
    return svc.verwijdering_bezwaar_record(
        verwijdering=row,
        posted_on=posted,
        received_on=received,
        grounds="De school heeft te weinig hulp ingezet.",
        actor=world.director_a,
        now=at(received, 15),
    )


def second_board_member(world):
    user = f.UserFactory(username="board_member_2")
    f.MembershipFactory(user=user, school=None, board=world.board, role=Role.BOARD)
    return user


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def deadline(subject, rule: str) -> Deadline:
    return Deadline.objects.get(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk), rule_code=rule
    )


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def message(code: str, **params: str) -> str:
    return str(MESSAGES[code]).format(**params)


# --- starting (Bijlage 4, the four grounds; R10) -------------------------------------------------


def test_ground_1_starts_from_nothing_and_opens_the_episode_on_step_7(world):
    row = start(world)
    episode = Episode.objects.get(pupil=world.pupil_a)
    assert episode.state == "step_7"
    assert (row.status, row.ground, row.episode_id) == (VerwijderingStatus.STARTED, 1, episode.pk)
    assert row.interim_arrangement == "Anna blijft in groep 5a, met het eigen lesprogramma."
    event = AuditEvent.objects.get(action="verwijdering_started")
    assert event.summary["ground"] == 1 and event.summary["pupil_id"] == world.pupil_a.pk
    assert "Anna" not in str(event.summary)  # ids only
    entry = DossierEntry.objects.get(kind="verwijdering")
    assert entry.title == "Verwijdering voorbereid"
    assert "Grond 1: de school kan niet (langer) voldoen" in entry.summary
    assert "Onderwijs in de tussentijd: Anna blijft in groep 5a" in entry.summary
    transition = AuditEvent.objects.get(action="escalation_transition")
    assert transition.summary["event"] == "start_verwijdering" and transition.summary["to"] == "step_7"


def test_ground_2_needs_failed_lighter_measures_and_a_warning(world):
    with pytest.raises(ValidationError) as refused:
        start(world, ground=2, lighter_measures_failed=True)
    assert errors_of(refused) == {"ground": [message("ground_2_conditions")]}
    assert not Verwijdering.objects.exists() and not Episode.objects.exists()
    row = start(
        world,
        ground=2,
        lighter_measures_failed=True,
        warning_given_on=D(2026, 2, 16),
        warning_note="Ouders schriftelijk gewaarschuwd na het incident van 13 februari.",
    )
    assert (row.ground, row.warning_given_on) == (2, D(2026, 2, 16))


def test_what_is_missing_is_said_at_each_field_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        start(
            world,
            ground=None,
            ground_explanation=" ",
            interim_arrangement="",
            warning_given_on=D(2026, 3, 9),
            warning_note="",
        )
    errors = errors_of(refused)
    assert errors["ground"] == [message("ground_missing")]
    assert set(errors) == {
        "ground",
        "ground_explanation",
        "interim_arrangement",
        "warning_given_on",
        "warning_note",
    }
    assert errors["warning_given_on"] == [t("The date cannot lie in the future.")]
    assert not Verwijdering.objects.exists()


@pytest.mark.parametrize("persona", ["teacher_a", "ib_a", "staff_a", "board_member", "teacher_b"])
def test_only_the_director_and_deputy_start_one(world, persona):
    with pytest.raises(PermissionDenied):
        start(world, actor=getattr(world, persona))
    assert not Verwijdering.objects.exists()
    start(world, actor=world.deputy_a)


def test_a_second_verwijdering_while_one_runs_is_refused_by_the_ladder(world):
    start(world)
    with pytest.raises(ValidationError) as refused:
        start(world, ground=3)
    assert errors_of(refused) == {
        NON_FIELD_ERRORS: [t("A verwijdering is already under way for this pupil.")]
    }
    assert Verwijdering.objects.count() == 1


def test_an_incident_of_another_school_is_refused(world):
    from tests.crisis.helpers import make_incident

    other = make_incident(world.school_b, reporter=world.teacher_b)
    with pytest.raises(ValidationError) as refused:
        start(world, incidents=[other])
    assert set(errors_of(refused)) == {"incidents"}


# --- the decision (R11, R12): refused without both hearings ---------------------------------------


def test_the_decision_is_refused_without_both_hearings(world):
    row = start(world)
    with pytest.raises(ValidationError) as refused:
        decide(world, row)
    # Keyed by the hearing fields, which the decision form does not have: the view shows them above it.
    assert errors_of(refused) == {
        "groepsleraar_heard_on": [message("groepsleraar_not_heard", decided_on="26-03-2026")],
        "parents_heard_on": [message("parents_not_heard", decided_on="26-03-2026")],
    }
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    with pytest.raises(ValidationError) as refused:
        decide(world, row)
    assert errors_of(refused) == {"parents_heard_on": [message("parents_not_heard", decided_on="26-03-2026")]}
    row.refresh_from_db()
    assert row.status == VerwijderingStatus.STARTED and row.decided_on is None
    # Parents heard after the date of the decision do not count.
    hear(world, row, "parents", D(2026, 3, 27))
    with pytest.raises(ValidationError):
        decide(world, row)
    hear(world, row, "parents", PARENTS_HEARD)
    row = decide(world, row)
    assert (row.status, row.authority, row.decided_on, row.decided_by) == (
        VerwijderingStatus.DECIDED,
        Authority.BOARD,
        DECIDED,
        world.board_member,
    )
    assert DossierEntry.objects.filter(kind="verwijdering", title="Besluit tot verwijdering").count() == 1


def test_a_pupil_of_12_not_heard_is_a_warning_not_a_refusal(world):
    world.pupil_a.date_of_birth = D(2013, 6, 1)  # 12 on 26 Mar 2026
    world.pupil_a.save()
    row = start(world)
    page = svc.verwijdering_page(row, today=D(2026, 3, 20))
    assert page.pupil_age == 12
    assert "12" in page.pupil_warning
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    hear(world, row, "parents", PARENTS_HEARD)
    decide(world, row)
    assert AuditEvent.objects.get(action="verwijdering_decided").summary["warnings"] == ["pupil_not_heard"]


@pytest.mark.parametrize("persona", ["director_a", "deputy_a", "ib_a", "teacher_a"])
def test_without_a_mandate_setting_only_the_board_decides(world, persona):
    row = start(world)
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    hear(world, row, "parents", PARENTS_HEARD)
    with pytest.raises(PermissionDenied):
        decide(world, row, actor=getattr(world, persona))
    row.refresh_from_db()
    assert row.status == VerwijderingStatus.STARTED


def test_a_decision_already_taken_is_refused(world):
    row = decided(world)
    with pytest.raises(ValidationError) as refused:
        decide(world, row, actor=second_board_member(world), day=D(2026, 3, 27))
    assert errors_of(refused)[NON_FIELD_ERRORS] == [
        t("This verwijdering was already decided on %(day)s.", day="26-03-2026")
    ]
    row.refresh_from_db()
    assert (row.decided_on, row.decided_by) == (DECIDED, world.board_member)


def test_hearings_are_recorded_before_the_decision_only(world):
    row = decided(world)
    with pytest.raises(ValidationError) as refused:
        hear(world, row, "pupil", D(2026, 3, 30))
    assert NON_FIELD_ERRORS in errors_of(refused)


# --- leerplicht (R14) and the bekendmaking (R12) -------------------------------------------------


def test_the_decision_opens_the_leerplicht_task_terstond(world):
    row = decided(world)
    task = deadline(row, "leerplicht-melding-verwijdering")
    # Terstond: due on the day of the decision (Thu 26 Mar), overdue after the next working day Fri 27 Mar.
    assert (task.start_on, task.due_on, task.late_after, task.status) == (
        DECIDED,
        DECIDED,
        D(2026, 3, 27),
        DeadlineStatus.OPEN,
    )
    assert (task.visibility, task.responsible_role) == (Visibility.SCHOOL, Role.DIRECTOR)
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_leerplicht_reported(
            verwijdering=row, reported_on=D(2026, 3, 25), actor=world.director_a, now=at(D(2026, 3, 27))
        )
    assert set(errors_of(refused)) == {"reported_on"}
    svc.verwijdering_leerplicht_reported(
        verwijdering=row, reported_on=D(2026, 3, 27), actor=world.director_a, now=at(D(2026, 3, 27))
    )
    task.refresh_from_db()
    assert task.status == DeadlineStatus.MET
    row.refresh_from_db()
    assert row.leerplicht_reported_on == D(2026, 3, 27)


def test_the_sending_is_recorded_apart_from_the_decision_and_not_before_it(world):
    row = decided(world)
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_sent(verwijdering=row, sent_on=D(2026, 3, 25), actor=world.director_a, now=at(SENT))
    assert errors_of(refused) == {"sent_on": [message("sent_before_decision", decided_on="26-03-2026")]}
    assert not Deadline.objects.filter(rule_code="bezwaar-verwijdering").exists()
    row = svc.verwijdering_sent(verwijdering=row, sent_on=SENT, actor=world.board_member, now=at(SENT))
    assert (row.decided_on, row.sent_on, row.delivered_on) == (DECIDED, SENT, None)
    # The delivery date is added later and does not move the term (LEV's letters count from sending).
    svc.verwijdering_sent(
        verwijdering=row,
        sent_on=SENT,
        delivered_on=D(2026, 4, 7),
        actor=world.director_a,
        now=at(D(2026, 4, 7)),
    )
    term = deadline(row, "bezwaar-verwijdering")
    assert (term.start_on, term.due_on) == (SENT, D(2026, 5, 18))
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_sent(
            verwijdering=row, sent_on=D(2026, 4, 3), actor=world.director_a, now=at(D(2026, 4, 7))
        )
    assert set(errors_of(refused)) == {"sent_on"}


# --- the bezwaar: terms for bijzonder and openbaar from the same dates (R16, R18) ------------------


@pytest.mark.parametrize(
    ("denominatie", "decision_start", "decision_due"),
    [
        # Bezwaar term: sent Thu 2 Apr + 6 weeks = Thu 14 May Hemelvaartsdag, Fri 15 May KB day,
        # Sat 16–Sun 17 weekend -> Mon 18 May (both school types).
        # Bijzonder (WPO 63 lid 3): 4 weeks from the receipt Wed 13 May = Wed 10 Jun.
        ("bijzonder", D(2026, 5, 13), D(2026, 6, 10)),
        # Openbaar (WPO 40 lid 12): 4 weeks from the extended end Mon 18 May = Mon 15 Jun.
        ("openbaar", D(2026, 5, 18), D(2026, 6, 15)),
    ],
)
def test_the_bezwaar_terms_for_bijzonder_and_openbaar_from_the_same_dates(
    world, denominatie, decision_start, decision_due
):
    world.school_a.denominatie = denominatie
    world.school_a.save()
    row = sent(world)
    term = deadline(row, "bezwaar-verwijdering")
    assert (term.school_type, term.start_on, term.raw_end, term.due_on) == (
        denominatie,
        SENT,
        D(2026, 5, 14),
        D(2026, 5, 18),
    )
    objection = bezwaar(world, row, D(2026, 5, 13))
    decision = deadline(objection, "beslissing-bezwaar-verwijdering")
    assert (decision.start_on, decision.due_on) == (decision_start, decision_due)
    assert (decision.visibility, decision.responsible_role, decision.school_id) == (
        Visibility.BOARD_ONLY,
        Role.BOARD,
        world.school_a.pk,
    )
    term.refresh_from_db()
    assert term.status == DeadlineStatus.MET  # the parents' term ends with their bezwaar
    assert AuditEvent.objects.get(action="verwijdering_bezwaar_recorded").summary["on_time"] is True


@pytest.mark.parametrize(
    ("posted", "received", "on_time"),
    [
        # The term ends Mon 18 May. Posted on the last day and received within the Awb 6:9 week:
        # 18 May + 7 = Mon 25 May Tweede Pinksterdag -> Tue 26 May.
        (D(2026, 5, 18), D(2026, 5, 26), True),
        (D(2026, 5, 18), D(2026, 5, 27), False),  # after the week
        (None, D(2026, 5, 19), False),  # no posting date, received a day late
    ],
)
def test_a_late_bezwaar_is_recorded_and_shown_never_refused(world, posted, received, on_time):
    row = sent(world)
    objection = bezwaar(world, row, received, posted)
    assert Objection.objects.filter(pk=objection.pk).exists()
    assert AuditEvent.objects.get(action="verwijdering_bezwaar_recorded").summary["on_time"] is on_time
    page = svc.verwijdering_page(row, today=received)
    timeliness = page.objections[0].timeliness
    assert (timeliness.term_end, timeliness.grace_end, timeliness.on_time) == (
        D(2026, 5, 18),
        D(2026, 5, 26),
        on_time,
    )
    entry = DossierEntry.objects.get(title="Bezwaar tegen de verwijdering ontvangen")
    assert entry.summary.splitlines()[1].startswith("Op tijd" if on_time else "Te laat")


def test_a_bezwaar_needs_the_sending_first_and_one_at_a_time(world):
    row = decided(world)
    with pytest.raises(ValidationError) as refused:
        bezwaar(world, row, D(2026, 4, 20))
    assert NON_FIELD_ERRORS in errors_of(refused)
    svc.verwijdering_sent(verwijdering=row, sent_on=SENT, actor=world.director_a, now=at(SENT))
    with pytest.raises(ValidationError) as refused:
        bezwaar(world, row, D(2026, 4, 1))
    assert set(errors_of(refused)) == {"received_on"}
    bezwaar(world, row, D(2026, 4, 20))
    with pytest.raises(ValidationError):
        bezwaar(world, row, D(2026, 4, 21))
    assert Objection.objects.count() == 1


def test_a_late_bezwaar_is_declared_inadmissible_without_a_hearing(world):
    """Sent Thu 2 Apr 2026: the six weeks end Thu 14 May (Hemelvaart) and the Atw moves the end to
    Mon 18 May; a bezwaar posted and received on Wed 1 Jul is late, and the board may declare it
    niet-ontvankelijk without hearing the parents (Awb art. 7:3 sub a)."""
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 7, 1), posted=D(2026, 7, 1))
    decided = svc.verwijdering_bezwaar_decide(
        objection=objection,
        decided_on=D(2026, 7, 8),
        outcome=ObjectionOutcome.INADMISSIBLE,
        reasons="Het bezwaar kwam ruim zes weken te laat binnen.",
        actor=world.board_member,
        now=at(D(2026, 7, 8)),
    )
    assert decided.outcome == ObjectionOutcome.INADMISSIBLE and decided.hearing_on is None
    entry = DossierEntry.objects.filter(pupil=row.pupil).order_by("-recorded_at", "-id").first()
    assert entry is not None and "niet-ontvankelijk" in entry.summary


def test_the_board_hears_the_parents_before_it_decides_on_the_bezwaar(world):
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 5, 13))
    with pytest.raises(PermissionDenied):
        svc.verwijdering_bezwaar_decide(
            objection=objection,
            decided_on=D(2026, 6, 1),
            outcome=ObjectionOutcome.UPHELD,
            reasons="Ongegrond.",
            actor=world.director_a,
            now=at(D(2026, 6, 1)),
        )
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_bezwaar_decide(
            objection=objection,
            decided_on=D(2026, 6, 1),
            outcome=ObjectionOutcome.UPHELD,
            reasons="Ongegrond.",
            actor=world.board_member,
            now=at(D(2026, 6, 1)),
        )
    assert errors_of(refused) == {
        "parents_heard_on": [message("parents_not_heard_on_bezwaar", decided_on="01-06-2026")]
    }
    svc.verwijdering_bezwaar_hearing(
        objection=objection,
        heard_on=D(2026, 5, 28),
        note="Ouders gehoord.",
        actor=world.board_member,
        now=at(D(2026, 5, 28)),
    )
    decided_objection = svc.verwijdering_bezwaar_decide(
        objection=objection,
        decided_on=D(2026, 6, 1),
        outcome=ObjectionOutcome.UPHELD,
        reasons="Ongegrond.",
        actor=world.board_member,
        now=at(D(2026, 6, 1)),
    )
    assert (decided_objection.decided_on, decided_objection.outcome) == (
        D(2026, 6, 1),
        ObjectionOutcome.UPHELD,
    )
    assert deadline(objection, "beslissing-bezwaar-verwijdering").status == DeadlineStatus.MET


def test_a_revoked_verwijdering_is_withdrawn_and_the_pupil_stays(world):
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 4, 20))
    svc.verwijdering_bezwaar_hearing(
        objection=objection,
        heard_on=D(2026, 4, 27),
        note="Gehoord.",
        actor=world.director_a,
        now=at(D(2026, 4, 27)),
    )
    svc.verwijdering_bezwaar_decide(
        objection=objection,
        decided_on=D(2026, 4, 30),
        outcome=ObjectionOutcome.REVOKED,
        reasons="De school heeft niet alle hulp ingezet.",
        actor=world.board_member,
        now=at(D(2026, 4, 30)),
    )
    row.refresh_from_db()
    assert row.status == VerwijderingStatus.WITHDRAWN
    assert row.withdrawn_reason == "Herroepen na bezwaar."
    assert Episode.objects.get(pk=row.episode_id).state == "step_7"


# --- the GPO case: the decision blocked and its term moved (R19) ----------------------------------


@pytest.mark.parametrize(
    ("denominatie", "due_before", "due_after"),
    [
        # Bijzonder: received Wed 13 May + 4 weeks = Wed 10 Jun. Filed Wed 20 May, opinion Sat 30 May:
        # 10 days suspended; raw end Wed 10 Jun + 10 = Sat 20 Jun, weekend -> Mon 22 Jun.
        ("bijzonder", D(2026, 6, 10), D(2026, 6, 22)),
        # Openbaar: Mon 18 May + 4 weeks = Mon 15 Jun; + 10 = Thu 25 Jun.
        ("openbaar", D(2026, 6, 15), D(2026, 6, 25)),
    ],
)
def test_a_gpo_case_blocks_the_decision_and_moves_its_term(world, denominatie, due_before, due_after):
    world.school_a.denominatie = denominatie
    world.school_a.save()
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 5, 13))
    term = deadline(objection, "beslissing-bezwaar-verwijdering")
    assert term.due_on == due_before
    case = svc.gpo_case_file(
        verwijdering=row, filed_on=D(2026, 5, 20), actor=world.director_a, now=at(D(2026, 5, 20))
    )
    term.refresh_from_db()
    assert (term.status, term.suspended_since) == (DeadlineStatus.SUSPENDED, D(2026, 5, 20))
    gpo = deadline(case, "gpo-oordeel")
    # The commission's term: Wed 20 May + 10 weeks = Wed 29 Jul (a reminder, never missed).
    assert (gpo.due_on, gpo.reminder_only) == (D(2026, 7, 29), True)
    svc.verwijdering_bezwaar_hearing(
        objection=objection,
        heard_on=D(2026, 5, 26),
        note="Gehoord.",
        actor=world.board_member,
        now=at(D(2026, 5, 26)),
    )
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_bezwaar_decide(
            objection=objection,
            decided_on=D(2026, 5, 28),
            outcome=ObjectionOutcome.UPHELD,
            reasons="Ongegrond.",
            actor=world.board_member,
            now=at(D(2026, 5, 28)),
        )
    assert errors_of(refused) == {"decided_on": [message("gpo_case_running")]}
    page = svc.verwijdering_page(row, today=D(2026, 5, 28))
    assert page.gpo_running and page.gpo_cases[0].defence_due == D(2026, 6, 3)  # filed + 14 days
    svc.gpo_defence_sent(case=case, sent_on=D(2026, 6, 2), actor=world.board_member, now=at(D(2026, 6, 2)))
    svc.gpo_opinion(
        case=case,
        opinion_on=D(2026, 5, 30),
        opinion="De commissie acht het besluit zorgvuldig genomen.",
        actor=world.director_a,
        now=at(D(2026, 6, 2)),
    )
    term.refresh_from_db()
    assert (term.status, term.suspended_days, term.due_on) == (DeadlineStatus.OPEN, 10, due_after)
    gpo.refresh_from_db()
    assert gpo.status == DeadlineStatus.MET
    svc.verwijdering_bezwaar_decide(
        objection=objection,
        decided_on=D(2026, 6, 3),
        outcome=ObjectionOutcome.UPHELD,
        reasons="Ongegrond; de commissie oordeelde gelijk.",
        actor=world.board_member,
        now=at(D(2026, 6, 3)),
    )
    term.refresh_from_db()
    assert term.status == DeadlineStatus.MET


def test_a_withdrawn_gpo_case_also_resumes_the_term(world):
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 5, 13))
    case = svc.gpo_case_file(
        verwijdering=row, filed_on=D(2026, 5, 20), actor=world.director_a, now=at(D(2026, 5, 20))
    )
    with pytest.raises(ValidationError):  # one case at a time
        svc.gpo_case_file(
            verwijdering=row, filed_on=D(2026, 5, 21), actor=world.director_a, now=at(D(2026, 5, 21))
        )
    svc.gpo_case_withdrawn(
        case=case, withdrawn_on=D(2026, 5, 25), actor=world.director_a, now=at(D(2026, 5, 25))
    )
    term = deadline(objection, "beslissing-bezwaar-verwijdering")
    # 5 days: Wed 10 Jun + 5 = Mon 15 Jun.
    assert (term.status, term.suspended_days, term.due_on) == (DeadlineStatus.OPEN, 5, D(2026, 6, 15))
    assert deadline(case, "gpo-oordeel").status == DeadlineStatus.WAIVED
    assert GpoCase.objects.get().withdrawn_on == D(2026, 5, 25)


def test_a_bezwaar_received_while_a_gpo_case_runs_starts_suspended(world):
    row = sent(world)
    svc.gpo_case_file(
        verwijdering=row, filed_on=D(2026, 4, 20), actor=world.director_a, now=at(D(2026, 4, 20))
    )
    objection = bezwaar(world, row, D(2026, 5, 13))
    term = deadline(objection, "beslissing-bezwaar-verwijdering")
    assert (term.status, term.suspended_since) == (DeadlineStatus.SUSPENDED, D(2026, 5, 13))


# --- the search for another school and definitive removal (R13) ----------------------------------


def test_definitive_removal_is_refused_without_an_accepting_school(world):
    row = start(world)
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_complete(
            verwijdering=row, removed_on=D(2026, 3, 3), actor=world.director_a, now=at(D(2026, 3, 3))
        )
    assert errors_of(refused) == {
        "decided_on": [message("not_decided")],
        "accepting_school": [message("no_accepting_school")],
    }
    row = decided(world, pupil=world.pupil_a_other)
    approach = svc.school_approach_add(
        verwijdering=row,
        school_name="CBS De Wegwijzer, Waddinxveen",
        approached_on=D(2026, 3, 30),
        actor=world.director_a,
        now=at(D(2026, 3, 30)),
    )
    svc.school_approach_answer(
        approach=approach,
        answer=ApproachAnswer.REFUSED,
        answered_on=D(2026, 4, 8),
        actor=world.director_a,
        now=at(D(2026, 4, 8)),
    )
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_complete(
            verwijdering=row, removed_on=D(2026, 4, 9), actor=world.director_a, now=at(D(2026, 4, 9))
        )
    assert errors_of(refused) == {"accepting_school": [message("no_accepting_school")]}
    row.refresh_from_db()
    assert row.status == VerwijderingStatus.DECIDED
    other = svc.school_approach_add(
        verwijdering=row,
        school_name="SBO De Brug, Gouda",
        approached_on=D(2026, 4, 9),
        actor=world.board_member,
        now=at(D(2026, 4, 9)),
    )
    svc.school_approach_answer(
        approach=other,
        answer=ApproachAnswer.ACCEPTED,
        answered_on=D(2026, 4, 15),
        tlv_requested_on=D(2026, 4, 10),
        actor=world.director_a,
        now=at(D(2026, 4, 15)),
    )
    row.refresh_from_db()
    assert row.accepting_school == "SBO De Brug, Gouda"
    row = svc.verwijdering_complete(
        verwijdering=row, removed_on=D(2026, 4, 20), actor=world.director_a, now=at(D(2026, 4, 20))
    )
    assert (row.status, row.removed_on) == (VerwijderingStatus.REMOVED, D(2026, 4, 20))
    episode = Episode.objects.get(pk=row.episode_id)
    assert episode.state == "closed" and episode.closed_at is not None


def test_an_accepting_school_that_changes_its_answer_is_no_longer_recorded(world):
    row = decided(world)
    approach = svc.school_approach_add(
        verwijdering=row,
        school_name="SBO De Brug",
        approached_on=D(2026, 3, 30),
        actor=world.director_a,
        now=at(D(2026, 3, 30)),
    )
    svc.school_approach_answer(
        approach=approach,
        answer=ApproachAnswer.ACCEPTED,
        answered_on=D(2026, 4, 1),
        actor=world.director_a,
        now=at(D(2026, 4, 1)),
    )
    svc.school_approach_answer(
        approach=approach,
        answer=ApproachAnswer.REFUSED,
        answered_on=D(2026, 4, 7),
        actor=world.director_a,
        now=at(D(2026, 4, 7)),
    )
    row.refresh_from_db()
    assert row.accepting_school == ""


def test_de_registration_needs_the_removal_and_the_new_schools_notice(world):
    row = decided(world)
    with pytest.raises(ValidationError):
        svc.verwijdering_deregister(
            verwijdering=row,
            enrolment_notice_on=D(2026, 4, 1),
            deregistered_on=D(2026, 4, 1),
            actor=world.director_a,
            now=at(D(2026, 4, 1)),
        )
    approach = svc.school_approach_add(
        verwijdering=row,
        school_name="SBO De Brug",
        approached_on=D(2026, 3, 30),
        actor=world.director_a,
        now=at(D(2026, 3, 30)),
    )
    svc.school_approach_answer(
        approach=approach,
        answer=ApproachAnswer.ACCEPTED,
        answered_on=D(2026, 4, 1),
        actor=world.director_a,
        now=at(D(2026, 4, 1)),
    )
    svc.verwijdering_complete(
        verwijdering=row, removed_on=D(2026, 4, 7), actor=world.director_a, now=at(D(2026, 4, 7))
    )
    with pytest.raises(ValidationError) as refused:
        svc.verwijdering_deregister(
            verwijdering=row,
            enrolment_notice_on=None,
            deregistered_on=D(2026, 4, 8),
            actor=world.director_a,
            now=at(D(2026, 4, 8)),
        )
    assert errors_of(refused) == {"enrolment_notice_on": [message("no_enrolment_notice")]}
    row = svc.verwijdering_deregister(
        verwijdering=row,
        enrolment_notice_on=D(2026, 4, 8),
        deregistered_on=D(2026, 4, 9),
        actor=world.director_a,
        now=at(D(2026, 4, 9)),
    )
    assert (row.enrolment_notice_on, row.deregistered_on) == (D(2026, 4, 8), D(2026, 4, 9))
    assert DossierEntry.objects.filter(title="Leerling uitgeschreven").exists()


# --- withdrawal ----------------------------------------------------------------------------------


def test_a_withdrawn_verwijdering_closes_its_terms_and_a_new_one_may_start(world):
    row = sent(world)
    row = svc.verwijdering_withdraw(
        verwijdering=row,
        reason="De ouders en school vonden samen een oplossing.",
        actor=world.director_a,
        now=at(D(2026, 4, 9)),
    )
    assert row.status == VerwijderingStatus.WITHDRAWN
    assert {d.status for d in Deadline.objects.filter(subject_id=str(row.pk))} == {DeadlineStatus.WAIVED}
    assert Episode.objects.get(pk=row.episode_id).state == "step_7"
    with pytest.raises(ValidationError):
        hear(world, row, "pupil", D(2026, 4, 10))
    again = start(world, ground=3, day=D(2026, 4, 20))
    assert again.episode_id == row.episode_id


# --- letters (Bijlage 5 as LEGAL.md §8 corrects it) ----------------------------------------------


def test_the_invitation_and_the_decision_letter_are_pre_filled(world):
    row = start(world)
    invitation = svc.verwijdering_letter(
        verwijdering=row, kind="verwijdering_uitnodiging", actor=world.director_a, now=at(D(2026, 3, 5))
    )
    assert (invitation.kind, invitation.pupil_id, invitation.source_id) == (
        "verwijdering_uitnodiging",
        world.pupil_a.pk,
        str(row.pk),
    )
    assert invitation.values["grond"] == svc.GROUND_DUTCH[1]
    assert invitation.values["redenen"] == row.ground_explanation
    with pytest.raises(ValidationError):  # no decision yet
        svc.verwijdering_letter(
            verwijdering=row, kind="verwijdering_besluit", actor=world.director_a, now=at(D(2026, 3, 5))
        )
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    hear(world, row, "parents", PARENTS_HEARD)
    decide(world, row)
    approach = svc.school_approach_add(
        verwijdering=row,
        school_name="SBO De Brug",
        approached_on=D(2026, 3, 27),
        actor=world.director_a,
        now=at(D(2026, 3, 27)),
    )
    svc.school_approach_answer(
        approach=approach,
        answer=ApproachAnswer.ACCEPTED,
        answered_on=D(2026, 3, 30),
        actor=world.director_a,
        now=at(D(2026, 3, 30)),
    )
    letter = svc.verwijdering_letter(
        verwijdering=row, kind="verwijdering_besluit", actor=world.board_member, now=at(D(2026, 3, 31))
    )
    row.refresh_from_db()
    assert row.letter_id == letter.pk
    assert letter.values["hoorzitting_ouders_datum"] == "donderdag 19 maart 2026"
    assert letter.values["hoorzitting_leerkracht_datum"] == "maandag 16 maart 2026"
    assert letter.values["toelatende_school"] == "SBO De Brug"
    assert letter.values["toelating_datum"] == "maandag 30 maart 2026"
    assert letter.values["redenen"] == REASONS
    with pytest.raises(ValidationError):  # one decision letter
        svc.verwijdering_letter(
            verwijdering=row, kind="verwijdering_besluit", actor=world.board_member, now=at(D(2026, 3, 31))
        )
    assert Letter.objects.count() == 2
    page = svc.verwijdering_page(row, today=D(2026, 3, 31))
    assert [letter.pk for letter in page.invitations] == [invitation.pk]
    assert page.decision_letter.pk == letter.pk
