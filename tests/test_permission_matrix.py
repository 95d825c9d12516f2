"""The permission matrix: every URL × method × persona × own/other school, with CSRF enforced.

Each URL name in the project must have a row here (the meta-test fails otherwise). A row says,
per method, which status each persona gets on an object of its own school ("own") and on an
object of another board ("other"; teacher_b is that board's mirror of teacher_a). Unsafe methods are tried twice: without a CSRF token (always
403) and with one (the expected status). Rules (ARCHITECTURE.md §4): anonymous users are sent to
the login page; another school's object answers 404 exactly like a missing one; a role that may
not use a page of its own school gets 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lev.audit.models import AccessLogEntry, AccessOutcome
from tests.conftest import World, signed_in_client
from tests.matrix_kit import (  # noqa: F401  (re-exported for the row modules)
    BOARD_WIDE,
    CSRF_TOKEN,
    PERSONAS,
    SCHOOL_STAFF,
    SIGNED_IN,
    Method,
    Row,
    everyone,
    fixed,
    only,
)


def pupil_url(world: World, own: bool) -> str:
    return f"/leerlingen/{(world.pupil_a if own else world.pupil_b).pk}/"


def deputy_revoke_url(world: World, own: bool) -> str:
    from lev.accounts.models import Deputy

    user, deputy = (world.teacher_a, world.staff_a) if own else (world.teacher_b, world.teacher_a)
    entry, _ = Deputy.objects.get_or_create(
        user=user, deputy=deputy, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 5)
    )
    return f"/account/vervanging/{entry.pk}/intrekken/"


def deadline_url(suffix: str) -> Callable[[World, bool], str]:
    """A school deadline for the director's role, at school A (own) or school B (other)."""

    def url(world: World, own: bool) -> str:
        from lev.deadlines.models import Deadline
        from lev.deadlines.services import deadline_open
        from lev.schools.models import Role

        school = world.school_a if own else world.school_b
        deadline = Deadline.objects.filter(subject_type="matrix", school=school).first()
        if deadline is None:
            deadline = deadline_open(
                rule_code="evaluatie-omgangsregels",
                start=dt.date(2040, 1, 4),
                school=school,
                subject=("matrix", school.pk),
                responsible_role=Role.DIRECTOR,
                responsible_user=None,
                actor=None,
                now=dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC),
            )
        return f"/termijnen/{deadline.pk}/{suffix}"

    return url


