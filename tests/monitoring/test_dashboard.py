"""The dashboards (lev/monitoring/dashboard.py, views.py) on PostgreSQL: school years and quarters
worked out by hand, who sees which schools, every view suppressed in one call per year and section
(audited with the linear programmes of test_suppression), the director's school exactly the board's
column, schorsing days only beside shown schorsingen, the CSV exactly the page, and no pupil data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lev.monitoring.dashboard import (
    SECTIONS,
    SchoolYearSpan,
    dashboard,
    scope_for,
    years_offered,
)
from lev.monitoring.domain.suppression import Rule, Table, Views, consistent_views, rule_for
from lev.monitoring.models import CountKind, MonthlyCount
from lev.schools.access import AccessContext
from lev.schools.models import Membership, Role, School
from tests import factories as f
from tests.conftest import World, signed_in_client
from tests.i18n_helpers import t
from tests.monitoring.test_suppression import Audit

D = dt.date
NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
TODAY = D(2026, 12, 5)
RUNNING = SchoolYearSpan(2026)


# --- School years and quarters (WPO art. 1: 1 August – 31 July) ---------------------------------------


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (D(2026, 7, 31), 2025),
        (D(2026, 8, 1), 2026),
        (D(2026, 12, 5), 2026),
        (D(2027, 1, 1), 2026),
        (D(2027, 7, 31), 2026),
    ],
)
def test_school_year_of_a_day(day: dt.date, start: int) -> None:
    assert SchoolYearSpan.of(day) == SchoolYearSpan(start)


def test_school_year_bounds_and_label() -> None:
    year = SchoolYearSpan(2025)
    assert (year.label, year.first_day, year.last_day, year.count_day) == (
        "2025-2026",
        D(2025, 8, 1),
        D(2026, 7, 31),
        D(2025, 10, 1),
    )
    assert year.previous(2) == SchoolYearSpan(2023)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2025-2026", 2025),
        ("2025-2027", None),
        ("2025", None),
        ("abcd-efgh", None),
        ("1999-2000", None),
        ("", None),
    ],
)
def test_school_year_parse(text: str, start: int | None) -> None:
    parsed = SchoolYearSpan.parse(text)
    assert (parsed.start if parsed else None) == start


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(8, 0), (9, 0), (10, 0), (11, 1), (12, 1), (1, 1), (2, 2), (3, 2), (4, 2), (5, 3), (6, 3), (7, 3)],
)
def test_quarters_of_the_school_year(month: int, quarter: int) -> None:
    assert SchoolYearSpan.quarter_of(D(2026 if month >= 8 else 2027, month, 1)) == quarter


# --- Data ----------------------------------------------------------------------------------------------


def ctx_of(user) -> AccessContext:
    return AccessContext(
        user=user, memberships=list(Membership.objects.filter(user=user).select_related("board", "school"))
    )


def add(school: School, month: dt.date, kind: str, count: int, category: str = "") -> None:
    MonthlyCount.objects.update_or_create(
        board=school.board,
        school=school,
        month=month,
        kind=kind,
        category=category,
        defaults={"count": count},
    )


@pytest.fixture
def three_schools(world: World) -> list[School]:
    """School A of the world and two more schools of its board."""
    cache.clear()
    more = [
        f.SchoolFactory(board=world.school_a.board, name="De Beuk", brin="33CC"),
        f.SchoolFactory(board=world.school_a.board, name="Het Anker", brin="44DD"),
    ]
    return [world.school_a, *more]


def random_counts(schools: list[School], seed: int) -> None:
    """Counts for every section's kinds in three school years, many small (seeded, so repeatable)."""
    rng = random.Random(seed)
    for school in schools:
        for year in (2024, 2025, 2026):
            for month in (D(year, 9, 1), D(year, 12, 1), D(year + 1, 3, 1), D(year + 1, 6, 1)):
                if month > TODAY:
                    continue
                for section in SECTIONS:
                    for row in section.rows:
                        if section.live or not row.kind:
                            continue
                        add(school, month, row.kind, rng.choice([0, 0, 1, 2, 3, 6, 12]), row.category)
                add(school, month, CountKind.SCHORSING_DAYS, rng.choice([0, 2, 9]))


