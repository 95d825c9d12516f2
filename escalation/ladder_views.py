"""The ladder pages: a pupil's stappenplan (UX.md "Stappenplan"), recording steps 1–4, opening and
closing an episode, the serious incident, the school's overview and the board's decisions page.

The pupil's pages read the file through the pupil chokepoint (`open_pupil_file`: access-logged,
a teacher outside their groups gives a reason first). POST views redirect back to the ladder page;
a refusal shows the form again with the message next to its field and everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.audit.services import read
from lev.schools.models import Role
from lev.schools.permissions import PupilAccess, refuse_role_at_pupils_school
from lev.schools.reasons import open_pupil_file
from lev.web.forms import add_service_errors, handle_form

from . import services
from .board import board_sections
from .domain.ladder import LadderRefused
from .ladder_forms import EpisodeCloseForm, EpisodeOpenForm, SeriousIncidentForm, StepForm
from .ladder_selectors import ladder_overview, ladder_page, pupil_incident_choices
from .models import EpisodeState
from .permissions import (
    LEAD_ROLES,
    STEP_ROLES,
    access_episode_for_user,
    may_decide_board,
    may_view_overview,
    role_text,
)
from .view_helpers import lev_context


def _to_ladder(pupil_id: int) -> HttpResponse:
    return redirect("escalation:pupil_ladder", pupil_id=pupil_id)


def _may_record(access: PupilAccess) -> bool:
    roles = access.roles
    return bool(roles & (STEP_ROLES - {Role.TEACHER})) or (Role.TEACHER in roles and access.own_group)


def _refusal_errors(exc: LadderRefused) -> ValidationError:
    return ValidationError([notice.message for notice in exc.refusals])


def _page(request: HttpRequest, access: PupilAccess, *, status: int = 200, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    page = ladder_page(access, today)
    incidents = pupil_incident_choices(access.pupil)
    if page.may_lead and page.episode is not None:
        forms.setdefault("serious_form", SeriousIncidentForm(incidents=incidents))
        forms.setdefault("close_form", EpisodeCloseForm())
    return render(
        request, "escalation/ladder.html", {"page": page, "pupil": access.pupil, **forms}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def pupil_ladder(request: HttpRequest, pupil_id: int) -> HttpResponse:
    if request.method == "POST" and "reason" not in request.POST:
        return _to_ladder(pupil_id)  # only the teacher's reason form posts here (open_pupil_file)
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    if not opened.roles & STEP_ROLES:
        raise PermissionDenied
    return _page(request, opened)


def _refuse_non_lead(request: HttpRequest, pupil_id: int) -> None:
    """403 before the file is read when the user works at the pupil's school in a role that may not
    start a stappenplan (a pupil of another school stays a 404 through the chokepoint)."""
    refuse_role_at_pupils_school(lev_context(request), pupil_id, LEAD_ROLES, role_label=role_text)


@never_cache
@require_http_methods(["GET", "POST"])
def episode_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    _refuse_non_lead(request, pupil_id)
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    if not opened.roles & LEAD_ROLES:
        raise PermissionDenied
    pupil = opened.pupil
    existing = services.open_episode(pupil)
    if existing is not None:
        messages.info(request, _("This pupil already has an open stappenplan; continue here."))
        return _to_ladder(pupil.pk)
    incidents = pupil_incident_choices(pupil)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("incident", "")
    if wanted.isdigit() and incidents.filter(pk=int(wanted)).exists():
        initial["incident"] = int(wanted)
    form = EpisodeOpenForm(request.POST or None, incidents=incidents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_open(
                pupil=pupil,
                incident=form.cleaned_data["incident"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The stappenplan has started."))
            return _to_ladder(pupil.pk)
    return render(request, "escalation/episode_new.html", {"pupil": pupil, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    if not _may_record(opened):
        raise PermissionDenied
    pupil = opened.pupil
    incidents = pupil_incident_choices(pupil)
    initial: dict[str, Any] = {}
    wanted = request.GET.get("stap", "")
    if wanted in {"1", "2", "3", "4"}:
        initial["step"] = int(wanted)
    is_post = request.method == "POST" and "reason" not in request.POST
    form = StepForm(request.POST if is_post else None, incidents=incidents, initial=initial)
    if is_post and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_record(
                pupil=pupil,
                step=data["step"],
                happened_on=data["happened_on"],
                summary=data["summary"],
                participants=data["participants"],
                agreements=data["agreements"],
                parents_informed=data["parents_informed"],
                parents_informed_how=data["parents_informed_how"],
                consequences=data["consequences"],
                incidents=list(data["incidents"]),
                actor=request.user,
                now=timezone.now(),
            )
        except LadderRefused as exc:
            add_service_errors(form, _refusal_errors(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step %(step)s is recorded.") % {"step": data["step"]})
            return _to_ladder(pupil.pk)
    return render(request, "escalation/step_form.html", {"pupil": pupil, "form": form})


@never_cache
@require_http_methods(["POST"])
def serious_incident(request: HttpRequest, episode_id: int) -> HttpResponse:
    ctx = lev_context(request)
    episode = access_episode_for_user(ctx, episode_id, lead=True)
    opened = open_pupil_file(request, episode.pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    form = SeriousIncidentForm(request.POST, incidents=pupil_incident_choices(episode.pupil))
    return handle_form(
        request,
        form,
        run=lambda d: services.serious_incident_record(
            episode=episode,
            incident=d["incident"],
            reason=d["reason"],
            actor=request.user,
            now=timezone.now(),
        ),
        success=_("The serious incident is recorded."),
        done=lambda _result: _to_ladder(episode.pupil_id),
        again=lambda: _page(request, opened, serious_form=form),
    )


@never_cache
@require_http_methods(["POST"])
def episode_close(request: HttpRequest, episode_id: int) -> HttpResponse:
    ctx = lev_context(request)
    episode = access_episode_for_user(ctx, episode_id, lead=True)
    opened = open_pupil_file(request, episode.pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    form = EpisodeCloseForm(request.POST)

    def close(d: dict[str, Any]) -> Any:
        try:
            return services.episode_close(
                episode=episode, note=d["note"], actor=request.user, now=timezone.now()
            )
        except LadderRefused as exc:
            raise _refusal_errors(exc) from exc

    return handle_form(
        request,
        form,
        run=close,
        success=_("The episode is closed."),
        done=lambda _result: _to_ladder(episode.pupil_id),
        again=lambda: _page(request, opened, close_form=form),
    )


@never_cache
@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    ctx = lev_context(request)
    school = ctx.active_school
    if school is None or not may_view_overview(ctx, school):
        raise PermissionDenied
    wanted = request.GET.get("stap", "")
    step = int(wanted) if wanted in {"1", "2", "3", "4", "5", "6", "7"} else None
    rows = ladder_overview(ctx, school, timezone.localdate(), step=step)
    read(
        user=ctx.user,
        object_type="escalation.overview",
        object_id=school.pk,
        school=school,
        board=school.board,
    )
    return render(
        request,
        "escalation/overview.html",
        {"school": school, "rows": rows, "step": step, "steps": range(1, 8), "states": EpisodeState},
    )


@never_cache
@require_http_methods(["GET"])
def board_decisions(request: HttpRequest) -> HttpResponse:
    ctx = lev_context(request)
    board = ctx.active_board
    if board is None or not may_decide_board(ctx, board.pk):
        raise PermissionDenied
    sections = board_sections(ctx, board)
    read(user=ctx.user, object_type="escalation.board_decisions", object_id=board.pk, board=board)
    return render(request, "escalation/board_decisions.html", {"board": board, "sections": sections})
