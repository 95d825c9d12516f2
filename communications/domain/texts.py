"""LEV's shipped letter texts (Dutch, plain language, B1): one `LetterKind` per letter.

Written for LEV after LEGAL.md §8; the plan's models (Bijlage 5, 23–25) are the starting point,
with its corrections: no "8 weken" and no "tijdelijke verwijdering" (abolished 1 Aug 2014, WPO 40
lid 11), the verwijdering split into an invitation to be heard (no bezwaar clause: there is no
decision yet) and a decision; the route to contest a schorsing by denominatie (R8); "binnen zes
weken na de datum van verzending van deze brief" (R16); the GPO route (R19); "groep X" filled in
(Bijlage 24 says "groep 1" by mistake); the plan's terminology (§17.3: "betrokken leerling", never
"dader"/"slachtoffer", not "seksueel"). Every legal text is a concept until a board's named
reviewer approves its version (LEGAL.md §8).

Pure: no database, no clock.
"""

from __future__ import annotations

from .kinds import Audience, Block, Denominatie, Field, LetterKind, Requirement, Source

SHIPPED_VERSION = "2026.1"
BIJ = Denominatie.BIJZONDER
OPB = Denominatie.OPENBAAR

# --- Shared by every letter -------------------------------------------------------------------

COMMON_FIELDS: tuple[Field, ...] = (
    Field("school_naam", "Naam van de school", "CBS De Regenboog", Source.LEV),
    Field("bestuur_naam", "Naam van het bestuur", "Stichting LEV", Source.LEV),
    Field("plaats", "Plaats", "Boskoop", Source.LEV),
    Field("datum", "Datum van de brief", "7 december 2026", Source.LEV),
    Field("kenmerk", "Kenmerk", "LEV-2026-0042", Source.LEV),
    Field(
        "contactpersoon",
        "Contactpersoon",
        "mevrouw A. Jansen, intern begeleider",
        Source.LEV,
        help="Naam en functie van wie de ouders kunnen bellen of mailen.",
    ),
    Field("contactpersoon_telefoon", "Telefoon of e-mail van de contactpersoon", "0172 123 456", Source.LEV),
    Field("ondertekenaar", "Ondertekenaar", "J. de Boer", Source.LEV),
    Field("ondertekenaar_functie", "Functie van de ondertekenaar", "directeur", Source.LEV),
)
PUPIL_FIELDS: tuple[Field, ...] = (
    Field("leerling_naam", "Naam van de leerling", "Sam de Vries", Source.LEV),
    Field("leerling_groep", "Groep van de leerling", "groep 6b", Source.LEV),
)

HELP_BLOCK = Block(
    "hulp_bij_lezen",
    "Hulp bij het lezen",
    "Vindt u deze brief moeilijk om te lezen of te begrijpen, of wilt u dat iemand de brief met u "
    "doorneemt? Neem dan contact op met {{ contactpersoon }} ({{ contactpersoon_telefoon }}). "
    "Wij helpen u graag.",
    editable=False,
    source="LEGAL.md §8: elke brief biedt hulp bij het lezen en noemt de contactpersoon",
)
HELP_REQUIREMENT = Requirement(
    "hulp_en_contact",
    "hulp bij het lezen en de contactpersoon",
    fields=("contactpersoon", "contactpersoon_telefoon"),
    blocks=("hulp_bij_lezen",),
)


def _kind(
    *,
    fields: tuple[Field, ...],
    blocks: tuple[Block, ...],
    requirements: tuple[Requirement, ...],
    pupil: bool,
    **kwargs: object,
) -> LetterKind:
    all_fields = COMMON_FIELDS + (PUPIL_FIELDS if pupil else ()) + fields
    return LetterKind(
        fields=all_fields,
        blocks=(*blocks, HELP_BLOCK),
        requirements=(*requirements, HELP_REQUIREMENT),
        version=SHIPPED_VERSION,
        audience=Audience.PUPIL_PARENTS if pupil else Audience.GROUP_PARENTS,
        **kwargs,  # type: ignore[arg-type]
    )


PUPIL_SALUTATION = "Geachte ouders/verzorgers van {{ leerling_naam }},"

# --- Time-out (LEGAL.md R1, §8) ------------------------------------------------------------------

TIMEOUT = _kind(
    code="timeout_melding",
    title="Time-out: bericht aan de ouders",
    legal=False,
    pupil=True,
    attachment_allowed=True,
    subject="Time-out van {{ leerling_naam }} op {{ datum_voorval }}",
    extra={"salutation": PUPIL_SALUTATION},
    sources="LEGAL.md R1 en §8; plan Bijlage 4, stap 5",
    fields=(
        Field("datum_voorval", "Datum van de time-out", "donderdag 3 december 2026"),
        Field(
            "wat_er_gebeurde",
            "Wat er gebeurde (feiten)",
            "Tijdens het buitenspelen duwde Sam een klasgenoot hard tegen het hek. Daarna wilde Sam "
            "niet met de leerkracht praten en bleef hij boos roepen.",
            multiline=True,
        ),
        Field("maatregel_duur", "De maatregel en hoe lang", "de rest van de schooldag"),
        Field("werkplek", "Waar de leerling werkt", "in groep 7a, bij meester Pieters"),
        Field(
            "gesprek_aanbod",
            "Het gesprek dat u aanbiedt",
            "Wij bellen u morgen om een afspraak te maken.",
        ),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Zoals wij u vandaag ook telefonisch hebben verteld, heeft {{ leerling_naam }} op "
            "{{ datum_voorval }} een time-out gekregen. Met deze brief bevestigen wij dat.",
            editable=True,
        ),
        Block("feiten", "Wat er gebeurde", "**Wat er gebeurde**\n{{ wat_er_gebeurde }}", editable=True),
        Block(
            "maatregel",
            "De maatregel",
            "**De maatregel**\n{{ leerling_naam }} werkt {{ maatregel_duur }} niet in de eigen groep, "
            "maar {{ werkplek }}. {{ leerling_naam }} blijft op school, onder toezicht van de school, "
            "en krijgt werk mee van de eigen leerkracht.",
            editable=True,
        ),
        Block(
            "gesprek",
            "Een gesprek",
            "**Een gesprek**\nWij willen graag met u bespreken wat er gebeurde en hoe wij samen verder "
            "gaan. {{ gesprek_aanbod }}",
            editable=True,
        ),
    ),
    requirements=(
        Requirement("feiten", "wat er gebeurde (feiten)", fields=("wat_er_gebeurde",)),
        Requirement("maatregel", "de maatregel en hoe lang die duurt", fields=("maatregel_duur",)),
        Requirement("werkplek", "waar de leerling werkt", fields=("werkplek",)),
        Requirement("gesprek", "het aanbod van een gesprek", fields=("gesprek_aanbod",)),
    ),
)

