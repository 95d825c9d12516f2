"""Pages of the logboek signalen (Bijlage 14): recording a signal on a phone, the draft kept on the
server, a user's own signals, the school's signals for the IB and directors, and one signal.

Access: recording and "my signals" need a recording role at the active school (teacher, staff,
care coordinator, director, deputy); the school's list needs a lead role; one signal is opened only
through `permissions.access_signal_for_user` (404 for another school, 403 for a colleague's signal
when the role only sees its own; every read access-logged).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.schools.models import School
from lev.web.forms import add_service_errors

from .models import SignalTag
from .permissions import access_signal_for_user, is_lead, log_list_read, may_record
from .signal_forms import PLACES, SignalForm, draft_fields, draft_initial
from .signal_selectors import (
    SEARCH_MIN_CHARS,
    SignalFilter,
    my_signals,
    pupil_choices,
    pupil_is_pickable,
    pupils_with_signals,
    school_signals,
    signal_draft_for,
)
from .signal_services import (
    signal_draft_discard,
    signal_draft_keep,
    signal_drafts_purge,
    signal_mark_read,
    signal_record,
)
from .signal_status import author_statuses, signal_actions

PAGE_SIZE = 25
# The draft token of the form whose signal was recorded last in this session: a late autosave of
# that form must not bring the draft back.
RECORDED_TOKEN = "lev_signal_recorded_token"  # noqa: S105 - a session key, not a secret


def _recording_school(request: HttpRequest) -> School:
    ctx = request.lev  # type: ignore[attr-defined]
    school = ctx.active_school
    if school is None or not may_record(ctx, school):
        raise PermissionDenied
    return school


def _lead_school(request: HttpRequest) -> School:
    ctx = request.lev  # type: ignore[attr-defined]
    school = ctx.active_school
    if school is None or not is_lead(ctx, school):
        raise PermissionDenied
    return school


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _pupil_panel(request: HttpRequest, school: School, form: SignalForm, search: str = "") -> dict[str, Any]:
    chosen, offers = pupil_choices(
        request.lev,  # type: ignore[attr-defined]
        school,
        search=search,
        selected_ids=form.chosen_pupil_ids(),
        today=timezone.localdate(),
    )
    return {"chosen": chosen, "offers": offers, "search": search, "min_chars": SEARCH_MIN_CHARS}


def _form_page(request: HttpRequest, school: School, form: SignalForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "incidents/signal_form.html",
        {"form": form, "school": school, "places": PLACES, **_pupil_panel(request, school, form)},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signal_new(request: HttpRequest) -> HttpResponse:
    school = _recording_school(request)
    now = timezone.now()
    if request.method == "GET" and _is_htmx(request) and "zoek" in request.GET:
        # The type-ahead: the chosen pupils stay ticked, the matches are offered below them.
        form = SignalForm(initial={"pupils": request.GET.getlist("pupils")}, now=now)
        context = _pupil_panel(request, school, form, search=request.GET.get("zoek", "").strip())
        return render(request, "incidents/signal_pupil_choices.html", {"school": school, **context})
    if request.method == "POST":
        form = SignalForm(request.POST, now=now)
        if form.is_valid():
            try:
                signal = signal_record(school=school, **form.service_kwargs(), actor=request.user, now=now)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[RECORDED_TOKEN] = form.cleaned_data.get("draft_token") or ""
                messages.success(request, _("Recorded. The IB sees this signal."))
                return redirect(f"{reverse('incidents:signal_new')}?vastgelegd={signal.pk}")
        return _form_page(request, school, form)
    signal_drafts_purge(now=now)
    draft = signal_draft_for(request.user, school, now)
    if draft is not None and request.GET.get("concept") != "verder":
        return render(request, "incidents/signal_draft_offer.html", {"draft": draft, "school": school})
    initial: dict[str, Any] = {}
    if draft is not None:
        initial = draft_initial(draft.data)
    else:
        pupil_id = _int(request.GET.get("leerling"))
        if pupil_id is not None and pupil_is_pickable(request.lev, school, pupil_id, timezone.localdate()):  # type: ignore[attr-defined]
            initial["pupils"] = [pupil_id]
    form = SignalForm(initial=initial, now=now)
    recorded = _int(request.GET.get("vastgelegd"))
    return render(
        request,
        "incidents/signal_form.html",
        {
            "form": form,
            "school": school,
            "places": PLACES,
            "from_draft": draft,
            "recorded": recorded,
            # Without JavaScript the search form reloads the page with ?zoek=.
            **_pupil_panel(request, school, form, search=request.GET.get("zoek", "").strip()),
        },
    )


@never_cache
@require_http_methods(["POST"])
def signal_draft(request: HttpRequest) -> HttpResponse:
    """Keep (autosave) or discard ("weggooien") the user's draft signal."""
    school = _recording_school(request)
    now = timezone.now()
    if "weggooien" in request.POST:
        signal_draft_discard(user=request.user)
        messages.info(request, _("The draft has been discarded."))
        return redirect("incidents:signal_new")
    token = request.POST.get("draft_token", "")
    draft = None
    if not token or token != request.session.get(RECORDED_TOKEN):
        draft = signal_draft_keep(user=request.user, school=school, data=draft_fields(request.POST), now=now)
    if _is_htmx(request):
        return render(request, "incidents/signal_draft_status.html", {"draft": draft})
    return redirect(f"{reverse('incidents:signal_new')}?concept=verder" if draft else "incidents:signal_new")


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))


