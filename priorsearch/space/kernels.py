"""Numba kernels of the bottom-up enumeration (arrays and scalars in, arrays out).

A program class is stored as one row of ``W`` int64 words, its *key*:

* ``SW`` signature words — the value in every episode (an objective id, or 0/1 for a
  Bool), one bit field per episode;
* ``IW`` item words — one bit per description item referenced;
* ``CW`` count words — nodes per type and executions per (time group, episode), one bit
  field each, wide enough for ``max_size`` so that fields never carry into each other.

With this packing a node's key is word arithmetic on its children's keys: counts add,
items OR, and the signature is a masked select (table primitives take each episode's
value from a constant or an argument; ``if`` takes it from the branch its condition
selects; not/and/or are XOR/AND/OR of 0/1 fields).  An ``if`` adds the executions of
its condition and, per episode, of the branch taken only — a mask per episode.

Classes of the size being built go through an open-addressing hash table (an int64
array of slots) keyed on (type, key words); a class remembers the first combination of
children that produced it (its back-pointer), so a representative program can be
rebuilt deterministically.  :func:`enumerate_production` does one production at one
size; the driver in :mod:`priorsearch.space.enumerate` loops over sizes and productions.
"""
from __future__ import annotations

__all__ = ["enumerate_production", "OP_TABLE", "OP_NOT", "OP_AND", "OP_OR", "OP_IF",
           "STATUS_OK", "STATUS_LIMIT"]

import numpy as np
from ..jit import njit

from ..features.layout import OP_AND, OP_NOT, OP_OR, OP_TABLE

#: the ``if`` production (the layout's ops are 0..3)
OP_IF = 4
STATUS_OK, STATUS_LIMIT = 0, 1

_MULT = np.int64(-7046029254386353131)   # 0x9E3779B97F4A7C15 as a signed 64-bit integer
_SEED = np.int64(1442695040888963407)


@njit(cache=True)
def _hash(key, W, ctype):
    """Mix the key words (int64 arithmetic wraps, as intended)."""
    h = _SEED ^ (np.int64(ctype) * _MULT)
    for w in range(W):
        h ^= key[w]
        h *= _MULT
        h ^= h >> 29
    return h


@njit(cache=True)
def _rehash(out_keys, out_meta, start, n_out, prod_type, W, n_slots):
    slots = np.full(n_slots, -1, dtype=np.int64)
    mask = n_slots - 1
    for j in range(start, n_out):
        pos = _hash(out_keys[j], W, prod_type[out_meta[j, 0]]) & mask
        while slots[pos] >= 0:
            pos = (pos + 1) & mask
        slots[pos] = j
    return slots


