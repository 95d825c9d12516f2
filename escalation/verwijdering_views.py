"""The verwijdering pages (step 7; UX.md "one page per case"): starting one for a pupil, the one
page that shows it all with a small form per part, and the board's decision page — the same page
seen by the board, with the board's forms. Each form posts to its own small view and comes back to
the part's anchor (POST-redirect-GET); a refusal shows the page again with the message next to the
field and everything typed kept.

Access (decided here, after `escalation.permissions`):

- The verwijdering page: the director, the deputy and the IB of the school read it; the director
  and the deputy act on it. Teachers, staff, the vertrouwenspersoon and the board-wide roles of the
  school's board get 403 (the board has its own page); another school's verwijdering, or a missing
  one, 404.
- The board's page: the board members (role `board`) of the school's board read and act on it;
  every role of the school and the other board-wide roles get 403; another board's 404. The board
  sees pupil data only here (ARCHITECTURE.md §4: the decision page of a case submitted to it).
- The parts that the director/deputy or the board may record (hearings, sending, letters, the
  bezwaar and its hearing, the GPO case, the school search, withdrawal) post to one view each and
  come back to the page the poster came from (`page=board` on the board's page).
- Starting: the director and the deputy of the pupil's school; others of the school 403; a pupil
  of another school 404.

Every page shown is access-logged once (granted or refused) — on GET by the access check, and when a
POST shows the page again with errors.
"""

from __future__ import annotations

from collections.abc import Callable
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

from communications.letter_models import LetterStatus
from incidents.models import Incident
from lev.schools.models import Pupil, Role
from lev.web.forms import add_service_errors, handle_form

from . import verwijdering_services as svc
from .models import GpoCase, Objection, SchoolApproach, Verwijdering
from .permissions import CASE_READ_ROLES, LEAD_ROLES, held_roles
from .verwijdering_forms import (
    ApproachAnswerForm,
    ApproachForm,
    BezwaarDecideForm,
    BezwaarForm,
    BezwaarHearingForm,
    CompleteForm,
    DecideForm,
    DeregisterForm,
    GpoDefenceForm,
    GpoEndForm,
    GpoFileForm,
    HearingForm,
    LeerplichtForm,
    LetterForm,
    ReportForm,
    SentForm,
    VerwijderingStartForm,
    WithdrawForm,
)
from .view_helpers import bound_form, lev_context, log_access, open_letter, redirect_to

Need = Literal["view", "lead", "act", "board"]
Mode = Literal["detail", "board"]

# Who may use which part of the page: the director/deputy on the verwijdering page, the board on
# its own page, or either of them on the page they are on.
LEAD_PARTS = frozenset({"report", "leerplicht", "complete", "deregister"})
EITHER_PARTS = frozenset(
    {
        "hearing",
        "sent",
        "invitation",
        "decision_letter",
        "bezwaar",
        "bezwaar_hearing",
        "bezwaar_letter",
        "gpo",
        "gpo_defence",
        "gpo_end",
        "approach",
        "answer",
        "withdraw",
    }
)
BOARD_PARTS = frozenset({"bezwaar_decide"})


# --- access -------------------------------------------------------------------------------------


def access_verwijdering_for_user(
    ctx: Any, verwijdering_id: int, *, need: Need = "view", log: bool = True, prefer: str = ""
) -> tuple[Verwijdering, Mode]:
    """The verwijdering and the page to show it on, if the user may use it for NEED.

    404 for a missing verwijdering, or one of a school where the user holds nothing and of a board
    where they hold no board-wide role; 403 for a role that may not. With LOG the granted or refused
    read is written to the access log. PREFER ("board") picks the board's page for someone who is
    both a director of the school and a board member."""
    row = Verwijdering.objects.select_related("school", "board", "pupil").filter(pk=verwijdering_id).first()
    if row is None:
        raise Http404
    school_roles, board_roles = held_roles(ctx, row.school_id, row.board_id)
    lead = bool(school_roles & LEAD_ROLES)
    board = Role.BOARD in board_roles
    mode: Mode = "detail"
    if need == "view":
        allowed = bool(school_roles & CASE_READ_ROLES)
    elif need == "lead":
        allowed = lead
    elif need == "board":
        allowed, mode = board, "board"
    else:
        allowed = lead or board
        mode = "board" if board and (prefer == "board" or not lead) else "detail"
    if log:
        _log(ctx, row, granted=allowed)
    if not allowed:
        raise PermissionDenied
    return row, mode


