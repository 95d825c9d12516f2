"""The crisis pages: the list, starting a crisis from an incident, the one page that shows it all and
its small forms (POST-redirect-GET to the part's anchor; errors at the field, typed input kept)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crisis import services as svc
from crisis.models import Crisis, MediaLogEntry, TemporaryMeasure
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.deadlines.models import Deadline, DeadlineStatus
from tests.conftest import signed_in_client
from tests.crisis.helpers import NOW, make_incident, started_crisis
from tests.i18n_helpers import h, t, tn

pytestmark = pytest.mark.django_db

D = dt.date
# Wed 6 May 2026, 10:00 in Amsterdam: the day the first evaluation of a measure from 21 Apr is due.
MAY_6 = dt.datetime(2026, 5, 6, 8, 0, tzinfo=dt.UTC)


def page(client, crisis) -> str:
    response = client.get(f"/crisis/{crisis.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_list_shows_the_schools_crises_to_director_and_ib(world):
    crisis = started_crisis(world)
    for persona in ("director_a", "deputy_a", "ib_a"):
        html = signed_in_client(getattr(world, persona)).get("/crisis/").content.decode()
        assert h(crisis.title) in html
        assert f'href="/crisis/{crisis.pk}/"' in html
    director = signed_in_client(world.director_a).get("/crisis/").content.decode()
    assert 'id="crisis-start"' in director
    assert 'id="crisis-start"' not in signed_in_client(world.ib_a).get("/crisis/").content.decode()
    assert signed_in_client(world.teacher_a).get("/crisis/").status_code == 403


def test_list_empty_state(world):
    html = signed_in_client(world.director_a).get("/crisis/").content.decode()
    assert (
        h(
            t(
                "No crises yet. A crisis that the director starts from an incident appears here, with its actions and measures."
            )
        )
        in html
    )


def test_start_from_an_incident(world):
    incident = make_incident(world.school_a, pupils=[(world.pupil_a, "initiative")], reporter=world.teacher_a)
    client = signed_in_client(world.director_a)
    html = client.get(f"/crisis/nieuw/?incident={incident.pk}").content.decode()
    assert re.search(rf'value="{incident.pk}" id="[^"]+" checked', html)
    assert 'id="id_title"' in html
    response = client.post(
        f"/crisis/nieuw/?incident={incident.pk}", {"title": "Onrust groep 5a", "incidents": [incident.pk]}
    )
    crisis = Crisis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/"
    assert list(crisis.incidents.all()) == [incident]
    html = page(client, crisis)
    for n, title in enumerate(
        ["Voer gesprekken", "Onderneem actie", "Zorg voor opvang", "Communiceer", "Vervolg/evaluatie"],
        start=1,
    ):
        assert f'<h3 class="h5" id="action-{n}-heading">{n}. {title}</h3>' in html


def test_start_keeps_the_typed_title_when_no_incident_is_chosen(world):
    make_incident(world.school_a, reporter=world.teacher_a)
    response = signed_in_client(world.director_a).post("/crisis/nieuw/", {"title": "Onrust op het plein"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Onrust op het plein"' in html
    assert h(t("Choose at least one incident of this school.")) in html
    assert not Crisis.objects.exists()


def test_start_refuses_an_incident_of_another_school(world):
    own = make_incident(world.school_a, reporter=world.teacher_a)
    other = make_incident(world.school_b, reporter=world.teacher_b)
    client = signed_in_client(world.director_a)
    assert client.get(f"/crisis/nieuw/?incident={other.pk}").status_code == 404
    response = client.post("/crisis/nieuw/", {"title": "x", "incidents": [own.pk, other.pk]})
    assert response.status_code == 200
    assert h(t("Choose incidents of this school only.")) in response.content.decode()
    assert not Crisis.objects.exists()


def test_an_incident_already_in_a_crisis_leads_to_that_crisis(world):
    crisis = started_crisis(world)
    response = signed_in_client(world.director_a).get(f"/crisis/nieuw/?incident={crisis.incidents.get().pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/"


def test_the_page_shows_it_all(world):
    crisis = started_crisis(world)
    measure = svc.measure_start(
        crisis=crisis,
        pupil=world.pupil_a,
        description="Speelt binnen het zicht van de leerkracht.",
        starts_on=D(2026, 4, 21),
        actor=world.director_a,
        now=NOW,
    )
    svc.participant_add(
        crisis=crisis,
        name="J. Smit",
        organisation="GGD",
        phone="088 308 33 42",
        actor=world.director_a,
        now=NOW,
    )
    svc.media_log_record(
        crisis=crisis,
        occurred_at=NOW,
        medium="Omroep West",
        question="Wat is er gebeurd?",
        answer="Geen commentaar; verwezen naar het bestuur.",
        spoken_by="het bestuur",
        actor=world.director_a,
        now=NOW,
    )
    svc.crisis_plan_update(
        crisis=crisis,
        weighing="Rode vlag.",
        intended_conversations="",
        involved="",
        actor=world.director_a,
        now=NOW,
    )
    html = page(signed_in_client(world.director_a), crisis)
    for anchor in (
        "actions",
        "plan",
        "participants",
        "contacts",
        "measures",
        "communication",
        "media",
        "evaluation",
    ):
        assert f'<section id="{anchor}" aria-labelledby="{anchor}-heading"' in html
    assert f'id="measure-{measure.pk}"' in html
    assert "wo 06-05-2026" in html  # the first evaluation, with its weekday
    assert "J. Smit" in html and "Omroep West" in html and "Rode vlag." in html
    assert h(t("the board (%(board)s)", board="Stichting Test")) in html
    assert world.pupil_a.full_name in html


def test_every_page_view_is_access_logged_once(world):
    crisis = started_crisis(world)
    AccessLogEntry.objects.all().delete()
    page(signed_in_client(world.ib_a), crisis)
    entry = AccessLogEntry.objects.get()
    assert (entry.user_id, entry.object_type, entry.object_id, entry.role, entry.outcome) == (
        world.ib_a.pk,
        "crisis.crisis",
        str(crisis.pk),
        "care_coordinator",
        AccessOutcome.GRANTED,
    )
    assert signed_in_client(world.teacher_a).get(f"/crisis/{crisis.pk}/").status_code == 403
    refused = AccessLogEntry.objects.exclude(pk=entry.pk).get()
    assert (refused.user_id, refused.outcome) == (world.teacher_a.pk, AccessOutcome.DENIED)
    assert signed_in_client(world.teacher_b).get(f"/crisis/{crisis.pk}/").status_code == 404


def test_the_ib_reads_and_works_only_on_their_own_action(world):
    crisis = started_crisis(world)
    own = crisis.actions.get(code="opvang")
    svc.crisis_action_update(
        action=own, owner=world.ib_a, status="todo", note="", actor=world.director_a, now=NOW
    )
    client = signed_in_client(world.ib_a)
    html = page(client, crisis)
    assert html.count('action="/crisis/') == 1  # one form: the IB's own action card
    assert f'action="/crisis/{crisis.pk}/acties/{own.pk}/"' in html
    assert 'id="id_action-3-status"' in html and 'id="id_action-3-owner"' not in html
    response = client.post(
        f"/crisis/{crisis.pk}/acties/{own.pk}/", {"action-3-status": "busy", "action-3-note": "Gebeld."}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.note, own.owner_id) == ("busy", "Gebeld.", world.ib_a.pk)
    other = crisis.actions.get(code="actie")
    assert (
        client.post(f"/crisis/{crisis.pk}/acties/{other.pk}/", {"action-2-status": "done"}).status_code == 403
    )
    assert client.post(f"/crisis/{crisis.pk}/plan-van-aanpak/", {"plan-weighing": "x"}).status_code == 403


def test_director_sets_owner_and_status_of_an_action(world):
    crisis = started_crisis(world)
    action = crisis.actions.get(code="actie")
    client = signed_in_client(world.director_a)
    response = client.post(
        f"/crisis/{crisis.pk}/acties/{action.pk}/",
        {"action-2-owner": world.ib_a.pk, "action-2-status": "busy", "action-2-note": "Plan met GGD."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#action-2"
    action.refresh_from_db()
    assert (action.owner_id, action.status, action.note) == (world.ib_a.pk, "busy", "Plan met GGD.")


def test_an_owner_without_a_crisis_role_is_refused_at_the_field(world):
    crisis = started_crisis(world)
    action = crisis.actions.get(code="actie")
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/acties/{action.pk}/",
        {"action-2-owner": world.teacher_a.pk, "action-2-status": "busy", "action-2-note": "Mijn notitie"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_action-2-owner_error"' in html
    assert "Mijn notitie" in html  # typed input kept
    action.refresh_from_db()
    assert action.owner_id == world.director_a.pk


def test_add_a_measure_and_record_its_evaluation(world):
    crisis = started_crisis(world)
    with time_machine.travel(NOW, tick=False):
        client = signed_in_client(world.director_a)
        response = client.post(
            f"/crisis/{crisis.pk}/maatregelen/nieuw/",
            {
                "measure-pupil": world.pupil_a.pk,
                "measure-description": "Wordt door een ouder bij de klas gebracht.",
                "measure-starts_on": "2026-04-21",
                "measure-ends_on": "",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#measures"
    measure = TemporaryMeasure.objects.get()
    assert measure.evaluation_deadline.due_on == D(2026, 5, 6)
    with time_machine.travel(MAY_6, tick=False):
        client = signed_in_client(world.director_a)  # a new session: the first one has gone idle
        response = client.post(
            f"/crisis/{crisis.pk}/maatregelen/{measure.pk}/evaluatie/",
            {
                f"evaluation-{measure.pk}-held_on": "2026-05-06",
                f"evaluation-{measure.pk}-with_whom": "leerkracht, moeder, IB",
                f"evaluation-{measure.pk}-outcome": "Gaat goed.",
                f"evaluation-{measure.pk}-changes": "",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/crisis/{crisis.pk}/#measure-{measure.pk}"
        html = page(client, crisis)
    measure.refresh_from_db()
    assert measure.evaluation_deadline.due_on == D(2026, 6, 8)
    assert "ma 08-06-2026" in html
    assert "Gaat goed." in html


def test_a_measure_for_a_pupil_of_another_school_is_refused_at_the_field(world):
    crisis = started_crisis(world)
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/maatregelen/nieuw/",
        {
            "measure-pupil": world.pupil_b.pk,
            "measure-description": "Mijn beschrijving",
            "measure-starts_on": "2026-04-21",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_measure-pupil_error"' in html
    assert h(t("Choose a pupil of this school.")) in html
    assert "Mijn beschrijving" in html
    assert '<details class="lev-no-print" open>' in html
    assert not TemporaryMeasure.objects.exists()


def test_an_end_before_the_start_is_refused_at_the_field(world):
    crisis = started_crisis(world)
    response = signed_in_client(world.director_a).post(
        f"/crisis/{crisis.pk}/maatregelen/nieuw/",
        {
            "measure-pupil": world.pupil_a.pk,
            "measure-description": "x",
            "measure-starts_on": "2026-04-21",
            "measure-ends_on": "2026-04-20",
        },
    )
    html = response.content.decode()
    assert 'id="id_measure-ends_on_error"' in html
    assert (
        h(
            t(
                "The end date cannot be before the start (%(day)s). Choose a date on or after it.",
                day="21-04-2026",
            )
        )
        in html
    )


def test_an_evaluation_in_the_future_is_refused_at_the_field(world):
    crisis = started_crisis(world)
    measure = svc.measure_start(
        crisis=crisis,
        pupil=world.pupil_a,
        description="x",
        starts_on=D(2026, 4, 21),
        actor=world.director_a,
        now=NOW,
    )
    client = signed_in_client(world.director_a)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/crisis/{crisis.pk}/maatregelen/{measure.pk}/evaluatie/",
            {
                f"evaluation-{measure.pk}-held_on": "2026-04-22",
                f"evaluation-{measure.pk}-with_whom": "IB",
                f"evaluation-{measure.pk}-outcome": "Mijn uitkomst",
            },
        )
    html = response.content.decode()
    assert f'id="id_evaluation-{measure.pk}-held_on_error"' in html
    assert "Mijn uitkomst" in html
    assert Deadline.objects.get().status == DeadlineStatus.OPEN


def test_end_a_measure_from_the_page(world):
    crisis = started_crisis(world)
    measure = svc.measure_start(
        crisis=crisis,
        pupil=world.pupil_a,
        description="x",
        starts_on=D(2026, 4, 21),
        actor=world.director_a,
        now=NOW,
    )
    with time_machine.travel(MAY_6, tick=False):
        response = signed_in_client(world.director_a).post(
            f"/crisis/{crisis.pk}/maatregelen/{measure.pk}/beeindigen/",
            {f"end-{measure.pk}-ended_on": "2026-05-06", f"end-{measure.pk}-reason": "Niet meer nodig."},
        )
    assert response.status_code == 302
    assert Deadline.objects.get().status == DeadlineStatus.WAIVED


def test_add_to_the_media_log(world):
    crisis = started_crisis(world)
    client = signed_in_client(world.director_a)
    html = page(client, crisis)
    assert (
        f'value="{h(t("the board (%(board)s)", board="Stichting Test"))}"' in html
    )  # answered by: prefilled
    when = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        f"/crisis/{crisis.pk}/media/nieuw/",
        {
            "media-occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "media-medium": "Leidsch Dagblad, K. Bos",
            "media-question": "Is er een ouderavond?",
            "media-answer": "Nee; ouders krijgen een brief.",
            "media-spoken_by": "het bestuur",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/crisis/{crisis.pk}/#media"
    entry = MediaLogEntry.objects.get()
    assert (entry.medium, entry.recorded_by_id) == ("Leidsch Dagblad, K. Bos", world.director_a.pk)


def test_a_closed_crisis_shows_no_forms(world):
    crisis = started_crisis(world)
    svc.crisis_evaluate_and_close(
        crisis=crisis,
        sounding_board="",
        process_evaluation="Goed verlopen.",
        result_evaluation="",
        close=True,
        actor=world.director_a,
        now=NOW,
    )
    html = page(signed_in_client(world.director_a), crisis)
    assert '<form method="post" action="/crisis/' not in html
    assert "Goed verlopen." in html
    assert h(t("This crisis is closed. It is kept as it was: nothing can be added or changed.")) in html


def test_close_from_the_page_needs_an_evaluation(world):
    crisis = started_crisis(world)
    client = signed_in_client(world.director_a)
    response = client.post(
        f"/crisis/{crisis.pk}/evaluatie/", {"evaluation-sounding_board": "Vier ouders.", "close": "1"}
    )
    assert response.status_code == 200
    assert 'id="id_evaluation-result_evaluation_error"' in response.content.decode()
    crisis.refresh_from_db()
    assert crisis.status == "open"
    response = client.post(
        f"/crisis/{crisis.pk}/evaluatie/",
        {"evaluation-result_evaluation": "Rust keerde terug.", "close": "1"},
    )
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert crisis.status == "closed"


def test_page_queries_do_not_grow_with_the_records(world):
    crisis = started_crisis(world)
    client = signed_in_client(world.director_a)

    def add(n: int) -> None:
        for i in range(n):
            svc.measure_start(
                crisis=crisis,
                pupil=world.pupil_a if i % 2 else world.pupil_a_other,
                description=f"regel {i}",
                starts_on=D(2026, 4, 21),
                actor=world.director_a,
                now=NOW,
            )
            svc.participant_add(
                crisis=crisis, name=f"P{i}", phone="0612345678", actor=world.director_a, now=NOW
            )
            svc.media_log_record(
                crisis=crisis,
                occurred_at=NOW,
                medium=f"m{i}",
                question="q",
                answer="a",
                spoken_by="s",
                actor=world.director_a,
                now=NOW,
            )

    add(1)
    client.get(f"/crisis/{crisis.pk}/")
    with CaptureQueriesContext(connection) as few:
        page(client, crisis)
    add(4)
    measure = TemporaryMeasure.objects.first()
    svc.measure_evaluate(
        measure=measure,
        held_on=D(2026, 5, 6),
        with_whom="IB",
        outcome="x",
        actor=world.director_a,
        now=dt.datetime(2026, 5, 6, 12, tzinfo=dt.UTC),
    )
    with CaptureQueriesContext(connection) as many:
        page(client, crisis)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_start_page_lists_open_crises_for_the_schools_management(world):
    crisis = started_crisis(world)
    for persona in ("director_a", "deputy_a", "ib_a"):
        html = signed_in_client(getattr(world, persona)).get("/").content.decode()
        assert 'id="section-open_crises"' in html
        assert f'<a href="/crisis/{crisis.pk}/">{h(crisis.title)}</a>' in html
        assert (
            h(
                t(
                    "started on %(date)s; %(actions)s",
                    date="21-04-2026",
                    actions=tn("%(count)s action not done", "%(count)s actions not done", 5, count=5),
                )
            )
            in html
        )
    for persona in ("teacher_a", "staff_a", "board_member"):
        assert (
            'id="section-open_crises"'
            not in signed_in_client(getattr(world, persona)).get("/").content.decode()
        )
    svc.crisis_evaluate_and_close(
        crisis=crisis,
        sounding_board="",
        process_evaluation="",
        result_evaluation="Klaar.",
        close=True,
        actor=world.director_a,
        now=NOW,
    )
    assert 'id="section-open_crises"' not in signed_in_client(world.director_a).get("/").content.decode()
