"""Pages of the misconduct app: filing a report (everyone working at a school, and the board), the
receipt (the reporter), the board's list and page of a report with its steps, and the
vertrouwenspersoon's own conversations ("Mijn gesprekken").

Access lives in `misconduct.permissions`: 404 for everyone who may not see a report or note (the
director included), and one access-log row per granted read.
"""

from __future__ import annotations

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
from django.views.decorators.http import require_http_methods, require_POST

from lev.schools.models import School
from lev.web.forms import add_service_errors

from . import permissions as perms
from . import selectors
from .domain import steps as domain
from .forms import CloseForm, NoteCorrectionForm, NoteForm, NoteReportForm, ReportForm, StepForm
from .models import ConfidantNote, MisconductReport
from .services import (
    confidant_note_correct,
    confidant_note_record,
    confidant_note_to_report,
    report_close,
    report_file,
    report_step_record,
)


def _chosen_school(request: HttpRequest, schools: list[School]) -> School:
    """The school chosen with ?school= (or the posted one), else the active school, else the first."""
    ctx = request.lev  # type: ignore[attr-defined]
    wanted = request.POST.get("school") or request.GET.get("school")
    by_id = {s.pk: s for s in schools}
    if wanted and wanted.isdigit() and int(wanted) in by_id:
        return by_id[int(wanted)]
    active = ctx.active_school
    if active is not None and active.pk in by_id:
        return by_id[active.pk]
    return schools[0]


