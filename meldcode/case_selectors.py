"""What the Meldcode case pages show: the case list, and one case with its five steps, the
afwegingskader, the meldingen, the help, the deadlines and the next actions (UX.md "Meldcode-casus").

Every function here takes a case the reader may open (`meldcode.permissions.read_case` decided
that and wrote the access log) or the reader's access context; nothing here checks access to the
case again. A sibling's name is shown only to a reader who may open that sibling's own file
(`sibling_name_visible`). Every query is bounded: a case has few records; the list is cut off at
`LIST_LIMIT` rows per page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.models import Signal, SignalSource, SignalTag
from lev.accounts.models import User
from lev.deadlines.models import Deadline
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.schools.access import AccessContext
from lev.schools.models import Membership, Pupil, Role, School, SocialMapEntry
from lev.schools.permissions import PUPIL_FILE_ROLES, teaches_pupil
from lev.schools.selectors import current_placements, current_pupils

from . import services
from .domain.afwegingskader import (
    M3_NOTE,
    OUTCOME_LABELS,
    QUESTIONS,
    VEILIG_THUIS_NOTE,
    Decision,
    Outcome,
    Question,
)
from .domain.balans import GROUP_NAMES, LEVEL_NAMES, Balans, Factor, FactorGroup, Level, by_level
from .domain.steps import (
    EVENT_LABELS,
    STEPS,
    Allowed,
    CaseFacts,
    Event,
    Step,
    check,
    next_step,
    step_done,
)
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
from .permissions import (
    CASE_MANAGER_ROLES,
    GRANTABLE_ROLES,
    SCHOOL_WIDE_ROLES,
    Basis,
    cases_for,
    may_grant,
    may_write,
)

LIST_LIMIT = 50
SIGNAL_CHOICES = 50
SIGNAL_WORDS = 12

HIDDEN_SIBLING = gettext_lazy("a brother or sister (no access)")


def url_or_none(name: str, *args: Any) -> str | None:
    """The address of the page NAME, or None where that page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def step_title(step: Step) -> str:
    """ "Stap 1: Signalen in kaart brengen"."""
    return _("Step %(number)s: %(name)s") % {"number": int(step), "name": STEPS[step].name}


# --- people and pupils the forms offer ---------------------------------------------------------------


def _members(school: School | int, roles: Iterable[str], day: date) -> QuerySet[User]:
    school_id = school.pk if isinstance(school, School) else school
    member_ids = (
        Membership.objects.active_on(day).filter(school_id=school_id, role__in=list(roles)).values("user_id")
    )
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def case_manager_choices(school: School | int, day: date) -> QuerySet[User]:
    """Who may manage a case: the school's care coordinators, directors and deputies."""
    return _members(school, CASE_MANAGER_ROLES, day)


def staff_choices(school: School | int, day: date) -> QuerySet[User]:
    """The school's staff (who made a melding; who may be granted a case)."""
    return _members(school, GRANTABLE_ROLES, day)


def grant_choices(case: MeldcodeCase, day: date) -> QuerySet[User]:
    """Staff of the school who have no access to CASE yet (the grant form's choices): not the case
    manager, not the director or deputy, not the eindverantwoordelijke, not those granted already."""
    leads = Membership.objects.active_on(day).filter(
        school_id=case.school_id, role__in=list(SCHOOL_WIDE_ROLES)
    )
    excluded = {case.case_manager_id, *leads.values_list("user_id", flat=True)}
    excluded.update(user.pk for user in services.granted_users(case))
    if case.school.meldcode_final_responsible_id is not None:
        excluded.add(case.school.meldcode_final_responsible_id)
    return staff_choices(case.school_id, day).exclude(pk__in=excluded)


def decider_choices(school: School, day: date) -> QuerySet[User]:
    """Who decides in step 5: the school's eindverantwoordelijke when set, else its directors and
    deputies."""
    final = services.final_responsible(school, day)
    if final is not None:
        return User.objects.filter(pk=final.pk)
    return _members(school, SCHOOL_WIDE_ROLES, day)


def pupil_signals(pupil: Pupil) -> QuerySet[Signal]:
    """The pupil's signals at the school, newest first (the choices a case is opened from)."""
    ids = list(
        Signal.objects.filter(school_id=pupil.school_id, pupils=pupil)
        .order_by("-happened_at", "-id")
        .values_list("pk", flat=True)[:SIGNAL_CHOICES]
    )
    return Signal.objects.filter(pk__in=ids).order_by("-happened_at", "-id")


