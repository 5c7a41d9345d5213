"""Distribution specs such as ``loguniform(1, 1000)``: parsed, checked, never evaluated.

A spec is ``FAMILY(arg, ...)`` read by the whitelist grammar of
:mod:`priorsearch.lang.expr` (:func:`~priorsearch.lang.expr.parse_call`); every argument
must be a constant expression (``1e3``, ``2^10``, ``1/3``), and the family and its
arguments are checked here, so a bad spec is one clear line naming the parameter.
"""
from __future__ import annotations

__all__ = ["DistSpec", "FAMILIES", "parse_spec", "parse_assignment"]

import math
from dataclasses import dataclass

from ..errors import InputError, Location, suggest
from ..lang.expr import parse_call

#: family -> (argument names, or None for any number >= 1 of values)
FAMILIES = {
    "uniform": ("lo", "hi"),
    "loguniform": ("lo", "hi"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "triangular": ("lo", "mode", "hi"),
    "beta": ("a", "b", "lo", "hi"),
    "choice": None,
    "fixed": ("v",),
}


@dataclass(frozen=True)
class DistSpec:
    """A checked distribution: family name, numeric arguments and the text it came from."""

    family: str
    args: tuple
    text: str

    def __str__(self) -> str:
        return f"{self.family}({', '.join(_num(a) for a in self.args)})"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def parse_spec(text, what: str = "distribution", location: Location | None = None) -> DistSpec:
    """A checked :class:`DistSpec` from ``text``.

    Parameters
    ----------
    text : str or number
        ``FAMILY(arg, ...)``; a bare number means ``fixed(number)``.
    what : str
        Names the spec in errors (e.g. ``--dist C_B``).
    location : Location or None
        Where the spec was written (a TOML value), for errors.

    Returns
    -------
    DistSpec
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise InputError(f"{what}: expected a distribution such as uniform(0, 1), got {text!r}", location)
    if isinstance(text, (int, float)):  # a bare number in TOML: fixed(v)
        text = f"fixed({text!r})"
    try:
        name, exprs = parse_call(text.strip(), location, what="distribution")
    except InputError as exc:
        raise InputError(f"{what}: {exc.message}", exc.location) from None
    if name not in FAMILIES:
        raise InputError(f"{what}: unknown distribution {name!r}{suggest(name, FAMILIES)}; "
                         f"choose from {', '.join(FAMILIES)}", location)
    args = []
    for e in exprs:
        if not e.is_constant():
            bad = sorted(e.params)[0]
            raise InputError(f"{what}: arguments of {name}() must be numbers, got the name {bad!r}", location)
        value = float(e.evaluate({}))
        if not math.isfinite(value):
            raise InputError(f"{what}: argument of {name}() is not a finite number", location)
        args.append(value)
    spec = DistSpec(name, tuple(args), text)
    _check(spec, what, location)
    return spec


def _check(spec: DistSpec, what: str, location) -> None:
    names = FAMILIES[spec.family]
    a = spec.args
    usage = f"{spec.family}({', '.join(names) if names else 'v1, v2, ...'})"

    def fail(message):
        raise InputError(f"{what}: {spec.family}() {message}", location)

    if names is None:
        if not a:
            fail(f"needs at least one value: {usage}")
        return
    if len(a) != len(names):
        fail(f"takes {len(names)} argument{'s' if len(names) > 1 else ''} ({usage}), got {len(a)}")
    d = dict(zip(names, a))
    if "lo" in d and not d["lo"] < d["hi"]:
        fail(f"needs lo < hi, got lo = {_num(d['lo'])} >= hi = {_num(d['hi'])}")
    if spec.family == "loguniform" and d["lo"] <= 0:
        fail(f"needs lo > 0, got {_num(d['lo'])}")
    if spec.family == "normal" and d["sd"] <= 0:
        fail(f"needs sd > 0, got {_num(d['sd'])}")
    if spec.family == "lognormal":
        if d["median"] <= 0:
            fail(f"needs median > 0, got {_num(d['median'])}")
        if d["sigma"] <= 0:
            fail(f"needs sigma > 0, got {_num(d['sigma'])}")
    if spec.family == "triangular" and not d["lo"] <= d["mode"] <= d["hi"]:
        fail(f"needs lo <= mode <= hi, got mode = {_num(d['mode'])}")
    if spec.family == "beta" and (d["a"] <= 0 or d["b"] <= 0):
        fail(f"needs a > 0 and b > 0, got a = {_num(d['a'])}, b = {_num(d['b'])}")


def parse_assignment(text: str, flag: str = "--dist") -> tuple[str, DistSpec]:
    """``NAME=SPEC`` (from the command line) -> (name, spec).

    Parameters
    ----------
    text : str
    flag : str
        The option it came from, for errors.

    Returns
    -------
    tuple
        (name, DistSpec).
    """
    name, sep, spec = str(text).partition("=")
    name = name.strip()
    if not sep or not name or not spec.strip():
        raise InputError(f"{flag} {text!r}: expected NAME=SPEC, e.g. C_B=loguniform(1, 1000)")
    return name, parse_spec(spec, f"{flag} {name}")