# --- Schorsing (WPO 40c; LEGAL.md R3–R9, §8) -----------------------------------------------------

TRUSTED_PERSON = (
    "U mag iemand meenemen die u steunt, bijvoorbeeld een familielid of een vertrouwenspersoon. "
    "Laat ons vooraf weten wie er met u meekomt."
)

SUSPENSION_INVITATION = _kind(
    code="schorsing_uitnodiging",
    title="Uitnodiging voor een gesprek over een schorsing",
    legal=True,
    pupil=True,
    subject="Uitnodiging voor een gesprek over {{ leerling_naam }}",
    extra={"salutation": PUPIL_SALUTATION},
    sources="WPO art. 40c; LEGAL.md §8; plan Bijlage 4, stap 6",
    fields=(
        Field(
            "aanleiding",
            "Aanleiding (feiten)",
            "Op donderdag 3 december 2026 heeft Sam tijdens de gymles een klasgenoot geslagen en "
            "de leerkracht bedreigd.",
            multiline=True,
        ),
        Field(
            "besproken_maatregel",
            "De maatregel die u bespreekt",
            "een schorsing van dinsdag 8 tot en met donderdag 10 december 2026",
        ),
        Field("gesprek_datum_tijd", "Datum en tijd van het gesprek", "maandag 7 december 2026 om 15.00 uur"),
        Field("gesprek_plaats", "Plaats van het gesprek", "de directiekamer van CBS De Regenboog"),
        Field(
            "aanwezigen",
            "Wie er van school bij zijn",
            "J. de Boer (directeur) en A. Jansen (intern begeleider)",
        ),
        Field("groepsleerkracht", "Groepsleerkracht (uitgenodigd)", "meester Pieters"),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Wij nodigen u uit voor een gesprek over {{ leerling_naam }}. De aanleiding is het "
            "volgende.\n\n{{ aanleiding }}",
            editable=True,
        ),
        Block(
            "maatregel",
            "De maatregel",
            "Wij overwegen {{ besproken_maatregel }}. Voordat wij daarover beslissen, willen wij uw "
            "kant van het verhaal horen.",
            editable=True,
        ),
        Block(
            "afspraak",
            "Datum, plaats en wie er zijn",
            "**Wanneer:** {{ gesprek_datum_tijd }}\n**Waar:** {{ gesprek_plaats }}\n"
            "**Van school:** {{ aanwezigen }}. Ook de groepsleerkracht, {{ groepsleerkracht }}, is "
            "uitgenodigd.",
            editable=True,
        ),
        Block(
            "vertrouwenspersoon",
            "Iemand meenemen",
            TRUSTED_PERSON + " Kunt u op dit tijdstip niet? Neem dan zo snel mogelijk contact met ons "
            "op; dan zoeken wij samen een ander moment.",
            editable=False,
            source="LEGAL.md §8 (recht om een vertrouwenspersoon mee te nemen)",
        ),
    ),
    requirements=(
        Requirement(
            "datum_tijd",
            "datum, tijd en plaats van het gesprek",
            fields=("gesprek_datum_tijd", "gesprek_plaats"),
        ),
        Requirement(
            "wie",
            "wie er bij het gesprek zijn (de leerkracht uitgenodigd)",
            fields=("aanwezigen", "groepsleerkracht"),
        ),
        Requirement(
            "vertrouwenspersoon",
            "het recht om een vertrouwenspersoon mee te nemen",
            blocks=("vertrouwenspersoon",),
        ),
        Requirement("maatregel", "de maatregel die besproken wordt", fields=("besproken_maatregel",)),
    ),
)

