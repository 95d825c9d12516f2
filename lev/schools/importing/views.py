"""The functional administrator's import pages: upload, preview and apply, result, confirm leaving.

Only a functional administrator may use them (anyone else: 403); a school of another board answers
404 exactly like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..models import School, SchoolYear
from .domain import COLUMN_TITLES, PARENT_ALIASES, PUPIL_ALIASES, REQUIRED_PUPIL_COLUMNS
from .forms import ConfirmLeavingForm, ImportApplyForm, ImportUploadForm
from .selectors import (
    import_school,
    import_school_year,
    import_school_years,
    import_schools,
    schools_with_provisional_leavers,
)
from .services import (
    ImportPreview,
    ImportRefused,
    LeavingConfirmation,
    enrolment_undo_left,
    enrolments_confirm_left,
    import_apply,
    import_preview,
    provisionally_left,
)
from .uploads import SESSION_RESULT, Upload, clear_upload, load_upload, store_upload


def _column_help() -> dict[str, object]:
    pupil = [
        (COLUMN_TITLES[name], aliases, name in REQUIRED_PUPIL_COLUMNS or name == "roepnaam")
        for name, aliases in PUPIL_ALIASES.items()
    ]
    return {"pupil_columns": pupil, "parent_columns": list(PARENT_ALIASES.items())}


@never_cache
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    schools = import_schools(ctx)
    if request.method == "POST" and request.POST.get("school"):
        import_school(ctx, request.POST["school"])  # another board's school: 404
    years = import_school_years(ctx, today=timezone.localdate())
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        schools=schools,
        school_years=years,
    )
    if posted and form.is_valid():
        store_upload(
            request.session,
            school_id=form.cleaned_data["school"].pk,
            school_year_id=form.cleaned_data["school_year"].pk,
            filename=form.filename,
            data=form.cleaned_data["file"],
        )
        return redirect("schools:import_preview")
    return render(request, "schools/import/start.html", {"form": form, "years": years, **_column_help()})


def _preview(school: School, year: SchoolYear, upload: Upload) -> ImportPreview:
    return import_preview(school=school, school_year=year, data=upload.data, filename=upload.filename)


def _apply_form(preview: ImportPreview) -> ImportApplyForm:
    return ImportApplyForm(
        left_count=preview.left_count, initial={"sha256": preview.sha256, "expected_left": preview.left_count}
    )


def _posted_int(value: str | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0


@never_cache
@require_http_methods(["GET", "POST"])
def import_preview_view(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    import_schools(ctx)  # 403 for anyone who is no functional administrator
    upload = load_upload(request.session)
    if upload is None:
        messages.info(request, _("Choose a school and upload a file first."))
        return redirect("schools:import_start")
    school = import_school(ctx, upload.school_id)
    year = import_school_year(school, upload.school_year_id)
    if request.method == "POST":
        # Applying plans the import once more inside its transaction; the preview is only computed
        # again when the page has to be shown (a refusal carries its own).
        form = ImportApplyForm(request.POST, left_count=_posted_int(request.POST.get("expected_left")))
        if form.is_valid():
            try:
                result = import_apply(
                    school=school,
                    school_year=year,
                    data=upload.data,
                    filename=upload.filename,
                    actor=request.user,
                    now=timezone.now(),
                    confirm_left=form.cleaned_data["confirm_left"],
                    expected_sha256=form.cleaned_data["sha256"],
                    expected_left=form.cleaned_data["expected_left"],
                )
            except ImportRefused as refused:
                preview = refused.preview or _preview(school, year, upload)
                form = _apply_form(preview)
                context = {"preview": preview, "form": form, "refusal": refused.message}
            else:
                clear_upload(request.session)
                request.session[SESSION_RESULT] = result.as_dict()
                return redirect("schools:import_result")
        else:
            context = {"preview": _preview(school, year, upload), "form": form, "refusal": ""}
    else:
        preview = _preview(school, year, upload)
        context = {"preview": preview, "form": _apply_form(preview), "refusal": ""}
    return render(request, "schools/import/preview.html", {**context, "school": school, "school_year": year})


@never_cache
@require_http_methods(["GET"])
def import_result(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    import_schools(ctx)
    result = request.session.get(SESSION_RESULT)
    if not isinstance(result, dict):
        return redirect("schools:import_start")
    school = import_school(ctx, result.get("school_id"))
    year = import_school_year(school, result.get("school_year_id"))
    changed = any(
        v for k, v in result.items() if k not in ("school_id", "school_year_id", "sha256", "pupils_unchanged")
    )
    return render(
        request,
        "schools/import/result.html",
        {"result": result, "school": school, "school_year": year, "changed": changed},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def import_left(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    schools = import_schools(ctx)
    school_id = request.GET.get("school")
    if not school_id:
        if len(schools) == 1:
            return redirect(f"{reverse('schools:import_left')}?school={schools[0].pk}")
        return render(
            request, "schools/import/left_schools.html", {"schools": schools_with_provisional_leavers(ctx)}
        )
    school = import_school(ctx, school_id)
    here = f"{reverse('schools:import_left')}?school={school.pk}"
    if request.method == "POST" and "undo" in request.POST:
        try:
            enrolment = enrolment_undo_left(
                school=school, enrolment_id=int(request.POST["undo"]), actor=request.user, now=timezone.now()
            )
        except (LookupError, ValueError):
            raise Http404 from None
        messages.success(
            request, _("%(name)s is no longer marked as left.") % {"name": enrolment.pupil.full_name}
        )
        return redirect(here)
    enrolments = provisionally_left(school)
    form = ConfirmLeavingForm(request.POST if request.method == "POST" else None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        confirmations = [
            LeavingConfirmation(enrolment_id=pk, left_on=day) for pk, day in form.cleaned_data["chosen"]
        ]
        try:
            count = enrolments_confirm_left(
                school=school, confirmations=confirmations, actor=request.user, now=timezone.now()
            )
        except LookupError:
            messages.error(request, _("The list changed in the meantime. Check it again."))
            return redirect(here)
        except ValueError as refused:
            messages.error(request, str(refused))
            return redirect(here)
        messages.success(
            request,
            ngettext(
                "Leaving confirmed for %(count)s pupil.", "Leaving confirmed for %(count)s pupils.", count
            )
            % {"count": count},
        )
        return redirect(here)
    return render(request, "schools/import/left.html", {"school": school, "form": form, "here": here})