# --- Who sees what --------------------------------------------------------------------------------------


def test_the_board_member_sees_every_school_and_the_board(world: World, three_schools: list[School]) -> None:
    scope = scope_for(ctx_of(world.board_member), TODAY)
    assert scope.board_view
    assert [s.pk for s in scope.visible] == [s.pk for s in sorted(three_schools, key=lambda s: s.name)]


@pytest.mark.parametrize("persona", ["director_a", "deputy_a"])
def test_a_director_sees_only_their_school(world: World, three_schools: list[School], persona: str) -> None:
    scope = scope_for(ctx_of(getattr(world, persona)), TODAY)
    assert not scope.board_view
    assert [s.pk for s in scope.visible] == [world.school_a.pk]
    assert len(scope.schools) == 3  # suppressed over the whole board


@pytest.mark.parametrize(
    "persona",
    ["teacher_a", "staff_a", "ib_a", "confidant_a", "privacy_officer", "functional_admin", "teacher_b"],
)
def test_no_dashboard_for_other_roles(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        scope_for(ctx_of(getattr(world, persona)), TODAY)


def test_a_director_whose_membership_ended_has_no_dashboard(world: World) -> None:
    Membership.objects.filter(user=world.director_a).update(active_to=TODAY - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        scope_for(ctx_of(world.director_a), TODAY)


def test_the_year_switch_reaches_back_to_the_first_count(world: World, three_schools: list[School]) -> None:
    scope = scope_for(ctx_of(world.board_member), TODAY)
    assert [y.label for y in years_offered(scope, TODAY)] == ["2026-2027"]
    add(three_schools[1], D(2024, 11, 1), CountKind.SIGNAL, 7)
    assert [y.label for y in years_offered(scope, TODAY)] == ["2026-2027", "2025-2026", "2024-2025"]


# --- One call per year and section; the audit ---------------------------------------------------------


def expected_views(section, schools: list[School], year: SchoolYearSpan) -> tuple[Table, dict[str, Table]]:
    """The year table and quarters built again from the count rows, independently of the module."""
    columns = [str(s.pk) for s in schools]
    per: dict[tuple[int, str, int], int] = {}
    for s in schools:
        for row in section.rows:
            for q in range(4):
                per[(s.pk, row.code, q)] = 0
            # The running year as it stood at the start of this month (TODAY's month left out).
            for c in MonthlyCount.objects.filter(
                school=s,
                kind=row.kind,
                category=row.category,
                month__gte=year.first_day,
                month__lte=year.last_day,
                month__lt=TODAY.replace(day=1),
            ):
                per[(s.pk, row.code, SchoolYearSpan.quarter_of(c.month))] += c.count
    codes = [row.code for row in section.rows]
    base = Table.by_category(
        codes,
        columns,
        [[sum(per[(s.pk, code, q)] for q in range(4)) for s in schools] for code in codes],
        column_totals=section.column_totals,
    )
    splits = (
        {
            str(s.pk): Table.by_category(
                codes,
                ["0", "1", "2", "3"],
                [[per[(s.pk, code, q)] for q in range(4)] for code in codes],
                column_totals=section.column_totals,
            )
            for s in schools
        }
        if section.quarters
        else {}
    )
    return base, splits


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_view_is_one_audited_call(world: World, three_schools: list[School], seed: int) -> None:
    """For each counted section: the board's year table, every school's quarters and the trend show
    exactly what one `consistent_views` call over the board's counts gives, and that call passes
    the audit (nothing small shown; every small count covers its band given everything shown)."""
    random_counts(three_schools, seed)
    scope = scope_for(ctx_of(world.board_member), TODAY)
    schools = list(scope.schools)
    for year in (RUNNING, RUNNING.previous()):
        boards = {s.pk: dashboard(scope, year=year, school=s, now=NOW, today=TODAY) for s in schools}
        overall = dashboard(scope, year=year, school=None, now=NOW, today=TODAY)
        for k, section in enumerate(s for s in SECTIONS if not s.live):
            base, splits = expected_views(section, schools, year)
            views: Views = consistent_views(base, column_splits=splits)
            audit = Audit.of(base, views, splits)
            audit.check_shown()
            audit.check_protected()
            shown = overall.sections[k]
            assert shown.section is section
            year_table = shown.year_table
            # The page shows the schools by name; the call has them by id.
            order = [views.base.columns.index(str(s.pk)) for s in scope.visible]
            for i, line in enumerate(year_table.lines):
                assert [c.text for c in line.cells] == [views.base.cells[i][j].text for j in order]
                assert line.total == views.base.row_totals[i]
            if views.base.column_totals is not None:
                assert [c.text for c in year_table.footer.cells] == [
                    views.base.column_totals[j].text for j in order
                ]
                assert year_table.footer.total == views.base.total
            # The trend's last year is the same call's board totals.
            assert [line.cells[-1] for line in shown.trend.lines] == list(views.base.row_totals)
            for school in schools:
                mine = boards[school.pk].sections[k]
                if section.quarters:
                    split = views.column_splits[str(school.pk)]
                    assert [[c.text for c in line.cells] for line in mine.quarter_table.lines] == [
                        [c.text for c in line] for line in split.cells
                    ]
                    assert [line.total for line in mine.quarter_table.lines] == list(split.row_totals)


def test_the_director_sees_the_board_s_column(world: World, three_schools: list[School]) -> None:
    random_counts(three_schools, 7)
    board_scope = scope_for(ctx_of(world.board_member), TODAY)
    director_scope = scope_for(ctx_of(world.director_a), TODAY)
    board = dashboard(board_scope, year=RUNNING.previous(), school=None, now=NOW, today=TODAY)
    mine = dashboard(director_scope, year=RUNNING.previous(), school=None, now=NOW, today=TODAY)
    assert mine.school == world.school_a
    j = [s.pk for s in board_scope.visible].index(world.school_a.pk)
    for theirs, own in zip(board.sections, mine.sections, strict=True):
        assert own.year_table.columns == (world.school_a.name,)
        for line_b, line_d in zip(theirs.year_table.lines, own.year_table.lines, strict=True):
            assert line_d.cells == (line_b.cells[j],)
            assert line_d.total is None  # no board totals for a director
        if own.year_table.footer:
            assert own.year_table.footer.cells == (theirs.year_table.footer.cells[j],)
            assert own.year_table.footer.total is None


def test_nothing_small_is_shown_in_any_table(world: World, three_schools: list[School]) -> None:
    random_counts(three_schools, 11)
    scope = scope_for(ctx_of(world.board_member), TODAY)
    for school in (None, *scope.schools):
        board = dashboard(scope, year=RUNNING, school=school, now=NOW, today=TODAY)
        for view in board.sections:
            rules = [rule_for(row.code) for row in view.rows]
            strictest = Rule.strictest(rules) if rules else None
            for table in (view.year_table, view.quarter_table, view.trend):
                if table is None:
                    continue
                checked = [(rules[n], line) for n, line in enumerate(table.lines)]
                if table.footer is not None and strictest is not None:
                    checked.append((strictest, table.footer))
                for rule, line in checked:
                    for cell in (*line.cells, *((line.total,) if line.total else ())):
                        if not cell.suppressed:
                            assert not rule.hides(cell.value), (table.title, line.label, cell)


# --- Schorsing days ----------------------------------------------------------------------------------------


def test_schorsing_days_only_beside_shown_schorsingen(world: World, three_schools: list[School]) -> None:
    a, b, c = three_schools
    month = D(2025, 10, 1)
    for school, schorsingen, days in ((a, 6, 11), (b, 7, 14), (c, 2, 4)):
        add(school, month, CountKind.SCHORSING, schorsingen)
        add(school, month, CountKind.SCHORSING_DAYS, days)
    scope = scope_for(ctx_of(world.board_member), TODAY)
    board = dashboard(scope, year=RUNNING.previous(), school=None, now=NOW, today=TODAY)
    ladder = next(v for v in board.sections if v.section.key == "ladder").year_table
    names = [str(n) for n in ladder.columns]
    schorsingen = next(
        line
        for line in ladder.lines
        if line.label == next(r.label for r in ladder_rows() if r.code == "escalation:schorsing")
    )
    days = next(line for line in ladder.extra if str(line.label) == t("School days of schorsing"))
    by_school = dict(zip(names, days.cells, strict=True))
    counts = dict(zip(names, schorsingen.cells, strict=True))
    # C's 2 schorsingen are hidden, and with them its 4 days and the board's total of days (else
    # C's days would be the total minus A's and B's). A's 6 and B's 7 are shown with their days.
    assert counts[c.name].suppressed and by_school[c.name].suppressed
    assert (counts[a.name].text, by_school[a.name].text) == ("6", "11")
    assert (counts[b.name].text, by_school[b.name].text) == ("7", "14")
    assert days.total.suppressed


def test_the_board_total_of_days_is_shown_when_every_school_s_schorsingen_are(
    world: World, three_schools: list[School]
) -> None:
    month = D(2025, 10, 1)
    for school, schorsingen, days in zip(three_schools, (6, 7, 0), (11, 14, 0), strict=True):
        add(school, month, CountKind.SCHORSING, schorsingen)
        add(school, month, CountKind.SCHORSING_DAYS, days)
    scope = scope_for(ctx_of(world.board_member), TODAY)
    board = dashboard(scope, year=RUNNING.previous(), school=None, now=NOW, today=TODAY)
    ladder = next(v for v in board.sections if v.section.key == "ladder").year_table
    days = next(line for line in ladder.extra if str(line.label) == t("School days of schorsing"))
    expected = {"De Regenboog": "11", "De Beuk": "14", "Het Anker": "0"}
    assert [c.text for c in days.cells] == [expected[str(n)] for n in ladder.columns]
    assert days.total.text == "25"


def ladder_rows():
    return next(s for s in SECTIONS if s.key == "ladder").rows


# --- Live sections -------------------------------------------------------------------------------------------


def test_live_sections_only_in_the_running_year(world: World, three_schools: list[School]) -> None:
    scope = scope_for(ctx_of(world.board_member), TODAY)
    running = {
        v.section.key for v in dashboard(scope, year=RUNNING, school=None, now=NOW, today=TODAY).sections
    }
    earlier = {
        v.section.key
        for v in dashboard(scope, year=RUNNING.previous(), school=None, now=NOW, today=TODAY).sections
    }
    assert "meldcode_open" in running
    assert not {"meldcode_open", "overdue"} & earlier


def test_overdue_never_counts_staff_misconduct(world: World, three_schools: list[School]) -> None:
    scope = scope_for(ctx_of(world.board_member), TODAY)
    board = dashboard(scope, year=RUNNING, school=None, now=NOW, today=TODAY)
    overdue = next(v for v in board.sections if v.section.key == "overdue")
    codes = {row.code for row in overdue.section.rows}
    assert not codes  # the rules are filled in from the deadlines, not fixed in the section
    labels = {str(line.label) for line in overdue.year_table.lines}
    from lev.deadlines.domain import RULE_CODES, resolve_rule

    misconduct = {
        resolve_rule(c).title for c in RULE_CODES if c.startswith("wpo4a-") or c == "fysiek-geweld-personeel"
    }
    assert misconduct and not labels & misconduct
    # The sensitive Meldcode deadlines are always listed (leaving an empty one out would tell).
    assert resolve_rule("veilig-thuis-beoordeling").title in labels


# --- Pages ---------------------------------------------------------------------------------------------------


class Tables(HTMLParser):
    """The texts of every dashboard table's cells, by table id, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.captions: dict[str, str] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None
        self.caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and "lev-dashboard-table" in (found.get("class") or ""):
            self.current = found["id"] or ""
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.tables[self.current].append([])
        elif tag in ("td", "th") and self.current:
            self.cell = []
        elif tag == "caption" and self.current:
            self.caption = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.current = None
        elif tag == "caption" and self.current and self.caption is not None:
            self.captions[self.current] = " ".join("".join(self.caption).split())
            self.caption = None
        elif tag in ("td", "th") and self.current and self.cell is not None:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.caption is not None:
            self.caption.append(data)


def test_the_csv_is_exactly_what_the_page_shows(world: World, three_schools: list[School]) -> None:
    random_counts(three_schools, 5)
    client = signed_in_client(world.board_member)
    query = f"?jaar=2025-2026&school={three_schools[1].pk}"
    page = client.get("/dashboard/" + query)
    assert page.status_code == 200
    parser = Tables()
    parser.feed(page.content.decode())
    shown = []
    for key, rows in parser.tables.items():
        header, *body = rows
        for line in body:
            for column, text in zip(header[1:], line[1:], strict=True):
                if text:
                    shown.append((parser.captions[key], line[0], column, text))
    download = client.get("/dashboard/csv/" + query)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert download["Cache-Control"] == "no-store"
    body = download.content.decode("utf-8")
    assert body.startswith("\ufeff")
    reader = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert reader[0] == [t("Table"), t("Row"), t("Column"), t("Shown")]
    exported = [tuple(line) for line in reader[1:]]
    assert sorted(exported) == sorted(shown)
    assert len(shown) > 200  # every table of the page, not an empty comparison


def test_no_pupil_data_in_the_page_or_the_csv(world: World, three_schools: list[School]) -> None:
    random_counts(three_schools, 3)
    client = signed_in_client(world.board_member)
    names = [world.pupil_a.roepnaam, world.pupil_a.achternaam, "Bram", "de Vries"]
    for url in ("/dashboard/", f"/dashboard/?school={world.school_a.pk}", "/dashboard/csv/"):
        text = client.get(url).content.decode("utf-8")
        for name in names:
            assert name not in text, (url, name)


def test_a_school_of_another_board_is_404_and_a_bad_year_too(world: World) -> None:
    client = signed_in_client(world.board_member)
    assert client.get(f"/dashboard/?school={world.school_b.pk}").status_code == 404
    assert client.get("/dashboard/?school=abc").status_code == 404
    assert client.get("/dashboard/?jaar=2019-2020").status_code == 404
    assert client.get("/dashboard/?jaar=nonsense").status_code == 200  # the running year


def test_the_csv_download_is_audited_without_counts(world: World) -> None:
    from lev.audit.models import AuditEvent

    client = signed_in_client(world.director_a)
    assert client.get("/dashboard/csv/").status_code == 200
    event = AuditEvent.objects.get(action="dashboard_exported")
    assert event.actor == world.director_a
    assert event.summary == {
        "year": SchoolYearSpan.of(timezone.localdate()).label,
        "school": world.school_a.pk,
        "format": "csv",
    }


def test_every_category_shown_is_in_the_one_map() -> None:
    """The dashboards show no category whose rule is not written down in `suppression.RULES`."""
    from lev.monitoring.dashboard import _overdue_rows
    from lev.monitoring.domain.suppression import RULES, SENSITIVE_RULE

    codes = [row.code for section in SECTIONS for row in section.rows] + [row.code for row in _overdue_rows()]
    assert codes and not [code for code in codes if code not in RULES]
    meldcode = next(s for s in SECTIONS if s.key == "sensitive")
    assert all(RULES[row.code] == SENSITIVE_RULE for row in meldcode.rows)


# --- Pages that cannot be compared ---------------------------------------------------------------------------


def texts(board) -> list[list[str]]:
    return [[c.text for line in table.lines for c in line.cells] for table in board.tables()]


def test_an_event_this_month_changes_nothing_until_the_month_is_over(
    world: World, three_schools: list[School]
) -> None:
    """Two looks at the page in one month, before and after one more incident, show the same."""
    random_counts(three_schools, 13)
    scope = scope_for(ctx_of(world.board_member), TODAY)
    before = dashboard(scope, year=RUNNING, school=three_schools[1], now=NOW, today=TODAY)
    add(three_schools[2], TODAY.replace(day=1), CountKind.INCIDENT, 1, "pesten")
    add(three_schools[2], TODAY.replace(day=1), CountKind.SIGNAL, 3)
    after = dashboard(scope, year=RUNNING, school=three_schools[1], now=NOW, today=TODAY)
    assert texts(after) == texts(before)
    assert before.until == D(2026, 11, 30)
    # Next month, November's and December's counts are in.
    later = dashboard(scope, year=RUNNING, school=three_schools[1], now=NOW, today=D(2027, 1, 4))
    assert later.until == D(2026, 12, 31)


def test_renaming_a_school_hides_nothing_else(world: World, three_schools: list[School]) -> None:
    """What is hidden does not depend on the schools' names (they are put in the call by id)."""
    random_counts(three_schools, 17)
    scope = scope_for(ctx_of(world.board_member), TODAY)

    def by_school() -> dict[tuple[str, str, int], str]:
        board = dashboard(
            scope_for(ctx_of(world.board_member), TODAY),
            year=RUNNING.previous(),
            school=None,
            now=NOW,
            today=TODAY,
        )
        shown = {}
        for view in board.sections:
            ids = [s.pk for s in board.scope.visible]
            for line in view.year_table.lines:
                for pk, cell in zip(ids, line.cells, strict=True):
                    shown[(view.section.key, str(line.label), pk)] = cell.text
        return shown

    before = by_school()
    School.objects.filter(pk=three_schools[2].pk).update(name="Aaa Eerste")
    assert [s.name for s in scope_for(ctx_of(world.board_member), TODAY).visible][0] == "Aaa Eerste"
    assert by_school() == before
    assert scope.schools == scope_for(ctx_of(world.board_member), TODAY).schools


def test_the_overdue_rows_do_not_depend_on_other_schools(world: World, three_schools: list[School]) -> None:
    """A director sees the same rows whether or not another school has an overdue deadline."""
    from lev.deadlines.models import Deadline, DeadlineStatus

    scope = scope_for(ctx_of(world.director_a), TODAY)

    def rows() -> list[str]:
        board = dashboard(scope, year=RUNNING, school=None, now=NOW, today=TODAY)
        return [
            str(line.label)
            for line in next(v for v in board.sections if v.section.key == "overdue").year_table.lines
        ]

    before = rows()
    moment = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    Deadline.objects.create(
        rule_code="melding-schorsing-inspectie",
        school_type="openbaar",
        start_on=D(2026, 10, 20),
        due_on=D(2026, 10, 22),
        overdue_at=moment,
        explanation="test",
        source="test",
        status=DeadlineStatus.MISSED,
        responsible_role=Role.DIRECTOR,
        board=three_schools[1].board,
        school=three_schools[1],
        visibility="school",
        subject_type="test",
        subject_id="1",
        created_at=moment,
        updated_at=moment,
    )
    assert rows() == before


def test_a_board_without_schools_gets_an_empty_dashboard(world: World) -> None:
    from lev.schools.models import Board

    empty = Board.objects.create(name="Stichting Leeg", slug="stichting-leeg")
    member = f.UserFactory()
    Membership.objects.create(
        user=member, board=empty, school=None, role=Role.BOARD, active_from=D(2026, 1, 1)
    )
    client = signed_in_client(member)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert (
        t(
            "Nothing to show for this school year yet. Counts appear here as soon as signals, incidents and measures are recorded."
        )
        in page.content.decode()
    )
    download = client.get("/dashboard/csv/")
    assert download.status_code == 200
    assert download.content.decode("utf-8").lstrip("\ufeff").strip().splitlines() == [
        ";".join([t("Table"), t("Row"), t("Column"), t("Shown")])
    ]


def test_counts_only_in_the_next_school_year_still_offer_this_year(
    world: World, three_schools: list[School]
) -> None:
    add(three_schools[1], D(2027, 8, 1), CountKind.SCHORSING, 1)
    MonthlyCount.objects.exclude(month=D(2027, 8, 1)).delete()
    scope = scope_for(ctx_of(world.board_member), TODAY)
    assert [y.label for y in years_offered(scope, TODAY)] == ["2026-2027"]


@pytest.mark.parametrize("query", ["?school=²", "?school=१", "?jaar=²²²²-2026", "?jaar=2025-２０２６"])
def test_odd_digits_are_refused_plainly(world: World, query: str) -> None:
    response = signed_in_client(world.board_member).get("/dashboard/" + query)
    assert response.status_code in (200, 404)  # a year not understood is the running year
    if "school" in query:
        assert response.status_code == 404


def test_a_hanging_cache_is_asked_once_per_page(
    world: World, three_schools: list[School], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache server that accepts and never answers: the page stops asking after the first error."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    from django.core.cache.backends.redis import RedisCache

    import lev.monitoring.dashboard as dashboard_module

    hanging = RedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 0.2}}
    )
    monkeypatch.setattr(dashboard_module, "cache", hanging)
    try:
        random_counts(three_schools, 19)
        scope = scope_for(ctx_of(world.board_member), TODAY)
        board = dashboard(scope, year=RUNNING, school=None, now=NOW, today=TODAY)
        assert board.sections  # computed in the request
        assert len(accepted) == 1  # one connection, one unanswered question, then no more
    finally:
        listener.close()
        for connection in accepted:
            connection.close()


