"""Recording a Vlaggensysteem assessment of an incident (plan ch. 13, §16.4, Achtergrondinformatie 3).

`assessment_record` writes, in one transaction: the `FlagAssessment` (insert-only: a new weighing
becomes the current one and the older ones stay as evidence), one audit row with ids only, and —
when the behaviour of one pupil is weighed — one `DossierEntry` in that pupil's chronology (kind
`vlaggensysteem`, visibility school) whose title names the flag by its word.

The suggested flag is computed here with `incidents.domain.flags.suggest_flag` from the answers
given, never taken from the form; the assessor may choose another flag, but only with a reason.

Who may assess: the director, the deputy director or the IB of the incident's school (the leads of
`incidents.permissions`). The views check access with `access_incident_for_user(..., need="manage")`
first; this service refuses anyone else too (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.dossier.models import Visibility
from lev.dossier.services import entry_record
from lev.schools.models import Membership, Pupil

from .domain.flags import (
    CRITERION_CODES,
    DECISION_POINTS,
    DECISION_SEVERITY,
    FLAGS,
    GAP_CRITERIA_CLEAR,
    GAP_QUESTIONS,
    Answer,
    Suggestion,
    default_response,
    questions_for,
    suggest_flag,
)
from .domain.flags import Flag as DomainFlag
from .models import Flag, FlagAssessment, Incident, IncidentPupil
from .permissions import LEAD_ROLES

DOSSIER_KIND = "vlaggensysteem"
NOTE_MAX = 2000
TEXT_MAX = 4000


def assessments_of(incident: Incident) -> QuerySet[FlagAssessment]:
    """The assessments of INCIDENT, newest (the current one) first. Callers have checked access."""
    return FlagAssessment.objects.filter(incident=incident).select_related("assessed_by", "pupil")


def may_assess(actor: Any, incident: Incident, day: Any) -> bool:
    return (
        Membership.objects.active_on(day)
        .filter(user=actor, school_id=incident.school_id, role__in=LEAD_ROLES)
        .exists()
    )


def _text(value: object, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _clean_criteria(
    criteria: Mapping[str, Mapping[str, Any]], errors: dict[str, str]
) -> dict[str, dict[str, str]]:
    strange = set(criteria) - set(CRITERION_CODES)
    if strange:
        raise ValueError(f"not a criterion of the Vlaggensysteem: {sorted(strange)}")
    clean: dict[str, dict[str, str]] = {}
    for code in CRITERION_CODES:
        given = criteria.get(code) or {}
        answer = str(given.get("answer") or "")
        if answer not in {a.value for a in Answer}:
            errors[f"criteria.{code}"] = _("Choose for this criterion: met, not met or unknown.")
        clean[code] = {"answer": answer, "note": _text(given.get("note"), NOTE_MAX)}
    return clean


def _clean_answers(given: Mapping[str, Any], codes: tuple[str, ...], what: str) -> dict[str, str]:
    strange = set(given) - set(codes)
    if strange:
        raise ValueError(f"not a question of the {what}: {sorted(strange)}")
    return {code: _text(given.get(code), TEXT_MAX) for code in codes}


def _check_subject(
    incident: Incident, pupil: Pupil | None, group_behaviour: bool, errors: dict[str, str]
) -> None:
    if group_behaviour and pupil is not None:
        errors["pupil"] = _(
            "For the behaviour of a group you choose no pupil. Choose one pupil, or the group."
        )
    elif not group_behaviour and pupil is None:
        errors["pupil"] = _("Choose the pupil whose behaviour you weigh, or the group.")
    elif pupil is not None and not IncidentPupil.objects.filter(incident=incident, pupil=pupil).exists():
        errors["pupil"] = _(
            "This pupil is not involved in this incident. Choose a pupil of the incident, or the group."
        )


def _dossier_text(assessment: FlagAssessment, incident: Incident) -> tuple[str, str]:
    """Title and summary of the chronology entry, in Dutch: stored text of the record."""
    chosen = FLAGS[DomainFlag(assessment.flag)]
    title = f"Weging Vlaggensysteem: {chosen.word}"
    lines = [f"Incident {incident.number}: het gedrag is gewogen met het Vlaggensysteem."]
    lines.append(f"Vlag: {chosen.word} ({chosen.meaning}).")
    if assessment.flag != assessment.suggested_flag:
        lines.append(f"LEV stelde {FLAGS[DomainFlag(assessment.suggested_flag)].word} voor.")
    lines.append(f"Pedagogische reactie: {assessment.pedagogical_response}")
    return title, "\n".join(lines)


def assessment_record(
    *,
    incident: Incident,
    pupil: Pupil | None,
    group_behaviour: bool,
    criteria: Mapping[str, Mapping[str, Any]],
    questions: Mapping[str, Any],
    gaps: Mapping[str, Any],
    flag: str,
    deviation_reason: str,
    pedagogical_response: str,
    decision: Mapping[str, Any],
    actor: Any,
    now: datetime,
) -> FlagAssessment:
    """Record a weighing of the behaviour in INCIDENT (see the module docstring for what is written).

    CRITERIA maps each of the six criteria to {"answer": met|not_met|unknown, "note": str};
    QUESTIONS, GAPS and DECISION map the codes of `incidents.domain.flags` to free text.
    Raises PermissionDenied for an actor who is no lead of the incident's school, and a
    ValidationError with a message per field (`pupil`, `criteria.<code>`, `gaps.<code>`, `flag`,
    `deviation_reason`, `pedagogical_response`, `decision.<code>`) for input it refuses.
    """
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    if not may_assess(actor, incident, timezone.localdate(now)):
        raise PermissionDenied
    errors: dict[str, str] = {}
    _check_subject(incident, pupil, group_behaviour, errors)
    clean_criteria = _clean_criteria(criteria, errors)
    clean_questions = _clean_answers(
        questions, tuple(q.code for q in questions_for(group_behaviour)), "weighing"
    )
    clean_gaps = _clean_answers(gaps, tuple(q.code for q in GAP_QUESTIONS), "gaps")
    clean_decision = _clean_answers(decision, tuple(q.code for q in DECISION_POINTS), "decision")
    suggestion: Suggestion | None = None
    if not any(key.startswith("criteria.") for key in errors):
        suggestion = suggest_flag({code: value["answer"] for code, value in clean_criteria.items()})
        if not suggestion.complete and not clean_gaps[GAP_CRITERIA_CLEAR]:
            errors[f"gaps.{GAP_CRITERIA_CLEAR}"] = _(
                "Not every criterion is clear: one or more are unknown. Write what is still unknown "
                "and how you find it out, or why it cannot be found out."
            )
    if flag not in Flag.values:
        errors["flag"] = _("Choose a flag.")
    deviation_reason = _text(deviation_reason, TEXT_MAX)
    if suggestion is not None and flag in Flag.values and flag != suggestion.flag and not deviation_reason:
        errors["deviation_reason"] = _(
            "You chose another flag than the suggestion (%(suggested)s). Write why you chose this flag."
        ) % {"suggested": Flag(suggestion.flag.value).label}
    pedagogical_response = _text(pedagogical_response, TEXT_MAX)
    if not pedagogical_response:
        errors["pedagogical_response"] = _(
            "Write the pedagogical response to the behaviour. For this flag the Vlaggensysteem says: %(response)s"
        ) % {"response": default_response(flag) if flag in Flag.values else "…"}
    if not clean_decision[DECISION_SEVERITY]:
        errors[f"decision.{DECISION_SEVERITY}"] = _(
            "Describe the severity: is the social or physical safety of those involved at stake, or was "
            "the incident a one-off and small-scale?"
        )
    if errors:
        raise ValidationError(errors)
    assert suggestion is not None
    with transaction.atomic():
        assessment = FlagAssessment.objects.create(
            incident=incident,
            pupil=pupil,
            group_behaviour=group_behaviour,
            criteria=clean_criteria,
            questions=clean_questions,
            gaps=clean_gaps,
            suggested_flag=suggestion.flag.value,
            flag=flag,
            deviation_reason=deviation_reason,
            pedagogical_response=pedagogical_response,
            decision=clean_decision,
            assessed_by=actor,
            assessed_at=now,
        )
        dossier_id = None
        if pupil is not None:
            title, summary = _dossier_text(assessment, incident)
            dossier_id = entry_record(
                pupil=pupil,
                kind=DOSSIER_KIND,
                title=title,
                summary=summary,
                happened_at=now,
                author=actor,
                now=now,
                visibility=Visibility.SCHOOL,
                source=assessment,
            ).pk
        record(
            "flag_assessment_recorded",
            actor=actor,
            board=incident.board,
            obj=assessment,
            summary={
                "incident_id": incident.pk,
                "pupil_id": pupil.pk if pupil else None,
                "dossier_entry_id": dossier_id,
            },
            now=now,
        )
    return assessment
