"""The Vlaggensysteem: six criteria, four flags, the questions of a weighing and a suggested flag.

Sources (the policy plan):

- ch. 13 and Achtergrondinformatie 3 ("Het Vlaggensysteem", after Frans, E. & Franck, T. (2014).
  *Vlaggensysteem. Reageren op seksueel (grensoverschrijdend) gedrag van kinderen en jongeren.*
  Garant): the six criteria, the four flags and the pedagogical response to each flag — groen: niet
  of positief (bevestigend) reageren; geel: waarschuwen of begrenzen; rood: verbieden; zwart:
  straffen of ingrijpen. The plan applies the criteria to sexual and to other social behaviour.
- §16.4 "Weging gedrag": the questions for the behaviour of one pupil and of a group ("Criteria"),
  the questions about gaps ("Hiaten") and the four points of the decision ("Besluit").

The flags, as the Vlaggensysteem describes them: groen = every criterion is met; geel = one or a few
criteria are slightly not met; rood = several criteria are clearly not met, or one seriously; zwart =
(nearly) all criteria are not met, with coercion or violence.

The source is a framework for a trained professional, not an algorithm. LEV records each criterion
only as met / not met / unknown, so "slightly", "clearly" and "seriously" cannot be read from the
answers. `suggest_flag` therefore applies a transparent and deliberately conservative rule; the
assessor decides, and may choose another flag with a reason. The rule, strongest first:

1. zwart — (a) vrijwilligheid is not met (coercion or seduction: the plan's "dwang") together with
   gelijkwaardigheid (an imbalance of power) and at least one of zelfrespecterend or
   ontwikkelingsadequaat (the behaviour harms or humiliates, or is far from what fits the age): the
   "coercion or violence" of the black flag; or (b) at least `NEARLY_ALL` (5) of the six criteria
   are not met: "(nearly) all criteria not met". With five or six not met, wederzijdse toestemming or
   vrijwilligheid is always among them, so the lack of consent or freedom is present too.
2. rood — (a) vrijwilligheid is not met: coercion alone is "one criterion seriously not met"; or
   (b) wederzijdse toestemming and gelijkwaardigheid are both not met: no consent from a party that
   is not an equal; or (c) at least `SEVERAL` (3) criteria are not met: "several criteria".
3. geel — one or two criteria are not met ("one or a few"), none of the combinations above.
4. groen — all six criteria are met. Groen asks for every criterion to be met, so while a criterion
   is unknown and none is not met the suggestion is geel, not groen.

Unknown answers (and criteria without an answer) never lower the flag: the flag is computed from the
criteria known to be not met, and an unknown one only keeps groen out of reach. Any unknown makes
the suggestion incomplete ("onvolledig: hiaten"): the assessor resolves the gap or explains it under
"Hiaten". Because every condition only grows with the set of not-met criteria, moving an answer from
met to unknown or to not met, or from unknown to not met, never lowers the suggested flag.

Pure: stdlib and dataclasses only; no database, no clock. The Dutch texts below are the plan's own
words: they are the source the interface labels translate, and the text LEV stores in records (the
default pedagogical response, the chronology title), which must not change with the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Answer(StrEnum):
    """The answer to one criterion (the values of `CriterionAnswer` in the models)."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Flag(StrEnum):
    """The four flags (the values of `Flag` in the models), mildest first."""

    GROEN = "groen"
    GEEL = "geel"
    ROOD = "rood"
    ZWART = "zwart"


FLAG_ORDER: tuple[Flag, ...] = (Flag.GROEN, Flag.GEEL, Flag.ROOD, Flag.ZWART)


def severity(flag: Flag | str) -> int:
    """0 for groen up to 3 for zwart."""
    return FLAG_ORDER.index(Flag(flag))


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str  # the plan's name of the criterion
    explanation: str  # the plan's one-line explanation


# The six criteria, in the plan's order (ch. 13, Achtergrondinformatie 3).
TOESTEMMING = "wederzijdse_toestemming"
VRIJWILLIGHEID = "vrijwilligheid"
GELIJKWAARDIGHEID = "gelijkwaardigheid"
ONTWIKKELINGSADEQUAAT = "ontwikkelingsadequaat"
CONTEXTADEQUAAT = "contextadequaat"
ZELFRESPECTEREND = "zelfrespecterend"

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        TOESTEMMING,
        "Wederzijdse toestemming",
        "Beide partijen hebben duidelijk toestemming gegeven voor het gedrag.",
    ),
    Criterion(
        VRIJWILLIGHEID,
        "Vrijwilligheid",
        "Alle betrokkenen zijn vrij van dwang of verleiding.",
    ),
    Criterion(GELIJKWAARDIGHEID, "Gelijkwaardigheid", "De partijen zijn voldoende gelijkwaardig."),
    Criterion(
        ONTWIKKELINGSADEQUAAT,
        "Ontwikkelingsadequaat",
        "Het gedrag komt overeen met wat van kinderen van die leeftijd wordt beschreven in de "
        "wetenschappelijke onderzoeksliteratuur.",
    ),
    Criterion(CONTEXTADEQUAAT, "Contextadequaat", "De context laat dit gedrag toe."),
    Criterion(
        ZELFRESPECTEREND,
        "Zelfrespecterend",
        "Het gedrag is niet zelfbeschadigend of vernederend voor het kind.",
    ),
)
CRITERION_CODES: tuple[str, ...] = tuple(c.code for c in CRITERIA)

