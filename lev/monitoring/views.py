"""The dashboard pages (issue 8): the page, its CSV and the board's annual report.

Who sees what: `dashboard.scope_for` (a board member every school of the board, a director or
deputy their own schools, everyone else 403). The school year and the school are chosen in the
query string (`jaar=2025-2026`, `school=<id>`): neither is sensitive (no pupil data is ever on
these pages). A school the viewer may not see is refused with 404, like a school that does not
exist.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lev.schools.access import AccessContext

from .charts import Bar, Series, bar_chart, grouped_bar_chart
from .dashboard import (
    Dashboard,
    SchoolYearSpan,
    csv_content,
    csv_export_record,
    dashboard,
    scope_for,
    years_offered,
)


def _ctx(request: HttpRequest) -> AccessContext:
    return request.lev  # type: ignore[attr-defined,no-any-return]


def _dashboard(request: HttpRequest) -> Dashboard:
    now = timezone.now()
    today = timezone.localdate(now)
    scope = scope_for(_ctx(request), today)
    years = years_offered(scope, today)
    year = SchoolYearSpan.parse(request.GET.get("jaar", "")) or years[0]
    if year not in years:
        raise Http404
    school = None
    wanted = request.GET.get("school", "")
    if wanted:
        school = scope.visible_school(int(wanted)) if wanted.isascii() and wanted.isdigit() else None
        if school is None:
            raise Http404
    return dashboard(scope, year=year, school=school, now=now, today=today, years=years)


def _charts(board: Dashboard) -> dict[str, str]:
    """A chart per year table (the totals column: the board's, or for one school its column) and per
    trend; each is drawn from the table it sits beside."""
    charts: dict[str, str] = {}
    for view in board.sections:
        table = view.year_table
        if table is not None:
            if board.scope.board_view and board.school is None:
                bars = [
                    Bar(str(line.label), line.total.value, line.total.text)
                    for line in table.lines
                    if line.total
                ]
            else:
                j = _column_of(board)
                bars = [Bar(str(line.label), line.cells[j].value, line.cells[j].text) for line in table.lines]
            charts[table.key] = bar_chart(chart_id=f"chart-{table.key}", title=str(table.title), bars=bars)
        trend = view.trend
        if trend is not None:
            series = [
                Series(
                    str(year),
                    tuple(
                        Bar(str(line.label), line.cells[k].value, line.cells[k].text) for line in trend.lines
                    ),
                )
                for k, year in enumerate(trend.columns)
            ]
            charts[trend.key] = grouped_bar_chart(
                chart_id=f"chart-{trend.key}",
                title=str(trend.title),
                groups=[str(line.label) for line in trend.lines],
                series=series,
            )
    return charts


def _column_of(board: Dashboard) -> int:
    """The column of the chosen school in the year tables (a director's dashboard always has one)."""
    school = board.school or board.scope.visible[0]
    return [s.pk for s in board.scope.visible].index(school.pk)


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    board = _dashboard(request)
    charts = _charts(board)
    sections = [
        {
            "view": view,
            "tables": [
                (t, charts.get(t.key))
                for t in (view.year_table, view.quarter_table, view.trend)
                if t is not None
            ],
        }
        for view in board.sections
    ]
    return render(request, "monitoring/dashboard.html", {"board": board, "sections": sections})


@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    board = _dashboard(request)
    content = csv_content(board)
    csv_export_record(board, actor=request.user, now=timezone.now())
    where = f"-{board.school.brin}" if board.school else ""
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{board.year.label}{where}.csv"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
