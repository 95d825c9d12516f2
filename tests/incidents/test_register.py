"""The incident register page and its selectors: who sees which incidents, the filters, the counts
per month and category, pagination, and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents import register_views
from incidents.models import Incident, IncidentAttachment, IncidentPupil
from incidents.register_selectors import (
    RegisterFilters,
    period_starts,
    register_counts,
    register_rows,
    register_scope,
)
from lev.schools.access import build_access_context
from tests import factories as f
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t, tn

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 24)
REGISTER = "/incidentenregister/"
_numbers = itertools.count(1)
ROW = re.compile(r'<tr class="lev-register-row" id="incident-(\d+)"')


def make_incident(
    world,
    *,
    school=None,
    reporter=None,
    recorded_by=None,
    happened_on=dt.date(2026, 9, 15),
    happened_time=None,
    category="pesten",
    severity="minor",
    status="open",
    pupils=(),
    attachments=0,
    staff=(),
    others="",
    description="Tijdens de pauze werd een leerling geduwd.",
    location="Schoolplein",
    number=None,
) -> Incident:
    """An incident written directly with the ORM (the incident service is not what is tested here)."""
    school = school or world.school_a
    reporter = reporter or world.teacher_a
    n = next(_numbers)
    incident = Incident.objects.create(
        board=school.board,
        school=school,
        number=number or f"{happened_on.year}-{n:04d}",
        happened_on=happened_on,
        happened_time=happened_time,
        location=location,
        category=category,
        description=description,
        severity=severity,
        others_involved=others,
        reporter=reporter,
        recorded_by=recorded_by or reporter,
        status=status,
        closed_at=NOW if status == "closed" else None,
        created_at=NOW,
    )
    for pupil, role in pupils:
        IncidentPupil.objects.create(incident=incident, pupil=pupil, role=role)
    for i in range(attachments):
        IncidentAttachment.objects.create(
            incident=incident,
            file=f"incidents/2026/{n}-{i}.pdf",
            original_name=f"verslag-{n}-{i + 1}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=reporter,
            uploaded_at=NOW + dt.timedelta(minutes=i),
        )
    if staff:
        incident.staff_involved.set(staff)
    return incident


def ctx_for(user, school):
    return build_access_context(user, today=TODAY, active_school_id=school.pk)


def numbers(qs) -> set[str]:
    return {incident.number for incident in qs}


def page_ids(response) -> list[int]:
    return [int(pk) for pk in ROW.findall(response.content.decode())]


@pytest.fixture
def scoped(world):
    """Four incidents at school A (by teacher, staff, IB-with-teacher-recording) and one at school B."""
    return {
        "teacher": make_incident(world, reporter=world.teacher_a, number="2026-0001"),
        "staff": make_incident(world, reporter=world.staff_a, number="2026-0002"),
        "recorded": make_incident(
            world, reporter=world.ib_a, recorded_by=world.teacher_a, number="2026-0003"
        ),
        "director": make_incident(world, reporter=world.director_a, number="2026-0004"),
        "other_school": make_incident(
            world, school=world.school_b, reporter=world.teacher_b, number="2026-0001"
        ),
    }


# --- Scope -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("director_a", {"2026-0001", "2026-0002", "2026-0003", "2026-0004"}),
        ("deputy_a", {"2026-0001", "2026-0002", "2026-0003", "2026-0004"}),
        ("ib_a", {"2026-0001", "2026-0002", "2026-0003", "2026-0004"}),
        ("teacher_a", {"2026-0001", "2026-0003"}),
        ("staff_a", {"2026-0002"}),
        ("confidant_a", set()),
    ],
)
def test_rows_are_scoped_by_role(world, scoped, persona, expected):
    user = getattr(world, persona)
    ctx = ctx_for(user, world.school_a)
    rows = register_rows(ctx, world.school_a, filters=RegisterFilters())
    assert numbers(rows) == expected
    assert all(incident.school_id == world.school_a.pk for incident in rows)


def test_scope_names(world):
    assert register_scope(ctx_for(world.director_a, world.school_a), world.school_a) == "school"
    assert register_scope(ctx_for(world.ib_a, world.school_a), world.school_a) == "school"
    assert register_scope(ctx_for(world.teacher_a, world.school_a), world.school_a) == "own"
    assert register_scope(ctx_for(world.staff_a, world.school_a), world.school_a) == "own"
    assert register_scope(ctx_for(world.confidant_a, world.school_a), world.school_a) is None
    assert register_scope(ctx_for(world.board_member, world.school_a), world.school_a) is None
    # A user of another board holds no role at school A.
    assert register_scope(ctx_for(world.teacher_b, world.school_b), world.school_a) is None


def test_director_page_shows_the_whole_school_and_never_another_school(world, scoped):
    response = signed_in_client(world.director_a).get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert set(page_ids(response)) == {scoped[k].pk for k in ("teacher", "staff", "recorded", "director")}
    assert scoped["other_school"].pk not in page_ids(response)
    assert f'<h1 class="h3 mb-1">{t("Incident register")}</h1>' in html
    assert "no-store" in response["Cache-Control"]


def test_teacher_page_is_titled_my_incidents_and_shows_only_their_own(world, scoped):
    response = signed_in_client(world.teacher_a).get(REGISTER)
    assert response.status_code == 200
    assert set(page_ids(response)) == {scoped["teacher"].pk, scoped["recorded"].pk}
    html = response.content.decode()
    assert f'<h1 class="h3 mb-1">{t("My incidents")}</h1>' in html
    # No MR version for a teacher's own list.
    assert "voor=mr" not in html


def test_outsider_sees_only_their_own_school(world, scoped):
    response = signed_in_client(world.teacher_b).get(REGISTER)
    assert page_ids(response) == [scoped["other_school"].pk]


@pytest.mark.parametrize("persona", ["board_member", "privacy_officer", "functional_admin", "confidant_a"])
def test_roles_without_incidents_get_403(world, scoped, persona):
    client = signed_in_client(getattr(world, persona))
    for path in (REGISTER, REGISTER + "export.csv", REGISTER + "bijlage-11.pdf"):
        assert client.get(path).status_code == 403


# --- The table ---------------------------------------------------------------------------------------


def test_row_shows_number_link_date_pupils_with_roles_reporter_status_and_attachment_count(world):
    incident = make_incident(
        world,
        reporter=world.teacher_a,
        happened_on=dt.date(2026, 10, 7),
        happened_time=dt.time(10, 15),
        location="Gymzaal",
        pupils=[(world.pupil_a, "experienced"), (world.pupil_a_other, "initiative")],
        attachments=2,
        number="2026-0042",
    )
    html = signed_in_client(world.ib_a).get(REGISTER).content.decode()
    row = html[html.index(f'id="incident-{incident.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/incidenten/{incident.pk}/"' in row
    assert "2026-0042" in row
    assert "07-10-2026" in row
    assert "10:15" in row
    assert "Gymzaal" in row
    assert h(world.pupil_a.full_name) in row
    assert h(world.pupil_a_other.full_name) in row
    # Roles in ch. 17.3's words, the pupil who took the initiative first (role order).
    assert row.index(h(world.pupil_a_other.full_name)) < row.index(h(world.pupil_a.full_name))
    assert h(t("Pupil who took the initiative").lower()) in row
    assert h(t("Pupil who experienced it").lower()) in row
    assert h(world.teacher_a.display_name) in row
    assert t("Open") in row
    assert "<td>2</td>" in row


def test_a_long_list_of_pupils_shows_three_and_a_count(world):
    pupils = [f.PupilFactory(school=world.school_a) for _ in range(5)]
    make_incident(world, pupils=[(p, "bystander") for p in pupils])
    html = signed_in_client(world.director_a).get(REGISTER).content.decode()
    assert h(tn("and %(counter)s other pupil", "and %(counter)s other pupils", 2, counter=2)) in html
    shown = [p for p in pupils if h(p.full_name) in html]
    assert len(shown) == 3


def test_newest_first_on_screen_oldest_first_in_print(world):
    older = make_incident(world, happened_on=dt.date(2026, 9, 1))
    same_day_late = make_incident(world, happened_on=dt.date(2026, 10, 1), happened_time=dt.time(14, 0))
    same_day_early = make_incident(world, happened_on=dt.date(2026, 10, 1), happened_time=dt.time(9, 0))
    newest = make_incident(world, happened_on=dt.date(2026, 11, 2))
    ctx = ctx_for(world.director_a, world.school_a)
    screen = list(register_rows(ctx, world.school_a, filters=RegisterFilters()))
    assert screen == [newest, same_day_late, same_day_early, older]
    printed = list(register_rows(ctx, world.school_a, filters=RegisterFilters(), oldest_first=True))
    assert printed == [older, same_day_early, same_day_late, newest]
    response = signed_in_client(world.director_a).get(REGISTER)
    assert page_ids(response) == [newest.pk, same_day_late.pk, same_day_early.pk, older.pk]


def test_pagination_by_fifty_keeps_the_filter(world):
    for day in range(51):
        make_incident(world, happened_on=dt.date(2026, 9, 1) + dt.timedelta(days=day), category="agressie")
    make_incident(world, category="pesten")
    client = signed_in_client(world.director_a)
    first = client.get(REGISTER, {"categorie": "agressie"})
    assert len(page_ids(first)) == 50
    assert "?categorie=agressie&amp;pagina=2" in first.content.decode()
    second = client.get(REGISTER, {"categorie": "agressie", "pagina": 2})
    assert len(page_ids(second)) == 1
    assert tn("%(counter)s incident", "%(counter)s incidents", 51, counter=51) in second.content.decode()


def test_empty_states_explain_what_appears(world):
    html = signed_in_client(world.director_a).get(REGISTER).content.decode()
    assert (
        h(
            t(
                "No incidents recorded at this school yet. Every incident that you or a colleague records "
                "appears here, newest first, with its date, location, category and the pupils involved."
            )
        )
        in html
    )
    html = signed_in_client(world.teacher_a).get(REGISTER).content.decode()
    assert (
        h(t("No incidents yet. Incidents you report or record yourself appear here, newest first.")) in html
    )
    make_incident(world, category="pesten")
    html = signed_in_client(world.director_a).get(REGISTER, {"categorie": "agressie"}).content.decode()
    assert h(t("No incidents match this filter. Widen the period or clear a filter to see more.")) in html


# --- Filters -----------------------------------------------------------------------------------------


def test_period_filter_includes_both_ends(world):
    make_incident(world, happened_on=dt.date(2026, 8, 31), number="A")
    make_incident(world, happened_on=dt.date(2026, 9, 1), number="B")
    make_incident(world, happened_on=dt.date(2026, 9, 30), number="C")
    make_incident(world, happened_on=dt.date(2026, 10, 1), number="D")
    ctx = ctx_for(world.director_a, world.school_a)
    rows = register_rows(
        ctx,
        world.school_a,
        filters=RegisterFilters(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 9, 30)),
    )
    assert numbers(rows) == {"B", "C"}
    assert numbers(
        register_rows(ctx, world.school_a, filters=RegisterFilters(date_from=dt.date(2026, 9, 30)))
    ) == {
        "C",
        "D",
    }
    response = signed_in_client(world.director_a).get(REGISTER, {"van": "2026-09-01", "tot": "2026-09-30"})
    assert {Incident.objects.get(pk=pk).number for pk in page_ids(response)} == {"B", "C"}


def test_category_and_status_filters(world):
    make_incident(world, category="pesten", status="open", number="A")
    make_incident(world, category="pesten", status="closed", number="B")
    make_incident(world, category="discriminatie", status="open", number="C")
    ctx = ctx_for(world.ib_a, world.school_a)
    assert numbers(register_rows(ctx, world.school_a, filters=RegisterFilters(category="pesten"))) == {
        "A",
        "B",
    }
    assert numbers(register_rows(ctx, world.school_a, filters=RegisterFilters(status="closed"))) == {"B"}
    assert numbers(
        register_rows(ctx, world.school_a, filters=RegisterFilters(category="pesten", status="open"))
    ) == {"A"}
    response = signed_in_client(world.ib_a).get(REGISTER, {"categorie": "pesten", "status": "closed"})
    assert [Incident.objects.get(pk=pk).number for pk in page_ids(response)] == ["B"]


def test_pupil_filter_by_id(world):
    make_incident(world, pupils=[(world.pupil_a, "experienced")], number="A")
    make_incident(
        world, pupils=[(world.pupil_a_other, "initiative"), (world.pupil_a, "bystander")], number="B"
    )
    make_incident(world, pupils=[(world.pupil_a_other, "initiative")], number="C")
    ctx = ctx_for(world.director_a, world.school_a)
    assert numbers(
        register_rows(ctx, world.school_a, filters=RegisterFilters(pupil_id=world.pupil_a.pk))
    ) == {
        "A",
        "B",
    }
    response = signed_in_client(world.director_a).get(REGISTER, {"leerling": world.pupil_a.pk})
    assert {Incident.objects.get(pk=pk).number for pk in page_ids(response)} == {"A", "B"}


def test_pupil_filter_with_another_schools_pupil_is_refused_and_shows_everything(world):
    make_incident(world, pupils=[(world.pupil_a, "experienced")], number="A")
    make_incident(
        world, school=world.school_b, reporter=world.teacher_b, pupils=[(world.pupil_b, "bystander")]
    )
    response = signed_in_client(world.director_a).get(REGISTER, {"leerling": world.pupil_b.pk})
    assert response.status_code == 200
    assert [Incident.objects.get(pk=pk).number for pk in page_ids(response)] == ["A"]
    html = response.content.decode()
    assert 'id="id_leerling_error"' in html
    assert h(world.pupil_b.full_name) not in html


def test_pupil_filter_offers_only_pupils_of_visible_incidents(world):
    make_incident(world, reporter=world.staff_a, pupils=[(world.pupil_a_other, "experienced")])
    make_incident(world, reporter=world.teacher_a, pupils=[(world.pupil_a, "experienced")])
    teacher_html = signed_in_client(world.teacher_a).get(REGISTER).content.decode()
    assert f'<option value="{world.pupil_a.pk}">' in teacher_html
    assert f'<option value="{world.pupil_a_other.pk}">' not in teacher_html
    director_html = signed_in_client(world.director_a).get(REGISTER).content.decode()
    assert f'<option value="{world.pupil_a_other.pk}">' in director_html


def test_group_filter_uses_the_placement_on_the_day_of_the_incident(world):
    # pupil_a is in group_a from the start of the school year (f.place), pupil_a_other in group_a2.
    year_start = world.group_a.school_year.starts_on
    make_incident(
        world,
        happened_on=year_start + dt.timedelta(days=10),
        pupils=[(world.pupil_a, "experienced")],
        number="IN",
    )
    make_incident(
        world,
        happened_on=year_start - dt.timedelta(days=30),
        pupils=[(world.pupil_a, "experienced")],
        number="BEFORE",
    )
    make_incident(
        world,
        happened_on=year_start + dt.timedelta(days=10),
        pupils=[(world.pupil_a_other, "initiative")],
        number="OTHER",
    )
    # A pupil who left group_a2 for group_a halfway: counted for group_a2 before and group_a after.
    mover = f.PupilFactory(school=world.school_a)
    moved_on = year_start + dt.timedelta(days=40)
    from lev.schools.models import GroupPlacement

    GroupPlacement.objects.create(
        pupil=mover,
        group=world.group_a2,
        school=world.school_a,
        board=world.board,
        starts_on=year_start,
        ends_on=moved_on - dt.timedelta(days=1),
    )
    f.place(mover, world.group_a, starts_on=moved_on)
    make_incident(
        world, happened_on=moved_on - dt.timedelta(days=1), pupils=[(mover, "bystander")], number="MOVER_A2"
    )
    make_incident(world, happened_on=moved_on, pupils=[(mover, "bystander")], number="MOVER_A")
    ctx = ctx_for(world.director_a, world.school_a)
    assert numbers(
        register_rows(ctx, world.school_a, filters=RegisterFilters(group_id=world.group_a.pk))
    ) == {
        "IN",
        "MOVER_A",
    }
    assert numbers(
        register_rows(ctx, world.school_a, filters=RegisterFilters(group_id=world.group_a2.pk))
    ) == {
        "OTHER",
        "MOVER_A2",
    }
    response = signed_in_client(world.director_a).get(REGISTER, {"groep": world.group_a.pk})
    assert {Incident.objects.get(pk=pk).number for pk in page_ids(response)} == {"IN", "MOVER_A"}


def test_another_schools_group_is_not_a_choice(world):
    make_incident(world, number="A")
    response = signed_in_client(world.director_a).get(REGISTER, {"groep": world.group_b.pk})
    assert 'id="id_groep_error"' in response.content.decode()
    assert [Incident.objects.get(pk=pk).number for pk in page_ids(response)] == ["A"]


def test_an_end_before_the_start_is_refused_at_the_field_and_kept(world):
    make_incident(world, happened_on=dt.date(2026, 9, 15), number="A")
    response = signed_in_client(world.director_a).get(REGISTER, {"van": "2026-10-01", "tot": "2026-09-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        h(
            t(
                "The end of the period lies before its start. Choose a date on or after %(start)s.",
                start="01-10-2026",
            )
        )
        in html
    )
    assert 'value="2026-10-01"' in html
    assert 'value="2026-09-01"' in html
    # The start still filters; the refused end does not.
    assert page_ids(response) == []


def test_a_teacher_cannot_widen_their_scope_with_filters(world, scoped):
    response = signed_in_client(world.teacher_a).get(REGISTER, {"status": "open", "categorie": "pesten"})
    assert set(page_ids(response)) == {scoped["teacher"].pk, scoped["recorded"].pk}


# --- Counts ------------------------------------------------------------------------------------------


def test_counts_per_month_and_category_within_the_period(world):
    make_incident(world, happened_on=dt.date(2026, 9, 2), category="pesten")
    make_incident(world, happened_on=dt.date(2026, 9, 30), category="pesten")
    make_incident(world, happened_on=dt.date(2026, 9, 12), category="agressie")
    make_incident(world, happened_on=dt.date(2026, 11, 1), category="pesten")
    make_incident(world, happened_on=dt.date(2026, 12, 1), category="agressie")  # outside the period
    make_incident(world, school=world.school_b, reporter=world.teacher_b, happened_on=dt.date(2026, 9, 3))
    ctx = ctx_for(world.director_a, world.school_a)
    counts = register_counts(
        ctx,
        world.school_a,
        filters=RegisterFilters(date_from=dt.date(2026, 9, 1), date_to=dt.date(2026, 11, 30)),
    )
    assert counts.unit == "month"
    assert [code for code, _label in counts.categories] == ["pesten", "agressie"]
    assert [(p.start, p.per_category, p.total) for p in counts.periods] == [
        (dt.date(2026, 9, 1), (2, 1), 3),
        (dt.date(2026, 10, 1), (0, 0), 0),
        (dt.date(2026, 11, 1), (1, 0), 1),
    ]
    assert counts.per_category == (3, 1)
    assert counts.total == 4


def test_counts_follow_the_filters_and_the_scope(world):
    make_incident(world, reporter=world.teacher_a, happened_on=dt.date(2026, 9, 2), category="pesten")
    make_incident(world, reporter=world.staff_a, happened_on=dt.date(2026, 10, 2), category="pesten")
    make_incident(world, reporter=world.teacher_a, happened_on=dt.date(2026, 10, 9), category="agressie")
    teacher = register_counts(
        ctx_for(world.teacher_a, world.school_a), world.school_a, filters=RegisterFilters()
    )
    # Without a period the range runs from the first to the last visible incident.
    assert [(p.start, p.total) for p in teacher.periods] == [
        (dt.date(2026, 9, 1), 1),
        (dt.date(2026, 10, 1), 1),
    ]
    assert teacher.total == 2
    lead = register_counts(
        ctx_for(world.director_a, world.school_a), world.school_a, filters=RegisterFilters(category="pesten")
    )
    assert [(p.start, p.per_category) for p in lead.periods] == [
        (dt.date(2026, 9, 1), (1,)),
        (dt.date(2026, 10, 1), (1,)),
    ]
    assert lead.total == 2
    nothing = register_counts(
        ctx_for(world.confidant_a, world.school_a), world.school_a, filters=RegisterFilters()
    )
    assert nothing.total == 0 and nothing.periods == ()


def test_counts_over_three_years_are_per_year(world):
    make_incident(world, happened_on=dt.date(2022, 3, 1))
    make_incident(world, happened_on=dt.date(2022, 5, 1))
    make_incident(world, happened_on=dt.date(2026, 9, 1))
    counts = register_counts(
        ctx_for(world.director_a, world.school_a), world.school_a, filters=RegisterFilters()
    )
    assert counts.unit == "year"
    assert [(p.start.year, p.total) for p in counts.periods] == [
        (2022, 2),
        (2023, 0),
        (2024, 0),
        (2025, 0),
        (2026, 1),
    ]


def test_period_starts():
    assert period_starts(dt.date(2026, 11, 15), dt.date(2027, 2, 1)) == (
        "month",
        [dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)],
    )
    unit, months = period_starts(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    assert unit == "month" and len(months) == 36
    unit, years = period_starts(dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    assert unit == "year" and years == [
        dt.date(2024, 1, 1),
        dt.date(2025, 1, 1),
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    ]


def test_counts_table_on_the_page(world):
    make_incident(world, happened_on=dt.date(2026, 9, 2), category="pesten")
    make_incident(world, happened_on=dt.date(2026, 10, 2), category="pesten")
    html = signed_in_client(world.director_a).get(REGISTER).content.decode()
    assert t("Number of incidents per month") in html
    from django.utils import formats, translation

    with translation.override("nl"):
        september = formats.date_format(dt.date(2026, 9, 1), "F Y")
    assert september in html


# --- Queries do not grow with the rows ---------------------------------------------------------------


def _incidents_with_everything(world, count: int, start: int) -> None:
    for i in range(start, start + count):
        pupil = f.PupilFactory(school=world.school_a)
        make_incident(
            world,
            reporter=world.teacher_a if i % 2 else world.staff_a,
            happened_on=dt.date(2026, 9, 1) + dt.timedelta(days=i % 60),
            pupils=[(pupil, "experienced"), (world.pupil_a, "initiative")],
            attachments=i % 3,
            staff=[world.staff_a] if i % 2 else [],
        )


def test_queries_per_page_are_the_same_for_10_and_100_rows(world, monkeypatch):
    monkeypatch.setattr(register_views, "PAGE_SIZE", 100)
    client = signed_in_client(world.director_a)

    def measure() -> tuple[int, int]:
        client.get(REGISTER)  # once before counting, as the benchmark does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(REGISTER)
        return len(captured.captured_queries), len(page_ids(response))

    _incidents_with_everything(world, 10, 0)
    q10, shown10 = measure()
    _incidents_with_everything(world, 90, 10)
    q100, shown100 = measure()
    assert (shown10, shown100) == (10, 100)
    assert q10 == q100


def test_selector_queries_do_not_grow_with_rows(world, django_assert_num_queries):
    ctx = ctx_for(world.director_a, world.school_a)

    def fetch():
        rows = list(register_rows(ctx, world.school_a, filters=RegisterFilters(), for_print=True))
        for incident in rows:
            _ = [inv.pupil.full_name for inv in incident.involvements.all()]
            _ = [a.original_name for a in incident.attachments.all()]
            _ = [u.display_name for u in incident.staff_involved.all()]
            _ = (incident.reporter.display_name, incident.attachment_count)
        return rows

    _incidents_with_everything(world, 10, 0)
    # rows (with the reporter and the attachment count), pupils, staff, attachments
    with django_assert_num_queries(4):
        assert len(fetch()) == 10
    _incidents_with_everything(world, 90, 10)
    with django_assert_num_queries(4):
        assert len(fetch()) == 100
