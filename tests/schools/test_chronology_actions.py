"""Correcting a chronology entry and adding the parents' view (lev/dossier/views.py): who may, what
is written, and what a refusal leaves behind (nothing)."""

import datetime as dt

import pytest
from django.utils import timezone

from lev.audit.models import AccessLogEntry, AuditEvent
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.dossier.services import entry_correct, entry_record
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
VALID = {"summary": "Zat alleen bij het hek", "correction_reason": "Plek verkeerd opgeschreven"}


def add(world, **kw):
    defaults = {
        "pupil": world.pupil_a,
        "kind": "signal",
        "title": "Signaal",
        "summary": "Zat alleen op het plein",
        "happened_at": NOW - dt.timedelta(hours=2),
        "author": world.teacher_a,
        "now": NOW,
        "observation": Observation.OBSERVED,
    }
    defaults.update(kw)
    return entry_record(**defaults)


def correct_url(entry, pupil=None):
    return f"/leerlingen/{(pupil or entry.pupil).pk}/chronologie/{entry.pk}/corrigeren/"


def view_url(pupil, about=None):
    return f"/leerlingen/{pupil.pk}/zienswijze-ouders/nieuw/" + (f"?bij={about}" if about is not None else "")


def rows():
    return list(DossierEntry.objects.order_by("pk").values())


