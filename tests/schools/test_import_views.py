"""The import pages: who may use them, the upload → preview → apply flow, confirming leaving, CSRF.

The clock is fixed at 24-11-2026 (school year 2026-2027, 01-08-2026 .. 31-07-2027).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from lev.audit.models import AuditEvent
from lev.schools import models as m
from lev.schools.importing.services import import_apply
from lev.schools.importing.uploads import SESSION_UPLOAD
from tests import factories as f
from tests.conftest import signed_in_client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
START, PREVIEW, RESULT, LEFT = (
    "/beheer/import/",
    "/beheer/import/voorbeeld/",
    "/beheer/import/resultaat/",
    "/beheer/import/vertrokken/",
)
NOT_ADMINS = [
    "teacher_a",
    "staff_a",
    "ib_a",
    "director_a",
    "deputy_a",
    "confidant_a",
    "board_member",
    "privacy_officer",
    "teacher_b",
]


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def year(world) -> m.SchoolYear:
    year = f.SchoolYearFactory(board=world.board)
    assert (year.starts_on, year.ends_on) == (dt.date(2026, 8, 1), dt.date(2027, 7, 31))
    return year


def nl(msgid: str, **params: object) -> str:
    """The text the Dutch interface shows for `msgid` (the catalogue may or may not translate it)."""
    with translation.override("nl"):
        text = translation.gettext(msgid)
    return text % params if params else text


def nl_plural(singular: str, plural: str, count: int, **params: object) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {"count": count, **params}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(client, world, year, data: bytes, *, school=None, name: str = "export.csv"):
    return client.post(
        START,
        {
            "school": (school or world.school_a).pk,
            "school_year": year.pk,
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        },
    )


def imported(world, year, name: str = "import_utf8_semicolon.csv", *, confirm_left: bool = False):
    return import_apply(
        school=world.school_a,
        school_year=year,
        data=fixture(name),
        actor=world.functional_admin,
        now=NOW,
        confirm_left=confirm_left,
    )


# --- Who may use the pages ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_other_roles_get_403_on_every_import_page(world, persona):
    client = signed_in_client(getattr(world, persona))
    for path in (START, PREVIEW, RESULT, LEFT, f"{LEFT}?school={world.school_a.pk}"):
        assert client.get(path).status_code == 403, path
    assert client.post(START, {"school": world.school_a.pk}).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(world):
    from django.test import Client

    response = Client().get(START)
    assert response.status_code == 302
    assert "/account/inloggen/" in response["Location"]


@pytest.mark.django_db
def test_functional_admin_pages(world, year):
    client = signed_in_client(world.functional_admin)
    start = client.get(START)
    assert start.status_code == 200
    assert list(start.context["form"].fields["school"].queryset) == [world.school_a]
    assert list(start.context["form"].fields["school_year"].queryset) == [year]
    assert start["Cache-Control"].startswith("max-age=0")
    # Nothing uploaded yet: the preview and the result send the user back to the start.
    assert client.get(PREVIEW)["Location"] == START
    assert client.get(RESULT)["Location"] == START
    assert client.get(LEFT)["Location"] == f"{LEFT}?school={world.school_a.pk}"
    assert client.get(f"{LEFT}?school={world.school_a.pk}").status_code == 200


@pytest.mark.django_db
def test_another_boards_school_answers_404(world, year):
    client = signed_in_client(world.functional_admin)
    assert (
        upload(client, world, year, fixture("import_utf8_semicolon.csv"), school=world.school_b).status_code
        == 404
    )
    assert client.get(f"{LEFT}?school={world.school_b.pk}").status_code == 404
    assert client.get(f"{LEFT}?school=999999").status_code == 404
    assert client.get(f"{LEFT}?school=abc").status_code == 404
    assert not m.Pupil.objects.filter(school=world.school_b).exclude(pk=world.pupil_b.pk).exists()


@pytest.mark.django_db
def test_an_upload_for_another_boards_school_in_the_session_answers_404(world, year):
    client = signed_in_client(world.functional_admin)
    upload(client, world, year, fixture("import_utf8_semicolon.csv"))
    session = client.session
    session[SESSION_UPLOAD] = {**session[SESSION_UPLOAD], "school_id": world.school_b.pk}
    session.save()
    assert client.get(PREVIEW).status_code == 404


# --- Upload, preview, apply -------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_preview_and_apply(world, year):
    client = signed_in_client(world.functional_admin)
    response = upload(client, world, year, fixture("import_utf8_semicolon.csv"))
    assert response.status_code == 302
    assert response["Location"] == PREVIEW  # the file is in the session, never in the URL
    stored = client.session[SESSION_UPLOAD]
    assert (stored["school_id"], stored["school_year_id"], stored["filename"]) == (
        world.school_a.pk,
        year.pk,
        "export.csv",
    )

    preview = client.get(PREVIEW)
    assert preview.status_code == 200
    data = preview.context["preview"]
    assert (len(data.created), data.left_count, data.groups_created) == (
        14,
        0,
        ["1/2a", "3", "4/5", "6", "8b"],
    )
    assert "Çelik, Emre" in preview.content.decode()
    assert m.Pupil.objects.filter(school=world.school_a).count() == 2  # only the world's own pupils

    applied = client.post(PREVIEW, {"sha256": stored["sha256"], "expected_left": 0})
    assert applied.status_code == 302
    assert applied["Location"] == RESULT
    assert m.Pupil.objects.filter(school=world.school_a).count() == 16
    assert SESSION_UPLOAD not in client.session
    event = AuditEvent.objects.get(action="pupils_imported")
    assert (event.actor, event.summary["pupils_created"]) == (world.functional_admin, 14)

    result = client.get(RESULT)
    assert result.status_code == 200
    assert result.context["result"]["pupils_created"] == 14
    assert result.context["changed"] is True


@pytest.mark.django_db
def test_a_file_with_errors_shows_every_error_and_cannot_be_applied(world, year):
    client = signed_in_client(world.functional_admin)
    upload(client, world, year, fixture("import_bad_rows.csv"))
    preview = client.get(PREVIEW)
    assert [e.line for e in preview.context["preview"].errors] == [3, 4, 5, 6, 7]
    html = preview.content.decode()
    message = nl(
        "%(field)s: %(value)s is not an existing date.",
        field=nl("Date of birth (geboortedatum)"),
        value="31-02-2018",
    )
    assert escape(message) in html
    assert 'name="confirm_left"' not in html
    assert escape(nl("Import now")) not in html

    sha = client.session[SESSION_UPLOAD]["sha256"]
    refused = client.post(PREVIEW, {"sha256": sha, "expected_left": 0})
    assert refused.status_code == 200
    assert refused.context["refusal"] == nl_plural(
        "The file has %(count)s error. Nothing has been imported.",
        "The file has %(count)s errors. Nothing has been imported.",
        6,
    )
    assert not m.Pupil.objects.filter(admin_number__in=["3001", "3007"]).exists()


@pytest.mark.django_db
def test_marking_pupils_as_left_needs_the_checkbox(world, year):
    imported(world, year)
    client = signed_in_client(world.functional_admin)
    upload(client, world, year, fixture("import_followup.csv"))
    preview = client.get(PREVIEW)
    assert preview.context["preview"].left_count == 2
    html = preview.content.decode()
    assert (
        escape(
            nl_plural(
                "I confirm that %(count)s pupil who is not in the file will be marked as left.",
                "I confirm that %(count)s pupils who are not in the file will be marked as left.",
                2,
            )
        )
        in html
    )
    sha = client.session[SESSION_UPLOAD]["sha256"]

    unconfirmed = client.post(PREVIEW, {"sha256": sha, "expected_left": 2})
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors["confirm_left"] == [
        nl_plural(
            "Tick this box to confirm that %(count)s pupil will be marked as left.",
            "Tick this box to confirm that %(count)s pupils will be marked as left.",
            2,
        )
    ]
    assert m.Enrolment.objects.filter(school=world.school_a, left_on__isnull=False).count() == 0

    confirmed = client.post(PREVIEW, {"sha256": sha, "expected_left": 2, "confirm_left": "on"})
    assert confirmed.status_code == 302
    assert (
        m.Enrolment.objects.filter(school=world.school_a, left_on=NOW.date(), left_confirmed=False).count()
        == 2
    )


@pytest.mark.django_db
def test_a_changed_left_count_since_the_preview_is_refused(world, year):
    imported(world, year)
    client = signed_in_client(world.functional_admin)
    upload(client, world, year, fixture("import_followup.csv"))
    sha = client.session[SESSION_UPLOAD]["sha256"]
    # The user saw 1 pupil to mark as left, but there are 2 now.
    response = client.post(PREVIEW, {"sha256": sha, "expected_left": 1, "confirm_left": "on"})
    assert response.status_code == 200
    assert response.context["refusal"] == nl(
        "Since the preview, the number of pupils to be marked as left changed from %(before)s to "
        "%(now)s. Check the preview again. Nothing has been imported.",
        before=1,
        now=2,
    )
    assert m.Enrolment.objects.filter(school=world.school_a, left_on__isnull=False).count() == 0


SPREADSHEET = (
    "This is not a CSV file. If it is a spreadsheet, save it as CSV "
    "(separated by semicolons or commas) and upload that file."
)
NO_HEADER = (
    "The first line must hold the column names, including the pupil administration number "
    "(leerlingnummer). See the column list on this page."
)
TOO_LARGE = "The file is larger than 10 MB. Export only the pupils of this school."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, SPREADSHEET),
        (b"PK\x03\x04" + b"0" * 100, SPREADSHEET),
        (b"naam;adres\nA;B\n", NO_HEADER),
        (b"leerlingnummer;roepnaam\n" + b"x" * (10 * 1024 * 1024), TOO_LARGE),
    ],
)
def test_only_csv_by_content_and_at_most_10_mb(world, year, data, message):
    client = signed_in_client(world.functional_admin)
    response = upload(client, world, year, data, name="leerlingen.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [nl(message)]
    assert SESSION_UPLOAD not in client.session


@pytest.mark.django_db
def test_posts_need_a_csrf_token(world, year):
    client = signed_in_client(world.functional_admin, enforce_csrf=True)
    response = upload(client, world, year, fixture("import_utf8_semicolon.csv"))
    assert response.status_code == 403
    assert SESSION_UPLOAD not in client.session

    # With the token the upload works; applying without it is refused and writes nothing.
    client.cookies[settings.CSRF_COOKIE_NAME] = "k" * 32
    ok = client.post(
        START,
        {
            "school": world.school_a.pk,
            "school_year": year.pk,
            "file": SimpleUploadedFile("export.csv", fixture("import_utf8_semicolon.csv")),
            "csrfmiddlewaretoken": "k" * 32,
        },
    )
    assert ok.status_code == 302
    sha = client.session[SESSION_UPLOAD]["sha256"]
    client.cookies.pop(settings.CSRF_COOKIE_NAME)
    assert client.post(PREVIEW, {"sha256": sha, "expected_left": 0}).status_code == 403
    assert m.Pupil.objects.filter(school=world.school_a).count() == 2
    enrolment = m.Enrolment.objects.create(
        board=world.board, school=world.school_a, pupil=world.pupil_a, enrolled_on=dt.date(2024, 8, 1)
    )
    enrolment.left_on = dt.date(2026, 11, 24)
    enrolment.save()
    assert client.post(f"{LEFT}?school={world.school_a.pk}", {"undo": enrolment.pk}).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.left_on == dt.date(2026, 11, 24)


# --- Confirming leaving -------------------------------------------------------------------------------


@pytest.fixture
def leavers(world, year):
    imported(world, year)
    imported(world, year, "import_followup.csv", confirm_left=True)
    return {
        number: m.Enrolment.objects.get(pupil__school=world.school_a, pupil__admin_number=number)
        for number in ("1002", "1013")
    }


@pytest.mark.django_db
def test_the_left_page_lists_and_confirms(world, leavers):
    client = signed_in_client(world.functional_admin)
    url = f"{LEFT}?school={world.school_a.pk}"
    page = client.get(url)
    assert [e.pk for e, _c, _d in page.context["form"].rows()] == [leavers["1002"].pk, leavers["1013"].pk]
    html = page.content.decode()
    assert f'for="id_left_on_{leavers["1002"].pk}"' in html  # every field has a label
    assert 'value="2026-11-24"' in html

    emre = leavers["1002"].pk
    response = client.post(url, {f"confirm_{emre}": "on", f"left_on_{emre}": "2026-11-20"})
    assert response.status_code == 302
    assert response["Location"] == url
    enrolment = m.Enrolment.objects.get(pk=emre)
    assert (enrolment.left_on, enrolment.left_confirmed) == (dt.date(2026, 11, 20), True)
    assert m.Enrolment.objects.get(pk=leavers["1013"].pk).left_confirmed is False
    assert (
        AuditEvent.objects.filter(action="pupils_leaving_confirmed", actor=world.functional_admin).count()
        == 1
    )


@pytest.mark.django_db
def test_a_leaving_date_before_enrolment_is_shown_next_to_the_field(world, leavers):
    client = signed_in_client(world.functional_admin)
    emre = leavers["1002"].pk
    response = client.post(
        f"{LEFT}?school={world.school_a.pk}", {f"confirm_{emre}": "on", f"left_on_{emre}": "2018-07-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"left_on_{emre}"] == [
        nl("The leaving date cannot lie before the enrolment date %(date)s.", date="01-08-2018")
    ]
    html = response.content.decode()
    assert f'id="id_left_on_{emre}_error"' in html
    assert 'value="2018-07-01"' in html  # what the user typed stays
    assert m.Enrolment.objects.get(pk=emre).left_confirmed is False


@pytest.mark.django_db
def test_keep_a_pupil_enrolled(world, leavers):
    client = signed_in_client(world.functional_admin)
    chloe = leavers["1013"].pk
    response = client.post(f"{LEFT}?school={world.school_a.pk}", {"undo": chloe})
    assert response.status_code == 302
    assert m.Enrolment.objects.get(pk=chloe).left_on is None
    # Another school's enrolment, or one that is no longer provisionally left: 404.
    assert client.post(f"{LEFT}?school={world.school_a.pk}", {"undo": chloe}).status_code == 404
