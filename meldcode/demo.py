"""Demo Meldcode cases for `seed_demo`, made through the services, so each case
carries its audit rows, dossier entries (visibility "meldcode_case") and deadline rows.

Seven pupils, one case each, every case opened by the school's care coordinator (the case manager)
from two signals that teachers of the pupil's group recorded; the decision of step 5 is taken by
the school's eindverantwoordelijke (the director). Dated back from NOW on school days of the
school's calendar (every service is called with the moment the act happened, never later than
NOW). In the order the cases were opened:

0. Closed with monitoring (43 school days ago): steps 1-3, questions 1 and 2 "yes" (structural
   unsafety), step 4 with the Balansmodel, step 5 "melden and hulp", the melding, an information
   request from Veilig Thuis, its feedback (overdracht), questions 3 and 4 "yes" with Veilig Thuis,
   help with the youth and family team, its evaluation held, question 5 "yes" with Veilig Thuis, the
   Rapportage Meldcode, and the case closed with agreements on monitoring.
1. Closed after question 1 "no" (37 school days ago): steps 1-3 (the bruises explained in the
   conversation with the parents), question 1 "no", step 4, step 5 "no melding, no help" and a
   closing note.
2. Help (26 school days ago): steps 1-3, questions 1 "yes", 2 "no", 3 "yes", 4 "yes", step 4 with
   the Balansmodel, step 5 "hulp", the help with the school social worker and an evaluation planned
   in the future (open); the teacher of the pupil's group granted access to the case.
3. Melding made (13 school days ago): a younger child of the same family at the school added to
   the case (the kindcheck), steps 1-3, questions 1 and 2 "yes", step 4, step 5 "melden", and the
   melding made 2 school days ago with the identity shield asked: the reminder to ask for the
   feedback (5 working days) is open on the case manager's "Mijn termijnen".
4. Step 4 in progress (8 school days ago): steps 1 and 2 (Veilig Thuis's advice asked with the
   pupil's name), the conversation with the parents left out with the reason (M4), question 1
   answered "yes".
5. Step 2 (4 school days ago): steps 1 and 2, the advice of Veilig Thuis asked anonymously.
6. Just opened (today) from two signals of the last two school days.

The pupils are current pupils of GROUPS (the caller passes groups whose pupils the other demo parts
leave alone), taken from the end of each group in turn, enrolled before the oldest story began and
not leaving; the melding case goes to a pupil whose younger brother or sister (the same parents)
is in one of those groups too.

Idempotent: a school that has any Meldcode case gets nothing added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from escalation.demo import SchoolDays
from incidents.models import Signal, SignalSource, SignalTag
from incidents.signal_services import signal_mark_read, signal_record
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.schools.models import (
    Enrolment,
    GroupPlacement,
    Pupil,
    PupilGuardian,
    School,
    SocialMapEntry,
    SocialMapKind,
)

from .domain.balans import Balans, Factor, FactorGroup, Level
from .domain.steps import Step
from .models import (
    AfwegingAnswer,
    CasePupil,
    CaseReport,
    CaseStepRecord,
    ConsentStatus,
    FeedbackKind,
    HelpRecord,
    InformationRequest,
    MeldcodeCase,
    Melding,
    VeiligThuisAdvice,
)
from .services import (
    access_grant,
    case_close,
    case_open,
    conversation_skip,
    evaluation_record,
    feedback_record,
    help_record,
    information_request_record,
    melding_record,
    question_answer,
    related_pupil_add,
    report_save,
    step_record,
)

PUPILS_NEEDED = 7
MELDING_STORY = 3  # the story whose pupil has a younger brother or sister at the school
# How far the school calendar is read around today: the oldest story goes back 46 school days,
# the help's evaluation lies 15 school days ahead.
CALENDAR_BACK = dt.timedelta(days=200)
CALENDAR_AHEAD = dt.timedelta(days=120)
OLDEST_STORY = 46  # school days back: the first signal of story 0


def _at(now: dt.datetime, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """HOUR:MINUTE local on DAY, never later than NOW."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))), now)


