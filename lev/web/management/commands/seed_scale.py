"""`manage.py seed_scale --preset tiny|small|full`: board-scale data for the benchmarks.

The data goes into a board of its own (slug `scale-<preset>` unless `--board-slug` says otherwise),
so it never mixes with a real or demo board. Everything is inserted with `bulk_create` in batches,
inside one transaction: either the whole board is there, or nothing is.

The presets:

| preset | schools | current pupils per school | school years |
|--------|---------|---------------------------|--------------|
| tiny   | 2       | 20                        | 2            |
| small  | 10      | 300                       | 2            |
| full   | 100     | 300                       | 5            |

Per school and year the same group layout (one group per grade, split into "5a", "5b", ... when a
grade has more than `MAX_GROUP_SIZE` pupils), one teacher per group, and one director, deputy, care
coordinator, staff member and confidential counsellor. The board has a board member, a data
protection officer and a functional administrator. Pupils have one or two parents (one in five has
one), are placed in a group for every seeded year they were at school, and the pupils who left at
the end of an earlier seeded year are there too (their leaving confirmed). Current pupil `n` of a
school is in grade `n % 8 + 1`.

Accounts get an unusable password: nobody can sign in to them. The benchmark signs its clients in
directly. Two-factor devices are created for all but one in ten teachers, with random keys.

Every run gives the same data for the same board slug and school year (seeded random generators,
one per step, so a step added later does not change what the earlier steps make). Running the
command again for a board that already holds the preset changes nothing; any other existing board
with that slug is refused.

Later issues extend the data set with their own step: a function `seed_<kind>(scale) -> counts`
appended to `STEPS`, using the `Scale` it receives (schools, years, groups, users, pupils).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.accounts.models import User
from lev.audit.models import AccessLogEntry, AccessOutcome, AuditEvent
from lev.audit.services import record
from lev.monitoring.counts import rebuild as counts_rebuild
from lev.schools.models import (
    Board,
    Enrolment,
    GroupPlacement,
    Guardian,
    GuardianRelation,
    Membership,
    Pupil,
    PupilGuardian,
    Role,
    School,
    SchoolGroup,
    SchoolYear,
    SocialMapEntry,
    SocialMapKind,
)
from lev.web.scale_escalation import seed_escalation_episodes
from lev.web.scale_incidents import seed_incident_processes, seed_incidents
from lev.web.scale_meldcode import seed_meldcode_cases

BATCH_SIZE = 2000
MARKER_ACTION = "scale_data_seeded"
MAX_GROUP_SIZE = 28
GRADES = tuple(range(1, 9))
EMAIL_DOMAIN = "lev-scale.example"
PARENT_EMAIL_DOMAIN = "ouders.example"

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Preset:
    name: str
    schools: int
    pupils_per_school: int
    years: int
    social_map_per_school: int = 5
    access_log_days: int = 14
    reads_per_school_per_day: int = 10


PRESETS: dict[str, Preset] = {
    "tiny": Preset("tiny", schools=2, pupils_per_school=20, years=2, reads_per_school_per_day=2),
    "small": Preset("small", schools=10, pupils_per_school=300, years=2),
    "full": Preset("full", schools=100, pupils_per_school=300, years=5),
}


class ScaleRefused(Exception):
    """The data set was not created; nothing was written."""


@dataclass
class PupilPlan:
    """One pupil of one school and where the pupil was in each seeded year.

    `grade_now` is the grade the pupil is in this school year, or would be in if still at school
    (a pupil who left after grade 8 two years ago has grade_now 10).
    """

    pupil: Pupil
    number: int
    grade_now: int
    letter_index: int
    provisional_leaver: bool = False

    @property
    def current(self) -> bool:
        return self.grade_now <= GRADES[-1]


@dataclass
class Scale:
    """What the steps share. `years` runs from the oldest to the current school year."""

    preset: Preset
    board: Board
    today: dt.date
    now: dt.datetime
    years: list[SchoolYear] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    # grade -> group names at every school (the same layout every year)
    layout: dict[int, list[str]] = field(default_factory=dict)
    groups: dict[tuple[int, int, str], SchoolGroup] = field(default_factory=dict)  # school, year, name
    teachers: dict[tuple[int, str], User] = field(default_factory=dict)  # school, group name
    school_staff: dict[tuple[int, str], User] = field(default_factory=dict)  # school, role
    board_users: dict[str, User] = field(default_factory=dict)  # role -> user
    pupils: dict[int, list[PupilPlan]] = field(default_factory=dict)  # school -> plans

    @property
    def current_year(self) -> SchoolYear:
        return self.years[-1]

    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.board.slug}:{step}")  # noqa: S311 - made-up data, not secrets

    def year_offset(self, year: SchoolYear) -> int:
        """0 for the current school year, 1 for the one before, ..."""
        return self.current_year.starts_on.year - year.starts_on.year

    def group_name(self, grade: int, letter_index: int) -> str:
        names = self.layout[grade]
        return names[letter_index % len(names)]


@dataclass(frozen=True)
class SeedResult:
    created: bool
    preset: str
    board_slug: str
    counts: dict[str, int]
    seconds: float


# --- Names: fictional, from common Dutch names --------------------------------------------------

GIRLS = (
    "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Eva", "Liv", "Lotte",
    "Noor", "Saar", "Lieke", "Fenna", "Anna", "Isa", "Evi", "Jasmijn", "Fleur", "Lina", "Maud", "Roos",
    "Esmee", "Hanna", "Sanne", "Femke", "Amira", "Fatima", "Ilse", "Merel", "Vera", "Nina", "Elif",
)  # fmt: skip
BOYS = (
    "Noah", "Luca", "Sem", "Liam", "Lucas", "Daan", "Finn", "Levi", "Milan", "Bram", "Jesse", "Thijs",
    "Mees", "Sam", "Ruben", "Teun", "Lars", "Stijn", "Gijs", "Jens", "Tim", "Thomas", "Adam", "Mohamed",
    "Youssef", "Ayoub", "Daniël", "Jayden", "Olivier", "Hugo", "Floris", "Siem", "Otis", "Jurre", "Niek",
)  # fmt: skip
SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"), ("", "Janssen"),
    ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"),
    ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"),
    ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"), ("de", "Jong"), ("", "Schouten"),
    ("", "Yılmaz"), ("", "Kaya"), ("", "El Amrani"), ("", "Nguyen"), ("", "Çelik"), ("", "Pinas"),
)  # fmt: skip
STREETS = (
    "Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Lindelaan", "Beukenlaan", "Julianastraat",
    "Wilhelminastraat", "Prinses Irenestraat", "Havenkade", "Parklaan", "Rozengracht", "Vinkenweg",
    "Merelstraat", "Zonnebloemlaan", "Kastanjelaan", "Burgemeester de Witstraat", "Oranjeplein",
)  # fmt: skip
CITIES = (
    ("Boskoop", "2771"), ("Waddinxveen", "2741"), ("Alphen aan den Rijn", "2401"), ("Gouda", "2801"),
    ("Bodegraven", "2411"), ("Reeuwijk", "2811"), ("Zoetermeer", "2711"), ("Nieuwkoop", "2421"),
)  # fmt: skip
SCHOOL_NAMES = (
    "De Regenboog", "De Klimop", "Het Palet", "De Wegwijzer", "De Zonnewijzer", "Het Kompas",
    "De Vlinder", "De Fontein", "Het Baken", "De Springplank", "De Kameleon", "De Ontdekking",
    "Het Anker", "De Boomgaard", "De Sterrenkijker", "Het Mozaïek", "De Windroos", "De Horizon",
)  # fmt: skip
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SCHOOL_ROLES = (
    (Role.DIRECTOR, "directeur"),
    (Role.DEPUTY_DIRECTOR, "adjunct"),
    (Role.CARE_COORDINATOR, "ib"),
    (Role.STAFF, "medewerker"),
    (Role.CONFIDANT, "vertrouwenspersoon"),
)
BOARD_ROLES = (
    (Role.BOARD, "bestuur"),
    (Role.PRIVACY_OFFICER, "fg"),
    (Role.FUNCTIONAL_ADMIN, "beheerder"),
)
SOCIAL_MAP = (
    (SocialMapKind.GGD, "GGD Hollands Midden", "0172-000001"),
    (SocialMapKind.CJG, "Centrum voor Jeugd en Gezin", "0172-000002"),
    (SocialMapKind.NEIGHBOURHOOD_TEAM, "Sociaal team", "0172-000003"),
    (SocialMapKind.VEILIG_THUIS, "Veilig Thuis", "0800-2000"),
    (SocialMapKind.POLICE, "Politie, wijkagent", "0900-8844"),
    (SocialMapKind.ATTENDANCE, "Bureau leerplicht", "0172-000004"),
    (SocialMapKind.PARTNERSHIP, "Samenwerkingsverband passend onderwijs", "0172-000005"),
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _name(rng: random.Random, girl: bool) -> str:
    return rng.choice(GIRLS if girl else BOYS)


def _insert(model: type[M], rows: Sequence[M]) -> list[M]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def school_year_start(day: dt.date) -> dt.date:
    """The 1 August on or before `day`: the start of the school year `day` falls in."""
    return dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def _free_brins(count: int, taken: set[str]) -> list[str]:
    """`count` BRIN-shaped codes ("99ZZ", "98ZZ", ...) not used by any school yet."""
    found: list[str] = []
    for first in reversed(LETTERS.upper()):
        for second in reversed(LETTERS.upper()):
            for number in range(99, -1, -1):
                code = f"{number:02d}{first}{second}"
                if code not in taken:
                    found.append(code)
                    if len(found) == count:
                        return found
    raise ScaleRefused("No free BRIN codes left for the scale schools.")


# --- The steps -------------------------------------------------------------------------------------


def seed_school_years(scale: Scale) -> dict[str, int]:
    start = school_year_start(scale.today)
    years = [
        SchoolYear(
            board=scale.board,
            name=f"{start.year - back}-{start.year - back + 1}",
            starts_on=dt.date(start.year - back, 8, 1),
            ends_on=dt.date(start.year - back + 1, 7, 31),
        )
        for back in range(scale.preset.years - 1, -1, -1)
    ]
    scale.years = _insert(SchoolYear, years)
    return {"school_years": len(years)}


def seed_schools(scale: Scale) -> dict[str, int]:
    rng = scale.rng("schools")
    brins = _free_brins(scale.preset.schools, set(School.objects.values_list("brin", flat=True)))
    schools = []
    for index in range(scale.preset.schools):
        city, postcode = CITIES[index % len(CITIES)]
        name = f"{SCHOOL_NAMES[index % len(SCHOOL_NAMES)]} {city}"
        if index >= len(SCHOOL_NAMES):
            name = f"{name} {index // len(SCHOOL_NAMES) + 1}"
        schools.append(
            School(
                board=scale.board,
                name=name,
                brin=brins[index],
                street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                postcode=f"{postcode} {rng.choice(LETTERS).upper()}{rng.choice(LETTERS).upper()}",
                city=city,
                phone=f"0172-{rng.randint(100000, 999999)}",
                email=f"info.{scale.board.slug}.{index + 1}@{EMAIL_DOMAIN}",
                partnership="Samenwerkingsverband passend onderwijs",
                attendance_office="Bureau leerplicht",
            )
        )
    scale.schools = _insert(School, schools)
    pupils = scale.preset.pupils_per_school
    for grade in GRADES:
        in_grade = len(range(grade - 1, pupils, len(GRADES)))
        count = max(1, math.ceil(in_grade / MAX_GROUP_SIZE))
        scale.layout[grade] = [str(grade)] if count == 1 else [f"{grade}{LETTERS[i]}" for i in range(count)]
    return {"schools": len(schools)}


def _user(username: str, rng: random.Random) -> User:
    girl = rng.random() < 0.75  # most primary-school staff are women
    tussenvoegsel, surname = rng.choice(SURNAMES)
    return User(
        username=username,
        email=f"{username}@{EMAIL_DOMAIN}",
        first_name=_name(rng, girl),
        last_name=f"{tussenvoegsel} {surname}".strip(),
        password=make_password(None),  # unusable: nobody signs in to scale accounts
        is_active=True,
    )


def seed_users(scale: Scale) -> dict[str, int]:
    """Users, memberships and two-factor devices."""
    rng = scale.rng("users")
    slug = scale.board.slug
    users: list[User] = []
    roles: list[tuple[School | None, str]] = []
    keys: list[tuple[str, Any]] = []
    for role, prefix in BOARD_ROLES:
        users.append(_user(f"{slug}-{prefix}", rng))
        roles.append((None, role))
        keys.append(("board", role))
    for index, school in enumerate(scale.schools, start=1):
        for role, prefix in SCHOOL_ROLES:
            users.append(_user(f"{slug}-s{index:03d}-{prefix}", rng))
            roles.append((school, role))
            keys.append(("staff", (school.pk, role)))
        for grade in GRADES:
            for group_name in scale.layout[grade]:
                users.append(_user(f"{slug}-s{index:03d}-leerkracht-{group_name}", rng))
                roles.append((school, Role.TEACHER))
                keys.append(("teacher", (school.pk, group_name)))
    users = _insert(User, users)
    active_from = scale.years[0].starts_on
    memberships = [
        Membership(user=user, board=scale.board, school=school, role=role, active_from=active_from)
        for user, (school, role) in zip(users, roles, strict=True)
    ]
    _insert(Membership, memberships)
    devices = []
    teacher_number = 0
    for user, (kind, key) in zip(users, keys, strict=True):
        if kind == "board":
            scale.board_users[key] = user
        elif kind == "staff":
            scale.school_staff[key] = user
        else:
            scale.teachers[key] = user
            teacher_number += 1
            if teacher_number % 10 == 0:
                continue  # one in ten teachers has not set up two-factor sign-in yet
        devices.append(TOTPDevice(user=user, name="LEV", confirmed=True))
    _insert(TOTPDevice, devices)
    return {"users": len(users), "memberships": len(memberships), "totp_devices": len(devices)}


def seed_groups(scale: Scale) -> dict[str, int]:
    """The same layout at every school in every year; each group's teacher teaches it every year."""
    groups = [
        SchoolGroup(board=scale.board, school=school, school_year=year, name=name, grades=[grade])
        for school in scale.schools
        for year in scale.years
        for grade in GRADES
        for name in scale.layout[grade]
    ]
    groups = _insert(SchoolGroup, groups)
    through = SchoolGroup.teachers.through
    links = []
    for group in groups:
        scale.groups[(group.school_id, group.school_year_id, group.name)] = group
        teacher = scale.teachers[(group.school_id, group.name)]
        links.append(through(schoolgroup_id=group.pk, user_id=teacher.pk))
    _insert(through, links)
    return {"groups": len(groups), "group_teachers": len(links)}