MATRIX: dict[str, Row] = {
    "web:health": Row(fixed("/health"), {"GET": Method(everyone(200, anonymous=200))}, public=True),
    "web:start": Row(fixed("/"), {"GET": Method(everyone(200))}),
    "web:switch_school": Row(
        fixed("/school/kiezen/"),
        {
            "GET": Method(everyone(405)),
            "POST": Method(everyone(302), data=lambda w: {"school": w.school_a.pk}),
        },
    ),
    "accounts:login": Row(
        fixed("/account/inloggen/"), {"GET": Method(everyone(302, anonymous=200))}, public=True
    ),
    "accounts:logout": Row(fixed("/account/uitloggen/"), {"GET": Method(everyone(405))}),
    "accounts:verify": Row(fixed("/account/tweestaps/"), {"GET": Method(everyone(302))}),
    "accounts:setup_2fa": Row(fixed("/account/tweestaps/instellen/"), {"GET": Method(everyone(200))}),
    "accounts:security": Row(fixed("/account/beveiliging/"), {"GET": Method(everyone(200))}),
    "accounts:backup_codes": Row(
        fixed("/account/beveiliging/reservecodes/"),
        {"GET": Method(everyone(405)), "POST": Method(everyone(200))},
    ),
    "accounts:password_reset": Row(
        fixed("/account/wachtwoord/vergeten/"),
        {
            "GET": Method(everyone(200, anonymous=200)),
            "POST": Method(everyone(302, anonymous=302), data=lambda w: {"email": "nobody@school.example"}),
        },
        public=True,
    ),
    "accounts:password_reset_done": Row(
        fixed("/account/wachtwoord/vergeten/verstuurd/"),
        {"GET": Method(everyone(200, anonymous=200))},
        public=True,
    ),
    "accounts:password_reset_confirm": Row(
        fixed("/account/wachtwoord/herstellen/MQ/set-password/"),
        {"GET": Method(everyone(200, anonymous=200))},
        public=True,
    ),
    "accounts:password_reset_complete": Row(
        fixed("/account/wachtwoord/hersteld/"), {"GET": Method(everyone(200, anonymous=200))}, public=True
    ),
    "accounts:password_change": Row(
        fixed("/account/wachtwoord/wijzigen/"), {"GET": Method(everyone(200)), "POST": Method(everyone(200))}
    ),
    "accounts:board_2fa_policy": Row(
        fixed("/account/bestuur/tweestaps/"),
        {
            "GET": Method(only({"board_member": 200})),
            "POST": Method(
                only({"board_member": 302}), data=lambda w: {"exempt": "no", "reason": "Matrix test."}
            ),
        },
    ),
    "accounts:deputies": Row(
        fixed("/account/vervanging/"), {"GET": Method(everyone(200)), "POST": Method(everyone(200))}
    ),
    "accounts:deputy_revoke": Row(
        deputy_revoke_url,
        {
            "GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405)),
            "POST": Method(only({"teacher_a": 302}, others=404)),
        },
    ),
    "schools:import_start": Row(
        fixed("/beheer/import/"),
        {"GET": Method(only({"functional_admin": 200})), "POST": Method(only({"functional_admin": 200}))},
    ),
    "schools:import_preview": Row(
        fixed("/beheer/import/voorbeeld/"),
        {"GET": Method(only({"functional_admin": 302})), "POST": Method(only({"functional_admin": 302}))},
    ),
    "schools:import_result": Row(
        fixed("/beheer/import/resultaat/"), {"GET": Method(only({"functional_admin": 302}))}
    ),
    "schools:import_left": Row(
        lambda world, own: (
            f"/beheer/import/vertrokken/?school={(world.school_a if own else world.school_b).pk}"
        ),
        {
            "GET": Method(
                only({"functional_admin": 200}),
                other=dict.fromkeys(SIGNED_IN, 403) | {"functional_admin": 404},
            ),
            "POST": Method(
                only({"functional_admin": 200}),
                other=dict.fromkeys(SIGNED_IN, 403) | {"functional_admin": 404},
            ),
        },
    ),
    "schools:pupil_list": Row(
        fixed("/leerlingen/"),
        {
            "GET": Method(
                only(
                    {"teacher_a": 200, "ib_a": 200, "director_a": 200, "deputy_a": 200},
                    others=404,
                    outsider=200,
                )
            )
        },
    ),
    "schools:pupil_detail": Row(
        pupil_url,
        {
            "GET": Method(
                only(
                    {"teacher_a": 200, "ib_a": 200, "director_a": 200, "deputy_a": 200},
                    others=403,
                    outsider=404,
                )
                | dict.fromkeys(BOARD_WIDE, 404)
            ),
        },
        sensitive=True,
    ),
    "deadlines:mine": Row(fixed("/termijnen/mijn/"), {"GET": Method(everyone(200))}),
    "deadlines:detail": Row(
        deadline_url(""),
        {"GET": Method(only({"director_a": 200, "deputy_a": 200}, others=404))},
    ),
    "deadlines:meet": Row(
        deadline_url("afgerond/"),
        {
            "GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405)),
            "POST": Method(only({"director_a": 302, "deputy_a": 302}, others=404)),
        },
    ),
    "deadlines:waive": Row(
        deadline_url("vervallen/"),
        {
            "GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405)),
            "POST": Method(
                only({"director_a": 302, "deputy_a": 302}, others=404),
                data=lambda w: {"reason": "Matrix test."},
            ),
        },
    ),
    "deadlines:list": Row(
        fixed("/termijnen/"),
        {"GET": Method(only({"director_a": 200, "deputy_a": 200, "board_member": 200}))},
    ),
}


# --- Functional administrator's pages (lev/schools/urls_admin.py) -----------------------------
# Only the board's functional_admin: every other signed-in persona gets 403 (the role check comes
# before the object lookup, also for another board's objects); the admin gets 404 on board B's
# objects.
NOT_ADMIN_403 = {p: 403 for p in SIGNED_IN if p != "functional_admin"}


def admin_only(status: int = 200) -> dict[str, int]:
    return only({"functional_admin": status})


def admin_get(url: Callable[[World, bool], str]) -> Row:
    return Row(url, {"GET": Method(admin_only(), other=NOT_ADMIN_403)})


def admin_form(url: Callable[[World, bool], str], post_status: int = 200, data=None) -> Row:
    # An empty POST re-shows the form with its errors (200) and changes nothing.
    return Row(
        url,
        {
            "GET": Method(admin_only(), other=NOT_ADMIN_403),
            "POST": Method(admin_only(post_status), other=NOT_ADMIN_403, data=data),
        },
    )


