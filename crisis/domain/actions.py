"""The five actions of a crisis, with their checklists and tips, as data.

Source: the policy plan, Bijlage 18 ("Actieplan bij een incident"), and ch. 16.1: "ACTIE 1: Voer
gesprekken, ACTIE 2: Onderneem actie, ACTIE 3: Zorg voor opvang, ACTIE 4: Communiceer, ACTIE 5:
Vervolg". Some actions run at the same time; the severity of the incident decides what is needed.

The texts are the plan's own words (Dutch, shortened where the OCR broke them), shown on the action
cards. They are the school's policy text, not interface text, so they are not translated. Pure:
stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tip:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    code: str
    number: int
    title: str
    checklist: tuple[str, ...]
    tips: tuple[Tip, ...] = ()


ACTIONS: tuple[Action, ...] = (
    Action(
        code="gesprekken",
        number=1,
        title="Voer gesprekken",
        checklist=(
            "Houd een logboek bij (hoofdstuk 15 en bijlage 4).",
            "Bewaar e-mails en andere communicatie overzichtelijk (bijlage 10).",
            "Bespreek het (vermoeden van) grensoverschrijdend gedrag met de leerkracht, de IB en de "
            "directie van de betrokken kinderen.",
            "Nodig op zeer korte termijn de ouders van de betrokken kinderen uit voor een gesprek waarin "
            "de zorg van de school (voor het betrokken kind en de veiligheid van andere kinderen) wordt "
            "gedeeld (bijlage 11).",
            "Bespreek met de ouders mogelijke oplossingen en maak een actieplan met maatregelen en "
            "afspraken (bijlage 9).",
        ),
        tips=(
            Tip(
                "Met ouders (hoofdstuk 15 en 16.4)",
                (
                    "Erken ouders in hun zorg, maar maak het niet groter dan het is. Weeg het gedrag met "
                    "het Vlaggensysteem.",
                    "Kinderen geven vaak het antwoord waarvan zij denken dat hun ouders het willen horen. "
                    "Daardoor is niet altijd helder te krijgen wat er precies gebeurd is.",
                    "De reactie van ouders bepaalt voor een groot deel de last die hun kind ervaart. Een "
                    "rustige en steunende reactie helpt hun kind.",
                ),
            ),
            Tip(
                "Woorden (hoofdstuk 17.3)",
                (
                    "Spreek van betrokken kinderen: het kind dat het initiatief nam en het kind dat iets "
                    "is overkomen. Gebruik nooit dader of slachtoffer.",
                    "Noem gedrag intimiderend, ongepast of grensoverschrijdend.",
                ),
            ),
        ),
    ),
    Action(
        code="actie",
        number=2,
        title="Onderneem actie",
        checklist=(
            "Maak op grond van de gesprekken een eerste inschatting van hoe groot de zaak is of kan "
            "worden (hoofdstuk 16.4).",
            "Maak een kort actieplan, eventueel met externe professionals (GGD-JGZ, "
            "schoolbegeleidingsdienst, behandelaar van het betrokken kind, landelijke experts).",
            "Neem snel maatregelen en communiceer die naar de betrokken ouders en het personeel "
            "(hoofdstuk 4).",
            "Wordt de zaak groot: stel een team samen met school, bestuur en externe professionals om "
            "verdere acties uit te zetten (Calamiteitenteam GGD HM: 088 - 308 33 42).",
        ),
        tips=(
            Tip(
                "Maatregelen (bijlage 9, 3.3)",
                (
                    "De maatregelen vergroten de veiligheid van alle kinderen op school.",
                    "Breng in kaart welke momenten en situaties problemen geven en bespreek met collega's "
                    "en betrokken ouders hoe die te vermijden zijn.",
                    "Informeer collega's over de genomen maatregelen en evalueer ze.",
                ),
            ),
            Tip(
                "Schorsen (hoofdstuk 16.7)",
                (
                    "Een jong kind schors je meestal niet: houd het een paar dagen thuis terwijl er "
                    "afspraken over veiligheid worden gemaakt.",
                    "Bij een ouder kind kan een straf op zijn plaats zijn; schorsen kan die functie hebben.",
                ),
            ),
            Tip(
                "Communicatie",
                ("Communiceer snel: via sociale media gaat het nieuws snel (hoofdstuk 4, bijlage 16).",),
            ),
        ),
    ),
    Action(
        code="opvang",
        number=3,
        title="Zorg voor opvang",
        checklist=(
            "Zorg voor ondersteuning van de schoolleiding (steun van het bestuur, lokale organisaties, "
            "tijdelijk extra inzet).",
            "Zorg voor ondersteuning van het team.",
            "Zorg voor ondersteuning van de ouders.",
            "Zorg voor ondersteuning van de leerlingen.",
        ),
        tips=(
            Tip(
                "Omgaan met emoties",
                (
                    "Ouders kunnen heftige emoties hebben als hun kind iets overkomt; de basis is angst en "
                    "zorg om hun kind.",
                    "Houd rekening met een stapeleffect bij kinderen en volwassenen (ook personeel) die "
                    "eerder emotionele gebeurtenissen meemaakten.",
                ),
            ),
        ),
    ),
    Action(
        code="communicatie",
        number=4,
        title="Communiceer",
        checklist=(
            "Intern: informeer het personeel over de ontwikkelingen en de afspraken.",
            "Intern: spreek af wie het aanspreekpunt is voor de ouders, bij voorkeur de directie.",
            "Intern: zorg dat het in en bij de klassen rustig blijft.",
            "Extern: communiceer met ouders naar de zwaarte van het incident (ernst en aantal "
            "betrokkenen) en de onrust (hoofdstuk 17.4, 17.6, bijlage 23 tot en met 25).",
            "Extern: alleen het verantwoordelijke bestuur, of een persoon die het aanwijst, "
            "communiceert met de media (hoofdstuk 17.7, bijlage 26).",
        ),
        tips=(
            Tip(
                "Mogelijkheden voor communicatie",
                (
                    "Informeer de betrokken ouders zo snel mogelijk met een zakelijke brief of e-mail.",
                    "Vertel ouders wat de kinderen op school over het incident is of wordt verteld.",
                    "Vraag ouders om in het belang van de kinderen de rust te bewaren en niets tegen de "
                    "pers te zeggen.",
                    "Richt een spreekuur in waar ouders vragen kunnen stellen.",
                    "Een ouderavond: overweeg dat zorgvuldig, de vertrouwensinspectie waarschuwt voor "
                    "escalatie (bijlage 22).",
                ),
            ),
            Tip("Let op", ("Klein houden, met alleen de betrokken ouders, heeft altijd de voorkeur.",)),
        ),
    ),
    Action(
        code="vervolg",
        number=5,
        title="Vervolg/evaluatie",
        checklist=(
            "Houd het logboek bij.",
            "Controleer of alles volgens de gemaakte afspraken verloopt.",
            "Wees alert op signalen: mogelijk zijn meer kinderen betrokken.",
            "Gebruik het incident om het huidige beleid door te lichten (hoofdstuk 16.10).",
        ),
        tips=(
            Tip(
                "Mogelijkheden voor vervolg",
                (
                    "Kijk naar onveilige plekken in en om de school en neem maatregelen.",
                    "Kijk naar onveilige momenten tijdens en rond schooltijd en neem maatregelen.",
                    "Organiseer een training voor de leerkrachten over seksuele ontwikkeling.",
                    "Organiseer later een bijeenkomst voor alle ouders met deskundigen van de GGD, als "
                    "ouders daarvoor open staan.",
                ),
            ),
        ),
    ),
)

ACTION_CODES: tuple[str, ...] = tuple(action.code for action in ACTIONS)
BY_CODE: dict[str, Action] = {action.code: action for action in ACTIONS}


def action(code: str) -> Action:
    """The action with CODE; KeyError for an unknown code."""
    return BY_CODE[code]
