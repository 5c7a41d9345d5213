"""The branches of an ``if`` in groups: what the enumeration kernel iterates over.

Under a condition that holds in episodes sigma, a then-branch reaches its parent only
through its signature and execution counts in those episodes, its items and its node
counts (the else-branch likewise in the other episodes).  Classes equal on those words
(and on the member slots they use) give the parent the same key, for every condition of
that pattern and every other child: so the kernel combines one class per group — the
first, in class order, so that classes and their representatives are met in the order
of the plain loop — with the group's summed pattern counts.  On the default grammar at
28 nodes this cuts the if candidates from 60.7 million to about half a million.
"""
from __future__ import annotations

__all__ = []

import numpy as np
from ..jit import njit

_MULT = np.int64(-7046029254386353131)   # 0x9E3779B97F4A7C15 as a signed 64-bit integer
_SEED = np.int64(1442695040888963407)


@njit(cache=True)
def _branch_masks(sigma, then, shape, fields):
    """The key words of an ``if`` branch that reach the parent when the condition holds
    in the episodes of bit set ``sigma``: the signature and execution counts of the
    episodes the branch is taken in, every item, the node counts."""
    SW, IW, CW, E = shape[0], shape[1], shape[2], shape[4]
    sig_word, ep_sig_mask, ep_cnt_mask, nodes_mask = fields[0], fields[2], fields[3], fields[4]
    out = np.zeros(SW + IW + CW, dtype=np.int64)
    for w in range(IW):
        out[SW + w] = -1
    for w in range(CW):
        out[SW + IW + w] = nodes_mask[w]
    for e in range(E):
        if ((sigma >> e) & 1) == then:
            out[sig_word[e]] |= ep_sig_mask[e, sig_word[e]]
            for w in range(CW):
                out[SW + IW + w] |= ep_cnt_mask[e, w]
    return out


@njit(cache=True)
def _group_branches(keys, mult, nslots, lo, hi, wmask, reps, gmult, n_reps):
    """Append to ``reps``/``gmult`` one entry per group of the classes lo..hi-1 that agree
    on the words ``wmask`` keeps (and on the member slots used): the group's first class
    and the sum of its pattern counts.  Returns (reps, gmult, n_reps)."""
    W = keys.shape[1]
    n_fam = nslots.shape[1]
    n = hi - lo
    size = 16
    while size < 2 * n:
        size *= 2
    table = np.full(size, -1, dtype=np.int64)
    if n_reps + n > reps.shape[0]:
        cap = max(2 * reps.shape[0], n_reps + n)
        nr = np.empty(cap, dtype=np.int64)
        nr[:n_reps] = reps[:n_reps]
        reps = nr
        ng = np.empty(cap, dtype=np.int64)
        ng[:n_reps] = gmult[:n_reps]
        gmult = ng
    first = n_reps
    for c in range(lo, hi):
        h = _SEED
        for w in range(W):
            h ^= keys[c, w] & wmask[w]
            h *= _MULT
            h ^= h >> 29
        for f in range(n_fam):
            h ^= np.int64(nslots[c, f])
            h *= _MULT
            h ^= h >> 29
        pos = h & (size - 1)
        while True:
            g = table[pos]
            if g < 0:
                table[pos] = n_reps
                reps[n_reps] = c
                gmult[n_reps] = mult[c]
                n_reps += 1
                break
            r = reps[g]
            same = True
            for w in range(W):
                if (keys[r, w] ^ keys[c, w]) & wmask[w]:
                    same = False
                    break
            if same:
                for f in range(n_fam):
                    if nslots[r, f] != nslots[c, f]:
                        same = False
                        break
            if same:
                gmult[g] += mult[c]
                break
            pos = (pos + 1) & (size - 1)
    return reps, gmult, n_reps