def _pupil(scale: Scale, school: School, rng: random.Random, number: int, grade_now: int) -> Pupil:
    girl = rng.random() < 0.5
    roepnaam = _name(rng, girl)
    second = _name(rng, girl)
    tussenvoegsel, surname = rng.choice(SURNAMES)
    # Grade 1 in the school year starting 1 August Y: born between 1 August Y-5 and 31 July Y-4.
    first_year = scale.current_year.starts_on.year - (grade_now - 1)
    born_from = dt.date(first_year - 5, 8, 1)
    born = born_from + dt.timedelta(days=rng.randrange(365))
    return Pupil(
        board=scale.board,
        school=school,
        admin_number=str(100000 + number),
        roepnaam=roepnaam,
        voornamen=f"{roepnaam} {second}" if second != roepnaam else roepnaam,
        tussenvoegsel=tussenvoegsel,
        achternaam=surname,
        date_of_birth=born,
    )


def _enrolment(scale: Scale, plan: PupilPlan) -> Enrolment:
    start_year = scale.current_year.starts_on.year
    enrolled_on = dt.date(start_year - (plan.grade_now - 1), 8, 1)
    left_on: dt.date | None = None
    confirmed = False
    if not plan.current:
        # Left after grade 8: the end of the school year `grade_now - 8` years ago.
        left_on = dt.date(start_year - (plan.grade_now - 8) + 1, 7, 31)
        confirmed = True
    elif plan.provisional_leaver:
        # Reported as left by an import a few days ago, not yet confirmed.
        left_on = max(scale.today - dt.timedelta(days=3), enrolled_on)
    pupil = plan.pupil
    return Enrolment(
        board=scale.board,
        school_id=pupil.school_id,
        pupil=pupil,
        enrolled_on=enrolled_on,
        left_on=left_on,
        left_confirmed=confirmed,
    )


