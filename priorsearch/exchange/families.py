"""Exchanges: how a program's totals (c, t) become one score.  Lower wins.

Applied to program totals, never term by term: footnote 1 of the post notes that g is
not additive, g(c(a) + c(b)) != g(c(a)) + g(c(b)).

=========  =====================================  ==========================================
name       score                                  bits (-log2 prior weight, for masses)
=========  =====================================  ==========================================
linear     g*c + t          (g >= 0)              c + t/g      (the post's g(c(x)) = t(x))
levin      c + lambda*log2 t                      c + lambda*log2 t   (Levin's Kt at lambda=1)
power      g*c + t^alpha                          c + t^alpha/g
cap        c among programs with t <= k           c if t <= k, else excluded
custom     any function of the (c, t) arrays      its ``bits`` hook, default the score
=========  =====================================  ==========================================

Ties: scores within ``TIE_RTOL`` (relative) are ties, broken by smaller c, then smaller
t, then fewer nodes, then the earlier program (file order for templates, enumeration
order for searched classes).  A custom exchange is a subclass of :class:`Exchange` with
one hook, :meth:`Exchange.score`, or :func:`custom` around a plain function.
"""
from __future__ import annotations

__all__ = ["Exchange", "Linear", "Levin", "Power", "Cap", "Custom", "custom", "make_exchange",
           "EXCHANGES", "TIE_RTOL", "is_tie", "order", "episodes_in_budget", "episodes_lost",
           "check_overflow", "check_levin_times"]

import math
from functools import cmp_to_key

import numpy as np

from ..errors import InputError
from ..model.cost_model import EXCHANGE_PARAMS, suggest

#: relative tolerance under which two scores are a tie
TIE_RTOL = 1e-9


class Exchange:
    """Base class: override :meth:`score` (and optionally :meth:`bits`).

    ``code`` is the kernel's id for the built-in families (None: evaluated in NumPy).
    """

    name = "custom"
    code: int | None = None
    parameter_names: tuple = ()

    def __init__(self, **params):
        for key in params:
            if key not in self.parameter_names:
                raise InputError(f"exchange {self.name!r} has no parameter {key!r}{suggest(key, self.parameter_names)}")
        defaults = EXCHANGE_PARAMS.get(self.name, {})
        self.params = {k: float(params.get(k, defaults.get(k, 1.0))) for k in self.parameter_names}
        for key, value in self.params.items():
            if not math.isfinite(value) or value < 0:
                raise InputError(f"exchange parameter {key} = {value:g} must be finite and >= 0")

    def score(self, c, t):
        """Score of programs with totals c and t (arrays); lower is better."""
        raise NotImplementedError

    def bits(self, c, t):
        """-log2 of the (unnormalised) prior weight: mass = multiplicity * 2**-bits."""
        return self.score(c, t)

    def describe(self) -> str:
        inner = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({inner})" if inner else self.name

    def to_json(self) -> dict:
        return {"name": self.name, **self.params}

    def kernel_params(self) -> np.ndarray:
        return np.array([self.params.get(k, 0.0) for k in self.parameter_names] + [0.0] * (2 - len(self.parameter_names)))

    def __repr__(self):
        return f"<exchange {self.describe()}>"


class Linear(Exchange):
    """g*c + t: bits priced in time units; g -> 0 pure speed prior, g -> inf pure simplicity."""

    name, code, parameter_names = "linear", 0, ("g",)

    def score(self, c, t):
        return self.params["g"] * np.asarray(c) + np.asarray(t)

    def bits(self, c, t):
        g = self.params["g"]
        if g <= 0:
            raise InputError("prior mass under the linear exchange needs g > 0 (g = 0 is the pure speed prior)")
        return np.asarray(c) + np.asarray(t) / g


class Levin(Exchange):
    """c + lambda*log2(t): Levin's Kt at lambda = 1 (Schmidhuber's speed prior)."""

    name, code, parameter_names = "levin", 1, ("lambda",)

    def score(self, c, t):
        lam = self.params["lambda"]
        with np.errstate(divide="ignore", invalid="ignore"):
            # lambda = 0 is the pure simplicity prior, also at t = 0 (0 * log2 0 is NaN)
            return np.asarray(c) + np.where(lam == 0, 0.0, lam * np.log2(np.asarray(t, dtype=float)))


class Power(Exchange):
    """g*c + t^alpha: diminishing (alpha < 1) or increasing (alpha > 1) marginal cost of time."""

    name, code, parameter_names = "power", 2, ("g", "alpha")

    def score(self, c, t):
        return self.params["g"] * np.asarray(c) + np.power(np.asarray(t, dtype=float), self.params["alpha"])

    def bits(self, c, t):
        g = self.params["g"]
        if g <= 0:
            raise InputError("prior mass under the power exchange needs g > 0")
        return np.asarray(c) + np.power(np.asarray(t, dtype=float), self.params["alpha"]) / g


class Cap(Exchange):
    """Fixed compute: the shortest program among those with t <= k (ties by t)."""

    name, code, parameter_names = "cap", 3, ("k",)

    def score(self, c, t):
        t = np.asarray(t, dtype=float)
        return np.where(t <= self.params["k"] * (1 + TIE_RTOL), np.asarray(c, dtype=float), np.inf)


class Custom(Exchange):
    """A user function ``score(c, t)`` (and optionally ``bits(c, t)``) on arrays."""

    code = None

    def __init__(self, score, bits=None, name="custom"):
        if not callable(score):
            raise InputError("a custom exchange needs a callable score(c, t)")
        self.name = name
        self.params = {}
        self._score, self._bits = score, bits

    def score(self, c, t):
        out = np.asarray(self._score(np.asarray(c, dtype=float), np.asarray(t, dtype=float)), dtype=float)
        return np.broadcast_to(out, np.broadcast(np.asarray(c), np.asarray(t)).shape)

    def bits(self, c, t):
        if self._bits is None:
            return self.score(c, t)
        return np.asarray(self._bits(np.asarray(c, dtype=float), np.asarray(t, dtype=float)), dtype=float)


