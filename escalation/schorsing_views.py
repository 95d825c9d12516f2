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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communications.letter_models import Letter
from communications.letter_services import is_board_letter
from incidents.models import Incident
from lev.deadlines.models import Deadline
from lev.schools.access import AccessContext
from lev.schools.models import DecisionMaker, Pupil, Role
from lev.web.forms import add_service_errors, handle_form

from . import schorsing_services as services
from .models import Objection, ObjectionKind, Schorsing, SchorsingStatus
from .permissions import CASE_READ_ROLES, LEAD_ROLES, held_roles
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
from .view_helpers import (
    bound_form,
    lev_context,
    log_access,
    open_letter,
    redirect_to,
    url_or_none,
)

Need = Literal["read", "lead"]
Side = Literal["detail", "board"]

# The school's page and the board's page of a schorsing.
PAGES: dict[Side, str] = {"detail": "escalation:schorsing_detail", "board": "escalation:board_schorsing"}


# --- access ----------------------------------------------------------------------------------------


def _held(ctx: AccessContext, school_id: int, board_id: int) -> frozenset[str]:
    """The roles the reader holds at the school, or else board-wide at its board (404 when none)."""
    school_roles, board_roles = held_roles(ctx, school_id, board_id)
    return school_roles or board_roles


def access_pupil(ctx: AccessContext, pupil_id: int, *, log: bool) -> Pupil:
    """A pupil for whom the reader may prepare a schorsing (director, deputy)."""
    pupil = Pupil.objects.select_related("school", "school__board").filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404
    held = _held(ctx, pupil.school_id, pupil.board_id)
    allowed = bool(ctx.roles_at(pupil.school_id) & LEAD_ROLES)
    if log or not allowed:
        log_access(ctx, pupil, pupil.pk, held, granted=allowed)
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
    allowed = bool(ctx.roles_at(schorsing.school_id) & (LEAD_ROLES if need == "lead" else CASE_READ_ROLES))
    if log or not allowed:
        log_access(ctx, schorsing, schorsing.pupil_id, held, granted=allowed)
    if not allowed:
        raise PermissionDenied
    return schorsing


def access_board_schorsing(ctx: AccessContext, pk: int, *, log: bool = True) -> Schorsing:
    """A schorsing on the board's page: board members of the school's board only."""
    schorsing = _schorsing(pk)
    held = _held(ctx, schorsing.school_id, schorsing.board_id)
    allowed = Role.BOARD in ctx.board_roles(schorsing.board_id)
    if log or not allowed:
        log_access(ctx, schorsing, schorsing.pupil_id, held, granted=allowed)
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
    bezwaar: bool  # openbaar: the Awb bezwaar; bijzonder: the school's beroep (R8)
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
        ladder_url=url_or_none("escalation:pupil_ladder", schorsing.pupil_id),
        bezwaar=services.objection_kind_for(schorsing.school) == ObjectionKind.BEZWAAR,
    )


def _again(request: HttpRequest, schorsing: Schorsing, side: Side, form: Form) -> HttpResponse:
    """The page of SIDE once more with FORM and its errors (the read is logged: the page shows the
    pupil)."""
    ctx = lev_context(request)
    if side == "board":
        log_access(ctx, schorsing, schorsing.pupil_id, ctx.board_roles(schorsing.board_id))
        return _board(request, schorsing, bound=bound_form(form))
    log_access(ctx, schorsing, schorsing.pupil_id, ctx.roles_at(schorsing.school_id))
    return _detail(request, schorsing, bound=bound_form(form))


