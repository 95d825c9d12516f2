"""`manage.py seed_scale --preset tiny`: the counts worked out by hand, idempotence and refusals.

Tiny: 2 schools x 20 current pupils, 2 school years. Current pupil n is in grade n % 8 + 1, so
grades 1-4 have 3 pupils (n, n + 8, n + 16) and grades 5-8 have 2. One group per grade (no grade
exceeds 28 pupils): 8 groups per school per year.

Per school:
- pupils: 20 current + 20 // 8 = 2 who left after grade 8 last year = 22
- placements: grade 1 only this year (3), grades 2-4 both years (3 x 2 x 3 = 18), grades 5-8 both
  years (2 x 2 x 4 = 16), the 2 leavers last year only (2): 39
- parents: pupil numbers 0..21; one parent for 0, 5, 10, 15, 20 (5), two for the other 17: 39
- users: 8 teachers + director, deputy, care coordinator, staff member, confidant = 13
Board: 3 users (board member, data protection officer, functional administrator).
Teachers are numbered 1..16 over both schools; the 10th has no two-factor device: 28 devices.
Signals: 20 per school per year (80) + 150 for each school's first pupil (300) = 380. Incidents:
20 // 3 = 6 per school per year, 12 per school; incidents 1, 4, 7, 10 of a school have three pupils,
the other 8 two: 28 involvements per school; plus this morning's incident of the first pupil with
the second (2 involvements): 13 incidents and 30 involvements per school, 26 and 60 in all.
Dossier entries: 380 + 60 = 440.
Then, through the services: each school's open (sexually) transgressive incident (its 11th, of
this year) weighed with the Vlaggensysteem (2 assessments, 2 entries); the first school also has a
crisis (a parent contact about a pupil, a measure and its first evaluation: 3 entries) and a WPO 4a
report about one pupil (1 board-only entry): 440 + 2 + 3 + 1 = 446 dossier entries.
Then the stappenplan: the first school (every tenth, from the first) gets the demo's ten stories
through the services (escalation/demo.py; the arithmetic in tests/web/test_demo.py): 10 episodes,
16 step records, 5 time-outs, 3 schorsingen, 2 verwijderingen, 2 bezwaren, 1 GPO case and 10 + 16 +
(5 + 4 + 4) + (3 + 2 + 1 + 1) + (2 x 9 + 1 + 2) = 67 dossier entries. The second school gets 5
episodes inserted in bulk: step 1; steps 1 and 2; step 3; steps 3 and 4; steps 3 and 4 and a
time-out: 1 + 2 + 1 + 2 + 2 = 8 step records, 1 time-out, and 5 + 8 + 3 (the time-out asked,
approved, the parents phoned) = 16 dossier entries. In all 15 episodes, 24 step records, 6
time-outs and 446 + 67 + 16 = 529 dossier entries.
Then the Meldcode (lev/web/scale_meldcode.py): 20 // 150 pupils = 0, so 1 case per school per
school year; in the current year at least one of each of the 12 kinds: max(2 schools x 1, 12) = 12
cases, kind k at school k % 2; in last year 2 schools x 1 = 2 closed cases, the closing kinds in
turn (closed after question 1 "no"; closed after a melding). 14 cases, each opened from a signal of
its own: 380 + 14 = 394 signals. Per kind (opened, step 1, steps 1-2, 1-3, conversation left out,
weighing, melding, help, closed, closed after a melding, closed with monitoring, closed after a new
melding):
- step records 0, 1, 2, 3, 2 + 1 (left out), 4, then 5 each: 0 + 1 + 2 + 3 + 3 + 4 + 6 x 5 = 43;
  last year 5 + 5: 53 in all;
- answers 0, 0, 0, 0, 1, 3, 2, 4, 1, 3, 5, 5 = 24; last year 1 + 3: 28;
- meldingen: melding, closed after a melding, closed after a new melding = 3; last year 1: 4;
- help: help, closed with monitoring, closed after a new melding = 3;
- the Rapportage Meldcode of the closed cases with a melding or help: 3 + 1 = 4;
- deadlines, opened through the service: the melding's feedback reminder and the help's planned
  evaluation = 2;
- dossier entries: the signal's and, per act, one under the case's access: opening 1, each step
  record, each answer, each melding and feedback, the help, the evaluation held, the closing:
  1, 2, 3, 4, 5, 1 + 4 + 3 = 8, 1 + 5 + 2 + 1 = 9, 1 + 5 + 4 + 1 = 11, 1 + 5 + 1 + 1 = 8,
  1 + 5 + 3 + 3 = 12, 1 + 5 + 5 + 3 = 14, 1 + 5 + 5 + 5 = 16, summing to 93; last year 8 + 12 = 20;
  with the 14 signals' entries 93 + 20 + 14 = 127: 529 + 127 = 656 dossier entries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from crisis.models import Crisis
from escalation.models import Episode, GpoCase, Objection, Schorsing, StepRecord, TimeOut, Verwijdering
from incidents.models import FlagAssessment, Incident, IncidentPupil, Signal
from lev.accounts.models import User
from lev.audit.models import AccessLogEntry, AuditEvent
from lev.deadlines.models import Deadline
from lev.dossier.models import DossierEntry
from lev.schools import models as m
from lev.web.management.commands.seed_scale import MARKER_ACTION
from meldcode.domain.steps import Event, check, next_step
from meldcode.models import (
    AfwegingAnswer,
    CaseReport,
    CaseReportVersion,
    CaseStepRecord,
    HelpRecord,
    MeldcodeCase,
    Melding,
)
from meldcode.services import facts_for
from misconduct.models import MisconductReport

pytestmark = pytest.mark.django_db

EXPECTED = {
    "school_years": 2,
    "schools": 2,
    "users": 29,
    "memberships": 29,
    "totp_devices": 28,
    "groups": 32,
    "group_teachers": 32,
    "pupils": 44,
    "enrolments": 44,
    "placements": 78,
    "guardians": 78,
    "pupil_guardians": 78,
    "social_map_entries": 10,
    "access_log_entries": 56,  # 2 schools x 14 days x 2 reads
    "signals": 380 + 14,
    "incidents": 26,
    "incident_pupils": 60,
    "dossier_entries": 446 + 67 + 16 + 127,
    "assessments": 2,
    "crises": 1,
    "misconduct_reports": 1,
    "escalation_episodes": 10 + 5,
    "step_records": 16 + 8,
    "time_outs": 5 + 1,
    "schorsingen": 3,
    "verwijderingen": 2,
    "objections": 2,
    "gpo_cases": 1,
    "meldcode_cases": 12 + 2,
    "meldcode_step_records": 43 + 10,
    "meldcode_answers": 24 + 4,
    "meldcode_meldingen": 3 + 1,
    "meldcode_help": 3,
    "meldcode_reports": 3 + 1,
    "meldcode_report_versions": 3 + 1,  # one version per report, as report_save keeps it
    "meldcode_deadlines": 2,
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", "--preset", "tiny", *args, stdout=out)
    return out.getvalue()


def board_counts(board: m.Board) -> dict[str, int]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = User.objects.filter(memberships__board=board).distinct()
    return {
        "school_years": m.SchoolYear.objects.filter(board=board).count(),
        "schools": m.School.objects.filter(board=board).count(),
        "users": users.count(),
        "memberships": m.Membership.objects.filter(board=board).count(),
        "totp_devices": TOTPDevice.objects.filter(user__in=users, confirmed=True).count(),
        "groups": m.SchoolGroup.objects.filter(board=board).count(),
        "group_teachers": m.SchoolGroup.teachers.through.objects.filter(schoolgroup__board=board).count(),
        "pupils": m.Pupil.objects.filter(board=board).count(),
        "enrolments": m.Enrolment.objects.filter(board=board).count(),
        "placements": m.GroupPlacement.objects.filter(board=board).count(),
        "guardians": m.Guardian.objects.filter(board=board).count(),
        "pupil_guardians": m.PupilGuardian.objects.filter(board=board).count(),
        "social_map_entries": m.SocialMapEntry.objects.filter(board=board).count(),
        "access_log_entries": AccessLogEntry.objects.filter(board=board).count(),
        "signals": Signal.objects.filter(board=board).count(),
        "incidents": Incident.objects.filter(board=board).count(),
        "incident_pupils": IncidentPupil.objects.filter(incident__board=board).count(),
        "dossier_entries": DossierEntry.objects.filter(board=board).count(),
        "assessments": FlagAssessment.objects.filter(incident__board=board).count(),
        "crises": Crisis.objects.filter(board=board).count(),
        "misconduct_reports": MisconductReport.objects.filter(board=board).count(),
        "escalation_episodes": Episode.objects.filter(board=board).count(),
        "step_records": StepRecord.objects.filter(episode__board=board).count(),
        "time_outs": TimeOut.objects.filter(board=board).count(),
        "schorsingen": Schorsing.objects.filter(board=board).count(),
        "verwijderingen": Verwijdering.objects.filter(board=board).count(),
        "objections": Objection.objects.filter(board=board).count(),
        "gpo_cases": GpoCase.objects.filter(verwijdering__board=board).count(),
        "meldcode_cases": MeldcodeCase.objects.filter(board=board).count(),
        "meldcode_step_records": CaseStepRecord.objects.filter(case__board=board).count(),
        "meldcode_answers": AfwegingAnswer.objects.filter(case__board=board).count(),
        "meldcode_meldingen": Melding.objects.filter(case__board=board).count(),
        "meldcode_help": HelpRecord.objects.filter(case__board=board).count(),
        "meldcode_reports": CaseReport.objects.filter(case__board=board).count(),
        "meldcode_report_versions": CaseReportVersion.objects.filter(case__board=board).count(),
        "meldcode_deadlines": Deadline.objects.filter(board=board, visibility="meldcode_case").count(),
    }


def test_tiny_preset_creates_the_expected_counts():
    output = seed()
    board = m.Board.objects.get(slug="scale-tiny")
    assert board_counts(board) == EXPECTED
    assert "seeded with the tiny preset" in output
    marker = AuditEvent.objects.get(board=board, action=MARKER_ACTION)
    assert marker.summary == {"preset": "tiny", **EXPECTED}


def test_running_it_again_changes_nothing():
    seed()
    board = m.Board.objects.get(slug="scale-tiny")
    events = AuditEvent.objects.count()
    output = seed()
    assert "already holds the tiny preset; nothing changed" in output
    assert board_counts(board) == EXPECTED
    assert AuditEvent.objects.count() == events
    assert m.Board.objects.count() == 1


def test_the_structure_per_school_and_year():
    seed()
    board = m.Board.objects.get(slug="scale-tiny")
    today = timezone.localdate()
    start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    years = list(m.SchoolYear.objects.filter(board=board).order_by("starts_on"))
    assert [(y.starts_on, y.ends_on) for y in years] == [
        (dt.date(start.year - 1, 8, 1), dt.date(start.year, 7, 31)),
        (start, dt.date(start.year + 1, 7, 31)),
    ]
    school = m.School.objects.filter(board=board).order_by("pk").first()
    current = years[1]
    names = sorted(
        m.SchoolGroup.objects.filter(school=school, school_year=current).values_list("name", flat=True)
    )
    assert names == ["1", "2", "3", "4", "5", "6", "7", "8"]
    # Pupil 100012 (number 12) is in grade 12 % 8 + 1 = 5 now and was in grade 4 last year.
    pupil = m.Pupil.objects.get(school=school, admin_number="100012")
    placements = list(pupil.placements.select_related("group").order_by("starts_on"))
    assert [(p.group.name, p.starts_on, p.ends_on) for p in placements] == [
        ("4", years[0].starts_on, years[0].ends_on),
        ("5", current.starts_on, None),
    ]
    # A group's teacher teaches the group of that name every year.
    fives = m.SchoolGroup.objects.filter(school=school, name="5").order_by("school_year__starts_on")
    assert [g.teachers.get().username for g in fives] == ["scale-tiny-s001-leerkracht-5"] * 2
    # Pupil 100020 left after grade 8 last year, confirmed.
    leaver = m.Pupil.objects.get(school=school, admin_number="100020")
    enrolment = leaver.enrolments.get()
    assert (enrolment.left_on, enrolment.left_confirmed) == (years[0].ends_on, True)
    assert [p.group.name for p in leaver.placements.select_related("group")] == ["8"]
    # Pupil 100000 has one parent; pupil 100007 two, the second without gezag.
    assert m.PupilGuardian.objects.filter(pupil__school=school, pupil__admin_number="100000").count() == 1
    links = m.PupilGuardian.objects.filter(pupil__school=school, pupil__admin_number="100007").order_by("pk")
    assert [link.has_gezag for link in links] == [True, False]
    # Every pupil has a parent with gezag.
    assert not m.Pupil.objects.filter(board=board).exclude(guardian_links__has_gezag=True).exists()


def test_scale_accounts_cannot_sign_in():
    seed()
    users = User.objects.filter(memberships__board__slug="scale-tiny").distinct()
    assert users.count() == 29
    assert not any(user.has_usable_password() for user in users)
    assert not users.filter(is_demo=True).exists()
    roles = set(m.Membership.objects.filter(board__slug="scale-tiny").values_list("role", flat=True))
    assert roles == {
        m.Role.TEACHER,
        m.Role.STAFF,
        m.Role.CARE_COORDINATOR,
        m.Role.DIRECTOR,
        m.Role.DEPUTY_DIRECTOR,
        m.Role.CONFIDANT,
        m.Role.BOARD,
        m.Role.PRIVACY_OFFICER,
        m.Role.FUNCTIONAL_ADMIN,
    }


def test_the_same_data_every_time():
    def names() -> list[tuple[str, str, str, dt.date]]:
        return list(
            m.Pupil.objects.filter(board__slug="scale-tiny")
            .order_by("school__brin", "admin_number")
            .values_list("admin_number", "roepnaam", "achternaam", "date_of_birth")
        )

    with transaction.atomic():
        seed()
        first = names()
        transaction.set_rollback(True)
    assert not m.Board.objects.filter(slug="scale-tiny").exists()
    seed()
    assert names() == first
    assert len(first) == 44


def test_another_preset_on_the_same_board_is_refused():
    seed()
    with pytest.raises(CommandError, match="already holds the 'tiny' preset"):
        call_command("seed_scale", "--preset", "small", "--board-slug", "scale-tiny", stdout=StringIO())
    assert m.School.objects.count() == 2


def test_a_board_not_made_by_the_command_is_refused():
    m.Board.objects.create(name="Stichting Echt", slug="scale-tiny")
    with pytest.raises(CommandError, match="was not made by seed_scale"):
        seed()
    assert m.School.objects.count() == 0


def test_a_database_with_real_boards_needs_consent(world):
    with pytest.raises(CommandError, match="holds other boards"):
        seed()
    assert not m.Board.objects.filter(slug="scale-tiny").exists()
    seed("--allow-other-boards")
    board = m.Board.objects.get(slug="scale-tiny")
    assert board_counts(board) == EXPECTED
    # The world's schools keep their BRIN numbers and pupils.
    assert m.Pupil.objects.filter(school=world.school_a).count() == 2


def test_incidents_cover_every_category_and_write_the_chronology():
    seed()
    board = m.Board.objects.get(slug="scale-tiny")
    for school in m.School.objects.filter(board=board):
        categories = set(Incident.objects.filter(school=school).values_list("category", flat=True))
        # 12 incidents per school with the category by the school's running count modulo 8 (all
        # eight), and the first pupil's incident of this morning (aggression).
        assert len(categories) == 8
        first = min(
            (p for p in m.Pupil.objects.filter(school=school, admin_number__lt="100020")),
            key=lambda p: p.admin_number,
        )
        # The first current pupil has the long file: 150 extra signals and whatever else fell to them.
        assert DossierEntry.objects.filter(pupil=first, kind="signal").count() >= 150
    # Every involvement wrote an entry for that pupil, with the incident as its source.
    involvement = IncidentPupil.objects.filter(incident__board=board).first()
    assert DossierEntry.objects.filter(
        pupil=involvement.pupil, source_type="incidents.incident", source_id=str(involvement.incident_id)
    ).exists()


def test_the_stappenplan_on_every_step():
    seed()
    board = m.Board.objects.get(slug="scale-tiny")
    first, second = m.School.objects.filter(board=board).order_by("pk")
    states = {
        school: sorted(Episode.objects.filter(school=school).values_list("state", flat=True))
        for school in (first, second)
    }
    # The stories: steps 1, 2, 3, 4 (twice: one with a time-out waiting), 5 (twice: the time-out
    # of today, the schorsing waiting for the board), 6, 7 (twice).
    assert (
        states[first]
        == ["step_1", "step_2", "step_3"] + ["step_4"] * 2 + ["step_5"] * 2 + ["step_6"] + ["step_7"] * 2
    )
    assert states[second] == ["step_1", "step_2", "step_3", "step_4", "step_5"]
    # Neither school's first two current pupils (the incidents step's long file) is on the ladder.
    heavy = m.Pupil.objects.filter(board=board, admin_number__in=["100000", "100001"])
    assert not Episode.objects.filter(pupil__in=heavy).exists()
    # The bulk rows look as the services write them: a dossier entry per episode, step and act.
    for episode in Episode.objects.filter(school=second):
        assert DossierEntry.objects.filter(
            pupil=episode.pupil, source_type="escalation.episode", source_id=str(episode.pk)
        ).exists()
    time_out = TimeOut.objects.get(school=second)
    assert (time_out.status, time_out.episode.state) == ("approved", "step_5")


def test_meldcode_cases_in_every_step_and_outcome():
    seed()
    board = m.Board.objects.get(slug="scale-tiny")
    today = timezone.localdate()
    first, second = m.School.objects.filter(board=board).order_by("pk")
    cases = MeldcodeCase.objects.filter(board=board).select_related("pupil")
    outcomes = set()
    for case in cases:
        facts = facts_for(case)
        outcomes.add(facts.afweging_outcome)
        if case.is_closed:
            # Closed where the services would have let it close: every guard of closing holds.
            assert check(Event.CLOSE_CASE, dataclasses.replace(facts, closed=False)).allowed, case.number
        # Opened from a signal about its pupil, recorded before the case was opened.
        signal = case.signals.get()
        assert list(signal.pupils.all()) == [case.pupil]
        assert signal.happened_at < case.opened_at <= timezone.now()
        # Every act wrote its entry under the case's access.
        assert DossierEntry.objects.filter(meldcode_case_id=case.pk, visibility="meldcode_case").exists()
    assert outcomes == {None, "close", "report", "help", "close_with_monitoring"}

    # The twelve kinds of this school year, kind k at school k % 2; the open cases by the step they
    # stand at (6: all five done).
    def open_steps(school: m.School) -> list[int]:
        return sorted((next_step(facts_for(c)) or 6) for c in cases.filter(school=school, status="open"))

    assert open_steps(first) == [1, 3, 4, 6]  # opened; steps 1-2; conversation left out; melding
    assert open_steps(second) == [2, 4, 5, 6]  # step 1; steps 1-3; the weighing; help
    # The two open terms, on the care coordinator's list: the reminder of the melding without
    # feedback, and the evaluation of the running help, planned ahead.
    reminder = Melding.objects.get(case__board=board, feedback_on=None).reminder
    assert (reminder.rule_code, reminder.status, reminder.reminder_only) == (
        "veilig-thuis-beoordeling",
        "open",
        True,
    )
    assert reminder.responsible_user.username == "scale-tiny-s001-ib"
    evaluation = Deadline.objects.get(board=board, rule_code="evaluatie-hulp-meldcode")
    assert (evaluation.status, evaluation.responsible_user.username) == ("open", "scale-tiny-s002-ib")
    assert evaluation.due_on > today
