"""Program texts of enumerated classes, built on demand from back-pointers.

A class's representative is the first program of it met in enumeration order.  Its
tree is rebuilt by following, from the class, the production and the child classes
(and the slot maps of family members, :mod:`.orbits`) that first produced it.  A member
of a family is shown by its slot: ``misaligned_i``, ``misaligned_j``, ... are distinct
members (``i`` ranges over the K members), in order of first occurrence; with
``numbered=True`` slot s is member s + 1 (``misaligned_1``, ...), a real program of the
model.
"""
from __future__ import annotations

__all__ = ["ProgramTexts"]

import numpy as np

from ..lang.dsl import Call, If
from .orbits import slot_name


class ProgramTexts:
    """Canonical program text of each row's representative, built on demand.

    A sequence (``len``, ``[i]``, iteration, :meth:`take`) so that millions of classes
    cost no strings until a row is shown.

    Parameters
    ----------
    enum : Enumeration
        The enumeration the rows come from.
    rows : (n,) int array
        Class ids (of every type) of the rows.
    """

    def __init__(self, enum, rows: np.ndarray):
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

    def program(self, i, numbered: bool = False):
        """The representative of row ``i`` as a :class:`~priorsearch.lang.dsl.Call`/``If`` tree."""
        return build_program(self._enum, int(self._rows[i]), numbered=numbered)


def build_program(enum, cid: int, numbered: bool = False):
    """Rebuild a class's representative from its back-pointers (see module docstring)."""
    fams = enum.families
    root = [np.arange(f.slots, dtype=np.int64) for f in fams]
    return _build(enum, cid, root, numbered)


def _build(enum, cid, phi, numbered):
    q = int(enum.maps[cid, 0])
    prod = enum.productions[q]
    fams = enum.families
    seen = [1 if prod.family == k else 0 for k in range(len(fams))]
    kids = []
    for k in range(prod.arity):
        child = int(enum.children[cid, k])
        joint = int(enum.maps[cid, 1 + k])
        child_phi = []
        for f, fam in enumerate(fams):
            m = int(enum.nslots[child, f])
            cnt = int(enum.map_count[f, m, seen[f]])
            row = int(enum.map_start[f, m, seen[f]]) + joint % cnt
            joint //= cnt
            t = enum.map_target[row, :m]
            child_phi.append(phi[f][t] if m else np.zeros(0, dtype=np.int64))
            seen[f] = max([seen[f]] + [int(x) + 1 for x in t])
        kids.append(_build(enum, child, child_phi, numbered))
    if prod.prim < 0:
        return If(*kids)
    name = enum.layout.primitives[prod.prim].name
    if prod.family >= 0:
        fam = fams[prod.family]
        s = int(phi[prod.family][0])
        name = f"{fam.name}_{s + 1}" if numbered else f"{fam.name}_{slot_name(s)}"
    return Call(name, tuple(kids))


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