def admin_school_url(world: World, own: bool) -> str:
    return f"/beheer/scholen/{(world.school_a if own else world.school_b).pk}/"


def admin_year_url(world: World, own: bool) -> str:
    return f"/beheer/schooljaren/{(world.group_a if own else world.group_b).school_year_id}/"


def admin_group_create_url(world: World, own: bool) -> str:
    group, school = (world.group_a, world.school_a) if own else (world.group_b, world.school_b)
    return f"/beheer/schooljaren/{group.school_year_id}/scholen/{school.pk}/groepen/nieuw/"


def admin_group_url(world: World, own: bool) -> str:
    return f"/beheer/groepen/{(world.group_a if own else world.group_b).pk}/"


def admin_target(world: World, own: bool):
    """A user who is not a persona, so deactivating or ending their role disturbs no other row."""
    from lev.schools.models import Membership, Role
    from tests.factories import UserFactory

    if not own:
        return world.teacher_b
    user = UserFactory(username="matrix_target")
    Membership.objects.get_or_create(
        user=user, board=world.board, school=world.school_a, role=Role.TEACHER, active_from="2020-01-01"
    )
    return user


def admin_user_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: f"/beheer/gebruikers/{admin_target(world, own).pk}/{suffix}"


def admin_membership_url(world: World, own: bool) -> str:
    from lev.schools.models import Membership

    return f"/beheer/rollen/{Membership.objects.filter(user=admin_target(world, own)).first().pk}/beeindigen/"


def admin_social_school_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: (
        f"/beheer/sociale-kaart/scholen/{(world.school_a if own else world.school_b).pk}/{suffix}"
    )


def admin_social_entry_url(suffix: str) -> Callable[[World, bool], str]:
    def url(world: World, own: bool) -> str:
        from lev.schools.models import SocialMapEntry

        school = world.school_a if own else world.school_b
        entry, _ = SocialMapEntry.objects.get_or_create(
            board=school.board, school=school, kind="ggd", organisation="GGD"
        )
        return f"/beheer/sociale-kaart/{entry.pk}/{suffix}"

    return url


ADMIN_MATRIX: dict[str, Row] = {
    "schools:admin_school_list": admin_get(fixed("/beheer/scholen/")),
    "schools:admin_school_create": admin_form(fixed("/beheer/scholen/nieuw/")),
    "schools:admin_school_edit": admin_form(admin_school_url),
    "schools:admin_year_list": admin_get(fixed("/beheer/schooljaren/")),
    "schools:admin_year_create": admin_form(fixed("/beheer/schooljaren/nieuw/")),
    "schools:admin_year_detail": admin_get(admin_year_url),
    "schools:admin_group_create": admin_form(admin_group_create_url),
    "schools:admin_group_edit": admin_form(admin_group_url),
    "schools:admin_user_list": admin_get(fixed("/beheer/gebruikers/")),
    "schools:admin_user_create": admin_form(fixed("/beheer/gebruikers/nieuw/")),
    "schools:admin_user_detail": admin_get(admin_user_url("")),
    "schools:admin_user_invite": Row(
        admin_user_url("uitnodigen/"),
        {
            "GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405)),
            "POST": Method(admin_only(302), other=NOT_ADMIN_403),
        },
    ),
    "schools:admin_user_deactivate": admin_form(admin_user_url("deactiveren/"), post_status=302),
    "schools:admin_membership_create": admin_form(admin_user_url("rollen/nieuw/")),
    "schools:admin_membership_end": admin_form(admin_membership_url),
    "schools:admin_social_map": admin_get(fixed("/beheer/sociale-kaart/")),
    "schools:admin_social_map_school": admin_get(admin_social_school_url("")),
    "schools:admin_social_map_create": admin_form(admin_social_school_url("nieuw/")),
    "schools:admin_social_map_edit": admin_form(admin_social_entry_url("")),
    "schools:admin_social_map_delete": admin_form(admin_social_entry_url("verwijderen/"), post_status=302),
}
MATRIX.update(ADMIN_MATRIX)


# --- Letter templates (communications/urls.py): the board's functional administrator only ------
def template_url(suffix: str, kind: str = "schorsing_besluit") -> Callable[[World, bool], str]:
    def url(world: World, own: bool) -> str:
        board = world.board if own else world.school_b.board
        return f"/brieven/sjablonen/{board.pk}/{kind}/{suffix}"

    return url


