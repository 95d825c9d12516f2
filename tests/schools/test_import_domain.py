"""The pure part of the import: decoding, separators, column aliases, rows and their errors.

No database: these tests exercise lev.schools.importing.domain alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from lev.schools import models as m
from lev.schools.importing import domain as d

TODAY = dt.date(2026, 11, 24)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MINIMAL = "leerlingnummer;roepnaam;achternaam;geboortedatum;groep\n"


@pytest.fixture(autouse=True)
def english():
    """Messages are checked against their English msgids, whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


def parse_text(text: str, encoding: str = "utf-8") -> d.ParsedFile:
    return d.parse(text.encode(encoding), today=TODAY)


# --- Decoding and separators --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Zoë;Çelik".encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + "Zoë;Çelik".encode(), "UTF-8"),
        ("Zoë;Hélène".encode("cp1252"), "Windows-1252"),
        ("Zoë;Çelik".encode("utf-16"), "UTF-16"),
    ],
)
def test_decode(data, encoding):
    text, found = d.decode(data)
    assert found == encoding
    assert text.startswith("Zoë;")


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04rest-of-a-zip", b"%PDF-1.7", b"\x89PNG\r\n", b"abc\x00def"],
)
def test_decode_refuses_binary_files(data):
    with pytest.raises(ValueError, match="not a CSV file"):
        d.decode(data)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("a;b;c", ";"),
        ("a,b,c", ","),
        ('"naam, voluit";b;c', ";"),  # the comma inside quotes does not count
        ("a\tb\tc", "\t"),
        ("abc", None),
    ],
)
def test_sniff_delimiter(line, expected):
    assert d.sniff_delimiter(line) == expected


def test_excel_sep_line_is_honoured_and_line_numbers_stay_physical():
    parsed = parse_text(
        "sep=,\nleerlingnummer,roepnaam,achternaam,geboortedatum,groep\n1,Ada,Kok,01-13-2018,4\n"
    )
    assert parsed.delimiter == ","
    assert [(e.line, e.admin_number) for e in parsed.errors] == [(3, "1")]


# --- Headers ------------------------------------------------------------------------------------------


def test_normalise_header():
    assert d.normalise_header("\ufeffDatum inschrijving") == "datum_inschrijving"
    assert d.normalise_header("Ouder 1 - E-mail") == "ouder_1_e_mail"
    assert d.normalise_header("Geb. datum") == "geb_datum"


@pytest.mark.parametrize(
    "headers",
    [
        ["Leerlingnummer", "Roepnaam", "Achternaam", "Geboortedatum", "Groep"],
        ["stamnummer", "roepnaam", "achternaam", "geb. datum", "klas"],
        ["LEERLINGNR", "Voornamen", "Geslachtsnaam", "Geboorte datum", "Stamgroep"],
    ],
)
def test_pupil_header_aliases(headers):
    header = d.map_header(headers)
    assert header.errors == []
    assert set(header.columns) >= {"admin_number", "achternaam", "date_of_birth", "group"}


def test_parent_header_prefixes_and_aliases():
    header = d.map_header(
        [
            "leerlingnummer",
            "roepnaam",
            "achternaam",
            "geboortedatum",
            "groep",
            "ouder1_achternaam",
            "Ouder 1 Gezag",
            "Verzorger2 Voorletters",
            "verzorger_2_achternaam",
            "Verzorger2 Ouderlijk gezag",
            "Verzorger2 Geheim adres",
            "Ouder1 ID",
        ]
    )
    assert header.errors == []
    assert header.parent_columns == {
        1: {"achternaam": 5, "has_gezag": 6, "external_id": 11},
        2: {"initials": 7, "achternaam": 8, "has_gezag": 9, "address_shielded": 10},
    }


def test_header_errors():
    header = d.map_header(["leerlingnummer", "stamnummer", "roepnaam", "groep", "ouder1_achternaam"])
    assert header.errors == [
        'The columns "leerlingnummer" and "stamnummer" mean the same; keep only one of them.',
        "The file lacks these required columns: achternaam, geboortedatum. See the column list on this page.",
        "Parent 1 has no column saying whether the parent has parental authority (gezag).",
    ]


def test_unknown_columns_are_ignored_and_listed():
    parsed = parse_text(
        "leerlingnummer;roepnaam;achternaam;geboortedatum;groep;Schoenmaat\n1;Ada;Kok;01-01-2018;4;31\n"
    )
    assert parsed.ok
    assert parsed.ignored_columns == ["Schoenmaat"]


@pytest.mark.parametrize(
    "column", ["BSN", "Burgerservicenummer", "bsn leerling", "Sofinummer", "PGN", "Ouder1 BSN"]
)
def test_a_bsn_column_refuses_the_file(column):
    parsed = parse_text(
        f"leerlingnummer;roepnaam;achternaam;geboortedatum;groep;{column}\n1;Ada;Kok;01-01-2018;4;x\n"
    )
    assert parsed.rows == []
    assert any("BSN" in e and column in e for e in parsed.file_errors)


