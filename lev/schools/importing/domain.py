"""Reading a pupil-administration export (ParnasSys, ESIS and the like) into checked rows.

Source: PRODUCT.md ("Relationship with the pupil administration": the pupil administration stays
the source of pupils, groups and parents) and the foundation issue's import item. The column
specification, every alias and the parent key are documented in docs/import.md; keep both in step.

This module is pure: bytes and a date in, dataclasses out. It uses Django only for gettext (and
gettext_lazy), so the reasons it gives can be translated. It never keeps a BSN: a file with a column that is or looks
like a citizen service number is refused as a whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Limits that mirror the model fields (a test keeps them equal to the models' max_length) ----

PUPIL_MAX_LENGTHS = {
    "admin_number": 40,
    "roepnaam": 100,
    "voornamen": 200,
    "tussenvoegsel": 30,
    "achternaam": 150,
    "group": 40,
}
GUARDIAN_MAX_LENGTHS = {
    "initials": 30,
    "first_name": 100,
    "tussenvoegsel": 30,
    "achternaam": 150,
    "email": 254,
    "phone": 30,
    "street": 200,
    "postcode": 7,
    "city": 100,
    "external_id": 150,
}
# A pupil older than this is not a primary-school pupil: the date is a typing or export error.
MAX_PUPIL_AGE_YEARS = 25
MAX_PARENT_SLOTS = 4

# --- The canonical columns and their aliases ------------------------------------------------------
# Headers are compared after `normalise_header`: lower case, accents removed, every run of other
# characters replaced by one underscore ("Datum inschrijving" -> "datum_inschrijving").

PUPIL_ALIASES: dict[str, tuple[str, ...]] = {
    "admin_number": (
        "admin_number",
        "leerlingnummer",
        "leerling_nummer",
        "leerlingnr",
        "llnr",
        "ll_nr",
        "stamnummer",
        "stamnr",
        "leerling_id",
        "leerlingid",
        "administratienummer",
    ),
    "roepnaam": ("roepnaam", "roepnaam_leerling", "voornaam", "voornaam_leerling", "first_name"),
    "voornamen": ("voornamen", "officiele_voornamen", "volledige_voornamen", "given_names"),
    "tussenvoegsel": (
        "tussenvoegsel",
        "tussenvoegsels",
        "voorvoegsel",
        "voorvoegsels",
        "tussenvoegsel_leerling",
    ),
    "achternaam": ("achternaam", "achternaam_leerling", "geslachtsnaam", "surname", "last_name"),
    "date_of_birth": ("date_of_birth", "geboortedatum", "geboorte_datum", "geb_datum", "gebdatum"),
    "group": ("group", "groep", "groepsnaam", "klas", "klasnaam", "stamgroep", "groep_klas"),
    "enrolled_on": (
        "enrolled_on",
        "inschrijfdatum",
        "inschrijvingsdatum",
        "datum_inschrijving",
        "datum_in_school",
        "instroomdatum",
        "datum_instroom",
    ),
}
PARENT_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "ouder_id", "ouderid", "verzorger_id", "relatienummer", "persoonsnummer"),
    "initials": ("voorletters", "initialen", "initials"),
    "first_name": ("voornaam", "roepnaam", "first_name"),
    "tussenvoegsel": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels"),
    "achternaam": ("achternaam", "naam", "geslachtsnaam", "surname", "last_name"),
    "relation": ("relatie", "relatie_tot_leerling", "relation", "soort", "rol"),
    "has_gezag": ("gezag", "ouderlijk_gezag", "heeft_gezag", "gezaghebbend", "gezagsdrager", "has_gezag"),
    "email": ("e_mail", "email", "emailadres", "e_mailadres", "e_mail_adres", "mail"),
    "phone": ("telefoon", "telefoonnummer", "tel", "mobiel", "telefoon_mobiel", "mobiel_nummer", "phone"),
    "street": ("straat", "adres", "straat_en_huisnummer", "straat_huisnummer", "straatnaam", "street"),
    "house_number": ("huisnummer", "huisnr", "house_number"),
    "house_number_suffix": ("toevoeging", "huisnummer_toevoeging", "huisnummertoevoeging"),
    "postcode": ("postcode", "postal_code"),
    "city": ("plaats", "woonplaats", "city"),
    "address_shielded": (
        "adres_afgeschermd",
        "afgeschermd",
        "afgeschermd_adres",
        "geheim_adres",
        "adres_geheim",
        "address_shielded",
    ),
    "receives_mail": ("ontvangt_post", "post", "ontvangt_mail", "receives_mail"),
}
# "ouder1_achternaam", "Ouder 1 - Achternaam", "Verzorger1 Achternaam", "verzorger_2_gezag", ...
PARENT_PREFIX = re.compile(r"^(?:ouder_verzorger|ouder|verzorger|parent|contactpersoon)_?([1-9])_(.+)$")
REQUIRED_PUPIL_COLUMNS = ("admin_number", "achternaam", "date_of_birth", "group")

# Headers that are or hold a citizen service number (BSN) or the education number derived from it.
BSN_TOKENS = frozenset({"bsn", "sofinummer", "sofi", "burgerservicenummer", "pgn", "onderwijsnummer"})
BSN_PHRASES = ("burgerservicenummer", "burger_service_nummer", "sofi_nummer", "persoonsgebonden_nummer")
# An unnamed or unknown column whose values are all valid BSNs is refused too, once it holds this many.
BSN_VALUES_THRESHOLD = 3

TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "1", "true", "waar", "x"})
FALSE_WORDS = frozenset({"nee", "n", "no", "0", "false", "onwaar"})

# Relation words in the administration -> GuardianRelation values (kept equal by a test).
RELATIONS: dict[str, str] = {
    "moeder": "mother",
    "mother": "mother",
    "vader": "father",
    "father": "father",
    "ouder": "parent",
    "parent": "parent",
    "verzorger": "carer",
    "verzorgster": "carer",
    "pleegouder": "carer",
    "pleegmoeder": "carer",
    "pleegvader": "carer",
    "stiefouder": "carer",
    "stiefmoeder": "carer",
    "stiefvader": "carer",
    "grootouder": "carer",
    "grootmoeder": "carer",
    "grootvader": "carer",
    "carer": "carer",
    "voogd": "guardian",
    "voogdes": "guardian",
    "guardian": "guardian",
    "overig": "other",
    "anders": "other",
    "other": "other",
}
DEFAULT_RELATION = "parent"

DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)
DUTCH_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HOUSE_NUMBER_AT_END = re.compile(r"(\d+)([^\d]*)$")
SEP_LINE = re.compile(r"^(?:[ \t]*(?:\r\n|\r|\n))*[ \t]*sep=([;,\t])[ \t]*(?:\r\n|\r|\n)")
KEY_MAX_LENGTH = 200
# Files that are certainly not CSV: a zip (xlsx, docx), an old Office file, a PDF, an image.
BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


# --- Results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParentRow:
    """One parent on one pupil's row. `provided` names the guardian fields the file has columns for."""

    slot: int
    key: str
    initials: str
    first_name: str
    tussenvoegsel: str
    achternaam: str
    email: str
    phone: str
    street: str
    postcode: str
    city: str
    relation: str
    has_gezag: bool
    address_shielded: bool | None
    receives_mail: bool | None
    provided: frozenset[str]

    def guardian_values(self) -> dict[str, object]:
        """The Guardian fields this file sets (a column that is absent leaves the field alone)."""
        values: dict[str, object] = {}
        for name in GUARDIAN_FIELDS:
            if name in self.provided:
                values[name] = getattr(self, name)
        return values


