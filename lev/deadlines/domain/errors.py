"""Errors of the deadline calculator: a code plus parameters, so callers can show their own text."""

from __future__ import annotations


class DeadlineError(ValueError):
    """A deadline that cannot be computed. `code` is stable; `params` fill the caller's message."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
