"""The exchange protocol: how a program's totals (c, t) become one score (lower wins).

An exchange family is one object.  It owns its parameters (names, defaults, labels),
its score and its bits (-log2 prior weight, for masses) as NumPy ufuncs that every path
calls — rank, search, the phase sweep, experiments — its validity rules and its sympy
form.  Scores are applied to program totals, never term by term (footnote 1 of the
post: g is not additive).

A new family is a subclass that sets ``name``, ``parameters``, ``score_fn`` (a ufunc or
function ``f(c, t, *params)``) and, for :func:`priorsearch.boundary`, ``sympy_score``;
then :func:`priorsearch.exchange.register` makes it known by name to every command.

The training loss term is the one thing every family shares: each exchange also has the
parameter ``loss_price`` (default +inf) and scores a program with training loss L as

    score = exchange(c, t) + loss_price * L        (the loss term is 0 where L = 0)

so a program that misses training episodes competes only at a finite price, and at the
default it scores +inf (today's pass/fail exactly).  L is a share of the checked
training episodes (:meth:`priorsearch.features.table.FeatureTable.loss`), so
``loss_price`` is in score units per whole training set missed.  Bits (for masses) price
the loss term in the same units as the score: ``bits = bits(c, t) + loss_price * L /
s``, where ``s`` is the family's score units per bit (``score_per_bit``: g for linear and
power, whose bits are score / g; 1 for levin and cap, whose bits are the score).
"""
from __future__ import annotations

__all__ = ["Exchange", "Parameter", "LOSS_PRICE", "LOSS_PARAMETER", "check_loss_price", "loss_term"]

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, suggest


@dataclass(frozen=True)
class Parameter:
    """One parameter of an exchange family: its name, default and axis label."""

    name: str
    default: float = 1.0
    label: str = ""


#: the name of the training-loss price, a parameter of every exchange family
LOSS_PRICE = "loss_price"
LOSS_PARAMETER = Parameter(LOSS_PRICE, math.inf, "loss_price (score units per unit of training loss)")


def check_loss_price(value, what=LOSS_PRICE) -> float:
    """A loss price as a float >= 0 (+inf allowed: the default, pass/fail).

    Parameters
    ----------
    value : number
        The price given (TOML, ``--set``, Python).
    what : str
        What to call it in the error message.

    Returns
    -------
    float

    Raises
    ------
    InputError
        For a value below 0, NaN, or not a number.
    """
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{what}: expected a number, got {value!r}") from None
    if math.isnan(number) or number < 0:
        raise InputError(f"{what} = {value!r}: a loss price must be >= 0 (inf, the default, is pass/fail)")
    return number