def signal_label(signal: Signal) -> str:
    """A signal in a list: its date and the first words of what happened."""
    words = signal.description.split()
    text = " ".join(words[:SIGNAL_WORDS]) + (" …" if len(words) > SIGNAL_WORDS else "")
    return f"{timezone.localtime(signal.happened_at):%d-%m-%Y} — {text}"


EARLIER_SIGNALS = 10


def step_initial(case: MeldcodeCase, step: Step) -> dict[str, str]:
    """What a step's form starts with: the last record of the step when it is recorded again (the
    fields that hold one record each); for a first step 1, what LEV already knows — the signals
    the case was opened from, their Bijlage 17 headings, and the pupil's earlier signals."""
    latest = services.latest_record(case, step)
    if latest is not None and not latest.skipped:
        return {code: text for code, text in latest.content.items() if code != "questions"}
    if step is not Step.SIGNALS:
        return {}
    tag_labels = dict(SignalTag.choices)
    linked = list(case.signals.order_by("happened_at", "pk"))
    lines = []
    for signal in linked:
        source = _("seen myself") if signal.source == SignalSource.OBSERVED else _("heard from someone else")
        when = timezone.localtime(signal.happened_at)
        lines.append(f"{when:%d-%m-%Y %H:%M}, {signal.location} ({source}): {signal.description.strip()}")
    headings = []
    for signal in linked:
        for tag in signal.tags:
            label = str(tag_labels.get(tag, ""))
            if label and label not in headings:
                headings.append(label)
    earlier = (
        Signal.objects.filter(school_id=case.school_id, pupils=case.pupil)
        .exclude(pk__in=[signal.pk for signal in linked])
        .filter(happened_at__lt=case.opened_at)
        .order_by("-happened_at", "-pk")[:EARLIER_SIGNALS]
    )
    return {
        "signals": "\n".join(lines),
        "signal_list": "\n".join(headings),
        "history": "\n".join(signal_label(signal) for signal in earlier),
    }


def related_pupil_choices(case: MeldcodeCase, day: date) -> QuerySet[Pupil]:
    """The school's current pupils who are not part of CASE yet."""
    taken = [case.pupil_id, *case.related_pupils.values_list("pupil_id", flat=True)]
    return (
        current_pupils(day, school=case.school).exclude(pk__in=taken).order_by("achternaam", "roepnaam", "pk")
    )


def social_map(school: School | int) -> QuerySet[SocialMapEntry]:
    school_id = school.pk if isinstance(school, School) else school
    return SocialMapEntry.objects.filter(school_id=school_id).order_by("organisation", "pk")


def pupil_group_names(pupil_ids: Iterable[int], day: date) -> dict[int, str]:
    """pupil id -> the names of the pupil's current groups."""
    names: dict[int, list[str]] = {}
    for pupil_id, name in (
        current_placements(day).filter(pupil_id__in=list(pupil_ids)).values_list("pupil_id", "group__name")
    ):
        names.setdefault(pupil_id, []).append(name)
    return {pupil_id: ", ".join(sorted(found)) for pupil_id, found in names.items()}


def sibling_name_visible(ctx: AccessContext, pupil: Pupil, day: date) -> bool:
    """Whether the reader may see the name of PUPIL, a sibling in someone else's case: only a reader
    who may open that pupil's own file without giving a reason — the school's director, deputy or
    care coordinator, or a teacher who teaches the pupil."""
    roles = ctx.roles_at(pupil.school_id)
    if roles & PUPIL_FILE_ROLES:
        return True
    return Role.TEACHER in roles and teaches_pupil(ctx.user, pupil, today=day)


# --- the case list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    case: MeldcodeCase
    group: str
    current_step: str
    is_open: bool


