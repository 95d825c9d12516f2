"""The demo incidents: every category of the register, pupils in roles, follow-up actions with their
deadline rows, one PDF attachment, one closed incident; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest

from incidents.demo_incidents import seed_incidents
from incidents.models import FollowUpAction, Incident, IncidentAttachment, IncidentCategory, IncidentPupil
from incidents.uploads import check_upload
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.dossier.models import DossierEntry
from tests import factories as f

NOW = dt.datetime(2026, 5, 12, 16, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.mark.django_db
def test_the_demo_has_every_category_and_runs_once(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    third = f.PupilFactory(school=world.school_a, roepnaam="Chris", achternaam="Dijkstra")
    users = {"director": world.director_a, "care_coordinator": world.ib_a, "teacher": world.teacher_a}
    pupils = [world.pupil_a, world.pupil_a_other, third]

    made = seed_incidents(school=world.school_a, users=users, pupils=pupils, now=NOW)

    assert len(made) == 8
    assert sorted(i.category for i in made) == sorted(IncidentCategory.values)
    assert [i.happened_on for i in made] == sorted(i.happened_on for i in made)
    assert all(i.happened_on < NOW.date() for i in made)
    numbers = sorted(i.number for i in made)
    assert numbers == [f"2026-{n:04d}" for n in range(1, 9)]
    roles = set(IncidentPupil.objects.values_list("role", flat=True))
    assert roles == {"initiative", "experienced", "bystander"}
    assert DossierEntry.objects.filter(kind="incident").count() == IncidentPupil.objects.count()

    attachment = IncidentAttachment.objects.get()
    assert attachment.incident.category == "pesten"
    with attachment.file.open("rb") as handle:
        checked = check_upload(handle)
    assert (checked.content_type, attachment.content_type) == ("application/pdf", "application/pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / attachment.file.name), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Verslag gesprek met de leerlingen" in text

    open_action = FollowUpAction.objects.get(done_at__isnull=True)
    assert (open_action.owner, open_action.due_on) == (world.teacher_a, dt.date(2026, 5, 17))
    assert open_action.deadline.status == DeadlineStatus.OPEN
    done = FollowUpAction.objects.get(done_at__isnull=False)
    assert done.deadline.status == DeadlineStatus.MET
    closed = Incident.objects.get(status="closed")
    assert closed.category == "agressie" and closed.follow_ups.get() == done

    counts = (Incident.objects.count(), IncidentAttachment.objects.count(), Deadline.objects.count())
    assert seed_incidents(school=world.school_a, users=users, pupils=pupils, now=NOW) == []
    assert (Incident.objects.count(), IncidentAttachment.objects.count(), Deadline.objects.count()) == counts
