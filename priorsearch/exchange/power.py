"""``power``: g·c + t^α — diminishing (α < 1) or increasing (α > 1) marginal cost of time."""
from __future__ import annotations

__all__ = ["Power", "power_score", "power_bits"]

from numba import vectorize

from .base import Exchange, Parameter


@vectorize(["float64(float64, float64, float64, float64)"], cache=True)
def power_score(c, t, g, alpha):
    return g * c + t ** alpha


@vectorize(["float64(float64, float64, float64, float64)"], cache=True)
def power_bits(c, t, g, alpha):
    return c + t ** alpha / g


class Power(Exchange):
    """g*c + t^alpha: diminishing (alpha < 1) or increasing (alpha > 1) marginal cost of time.

    Parameters
    ----------
    **params : float
        ``g`` (time units per bit, default 1) and ``alpha`` (power of t, default 1).
    """

    name = "power"
    parameters = (Parameter("g", 1.0, "g (time units per bit)"),
                  Parameter("alpha", 1.0, "α (power of t in g·c + t^α)"))
    score_text = "g*c + t^alpha"
    score_label = "score g·c + t^α"
    score_fn = staticmethod(power_score)
    bits_fn = staticmethod(power_bits)
    finite_scores = True
    mass_parameter = "g"
    score_per_bit = "g"
    default_axis = "g=0.01:100:201:log"

    def sympy_score(self, c, t, syms):
        return syms["g"] * c + t ** syms["alpha"]

    def affine_terms(self, c_a, t_a, c_b, t_b, syms):
        import sympy

        alpha = syms["alpha"]
        dc = sympy.simplify(c_a - c_b)
        return dc, sympy.simplify(t_a ** alpha - t_b ** alpha), dc, t_a - t_b, "c({a}) - c({b})", \
            "t({a})^alpha - t({b})^alpha"
