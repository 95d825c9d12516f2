"""The deadline rules as data: amount, unit, whether the Atw applies, start event and source.

Sources per rule are in the table below (LEGAL.md §1, §3 R16–R19, §4 M6, §6; the policy plan's
Stap 6, 16.5, 17.3 and Bijlage 16, 19 and 21). Interpretations are numbered as in LEGAL.md §10 and
are shown as "interpretatie" in every explanation. School policy terms carry `configurable=True`: a
school may set another amount with `Rule.with_amount`.

Pure: no database, no clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from .errors import DeadlineError


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    HOURS = "hours"
    ONVERWIJLD = "onverwijld"
    EARLIEST = "earliest"  # the earliest of the rule's alternatives


class Basis(StrEnum):
    LAW = "law"
    GUIDANCE = "guidance"
    POLICY = "policy"


class SchoolType(StrEnum):
    BIJZONDER = "bijzonder"
    OPENBAAR = "openbaar"


# LEGAL.md §10, in the words shown to users.
INTERPRETATIONS: dict[int, str] = {
    1: (
        "de termijn loopt vanaf de dag na verzending (naar analogie van Awb 6:8); tijdig als het "
        "bezwaar vóór het einde is verzonden en uiterlijk een week daarna is ontvangen"
    ),
    2: "een termijn die begint waar een andere eindigt, begint bij het door de Atw verlengde einde",
    4: (
        "werkdagen zijn ma–vr zonder de feestdagen van de Atw en de bij KB gelijkgestelde dagen; "
        "de dag van de gebeurtenis is dag 0 en telt niet mee"
    ),
    5: "de AVG-maand gebruikt de feestdagen van de Atw als de Nederlandse feestdagen",
    6: "onverwijld betekent: af op dezelfde dag, te laat na de volgende werkdag",
    7: "de eigen beroepstermijn van de school telt vanaf ontvangst en volgt de Atw",
    9: "de bij KB gelijkgestelde dagen komen uit een secundaire bron: controleer ze in de Staatscourant",
}

_UNIT_WORDS: dict[Unit, tuple[str, str]] = {
    Unit.DAYS: ("dag", "dagen"),
    Unit.WEEKS: ("week", "weken"),
    Unit.MONTHS: ("maand", "maanden"),
    Unit.WORKING_DAYS: ("werkdag", "werkdagen"),
    Unit.HOURS: ("uur", "uur"),
}


def unit_words(amount: int, unit: Unit) -> str:
    singular, plural = _UNIT_WORDS[unit]
    return f"{amount} {singular if amount == 1 else plural}"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Dutch, shown to users
    amount: int
    unit: Unit
    atw: bool  # Atw art. 1 applies to the end
    start_event: str  # Dutch phrase after "na": "verzending", "ontvangst van het bezwaar"
    source: str
    basis: Basis = Basis.LAW
    atw_art2: bool = True  # Atw art. 2 (at least two open days in a term of 3+ days)
    configurable: bool = False  # a school policy term: the amount is a school setting
    interpretations: tuple[int, ...] = ()
    start_is_extended_end: bool = False  # START is the Atw-extended end of another term
    suspendable: bool = False  # may be suspended (GPO case, WPO 43 lid 4; LEGAL.md R19)
    reminder: bool = False  # another party's term: a reminder, never "missed"
    note: str = ""
    alternatives: tuple[Rule, ...] = ()  # for Unit.EARLIEST

    def with_amount(self, amount: int) -> Rule:
        """The same policy rule with the school's own amount."""
        if not self.configurable:
            raise DeadlineError("not_configurable", f"The term of {self.code} is set by law.", rule=self.code)
        if amount < 1:
            raise DeadlineError("invalid_amount", "The amount must be at least 1.", amount=amount)
        return dataclasses.replace(self, amount=amount)

    @property
    def term_words(self) -> str:
        return unit_words(self.amount, self.unit)


_BEZWAAR_END = "het (door de Atw verlengde) einde van de bezwaartermijn"

