"""The "Stappenplan" button on an incident's page (registered in `EscalationConfig.ready`): for the
director and the deputy, when the incident names exactly one pupil who took the initiative — the
stappenplan is about that pupil, opened after this incident."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from incidents.incident_actions import IncidentAction
from incidents.models import Incident, PupilRole
from lev.schools.access import AccessContext

from .models import Episode, EpisodeState
from .permissions import may_lead


def ladder_after_incident(ctx: AccessContext, incident: Incident) -> IncidentAction | None:
    if not may_lead(ctx, incident.school_id):
        return None
    initiators = list(
        incident.involvements.filter(role=PupilRole.INITIATIVE).values_list("pupil_id", flat=True)[:2]
    )
    if len(initiators) != 1:
        return None
    pupil_id = initiators[0]
    if Episode.objects.filter(pupil_id=pupil_id).exclude(state=EpisodeState.CLOSED).exists():
        return IncidentAction(
            label=_("Stappenplan of the pupil who took the initiative"),
            url=reverse("escalation:pupil_ladder", args=[pupil_id]),
        )
    return IncidentAction(
        label=_("Start the stappenplan for the pupil who took the initiative"),
        url=f"{reverse('escalation:episode_new', args=[pupil_id])}?{urlencode({'incident': incident.pk})}",
    )
