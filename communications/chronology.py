"""What the communications app adds to the pupil chronology (registered in
`CommunicationsConfig.ready`): links to letters and parent contacts, and the "Brief" action."""

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

from .contact_models import ContactLog
from .letter_models import Letter
from .letter_selectors import SCHOOL_LETTER_ROLES
from .letter_services import AUTHOR_ROLES


def _visible_letters(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> Iterable[int]:
    if not ctx.roles_at(pupil.school_id) & SCHOOL_LETTER_ROLES:
        return []
    return Letter.objects.filter(school_id=pupil.school_id, pk__in=ids).values_list("pk", flat=True)


def _contacts(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> dict[int, str]:
    # The contact log is read through the same pupil chokepoint as the chronology itself.
    rows = ContactLog.objects.filter(pupil=pupil, school_id=pupil.school_id, pk__in=ids).values_list(
        "pk", flat=True
    )
    base = reverse("contacts:list", args=[pupil.pk])
    return {pk: f"{base}#contact-{pk}" for pk in rows}


def _letter_action(ctx: AccessContext, access: PupilAccess) -> Action | None:
    active = ctx.active_school
    # The letter form writes for the active school; another school's pupil is not in its list.
    if not access.roles & AUTHOR_ROLES or active is None or active.pk != access.pupil.school_id:
        return None
    return action_url(
        pgettext("pupil action", "Letter"), "communications:letter_new", [], {"leerling": access.pupil.pk}
    )


def register() -> None:
    register_source_link(
        "communications.letter",
        label=_("Open the letter"),
        resolve=by_url_name("communications:letter_detail", _visible_letters),
    )
    register_source_link("communications.contactlog", label=_("Open the contact log"), resolve=_contacts)
    register_pupil_action(40, _letter_action)
