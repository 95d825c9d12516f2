"""What the stappenplan adds to the pupil chronology (registered in `EscalationConfig.ready`): the
"Stap in stappenplan" action on the pupil page, and links from the dossier entries of the ladder to
the ladder page and to the pages of its measures, for viewers who may open them."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from lev.dossier.chronology import Action, action_url, register_pupil_action
from lev.dossier.links import register_source_link
from lev.schools.access import AccessContext
from lev.schools.models import Pupil, Role
from lev.schools.permissions import PupilAccess

from .permissions import STEP_ROLES

# Who sees the ladder from the pupil page: the director, the deputy and the IB; the teacher for the
# pupils of their own groups (they record steps 1–4 and ask for a time-out).
ACTION_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})


def _ladder_action(ctx: AccessContext, access: PupilAccess) -> Action | None:
    if not (access.roles & ACTION_ROLES or (Role.TEACHER in access.roles and access.own_group)):
        return None
    return action_url(
        pgettext("pupil action", "Step in the stappenplan"), "escalation:pupil_ladder", [access.pupil.pk]
    )


def _to_ladder(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> dict[int, str]:
    """Episode and step entries open the pupil's ladder for those who may read it."""
    if not ctx.roles_at(pupil.school_id) & STEP_ROLES:
        return {}
    url = reverse("escalation:pupil_ladder", args=[pupil.pk])
    return dict.fromkeys(ids, url)


# Who opens the page of a time-out, schorsing or verwijdering from the chronology; a teacher who
# may read the ladder is sent there instead.
MEASURE_READERS = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})


def _to_measure(url_name: str) -> Callable[[AccessContext, Pupil, list[int]], dict[int, str]]:
    def resolve(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> dict[int, str]:
        if ctx.roles_at(pupil.school_id) & MEASURE_READERS:
            return {pk: reverse(url_name, args=[pk]) for pk in ids}
        return _to_ladder(ctx, pupil, ids)

    return resolve


def register() -> None:
    register_pupil_action(30, _ladder_action)
    register_source_link("escalation.episode", label=_("Open the stappenplan"), resolve=_to_ladder)
    register_source_link("escalation.steprecord", label=_("Open the stappenplan"), resolve=_to_ladder)
    register_source_link(
        "escalation.timeout", label=_("Open the time-out"), resolve=_to_measure("escalation:timeout_detail")
    )
    register_source_link(
        "escalation.schorsing",
        label=_("Open the schorsing"),
        resolve=_to_measure("escalation:schorsing_detail"),
    )
    register_source_link(
        "escalation.verwijdering",
        label=_("Open the verwijdering"),
        resolve=_to_measure("escalation:verwijdering_detail"),
    )
