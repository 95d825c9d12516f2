"""Who must sign in with two factors (ARCHITECTURE.md §4)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def two_factor_required(user: Any) -> bool:
    """TOTP is required for every role by default.

    A board may exempt teachers by a recorded decision: a user is exempt only when every active
    membership they hold is a teacher membership in a board that made that decision.
    """
    from lev.schools.models import Membership, Role

    memberships = list(
        Membership.objects.active_on(timezone.localdate()).filter(user=user).select_related("board")
    )
    if not memberships:
        return True
    return not all(m.role == Role.TEACHER and m.board.teachers_2fa_exempt for m in memberships)
