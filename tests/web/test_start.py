"""Start pages per role: each persona sees its own sections, with data of its own school/board only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lev.audit.services import read
from lev.schools import models as m
from tests import factories as f
from tests.conftest import World, signed_in_client
from tests.i18n_helpers import h, t, tn

# Planted at school B (another board): none of it may appear on school A's start pages.
CANARY_PUPIL = ("Quirijn", "Zonderland")
CANARY_GROUP = "Zuidvleugel"
CANARY_USER = "canary.vuurtoren"

SECTIONS = {
    "teacher_a": ["my_groups", "follow_ups"],
    "staff_a": ["my_signals"],
    "ib_a": ["follow_ups", "school_overview", "signals_to_read"],
    "director_a": ["approvals", "school_leavers", "school_overview", "signals_to_read"],
    "deputy_a": ["approvals", "school_leavers", "school_overview", "signals_to_read"],
    "confidant_a": ["my_conversations"],
    "board_member": ["approvals", "board_schools"],
    "privacy_officer": ["access_log"],
    "functional_admin": ["accounts_without_2fa", "board_leavers", "board_schools"],
}
ALL_SECTIONS = {key for keys in SECTIONS.values() for key in keys}


def group(name: str) -> str:
    return t("Group %(name)s", name=name)


def pupils(n: int) -> str:
    return tn("%(count)s pupil", "%(count)s pupils", n, count=n)


def groups(n: int) -> str:
    return tn("%(count)s group", "%(count)s groups", n, count=n)


def without_2fa(n: int) -> str:
    return tn(
        "%(count)s account has not set up two-factor sign-in yet.",
        "%(count)s accounts have not set up two-factor sign-in yet.",
        n,
        count=n,
    )


def sections_on(html: str) -> list[str]:
    return re.findall(r'<h2 class="h5 mb-0" id="section-([a-z0-9_]+)"', html)


def section(html: str, key: str) -> str:
    start = html.index(f'id="section-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def planted(world: World) -> World:
    # School A: a provisional leaver (pupil_a_other) and Anna's ordinary enrolment.
    m.Enrolment.objects.create(
        board=world.board, school=world.school_a, pupil=world.pupil_a, enrolled_on=dt.date(2020, 8, 20)
    )
    m.Enrolment.objects.create(
        board=world.board,
        school=world.school_a,
        pupil=world.pupil_a_other,
        enrolled_on=dt.date(2020, 8, 20),
        left_on=dt.date(2026, 11, 13),
    )
    # School B: a provisional leaver, a group and an account without two-factor sign-in.
    canary = f.PupilFactory(school=world.school_b, roepnaam=CANARY_PUPIL[0], achternaam=CANARY_PUPIL[1])
    m.Enrolment.objects.create(
        board=world.school_b.board,
        school=world.school_b,
        pupil=canary,
        enrolled_on=dt.date(2019, 8, 20),
        left_on=dt.date(2026, 11, 12),
    )
    group = f.GroupFactory(school=world.school_b, name=CANARY_GROUP, grades=[7])
    group.teachers.add(world.teacher_b)
    f.place(canary, group)
    user = f.UserFactory(username=CANARY_USER)
    f.MembershipFactory(user=user, school=world.school_b, board=world.school_b.board, role=m.Role.DIRECTOR)
    # School B's access log.
    read(user=world.teacher_b, obj=world.pupil_b, pupil_id=world.pupil_b.pk, role="teacher")
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(SECTIONS))
def test_each_persona_sees_its_sections_and_nothing_of_another_board(planted, persona):
    response = signed_in_client(getattr(planted, persona)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert sections_on(html) == SECTIONS[persona]
    for key in ALL_SECTIONS - set(SECTIONS[persona]):
        assert f'id="section-{key}"' not in html
    for canary in (*CANARY_PUPIL, CANARY_GROUP, CANARY_USER, "De Vuurtoren", "Stichting Anders", "teacher_b"):
        assert canary not in html, canary


@pytest.mark.django_db
def test_teacher_sees_own_groups_with_pupil_counts(planted):
    extra = f.PupilFactory(school=planted.school_a, roepnaam="Daan", achternaam="Smit")
    f.place(extra, planted.group_a)
    gone = f.PupilFactory(school=planted.school_a, roepnaam="Evi", achternaam="Kok")
    f.place(gone, planted.group_a, starts_on=dt.date(2019, 1, 7))
    m.GroupPlacement.objects.filter(pupil=gone).update(ends_on=dt.date(2019, 6, 28))  # ended long ago
    html = signed_in_client(planted.teacher_a).get("/").content.decode()
    mine = section(html, "my_groups")
    assert f'href="/leerlingen/">{h(group("5a"))}</a>' in mine
    assert h(pupils(2)) in mine
    assert "6a" not in mine  # group_a2 is not hers
    assert h(t("Signals and steps you need to follow up appear here.")) in section(html, "follow_ups")
    # No names of pupils on the teacher's start page.
    assert "Anna" not in html and "Daan" not in html


@pytest.mark.django_db
def test_teacher_without_a_group_is_told_how_to_get_one(planted):
    planted.group_a.teachers.clear()
    html = signed_in_client(planted.teacher_a).get("/").content.decode()
    empty = t(
        "You are not linked to a group this school year. The functional administrator links "
        "teachers to their groups."
    )
    assert h(empty) in section(html, "my_groups")


@pytest.mark.django_db
def test_teacher_b_sees_own_school_and_not_school_a(planted):
    html = signed_in_client(planted.teacher_b).get("/").content.decode()
    assert h(group(CANARY_GROUP)) in section(html, "my_groups")
    assert "5b" in html
    assert h(group("5a")) not in html and "De Regenboog" not in html


@pytest.mark.django_db
def test_director_sees_school_counts_and_provisional_leavers(planted):
    html = signed_in_client(planted.director_a).get("/").content.decode()
    overview = section(html, "school_overview")
    assert "De Regenboog" in overview
    assert h(pupils(2)) in overview and h(groups(2)) in overview
    leavers = section(html, "school_leavers")
    assert f'href="/leerlingen/{planted.pupil_a_other.pk}/">Bram de Vries</a>' in leavers
    assert h(t("left on %(date)s according to the import", date="13-11-2026")) in leavers
    assert "Anna Jansen" not in leavers
    empty = t("Time-outs, letters and other decisions that need your approval appear here.")
    assert h(empty) in section(html, "approvals")


@pytest.mark.django_db
def test_confirmed_leaver_is_no_longer_listed_or_counted(planted):
    m.Enrolment.objects.filter(pupil=planted.pupil_a_other).update(
        left_on=dt.date(2020, 9, 1), left_confirmed=True
    )
    html = signed_in_client(planted.director_a).get("/").content.decode()
    assert "Bram" not in html
    empty = t(
        "When an import reports that a pupil has left, the pupil appears here until someone confirms "
        "the leaving date."
    )
    assert h(empty) in section(html, "school_leavers")
    assert f"— {h(pupils(1))}<" in section(html, "school_overview").replace("</span>", "<")


@pytest.mark.django_db
def test_board_sees_schools_with_counts_and_no_pupil_names(planted):
    other = f.SchoolFactory(board=planted.board, name="De Klimop", city="Waddinxveen")
    fenna = f.PupilFactory(school=other, roepnaam="Fenna", achternaam="Bos")
    m.Enrolment.objects.create(board=other.board, school=other, pupil=fenna, enrolled_on=dt.date(2021, 8, 20))
    f.PupilFactory(school=other, roepnaam="Zonder", achternaam="Inschrijving")  # never enrolled: not counted
    html = signed_in_client(planted.board_member).get("/").content.decode()
    schools = section(html, "board_schools")
    assert h(t("Schools of %(board)s", board="Stichting Test")) in schools
    assert "De Regenboog" in schools and h(f"{pupils(2)}, {groups(2)}") in schools
    assert "De Klimop" in schools and h(f"Waddinxveen, {pupils(1)}, {groups(0)}") in schools
    for name in ("Anna", "Bram", "Fenna", "Jansen"):
        assert name not in html


@pytest.mark.django_db
def test_board_start_page_queries_do_not_grow_with_the_number_of_schools(planted):
    client = signed_in_client(planted.board_member)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(4):
        school = f.SchoolFactory(board=planted.board, name=f"Extra {n}")
        f.place(f.PupilFactory(school=school), f.GroupFactory(school=school))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert "Extra 3" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_privacy_officer_sees_access_log_counts_of_own_board(planted):
    now = timezone.now()
    read(user=planted.teacher_a, obj=planted.pupil_a, pupil_id=planted.pupil_a.pk, role="teacher", now=now)
    read(user=planted.director_a, obj=planted.pupil_a, pupil_id=planted.pupil_a.pk, role="director", now=now)
    read(
        user=planted.staff_a,
        obj=planted.pupil_a_other,
        pupil_id=planted.pupil_a_other.pk,
        role="staff",
        granted=False,
        now=now,
    )
    # Eight days ago: outside the last seven days.
    read(
        user=planted.teacher_a,
        obj=planted.pupil_a,
        pupil_id=planted.pupil_a.pk,
        role="teacher",
        now=now - dt.timedelta(days=8),
    )
    html = signed_in_client(planted.privacy_officer).get("/").content.decode()
    log = section(html, "access_log")
    assert h(tn("Access log, last %(days)s day", "Access log, last %(days)s days", 7, days=7)) in log
    assert h(tn("%(count)s read of a record", "%(count)s reads of records", 3, count=3)) in log
    by = tn("by %(count)s person", "by %(count)s people", 3, count=3)
    about = tn("about %(count)s pupil", "about %(count)s pupils", 2, count=2)
    assert h(f"{by}, {about}") in log
    assert h(tn("%(count)s refused", "%(count)s refused", 1, count=1)) in log
    # No pupil's name (user names are random and may share a first name, so full names are checked).
    assert planted.pupil_a.full_name not in html and planted.pupil_a_other.full_name not in html


@pytest.mark.django_db
def test_privacy_officer_empty_access_log_says_what_appears(planted):
    html = signed_in_client(planted.privacy_officer).get("/").content.decode()
    empty = t(
        "Nobody opened a pupil's record in this period. Every read of a pupil's record is logged "
        "and counted here."
    )
    assert h(empty) in section(html, "access_log")


@pytest.mark.django_db
def test_functional_admin_sees_accounts_without_2fa_and_leavers_of_own_board(planted):
    client = signed_in_client(planted.functional_admin)  # gives the admin a confirmed device
    signed_in_client(planted.director_a)  # and the director
    html = client.get("/").content.decode()
    accounts = section(html, "accounts_without_2fa")
    # teacher_a, staff_a, ib_a, deputy_a, confidant_a, board_member, privacy_officer; not the
    # deactivated account, not the two with a device, not the other board's accounts.
    assert h(without_2fa(7)) in accounts
    for username in (
        "teacher_a",
        "staff_a",
        "ib_a",
        "deputy_a",
        "confidant_a",
        "board_member",
        "privacy_officer",
    ):
        assert f"— {username}<" in accounts.replace("</span>", "<")
    for username in ("director_a", "functional_admin", "deactivated", "teacher_b", CANARY_USER):
        assert f"— {username}<" not in accounts.replace("</span>", "<")
    leavers = section(html, "board_leavers")
    left = t("%(school)s, left on %(date)s according to the import", school="De Regenboog", date="13-11-2026")
    assert "Bram de Vries" in leavers and h(left) in leavers
    # Each leaver links to the page where the administrator confirms the date.
    assert f'href="/beheer/import/vertrokken/?school={planted.school_a.pk}"' in leavers
    assert "De Regenboog" in section(html, "board_schools")


@pytest.mark.django_db
def test_long_lists_are_cut_off_with_a_count(planted):
    for n in range(17):
        user = f.UserFactory(username=f"new{n:02d}")
        f.MembershipFactory(user=user, school=planted.school_a, board=planted.board, role=m.Role.TEACHER)
    html = signed_in_client(planted.functional_admin).get("/").content.decode()
    accounts = section(html, "accounts_without_2fa")
    # 8 persona accounts + 17 new ones = 25; 15 names shown, then "and 10 more".
    assert h(without_2fa(25)) in accounts
    assert h(tn("and %(count)s more", "and %(count)s more", 10, count=10)) in accounts
    assert accounts.count("<li") == 1 + 15 + 1


@pytest.mark.django_db
def test_user_without_roles_is_told_to_ask_for_one(db):
    user = f.UserFactory(username="nieuw")
    html = signed_in_client(user).get("/").content.decode()
    no_role = t("You have no role at a school or board yet. Ask your functional administrator to add you.")
    assert h(no_role) in html