def custom(score, bits=None, name="custom") -> Custom:
    """Wrap a function of the (c, t) arrays as an exchange."""
    return Custom(score, bits, name)


EXCHANGES = {cls.name: cls for cls in (Linear, Levin, Power, Cap)}


def make_exchange(spec=None, model=None, **params) -> Exchange:
    """An :class:`Exchange` from a name (with parameters), an instance, or a callable.

    With ``spec=None`` the model's own exchange and parameters are used; parameters
    given here override the model's.
    """
    if isinstance(spec, Exchange):
        return spec
    if callable(spec):
        return Custom(spec)
    if spec is None:
        spec = model.exchange if model is not None else "linear"
    if spec not in EXCHANGES:
        raise InputError(f"unknown exchange {spec!r}{suggest(spec, EXCHANGES)}; choose from {', '.join(EXCHANGES)}")
    merged = {}
    if model is not None and model.exchange == spec:
        merged.update(model.exchange_params)
    merged.update({k: v for k, v in params.items() if v is not None})
    return EXCHANGES[spec](**merged)


def is_tie(a, b) -> bool:
    """Scores equal up to TIE_RTOL (both infinite counts as a tie)."""
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= TIE_RTOL * max(1.0, abs(a), abs(b))


def order(score, c, t, size, eligible=None):
    """Indices best first by the documented rule (see module docstring).

    ``eligible`` (bool array) puts ineligible rows (incompatible programs) last.
    Rows whose score ties the best eligible one are ordered by (c, t, size, index).
    """
    score, c, t, size = (np.asarray(x, dtype=float) for x in (score, c, t, size))
    n = len(score)
    eligible = np.ones(n, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    index = np.arange(n)
    primary = np.lexsort((index, size, t, c, score, ~eligible))
    out = list(primary)
    # a tolerance tie with the leader is decided by the secondary keys
    if n and eligible[out[0]]:
        best = score[out[0]]
        tied = [i for i in out if eligible[i] and is_tie(score[i], best)]
        tied.sort(key=cmp_to_key(lambda i, j: _compare_tied(i, j, c, t, size)))
        tied_set = set(tied)  # built once: a set per row made this quadratic
        rest = [i for i in out if i not in tied_set]
        out = tied + rest
    return np.array(out, dtype=np.int64)


def _compare_tied(i, j, c, t, size):
    """Tie rule between two tied rows: c, then t (each equal up to TIE_RTOL, so rounding
    in sums such as C_S + C_comb vs C_B never decides), then size, then index."""
    for key in (c, t):
        if not is_tie(float(key[i]), float(key[j])):
            return -1 if key[i] < key[j] else 1
    if size[i] != size[j]:
        return -1 if size[i] < size[j] else 1
    return -1 if i < j else (1 if i > j else 0)


def episodes_in_budget(total_time, rollouts):
    """Episodes a compute budget T buys at k rollouts each: T / k."""
    return np.asarray(total_time, dtype=float) / np.asarray(rollouts, dtype=float)


def episodes_lost(total_time, rollouts):
    """Episodes lost going from k to k+1 rollouts: T/k - T/(k+1) = T / (k (k+1)).

    The post prints this as "Tk(k+1)"; the quotient is what the subtraction gives.
    """
    k = np.asarray(rollouts, dtype=float)
    return np.asarray(total_time, dtype=float) / (k * (k + 1))


def check_overflow(c, t, score, exchange, names):
    """Raise InputError when totals (``score=None``) or scores leave the float range.

    An +inf score cannot win, so an overflow would silently drop a program (or report
    "no winner"); instead name the first program it hits (``names[i]``).  Cap excludes
    with +inf on purpose and levin gives -inf at t = 0, so only linear and power scores
    are checked.
    """
    c, t = np.asarray(c, dtype=float), np.asarray(t, dtype=float)
    if score is None:
        bad = ~np.isfinite(c) | ~np.isfinite(t)
        if bad.any():
            i = np.unravel_index(int(np.argmax(bad)), bad.shape)
            raise InputError(f"c or t of {names[i[0]]} overflows the float range (c={c[i]:g}, t={t[i]:g}); use smaller cost values")
        return
    if not isinstance(exchange, (Linear, Power)):
        return
    bad = np.isinf(np.asarray(score, dtype=float))
    if bad.any():
        i = np.unravel_index(int(np.argmax(bad)), bad.shape)
        raise InputError(f"the score of {names[i[0]]} under {exchange.describe()} overflows the float range (c={c[i]:g}, t={t[i]:g}); use smaller values")


def check_levin_times(exchange, t, compatible, names, where=""):
    """Levin's c + lambda*log2 t needs t > 0: at t = 0 the score is -inf and the prior
    mass infinite, which no ranking, sweep or mass can use.  One rule for every command:
    a training-compatible program with t <= 0 under levin is bad input."""
    if getattr(exchange, "name", None) != "levin":
        return
    t = np.asarray(t, dtype=float)
    comp = np.broadcast_to(np.asarray(compatible, dtype=bool).reshape((-1,) + (1,) * (t.ndim - 1)), t.shape)
    bad = comp & (t <= 0)
    if bad.any():
        i = np.unravel_index(int(np.argmax(bad)), bad.shape)
        raise InputError(f"the levin exchange needs t > 0 (it scores log2 t), but {names[i[0]]} has t = {t[i]:g}"
                         f"{where}; give the programs positive running times")
