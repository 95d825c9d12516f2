"""What the Meldcode adds to other pages (registered in `MeldcodeConfig.ready`):

- the rule which cases a reader may open, for the pupil chronology and the deadline pages
  (`lev.schools.case_access`): Meldcode entries and terms are seen only by those with case access;
- links from the Meldcode's dossier entries to the case page, for readers with access;
- "Meldcode-casus openen" on the pupil page and on a signal's page, for the school's care
  coordinators, directors and deputies;
- the status a signal's author sees of the cases their signal is part of: only "in behandeling bij
  de IB" or "afgerond" (`meldcode.domain.steps.teacher_status`), never the step, the melding or the
  outcome.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from incidents.models import Signal
from incidents.signal_status import SignalAction, register_signal_action, register_signal_status
from lev.deadlines.models import Deadline
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.subjects import SubjectLink, register_subject_link
from lev.dossier.chronology import Action, action_url, register_pupil_action
from lev.dossier.links import register_source_link
from lev.schools.access import AccessContext
from lev.schools.case_access import register_meldcode_case_ids
from lev.schools.models import Pupil
from lev.schools.permissions import PupilAccess
from lev.schools.services import OBJECT_GRANT_REGISTRY, GrantedModel

from .domain.steps import TEACHER_STATUS_LABELS, TeacherStatus
from .models import (
    AfwegingAnswer,
    CasePupil,
    CaseStatus,
    CaseStepRecord,
    HelpEvaluation,
    HelpRecord,
    InformationRequest,
    MeldcodeCase,
    Melding,
)
from .permissions import CASE_PERM, OPEN_ROLES, case_ids_for, cases_for, user_may_open

OPEN_LABEL = _("Open a Meldcode case")


def _open_action(ctx: AccessContext, access: PupilAccess) -> Action | None:
    if not access.roles & OPEN_ROLES:
        return None
    return action_url(pgettext("pupil action", "Meldcode case"), "meldcode:case_open", [access.pupil.pk])


def _signal_actions(ctx: AccessContext, signal: Signal) -> list[SignalAction]:
    if not ctx.roles_at(signal.school_id) & OPEN_ROLES:
        return []
    try:
        return [
            SignalAction(
                f"{OPEN_LABEL}: {pupil.full_name}",
                f"{reverse('meldcode:case_open', args=[pupil.pk])}?signaal={signal.pk}",
            )
            for pupil in signal.pupils.order_by("achternaam", "roepnaam", "pk")
        ]
    except NoReverseMatch:
        return []


def _author_statuses(signal_ids: list[int]) -> dict[int, str]:
    """signal id -> the teacher's status: closed only when every case the signal is part of is
    closed."""
    statuses: dict[int, TeacherStatus] = {}
    links = MeldcodeCase.signals.through.objects.filter(signal_id__in=signal_ids).values_list(
        "signal_id", "meldcodecase__status"
    )
    for signal_id, status in links:
        if status == CaseStatus.OPEN or statuses.get(signal_id) is TeacherStatus.IN_PROGRESS:
            statuses[signal_id] = TeacherStatus.IN_PROGRESS
        else:
            statuses[signal_id] = TeacherStatus.CLOSED
    return {signal_id: str(TEACHER_STATUS_LABELS[status]) for signal_id, status in statuses.items()}


def _to_case(
    model: type[Model], case_field: str
) -> Callable[[AccessContext, Pupil, list[int]], dict[int, str]]:
    def resolve(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> dict[int, str]:
        allowed = set(case_ids_for(ctx).values_list("pk", flat=True))
        rows = model._default_manager.filter(pk__in=ids).values_list("pk", case_field)
        return {
            pk: reverse("meldcode:case_detail", args=[case_id]) for pk, case_id in rows if case_id in allowed
        }

    return resolve


def _deadline_case(ctx: AccessContext, deadline: Deadline) -> SubjectLink | None:
    """A Meldcode term's page links to its case, for a reader with access to the case."""
    if deadline.visibility != DeadlineVisibility.MELDCODE_CASE or deadline.case_id is None:
        return None
    case = cases_for(ctx).filter(pk=deadline.case_id).first()
    if case is None:
        return None
    return SubjectLink(
        gettext("Meldcode case %(number)s") % {"number": case.number},
        reverse("meldcode:case_detail", args=[case.pk]),
    )


def register() -> None:
    register_meldcode_case_ids(case_ids_for, user_may_open)
    # A grant ends with the grantee's membership at the school (SECURITY.md).
    OBJECT_GRANT_REGISTRY.append(GrantedModel(MeldcodeCase, (CASE_PERM,)))
    register_pupil_action(40, _open_action)
    register_signal_action(_signal_actions)
    register_signal_status(_author_statuses)
    register_subject_link(_deadline_case)
    label = _("Open the Meldcode case")
    register_source_link("meldcode.meldcodecase", label=label, resolve=_to_case(MeldcodeCase, "pk"))
    for model in (CaseStepRecord, AfwegingAnswer, Melding, InformationRequest, HelpRecord, CasePupil):
        register_source_link(model._meta.label_lower, label=label, resolve=_to_case(model, "case_id"))
    register_source_link(
        HelpEvaluation._meta.label_lower, label=label, resolve=_to_case(HelpEvaluation, "help__case_id")
    )
