"""What the board and director dashboards show (issue 8, points 2–4; docs/monitoring.md).

The dashboards offer **only predefined views** (no free filters), all built here:

- for one school year, per section, the **year table** (V1): the section's categories × the board's
  schools, with the board totals per category, the school totals and the grand total where the
  section's rows add up (`Section.column_totals`);
- for one school of that year, the **quarters** (V2: the section's categories × the four quarters
  of the school year) for the sections that have them;
- the **trend**: for the board (or one school) each category in the chosen school year and the two
  before it, each year as that year's own views show it — never a sum over years;
- per 100 pupils: the school totals (and the board total) of signals and incidents divided by the
  pupils enrolled on 1 October of the year (for the running year before 1 October: on the first
  day of this month);
- for the running school year only, two counts read from the records, each its own table: Meldcode
  cases open by step, and overdue deadlines by kind (every rule, whatever the counts: a list of
  rows that depended on the counts would tell a director about other schools), both as they stood
  at the start of this month.

**The running year stands as it was at the start of this month.** Its counts are those of the
months before this one (`Dashboard.until`), and the two tables read from the records are taken at
the first moment of this month. So every view of a month is the same all month: a page looked at
before and after one more incident was recorded shows the same numbers, and cannot be compared
to work out a hidden count. The figures move once a month (and when an event of an earlier month is
recorded late). What this does not prevent yet: comparing the publication of one month with the
next (a year-to-date count that grows by a small number from one month to the next, or whose
complements move). Publishing each month once, kept, with the counts shown before treated as known
when the next month is suppressed, is the remaining step.

A school year is the legal one: 1 August to 31 July (WPO art. 1), so the dashboards need no school
year to be set up and the trend reaches back before LEV had school years.

**Suppression.** Every count shown goes through `domain.suppression`. All views of one board, one
school year and one section are suppressed in **one** call (`consistent_views`: the year table with
every school's quarters), whoever looks and whichever year or school is chosen, so a count has one
status on every page, in every CSV and in the annual report. A director's dashboard is their
school's column of that call and their school's quarters; it is never suppressed apart. The schools
are put in the call in the order they were created, not by name (the page shows them by name): a
renamed school must not move the complements.

Schorsing school days are shown beside a school's schorsingen only where those are shown, and the
board's total of days only when every school's schorsingen are shown: the days bound the number of
schorsingen (one to five days each), so days beside a hidden count, or a total of days from which
the days of a school with hidden schorsingen could be subtracted, would narrow a hidden count.
Shown days are at least the shown schorsingen, so never small. Days are not split by quarter.

**Cost.** The suppression is deterministic in the counts, so its result is cached under a digest of
the counts it was given and of the suppression code (`_suppressed`): counts are always read fresh;
only an unchanged table is served from the cache, and a month's tables stay unchanged all month.
The cache holds aggregates only. When the cache is unavailable the views are computed in the
request (after the first error the page stops asking it).

Who may see what is decided in `scope_for` (director and deputy: their own schools; board members:
every school of their board; everyone else 403).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lev.audit.services import record
from lev.schools.access import AccessContext
from lev.schools.models import Board, Membership, Role, School
from lev.web.spreadsheet import spreadsheet_csv

from .domain import suppression as suppression_module
from .domain.suppression import (
    EXPLANATION,
    HIDDEN_NOTE,
    HIDDEN_TEXT,
    Cell,
    Rate,
    Shown,
    Table,
    Views,
    consistent_views,
    rate,
)
from .models import CountKind, MonthlyCount

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

logger = logging.getLogger(__name__)

__all__ = [
    "SECTIONS",
    "Dashboard",
    "Scope",
    "SchoolYearSpan",
    "Section",
    "dashboard",
    "scope_for",
]

DASHBOARD_SCHOOL_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
TREND_YEARS = 3
CACHE_SECONDS = 35 * 24 * 3600  # a month's figures stay as they are all month


# --- School years and quarters -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class SchoolYearSpan:
    """The school year that starts on 1 August of START (WPO art. 1: 1 August to 31 July)."""

    start: int

    @classmethod
    def of(cls, day: date) -> SchoolYearSpan:
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYearSpan | None:
        """ "2025-2026" → the school year 2025-2026; None for anything else."""
        if not re.fullmatch(r"\d{4}-\d{4}", text, re.ASCII):
            return None
        first, _sep, second = text.partition("-")
        if int(second) != int(first) + 1 or not 2000 <= int(first) <= 2100:
            return None
        return cls(int(first))

    @property
    def label(self) -> str:
        return f"{self.start}-{self.start + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start, 8, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, 7, 31)

    @property
    def count_day(self) -> date:
        """The day pupils are counted for the rates: 1 October (the teldatum)."""
        return date(self.start, 10, 1)

    def previous(self, n: int = 1) -> SchoolYearSpan:
        return SchoolYearSpan(self.start - n)

    @staticmethod
    def quarter_of(month: date) -> int:
        """0 for August–October, 1 November–January, 2 February–April, 3 May–July."""
        return ((month.month - 8) % 12) // 3


QUARTERS: tuple[StrPromise, ...] = (
    _("Aug–Oct"),
    _("Nov–Jan"),
    _("Feb–Apr"),
    _("May–Jul"),
)


# --- Sections -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One category of a section: CODE is its key in `suppression.RULES`; KIND and CATEGORY select
    the count rows it sums."""

    code: str
    label: str | StrPromise
    kind: str = ""
    category: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: StrPromise
    rows: tuple[Row, ...]
    # Whether the rows add up to a meaningful total per school (incidents by category) — otherwise
    # no column totals and no grand total are shown (signals beside crises).
    column_totals: bool
    quarters: bool
    per_pupil: tuple[str, ...] = ()  # the row codes (or "total") shown per 100 pupils
    live: bool = False  # read from the records as at the start of this month, for the running year only
    note: StrPromise | None = None


