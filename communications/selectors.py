"""Reads for letter templates, per board (the caller has checked that the reader administers it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lev.schools.models import Board

from .domain.kinds import LetterKind
from .domain.texts import KINDS
from .models import LetterTemplate, TemplateReview


@dataclass(frozen=True)
class TemplateStatus:
    kind: LetterKind
    current: LetterTemplate | None
    review: TemplateReview | None

    @property
    def concept(self) -> bool:
        """A legal kind whose current version no named reviewer has approved (or LEV's text)."""
        return self.kind.legal and self.review is None

    @property
    def outdated(self) -> bool:
        """LEV ships newer text than the version is based on."""
        return self.current is not None and self.current.shipped_version != self.kind.version


def template_versions(board: Board, kind_code: str) -> QuerySet[LetterTemplate]:
    return (
        LetterTemplate.objects.filter(board=board, kind=kind_code)
        .select_related("created_by", "review", "review__recorded_by")
        .order_by("-version")
    )


def template_status(board: Board, kind: LetterKind) -> TemplateStatus:
    current = template_versions(board, kind.code).first()
    review = getattr(current, "review", None) if current is not None else None
    return TemplateStatus(kind=kind, current=current, review=review)


def template_overview(board: Board) -> list[TemplateStatus]:
    latest: dict[str, LetterTemplate] = {}
    for template in (
        LetterTemplate.objects.filter(board=board).select_related("review").order_by("kind", "-version")
    ):
        latest.setdefault(template.kind, template)
    out = []
    for kind in KINDS.values():
        current = latest.get(kind.code)
        review = getattr(current, "review", None) if current is not None else None
        out.append(TemplateStatus(kind=kind, current=current, review=review))
    return out


def template_version(board: Board, kind_code: str, version: int) -> LetterTemplate | None:
    return template_versions(board, kind_code).filter(version=version).first()
