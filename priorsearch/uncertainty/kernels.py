"""Numba kernel of the draws: the winner under the tie rule and the class masses per draw.

The chain per chunk of draws (see :mod:`priorsearch.uncertainty.engine`): c and t of
every class are dot products of its integer features with the drawn costs
(:func:`priorsearch.phase.kernels.class_totals`), scores and bits come from the
exchange object's own ufunc with one parameter value per draw, and
:func:`score_draws` picks each draw's winner with the one tie rule
(:func:`priorsearch.exchange.ties.select_two`) and sums its aligned and deceptive prior
mass with :func:`priorsearch.scoring.logsum.log2_sum_exp2`.

Draws are independent: the parallel loop runs over fixed blocks of draws and writes
only its own outputs, so the result does not depend on the thread count.  Checked
against a pure-Python reference in tests/unit/uncertainty/test_kernels.py.
"""
from __future__ import annotations

__all__ = ["score_draws", "draw_totals", "BLOCK"]

import numpy as np
from numba import njit, prange

from ..exchange.ties import select_two
from ..scoring.logsum import log2_sum_exp2

#: draws per parallel block (scratch arrays are allocated once per block)
BLOCK = 256


@njit(parallel=True, cache=True)
def draw_totals(feat_c, w_c, feat_t, w_t, c_out, t_out):
    """c and t of m classes at K draws as dense dot products (no branches, so the loops
    vectorise): c[k, r] = sum_f feat_c[r, f] w_c[k, f], the same for t.

    feat_c (m, Fc): description items and nodes per type; w_c (K, Fc): their costs;
    feat_t (m, Ft): executions per (time group, training episode); w_t (K, Ft): the time
    of one execution times the episode's weight (the mean over training episodes).
    Used when every class is scored (masses); :func:`priorsearch.phase.kernels.class_totals`
    serves the few classes that can win and the ``max`` aggregate.
    """
    K = w_c.shape[0]
    m, Fc = feat_c.shape
    Ft = feat_t.shape[1]
    for k in prange(K):
        for r in range(m):
            c = 0.0
            for f in range(Fc):
                c += feat_c[r, f] * w_c[k, f]
            t = 0.0
            for f in range(Ft):
                t += feat_t[r, f] * w_t[k, f]
            c_out[k, r] = c
            t_out[k, r] = t


@njit(parallel=True, cache=True)
def score_draws(score, c, t, size, index, cand, bits, aligned, deceptive, log2_mult, want_mass,
                winner, log2_mass):
    """Winner and class masses of every draw.

    score, c, t : (K, n) scores and totals of n classes at K draws
    size, index : (n,) nodes and place in the program space (the last tie-breaks)
    cand : (q,) positions (into the n classes) that can win: the others are beaten by two
        classes at every cost point
    bits : (K, m) -log2 prior weight of the m compatible classes (read only when
        ``want_mass``; the n scored classes may be all of them or only the candidates)
    aligned, deceptive : (m,) bool class masks; log2_mult : (m,) log2 multiplicity
    winner : (K,) out, position into the n classes (-1: no finite score)
    log2_mass : (2, K) out, log2 mass of the aligned and the deceptive classes
    """
    K = c.shape[0]
    m = log2_mult.shape[0]
    q = cand.shape[0]
    n_blocks = (K + BLOCK - 1) // BLOCK
    for b in prange(n_blocks):
        s = np.empty(q)
        cc = np.empty(q)
        tt = np.empty(q)
        zz = np.empty(q, dtype=np.int64)
        ii = np.empty(q, dtype=np.int64)
        values = np.empty(m)
        for k in range(b * BLOCK, min(K, (b + 1) * BLOCK)):
            for j in range(q):
                p = cand[j]
                s[j] = score[k, p]
                cc[j] = c[k, p]
                tt[j] = t[k, p]
                zz[j] = size[p]
                ii[j] = index[p]
            w, r = select_two(s, cc, tt, zz, ii, q)
            winner[k] = cand[w] if w >= 0 else -1
            if want_mass:
                for p in range(m):
                    values[p] = log2_mult[p] - bits[k, p]
                log2_mass[0, k] = log2_sum_exp2(values, aligned)
                log2_mass[1, k] = log2_sum_exp2(values, deceptive)