# --- Filing a report and its receipt -----------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    schools = perms.filing_schools(ctx)
    if not schools:
        raise PermissionDenied
    school = _chosen_school(request, schools)
    now = timezone.now()
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        pupil_choices=selectors.pupil_choices(school),
        now=now,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_file(
                school=school,
                kind=data["kind"],
                accused=data["accused"],
                facts=data["facts"],
                source=data["source"],
                told_by=data["told_by"],
                aware_on=data["aware_on"],
                pupils=data["pupils"],
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("misconduct:wpo4a_receipt", report_id=report.pk)
    return render(
        request,
        "misconduct/report_new.html",
        {"form": form, "school": school, "schools": schools},
    )


@never_cache
@require_http_methods(["GET"])
def report_receipt(request: HttpRequest, report_id: int) -> HttpResponse:
    report = perms.access_receipt_for_user(request.lev, report_id)  # type: ignore[attr-defined]
    return render(request, "misconduct/receipt.html", {"report": report})


# --- The board's pages -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET"])
def report_list(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    if not perms.board_ids(ctx):
        raise Http404
    perms.log_report_list(ctx)
    rows = selectors.report_rows(perms.reports_of_board(ctx), timezone.now())
    return render(request, "misconduct/report_list.html", {"rows": rows})


def _detail_page(
    request: HttpRequest,
    report: MisconductReport,
    *,
    bound: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.report_view(report, timezone.now())
    step_forms: list[StepForm] = []
    for code in view.available:
        if isinstance(bound, StepForm) and bound.code == code:
            step_forms.append(bound)
        else:
            step_forms.append(
                StepForm(kind=report.kind, code=code, initial={"done_on": timezone.localdate()})
            )
    close_form = bound if isinstance(bound, CloseForm) else CloseForm()
    # A refusal of a step that is no longer offered (recorded meanwhile, or the report closed).
    orphan = isinstance(bound, StepForm) and bound.code not in view.available
    return render(
        request,
        "misconduct/report_detail.html",
        {
            "view": view,
            "report": report,
            "step_forms": step_forms,
            "close_form": close_form,
            "orphan_errors": bound.non_field_errors() if orphan and bound is not None else [],
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = perms.access_report_for_user(request.lev, report_id)  # type: ignore[attr-defined]
    return _detail_page(request, report)


@never_cache
@require_POST
def report_step(request: HttpRequest, report_id: int, code: str) -> HttpResponse:
    report = perms.access_report_for_user(request.lev, report_id)  # type: ignore[attr-defined]
    try:
        form = StepForm(request.POST, kind=report.kind, code=code)
    except domain.UnknownStep as exc:
        raise Http404 from exc
    if form.is_valid():
        try:
            report_step_record(
                report=report, code=code, **form.service_kwargs(), actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The step has been recorded."))
            return redirect(reverse("misconduct:wpo4a_detail", args=[report.pk]) + "#steps")
    return _detail_page(request, report, bound=form)


@never_cache
@require_POST
def report_close_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = perms.access_report_for_user(request.lev, report_id)  # type: ignore[attr-defined]
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            report_close(
                report=report, note=form.cleaned_data["note"], actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report has been closed."))
            return redirect("misconduct:wpo4a_detail", report_id=report.pk)
    return _detail_page(request, report, bound=form)


# --- The vertrouwenspersoon's conversations ------------------------------------------------------


def _confidant_schools(request: HttpRequest) -> list[School]:
    schools = perms.confidant_schools(request.lev)  # type: ignore[attr-defined]
    if not schools:
        raise Http404
    return schools


@never_cache
@require_http_methods(["GET"])
def note_list(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    schools = _confidant_schools(request)
    perms.log_note_list(ctx)
    rows = selectors.note_rows(perms.notes_of(ctx))
    return render(request, "misconduct/note_list.html", {"rows": rows, "several_schools": len(schools) > 1})


@never_cache
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest) -> HttpResponse:
    schools = _confidant_schools(request)
    school = _chosen_school(request, schools)
    now = timezone.now()
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        pupil_choices=selectors.pupil_choices(school),
        now=now,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            note = confidant_note_record(
                school=school,
                held_at=data["held_at"],
                with_whom=data["with_whom"],
                summary=data["summary"],
                agreements=data["agreements"],
                follow_up=data["follow_up"],
                pupils=data["pupils"],
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The conversation has been recorded. Only you can read it."))
            return redirect("misconduct:confidant_note_detail", note_id=note.pk)
    return render(
        request,
        "misconduct/note_form.html",
        {"form": form, "school": school, "schools": schools, "note": None},
    )


def _note_page(
    request: HttpRequest, note: ConfidantNote, *, report_form: NoteReportForm | None = None, status: int = 200
) -> HttpResponse:
    earlier, newer = selectors.note_versions(note)
    context: dict[str, Any] = {
        "note": note,
        "earlier": earlier,
        "newer": newer,
        "pupils": list(note.pupils.order_by("achternaam", "roepnaam", "pk")),
        "report": selectors.report_of_note(note, earlier),
        "report_form": report_form or NoteReportForm(),
    }
    return render(request, "misconduct/note_detail.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    note = perms.access_note_for_user(request.lev, note_id)  # type: ignore[attr-defined]
    return _note_page(request, note)


@never_cache
@require_http_methods(["GET", "POST"])
def note_correct(request: HttpRequest, note_id: int) -> HttpResponse:
    note = perms.access_note_for_user(request.lev, note_id)  # type: ignore[attr-defined]
    if ConfidantNote.objects.filter(corrects=note).exists():
        messages.error(request, _("This note has been corrected already. Correct the newest version."))
        return redirect("misconduct:confidant_note_detail", note_id=note.pk)
    now = timezone.now()
    initial = {
        "held_at": timezone.localtime(note.held_at).replace(second=0, microsecond=0),
        "with_whom": note.with_whom,
        "summary": note.summary,
        "agreements": note.agreements,
        "follow_up": note.follow_up,
    }
    form = NoteCorrectionForm(request.POST if request.method == "POST" else None, initial=initial, now=now)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            correction = confidant_note_correct(
                note=note,
                held_at=data["held_at"],
                with_whom=data["with_whom"],
                summary=data["summary"],
                agreements=data["agreements"],
                follow_up=data["follow_up"],
                reason=data["correction_reason"],
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"reason": "correction_reason"})
        else:
            messages.success(
                request, _("The correction has been recorded. The original stays, marked as corrected.")
            )
            return redirect("misconduct:confidant_note_detail", note_id=correction.pk)
    return render(
        request,
        "misconduct/note_form.html",
        {"form": form, "school": note.school, "schools": [], "note": note},
    )


@never_cache
@require_POST
def note_report(request: HttpRequest, note_id: int) -> HttpResponse:
    note = perms.access_note_for_user(request.lev, note_id)  # type: ignore[attr-defined]
    form = NoteReportForm(request.POST)
    if form.is_valid():
        try:
            report = confidant_note_to_report(
                note=note,
                kind=form.cleaned_data["kind"],
                accused=form.cleaned_data["accused"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("misconduct:wpo4a_receipt", report_id=report.pk)
    return _note_page(request, note, report_form=form)
