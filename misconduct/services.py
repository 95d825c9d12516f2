"""Writing reports of misconduct by staff, their steps, and the vertrouwenspersoon's notes.

`report_file` writes, in one transaction: the report, a board-only `DossierEntry` per pupil
concerned (never on the school's pupil page), the onverwijld deadline of every step that starts with
the report reaching the board (WPO 4a: consulting the vertrouwensinspecteur; physical violence: the
four steps of its route), each board-only with the board as responsible role, and one audit row.

`report_step_record` writes the step row, meets the step's deadline, opens the deadlines the step
starts (a reasonable suspicion: informing and the aangifte; the aangifte: telling the
vertrouwensinspecteur) and, when the board finds no reasonable suspicion, closes the report with the
reasons. `report_close` closes a report once every required step is recorded.

`confidant_note_record`, `confidant_note_correct` (a new note pointing at the old one, with a
reason) and `confidant_note_to_report` (the note's facts become a report to the board; the note stays
the author's own) keep the vertrouwenspersoon's notes.

Audit rows hold ids, step codes and counts, never what was written. Stored text of the record (the
dossier entry's title, the reason a term was waived) is Dutch, like the deadline explanations.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lev.audit.services import record
from lev.deadlines.domain import DeadlineError
from lev.deadlines.models import DeadlineStatus
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.services import deadline_meet, deadline_open, deadline_waive
from lev.dossier.models import Observation
from lev.dossier.models import Visibility as DossierVisibility
from lev.dossier.services import entry_record
from lev.schools.models import Membership, Pupil, Role, School
from lev.schools.permissions import is_board_member as board_member_on

from .domain import steps as domain
from .models import (
    ConfidantNote,
    MisconductReport,
    MisconductStep,
    ReportDeadline,
    ReportKind,
    ReportSource,
    ReportStatus,
    StepCode,
)
from .permissions import REPORTER_ROLES

DOSSIER_KIND = "misconduct_report"
DOSSIER_TITLES = {
    ReportKind.SEXUAL: "Melding aan het bestuur: seksueel grensoverschrijdend gedrag door een medewerker (WPO art. 4a)",
    ReportKind.PHYSICAL: "Melding aan het bestuur: fysiek geweld door een medewerker",
}
WAIVED_ON_CLOSE = "De melding is door het bestuur afgesloten."
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.MISSED)

# Messages shared with the forms (the same words whether the form or the service refuses).
MSG_KIND = gettext_lazy("Choose what the report is about.")
MSG_ACCUSED = gettext_lazy(
    "Say who it is about: a name and function, or describe the person if you do not know the name."
)
MSG_FACTS = gettext_lazy("Describe what you saw or heard: the facts, in a few sentences.")
MSG_SOURCE = gettext_lazy("Say whether you saw it yourself or heard it from someone else.")
MSG_TOLD_BY = gettext_lazy("Say who told you (for example: the pupil, a parent, a colleague).")
MSG_AWARE_ON = gettext_lazy("Enter the date you learned of it.")
MSG_DONE_ON = gettext_lazy("Enter the date of this step.")
MSG_DECISION = gettext_lazy("Choose yes or no.")
MSG_PLACE = gettext_lazy("Say where the aangifte was filed (for example: police station Gouda).")
MSG_CONCLUSION = gettext_lazy("Write the conclusion: what the board decided and why.")
MSG_HELD_AT = gettext_lazy("Enter the date and time of the conversation.")
MSG_WITH_WHOM = gettext_lazy("Say with whom you spoke (for example: a pupil of group 7, a mother).")
MSG_SUMMARY = gettext_lazy("Write down what was said: the facts, in a few sentences.")
MSG_REASON = gettext_lazy("Give the reason for the correction.")

NOTE_MESSAGES = {
    StepCode.CONSULT: gettext_lazy("Write down what the vertrouwensinspecteur advised."),
    StepCode.SUSPICION: gettext_lazy("Give the reasons for the decision."),
    StepCode.INFORM: gettext_lazy("Write down who was informed, how and by whom."),
    StepCode.MEASURES: gettext_lazy("Describe the measures."),
    StepCode.CONVERSATION: gettext_lazy("Write down what came out of the conversations."),
    StepCode.PARENTS_INFORMED: gettext_lazy("Write down who was informed, how and by whom."),
    StepCode.POLICE_CONSIDERED: gettext_lazy("Give the reasons for the decision."),
}
BLOCKED_MESSAGES = {
    "done": gettext_lazy("This step has been recorded already."),
    "no_suspicion": gettext_lazy(
        "The board found no reasonable suspicion; no steps follow and the report is closed."
    ),
    "needs_suspicion_yes": gettext_lazy(
        "This step follows the decision that there is a reasonable suspicion."
    ),
    "needs_consult": gettext_lazy("First record the consultation with the vertrouwensinspecteur."),
    "needs_police_report": gettext_lazy("First record the aangifte."),
}


# --- Who may do what -----------------------------------------------------------------------------


def _roles_at(actor: Any, school: School, day: date) -> set[str]:
    """The roles ACTOR holds at SCHOOL on DAY (none for a deactivated account)."""
    if not getattr(actor, "is_active", False):
        return set()
    return set(
        Membership.objects.active_on(day).filter(user=actor, school=school).values_list("role", flat=True)
    )


def is_board_member(actor: Any, board_id: int, day: date) -> bool:
    """A board member with an active account (a deactivated one decides nothing)."""
    return bool(getattr(actor, "is_active", False)) and board_member_on(actor, board_id, day)


def reporter_role(actor: Any, school: School, day: date) -> str | None:
    """The role in which ACTOR files a report about SCHOOL on DAY: any role at the school, or the
    board role of its board; None when they may not."""
    held = _roles_at(actor, school, day)
    role = next((r for r in REPORTER_ROLES if r in held), None)
    if role is not None:
        return role.value
    return Role.BOARD.value if is_board_member(actor, school.board_id, day) else None


def _require_board(actor: Any, report: MisconductReport, now: datetime) -> None:
    if not is_board_member(actor, report.board_id, timezone.localdate(now)):
        raise PermissionDenied


def _require_author(actor: Any, note: ConfidantNote, now: datetime) -> None:
    if note.author_id != getattr(actor, "pk", None) or Role.CONFIDANT not in _roles_at(
        actor, note.school, timezone.localdate(now)
    ):
        raise PermissionDenied


def _d(day: date) -> str:
    return dateformat.format(day, "d-m-Y")


def _pupils_of(school: School, pupils: Iterable[Pupil | int], errors: dict[str, Any]) -> list[Pupil]:
    ids = sorted({p.pk if isinstance(p, Pupil) else int(p) for p in pupils})
    found = list(Pupil.objects.filter(pk__in=ids, school=school).order_by("achternaam", "roepnaam", "pk"))
    if len(found) != len(ids):
        errors["pupils"] = _("Choose only pupils of %(school)s.") % {"school": school.name}
    return found


# --- Reports ---------------------------------------------------------------------------------------


def _new_reference() -> str:
    while True:
        reference = "M-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not MisconductReport.objects.filter(reference=reference).exists():
            return reference


def _open_terms(
    report: MisconductReport, *, event: str, start: date, actor: Any, now: datetime
) -> list[ReportDeadline]:
    """Open the board-only onverwijld deadline of every step that starts at EVENT."""
    links = []
    for step in domain.terms_opened_by(report.kind, event):
        assert step.rule is not None
        if ReportDeadline.objects.filter(report=report, step_code=step.code).exists():
            continue
        try:
            deadline = deadline_open(
                rule_code=step.rule,
                start=start,
                school=report.school,
                subject=report,
                responsible_role=Role.BOARD,
                responsible_user=None,
                actor=actor,
                now=now,
                visibility=DeadlineVisibility.BOARD_ONLY,
                board=report.board,
            )
        except DeadlineError as exc:
            raise ValidationError(
                {"done_on": _("LEV cannot compute a deadline from this date. Check the date.")}
            ) from exc
        links.append(ReportDeadline.objects.create(report=report, step_code=step.code, deadline=deadline))
    return links


def report_file(
    *,
    school: School,
    kind: str,
    accused: str,
    facts: str,
    source: str,
    told_by: str = "",
    aware_on: date,
    pupils: Iterable[Pupil | int] = (),
    actor: Any,
    now: datetime,
    accused_user: Any | None = None,
    source_note: ConfidantNote | None = None,
) -> MisconductReport:
    """File a report with the board. Anyone working at a school of the board, and the board itself,
    may file one (WPO art. 4a; Bijlage 7: "meldplicht voor alle medewerkers")."""
    day = timezone.localdate(now)
    role = reporter_role(actor, school, day)
    if role is None:
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if kind not in ReportKind.values:
        errors["kind"] = str(MSG_KIND)
    accused = accused.strip()
    if not accused:
        errors["accused"] = str(MSG_ACCUSED)
    facts = facts.strip()
    if not facts:
        errors["facts"] = str(MSG_FACTS)
    told_by = told_by.strip()
    if source not in ReportSource.values:
        errors["source"] = str(MSG_SOURCE)
    elif source == ReportSource.TOLD and not told_by:
        errors["told_by"] = str(MSG_TOLD_BY)
    if aware_on > day:
        errors["aware_on"] = _(
            "The date you learned of it cannot lie in the future. Enter a date on or before %(day)s."
        ) % {"day": _d(day)}
    pupil_list = _pupils_of(school, pupils, errors)
    if (
        accused_user is not None
        and not Membership.objects.filter(user=accused_user, board_id=school.board_id).exists()
    ):
        errors["accused_user"] = _("Choose someone who works at this board.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = MisconductReport.objects.create(
            board_id=school.board_id,
            school=school,
            reference=_new_reference(),
            kind=kind,
            reported_by=actor,
            reporter_role=role,
            reported_at=now,
            aware_on=aware_on,
            accused=accused[:200],
            accused_user=accused_user,
            facts=facts,
            source=source,
            told_by=told_by if source == ReportSource.TOLD else "",
            source_note=source_note,
        )
        report.pupils.set(pupil_list)
        for pupil in pupil_list:
            entry_record(
                pupil=pupil,
                kind=DOSSIER_KIND,
                title=DOSSIER_TITLES[ReportKind(kind)],
                summary=f"Referentie {report.reference}. De melding en de stappen staan alleen bij het bestuur.",
                happened_at=now,
                author=actor,
                now=now,
                observation=Observation.TOLD if source == ReportSource.TOLD else Observation.OBSERVED,
                told_by=report.told_by,
                visibility=DossierVisibility.BOARD_ONLY,
                source=report,
            )
        _open_terms(report, event=domain.ON_REPORT, start=day, actor=actor, now=now)
        record(
            "misconduct_report_filed",
            actor=actor,
            obj=report,
            summary={
                "school": school.pk,
                "role": role,
                "pupils": len(pupil_list),
                "from_note": source_note is not None,
            },
            now=now,
        )
    return report


def done_steps(report: MisconductReport) -> list[domain.Done]:
    return [domain.Done(code=s.code, decision=s.decision) for s in report.steps.all()]


def _close(report: MisconductReport, *, note: str, automatic: bool, actor: Any, now: datetime) -> None:
    report.status = ReportStatus.CLOSED
    report.closed_at = now
    report.closed_by = actor
    report.closing_note = note
    report.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    for link in report.deadline_links.select_related("deadline"):
        if link.deadline.status in RUNNING:
            deadline_waive(deadline=link.deadline, reason=WAIVED_ON_CLOSE, actor=actor, now=now)
    record(
        "misconduct_report_closed",
        actor=actor,
        obj=report,
        summary={"automatic": automatic},
        now=now,
    )


def report_step_record(
    *,
    report: MisconductReport,
    code: str,
    done_on: date,
    note: str = "",
    decision: bool | None = None,
    place: str = "",
    police_reference: str = "",
    actor: Any,
    now: datetime,
) -> MisconductStep:
    """Record a step the board took, with its date (the board only)."""
    _require_board(actor, report, now)
    day = timezone.localdate(now)
    with transaction.atomic():
        report = (
            MisconductReport.objects.select_for_update().select_related("school", "board").get(pk=report.pk)
        )
        if not report.is_open:
            raise ValidationError(_("This report has been closed; no steps can be added."))
        try:
            spec = domain.spec(report.kind, code)
        except domain.UnknownStep as exc:
            raise ValidationError(_("This step does not belong to this kind of report.")) from exc
        steps = list(report.steps.all())
        reason = domain.blocked(report.kind, done_steps(report), code)
        if reason is not None:
            raise ValidationError(str(BLOCKED_MESSAGES[reason]))
        errors: dict[str, Any] = {}
        earlier = [(report.aware_on, _("the date the reporter learned of it"))] + [
            (s.done_on, str(StepCode(s.code).label))
            for s in steps
            if s.code in domain.follows(report.kind, code)
        ]
        earliest, what = max(earlier, key=lambda pair: pair[0])
        if done_on > day:
            errors["done_on"] = _(
                "A step cannot be dated in the future. Enter a date on or before %(day)s."
            ) % {"day": _d(day)}
        elif done_on < earliest:
            errors["done_on"] = _("This step cannot be dated before %(day)s (%(what)s).") % {
                "day": _d(earliest),
                "what": what,
            }
        note = note.strip()
        if spec.note_required and not note:
            errors["note"] = str(NOTE_MESSAGES[StepCode(code)])
        if spec.decision and decision is None:
            errors["decision"] = str(MSG_DECISION)
        place = place.strip()
        if spec.place_required and not place:
            errors["place"] = str(MSG_PLACE)
        if errors:
            raise ValidationError(errors)
        step = MisconductStep.objects.create(
            board_id=report.board_id,
            school_id=report.school_id,
            report=report,
            code=code,
            done_on=done_on,
            decision=decision if spec.decision else None,
            note=note,
            place=place[:200],
            police_reference=police_reference.strip()[:100],
            recorded_by=actor,
            recorded_at=now,
        )
        link = report.deadline_links.filter(step_code=code).select_related("deadline").first()
        if link is not None and link.deadline.status in RUNNING:
            deadline_meet(deadline=link.deadline, actor=actor, now=now)
        _open_terms(report, event=domain.event_of(code, step.decision), start=done_on, actor=actor, now=now)
        record(
            "misconduct_step_recorded",
            actor=actor,
            obj=report,
            summary={"step": code, "step_id": step.pk},
            now=now,
        )
        if domain.closes_on(report.kind, code, step.decision):
            _close(report, note=note, automatic=True, actor=actor, now=now)
    return step


def report_close(*, report: MisconductReport, note: str, actor: Any, now: datetime) -> MisconductReport:
    """Close a report once every required step has been recorded, with the board's conclusion."""
    _require_board(actor, report, now)
    with transaction.atomic():
        report = MisconductReport.objects.select_for_update().get(pk=report.pk)
        if not report.is_open:
            raise ValidationError(_("This report has been closed already."))
        todo = domain.outstanding(report.kind, done_steps(report))
        if todo:
            raise ValidationError(
                _("First record the steps still open: %(steps)s.")
                % {"steps": ", ".join(str(StepCode(code).label).lower() for code in todo)}
            )
        note = note.strip()
        if not note:
            raise ValidationError({"note": str(MSG_CONCLUSION)})
        _close(report, note=note, automatic=False, actor=actor, now=now)
    return report


