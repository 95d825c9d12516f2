"""Decisions and dates a case cannot hold (meldcode/services.py, meldcode/domain/steps.py):

- after question 1 "no" (no suspicion) step 5 cannot decide to make a melding, and the case page
  still offers step 5 (its form then decides "no melding");
- questions 3 to 5 that follow a melding step 5 chose to make (the help path, without the
  afwegingskader requiring one) are answered together with Veilig Thuis;
- nothing of the case is dated before its first signal (Mon 20 Apr 2026); a melding not before the
  decision of step 5; the start of Veilig Thuis's investigation not before the melding and not in
  the future; an evaluation not before the help started;
- the melding's chronology entry carries the moment of the melding (Fri 24 Apr 2026 11:00).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lev.dossier.models import DossierEntry
from meldcode import services as s
from meldcode.domain.errors import MeldcodeRefused
from meldcode.models import FeedbackKind
from tests.conftest import signed_in_client

from .conftest import AMS, MELDED_AT, walk_to

pytestmark = pytest.mark.django_db


def test_no_melding_after_no_suspicion_and_step_5_is_still_offered(world, walk):
    walk.steps(1, 2, 3)
    walk.answers(False)
    walk.step(4)
    with pytest.raises(MeldcodeRefused) as refused:
        walk.decide(melden=True, hulp=False)
    assert [notice.code for notice in refused.value.refusals] == ["no_melding_without_suspicion"]
    page = signed_in_client(world.ib_a).get(reverse("meldcode:case_detail", args=[walk.case.pk]))
    step_5 = reverse("meldcode:step_record", args=[walk.case.pk, 5])
    assert f'href="{step_5}"' in page.content.decode()
    walk.decide(melden=False, hulp=False)


def test_questions_after_a_chosen_melding_are_answered_with_veilig_thuis(world, walk):
    # The help path (q1 yes, q2 no, q3 yes, q4 yes): no melding is required, and step 5 chooses
    # both a melding and help. Question 5 then follows a melding.
    walk.steps(1, 2, 3)
    walk.answers(True, False, True, True)
    walk.step(4)
    walk.decide(melden=True, hulp=True)
    walk.melding()
    walk.help()
    with pytest.raises(ValidationError) as refused:
        walk.answer("q5", True, with_veilig_thuis=False)
    assert "with_veilig_thuis" in refused.value.error_dict
    walk.answer("q5", True, with_veilig_thuis=True)


def test_nothing_dated_before_the_first_signal(world, walk):
    with pytest.raises(ValidationError) as refused:
        s.step_record(
            case=walk.case,
            step=1,
            recorded_on=dt.date(2026, 4, 19),
            content={"history": "-", "signals": "-", "kindcheck": "-"},
            actor=world.ib_a,
            now=walk.now,
        )
    assert "20-04-2026" in refused.value.message_dict["recorded_on"][0]
    walk.steps(1, 2, 3)
    with pytest.raises(ValidationError):
        s.question_answer(
            case=walk.case,
            question="q1",
            answer=True,
            reasoning="Zorgen blijven.",
            answered_on=dt.date(2026, 4, 17),
            with_veilig_thuis=False,
            actor=world.ib_a,
            now=walk.now,
        )


def test_a_melding_is_not_dated_before_the_decision(world, walk):
    walk_to(walk, "melding_decided")  # step 5 recorded on Fri 24 Apr 2026
    with pytest.raises(ValidationError) as refused:
        walk.melding(melded_at=dt.datetime(2026, 4, 23, 16, 0, tzinfo=AMS))
    assert "24-04-2026" in refused.value.message_dict["melded_at"][0]


def test_the_melding_entry_has_the_moment_of_the_melding(world, walk):
    walk_to(walk, "melded")
    entry = DossierEntry.objects.get(pupil=world.pupil_a, title="Melding bij Veilig Thuis gedaan")
    assert entry.happened_at == MELDED_AT


def test_the_investigation_starts_after_the_melding_and_not_in_the_future(world, walk):
    walk_to(walk, "melded")
    melding = walk.case.meldingen.get()
    now = dt.datetime(2026, 5, 6, 10, 0, tzinfo=AMS)
    for started in (dt.date(2026, 4, 23), dt.date(2026, 5, 7)):
        with pytest.raises(ValidationError) as refused:
            s.feedback_record(
                melding=melding,
                feedback_on=dt.date(2026, 5, 4),
                kind=FeedbackKind.INVESTIGATION,
                feedback="Veilig Thuis start een onderzoek.",
                investigation_started_on=started,
                actor=world.ib_a,
                now=now,
            )
        assert "investigation_started_on" in refused.value.error_dict
    s.feedback_record(
        melding=melding,
        feedback_on=dt.date(2026, 5, 4),
        kind=FeedbackKind.INVESTIGATION,
        feedback="Veilig Thuis start een onderzoek.",
        investigation_started_on=dt.date(2026, 5, 6),
        actor=world.ib_a,
        now=now,
    )


def test_an_evaluation_is_not_held_before_the_help_started(world, walk):
    walk_to(walk, "help_decided")
    help_row = walk.help(starts_on=dt.date(2026, 4, 24), evaluate_on=dt.date(2026, 6, 15))
    evaluation = help_row.evaluations.get()
    later = dt.datetime(2026, 6, 15, 10, 0, tzinfo=AMS)
    with pytest.raises(ValidationError) as refused:
        s.evaluation_record(
            evaluation=evaluation,
            held_on=dt.date(2026, 4, 23),
            conclusion="Gaat goed.",
            next_on=None,
            actor=world.ib_a,
            now=later,
        )
    assert "24-04-2026" in refused.value.message_dict["held_on"][0]
    s.evaluation_record(
        evaluation=evaluation,
        held_on=dt.date(2026, 6, 15),
        conclusion="Gaat goed.",
        next_on=None,
        actor=world.ib_a,
        now=later,
    )


def test_an_eindverantwoordelijke_who_left_the_school_no_longer_decides(world, walk, final_responsible):
    from lev.schools.models import Membership

    walk.steps(1, 2, 3)
    walk.answers(True, True)
    walk.step(4)
    # Named by the school, but the membership ended before the decision.
    Membership.objects.filter(user=final_responsible).update(active_to=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as refused:
        walk.decide(melden=True, hulp=False, decided_by=final_responsible)
    assert "decided_by" in refused.value.error_dict
    walk.decide(melden=True, hulp=False, decided_by=world.director_a)
