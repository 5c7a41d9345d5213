"""Slow, plainly written references for the enumeration kernels.

Every raw program tree is built (dsl.Call / dsl.If), evaluated with
:func:`priorsearch.features.semantics.evaluate` (the definition of the semantics) and grouped by
``Features.key()``.  No packing, no hashing tricks: the kernels must agree with this.
"""
from __future__ import annotations

import itertools
import math

from priorsearch.lang.dsl import Call, If
from priorsearch.features.layout import Layout
from priorsearch.model.cost_model import TYPES
from priorsearch.features.semantics import evaluate


def compositions(total, parts):
    """Tuples of ``parts`` positive integers adding up to ``total``, lexicographic."""
    return [c for c in itertools.product(range(1, total + 1), repeat=parts) if sum(c) == total]


def programs_by_size(model, max_size):
    """``{(type, size): [program, ...]}`` in the enumeration order of the kernels:
    productions of a type in model order (primitives, then ``if``), child sizes
    lexicographic, children in the order of their own lists."""
    prims = list(model.primitives.values())
    table = {(t, n): [] for t in TYPES for n in range(max_size + 1)}
    for n in range(1, max_size + 1):
        for t in TYPES:
            out = table[(t, n)]
            for p in prims:
                if p.type != t:
                    continue
                for sizes in compositions(n - 1, len(p.args)):
                    pools = [table[(a, s)] for a, s in zip(p.args, sizes)]
                    for args in itertools.product(*pools):
                        out.append(Call(p.name, tuple(args)))
            for sizes in compositions(n - 1, 3):
                for cond, then_, else_ in itertools.product(
                        table[("Bool", sizes[0])], table[(t, sizes[1])], table[(t, sizes[2])]):
                    out.append(If(cond, then_, else_))
    return table


def policy_classes(model, max_size):
    """Ordered ``{key: [multiplicity, first program, features]}`` of every Policy program."""
    layout = Layout(model)
    table = programs_by_size(model, max_size)
    classes = {}
    for n in range(1, max_size + 1):
        for program in table[("Policy", n)]:
            f = evaluate(program, layout)
            entry = classes.get(f.key())
            if entry is None:
                classes[f.key()] = [1, program, f]
            else:
                entry[0] += 1
    return classes


def count_programs(model, max_size):
    """Programs of each type and size, by listing them."""
    table = programs_by_size(model, max_size)
    return {t: [len(table[(t, n)]) for n in range(max_size + 1)] for t in TYPES}


def log2_mass(pairs):
    """log2 of sum of multiplicity * 2**-bits over (multiplicity, bits) pairs, with math."""
    pairs = [(m, b) for m, b in pairs if math.isfinite(b)]
    if not pairs:
        return -math.inf
    top = min(b for _, b in pairs)
    return -top + math.log2(math.fsum(m * 2.0 ** (top - b) for m, b in pairs))
