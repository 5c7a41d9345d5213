"""Numba kernels of the bottom-up enumeration (arrays and scalars in, arrays out).

Keys are packed as :mod:`.keys` describes.  With this packing a node's key is word
arithmetic on its children's keys: counts add, items OR, and the signature is a masked
select (table primitives take each episode's value from a constant or an argument;
``if`` takes it from the branch its condition selects; not/and/or are XOR/AND/OR of 0/1
fields).  An ``if`` adds the executions of its condition and, per episode, of the branch
taken only — a mask per episode.

Family members enter as slots (:mod:`.orbits`): before a child's key is combined, its
member slots are renamed to the parent's (a permutation of item bits and of member
objective ids in the signature), once per way the child's slots can enter the parent.

Classes of the size and type being built go through an open-addressing hash table (an
int32 array of slots, int64 past 2^31 classes; one per size and type) keyed on the key words; a class remembers the first combination of
children (and slot maps) that produced it, so a representative program can be rebuilt
deterministically.

Stumpy's layers: :func:`enumerate_production` checks and groups its inputs and calls
:func:`_enumerate_production`; the arguments travel in a few typed groups —

* ``shape`` int64 [SW, IW, CW, sig_fmask, E, n_items, G, cnt_fmask] and ``fields``
  (sig_word, sig_shift, ep_sig_mask, ep_cnt_mask, nodes_mask, ones_sig): the key layout;
* ``prod`` int64 [q, type, op, arity, per_objective, family] and ``pwords`` (argtypes,
  const_sig, argmask, inc, base_items, po_mask): the production;
* ``orbit`` (slot_items, slot_mask, obj_slot, obj_id, map_start, map_count, map_target):
  the families' slots and the ways a child's slots enter its parent;
* ``store`` (keys, mult, children, maps, nslots) and ``index`` (rstart, rend): the
  classes so far (this size's are appended: key, pattern count, back-pointers — child
  ids int32, and [production, child slot maps] in int16 when they fit, see
  :mod:`.enumerate` — slots used per family) and where each (size, type) range lies
  (a class's type is its range's).
"""
from __future__ import annotations

__all__ = ["enumerate_production", "OP_IF", "STATUS_OK", "STATUS_LIMIT", "BOOL"]

import numpy as np
from ..jit import njit

from ..features.layout import OP_AND, OP_NOT, OP_OR, OP_TABLE
from .branches import _MULT, _SEED, _branch_masks, _group_branches
from .keys import OP_IF

STATUS_OK, STATUS_LIMIT = 0, 1
BOOL = 1  # TYPES.index("Bool"): Bool signatures are 0/1 values, never member objectives



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
def _rehash(out_keys, ctype, start, n_out, W, n_slots, old):
    slots = np.full(n_slots, -1, dtype=old.dtype)   # the old table's int type
    mask = n_slots - 1
    for j in range(start, n_out):
        pos = _hash(out_keys[j], W, ctype) & mask
        while slots[pos] >= 0:
            pos = (pos + 1) & mask
        slots[pos] = j
    return slots


