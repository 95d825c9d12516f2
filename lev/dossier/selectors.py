"""The only reader of the pupil chronology."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lev.schools.access import AccessContext
from lev.schools.models import Pupil, Role

from .models import DossierEntry, Visibility


def chronology_for(
    ctx: AccessContext, pupil: Pupil, *, kinds: list[str] | None = None
) -> QuerySet[DossierEntry]:
    """Entries of the pupil's chronology the user may see.

    The caller must have passed `access_pupil_for_user` for this pupil. Meldcode entries are shown
    only through the Meldcode case's own access (added by the Meldcode issue); confidant entries
    only to their author; board-only entries never on the pupil page.
    """
    roles = ctx.roles_at(pupil.school_id)
    visible = Q(visibility=Visibility.SCHOOL)
    if Role.CONFIDANT in roles:
        visible |= Q(visibility=Visibility.CONFIDANT, author=ctx.user)
    qs = (
        DossierEntry.objects.filter(pupil=pupil, school_id=pupil.school_id)
        .filter(visible)
        .select_related("author", "corrects")
        .order_by("-happened_at", "-id")
    )
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs
