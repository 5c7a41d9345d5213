"""Axes of a sweep: ``NAME=LO:HI:N[:log]`` — the one parser every path uses.

NAME is a parameter of the chosen exchange (asked of the exchange object) or any cost
parameter of the model.  The phase command, figure configs and experiments all parse
axes here, so a grid and its limits mean the same everywhere.  LO and HI are numbers or
arithmetic over numbers (``2^100``, read by :func:`priorsearch.lang.numbers.parse_number`).

A parameter in a family's count (``K`` of ``[families.misaligned] count = "K"``) is a
*count axis*: its values are whole numbers.  The grid is laid out as for any axis
(linear or log between LO and HI, computed exactly on a linear axis and to 60
significant digits on a log axis), then every value is rounded to the nearest whole
number (halves to even); end points that are whole numbers stay exact, however large
(``K=1:1e30:31:log`` is exactly 1, 10, ..., 10^30).  An axis that repeats a value after
rounding (``K=1:3:10``) is an error, and so is a value the family's count check refuses
(negative, above 2^1023, not finite).  The whole values are :attr:`Axis.whole`.
"""
from __future__ import annotations

__all__ = ["Axis", "axis_values", "check_grid_size", "parse_axis", "parse_axis_spec", "parameter_label", "number_text", "MAX_POINTS", "DEFAULT_X",
           "DEFAULT_Y"]

import math
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np

from ..errors import InputError, suggest
from ..exchange import Exchange, parameter_owners
from ..features.layout import Layout
from ..lang.numbers import parse_number

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
    parameter; ``label`` says what the parameter is (for plots).  A cost parameter in
    a family's count is a count axis: ``families`` names those families and ``whole``
    holds its values as exact Python ints (see the module docstring); ``ends`` keeps
    LO and HI as given (exact Fractions where they are rational).
    """

    name: str
    lo: float
    hi: float
    n: int
    log: bool = False
    kind: str = "cost"
    label: str = ""
    ends: tuple = field(default=(), compare=False)
    families: tuple = ()
    whole: tuple = ()

    @property
    def is_count(self) -> bool:
        """Whether the axis sweeps a family's member count (whole values)."""
        return bool(self.families)

    @property
    def values(self) -> np.ndarray:
        if self.whole:
            return np.array([float(k) for k in self.whole], dtype=float)
        return axis_values(self.lo, self.hi, self.n, self.log)

    @property
    def spec(self) -> str:
        lo, hi = (_end_text(e) for e in self.ends) if self.whole else (number_text(self.lo), number_text(self.hi))
        return f"{self.name}={lo}:{hi}:{self.n}" + (":log" if self.log else "")

    def to_json(self) -> dict:
        out = {"name": self.name, "lo": self.lo, "hi": self.hi, "n": self.n, "log": self.log,
               "kind": self.kind, "label": self.label}
        if self.whole:  # exact whole numbers (JSON holds any int)
            out.update(lo=self.whole[0], hi=self.whole[-1], families=list(self.families), values=list(self.whole),
                       rounding="nearest whole number, halves to even")
        return out


def _end_text(value) -> str:
    """An end of a count axis as typed back, exactly: ``2^100``, ``1e30``, digits, or
    :func:`number_text` for a value that is not a whole number."""
    if isinstance(value, Fraction) and value.denominator == 1 and value >= 10 ** 15:
        k = int(value)
        if k & (k - 1) == 0:
            return f"2^{k.bit_length() - 1}"
        digits = str(k)
        if digits.rstrip("0") == "1":
            return f"1e{len(digits) - 1}"
        return digits
    return number_text(float(value))


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


