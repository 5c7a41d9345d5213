"""Exact tie curves between neighbouring winners of a phase diagram.

For every pair of programs whose regions touch in the grid, the exact score difference
from :func:`priorsearch.symbolic.boundary.boundary_rows` (a sympy expression, evaluated with
NumPy) is sampled on a grid four times finer than the diagram's and its zero level is
traced (contourpy); the curve is kept only near cells where the two regions meet, so a
tie that some third program wins is not drawn.  Under ``cap`` the curves are the budget
lines t = k of the two programs and their equal-length line c_a = c_b.
"""
from __future__ import annotations

__all__ = ["tie_curves", "neighbour_pairs"]

import numpy as np
import sympy

from ..exchange.base import LOSS_PRICE, Exchange
from .boundary import boundary_rows, exchange_symbols, loss_price_boundary

# the fine grid used to trace curves: this many times the diagram, at most this many points
_REFINE, _MAX_FINE = 4, 1201


def neighbour_pairs(winner) -> list:
    """Pairs (a, b), a < b, of winners whose cells touch horizontally or vertically.

    Parameters
    ----------
    winner : (ny, nx) int array
        Winning row per grid cell; -1 (no winner) touches nothing.

    Returns
    -------
    list of (int, int)
        Sorted.
    """
    pairs = set()
    for left, right in ((winner[:, :-1], winner[:, 1:]), (winner[:-1, :], winner[1:, :])):
        diff = (left != right) & (left >= 0) & (right >= 0)
        for a, b in zip(left[diff], right[diff]):
            pairs.add((int(min(a, b)), int(max(a, b))))
    return sorted(pairs)


def _contact_mask(winner, a, b):
    """Cells of a or b next to a cell of the other, dilated by one cell."""
    near = np.zeros(winner.shape, dtype=bool)
    for axis in (0, 1):
        for shift in (1, -1):
            other = np.roll(winner, shift, axis=axis)
            valid = np.ones(winner.shape, dtype=bool)
            if axis == 0:
                valid[0 if shift == 1 else -1, :] = False
            else:
                valid[:, 0 if shift == 1 else -1] = False
            near |= valid & (((winner == a) & (other == b)) | ((winner == b) & (other == a)))
    grown = near.copy()
    grown[1:, :] |= near[:-1, :]
    grown[:-1, :] |= near[1:, :]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    return grown


def _fine_axis(axis):
    n = min(_MAX_FINE, (axis.n - 1) * _REFINE + 1)
    if axis.log:
        return np.logspace(np.log10(axis.lo), np.log10(axis.hi), n)
    return np.linspace(axis.lo, axis.hi, n)


def _coarse_index(values, fine, log):
    """Index of the diagram cell each fine value falls in (nearest grid point)."""
    v, f = (np.log10(values), np.log10(fine)) if log else (values, fine)
    mids = (v[1:] + v[:-1]) / 2
    return np.searchsorted(mids, f)


def tie_curves(data, table, model, ex) -> list:
    """Tie curves of ``data`` (a PhaseData) as dicts: a, b, condition, tie, segments.

    Curves are contoured on a finer grid than the data's and kept only where the two
    programs' cells touch.

    Parameters
    ----------
    data : PhaseData
        A phase diagram whose winners are rows of ``table``.
    table : FeatureTable
        The programs the diagram ranked.
    model : CostModel
        Supplies the parameters that are not swept.
    ex : Exchange
        The diagram's exchange (with a symbolic form).

    Returns
    -------
    list of dict
        Per touching pair: rows ``a`` and ``b``, the ``condition`` text, the ``tie`` value
        text (or None) and ``segments``, a list of (m, 2) arrays of (x, y) points.
    """
    import contourpy



    pairs = neighbour_pairs(data.winner)
    if not pairs:
        return []
    fx, fy = _fine_axis(data.x), _fine_axis(data.y)
    gx, gy = np.meshgrid(fx, fy)
    ix = _coarse_index(data.x_values, fx, data.x.log)
    iy = _coarse_index(data.y_values, fy, data.y.log)
    syms = exchange_symbols(model, ex)
    env = {k: float(v) for k, v in model.parameters.items()}
    env.update({k: float(v) for k, v in ex.params.items()})
    env[LOSS_PRICE] = float(ex.loss_price)
    env[data.x.name], env[data.y.name] = gx, gy
    # contour in log10 coordinates on log axes, so interpolation follows the drawn scale
    cx = np.log10(gx) if data.x.log else gx
    cy = np.log10(gy) if data.y.log else gy
    curves = []
    for a, b in pairs:
        mask = _contact_mask(data.winner, a, b)[np.ix_(iy, ix)]
        if table.miss[a].any() or table.miss[b].any():
            # a program with a training loss won: its score carries loss_price * L
            if type(ex).sympy_score is Exchange.sympy_score:
                continue
            bd = loss_price_boundary(table, a, b, model, ex)
            funcs = [bd.difference]
        else:
            bd = boundary_rows(table, a, b, model, ex)
            funcs = ex.contour_functions(bd, syms)
        segments = []
        for expr in funcs:
            z = _evaluate(expr, syms, env, gx.shape)
            if z is None:
                continue
            z = np.where(mask, z, np.nan)
            gen = contourpy.contour_generator(cx, cy, z, name="serial", line_type="Separate")
            for line in gen.lines(0.0):
                if len(line) < 2:
                    continue
                xs = 10 ** line[:, 0] if data.x.log else line[:, 0]
                ys = 10 ** line[:, 1] if data.y.log else line[:, 1]
                segments.append(np.column_stack([xs, ys]))
        if segments:
            cond = f"{bd.a} beats {bd.b} iff {bd.condition}"
            curves.append({"a": a, "b": b, "condition": cond,
                           "tie": None if bd.tie is None else str(bd.tie), "segments": segments})
    return curves


def _evaluate(expr, syms, env, shape):
    """Evaluate a sympy expression with NumPy over the fine grid (None if constant zero)."""
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if not free:
        value = float(expr)
        return None if value == 0 else np.full(shape, value)
    by_symbol = {v: k for k, v in syms.items()}
    fn = sympy.lambdify(free, expr, modules="numpy")
    with np.errstate(all="ignore"):
        out = fn(*[env[by_symbol[s]] for s in free])
    return np.broadcast_to(np.asarray(out, dtype=float), shape)