GUARDIAN_FIELDS = (
    "initials",
    "first_name",
    "tussenvoegsel",
    "achternaam",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "address_shielded",
)


@dataclass(frozen=True)
class PupilRow:
    line: int
    admin_number: str
    roepnaam: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    date_of_birth: date
    group: str
    enrolled_on: date | None
    parents: tuple[ParentRow, ...]


@dataclass
class RowError:
    line: int
    admin_number: str
    messages: list[str]


@dataclass
class ParsedFile:
    encoding: str = ""
    delimiter: str = ""
    # canonical pupil column -> the header it was read from
    columns: dict[str, str] = field(default_factory=dict)
    # parent slot -> canonical parent column -> header
    parent_columns: dict[int, dict[str, str]] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[PupilRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    data_lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    def provides(self, column: str) -> bool:
        return column in self.columns


# --- Small pure helpers ----------------------------------------------------------------------------


def strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_header(header: str) -> str:
    text = strip_accents(header.replace("\ufeff", "")).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def normalise_key_part(value: str) -> str:
    """Lower case letters and digits only: "Van der Berg" -> "vanderberg", "Çelik" -> "celik"."""
    return re.sub(r"[^a-z0-9]", "", strip_accents(value).lower())


def collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252.

    Raises ValueError with a user-facing reason when the bytes are not text.
    """
    for magic in BINARY_MAGIC:
        if data.startswith(magic):
            raise ValueError(
                _(
                    "This is not a CSV file. If it is a spreadsheet, save it as CSV "
                    "(separated by semicolons or commas) and upload that file."
                )
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ValueError(_("The file could not be read as text.")) from exc
    if b"\x00" in data:
        raise ValueError(_("This is not a CSV file: it contains binary data."))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            raise ValueError(_("The file says it is UTF-8 but contains invalid characters.")) from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise ValueError(_("The file could not be read as text (neither UTF-8 nor Windows-1252).")) from exc


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def sniff_delimiter(header_line: str) -> str | None:
    """The separator of the header line: the most frequent of ; , and tab (ties: ; before ,)."""
    counts = {d: _count_outside_quotes(header_line, d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def parse_date(value: str) -> date | None:
    """d-m-Y, d/m/Y, d.m.Y or Y-m-d. Raises ValueError for an impossible date; None for no match."""
    text = value.strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
    return None


def parse_yes_no(value: str) -> bool | None:
    word = value.strip().lower()
    if word not in TRUE_WORDS and word not in FALSE_WORDS:
        word = normalise_key_part(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def grades_from_group_name(name: str) -> list[int]:
    """Grades (1–8) named in a group name: "4/5" -> [4, 5], "8b" -> [8], "Groep 1-2" -> [1, 2]."""
    grades = {int(n) for n in re.findall(r"\d+", name) if 1 <= int(n) <= 8}
    return sorted(grades)


def normalise_postcode(value: str) -> str:
    text = collapse_spaces(value)
    match = DUTCH_POSTCODE.match(text)
    if match:
        return f"{match[1]} {match[2].upper()}"
    return text.upper()


def house_number_of(street: str) -> str:
    """The house number and its suffix at the end of a street: "Kerkweg 3a" -> "3a"."""
    match = HOUSE_NUMBER_AT_END.search(street.strip())
    if not match:
        return ""
    return match[1] + normalise_key_part(match[2])


def is_valid_bsn(value: str) -> bool:
    """Nine digits passing the elfproef (weights 9..2 and -1)."""
    digits = value.strip()
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def header_means_bsn(normalised: str) -> bool:
    tokens = set(normalised.split("_"))
    return bool(tokens & BSN_TOKENS) or any(phrase in normalised for phrase in BSN_PHRASES)


def derive_guardian_key(
    *,
    external_id: str,
    first_name: str,
    initials: str,
    tussenvoegsel: str,
    achternaam: str,
    postcode: str,
    house_number: str,
    admin_number: str,
) -> str:
    """The key that recognises a parent in the next import (docs/import.md, "How parents are keyed").

    The administration's parent id when the file has one; otherwise the normalised name with postcode
    and house number, and without an address the name scoped to the pupil (never shared between
    families).
    """
    if external_id:
        return f"id:{external_id}"
    name = normalise_key_part(tussenvoegsel + achternaam)
    given = normalise_key_part(first_name or initials)
    code = normalise_key_part(postcode)
    if code and house_number:
        key = f"adres:{name}:{given}:{code}:{house_number}"
    else:
        key = f"leerling:{name}:{given}:{admin_number}"
    if len(key) > KEY_MAX_LENGTH:
        key = f"{key.split(':', 1)[0]}:sha1:{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()}"
    return key


# --- The header ------------------------------------------------------------------------------------


@dataclass
class _Header:
    columns: dict[str, int]
    parent_columns: dict[int, dict[str, int]]
    ignored: list[int]
    errors: list[str]


def _alias_table(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: canonical for canonical, names in aliases.items() for alias in names}


PUPIL_ALIAS_TABLE = _alias_table(PUPIL_ALIASES)
PARENT_ALIAS_TABLE = _alias_table(PARENT_ALIASES)


def map_header(headers: list[str]) -> _Header:
    columns: dict[str, int] = {}
    parents: dict[int, dict[str, int]] = {}
    ignored: list[int] = []
    errors: list[str] = []
    for index, raw in enumerate(headers):
        name = normalise_header(raw)
        if not name:
            ignored.append(index)
            continue
        if header_means_bsn(name):
            errors.append(
                _(
                    'The column "%(header)s" holds a citizen service number (BSN). LEV does not store '
                    "BSNs: remove this column from the export and upload the file again."
                )
                % {"header": raw.strip()}
            )
            continue
        parent = PARENT_PREFIX.match(name)
        if parent:
            slot = int(parent[1])
            canonical = PARENT_ALIAS_TABLE.get(parent[2])
            if canonical is None or slot > MAX_PARENT_SLOTS:
                ignored.append(index)
                continue
            slot_columns = parents.setdefault(slot, {})
            if canonical in slot_columns:
                errors.append(
                    _('The columns "%(first)s" and "%(second)s" mean the same; keep only one of them.')
                    % {"first": headers[slot_columns[canonical]].strip(), "second": raw.strip()}
                )
                continue
            slot_columns[canonical] = index
            continue
        pupil_canonical = PUPIL_ALIAS_TABLE.get(name)
        if pupil_canonical is None:
            ignored.append(index)
            continue
        if pupil_canonical in columns:
            errors.append(
                _('The columns "%(first)s" and "%(second)s" mean the same; keep only one of them.')
                % {"first": headers[columns[pupil_canonical]].strip(), "second": raw.strip()}
            )
            continue
        columns[pupil_canonical] = index
    missing = [c for c in REQUIRED_PUPIL_COLUMNS if c not in columns]
    if "roepnaam" not in columns and "voornamen" not in columns:
        missing.append("roepnaam")
    if missing:
        errors.append(
            _("The file lacks these required columns: %(columns)s. See the column list on this page.")
            % {"columns": ", ".join(COLUMN_TITLES[c] for c in missing)}
        )
    for slot, slot_columns in sorted(parents.items()):
        if "achternaam" not in slot_columns:
            errors.append(_("Parent %(slot)s has columns but no surname column.") % {"slot": slot})
        if "has_gezag" not in slot_columns:
            errors.append(
                _("Parent %(slot)s has no column saying whether the parent has parental authority (gezag).")
                % {"slot": slot}
            )
    return _Header(columns=columns, parent_columns=parents, ignored=ignored, errors=errors)


# The header names shown to users in messages (the first alias is the canonical Dutch header).
COLUMN_TITLES = {
    "admin_number": "leerlingnummer",
    "roepnaam": "roepnaam",
    "voornamen": "voornamen",
    "tussenvoegsel": "tussenvoegsel",
    "achternaam": "achternaam",
    "date_of_birth": "geboortedatum",
    "group": "groep",
    "enrolled_on": "inschrijfdatum",
}


# --- Rows ------------------------------------------------------------------------------------------


def _cell(values: list[str], index: int | None) -> str:
    if index is None or index >= len(values):
        return ""
    return collapse_spaces(values[index])


def _check_length(messages: list[str], label: str, value: str, limit: int) -> None:
    if len(value) > limit:
        messages.append(
            _("%(field)s is longer than %(limit)s characters.") % {"field": label, "limit": limit}
        )


DATE_LABELS = {
    "date_of_birth": gettext_lazy("Date of birth (geboortedatum)"),
    "enrolled_on": gettext_lazy("Enrolment date (inschrijfdatum)"),
}


def _read_date(messages: list[str], column: str, value: str) -> date | None:
    label = DATE_LABELS[column]
    try:
        parsed = parse_date(value)
    except ValueError:
        messages.append(_("%(field)s: %(value)s is not an existing date.") % {"field": label, "value": value})
        return None
    if parsed is None:
        messages.append(
            _("%(field)s: %(value)s is not a date; use day-month-year, for example 14-03-2017.")
            % {"field": label, "value": value}
        )
    return parsed


def _parent(
    slot: int, columns: dict[str, int], values: list[str], admin_number: str, messages: list[str]
) -> ParentRow | None:
    cells = {name: _cell(values, index) for name, index in columns.items()}
    if not any(cells.values()):
        return None
    label = _ParentLabel(slot)
    before = len(messages)
    achternaam = cells.get("achternaam", "")
    if not achternaam:
        messages.append(_("%(parent)s: the surname is missing.") % {"parent": label})
    gezag_text = cells.get("has_gezag", "")
    has_gezag = parse_yes_no(gezag_text) if gezag_text else None
    if not gezag_text:
        messages.append(
            _("%(parent)s: say whether this parent has parental authority (gezag): ja or nee.")
            % {"parent": label}
        )
    elif has_gezag is None:
        messages.append(
            _('%(parent)s: gezag "%(value)s" is not understood; use ja or nee.')
            % {"parent": label, "value": gezag_text}
        )
    relation_cell = cells.get("relation", "")
    relation = RELATIONS.get(relation_cell.lower()) or RELATIONS.get(normalise_key_part(relation_cell))
    if not relation_cell:
        relation = DEFAULT_RELATION
    if relation is None:
        messages.append(
            _(
                '%(parent)s: relation "%(value)s" is not understood; use moeder, vader, ouder, verzorger, voogd or overig.'
            )
            % {"parent": label, "value": cells.get("relation", "")}
        )
    shielded: bool | None = None
    if "address_shielded" in columns:
        shielded_text = cells.get("address_shielded", "")
        shielded = parse_yes_no(shielded_text) if shielded_text else False
        if shielded is None:
            messages.append(
                _('%(parent)s: "address shielded" value "%(value)s" is not understood; use ja or nee.')
                % {"parent": label, "value": shielded_text}
            )
    receives_mail: bool | None = None
    if "receives_mail" in columns and cells.get("receives_mail", ""):
        receives_mail = parse_yes_no(cells["receives_mail"])
        if receives_mail is None:
            messages.append(
                _('%(parent)s: "receives mail" value "%(value)s" is not understood; use ja or nee.')
                % {"parent": label, "value": cells["receives_mail"]}
            )
    email = cells.get("email", "")
    if email and not EMAIL.match(email):
        messages.append(
            _("%(parent)s: %(value)s is not an e-mail address.") % {"parent": label, "value": email}
        )
    postcode = normalise_postcode(cells.get("postcode", ""))
    street = cells.get("street", "")
    number = cells.get("house_number", "")
    suffix = cells.get("house_number_suffix", "")
    if number:
        joined = f"{number}{suffix}" if suffix.isalpha() and len(suffix) <= 2 else f"{number} {suffix}"
        street = collapse_spaces(f"{street} {joined}")
    provided = _provided_fields(frozenset(columns))
    external_id = cells.get("external_id", "")
    for name, limit in GUARDIAN_MAX_LENGTHS.items():
        value = street if name == "street" else postcode if name == "postcode" else cells.get(name, "")
        if len(value) > limit:
            _check_length(messages, f"{label}: {FIELD_TITLES[name]}", value, limit)
    if len(messages) > before:
        return None
    return ParentRow(
        slot=slot,
        key=derive_guardian_key(
            external_id=external_id,
            first_name=cells.get("first_name", ""),
            initials=cells.get("initials", ""),
            tussenvoegsel=cells.get("tussenvoegsel", ""),
            achternaam=achternaam,
            postcode=postcode,
            house_number="" if external_id else house_number_of(street),
            admin_number=admin_number,
        ),
        initials=cells.get("initials", ""),
        first_name=cells.get("first_name", ""),
        tussenvoegsel=cells.get("tussenvoegsel", ""),
        achternaam=achternaam,
        email=email,
        phone=cells.get("phone", ""),
        street=street,
        postcode=postcode,
        city=cells.get("city", ""),
        relation=relation or DEFAULT_RELATION,
        has_gezag=bool(has_gezag),
        address_shielded=shielded,
        receives_mail=receives_mail,
        provided=provided,
    )


class _ParentLabel:
    """ "Parent 1", translated only when a message needs it (most rows have none)."""

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def __str__(self) -> str:
        return _("Parent %(slot)s") % {"slot": self.slot}


_PROVIDED_CACHE: dict[frozenset[str], frozenset[str]] = {}


def _provided_fields(columns: frozenset[str]) -> frozenset[str]:
    provided = _PROVIDED_CACHE.get(columns)
    if provided is None:
        names = {name for name in columns if name in GUARDIAN_FIELDS}
        if {"house_number", "house_number_suffix"} & columns:
            names.add("street")
        provided = _PROVIDED_CACHE.setdefault(columns, frozenset(names))
    return provided


FIELD_TITLES = {
    "initials": "voorletters",
    "first_name": "voornaam",
    "tussenvoegsel": "tussenvoegsel",
    "achternaam": "achternaam",
    "email": "e-mail",
    "phone": "telefoon",
    "street": "straat en huisnummer",
    "postcode": "postcode",
    "city": "plaats",
    "external_id": "ouder id",
}


def _pupil_row(
    line: int, values: list[str], header: _Header, width: int, today: date
) -> tuple[PupilRow | None, list[str], str]:
    messages: list[str] = []
    cols = header.columns
    if len(values) > width and any(v.strip() for v in values[width:]):
        messages.append(
            _("This line has %(count)s fields but the header has %(width)s; check the separators.")
            % {"count": len(values), "width": width}
        )
    admin_number = _cell(values, cols.get("admin_number"))
    if not admin_number:
        messages.append(_("The pupil administration number (leerlingnummer) is missing."))
    voornamen = _cell(values, cols.get("voornamen"))
    roepnaam = _cell(values, cols.get("roepnaam")) or (voornamen.split()[0] if voornamen else "")
    if not roepnaam:
        messages.append(_("The first name (roepnaam) is missing."))
    achternaam = _cell(values, cols.get("achternaam"))
    if not achternaam:
        messages.append(_("The surname (achternaam) is missing."))
    tussenvoegsel = _cell(values, cols.get("tussenvoegsel"))
    group = _cell(values, cols.get("group"))
    if not group:
        messages.append(_("The group (groep) is missing."))
    for name, value in (
        ("admin_number", admin_number),
        ("roepnaam", roepnaam),
        ("voornamen", voornamen),
        ("tussenvoegsel", tussenvoegsel),
        ("achternaam", achternaam),
        ("group", group),
    ):
        _check_length(messages, COLUMN_TITLES[name], value, PUPIL_MAX_LENGTHS[name])
    birth_text = _cell(values, cols.get("date_of_birth"))
    date_of_birth: date | None = None
    if not birth_text:
        messages.append(_("The date of birth (geboortedatum) is missing."))
    else:
        date_of_birth = _read_date(messages, "date_of_birth", birth_text)
        if date_of_birth is not None and date_of_birth > today:
            messages.append(_("The date of birth lies in the future."))
            date_of_birth = None
        elif date_of_birth is not None and today.year - date_of_birth.year > MAX_PUPIL_AGE_YEARS:
            messages.append(
                _("The date of birth %(value)s is more than %(years)s years ago; check the date.")
                % {"value": birth_text, "years": MAX_PUPIL_AGE_YEARS}
            )
            date_of_birth = None
    enrolled_text = _cell(values, cols.get("enrolled_on"))
    enrolled_on = _read_date(messages, "enrolled_on", enrolled_text) if enrolled_text else None
    if enrolled_on is not None and date_of_birth is not None and enrolled_on < date_of_birth:
        messages.append(_("The enrolment date lies before the date of birth."))
    parents: list[ParentRow] = []
    for slot, slot_columns in sorted(header.parent_columns.items()):
        parent = _parent(slot, slot_columns, values, admin_number, messages)
        if parent is not None:
            parents.append(parent)
    keys = [p.key for p in parents]
    if len(set(keys)) != len(keys):
        messages.append(
            _(
                "Two parents on this line cannot be told apart (same name and address); add the "
                "parents' id column from the pupil administration."
            )
        )
    if messages or date_of_birth is None:
        return None, messages, admin_number
    return (
        PupilRow(
            line=line,
            admin_number=admin_number,
            roepnaam=roepnaam,
            voornamen=voornamen,
            tussenvoegsel=tussenvoegsel,
            achternaam=achternaam,
            date_of_birth=date_of_birth,
            group=group,
            enrolled_on=enrolled_on,
            parents=tuple(parents),
        ),
        messages,
        admin_number,
    )


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """(first physical line number, fields) per record; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    previous = 0
    for values in reader:
        start = previous + 1
        previous = reader.line_num
        if not any(v.strip() for v in values):
            continue
        yield start, values


def _bsn_columns(headers: list[str], rows: list[list[str]], candidates: list[int]) -> list[str]:
    found = []
    for index in candidates:
        values = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
        if len(values) >= BSN_VALUES_THRESHOLD and all(is_valid_bsn(v) for v in values):
            found.append(headers[index].strip() or str(index + 1))
    return found


def content_problem(data: bytes) -> str | None:
    """Why these bytes are not a pupil export in CSV at all; None when they look like one.

    A cheap check at upload time (text, a separator, a header naming the pupil number); everything
    else is reported per row by `parse`.
    """
    try:
        text, _encoding = decode(data)
    except ValueError as exc:
        return str(exc)
    explicit = SEP_LINE.match(text)
    if explicit:
        text = text[explicit.end() :]
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        return _("The file is empty.")
    delimiter = explicit[1] if explicit else sniff_delimiter(first)
    if delimiter is None:
        return _("No separator found in the first line: the file must be separated by semicolons or commas.")
    headers = next(csv.reader([first], delimiter=delimiter, quotechar='"'), [])
    if not any(PUPIL_ALIAS_TABLE.get(normalise_header(h)) == "admin_number" for h in headers):
        return _(
            "The first line must hold the column names, including the pupil administration number "
            "(leerlingnummer). See the column list on this page."
        )
    return None


def parse(data: bytes, *, today: date) -> ParsedFile:
    """Read an export into checked rows. Nothing here touches the database."""
    result = ParsedFile()
    try:
        text, result.encoding = decode(data)
    except ValueError as exc:
        result.file_errors.append(str(exc))
        return result
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        result.file_errors.append(_("The file is empty."))
        return result
    offset = 0
    delimiter: str | None
    explicit = SEP_LINE.match(text)
    if explicit:
        # Excel writes "sep=;" above the header when asked to.
        delimiter = explicit[1]
        offset = len(re.findall(r"\r\n|\r|\n", explicit[0]))
        text = text[explicit.end() :]
    else:
        delimiter = sniff_delimiter(lines[first])
    if delimiter is None:
        result.file_errors.append(
            _("No separator found in the first line: the file must be separated by semicolons or commas.")
        )
        return result
    result.delimiter = delimiter
    records = [(line + offset, values) for line, values in _records(text, delimiter)]
    if not records:
        result.file_errors.append(_("The file is empty."))
        return result
    _line, headers = records[0]
    header = map_header(headers)
    result.columns = {name: headers[index].strip() for name, index in header.columns.items()}
    result.parent_columns = {
        slot: {name: headers[index].strip() for name, index in cols.items()}
        for slot, cols in header.parent_columns.items()
    }
    result.ignored_columns = [headers[i].strip() for i in header.ignored if headers[i].strip()]
    data_records = records[1:]
    result.data_lines = len(data_records)
    bsn = _bsn_columns(headers, [v for _l, v in data_records], header.ignored + list(header.columns.values()))
    for name in bsn:
        result.file_errors.append(
            _(
                'The column "%(header)s" holds what look like citizen service numbers (BSN). LEV does not '
                "store BSNs: remove this column from the export and upload the file again."
            )
            % {"header": name}
        )
    result.file_errors.extend(header.errors)
    if result.file_errors:
        return result
    if not data_records:
        result.file_errors.append(_("The file has a header but no pupils."))
        return result
    seen: dict[str, int] = {}
    for line, values in data_records:
        row, messages, admin_number = _pupil_row(line, values, header, len(headers), today)
        if admin_number:
            if admin_number in seen:
                messages.append(
                    _("The pupil administration number %(number)s also appears on line %(line)s.")
                    % {"number": admin_number, "line": seen[admin_number]}
                )
                row = None
            else:
                seen[admin_number] = line
        if messages:
            result.errors.append(RowError(line=line, admin_number=admin_number, messages=messages))
        elif row is not None:
            result.rows.append(row)
    return result
