"""Enumerate every well-typed Policy program up to ``max_size`` nodes, merged into classes.

Programs are built bottom-up by size and type.  Two programs of one type are
interchangeable in every context when they have the same behaviour signature (value per
episode), the same description items, the same nodes per type and the same executions
per (time group, episode) — :meth:`priorsearch.features.semantics.Features.key`.  Such programs
are merged into one *class* with an exact multiplicity, so the work grows with the
number of classes while counts and masses stay exact over the raw program space.

The rows are ordered by size, then by the order in which the enumeration first meets a
class (productions of a type in model order — primitives, then ``if`` — child sizes in
lexicographic order, children in class order).  A class's representative is the first
program of it met in that order; its text is built on demand from back-pointers.

``max_classes`` bounds the classes (of every type) held in memory: the growth of the
sizes done so far is extrapolated before each size, and the kernel itself stops at the
limit, so memory is never exhausted.
"""
from __future__ import annotations

__all__ = ["enumerate_classes", "counts_by_size", "estimate", "DEFAULT_MAX_CLASSES",
           "ProgramTexts", "Enumeration"]

import math
from dataclasses import dataclass

import numpy as np

from . import kernels
from .counting import compositions, program_counts
from ..lang.dsl import Call, If
from ..errors import InputError
from ..features.table import FeatureTable
from ..features.layout import CONST, OP_TABLE, TYPE_INDEX, Layout
from ..model.cost_model import TYPES, CostModel
from ..features.semantics import ALIGNED, DECEPTIVE, INCOMPATIBLE, classify_rows
from ..features.semantics import evaluate
from ..lang.templates import TEMPLATE_NAMES, template
from ..lang.typecheck import check

#: default bound on classes held (about 2-4 GB on the rich DSL; a 24 GB, 2-core machine)
DEFAULT_MAX_CLASSES = 20_000_000
#: memory the enumeration may hold whatever --max-classes says (the machines are 24 GB);
#: a model with very wide class keys (e.g. a family of 100,000 objectives) hits this first
MAX_MEMORY_BYTES = 16 * 10 ** 9
_INT64_MAX = 2 ** 63 - 1
_POLICY = TYPE_INDEX["Policy"]
_BOOL = TYPE_INDEX["Bool"]


def _i64(x: int) -> int:
    """A 64-bit pattern (Python int) as a signed int64 value."""
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x


class KeyLayout:
    """Where each feature lives in a class's int64 key words (see :mod:`kernels`)."""

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

    def count_field(self, g: int, e: int) -> int:
        return 3 + g * self.E + e

    def bytes_per_class(self, max_arity: int) -> int:
        """Memory held per class while enumerating and in the returned table."""
        enum = 8 * self.W + 8 + 4 * (1 + max_arity) + 16            # key, mult, meta, hash slots
        table = self.n_items + 2 * (3 + self.G * self.E) + 8 * self.E + 8 + 8 + 8  # FeatureTable row
        return enum + table

    # --------------------------------------------------------------------- unpacking

    def unpack(self, keys: np.ndarray, rows: np.ndarray):
        """(signature, desc, nodes, time_counts) arrays of the classes ``rows``."""
        n = len(rows)
        sig = np.empty((n, self.E), dtype=np.int16 if self.sig_fmask < 2 ** 15 else np.int32)
        desc = np.empty((n, self.n_items), dtype=np.uint8)
        dtype = np.int16 if self.cnt_fmask < 2 ** 15 else np.int32
        nodes = np.empty((n, 3), dtype=dtype)
        counts = np.empty((n, self.G, self.E), dtype=dtype)
        kernels.unpack_keys(keys, np.asarray(rows, dtype=np.int64), self.sig_word, self.sig_shift,
                            self.sig_fmask, self.n_items, self.SW, self.IW, self.cnt_word,
                            self.cnt_shift, self.cnt_fmask, self.G, sig, desc, nodes, counts)
        return sig, desc, nodes, counts

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

    @property
    def arity(self) -> int:
        return len(self.argtypes)