# The thresholds of the rule (see the module docstring), explicit so that tests and the
# explanation in docs/vlaggensysteem.md can name them.
SEVERAL = 3  # this many criteria not met: "several criteria" → at least rood
NEARLY_ALL = 5  # this many not met: "(nearly) all criteria" → zwart


@dataclass(frozen=True)
class FlagInfo:
    flag: Flag
    word: str  # the colour word, always shown with the colour
    meaning: str  # the plan's description of the behaviour
    response: str  # the plan's pedagogical response


FLAGS: dict[Flag, FlagInfo] = {
    Flag.GROEN: FlagInfo(
        Flag.GROEN, "groen", "aanvaardbaar gedrag", "Niet of positief (bevestigend) reageren."
    ),
    Flag.GEEL: FlagInfo(Flag.GEEL, "geel", "licht grensoverschrijdend gedrag", "Waarschuwen of begrenzen."),
    Flag.ROOD: FlagInfo(Flag.ROOD, "rood", "ernstig grensoverschrijdend gedrag", "Verbieden."),
    Flag.ZWART: FlagInfo(Flag.ZWART, "zwart", "zwaar grensoverschrijdend gedrag", "Straffen of ingrijpen."),
}


def default_response(flag: Flag | str) -> str:
    """The plan's pedagogical response to FLAG: the text a new assessment starts with."""
    return FLAGS[Flag(flag)].response


@dataclass(frozen=True)
class Question:
    code: str
    text: str  # the plan's wording
    hint: str = ""


# §16.4 "Criteria": questions about the behaviour of one pupil.
INDIVIDUAL_QUESTIONS: tuple[Question, ...] = (
    Question("voorgeschiedenis", "Zijn er zaken omtrent de voorgeschiedenis van het individu bekend?"),
    Question("zelfrespect", "Kan het zelfrespect van het individu als risicofactor aangemerkt worden?"),
    Question("ontwikkeling", "Sluiten de gedragingen aan bij de ontwikkeling van het individu?"),
    Question(
        "context",
        "Maken locatie, cultuur, geloof of (afwijkende) normen en waarden het gedrag grensoverschrijdend?",
    ),
    Question("druk", "Zetten (groeps)druk of dwang het individu aan tot het gedrag?"),
)

# §16.4 "Criteria": questions about the behaviour of a group.
GROUP_QUESTIONS: tuple[Question, ...] = (
    Question(
        "voorgeschiedenis", "Zijn de zaken omtrent de voorgeschiedenis van élk betrokken individu bekend?"
    ),
    Question(
        "begrip",
        "Begrepen alle betrokkenen vooraf welk gedrag ze gingen vertonen en welke gevolgen dat kon "
        "hebben voor henzelf en anderen?",
    ),
    Question("ontwikkeling", "Sluiten de gedragingen aan bij de ontwikkeling van élk individu?"),
    Question(
        "gelijkwaardigheid",
        "Zijn betrokken individuen onderling gelijkwaardig aan elkaar in ervaring, lichaamsomvang, "
        "positie in de groep, intelligentie en zelfrespect?",
    ),
    Question(
        "context",
        "Maken locatie, cultuur, geloof of (afwijkende) normen en waarden de gedragingen van de "
        "individuen grensoverschrijdend?",
    ),
    Question(
        "druk", "Zetten (groeps)druk of dwang, van betrokkenen of derden, de groep aan tot gedragingen?"
    ),
)


def questions_for(group_behaviour: bool) -> tuple[Question, ...]:
    return GROUP_QUESTIONS if group_behaviour else INDIVIDUAL_QUESTIONS


# §16.4 "Hiaten". The first one must be answered while a criterion is unknown.
GAP_CRITERIA_CLEAR = "criteria_duidelijk"
GAP_QUESTIONS: tuple[Question, ...] = (
    Question(
        GAP_CRITERIA_CLEAR,
        "Is van alle criteria duidelijk of ze al dan niet zijn overschreden?",
        "Let op: bij jonge kinderen is de ware toedracht soms moeilijk te achterhalen.",
    ),
    Question("risico_veiligheid", "Zijn er risico's voor fysieke en sociale veiligheid van betrokkene(n)?"),
    Question("onrust", "Kan het gedrag leiden tot (omvangrijke) onrust in de klas, school of leefomgeving?"),
    Question(
        "ontwikkelpunt",
        "Zijn er criteria die met de betrokkene(n) kunnen worden opgepakt als ontwikkelpunt?",
    ),
)

