"""The Balansmodel (Bakker) of step 4: risk and protective factors on three levels, a context score
and goals.

Source: the policy plan, Bijlage 13 "Balansmodel Bakker" (from the reader "aandachtsfunctionaris
huiselijk geweld en kindermishandeling"); LEGAL.md §4 M8 (a structured form in step 4). The plan's
form has four parts:

1. "Wat zijn de zorgen / signalen / risicofactoren?" — per level;
2. "Wat gaat er goed? Krachten en Hulpbronnen" — the protective factors, per level;
3. "Contextschaal": a score from 0 to 10, where 10 means the situation needs no action and 0 that
   the case is very serious and unsafe and needs action at once;
4. "Wat moet er gebeuren? Wanneer bent u tevreden?" — the goals.

The three levels are the microsysteem (child, parent and family factors), the mesosysteem (social
(family) and social (neighbourhood) factors) and the macrosysteem (socio-economic family, cultural
and societal factors). The plan names these kinds of factors per level and no example factors, so
LEV offers the kinds (`FactorGroup`) and invents no examples.

What `check_balans` asks (the form read as a whole; interpretations, named in the issue's report):

- refused: no risk factor at all (the model is filled in because there are worries: part 1); a
  factor without a description or with a level that is not micro, meso or macro, or a kind of factor
  of another level; no context score, or one that is not a whole number from 0 to 10; no goal while
  the score is below 10 (part 4; a 10 needs no action, so it needs no goal);
- warned, not refused: no protective factor (part 2 asks what goes well: worth looking for, but a
  family may have none that is known); a score of 0 (very serious and unsafe: question 2 of the
  afwegingskader, acute unsafety, then means a melding).

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import Notice, RuleOutcome, StrPromise

__all__ = [
    "CONTEXT_SCALE_HELP",
    "GOALS_QUESTION",
    "GROUP_LEVEL",
    "GROUP_NAMES",
    "LEVEL_NAMES",
    "MAX_SCORE",
    "MIN_SCORE",
    "PROTECTIVE_QUESTION",
    "RISK_QUESTION",
    "Balans",
    "Factor",
    "FactorGroup",
    "Level",
    "by_level",
    "check_balans",
    "groups_of",
]

MIN_SCORE = 0
MAX_SCORE = 10


class Level(StrEnum):
    """The three levels of Bijlage 13."""

    MICRO = "micro"
    MESO = "meso"
    MACRO = "macro"


LEVEL_NAMES: Mapping[Level, StrPromise] = MappingProxyType(
    {
        Level.MICRO: _("Microsystem"),
        Level.MESO: _("Mesosystem"),
        Level.MACRO: _("Macrosystem"),
    }
)


class FactorGroup(StrEnum):
    """The kinds of factors Bijlage 13 names for each level."""

    CHILD = "child"
    PARENT = "parent"
    FAMILY = "family"
    SOCIAL_FAMILY = "social_family"
    SOCIAL_NEIGHBOURHOOD = "social_neighbourhood"
    SOCIO_ECONOMIC = "socio_economic"
    CULTURAL = "cultural"
    SOCIETAL = "societal"


GROUP_LEVEL: Mapping[FactorGroup, Level] = MappingProxyType(
    {
        FactorGroup.CHILD: Level.MICRO,
        FactorGroup.PARENT: Level.MICRO,
        FactorGroup.FAMILY: Level.MICRO,
        FactorGroup.SOCIAL_FAMILY: Level.MESO,
        FactorGroup.SOCIAL_NEIGHBOURHOOD: Level.MESO,
        FactorGroup.SOCIO_ECONOMIC: Level.MACRO,
        FactorGroup.CULTURAL: Level.MACRO,
        FactorGroup.SOCIETAL: Level.MACRO,
    }
)

GROUP_NAMES: Mapping[FactorGroup, StrPromise] = MappingProxyType(
    {
        FactorGroup.CHILD: _("Child factors"),
        FactorGroup.PARENT: _("Parent factors"),
        FactorGroup.FAMILY: _("Family factors"),
        FactorGroup.SOCIAL_FAMILY: _("Social (family) factors"),
        FactorGroup.SOCIAL_NEIGHBOURHOOD: _("Social (neighbourhood) factors"),
        FactorGroup.SOCIO_ECONOMIC: _("Socio-economic family factors"),
        FactorGroup.CULTURAL: _("Cultural factors"),
        FactorGroup.SOCIETAL: _("Societal factors"),
    }
)


def groups_of(level: Level) -> tuple[FactorGroup, ...]:
    """The kinds of factors of LEVEL, in the plan's order."""
    return tuple(group for group, of in GROUP_LEVEL.items() if of is level)


# The four parts of the form, in the plan's words (je-form in Dutch).
RISK_QUESTION = _("What are the worries, signals and risk factors?")
PROTECTIVE_QUESTION = _("What is going well? Strengths and resources: the protective factors")
CONTEXT_SCALE_HELP = _(
    "Score this case on a scale of 0 to 10. 10 means this is not a situation in which action needs to "
    "be taken; 0 means the case is very serious and unsafe and action is needed at once."
)
GOALS_QUESTION = _("What needs to happen? When will you be satisfied?")