SUSPENSION_DECISION = _kind(
    code="schorsing_besluit",
    title="Besluit tot schorsing",
    legal=True,
    pupil=True,
    signed_by_board=True,
    subject="Besluit tot schorsing van {{ leerling_naam }}",
    extra={"salutation": PUPIL_SALUTATION},
    sources="WPO art. 40c lid 1 en 2; Awb art. 3:45, 6:5, 6:7, 7:2, 7:10; LEGAL.md R3–R9 en §8",
    fields=(
        Field("gesprek_datum", "Datum van het gesprek met de ouders", "maandag 7 december 2026"),
        Field("eerste_dag", "Eerste dag van de schorsing", "dinsdag 8 december 2026"),
        Field("laatste_dag", "Laatste dag van de schorsing", "donderdag 10 december 2026"),
        Field(
            "redenen",
            "Redenen van het besluit",
            "Sam heeft op donderdag 3 december 2026 een klasgenoot geslagen en de leerkracht bedreigd. "
            "Eerder maakten wij met u en met Sam afspraken over zijn gedrag (stap 4 van ons "
            "stappenplan) en kreeg Sam een time-out. Die maatregelen hebben niet geholpen. De veiligheid "
            "van de andere leerlingen en van de leerkracht vraagt nu om een zwaardere maatregel.",
            multiline=True,
        ),
        Field(
            "onderwijsmaatregelen",
            "Onderwijs tijdens de schorsing",
            "Sam krijgt elke dag schoolwerk mee. De groepsleerkracht belt dagelijks om 14.00 uur om het "
            "werk te bespreken.",
            multiline=True,
        ),
        Field(
            "beroep_adres",
            "Adres voor beroep of bezwaar",
            "het bestuur van Stichting LEV, Postbus 100, 2770 AC Boskoop",
        ),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Op {{ gesprek_datum }} hebben wij met u gesproken over {{ leerling_naam }}. Wij hebben ook "
            "overlegd met de groepsleerkracht. Met deze brief laten wij u weten wat wij hebben besloten.",
            editable=True,
        ),
        Block(
            "besluit",
            "Het besluit",
            "**Ons besluit**\nWij schorsen {{ leerling_naam }} van {{ eerste_dag }} tot en met "
            "{{ laatste_dag }}. In die periode mag {{ leerling_naam }} niet naar school komen. Een "
            "schorsing duurt ten hoogste één week (artikel 40c van de Wet op het primair onderwijs).",
            editable=False,
            source="WPO art. 40c lid 1",
        ),
        Block("redenen", "Redenen", "**Waarom wij dit besluiten**\n{{ redenen }}", editable=True),
        Block(
            "onderwijs",
            "Onderwijs tijdens de schorsing",
            "**Onderwijs tijdens de schorsing**\n{{ onderwijsmaatregelen }}\nValt er in deze periode een "
            "toets, dan kan {{ leerling_naam }} die later maken.",
            editable=True,
        ),
        Block(
            "beroep_bijzonder",
            "Beroep bij het bestuur (bijzonder onderwijs)",
            "**Bent u het niet eens met dit besluit?**\nDan kunt u beroep instellen bij het bestuur van "
            "{{ bestuur_naam }}. Stuur uw beroep schriftelijk en ondertekend naar {{ beroep_adres }}. "
            "Schrijf erin tegen welk besluit u in beroep gaat en waarom. Voordat het bestuur beslist, "
            "mag u uw standpunt toelichten. Het bestuur beslist binnen 14 dagen na ontvangst van uw "
            "beroep.",
            editable=False,
            only_for=BIJ,
            source="LEGAL.md R8 (bijzonder: de beroepsregeling van de school, 14 dagen); plan stap 6",
        ),
        Block(
            "bezwaar_openbaar",
            "Bezwaar (openbaar onderwijs, Awb)",
            "**Bent u het niet eens met dit besluit?**\nDan kunt u bezwaar maken binnen zes weken na de "
            "dag waarop dit besluit aan u is bekendgemaakt. Stuur een ondertekend bezwaarschrift naar "
            "{{ beroep_adres }}. Vermeld daarin uw naam en adres, de datum, een omschrijving van het "
            "besluit waartegen u bezwaar maakt en de redenen van uw bezwaar (artikel 6:5 van de "
            "Algemene wet bestuursrecht). Voordat het bestuur beslist, hoort het u. Het bestuur beslist "
            "binnen zes weken na afloop van de bezwaartermijn.",
            editable=False,
            only_for=OPB,
            source="Awb art. 3:45, 6:5, 6:7, 7:2, 7:10; LEGAL.md R8",
        ),
    ),
    requirements=(
        Requirement("redenen", "de redenen van het besluit", fields=("redenen",)),
        Requirement(
            "periode",
            "de eerste en de laatste dag van de schorsing (ten hoogste één week)",
            fields=("eerste_dag", "laatste_dag"),
            blocks=("besluit",),
        ),
        Requirement(
            "onderwijs", "de maatregelen voor onderwijs en toetsen", fields=("onderwijsmaatregelen",)
        ),
        Requirement(
            "route_bijzonder",
            "de weg om het besluit aan te vechten: beroep bij het bestuur, beslissing binnen 14 dagen",
            fields=("beroep_adres",),
            blocks=("beroep_bijzonder",),
            only_for=BIJ,
        ),
        Requirement(
            "route_openbaar",
            "de bezwaarclausule (bezwaar binnen zes weken, bij wie en hoe)",
            fields=("beroep_adres",),
            blocks=("bezwaar_openbaar",),
            only_for=OPB,
        ),
    ),
)

SUSPENSION_REPORT = _kind(
    code="schorsing_verslag",
    title="Verslag van het gesprek over een schorsing",
    legal=True,
    pupil=True,
    subject="Verslag van ons gesprek over {{ leerling_naam }} op {{ gesprek_datum }}",
    extra={"salutation": PUPIL_SALUTATION},
    sources="plan Bijlage 4, stap 6; LEGAL.md §8",
    fields=(
        Field("gesprek_datum", "Datum van het gesprek", "maandag 7 december 2026"),
        Field(
            "aanwezigen",
            "Aanwezig",
            "de ouders van Sam; J. de Boer (directeur); meester Pieters (groepsleerkracht)",
        ),
        Field(
            "besproken",
            "Wat er besproken is",
            "Wij hebben verteld wat er op 3 december gebeurde en waarom wij een schorsing overwegen. "
            "U hebt verteld hoe Sam het thuis heeft verteld en dat Sam zich vaak gepest voelt.",
            multiline=True,
        ),
        Field(
            "afspraken",
            "Wat er is afgesproken",
            "- Sam krijgt elke dag werk mee.\n- Wij bespreken het pesten in de groep.\n"
            "- Wij spreken elkaar weer op maandag 14 december 2026.",
            multiline=True,
        ),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Hierbij ontvangt u het verslag van ons gesprek over {{ leerling_naam }} op {{ gesprek_datum }}.",
            editable=True,
        ),
        Block(
            "verslag",
            "Het verslag",
            "**Aanwezig**\n{{ aanwezigen }}\n\n**Wat wij bespraken**\n{{ besproken }}\n\n"
            "**Wat wij afspraken**\n{{ afspraken }}",
            editable=True,
        ),
        Block(
            "voor_gezien",
            "Voor gezien",
            "Wilt u dit verslag ondertekenen ‘voor gezien’ en binnen vijf schooldagen aan ons "
            "teruggeven? Met uw handtekening laat u weten dat u het verslag hebt ontvangen. Het "
            "betekent niet dat u het met de inhoud eens bent. Bent u het ergens niet mee eens, schrijf "
            "uw opmerkingen dan op een apart blad; wij bewaren dat bij het verslag.\n\n"
            "**Voor gezien**\nDatum: ............................................\n"
            "Naam: ............................................\n"
            "Handtekening: ............................................",
            editable=False,
            source="plan Bijlage 4, stap 6 (verslag getekend voor gezien)",
        ),
    ),
    requirements=(
        Requirement("datum", "de datum van het gesprek", fields=("gesprek_datum",)),
        Requirement("aanwezigen", "wie er aanwezig waren", fields=("aanwezigen",)),
        Requirement("besproken", "wat er besproken is", fields=("besproken",)),
        Requirement("afspraken", "de afspraken", fields=("afspraken",)),
        Requirement("voor_gezien", "ondertekening ‘voor gezien’", blocks=("voor_gezien",)),
    ),
)

# --- Verwijdering (WPO 40, 63; LEGAL.md R10–R19, §8) ----------------------------------------------

ABOLISHED = ("8 weken", "acht weken", "tijdelijke verwijdering", "tijdelijk verwijder")

