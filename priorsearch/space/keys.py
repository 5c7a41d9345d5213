"""Packed class keys: where each feature of a class lives in its int64 words.

A class of programs is stored as one row of ``W`` int64 words, its *key* (the kernels
in :mod:`.kernels` do word arithmetic on them):

* ``SW`` signature words — the value in every episode (an objective id, or 0/1 for a
  Bool), one bit field per episode;
* ``IW`` item words — one bit per description item referenced;
* ``CW`` count words — nodes per type and executions per (time group, episode), one bit
  field each, wide enough for ``max_size`` so that fields never carry into each other.

:class:`Production` holds one way to build a node as the masks the kernel applies.
"""
from __future__ import annotations

__all__ = ["KeyLayout", "Production", "OP_IF"]

import math
from dataclasses import dataclass

import numpy as np

from ..features.layout import CONST, OP_TABLE, TYPE_INDEX, Layout
from ..model.cost_model import TYPES

#: the ``if`` production (the layout's ops are 0..3)
OP_IF = 4
_BOOL = TYPE_INDEX["Bool"]


def _i64(x: int) -> int:
    """A 64-bit pattern (Python int) as a signed int64 value."""
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x


class KeyLayout:
    """Where each feature lives in a class's int64 key words (see the module docstring).

    Parameters
    ----------
    layout : Layout
        The (reduced) layout whose features are packed.
    max_size : int
        Largest program size: count fields are wide enough for it.
    """

    def __init__(self, layout: Layout, max_size: int):
        E, G = len(layout.episodes), layout.n_groups
        self.E, self.G = E, G
        n_obj = len(layout.objectives)
        self.sbits = max(1, (max(n_obj, 2) - 1).bit_length())
        per = 64 // self.sbits
        self.SW = max(1, math.ceil(E / per))
        self.sig_word = np.array([e // per for e in range(E)], dtype=np.int64)
        self.sig_shift = np.array([(e % per) * self.sbits for e in range(E)], dtype=np.int64)
        self.sig_fmask = (1 << self.sbits) - 1
        self.n_items = layout.n_items
        self.IW = max(1, math.ceil(layout.n_items / 64))
        self.cbits = max(1, int(max_size).bit_length())
        cper = 64 // self.cbits
        n_fields = 3 + G * E
        self.CW = max(1, math.ceil(n_fields / cper))
        self.cnt_word = np.array([f // cper for f in range(n_fields)], dtype=np.int64)
        self.cnt_shift = np.array([(f % cper) * self.cbits for f in range(n_fields)], dtype=np.int64)
        self.cnt_fmask = (1 << self.cbits) - 1
        self.W = self.SW + self.IW + self.CW

        self.ep_sig_mask = np.zeros((E, self.SW), dtype=np.int64)
        self.ones_sig = np.zeros(self.SW, dtype=np.int64)
        for e in range(E):
            self.ep_sig_mask[e, self.sig_word[e]] = _i64(self.sig_fmask << int(self.sig_shift[e]))
            self.ones_sig[self.sig_word[e]] |= 1 << int(self.sig_shift[e])
        self.ep_cnt_mask = np.zeros((E, self.CW), dtype=np.int64)
        self.nodes_mask = np.zeros(self.CW, dtype=np.int64)
        for f in range(3):
            self.nodes_mask[self.cnt_word[f]] |= _i64(self.cnt_fmask << int(self.cnt_shift[f]))
        for g in range(G):
            for e in range(E):
                f = self.count_field(g, e)
                self.ep_cnt_mask[e, self.cnt_word[f]] |= _i64(self.cnt_fmask << int(self.cnt_shift[f]))

    @property
    def shape(self) -> np.ndarray:
        """The kernels' integer sizes: SW, IW, CW, sig_fmask, E, n_items, G, cnt_fmask."""
        return np.array([self.SW, self.IW, self.CW, self.sig_fmask, self.E, self.n_items, self.G,
                         self.cnt_fmask], dtype=np.int64)

    @property
    def fields(self):
        """The kernels' field arrays: where signatures are, and per-episode masks."""
        return (self.sig_word, self.sig_shift, self.ep_sig_mask, self.ep_cnt_mask, self.nodes_mask,
                self.ones_sig)

    def count_field(self, g: int, e: int) -> int:
        return 3 + g * self.E + e

    def bytes_per_class(self, max_arity: int, n_families: int = 0) -> int:
        """Memory held per class while enumerating and in the returned table."""
        enum = 8 * self.W + 8 + 4 * (1 + 2 * max_arity) + n_families + 1 + 16  # key, count, meta, slots, type, hash
        table = self.n_items + 2 * (3 + self.G * self.E) + 8 * self.E + 8 + 8 + 8 + 8  # FeatureTable row
        return enum + table

    # --------------------------------------------------------------------- unpacking

    def pack(self, features) -> np.ndarray:
        """The key words of one program's :class:`~priorsearch.features.semantics.Features`."""
        words = [0] * self.W
        for e, v in enumerate(features.signature):
            words[int(self.sig_word[e])] |= int(v) << int(self.sig_shift[e])
        for j in features.items:
            words[self.SW + j // 64] |= 1 << (j % 64)
        base = self.SW + self.IW
        values = list(features.nodes) + [int(x) for row in features.time_counts for x in row]
        for f, v in enumerate(values):
            words[base + int(self.cnt_word[f])] |= int(v) << int(self.cnt_shift[f])
        return np.array([_i64(w) for w in words], dtype=np.int64)


@dataclass
class Production:
    """One way to build a node: a primitive (``prim`` >= 0) or the ``if`` of a type."""

    type: int
    prim: int
    op: int
    argtypes: tuple
    const_sig: np.ndarray
    argmask: np.ndarray
    inc: np.ndarray
    base_items: np.ndarray
    per_objective: bool
    po_mask: np.ndarray
    family: int = -1      # a family member's production (its slot 0): the family's index

    @property
    def ints(self) -> np.ndarray:
        """The kernel's scalar fields: type, op, arity, per_objective, family."""
        return np.array([self.type, self.op, self.arity, int(self.per_objective), self.family], dtype=np.int64)

    @property
    def arity(self) -> int:
        return len(self.argtypes)


def _bits_to_words(bits, first_word, n_words) -> np.ndarray:
    words = [0] * n_words
    for j in bits:
        words[j // 64] |= 1 << (j % 64)
    return np.array([_i64(w) for w in words], dtype=np.int64)


def productions(layout: Layout, kl: KeyLayout, fams=()) -> list[Production]:
    """Productions grouped by type (Obj, Bool, Policy); in a type, primitives then ``if``.

    A family contributes one production, its slot-0 member: in a normalized program
    (:mod:`.orbits`) a member node's own member is the first of the family it meets.
    """
    out = []
    E = kl.E
    slot_of = {int(f.prim[s]): (k, s) for k, f in enumerate(fams) for s in range(f.slots)}
    for t in range(len(TYPES)):
        for p, prim in enumerate(layout.primitives):
            if int(layout.prim_type[p]) != t:
                continue
            family, slot = slot_of.get(p, (-1, 0))
            if slot > 0:
                continue
            arity = int(layout.prim_arity[p])
            op = int(layout.prim_op[p])
            const_sig = np.zeros(kl.SW, dtype=np.int64)
            argmask = np.zeros((max(arity, 1), kl.SW), dtype=np.int64)
            if op == OP_TABLE:
                for e in range(E):
                    j = int(layout.table_arg[p, e])
                    if j == CONST:
                        const_sig[kl.sig_word[e]] |= int(layout.table_value[p, e]) << int(kl.sig_shift[e])
                    else:
                        argmask[j, kl.sig_word[e]] |= _i64(kl.sig_fmask << int(kl.sig_shift[e]))
            inc = _increment(kl, t, int(layout.prim_group[p]))
            base_items = _bits_to_words(layout.prim_items[p], 0, kl.IW)
            per_obj = bool(layout.prim_per_objective[p])
            po_mask = np.zeros((1 << kl.sbits, kl.IW), dtype=np.int64)
            if per_obj:
                for v in range(len(layout.objectives)):
                    po_mask[v] = _bits_to_words(layout.per_objective_items(p, [v]), 0, kl.IW)
            argtypes = tuple(int(layout.prim_argtypes[p, k]) for k in range(arity))
            out.append(Production(t, p, op, argtypes, const_sig, argmask, inc, base_items, per_obj, po_mask, family))
        out.append(Production(
            t, -1, OP_IF, (_BOOL, t, t), np.zeros(kl.SW, dtype=np.int64),
            np.zeros((3, kl.SW), dtype=np.int64), _increment(kl, t, -1),
            np.zeros(kl.IW, dtype=np.int64), False, np.zeros((1 << kl.sbits, kl.IW), dtype=np.int64)))
    return out


def _increment(kl: KeyLayout, node_type: int, group: int) -> np.ndarray:
    inc = [0] * kl.CW
    inc[kl.cnt_word[node_type]] += 1 << int(kl.cnt_shift[node_type])
    if group >= 0:
        for e in range(kl.E):
            f = kl.count_field(group, e)
            inc[kl.cnt_word[f]] += 1 << int(kl.cnt_shift[f])
    return np.array([_i64(x) for x in inc], dtype=np.int64)
