"""Pages of one incident: recording it, its detail page, attachments, follow-up actions, closing.

Who: teachers, staff without a group, the IB, the director and the deputy record incidents at their
school (they are the reporter; a lead may name another reporter). The leads — director, deputy,
IB — see every incident of the school and handle it: attachments, follow-up actions, closing. A
teacher or staff member sees the incidents they reported or recorded, read-only. Access goes
through `incidents.permissions.access_incident_for_user` (404 for another school's incident, 403 for
a role of this school that may not use it; every read is access-logged). Attachments are served
only through that same check, as a download with `nosniff` and `no-store`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.schools.models import Pupil
from lev.web.forms import add_service_errors

from . import incident_selectors as sel
from .incident_actions import incident_actions
from .incident_forms import (
    MAX_PUPIL_ROWS,
    AttachmentForm,
    CloseForm,
    FollowUpDoneForm,
    FollowUpForm,
    IncidentForm,
    pupil_rows,
)
from .incident_services import attachment_add, followup_add, followup_done, incident_close, incident_register
from .models import Incident, IncidentStatus
from .permissions import access_incident_for_user, access_signal_for_user, is_lead, may_record
from .uploads import EXTENSIONS, download_name


def _posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """The form's data (and files) on a POST, nothing on a GET."""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- Recording an incident ----------------------------------------------------------------------


def _new_form(request: HttpRequest, school: Any, *, lead: bool, more: bool) -> tuple[IncidentForm, Any]:
    """The new-incident form (bound on POST) and the signal it starts from, if any."""
    ctx = request.lev  # type: ignore[attr-defined]
    day = timezone.localdate()
    pupils = sel.pupil_choices(school, day)
    staff = sel.staff_choices(school, day)
    reporters = sel.reporter_choices(school, day) if lead else None
    source = None
    signal_ids: list[int] = []
    signal_param = _int(request.GET.get("signaal"))
    if request.method == "POST":
        signal_ids = [i for i in (_int(v) for v in request.POST.getlist("signals")) if i is not None]
        if signal_param is not None:
            signal_ids.append(signal_param)
    elif signal_param is not None:
        source = access_signal_for_user(ctx, signal_param)  # 404/403 and the access log
        if source.school_id != school.pk:
            raise Http404
        signal_ids = [source.pk]
    signals = sel.signal_choices(ctx, school, signal_ids)
    if request.method == "POST":
        rows = pupil_rows(request.POST, more=more)
        form = IncidentForm(
            request.POST,
            request.FILES,
            pupils=pupils,
            staff=staff,
            reporters=reporters,
            signals=signals,
            rows=rows,
        )
        return form, None
    initial: dict[str, Any] = {"happened_on": day, "reporter": request.user.pk, "signals": signal_ids}
    if source is not None:
        happened = timezone.localtime(source.happened_at)
        initial.update(
            {
                "happened_on": happened.date(),
                "happened_time": happened.time().replace(second=0, microsecond=0),
                "location": source.location,
                "description": source.description,
            }
        )
        known = {pk for pk, _label in pupils}
        for index, pupil_id in enumerate(p for p in source.pupils.values_list("pk", flat=True) if p in known):
            if index >= MAX_PUPIL_ROWS - 1:
                break
            initial[f"pupil_{index}"] = pupil_id
    else:
        chosen = _int(request.GET.get("leerling"))
        if chosen is not None and Pupil.objects.filter(pk=chosen, school=school).exists():
            initial["pupil_0"] = chosen
    rows = max(pupil_rows(None), sum(1 for key in initial if key.startswith("pupil_")) + 1)
    form = IncidentForm(
        initial=initial, pupils=pupils, staff=staff, reporters=reporters, signals=signals, rows=rows
    )
    return form, source


@never_cache
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    school = ctx.active_school
    if school is None or not may_record(ctx, school):
        raise PermissionDenied
    lead = is_lead(ctx, school)
    more = request.method == "POST" and "more_pupils" in request.POST
    form, source = _new_form(request, school, lead=lead, more=more)
    file_lost = False
    if more:
        form.without_errors()
    elif form.is_bound:
        if form.is_valid():
            now = timezone.now()
            try:
                incident = incident_register(
                    school=school,
                    **form.service_kwargs(school=school, actor=request.user),
                    actor=request.user,
                    now=now,
                )
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"pupils": "pupil_0"})
            else:
                messages.success(
                    request,
                    _("Incident %(number)s has been recorded. The IB and the director have been told.")
                    % {"number": incident.number},
                )
                return redirect("incidents:incident_detail", incident_id=incident.pk)
        file_lost = bool(request.FILES.get("attachment"))
    return render(
        request,
        "incidents/incident_new.html",
        {"form": form, "source": source, "lead": lead, "school": school, "file_lost": file_lost},
    )


