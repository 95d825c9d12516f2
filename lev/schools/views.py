from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.dossier.selectors import chronology_for

from .forms import AccessReasonForm, PupilSearchForm
from .permissions import ReasonRequired, access_pupil_for_user
from .reasons import SESSION_REASONS
from .selectors import PUPIL_LIST_ROLES, groups_taught_by, guardians_of, pupils_of_school


@require_http_methods(["GET"])
def pupil_list(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    school = ctx.active_school
    if school is None or not ctx.roles_at(school) & PUPIL_LIST_ROLES:
        raise Http404
    form = PupilSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    my_groups = list(groups_taught_by(ctx, school))
    pupils = pupils_of_school(ctx, school, search=search)
    if not search and my_groups and not ctx.roles_at(school) - {"teacher", "staff", "confidant"}:
        # A teacher sees their own groups first; searching covers the whole school.
        pupils = pupils.filter(placements__group__in=my_groups)
    page = Paginator(pupils, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "schools/pupil_list.html",
        {"form": form, "page": page, "my_groups": my_groups, "search": search, "school": school},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def pupil_detail(request: HttpRequest, pupil_id: int) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    reasons = request.session.get(SESSION_REASONS, {})
    reason_form = AccessReasonForm(request.POST or None)
    if request.method == "POST" and reason_form.is_valid():
        # Remember the reason for this session; the GET checks access and logs the read with it.
        reasons[str(pupil_id)] = reason_form.cleaned_data["reason"]
        request.session[SESSION_REASONS] = reasons
        return redirect("schools:pupil_detail", pupil_id=pupil_id)
    try:
        access = access_pupil_for_user(ctx, pupil_id, reason=reasons.get(str(pupil_id), ""))
    except ReasonRequired as needed:
        return render(request, "schools/pupil_reason.html", {"pupil": needed.pupil, "form": reason_form})
    pupil = access.pupil
    entries = chronology_for(ctx, pupil)
    return render(
        request,
        "schools/pupil_detail.html",
        {
            "pupil": pupil,
            "guardians": guardians_of(pupil),
            "placements": pupil.placements.select_related("group", "group__school_year").order_by(
                "-starts_on"
            ),
            "entries": entries[:200],
            "access": access,
        },
    )
