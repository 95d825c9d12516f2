"""The Rapportage Meldcode pages (Bijlage 10; LEGAL.md M9).

- `report_edit` (a case): the report of the case. Everyone who may open the case reads it
  (`meldcode.permissions.read_case`, access-logged; everyone else 404); the case manager, the director
  and the deputy write it (a post by anyone else: 403). On first use the form is filled from what the
  case already says; "Contactpersoon" and "Melding gedaan" come from the case and are shown, not typed.
  The page lists the names LEV knows and the full dates the saved text mentions (the board's version
  replaces them), and how many earlier versions the report has, with their dates.
- `bundle`, `bundle_pdf`: the yearly bundle for the school's director, deputy and care coordinators.
- `board_bundle`, `board_bundle_pdf`: the anonymised bundle for the board members of the school's
  board.

Everyone else gets 404 on every page, the same answer as for a school or year that does not exist:
the Meldcode's existence at a school is itself confidential. Every page has the 15-minute idle
timeout of the Meldcode.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communications.rendering import RenderError
from lev.accounts.middleware import sensitive_idle_timeout
from lev.schools.access import AccessContext
from lev.schools.models import School, SchoolYear
from lev.web.forms import handle_form

from .models import CaseReport
from .permissions import may_write_report, read_case
from .report_bundle import (
    PDF_MAX_CASES,
    Audience,
    board_bundle_school,
    board_bundle_schools,
    bundle_cases,
    bundle_document,
    bundle_export_record,
    bundle_filename,
    bundle_school,
    bundle_schools,
    bundle_year,
    bundle_years,
    date_placeholder,
    earlier_versions,
    melding_text,
    placeholder,
    render_bundle_pdf,
    report_dates_found,
    report_initial,
    report_names_found,
)
from .report_forms import ReportForm
from .services import report_save


def _ctx(request: HttpRequest) -> AccessContext:
    return request.lev  # type: ignore[attr-defined,no-any-return]


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    ctx = _ctx(request)
    # A POST by a reader who may not write the report is logged as refused and answers 403.
    case, basis = read_case(ctx, case_id, allowed=may_write_report if request.method == "POST" else None)
    writable = may_write_report(basis)
    report = CaseReport.objects.filter(case=case).select_related("written_by").first()
    today = timezone.localdate()
    form = ReportForm(
        request.POST if request.method == "POST" else None, initial=report_initial(case, report, today)
    )

    def page() -> HttpResponse:
        return render(
            request,
            "meldcode/report_edit.html",
            {
                "case": case,
                "report": report,
                "form": form,
                "writable": writable,
                "contact": case.case_manager.display_name,
                "melding": melding_text(list(case.meldingen.values_list("melded_at", flat=True))),
                "names_found": report_names_found(case, report),
                "dates_found": report_dates_found(report),
                "earlier_versions": earlier_versions(case) if report is not None else [],
                "placeholder": placeholder(),
                "date_placeholder": date_placeholder(),
                "case_url": reverse("meldcode:case_detail", args=[case.pk]),
            },
        )

    if request.method != "POST":
        return page()
    return handle_form(
        request,
        form,
        run=lambda data: report_save(
            case=case,
            report_on=data["report_on"],
            values=form.values(),
            actor=request.user,
            now=timezone.now(),
        ),
        success=_("The Rapportage Meldcode is saved."),
        done=lambda _report: redirect("meldcode:report_edit", case_id=case.pk),
        again=page,
    )


# --- The yearly bundle --------------------------------------------------------------------------------


def _download(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _choices(schools: list[School], today: date) -> list[tuple[School, list[SchoolYear]]]:
    """Per school the school years whose bundle can be made."""
    return [(school, bundle_years(school, today)) for school in schools]


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET"])
def bundle(request: HttpRequest) -> HttpResponse:
    schools = bundle_schools(_ctx(request))
    if not schools:
        raise Http404
    return render(
        request,
        "meldcode/report_bundle.html",
        {
            "choices": _choices(schools, timezone.localdate()),
            "board": False,
            "pdf_url": "meldcode:bundle_pdf",
        },
    )


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET"])
def board_bundle(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    schools = board_bundle_schools(_ctx(request), today)
    if not schools:
        raise Http404
    return render(
        request,
        "meldcode/report_bundle.html",
        {
            "choices": _choices(schools, today),
            "board": True,
            "pdf_url": "meldcode:board_bundle_pdf",
            "placeholder": placeholder(),
        },
    )


def _export(
    request: HttpRequest, ctx: AccessContext, school_id: int, year_id: int, audience: Audience
) -> HttpResponse:
    today = timezone.localdate()
    school = (
        board_bundle_school(ctx, school_id, today) if audience == "board" else bundle_school(ctx, school_id)
    )
    year = bundle_year(school, year_id)
    back = "meldcode:board_bundle" if audience == "board" else "meldcode:bundle"
    cases = bundle_cases(ctx, school, year, audience=audience)
    if len(cases) > PDF_MAX_CASES:
        messages.error(
            request,
            _(
                "The bundle can hold at most %(max)s cases. Ask your administrator for the bundle of this year."
            )
            % {"max": PDF_MAX_CASES},
        )
        return redirect(back)
    now = timezone.now()
    document = bundle_document(ctx, school, year, audience=audience, made_on=today, cases=cases)
    try:
        pdf = render_bundle_pdf(document.html)
    except RenderError:
        messages.error(
            request,
            _("The PDF could not be made. Try again later; if it keeps failing, tell your administrator."),
        )
        return redirect(back)
    bundle_export_record(
        ctx=ctx,
        school=school,
        year=year,
        cases=document.cases,
        audience=audience,
        now=now,
        versions=document.versions,
    )
    return _download(pdf, bundle_filename(school, year, audience))


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET"])
def bundle_pdf(request: HttpRequest, school_id: int, year_id: int) -> HttpResponse:
    return _export(request, _ctx(request), school_id, year_id, "school")


@sensitive_idle_timeout
@never_cache
@require_http_methods(["GET"])
def board_bundle_pdf(request: HttpRequest, school_id: int, year_id: int) -> HttpResponse:
    return _export(request, _ctx(request), school_id, year_id, "board")