def check_grid_size(x, y, max_points=MAX_POINTS) -> None:
    """Refuse a grid of more than ``max_points`` points, from the axes' syntax alone (a
    count axis computes each of its whole values; 10^7 of them take minutes).  An axis
    whose syntax is wrong is left to :func:`parse_axis`, which says what.

    Parameters
    ----------
    x, y : str or Axis
        The two axes, ``NAME=LO:HI:N[:log]``.
    max_points : int
        The largest grid allowed (``--max-points``).
    """
    points = []
    for spec, flag in ((x, "--x"), (y, "--y")):
        try:
            points.append(parse_axis_spec(spec, flag).n)
        except InputError:
            return
    n_x, n_y = points
    if n_x * n_y > max_points:
        raise InputError(f"grid of {n_x} x {n_y} = {n_x * n_y:,} points exceeds --max-points "
                         f"{max_points:,}; use fewer points or raise --max-points")


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
    text = spec.spec if isinstance(spec, Axis) else str(spec).strip()
    where = f"{flag} {text!r}"
    families = _counted_by(model, text.partition("=")[0].strip())
    if families:  # a count axis: its ends go through the family's count check first
        _check_count_ends(text, families, model, where)
    ax = parse_axis_spec(spec, flag)
    kind, label = _axis_kind(ax.name, model, exchange, where)
    if kind == "exchange" and ax.lo < 0:
        raise InputError(f"{where}: the exchange parameter {ax.name} must be >= 0, got LO = {ax.lo:g}")
    if kind == "cost" and families:
        whole = _whole_values(ax, families, model, where)
        return Axis(ax.name, ax.lo, ax.hi, ax.n, ax.log, kind, _count_label(ax.name, families, model), ax.ends,
                    tuple(f.name for f in families), whole)
    return Axis(ax.name, ax.lo, ax.hi, ax.n, ax.log, kind, label, ax.ends)


def _counted_by(model, name) -> list:
    """The families whose count uses parameter ``name``."""
    if name not in getattr(model, "parameters", {}):
        return []
    return [f for f in model.families if name in f.count.params]


def family_counts(model, name, value, where="") -> dict:
    """The member count of every family whose count uses ``name``, at ``name = value``.

    The family's own check (:meth:`priorsearch.model.parts.Family.size`) is the one
    rule: a count that is negative, not whole, not finite or above 2^1023 is an
    InputError naming the family and the value (prefixed by ``where``).

    Parameters
    ----------
    model : CostModel
        Supplies the other parameters.
    name : str
        The swept parameter (e.g. ``K``).
    value : int, Fraction or float
        Its value.
    where : str
        Prefix of the error line (e.g. the axis).

    Returns
    -------
    dict
        Family name -> exact int count.
    """
    params = dict(model.parameters)
    exact = dict(model.exact_parameters)
    try:
        params[name] = float(value)
    except OverflowError:
        params[name] = math.inf
    if isinstance(value, (int, Fraction)):
        exact[name] = Fraction(value)
    else:
        exact.pop(name, None)
    out = {}
    for fam in _counted_by(model, name):
        try:
            out[fam.name] = fam.size(params, exact)
        except InputError as e:
            raise InputError(f"{where}: {e.message}" if where else e.message) from None
    return out


def _read_number(text):
    """LO or HI as written: exact (a Fraction, :func:`parse_number`) where it can be, else
    the float() reading; float inf/nan kept; None when it is not a number at all.  The one
    reading of axis ends (:func:`_axis_number` refuses what is not finite)."""
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and not math.isfinite(number):
        return number
    try:
        return parse_number(text, "")
    except InputError:
        return number


def _fields(text):
    """NAME and the fields after ``=``, or None when the shape is wrong (the syntax check
    of :func:`parse_axis_spec` says what)."""
    name, sep, rest = text.partition("=")
    parts = [p.strip() for p in rest.split(":")]
    return (name.strip(), parts) if sep and name.strip() and len(parts) in (3, 4) else None


def _check_count_ends(text, families, model, where):
    fields = _fields(text)
    if fields is None:
        return  # the syntax check says what is wrong
    for part in fields[1][:2]:
        value = _read_number(part)
        if value is None:
            continue
        if isinstance(value, float) and math.isfinite(value):
            value = Fraction(value)
        family_counts(model, text.partition("=")[0].strip(),
                      round(value) if isinstance(value, Fraction) else value, where)