def template_version_url(world: World, own: bool) -> str:
    from communications.domain.texts import letter_kind
    from communications.models import LetterTemplate

    board = world.board if own else world.school_b.board
    kind = letter_kind("schorsing_besluit")
    template, _ = LetterTemplate.objects.get_or_create(
        board=board,
        kind=kind.code,
        version=1,
        defaults={
            "shipped_version": kind.version,
            "blocks": kind.snapshot(),
            "created_at": dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        },
    )
    return f"/brieven/sjablonen/{board.pk}/{kind.code}/versies/{template.version}/beoordelen/"


MATRIX.update(
    {
        "communications:templates": admin_get(fixed("/brieven/sjablonen/")),
        "communications:template_detail": admin_get(template_url("")),
        # A POST that empties a required block is refused and re-shows the form (200); nothing
        # is saved.
        "communications:template_edit": Row(
            template_url("bewerken/"),
            {
                "GET": Method(admin_only(), other=NOT_ADMIN_403),
                "POST": Method(admin_only(200), other=NOT_ADMIN_403, data=lambda w: {"block_redenen": ""}),
            },
        ),
        "communications:template_review": admin_form(template_version_url),
        "communications:template_preview": admin_get(template_url("voorbeeld/")),
        "communications:template_preview_pdf": admin_get(template_url("voorbeeld.pdf")),
    }
)


# --- The functional administrator's calendar pages (lev/deadlines/admin_views.py) --------------
def calendar_school_url(world: World, own: bool) -> str:
    return f"/termijnen/kalenders/scholen/{(world.school_a if own else world.school_b).pk}/"


def calendar_closure_delete_url(world: World, own: bool) -> str:
    import datetime

    from lev.deadlines.models import SchoolClosure

    school = world.school_a if own else world.school_b
    closure, _ = SchoolClosure.objects.get_or_create(
        board=school.board,
        school=school,
        kind="study_day",
        first_day=datetime.date(2026, 3, 4),
        last_day=datetime.date(2026, 3, 4),
        defaults={"name": "Studiedag", "created_at": datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)},
    )
    return f"/termijnen/kalenders/sluitingen/{closure.pk}/verwijderen/"


MATRIX.update(
    {
        "deadlines:calendars": admin_get(fixed("/termijnen/kalenders/")),
        "deadlines:calendar_school": admin_form(calendar_school_url),
        "deadlines:calendar_closure_delete": admin_form(calendar_closure_delete_url, post_status=302),
    }
)


# --- The parent contact log (communications/contact_urls.py): the pupil chokepoint -------------
# Whoever may read the pupil's file may read and keep its contact log: teacher_a (own group), IB,
# director, deputy. Staff and confidant get 403 (the refusal is access-logged), the board-wide
# roles 404 (they hold no school), another school's pupil 404. Each 200 is one logged read; an
# empty POST re-shows the page (the form with its errors) and records nothing.
def pupil_file_readers() -> dict[str, int]:
    readers = {"teacher_a": 200, "ib_a": 200, "director_a": 200, "deputy_a": 200}
    return only(readers, others=403, outsider=404) | dict.fromkeys(BOARD_WIDE, 404)


def contact_url(suffix: str) -> Callable[[World, bool], str]:
    return lambda world, own: f"/leerlingen/{(world.pupil_a if own else world.pupil_b).pk}/contacten/{suffix}"


def contact_correct_url(world: World, own: bool) -> str:
    from communications.contact_models import ContactLog
    from communications.contact_services import contact_log_record

    pupil, author = (world.pupil_a, world.ib_a) if own else (world.pupil_b, world.teacher_b)
    entry = ContactLog.objects.filter(pupil=pupil).first()
    if entry is None:
        now = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
        entry = contact_log_record(
            pupil=pupil,
            contact_at=now - dt.timedelta(hours=2),
            with_whom="moeder",
            channel="phone",
            summary="Matrix test.",
            actor=author,
            now=now,
        )
    return f"/leerlingen/{pupil.pk}/contacten/{entry.pk}/corrigeren/"


MATRIX.update(
    {
        name: Row(
            url, {"GET": Method(pupil_file_readers()), "POST": Method(pupil_file_readers())}, sensitive=True
        )
        for name, url in (
            ("contacts:list", contact_url("")),
            ("contacts:new", contact_url("nieuw/")),
            ("contacts:correct", contact_correct_url),
        )
    }
)

# --- Letters (communications/letter_views.py) ---------------------------------------------------
LETTER_ROLES = {"ib_a": 200, "director_a": 200, "deputy_a": 200}


