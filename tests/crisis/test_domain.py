"""The pure crisis rules: the five actions of Bijlage 18 and the evaluation schedule of Bijlage 19."""

from __future__ import annotations

import re

import pytest

from crisis.domain.actions import ACTION_CODES, ACTIONS, action
from crisis.domain.evaluations import FIRST_EVALUATION_RULE, NEXT_EVALUATION_RULE, evaluation_rule
from crisis.domain.media import MEDIA_GUIDANCE
from lev.deadlines.domain import Unit, resolve_rule


def test_the_five_actions_of_bijlage_18_in_order():
    assert [(a.number, a.title) for a in ACTIONS] == [
        (1, "Voer gesprekken"),
        (2, "Onderneem actie"),
        (3, "Zorg voor opvang"),
        (4, "Communiceer"),
        (5, "Vervolg/evaluatie"),
    ]
    assert ACTION_CODES == ("gesprekken", "actie", "opvang", "communicatie", "vervolg")
    assert action("opvang").number == 3
    with pytest.raises(KeyError):
        action("onbekend")


def test_every_action_has_a_checklist_from_the_plan():
    # Counted in Bijlage 18: five bullets for action 1, four for 2, four groups to support for 3,
    # three internal plus two external points for 4, four for 5.
    assert [len(a.checklist) for a in ACTIONS] == [5, 4, 4, 5, 4]
    assert "Houd een logboek bij (hoofdstuk 15 en bijlage 4)." in action("gesprekken").checklist
    assert any("Calamiteitenteam GGD HM" in item for item in action("actie").checklist)


def test_the_texts_never_use_dader_or_slachtoffer_as_a_label():
    # Plan 17.3: "vermijd de termen dader/slachtoffer". The only mention is the instruction itself.
    texts = [item for a in ACTIONS for item in a.checklist]
    texts += [item for a in ACTIONS for tip in a.tips for item in tip.items]
    texts += list(MEDIA_GUIDANCE)
    used = [text for text in texts if re.search(r"\b(dader|slachtoffer)s?\b", text, re.IGNORECASE)]
    assert all("nooit" in text or "Vermijd" in text for text in used), used


@pytest.mark.parametrize(
    ("held", "rule"),
    [
        (0, "evaluatie-omgangsregels"),
        (1, "evaluatie-omgangsregels-vervolg"),
        (7, "evaluatie-omgangsregels-vervolg"),
    ],
)
def test_first_evaluation_after_two_weeks_then_monthly(held, rule):
    assert evaluation_rule(held) == rule


def test_the_schedule_names_existing_deadline_rules():
    first, following = resolve_rule(FIRST_EVALUATION_RULE), resolve_rule(NEXT_EVALUATION_RULE)
    assert (first.amount, first.unit, first.atw) == (2, Unit.WEEKS, True)
    assert (following.amount, following.unit, following.atw) == (1, Unit.MONTHS, True)


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        evaluation_rule(-1)
