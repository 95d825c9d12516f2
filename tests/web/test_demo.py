"""The demo data set and its commands: seed_demo, demo_logins, demo_otp, remove_demo_users."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import struct
import time
import zoneinfo
from collections import Counter

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from communications.models import Letter, LetterCopy, LetterTemplate, TemplateReview
from escalation.models import (
    Authority,
    Episode,
    Objection,
    Schorsing,
    SchorsingStatus,
    TimeOut,
    TimeOutStatus,
    Verwijdering,
    VerwijderingStatus,
)
from lev.accounts.models import User
from lev.audit.models import AuditEvent
from lev.deadlines.models import (
    Deadline,
    DeadlineReminder,
    DeadlineStatus,
    SchoolCalendar,
    SchoolClosure,
    Visibility,
)
from lev.schools import models as m
from lev.web.checks import check_no_demo_users
from lev.web.demo import (
    DEMO_PASSWORD,
    DEMO_SECRET_CONSTANT,
    demo_backup_codes,
    demo_seed,
    demo_totp_key,
)
from meldcode.models import AfwegingAnswer, CaseStepRecord, MeldcodeCase, Melding
from tests import factories as f
from tests.conftest import signed_in_client

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# Seeding "on" 24 November 2026: the current school year is 2026-2027, the previous 2025-2026.
SEED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)
SEED_DAY = dt.date(2026, 11, 24)
STARTERS = ["leerkracht.regenboog", "ib.regenboog", "directeur.regenboog", "bestuur", "beheerder"]

# The stappenplan demo (escalation/demo.py) at the first school, ten pupils, worked out by hand
# from its stories; p0..p9 are the pupils in the order the stories take them.
#   Step records (steps 1-4): p0 3+4, p1 3+4, p2 1, p3 1+2, p4 3, p5 3+4, p6 3+4, p7 3+4, p8 3+4,
#   p9 none = 2+2+1+2+1+2+2+2+2 = 16.
#   Time-outs asked: p0 (approved today, letter), p1 (waiting), p5, p7, p8 (approved) = 5; approved
#   and the parents phoned: p0, p5, p7, p8 = 4; letters: p0's timeout_melding and p5's
#   schorsing_besluit = 2.
#   Schorsingen prepared: p5 (approved by the board today), p7 (waiting), p8 (approved earlier and
#   reported to the Inspectie) = 3; decided 2.
#   Verwijderingen: p8 (ground 2) and p9 (ground 1), each with a rapport, three hearings (teacher,
#   parents, pupil), the decision, leerplicht told, the decision sent and a bezwaar; p8 one school
#   approached; p9 a GPO case and its verweer.
#   Ladder transitions (advance): 16 steps + 5 requests + 4 approvals + 2 schorsingen decided + 2
#   verwijderingen started = 29. Every pupil's first act opens the episode: 10.
ESCALATION_ACTIONS = {
    "escalation_episode_opened": 10,
    "escalation_transition": 16 + 5 + 4 + 2 + 2,
    "escalation_timeout_requested": 5,
    "escalation_timeout_approved": 4,
    "escalation_timeout_parents_phoned": 4,
    "escalation_timeout_letter_made": 1,
    "letter_created": 2,
    "schorsing_prepared": 3,
    "schorsing_decided": 2,
    "schorsing_inspectie_reported": 1,
    "schorsing_conversation_recorded": 1,
    "schorsing_education_recorded": 1,
    "schorsing_letter_made": 1,
    "verwijdering_started": 2,
    "verwijdering_report_recorded": 2,
    "verwijdering_hearing_recorded": 2 * 3,
    "verwijdering_decided": 2,
    "verwijdering_leerplicht_reported": 2,
    "verwijdering_sent": 2,
    "verwijdering_school_approached": 1,
    "verwijdering_bezwaar_recorded": 2,
    "verwijdering_gpo_filed": 1,
    "verwijdering_gpo_defence": 1,
}
# Terms opened: the Inspectie report of p5's and p8's schorsing (2); per verwijdering the
# leerplicht report, the parents' bezwaar term and the board's decision on the bezwaar (3 x 2);
# p9's GPO opinion (1) = 9. Met: p8's Inspectie report, both leerplicht reports and both bezwaar
# terms (met when the bezwaar came in) = 5. Suspended: p9's decision term (the GPO case) = 1.
ESCALATION_DEADLINES = 2 + 3 * 2 + 1
ESCALATION_COUNTS = {
    "escalation_episodes": 10,
    "time_outs": 5,
    "schorsingen": 3,
    "verwijderingen": 2,
    "objections": 2,
    "gpo_cases": 1,
}

# The Meldcode demo (meldcode/demo.py) at the first school, seven cases worked out by hand from its
# stories; c0..c6 in the order opened: c0 closed with monitoring (question 5 "yes"), c1 closed after
# question 1 "no", c2 help, c3 melding made, c4 conversation left out, c5 step 2, c6 just opened.
#   Two signals per case, by the teacher of the pupil's group: 7 x 2 = 14.
#   Steps recorded: c0, c1, c2, c3 all five (4 x 5), c4 and c5 steps 1 and 2 (2 x 2), c6 none = 24;
#   c4's conversation left out = 1 (a step record too: 25 rows).
#   Answers: c0 q1-q5, c1 q1, c2 q1-q4, c3 q1-q2, c4 q1 = 5 + 1 + 4 + 2 + 1 = 13.
#   Meldingen c0 and c3; feedback and an information request c0; help c0 and c2; c0's evaluation
#   held; closed c0 and c1; the Rapportage Meldcode c0; c2's access granted to the teacher; c3's
#   younger sibling added.
MELDCODE_ACTIONS = {
    "signal_recorded": 7 * 2,
    "meldcode_case_opened": 7,
    "meldcode_step_recorded": 4 * 5 + 2 * 2,
    "meldcode_conversation_skipped": 1,
    "meldcode_question_answered": 5 + 1 + 4 + 2 + 1,
    "meldcode_melding_recorded": 2,
    "meldcode_feedback_recorded": 1,
    "meldcode_information_request_recorded": 1,
    "meldcode_help_recorded": 2,
    "meldcode_evaluation_recorded": 1,
    "meldcode_case_closed": 2,
    "meldcode_report_saved": 1,
    "meldcode_access_granted": 1,
    "meldcode_related_pupil_added": 1,
}
# Terms opened: the feedback reminder of each melding (c0, c3) and the evaluation planned with each
# help (c0, c2) = 4. Met: c0's reminder (the feedback came) and c0's evaluation (held) = 2.
MELDCODE_DEADLINES = 2 + 2
MELDCODE_DEADLINES_MET = 2
MELDCODE_COUNTS = {
    "meldcode_cases": 7,
    "meldcode_step_records": 24 + 1,
    "meldcode_answers": 13,
    "meldcode_meldingen": 2,
    "meldcode_information_requests": 1,
    "meldcode_help": 2,
    "meldcode_reports": 1,
    "meldcode_related_pupils": 1,
}


def rfc6238(key: bytes, at: float, step: int = 30, digits: int = 6) -> str:
    """TOTP written out from the RFC, independent of django-otp."""
    digest = hmac.new(key, struct.pack(">Q", int(at // step)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


@pytest.fixture
def demo_allowed(settings):
    settings.DEMO_ALLOWED = True
    return settings


@pytest.fixture
def seeded(db, demo_allowed):
    demo_seed(now=SEED_AT)
    return m.Board.objects.get(slug="stichting-lev")


def current_pupils(school: m.School, day: dt.date = SEED_DAY):
    return m.Pupil.objects.filter(school=school).exclude(
        enrolments__left_on__lt=day, enrolments__left_confirmed=True
    )


def snapshot() -> dict[str, list]:
    models = [
        m.Board,
        m.School,
        m.SchoolYear,
        m.SchoolGroup,
        m.SchoolGroup.teachers.through,
        m.Pupil,
        m.Enrolment,
        m.GroupPlacement,
        m.Guardian,
        m.PupilGuardian,
        m.Membership,
        m.SocialMapEntry,
        User,
        TOTPDevice,
        StaticDevice,
        StaticToken,
        Deadline,
        DeadlineReminder,
        SchoolCalendar,
        SchoolClosure,
        AuditEvent,
        Letter,
        LetterCopy,
        LetterTemplate,
        TemplateReview,
        MeldcodeCase,
        CaseStepRecord,
        AfwegingAnswer,
        Melding,
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


@pytest.mark.django_db
def test_seeding_twice_changes_nothing(demo_allowed):
    out = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=out)
    assert out.getvalue() == ""
    first = snapshot()
    assert len(first["schools.Pupil"]) > 900
    # Six schools with two deadlines each and one board-only deadline, each opened by the service;
    # then the first school's processes: two incident follow-ups (one done), a crisis measure's
    # first evaluation (held) and the monthly one after it, and the four WPO 4a steps so far; then
    # the stappenplan's terms (ESCALATION_DEADLINES) and the Meldcode's (MELDCODE_DEADLINES).
    assert len(first["deadlines.Deadline"]) == 13 + 2 + 2 + 4 + ESCALATION_DEADLINES + MELDCODE_DEADLINES
    # Per school, after the deadlines: its region (the national days) and two study days, each
    # written by the calendar service with its own audit row.
    calendar_actions = ["school_calendar_region_set", "school_closure_added", "school_closure_added"]
    # Then three contacts with parents and one correction, each with its dossier entry.
    contact_actions = ["dossier_entry_recorded", "contact_log_recorded"] * 3 + [
        "dossier_entry_corrected",
        "contact_log_corrected",
    ]
    # Then the letters of the first school, one in each state, through the letter services: a
    # draft; one awaiting approval; an approved incident letter; a time-out notice handed over to
    # the one address of the pupil's parents (so sent, and a dossier entry); a withdrawn draft.
    letter_actions = (
        ["letter_created"]
        + ["letter_created", "letter_submitted"]
        + ["letter_created", "letter_submitted", "letter_approved"]
        + ["letter_created", "letter_submitted", "letter_approved", "letter_dispatched", "letter_sent"]
        + ["dossier_entry_recorded"]
        + ["letter_created", "letter_withdrawn"]
    )
    actions = [e["action"] for e in first["audit.AuditEvent"]]
    prefix = ["deadline_opened"] * 13 + calendar_actions * 6 + contact_actions + letter_actions
    assert actions[: len(prefix)] == prefix
    assert actions[-1] == "demo_seeded"
    # Then the first school's signals and incidents, through their services: eight signals; eight
    # incidents (one per category), the bullying one with an attachment and an open follow-up, the
    # aggression one with a follow-up done and closed; the (sexually) transgressive one weighed with
    # the Vlaggensysteem and escalated to a crisis (its five actions: four given an owner; the plan;
    # three participants; one parent contact; one measure, evaluated once; a communication
    # decision; a media log entry); one chronology entry corrected and a parents' view; one WPO 4a
    # report with four steps recorded; one confidant's note. Then the stappenplan
    # (ESCALATION_ACTIONS) and the Meldcode cases with their own signals (MELDCODE_ACTIONS).
    tail = Counter(actions[len(prefix) : -1])
    assert {a: n for a, n in tail.items() if not a.startswith(("dossier_entry_", "deadline_"))} == {
        **MELDCODE_ACTIONS,
        "signal_recorded": 8 + MELDCODE_ACTIONS["signal_recorded"],
        "incident_registered": 8,
        "incident_attachment_added": 1,
        "incident_followup_added": 2,
        "incident_followup_done": 1,
        "incident_closed": 1,
        "flag_assessment_recorded": 1,
        "crisis_started": 1,
        "crisis_action_updated": 4,
        "crisis_plan_updated": 1,
        "crisis_participant_added": 3,
        "contact_log_recorded": 1,
        "crisis_measure_started": 1,
        "crisis_measure_evaluated": 1,
        "crisis_communication_recorded": 1,
        "crisis_media_recorded": 1,
        "parent_view_recorded": 1,
        "misconduct_report_filed": 1,
        "misconduct_step_recorded": 4,
        "confidant_note_recorded": 1,
        **ESCALATION_ACTIONS,
    }
    # Deadlines opened: 2 follow-ups, 2 measure evaluations, 4 WPO 4a steps; met: the follow-up
    # done, the first evaluation and three WPO 4a steps. One correction of a chronology entry.
    # Then the stappenplan's terms: 9 opened, 5 met, 1 suspended (ESCALATION_DEADLINES); then the
    # Meldcode's: 4 opened, 2 met, none waived (MELDCODE_DEADLINES).
    assert (
        tail["deadline_opened"],
        tail["deadline_met"],
        tail["deadline_suspended"],
        tail["deadline_waived"],
        tail["dossier_entry_corrected"],
    ) == (8 + ESCALATION_DEADLINES + MELDCODE_DEADLINES, 5 + 5 + MELDCODE_DEADLINES_MET, 1, 0, 1)
    summary = first["audit.AuditEvent"][-1]["summary"]
    assert {k: summary[k] for k in ESCALATION_COUNTS} == ESCALATION_COUNTS
    assert {k: summary[k] for k in MELDCODE_COUNTS} == MELDCODE_COUNTS
    assert summary["signals"] == 8 + MELDCODE_ACTIONS["signal_recorded"]
    assert first["audit.AuditEvent"][-1]["summary"]["letters"] == 5
    assert first["audit.AuditEvent"][-1]["summary"]["deadlines"] == 13
    # Six calendars with 28 national rows (midden, three school years) and two study days each.
    assert first["audit.AuditEvent"][-1]["summary"]["school_calendars"] == 6
    assert first["audit.AuditEvent"][-1]["summary"]["school_closures"] == 6 * 30
    assert len(first["deadlines.SchoolClosure"]) == 180
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    second = snapshot()
    assert {k: len(v) for k, v in second.items()} == {k: len(v) for k, v in first.items()}
    assert second == first
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_refuses_without_lev_demo(settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="LEV_DEMO"):
        call_command("seed_demo", "--quiet")
    assert not m.Board.objects.filter(slug="stichting-lev").exists()
    assert not User.objects.filter(is_demo=True).exists()
    for command in (["demo_logins"], ["demo_otp", "leerkracht.regenboog"]):
        with pytest.raises(CommandError, match="LEV_DEMO"):
            call_command(*command)


def test_seeding_the_same_day_plans_the_same_data():
    from lev.web.demo import SCHOOLS, plan_school

    first = plan_school(SCHOOLS[2], 2, today=SEED_DAY)
    second = plan_school(SCHOOLS[2], 2, today=SEED_DAY)
    assert [vars(p) for p in first.pupils] == [vars(p) for p in second.pupils]
    assert [vars(g) for g in first.guardians] == [vars(g) for g in second.guardians]


def test_schools_towns_and_denominations(seeded):
    schools = list(m.School.objects.filter(board=seeded))
    assert len(schools) == 6
    assert sorted(s.city for s in schools) == ["Boskoop"] * 3 + ["Waddinxveen"] * 3
    assert {s.denominatie for s in schools} == {m.Denominatie.OPENBAAR, m.Denominatie.BIJZONDER}
    assert all(s.brin.startswith("99") and len(s.brin) == 4 for s in schools)
    years = list(m.SchoolYear.objects.filter(board=seeded).values_list("name", "starts_on", "ends_on"))
    assert years == [
        ("2026-2027", dt.date(2026, 8, 1), dt.date(2027, 7, 31)),
        ("2025-2026", dt.date(2025, 8, 1), dt.date(2026, 7, 31)),
    ]


def test_each_school_has_about_150_pupils_in_groups_1_to_8(seeded):
    current_year = m.SchoolYear.objects.get(board=seeded, name="2026-2027")
    for school in m.School.objects.filter(board=seeded):
        pupils = current_pupils(school)
        assert 140 <= pupils.count() <= 160, school.name
        groups = list(m.SchoolGroup.objects.filter(school=school, school_year=current_year))
        grades = sorted({g for group in groups for g in group.grades})
        assert grades == [1, 2, 3, 4, 5, 6, 7, 8]
        assert any("/" in group.name for group in groups if len(group.grades) > 1)
        assert all(group.teachers.count() == 1 for group in groups)
        # Every pupil still at school sits in exactly one group this school year.
        placed = pupils.annotate(
            n=Count("placements", filter=Q(placements__group__school_year=current_year), distinct=True)
        ).values_list("n", flat=True)
        assert set(placed) == {1}


def test_dates_of_birth_match_the_group(seeded):
    # 2026-2027: group g holds children born 1 October (2022 - g) .. 30 September (2023 - g);
    # group 1 only those who were four on 1 August 2026 (born by 31 July 2022).
    windows = {g: (dt.date(2022 - g, 10, 1), dt.date(2023 - g, 9, 30)) for g in range(2, 9)}
    windows[1] = (dt.date(2021, 10, 1), dt.date(2022, 7, 31))
    assert windows[5] == (dt.date(2017, 10, 1), dt.date(2018, 9, 30))
    placements = m.GroupPlacement.objects.filter(
        board=seeded, group__school_year__name="2026-2027"
    ).select_related("pupil", "group")
    assert placements.count() > 850
    for placement in placements:
        earliest = windows[max(placement.group.grades)][0]
        latest = windows[min(placement.group.grades)][1]
        assert earliest <= placement.pupil.date_of_birth <= latest, (placement.group.name, placement.pupil_id)
        assert placement.starts_on == dt.date(2026, 8, 1)
        assert placement.ends_on is None


def test_last_years_group_8_left_and_one_provisional_leaver_per_school(seeded):
    for school in m.School.objects.filter(board=seeded):
        left = m.Enrolment.objects.filter(school=school, left_confirmed=True)
        assert 16 <= left.count() <= 21
        assert set(left.values_list("left_on", flat=True)) == {dt.date(2026, 7, 31)}
        provisional = m.Enrolment.objects.get(school=school, left_on__isnull=False, left_confirmed=False)
        assert dt.date(2026, 11, 4) <= provisional.left_on <= dt.date(2026, 11, 22)


def test_parents_separated_shielded_and_without_gezag(seeded):
    guardians = m.Guardian.objects.filter(board=seeded)
    assert guardians.filter(address_shielded=True).count() == 1
    no_gezag = m.PupilGuardian.objects.filter(board=seeded, has_gezag=False)
    assert no_gezag.values("guardian").distinct().count() == 1
    for link in no_gezag:
        # The child still has a parent with gezag.
        assert m.PupilGuardian.objects.filter(pupil=link.pupil_id, has_gezag=True).exists()
    assert all(
        g.postcode[:4] in {"2771", "2772", "2773", "2741", "2742", "2743"}
        and g.city in {"Boskoop", "Waddinxveen"}
        for g in guardians
    )
    # Separated parents: both with gezag, at two different addresses.
    separated = 0
    for pupil in m.Pupil.objects.filter(board=seeded).prefetch_related("guardian_links__guardian"):
        with_gezag = [link.guardian for link in pupil.guardian_links.all() if link.has_gezag]
        assert with_gezag, pupil.pk
        if len(with_gezag) == 2 and with_gezag[0].street != with_gezag[1].street:
            separated += 1
    assert separated >= 20
    names = " ".join(m.Pupil.objects.filter(board=seeded).values_list("roepnaam", flat=True))
    assert any(ch in names for ch in "ëïé")  # Dutch diacritics


def test_one_user_per_role_per_school_and_the_board_users(seeded):
    for school in m.School.objects.filter(board=seeded):
        roles = set(m.Membership.objects.filter(school=school).values_list("role", flat=True))
        assert roles == set(m.SCHOOL_ROLES), school.name
        director = m.Membership.objects.get(school=school, role=m.Role.DIRECTOR).user
        assert school.meldcode_final_responsible == director
        assert school.antibullying_coordinator is not None
        assert school.contact_person is not None
        assert school.attendance_office and school.partnership
        kinds = dict(school.social_map.values_list("kind", "phone"))
        assert kinds[m.SocialMapKind.VEILIG_THUIS] == "0800-2000"
        assert {
            m.SocialMapKind.GGD,
            m.SocialMapKind.CJG,
            m.SocialMapKind.NEIGHBOURHOOD_TEAM,
            m.SocialMapKind.SOCIAL_WORK,
            m.SocialMapKind.POLICE,
            m.SocialMapKind.ATTENDANCE,
        } <= set(kinds)
    board_roles = dict(
        m.Membership.objects.filter(board=seeded, school=None).values_list("user__username", "role")
    )
    assert board_roles == {
        "bestuur": m.Role.BOARD,
        "fg": m.Role.PRIVACY_OFFICER,
        "beheerder": m.Role.FUNCTIONAL_ADMIN,
    }
    teacher = User.objects.get(username="leerkracht.regenboog")
    assert list(
        teacher.teaching_groups.filter(school_year__name="2026-2027").values_list("name", flat=True)
    ) == ["5"]


def test_demo_users_password_totp_and_backup_codes(seeded):
    users = list(User.objects.filter(is_demo=True))
    assert len(users) == User.objects.count() > 80
    now = time.time()
    for user in users:
        assert user.is_active and user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)  # raises if a validator refuses it
        # The secret is the published derivation: HMAC-SHA256 of the username, first 20 bytes.
        key = hmac.new(DEMO_SECRET_CONSTANT, b"totp:" + user.username.encode(), hashlib.sha256).digest()[:20]
        assert demo_totp_key(user.username) == key
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert device.verify_token(rfc6238(key, now)), user.username
        tokens = sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        assert tokens == sorted(demo_backup_codes(user.username))
    backup = StaticDevice.objects.get(user__username="fg")
    assert backup.verify_token(demo_backup_codes("fg")[3])
    assert not backup.verify_token(demo_backup_codes("fg")[3])  # used once


def test_demo_otp_prints_a_code_that_verifies(seeded):
    out = io.StringIO()
    call_command("demo_otp", "Leerkracht.Regenboog", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="leerkracht.regenboog")
    assert device.verify_token(code)


def test_demo_otp_never_prints_a_real_accounts_code(seeded):
    real = f.UserFactory(username="echte.leerkracht")
    TOTPDevice.objects.create(user=real, name="LEV", confirmed=True)
    with pytest.raises(CommandError, match="no demo account"):
        call_command("demo_otp", "echte.leerkracht")


def test_demo_logins_puts_the_five_starters_first(seeded):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    start = lines.index("To start:")
    assert [line.split()[0] for line in lines[start + 1 : start + 6]] == STARTERS
    assert lines[start + 6] == ""
    text = out.getvalue()
    assert DEMO_PASSWORD in lines[0]
    assert "otpauth://totp/LEV%3Adirecteur.kwekerij?secret=" in text
    assert " ".join(demo_backup_codes("vertrouwenspersoon.veenhof")) in text
    assert text.count("otpauth://") == User.objects.filter(is_demo=True).count()


def test_remove_demo_users_deactivates_them_and_ends_their_sessions(seeded, settings):
    real = f.UserFactory(username="echte.directeur")
    demo = User.objects.get(username="directeur.regenboog")
    client = signed_in_client(demo)
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    settings.DEMO_ALLOWED = False
    assert [e.id for e in check_no_demo_users(None)] == ["lev.E008"]

    out = io.StringIO()
    call_command("remove_demo_users", stdout=out)

    demo_count = User.objects.filter(is_demo=True).count()
    assert f"Deactivated {demo_count} demo account(s)" in out.getvalue()
    assert not User.objects.filter(is_demo=True, is_active=True).exists()
    assert User.objects.get(pk=real.pk).is_active
    assert not Session.objects.filter(session_key=session_key).exists()
    assert AuditEvent.objects.filter(action="user_deactivated").count() == demo_count
    assert check_no_demo_users(None) == []
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_seeding_twice_on_another_day_adds_no_deadlines(demo_allowed):
    demo_seed(now=SEED_AT)
    later = demo_seed(now=SEED_AT + dt.timedelta(days=9))
    assert later.created.get("deadlines") == 0
    assert later.created.get("school_calendars") == 0
    assert later.created.get("school_closures") == 0
    assert Deadline.objects.count() == 13 + 8 + ESCALATION_DEADLINES + MELDCODE_DEADLINES
    assert (
        AuditEvent.objects.filter(action="deadline_opened").count()
        == 13 + 8 + ESCALATION_DEADLINES + MELDCODE_DEADLINES
    )


def test_demo_deadlines_per_school_and_for_the_board(seeded):
    regenboog = m.School.objects.get(brin="99AA")
    director = User.objects.get(username="directeur.regenboog")
    rows = Deadline.objects.filter(school=regenboog, subject_type="schools.school").order_by("rule_code")
    assert [(d.rule_code, d.visibility, d.status) for d in rows] == [
        ("evaluatie-omgangsregels", Visibility.SCHOOL, DeadlineStatus.OPEN),
        ("inspectie-melding-schorsing", Visibility.SCHOOL, DeadlineStatus.OPEN),
    ]
    evaluation, inspection = rows
    assert {d.responsible_user for d in rows} == {director}
    assert {d.responsible_role for d in rows} == {m.Role.DIRECTOR}
    # Started Saturday 21 November 2026; two weeks end on Saturday 5 December, which the Atw
    # moves to Monday 7 December. Not overdue on the seeding day.
    assert evaluation.start_on == dt.date(2026, 11, 21)
    assert evaluation.due_on == dt.date(2026, 12, 7)
    assert evaluation.overdue_at > SEED_AT
    # Decided Tuesday 17 November: due that day, late after Wednesday 18 November, overdue from
    # Thursday 19 November 00:00, so the demo shows it as overdue although it is still open.
    assert inspection.start_on == dt.date(2026, 11, 17)
    assert inspection.due_on == dt.date(2026, 11, 17)
    assert inspection.late_after == dt.date(2026, 11, 18)
    assert inspection.overdue_at == dt.datetime(2026, 11, 19, 0, 0, tzinfo=AMSTERDAM)
    assert "Bron:" in inspection.explanation
    # No deadline has a pupil as its subject: a school, or the record the term belongs to.
    assert set(Deadline.objects.values_list("subject_type", flat=True)) == {
        "schools.school",
        "incident_followup",
        "crisis.temporarymeasure",
        "misconduct.misconductreport",
        "escalation.schorsing",
        "escalation.verwijdering",
        "escalation.objection",
        "escalation.gpocase",
        "meldcode.melding",
        "meldcode.helpevaluation",
    }
    per_school = (
        Deadline.objects.filter(visibility=Visibility.SCHOOL, subject_type="schools.school")
        .values("school")
        .annotate(n=Count("pk"))
    )
    assert sorted(row["n"] for row in per_school) == [2] * 6
    board_only = Deadline.objects.get(visibility=Visibility.BOARD_ONLY, subject_type="schools.school")
    assert board_only.rule_code == "beslissing-bezwaar-verwijdering"
    assert board_only.school is None
    assert board_only.board == seeded
    assert board_only.subject_id == str(regenboog.pk)
    assert board_only.responsible_user == User.objects.get(username="bestuur")
    assert board_only.responsible_role == m.Role.BOARD
    # Received Saturday 14 November 2026 (bijzonder: four weeks from receipt): Saturday
    # 12 December, moved by the Atw to Monday 14 December.
    assert board_only.start_on == dt.date(2026, 11, 14)
    assert board_only.due_on == dt.date(2026, 12, 14)


def test_demo_deadlines_show_on_the_lists_of_director_and_board(seeded, settings):
    director = User.objects.get(username="directeur.regenboog")
    board_user = User.objects.get(username="bestuur")
    page = signed_in_client(director).get("/termijnen/").content.decode()
    assert "Melding van een schorsing aan de Inspectie" in page
    assert "Eerste evaluatie van de extra omgangsregels" in page
    assert "Beslissing op bezwaar tegen verwijdering" not in page
    assert page.index("Melding van een schorsing aan de Inspectie") < page.index(
        "Eerste evaluatie van de extra omgangsregels"
    )
    board_page = signed_in_client(board_user).get("/termijnen/").content.decode()
    assert "Beslissing op bezwaar tegen verwijdering" in board_page
    assert "Melding van een schorsing aan de Inspectie" not in board_page


def test_demo_schools_have_region_midden_and_two_study_days(seeded):
    # Seeding on 24 Nov 2026: school year 2026-2027. Mon 5 Oct 2026 and Mon 8 Mar 2027, a day later
    # for each next school; the sixth school's Saturday moves to the Monday after.
    october = [dt.date(2026, 10, d) for d in (5, 6, 7, 8, 9, 12)]
    march = [dt.date(2027, 3, d) for d in (8, 9, 10, 11, 12, 15)]
    for index, brin in enumerate(["99AA", "99AB", "99AC", "99AD", "99AE", "99AF"]):
        school = m.School.objects.get(brin=brin)
        assert SchoolCalendar.objects.get(school=school).region == "midden"
        assert SchoolClosure.objects.filter(school=school, national=True).count() == 28
        study_days = SchoolClosure.objects.filter(school=school, kind="study_day").order_by("first_day")
        assert [(c.first_day, c.last_day, c.national) for c in study_days] == [
            (october[index], october[index], False),
            (march[index], march[index], False),
        ]
    # A region chosen since is kept, and study days are not added twice.
    regenboog = m.School.objects.get(brin="99AA")
    SchoolCalendar.objects.filter(school=regenboog).update(region="noord")
    demo_seed(now=SEED_AT)
    assert SchoolCalendar.objects.get(school=regenboog).region == "noord"
    assert SchoolClosure.objects.filter(kind="study_day").count() == 12


def _deadline(subject, rule_code: str) -> Deadline:
    return Deadline.objects.get(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk), rule_code=rule_code
    )


def test_the_stappenplan_demo(seeded):
    """The dates, counted by hand on De Regenboog's calendar (region midden: autumn holiday
    Saturday 17 - Sunday 25 October 2026, study day Monday 5 October) back from Tuesday
    24 November 2026. School days before the 24th: 1 = Mon 23 Nov, 2 = Fri 20, 6 = Mon 16, 8 = Thu
    12, 10 = Tue 10 Nov, 21 = Mon 26 Oct, 22 = Fri 16 Oct, 23 = Thu 15, 24 = Wed 14, 26 = Mon 12,
    27 = Fri 9, 28 = Thu 8, 29 = Wed 7, 30 = Tue 6 Oct (Mon 5 is the study day), 31 = Fri 2,
    32 = Thu 1 Oct, 33 = Wed 30 Sep, 37 = Thu 24 Sep, 38 = Wed 23 Sep."""
    regenboog = m.School.objects.get(brin="99AA")
    director = User.objects.get(username="directeur.regenboog")
    teacher = User.objects.get(username="leerkracht.regenboog")
    board_user = User.objects.get(username="bestuur")
    episodes = Episode.objects.filter(school=regenboog)
    assert episodes.values("pupil").distinct().count() == 10
    assert Counter(episodes.values_list("state", flat=True)) == {
        "step_1": 1,
        "step_2": 1,
        "step_3": 1,
        "step_4": 2,  # one with a time-out asked for tomorrow
        "step_5": 2,  # the time-out of today; the schorsing waiting for the board
        "step_6": 1,
        "step_7": 2,
    }
    assert not episodes.filter(closed_at__isnull=False).exists()

    # Step 5: today's time-out, asked by the teacher of the pupil's group, approved by the
    # director, the parents phoned, the letter made and not yet submitted. Another one waits for
    # the director: asked for Wednesday 25 November.
    today = TimeOut.objects.get(school=regenboog, first_day=SEED_DAY)
    assert (today.status, today.requested_by, today.decided_by) == (TimeOutStatus.APPROVED, teacher, director)
    assert today.parents_phoned_at is not None and today.last_day == SEED_DAY
    assert (today.letter.kind, today.letter.status) == ("timeout_melding", "draft")
    waiting = TimeOut.objects.get(school=regenboog, status=TimeOutStatus.REQUESTED)
    assert (waiting.first_day, waiting.requested_by) == (dt.date(2026, 11, 25), teacher)
    assert waiting.episode.state == "step_4"

    # Step 6: approved by the board today for Wednesday 25 and Thursday 26 November: two school
    # days, so the Inspectie report is due onverwijld, today, and open.
    decided = Schorsing.objects.get(
        school=regenboog, status=SchorsingStatus.DECIDED, inspectie_reported_on=None
    )
    assert (decided.first_day, decided.last_day) == (dt.date(2026, 11, 25), dt.date(2026, 11, 26))
    assert (decided.authority, decided.board_decided_by, decided.inspectie_needed) == (
        Authority.BOARD,
        board_user,
        True,
    )
    assert decided.episode.state == "step_6"
    assert decided.conversation_invited_on == SEED_DAY and decided.education_arrangements
    assert (decided.letter.kind, decided.letter.status) == ("schorsing_besluit", "draft")
    inspectie = _deadline(decided, "inspectie-melding-schorsing")
    assert (inspectie.status, inspectie.start_on, inspectie.due_on) == (
        DeadlineStatus.OPEN,
        SEED_DAY,
        SEED_DAY,
    )
    assert (inspectie.responsible_role, inspectie.visibility) == (m.Role.DIRECTOR, Visibility.SCHOOL)
    # Waiting for the board: prepared today for Thursday 26 and Friday 27 November.
    submitted = Schorsing.objects.get(school=regenboog, status=SchorsingStatus.SUBMITTED)
    assert (submitted.first_day, submitted.last_day) == (dt.date(2026, 11, 26), dt.date(2026, 11, 27))
    assert submitted.episode.state == "step_5"

    # Step 7, ground 2: after a schorsing approved on 23 September for 24-25 September (reported to
    # the Inspectie on the 24th) and a warning on 30 September, the verwijdering started on 1 October.
    misconduct = Verwijdering.objects.get(school=regenboog, ground=2)
    earlier = Schorsing.objects.get(episode=misconduct.episode)
    assert (earlier.first_day, earlier.last_day, earlier.inspectie_reported_on) == (
        dt.date(2026, 9, 24),
        dt.date(2026, 9, 25),
        dt.date(2026, 9, 24),
    )
    assert _deadline(earlier, "inspectie-melding-schorsing").status == DeadlineStatus.MET
    assert (misconduct.warning_given_on, timezone_day(misconduct.started_at)) == (
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 1),
    )
    assert (
        misconduct.status,
        misconduct.groepsleraar_heard_on,
        misconduct.parents_heard_on,
        misconduct.pupil_heard_on,
        misconduct.decided_on,
        misconduct.authority,
        misconduct.sent_on,
        misconduct.leerplicht_reported_on,
    ) == (
        VerwijderingStatus.DECIDED,
        dt.date(2026, 10, 6),
        dt.date(2026, 10, 7),
        dt.date(2026, 10, 7),
        dt.date(2026, 10, 8),
        Authority.BOARD,
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 9),
    )
    assert misconduct.episode.state == "step_7" and misconduct.approaches.count() == 1
    bezwaar = Objection.objects.get(verwijdering=misconduct)
    assert (bezwaar.posted_on, bezwaar.received_on, bezwaar.decided_on) == (
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 10),
        None,
    )
    # Bijzonder: the board decides within 4 weeks of receipt, Tuesday 8 December; open.
    decision = _deadline(bezwaar, "beslissing-bezwaar-verwijdering")
    assert (decision.status, decision.start_on, decision.due_on, decision.visibility) == (
        DeadlineStatus.OPEN,
        dt.date(2026, 11, 10),
        dt.date(2026, 12, 8),
        Visibility.BOARD_ONLY,
    )
    assert _deadline(misconduct, "leerplicht-melding-verwijdering").status == DeadlineStatus.MET
    assert _deadline(misconduct, "bezwaar-verwijdering").status == DeadlineStatus.MET
    assert not misconduct.gpo_cases.exists()

    # Step 7, ground 1: decided 14 October, sent the 15th; the bezwaar came in on 12 November, the
    # case at the GPO was filed on Monday 16 November (verweer Friday 20 November), so the
    # board's decision term is suspended since the 16th; the GPO's own 10 weeks end on 25 January.
    support = Verwijdering.objects.get(school=regenboog, ground=1)
    assert (support.decided_on, support.sent_on) == (dt.date(2026, 10, 14), dt.date(2026, 10, 15))
    case = support.gpo_cases.get()
    assert (case.filed_on, case.defence_sent_on, case.opinion_on, case.withdrawn_on) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 20),
        None,
        None,
    )
    pending = Objection.objects.get(verwijdering=support)
    assert (pending.received_on, pending.decided_on) == (dt.date(2026, 11, 12), None)
    suspended = _deadline(pending, "beslissing-bezwaar-verwijdering")
    assert (suspended.status, suspended.start_on, suspended.suspended_since) == (
        DeadlineStatus.SUSPENDED,
        dt.date(2026, 11, 12),
        dt.date(2026, 11, 16),
    )
    gpo = _deadline(case, "gpo-oordeel")
    assert (gpo.status, gpo.due_on) == (DeadlineStatus.OPEN, dt.date(2027, 1, 25))

    # Every step and measure wrote its dossier entry: 10 episodes opened + 16 steps; time-outs 5
    # asked + 4 approved + 4 calls; schorsingen 3 prepared + 2 approved + 1 Inspectie report + 1
    # invitation; verwijderingen 2 x (start, rapport, 3 hearings, decision, leerplicht, sending,
    # bezwaar) + 1 school approached + the GPO case and its verweer.
    from lev.dossier.models import DossierEntry

    kinds = Counter(
        DossierEntry.objects.filter(
            school=regenboog, kind__in=["escalation_step", "timeout", "schorsing", "verwijdering"]
        ).values_list("kind", flat=True)
    )
    assert kinds == {
        "escalation_step": 10 + 16,
        "timeout": 5 + 4 + 4,
        "schorsing": 3 + 2 + 1 + 1,
        "verwijdering": 2 * 9 + 1 + 2,
    }


def timezone_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


def test_the_stappenplan_demo_on_the_lists_of_director_and_board(seeded):
    regenboog = m.School.objects.get(brin="99AA")
    director = User.objects.get(username="directeur.regenboog")
    board_user = User.objects.get(username="bestuur")
    decided = Schorsing.objects.get(
        school=regenboog, status=SchorsingStatus.DECIDED, inspectie_reported_on=None
    )
    inspectie = _deadline(decided, "inspectie-melding-schorsing")
    mine = signed_in_client(director).get(reverse("deadlines:mine"))
    assert mine.status_code == 200
    assert reverse("deadlines:detail", args=[inspectie.pk]) in mine.content.decode()

    submitted = Schorsing.objects.get(school=regenboog, status=SchorsingStatus.SUBMITTED)
    misconduct = Verwijdering.objects.get(school=regenboog, ground=2)
    support = Verwijdering.objects.get(school=regenboog, ground=1)
    board = signed_in_client(board_user)
    page = board.get(reverse("escalation:board_decisions"))
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("escalation:board_schorsing", args=[submitted.pk]) in text
    assert reverse("escalation:board_verwijdering", args=[misconduct.pk]) in text
    assert reverse("escalation:board_verwijdering", args=[support.pk]) in text
    decision = _deadline(Objection.objects.get(verwijdering=misconduct), "beslissing-bezwaar-verwijdering")
    board_mine = board.get(reverse("deadlines:mine")).content.decode()
    assert reverse("deadlines:detail", args=[decision.pk]) in board_mine
    assert reverse("deadlines:detail", args=[inspectie.pk]) not in board_mine
