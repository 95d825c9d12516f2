"""The Meldcode case: opening, access, the five steps, the afwegingskader, the melding and its
follow-up, the help, closing and the Rapportage Meldcode.

Every write locks the case row first (`select_for_update`), so two people acting on one case at
once are served one after the other and the second sees the first one's result. It reads the
case's facts from the database (`facts_for`), asks the Meldcode's guards
(`meldcode.domain.steps.require`), and writes an audit event (ids only) and, for what belongs in
the pupil's chronology, a `DossierEntry` with visibility "meldcode_case" in the same transaction.
Dossier titles are stored Dutch text (the record is evidence, not a screen label).

Who may do what is decided in `meldcode.permissions`; the services check it again (a service is
also called from commands and the demo).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Signal
from lev.audit.services import record
from lev.deadlines.domain import DeadlineError
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.services import deadline_meet, deadline_open, deadline_waive
from lev.dossier.models import Visibility
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_case, count_melding
from lev.schools.models import Membership, Pupil, School, SocialMapEntry
from lev.schools.permissions import grant_object, has_object_grant, revoke_object, roles_on, users_granted

from .domain.afwegingskader import QUESTION_KEYS, Decision, asked_with_veilig_thuis, evaluate
from .domain.balans import Balans, Factor, FactorGroup, Level
from .domain.steps import (
    STEPS,
    CaseFacts,
    Event,
    Step,
    check_step,
    melding_day,
    require,
)
from .models import (
    AfwegingAnswer,
    CasePupil,
    CaseReport,
    CaseStatus,
    CaseStepRecord,
    ConsentStatus,
    FeedbackKind,
    HelpEvaluation,
    HelpRecord,
    InformationRequest,
    MeldcodeCase,
    Melding,
    VeiligThuisAdvice,
)
from .permissions import (
    CASE_MANAGER_ROLES,
    CASE_PERM,
    GRANTABLE_ROLES,
    OPEN_ROLES,
    SCHOOL_WIDE_ROLES,
    Basis,
    access_basis,
    may_grant,
    may_write,
    may_write_report,
)

DOSSIER_KIND = "meldcode"
FEEDBACK_RULE = "veilig-thuis-beoordeling"
EVALUATION_RULE = "evaluatie-hulp-meldcode"
EVALUATION_SUBJECT = "meldcode.helpevaluation"


def happened_at(day: date, now: datetime) -> datetime:
    """The moment a dated record happened: NOW when DAY is today, otherwise noon of DAY."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _not_future(day: date, now: datetime, field: str) -> None:
    if day > timezone.localdate(now):
        raise ValidationError({field: _("This date lies in the future. Record what has happened.")})


def first_signal_day(case: MeldcodeCase) -> date | None:
    """The day of the earliest signal the case was opened from: nothing of the case happened before."""
    first = case.signals.order_by("happened_at").values_list("happened_at", flat=True).first()
    return timezone.localdate(first) if first is not None else None


def _not_before_signals(case: MeldcodeCase, day: date, field: str) -> None:
    first = first_signal_day(case)
    if first is not None and day < first:
        raise ValidationError(
            {
                field: _("This date lies before the first signal of the case ({day}).").format(
                    day=first.strftime("%d-%m-%Y")
                )
            }
        )


# --- reading -------------------------------------------------------------------------------------


def decision_for(case: MeldcodeCase) -> Decision:
    answers = dict(case.answers.values_list("question", "answer"))
    return evaluate(answers)


def latest_record(case: MeldcodeCase, step: Step) -> CaseStepRecord | None:
    return case.step_records.filter(step=int(step)).order_by("-recorded_at", "-id").first()


def facts_for(case: MeldcodeCase, **overrides: Any) -> CaseFacts:
    """What the Meldcode's guards need to know about CASE; OVERRIDES add what the action itself
    brings (the decision of step 5 being recorded, the reason to leave out the conversation)."""
    records = list(case.step_records.values("step", "skipped", "skip_reason"))
    steps_done = frozenset(Step(r["step"]) for r in records if not r["skipped"])
    skip_reason = next((r["skip_reason"] for r in reversed(records) if r["skipped"]), "")
    decision = latest_record(case, Step.DECISION)
    meldingen = list(case.meldingen.values_list("after_help_failed", flat=True))
    facts = CaseFacts(
        steps_done=steps_done,
        conversation_skip_reason=skip_reason,
        decision_melden=decision.decision_melden if decision is not None else None,
        decision_hulp=decision.decision_hulp if decision is not None else None,
        melding_recorded=bool(meldingen),
        melding_after_help_failed=any(meldingen),
        help_organised=case.help_records.exists(),
        monitoring_agreements=case.monitoring_agreements,
        closed=case.status == CaseStatus.CLOSED,
    ).with_decision(decision_for(case))
    return dataclasses.replace(facts, **overrides) if overrides else facts


# --- writing: helpers ----------------------------------------------------------------------------


