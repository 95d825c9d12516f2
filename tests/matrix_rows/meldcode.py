"""Permission-matrix rows of the Meldcode (meldcode/case_urls.py and meldcode/report_urls.py; access
rules in meldcode/permissions.py).

A case's existence is itself confidential: whoever may not open a case gets 404, the same answer as
for a case that does not exist — the school's teacher, staff and confidant, and the board-wide roles.

- The case list: every school member (teacher_b too, at school B); the board-wide roles 404 (they
  hold no school; the board sees no case). Each 200 is one logged read of the list.
- Opening a case (a pupil in the URL): the school's care coordinator, director and deputy; the
  school's other roles 403; the board-wide roles and another school's pupil 404 (teacher_b, a
  teacher at school B, gets 403 there as teacher_a does at home). Each 200 is one logged read of
  the pupil's file; an empty POST shows the form again with its errors (200) and opens nothing.
- The case page and every page and action of a case: the case manager (ib_a), the director and
  the deputy (school A has no eindverantwoordelijke); everyone else 404. Every other board's case
  404 for all (it is managed by a care coordinator of school B who is not a persona). Every 200 is
  one logged read of the case; a refusal is logged as refused, so it adds no granted row.
- The actions take POST only (GET 405). An empty POST records nothing: the form or the case page is
  shown again with its errors (200). Revoking access answers with a redirect to the case page (302)
  whether or not the person still had a grant. Handing the case to another case manager is for the
  director and the deputy: the case manager gets 403 (after a granted read of the case, so that row
  counts no reads).
- The Rapportage Meldcode of a case: read and written by the case manager, the director and the
  deputy; an empty POST shows the form with its errors (200).
- The school's yearly bundle: the director, deputy and care coordinator of the school; the board's
  anonymised bundle: the board members of the school's board; everyone else 404. The PDF of the
  school year 2025-2026 holds the one case of the school, so each download is one logged read.

The case in these rows is opened through `meldcode.services` from a signal recorded through the
logboek's service, and walked through the services as in tests/meldcode/conftest.py `walk_to`
("melded"), and then the help recorded: steps 1-5 (melden and hulp), the melding made, the help with
its first evaluation planned, so that every melding and evaluation URL has its object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from tests.conftest import World
from tests.matrix_kit import BOARD_WIDE, SIGNED_IN, Method, Row, everyone, fixed, only

AMS = ZoneInfo("Europe/Amsterdam")
SIGNAL_AT = dt.datetime(2026, 4, 20, 9, 30, tzinfo=AMS)  # Mon 20 Apr 2026
NOW = dt.datetime(2026, 4, 24, 10, 0, tzinfo=AMS)  # Fri 24 Apr 2026
MELDED_AT = dt.datetime(2026, 4, 24, 11, 0, tzinfo=AMS)
AFTER_MELDING = dt.datetime(2026, 4, 24, 12, 0, tzinfo=AMS)
YEAR_START = dt.date(2025, 8, 1)  # the school year 2025-2026, in which the case was opened

CASE_ROLES = {"ib_a": 200, "director_a": 200, "deputy_a": 200}
POST_ONLY = {"GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))}

STEP_CONTENT: dict[int, dict[str, str]] = {
    1: {"history": "Matrix test.", "signals": "Matrix test.", "kindcheck": "Matrix test."},
    2: {"consulted": "Matrix test.", "advice": "Matrix test."},
    3: {"participants": "Matrix test.", "discussed": "Matrix test.", "agreements": "Matrix test."},
    4: {"weighing_questions": "Matrix test."},
    5: {"reasons": "Matrix test."},
}


def _member(world: World, username: str, role: str):
    """A user with ROLE at school B who is not a persona (made once)."""
    from lev.accounts.models import User
    from lev.schools.models import Membership
    from tests import factories as f

    user = User.objects.filter(username=username).first() or f.UserFactory(username=username)
    Membership.objects.get_or_create(
        user=user,
        board=world.school_b.board,
        school=world.school_b,
        role=role,
        defaults={"active_from": dt.date(2020, 1, 1)},
    )
    return user


def _people(world: World, own: bool):
    """The school, pupil, signalling teacher, case manager and decider of step 5."""
    from lev.schools.models import Role

    if own:
        return world.school_a, world.pupil_a, world.teacher_a, world.ib_a, world.director_a
    return (
        world.school_b,
        world.pupil_b,
        world.teacher_b,
        _member(world, "matrix_meldcode_ib_b", Role.CARE_COORDINATOR),
        _member(world, "matrix_meldcode_director_b", Role.DIRECTOR),
    )


def _signal(pupil, teacher):
    """A signal about PUPIL by TEACHER through the logboek's service (as tests/meldcode/conftest.py)."""
    from incidents.models import SignalSource
    from incidents.signal_services import signal_record
    from lev.schools.models import Enrolment

    Enrolment.objects.get_or_create(
        pupil=pupil, school=pupil.school, defaults={"board": pupil.board, "enrolled_on": YEAR_START}
    )
    return signal_record(
        school=pupil.school,
        pupils=[pupil],
        happened_at=SIGNAL_AT,
        location="Klaslokaal",
        description="Matrix test.",
        source=SignalSource.OBSERVED,
        actor=teacher,
        now=SIGNAL_AT,
    )


