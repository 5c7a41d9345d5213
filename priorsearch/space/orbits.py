"""Families as orbits: members are interchangeable, so classes are kept up to renaming.

A family of K members ``F_1..F_K`` (one template, ``{i}`` replaced by the member's
number) is symmetric: renaming members maps programs to programs with the same costs
and the same behaviour class.  The enumeration therefore never looks at member
*numbers*, only at member *slots*:

* A program's members of family F, listed in order of first occurrence (preorder: a
  node, then its arguments left to right), are given slots 0, 1, ..., m-1.  Such a
  *normalized* program stands for the (K)_m = K(K-1)...(K-m+1) programs obtained by
  giving the slots distinct members, and every program is the image of exactly one
  normalized program.  So a class with pattern count ``n`` (normalized programs) and
  m slots in use holds exactly ``(K)_m * n`` programs — an exact polynomial in K.
* Normalized programs are built bottom-up like plain ones.  An argument's slots map to
  the parent's slots seen so far, or to new slots numbered in the argument's own slot
  order (:func:`member_maps` lists these maps); the parent's pattern count is the
  product of its arguments' counts, summed over children and maps.
* A family needs at most M slots: the most members a program of ``max_size`` nodes can
  hold (:func:`most_members`), or K if smaller.  Enumerating with M slots gives every
  K >= M the same classes — only the factor (K)_m changes — so class count and time do
  not depend on K, and (K)_m = 0 for m > K makes one enumeration serve every K.
* At the end, Policy classes that differ only by a renaming of slots (the same orbit,
  met with different first-occurrence orders) are merged: their pattern counts add.

A member-specific objective (the template's objective or behaviour with ``{i}``) must
belong to its member alone; an objective shared with another primitive would break the
symmetry and is an error (write such members as plain primitives).
"""
from __future__ import annotations

__all__ = ["FamilySlots", "member_maps", "log2_falling", "falling", "multiplicities", "member_bound"]

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

from .counting import compositions
from ..errors import InputError
from ..features.layout import Layout
from ..lang.expr import Expr
from ..model.cost_model import TYPES, Family

#: how a class's text names the distinct members of a family it uses, in first-occurrence
#: order: ``misaligned_i``, ``misaligned_j``, ... (``i`` ranges over the K members)
LETTERS = "ijklmnpqrsuvwxyzabcdefgh"


def slot_name(s: int) -> str:
    return LETTERS[s] if s < len(LETTERS) else f"i{s + 1}"


@dataclass(frozen=True)
class FamilySlots:
    """One family as the enumeration sees it.

    name, size : the family and its exact member count K (a Python int)
    slots : M, the member slots enumerated (min(K, most members a program holds))
    prim : (M,) layout primitive index of each slot's member (``NAME_1..NAME_M``)
    objectives : (M, R) objective ids specific to each slot (R template strings with {i})
    items : (M, R') description items specific to each slot (its primitive, and the
        per-objective component items of its objectives)
    templates : the R objective templates (``misaligned_{i}``) for display
    bound : the most members a program of the enumerated size can hold
    """

    name: str
    size: int
    slots: int
    prim: np.ndarray
    objectives: np.ndarray
    items: np.ndarray
    templates: tuple
    bound: int = 0

    def objective_label(self, r: int, s: int) -> str:
        return self.templates[r].replace("{i}", slot_name(s))

    def objective_group(self, r: int) -> str:
        return self.templates[r].replace("{i}", "*")


def _objective_templates(template) -> tuple:
    """The template's member-specific objective strings (with ``{i}``), in a fixed order."""
    out = []
    if template.kind == "objective" and template.objective and "{i}" in template.objective:
        out.append(template.objective)
    for key in sorted(template.behaviour):
        v = template.behaviour[key]
        if isinstance(v, str) and "{i}" in v and v not in out:
            out.append(v)
    return tuple(out)


def _with_counts(model, counts: dict):
    """``model`` with each family's count replaced by the constant ``counts[name]``."""
    fams = [Family(f.name, Expr.constant(counts[f.name]), f.template, f.loc) for f in model.families]
    return model._replace(families=fams)


def most_members(layout, max_size: int) -> dict:
    """Per family: the most member nodes a Policy program of <= ``max_size`` nodes holds.

    A bound on the distinct members it can use.  Dynamic programming over (type, size)
    with the grammar's productions: best[t][n] = the most member nodes in a program of
    type t and exactly n nodes (-1 if there is none).
    """
    types = range(len(TYPES))
    prods = []  # (type, argtypes, family name or None)
    for p in layout.primitives:
        prods.append((int(layout.prim_type[layout.prim_index[p.name]]),
                      tuple(TYPES.index(a) for a in p.args), p.family))
    bool_t = TYPES.index("Bool")
    for t in types:
        prods.append((t, (bool_t, t, t), None))
    out = {}
    for fam in layout.model.families:
        best = [[-1] * (max_size + 1) for _ in types]
        for n in range(1, max_size + 1):
            for t, args, f in prods:
                own = 1 if f == fam.name else 0
                for sizes in compositions(n - 1, len(args)):
                    total = own
                    for a, s in zip(args, sizes):
                        if best[a][s] < 0:
                            total = -1
                            break
                        total += best[a][s]
                    if total > best[t][n]:
                        best[t][n] = total
        out[fam.name] = max([0] + best[TYPES.index("Policy")][1:])
    return out


