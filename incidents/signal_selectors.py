"""Reads for the signal pages. Every list goes through `permissions.signals_visible_to`, so a lead
sees the school's signals and everyone else only their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from lev.schools.access import AccessContext
from lev.schools.models import Pupil, School
from lev.schools.selectors import current_placements, current_pupils

from .models import Signal, SignalDraft, SignalRead
from .permissions import is_lead, signals_visible_to
from .signal_services import DRAFT_LIFETIME

SEARCH_LIMIT = 20
SEARCH_MIN_CHARS = 2


def _with_pupils(qs: QuerySet[Signal]) -> QuerySet[Signal]:
    return qs.select_related("author").prefetch_related(
        Prefetch("pupils", queryset=Pupil.objects.order_by("achternaam", "roepnaam", "pk"))
    )


def my_signals(ctx: AccessContext, school: School) -> QuerySet[Signal]:
    """The user's own signals at SCHOOL, newest first."""
    return _with_pupils(Signal.objects.filter(school=school, author=ctx.user)).order_by("-happened_at", "-pk")


@dataclass(frozen=True)
class SignalFilter:
    since: date | None = None
    until: date | None = None
    pupil_id: int | None = None
    tag: str = ""
    unread: bool = False


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def school_signals(
    ctx: AccessContext, school: School, filters: SignalFilter | None = None
) -> QuerySet[Signal]:
    """The signals of SCHOOL the user may see (all of them for a lead), newest first, each with
    `is_read`: whether this user has opened it."""
    filters = filters or SignalFilter()
    qs = signals_visible_to(ctx, school)
    if filters.since:
        qs = qs.filter(happened_at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(happened_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.pupil_id:
        qs = qs.filter(pupils__pk=filters.pupil_id)
    if filters.tag:
        # The quoted code in the JSON text: works on PostgreSQL and SQLite alike (SQLite has no
        # JSON containment); tags are codes from SignalTag, none a part of another.
        qs = qs.filter(tags__icontains=f'"{filters.tag}"')
    read = SignalRead.objects.filter(signal=OuterRef("pk"), user=ctx.user)
    qs = qs.annotate(
        is_read=ExpressionWrapper(Exists(read) | Q(author=ctx.user), output_field=BooleanField())
    )
    if filters.unread:
        qs = qs.filter(is_read=False)
    return _with_pupils(qs).order_by("-happened_at", "-pk")


def unread_signal_count(ctx: AccessContext, school: School) -> int:
    """Signals of SCHOOL a lead has not opened yet (their own not counted); 0 for anyone else."""
    if not is_lead(ctx, school):
        return 0
    read = SignalRead.objects.filter(signal=OuterRef("pk"), user=ctx.user)
    return Signal.objects.filter(school=school).exclude(author=ctx.user).exclude(Exists(read)).count()


def signal_draft_for(user: Any, school: School, now: datetime) -> SignalDraft | None:
    """The user's draft at SCHOOL, unless it is 24 hours old or older (never offered then)."""
    return SignalDraft.objects.filter(user=user, school=school, updated_at__gt=now - DRAFT_LIFETIME).first()


def _own_group_pupil_ids(ctx: AccessContext, school: School, today: date) -> QuerySet[Any]:
    return (
        current_placements(today)
        .filter(
            school=school,
            group__teachers=ctx.user,
            group__school_year__starts_on__lte=today,
            group__school_year__ends_on__gte=today,
        )
        .values("pupil_id")
    )


def pickable_pupils(ctx: AccessContext, school: School, today: date) -> QuerySet[Pupil]:
    """The pupils a signal at SCHOOL can be about: its current pupils, with `own_group` set for the
    pupils of the user's own groups (those sort first) and `group_name` their current group."""
    own = _own_group_pupil_ids(ctx, school, today)
    group = (
        current_placements(today)
        .filter(
            pupil=OuterRef("pk"),
            group__school_year__starts_on__lte=today,
            group__school_year__ends_on__gte=today,
        )
        .order_by("-starts_on")
        .values("group__name")[:1]
    )
    return current_pupils(today, school=school).annotate(
        own_group=Case(When(pk__in=own, then=Value(1)), default=Value(0), output_field=IntegerField()),
        group_name=Subquery(group),
    )


def pupil_choices(
    ctx: AccessContext, school: School, *, search: str, selected_ids: list[int], today: date
) -> tuple[list[Pupil], list[Pupil]]:
    """The chosen pupils (still current at SCHOOL) and the pupils to offer: those matching SEARCH
    (at least two characters), or without a search the pupils of the user's own groups."""
    pickable = pickable_pupils(ctx, school, today)
    order = ("-own_group", "achternaam", "roepnaam", "pk")
    chosen_by_id = {p.pk: p for p in pickable.filter(pk__in=selected_ids)} if selected_ids else {}
    chosen = [chosen_by_id[i] for i in selected_ids if i in chosen_by_id]
    terms = search.split()
    if len(search.strip()) >= SEARCH_MIN_CHARS:
        offered = pickable
        for term in terms:
            offered = offered.filter(
                Q(roepnaam__icontains=term) | Q(achternaam__icontains=term) | Q(tussenvoegsel__icontains=term)
            )
    else:
        offered = pickable.filter(pk__in=_own_group_pupil_ids(ctx, school, today))
    offers = list(offered.exclude(pk__in=list(chosen_by_id)).order_by(*order)[:SEARCH_LIMIT])
    return chosen, offers


def pupil_is_pickable(ctx: AccessContext, school: School, pupil_id: int, today: date) -> bool:
    return current_pupils(today, school=school).filter(pk=pupil_id).exists()


def pupils_with_signals(ctx: AccessContext, school: School) -> QuerySet[Pupil]:
    """The pupils that signals of SCHOOL the user may see are about (the list's pupil filter)."""
    visible = signals_visible_to(ctx, school).values("pk")
    return (
        Pupil.objects.filter(school=school, signals__in=visible)
        .distinct()
        .order_by("achternaam", "roepnaam", "pk")
    )
