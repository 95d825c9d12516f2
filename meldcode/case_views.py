"""The Meldcode case pages (UX.md "Meldcode-casus"): the case list, opening a case from a pupil's
signals, the case page with its five steps, the afwegingskader one question at a time, the outcome,
the meldingen, the help and the deadlines, and the actions that record them.

Every view reads the case through `meldcode.permissions.read_case` (404 for everyone without access,
the read written to the access log). Writing needs a basis that may write (`may_write`); a granted
reader sees the case read-only and gets 403 on a write. POST views redirect back to the case page;
a refusal shows the form again with the message next to its field (a Meldcode rule's refusal above
the form when it concerns no field) and everything typed kept. Each view has the short idle timeout
of sensitive pages and is never cached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.accounts.middleware import sensitive_idle_timeout
from lev.accounts.models import User
from lev.schools.access import AccessContext
from lev.schools.permissions import access_pupil_for_user
from lev.web.forms import handle_form

from . import services
from .case_forms import (
    STEP_FORMS,
    AnswerForm,
    CaseManagerForm,
    CaseOpenForm,
    CloseForm,
    ConversationSkipForm,
    DecisionStepForm,
    EvaluationForm,
    FeedbackForm,
    GrantForm,
    HelpForm,
    InformationRequestForm,
    MeldingForm,
    RelatedPupilForm,
    StepForm,
)
from .case_selectors import (
    CasePage,
    case_manager_choices,
    case_page,
    case_rows,
    decider_choices,
    evaluation_of,
    grant_choices,
    melding_of,
    probe_facts,
    pupil_signals,
    related_pupil_choices,
    social_map,
    staff_choices,
    step_initial,
    step_title,
    url_or_none,
)
from .domain.afwegingskader import OUTCOME_LABELS, Outcome
from .domain.errors import MeldcodeRefused
from .domain.steps import SKIP_RULE, STEPS, Event, Step, check
from .models import MeldcodeCase
from .permissions import (
    OPEN_ROLES,
    SCHOOL_WIDE_ROLES,
    Basis,
    log_case_list_read,
    may_grant,
    may_open_case,
    may_write,
    read_case,
    refuse_non_opener,
)

T = TypeVar("T")

STEP_EVENTS: Mapping[Step, Event] = {
    Step.SIGNALS: Event.RECORD_SIGNALS,
    Step.CONSULTATION: Event.RECORD_CONSULTATION,
    Step.CONVERSATION: Event.RECORD_CONVERSATION,
    Step.WEIGHING: Event.RECORD_WEIGHING,
    Step.DECISION: Event.RECORD_DECISION,
}


def _ctx(request: HttpRequest) -> AccessContext:
    """The user's access context, set on the request by the middleware."""
    return request.lev  # type: ignore[attr-defined,no-any-return]


