"""The Vlaggensysteem pages: who may weigh and read, the suggestion ("Bereken suggestie"), the form
keeping what was typed, the read-only page and the summary on the incident page.

The views use the real clock (the service gets `timezone.now()`); the incident lies in the past.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override, pgettext

from incidents import flag_forms
from incidents.domain import flags as d
from incidents.flag_services import assessments_of
from incidents.models import CriterionAnswer, Flag, FlagAssessment
from lev.audit.models import AccessLogEntry, AccessOutcome
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

from .test_flag_services import make_incident, weigh


def pt(context: str, msgid: str) -> str:
    with override("nl"):
        return pgettext(context, msgid)


def new_url(incident) -> str:
    return f"/incidenten/{incident.pk}/vlaggensysteem/"


def detail_url(assessment) -> str:
    return f"/incidenten/{assessment.incident_id}/vlaggensysteem/{assessment.pk}/"


def form_data(world, **overrides) -> dict[str, str]:
    """A complete weighing of pupil_a: only the context not met (step 3: geel)."""
    data = {f"crit_{code}": "met" for code in d.CRITERION_CODES}
    data.update(
        {
            "subject": str(world.pupil_a.pk),
            "crit_contextadequaat": "not_met",
            "crit_contextadequaat_note": "In de klas, tijdens de les.",
            "q_ind_druk": "Nee, er was geen groepsdruk.",
            "gap_risico_veiligheid": "Nee.",
            "flag": "geel",
            "deviation_reason": "",
            "pedagogical_response": "Waarschuwen of begrenzen.",
            "decision_zwaarte": "Eenmalig en kleinschalig.",
            "action": "save",
        }
    )
    data.update(overrides)
    return data


# --- The labels belong to the domain's codes ---------------------------------------------------------


def test_interface_labels_cover_the_domain_and_the_models():
    assert set(flag_forms.CRITERION_LABELS) == set(d.CRITERION_CODES) == set(flag_forms.CRITERION_HELP)
    assert list(flag_forms.INDIVIDUAL_QUESTION_LABELS) == [q.code for q in d.INDIVIDUAL_QUESTIONS]
    assert list(flag_forms.GROUP_QUESTION_LABELS) == [q.code for q in d.GROUP_QUESTIONS]
    assert list(flag_forms.GAP_LABELS) == [q.code for q in d.GAP_QUESTIONS]
    assert list(flag_forms.DECISION_LABELS) == [q.code for q in d.DECISION_POINTS]
    assert set(flag_forms.REASON_TEXTS) == set(d.Reason)
    # The domain's values are the models' choices.
    assert [f.value for f in d.FLAG_ORDER] == list(Flag.values)
    assert {a.value for a in d.Answer} == set(CriterionAnswer.values)


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_leads_get_the_form_the_reporting_teacher_does_not(world):
    incident = make_incident(world)
    for lead in (world.director_a, world.deputy_a, world.ib_a):
        response = signed_in_client(lead).get(new_url(incident))
        assert response.status_code == 200
        assert h(t("Weigh with the Vlaggensysteem")) in response.content.decode()
    # teacher_a reported the incident: may read it, not weigh it.
    assert signed_in_client(world.teacher_a).get(new_url(incident)).status_code == 403
    assert signed_in_client(world.teacher_a).post(new_url(incident), form_data(world)).status_code == 403
    assert signed_in_client(world.staff_a).get(new_url(incident)).status_code == 403
    # Another school's incident is not found.
    assert signed_in_client(world.teacher_b).get(new_url(incident)).status_code == 404
    other = make_incident(world, own=False)
    assert signed_in_client(world.director_a).get(new_url(other)).status_code == 404
    assert FlagAssessment.objects.count() == 0


@pytest.mark.django_db
def test_the_reporter_reads_the_weighing_others_do_not(world):
    incident = make_incident(world)
    assessment = weigh(world, incident, now=timezone.now())
    response = signed_in_client(world.teacher_a).get(detail_url(assessment))
    assert response.status_code == 200
    page = response.content.decode()
    assert h(t("Vlaggensysteem weighing")) in page
    # The flag carries its word, never colour alone; so does the suggestion.
    with override("nl"):
        yellow = str(Flag.YELLOW.label)
    assert f'<span class="badge text-bg-warning">{h(yellow)}</span>' in page
    assert f'<span class="badge text-bg-warning">{h(pt("flag", "Yellow"))}</span>' in page
    assert h(t("Incomplete: gaps")) not in page
    # Not a lead: no link to weigh again.
    assert f'href="{new_url(incident)}"' not in page
    assert AccessLogEntry.objects.filter(user=world.teacher_a, outcome=AccessOutcome.GRANTED).count() == 1

    assert signed_in_client(world.staff_a).get(detail_url(assessment)).status_code == 403
    assert signed_in_client(world.teacher_b).get(detail_url(assessment)).status_code == 404
    assert signed_in_client(world.board_member).get(detail_url(assessment)).status_code == 404
    # An assessment id under another incident's URL is not found.
    second = make_incident(world, number="2026-0002")
    wrong = f"/incidenten/{second.pk}/vlaggensysteem/{assessment.pk}/"
    assert signed_in_client(world.director_a).get(wrong).status_code == 404


# --- The form ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calculate_suggestion_fills_in_the_flag_and_its_response_without_saving(world):
    incident = make_incident(world)
    client = signed_in_client(world.ib_a)
    data = {
        "subject": str(world.pupil_a.pk),
        "crit_vrijwilligheid": "not_met",
        "crit_vrijwilligheid_note": "Hij werd door twee anderen vastgehouden.",
        "crit_gelijkwaardigheid": "unknown",
        "action": "suggest",
    }
    response = client.post(new_url(incident), data)
    assert response.status_code == 200
    page = response.content.decode()
    # Voluntariness not met (step 2a) → rood; four criteria unanswered count as unknown.
    assert h(pt("flag", "Red")) in page
    assert h(t("Voluntariness is not met: there was coercion or seduction.")) in page
    assert h(t("Incomplete: gaps")) in page
    assert 'name="flag" value="rood" id="id_flag_2" checked' in page
    assert "Verbieden.</textarea>" in page
    assert 'name="shown_suggestion" value="rood"' in page
    # What was typed is kept, and no errors are shown for what is still missing.
    assert "Hij werd door twee anderen vastgehouden.</textarea>" in page
    assert 'name="crit_gelijkwaardigheid" value="unknown" id="id_crit_gelijkwaardigheid_2" checked' in page
    assert h(t("Choose a flag.")) not in page
    assert FlagAssessment.objects.count() == 0

    # With inequality known to be not met and self-respect not met too: step 1a → zwart. The flag
    # follows the new suggestion because the assessor kept the old one; so does the response.
    data.update(
        {
            "crit_gelijkwaardigheid": "not_met",
            "crit_zelfrespecterend": "not_met",
            "flag": "rood",
            "pedagogical_response": "Verbieden.",
            "shown_suggestion": "rood",
        }
    )
    page = client.post(new_url(incident), data).content.decode()
    assert 'name="flag" value="zwart" id="id_flag_3" checked' in page
    assert "Straffen of ingrijpen.</textarea>" in page

    # A flag the assessor chose themselves, and their own response, stay as they are.
    data.update({"flag": "geel", "pedagogical_response": "Eigen tekst.", "shown_suggestion": "zwart"})
    page = client.post(new_url(incident), data).content.decode()
    assert 'name="flag" value="geel" id="id_flag_1" checked' in page
    assert "Eigen tekst.</textarea>" in page


@pytest.mark.django_db
def test_recording_a_weighing_redirects_to_it(world):
    incident = make_incident(world)
    client = signed_in_client(world.director_a)
    response = client.post(new_url(incident), form_data(world))
    assessment = FlagAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(assessment)
    assert (assessment.suggested_flag, assessment.flag, assessment.pupil) == ("geel", "geel", world.pupil_a)
    assert assessment.criteria["contextadequaat"] == {
        "answer": "not_met",
        "note": "In de klas, tijdens de les.",
    }
    assert assessment.questions["druk"] == "Nee, er was geen groepsdruk."
    page = client.get(response["Location"]).content.decode()
    assert h(t("The weighing has been recorded. It is now the current one.")) in page
    assert "In de klas, tijdens de les." in page
    assert h(pt("criterion", "Not met")) in page
    assert f'href="{new_url(incident)}"' in page  # a lead may weigh again


@pytest.mark.django_db
def test_another_flag_without_a_reason_is_refused_at_the_field_and_keeps_the_input(world):
    incident = make_incident(world)
    client = signed_in_client(world.ib_a)
    response = client.post(new_url(incident), form_data(world, flag="rood"))
    assert response.status_code == 200
    page = response.content.decode()
    with override("nl"):
        yellow = str(Flag.YELLOW.label)
    message = t(
        "You chose another flag than the suggestion (%(suggested)s). Write why you chose this flag.",
        suggested=yellow,
    )
    assert f'id="id_deviation_reason_error" class="lev-field-error" role="alert">{h(message)}</div>' in page
    assert "In de klas, tijdens de les.</textarea>" in page
    assert "Nee, er was geen groepsdruk.</textarea>" in page
    assert 'name="flag" value="rood" id="id_flag_2" checked' in page
    assert FlagAssessment.objects.count() == 0


@pytest.mark.django_db
def test_missing_answers_and_a_pupil_of_another_school_are_refused_at_their_fields(world):
    incident = make_incident(world)
    client = signed_in_client(world.ib_a)
    data = form_data(world, subject=str(world.pupil_b.pk), decision_zwaarte="")
    del data["crit_vrijwilligheid"]
    page = client.post(new_url(incident), data).content.decode()
    assert 'id="id_crit_vrijwilligheid_error"' in page
    assert h(t("Choose for this criterion: met, not met or unknown.")) in page
    assert 'id="id_subject_error"' in page  # not a choice: pupil_b is not in this incident
    assert 'id="id_decision_zwaarte_error"' in page
    assert "In de klas, tijdens de les.</textarea>" in page
    assert FlagAssessment.objects.count() == 0


@pytest.mark.django_db
def test_group_questions_replace_the_individual_ones_and_nothing_typed_is_lost(world):
    incident = make_incident(world)
    client = signed_in_client(world.ib_a)
    data = form_data(world, subject="group", action="suggest", q_grp_begrip="")
    page = client.post(new_url(incident), data).content.decode()
    assert h(t("Questions about the behaviour of a group")) in page
    assert 'name="q_grp_begrip"' in page
    # The individual answer typed earlier stays in the page, hidden.
    assert '<input type="hidden" name="q_ind_druk" value="Nee, er was geen groepsdruk.">' in page

    response = client.post(new_url(incident), form_data(world, subject="group", q_grp_begrip="Ja."))
    assert response.status_code == 302
    assessment = FlagAssessment.objects.get()
    assert assessment.group_behaviour and assessment.pupil is None
    assert assessment.questions["begrip"] == "Ja."
    assert "zelfrespect" not in assessment.questions


# --- The summary on the incident page -------------------------------------------------------------


@pytest.mark.django_db
def test_summary_shows_the_current_weighing_and_the_earlier_ones(world):
    incident = make_incident(world)
    empty = render_to_string(
        "incidents/_assessment_summary.html",
        {"incident": incident, "assessments": FlagAssessment.objects.none(), "lead": False},
    )
    assert (
        h(
            t(
                "Not weighed yet. The director or the IB weighs the behaviour with the six criteria of the "
                "Vlaggensysteem; the weighing appears here."
            )
        )
        in empty
    )
    assert f'href="{new_url(incident)}"' not in empty

    day1 = timezone.make_aware(dt.datetime(2026, 5, 12, 10, 0))
    day2 = timezone.make_aware(dt.datetime(2026, 5, 14, 9, 0))
    first = weigh(world, incident, now=day1)
    second = weigh(
        world,
        incident,
        criteria={code: {"answer": "met", "note": ""} for code in d.CRITERION_CODES},
        flag="groen",
        pedagogical_response="Niet of positief (bevestigend) reageren.",
        actor=world.director_a,
        now=day2,
    )
    html = render_to_string(
        "incidents/_assessment_summary.html",
        {"incident": incident, "assessments": assessments_of(incident), "lead": True},
    )
    with override("nl"):
        green, yellow = str(Flag.GREEN.label), str(Flag.YELLOW.label)
    assert f'<span class="badge text-bg-success">{h(green)}</span>' in html
    assert f'<span class="badge text-bg-warning">{h(yellow)}</span>' in html
    assert "14-05-2026" in html and "12-05-2026" in html
    assert world.director_a.display_name in html
    assert detail_url(second) in html and detail_url(first) in html
    assert html.index(detail_url(second)) < html.index(detail_url(first))
    assert f'href="{new_url(incident)}"' in html


@pytest.mark.django_db
def test_an_unknown_criterion_needs_an_explanation_and_marks_the_weighing_incomplete(world):
    incident = make_incident(world)
    client = signed_in_client(world.ib_a)
    data = form_data(world, crit_vrijwilligheid="unknown")
    page = client.post(new_url(incident), data).content.decode()
    assert 'id="id_gap_criteria_duidelijk_error"' in page
    assert FlagAssessment.objects.count() == 0

    data["gap_criteria_duidelijk"] = "Of er druk was, vragen we morgen aan de leerling."
    response = client.post(new_url(incident), data)
    assert response.status_code == 302
    # Context not met (step 3) with voluntariness unknown: still geel, incomplete.
    assert FlagAssessment.objects.get().suggested_flag == "geel"
    page = client.get(response["Location"]).content.decode()
    assert h(t("Incomplete: gaps")) in page
    assert "Of er druk was, vragen we morgen aan de leerling." in page


@pytest.mark.django_db
def test_pupils_who_took_the_initiative_come_first_and_none_is_chosen_for_you(world):
    from incidents.models import IncidentPupil

    incident = make_incident(world)
    # Anna Jansen (pupil_a) becomes a bystander, Bram de Vries took the initiative: Bram first,
    # although Jansen comes before Vries.
    IncidentPupil.objects.filter(incident=incident, pupil=world.pupil_a).update(role="bystander")
    IncidentPupil.objects.create(incident=incident, pupil=world.pupil_a_other, role="initiative")
    page = signed_in_client(world.ib_a).get(new_url(incident)).content.decode()
    assert page.index(world.pupil_a_other.full_name) < page.index(world.pupil_a.full_name)
    # With two pupils LEV does not pick one: no subject radio is checked.
    assert 'name="subject" value="' in page
    assert not any('name="subject"' in line and "checked" in line for line in page.splitlines())


@pytest.mark.django_db
def test_the_incident_page_shows_the_current_weighing(world):
    incident = make_incident(world)
    assessment = weigh(world, incident, now=timezone.now())
    with override("nl"):
        yellow = str(Flag.YELLOW.label)
    lead_page = signed_in_client(world.director_a).get(f"/incidenten/{incident.pk}/").content.decode()
    assert f'<span class="badge text-bg-warning">{h(yellow)}</span>' in lead_page
    assert detail_url(assessment) in lead_page
    assert f'href="{new_url(incident)}"' in lead_page
    # The reporting teacher sees the weighing, not the link to weigh again.
    teacher_page = signed_in_client(world.teacher_a).get(f"/incidenten/{incident.pk}/").content.decode()
    assert detail_url(assessment) in teacher_page
    assert f'href="{new_url(incident)}"' not in teacher_page
