"""A demo Vlaggensysteem weighing for `seed_demo`: one assessed incident, made through the service
(so it carries its dossier entry and audit row).

Idempotent: an incident that has any weighing gets none added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lev.schools.models import Pupil

from .domain import flags as d
from .flag_services import assessment_record
from .models import FlagAssessment, Incident

# Two criteria not met, neither voluntariness nor the combination of consent and equality: the
# rule in incidents/domain/flags.py suggests geel (waarschuwen of begrenzen).
DEMO_CRITERIA: dict[str, dict[str, str]] = {
    d.TOESTEMMING: {
        "answer": "not_met",
        "note": "De andere leerling zei duidelijk ‘stop’ en liep weg (gezien door de pleinwacht).",
    },
    d.VRIJWILLIGHEID: {"answer": "met", "note": "Geen dwang of druk gezien of gehoord."},
    d.GELIJKWAARDIGHEID: {"answer": "met", "note": "Zelfde groep, zelfde leeftijd, vriendjes."},
    d.ONTWIKKELINGSADEQUAAT: {"answer": "met", "note": "Past bij de leeftijd (groep 5)."},
    d.CONTEXTADEQUAAT: {"answer": "not_met", "note": "Op het schoolplein, tijdens de pauze."},
    d.ZELFRESPECTEREND: {"answer": "met", "note": ""},
}


def seed_assessment(
    *, incident: Incident, pupil: Pupil | None, actor: Any, now: dt.datetime
) -> FlagAssessment:
    """One weighing of INCIDENT by ACTOR (a lead of its school) at NOW: of PUPIL's behaviour (a
    pupil involved in the incident), or of a group when PUPIL is None. Returns the incident's
    current weighing when it has one already."""
    existing = FlagAssessment.objects.filter(incident=incident).order_by("-assessed_at", "-id").first()
    if existing is not None:
        return existing
    group = pupil is None
    questions = {q.code: "" for q in d.questions_for(group)}
    questions["druk"] = "Nee, er was geen groepsdruk."
    return assessment_record(
        incident=incident,
        pupil=pupil,
        group_behaviour=group,
        criteria=DEMO_CRITERIA,
        questions=questions,
        gaps={
            d.GAP_CRITERIA_CLEAR: "Ja, de pleinwacht heeft het gezien en beide leerlingen zijn gehoord.",
            "risico_veiligheid": "Nee.",
            "onrust": "Nee, het bleef bij deze twee leerlingen.",
            "ontwikkelpunt": "Wederzijdse toestemming: ‘stop’ betekent stop.",
        },
        flag=d.Flag.GEEL.value,
        deviation_reason="",
        pedagogical_response=(
            "Waarschuwen of begrenzen. Gesprek met de leerling: ‘stop’ betekent stop. De leerling zegt "
            "sorry tegen de andere leerling."
        ),
        decision={
            d.DECISION_SEVERITY: "Eenmalig en kleinschalig; de veiligheid is niet in het geding.",
            "communicatie": "De leerkracht belt de ouders van beide leerlingen.",
            "toezicht": "Het bestaande toezicht op het plein is voldoende.",
            "aanvullende_regels": "Niet nodig.",
        },
        actor=actor,
        now=now,
    )
