"""The baselines: what a LEV page costs before it does any work of its own.

`baseline`: a signed-in, two-factor-verified request passes the whole middleware stack (session,
user, OTP device, timeouts, memberships for the navigation), runs one query on an index and renders
the base template with the user's menu. Each page's time is compared with this view's time measured
with the same client in the same run.

`dashboard_baseline`: the same request, running exactly the SQL with which the board dashboard reads
its data (the count table for the running school year and the two before it, the pupils, the open
Meldcode cases and the overdue deadlines; the functions the page calls) and answering a line of
plain text: no suppression, no tables, no charts, no template.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lev.monitoring.dashboard import (
    TREND_YEARS,
    SchoolYearSpan,
    read_sources,
)
from lev.schools.models import Board, Pupil


def baseline(request: HttpRequest, school_id: int) -> HttpResponse:
    # One query on the index (school, achternaam, roepnaam): the first pupil by name.
    first = (
        Pupil.objects.filter(school_id=school_id)
        .order_by("achternaam", "roepnaam")
        .values_list("pk", flat=True)
        .first()
    )
    return render(request, "base.html", {"baseline_first_pupil": first})


def dashboard_baseline(request: HttpRequest, board_id: int) -> HttpResponse:
    # The page has its board from the middleware already: no query for it here either.
    board = Board(pk=board_id)
    today = timezone.localdate()
    year = SchoolYearSpan.of(today)  # the running school year, as the page measured
    # Exactly what `lev.monitoring.dashboard.dashboard` reads (`read_sources`).
    sources = read_sources(
        board, year=year, trend_years=[year.previous(n) for n in range(TREND_YEARS - 1, -1, -1)], today=today
    )
    counts, pupils, cases, overdue = sources.counts, sources.pupils, sources.open_cases, sources.overdue
    return HttpResponse(
        f"{len(counts)} {sum(pupils.values())} {sum(cases.values())} {sum(overdue.values())}\n",
        content_type="text/plain; charset=utf-8",
    )
