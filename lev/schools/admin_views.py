"""The functional administrator's pages: schools, school years and groups, users and memberships,
and the social map (UX.md, "Functioneel beheerder").

Each view: access (functional administrator of the object's board; 403 for other roles, 404 for
another board's objects) → form → one service call → redirect.
"""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lev.web.forms import add_service_errors

from . import admin_selectors as sel
from . import services
from .admin_forms import (
    BoardForm,
    ConfirmForm,
    GroupForm,
    MembershipEndForm,
    MembershipForm,
    SchoolForm,
    SchoolYearForm,
    SocialMapEntryForm,
    UserCreateForm,
    UserSearchForm,
)
from .models import Board, School

REFUSED_SELF = gettext_lazy(
    "You cannot change your own roles or account. Ask another functional administrator to do this."
)


def _boards(request: HttpRequest) -> list[Board]:
    return sel.require_admin_boards(request.lev)  # type: ignore[attr-defined]


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "schools/admin/refused.html", {"message": message}, status=403)


def _refuse_self(request: HttpRequest, user: Any) -> HttpResponse | None:
    if user.pk == request.user.pk:
        return _refused(request, str(REFUSED_SELF))
    return None


def _logo_data_uri(school: School) -> str | None:
    """The stored logo as a data: URI for the preview (media files are not served directly)."""
    if not school.letterhead_logo:
        return None
    try:
        with school.letterhead_logo.open("rb") as fh:
            content = fh.read(services.LOGO_MAX_BYTES + 1)
    except OSError:
        return None
    mime = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


# --- Schools --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def school_list(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    schools = sel.schools_for_admin(boards, today=timezone.localdate())
    return render(
        request, "schools/admin/school_list.html", {"schools": schools, "many_boards": len(boards) > 1}
    )


