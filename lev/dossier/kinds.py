"""The kinds of chronology entries and how the pupil page names them.

Every process writes its own `DossierEntry.kind` (a short code); this is the one place that turns a
code into the word the school uses. A kind that is not listed is shown as it is stored, so a new
process never disappears from the chronology for want of a label — add its label here.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# The kind LEV writes for the parents' view of the facts (ARCHITECTURE.md §6: "a parent's view is
# added beside the facts"; plan ch. 15: parents may disagree with the file, and that is recorded).
PARENT_VIEW = "zienswijze"

# The wording the signal form stores in `told_by` when the source does not consent to being named
# (issue 5; plan ch. 15 "Vermeld de bron als informatie van derden wordt vastgelegd"). The signal
# service stores it through the catalogue at the moment of recording, so a system whose Dutch
# catalogue was not compiled then stored the English words: both count.
ANONYMOUS_SOURCE = "niet genoemd (geen toestemming)"
ANONYMOUS_SOURCE_WORDINGS = frozenset({ANONYMOUS_SOURCE, "not named (no consent)"})

KIND_LABELS: dict[str, Promise] = {
    "signal": pgettext_lazy("dossier kind", "Signal"),
    "incident": pgettext_lazy("dossier kind", "Incident"),
    "vlaggensysteem": pgettext_lazy("dossier kind", "Vlaggensysteem"),
    "flag_assessment": pgettext_lazy("dossier kind", "Vlaggensysteem"),
    "assessment": pgettext_lazy("dossier kind", "Vlaggensysteem"),
    "follow_up": pgettext_lazy("dossier kind", "Follow-up action"),
    "maatregel": pgettext_lazy("dossier kind", "Measure"),
    "measure": pgettext_lazy("dossier kind", "Measure"),
    "crisis_measure": pgettext_lazy("dossier kind", "Temporary measure"),
    "crisis": pgettext_lazy("dossier kind", "Crisis"),
    "letter": pgettext_lazy("dossier kind", "Letter"),
    "brief": pgettext_lazy("dossier kind", "Letter"),
    "parent_contact": pgettext_lazy("dossier kind", "Contact with parents"),
    "contact": pgettext_lazy("dossier kind", "Contact with parents"),
    PARENT_VIEW: pgettext_lazy("dossier kind", "Parents' view"),
    "correction": pgettext_lazy("dossier kind", "Correction"),
    "timeout": pgettext_lazy("dossier kind", "Time-out"),
    "schorsing": pgettext_lazy("dossier kind", "Suspension"),
    "suspension": pgettext_lazy("dossier kind", "Suspension"),
    "verwijdering": pgettext_lazy("dossier kind", "Expulsion"),
    "expulsion": pgettext_lazy("dossier kind", "Expulsion"),
    "escalation_step": pgettext_lazy("dossier kind", "Step in the stappenplan"),
    "stappenplan": pgettext_lazy("dossier kind", "Step in the stappenplan"),
    "meldcode": pgettext_lazy("dossier kind", "Meldcode"),
    "note": pgettext_lazy("dossier kind", "Note"),
}


def kind_label(kind: str) -> str:
    """The school's word for KIND; an unknown kind as it is stored."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def is_anonymous_source(told_by: str) -> bool:
    return told_by.strip().casefold() in ANONYMOUS_SOURCE_WORDINGS
