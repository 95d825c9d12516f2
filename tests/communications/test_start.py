"""Letters waiting for approval on the start page: the director sees the school's (not their own,
not the board's); the board member sees the letters the board decides."""

from __future__ import annotations

import pytest

from communications import letter_services as svc
from tests.communications.test_letters import NOW, draft, guardian, reviewed_template
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def approvals(client) -> list[str]:
    response = client.get("/")
    [section] = [s for s in response.context["sections"] if s.key == "approvals"]
    return [item["url"] for item in section.items]


def test_letters_waiting_for_approval(world):
    world.school_a.phone = "0172 123 456"
    world.school_a.save()
    guardian(world, world.pupil_a, "Jan Jansen")
    reviewed_template(world, "verwijdering_besluit")
    timeout = draft(world, "timeout_melding")
    own = draft(world, "timeout_melding", author=world.director_a)
    removal = draft(world, "verwijdering_besluit")
    not_submitted = draft(world, "timeout_melding")
    for letter, author in ((timeout, world.ib_a), (own, world.director_a), (removal, world.ib_a)):
        svc.letter_submit(letter=letter, actor=author, now=NOW)
    assert approvals(signed_in_client(world.director_a)) == [f"/brieven/{timeout.pk}/"]
    assert approvals(signed_in_client(world.deputy_a)) == [f"/brieven/{timeout.pk}/", f"/brieven/{own.pk}/"]
    assert approvals(signed_in_client(world.board_member)) == [f"/brieven/{removal.pk}/"]
    assert f"/brieven/{not_submitted.pk}/" not in approvals(signed_in_client(world.deputy_a))