# --- Confidant notes -------------------------------------------------------------------------------


def _clean_note(
    *,
    school: School,
    held_at: datetime,
    with_whom: str,
    summary: str,
    now: datetime,
    errors: dict[str, Any],
) -> tuple[str, str]:
    if timezone.is_naive(held_at):
        raise ValueError("held_at must be an aware datetime")
    if held_at > now:
        errors["held_at"] = _(
            "A conversation cannot lie in the future. Enter the date and time it took place."
        )
    with_whom = with_whom.strip()
    if not with_whom:
        errors["with_whom"] = str(MSG_WITH_WHOM)
    summary = summary.strip()
    if not summary:
        errors["summary"] = str(MSG_SUMMARY)
    return with_whom, summary


def confidant_note_record(
    *,
    school: School,
    held_at: datetime,
    with_whom: str,
    summary: str,
    agreements: str = "",
    follow_up: str = "",
    pupils: Iterable[Pupil | int] = (),
    actor: Any,
    now: datetime,
) -> ConfidantNote:
    """Record a confidential conversation (the vertrouwenspersoon of SCHOOL only)."""
    if Role.CONFIDANT not in _roles_at(actor, school, timezone.localdate(now)):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    with_whom, summary = _clean_note(
        school=school, held_at=held_at, with_whom=with_whom, summary=summary, now=now, errors=errors
    )
    pupil_list = _pupils_of(school, pupils, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = ConfidantNote.objects.create(
            board_id=school.board_id,
            school=school,
            author=actor,
            held_at=held_at,
            with_whom=with_whom[:200],
            summary=summary,
            agreements=agreements.strip(),
            follow_up=follow_up.strip(),
            created_at=now,
        )
        note.pupils.set(pupil_list)
        record(
            "confidant_note_recorded",
            actor=actor,
            obj=note,
            summary={"school": school.pk, "pupils": len(pupil_list)},
            now=now,
        )
    return note


def confidant_note_correct(
    *,
    note: ConfidantNote,
    held_at: datetime,
    with_whom: str,
    summary: str,
    agreements: str = "",
    follow_up: str = "",
    reason: str,
    actor: Any,
    now: datetime,
) -> ConfidantNote:
    """Correct a note: a new note pointing at the old one, with the reason. The old one stays."""
    _require_author(actor, note, now)
    errors: dict[str, Any] = {}
    with_whom, summary = _clean_note(
        school=note.school, held_at=held_at, with_whom=with_whom, summary=summary, now=now, errors=errors
    )
    reason = reason.strip()
    if not reason:
        errors["reason"] = str(MSG_REASON)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ConfidantNote.objects.select_for_update().get(pk=note.pk)
        if locked.corrections.exists():
            raise ValidationError(_("This note has been corrected already. Correct the newest version."))
        correction = ConfidantNote.objects.create(
            board_id=note.board_id,
            school_id=note.school_id,
            author=actor,
            held_at=held_at,
            with_whom=with_whom[:200],
            summary=summary,
            agreements=agreements.strip(),
            follow_up=follow_up.strip(),
            created_at=now,
            corrects=locked,
            correction_reason=reason,
        )
        correction.pupils.set(note.pupils.all())
        record(
            "confidant_note_corrected",
            actor=actor,
            obj=correction,
            summary={"corrects": note.pk},
            now=now,
        )
    return correction


def earlier_versions(note: ConfidantNote) -> list[ConfidantNote]:
    """The notes NOTE corrects, newest first."""
    versions = []
    current = note.corrects
    while current is not None:
        versions.append(current)
        current = current.corrects
    return versions


def confidant_note_to_report(
    *, note: ConfidantNote, kind: str, actor: Any, now: datetime, accused: str = ""
) -> MisconductReport:
    """Turn a conversation into a report to the board (the meldplicht: no confidentiality excuses
    silence, Bijlage 7). The note's facts are copied into the report, told by whom the conversation
    was with; the note itself stays visible to its author only."""
    _require_author(actor, note, now)
    with transaction.atomic():
        locked = ConfidantNote.objects.select_for_update().select_related("school").get(pk=note.pk)
        if locked.corrections.exists():
            raise ValidationError(_("This note has been corrected. Report the newest version."))
        chain = [locked, *earlier_versions(locked)]
        if MisconductReport.objects.filter(source_note__in=chain).exists():
            raise ValidationError(_("This conversation has been reported to the board already."))
        report = report_file(
            school=locked.school,
            kind=kind,
            accused=accused,
            facts=locked.summary,
            source=ReportSource.TOLD,
            told_by=locked.with_whom,
            aware_on=timezone.localdate(locked.held_at),
            pupils=list(locked.pupils.all()),
            actor=actor,
            now=now,
            source_note=locked,
        )
        record(
            "confidant_note_reported",
            actor=actor,
            obj=locked,
            summary={"report": report.pk},
            now=now,
        )
    return report