def case_rows(
    ctx: AccessContext, day: date, page_number: str | None = None
) -> tuple[list[CaseRow], Page[Any]]:
    """One page (of LIST_LIMIT) of the cases the reader may open, open ones first, then the last
    changed first; and the page, for the links to the others."""
    query = (
        cases_for(ctx)
        .select_related("pupil", "case_manager", "school")
        .annotate(
            closed_last=Case(
                When(status=CaseStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("closed_last", "-updated_at", "-pk")
    )
    page = Paginator(query, LIST_LIMIT).get_page(page_number)
    cases = list(page.object_list)
    done: dict[int, set[Step]] = {case.pk: set() for case in cases}
    skipped: dict[int, str] = {}
    for case_id, step, was_skipped, reason in CaseStepRecord.objects.filter(
        case_id__in=list(done)
    ).values_list("case_id", "step", "skipped", "skip_reason"):
        if was_skipped:
            skipped[case_id] = reason
        else:
            done[case_id].add(Step(step))
    groups = pupil_group_names((case.pupil_id for case in cases), day)
    rows = []
    for case in cases:
        facts = CaseFacts(
            steps_done=frozenset(done[case.pk]), conversation_skip_reason=skipped.get(case.pk, "")
        )
        current = next_step(facts)
        label = step_title(current) if current is not None else _("All five steps done")
        rows.append(CaseRow(case, groups.get(case.pupil_id, ""), label, case.status == CaseStatus.OPEN))
    return rows, page


# --- one case ---------------------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    text: str


@dataclass
class FactorLine:
    description: str
    group: str


@dataclass
class LevelBlock:
    name: str
    risks: list[FactorLine]
    protective: list[FactorLine]


@dataclass
class BalansView:
    levels: list[LevelBlock]
    context_score: int | None
    goals: list[str]


@dataclass
class RecordView:
    record: CaseStepRecord
    lines: list[Line]
    balans: BalansView | None = None


@dataclass
class StepView:
    step: Step
    title: str
    status: str  # "done", "skipped", "current", "open"
    records: list[RecordView]


@dataclass
class AnswerView:
    answer: AfwegingAnswer
    question: Question
    branch: str


@dataclass
class NextQuestion:
    question: Question
    with_veilig_thuis: bool
    allowed: Allowed
    note: str = ""


@dataclass
class OutcomeView:
    label: str
    finished: bool
    report_required: bool
    m3_note: str


@dataclass
class ActionView:
    label: str
    allowed: bool
    reason: str
    url: str | None
    again: bool = False  # recording a step that is done already (more signals, a revised decision)


@dataclass
class RelatedView:
    link: CasePupil
    name: str | None  # None: the reader may not see the sibling's name
    url: str | None


@dataclass
class HelpView:
    help: HelpRecord
    partner: str
    evaluations: list[HelpEvaluation]


@dataclass
class CasePage:
    case: MeldcodeCase
    basis: Basis
    facts: CaseFacts
    decision: Decision
    group: str
    final_responsible: Any | None
    signals: list[tuple[Signal, str, str | None]]
    related: list[RelatedView]
    steps: list[StepView]
    answers: list[AnswerView]
    next_question: NextQuestion | None
    outcome: OutcomeView | None
    meldingen: list[Melding]
    information_requests: list[InformationRequest]
    help: list[HelpView]
    deadlines: list[Deadline]
    actions: list[ActionView]
    granted: list[Any]
    may_write: bool
    may_grant: bool
    may_set_manager: bool
    close_allowed: bool
    report_url: str | None

    @property
    def is_open(self) -> bool:
        return self.case.status == CaseStatus.OPEN


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _factor_lines(factors: Iterable[Factor]) -> list[FactorLine]:
    return [
        FactorLine(factor.description, str(GROUP_NAMES[FactorGroup(factor.group)]) if factor.group else "")
        for factor in factors
    ]


def balans_view(balans: Balans | None) -> BalansView | None:
    if balans is None:
        return None
    risks = by_level(balans.risk_factors)
    protective = by_level(balans.protective_factors)
    levels = [
        LevelBlock(str(LEVEL_NAMES[level]), _factor_lines(risks[level]), _factor_lines(protective[level]))
        for level in Level
    ]
    return BalansView(levels, balans.context_score, list(balans.goals))


def _record_view(record: CaseStepRecord) -> RecordView:
    step = Step(record.step)
    spec = STEPS[step]
    content = record.content or {}
    lines: list[Line] = []
    if record.skipped:
        lines.append(Line(_("Why the conversation is left out"), record.skip_reason))
        return RecordView(record, lines)
    for item in spec.records:
        if item.code == "veilig_thuis" and record.veilig_thuis_advice:
            lines.append(Line(str(item.label), str(record.get_veilig_thuis_advice_display())))
        elif item.code == "decision_melden":
            lines.append(Line(str(item.label), _yes_no(record.decision_melden)))
        elif item.code == "decision_hulp":
            lines.append(Line(str(item.label), _yes_no(record.decision_hulp)))
        elif item.code == "decided_by" and record.decided_by is not None:
            lines.append(Line(str(item.label), record.decided_by.display_name))
        elif content.get(item.code):
            lines.append(Line(str(item.label), str(content[item.code])))
    return RecordView(record, lines, balans_view(services.balans_from_data(record.balans)))


def _step_views(case: MeldcodeCase, facts: CaseFacts) -> list[StepView]:
    records: dict[Step, list[RecordView]] = {step: [] for step in Step}
    for record in case.step_records.select_related("author", "decided_by").order_by("recorded_at", "id"):
        records[Step(record.step)].append(_record_view(record))
    current = next_step(facts) if not facts.closed else None
    views = []
    for step in Step:
        if step is Step.CONVERSATION and facts.conversation_skipped:
            status = "skipped"
        elif step_done(facts, step):
            status = "done"
        elif step is current:
            status = "current"
        else:
            status = "open"
        views.append(StepView(step, step_title(step), status, records[step]))
    return views


def _answers(case: MeldcodeCase) -> list[AnswerView]:
    return [
        AnswerView(row, QUESTIONS[row.question], str(QUESTIONS[row.question].branch(row.answer).label))
        for row in case.answers.select_related("author").order_by("question")
    ]


def _outcome(decision: Decision) -> OutcomeView | None:
    if decision.outcome is None and not decision.report_required:
        return None
    outcome = Outcome.REPORT if decision.report_required and decision.outcome is None else decision.outcome
    assert outcome is not None
    return OutcomeView(
        label=str(OUTCOME_LABELS[outcome]),
        finished=decision.next_question is None,
        report_required=decision.report_required,
        m3_note=str(M3_NOTE) if decision.report_required else "",
    )


# The events the page offers and where each one is done. ANSWER_QUESTION, RECORD_FEEDBACK and
# CLOSE_CASE are forms on the case page itself (an anchor).
def _action_url(case: MeldcodeCase, event: Event) -> str | None:
    detail = url_or_none("meldcode:case_detail", case.pk)
    anchors = {
        Event.ANSWER_QUESTION: "afweging",
        Event.RECORD_FEEDBACK: "meldingen",
        Event.CLOSE_CASE: "sluiten",
    }
    if event in anchors:
        return f"{detail}#{anchors[event]}" if detail else None
    steps = {
        Event.RECORD_SIGNALS: Step.SIGNALS,
        Event.RECORD_CONSULTATION: Step.CONSULTATION,
        Event.RECORD_CONVERSATION: Step.CONVERSATION,
        Event.RECORD_WEIGHING: Step.WEIGHING,
        Event.RECORD_DECISION: Step.DECISION,
    }
    if event in steps:
        return url_or_none("meldcode:step_record", case.pk, int(steps[event]))
    names = {
        Event.SKIP_CONVERSATION: "meldcode:conversation_skip",
        Event.RECORD_MELDING: "meldcode:melding_record",
        Event.RECORD_HELP: "meldcode:help_record",
    }
    return url_or_none(names[event], case.pk)


def probe_facts(event: Event, facts: CaseFacts) -> CaseFacts:
    """FACTS with what the form of EVENT asks for filled in, so a button is disabled only for a
    reason outside its form: the reason to leave out the conversation, a decision of step 5 that
    follows the afwegingskader, the agreements on monitoring asked when closing."""
    if event is Event.SKIP_CONVERSATION:
        return dataclasses.replace(facts, conversation_skip_reason=facts.conversation_skip_reason or "-")
    if event is Event.RECORD_DECISION:
        # A decision that follows the afwegingskader: melden when it requires a melding, not
        # otherwise; help offered.
        return dataclasses.replace(facts, decision_melden=facts.report_required, decision_hulp=True)
    if event is Event.CLOSE_CASE and facts.afweging_outcome == Outcome.CLOSE_WITH_MONITORING:
        return dataclasses.replace(facts, monitoring_agreements=facts.monitoring_agreements or "-")
    return facts


_STEP_OF_EVENT: dict[Event, Step] = {
    Event.RECORD_SIGNALS: Step.SIGNALS,
    Event.RECORD_CONSULTATION: Step.CONSULTATION,
    Event.RECORD_CONVERSATION: Step.CONVERSATION,
    Event.SKIP_CONVERSATION: Step.CONVERSATION,
    Event.RECORD_WEIGHING: Step.WEIGHING,
    Event.RECORD_DECISION: Step.DECISION,
}


def _actions(case: MeldcodeCase, facts: CaseFacts) -> list[ActionView]:
    views = []
    for event in Event:
        result = check(event, probe_facts(event, facts))
        url = _action_url(case, event)
        step = _STEP_OF_EVENT.get(event)
        views.append(
            ActionView(
                label=str(EVENT_LABELS[event]),
                allowed=result.allowed and url is not None,
                reason=result.reason,
                url=url if result.allowed else None,
                again=step is not None and step_done(facts, step),
            )
        )
    return views


def _related(ctx: AccessContext, case: MeldcodeCase, day: date) -> list[RelatedView]:
    views = []
    for link in case.related_pupils.select_related("pupil").order_by("added_at", "id"):
        if sibling_name_visible(ctx, link.pupil, day):
            views.append(
                RelatedView(link, link.pupil.full_name, url_or_none("schools:pupil_detail", link.pupil_id))
            )
        else:
            views.append(RelatedView(link, None, None))
    return views


def _help(case: MeldcodeCase) -> list[HelpView]:
    rows = list(case.help_records.select_related("partner", "recorded_by").order_by("starts_on", "id"))
    evaluations: dict[int, list[HelpEvaluation]] = {row.pk: [] for row in rows}
    for evaluation in HelpEvaluation.objects.filter(help_id__in=list(evaluations)).select_related(
        "held_by", "planned_by"
    ):
        evaluations[evaluation.help_id].append(evaluation)
    return [
        HelpView(
            row,
            row.partner.organisation if row.partner is not None else row.partner_other,
            evaluations[row.pk],
        )
        for row in rows
    ]


def case_deadlines(case: MeldcodeCase) -> list[Deadline]:
    return list(
        Deadline.objects.filter(case_id=case.pk, visibility=DeadlineVisibility.MELDCODE_CASE).order_by(
            "due_on", "pk"
        )
    )


def case_page(ctx: AccessContext, case: MeldcodeCase, basis: Basis, day: date) -> CasePage:
    """Everything the case page shows to a reader with BASIS."""
    facts = services.facts_for(case)
    decision = services.decision_for(case)
    writer = may_write(basis) and not facts.closed
    next_question = None
    if decision.next_question is not None:
        with_vt = services.with_veilig_thuis_required(decision, facts)
        next_question = NextQuestion(
            QUESTIONS[decision.next_question],
            with_vt,
            check(Event.ANSWER_QUESTION, facts),
            str(VEILIG_THUIS_NOTE) if with_vt else "",
        )
    signals = [
        (signal, signal_label(signal), url_or_none("incidents:signal_detail", signal.pk))
        for signal in case.signals.order_by("-happened_at", "-id")
    ]
    return CasePage(
        case=case,
        basis=basis,
        facts=facts,
        decision=decision,
        group=pupil_group_names([case.pupil_id], day).get(case.pupil_id, ""),
        final_responsible=case.school.meldcode_final_responsible,
        signals=signals,
        related=_related(ctx, case, day),
        steps=_step_views(case, facts),
        answers=_answers(case),
        next_question=next_question,
        outcome=_outcome(decision),
        meldingen=list(
            case.meldingen.select_related("filed_by", "reminder", "feedback_recorded_by").order_by(
                "melded_at", "id"
            )
        ),
        information_requests=list(case.information_requests.select_related("recorded_by")),
        help=_help(case),
        deadlines=case_deadlines(case),
        actions=_actions(case, facts) if writer else [],
        granted=services.granted_users(case),
        may_write=writer,
        may_grant=may_grant(basis) and not facts.closed,
        may_set_manager=bool(ctx.roles_at(case.school_id) & SCHOOL_WIDE_ROLES) and not facts.closed,
        close_allowed=check(Event.CLOSE_CASE, probe_facts(Event.CLOSE_CASE, facts)).allowed,
        report_url=url_or_none("meldcode:report_edit", case.pk) if may_write(basis) else None,
    )


def melding_of(case: MeldcodeCase, melding_id: int) -> Melding | None:
    return Melding.objects.filter(pk=melding_id, case=case).select_related("case").first()


def evaluation_of(case: MeldcodeCase, evaluation_id: int) -> HelpEvaluation | None:
    return (
        HelpEvaluation.objects.filter(pk=evaluation_id, help__case=case).select_related("help__case").first()
    )