def _whole_values(ax, families, model, where) -> tuple:
    """The axis's values rounded to whole numbers, each checked as a count.

    The grid is computed from the ends as given, exactly on a linear axis (Fractions)
    and to 60 significant digits on a log axis (:mod:`decimal`, the same on every
    machine), so ``K=1:1e30:31:log`` is exactly 1, 10, ..., 10^30; then each value is
    rounded to the nearest whole number, halves to even.
    """
    lo, hi = (Fraction(e) for e in ax.ends)
    n = ax.n
    if ax.log:
        with localcontext() as ctx:
            ctx.prec = 60
            a, b = (Decimal(v.numerator).log10() - Decimal(v.denominator).log10() for v in (lo, hi))
            grid = [lo] + [Fraction(Decimal(10) ** (a + (b - a) * i / (n - 1))) for i in range(1, n - 1)] + [hi]
    else:
        grid = [lo + (hi - lo) * i / (n - 1) for i in range(n)]
    whole = [round(v) for v in grid]
    seen = set()
    for k in whole:
        if k in seen:
            shown = ", ".join(str(v) for v in whole[:8]) + (", ..." if len(whole) > 8 else "")
            raise InputError(f"{where}: rounded to whole numbers ({ax.name} is the member count of family "
                             f"{', '.join(f.name for f in families)}) the axis repeats {ax.name} = {k} "
                             f"({shown}); use fewer points or a wider range")
        seen.add(k)
        family_counts(model, ax.name, k, where)
    return tuple(int(k) for k in whole)


def _doc_subject(name, model) -> str:
    """The subject of a parameter's doc: the text before ``:`` ("" without one)."""
    doc = model.parameter_docs.get(name, "") or ""
    return doc.split(":", 1)[0].strip() if ":" in doc else ""


def _count_label(name, families, model) -> str:
    what = _doc_subject(name, model) or f"members of family {', '.join(f.name for f in families)}"
    return f"{what} = {name} (whole numbers)"


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
    ends = [_axis_number(p, where, what) for p, what in ((parts[0], "LO"), (parts[1], "HI"))]
    lo, hi = (_as_float(e, where, what) for e, what in zip(ends, ("LO", "HI")))
    try:
        n = int(parts[2])
    except ValueError:
        raise InputError(f"{where}: N must be a whole number, got {parts[2]!r}") from None
    if n < 2:
        raise InputError(f"{where}: N = {n}; an axis needs at least 2 points")
    if ends[0] >= ends[1]:
        raise InputError(f"{where}: LO = {lo:g} must be below HI = {hi:g}")
    if lo >= hi:  # exactly apart (2^60 and 2^60+3) but one float: no grid or figure can tell them apart
        raise InputError(f"{where}: LO = {parts[0]} and HI = {parts[1]} are the same floating-point number "
                         f"({lo:.17g}); choose ends further apart")
    if log and lo <= 0:
        raise InputError(f"{where}: a log axis needs LO > 0, got {lo:g}")
    return Axis(name, lo, hi, n, log, "", "", tuple(ends))


def _axis_number(text, where, what):
    """LO or HI: a literal (read as float() reads it) or arithmetic over numbers; exact
    (a Fraction) when rational, so count axes keep ``1e30`` and ``2^100`` exact."""
    value = _read_number(text)
    if value is None:
        raise InputError(f"{where}: {what} must be a number, got {text!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where}: {what} = {text!r} is not a finite number")
    return value


def _as_float(value, where, what) -> float:
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InputError(f"{where}: {what} = {value} is not a finite number")
    return number


def _axis_kind(name, model, exchange, where):
    if isinstance(exchange, Exchange) and name in exchange.parameter_names:
        return "exchange", exchange.parameter(name).label or name
    if name in model.parameters:
        return "cost", "" if _counted_by(model, name) else parameter_label(name, model)
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
    head = _doc_subject(name, model)
    layout = Layout(model)
    in_c = any(name in e.params for e in layout.item_exprs) or name in model.node_bits.params
    in_t = any(name in e.params for exprs in layout.group_exprs for e in exprs)
    unit = "bits" if in_c and not in_t else "time units" if in_t and not in_c else ""
    if not in_c and not in_t:
        unit = "episode weight" if any(name in e.weight.params for e in model.episodes) else ""
    text = f"{head} = {name}" if head else name
    return f"{text} ({unit})" if unit else text
