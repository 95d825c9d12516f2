"""Demo stappenplan episodes for `seed_demo` (and the scale data), made through the services, so
each carries its audit rows, dossier entries, deadline rows and letters.

Ten pupils, one story each, dated back from NOW on school days of the school's calendar (every
service is called with the moment the act happened, never later than NOW):

0. Step 5: steps 3 and 4, then a time-out today (the last school day): asked by the teacher,
   approved by the director, the parents phoned, the letter (`timeout_melding`) made by the IB and
   waiting to be submitted.
1. Step 4, with a time-out for the next school day asked by the teacher and waiting for the
   director's approval.
2. Step 1: the pupils solved it themselves.
3. Step 2: steps 1 and 2.
4. Step 3: a conversation of the teacher with the pupils.
5. Step 6: steps 3 and 4 and a time-out; a schorsing of two school days from the next school day,
   prepared by the director yesterday and approved by the board today, so the report to the
   Inspectie (`inspectie-melding-schorsing`, onverwijld) is due today on the director's list; the
   parents invited, the education arranged, the decision letter made.
6. Step 4: steps 3 and 4, recorded by the IB.
7. Step 5: steps 3 and 4 and a time-out; a schorsing prepared today, waiting for the board.
8. Step 7: steps 3 and 4, a time-out and a schorsing (reported to the Inspectie) that did not
   help; a warning, then a verwijdering on ground 2 (serious misconduct): the rapport, the hearings
   (teacher, parents, pupil), the board's decision, leerplicht told, the decision sent, a school
   approached; the parents' bezwaar received, the board's decision term open.
9. Step 7: a verwijdering on ground 1 (support needs), decided and sent; the bezwaar received and
   a case at the Geschillencommissie passend onderwijs filed (the verweer sent), so the decision
   term on the bezwaar is suspended.

The teacher acts (records steps 1-3, asks for time-outs) for the pupils the teacher teaches on
that day; for the others the IB records the steps and the deputy asks for the time-out, so the
number of records never depends on who teaches whom. Callers pass the pupils the teacher teaches
first.

Idempotent: a school that has any episode gets nothing added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lev.deadlines.calendar_selectors import school_non_school_days
from lev.deadlines.domain.schooldays import MAX_SCHORSING_CALENDAR_OFFSET
from lev.schools.models import Pupil, School
from lev.schools.permissions import teaches_pupil

from . import schorsing_services as schorsing_svc
from . import timeout_services as timeout_svc
from . import verwijdering_services as verwijdering_svc
from .domain.exclusion import TimeOutPlace, last_school_day_on_or_before, next_school_day
from .models import Consequence, Episode, Objection, Schorsing, TimeOut, Verwijdering
from .services import step_record

PUPILS_NEEDED = 10
# How far the school calendar is read around today: the oldest story goes back 50 school days.
CALENDAR_BACK = dt.timedelta(days=200)
CALENDAR_AHEAD = dt.timedelta(days=70)


def _at(now: dt.datetime, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """HOUR:MINUTE local on DAY, never later than NOW."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))), now)


