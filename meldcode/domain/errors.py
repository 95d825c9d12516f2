"""The outcome of a Meldcode rule: refusals and warnings, each with a code, a field and a Dutch text.

Source: UX.md "Words" (an error says what is wrong and what to do, next to the field, with the rule)
and LEGAL.md §4 (every refusal names its rule). The same small types as the stappenplan's, kept in
the Meldcode app so its rules depend on nothing outside it; `RuleOutcome` is the stappenplan's
`Outcome`, named apart from the afwegingskader's `Outcome`. Codes are stable English names for
callers and tests; messages are English msgids in code, translated (gettext) when a notice is made,
so `Notice.message` is the text in the active language (Dutch). `field` names the form field the
message belongs to ("" for a message about the whole form, like Django's non-field errors).

Pure: no database, no clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # A lazy translation (gettext_lazy): a str in the language active when it is used.
    from django.utils.functional import _StrPromise as StrPromise
else:
    from django.utils.functional import Promise as StrPromise

__all__ = ["MeldcodeRefused", "Notice", "RuleOutcome", "StrPromise"]


@dataclass(frozen=True)
class Notice:
    """One refusal or warning: a stable code, the form field it belongs to and the message.

    MESSAGE is a plain str, translated into the active language (Dutch) and formatted with PARAMS.
    """

    code: str
    field: str
    message: str
    params: dict[str, str] = dataclasses.field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RuleOutcome:
    """Refusals block the action; warnings are shown but do not block it.

    (Named apart from `afwegingskader.Outcome`, which is what the afwegingskader decides.)
    """

    refusals: tuple[Notice, ...] = ()
    warnings: tuple[Notice, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.refusals

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(notice.code for notice in self.refusals)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(notice.code for notice in self.warnings)

    def raise_if_refused(self) -> None:
        if self.refusals:
            raise MeldcodeRefused(self.refusals)


class MeldcodeRefused(ValueError):
    """An action a Meldcode rule refuses. `code`, `field` and `message` are those of the first refusal."""

    def __init__(self, refusals: Sequence[Notice]) -> None:
        if not refusals:
            raise ValueError("MeldcodeRefused needs at least one refusal")
        self.refusals: tuple[Notice, ...] = tuple(refusals)
        first = self.refusals[0]
        self.code = first.code
        self.field = first.field
        self.message = first.message
        super().__init__(first.message)
