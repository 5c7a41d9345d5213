"""Enumerate every well-typed Policy program up to ``max_size`` nodes, merged into classes.

Programs are built bottom-up by size and type.  Two programs of one type are
interchangeable in every context when they have the same behaviour signature (value per
episode), the same description items, the same nodes per type and the same executions
per (time group, episode) — :meth:`priorsearch.features.semantics.Features.key`.  Such programs
are merged into one *class* with an exact multiplicity, so the work grows with the
number of classes while counts and masses stay exact over the raw program space.
Members of a family are interchangeable too: classes are kept up to renaming of members
(:mod:`.orbits`), so neither the classes nor the time depend on the family's count K,
and multiplicities are exact polynomials in K.

The rows are ordered by size, then by the order in which the enumeration first meets a
class (productions of a type in model order — primitives, then ``if`` — child sizes in
lexicographic order, children in class order, then their slot maps).  A class's
representative is the first program of it met in that order (:mod:`.texts`).

Memory is bounded twice: ``max_classes`` (classes of every type held) and
:data:`MAX_MEMORY_BYTES`; the kernel stops at the smaller limit with one clear line.
There is no estimate before a size: an extrapolation of class growth erred high by
300-1000x and refused jobs that fit (issue 10).
"""
from __future__ import annotations

__all__ = ["enumerate_classes", "label_classes", "counts_by_size", "DEFAULT_MAX_CLASSES", "MAX_MEMORY_BYTES",
           "ProgramTexts", "Enumeration"]

from dataclasses import dataclass

import numpy as np

from . import kernels
from .classes import counts_by_size, label_classes, policy_table
from .counting import compositions, program_counts
from .keys import KeyLayout, productions
from .orbits import family_slots, map_tables
from .texts import ProgramTexts
from ..errors import InputError
from ..features.layout import TYPE_INDEX, Layout
from ..features.table import FeatureTable
from ..model.cost_model import TYPES

#: default bound on classes held (about 2-4 GB on the rich DSL; a 24 GB, 2-core machine)
DEFAULT_MAX_CLASSES = 20_000_000
#: memory the enumeration may hold whatever --max-classes says (the machines are 24 GB)
MAX_MEMORY_BYTES = 16 * 10 ** 9
_INT64_MAX = 2 ** 63 - 1
_POLICY = TYPE_INDEX["Policy"]
assert TYPE_INDEX["Bool"] == kernels.BOOL


@dataclass
class Enumeration:
    """All classes of every type (packed) with back-pointers; what the table is built from."""

    layout: Layout        # of the reduced model: each family cut to its member slots
    key_layout: KeyLayout
    productions: list
    max_size: int
    keys: np.ndarray      # (N, W) int64
    mult: np.ndarray      # (N,) int64 pattern counts (plain multiplicities without families)
    meta: np.ndarray      # (N, 1 + 2 max arity) int32: production, child ids, child slot maps
    type: np.ndarray      # (N,) int8
    size: np.ndarray      # (N,) int8 (sizes <= 64)
    nslots: np.ndarray    # (N, n_families) int8: member slots used per family
    grammar_counts: dict  # type -> exact program counts per size (families at their slots)
    families: list        # [FamilySlots]
    orbit: tuple          # the kernels' family tables
    map_start: np.ndarray
    map_count: np.ndarray
    map_target: np.ndarray
    model: object = None  # the model enumerated (full family counts)


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