@njit(cache=True)
def enumerate_production(
        q, prod_type, op, arity, argtypes, comps,
        const_sig, argmask, inc, base_items, per_objective, po_mask,
        sig_word, sig_shift, sig_fmask, ep_sig_mask, ep_cnt_mask, nodes_mask, ones_sig,
        SW, IW, CW,
        keys, mult, rstart, rend,
        out_keys, out_mult, out_meta, start, n_out, slots, max_out):
    """Add every program of production ``q`` and the size implied by ``comps`` to the table.

    Parameters
    ----------
    q : int
        Production id (its type is ``prod_type[q]``).
    op, arity, argtypes : int, int, (arity,) int64
        The production's operation (OP_TABLE/NOT/AND/OR/IF), arity and argument types.
    comps : (n_comps, arity) int64
        Child sizes to combine (each row adds up to size - 1).
    const_sig, argmask : (SW,), (arity, SW) int64
        Table primitives: constant signature fields, and per argument the fields (episodes)
        whose value is that argument's.
    inc : (CW,) int64
        Count words a node of this production adds (its node field and, for a primitive
        with a time group, +1 execution in every episode).
    base_items, per_objective, po_mask : (IW,), bool, (n_objectives, IW)
        Items the node always references; with ``per_objective``, the items added for
        each objective the node evaluates to in some episode.
    sig_word, sig_shift, sig_fmask : where each episode's signature field is.
    ep_sig_mask, ep_cnt_mask : (E, SW), (E, CW) — fields of each episode.
    nodes_mask, ones_sig : (CW,), (SW,) — node-count fields; a 1 in every signature field.
    keys, mult : (N, W), (N,) — classes of smaller sizes; rstart/rend[size, type] their ranges.
    out_keys, out_mult, out_meta, start, n_out, slots : where classes are stored (usually
        the same arrays as ``keys``/``mult``: rows ``start:n_out`` are this size's classes so
        far; ``out_meta`` rows: production, then child class ids) and this size's hash table.
    max_out : int — refuse (STATUS_LIMIT) rather than hold more than this many classes.

    Returns
    -------
    (out_keys, out_mult, out_meta, slots, n_out, status) — arrays may be reallocated.
    """
    W = SW + IW + CW
    E = sig_word.shape[0]
    ctype = prod_type[q]
    a = arity
    psig = np.zeros((a + 1, SW), dtype=np.int64)
    pitems = np.zeros((a + 1, IW), dtype=np.int64)
    pcnt = np.zeros((a + 1, CW), dtype=np.int64)
    pmult = np.ones(a + 1, dtype=np.int64)
    ms = np.zeros(SW, dtype=np.int64)     # signature fields where an if's condition holds
    mct = np.zeros(CW, dtype=np.int64)    # count fields added from the then branch
    mcf = np.zeros(CW, dtype=np.int64)    # ... and from the else branch
    cand = np.zeros(W, dtype=np.int64)
    idx = np.zeros(max(a, 1), dtype=np.int64)
    lo = np.zeros(max(a, 1), dtype=np.int64)
    hi = np.zeros(max(a, 1), dtype=np.int64)
    for w in range(SW):
        psig[0, w] = const_sig[w]
    for w in range(IW):
        pitems[0, w] = base_items[w]
    for w in range(CW):
        pcnt[0, w] = inc[w]
    n_slots = slots.shape[0]
    cap = out_keys.shape[0]

    for ci in range(comps.shape[0]):
        if a > 0:
            for k in range(a):
                lo[k] = rstart[comps[ci, k], argtypes[k]]
                hi[k] = rend[comps[ci, k], argtypes[k]]
            depth = 0
            idx[0] = lo[0]
        else:
            depth = -1  # a leaf: one candidate, no children
        while True:
            if depth >= 0:
                if idx[depth] >= hi[depth]:
                    if depth == 0:
                        break
                    depth -= 1
                    idx[depth] += 1
                    continue
                # combine level depth (the partial node) with child idx[depth]
                c = idx[depth]
                d = depth
                pmult[d + 1] = pmult[d] * mult[c]
                for w in range(IW):
                    pitems[d + 1, w] = pitems[d, w] | keys[c, SW + w]
                if op == OP_IF:
                    if d == 0:
                        for w in range(SW):
                            ms[w] = 0
                        for w in range(CW):
                            mct[w] = nodes_mask[w]
                            mcf[w] = nodes_mask[w]
                        for e in range(E):
                            if (keys[c, sig_word[e]] >> sig_shift[e]) & 1:
                                for w in range(SW):
                                    ms[w] |= ep_sig_mask[e, w]
                                for w in range(CW):
                                    mct[w] |= ep_cnt_mask[e, w]
                            else:
                                for w in range(CW):
                                    mcf[w] |= ep_cnt_mask[e, w]
                        for w in range(CW):
                            pcnt[1, w] = pcnt[0, w] + keys[c, SW + IW + w]
                    elif d == 1:
                        for w in range(SW):
                            psig[2, w] = keys[c, w] & ms[w]
                        for w in range(CW):
                            pcnt[2, w] = pcnt[1, w] + (keys[c, SW + IW + w] & mct[w])
                    else:
                        for w in range(SW):
                            psig[3, w] = psig[2, w] | (keys[c, w] & ~ms[w])
                        for w in range(CW):
                            pcnt[3, w] = pcnt[2, w] + (keys[c, SW + IW + w] & mcf[w])
                else:
                    for w in range(CW):
                        pcnt[d + 1, w] = pcnt[d, w] + keys[c, SW + IW + w]
                    if op == OP_TABLE:
                        for w in range(SW):
                            psig[d + 1, w] = psig[d, w] | (keys[c, w] & argmask[d, w])
                    elif op == OP_NOT:
                        for w in range(SW):
                            psig[d + 1, w] = keys[c, w] ^ ones_sig[w]
                    elif op == OP_AND:
                        for w in range(SW):
                            psig[d + 1, w] = keys[c, w] if d == 0 else (psig[d, w] & keys[c, w])
                    else:  # OP_OR
                        for w in range(SW):
                            psig[d + 1, w] = keys[c, w] if d == 0 else (psig[d, w] | keys[c, w])
                if depth < a - 1:
                    depth += 1
                    idx[depth] = lo[depth]
                    continue

            # a complete candidate: level a
            for w in range(SW):
                cand[w] = psig[a, w]
            for w in range(IW):
                cand[SW + w] = pitems[a, w]
            if per_objective:
                for e in range(E):
                    v = (psig[a, sig_word[e]] >> sig_shift[e]) & sig_fmask
                    for w in range(IW):
                        cand[SW + w] |= po_mask[v, w]
            for w in range(CW):
                cand[SW + IW + w] = pcnt[a, w]
            m = pmult[a]

            mask = n_slots - 1
            pos = _hash(cand, W, ctype) & mask
            while True:
                j = slots[pos]
                if j < 0:
                    if n_out >= max_out:
                        return out_keys, out_mult, out_meta, slots, n_out, STATUS_LIMIT
                    if n_out == cap:
                        cap = min(max(2 * cap, 16), max_out)
                        nk = np.empty((cap, W), dtype=np.int64)
                        nk[:n_out] = out_keys[:n_out]
                        out_keys = nk
                        nm = np.empty(cap, dtype=np.int64)
                        nm[:n_out] = out_mult[:n_out]
                        out_mult = nm
                        nb = np.empty((cap, out_meta.shape[1]), dtype=np.int32)
                        nb[:n_out] = out_meta[:n_out]
                        out_meta = nb
                    for w in range(W):
                        out_keys[n_out, w] = cand[w]
                    out_mult[n_out] = m
                    out_meta[n_out, 0] = q
                    for k in range(out_meta.shape[1] - 1):
                        out_meta[n_out, 1 + k] = idx[k] if k < a else -1
                    slots[pos] = n_out
                    n_out += 1
                    if 2 * (n_out - start) > n_slots:
                        n_slots *= 2
                        slots = _rehash(out_keys, out_meta, start, n_out, prod_type, W, n_slots)
                    break
                if prod_type[out_meta[j, 0]] == ctype:
                    same = True
                    for w in range(W):
                        if out_keys[j, w] != cand[w]:
                            same = False
                            break
                    if same:
                        out_mult[j] += m
                        break
                pos = (pos + 1) & mask

            if depth < 0:
                break
            idx[depth] += 1
    return out_keys, out_mult, out_meta, slots, n_out, STATUS_OK


@njit(cache=True)
def unpack_keys(keys, rows, sig_word, sig_shift, sig_fmask, n_items, SW, IW,
                cnt_word, cnt_shift, cnt_fmask, G, sig, desc, nodes, counts):
    """Fill the feature arrays of the classes ``rows`` from their packed keys."""
    E = sig_word.shape[0]
    base = SW + IW
    for r in range(rows.shape[0]):
        key = keys[rows[r]]
        for e in range(E):
            sig[r, e] = (key[sig_word[e]] >> sig_shift[e]) & sig_fmask
        for j in range(n_items):
            desc[r, j] = (key[SW + j // 64] >> (j % 64)) & 1
        for f in range(3):
            nodes[r, f] = (key[base + cnt_word[f]] >> cnt_shift[f]) & cnt_fmask
        for g in range(G):
            for e in range(E):
                f = 3 + g * E + e
                counts[r, g, e] = (key[base + cnt_word[f]] >> cnt_shift[f]) & cnt_fmask


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
