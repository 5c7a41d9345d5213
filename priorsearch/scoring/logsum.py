"""log2 of a sum of powers of two, stably: the one log-sum-exp of priorsearch.

A program's prior weight is multiplicity * 2**(-bits); weights like 2**-5000 underflow
as floats, so masses are kept as log2 values and summed by shifting by the largest term.
Used by the class masses of ``search`` and by the phase sweep's mass mode alike.
"""
from __future__ import annotations

__all__ = ["log2_sum_exp2", "log2_sum_exp2_columns", "log2_sum_exp2_groups"]

import numpy as np
from ..jit import njit


@njit(cache=True)
def log2_sum_exp2(values, mask):
    """log2(sum of 2**values[i] over i with mask[i]); -inf when nothing has weight,
    +inf when a term is +inf."""
    top = -np.inf
    for i in range(len(values)):
        if mask[i] and values[i] > top:
            top = values[i]
    if top == -np.inf or top == np.inf:
        return top
    acc = 0.0
    for i in range(len(values)):
        if mask[i] and values[i] > -np.inf:
            acc += np.exp2(values[i] - top)
    return top + np.log2(acc)


@njit(cache=True)
def log2_sum_exp2_columns(values, mask, out):
    """:func:`log2_sum_exp2` of every column of ``values`` (n, K) into ``out`` (K,)."""
    n, K = values.shape
    col = np.empty(n)
    for k in range(K):
        for i in range(n):
            col[i] = values[i, k]
        out[k] = log2_sum_exp2(col, mask)


@njit(cache=True)
def log2_sum_exp2_groups(values, mask, codes, n_groups, out):
    """:func:`log2_sum_exp2` of every group k (rows with ``codes == k`` and ``mask``)
    into ``out[k]``, in one pass per step: the same maximum and the same additions in
    row order as a separate call per group, so the same bits."""
    top = np.full(n_groups, -np.inf)
    for i in range(len(values)):
        if mask[i] and values[i] > top[codes[i]]:
            top[codes[i]] = values[i]
    acc = np.zeros(n_groups)
    for i in range(len(values)):
        k = codes[i]
        if mask[i] and values[i] > -np.inf and top[k] != -np.inf and top[k] != np.inf:
            acc[k] += np.exp2(values[i] - top[k])
    for k in range(n_groups):
        if top[k] == -np.inf or top[k] == np.inf:
            out[k] = top[k]
        else:
            out[k] = top[k] + np.log2(acc[k])
