"""The lists the signal and incident forms choose from.

Sources: the policy plan ch. 7 and Bijlage 11 (the incident categories of the register), Bijlage 17
("Signalen van kindermishandeling": its headings are the signal tags) and Bijlage 18 and ch. 17.3
(the roles of pupils: "kind dat initiatief neemt en kind dat iets overkomt" — never "dader" or
"slachtoffer"). Pure: labels are Dutch text shown to users and go through gettext in the models.
"""

from __future__ import annotations

# Incident categories (one per incident), in register order.
INCIDENT_CATEGORIES: tuple[str, ...] = (
    "pesten",
    "online_pesten",
    "grensoverschrijdend",
    "agressie",
    "intimidatie",
    "discriminatie",
    "radicalisering",
    "anders",
)

# Categories that count as sensitive for dashboards (small-cell threshold 10 instead of 5).
SENSITIVE_CATEGORIES: frozenset[str] = frozenset({"grensoverschrijdend", "radicalisering", "discriminatie"})

# Signal tags: the headings of Bijlage 17 (children of 4–12).
SIGNAL_TAGS: tuple[str, ...] = (
    "lichamelijk_welzijn",
    "gedrag_kind",
    "tegenover_kinderen",
    "tegenover_ouders",
    "tegenover_volwassenen",
    "overig",
    "gedrag_ouder",
    "gezinssituatie",
)

# Roles of a pupil in an incident.
PUPIL_ROLES: tuple[str, ...] = ("initiative", "experienced", "bystander")
