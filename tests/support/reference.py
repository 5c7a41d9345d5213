"""Slow, obviously-correct pure-Python references of the tie rule and of class masses.

Written from the documented rule (priorsearch.exchange.ties) with plain floats and
``math``, independent of the Numba code, so kernels and NumPy paths are checked
against a second implementation rather than against themselves.
"""
from __future__ import annotations

import functools
import math

RTOL = 1e-9


def tie(a, b):
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= RTOL * max(1.0, abs(a), abs(b))


def ranked(score, c, t, size, eligible):
    """Eligible rows (score < inf) best first: the tied group by (c, t, size, index),
    then the rest by score, then the same keys."""
    rows = [i for i in range(len(score)) if eligible[i] and score[i] < math.inf]
    if not rows:
        return []
    lead = min(score[i] for i in rows)

    def key_cmp(i, j):
        for key in (c, t):
            if not tie(key[i], key[j]):
                return -1 if key[i] < key[j] else 1
        if size[i] != size[j]:
            return -1 if size[i] < size[j] else 1
        return (i > j) - (i < j)

    def cmp(i, j):
        ti, tj = tie(score[i], lead), tie(score[j], lead)
        if ti != tj:
            return -1 if ti else 1
        if not ti and score[i] != score[j]:
            return -1 if score[i] < score[j] else 1
        return key_cmp(i, j)

    return sorted(rows, key=functools.cmp_to_key(cmp))


def winner_runner(score, c, t, size, eligible):
    r = ranked(score, c, t, size, eligible)
    return (r[0] if r else -1), (r[1] if len(r) > 1 else -1)


def log2_mass(bits, multiplicity, rows):
    """log2 of sum over ``rows`` of multiplicity * 2**-bits, by exact shifting."""
    terms = [math.log2(multiplicity[i]) - bits[i] for i in rows if bits[i] < math.inf]
    if not terms:
        return -math.inf
    top = max(terms)
    return top + math.log2(sum(2.0 ** (v - top) for v in terms))
