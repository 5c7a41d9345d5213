"""``linear``: g·c + t — the post's g(c(x)) = t(x), bits priced in time units.

g → 0 is the pure speed prior, g → ∞ the pure simplicity prior.  Bits (for masses)
are the score in bit units, c + t/g.
"""
from __future__ import annotations

__all__ = ["Linear", "linear_score", "linear_bits"]

import numpy as np
from numba import vectorize

from .base import Exchange, Parameter


@vectorize(["float64(float64, float64, float64)"], cache=True)
def linear_score(c, t, g):
    return g * c + t


@vectorize(["float64(float64, float64, float64)"], cache=True)
def linear_bits(c, t, g):
    return c + t / g


class Linear(Exchange):
    """g*c + t: bits priced in time units; g -> 0 pure speed prior, g -> inf pure simplicity.

    Parameters
    ----------
    **params : float
        ``g`` (time units per bit, default 1).
    """

    name = "linear"
    parameters = (Parameter("g", 1.0, "g (time units per bit)"),)
    score_text = "g*c + t"
    score_label = "score g·c + t"
    score_fn = staticmethod(linear_score)
    bits_fn = staticmethod(linear_bits)
    finite_scores = True
    mass_parameter = "g"
    score_per_bit = "g"
    default_axis = "g=0.01:100:201:log"

    def sympy_score(self, c, t, syms):
        return syms["g"] * c + t

    @staticmethod
    def tie_value(c_a, t_a, c_b, t_b):
        """g* = (t_b - t_a)/(c_a - c_b), where a and b score equally (arrays; NaN where
        c_a == c_b).  With a the faster, longer program, a wins below g* and b above."""
        dc = np.asarray(c_a, dtype=float) - c_b
        dt = np.asarray(t_b, dtype=float) - t_a
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(dc != 0, dt / np.where(dc != 0, dc, 1.0), np.nan)

    def affine_terms(self, c_a, t_a, c_b, t_b, syms):
        import sympy

        dc, dt = sympy.simplify(c_a - c_b), sympy.simplify(t_a - t_b)
        return dc, dt, dc, dt, "c({a}) - c({b})", "t({a}) - t({b})"