def seed_pupils(scale: Scale) -> dict[str, int]:
    """Current and former pupils, their enrolments and a group placement for every seeded year."""
    rng = scale.rng("pupils")
    per_school = scale.preset.pupils_per_school
    cohort = per_school // len(GRADES)
    plans: list[PupilPlan] = []
    for school in scale.schools:
        school_plans = []
        for number in range(per_school):
            grade = number % len(GRADES) + 1
            school_plans.append(
                PupilPlan(
                    pupil=_pupil(scale, school, rng, number, grade),
                    number=number,
                    grade_now=grade,
                    letter_index=number // len(GRADES),
                    provisional_leaver=number % 97 == 50,
                )
            )
        number = per_school
        for years_ago in range(1, scale.preset.years):
            for index in range(cohort):
                grade_now = GRADES[-1] + years_ago
                school_plans.append(
                    PupilPlan(
                        pupil=_pupil(scale, school, rng, number, grade_now),
                        number=number,
                        grade_now=grade_now,
                        letter_index=index,
                    )
                )
                number += 1
        scale.pupils[school.pk] = school_plans
        plans.extend(school_plans)
    _insert(Pupil, [p.pupil for p in plans])
    enrolments = _insert(Enrolment, [_enrolment(scale, p) for p in plans])
    placements = []
    for plan in plans:
        pupil = plan.pupil
        for year in scale.years:
            offset = scale.year_offset(year)
            grade = plan.grade_now - offset
            if grade < GRADES[0] or grade > GRADES[-1]:
                continue
            name = scale.group_name(grade, plan.letter_index)
            placements.append(
                GroupPlacement(
                    board=scale.board,
                    school_id=pupil.school_id,
                    pupil=pupil,
                    group=scale.groups[(pupil.school_id, year.pk, name)],
                    starts_on=year.starts_on,
                    ends_on=None if offset == 0 else year.ends_on,
                )
            )
    _insert(GroupPlacement, placements)
    return {"pupils": len(plans), "enrolments": len(enrolments), "placements": len(placements)}


