"""The route of a report (misconduct/domain/steps.py), worked out by hand from WPO art. 4a and
Bijlage 7: consult the vertrouwensinspecteur → decide on a reasonable suspicion → (yes) inform the
parents and the accused, file the aangifte → tell the vertrouwensinspecteur; (no) close. Physical
violence: four steps, all starting with the report."""

from __future__ import annotations

import pytest

from misconduct.domain import steps as d

D = d.Done


def test_wpo4a_starts_with_the_consultation_only():
    assert d.available(d.SEXUAL, []) == ["consult", "measures"]
    assert d.next_step(d.SEXUAL, []) == "consult"
    assert d.outstanding(d.SEXUAL, []) == ["consult", "suspicion"]
    assert [s.rule for s in d.terms_opened_by(d.SEXUAL, d.ON_REPORT)] == [
        "wpo4a-overleg-vertrouwensinspecteur"
    ]


def test_the_decision_needs_the_consultation_first():
    assert d.blocked(d.SEXUAL, [], "suspicion") == "needs_consult"
    assert d.blocked(d.SEXUAL, [D("consult")], "suspicion") is None
    assert d.blocked(d.SEXUAL, [D("consult")], "consult") == "done"


def test_a_reasonable_suspicion_opens_informing_and_the_aangifte():
    done = [D("consult"), D("suspicion", True)]
    assert d.event_of("suspicion", True) == d.ON_SUSPICION
    assert [s.rule for s in d.terms_opened_by(d.SEXUAL, d.ON_SUSPICION)] == [
        "wpo4a-informeren",
        "wpo4a-aangifte",
    ]
    assert d.available(d.SEXUAL, done) == ["inform", "police_report", "measures"]
    assert d.outstanding(d.SEXUAL, done) == ["inform", "police_report", "inspector_informed"]
    assert d.blocked(d.SEXUAL, done, "inspector_informed") == "needs_police_report"
    assert not d.may_close(d.SEXUAL, done)


def test_the_aangifte_opens_telling_the_vertrouwensinspecteur():
    done = [D("consult"), D("suspicion", True), D("police_report")]
    assert [s.rule for s in d.terms_opened_by(d.SEXUAL, "police_report")] == [
        "wpo4a-vertrouwensinspecteur-informeren"
    ]
    assert d.available(d.SEXUAL, done) == ["inform", "inspector_informed", "measures"]
    assert d.follows(d.SEXUAL, "inspector_informed") == ("police_report",)
    assert d.follows(d.SEXUAL, "police_report") == ("suspicion",)


def test_all_steps_after_yes_allow_closing():
    done = [D("consult"), D("suspicion", True), D("inform"), D("police_report"), D("inspector_informed")]
    assert d.outstanding(d.SEXUAL, done) == []
    assert d.may_close(d.SEXUAL, done)
    assert d.next_step(d.SEXUAL, done) is None


def test_no_suspicion_closes_and_nothing_follows():
    done = [D("consult"), D("suspicion", False)]
    assert d.closes_on(d.SEXUAL, "suspicion", False)
    assert not d.closes_on(d.SEXUAL, "suspicion", True)
    assert d.event_of("suspicion", False) == d.ON_NO_SUSPICION
    assert d.terms_opened_by(d.SEXUAL, d.ON_NO_SUSPICION) == ()
    assert d.outstanding(d.SEXUAL, done) == []
    assert d.available(d.SEXUAL, done) == []
    assert d.blocked(d.SEXUAL, done, "police_report") == "no_suspicion"


def test_before_the_decision_the_later_steps_wait():
    done = [D("consult")]
    assert d.blocked(d.SEXUAL, done, "inform") == "needs_suspicion_yes"
    assert d.blocked(d.SEXUAL, done, "police_report") == "needs_suspicion_yes"
    # The vertrouwensinspecteur step depends on the aangifte, which depends on the decision.
    assert d.outstanding(d.SEXUAL, done) == ["suspicion"]


def test_measures_may_be_recorded_more_than_once_and_do_not_block_closing():
    done = [D("consult"), D("measures"), D("measures")]
    assert d.blocked(d.SEXUAL, done, "measures") is None
    assert "measures" not in d.outstanding(d.SEXUAL, done)


def test_physical_route_opens_four_terms_with_the_report():
    opened = d.terms_opened_by(d.PHYSICAL, d.ON_REPORT)
    assert [s.code for s in opened] == ["conversation", "parents_informed", "measures", "police_considered"]
    assert {s.rule for s in opened} == {"fysiek-geweld-personeel"}
    assert d.available(d.PHYSICAL, []) == [
        "conversation",
        "parents_informed",
        "measures",
        "police_considered",
    ]
    assert d.suspicion(d.PHYSICAL, [D("police_considered", False)]) is None
    assert not d.closes_on(d.PHYSICAL, "police_considered", False)


def test_physical_route_closes_after_its_four_steps():
    done = [D("conversation"), D("parents_informed"), D("measures")]
    assert d.outstanding(d.PHYSICAL, done) == ["police_considered"]
    assert not d.may_close(d.PHYSICAL, done)
    assert d.may_close(d.PHYSICAL, [*done, D("police_considered", False)])


def test_unknown_steps_and_kinds():
    with pytest.raises(d.UnknownStep):
        d.spec(d.PHYSICAL, "consult")
    with pytest.raises(d.UnknownStep):
        d.specs("verbal")