@dataclass(frozen=True)
class SchoolDays:
    """School days counted on the school's calendar from TODAY."""

    today: dt.date
    closed: frozenset[dt.date]

    def back(self, n: int) -> dt.date:
        """The N-th school day before today; for 0, today when it is a school day, else the last one."""
        if n == 0:
            return last_school_day_on_or_before(self.today, self.closed)
        day = self.today
        for _ in range(n):
            day = last_school_day_on_or_before(day - dt.timedelta(days=1), self.closed)
        return day

    def ahead(self, n: int) -> dt.date:
        """The N-th school day after today (N >= 1)."""
        day = self.today
        for _ in range(n):
            day = next_school_day(day + dt.timedelta(days=1), self.closed)
        return day

    def two_days(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """Two school days in a row, the first on or after DAY, at most 6 days apart (a schorsing
        of two school days that is not stretched over a holiday week)."""
        first = next_school_day(day, self.closed)
        while True:
            second = next_school_day(first + dt.timedelta(days=1), self.closed)
            if (second - first).days <= MAX_SCHORSING_CALENDAR_OFFSET:
                return first, second
            first = second


@dataclass(frozen=True)
class _Cast:
    director: Any
    deputy: Any
    ib: Any
    teacher: Any
    board: Any

    def step_actor(self, pupil: Pupil, day: dt.date) -> Any:
        """The teacher for a pupil of the teacher's group on DAY, else the IB."""
        return self.teacher if teaches_pupil(self.teacher, pupil, today=day) else self.ib

    def requester(self, pupil: Pupil, day: dt.date) -> Any:
        """Who asks for a time-out: the teacher for a pupil of the teacher's group, else the deputy."""
        return self.teacher if teaches_pupil(self.teacher, pupil, today=day) else self.deputy


def seed_escalation(
    *, school: School, users: dict[str, Any], pupils: Sequence[Pupil], now: dt.datetime
) -> dict[str, int]:
    """The ten stories of the module docstring at SCHOOL, for PUPILS (ten distinct pupils of the
    school; the teacher's own pupils first). USERS maps "director", "deputy", "ib", "teacher" (of
    the school) and "board" (a board member of its board). Returns what was made; zeros when the
    school has an episode already or fewer than ten pupils were given."""
    counts = {
        "episodes": 0,
        "time_outs": 0,
        "schorsingen": 0,
        "verwijderingen": 0,
        "objections": 0,
        "gpo_cases": 0,
    }
    chosen = list(dict.fromkeys(pupils))[:PUPILS_NEEDED]
    if Episode.objects.filter(school=school).exists() or len(chosen) < PUPILS_NEEDED:
        return counts
    if any(pupil.school_id != school.pk for pupil in chosen):
        raise ValueError("The demo's pupils must be pupils of the school.")
    today = timezone.localdate(now)
    days = SchoolDays(today, school_non_school_days(school, today - CALENDAR_BACK, today + CALENDAR_AHEAD))
    cast = _Cast(users["director"], users["deputy"], users["ib"], users["teacher"], users["board"])
    stories = (
        _time_out_today,
        _time_out_waiting,
        _step_1,
        _step_2,
        _step_3,
        _schorsing_waiting_for_inspectie,
        _step_4,
        _schorsing_waiting_for_board,
        _verwijdering_with_bezwaar,
        _verwijdering_with_gpo_case,
    )
    for story, pupil in zip(stories, chosen, strict=True):
        for name, made in story(pupil, cast, days, now).items():
            counts[name] += made
    counts["episodes"] = Episode.objects.filter(school=school).count()
    return counts


# --- the ladder's steps 1-4 ----------------------------------------------------------------------


def _step(
    pupil: Pupil, cast: _Cast, day: dt.date, now: dt.datetime, step: int, *, by_ib: bool = False
) -> None:
    actor = cast.ib if by_ib else cast.step_actor(pupil, day)
    moment = _at(now, day, 15, 30)
    if step == 1:
        step_record(
            pupil=pupil,
            step=1,
            happened_on=day,
            summary=(
                "Ruzie bij het voetballen in de pauze. De leerlingen hebben het met de stopregel zelf "
                "opgelost en daarna samen verder gespeeld."
            ),
            actor=actor,
            now=moment,
        )
    elif step == 2:
        step_record(
            pupil=pupil,
            step=2,
            happened_on=day,
            summary=(
                "Opnieuw onenigheid bij het voetballen. De leerling kwam zelf hulp vragen bij de "
                "pleinwacht; die heeft de leerlingen apart laten vertellen wat er gebeurde."
            ),
            actor=actor,
            now=moment,
        )
    elif step == 3:
        step_record(
            pupil=pupil,
            step=3,
            happened_on=day,
            summary=(
                "Gesprek met de betrokken leerlingen over het schoppen en uitschelden in de pauze. "
                "Ieder vertelde wat er gebeurde en wat het met hem of haar deed."
            ),
            participants="De leerkracht en de betrokken leerlingen",
            agreements=(
                "De leerling biedt excuses aan en speelt de komende week in de pauze in de buurt van "
                "de pleinwacht. Vrijdag kijken we samen hoe het gaat."
            ),
            parents_informed=True,
            parents_informed_how="Telefonisch, dezelfde middag",
            consequences=[Consequence.STAY_NEAR, Consequence.AGREEMENTS],
            actor=actor,
            now=moment,
        )
    else:
        step_record(
            pupil=pupil,
            step=4,
            happened_on=day,
            summary=(
                "Gesprek op school met de ouders, omdat het gedrag ondanks de afspraken terugkwam. "
                "De ouders herkennen het gedrag ook thuis en willen graag meewerken."
            ),
            participants="De ouders, de leerkracht en de intern begeleider",
            agreements=(
                "Een dagelijkse kaart met drie doelen die de leerling 's middags met de leerkracht "
                "bespreekt en mee naar huis neemt. Over drie weken een vervolggesprek."
            ),
            parents_informed=True,
            parents_informed_how="In het gesprek zelf",
            consequences=[Consequence.STAY_IN, Consequence.WRITTEN_TASK, Consequence.AGREEMENTS],
            actor=cast.ib,
            now=moment,
        )


def _step_1(pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime) -> dict[str, int]:
    _step(pupil, cast, days.back(2), now, 1)
    return {}


def _step_2(pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime) -> dict[str, int]:
    _step(pupil, cast, days.back(7), now, 1)
    _step(pupil, cast, days.back(3), now, 2)
    return {}


def _step_3(pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime) -> dict[str, int]:
    _step(pupil, cast, days.back(4), now, 3)
    return {}


def _step_4(pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime) -> dict[str, int]:
    _step(pupil, cast, days.back(10), now, 3, by_ib=True)
    _step(pupil, cast, days.back(5), now, 4)
    return {}


# --- step 5: the time-out ------------------------------------------------------------------------


def _request(pupil: Pupil, cast: _Cast, day: dt.date, moment: dt.datetime) -> TimeOut:
    return timeout_svc.timeout_request(
        pupil=pupil,
        reason=(
            "De leerling schopte in de klas tegen de stoel van een klasgenoot, gooide daarna een "
            "schrift door het lokaal en bleef schelden toen de leerkracht vroeg te stoppen."
        ),
        first_day=day,
        last_day=day,
        where="in de ruimte van de intern begeleider",
        place=TimeOutPlace.IN_SCHOOL,
        work="Rekenen en taal uit de eigen weektaak, en een opdracht over wat er gebeurde.",
        excluded_activities=[timeout_svc.ExcludedActivity.GYM, timeout_svc.ExcludedActivity.LUNCH_BREAK],
        longer_confirmed=False,
        actor=cast.requester(pupil, timezone.localdate(moment)),
        now=moment,
    )


def _time_out(
    pupil: Pupil, cast: _Cast, day: dt.date, now: dt.datetime, *, letter: bool = False
) -> dict[str, int]:
    """A time-out on DAY: asked at 10:15, approved at 10:30, the parents phoned at 10:45 (and the
    letter made at 11:00)."""
    time_out = _request(pupil, cast, day, _at(now, day, 10, 15))
    timeout_svc.timeout_approve(time_out=time_out, actor=cast.director, now=_at(now, day, 10, 30))
    phoned = _at(now, day, 10, 45)
    timeout_svc.timeout_parents_phoned(
        time_out=time_out,
        phoned_at=phoned,
        note="Moeder gesproken. Zij begrijpt de maatregel en komt morgen na schooltijd langs.",
        actor=cast.director,
        now=phoned,
    )
    if letter:
        timeout_svc.timeout_letter(time_out=time_out, actor=cast.ib, now=_at(now, day, 11, 0))
    return {"time_outs": 1}


def _time_out_today(pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime) -> dict[str, int]:
    _step(pupil, cast, days.back(15), now, 3)
    _step(pupil, cast, days.back(9), now, 4)
    return _time_out(pupil, cast, days.back(0), now, letter=True)


def _time_out_waiting(pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime) -> dict[str, int]:
    _step(pupil, cast, days.back(12), now, 3)
    _step(pupil, cast, days.back(6), now, 4)
    _request(pupil, cast, days.ahead(1), now)
    return {"time_outs": 1}


# --- step 6: the schorsing -----------------------------------------------------------------------


SCHORSING_REASONS = (
    "Na de time-out heeft de leerling opnieuw een klasgenoot geslagen en de leerkracht bedreigd. De "
    "veiligheid van de andere leerlingen en van de leerkracht kan op dit moment niet worden gegarandeerd."
)
EARLIER_MEASURES = "Gesprekken met de leerling en de ouders (stap 3 en 4), een dagkaart en een time-out."


def _prepare(pupil: Pupil, cast: _Cast, period: tuple[dt.date, dt.date], moment: dt.datetime) -> Schorsing:
    return schorsing_svc.schorsing_prepare(
        pupil=pupil,
        first_day=period[0],
        last_day=period[1],
        reasons=SCHORSING_REASONS,
        earlier_measures=EARLIER_MEASURES,
        incidents=[],
        actor=cast.director,
        now=moment,
    )


def _schorsing_waiting_for_inspectie(
    pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime
) -> dict[str, int]:
    _step(pupil, cast, days.back(20), now, 3)
    _step(pupil, cast, days.back(14), now, 4)
    made = _time_out(pupil, cast, days.back(8), now)
    schorsing = _prepare(pupil, cast, days.two_days(days.ahead(1)), _at(now, days.back(1), 16, 0))
    today = days.today
    schorsing_svc.schorsing_board_decide(
        schorsing=schorsing,
        approve=True,
        note="Akkoord. Graag het gesprek met de ouders vóór de eerste dag.",
        actor=cast.board,
        now=_at(now, today, 9, 30),
    )
    schorsing_svc.schorsing_conversation(
        schorsing=schorsing,
        invited_on=today,
        held_on=None,
        teacher_invited=True,
        confidant_offered=True,
        report="",
        signed_on=None,
        actor=cast.director,
        now=_at(now, today, 9, 40),
    )
    schorsing_svc.schorsing_education(
        schorsing=schorsing,
        education_arrangements=(
            "De leerling krijgt werk mee voor rekenen, taal en lezen. De leerkracht belt beide dagen "
            "om 13.00 uur en kijkt het werk na."
        ),
        tests_arrangements="De toets van het rekenblok wordt na de schorsing op school gemaakt.",
        actor=cast.director,
        now=_at(now, today, 9, 45),
    )
    schorsing_svc.schorsing_letter(
        schorsing=schorsing, kind="schorsing_besluit", actor=cast.director, now=_at(now, today, 9, 50)
    )
    return {**made, "schorsingen": 1}


def _schorsing_waiting_for_board(
    pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime
) -> dict[str, int]:
    _step(pupil, cast, days.back(25), now, 3)
    _step(pupil, cast, days.back(18), now, 4)
    made = _time_out(pupil, cast, days.back(11), now)
    _prepare(pupil, cast, days.two_days(days.ahead(2)), _at(now, days.today, 8, 30))
    return {**made, "schorsingen": 1}


# --- step 7: the verwijdering --------------------------------------------------------------------


def _hearings(
    verwijdering: Verwijdering, cast: _Cast, days: SchoolDays, now: dt.datetime, teacher: int, parents: int
) -> None:
    for who, back, note in (
        (
            "groepsleraar",
            teacher,
            "De leerkracht beschrijft de incidenten van dit schooljaar en wat in de klas is geprobeerd.",
        ),
        (
            "parents",
            parents,
            "De ouders zijn het niet eens met het voornemen: zij vinden dat de school te weinig hulp "
            "heeft ingezet. Zij willen dat hun kind op school blijft.",
        ),
        (
            "pupil",
            parents,
            "De leerling vertelt dat het in de groep moeilijk gaat en wil graag op school blijven.",
        ),
    ):
        day = days.back(back)
        verwijdering_svc.verwijdering_hearing(
            verwijdering=verwijdering,
            who=who,
            heard_on=day,
            note=note,
            actor=cast.director,
            now=_at(now, day, 15, 0),
        )


def _decided_and_sent(
    verwijdering: Verwijdering,
    cast: _Cast,
    days: SchoolDays,
    now: dt.datetime,
    *,
    report: int,
    hearings: tuple[int, int],
    decided: int,
    reasons: str,
) -> None:
    """The rapport, the hearings, the board's decision, leerplicht told and the decision sent the
    school day after the decision."""
    made_on = days.back(report)
    verwijdering_svc.verwijdering_report(
        verwijdering=verwijdering, made_on=made_on, actor=cast.director, now=_at(now, made_on, 14, 0)
    )
    _hearings(verwijdering, cast, days, now, *hearings)
    decided_on = days.back(decided)
    verwijdering_svc.verwijdering_decide(
        verwijdering=verwijdering,
        decided_on=decided_on,
        reasons=reasons,
        actor=cast.board,
        now=_at(now, decided_on, 16, 0),
    )
    sent_on = days.back(decided - 1)
    verwijdering_svc.verwijdering_leerplicht_reported(
        verwijdering=verwijdering, reported_on=sent_on, actor=cast.director, now=_at(now, sent_on, 9, 0)
    )
    verwijdering_svc.verwijdering_sent(
        verwijdering=verwijdering, sent_on=sent_on, actor=cast.director, now=_at(now, sent_on, 11, 0)
    )


def _bezwaar(
    verwijdering: Verwijdering, cast: _Cast, days: SchoolDays, now: dt.datetime, received: int, grounds: str
) -> Objection:
    received_on = days.back(received)
    return verwijdering_svc.verwijdering_bezwaar_record(
        verwijdering=verwijdering,
        posted_on=days.back(received + 1),
        received_on=received_on,
        grounds=grounds,
        actor=cast.board,
        now=_at(now, received_on, 12, 0),
    )


def _verwijdering_with_bezwaar(
    pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime
) -> dict[str, int]:
    _step(pupil, cast, days.back(50), now, 3)
    _step(pupil, cast, days.back(46), now, 4)
    made = _time_out(pupil, cast, days.back(42), now)
    schorsing = _prepare(pupil, cast, days.two_days(days.back(37)), _at(now, days.back(39), 16, 0))
    approved = days.back(38)
    schorsing_svc.schorsing_board_decide(
        schorsing=schorsing, approve=True, note="", actor=cast.board, now=_at(now, approved, 10, 0)
    )
    reported = days.back(37)
    schorsing_svc.schorsing_inspectie_reported(
        schorsing=schorsing,
        reported_on=reported,
        reference=f"ISD-{approved:%Y%m%d}-017",
        actor=cast.director,
        now=_at(now, reported, 8, 30),
    )
    warned = days.back(33)
    started = days.back(32)
    verwijdering = verwijdering_svc.verwijdering_start(
        pupil=pupil,
        ground=2,
        ground_explanation=(
            "Na de schorsing heeft de leerling opnieuw klasgenoten geslagen en een leerkracht "
            "bedreigd. De veiligheid van de leerlingen en het personeel is niet langer te waarborgen."
        ),
        earlier_measures=EARLIER_MEASURES + " Een schorsing van twee dagen.",
        lighter_measures_failed=True,
        warning_given_on=warned,
        warning_note=(
            "De directeur heeft de ouders en de leerling in een gesprek en per brief gewaarschuwd dat "
            "bij een volgend ernstig incident verwijdering volgt."
        ),
        incidents=[],
        interim_arrangement="De leerling blijft in de eigen groep, met een vaste plek bij de leerkracht.",
        actor=cast.director,
        now=_at(now, started, 14, 0),
    )
    _decided_and_sent(
        verwijdering,
        cast,
        days,
        now,
        report=31,
        hearings=(30, 29),
        decided=28,
        reasons=(
            "Ernstig wangedrag dat na een waarschuwing en lichtere maatregelen is doorgegaan; de "
            "veiligheid in de groep gaat voor."
        ),
    )
    approached = days.back(24)
    verwijdering_svc.school_approach_add(
        verwijdering=verwijdering,
        school_name="CBS De Wilgenhoek, Alphen aan den Rijn",
        approached_on=approached,
        note="Gesprek met de directeur gepland; het onderwijskundig rapport is toegestuurd.",
        actor=cast.director,
        now=_at(now, approached, 10, 0),
    )
    _bezwaar(
        verwijdering,
        cast,
        days,
        now,
        received=10,
        grounds="De ouders vinden dat de school te weinig hulp heeft ingezet voordat zij tot verwijdering besloot.",
    )
    return {**made, "schorsingen": 1, "verwijderingen": 1, "objections": 1}


def _verwijdering_with_gpo_case(
    pupil: Pupil, cast: _Cast, days: SchoolDays, now: dt.datetime
) -> dict[str, int]:
    started = days.back(30)
    verwijdering = verwijdering_svc.verwijdering_start(
        pupil=pupil,
        ground=1,
        ground_explanation=(
            "De leerling heeft meer ondersteuning nodig dan de school kan bieden, ook met het "
            "arrangement van het samenwerkingsverband. Het ontwikkelingsperspectief wordt niet gehaald."
        ),
        earlier_measures="Een arrangement van het samenwerkingsverband, een eigen leerlijn en een onderwijsassistent.",
        lighter_measures_failed=False,
        warning_given_on=None,
        warning_note="",
        incidents=[],
        interim_arrangement="De leerling blijft in de eigen groep, met de onderwijsassistent vier ochtenden per week.",
        actor=cast.director,
        now=_at(now, started, 14, 0),
    )
    _decided_and_sent(
        verwijdering,
        cast,
        days,
        now,
        report=29,
        hearings=(27, 26),
        decided=24,
        reasons="De school kan niet voldoen aan de ondersteuningsbehoefte van de leerling.",
    )
    _bezwaar(
        verwijdering,
        cast,
        days,
        now,
        received=8,
        grounds="De ouders vinden dat de school de ondersteuning niet lang genoeg heeft geprobeerd.",
    )
    filed = days.back(6)
    case = verwijdering_svc.gpo_case_file(
        verwijdering=verwijdering, filed_on=filed, actor=cast.board, now=_at(now, filed, 13, 0)
    )
    defence = days.back(2)
    verwijdering_svc.gpo_defence_sent(
        case=case, sent_on=defence, actor=cast.board, now=_at(now, defence, 13, 0)
    )
    return {"verwijderingen": 1, "objections": 1, "gpo_cases": 1}