def test_the_cache_gives_back_exactly_what_was_computed(world: World, three_schools: list[School]) -> None:
    """Cold and warm pages are the same, for every school's quarters (each cached apart)."""
    random_counts(three_schools, 23)
    scope = scope_for(ctx_of(world.board_member), TODAY)

    def page(school: School | None) -> list[list[str]]:
        board = dashboard(scope, year=RUNNING.previous(), school=school, now=NOW, today=TODAY)
        return [
            [c.text for line in t.lines for c in (*line.cells, *((line.total,) if line.total else ()))]
            for t in board.tables()
        ]

    cold = {}
    for school in (None, *three_schools):
        cache.clear()
        cold[school] = page(school)
    cache.clear()
    page(None)  # fills the cache with the year tables and every school's quarters
    for school in (None, *three_schools):
        assert page(school) == cold[school]


def test_a_board_member_teaching_at_another_board_reaches_their_board(
    world: World, three_schools: list[School]
) -> None:
    """The active school is at board B, where the user only teaches; the dashboard is board A's."""
    Membership.objects.create(
        user=world.board_member,
        board=world.school_b.board,
        school=world.school_b,
        role=Role.TEACHER,
        active_from=D(2026, 1, 1),
    )
    memberships = list(Membership.objects.filter(user=world.board_member).select_related("board", "school"))
    ctx = AccessContext(user=world.board_member, memberships=memberships, active_school=world.school_b)
    assert ctx.active_board == world.school_b.board
    scope = scope_for(ctx, TODAY)
    assert scope.board == world.school_a.board and scope.board_view
    assert {s.pk for s in scope.visible} == {s.pk for s in three_schools}
    # Only a teacher at board B: no dashboard there, and none anywhere.
    teacher_ctx = AccessContext(
        user=world.teacher_b,
        memberships=list(Membership.objects.filter(user=world.teacher_b).select_related("board", "school")),
        active_school=world.school_b,
    )
    with pytest.raises(PermissionDenied):
        scope_for(teacher_ctx, TODAY)