def _d(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


@dataclass(frozen=True)
class _Cast:
    school: School
    ib: Any  # the case manager
    director: Any  # the eindverantwoordelijke

    def teacher_of(self, pupil: Pupil, day: dt.date) -> Any:
        """The teacher of the group PUPIL was in on DAY (the care coordinator if there is none)."""
        placement = (
            GroupPlacement.objects.filter(pupil=pupil, starts_on__lte=day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .select_related("group")
            .order_by("-starts_on", "-pk")
            .first()
        )
        teacher = placement.group.teachers.order_by("pk").first() if placement is not None else None
        return teacher or self.ib


@dataclass(frozen=True)
class _Pupils:
    pupil: Pupil
    sibling: Pupil | None = None

    @property
    def name(self) -> str:
        return self.pupil.roepnaam


Story = Callable[[_Pupils, _Cast, SchoolDays, dt.datetime], None]


@dataclass(frozen=True)
class _Signal:
    back: int  # school days before today
    hour: int
    minute: int
    location: str
    description: str
    tags: tuple[str, ...]
    told_by: str = ""  # a told signal names its source


def seed_meldcode(
    *, school: School, users: dict[str, Any], groups: Sequence[str], now: dt.datetime
) -> dict[str, int]:
    """The seven cases of the module docstring at SCHOOL, for pupils of GROUPS (names of this
    school year's groups). USERS maps "ib" (the care coordinator: the case manager) and "director"
    (the school's eindverantwoordelijke for the Meldcode). Returns what was made; zeros when the
    school has a case already or too few pupils were found."""
    counts = dict.fromkeys(
        (
            "meldcode_cases",
            "meldcode_step_records",
            "meldcode_answers",
            "meldcode_meldingen",
            "meldcode_information_requests",
            "meldcode_help",
            "meldcode_reports",
            "meldcode_related_pupils",
            "signals",
        ),
        0,
    )
    if MeldcodeCase.objects.filter(school=school).exists():
        return counts
    today = timezone.localdate(now)
    days = SchoolDays(today, school_non_school_days(school, today - CALENDAR_BACK, today + CALENDAR_AHEAD))
    chosen = demo_pupils(school, groups, today=today, enrolled_by=days.back(OLDEST_STORY))
    if chosen is None:
        return counts
    cast = _Cast(school=school, ib=users["ib"], director=users["director"])
    signals_before = Signal.objects.filter(school=school).count()
    for story, pupils in zip(STORIES, chosen, strict=True):
        story(pupils, cast, days, now)
    cases = MeldcodeCase.objects.filter(school=school)
    counts.update(
        meldcode_cases=cases.count(),
        meldcode_step_records=CaseStepRecord.objects.filter(case__in=cases).count(),
        meldcode_answers=AfwegingAnswer.objects.filter(case__in=cases).count(),
        meldcode_meldingen=Melding.objects.filter(case__in=cases).count(),
        meldcode_information_requests=InformationRequest.objects.filter(case__in=cases).count(),
        meldcode_help=HelpRecord.objects.filter(case__in=cases).count(),
        meldcode_reports=CaseReport.objects.filter(case__in=cases).count(),
        meldcode_related_pupils=CasePupil.objects.filter(case__in=cases).count(),
        signals=Signal.objects.filter(school=school).count() - signals_before,
    )
    return counts


# --- the pupils ----------------------------------------------------------------------------------


def _group_pupils(school: School, group_name: str, today: dt.date, enrolled_by: dt.date) -> list[Pupil]:
    """The current pupils of GROUP_NAME, the last by administration number first, without those who
    came after ENROLLED_BY or are reported as leaving."""
    leaving = Enrolment.objects.filter(school=school, left_on__isnull=False).values("pupil")
    late = Enrolment.objects.filter(school=school, enrolled_on__gt=enrolled_by).values("pupil")
    placements = (
        GroupPlacement.objects.filter(
            school=school,
            group__name=group_name,
            group__school_year__starts_on__lte=today,
            group__school_year__ends_on__gte=today,
            ends_on__isnull=True,
        )
        .exclude(pupil__in=leaving)
        .exclude(pupil__in=late)
        .select_related("pupil")
        .order_by("-pupil__admin_number")
    )
    return [placement.pupil for placement in placements]


def demo_pupils(
    school: School, groups: Sequence[str], *, today: dt.date, enrolled_by: dt.date
) -> list[_Pupils] | None:
    """The pupils of the seven stories (None when GROUPS hold too few): story `MELDING_STORY` gets
    the first pupil (groups in the order given, each from its end) who has a younger brother or
    sister with the same parents in GROUPS, with that child; the other stories take the next unused
    pupil of the groups in turn."""
    per_group = [_group_pupils(school, name, today, enrolled_by) for name in groups]
    candidates = [pupil for pupils in per_group for pupil in pupils]
    parents: dict[int, frozenset[int]] = {}
    for pupil_id, guardian_id in PupilGuardian.objects.filter(
        pupil__in=candidates, has_gezag=True
    ).values_list("pupil_id", "guardian_id"):
        parents[pupil_id] = parents.get(pupil_id, frozenset()) | {guardian_id}
    family = next(
        (
            (pupil, other)
            for pupil in candidates
            for other in candidates
            if other.pk != pupil.pk
            and parents.get(pupil.pk)
            and parents.get(pupil.pk) == parents.get(other.pk)
            and other.date_of_birth > pupil.date_of_birth
        ),
        None,
    )
    if family is None:
        return None
    used = {family[0].pk, family[1].pk}
    chosen: list[_Pupils] = []
    for index in range(PUPILS_NEEDED):
        if index == MELDING_STORY:
            chosen.append(_Pupils(family[0], family[1]))
            continue
        for offset in range(len(groups)):
            pool = [p for p in per_group[(index + offset) % len(groups)] if p.pk not in used]
            if pool:
                used.add(pool[0].pk)
                chosen.append(_Pupils(pool[0]))
                break
        else:
            return None
    return chosen


# --- the helpers: signals, opening, the steps --------------------------------------------------


def _signals(
    pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime, plans: Sequence[_Signal]
) -> list[Signal]:
    made = []
    for plan in plans:
        day = days.back(plan.back)
        happened = _at(now, day, plan.hour, plan.minute)
        made.append(
            signal_record(
                school=cast.school,
                pupils=[pupils.pupil],
                happened_at=happened,
                location=plan.location,
                description=plan.description,
                source=SignalSource.TOLD if plan.told_by else SignalSource.OBSERVED,
                told_by=plan.told_by,
                tags=plan.tags,
                actor=cast.teacher_of(pupils.pupil, day),
                now=min(happened + dt.timedelta(minutes=20), now),
            )
        )
    return made


def _open(
    pupils: _Pupils, signals: Sequence[Signal], reason: str, cast: _Cast, day: dt.date, now: dt.datetime
) -> MeldcodeCase:
    moment = _at(now, day, 9, 0)
    for signal in signals:
        signal_mark_read(signal=signal, user=cast.ib, now=max(moment, signal.created_at))
    return case_open(pupil=pupils.pupil, signals=signals, reason=reason, actor=cast.ib, now=moment)


def _step(
    case: MeldcodeCase,
    step: Step,
    cast: _Cast,
    day: dt.date,
    now: dt.datetime,
    content: dict[str, str],
    *,
    hour: int = 15,
    **extra: Any,
) -> None:
    if step is Step.DECISION:
        extra["decided_by"] = cast.director
    step_record(
        case=case,
        step=step,
        recorded_on=day,
        content=content,
        actor=cast.ib,
        now=_at(now, day, hour),
        **extra,
    )


def _answer(
    case: MeldcodeCase,
    question: str,
    answer: bool,
    reasoning: str,
    cast: _Cast,
    day: dt.date,
    now: dt.datetime,
    *,
    minute: int = 0,
    with_veilig_thuis: bool = False,
) -> None:
    question_answer(
        case=case,
        question=question,
        answer=answer,
        reasoning=reasoning,
        answered_on=day,
        with_veilig_thuis=with_veilig_thuis,
        actor=cast.ib,
        now=_at(now, day, 14, minute),
    )


def _partner(school: School, kind: str) -> SocialMapEntry | None:
    return SocialMapEntry.objects.filter(school=school, kind=kind).order_by("pk").first()


def _group_of(pupil: Pupil, day: dt.date) -> str:
    placement = (
        GroupPlacement.objects.filter(pupil=pupil, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("group")
        .order_by("-starts_on", "-pk")
        .first()
    )
    return f"groep {placement.group.name}" if placement is not None else "de school"


# --- 0. closed with monitoring after question 5 "yes" ------------------------------------------


def _closed_with_monitoring(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                46,
                10,
                40,
                "Schoolplein",
                f"{n} had na het weekend een dikke lip en een schram op de wang. {n} zei eerst gevallen te "
                "zijn en later: 'papa was boos omdat ik niet luisterde.'",
                (SignalTag.PHYSICAL, SignalTag.PARENT_BEHAVIOUR),
            ),
            _Signal(
                44,
                14,
                5,
                "Klaslokaal (na schooltijd)",
                f"Een moeder van een klasgenoot vertelde dat zij {n} vaak hoort huilen en de vader hoort "
                "schreeuwen als zij langs het huis loopt, ook laat op de avond.",
                (SignalTag.FAMILY,),
                told_by="een moeder van een klasgenoot",
            ),
        ),
    )
    first, second = (days.back(46), days.back(44))
    case = _open(
        pupils,
        signals,
        f"Letsel in het gezicht met de uitspraak 'papa was boos', en een buurvrouw die {n} vaak hoort "
        "huilen en de vader hoort schreeuwen. Vermoeden van lichamelijke mishandeling.",
        cast,
        days.back(43),
        now,
    )
    _step(
        case,
        Step.SIGNALS,
        cast,
        days.back(42),
        now,
        {
            "history": f"Vorig schooljaar twee gesprekken met de ouders over driftbuien van {n}. Geen eerdere "
            "signalen van geweld in het dossier.",
            "signals": f"{_d(first)}: dikke lip en schram op de wang, gezien door de leerkracht; {n} zei "
            f"eerst gevallen te zijn, daarna 'papa was boos omdat ik niet luisterde'. {_d(second)}: een "
            "moeder van een klasgenoot hoort vaak huilen en schreeuwen in huis (gehoord, niet gezien).",
            "signal_list": "Lichamelijk letsel met een wisselende verklaring; angst voor de reactie van "
            "een ouder (Bijlage 17).",
            "questions": f"Twee signalen in drie dagen. Alleen {n} in dit gezin op school. Het gedrag "
            "past niet bij de normale ontwikkeling; eerder waren er driftbuien, geen letsel.",
            "kindcheck": "Geen andere kinderen in het gezin.",
        },
    )
    _step(
        case,
        Step.CONSULTATION,
        cast,
        days.back(40),
        now,
        {
            "consulted": f"De directeur ({_d(days.back(41))}) en Veilig Thuis, telefonisch "
            f"({_d(days.back(40))}).",
            "advice": f"Veilig Thuis adviseert het gesprek met de ouders te voeren en het letsel en de "
            f"uitspraak van {n} concreet te benoemen. Veilig Thuis kent het gezin van een eerdere "
            "melding; bij bevestiging melden.",
            "letselduiding": "Niet ingezet: het letsel was bij het advies al genezen.",
        },
        veilig_thuis_advice=VeiligThuisAdvice.NAMED,
    )
    _step(
        case,
        Step.CONVERSATION,
        cast,
        days.back(38),
        now,
        {
            "participants": "Beide ouders, de leerkracht en de intern begeleider.",
            "discussed": f"De vader erkent dat hij {n} een klap heeft gegeven toen {n} niet wilde "
            "luisteren, en dat hij 'soms te ver gaat' sinds hij veel spanning heeft op zijn werk. De "
            "moeder maakt zich ook zorgen.",
            "agreements": "De ouders weten dat de school Veilig Thuis om advies heeft gevraagd en dat een "
            "melding kan volgen. Zij staan open voor hulp. Vervolggesprek over twee weken.",
            "signed": "Ja, door beide ouders.",
        },
    )
    weighing = days.back(36)
    _answer(
        case,
        "q1",
        True,
        f"Ja. Letsel bij {n}, door de vader erkend als een klap, en signalen van een buurvrouw.",
        cast,
        weighing,
        now,
    )
    _answer(
        case,
        "q2",
        True,
        f"Ja, structurele onveiligheid (B): herhaald lichamelijk geweld tegen {n}, erkend door de vader; "
        "een eerdere melding bij Veilig Thuis over het gezin; signalen van het kind en van omstanders.",
        cast,
        weighing,
        now,
        minute=10,
    )
    _step(
        case,
        Step.WEIGHING,
        cast,
        weighing,
        now,
        {
            "weighing_questions": "Direct lichamelijk gevaar: nee, niet op dit moment. Belemmert de "
            "opvoedsituatie een veilige en gezonde ontwikkeling: ja, bij spanning slaat de vader. Risico's "
            "in de nabije toekomst: ja, zolang de spanning blijft.",
            "shared_with": "Veilig Thuis (advies op naam, stap 2).",
        },
        balans=Balans(
            risk_factors=(
                Factor(Level.MICRO, f"De vader slaat {n} bij spanning; hij erkent het", FactorGroup.PARENT),
                Factor(Level.MICRO, f"{n} heeft driftbuien en is bang voor de vader", FactorGroup.CHILD),
                Factor(Level.MESO, "Buren horen regelmatig schreeuwen", FactorGroup.SOCIAL_NEIGHBOURHOOD),
            ),
            protective_factors=(
                Factor(Level.MICRO, "Beide ouders erkennen het probleem en willen hulp", FactorGroup.PARENT),
                Factor(Level.MICRO, f"Een warme band tussen {n} en de moeder", FactorGroup.FAMILY),
            ),
            context_score=4,
            goals=(f"Geen lichamelijk geweld meer tegen {n}", "De vader gaat met spanning om zonder geweld"),
        ),
    )
    _step(
        case,
        Step.DECISION,
        cast,
        days.back(35),
        now,
        {
            "reasons": "Structurele onveiligheid (afweging 2: ja): een melding bij Veilig Thuis is nodig. De "
            "ouders staan open voor hulp; welke hulp en door wie bepalen we samen met Veilig Thuis "
            "(afweging 3 en 4).",
        },
        decision_melden=True,
        decision_hulp=True,
    )
    melded = days.back(34)
    melding = melding_record(
        case=case,
        melded_at=_at(now, melded, 11, 0),
        reference=f"VT-{melded:%Y%m%d}-0318",
        identity_shield=False,
        parents_informed_on=melded,
        parents_not_informed_reason="",
        filed_by=cast.ib,
        actor=cast.ib,
        now=_at(now, melded, 11, 30),
    )
    asked = days.back(32)
    information_request_record(
        case=case,
        requested_on=asked,
        requested_by="Een medewerker van het team veiligheidsbeoordeling, Veilig Thuis Hollands Midden",
        consent=ConsentStatus.NOT_ASKED,
        shared=f"Het verslag van het gesprek met de ouders (stap 3), de signalen uit het logboek en de "
        f"aanwezigheid van {n} dit schooljaar. Geen gegevens over andere leerlingen.",
        verslag_accorded=True,
        actor=cast.ib,
        now=_at(now, asked, 13, 0),
    )
    heard = days.back(29)
    feedback_record(
        melding=melding,
        feedback_on=heard,
        kind=FeedbackKind.HANDOVER,
        feedback="De veiligheidsbeoordeling is afgerond: de ouders werken mee en de veiligheid is met "
        "vrijwillige hulp te bereiken. Overdracht aan het jeugd- en gezinsteam; Veilig Thuis monitort "
        "over drie maanden.",
        investigation_started_on=None,
        actor=cast.ib,
        now=_at(now, heard, 10, 0),
    )
    together = days.back(28)
    _answer(
        case,
        "q3",
        True,
        "Ja, samen met Veilig Thuis: het jeugd- en gezinsteam kan direct beginnen met gezinsbegeleiding "
        "en een training voor de vader om met boosheid om te gaan.",
        cast,
        together,
        now,
        with_veilig_thuis=True,
    )
    _answer(
        case,
        "q4",
        True,
        "Ja, samen met Veilig Thuis: beide ouders hebben het hulpverleningsplan ondertekend en de eerste "
        "afspraak staat.",
        cast,
        together,
        now,
        minute=10,
        with_veilig_thuis=True,
    )
    started = days.back(27)
    evaluate_on = days.back(11)
    partner = _partner(cast.school, SocialMapKind.NEIGHBOURHOOD_TEAM)
    help_row = help_record(
        case=case,
        description=f"Gezinsbegeleiding (wekelijks) en een training voor de vader om met boosheid om te "
        f"gaan; op school een vast moment per week waarop {n} met de leerkracht bespreekt hoe het gaat.",
        partner=partner,
        partner_other="" if partner else "Jeugd- en gezinsteam",
        starts_on=started,
        evaluate_on=evaluate_on,
        actor=cast.ib,
        now=_at(now, started, 15, 0),
    )
    evaluation_record(
        evaluation=help_row.evaluations.get(),
        held_on=evaluate_on,
        conclusion=f"Evaluatie met de ouders, het jeugd- en gezinsteam en de intern begeleider: geen nieuwe "
        f"incidenten, {n} is rustiger en minder bang; de vader heeft de training afgerond. De "
        "gezinsbegeleiding loopt af.",
        next_on=None,
        actor=cast.ib,
        now=_at(now, evaluate_on, 16, 0),
    )
    _answer(
        case,
        "q5",
        True,
        "Ja, samen met Veilig Thuis: de hulp heeft binnen de afgesproken termijn tot veiligheid geleid; "
        "geen nieuwe signalen op school of bij Veilig Thuis.",
        cast,
        days.back(10),
        now,
        with_veilig_thuis=True,
    )
    closed = days.back(9)
    report_save(
        case=case,
        report_on=closed,
        values={
            "subject": f"Vermoeden van lichamelijke mishandeling van een leerling van {_group_of(pupils.pupil, closed)}",
            "description": "Letsel in het gezicht en signalen van een buurvrouw; de vader erkende in het "
            "gesprek een klap. Structurele onveiligheid: melding bij Veilig Thuis, daarna vrijwillige "
            "hulp via het jeugd- en gezinsteam.",
            "involved": "De leerling en beide ouders.",
            "activities": f"Signalen in kaart gebracht ({_d(days.back(42))}), advies Veilig Thuis op naam, "
            f"gesprek met de ouders ({_d(days.back(38))}), afwegingskader, melding ({_d(melded)}), "
            f"informatieverzoek beantwoord, terugkoppeling ontvangen ({_d(heard)}), hulp ingezet "
            f"({_d(started)}) en geëvalueerd ({_d(evaluate_on)}).",
            "informing": "De ouders zijn voor de melding geïnformeerd; de leerkracht weet dat de casus loopt.",
            "external_consultation": "Veilig Thuis Hollands Midden; het jeugd- en gezinsteam.",
            "bottlenecks": "Het informatieverzoek kwam telefonisch; het verslag is achteraf afgestemd.",
            "remarks": "Afgesloten met afspraken over monitoring (afweging 5: ja).",
        },
        actor=cast.ib,
        now=_at(now, closed, 15, 0),
    )
    case_close(
        case=case,
        closing_note="Afgesloten na afweging 5: de hulp heeft tot veiligheid geleid. De ouders en het "
        "jeugd- en gezinsteam zijn op de hoogte van de afspraken over monitoring.",
        monitoring_agreements=f"De leerkracht let in de klas op nieuwe signalen en bespreekt {n} elke zes "
        "weken met de intern begeleider tot de zomervakantie; het jeugd- en gezinsteam belt de ouders "
        "over drie maanden; Veilig Thuis monitort volgens de eigen afspraak. Nieuwe signalen: direct een "
        "nieuwe casus.",
        actor=cast.ib,
        now=_at(now, closed, 15, 30),
    )


# --- 1. closed after question 1 "no" ------------------------------------------------------------


def _closed_no_suspicion(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                40,
                13,
                10,
                "Gymzaal (kleedkamer)",
                f"Bij het omkleden zag ik blauwe plekken op beide scheenbenen van {n} en een grote blauwe plek "
                "op de linker bovenarm.",
                (SignalTag.PHYSICAL,),
            ),
            _Signal(
                38,
                9,
                15,
                "Klaslokaal",
                f"{n} is de laatste weken vaak moe, valt in de kring bijna in slaap en is snel in tranen.",
                (SignalTag.BEHAVIOUR,),
            ),
        ),
    )
    case = _open(
        pupils,
        signals,
        "Blauwe plekken op de benen en de bovenarm, en moe en huilerig in de klas. Nagaan wat er speelt.",
        cast,
        days.back(37),
        now,
    )
    _step(
        case,
        Step.SIGNALS,
        cast,
        days.back(36),
        now,
        {
            "history": "Geen eerdere signalen of zorgen in het dossier.",
            "signals": f"{_d(days.back(40))}: blauwe plekken op beide scheenbenen en de linker bovenarm, "
            f"gezien bij het omkleden. {_d(days.back(38))}: {n} is moe en snel in tranen.",
            "kindcheck": "Een oudere broer op het voortgezet onderwijs; geen signalen over hem bekend.",
        },
    )
    _step(
        case,
        Step.CONSULTATION,
        cast,
        days.back(34),
        now,
        {
            "consulted": "De jeugdarts van de GGD en de leerkracht.",
            "advice": "De jeugdarts adviseert de ouders uit te nodigen en naar de blauwe plekken en de "
            "vermoeidheid te vragen: plekken op de scheenbenen passen bij spelen, die op de bovenarm "
            "zijn reden om door te vragen.",
        },
        veilig_thuis_advice=VeiligThuisAdvice.NOT_ASKED,
    )
    _step(
        case,
        Step.CONVERSATION,
        cast,
        days.back(32),
        now,
        {
            "participants": "Beide ouders, de leerkracht en de intern begeleider.",
            "discussed": f"{n} zit sinds september op judo en traint twee keer per week; de plek op de arm "
            f"komt van een worp in de les. De ouders herkennen de vermoeidheid: {n} slaapt slecht sinds de "
            "verhuizing in de zomer. Zij hadden de plekken zelf gezien en er de trainer naar gevraagd.",
            "agreements": "De ouders maken een afspraak bij de huisarts over het slapen. Over vier weken "
            "kort contact met de leerkracht over hoe het gaat.",
            "signed": "Ja, door beide ouders.",
        },
    )
    weighed = days.back(30)
    _answer(
        case,
        "q1",
        False,
        "Nee. De verklaring van de ouders is aannemelijk en door de judotrainer bevestigd (met toestemming "
        "van de ouders gebeld); de ouders waren open en hadden de zorgen zelf opgemerkt.",
        cast,
        weighed,
        now,
    )
    _step(
        case,
        Step.WEIGHING,
        cast,
        weighed,
        now,
        {
            "weighing_questions": "Direct gevaar: nee. Belemmert de opvoedsituatie een veilige ontwikkeling: "
            "nee, de ouders zijn betrokken en zorgzaam. Risico's in de nabije toekomst: geen; het slapen "
            "pakken de ouders op met de huisarts.",
        },
    )
    decided = days.back(29)
    _step(
        case,
        Step.DECISION,
        cast,
        decided,
        now,
        {
            "reasons": "Geen vermoeden van huiselijk geweld of kindermishandeling (afweging 1: nee). Geen "
            "melding en geen hulp vanuit de Meldcode; het slapen pakken de ouders zelf op met de huisarts.",
        },
        decision_melden=False,
        decision_hulp=False,
    )
    case_close(
        case=case,
        closing_note="Afgesloten na afweging 1: geen vermoeden. De blauwe plekken zijn verklaard (judo) en "
        "de ouders pakken het slapen op met de huisarts. De leerkracht blijft alert en meldt nieuwe "
        "signalen bij de intern begeleider.",
        monitoring_agreements="",
        actor=cast.ib,
        now=_at(now, decided, 16, 0),
    )


