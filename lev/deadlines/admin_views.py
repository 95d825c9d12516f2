"""The functional administrator's "Kalenders" pages: each school's holiday region and closures
(holidays, public holidays, study days), and the KB-gelijkgestelde dagen read-only.

Same access rules as the other administrator pages (`lev.schools.admin_views`): only a board's
functional administrator; 403 for other roles, 404 for another board's school or closure. Each view:
access → form → one service call → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lev.schools import admin_selectors
from lev.schools.admin_forms import ConfirmForm
from lev.schools.models import Board, School
from lev.web.forms import add_service_errors

from . import calendar_selectors as sel
from .admin_forms import ClosureForm, RegionForm
from .calendar_data import school_holiday_data
from .calendar_services import school_closure_add, school_closure_remove, school_region_set
from .domain.school_calendar import school_year_bounds, school_year_name
from .models import Region


def _boards(request: HttpRequest) -> list[Board]:
    return admin_selectors.require_admin_boards(request.lev)  # type: ignore[attr-defined]


def _school_year(value: str | None) -> str:
    """The school year asked for (?jaar=2026-2027), or the current one."""
    if value:
        try:
            school_year_bounds(value)
        except ValueError:
            pass
        else:
            return value
    return school_year_name(timezone.localdate())


def _school_page(school: School, school_year: str) -> str:
    url = reverse("deadlines:calendar_school", args=[school.pk])
    return f"{url}?jaar={school_year}"


@require_http_methods(["GET"])
def calendars(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    school_year = school_year_name(timezone.localdate())
    return render(
        request,
        "deadlines/admin/calendars.html",
        {
            "schools": sel.calendar_schools_for_admin(boards, school_year=school_year),
            "school_year": school_year,
            "many_boards": len(boards) > 1,
            "kb_days": sel.kb_days(),
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_school(request: HttpRequest, school_id: int) -> HttpResponse:
    boards = _boards(request)
    school = admin_selectors.school_for_admin(boards, school_id)
    school_year = _school_year(request.POST.get("jaar") or request.GET.get("jaar"))
    region = sel.school_region(school)
    action = request.POST.get("action") if request.method == "POST" else None
    region_form = RegionForm(request.POST if action == "region" else None, initial={"region": region})
    add_form = ClosureForm(request.POST if action not in (None, "region") else None)
    if action == "region" and region_form.is_valid():
        try:
            result = school_region_set(
                school=school,
                region=region_form.cleaned_data["region"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(region_form, exc)
        else:
            if result.changed:
                messages.success(
                    request,
                    _("The region has been saved. National days added: %(added)d; removed: %(removed)d.")
                    % {"added": result.added, "removed": result.removed},
                )
            else:
                messages.success(request, _("Nothing has changed: the calendar was already up to date."))
            return redirect(_school_page(school, school_year))
    elif action is not None and add_form.is_valid():
        data = add_form.cleaned_data
        try:
            closure = school_closure_add(
                school=school,
                first_day=data["first_day"],
                last_day=data["last_day"],
                kind=data["kind"],
                name=data["name"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("The closure has been added to the calendar."))
            return redirect(_school_page(school, school_year_name(closure.first_day)))
    holiday_data = school_holiday_data()
    today = timezone.localdate()
    return render(
        request,
        "deadlines/admin/calendar_school.html",
        {
            "school": school,
            "school_year": school_year,
            "current_school_year": school_year_name(today),
            "school_years": sel.known_school_years(
                school, region=region, today=today, shown=school_year, data=holiday_data
            ),
            "region": region,
            "region_label": dict(Region.choices).get(region, ""),
            "region_known": bool(region) and holiday_data.knows(region, school_year),
            "rows": sel.closures_of_year(school, school_year, region=region, data=holiday_data),
            "region_form": region_form,
            "add_form": add_form,
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_closure_delete(request: HttpRequest, closure_id: int) -> HttpResponse:
    boards = _boards(request)
    closure = sel.closure_for_admin(boards, closure_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        school_closure_remove(closure=closure, actor=request.user, now=timezone.now())
        messages.success(request, _("The closure has been deleted from the calendar."))
        return redirect(_school_page(closure.school, school_year_name(closure.first_day)))
    return render(
        request,
        "deadlines/admin/calendar_closure_delete.html",
        {"closure": closure, "school": closure.school, "school_year": school_year_name(closure.first_day)},
    )