def _parent(
    scale: Scale,
    school: School,
    rng: random.Random,
    plan: PupilPlan,
    slot: int,
    family: tuple[str, str],
    address: tuple[str, str, str],
) -> Guardian:
    mother = slot == 1
    first = _name(rng, mother)
    tussenvoegsel, surname = family if slot == 1 or rng.random() < 0.8 else rng.choice(SURNAMES)
    street, postcode, city = address
    return Guardian(
        board=scale.board,
        school=school,
        external_key=f"id:{plan.pupil.admin_number}-{slot}",
        initials=f"{first[0]}.",
        first_name=first,
        tussenvoegsel=tussenvoegsel,
        achternaam=surname,
        email=f"{_ascii(first).lower()}.{plan.pupil.admin_number}.{slot}@{PARENT_EMAIL_DOMAIN}",
        phone=f"06-{rng.randint(10000000, 99999999)}",
        street=street,
        postcode=postcode,
        city=city,
        address_shielded=plan.number % 50 == 3,
    )


def _address(rng: random.Random, school: School) -> tuple[str, str, str]:
    code = school.postcode[:4] or "2771"
    return (
        f"{rng.choice(STREETS)} {rng.randint(1, 240)}",
        f"{code} {rng.choice(LETTERS).upper()}{rng.choice(LETTERS).upper()}",
        school.city,
    )


