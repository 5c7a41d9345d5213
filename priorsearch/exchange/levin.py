"""``levin``: c + λ·log2 t — Levin's Kt at λ = 1 (Levin search, Schmidhuber's speed prior).

Defined for t > 0 only: at t = 0 the score is -inf and the prior mass infinite, which
no ranking, sweep or mass can use, so a compatible program with t <= 0 is bad input.
λ = 0 is the pure simplicity prior (also at t = 0, where 0·log2 0 would be NaN).
"""
from __future__ import annotations

__all__ = ["Levin", "levin_score"]

import numpy as np
from numba import vectorize

from ..errors import InputError
from .base import Exchange, Parameter


@vectorize(["float64(float64, float64, float64)"], cache=True)
def levin_score(c, t, lam):
    if lam == 0.0:
        return c
    return c + lam * np.log2(t)


class Levin(Exchange):
    """c + lambda*log2(t): Levin's Kt at lambda = 1 (Schmidhuber's speed prior).

    Parameters
    ----------
    **params : float
        ``lambda`` (bits per doubling of t, default 1); pass it as ``**{"lambda": x}``.
    """

    name = "levin"
    parameters = (Parameter("lambda", 1.0, "λ (bits per doubling of t; Levin's Kt at λ = 1)"),)
    score_text = "c + lambda*log2(t)"
    score_label = "score c + λ·log2 t"
    score_fn = staticmethod(levin_score)
    default_axis = "lambda=0.01:100:201:log"

    def check_totals(self, t, compatible, names, where=""):
        t = np.asarray(t, dtype=float)
        comp = np.broadcast_to(np.asarray(compatible, dtype=bool).reshape((-1,) + (1,) * (t.ndim - 1)), t.shape)
        bad = comp & (t <= 0)
        if bad.any():
            i = np.unravel_index(int(np.argmax(bad)), bad.shape)
            at = where(i[1:]) if callable(where) else where
            raise InputError(f"the levin exchange needs t > 0 (it scores log2 t), but {names[i[0]]} has t = {t[i]:g}"
                             f"{at}; give the programs positive running times")

    @staticmethod
    def tie_value(c_a, t_a, c_b, t_b):
        """λ* = (c_a - c_b)/log2(t_b/t_a), where a and b score equally (NaN where t_a == t_b)."""
        lr = np.log2(np.asarray(t_b, dtype=float) / t_a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(lr != 0, (np.asarray(c_a, dtype=float) - c_b) / np.where(lr != 0, lr, 1.0), np.nan)

    def sympy_score(self, c, t, syms):
        import sympy

        return c + syms["lambda"] * sympy.log(t, 2)

    def affine_terms(self, c_a, t_a, c_b, t_b, syms):
        import sympy

        P = sympy.simplify(sympy.log(t_a, 2) - sympy.log(t_b, 2))
        dc = sympy.simplify(c_a - c_b)
        return P, dc, t_a - t_b, dc, "log2(t({a})/t({b}))", "c({a}) - c({b})"