def member_bound(model, max_size: int, every_family=False) -> dict:
    """Per family: the most distinct members a Policy program of <= ``max_size`` nodes
    can use (:func:`most_members`); a count at or above it is enumerated as this many
    member slots, so any larger count is served by the same enumeration.

    Parameters
    ----------
    model : CostModel
        Its families (any counts).
    max_size : int
        The size limit (nodes).
    every_family : bool
        Bound every family as if it had members (a count swept from 0); by default a
        family of count 0 has bound 0 and the others are bounded without it.

    Returns
    -------
    dict
        Family name -> int.
    """
    counts = {f: 1 if every_family else min(k, 1) for f, k in model.family_sizes.items()}
    probe = Layout(_with_counts(model, counts))
    return most_members(probe, max_size)


def family_slots(model, max_size: int):
    """(the model with each family cut to its M slots, [FamilySlots]) for enumerating.

    ``model`` may hold families of any count; the reduced model's family F has
    min(K_F, most members) members, which stand for member slots.
    """
    if not model.families:
        return model, []
    sizes = dict(model.family_sizes)
    bound = member_bound(model, max_size)
    slots = {f: min(sizes[f], bound[f]) for f in sizes}
    reduced = _with_counts(model, slots)
    reduced.counted_family_sizes = sizes  # prefix codes count every member (Layout.choices)
    reduced.counted_families = model.families  # ... with their count expressions (a K sweep)
    layout = Layout(reduced)
    _check_symmetry(model, reduced, sizes)
    out = []
    for fam in model.families:
        M = slots[fam.name]
        templates = _objective_templates(fam.template)
        prim = np.array([layout.prim_index[f"{fam.name}_{s + 1}"] for s in range(M)], dtype=np.int64)
        objs = np.array([[layout.objective_index[t.replace("{i}", str(s + 1))] for t in templates]
                         for s in range(M)], dtype=np.int64).reshape(M, len(templates))
        items = []
        for s in range(M):
            row = [int(prim[s])]
            for comp in (c for c in reduced.components.values() if c.per_objective):
                for o in objs[s]:
                    row.append(layout.per_objective_item[(comp.name, layout.objectives[o])])
            items.append(row)
        width = len(items[0]) if items else 1 + len(templates) * sum(
            1 for c in reduced.components.values() if c.per_objective)
        out.append(FamilySlots(fam.name, sizes[fam.name], M, prim, objs,
                               np.array(items, dtype=np.int64).reshape(M, width), templates, bound[fam.name]))
    return reduced, out


def _check_symmetry(model, reduced, sizes):
    """Member-specific objectives must belong to their member alone."""
    patterns = []
    for fam in model.families:
        for t in _objective_templates(fam.template):
            head, _, tail = t.partition("{i}")
            patterns.append((fam.name, t, re.compile(re.escape(head) + r"([1-9][0-9]*)" + re.escape(tail) + r"\Z")))
    if not patterns:
        return
    for p in reduced.primitives.values():
        ids = [p.objective] if p.kind == "objective" else list(p.behaviour.values())
        for obj in ids:
            if not isinstance(obj, str):
                continue
            for fam_name, t, rx in patterns:
                hit = rx.match(obj)
                if hit and int(hit.group(1)) <= sizes[fam_name] and not (
                        p.family == fam_name and p.name == f"{fam_name}_{hit.group(1)}"):
                    raise InputError(
                        f"primitive {p.name!r} pursues {obj!r}, an objective of family {fam_name!r} "
                        f"member {hit.group(1)} ({t}): members must be interchangeable; write them as "
                        f"plain primitives", p.loc)


def member_maps(m: int, s: int, M: int) -> list[tuple]:
    """Ways an argument's slots enter a parent that has some slots so far.

    Each argument slot goes to a distinct slot seen so far, or to the next new slot;
    new slots are numbered in the argument's slot order (that is what first occurrence
    in preorder means).

    Parameters
    ----------
    m : int
        Slots the argument uses.
    s : int
        Slots the parent has seen so far.
    M : int
        The most slots the parent may have.

    Returns
    -------
    list of tuple
        Target slot of each argument slot, in lexicographic order.
    """
    out = []
    for targets in itertools.product(range(s + m), repeat=m):
        used = set()
        nxt = s
        ok = True
        for x in targets:
            if x in used:
                ok = False
                break
            if x >= s:
                if x != nxt:
                    ok = False
                    break
                nxt += 1
            used.add(x)
        if ok and nxt <= M:
            out.append(targets)
    return out