AVG_MONTH = Rule(
    code="avg-verzoek",
    title="Antwoord op een AVG-verzoek",
    amount=1,
    unit=Unit.MONTHS,
    atw=True,
    atw_art2=False,
    start_event="ontvangst",
    source="AVG art. 12 lid 3; Verordening (EEG) 1182/71 art. 3",
    interpretations=(5,),
    note="Verlenging met twee maanden kan alleen als de verzoeker binnen de eerste maand is verteld waarom.",
)

# (code, school type or None for both, adviescommissie) → rule
_TABLE: dict[tuple[str, SchoolType | None, bool], Rule] = {}


def _add(rule: Rule, school_type: SchoolType | None = None, adviescommissie: bool = False) -> None:
    _TABLE[(rule.code, school_type, adviescommissie)] = rule


_add(
    Rule(
        code="bezwaar-verwijdering",
        title="Bezwaar tegen verwijdering",
        amount=6,
        unit=Unit.WEEKS,
        atw=True,
        start_event="verzending",
        source="WPO art. 63 lid 3; Atw art. 1–2",
        interpretations=(1,),
    ),
    SchoolType.BIJZONDER,
)
_add(
    Rule(
        code="bezwaar-verwijdering",
        title="Bezwaar tegen verwijdering",
        amount=6,
        unit=Unit.WEEKS,
        atw=True,
        start_event="bekendmaking",
        source="Awb art. 6:7–6:9; Atw art. 1–2",
    ),
    SchoolType.OPENBAAR,
)
_add(
    Rule(
        code="beslissing-bezwaar-verwijdering",
        title="Beslissing op bezwaar tegen verwijdering",
        amount=4,
        unit=Unit.WEEKS,
        atw=True,
        start_event="ontvangst van het bezwaar",
        source="WPO art. 63 lid 3; Atw art. 1–2",
        suspendable=True,
        note="Loopt er een zaak bij de GPO, dan is deze termijn opgeschort (WPO art. 43 lid 4).",
    ),
    SchoolType.BIJZONDER,
)
_add(
    Rule(
        code="beslissing-bezwaar-verwijdering",
        title="Beslissing op bezwaar tegen verwijdering",
        amount=4,
        unit=Unit.WEEKS,
        atw=True,
        start_event=_BEZWAAR_END,
        source="WPO art. 40 lid 12; Atw art. 1–2",
        interpretations=(2,),
        start_is_extended_end=True,
        suspendable=True,
        note="Loopt er een zaak bij de GPO, dan is deze termijn opgeschort (WPO art. 43 lid 4).",
    ),
    SchoolType.OPENBAAR,
)
_add(
    Rule(
        code="beroep-schorsing",
        title="Beslissing op beroep tegen schorsing",
        amount=14,
        unit=Unit.DAYS,
        atw=True,
        start_event="ontvangst van het beroep",
        source="beleidsplan, Stap 6 Schorsing (schoolinstelling); Atw art. 1–2",
        basis=Basis.POLICY,
        configurable=True,
        interpretations=(7,),
    ),
    SchoolType.BIJZONDER,
)
_add(
    Rule(
        code="beroep-schorsing",
        title="Beslissing op bezwaar tegen schorsing",
        amount=6,
        unit=Unit.WEEKS,
        atw=True,
        start_event=_BEZWAAR_END,
        source="Awb art. 7:10 lid 1; Atw art. 1–2",
        interpretations=(2,),
        start_is_extended_end=True,
    ),
    SchoolType.OPENBAAR,
)
_add(
    Rule(
        code="beroep-schorsing",
        title="Beslissing op bezwaar tegen schorsing (met adviescommissie)",
        amount=12,
        unit=Unit.WEEKS,
        atw=True,
        start_event=_BEZWAAR_END,
        source="Awb art. 7:10 lid 1 (commissie als bedoeld in art. 7:13); Atw art. 1–2",
        interpretations=(2,),
        start_is_extended_end=True,
    ),
    SchoolType.OPENBAAR,
    adviescommissie=True,
)
_add(
    Rule(
        code="bezwaar-schorsing",
        title="Bezwaar tegen schorsing",
        amount=6,
        unit=Unit.WEEKS,
        atw=True,
        start_event="bekendmaking",
        source="Awb art. 6:7–6:8; Atw art. 1–2",
    ),
    SchoolType.OPENBAAR,
)
_add(
    Rule(
        code="gpo-oordeel",
        title="Oordeel van de Geschillencommissie passend onderwijs",
        amount=10,
        unit=Unit.WEEKS,
        atw=True,
        start_event="indiening bij de GPO",
        source="WPO art. 43; Atw art. 1–2",
        reminder=True,
        note="Schoolvakanties tellen mee. Een termijn van de GPO: een herinnering, nooit 'gemist'.",
    )
)
_add(AVG_MONTH)
_add(
    Rule(
        code="correctieverzoek-dossier",
        title="Antwoord op een correctieverzoek van ouders",
        amount=0,
        unit=Unit.EARLIEST,
        atw=True,
        start_event="ontvangst",
        source="beleidsplan Bijlage 16 (4 weken); AVG art. 12 lid 3 en art. 16 (1 maand)",
        alternatives=(
            Rule(
                code="correctieverzoek-dossier",
                title="Antwoord op een correctieverzoek (beleidsplan)",
                amount=4,
                unit=Unit.WEEKS,
                atw=True,
                start_event="ontvangst",
                source="beleidsplan Bijlage 16; Atw art. 1–2",
                basis=Basis.POLICY,
            ),
            AVG_MONTH,
        ),
    )
)
_add(
    Rule(
        code="veilig-thuis-beoordeling",
        title="Veiligheidsbeoordeling door Veilig Thuis",
        amount=5,
        unit=Unit.WORKING_DAYS,
        atw=False,
        start_event="de melding",
        source="Handelingsprotocol Veilig Thuis (veiligheidsbeoordeling binnen 5 werkdagen)",
        basis=Basis.GUIDANCE,
        interpretations=(4,),
        reminder=True,
        note="Een termijn van Veilig Thuis: een herinnering om naar de terugkoppeling te vragen.",
    )
)
_add(
    Rule(
        code="evaluatie-omgangsregels",
        title="Eerste evaluatie van de extra omgangsregels",
        amount=2,
        unit=Unit.WEEKS,
        atw=True,
        start_event="het ingaan van de maatregelen",
        source="beleidsplan Bijlage 19 (Handreiking extra omgangsregels); Atw art. 1–2",
        basis=Basis.POLICY,
        configurable=True,
    )
)
_add(
    Rule(
        code="evaluatie-omgangsregels-vervolg",
        title="Maandelijkse evaluatie van de extra omgangsregels",
        amount=1,
        unit=Unit.MONTHS,
        atw=True,
        start_event="de vorige evaluatie",
        source="beleidsplan Bijlage 19 (daarna elke maand een evaluatiegesprek); Atw art. 1–2",
        basis=Basis.POLICY,
        configurable=True,
    )
)
_add(
    Rule(
        code="evaluatie-hulp-meldcode",
        title="Evaluatie van de hulp (Meldcode)",
        amount=0,
        unit=Unit.DAYS,
        atw=False,  # the agreed date itself
        start_event="de afgesproken evaluatiedatum",
        source="Bijlage 27 (afweging 5: leidt de hulp binnen de gewenste termijn tot veiligheid?); beleidsplan §14.2",
        basis=Basis.POLICY,
        note="De datum die voor de evaluatie is afgesproken; LEV verschuift hem niet.",
    )
)
_add(
    Rule(
        code="vervolgactie-incident",
        title="Vervolgactie bij een incident",
        amount=0,
        unit=Unit.DAYS,
        atw=False,  # the agreed date itself
        start_event="de afgesproken datum",
        source="beleidsplan hoofdstuk 7 en Bijlage 11 (incidentenregistratie: genomen stappen)",
        basis=Basis.POLICY,
        note="De datum die bij de actie is afgesproken; LEV verschuift hem niet.",
    )
)
_add(
    Rule(
        code="wpo4a-overleg-vertrouwensinspecteur",
        title="Overleg met de vertrouwensinspecteur (WPO art. 4a)",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="de melding aan het bevoegd gezag",
        source="WPO art. 4a lid 1 en 2; beleidsplan Bijlage 7",
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="wpo4a-informeren",
        title="Ouders en aangeklaagde informeren over de aangifte (WPO art. 4a)",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="het vaststellen van een redelijk vermoeden",
        source="WPO art. 4a lid 3; beleidsplan Bijlage 7 stap 5",
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="wpo4a-aangifte",
        title="Aangifte bij politie of justitie (WPO art. 4a)",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="het vaststellen van een redelijk vermoeden",
        source="WPO art. 4a lid 2; beleidsplan Bijlage 7 stap 6",
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="wpo4a-vertrouwensinspecteur-informeren",
        title="Vertrouwensinspecteur informeren over de aangifte (WPO art. 4a)",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="de aangifte",
        source="WPO art. 4a lid 2; LEGAL.md §5",
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="fysiek-geweld-personeel",
        title="Stap bij een melding van fysiek geweld door een medewerker",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="de melding aan het bevoegd gezag",
        source="beleidsplan Bijlage 7 (fysiek misbruik door een medewerker); LEGAL.md §5",
        basis=Basis.POLICY,
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="vervolgafspraak-ouders",
        title="Vervolgafspraak met ouders",
        amount=0,
        unit=Unit.DAYS,
        atw=False,  # the agreed date itself: a weekend or holiday does not move it
        start_event="de afgesproken datum",
        source=(
            "beleidsplan 16.5 (maak altijd een vervolgafspraak) en 17.3, Bijlage 21 "
            "(Lijst contacten met ouders)"
        ),
        basis=Basis.POLICY,
        note="De vervolgafspraak is de datum die met de ouders is afgesproken; LEV verschuift hem niet.",
    )
)
_add(
    Rule(
        code="inspectie-melding-schorsing",
        title="Melding van een schorsing aan de Inspectie",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="het besluit",
        source="WPO art. 40c lid 3 (schorsing langer dan één dag, via het Internet Schooldossier)",
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="leerplicht-melding-verwijdering",
        title="Melding van een verwijdering aan de leerplichtambtenaar",
        amount=0,
        unit=Unit.ONVERWIJLD,
        atw=False,
        start_event="het besluit",
        source="Leerplichtwet 1969 art. 18 (terstond)",
        interpretations=(6,),
    )
)
_add(
    Rule(
        code="datalek",
        title="Melding van een datalek aan de Autoriteit Persoonsgegevens",
        amount=72,
        unit=Unit.HOURS,
        atw=False,
        start_event="het bekend worden van het datalek",
        source="AVG art. 33 lid 1; Atw art. 4 (termijnen in uren worden niet verlengd)",
    )
)