EXPULSION_INVITATION = _kind(
    code="verwijdering_uitnodiging",
    title="Voornemen tot verwijdering: uitnodiging om gehoord te worden",
    legal=True,
    pupil=True,
    signed_by_board=True,
    subject="Voornemen tot verwijdering van {{ leerling_naam }}: uitnodiging om gehoord te worden",
    extra={"salutation": PUPIL_SALUTATION},
    # No decision yet, so no bezwaar clause (LEGAL.md §8).
    forbidden_phrases=(*ABOLISHED, "bezwaar"),
    sources="WPO art. 40 lid 11; LEGAL.md R10, R11, R13 en §8",
    fields=(
        Field(
            "redenen",
            "Redenen van het voornemen",
            "Sam heeft dit schooljaar meerdere keren klasgenoten en leerkrachten bedreigd en geslagen. "
            "Ondanks de afspraken met u, de hulp van de intern begeleider en twee schorsingen is dit "
            "gedrag niet veranderd.",
            multiline=True,
        ),
        Field(
            "grond",
            "De grond",
            "ernstig en herhaald wangedrag, waardoor de veiligheid van leerlingen en leerkrachten niet "
            "langer kan worden gewaarborgd",
        ),
        Field(
            "hoorzitting_datum_tijd", "Datum en tijd van het horen", "dinsdag 15 december 2026 om 16.00 uur"
        ),
        Field("hoorzitting_plaats", "Plaats van het horen", "het bestuurskantoor, Reijerskoop 1 in Boskoop"),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Het bestuur van {{ bestuur_naam }} is van plan {{ leerling_naam }} van {{ school_naam }} te "
            "verwijderen. Er is nog geen besluit genomen. Voordat het bestuur beslist, wil het u horen.",
            editable=True,
        ),
        Block(
            "redenen",
            "Redenen",
            "**Waarom wij dit overwegen**\n{{ redenen }}\n\nDe grond voor het voornemen is: {{ grond }}.",
            editable=True,
        ),
        Block(
            "hoorzitting",
            "Het horen",
            "**Het gesprek (hoorzitting)**\nWij nodigen u uit om uw standpunt te geven op "
            "{{ hoorzitting_datum_tijd }}, in {{ hoorzitting_plaats }}. Het bestuur hoort ook de "
            "groepsleerkracht.",
            editable=True,
        ),
        Block(
            "rechten",
            "Iemand meenemen; het kind horen",
            TRUSTED_PERSON + " Is uw kind 12 jaar of ouder, dan nodigen wij ook uw kind uit om gehoord "
            "te worden; ook uw kind mag iemand meenemen. Van het gesprek maken wij een verslag, dat u "
            "ontvangt.",
            editable=False,
            source="WPO art. 40 lid 11; LEGAL.md R11 en §8 (de leerling gehoord vanaf 12 jaar, plan)",
        ),
        Block(
            "vervolg",
            "Hoe het verder gaat",
            "**Hoe het verder gaat**\nNa het horen beslist het bestuur. Besluit het bestuur tot "
            "verwijdering, dan ontvangt u dat besluit schriftelijk, met de redenen en met uitleg over "
            "wat u kunt doen als u het er niet mee eens bent. Een verwijdering gaat pas in als een "
            "andere school bereid is gevonden {{ leerling_naam }} toe te laten (artikel 40 van de Wet "
            "op het primair onderwijs). Tot die tijd blijft {{ leerling_naam }} leerling van onze school.",
            editable=False,
            source="WPO art. 40 lid 11; LEGAL.md R10, R13",
        ),
    ),
    requirements=(
        Requirement("voornemen", "het voornemen en de redenen", fields=("redenen",)),
        Requirement("grond", "de grond", fields=("grond",)),
        Requirement(
            "horen",
            "datum, tijd en plaats van het horen",
            fields=("hoorzitting_datum_tijd", "hoorzitting_plaats"),
        ),
        Requirement(
            "vertrouwenspersoon_en_kind",
            "het recht op een vertrouwenspersoon en het horen van de leerling vanaf 12 jaar",
            blocks=("rechten",),
        ),
    ),
)

