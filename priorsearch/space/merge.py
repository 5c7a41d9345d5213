"""Numba kernels over finished classes: orbits of Policy classes, unpacking, lookups.

:func:`orbit_merge` renames each Policy class's member slots to a canonical order (slots
sorted by profile) so that classes of one orbit get one key; :func:`unpack_keys` turns
packed keys (:mod:`.keys`) into feature arrays; :func:`unpack` is its checked front;
:func:`unique_rows` numbers distinct signatures (millions of classes share a few
hundred), so that what depends on a signature only is computed once per signature.
"""
from __future__ import annotations

__all__ = ["orbit_merge", "unpack"]

import numpy as np
from ..jit import njit

from .kernels import _hash, _relabel


def unpack(kl, keys: np.ndarray, rows: np.ndarray):
    """Feature arrays of some classes, from their packed keys.

    Parameters
    ----------
    kl : KeyLayout
        Where the features are in the keys.
    keys : (N, W) int64 array
        Packed keys of every class.
    rows : (n,) int array
        The classes to unpack.

    Returns
    -------
    tuple
        (signature, desc, nodes, time_counts) arrays with n rows.
    """
    return unpack_columns(kl, keys, rows)


def unpack_columns(kl, keys, rows, sig_nodes=True, desc_counts=True, out=None):
    """(signature, desc, nodes, time_counts) of some classes, the pairs not asked for
    as None.  ``out``: arrays as :func:`empty_columns` gives (with at least ``len(rows)``
    rows) to fill and return views of, so that chunks reuse one buffer."""
    n = len(rows)
    buf = empty_columns(kl, n) if out is None else tuple(a[:n] for a in out)
    none = empty_columns(kl, 0)
    sig, desc, nodes, counts = (b if want else z for b, z, want in
                                zip(buf, none, (sig_nodes, desc_counts, sig_nodes, desc_counts)))
    unpack_keys(keys, np.asarray(rows, dtype=np.int64), kl.shape, kl.fields,
                (kl.cnt_word, kl.cnt_shift), sig, desc, nodes, counts, sig_nodes, desc_counts)
    return (sig if sig_nodes else None, desc if desc_counts else None,
            nodes if sig_nodes else None, counts if desc_counts else None)


def empty_columns(kl, n):
    """Uninitialised (signature, desc, nodes, time_counts) arrays of n rows, in the
    narrowest types their values fit."""
    sig = np.empty((n, kl.E), dtype=np.int16 if kl.sig_fmask < 2 ** 15 else np.int32)
    desc = np.empty((n, kl.n_items), dtype=np.uint8)
    nodes = np.empty((n, 3), dtype=np.int16 if kl.cnt_fmask < 2 ** 15 else np.int32)
    # executions per (group, episode) are at most max_size <= 64: one byte each
    dtype = np.uint8 if kl.cnt_fmask < 2 ** 8 else np.int16 if kl.cnt_fmask < 2 ** 15 else np.int32
    counts = np.empty((n, kl.G, kl.E), dtype=dtype)
    return sig, desc, nodes, counts