RULE_CODES: tuple[str, ...] = tuple(sorted({code for code, _, _ in _TABLE}))


def resolve_rule(code: str, *, school_type: str = "bijzonder", adviescommissie: bool = False) -> Rule:
    """The rule for CODE at a school of SCHOOL_TYPE; raises DeadlineError when there is none."""
    try:
        kind = SchoolType(school_type)
    except ValueError:
        raise DeadlineError(
            "invalid_school_type",
            f"Unknown school type {school_type!r}: use bijzonder or openbaar.",
            school_type=school_type,
        ) from None
    if code not in RULE_CODES:
        raise DeadlineError("unknown_rule", f"Unknown rule {code!r}.", rule=code, known=", ".join(RULE_CODES))
    if code == "bezwaar-schorsing" and kind is SchoolType.BIJZONDER:
        raise DeadlineError(
            "no_statutory_bezwaar",
            "Bijzonder onderwijs has no statutory bezwaar against a schorsing: parents appeal to the "
            "board under the school's own procedure (rule beroep-schorsing).",
            rule=code,
        )
    rule = _TABLE.get((code, kind, adviescommissie)) or _TABLE.get((code, None, adviescommissie))
    if rule is None:
        if adviescommissie:
            raise DeadlineError(
                "adviescommissie_not_applicable",
                "--adviescommissie applies only to beroep-schorsing at an openbare school.",
                rule=code,
            )
        raise DeadlineError("unknown_rule", f"Unknown rule {code!r}.", rule=code, known=", ".join(RULE_CODES))
    return rule
