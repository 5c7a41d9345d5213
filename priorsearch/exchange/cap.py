"""``cap``: fixed-compute training — the shortest program among those with t <= k.

The post's "maximum speed prior that still completes the task".  Programs over the
budget score +inf (excluded); within it the score is c, and ties go by t as always.
Also the budget arithmetic of the post: T/k episodes at k rollouts each.
"""
from __future__ import annotations

__all__ = ["Cap", "cap_score", "episodes_in_budget", "episodes_lost"]

import numpy as np
from numba import vectorize

from .base import Exchange, Parameter
from .ties import TIE_RTOL


@vectorize(["float64(float64, float64, float64)"], cache=True)
def cap_score(c, t, k):
    # a program exactly at the budget (up to the tie tolerance) fits
    if t <= k * (1.0 + TIE_RTOL):
        return c
    return np.inf


class Cap(Exchange):
    """Fixed compute: the shortest program among those with t <= k (ties by t).

    Parameters
    ----------
    **params : float
        ``k`` (the time budget, default 1); programs with t > k (beyond the tie
        tolerance) score +inf and cannot win.
    """

    name = "cap"
    parameters = (Parameter("k", 1.0, "k (time budget of the cap exchange)"),)
    score_text = "c among programs with t <= k"
    score_label = "shortest program with t ≤ k"
    score_fn = staticmethod(cap_score)

    def symbolic_condition(self, bd, syms):
        import sympy

        k = syms["k"]
        a, b = bd.a, bd.b
        dc, dt = sympy.simplify(bd.c_a - bd.c_b), sympy.simplify(bd.t_a - bd.t_b)
        condition = sympy.And(bd.t_a <= k, sympy.Or(bd.t_b > k, dc < 0, sympy.And(sympy.Eq(dc, 0), dt < 0)))
        cases = [f"{a} fits the budget iff k >= {bd.t_a}; {b} iff k >= {bd.t_b}",
                 f"both fit: the shorter wins ({a} iff {sympy.factor(dc)} < 0; equal c: the faster)",
                 "only one fits: that one wins; neither: no winner between them"]
        values = bd.values
        kv = float(self.params["k"])
        ta, tb, dcv = (float(sympy.N(e.subs(values))) for e in (bd.t_a, bd.t_b, dc))
        fa, fb = ta <= kv * (1 + TIE_RTOL), tb <= kv * (1 + TIE_RTOL)
        who = a if fa and (not fb or dcv < 0 or (dcv == 0 and ta < tb)) else b if fb else "neither"
        at_model = f"at the model's values (k = {kv:g}): t({a}) = {ta:g}, t({b}) = {tb:g}; {who} wins"
        return condition, cases, at_model

    def contour_functions(self, bd, syms) -> list:
        return [bd.c_a - bd.c_b, bd.t_a - syms["k"], bd.t_b - syms["k"]]


def episodes_in_budget(total_time, rollouts):
    """Episodes a compute budget T buys at k rollouts each: T / k.

    Parameters
    ----------
    total_time : float or array
        The compute budget T, in time units.
    rollouts : float or array
        Rollouts per episode k (broadcasts with ``total_time``).

    Returns
    -------
    numpy.ndarray
    """
    return np.asarray(total_time, dtype=float) / np.asarray(rollouts, dtype=float)


def episodes_lost(total_time, rollouts):
    """Episodes lost going from k to k+1 rollouts: T/k - T/(k+1) = T / (k (k+1)).

    The post's "Tk(k+1)" is almost certainly this quotient with the fraction bar lost in
    transcription (the same text renders 2/3 : 1/3 as "23:13"), not an error of the post.

    Parameters
    ----------
    total_time : float or array
        The compute budget T, in time units.
    rollouts : float or array
        Rollouts per episode k before the step (broadcasts with ``total_time``).

    Returns
    -------
    numpy.ndarray
    """
    k = np.asarray(rollouts, dtype=float)
    return np.asarray(total_time, dtype=float) / (k * (k + 1))