def _log(ctx: Any, row: Verwijdering, *, granted: bool = True) -> None:
    held = ctx.roles_at(row.school_id) | ctx.board_roles(row.board_id)
    log_access(ctx, row, row.pupil_id, held, granted=granted)


def _may(part: str, *, mode: Mode, lead: bool, board: bool, director: bool, mandate: bool) -> bool:
    if part == "decide":
        return (mode == "board" and board) or (mode == "detail" and mandate and director)
    if part in BOARD_PARTS:
        return mode == "board" and board
    if part in LEAD_PARTS:
        return mode == "detail" and lead
    if part in EITHER_PARTS:
        return (mode == "detail" and lead) or (mode == "board" and board)
    return False


# --- the page -----------------------------------------------------------------------------------


def _page(
    request: HttpRequest, row: Verwijdering, mode: Mode, *, bound: dict[str, Form] | None = None
) -> HttpResponse:
    """The verwijdering page (MODE "detail") or the board's page (MODE "board"). BOUND holds a posted
    form with its errors under its key; every other form is empty. A bound form whose part is no
    longer offered (someone else acted first) has its errors shown above the page."""
    ctx = lev_context(request)
    bound = bound or {}
    today = timezone.localdate()
    page = svc.verwijdering_page(row, today=today)
    school_roles = ctx.roles_at(row.school_id)
    flags = {
        "mode": mode,
        "lead": bool(school_roles & LEAD_ROLES),
        "board": Role.BOARD in ctx.board_roles(row.board_id),
        "director": Role.DIRECTOR in school_roles,
        "mandate": page.mandate,
    }
    used: set[str] = set()

    def offer(part: str, key: str, form_class: type[Form], **initial: Any) -> Form | None:
        """The form of PART under KEY (also its prefix) when the state and the viewer allow it."""
        if part not in page.open_parts or not _may(part, **flags):  # type: ignore[arg-type]
            return None
        used.add(key)
        return bound.get(key) or form_class(prefix=key, initial=initial)

    row_ = page.verwijdering
    forms: dict[str, Form | None] = {
        "report": offer("report", "report", ReportForm, made_on=today),
        "hearing": offer("hearing", "hearing", HearingForm, heard_on=today),
        "decide": offer("decide", "decide", DecideForm, decided_on=today),
        "sent": offer("sent", "sent", SentForm, sent_on=row_.sent_on or today),
        "invitation": offer("invitation", "letter", LetterForm),
        "decision_letter": offer("decision_letter", "letter", LetterForm),
        "leerplicht": offer("leerplicht", "leerplicht", LeerplichtForm, reported_on=today),
        "bezwaar": offer("bezwaar", "bezwaar", BezwaarForm, received_on=today),
        "gpo": offer("gpo", "gpo", GpoFileForm, filed_on=today),
        "approach": offer("approach", "approach", ApproachForm, approached_on=today),
        "complete": offer("complete", "complete", CompleteForm, removed_on=today),
        "deregister": offer("deregister", "deregister", DeregisterForm, deregistered_on=today),
        "withdraw": offer("withdraw", "withdraw", WithdrawForm),
    }
    for objection_row in page.objections:
        pk = objection_row.objection.pk
        if objection_row.pending:
            objection_row.forms = {
                "hearing": offer(
                    "bezwaar_hearing", f"bezwaar-hearing-{pk}", BezwaarHearingForm, heard_on=today
                ),
                "decide": offer(
                    "bezwaar_decide", f"bezwaar-decide-{pk}", BezwaarDecideForm, decided_on=today
                ),
            }
        elif objection_row.letter is None or objection_row.letter.status == LetterStatus.WITHDRAWN:
            objection_row.forms = {"letter": offer("bezwaar_letter", f"bezwaar-letter-{pk}", Form)}
    for gpo_row in page.gpo_cases:
        pk = gpo_row.case.pk
        if gpo_row.running:
            gpo_row.forms["end"] = offer(
                "gpo_end", f"gpo-end-{pk}", GpoEndForm, ended_on=today, how="opinion"
            )
        if gpo_row.case.defence_sent_on is None:
            gpo_row.forms["defence"] = offer(
                "gpo_defence", f"gpo-defence-{pk}", GpoDefenceForm, sent_on=today
            )
    for approach_row in page.approaches:
        a = approach_row.approach
        approach_row.forms["answer"] = offer(
            "answer",
            f"answer-{a.pk}",
            ApproachAnswerForm,
            answer=a.answer,
            answered_on=a.answered_on or today,
            tlv_requested_on=a.tlv_requested_on,
        )
    stale = [error for key, form in bound.items() if key not in used for error in _all_errors(form)]
    return render(
        request,
        "escalation/verwijdering_detail.html",
        {
            "page": page,
            "verwijdering": page.verwijdering,
            "pupil": page.verwijdering.pupil,
            "forms": forms,
            "stale_errors": stale,
            "page_mode": mode,
            "may_act": flags["lead"] if mode == "detail" else flags["board"],
        },
    )