def seed_guardians(scale: Scale) -> dict[str, int]:
    """One parent for one pupil in five, two for the others; gezag recorded per child.

    The second parent lacks gezag for pupil numbers 7, 27, 47, ...; lives elsewhere for 3, 10, 17, ...;
    parents of pupil numbers 3, 53, 103, ... have a shielded address.
    """
    rng = scale.rng("guardians")
    guardians: list[Guardian] = []
    links: list[tuple[PupilPlan, int]] = []
    for school in scale.schools:
        for plan in scale.pupils[school.pk]:
            family = (plan.pupil.tussenvoegsel, plan.pupil.achternaam)
            home = _address(rng, school)
            slots = 1 if plan.number % 5 == 0 else 2
            for slot in range(1, slots + 1):
                address = _address(rng, school) if slot == 2 and plan.number % 7 == 3 else home
                guardians.append(_parent(scale, school, rng, plan, slot, family, address))
                links.append((plan, slot))
    guardians = _insert(Guardian, guardians)
    pupil_guardians = []
    for guardian, (plan, slot) in zip(guardians, links, strict=True):
        if plan.number % 10 == 4:
            relation = GuardianRelation.PARENT
        else:
            relation = GuardianRelation.MOTHER if slot == 1 else GuardianRelation.FATHER
        pupil_guardians.append(
            PupilGuardian(
                board=scale.board,
                school_id=guardian.school_id,
                pupil=plan.pupil,
                guardian=guardian,
                relation=relation,
                has_gezag=not (slot == 2 and plan.number % 20 == 7),
                receives_mail=True,
            )
        )
    _insert(PupilGuardian, pupil_guardians)
    return {"guardians": len(guardians), "pupil_guardians": len(pupil_guardians)}