# --- 2. help, with an evaluation planned ------------------------------------------------------


def _help_planned(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                30,
                8,
                45,
                "Klaslokaal",
                f"{n} komt de laatste weken vaak te laat, zonder gymspullen en in vieze kleren. Het "
                "broodtrommeltje is vaak leeg.",
                (SignalTag.PHYSICAL,),
            ),
            _Signal(
                27,
                15,
                15,
                "Bij het hek",
                f"De moeder van {n} kwam bij het ophalen verward over en rook naar alcohol. Zij had moeite "
                "om met het kind achterop te fietsen.",
                (SignalTag.PARENT_BEHAVIOUR,),
            ),
        ),
    )
    case = _open(
        pupils,
        signals,
        "Zorgen over de verzorging (te laat, vieze kleren, geen eten) en over alcoholgebruik van de moeder.",
        cast,
        days.back(26),
        now,
    )
    _step(
        case,
        Step.SIGNALS,
        cast,
        days.back(25),
        now,
        {
            "history": "Tot dit schooljaar geen zorgen. De ouders zijn in het voorjaar gescheiden.",
            "signals": f"{_d(days.back(30))}: {n} komt te laat, zonder gymspullen, in vieze kleren en zonder "
            f"eten. {_d(days.back(27))}: de moeder kwam bij het ophalen verward over en rook naar alcohol.",
            "questions": "Sinds een paar weken, bijna dagelijks. Alleen bij dit kind gezien.",
            "kindcheck": "Geen andere kinderen in het gezin.",
        },
    )
    _step(
        case,
        Step.CONSULTATION,
        cast,
        days.back(23),
        now,
        {
            "consulted": "De directeur en de schoolmaatschappelijk werker.",
            "advice": "Het gesprek met de moeder aangaan over de verzorging en het drinken, en haar wijzen "
            "op hulp. Veilig Thuis niet om advies gevraagd: de moeder staat open voor contact en er zijn "
            "geen signalen van direct gevaar.",
        },
        veilig_thuis_advice=VeiligThuisAdvice.NOT_ASKED,
    )
    _step(
        case,
        Step.CONVERSATION,
        cast,
        days.back(20),
        now,
        {
            "participants": "De moeder, de leerkracht en de intern begeleider.",
            "discussed": "De moeder zorgt sinds de scheiding alleen voor het gezin, slaapt slecht en drinkt "
            "'s avonds om te ontspannen. Zij schaamt zich en wil hulp.",
            "agreements": f"De moeder stemt in met hulp van het schoolmaatschappelijk werk; {n} mag op school "
            "ontbijten. Over drie weken een vervolggesprek.",
            "signed": "Ja.",
        },
    )
    asked = days.back(18)
    _answer(
        case,
        "q1",
        True,
        "Ja. Verwaarlozing van de verzorging en alcoholgebruik van de moeder, door haar bevestigd.",
        cast,
        asked,
        now,
    )
    _answer(
        case,
        "q2",
        False,
        f"Nee. Geen acute onveiligheid: {n} is niet in direct gevaar. Geen structurele onveiligheid: geen "
        "geweld, de verwaarlozing is van de laatste maanden en de moeder erkent het probleem.",
        cast,
        asked,
        now,
        minute=10,
    )
    _answer(
        case,
        "q3",
        True,
        "Ja. Het schoolmaatschappelijk werk kan opvoedondersteuning bieden en de moeder naar hulp bij het "
        "drinken verwijzen; de school let op de verzorging.",
        cast,
        asked,
        now,
        minute=20,
    )
    accepted = days.back(15)
    _answer(
        case,
        "q4",
        True,
        "Ja. De moeder heeft de aanmelding zelf ondertekend en het eerste gesprek staat gepland; de vader "
        "is op de hoogte en steunt het.",
        cast,
        accepted,
        now,
    )
    _step(
        case,
        Step.WEIGHING,
        cast,
        accepted,
        now,
        {
            "weighing_questions": "Direct gevaar: nee. Belemmert de opvoedsituatie een gezonde ontwikkeling: "
            "ja, de verzorging schiet tekort. Risico's in de nabije toekomst: ja, als de moeder geen hulp "
            "krijgt.",
        },
        balans=Balans(
            risk_factors=(
                Factor(Level.MICRO, "Alcoholgebruik van de moeder in de avond", FactorGroup.PARENT),
                Factor(Level.MICRO, f"{n} is vaak moe en komt zonder eten op school", FactorGroup.CHILD),
                Factor(Level.MACRO, "Geldzorgen na de scheiding", FactorGroup.SOCIO_ECONOMIC),
            ),
            protective_factors=(
                Factor(Level.MICRO, "De moeder erkent het probleem en wil hulp", FactorGroup.PARENT),
                Factor(
                    Level.MESO,
                    "Oma woont in de buurt en haalt twee middagen per week op",
                    FactorGroup.SOCIAL_FAMILY,
                ),
            ),
            context_score=6,
            goals=(
                f"{n} komt uitgerust, op tijd en met eten op school",
                "De moeder heeft hulp bij het drinken",
            ),
        ),
    )
    _step(
        case,
        Step.DECISION,
        cast,
        days.back(14),
        now,
        {
            "reasons": "Geen acute of structurele onveiligheid (afweging 2: nee); effectieve hulp is mogelijk "
            "en wordt aanvaard (afweging 3 en 4: ja). Geen melding; hulp via het schoolmaatschappelijk "
            "werk. Afweging 5 volgt na de evaluatie van de hulp.",
        },
        decision_melden=False,
        decision_hulp=True,
    )
    started = days.back(10)
    partner = _partner(cast.school, SocialMapKind.SOCIAL_WORK)
    help_record(
        case=case,
        description=f"Opvoedondersteuning voor de moeder (wekelijks) en een verwijzing naar de verslavingszorg; "
        f"op school ontbijt {n} als het nodig is en de leerkracht houdt de verzorging bij.",
        partner=partner,
        partner_other="" if partner else "Schoolmaatschappelijk werk",
        starts_on=started,
        evaluate_on=days.ahead(15),
        actor=cast.ib,
        now=_at(now, started, 15, 0),
    )
    granted = days.back(9)
    access_grant(
        case=case, user=cast.teacher_of(pupils.pupil, granted), actor=cast.ib, now=_at(now, granted, 12, 30)
    )


