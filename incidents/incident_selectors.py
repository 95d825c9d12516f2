"""Reads for the incident pages. Access to an incident itself is decided by
`incidents.permissions.access_incident_for_user`; these functions only read what belongs to an
incident the caller may already see, or the choices of the school the user records at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from lev.schools.access import AccessContext
from lev.schools.models import SCHOOL_ROLES, Membership, Pupil, Role, School
from lev.schools.selectors import current_enrolments, current_placements

from .models import (
    FlagAssessment,
    FollowUpAction,
    Incident,
    IncidentAttachment,
    IncidentPupil,
    PupilRole,
    Signal,
)
from .permissions import RECORDING_ROLES, ROLE_ORDER, signals_visible_to

# Pupils are listed in the plan's order: who took the initiative, who experienced it, bystanders.
ROLE_RANK = {role: rank for rank, role in enumerate(PupilRole.values)}


def pupil_choices(school: School, day: date) -> list[tuple[int, str]]:
    """The school's pupils of today (placed in a group or enrolled), as (id, "Surname, Name (group)")."""
    placements = current_placements(day).filter(school=school)
    groups: dict[int, str] = dict(placements.values_list("pupil_id", "group__name"))
    pupils = Pupil.objects.filter(school=school).filter(
        Q(pk__in=placements.values("pupil"))
        | Q(pk__in=current_enrolments(day).filter(school=school).values("pupil"))
    )
    choices = []
    for pupil in pupils.only("pk", "roepnaam", "tussenvoegsel", "achternaam"):
        group = groups.get(pupil.pk)
        choices.append((pupil.pk, f"{pupil.sort_name} ({group})" if group else pupil.sort_name))
    return choices


def _members(school: School, day: date, roles: frozenset[str] | set[str]) -> list[tuple[int, str]]:
    memberships = (
        Membership.objects.active_on(day)
        .filter(school=school, role__in=list(roles), user__is_active=True)
        .select_related("user")
    )
    by_user: dict[int, tuple[Any, set[str]]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, (membership.user, set()))[1].add(membership.role)
    rows = []
    for user, held in by_user.values():
        role = next(r for r in ROLE_ORDER if r in held)
        rows.append((user.pk, f"{user.display_name} ({Role(role).label})", user.last_name, user.first_name))
    rows.sort(key=lambda r: (r[2].lower(), r[3].lower(), r[0]))
    return [(pk, label) for pk, label, _last, _first in rows]


def staff_choices(school: School, day: date) -> list[tuple[int, str]]:
    """Active members of the school (any school role), as (user id, "Name (role)")."""
    return _members(school, day, SCHOOL_ROLES)


def reporter_choices(school: School, day: date) -> list[tuple[int, str]]:
    """Members who may be named as the reporter: those with a recording role at the school."""
    return _members(school, day, RECORDING_ROLES)


def users_by_id(ids: list[int]) -> dict[int, Any]:
    return get_user_model().objects.in_bulk(ids)


def signal_choices(ctx: AccessContext, school: School, ids: list[int]) -> list[Signal]:
    """The signals among IDS that the user may see at SCHOOL (to link to a new incident)."""
    if not ids:
        return []
    return list(
        signals_visible_to(ctx, school)
        .filter(pk__in=ids)
        .select_related("author")
        .order_by("happened_at", "pk")
    )


def involvements_of(incident: Incident) -> list[IncidentPupil]:
    """The incident's pupils in the plan's order (who took the initiative first), then by name."""
    return sorted(
        IncidentPupil.objects.filter(incident=incident).select_related("pupil"),
        key=lambda row: (ROLE_RANK.get(row.role, len(ROLE_RANK)), row.pupil.sort_name.lower(), row.pk),
    )


@dataclass
class IncidentPage:
    involvements: list[IncidentPupil]
    staff: list[Any]
    signals: list[Signal]
    attachments: list[IncidentAttachment]
    follow_ups: list[FollowUpAction]
    assessments: list[FlagAssessment]
    open_follow_ups: int


def incident_page(incident: Incident) -> IncidentPage:
    """Everything the detail page shows about INCIDENT (the caller checked the access)."""
    follow_ups = list(
        FollowUpAction.objects.filter(incident=incident).select_related("owner", "done_by", "deadline")
    )
    return IncidentPage(
        involvements=involvements_of(incident),
        staff=list(incident.staff_involved.order_by("last_name", "first_name", "pk")),
        signals=list(incident.signals.select_related("author").order_by("happened_at", "pk")),
        attachments=list(IncidentAttachment.objects.filter(incident=incident).select_related("uploaded_by")),
        follow_ups=follow_ups,
        assessments=list(
            FlagAssessment.objects.filter(incident=incident)
            .select_related("assessed_by", "pupil")
            .order_by("-assessed_at", "-id")
        ),
        open_follow_ups=sum(1 for action in follow_ups if action.done_at is None),
    )


def attachment_of(incident: Incident, attachment_id: int) -> IncidentAttachment:
    """The attachment of INCIDENT with this id; 404 for any other (also another incident's)."""
    attachment = IncidentAttachment.objects.filter(incident=incident, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def followup_of(incident: Incident, action_id: int) -> FollowUpAction:
    action = (
        FollowUpAction.objects.filter(incident=incident, pk=action_id)
        .select_related("owner", "deadline", "incident", "incident__school", "incident__board")
        .first()
    )
    if action is None:
        raise Http404
    return action
