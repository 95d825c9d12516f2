"""The social map (Bijlage 12) per school: grouped by kind; create, edit and delete, all audited."""

from __future__ import annotations

from html import unescape

import pytest

from lev.audit.models import AuditEvent
from lev.schools.models import SocialMapEntry, SocialMapKind
from tests.conftest import signed_in_client


def text(response) -> str:
    return unescape(response.content.decode())


def entry(school, kind, organisation, **extra) -> SocialMapEntry:
    return SocialMapEntry.objects.create(
        board=school.board, school=school, kind=kind, organisation=organisation, **extra
    )


@pytest.mark.django_db
def test_index_lists_the_boards_schools_with_their_entry_counts(world):
    entry(world.school_a, SocialMapKind.GGD, "GGD Hollands Midden")
    entry(world.school_a, SocialMapKind.POLICE, "Politie Boskoop")
    entry(world.school_b, SocialMapKind.GGD, "GGD Elders")
    html = text(signed_in_client(world.functional_admin).get("/beheer/sociale-kaart/"))
    assert f'href="/beheer/sociale-kaart/scholen/{world.school_a.pk}/"' in html
    assert '<td class="text-end">2</td>' in html
    assert "De Vuurtoren" not in html


@pytest.mark.django_db
def test_the_school_page_groups_entries_by_kind_in_the_order_of_the_kinds(world):
    entry(world.school_a, SocialMapKind.POLICE, "Politie Boskoop", phone="0900 8844")
    entry(world.school_a, SocialMapKind.GGD, "GGD Hollands Midden", email="jgz@ggdhm.example")
    entry(world.school_a, SocialMapKind.VEILIG_THUIS, "Veilig Thuis Hollands Midden", phone="0800 2000")
    entry(world.school_b, SocialMapKind.GGD, "GGD Elders")
    html = text(
        signed_in_client(world.functional_admin).get(f"/beheer/sociale-kaart/scholen/{world.school_a.pk}/")
    )
    ggd, police, veilig_thuis = (
        html.index(f'id="kind-{kind}"')
        for kind in (SocialMapKind.GGD, SocialMapKind.POLICE, SocialMapKind.VEILIG_THUIS)
    )
    assert ggd < police < veilig_thuis
    assert 'href="tel:08002000"' in html
    assert 'href="mailto:jgz@ggdhm.example"' in html
    assert "GGD Elders" not in html
    assert f'id="kind-{SocialMapKind.CJG}"' not in html  # no empty sections


@pytest.mark.django_db
def test_create_an_entry_is_audited_without_its_content(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        f"/beheer/sociale-kaart/scholen/{world.school_a.pk}/nieuw/",
        {
            "kind": SocialMapKind.NEIGHBOURHOOD_TEAM,
            "organisation": "Wijkteam Boskoop",
            "contact_name": "Petra de Groot",
            "phone": "0172 111222",
            "email": "wijkteam@gemeente.example",
            "address": "Raadhuisplein 1, Boskoop",
            "website": "www.wijkteam.example",
            "notes": "Spreekuur op dinsdag",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/sociale-kaart/scholen/{world.school_a.pk}/"
    created = SocialMapEntry.objects.get(organisation="Wijkteam Boskoop")
    assert (created.board, created.school, created.kind) == (world.board, world.school_a, "wijkteam")
    assert created.website == "https://www.wijkteam.example"
    event = AuditEvent.objects.get(action="social_map_entry_created")
    assert event.summary == {"entry_id": created.pk, "school_id": world.school_a.pk, "kind": "wijkteam"}
    assert event.board == world.board


@pytest.mark.django_db
def test_errors_stay_next_to_the_field_and_nothing_is_saved(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        f"/beheer/sociale-kaart/scholen/{world.school_a.pk}/nieuw/",
        {"kind": SocialMapKind.GGD, "organisation": "GGD", "email": "geen-adres"},
    )
    html = text(response)
    assert response.status_code == 200
    assert 'id="id_email_error"' in html
    assert 'value="geen-adres"' in html
    assert not SocialMapEntry.objects.exists()


@pytest.mark.django_db
def test_edit_an_entry_records_the_changed_fields(world):
    existing = entry(world.school_a, SocialMapKind.GGD, "GGD Hollands Midden", phone="088 308 3000")
    client = signed_in_client(world.functional_admin)
    response = client.post(
        f"/beheer/sociale-kaart/{existing.pk}/",
        {"kind": SocialMapKind.GGD, "organisation": "GGD Hollands Midden", "phone": "088 308 3100"},
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.phone == "088 308 3100"
    event = AuditEvent.objects.get(action="social_map_entry_updated")
    assert event.summary == {"entry_id": existing.pk, "school_id": world.school_a.pk, "fields": ["phone"]}


@pytest.mark.django_db
def test_delete_asks_first_then_deletes_and_audits(world):
    existing = entry(world.school_a, SocialMapKind.POLICE, "Politie Boskoop")
    pk = existing.pk
    client = signed_in_client(world.functional_admin)
    page = client.get(f"/beheer/sociale-kaart/{pk}/verwijderen/")
    assert page.status_code == 200
    assert SocialMapEntry.objects.filter(pk=pk).exists()  # a GET never deletes
    response = client.post(f"/beheer/sociale-kaart/{pk}/verwijderen/")
    assert response.status_code == 302
    assert not SocialMapEntry.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="social_map_entry_deleted")
    assert event.summary == {"entry_id": pk, "school_id": world.school_a.pk, "kind": "police"}
    assert (event.object_type, event.object_id) == ("schools.socialmapentry", str(pk))
