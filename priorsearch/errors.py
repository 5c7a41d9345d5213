"""One error type for bad user input, formatted as ``path:line:col: error: message``.

Every command catches :class:`InputError` at the top level, prints its one-line form to
stderr and exits with status 2, so a typo never produces a traceback.
"""
from __future__ import annotations

__all__ = ["InputError", "Location", "suggest"]

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something came from: a file (or ``<string>``), 1-based line and column."""

    path: str = "<string>"
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


class InputError(ValueError):
    """Bad input from a user: a file, a command-line value or an API argument."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def at(self, location: Location) -> "InputError":
        """Return the same error placed at ``location`` unless it already has a place."""
        if self.location is not None and (self.location.line or self.location.path != location.path):
            return self  # already placed, or about another file (e.g. a model a config names)
        return InputError(self.message, location)

    def __str__(self) -> str:
        text = " ".join(self.message.split("\n"))
        if self.location is None:
            return f"error: {text}"
        return f"{self.location}: error: {text}"


def suggest(name, choices) -> str:
    """`` (did you mean 'x'?)`` or an empty string.

    Parameters
    ----------
    name : object
        The unknown name the user gave (compared as ``str(name)``).
    choices : iterable of str
        The valid names; the closest one (difflib ratio at least 0.6) is suggested.

    Returns
    -------
    str
        The suffix ``" (did you mean 'x'?)"``, or ``""`` when no choice is close.
    """
    close = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
