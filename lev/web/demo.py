"""The demo data set: one fictional board with six schools in Boskoop and Waddinxveen.

`demo_seed()` builds everything from a seeded random generator, so every run produces the same
schools, groups, pupils, parents and accounts. It only inserts what is missing, found by natural
keys (board slug, BRIN, school year name, group name, pupil administration number, parent key,
username, a deadline's rule and subject), so running it twice changes nothing.

PUBLIC DEMO SECRETS. Every demo account shares one known password, and its two-factor secret and
backup codes are derived from its username with a constant that is published here. Anyone who
reads this file can sign in as a demo user. That is the point of a demo, and the reason why the
system check `lev.E008` refuses demo accounts unless LEV_DEMO is set, and why
`manage.py remove_demo_users` exists.

The names, addresses, schools and BRIN numbers are made up. Only the national phone numbers of
Veilig Thuis (0800-2000) and the police (0900-8844) are real.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from communications.contact_demo import seed_contact_logs
from communications.demo import seed_demo_letters
from crisis.demo import seed_crisis
from escalation.demo import seed_escalation
from incidents.demo import seed_signals
from incidents.demo_flags import seed_assessment
from incidents.demo_incidents import seed_incidents
from incidents.models import IncidentCategory, PupilRole
from lev.accounts.models import User
from lev.audit.services import record
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.deadlines.calendar_services import school_closure_add, school_region_set
from lev.deadlines.models import ClosureKind, Deadline, SchoolCalendar, SchoolClosure, Visibility
from lev.deadlines.services import deadline_open
from lev.dossier.demo import seed_chronology
from lev.monitoring.demo import seed_count_history
from lev.schools.models import (
    Board,
    Denominatie,
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
from meldcode.demo import seed_meldcode
from misconduct.demo import seed_misconduct

BOARD_NAME = "Stichting LEV"
BOARD_SLUG = "stichting-lev"
# One password for every demo account. It passes the password validators (a test checks this).
DEMO_PASSWORD = "Demo-Schoolplein-2741"  # noqa: S105 - public demo password, see above
# The constant the demo two-factor secrets and backup codes are derived from. Public on purpose.
DEMO_SECRET_CONSTANT = b"LEV public demo secret: never use for a real account"
BACKUP_CODES_PER_USER = 10
TOTP_DEVICE_NAME = "LEV"
BACKUP_DEVICE_NAME = "backup"
EMAIL_DOMAIN = "lev-demo.example"

# The five accounts to try first, in this order (demo_logins prints them on top).
STARTER_USERNAMES = (
    "leerkracht.regenboog",
    "ib.regenboog",
    "directeur.regenboog",
    "bestuur",
    "beheerder",
)

BOARD_USERS = (
    ("bestuur", Role.BOARD, "Annelies", "", "Verburg"),
    ("fg", Role.PRIVACY_OFFICER, "Rob", "", "Hagenaars"),
    ("beheerder", Role.FUNCTIONAL_ADMIN, "Ilse", "van", "Kortenhoeven"),
)

# Per school role: the username prefix. Teachers get one account per group (see _teacher_username).
SCHOOL_USER_PREFIXES = (
    (Role.DIRECTOR, "directeur"),
    (Role.DEPUTY_DIRECTOR, "adjunct"),
    (Role.CARE_COORDINATOR, "ib"),
    (Role.STAFF, "medewerker"),
    (Role.CONFIDANT, "vertrouwenspersoon"),
)
LAST_GRADE = 8
# The group whose teacher gets the short username `leerkracht.<school>`.
MAIN_TEACHER_GROUP = "5"

# Group layouts: name and grades. Combination groups where a year is too big for one group.
LAYOUT_45 = (
    ("1/2a", (1, 2)),
    ("1/2b", (1, 2)),
    ("3", (3,)),
    ("4", (4,)),
    ("4/5", (4, 5)),
    ("5", (5,)),
    ("6", (6,)),
    ("7", (7,)),
    ("8", (8,)),
)
LAYOUT_67 = (
    ("1/2a", (1, 2)),
    ("1/2b", (1, 2)),
    ("3", (3,)),
    ("4", (4,)),
    ("5", (5,)),
    ("6", (6,)),
    ("6/7", (6, 7)),
    ("7", (7,)),
    ("8", (8,)),
)
LAYOUT_PLAIN = (
    ("1/2a", (1, 2)),
    ("1/2b", (1, 2)),
    ("3", (3,)),
    ("4", (4,)),
    ("5", (5,)),
    ("6", (6,)),
    ("7", (7,)),
    ("8", (8,)),
)


@dataclass(frozen=True)
class SchoolSpec:
    slug: str
    name: str
    brin: str
    denominatie: str
    street: str
    postcode: str
    city: str
    phone: str
    layout: tuple[tuple[str, tuple[int, ...]], ...]


SCHOOLS = (
    SchoolSpec(
        "regenboog",
        "CBS De Regenboog",
        "99AA",
        Denominatie.BIJZONDER,
        "Stekjesweg 12",
        "2771 KB",
        "Boskoop",
        "0172-000 101",
        LAYOUT_45,
    ),
    SchoolSpec(
        "kwekerij",
        "OBS De Kwekerij",
        "99AB",
        Denominatie.OPENBAAR,
        "Boomgaardlaan 3",
        "2772 AD",
        "Boskoop",
        "0172-000 202",
        LAYOUT_PLAIN,
    ),
    SchoolSpec(
        "baken",
        "CBS Het Baken",
        "99AC",
        Denominatie.BIJZONDER,
        "Magnoliahof 40",
        "2773 ET",
        "Boskoop",
        "0172-000 303",
        LAYOUT_67,
    ),
    SchoolSpec(
        "wegwijzer",
        "CBS De Wegwijzer",
        "99AD",
        Denominatie.BIJZONDER,
        "Gouwezicht 7",
        "2741 RN",
        "Waddinxveen",
        "0182-000 404",
        LAYOUT_45,
    ),
    SchoolSpec(
        "veenhof",
        "OBS Het Veenhof",
        "99AE",
        Denominatie.OPENBAAR,
        "Turfstekerspad 21",
        "2742 GP",
        "Waddinxveen",
        "0182-000 505",
        LAYOUT_PLAIN,
    ),
    SchoolSpec(
        "zonnewijzer",
        "CBS De Zonnewijzer",
        "99AF",
        Denominatie.BIJZONDER,
        "Rietkraagweg 5",
        "2743 AK",
        "Waddinxveen",
        "0182-000 606",
        LAYOUT_67,
    ),
)

STREETS = {
    "Boskoop": (
        "Stekjesweg",
        "Boomgaardlaan",
        "Magnoliahof",
        "Azaleapad",
        "Kwekerslaan",
        "Seringenstraat",
        "Entstraat",
        "Coniferenhof",
        "Hulstpad",
        "Perenlaan",
        "Bloesemkade",
        "Rhododendronweg",
    ),
    "Waddinxveen": (
        "Gouwezicht",
        "Turfstekerspad",
        "Rietkraagweg",
        "Veenweidelaan",
        "Kadezicht",
        "Spoorzichtlaan",
        "Molenwiekstraat",
        "Polderhof",
        "Lisdoddepad",
        "Zwanebloemlaan",
        "Slagenpad",
        "Plassenhof",
    ),
}
POSTCODE_PREFIXES = {"Boskoop": ("2771", "2772", "2773"), "Waddinxveen": ("2741", "2742", "2743")}
POSTCODE_LETTERS = "ABCEGHJKLMNPRTVWXZ"

BOY_NAMES = (
    "Sem",
    "Noah",
    "Liam",
    "Luuk",
    "Daan",
    "Finn",
    "Levi",
    "Bram",
    "Jesse",
    "Thijs",
    "Lucas",
    "Milan",
    "Jens",
    "Ruben",
    "Tijn",
    "Mees",
    "Siem",
    "Teun",
    "Gijs",
    "Julian",
    "Noël",
    "Raphaël",
    "Michaël",
    "Daniël",
    "Boaz",
    "Mohammed",
    "Ayoub",
    "Emre",
    "Yusuf",
    "Ilyas",
    "Adam",
    "Jakub",
    "Stijn",
    "Hidde",
    "Joep",
    "Olivier",
    "Floris",
    "Wessel",
    "Jurre",
    "Ties",
    "Kaj",
    "Mats",
)
GIRL_NAMES = (
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Sophie",
    "Zoë",
    "Sara",
    "Nora",
    "Yara",
    "Eva",
    "Anna",
    "Lotte",
    "Saar",
    "Noor",
    "Fenna",
    "Lieke",
    "Liv",
    "Fleur",
    "Sanne",
    "Isa",
    "Roos",
    "Chloë",
    "Anaïs",
    "Loïs",
    "Joëlle",
    "Daniëlle",
    "Amira",
    "Yasmina",
    "Aylin",
    "Elif",
    "Hiba",
    "Maja",
    "Zuzanna",
    "Femke",
    "Evi",
    "Jasmijn",
    "Lynn",
    "Esmée",
    "Renée",
    "Maëlle",
)
SECOND_NAMES_BOYS = ("Johannes", "Cornelis", "Hendrik", "Willem", "Pieter", "Jacobus", "Adriaan")
SECOND_NAMES_GIRLS = ("Maria", "Elisabeth", "Anna", "Catharina", "Johanna", "Wilhelmina", "Cornelia")
MEN = (
    "Jeroen",
    "Mark",
    "Bas",
    "Martijn",
    "Erik",
    "Sander",
    "Dennis",
    "Jan-Willem",
    "Thomas",
    "Pieter",
    "Joost",
    "Arjen",
    "Niels",
    "Rik",
    "Wouter",
    "Remco",
    "Mehmet",
    "Hassan",
    "Tomasz",
    "René",
    "André",
    "Frank",
    "Michiel",
    "Gert-Jan",
)
WOMEN = (
    "Marieke",
    "Linda",
    "Esther",
    "Anouk",
    "Inge",
    "Ilse",
    "Karin",
    "Mirjam",
    "Annemieke",
    "Judith",
    "Petra",
    "Saskia",
    "Eline",
    "Hanneke",
    "Fatima",
    "Nadia",
    "Ayşe",
    "Agnieszka",
    "Anne-Marie",
    "Mariëlle",
    "Chantal",
    "Wendy",
    "Noëlle",
    "Joyce",
)
SURNAMES = (
    ("de", "Vries"),
    ("van", "Dijk"),
    ("van der", "Berg"),
    ("van den", "Heuvel"),
    ("de", "Jong"),
    ("", "Jansen"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("", "Mulder"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Hoekstra"),
    ("", "Verhoeven"),
    ("van", "Dam"),
    ("van der", "Wal"),
    ("", "Prins"),
    ("", "Blom"),
    ("de", "Boer"),
    ("", "Kuiper"),
    ("", "Hoogendoorn"),
    ("", "Vuijk"),
    ("van der", "Spek"),
    ("", "Groenewegen"),
    ("", "Verkerk"),
    ("van 't", "Hof"),
    ("'t", "Hart"),
    ("ter", "Horst"),
    ("van", "Vliet"),
    ("den", "Hollander"),
    ("", "Çelik"),
    ("", "Yılmaz"),
    ("", "Öztürk"),
    ("", "Şahin"),
    ("", "El Amrani"),
    ("", "Kowalczyk"),
)


def demo_totp_key(username: str) -> bytes:
    """The fixed 20-byte TOTP secret of a demo account (public, see the module docstring)."""
    return hmac.new(DEMO_SECRET_CONSTANT, b"totp:" + username.encode(), hashlib.sha256).digest()[:20]


def demo_backup_codes(username: str) -> list[str]:
    """The fixed backup codes of a demo account (public, see the module docstring)."""
    codes = []
    for index in range(BACKUP_CODES_PER_USER):
        digest = hmac.new(
            DEMO_SECRET_CONSTANT, f"backup:{username}:{index}".encode(), hashlib.sha256
        ).digest()
        codes.append(f"{int.from_bytes(digest[:8], 'big') % 10**8:08d}")
    return codes


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the device's authenticator app shows at `at` (a Unix time; now by default)."""
    moment = time.time() if at is None else at
    counter = int((moment - device.t0) // device.step) + device.drift
    return f"{hotp(device.bin_key, counter, digits=device.digits):0{device.digits}d}"


def school_year_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """1 August – 31 July containing `day`."""
    start_year = day.year if day.month >= 8 else day.year - 1
    return dt.date(start_year, 8, 1), dt.date(start_year + 1, 7, 31)


def _birthday(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return dt.date(born.year + years, 3, 1)


def _group_slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _teacher_username(group_name: str, school_slug: str) -> str:
    if group_name == MAIN_TEACHER_GROUP:
        return f"leerkracht.{school_slug}"
    return f"leerkracht.groep{_group_slug(group_name)}.{school_slug}"


# --- The plan: what the demo data set consists of, built in memory -------------------------------


@dataclass
class PlannedUser:
    username: str
    first_name: str
    tussenvoegsel: str
    last_name: str
    role: str
    school_brin: str | None


@dataclass
class PlannedGuardian:
    key: str
    first_name: str
    tussenvoegsel: str
    achternaam: str
    email: str
    phone: str
    street: str
    postcode: str
    city: str
    shielded: bool = False


@dataclass
class PlannedLink:
    guardian_key: str
    relation: str
    has_gezag: bool = True
    receives_mail: bool = True


@dataclass
class PlannedPupil:
    admin_number: str
    roepnaam: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    date_of_birth: dt.date
    grade: int
    enrolled_on: dt.date
    links: list[PlannedLink] = field(default_factory=list)
    left_on: dt.date | None = None
    left_confirmed: bool = False

    @property
    def still_at_school(self) -> bool:
        return self.grade <= LAST_GRADE


@dataclass
class SchoolPlan:
    spec: SchoolSpec
    pupils: list[PlannedPupil]
    guardians: list[PlannedGuardian]
    users: list[PlannedUser]


def _person(rng: random.Random, women: bool) -> tuple[str, str, str]:
    first = rng.choice(WOMEN if women else MEN)
    tv, last = rng.choice(SURNAMES)
    return first, tv, last


def _address(rng: random.Random, city: str) -> tuple[str, str, str]:
    street = f"{rng.choice(STREETS[city])} {rng.randint(1, 180)}"
    letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
    return street, f"{rng.choice(POSTCODE_PREFIXES[city])} {letters}", city


def _email(first: str, tv: str, last: str, number: int) -> str:
    local = slugify(f"{first} {tv} {last}").replace("-", ".")
    return f"{local}.{number}@ouders.example"


def _phone(rng: random.Random) -> str:
    return f"06-{rng.randint(10000000, 99999999)}"


def _born_in_grade(rng: random.Random, grade: int, year_start: int) -> dt.date:
    # Pupils of group g in the school year starting in August of year Y were born between
    # 1 October of Y-4-g and 30 September of Y-3-g; group 1 only those who were four by 1 August.
    first = dt.date(year_start - 4 - grade, 10, 1)
    last = dt.date(year_start - 4, 7, 31) if grade == 1 else dt.date(year_start - 3 - grade, 9, 30)
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def plan_school(spec: SchoolSpec, index: int, *, today: dt.date) -> SchoolPlan:
    """The school's pupils, parents and accounts. Depends only on the school and today's school year."""
    rng = random.Random(f"lev-demo:{spec.brin}")  # noqa: S311 - demo data, not security
    year_start = school_year_bounds(today)[0].year
    pupil_total = rng.randint(142, 158)
    # Grade 9 stands for last year's group 8: they left for secondary school on 31 July.
    grades = [1 + (i % LAST_GRADE) for i in range(pupil_total)] + [LAST_GRADE + 1] * rng.randint(16, 21)
    rng.shuffle(grades)

    guardians: list[PlannedGuardian] = []
    pupils: list[PlannedPupil] = []
    family_number = 0

    def new_guardian(first: str, tv: str, last: str, address: tuple[str, str, str]) -> str:
        key = f"demo-{len(guardians) + 1:04d}"
        guardians.append(
            PlannedGuardian(
                key=key,
                first_name=first,
                tussenvoegsel=tv,
                achternaam=last,
                email=_email(first, tv, last, len(guardians) + 1),
                phone=_phone(rng),
                street=address[0],
                postcode=address[1],
                city=address[2],
            )
        )
        return key

    while grades:
        family_number += 1
        size = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
        family_grades = [grades.pop()]
        for _ in range(size - 1):
            other = next((g for g in grades if g not in family_grades), None)
            if other is None:
                break
            grades.remove(other)
            family_grades.append(other)

        # The first school carries the two special families: a shielded address and a parent
        # without gezag. Everywhere else the kind is drawn.
        if index == 0 and family_number == 3:
            kind = "separated_shielded"
        elif index == 0 and family_number == 5:
            kind = "separated_no_gezag"
        else:
            kind = rng.choices(("together", "two_mothers", "single", "separated"), weights=(72, 3, 10, 15))[0]

        home = _address(rng, spec.city)
        mother = _person(rng, women=True)
        father_first, family_tv, family_last = _person(rng, women=False)
        links: list[PlannedLink] = []
        if kind == "together":
            links.append(PlannedLink(new_guardian(*mother, home), GuardianRelation.MOTHER))
            links.append(
                PlannedLink(new_guardian(father_first, family_tv, family_last, home), GuardianRelation.FATHER)
            )
        elif kind == "two_mothers":
            other_mother = _person(rng, women=True)
            family_tv, family_last = mother[1], mother[2]
            links.append(PlannedLink(new_guardian(*mother, home), GuardianRelation.PARENT))
            links.append(PlannedLink(new_guardian(*other_mother, home), GuardianRelation.PARENT))
        elif kind == "single":
            if rng.random() < 0.8:
                family_tv, family_last = mother[1], mother[2]
                links.append(PlannedLink(new_guardian(*mother, home), GuardianRelation.MOTHER))
            else:
                links.append(
                    PlannedLink(
                        new_guardian(father_first, family_tv, family_last, home), GuardianRelation.FATHER
                    )
                )
        else:
            # Separated: two addresses, both parents with gezag unless the family says otherwise.
            second_home = _address(rng, rng.choice(("Boskoop", "Waddinxveen")))
            links.append(PlannedLink(new_guardian(*mother, home), GuardianRelation.MOTHER))
            father_link = PlannedLink(
                new_guardian(father_first, family_tv, family_last, second_home), GuardianRelation.FATHER
            )
            if kind == "separated_shielded":
                guardians[-2].shielded = True  # the mother's address is shielded
            if kind == "separated_no_gezag":
                father_link.has_gezag = False
                father_link.receives_mail = False
            links.append(father_link)

        for grade in family_grades:
            girl = rng.random() < 0.5
            roepnaam = rng.choice(GIRL_NAMES if girl else BOY_NAMES)
            voornamen = (
                roepnaam
                if rng.random() < 0.4
                else f"{roepnaam} {rng.choice(SECOND_NAMES_GIRLS if girl else SECOND_NAMES_BOYS)}"
            )
            born = _born_in_grade(rng, grade, year_start)
            enrolled_on = _birthday(born, 4)
            if grade >= 3 and rng.random() < 0.08:
                # Came from another school after a summer holiday (zij-instromer).
                enrolled_on = max(enrolled_on, dt.date(year_start - rng.randint(1, grade - 2), 8, 20))
            pupils.append(
                PlannedPupil(
                    admin_number=f"{1001 + len(pupils)}",
                    roepnaam=roepnaam,
                    voornamen=voornamen,
                    tussenvoegsel=family_tv,
                    achternaam=family_last,
                    date_of_birth=born,
                    grade=grade,
                    enrolled_on=enrolled_on,
                    links=[PlannedLink(**vars(link)) for link in links],
                    left_on=dt.date(year_start, 7, 31) if grade > LAST_GRADE else None,
                    left_confirmed=grade > LAST_GRADE,
                )
            )

    # One pupil per school that an import marked as left, waiting for confirmation.
    leaver = next(p for p in pupils if p.grade == 6)
    leaver.left_on = max(dt.date(year_start, 8, 1), today - dt.timedelta(days=rng.randint(2, 20)))

    users = _plan_school_users(spec, rng)
    return SchoolPlan(spec=spec, pupils=pupils, guardians=guardians, users=users)


def _plan_school_users(spec: SchoolSpec, rng: random.Random) -> list[PlannedUser]:
    users = []
    for role, prefix in SCHOOL_USER_PREFIXES:
        first, tv, last = _person(rng, women=rng.random() < 0.7)
        users.append(PlannedUser(f"{prefix}.{spec.slug}", first, tv, last, role, spec.brin))
    for group_name, _grades in spec.layout:
        first, tv, last = _person(rng, women=rng.random() < 0.8)
        users.append(
            PlannedUser(_teacher_username(group_name, spec.slug), first, tv, last, Role.TEACHER, spec.brin)
        )
    return users


# --- Writing the plan -------------------------------------------------------------------------


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())

    def add(self, name: str, count: int) -> None:
        self.created[name] = self.created.get(name, 0) + count


def _bulk(model: Any, objs: Sequence[Any], result: DemoResult, name: str) -> None:
    if objs:
        model.objects.bulk_create(objs, batch_size=500)
        result.add(name, len(objs))


def demo_seed(*, actor: Any = None, now: dt.datetime | None = None) -> DemoResult:
    """Insert whatever part of the demo data set is missing. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = DemoResult()
    with transaction.atomic():
        board, created = Board.objects.get_or_create(slug=BOARD_SLUG, defaults={"name": BOARD_NAME})
        result.add("boards", int(created))
        current, previous = _seed_years(board, today, result)
        plans = [plan_school(spec, index, today=today) for index, spec in enumerate(SCHOOLS)]
        schools = _seed_schools(board, result)
        users = _seed_users(board, plans, schools, previous.starts_on, result)
        _seed_devices(list(users.values()), result)
        for plan in plans:
            school = schools[plan.spec.brin]
            groups = _seed_groups(board, school, plan, (previous, current), users, result)
            _seed_pupils(board, school, plan, groups, (previous, current), result)
            _seed_settings(school, plan, users)
            _seed_social_map(board, school, result)
        _seed_deadlines(board, [schools[plan.spec.brin] for plan in plans], users, actor, now, result)
        _seed_calendars([schools[plan.spec.brin] for plan in plans], actor, now, result)
        result.add(
            "contact_logs",
            seed_contact_logs(
                school=schools[plans[0].spec.brin],
                group_name=MAIN_TEACHER_GROUP,
                teacher=users[_teacher_username(MAIN_TEACHER_GROUP, plans[0].spec.slug)],
                care_coordinator=users[f"ib.{plans[0].spec.slug}"],
                now=now,
            ),
        )
        result.add(
            "letters",
            seed_demo_letters(
                board=board,
                school=schools[plans[0].spec.brin],
                author=users[f"ib.{plans[0].spec.slug}"],
                approver=users[f"directeur.{plans[0].spec.slug}"],
                functional_admin=users[
                    next(u for u, role, *_ in BOARD_USERS if role == Role.FUNCTIONAL_ADMIN)
                ],
                now=now,
            ),
        )
        _seed_incidents(board, schools[plans[0].spec.brin], plans[0].spec.slug, users, now, result)
        _seed_escalation(schools[plans[0].spec.brin], plans[0].spec.slug, users, now, result)
        _seed_meldcode(schools[plans[0].spec.brin], plans[0].spec.slug, users, now, result)
        result.add(
            "count_history",
            seed_count_history(board, [schools[plan.spec.brin] for plan in plans], today=today),
        )
        if result.changed:
            record(
                "demo_seeded",
                actor=actor,
                board=board,
                obj=board,
                object_type="schools.board",
                summary=result.created,
                now=now,
            )
    return result


def _seed_incidents(
    board: Board, school: School, slug: str, users: dict[str, User], now: dt.datetime, result: DemoResult
) -> None:
    """Signals, incidents of every category (one weighed with the Vlaggensysteem and escalated to a
    crisis), a corrected entry and a parents' view in the chronology, a WPO 4a report and a confidant's note: all at the first
    school, about pupils of the main teacher's group, through the services."""
    pupils = _current_pupils_of(school, MAIN_TEACHER_GROUP, timezone.localdate(now))[:6]
    teacher = users[_teacher_username(MAIN_TEACHER_GROUP, slug)]
    director = users[f"directeur.{slug}"]
    care = users[f"ib.{slug}"]
    result.add(
        "signals",
        seed_signals(
            school=school,
            users={"teacher": teacher, "staff": users[f"medewerker.{slug}"], "ib": care},
            pupils=pupils,
            now=now,
        ),
    )
    incidents = seed_incidents(
        school=school,
        users={"director": director, "care_coordinator": care, "teacher": teacher},
        pupils=pupils,
        now=now,
    )
    result.add("incidents", len(incidents))
    boundary = next((i for i in incidents if i.category == IncidentCategory.SEXUAL_BOUNDARY), None)
    if boundary is not None:
        initiative = boundary.involvements.filter(role=PupilRole.INITIATIVE).first()
        seed_assessment(
            incident=boundary, pupil=initiative.pupil if initiative else None, actor=care, now=now
        )
        result.add("assessments", 1)
    if boundary is not None:
        result.add(
            "crises",
            seed_crisis(
                school=school,
                incidents=[boundary],
                users={"director": director, "ib": care, "deputy": users[f"adjunct.{slug}"]},
                pupils=[p for p in pupils if boundary.involvements.filter(pupil=p).exists()] or pupils[:1],
                now=now,
            ),
        )
    result.add("chronology_entries", seed_chronology(school=school, director=director, now=now))
    written = seed_misconduct(
        board=board,
        school=school,
        users={
            "reporter": teacher,
            "confidant": users[f"vertrouwenspersoon.{slug}"],
            "board": users[BOARD_USERS[0][0]],
        },
        pupils=pupils[2:3],
        now=now,
    )
    result.add("misconduct_reports", written["reports"])
    result.add("confidant_notes", written["notes"])


# The group whose pupils fill up the stappenplan demo after the main group's (see _seed_escalation).
ESCALATION_OTHER_GROUP = "7"


def _current_pupils_of(school: School, group_name: str, today: dt.date) -> list[Pupil]:
    return [
        placement.pupil
        for placement in GroupPlacement.objects.filter(
            school=school,
            group__name=group_name,
            group__school_year__starts_on__lte=today,
            group__school_year__ends_on__gte=today,
            ends_on__isnull=True,
        )
        .select_related("pupil")
        .order_by("pupil__admin_number")
    ]


def _seed_escalation(
    school: School, slug: str, users: dict[str, User], now: dt.datetime, result: DemoResult
) -> None:
    """Ten pupils on the stappenplan at the first school, through the services (escalation.demo):
    first the main group's pupils after the six that have incidents already (the main teacher
    records their steps and asks for their time-outs), then pupils of another group."""
    today = timezone.localdate(now)
    main = _current_pupils_of(school, MAIN_TEACHER_GROUP, today)[6:]
    other = _current_pupils_of(school, ESCALATION_OTHER_GROUP, today)
    made = seed_escalation(
        school=school,
        users={
            "director": users[f"directeur.{slug}"],
            "deputy": users[f"adjunct.{slug}"],
            "ib": users[f"ib.{slug}"],
            "teacher": users[_teacher_username(MAIN_TEACHER_GROUP, slug)],
            "board": users[BOARD_USERS[0][0]],
        },
        pupils=(main + other)[:10],
        now=now,
    )
    result.add("escalation_episodes", made["episodes"])
    for name in ("time_outs", "schorsingen", "verwijderingen", "objections", "gpo_cases"):
        result.add(name, made[name])


# The groups whose pupils get the Meldcode cases: not the main group (incidents, contacts, the
# stappenplan) nor the stappenplan's other group.
MELDCODE_GROUPS = ("8", "6", "4", "3")


def _seed_meldcode(
    school: School, slug: str, users: dict[str, User], now: dt.datetime, result: DemoResult
) -> None:
    """Seven Meldcode cases at the first school, one in each state, through the services
    (meldcode.demo); the care coordinator manages them, the director decides."""
    made = seed_meldcode(
        school=school,
        users={"ib": users[f"ib.{slug}"], "director": users[f"directeur.{slug}"]},
        groups=MELDCODE_GROUPS,
        now=now,
    )
    for name, count in made.items():
        result.add(name, count)


def _seed_years(board: Board, today: dt.date, result: DemoResult) -> tuple[SchoolYear, SchoolYear]:
    start, end = school_year_bounds(today)
    years = []
    for first_day, last_day in ((start, end), (dt.date(start.year - 1, 8, 1), dt.date(start.year, 7, 31))):
        year, created = SchoolYear.objects.get_or_create(
            board=board,
            name=f"{first_day.year}-{first_day.year + 1}",
            defaults={"starts_on": first_day, "ends_on": last_day},
        )
        result.add("school_years", int(created))
        years.append(year)
    return years[0], years[1]


def _seed_schools(board: Board, result: DemoResult) -> dict[str, School]:
    existing = {s.brin: s for s in School.objects.filter(brin__in=[spec.brin for spec in SCHOOLS])}
    missing = [
        School(
            board=board,
            name=spec.name,
            brin=spec.brin,
            street=spec.street,
            postcode=spec.postcode,
            city=spec.city,
            phone=spec.phone,
            email=f"info@{spec.slug}.{EMAIL_DOMAIN}",
            denominatie=spec.denominatie,
        )
        for spec in SCHOOLS
        if spec.brin not in existing
    ]
    _bulk(School, missing, result, "schools")
    return {s.brin: s for s in School.objects.filter(brin__in=[spec.brin for spec in SCHOOLS])}


def _seed_users(
    board: Board,
    plans: Iterable[SchoolPlan],
    schools: dict[str, School],
    active_from: dt.date,
    result: DemoResult,
) -> dict[str, User]:
    planned = [PlannedUser(u, first, tv, last, role, None) for u, role, first, tv, last in BOARD_USERS]
    for plan in plans:
        planned.extend(plan.users)
    usernames = [p.username for p in planned]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    missing = [p for p in planned if p.username not in existing]
    if missing:
        # One hash for all: the password is the same, and hashing 90 times would only cost time.
        password = make_password(DEMO_PASSWORD)
        _bulk(
            User,
            [
                User(
                    username=p.username,
                    email=f"{p.username}@{EMAIL_DOMAIN}",
                    first_name=p.first_name,
                    last_name=" ".join(part for part in (p.tussenvoegsel, p.last_name) if part),
                    password=password,
                    is_demo=True,
                    is_active=True,
                )
                for p in missing
            ],
            result,
            "users",
        )
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    held = set(
        Membership.objects.filter(user__in=users.values(), board=board).values_list(
            "user__username", "school__brin", "role"
        )
    )
    memberships = [
        Membership(
            user=users[p.username],
            board=board,
            school=schools[p.school_brin] if p.school_brin else None,
            role=p.role,
            active_from=active_from,
        )
        for p in planned
        if (p.username, p.school_brin, p.role) not in held
    ]
    _bulk(Membership, memberships, result, "memberships")
    return users


def _seed_devices(users: list[User], result: DemoResult) -> None:
    with_totp = set(TOTPDevice.objects.filter(user__in=users).values_list("user_id", flat=True))
    _bulk(
        TOTPDevice,
        [
            TOTPDevice(user=u, name=TOTP_DEVICE_NAME, confirmed=True, key=demo_totp_key(u.username).hex())
            for u in users
            if u.pk not in with_totp
        ],
        result,
        "totp_devices",
    )
    with_static = set(StaticDevice.objects.filter(user__in=users).values_list("user_id", flat=True))
    new_static = [u for u in users if u.pk not in with_static]
    _bulk(
        StaticDevice,
        [StaticDevice(user=u, name=BACKUP_DEVICE_NAME, confirmed=True) for u in new_static],
        result,
        "static_devices",
    )
    if new_static:
        devices = StaticDevice.objects.filter(user__in=new_static, name=BACKUP_DEVICE_NAME).select_related(
            "user"
        )
        _bulk(
            StaticToken,
            [
                StaticToken(device=d, token=code)
                for d in devices
                for code in demo_backup_codes(d.user.username)
            ],
            result,
            "backup_codes",
        )


def _seed_groups(
    board: Board,
    school: School,
    plan: SchoolPlan,
    years: tuple[SchoolYear, SchoolYear],
    users: dict[str, User],
    result: DemoResult,
) -> dict[tuple[int, str], SchoolGroup]:
    existing = set(SchoolGroup.objects.filter(school=school).values_list("school_year_id", "name"))
    _bulk(
        SchoolGroup,
        [
            SchoolGroup(board=board, school=school, school_year=year, name=name, grades=list(grades))
            for year in years
            for name, grades in plan.spec.layout
            if (year.pk, name) not in existing
        ],
        result,
        "groups",
    )
    groups = {
        (g.school_year_id, g.name): g
        for g in SchoolGroup.objects.filter(school=school, school_year__in=years)
    }
    through = SchoolGroup.teachers.through
    linked = set(through.objects.filter(schoolgroup__school=school).values_list("schoolgroup_id", "user_id"))
    links = []
    for (_year_id, name), group in groups.items():
        teacher = users.get(_teacher_username(name, plan.spec.slug))
        if teacher is not None and (group.pk, teacher.pk) not in linked:
            links.append(through(schoolgroup_id=group.pk, user_id=teacher.pk))
    _bulk(through, links, result, "group_teachers")
    return groups


def _seed_pupils(
    board: Board,
    school: School,
    plan: SchoolPlan,
    groups: dict[tuple[int, str], SchoolGroup],
    years: tuple[SchoolYear, SchoolYear],
    result: DemoResult,
) -> None:
    previous, current = years
    existing_guardians = set(
        Guardian.objects.filter(school=school, external_key__in=[g.key for g in plan.guardians]).values_list(
            "external_key", flat=True
        )
    )
    _bulk(
        Guardian,
        [
            Guardian(
                board=board,
                school=school,
                external_key=g.key,
                initials=f"{g.first_name[0]}.",
                first_name=g.first_name,
                tussenvoegsel=g.tussenvoegsel,
                achternaam=g.achternaam,
                email=g.email,
                phone=g.phone,
                street=g.street,
                postcode=g.postcode,
                city=g.city,
                address_shielded=g.shielded,
            )
            for g in plan.guardians
            if g.key not in existing_guardians
        ],
        result,
        "guardians",
    )
    existing_pupils = set(
        Pupil.objects.filter(
            school=school, admin_number__in=[p.admin_number for p in plan.pupils]
        ).values_list("admin_number", flat=True)
    )
    new = [p for p in plan.pupils if p.admin_number not in existing_pupils]
    if not new:
        return
    _bulk(
        Pupil,
        [
            Pupil(
                board=board,
                school=school,
                admin_number=p.admin_number,
                roepnaam=p.roepnaam,
                voornamen=p.voornamen,
                tussenvoegsel=p.tussenvoegsel,
                achternaam=p.achternaam,
                date_of_birth=p.date_of_birth,
            )
            for p in new
        ],
        result,
        "pupils",
    )
    pupil_ids = dict(
        Pupil.objects.filter(school=school, admin_number__in=[p.admin_number for p in new]).values_list(
            "admin_number", "pk"
        )
    )
    guardian_ids = dict(Guardian.objects.filter(school=school).values_list("external_key", "pk"))

    # Spread each grade over the groups that hold it, in turn.
    rotation: dict[tuple[int, int], int] = {}

    def group_for(year: SchoolYear, grade: int, ordinal: int) -> SchoolGroup:
        # A single-grade group takes two pupils of its grade for every one a combination group
        # takes, so that "4", "4/5" and "5" end up about the same size.
        names = [name for name, grades in plan.spec.layout if grade in grades for _ in range(3 - len(grades))]
        return groups[(year.pk, names[ordinal % len(names)])]

    enrolments, placements, links = [], [], []
    for p in new:
        pupil_id = pupil_ids[p.admin_number]
        enrolments.append(
            Enrolment(
                board=board,
                school=school,
                pupil_id=pupil_id,
                enrolled_on=p.enrolled_on,
                left_on=p.left_on,
                left_confirmed=p.left_confirmed,
            )
        )
        if p.still_at_school:
            ordinal = rotation.get((current.pk, p.grade), 0)
            rotation[(current.pk, p.grade)] = ordinal + 1
            placements.append(
                GroupPlacement(
                    board=board,
                    school=school,
                    pupil_id=pupil_id,
                    group=group_for(current, p.grade, ordinal),
                    starts_on=max(current.starts_on, p.enrolled_on),
                )
            )
        if p.enrolled_on <= previous.ends_on:
            # Last year's group: one grade lower; new pupils in group 1 were there already.
            last_grade = max(p.grade - 1, 1)
            ordinal = rotation.get((previous.pk, last_grade), 0)
            rotation[(previous.pk, last_grade)] = ordinal + 1
            placements.append(
                GroupPlacement(
                    board=board,
                    school=school,
                    pupil_id=pupil_id,
                    group=group_for(previous, last_grade, ordinal),
                    starts_on=max(previous.starts_on, p.enrolled_on),
                    ends_on=previous.ends_on,
                )
            )
        for link in p.links:
            links.append(
                PupilGuardian(
                    board=board,
                    school=school,
                    pupil_id=pupil_id,
                    guardian_id=guardian_ids[link.guardian_key],
                    relation=link.relation,
                    has_gezag=link.has_gezag,
                    receives_mail=link.receives_mail,
                )
            )
    _bulk(Enrolment, enrolments, result, "enrolments")
    _bulk(GroupPlacement, placements, result, "placements")
    _bulk(PupilGuardian, links, result, "pupil_guardians")


ATTENDANCE_OFFICES = {
    "Boskoop": ("Leerplicht gemeente Alphen aan den Rijn", "leerplicht@alphen.gemeente.example"),
    "Waddinxveen": ("Regionaal Bureau Leerplicht Midden-Holland", "leerplicht@midden-holland.example"),
}
PARTNERSHIPS = {
    "Boskoop": "Samenwerkingsverband Passend Primair Onderwijs Rijnstreek",
    "Waddinxveen": "Samenwerkingsverband Passend Onderwijs Midden-Holland",
}


def _seed_settings(school: School, plan: SchoolPlan, users: dict[str, User]) -> None:
    """Fill the school's settings where they are still empty; never overwrite a choice made since."""
    slug = plan.spec.slug
    office, office_email = ATTENDANCE_OFFICES[plan.spec.city]
    wanted: dict[str, Any] = {
        "attendance_office": office,
        "attendance_office_email": office_email,
        "partnership": PARTNERSHIPS[plan.spec.city],
        "meldcode_final_responsible_id": users[f"directeur.{slug}"].pk,
        "antibullying_coordinator_id": users[f"ib.{slug}"].pk,
        "contact_person_id": users[f"vertrouwenspersoon.{slug}"].pk,
    }
    changes = {name: value for name, value in wanted.items() if not getattr(school, name)}
    if changes:
        School.objects.filter(pk=school.pk).update(**changes)


def _social_map(city: str, rng: random.Random) -> list[dict[str, str]]:
    def contact() -> str:
        first, tv, last = _person(rng, women=rng.random() < 0.6)
        return " ".join(part for part in (first, tv, last) if part)

    town = slugify(city)
    office, office_email = ATTENDANCE_OFFICES[city]
    return [
        {
            "kind": SocialMapKind.GGD,
            "organisation": "GGD Hollands Midden, jeugdgezondheidszorg",
            "contact_name": contact(),
            "phone": "088-000 3080",
            "email": f"jgz.{town}@ggd.example",
            "notes": "Jeugdarts en jeugdverpleegkundige voor de school. Vragen over gezondheid, "
            "ontwikkeling en verzuim om medische redenen.",
        },
        {
            "kind": SocialMapKind.CJG,
            "organisation": f"Centrum voor Jeugd en Gezin {city}",
            "contact_name": contact(),
            "phone": "088-000 2540",
            "email": f"cjg.{town}@cjg.example",
            "notes": "Opvoedvragen van ouders; kan ouders zonder verwijzing helpen.",
        },
        {
            "kind": SocialMapKind.NEIGHBOURHOOD_TEAM,
            "organisation": "Jeugd- en gezinsteam Boskoop"
            if city == "Boskoop"
            else "Sociaal team Waddinxveen",
            "contact_name": contact(),
            "phone": "0172-000 780" if city == "Boskoop" else "0182-000 780",
            "email": f"wijkteam.{town}@gemeente.example",
            "notes": "Toegang tot jeugdhulp. Vaste contactpersoon voor de school.",
        },
        {
            "kind": SocialMapKind.SOCIAL_WORK,
            "organisation": f"Schoolmaatschappelijk werk {city}",
            "contact_name": contact(),
            "phone": "0172-000 460" if city == "Boskoop" else "0182-000 460",
            "email": f"smw.{town}@welzijn.example",
            "notes": "Spreekuur op school na afspraak via de intern begeleider.",
        },
        {
            "kind": SocialMapKind.POLICE,
            "organisation": f"Politie, wijkagent {city}",
            "contact_name": contact(),
            "phone": "0900-8844",
            "email": "",
            "notes": "Bij spoed altijd 112. Vraag naar de wijkagent van de wijk van de school.",
        },
        {
            "kind": SocialMapKind.VEILIG_THUIS,
            "organisation": "Veilig Thuis Hollands Midden",
            "contact_name": "",
            "phone": "0800-2000",
            "email": "",
            "website": "https://veiligthuis.nl",
            "notes": "Advies en melden bij (een vermoeden van) huiselijk geweld of kindermishandeling. "
            "Dag en nacht bereikbaar, gratis. Advies vragen kan anoniem.",
        },
        {
            "kind": SocialMapKind.ATTENDANCE,
            "organisation": office,
            "contact_name": contact(),
            "phone": "0172-000 640" if city == "Boskoop" else "0182-000 640",
            "email": office_email,
            "notes": "Melden van ongeoorloofd verzuim, schorsing langer dan een dag en verwijdering.",
        },
        {
            "kind": SocialMapKind.PARTNERSHIP,
            "organisation": PARTNERSHIPS[city],
            "contact_name": contact(),
            "phone": "0172-000 990" if city == "Boskoop" else "0182-000 990",
            "email": f"info@swv-{town}.example",
            "notes": "Consultatie, arrangementen en de zoektocht naar een andere school.",
        },
    ]


def _seed_social_map(board: Board, school: School, result: DemoResult) -> None:
    rng = random.Random(f"lev-demo:social-map:{school.brin}")  # noqa: S311 - demo data
    existing = set(SocialMapEntry.objects.filter(school=school).values_list("kind", "organisation"))
    _bulk(
        SocialMapEntry,
        [
            SocialMapEntry(board=board, school=school, **entry)
            for entry in _social_map(school.city, rng)
            if (entry["kind"], entry["organisation"]) not in existing
        ],
        result,
        "social_map_entries",
    )


# Demo deadlines, started this many days before the seeding day (see _seed_deadlines).
DEMO_EVALUATION_DAYS_AGO = 3
DEMO_INSPECTION_DAYS_AGO = 7
DEMO_BOARD_OBJECTION_DAYS_AGO = 10


def _seed_deadlines(
    board: Board,
    schools: list[School],
    users: dict[str, User],
    actor: Any,
    now: dt.datetime,
    result: DemoResult,
) -> None:
    """Per school an open policy term for the director (first evaluation of extra rules of
    conduct) and an overdue report of a suspension to the inspectorate; for the board one
    board-only term (decision on an objection against a removal). Each deadline has the school
    as its subject, so no pupil data is involved. A deadline is opened through the deadline
    service (real explanation, reminders and audit row) only if none with the same rule and
    subject exists yet, whatever its status now."""
    today = timezone.localdate(now)
    existing = set(
        Deadline.objects.filter(board=board, subject_type="schools.school").values_list(
            "rule_code", "subject_id", "visibility"
        )
    )
    created = 0

    def open_once(rule_code: str, days_ago: int, subject: School, visibility: str, **kwargs: Any) -> None:
        nonlocal created
        if (rule_code, str(subject.pk), visibility) in existing:
            return
        deadline_open(
            rule_code=rule_code,
            start=today - dt.timedelta(days=days_ago),
            subject=("schools.school", subject.pk),
            visibility=visibility,
            actor=actor,
            now=now,
            **kwargs,
        )
        created += 1

    for school in schools:
        spec = next(spec for spec in SCHOOLS if spec.brin == school.brin)
        director = users[f"directeur.{spec.slug}"]
        for rule_code, days_ago in (
            ("evaluatie-omgangsregels", DEMO_EVALUATION_DAYS_AGO),
            ("inspectie-melding-schorsing", DEMO_INSPECTION_DAYS_AGO),
        ):
            open_once(
                rule_code,
                days_ago,
                school,
                Visibility.SCHOOL,
                school=school,
                responsible_role=Role.DIRECTOR,
                responsible_user=director,
            )
    first = schools[0]
    open_once(
        "beslissing-bezwaar-verwijdering",
        DEMO_BOARD_OBJECTION_DAYS_AGO,
        first,
        Visibility.BOARD_ONLY,
        school=None,
        board=board,
        school_type=first.denominatie,
        responsible_role=Role.BOARD,
        responsible_user=users[BOARD_USERS[0][0]],
    )
    result.add("deadlines", created)


# Every demo school lies in Zuid-Holland (Boskoop, Waddinxveen): holiday region midden.
DEMO_REGION = "midden"
# Two study days per school in the current school year: the first school day on or after these
# dates (month, day), a day later for each next school so that not all schools close together.
DEMO_STUDY_DAYS = (((10, 5), "Studiedag team"), ((3, 8), "Studiedag teamscholing"))


def _seed_calendars(schools: list[School], actor: Any, now: dt.datetime, result: DemoResult) -> None:
    """Per school the holiday region (which seeds the national holidays and public holidays, through
    the calendar service) and two study days in the current school year. A school whose region has
    been set before keeps it, whatever it is now; study days are added only to a school that has no
    study day in the current school year yet."""
    today = timezone.localdate(now)
    first, last = school_year_bounds(today)
    with_calendar = set(SchoolCalendar.objects.filter(school__in=schools).values_list("school_id", flat=True))
    with_study_days = set(
        SchoolClosure.objects.filter(
            school__in=schools, kind=ClosureKind.STUDY_DAY, first_day__range=(first, last)
        ).values_list("school_id", flat=True)
    )
    calendars = closures = 0
    for index, school in enumerate(schools):
        if school.pk not in with_calendar:
            seeded = school_region_set(school=school, region=DEMO_REGION, actor=actor, now=now)
            calendars += 1
            closures += seeded.added
        if school.pk in with_study_days:
            continue
        closed = school_non_school_days(school, first, last)
        for (month, day), name in DEMO_STUDY_DAYS:
            year = first.year if month >= 8 else last.year
            study_day = dt.date(year, month, day) + dt.timedelta(days=index)
            while study_day.weekday() >= 5 or study_day in closed:
                study_day += dt.timedelta(days=1)
            school_closure_add(
                school=school,
                first_day=study_day,
                last_day=study_day,
                kind=ClosureKind.STUDY_DAY,
                name=name,
                actor=actor,
                now=now,
            )
            closures += 1
    result.add("school_calendars", calendars)
    result.add("school_closures", closures)


# --- Reading the demo accounts back (for demo_logins) -------------------------------------------


def _username_order() -> list[str]:
    """Per school: director, deputy, care coordinator, the teachers by group, staff, confidant."""
    order = []
    for spec in SCHOOLS:
        order += [f"directeur.{spec.slug}", f"adjunct.{spec.slug}", f"ib.{spec.slug}"]
        order.append(_teacher_username(MAIN_TEACHER_GROUP, spec.slug))
        order += [
            _teacher_username(name, spec.slug) for name, _grades in spec.layout if name != MAIN_TEACHER_GROUP
        ]
        order += [f"medewerker.{spec.slug}", f"vertrouwenspersoon.{spec.slug}"]
    return order + [username for username, *_rest in BOARD_USERS]


@dataclass
class DemoAccount:
    username: str
    display_name: str
    roles: list[tuple[str, str]]  # (role label, school or board name)
    otpauth_uri: str
    backup_codes: list[str]
    active: bool


def demo_accounts() -> list[DemoAccount]:
    """Every demo account with its roles, otpauth URI and remaining backup codes; starters first."""
    users = list(
        User.objects.filter(is_demo=True)
        .prefetch_related("memberships__school", "memberships__board")
        .order_by("username")
    )
    totp_devices = {
        d.user_id: d for d in TOTPDevice.objects.filter(user__in=users, confirmed=True).order_by("pk")
    }
    codes: dict[int, list[str]] = {}
    for token in (
        StaticToken.objects.filter(device__user__in=users, device__confirmed=True)
        .select_related("device")
        .order_by("pk")
    ):
        codes.setdefault(token.device.user_id, []).append(token.token)
    role_order = {role.value: i for i, role in enumerate(Role)}
    listed = {username: i for i, username in enumerate(_username_order())}

    def sort_key(user: User) -> tuple[int, int, str]:
        if user.username in STARTER_USERNAMES:
            return (0, STARTER_USERNAMES.index(user.username), "")
        return (1, listed.get(user.username, len(listed)), user.username)

    accounts = []
    for user in sorted(users, key=sort_key):
        device = totp_devices.get(user.pk)
        accounts.append(
            DemoAccount(
                username=user.username,
                display_name=user.display_name,
                roles=[
                    (str(Role(m.role).label), m.school.name if m.school else m.board.name)
                    for m in sorted(user.memberships.all(), key=lambda m: role_order.get(m.role, 99))
                ],
                otpauth_uri=device.config_url if device else "",
                backup_codes=codes.get(user.pk, []),
                active=user.is_active,
            )
        )
    return accounts


# --- The demo_logins text ------------------------------------------------------------------------


def demo_login_lines() -> list[str]:
    """The text `demo_logins` prints: the starters first, then every account with its secrets."""
    lines: list[str] = []
    accounts = [a for a in demo_accounts() if a.active]
    if not accounts:
        lines.append("There are no active demo accounts. Create them with `manage.py seed_demo`.")
        return lines
    lines.append(f"LEV demo accounts. Password for every account: {DEMO_PASSWORD}")
    lines.append(
        "These passwords, two-factor secrets and backup codes are public. Never use them in production."
    )
    lines.append(
        "Two-factor code: `manage.py demo_otp USERNAME`, or add the otpauth URI to an authenticator app."
    )
    lines.append("")
    starters = [a for a in accounts if a.username in STARTER_USERNAMES]
    if starters:
        lines.append("To start:")
        for account in starters:
            lines.append("  " + _row(account))
        lines.append("")
    width = max(len(a.username) for a in accounts)
    lines.append("All demo accounts:")
    lines.append(f"  {'username':<{width}}  {'role':<30}  {'school / board':<22}  password")
    for account in accounts:
        lines.append("  " + _row(account, width))
    lines.append("")
    lines.append("Two-factor secrets and backup codes:")
    for account in accounts:
        lines.append(f"  {account.username}")
        lines.append(f"    {account.otpauth_uri or '(no two-factor device)'}")
        codes = " ".join(account.backup_codes) or "(none left)"
        lines.append(f"    backup codes: {codes}")
    return lines


def _row(account: DemoAccount, width: int = 22) -> str:
    role, place = account.roles[0] if account.roles else ("(no role)", "")
    return f"{account.username:<{width}}  {role:<30}  {place:<22}  {DEMO_PASSWORD}"
