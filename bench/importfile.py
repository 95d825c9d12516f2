"""A generated pupil-administration export for the import benchmark.

The canonical columns of LEV's import (see `lev/schools/importing/domain.py`): semicolon-separated,
UTF-8, dates as d-m-Y, one pupil per line with up to two parents in `ouder1_*` / `ouder2_*`
columns. Group names carry letters only after the grade ("5ab"), so the grade read from the name is
the pupil's grade. Pupil numbers have seven digits and never look like a citizen service number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass

PUPIL_COLUMNS = [
    "leerlingnummer",
    "roepnaam",
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "groep",
]
PARENT_FIELDS = [
    "id",
    "voorletters",
    "voornaam",
    "tussenvoegsel",
    "achternaam",
    "relatie",
    "gezag",
    "email",
    "telefoon",
    "straat",
    "huisnummer",
    "postcode",
    "plaats",
]
HEADER = PUPIL_COLUMNS + [f"ouder{slot}_{name}" for slot in (1, 2) for name in PARENT_FIELDS]
GROUP_SIZE = 28
LETTERS = "abcdefghijklmnopqrstuvwxyz"

GIRLS = ("Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Anna", "Isa", "Evi", "Fleur")
BOYS = ("Noah", "Luca", "Sem", "Liam", "Daan", "Finn", "Levi", "Milan", "Bram", "Jesse", "Daniël", "Youssef")
SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"),
    ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"),
    ("van der", "Meer"), ("", "Yılmaz"), ("", "Çelik"), ("", "El Amrani"), ("", "Nguyen"), ("de", "Jong"),
)  # fmt: skip
STREETS = ("Dorpsstraat", "Kerkstraat", "Molenweg", "Lindelaan", "Julianastraat", "Havenkade", "Vinkenweg")


@dataclass(frozen=True)
class ImportRow:
    admin_number: str
    roepnaam: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    date_of_birth: dt.date
    group: str
    parents: tuple[tuple[str, ...], ...]  # per parent: the PARENT_FIELDS values


def group_names(grade: int, pupils_in_grade: int) -> list[str]:
    count = max(1, -(-pupils_in_grade // GROUP_SIZE))
    return [f"{grade}{LETTERS[i // 26]}{LETTERS[i % 26]}" for i in range(count)]


def import_rows(count: int, *, today: dt.date, seed: str = "import") -> list[ImportRow]:
    """`count` pupils in grades 1-8 with one (one in five) or two parents; deterministic per seed."""
    rng = random.Random(seed)
    year_start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    per_grade = {grade: len(range(grade - 1, count, 8)) for grade in range(1, 9)}
    names = {grade: group_names(grade, per_grade[grade]) for grade in range(1, 9)}
    rows = []
    for number in range(count):
        grade = number % 8 + 1
        index_in_grade = number // 8
        groups = names[grade]
        group = groups[index_in_grade % len(groups)]
        tussenvoegsel, achternaam = rng.choice(SURNAMES)
        roepnaam = rng.choice(GIRLS if rng.random() < 0.5 else BOYS)
        born = dt.date(year_start.year - grade - 4, 8, 1) + dt.timedelta(days=rng.randrange(365))
        street = rng.choice(STREETS)
        house = str(rng.randint(1, 240))
        postcode = f"{rng.randint(1000, 9999)} {rng.choice(LETTERS).upper()}{rng.choice(LETTERS).upper()}"
        parents = []
        for slot in (1,) if number % 5 == 0 else (1, 2):
            first = rng.choice(GIRLS if slot == 1 else BOYS)
            parents.append(
                (
                    f"{3000000 + number * 2 + slot}",
                    f"{first[0]}.",
                    first,
                    tussenvoegsel,
                    achternaam,
                    "moeder" if slot == 1 else "vader",
                    "nee" if slot == 2 and number % 20 == 7 else "ja",
                    f"ouder{slot}.{2000000 + number}@ouders.example",
                    f"06-{rng.randint(10000000, 99999999)}",
                    street,
                    house,
                    postcode,
                    "Boskoop",
                )
            )
        rows.append(
            ImportRow(
                admin_number=str(2000000 + number),
                roepnaam=roepnaam,
                voornamen=roepnaam,
                tussenvoegsel=tussenvoegsel,
                achternaam=achternaam,
                date_of_birth=born,
                group=group,
                parents=tuple(parents),
            )
        )
    return rows


def import_csv(rows: list[ImportRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    empty = ("",) * len(PARENT_FIELDS)
    for row in rows:
        parents = list(row.parents) + [empty] * (2 - len(row.parents))
        writer.writerow(
            [
                row.admin_number,
                row.roepnaam,
                row.voornamen,
                row.tussenvoegsel,
                row.achternaam,
                row.date_of_birth.strftime("%d-%m-%Y"),
                row.group,
                *parents[0],
                *parents[1],
            ]
        )
    return buffer.getvalue().encode("utf-8")
