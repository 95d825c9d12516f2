"""What the incidents app adds to the pupil chronology (registered in `IncidentsConfig.ready`):
links from entries to their signal, incident or Vlaggensysteem assessment, for viewers who may open
them, and the "Signaal" and "Incident" actions on the pupil page."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from lev.dossier.chronology import Action, action_url, register_pupil_action
from lev.dossier.links import by_url_name, register_source_link
from lev.schools.access import AccessContext
from lev.schools.models import Pupil
from lev.schools.permissions import PupilAccess

from .models import FlagAssessment
from .permissions import RECORDING_ROLES, incidents_visible_to, signals_visible_to


def _visible_signals(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> Iterable[int]:
    return signals_visible_to(ctx, pupil.school).filter(pk__in=ids).values_list("pk", flat=True)


def _visible_incidents(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> Iterable[int]:
    return incidents_visible_to(ctx, pupil.school).filter(pk__in=ids).values_list("pk", flat=True)


def _assessments(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> dict[int, str]:
    """A Vlaggensysteem assessment is seen by whoever may see its incident."""
    rows = FlagAssessment.objects.filter(
        pk__in=ids, incident__in=incidents_visible_to(ctx, pupil.school)
    ).values_list("pk", "incident_id")
    return {pk: reverse("incidents:assessment_detail", args=[incident_id, pk]) for pk, incident_id in rows}


def _signal_action(ctx: AccessContext, access: PupilAccess) -> Action | None:
    if not access.roles & RECORDING_ROLES:
        return None
    return action_url(
        pgettext("pupil action", "Signal"), "incidents:signal_new", [], {"leerling": access.pupil.pk}
    )


def _incident_action(ctx: AccessContext, access: PupilAccess) -> Action | None:
    if not access.roles & RECORDING_ROLES:
        return None
    return action_url(
        pgettext("pupil action", "Incident"), "incidents:incident_new", [], {"leerling": access.pupil.pk}
    )


def register() -> None:
    register_source_link(
        "incidents.signal",
        label=_("Open the signal"),
        resolve=by_url_name("incidents:signal_detail", _visible_signals),
    )
    register_source_link(
        "incidents.incident",
        label=_("Open the incident"),
        resolve=by_url_name("incidents:incident_detail", _visible_incidents),
    )
    register_source_link("incidents.flagassessment", label=_("Open the assessment"), resolve=_assessments)
    register_pupil_action(10, _signal_action)
    register_pupil_action(20, _incident_action)