def matrix_case(world: World, own: bool):
    """The case about pupil_a (own) or pupil_b (other), walked to a melding and organised help."""
    from meldcode import services as s
    from meldcode.models import MeldcodeCase

    school, pupil, teacher, manager, decider = _people(world, own)
    case = MeldcodeCase.objects.filter(school=school).first()
    if case is not None:
        return case
    case = s.case_open(
        pupil=pupil, signals=[_signal(pupil, teacher)], reason="Matrix test.", actor=manager, now=NOW
    )
    for step in (1, 2, 3):
        extra = {"veilig_thuis_advice": "anonymous"} if step == 2 else {}
        s.step_record(
            case=case,
            step=step,
            recorded_on=NOW.date(),
            content=STEP_CONTENT[step],
            actor=manager,
            now=NOW,
            **extra,
        )
    for _answer in range(2):  # q1 yes, q2 yes: melden
        s.question_answer(
            case=case,
            question=s.decision_for(case).next_question,
            answer=True,
            reasoning="Matrix test.",
            answered_on=NOW.date(),
            with_veilig_thuis=False,
            actor=manager,
            now=NOW,
        )
    s.step_record(case=case, step=4, recorded_on=NOW.date(), content=STEP_CONTENT[4], actor=manager, now=NOW)
    s.step_record(
        case=case,
        step=5,
        recorded_on=NOW.date(),
        content=STEP_CONTENT[5],
        actor=manager,
        now=NOW,
        decision_melden=True,
        decision_hulp=True,
        decided_by=decider,
    )
    s.melding_record(
        case=case,
        melded_at=MELDED_AT,
        reference="VT-MATRIX",
        identity_shield=True,
        parents_informed_on=NOW.date(),
        parents_not_informed_reason="",
        filed_by=manager,
        actor=manager,
        now=AFTER_MELDING,
    )
    s.help_record(
        case=case,
        description="Matrix test.",
        partner=None,
        partner_other="Wijkteam",
        starts_on=NOW.date(),
        evaluate_on=dt.date(2026, 6, 15),
        actor=manager,
        now=AFTER_MELDING,
    )
    return case


def case_url(suffix: str = "") -> Callable[[World, bool], str]:
    return lambda world, own: f"/meldcode/{matrix_case(world, own).pk}/{suffix}"


def melding_url(world: World, own: bool) -> str:
    case = matrix_case(world, own)
    return f"/meldcode/{case.pk}/melding/{case.meldingen.get().pk}/terugkoppeling/"


def evaluation_url(world: World, own: bool) -> str:
    from meldcode.models import HelpEvaluation

    case = matrix_case(world, own)
    return f"/meldcode/{case.pk}/evaluatie/{HelpEvaluation.objects.get(help__case=case).pk}/"


