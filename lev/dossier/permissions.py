"""Who may correct a chronology entry and who may add the parents' view (ARCHITECTURE.md §4, §6).

Both act on a pupil whose file the user has opened through the pupil chokepoint
(`lev.schools.permissions.access_pupil_for_user`, which writes the access-log row); the entry itself
is looked up through `chronology_for`, so an entry the user may not see answers 404 like a missing
one.

- Correct an entry: its author, and the director, deputy director and IB of the pupil's school;
  an entry of a record with its own correction page (a contact with the parents) is corrected there.
- Add the parents' view: the director, deputy director and IB, and a teacher of the pupil's own group
  (not a teacher who opened the file of another group's pupil with a reason).
- An entry of a Meldcode case (visibility "meldcode_case") is neither corrected nor answered here:
  a reader of the chronology may have only read access to the case, and a correction or a parents'
  view written here would be seen by everyone who reads the file. The case records it instead (a
  step recorded again), under the case's own access.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lev.schools.access import AccessContext
from lev.schools.models import Role
from lev.schools.permissions import PupilAccess

from .models import DossierEntry, Visibility
from .selectors import chronology_entry

CORRECTOR_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})
PARENT_VIEW_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})


# Entries whose record has its own correction page, which corrects the record and its chronology
# entry together (the contact log): corrected there, never only in the chronology.
CORRECTED_AT_SOURCE = frozenset({"communications.contactlog"})


def may_correct(ctx: AccessContext, access: PupilAccess, entry: DossierEntry) -> bool:
    if entry.source_type in CORRECTED_AT_SOURCE or entry.visibility == Visibility.MELDCODE_CASE:
        return False
    return entry.author_id == ctx.user.pk or bool(access.roles & CORRECTOR_ROLES)


def may_add_parent_view(access: PupilAccess) -> bool:
    return bool(access.roles & PARENT_VIEW_ROLES) or (Role.TEACHER in access.roles and access.own_group)


def may_answer(entry: DossierEntry) -> bool:
    """Whether a parents' view may be written beside ENTRY in the chronology."""
    return entry.visibility != Visibility.MELDCODE_CASE


def entry_for_correction(ctx: AccessContext, access: PupilAccess, entry_id: int) -> DossierEntry:
    """The entry ENTRY_ID of the opened pupil's chronology, if the user may correct it.

    404 when the user cannot see the entry (another pupil's, a confidential one, a missing one);
    403 when they see it but may not correct it.
    """
    entry = chronology_entry(ctx, access.pupil, entry_id)
    if entry is None:
        raise Http404
    if not may_correct(ctx, access, entry):
        raise PermissionDenied
    return entry


def check_parent_view(access: PupilAccess) -> None:
    if not may_add_parent_view(access):
        raise PermissionDenied
