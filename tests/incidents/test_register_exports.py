"""The register's exports: the CSV and the Bijlage 11 PDF hold exactly the rows the viewer may see,
the MR version shows initials only, and every export leaves an audit row without names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import unicodedata

import pytest
from django.utils import timezone

from incidents import register_views
from incidents.register_pdf import Redactor, initials, pupil_initials, register_csv, user_initials
from incidents.register_selectors import RegisterFilters, register_rows
from lev.audit.models import AuditEvent
from tests import factories as f
from tests.conftest import signed_in_client
from tests.i18n_helpers import t
from tests.incidents.test_register import ctx_for, make_incident

pytestmark = pytest.mark.django_db

CSV_URL = "/incidentenregister/export.csv"
PDF_URL = "/incidentenregister/bijlage-11.pdf"


def read_csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Dutch Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def normalise(text: str) -> str:
    """NFKC, hyphenated line breaks joined, whitespace collapsed (ARCHITECTURE.md §7)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"-\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return normalise(result.stdout.decode())


@pytest.fixture
def mixed(world):
    """Incidents of school A by several reporters, and one of school B."""
    return [
        make_incident(world, reporter=world.teacher_a, number="A-1", pupils=[(world.pupil_a, "experienced")]),
        make_incident(world, reporter=world.staff_a, number="A-2", category="agressie"),
        make_incident(world, reporter=world.ib_a, recorded_by=world.teacher_a, number="A-3", status="closed"),
        make_incident(world, reporter=world.director_a, number="A-4", happened_on=dt.date(2026, 10, 20)),
        make_incident(world, school=world.school_b, reporter=world.teacher_b, number="B-1"),
    ]


def csv_numbers(response) -> set[str]:
    return {row[0] for row in read_csv(response)[1:]}


# --- CSV ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("teacher_a", {"A-1", "A-3"}),
        ("staff_a", {"A-2"}),
        ("ib_a", {"A-1", "A-2", "A-3", "A-4"}),
        ("director_a", {"A-1", "A-2", "A-3", "A-4"}),
        ("deputy_a", {"A-1", "A-2", "A-3", "A-4"}),
        ("teacher_b", {"B-1"}),
    ],
)
def test_csv_holds_exactly_the_rows_the_viewer_may_see(world, mixed, persona, expected):
    user = getattr(world, persona)
    response = signed_in_client(user).get(CSV_URL)
    assert response.status_code == 200
    assert csv_numbers(response) == expected
    school = world.school_b if persona == "teacher_b" else world.school_a
    visible = {i.number for i in register_rows(ctx_for(user, school), school, filters=RegisterFilters())}
    assert csv_numbers(response) == visible


def test_csv_with_a_filter_equals_the_filtered_register(world, mixed):
    client = signed_in_client(world.director_a)
    params = {"van": "2026-09-01", "tot": "2026-09-30", "status": "open"}
    response = client.get(CSV_URL, params)
    assert csv_numbers(response) == {"A-1", "A-2"}
    page = client.get("/incidentenregister/", params).content.decode()
    shown = set(re.findall(r'<a href="/incidenten/\d+/">([^<]+)</a>', page))
    assert shown == {"A-1", "A-2"}


