"""Deadline pages: "My deadlines" for everyone signed in, and the school's (and board's) list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .permissions import list_scopes
from .selectors import board_deadlines, my_deadlines, rows, school_deadlines


@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    now = timezone.now()
    deadlines = rows(my_deadlines(ctx, now=now, today=timezone.localdate(now)), now)
    return render(request, "deadlines/mine.html", {"rows": deadlines})


@require_http_methods(["GET"])
def school_list(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    scopes = list_scopes(ctx)
    if scopes.school is None and not scopes.boards:
        raise PermissionDenied
    now = timezone.now()
    school_rows = rows(school_deadlines(ctx, scopes.school, now=now), now) if scopes.school else None
    board_sections = [(board, rows(board_deadlines(ctx, board, now=now), now)) for board in scopes.boards]
    return render(
        request,
        "deadlines/list.html",
        {"school": scopes.school, "school_rows": school_rows, "board_sections": board_sections},
    )