def test_a_column_full_of_bsns_refuses_the_file_whatever_its_name():
    # 111222333, 123456782 and 999999990 pass the elfproef.
    rows = "".join(
        f"{i};Ada;Kok;01-01-2018;4;{number}\n"
        for i, number in enumerate(["111222333", "123456782", "999999990"])
    )
    parsed = parse_text("leerlingnummer;roepnaam;achternaam;geboortedatum;groep;nummer\n" + rows)
    assert parsed.rows == []
    assert "nummer" in parsed.file_errors[0] and "BSN" in parsed.file_errors[0]


def test_is_valid_bsn():
    assert d.is_valid_bsn("111222333")
    assert d.is_valid_bsn("123456782")
    assert not d.is_valid_bsn("123456789")
    assert not d.is_valid_bsn("12345678")
    assert not d.is_valid_bsn("000000000")


# --- Values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14-03-2017", dt.date(2017, 3, 14)),
        ("4-3-2017", dt.date(2017, 3, 4)),
        ("14/03/2017", dt.date(2017, 3, 14)),
        ("14.03.2017", dt.date(2017, 3, 14)),
        ("2017-03-14", dt.date(2017, 3, 14)),
        ("29-02-2020", dt.date(2020, 2, 29)),
        ("14-03-17", None),
        ("maart 2017", None),
    ],
)
def test_parse_date(text, expected):
    assert d.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2018", "29-02-2019", "14-13-2017", "2017-00-10"])
def test_parse_date_refuses_impossible_dates(text):
    with pytest.raises(ValueError):
        d.parse_date(text)


@pytest.mark.parametrize(
    ("name", "grades"),
    [
        ("4/5", [4, 5]),
        ("8b", [8]),
        ("Groep 1-2", [1, 2]),
        ("1/2a", [1, 2]),
        ("3", [3]),
        ("SO-A", []),
        ("12", []),
    ],
)
def test_grades_from_group_name(name, grades):
    assert d.grades_from_group_name(name) == grades


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ja", True),
        ("Ja", True),
        ("J", True),
        ("1", True),
        ("nee", False),
        ("NEE", False),
        ("0", False),
        ("?", None),
    ],
)
def test_parse_yes_no(text, value):
    assert d.parse_yes_no(text) is value


def test_postcode_and_house_number():
    assert d.normalise_postcode("3511aa") == "3511 AA"
    assert d.normalise_postcode("3511  AA") == "3511 AA"
    assert d.normalise_postcode("B-1000") == "B-1000"
    assert d.house_number_of("Kerkweg 3a") == "3a"
    assert d.house_number_of("Hoofdstraat 12-II") == "12ii"
    assert d.house_number_of("Laan 1940-1945 7") == "7"
    assert d.house_number_of("Ergens") == ""


def test_guardian_keys():
    common = {"first_name": "", "initials": "J.", "tussenvoegsel": "van der", "achternaam": "Berg"}
    assert (
        d.derive_guardian_key(external_id="P7", postcode="", house_number="", admin_number="1", **common)
        == "id:P7"
    )
    with_address = d.derive_guardian_key(
        external_id="", postcode="3511 AA", house_number="5", admin_number="1", **common
    )
    assert with_address == "adres:vanderberg:j:3511aa:5"
    # The same parent on a sibling's row gets the same key; without an address the key is per pupil.
    assert with_address == d.derive_guardian_key(
        external_id="", postcode="3511AA", house_number="5", admin_number="2", **common
    )
    assert (
        d.derive_guardian_key(external_id="", postcode="", house_number="", admin_number="1", **common)
        == "leerling:vanderberg:j:1"
    )
    accents = d.derive_guardian_key(
        external_id="",
        first_name="Ayşe",
        initials="",
        tussenvoegsel="",
        achternaam="Çelik",
        postcode="3521 AB",
        house_number="4",
        admin_number="1",
    )
    assert accents == "adres:celik:ayse:3521ab:4"
    long_key = d.derive_guardian_key(
        external_id="", postcode="", house_number="", admin_number="1", **{**common, "achternaam": "x" * 190}
    )
    assert len(long_key) <= 200 and long_key.startswith("leerling:sha1:")


# --- Rows ---------------------------------------------------------------------------------------------


def test_a_valid_row():
    parsed = parse_text(
        "Leerlingnummer;Voornamen;Tussenvoegsel;Achternaam;Geboortedatum;Klas;Inschrijfdatum;"
        "Ouder1 Voornaam;Ouder1 Achternaam;Ouder1 Relatie;Ouder1 Gezag;Ouder1 Straat;Ouder1 Huisnummer;"
        "Ouder1 Toevoeging;Ouder1 Postcode;Ouder1 Adres afgeschermd\n"
        " 0042 ;Zoë  Anna;van der;Berg;2019-06-21; 4/5 ;22-06-2023;Marleen;Berg;Pleegmoeder;ja;Oudegracht;210;bis;"
        "3511nr;ja\n"
    )
    assert parsed.ok, parsed.errors
    (row,) = parsed.rows
    assert (row.line, row.admin_number, row.roepnaam, row.voornamen) == (2, "0042", "Zoë", "Zoë Anna")
    assert (row.group, row.date_of_birth, row.enrolled_on) == (
        "4/5",
        dt.date(2019, 6, 21),
        dt.date(2023, 6, 22),
    )
    (parent,) = row.parents
    assert (parent.relation, parent.has_gezag, parent.address_shielded) == ("carer", True, True)
    assert (parent.street, parent.postcode) == ("Oudegracht 210 bis", "3511 NR")
    assert parent.key == "adres:berg:marleen:3511nr:210bis"
    assert parent.guardian_values() == {
        "first_name": "Marleen",
        "achternaam": "Berg",
        "street": "Oudegracht 210 bis",
        "postcode": "3511 NR",
        "address_shielded": True,
    }