# --- 3. the melding made, the feedback awaited -----------------------------------------------------


def _melding_made(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    assert pupils.sibling is not None
    s = pupils.sibling.roepnaam
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                16,
                8,
                25,
                "Bij het hek",
                f"Bij het brengen schreeuwde de vader tegen de moeder en gaf haar een harde duw; {n} stond "
                "ernaast en huilde. De moeder had een blauw oog en hield haar zonnebril op.",
                (SignalTag.PARENT_BEHAVIOUR, SignalTag.FAMILY),
            ),
            _Signal(
                14,
                11,
                0,
                "Klaslokaal",
                f"{n} vertelde dat de politie 's nachts thuis was geweest 'omdat papa mama pijn deed', en dat "
                f"{n} en {s} bij de buren hebben geslapen.",
                (SignalTag.FAMILY,),
                told_by="de leerling zelf",
            ),
        ),
    )
    opened = days.back(13)
    case = _open(
        pupils,
        signals,
        f"Geweld van de vader tegen de moeder, gezien bij het hek en door {n} verteld (politie-inzet). "
        "Vermoeden van huiselijk geweld waar de kinderen getuige van zijn.",
        cast,
        opened,
        now,
    )
    mapped = days.back(12)
    _step(
        case,
        Step.SIGNALS,
        cast,
        mapped,
        now,
        {
            "history": "In het dossier: vorig schooljaar een gesprek met de moeder over stil en teruggetrokken "
            "gedrag; geen signalen van geweld.",
            "signals": f"{_d(days.back(16))}: de vader duwde de moeder bij het hek, {n} huilde, de moeder had "
            f"een blauw oog. {_d(days.back(14))}: {n} vertelde over politie-inzet thuis.",
            "signal_list": "Gezinssituatie: partnergeweld; de kinderen zijn getuige (Bijlage 17).",
            "kindcheck": f"{s} (een jonger kind uit hetzelfde gezin) zit ook op school en is getuige van "
            "hetzelfde geweld: aan de casus toegevoegd. Geen andere kinderen in het gezin.",
        },
    )
    related_pupil_add(
        case=case,
        pupil=pupils.sibling,
        relation="Jonger kind uit hetzelfde gezin",
        actor=cast.ib,
        now=_at(now, mapped, 15, 30),
    )
    _step(
        case,
        Step.CONSULTATION,
        cast,
        days.back(10),
        now,
        {
            "consulted": "De directeur en Veilig Thuis (advies op naam, telefonisch).",
            "advice": "Het gesprek voeren met de moeder, op school en zonder de vader, en bij bevestiging van "
            "het geweld melden. De politie heeft na de inzet een zorgmelding gedaan.",
        },
        veilig_thuis_advice=VeiligThuisAdvice.NAMED,
    )
    _step(
        case,
        Step.CONVERSATION,
        cast,
        days.back(8),
        now,
        {
            "participants": "De moeder, de intern begeleider en de directeur (zonder de vader, op advies van "
            "Veilig Thuis).",
            "discussed": f"De moeder bevestigt dat er al langer geweld is en dat het erger wordt. Zij is bang "
            f"voor de reactie van de vader als hij hoort dat de school zich zorgen maakt. {n} en {s} "
            "slapen slecht en zijn thuis stil.",
            "agreements": "De moeder weet dat de school Veilig Thuis betrekt en heeft het nummer van Veilig "
            "Thuis (0800-2000). Vervolggesprek over twee weken.",
            "signed": "Nee: de moeder wilde niets ondertekenen, uit angst dat de vader het vindt.",
        },
    )
    weighed = days.back(6)
    _answer(
        case,
        "q1",
        True,
        "Ja. Geweld van de vader tegen de moeder, gezien bij het hek, bevestigd door de moeder en door de "
        "politie-inzet; de kinderen zijn er getuige van.",
        cast,
        weighed,
        now,
    )
    _answer(
        case,
        "q2",
        True,
        "Ja, structurele onveiligheid (B): het geweld komt terug en wordt erger, de kinderen zijn getuige "
        "en bang, de politie is al betrokken geweest.",
        cast,
        weighed,
        now,
        minute=10,
    )
    _step(
        case,
        Step.WEIGHING,
        cast,
        weighed,
        now,
        {
            "weighing_questions": "Direct gevaar: niet direct lichamelijk voor de kinderen, wel voor de moeder "
            "als het escaleert. Belemmert de opvoedsituatie een veilige ontwikkeling: ja, getuige zijn van "
            "partnergeweld. Risico's in de nabije toekomst: ja, het geweld neemt toe.",
            "shared_with": "Veilig Thuis (advies op naam, stap 2).",
        },
        balans=Balans(
            risk_factors=(
                Factor(
                    Level.MICRO, "Partnergeweld van de vader tegen de moeder, toenemend", FactorGroup.PARENT
                ),
                Factor(Level.MICRO, f"{n} is stil, schrikachtig en slaapt slecht", FactorGroup.CHILD),
                Factor(
                    Level.MESO,
                    "Weinig familie in de buurt; het gezin leeft geïsoleerd",
                    FactorGroup.SOCIAL_FAMILY,
                ),
                Factor(Level.MACRO, "De vader is sinds de zomer werkloos", FactorGroup.SOCIO_ECONOMIC),
            ),
            protective_factors=(
                Factor(Level.MICRO, "De moeder is open naar de school en wil hulp", FactorGroup.PARENT),
                Factor(
                    Level.MESO,
                    "Behulpzame buren bij wie de kinderen terechtkunnen",
                    FactorGroup.SOCIAL_NEIGHBOURHOOD,
                ),
            ),
            context_score=3,
            goals=(
                "De kinderen zijn thuis veilig en geen getuige meer van geweld",
                "De moeder heeft een veiligheidsplan en weet waar zij terechtkan",
            ),
        ),
    )
    _step(
        case,
        Step.DECISION,
        cast,
        days.back(5),
        now,
        {
            "reasons": "Structurele onveiligheid (afweging 2: ja): melden bij Veilig Thuis. Welke hulp nodig is, "
            "bepalen we na de veiligheidsbeoordeling samen met Veilig Thuis (afweging 3 en 4).",
        },
        decision_melden=True,
        decision_hulp=False,
    )
    melded = days.back(2)
    melding_record(
        case=case,
        melded_at=_at(now, melded, 10, 15),
        reference=f"VT-{melded:%Y%m%d}-0741",
        identity_shield=True,
        parents_informed_on=None,
        parents_not_informed_reason="Op advies van Veilig Thuis niet vooraf aan de vader verteld: dat kan de "
        "moeder en de kinderen in gevaar brengen. De moeder weet uit het gesprek van stap 3 dat de school "
        "Veilig Thuis betrekt; Veilig Thuis informeert de ouders.",
        filed_by=cast.ib,
        actor=cast.ib,
        now=_at(now, melded, 10, 45),
    )