def locked_case(case: MeldcodeCase) -> MeldcodeCase:
    """CASE re-read under a row lock (inside a transaction)."""
    return (
        MeldcodeCase.objects.select_for_update(of=("self",)).select_related("school", "pupil").get(pk=case.pk)
    )


def _require_write(actor: Any, case: MeldcodeCase, now: datetime) -> Basis:
    basis = access_basis(actor, case, timezone.localdate(now))
    if not may_write(basis):
        raise PermissionDenied("This user may not work on this Meldcode case.")
    assert basis is not None
    return basis


def _touch(case: MeldcodeCase, now: datetime) -> None:
    case.updated_at = now
    case.save(update_fields=["updated_at"])


def _entry(
    case: MeldcodeCase,
    *,
    title: str,
    summary: str,
    day: date,
    actor: Any,
    now: datetime,
    source: Any,
    at: datetime | None = None,
) -> None:
    """The case's entry in the pupil's chronology, at AT when the moment is known (a melding),
    otherwise on DAY."""
    entry_record(
        pupil=case.pupil,
        kind=DOSSIER_KIND,
        title=title,
        summary=summary,
        happened_at=at if at is not None else happened_at(day, now),
        author=actor,
        now=now,
        visibility=Visibility.MELDCODE_CASE,
        meldcode_case_id=case.pk,
        source=source,
    )


def _recorded(
    case: MeldcodeCase,
    row: Any,
    *,
    action: str,
    summary: Mapping[str, Any],
    title: str,
    day: date,
    actor: Any,
    now: datetime,
    entry_summary: str = "",
    at: datetime | None = None,
) -> None:
    """What follows every record of a case, in the caller's transaction: the audit event (ids
    only, on the case's board), the entry in the pupil's chronology pointing at ROW, and the case's
    last change."""
    record(action, actor=actor, board=case.board, obj=row, summary=summary, now=now)
    _entry(case, title=title, summary=entry_summary, day=day, actor=actor, now=now, source=row, at=at)
    _touch(case, now)


def _member_with(user: Any, school: School, roles: frozenset[str], day: date) -> bool:
    return bool(roles_on(user, school, day) & roles)


def final_responsible(school: School, day: date) -> Any | None:
    """The school's eindverantwoordelijke for the decision of step 5 on DAY: the person the school
    named, while still working at the school; None otherwise (then the director or deputy decides)."""
    person = school.meldcode_final_responsible
    if person is None or not person.is_active or not roles_on(person, school, day):
        return None
    return person


# --- opening a case, related pupils, access ----------------------------------------------------


def _next_number(school: School, day: date) -> str:
    prefix = f"MC-{day.year}-"
    used = MeldcodeCase.objects.filter(school=school, number__startswith=prefix).count()
    return f"{prefix}{used + 1:03d}"


