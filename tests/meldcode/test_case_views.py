"""The Meldcode case pages: opening a case from a pupil's signals, the case list, the five steps
through the forms, the afwegingskader one question at a time, the outcome box and the deadlines,
access granted and revoked, the access log, and a sibling's name shown only to those who may see it.

Time is fixed: Tuesday 24 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import resolve, reverse
from django.utils import translation

from incidents.models import Signal, SignalSource
from incidents.signal_services import signal_record
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.deadlines.models import Deadline
from lev.schools.access import AccessContext
from lev.schools.models import Enrolment, Membership
from meldcode import services
from meldcode.case_selectors import sibling_name_visible
from meldcode.domain.afwegingskader import M3_NOTE, OUTCOME_LABELS, QUESTIONS, Outcome
from meldcode.domain.steps import STEPS, CaseFacts, Event, Step, check
from meldcode.models import AfwegingAnswer, CaseStatus, CaseStepRecord, MeldcodeCase, Melding
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMS)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _enrol(*pupils) -> None:
    for pupil in pupils:
        Enrolment.objects.create(
            board=pupil.board, school=pupil.school, pupil=pupil, enrolled_on=dt.date(2025, 8, 1)
        )


def _signal(world, text: str = "Anna heeft blauwe plekken op haar armen en wil niet naar huis.") -> Signal:
    _enrol(world.pupil_a, world.pupil_a_other)
    return signal_record(
        school=world.school_a,
        pupils=[world.pupil_a],
        happened_at=NOW - dt.timedelta(days=1),
        location="Klaslokaal",
        description=text,
        source=SignalSource.OBSERVED,
        actor=world.teacher_a,
        now=NOW - dt.timedelta(days=1),
    )


def _case(world, pupil=None) -> MeldcodeCase:
    signal = _signal(world)
    return services.case_open(
        pupil=pupil or world.pupil_a,
        signals=[signal] if pupil is None else [],
        reason="Zorgen over blauwe plekken.",
        actor=world.ib_a,
        now=NOW,
    )


def _steps_1_to_3(case: MeldcodeCase, actor) -> None:
    services.step_record(
        case=case,
        step=Step.SIGNALS,
        recorded_on=TODAY,
        content={"history": "Geen eerdere signalen.", "signals": "Blauwe plekken.", "kindcheck": "Nee."},
        actor=actor,
        now=NOW,
    )
    services.step_record(
        case=case,
        step=Step.CONSULTATION,
        recorded_on=TODAY,
        content={"consulted": "Directeur.", "advice": "Gesprek met ouders."},
        veilig_thuis_advice="not_asked",
        actor=actor,
        now=NOW,
    )
    services.step_record(
        case=case,
        step=Step.CONVERSATION,
        recorded_on=TODAY,
        content={"participants": "Moeder.", "discussed": "De plekken.", "agreements": "Nieuw gesprek."},
        actor=actor,
        now=NOW,
    )


def _detail(case: MeldcodeCase) -> str:
    return reverse("meldcode:case_detail", args=[case.pk])


def _nl(text_of) -> str:
    """A text the domain builds in the active language, built in Dutch and escaped as a page shows it."""
    with translation.override("nl"):
        return h(str(text_of()))


# --- opening a case -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_care_coordinator_opens_a_case_from_the_pupils_signals(world):
    signal = _signal(world)
    client = signed_in_client(world.ib_a)
    url = reverse("meldcode:case_open", args=[world.pupil_a.pk])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The signal is offered with its date and its first words; the IB is the default case manager.
    assert "23-11-2026 — Anna heeft blauwe plekken op haar armen en wil niet naar huis." in html
    assert f'<option value="{world.ib_a.pk}" selected>' in html

    response = client.post(
        url, {"signals": [signal.pk], "reason": "Zorgen over blauwe plekken.", "case_manager": world.ib_a.pk}
    )
    case = MeldcodeCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(case)
    assert list(case.signals.all()) == [signal]
    assert case.case_manager == world.ib_a
    assert case.number == "MC-2026-001"
    followed = client.get(response["Location"]).content.decode()
    assert t("The Meldcode case is opened.") in followed


@pytest.mark.django_db
def test_opening_without_a_signal_is_refused_and_keeps_the_reason(world):
    _signal(world)
    client = signed_in_client(world.ib_a)
    response = client.post(
        reverse("meldcode:case_open", args=[world.pupil_a.pk]),
        {"reason": "Zorgen over de thuissituatie.", "case_manager": world.ib_a.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert t("Choose at least one signal about this pupil to open the case from.") in html
    assert "Zorgen over de thuissituatie." in html
    assert not MeldcodeCase.objects.exists()


@pytest.mark.django_db
def test_only_the_care_coordinator_director_and_deputy_open_a_case(world):
    url = reverse("meldcode:case_open", args=[world.pupil_a.pk])
    assert signed_in_client(world.director_a).get(url).status_code == 200
    assert signed_in_client(world.deputy_a).get(url).status_code == 200
    assert signed_in_client(world.teacher_a).get(url).status_code == 403
    assert signed_in_client(world.staff_a).get(url).status_code == 403
    assert signed_in_client(world.teacher_b).get(url).status_code == 404
    assert signed_in_client(world.board_member).get(url).status_code == 404


# --- the list and who sees a case -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_the_case_to_the_case_manager_and_the_director_and_not_to_a_teacher(world):
    case = _case(world)
    current = t("Step %(number)s: %(name)s", number=1, name=t("Map the signals"))
    for user in (world.ib_a, world.director_a):
        html = signed_in_client(user).get(reverse("meldcode:case_list")).content.decode()
        assert case.number in html
        assert "Anna Jansen" in html
        assert "5a" in html
        assert h(current) in html
    teacher = signed_in_client(world.teacher_a)
    html = teacher.get(reverse("meldcode:case_list")).content.decode()
    assert case.number not in html
    assert 'id="case-list-empty"' in html
    assert teacher.get(_detail(case)).status_code == 404
    # The board sees no case at all.
    assert signed_in_client(world.board_member).get(reverse("meldcode:case_list")).status_code == 404
    assert signed_in_client(world.board_member).get(_detail(case)).status_code == 404


@pytest.mark.django_db
def test_the_case_page_is_never_cached_and_every_read_is_access_logged(world):
    case = _case(world)
    client = signed_in_client(world.ib_a)
    reads = AccessLogEntry.objects.filter(
        user=world.ib_a,
        object_type="meldcode.meldcodecase",
        object_id=str(case.pk),
        outcome=AccessOutcome.GRANTED,
    )
    assert reads.count() == 0
    response = client.get(_detail(case))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client.get(_detail(case))
    assert reads.count() == 2
    assert reads.first().pupil_id == world.pupil_a.pk
    # A refused read of a case of the user's school is logged too.
    signed_in_client(world.teacher_a).get(_detail(case))
    assert AccessLogEntry.objects.filter(
        user=world.teacher_a, object_id=str(case.pk), outcome=AccessOutcome.DENIED
    ).exists()


# --- the five steps through the forms ----------------------------------------------------------------


@pytest.mark.django_db
def test_walking_the_five_steps_and_closing_where_the_afwegingskader_ends(world):
    case = _case(world)
    client = signed_in_client(world.ib_a)
    today = TODAY.isoformat()

    def post(name: str, data: dict, *args) -> None:
        response = client.post(reverse(f"meldcode:{name}", args=[case.pk, *args]), data)
        assert response.status_code == 302, response.content.decode()[:3000]

    assert client.get(reverse("meldcode:step_record", args=[case.pk, 1])).status_code == 200
    post(
        "step_record",
        {
            "recorded_on": today,
            "history": "Eerder een signaal over vermoeidheid.",
            "signals": "Blauwe plekken op beide armen, gezien door de leerkracht.",
            "question_which_signals": "Blauwe plekken en angst om naar huis te gaan.",
            "kindcheck": "Een broertje op de peuterspeelzaal.",
        },
        1,
    )
    post(
        "step_record",
        {
            "recorded_on": today,
            "consulted": "Collega IB en directeur.",
            "advice": "Gesprek met de ouders voeren.",
            "veilig_thuis_advice": "anonymous",
        },
        2,
    )
    post(
        "step_record",
        {
            "recorded_on": today,
            "participants": "Moeder en IB.",
            "discussed": "De plekken; moeder zegt dat Anna van de fiets viel.",
            "agreements": "Over twee weken een nieuw gesprek.",
            "signed": "yes",
        },
        3,
    )
    post(
        "question_answer",
        {
            "answer-question": "q1",
            "answer-answer": "no",
            "answer-reasoning": "De uitleg van moeder past bij de plekken; geen vermoeden.",
            "answer-answered_on": today,
        },
    )
    post(
        "step_record",
        {
            "recorded_on": today,
            "weighing_direct_danger": "Nee.",
            "weighing_upbringing": "Nee.",
            "weighing_near_future": "Niet te verwachten.",
            "risk_1_level": "micro",
            "risk_1_group": "child",
            "risk_1_description": "Blauwe plekken",
            "risk_2_level": "meso",
            "risk_2_description": "",
            "protective_1_level": "meso",
            "protective_1_description": "Betrokken oma",
            "context_score": "8",
            "goals": "Anna gaat met plezier naar huis\n",
        },
        4,
    )
    post(
        "step_record",
        {
            "recorded_on": today,
            "decision_melden": "no",
            "decision_hulp": "no",
            "reasons": "Geen vermoeden na het gesprek met moeder.",
            "decided_by": world.director_a.pk,
        },
        5,
    )

    steps = {row.step: row for row in CaseStepRecord.objects.filter(case=case)}
    assert sorted(steps) == [1, 2, 3, 4, 5]
    assert steps[1].content["questions"] == (
        f"{t('Which signals are there: what have you seen or heard?')}\nBlauwe plekken en angst om naar huis te gaan."
    )
    assert steps[2].veilig_thuis_advice == "anonymous"
    assert steps[3].content["signed"] == "ja"
    assert steps[4].balans == {
        "risk_factors": [{"level": "micro", "description": "Blauwe plekken", "group": "child"}],
        "protective_factors": [{"level": "meso", "description": "Betrokken oma", "group": ""}],
        "context_score": 8,
        "goals": ["Anna gaat met plezier naar huis"],
    }
    assert (steps[5].decision_melden, steps[5].decision_hulp, steps[5].decided_by) == (
        False,
        False,
        world.director_a,
    )

    html = client.get(_detail(case)).content.decode()
    # Each record with its label; the Balansmodel per level; the answer with its branch and reasoning.
    assert h(t("The pupil's history: earlier or similar signals in the file")) in html
    assert "Eerder een signaal over vermoeidheid." in html
    assert h(t("Microsystem")) in html and "Blauwe plekken" in html and h(t("Child factors")) in html
    assert "Betrokken oma" in html
    assert "De uitleg van moeder past bij de plekken; geen vermoeden." in html
    assert h(str(QUESTIONS["q1"].text)) in html
    assert h(t("Outcome: %(label)s", label=t("Close and record in the file"))) in html
    assert 'id="close-form"' in html

    post("case_close", {"close-closing_note": "Geen vermoeden; afgesloten na het gesprek."})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closing_note == "Geen vermoeden; afgesloten na het gesprek."


@pytest.mark.django_db
def test_step_2_before_step_1_shows_the_rule_and_keeps_what_was_typed(world):
    case = _case(world)
    response = signed_in_client(world.ib_a).post(
        reverse("meldcode:step_record", args=[case.pk, 2]),
        {
            "recorded_on": TODAY.isoformat(),
            "consulted": "Overlegd met de schoolmaatschappelijk werker.",
            "advice": "Eerst signalen verzamelen.",
            "veilig_thuis_advice": "not_asked",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _nl(lambda: check(Event.RECORD_CONSULTATION, CaseFacts()).reason) in html
    assert "Overlegd met de schoolmaatschappelijk werker." in html
    assert "Eerst signalen verzamelen." in html
    assert not CaseStepRecord.objects.exists()


@pytest.mark.django_db
def test_a_step_without_what_it_records_names_the_missing_field(world):
    case = _case(world)
    response = signed_in_client(world.ib_a).post(
        reverse("meldcode:step_record", args=[case.pk, 1]),
        {"recorded_on": TODAY.isoformat(), "history": "Geen eerdere signalen."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    missing = t("This is required for step {number} ({name}).").format(
        number=1, name=t(str(STEPS[Step.SIGNALS].name))
    )
    assert f'id="id_signals_error" class="lev-field-error" role="alert">{h(missing)}' in html
    assert "Geen eerdere signalen." in html
    assert not CaseStepRecord.objects.exists()


# --- the afwegingskader ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_afwegingskader_form_answers_only_the_next_question(world):
    case = _case(world)
    client = signed_in_client(world.ib_a)
    html = client.get(_detail(case)).content.decode()
    # Before step 3 no question can be answered: the page says why, and offers no form.
    assert 'id="answer-form"' not in html
    assert _nl(lambda: check(Event.ANSWER_QUESTION, CaseFacts()).reason) in html

    _steps_1_to_3(case, world.ib_a)
    html = client.get(_detail(case)).content.decode()
    assert 'id="answer-form"' in html
    assert 'name="answer-question" value="q1"' in html
    assert h(str(QUESTIONS["q1"].text)) in html

    response = client.post(
        reverse("meldcode:question_answer", args=[case.pk]),
        {
            "answer-question": "q2",
            "answer-answer": "yes",
            "answer-reasoning": "Herhaalde plekken.",
            "answer-answered_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        h(t("Answer question {number} now: the afwegingskader is walked in order.").format(number="1"))
        in html
    )
    assert "Herhaalde plekken." in html
    assert not AfwegingAnswer.objects.exists()


@pytest.mark.django_db
def test_a_required_melding_shows_the_outcome_the_deadline_and_asks_the_next_question_with_veilig_thuis(
    world,
):
    case = _case(world)
    _steps_1_to_3(case, world.ib_a)
    for question in ("q1", "q2"):
        services.question_answer(
            case=case,
            question=question,
            answer=True,
            reasoning="Herhaalde plekken en angst.",
            answered_on=TODAY,
            with_veilig_thuis=False,
            actor=world.ib_a,
            now=NOW,
        )
    services.step_record(
        case=case,
        step=Step.WEIGHING,
        recorded_on=TODAY,
        content={"weighing_questions": "Structurele onveiligheid."},
        actor=world.ib_a,
        now=NOW,
    )
    client = signed_in_client(world.ib_a)
    html = client.get(_detail(case)).content.decode()
    assert h(t("Outcome so far: %(label)s", label=str(OUTCOME_LABELS[Outcome.REPORT]))) in html
    assert h(t("A melding at Veilig Thuis is required.")) in html
    assert h(str(M3_NOTE)) in html

    response = client.post(
        reverse("meldcode:step_record", args=[case.pk, 5]),
        {
            "recorded_on": TODAY.isoformat(),
            "decision_melden": "yes",
            "decision_hulp": "no",
            "reasons": "Het afwegingskader vraagt om een melding.",
            "decided_by": world.director_a.pk,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("meldcode:melding_record", args=[case.pk]),
        {
            "melded_at": "2026-11-24T09:30",
            "reference": "VT-2026-118",
            "parents_informed_on": TODAY.isoformat(),
            "filed_by": world.ib_a.pk,
        },
    )
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert melding.reference == "VT-2026-118"

    html = client.get(_detail(case)).content.decode()
    # The reminder to ask Veilig Thuis for feedback: the fifth working day after Tue 24-11-2026.
    deadline = Deadline.objects.get(case_id=case.pk)
    assert deadline.due_on == dt.date(2026, 12, 1)
    assert 'id="case-deadlines"' in html and deadline.rule_title in html and "01-12-2026" in html
    # Question 3 follows the melding and is answered together with Veilig Thuis: pre-ticked.
    assert 'name="answer-question" value="q3"' in html
    assert (
        'name="answer-with_veilig_thuis" id="id_answer-with_veilig_thuis" class="form-check-input" checked'
        in html
    )

    response = client.post(
        reverse("meldcode:feedback_record", args=[case.pk, melding.pk]),
        {
            f"feedback-{melding.pk}-feedback_on": TODAY.isoformat(),
            f"feedback-{melding.pk}-kind": "onderzoek",
            f"feedback-{melding.pk}-feedback": "Veilig Thuis start een onderzoek.",
        },
    )
    assert response.status_code == 302
    melding.refresh_from_db()
    assert melding.feedback_kind == "onderzoek"
    # A melding of another case is not reachable through this case.
    other = services.case_open(
        pupil=world.pupil_a,
        signals=list(case.signals.all()),
        reason="Tweede casus.",
        actor=world.ib_a,
        now=NOW,
    )
    assert (
        client.post(reverse("meldcode:feedback_record", args=[other.pk, melding.pk]), {}).status_code == 404
    )


# --- access granted and revoked; siblings -------------------------------------------------------------


@pytest.mark.django_db
def test_a_granted_teacher_reads_the_case_only_and_loses_it_when_revoked(world):
    case = _case(world)
    manager = signed_in_client(world.ib_a)
    response = manager.post(
        reverse("meldcode:access_grant", args=[case.pk]), {"grant-user": world.teacher_a.pk}
    )
    assert response.status_code == 302

    teacher = signed_in_client(world.teacher_a)
    response = teacher.get(_detail(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="read-only"' in html
    assert 'id="next-actions"' not in html
    assert 'id="grant-form"' not in html and 'id="close-form"' not in html and 'id="related-form"' not in html
    assert case.number in teacher.get(reverse("meldcode:case_list")).content.decode()
    # Reading is all: every write answers 403.
    assert teacher.get(reverse("meldcode:step_record", args=[case.pk, 1])).status_code == 403
    assert (
        teacher.post(
            reverse("meldcode:step_record", args=[case.pk, 1]),
            {"recorded_on": TODAY.isoformat(), "history": "x", "signals": "y", "kindcheck": "z"},
        ).status_code
        == 403
    )
    assert not CaseStepRecord.objects.exists()

    response = manager.post(reverse("meldcode:access_revoke", args=[case.pk, world.teacher_a.pk]))
    assert response.status_code == 302
    assert teacher.get(_detail(case)).status_code == 404


@pytest.mark.django_db
def test_a_siblings_name_is_hidden_from_a_granted_teacher_who_does_not_teach_the_sibling(world):
    case = _case(world)
    services.related_pupil_add(
        case=case, pupil=world.pupil_a_other, relation="broer", actor=world.ib_a, now=NOW
    )
    services.access_grant(case=case, user=world.teacher_a, actor=world.ib_a, now=NOW)

    teacher_html = signed_in_client(world.teacher_a).get(_detail(case)).content.decode()
    assert "Bram de Vries" not in teacher_html
    assert h(t("a brother or sister (no access)")) in teacher_html
    director_html = signed_in_client(world.director_a).get(_detail(case)).content.decode()
    assert "Bram de Vries" in director_html
    assert h(t("a brother or sister (no access)")) not in director_html


def _ctx(user) -> AccessContext:
    return AccessContext(
        user=user, memberships=list(Membership.objects.filter(user=user).select_related("school"))
    )


@pytest.mark.django_db
def test_who_may_see_a_siblings_name(world):
    # teacher_a teaches pupil_a (group 5a), not pupil_a_other (group 6a).
    assert sibling_name_visible(_ctx(world.teacher_a), world.pupil_a, TODAY)
    assert not sibling_name_visible(_ctx(world.teacher_a), world.pupil_a_other, TODAY)
    for lead in (world.ib_a, world.director_a, world.deputy_a):
        assert sibling_name_visible(_ctx(lead), world.pupil_a_other, TODAY)
    for other in (world.staff_a, world.confidant_a, world.teacher_b, world.board_member):
        assert not sibling_name_visible(_ctx(other), world.pupil_a_other, TODAY)


@pytest.mark.django_db
def test_the_director_hands_the_case_to_another_case_manager(world):
    case = _case(world)
    url = reverse("meldcode:case_manager_set", args=[case.pk])
    assert (
        signed_in_client(world.ib_a).post(url, {"manager-case_manager": world.deputy_a.pk}).status_code == 403
    )
    response = signed_in_client(world.director_a).post(url, {"manager-case_manager": world.deputy_a.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.case_manager == world.deputy_a


@pytest.mark.django_db
def test_a_balansmodel_without_a_risk_factor_is_refused_above_its_rows(world):
    case = _case(world)
    _steps_1_to_3(case, world.ib_a)
    services.question_answer(
        case=case,
        question="q1",
        answer=True,
        reasoning="Vermoeden.",
        answered_on=TODAY,
        with_veilig_thuis=False,
        actor=world.ib_a,
        now=NOW,
    )
    response = signed_in_client(world.ib_a).post(
        reverse("meldcode:step_record", args=[case.pk, 4]),
        {
            "recorded_on": TODAY.isoformat(),
            "weighing_direct_danger": "Nee.",
            "protective_1_level": "micro",
            "protective_1_description": "Sterke band met de juf",
            "context_score": "5",
            "goals": "Rust thuis",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    refused = h(t("Name at least one worry, signal or risk factor, on its level (Bijlage 13)."))
    fieldset = html[html.index('id="risk-factors"') : html.index('id="protective-factors"')]
    assert refused in fieldset
    assert "Sterke band met de juf" in html and "Rust thuis" in html
    assert not CaseStepRecord.objects.filter(step=4).exists()


def test_every_case_page_has_the_short_idle_timeout():
    from meldcode import case_urls

    for pattern in case_urls.urlpatterns:
        url = reverse(f"meldcode:{pattern.name}", kwargs=dict.fromkeys(pattern.pattern.converters, 1))
        assert getattr(resolve(url).func, "lev_sensitive", False), pattern.name
