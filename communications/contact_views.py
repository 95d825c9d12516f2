"""Pages of the parent contact log: a pupil's list, recording a contact, correcting one.

Access is the pupil chokepoint's (`access_pupil_for_user`): whoever may read the pupil's chronology
may read and keep the log; a teacher outside their own groups gives a reason first, exactly as on
the pupil page (the same reason, kept in the session, counts for both); every read is written to
the access log. Another school's pupil answers 404, a role without pupil files 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.schools.permissions import PupilAccess
from lev.schools.reasons import open_pupil_file
from lev.schools.selectors import guardians_of
from lev.web.forms import add_service_errors

from .contact_forms import ContactForm, CorrectionForm
from .contact_selectors import contact_log_entry, contact_logs_for
from .contact_services import RECORD_ROLES, contact_log_correct, contact_log_record


def _may_record(access: PupilAccess) -> None:
    if not access.roles & set(RECORD_ROLES):
        raise PermissionDenied


def _form_page(
    request: HttpRequest, access: PupilAccess, form: Form, *, entry: object = None, status: int = 200
) -> HttpResponse:
    pupil = access.pupil
    restricted = [link for link in guardians_of(pupil) if link.contact_restriction]
    return render(
        request,
        "communications/contact_form.html",
        {"pupil": pupil, "access": access, "form": form, "entry": entry, "restricted": restricted},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contact_list(request: HttpRequest, pupil_id: int) -> HttpResponse:
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    ctx = request.lev  # type: ignore[attr-defined]
    pupil = opened.pupil
    return render(
        request,
        "communications/contact_list.html",
        {
            "pupil": pupil,
            "access": opened,
            "rows": contact_logs_for(ctx, pupil),
            "may_record": bool(opened.roles & set(RECORD_ROLES)),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    _may_record(opened)
    now = timezone.now()
    form = ContactForm(request.POST if request.method == "POST" else None, pupil=opened.pupil, now=now)
    if form.is_bound and form.is_valid():
        try:
            contact_log_record(pupil=opened.pupil, **form.service_kwargs(), actor=request.user, now=now)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The contact has been recorded. It is in the pupil's chronology too.")
            )
            return redirect("contacts:list", pupil_id=opened.pupil.pk)
    return _form_page(request, opened, form)


@never_cache
@require_http_methods(["GET", "POST"])
def contact_correct(request: HttpRequest, pupil_id: int, entry_id: int) -> HttpResponse:
    opened = open_pupil_file(request, pupil_id)
    if isinstance(opened, HttpResponse):
        return opened
    _may_record(opened)
    entry = contact_log_entry(request.lev, opened.pupil, entry_id)  # type: ignore[attr-defined]
    if entry is None:
        raise Http404
    if entry.corrections.exists():
        messages.error(request, _("This contact has been corrected already. Correct the newest version."))
        return redirect("contacts:list", pupil_id=opened.pupil.pk)
    now = timezone.now()
    form = CorrectionForm.for_entry(entry, data=request.POST if request.method == "POST" else None, now=now)
    if form.is_bound and form.is_valid():
        try:
            contact_log_correct(
                entry=entry,
                **form.service_kwargs(),
                reason=form.cleaned_data["correction_reason"],
                actor=request.user,
                now=now,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"reason": "correction_reason"})
        else:
            messages.success(
                request,
                _("The correction has been recorded. The original stays visible, marked as corrected."),
            )
            return redirect("contacts:list", pupil_id=opened.pupil.pk)
    return _form_page(request, opened, form, entry=entry)
