"""How many well-typed programs of each size the grammar has: the counting recurrence.

A program of type T and n nodes is either a primitive of type T applied to arguments
whose sizes add up to n - 1, or ``if b then x else y`` with b a Bool and x, y of type T.
So with N_T(n) the number of programs of type T and n nodes::

    N_T(n) = sum over primitives p of type T, over compositions (s_1..s_a) of n - 1:
                 prod_k N_{type of argument k}(s_k)
           + sum over compositions (a, b, c) of n - 1:  N_Bool(a) N_T(b) N_T(c)

Exact Python integers: these totals are what the enumeration's multiplicities must add
up to, and they tell before enumerating whether an int64 multiplicity could overflow.
"""
from __future__ import annotations

__all__ = ["program_counts", "model_program_counts", "compositions"]

from functools import lru_cache

from ..features.layout import TYPE_INDEX, Layout
from ..model.cost_model import TYPES


def compositions(total: int, parts: int):
    """Every tuple of ``parts`` integers >= 1 adding up to ``total``, in lexicographic order.

    Parameters
    ----------
    total : int
        The sum.
    parts : int
        The tuple length (0 yields ``()`` once when ``total`` is 0).

    Yields
    ------
    tuple of int
    """
    if parts == 0:
        if total == 0:
            yield ()
        return
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in compositions(total - first, parts - 1):
            yield (first,) + rest


def program_counts(layout: Layout, max_size: int) -> dict:
    """``{type name: [N(0), N(1), ..., N(max_size)]}`` with exact integers (N(0) = 0).

    N(n) counts the raw (well-typed, unmerged) programs of n nodes whose root has the
    type, ``if`` included.

    Parameters
    ----------
    layout : Layout
        Supplies the primitives and their argument types.
    max_size : int
        The largest program size (nodes) counted.

    Returns
    -------
    dict
        Type name -> list of ``max_size + 1`` Python ints.
    """
    signatures = {t: [] for t in range(len(TYPES))}
    for i, p in enumerate(layout.primitives):
        signatures[TYPE_INDEX[p.type]].append((1, tuple(TYPE_INDEX[a] for a in p.args)))
    return _counts(signatures, max_size)


def model_program_counts(model, max_size: int) -> dict:
    """:func:`program_counts` of a model with families, as polynomials in K evaluated.

    A family of K members is one signature counted K times (its members differ only by
    name), so this is the recurrence with weight K on that signature: exact for any K
    (2^100 included), and independent of the enumeration's orbits.

    Parameters
    ----------
    model : CostModel
        The model; its families count ``model.family_sizes`` members.
    max_size : int
        Largest program size.

    Returns
    -------
    dict
        Type name -> [N(0), ..., N(max_size)], exact ints.
    """
    signatures = {t: [] for t in range(len(TYPES))}
    for p in model.base_primitives:
        signatures[TYPE_INDEX[p.type]].append((1, tuple(TYPE_INDEX[a] for a in p.args)))
    for fam in model.families:
        p = fam.template
        signatures[TYPE_INDEX[p.type]].append((model.family_sizes[fam.name], tuple(TYPE_INDEX[a] for a in p.args)))
    return _counts(signatures, max_size)


def _counts(signatures, max_size):
    bool_type = TYPE_INDEX["Bool"]
    for t in range(len(TYPES)):
        signatures[t].append((1, (bool_type, t, t)))  # the ``if`` of type t

    @lru_cache(maxsize=None)
    def count(t: int, n: int) -> int:
        if n <= 0:
            return 0
        total = 0
        for weight, args in signatures[t]:
            for sizes in compositions(n - 1, len(args)):
                term = weight
                for a, s in zip(args, sizes):
                    term *= count(a, s)
                    if term == 0:
                        break
                total += term
        return total

    return {TYPES[t]: [count(t, n) for n in range(max_size + 1)] for t in range(len(TYPES))}
