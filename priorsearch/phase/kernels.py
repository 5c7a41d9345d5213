"""Numba kernels of the phase sweeps: class totals, pruning, winner and mass per grid point.

Three layers (as in stumpy): the single-point helpers (``_score``, ``_bits``, ``_is_tie``)
are plain ``@njit`` functions; the drivers below are ``@njit(parallel=True)`` loops over
independent grid points (no reduction across threads, so results do not depend on the
thread count); :mod:`priorsearch.phase.sweep` validates inputs and turns models and exchanges
into the arrays and scalars passed here.  Nothing inside reads a module global except the
integer exchange codes, which are constants.

Every kernel is checked against the NumPy reference in :mod:`priorsearch.phase_reference`
(and the tie rule against :func:`priorsearch.exchange.families.order`) in tests/test_phase.py.
"""
from __future__ import annotations

__all__ = ["class_totals", "pareto_candidates", "static_keep", "score_grid"]

import numpy as np
from numba import njit, prange

# exchange codes (Exchange.code); constants, frozen at compile time on purpose
LINEAR, LEVIN, POWER, CAP = 0, 1, 2, 3


@njit(cache=True)
def _score(code, p0, p1, c, t, rtol):
    """Score of one class, as the Exchange classes compute it (lower wins)."""
    if code == LINEAR:
        return p0 * c + t
    if code == LEVIN:
        if t == 0.0:
            # log2(0) = -inf; NumPy gives -inf for lambda > 0 (ineligible as non-finite)
            return -np.inf if p0 > 0.0 else c
        return c + p0 * np.log2(t)
    if code == POWER:
        return p0 * c + t ** p1
    # CAP: shortest among programs that finish within the budget k
    if t <= p0 * (1.0 + rtol):
        return c
    return np.inf


@njit(cache=True)
def _bits(code, p0, p1, c, t, rtol):
    """-log2 prior weight of one program (Exchange.bits); callers ensure g > 0."""
    if code == LINEAR:
        return c + t / p0
    if code == POWER:
        return c + t ** p1 / p0
    return _score(code, p0, p1, c, t, rtol)


@njit(cache=True)
def _is_tie(a, b, rtol):
    if np.isinf(a) or np.isinf(b):
        return a == b
    return abs(a - b) <= rtol * max(1.0, abs(a), abs(b))


@njit(cache=True)
def _key_less(i, j, c, t, size, k, rtol):
    """(c, t, size, index) of row i before that of row j at cost point k; c and t equal
    up to ``rtol`` count as equal, as in :func:`priorsearch.exchange.families.order`."""
    if not _is_tie(c[k, i], c[k, j], rtol):
        return c[k, i] < c[k, j]
    if not _is_tie(t[k, i], t[k, j], rtol):
        return t[k, i] < t[k, j]
    if size[i] != size[j]:
        return size[i] < size[j]
    return i < j


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
            if not compatible[r]:
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
def score_grid(c, t, size, compatible, cls, log2_mult, cand, n_cand, cand_shared, code, xparams, rtol,
               want_mass, winner, runner, score_out, margin, log2_mass):
    """Winner, runner-up and (optionally) class masses at every (cost, exchange) point.

    c, t (K, n): totals at K cost points; xparams (X, 2): exchange parameters at X
    exchange points; outputs have shape (K, X) (log2_mass: (2, K, X), aligned and
    deceptive).  The winner follows :func:`priorsearch.exchange.families.order`: the lowest finite
    score among compatible classes, scores within ``rtol`` of it tied and broken by
    (c, t, size, index); the runner-up is the next in that order (-1 if none).
    Candidates of cost point k are ``cand[k, :n_cand[k]]`` (``cand[0, :n_cand[0]]`` for
    every point when ``cand_shared``); masses use every class.
    """
    K, n = c.shape
    X = xparams.shape[0]
    for p in prange(K * X):
        k = p // X
        j = p - k * X
        kc = 0 if cand_shared else k
        p0 = xparams[j, 0]
        p1 = xparams[j, 1]
        # leader: smallest (score, c, t, size, index) among eligible classes
        lead = -1
        lead_s = np.inf
        for q in range(n_cand[kc]):
            r = cand[kc, q]
            s = _score(code, p0, p1, c[k, r], t[k, r], rtol)
            if not np.isfinite(s):
                continue
            if lead < 0 or s < lead_s or (s == lead_s and _key_less(r, lead, c, t, size, k, rtol)):
                lead = r
                lead_s = s
        w = -1
        w2 = -1
        other = -1
        other_s = np.inf
        if lead >= 0:
            for q in range(n_cand[kc]):
                r = cand[kc, q]
                s = _score(code, p0, p1, c[k, r], t[k, r], rtol)
                if not np.isfinite(s):
                    continue
                if _is_tie(s, lead_s, rtol):
                    if w < 0 or _key_less(r, w, c, t, size, k, rtol):
                        w2 = w
                        w = r
                    elif w2 < 0 or _key_less(r, w2, c, t, size, k, rtol):
                        w2 = r
                elif other < 0 or s < other_s or (s == other_s and _key_less(r, other, c, t, size, k, rtol)):
                    other = r
                    other_s = s
        second = w2 if w2 >= 0 else other
        winner[k, j] = w
        runner[k, j] = second
        if w >= 0:
            sw = _score(code, p0, p1, c[k, w], t[k, w], rtol)
            score_out[k, j] = sw
            if second >= 0:
                margin[k, j] = _score(code, p0, p1, c[k, second], t[k, second], rtol) - sw
            else:
                margin[k, j] = np.inf
        else:
            score_out[k, j] = np.nan
            margin[k, j] = np.nan
        if want_mass:
            for klass in range(2):
                top = -np.inf
                for r in range(n):
                    if cls[r] != klass:
                        continue
                    b = _bits(code, p0, p1, c[k, r], t[k, r], rtol)
                    v = log2_mult[r] - b
                    if v > top:
                        top = v
                if top == -np.inf:
                    log2_mass[klass, k, j] = -np.inf
                    continue
                acc = 0.0
                for r in range(n):
                    if cls[r] != klass:
                        continue
                    b = _bits(code, p0, p1, c[k, r], t[k, r], rtol)
                    v = log2_mult[r] - b
                    if v > -np.inf:
                        acc += 2.0 ** (v - top)
                log2_mass[klass, k, j] = top + np.log2(acc)
