"""Filing a report and the board's steps: the rows each write leaves (report, board-only dossier
entries, deadlines with their rules and visibility, audit rows without content) and the refusals.

Dates worked out by hand (LEGAL.md §10.6: onverwijld is due the same day, late after the next
working day). The report is filed on Wed 13 May 2026; Thu 14 May is Hemelvaartsdag and Fri 15 May a
KB day, so the consultation term is due Wed 13 May, late after Mon 18 May, overdue from Tue 19 May
00:00. A reasonable suspicion decided on Mon 18 May opens informing and the aangifte: due Mon 18 May,
late after Tue 19 May, overdue from Wed 20 May 00:00.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lev.audit.models import AuditEvent, InsertOnlyError
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.dossier.models import DossierEntry, Visibility
from lev.schools.models import Role
from misconduct.models import MisconductReport, MisconductStep, ReportDeadline, ReportStatus
from misconduct.services import report_close
from tests.i18n_helpers import t

from .helpers import ACCUSED, AMSTERDAM, FACTS, NOW, at, file_report, other_board_member, step

pytestmark = pytest.mark.django_db


def counts():
    return (
        MisconductReport.objects.count(),
        MisconductStep.objects.count(),
        DossierEntry.objects.count(),
        Deadline.objects.count(),
        AuditEvent.objects.filter(action__startswith="misconduct_").count(),
    )


def audit_text() -> str:
    return json.dumps([e.summary for e in AuditEvent.objects.all()])


def test_filing_writes_the_report_a_board_only_entry_and_the_consultation_term(world):
    report = file_report(world)
    assert re.fullmatch(r"M-[A-Z2-9]{6}", report.reference)
    assert (report.status, report.reporter_role, report.reported_at) == (ReportStatus.OPEN, "teacher", NOW)
    assert list(report.pupils.all()) == [world.pupil_a]

    entry = DossierEntry.objects.get()
    assert (entry.pupil, entry.visibility, entry.kind, entry.author) == (
        world.pupil_a,
        Visibility.BOARD_ONLY,
        "misconduct_report",
        world.teacher_a,
    )
    assert (entry.source_type, entry.source_id) == ("misconduct.misconductreport", str(report.pk))
    assert FACTS not in entry.summary and report.reference in entry.summary

    deadline = Deadline.objects.get()
    assert deadline.rule_code == "wpo4a-overleg-vertrouwensinspecteur"
    assert (deadline.visibility, deadline.responsible_role, deadline.responsible_user) == (
        "board_only",
        Role.BOARD,
        None,
    )
    assert (deadline.board, deadline.school) == (world.board, world.school_a)
    assert (deadline.start_on, deadline.due_on, deadline.late_after) == (
        dt.date(2026, 5, 13),
        dt.date(2026, 5, 13),
        dt.date(2026, 5, 18),
    )
    assert deadline.overdue_at == dt.datetime(2026, 5, 19, 0, 0, tzinfo=AMSTERDAM)
    assert (deadline.subject_type, deadline.subject_id) == ("misconduct.misconductreport", str(report.pk))
    assert ReportDeadline.objects.get().step_code == "consult"

    filed = AuditEvent.objects.get(action="misconduct_report_filed")
    assert filed.summary == {"school": world.school_a.pk, "role": "teacher", "pupils": 1, "from_note": False}
    assert FACTS not in audit_text() and ACCUSED not in audit_text()


def test_physical_violence_opens_the_four_terms_of_its_route(world):
    report = file_report(world, kind="physical")
    links = {link.step_code: link.deadline for link in ReportDeadline.objects.filter(report=report)}
    assert set(links) == {"conversation", "parents_informed", "measures", "police_considered"}
    for deadline in links.values():
        assert deadline.rule_code == "fysiek-geweld-personeel"
        assert deadline.visibility == "board_only"
        assert deadline.due_on == dt.date(2026, 5, 13)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"accused": "  "},
            "accused",
            t(
                "Say who it is about: a name and function, or describe the person if you do not know the name."
            ),
        ),
        ({"facts": ""}, "facts", t("Describe what you saw or heard: the facts, in a few sentences.")),
        ({"kind": "verbal"}, "kind", t("Choose what the report is about.")),
        (
            {"source": "told", "told_by": ""},
            "told_by",
            t("Say who told you (for example: the pupil, a parent, a colleague)."),
        ),
        (
            {"aware_on": dt.date(2026, 5, 14)},
            "aware_on",
            t(
                "The date you learned of it cannot lie in the future. Enter a date on or before %(day)s.",
                day="13-05-2026",
            ),
        ),
    ],
)
def test_bad_input_is_refused_at_the_field(world, overrides, field, message):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        file_report(world, **overrides)
    assert refused.value.message_dict[field] == [message]
    assert counts() == before


def test_a_pupil_of_another_school_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        file_report(world, pupils=[world.pupil_a, world.pupil_b])
    assert refused.value.message_dict["pupils"] == [
        t("Choose only pupils of %(school)s.", school="De Regenboog")
    ]
    assert MisconductReport.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("teacher_a", "teacher"),
        ("staff_a", "staff"),
        ("ib_a", "care_coordinator"),
        ("director_a", "director"),
        ("deputy_a", "deputy_director"),
        ("confidant_a", "confidant"),
        ("board_member", "board"),
    ],
)
def test_everyone_working_at_the_board_may_file(world, persona, role):
    report = file_report(world, actor=getattr(world, persona))
    assert report.reporter_role == role


@pytest.mark.parametrize("persona", ["privacy_officer", "functional_admin", "teacher_b", "deactivated"])
def test_others_may_not_file_about_school_a(world, persona):
    with pytest.raises(PermissionDenied):
        file_report(world, actor=getattr(world, persona))
    assert MisconductReport.objects.count() == 0


def test_the_wpo4a_route_with_a_reasonable_suspicion(world):
    report = file_report(world)
    consult = ReportDeadline.objects.get(report=report, step_code="consult").deadline

    step(world, report, "consult", dt.date(2026, 5, 13), note="Vertrouwensinspecteur adviseert aangifte.")
    consult.refresh_from_db()
    assert consult.status == DeadlineStatus.MET

    step(world, report, "suspicion", dt.date(2026, 5, 18), decision=True, note="Twee getuigen.")
    opened = {link.step_code: link.deadline for link in ReportDeadline.objects.filter(report=report)}
    assert set(opened) == {"consult", "inform", "police_report"}
    assert opened["inform"].rule_code == "wpo4a-informeren"
    assert opened["police_report"].rule_code == "wpo4a-aangifte"
    for code in ("inform", "police_report"):
        d = opened[code]
        assert (d.visibility, d.responsible_role, d.start_on, d.due_on, d.late_after) == (
            "board_only",
            "board",
            dt.date(2026, 5, 18),
            dt.date(2026, 5, 18),
            dt.date(2026, 5, 19),
        )
        assert d.overdue_at == dt.datetime(2026, 5, 20, 0, 0, tzinfo=AMSTERDAM)

    # The vertrouwensinspecteur is told after the aangifte, not before.
    with pytest.raises(ValidationError) as refused:
        step(world, report, "inspector_informed", dt.date(2026, 5, 19))
    assert refused.value.messages == [t("First record the aangifte.")]
    # The aangifte needs the place where it was filed, and cannot precede the decision.
    with pytest.raises(ValidationError) as refused:
        step(world, report, "police_report", dt.date(2026, 5, 15), place="")
    assert refused.value.message_dict == {
        "done_on": [
            t(
                "This step cannot be dated before %(day)s (%(what)s).",
                day="18-05-2026",
                what=t("Decide on a reasonable suspicion"),
            )
        ],
        "place": [t("Say where the aangifte was filed (for example: police station Gouda).")],
    }
    step(
        world,
        report,
        "police_report",
        dt.date(2026, 5, 19),
        place="Politie Gouda",
        police_reference="PL-1",
        note="",
    )
    teller = ReportDeadline.objects.get(report=report, step_code="inspector_informed").deadline
    assert (teller.rule_code, teller.start_on, teller.visibility) == (
        "wpo4a-vertrouwensinspecteur-informeren",
        dt.date(2026, 5, 19),
        "board_only",
    )
    with pytest.raises(ValidationError):
        report_close(report=report, note="Klaar.", actor=world.board_member, now=at(19, 17))

    step(world, report, "inform", dt.date(2026, 5, 19), note="Ouders en meester Kees gebeld.")
    step(world, report, "inspector_informed", dt.date(2026, 5, 20), note="")
    assert set(Deadline.objects.values_list("status", flat=True)) == {DeadlineStatus.MET}

    report_close(
        report=report,
        note="Aangifte gedaan; medewerker op non-actief.",
        actor=world.board_member,
        now=at(20, 17),
    )
    report.refresh_from_db()
    assert (report.status, report.closed_by, report.closed_at) == ("closed", world.board_member, at(20, 17))
    steps = AuditEvent.objects.filter(action="misconduct_step_recorded")
    assert [e.summary["step"] for e in steps] == [
        "consult",
        "suspicion",
        "police_report",
        "inform",
        "inspector_informed",
    ]
    assert "Twee getuigen" not in audit_text() and "Politie Gouda" not in audit_text()


def test_no_reasonable_suspicion_closes_the_report_with_the_reasons(world):
    report = file_report(world)
    step(world, report, "consult", dt.date(2026, 5, 13))
    step(
        world, report, "suspicion", dt.date(2026, 5, 13), decision=False, note="Geen aanwijzingen na overleg."
    )
    report.refresh_from_db()
    assert (report.status, report.closing_note, report.closed_by) == (
        "closed",
        "Geen aanwijzingen na overleg.",
        world.board_member,
    )
    assert set(ReportDeadline.objects.values_list("step_code", flat=True)) == {"consult"}
    assert AuditEvent.objects.get(action="misconduct_report_closed").summary == {"automatic": True}
    with pytest.raises(ValidationError) as refused:
        step(world, report, "police_report", dt.date(2026, 5, 13), place="Politie")
    assert refused.value.messages == [t("This report has been closed; no steps can be added.")]


def test_the_decision_needs_the_consultation_reasons_and_an_answer(world):
    report = file_report(world)
    with pytest.raises(ValidationError) as refused:
        step(world, report, "suspicion", dt.date(2026, 5, 13), decision=True)
    assert refused.value.messages == [t("First record the consultation with the vertrouwensinspecteur.")]
    step(world, report, "consult", dt.date(2026, 5, 13))
    with pytest.raises(ValidationError) as refused:
        step(world, report, "suspicion", dt.date(2026, 5, 13), note=" ")
    assert refused.value.message_dict == {
        "note": [t("Give the reasons for the decision.")],
        "decision": [t("Choose yes or no.")],
    }


def test_a_step_cannot_be_dated_in_the_future_or_before_the_reporter_knew(world):
    report = file_report(world)
    with pytest.raises(ValidationError) as refused:
        step(world, report, "consult", dt.date(2026, 5, 14), now=NOW)
    assert refused.value.message_dict["done_on"] == [
        t("A step cannot be dated in the future. Enter a date on or before %(day)s.", day="13-05-2026")
    ]
    with pytest.raises(ValidationError) as refused:
        step(world, report, "consult", dt.date(2026, 5, 11))
    assert refused.value.message_dict["done_on"] == [
        t(
            "This step cannot be dated before %(day)s (%(what)s).",
            day="12-05-2026",
            what=t("the date the reporter learned of it"),
        )
    ]
    assert MisconductStep.objects.count() == 0


def test_a_step_is_recorded_once_and_steps_are_insert_only(world):
    report = file_report(world)
    recorded = step(world, report, "consult", dt.date(2026, 5, 13))
    with pytest.raises(ValidationError) as refused:
        step(world, report, "consult", dt.date(2026, 5, 13))
    assert refused.value.messages == [t("This step has been recorded already.")]
    recorded.note = "anders"
    with pytest.raises(InsertOnlyError):
        recorded.save()


@pytest.mark.parametrize("persona", ["director_a", "deputy_a", "confidant_a", "teacher_a", "privacy_officer"])
def test_only_the_board_records_steps(world, persona):
    report = file_report(world)
    with pytest.raises(PermissionDenied):
        step(world, report, "consult", dt.date(2026, 5, 13), actor=getattr(world, persona))
    assert MisconductStep.objects.count() == 0


def test_another_boards_board_may_not_record_steps(world):
    report = file_report(world)
    with pytest.raises(PermissionDenied):
        step(world, report, "consult", dt.date(2026, 5, 13), actor=other_board_member(world))


def test_physical_route_measures_recur_and_the_report_closes_after_four_steps(world):
    report = file_report(world, kind="physical")
    step(world, report, "conversation", dt.date(2026, 5, 13), note="Gesproken met melder en medewerker.")
    step(world, report, "measures", dt.date(2026, 5, 13), note="Medewerker tijdelijk andere taken.")
    step(world, report, "measures", dt.date(2026, 5, 18), note="Officiële waarschuwing.")
    assert MisconductStep.objects.filter(code="measures").count() == 2
    step(world, report, "parents_informed", dt.date(2026, 5, 18), note="Ouders gebeld.")
    with pytest.raises(ValidationError) as refused:
        report_close(report=report, note="Klaar.", actor=world.board_member, now=at(18, 17))
    assert refused.value.messages == [
        t(
            "First record the steps still open: %(steps)s.",
            steps=t("Decide whether to file an aangifte").lower(),
        )
    ]
    step(
        world,
        report,
        "police_considered",
        dt.date(2026, 5, 18),
        decision=False,
        note="Geen letsel; geen aangifte.",
    )
    report.refresh_from_db()
    assert report.status == "open"  # only a WPO 4a "no" closes by itself
    with pytest.raises(ValidationError) as refused:
        report_close(report=report, note=" ", actor=world.board_member, now=at(18, 17))
    assert refused.value.message_dict == {
        "note": [t("Write the conclusion: what the board decided and why.")]
    }
    report_close(
        report=report, note="Afgehandeld met waarschuwing.", actor=world.board_member, now=at(18, 17)
    )
    report.refresh_from_db()
    assert report.status == "closed"
    assert set(Deadline.objects.values_list("status", flat=True)) == {DeadlineStatus.MET}
