"""The crisis pages: the school's crises, starting one from incidents, and the one page that shows
it all (UX.md "Crisis"), with a small POST view per part (POST-redirect-GET to the part's anchor).

Access is `crisis.permissions`: director and deputy manage, the IB reads and works on their own
actions, other roles of the school 403, another school 404. A crisis page is access-logged once
per page shown: by the access check on GET, by `log_crisis_read` when a POST shows the page again
with the form's errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from incidents.permissions import access_incident_for_user
from lev.web.forms import add_service_errors, handle_form

from . import services
from .domain.media import MEDIA_GUIDANCE
from .forms import (
    ActionForm,
    CommunicationForm,
    CrisisContactForm,
    CrisisIncidentsForm,
    CrisisStartForm,
    EvaluationCloseForm,
    EvaluationForm,
    MeasureEndForm,
    MeasureForm,
    MediaForm,
    ParticipantForm,
    ParticipantRemoveForm,
    PlanForm,
    SpokespersonForm,
)
from .models import Crisis, Participant, TemporaryMeasure
from .permissions import (
    access_action_for_user,
    access_crisis_for_user,
    crisis_members,
    log_crisis_read,
    may_manage,
    may_view,
    may_work_on_action,
)
from .selectors import (
    crisis_list,
    crisis_page,
    crisis_pupils,
    incidents_to_escalate,
    incidents_to_link,
    letters_for_decisions,
    open_crisis_of,
)


def _ctx(request: HttpRequest) -> Any:
    return request.lev  # type: ignore[attr-defined]


def _to(crisis: Crisis, anchor: str) -> HttpResponse:
    return redirect(reverse("crisis:detail", args=[crisis.pk]) + f"#{anchor}")


# --- List and start ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def crisis_list_view(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    school = ctx.active_school
    if not may_view(ctx, school):
        raise PermissionDenied
    return render(
        request,
        "crisis/list.html",
        {"school": school, "crises": crisis_list(ctx, school), "may_start": may_manage(ctx, school)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def crisis_new(request: HttpRequest) -> HttpResponse:
    """Start a crisis at the active school, from `?incident=<id>` or from a choice of its open
    incidents. Director and deputy only; an incident of another school answers 404."""
    ctx = _ctx(request)
    school = ctx.active_school
    if not may_manage(ctx, school):
        raise PermissionDenied
    incident = None
    asked = request.GET.get("incident", "")
    if asked:
        if not asked.isdigit():
            raise Http404
        incident = access_incident_for_user(ctx, int(asked), need="manage")
        if incident.school_id != school.pk:
            raise Http404
        running = open_crisis_of(incident)
        if running is not None and request.method == "GET":
            messages.info(request, _("This incident is already part of an open crisis."))
            return redirect("crisis:detail", crisis_id=running.pk)
    now = timezone.now()
    form = CrisisStartForm(
        request.POST if request.method == "POST" else None,
        incidents=incidents_to_escalate(ctx, school, include=incident, today=timezone.localdate(now)),
        initial={"incidents": [incident.pk]} if incident is not None else None,
    )
    if form.is_bound and form.is_valid():
        try:
            crisis = services.crisis_start(
                school=school,
                incidents=list(form.cleaned_data["incidents"]),
                title=form.cleaned_data["title"],
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The crisis has started. Divide the five actions: choose an owner for each.")
            )
            return redirect("crisis:detail", crisis_id=crisis.pk)
    return render(request, "crisis/new.html", {"form": form, "incident": incident, "school": school})


# --- The crisis page -------------------------------------------------------------------------------


def _page(request: HttpRequest, crisis: Crisis, *, bound: dict[str, Form] | None = None) -> HttpResponse:
    """The crisis page. BOUND holds a posted form with its errors, under its key ("plan",
    "action-<id>", "evaluate-<measure id>", …); every other form is empty. Forms appear only to
    those who may use them and only while the crisis is open; a part whose form has errors is
    shown unfolded."""
    ctx = _ctx(request)
    bound = bound or {}
    now = timezone.now()
    today = timezone.localdate(now)
    manage = may_manage(ctx, crisis.school_id) and crisis.is_open
    page = crisis_page(crisis, now=now)
    members = crisis_members(crisis.school, today)
    spokesperson = services.spokesperson_label(crisis)
    for row in page.actions:
        key = f"action-{row.action.pk}"
        if not crisis.is_open or not may_work_on_action(ctx, row.action, crisis):
            continue
        row.form = bound.get(key) or ActionForm(
            prefix=f"action-{row.action.position}",
            members=members,
            may_assign=manage,
            initial={"owner": row.action.owner_id, "status": row.action.status, "note": row.action.note},
        )
    for measure_row in page.measures:
        pk = measure_row.measure.pk
        active = manage and measure_row.measure.is_active
        measure_row.evaluate_form = (
            (
                bound.get(f"evaluate-{pk}")
                or EvaluationForm(prefix=f"evaluation-{pk}", initial={"held_on": today})
            )
            if active
            else None
        )
        measure_row.end_form = (
            (bound.get(f"end-{pk}") or MeasureEndForm(prefix=f"end-{pk}", initial={"ended_on": today}))
            if active
            else None
        )
    for participant_row in page.participants:
        pk = participant_row.participant.pk
        participant_row.remove_form = (
            (bound.get(f"remove-{pk}") or ParticipantRemoveForm(prefix=f"remove-{pk}")) if manage else None
        )
    forms: dict[str, Form | None] = dict.fromkeys(
        (
            "incidents",
            "plan",
            "spokesperson",
            "participant",
            "contact",
            "measure",
            "communication",
            "media",
            "evaluation",
        )
    )
    if manage:
        forms = {
            "incidents": bound.get("incidents")
            or CrisisIncidentsForm(prefix="incidents", incidents=incidents_to_link(ctx, crisis, today=today)),
            "plan": bound.get("plan")
            or PlanForm(
                prefix="plan",
                initial={
                    "weighing": crisis.weighing,
                    "intended_conversations": crisis.intended_conversations,
                    "involved": crisis.involved,
                },
            ),
            "spokesperson": bound.get("spokesperson")
            or SpokespersonForm(
                prefix="spokesperson",
                members=members,
                initial={
                    "spokesperson": crisis.spokesperson,
                    "spokesperson_user": crisis.spokesperson_user_id,
                    "spokesperson_name": crisis.spokesperson_name,
                    "spokesperson_function": crisis.spokesperson_function,
                },
            ),
            "participant": bound.get("participant") or ParticipantForm(prefix="participant"),
            "contact": bound.get("contact")
            or CrisisContactForm(prefix="contact", pupils=crisis_pupils(crisis, today), now=now),
            "measure": bound.get("measure")
            or MeasureForm(
                prefix="measure", pupils=crisis_pupils(crisis, today), initial={"starts_on": today}
            ),
            "communication": bound.get("communication")
            or CommunicationForm(
                prefix="communication", letters=letters_for_decisions(ctx, crisis.school), now=now
            ),
            "media": bound.get("media") or MediaForm(prefix="media", spokesperson=spokesperson, now=now),
            "evaluation": bound.get("evaluation")
            or EvaluationCloseForm(
                prefix="evaluation",
                initial={
                    "sounding_board": crisis.sounding_board,
                    "process_evaluation": crisis.process_evaluation,
                    "result_evaluation": crisis.result_evaluation,
                },
            ),
        }
    return render(
        request,
        "crisis/detail.html",
        {
            "crisis": crisis,
            "page": page,
            "forms": forms,
            "manage": manage,
            "spokesperson": spokesperson,
            "media_guidance": MEDIA_GUIDANCE,
        },
    )


@never_cache
@require_http_methods(["GET"])
def crisis_detail(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = access_crisis_for_user(_ctx(request), crisis_id)
    return _page(request, crisis)


def _managed(request: HttpRequest, crisis_id: int) -> Crisis:
    return access_crisis_for_user(_ctx(request), crisis_id, need="manage", log=False)


def _again(request: HttpRequest, crisis: Crisis, key: str, form: Form) -> HttpResponse:
    """The page once more with FORM and its errors (the read is logged: the page shows pupils)."""
    log_crisis_read(_ctx(request), crisis)
    return _page(request, crisis, bound={key: form})


def _post(
    request: HttpRequest,
    crisis: Crisis,
    form: Form,
    *,
    run: Callable[[dict[str, Any]], Any],
    success: str,
    anchor: str,
    key: str,
    refusable: bool = False,
) -> HttpResponse:
    """A posted part of the page through `handle_form`: on success the message and back to the
    part's ANCHOR; otherwise the page again with the form under KEY. With REFUSABLE, a refusal that
    concerns no field (a closed crisis, a participant removed already) is shown above the page
    instead, as the form is no longer on it."""
    return handle_form(
        request,
        form,
        run=run,
        success=success,
        done=lambda _result: _to(crisis, anchor),
        again=lambda: _again(request, crisis, key, form),
        refused=(lambda: _to(crisis, anchor)) if refusable else None,
    )


# --- The parts -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["POST"])
def action_update(request: HttpRequest, crisis_id: int, action_id: int) -> HttpResponse:
    ctx = _ctx(request)
    crisis = access_crisis_for_user(ctx, crisis_id, log=False)
    action = access_action_for_user(ctx, crisis, action_id)
    manage = may_manage(ctx, crisis.school_id)
    now = timezone.now()
    form = ActionForm(
        request.POST,
        prefix=f"action-{action.position}",
        members=crisis_members(crisis.school, timezone.localdate(now)),
        may_assign=manage,
    )
    return _post(
        request,
        crisis,
        form,
        run=lambda data: services.crisis_action_update(
            action=action,
            owner=data["owner"] if manage else action.owner,
            status=data["status"],
            note=data["note"],
            actor=request.user,
            now=now,
        ),
        success=_("The action has been saved."),
        anchor=f"action-{action.position}",
        key=f"action-{action.pk}",
    )


@never_cache
@require_http_methods(["POST"])
def plan_update(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    return _post(
        request,
        crisis,
        PlanForm(request.POST, prefix="plan"),
        run=lambda data: services.crisis_plan_update(
            crisis=crisis, **data, actor=request.user, now=timezone.now()
        ),
        success=_("The plan of approach has been saved."),
        anchor="plan",
        key="plan",
    )


@never_cache
@require_http_methods(["POST"])
def spokesperson_set(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    now = timezone.now()
    form = SpokespersonForm(
        request.POST, prefix="spokesperson", members=crisis_members(crisis.school, timezone.localdate(now))
    )
    return _post(
        request,
        crisis,
        form,
        run=lambda data: services.crisis_spokesperson_set(
            crisis=crisis,
            kind=data["spokesperson"],
            user=data["spokesperson_user"],
            name=data["spokesperson_name"],
            function=data["spokesperson_function"],
            actor=request.user,
            now=now,
        ),
        success=_("The spokesperson for the media has been saved."),
        anchor="media",
        key="spokesperson",
    )


@never_cache
@require_http_methods(["POST"])
def participant_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    return _post(
        request,
        crisis,
        ParticipantForm(request.POST, prefix="participant"),
        run=lambda data: services.participant_add(
            crisis=crisis, **data, actor=request.user, now=timezone.now()
        ),
        success=_("The participant has been added."),
        anchor="participants",
        key="participant",
    )


@never_cache
@require_http_methods(["POST"])
def incidents_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    now = timezone.now()
    form = CrisisIncidentsForm(
        request.POST,
        prefix="incidents",
        incidents=incidents_to_link(_ctx(request), crisis, today=timezone.localdate(now)),
    )
    return _post(
        request,
        crisis,
        form,
        run=lambda data: services.crisis_incidents_add(
            crisis=crisis, incidents=list(data["incidents"]), actor=request.user, now=now
        ),
        success=_("The incidents have been linked to the crisis."),
        anchor="incidents",
        key="incidents",
        refusable=True,
    )


@never_cache
@require_http_methods(["POST"])
def participant_remove(request: HttpRequest, crisis_id: int, participant_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    participant = (
        Participant.objects.filter(pk=participant_id, crisis=crisis).select_related("crisis").first()
    )
    if participant is None:
        raise Http404
    return _post(
        request,
        crisis,
        ParticipantRemoveForm(request.POST, prefix=f"remove-{participant.pk}"),
        run=lambda data: services.participant_remove(
            participant=participant, reason=data["reason"], actor=request.user, now=timezone.now()
        ),
        success=_(
            "The participant has been removed from the list. The row stays visible under the removed participants."
        ),
        anchor="participants",
        key=f"remove-{participant.pk}",
        refusable=True,
    )


@never_cache
@require_http_methods(["POST"])
def contact_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    now = timezone.now()
    form = CrisisContactForm(
        request.POST, prefix="contact", pupils=crisis_pupils(crisis, timezone.localdate(now)), now=now
    )
    return _post(
        request,
        crisis,
        form,
        run=lambda data: services.crisis_contact_record(crisis=crisis, actor=request.user, now=now, **data),
        success=_("The contact with parents has been recorded."),
        anchor="contacts",
        key="contact",
    )


@never_cache
@require_http_methods(["POST"])
def measure_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    now = timezone.now()
    return _post(
        request,
        crisis,
        MeasureForm(request.POST, prefix="measure", pupils=crisis_pupils(crisis, timezone.localdate(now))),
        run=lambda data: services.measure_start(crisis=crisis, **data, actor=request.user, now=now),
        success=_("The temporary measure has been recorded. The first evaluation is in the deadlines."),
        anchor="measures",
        key="measure",
    )


def _measure(crisis: Crisis, measure_id: int) -> TemporaryMeasure:
    measure = TemporaryMeasure.objects.filter(pk=measure_id, crisis=crisis).select_related("crisis").first()
    if measure is None:
        raise Http404
    return measure


@never_cache
@require_http_methods(["POST"])
def measure_evaluate(request: HttpRequest, crisis_id: int, measure_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    measure = _measure(crisis, measure_id)
    return _post(
        request,
        crisis,
        EvaluationForm(request.POST, prefix=f"evaluation-{measure.pk}"),
        run=lambda data: services.measure_evaluate(
            measure=measure, **data, actor=request.user, now=timezone.now()
        ),
        success=_("The evaluation has been recorded. The next one is in the deadlines."),
        anchor=f"measure-{measure.pk}",
        key=f"evaluate-{measure.pk}",
    )


@never_cache
@require_http_methods(["POST"])
def measure_end(request: HttpRequest, crisis_id: int, measure_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    measure = _measure(crisis, measure_id)
    return _post(
        request,
        crisis,
        MeasureEndForm(request.POST, prefix=f"end-{measure.pk}"),
        run=lambda data: services.measure_end(
            measure=measure, **data, actor=request.user, now=timezone.now()
        ),
        success=_("The measure has ended. Its evaluations have stopped."),
        anchor=f"measure-{measure.pk}",
        key=f"end-{measure.pk}",
    )


@never_cache
@require_http_methods(["POST"])
def communication_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    form = CommunicationForm(
        request.POST, prefix="communication", letters=letters_for_decisions(_ctx(request), crisis.school)
    )
    return _post(
        request,
        crisis,
        form,
        run=lambda data: services.communication_record(
            crisis=crisis,
            **{**data, "letters": list(data["letters"])},
            actor=request.user,
            now=timezone.now(),
        ),
        success=_("The communication decision has been recorded."),
        anchor="communication",
        key="communication",
    )


@never_cache
@require_http_methods(["POST"])
def media_add(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    return _post(
        request,
        crisis,
        MediaForm(request.POST, prefix="media", spokesperson=services.spokesperson_label(crisis)),
        run=lambda data: services.media_log_record(
            crisis=crisis, **data, actor=request.user, now=timezone.now()
        ),
        success=_("The contact with the media has been added to the log."),
        anchor="media",
        key="media",
    )


@never_cache
@require_http_methods(["POST"])
def evaluation_save(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = _managed(request, crisis_id)
    close = request.POST.get("close") == "1"
    return _post(
        request,
        crisis,
        EvaluationCloseForm(request.POST, prefix="evaluation"),
        run=lambda data: services.crisis_evaluate_and_close(
            crisis=crisis, **data, close=close, actor=request.user, now=timezone.now()
        ),
        success=_("The crisis has been closed. It stays readable as it is.")
        if close
        else _("The evaluation has been saved."),
        anchor="evaluation",
        key="evaluation",
    )
