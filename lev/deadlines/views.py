"""Deadline pages: "My deadlines" for everyone signed in, the school's (and board's) list, and one
deadline with its explanation, reminders and history, where it can be marked met or waived."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import WaiveForm
from .models import Deadline, Visibility
from .permissions import list_scopes
from .selectors import (
    board_deadlines,
    deadline_for_user,
    deadline_history,
    my_deadlines,
    rows,
    school_deadlines,
)
from .services import DeadlineStateError, deadline_meet, deadline_waive
from .subjects import subject_link


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


def closed_in_its_process(deadline: Deadline) -> bool:
    """A Meldcode term is closed in its case (the feedback or the evaluation recorded, the case
    closed), under the case's own access: a reader of the term may have only read access."""
    return deadline.visibility == Visibility.MELDCODE_CASE


def _closable(request: HttpRequest, deadline_id: int) -> Deadline:
    deadline = _visible(request, deadline_id)
    if closed_in_its_process(deadline):
        raise PermissionDenied
    return deadline


def _visible(request: HttpRequest, deadline_id: int) -> Deadline:
    ctx = request.lev  # type: ignore[attr-defined]
    deadline = deadline_for_user(ctx, deadline_id, today=timezone.localdate())
    if deadline is None:
        raise Http404
    return deadline


def _detail(
    request: HttpRequest, deadline: Deadline, waive_form: WaiveForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "deadlines/detail.html",
        {
            "d": deadline,
            "overdue": deadline.status == "missed" or (deadline.is_open and deadline.overdue_at <= now),
            "reminders": list(deadline.reminders.order_by("send_at", "pk")),
            "history": deadline_history(deadline),
            "waive_form": waive_form,
            "subject": subject_link(request.lev, deadline),  # type: ignore[attr-defined]
            "closed_in_process": closed_in_its_process(deadline),
        },
        status=status,
    )


@require_http_methods(["GET"])
def detail(request: HttpRequest, deadline_id: int) -> HttpResponse:
    return _detail(request, _visible(request, deadline_id), WaiveForm())


@require_POST
def meet(request: HttpRequest, deadline_id: int) -> HttpResponse:
    deadline = _closable(request, deadline_id)
    try:
        deadline_meet(deadline=deadline, actor=request.user, now=timezone.now())
    except DeadlineStateError:
        messages.error(request, _("This term has already been closed; nothing was changed."))
    else:
        messages.success(request, _("The term has been marked as met."))
    return redirect("deadlines:detail", deadline_id=deadline.pk)


@require_POST
def waive(request: HttpRequest, deadline_id: int) -> HttpResponse:
    deadline = _closable(request, deadline_id)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        return _detail(request, deadline, form)
    try:
        deadline_waive(
            deadline=deadline, reason=form.cleaned_data["reason"], actor=request.user, now=timezone.now()
        )
    except DeadlineStateError:
        messages.error(request, _("This term has already been closed; nothing was changed."))
    else:
        messages.success(request, _("The term no longer applies; the reason has been recorded."))
    return redirect("deadlines:detail", deadline_id=deadline.pk)