def _to_case(case: MeldcodeCase, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meldcode:case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


def refusal_errors(exc: MeldcodeRefused) -> ValidationError:
    """A Meldcode rule's refusal as form errors: at the field it names, else above the form."""
    errors: dict[str, list[str]] = {}
    for notice in exc.refusals:
        errors.setdefault(notice.field or NON_FIELD_ERRORS, []).append(notice.message)
    return ValidationError(errors)


def guarded(call: Callable[[], T], rename: Mapping[str, str] | None = None) -> T:
    """CALL a service; its refusals become form errors, a service's field name renamed to the
    form's where RENAME says so."""
    try:
        return call()
    except MeldcodeRefused as exc:
        error = refusal_errors(exc)
    except ValidationError as exc:
        if not rename or not hasattr(exc, "error_dict"):
            raise
        error = exc
    if rename:
        renamed: dict[str, list[Any]] = {}
        for name, errors in error.error_dict.items():
            renamed.setdefault(rename.get(name, name), []).extend(errors)
        error = ValidationError(renamed)
    raise error


def _writable(request: HttpRequest, case_id: int) -> tuple[MeldcodeCase, Basis]:
    """The case for a user who may work on it (403 for a reader who may only read it)."""
    return read_case(_ctx(request), case_id, allowed=may_write)


def _case_page(
    request: HttpRequest,
    case: MeldcodeCase,
    basis: Basis,
    *,
    answer_form: AnswerForm | None = None,
    feedback: Mapping[int, FeedbackForm] | None = None,
    evaluation: Mapping[int, EvaluationForm] | None = None,
    related_form: RelatedPupilForm | None = None,
    grant_form: GrantForm | None = None,
    manager_form: CaseManagerForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    """The case page, with the forms the reader may use (a posted one with its errors)."""
    today = timezone.localdate()
    page: CasePage = case_page(_ctx(request), case, basis, today)
    feedback = feedback or {}
    evaluation = evaluation or {}
    context: dict[str, Any] = {"page": page, "case": case}
    meldingen: list[tuple[Any, FeedbackForm | None]] = [(melding, None) for melding in page.meldingen]
    help_rows: list[tuple[Any, list[tuple[Any, EvaluationForm | None]]]] = [
        (row, [(item, None) for item in row.evaluations]) for row in page.help
    ]
    if page.may_write:
        question = page.next_question
        if answer_form is None and question is not None and question.allowed.allowed:
            answer_form = AnswerForm(
                initial={"question": question.question.key, "with_veilig_thuis": question.with_veilig_thuis}
            )
        context["answer_form"] = answer_form
        meldingen = [
            (
                melding,
                feedback.get(melding.pk)
                or (FeedbackForm(prefix=f"feedback-{melding.pk}") if melding.feedback_on is None else None),
            )
            for melding in page.meldingen
        ]
        help_rows = [
            (
                row,
                [
                    (
                        item,
                        evaluation.get(item.pk)
                        or (EvaluationForm(prefix=f"evaluation-{item.pk}") if item.held_on is None else None),
                    )
                    for item in row.evaluations
                ],
            )
            for row in page.help
        ]
        context["related_form"] = related_form or RelatedPupilForm(pupils=related_pupil_choices(case, today))
        if close_form is None and page.close_allowed:
            close_form = CloseForm(monitoring=page.decision.outcome == Outcome.CLOSE_WITH_MONITORING)
        context["close_form"] = close_form
        context["information_request_url"] = url_or_none("meldcode:information_request", case.pk)
    if page.may_grant:
        context["grant_form"] = grant_form or GrantForm(users=grant_choices(case, today))
    if page.may_set_manager:
        context["manager_form"] = manager_form or CaseManagerForm(
            managers=case_manager_choices(case.school_id, today).exclude(pk=case.case_manager_id)
        )
    context["meldingen"] = meldingen
    context["help_rows"] = help_rows
    # A posted form the page no longer shows (the case was closed meanwhile): its messages on top.
    posted = [
        answer_form,
        related_form,
        grant_form,
        manager_form,
        close_form,
        *feedback.values(),
        *evaluation.values(),
    ]
    shown = {
        id(context.get(key))
        for key in ("answer_form", "related_form", "grant_form", "manager_form", "close_form")
    }
    shown.update(id(form) for _melding, form in meldingen)
    shown.update(id(form) for _row, items in help_rows for _item, form in items)
    for form in posted:
        if form is not None and form.is_bound and id(form) not in shown:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, str(text))
    return render(request, "meldcode/case_detail.html", context)


# --- the list and opening a case ---------------------------------------------------------------------


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    if not ctx.schools:
        raise Http404  # the board sees no case
    rows, page = case_rows(ctx, timezone.localdate(), request.GET.get("pagina"))
    log_case_list_read(ctx)
    return render(
        request,
        "meldcode/case_list.html",
        {
            "rows": rows,
            "page": page,
            "may_open": may_open_case(ctx),
            "show_school": len(ctx.schools) > 1,
            "signals_url": url_or_none("incidents:signal_list"),
        },
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, pupil_id: int) -> HttpResponse:
    ctx = _ctx(request)
    refuse_non_opener(ctx, pupil_id)
    access = access_pupil_for_user(ctx, pupil_id)
    if not access.roles & OPEN_ROLES:
        raise PermissionDenied
    pupil = access.pupil
    today = timezone.localdate()
    signals = pupil_signals(pupil)
    managers = case_manager_choices(pupil.school_id, today)
    initial: dict[str, Any] = {}
    if managers.filter(pk=request.user.pk or 0).exists():
        initial["case_manager"] = request.user.pk
    wanted = request.GET.get("signaal", "")
    if wanted.isdigit() and signals.filter(pk=int(wanted)).exists():
        initial["signals"] = [int(wanted)]
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None,
        signals=signals,
        managers=managers,
        initial=initial,
    )

    def again() -> HttpResponse:
        return render(
            request,
            "meldcode/case_open.html",
            {"pupil": pupil, "form": form, "has_signals": signals.exists()},
        )

    if request.method != "POST":
        return again()
    return handle_form(
        request,
        form,
        run=lambda d: services.case_open(
            pupil=pupil,
            signals=list(d["signals"]),
            reason=d["reason"],
            case_manager=d["case_manager"],
            actor=request.user,
            now=timezone.now(),
        ),
        success=_("The Meldcode case is opened."),
        done=lambda case: _to_case(case),
        again=again,
    )


