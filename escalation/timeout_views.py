"""The time-out pages (Bijlage 4, stap 5; LEGAL.md R1, R2): the request form and the time-out's page,
with a small POST view per action (POST-redirect-GET). A refusal about a field shows the page or
form again with the message next to the field and everything typed kept; a refusal about the whole
action (decided already, too late) is shown above the page.

Access (decided here, after `escalation.permissions`):

- The request form: the director and the deputy for any pupil of the school, a teacher for a
  pupil of their own group; other roles of the school 403; a pupil of another school 404. The pupil
  is read through the pupil chokepoint (`access_pupil_for_user`, access-logged).
- The time-out's page: the director, the deputy and the IB of the school, the requester and a
  teacher of the pupil's group; the board (its `board` role) when the school leaves time-outs to
  the board, or when the director decided alone (the board sees the reason); other roles of the
  school or the board 403; another school 404. Every read is access-logged, also a refused one.
- The actions: as `escalation.timeout_services` decides (`may_decide`, `may_withdraw`,
  `may_record_phone_call`, `may_make_letter`): 403 for whoever may read the page but not act.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communications.letter_models import LetterStatus
from incidents.permissions import access_incident_for_user
from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import Pupil, Role
from lev.schools.permissions import access_pupil_for_user, teaches_pupil
from lev.web.forms import add_service_errors, handle_form

from . import timeout_services as services
from .domain.exclusion import TimeOutPlace
from .models import ApprovalKind, TimeOut, TimeOutStatus
from .permissions import CASE_READ_ROLES, LEAD_ROLES, held_roles, role_text
from .timeout_forms import ApproveForm, LetterForm, PhoneCallForm, ReasonForm, TimeOutRequestForm
from .view_helpers import bound_form, lev_context, log_access, redirect_to, url_or_none


def approval_kind_label(kind: str) -> str:
    return str(ApprovalKind(kind).label) if kind in ApprovalKind.values else ""


# --- access ----------------------------------------------------------------------------------------


def _reader_role(ctx: AccessContext, time_out: TimeOut) -> str | None:
    roles = ctx.roles_at(time_out.school_id)
    if roles & CASE_READ_ROLES:
        return role_text(roles)
    if Role.TEACHER in roles and (
        time_out.requested_by_id == ctx.user.pk or teaches_pupil(ctx.user, time_out.pupil)
    ):
        return str(Role.TEACHER)
    if Role.BOARD in ctx.board_roles(time_out.board_id) and (
        services.board_decides(time_out.school) or time_out.approval_kind == ApprovalKind.SELF
    ):
        return str(Role.BOARD)
    return None


def access_time_out_for_user(ctx: AccessContext, time_out_id: int, *, log: bool = True) -> TimeOut:
    """The time-out, if the user may read it; 404 for another school's or a missing one, 403 for a
    role of the school (or its board) that may not. The read is logged (LOG=False: the caller logs
    when it shows the page)."""
    time_out = (
        TimeOut.objects.select_related(
            "school",
            "school__board",
            "pupil",
            "episode",
            "incident",
            "requested_by",
            "decided_by",
            "parents_phoned_by",
            "letter",
        )
        .filter(pk=time_out_id)
        .first()
    )
    if time_out is None:
        raise Http404
    roles, board_roles = held_roles(ctx, time_out.school_id, time_out.board_id)
    role = _reader_role(ctx, time_out)
    if role is None:
        log_access(ctx, time_out, time_out.pupil_id, roles | board_roles, granted=False)
        raise PermissionDenied
    if log:
        log_read(ctx, time_out, role)
    return time_out


def log_read(ctx: AccessContext, time_out: TimeOut, role: str | None = None) -> None:
    read(
        user=ctx.user,
        obj=time_out,
        pupil_id=time_out.pupil_id,
        role=role or _reader_role(ctx, time_out) or "",
    )


def _pupil_for_request(ctx: AccessContext, pupil_id: int) -> Pupil:
    """The pupil of the request form: 404 outside the user's schools; 403 for a role that may not
    ask for a time-out for this pupil (logged as a refused read); the granted read is logged by the
    pupil chokepoint."""
    pupil = Pupil.objects.filter(pk=pupil_id, school_id__in=[s.pk for s in ctx.schools]).first()
    if pupil is None:
        raise Http404
    roles = ctx.roles_at(pupil.school_id)
    allowed = bool(roles & LEAD_ROLES) or (Role.TEACHER in roles and teaches_pupil(ctx.user, pupil))
    if not allowed:
        log_access(ctx, pupil, pupil.pk, roles, granted=False)
        raise PermissionDenied
    return access_pupil_for_user(ctx, pupil.pk).pupil


# --- the request form ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def timeout_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """Ask for a time-out for the pupil, optionally after `?incident=<id>` (its facts pre-filled)."""
    ctx = lev_context(request)
    pupil = _pupil_for_request(ctx, pupil_id)
    now = timezone.now()
    today = timezone.localdate(now)
    incident = None
    asked = request.GET.get("incident", "")
    if asked:
        if not asked.isdigit():
            raise Http404
        incident = access_incident_for_user(ctx, int(asked))
        if incident.school_id != pupil.school_id:
            raise Http404
    lead = bool(ctx.roles_at(pupil.school_id) & LEAD_ROLES)
    initial: dict[str, Any] = {
        "first_day": today,
        "last_day": today,
        "place": TimeOutPlace.IN_SCHOOL.value,
    }
    if incident is not None:
        initial["reason"] = incident.description
    form = TimeOutRequestForm(request.POST if request.method == "POST" else None, lead=lead, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            time_out = services.timeout_request(
                pupil=pupil,
                reason=data["reason"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                where=data["where"],
                place=data["place"],
                work=data["work"],
                excluded_activities=data["excluded_activities"],
                longer_confirmed=data.get("longer_confirmed", False),
                incident=incident,
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The time-out has been requested. It needs approval before it starts.")
            )
            return redirect("escalation:timeout_detail", time_out_id=time_out.pk)
    at_home = form.is_bound and form.data.get("place") == TimeOutPlace.AT_HOME.value
    school = pupil.school
    pending = TimeOut.objects.filter(pupil=pupil, status=TimeOutStatus.REQUESTED).first()
    return render(
        request,
        "escalation/timeout_new.html",
        {
            "pupil": pupil,
            "school": school,
            "form": form,
            "incident": incident,
            "lead": lead,
            "setting": services.time_out_setting(school),
            "at_home": at_home,
            "schorsing_url": url_or_none("escalation:schorsing_new", pupil.pk) if at_home else None,
            "ladder_url": url_or_none("escalation:pupil_ladder", pupil.pk),
            "pending": pending,
            "board_decides": services.board_decides(school),
        },
    )


# --- the time-out's page ---------------------------------------------------------------------------


def _reminder(time_out: TimeOut, today: Any) -> dict[str, Any] | None:
    """R1: the parents are told the same day, by phone and in writing. What is still missing."""
    if time_out.status != TimeOutStatus.APPROVED:
        return None
    letter = time_out.letter
    no_phone = time_out.parents_phoned_at is None
    no_letter = letter is None
    not_sent = letter is not None and letter.status != LetterStatus.SENT
    if not (no_phone or no_letter or not_sent):
        return None
    return {
        "no_phone": no_phone,
        "no_letter": no_letter,
        "letter_not_sent": not_sent,
        "today": time_out.first_day <= today <= time_out.last_day,
        "before": today < time_out.first_day,
        "after": today > time_out.last_day,
    }


def _reason_form(prefix: str, data: Any = None) -> ReasonForm:
    """The form to reject (PREFIX "reject") or withdraw ("withdraw") a request: the reason is required."""
    required = {
        "reject": _("Write down why the time-out is rejected."),
        "withdraw": _("Write down why the request is withdrawn."),
    }
    return ReasonForm(data, prefix=prefix, required_message=required[prefix])


def _page(
    request: HttpRequest, time_out: TimeOut, *, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The time-out's page. BOUND holds a posted form with its errors under its key; other forms
    appear only to those who may use them, in the status they belong to."""
    user = request.user
    bound = bound or {}
    now = timezone.now()
    today = timezone.localdate(now)
    requested = time_out.status == TimeOutStatus.REQUESTED
    too_late = requested and today > time_out.first_day
    school_days = services.school_days_of(time_out)
    decide = requested and services.may_decide(user, time_out, today)
    forms: dict[str, Form | None] = dict.fromkeys(("approve", "reject", "withdraw", "phone", "letter"))
    self_decision = services.self_decision_needed(user, time_out)
    if decide and not too_late:
        forms["approve"] = ApproveForm(
            prefix="approve",
            self_decision=self_decision,
            needs_confirmation=school_days > 1 and not time_out.longer_confirmed,
        )
    if decide:
        forms["reject"] = _reason_form("reject")
    if requested and services.may_withdraw(user, time_out, today):
        forms["withdraw"] = _reason_form("withdraw")
    if (
        time_out.status in (TimeOutStatus.REQUESTED, TimeOutStatus.APPROVED)
        and time_out.parents_phoned_at is None
        and services.may_record_phone_call(user, time_out, today)
    ):
        forms["phone"] = PhoneCallForm(prefix="phone", now=now)
    if (
        time_out.status == TimeOutStatus.APPROVED
        and time_out.letter_id is None
        and services.may_make_letter(user, time_out, today)
    ):
        forms["letter"] = LetterForm(prefix="letter")
    forms.update(bound)
    excluded = [services.ExcludedActivity(code).label for code in time_out.excluded_activities]
    return render(
        request,
        "escalation/timeout_detail.html",
        {
            "time_out": time_out,
            "pupil": time_out.pupil,
            "forms": forms,
            "excluded": excluded,
            "school_days": school_days,
            "too_late": too_late,
            "self_decision": self_decision and decide,
            "approval_kind": approval_kind_label(time_out.approval_kind),
            "is_self": time_out.approval_kind == ApprovalKind.SELF,
            "reminder": _reminder(time_out, today),
            "letter_url": url_or_none("communications:letter_detail", time_out.letter_id)
            if time_out.letter_id
            else None,
            "ladder_url": url_or_none("escalation:pupil_ladder", time_out.pupil_id),
            "incident_url": url_or_none("incidents:incident_detail", time_out.incident_id)
            if time_out.incident_id
            else None,
            "board_decides": services.board_decides(time_out.school),
            "today": today,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def timeout_detail(request: HttpRequest, time_out_id: int) -> HttpResponse:
    time_out = access_time_out_for_user(lev_context(request), time_out_id)
    return _page(request, time_out)


def _to(time_out: TimeOut, anchor: str = "") -> HttpResponse:
    return redirect_to("escalation:timeout_detail", time_out.pk, anchor)


def _again(request: HttpRequest, time_out: TimeOut, form: Form) -> HttpResponse:
    """The page once more with FORM and its errors (the read is logged: the page shows the pupil)."""
    log_read(lev_context(request), time_out)
    return _page(request, time_out, bound=bound_form(form))


def _handle(
    request: HttpRequest,
    time_out: TimeOut,
    *,
    form: Form,
    success: str,
    run: Callable[[dict[str, Any]], Any],
    anchor: str = "",
    done: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """Validate FORM, call the service through RUN, and either go back to ANCHOR (or DONE(what RUN
    returned)) with SUCCESS, or show the page again with the errors at their fields. A refusal
    about the whole action is shown above the page (the form may no longer apply)."""
    return handle_form(
        request,
        form,
        run=run,
        success=success,
        done=done or (lambda _result: _to(time_out, anchor)),
        again=lambda: _again(request, time_out, form),
        refused=lambda: _to(time_out),
    )


def _acting(request: HttpRequest, time_out_id: int, allowed: Any) -> TimeOut:
    """The time-out for an action: readable by the user (404/403 as the page), and ALLOWED(user,
    time_out, today) for this action (403 otherwise)."""
    time_out = access_time_out_for_user(lev_context(request), time_out_id, log=False)
    if not allowed(request.user, time_out, timezone.localdate()):
        raise PermissionDenied
    return time_out


@never_cache
@require_http_methods(["POST"])
def timeout_approve(request: HttpRequest, time_out_id: int) -> HttpResponse:
    time_out = _acting(request, time_out_id, services.may_decide)
    return _handle(
        request,
        time_out,
        form=ApproveForm(
            request.POST,
            prefix="approve",
            self_decision=services.self_decision_needed(request.user, time_out),
            needs_confirmation=services.school_days_of(time_out) > 1 and not time_out.longer_confirmed,
        ),
        success=_("The time-out has been approved. Phone the parents and send them the letter today."),
        anchor="parents",
        run=lambda d: services.timeout_approve(
            time_out=time_out,
            actor=request.user,
            now=timezone.now(),
            self_reason=d.get("self_reason", ""),
            longer_confirmed=d.get("longer_confirmed", False),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def timeout_reject(request: HttpRequest, time_out_id: int) -> HttpResponse:
    time_out = _acting(request, time_out_id, services.may_decide)
    return _handle(
        request,
        time_out,
        form=_reason_form("reject", request.POST),
        success=_("The time-out has been rejected."),
        run=lambda d: services.timeout_reject(
            time_out=time_out, reason=d["reason"], actor=request.user, now=timezone.now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def timeout_withdraw(request: HttpRequest, time_out_id: int) -> HttpResponse:
    time_out = _acting(request, time_out_id, services.may_withdraw)
    return _handle(
        request,
        time_out,
        form=_reason_form("withdraw", request.POST),
        success=_("The request has been withdrawn."),
        run=lambda d: services.timeout_withdraw(
            time_out=time_out, reason=d["reason"], actor=request.user, now=timezone.now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def timeout_phone(request: HttpRequest, time_out_id: int) -> HttpResponse:
    time_out = _acting(request, time_out_id, services.may_record_phone_call)
    now = timezone.now()
    return _handle(
        request,
        time_out,
        form=PhoneCallForm(request.POST, prefix="phone", now=now),
        success=_("The phone call to the parents has been recorded."),
        anchor="parents",
        run=lambda d: services.timeout_parents_phoned(
            time_out=time_out, phoned_at=d["phoned_at"], note=d["note"], actor=request.user, now=now
        ),
    )


@never_cache
@require_http_methods(["POST"])
def timeout_letter(request: HttpRequest, time_out_id: int) -> HttpResponse:
    time_out = _acting(request, time_out_id, services.may_make_letter)

    def to_letter(letter: Any) -> HttpResponse:
        url = url_or_none("communications:letter_detail", letter.pk)
        return redirect(url) if url else _to(time_out, "parents")

    return _handle(
        request,
        time_out,
        form=LetterForm(request.POST, prefix="letter"),
        success=_(
            "The letter has been made from the record. Complete the conversation you offer, then "
            "submit it for approval and send it today."
        ),
        run=lambda d: services.timeout_letter(time_out=time_out, actor=request.user, now=timezone.now()),
        done=to_letter,
    )