@never_cache
@require_http_methods(["GET"])
def my_signal_list(request: HttpRequest) -> HttpResponse:
    school = _recording_school(request)
    page = _page(request, my_signals(request.lev, school))  # type: ignore[attr-defined]
    statuses = author_statuses(page.object_list)
    for signal in page.object_list:
        signal.statuses = statuses.get(signal.pk, [])  # type: ignore[attr-defined]
    return render(request, "incidents/signal_mine.html", {"page": page, "school": school})


def _filters(params: QueryDict) -> SignalFilter:
    tag = params.get("soort", "")
    return SignalFilter(
        since=parse_date(params.get("van", "") or "") if _valid_date(params.get("van")) else None,
        until=parse_date(params.get("tot", "") or "") if _valid_date(params.get("tot")) else None,
        pupil_id=_int(params.get("leerling")),
        tag=tag if tag in SignalTag.values else "",
        unread=params.get("ongelezen") == "1",
    )


def _valid_date(value: str | None) -> bool:
    try:
        return bool(value) and parse_date(value or "") is not None
    except ValueError:
        return False


@never_cache
@require_http_methods(["GET"])
def signal_list(request: HttpRequest) -> HttpResponse:
    school = _lead_school(request)
    filters = _filters(request.GET)
    page = _page(request, school_signals(request.lev, school, filters))  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("pagina", None)
    log_list_read(request.lev, school, "signals")  # type: ignore[attr-defined]
    return render(
        request,
        "incidents/signal_list.html",
        {
            "page": page,
            "school": school,
            "filters": filters,
            "tags": SignalTag.choices,
            "pupils": pupils_with_signals(request.lev, school),  # type: ignore[attr-defined]
            "query": query.urlencode(),
            "filtered": any(request.GET.get(k) for k in ("van", "tot", "leerling", "soort", "ongelezen")),
        },
    )


@never_cache
@require_http_methods(["GET"])
def signal_detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    signal = access_signal_for_user(ctx, signal_id)
    lead = is_lead(ctx, signal.school_id)
    if lead:
        signal_mark_read(signal=signal, user=request.user, now=timezone.now())
    tag_labels = dict(SignalTag.choices)
    own = signal.author_id == request.user.pk
    return render(
        request,
        "incidents/signal_detail.html",
        {
            "signal": signal,
            "pupils": signal.pupils.order_by("achternaam", "roepnaam", "pk"),
            "tags": [tag_labels[t] for t in signal.tags if t in tag_labels],
            "lead": lead,
            "own": own,
            "statuses": author_statuses([signal]).get(signal.pk, []) if own else [],
            "actions": signal_actions(ctx, signal),
            "incident_url": f"{reverse('incidents:incident_new')}?signaal={signal.pk}" if lead else None,
        },
    )
