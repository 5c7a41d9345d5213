"""Axes of a sweep: ``NAME=LO:HI:N[:log]`` — the one parser every path uses.

NAME is a parameter of the chosen exchange (asked of the exchange object) or any cost
parameter of the model.  The phase command, figure configs and experiments all parse
axes here, so a grid and its limits mean the same everywhere.
"""
from __future__ import annotations

__all__ = ["Axis", "axis_values", "parse_axis", "parse_axis_spec", "parameter_label", "number_text", "MAX_POINTS", "DEFAULT_X",
           "DEFAULT_Y"]

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, suggest
from ..exchange import Exchange, parameter_owners
from ..features.layout import Layout

#: refuse grids with more points than this unless ``max_points`` (``--max-points``) is raised
MAX_POINTS = 4_000_000
#: the post's diagram: g from 1e-2 to 1e2 (log) against C_B
DEFAULT_X = "g=0.01:100:201:log"
DEFAULT_Y = "C_B=1:1000:201:log"


def axis_values(lo: float, hi: float, n: int, log: bool) -> np.ndarray:
    """The n grid values of an axis, end points exact.

    Plain Python floats (correctly rounded pow): the same values on every machine,
    whatever SIMD code NumPy's logspace would pick.

    Parameters
    ----------
    lo, hi : float
        The end points (``lo > 0`` on a log axis).
    n : int
        Number of values (>= 2).
    log : bool
        Evenly spaced in log10 rather than linearly.

    Returns
    -------
    (n,) float array
    """
    if log:
        a, b = math.log10(lo), math.log10(hi)
        v = [10.0 ** (a + (b - a) * i / (n - 1)) for i in range(n)]
    else:
        # (hi - lo) * i overflows near the top of the float range; dividing first
        # there only (elsewhere the established values stay bit for bit)
        v = [lo + (hi - lo) * i / (n - 1) if math.isfinite((hi - lo) * i) else lo + (hi - lo) * (i / (n - 1))
             for i in range(n)]
    v[0], v[-1] = lo, hi
    return np.array(v, dtype=float)


@dataclass(frozen=True)
class Axis:
    """One axis of a sweep: ``name`` from ``lo`` to ``hi`` in ``n`` steps (log or linear).

    ``kind`` is ``"exchange"`` for the exchange parameter, ``"cost"`` for a cost
    parameter; ``label`` says what the parameter is (for plots).
    """

    name: str
    lo: float
    hi: float
    n: int
    log: bool = False
    kind: str = "cost"
    label: str = ""

    @property
    def values(self) -> np.ndarray:
        return axis_values(self.lo, self.hi, self.n, self.log)

    @property
    def spec(self) -> str:
        return f"{self.name}={number_text(self.lo)}:{number_text(self.hi)}:{self.n}" + (":log" if self.log else "")

    def to_json(self) -> dict:
        return {"name": self.name, "lo": self.lo, "hi": self.hi, "n": self.n, "log": self.log,
                "kind": self.kind, "label": self.label}


def number_text(x: float) -> str:
    """A number as a command-line value: ``2`` for whole numbers, else ``repr`` (round-trips).

    Parameters
    ----------
    x : float
        The value.

    Returns
    -------
    str
    """
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def parse_axis(spec, model, exchange, flag="--x") -> Axis:
    """Parse ``NAME=LO:HI:N[:log]`` against a model and an exchange (see module docstring).

    Parameters
    ----------
    spec : str or Axis
        The axis text, e.g. ``"g=0.01:100:201:log"``.
    model : CostModel
        A NAME among its parameters is a cost axis.
    exchange : Exchange
        A NAME among its parameters is an exchange axis (LO must be >= 0).
    flag : str
        The option the spec came from; errors name it.

    Returns
    -------
    Axis
        With its kind (``"cost"`` or ``"exchange"``) and label set.
    """
    ax = parse_axis_spec(spec, flag)
    where = f"{flag} {ax.spec if isinstance(spec, Axis) else str(spec).strip()!r}"
    kind, label = _axis_kind(ax.name, model, exchange, where)
    if kind == "exchange" and ax.lo < 0:
        raise InputError(f"{where}: the exchange parameter {ax.name} must be >= 0, got LO = {ax.lo:g}")
    return Axis(ax.name, ax.lo, ax.hi, ax.n, ax.log, kind, label)


