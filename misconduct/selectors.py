"""Reads for the misconduct pages. Access is decided in `misconduct.permissions` first: these take
the querysets and records the permission code gave out and arrange them for a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from lev.deadlines.models import Deadline, DeadlineStatus
from lev.schools.models import Pupil, School
from lev.schools.selectors import current_placements

from .domain import steps as domain
from .models import ConfidantNote, MisconductReport, MisconductStep, ReportDeadline, StepCode


def pupil_choices(school: School) -> list[tuple[int, str]]:
    """The school's pupils in a group now, as (id, "Achternaam, Roepnaam (group)")."""
    placements = (
        current_placements()
        .filter(school=school)
        .select_related("pupil", "group")
        .order_by("pupil__achternaam", "pupil__roepnaam", "pupil_id", "group__name")
    )
    seen: dict[int, str] = {}
    for placement in placements:
        seen.setdefault(placement.pupil_id, f"{placement.pupil.sort_name} ({placement.group.name})")
    return list(seen.items())


def _is_overdue(deadline: Deadline, now: datetime) -> bool:
    return deadline.status == DeadlineStatus.MISSED or (
        deadline.status == DeadlineStatus.OPEN and deadline.overdue_at <= now
    )


@dataclass(frozen=True)
class ReportRow:
    report: MisconductReport
    next_code: str | None
    deadline: Deadline | None
    overdue: bool

    @property
    def next_label(self) -> str:
        return str(StepCode(self.next_code).label) if self.next_code else ""


def report_rows(reports: QuerySet[MisconductReport], now: datetime) -> list[ReportRow]:
    """The board's list: each report with its next step and that step's deadline (open first)."""
    query = (
        reports.select_related("school")
        .prefetch_related(
            Prefetch("steps", queryset=MisconductStep.objects.order_by("done_on", "pk")),
            Prefetch("deadline_links", queryset=ReportDeadline.objects.select_related("deadline")),
        )
        .order_by("-status", "-reported_at", "-pk")  # "open" sorts after "closed": open ones first
    )
    rows = []
    for report in query:
        done = [domain.Done(s.code, s.decision) for s in report.steps.all()]
        code = domain.next_step(report.kind, done) if report.is_open else None
        links = {link.step_code: link.deadline for link in report.deadline_links.all()}
        deadline = links.get(code) if code else None
        rows.append(
            ReportRow(
                report=report,
                next_code=code,
                deadline=deadline,
                overdue=deadline is not None and _is_overdue(deadline, now),
            )
        )
    return rows


@dataclass(frozen=True)
class TermRow:
    step_code: str
    deadline: Deadline
    overdue: bool

    @property
    def step_label(self) -> str:
        return str(StepCode(self.step_code).label)


@dataclass
class ReportView:
    report: MisconductReport
    steps: list[MisconductStep]
    pupils: list[tuple[Pupil, str]]
    terms: list[TermRow]
    available: list[str]
    outstanding: list[str]
    next_code: str | None
    may_close: bool
    suspicion: bool | None
    route: list[str] = field(default_factory=list)

    @property
    def outstanding_labels(self) -> list[tuple[str, str]]:
        return [(code, str(StepCode(code).label)) for code in self.outstanding]


def report_view(report: MisconductReport, now: datetime) -> ReportView:
    """Everything the board's page of one report shows."""
    steps = list(report.steps.select_related("recorded_by").order_by("done_on", "pk"))
    done = [domain.Done(s.code, s.decision) for s in steps]
    groups: dict[int, str] = {}
    for placement in current_placements().filter(pupil__in=report.pupils.all()).select_related("group"):
        groups.setdefault(placement.pupil_id, placement.group.name)
    pupils = [(p, groups.get(p.pk, "")) for p in report.pupils.order_by("achternaam", "roepnaam", "pk")]
    links = report.deadline_links.select_related("deadline").order_by("deadline__start_on", "pk")
    terms = [TermRow(link.step_code, link.deadline, _is_overdue(link.deadline, now)) for link in links]
    is_open = report.is_open
    return ReportView(
        report=report,
        steps=steps,
        pupils=pupils,
        terms=terms,
        available=domain.available(report.kind, done) if is_open else [],
        outstanding=domain.outstanding(report.kind, done) if is_open else [],
        next_code=domain.next_step(report.kind, done) if is_open else None,
        may_close=is_open and domain.may_close(report.kind, done),
        suspicion=domain.suspicion(report.kind, done),
        route=[s.code for s in domain.specs(report.kind)],
    )


@dataclass(frozen=True)
class NoteRow:
    note: ConfidantNote
    corrected: bool
    report: MisconductReport | None


def note_rows(notes: QuerySet[ConfidantNote]) -> list[NoteRow]:
    """The newest version of each conversation, with whether it was corrected and the report it
    became (if any version was reported)."""
    all_notes = list(notes.select_related("school").order_by("-held_at", "-pk"))
    by_id = {n.pk: n for n in all_notes}
    reports = {
        r.source_note_id: r
        for r in MisconductReport.objects.filter(source_note__in=[n.pk for n in all_notes]).only(
            "pk", "reference", "reported_at", "source_note"
        )
    }
    corrected_ids = {n.corrects_id for n in all_notes if n.corrects_id is not None}
    rows = []
    for note in all_notes:
        if note.pk in corrected_ids:
            continue
        report = None
        current: ConfidantNote | None = note
        while current is not None and report is None:
            report = reports.get(current.pk)
            current = by_id.get(current.corrects_id) if current.corrects_id else None
        rows.append(NoteRow(note=note, corrected=note.corrects_id is not None, report=report))
    return rows


def note_versions(note: ConfidantNote) -> tuple[list[ConfidantNote], ConfidantNote | None]:
    """The earlier versions of NOTE (newest first) and the version that corrects it, if any."""
    earlier = []
    current = note.corrects
    while current is not None:
        earlier.append(current)
        current = current.corrects
    newer = ConfidantNote.objects.filter(corrects=note).first()
    return earlier, newer


def report_of_note(note: ConfidantNote, earlier: list[ConfidantNote]) -> MisconductReport | None:
    """The report this conversation (any version of it) became."""
    return MisconductReport.objects.filter(source_note__in=[note, *earlier]).first()