def enumerate_classes(model, max_size, *, max_classes=None, progress=None) -> FeatureTable:
    """One row per class of well-typed Policy programs of 1 to ``max_size`` nodes.

    Parameters
    ----------
    model : CostModel
    max_size : int
        Largest program size (nodes) enumerated.
    max_classes : int, optional
        Bound on classes of every type held (default :data:`DEFAULT_MAX_CLASSES`); an
        :class:`InputError` naming ``--max-classes`` when reached.
    progress : callable(done, total, note), optional
        Called after each production with the sizes done (a float) out of ``max_size``.

    Returns
    -------
    FeatureTable
        Compatible and incompatible rows (``cls``), exact ``multiplicity`` (int64, or
        Python ints when families make it larger), ``names``/``labels`` of a packaged
        template falling in the class, and lazy ``sources`` (:class:`ProgramTexts`).
        With families, one row per orbit (classes up to renaming of members).
        ``table.enumeration`` keeps the packed classes of every type;
        :func:`counts_by_size` gives per-size counts.
    """
    try:
        enum = enumerate_all(model, max_size, max_classes=max_classes, progress=progress)
        return policy_table(enum)
    except MemoryError:
        # nothing is allocated here: memory is exhausted; still one clear line
        raise InputError(
            f"enumerating programs up to {max_size} nodes ran out of memory; lower --max-size "
            f"or --max-classes") from None


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


