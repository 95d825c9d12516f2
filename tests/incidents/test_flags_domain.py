"""`suggest_flag`: the rule of incidents/domain/flags.py, checked against a table worked out by hand.

The rule (module docstring), from Achtergrondinformatie 3 / ch. 13 of the plan (Frans & Franck 2014):
groen = all criteria met; geel = one or a few criteria (slightly) not met; rood = several criteria
not met, or one seriously; zwart = (nearly) all not met, with coercion or violence. With answers
only met / not met / unknown, LEV makes that explicit:

  zwart  (1a) vrijwilligheid + gelijkwaardigheid + (zelfrespecterend or ontwikkelingsadequaat) not met
         (1b) 5 or more of the 6 not met
  rood   (2a) vrijwilligheid not met  (2b) toestemming + gelijkwaardigheid not met  (2c) 3+ not met
  geel   (3)  1 or 2 not met;  (4') none not met but some unknown (groen needs all six met)
  groen  (4)  all six met
Unknown never lowers the flag and makes the suggestion incomplete (reason GAPS).

Letters in the comments: T toestemming, V vrijwilligheid, G gelijkwaardigheid,
O ontwikkelingsadequaat, C contextadequaat, Z zelfrespecterend. No database.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.domain import flags as d
from incidents.domain.flags import (
    CRITERION_CODES,
    FLAGS,
    NEARLY_ALL,
    SEVERAL,
    Answer,
    Flag,
    Reason,
    default_response,
    severity,
    suggest_flag,
)

T, V, G = d.TOESTEMMING, d.VRIJWILLIGHEID, d.GELIJKWAARDIGHEID
O, C, Z = d.ONTWIKKELINGSADEQUAAT, d.CONTEXTADEQUAAT, d.ZELFRESPECTEREND  # noqa: E741
M, N, U = Answer.MET, Answer.NOT_MET, Answer.UNKNOWN


def answers(not_met: str = "", unknown: str = "") -> dict[str, Answer]:
    """All six met, except the letters in NOT_MET and UNKNOWN."""
    letters = {"T": T, "V": V, "G": G, "O": O, "C": C, "Z": Z}
    result = dict.fromkeys(CRITERION_CODES, M)
    for letter in not_met:
        result[letters[letter]] = N
    for letter in unknown:
        result[letters[letter]] = U
    return result


# (id, not met, unknown, expected flag, expected reasons, complete)
TABLE = [
    # All six met: "groen = alle criteria voldaan" (4).
    ("all-met", "", "", Flag.GROEN, (Reason.ALL_MET,), True),
    # Only the context does not allow it (e.g. in the classroom): one criterion, no coercion → geel (3).
    ("context", "C", "", Flag.GEEL, (Reason.FEW_NOT_MET,), True),
    # No clear consent, but equals and no coercion: one criterion "slightly" → geel (3), not 2b (G met).
    ("consent-only", "T", "", Flag.GEEL, (Reason.FEW_NOT_MET,), True),
    # Unequal parties but everything else met: one criterion → geel (3).
    ("unequal-only", "G", "", Flag.GEEL, (Reason.FEW_NOT_MET,), True),
    # Not fitting age nor context: two criteria, "a few" → geel (3); 2 < SEVERAL.
    ("two-minor", "OC", "", Flag.GEEL, (Reason.FEW_NOT_MET,), True),
    # No consent and not the context: two, neither V nor the T+G pair → geel (3).
    ("consent-and-context", "TC", "", Flag.GEEL, (Reason.FEW_NOT_MET,), True),
    # Coercion alone: "one criterion seriously not met" → rood (2a).
    ("coercion-only", "V", "", Flag.ROOD, (Reason.COERCION,), True),
    # No consent from someone who is not an equal → rood (2b), only two criteria.
    ("consent-unequal", "TG", "", Flag.ROOD, (Reason.NO_CONSENT_UNEQUAL,), True),
    # Three criteria not met, none of them V or the T+G pair: "several criteria" → rood (2c).
    ("three-not-met", "OCZ", "", Flag.ROOD, (Reason.SEVERAL_NOT_MET,), True),
    # Coercion and inequality, but not harmful and fitting the development: no zwart (1a needs Z or O)
    # → rood (2a); two criteria, so not 2c.
    ("coercion-unequal", "VG", "", Flag.ROOD, (Reason.COERCION,), True),
    # Coercion, humiliating and far from the age, but between equals (G met): coercion (2a) and
    # three criteria (2c); without inequality 1a does not hold, and 3 < NEARLY_ALL → rood.
    ("coercion-harm-equal", "VOZ", "", Flag.ROOD, (Reason.COERCION, Reason.SEVERAL_NOT_MET), True),
    # Four not met with T+G but V met: 2b and 2c; 4 < NEARLY_ALL and no coercion → rood.
    ("four-no-coercion", "TGOC", "", Flag.ROOD, (Reason.NO_CONSENT_UNEQUAL, Reason.SEVERAL_NOT_MET), True),
    # Coercion with inequality, humiliating → zwart (1a): "with coercion or violence".
    ("coercion-unequal-humiliating", "VGZ", "", Flag.ZWART, (Reason.COERCION_UNEQUAL_HARM,), True),
    # Coercion with inequality, far from the age → zwart (1a).
    ("coercion-unequal-development", "VGO", "", Flag.ZWART, (Reason.COERCION_UNEQUAL_HARM,), True),
    # Five of six not met (all but V): "(nearly) all" → zwart (1b); T is among them (no consent).
    ("five-not-met", "TGOCZ", "", Flag.ZWART, (Reason.NEARLY_ALL_NOT_MET,), True),
    # All six not met: both 1a and 1b → zwart.
    (
        "all-not-met",
        "TVGOCZ",
        "",
        Flag.ZWART,
        (Reason.COERCION_UNEQUAL_HARM, Reason.NEARLY_ALL_NOT_MET),
        True,
    ),
    # Nothing known yet: groen needs all six met, so geel (4'), incomplete.
    ("all-unknown", "", "TVGOCZ", Flag.GEEL, (Reason.UNKNOWN_NOT_GREEN, Reason.GAPS), False),
    # Five met, self-respect unknown: still not "all met" → geel (4'), incomplete.
    ("one-unknown", "", "Z", Flag.GEEL, (Reason.UNKNOWN_NOT_GREEN, Reason.GAPS), False),
    # Context not met, voluntariness unknown: unknown does not raise to rood → geel (3), incomplete.
    ("context-coercion-unknown", "C", "V", Flag.GEEL, (Reason.FEW_NOT_MET, Reason.GAPS), False),
    # Coercion and inequality, self-respect unknown: rood (2a), not zwart until Z is known.
    ("coercion-unequal-harm-unknown", "VG", "Z", Flag.ROOD, (Reason.COERCION, Reason.GAPS), False),
    # No consent, equality unknown: geel (3), 2b needs G known to be not met; incomplete.
    ("consent-equality-unknown", "T", "G", Flag.GEEL, (Reason.FEW_NOT_MET, Reason.GAPS), False),
    # Zwart stays zwart with an unknown: unknown never lowers the flag (1a), incomplete.
    ("zwart-with-unknown", "VGZ", "T", Flag.ZWART, (Reason.COERCION_UNEQUAL_HARM, Reason.GAPS), False),
]


@pytest.mark.parametrize(
    ("not_met", "unknown", "flag", "reasons", "complete"),
    [pytest.param(*row[1:], id=row[0]) for row in TABLE],
)
def test_suggest_flag_table(not_met, unknown, flag, reasons, complete):
    suggestion = suggest_flag(answers(not_met, unknown))
    assert suggestion.flag is flag
    assert suggestion.reasons == reasons
    assert suggestion.complete is complete
    assert len(suggestion.not_met) == len(not_met)
    assert len(suggestion.unknown) == len(unknown)


def test_the_table_is_big_enough_and_covers_every_flag():
    assert len(TABLE) >= 15
    assert {row[3] for row in TABLE} == set(Flag)


def test_thresholds_are_the_documented_ones():
    assert (SEVERAL, NEARLY_ALL) == (3, 5)


def test_missing_and_empty_answers_count_as_unknown():
    # Nothing given at all: the same as all six unknown.
    assert suggest_flag({}) == suggest_flag(dict.fromkeys(CRITERION_CODES, U))
    # Plain strings, None and "" are accepted: T and G not met (2b) and V unknown.
    suggestion = suggest_flag({T: "not_met", G: "not_met", V: None, O: "", C: "met", Z: "met"})
    assert suggestion.flag is Flag.ROOD
    assert suggestion.not_met == (T, G)
    assert suggestion.unknown == (V, O)
    assert suggestion.complete is False


def test_not_met_and_unknown_are_listed_in_the_plans_order():
    suggestion = suggest_flag({Z: N, T: N, C: U, V: M, G: M, O: U})
    assert suggestion.not_met == (T, Z)
    assert suggestion.unknown == (O, C)


def test_strange_criteria_or_answers_are_programming_errors():
    with pytest.raises(ValueError, match="not a criterion"):
        suggest_flag({"leeftijd": M})
    with pytest.raises(ValueError, match="not an answer"):
        suggest_flag({T: "misschien"})


def test_flags_carry_the_plans_pedagogical_response():
    # Achtergrondinformatie 3: groen niet of positief (bevestigend) reageren, geel waarschuwen of
    # begrenzen, rood verbieden, zwart straffen of ingrijpen.
    assert default_response(Flag.GROEN) == "Niet of positief (bevestigend) reageren."
    assert default_response("geel") == "Waarschuwen of begrenzen."
    assert default_response(Flag.ROOD) == "Verbieden."
    assert default_response(Flag.ZWART) == "Straffen of ingrijpen."
    assert [FLAGS[f].word for f in Flag] == ["groen", "geel", "rood", "zwart"]
    assert [severity(f) for f in ("groen", "geel", "rood", "zwart")] == [0, 1, 2, 3]


RANK = {M: 0, U: 1, N: 2}
answer_sets = st.fixed_dictionaries({code: st.sampled_from(list(Answer)) for code in CRITERION_CODES})


@given(answer_sets, st.sampled_from(CRITERION_CODES), st.sampled_from(list(Answer)))
def test_a_worse_answer_never_lowers_the_flag(base, code, new):
    """Moving one answer up the order met < unknown < not met never lowers the suggested flag."""
    if RANK[new] < RANK[base[code]]:
        return
    worse = {**base, code: new}
    assert severity(suggest_flag(worse).flag) >= severity(suggest_flag(base).flag)


@given(answer_sets)
def test_complete_exactly_when_nothing_is_unknown_and_groen_only_when_all_met(criteria):
    suggestion = suggest_flag(criteria)
    assert suggestion.complete == (U not in criteria.values())
    assert (suggestion.flag is Flag.GROEN) == all(a is M for a in criteria.values())
    assert (Reason.GAPS in suggestion.reasons) == (not suggestion.complete)