def map_tables(fams):
    """Flat tables of :func:`member_maps` for the kernel.

    Returns (start, count, target): start/count (n_fam, Mmax + 1, Mmax + 1) index the
    rows of target (n_maps, max(Mmax, 1)) for (family, m, s).
    """
    Mmax = max([f.slots for f in fams] + [0])
    n_fam = len(fams)
    start = np.zeros((max(n_fam, 1), Mmax + 1, Mmax + 1), dtype=np.int64)
    count = np.zeros((max(n_fam, 1), Mmax + 1, Mmax + 1), dtype=np.int64)
    rows = []
    for fi, f in enumerate(fams):
        for m in range(f.slots + 1):
            for s in range(f.slots + 1):
                maps = member_maps(m, s, f.slots)
                start[fi, m, s] = len(rows)
                count[fi, m, s] = len(maps)
                rows.extend(list(t) + [-1] * (max(Mmax, 1) - len(t)) for t in maps)
    target = np.array(rows, dtype=np.int64).reshape(len(rows), max(Mmax, 1)) if rows else \
        np.zeros((1, max(Mmax, 1)), dtype=np.int64)
    return start, count, target


def falling(K: int, m: int) -> int:
    """K (K-1) ... (K-m+1), exactly (0 when m > K).

    Parameters
    ----------
    K : int
        The family's count.
    m : int
        Distinct members used.

    Returns
    -------
    int
    """
    out = 1
    for i in range(m):
        out *= K - i
    return out


def log2_falling(K: int, m: int) -> float:
    """log2 of :func:`falling` as a sum of log2(K - i).

    Stable for any K (2^100 or 2^1000, where lgamma differences lose every digit).

    Parameters
    ----------
    K : int
        The family's count (any Python int).
    m : int
        Distinct members used.

    Returns
    -------
    float
        -inf when m > K.
    """
    if m > K:
        return -math.inf
    return math.fsum(math.log2(K - i) for i in range(m))


_INT64_MAX = 2 ** 63 - 1


def pattern_codes(pattern, slots):
    """One int per row for its slot pattern (mixed radix, family f has slots[f] + 1 digits)."""
    pattern = np.asarray(pattern)
    code = np.zeros(len(pattern), dtype=np.int64)
    for f in range(pattern.shape[1] - 1, -1, -1):   # in place: millions of rows
        code *= int(slots[f]) + 1
        code += pattern[:, f]
    return code


def multiplicities(count, pattern, sizes, slots=None):
    """Exact and log2 multiplicities of classes: prod_f (K_f)_(m_f) times ``count``.

    One falling factorial per possible pattern (a table), no sorting of rows.

    Parameters
    ----------
    count : (n,) int64 array
        Pattern counts (normalized programs per class).
    pattern : (n, n_families) int array
        Slots each class uses, per family.
    sizes : sequence of int
        The families' K (Python ints).
    slots : sequence of int, optional
        The most slots per family (default: the pattern's maxima).

    Returns
    -------
    exact : (n,) array
        int64 when every value fits, else an object array of Python ints.
    log2 : (n,) float array
        log2(count) plus sums of log2(K - i): accurate at K = 2^1000.
    """
    count = np.asarray(count, dtype=np.int64)
    pattern = np.asarray(pattern).reshape(len(count), len(sizes))
    with np.errstate(divide="ignore"):
        log2_count = np.log2(count.astype(float))
    if not len(sizes) or not len(count):
        return count.copy(), log2_count
    if slots is None:
        slots = pattern.max(axis=0)
    codes = pattern_codes(pattern, slots)
    factors, logs = [], []
    for digits in itertools.product(*[range(int(m) + 1) for m in reversed(list(slots))]):
        row = list(reversed(digits))
        f, lf = 1, 0.0
        for K, m in zip(sizes, row):
            f *= falling(int(K), int(m))
            lf += log2_falling(int(K), int(m))
        factors.append(f)
        logs.append(lf)
    if max(factors) * int(count.max()) <= _INT64_MAX:
        exact = np.array(factors, dtype=np.int64)[codes]
        exact *= count   # in place (millions of rows); int products commute
    else:
        exact = count.astype(object) * np.array(factors, dtype=object)[codes]
    log2 = np.array(logs)[codes]
    log2 += log2_count   # IEEE addition commutes: the same bits as log2_count + logs
    return exact, log2