def _incident_rows(*, sensitive: bool) -> tuple[Row, ...]:
    """The incident categories whose rule is (not) the sensitive one."""
    from incidents.models import IncidentCategory

    from .domain.suppression import SENSITIVE_CATEGORIES

    return tuple(
        Row(f"incident:{value}", label, CountKind.INCIDENT, value)
        for value, label in IncidentCategory.choices
        if (f"incident:{value}" in SENSITIVE_CATEGORIES) == sensitive
    )


def _sections() -> tuple[Section, ...]:
    return (
        Section(
            key="signals",
            title=_("Signals and crises"),
            rows=(
                Row("signal:all", _("Signals"), CountKind.SIGNAL),
                Row("crisis:opened", _("Crises"), CountKind.CRISIS),
            ),
            column_totals=False,
            quarters=True,
            per_pupil=("signal:all",),
        ),
        Section(
            key="incidents",
            title=_("Incidents by category"),
            rows=_incident_rows(sensitive=False),
            column_totals=True,
            quarters=True,
            per_pupil=("total",),
            note=_(
                "(Sexually) transgressive behaviour is under Sensitive topics: its small counts are hidden "
                "more strictly, and a total that included them would give them away."
            ),
        ),
        Section(
            key="ladder",
            title=_("Stappenplan and measures"),
            rows=(
                Row("ladder:step_1", _("Step 1: I can do it myself"), CountKind.LADDER_STEP, "1"),
                Row("ladder:step_2", _("Step 2: I ask for help"), CountKind.LADDER_STEP, "2"),
                Row(
                    "ladder:step_3", _("Step 3: We look for a solution together"), CountKind.LADDER_STEP, "3"
                ),
                Row(
                    "ladder:step_4", _("Step 4: School and parents work together"), CountKind.LADDER_STEP, "4"
                ),
                Row("escalation:timeout", _("Time-outs"), CountKind.TIME_OUT),
                Row("escalation:schorsing", _("Schorsingen"), CountKind.SCHORSING),
                Row("ladder:step_7", _("Verwijderingen started"), CountKind.LADDER_STEP, "7"),
                Row("escalation:verwijdering", _("Verwijderingen decided"), CountKind.VERWIJDERING),
            ),
            column_totals=False,
            quarters=True,
            note=_("Steps 1–4 count every step recorded, also a repeated one."),
        ),
        Section(
            key="sensitive",
            title=_("Sensitive topics: transgressive behaviour and the Meldcode"),
            rows=(
                *_incident_rows(sensitive=True),
                Row("meldcode:opened", _("Meldcode cases opened"), CountKind.MELDCODE_CASE),
                Row("meldcode:melding", _("Meldingen at Veilig Thuis"), CountKind.MELDING),
            ),
            column_totals=False,
            quarters=False,
        ),
        Section(
            key="meldcode_open",
            title=_("Meldcode cases open, by step"),
            rows=tuple(
                Row(f"meldcode:open_step_{n}", _step_label(n), "meldcode_open", str(n)) for n in range(1, 6)
            ),
            column_totals=True,
            quarters=False,
            live=True,
            note=_(
                "At the start of this month, by the last step recorded in the case; a case without a recorded step is in step 1."
            ),
        ),
        Section(
            key="overdue",
            title=_("Overdue deadlines by kind"),
            rows=(),  # the rules, filled in by `_overdue_rows`
            column_totals=True,
            quarters=False,
            live=True,
            note=_("At the start of this month: deadlines that were past and not met."),
        ),
    )


