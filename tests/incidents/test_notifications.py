"""The notice of a new signal (ARCHITECTURE.md §8): the school's IB, director and deputy get one
e-mail each, the author none, and nothing in it names a pupil, a category or any content."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from incidents.models import SignalSource, SignalTag
from lev.jobs.models import OutboxItem, OutboxStatus
from lev.jobs.services import sweep
from lev.schools.models import Role
from tests import factories as f
from tests.i18n_helpers import t
from tests.incidents.test_signal_services import enrol, enrol_world, record

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)
LATER = NOW + dt.timedelta(minutes=1)
CANARY = "Kanarie-7Q"


def texts() -> list[str]:
    return [part for message in mail.outbox for part in (message.subject, message.body)]


@pytest.mark.django_db
def test_a_new_signal_mails_the_leads_of_the_school_once_each_and_not_the_author(world):
    enrol_world(world)
    # The deputy is also an IB of the school: two lead memberships, one e-mail.
    f.MembershipFactory(
        user=world.deputy_a, school=world.school_a, board=world.board, role=Role.CARE_COORDINATOR
    )
    # A lead of another school of the same board: no e-mail.
    other = f.SchoolFactory(board=world.board, name="De Linde")
    f.MembershipFactory(
        user=f.UserFactory(username="director_linde"), school=other, board=world.board, role=Role.DIRECTOR
    )
    signal = record(world, actor=world.ib_a)

    assert sweep(now=LATER) == 1
    assert OutboxItem.objects.get().status == OutboxStatus.DONE
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["deputy_a@school.example", "director_a@school.example"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    for message in mail.outbox:
        assert message.subject == t("Something is waiting for you in LEV")
        assert message.body == "\n\n".join(
            [
                t("Something is waiting for you in LEV (school %(school)s).", school="De Regenboog"),
                f"{settings.LEV_BASE_URL.rstrip('/')}/signalen/{signal.pk}/",
            ]
        )
    # Running the sweep again sends nothing more.
    assert sweep(now=LATER + dt.timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_pupil_name_category_or_content_leaves_lev(world):
    pupil = f.PupilFactory(school=world.school_a, roepnaam=f"{CANARY}roep", achternaam=f"{CANARY}achter")
    f.place(pupil, world.group_a)
    enrol(pupil)
    record(
        world,
        pupils=[pupil],
        location=f"{CANARY}-plek",
        description=f"{CANARY}: blauwe plekken op de armen",
        source=SignalSource.TOLD,
        told_by=f"{CANARY}-bron",
        own_reaction=f"{CANARY}-reactie",
        agreements=f"{CANARY}-afspraak",
        others_present="K.Q.",
        tags=[SignalTag.PHYSICAL, SignalTag.FAMILY],
    )
    sweep(now=LATER)
    assert len(mail.outbox) == 3  # IB, director, deputy
    sent = "\n".join(texts())
    assert CANARY not in sent
    assert "blauwe" not in sent and "K.Q." not in sent
    for value, label in SignalTag.choices:
        with translation.override("nl"):
            shown = str(label)
        assert value not in sent and shown not in sent
    for word in ("signal", "signaal", "Signaal", "mishandeling", "Meldcode"):
        assert word not in sent.replace("/signalen/", "/")


@pytest.mark.django_db
def test_inactive_and_former_leads_get_nothing(world):
    enrol_world(world)
    world.director_a.is_active = False
    world.director_a.save()
    world.deputy_a.memberships.update(active_to=dt.date(2026, 10, 31))
    world.ib_a.email = ""
    world.ib_a.save()
    record(world)
    sweep(now=LATER)
    assert mail.outbox == []