# --- The incident ---------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    ctx = request.lev  # type: ignore[attr-defined]
    page = sel.incident_page(incident)
    lead = is_lead(ctx, incident.school_id)
    context: dict[str, Any] = {
        "incident": incident,
        "page": page,
        "assessments": page.assessments,
        "lead": lead,
        # The director, deputy and IB work on an open incident: follow-ups, closing (the services
        # refuse the same; the page only offers what they allow).
        "may_work": lead and incident.status == IncidentStatus.OPEN,
        "may_close": lead and incident.status == IncidentStatus.OPEN and not page.open_follow_ups,
        "register_url": reverse("incidents:register"),
        "signal_links": [
            (signal, reverse("incidents:signal_detail", args=[signal.pk])) for signal in page.signals
        ],
        "follow_up_rows": [
            (
                action,
                FollowUpDoneForm(prefix=f"done-{action.pk}") if lead and action.done_at is None else None,
            )
            for action in page.follow_ups
        ],
    }
    if lead:
        day = timezone.localdate()
        staff = sel.staff_choices(incident.school, day)
        context.update(
            {
                "attachment_form": AttachmentForm(),
                "followup_form": FollowUpForm(staff=staff, prefix="followup"),
                "close_form": CloseForm(prefix="close"),
                "incident_actions": incident_actions(ctx, incident),
            }
        )
    return context


@never_cache
@require_http_methods(["GET"])
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident_for_user(request.lev, incident_id)  # type: ignore[attr-defined]
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


def _manage(request: HttpRequest, incident_id: int) -> Incident:
    return access_incident_for_user(request.lev, incident_id, need="manage")  # type: ignore[attr-defined]


@never_cache
@require_http_methods(["GET", "POST"])
def incident_attachment_add(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _manage(request, incident_id)
    form = AttachmentForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            attachment_add(
                incident=incident,
                upload=form.cleaned_data["attachment"],
                description=form.cleaned_data.get("attachment_description", ""),
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect("incidents:incident_detail", incident_id=incident.pk)
    return render(request, "incidents/incident_attachment_form.html", {"incident": incident, "form": form})


@never_cache
@require_http_methods(["GET"])
def incident_attachment_download(request: HttpRequest, incident_id: int, attachment_id: int) -> FileResponse:
    incident = access_incident_for_user(request.lev, incident_id)  # type: ignore[attr-defined]
    attachment = sel.attachment_of(incident, attachment_id)
    content_type = (
        attachment.content_type if attachment.content_type in EXTENSIONS else "application/octet-stream"
    )
    extension = EXTENSIONS.get(attachment.content_type, "bin")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment.original_name, extension),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def incident_followup_add(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _manage(request, incident_id)
    staff = sel.staff_choices(incident.school, timezone.localdate())
    form = FollowUpForm(*_posted(request), staff=staff, prefix="followup")
    if request.method == "POST" and form.is_valid():
        try:
            followup_add(incident=incident, **form.service_kwargs(), actor=request.user, now=timezone.now())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The follow-up action has been added. It is in the owner's deadlines.")
            )
            return redirect("incidents:incident_detail", incident_id=incident.pk)
    return render(request, "incidents/incident_followup_form.html", {"incident": incident, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def incident_followup_done(request: HttpRequest, incident_id: int, action_id: int) -> HttpResponse:
    incident = _manage(request, incident_id)
    action = sel.followup_of(incident, action_id)
    if action.done_at is not None:
        messages.info(request, _("This action has been marked done already."))
        return redirect("incidents:incident_detail", incident_id=incident.pk)
    form = FollowUpDoneForm(*_posted(request), prefix=f"done-{action.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            followup_done(
                action=action, note=form.cleaned_data["note"], actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action has been marked done."))
            return redirect("incidents:incident_detail", incident_id=incident.pk)
    return render(
        request,
        "incidents/incident_followup_done.html",
        {"incident": incident, "action": action, "form": form},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def incident_close_view(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _manage(request, incident_id)
    if incident.status == IncidentStatus.CLOSED:
        messages.info(request, _("This incident is closed already."))
        return redirect("incidents:incident_detail", incident_id=incident.pk)
    form = CloseForm(*_posted(request), prefix="close")
    if request.method == "POST" and form.is_valid():
        try:
            incident_close(
                incident=incident, note=form.cleaned_data["note"], actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The incident has been closed."))
            return redirect("incidents:incident_detail", incident_id=incident.pk)
    open_actions = incident.follow_ups.filter(done_at__isnull=True).count()
    return render(
        request,
        "incidents/incident_close.html",
        {"incident": incident, "form": form, "open_actions": open_actions},
    )