# --- 4. the conversation left out, the weighing begun -----------------------------------------------


def _conversation_skipped(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                11,
                11,
                15,
                "Klaslokaal",
                f"{n} schrok hevig en dook weg toen ik achter de stoel langsliep. Dat gebeurt de laatste weken "
                "vaker bij onverwachte bewegingen.",
                (SignalTag.BEHAVIOUR, SignalTag.TOWARDS_ADULTS),
            ),
            _Signal(
                9,
                15,
                30,
                "Klaslokaal (na schooltijd)",
                f"{n} vertelde dat de stiefvader de moeder 's avonds slaat en dat {n} zich dan onder het bed "
                "verstopt. 'Niet tegen mama zeggen, anders wordt hij nog bozer.'",
                (SignalTag.FAMILY, SignalTag.PARENT_BEHAVIOUR),
                told_by="de leerling zelf",
            ),
        ),
    )
    case = _open(
        pupils,
        signals,
        f"{n} vertelt over geweld van de stiefvader tegen de moeder en is schrikachtig in de klas. "
        "Vermoeden van huiselijk geweld.",
        cast,
        days.back(8),
        now,
    )
    _step(
        case,
        Step.SIGNALS,
        cast,
        days.back(7),
        now,
        {
            "history": "Geen eerdere signalen in het dossier.",
            "signals": f"{_d(days.back(11))}: {n} schrikt hevig van onverwachte bewegingen. {_d(days.back(9))}: "
            f"{n} vertelt over geweld van de stiefvader tegen de moeder en is bang dat het uitkomt.",
            "kindcheck": "Een halfbroer van 14 jaar op het voortgezet onderwijs; meegenomen in de vraag aan "
            "Veilig Thuis.",
        },
    )
    _step(
        case,
        Step.CONSULTATION,
        cast,
        days.back(6),
        now,
        {
            "consulted": "De directeur en Veilig Thuis (advies op naam, telefonisch).",
            "advice": f"Het gesprek met de ouders nu niet voeren: de stiefvader kan het opvatten als verraad "
            f"door {n}, met gevaar voor {n} en de moeder. Veilig Thuis denkt mee bij de weging.",
        },
        veilig_thuis_advice=VeiligThuisAdvice.NAMED,
    )
    skipped = days.back(5)
    conversation_skip(
        case=case,
        reason=f"Concrete aanwijzingen dat het gesprek de veiligheid van {n} en de moeder in gevaar brengt: "
        f"{n} vertelde dat de stiefvader bozer wordt als er iets uitkomt, en Veilig Thuis adviseerde het "
        "gesprek nu niet te voeren (stap 2).",
        recorded_on=skipped,
        actor=cast.ib,
        now=_at(now, skipped, 15, 0),
    )
    _answer(
        case,
        "q1",
        True,
        f"Ja. {n} vertelt zelf over geweld tegen de moeder, is schrikachtig en bang dat het uitkomt.",
        cast,
        days.back(4),
        now,
    )


