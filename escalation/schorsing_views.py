"""The schorsing pages (step 6 of the stappenplan; WPO art. 40c, LEGAL.md R3–R9).

- `schorsing_new` (a pupil): the director or the deputy prepares a schorsing. The mandate choice is
  there only for the director of a school whose settings give the director a mandate. On a refusal
  everything typed stays and each message is next to its field; the pupil's previous schorsing is
  shown.
- `schorsing_detail`: everything about one schorsing, with the forms the reader may use. The
  director, the deputy and the IB of the school read it; the director and the deputy act.
- `board_schorsing`: the board's decision page for one schorsing (board members of the school's
  board only): approve or reject a submission; hear, postpone and decide a beroep or bezwaar. The
  board sees pupil data only on this page (ARCHITECTURE.md §4).
- Small POST views, each coming back to its part of the page (POST-redirect-GET).

Access: another board's schorsing (or a missing one) answers 404; a role of the school, or a
board-wide role of its board, that may not use the page 403 — so board members get 403 on the
school's pages and the school's staff 403 on the board page. Every page shown is access-logged once
(granted or refused), a page shown again with a form's errors too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communications.letter_models import Letter
from communications.letter_services import is_board_letter
from incidents.models import Incident
from lev.audit.services import read
from lev.deadlines.models import Deadline
from lev.schools.access import AccessContext
from lev.schools.models import DecisionMaker, Pupil, Role
from lev.web.forms import add_service_errors

from . import schorsing_services as services
from .models import Objection, ObjectionKind, Schorsing, SchorsingStatus
from .permissions import LEAD_ROLES, role_text
from .schorsing_forms import (
    BoardDecisionForm,
    ConversationForm,
    EducationForm,
    ExtendForm,
    HearingForm,
    InspectieForm,
    LetterForm,
    ObjectionDecisionForm,
    ObjectionForm,
    SchorsingForm,
    WithdrawForm,
)

READ_ROLES = LEAD_ROLES | {Role.CARE_COORDINATOR}
Need = Literal["read", "lead"]


def _ctx(request: HttpRequest) -> AccessContext:
    return request.lev  # type: ignore[attr-defined,no-any-return]


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- access ----------------------------------------------------------------------------------------


def _log(ctx: AccessContext, obj: Any, pupil_id: int, roles: frozenset[str], *, granted: bool = True) -> None:
    read(user=ctx.user, obj=obj, pupil_id=pupil_id, role=role_text(roles), granted=granted)


def _held(ctx: AccessContext, school_id: int, board_id: int) -> frozenset[str]:
    """The roles the reader holds at the school, or else board-wide at its board (404 when none)."""
    held = ctx.roles_at(school_id) or ctx.board_roles(board_id)
    if not held:
        raise Http404
    return held


def access_pupil(ctx: AccessContext, pupil_id: int, *, log: bool) -> Pupil:
    """A pupil for whom the reader may prepare a schorsing (director, deputy)."""
    pupil = Pupil.objects.select_related("school", "school__board").filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404
    held = _held(ctx, pupil.school_id, pupil.board_id)
    allowed = bool(ctx.roles_at(pupil.school_id) & LEAD_ROLES)
    if log or not allowed:
        _log(ctx, pupil, pupil.pk, held, granted=allowed)
    if not allowed:
        raise PermissionDenied
    return pupil


def _schorsing(pk: int) -> Schorsing:
    schorsing = (
        Schorsing.objects.select_related("school", "school__board", "pupil", "board", "episode", "previous")
        .filter(pk=pk)
        .first()
    )
    if schorsing is None:
        raise Http404
    return schorsing


def access_schorsing(ctx: AccessContext, pk: int, *, need: Need = "read", log: bool = True) -> Schorsing:
    """A schorsing on the school's pages: the director, the deputy and the IB read; the director and
    the deputy act (NEED "lead"). Board members use the board page instead."""
    schorsing = _schorsing(pk)
    held = _held(ctx, schorsing.school_id, schorsing.board_id)
    allowed = bool(ctx.roles_at(schorsing.school_id) & (LEAD_ROLES if need == "lead" else READ_ROLES))
    if log or not allowed:
        _log(ctx, schorsing, schorsing.pupil_id, held, granted=allowed)
    if not allowed:
        raise PermissionDenied
    return schorsing


def access_board_schorsing(ctx: AccessContext, pk: int, *, log: bool = True) -> Schorsing:
    """A schorsing on the board's page: board members of the school's board only."""
    schorsing = _schorsing(pk)
    held = _held(ctx, schorsing.school_id, schorsing.board_id)
    allowed = Role.BOARD in ctx.board_roles(schorsing.board_id)
    if log or not allowed:
        _log(ctx, schorsing, schorsing.pupil_id, held, granted=allowed)
    if not allowed:
        raise PermissionDenied
    return schorsing


def _objection(schorsing: Schorsing, objection_pk: int) -> Objection:
    objection = Objection.objects.filter(pk=objection_pk, schorsing=schorsing).first()
    if objection is None:
        raise Http404
    return objection


# --- what the pages show -----------------------------------------------------------------------------


@dataclass
class ObjectionRow:
    objection: Objection
    terms: services.ObjectionTerms
    hearing_form: Form | None = None
    extend_form: Form | None = None
    decide_form: Form | None = None


@dataclass
class Page:
    schorsing: Schorsing
    duration: Any
    incidents: list[Incident]
    inspectie: Deadline | None
    letters: list[Letter]
    objections: list[ObjectionRow]
    authority: str
    ladder_url: str | None
    forms: dict[str, Form | None] = field(default_factory=dict)


def _page_data(schorsing: Schorsing) -> Page:
    authority = ""
    if schorsing.status == SchorsingStatus.DECIDED:
        authority = schorsing.get_authority_display()
    return Page(
        schorsing=schorsing,
        duration=services.duration_of(schorsing),
        incidents=list(schorsing.incidents.order_by("-happened_on", "-pk")),
        inspectie=services.inspectie_deadline(schorsing),
        letters=services.letters_of(schorsing),
        objections=[
            ObjectionRow(objection=o, terms=services.objection_terms(o))
            for o in schorsing.objections.select_related("letter").order_by("received_on", "pk")
        ],
        authority=authority,
        ladder_url=_url("escalation:pupil_ladder", schorsing.pupil_id),
    )


def _to(name: str, schorsing: Schorsing, anchor: str) -> HttpResponse:
    return redirect(reverse(name, args=[schorsing.pk]) + f"#{anchor}")


def _refused(
    request: HttpRequest, exc: ValidationError, name: str, schorsing: Schorsing, anchor: str
) -> HttpResponse | None:
    """A refusal that concerns no field (already decided, withdrawn meanwhile): shown above the page."""
    if hasattr(exc, "error_dict"):
        return None
    for text in exc.messages:
        messages.error(request, text)
    return _to(name, schorsing, anchor)


# --- preparing ---------------------------------------------------------------------------------------


def _mandate_offered(ctx: AccessContext, pupil: Pupil) -> bool:
    return pupil.school.suspension_decided_by == DecisionMaker.DIRECTOR and Role.DIRECTOR in ctx.roles_at(
        pupil.school_id
    )


@never_cache
@require_http_methods(["GET", "POST"])
def schorsing_new(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    ctx = _ctx(request)
    pupil = access_pupil(ctx, pupil_pk, log=request.method == "GET")
    now = timezone.now()
    mandate = _mandate_offered(ctx, pupil)
    incidents = Incident.objects.filter(school_id=pupil.school_id, involvements__pupil=pupil).order_by(
        "-happened_on", "-pk"
    )
    form = SchorsingForm(
        request.POST if request.method == "POST" else None, incidents=incidents, mandate=mandate
    )
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                schorsing = services.schorsing_prepare(
                    pupil=pupil,
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    reasons=data["reasons"],
                    earlier_measures=data["earlier_measures"],
                    incidents=list(data["incidents"]),
                    actor=request.user,
                    now=now,
                    use_mandate=bool(data.get("use_mandate")),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if schorsing.status == SchorsingStatus.DECIDED:
                    text = _("The schorsing has been decided under your mandate.")
                    if schorsing.inspectie_needed:
                        text += " " + _("Report it to the Inspectie today: the task is on 'My deadlines'.")
                elif schorsing.back_to_back and data.get("use_mandate"):
                    text = _(
                        "This schorsing starts within 5 school days after the previous one: it has been "
                        "submitted to the board, which decides even under a mandate."
                    )
                else:
                    text = _(
                        "The schorsing has been submitted to the board. The board decides before it starts."
                    )
                messages.success(request, text)
                return redirect("escalation:schorsing_detail", pk=schorsing.pk)
        _log(ctx, pupil, pupil.pk, ctx.roles_at(pupil.school_id))
    previous = services.previous_schorsing(pupil)
    waiting = Schorsing.objects.filter(pupil=pupil, status=SchorsingStatus.SUBMITTED).first()
    return render(
        request,
        "escalation/schorsing_new.html",
        {
            "pupil": pupil,
            "form": form,
            "mandate": mandate,
            "previous": previous,
            "waiting": waiting,
            "ladder_url": _url("escalation:pupil_ladder", pupil.pk),
            "pupil_url": _url("schools:pupil_detail", pupil.pk),
        },
    )


# --- the school's page --------------------------------------------------------------------------------


def _detail(
    request: HttpRequest, schorsing: Schorsing, *, bound: dict[str, Form] | None = None
) -> HttpResponse:
    ctx = _ctx(request)
    bound = bound or {}
    lead = bool(ctx.roles_at(schorsing.school_id) & LEAD_ROLES)
    page = _page_data(schorsing)
    status = schorsing.status
    forms: dict[str, Form | None] = dict.fromkeys(
        ("withdraw", "conversation", "education", "inspectie", "letter", "objection")
    )
    if lead:
        if status == SchorsingStatus.SUBMITTED:
            forms["withdraw"] = bound.get("withdraw") or WithdrawForm(prefix="withdraw")
        if status != SchorsingStatus.WITHDRAWN:
            forms["conversation"] = bound.get("conversation") or ConversationForm(
                prefix="conversation",
                initial={
                    "invited_on": schorsing.conversation_invited_on,
                    "held_on": schorsing.conversation_on,
                    "teacher_invited": schorsing.teacher_invited,
                    "confidant_offered": schorsing.confidant_offered,
                    "report": schorsing.conversation_report,
                    "signed_on": schorsing.report_signed_on,
                },
            )
        if status in (SchorsingStatus.SUBMITTED, SchorsingStatus.DECIDED):
            forms["education"] = bound.get("education") or EducationForm(
                prefix="education",
                initial={
                    "education_arrangements": schorsing.education_arrangements,
                    "tests_arrangements": schorsing.tests_arrangements,
                },
            )
        if (
            status == SchorsingStatus.DECIDED
            and schorsing.inspectie_needed
            and not schorsing.inspectie_reported_on
        ):
            forms["inspectie"] = bound.get("inspectie") or InspectieForm(
                prefix="inspectie", initial={"reported_on": timezone.localdate()}
            )
        kinds = services.letter_kinds_available(schorsing)
        if kinds or "letter" in bound:
            forms["letter"] = bound.get("letter") or LetterForm(prefix="letter", kinds=kinds)
        if status == SchorsingStatus.DECIDED and not any(
            r.objection.decided_on is None for r in page.objections
        ):
            forms["objection"] = bound.get("objection") or _objection_form(schorsing)
    return render(
        request,
        "escalation/schorsing_detail.html",
        {"page": page, "schorsing": schorsing, "forms": forms, "lead": lead},
    )


def _objection_form(schorsing: Schorsing, data: Any = None) -> ObjectionForm:
    return ObjectionForm(
        data,
        prefix="objection",
        openbaar=services.objection_kind_for(schorsing.school) == ObjectionKind.BEZWAAR,
        letter_sent=services.bekendmaking_of(schorsing) is not None,
    )


@never_cache
@require_http_methods(["GET"])
def schorsing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_schorsing(_ctx(request), pk))


def _again(request: HttpRequest, schorsing: Schorsing, key: str, form: Form) -> HttpResponse:
    """The page once more with FORM and its errors (the read is logged: the page shows the pupil)."""
    ctx = _ctx(request)
    _log(ctx, schorsing, schorsing.pupil_id, ctx.roles_at(schorsing.school_id))
    return _detail(request, schorsing, bound={key: form})


def _lead(request: HttpRequest, pk: int) -> Schorsing:
    return access_schorsing(_ctx(request), pk, need="lead", log=False)


def _saved(request: HttpRequest, text: str, schorsing: Schorsing, anchor: str) -> HttpResponse:
    messages.success(request, text)
    return _to("escalation:schorsing_detail", schorsing, anchor)


@never_cache
@require_http_methods(["POST"])
def schorsing_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.schorsing_withdraw(
                schorsing=schorsing,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            refused = _refused(request, exc, "escalation:schorsing_detail", schorsing, "status")
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _saved(request, _("The schorsing has been withdrawn."), schorsing, "status")
    return _again(request, schorsing, "withdraw", form)


@never_cache
@require_http_methods(["POST"])
def schorsing_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    form = ConversationForm(request.POST, prefix="conversation")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.schorsing_conversation(
                schorsing=schorsing,
                invited_on=data["invited_on"],
                held_on=data["held_on"],
                teacher_invited=data["teacher_invited"],
                confidant_offered=data["confidant_offered"],
                report=data["report"],
                signed_on=data["signed_on"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            refused = _refused(request, exc, "escalation:schorsing_detail", schorsing, "conversation")
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _saved(
                request, _("The conversation with the parents has been saved."), schorsing, "conversation"
            )
    return _again(request, schorsing, "conversation", form)


@never_cache
@require_http_methods(["POST"])
def schorsing_education(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    form = EducationForm(request.POST, prefix="education")
    if form.is_valid():
        try:
            services.schorsing_education(
                schorsing=schorsing, **form.cleaned_data, actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            refused = _refused(request, exc, "escalation:schorsing_detail", schorsing, "education")
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _saved(
                request,
                _("The arrangements for education and tests have been saved."),
                schorsing,
                "education",
            )
    return _again(request, schorsing, "education", form)


@never_cache
@require_http_methods(["POST"])
def schorsing_inspectie(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    form = InspectieForm(request.POST, prefix="inspectie")
    if form.is_valid():
        try:
            services.schorsing_inspectie_reported(
                schorsing=schorsing,
                reported_on=form.cleaned_data["reported_on"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            refused = _refused(request, exc, "escalation:schorsing_detail", schorsing, "inspectie")
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _saved(
                request, _("The report to the Inspectie has been recorded."), schorsing, "inspectie"
            )
    return _again(request, schorsing, "inspectie", form)


@never_cache
@require_http_methods(["POST"])
def schorsing_letter(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    form = LetterForm(request.POST, prefix="letter", kinds=services.letter_kinds_available(schorsing))
    if form.is_valid():
        try:
            letter = services.schorsing_letter(
                schorsing=schorsing, kind=form.cleaned_data["kind"], actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The letter has been made with the details of the schorsing. Check it, then submit it for approval."
                ),
            )
            return redirect("communications:letter_detail", letter_id=letter.pk)
    return _again(request, schorsing, "letter", form)


@never_cache
@require_http_methods(["POST"])
def schorsing_objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    form = _objection_form(schorsing, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.schorsing_objection_record(
                schorsing=schorsing,
                posted_on=data["posted_on"],
                received_on=data["received_on"],
                grounds=data["grounds"],
                adviescommissie=bool(data.get("adviescommissie")),
                bekendmaking_on=data.get("bekendmaking_on"),
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            refused = _refused(request, exc, "escalation:schorsing_detail", schorsing, "objections")
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _saved(
                request,
                _("It has been recorded. The board's decision term is on the board's deadlines."),
                schorsing,
                "objections",
            )
    return _again(request, schorsing, "objection", form)


# --- the board's page ---------------------------------------------------------------------------------


def _board(
    request: HttpRequest, schorsing: Schorsing, *, bound: dict[str, Form] | None = None
) -> HttpResponse:
    bound = bound or {}
    page = _page_data(schorsing)
    today = timezone.localdate()
    decision = None
    if schorsing.status == SchorsingStatus.SUBMITTED:
        decision = bound.get("decision") or BoardDecisionForm(prefix="decision")
    for row in page.objections:
        objection = row.objection
        if objection.decided_on is not None:
            continue
        pk = objection.pk
        row.hearing_form = bound.get(f"hearing-{pk}") or HearingForm(
            prefix=f"hearing-{pk}",
            initial={"hearing_on": objection.hearing_on, "note": objection.hearing_note},
        )
        if objection.kind == ObjectionKind.BEZWAAR and objection.extended_on is None:
            row.extend_form = bound.get(f"extend-{pk}") or ExtendForm(
                prefix=f"extend-{pk}", initial={"extended_on": today}
            )
        row.decide_form = bound.get(f"decide-{pk}") or ObjectionDecisionForm(
            prefix=f"decide-{pk}", initial={"decided_on": today}
        )
    kinds = _board_letter_kinds(schorsing)
    letter_form = bound.get("letter") or (LetterForm(prefix="letter", kinds=kinds) if kinds else None)
    return render(
        request,
        "escalation/schorsing_board.html",
        {
            "page": page,
            "schorsing": schorsing,
            "decision_form": decision,
            "letter_form": letter_form,
            "board_letters": [letter for letter in page.letters if is_board_letter(letter)],
            "board_url": _url("escalation:board_decisions"),
        },
    )


@never_cache
@require_http_methods(["GET"])
def board_schorsing(request: HttpRequest, pk: int) -> HttpResponse:
    return _board(request, access_board_schorsing(_ctx(request), pk))


def _board_again(request: HttpRequest, schorsing: Schorsing, key: str, form: Form) -> HttpResponse:
    ctx = _ctx(request)
    _log(ctx, schorsing, schorsing.pupil_id, ctx.board_roles(schorsing.board_id))
    return _board(request, schorsing, bound={key: form})


def _board_saved(request: HttpRequest, text: str, schorsing: Schorsing, anchor: str) -> HttpResponse:
    messages.success(request, text)
    return _to("escalation:board_schorsing", schorsing, anchor)


@never_cache
@require_http_methods(["POST"])
def board_schorsing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = access_board_schorsing(_ctx(request), pk, log=False)
    form = BoardDecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.schorsing_board_decide(
                schorsing=schorsing,
                approve=approve,
                note=form.cleaned_data["note"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            refused = _refused(request, exc, "escalation:board_schorsing", schorsing, "decision")
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            text = (
                _("The board has approved the schorsing. The director is told on the schorsing's page.")
                if approve
                else _("The board has not approved the schorsing. The director reads the note.")
            )
            return _board_saved(request, text, schorsing, "decision")
    return _board_again(request, schorsing, "decision", form)


@never_cache
@require_http_methods(["POST"])
def board_schorsing_hearing(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    schorsing = access_board_schorsing(_ctx(request), pk, log=False)
    objection = _objection(schorsing, objection_pk)
    key = f"hearing-{objection.pk}"
    form = HearingForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.objection_hearing(
                objection=objection, **form.cleaned_data, actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            refused = _refused(
                request, exc, "escalation:board_schorsing", schorsing, f"objection-{objection.pk}"
            )
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _board_saved(
                request, _("The hearing has been recorded."), schorsing, f"objection-{objection.pk}"
            )
    return _board_again(request, schorsing, key, form)


@never_cache
@require_http_methods(["POST"])
def board_schorsing_extend(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    schorsing = access_board_schorsing(_ctx(request), pk, log=False)
    objection = _objection(schorsing, objection_pk)
    key = f"extend-{objection.pk}"
    form = ExtendForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.objection_extend(
                objection=objection, **form.cleaned_data, actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            refused = _refused(
                request, exc, "escalation:board_schorsing", schorsing, f"objection-{objection.pk}"
            )
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _board_saved(
                request,
                _("The decision has been postponed by six weeks."),
                schorsing,
                f"objection-{objection.pk}",
            )
    return _board_again(request, schorsing, key, form)


@never_cache
@require_http_methods(["POST"])
def board_schorsing_objection_decide(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    schorsing = access_board_schorsing(_ctx(request), pk, log=False)
    objection = _objection(schorsing, objection_pk)
    key = f"decide-{objection.pk}"
    form = ObjectionDecisionForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.objection_decide(
                objection=objection, **form.cleaned_data, actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            refused = _refused(
                request, exc, "escalation:board_schorsing", schorsing, f"objection-{objection.pk}"
            )
            if refused is not None:
                return refused
            add_service_errors(form, exc)
        else:
            return _board_saved(
                request,
                _("The decision has been recorded. Make the letter with the decision below."),
                schorsing,
                f"objection-{objection.pk}",
            )
    return _board_again(request, schorsing, key, form)


def _board_letter_kinds(schorsing: Schorsing) -> list[str]:
    return [kind for kind in services.letter_kinds_available(schorsing) if kind == "besluit_bezwaar"]


@never_cache
@require_http_methods(["POST"])
def board_schorsing_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The board makes the letter with its decision on the beroep or bezwaar."""
    schorsing = access_board_schorsing(_ctx(request), pk, log=False)
    form = LetterForm(request.POST, prefix="letter", kinds=_board_letter_kinds(schorsing))
    if form.is_valid():
        try:
            letter = services.schorsing_letter(
                schorsing=schorsing, kind=form.cleaned_data["kind"], actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The letter has been made with the board's decision. Check it, then submit it for approval."
                ),
            )
            return redirect("communications:letter_detail", letter_id=letter.pk)
    return _board_again(request, schorsing, "letter", form)
