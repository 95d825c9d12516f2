"""The Balansmodel of meldcode/domain/balans.py (Bijlage 13, LEGAL.md M8). No database.

The levels and kinds of factors are written out by hand from Bijlage 13; the refusals from the
module's reading of the form (at least one risk factor, a whole score 0–10, goals unless the score
is 10). The texts are checked against the English msgids.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from meldcode.domain.balans import (
    CONTEXT_SCALE_HELP,
    GROUP_NAMES,
    LEVEL_NAMES,
    Balans,
    Factor,
    FactorGroup,
    Level,
    by_level,
    check_balans,
    groups_of,
)

G = FactorGroup
L = Level

# A risk and a protective factor of the kind the form asks for.
RISK = Factor(L.MICRO, "Vader drinkt; het kind komt vaak zonder ontbijt op school.", G.PARENT)
PROTECTIVE = Factor(
    L.MESO, "Oma woont in de straat en haalt het kind twee keer per week op.", G.SOCIAL_FAMILY
)
GOAL = "Het kind komt elke dag met ontbijt op school; binnen zes weken."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_the_three_levels_and_their_kinds_of_factors() -> None:
    # Bijlage 13: "Microsysteem (kindfactoren, ouderfactoren, gezinsfactoren)", "Mesosysteem (sociale
    # (gezins)factoren, sociale (buurt)factoren)", "Macrosysteem (sociaal-economische gezinsfactoren,
    # culturele factoren, maatschappelijke factoren)".
    assert [(level.value, str(LEVEL_NAMES[level])) for level in Level] == [
        ("micro", "Microsystem"),
        ("meso", "Mesosystem"),
        ("macro", "Macrosystem"),
    ]
    assert {level: [str(GROUP_NAMES[g]) for g in groups_of(level)] for level in Level} == {
        L.MICRO: ["Child factors", "Parent factors", "Family factors"],
        L.MESO: ["Social (family) factors", "Social (neighbourhood) factors"],
        L.MACRO: ["Socio-economic family factors", "Cultural factors", "Societal factors"],
    }
    assert set(GROUP_NAMES) == set(FactorGroup)


def test_the_context_scale_says_which_end_is_which() -> None:
    assert str(CONTEXT_SCALE_HELP) == (
        "Score this case on a scale of 0 to 10. 10 means this is not a situation in which action needs to be "
        "taken; 0 means the case is very serious and unsafe and action is needed at once."
    )


def _check(
    risk: tuple[Factor, ...] = (RISK,),
    protective: tuple[Factor, ...] = (PROTECTIVE,),
    score: object = 5,
    goals: tuple[str, ...] = (GOAL,),
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    result = check_balans(
        risk_factors=risk,
        protective_factors=protective,
        context_score=score,  # type: ignore[arg-type]
        goals=goals,
    )
    return result.codes, result.warning_codes


# (what is filled in, refusal codes, warning codes)
CASES: list[tuple[str, dict[str, object], tuple[str, ...], tuple[str, ...]]] = [
    ("complete", {}, (), ()),
    ("two factors per side, on every level", {
        "risk": (RISK, Factor(L.MACRO, "Schulden; het gezin verhuist vaak.", G.SOCIO_ECONOMIC)),
        "protective": (PROTECTIVE, Factor(L.MICRO, "Het kind praat open met de juf.", G.CHILD)),
    }, (), ()),
    ("a factor without a kind", {"risk": (Factor(L.MESO, "Weinig contact met de buurt."),)}, (), ()),
    ("no risk factor", {"risk": ()}, ("no_risk_factor",), ()),
    ("no factor at all", {"risk": (), "protective": ()}, ("no_risk_factor",), ("no_protective_factor",)),
    ("no protective factor: a warning only", {"protective": ()}, (), ("no_protective_factor",)),
    ("no score", {"score": None}, ("context_score_missing",), ()),
    ("score below 0", {"score": -1}, ("context_score_range",), ()),
    ("score above 10", {"score": 11}, ("context_score_range",), ()),
    ("score not whole", {"score": 7.5}, ("context_score_range",), ()),
    ("score a text", {"score": "5"}, ("context_score_range",), ()),
    ("score a boolean", {"score": True}, ("context_score_range",), ()),
    ("score 0: very serious, a warning", {"score": 0}, (), ("context_score_zero",)),
    ("score 1", {"score": 1}, (), ()),
    ("score 10 needs no goal", {"score": 10, "goals": ()}, (), ()),
    ("score 9 needs a goal", {"score": 9, "goals": ()}, ("no_goals",), ()),
    ("blank goals are no goals", {"goals": (" ", "\n")}, ("no_goals",), ()),
    ("no score and no goal", {"score": None, "goals": ()}, ("context_score_missing", "no_goals"), ()),
    ("an invalid score and no goal", {"score": 12, "goals": ()}, ("context_score_range", "no_goals"), ()),
    ("a risk factor without a description", {"risk": (Factor(L.MICRO, "  ", G.CHILD),)},
     ("factor_description_missing",), ()),
    ("a kind of factor of another level", {"risk": (Factor(L.MICRO, "Armoede in de wijk.", G.SOCIETAL),)},
     ("factor_group_level",), ()),
    ("an unknown level", {"protective": (Factor("mini", "Sterke band met de oom."),)},  # type: ignore[arg-type]
     ("factor_level_invalid",), ()),
    ("an unknown kind", {"protective": (Factor(L.MACRO, "Kerkgemeenschap.", "church"),)},  # type: ignore[arg-type]
     ("factor_group_level",), ()),
    ("everything wrong, in the order of the form", {
        "risk": (), "protective": (Factor(L.MESO, "", G.CHILD),), "score": -3, "goals": (),
    }, ("no_risk_factor", "factor_description_missing", "factor_group_level", "context_score_range", "no_goals"),
     ()),
]  # fmt: skip


@pytest.mark.parametrize(("name", "given", "refusals", "warnings"), CASES, ids=[case[0] for case in CASES])
def test_check_balans(
    name: str, given: dict[str, object], refusals: tuple[str, ...], warnings: tuple[str, ...]
) -> None:
    assert _check(**given) == (refusals, warnings)  # type: ignore[arg-type]


def test_a_factor_refusal_names_the_list_and_the_factor() -> None:
    result = check_balans(
        risk_factors=(RISK, Factor(L.MICRO, "", G.FAMILY)),
        protective_factors=(PROTECTIVE, PROTECTIVE, Factor(L.MACRO, "Sport bij de club.", G.CHILD)),
        context_score=4,
        goals=(GOAL,),
    )
    notices = [(n.code, n.field, n.params["number"], n.message) for n in result.refusals]
    assert notices == [
        ("factor_description_missing", "risk_factors", "2", "Factor 2: describe the factor."),
        (
            "factor_group_level",
            "protective_factors",
            "3",
            "Factor 3: choose a kind of factor of its own level (Macrosystem).",
        ),
    ]


def test_the_messages() -> None:
    result = check_balans(risk_factors=(), protective_factors=(), context_score=11, goals=())
    assert [(n.code, n.field, n.message) for n in result.refusals] == [
        (
            "no_risk_factor",
            "risk_factors",
            "Name at least one worry, signal or risk factor, on its level (Bijlage 13).",
        ),
        (
            "context_score_range",
            "context_score",
            "The context score is a whole number from 0 to 10 (Bijlage 13).",
        ),
        (
            "no_goals",
            "goals",
            "Name at least one goal: what needs to happen, and when will you be satisfied? Only a score of 10 "
            "(no action needed) needs no goal (Bijlage 13).",
        ),
    ]
    assert result.refusals[1].params == {"value": "11"}
    assert [n.field for n in result.warnings] == ["protective_factors"]
    zero = check_balans(
        risk_factors=(RISK,), protective_factors=(PROTECTIVE,), context_score=0, goals=(GOAL,)
    )
    assert zero.ok
    assert zero.warnings[0].message == (
        "A score of 0 means the case is very serious and unsafe and action is needed at once. In acute "
        "unsafety the afwegingskader requires a melding at Veilig Thuis (question 2)."
    )


def test_by_level_keeps_every_level_in_order() -> None:
    macro = Factor(L.MACRO, "Schulden.", G.SOCIO_ECONOMIC)
    grouped = by_level((macro, RISK, Factor(L.MICRO, "Kind is vaak ziek.", G.CHILD)))
    assert list(grouped) == [L.MICRO, L.MESO, L.MACRO]
    assert grouped[L.MICRO] == [RISK, Factor(L.MICRO, "Kind is vaak ziek.", G.CHILD)]
    assert grouped[L.MESO] == []
    assert grouped[L.MACRO] == [macro]


def test_balans_checks_itself() -> None:
    balans = Balans(risk_factors=(RISK,), protective_factors=(), context_score=10)
    assert balans.check().ok
    assert balans.check().warning_codes == ("no_protective_factor",)
    assert Balans().check().codes == ("no_risk_factor", "context_score_missing", "no_goals")


@given(score=st.integers(min_value=-1000, max_value=1000))
def test_a_whole_score_is_accepted_exactly_from_0_to_10(score: int) -> None:
    refusals, _ = _check(score=score)
    assert (refusals == ()) is (0 <= score <= 10)
    if refusals:
        assert refusals == ("context_score_range",)
