"""What waits for the reader's approval on the start page: submitted letters they may approve."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lev.schools.access import AccessContext
from lev.schools.models import Role

from .letter_models import Letter, LetterStatus
from .letter_selectors import board_letters_q

LIMIT = 16


def letters_to_approve(ctx: AccessContext) -> list[dict[str, Any]]:
    school = ctx.active_school
    condition = Q(pk__in=[])
    if school is not None and ctx.roles_at(school) & {Role.DIRECTOR, Role.DEPUTY_DIRECTOR}:
        condition |= Q(school=school) & ~board_letters_q([school.board_id])
    board_ids = [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]
    if board_ids:
        condition |= board_letters_q(board_ids)
    letters = (
        Letter.objects.filter(condition, status=LetterStatus.SUBMITTED)
        .exclude(author=ctx.user)
        .select_related("school", "pupil")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    return [
        {
            "label": letter.kind_title,
            "detail": _("letter %(reference)s, %(school)s")
            % {"reference": letter.reference, "school": letter.school.name},
            "url": reverse("communications:letter_detail", args=[letter.pk]),
        }
        for letter in letters
    ]
