"""Demo data for `seed_demo`: one WPO 4a report at a school with some of its steps taken, and one
conversation note of the school's vertrouwenspersoon. Made through the services, so the report has
its board-only dossier entry and deadlines and every write its audit row.

The report was filed about a week ago (a school day) by a staff member; the board consulted the vertrouwensinspecteur
the next day, found a reasonable suspicion the day after, informed the parents and the accused and
filed the aangifte on the third school day. Telling the vertrouwensinspecteur about the aangifte is still
open (its onverwijld term has passed: the demo shows a late step). The note is an ordinary
conversation that was not reported.

Idempotent: a school with a report gets no second one; a vertrouwenspersoon with a note at the school
gets no second one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lev.schools.models import Board, Membership, Pupil, School

from .models import ConfidantNote, MisconductReport, ReportKind, ReportSource, StepCode
from .services import confidant_note_record, report_file, report_step_record


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _first_day(users: list[Any], board: Board, today: dt.date) -> dt.date:
    """The first day on which every user holds a membership at BOARD (their services check it)."""
    starts = [
        Membership.objects.filter(user=user, board=board)
        .order_by("active_from")
        .values_list("active_from", flat=True)
        .first()
        or today
        for user in users
    ]
    return max(starts)


def seed_misconduct(
    *, board: Board, school: School, users: dict[str, Any], pupils: list[Pupil], now: dt.datetime
) -> dict[str, int]:
    """USERS: "reporter" (anyone working at SCHOOL), "confidant" (its vertrouwenspersoon) and
    "board" (a board member of BOARD). PUPILS: one or two pupils of SCHOOL the report concerns.
    Returns how many reports and notes were written (0 each when they exist already)."""
    assert school.board_id == board.pk
    written = {"reports": 0, "notes": 0}
    today = timezone.localdate(now)
    first = _first_day([users["reporter"], users["board"], users["confidant"]], board, today)
    # About a week of school days, but never before the users held their roles.
    day0 = max(today - dt.timedelta(days=8), first)
    while day0.weekday() >= 5 and day0 < today:
        day0 += dt.timedelta(days=1)

    def day(offset: int) -> dt.date:
        """The OFFSET-th weekday after the day of the report (never after today)."""
        current = day0
        for _ in range(offset):
            current += dt.timedelta(days=1)
            while current.weekday() >= 5:
                current += dt.timedelta(days=1)
        return min(current, today)

    if not MisconductReport.objects.filter(school=school).exists():
        board_user = users["board"]
        report = report_file(
            school=school,
            kind=ReportKind.SEXUAL,
            accused="Invalkracht groep 6 (naam bekend bij de directie)",
            facts=(
                "Tijdens de pauze zag ik dat de invalkracht een leerling uit groep 6 apart nam in het "
                "lokaal en de deur dichtdeed. De leerling kwam huilend naar buiten en zei tegen mij: "
                "'Hij zat aan me, ik wil niet meer bij hem in de klas.'"
            ),
            source=ReportSource.OBSERVED,
            aware_on=day(0),
            pupils=pupils[:2],
            actor=users["reporter"],
            now=_at(day(0), 12, 40),
        )
        report_step_record(
            report=report,
            code=StepCode.CONSULT,
            done_on=day(1),
            note=(
                "Telefonisch overleg met de vertrouwensinspecteur. Advies: er is reden voor een "
                "redelijk vermoeden; neem contact op met de zedenpolitie."
            ),
            actor=board_user,
            now=_at(day(1), 10, 15),
        )
        report_step_record(
            report=report,
            code=StepCode.SUSPICION,
            done_on=day(2),
            decision=True,
            note=(
                "Na het overleg met de vertrouwensinspecteur ziet het bestuur een redelijk vermoeden: "
                "de leerling vertelde het direct en een collega zag de situatie."
            ),
            actor=board_user,
            now=_at(day(2), 9, 0),
        )
        report_step_record(
            report=report,
            code=StepCode.INFORM,
            done_on=day(3),
            note="Ouders van de leerling en de invalkracht zijn door de bestuurder persoonlijk geïnformeerd.",
            actor=board_user,
            now=_at(day(3), 11, 0),
        )
        report_step_record(
            report=report,
            code=StepCode.POLICE_REPORT,
            done_on=day(3),
            place="Politiebureau, afdeling zeden",
            police_reference="PL-DEMO-0001",
            actor=board_user,
            now=_at(day(3), 15, 30),
        )
        written["reports"] = 1
    confidant = users["confidant"]
    if not ConfidantNote.objects.filter(school=school, author=confidant).exists():
        confidant_note_record(
            school=school,
            held_at=_at(day(4), 14, 30),
            with_whom="Leerling uit groep 7",
            summary=(
                "De leerling voelt zich buitengesloten in de klas: bij het buitenspelen mag ze niet "
                "meedoen en in de groepsapp wordt over haar gepraat. Ze wil niet dat de leerkracht het "
                "weet."
            ),
            agreements="Over een week opnieuw praten. Samen bedenken wie ze in vertrouwen kan nemen.",
            follow_up="Nieuw gesprek volgende week dinsdag.",
            actor=confidant,
            now=_at(day(4), 15, 0),
        )
        written["notes"] = 1
    return written