# §16.4 "Besluit": the four points decided on the basis of the weighing. Zwaarte is required.
DECISION_SEVERITY = "zwaarte"
DECISION_POINTS: tuple[Question, ...] = (
    Question(
        DECISION_SEVERITY,
        "De zwaarte: Is de sociale en/of fysieke veiligheid van betrokkenen in het geding of was het "
        "incident éénmalig en kleinschalig?",
    ),
    Question("communicatie", "Communicatie: Met welke ouders wordt er gesproken en wat wordt besproken?"),
    Question(
        "toezicht",
        "Toezicht: Is bestaand toezicht afdoende om deze situatie in de toekomst te begeleiden en/of te "
        "voorkomen?",
    ),
    Question(
        "aanvullende_regels",
        "Aanvullende regels: Zijn er aanvullende regels nodig die veiligheid kunnen waarborgen "
        "(Bijlage 19: Handreiking aanvullende (tijdelijke) omgangsregels)?",
    ),
)


class Reason(StrEnum):
    """Why `suggest_flag` suggests what it suggests; each names a step of the rule."""

    ALL_MET = "all_met"  # 4: groen
    UNKNOWN_NOT_GREEN = "unknown_not_green"  # 4: none not met, but not all known to be met
    FEW_NOT_MET = "few_not_met"  # 3: one or two not met
    SEVERAL_NOT_MET = "several_not_met"  # 2c: SEVERAL or more not met
    NO_CONSENT_UNEQUAL = "no_consent_unequal"  # 2b
    COERCION = "coercion"  # 2a
    NEARLY_ALL_NOT_MET = "nearly_all_not_met"  # 1b
    COERCION_UNEQUAL_HARM = "coercion_unequal_harm"  # 1a
    GAPS = "gaps"  # a criterion is unknown: the suggestion is incomplete


@dataclass(frozen=True)
class Suggestion:
    flag: Flag
    # The steps of the rule that lead to this flag (all that apply at its level); GAPS last when
    # the suggestion is incomplete.
    reasons: tuple[Reason, ...]
    # False while a criterion is unknown ("onvolledig: hiaten").
    complete: bool
    not_met: tuple[str, ...]  # criterion codes, in the plan's order
    unknown: tuple[str, ...]


def _answer(value: object) -> Answer:
    if value is None or value == "":
        return Answer.UNKNOWN
    try:
        return Answer(str(value))
    except ValueError:
        raise ValueError(f"not an answer to a criterion: {value!r}") from None


def suggest_flag(criteria: Mapping[str, Answer | str | None]) -> Suggestion:
    """The flag the rule in the module docstring suggests for these answers.

    CRITERIA maps criterion codes to an `Answer` (or its value); a criterion that is missing or
    empty counts as unknown. An unknown code or answer is a programming error (ValueError).
    """
    strange = set(criteria) - set(CRITERION_CODES)
    if strange:
        raise ValueError(f"not a criterion of the Vlaggensysteem: {sorted(strange)}")
    answers = {code: _answer(criteria.get(code)) for code in CRITERION_CODES}
    not_met = tuple(code for code in CRITERION_CODES if answers[code] is Answer.NOT_MET)
    unknown = tuple(code for code in CRITERION_CODES if answers[code] is Answer.UNKNOWN)
    missing = set(not_met)
    count = len(not_met)

    fired: list[tuple[Flag, Reason]] = []
    if (
        VRIJWILLIGHEID in missing
        and GELIJKWAARDIGHEID in missing
        and (ZELFRESPECTEREND in missing or ONTWIKKELINGSADEQUAAT in missing)
    ):
        fired.append((Flag.ZWART, Reason.COERCION_UNEQUAL_HARM))
    if count >= NEARLY_ALL:
        fired.append((Flag.ZWART, Reason.NEARLY_ALL_NOT_MET))
    if VRIJWILLIGHEID in missing:
        fired.append((Flag.ROOD, Reason.COERCION))
    if TOESTEMMING in missing and GELIJKWAARDIGHEID in missing:
        fired.append((Flag.ROOD, Reason.NO_CONSENT_UNEQUAL))
    if count >= SEVERAL:
        fired.append((Flag.ROOD, Reason.SEVERAL_NOT_MET))
    if 0 < count < SEVERAL:
        fired.append((Flag.GEEL, Reason.FEW_NOT_MET))
    if count == 0 and unknown:
        fired.append((Flag.GEEL, Reason.UNKNOWN_NOT_GREEN))
    if count == 0 and not unknown:
        fired.append((Flag.GROEN, Reason.ALL_MET))

    flag = max((f for f, _ in fired), key=severity)
    reasons = [reason for f, reason in fired if f is flag]
    if unknown:
        reasons.append(Reason.GAPS)
    return Suggestion(
        flag=flag, reasons=tuple(reasons), complete=not unknown, not_met=not_met, unknown=unknown
    )
