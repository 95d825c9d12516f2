"""The pages: filing and the receipt, the board's list and report page with its step forms, and who
gets 404 (the director included). Real clock: reports are filed "now"; dates relative to today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.dossier.selectors import chronology_for, chronology_kinds
from misconduct.models import MisconductReport, MisconductStep
from misconduct.services import DOSSIER_TITLES
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

from .helpers import ACCUSED, FACTS, ctx_for, file_report, other_board_member

pytestmark = pytest.mark.django_db


def filed_now(world, **overrides):
    overrides.setdefault("actor", world.staff_a)
    overrides.setdefault("now", timezone.now())
    overrides.setdefault("aware_on", timezone.localdate())
    return file_report(world, **overrides)


def granted(user) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.GRANTED).order_by("pk"))


def report_form_data(world, **overrides):
    data = {
        "school": world.school_a.pk,
        "kind": "sexual",
        "accused": ACCUSED,
        "facts": FACTS,
        "source": "observed",
        "told_by": "",
        "aware_on": timezone.localdate().isoformat(),
        "pupils": [world.pupil_a.pk],
    }
    data.update(overrides)
    return data


def test_a_staff_member_files_a_report_and_sees_only_the_receipt(world):
    client = signed_in_client(world.staff_a)
    form = client.get("/wpo4a/melden/")
    assert form.status_code == 200
    assert h(t("Send to the board")) in form.content.decode()
    response = client.post("/wpo4a/melden/", report_form_data(world))
    report = MisconductReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/wpo4a/meldingen/{report.pk}/ontvangen/"
    assert (report.reported_by, report.reporter_role, report.school) == (
        world.staff_a,
        "staff",
        world.school_a,
    )
    assert list(report.pupils.all()) == [world.pupil_a]

    receipt = client.get(response["Location"])
    page = receipt.content.decode()
    assert receipt.status_code == 200
    assert report.reference in page
    assert timezone.localtime(report.reported_at).strftime("%d-%m-%Y %H:%M") in page
    # Nothing of the content: not the facts, not whom it is about, not the pupil.
    assert "CANARY" not in page and world.pupil_a.achternaam not in page
    assert granted(world.staff_a)[-1].object_id == str(report.pk)
    assert receipt["Cache-Control"].startswith("max-age=0")

    assert client.get(f"/wpo4a/meldingen/{report.pk}/").status_code == 404
    assert client.get("/wpo4a/").status_code == 404


def test_bad_input_is_refused_at_the_field_and_what_was_typed_stays(world):
    client = signed_in_client(world.teacher_a)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        "/wpo4a/melden/",
        report_form_data(world, accused="", source="told", told_by="", aware_on=tomorrow.isoformat()),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        h(t("Say who it is about: a name and function, or describe the person if you do not know the name."))
        in page
    )
    assert MisconductReport.objects.count() == 0
    assert FACTS in page  # the facts typed are still in the form
    # The service's refusals appear at their fields too.
    response = client.post(
        "/wpo4a/melden/", report_form_data(world, source="told", told_by="", aware_on=tomorrow.isoformat())
    )
    page = response.content.decode()
    assert h(t("Say who told you (for example: the pupil, a parent, a colleague).")) in page
    assert (
        h(
            t(
                "The date you learned of it cannot lie in the future. Enter a date on or before %(day)s.",
                day=timezone.localdate().strftime("%d-%m-%Y"),
            )
        )
        in page
    )
    assert MisconductReport.objects.count() == 0


def test_a_pupil_of_another_school_is_not_a_choice(world):
    client = signed_in_client(world.teacher_a)
    response = client.post("/wpo4a/melden/", report_form_data(world, pupils=[world.pupil_b.pk]))
    assert response.status_code == 200
    assert MisconductReport.objects.count() == 0
    assert world.pupil_b.achternaam not in response.content.decode()


def test_filing_for_a_school_one_does_not_work_at_is_not_possible(world):
    # teacher_a posts school B's id: the form falls back to the teacher's own school.
    client = signed_in_client(world.teacher_a)
    client.post(
        f"/wpo4a/melden/?school={world.school_b.pk}", report_form_data(world, school=world.school_b.pk)
    )
    assert MisconductReport.objects.get().school == world.school_a


def test_the_board_sees_the_report_and_records_steps(world):
    report = filed_now(world)
    client = signed_in_client(world.board_member)
    listing = client.get("/wpo4a/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert report.reference in page and h(t("Consult the vertrouwensinspecteur")) in page

    detail = client.get(f"/wpo4a/meldingen/{report.pk}/")
    page = detail.content.decode()
    assert detail.status_code == 200
    assert FACTS in page and ACCUSED in page and world.pupil_a.full_name in page
    log = granted(world.board_member)
    assert [(e.object_type, e.object_id) for e in log] == [
        ("misconduct.list", "reports"),
        ("misconduct.misconductreport", str(report.pk)),
    ]

    today = timezone.localdate().isoformat()
    response = client.post(
        f"/wpo4a/meldingen/{report.pk}/stappen/consult/",
        {"consult-done_on": today, "consult-note": "Advies: aangifte doen."},
    )
    assert response.status_code == 302
    assert MisconductStep.objects.get().code == "consult"
    # A refusal shows at the field and keeps the typed reasons.
    response = client.post(
        f"/wpo4a/meldingen/{report.pk}/stappen/suspicion/",
        {"suspicion-done_on": today, "suspicion-note": "REDENEN-GETYPT"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert h(t("Choose yes or no.")) in page and "REDENEN-GETYPT" in page
    response = client.post(
        f"/wpo4a/meldingen/{report.pk}/stappen/suspicion/",
        {"suspicion-done_on": today, "suspicion-note": "Geen aanwijzingen.", "suspicion-decision": "no"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed"
    # A step of another route, or an unknown one, is not a page.
    assert client.post(f"/wpo4a/meldingen/{report.pk}/stappen/conversation/", {}).status_code == 404
    assert client.post(f"/wpo4a/meldingen/{report.pk}/stappen/nonsense/", {}).status_code == 404


def test_a_step_no_longer_offered_says_why(world):
    report = filed_now(world)
    client = signed_in_client(world.board_member)
    today = timezone.localdate().isoformat()
    client.post(
        f"/wpo4a/meldingen/{report.pk}/stappen/consult/", {"consult-done_on": today, "consult-note": "x"}
    )
    again = client.post(
        f"/wpo4a/meldingen/{report.pk}/stappen/consult/", {"consult-done_on": today, "consult-note": "y"}
    )
    assert again.status_code == 200
    assert h(t("This step has been recorded already.")) in again.content.decode()
    assert MisconductStep.objects.count() == 1


@pytest.mark.parametrize(
    "persona",
    [
        "teacher_a",
        "ib_a",
        "director_a",
        "deputy_a",
        "confidant_a",
        "privacy_officer",
        "functional_admin",
        "teacher_b",
    ],
)
def test_everyone_but_the_board_gets_404(world, persona):
    report = filed_now(world)
    client = signed_in_client(getattr(world, persona))
    for path in (
        "/wpo4a/",
        f"/wpo4a/meldingen/{report.pk}/",
        f"/wpo4a/meldingen/{report.pk}/ontvangen/",
    ):
        assert client.get(path).status_code == 404, path
    today = timezone.localdate().isoformat()
    for path, data in (
        (f"/wpo4a/meldingen/{report.pk}/stappen/consult/", {"consult-done_on": today, "consult-note": "x"}),
        (f"/wpo4a/meldingen/{report.pk}/afsluiten/", {"close-note": "x"}),
    ):
        assert client.post(path, data).status_code == 404, path
    assert MisconductStep.objects.count() == 0
    assert granted(getattr(world, persona)) == []


def test_a_refused_attempt_by_the_director_is_logged_as_refused(world):
    report = filed_now(world)
    signed_in_client(world.director_a).get(f"/wpo4a/meldingen/{report.pk}/")
    entry = AccessLogEntry.objects.get(user=world.director_a)
    assert (entry.outcome, entry.object_id) == (AccessOutcome.DENIED, str(report.pk))


def test_another_boards_board_gets_404(world):
    report = filed_now(world)
    client = signed_in_client(other_board_member(world))
    assert client.get(f"/wpo4a/meldingen/{report.pk}/").status_code == 404
    listing = client.get("/wpo4a/")
    assert listing.status_code == 200 and report.reference not in listing.content.decode()


@pytest.mark.parametrize("persona", ["director_a", "deputy_a", "ib_a", "teacher_a", "confidant_a"])
def test_the_report_never_shows_in_the_pupil_chronology(world, persona):
    filed_now(world, actor=world.teacher_a)
    user = getattr(world, persona)
    ctx = ctx_for(user)
    assert list(chronology_for(ctx, world.pupil_a)) == []
    assert "misconduct_report" not in chronology_kinds(ctx, world.pupil_a)


@pytest.mark.parametrize("persona", ["director_a", "ib_a", "teacher_a"])
def test_the_pupil_page_does_not_show_the_report(world, persona):
    report = filed_now(world, actor=world.teacher_a)
    page = signed_in_client(getattr(world, persona)).get(f"/leerlingen/{world.pupil_a.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert report.reference not in content
    assert h(DOSSIER_TITLES["sexual"]) not in content and "CANARY" not in content


def test_the_physical_route_on_the_board_page(world):
    report = filed_now(world, kind="physical")
    client = signed_in_client(world.board_member)
    page = client.get(f"/wpo4a/meldingen/{report.pk}/").content.decode()
    for label in (
        "Talk with the reporter and those involved",
        "Inform the parents",
        "Measures concerning the staff member",
        "Decide whether to file an aangifte",
    ):
        assert h(t(label)) in page
    assert h(t("Has the board filed an aangifte?")) in page
    today = timezone.localdate().isoformat()
    for code in ("conversation", "parents_informed", "measures"):
        response = client.post(
            f"/wpo4a/meldingen/{report.pk}/stappen/{code}/",
            {f"{code}-done_on": today, f"{code}-note": "Gedaan."},
        )
        assert response.status_code == 302
    refused = client.post(f"/wpo4a/meldingen/{report.pk}/afsluiten/", {"close-note": "Klaar."})
    assert refused.status_code == 200
    assert h(t("Decide whether to file an aangifte").lower()) in refused.content.decode()
    client.post(
        f"/wpo4a/meldingen/{report.pk}/stappen/police_considered/",
        {
            "police_considered-done_on": today,
            "police_considered-decision": "no",
            "police_considered-note": "Geen.",
        },
    )
    closed = client.post(f"/wpo4a/meldingen/{report.pk}/afsluiten/", {"close-note": "Afgehandeld."})
    assert closed.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.closing_note) == ("closed", "Afgehandeld.")
