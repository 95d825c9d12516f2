"""Letter pages: who sees and does what, errors kept next to the field, the stored PDF served only
through the access check (attachment, nosniff, no-store), and the access log."""

from __future__ import annotations

import datetime as dt

import pytest

from communications import letter_services as svc
from communications.letter_models import Letter, LetterCopy, LetterStatus
from lev.audit.models import AccessLogEntry
from tests.communications.test_letters import NOW, draft, guardian, reviewed_template, samples
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _school_phone(world):
    """Letters name the school's phone number as the contact (a required element)."""
    world.school_a.phone = "0172 123 456"
    world.school_a.city = "Boskoop"
    world.school_a.save()


def test_new_letter_then_edit_keeps_typed_input_on_errors(world):
    from lev.schools.models import Enrolment

    Enrolment.objects.create(
        board=world.board, school=world.school_a, pupil=world.pupil_a, enrolled_on=dt.date(2020, 8, 1)
    )
    client = signed_in_client(world.ib_a)
    # Only current pupils of the school can be chosen.
    assert (
        client.post(
            "/brieven/nieuw/", {"kind": "timeout_melding", "pupil": world.pupil_a_other.pk}
        ).status_code
        == 200
    )
    refused = client.post("/brieven/nieuw/", {"kind": "timeout_melding"})
    assert refused.status_code == 200
    assert "pupil" in refused.context["form"].errors
    response = client.post("/brieven/nieuw/", {"kind": "timeout_melding", "pupil": world.pupil_a.pk})
    letter = Letter.objects.get()
    assert response["Location"] == f"/brieven/{letter.pk}/bewerken/"
    data = {f"value_{k}": v for k, v in samples("timeout_melding").items()}
    data["value_werkplek"] = "in groep 7a"
    assert client.post(f"/brieven/{letter.pk}/bewerken/", data).status_code == 302
    letter.refresh_from_db()
    assert letter.values["werkplek"] == "in groep 7a"


def test_the_pupil_page_preselects_its_pupil_of_this_school_only(world):
    from lev.schools.models import Enrolment

    Enrolment.objects.create(
        board=world.board, school=world.school_a, pupil=world.pupil_a, enrolled_on=dt.date(2020, 8, 1)
    )
    client = signed_in_client(world.ib_a)
    response = client.get(f"/brieven/nieuw/?leerling={world.pupil_a.pk}")
    assert response.context["form"]["pupil"].value() == world.pupil_a.pk
    # Another board's pupil (or anything else) is ignored, not an error.
    for value in (str(world.pupil_b.pk), "abc", ""):
        response = client.get(f"/brieven/nieuw/?leerling={value}")
        assert response.status_code == 200
        assert response.context["form"]["pupil"].value() is None


def test_incident_letter_r2a_fields_required_together(world):
    client = signed_in_client(world.ib_a)
    client.post("/brieven/nieuw/", {"kind": "incident_eigen_groep", "groups": [world.group_a.pk]})
    letter = Letter.objects.get()
    assert letter.group_ids == [world.group_a.pk]
    data = {f"value_{k}": v for k, v in samples("incident_eigen_groep").items() if not k.startswith("thuis")}
    data["stays_home"] = "on"
    response = client.post(f"/brieven/{letter.pk}/bewerken/", data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"stays_home_pupil", "stays_home_first", "stays_home_last"}
    assert response.context["form"]["value_situatie"].value() == data["value_situatie"]


def test_detail_shows_checks_and_logs_the_read(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding", values=samples("timeout_melding") | {"werkplek": ""})
    response = signed_in_client(world.director_a).get(f"/brieven/{letter.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.context["check"].missing == ("waar de leerling werkt",)
    assert (
        AccessLogEntry.objects.filter(
            object_type="communications.letter", object_id=str(letter.pk), user=world.director_a
        ).count()
        == 1
    )


def test_access_per_persona(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding")
    url = f"/brieven/{letter.pk}/"
    for persona in ("ib_a", "director_a", "deputy_a"):
        assert signed_in_client(getattr(world, persona)).get(url).status_code == 200, persona
    for persona in (
        "teacher_a",
        "staff_a",
        "confidant_a",
        "board_member",
        "privacy_officer",
        "functional_admin",
    ):
        assert signed_in_client(getattr(world, persona)).get(url).status_code == 403, persona
    assert signed_in_client(world.teacher_b).get(url).status_code == 404


def test_board_sees_submitted_board_letters_only(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    reviewed_template(world, "verwijdering_besluit")
    letter = draft(world, "verwijdering_besluit")
    board = signed_in_client(world.board_member)
    assert board.get(f"/brieven/{letter.pk}/").status_code == 403  # a draft is the school's
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    page = board.get(f"/brieven/{letter.pk}/")
    assert page.status_code == 200 and page.context["may_approve"] is True
    assert board.post(f"/brieven/{letter.pk}/goedkeuren/").status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.APPROVED
    assert [row.pk for row in board.get("/brieven/").context["board_letters"]] == [letter.pk]


def test_approve_button_refused_for_the_author_changes_nothing(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding", author=world.director_a)
    svc.letter_submit(letter=letter, actor=world.director_a, now=NOW)
    client = signed_in_client(world.director_a)
    assert client.get(f"/brieven/{letter.pk}/").context["may_approve"] is False
    client.post(f"/brieven/{letter.pk}/goedkeuren/")
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SUBMITTED


def test_pdf_download_and_dispatch(world):
    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding")
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    svc.letter_render(letter.pk, now=NOW, renderer=svc.render_in_process)
    copy = LetterCopy.objects.get(letter=letter, position=1)
    client = signed_in_client(world.ib_a)
    pdf = client.get(f"/brieven/{letter.pk}/afschriften/{copy.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert pdf["Cache-Control"] == "no-store"
    assert pdf.content.startswith(b"%PDF-")
    assert (
        signed_in_client(world.teacher_b).get(f"/brieven/{letter.pk}/afschriften/{copy.pk}/pdf/").status_code
        == 404
    )
    assert (
        signed_in_client(world.teacher_a).get(f"/brieven/{letter.pk}/afschriften/{copy.pk}/pdf/").status_code
        == 403
    )
    refused = client.post(
        f"/brieven/{letter.pk}/afschriften/{copy.pk}/verzending/",
        {"method": "registered_mail", "sent_on": "2026-12-07"},
    )
    assert refused.status_code == 200 and "tracking_number" in refused.context["form"].errors
    today = dt.date.today().isoformat()
    done = client.post(
        f"/brieven/{letter.pk}/afschriften/{copy.pk}/verzending/", {"method": "by_hand", "sent_on": today}
    )
    assert done.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT


def test_polling_the_progress_does_not_keep_the_session_alive(world):
    import time

    from lev.accounts.middleware import SESSION_LAST_SEEN

    guardian(world, world.pupil_a, "Jan Jansen")
    letter = draft(world, "timeout_melding")
    svc.letter_submit(letter=letter, actor=world.ib_a, now=NOW)
    svc.letter_approve(letter=letter, actor=world.director_a, now=NOW)
    client = signed_in_client(world.ib_a)
    session = client.session
    session[SESSION_LAST_SEEN] = last_seen = time.time() - 60
    session.save()
    response = client.get(f"/brieven/{letter.pk}/voortgang/")
    assert response.status_code == 200
    assert 'id="letter-progress-bar"' in response.content.decode()
    assert client.session[SESSION_LAST_SEEN] == last_seen  # polling is not activity
    client.get(f"/brieven/{letter.pk}/")
    assert client.session[SESSION_LAST_SEEN] > last_seen  # opening the page is