def seed_social_map(scale: Scale) -> dict[str, int]:
    entries = []
    for index, school in enumerate(scale.schools, start=1):
        for kind, organisation, phone in SOCIAL_MAP[: scale.preset.social_map_per_school]:
            entries.append(
                SocialMapEntry(
                    board=scale.board,
                    school=school,
                    kind=kind,
                    organisation=organisation,
                    phone=phone,
                    email=f"{kind}.{index}@partners.example",
                )
            )
    _insert(SocialMapEntry, entries)
    return {"social_map_entries": len(entries)}


def seed_access_log(scale: Scale) -> dict[str, int]:
    """Reads of pupils' files over the last days by the school's care coordinator and director."""
    rng = scale.rng("access_log")
    entries = []
    readers = (Role.CARE_COORDINATOR, Role.DIRECTOR)
    for school in scale.schools:
        current = [p.pupil for p in scale.pupils[school.pk] if p.current]
        for day in range(1, scale.preset.access_log_days + 1):
            for read in range(scale.preset.reads_per_school_per_day):
                role = readers[read % len(readers)]
                pupil = rng.choice(current)
                entries.append(
                    AccessLogEntry(
                        user=scale.school_staff[(school.pk, role)],
                        role=role,
                        board=scale.board,
                        school=school,
                        object_type="schools.pupil",
                        object_id=str(pupil.pk),
                        pupil_id=pupil.pk,
                        outcome=AccessOutcome.GRANTED,
                        at=scale.now - dt.timedelta(days=day, seconds=rng.randrange(8 * 3600)),
                    )
                )
    _insert(AccessLogEntry, entries)
    return {"access_log_entries": len(entries)}