EXPULSION_DECISION = _kind(
    code="verwijdering_besluit",
    title="Besluit tot verwijdering",
    legal=True,
    pupil=True,
    signed_by_board=True,
    subject="Besluit tot verwijdering van {{ leerling_naam }}",
    extra={"salutation": PUPIL_SALUTATION},
    forbidden_phrases=(*ABOLISHED, "na ontvangst van dit besluit"),
    sources="WPO art. 40, 43 lid 4, 63 lid 2 en 3; Awb art. 3:41–3:47, 6:5–6:9; LEGAL.md R11–R19 en §8",
    fields=(
        Field("hoorzitting_ouders_datum", "Datum waarop de ouders zijn gehoord", "dinsdag 15 december 2026"),
        Field(
            "hoorzitting_leerkracht_datum",
            "Datum waarop de groepsleerkracht is gehoord",
            "maandag 14 december 2026",
        ),
        Field(
            "grond",
            "De grond",
            "ernstig en herhaald wangedrag, waardoor de veiligheid van leerlingen en leerkrachten niet "
            "langer kan worden gewaarborgd",
        ),
        Field(
            "redenen",
            "Redenen van het besluit",
            "Sam heeft dit schooljaar meerdere keren klasgenoten en leerkrachten bedreigd en geslagen. "
            "Ondanks de afspraken met u, de hulp van de intern begeleider en twee schorsingen is dit "
            "gedrag niet veranderd. Wat u tijdens het horen naar voren bracht, hebben wij meegewogen: "
            "wij begrijpen dat Sam zich vaak niet begrepen voelt, maar de veiligheid van de andere "
            "kinderen weegt voor ons zwaarder.",
            multiline=True,
        ),
        Field("toelatende_school", "De school die de leerling toelaat", "CBS De Wegwijzer in Waddinxveen"),
        Field("toelating_datum", "Datum waarop die school toezegde", "vrijdag 8 januari 2027"),
        Field("ingangsdatum", "Datum waarop de verwijdering ingaat", "maandag 25 januari 2027"),
        Field("verzenddatum", "Datum van verzending van deze brief", "maandag 11 januari 2027"),
        Field(
            "bezwaar_adres",
            "Adres voor het bezwaar",
            "het bestuur van Stichting LEV, Postbus 100, 2770 AC Boskoop",
        ),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Op {{ hoorzitting_ouders_datum }} hebben wij u gehoord over ons voornemen om "
            "{{ leerling_naam }} van {{ school_naam }} te verwijderen. De groepsleerkracht hebben wij "
            "gehoord op {{ hoorzitting_leerkracht_datum }}. Met deze brief laten wij u weten wat het "
            "bestuur heeft besloten.",
            editable=True,
        ),
        Block(
            "besluit",
            "Het besluit",
            "**Ons besluit**\nHet bestuur van {{ bestuur_naam }} verwijdert {{ leerling_naam }} van "
            "{{ school_naam }} met ingang van {{ ingangsdatum }}, op grond van artikel 40 van de Wet op "
            "het primair onderwijs. {{ toelatende_school }} heeft op {{ toelating_datum }} laten weten "
            "dat zij bereid is {{ leerling_naam }} toe te laten.",
            editable=False,
            source="WPO art. 40 lid 11 (verwijdering pas na toezegging van een andere school)",
        ),
        Block(
            "redenen",
            "Redenen",
            "**Waarom wij dit besluiten**\nDe grond voor de verwijdering is: {{ grond }}.\n\n{{ redenen }}",
            editable=True,
        ),
        Block(
            "bezwaar_bijzonder",
            "Bezwaar (bijzonder onderwijs, WPO 63)",
            "**Bent u het niet eens met dit besluit?**\nArtikel 63, derde lid, van de Wet op het primair "
            "onderwijs bepaalt: ‘Binnen zes weken na de mededeling van een beslissing als bedoeld in het "
            "tweede lid, kan de belanghebbende het bevoegd gezag schriftelijk verzoeken om herziening "
            "van die beslissing.’\nU kunt dus bezwaar maken binnen zes weken na de datum van verzending "
            "van deze brief (verzonden op {{ verzenddatum }}). Stuur uw bezwaar schriftelijk en "
            "ondertekend naar {{ bezwaar_adres }}. Een bezwaar dat u vóór het einde van de termijn op de "
            "post doet en dat wij uiterlijk een week daarna ontvangen, is op tijd. Voordat het bestuur "
            "beslist, hoort het u. Het bestuur beslist binnen vier weken na ontvangst van uw bezwaar.",
            editable=False,
            only_for=BIJ,
            source="WPO art. 63 lid 3 (eerste zin; letterlijke tekst te toetsen); LEGAL.md R16, R17, R18, §10.1",
        ),
        Block(
            "bezwaar_openbaar",
            "Bezwaar (openbaar onderwijs, Awb)",
            "**Bent u het niet eens met dit besluit?**\nDan kunt u bezwaar maken binnen zes weken na de "
            "datum van verzending van deze brief (verzonden op {{ verzenddatum }}). Stuur een ondertekend "
            "bezwaarschrift naar {{ bezwaar_adres }}. Vermeld daarin uw naam en adres, de datum, een "
            "omschrijving van het besluit waartegen u bezwaar maakt en de redenen van uw bezwaar "
            "(artikel 6:5 van de Algemene wet bestuursrecht). Een bezwaarschrift dat vóór het einde van "
            "de termijn op de post is gedaan en uiterlijk een week daarna is ontvangen, is op tijd "
            "(artikel 6:9 Awb). Voordat het bestuur beslist, hoort het u. Het bestuur beslist binnen vier "
            "weken na afloop van de bezwaartermijn.",
            editable=False,
            only_for=OPB,
            source="Awb art. 3:45, 6:5, 6:7–6:9, 7:2; WPO art. 40 lid 12; LEGAL.md R16–R18",
        ),
        Block(
            "gpo",
            "Geschillencommissie passend onderwijs",
            "**Geschillencommissie passend onderwijs**\nU kunt binnen zes weken na de datum van verzending "
            "van deze brief ook de Geschillencommissie passend onderwijs (GPO) om een oordeel vragen. "
            "Doet u dat, dan beslist het bestuur pas op uw bezwaar nadat de commissie haar oordeel heeft "
            "gegeven; de termijn waarbinnen het bestuur moet beslissen, staat zolang stil. Meer "
            "informatie vindt u op www.onderwijsgeschillen.nl.",
            editable=False,
            source="WPO art. 43 lid 4; LEGAL.md R19",
        ),
        Block(
            "vervolg",
            "Overstap naar de nieuwe school",
            "Wij zorgen dat {{ leerling_naam }} zonder onderbreking naar {{ toelatende_school }} kan gaan. "
            "De nieuwe school ontvangt van ons een onderwijskundig rapport; u krijgt daarvan een kopie.",
            editable=True,
        ),
    ),
    requirements=(
        Requirement("redenen", "de redenen", fields=("redenen",)),
        Requirement("grond", "de grond", fields=("grond",)),
        Requirement(
            "hoorzittingen",
            "de hoorzittingen (data)",
            fields=("hoorzitting_ouders_datum", "hoorzitting_leerkracht_datum"),
        ),
        Requirement(
            "toelatende_school",
            "de school die heeft toegezegd de leerling toe te laten",
            fields=("toelatende_school", "toelating_datum"),
            blocks=("besluit",),
        ),
        Requirement("ingangsdatum", "de datum waarop de verwijdering ingaat", fields=("ingangsdatum",)),
        Requirement(
            "bezwaar_bijzonder",
            "het bezwaarrecht met het citaat van WPO art. 63 lid 3, de termijn vanaf verzending, het horen en de beslistermijn",
            fields=("verzenddatum", "bezwaar_adres"),
            blocks=("bezwaar_bijzonder",),
            only_for=BIJ,
        ),
        Requirement(
            "bezwaar_openbaar",
            "de bezwaarclausule (Awb), de termijn vanaf verzending, het horen en de beslistermijn",
            fields=("verzenddatum", "bezwaar_adres"),
            blocks=("bezwaar_openbaar",),
            only_for=OPB,
        ),
        Requirement("gpo", "de route naar de Geschillencommissie passend onderwijs", blocks=("gpo",)),
    ),
)