# --- 5. step 2, the advice of Veilig Thuis asked anonymously ---------------------------------------


def _anonymous_advice(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                6,
                10,
                20,
                "Gymzaal (kleedkamer)",
                f"Bij het omkleden zag ik striemen op de achterkant van de bovenbenen van {n}. Op mijn vraag "
                f"wat er gebeurd was, zei {n} 'weet ik niet meer' en kleedde zich snel aan.",
                (SignalTag.PHYSICAL,),
            ),
            _Signal(
                5,
                14,
                50,
                "Klaslokaal (na schooltijd)",
                f"{n} vroeg of de toets van vandaag mee naar huis moest. Toen ik ja zei, begon {n} te huilen: "
                "'dan krijg ik weer straf van papa.'",
                (SignalTag.BEHAVIOUR, SignalTag.FAMILY),
            ),
        ),
    )
    case = _open(
        pupils,
        signals,
        "Striemen op de bovenbenen en angst voor straf thuis. Vermoeden van lichamelijke mishandeling.",
        cast,
        days.back(4),
        now,
    )
    _step(
        case,
        Step.SIGNALS,
        cast,
        days.back(3),
        now,
        {
            "history": "Geen eerdere signalen in het dossier; wisselende resultaten, geen zorgen over gedrag.",
            "signals": f"{_d(days.back(6))}: striemen op de achterkant van beide bovenbenen, gezien bij het "
            f"omkleden; verklaring: 'weet ik niet meer'. {_d(days.back(5))}: {n} huilde bij de vraag of de "
            "toets mee naar huis moest: 'dan krijg ik weer straf van papa'.",
            "signal_list": "Lichamelijk: onverklaard letsel. Gedrag: angst voor de reactie van een ouder "
            "(Bijlage 17).",
            "kindcheck": "Een jonger zusje van drie jaar, nog niet op school; meegenomen in de vraag aan "
            "Veilig Thuis.",
        },
    )
    _step(
        case,
        Step.CONSULTATION,
        cast,
        days.back(1),
        now,
        {
            "consulted": "De directeur en de jeugdverpleegkundige van de GGD; Veilig Thuis anoniem, "
            "telefonisch.",
            "advice": "Veilig Thuis adviseert het gesprek met de ouders te voeren, de striemen concreet te "
            "benoemen en te vragen hoe die zijn ontstaan. Bij een onbevredigende verklaring of nieuwe "
            "signalen opnieuw contact opnemen.",
        },
        veilig_thuis_advice=VeiligThuisAdvice.ANONYMOUS,
    )


