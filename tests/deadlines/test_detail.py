"""One deadline: who may open it (404 for everyone else, as for a missing row), its explanation,
reminders and history, and closing it by hand (met, or waived with a reason).

Dates worked out by hand: evaluatie-omgangsregels (2 weeks, Atw) from Wed 4 Jan 2040 ends Wed 18 Jan
2040; the reminders fall at 07:00 two working days before (Mon 16 Jan 2040) and on the day itself.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lev.accounts.models import Deputy
from lev.audit.models import AuditEvent
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.deadlines.selectors import HISTORY_LABELS
from lev.schools.models import Role
from tests.conftest import signed_in_client
from tests.deadlines.test_views import open_deadline

pytestmark = pytest.mark.django_db


def url(deadline: Deadline, suffix: str = "") -> str:
    return f"/termijnen/{deadline.pk}/{suffix}"


def test_detail_shows_explanation_reminders_and_history(world):
    deadline = open_deadline(world, user=world.ib_a, role=Role.CARE_COORDINATOR)
    response = signed_in_client(world.ib_a).get(url(deadline))
    assert response.status_code == 200
    html = response.content.decode()
    assert "woensdag 18-01-2040" in html
    assert "wo 18-1-2040" in html  # the engine's explanation line
    assert "maandag 16-01-2040 07:00" in html  # reminder two working days before
    assert "woensdag 18-01-2040 07:00" in html  # reminder on the day
    [opened] = response.context["history"]
    assert opened.label == HISTORY_LABELS["deadline_opened"]
    assert opened.actor is None
    assert f'action="/termijnen/{deadline.pk}/afgerond/"' in html


@pytest.mark.parametrize(
    ("visibility", "case_id", "allowed", "refused"),
    [
        (
            Visibility.SCHOOL,
            None,
            {"ib_a", "director_a", "deputy_a"},
            {
                "teacher_a",
                "staff_a",
                "confidant_a",
                "board_member",
                "privacy_officer",
                "functional_admin",
                "teacher_b",
            },
        ),
        (
            # The term of a Meldcode case managed by ib_a: those with access to the case (its
            # manager, the director and the deputy); a teacher of the pupil without a grant not.
            Visibility.MELDCODE_CASE,
            "case",
            {"ib_a", "director_a", "deputy_a"},
            {"teacher_a", "staff_a", "confidant_a", "board_member", "functional_admin", "teacher_b"},
        ),
    ],
)
def test_who_may_open_a_deadline(world, visibility, case_id, allowed, refused):
    if case_id == "case":
        from tests.meldcode.conftest import open_case

        case_id = open_case(world).pk
    deadline = open_deadline(
        world, user=world.ib_a, role=Role.CARE_COORDINATOR, visibility=visibility, case_id=case_id
    )
    for persona in allowed:
        assert signed_in_client(getattr(world, persona)).get(url(deadline)).status_code == 200, persona
    for persona in refused:
        assert signed_in_client(getattr(world, persona)).get(url(deadline)).status_code == 404, persona


def test_board_only_deadline_is_for_the_board_not_the_school(world):
    deadline = open_deadline(world, user=None, role=Role.BOARD, visibility=Visibility.BOARD_ONLY)
    assert signed_in_client(world.board_member).get(url(deadline)).status_code == 200
    for persona in ("director_a", "deputy_a", "ib_a", "functional_admin"):
        assert signed_in_client(getattr(world, persona)).get(url(deadline)).status_code == 404


def test_deputy_may_open_while_standing_in(world):
    deadline = open_deadline(world, user=world.teacher_a, role=Role.TEACHER)
    client = signed_in_client(world.staff_a)
    assert client.get(url(deadline)).status_code == 404
    today = timezone.localdate()
    Deputy.objects.create(user=world.teacher_a, deputy=world.staff_a, starts_on=today, ends_on=today)
    assert client.get(url(deadline)).status_code == 200


def test_meet_closes_the_term_and_records_who(world):
    deadline = open_deadline(world, user=world.ib_a, role=Role.CARE_COORDINATOR)
    client = signed_in_client(world.director_a)
    response = client.post(url(deadline, "afgerond/"))
    assert response.status_code == 302
    assert response["Location"] == url(deadline)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert deadline.closed_at is not None
    assert not deadline.reminders.filter(sent_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="deadline_met", object_id=str(deadline.pk))
    assert event.actor == world.director_a
    # The page now shows the history and no buttons; a second attempt changes nothing.
    page = client.get(url(deadline))
    assert len(page.context["history"]) == 2
    assert "/afgerond/" not in page.content.decode()
    closed_at = deadline.closed_at
    again = client.post(url(deadline, "afgerond/"), follow=True)
    assert again.status_code == 200
    deadline.refresh_from_db()
    assert deadline.closed_at == closed_at
    assert AuditEvent.objects.filter(action="deadline_met", object_id=str(deadline.pk)).count() == 1


def test_waive_needs_a_reason_and_keeps_it(world):
    deadline = open_deadline(world, user=world.ib_a, role=Role.CARE_COORDINATOR)
    client = signed_in_client(world.ib_a)
    refused = client.post(url(deadline, "vervallen/"), {"reason": "   "})
    assert refused.status_code == 200
    assert refused.context["waive_form"].errors["reason"]
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN
    response = client.post(url(deadline, "vervallen/"), {"reason": "Besluit ingetrokken."})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.WAIVED
    assert deadline.waived_reason == "Besluit ingetrokken."
    assert "Besluit ingetrokken." in client.get(url(deadline)).content.decode()


def test_closing_refused_for_those_who_cannot_see_it(world):
    deadline = open_deadline(world, user=world.ib_a, role=Role.CARE_COORDINATOR)
    for persona in ("teacher_a", "board_member", "teacher_b"):
        client = signed_in_client(getattr(world, persona))
        assert client.post(url(deadline, "afgerond/")).status_code == 404
        assert client.post(url(deadline, "vervallen/"), {"reason": "x"}).status_code == 404
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN
    assert not AuditEvent.objects.filter(action__in=["deadline_met", "deadline_waived"]).exists()


def test_lists_link_to_the_detail_page(world):
    deadline = open_deadline(world, user=world.director_a)
    html = signed_in_client(world.director_a).get("/termijnen/mijn/").content.decode()
    assert f'href="/termijnen/{deadline.pk}/"' in html


def test_missed_term_can_still_be_met_and_is_marked_late(world):
    deadline = open_deadline(world, rule="bezwaar-verwijdering", start=dt.date(2026, 4, 2), user=world.ib_a)
    Deadline.objects.filter(pk=deadline.pk).update(status=DeadlineStatus.MISSED)
    client = signed_in_client(world.ib_a)
    client.post(url(deadline, "afgerond/"))
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    page = client.get(url(deadline))
    assert page.context["history"][-1].late is True
