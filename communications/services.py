"""Writes for letter templates: save a new version, record a named reviewer's approval.

Each service owns its transaction and leaves one audit row with ids and codes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.schools.models import Board

from .domain.kinds import template_problems
from .domain.texts import letter_kind
from .models import LetterTemplate, TemplateReview

NON_FIELD = "__all__"


def block_field(code: str) -> str:
    """The form field that edits block CODE (errors are reported under this name)."""
    return f"block_{code}"


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


def template_save(
    *, board: Board, kind_code: str, texts: Mapping[str, str], note: str, actor: Any, now: datetime
) -> LetterTemplate:
    """Save the board's wording of KIND_CODE's editable blocks as a new version.

    Refused (ValidationError, per block) when a block uses an unknown merge field or template
    syntax, or when a required element no longer appears in the text; and when nothing changed.
    """
    kind = letter_kind(kind_code)
    editable = {block.code: _normalise(texts.get(block.code, "")) for block in kind.editable_blocks}
    problems = template_problems(kind, editable)
    if problems:
        raise ValidationError(
            {
                (block_field(code) if code else NON_FIELD): [problem.message for problem in found]
                for code, found in problems.items()
            }
        )
    snapshot = kind.snapshot(editable)
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=board.pk).first()  # one version number at a time
        latest = LetterTemplate.objects.filter(board=board, kind=kind.code).order_by("-version").first()
        if latest is not None and latest.blocks == snapshot and latest.shipped_version == kind.version:
            raise ValidationError({NON_FIELD: [_("Nothing has changed since the current version.")]})
        changed = [
            code for code, text in snapshot.items() if latest is None or latest.blocks.get(code) != text
        ]
        template = LetterTemplate.objects.create(
            board=board,
            kind=kind.code,
            version=(latest.version if latest else 0) + 1,
            shipped_version=kind.version,
            blocks=snapshot,
            note=note.strip(),
            created_by=actor,
            created_at=now,
        )
        record(
            "letter_template_saved",
            actor=actor,
            board=board,
            obj=template,
            summary={"kind": kind.code, "version": template.version, "blocks_changed": changed},
            now=now,
        )
    return template


def template_review_record(
    *, template: LetterTemplate, reviewer_name: str, note: str, actor: Any, now: datetime
) -> TemplateReview:
    """Record that REVIEWER_NAME approved this version after a legal check (LEGAL.md §8)."""
    name = reviewer_name.strip()
    if not name:
        raise ValidationError({"reviewer_name": [_("Name the person who reviewed this version.")]})
    with transaction.atomic():
        locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        if TemplateReview.objects.filter(template=locked).exists():
            raise ValidationError({NON_FIELD: [_("This version has already been reviewed.")]})
        review = TemplateReview.objects.create(
            template=locked,
            board_id=locked.board_id,
            reviewer_name=name,
            note=note.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        record(
            "letter_template_reviewed",
            actor=actor,
            board=locked.board,
            obj=locked,
            summary={"kind": locked.kind, "version": locked.version},
            now=now,
        )
    return review
