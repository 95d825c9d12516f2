"""The Rapportage Meldcode (Bijlage 10; LEGAL.md M9): the report page, and the yearly bundle for the
school and, anonymised, for the board.

The cases are opened with `meldcode.services.case_open` and their reports written with `report_save`;
a melding, a step-2 record and a closing are written straight to the tables (the steps' services are
tested on their own). The expected bundle contents are worked out by hand from the dates below.

School year 2025-2026 runs from 01-08-2025 up to and including 31-07-2026. The cases of school A:

| case        | manager | opened     | closed     | report | in the 2025-2026 bundle                     |
|-------------|---------|------------|------------|--------|---------------------------------------------|
| MC-2024-001 | ib_a    | 01-09-2024 | 01-06-2025 | yes    | no: closed before the year                  |
| MC-2024-002 | ib2     | 01-10-2024 | 15-09-2025 | yes    | yes; closed during the year                 |
| MC-2025-001 | ib_a    | 01-10-2025 | —          | yes    | yes; opened during the year, melding 01-2026 |
| MC-2025-002 | ib2     | 03-11-2025 | 01-05-2026 | yes    | yes; opened and closed during the year      |
| MC-2026-001 | ib_a    | 02-02-2026 | —          | no     | yes, as "no report yet"; opened in the year |
| MC-2026-002 | ib_a    | 01-09-2026 | —          | no     | no: opened after the year                   |

So for the director: opened 3, meldingen 1 (the one of MC-2024-002 in 12-2024 is outside the year),
closed 2; for ib_a: MC-2025-001 and MC-2026-001 only — opened 2, meldingen 1, closed 0.

The board's version replaces the names LEV knows (`known_names`) and shows every full date in the free
text as month and year. A name LEV does not know — a neighbour, a professional of another
organisation typed by the writer — is not LEV's to know and stays in the text: the report page says
so and asks the writer to check the text before saving; no test here can show more than that.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from incidents.models import Signal, SignalSource
from lev.audit.models import AccessLogEntry, AuditEvent
from lev.schools.access import build_access_context
from lev.schools.models import Guardian, GuardianRelation, PupilGuardian, Role, SchoolYear
from lev.schools.permissions import grant_object
from meldcode.models import (
    CaseReport,
    CaseReportVersion,
    CaseStatus,
    CaseStepRecord,
    MeldcodeCase,
    Melding,
    VeiligThuisAdvice,
)
from meldcode.permissions import CASE_PERM
from meldcode.report_bundle import KnownNames, bundle_document, dates_found, known_names, mask_dates
from meldcode.services import case_open, related_pupil_add, report_save
from tests import factories as f
from tests.conftest import signed_in_client
from tests.pdf_helpers import normalise, pdf_text

D = dt.date


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))  # noqa: DTZ001 — made aware here


def nl(msgid: str) -> str:
    """The text as the (Dutch) pages show it, whether or not the catalogue has it yet."""
    with translation.override("nl"):
        return gettext(msgid)


# The free text of the report of MC-2025-001: every kind of name LEV knows.
REPORT_1 = {
    "subject": "Mishandeling",
    "description": "Anna Jansen kwam twee keer met blauwe plekken op school; moeder Petra Smit zei dat Anna viel.",
    "unrest": "Geen onrust.",
    "involved": "Anna, haar moeder Petra Smit en broer Tim Jansen (groep 3).",
    "activities": "Drie gesprekken met Anna door Ingrid Bosman; overleg met Gerrit Dekker.",
    "informing": "",
    "external_consultation": "Veilig Thuis, anoniem advies.",
    "bottlenecks": "Juf karin mulder wist niet bij wie ze terecht kon.",
    "remarks": "Gesprek met Petra Smit op maandag 16 februari 2026 en op 09-02-2026.",
}
BOARD_NOTICE = (
    "Version for the board. The cases are numbered in this document only; dates are shown as month and "
    "year; the names LEV knows (the pupils, siblings in the cases, parents, the school's staff) are "
    "replaced by %(placeholder)s. The free text may still hold details that identify someone: the school "
    "checked the text for them when writing the report. Do not share this document further."
)
# The report page on what LEV cannot find: names it does not know.
REPORT_LIMITS = (
    "The report of a significant case (Bijlage 10): brief information is enough. It goes into the school's "
    "yearly bundle. The board receives a version without names: LEV replaces the names it knows (the pupil, "
    "siblings in the case, parents, staff) by %(placeholder)s and shows dates as month and year. LEV cannot "
    "find names it does not know, such as a neighbour or a professional of another organisation: they stay "
    "in the text, as do other details that could identify someone, such as an address or a rare event. "
    "Check the text before saving and leave them out."
)
NAMES = ("Anna", "Jansen", "Petra", "Smit", "Tim", "Ingrid", "Bosman", "Gerrit", "Dekker", "Karin", "Mulder")


def _name(user, first: str, last: str) -> None:
    user.first_name, user.last_name = first, last
    user.save()


@pytest.fixture
def year(world) -> SchoolYear:
    return f.SchoolYearFactory(board=world.board, starts_on=D(2025, 8, 1))


@pytest.fixture
def cases(world, year):
    """The cases of the table above, by number."""
    school = world.school_a
    _name(world.ib_a, "Ingrid", "Bosman")
    _name(world.director_a, "Gerrit", "Dekker")
    _name(world.teacher_a, "Karin", "Mulder")
    ib2 = f.UserFactory(username="ib2", first_name="Harm", last_name="Visser")
    f.MembershipFactory(user=ib2, school=school, board=world.board, role=Role.CARE_COORDINATOR)
    world.personas["ib2"] = ib2
    pupil = world.pupil_a  # Anna Jansen
    tim = f.PupilFactory(school=school, roepnaam="Tim", achternaam="Jansen")
    mother = Guardian.objects.create(
        board=world.board, school=school, external_key="g-1", first_name="Petra", achternaam="Smit"
    )
    PupilGuardian.objects.create(
        board=world.board, school=school, pupil=pupil, guardian=mother, relation=GuardianRelation.MOTHER
    )

    def signal(about, when):
        row = Signal.objects.create(
            board=world.board,
            school=school,
            author=world.teacher_a,
            happened_at=when - dt.timedelta(days=1),
            location="Klas",
            description="Blauwe plekken op de armen.",
            source=SignalSource.OBSERVED,
            created_at=when - dt.timedelta(days=1),
        )
        row.pupils.set([about])
        return row

    def open_case(about, manager, when):
        return case_open(
            pupil=about,
            signals=[signal(about, when)],
            reason=f"Zorgen over {about.roepnaam}: blauwe plekken.",
            actor=manager,
            now=when,
        )

    def report(case, actor, when, **values):
        texts = {
            "subject": "Verwaarlozing",
            "description": "Kort.",
            "involved": "Het kind.",
            "activities": "Gesprek.",
        }
        texts.update(values)
        report_save(case=case, report_on=when.date(), values=texts, actor=actor, now=when)

    def close(case, when):
        MeldcodeCase.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED, closed_at=when, closed_by=world.director_a, closing_note="Afgerond."
        )

    def melding(case, when):
        Melding.objects.create(
            case=case,
            melded_at=when,
            parents_informed_on=when.date(),
            filed_by=case.case_manager,
            recorded_by=case.case_manager,
            recorded_at=when,
        )

    c4 = open_case(pupil, world.ib_a, at(2024, 9, 1))
    report(c4, world.ib_a, at(2025, 5, 1), subject="Oud-onderwerp")
    close(c4, at(2025, 6, 1))
    c6 = open_case(world.pupil_a_other, ib2, at(2024, 10, 1))
    melding(c6, at(2024, 12, 2))
    report(c6, ib2, at(2025, 9, 10), subject="Huiselijk geweld")
    close(c6, at(2025, 9, 15))
    c1 = open_case(pupil, world.ib_a, at(2025, 10, 1))
    related_pupil_add(case=c1, pupil=tim, relation="broer", actor=world.ib_a, now=at(2025, 10, 2))
    melding(c1, at(2026, 1, 15))
    report(c1, world.ib_a, at(2026, 3, 1), **REPORT_1)
    c2 = open_case(world.pupil_a_other, ib2, at(2025, 11, 3))
    report(c2, ib2, at(2026, 4, 20), subject="Seksueel gedrag")
    close(c2, at(2026, 5, 1))
    c3 = open_case(pupil, world.ib_a, at(2026, 2, 2))
    c5 = open_case(pupil, world.ib_a, at(2026, 9, 1))
    numbered = {c.number: c for c in (c1, c2, c3, c4, c5, c6)}
    assert sorted(numbered) == [
        "MC-2024-001",
        "MC-2024-002",
        "MC-2025-001",
        "MC-2025-002",
        "MC-2026-001",
        "MC-2026-002",
    ]
    assert numbered["MC-2024-002"] == c6 and numbered["MC-2025-001"] == c1
    return numbered


def ctx_for(user):
    return build_access_context(user, today=timezone.localdate(), active_school_id=None)


def bundle_url(name: str, school, year) -> str:
    return reverse(f"meldcode:{name}", args=[school.pk, year.pk])


# --- The school's bundle ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_school_bundle_holds_each_report_in_case_number_order_the_counts_and_logs_each_case(
    world, year, cases
):
    response = signed_in_client(world.director_a).get(bundle_url("bundle_pdf", world.school_a, year))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapportage-meldcode-11AA-2025-2026.pdf"'
    assert response["Cache-Control"].startswith("no-store")
    text = pdf_text(response.content)
    # Each report, in case-number order, with its subject; the case without a report at the end.
    positions = [
        text.index("MC-2024-002 — Bram de Vries"),
        text.index("Huiselijk geweld"),
        text.index("MC-2025-001 — Anna Jansen"),
        text.index("Mishandeling"),
        text.index("MC-2025-002 — Bram de Vries"),
        text.index("Seksueel gedrag"),
        text.index(nl("No report yet")),
        text.index("MC-2026-001 — Anna Jansen"),
    ]
    assert positions == sorted(positions)
    assert "MC-2024-001" not in text and "Oud-onderwerp" not in text
    assert "MC-2026-002" not in text
    # The school's version names and dates in full.
    assert "Anna Jansen kwam twee keer met blauwe plekken" in text
    assert "01-03-2026" in text and "15-01-2026" in text
    assert "Ingrid Bosman" in text
    # The cover: 3 opened, 1 melding, 2 closed; 3 with a report, 1 without.
    for label, count in (
        ("Cases opened during the school year", 3),
        ("Meldingen made at Veilig Thuis", 1),
        ("Cases closed during the school year", 2),
        ("Cases open during the school year with a report", 3),
        ("Cases open during the school year without a report yet", 1),
    ):
        assert f"{nl(label)} {count}" in text
    # One audit event with the ids, one access-log row per case included.
    included = [cases[n].pk for n in ("MC-2024-002", "MC-2025-001", "MC-2025-002", "MC-2026-001")]
    event = AuditEvent.objects.get(action="meldcode_bundle_exported")
    assert event.actor == world.director_a
    assert event.summary == {
        "school": world.school_a.pk,
        "year": year.pk,
        "audience": "school",
        "cases": [
            cases["MC-2024-002"].pk,
            cases["MC-2025-001"].pk,
            cases["MC-2025-002"].pk,
            cases["MC-2026-001"].pk,
        ],
        # Each report was saved once: its one version; MC-2026-001 has no report.
        "report_versions": [
            CaseReportVersion.objects.get(case=cases["MC-2024-002"]).pk,
            CaseReportVersion.objects.get(case=cases["MC-2025-001"]).pk,
            CaseReportVersion.objects.get(case=cases["MC-2025-002"]).pk,
        ],
    }
    logged = AccessLogEntry.objects.filter(
        object_type="meldcode.meldcodecase", reason__startswith="Jaarbundel"
    )
    assert sorted(int(row.object_id) for row in logged) == sorted(included)
    assert {row.role for row in logged} == {"school_lead"}
    assert all(row.user_id == world.director_a.pk and row.outcome == "granted" for row in logged)


@pytest.mark.django_db
def test_a_care_coordinator_bundle_holds_only_the_cases_they_may_open(world, year, cases):
    document = bundle_document(
        ctx_for(world.ib_a), world.school_a, year, audience="school", made_on=D(2026, 12, 5)
    )
    assert [c.number for c in document.cases] == ["MC-2025-001", "MC-2026-001"]
    assert [(e.heading, e.has_report) for e in document.entries] == [
        ("MC-2025-001 — Anna Jansen", True),
        ("MC-2026-001 — Anna Jansen", False),
    ]
    assert (document.counts.opened, document.counts.meldingen, document.counts.closed) == (2, 1, 0)
    assert "MC-2025-002" not in document.html and "Seksueel gedrag" not in document.html
    assert "Bram" not in document.html
    # The other care coordinator gets theirs.
    other = bundle_document(
        ctx_for(world.ib2), world.school_a, year, audience="school", made_on=D(2026, 12, 5)
    )
    assert [c.number for c in other.cases] == ["MC-2024-002", "MC-2025-002"]
    assert (other.counts.opened, other.counts.meldingen, other.counts.closed) == (1, 0, 2)


@pytest.mark.django_db
def test_the_report_rows_follow_bijlage_10_with_the_melding_derived_from_the_case(world, year, cases):
    with translation.override("en"):
        document = bundle_document(
            ctx_for(world.director_a), world.school_a, year, audience="school", made_on=D(2026, 12, 5)
        )
    entry = document.entries[1]
    assert entry.heading == "MC-2025-001 — Anna Jansen"
    assert entry.period == "Opened 01-10-2025; still open"
    assert [(row.label, row.text) for row in entry.rows] == [
        ("Date", "01-03-2026"),
        ("Contact person", "Ingrid Bosman"),
        ("Subject", REPORT_1["subject"]),
        ("Description", REPORT_1["description"]),
        ("Social unrest", REPORT_1["unrest"]),
        ("Those involved (not professionals)", REPORT_1["involved"]),
        ("Activities carried out", REPORT_1["activities"]),
        ("Melding made", "Yes, at Veilig Thuis: 15-01-2026"),
        ("Informing those involved", ""),
        ("External consultation", REPORT_1["external_consultation"]),
        ("Bottlenecks", REPORT_1["bottlenecks"]),
        ("Remarks", REPORT_1["remarks"]),  # the school's version keeps the dates as written
    ]
    assert document.entries[2].period == "Opened 03-11-2025; closed 01-05-2026"
    assert {r.label: r.text for r in document.entries[2].rows}["Melding made"] == "No"


# --- The board's bundle ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_board_version_names_no_one_numbers_the_cases_and_shows_months(world, year, cases):
    client = signed_in_client(world.board_member)
    page = client.get(reverse("meldcode:board_bundle"))
    assert page.status_code == 200
    assert bundle_url("board_bundle_pdf", world.school_a, year) in page.content.decode()
    response = client.get(bundle_url("board_bundle_pdf", world.school_a, year))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="rapportage-meldcode-11AA-2025-2026-bestuur.pdf"'
    )
    text = pdf_text(response.content)
    # No name LEV knows: pupils, the sibling, the mother, the case managers, the director, a teacher.
    for name in (*NAMES, "Bram", "Vries", "Harm", "Visser"):
        assert re.search(rf"\b{name}\b", text, re.IGNORECASE) is None, name
    # No case number, no full date of a report, melding or opening.
    assert "MC-20" not in text
    for day in ("01-03-2026", "15-01-2026", "01-10-2025", "10-09-2025", "01-05-2026"):
        assert day not in text
    # Cases numbered in the document; dates as month and year; the free text kept with [naam].
    for n in (1, 2, 3, 4):
        assert nl("Case %(number)s") % {"number": n} in text
    assert "maart 2026" in text and "januari 2026" in text
    mask = nl("[name]")
    assert f"{mask} kwam twee keer met blauwe plekken op school; moeder {mask} zei dat {mask} viel." in text
    assert f"Drie gesprekken met {mask} door {mask}; overleg met {mask}." in text
    assert f"Juf {mask} wist niet bij wie ze terecht kon." in text
    # A date in the free text as month and year.
    assert f"Gesprek met {mask} op februari 2026 en op februari 2026." in text
    assert "16 februari" not in text and "09-02-2026" not in text and "maandag" not in text
    assert "Mishandeling" in text
    # The cover says what was done and that free text may still identify someone; counts are the school's.
    assert normalise(nl(BOARD_NOTICE) % {"placeholder": mask}) in text
    assert f"{nl('Cases opened during the school year')} 3" in text
    event = AuditEvent.objects.get(action="meldcode_bundle_exported")
    assert event.summary["audience"] == "board" and len(event.summary["cases"]) == 4
    assert set(
        AccessLogEntry.objects.filter(
            user=world.board_member, object_type="meldcode.meldcodecase"
        ).values_list("role", flat=True)
    ) == {"board"}


@pytest.mark.django_db
def test_the_board_entries_mention_no_name_lev_knows(world, year, cases):
    """Every name LEV knows for these cases (pupils, sibling, parent, all staff of the school, the
    managers) is absent from every row of the board's version, in any letter case."""
    document = bundle_document(
        ctx_for(world.board_member), world.school_a, year, audience="board", made_on=D(2026, 12, 5)
    )
    names = known_names(world.school_a, document.cases)
    assert {"Anna", "Jansen", "Tim", "Petra", "Smit", "Ingrid", "Bosman", "Karin", "Mulder", "Harm"} <= set(
        names.forms
    )
    texts = [entry.heading for entry in document.entries]
    texts += [row.text for entry in document.entries for row in entry.rows if row.label != nl("Date")]
    for text in texts:
        for form in names.forms:
            assert re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) is None, (form, text)


