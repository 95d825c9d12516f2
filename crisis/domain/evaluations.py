"""When the temporary extra rules for a pupil are evaluated.

Source: the policy plan, Bijlage 19 ("Handreiking aanvullende (tijdelijke) omgangsregels"),
"Evaluatie": the extra rules are evaluated for the first time two weeks after they take effect;
"vervolgens vindt er elke maand een evaluatiegesprek plaats". The terms themselves are deadline rules
of `lev.deadlines.domain.rules` (counted with the Algemene termijnenwet): `evaluatie-omgangsregels`
from the day the rules take effect, `evaluatie-omgangsregels-vervolg` from the previous evaluation.
Pure: stdlib only.
"""

from __future__ import annotations

FIRST_EVALUATION_RULE = "evaluatie-omgangsregels"
NEXT_EVALUATION_RULE = "evaluatie-omgangsregels-vervolg"


def evaluation_rule(evaluations_held: int) -> str:
    """The deadline rule for the next evaluation after EVALUATIONS_HELD evaluations: two weeks
    from the start for the first, a month from the previous one for every following one."""
    if evaluations_held < 0:
        raise ValueError("evaluations_held cannot be negative")
    return FIRST_EVALUATION_RULE if evaluations_held == 0 else NEXT_EVALUATION_RULE