def test_every_error_of_a_row_is_listed():
    parsed = parse_text(
        "leerlingnummer;roepnaam;achternaam;geboortedatum;groep;inschrijfdatum;"
        "ouder1_achternaam;ouder1_gezag;ouder1_relatie;ouder1_email;ouder2_voorletters;ouder2_achternaam;ouder2_gezag\n"
        "7;;;01-01-2030;;gisteren;;;buurman;nope;K.;;ja\n"
    )
    (error,) = parsed.errors
    assert error.line == 2
    assert error.messages == [
        "The first name (roepnaam) is missing.",
        "The surname (achternaam) is missing.",
        "The group (groep) is missing.",
        "The date of birth lies in the future.",
        "Enrolment date (inschrijfdatum): gisteren is not a date; use day-month-year, for example 14-03-2017.",
        "Parent 1: the surname is missing.",
        "Parent 1: say whether this parent has parental authority (gezag): ja or nee.",
        'Parent 1: relation "buurman" is not understood; use moeder, vader, ouder, verzorger, voogd or overig.',
        "Parent 1: nope is not an e-mail address.",
        "Parent 2: the surname is missing.",
    ]


def test_lengths_too_many_fields_and_old_dates():
    parsed = parse_text(
        MINIMAL + f"{'9' * 41};Ada;Kok;01-01-1990;4\n2;Bo;Kok;01-01-2018;4;extra\n3;Cas;Kok;01-01-2018;4;\n"
    )
    errors = {e.line: e.messages for e in parsed.errors}
    assert errors[2] == [
        "leerlingnummer is longer than 40 characters.",
        "The date of birth 01-01-1990 is more than 25 years ago; check the date.",
    ]
    assert errors[3] == ["This line has 6 fields but the header has 5; check the separators."]
    assert [r.admin_number for r in parsed.rows] == ["3"]  # an empty extra field is harmless


def test_quoted_fields_over_two_lines_keep_line_numbers():
    parsed = parse_text(
        'leerlingnummer,roepnaam,achternaam,geboortedatum,groep\n1,"Ada\nMaria",Kok,01-01-2018,4\n\n2,Bo,,01-01-2018,4\n'
    )
    assert [r.line for r in parsed.rows] == [2]
    assert [(e.line, e.admin_number) for e in parsed.errors] == [(5, "2")]


def test_two_parents_who_cannot_be_told_apart():
    parsed = parse_text(
        MINIMAL.strip()
        + ";ouder1_voorletters;ouder1_achternaam;ouder1_gezag;ouder2_voorletters;ouder2_achternaam;"
        "ouder2_gezag\n1;Ada;Kok;01-01-2018;4;J.;Kok;ja;J.;Kok;ja\n"
    )
    assert "cannot be told apart" in parsed.errors[0].messages[0]


def test_empty_and_header_only_files():
    assert d.parse(b"", today=TODAY).file_errors == ["The file is empty."]
    assert d.parse(MINIMAL.encode(), today=TODAY).file_errors == ["The file has a header but no pupils."]
    assert d.parse(b"just one column\n1\n", today=TODAY).file_errors[0].startswith("No separator found")


def test_content_problem():
    assert d.content_problem((FIXTURES / "import_cp1252_comma.csv").read_bytes()) is None
    assert d.content_problem((FIXTURES / "import_utf8_semicolon.csv").read_bytes()) is None
    assert "not a CSV file" in d.content_problem(b"PK\x03\x04....")
    assert "leerlingnummer" in d.content_problem(b"naam;adres\nA;B\n")


# --- Kept in step with the models ---------------------------------------------------------------------


def test_limits_match_the_model_fields():
    for name, limit in d.PUPIL_MAX_LENGTHS.items():
        field = {"group": (m.SchoolGroup, "name")}.get(name, (m.Pupil, name))
        assert field[0]._meta.get_field(field[1]).max_length == limit, name
    for name, limit in d.GUARDIAN_MAX_LENGTHS.items():
        if name == "external_id":
            assert len("id:") + limit <= m.Guardian._meta.get_field("external_key").max_length
            continue
        assert m.Guardian._meta.get_field(name).max_length == limit, name


def test_relations_are_guardian_relation_values():
    assert set(d.RELATIONS.values()) | {d.DEFAULT_RELATION} <= set(m.GuardianRelation.values)