def _bits_to_words(bits, first_word, n_words) -> np.ndarray:
    words = [0] * n_words
    for j in bits:
        words[j // 64] |= 1 << (j % 64)
    return np.array([_i64(w) for w in words], dtype=np.int64)


def productions(layout: Layout, kl: KeyLayout) -> list[Production]:
    """Productions grouped by type (Obj, Bool, Policy); in a type, primitives then ``if``."""
    out = []
    E = kl.E
    for t in range(len(TYPES)):
        for p, prim in enumerate(layout.primitives):
            if int(layout.prim_type[p]) != t:
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
            out.append(Production(t, p, op, argtypes, const_sig, argmask, inc, base_items, per_obj, po_mask))
        out.append(Production(
            t, -1, kernels.OP_IF, (_BOOL, t, t), np.zeros(kl.SW, dtype=np.int64),
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


@dataclass
class Enumeration:
    """All classes of every type (packed) with back-pointers; what the table is built from."""

    layout: Layout
    key_layout: KeyLayout
    productions: list
    max_size: int
    keys: np.ndarray      # (N, W) int64
    mult: np.ndarray      # (N,) int64
    meta: np.ndarray      # (N, 1 + max arity) int32: production, child class ids
    type: np.ndarray      # (N,) int64
    size: np.ndarray      # (N,) int64
    grammar_counts: dict  # type -> exact program counts per size


def useful_sizes(prods, max_size: int) -> list[int]:
    """Per type, the largest size at which a program can still be part of a Policy
    program of at most ``max_size`` nodes (0: never needed).

    E.g. no Obj program of ``max_size`` nodes fits inside a Policy program of that size,
    so the largest size is never built for Obj or Bool: a large saving, as the last size
    dominates.
    """
    inf = max_size + 1
    min_size = [inf] * len(TYPES)
    changed = True
    while changed:
        changed = False
        for p in prods:
            size = 1 + sum(min_size[a] for a in p.argtypes)
            if size < min_size[p.type]:
                min_size[p.type] = size
                changed = True
    useful = [0] * len(TYPES)
    useful[_POLICY] = max_size
    changed = True
    while changed:
        changed = False
        for p in prods:
            if useful[p.type] == 0:
                continue
            for k, a in enumerate(p.argtypes):
                others = sum(min_size[b] for j, b in enumerate(p.argtypes) if j != k)
                room = useful[p.type] - 1 - others
                if room > useful[a]:
                    useful[a] = min(room, max_size)
                    changed = True
    return useful


def estimate(classes_per_size, raw_per_size, next_size, max_size) -> int:
    """Classes expected for sizes ``next_size..max_size``, extrapolating the last growth.

    The growth ratio of the last two sizes is carried forward and each size is capped by
    its number of raw programs.  Growth ratios fall as merging bites, so this errs high.
    Before two sizes are done it returns 0: those sizes are cheap and the kernel's own
    limit bounds them.

    Parameters
    ----------
    classes_per_size : sequence of int
        ``classes_per_size[n]``: classes (all types) found at size n, for the sizes done.
    raw_per_size : sequence of int
        ``raw_per_size[n]``: raw programs of size n (the cap per size).
    next_size : int
        The first size not yet enumerated.
    max_size : int
        The largest size to be enumerated.

    Returns
    -------
    int
    """
    done = classes_per_size[1:next_size]
    if len(done) < 2 or done[-2] <= 0 or done[-1] <= 0:
        return 0  # nothing to extrapolate yet: small sizes are cheap, the kernel bounds them
    ratio = done[-1] / done[-2]
    total = 0.0
    current = float(done[-1])
    for n in range(next_size, max_size + 1):
        current *= ratio
        total += min(current, raw_per_size[n])
    return int(total)


def enumerate_classes(model, max_size, *, max_classes=None, progress=None) -> FeatureTable:
    """One row per class of well-typed Policy programs of 1 to ``max_size`` nodes.

    Parameters
    ----------
    model : CostModel or Layout
    max_size : int
        Largest program size (nodes) enumerated.
    max_classes : int, optional
        Bound on classes of every type held (default :data:`DEFAULT_MAX_CLASSES`); an
        :class:`InputError` naming the estimate and ``--max-classes`` above it.
    progress : callable(done, total, note), optional
        Called after each production with the sizes done (a float) out of ``max_size``.

    Returns
    -------
    FeatureTable
        Compatible and incompatible rows (``cls``), exact int64 ``multiplicity``,
        ``names``/``labels`` of a packaged template falling in the class, and lazy
        ``sources`` (:class:`ProgramTexts`).  ``table.enumeration`` keeps the packed
        classes of every type; :func:`counts_by_size` gives per-size counts.
    """
    try:
        enum = enumerate_all(model, max_size, max_classes=max_classes, progress=progress)
        return policy_table(enum)
    except MemoryError:
        # wide keys (e.g. a family of 100,000 objectives) can exhaust memory below the
        # class limit: still one clear line naming what to lower, never a traceback
        # (nothing is allocated here: memory is exhausted)
        raise InputError(
            f"enumerating programs up to {max_size} nodes ran out of memory; lower --max-size, "
            f"the model's family counts or --max-classes") from None


def _check_size(max_size, max_classes):
    if isinstance(max_size, bool) or not isinstance(max_size, (int, np.integer)) or max_size < 1:
        raise InputError(f"max size must be a whole number >= 1, got {max_size!r}")
    if max_size > 64:
        raise InputError(f"max size {max_size} is beyond what the enumeration supports (64)")
    if max_classes is None:
        return DEFAULT_MAX_CLASSES
    if isinstance(max_classes, bool) or not isinstance(max_classes, (int, np.integer)) or max_classes < 1:
        raise InputError(f"max classes must be a whole number >= 1, got {max_classes!r}")
    if max_classes > 2 ** 31 - 2:
        raise InputError(f"max classes {max_classes} is above the supported 2147483646")
    return int(max_classes)


def enumerate_all(model, max_size, *, max_classes=None, progress=None) -> Enumeration:
    """Classes of every type up to ``max_size`` (see :func:`enumerate_classes`)."""
    max_classes = _check_size(max_size, max_classes)
    max_size = int(max_size)
    layout = model if isinstance(model, Layout) else Layout(model)
    kl = KeyLayout(layout, max_size)
    prods = productions(layout, kl)
    grammar = program_counts(layout, max_size)
    useful = useful_sizes(prods, max_size)
    # raw programs built at each size (types whose programs can still be used)
    raw_all = [sum(grammar[t][n] for i, t in enumerate(TYPES) if n <= useful[i]) for n in range(max_size + 1)]
    worst = max(raw_all)
    if worst > _INT64_MAX:
        n = raw_all.index(worst)
        raise InputError(
            f"there are {worst:.3e} programs of {n} nodes, more than an int64 multiplicity holds; "
            f"lower --max-size")
    max_arity = max(3, max(p.arity for p in prods))
    n_types = len(TYPES)
    rstart = np.zeros((max_size + 1, n_types), dtype=np.int64)
    rend = np.zeros((max_size + 1, n_types), dtype=np.int64)
    # one set of arrays for every size: the kernel appends to them (reallocating when
    # full), so no per-size copies; unused capacity is never touched, so costs no memory
    per_class = kl.bytes_per_class(max_arity)
    memory_classes = max(1, MAX_MEMORY_BYTES // per_class)
    cap = int(min(max_classes, memory_classes, max(1024, sum(raw_all))))
    keys = np.empty((cap, kl.W), dtype=np.int64)
    mult = np.empty(cap, dtype=np.int64)
    meta = np.empty((cap, 1 + max_arity), dtype=np.int32)
    prod_type = np.array([p.type for p in prods], dtype=np.int64)
    classes_per_size = [0] * (max_size + 1)
    total = 0
    for n in range(1, max_size + 1):
        projected = total + estimate(classes_per_size, raw_all, n, max_size)
        if projected > max_classes:
            _refuse(projected, max_classes, max_size, kl, max_arity)
        if projected > memory_classes:
            raise InputError(
                f"enumerating programs up to {max_size} nodes would hold about {projected:,} classes of "
                f"{per_class:,} bytes each (~{projected * per_class / 1e9:.1f} GB), above the "
                f"{MAX_MEMORY_BYTES / 1e9:.0f} GB memory budget; lower --max-size or shrink the model")
        guess = min(raw_all[n], estimate(classes_per_size, raw_all, n, n) or 1024)
        slots = np.full(1 << max(11, int(2 * guess).bit_length()), -1, dtype=np.int64)
        n_out = total
        type_start = [total] * n_types
        type_end = [total] * n_types
        for q, prod in enumerate(prods):
            if q == 0 or prods[q - 1].type != prod.type:
                type_start[prod.type] = n_out
            comps = [c for c in compositions(n - 1, prod.arity)
                     if all(rend[s, t] > rstart[s, t] for s, t in zip(c, prod.argtypes))]
            if n > useful[prod.type]:
                comps = []  # such programs could not be part of any Policy program here
            if comps:
                comps_arr = np.array(comps, dtype=np.int64).reshape(len(comps), prod.arity)
                keys, mult, meta, slots, n_out, status = kernels.enumerate_production(
                    q, prod_type, prod.op, prod.arity, np.array(prod.argtypes, dtype=np.int64), comps_arr,
                    prod.const_sig, prod.argmask, prod.inc, prod.base_items, prod.per_objective, prod.po_mask,
                    kl.sig_word, kl.sig_shift, kl.sig_fmask, kl.ep_sig_mask, kl.ep_cnt_mask, kl.nodes_mask,
                    kl.ones_sig, kl.SW, kl.IW, kl.CW, keys, mult, rstart, rend,
                    keys, mult, meta, total, n_out, slots, min(max_classes, memory_classes))
                if status == kernels.STATUS_LIMIT:
                    del keys, mult, meta, slots
                    if memory_classes < max_classes:
                        raise InputError(
                            f"enumerating programs up to {max_size} nodes reached {memory_classes:,} classes of "
                            f"{per_class:,} bytes each, the {MAX_MEMORY_BYTES / 1e9:.0f} GB memory budget; "
                            f"lower --max-size or shrink the model")
                    _refuse(max_classes + 1, max_classes, max_size, kl, max_arity, reached=True)
            type_end[prod.type] = n_out
            if progress is not None:
                progress(n - 1 + (q + 1) / len(prods), max_size, f"size {n}/{max_size}")
        for t in range(n_types):
            rstart[n, t] = type_start[t]
            rend[n, t] = type_end[t]
        classes_per_size[n] = n_out - total
        total = n_out
    keys, mult, meta = keys[:total], mult[:total], meta[:total]
    ctype = prod_type[meta[:, 0]] if total else np.empty(0, dtype=np.int64)
    size = np.repeat(np.arange(max_size + 1, dtype=np.int64), classes_per_size)
    return Enumeration(layout, kl, prods, max_size, keys, mult, meta, ctype, size, grammar)


def _refuse(estimate_, max_classes, max_size, kl, max_arity, reached=False):
    gb = estimate_ * kl.bytes_per_class(max_arity) / 1e9
    what = "reached" if reached else "would hold about"
    raise InputError(
        f"enumerating programs up to {max_size} nodes {what} {estimate_:,} classes "
        f"(~{gb:.1f} GB), above --max-classes {max_classes:,}; lower --max-size or raise --max-classes")


# ------------------------------------------------------------------------- the table

class ProgramTexts:
    """Canonical program text of each row's representative, built on demand.

    A sequence (``len``, ``[i]``, iteration, :meth:`take`) so that millions of classes
    cost no strings until a row is shown.

    Parameters
    ----------
    enum : Enumeration
        The enumeration that holds the classes' representatives.
    rows : int array
        The enumeration rows, in this sequence's order.
    """

    def __init__(self, enum: Enumeration, rows: np.ndarray):
        self._enum = enum
        self._rows = np.asarray(rows, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return ProgramTexts(self._enum, self._rows[i])
        return str(self.program(i))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def take(self, index) -> "ProgramTexts":
        return ProgramTexts(self._enum, self._rows[np.asarray(index, dtype=np.int64)])

    def program(self, i):
        """The representative of row ``i`` as a :class:`~priorsearch.lang.dsl.Call`/``If`` tree."""
        return build_program(self._enum, int(self._rows[i]))


def build_program(enum: Enumeration, cid: int):
    """Rebuild a class's representative from its back-pointers."""
    q = int(enum.meta[cid, 0])
    prod = enum.productions[q]
    kids = [build_program(enum, int(enum.meta[cid, 1 + k])) for k in range(prod.arity)]
    if prod.prim < 0:
        return If(*kids)
    return Call(enum.layout.primitives[prod.prim].name, tuple(kids))


class SparseTexts:
    """A column of strings that are mostly empty (template names and labels)."""

    def __init__(self, n: int, values: dict):
        self._n = n
        self._values = dict(values)

    def __len__(self):
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._values.get(i, "")

    def __iter__(self):
        for i in range(self._n):
            yield self._values.get(i, "")

    def __eq__(self, other):
        return list(self) == list(other)

    def take(self, index) -> "SparseTexts":
        index = np.asarray(index, dtype=np.int64)
        return SparseTexts(len(index), {k: self._values[int(i)] for k, i in enumerate(index) if int(i) in self._values})


def classify_signatures(sig: np.ndarray, layout: Layout):
    """(cls, deploy strings) of every row: :func:`priorsearch.features.semantics.classify_rows`."""
    out = classify_rows(sig, layout)
    return out.class_code, out.deploy


def policy_table(enum: Enumeration) -> FeatureTable:
    """The FeatureTable of the Policy classes of an enumeration."""
    rows = np.flatnonzero(enum.type == _POLICY)
    kl = enum.key_layout
    sig, desc, nodes, counts = kl.unpack(enum.keys, rows)
    classes = classify_rows(sig, enum.layout)
    names, labels = _template_rows(enum, rows)
    table = FeatureTable(enum.layout, desc, nodes, counts, sig, enum.mult[rows].copy(), classes.class_code,
                         classes.deploy, SparseTexts(len(rows), names), SparseTexts(len(rows), labels),
                         ProgramTexts(enum, rows), classes.behaviour, classes.miss)
    table.enumeration = enum
    table.max_size = enum.max_size
    return table


def _template_rows(enum, rows):
    """Rows whose class holds a packaged template: {row: name} and {row: label}."""

    layout = enum.layout
    names, labels = {}, {}
    for name in TEMPLATE_NAMES:
        definition = template(name)
        try:
            program = check(definition.program, layout.model, "Policy")
        except InputError:
            continue  # the template does not exist in this model
        f = evaluate(program, layout)
        if f.size > enum.max_size:
            continue
        found = kernels.rows_equal_to(enum.keys, rows, enum.key_layout.pack(f))
        if len(found) != 1:
            raise AssertionError(f"template {name} falls in {len(found)} enumerated classes")
        row = int(found[0])
        if row not in names:  # two templates in one class: the first one names it
            names[row] = name
            labels[row] = definition.label
    return names, labels


def counts_by_size(table: FeatureTable) -> dict:
    """Per size: classes and programs (by multiplicity) — all, compatible, per class.

    Parameters
    ----------
    table : FeatureTable
        A table of classes (its ``max_size``, when set, fixes the sizes listed).

    Returns
    -------
    dict
        Equal-length int lists: ``size``, ``classes``, ``programs``, ``compatible``,
        ``aligned``, ``deceptive``, ``incompatible``.
    """
    max_size = getattr(table, "max_size", None) or (int(table.size.max()) if len(table) else 0)
    size = np.asarray(table.size)
    out = {k: [] for k in ("size", "classes", "programs", "compatible", "aligned", "deceptive", "incompatible")}
    for n in range(1, max_size + 1):
        at = size == n
        m = table.multiplicity[at]
        c = table.cls[at]
        out["size"].append(n)
        out["classes"].append(int(at.sum()))
        out["programs"].append(int(m.sum()))
        out["compatible"].append(int(m[c != INCOMPATIBLE].sum()))
        out["aligned"].append(int(m[c == ALIGNED].sum()))
        out["deceptive"].append(int(m[c == DECEPTIVE].sum()))
        out["incompatible"].append(int(m[c == INCOMPATIBLE].sum()))
    return out
