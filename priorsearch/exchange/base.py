"""The exchange protocol: how a program's totals (c, t) become one score (lower wins).

An exchange family is one object.  It owns its parameters (names, defaults, labels),
its score and its bits (-log2 prior weight, for masses) as NumPy ufuncs that every path
calls — rank, search, the phase sweep, experiments — its validity rules and its sympy
form.  Scores are applied to program totals, never term by term (footnote 1 of the
post: g is not additive).

A new family is a subclass that sets ``name``, ``parameters``, ``score_fn`` (a ufunc or
function ``f(c, t, *params)``) and, for :func:`priorsearch.boundary`, ``sympy_score``;
then :func:`priorsearch.exchange.register` makes it known by name to every command.
"""
from __future__ import annotations

__all__ = ["Exchange", "Parameter"]

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

    # ------------------------------------------------------------------ parameters

    @property
    def parameter_names(self) -> tuple:
        """The names of the family's parameters, in order."""
        return tuple(p.name for p in self.parameters)

    def parameter(self, name) -> Parameter:
        """The :class:`Parameter` called ``name``."""
        return next(p for p in self.parameters if p.name == name)

    def _values(self, params):
        """Parameter values in declaration order: ``params`` (arrays) override own."""
        merged = dict(self.params)
        if params:
            merged.update(params)
        return [np.asarray(merged[k], dtype=float) for k in self.parameter_names]

    # ------------------------------------------------------------------ numbers

    def score(self, c, t, params=None):
        """Scores of programs with totals c and t (broadcasting arrays); lower wins.

        ``params`` maps parameter names to arrays that broadcast with c and t (one value
        per sweep point); missing ones take this exchange's values.
        """
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return self.score_fn(np.asarray(c, dtype=float), np.asarray(t, dtype=float), *self._values(params))

    def bits(self, c, t, params=None):
        """-log2 of the (unnormalised) prior weight: mass = multiplicity * 2**-bits."""
        if self.mass_parameter is not None:
            value = np.asarray(self._values(params)[self.parameter_names.index(self.mass_parameter)])
            if (value <= 0).any():
                raise InputError(f"prior mass under the {self.name} exchange needs {self.mass_parameter} > 0 "
                                 f"({self.mass_parameter} = 0 is the pure speed prior)")
        if self.bits_fn is None:
            return self.score(c, t, params)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return self.bits_fn(np.asarray(c, dtype=float), np.asarray(t, dtype=float), *self._values(params))

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
        """``name(param=value, ...)``, as reports print it."""
        inner = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({inner})" if inner else self.name

    def to_json(self) -> dict:
        """``{"name": ..., <parameter>: value, ...}``."""
        return {"name": self.name, **self.params}

    def __repr__(self):
        return f"<exchange {self.describe()}>"
