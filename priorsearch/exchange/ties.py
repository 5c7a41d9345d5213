"""The tie rule: one definition, used by rank, search, phase, experiments and every kernel.

Among eligible rows (training-compatible, score below +inf) the lowest score leads.
Scores within ``TIE_RTOL`` (relative) of the lowest are *tied*; tied rows are ordered
by smaller c, then smaller t (each equal up to the same tolerance, so rounding in sums
such as C_S + C_comb vs C_B never decides), then fewer nodes, then the earlier row.
The rows after the tied group are ordered by score, then by the same keys.

Everything below is ``@njit``, so the Python entry points (:func:`order`,
:func:`best_rows`, :func:`winners_by_column`) and the Numba sweeps call the very same
comparison, :func:`precedes`; nothing else in priorsearch compares scores.  Small inputs
run the functions' Python twins (:func:`priorsearch.jit.kernel`): the same code, without
compiling it.
"""
from __future__ import annotations

__all__ = ["TIE_RTOL", "is_tie", "precedes", "order", "best_rows", "winners_by_column", "select_two",
           "TIE_RULE"]

import numpy as np
from ..jit import njit

from ..jit import kernel

#: relative tolerance under which two scores (or two c, or two t) are equal
TIE_RTOL = 1e-9

TIE_RULE = (f"scores within {TIE_RTOL:g} (relative) tie; ties are broken by smaller c, then smaller t, "
            "then fewer nodes, then enumeration order")


@njit(cache=True)
def is_tie(a, b):
    """Equal up to TIE_RTOL (relative, at least absolute 1e-9); two equal infinities tie."""
    if np.isinf(a) or np.isinf(b):
        return a == b
    return abs(a - b) <= TIE_RTOL * max(1.0, abs(a), abs(b))


@njit(cache=True)
def _key_less(ci, ti, zi, i, cj, tj, zj, j):
    """(c, t, size, index) of row i before that of row j; c and t compared with is_tie."""
    if not is_tie(ci, cj):
        return ci < cj
    if not is_tie(ti, tj):
        return ti < tj
    if zi != zj:
        return zi < zj
    return i < j


@njit(cache=True)
def precedes(si, ci, ti, zi, i, sj, cj, tj, zj, j, lead):
    """Row i comes before row j given the leading (lowest eligible) score ``lead``."""
    tie_i = is_tie(si, lead)
    tie_j = is_tie(sj, lead)
    if tie_i != tie_j:
        return tie_i
    if not tie_i and si != sj:
        return si < sj
    return _key_less(ci, ti, zi, i, cj, tj, zj, j)


@njit(cache=True)
def select_two(score, c, t, size, index, m):
    """(winner, runner-up) positions among the first ``m`` rows (-1 for none).

    ``index`` is each row's place in the whole program space (the last tie-break);
    rows with score +inf or NaN are not eligible.
    """
    lead = np.inf
    for q in range(m):
        if score[q] < lead:
            lead = score[q]
    w = -1
    r = -1
    for q in range(m):
        s = score[q]
        if not s < np.inf:
            continue
        if w < 0 or precedes(s, c[q], t[q], size[q], index[q], score[w], c[w], t[w], size[w], index[w], lead):
            r = w
            w = q
        elif r < 0 or precedes(s, c[q], t[q], size[q], index[q], score[r], c[r], t[r], size[r], index[r], lead):
            r = q
    return w, r


@njit(cache=True)
def _merge_sort(rows, score, c, t, size, lead):
    """Stable merge sort of ``rows`` by :func:`precedes` (bottom-up, O(n log n))."""
    n = len(rows)
    a = rows.copy()
    b = np.empty_like(a)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                x, y = a[i], a[j]
                if precedes(score[y], c[y], t[y], size[y], y, score[x], c[x], t[x], size[x], x, lead):
                    b[k] = y
                    j += 1
                else:
                    b[k] = x
                    i += 1
                k += 1
            while i < mid:
                b[k] = a[i]
                i += 1
                k += 1
            while j < hi:
                b[k] = a[j]
                j += 1
                k += 1
        a, b = b, a
        width *= 2
    return a


@njit(cache=True)
def _order(score, c, t, size, eligible):
    n = len(score)
    lead = np.inf
    n_ok = 0
    for i in range(n):
        if eligible[i] and score[i] < np.inf:
            n_ok += 1
            if score[i] < lead:
                lead = score[i]
    ok = np.empty(n_ok, dtype=np.int64)
    rest = np.empty(n - n_ok, dtype=np.int64)
    a = 0
    b = 0
    for i in range(n):
        if eligible[i] and score[i] < np.inf:
            ok[a] = i
            a += 1
        else:
            rest[b] = i
            b += 1
    out = np.empty(n, dtype=np.int64)
    out[:n_ok] = _merge_sort(ok, score, c, t, size, lead)
    # ineligible rows last, by score then keys (no tied group among them)
    out[n_ok:] = _merge_sort(rest, score, c, t, size, np.nan)
    return out


def _arrays(score, c, t, size):
    return (np.ascontiguousarray(score, dtype=np.float64), np.ascontiguousarray(c, dtype=np.float64),
            np.ascontiguousarray(t, dtype=np.float64), np.ascontiguousarray(size, dtype=np.int64))