# --- the case page -------------------------------------------------------------------------------------


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case, basis = read_case(_ctx(request), case_id)
    return _case_page(request, case, basis)


# --- the five steps -------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    case: MeldcodeCase,
    form: Any,
    *,
    template: str = "meldcode/case_form.html",
    **extra: Any,
) -> HttpResponse:
    """A form page of the case (GET, or a POST that was refused)."""
    return render(request, template, {"case": case, "form": form, **extra})


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def step_record(request: HttpRequest, case_id: int, step: int) -> HttpResponse:
    if step not in {int(s) for s in Step}:
        raise Http404
    case, _basis = _writable(request, case_id)
    chosen = Step(step)
    form_class = STEP_FORMS[chosen]
    kwargs: dict[str, Any] = {}
    if form_class is DecisionStepForm:
        kwargs["deciders"] = decider_choices(case.school, timezone.localdate())
    form: StepForm = form_class(
        request.POST if request.method == "POST" else None, initial=step_initial(case, chosen), **kwargs
    )
    facts = services.facts_for(case)
    allowed = check(
        STEP_EVENTS[chosen], probe_facts(Event.RECORD_DECISION, facts) if chosen is Step.DECISION else facts
    )

    def again() -> HttpResponse:
        decision = services.decision_for(case) if chosen is Step.DECISION else None
        return _form_page(
            request,
            case,
            form,
            template="meldcode/case_step_form.html",
            step=chosen,
            title=step_title(chosen),
            spec=STEPS[chosen],
            allowed=allowed,
            skip_url=url_or_none("meldcode:conversation_skip", case.pk)
            if chosen is Step.CONVERSATION
            else None,
            decision=decision,
            outcome_label=OUTCOME_LABELS[decision.outcome] if decision and decision.outcome else "",
        )

    if request.method != "POST":
        return again()
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.step_record(
                case=case,
                step=chosen,
                recorded_on=d["recorded_on"],
                content=form.content(),
                actor=request.user,
                now=timezone.now(),
                **form.extra(),
            ),
            form.rename,
        ),
        success=_("Step %(step)s is recorded.") % {"step": int(chosen)},
        done=lambda _row: _to_case(case, f"stap-{int(chosen)}"),
        again=again,
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def conversation_skip(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _basis = _writable(request, case_id)
    form = ConversationSkipForm(request.POST if request.method == "POST" else None)

    def again() -> HttpResponse:
        return _form_page(
            request,
            case,
            form,
            title=_("Leave out the conversation with the parents"),
            intro=[SKIP_RULE],
            submit=_("Record that the conversation is left out"),
            allowed=check(
                Event.SKIP_CONVERSATION, probe_facts(Event.SKIP_CONVERSATION, services.facts_for(case))
            ),
        )

    if request.method != "POST":
        return again()
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.conversation_skip(
                case=case,
                reason=d["conversation_skip_reason"],
                recorded_on=d["recorded_on"],
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_("The conversation with the parents is left out; the reason is recorded."),
        done=lambda _row: _to_case(case, "stap-3"),
        again=again,
    )


# --- the afwegingskader ----------------------------------------------------------------------------


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def question_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    case, basis = _writable(request, case_id)
    form = AnswerForm(request.POST)
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.question_answer(
                case=case,
                question=d["question"],
                answer=d["answer"],
                reasoning=d["reasoning"],
                answered_on=d["answered_on"],
                with_veilig_thuis=d["with_veilig_thuis"],
                actor=request.user,
                now=timezone.now(),
            ),
            AnswerForm.rename,
        ),
        success=_("The answer is recorded."),
        done=lambda _row: _to_case(case, "afweging"),
        again=lambda: _case_page(request, case, basis, answer_form=form),
    )