Step = Callable[[Scale], dict[str, int]]
# In order: each step may use what the steps before it made.
STEPS: list[tuple[str, Step]] = [
    ("school_years", seed_school_years),
    ("schools", seed_schools),
    ("users", seed_users),
    ("groups", seed_groups),
    ("pupils", seed_pupils),
    ("guardians", seed_guardians),
    ("social_map", seed_social_map),
    ("access_log", seed_access_log),
    ("incidents", seed_incidents),
    ("incident_processes", seed_incident_processes),
    ("escalation", seed_escalation_episodes),
    ("meldcode", seed_meldcode_cases),
]


# --- The service -----------------------------------------------------------------------------------


def _marker(board: Board) -> AuditEvent | None:
    return AuditEvent.objects.filter(board=board, action=MARKER_ACTION).order_by("sequence").first()


def scale_boards() -> Iterable[int]:
    """Ids of the boards made by this command."""
    return AuditEvent.objects.filter(action=MARKER_ACTION, board__isnull=False).values_list(
        "board_id", flat=True
    )


def scale_data_seed(
    *,
    preset: Preset,
    board_slug: str,
    actor: Any | None,
    now: dt.datetime,
    allow_other_boards: bool = False,
) -> SeedResult:
    """Create the scale board for `preset`, or find it already there; refuse anything else."""
    started = time.perf_counter()
    with transaction.atomic():
        board = Board.objects.select_for_update().filter(slug=board_slug).first()
        if board is not None:
            marker = _marker(board)
            if marker is None:
                raise ScaleRefused(
                    f"Board {board_slug!r} already exists and was not made by seed_scale. "
                    "Choose another --board-slug."
                )
            held = marker.summary.get("preset")
            if held != preset.name:
                raise ScaleRefused(
                    f"Board {board_slug!r} already holds the {held!r} preset, not {preset.name!r}. "
                    "Choose another --board-slug."
                )
            held_counts = {k: v for k, v in marker.summary.items() if isinstance(v, int)}
            return SeedResult(False, preset.name, board_slug, held_counts, time.perf_counter() - started)
        others = Board.objects.exclude(pk__in=list(scale_boards()))
        if not allow_other_boards and others.exists():
            raise ScaleRefused(
                "This database holds other boards than scale data. Seed scale data into a database "
                "of its own (the benchmarks use one), or pass --allow-other-boards to add it anyway."
            )
        board = Board.objects.create(name=f"Stichting Schaaltest ({preset.name})", slug=board_slug)
        scale = Scale(preset=preset, board=board, today=timezone.localdate(now), now=now)
        counts: Counter[str] = Counter()
        for _step_name, step in STEPS:
            counts.update(step(scale))
        counts_rebuild(board=board)  # the bulk inserts bypass the services that keep the counts
        summary: dict[str, Any] = {"preset": preset.name, **dict(counts)}
        record(MARKER_ACTION, actor=actor, board=board, obj=board, summary=summary, now=now)
    return SeedResult(True, preset.name, board_slug, dict(counts), time.perf_counter() - started)


class Command(BaseCommand):
    help = (
        "Create board-scale data for the benchmarks in a board of its own: tiny (2 schools of 20 "
        "pupils), small (10 schools of 300 pupils, 2 school years) or full (100 schools, 30,000 pupils, "
        "5 school years). Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--board-slug", default="", help="Default: scale-<preset>.")
        parser.add_argument(
            "--allow-other-boards",
            action="store_true",
            help="Also seed when the database holds real or demo boards.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        preset = PRESETS[options["preset"]]
        slug = options["board_slug"] or f"scale-{preset.name}"
        try:
            result = scale_data_seed(
                preset=preset,
                board_slug=slug,
                actor=None,
                now=timezone.now(),
                allow_other_boards=options["allow_other_boards"],
            )
        except ScaleRefused as refused:
            raise CommandError(str(refused)) from None
        counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in result.counts.items())
        if result.created:
            self.stdout.write(
                f"Board {slug!r} seeded with the {preset.name} preset in {result.seconds:.1f} s: {counts}."
            )
        else:
            self.stdout.write(f"Board {slug!r} already holds the {preset.name} preset; nothing changed.")