@pytest.mark.django_db
def test_the_board_member_cannot_open_the_school_version_nor_a_case(world, year, cases):
    client = signed_in_client(world.board_member)
    assert client.get(bundle_url("bundle_pdf", world.school_a, year)).status_code == 404
    assert client.get(reverse("meldcode:bundle")).status_code == 404
    assert client.get(reverse("meldcode:report_edit", args=[cases["MC-2025-001"].pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="meldcode_bundle_exported").exists()


@pytest.mark.django_db
def test_the_board_bundle_is_for_board_members_of_the_schools_board_only(world, year, cases):
    other_year = f.SchoolYearFactory(board=world.school_b.board, starts_on=D(2025, 8, 1))
    board = signed_in_client(world.board_member)
    assert board.get(bundle_url("board_bundle_pdf", world.school_b, other_year)).status_code == 404
    # A year of another board with this board's school.
    assert board.get(bundle_url("board_bundle_pdf", world.school_a, other_year)).status_code == 404
    for persona in ("director_a", "ib_a", "privacy_officer", "functional_admin"):
        client = signed_in_client(getattr(world, persona))
        assert client.get(reverse("meldcode:board_bundle")).status_code == 404, persona
        assert client.get(bundle_url("board_bundle_pdf", world.school_a, year)).status_code == 404, persona


# --- Who gets 404 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_teacher_gets_404_on_every_report_page(world, year, cases):
    case = cases["MC-2025-001"]
    for persona in ("teacher_a", "staff_a", "confidant_a", "teacher_b"):
        client = signed_in_client(getattr(world, persona))
        for url in (
            reverse("meldcode:report_edit", args=[case.pk]),
            reverse("meldcode:bundle"),
            bundle_url("bundle_pdf", world.school_a, year),
            reverse("meldcode:board_bundle"),
            bundle_url("board_bundle_pdf", world.school_a, year),
        ):
            assert client.get(url).status_code == 404, (persona, url)
        before = CaseReport.objects.get(case=case).subject
        response = client.post(reverse("meldcode:report_edit", args=[case.pk]), {"subject": "Anders"})
        assert response.status_code == 404
        assert CaseReport.objects.get(case=case).subject == before
    assert not AuditEvent.objects.filter(action="meldcode_bundle_exported").exists()


@pytest.mark.django_db
def test_the_school_bundle_is_refused_for_another_school_and_a_year_of_another_board(world, year, cases):
    client = signed_in_client(world.director_a)
    other_year = f.SchoolYearFactory(board=world.school_b.board, starts_on=D(2025, 8, 1))
    assert client.get(bundle_url("bundle_pdf", world.school_b, other_year)).status_code == 404
    assert client.get(bundle_url("bundle_pdf", world.school_a, other_year)).status_code == 404
    page = client.get(reverse("meldcode:bundle"))
    assert page.status_code == 200
    html = page.content.decode()
    # The years of the board that have begun: 2025-2026 and the current one; not another board's.
    assert bundle_url("bundle_pdf", world.school_a, year) in html
    assert f"/{other_year.pk}/pdf/" not in html


# --- The report page ---------------------------------------------------------------------------------------


def report_url(case) -> str:
    return reverse("meldcode:report_edit", args=[case.pk])


@pytest.mark.django_db
def test_the_form_is_filled_from_the_case_on_first_use(world, cases):
    case = cases["MC-2026-001"]
    CaseStepRecord.objects.create(
        case=case,
        step=2,
        recorded_on=D(2026, 2, 10),
        author=world.ib_a,
        content={"consulted": "Jeugdarts GGD, 09-02-2026."},
        veilig_thuis_advice=VeiligThuisAdvice.ANONYMOUS,
        recorded_at=at(2026, 2, 10),
    )
    response = signed_in_client(world.ib_a).get(report_url(case))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    form = response.context["form"]
    # Only what LEV knows as a fact: Veilig Thuis was asked, anonymously. Whom step 2 consulted, and
    # when, is not copied: names and dates LEV does not know.
    advice = nl("Veilig Thuis: %(advice)s") % {"advice": VeiligThuisAdvice.ANONYMOUS.label}
    assert form["external_consultation"].value() == advice
    assert form["description"].value() == "Zorgen over Anna: blauwe plekken."
    assert form["subject"].value() == ""
    assert form["report_on"].value() == timezone.localdate()
    html = response.content.decode()
    assert 'id="report-contact">Ingrid Bosman<' in html
    assert f'id="report-melding">{nl("No")}<' in html
    # Every read is in the access log.
    assert AccessLogEntry.objects.filter(
        user=world.ib_a, object_type="meldcode.meldcodecase", object_id=str(case.pk), role="case_manager"
    ).exists()


@pytest.mark.django_db
def test_the_form_filled_on_first_use_holds_no_full_date_nor_the_consultation_text(world, cases):
    """The parents informed: the month only; not informed: the reason stays in the case (free text
    LEV cannot check); Veilig Thuis not asked and a step 2 naming an outside professional: empty; the
    opening reason and the help with their dates as month and year."""
    case = cases["MC-2026-001"]
    MeldcodeCase.objects.filter(pk=case.pk).update(reason="Blauwe plekken gezien op 24-02-2026 door de juf.")
    CaseStepRecord.objects.create(
        case=case,
        step=2,
        recorded_on=D(2026, 2, 10),
        author=world.ib_a,
        content={"consulted": "Dokter Kees Hoogland (GGD), 9 februari 2026."},
        veilig_thuis_advice=VeiligThuisAdvice.NOT_ASKED,
        recorded_at=at(2026, 2, 10),
    )
    for when, informed_on, reason in (
        (at(2026, 3, 2), D(2026, 3, 4), ""),
        (at(2026, 4, 20), None, "Vader (Kees) dreigde op 19-04-2026; Veilig Thuis raadde het af."),
    ):
        Melding.objects.create(
            case=case,
            melded_at=when,
            parents_informed_on=informed_on,
            parents_not_informed_reason=reason,
            filed_by=world.ib_a,
            recorded_by=world.ib_a,
            recorded_at=when,
        )
    with translation.override("nl"):
        form = signed_in_client(world.ib_a).get(report_url(case)).context["form"]
        values = {name: str(form[name].value() or "") for name in form.fields if name != "report_on"}
    assert values["informing"] == "\n".join(
        (
            nl("The parents were informed of the melding in %(month)s.") % {"month": "maart 2026"},
            nl("The parents were not informed of the melding; the case records why."),
        )
    )
    assert values["external_consultation"] == ""
    assert values["description"] == "Blauwe plekken gezien op februari 2026 door de juf."
    everything = "\n".join(values.values())
    for leak in ("04-03-2026", "Kees", "Hoogland", "19-04-2026", "24-02-2026", "9 februari"):
        assert leak not in everything, leak
    assert dates_found(everything) == []


@pytest.mark.django_db
def test_saving_with_required_fields_empty_shows_the_errors_and_keeps_the_text(world, cases):
    case = cases["MC-2026-001"]
    client = signed_in_client(world.ib_a)
    response = client.post(
        report_url(case),
        {"report_on": "2026-03-02", "subject": "", "description": "", "unrest": "Veel onrust."},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"subject", "description", "involved", "activities"}
    assert "Veel onrust." in response.content.decode()
    assert not CaseReport.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(action="meldcode_report_saved", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_saving_writes_the_report_and_shows_the_names_lev_knows(world, cases):
    case = cases["MC-2026-001"]
    client = signed_in_client(world.ib_a)
    data = {
        "report_on": "2026-03-02",
        "subject": "Verwaarlozing",
        "description": "Anna kwam zonder eten naar school.",
        "involved": "De leerling en haar moeder.",
        "activities": "Twee gesprekken (03-02-2026 en dinsdag 10 februari).",
        "bottlenecks": "",
    }
    response = client.post(report_url(case), data)
    assert response.status_code == 302 and response["Location"] == report_url(case)
    report = CaseReport.objects.get(case=case)
    assert (report.report_on, report.subject, report.description, report.written_by) == (
        D(2026, 3, 2),
        "Verwaarlozing",
        "Anna kwam zonder eten naar school.",
        world.ib_a,
    )
    page = client.get(report_url(case))
    assert page.context["names_found"] == ["Anna"]
    # The full dates too: the board's version shows them as month and year.
    assert page.context["dates_found"] == ["03-02-2026", "dinsdag 10 februari"]
    html = page.content.decode()
    assert 'id="report-dates"' in html and "03-02-2026, dinsdag 10 februari" in html
    # The page says which names LEV cannot find, and asks for a check before saving.
    limits = re.search(r'id="report-limits">(.*?)</p>', html, re.S)
    assert limits is not None and limits.group(1) == nl(REPORT_LIMITS) % {"placeholder": nl("[name]")}
    assert page.context["form"]["subject"].value() == "Verwaarlozing"
    # A date in the future is refused.
    response = client.post(report_url(case), {**data, "report_on": "2099-01-01"})
    assert response.status_code == 200 and "report_on" in response.context["form"].errors
    assert CaseReport.objects.get(case=case).report_on == D(2026, 3, 2)


@pytest.mark.django_db
def test_the_director_writes_the_eindverantwoordelijke_and_a_granted_reader_only_read(world, cases):
    case = cases["MC-2025-001"]
    data = {"report_on": "2026-03-02", "subject": "X", "description": "Y", "involved": "Z", "activities": "W"}
    director = signed_in_client(world.director_a)
    assert director.post(report_url(case), data).status_code == 302
    assert CaseReport.objects.get(case=case).written_by == world.director_a
    # ib2 is the eindverantwoordelijke: reads the case, does not write the report.
    world.school_a.meldcode_final_responsible = world.ib2
    world.school_a.save()
    final = signed_in_client(world.ib2)
    page = final.get(report_url(case))
    assert page.status_code == 200 and not page.context["writable"]
    assert 'id="report-form"' not in page.content.decode()
    assert final.post(report_url(case), {**data, "subject": "Anders"}).status_code == 403
    # A teacher granted the case reads the report, and cannot write it.
    grant_object(world.teacher_a, CASE_PERM, case)
    teacher = signed_in_client(world.teacher_a)
    page = teacher.get(report_url(case))
    assert page.status_code == 200 and 'id="report-read"' in page.content.decode()
    assert teacher.post(report_url(case), {**data, "subject": "Anders"}).status_code == 403
    assert CaseReport.objects.get(case=case).subject == "X"


# --- Names ------------------------------------------------------------------------------------------------


def test_known_names_are_replaced_whole_words_longest_first_in_any_case():
    names = KnownNames({"Anna", "Jansen", "Anna Jansen", "de Vries", "Vries", "Bram", "Bo"})
    assert names.replace("Anna Jansen en ANNA; Bram de Vries, De Vries' fiets.", "[naam]") == (
        "[naam] en [naam]; [naam], [naam]' fiets."
    )
    # Whole words only: "Annabel", "Bos" and "Boven" are not names here.
    assert names.replace("Annabel ging naar Bos en Boven.", "[naam]") == "Annabel ging naar Bos en Boven."
    # Spread over a line break it is still one name.
    assert names.replace("Anna\nJansen", "[naam]") == "[naam]"


def test_finding_names_for_the_writer_reports_them_as_written_once_each():
    names = KnownNames({"Roos", "Anna"})
    assert names.found("Roos zag het.", "een roos; Anna en Roos") == ["Roos", "Anna"]
    assert KnownNames(set()).found("Anna") == []
    assert KnownNames({"A"}).forms == []


@pytest.mark.django_db
def test_a_year_without_cases_gives_a_bundle_that_says_so(world):
    year = f.SchoolYearFactory(board=world.board, starts_on=D(2026, 8, 1))
    response = signed_in_client(world.deputy_a).get(bundle_url("bundle_pdf", world.school_a, year))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert nl("No Meldcode case was open during this school year.") in text
    assert f"{nl('Cases opened during the school year')} 0" in text
    assert AuditEvent.objects.get(action="meldcode_bundle_exported").summary["cases"] == []


def test_every_report_page_has_the_meldcode_idle_timeout_and_is_never_cached():
    for name, args in (
        ("report_edit", [1]),
        ("bundle", []),
        ("bundle_pdf", [1, 1]),
        ("board_bundle", []),
        ("board_bundle_pdf", [1, 1]),
    ):
        view = resolve(reverse(f"meldcode:{name}", args=args)).func
        assert getattr(view, "lev_sensitive", False), name


# --- Dates in the board's version --------------------------------------------------------------------------

# Every way a date is written that the board's version masks, and what it shows instead.
DATE_FORMS = (
    ("24-04-2026", "april 2026"),
    ("24-4-2026", "april 2026"),
    ("24/04/2026", "april 2026"),
    ("24.04.2026", "april 2026"),
    ("2026-04-24", "april 2026"),
    ("24-04-26", "april 2026"),
    ("24 april 2026", "april 2026"),
    ("vrijdag 24 april 2026", "april 2026"),
    ("24 apr. 2026", "april 2026"),
    ("maandag 24 april", "[date]"),
    ("24 april", "[date]"),
    ("maandag 24-4", "[date]"),
    ("24-04", "[date]"),
)
FULL_DATE = re.compile(
    r"\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
    r"|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\b",
    re.IGNORECASE,
)


@pytest.mark.django_db
def test_the_board_rows_hold_no_full_date_in_any_form(world, year, cases):
    """Each form in a field of its own line: the board's row shows month and year ("[datum]" without a
    year); the school's version keeps the text as written."""
    lines = [f"Gesprek ({n}): {written}." for n, (written, _shown) in enumerate(DATE_FORMS, start=1)]
    case = cases["MC-2025-002"]
    report_save(
        case=case,
        report_on=D(2026, 4, 28),
        values={
            "subject": "Seksueel gedrag",
            "description": "Kort.",
            "involved": "Het kind.",
            "activities": "\n".join(lines),
            "remarks": "Eerste melding intern op 2026/4/21, om 10.30 uur; groep 3/4; 10-12 jaar.",
        },
        actor=world.ib2,
        now=at(2026, 4, 28),
    )
    with translation.override("nl"):
        board = bundle_document(
            ctx_for(world.board_member), world.school_a, year, audience="board", made_on=D(2026, 12, 5)
        )
        school = bundle_document(
            ctx_for(world.director_a), world.school_a, year, audience="school", made_on=D(2026, 12, 5)
        )
    # The cases with a report come first, in case-number order: MC-2025-002 is the third.
    assert [c.number for c in board.cases] == ["MC-2024-002", "MC-2025-001", "MC-2025-002", "MC-2026-001"]
    entry = board.entries[2]
    rows = {row.label: row.text for row in entry.rows}
    expected = [
        f"Gesprek ({n}): {nl(shown) if shown.startswith('[') else shown}."
        for n, (_written, shown) in enumerate(DATE_FORMS, start=1)
    ]
    assert rows[nl("Activities carried out")].split("\n") == expected
    assert rows[nl("Remarks")] == "Eerste melding intern op april 2026, om 10.30 uur; groep 3/4; 10-12 jaar."
    for one in board.entries:
        for row in one.rows:
            no_dates = row.text.replace("10.30", "").replace("3/4", "").replace("10-12", "")
            assert FULL_DATE.search(no_dates) is None, (row.label, row.text)
            for written, _shown in DATE_FORMS:
                assert written not in row.text, (written, row.text)
    assert {row.label: row.text for row in school.entries[2].rows}[nl("Activities carried out")] == "\n".join(
        lines
    )


def test_masking_dates_keeps_what_is_no_date():
    with translation.override("nl"):
        assert mask_dates("Op 31-12-2025 en op 1e mei 2026.") == "Op december 2025 en op mei 2026."
        for text in (
            "groep 3/4",
            "10-12 jaar",
            "om 10.30 uur",
            "06-12345678",
            "MC-2026-001",
            "in april 2026",
        ):
            assert mask_dates(text) == text, text
            assert dates_found(text) == [], text
        assert mask_dates("32-01-2026") == "32-01-2026"
    assert dates_found("Op 24-04-2026, nogmaals 24-04-2026 en maandag 27 april.") == [
        "24-04-2026",
        "maandag 27 april",
    ]


# --- Versions ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_save_keeps_a_version_and_the_page_counts_the_earlier_ones(world, cases):
    case = cases["MC-2026-001"]
    values = {
        "subject": "Verwaarlozing",
        "description": "Eerste tekst.",
        "involved": "Het kind.",
        "activities": "A.",
    }
    first = report_save(
        case=case, report_on=D(2026, 3, 2), values=values, actor=world.ib_a, now=at(2026, 3, 2)
    )
    second = report_save(
        case=case,
        report_on=D(2026, 3, 9),
        values={**values, "description": "Tweede tekst."},
        actor=world.director_a,
        now=at(2026, 3, 9, 14),
    )
    assert first.pk == second.pk and CaseReport.objects.get(case=case).description == "Tweede tekst."
    versions = list(CaseReportVersion.objects.filter(case=case).order_by("id"))
    assert [(v.description, v.report_on, v.written_by, v.saved_at) for v in versions] == [
        ("Eerste tekst.", D(2026, 3, 2), world.ib_a, at(2026, 3, 2)),
        ("Tweede tekst.", D(2026, 3, 9), world.director_a, at(2026, 3, 9, 14)),
    ]
    events = AuditEvent.objects.filter(action="meldcode_report_saved", object_id=str(case.pk)).order_by(
        "sequence"
    )
    assert [e.summary for e in events] == [
        {"created": True, "version": versions[0].pk},
        {"created": False, "version": versions[1].pk},
    ]
    page = signed_in_client(world.ib_a).get(report_url(case))
    assert page.context["earlier_versions"] == [versions[0]]
    html = page.content.decode()
    assert nl("Earlier versions: %(n)s") % {"n": 1} in html
    assert (
        nl("Saved on %(day)s by %(who)s") % {"day": "02-03-2026 10:00", "who": world.ib_a.display_name}
    ) in html
    # Not a version of another case's report.
    assert CaseReportVersion.objects.filter(case=cases["MC-2025-001"]).count() == 1


@pytest.mark.django_db
def test_a_report_dated_in_the_future_is_refused_by_the_service(world, cases):
    case = cases["MC-2026-001"]
    values = {"subject": "X", "description": "Y", "involved": "Z", "activities": "W"}
    with pytest.raises(ValidationError) as refused:
        report_save(
            case=case, report_on=D(2026, 3, 3), values=values, actor=world.ib_a, now=at(2026, 3, 2, 23)
        )
    assert set(refused.value.message_dict) == {"report_on"}
    assert not CaseReport.objects.filter(case=case).exists()
    assert not CaseReportVersion.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(action="meldcode_report_saved", object_id=str(case.pk)).exists()
    # The same day is fine.
    report_save(case=case, report_on=D(2026, 3, 2), values=values, actor=world.ib_a, now=at(2026, 3, 2, 23))
    assert CaseReportVersion.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_the_bundle_audit_event_names_the_versions_it_shows_so_it_can_be_rebuilt(world, year, cases):
    """MC-2025-002's report saved a second time: the board's bundle shows, and its audit event names,
    the second version; the first stays as it was. A report written straight to the table, without a
    version (MC-2026-001 here), is shown from the table and named by no version."""
    case = cases["MC-2025-002"]
    first = CaseReportVersion.objects.get(case=case)
    report_save(
        case=case,
        report_on=D(2026, 6, 1),
        values={
            "subject": "Seksueel gedrag",
            "description": "Herzien.",
            "involved": "Het kind.",
            "activities": "B.",
        },
        actor=world.ib2,
        now=at(2026, 6, 1),
    )
    second = CaseReportVersion.objects.filter(case=case).latest("id")
    CaseReport.objects.create(
        case=cases["MC-2026-001"],
        report_on=D(2026, 6, 2),
        subject="Zonder versie",
        description="Direct in de tabel.",
        involved="Het kind.",
        activities="C.",
        written_by=world.ib_a,
        updated_at=at(2026, 6, 2),
    )
    response = signed_in_client(world.board_member).get(bundle_url("board_bundle_pdf", world.school_a, year))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Herzien." in text and "Zonder versie" in text
    event = AuditEvent.objects.get(action="meldcode_bundle_exported")
    ids = event.summary["report_versions"]
    assert ids == [
        CaseReportVersion.objects.get(case=cases["MC-2024-002"]).pk,
        CaseReportVersion.objects.get(case=cases["MC-2025-001"]).pk,
        second.pk,
    ]
    # Rebuilt from the versions named: the texts the bundle showed.
    rebuilt = {v.case_id: v for v in CaseReportVersion.objects.filter(pk__in=ids)}
    assert rebuilt[case.pk].description == "Herzien."
    assert rebuilt[cases["MC-2025-001"].pk].description == REPORT_1["description"]
    first.refresh_from_db()
    assert (first.description, first.report_on) == ("Kort.", D(2026, 4, 20))


@pytest.mark.django_db
def test_the_migration_gives_each_existing_report_its_first_version(world, cases):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("meldcode.migrations.0002_report_versions")
    case = cases["MC-2026-001"]
    report = CaseReport.objects.create(
        case=case,
        report_on=D(2026, 6, 2),
        subject="Van voor de versies",
        description="Oud.",
        involved="Het kind.",
        activities="C.",
        written_by=world.ib_a,
        updated_at=at(2026, 6, 2, 9),
    )
    CaseReportVersion.objects.all().delete()
    migration.first_versions(apps, None)
    version = CaseReportVersion.objects.get(case=case)
    assert (
        version.subject,
        version.description,
        version.report_on,
        version.written_by_id,
        version.saved_at,
    ) == (
        report.subject,
        report.description,
        report.report_on,
        world.ib_a.pk,
        at(2026, 6, 2, 9),
    )
    assert CaseReportVersion.objects.count() == CaseReport.objects.count() == 5