def parse_axis_spec(spec, flag="--x") -> Axis:
    """The syntax alone: ``NAME=LO:HI:N[:log]`` -> Axis (kind not yet known).

    Every error names ``flag`` and the text, e.g. ``--x 'g=1:0:5': LO = 1 must be below HI = 0``.

    Parameters
    ----------
    spec : str or Axis
        The axis text; the 4th field may be ``log`` or ``lin``.
    flag : str
        The option the spec came from, for error messages.

    Returns
    -------
    Axis
    """
    if isinstance(spec, Axis):
        text = spec.spec
    else:
        text = str(spec).strip()
    where = f"{flag} {text!r}"
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise InputError(f"{where}: expected NAME=LO:HI:N[:log], e.g. {DEFAULT_X}")
    parts = [p.strip() for p in rest.split(":")]
    if len(parts) not in (3, 4):
        raise InputError(f"{where}: expected NAME=LO:HI:N[:log] (3 or 4 fields after '='), got {len(parts)}")
    log = False
    if len(parts) == 4:
        if parts[3].lower() not in ("log", "lin"):
            raise InputError(f"{where}: the 4th field must be 'log' (or 'lin'), got {parts[3]!r}")
        log = parts[3].lower() == "log"
    lo, hi = (_axis_number(p, where, what) for p, what in ((parts[0], "LO"), (parts[1], "HI")))
    try:
        n = int(parts[2])
    except ValueError:
        raise InputError(f"{where}: N must be a whole number, got {parts[2]!r}") from None
    if n < 2:
        raise InputError(f"{where}: N = {n}; an axis needs at least 2 points")
    if lo >= hi:
        raise InputError(f"{where}: LO = {lo:g} must be below HI = {hi:g}")
    if log and lo <= 0:
        raise InputError(f"{where}: a log axis needs LO > 0, got {lo:g}")
    return Axis(name, lo, hi, n, log, "", "")


def _axis_number(text, where, what) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: {what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {what} = {text!r} is not a finite number")
    return value


def _axis_kind(name, model, exchange, where):
    if isinstance(exchange, Exchange) and name in exchange.parameter_names:
        return "exchange", exchange.parameter(name).label or name
    if name in model.parameters:
        counted = {p for fam in model.families for p in fam.count.params}
        if name in counted:
            fams = ", ".join(f.name for f in model.families if name in f.count.params)
            raise InputError(f"{where}: {name} is the member count of family {fams}, which changes the "
                             "program space itself; sweep it with one run per value (--set)")
        return "cost", parameter_label(name, model)
    owners = parameter_owners(name)
    if owners:
        have = ", ".join(exchange.parameter_names) if exchange.parameter_names else "none"
        raise InputError(f"{where}: {name} is a parameter of the {' and '.join(owners)} exchange, but this "
                         f"diagram uses {exchange.name} (parameters: {have}); choose it with --exchange")
    known = list(model.parameters) + list(getattr(exchange, "parameter_names", ()))
    raise InputError(f"{where}: unknown parameter {name!r}{suggest(name, known)}; axes are the exchange "
                     f"parameter or a cost parameter ({', '.join(known)})")


def parameter_label(name, model) -> str:
    """Axis label of a cost parameter: its doc's subject and unit, e.g.
    ``c(get_base_obj) = C_B (bits)``.

    Parameters
    ----------
    name : str
        A cost parameter of ``model``.
    model : CostModel
        Supplies the parameter's doc (text before ``:`` is the subject) and, from where the
        parameter appears, its unit (bits, time units or episode weight).

    Returns
    -------
    str
    """
    doc = model.parameter_docs.get(name, "") or ""
    head = doc.split(":", 1)[0].strip() if ":" in doc else ""
    layout = Layout(model)
    in_c = any(name in e.params for e in layout.item_exprs) or name in model.node_bits.params
    in_t = any(name in e.params for exprs in layout.group_exprs for e in exprs)
    unit = "bits" if in_c and not in_t else "time units" if in_t and not in_c else ""
    if not in_c and not in_t:
        unit = "episode weight" if any(name in e.weight.params for e in model.episodes) else ""
    text = f"{head} = {name}" if head else name
    return f"{text} ({unit})" if unit else text