def test_csv_format_headers_and_audit_row(world, mixed):
    incident = mixed[0]
    incident.happened_time = dt.time(8, 45)
    incident.save()
    response = signed_in_client(world.director_a).get(
        CSV_URL, {"leerling": world.pupil_a.pk, "categorie": "pesten"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="incidentenregister-11AA-{today}.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = read_csv(response)
    assert rows[0] == [
        t("Number"),
        t("Date"),
        t("Time"),
        t("Location"),
        t("Category"),
        t("Severity"),
        t("Description of what happened"),
        t("Pupils involved"),
        t("Reported by"),
        t("Status"),
        t("Attachments"),
    ]
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "A-1"
    assert row[1] == "15-09-2026"
    assert row[2] == "08:45"
    assert row[3] == "Schoolplein"
    assert row[7] == f"{world.pupil_a.full_name} ({t('Pupil who experienced it')})"
    assert row[8] == world.teacher_a.display_name
    assert row[10] == "0"
    event = AuditEvent.objects.get(action="incident_register_exported")
    assert event.actor == world.director_a
    assert event.board == world.board
    assert event.object_type == "schools.school" and event.object_id == str(world.school_a.pk)
    assert event.summary == {
        "format": "csv",
        "scope": "school",
        "audience": "school",
        "rows": 1,
        "from": "",
        "to": "",
        "category": "pesten",
        "group_id": "",
        "pupil_id": world.pupil_a.pk,
        "status": "",
    }
    summary = json.dumps(event.summary)
    for name in (world.pupil_a.roepnaam, world.pupil_a.achternaam):
        assert name not in summary


def test_csv_makes_formulas_inert(world):
    make_incident(
        world, number="A-1", description='=HYPERLINK("http://evil.example","klik")', location="+31 plein"
    )
    row = read_csv(signed_in_client(world.director_a).get(CSV_URL))[1]
    assert row[6] == '\'=HYPERLINK("http://evil.example","klik")'
    assert row[3] == "'+31 plein"


def test_csv_with_a_bad_filter_goes_back_to_the_register(world, mixed):
    response = signed_in_client(world.director_a).get(CSV_URL, {"van": "2026-10-01", "tot": "2026-09-01"})
    assert response.status_code == 302
    assert response["Location"] == "/incidentenregister/?van=2026-10-01&tot=2026-09-01"
    assert not AuditEvent.objects.filter(action="incident_register_exported").exists()


def test_register_csv_counts_and_encodes_without_a_request(world):
    make_incident(world, number="Ä-1", description="Één zin; met puntkomma\nen een regel.")
    content, count = register_csv(
        register_rows(ctx_for(world.director_a, world.school_a), world.school_a, filters=RegisterFilters())
    )
    assert count == 1
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Ä-1"
    assert rows[1][6] == "Één zin; met puntkomma\nen een regel."


# --- PDF ---------------------------------------------------------------------------------------------


@pytest.fixture
def named(world):
    """An incident whose description names the pupils, with a staff member and an attachment."""
    world.teacher_a.first_name, world.teacher_a.last_name = "Petra", "Klaassen"
    world.teacher_a.save()
    world.staff_a.first_name, world.staff_a.last_name = "Wim", "de Boer"
    world.staff_a.save()
    return make_incident(
        world,
        reporter=world.teacher_a,
        number="2026-0007",
        happened_on=dt.date(2026, 9, 15),
        happened_time=dt.time(10, 30),
        location="Fietsenstalling",
        pupils=[(world.pupil_a, "experienced"), (world.pupil_a_other, "initiative")],
        staff=[world.staff_a],
        others="Oom van Anna, vrijwilliger",
        attachments=1,
        description="Bram de Vries duwde Anna tegen het hek. De Vries zei sorry. Petra Klaassen zag het.",
    )


def test_pdf_in_the_bijlage_11_layout_with_full_names(world, named):
    response = signed_in_client(world.director_a).get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="incidentenregister-11AA-')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for phrase in (
        world.school_a.name,
        t("Incident register: social safety"),
        t("Account of the incident"),
        t("People involved"),
        t("Reference to attachments"),
        "15-09-2026",
        "2026-0007",
        "Fietsenstalling",
        "Anna Jansen",
        "Bram de Vries",
        "Petra Klaassen",
        "Wim de Boer",
        "Oom van Anna",
        "verslag-",
    ):
        assert phrase in text, phrase
    assert re.search(r"Pagina 1 van \d+", text)
    event = AuditEvent.objects.get(action="incident_register_exported")
    assert event.summary["format"] == "pdf"
    assert event.summary["audience"] == "school"
    assert event.summary["rows"] == 1


def test_pdf_for_the_mr_shows_initials_only(world, named):
    response = signed_in_client(world.director_a).get(PDF_URL, {"voor": "mr"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-mr.pdf"')
    text = pdf_text(response.content)
    for name in ("Anna", "Jansen", "Bram", "Vries", "Petra", "Klaassen", "Wim", "Boer", "verslag-"):
        assert name not in text, name
    assert "A.J." in text
    assert "B.d.V." in text
    assert "P.K." in text
    assert "W.d.B." in text
    # The description keeps its facts with the names replaced.
    assert "B.d.V. duwde A.J. tegen het hek. B.d.V. zei sorry. P.K. zag het." in text
    assert t("Attachment %(number)s", number=1) in text
    event = AuditEvent.objects.get(action="incident_register_exported")
    assert event.summary["audience"] == "mr"


def test_pdf_for_the_mr_prints_the_pupil_filter_by_initials(world, named):
    response = signed_in_client(world.director_a).get(PDF_URL, {"voor": "mr", "leerling": world.pupil_a.pk})
    text = pdf_text(response.content)
    assert "Anna" not in text and "Jansen" not in text
    assert "A.J." in text


def test_pdf_is_oldest_first_and_holds_only_the_teachers_own(world, mixed):
    response = signed_in_client(world.teacher_a).get(PDF_URL)
    text = pdf_text(response.content)
    assert "A-1" in text and "A-3" in text
    for other in ("A-2", "A-4", "B-1"):
        assert other not in text
    assert t("Only the incidents you reported or recorded yourself.") in text
    lead = pdf_text(signed_in_client(world.director_a).get(PDF_URL).content)
    found = re.findall(r"A-\d", lead)
    # A-1..A-3 happened on 15-09-2026 (in number order), A-4 on 20-10-2026: oldest first.
    assert found.index("A-4") > max(found.index(n) for n in ("A-1", "A-2", "A-3"))
    assert "B-1" not in lead


def test_pdf_refuses_too_many_rows(world, monkeypatch):
    monkeypatch.setattr(register_views, "PDF_MAX_ROWS", 2)
    for _ in range(3):
        make_incident(world, category="agressie")
    client = signed_in_client(world.director_a)
    response = client.get(PDF_URL, {"categorie": "agressie"})
    assert response.status_code == 302
    assert response["Location"] == "/incidentenregister/?categorie=agressie"
    page = client.get(response["Location"]).content.decode()
    expected = t(
        "The PDF can hold at most %(max)s incidents. Narrow the filter, for example to one school year or one "
        "category, and try again.",
        max=2,
    )
    assert expected in page
    assert not AuditEvent.objects.filter(action="incident_register_exported").exists()
    # Within the limit the PDF is made.
    make_incident(world, category="pesten")
    assert client.get(PDF_URL, {"categorie": "pesten"}).status_code == 200


def test_pdf_without_incidents_says_so(world):
    text = pdf_text(signed_in_client(world.ib_a).get(PDF_URL).content)
    assert t("No incidents in this period and filter.") in text


# --- Initials and redaction (no database) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Anna", "", "Jansen"), "A.J."),
        (("Bram", "de", "Vries"), "B.d.V."),
        (("Jan-Willem", "van den", "Berg"), "J.v.d.B."),
        (("Sophie", "", "Jansen-Smit"), "S.J.S."),
        (("", "", ""), "?"),
    ],
)
def test_initials(parts, expected):
    assert initials(*parts) == expected


def test_redactor_replaces_longest_names_first_and_whole_words_only():
    pupils = [
        f.PupilFactory.build(roepnaam="Anna", tussenvoegsel="", achternaam="Jansen"),
        f.PupilFactory.build(roepnaam="Bram", tussenvoegsel="de", achternaam="Vries"),
    ]
    users = [f.UserFactory.build(first_name="Ben", last_name="Kok")]
    redact = Redactor.for_people(pupils, users)
    assert redact("Anna Jansen en Bram de Vries.") == "A.J. en B.d.V.."
    assert redact("De Vries, de Vries en Jansen") == "B.d.V., B.d.V. en A.J."
    assert redact("Annabel en Jansens bleven") == "Annabel en Jansens bleven"
    # Names are matched as written: "ik ben" is not the teacher Ben.
    assert redact("Ben Kok zag het; ik ben erbij") == "B.K. zag het; ik ben erbij"
    assert pupil_initials(pupils[1]) == "B.d.V."
    assert user_initials(users[0]) == "B.K."
    assert Redactor.for_people([], [])("Anna") == "Anna"