def _meldcode_step_title(n: int) -> str:
    from meldcode.case_selectors import step_title
    from meldcode.domain.steps import Step

    return step_title(Step(n))


# The Meldcode's own step titles ("Stap 1: Signalen in kaart brengen"), in the language of the moment.
_step_label = lazy(_meldcode_step_title, str)


SECTIONS: tuple[Section, ...] = _sections()

# Staff-misconduct deadlines are never counted on a dashboard (no WPO 4a report in any dashboard).
_EXCLUDED_DEADLINE_PREFIXES = ("wpo4a-",)
_EXCLUDED_DEADLINES = frozenset({"fysiek-geweld-personeel"})


def _overdue_rows() -> tuple[Row, ...]:
    from lev.deadlines.domain import RULE_CODES, DeadlineError, resolve_rule

    rows = []
    for code in RULE_CODES:
        if code in _EXCLUDED_DEADLINES or code.startswith(_EXCLUDED_DEADLINE_PREFIXES):
            continue
        try:
            title = resolve_rule(code).title
        except DeadlineError:
            title = resolve_rule(code, school_type="openbaar").title
        rows.append(Row(f"deadline_overdue:{code}", title, "deadline_overdue", code))
    return tuple(rows)


# --- Who sees what -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """BOARD's schools (all of them: the suppression runs over the whole board) and the ones the
    viewer may see; BOARD_VIEW when the viewer sees the board totals (a board member)."""

    board: Board
    schools: tuple[School, ...]
    visible: tuple[School, ...]
    board_view: bool

    def visible_school(self, school_id: int | None) -> School | None:
        return next((s for s in self.visible if s.pk == school_id), None)


def scope_for(ctx: AccessContext, day: date) -> Scope:
    """What the user may see on DAY: a board member every school of the board; a director or deputy
    their own schools. Everyone else: PermissionDenied (403; the page is no secret).

    The board is the active one when the user has a dashboard there, else the first of their boards
    where they have one (a board member who also teaches at a school of another board still reaches
    their board's dashboard)."""
    boards = [b for b in (ctx.active_board, *ctx.boards) if b is not None]
    for board in dict.fromkeys(boards):  # the active board first, each board once
        active = Membership.objects.active_on(day).filter(user=ctx.user, board=board)
        is_board = active.filter(school__isnull=True, role=Role.BOARD).exists()
        own = set(active.filter(role__in=DASHBOARD_SCHOOL_ROLES).values_list("school_id", flat=True))
        if is_board or own:
            break
    else:
        raise PermissionDenied
    # Suppressed in the order of creation (pk), shown by name: what is hidden must not depend on names
    # (renaming a school would otherwise move the complements, and two pages could be differenced).
    schools = tuple(School.objects.filter(board=board).select_related("board").order_by("pk"))
    by_name = tuple(sorted(schools, key=lambda s: (s.name, s.pk)))
    visible = by_name if is_board else tuple(s for s in by_name if s.pk in own)
    return Scope(board=board, schools=schools, visible=visible, board_view=is_board)


def years_offered(scope: Scope, today: date) -> list[SchoolYearSpan]:
    """The school years the switch offers, the running one first: back to the earliest month with a
    count (at most ten years), at least the running year."""
    current = SchoolYearSpan.of(today)
    first = (
        MonthlyCount.objects.filter(board=scope.board)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    earliest = min(SchoolYearSpan.of(first), current) if first else current
    earliest = max(earliest, current.previous(9))
    return [SchoolYearSpan(y) for y in range(current.start, earliest.start - 1, -1)]


# --- Reading the counts ----------------------------------------------------------------------------------

# {(school id, year start, quarter, kind, category): count}
Raw = dict[tuple[int, int, int, str, str], int]


def read_counts(board: Board, years: Sequence[SchoolYearSpan], *, before: date | None = None) -> Raw:
    """The board's monthly counts in YEARS (of the months before BEFORE, when given), by school,
    year and quarter: one query over the count table (the dashboards never scan the records)."""
    first = min(years).first_day
    last = max(years).last_day
    rows = MonthlyCount.objects.filter(board=board, month__gte=first, month__lte=last)
    if before is not None:
        rows = rows.filter(month__lt=before)
    # One row per school, month, kind and category already (the table's unique key): no GROUP BY.
    cells = rows.values_list("school_id", "month", "kind", "category", "count").order_by()
    raw: Raw = defaultdict(int)
    for school_id, month, kind, category, n in cells:
        year = SchoolYearSpan.of(month)
        raw[(school_id, year.start, SchoolYearSpan.quarter_of(month), kind, category)] += n
    return raw


def read_open_cases(board: Board, at: datetime) -> dict[tuple[int, str], int]:
    """{(school id, step): Meldcode cases open at the moment AT}, by the last step recorded before
    that day (none: step 1)."""
    from meldcode.models import MeldcodeCase

    rows = (
        MeldcodeCase.objects.filter(school__board=board, opened_at__lt=at)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=at))
        .annotate(
            last_step=Max(
                "step_records__step",
                filter=Q(step_records__recorded_on__lt=timezone.localtime(at).date()),
            )
        )
        .values_list("school_id", "last_step")
    )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for school_id, last_step in rows:
        counts[(school_id, str(last_step or 1))] += 1
    return counts


