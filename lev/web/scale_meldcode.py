"""The Meldcode step of `manage.py seed_scale` (issue: Meldcode cases).

About one case per `PUPILS_PER_CASE` pupils per school per seeded school year (at least one), and
in the current school year at least one case of every kind of `KINDS`, so the board has a case in
every step and outcome whatever the preset:

- the current school year: `max(schools x per_year, len(KINDS))` cases, case k of the board of kind
  k % len(KINDS), at school k % schools: just opened; steps 1, 1-2, 1-3; the conversation left out
  and question 1 answered; step 4 with questions 1-3; a melding made two days ago (its feedback
  reminder open); help organised (its evaluation planned ahead, open); and the four ways a case
  closes (question 1 "no"; a melding after question 3 "no", with feedback; help that led to safety,
  closed with monitoring; help that did not, question 5 "no" and a new melding);
- every earlier school year: `per_year` cases per school, all closed, taking the four closing kinds
  in turn.

Each case is about a pupil who was at the school that year (grade 2 or higher then; not the first
two current pupils, whose files the incidents step fills; not a pupil reported as leaving), opened
by the care coordinator (the case manager) from a signal of the teacher of the pupil's group, two
days before; the decisions of step 5 are the director's. Rows are inserted with `bulk_create` as
the services write them, with the dossier entries (visibility "meldcode_case") and the Rapportage
Meldcode of the closed cases with a melding or help; no audit rows, as in the other bulk steps. The
two open terms (the feedback reminder, the planned evaluation) are opened through the deadline
service, so their due dates and reminders are the engine's; closed terms get no deadline row.
Deterministic: one random generator per step (`Scale.rng("meldcode")`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from incidents.models import Signal, SignalSource, SignalTag
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.services import deadline_open
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.schools.models import Role, SocialMapEntry, SocialMapKind
from meldcode.domain.steps import Step, melding_day
from meldcode.models import (
    AfwegingAnswer,
    CaseReport,
    CaseReportVersion,
    CaseStatus,
    CaseStepRecord,
    FeedbackKind,
    HelpEvaluation,
    HelpRecord,
    MeldcodeCase,
    Melding,
    VeiligThuisAdvice,
)
from meldcode.services import DOSSIER_KIND, EVALUATION_RULE, FEEDBACK_RULE, REPORT_FIELDS, STEP_TITLES

if TYPE_CHECKING:
    from .management.commands.seed_scale import PupilPlan, Scale

BATCH_SIZE = 2000
PUPILS_PER_CASE = 150
SKIP_PUPILS = 2  # the first two current pupils carry the incidents step's long file

# Days after the opening (day 0) on which each act happens.
SIGNAL_DAY = -2
STEP_DAYS = {1: 1, 2: 3, 3: 6, 4: 8, 5: 9}
ANSWER_DAY = 8  # questions 1-4, the day of the weighing
MELDING_DAY = 10
FEEDBACK_AFTER = 7
HELP_DAY = 12
EVALUATION_DAY = HELP_DAY + 42  # and question 5
REMELDING_DAY = EVALUATION_DAY + 1


@dataclass(frozen=True)
class Kind:
    """One kind of case: how far it got. ANSWERS are questions 1, 2, ... in order."""

    code: str
    steps: int = 0  # steps 1..STEPS recorded
    skip: bool = False  # step 3 left out, with the reason (M4)
    answers: tuple[bool, ...] = ()
    decision: tuple[bool, bool] | None = None  # melden, hulp
    melding: bool = False  # a melding after the decision
    help: bool = False
    remelding: bool = False  # question 5 "no": a new melding after the help
    feedback: str = ""  # Veilig Thuis's feedback on the (last) melding
    closed: bool = False
    monitoring: bool = False  # closed with agreements on monitoring (question 5 "yes")
    ago: int | None = None  # days from the last act to today in the current year (None: drawn)
    advice: str = VeiligThuisAdvice.NOT_ASKED

    @property
    def span(self) -> int:
        """The day of the last act."""
        last = 0
        if self.steps:
            last = STEP_DAYS[self.steps]
        if self.skip or self.answers:
            last = max(last, ANSWER_DAY)
        if self.melding:
            last = max(last, MELDING_DAY + (FEEDBACK_AFTER if self.feedback else 0))
        if self.help:
            last = max(last, HELP_DAY)
        if len(self.answers) == 5:
            last = max(last, EVALUATION_DAY)
        if self.remelding:
            last = REMELDING_DAY + FEEDBACK_AFTER
        return last + 1 if self.closed else last


T, F = True, False
KINDS: tuple[Kind, ...] = (
    Kind("opened"),
    Kind("signals", steps=1),
    Kind("consultation", steps=2, advice=VeiligThuisAdvice.ANONYMOUS),
    Kind("conversation", steps=3),
    Kind("conversation_left_out", steps=2, skip=True, answers=(T,), advice=VeiligThuisAdvice.NAMED),
    Kind("weighing", steps=4, answers=(T, F, T)),
    Kind("melding", steps=5, answers=(T, T), decision=(T, F), melding=True, ago=2),
    Kind("help", steps=5, answers=(T, F, T, T), decision=(F, T), help=True),
    Kind("closed", steps=5, answers=(F,), decision=(F, F), closed=True),
    Kind(
        "closed_melding",
        steps=5,
        answers=(T, F, F),
        decision=(T, F),
        melding=True,
        feedback=FeedbackKind.CONDITIONS,
        closed=True,
    ),
    Kind(
        "closed_monitoring",
        steps=5,
        answers=(T, F, T, T, T),
        decision=(F, T),
        help=True,
        closed=True,
        monitoring=True,
    ),
    Kind(
        "closed_remelding",
        steps=5,
        answers=(T, F, T, T, F),
        decision=(F, T),
        help=True,
        remelding=True,
        feedback=FeedbackKind.INVESTIGATION,
        closed=True,
    ),
)
CLOSED_KINDS = tuple(kind for kind in KINDS if kind.closed)

STEP_CONTENT: dict[int, dict[str, str]] = {
    1: {
        "history": "Geen eerdere signalen in het dossier.",
        "signals": "Blauwe plekken op de bovenarm, gezien bij het omkleden; de leerling is stil en moe.",
        "kindcheck": "Geen andere kinderen in het gezin.",
    },
    2: {
        "consulted": "De directeur en de schoolmaatschappelijk werker.",
        "advice": "Het gesprek met de ouders voeren en de zorgen concreet benoemen.",
    },
    3: {
        "participants": "De ouders, de leerkracht en de intern begeleider.",
        "discussed": "De zorgen over de blauwe plekken en de vermoeidheid; de ouders herkennen de onrust thuis.",
        "agreements": "Vervolggesprek over twee weken.",
    },
    4: {"weighing_questions": "Geen direct gevaar; de opvoedsituatie vraagt aandacht."},
    5: {"reasons": "Volgens de uitkomst van het afwegingskader."},
}
SKIP_REASON = (
    "Concrete aanwijzingen dat een gesprek de veiligheid van het kind in gevaar brengt; advies van "
    "Veilig Thuis."
)
BALANS = {
    "risk_factors": [
        {"level": "micro", "description": "Spanningen tussen de ouders", "group": "parent"},
        {"level": "macro", "description": "Geldzorgen", "group": "socio_economic"},
    ],
    "protective_factors": [
        {"level": "meso", "description": "Betrokken grootouders in de buurt", "group": "social_family"}
    ],
    "context_score": 5,
    "goals": ["Het kind is thuis veilig en komt uitgerust op school"],
}
FEEDBACK_WORDS = {FeedbackKind.CONDITIONS: "Voorwaarden en vervolg", FeedbackKind.INVESTIGATION: "Onderzoek"}


@dataclass
class _Case:
    """One case being built: its rows, kept together until they have their keys."""

    kind: Kind
    plan: PupilPlan
    opened_on: dt.date
    teacher: Any
    case: MeldcodeCase | None = None
    signal: Signal | None = None
    steps: list[CaseStepRecord] = field(default_factory=list)
    answers: list[AfwegingAnswer] = field(default_factory=list)
    meldingen: list[Melding] = field(default_factory=list)
    help: HelpRecord | None = None
    evaluation: HelpEvaluation | None = None
    report: CaseReport | None = None


def _insert(model: Any, rows: list[Any]) -> list[Any]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def cases_per_school_year(scale: Scale) -> int:
    return max(1, scale.preset.pupils_per_school // PUPILS_PER_CASE)


def _candidates(scale: Scale, school_id: int, offset: int) -> list[PupilPlan]:
    """The pupils at the school in the year OFFSET years back, in grade 2 or higher then."""
    return [
        plan
        for plan in scale.pupils[school_id]
        if plan.number >= SKIP_PUPILS and not plan.provisional_leaver and 2 <= plan.grade_now - offset <= 8
    ]


def _plan(scale: Scale) -> list[_Case]:
    rng = scale.rng("meldcode")
    per_year = cases_per_school_year(scale)
    today = scale.today
    schools = scale.schools
    # (school index, year offset) -> the kinds, in order
    wanted: dict[tuple[int, int], list[Kind]] = {}
    current = max(len(schools) * per_year, len(KINDS))
    for k in range(current):
        wanted.setdefault((k % len(schools), 0), []).append(KINDS[k % len(KINDS)])
    closed = 0
    for offset in range(1, len(scale.years)):
        for index in range(len(schools)):
            for _ in range(per_year):
                wanted.setdefault((index, offset), []).append(CLOSED_KINDS[closed % len(CLOSED_KINDS)])
                closed += 1
    cases: list[_Case] = []
    for (index, offset), kinds in sorted(wanted.items()):
        school = schools[index]
        year = scale.years[len(scale.years) - 1 - offset]
        pupils = rng.sample(_candidates(scale, school.pk, offset), k=len(kinds))
        for kind, plan in zip(kinds, pupils, strict=True):
            if offset == 0:
                ago = kind.ago if kind.ago is not None else rng.randint(1, 20)
                opened_on = today - dt.timedelta(days=kind.span + ago)
            else:
                opened_on = year.starts_on + dt.timedelta(days=rng.randint(30, 230))
            group_name = scale.group_name(plan.grade_now - offset, plan.letter_index)
            cases.append(_Case(kind, plan, opened_on, scale.teachers[(school.pk, group_name)]))
    return cases


def seed_meldcode_cases(scale: Scale) -> dict[str, int]:
    now = scale.now
    cases = _plan(scale)

    def at(case: _Case, day: int, hour: int, minute: int = 0) -> dt.datetime:
        moment = dt.datetime.combine(case.opened_on + dt.timedelta(days=day), dt.time(hour, minute))
        return min(timezone.make_aware(moment), now)

    def on(case: _Case, day: int) -> dt.date:
        return case.opened_on + dt.timedelta(days=day)

    ib = {school.pk: scale.school_staff[(school.pk, Role.CARE_COORDINATOR)] for school in scale.schools}
    director = {school.pk: scale.school_staff[(school.pk, Role.DIRECTOR)] for school in scale.schools}
    partners = {
        entry.school_id: entry
        for entry in SocialMapEntry.objects.filter(
            school__in=scale.schools, kind=SocialMapKind.NEIGHBOURHOOD_TEAM
        ).order_by("-pk")
    }

    # The signals the cases are opened from.
    for case in cases:
        happened = at(case, SIGNAL_DAY, 10)
        case.signal = Signal(
            board=scale.board,
            school_id=case.plan.pupil.school_id,
            author=case.teacher,
            happened_at=happened,
            location="Gymzaal (kleedkamer)",
            description="Bij het omkleden zag ik blauwe plekken op de bovenarm. De leerling is de laatste "
            "weken stil en moe.",
            source=SignalSource.OBSERVED,
            tags=[SignalTag.PHYSICAL.value, SignalTag.BEHAVIOUR.value],
            created_at=min(happened + dt.timedelta(minutes=20), now),
        )
    _insert(Signal, [case.signal for case in cases if case.signal is not None])
    through = Signal.pupils.through
    _insert(through, [through(signal_id=c.signal.pk, pupil_id=c.plan.pupil.pk) for c in cases if c.signal])

    # The cases, numbered per school and calendar year in the order opened.
    numbers: dict[tuple[int, int], int] = {}
    for case in sorted(cases, key=lambda c: (c.plan.pupil.school_id, c.opened_on, c.plan.number)):
        school_id = case.plan.pupil.school_id
        key = (school_id, case.opened_on.year)
        numbers[key] = numbers.get(key, 0) + 1
        kind = case.kind
        closed_at = at(case, kind.span, 16, 30) if kind.closed else None
        case.case = MeldcodeCase(
            board=scale.board,
            school_id=school_id,
            pupil=case.plan.pupil,
            number=f"MC-{case.opened_on.year}-{numbers[key]:03d}",
            case_manager=ib[school_id],
            reason="Blauwe plekken en een stille, vermoeide leerling: de signalen in kaart brengen.",
            status=CaseStatus.CLOSED if kind.closed else CaseStatus.OPEN,
            opened_at=at(case, 0, 9),
            opened_by=ib[school_id],
            closed_at=closed_at,
            closed_by=ib[school_id] if kind.closed else None,
            closing_note="Afgesloten waar het afwegingskader eindigt." if kind.closed else "",
            monitoring_agreements="De leerkracht let op nieuwe signalen; over drie maanden belt de IB de ouders."
            if kind.monitoring
            else "",
            updated_at=closed_at or at(case, kind.span, 16),
        )
    _insert(MeldcodeCase, [case.case for case in cases if case.case is not None])
    case_signals = MeldcodeCase.signals.through
    _insert(
        case_signals,
        [
            case_signals(meldcodecase_id=c.case.pk, signal_id=c.signal.pk)
            for c in cases
            if c.case and c.signal
        ],
    )

    # The steps, the answers, the meldingen, the help and the report.
    for case in cases:
        assert case.case is not None
        kind, school_id, row = case.kind, case.plan.pupil.school_id, case.case
        for step in range(1, kind.steps + 1):
            case.steps.append(
                CaseStepRecord(
                    case=row,
                    step=step,
                    recorded_on=on(case, STEP_DAYS[step]),
                    author=ib[school_id],
                    content=STEP_CONTENT[step],
                    veilig_thuis_advice=kind.advice if step == 2 else "",
                    balans=BALANS if step == 4 else None,
                    decision_melden=kind.decision[0] if step == 5 and kind.decision else None,
                    decision_hulp=kind.decision[1] if step == 5 and kind.decision else None,
                    decided_by=director[school_id] if step == 5 else None,
                    recorded_at=at(case, STEP_DAYS[step], 15),
                )
            )
        if kind.skip:
            case.steps.append(
                CaseStepRecord(
                    case=row,
                    step=3,
                    recorded_on=on(case, STEP_DAYS[3]),
                    author=ib[school_id],
                    skipped=True,
                    skip_reason=SKIP_REASON,
                    recorded_at=at(case, STEP_DAYS[3], 15),
                )
            )
        for number, answer in enumerate(kind.answers, start=1):
            day = EVALUATION_DAY if number == 5 else ANSWER_DAY
            case.answers.append(
                AfwegingAnswer(
                    case=row,
                    question=f"q{number}",
                    answer=answer,
                    reasoning="Ja, op grond van de signalen en het gesprek."
                    if answer
                    else "Nee, op grond van de signalen en het gesprek.",
                    answered_on=on(case, day),
                    author=ib[school_id],
                    recorded_at=at(case, day, 14, number),
                )
            )
        for day, after_help in ((MELDING_DAY, False), (REMELDING_DAY, True)):
            if (kind.melding and not after_help) or (kind.remelding and after_help):
                melded_at = at(case, day, 11)
                heard = kind.feedback
                case.meldingen.append(
                    Melding(
                        case=row,
                        melded_at=melded_at,
                        reference=f"VT-{on(case, day):%Y%m%d}-{case.plan.number:04d}",
                        identity_shield=case.plan.number % 2 == 0,
                        parents_informed_on=on(case, day),
                        filed_by=ib[school_id],
                        after_help_failed=after_help,
                        recorded_by=ib[school_id],
                        recorded_at=at(case, day, 11, 30),
                        feedback_on=on(case, day + FEEDBACK_AFTER) if heard else None,
                        feedback_kind=heard,
                        feedback="Veilig Thuis heeft de veiligheidsbeoordeling afgerond." if heard else "",
                        investigation_started_on=on(case, day + FEEDBACK_AFTER)
                        if heard == FeedbackKind.INVESTIGATION
                        else None,
                        feedback_recorded_by=ib[school_id] if heard else None,
                    )
                )
        if kind.help:
            partner = partners.get(school_id)
            case.help = HelpRecord(
                case=row,
                description="Gezinsbegeleiding en opvoedondersteuning; op school een vast moment per week "
                "met de leerkracht.",
                partner=partner,
                partner_other="" if partner else "Sociaal team",
                starts_on=on(case, HELP_DAY),
                recorded_by=ib[school_id],
                recorded_at=at(case, HELP_DAY, 13),
            )
        if kind.closed and (kind.melding or kind.help):
            case.report = CaseReport(
                case=row,
                report_on=on(case, kind.span),
                subject="Vermoeden van kindermishandeling",
                description="Signalen van de leerkracht; het afwegingskader doorlopen.",
                involved="De leerling en de ouders.",
                activities="De vijf stappen van de Meldcode"
                + (", een melding bij Veilig Thuis" if kind.melding or kind.remelding else "")
                + (", hulp via het sociaal team" if kind.help else "")
                + ".",
                written_by=ib[school_id],
                updated_at=at(case, kind.span, 16),
            )
    _insert(CaseStepRecord, [step for case in cases for step in case.steps])
    _insert(AfwegingAnswer, [answer for case in cases for answer in case.answers])
    _insert(Melding, [melding for case in cases for melding in case.meldingen])
    _insert(HelpRecord, [case.help for case in cases if case.help is not None])
    _insert(CaseReport, [case.report for case in cases if case.report is not None])
    # Each report as its first (and only) version, as `report_save` keeps it.
    _insert(
        CaseReportVersion,
        [
            CaseReportVersion(
                case=case.report.case,
                **{field: getattr(case.report, field) for field in ("report_on", *REPORT_FIELDS)},
                written_by=case.report.written_by,
                saved_at=case.report.updated_at,
            )
            for case in cases
            if case.report is not None
        ],
    )
    for case in cases:
        if case.help is None:
            continue
        held = len(case.kind.answers) == 5
        case.evaluation = HelpEvaluation(
            help=case.help,
            planned_on=on(case, EVALUATION_DAY),
            held_on=on(case, EVALUATION_DAY) if held else None,
            conclusion="De hulp is geëvalueerd met de ouders en het sociaal team." if held else "",
            planned_by=ib[case.plan.pupil.school_id],
            held_by=ib[case.plan.pupil.school_id] if held else None,
            recorded_at=case.help.recorded_at,
        )
    _insert(HelpEvaluation, [case.evaluation for case in cases if case.evaluation is not None])

    deadlines = _open_terms(scale, cases, ib)
    entries = _entries(scale, cases)
    return {
        "signals": len(cases),
        "meldcode_cases": len(cases),
        "meldcode_step_records": sum(len(case.steps) for case in cases),
        "meldcode_answers": sum(len(case.answers) for case in cases),
        "meldcode_meldingen": sum(len(case.meldingen) for case in cases),
        "meldcode_help": sum(1 for case in cases if case.help is not None),
        "meldcode_reports": sum(1 for case in cases if case.report is not None),
        "meldcode_report_versions": sum(1 for case in cases if case.report is not None),
        "meldcode_deadlines": deadlines,
        "dossier_entries": entries,
    }


def _open_terms(scale: Scale, cases: list[_Case], ib: dict[int, Any]) -> int:
    """The open terms through the deadline service: the reminder to ask for the feedback on a melding
    without feedback, and the evaluation planned for help that is still running."""
    opened = 0
    schools = {school.pk: school for school in scale.schools}
    for case in cases:
        assert case.case is not None
        school = schools[case.case.school_id]
        for melding in case.meldingen:
            if melding.feedback_on is not None:
                continue
            melding.reminder = deadline_open(
                rule_code=FEEDBACK_RULE,
                start=melding_day(melding.melded_at),
                school=school,
                subject=melding,
                responsible_role="",
                responsible_user=ib[school.pk],
                actor=None,
                now=scale.now,
                visibility=DeadlineVisibility.MELDCODE_CASE,
                case_id=case.case.pk,
                others_term=True,
            )
            melding.save(update_fields=["reminder"])
            opened += 1
        evaluation = case.evaluation
        if evaluation is not None and evaluation.held_on is None:
            evaluation.deadline = deadline_open(
                rule_code=EVALUATION_RULE,
                start=evaluation.planned_on,
                school=school,
                subject=evaluation,
                responsible_role="",
                responsible_user=ib[school.pk],
                actor=None,
                now=scale.now,
                visibility=DeadlineVisibility.MELDCODE_CASE,
                case_id=case.case.pk,
            )
            evaluation.save(update_fields=["deadline"])
            opened += 1
    return opened


def _entries(scale: Scale, cases: list[_Case]) -> int:
    """The dossier entries the services write: the signal's (school visibility) and, under the
    case's access, one per act."""
    entries: list[DossierEntry] = []

    def entry(case: _Case, source: Any, title: str, summary: str, at: dt.datetime, author_id: int) -> None:
        assert case.case is not None
        entries.append(
            DossierEntry(
                board=scale.board,
                school_id=case.case.school_id,
                pupil_id=case.case.pupil_id,
                kind=DOSSIER_KIND,
                source_type=source._meta.label_lower,
                source_id=str(source.pk),
                title=title,
                summary=summary,
                happened_at=at,
                recorded_at=at,
                author_id=author_id,
                visibility=Visibility.MELDCODE_CASE,
                meldcode_case_id=case.case.pk,
            )
        )

    for case in cases:
        row, signal = case.case, case.signal
        assert row is not None and signal is not None
        entries.append(
            DossierEntry(
                board=scale.board,
                school_id=row.school_id,
                pupil_id=row.pupil_id,
                kind="signal",
                source_type="incidents.signal",
                source_id=str(signal.pk),
                title="Signaal",
                summary=signal.description,
                happened_at=signal.happened_at,
                recorded_at=signal.created_at,
                author_id=signal.author_id,
                observation=Observation.OBSERVED,
                visibility=Visibility.SCHOOL,
            )
        )
        entry(
            case,
            row,
            "Meldcode-casus geopend",
            f"Casus {row.number}: {row.reason}",
            row.opened_at,
            row.opened_by_id,
        )
        for step in case.steps:
            if step.skipped:
                title, summary = "Meldcode stap 3: gesprek met de ouders overgeslagen", ""
            else:
                title, summary = STEP_TITLES[Step(step.step)], ""
                if step.step == 5:
                    summary = "Melden: {melden}. Hulp: {hulp}.".format(
                        melden="ja" if step.decision_melden else "nee",
                        hulp="ja" if step.decision_hulp else "nee",
                    )
            entry(case, step, title, summary, step.recorded_at, step.author_id)
        for answer in case.answers:
            entry(
                case,
                answer,
                f"Afwegingskader: afweging {answer.question[1:]} beantwoord",
                "",
                answer.recorded_at,
                answer.author_id,
            )
        for melding in case.meldingen:
            entry(
                case,
                melding,
                "Melding bij Veilig Thuis gedaan",
                "",
                melding.melded_at,
                melding.recorded_by_id,
            )
            if melding.feedback_on is not None:
                entry(
                    case,
                    melding,
                    "Terugkoppeling van Veilig Thuis ontvangen",
                    FEEDBACK_WORDS[FeedbackKind(melding.feedback_kind)],
                    min(
                        timezone.make_aware(dt.datetime.combine(melding.feedback_on, dt.time(12, 0))),
                        scale.now,
                    ),
                    melding.recorded_by_id,
                )
        if case.help is not None:
            entry(
                case,
                case.help,
                "Hulp ingezet (Meldcode)",
                "",
                case.help.recorded_at,
                case.help.recorded_by_id,
            )
        evaluation = case.evaluation
        if evaluation is not None and evaluation.held_on is not None:
            held_at = min(
                timezone.make_aware(dt.datetime.combine(evaluation.held_on, dt.time(16, 0))), scale.now
            )
            entry(case, evaluation, "Hulp geëvalueerd (Meldcode)", "", held_at, evaluation.planned_by_id)
        if row.closed_at is not None:
            entry(case, row, "Meldcode-casus gesloten", "", row.closed_at, row.opened_by_id)
    _insert(DossierEntry, entries)
    return len(entries)