def _orbit_tables(layout, kl, fams):
    """The kernels' ``orbit`` group (see :mod:`.kernels`) and the slot-map tables."""
    n_fam = len(fams)
    Mmax = max([f.slots for f in fams] + [0])
    R2 = max([f.items.shape[1] for f in fams] + [1])
    R = max([f.objectives.shape[1] for f in fams] + [1])
    slot_items = np.full((max(n_fam, 1), Mmax, R2), -1, dtype=np.int64)
    obj_id = np.zeros((max(n_fam, 1), max(Mmax, 1), R), dtype=np.int64)
    obj_slot = np.full((1 << kl.sbits, 3), -1, dtype=np.int64)
    slot_mask = np.zeros(kl.IW, dtype=np.int64)
    for k, f in enumerate(fams):
        for s in range(f.slots):
            slot_items[k, s, :f.items.shape[1]] = f.items[s]
            for j in f.items[s]:
                slot_mask[j // 64] |= np.int64(1) << np.int64(j % 64)
            for r in range(f.objectives.shape[1]):
                o = int(f.objectives[s, r])
                obj_id[k, s, r] = o
                obj_slot[o] = (k, s, r)
    start, count, target = map_tables(fams)
    orbit = (slot_items, slot_mask, obj_slot, obj_id, start, count, target)
    return orbit, start, count, target


def enumerate_all(model, max_size, *, max_classes=None, progress=None) -> Enumeration:
    """Classes of every type up to ``max_size`` (see :func:`enumerate_classes`)."""
    max_classes = _check_size(max_size, max_classes)
    max_size = int(max_size)
    full_model = model.model if isinstance(model, Layout) else model
    reduced, fams = family_slots(full_model, max_size)
    layout = Layout(reduced) if fams else (model if isinstance(model, Layout) else Layout(reduced))
    kl = KeyLayout(layout, max_size)
    prods = productions(layout, kl, fams)
    grammar = program_counts(layout, max_size)
    useful = useful_sizes(prods, max_size)
    # raw programs built at each size with the families at their slots: a bound on the
    # pattern counts, which are int64
    raw_all = [sum(grammar[t][n] for i, t in enumerate(TYPES) if n <= useful[i]) for n in range(max_size + 1)]
    worst = max(raw_all)
    if worst > _INT64_MAX:
        n = raw_all.index(worst)
        raise InputError(
            f"there are {worst:.3e} programs of {n} nodes, more than an int64 multiplicity holds; "
            f"lower --max-size")
    orbit, map_start, map_count, map_target = _orbit_tables(layout, kl, fams)
    max_arity = max(3, max(p.arity for p in prods))
    n_types = len(TYPES)
    n_fam = len(fams)
    rstart = np.zeros((max_size + 1, n_types), dtype=np.int64)
    rend = np.zeros((max_size + 1, n_types), dtype=np.int64)
    # one set of arrays for every size: the kernel appends to them (reallocating when
    # full), so no per-size copies; unused capacity is never touched, so costs no memory
    per_class = kl.bytes_per_class(max_arity, n_fam)
    memory_classes = max(1, MAX_MEMORY_BYTES // per_class)
    limit = int(min(max_classes, memory_classes))
    # room for many classes up front: pages are only resident once written, while
    # growing by copies would hold (and fault in) twice the classes at each doubling
    cap = int(min(limit, max(1024, min(sum(raw_all), 1 << 24))))
    store = (np.empty((cap, kl.W), dtype=np.int64), np.empty(cap, dtype=np.int64),
             np.empty((cap, 1 + 2 * max_arity), dtype=np.int32), np.empty((cap, n_fam), dtype=np.int8))
    shape, fields = kl.shape, kl.fields
    classes_per_size = [0] * (max_size + 1)
    total = 0
    for n in range(1, max_size + 1):
        n_out = total
        type_start = [total] * n_types
        type_end = [total] * n_types
        for q, prod in enumerate(prods):
            if q == 0 or prods[q - 1].type != prod.type:
                type_start[prod.type] = n_out
                # one hash table per (size, type): classes only merge with their own type,
                # and a smaller table stays in cache.  Sized for this type's classes at
                # the previous size times their last growth, so that it rarely rehashes
                # (the size changes speed only: a class's key decides where it goes)
                # (at most 2^24 slots, 128 MB, up front: at rich 13 the Policy table needs them, and
                # a rehash would touch 64 + 128 MB; a type not built at this size gets the least)
                prev = rend[n - 1, prod.type] - rstart[n - 1, prod.type] if n >= 1 else 0
                before = rend[n - 2, prod.type] - rstart[n - 2, prod.type] if n >= 2 else 0
                guess = prev * min(8.0, prev / before) if before > 0 else prev
                bits = max(11, min(24, int(2 * guess).bit_length())) if n <= useful[prod.type] else 11
                slots = np.full(1 << bits, -1, dtype=np.int64)
            comps = [c for c in compositions(n - 1, prod.arity)
                     if all(rend[s, t] > rstart[s, t] for s, t in zip(c, prod.argtypes))]
            if n > useful[prod.type]:
                comps = []  # such programs could not be part of any Policy program here
            if comps:
                comps_arr = np.array(comps, dtype=np.int64).reshape(len(comps), prod.arity)
                ints = np.concatenate([[q], prod.ints]).astype(np.int64)
                pwords = (np.array(prod.argtypes, dtype=np.int64).reshape(prod.arity), prod.const_sig,
                          prod.argmask, prod.inc, prod.base_items, prod.po_mask)
                store, slots, n_out, status = kernels.enumerate_production(
                    shape, fields, ints, pwords, orbit, comps_arr, store, (rstart, rend), slots,
                    type_start[prod.type], n_out, limit)
                if status == kernels.STATUS_LIMIT:
                    del store, slots
                    _refuse(limit, max_classes, memory_classes, per_class, max_size)
            type_end[prod.type] = n_out
            if progress is not None:
                progress(n - 1 + (q + 1) / len(prods), max_size, f"size {n}/{max_size}")
        for t in range(n_types):
            rstart[n, t] = type_start[t]
            rend[n, t] = type_end[t]
        classes_per_size[n] = n_out - total
        total = n_out
    keys, mult, meta, nslots = (a[:total] for a in store)
    size = np.repeat(np.arange(max_size + 1, dtype=np.int8), classes_per_size)
    ctypes = np.empty(total, dtype=np.int8)
    for n in range(1, max_size + 1):
        for t in range(n_types):
            ctypes[rstart[n, t]:rend[n, t]] = t
    return Enumeration(layout, kl, prods, max_size, keys, mult, meta, ctypes, size, nslots,
                       grammar, fams, orbit, map_start, map_count, map_target, full_model)


def _refuse(limit, max_classes, memory_classes, per_class, max_size):
    if memory_classes < max_classes:
        raise InputError(
            f"enumerating programs up to {max_size} nodes reached {memory_classes:,} classes of "
            f"{per_class:,} bytes each, the {MAX_MEMORY_BYTES / 1e9:.0f} GB memory budget; "
            f"lower --max-size or shrink the model")
    gb = (max_classes + 1) * per_class / 1e9
    raise InputError(
        f"enumerating programs up to {max_size} nodes reached {max_classes + 1:,} classes "
        f"(~{gb:.1f} GB), above --max-classes {max_classes:,}; lower --max-size or raise --max-classes")
