"""The Meldcode demo (meldcode/demo.py): after `demo_seed` the first school has a case in each state,
made through the services; the case manager's open deadlines hold the feedback reminder; seeding
again adds nothing; and the stories hold on awkward days at other schools.

The demo data set is seeded on Tuesday 24 November 2026 (as in tests/web/test_demo.py). School days
back from then on De Regenboog's calendar (region midden: autumn holiday Saturday 17 - Sunday 25
October 2026, study day Monday 5 October), counted by hand: 1 = Mon 23 Nov, 2 = Fri 20, 4 = Wed 18,
6 = Mon 16, 8 = Thu 12, 9 = Wed 11, 10 = Tue 10, 11 = Mon 9, 13 = Thu 5, 14 = Wed 4, 16 = Mon 2 Nov,
21 = Mon 26 Oct, 22 = Fri 16 Oct, 26 = Mon 12, 27 = Fri 9, 29 = Wed 7, 30 = Tue 6 Oct (Mon 5 is the
study day), 28 = Thu 8, 31 = Fri 2, 32 = Thu 1 Oct, 33 = Wed 30 Sep, 34 = Tue 29, 37 = Thu 24, 43 = Wed 16,
44 = Tue 15, 46 = Fri 11 Sep. Ahead: 15 = Tue 15 Dec (Wed 25 Nov is the first).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from escalation.models import Episode
from incidents.models import IncidentPupil
from lev.accounts.models import User
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.deadlines.selectors import my_deadlines
from lev.schools import models as m
from lev.schools.access import build_access_context
from lev.schools.permissions import has_object_grant, teaches_pupil
from lev.web.demo import MELDCODE_GROUPS, demo_seed
from meldcode.demo import seed_meldcode
from meldcode.domain.steps import Step, next_step
from meldcode.models import (
    AfwegingAnswer,
    CasePupil,
    CaseStepRecord,
    FeedbackKind,
    HelpEvaluation,
    MeldcodeCase,
    Melding,
    VeiligThuisAdvice,
)
from meldcode.permissions import CASE_PERM
from meldcode.services import decision_for, facts_for
from tests.conftest import signed_in_client

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
SEED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)
SEED_DAY = SEED_AT.date()

# What seed_meldcode returns for one school, worked out from the stories (meldcode/demo.py):
# step records 0 + 5 + 5 + 5 + (2 and the conversation left out) + 2 + 0 = 20 + 3 + 2 = 25;
# answers 5 (q1-q5) + 1 + 4 + 2 + 1 = 13; meldingen: stories 0 and 3; help: stories 0 and 2; two
# signals per case.
EXPECTED = {
    "meldcode_cases": 7,
    "meldcode_step_records": 25,
    "meldcode_answers": 13,
    "meldcode_meldingen": 2,
    "meldcode_information_requests": 1,
    "meldcode_help": 2,
    "meldcode_reports": 1,
    "meldcode_related_pupils": 1,
    "signals": 14,
}
ALL_STEPS = frozenset(Step)
# Per case, in the order opened: (status, the steps done, conversation left out, outcome, path,
# next question, report required, decision melden, decision hulp, the next step).
STATES = [
    (
        "closed",
        ALL_STEPS,
        False,
        "close_with_monitoring",
        ("q1", "q2", "q3", "q4", "q5"),
        None,
        True,
        True,
        True,
        None,
    ),
    ("closed", ALL_STEPS, False, "close", ("q1",), None, False, False, False, None),
    ("open", ALL_STEPS, False, "help", ("q1", "q2", "q3", "q4"), "q5", False, False, True, None),
    ("open", ALL_STEPS, False, "report", ("q1", "q2"), "q3", True, True, False, None),
    ("open", frozenset({Step.SIGNALS, Step.CONSULTATION}), True, None, ("q1",), "q2", False, None, None, 4),
    ("open", frozenset({Step.SIGNALS, Step.CONSULTATION}), False, None, (), "q1", False, None, None, 3),
    ("open", frozenset(), False, None, (), "q1", False, None, None, 1),
]


def states(school: m.School) -> list[tuple]:
    rows = []
    for case in MeldcodeCase.objects.filter(school=school).order_by("opened_at", "pk"):
        facts = facts_for(case)
        decision = decision_for(case)
        rows.append(
            (
                case.status,
                facts.steps_done,
                facts.conversation_skipped,
                None if decision.outcome is None else str(decision.outcome),
                decision.path,
                decision.next_question,
                decision.report_required,
                facts.decision_melden,
                facts.decision_hulp,
                next_step(facts),
            )
        )
    return rows


def cast(slug: str) -> dict[str, User]:
    return {
        "ib": User.objects.get(username=f"ib.{slug}"),
        "director": User.objects.get(username=f"directeur.{slug}"),
    }


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


@pytest.fixture
def demo(db, settings):
    settings.DEMO_ALLOWED = True
    demo_seed(now=SEED_AT)


def test_a_case_in_every_state(demo):
    regenboog = m.School.objects.get(brin="99AA")
    ib, director = User.objects.get(username="ib.regenboog"), User.objects.get(username="directeur.regenboog")
    assert states(regenboog) == STATES
    cases = list(MeldcodeCase.objects.filter(school=regenboog).order_by("opened_at", "pk"))
    monitored, no_suspicion, helped, reported, skipped, advised, opened = cases
    assert [local_day(case.opened_at) for case in cases] == [
        dt.date(2026, 9, 16),
        dt.date(2026, 9, 24),
        dt.date(2026, 10, 12),
        dt.date(2026, 11, 5),
        dt.date(2026, 11, 12),
        dt.date(2026, 11, 18),
        SEED_DAY,
    ]
    # Numbered in the order opened.
    assert [case.number for case in cases] == [f"MC-2026-{n:03d}" for n in range(1, 8)]
    # Seven pupils, none of them on the stappenplan or in an incident (the other demo parts).
    pupils = {case.pupil_id for case in cases}
    assert len(pupils) == 7
    assert not Episode.objects.filter(pupil_id__in=pupils).exists()
    assert not IncidentPupil.objects.filter(pupil_id__in=pupils).exists()
    for case in cases:
        assert (case.case_manager, case.opened_by) == (ib, ib)
        # Opened from two signals about the pupil, recorded by the teacher of the pupil's group.
        signals = list(case.signals.all())
        assert len(signals) == 2
        for signal in signals:
            assert list(signal.pupils.all()) == [case.pupil]
            assert teaches_pupil(signal.author, case.pupil, today=local_day(signal.happened_at))
            assert signal.happened_at < case.opened_at
        # Step 5 is decided by the school's eindverantwoordelijke.
        assert set(case.step_records.filter(step=5).values_list("decided_by", flat=True)) <= {director.pk}
        # Nothing recorded later than the seeding moment.
        assert not case.step_records.filter(recorded_at__gt=SEED_AT).exists()
        assert not case.answers.filter(recorded_at__gt=SEED_AT).exists()

    # 0. Closed with monitoring: the melding on Tue 29 Sep; its reminder counted 5 working days
    # (Wed 30 Sep, Thu 1, Fri 2, Mon 5 - a study day, still a working day - and Tue 6 Oct), met
    # when the feedback (overdracht) came on Wed 7 Oct; the information request on Thu 1 Oct;
    # questions 3 and 4 with Veilig Thuis on Thu 8 Oct, the help from Fri 9 Oct, its evaluation
    # planned and held on Mon 9 Nov, question 5 with Veilig Thuis; the report; closed on Wed 11 Nov.
    melding = monitored.meldingen.get()
    assert local_day(melding.melded_at) == dt.date(2026, 9, 29)
    assert (melding.reminder.due_on, melding.reminder.status) == (dt.date(2026, 10, 6), DeadlineStatus.MET)
    assert (melding.feedback_on, melding.feedback_kind) == (dt.date(2026, 10, 7), FeedbackKind.HANDOVER)
    assert melding.parents_informed_on == dt.date(2026, 9, 29) and not melding.identity_shield
    assert monitored.information_requests.get().requested_on == dt.date(2026, 10, 1)
    help_row = monitored.help_records.get()
    evaluation = help_row.evaluations.get()
    assert (help_row.starts_on, evaluation.planned_on, evaluation.held_on) == (
        dt.date(2026, 10, 9),
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 9),
    )
    assert evaluation.deadline.status == DeadlineStatus.MET
    assert list(monitored.answers.filter(with_veilig_thuis=True).values_list("question", flat=True)) == [
        "q3",
        "q4",
        "q5",
    ]
    assert monitored.report.written_by == ib and monitored.report.report_on == dt.date(2026, 11, 11)
    assert local_day(monitored.closed_at) == dt.date(2026, 11, 11)
    assert monitored.monitoring_agreements and monitored.closing_note

    # 1. Question 1 "no": step 5 "no melding, no help", closed on Wed 7 Oct with a closing note.
    assert local_day(no_suspicion.closed_at) == dt.date(2026, 10, 7)
    assert no_suspicion.closing_note and not no_suspicion.monitoring_agreements
    assert not no_suspicion.meldingen.exists() and not no_suspicion.help_records.exists()

    # 2. Help with the school social worker (social map) from Tue 10 Nov, its evaluation planned on
    # Tue 15 Dec and open; the teacher of the pupil's group granted the case.
    help_row = helped.help_records.select_related("partner").get()
    assert help_row.partner.kind == m.SocialMapKind.SOCIAL_WORK and help_row.partner.school == regenboog
    assert help_row.starts_on == dt.date(2026, 11, 10)
    evaluation = help_row.evaluations.get()
    assert (evaluation.planned_on, evaluation.held_on) == (dt.date(2026, 12, 15), None)
    assert (evaluation.deadline.status, evaluation.deadline.due_on) == (
        DeadlineStatus.OPEN,
        dt.date(2026, 12, 15),
    )
    teacher = m.SchoolGroup.objects.get(
        school=regenboog, school_year__starts_on=dt.date(2026, 8, 1), placements__pupil=helped.pupil
    ).teachers.get()
    assert has_object_grant(teacher, CASE_PERM, helped)
    assert (
        AuditEvent.objects.filter(action="meldcode_access_granted", summary__user_id=teacher.pk).count() == 1
    )

    # 3. The melding on Fri 20 Nov with the identity shield, the parents not informed (with the
    # reason); the younger child of the same parents added to the case.
    melding = reported.meldingen.get()
    assert melding.melded_at == dt.datetime(2026, 11, 20, 10, 15, tzinfo=AMSTERDAM)
    assert melding.identity_shield and melding.parents_informed_on is None
    assert melding.parents_not_informed_reason and melding.feedback_on is None
    related = CasePupil.objects.get(case=reported)
    parents = set(
        m.PupilGuardian.objects.filter(pupil=reported.pupil, has_gezag=True).values_list(
            "guardian", flat=True
        )
    )
    assert parents == set(
        m.PupilGuardian.objects.filter(pupil=related.pupil, has_gezag=True).values_list("guardian", flat=True)
    )
    assert related.pupil.date_of_birth > reported.pupil.date_of_birth and related.pupil_id not in pupils

    # 4. The conversation left out with its reason; question 1 answered, step 4 not yet recorded.
    left_out = CaseStepRecord.objects.get(case=skipped, step=3)
    assert left_out.skipped and left_out.skip_reason
    assert list(AfwegingAnswer.objects.filter(case=skipped).values_list("question", "answer")) == [
        ("q1", True)
    ]

    # 5. Step 2 with the advice of Veilig Thuis asked anonymously.
    assert CaseStepRecord.objects.get(case=advised, step=2).veilig_thuis_advice == VeiligThuisAdvice.ANONYMOUS

    # 6. Just opened: no step yet.
    assert not opened.step_records.exists()


def test_the_feedback_reminder_is_on_the_case_managers_list(demo):
    ib = User.objects.get(username="ib.regenboog")
    reminder = Melding.objects.get(feedback_on=None).reminder
    # Melding on Fri 20 Nov; 5 working days: Mon 23 - Fri 27 Nov. A reminder, never "missed".
    assert (reminder.rule_code, reminder.status, reminder.due_on) == (
        "veilig-thuis-beoordeling",
        DeadlineStatus.OPEN,
        dt.date(2026, 11, 27),
    )
    assert (reminder.responsible_user, reminder.visibility, reminder.reminder_only) == (
        ib,
        Visibility.MELDCODE_CASE,
        True,
    )
    ctx = build_access_context(ib, today=SEED_DAY, active_school_id=None)
    mine = list(my_deadlines(ctx, now=SEED_AT, today=SEED_DAY))
    # The two open Meldcode terms: the reminder and the evaluation planned for the help.
    assert [d for d in mine if d.visibility == Visibility.MELDCODE_CASE] == [
        reminder,
        HelpEvaluation.objects.get(held_on=None).deadline,
    ]
    page = signed_in_client(ib).get(reverse("deadlines:mine"))
    assert page.status_code == 200
    assert reverse("deadlines:detail", args=[reminder.pk]) in page.content.decode()


def test_seeding_again_adds_nothing(demo):
    def counts() -> tuple[int, ...]:
        return (
            MeldcodeCase.objects.count(),
            CaseStepRecord.objects.count(),
            AfwegingAnswer.objects.count(),
            Melding.objects.count(),
            Deadline.objects.filter(visibility=Visibility.MELDCODE_CASE).count(),
            AuditEvent.objects.filter(action__startswith="meldcode_").count(),
        )

    before = counts()
    assert before == (7, 25, 13, 2, 4, before[-1])
    later = demo_seed(now=SEED_AT + dt.timedelta(days=9))
    assert {name: later.created[name] for name in EXPECTED} == dict.fromkeys(EXPECTED, 0)
    assert counts() == before


def test_without_enough_pupils_nothing_is_made(demo):
    school = m.School.objects.get(brin="99AE")
    assert seed_meldcode(school=school, users=cast("veenhof"), groups=["9"], now=SEED_AT) == dict.fromkeys(
        EXPECTED, 0
    )
    assert not MeldcodeCase.objects.filter(school=school).exists()


# (school, the moment of seeding, why that day)
DAYS = [
    # Thursday before the autumn holiday: the oldest story goes back into the previous school year,
    # past the summer holiday (the pupils were in another group, with another teacher).
    ("99AC", "baken", dt.datetime(2026, 10, 15, 11, 0, tzinfo=AMSTERDAM)),
    # A Saturday in the Christmas holiday (19 December - 3 January); early in the morning.
    ("99AB", "kwekerij", dt.datetime(2026, 12, 26, 7, 30, tzinfo=AMSTERDAM)),
    # A Wednesday in the summer holiday: the help's evaluation falls in the next school year.
    ("99AD", "wegwijzer", dt.datetime(2027, 7, 28, 14, 0, tzinfo=AMSTERDAM)),
]


@pytest.mark.parametrize(("brin", "slug", "now"), DAYS, ids=[d[1] for d in DAYS])
def test_the_stories_hold_on_any_day(demo, brin, slug, now):
    school = m.School.objects.get(brin=brin)
    today = local_day(now)
    assert seed_meldcode(school=school, users=cast(slug), groups=MELDCODE_GROUPS, now=now) == EXPECTED
    assert states(school) == STATES
    cases = MeldcodeCase.objects.filter(school=school)
    for case in cases:
        assert case.opened_at <= now
        for signal in case.signals.all():
            assert teaches_pupil(signal.author, case.pupil, today=local_day(signal.happened_at))
    assert not CaseStepRecord.objects.filter(case__in=cases, recorded_on__gt=today).exists()
    assert not AfwegingAnswer.objects.filter(case__in=cases, answered_on__gt=today).exists()
    assert not Melding.objects.filter(case__in=cases, melded_at__gt=now).exists()
    # Only the evaluation of the open help lies ahead.
    ahead = HelpEvaluation.objects.filter(help__case__in=cases, planned_on__gt=today)
    assert [(e.held_on, e.deadline.status) for e in ahead] == [(None, DeadlineStatus.OPEN)]
    reminder = Melding.objects.get(case__in=cases, feedback_on=None).reminder
    assert reminder.status == DeadlineStatus.OPEN
    again = seed_meldcode(school=school, users=cast(slug), groups=MELDCODE_GROUPS, now=now)
    assert again == dict.fromkeys(EXPECTED, 0)
    assert cases.count() == 7
