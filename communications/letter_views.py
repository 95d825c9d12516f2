"""Letter pages: the list, a new letter, the letter (preview, checks, recipients, actions), edit,
submit, approve, withdraw, the stored PDF of a copy and its dispatch.

Views are thin: access (`letter_selectors`) → form → one service call → redirect.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lev.accounts.middleware import passive_request
from lev.schools.models import SchoolGroup
from lev.schools.selectors import pupils_of_school
from lev.web.forms import add_service_errors

from . import letter_services as svc
from .domain.texts import KINDS, letter_kind
from .letter_forms import DispatchForm, LetterEditForm, NewLetterForm, ReasonForm, value_field
from .letter_models import Letter, LetterCopy, LetterStatus
from .letter_selectors import letter_for_user, letters_for_board, letters_for_school, may_list_school_letters
from .rendering import CONCEPT_MARK, letter_content


def _ctx(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.lev  # type: ignore[attr-defined]


def _message_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_http_methods(["GET"])
def letter_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    school = ctx.active_school
    school_letters = letters_for_school(ctx, school) if may_list_school_letters(ctx, school) else None
    board_letters = letters_for_board(ctx)
    if school_letters is None and not ctx.board_roles() & {"board"}:
        raise PermissionDenied
    sections = []
    if school_letters is not None:
        for status, title in (
            (LetterStatus.SUBMITTED, _("Awaiting approval")),
            (LetterStatus.DRAFT, _("Drafts")),
            (LetterStatus.APPROVED, _("Approved, to be sent")),
            (LetterStatus.SENT, _("Sent")),
        ):
            sections.append((title, list(school_letters.filter(status=status)[:100])))
    return render(
        request,
        "communications/letter_list.html",
        {
            "school": school if school_letters is not None else None,
            "sections": sections,
            "board_letters": list(board_letters.order_by("status", "-created_at")[:100]),
            "kinds": KINDS,
        },
    )


@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    school = ctx.active_school
    if school is None or not svc.may_author(request.user, school, timezone.localdate()):
        raise PermissionDenied
    today = timezone.localdate()
    groups = SchoolGroup.objects.filter(
        school=school, school_year__starts_on__lte=today, school_year__ends_on__gte=today
    ).order_by("name")
    pupils = pupils_of_school(ctx, school)
    # From the pupil page: "?leerling=<id>" preselects that pupil, if it is one of the school's.
    chosen = request.GET.get("leerling", "")
    initial = {"pupil": int(chosen)} if chosen.isdigit() and pupils.filter(pk=int(chosen)).exists() else {}
    form = NewLetterForm(request.POST or None, pupils=pupils, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        kind = letter_kind(form.cleaned_data["kind"])
        try:
            letter = svc.letter_create(
                kind_code=kind.code,
                school=school,
                pupil=form.cleaned_data["pupil"] if kind.audience == "pupil_parents" else None,
                group_ids=[g.pk for g in form.cleaned_data["groups"]]
                if kind.audience == "group_parents"
                else [],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("communications:letter_edit", letter_id=letter.pk)
    return render(request, "communications/letter_new.html", {"form": form, "school": school})


def _preview(letter: Letter, today: date) -> object:
    kind = letter_kind(letter.kind)
    fixed = letter.values.get("_fixed")
    values = dict(fixed) if fixed else svc.all_values(letter, day=today, signatory=letter.approved_by)
    recipients = svc.letter_addressees(letter) if not fixed else []
    lines = (
        recipients[0].lines if recipients and not recipients[0].shielded else (_("(address of the parents)"),)
    )
    return letter_content(
        kind,
        letter.denominatie,
        svc.block_texts(letter),
        values,
        recipient_lines=lines,
        letterhead=svc.letterhead_for(letter.school),
        enabled=letter.enabled_blocks,
        copies=letter.copies_to,
        concept=svc.letter_is_concept(letter),
    )


@never_cache
@require_http_methods(["GET"])
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_for_user(_ctx(request), letter_id)
    today = timezone.localdate()
    kind = letter_kind(letter.kind)
    check = svc.letter_check(letter, day=today)
    copies = list(letter.copies.order_by("position"))
    addressees = svc.letter_addressees(letter) if not copies else []
    response = render(
        request,
        "communications/letter_detail.html",
        {
            "letter": letter,
            "kind": kind,
            "check": check,
            "copies": copies,
            "addressees": addressees,
            "preview": _preview(letter, today),
            "concept_mark": CONCEPT_MARK,
            "may_edit": letter.status in svc.EDITABLE_STATUSES
            and svc.may_author(request.user, letter.school, today),
            "may_approve": letter.status == LetterStatus.SUBMITTED
            and letter.author_id != request.user.pk
            and svc.may_approve(request.user, letter, today),
            "board_letter": svc.is_board_letter(letter),
            "withdraw_form": ReasonForm(),
            "progress": svc.letter_progress(letter) if copies else None,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def letter_edit(request: HttpRequest, letter_id: int) -> HttpResponse:
    ctx = _ctx(request)
    letter = letter_for_user(ctx, letter_id, log=False)
    if letter.status not in svc.EDITABLE_STATUSES or not svc.may_author(
        request.user, letter.school, timezone.localdate()
    ):
        raise PermissionDenied
    kind = letter_kind(letter.kind)
    pupils = pupils_of_school(ctx, letter.school)
    form = LetterEditForm(request.POST or None, letter=letter, kind=kind, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {code[len("value_") :]: value for code, value in data.items() if code.startswith("value_")}
        enabled = []
        if data.get("stays_home"):
            enabled.append("thuis_gehouden")
            values |= svc.stays_home_values(
                data["stays_home_pupil"].pk, data["stays_home_first"], data["stays_home_last"]
            )
        try:
            svc.letter_update(
                letter=letter,
                values=values,
                enabled_blocks=enabled,
                copies_to=(data.get("copies_to") or "").splitlines(),
                wording_override_reason=data.get("wording_override_reason") or "",
                include_without_gezag=data.get("include_without_gezag") or [],
                without_gezag_reason=data.get("without_gezag_reason") or "",
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The letter has been saved."))
            return redirect("communications:letter_detail", letter_id=letter.pk)
    return render(
        request,
        "communications/letter_edit.html",
        {"letter": letter, "kind": kind, "form": form, "value_field": value_field},
    )


@require_POST
def letter_submit(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_for_user(_ctx(request), letter_id, log=False)
    if not svc.may_author(request.user, letter.school, timezone.localdate()):
        raise PermissionDenied
    try:
        svc.letter_submit(letter=letter, actor=request.user, now=timezone.now())
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("The letter awaits approval by a second person."))
    return redirect("communications:letter_detail", letter_id=letter.pk)


@require_POST
def letter_approve(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_for_user(_ctx(request), letter_id, log=False)
    try:
        svc.letter_approve(letter=letter, actor=request.user, now=timezone.now())
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(
            request, _("The letter has been approved. LEV is making the PDFs; then record how each was sent.")
        )
    return redirect("communications:letter_detail", letter_id=letter.pk)


@require_POST
def letter_withdraw(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_for_user(_ctx(request), letter_id, log=False)
    if not svc.may_author(request.user, letter.school, timezone.localdate()) and not svc.may_approve(
        request.user, letter, timezone.localdate()
    ):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to withdraw the letter."))
        return redirect("communications:letter_detail", letter_id=letter.pk)
    try:
        svc.letter_withdraw(
            letter=letter, reason=form.cleaned_data["reason"], actor=request.user, now=timezone.now()
        )
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("The letter has been withdrawn."))
    return redirect("communications:letter_detail", letter_id=letter.pk)


def _copy(request: HttpRequest, letter_id: int, copy_id: int) -> LetterCopy:
    letter = letter_for_user(_ctx(request), letter_id, log=False)
    copy = LetterCopy.objects.filter(letter=letter, pk=copy_id).select_related("letter__school").first()
    if copy is None:
        raise Http404
    return copy


@require_http_methods(["GET"])
def copy_pdf(request: HttpRequest, letter_id: int, copy_id: int) -> HttpResponse:
    letter_for_user(_ctx(request), letter_id)  # access check and access log
    copy = _copy(request, letter_id, copy_id)
    if not copy.sha256:
        raise Http404
    response = HttpResponse(svc.copy_pdf_bytes(copy), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="brief-{copy.letter.reference}-{copy.position}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def copy_dispatch(request: HttpRequest, letter_id: int, copy_id: int) -> HttpResponse:
    copy = _copy(request, letter_id, copy_id)
    letter = copy.letter
    today = timezone.localdate()
    if not (
        svc.may_author(request.user, letter.school, today) or svc.may_approve(request.user, letter, today)
    ):
        raise PermissionDenied
    kind = letter_kind(letter.kind)
    initial = {
        "method": copy.method or ("registered_mail" if kind.legal else "post"),
        "sent_on": copy.sent_on or today,
        "tracking_number": copy.tracking_number,
        "delivered_on": copy.delivered_on,
    }
    form = DispatchForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.letter_copy_dispatch(
                copy=copy,
                method=form.cleaned_data["method"],
                sent_on=form.cleaned_data["sent_on"],
                tracking_number=form.cleaned_data.get("tracking_number") or "",
                delivered_on=form.cleaned_data.get("delivered_on"),
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The dispatch has been recorded."))
            return redirect("communications:letter_detail", letter_id=letter.pk)
    return render(
        request,
        "communications/copy_dispatch.html",
        {"letter": letter, "copy": copy, "form": form, "kind": kind},
    )


@require_http_methods(["GET"])
@passive_request
def letter_progress(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The progress of making the PDFs, polled by the letter page (htmx) without keeping the
    session alive."""
    letter = letter_for_user(_ctx(request), letter_id, log=False)
    return render(
        request,
        "communications/_letter_recipients.html",
        {
            "letter": letter,
            "kind": letter_kind(letter.kind),
            "copies": list(letter.copies.order_by("position")),
            "progress": svc.letter_progress(letter),
        },
    )


@require_http_methods(["GET"])
def letter_print(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_for_user(_ctx(request), letter_id)
    if not letter.print_sha256:
        raise Http404
    with letter.print_pdf.open("rb") as fh:
        content = fh.read()
    if hashlib.sha256(content).hexdigest() != letter.print_sha256:
        raise ValueError(f"The print file of letter {letter.pk} does not match its SHA-256.")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brieven-{letter.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def letter_email_all(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = letter_for_user(_ctx(request), letter_id, log=False)
    today = timezone.localdate()
    if not (
        svc.may_author(request.user, letter.school, today) or svc.may_approve(request.user, letter, today)
    ):
        raise PermissionDenied
    try:
        queued = svc.letter_email_all(letter=letter, actor=request.user, now=timezone.now())
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d letter is being e-mailed. Print the letters of addresses without an e-mail address.",
                "%(count)d letters are being e-mailed. Print the letters of addresses without an e-mail address.",
                queued,
            )
            % {"count": queued},
        )
    return redirect("communications:letter_detail", letter_id=letter.pk)