@njit(cache=True)
def orbit_merge(keys, rows, nslots, shape, fields, orbit):
    """Merge Policy classes that are renamings of one another (one orbit).

    Each row's slots are sorted by their profile (the slot's item bits, then per
    episode which of its objectives the signature holds), the key is renamed to that
    order, and rows with equal renamed keys form one orbit.

    Returns (group, first): the orbit of each row (numbered in order of first row) and
    each orbit's first row.
    """
    SW, IW, CW, E = shape[0], shape[1], shape[2], shape[4]
    W = SW + IW + CW
    sig_word, sig_shift = fields[0], fields[1]
    slot_items, obj_slot, obj_id = orbit[0], orbit[2], orbit[3]
    n_fam = nslots.shape[1]
    Mmax = max(slot_items.shape[1], 1)
    R2 = slot_items.shape[2]
    fmask = shape[3]
    n = rows.shape[0]
    group = np.empty(n, dtype=np.int32)
    first = np.empty(n, dtype=np.int64)
    # A class with at most one slot per family is its own canonical form, and is alone
    # in its orbit: a renaming keeps the number of slots a class uses, and a used
    # slot's item is in the key, so no class with more slots (nor another such class,
    # its key being different) renames to it.  Only the other classes are hashed.
    n_multi = 0
    for i in range(n):
        for f in range(n_fam):
            if nslots[rows[i], f] > 1:
                n_multi += 1
                break
    canon = np.empty((n_multi, W), dtype=np.int64)
    cpos = np.empty(n, dtype=np.int32)
    n_canon = 0
    n_slots = 1
    while n_slots < 2 * n_multi + 2:
        n_slots *= 2
    table = np.full(n_slots, -1, dtype=np.int32)
    targets = np.zeros((max(n_fam, 1), Mmax), dtype=np.int64)
    prof = np.zeros((Mmax, R2 + E), dtype=np.int64)
    order = np.zeros(Mmax, dtype=np.int64)
    rsig = np.zeros(SW, dtype=np.int64)
    ritems = np.zeros(IW, dtype=np.int64)
    cur = np.zeros(W, dtype=np.int64)
    n_groups = 0
    for i in range(n):
        key = keys[rows[i]]
        trivial = True   # at most one slot per family: the key is already canonical
        for f in range(n_fam):
            if nslots[rows[i], f] > 1:
                trivial = False
        if trivial:
            group[i] = n_groups
            first[n_groups] = i
            n_groups += 1
            continue
        for f in range(n_fam):
            m = nslots[rows[i], f]
            for j in range(m):
                for r in range(R2):
                    src = slot_items[f, j, r]
                    prof[j, r] = (key[SW + src // 64] >> (src % 64)) & 1 if src >= 0 else 0
                for e in range(E):
                    v = (key[sig_word[e]] >> sig_shift[e]) & fmask
                    prof[j, R2 + e] = obj_slot[v, 2] + 1 if (obj_slot[v, 0] == f and obj_slot[v, 1] == j) else 0
                order[j] = j
            # insertion sort of slots, profile descending (a stable, total order)
            for j in range(1, m):
                x = order[j]
                k = j - 1
                while k >= 0:
                    y = order[k]
                    greater = False
                    for t in range(R2 + E):
                        if prof[x, t] != prof[y, t]:
                            greater = prof[x, t] > prof[y, t]
                            break
                    if not greater:
                        break
                    order[k + 1] = y
                    k -= 1
                order[k + 1] = x
            for j in range(m):
                targets[f, order[j]] = j
        _relabel(key, False, targets, nslots[rows[i]], shape, fields, orbit, rsig, ritems)
        for w in range(SW):
            cur[w] = rsig[w]
        for w in range(IW):
            cur[SW + w] = ritems[w]
        for w in range(CW):
            cur[SW + IW + w] = key[SW + IW + w]
        pos = _hash(cur, W, 0) & (n_slots - 1)
        while True:
            g = table[pos]
            if g < 0:
                table[pos] = i
                group[i] = n_groups
                first[n_groups] = i
                n_groups += 1
                cpos[i] = n_canon
                for w in range(W):
                    canon[n_canon, w] = cur[w]
                n_canon += 1
                break
            same = True
            for w in range(W):
                if canon[cpos[g], w] != cur[w]:
                    same = False
                    break
            if same:
                group[i] = group[g]
                break
            pos = (pos + 1) & (n_slots - 1)
    return group, first[:n_groups]


@njit(cache=True)
def unpack_keys(keys, rows, shape, fields, cnt_fields, sig, desc, nodes, counts, with_sig_nodes, with_desc_counts):
    """Fill the feature arrays of the classes ``rows`` from their packed keys (signature
    and nodes, desc and time counts, or both)."""
    SW, IW, fmask, E, n_items, G, cfmask = shape[0], shape[1], shape[3], shape[4], shape[5], shape[6], shape[7]
    sig_word, sig_shift = fields[0], fields[1]
    cnt_word, cnt_shift = cnt_fields
    base = SW + IW
    for r in range(rows.shape[0]):
        key = keys[rows[r]]
        if with_sig_nodes:
            for e in range(E):
                sig[r, e] = (key[sig_word[e]] >> sig_shift[e]) & fmask
            for f in range(3):
                nodes[r, f] = (key[base + cnt_word[f]] >> cnt_shift[f]) & cfmask
        if not with_desc_counts:
            continue
        for j in range(n_items):
            desc[r, j] = (key[SW + j // 64] >> (j % 64)) & 1
        for g in range(G):
            for e in range(E):
                f = 3 + g * E + e
                counts[r, g, e] = (key[base + cnt_word[f]] >> cnt_shift[f]) & cfmask


@njit(cache=True)
def group_sums(group, rows, values, n_groups):
    """out[g] = sum of values[rows[i]] over i with group[i] == g, exact int64 (what
    ``np.add.at`` does, without gathering ``values[rows]`` first and ~10x faster)."""
    out = np.zeros(n_groups, dtype=np.int64)
    for i in range(group.shape[0]):
        out[group[i]] += values[rows[i]]
    return out


@njit(cache=True)
def rows_equal_to(keys, rows, key):
    """Positions r with keys[rows[r]] == key (all words)."""
    out = []
    W = key.shape[0]
    for r in range(rows.shape[0]):
        same = True
        for w in range(W):
            if keys[rows[r], w] != key[w]:
                same = False
                break
        if same:
            out.append(r)
    return np.array(out, dtype=np.int64)


@njit(cache=True)
def unique_rows(a):
    """(first, inverse): the first row of each distinct row of ``a`` (n, E) integers, in
    order of first occurrence, and each row's number among them (int32)."""
    n, E = a.shape
    size = 1 << 12
    table = np.full(size, -1, dtype=np.int64)
    first = np.empty(max(n, 1), dtype=np.int64)
    inverse = np.empty(n, dtype=np.int32)
    n_u = 0
    for i in range(n):
        h = _hash_row(a, i, E)
        pos = h & (size - 1)
        while True:
            u = table[pos]
            if u < 0:
                table[pos] = n_u
                first[n_u] = i
                inverse[i] = n_u
                n_u += 1
                if 2 * n_u > size:   # grow: rehash the distinct rows
                    size *= 2
                    table = np.full(size, -1, dtype=np.int64)
                    for k in range(n_u):
                        p = _hash_row(a, first[k], E) & (size - 1)
                        while table[p] >= 0:
                            p = (p + 1) & (size - 1)
                        table[p] = k
                break
            r = first[u]
            same = True
            for e in range(E):
                if a[r, e] != a[i, e]:
                    same = False
                    break
            if same:
                inverse[i] = u
                break
            pos = (pos + 1) & (size - 1)
    return first[:n_u], inverse


@njit(cache=True)
def _hash_row(a, i, E):
    h = np.int64(1442695040888963407)
    for e in range(E):
        h ^= np.int64(a[i, e])
        h *= np.int64(-7046029254386353131)
        h ^= h >> 29
    return h