def loss_term(price, loss):
    """The loss term ``price * L``: 0 where L = 0 (also at price = inf), +inf where
    L > 0 at price = inf.

    Parameters
    ----------
    price : float or array
        The loss price(s), broadcasting with ``loss``.
    loss : float or array
        Training losses L >= 0.

    Returns
    -------
    ndarray
    """
    price = np.asarray(price, dtype=float)
    loss = np.asarray(loss, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(loss > 0, price * loss, 0.0)


class Exchange:
    """Base class of the exchange families (see module docstring).

    A family is a subclass that sets the class attributes listed under Attributes;
    an instance holds one value for each of the family's parameters.

    Parameters
    ----------
    **params : float
        Values of the family's parameters by name (e.g. ``g=2.0``); a missing one takes
        its :class:`Parameter` default.  An unknown name, or a value that is not finite
        and >= 0, is an :class:`InputError`.

    Attributes
    ----------
    name : str
        The family's registry name (``"linear"``, ``"levin"``, ...).
    parameters : tuple of Parameter
        The family's parameters, in the order ``score_fn`` takes them.
    params : dict
        This instance's parameter values (name -> float).
    score_text : str
        The score as plain text, e.g. ``"g*c + t"``.
    score_label : str
        The score for figure titles, e.g. ``"score g·c + t"``.
    score_fn, bits_fn : callable
        Vectorised ``f(c, t, *params)``; ``bits_fn`` None means bits = score.
    monotone : bool
        Non-decreasing in c and in t (lets sweeps prune dominated programs).
    finite_scores : bool
        Finite totals always score finite, so an infinite score is an overflow.
    mass_parameter : str or None
        A parameter that must be > 0 for prior masses (g of linear and power).
    score_per_bit : str or None
        The parameter that converts score units to bits (bits = score / it; g of linear
        and power); None: bits and score share units.  Prices the loss term in bits.
    default_axis : str or None
        The phase diagram's x axis when none is given.
    """

    name = "custom"
    parameters: tuple = ()
    score_text = ""
    score_label = ""
    score_fn = None
    bits_fn = None
    monotone = True
    finite_scores = False
    mass_parameter: str | None = None
    score_per_bit: str | None = None
    default_axis: str | None = None

    def __init__(self, **params):
        names = self.parameter_names
        for key in params:
            if key not in names:
                raise InputError(f"exchange {self.name!r} has no parameter {key!r}{suggest(key, names)}")
        self.params = {p.name: float(params.get(p.name, p.default)) for p in self.parameters}
        for key, value in self.params.items():
            if not math.isfinite(value) or value < 0:
                raise InputError(f"exchange parameter {key} = {value:g} must be finite and >= 0")
        self.loss_price = check_loss_price(params.get(LOSS_PRICE, math.inf))

    # ------------------------------------------------------------------ parameters

    @property
    def parameter_names(self) -> tuple:
        """The names of the family's parameters, in order, then ``loss_price`` (every
        family has it)."""
        return tuple(p.name for p in self.parameters) + (LOSS_PRICE,)

    def parameter(self, name) -> Parameter:
        """The :class:`Parameter` called ``name`` (``loss_price`` included)."""
        return next(p for p in self.parameters + (LOSS_PARAMETER,) if p.name == name)

    def value(self, name) -> float:
        """This exchange's value of parameter ``name`` (``loss_price`` included)."""
        return self.loss_price if name == LOSS_PRICE else self.params[name]

    @property
    def shown_params(self) -> dict:
        """The parameters outputs report: the family's, and ``loss_price`` when finite
        (at the default +inf every output is what it was before the loss existed)."""
        out = dict(self.params)
        if self.loss_price < math.inf:
            out[LOSS_PRICE] = self.loss_price
        return out

    def _values(self, params):
        """Family parameter values in declaration order: ``params`` (arrays) override own."""
        merged = dict(self.params)
        if params:
            merged.update(params)
        return [np.asarray(merged[p.name], dtype=float) for p in self.parameters]

    def _loss(self, loss, params, scale=None):
        """The loss term (score units, or bits with ``scale``) broadcasting like params."""
        price = params.get(LOSS_PRICE, self.loss_price) if params else self.loss_price
        term = loss_term(price, loss)
        if scale is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                term = np.where(term > 0, term / scale, term)
        return term

    # ------------------------------------------------------------------ numbers

    def score(self, c, t, params=None, loss=None):
        """Scores of programs with totals c and t (broadcasting arrays); lower wins.

        ``params`` maps parameter names to arrays that broadcast with c and t (one value
        per sweep point); missing ones take this exchange's values.  ``loss``, the
        training loss L of each program (broadcasting too), adds ``loss_price * L``
        (module docstring); None is L = 0.
        """
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = self.score_fn(np.asarray(c, dtype=float), np.asarray(t, dtype=float), *self._values(params))
            if loss is None:
                return out
            term = self._loss(loss, params)
            # a program out of the running (+inf term) scores +inf even where its own is -inf
            return np.where(np.isposinf(term), np.inf, out + term)

    def bits(self, c, t, params=None, loss=None):
        """-log2 of the (unnormalised) prior weight: mass = multiplicity * 2**-bits.

        With ``loss`` the loss term is added in bits (module docstring).
        """
        if self.mass_parameter is not None:
            value = np.asarray(self._values(params)[[p.name for p in self.parameters].index(self.mass_parameter)])
            if (value <= 0).any():
                raise InputError(f"prior mass under the {self.name} exchange needs {self.mass_parameter} > 0 "
                                 f"({self.mass_parameter} = 0 is the pure speed prior)")
        if self.bits_fn is None:
            out = self.score(c, t, params)
        else:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                out = self.bits_fn(np.asarray(c, dtype=float), np.asarray(t, dtype=float), *self._values(params))
        if loss is None:
            return out
        scale = None
        if self.score_per_bit is not None:
            merged = dict(self.params)
            merged.update(params or {})
            scale = np.asarray(merged[self.score_per_bit], dtype=float)
        term = self._loss(loss, params, scale)
        with np.errstate(invalid="ignore", over="ignore"):
            return np.where(np.isposinf(term), np.inf, out + term)

    # ------------------------------------------------------------------ validity

    def check_totals(self, t, compatible, names, where=""):
        """Raise InputError when totals are outside this exchange's domain (default: none).

        ``t`` has rows first (one per program, ``names[row]``); ``where`` is a text, or a
        function of the remaining index of the first bad entry giving one.
        """

    def check_scores(self, c, t, score, names):
        """Raise InputError when a score overflowed the float range (``finite_scores``).

        An +inf score cannot win, so an overflow would silently drop a program; instead
        name the first program it hits (``names[i]``).
        """
        if not self.finite_scores:
            return
        bad = np.isinf(np.asarray(score, dtype=float))
        if bad.any():
            c, t = np.broadcast_arrays(np.asarray(c, dtype=float), np.asarray(t, dtype=float))
            i = np.unravel_index(int(np.argmax(bad)), bad.shape)
            raise InputError(f"the score of {names[i[0]]} under {self.describe()} overflows the float range "
                             f"(c={c[i]:g}, t={t[i]:g}); use smaller values")

    # ------------------------------------------------------------------ symbolic

    def sympy_score(self, c, t, syms):
        """The score as a sympy expression of totals c, t (``syms``: parameter symbols)."""
        raise NotImplementedError(f"the {self.name} exchange has no symbolic form")

    @property
    def symbolic(self) -> bool:
        """Whether :meth:`sympy_score` is defined (boundaries and exact tie curves)."""
        return type(self).sympy_score is not Exchange.sympy_score or type(self).symbolic_condition is not Exchange.symbolic_condition

    def affine_terms(self, c_a, t_a, c_b, t_b, syms):
        """score(a) - score(b) = P*x + Q in the swept parameter x (``sweep_parameter``).

        Returns (P, Q, sign_P, sign_Q, what_P, what_Q): sign_* are expressions with the
        sign of P and Q (simpler to decide over non-negative symbols), what_* say in
        words what P and Q are.  The default extracts P and Q from the sympy score.
        """
        import sympy

        x = syms[self.sweep_parameter]
        diff = sympy.expand(self.sympy_score(c_a, t_a, syms) - self.sympy_score(c_b, t_b, syms))
        P = sympy.simplify(diff.coeff(x, 1))
        Q = sympy.simplify(diff.coeff(x, 0))
        return P, Q, P, Q, f"the {x} coefficient", "the rest"

    def symbolic_condition(self, bd, syms):
        """For exchanges that are not affine in a parameter (cap): (condition, cases,
        at-model text) of a boundary; None for the affine ones."""
        return None

    def contour_functions(self, bd, syms) -> list:
        """Expressions whose zero set draws the tie curve between two programs."""
        return [bd.difference]

    @property
    def sweep_parameter(self) -> str | None:
        """The parameter a tie is solved for: the first one."""
        return self.parameters[0].name if self.parameters else None

    # ------------------------------------------------------------------ text

    def describe(self) -> str:
        """``name(param=value, ...)``, as reports print it (``loss_price`` when finite)."""
        inner = ", ".join(f"{k}={v:g}" for k, v in self.shown_params.items())
        return f"{self.name}({inner})" if inner else self.name

    def to_json(self) -> dict:
        """``{"name": ..., <parameter>: value, ...}`` (``loss_price`` when finite)."""
        return {"name": self.name, **self.shown_params}

    def __repr__(self):
        return f"<exchange {self.describe()}>"
