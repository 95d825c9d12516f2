"""The incident register (Bijlage 11, ch. 7): the page, the CSV and the Bijlage 11 PDF.

Who sees what (`register_selectors.register_scope`): the director, deputy director and IB see every
incident of the active school; a teacher or staff member sees the incidents they reported or
recorded, under the title "My incidents"; every other role (the board, the FG, the functional
administrator, a confidant without another role) gets 403. All three pages use the same filter form
and the same selector, so an export holds exactly the rows the page shows that user.
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communications.rendering import RenderError
from lev.schools.access import AccessContext
from lev.schools.models import School

from .permissions import log_list_read
from .register_forms import RegisterFilterForm, filter_query
from .register_pdf import (
    PDF_MAX_ROWS,
    Audience,
    print_rows,
    pupil_initials,
    register_csv,
    register_pdf_html,
    render_register_pdf,
)
from .register_selectors import (
    RegisterFilters,
    Scope,
    filter_group_choices,
    filter_pupil,
    filter_pupil_choices,
    register_counts,
    register_rows,
    register_scope,
    screen_rows,
)
from .register_services import register_export_record

# Rows per page of the register (the benchmark changes it to count queries for 10 and 100 rows).
PAGE_SIZE = 50


def _open(request: HttpRequest) -> tuple[AccessContext, School, Scope]:
    ctx: AccessContext = request.lev  # type: ignore[attr-defined]
    school = ctx.active_school
    scope = register_scope(ctx, school)
    if school is None or scope is None:
        raise PermissionDenied
    return ctx, school, scope


def _filter_form(request: HttpRequest, ctx: AccessContext, school: School) -> RegisterFilterForm:
    form = RegisterFilterForm(
        request.GET, groups=filter_group_choices(school), pupils=filter_pupil_choices(ctx, school)
    )
    form.is_valid()
    return form


def _back_to_register(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    query = filter_query(request.GET)
    return redirect(reverse("incidents:register") + (f"?{query}" if query else ""))


def _filename(school: School, day: date, extension: str, suffix: str = "") -> str:
    brin = re.sub(r"[^0-9A-Za-z]", "", school.brin)
    return f"incidentenregister-{brin}-{day:%Y%m%d}{suffix}.{extension}"


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _mr_pupil_label(school: School, filters: RegisterFilters) -> str:
    pupil = filter_pupil(school, filters.pupil_id) if filters.pupil_id else None
    return pupil_initials(pupil) if pupil is not None else ""


@never_cache
@require_http_methods(["GET"])
def register(request: HttpRequest) -> HttpResponse:
    ctx, school, scope = _open(request)
    form = _filter_form(request, ctx, school)
    filters = form.filters()
    page = Paginator(register_rows(ctx, school, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = filter_query(request.GET)
    log_list_read(ctx, school, "register")
    return render(
        request,
        "incidents/register.html",
        {
            "school": school,
            "scope": scope,
            "form": form,
            "filtered": filters.active,
            "described": form.described(),
            "page": page,
            "rows": screen_rows(page.object_list),
            "counts": register_counts(ctx, school, filters=filters),
            "query": query,
        },
    )


@never_cache
@require_http_methods(["GET"])
def register_csv_export(request: HttpRequest) -> HttpResponse:
    ctx, school, scope = _open(request)
    form = _filter_form(request, ctx, school)
    if form.errors:
        return _back_to_register(request, _("Correct the filter first; the export uses the same filter."))
    filters = form.filters()
    now = timezone.now()
    content, count = register_csv(register_rows(ctx, school, filters=filters).iterator(chunk_size=500))
    register_export_record(
        school=school, fmt="csv", scope=scope, filters=filters, rows=count, actor=request.user, now=now
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    return _download(response, _filename(school, timezone.localdate(now), "csv"))


@never_cache
@require_http_methods(["GET"])
def register_pdf(request: HttpRequest) -> HttpResponse:
    ctx, school, scope = _open(request)
    form = _filter_form(request, ctx, school)
    if form.errors:
        return _back_to_register(request, _("Correct the filter first; the export uses the same filter."))
    audience: Audience = "mr" if request.GET.get("voor", "").lower() == "mr" else "school"
    filters = form.filters()
    incidents = list(
        register_rows(ctx, school, filters=filters, oldest_first=True, for_print=True)[: PDF_MAX_ROWS + 1]
    )
    if len(incidents) > PDF_MAX_ROWS:
        return _back_to_register(
            request,
            _(
                "The PDF can hold at most %(max)s incidents. Narrow the filter, for example to one "
                "school year or one category, and try again."
            )
            % {"max": PDF_MAX_ROWS},
        )
    now = timezone.now()
    html = register_pdf_html(
        school=school,
        rows=print_rows(incidents, audience=audience),
        audience=audience,
        scope=scope,
        filters=filters,
        described=form.described(pupil_label=_mr_pupil_label(school, filters) if audience == "mr" else ""),
        made_by=request.user.display_name,  # type: ignore[union-attr]
        made_on=timezone.localdate(now),
    )
    try:
        pdf = render_register_pdf(html)
    except RenderError:
        return _back_to_register(
            request,
            _("The PDF could not be made. Try again later; if it keeps failing, tell your administrator."),
        )
    register_export_record(
        school=school,
        fmt="pdf",
        scope=scope,
        filters=filters,
        rows=len(incidents),
        audience=audience,
        actor=request.user,
        now=now,
    )
    suffix = "-mr" if audience == "mr" else ""
    response = HttpResponse(pdf, content_type="application/pdf")
    return _download(response, _filename(school, timezone.localdate(now), "pdf", suffix))
