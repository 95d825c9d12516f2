"""Pages of the Vlaggensysteem: weighing the behaviour in an incident, and reading a weighing.

Access is the incident chokepoint's (`incidents.permissions.access_incident_for_user`): a new
weighing needs `manage` (director, deputy director, IB of the school); reading one needs `view`, so
the teacher who reported the incident reads it too. Another school's incident answers 404, a role of
the school that may not use it 403; every read is access-logged there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lev.web.forms import add_service_errors

from .domain import flags as d
from .flag_forms import (
    ANSWER_LABELS,
    CRITERION_HELP,
    CRITERION_LABELS,
    DECISION_LABELS,
    FLAG_RESPONSES,
    FLAG_WORDS,
    GAP_LABELS,
    GROUP_QUESTION_LABELS,
    INDIVIDUAL_QUESTION_LABELS,
    REASON_TEXTS,
    SERVICE_FIELDS,
    AssessmentForm,
    recalculated,
)
from .flag_services import assessment_record, assessments_of
from .incident_selectors import involvements_of
from .models import FlagAssessment
from .permissions import access_incident_for_user, is_lead


def suggestion_view(suggestion: d.Suggestion) -> dict[str, Any]:
    """The suggestion as the templates show it: flag code and word, reasons, missing criteria."""
    return {
        "flag": suggestion.flag.value,
        "word": FLAG_WORDS[suggestion.flag],
        "response": FLAG_RESPONSES[suggestion.flag],
        "reasons": [REASON_TEXTS[r] for r in suggestion.reasons],
        "complete": suggestion.complete,
        "not_met": [CRITERION_LABELS[c] for c in suggestion.not_met],
        "unknown": [CRITERION_LABELS[c] for c in suggestion.unknown],
    }


@never_cache
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident_for_user(request.lev, incident_id, need="manage")  # type: ignore[attr-defined]
    involvements = involvements_of(incident)
    if request.method == "POST" and request.POST.get("action") == "suggest":
        form = recalculated(request.POST, involvements)
    else:
        form = AssessmentForm(request.POST if request.method == "POST" else None, involvements=involvements)
        if form.is_bound and form.is_valid():
            try:
                assessment = assessment_record(
                    incident=incident,
                    **form.service_kwargs(involvements),
                    actor=request.user,
                    now=timezone.now(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc, rename=SERVICE_FIELDS)
            else:
                messages.success(request, _("The weighing has been recorded. It is now the current one."))
                return redirect(
                    "incidents:assessment_detail", incident_id=incident.pk, assessment_id=assessment.pk
                )
    return render(
        request,
        "incidents/assessment_form.html",
        {
            "incident": incident,
            "form": form,
            "suggestion": suggestion_view(form.suggestion()) if form.any_answer() else None,
            "current": assessments_of(incident).first(),
        },
    )


def _answered(labels: dict[str, Any], stored: dict[str, Any]) -> list[tuple[Any, str]]:
    return [(label, str(stored.get(code) or "")) for code, label in labels.items()]


@never_cache
@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, incident_id: int, assessment_id: int) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    incident = access_incident_for_user(ctx, incident_id, need="view")
    assessments = list(assessments_of(incident))
    assessment: FlagAssessment | None = next((a for a in assessments if a.pk == assessment_id), None)
    if assessment is None:
        raise Http404
    criteria = []
    for code in d.CRITERION_CODES:
        given = assessment.criteria.get(code) or {}
        answer = given.get("answer", "")
        criteria.append(
            {
                "label": CRITERION_LABELS[code],
                "help": CRITERION_HELP[code],
                "answer": answer,
                "answer_label": ANSWER_LABELS.get(answer, answer),
                "note": given.get("note", ""),
            }
        )
    questions = GROUP_QUESTION_LABELS if assessment.group_behaviour else INDIVIDUAL_QUESTION_LABELS
    return render(
        request,
        "incidents/assessment_detail.html",
        {
            "incident": incident,
            "assessment": assessment,
            "current": assessments[0],
            "is_current": assessments[0].pk == assessment.pk,
            "criteria": criteria,
            "questions": _answered(questions, assessment.questions),
            "gaps": _answered(GAP_LABELS, assessment.gaps),
            "decision": _answered(DECISION_LABELS, assessment.decision),
            "incomplete": any(row["answer"] == d.Answer.UNKNOWN for row in criteria),
            "suggested_word": FLAG_WORDS.get(assessment.suggested_flag, assessment.suggested_flag),
            "deviates": assessment.flag != assessment.suggested_flag,
            "lead": is_lead(ctx, incident.school_id),
        },
    )