# --- the melding and Veilig Thuis --------------------------------------------------------------


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def melding_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _basis = _writable(request, case_id)
    staff = staff_choices(case.school_id, timezone.localdate())
    initial = {"filed_by": request.user.pk} if staff.filter(pk=request.user.pk or 0).exists() else {}
    form = MeldingForm(request.POST if request.method == "POST" else None, staff=staff, initial=initial)
    allowed = check(Event.RECORD_MELDING, services.facts_for(case))

    def again() -> HttpResponse:
        return _form_page(
            request,
            case,
            form,
            title=_("Record the melding at Veilig Thuis"),
            intro=[
                _(
                    "Record the melding once it is made: when, the reference of Veilig Thuis, and whether the "
                    "parents were told. Veilig Thuis decides on the next steps within 5 working days."
                )
            ],
            submit=_("Record the melding"),
            allowed=allowed,
        )

    if request.method != "POST":
        return again()
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.melding_record(
                case=case,
                melded_at=d["melded_at"],
                reference=d["reference"],
                identity_shield=d["identity_shield"],
                parents_informed_on=d["parents_informed_on"],
                parents_not_informed_reason=d["parents_not_informed_reason"],
                filed_by=d["filed_by"],
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_(
            "The melding is recorded. Veilig Thuis decides within 5 working days; LEV reminds you to ask "
            "for the feedback."
        ),
        done=lambda _row: _to_case(case, "meldingen"),
        again=again,
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def feedback_record(request: HttpRequest, case_id: int, melding_id: int) -> HttpResponse:
    case, basis = _writable(request, case_id)
    melding = melding_of(case, melding_id)
    if melding is None:
        raise Http404
    form = FeedbackForm(request.POST, prefix=f"feedback-{melding.pk}")
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.feedback_record(
                melding=melding,
                feedback_on=d["feedback_on"],
                kind=d["kind"],
                feedback=d["feedback"],
                investigation_started_on=d["investigation_started_on"],
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_("The feedback from Veilig Thuis is recorded."),
        done=lambda _row: _to_case(case, "meldingen"),
        again=lambda: _case_page(request, case, basis, feedback={melding.pk: form}),
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def information_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _basis = _writable(request, case_id)
    form = InformationRequestForm(request.POST if request.method == "POST" else None)

    def again() -> HttpResponse:
        return _form_page(
            request,
            case,
            form,
            title=_("Record an information request of Veilig Thuis"),
            intro=[
                _(
                    "Veilig Thuis may ask the school for information, also without the parents' consent. "
                    "Record what was asked, on what basis the school shared, and what it shared."
                )
            ],
            submit=_("Record the information request"),
        )

    if request.method != "POST":
        return again()
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.information_request_record(
                case=case,
                requested_on=d["requested_on"],
                requested_by=d["requested_by"],
                consent=d["consent"],
                shared=d["shared"],
                verslag_accorded=d["verslag_accorded"],
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_("The information request of Veilig Thuis is recorded."),
        done=lambda _row: _to_case(case, "informatieverzoeken"),
        again=again,
    )


# --- help and its evaluations ----------------------------------------------------------------------


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def help_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _basis = _writable(request, case_id)
    form = HelpForm(request.POST if request.method == "POST" else None, partners=social_map(case.school_id))
    allowed = check(Event.RECORD_HELP, services.facts_for(case))

    def again() -> HttpResponse:
        return _form_page(
            request,
            case,
            form,
            title=_("Record the help organised"),
            intro=[_("What help, with whom, from when, and when it is first evaluated.")],
            submit=_("Record the help"),
            allowed=allowed,
        )

    if request.method != "POST":
        return again()
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.help_record(
                case=case,
                description=d["description"],
                partner=d["partner"],
                partner_other=d["partner_other"],
                starts_on=d["starts_on"],
                evaluate_on=d["evaluate_on"],
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_("The help is recorded, with its first evaluation planned."),
        done=lambda _row: _to_case(case, "hulp"),
        again=again,
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def evaluation_record(request: HttpRequest, case_id: int, evaluation_id: int) -> HttpResponse:
    case, basis = _writable(request, case_id)
    evaluation = evaluation_of(case, evaluation_id)
    if evaluation is None:
        raise Http404
    form = EvaluationForm(request.POST, prefix=f"evaluation-{evaluation.pk}")
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.evaluation_record(
                evaluation=evaluation,
                held_on=d["held_on"],
                conclusion=d["conclusion"],
                next_on=d["next_on"],
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_("The evaluation of the help is recorded."),
        done=lambda _row: _to_case(case, "hulp"),
        again=lambda: _case_page(request, case, basis, evaluation={evaluation.pk: form}),
    )


# --- related pupils, access, case manager, closing ---------------------------------------------------


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def related_pupil_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case, basis = _writable(request, case_id)
    form = RelatedPupilForm(request.POST, pupils=related_pupil_choices(case, timezone.localdate()))
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.related_pupil_add(
                case=case, pupil=d["pupil"], relation=d["relation"], actor=request.user, now=timezone.now()
            )
        ),
        success=_("The pupil is added to the case."),
        done=lambda _row: _to_case(case, "leerlingen"),
        again=lambda: _case_page(request, case, basis, related_form=form),
    )


def _granting(request: HttpRequest, case_id: int) -> tuple[MeldcodeCase, Basis]:
    case, basis = read_case(_ctx(request), case_id)
    if not may_grant(basis):
        raise PermissionDenied
    return case, basis


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def access_grant(request: HttpRequest, case_id: int) -> HttpResponse:
    case, basis = _granting(request, case_id)
    form = GrantForm(request.POST, users=grant_choices(case, timezone.localdate()))
    return handle_form(
        request,
        form,
        run=lambda d: services.access_grant(
            case=case, user=d["user"], actor=request.user, now=timezone.now()
        ),
        success=_("Access to the case is granted."),
        done=lambda _row: _to_case(case, "toegang"),
        again=lambda: _case_page(request, case, basis, grant_form=form),
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def access_revoke(request: HttpRequest, case_id: int, user_id: int) -> HttpResponse:
    case, _basis = _granting(request, case_id)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    try:
        services.access_revoke(case=case, user=user, actor=request.user, now=timezone.now())
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Access to the case is revoked."))
    return _to_case(case, "toegang")


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def case_manager_set(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = _ctx(request)
    case, basis = read_case(ctx, case_id)
    if not ctx.roles_at(case.school_id) & SCHOOL_WIDE_ROLES:
        raise PermissionDenied
    form = CaseManagerForm(request.POST, managers=case_manager_choices(case.school_id, timezone.localdate()))
    return handle_form(
        request,
        form,
        run=lambda d: services.case_manager_set(
            case=case, manager=d["case_manager"], actor=request.user, now=timezone.now()
        ),
        success=_("The case has a new case manager."),
        done=lambda _row: _to_case(case),
        again=lambda: _case_page(request, case, basis, manager_form=form),
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["POST"])
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    case, basis = _writable(request, case_id)
    monitoring = services.decision_for(case).outcome == Outcome.CLOSE_WITH_MONITORING
    form = CloseForm(request.POST, monitoring=monitoring)
    return handle_form(
        request,
        form,
        run=lambda d: guarded(
            lambda: services.case_close(
                case=case,
                closing_note=d["closing_note"],
                monitoring_agreements=d.get("monitoring_agreements", ""),
                actor=request.user,
                now=timezone.now(),
            )
        ),
        success=_("The case is closed."),
        done=lambda _row: _to_case(case),
        again=lambda: _case_page(request, case, basis, close_form=form),
    )
