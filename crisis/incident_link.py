"""The "Opschalen naar een crisis" button on an incident's page (registered in `CrisisConfig.ready`):
for those who may start a crisis at the incident's school (crisis/permissions.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from incidents.incident_actions import IncidentAction
from incidents.models import Incident
from lev.schools.access import AccessContext

from .permissions import may_manage


def escalate_to_crisis(ctx: AccessContext, incident: Incident) -> IncidentAction | None:
    if not may_manage(ctx, incident.school_id):
        return None
    return IncidentAction(
        label=_("Escalate to a crisis"),
        url=f"{reverse('crisis:new')}?{urlencode({'incident': incident.pk})}",
    )
