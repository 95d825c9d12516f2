"""The board's annual report as a PDF (issue 8, point 5; `lev.monitoring.report`).

Board members only: `dashboard.scope_for` decides (everyone without a dashboard 403), and a director
or deputy, who has a dashboard of their own school but not the board's, gets 403 too. The school
year is chosen with `jaar=2025-2026` among the years the dashboard offers (the running year when not
given; another year: 404). `meldcode=1` asks for the version for the Inspectie, with the Meldcode
bundles (`lev.monitoring.report`); the Meldcode's shorter idle timeout applies to both.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from communications.rendering import RenderError
from lev.accounts.middleware import sensitive_idle_timeout
from lev.schools.access import AccessContext

from .dashboard import SchoolYearSpan, scope_for, years_offered
from .report import annual_report as build_annual_report
from .report import annual_report_export_record, render_annual_report_pdf, report_filename


def _ctx(request: HttpRequest) -> AccessContext:
    return request.lev  # type: ignore[attr-defined,no-any-return]


@sensitive_idle_timeout
@never_cache
@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    now = timezone.now()
    today = timezone.localdate(now)
    scope = scope_for(ctx, today)
    if not scope.board_view:
        raise PermissionDenied
    years = years_offered(scope, today)
    year = SchoolYearSpan.parse(request.GET.get("jaar", "")) or years[0]
    if year not in years:
        raise Http404
    with_meldcode = request.GET.get("meldcode") == "1"
    report = build_annual_report(ctx, scope, year, now=now, today=today, with_meldcode=with_meldcode)
    try:
        pdf = render_annual_report_pdf(report)
    except RenderError:
        messages.error(
            request,
            _("The PDF could not be made. Try again later; if it keeps failing, tell your administrator."),
        )
        return redirect(f"{reverse('monitoring:dashboard')}?{urlencode({'jaar': year.label})}")
    annual_report_export_record(ctx=ctx, report=report, now=now)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(year, with_meldcode=with_meldcode)}"'
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
