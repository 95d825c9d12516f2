"""The demo data: one WPO 4a report with some steps taken and one conversation note, written through
the services, and nothing added on a second run."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lev.deadlines.models import DeadlineStatus
from lev.dossier.models import DossierEntry
from misconduct.demo import seed_misconduct
from misconduct.models import ConfidantNote, MisconductReport, ReportDeadline
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def seed(world):
    return seed_misconduct(
        board=world.board,
        school=world.school_a,
        users={"reporter": world.staff_a, "confidant": world.confidant_a, "board": world.board_member},
        pupils=[world.pupil_a],
        now=timezone.now(),
    )


def test_seed_writes_a_report_with_steps_and_a_note_once(world):
    assert seed(world) == {"reports": 1, "notes": 1}
    report = MisconductReport.objects.get()
    assert (report.kind, report.status, report.reported_by) == ("sexual", "open", world.staff_a)
    assert [s.code for s in report.steps.order_by("done_on", "pk")] == [
        "consult",
        "suspicion",
        "inform",
        "police_report",
    ]
    statuses = {
        link.step_code: link.deadline.status for link in ReportDeadline.objects.select_related("deadline")
    }
    assert statuses == {
        "consult": DeadlineStatus.MET,
        "inform": DeadlineStatus.MET,
        "police_report": DeadlineStatus.MET,
        "inspector_informed": DeadlineStatus.OPEN,
    }
    assert DossierEntry.objects.get().visibility == "board_only"
    assert ConfidantNote.objects.get().author == world.confidant_a
    assert seed(world) == {"reports": 0, "notes": 0}
    assert MisconductReport.objects.count() == 1 and ConfidantNote.objects.count() == 1
    # The pages show it to the board and the vertrouwenspersoon.
    assert signed_in_client(world.board_member).get(f"/wpo4a/meldingen/{report.pk}/").status_code == 200
    note = ConfidantNote.objects.get()
    assert (
        signed_in_client(world.confidant_a).get(f"/vertrouwenspersoon/gesprekken/{note.pk}/").status_code
        == 200
    )
