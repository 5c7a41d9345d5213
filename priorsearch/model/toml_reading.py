"""Reading TOML tables with located errors: where each key sits in the file, and typed
getters that say which key is wrong and where (used by :mod:`.toml_format`)."""
from __future__ import annotations

__all__ = []

import re

from ..errors import InputError, Location, suggest
from ..lang.expr import parse_expr


class _Locator:
    """Finds the line of a dotted key in the TOML text, for error messages.

    tomllib gives no positions for values, so this scans table headers and ``key =``
    lines; it is approximate for unusual layouts but exact for the documented format.
    """

    # Linear-time patterns: every line is scanned (also inside multi-line strings), so a
    # long line must not trigger backtracking (a lazy group before \s*\] was cubic).
    _HEADER = re.compile(r"^[ \t]*(\[\[?)([^\]]*)\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")
    # a key starts where a word starts: without the look-behind every position inside a
    # long word is tried and backtracked (quadratic in a 40 kB doc string)
    _INLINE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z0-9_]+)\s*=\s*(\"?)")

    def __init__(self, text, path):
        self.path = path
        self.keys = {}        # dotted key -> (line, column of its value)
        self.key_starts = {}  # dotted key -> (line, column of the key itself)
        table, counters = (), {}
        for number, line in enumerate(text.splitlines(), start=1):
            m = self._HEADER.match(line)
            if m:
                if not m.group(2).strip():
                    continue
                parts = tuple(x.strip().strip('"') for x in m.group(2).split("."))
                if m.group(1) == "[[":
                    idx = counters.get(parts, 0)
                    counters[parts] = idx + 1
                    parts = parts + (idx,)
                table = parts
                self.keys.setdefault(table, (number, m.start(2) + len(m.group(2)) - len(m.group(2).lstrip()) + 1))
                continue
            m = self._KEY.match(line)
            if m:
                parts = table + tuple(x.strip().strip('"') for x in m.group(1).split("."))
                after = line[m.end():]
                col = m.end() + len(after) - len(after.lstrip()) + 1
                if after.lstrip().startswith(('"', "'")):
                    col += 1
                self.keys.setdefault(parts, (number, col))
                self.key_starts.setdefault(parts, (number, m.start(1) + 1))
                for k in range(len(table) + 1, len(parts)):
                    self.keys.setdefault(parts[:k], (number, m.start(1) + 1))
                inline = self._INLINE.finditer(after)
                for im in inline:
                    sub = parts + (im.group(1),)
                    self.keys.setdefault(sub, (number, m.end() + im.end() + 1))

    def key_at(self, *parts) -> Location:
        """Where the key itself is written (for unknown-key errors)."""
        if parts in self.key_starts:
            line, col = self.key_starts[parts]
            return Location(self.path, line, col)
        return self.at(*parts)

    def at(self, *parts) -> Location:
        while parts:
            if parts in self.keys:
                line, col = self.keys[parts]
                return Location(self.path, line, col)
            parts = parts[:-1]
        return Location(self.path, 1, 1)


def _unknown_keys(table, allowed, where, locator, parts):
    for key in table:
        if key not in allowed:
            raise InputError(f"unknown key {key!r} in {where}{suggest(key, allowed)}", locator.key_at(*parts, key))


def _table(value, what, loc):
    if not isinstance(value, dict):
        raise InputError(f"{what} must be a table, got {type(value).__name__}", loc)
    return value


def _str(value, what, loc):
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {value!r}", loc)
    return value


def _str_list(value, what, loc):
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{what} must be a list of strings, got {value!r}", loc)
    return tuple(value)


def _float(value, what, loc) -> float:
    """A TOML number as a float; TOML integers are unbounded, floats are not."""
    try:
        return float(value)
    except OverflowError:
        digits = str(value)
        shown = digits if len(digits) <= 40 else f"{digits[:20]}...({len(digits)} digits)"
        raise InputError(f"{what}: {shown} is too large (floats end near 1.8e308)", loc) from None


def _expr(value, what, loc):
    try:
        return parse_expr(value, loc)
    except InputError as exc:
        raise InputError(f"{what}: {exc.message}", exc.location or loc) from None


def _guess_location(message, locator):
    """Best place for a model-level error: the table its first quoted name refers to."""
    m = re.search(r"(component|primitive|episode|family|exchange parameter|parameter|objective) '?([A-Za-z0-9_]+)", message)
    if m:
        kind, name = m.group(1), m.group(2)
        section = {"component": "components", "primitive": "primitives", "family": "families",
                   "parameter": "parameters", "exchange parameter": "exchange", "objective": "objectives"}.get(kind)
        if section:
            loc = locator.at(section, name)
            if loc.line > 1 or (section, name) in locator.keys:
                return loc
            if section == "primitives":
                for fam_key in locator.keys:
                    if fam_key[:1] == ("families",) and len(fam_key) == 2 and name.startswith(fam_key[1] + "_"):
                        return locator.at(*fam_key)
    return Location(locator.path)