@require_http_methods(["GET", "POST"])
def school_create(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    form = SchoolForm(request.POST or None, request.FILES or None, today=timezone.localdate())
    board_choice = BoardForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid() and board_choice.is_valid():
        try:
            school = services.school_create(
                board=board_choice.board,
                fields=form.service_fields(),
                logo=form.cleaned_data.get("logo"),
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The school has been added."))
            return redirect("schools:admin_school_edit", school_id=school.pk)
    return render(
        request,
        "schools/admin/school_form.html",
        {"form": form, "board_choice": board_choice, "school": None},
    )


@require_http_methods(["GET", "POST"])
def school_edit(request: HttpRequest, school_id: int) -> HttpResponse:
    boards = _boards(request)
    school = sel.school_for_admin(boards, school_id)
    form = SchoolForm(
        request.POST or None, request.FILES or None, instance=school, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(
                school=school,
                fields=form.service_fields(),
                changed=form.changed_data,
                logo=form.cleaned_data.get("logo"),
                remove_logo=bool(form.cleaned_data.get("remove_logo")),
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The school's settings have been saved."))
            return redirect("schools:admin_school_edit", school_id=school.pk)
    saved = sel.school_for_admin(boards, school_id)  # the stored state, not the form's edits
    return render(
        request,
        "schools/admin/school_form.html",
        {"form": form, "school": saved, "logo_uri": _logo_data_uri(saved)},
    )


# --- School years and groups ----------------------------------------------------------------


@require_http_methods(["GET"])
def year_list(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    today = timezone.localdate()
    return render(
        request,
        "schools/admin/year_list.html",
        {"years": sel.years_for_admin(boards), "today": today, "many_boards": len(boards) > 1},
    )


@require_http_methods(["GET", "POST"])
def year_create(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    form = SchoolYearForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        try:
            year = services.school_year_create(
                board=form.board,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The school year has been added."))
            return redirect("schools:admin_year_detail", year_id=year.pk)
    return render(request, "schools/admin/year_form.html", {"form": form})


@require_http_methods(["GET"])
def year_detail(request: HttpRequest, year_id: int) -> HttpResponse:
    boards = _boards(request)
    year = sel.year_for_admin(boards, year_id)
    return render(
        request, "schools/admin/year_detail.html", {"year": year, "schools": sel.groups_of_year(year)}
    )


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, year_id: int, school_id: int) -> HttpResponse:
    boards = _boards(request)
    year = sel.year_for_admin(boards, year_id)
    school = sel.school_for_admin(boards, school_id)
    if school.board_id != year.board_id:
        raise Http404
    form = GroupForm(request.POST or None, school=school, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.group_create(
                school=school,
                school_year=year,
                name=form.cleaned_data["name"],
                grades=form.cleaned_data["grades"],
                teachers=form.cleaned_data["teachers"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group has been added."))
            return redirect("schools:admin_year_detail", year_id=year.pk)
    return render(
        request,
        "schools/admin/group_form.html",
        {"form": form, "year": year, "school": school, "group": None},
    )


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    boards = _boards(request)
    group = sel.group_for_admin(boards, group_id)
    form = GroupForm(request.POST or None, school=group.school, today=timezone.localdate(), group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=group,
                name=form.cleaned_data["name"],
                grades=form.cleaned_data["grades"],
                teachers=form.cleaned_data["teachers"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group has been saved."))
            return redirect("schools:admin_year_detail", year_id=group.school_year_id)
    return render(
        request,
        "schools/admin/group_form.html",
        {"form": form, "year": group.school_year, "school": group.school, "group": group},
    )


# --- Users and memberships ------------------------------------------------------------------


@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    form = UserSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    users = sel.users_for_admin(boards, today=timezone.localdate(), search=search)
    page = Paginator(users, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "schools/admin/user_list.html",
        {"form": form, "page": page, "search": search, "many_boards": len(boards) > 1},
    )


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    form = UserCreateForm(request.POST or None, boards=boards, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                board=form.board,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                school=data["school"],
                active_from=data["active_from"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The account has been created. The person receives an e-mail to choose a password."),
            )
            return redirect("schools:admin_user_detail", user_id=user.pk)
    return render(request, "schools/admin/user_form.html", {"form": form})


@require_http_methods(["GET"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    boards = _boards(request)
    person = sel.user_for_admin(boards, user_id)
    today = timezone.localdate()
    memberships = list(sel.memberships_for_admin(boards, person))
    for m in memberships:
        m.is_current = m.active_from <= today and (m.active_to is None or m.active_to >= today)  # type: ignore[attr-defined]
        m.has_ended = m.active_to is not None and m.active_to < today  # type: ignore[attr-defined]
    return render(
        request,
        "schools/admin/user_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "is_self": person.pk == request.user.pk,
            "today": today,
        },
    )


@require_POST
def user_invite(request: HttpRequest, user_id: int) -> HttpResponse:
    boards = _boards(request)
    person = sel.user_for_admin(boards, user_id)
    if (refusal := _refuse_self(request, person)) is not None:
        return refusal
    board = next(b for b in boards if sel.memberships_for_admin([b], person).exists())
    try:
        services.user_invite(user=person, board=board, actor=request.user, now=timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The e-mail with a link to choose a password has been sent again."))
    return redirect("schools:admin_user_detail", user_id=person.pk)


@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    boards = _boards(request)
    person = sel.user_for_admin(boards, user_id)
    if (refusal := _refuse_self(request, person)) is not None:
        return refusal
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_deactivate_for_board(
                user=person, boards=boards, actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The account has been deactivated and all its sessions have ended."))
            return redirect("schools:admin_user_detail", user_id=person.pk)
    return render(request, "schools/admin/user_deactivate.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, user_id: int) -> HttpResponse:
    boards = _boards(request)
    person = sel.user_for_admin(boards, user_id)
    if (refusal := _refuse_self(request, person)) is not None:
        return refusal
    form = MembershipForm(request.POST or None, boards=boards, user=person, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_grant(
                user=person,
                board=form.board,
                role=form.cleaned_data["role"],
                school=form.cleaned_data["school"],
                active_from=form.cleaned_data["active_from"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The role has been added."))
            return redirect("schools:admin_user_detail", user_id=person.pk)
    return render(request, "schools/admin/membership_form.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    boards = _boards(request)
    membership = sel.membership_for_admin(boards, membership_id)
    if (refusal := _refuse_self(request, membership.user)) is not None:
        return refusal
    today = timezone.localdate()
    form = MembershipEndForm(request.POST or None, membership=membership, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership,
                active_to=form.cleaned_data["active_to"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The end date of the role has been saved."))
            return redirect("schools:admin_user_detail", user_id=membership.user_id)
    return render(
        request,
        "schools/admin/membership_end.html",
        {"membership": membership, "person": membership.user, "form": form, "today": today},
    )


# --- Social map -----------------------------------------------------------------------------


@require_http_methods(["GET"])
def social_map(request: HttpRequest) -> HttpResponse:
    boards = _boards(request)
    return render(
        request,
        "schools/admin/social_map_index.html",
        {"schools": sel.social_map_counts(boards), "many_boards": len(boards) > 1},
    )


@require_http_methods(["GET"])
def social_map_school(request: HttpRequest, school_id: int) -> HttpResponse:
    boards = _boards(request)
    school = sel.school_for_admin(boards, school_id)
    return render(
        request,
        "schools/admin/social_map.html",
        {"school": school, "sections": sel.social_map_for_admin(school)},
    )


@require_http_methods(["GET", "POST"])
def social_map_entry_create(request: HttpRequest, school_id: int) -> HttpResponse:
    boards = _boards(request)
    school = sel.school_for_admin(boards, school_id)
    form = SocialMapEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.social_map_entry_create(
                school=school, fields=form.service_fields(), actor=request.user, now=timezone.now()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry has been added to the social map."))
            return redirect("schools:admin_social_map_school", school_id=school.pk)
    return render(
        request, "schools/admin/social_map_form.html", {"form": form, "school": school, "entry": None}
    )


@require_http_methods(["GET", "POST"])
def social_map_entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    boards = _boards(request)
    entry = sel.social_map_entry_for_admin(boards, entry_id)
    form = SocialMapEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.social_map_entry_update(
                entry=entry,
                fields=form.service_fields(),
                changed=form.changed_data,
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect("schools:admin_social_map_school", school_id=entry.school_id)
    saved = sel.social_map_entry_for_admin(boards, entry_id)
    return render(
        request, "schools/admin/social_map_form.html", {"form": form, "school": saved.school, "entry": saved}
    )


@require_http_methods(["GET", "POST"])
def social_map_entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    boards = _boards(request)
    entry = sel.social_map_entry_for_admin(boards, entry_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.social_map_entry_delete(entry=entry, actor=request.user, now=timezone.now())
        messages.success(request, _("The entry has been deleted from the social map."))
        return redirect("schools:admin_social_map_school", school_id=entry.school_id)
    return render(request, "schools/admin/social_map_delete.html", {"entry": entry, "school": entry.school})