# --- 6. just opened ----------------------------------------------------------------------------


def _just_opened(pupils: _Pupils, cast: _Cast, days: SchoolDays, now: dt.datetime) -> None:
    n = pupils.name
    signals = _signals(
        pupils,
        cast,
        days,
        now,
        (
            _Signal(
                2,
                8,
                35,
                "Klaslokaal",
                f"{n} kwam opnieuw zonder jas en zonder ontbijt op school, de derde keer in twee weken, in "
                "dezelfde kleren als de dag ervoor.",
                (SignalTag.PHYSICAL,),
            ),
            _Signal(
                1,
                12,
                40,
                "Schoolplein",
                f"Een klasgenoot vertelde dat {n} in de pauze zei dat er 's avonds vaak niemand thuis is en "
                f"dat {n} dan zelf voor een jonger broertje zorgt.",
                (SignalTag.FAMILY,),
                told_by="een klasgenoot",
            ),
        ),
    )
    _open(
        pupils,
        signals,
        "Herhaaldelijk zonder ontbijt en passende kleding op school, en 's avonds alleen thuis met een "
        "jonger broertje. Zorgen over verwaarlozing: de signalen in kaart brengen.",
        cast,
        days.back(0),
        now,
    )


# In the order the cases were opened (so the case numbers follow the opening dates).
STORIES: tuple[Story, ...] = (
    _closed_with_monitoring,
    _closed_no_suspicion,
    _help_planned,
    _melding_made,
    _conversation_skipped,
    _anonymous_advice,
    _just_opened,
)