def _all_errors(form: Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _back(row: Verwijdering, mode: Mode, anchor: str) -> HttpResponse:
    name = "escalation:board_verwijdering" if mode == "board" else "escalation:verwijdering_detail"
    return redirect_to(name, row.pk, anchor)


def _handle(
    request: HttpRequest,
    row: Verwijdering,
    mode: Mode,
    *,
    form: Form,
    success: str,
    run: Callable[[dict[str, Any]], Any],
    anchor: str = "",
    done: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """Validate FORM, call the service through RUN, and either go back to ANCHOR (or DONE(what RUN
    returned)) with SUCCESS, or show the page again with the errors at their fields (logged as a
    read of the page)."""

    def again() -> HttpResponse:
        _log(lev_context(request), row)
        return _page(request, row, mode, bound=bound_form(form))

    return handle_form(
        request,
        form,
        run=run,
        success=success,
        done=done or (lambda _result: _back(row, mode, anchor)),
        again=again,
    )


def _acting(request: HttpRequest, pk: int, need: Need) -> tuple[Verwijdering, Mode]:
    return access_verwijdering_for_user(
        lev_context(request), pk, need=need, log=False, prefer=request.POST.get("page", "")
    )


# --- starting -----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def verwijdering_new(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """Start a verwijdering for a pupil: the director or deputy of the pupil's school."""
    ctx = lev_context(request)
    school_ids = [school.pk for school in ctx.schools]
    pupil = Pupil.objects.select_related("school").filter(pk=pupil_pk, school_id__in=school_ids).first()
    if pupil is None:
        raise Http404
    roles = ctx.roles_at(pupil.school_id)
    allowed = bool(roles & LEAD_ROLES)
    if not allowed:
        log_access(ctx, pupil, pupil.pk, roles, granted=False)
        raise PermissionDenied
    running = svc.open_verwijdering_of(pupil)
    if running is not None:
        messages.info(request, _("A verwijdering is already under way for this pupil; continue there."))
        return redirect("escalation:verwijdering_detail", pk=running.pk)
    incidents = Incident.objects.filter(school=pupil.school, pupils=pupil).order_by("-happened_on", "-pk")
    form = VerwijderingStartForm(request.POST if request.method == "POST" else None, incidents=incidents)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            row = svc.verwijdering_start(
                pupil=pupil,
                ground=data["ground"] if data["ground"] not in ("", None) else None,
                ground_explanation=data["ground_explanation"],
                earlier_measures=data["earlier_measures"],
                lighter_measures_failed=data["lighter_measures_failed"],
                warning_given_on=data["warning_given_on"],
                warning_note=data["warning_note"],
                incidents=list(data["incidents"]),
                interim_arrangement=data["interim_arrangement"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The verwijdering is being prepared. Next: the rapport, and hearing the class teacher and the parents."
                ),
            )
            return redirect("escalation:verwijdering_detail", pk=row.pk)
    log_access(ctx, pupil, pupil.pk, roles)
    return render(request, "escalation/verwijdering_new.html", {"form": form, "pupil": pupil})


# --- the pages ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET"])
def verwijdering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = access_verwijdering_for_user(lev_context(request), pk, need="view")
    return _page(request, row, mode)


@never_cache
@require_http_methods(["GET"])
def board_verwijdering(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = access_verwijdering_for_user(lev_context(request), pk, need="board")
    return _page(request, row, mode)


# --- the parts ----------------------------------------------------------------------------------


def _now() -> Any:
    return timezone.now()


@never_cache
@require_http_methods(["POST"])
def verwijdering_report(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "lead")
    return _handle(
        request,
        row,
        mode,
        form=ReportForm(request.POST, prefix="report"),
        anchor="rapport",
        success=_("The onderwijskundig rapport has been recorded."),
        run=lambda d: svc.verwijdering_report(
            verwijdering=row, made_on=d["made_on"], actor=request.user, now=_now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=HearingForm(request.POST, prefix="hearing"),
        anchor="hearings",
        success=_("The hearing has been recorded."),
        run=lambda d: svc.verwijdering_hearing(
            verwijdering=row,
            who=d["who"],
            heard_on=d["heard_on"],
            note=d["note"],
            actor=request.user,
            now=_now(),
        ),
    )


def _decide(request: HttpRequest, row: Verwijdering, mode: Mode) -> HttpResponse:
    return _handle(
        request,
        row,
        mode,
        form=DecideForm(request.POST, prefix="decide"),
        anchor="decision",
        success=_(
            "The decision has been recorded. Leerplicht must be told at once; the task is in the deadlines."
        ),
        run=lambda d: svc.verwijdering_decide(
            verwijdering=row, decided_on=d["decided_on"], reasons=d["reasons"], actor=request.user, now=_now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The director's decision under a mandate (only where the school's mandate setting allows it)."""
    row, mode = _acting(request, pk, "lead")
    if not (
        svc.mandate_applies(row.school) and Role.DIRECTOR in lev_context(request).roles_at(row.school_id)
    ):
        raise PermissionDenied
    return _decide(request, row, mode)


@never_cache
@require_http_methods(["POST"])
def board_verwijdering_decide(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "board")
    return _decide(request, row, mode)


@never_cache
@require_http_methods(["POST"])
def verwijdering_sent(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=SentForm(request.POST, prefix="sent"),
        anchor="decision",
        success=_("The sending of the decision has been recorded. The bezwaar term is in the deadlines."),
        run=lambda d: svc.verwijdering_sent(
            verwijdering=row,
            sent_on=d["sent_on"],
            delivered_on=d["delivered_on"],
            actor=request.user,
            now=_now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_letter(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=LetterForm(request.POST, prefix="letter"),
        success=_("The letter has been written from the record. Check it, then submit it for approval."),
        run=lambda d: svc.verwijdering_letter(
            verwijdering=row, kind=d["kind"], actor=request.user, now=_now()
        ),
        done=open_letter,
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_leerplicht(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "lead")
    return _handle(
        request,
        row,
        mode,
        form=LeerplichtForm(request.POST, prefix="leerplicht"),
        anchor="leerplicht",
        success=_("The report to leerplicht has been recorded."),
        run=lambda d: svc.verwijdering_leerplicht_reported(
            verwijdering=row, reported_on=d["reported_on"], actor=request.user, now=_now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_bezwaar_new(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=BezwaarForm(request.POST, prefix="bezwaar"),
        anchor="bezwaar",
        success=_("The bezwaar has been recorded. The board's decision term is in the deadlines."),
        run=lambda d: svc.verwijdering_bezwaar_record(
            verwijdering=row,
            posted_on=d["posted_on"],
            received_on=d["received_on"],
            grounds=d["grounds"],
            actor=request.user,
            now=_now(),
        ),
    )


def _objection(request: HttpRequest, pk: int, need: Need) -> tuple[Objection, Verwijdering, Mode]:
    objection = Objection.objects.filter(pk=pk, verwijdering__isnull=False).first()
    if objection is None:
        raise Http404
    assert objection.verwijdering_id is not None
    row, mode = _acting(request, objection.verwijdering_id, need)
    objection.verwijdering = row
    return objection, row, mode


@never_cache
@require_http_methods(["POST"])
def verwijdering_bezwaar_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    objection, row, mode = _objection(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=BezwaarHearingForm(request.POST, prefix=f"bezwaar-hearing-{objection.pk}"),
        anchor=f"bezwaar-{objection.pk}",
        success=_("The hearing on the bezwaar has been recorded."),
        run=lambda d: svc.verwijdering_bezwaar_hearing(
            objection=objection, heard_on=d["heard_on"], note=d["note"], actor=request.user, now=_now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def board_bezwaar_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection, row, mode = _objection(request, pk, "board")
    return _handle(
        request,
        row,
        mode,
        form=BezwaarDecideForm(request.POST, prefix=f"bezwaar-decide-{objection.pk}"),
        anchor=f"bezwaar-{objection.pk}",
        success=_("The decision on the bezwaar has been recorded. Write the letter to the parents next."),
        run=lambda d: svc.verwijdering_bezwaar_decide(
            objection=objection,
            decided_on=d["decided_on"],
            outcome=d["outcome"],
            reasons=d["reasons"],
            actor=request.user,
            now=_now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_bezwaar_letter(request: HttpRequest, pk: int) -> HttpResponse:
    objection, row, mode = _objection(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=Form(request.POST, prefix=f"bezwaar-letter-{objection.pk}"),
        success=_("The letter has been written from the record. Check it, then submit it for approval."),
        run=lambda d: svc.verwijdering_bezwaar_letter(objection=objection, actor=request.user, now=_now()),
        done=open_letter,
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_gpo_new(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=GpoFileForm(request.POST, prefix="gpo"),
        anchor="gpo",
        success=_("The GPO case has been recorded. The board may not decide on the bezwaar while it runs."),
        run=lambda d: svc.gpo_case_file(
            verwijdering=row, filed_on=d["filed_on"], actor=request.user, now=_now()
        ),
    )


def _case(request: HttpRequest, pk: int) -> tuple[GpoCase, Verwijdering, Mode]:
    case = GpoCase.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    row, mode = _acting(request, case.verwijdering_id, "act")
    case.verwijdering = row
    return case, row, mode


@never_cache
@require_http_methods(["POST"])
def verwijdering_gpo_defence(request: HttpRequest, pk: int) -> HttpResponse:
    case, row, mode = _case(request, pk)
    return _handle(
        request,
        row,
        mode,
        form=GpoDefenceForm(request.POST, prefix=f"gpo-defence-{case.pk}"),
        anchor="gpo",
        success=_("The verweer has been recorded."),
        run=lambda d: svc.gpo_defence_sent(case=case, sent_on=d["sent_on"], actor=request.user, now=_now()),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_gpo_end(request: HttpRequest, pk: int) -> HttpResponse:
    case, row, mode = _case(request, pk)

    def run(d: dict[str, Any]) -> Any:
        if d["how"] == "withdrawn":
            try:
                return svc.gpo_case_withdrawn(
                    case=case, withdrawn_on=d["ended_on"], actor=request.user, now=_now()
                )
            except ValidationError as exc:
                raise _renamed(exc, {"withdrawn_on": "ended_on"}) from exc
        try:
            return svc.gpo_opinion(
                case=case, opinion_on=d["ended_on"], opinion=d["opinion"], actor=request.user, now=_now()
            )
        except ValidationError as exc:
            raise _renamed(exc, {"opinion_on": "ended_on"}) from exc

    return _handle(
        request,
        row,
        mode,
        form=GpoEndForm(request.POST, prefix=f"gpo-end-{case.pk}"),
        anchor="gpo",
        success=_("The end of the GPO case has been recorded. The decision term on the bezwaar runs again."),
        run=run,
    )


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


@never_cache
@require_http_methods(["POST"])
def verwijdering_approach_new(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=ApproachForm(request.POST, prefix="approach"),
        anchor="search",
        success=_("The school has been added to the search."),
        run=lambda d: svc.school_approach_add(
            verwijdering=row,
            school_name=d["school_name"],
            approached_on=d["approached_on"],
            note=d["note"],
            actor=request.user,
            now=_now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_approach_answer(request: HttpRequest, pk: int) -> HttpResponse:
    approach = SchoolApproach.objects.filter(pk=pk).first()
    if approach is None:
        raise Http404
    row, mode = _acting(request, approach.verwijdering_id, "act")
    approach.verwijdering = row
    return _handle(
        request,
        row,
        mode,
        form=ApproachAnswerForm(request.POST, prefix=f"answer-{approach.pk}"),
        anchor=f"approach-{approach.pk}",
        success=_("The school's answer has been recorded."),
        run=lambda d: svc.school_approach_answer(
            approach=approach,
            answer=d["answer"],
            answered_on=d["answered_on"],
            tlv_requested_on=d["tlv_requested_on"],
            note=d["note"],
            actor=request.user,
            now=_now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_complete(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "lead")
    return _handle(
        request,
        row,
        mode,
        form=CompleteForm(request.POST, prefix="complete"),
        anchor="removal",
        success=_("The definitive removal has been recorded; the stappenplan of this pupil is closed."),
        run=lambda d: svc.verwijdering_complete(
            verwijdering=row, removed_on=d["removed_on"], actor=request.user, now=_now()
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_deregister(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "lead")
    return _handle(
        request,
        row,
        mode,
        form=DeregisterForm(request.POST, prefix="deregister"),
        anchor="deregistration",
        success=_("The de-registration has been recorded."),
        run=lambda d: svc.verwijdering_deregister(
            verwijdering=row,
            enrolment_notice_on=d["enrolment_notice_on"],
            deregistered_on=d["deregistered_on"],
            actor=request.user,
            now=_now(),
        ),
    )


@never_cache
@require_http_methods(["POST"])
def verwijdering_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    row, mode = _acting(request, pk, "act")
    return _handle(
        request,
        row,
        mode,
        form=WithdrawForm(request.POST, prefix="withdraw"),
        anchor="withdraw",
        success=_("The verwijdering has been withdrawn. The pupil stays at the school."),
        run=lambda d: svc.verwijdering_withdraw(
            verwijdering=row, reason=d["reason"], actor=request.user, now=_now()
        ),
    )
