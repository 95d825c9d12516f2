from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.dossier.chronology import build_items, pupil_actions
from lev.dossier.kinds import kind_label
from lev.dossier.selectors import chronology_for, chronology_kinds

from .forms import AccessReasonForm, ChronologyFilterForm, PupilSearchForm
from .permissions import ReasonRequired, access_pupil_for_user
from .reasons import remember_reason, remembered_reason
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


# Entries of the chronology per page: the page costs the same number of queries for 1 or 50.
CHRONOLOGY_PAGE = 50
CHRONOLOGY_FILTERS = ("soort", "van", "tot")


def _filter_note(filters: dict[str, Any], labels: dict[str, str]) -> str:
    """The filter in words, so a printed chronology says it is a selection."""
    parts = [", ".join(labels.get(k, k) for k in filters.get("kinds") or [])]
    since, until = filters.get("since"), filters.get("until")
    if since or until:
        parts.append(
            f"{since.strftime('%d-%m-%Y') if since else '…'} – {until.strftime('%d-%m-%Y') if until else '…'}"
        )
    return "; ".join(p for p in parts if p)


@never_cache
@require_http_methods(["GET", "POST"])
def pupil_detail(request: HttpRequest, pupil_id: int) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    reason_form = AccessReasonForm(request.POST or None)
    if request.method == "POST" and reason_form.is_valid():
        # Remember the reason for this session; the GET checks access and logs the read with it.
        remember_reason(request, pupil_id, reason_form.cleaned_data["reason"])
        return redirect("schools:pupil_detail", pupil_id=pupil_id)
    try:
        access = access_pupil_for_user(ctx, pupil_id, reason=remembered_reason(request, pupil_id))
    except ReasonRequired as needed:
        return render(request, "schools/pupil_reason.html", {"pupil": needed.pupil, "form": reason_form})
    pupil = access.pupil
    kinds = sorted(((k, kind_label(k)) for k in chronology_kinds(ctx, pupil)), key=lambda k: k[1].casefold())
    filtering = any(name in request.GET for name in CHRONOLOGY_FILTERS)
    filter_form = ChronologyFilterForm(request.GET if filtering else None, kinds=kinds)
    filters = filter_form.filters()
    page = Paginator(chronology_for(ctx, pupil, **filters), CHRONOLOGY_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "schools/pupil_detail.html",
        {
            "pupil": pupil,
            "guardians": guardians_of(pupil),
            "placements": pupil.placements.select_related("group", "group__school_year").order_by(
                "-starts_on"
            )[:1],
            "access": access,
            "actions": pupil_actions(ctx, access),
            "filter_form": filter_form,
            "filtered": any(filters.values()),
            "filter_note": _filter_note(filters, dict(kinds)),
            "has_entries": bool(kinds),
            "page": page,
            "items": build_items(ctx, access, list(page.object_list)),
        },
    )
