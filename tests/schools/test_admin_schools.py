"""Schools: list, create, edit, letterhead logo, mandate and the time-out maximum."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext
from PIL import Image

from lev.audit.models import AuditEvent
from lev.schools.models import DecisionMaker, Denominatie, School, TimeOutMaximum
from tests.conftest import signed_in_client

# Messages are compared through gettext, so the tests keep passing once the Dutch catalogue exists.
BAD_BRIN = "A BRIN code is two digits and two letters or digits, for example 12AB."
DUPLICATE_BRIN = "Another school in LEV already has this BRIN code. Check the code with DUO."
BAD_POSTCODE = "A Dutch postcode is four digits and two letters, for example 2771 AB."
CONFIRM_LONG_TIMEOUT = (
    "A time-out of more than one school day counts as a schorsing for the Inspectie. "
    "Confirm that you understand this, or choose 1 day or the rest of the day."
)
INSPECTIE_WARNING = (
    "Warning: the Inspectie treats an internal time-out of more than one school day as a schorsing. "
    "A schorsing has its own rules: at most one week, a written decision with reasons for the parents, "
    "and a report to the Inspectie when it lasts longer than one day (WPO art. 40c)."
)
NOT_AN_IMAGE = "The logo must be a PNG or JPEG image. This file is not one, whatever its name says."
UNREADABLE = "The logo could not be read as an image. Save it again as PNG or JPEG and upload it."
TOO_LARGE = "The logo is larger than 1 MB. Make the image smaller and upload it again."


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_bytes(fmt: str, size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (21, 66, 115)).save(buffer, format=fmt)
    return buffer.getvalue()


def school_data(**overrides) -> dict:
    data = {
        "name": "De Zonnebloem",
        "brin": "33cc",
        "street": "Laan 1",
        "postcode": "2771ab",
        "city": "Boskoop",
        "phone": "0172 123456",
        "email": "info@zonnebloem.example",
        "denominatie": Denominatie.BIJZONDER,
        "timeout_decided_by": DecisionMaker.DIRECTOR,
        "suspension_decided_by": DecisionMaker.BOARD,
        "expulsion_decided_by": DecisionMaker.BOARD,
        "timeout_maximum": TimeOutMaximum.REST_OF_DAY,
        "timeout_maximum_days": "",
        "attendance_office": "Leerplicht Midden-Holland",
        "attendance_office_email": "leerplicht@gemeente.example",
        "partnership": "SWV Driegang",
    }
    data.update(overrides)
    return data


def edit_data(school: School, **overrides) -> dict:
    data = school_data(
        name=school.name,
        brin=school.brin,
        street=school.street,
        postcode=school.postcode,
        city=school.city,
        phone=school.phone,
        email=school.email,
        attendance_office=school.attendance_office,
        attendance_office_email=school.attendance_office_email,
        partnership=school.partnership,
        meldcode_final_responsible="",
        antibullying_coordinator="",
        contact_person="",
    )
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_list_shows_the_boards_schools_with_their_pupil_counts(world):
    html = signed_in_client(world.functional_admin).get("/beheer/scholen/").content.decode()
    assert "De Regenboog" in html
    assert "11AA" in html
    assert "De Vuurtoren" not in html  # another board's school
    # School A has two pupils (pupil_a and pupil_a_other).
    assert '<td class="text-end">2</td>' in html


@pytest.mark.django_db
def test_create_a_school_for_the_own_board_is_audited_without_names(world):
    client = signed_in_client(world.functional_admin)
    response = client.post("/beheer/scholen/nieuw/", school_data())
    school = School.objects.get(brin="33CC")
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/scholen/{school.pk}/"
    assert school.board == world.board
    assert (school.name, school.postcode, school.partnership) == ("De Zonnebloem", "2771 AB", "SWV Driegang")
    assert school.timeout_maximum_days == 1
    event = AuditEvent.objects.get(action="school_created")
    assert event.actor == world.functional_admin
    assert event.board == world.board
    assert event.object_id == str(school.pk)
    assert "Zonnebloem" not in str(event.summary)
    assert "brin" in event.summary["fields"]


@pytest.mark.django_db
def test_bad_brin_postcode_and_duplicate_brin_are_refused_next_to_the_field(world):
    client = signed_in_client(world.functional_admin)
    response = client.post("/beheer/scholen/nieuw/", school_data(brin="A1", postcode="27711"))
    html = text(response)
    assert response.status_code == 200
    assert gettext(BAD_BRIN) in html
    assert gettext(BAD_POSTCODE) in html
    assert 'value="De Zonnebloem"' in html  # nothing typed is lost
    response = client.post("/beheer/scholen/nieuw/", school_data(brin="22bb"))  # school B's BRIN
    assert response.status_code == 200
    assert gettext(DUPLICATE_BRIN) in text(response)
    assert School.objects.count() == 2
    assert not AuditEvent.objects.exclude(action="login").exists()


@pytest.mark.django_db
def test_edit_sets_mandate_denominatie_and_people_among_the_schools_members(world):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    response = client.post(
        f"/beheer/scholen/{school.pk}/",
        edit_data(
            school,
            denominatie=Denominatie.OPENBAAR,
            suspension_decided_by=DecisionMaker.DIRECTOR,
            meldcode_final_responsible=world.director_a.pk,
            antibullying_coordinator=world.ib_a.pk,
            contact_person=world.confidant_a.pk,
        ),
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.denominatie == Denominatie.OPENBAAR
    assert school.suspension_decided_by == DecisionMaker.DIRECTOR
    assert school.meldcode_final_responsible == world.director_a
    assert school.antibullying_coordinator == world.ib_a
    assert school.contact_person == world.confidant_a
    event = AuditEvent.objects.get(action="school_updated")
    assert set(event.summary["fields"]) >= {
        "denominatie",
        "suspension_decided_by",
        "meldcode_final_responsible",
        "antibullying_coordinator",
        "contact_person",
    }
    assert world.director_a.username not in str(event.summary)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_b", "board_member", "deactivated"])
def test_people_without_a_role_at_the_school_cannot_be_chosen(world, persona):
    # teacher_b works at another board; the board member is board-wide, not at the school;
    # the deactivated user's account is inactive.
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    response = client.post(
        f"/beheer/scholen/{school.pk}/", edit_data(school, contact_person=getattr(world, persona).pk)
    )
    assert response.status_code == 200
    assert "lev-field-error" in response.content.decode()
    school.refresh_from_db()
    assert school.contact_person is None
    assert not AuditEvent.objects.exclude(action="login").exists()


@pytest.mark.django_db
def test_a_time_out_of_more_than_one_day_needs_the_inspectie_warning_confirmed(world):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    data = edit_data(school, timeout_maximum=TimeOutMaximum.SCHOOL_DAYS, timeout_maximum_days="3")
    response = client.post(f"/beheer/scholen/{school.pk}/", data)
    html = text(response)
    assert response.status_code == 200
    assert gettext(INSPECTIE_WARNING) in html
    assert gettext(CONFIRM_LONG_TIMEOUT) in html
    assert 'name="confirm_long_timeout"' in html
    school.refresh_from_db()
    assert (school.timeout_maximum, school.timeout_maximum_days) == (TimeOutMaximum.REST_OF_DAY, 1)

    response = client.post(f"/beheer/scholen/{school.pk}/", {**data, "confirm_long_timeout": "on"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.timeout_maximum, school.timeout_maximum_days) == (TimeOutMaximum.SCHOOL_DAYS, 3)
    event = AuditEvent.objects.get(action="school_updated")
    assert (event.summary["timeout_maximum"], event.summary["timeout_maximum_days"]) == ("school_days", 3)
    # The saved setting keeps showing the warning; saving something else needs no new confirmation.
    assert gettext(INSPECTIE_WARNING) in text(client.get(f"/beheer/scholen/{school.pk}/"))
    response = client.post(f"/beheer/scholen/{school.pk}/", {**data, "phone": "0172 654321"})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "6"])
def test_time_out_days_must_lie_between_1_and_5(world, days):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    response = client.post(
        f"/beheer/scholen/{school.pk}/",
        edit_data(
            school,
            timeout_maximum=TimeOutMaximum.SCHOOL_DAYS,
            timeout_maximum_days=days,
            confirm_long_timeout="on",
        ),
    )
    assert response.status_code == 200
    assert "lev-field-error" in response.content.decode()
    school.refresh_from_db()
    assert school.timeout_maximum_days == 1


@pytest.mark.django_db
def test_one_school_day_needs_no_confirmation_and_rest_of_day_resets_the_days(world):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    response = client.post(
        f"/beheer/scholen/{school.pk}/",
        edit_data(school, timeout_maximum=TimeOutMaximum.SCHOOL_DAYS, timeout_maximum_days="1"),
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.timeout_maximum, school.timeout_maximum_days) == (TimeOutMaximum.SCHOOL_DAYS, 1)
    response = client.post(
        f"/beheer/scholen/{school.pk}/",
        edit_data(school, timeout_maximum=TimeOutMaximum.REST_OF_DAY, timeout_maximum_days="4"),
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.timeout_maximum, school.timeout_maximum_days) == (TimeOutMaximum.REST_OF_DAY, 1)


# --- The letterhead logo --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg")])
def test_a_png_or_jpeg_logo_is_stored_and_shown_as_a_preview(world, fmt, extension):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    upload = SimpleUploadedFile("logo.bin", image_bytes(fmt), content_type="application/octet-stream")
    response = client.post(f"/beheer/scholen/{school.pk}/", {**edit_data(school), "logo": upload})
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.letterhead_logo.name.startswith(f"logos/school-{school.pk}-")
    assert school.letterhead_logo.name.endswith(f".{extension}")
    assert school.letterhead_logo.read() == image_bytes(fmt)
    school.letterhead_logo.close()
    assert AuditEvent.objects.get(action="school_updated").summary["logo"] == "added"
    html = client.get(f"/beheer/scholen/{school.pk}/").content.decode()
    assert 'src="data:image/' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', NOT_AN_IMAGE),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", NOT_AN_IMAGE),
        (b"\x89PNG\r\n\x1a\n<html>not really a png</html>", UNREADABLE),
        (b"GIF89a\x01\x00\x01\x00", NOT_AN_IMAGE),
    ],
    ids=["svg", "html", "fake-png-header", "gif"],
)
def test_a_file_that_is_not_png_or_jpeg_is_refused_whatever_its_name(world, content, message):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    upload = SimpleUploadedFile("logo.png", content, content_type="image/png")
    response = client.post(f"/beheer/scholen/{school.pk}/", {**edit_data(school), "logo": upload})
    assert response.status_code == 200
    html = text(response)
    assert "lev-field-error" in html
    assert gettext(message) in html
    school.refresh_from_db()
    assert not school.letterhead_logo
    assert not AuditEvent.objects.exclude(action="login").exists()


@pytest.mark.django_db
def test_a_logo_over_1_mb_is_refused(world):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    big = image_bytes("PNG") + b"\0" * (1024 * 1024)
    upload = SimpleUploadedFile("logo.png", big, content_type="image/png")
    response = client.post(f"/beheer/scholen/{school.pk}/", {**edit_data(school), "logo": upload})
    assert response.status_code == 200
    assert gettext(TOO_LARGE) in text(response)
    school.refresh_from_db()
    assert not school.letterhead_logo


@pytest.mark.django_db
def test_the_logo_can_be_removed_and_the_file_goes_too(world, django_capture_on_commit_callbacks):
    client = signed_in_client(world.functional_admin)
    school = world.school_a
    upload = SimpleUploadedFile("logo.png", image_bytes("PNG"), content_type="image/png")
    client.post(f"/beheer/scholen/{school.pk}/", {**edit_data(school), "logo": upload})
    school.refresh_from_db()
    storage, name = school.letterhead_logo.storage, school.letterhead_logo.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/scholen/{school.pk}/", {**edit_data(school), "remove_logo": "on"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert not school.letterhead_logo
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action="school_updated").last().summary["logo"] == "removed"
