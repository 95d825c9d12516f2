"""The Meldcode case's services on PostgreSQL (issue 7): opening a case, the five steps in order,
the afwegingskader answered one question at a time, the melding and its feedback reminder, the help
and its evaluations, closing only where the afwegingskader ends, and the rows each write leaves.

Every whole case below is walked through the services, one per family of rows of the
afwegingskader's table (issue 7): q1 no → close; q2 yes → a melding, then q3–q5 with Veilig Thuis;
q2 no, q3 no → melden; the help path q1 T q2 F q3 T q4 T → help → q5 yes (monitoring) or q5 no
(a new melding). Due dates are worked out by hand from LEGAL.md §4 M6 and §10.4 (5 working days,
weekends and the Atw holidays and KB days skipped, the day of the melding is day 0). Texts are
checked as their English msgids.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from lev.audit.models import AuditEvent
from lev.deadlines.models import ClosureKind, Deadline, DeadlineStatus, KBDay, SchoolClosure
from lev.dossier.models import DossierEntry, Visibility
from lev.schools.models import Role, SocialMapEntry
from meldcode import services as s
from meldcode.domain.afwegingskader import M3_NOTE, Outcome
from meldcode.domain.balans import Balans, Factor, FactorGroup, Level
from meldcode.domain.errors import MeldcodeRefused
from meldcode.models import (
    AfwegingAnswer,
    CaseStatus,
    CaseStepRecord,
    HelpEvaluation,
    MeldcodeCase,
    Melding,
)
from tests.conftest import make_world
from tests.i18n_helpers import t

from .conftest import (
    AFTER_MELDING,
    AMS,
    NOW,
    SKIP_REASON,
    TODAY,
    Walk,
    add_member,
    open_case,
    signal_about,
    walk_to,
)

D = dt.date.fromisoformat
AGREEMENTS = "Maandelijks contact met het wijkteam tot de zomervakantie; bij nieuwe signalen direct overleg."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def kb_day(db) -> KBDay:
    """The KB day of 2026 in the deployment's list (the shipped list has it; set here explicitly so
    the test does not depend on what other tests left in the table)."""
    row, _created = KBDay.objects.get_or_create(
        date=D("2026-05-15"), defaults={"description": "vrijdag na Hemelvaartsdag"}
    )
    return row


def refused(call: Callable[[], Any]) -> MeldcodeRefused:
    with pytest.raises(MeldcodeRefused) as info:
        call()
    return info.value


def invalid(call: Callable[[], Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


# --- opening a case ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("ib_a", True),
        ("director_a", True),
        ("deputy_a", True),
        ("teacher_a", False),
        ("staff_a", False),
        ("confidant_a", False),
        ("board_member", False),
        ("privacy_officer", False),
        ("teacher_b", False),
    ],
)
def test_only_the_care_coordinator_director_or_deputy_opens_a_case(world, persona, allowed):
    actor = getattr(world, persona)
    if allowed:
        case = open_case(world, actor=actor)
        assert (case.opened_by, case.case_manager, case.status) == (actor, actor, CaseStatus.OPEN)
        assert (case.school, case.board, case.pupil) == (world.school_a, world.board, world.pupil_a)
    else:
        with pytest.raises(PermissionDenied):
            open_case(world, actor=actor)
        assert MeldcodeCase.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("which", "field"),
    [
        ("none", "signals"),
        ("other_pupil", "signals"),  # a signal about another pupil of the school
        ("other_school", "signals"),  # a signal at school B about pupil B
        ("mixed", "signals"),  # one good signal and one about another pupil
        ("blank_reason", "reason"),
        ("teacher_manager", "case_manager"),
        ("inactive_manager", "case_manager"),
    ],
)
def test_a_case_needs_a_signal_about_the_pupil_at_the_school_a_reason_and_a_case_manager(world, which, field):
    own = signal_about(world)
    signals = {
        "none": [],
        "other_pupil": [signal_about(world, world.pupil_a_other)],
        "other_school": [signal_about(world, world.pupil_b, actor=world.teacher_b)],
        "mixed": [own, signal_about(world, world.pupil_a_other)],
    }.get(which, [own])
    manager = {"teacher_manager": world.teacher_a}.get(which)
    if which == "inactive_manager":
        manager = add_member(world, "ib_gone", Role.CARE_COORDINATOR)
        manager.is_active = False
        manager.save()
    errors = invalid(
        lambda: s.case_open(
            pupil=world.pupil_a,
            signals=signals,
            reason="   " if which == "blank_reason" else "Zorgen over thuis.",
            actor=world.ib_a,
            now=NOW,
            case_manager=manager,
        )
    )
    assert list(errors) == [field]
    assert MeldcodeCase.objects.count() == 0


@pytest.mark.django_db
def test_cases_are_numbered_per_school_and_year(world):
    ib_b = add_member(world, "ib_b", Role.CARE_COORDINATOR, school=world.school_b)
    first = open_case(world)
    second = open_case(world, actor=world.director_a)
    at_b = open_case(world, pupil=world.pupil_b, actor=ib_b, signal_actor=world.teacher_b)
    third = open_case(world, pupil=world.pupil_a_other)
    next_year = open_case(world, now=dt.datetime(2027, 1, 4, 9, 0, tzinfo=AMS))
    assert [c.number for c in (first, second, at_b, third, next_year)] == [
        "MC-2026-001",
        "MC-2026-002",
        "MC-2026-001",
        "MC-2026-003",
        "MC-2027-001",
    ]


@pytest.mark.django_db
def test_opening_writes_a_meldcode_dossier_entry_and_an_audit_event_with_ids_only(world):
    signal = signal_about(world)
    case = s.case_open(
        pupil=world.pupil_a,
        signals=[signal],
        reason="Herhaalde blauwe plekken.",
        actor=world.director_a,
        now=NOW,
        case_manager=world.ib_a,
    )
    assert list(case.signals.all()) == [signal]
    entry = DossierEntry.objects.get(kind="meldcode")
    assert (entry.pupil, entry.visibility, entry.meldcode_case_id) == (
        world.pupil_a,
        Visibility.MELDCODE_CASE,
        case.pk,
    )
    assert (entry.author, entry.happened_at, entry.title) == (world.director_a, NOW, "Meldcode-casus geopend")
    event = AuditEvent.objects.get(action="meldcode_case_opened")
    assert (event.actor, event.board, event.object_id) == (world.director_a, world.board, str(case.pk))
    assert event.summary == {
        "pupil_id": world.pupil_a.pk,
        "signals": [signal.pk],
        "case_manager": world.ib_a.pk,
    }
    text = json.dumps(event.summary)
    for name in ("Anna", "Jansen", world.ib_a.last_name, "blauwe"):
        assert name not in text


# --- the order of the steps (M1) -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("done", "step", "code"),
    [
        ((), 2, "step_1_recorded"),
        ((1,), 3, "step_2_recorded"),
        ((1, 2), 4, "step_3_done"),
        ((1, 2, 3), 5, "step_4_recorded"),
        ((), 5, "step_4_recorded"),
        ((), 3, "step_2_recorded"),
    ],
)
def test_a_step_is_refused_before_its_predecessor(walk, done, step, code):
    walk.steps(*done)
    if step == 5 and done:
        walk.answer("q1", False)  # the afwegingskader has an outcome: only step 4 is missing
    before = CaseStepRecord.objects.count()
    extra: dict[str, Any] = {}
    if step == 5:
        extra = {"decision_melden": False, "decision_hulp": False, "decided_by": walk.decider}
    error = refused(lambda: walk.step(step, **extra))
    assert error.code == code
    assert CaseStepRecord.objects.count() == before


@pytest.mark.django_db
def test_the_afwegingskader_and_leaving_out_the_conversation_wait_for_their_steps(walk):
    assert refused(lambda: walk.answer("q1", True)).code == "step_3_done"
    assert refused(lambda: walk.skip()).code == "step_2_recorded"
    walk.steps(1, 2)
    assert refused(lambda: walk.answer("q1", True)).code == "step_3_done"
    assert refused(lambda: walk.step(4)).code == "step_3_done"
    assert AfwegingAnswer.objects.count() == 0


@pytest.mark.django_db
def test_the_conversation_is_left_out_only_with_a_reason(walk):
    walk.steps(1, 2)
    error = refused(lambda: walk.skip("   "))
    assert (error.code, error.field) == ("skip_reason_given", "conversation_skip_reason")
    assert not CaseStepRecord.objects.filter(step=3).exists()
    row = walk.skip()
    assert (row.step, row.skipped, row.skip_reason) == (3, True, SKIP_REASON)
    # Step 3 counts as done: the afwegingskader may start.
    walk.answer("q1", False)
    entry = DossierEntry.objects.get(source_type="meldcode.casesteprecord", source_id=str(row.pk))
    assert entry.visibility == Visibility.MELDCODE_CASE


@pytest.mark.django_db
def test_a_held_conversation_cannot_be_left_out_afterwards(walk):
    walk_to(walk, "steps3")
    assert refused(lambda: walk.skip()).code == "conversation_not_held"


@pytest.mark.django_db
def test_a_step_records_what_it_must(walk):
    walk.step(1)
    errors = invalid(lambda: walk.step(2, content={"consulted": "IB", "advice": ""}, veilig_thuis_advice="?"))
    # One message per field of the form: the advice of Veilig Thuis is the field veilig_thuis_advice.
    assert errors == {
        "veilig_thuis_advice": ["Say whether Veilig Thuis was asked for advice."],
        "advice": ["This is required for step 2 (Collegial consultation and advice from Veilig Thuis)."],
    }
    with pytest.raises(ValueError):
        walk.step(2, content={"not_a_record": "x"})
    future = NOW + dt.timedelta(days=1)
    errors = invalid(
        lambda: s.step_record(
            case=walk.case, step=2, recorded_on=future.date(), content={}, actor=walk.actor, now=NOW
        )
    )
    assert list(errors) == ["recorded_on"]


@pytest.mark.django_db
def test_step_4_keeps_the_balansmodel_and_refuses_an_incomplete_one(walk):
    walk_to(walk, "steps3")
    walk.answer("q1", True)
    incomplete = Balans(risk_factors=(), context_score=11, goals=())
    errors = invalid(lambda: walk.step(4, balans=incomplete))
    assert set(errors) == {"risk_factors", "context_score", "goals"}
    balans = Balans(
        risk_factors=(Factor(Level.MICRO, " Vader drinkt ", FactorGroup.PARENT),),
        protective_factors=(Factor(Level.MESO, "Betrokken oma", None),),
        context_score=4,
        goals=("Veilige thuissituatie", "  "),
    )
    row = walk.step(4, balans=balans)
    row.refresh_from_db()
    assert row.balans == {
        "risk_factors": [{"level": "micro", "description": "Vader drinkt", "group": "parent"}],
        "protective_factors": [{"level": "meso", "description": "Betrokken oma", "group": ""}],
        "context_score": 4,
        "goals": ["Veilige thuissituatie"],
    }
    assert s.balans_from_data(row.balans) == Balans(
        risk_factors=(Factor(Level.MICRO, "Vader drinkt", FactorGroup.PARENT),),
        protective_factors=(Factor(Level.MESO, "Betrokken oma", None),),
        context_score=4,
        goals=("Veilige thuissituatie",),
    )


# --- the afwegingskader (M2) -------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_next_question_is_answered_with_its_reasoning_and_never_changed(walk):
    walk_to(walk, "steps3")
    assert list(invalid(lambda: walk.answer("q2", True))) == ["question"]
    assert list(invalid(lambda: walk.answer("q1", True, reasoning="  "))) == ["reasoning"]
    first = walk.answer("q1", True)
    # Answering q1 again (to change it) is refused: the walk is at q2.
    assert list(invalid(lambda: walk.answer("q1", False))) == ["question"]
    assert AfwegingAnswer.objects.get(case=walk.case, question="q1").answer is True
    assert AfwegingAnswer.objects.filter(case=walk.case).count() == 1
    assert (first.author, first.answered_on, first.with_veilig_thuis) == (walk.actor, TODAY, False)
    with pytest.raises(ValueError):
        walk.answer("q6", True)
    # The database refuses a second answer to the same question too.
    with pytest.raises(IntegrityError), transaction.atomic():
        AfwegingAnswer.objects.create(
            case=walk.case,
            question="q1",
            answer=False,
            reasoning="x",
            answered_on=TODAY,
            author=walk.actor,
            recorded_at=NOW,
        )


@pytest.mark.django_db
def test_after_a_required_melding_questions_3_to_5_wait_for_it_and_are_answered_with_veilig_thuis(walk):
    walk_to(walk, "melding_decided")
    assert refused(lambda: walk.answer("q3", True, with_veilig_thuis=True)).code == (
        "melding_before_veilig_thuis_questions"
    )
    walk.melding()
    assert list(invalid(lambda: walk.answer("q3", True, now=AFTER_MELDING))) == ["with_veilig_thuis"]
    row = walk.answer("q3", True, with_veilig_thuis=True, now=AFTER_MELDING)
    assert row.with_veilig_thuis is True


@pytest.mark.django_db
def test_no_question_is_answered_after_the_afwegingskader_ended(walk):
    walk_to(walk, "steps3")
    walk.answer("q1", False)
    assert refused(lambda: walk.answer("q2", True)).code == "afweging_not_finished"


# --- step 5: the decision (M1, M2, M3) -------------------------------------------------------------


@pytest.mark.django_db
def test_step_5_is_decided_by_the_eindverantwoordelijke_when_the_school_has_one(
    world, walk, final_responsible
):
    walk.steps(1, 2, 3)
    walk.answer("q1", False)
    walk.step(4)
    errors = invalid(lambda: walk.decide(melden=False, hulp=False, decided_by=world.director_a))
    assert errors == {
        "decided_by": [
            "The decision is taken by the school's eindverantwoordelijke for the Meldcode: "
            f"{final_responsible.get_full_name()}."
        ]
    }
    row = walk.decide(melden=False, hulp=False, decided_by=final_responsible)
    assert (row.decided_by, row.decision_melden, row.decision_hulp) == (final_responsible, False, False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "ok"),
    [("director_a", True), ("deputy_a", True), ("ib_a", False), ("teacher_a", False), (None, False)],
)
def test_without_an_eindverantwoordelijke_the_director_or_deputy_decides(world, walk, persona, ok):
    walk.steps(1, 2, 3)
    walk.answer("q1", False)
    walk.step(4)
    decider = getattr(world, persona) if persona else None
    call = lambda: s.step_record(  # noqa: E731
        case=walk.case,
        step=5,
        recorded_on=TODAY,
        content={"reasons": "Geen vermoeden."},
        actor=walk.actor,
        now=NOW,
        decision_melden=False,
        decision_hulp=False,
        decided_by=decider,
    )
    if ok:
        assert call().decided_by == decider
    else:
        message = (
            "Say who decided."
            if decider is None
            else "The school has no eindverantwoordelijke: the director or deputy director decides."
        )
        assert invalid(call) == {"decided_by": [message]}


@pytest.mark.django_db
def test_the_decision_cannot_say_no_melding_when_the_afwegingskader_requires_one(walk):
    walk.steps(1, 2, 3)
    walk.answers(True, True)  # q2: acute or structural unsafety → a melding is required
    walk.step(4)
    error = refused(lambda: walk.decide(melden=False, hulp=True))
    assert (error.code, error.field) == ("melden_when_required", "decision_melden")
    assert str(M3_NOTE) in error.message
    assert not CaseStepRecord.objects.filter(step=5).exists()


@pytest.mark.django_db
def test_the_decision_needs_an_outcome_of_the_afwegingskader(walk):
    walk.steps(1, 2, 3)
    walk.answer("q1", True)  # q2 open: no outcome yet
    walk.step(4)
    assert refused(lambda: walk.decide(melden=True, hulp=False)).code == "afweging_outcome"


@pytest.mark.django_db
def test_the_decision_cannot_refuse_help_the_family_accepts(walk):
    walk.steps(1, 2, 3)
    walk.answers(True, False, True, True)
    walk.step(4)
    assert refused(lambda: walk.decide(melden=False, hulp=False)).code == "hulp_when_accepted"


# --- whole cases, one per family of the afwegingskader's rows ------------------------------------


@pytest.mark.django_db
def test_q1_no_closes_after_all_five_steps(walk):
    walk.steps(1, 2, 3)
    walk.answer("q1", False)
    assert refused(lambda: walk.close()).code == "all_steps_done"
    walk.step(4)
    assert refused(lambda: walk.close()).code == "all_steps_done"
    walk.decide(melden=False, hulp=False)
    # No melding after "no melding": the decision says so.
    assert refused(lambda: walk.melding()).code == "melden_decided"
    case = walk.close()
    assert (case.status, case.closed_at, case.closed_by) == (CaseStatus.CLOSED, NOW, walk.actor)
    assert AuditEvent.objects.get(action="meldcode_case_closed").summary == {"outcome": Outcome.CLOSE.value}
    # A closed case refuses every further step.
    assert refused(lambda: walk.step(1)).code == "case_closed"
    assert refused(lambda: walk.close()).code == "case_closed"


@pytest.mark.django_db
def test_a_melding_is_not_recorded_without_the_decision_step(walk):
    walk.steps(1, 2, 3)
    walk.answers(True, True)
    walk.step(4)
    assert refused(lambda: walk.melding()).code == "decision_recorded"
    assert Melding.objects.count() == 0


@pytest.mark.django_db
def test_q2_yes_melding_then_q3_to_q5_with_veilig_thuis_and_close_with_monitoring(walk):
    walk_to(walk, "melding_decided")
    # The walk has not ended (q3 open) and the required melding is missing.
    error = refused(lambda: walk.close(monitoring_agreements=AGREEMENTS))
    assert error.code == "afweging_finished"
    assert {n.code for n in error.refusals} >= {"required_melding_recorded", "decided_melding_recorded"}
    melding = walk.melding()
    assert melding.after_help_failed is False
    later = dt.datetime(2026, 5, 6, 10, 0, tzinfo=AMS)
    walk.answer("q3", True, with_veilig_thuis=True, now=later)
    walk.answer("q4", True, with_veilig_thuis=True, now=later)
    assert (
        refused(lambda: walk.answer("q5", True, with_veilig_thuis=True, now=later)).code
        == "help_before_question_5"
    )
    walk.help(now=later, starts_on=later.date())
    walk.answer("q5", True, with_veilig_thuis=True, now=later)
    assert s.decision_for(walk.case).outcome == Outcome.CLOSE_WITH_MONITORING
    error = refused(lambda: walk.close(now=later))
    assert (error.code, error.field) == ("monitoring_agreed", "monitoring_agreements")
    case = walk.close(monitoring_agreements=AGREEMENTS, now=later)
    assert (case.status, case.monitoring_agreements) == (CaseStatus.CLOSED, AGREEMENTS)


@pytest.mark.django_db
def test_a_terminal_report_outcome_is_not_closed_while_the_required_melding_is_missing(walk):
    walk.steps(1, 2, 3)
    walk.answers(True, False, False)  # q3 no: effective help cannot be organised → melden
    walk.step(4)
    walk.decide(melden=True, hulp=False)
    error = refused(lambda: walk.close())
    assert error.code == "required_melding_recorded"
    assert str(M3_NOTE) in error.message
    walk.melding()
    assert walk.close(now=AFTER_MELDING).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_the_help_path_q5_yes_closes_with_monitoring_agreements(walk):
    walk_to(walk, "help_decided")
    assert refused(lambda: walk.answer("q5", True)).code == "help_before_question_5"
    assert refused(lambda: walk.close()).code == "afweging_finished"
    walk.help()
    walk.answer("q5", True)
    assert refused(lambda: walk.close()).code == "monitoring_agreed"
    case = walk.close(monitoring_agreements=AGREEMENTS)
    assert (case.status, case.monitoring_agreements) == (CaseStatus.CLOSED, AGREEMENTS)
    assert Melding.objects.count() == 0


@pytest.mark.django_db
def test_the_help_path_q5_no_needs_a_new_melding_before_closing(walk):
    walk_to(walk, "help_organised")
    walk.answer("q5", False)
    decision = s.decision_for(walk.case)
    assert (decision.outcome, decision.report_required) == (Outcome.REPORT, True)
    assert refused(lambda: walk.close()).code == "required_melding_recorded"
    melding = walk.melding()
    assert melding.after_help_failed is True
    assert walk.close(now=AFTER_MELDING).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_q5_no_after_an_earlier_melding_needs_another_melding(walk):
    walk_to(walk, "melded")
    later = dt.datetime(2026, 6, 1, 10, 0, tzinfo=AMS)
    walk.answer("q3", True, with_veilig_thuis=True, now=later)
    walk.answer("q4", True, with_veilig_thuis=True, now=later)
    walk.help(now=later, starts_on=later.date(), evaluate_on=D("2026-06-29"))
    walk.answer("q5", False, with_veilig_thuis=True, now=later)
    assert refused(lambda: walk.close(now=later)).code == "new_melding_recorded"
    second = walk.melding(melded_at=later + dt.timedelta(hours=1), now=later + dt.timedelta(hours=2))
    assert second.after_help_failed is True
    assert walk.close(now=later + dt.timedelta(hours=2)).status == CaseStatus.CLOSED


# --- the melding and its feedback reminder (M5, M6) --------------------------------------------


@pytest.mark.django_db
def test_the_melding_opens_a_reminder_for_the_case_manager_on_the_fifth_working_day(world, walk):
    walk_to(walk, "melding_decided")
    melding = walk.melding()
    assert (melding.reference, melding.identity_shield, melding.parents_informed_on) == (
        "VT-2026-1234",
        True,
        TODAY,
    )
    reminder = Deadline.objects.get(rule_code="veilig-thuis-beoordeling")
    assert melding.reminder == reminder
    # Fri 24 Apr 2026 is day 0; Mon 27 Apr is Koningsdag; Tue 28 .. Fri 1 May are 1-4; the
    # weekend; Mon 4 May is the fifth working day.
    assert reminder.due_on == D("2026-05-04")
    assert reminder.start_on == D("2026-04-24")
    assert (reminder.visibility, reminder.case_id, reminder.school) == (
        "meldcode_case",
        walk.case.pk,
        world.school_a,
    )
    assert (reminder.responsible_user, reminder.reminder_only, reminder.status) == (
        world.ib_a,
        True,
        DeadlineStatus.OPEN,
    )
    assert (reminder.subject_type, reminder.subject_id) == ("meldcode.melding", str(melding.pk))
    event = AuditEvent.objects.get(action="meldcode_melding_recorded")
    assert event.board == world.board
    assert event.summary == {"case": walk.case.pk, "after_help_failed": False, "identity_shield": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("melded_at", "due"),
    [
        # An ordinary week: Tue 24 Nov 2026 → Wed-Fri 1-3, Mon 30 Nov 4, Tue 1 Dec 5.
        (dt.datetime(2026, 11, 24, 9, 0, tzinfo=AMS), "2026-12-01"),
        # Fri 8 May 2026: Mon-Wed 11-13 May are 1-3, Thu 14 Hemelvaartsdag, Fri 15 May a KB day,
        # the weekend, Mon 18 is 4, Tue 19 is 5.
        (dt.datetime(2026, 5, 8, 14, 0, tzinfo=AMS), "2026-05-19"),
        # Just after midnight on Mon 23 Nov 2026 in Amsterdam (still Sunday in UTC): day 0 is the
        # Monday, so Tue-Fri are 1-4 and Mon 30 Nov is 5 (counting from the UTC Sunday would give
        # Fri 27 Nov).
        (dt.datetime(2026, 11, 23, 0, 30, tzinfo=AMS), "2026-11-30"),
    ],
)
def test_the_reminder_date_worked_out_by_hand(walk, kb_day, melded_at, due):
    walk_to(walk, "melding_decided")
    melding = walk.melding(melded_at=melded_at, now=melded_at + dt.timedelta(hours=1))
    assert melding.reminder.due_on == D(due)


@pytest.mark.django_db
def test_the_kb_days_of_the_deployment_count_and_the_school_calendar_does_not(world, walk, kb_day):
    walk_to(walk, "melding_decided")
    # A school holiday (the May holiday) and a study day do not move Veilig Thuis's term.
    for first, last, kind in (
        ("2026-04-25", "2026-05-03", ClosureKind.VACATION),
        ("2026-05-11", "2026-05-11", ClosureKind.STUDY_DAY),
    ):
        SchoolClosure.objects.create(
            board=world.board,
            school=world.school_a,
            first_day=D(first),
            last_day=D(last),
            kind=kind,
            name="dicht",
            created_at=NOW,
        )
    assert walk.melding().reminder.due_on == D("2026-05-04")
    # With the KB day of Fri 15 May 2026 in the deployment's list that Friday is skipped (due Tue 19
    # May); without it, it is the fourth working day (due Mon 18 May).
    melded_at = dt.datetime(2026, 5, 8, 14, 0, tzinfo=AMS)
    with_kb = walk.melding(melded_at=melded_at, now=melded_at + dt.timedelta(hours=1))
    assert with_kb.reminder.due_on == D("2026-05-19")
    kb_day.delete()
    without_kb = walk.melding(melded_at=melded_at, now=melded_at + dt.timedelta(hours=1))
    assert without_kb.reminder.due_on == D("2026-05-18")


@pytest.mark.django_db
def test_the_melding_says_when_the_parents_were_informed_or_why_not(world, walk):
    walk_to(walk, "melding_decided")
    assert list(invalid(lambda: walk.melding(parents_informed_on=None))) == ["parents_informed_on"]
    assert list(invalid(lambda: walk.melding(parents_informed_on=D("2026-04-25")))) == ["parents_informed_on"]
    assert list(invalid(lambda: walk.melding(filed_by=world.teacher_b))) == ["filed_by"]
    future = AFTER_MELDING + dt.timedelta(minutes=5)
    assert list(invalid(lambda: walk.melding(melded_at=future))) == ["melded_at"]
    assert Melding.objects.count() == 0
    with pytest.raises(ValueError):
        walk.melding(melded_at=dt.datetime(2026, 4, 24, 11, 0))
    melding = walk.melding(
        parents_informed_on=None, parents_not_informed_reason="  Informeren brengt Anna in gevaar. "
    )
    assert (melding.parents_informed_on, melding.parents_not_informed_reason) == (
        None,
        "Informeren brengt Anna in gevaar.",
    )
    # A melding may be filed by another staff member of the school; the case manager records it.
    other = walk.melding(filed_by=world.teacher_a)
    assert (other.filed_by, other.recorded_by) == (world.teacher_a, world.ib_a)


@pytest.mark.django_db
def test_the_feedback_meets_the_reminder_and_is_recorded_once(world, walk):
    walk_to(walk, "melded")
    melding = Melding.objects.get()
    at = dt.datetime(2026, 5, 5, 9, 0, tzinfo=AMS)

    def feedback(**overrides: Any) -> Melding:
        values: dict[str, Any] = {
            "melding": melding,
            "feedback_on": D("2026-05-04"),
            "kind": "onderzoek",
            "feedback": "Veilig Thuis start een onderzoek.",
            "investigation_started_on": D("2026-05-04"),
            "actor": world.ib_a,
            "now": at,
        }
        values.update(overrides)
        return s.feedback_record(**values)

    assert list(invalid(lambda: feedback(kind="maybe"))) == ["kind"]
    assert list(invalid(lambda: feedback(feedback_on=D("2026-04-23")))) == ["feedback_on"]
    assert list(invalid(lambda: feedback(feedback_on=D("2026-05-06")))) == ["feedback_on"]
    with pytest.raises(PermissionDenied):
        feedback(actor=world.teacher_a)
    row = feedback()
    assert (row.feedback_on, row.feedback_kind, row.feedback_recorded_by) == (
        D("2026-05-04"),
        "onderzoek",
        world.ib_a,
    )
    reminder = Deadline.objects.get(pk=melding.reminder_id)
    assert (reminder.status, reminder.closed_at) == (DeadlineStatus.MET, at)
    assert list(invalid(lambda: feedback(feedback="Nog een keer."))) == ["feedback_on"]
    assert AuditEvent.objects.get(action="meldcode_feedback_recorded").board == world.board


# --- help and its evaluations ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_help_plans_its_evaluation_as_a_deadline_on_the_agreed_date(world, walk):
    walk_to(walk, "help_organised")
    help_row = walk.case.help_records.get()
    assert (help_row.partner_other, help_row.recorded_by) == ("Wijkteam Noord", world.ib_a)
    evaluation = HelpEvaluation.objects.get()
    deadline = evaluation.deadline
    assert (deadline.rule_code, deadline.due_on, deadline.visibility, deadline.case_id) == (
        "evaluatie-hulp-meldcode",
        D("2026-06-15"),
        "meldcode_case",
        walk.case.pk,
    )
    assert (deadline.responsible_user, deadline.reminder_only) == (world.ib_a, False)
    assert AuditEvent.objects.get(action="meldcode_help_recorded").board == world.board

    held = dt.datetime(2026, 6, 15, 15, 0, tzinfo=AMS)
    s.evaluation_record(
        evaluation=evaluation,
        held_on=held.date(),
        conclusion="De ondersteuning loopt; moeder komt afspraken na.",
        next_on=D("2026-09-14"),
        actor=world.ib_a,
        now=held,
    )
    evaluation.refresh_from_db()
    deadline.refresh_from_db()
    assert (evaluation.held_on, evaluation.held_by, deadline.status) == (
        held.date(),
        world.ib_a,
        DeadlineStatus.MET,
    )
    following = HelpEvaluation.objects.exclude(pk=evaluation.pk).get()
    assert (following.planned_on, following.deadline.due_on, following.deadline.status) == (
        D("2026-09-14"),
        D("2026-09-14"),
        DeadlineStatus.OPEN,
    )
    errors = invalid(
        lambda: s.evaluation_record(
            evaluation=evaluation,
            held_on=held.date(),
            conclusion="Nogmaals.",
            next_on=None,
            actor=world.ib_a,
            now=held,
        )
    )
    assert list(errors) == ["held_on"]


@pytest.mark.django_db
def test_help_is_recorded_only_after_a_decision_to_help_and_with_a_partner_of_the_school(world, walk):
    walk.steps(1, 2, 3)
    walk.answers(True, True)
    walk.step(4)
    assert refused(lambda: walk.help()).code == "decision_recorded"
    walk.decide(melden=True, hulp=False)
    assert refused(lambda: walk.help()).code == "hulp_decided"
    walk.decide(melden=True, hulp=True)  # a revised decision
    elsewhere = SocialMapEntry.objects.create(
        board=world.school_b.board, school=world.school_b, kind="cjg", organisation="CJG Zuid"
    )
    errors = invalid(
        lambda: s.help_record(
            case=walk.case,
            description="Gezinscoach.",
            partner=elsewhere,
            partner_other="",
            starts_on=TODAY,
            evaluate_on=D("2026-06-15"),
            actor=walk.actor,
            now=NOW,
        )
    )
    assert list(errors) == ["partner"]
    assert list(invalid(lambda: walk.help(evaluate_on=D("2026-04-23"), starts_on=D("2026-04-20")))) == [
        "evaluate_on"
    ]
    assert HelpEvaluation.objects.count() == 0


@pytest.mark.django_db
def test_closing_waives_the_open_deadlines_of_the_case_with_the_reason(world, walk):
    walk_to(walk, "melded")
    later = dt.datetime(2026, 5, 6, 10, 0, tzinfo=AMS)
    walk.answer("q3", True, with_veilig_thuis=True, now=later)
    walk.answer("q4", True, with_veilig_thuis=True, now=later)
    walk.help(now=later, starts_on=later.date())
    walk.answer("q5", True, with_veilig_thuis=True, now=later)
    other_case = open_case(world, pupil=world.pupil_a_other)
    unrelated = Deadline.objects.create(
        rule_code="evaluatie-hulp-meldcode",
        school_type="openbaar",
        start_on=D("2026-06-15"),
        due_on=D("2026-06-15"),
        overdue_at=dt.datetime(2026, 6, 16, 0, 0, tzinfo=AMS),
        explanation="-",
        source="-",
        board=world.board,
        school=world.school_a,
        visibility="meldcode_case",
        case_id=other_case.pk,
        subject_type="meldcode.helpevaluation",
        subject_id="0",
        created_at=NOW,
        updated_at=NOW,
    )
    walk.close(monitoring_agreements=AGREEMENTS, now=later)
    rows = Deadline.objects.filter(case_id=walk.case.pk).order_by("rule_code")
    assert [(d.rule_code, d.status, d.waived_reason) for d in rows] == [
        ("evaluatie-hulp-meldcode", DeadlineStatus.WAIVED, "De Meldcode-casus is gesloten."),
        ("veilig-thuis-beoordeling", DeadlineStatus.WAIVED, "De Meldcode-casus is gesloten."),
    ]
    unrelated.refresh_from_db()
    assert unrelated.status == DeadlineStatus.OPEN


# --- related pupils (the kindcheck at the school) ----------------------------------------------------


@pytest.mark.django_db
def test_a_sibling_at_the_school_is_added_with_an_entry_in_their_own_chronology_under_the_case(world, walk):
    link = s.related_pupil_add(
        case=walk.case, pupil=world.pupil_a_other, relation=" broer ", actor=world.ib_a, now=NOW
    )
    assert (link.pupil, link.relation, link.added_by) == (world.pupil_a_other, "broer", world.ib_a)
    entry = DossierEntry.objects.get(pupil=world.pupil_a_other, kind="meldcode")
    assert (entry.visibility, entry.meldcode_case_id) == (Visibility.MELDCODE_CASE, walk.case.pk)
    event = AuditEvent.objects.get(action="meldcode_related_pupil_added")
    assert event.summary == {"pupil_id": world.pupil_a_other.pk}
    for pupil, relation in ((world.pupil_a_other, "broer"), (world.pupil_a, "zelf"), (world.pupil_b, "zus")):
        assert list(
            invalid(
                lambda p=pupil, r=relation: s.related_pupil_add(
                    case=walk.case, pupil=p, relation=r, actor=world.ib_a, now=NOW
                )
            )
        ) == ["pupil"]
    with pytest.raises(PermissionDenied):
        s.related_pupil_add(
            case=walk.case, pupil=world.pupil_a_other, relation="broer", actor=world.teacher_a, now=NOW
        )


# --- the Rapportage Meldcode (Bijlage 10) ------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_is_written_by_the_case_manager_or_a_school_lead_and_updated_in_place(
    world, walk, final_responsible
):
    values = {
        "subject": "Zorgen over de thuissituatie",
        "description": "Herhaalde blauwe plekken.",
        "involved": "Anna, moeder, vader",
        "activities": "Vijf stappen doorlopen; melding gedaan.",
    }
    assert set(
        invalid(lambda: s.report_save(case=walk.case, report_on=TODAY, values={}, actor=world.ib_a, now=NOW))
    ) == {
        "subject",
        "description",
        "involved",
        "activities",
    }
    with pytest.raises(ValueError):
        s.report_save(case=walk.case, report_on=TODAY, values={"names": "x"}, actor=world.ib_a, now=NOW)
    with pytest.raises(PermissionDenied):
        s.report_save(case=walk.case, report_on=TODAY, values=values, actor=final_responsible, now=NOW)
    with pytest.raises(PermissionDenied):
        s.report_save(case=walk.case, report_on=TODAY, values=values, actor=world.teacher_a, now=NOW)
    first = s.report_save(case=walk.case, report_on=TODAY, values=values, actor=world.ib_a, now=NOW)
    second = s.report_save(
        case=walk.case,
        report_on=TODAY,
        values={**values, "remarks": " Geen. "},
        actor=world.director_a,
        now=NOW,
    )
    assert (second.pk, second.remarks, second.written_by) == (first.pk, "Geen.", world.director_a)
    # The report is updated in place; each save keeps its text as a version (never changed).
    versions = list(walk.case.report_versions.order_by("pk"))
    assert [(v.remarks, v.written_by) for v in versions] == [("", world.ib_a), ("Geen.", world.director_a)]
    assert [
        e.summary for e in AuditEvent.objects.filter(action="meldcode_report_saved").order_by("sequence")
    ] == [
        {"created": True, "version": versions[0].pk},
        {"created": False, "version": versions[1].pk},
    ]


# --- who may write --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("ib_a", True),  # the case manager
        ("director_a", True),
        ("deputy_a", True),
        ("final", True),
        ("granted", False),  # a grant is read access
        ("other_ib", False),
        ("teacher_a", False),
        ("board_member", False),
    ],
)
def test_who_records_a_step(world, walk, final_responsible, persona, allowed):
    actor = {
        "final": final_responsible,
        "other_ib": add_member(world, "ib_other", Role.CARE_COORDINATOR),
    }.get(persona)
    if persona == "granted":
        actor = world.staff_a
        s.access_grant(case=walk.case, user=actor, actor=world.ib_a, now=NOW)
    actor = actor or getattr(world, persona)
    if allowed:
        assert walk.step(1, actor=actor).author == actor
    else:
        with pytest.raises(PermissionDenied):
            walk.step(1, actor=actor)
        assert not CaseStepRecord.objects.exists()


@pytest.mark.django_db
def test_every_write_leaves_an_audit_event_with_the_board_and_a_dossier_entry_of_the_case(world, walk):
    walk_to(walk, "melded")
    s.information_request_record(
        case=walk.case,
        requested_on=TODAY,
        requested_by="Medewerker Veilig Thuis",
        consent="not_asked",
        shared="Aanwezigheid en de signalen uit het logboek.",
        verslag_accorded=True,
        actor=world.ib_a,
        now=AFTER_MELDING,
    )
    events = AuditEvent.objects.filter(action__startswith="meldcode_")
    assert {e.action for e in events} == {
        "meldcode_case_opened",
        "meldcode_step_recorded",
        "meldcode_question_answered",
        "meldcode_melding_recorded",
        "meldcode_information_request_recorded",
    }
    assert {e.board_id for e in events} == {world.board.pk}
    entries = DossierEntry.objects.filter(kind="meldcode")
    assert {(e.visibility, e.meldcode_case_id, e.pupil_id) for e in entries} == {
        (Visibility.MELDCODE_CASE, walk.case.pk, world.pupil_a.pk)
    }
    # Opened, five steps, two answers, the melding, the information request.
    assert entries.count() == 1 + 5 + 2 + 1 + 1


# --- concurrency: the case row is locked -------------------------------------------------------------


def run_together(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run CALLS at the same moment, each in its own thread and connection."""
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_answers_to_the_same_question_at_once_store_one():
    world = make_world()
    walk = walk_to(
        Walk(world=world, case=open_case(world), actor=world.ib_a, decider=world.director_a), "steps3"
    )
    results, errors = run_together(
        lambda: walk.answer("q1", True, actor=world.ib_a),
        lambda: walk.answer("q1", True, actor=world.director_a),
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert errors[0].message_dict == {
        # Built in the worker thread, in the interface language (Dutch).
        "question": [
            t("Answer question {number} now: the afwegingskader is walked in order.").format(number=2)
        ]
    }
    assert AfwegingAnswer.objects.filter(case=walk.case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_cases_opened_at_once_get_two_numbers():
    world = make_world()
    first, second = signal_about(world), signal_about(world)
    results, errors = run_together(
        *(
            lambda signal=signal, actor=actor: s.case_open(
                pupil=world.pupil_a, signals=[signal], reason="Zorgen.", actor=actor, now=NOW
            )
            for signal, actor in ((first, world.ib_a), (second, world.director_a))
        )
    )
    assert errors == []
    assert sorted(case.number for case in results) == ["MC-2026-001", "MC-2026-002"]