OBJECTION_DECISION = _kind(
    code="besluit_bezwaar",
    title="Beslissing op een bezwaar of beroep",
    legal=True,
    pupil=True,
    signed_by_board=True,
    subject="Beslissing op uw bezwaar of beroep over {{ leerling_naam }}",
    extra={"salutation": PUPIL_SALUTATION},
    sources="WPO art. 63; Awb art. 7:2, 7:12, 6:7, 8:1; LEGAL.md R8, R17, R18 en §8",
    fields=(
        Field(
            "bestreden_besluit",
            "Het besluit waartegen bezwaar of beroep is ingesteld",
            "ons besluit van 11 januari 2027 om Sam de Vries van school te verwijderen",
        ),
        Field("ontvangen_op", "Datum van ontvangst van het bezwaar of beroep", "maandag 1 februari 2027"),
        Field("hoorzitting_datum", "Datum waarop de ouders zijn gehoord", "dinsdag 16 februari 2027"),
        Field(
            "beslissing",
            "De beslissing",
            "Wij verklaren uw bezwaar ongegrond. Het besluit blijft van kracht.",
            multiline=True,
        ),
        Field(
            "redenen",
            "Redenen van de beslissing",
            "U gaf aan dat de school te weinig hulp heeft ingezet. Uit het dossier blijkt dat de "
            "intern begeleider en een externe deskundige Sam sinds september hebben begeleid. Ook de "
            "andere punten die u noemde, geven geen aanleiding het besluit te herzien.",
            multiline=True,
        ),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Op {{ ontvangen_op }} ontvingen wij uw bezwaar of beroep tegen {{ bestreden_besluit }}. Op "
            "{{ hoorzitting_datum }} hebben wij u gehoord. Met deze brief laten wij u weten wat wij "
            "hebben beslist.",
            editable=True,
        ),
        Block("beslissing", "De beslissing", "**Onze beslissing**\n{{ beslissing }}", editable=True),
        Block("redenen", "Redenen", "**Waarom**\n{{ redenen }}", editable=True),
        Block(
            "vervolg_bijzonder",
            "Verder procederen (bijzonder onderwijs)",
            "**Bent u het niet eens met deze beslissing?**\nDan kunt u de zaak voorleggen aan de "
            "burgerlijke rechter. Daarvoor hebt u in de meeste gevallen een advocaat nodig. Het "
            "Juridisch Loket (www.juridischloket.nl) kan u gratis adviseren.",
            editable=False,
            only_for=BIJ,
            source="LEGAL.md §8 (bijzonder: de civiele rechter)",
        ),
        Block(
            "vervolg_openbaar",
            "Beroep bij de rechtbank (openbaar onderwijs)",
            "**Bent u het niet eens met deze beslissing?**\nDan kunt u binnen zes weken na de dag waarop "
            "deze beslissing aan u is bekendgemaakt beroep instellen bij de rechtbank (bestuursrecht). "
            "Het beroepschrift moet ondertekend zijn en bevat uw naam en adres, de datum, een omschrijving "
            "van de beslissing waartegen u beroep instelt en de redenen van uw beroep. Voor een beroep "
            "betaalt u griffierecht.",
            editable=False,
            only_for=OPB,
            source="Awb art. 3:45, 6:5, 6:7, 8:1; LEGAL.md §8",
        ),
    ),
    requirements=(
        Requirement("beslissing", "de beslissing", fields=("beslissing",)),
        Requirement("redenen", "de redenen", fields=("redenen",)),
        Requirement("horen", "het horen van de ouders (datum)", fields=("hoorzitting_datum",)),
        Requirement(
            "vervolg_bijzonder",
            "het volgende rechtsmiddel: de burgerlijke rechter",
            blocks=("vervolg_bijzonder",),
            only_for=BIJ,
        ),
        Requirement(
            "vervolg_openbaar",
            "het volgende rechtsmiddel: beroep bij de rechtbank binnen zes weken",
            blocks=("vervolg_openbaar",),
            only_for=OPB,
        ),
    ),
)

# --- Incident letters (plan Bijlage 23–25, §17; LEGAL.md R2a, §8) ----------------------------------

CALM_AND_PRIVACY = Block(
    "rust_en_privacy",
    "Rust en privacy",
    "Wij willen u vertellen wat wij als school doen. Ook vragen wij u de rust te bewaren, in het "
    "belang van alle kinderen. Wilt u, ter bescherming van de betrokken kinderen en hun ouders, hun "
    "privacy respecteren? Wij noemen daarom in deze brief geen namen.",
    editable=False,
    source="plan Bijlage 23–25; LEGAL.md §8 (verzoek om rust en privacy, geen namen)",
)
STAYS_HOME = Block(
    "thuis_gehouden",
    "Een betrokken leerling komt niet naar school (alleen bij een besloten schorsing)",
    "Een van de betrokken leerlingen komt van {{ thuis_eerste_dag }} tot en met {{ thuis_laatste_dag }} "
    "niet naar school.",
    editable=False,
    optional=True,
    source="LEGAL.md R2a: alleen als een besloten schorsing van die leerling deze dagen dekt; de leerling wordt nooit genoemd",
)
STAYS_HOME_FIELDS = (
    Field("thuis_eerste_dag", "Eerste dag dat de leerling niet komt", "dinsdag 8 december 2026"),
    Field("thuis_laatste_dag", "Laatste dag dat de leerling niet komt", "donderdag 10 december 2026"),
)
INCIDENT_REQUIREMENTS = (
    Requirement(
        "rust_en_privacy", "het verzoek om rust en privacy, zonder namen", blocks=("rust_en_privacy",)
    ),
)

