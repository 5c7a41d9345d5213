"""The straightforward NumPy version of the phase sweep: scores of every class at every point.

It broadcasts ``exchange.score`` over a (classes x points) array and picks the winner with
the tie rule of :func:`priorsearch.exchange.families.order`, vectorised.  It serves three roles:
custom (callable) exchanges, which the Numba kernels cannot call; the reference the
kernels are tested against; and the baseline of benchmarks/phase.py.
"""
from __future__ import annotations

__all__ = ["winners_numpy", "log2_mass_numpy"]

import numpy as np

from ..exchange.families import TIE_RTOL


def winners_numpy(score, c, t, size, compatible):
    """Winner, runner-up, winner's score and margin at every point.

    score, c, t : (n, P) arrays; size (n,), compatible (n,) bool.
    Returns winner (P,), runner (P,) (-1 for none), score (P,), margin (P,) (inf when
    there is no runner-up, NaN when there is no winner).
    """
    score = np.asarray(score, dtype=float)
    n, P = score.shape
    eligible = compatible[:, None] & np.isfinite(score)
    s = np.where(eligible, score, np.inf)
    idx = np.broadcast_to(np.arange(n)[:, None], (n, P))
    sz = np.broadcast_to(np.asarray(size, dtype=float)[:, None], (n, P))
    # leader: lexicographic (score, c, t, size, index) among eligible rows
    lead = np.lexsort((idx, sz, t, c, s), axis=0)[0]
    lead_s = s[lead, np.arange(P)]
    has = np.isfinite(lead_s)
    with np.errstate(invalid="ignore"):
        close = np.abs(s - lead_s) <= TIE_RTOL * np.maximum(1.0, np.maximum(np.abs(s), np.abs(lead_s)))
    tied = eligible & (close | (s == lead_s)) & has
    big = np.inf
    tc = np.where(tied, c, big)
    tt = np.where(tied, t, big)
    tz = np.where(tied, sz, big)
    ti = np.where(tied, idx, n)
    by_key = np.lexsort((ti, tz, tt, tc), axis=0)
    cols = np.arange(P)
    winner = np.where(has, by_key[0], -1)
    n_tied = tied.sum(axis=0)
    second_tied = by_key[1] if n > 1 else np.full(P, -1)
    rest = eligible & ~tied
    rs = np.where(rest, s, big)
    by_rest = np.lexsort((np.where(rest, idx, n), np.where(rest, sz, big), np.where(rest, t, big),
                          np.where(rest, c, big), rs), axis=0)[0]
    other = np.where(rest.any(axis=0), by_rest, -1)
    runner = np.where(n_tied >= 2, second_tied, other)
    runner = np.where(has, runner, -1)
    w_score = np.where(has, score[np.maximum(winner, 0), cols], np.nan)
    r_score = np.where(runner >= 0, score[np.maximum(runner, 0), cols], np.inf)
    margin = np.where(has, r_score - w_score, np.nan)
    return winner, runner, w_score, margin


def log2_mass_numpy(bits, cls, multiplicity):
    """log2 of sum(multiplicity * 2**-bits) per class (0 aligned, 1 deceptive): (2, P)."""
    bits = np.asarray(bits, dtype=float)
    out = np.empty((2, bits.shape[1]))
    logm = np.log2(np.asarray(multiplicity, dtype=float))[:, None]
    for klass in (0, 1):
        rows = np.asarray(cls) == klass
        if not rows.any():
            out[klass] = -np.inf
            continue
        v = logm[rows] - bits[rows]
        top = v.max(axis=0)
        with np.errstate(invalid="ignore", over="ignore"):
            acc = np.where(np.isfinite(top), np.exp2(v - np.where(np.isfinite(top), top, 0)).sum(axis=0), 0.0)
            out[klass] = np.where(np.isfinite(top), top + np.log2(np.where(acc > 0, acc, 1)), -np.inf)
    return out