def read_overdue(board: Board, at: datetime) -> dict[tuple[int, str], int]:
    """{(school id, rule): deadlines overdue at the moment AT}: late by then and not met, waived or
    suspended before it."""
    from lev.deadlines.models import Deadline, DeadlineStatus

    rows = (
        Deadline.objects.filter(board=board, school__isnull=False, reminder_only=False, overdue_at__lte=at)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=at))
        .exclude(status=DeadlineStatus.SUSPENDED, suspended_since__lte=timezone.localtime(at).date())
        .values_list("school_id", "rule_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(school_id, code): n for school_id, code, n in rows}


def read_pupils(board: Board, day: date) -> dict[int, int]:
    """{school id: pupils enrolled on DAY}, as the rest of LEV counts them (`current_enrolments`: a
    leaving date is final once confirmed)."""
    from lev.schools.selectors import current_enrolments

    rows = (
        current_enrolments(day)
        .filter(board=board, enrolled_on__lte=day)
        .values_list("school_id")
        .annotate(n=Count("pupil_id", distinct=True))
        .order_by()
    )
    return dict(rows)  # type: ignore[arg-type]


# --- Suppressing ------------------------------------------------------------------------------------------


class _Cache:
    """The suppression cache for one page: after the first error (Redis down or hanging) the page
    stops asking, so a hanging Redis costs one timeout, not one per table."""

    def __init__(self) -> None:
        self.broken = False

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        if self.broken:
            return {}
        try:
            return cache.get_many(keys)
        except Exception:
            self.broken = True
            logger.warning("dashboard cache unavailable", exc_info=True)
            return {}

    def set_many(self, values: dict[str, Any]) -> None:
        if self.broken:
            return
        try:
            cache.set_many(values, CACHE_SECONDS)
        except Exception:
            self.broken = True
            logger.warning("dashboard cache unavailable", exc_info=True)


# Part of every cache key: a change to the suppression code is never served an older result.
_ALGORITHM = hashlib.sha256(Path(suppression_module.__file__ or "").read_bytes()).hexdigest()[:16]


def _suppressed(base: Table, splits: Mapping[str, Table], store: _Cache, *, want: str | None = None) -> Views:
    """`consistent_views(base, column_splits=splits)`, cached under a digest of exactly its input,
    with only the split of column WANT (the page shows one school's quarters): the year table and
    each school's quarters are cached apart, so a page reads back what it shows, not the quarters of
    every school of the board."""
    digest = hashlib.sha256(repr((base, sorted(splits.items()))).encode()).hexdigest()
    prefix = f"monitoring:views:{_ALGORITHM}:{digest}"
    keys = [f"{prefix}:base"] + ([f"{prefix}:split:{want}"] if want in splits else [])
    found = store.get_many(keys)
    if len(found) == len(keys):
        split = {want: _unpack(found[keys[1]])} if want is not None and len(keys) > 1 else {}
        return Views(base=_unpack(found[keys[0]]), column_splits=MappingProxyType(split))
    computed = consistent_views(base, column_splits=splits)
    entries = {f"{prefix}:base": _pack(computed.base)}
    entries.update({f"{prefix}:split:{k}": _pack(v) for k, v in computed.column_splits.items()})
    store.set_many(entries)
    return computed


# What the cache holds: plain tuples, a cell as (value, text, suppressed, band) — few objects to
# read back, and no lazy translations (which do not pickle).
_Packed = tuple[Any, ...]


def _pack_cell(cell: Cell) -> tuple[Any, ...]:
    return (cell.value, cell.text, cell.suppressed, cell.band)


def _pack(shown: Shown) -> _Packed:
    return (
        shown.rows,
        shown.columns,
        tuple(tuple(_pack_cell(c) for c in line) for line in shown.cells),
        tuple(_pack_cell(c) for c in shown.row_totals),
        None if shown.column_totals is None else tuple(_pack_cell(c) for c in shown.column_totals),
        None if shown.total is None else _pack_cell(shown.total),
    )


def _unpack(packed: _Packed) -> Shown:
    rows, columns, cells, row_totals, column_totals, total = packed
    return Shown(
        rows=rows,
        columns=columns,
        cells=tuple(tuple(Cell(*c) for c in line) for line in cells),
        row_totals=tuple(Cell(*c) for c in row_totals),
        column_totals=None if column_totals is None else tuple(Cell(*c) for c in column_totals),
        total=None if total is None else Cell(*total),
    )


def _year_views(
    section: Section,
    rows: tuple[Row, ...],
    schools: Sequence[School],
    year: SchoolYearSpan,
    raw: Raw,
    store: _Cache,
    want: School | None = None,
) -> Views:
    """The section's year table and every school's quarters for YEAR, suppressed together; the
    result holds the quarters of WANT only."""
    columns = [str(s.pk) for s in schools]
    per_quarter = [
        [[raw.get((s.pk, year.start, q, row.kind, row.category), 0) for q in range(4)] for row in rows]
        for s in schools
    ]
    base = Table.by_category(
        [row.code for row in rows],
        columns,
        [[sum(per_quarter[j][i]) for j in range(len(schools))] for i in range(len(rows))],
        column_totals=section.column_totals,
    )
    splits: dict[str, Table] = {}
    if section.quarters:
        labels = [str(q) for q in range(4)]
        for j, school in enumerate(schools):
            splits[str(school.pk)] = Table.by_category(
                [row.code for row in rows], labels, per_quarter[j], column_totals=section.column_totals
            )
    return _suppressed(base, splits, store, want=str(want.pk) if want is not None else None)


def _live_views(
    rows: tuple[Row, ...],
    schools: Sequence[School],
    counts: Mapping[tuple[int, str], int],
    store: _Cache,
    *,
    totals: bool,
) -> Views:
    base = Table.by_category(
        [row.code for row in rows],
        [str(s.pk) for s in schools],
        [[counts.get((s.pk, row.category), 0) for s in schools] for row in rows],
        column_totals=totals,
    )
    return _suppressed(base, {}, store)


# --- What the page shows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of a shown table: its LABEL, its CELLS (one per column) and its TOTAL (None: none)."""

    label: str | StrPromise
    cells: tuple[Cell, ...]
    total: Cell | None = None
    rates: tuple[Rate, ...] | None = None


@dataclass(frozen=True)
class ShownTable:
    """A table as the page, the CSV and the report show it."""

    key: str
    title: str | StrPromise
    columns: tuple[str | StrPromise, ...]
    lines: tuple[Line, ...]
    total_label: str | StrPromise | None = None  # the heading of the totals column, if any
    footer: Line | None = None  # the column totals, if any
    extra: tuple[Line, ...] = ()  # lines below: schorsing days, pupils, rates
    note: str | StrPromise | None = None

    @property
    def any_suppressed(self) -> bool:
        cells = [c for line in (*self.lines, *((self.footer,) if self.footer else ())) for c in line.cells]
        cells += [line.total for line in self.lines if line.total is not None]
        return any(c.suppressed for c in cells)


@dataclass(frozen=True)
class SectionView:
    section: Section
    rows: tuple[Row, ...]  # the rows shown (for overdue deadlines: the rules listed)
    year_table: ShownTable | None  # V1 (the viewer's columns)
    quarter_table: ShownTable | None  # V2 of the chosen school
    trend: ShownTable | None


@dataclass
class Dashboard:
    scope: Scope
    year: SchoolYearSpan
    years: list[SchoolYearSpan]
    school: School | None  # the school chosen (quarters, trend); None: the board
    running: bool
    pupils_day: date
    until: date  # the last day counted: the end of last month (for a closed year, past its end)
    sections: list[SectionView] = field(default_factory=list)
    explanation: StrPromise = EXPLANATION
    hidden_note: StrPromise = HIDDEN_NOTE

    @property
    def any_suppressed(self) -> bool:
        return any(
            t.any_suppressed
            for s in self.sections
            for t in (s.year_table, s.quarter_table, s.trend)
            if t is not None
        )

    def tables(self) -> list[ShownTable]:
        return [t for s in self.sections for t in (s.year_table, s.quarter_table, s.trend) if t is not None]


def _hidden() -> Cell:
    return Cell(value=None, text=HIDDEN_TEXT, suppressed=True)


def _cell_number(value: int) -> Cell:
    return Cell(value=value, text=str(value), suppressed=False)


def _pupil_line(columns: Sequence[School], pupils: Mapping[int, int], board_total: bool) -> Line:
    cells = tuple(_cell_number(pupils.get(s.pk, 0)) for s in columns)
    total = _cell_number(sum(pupils.values())) if board_total else None
    return Line(_("Pupils (1 October)"), cells, total)


def _rate_line(label: str | StrPromise, cells: Sequence[Cell], denominators: Sequence[int]) -> Line:
    rates = tuple(rate(c, d) for c, d in zip(cells, denominators, strict=True))
    shown = tuple(Cell(value=None, text=_format_rate(r), suppressed=r.value is None) for r in rates)
    return Line(label, shown, None, rates)


def _format_rate(r: Rate) -> str:
    if r.value is None:
        return "–"
    return f"{r.value:.1f}".replace(".", ",")


def _year_table(
    section: Section,
    rows: tuple[Row, ...],
    views: Views,
    scope: Scope,
    columns: Sequence[School],
    year: SchoolYearSpan,
    *,
    pupils: Mapping[int, int],
    days: Mapping[int, int] | None,
) -> ShownTable:
    base: Shown = views.base
    index = {label: j for j, label in enumerate(base.columns)}
    picks = [index[str(s.pk)] for s in columns]
    board = scope.board_view
    lines = tuple(
        Line(row.label, tuple(base.cells[i][j] for j in picks), base.row_totals[i] if board else None)
        for i, row in enumerate(rows)
    )
    footer = None
    if base.column_totals is not None:
        footer = Line(_("Total"), tuple(base.column_totals[j] for j in picks), base.total if board else None)
    extra: list[Line] = []
    if days is not None:
        extra.append(_days_line(rows, base, days, columns, picks, board))
    if section.per_pupil:
        extra.append(_pupil_line(columns, pupils, board))
        denominators = [pupils.get(s.pk, 0) for s in columns] + ([sum(pupils.values())] if board else [])
        for code in section.per_pupil:
            label: str | StrPromise
            if code == "total" and base.column_totals is not None and base.total is not None:
                cells = [base.column_totals[j] for j in picks] + ([base.total] if board else [])
                label = _("Incidents per 100 pupils (without transgressive behaviour)")
            else:
                i = next(i for i, row in enumerate(rows) if row.code == code)
                cells = [base.cells[i][j] for j in picks] + ([base.row_totals[i]] if board else [])
                label = _("%(what)s per 100 pupils") % {"what": rows[i].label}
            line = _rate_line(label, cells, denominators)
            if board:
                line = Line(line.label, line.cells[:-1], line.cells[-1], line.rates)
            extra.append(line)
    return ShownTable(
        key=f"{section.key}-year",
        title=_("%(section)s, school year %(year)s") % {"section": section.title, "year": year.label},
        columns=tuple(s.name for s in columns),
        lines=lines,
        total_label=_("Board") if board else None,
        footer=footer,
        extra=tuple(extra),
        note=section.note,
    )


def _days_line(
    rows: tuple[Row, ...],
    base: Shown,
    days: Mapping[int, int],
    columns: Sequence[School],
    picks: Sequence[int],
    board: bool,
) -> Line:
    """Schorsing school days, shown only where the schorsingen are shown; the board's total only when
    every school's schorsingen are shown (module docstring). No total of days stands beside a hidden
    count, so the days of a school whose schorsingen are hidden cannot be worked out either."""
    i = next(i for i, row in enumerate(rows) if row.code == "escalation:schorsing")
    cells = tuple(
        _hidden() if base.cells[i][j].suppressed else _cell_number(days.get(school.pk, 0))
        for school, j in zip(columns, picks, strict=True)
    )
    total = None
    if board:
        every = all(not cell.suppressed for cell in base.cells[i]) and not base.row_totals[i].suppressed
        total = _cell_number(sum(days.values())) if every else _hidden()
    return Line(_("School days of schorsing"), cells, total)


def _quarter_table(
    section: Section, rows: tuple[Row, ...], views: Views, school: School, year: SchoolYearSpan
) -> ShownTable:
    split = views.column_splits[str(school.pk)]
    lines = tuple(Line(row.label, split.cells[i], split.row_totals[i]) for i, row in enumerate(rows))
    footer = None
    if split.column_totals is not None:
        footer = Line(_("Total"), split.column_totals, split.total)
    return ShownTable(
        key=f"{section.key}-quarters",
        title=_("%(section)s at %(school)s by quarter, school year %(year)s")
        % {"section": section.title, "school": school.name, "year": year.label},
        columns=QUARTERS,
        lines=lines,
        total_label=pgettext_lazy("school year total", "Year"),
        footer=footer,
    )


def _trend_table(
    section: Section,
    rows: tuple[Row, ...],
    per_year: Sequence[tuple[SchoolYearSpan, Views]],
    school: School | None,
) -> ShownTable:
    """Each category in each year, as that year's views show it (for the board: the row totals; for a
    school: its column). No sum over the years."""

    def column(views: Views) -> tuple[tuple[Cell, ...], Cell | None]:
        base = views.base
        if school is None:
            return base.row_totals, base.total
        j = base.columns.index(str(school.pk))
        return tuple(line[j] for line in base.cells), (base.column_totals[j] if base.column_totals else None)

    picked = [column(views) for _year, views in per_year]
    lines = tuple(Line(row.label, tuple(p[0][i] for p in picked)) for i, row in enumerate(rows))
    footer = None
    if section.column_totals:
        footer = Line(_("Total"), tuple(p[1] or _hidden() for p in picked))
    where = school.name if school is not None else _("the board")
    return ShownTable(
        key=f"{section.key}-trend",
        title=_("%(section)s at %(where)s, by school year") % {"section": section.title, "where": where},
        columns=tuple(year.label for year, _views in per_year),
        lines=lines,
        footer=footer,
    )


@dataclass(frozen=True)
class Sources:
    """Everything a dashboard page reads from the database for its numbers (`read_sources`)."""

    cutoff: date  # the first day not counted: the start of this month
    counts: Raw
    pupils: dict[int, int]
    pupils_day: date
    open_cases: dict[tuple[int, str], int]  # empty for a year that is not running
    overdue: dict[tuple[int, str], int]  # idem


def read_sources(
    board: Board, *, year: SchoolYearSpan, trend_years: Sequence[SchoolYearSpan], today: date
) -> Sources:
    """The counts of TREND_YEARS, the pupils for the rates of YEAR, and for the running year the open
    Meldcode cases and overdue deadlines — the running year as it stood at the start of this month
    (module docstring). The benchmark's baseline runs exactly this."""
    cutoff = today.replace(day=1)
    running = year == SchoolYearSpan.of(today)
    at = timezone.make_aware(datetime.combine(cutoff, time.min), timezone.get_default_timezone())
    pupils_day = min(year.count_day, cutoff) if running else year.count_day
    return Sources(
        cutoff=cutoff,
        counts=read_counts(board, trend_years, before=cutoff),
        pupils=read_pupils(board, pupils_day),
        pupils_day=pupils_day,
        open_cases=read_open_cases(board, at) if running else {},
        overdue=read_overdue(board, at) if running else {},
    )


def dashboard(
    scope: Scope,
    *,
    year: SchoolYearSpan,
    school: School | None,
    now: datetime,
    today: date,
    years: Sequence[SchoolYearSpan] | None = None,
) -> Dashboard:
    """Everything the dashboard shows for SCOPE in YEAR; SCHOOL the chosen school (quarters and trend),
    which must be one the viewer sees (a director: always their own). YEARS: the years offered
    (`years_offered`, read when not given); the trend leaves out years before the first count,
    rather than show zeros for years LEV knew nothing of."""
    running = SchoolYearSpan.of(today)
    if school is None and not scope.board_view:
        school = scope.visible[0]
    offered = list(years) if years is not None else years_offered(scope, today)
    earliest = min(offered, default=year)
    trend_years = [year.previous(n) for n in range(TREND_YEARS - 1, -1, -1)]
    trend_years = [y for y in trend_years if y >= earliest] or [year]
    sources = read_sources(scope.board, year=year, trend_years=trend_years, today=today)
    cutoff, raw, pupils, pupils_day = sources.cutoff, sources.counts, sources.pupils, sources.pupils_day
    visible_pupils = {s.pk: pupils.get(s.pk, 0) for s in scope.visible}
    board = Dashboard(
        scope=scope,
        year=year,
        years=offered,
        school=school,
        running=year == running,
        pupils_day=pupils_day,
        until=cutoff - timedelta(days=1),
    )
    schools = scope.schools
    if not schools:  # a board without schools yet: nothing to show (the page says so)
        return board
    store = _Cache()
    for section in SECTIONS:
        if section.live:
            if year != running:
                continue
            if section.key == "meldcode_open":
                views = _live_views(section.rows, schools, sources.open_cases, store, totals=True)
                rows = section.rows
            else:
                rows = _overdue_rows()
                counts = sources.overdue
                views = _live_views(rows, schools, counts, store, totals=True)
            board.sections.append(
                SectionView(
                    section,
                    rows,
                    _year_table(
                        section, rows, views, scope, scope.visible, year, pupils=visible_pupils, days=None
                    ),
                    None,
                    None,
                )
            )
            continue
        rows = section.rows
        per_year = [
            (y, _year_views(section, rows, schools, y, raw, store, school if y == year else None))
            for y in trend_years
        ]
        views = per_year[-1][1]
        days = None
        if section.key == "ladder":
            days = {
                school.pk: sum(
                    raw.get((school.pk, year.start, q, CountKind.SCHORSING_DAYS, ""), 0) for q in range(4)
                )
                for school in schools
            }
        year_table = _year_table(
            section, rows, views, scope, scope.visible, year, pupils=visible_pupils, days=days
        )
        quarter_table = (
            _quarter_table(section, rows, views, school, year) if school and section.quarters else None
        )
        board.sections.append(
            SectionView(
                section, rows, year_table, quarter_table, _trend_table(section, rows, per_year, school)
            )
        )
    return board


def rate_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def csv_rows(board: Dashboard) -> list[list[Any]]:
    """Exactly what the page shows, one line per shown value: table, row, column, value as shown."""
    out: list[list[Any]] = []
    for table in board.tables():
        for line in (*table.lines, *((table.footer,) if table.footer else ()), *table.extra):
            for column, cell in zip(table.columns, line.cells, strict=True):
                out.append([str(table.title), str(line.label), str(column), cell.text])
            if line.total is not None and table.total_label is not None:
                out.append([str(table.title), str(line.label), str(table.total_label), line.total.text])
    return out


def csv_content(board: Dashboard) -> bytes:
    """The CSV of what the page shows (`csv_rows`), for a Dutch spreadsheet."""
    return spreadsheet_csv([_("Table"), _("Row"), _("Column"), _("Shown")], csv_rows(board))


def csv_export_record(board: Dashboard, *, actor: Any, now: datetime) -> None:
    """The audit of one CSV download: the year and the school, never a count."""
    record(
        "dashboard_exported",
        actor=actor,
        board=board.scope.board,
        obj=board.scope.board,
        object_type="schools.board",
        summary={
            "year": board.year.label,
            "school": board.school.pk if board.school else None,
            "format": "csv",
        },
        now=now,
    )
