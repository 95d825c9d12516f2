"""The pupil import against PostgreSQL: sample files, re-imports, bad rows, leaving, moves, gezag.

All expected counts are worked out by hand from the files in tests/fixtures/ (see the comments).
The import date is 24-11-2026 in school year 2026-2027 (01-08-2026 .. 31-07-2027).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lev.audit.models import AuditEvent
from lev.schools import models as m
from lev.schools.importing.services import (
    ImportRefused,
    LeavingConfirmation,
    enrolment_undo_left,
    enrolments_confirm_left,
    import_apply,
    import_preview,
    provisionally_left,
)
from tests import factories as f

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMS)
TODAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked against their English msgids, whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Setup:
    def __init__(self) -> None:
        self.board = f.BoardFactory(name="Stichting Import", slug="stichting-import")
        self.school = f.SchoolFactory(board=self.board, name="De Linde", brin="33CC")
        self.year = m.SchoolYear.objects.create(
            board=self.board, name="2026-2027", starts_on=dt.date(2026, 8, 1), ends_on=dt.date(2027, 7, 31)
        )
        self.actor = f.UserFactory(username="beheerder")

    def apply(self, data: bytes, *, now: dt.datetime = NOW, confirm_left: bool = False, **kwargs):
        return import_apply(
            school=self.school,
            school_year=kwargs.pop("school_year", self.year),
            data=data,
            actor=self.actor,
            now=now,
            confirm_left=confirm_left,
            **kwargs,
        )

    def preview(self, data: bytes, *, today: dt.date = TODAY, school_year=None):
        return import_preview(
            school=self.school,
            school_year=school_year or self.year,
            data=data,
            filename="export.csv",
            today=today,
        )

    def pupil(self, number: str) -> m.Pupil:
        return m.Pupil.objects.get(school=self.school, admin_number=number)

    def link(self, number: str, guardian_key: str) -> m.PupilGuardian:
        return m.PupilGuardian.objects.get(
            pupil__school=self.school, pupil__admin_number=number, guardian__external_key=guardian_key
        )


@pytest.fixture
def s() -> Setup:
    return Setup()


def snapshot(school: m.School) -> dict[str, list[tuple]]:
    """Every imported row of the school with all its values, to prove nothing changed."""
    return {
        "groups": list(m.SchoolGroup.objects.filter(school=school).order_by("pk").values_list()),
        "pupils": list(m.Pupil.objects.filter(school=school).order_by("pk").values_list()),
        "enrolments": list(m.Enrolment.objects.filter(school=school).order_by("pk").values_list()),
        "placements": list(m.GroupPlacement.objects.filter(school=school).order_by("pk").values_list()),
        "guardians": list(m.Guardian.objects.filter(school=school).order_by("pk").values_list()),
        "links": list(m.PupilGuardian.objects.filter(school=school).order_by("pk").values_list()),
        "audit": list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)),
    }


def writes_in(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


# --- The UTF-8, semicolon-separated ParnasSys-like export ---------------------------------------------
# 14 pupils in 5 groups: 1/2a (1005, 1010, 1014), 3 (1003, 1009), 4/5 (1001, 1006, 1011),
# 6 (1004, 1007, 1012), 8b (1002, 1008, 1013). 18 distinct parent ids P100..P117. Links: 10 pupils
# with two parents and 4 (1005, 1009, 1010, 1012) with one: 10*2 + 4 = 24.


def test_utf8_semicolon_file_imports_everything(s):
    preview = s.preview(fixture("import_utf8_semicolon.csv"))
    assert preview.ok, (preview.file_errors, preview.errors)
    assert preview.parsed.encoding == "UTF-8"
    assert preview.parsed.delimiter == ";"
    assert (len(preview.created), len(preview.updated), len(preview.unchanged), preview.left_count) == (
        14,
        0,
        0,
        0,
    )
    assert sorted(preview.groups_created) == ["1/2a", "3", "4/5", "6", "8b"]
    assert m.Pupil.objects.filter(school=s.school).count() == 0  # the preview writes nothing

    result = s.apply(fixture("import_utf8_semicolon.csv"))

    assert result.pupils_created == 14
    assert result.groups_created == 5
    assert result.guardians_created == 18
    assert result.links_created == 24
    assert result.placements_opened == 14
    assert result.pupils_marked_left == 0
    assert m.Pupil.objects.filter(school=s.school).count() == 14
    assert m.Enrolment.objects.filter(school=s.school, left_on__isnull=True).count() == 14
    assert m.Guardian.objects.filter(school=s.school).count() == 18
    assert m.PupilGuardian.objects.filter(school=s.school).count() == 24
    grades = dict(
        m.SchoolGroup.objects.filter(school=s.school, school_year=s.year).values_list("name", "grades")
    )
    assert grades == {"1/2a": [1, 2], "3": [3], "4/5": [4, 5], "6": [6], "8b": [8]}

    zoe = s.pupil("1003")
    assert (zoe.roepnaam, zoe.voornamen, zoe.tussenvoegsel, zoe.achternaam) == (
        "Zoë",
        "Zoë Anna",
        "van der",
        "Berg",
    )
    assert zoe.date_of_birth == dt.date(2019, 6, 21)  # written as 2019-06-21
    assert s.pupil("1004").date_of_birth == dt.date(2016, 3, 14)  # written as 14/03/2016
    assert s.pupil("1001").achternaam == "Çelik"
    assert m.Enrolment.objects.get(pupil=zoe).enrolled_on == dt.date(2023, 6, 22)

    # Placed from the first day of the year, or from the enrolment date when that is later.
    placement = m.GroupPlacement.objects.get(pupil=s.pupil("1001"))
    assert (placement.group.name, placement.starts_on, placement.ends_on) == (
        "4/5",
        dt.date(2026, 8, 1),
        None,
    )
    jesse = m.GroupPlacement.objects.get(pupil=s.pupil("1014"))
    assert (jesse.group.name, jesse.starts_on) == ("1/2a", dt.date(2026, 9, 7))

    shielded = m.Guardian.objects.get(school=s.school, external_key="id:P104")
    assert shielded.address_shielded is True
    assert (shielded.street, shielded.postcode) == ("Geheimeweg 1", "3500 AA")
    assert m.Guardian.objects.filter(school=s.school, address_shielded=True).count() == 1
    ayse = m.Guardian.objects.get(school=s.school, external_key="id:P100")
    assert (ayse.first_name, ayse.achternaam, ayse.email) == ("Ayşe", "Çelik", "ayse.celik@example.nl")


def test_gezag_is_recorded_per_child(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    # Johan de Boer (P103): stepfather of Zoë without gezag, father of Daan with gezag.
    zoe_link, daan_link = s.link("1003", "id:P103"), s.link("1004", "id:P103")
    assert (zoe_link.relation, zoe_link.has_gezag) == (m.GuardianRelation.CARER, False)
    assert (daan_link.relation, daan_link.has_gezag) == (m.GuardianRelation.FATHER, True)
    assert zoe_link.guardian_id == daan_link.guardian_id
    # Peter Smit (P108): no gezag for Fleur, gezag for Jesse.
    assert s.link("1007", "id:P108").has_gezag is False
    assert s.link("1014", "id:P108").has_gezag is True
    assert m.PupilGuardian.objects.filter(school=s.school, has_gezag=False).count() == 2
    # A guardian (voogd) is recorded as such.
    assert s.link("1012", "id:P114").relation == m.GuardianRelation.GUARDIAN


def test_gezag_change_for_one_child_updates_only_that_link(s):
    data = fixture("import_utf8_semicolon.csv")
    s.apply(data)
    other_link = s.link("1004", "id:P103")
    changed = data.replace(b"Verzorger;nee", b"Verzorger;ja")
    assert changed != data

    preview = s.preview(changed)
    assert [(c.admin_number, c.fields) for c in preview.updated] == [("1003", ("parents",))]
    result = s.apply(changed)

    assert (result.links_updated, result.pupils_updated, result.pupils_unchanged) == (1, 1, 13)
    assert s.link("1003", "id:P103").has_gezag is True
    assert m.PupilGuardian.objects.get(pk=other_link.pk).has_gezag is True


# --- The Windows-1252, comma-separated ESIS-like export ------------------------------------------------
# 6 pupils in 2 classes: 5a (2001, 2003, 2005), 7 (2002, 2004, 2006). No parent ids: keys are derived.
# Parents: de Groot, Brouwer, E. Meijer, K. Meijer (shared by 2002 and 2003), S. Bakker, J. van Dijk
# (shielded, no address), A. Visser, W. Kuipers = 8. Links: 2 + 2 + 2 + 1 + 2 + 1 = 10.


def test_cp1252_comma_file_imports_everything(s):
    preview = s.preview(fixture("import_cp1252_comma.csv"))
    assert preview.ok, (preview.file_errors, preview.errors)
    assert (preview.parsed.encoding, preview.parsed.delimiter) == ("Windows-1252", ",")

    result = s.apply(fixture("import_cp1252_comma.csv"))

    assert (result.pupils_created, result.groups_created, result.guardians_created, result.links_created) == (
        6,
        2,
        8,
        10,
    )
    names = set(m.Pupil.objects.filter(school=s.school).values_list("roepnaam", flat=True))
    assert names == {"Anaïs", "Daniël", "Loïs", "Noël", "Hélène", "Thijs"}
    assert s.pupil("2005").tussenvoegsel == "van"
    assert s.pupil("2001").date_of_birth == dt.date(2018, 2, 4)  # 04/02/2018
    grades = dict(m.SchoolGroup.objects.filter(school=s.school).values_list("name", "grades"))
    assert grades == {"5a": [5], "7": [7]}
    # Siblings share their parents through the derived key (name + postcode + house number).
    mother = m.Guardian.objects.get(school=s.school, external_key="adres:meijer:e:3511aa:5")
    assert set(mother.pupil_links.values_list("pupil__admin_number", flat=True)) == {"2002", "2003"}
    assert mother.street == "Stationsweg 5"
    brouwer = m.Guardian.objects.get(school=s.school, external_key="adres:brouwer:r:1235cd:3a")
    assert (brouwer.initials, brouwer.street, brouwer.postcode) == ("R.", "Kerkweg 3a", "1235 CD")
    # A shielded parent without an address is keyed to the pupil, never shared between families.
    father = m.Guardian.objects.get(school=s.school, external_key="leerling:vandijk:j:2005")
    assert (father.address_shielded, father.street, father.tussenvoegsel) == (True, "", "van")
    assert s.link("2006", "adres:kuipers:w:3521cb:100").relation == m.GuardianRelation.GUARDIAN


# --- Re-importing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["import_utf8_semicolon.csv", "import_cp1252_comma.csv"])
def test_reimporting_the_same_file_writes_nothing(s, name):
    s.apply(fixture(name))
    before = snapshot(s.school)
    later = NOW + dt.timedelta(days=3)

    preview = s.preview(fixture(name), today=later.date())
    assert not preview.has_changes
    assert len(preview.unchanged) == len(before["pupils"])
    with CaptureQueriesContext(connection) as queries:
        result = s.apply(fixture(name), now=later)

    assert not result.changed
    assert result.pupils_unchanged == len(before["pupils"])
    assert writes_in(queries.captured_queries) == []
    assert snapshot(s.school) == before  # same rows, same values, same updated_at, no audit row


# --- Bad rows -----------------------------------------------------------------------------------------


def test_bad_rows_import_nothing_and_every_error_is_listed(s):
    before = snapshot(s.school)
    preview = s.preview(fixture("import_bad_rows.csv"))

    errors = {e.line: e.messages for e in preview.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert errors[3] == ["The pupil administration number (leerlingnummer) is missing."]
    assert errors[4] == ["Date of birth (geboortedatum): 31-02-2018 is not an existing date."]
    assert errors[5] == ["The pupil administration number 3001 also appears on line 2."]
    assert errors[6] == ['Parent 1: gezag "misschien" is not understood; use ja or nee.']
    assert errors[7] == ["The group (groep) is missing.", "Parent 1: geen-adres is not an e-mail address."]
    assert {e.line: e.admin_number for e in preview.errors}[6] == "3005"
    assert preview.error_count == 6

    with pytest.raises(ImportRefused) as refused:
        s.apply(fixture("import_bad_rows.csv"))

    assert "6 errors" in refused.value.message
    assert refused.value.preview is not None and len(refused.value.preview.errors) == 5
    assert snapshot(s.school) == before
    assert not m.Pupil.objects.filter(admin_number__in=["3001", "3007"]).exists()


def test_a_row_error_found_against_the_database_also_refuses_everything(s):
    header = b"leerlingnummer;roepnaam;achternaam;geboortedatum;groep;inschrijfdatum\n"
    data = header + b"5001;Ada;Kok;01-01-2018;4;01-09-2022\n5002;Bas;Kok;01-01-2018;4;01-09-2027\n"
    with pytest.raises(ImportRefused) as refused:
        s.apply(data)
    errors = refused.value.preview.errors
    assert [(e.line, e.admin_number) for e in errors] == [(3, "5002")]
    assert "lies after the end of school year 2026-2027" in errors[0].messages[0]
    assert not m.Pupil.objects.filter(school=s.school).exists()


def test_a_file_with_a_bsn_column_is_refused(s):
    data = b"leerlingnummer;bsn;roepnaam;achternaam;geboortedatum;groep\n1;111222333;Ada;Kok;01-01-2018;4\n"
    preview = s.preview(data)
    assert not preview.ok
    assert "BSN" in preview.file_errors[0]
    with pytest.raises(ImportRefused):
        s.apply(data)
    assert not m.Pupil.objects.filter(school=s.school).exists()


# --- The follow-up file: leaving, a move to an existing and to a new group, a new sibling -----------
# Compared with the first file: 1002 and 1013 are missing (marked as left); 1006 moves 4/5 -> 6;
# 1011 moves 4/5 -> 7 (a new group); 1009's date of birth is corrected (17-07 -> 16-07-2019);
# 1015 Finn Jansen is new (mother P104, as his sister 1005); Eva de Vries (P105, mother of 1006) has
# a new e-mail address. Updated: 1006 (group, parents), 1011 (group), 1009 (date of birth) = 3;
# unchanged: 14 - 2 - 3 = 9.


def test_followup_needs_confirmation_before_marking_pupils_as_left(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    before = snapshot(s.school)

    preview = s.preview(fixture("import_followup.csv"))
    assert preview.left_count == 2
    assert [p.admin_number for p in preview.leaving] == ["1002", "1013"]  # Çelik, Dubois (by name)
    with pytest.raises(ImportRefused) as refused:
        s.apply(fixture("import_followup.csv"), confirm_left=False)
    assert "2 pupils" in refused.value.message
    assert snapshot(s.school) == before

    result = s.apply(fixture("import_followup.csv"), confirm_left=True)

    assert (result.pupils_created, result.pupils_updated, result.pupils_unchanged) == (1, 3, 9)
    assert result.pupils_marked_left == 2
    assert (result.groups_created, result.guardians_created, result.guardians_updated) == (1, 0, 1)
    assert (result.links_created, result.links_updated, result.links_removed) == (1, 0, 0)
    assert (result.placements_opened, result.placements_ended) == (3, 2)
    for number in ("1002", "1013"):
        enrolment = m.Enrolment.objects.get(pupil=s.pupil(number))
        assert (enrolment.left_on, enrolment.left_confirmed) == (TODAY, False)
    assert m.Enrolment.objects.filter(school=s.school, left_on__isnull=True).count() == 13
    assert s.pupil("1009").date_of_birth == dt.date(2019, 7, 16)
    assert s.pupil("1009").updated_at == NOW
    assert s.pupil("1001").updated_at != NOW
    assert m.Guardian.objects.get(school=s.school, external_key="id:P105").email == "eva@devries.example.nl"
    assert set(s.pupil("1015").guardian_links.values_list("guardian__external_key", flat=True)) == {"id:P104"}
    assert m.GroupPlacement.objects.get(pupil=s.pupil("1015")).starts_on == dt.date(2026, 11, 16)
    assert m.SchoolGroup.objects.get(school=s.school, name="7").grades == [7]


def test_changed_fields_are_listed_in_the_preview(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    preview = s.preview(fixture("import_followup.csv"))
    assert {c.admin_number: c.fields for c in preview.updated} == {
        "1006": ("group", "parents"),
        "1009": ("date_of_birth",),
        "1011": ("group",),
    }
    assert [c.admin_number for c in preview.created] == ["1015"]
    assert preview.groups_created == ["7"]


def test_a_group_move_ends_the_old_placement_the_day_before(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    s.apply(fixture("import_followup.csv"), confirm_left=True)

    placements = list(
        m.GroupPlacement.objects.filter(pupil=s.pupil("1006")).order_by("starts_on").select_related("group")
    )
    assert [(p.group.name, p.starts_on, p.ends_on) for p in placements] == [
        ("4/5", dt.date(2026, 8, 1), dt.date(2026, 11, 23)),
        ("6", dt.date(2026, 11, 24), None),
    ]
    lucas = list(m.GroupPlacement.objects.filter(pupil=s.pupil("1011")).order_by("starts_on"))
    assert [(p.group.name, p.ends_on) for p in lucas] == [("4/5", dt.date(2026, 11, 23)), ("7", None)]


def test_a_same_day_correction_of_the_group_corrects_the_placement(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    s.apply(fixture("import_followup.csv"), confirm_left=True)  # 1006 to group 6 from 24-11-2026
    corrected = fixture("import_followup.csv").replace(
        b"\n1006;Noah;Noah Pieter;de;Vries;30-09-2017;6;", b"\n1006;Noah;Noah Pieter;de;Vries;30-09-2017;8b;"
    )
    assert corrected != fixture("import_followup.csv")

    result = s.apply(corrected, confirm_left=True)

    assert (result.pupils_updated, result.placements_opened, result.placements_ended) == (1, 0, 0)
    placements = list(m.GroupPlacement.objects.filter(pupil=s.pupil("1006")).order_by("starts_on"))
    assert [(p.group.name, p.starts_on, p.ends_on) for p in placements] == [
        ("4/5", dt.date(2026, 8, 1), dt.date(2026, 11, 23)),
        ("8b", dt.date(2026, 11, 24), None),
    ]


def test_importing_next_school_year_moves_everyone_from_its_first_day(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    next_year = m.SchoolYear.objects.create(
        board=s.board, name="2027-2028", starts_on=dt.date(2027, 8, 1), ends_on=dt.date(2028, 7, 31)
    )
    june = dt.datetime(2027, 6, 20, 9, 0, tzinfo=AMS)

    result = s.apply(fixture("import_utf8_semicolon.csv"), school_year=next_year, now=june)

    # The same group names, but as new groups of 2027-2028: every pupil moves.
    assert (result.groups_created, result.placements_opened, result.placements_ended) == (5, 14, 14)
    placements = list(m.GroupPlacement.objects.filter(pupil=s.pupil("1001")).order_by("starts_on"))
    assert [(p.group.school_year.name, p.starts_on, p.ends_on) for p in placements] == [
        ("2026-2027", dt.date(2026, 8, 1), dt.date(2027, 7, 31)),
        ("2027-2028", dt.date(2027, 8, 1), None),
    ]
    # Re-importing this year's file after next year's import changes nothing: the pupil is still in
    # this year's group on 20-06-2027.
    again = s.apply(fixture("import_utf8_semicolon.csv"), now=june)
    assert not again.changed


def test_a_pupil_marked_as_left_who_is_back_in_the_file_is_restored(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    s.apply(fixture("import_followup.csv"), confirm_left=True)

    preview = s.preview(fixture("import_utf8_semicolon.csv"))
    assert {c.admin_number: c.fields for c in preview.updated}["1002"] == ("returned",)
    assert [p.admin_number for p in preview.leaving] == ["1015"]
    s.apply(fixture("import_utf8_semicolon.csv"), confirm_left=True)

    enrolment = m.Enrolment.objects.get(pupil=s.pupil("1002"))
    assert (enrolment.left_on, enrolment.left_confirmed) == (None, False)
    assert m.Enrolment.objects.get(pupil=s.pupil("1015")).left_on == TODAY


def test_the_left_count_must_match_what_the_preview_showed(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    # Between preview (2 to mark as left) and apply, another enrolled pupil appears in LEV.
    extra = f.PupilFactory(school=s.school, admin_number="9999")
    m.Enrolment.objects.create(board=s.board, school=s.school, pupil=extra, enrolled_on=dt.date(2025, 8, 1))
    before = snapshot(s.school)

    with pytest.raises(ImportRefused) as refused:
        s.apply(fixture("import_followup.csv"), confirm_left=True, expected_left=2)

    assert "from 2 to 3" in refused.value.message
    assert snapshot(s.school) == before


def test_a_different_file_than_the_preview_is_refused(s):
    with pytest.raises(ImportRefused):
        s.apply(fixture("import_utf8_semicolon.csv"), expected_sha256="0" * 64)
    assert not m.Pupil.objects.filter(school=s.school).exists()


# --- Parents that disappear from the file ----------------------------------------------------------


def _without_second_parent_of_1001(data: bytes) -> bytes:
    lines = data.decode("utf-8-sig").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("1001;"):
            fields = line.split(";")
            lines[i] = ";".join(fields[:20] + [""] * 12)
    return "\n".join(lines).encode("utf-8")


def test_a_parent_missing_from_the_file_is_unlinked(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    result = s.apply(_without_second_parent_of_1001(fixture("import_utf8_semicolon.csv")))
    assert (result.links_removed, result.pupils_updated) == (1, 1)
    keys = set(s.pupil("1001").guardian_links.values_list("guardian__external_key", flat=True))
    assert keys == {"id:P100"}
    # Mehmet Çelik stays linked to Emre, whose row still names him.
    assert s.link("1002", "id:P101").has_gezag is True


def test_a_parent_with_a_contact_restriction_stays_linked_with_a_warning(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    link = s.link("1001", "id:P101")
    link.contact_restriction = "Haalt niet op zonder afspraak."
    link.save()

    preview = s.preview(_without_second_parent_of_1001(fixture("import_utf8_semicolon.csv")))
    assert preview.links_removed == 0
    assert len(preview.warnings) == 1 and "1001" in preview.warnings[0]
    assert m.PupilGuardian.objects.filter(pk=link.pk).exists()


def test_conflicting_details_for_one_parent_are_an_error(s):
    data = fixture("import_utf8_semicolon.csv").decode("utf-8-sig")
    # Emre's row (line 3) gives his mother another e-mail address than Zeynep's row (line 2).
    lines = data.split("\n")
    lines[2] = lines[2].replace("ayse.celik@example.nl", "ayse@elders.example.nl")
    preview = s.preview("\n".join(lines).encode())
    assert [(e.line, e.admin_number) for e in preview.errors] == [(3, "1002")]
    assert "same parent as on line 2" in preview.errors[0].messages[0]
    # The differing field is named in the user's words, not by its internal name.
    assert "different e-mail address;" in preview.errors[0].messages[0]
    with translation.override("nl"):
        dutch = s.preview("\n".join(lines).encode()).errors[0].messages[0]
    assert "email" not in dutch


# --- Audit and scale ----------------------------------------------------------------------------------


def test_the_audit_row_holds_counts_only(s):
    s.apply(fixture("import_utf8_semicolon.csv"))
    event = AuditEvent.objects.get(action="pupils_imported")
    assert event.actor == s.actor
    assert event.board == s.board
    assert (event.object_type, event.object_id) == ("schools.school", str(s.school.pk))
    assert event.summary["pupils_created"] == 14
    assert event.summary["school_year_id"] == s.year.pk
    assert len(event.summary["file_sha256"]) == 64
    text = repr(event.summary)
    for personal in ("Çelik", "Zoë", "Berg", "P100", "ayse", "export.csv", "4/5"):
        assert personal not in text


def _generated(count: int) -> bytes:
    header = (
        "leerlingnummer;roepnaam;achternaam;geboortedatum;groep;ouder1_id;ouder1_achternaam;ouder1_gezag\n"
    )
    rows = [
        f"{7000 + i};Kind{i};Achternaam{i};01-02-2018;{i % 8 + 1}a;G{i};Ouder{i};ja\n" for i in range(count)
    ]
    return (header + "".join(rows)).encode()


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(s):
    other = f.SchoolFactory(board=s.board, name="De Eik", brin="44DD")
    with CaptureQueriesContext(connection) as small:
        s.apply(_generated(10))
    with CaptureQueriesContext(connection) as large:
        import_apply(
            school=other, school_year=s.year, data=_generated(400), actor=s.actor, now=NOW, confirm_left=False
        )
    assert m.Pupil.objects.filter(school=other).count() == 400
    assert len(large.captured_queries) == len(small.captured_queries)

    # A re-import with every pupil changed is also a fixed number of queries.
    renamed = _generated(400).replace(b";Kind", b";Kindje")
    with CaptureQueriesContext(connection) as update:
        result = import_apply(
            school=other, school_year=s.year, data=renamed, actor=s.actor, now=NOW, confirm_left=False
        )
    assert result.pupils_updated == 400
    assert len(update.captured_queries) <= len(large.captured_queries)


# --- Confirming leaving -------------------------------------------------------------------------------


@pytest.fixture
def left(s) -> Setup:
    s.apply(fixture("import_utf8_semicolon.csv"))
    s.apply(fixture("import_followup.csv"), confirm_left=True)
    return s


def test_confirming_a_leaving_date_ends_the_placement_and_is_audited(left):
    s = left
    emre = m.Enrolment.objects.get(pupil=s.pupil("1002"))
    assert [e.pk for e in provisionally_left(s.school)] == [
        emre.pk,
        m.Enrolment.objects.get(pupil=s.pupil("1013")).pk,
    ]

    count = enrolments_confirm_left(
        school=s.school,
        confirmations=[LeavingConfirmation(enrolment_id=emre.pk, left_on=dt.date(2026, 11, 20))],
        actor=s.actor,
        now=NOW,
    )

    assert count == 1
    emre.refresh_from_db()
    assert (emre.left_on, emre.left_confirmed) == (dt.date(2026, 11, 20), True)
    placement = m.GroupPlacement.objects.get(pupil=s.pupil("1002"))
    assert placement.ends_on == dt.date(2026, 11, 20)
    assert [e.pupil.admin_number for e in provisionally_left(s.school)] == ["1013"]
    event = AuditEvent.objects.get(action="pupils_leaving_confirmed")
    assert event.summary == {"enrolment_ids": [emre.pk], "count": 1, "placements_ended": 1}


def test_a_leaving_date_before_enrolment_is_refused(left):
    s = left
    emre = m.Enrolment.objects.get(pupil=s.pupil("1002"))
    with pytest.raises(ValueError, match="before the enrolment date 01-08-2018"):
        enrolments_confirm_left(
            school=s.school,
            confirmations=[LeavingConfirmation(enrolment_id=emre.pk, left_on=dt.date(2018, 7, 1))],
            actor=s.actor,
            now=NOW,
        )
    emre.refresh_from_db()
    assert (emre.left_on, emre.left_confirmed) == (TODAY, False)


def test_another_schools_enrolment_cannot_be_confirmed(left):
    s = left
    other = f.SchoolFactory(board=s.board, name="De Eik", brin="44DD")
    emre = m.Enrolment.objects.get(pupil=s.pupil("1002"))
    with pytest.raises(LookupError):
        enrolments_confirm_left(
            school=other,
            confirmations=[LeavingConfirmation(enrolment_id=emre.pk, left_on=TODAY)],
            actor=s.actor,
            now=NOW,
        )
    emre.refresh_from_db()
    assert emre.left_confirmed is False


def test_a_confirmed_leaver_still_in_a_later_file_with_a_future_date_is_left_alone(left):
    s = left
    emre = m.Enrolment.objects.get(pupil=s.pupil("1002"))
    enrolments_confirm_left(
        school=s.school,
        confirmations=[LeavingConfirmation(enrolment_id=emre.pk, left_on=dt.date(2026, 12, 18))],
        actor=s.actor,
        now=NOW,
    )
    preview = s.preview(fixture("import_utf8_semicolon.csv"))
    assert "1002" in [c.admin_number for c in preview.unchanged]


def test_a_confirmed_leaver_back_after_the_date_is_enrolled_again(left):
    s = left
    emre = m.Enrolment.objects.get(pupil=s.pupil("1002"))
    enrolments_confirm_left(
        school=s.school,
        confirmations=[LeavingConfirmation(enrolment_id=emre.pk, left_on=dt.date(2026, 11, 20))],
        actor=s.actor,
        now=NOW,
    )
    result = s.apply(fixture("import_utf8_semicolon.csv"), confirm_left=True)
    assert result.pupils_updated >= 1
    enrolments = list(m.Enrolment.objects.filter(pupil=s.pupil("1002")).order_by("enrolled_on"))
    assert [(e.enrolled_on, e.left_on) for e in enrolments] == [
        (dt.date(2018, 8, 1), dt.date(2026, 11, 20)),
        (TODAY, None),
    ]
    placements = list(m.GroupPlacement.objects.filter(pupil=s.pupil("1002")).order_by("starts_on"))
    assert [(p.starts_on, p.ends_on) for p in placements] == [
        (dt.date(2026, 8, 1), dt.date(2026, 11, 20)),
        (TODAY, None),
    ]


def test_undoing_a_provisional_leaving(left):
    s = left
    chloe = m.Enrolment.objects.get(pupil=s.pupil("1013"))
    enrolment_undo_left(school=s.school, enrolment_id=chloe.pk, actor=s.actor, now=NOW)
    chloe.refresh_from_db()
    assert (chloe.left_on, chloe.left_confirmed) == (None, False)
    assert AuditEvent.objects.filter(action="pupil_leaving_undone", object_id=str(chloe.pk)).count() == 1
    with pytest.raises(LookupError):
        enrolment_undo_left(school=s.school, enrolment_id=chloe.pk, actor=s.actor, now=NOW)
