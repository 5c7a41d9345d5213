"""Numba kernels of the phase sweeps: class totals, pruning, winner and mass per grid point.

Three layers (as in stumpy): the single-point rules are ``@njit`` functions that live
with their owners (the tie rule :func:`priorsearch.exchange.ties.select_two`, the
log-sum-exp :func:`priorsearch.scoring.logsum.log2_sum_exp2`); the drivers below are
``@njit(parallel=True)`` loops over independent grid points (no reduction across
threads, so results do not depend on the thread count); :mod:`priorsearch.phase.sweep`
validates inputs and turns models and exchanges into the arrays passed here.  Scores
come in as arrays, computed by the exchange object's own ufunc, so no formula is
written here.

Every kernel is checked against a slow reference in the tests.
"""
from __future__ import annotations

__all__ = ["class_totals", "pareto_candidates", "static_keep", "select_grid", "class_mass_grid"]

import numpy as np
from numba import prange

from ..jit import njit

from ..exchange.ties import select_two
from ..scoring.logsum import log2_sum_exp2


@njit(parallel=True, cache=True)
def class_totals(desc, nodes, counts, item_c, node_c, time_unit, train_w, use_max, c_out, t_out):
    """c and t of every class at every cost point: dot products of features and costs.

    desc (n, I) uint8, nodes (n, T) int64, counts (n, G, E) int64; item_c (K, I),
    node_c (K, T), time_unit (K, G, E), train_w (K, E); outputs c_out, t_out (K, n).
    ``use_max``: t is the max over training episodes instead of the weighted mean.
    """
    K = item_c.shape[0]
    n, n_items = desc.shape
    n_types = nodes.shape[1]
    G, E = counts.shape[1], counts.shape[2]
    for k in prange(K):
        for r in range(n):
            c = 0.0
            for i in range(n_items):
                if desc[r, i]:
                    c += item_c[k, i]
            for ty in range(n_types):
                c += nodes[r, ty] * node_c[k, ty]
            t = -np.inf if use_max else 0.0
            for e in range(E):
                w = train_w[k, e]
                if w <= 0.0:
                    continue
                s = 0.0
                for g in range(G):
                    if counts[r, g, e]:
                        s += counts[r, g, e] * time_unit[k, g, e]
                if use_max:
                    t = max(t, s)
                else:
                    t += w * s
            c_out[k, r] = c
            t_out[k, r] = t


@njit(parallel=True, cache=True)
def pareto_candidates(c, t, size, compatible, cand, n_cand):
    """Per cost point, the compatible classes that can be winner or runner-up.

    ``compatible`` (K, n): the classes in the running at each cost point (compatible
    and, on a family-count axis, existing at that point's count).

    A class preceded in (c, t, size, index) order by two classes that are no longer and
    no slower loses to both under every exchange non-decreasing in c and t (all built-in
    ones), so it is neither winner nor runner-up: keep the first two Pareto layers.
    Rows are visited in key order; a row is dropped when two earlier rows have t <= its t.
    """
    K, n = c.shape
    for k in prange(K):
        idx = np.arange(n)
        # lexicographic order by stable sorts on the keys, least significant first
        o = idx[np.argsort(size[idx], kind="mergesort")]
        o = o[np.argsort(t[k, o], kind="mergesort")]
        o = o[np.argsort(c[k, o], kind="mergesort")]
        t1 = np.inf
        t2 = np.inf
        m = 0
        for q in range(n):
            r = o[q]
            if not compatible[k, r]:
                continue
            tr = t[k, r]
            if t2 > tr:
                cand[k, m] = r
                m += 1
            if tr < t1:
                t2 = t1
                t1 = tr
            elif tr < t2:
                t2 = tr
        n_cand[k] = m


@njit(parallel=True, cache=True)
def static_keep(features, size, compatible):
    """Classes not beaten everywhere by two others: False where a row is dominated twice.

    Row q dominates row p at every parameter point when every integer feature of q is <=
    that of p (costs are >= 0) and q precedes p in (size, index) order, so q's (c, t,
    size, index) key is smaller at every point.  Rows dominated by two compatible rows
    can never be winner or runner-up.
    """
    n, F = features.shape
    keep = np.ones(n, dtype=np.bool_)
    for p in prange(n):
        if not compatible[p]:
            keep[p] = False
            continue
        found = 0
        for q in range(n):
            if q == p or not compatible[q]:
                continue
            if size[q] > size[p] or (size[q] == size[p] and q > p):
                continue
            ok = True
            for f in range(F):
                if features[q, f] > features[p, f]:
                    ok = False
                    break
            if ok:
                found += 1
                if found >= 2:
                    keep[p] = False
                    break
    return keep




@njit(parallel=True, cache=True)
def select_grid(score, c, t, size, index, n_cand, winner, runner):
    """Winner and runner-up positions at every (cost point k, exchange point x).

    score (K, X, m): the candidates' scores; c, t, size, index (K, m): their totals,
    sizes and places in the program space; the first ``n_cand[k]`` candidates of row k
    are real.  Outputs winner, runner (K, X): positions into the candidates, -1 for none.
    """
    K, X, m = score.shape
    for p in prange(K * X):
        k = p // X
        x = p - k * X
        w, r = select_two(score[k, x], c[k], t[k], size[k], index[k], n_cand[k])
        winner[k, x] = w
        runner[k, x] = r


@njit(parallel=True, cache=True)
def class_mass_grid(bits, cls, log2_mult, out):
    """log2 prior mass of every behaviour class at every point.

    bits (K, X, n): -log2 prior weight of every class of programs; cls (n,) the mass
    index of each (0 aligned, 1 deceptive, 2 proxy when reported; -1 not counted);
    log2_mult (1, n) log2 multiplicities, or (K, n) per cost point (a family-count axis;
    -inf: the class does not exist there); out (n_classes, K, X).  Rows with +inf bits
    (out of the running at that point) or multiplicity 0 weigh nothing.
    """
    K, X, n = bits.shape
    n_classes = out.shape[0]
    per_point = log2_mult.shape[0] > 1
    for p in prange(K * X):
        k = p // X
        x = p - k * X
        km = k if per_point else 0
        values = np.empty(n)
        for r in range(n):
            lm = log2_mult[km, r]
            values[r] = -np.inf if lm == -np.inf else lm - bits[k, x, r]
        for klass in range(n_classes):
            out[klass, k, x] = log2_sum_exp2(values, cls == klass)
