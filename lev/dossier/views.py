"""Pages that add to a pupil's chronology: correcting an entry and adding the parents' view.

Access is the pupil chokepoint's (`access_pupil_for_user`): another school's pupil answers 404, a
role without pupil files 403, a teacher outside their own groups gives a reason first (the same
reason, kept in the session, counts for the pupil page too); every read is written to the access
log. The entry is looked up through the chronology's selector, so an entry the user cannot see
answers 404. Who may correct or add a view: `lev.dossier.permissions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.schools.forms import EntryCorrectionForm, ParentViewForm
from lev.schools.reasons import open_pupil_file
from lev.web.forms import add_service_errors

from .kinds import PARENT_VIEW, kind_label
from .permissions import check_parent_view, entry_for_correction, may_answer
from .selectors import chronology_entry
from .services import entry_correct, parent_view_record


@never_cache
@require_http_methods(["GET", "POST"])
def entry_correct_view(request: HttpRequest, pupil_id: int, entry_id: int) -> HttpResponse:
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    ctx = request.lev  # type: ignore[attr-defined]
    entry = entry_for_correction(ctx, opened, entry_id)
    if entry.corrections.exists():
        messages.error(request, _("This entry has been corrected already. Correct the newest version."))
        return redirect("schools:pupil_detail", pupil_id=opened.pupil.pk)
    form = EntryCorrectionForm(request.POST if request.method == "POST" else None, original=entry.summary)
    if form.is_bound and form.is_valid():
        try:
            entry_correct(
                entry=entry,
                summary=form.cleaned_data["summary"],
                reason=form.cleaned_data["correction_reason"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"reason": "correction_reason"})
        else:
            messages.success(
                request,
                _("The correction has been recorded. The original stays visible, marked as corrected."),
            )
            return redirect("schools:pupil_detail", pupil_id=opened.pupil.pk)
    return render(
        request,
        "schools/entry_correct.html",
        {
            "pupil": opened.pupil,
            "access": opened,
            "entry": entry,
            "label": kind_label(entry.kind),
            "form": form,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def parent_view_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    check_parent_view(opened)
    ctx = request.lev  # type: ignore[attr-defined]
    now = timezone.now()
    data = request.POST if request.method == "POST" else None
    about_id = (data or request.GET).get("bij", "")
    form = ParentViewForm(data, initial={"bij": about_id}, now=now)
    about = None
    if about_id:
        about = chronology_entry(ctx, opened.pupil, int(about_id)) if about_id.isdigit() else None
        if about is None or about.kind == PARENT_VIEW:
            raise Http404
        if not may_answer(about):
            raise PermissionDenied
    if form.is_bound and form.is_valid():
        try:
            parent_view_record(
                pupil=opened.pupil,
                summary=form.cleaned_data["summary"],
                happened_at=form.cleaned_data["happened_at"],
                with_whom=form.cleaned_data["with_whom"],
                about=about,
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The parents' view has been recorded. It is in the chronology, beside the facts.")
            )
            return redirect("schools:pupil_detail", pupil_id=opened.pupil.pk)
    return render(
        request,
        "schools/entry_parent_view.html",
        {
            "pupil": opened.pupil,
            "access": opened,
            "form": form,
            "about": about,
            "about_label": kind_label(about.kind) if about is not None else "",
        },
    )
