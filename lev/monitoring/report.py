"""The board's annual report on social safety ("Jaarverslag sociale veiligheid", issue 8, point 5), as
a PDF for the MR/GMR and the Inspectie.

**What it holds.** For one school year, exactly what the board's dashboard shows for that year with
no school chosen (`dashboard.dashboard(scope, year=..., school=None)`): per section the year table
(the categories × the board's schools, with the board totals) and its chart, and the trend over
three school years with its chart; every value as the dashboard shows it ("< 5", "< 10", "x"), with
the explanation of suppression (`EXPLANATION`, `HIDDEN_NOTE`). Nothing is counted here. A year table
wider than `COLUMNS_PER_TABLE` schools is printed in parts of that many schools (the label column
repeated, the board totals in the last part); the cells are the dashboard's own.

**Two versions.** The report for the MR/GMR holds the figures only. The version for the Inspectie
(and the board itself; `with_meldcode`) adds the anonymised Rapportage Meldcode. The bundles give
each school's exact number of cases — the covers count them, and a school without a bundle had
none — which the dashboard hides under "< 10"; so they are never in the version for the MR/GMR,
which says where the Meldcode part is instead.

With `with_meldcode`, the anonymised Rapportage Meldcode (Bijlage 10) of each school with a case
open during the year: the board's version of the yearly bundle (`meldcode.report_bundle`, audience "board": cases
numbered in the bundle only, dates as month and year, the names LEV knows replaced). The bundle
needs a `SchoolYear` of the board: the one that covers 1 October of the year (`report_school_year`);
without one the report says that no bundle is available for the year. The bundles together hold at
most `PDF_MAX_CASES` cases (the bundle's own cap): a school whose cases would pass it is listed as
left out, and its bundle is downloaded on its own from the Meldcode pages.

The results of the safety monitor (WPO art. 4c) are not in LEV yet: the report says so in one
sentence.

**Rendering.** The report's HTML (LEV's own template and stylesheet, every value escaped by Django)
and each included bundle's HTML (`bundle_document`) are rendered in one child process of the letter
renderer (`communications.rendering.render_limited_stream`: WeasyPrint with CPU, memory and
wall-clock limits, only LEV's letter files reachable), and the PDFs are joined with pypdf, the
bundles after the report, each with a bookmark. The renderer's process cannot be handed WeasyPrint
documents to combine, so the pages are joined as PDF, as the print file of a letter is.

**Audit.** One event `annual_report_exported` (ids and labels only: the year, the school year's id,
the schools whose bundle is included or left out, the case ids and the report versions shown), and
for each included bundle the bundle's own export record (`bundle_export_record`: its event and one
access-log row per case), in one transaction, after the PDF was made.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.schools.access import AccessContext
from lev.schools.models import School, SchoolYear
from meldcode.report_bundle import (
    PDF_MAX_CASES,
    BundleDocument,
    bundle_cases,
    bundle_document,
    bundle_export_record,
    placeholder,
)

from .dashboard import Dashboard, Line, SchoolYearSpan, Scope, ShownTable, dashboard
from .views import _charts

__all__ = [
    "COLUMNS_PER_TABLE",
    "AnnualReport",
    "BundlePart",
    "annual_report",
    "annual_report_export_record",
    "render_annual_report_pdf",
    "report_filename",
    "report_school_year",
    "table_parts",
]

# Schools per printed year table (A4 portrait: the label column and six numbers, then the board).
COLUMNS_PER_TABLE = 6
# Wall-clock limit for the whole report (report and bundles), below the web server's 60 seconds.
PDF_WALL_SECONDS = 50
STYLESHEET = Path(__file__).resolve().parent.parent.parent / "static" / "lev" / "monitoring" / "report.css"


@dataclass(frozen=True)
class BundlePart:
    """The Meldcode part of one school: DOCUMENT its anonymised bundle when included; CASES the
    number of cases open during the year; LEFT_OUT when including it would pass the cap."""

    school: School
    cases: int
    document: BundleDocument | None = None
    left_out: bool = False

    @property
    def included(self) -> bool:
        return self.document is not None


@dataclass(frozen=True)
class AnnualReport:
    board: Dashboard
    school_year: SchoolYear | None  # the board's school year the bundles are made for; None: none
    with_meldcode: bool  # the version for the Inspectie, with the Meldcode bundles
    bundles: tuple[BundlePart, ...]
    made_on: dt.date
    html: str

    @property
    def included(self) -> list[BundlePart]:
        return [part for part in self.bundles if part.included]

    @property
    def title(self) -> str:
        return _("Annual report on social safety %(year)s") % {"year": self.board.year.label}


def report_school_year(scope: Scope, year: SchoolYearSpan) -> SchoolYear | None:
    """The board's school year that covers 1 October of YEAR (the latest starting one, should two): a
    school year set up from its first school day, later in August, is found too."""
    return (
        SchoolYear.objects.filter(
            board=scope.board, starts_on__lte=year.count_day, ends_on__gte=year.count_day
        )
        .order_by("-starts_on", "-pk")
        .first()
    )


def _bundle_parts(
    ctx: AccessContext, scope: Scope, school_year: SchoolYear | None, made_on: dt.date
) -> tuple[BundlePart, ...]:
    """Per school of the board (in the dashboard's order) its Meldcode part; the bundles included
    hold at most PDF_MAX_CASES cases together."""
    if school_year is None:
        return ()
    parts: list[BundlePart] = []
    room = PDF_MAX_CASES
    for school in scope.schools:
        cases = bundle_cases(ctx, school, school_year, audience="board")
        if not cases:
            parts.append(BundlePart(school=school, cases=0))
        elif len(cases) > room:
            parts.append(BundlePart(school=school, cases=len(cases), left_out=True))
        else:
            room -= len(cases)
            document = bundle_document(
                ctx, school, school_year, audience="board", made_on=made_on, cases=cases
            )
            parts.append(BundlePart(school=school, cases=len(cases), document=document))
    return tuple(parts)


# --- The tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TablePart:
    """One printed part of a table: TABLE holds the part's columns (and the totals, in the last part);
    NUMBER counts from 1 of COUNT."""

    table: ShownTable
    number: int
    count: int


def table_parts(table: ShownTable, size: int = COLUMNS_PER_TABLE) -> list[TablePart]:
    """TABLE in parts of at most SIZE columns, each with every line's cells of those columns; the
    totals column only in the last part. The cells are TABLE's own: nothing is recomputed."""
    if size < 1:
        raise ValueError("A part holds at least one column.")
    columns = len(table.columns)
    if columns <= size:
        return [TablePart(table, 1, 1)]
    starts = list(range(0, columns, size))
    parts = []
    for number, start in enumerate(starts, start=1):
        last = number == len(starts)
        end = min(start + size, columns)
        parts.append(
            TablePart(
                replace(
                    table,
                    columns=table.columns[start:end],
                    lines=tuple(_cut(line, start, end, last) for line in table.lines),
                    footer=_cut(table.footer, start, end, last) if table.footer is not None else None,
                    extra=tuple(_cut(line, start, end, last) for line in table.extra),
                    total_label=table.total_label if last else None,
                ),
                number,
                len(starts),
            )
        )
    return parts


def _cut(line: Line, start: int, end: int, last: bool) -> Line:
    """LINE's cells START:END, with its total in the last part only (and its rates alike: one per
    cell, then the total's)."""
    rates = None
    if line.rates is not None:
        columns = len(line.cells)
        rates = line.rates[start:end] + (line.rates[columns:] if last else ())
    return replace(line, cells=line.cells[start:end], total=line.total if last else None, rates=rates)


@dataclass(frozen=True)
class Figure:
    table: ShownTable
    chart: str | None
    parts: list[TablePart]


@dataclass(frozen=True)
class SectionPart:
    key: str
    title: str
    figures: list[Figure]


def _sections(board: Dashboard) -> list[SectionPart]:
    charts = _charts(board)
    return [
        SectionPart(
            key=view.section.key,
            title=str(view.section.title),
            figures=[
                Figure(table, charts.get(table.key), table_parts(table))
                for table in (view.year_table, view.trend)
                if table is not None
            ],
        )
        for view in board.sections
    ]


# --- The report ----------------------------------------------------------------------------------------


@cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def annual_report(
    ctx: AccessContext,
    scope: Scope,
    year: SchoolYearSpan,
    *,
    now: dt.datetime,
    today: dt.date,
    with_meldcode: bool = False,
) -> AnnualReport:
    """The annual report of SCOPE's board for YEAR (a board member's scope: board totals and every
    school), with its HTML."""
    if not scope.board_view:
        raise ValueError("The annual report is the board's: it needs a board member's scope.")
    board = dashboard(scope, year=year, school=None, now=now, today=today)
    school_year = report_school_year(scope, year) if with_meldcode else None
    bundles = _bundle_parts(ctx, scope, school_year, today) if with_meldcode else ()
    html = render_to_string(
        "monitoring/annual_report_pdf.html",
        {
            "css": mark_safe(_stylesheet()),  # noqa: S308 — LEV's own stylesheet file
            "board": board,
            "sections": _sections(board),
            "school_year": school_year,
            "with_meldcode": with_meldcode,
            "bundles": bundles,
            "included": [part for part in bundles if part.included],
            "left_out": [part for part in bundles if part.left_out],
            "max_cases": PDF_MAX_CASES,
            "made_on": today,
            "placeholder": placeholder(),
        },
    )
    return AnnualReport(
        board=board,
        school_year=school_year,
        with_meldcode=with_meldcode,
        bundles=bundles,
        made_on=today,
        html=html,
    )


def render_annual_report_pdf(report: AnnualReport) -> bytes:
    """The PDF: the report, then each included bundle, made by the limited letter renderer in one
    child process and joined. Raises `communications.rendering.RenderError`."""
    from pypdf import PdfWriter

    from communications.rendering import render_limited_stream

    htmls = [report.html] + [part.document.html for part in report.included if part.document is not None]
    pdfs = list(render_limited_stream(htmls, timeout=PDF_WALL_SECONDS))
    writer = PdfWriter()
    writer.append(io.BytesIO(pdfs[0]), outline_item=report.title)
    for part, pdf in zip(report.included, pdfs[1:], strict=True):
        writer.append(
            io.BytesIO(pdf),
            outline_item=_("Rapportage Meldcode — %(school)s") % {"school": part.school.name},
        )
    writer.add_metadata({"/Title": report.title, "/Author": report.board.scope.board.name})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def report_filename(year: SchoolYearSpan, *, with_meldcode: bool = False) -> str:
    return f"jaarverslag-{year.label}{'-met-meldcode' if with_meldcode else ''}.pdf"


def annual_report_export_record(*, ctx: AccessContext, report: AnnualReport, now: dt.datetime) -> None:
    """The audit of one export (module docstring), in one transaction."""
    board = report.board.scope.board
    with transaction.atomic():
        versions: list[int] = []
        cases: list[int] = []
        for part in report.included:
            document = part.document
            assert document is not None and report.school_year is not None
            bundle_export_record(
                ctx=ctx,
                school=part.school,
                year=report.school_year,
                cases=document.cases,
                audience="board",
                now=now,
                versions=document.versions,
            )
            cases += [case.pk for case in document.cases]
            versions += document.versions
        record(
            "annual_report_exported",
            actor=ctx.user,
            board=board,
            obj=board,
            object_type="schools.board",
            summary={
                "year": report.board.year.label,
                "with_meldcode": report.with_meldcode,
                "school_year": report.school_year.pk if report.school_year is not None else None,
                "bundles": [part.school.pk for part in report.included],
                "bundles_left_out": [part.school.pk for part in report.bundles if part.left_out],
                "cases": cases,
                "report_versions": versions,
            },
            now=now,
        )