INCIDENT_OWN_GROUP = _kind(
    code="incident_eigen_groep",
    title="Ouderbrief na een ernstig voorval: de eigen groep",
    legal=False,
    pupil=False,
    attachment_allowed=True,
    wording_override_required=True,
    subject="Een voorval in {{ groep }}",
    extra={"salutation": "Geachte ouders/verzorgers van de leerlingen van {{ groep }},"},
    sources="plan Bijlage 23, §17.3–17.5; LEGAL.md R2a en §8",
    fields=(
        Field("groep", "De groep", "groep 5"),
        Field(
            "situatie",
            "Wat er gebeurde, in algemene woorden",
            "tussen enkele leerlingen tijdens het buitenspelen",
        ),
        Field(
            "acties",
            "Wat de school doet",
            "Vandaag hebben wij in de groep met de kinderen gepraat over wat wel en niet mag. Met de "
            "GGD maken wij een plan om herhaling te voorkomen.",
            multiline=True,
        ),
        Field("partners", "Externe partners", "de GGD Hollands Midden en het wijkteam"),
        *STAYS_HOME_FIELDS,
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Naar aanleiding van een vervelend voorval in {{ groep }} ontvangt u deze brief.",
            editable=True,
        ),
        CALM_AND_PRIVACY,
        Block(
            "wat",
            "Wat er gebeurde en wat wij doen",
            "Er is sprake geweest van grensoverschrijdend gedrag {{ situatie }}. Met de ouders van de "
            "betrokken leerlingen hebben wij direct gesproken. Voor de betrokken leerlingen is "
            "begeleiding geregeld.\n\n{{ acties }}",
            editable=True,
        ),
        STAYS_HOME,
        Block(
            "advies",
            "Advies aan ouders",
            "Er zijn geen aanwijzingen dat ook andere kinderen betrokken zijn, maar helemaal zeker weten "
            "wij dat niet. Kinderen van deze leeftijd vertellen niet altijd wat er is gebeurd. Let "
            "daarom op signalen van uw kind en praat er voorzichtig over. Stel open vragen en geen "
            "sturende vragen: kinderen geven snel het antwoord waarvan zij denken dat u het verwacht.\n\n"
            "Uw reactie is voor uw kind heel belangrijk. Als ouders erg schrikken of emotioneel "
            "reageren, doen kinderen dat ook. Het is aan ons als volwassenen om rustig te blijven en "
            "goed op te treden om de veiligheid te vergroten.",
            editable=True,
        ),
        Block(
            "slot",
            "Slot",
            "Wij betreuren het dat dit op onze school is gebeurd. Wij zetten stappen om de veiligheid op "
            "school te vergroten, rond de betrokkenen en in het algemeen. Dat willen wij samen met u "
            "doen. Wij betrekken daarbij ook {{ partners }}. Wij laten u weten welke stappen wij "
            "concreet zetten.",
            editable=True,
        ),
    ),
    requirements=(
        Requirement("groep", "de groep", fields=("groep",)),
        Requirement("wat", "wat er gebeurde, in algemene woorden", fields=("situatie",)),
        Requirement("acties", "wat de school doet", fields=("acties",)),
        *INCIDENT_REQUIREMENTS,
    ),
)

INCIDENT_OTHER_GROUPS = _kind(
    code="incident_overige_groepen",
    title="Ouderbrief na een ernstig voorval: de andere groepen",
    legal=False,
    pupil=False,
    attachment_allowed=True,
    wording_override_required=True,
    subject="Een voorval op school",
    extra={"salutation": "Geachte ouders/verzorgers van de leerlingen van {{ groepen }},"},
    sources="plan Bijlage 24 (met ‘groep X’ ingevuld in plaats van ‘groep 1’), §17.4–17.5; LEGAL.md R2a en §8",
    fields=(
        Field("groepen", "De groepen die deze brief krijgen", "groep 1 tot en met 4 en groep 6 tot en met 8"),
        Field("groep", "De groep waarin het voorval was", "groep 5"),
        Field(
            "situatie",
            "Wat er gebeurde, in algemene woorden",
            "tussen enkele leerlingen tijdens het buitenspelen",
        ),
        Field(
            "acties",
            "Wat de school doet",
            "Met de GGD maken wij een plan om herhaling te voorkomen.",
            multiline=True,
        ),
        Field("partners", "Externe partners", "de GGD Hollands Midden en het wijkteam"),
        *STAYS_HOME_FIELDS,
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Naar aanleiding van een vervelend voorval in {{ groep }} ontvangt u deze brief.",
            editable=True,
        ),
        CALM_AND_PRIVACY,
        Block(
            "wat",
            "Wat er gebeurde en wat wij doen",
            "Er is sprake geweest van grensoverschrijdend gedrag {{ situatie }}. Met de ouders van de "
            "betrokken leerlingen hebben wij direct gesproken. Waar nodig is begeleiding geregeld voor "
            "de betrokken leerlingen. Ook de ouders van {{ groep }} hebben een brief ontvangen.\n\n"
            "{{ acties }}",
            editable=True,
        ),
        STAYS_HOME,
        Block(
            "advies",
            "Advies aan ouders",
            "Bespreekt u deze brief met uw kind, doe dat dan rustig en weloverwogen. Hoe volwassenen "
            "reageren, bepaalt voor een groot deel hoe kinderen zo'n gebeurtenis beleven en hoe veilig "
            "zij zich voelen. Het is aan ons als volwassenen om rustig te blijven en goed op te treden "
            "om de veiligheid te vergroten.",
            editable=True,
        ),
        Block(
            "slot",
            "Slot",
            "Wij betreuren het dat dit op onze school is gebeurd. Wij zetten stappen om de veiligheid op "
            "school te vergroten, rond de betrokkenen en in het algemeen. Dat willen wij samen met u "
            "doen. Wij betrekken daarbij ook {{ partners }}.",
            editable=True,
        ),
    ),
    requirements=(
        Requirement("groep", "de groep waarin het voorval was", fields=("groep",)),
        Requirement("wat", "wat er gebeurde, in algemene woorden", fields=("situatie",)),
        Requirement("acties", "wat de school doet", fields=("acties",)),
        *INCIDENT_REQUIREMENTS,
    ),
)

INCIDENT_YOUNG = _kind(
    code="incident_jonge_kinderen",
    title="Ouderbrief na grensoverschrijdend gedrag bij jonge kinderen",
    legal=False,
    pupil=False,
    attachment_allowed=True,
    wording_override_required=True,
    subject="Een voorval in {{ groep }}",
    extra={"salutation": "Geachte ouders/verzorgers van de leerlingen van {{ groep }},"},
    sources="plan Bijlage 25, §17.3–17.6; LEGAL.md R2a en §8",
    fields=(
        Field("groep", "De groep", "groep 1/2b"),
        Field("leerkracht", "De leerkracht die het in de groep besprak", "juf Anna"),
        Field(
            "besproken_in_groep",
            "Wat er in de groep is verteld",
            "dat je lijf van jezelf is, dat je ‘stop’ mag zeggen als je iets niet wilt, en dat je het "
            "altijd aan de juf mag vertellen",
            multiline=True,
        ),
        Field("deskundigen", "Deskundigen die de school steunen", "de GGD Hollands Midden"),
        *STAYS_HOME_FIELDS,
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Onlangs vertelden de ouders van een van onze leerlingen uit de groep van uw kind ons dat er "
            "sprake is geweest van grensoverschrijdend gedrag door een leerling van onze school "
            "tegenover hun kind.",
            editable=True,
        ),
        CALM_AND_PRIVACY,
        Block(
            "wat",
            "Wat wij doen",
            "Met de ouders van de betrokken leerlingen hebben wij direct gesproken. In de groep heeft "
            "{{ leerkracht }} met de kinderen over de gebeurtenis gepraat. Zij heeft daarbij verteld: "
            "{{ besproken_in_groep }}.\n\nEr zijn afspraken gemaakt om herhaling te voorkomen. Wij "
            "letten er goed op dat die afspraken worden nageleefd.",
            editable=True,
        ),
        STAYS_HOME,
        Block(
            "advies",
            "Advies aan ouders",
            "Wij laten ons op dit moment ondersteunen door {{ deskundigen }}, om u en de kinderen goed "
            "antwoord te kunnen geven op vragen. Zij adviseren om open met uw kind over dit onderwerp "
            "te praten en goed te luisteren. Ondervraag uw kind niet: kinderen van deze leeftijd geven "
            "op vragen hierover vooral het antwoord waarvan zij denken dat u het wilt horen.\n\n"
            "Samen met deze deskundigen kijken wij of ons beleid op dit gebied in orde is en of er meer "
            "nodig is.",
            editable=True,
        ),
    ),
    requirements=(
        Requirement("groep", "de groep", fields=("groep",)),
        Requirement("wat", "wat er in de groep is verteld", fields=("leerkracht", "besproken_in_groep")),
        Requirement("advies", "advies aan ouders en wie de school steunt", fields=("deskundigen",)),
        *INCIDENT_REQUIREMENTS,
    ),
)

