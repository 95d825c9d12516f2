"""Who speaks to the media during a crisis, and what to keep in mind.

Sources: the policy plan ch. 16.3 ("Uitingen naar pers en andere media worden altijd alleen gedaan
door de bestuurlijk verantwoordelijke"; staff approached by the media give "geen commentaar"),
ch. 17.7 ("in onderling overleg tussen bestuurder en locatie directeur of een nader aan te wijzen
persoon") and Bijlage 26 ("Omgaan met de media bij incidenten": one spokesperson, never names,
facts only, general words, someone listens in). The guidance is the plan's own text (Dutch), shown
beside the media log. Pure: stdlib only.
"""

from __future__ import annotations

# Bijlage 26, "persbericht" and "persconferentie", shortened.
MEDIA_GUIDANCE: tuple[str, ...] = (
    "Eén persoon voert het woord naar de pers; personeel dat door de media wordt benaderd, geeft "
    "geen commentaar en verwijst naar de woordvoerder.",
    "Noem feiten: wat er is gebeurd, hoe de school heeft gehandeld en wat de school verder doet.",
    "Noem geen namen en geef geen foto's of persoonlijke informatie van betrokkenen.",
    "Spreek in algemene woorden, bijvoorbeeld grensoverschrijdend gedrag. Vermijd woorden als dader, "
    "verdachte of ontucht: spreek van leerling.",
    "Zorg dat naast de woordvoerder nog iemand van de school bij een gesprek of interview is, om mee "
    "te luisteren en na afloop te evalueren.",
    "Stem de boodschap af met het bestuur en, desnoods achteraf, met de betrokken professionals.",
)