def matrix_letter(world: World, own: bool, *, approved: bool = False):
    """A time-out notice about the school's pupil (with one parent), made directly so that school
    B, which has no care coordinator, gets one too; approved ones have their PDFs and print file."""
    from communications import letter_services as svc
    from communications.letter_models import Letter, LetterStatus
    from lev.schools.models import Guardian, PupilGuardian

    school, pupil = (world.school_a, world.pupil_a) if own else (world.school_b, world.pupil_b)
    status = LetterStatus.APPROVED if approved else LetterStatus.DRAFT
    letter = Letter.objects.filter(school=school, status=status, source_type="matrix").first()
    if letter is not None:
        return letter
    if not PupilGuardian.objects.filter(pupil=pupil).exists():
        guardian = Guardian.objects.create(
            board=school.board,
            school=school,
            external_key="matrix",
            first_name="Jan",
            achternaam="Ouder",
            street="Zuidkade 3",
            postcode="2771 DS",
            city="Boskoop",
        )
        PupilGuardian.objects.create(
            board=school.board, school=school, pupil=pupil, guardian=guardian, relation="parent"
        )
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    author = world.ib_a if own else world.teacher_b
    letter = Letter.objects.create(
        board=school.board,
        school=school,
        kind="timeout_melding",
        denominatie=school.denominatie,
        pupil=pupil,
        values={},
        author=author,
        created_at=now,
        updated_at=now,
        source_type="matrix",
        status=status,
    )
    if approved:
        Letter.objects.filter(pk=letter.pk).update(
            approved_by=world.director_a if own else world.functional_admin, approved_at=now
        )
        letter.refresh_from_db()
        letter.values = {"_fixed": svc.all_values(letter, day=now.date(), signatory=letter.approved_by)}
        letter.save()
        svc._make_copies(letter, svc.letter_addressees(letter))
        svc.letter_render(letter.pk, now=now, renderer=svc.render_in_process)
    return letter


def letter_url(suffix: str, *, approved: bool = False) -> Callable[[World, bool], str]:
    return lambda world, own: f"/brieven/{matrix_letter(world, own, approved=approved).pk}/{suffix}"


def copy_url(suffix: str) -> Callable[[World, bool], str]:
    def url(world: World, own: bool) -> str:
        letter = matrix_letter(world, own, approved=True)
        return f"/brieven/{letter.pk}/afschriften/{letter.copies.order_by('position').first().pk}/{suffix}"

    return url


POST_ONLY = {"GET": Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))}

MATRIX.update(
    {
        "communications:letter_list": Row(
            fixed("/brieven/"), {"GET": Method(only(LETTER_ROLES | {"board_member": 200}))}
        ),
        "communications:letter_new": Row(
            fixed("/brieven/nieuw/"), {"GET": Method(only(LETTER_ROLES)), "POST": Method(only(LETTER_ROLES))}
        ),
        "communications:letter_detail": Row(
            letter_url(""), {"GET": Method(only(LETTER_ROLES, outsider=404))}, sensitive=True
        ),
        "communications:letter_edit": Row(
            letter_url("bewerken/"),
            {
                "GET": Method(only(LETTER_ROLES, outsider=404)),
                "POST": Method(only(dict.fromkeys(LETTER_ROLES, 302), outsider=404)),
            },
        ),
        "communications:letter_submit": Row(
            letter_url("indienen/"),
            POST_ONLY | {"POST": Method(only(dict.fromkeys(LETTER_ROLES, 302), outsider=404))},
        ),
        "communications:letter_approve": Row(
            letter_url("goedkeuren/"),
            POST_ONLY | {"POST": Method(only(dict.fromkeys(LETTER_ROLES, 302), outsider=404))},
        ),
        "communications:letter_withdraw": Row(
            letter_url("intrekken/"),
            POST_ONLY
            | {
                "POST": Method(
                    only(dict.fromkeys(LETTER_ROLES, 302), outsider=404),
                    data=lambda w: {"reason": "Matrix test."},
                )
            },
        ),
        "communications:letter_progress": Row(
            letter_url("voortgang/", approved=True), {"GET": Method(only(LETTER_ROLES, outsider=404))}
        ),
        "communications:letter_print": Row(
            letter_url("afdrukbestand/", approved=True), {"GET": Method(only(LETTER_ROLES, outsider=404))}
        ),
        "communications:letter_email_all": Row(
            letter_url("per-email/", approved=True),
            POST_ONLY | {"POST": Method(only(dict.fromkeys(LETTER_ROLES, 302), outsider=404))},
        ),
        "communications:copy_pdf": Row(copy_url("pdf/"), {"GET": Method(only(LETTER_ROLES, outsider=404))}),
        "communications:copy_dispatch": Row(
            copy_url("verzending/"),
            {
                "GET": Method(only(LETTER_ROLES, outsider=404)),
                "POST": Method(only(LETTER_ROLES, outsider=404)),
            },
        ),
    }
)