def case_open(
    *,
    pupil: Pupil,
    signals: Sequence[Signal],
    reason: str,
    actor: Any,
    now: datetime,
    case_manager: Any | None = None,
) -> MeldcodeCase:
    """Open a case about PUPIL from SIGNALS (at least one, of the pupil, at the pupil's school).

    The actor is a care coordinator, director or deputy of the school; the case manager (the actor
    when not given) one of those roles too.
    """
    day = timezone.localdate(now)
    school = pupil.school
    if not _member_with(actor, school, OPEN_ROLES, day):
        raise PermissionDenied("Only the school's care coordinator, director or deputy opens a case.")
    manager = case_manager or actor
    errors: dict[str, str] = {}
    if not manager.is_active or not _member_with(manager, school, CASE_MANAGER_ROLES, day):
        errors["case_manager"] = _(
            "The case manager is a care coordinator, director or deputy director of this school."
        )
    if not reason.strip():
        errors["reason"] = _("Say why you open a Meldcode case: which worries.")
    signal_ids = sorted({signal.pk for signal in signals})
    if not signal_ids:
        errors["signals"] = _("Choose at least one signal about this pupil to open the case from.")
    elif Signal.objects.filter(pk__in=signal_ids, school=school, pupils=pupil).distinct().count() != len(
        signal_ids
    ):
        errors["signals"] = _("Choose only signals about this pupil, recorded at this school.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()
        case = MeldcodeCase.objects.create(
            board_id=school.board_id,
            school=school,
            pupil=pupil,
            number=_next_number(school, day),
            case_manager=manager,
            reason=reason.strip(),
            opened_at=now,
            opened_by=actor,
            updated_at=now,
        )
        case.signals.set(signal_ids)
        count_case(case)
        record(
            "meldcode_case_opened",
            actor=actor,
            obj=case,
            summary={"pupil_id": pupil.pk, "signals": signal_ids, "case_manager": manager.pk},
            now=now,
        )
        _entry(
            case,
            title="Meldcode-casus geopend",
            summary=f"Casus {case.number}: {case.reason}",
            day=day,
            actor=actor,
            now=now,
            source=case,
        )
    return case


def related_pupil_add(
    *, case: MeldcodeCase, pupil: Pupil, relation: str, actor: Any, now: datetime
) -> CasePupil:
    """Add a sibling at the school the case also concerns; the sibling's own chronology gets an
    entry under the case's access (so one child's file never shows the other's case)."""
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        require_open(case)
        errors: dict[str, str] = {}
        if pupil.school_id != case.school_id:
            errors["pupil"] = _("Choose a pupil of this school.")
        elif pupil.pk == case.pupil_id or case.related_pupils.filter(pupil=pupil).exists():
            errors["pupil"] = _("This pupil is part of the case already.")
        if not relation.strip():
            errors["relation"] = _("Say how this pupil is related (for example: brother, sister).")
        if errors:
            raise ValidationError(errors)
        link = CasePupil.objects.create(
            case=case, pupil=pupil, relation=relation.strip(), added_by=actor, added_at=now
        )
        record("meldcode_related_pupil_added", actor=actor, obj=case, summary={"pupil_id": pupil.pk}, now=now)
        entry_record(
            pupil=pupil,
            kind=DOSSIER_KIND,
            title="Betrokken bij een Meldcode-casus",
            summary=f"Casus {case.number} ({relation.strip()})",
            happened_at=now,
            author=actor,
            now=now,
            visibility=Visibility.MELDCODE_CASE,
            meldcode_case_id=case.pk,
            source=link,
        )
        _touch(case, now)
    return link


def require_open(case: MeldcodeCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Open a new case to continue."))


def access_grant(*, case: MeldcodeCase, user: Any, actor: Any, now: datetime) -> None:
    """Give USER (staff of the case's school) access to CASE: read access, per case, revocable."""
    day = timezone.localdate(now)
    with transaction.atomic():
        case = locked_case(case)
        if not may_grant(access_basis(actor, case, day)):
            raise PermissionDenied("Only the case manager, the director or the deputy grants access.")
        if not user.is_active or not _member_with(user, case.school, GRANTABLE_ROLES, day):
            raise ValidationError({"user": _("Choose a staff member of this school.")})
        if access_basis(user, case, day) is not None:
            raise ValidationError({"user": _("This person has access to the case already.")})
        grant_object(user, CASE_PERM, case)
        record("meldcode_access_granted", actor=actor, obj=case, summary={"user_id": user.pk}, now=now)
        _touch(case, now)


def access_revoke(*, case: MeldcodeCase, user: Any, actor: Any, now: datetime) -> None:
    """End USER's granted access to CASE (from the next request on)."""
    day = timezone.localdate(now)
    with transaction.atomic():
        case = locked_case(case)
        if not may_grant(access_basis(actor, case, day)):
            raise PermissionDenied("Only the case manager, the director or the deputy revokes access.")
        if not has_object_grant(user, CASE_PERM, case):
            raise ValidationError({"user": _("This person has no granted access to the case.")})
        revoke_object(user, CASE_PERM, case)
        record("meldcode_access_revoked", actor=actor, obj=case, summary={"user_id": user.pk}, now=now)
        _touch(case, now)


def granted_users(case: MeldcodeCase) -> list[Any]:
    """The users with a grant on CASE who are still members of its school (the case page's list)."""
    users = users_granted("access_case", case)
    members = set(
        Membership.objects.active_on(timezone.localdate())
        .filter(school_id=case.school_id)
        .values_list("user_id", flat=True)
    )
    return sorted((user for user in users if user.pk in members), key=lambda user: user.get_full_name())


def case_manager_set(*, case: MeldcodeCase, manager: Any, actor: Any, now: datetime) -> None:
    """Hand the case to another case manager (the director or deputy decides)."""
    day = timezone.localdate(now)
    with transaction.atomic():
        case = locked_case(case)
        if not _member_with(actor, case.school, SCHOOL_WIDE_ROLES, day):
            raise PermissionDenied("Only the director or deputy hands a case to another case manager.")
        require_open(case)
        if not manager.is_active or not _member_with(manager, case.school, CASE_MANAGER_ROLES, day):
            raise ValidationError(
                {
                    "case_manager": _(
                        "The case manager is a care coordinator, director or deputy director of this school."
                    )
                }
            )
        previous = case.case_manager_id
        case.case_manager = manager
        case.updated_at = now
        case.save(update_fields=["case_manager", "updated_at"])
        Deadline.objects.filter(
            case_id=case.pk,
            visibility=DeadlineVisibility.MELDCODE_CASE,
            status__in=(DeadlineStatus.OPEN, DeadlineStatus.MISSED, DeadlineStatus.SUSPENDED),
        ).update(responsible_user=manager, updated_at=now)
        record(
            "meldcode_case_manager_changed",
            actor=actor,
            obj=case,
            summary={"from": previous, "to": manager.pk},
            now=now,
        )


# --- the five steps ------------------------------------------------------------------------------

# What each step's form may hold besides date and author (the rest is refused).
CONTENT_CODES: Mapping[Step, tuple[str, ...]] = {
    step: tuple(r.code for r in spec.records if r.code not in {"afwegingskader", "balansmodel", "decided_by"})
    for step, spec in STEPS.items()
}


def _balans_data(balans: Balans) -> dict[str, Any]:
    def factors(items: Sequence[Factor]) -> list[dict[str, str]]:
        return [
            {
                "level": str(f.level),
                "description": f.description.strip(),
                "group": str(f.group) if f.group else "",
            }
            for f in items
        ]

    return {
        "risk_factors": factors(balans.risk_factors),
        "protective_factors": factors(balans.protective_factors),
        "context_score": balans.context_score,
        "goals": [goal.strip() for goal in balans.goals if goal.strip()],
    }


def balans_from_data(data: Mapping[str, Any] | None) -> Balans | None:
    """The stored Balansmodel of a step-4 record, as the domain's value."""
    if not data:
        return None

    def factors(items: Sequence[Mapping[str, str]]) -> tuple[Factor, ...]:
        return tuple(
            Factor(
                Level(item["level"]),
                item["description"],
                FactorGroup(item["group"]) if item.get("group") else None,
            )
            for item in items
        )

    return Balans(
        risk_factors=factors(data.get("risk_factors", [])),
        protective_factors=factors(data.get("protective_factors", [])),
        context_score=data.get("context_score"),
        goals=tuple(data.get("goals", [])),
    )


STEP_TITLES: Mapping[Step, str] = {
    Step.SIGNALS: "Meldcode stap 1: signalen in kaart gebracht",
    Step.CONSULTATION: "Meldcode stap 2: collegiale consultatie en advies",
    Step.CONVERSATION: "Meldcode stap 3: gesprek met de ouders",
    Step.WEIGHING: "Meldcode stap 4: zorgen gewogen",
    Step.DECISION: "Meldcode stap 5: besluit over melden en hulp",
}
STEP_EVENTS: Mapping[Step, Event] = {
    Step.SIGNALS: Event.RECORD_SIGNALS,
    Step.CONSULTATION: Event.RECORD_CONSULTATION,
    Step.CONVERSATION: Event.RECORD_CONVERSATION,
    Step.WEIGHING: Event.RECORD_WEIGHING,
    Step.DECISION: Event.RECORD_DECISION,
}


def step_record(
    *,
    case: MeldcodeCase,
    step: Step | int,
    recorded_on: date,
    content: Mapping[str, str],
    actor: Any,
    now: datetime,
    veilig_thuis_advice: str = "",
    balans: Balans | None = None,
    decision_melden: bool | None = None,
    decision_hulp: bool | None = None,
    decided_by: Any | None = None,
) -> CaseStepRecord:
    """Record one of the five steps (M1). Raises MeldcodeRefused when the step may not be recorded
    now (an earlier step missing, the afwegingskader without outcome, a decision against the
    outcome), ValidationError when the form lacks what the step records."""
    step = Step(step)
    _not_future(recorded_on, now, "recorded_on")
    unknown = set(content) - set(CONTENT_CODES[step])
    if unknown:
        raise ValueError(f"Unknown records for step {int(step)}: {sorted(unknown)}")
    text = {code: str(value).strip() for code, value in content.items() if str(value).strip()}
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        _not_before_signals(case, recorded_on, "recorded_on")
        day = timezone.localdate(now)
        overrides: dict[str, Any] = {}
        if step is Step.DECISION:
            overrides = {"decision_melden": decision_melden, "decision_hulp": decision_hulp}
        facts = facts_for(case, **overrides)
        require(STEP_EVENTS[step], facts)
        filled = {"date", "author", *text}
        errors: dict[str, list[str]] = {}
        # The advice of Veilig Thuis and who decided are checked here, each at its own form field;
        # `check_step` would add a second message at a field the form does not have.
        if step is Step.CONSULTATION:
            filled.add("veilig_thuis")
            if veilig_thuis_advice not in VeiligThuisAdvice.values:
                errors.setdefault("veilig_thuis_advice", []).append(
                    _("Say whether Veilig Thuis was asked for advice.")
                )
        if step is Step.WEIGHING:
            filled.add("afwegingskader")  # the answers are recorded one by one (the guard checks one exists)
            if balans is not None:
                outcome = balans.check()
                for notice in outcome.refusals:
                    errors.setdefault(notice.field or "balans", []).append(notice.message)
        if step is Step.DECISION:
            final = final_responsible(case.school, day)
            if decided_by is None:
                errors.setdefault("decided_by", []).append(_("Say who decided."))
            elif final is not None and decided_by.pk != final.pk:
                errors.setdefault("decided_by", []).append(
                    _(
                        "The decision is taken by the school's eindverantwoordelijke for the Meldcode: {name}."
                    ).format(name=final.get_full_name())
                )
            elif final is None and not _member_with(decided_by, case.school, SCHOOL_WIDE_ROLES, day):
                errors.setdefault("decided_by", []).append(
                    _("The school has no eindverantwoordelijke: the director or deputy director decides.")
                )
            filled.update({"decided_by", "decision_melden", "decision_hulp"})  # the guards checked both
        for notice in check_step(step, filled).refusals:
            errors.setdefault(notice.field, []).append(notice.message)
        if errors:
            raise ValidationError(errors)
        row = CaseStepRecord.objects.create(
            case=case,
            step=int(step),
            recorded_on=recorded_on,
            author=actor,
            content=text,
            veilig_thuis_advice=veilig_thuis_advice if step is Step.CONSULTATION else "",
            balans=_balans_data(balans) if step is Step.WEIGHING and balans is not None else None,
            decision_melden=decision_melden if step is Step.DECISION else None,
            decision_hulp=decision_hulp if step is Step.DECISION else None,
            decided_by=decided_by if step is Step.DECISION else None,
            recorded_at=now,
        )
        record(
            "meldcode_step_recorded",
            actor=actor,
            obj=case,
            summary={"step": int(step), "record": row.pk},
            now=now,
        )
        summary = ""
        if step is Step.DECISION:
            summary = "Melden: {melden}. Hulp: {hulp}.".format(
                melden="ja" if decision_melden else "nee", hulp="ja" if decision_hulp else "nee"
            )
        _entry(
            case, title=STEP_TITLES[step], summary=summary, day=recorded_on, actor=actor, now=now, source=row
        )
        _touch(case, now)
    return row


def conversation_skip(
    *, case: MeldcodeCase, reason: str, recorded_on: date, actor: Any, now: datetime
) -> CaseStepRecord:
    """Leave out the conversation with the parents (step 3), with the reason (M4)."""
    _not_future(recorded_on, now, "recorded_on")
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        _not_before_signals(case, recorded_on, "recorded_on")
        require(Event.SKIP_CONVERSATION, facts_for(case, conversation_skip_reason=reason))
        row = CaseStepRecord.objects.create(
            case=case,
            step=int(Step.CONVERSATION),
            recorded_on=recorded_on,
            author=actor,
            skipped=True,
            skip_reason=reason.strip(),
            recorded_at=now,
        )
        record("meldcode_conversation_skipped", actor=actor, obj=case, summary={"record": row.pk}, now=now)
        _entry(
            case,
            title="Meldcode stap 3: gesprek met de ouders overgeslagen",
            summary="",
            day=recorded_on,
            actor=actor,
            now=now,
            source=row,
        )
        _touch(case, now)
    return row


# --- the afwegingskader ---


def with_veilig_thuis_required(decision: Decision, facts: CaseFacts) -> bool:
    """Whether the next question is answered together with Veilig Thuis: questions 3 to 5 after a
    required melding (`asked_with_veilig_thuis`), and also after a melding step 5 chose to make
    without the afwegingskader requiring it (Bijlage 27: "when they follow a melding")."""
    if asked_with_veilig_thuis(decision):
        return True
    return facts.melding_recorded and decision.next_question in {"q3", "q4", "q5"}


def question_answer(
    *,
    case: MeldcodeCase,
    question: str,
    answer: bool,
    reasoning: str,
    answered_on: date,
    with_veilig_thuis: bool,
    actor: Any,
    now: datetime,
) -> AfwegingAnswer:
    """Answer the afwegingskader's next question (Bijlage 27; M2), with its reasoning. Only the
    question the walk has reached may be answered; an answer is never changed."""
    if question not in QUESTION_KEYS:
        raise ValueError(f"Unknown question {question!r}")
    _not_future(answered_on, now, "answered_on")
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        _not_before_signals(case, answered_on, "answered_on")
        facts = facts_for(case)
        require(Event.ANSWER_QUESTION, facts)
        decision = decision_for(case)
        errors: dict[str, str] = {}
        if question != decision.next_question:
            errors["question"] = _(
                "Answer question {number} now: the afwegingskader is walked in order."
            ).format(number=(decision.next_question or "")[1:])
        if not reasoning.strip():
            errors["reasoning"] = _("Write down the reasoning behind the answer.")
        if with_veilig_thuis_required(decision, facts) and not with_veilig_thuis:
            errors["with_veilig_thuis"] = _(
                "This question follows a melding and is answered together with Veilig Thuis (Bijlage 27)."
            )
        if errors:
            raise ValidationError(errors)
        row = AfwegingAnswer.objects.create(
            case=case,
            question=question,
            answer=answer,
            reasoning=reasoning.strip(),
            answered_on=answered_on,
            author=actor,
            with_veilig_thuis=with_veilig_thuis,
            recorded_at=now,
        )
        after = decision_for(case)
        record(
            "meldcode_question_answered",
            actor=actor,
            obj=case,
            summary={
                "question": question,
                "outcome": str(after.outcome or ""),
                "report_required": after.report_required,
            },
            now=now,
        )
        _entry(
            case,
            title=f"Afwegingskader: afweging {question[1:]} beantwoord",
            summary="",
            day=answered_on,
            actor=actor,
            now=now,
            source=row,
        )
        _touch(case, now)
    return row


# --- the melding and Veilig Thuis --------------------------------------------------------------


def melding_record(
    *,
    case: MeldcodeCase,
    melded_at: datetime,
    reference: str,
    identity_shield: bool,
    parents_informed_on: date | None,
    parents_not_informed_reason: str,
    filed_by: Any,
    actor: Any,
    now: datetime,
) -> Melding:
    """Record a melding at Veilig Thuis (M5) and open the reminder to ask for the feedback after
    5 working days (M6: Veilig Thuis's term, never "missed")."""
    if timezone.is_naive(melded_at):
        raise ValueError("melded_at must be an aware datetime")
    errors: dict[str, str] = {}
    if melded_at > now:
        errors["melded_at"] = _("This moment lies in the future. Record the melding once it is made.")
    if parents_informed_on is None and not parents_not_informed_reason.strip():
        errors["parents_informed_on"] = _(
            "Give the date the parents were informed of the melding, or the reason they were not."
        )
    if parents_informed_on is not None and parents_informed_on > timezone.localdate(now):
        errors["parents_informed_on"] = _("This date lies in the future. Record what has happened.")
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        facts = facts_for(case)
        require(Event.RECORD_MELDING, facts)
        if not _member_with(filed_by, case.school, frozenset(GRANTABLE_ROLES), timezone.localdate(now)):
            errors["filed_by"] = _("Choose the staff member of this school who made the melding.")
        decided_on = (
            case.step_records.filter(step=int(Step.DECISION))
            .order_by("recorded_on")
            .values_list("recorded_on", flat=True)
            .first()
        )
        if decided_on is not None and timezone.localdate(melded_at) < decided_on:
            errors.setdefault(
                "melded_at",
                _("The melding follows the decision of step 5 ({day}).").format(
                    day=decided_on.strftime("%d-%m-%Y")
                ),
            )
        if errors:
            raise ValidationError(errors)
        melding = Melding.objects.create(
            case=case,
            melded_at=melded_at,
            reference=reference.strip(),
            identity_shield=identity_shield,
            parents_informed_on=parents_informed_on,
            parents_not_informed_reason=parents_not_informed_reason.strip()
            if parents_informed_on is None
            else "",
            filed_by=filed_by,
            after_help_failed=facts.help_failed,
            recorded_by=actor,
            recorded_at=now,
        )
        try:
            reminder = deadline_open(
                rule_code=FEEDBACK_RULE,
                start=melding_day(melded_at),
                school=case.school,
                subject=melding,
                responsible_role="",
                responsible_user=case.case_manager,
                actor=actor,
                now=now,
                visibility=DeadlineVisibility.MELDCODE_CASE,
                case_id=case.pk,
                others_term=True,
            )
        except DeadlineError as exc:
            raise ValidationError(
                {"melded_at": _("LEV cannot count from this date. Check the date.")}
            ) from exc
        melding.reminder = reminder
        melding.save(update_fields=["reminder"])
        count_melding(melding, school=case.school_id)
        _recorded(
            case,
            melding,
            action="meldcode_melding_recorded",
            summary={
                "case": case.pk,
                "after_help_failed": facts.help_failed,
                "identity_shield": identity_shield,
            },
            title="Melding bij Veilig Thuis gedaan",
            day=timezone.localdate(melded_at),
            actor=actor,
            now=now,
            at=melded_at,
        )
    return melding


def feedback_record(
    *,
    melding: Melding,
    feedback_on: date,
    kind: str,
    feedback: str,
    investigation_started_on: date | None,
    actor: Any,
    now: datetime,
) -> Melding:
    """The feedback from Veilig Thuis on a melding (M6); ends the reminder."""
    errors: dict[str, str] = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = _("Choose what Veilig Thuis decided.")
    if not feedback.strip():
        errors["feedback"] = _("Write down what Veilig Thuis told the school.")
    if feedback_on > timezone.localdate(now):
        errors["feedback_on"] = _("This date lies in the future. Record what has happened.")
    elif feedback_on < timezone.localdate(melding.melded_at):
        errors["feedback_on"] = _("The feedback comes after the melding.")
    if investigation_started_on is not None and (
        investigation_started_on > timezone.localdate(now)
        or investigation_started_on < timezone.localdate(melding.melded_at)
    ):
        errors["investigation_started_on"] = _(
            "The investigation starts after the melding, and not in the future."
        )
    with transaction.atomic():
        case = locked_case(melding.case)
        _require_write(actor, case, now)
        require(Event.RECORD_FEEDBACK, facts_for(case))
        melding = Melding.objects.select_for_update().get(pk=melding.pk)
        if melding.feedback_on is not None:
            errors["feedback_on"] = _("The feedback on this melding is recorded already.")
        if errors:
            raise ValidationError(errors)
        melding.feedback_on = feedback_on
        melding.feedback_kind = kind
        melding.feedback = feedback.strip()
        melding.investigation_started_on = investigation_started_on
        melding.feedback_recorded_by = actor
        melding.save()
        if melding.reminder is not None and melding.reminder.status == DeadlineStatus.OPEN:
            deadline_meet(deadline=melding.reminder, actor=actor, now=now)
        _recorded(
            case,
            melding,
            action="meldcode_feedback_recorded",
            summary={"case": case.pk, "kind": kind},
            title="Terugkoppeling van Veilig Thuis ontvangen",
            entry_summary=str(FeedbackKind(kind).label),
            day=feedback_on,
            actor=actor,
            now=now,
        )
    return melding


def information_request_record(
    *,
    case: MeldcodeCase,
    requested_on: date,
    requested_by: str,
    consent: str,
    shared: str,
    verslag_accorded: bool,
    actor: Any,
    now: datetime,
) -> InformationRequest:
    """Veilig Thuis asked the school for information: what was shared and on what basis."""
    errors: dict[str, str] = {}
    if consent not in ConsentStatus.values:
        errors["consent"] = _("Choose whether the parents consented, or on what basis the school shared.")
    if not shared.strip():
        errors["shared"] = _("Write down what the school shared.")
    if not requested_by.strip():
        errors["requested_by"] = _("Say who at Veilig Thuis asked.")
    if requested_on > timezone.localdate(now):
        errors["requested_on"] = _("This date lies in the future. Record what has happened.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        row = InformationRequest.objects.create(
            case=case,
            requested_on=requested_on,
            requested_by=requested_by.strip(),
            consent=consent,
            shared=shared.strip(),
            verslag_accorded=verslag_accorded,
            recorded_by=actor,
            recorded_at=now,
        )
        _recorded(
            case,
            row,
            action="meldcode_information_request_recorded",
            summary={"case": case.pk, "consent": consent},
            title="Informatieverzoek van Veilig Thuis beantwoord",
            day=requested_on,
            actor=actor,
            now=now,
        )
    return row


# --- help and its evaluations ----------------------------------------------------------------------


def _plan_evaluation(
    help_row: HelpRecord, case: MeldcodeCase, planned_on: date, actor: Any, now: datetime
) -> HelpEvaluation:
    if planned_on < timezone.localdate(now):
        raise ValidationError({"evaluate_on": _("Plan the evaluation today or later.")})
    evaluation = HelpEvaluation.objects.create(
        help=help_row, planned_on=planned_on, planned_by=actor, recorded_at=now
    )
    try:
        deadline = deadline_open(
            rule_code=EVALUATION_RULE,
            start=planned_on,
            school=case.school,
            subject=evaluation,
            responsible_role="",
            responsible_user=case.case_manager,
            actor=actor,
            now=now,
            visibility=DeadlineVisibility.MELDCODE_CASE,
            case_id=case.pk,
        )
    except DeadlineError as exc:
        raise ValidationError(
            {"evaluate_on": _("LEV cannot plan an evaluation on this date. Choose another date.")}
        ) from exc
    evaluation.deadline = deadline
    evaluation.save(update_fields=["deadline"])
    return evaluation


def help_record(
    *,
    case: MeldcodeCase,
    description: str,
    partner: SocialMapEntry | None,
    partner_other: str,
    starts_on: date,
    evaluate_on: date,
    actor: Any,
    now: datetime,
) -> HelpRecord:
    """Record the help offered or organised and with whom, and plan its first evaluation."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the help.")
    if partner is None and not partner_other.strip():
        errors["partner"] = _("Choose the partner from the social map, or name who gives the help.")
    if partner is not None and partner.school_id != case.school_id:
        errors["partner"] = _("Choose a partner from this school's social map.")
    if evaluate_on < starts_on:
        errors["evaluate_on"] = _("The evaluation comes after the help starts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        require(Event.RECORD_HELP, facts_for(case))
        row = HelpRecord.objects.create(
            case=case,
            description=description.strip(),
            partner=partner,
            partner_other=partner_other.strip() if partner is None else "",
            starts_on=starts_on,
            recorded_by=actor,
            recorded_at=now,
        )
        _plan_evaluation(row, case, evaluate_on, actor, now)
        _recorded(
            case,
            row,
            action="meldcode_help_recorded",
            summary={"case": case.pk},
            title="Hulp ingezet (Meldcode)",
            day=min(starts_on, timezone.localdate(now)),
            actor=actor,
            now=now,
        )
    return row


def evaluation_record(
    *,
    evaluation: HelpEvaluation,
    held_on: date,
    conclusion: str,
    next_on: date | None,
    actor: Any,
    now: datetime,
) -> HelpEvaluation:
    """Record a planned evaluation as held, with its conclusion; plan the next one if given."""
    errors: dict[str, str] = {}
    if not conclusion.strip():
        errors["conclusion"] = _("Write down the conclusion of the evaluation.")
    if held_on > timezone.localdate(now):
        errors["held_on"] = _("This date lies in the future. Record what has happened.")
    with transaction.atomic():
        case = locked_case(evaluation.help.case)
        _require_write(actor, case, now)
        require_open(case)
        evaluation = HelpEvaluation.objects.select_for_update().select_related("help").get(pk=evaluation.pk)
        if evaluation.held_on is not None:
            errors["held_on"] = _("This evaluation is recorded already.")
        elif held_on < evaluation.help.starts_on:
            errors["held_on"] = _("The evaluation comes after the help started ({day}).").format(
                day=evaluation.help.starts_on.strftime("%d-%m-%Y")
            )
        if errors:
            raise ValidationError(errors)
        evaluation.held_on = held_on
        evaluation.conclusion = conclusion.strip()
        evaluation.held_by = actor
        evaluation.save(update_fields=["held_on", "conclusion", "held_by"])
        if evaluation.deadline is not None and evaluation.deadline.status in (
            DeadlineStatus.OPEN,
            DeadlineStatus.MISSED,
        ):
            deadline_meet(deadline=evaluation.deadline, actor=actor, now=now)
        if next_on is not None:
            _plan_evaluation(evaluation.help, case, next_on, actor, now)
        _recorded(
            case,
            evaluation,
            action="meldcode_evaluation_recorded",
            summary={"case": case.pk},
            title="Hulp geëvalueerd (Meldcode)",
            day=held_on,
            actor=actor,
            now=now,
        )
    return evaluation


# --- closing -------------------------------------------------------------------------------------


def case_close(
    *, case: MeldcodeCase, closing_note: str, monitoring_agreements: str, actor: Any, now: datetime
) -> MeldcodeCase:
    """Close the case where the afwegingskader ends (M2, M3): never with a required melding missing,
    never against the outcome. Open reminders and planned evaluations end with it."""
    with transaction.atomic():
        case = locked_case(case)
        _require_write(actor, case, now)
        agreements = monitoring_agreements.strip() or case.monitoring_agreements
        require(Event.CLOSE_CASE, facts_for(case, monitoring_agreements=agreements))
        if not closing_note.strip():
            raise ValidationError({"closing_note": _("Write a closing note: how the case ended.")})
        for deadline in Deadline.objects.filter(
            case_id=case.pk,
            visibility=DeadlineVisibility.MELDCODE_CASE,
            status__in=(DeadlineStatus.OPEN, DeadlineStatus.MISSED, DeadlineStatus.SUSPENDED),
        ):
            deadline_waive(deadline=deadline, reason="De Meldcode-casus is gesloten.", actor=actor, now=now)
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        case.closed_by = actor
        case.closing_note = closing_note.strip()
        case.monitoring_agreements = agreements
        case.updated_at = now
        case.save(
            update_fields=[
                "status",
                "closed_at",
                "closed_by",
                "closing_note",
                "monitoring_agreements",
                "updated_at",
            ]
        )
        decision = decision_for(case)
        record(
            "meldcode_case_closed",
            actor=actor,
            obj=case,
            summary={"outcome": str(decision.outcome or "")},
            now=now,
        )
        _entry(
            case,
            title="Meldcode-casus gesloten",
            summary="",
            day=timezone.localdate(now),
            actor=actor,
            now=now,
            source=case,
        )
    return case


# --- the Rapportage Meldcode (Bijlage 10) ----------------------------------------------------------

REPORT_FIELDS = (
    "subject",
    "description",
    "unrest",
    "involved",
    "activities",
    "informing",
    "external_consultation",
    "bottlenecks",
    "remarks",
)
REPORT_REQUIRED = ("subject", "description", "involved", "activities")


def report_save(
    *, case: MeldcodeCase, report_on: date, values: Mapping[str, str], actor: Any, now: datetime
) -> CaseReport:
    """Write or update the Rapportage Meldcode of CASE (Bijlage 10), by the case manager (or the
    director or deputy). Every save also inserts a `CaseReportVersion` with the text as saved (never
    changed afterwards), so the text of an exported bundle can be rebuilt; the audit event names it.
    The report's date may not lie after the day of NOW."""
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown report fields: {sorted(unknown)}")
    clean = {field: str(values.get(field, "")).strip() for field in REPORT_FIELDS}
    errors = {
        field: _("This is required in the Rapportage Meldcode.")
        for field in REPORT_REQUIRED
        if not clean[field]
    }
    if report_on > timezone.localdate(now):
        errors["report_on"] = _("This date lies in the future. Record what has happened.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = locked_case(case)
        if not may_write_report(access_basis(actor, case, timezone.localdate(now))):
            raise PermissionDenied("The report is written by the case manager, the director or the deputy.")
        report, created = CaseReport.objects.update_or_create(
            case=case, defaults={**clean, "report_on": report_on, "written_by": actor, "updated_at": now}
        )
        version = case.report_versions.create(**clean, report_on=report_on, written_by=actor, saved_at=now)
        record(
            "meldcode_report_saved",
            actor=actor,
            obj=case,
            summary={"created": created, "version": version.pk},
            now=now,
        )
        _touch(case, now)
    return report
