"""One error type for bad user input, formatted as ``path:line:col: error: message``.

Every command catches :class:`InputError` at the top level, prints its one-line form to
stderr and exits with status 2, so a typo never produces a traceback.
"""
from __future__ import annotations

__all__ = ["InputError", "Location", "Interrupted", "suggest", "natural_key"]

import difflib
import re
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

    def __reduce__(self):
        # pickled whole (a Dask worker sends its errors back pickled): the message and the
        # location as constructor arguments, any other attribute as state, so the error
        # the CLI prints is the worker's own located line
        return (type(self), (self.message, self.location), dict(self.__dict__))

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


class Interrupted(KeyboardInterrupt):
    """A signal (SIGINT, SIGTERM, SIGHUP) asked the command to stop; the CLI exits
    128 + ``signum`` (130 for SIGINT) after the outputs' cleanup has run."""

    def __init__(self, signum: int = 2):
        super().__init__(signum)
        self.signum = signum


# words a new user reaches for, mapped to the key the model format uses (used only when
# that key is one of the choices, so an unrelated list never suggests it)
_SYNONYMS = {
    "time": "t", "runtime": "t", "speed": "t", "cost": "c", "length": "c", "bits": "c",
    "description_length": "c", "objective_id": "objective",
    "arguments": "args", "argument": "args", "params": "parameters",
    "parameter": "parameters", "episode": "episodes", "primitive": "primitives",
    "component": "components", "family": "families", "alias": "aliases",
}


def suggest(name, choices) -> str:
    """`` (did you mean 'x'?)`` or an empty string.

    Case-insensitive (``C_b`` suggests ``C_B``); a word with a known meaning suggests the
    key that means it (``time`` suggests ``t``) when that key is a choice.

    Parameters
    ----------
    name : object
        The unknown name the user gave (compared as ``str(name)``).
    choices : iterable of str
        The valid names; an equal one up to case, else a synonym's key, else the closest
        one up to case (difflib ratio at least 0.6) is suggested.

    Returns
    -------
    str
        The suffix ``" (did you mean 'x'?)"``, or ``""`` when no choice is close.
    """
    choices = [str(c) for c in choices]
    text = str(name)
    folded = {}
    for c in choices:
        folded.setdefault(c.lower(), c)
    if text.lower() in folded and folded[text.lower()] != text:
        return f" (did you mean {folded[text.lower()]!r}?)"
    synonym = _SYNONYMS.get(text.lower())
    if synonym is not None and synonym in choices:
        return f" (did you mean {synonym!r}?)"
    close = difflib.get_close_matches(text.lower(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def natural_key(text: str):
    """Sort key with digit runs compared as numbers: misaligned_2 before misaligned_10.

    Parameters
    ----------
    text : str
        A name.

    Returns
    -------
    list
        Compare these to sort names naturally.
    """
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]
