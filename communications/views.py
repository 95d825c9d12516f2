"""Letter templates (Briefsjablonen) for the functional administrator: per board and kind the
current version, its legal review, the differences with LEV's text, a preview on demo data (HTML
and PDF), editing (a new version) and recording a named reviewer's approval.

Access: the board's functional administrator only (403 for other roles; another board's
templates answer 404). Views are thin: access → form → one service call → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lev.schools.admin_selectors import require_admin_boards
from lev.schools.models import Board
from lev.web.forms import add_service_errors

from . import selectors, services
from .domain.diff import against_shipped
from .domain.kinds import Denominatie, LetterKind, missing_requirements
from .domain.texts import KINDS
from .forms import ReviewForm, TemplateForm
from .models import LetterTemplate
from .rendering import CONCEPT_MARK, LetterContent, RenderError, letter_html, render_limited, sample_content


def _board(request: HttpRequest, board_id: int) -> Board:
    for board in require_admin_boards(request.lev):  # type: ignore[attr-defined]
        if board.pk == board_id:
            return board
    raise Http404


def _kind(code: str) -> LetterKind:
    try:
        return KINDS[code]
    except KeyError as exc:
        raise Http404 from exc


def _version_or_current(board: Board, kind: LetterKind, raw: str | None) -> LetterTemplate | None:
    if raw:
        try:
            number = int(raw)
        except ValueError as exc:
            raise Http404 from exc
        template = selectors.template_version(board, kind.code, number)
        if template is None:
            raise Http404
        return template
    return selectors.template_status(board, kind).current


def _denominatie(raw: str | None) -> str:
    return raw if raw in {d.value for d in Denominatie} else Denominatie.BIJZONDER.value


@require_http_methods(["GET"])
def template_list(request: HttpRequest) -> HttpResponse:
    boards = require_admin_boards(request.lev)  # type: ignore[attr-defined]
    sections = [(board, selectors.template_overview(board)) for board in boards]
    return render(
        request, "communications/template_list.html", {"sections": sections, "many_boards": len(boards) > 1}
    )


@require_http_methods(["GET"])
def template_detail(request: HttpRequest, board_id: int, kind_code: str) -> HttpResponse:
    board = _board(request, board_id)
    kind = _kind(kind_code)
    status = selectors.template_status(board, kind)
    texts = status.current.blocks if status.current else kind.snapshot()
    return render(
        request,
        "communications/template_detail.html",
        {
            "board": board,
            "kind": kind,
            "status": status,
            "versions": selectors.template_versions(board, kind.code),
            "diff": against_shipped(kind, texts),
            "fields": kind.fields,
            "requirements": kind.requirements,
        },
    )


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, board_id: int, kind_code: str) -> HttpResponse:
    board = _board(request, board_id)
    kind = _kind(kind_code)
    status = selectors.template_status(board, kind)
    texts = status.current.blocks if status.current else kind.snapshot()
    form = TemplateForm(request.POST or None, kind=kind, texts=texts)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_save(
                board=board,
                kind_code=kind.code,
                texts=form.block_texts(),
                note=form.cleaned_data.get("note") or "",
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(version)d has been saved.") % {"version": template.version}
            )
            return redirect("communications:template_detail", board_id=board.pk, kind_code=kind.code)
    return render(
        request,
        "communications/template_edit.html",
        {"board": board, "kind": kind, "form": form, "status": status, "fields": kind.fields},
    )


@require_http_methods(["GET", "POST"])
def template_review(request: HttpRequest, board_id: int, kind_code: str, version: int) -> HttpResponse:
    board = _board(request, board_id)
    kind = _kind(kind_code)
    template = selectors.template_version(board, kind.code, version)
    if template is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_review_record(
                template=template,
                reviewer_name=form.cleaned_data["reviewer_name"],
                note=form.cleaned_data.get("note") or "",
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The review has been recorded. Letters of this version can now be sent.")
            )
            return redirect("communications:template_detail", board_id=board.pk, kind_code=kind.code)
    return render(
        request,
        "communications/template_review.html",
        {"board": board, "kind": kind, "template": template, "form": form},
    )


def _preview_content(
    request: HttpRequest, board: Board, kind: LetterKind
) -> tuple[LetterTemplate | None, str, LetterContent]:
    template = _version_or_current(board, kind, request.GET.get("versie"))
    denominatie = _denominatie(request.GET.get("denominatie"))
    reviewed = template is not None and hasattr(template, "review")
    texts = template.blocks if template is not None else kind.snapshot()
    content = sample_content(kind, denominatie, texts, concept=kind.legal and not reviewed)
    return template, denominatie, content


@require_http_methods(["GET"])
def template_preview(request: HttpRequest, board_id: int, kind_code: str) -> HttpResponse:
    board = _board(request, board_id)
    kind = _kind(kind_code)
    template, denominatie, content = _preview_content(request, board, kind)
    texts = template.blocks if template is not None else kind.snapshot()
    missing = missing_requirements(
        kind, denominatie, texts, content.values, [b.code for b in kind.optional_blocks]
    )
    return render(
        request,
        "communications/template_preview.html",
        {
            "board": board,
            "kind": kind,
            "template": template,
            "denominatie": denominatie,
            "letter": content,
            "concept_mark": CONCEPT_MARK,
            "missing": missing,
        },
    )


@require_http_methods(["GET"])
def template_preview_pdf(request: HttpRequest, board_id: int, kind_code: str) -> HttpResponse:
    board = _board(request, board_id)
    kind = _kind(kind_code)
    template, denominatie, content = _preview_content(request, board, kind)
    try:
        pdf = render_limited(letter_html(content))
    except RenderError:
        messages.error(
            request,
            _("The PDF could not be made. Try again later; if it keeps failing, tell your administrator."),
        )
        return redirect("communications:template_preview", board_id=board.pk, kind_code=kind.code)
    version = template.version if template is not None else 0
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="voorbeeld-{kind.code}-v{version}-{denominatie}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