# --- Correcting an entry --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_a", "ib_a", "director_a", "deputy_a"])
def test_the_author_and_the_schools_leads_correct_an_entry(world, persona):
    entry = add(world)
    user = getattr(world, persona)
    client = signed_in_client(user)
    page = client.get(correct_url(entry))
    assert page.status_code == 200
    assert "Zat alleen op het plein" in page.content.decode()  # the form starts from the text as it is
    response = client.post(correct_url(entry), VALID)
    assert response.status_code == 302
    assert response["Location"] == f"/leerlingen/{world.pupil_a.pk}/"
    original = DossierEntry.objects.get(pk=entry.pk)
    assert original.summary == "Zat alleen op het plein"
    correction = DossierEntry.objects.get(corrects=entry)
    assert (correction.summary, correction.correction_reason, correction.author) == (
        "Zat alleen bij het hek",
        "Plek verkeerd opgeschreven",
        user,
    )
    assert (
        AuditEvent.objects.filter(
            action="dossier_entry_corrected", actor=user, object_id=str(correction.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_teacher_may_not_correct_someone_elses_entry(world):
    entry = add(world, author=world.ib_a)
    before = rows()
    client = signed_in_client(world.teacher_a)
    assert client.get(correct_url(entry)).status_code == 403
    assert client.post(correct_url(entry), VALID).status_code == 403
    assert rows() == before
    assert not AuditEvent.objects.filter(action="dossier_entry_corrected").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"), [("staff_a", 403), ("confidant_a", 403), ("teacher_b", 404), ("board_member", 404)]
)
def test_others_cannot_correct(world, persona, status):
    entry = add(world)
    before = rows()
    client = signed_in_client(getattr(world, persona))
    assert client.get(correct_url(entry)).status_code == status
    assert client.post(correct_url(entry), VALID).status_code == status
    assert rows() == before


@pytest.mark.django_db
def test_an_entry_the_viewer_cannot_see_answers_404(world):
    confidential = add(world, author=world.confidant_a, visibility=Visibility.CONFIDANT)
    meldcode = add(world, visibility=Visibility.MELDCODE_CASE, meldcode_case_id=7)
    elsewhere = add(world, pupil=world.pupil_a_other)
    client = signed_in_client(world.director_a)
    before = rows()
    for entry in (confidential, meldcode):
        assert client.get(correct_url(entry)).status_code == 404
        assert client.post(correct_url(entry), VALID).status_code == 404
    # Another pupil's entry under this pupil's address.
    assert client.get(correct_url(elsewhere, pupil=world.pupil_a)).status_code == 404
    assert client.get(f"/leerlingen/{world.pupil_a.pk}/chronologie/999999/corrigeren/").status_code == 404
    assert rows() == before


@pytest.mark.django_db
def test_a_correction_without_reason_is_refused_at_the_field_and_keeps_the_text(world):
    entry = add(world)
    response = signed_in_client(world.ib_a).post(
        correct_url(entry), {"summary": "Zat alleen bij het hek", "correction_reason": " "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert t("Give the reason for the correction.") in html
    assert 'id="id_correction_reason_error"' in html
    assert "Zat alleen bij het hek" in html
    assert DossierEntry.objects.count() == 1


@pytest.mark.django_db
def test_an_unchanged_text_is_refused(world):
    entry = add(world)
    response = signed_in_client(world.ib_a).post(
        correct_url(entry), {"summary": " Zat alleen op het plein ", "correction_reason": "Niets"}
    )
    assert response.status_code == 200
    assert h(t("Nothing was changed. Change what was wrong, or cancel.")) in response.content.decode()
    assert DossierEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_entry_sends_you_to_the_newest_version(world):
    entry = add(world)
    entry_correct(entry=entry, summary="Tweede versie", reason="Aangevuld", actor=world.ib_a, now=NOW)
    client = signed_in_client(world.director_a)
    response = client.post(correct_url(entry), VALID)
    assert response.status_code == 302
    assert DossierEntry.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert t("This entry has been corrected already. Correct the newest version.") in page


@pytest.mark.django_db
def test_a_teacher_corrects_own_entry_about_another_groups_pupil_after_giving_a_reason(world):
    entry = add(world, pupil=world.pupil_a_other)
    client = signed_in_client(world.teacher_a)
    first = client.get(correct_url(entry))
    assert first.status_code == 200
    assert 'name="reason"' in first.content.decode()  # the reason page, not the entry
    assert "Zat alleen op het plein" not in first.content.decode()
    assert not AccessLogEntry.objects.filter(user=world.teacher_a).exists()
    response = client.post(correct_url(entry), {"reason": "Pleinwacht: ik schreef dit signaal"})
    assert response.status_code == 302
    assert client.get(correct_url(entry)).status_code == 200
    assert AccessLogEntry.objects.get(user=world.teacher_a).reason == "Pleinwacht: ik schreef dit signaal"
    assert client.post(correct_url(entry), VALID).status_code == 302
    assert DossierEntry.objects.filter(corrects=entry).count() == 1
    # The same reason counts for the pupil page.
    assert client.get(f"/leerlingen/{world.pupil_a_other.pk}/").status_code == 200


# --- The parents' view ----------------------------------------------------------------------------


def view_data(**kw):
    moment = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    data = {
        "happened_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "with_whom": "moeder",
        "summary": "Moeder ziet het anders.",
    }
    data.update(kw)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher_a", "ib_a", "director_a", "deputy_a"])
def test_the_pupils_teacher_and_the_leads_add_the_parents_view(world, persona):
    user = getattr(world, persona)
    client = signed_in_client(user)
    assert client.get(view_url(world.pupil_a)).status_code == 200
    response = client.post(view_url(world.pupil_a), view_data())
    assert response.status_code == 302
    assert response["Location"] == f"/leerlingen/{world.pupil_a.pk}/"
    view = DossierEntry.objects.get(kind="zienswijze")
    assert (view.pupil, view.author, view.visibility, view.told_by, view.summary) == (
        world.pupil_a,
        user,
        Visibility.SCHOOL,
        "moeder",
        "Moeder ziet het anders.",
    )
    assert (
        AuditEvent.objects.filter(action="parent_view_recorded", actor=user, object_id=str(view.pk)).count()
        == 1
    )
    page = client.get(response["Location"]).content.decode()
    assert f'id="vermelding-{view.pk}"' in page


@pytest.mark.django_db
def test_a_teacher_of_another_group_may_not_add_the_parents_view(world):
    client = signed_in_client(world.teacher_a)
    client.post(view_url(world.pupil_a_other), {"reason": "Pleinwacht: incident op het plein"})
    assert client.get(view_url(world.pupil_a_other)).status_code == 403
    assert client.post(view_url(world.pupil_a_other), view_data()).status_code == 403
    assert not DossierEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_a", 403), ("confidant_a", 403), ("teacher_b", 404), ("privacy_officer", 404)],
)
def test_others_cannot_add_the_parents_view(world, persona, status):
    client = signed_in_client(getattr(world, persona))
    assert client.get(view_url(world.pupil_a)).status_code == status
    assert client.post(view_url(world.pupil_a), view_data()).status_code == status
    assert not DossierEntry.objects.exists()


@pytest.mark.django_db
def test_the_parents_view_about_one_entry(world):
    facts = add(world, title="Ruzie bij de gymles")
    client = signed_in_client(world.director_a)
    page = client.get(view_url(world.pupil_a, facts.pk)).content.decode()
    assert "Ruzie bij de gymles" in page
    assert f'name="bij" value="{facts.pk}"' in page
    response = client.post(view_url(world.pupil_a), view_data(bij=str(facts.pk), with_whom=""))
    assert response.status_code == 302
    view = DossierEntry.objects.get(kind="zienswijze")
    assert (view.source_type, view.source_id, view.told_by) == (
        "dossier.dossierentry",
        str(facts.pk),
        "ouders",
    )
    assert view.title.startswith("Zienswijze ouders bij de vermelding van ")


@pytest.mark.django_db
def test_the_parents_view_about_an_entry_the_viewer_cannot_see_answers_404(world):
    confidential = add(world, author=world.confidant_a, visibility=Visibility.CONFIDANT)
    elsewhere = add(world, pupil=world.pupil_a_other)
    client = signed_in_client(world.director_a)
    for about in (confidential.pk, elsewhere.pk, "x1"):
        assert client.get(view_url(world.pupil_a, about)).status_code == 404
        assert client.post(view_url(world.pupil_a), view_data(bij=str(about))).status_code == 404
    assert not DossierEntry.objects.filter(kind="zienswijze").exists()


@pytest.mark.django_db
def test_a_parents_view_in_the_future_is_refused_at_the_field_and_keeps_the_text(world):
    tomorrow = timezone.localtime(timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = signed_in_client(world.ib_a).post(
        view_url(world.pupil_a), view_data(happened_at=tomorrow, summary="Vader is het er niet mee eens.")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert t("The conversation cannot lie in the future. Enter when the parents gave their view.") in html
    assert 'id="id_happened_at_error"' in html
    assert "Vader is het er niet mee eens." in html
    assert not DossierEntry.objects.exists()


@pytest.mark.django_db
def test_an_empty_parents_view_is_refused_at_the_field(world):
    response = signed_in_client(world.ib_a).post(view_url(world.pupil_a), view_data(summary=""))
    assert response.status_code == 200
    assert 'id="id_summary_error"' in response.content.decode()
    assert not DossierEntry.objects.exists()


@pytest.mark.django_db
def test_a_contact_with_the_parents_is_corrected_in_the_contact_log_not_in_the_chronology(world):
    from communications.contact_services import contact_log_record

    contact = contact_log_record(
        pupil=world.pupil_a,
        contact_at=NOW - dt.timedelta(hours=2),
        with_whom="moeder",
        channel="phone",
        summary="Gebeld over het plein.",
        actor=world.ib_a,
        now=NOW,
    )
    entry = DossierEntry.objects.get(source_type="communications.contactlog", source_id=str(contact.pk))
    client = signed_in_client(world.ib_a)
    assert client.get(correct_url(entry)).status_code == 403
    assert client.post(correct_url(entry), VALID).status_code == 403
    assert not DossierEntry.objects.filter(corrects=entry).exists()
    page = client.get(f"/leerlingen/{world.pupil_a.pk}/").content.decode()
    assert f"/chronologie/{entry.pk}/corrigeren/" not in page
    assert f'href="/leerlingen/{world.pupil_a.pk}/contacten/#contact-{contact.pk}"' in page
