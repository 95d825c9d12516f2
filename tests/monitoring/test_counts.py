"""The monthly count table (lev/monitoring/counts.py) on PostgreSQL: the services keep it, the
rebuild recomputes exactly what they keep, rows survive destroyed records, and two transactions
adding to one cell both count.

The hand-worked story at school A (Europe/Amsterdam, summer time from Sun 29 Mar 2026, so local
time is UTC+2): 31 Mar 2026 23:30 local is 21:30 UTC (March); 1 Apr 2026 00:30 local is
31 Mar 22:30 UTC (April, although still March in UTC).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction

from crisis.services import crisis_start
from escalation import schorsing_services, timeout_services, verwijdering_services
from escalation.models import StepRecord
from escalation.services import step_record
from incidents.incident_services import incident_register
from incidents.models import (
    Incident,
    IncidentCategory,
    IncidentPupil,
    PupilRole,
    Severity,
    Signal,
    SignalSource,
)
from incidents.signal_services import signal_record
from lev.monitoring.counts import count_add, month_of, rebuild
from lev.monitoring.models import CountKind, MonthlyCount
from lev.schools.models import Board, DecisionMaker, Enrolment, GroupPlacement, School
from lev.web.demo import SCHOOLS, demo_seed
from meldcode.models import MeldcodeCase, Melding
from tests.conftest import make_world
from tests.meldcode.conftest import Walk, open_case, walk_to

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def rows(**filters) -> dict[tuple, int]:
    """The count table as {(school brin, month, kind, category): count}."""
    return {
        (r.school.brin, r.month, r.kind, r.category): r.count
        for r in MonthlyCount.objects.filter(**filters).select_related("school")
    }


def table() -> list[tuple]:
    return list(
        MonthlyCount.objects.order_by("school_id", "month", "kind", "category").values_list(
            "board_id", "school_id", "month", "kind", "category", "count"
        )
    )


@pytest.fixture
def w(world):
    """Pupils of school A placed and enrolled since 2020: current on every date of the story."""
    GroupPlacement.objects.filter(pupil__in=[world.pupil_a, world.pupil_a_other]).update(
        starts_on=D(2020, 8, 1)
    )
    for pupil in (world.pupil_a, world.pupil_a_other):
        Enrolment.objects.get_or_create(
            pupil=pupil, school=pupil.school, defaults={"board": pupil.board, "enrolled_on": D(2020, 8, 1)}
        )
    return world


# --- (a) the demo: every hook adds exactly what the rebuild recomputes -----------------------------


SEED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMS)


@pytest.mark.django_db
def test_the_demo_counts_kept_by_the_services_are_exactly_the_rebuilt_counts(settings):
    settings.DEMO_ALLOWED = True
    demo_seed(now=SEED_AT)
    everything = table()
    # The records are the first school's, in the running school year; every other row is the count
    # history (lev/monitoring/demo.py), which stands for destroyed records and is kept by the rebuild.
    first = School.objects.get(brin=SCHOOLS[0].brin)
    kept = [row for row in everything if row[1] == first.pk and row[2] >= D(2026, 8, 1)]

    result = rebuild()

    assert table() == everything
    assert (result.written, result.kept) == (0, len(everything) - len(kept))
    assert result.unchanged == len(kept)
    # Every kind is in the demo, so every hook is compared with its reference definition.
    totals: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    for _board, _school, _month, kind, category, n in kept:
        totals[kind] += n
        if kind == CountKind.LADDER_STEP:
            steps[category] += n
    assert set(totals) == set(CountKind.values)
    # The stappenplan demo (tests/web/test_demo.py): 16 step records (steps 1-4), 4 approved
    # time-outs, 2 decided schorsingen, 2 verwijderingen started, 2 decided.
    assert sum(steps[c] for c in "1234") == 16 == StepRecord.objects.count()
    assert (steps["5"], steps["6"], steps["7"]) == (4, 2, 2)
    assert (totals["time_out"], totals["schorsing"], totals["verwijdering"]) == (4, 2, 2)
    assert totals["signal"] == Signal.objects.count()
    assert totals["incident"] == Incident.objects.count() == 8
    assert totals["meldcode_case"] == MeldcodeCase.objects.count()
    assert totals["melding"] == Melding.objects.count()
    assert totals["crisis"] == 1


# --- (b) hand-worked, through the services ---------------------------------------------------------


def _signal(w, moment: dt.datetime, *, now: dt.datetime) -> Signal:
    return signal_record(
        school=w.school_a,
        pupils=[w.pupil_a],
        happened_at=moment,
        location="Schoolplein",
        description="Duwde een klasgenoot.",
        source=SignalSource.OBSERVED,
        actor=w.teacher_a,
        now=now,
    )


def _incident(w, day: dt.date, time: dt.time, category: str, *, now: dt.datetime) -> Incident:
    return incident_register(
        school=w.school_a,
        happened_on=day,
        happened_time=time,
        location="Schoolplein",
        category=category,
        description="Een klasgenoot geslagen.",
        severity=Severity.values[0],
        pupils=[(w.pupil_a, PupilRole.INITIATIVE)],
        reporter=w.teacher_a,
        actor=w.teacher_a,
        now=now,
    )


def test_signals_count_in_the_local_month_of_when_they_happened(w):
    now = at(D(2026, 4, 1), 10)
    _signal(w, at(D(2026, 3, 31), 23, 30), now=now)
    _signal(w, at(D(2026, 4, 1), 0, 30), now=now)  # 31 Mar 22:30 UTC
    _signal(w, at(D(2026, 4, 1), 9, 0), now=now)

    assert rows() == {
        ("11AA", D(2026, 3, 1), "signal", ""): 1,
        ("11AA", D(2026, 4, 1), "signal", ""): 2,
    }
    assert rebuild().written == 0


def test_incidents_count_per_category_in_the_month_of_their_date(w):
    now = at(D(2026, 4, 1), 10)
    _incident(w, D(2026, 3, 31), dt.time(23, 30), IncidentCategory.BULLYING, now=now)
    _incident(w, D(2026, 4, 1), dt.time(0, 30), IncidentCategory.BULLYING, now=now)
    _incident(w, D(2026, 4, 1), dt.time(8, 0), IncidentCategory.AGGRESSION, now=now)
    _incident(w, D(2026, 3, 2), dt.time(8, 0), IncidentCategory.BULLYING, now=now)

    assert rows() == {
        ("11AA", D(2026, 3, 1), "incident", "pesten"): 2,
        ("11AA", D(2026, 4, 1), "incident", "pesten"): 1,
        ("11AA", D(2026, 4, 1), "incident", "agressie"): 1,
    }
    assert rebuild().written == 0


def test_a_refused_incident_counts_nothing(w):
    with pytest.raises(ValidationError):  # a date in the future
        _incident(w, D(2026, 4, 2), dt.time(8, 0), IncidentCategory.BULLYING, now=at(D(2026, 4, 1), 10))
    assert rows() == {}


def _step(w, step: int, day: dt.date, *, now: dt.datetime) -> StepRecord:
    return step_record(
        pupil=w.pupil_a,
        step=step,
        happened_on=day,
        summary="Gesprek over het gedrag.",
        participants="Leerkracht, leerling",
        agreements="Nieuwe afspraken.",
        parents_informed=True,
        parents_informed_how="telefonisch",
        actor=w.director_a,
        now=now,
    )


def test_the_stappenplan_counts_steps_time_outs_schorsingen_and_their_school_days(w):
    # Steps 3 (31 Mar) and 4 (1 Apr), recorded on 1 Apr.
    _step(w, 3, D(2026, 3, 31), now=at(D(2026, 4, 1), 10))
    _step(w, 4, D(2026, 4, 1), now=at(D(2026, 4, 1), 11))
    # A time-out asked and approved on Thu 30 Apr for Fri 1 May: counted in May (its first day).
    time_out = timeout_services.timeout_request(
        pupil=w.pupil_a,
        reason="Bleef een klasgenoot schoppen.",
        first_day=D(2026, 5, 1),
        last_day=D(2026, 5, 1),
        where="in groep 6a",
        place="in_school",
        work="Rekenen",
        excluded_activities=[],
        longer_confirmed=False,
        actor=w.teacher_a,
        now=at(D(2026, 4, 30), 9),
    )
    assert rows(kind=CountKind.TIME_OUT) == {}  # asked is not counted
    timeout_services.timeout_approve(time_out=time_out, actor=w.director_a, now=at(D(2026, 4, 30), 10))
    # A second time-out asked and withdrawn: never counted.
    second = timeout_services.timeout_request(
        pupil=w.pupil_a,
        reason="Opnieuw.",
        first_day=D(2026, 5, 6),
        last_day=D(2026, 5, 6),
        where="in groep 6a",
        place="in_school",
        work="Taal",
        excluded_activities=[],
        longer_confirmed=False,
        actor=w.teacher_a,
        now=at(D(2026, 5, 5), 9),
    )
    timeout_services.timeout_withdraw(
        time_out=second, reason="Niet meer nodig.", actor=w.teacher_a, now=at(D(2026, 5, 5), 10)
    )
    # A schorsing under the director's mandate, prepared on Wed 27 May for Fri 29 May to Tue 2 Jun:
    # Fri 29 May, Mon 1 Jun, Tue 2 Jun = 3 school days (no closures at school A), all counted in May.
    w.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    w.school_a.save()
    schorsing = schorsing_services.schorsing_prepare(
        pupil=w.pupil_a,
        first_day=D(2026, 5, 29),
        last_day=D(2026, 6, 2),
        reasons="Een klasgenoot geslagen na de time-out.",
        earlier_measures="Time-out op 01-05-2026.",
        incidents=[],
        actor=w.director_a,
        now=at(D(2026, 5, 27), 9),
        use_mandate=True,
    )
    assert schorsing.status == "decided"
    # A second schorsing, submitted to the board (no mandate asked) and not decided: not counted.
    schorsing_services.schorsing_prepare(
        pupil=w.pupil_a,
        first_day=D(2026, 6, 15),
        last_day=D(2026, 6, 15),
        reasons="Opnieuw geslagen.",
        earlier_measures="Schorsing van 29-05-2026.",
        incidents=[
            _incident(
                w, D(2026, 6, 10), dt.time(9, 0), IncidentCategory.AGGRESSION, now=at(D(2026, 6, 10), 12)
            )
        ],
        actor=w.director_a,
        now=at(D(2026, 6, 10), 13),
    )

    month = {m: D(2026, m, 1) for m in (3, 4, 5, 6)}
    assert rows() == {
        ("11AA", month[3], "ladder_step", "3"): 1,
        ("11AA", month[4], "ladder_step", "4"): 1,
        ("11AA", month[5], "ladder_step", "5"): 1,
        ("11AA", month[5], "time_out", ""): 1,
        ("11AA", month[5], "ladder_step", "6"): 1,
        ("11AA", month[5], "schorsing", ""): 1,
        ("11AA", month[5], "schorsing_days", ""): 3,
        ("11AA", month[6], "incident", "agressie"): 1,
    }
    assert rebuild().written == 0


def test_a_verwijdering_counts_step_7_when_started_and_a_verwijdering_when_decided(w):
    # Started Tue 30 Jun 2026 at 23:30 local (21:30 UTC): June. Decided on Wed 1 Jul: July.
    row = verwijdering_services.verwijdering_start(
        pupil=w.pupil_a,
        ground=1,
        ground_explanation="De school kan de zorg niet bieden.",
        earlier_measures="",
        lighter_measures_failed=False,
        warning_given_on=None,
        warning_note="",
        incidents=[],
        interim_arrangement="Blijft op school in groep 6a.",
        actor=w.director_a,
        now=at(D(2026, 6, 30), 23, 30),
    )
    assert rows() == {("11AA", D(2026, 6, 1), "ladder_step", "7"): 1}
    for who in ("groepsleraar", "parents"):
        verwijdering_services.verwijdering_hearing(
            verwijdering=row,
            who=who,
            heard_on=D(2026, 7, 1),
            note="Gehoord.",
            actor=w.director_a,
            now=at(D(2026, 7, 1), 9),
        )
    verwijdering_services.verwijdering_decide(
        verwijdering=row,
        decided_on=D(2026, 7, 1),
        reasons="De veiligheid kan niet langer worden gewaarborgd.",
        actor=w.board_member,
        now=at(D(2026, 7, 1), 10),
    )
    assert rows() == {
        ("11AA", D(2026, 6, 1), "ladder_step", "7"): 1,
        ("11AA", D(2026, 7, 1), "verwijdering", ""): 1,
    }
    # Withdrawn after the decision (bezwaar): the decision taken stays counted.
    verwijdering_services.verwijdering_withdraw(
        verwijdering=row, reason="Herroepen.", actor=w.director_a, now=at(D(2026, 7, 2), 9)
    )
    assert rows(kind=CountKind.VERWIJDERING) == {("11AA", D(2026, 7, 1), "verwijdering", ""): 1}
    assert rebuild().written == 0


def test_a_meldcode_case_and_its_melding_and_a_crisis(w):
    # The Meldcode tests' walk: the signal on Mon 20 Apr 2026, the case opened on Fri 24 Apr and
    # the melding made that day at 11:00.
    walk = Walk(world=w, case=open_case(w), actor=w.ib_a, decider=w.director_a)
    walk_to(walk, "melded")
    # A crisis started on Thu 30 Apr 2026 at 23:30 local: April.
    incident = Incident.objects.create(
        board=w.board,
        school=w.school_a,
        number="2026-0099",
        happened_on=D(2026, 4, 30),
        location="Gymzaal",
        category=IncidentCategory.SEXUAL_BOUNDARY,
        description="In de kleedkamer.",
        severity=Severity.values[0],
        reporter=w.teacher_a,
        recorded_by=w.teacher_a,
        created_at=at(D(2026, 4, 30), 12),
    )
    IncidentPupil.objects.create(incident=incident, pupil=w.pupil_a, role=PupilRole.INITIATIVE)
    crisis_start(
        school=w.school_a,
        incidents=[incident],
        title="Onrust groep 5a",
        actor=w.director_a,
        now=at(D(2026, 4, 30), 23, 30),
    )

    april = D(2026, 4, 1)
    assert rows() == {
        ("11AA", april, "signal", ""): 1,
        ("11AA", april, "meldcode_case", ""): 1,
        ("11AA", april, "melding", ""): 1,
        ("11AA", april, "crisis", ""): 1,
    }
    # The incident was inserted without its service, so only the rebuild counts it.
    result = rebuild()
    assert (result.created, result.updated, result.deleted) == (1, 0, 0)
    assert rows(kind=CountKind.INCIDENT) == {("11AA", april, "incident", "grensoverschrijdend"): 1}


# --- (c) destruction: a month whose records are gone keeps its counts -----------------------------


def test_counts_of_destroyed_records_survive_a_rebuild_and_other_months_are_recomputed(w):
    now = at(D(2026, 4, 1), 10)
    _incident(w, D(2026, 3, 31), dt.time(23, 30), IncidentCategory.BULLYING, now=now)
    _incident(w, D(2026, 3, 30), dt.time(10, 0), IncidentCategory.AGGRESSION, now=now)
    _incident(w, D(2026, 4, 1), dt.time(9, 0), IncidentCategory.BULLYING, now=now)
    _signal(w, at(D(2026, 3, 31), 12), now=now)
    # The March incidents are destroyed (the retention period ended); the signal of March stays.
    march = Incident.objects.filter(happened_on__month=3)
    IncidentPupil.objects.filter(incident__in=march).delete()
    march.delete()
    # April's count is wrong on purpose (as if a hook had been missed): the rebuild corrects it.
    MonthlyCount.objects.filter(month=D(2026, 4, 1), kind=CountKind.INCIDENT).update(count=7)

    result = rebuild()

    assert rows() == {
        ("11AA", D(2026, 3, 1), "incident", "pesten"): 1,  # kept: March has no incidents left
        ("11AA", D(2026, 3, 1), "incident", "agressie"): 1,  # kept
        ("11AA", D(2026, 3, 1), "signal", ""): 1,
        ("11AA", D(2026, 4, 1), "incident", "pesten"): 1,  # recomputed from 7
    }
    assert (result.created, result.updated, result.deleted, result.unchanged, result.kept) == (0, 1, 0, 1, 2)


def test_a_rebuild_deletes_a_count_of_a_month_whose_records_say_otherwise(w):
    now = at(D(2026, 4, 1), 10)
    _incident(w, D(2026, 4, 1), dt.time(9, 0), IncidentCategory.BULLYING, now=now)
    # A row no record supports, in a month that has incident records: it goes.
    count_add_in_transaction(
        school=w.school_a, day=D(2026, 4, 20), kind=CountKind.INCIDENT, category="anders"
    )
    result = rebuild()
    assert rows() == {("11AA", D(2026, 4, 1), "incident", "pesten"): 1}
    assert (result.deleted, result.kept) == (1, 0)


def count_add_in_transaction(**kwargs) -> None:
    with transaction.atomic():
        count_add(**kwargs)


def test_rebuild_for_one_board_and_since_a_month_leaves_the_rest_alone(w):
    now = at(D(2026, 4, 1), 10)
    _incident(w, D(2026, 3, 2), dt.time(9, 0), IncidentCategory.BULLYING, now=now)
    _incident(w, D(2026, 4, 1), dt.time(9, 0), IncidentCategory.BULLYING, now=now)
    MonthlyCount.objects.update(count=5)
    MonthlyCount.objects.create(
        board=w.school_b.board, school=w.school_b, month=D(2026, 4, 1), kind=CountKind.SIGNAL, count=9
    )

    result = rebuild(board=w.board, since=D(2026, 4, 15))

    assert rows() == {
        ("11AA", D(2026, 3, 1), "incident", "pesten"): 5,  # before SINCE: untouched
        ("11AA", D(2026, 4, 1), "incident", "pesten"): 1,
        ("22BB", D(2026, 4, 1), "signal", ""): 9,  # another board: untouched
    }
    assert (result.updated, result.deleted, result.kept) == (1, 0, 0)


def test_the_command_prints_the_rows_written(w):
    now = at(D(2026, 4, 1), 10)
    _incident(w, D(2026, 4, 1), dt.time(9, 0), IncidentCategory.BULLYING, now=now)
    MonthlyCount.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_counts", "--board", w.board.slug, stdout=out)
    assert out.getvalue().startswith("1 rows written (1 created, 0 updated, 0 deleted); 0 unchanged")
    assert rows() == {("11AA", D(2026, 4, 1), "incident", "pesten"): 1}


# --- (e) the scale seeder inserts without the services, then rebuilds --------------------------------


@pytest.mark.django_db
def test_the_scale_seeder_leaves_the_counts_of_what_it_inserted():
    call_command("seed_scale", "--preset", "tiny", stdout=io.StringIO())
    board = Board.objects.get(slug="scale-tiny")
    kept = table()

    result = rebuild(board=board)

    assert table() == kept
    assert result.written == 0
    # The tiny preset, worked out in tests/bench/test_seed_scale.py: 394 signals, 26 incidents, 24
    # step records; 6 time-outs of which 4 + 1 approved (the demo's four and the bulk one), 2
    # schorsingen and 2 verwijderingen decided (the demo's), 2 verwijderingen started; 14 Meldcode
    # cases and 4 meldingen; 1 crisis.
    totals: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    for _board, _school, _month, kind, category, n in kept:
        totals[kind] += n
        if kind == CountKind.LADDER_STEP:
            steps[category] += n
    assert (totals["signal"], totals["incident"], sum(steps[c] for c in "1234")) == (394, 26, 24)
    assert (totals["time_out"], steps["5"], totals["schorsing"], steps["6"]) == (5, 5, 2, 2)
    assert (totals["verwijdering"], steps["7"]) == (2, 2)
    assert (totals["meldcode_case"], totals["melding"], totals["crisis"]) == (14, 4, 1)


# --- count_add itself -------------------------------------------------------------------------------


def test_month_of_reads_an_instant_in_amsterdam():
    assert month_of(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)) == D(2026, 4, 1)  # 00:30 local
    assert month_of(dt.datetime(2026, 1, 31, 22, 59, tzinfo=dt.UTC)) == D(2026, 1, 1)  # 23:59 (winter)
    assert month_of(dt.datetime(2026, 1, 31, 23, 0, tzinfo=dt.UTC)) == D(2026, 2, 1)
    assert month_of(D(2026, 2, 28)) == D(2026, 2, 1)
    with pytest.raises(ValueError):
        month_of(dt.datetime(2026, 3, 31, 22, 30))  # noqa: DTZ001


def test_count_add_needs_a_transaction_a_school_and_a_known_kind(world):
    with pytest.raises(ValueError):
        count_add_in_transaction(school=world.school_a, day=D(2026, 4, 1), kind="nothing")
    with pytest.raises(ValueError):
        count_add_in_transaction(school=999999, day=D(2026, 4, 1), kind=CountKind.SIGNAL)
    with pytest.raises(ValueError):
        count_add_in_transaction(school=world.school_a, day=D(2026, 4, 1), kind=CountKind.SIGNAL, amount=-1)
    count_add_in_transaction(
        school=world.school_a, day=D(2026, 4, 1), kind=CountKind.SCHORSING_DAYS, amount=0
    )
    assert rows() == {}
    count_add_in_transaction(
        school=world.school_a.pk, day=D(2026, 4, 9), kind=CountKind.SCHORSING_DAYS, amount=3
    )
    count_add_in_transaction(
        school=world.school_a, day=D(2026, 4, 30), kind=CountKind.SCHORSING_DAYS, amount=2
    )
    assert rows() == {("11AA", D(2026, 4, 1), "schorsing_days", ""): 5}
    assert MonthlyCount.objects.get().board_id == world.board.pk


# --- (d) two transactions adding to one cell at once -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_transactions_adding_to_the_same_new_cell_end_at_two():
    """The first transaction inserts the row and waits; the second's insert meets the uncommitted
    row and waits for it (seen in pg_stat_activity); the first commits; the second adds to it."""
    world = make_world()
    with pytest.raises(RuntimeError):  # outside a transaction: not part of any change
        count_add(school=world.school_a, day=D(2026, 4, 1), kind=CountKind.SIGNAL)
    inserted, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                count_add(school=world.school_a, day=D(2026, 4, 1), kind=CountKind.SIGNAL)
                inserted.set()
                release.wait(timeout=30)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def second() -> None:
        try:
            inserted.wait(timeout=30)
            with transaction.atomic():
                count_add(school=world.school_a, day=D(2026, 4, 20), kind=CountKind.SIGNAL)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inserted.wait(timeout=30)
    waited = False
    for _ in range(3000):  # until the second transaction waits for the first one's row lock
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                waited = True
                break
        threading.Event().wait(0.01)
    release.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert waited
    assert rows() == {("11AA", D(2026, 4, 1), "signal", ""): 2}