def revoke_url(world: World, own: bool) -> str:
    """Revoking the grant of a teacher of school A who is not a persona (given once, by the case
    manager); for school B's case, teacher_b, who holds no grant."""
    from lev.accounts.models import User
    from lev.schools.models import Membership, Role
    from meldcode import services as s
    from tests import factories as f

    case = matrix_case(world, own)
    if not own:
        return f"/meldcode/{case.pk}/toegang/{world.teacher_b.pk}/intrekken/"
    user = User.objects.filter(username="matrix_meldcode_granted").first()
    if user is None:
        user = f.UserFactory(username="matrix_meldcode_granted")
        Membership.objects.create(
            user=user,
            board=world.board,
            school=world.school_a,
            role=Role.TEACHER,
            active_from=dt.date(2020, 1, 1),
        )
        s.access_grant(case=case, user=user, actor=world.ib_a, now=NOW)
    return f"/meldcode/{case.pk}/toegang/{user.pk}/intrekken/"


def pupil_url(world: World, own: bool) -> str:
    return f"/meldcode/nieuw/{(world.pupil_a if own else world.pupil_b).pk}/"


def bundle_url(prefix: str) -> Callable[[World, bool], str]:
    """The PDF of the school year 2025-2026 of school A (own) or school B (other board), which holds
    the school's one case."""

    def url(world: World, own: bool) -> str:
        from tests import factories as f

        school = world.school_a if own else world.school_b
        matrix_case(world, own)
        year = f.SchoolYearFactory(board=school.board, starts_on=YEAR_START)
        return f"/meldcode/{prefix}{school.pk}/{year.pk}/pdf/"

    return url


def case_people(status: int = 200) -> dict[str, int]:
    return only(dict.fromkeys(CASE_ROLES, status), others=404)


def case_post(url: Callable[[World, bool], str], status: int = 200, *, sensitive: bool = True) -> Row:
    return Row(url, POST_ONLY | {"POST": Method(case_people(status))}, sensitive=sensitive)


def case_form(url: Callable[[World, bool], str]) -> Row:
    return Row(url, {"GET": Method(case_people()), "POST": Method(case_people())}, sensitive=True)


OPENERS = only(CASE_ROLES, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)
BOARD = only({"board_member": 200}, others=404)

ROWS: dict[str, Row] = {
    "meldcode:case_list": Row(
        fixed("/meldcode/"), {"GET": Method(everyone(200) | dict.fromkeys(BOARD_WIDE, 404))}, sensitive=True
    ),
    "meldcode:case_open": Row(pupil_url, {"GET": Method(OPENERS), "POST": Method(OPENERS)}, sensitive=True),
    "meldcode:case_detail": Row(case_url(), {"GET": Method(case_people())}, sensitive=True),
    "meldcode:step_record": case_form(case_url("stap/1/")),
    "meldcode:conversation_skip": case_form(case_url("stap/3/overslaan/")),
    "meldcode:question_answer": case_post(case_url("afweging/")),
    "meldcode:melding_record": case_form(case_url("melding/")),
    "meldcode:feedback_record": case_post(melding_url),
    "meldcode:information_request": case_form(case_url("informatieverzoek/")),
    "meldcode:help_record": case_form(case_url("hulp/")),
    "meldcode:evaluation_record": case_post(evaluation_url),
    "meldcode:related_pupil_add": case_post(case_url("leerling/")),
    "meldcode:access_grant": case_post(case_url("toegang/")),
    # A redirect, also after a logged read: the 302s count no reads.
    "meldcode:access_revoke": case_post(revoke_url, 302, sensitive=False),
    # The case manager may read the case (a granted read) but not hand it on (403).
    "meldcode:case_manager_set": Row(
        case_url("casemanager/"),
        POST_ONLY | {"POST": Method(only({"director_a": 200, "deputy_a": 200, "ib_a": 403}, others=404))},
    ),
    "meldcode:case_close": case_post(case_url("sluiten/")),
    "meldcode:report_edit": case_form(case_url("rapportage/")),
    "meldcode:bundle": Row(fixed("/meldcode/bundel/"), {"GET": Method(case_people())}),
    "meldcode:bundle_pdf": Row(bundle_url("bundel/"), {"GET": Method(case_people())}, sensitive=True),
    "meldcode:board_bundle": Row(fixed("/meldcode/bundel/bestuur/"), {"GET": Method(BOARD)}),
    "meldcode:board_bundle_pdf": Row(bundle_url("bundel/bestuur/"), {"GET": Method(BOARD)}, sensitive=True),
}
