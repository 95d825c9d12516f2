"""The only reader of the pupil chronology.

Everything the pupil page shows of the chronology — the entries, the kinds to filter on, the
corrections of an entry, the parents' views beside it — comes through `chronology_for`, so one rule
decides which entries a user sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from lev.schools.access import AccessContext
from lev.schools.case_access import meldcode_case_ids
from lev.schools.models import Pupil, Role

from .kinds import PARENT_VIEW
from .models import DossierEntry, Visibility

# How a parents' view points at the entry it answers (`entry_record(source=entry)`).
ENTRY_SOURCE_TYPE = DossierEntry._meta.label_lower


def _visible(ctx: AccessContext, pupil: Pupil) -> Q:
    """Entries of the school's visibility; confidant entries only to their author; Meldcode entries
    only to those with access to their case (`meldcode.permissions`, through
    `lev.schools.case_access`); board-only entries never on the pupil page."""
    roles = ctx.roles_at(pupil.school_id)
    visible = Q(visibility=Visibility.SCHOOL)
    if Role.CONFIDANT in roles:
        visible |= Q(visibility=Visibility.CONFIDANT, author=ctx.user)
    for case_ids in meldcode_case_ids(ctx):
        visible |= Q(visibility=Visibility.MELDCODE_CASE, meldcode_case_id__in=case_ids)
    return visible


def _scope(ctx: AccessContext, pupil: Pupil) -> QuerySet[DossierEntry]:
    return DossierEntry.objects.filter(pupil=pupil, school_id=pupil.school_id).filter(_visible(ctx, pupil))


def chronology_for(
    ctx: AccessContext,
    pupil: Pupil,
    *,
    kinds: Iterable[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[DossierEntry]:
    """Entries of the pupil's chronology the user may see, newest first.

    The caller must have passed `access_pupil_for_user` for this pupil. KINDS, SINCE and UNTIL
    (local dates, both included) narrow the list. Each entry comes with its author and the entry it
    corrects; `entry.corrections.all()` holds its visible corrections, oldest first, with their
    authors — so a page of entries costs the same number of queries however long it is.
    """
    corrections = _scope(ctx, pupil).select_related("author").order_by("recorded_at", "id")
    qs = (
        _scope(ctx, pupil)
        .select_related("author", "corrects")
        .prefetch_related(Prefetch("corrections", queryset=corrections))
        .order_by("-happened_at", "-id")
    )
    kinds = list(kinds or [])
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if since is not None:
        qs = qs.filter(happened_at__date__gte=since)
    if until is not None:
        qs = qs.filter(happened_at__date__lte=until)
    return qs


def chronology_kinds(ctx: AccessContext, pupil: Pupil) -> list[str]:
    """The kinds that occur in what the user sees of the pupil's chronology (to filter on)."""
    return sorted(set(_scope(ctx, pupil).order_by().values_list("kind", flat=True).distinct()))


def chronology_entry(ctx: AccessContext, pupil: Pupil, entry_id: int) -> DossierEntry | None:
    """One entry of the pupil's chronology, if the user may see it."""
    return chronology_for(ctx, pupil).filter(pk=entry_id).first()


def parent_views_beside(
    ctx: AccessContext, pupil: Pupil, entry_ids: Iterable[int]
) -> dict[int, list[DossierEntry]]:
    """The parents' views written about each of ENTRY_IDS (entry id -> views, oldest first)."""
    ids = [str(i) for i in entry_ids]
    if not ids:
        return {}
    views: dict[int, list[DossierEntry]] = {}
    rows = (
        chronology_for(ctx, pupil, kinds=[PARENT_VIEW])
        .filter(source_type=ENTRY_SOURCE_TYPE, source_id__in=ids)
        .prefetch_related(None)
        .order_by("happened_at", "id")
    )
    for row in rows:
        views.setdefault(int(row.source_id), []).append(row)
    return views