def _handle(
    request: HttpRequest,
    schorsing: Schorsing,
    side: Side,
    *,
    form: Form,
    anchor: str,
    success: str | Callable[[dict[str, Any]], str],
    run: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    """Validate FORM, call the service through RUN, and either go back to ANCHOR on the page of SIDE
    with SUCCESS, or show that page again with the errors at their fields (logged as a read of the
    page). A refusal that concerns no field (already decided, withdrawn meanwhile) is shown above
    the page, at ANCHOR."""

    def back(*_: Any) -> HttpResponse:
        return redirect_to(PAGES[side], schorsing.pk, anchor)

    return handle_form(
        request,
        form,
        run=run,
        success=success,
        done=back,
        again=lambda: _again(request, schorsing, side, form),
        refused=back,
    )


def _letter(
    request: HttpRequest, schorsing: Schorsing, side: Side, *, kinds: list[str], success: str
) -> HttpResponse:
    """Make the letter of the kind chosen and open it, or show the page of SIDE again with the errors."""
    form = LetterForm(request.POST, prefix="letter", kinds=kinds)
    return handle_form(
        request,
        form,
        run=lambda d: services.schorsing_letter(
            schorsing=schorsing, kind=d["kind"], actor=request.user, now=timezone.now()
        ),
        success=success,
        done=open_letter,
        again=lambda: _again(request, schorsing, side, form),
    )


# --- preparing ---------------------------------------------------------------------------------------


def _mandate_offered(ctx: AccessContext, pupil: Pupil) -> bool:
    return pupil.school.suspension_decided_by == DecisionMaker.DIRECTOR and Role.DIRECTOR in ctx.roles_at(
        pupil.school_id
    )


@never_cache
@require_http_methods(["GET", "POST"])
def schorsing_new(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    ctx = lev_context(request)
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
        log_access(ctx, pupil, pupil.pk, ctx.roles_at(pupil.school_id))
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
            "ladder_url": url_or_none("escalation:pupil_ladder", pupil.pk),
            "pupil_url": url_or_none("schools:pupil_detail", pupil.pk),
        },
    )


# --- the school's page --------------------------------------------------------------------------------


def _detail(
    request: HttpRequest, schorsing: Schorsing, *, bound: dict[str, Form] | None = None
) -> HttpResponse:
    ctx = lev_context(request)
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
    return _detail(request, access_schorsing(lev_context(request), pk))


def _lead(request: HttpRequest, pk: int) -> Schorsing:
    return access_schorsing(lev_context(request), pk, need="lead", log=False)


@never_cache
@require_http_methods(["POST"])
def schorsing_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    return _handle(
        request,
        schorsing,
        "detail",
        form=WithdrawForm(request.POST, prefix="withdraw"),
        anchor="status",
        success=_("The schorsing has been withdrawn."),
        run=lambda d: services.schorsing_withdraw(
            schorsing=schorsing, reason=d["reason"], actor=request.user, now=timezone.now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def schorsing_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    return _handle(
        request,
        schorsing,
        "detail",
        form=ConversationForm(request.POST, prefix="conversation"),
        anchor="conversation",
        success=_("The conversation with the parents has been saved."),
        run=lambda d: services.schorsing_conversation(
            schorsing=schorsing,
            invited_on=d["invited_on"],
            held_on=d["held_on"],
            teacher_invited=d["teacher_invited"],
            confidant_offered=d["confidant_offered"],
            report=d["report"],
            signed_on=d["signed_on"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def schorsing_education(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    return _handle(
        request,
        schorsing,
        "detail",
        form=EducationForm(request.POST, prefix="education"),
        anchor="education",
        success=_("The arrangements for education and tests have been saved."),
        run=lambda d: services.schorsing_education(
            schorsing=schorsing, **d, actor=request.user, now=timezone.now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def schorsing_inspectie(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    return _handle(
        request,
        schorsing,
        "detail",
        form=InspectieForm(request.POST, prefix="inspectie"),
        anchor="inspectie",
        success=_("The report to the Inspectie has been recorded."),
        run=lambda d: services.schorsing_inspectie_reported(
            schorsing=schorsing,
            reported_on=d["reported_on"],
            reference=d["reference"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def schorsing_letter(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    return _letter(
        request,
        schorsing,
        "detail",
        kinds=services.letter_kinds_available(schorsing),
        success=_(
            "The letter has been made with the details of the schorsing. Check it, then submit it for approval."
        ),
    )


@never_cache
@require_http_methods(["POST"])
def schorsing_objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _lead(request, pk)
    return _handle(
        request,
        schorsing,
        "detail",
        form=_objection_form(schorsing, request.POST),
        anchor="objections",
        success=_("It has been recorded. The board's decision term is on the board's deadlines."),
        run=lambda d: services.schorsing_objection_record(
            schorsing=schorsing,
            posted_on=d["posted_on"],
            received_on=d["received_on"],
            grounds=d["grounds"],
            adviescommissie=bool(d.get("adviescommissie")),
            bekendmaking_on=d.get("bekendmaking_on"),
            actor=request.user,
            now=timezone.now(),
        ),
    )


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
            "board_url": url_or_none("escalation:board_decisions"),
        },
    )


@never_cache
@require_http_methods(["GET"])
def board_schorsing(request: HttpRequest, pk: int) -> HttpResponse:
    return _board(request, access_board_schorsing(lev_context(request), pk))


def _board_acting(request: HttpRequest, pk: int) -> Schorsing:
    return access_board_schorsing(lev_context(request), pk, log=False)


@never_cache
@require_http_methods(["POST"])
def board_schorsing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    schorsing = _board_acting(request, pk)
    return _handle(
        request,
        schorsing,
        "board",
        form=BoardDecisionForm(request.POST, prefix="decision"),
        anchor="decision",
        success=lambda d: (
            _("The board has approved the schorsing. The director is told on the schorsing's page.")
            if d["decision"] == "approve"
            else _("The board has not approved the schorsing. The director reads the note.")
        ),
        run=lambda d: services.schorsing_board_decide(
            schorsing=schorsing,
            approve=d["decision"] == "approve",
            note=d["note"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


def _objection_part(
    request: HttpRequest,
    pk: int,
    objection_pk: int,
    *,
    part: str,
    form_class: type[Form],
    service: Callable[..., Any],
    success: str,
) -> HttpResponse:
    """One of the board's forms on a beroep or bezwaar (PART "hearing", "extend" or "decide"): its
    data go to SERVICE as they are, and the page comes back at the objection."""
    schorsing = _board_acting(request, pk)
    objection = _objection(schorsing, objection_pk)
    return _handle(
        request,
        schorsing,
        "board",
        form=form_class(request.POST, prefix=f"{part}-{objection.pk}"),
        anchor=f"objection-{objection.pk}",
        success=success,
        run=lambda d: service(objection=objection, **d, actor=request.user, now=timezone.now()),
    )


@never_cache
@require_http_methods(["POST"])
def board_schorsing_hearing(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    return _objection_part(
        request,
        pk,
        objection_pk,
        part="hearing",
        form_class=HearingForm,
        service=services.objection_hearing,
        success=_("The hearing has been recorded."),
    )


@never_cache
@require_http_methods(["POST"])
def board_schorsing_extend(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    return _objection_part(
        request,
        pk,
        objection_pk,
        part="extend",
        form_class=ExtendForm,
        service=services.objection_extend,
        success=_("The decision has been postponed by six weeks."),
    )


@never_cache
@require_http_methods(["POST"])
def board_schorsing_objection_decide(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    return _objection_part(
        request,
        pk,
        objection_pk,
        part="decide",
        form_class=ObjectionDecisionForm,
        service=services.objection_decide,
        success=_("The decision has been recorded. Make the letter with the decision below."),
    )


def _board_letter_kinds(schorsing: Schorsing) -> list[str]:
    return [kind for kind in services.letter_kinds_available(schorsing) if kind == "besluit_bezwaar"]


@never_cache
@require_http_methods(["POST"])
def board_schorsing_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The board makes the letter with its decision on the beroep or bezwaar."""
    schorsing = _board_acting(request, pk)
    return _letter(
        request,
        schorsing,
        "board",
        kinds=_board_letter_kinds(schorsing),
        success=_(
            "The letter has been made with the board's decision. Check it, then submit it for approval."
        ),
    )