@dataclass(frozen=True)
class Factor:
    """A risk or protective factor: its level, what it is and (optionally) which kind of factor."""

    level: Level
    description: str
    group: FactorGroup | None = None


def by_level(factors: Sequence[Factor]) -> dict[Level, list[Factor]]:
    """FACTORS per level (every level present, in the plan's order), for the form and the report."""
    grouped: dict[Level, list[Factor]] = {level: [] for level in Level}
    for factor in factors:
        grouped[Level(factor.level)].append(factor)
    return grouped


def _level(value: object) -> Level | None:
    try:
        return Level(str(value))
    except ValueError:
        return None


def _group(value: object) -> FactorGroup | None:
    try:
        return FactorGroup(str(value))
    except ValueError:
        return None


def _factor_notices(field: str, factors: Sequence[Factor]) -> list[Notice]:
    notices: list[Notice] = []
    for number, factor in enumerate(factors, start=1):
        params = {"number": str(number)}
        if not factor.description.strip():
            message = gettext("Factor {number}: describe the factor.").format(number=number)
            notices.append(Notice("factor_description_missing", field, message, params))
        level = _level(factor.level)
        if level is None:
            message = gettext("Factor {number}: choose the level: micro, meso or macro.").format(
                number=number
            )
            notices.append(Notice("factor_level_invalid", field, message, params))
            continue
        if factor.group is None:
            continue
        group = _group(factor.group)
        if group is None or GROUP_LEVEL[group] is not level:
            message = gettext("Factor {number}: choose a kind of factor of its own level ({level}).").format(
                number=number, level=str(LEVEL_NAMES[level])
            )
            notices.append(Notice("factor_group_level", field, message, params))
    return notices


def _score_ok(score: object) -> bool:
    return isinstance(score, int) and not isinstance(score, bool) and MIN_SCORE <= score <= MAX_SCORE


def check_balans(
    *,
    risk_factors: Sequence[Factor],
    protective_factors: Sequence[Factor],
    context_score: int | None,
    goals: Sequence[str],
) -> RuleOutcome:
    """Whether a Balansmodel is complete enough to record (see the module's docstring).

    Refusals in the order of the form (risk factors, protective factors, score, goals); warnings
    after them.
    """
    refusals: list[Notice] = []
    warnings: list[Notice] = []

    if not risk_factors:
        refusals.append(
            Notice(
                "no_risk_factor",
                "risk_factors",
                gettext("Name at least one worry, signal or risk factor, on its level (Bijlage 13)."),
            )
        )
    refusals.extend(_factor_notices("risk_factors", risk_factors))

    if not protective_factors:
        warnings.append(
            Notice(
                "no_protective_factor",
                "protective_factors",
                gettext(
                    "No protective factor is named. Look at what goes well: strengths and resources of "
                    "the child, the parents, the family and their surroundings (Bijlage 13)."
                ),
            )
        )
    refusals.extend(_factor_notices("protective_factors", protective_factors))

    if context_score is None:
        refusals.append(
            Notice(
                "context_score_missing",
                "context_score",
                gettext("Give the context score: a whole number from 0 to 10 (Bijlage 13)."),
            )
        )
    elif not _score_ok(context_score):
        refusals.append(
            Notice(
                "context_score_range",
                "context_score",
                gettext("The context score is a whole number from 0 to 10 (Bijlage 13)."),
                {"value": str(context_score)},
            )
        )
    elif context_score == MIN_SCORE:
        warnings.append(
            Notice(
                "context_score_zero",
                "context_score",
                gettext(
                    "A score of 0 means the case is very serious and unsafe and action is needed at once. "
                    "In acute unsafety the afwegingskader requires a melding at Veilig Thuis (question 2)."
                ),
            )
        )

    needs_action = not (_score_ok(context_score) and context_score == MAX_SCORE)
    if needs_action and not any(goal.strip() for goal in goals):
        refusals.append(
            Notice(
                "no_goals",
                "goals",
                gettext(
                    "Name at least one goal: what needs to happen, and when will you be satisfied? Only "
                    "a score of 10 (no action needed) needs no goal (Bijlage 13)."
                ),
            )
        )

    return RuleOutcome(refusals=tuple(refusals), warnings=tuple(warnings))


@dataclass(frozen=True)
class Balans:
    """A filled-in Balansmodel (Bijlage 13)."""

    risk_factors: tuple[Factor, ...] = ()
    protective_factors: tuple[Factor, ...] = ()
    context_score: int | None = None
    goals: tuple[str, ...] = ()

    def check(self) -> RuleOutcome:
        return check_balans(
            risk_factors=self.risk_factors,
            protective_factors=self.protective_factors,
            context_score=self.context_score,
            goals=self.goals,
        )
