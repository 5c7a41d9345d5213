"""Numba kernels of the draws: c and t of the mass groups, the winner under the tie rule
and the class masses per draw.

The chain per chunk of draws (see :mod:`priorsearch.uncertainty.engine`): the few
classes that can win get c and t from :func:`priorsearch.phase.kernels.class_totals`;
every competing class counts in the masses, but classes with the same features in every
column the draws price (and the same class) have the same c, t and loss at every draw,
so they are merged into one *group* whose multiplicity is their sum.  c and t are linear
in the column costs: columns priced the same at every draw are summed once per group
(``base_c``, ``base_t``), and :func:`group_totals` adds only the columns that vary
(about one per uncertain cost).  Scores and bits come from the exchange object's own
ufunc with one parameter value per draw, and :func:`score_draws` picks each draw's
winner with the one tie rule (:func:`priorsearch.exchange.ties.select_two`) and sums
each class's prior mass with :func:`priorsearch.scoring.logsum.log2_sum_exp2` over its
contiguous range of groups.

Draws are independent: the parallel loops run over draws (or fixed blocks of draws) and
write only their own outputs, so results depend neither on the thread count nor on how
draws are split into chunks.  Checked against a pure-Python reference in
tests/unit/uncertainty/test_kernels.py.
"""
from __future__ import annotations

__all__ = ["score_draws", "group_totals", "BLOCK"]

import numpy as np
from numba import prange

from ..jit import njit

from ..exchange.ties import select_two
from ..scoring.logsum import log2_sum_exp2

#: draws per parallel block (scratch arrays are allocated once per block)
BLOCK = 256


@njit(parallel=True, cache=True)
def group_totals(feat_c, w_c, base_c, feat_t, w_t, base_t, c_out, t_out):
    """c and t of m groups at K draws: the fixed part plus the varying columns.

    c[k, r] = base_c[r] + sum_f feat_c[r, f] w_c[k, f], the same for t.  feat_c (m, Fc):
    description items and nodes per type whose cost varies between draws; w_c (K, Fc):
    their costs; base_c (m,): the rest of c (columns priced the same at every draw).
    feat_t (m, Ft): executions per (time group, training episode) whose price varies;
    w_t (K, Ft): the time of one execution times the episode's weight (the mean over
    training episodes); base_t (m,).  Dense and branch-free, so the loops vectorise.
    """
    K = w_c.shape[0]
    m, Fc = feat_c.shape
    Ft = feat_t.shape[1]
    for k in prange(K):
        for r in range(m):
            c = base_c[r]
            for f in range(Fc):
                c += feat_c[r, f] * w_c[k, f]
            t = base_t[r]
            for f in range(Ft):
                t += feat_t[r, f] * w_t[k, f]
            c_out[k, r] = c
            t_out[k, r] = t


@njit(parallel=True, cache=True)
def score_draws(score, c, t, size, index, bits, log2_mult, starts, want_mass, winner, log2_mass):
    """Winner and class masses of every draw.

    score, c, t : (K, q) scores and totals of the q classes that can win, at K draws
    size, index : (q,) nodes and place in the program space (the last tie-breaks)
    bits : (K, G) -log2 prior weight of one program of each of G mass groups (read only
        when ``want_mass``)
    log2_mult : (G,) log2 programs per group
    starts : (n_classes + 1,) the groups of class j are starts[j] .. starts[j + 1] - 1
    winner : (K,) out, position into the q classes (-1: no finite score)
    log2_mass : (n_classes, K) out, log2 prior mass of each class
    """
    K, q = score.shape
    G = log2_mult.shape[0]
    n_classes = starts.shape[0] - 1
    n_blocks = (K + BLOCK - 1) // BLOCK
    for b in prange(n_blocks):
        values = np.empty(G)
        ones = np.ones(G, dtype=np.bool_)
        for k in range(b * BLOCK, min(K, (b + 1) * BLOCK)):
            w, r = select_two(score[k], c[k], t[k], size, index, q)
            winner[k] = w
            if want_mass:
                for p in range(G):
                    values[p] = log2_mult[p] - bits[k, p]
                for j in range(n_classes):
                    a, e = starts[j], starts[j + 1]
                    log2_mass[j, k] = log2_sum_exp2(values[a:e], ones[a:e])