@njit(cache=True)
def _relabel(key, is_bool, targets, nsl, shape, fields, orbit, rsig, ritems):
    """The child ``key`` with family slot j renamed targets[f, j] (signature and items)."""
    SW, IW, fmask, E = shape[0], shape[1], shape[3], shape[4]
    sig_word, sig_shift, ep_sig_mask = fields[0], fields[1], fields[2]
    slot_items, slot_mask, obj_slot, obj_id = orbit[0], orbit[1], orbit[2], orbit[3]
    for w in range(SW):
        rsig[w] = key[w]
    for w in range(IW):
        ritems[w] = key[SW + w] & ~slot_mask[w]
    for f in range(nsl.shape[0]):
        for j in range(nsl[f]):
            tj = targets[f, j]
            for r in range(slot_items.shape[2]):
                src = slot_items[f, j, r]
                if src >= 0 and (key[SW + src // 64] >> (src % 64)) & 1:
                    dst = slot_items[f, tj, r]
                    ritems[dst // 64] |= np.int64(1) << (dst % 64)
    if not is_bool:
        for e in range(E):
            wd = sig_word[e]
            v = (key[wd] >> sig_shift[e]) & fmask
            f = obj_slot[v, 0]
            if f >= 0:
                nv = obj_id[f, targets[f, obj_slot[v, 1]], obj_slot[v, 2]]
                rsig[wd] = (rsig[wd] & ~ep_sig_mask[e, wd]) | (nv << sig_shift[e])


def enumerate_production(shape, fields, prod, pwords, orbit, comps, store, index, hash_slots, start, n_out,
                         max_out):
    """Add every program of one production at one size (child sizes ``comps``).

    Parameters
    ----------
    shape, fields, prod, pwords, orbit, store, index : see the module docstring.
    comps : (n_comps, arity) int64 — child sizes to combine (each row adds up to size - 1).
    hash_slots : int32 (or int64) array — the hash table of this size and type (-1
        empty; class ids); its length a power of 2.
    start, n_out : the first class of this size and type, and the classes held so far
        (rows start..n_out are all of the production's type).
    max_out : stop (STATUS_LIMIT) rather than hold more classes than this.

    Returns
    -------
    (store, hash_slots, n_out, status) — arrays may be reallocated.
    """
    arity = int(prod[3])
    if comps.ndim != 2 or comps.shape[1] != arity or len(hash_slots) & (len(hash_slots) - 1):
        raise ValueError("enumerate_production: comps must be (n, arity) and the hash table a power of 2")
    if not (0 <= start <= n_out <= max_out):
        raise ValueError("enumerate_production: need 0 <= start <= n_out <= max_out")
    keys, mult, children, maps, nslots = store
    if (children.shape[1] < arity or maps.shape[1] != 1 + children.shape[1]
            or keys.shape[1] != shape[0] + shape[1] + shape[2]):
        raise ValueError("enumerate_production: store arrays do not fit the key layout")
    keys, mult, children, maps, nslots, hash_slots, n_out, status = _enumerate_production(
        shape, fields, prod, pwords, orbit, np.ascontiguousarray(comps, dtype=np.int64),
        keys, mult, children, maps, nslots, index, hash_slots, np.int64(start), np.int64(n_out),
        np.int64(max_out))
    return (keys, mult, children, maps, nslots), hash_slots, int(n_out), int(status)


@njit(cache=True)
def _enumerate_production(shape, fields, prod, pwords, orbit, comps, keys, mult, children, maps,
                          nslots, index, slots, start, n_out, max_out):
    SW, IW, CW, E = shape[0], shape[1], shape[2], shape[4]
    W = SW + IW + CW
    sig_word, sig_shift, ep_sig_mask, ep_cnt_mask, nodes_mask, ones_sig = fields
    q, ctype, op, a, per_objective, own_family = prod[0], prod[1], prod[2], prod[3], prod[4], prod[5]
    argtypes, const_sig, argmask, inc, base_items, po_mask = pwords
    map_start, map_count, map_target = orbit[4], orbit[5], orbit[6]
    rstart, rend = index
    n_fam = nslots.shape[1]
    Mmax = max(orbit[0].shape[1], 1)
    fmask = shape[3]

    psig = np.zeros((a + 1, SW), dtype=np.int64)
    pitems = np.zeros((a + 1, IW), dtype=np.int64)
    pcnt = np.zeros((a + 1, CW), dtype=np.int64)
    pmult = np.ones(a + 1, dtype=np.int64)
    ps = np.zeros((a + 1, max(n_fam, 1)), dtype=np.int64)   # slots used after level d
    targets = np.zeros((max(n_fam, 1), Mmax), dtype=np.int64)
    rsig = np.zeros(SW, dtype=np.int64)
    ritems = np.zeros(IW, dtype=np.int64)
    ms = np.zeros(SW, dtype=np.int64)     # signature fields where an if's condition holds
    mct = np.zeros(CW, dtype=np.int64)    # count fields added from the then branch
    mcf = np.zeros(CW, dtype=np.int64)    # ... and from the else branch
    cand = np.zeros(W, dtype=np.int64)
    A = max(a, 1)
    idx = np.zeros(A, dtype=np.int64)
    jm = np.zeros(A, dtype=np.int64)      # joint slot-map index of the child at each level
    nj = np.zeros(A, dtype=np.int64)      # number of joint maps of that child
    lo = np.zeros(A, dtype=np.int64)
    hi = np.zeros(A, dtype=np.int64)
    for w in range(SW):
        psig[0, w] = const_sig[w]
    for w in range(IW):
        pitems[0, w] = base_items[w]
    for w in range(CW):
        pcnt[0, w] = inc[w]
    if own_family >= 0:
        ps[0, own_family] = 1
    n_slots = slots.shape[0]
    cap = keys.shape[0]
    child = np.zeros(A, dtype=np.int64)   # the class chosen at each level
    # an if's branches in groups (see _group_branches): per condition pattern sigma
    # (episodes where it holds) and side, the groups of each child size, built once
    grouped = op == OP_IF and E <= 62
    n_sig = 0
    sig_seen = np.zeros(1, dtype=np.int64)
    if grouped:
        n_bool = 0
        for s in range(rstart.shape[0]):
            n_bool += rend[s, BOOL] - rstart[s, BOOL]
        sig_seen = np.zeros(max(n_bool, 1), dtype=np.int64)
        for s in range(rstart.shape[0]):
            for c in range(rstart[s, BOOL], rend[s, BOOL]):
                sg = np.int64(0)
                for e in range(E):
                    sg |= ((keys[c, sig_word[e]] >> sig_shift[e]) & 1) << e
                found = False
                for k in range(n_sig):
                    if sig_seen[k] == sg:
                        found = True
                        break
                if not found:
                    sig_seen[n_sig] = sg
                    n_sig += 1
    gstart = np.full((2, max(n_sig, 1), rstart.shape[0]), -1, dtype=np.int64)
    gend = np.full((2, max(n_sig, 1), rstart.shape[0]), -1, dtype=np.int64)
    reps = np.empty(1024, dtype=np.int64)
    gmult = np.empty(1024, dtype=np.int64)
    n_reps = 0

    for ci in range(comps.shape[0]):
        if a > 0:
            for k in range(a):
                lo[k] = rstart[comps[ci, k], argtypes[k]]
                hi[k] = rend[comps[ci, k], argtypes[k]]
            depth = 0
            idx[0] = lo[0]
            jm[0] = 0
        else:
            depth = -1  # a leaf: one candidate, no children
        while True:
            if depth >= 0:
                if idx[depth] >= hi[depth]:
                    if depth == 0:
                        break
                    depth -= 1
                    jm[depth] += 1
                    if jm[depth] >= nj[depth]:
                        jm[depth] = 0
                        idx[depth] += 1
                    continue
                d = depth
                use_group = grouped and d > 0
                c = reps[idx[d]] if use_group else idx[d]
                child[d] = c
                if jm[d] == 0:
                    total = 1
                    for f in range(n_fam):
                        total *= map_count[f, nslots[c, f], ps[d, f]]
                    nj[d] = total
                    if total == 0:
                        idx[d] += 1
                        continue
                # the child's slot maps (mixed radix digits of jm over the families)
                rem = jm[d]
                ident = True
                for f in range(n_fam):
                    m_c = nslots[c, f]
                    cnt = map_count[f, m_c, ps[d, f]]
                    row = map_start[f, m_c, ps[d, f]] + rem % cnt
                    rem //= cnt
                    top = ps[d, f]
                    for j in range(m_c):
                        tj = map_target[row, j]
                        targets[f, j] = tj
                        if tj != j:
                            ident = False
                        if tj + 1 > top:
                            top = tj + 1
                    ps[d + 1, f] = top
                if ident:
                    for w in range(SW):
                        rsig[w] = keys[c, w]
                    for w in range(IW):
                        ritems[w] = keys[c, SW + w]
                else:
                    _relabel(keys[c], argtypes[d] == BOOL, targets, nslots[c], shape, fields, orbit, rsig, ritems)
                pmult[d + 1] = pmult[d] * (gmult[idx[d]] if use_group else mult[c])
                for w in range(IW):
                    pitems[d + 1, w] = pitems[d, w] | ritems[w]
                if op == OP_IF:
                    if d == 0:
                        for w in range(SW):
                            ms[w] = 0
                        for w in range(CW):
                            mct[w] = nodes_mask[w]
                            mcf[w] = nodes_mask[w]
                        for e in range(E):
                            if (rsig[sig_word[e]] >> sig_shift[e]) & 1:
                                for w in range(SW):
                                    ms[w] |= ep_sig_mask[e, w]
                                for w in range(CW):
                                    mct[w] |= ep_cnt_mask[e, w]
                            else:
                                for w in range(CW):
                                    mcf[w] |= ep_cnt_mask[e, w]
                        for w in range(CW):
                            pcnt[1, w] = pcnt[0, w] + keys[c, SW + IW + w]
                        if grouped:
                            # the branches as groups of classes equal on what reaches
                            # the parent under this condition's pattern
                            sg = np.int64(0)
                            for e in range(E):
                                sg |= ((rsig[sig_word[e]] >> sig_shift[e]) & 1) << e
                            k = 0
                            while sig_seen[k] != sg:
                                k += 1
                            for side in range(2):
                                s = comps[ci, 1 + side]
                                if gstart[side, k, s] < 0:
                                    wmask = _branch_masks(sg, 1 - side, shape, fields)
                                    gstart[side, k, s] = n_reps
                                    reps, gmult, n_reps = _group_branches(
                                        keys, mult, nslots, rstart[s, argtypes[1 + side]],
                                        rend[s, argtypes[1 + side]], wmask, reps, gmult, n_reps)
                                    gend[side, k, s] = n_reps
                                lo[1 + side] = gstart[side, k, s]
                                hi[1 + side] = gend[side, k, s]
                    elif d == 1:
                        for w in range(SW):
                            psig[2, w] = rsig[w] & ms[w]
                        for w in range(CW):
                            pcnt[2, w] = pcnt[1, w] + (keys[c, SW + IW + w] & mct[w])
                    else:
                        for w in range(SW):
                            psig[3, w] = psig[2, w] | (rsig[w] & ~ms[w])
                        for w in range(CW):
                            pcnt[3, w] = pcnt[2, w] + (keys[c, SW + IW + w] & mcf[w])
                else:
                    for w in range(CW):
                        pcnt[d + 1, w] = pcnt[d, w] + keys[c, SW + IW + w]
                    if op == OP_TABLE:
                        for w in range(SW):
                            psig[d + 1, w] = psig[d, w] | (rsig[w] & argmask[d, w])
                    elif op == OP_NOT:
                        for w in range(SW):
                            psig[d + 1, w] = rsig[w] ^ ones_sig[w]
                    elif op == OP_AND:
                        for w in range(SW):
                            psig[d + 1, w] = rsig[w] if d == 0 else (psig[d, w] & rsig[w])
                    else:  # OP_OR
                        for w in range(SW):
                            psig[d + 1, w] = rsig[w] if d == 0 else (psig[d, w] | rsig[w])
                if depth < a - 1:
                    depth += 1
                    idx[depth] = lo[depth]
                    jm[depth] = 0
                    continue

            # a complete candidate: level a
            for w in range(SW):
                cand[w] = psig[a, w]
            for w in range(IW):
                cand[SW + w] = pitems[a, w]
            if per_objective:
                for e in range(E):
                    v = (psig[a, sig_word[e]] >> sig_shift[e]) & fmask
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
                        return keys, mult, children, maps, nslots, slots, n_out, STATUS_LIMIT
                    if n_out == cap:
                        cap = min(max(2 * cap, 16), max_out)
                        nk = np.empty((cap, W), dtype=np.int64)
                        nk[:n_out] = keys[:n_out]
                        keys = nk
                        nm = np.empty(cap, dtype=np.int64)
                        nm[:n_out] = mult[:n_out]
                        mult = nm
                        nc = np.empty((cap, children.shape[1]), dtype=children.dtype)
                        nc[:n_out] = children[:n_out]
                        children = nc
                        nb = np.empty((cap, maps.shape[1]), dtype=maps.dtype)
                        nb[:n_out] = maps[:n_out]
                        maps = nb
                        nn = np.empty((cap, nslots.shape[1]), dtype=np.int8)
                        nn[:n_out] = nslots[:n_out]
                        nslots = nn
                    for w in range(W):
                        keys[n_out, w] = cand[w]
                    mult[n_out] = m
                    maps[n_out, 0] = q
                    for k in range(children.shape[1]):
                        children[n_out, k] = child[k] if k < a else -1
                        maps[n_out, 1 + k] = jm[k] if k < a else -1
                    for f in range(n_fam):
                        nslots[n_out, f] = ps[a, f]
                    slots[pos] = n_out
                    n_out += 1
                    if 2 * (n_out - start) > n_slots:
                        n_slots *= 2
                        slots = _rehash(keys, ctype, start, n_out, W, n_slots, slots)
                    break
                # the table holds one type's classes (rows start..n_out): no type check
                same = True
                for w in range(W):
                    if keys[j, w] != cand[w]:
                        same = False
                        break
                if same:
                    mult[j] += m
                    break
                pos = (pos + 1) & mask

            if depth < 0:
                break
            jm[depth] += 1
            if jm[depth] >= nj[depth]:
                jm[depth] = 0
                idx[depth] += 1
    return keys, mult, children, maps, nslots, slots, n_out, STATUS_OK