def _collect_rows() -> None:
    """Add the rows each app keeps in tests/matrix_rows/<area>.py (a name may appear only once)."""
    import importlib
    import pkgutil

    import tests.matrix_rows as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        rows = importlib.import_module(f"{package.__name__}.{info.name}").ROWS
        clash = set(rows) & set(MATRIX)
        assert not clash, f"{info.name}: rows already in the matrix: {sorted(clash)}"
        MATRIX.update(rows)


_collect_rows()


def other_expectation(spec: Method, persona: str) -> int:
    """Status on the object of school B (another board). teacher_b is school B's mirror of
    teacher_a (teaching the group of pupil_b), so by default gets what teacher_a gets at home."""
    if spec.other and persona in spec.other:
        return spec.other[persona]
    if persona == "anonymous":
        return 302
    if persona == "teacher_b":
        return spec.expect["teacher_a"]
    return 404


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns == "admin":
                    continue
                walk(p.url_patterns, f"{namespace}:{p.namespace}" if namespace and p.namespace else ns)
            elif isinstance(p, URLPattern):
                assert p.name, f"URL pattern {p.pattern} has no name"
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_matrix():
    missing = url_names() - set(MATRIX)
    assert not missing, f"URL names without a permission-matrix row: {sorted(missing)}"
    stale = set(MATRIX) - url_names()
    assert not stale, f"Matrix rows for URL names that no longer exist: {sorted(stale)}"


def client_for(world: World, persona: str) -> Client:
    if persona == "anonymous":
        return Client(enforce_csrf_checks=True)
    return signed_in_client(getattr(world, persona), enforce_csrf=True)


def cases():
    for name, row in MATRIX.items():
        for method in row.methods:
            yield pytest.param(name, method, id=f"{name}-{method}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), list(cases()))
def test_matrix(world, name, method):
    row = MATRIX[name]
    spec = row.methods[method]
    failures = []
    granted_reads = 0
    for own in (True, False):
        path = row.url(world, own)
        if not own and path == row.url(world, True):
            continue  # no object in the URL: nothing to vary
        for persona in PERSONAS:
            expected = spec.expect[persona] if own else other_expectation(spec, persona)
            client = client_for(world, persona)
            data = spec.data(world) if spec.data else {}
            if method != "GET":
                denied = getattr(client, method.lower())(path, data)
                if denied.status_code != 403 and not (persona == "anonymous" and denied.status_code == 302):
                    failures.append(
                        f"{persona} {method} {path} without CSRF token: {denied.status_code}, expected 403"
                    )
                client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
                data = {**data, "csrfmiddlewaretoken": CSRF_TOKEN}
            response = getattr(client, method.lower())(path, data)
            if response.status_code != expected:
                failures.append(
                    f"{persona} {method} {path} ({'own' if own else 'other'}): {response.status_code}, expected {expected}"
                )
            if row.sensitive and response.status_code == 200:
                granted_reads += 1
    assert not failures, "\n".join(failures)
    if row.sensitive:
        # Every successful read of a sensitive record left exactly one access-log row.
        assert AccessLogEntry.objects.filter(outcome=AccessOutcome.GRANTED).count() == granted_reads


PUBLIC_URLS = {
    "web:health",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


def test_only_login_password_reset_and_health_are_public():
    public = {
        name
        for name, row in MATRIX.items()
        if any(m.expect["anonymous"] != 302 for m in row.methods.values())
    }
    # accounts:logout answers 405 to a GET from anyone; it is not a page.
    assert public - {"accounts:logout"} == PUBLIC_URLS
    assert {name for name, row in MATRIX.items() if row.public} == PUBLIC_URLS


def test_switch_school_only_to_own_schools(world):
    client = signed_in_client(world.teacher_a)
    client.post("/school/kiezen/", {"school": world.school_b.pk})
    assert client.session.get("lev_active_school") is None
    client.post("/school/kiezen/", {"school": world.school_a.pk})
    assert client.session.get("lev_active_school") == world.school_a.pk