def order(score, c, t, size, eligible=None) -> np.ndarray:
    """Row indices best first by the tie rule (module docstring); ineligible rows last.

    Parameters
    ----------
    score, c, t : (n,) float arrays
    size : (n,) int array
        Program sizes (nodes).
    eligible : (n,) bool array, optional
        Rows that may win (training-compatible); default all.  Rows with score +inf are
        never eligible.
    """
    score, c, t, size = _arrays(score, c, t, size)
    eligible = np.ones(len(score), dtype=np.bool_) if eligible is None else np.ascontiguousarray(eligible, dtype=np.bool_)
    return kernel(_order, len(score) * 20)(score, c, t, size, eligible)


def best_rows(score, c, t, size, eligible, top):
    """(the ``top`` best eligible rows, every eligible row tied with the best).

    The first rows of :func:`order`, without sorting millions of rows: only rows that
    can be among the first ``top`` (and every tie of the best) are ordered.

    Parameters
    ----------
    score, c, t : (n,) float arrays
        Scores and totals of the rows.
    size : (n,) int array
        Program sizes (nodes).
    eligible : (n,) bool array
        Rows that may win (training-compatible); rows with score +inf never are.
    top : int
        How many rows to return.

    Returns
    -------
    ranked, tied : int64 arrays
        Row indices best first: at most ``top`` of them, and all rows tied with the best.
    """
    # sizes stay as given (e.g. int8): only the candidates' are widened for the kernel
    score, c, t = (np.ascontiguousarray(x, dtype=np.float64) for x in (score, c, t))
    size = np.asarray(size)
    ok = np.asarray(eligible, dtype=bool) & (score < np.inf)
    idx = np.flatnonzero(ok)
    if not len(idx):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    s = score[idx]
    best = s.min()
    tie_mask = _tie_mask(s, best)
    k = max(int(top), 1)
    if len(s) > k:
        kth = np.partition(s, k - 1)[k - 1]
        cand = idx[(s <= kth) | tie_mask]
    else:
        cand = idx
    ranked_all = cand[kernel(_order, len(cand) * 20)(score[cand], c[cand], t[cand],
                                                      np.ascontiguousarray(size[cand], dtype=np.int64),
                                                      np.ones(len(cand), dtype=np.bool_))]
    return ranked_all[:top], ranked_all[: int(tie_mask.sum())]


def _tie_mask(s, best):
    """:func:`is_tie` (s[i], best) for every i, as NumPy array operations: the same IEEE
    operations (abs, the max of three, one product, one comparison) give the same
    booleans, without a Python loop or a kernel load for one pass over the scores."""
    if np.isinf(best):
        return s == best
    with np.errstate(invalid="ignore"):  # in place (millions of scores): the same operations
        scale = np.abs(s)
        np.maximum(scale, 1.0, out=scale)
        np.maximum(scale, abs(best), out=scale)
        scale *= TIE_RTOL
        diff = s - best
        np.abs(diff, out=diff)
        out = diff <= scale
    inf = np.isinf(s)
    if inf.any():
        out[inf] = s[inf] == best
    return out


@njit(cache=True)
def _winners_by_column(score, c, t, size, eligible, winner, runner):
    n, P = score.shape
    col_s = np.empty(n)
    col_c = np.empty(n)
    col_t = np.empty(n)
    index = np.arange(n)
    for p in range(P):
        for i in range(n):
            col_s[i] = score[i, p] if eligible[i, p] else np.inf
            col_c[i] = c[i, p]
            col_t[i] = t[i, p]
        w, r = select_two(col_s, col_c, col_t, size, index, n)
        winner[p] = w
        runner[p] = r


def winners_by_column(score, c, t, size, eligible):
    """Winner and runner-up row of every column of ``score`` (n, P); -1 for none.

    Parameters
    ----------
    score : (n, P) float array
        Scores of n rows at P points.
    c, t : (n, P) or (n,) float arrays
        Totals; a 1-D array is one value per row at every point.
    size : (n,) int array
        Program sizes (nodes).
    eligible : bool array
        Broadcasts to (n, P): rows that may win at each point (training-compatible).

    Returns
    -------
    winner, runner : (P,) int64 arrays
    """
    score = np.asarray(score, dtype=np.float64)
    n, P = score.shape
    # a 1-D c or t is one value per row (the same at every column)
    c, t = (np.asarray(v, dtype=np.float64) for v in (c, t))
    c = np.ascontiguousarray(np.broadcast_to(c.reshape(n, 1) if c.ndim == 1 else c, (n, P)))
    t = np.ascontiguousarray(np.broadcast_to(t.reshape(n, 1) if t.ndim == 1 else t, (n, P)))
    ok = np.ascontiguousarray(np.broadcast_to(np.asarray(eligible, dtype=np.bool_).reshape(n, -1), (n, P)))
    size = np.ascontiguousarray(np.asarray(size, dtype=np.int64).reshape(n))
    winner = np.empty(P, dtype=np.int64)
    runner = np.empty(P, dtype=np.int64)
    kernel(_winners_by_column, n * P)(np.ascontiguousarray(score), c, t, size, ok, winner, runner)
    return winner, runner