# --- AVG answers (AVG art. 12; UAVG 34–35; LEGAL.md §6, §8) ----------------------------------------

AVG_ANSWER = _kind(
    code="avg_antwoord",
    title="Antwoord op een verzoek over persoonsgegevens (AVG)",
    legal=True,
    pupil=True,
    subject="Antwoord op uw verzoek van {{ verzoek_datum }}",
    extra={"salutation": PUPIL_SALUTATION},
    sources="AVG art. 12, 15–21; UAVG art. 34 en 35; LEGAL.md §6 en §8",
    fields=(
        Field("verzoek_datum", "Datum van ontvangst van het verzoek", "maandag 2 november 2026"),
        Field(
            "soort_verzoek",
            "Wat er gevraagd is",
            "inzage in de gegevens die de school over Sam heeft vastgelegd",
        ),
        Field(
            "antwoord",
            "Het antwoord",
            "Wij geven u inzage in alle gegevens die wij over Sam hebben vastgelegd.",
            multiline=True,
        ),
        Field(
            "verstrekt",
            "Wat er is verstrekt (of: niet van toepassing)",
            "Bij deze brief ontvangt u een overzicht van de gegevens, de doelen waarvoor wij ze "
            "gebruiken, met wie wij ze delen en hoe lang wij ze bewaren.",
            multiline=True,
        ),
        Field(
            "weigering",
            "Wat er is geweigerd en waarom (of: niets)",
            "Wij hebben niets geweigerd.",
            multiline=True,
        ),
        Field(
            "bezwaar_adres",
            "Adres voor bezwaar (openbaar onderwijs)",
            "het bestuur van Stichting LEV, Postbus 100, 2770 AC Boskoop",
        ),
    ),
    blocks=(
        Block(
            "inleiding",
            "Inleiding",
            "Op {{ verzoek_datum }} ontvingen wij uw verzoek om {{ soort_verzoek }}. Met deze brief "
            "beantwoorden wij uw verzoek.",
            editable=True,
        ),
        Block(
            "antwoord",
            "Het antwoord",
            "**Ons antwoord**\n{{ antwoord }}\n\n**Wat u ontvangt**\n{{ verstrekt }}\n\n"
            "**Wat wij niet verstrekken, en waarom**\n{{ weigering }}",
            editable=True,
        ),
        Block(
            "klacht_ap",
            "Klacht bij de Autoriteit Persoonsgegevens",
            "**Bent u het niet eens met ons antwoord?**\nU kunt een klacht indienen bij de Autoriteit "
            "Persoonsgegevens (www.autoriteitpersoonsgegevens.nl).",
            editable=False,
            source="AVG art. 12 lid 4, 77",
        ),
        Block(
            "rechtsmiddel_openbaar",
            "Bezwaar (openbaar onderwijs)",
            "Ook kunt u binnen zes weken na de dag waarop deze brief aan u is bekendgemaakt bezwaar maken "
            "bij {{ bezwaar_adres }}. Vermeld daarin uw naam en adres, de datum, een omschrijving van "
            "de beslissing en de redenen van uw bezwaar.",
            editable=False,
            only_for=OPB,
            source="UAVG art. 34; Awb art. 6:5, 6:7",
        ),
        Block(
            "rechtsmiddel_bijzonder",
            "Verzoek aan de rechter (bijzonder onderwijs)",
            "Ook kunt u binnen zes weken na ontvangst van deze brief de rechtbank vragen ons te bevelen "
            "uw verzoek alsnog toe te wijzen. Daarvoor hebt u geen advocaat nodig.",
            editable=False,
            only_for=BIJ,
            source="UAVG art. 35",
        ),
    ),
    requirements=(
        Requirement("antwoord", "het antwoord", fields=("antwoord",)),
        Requirement("verstrekt", "wat er is verstrekt", fields=("verstrekt",)),
        Requirement("weigering", "wat er is geweigerd en waarom", fields=("weigering",)),
        Requirement("klacht_ap", "de klacht bij de Autoriteit Persoonsgegevens", blocks=("klacht_ap",)),
        Requirement(
            "rechtsmiddel_openbaar",
            "bezwaar binnen zes weken",
            fields=("bezwaar_adres",),
            blocks=("rechtsmiddel_openbaar",),
            only_for=OPB,
        ),
        Requirement(
            "rechtsmiddel_bijzonder",
            "een verzoek aan de rechter binnen zes weken",
            blocks=("rechtsmiddel_bijzonder",),
            only_for=BIJ,
        ),
    ),
)

KINDS: dict[str, LetterKind] = {
    kind.code: kind
    for kind in (
        TIMEOUT,
        SUSPENSION_INVITATION,
        SUSPENSION_DECISION,
        SUSPENSION_REPORT,
        EXPULSION_INVITATION,
        EXPULSION_DECISION,
        OBJECTION_DECISION,
        INCIDENT_OWN_GROUP,
        INCIDENT_OTHER_GROUPS,
        INCIDENT_YOUNG,
        AVG_ANSWER,
    )
}


def letter_kind(code: str) -> LetterKind:
    try:
        return KINDS[code]
    except KeyError as exc:
        raise KeyError(f"Unknown letter kind {code!r}.") from exc
