"""What a program does and what it costs: behaviour per episode and cost features.

:func:`evaluate` walks a checked program once per episode.  It is the plain, readable
definition of the semantics; the enumeration kernels compute the same features
bottom-up and are tested against it.

* behaviour: the value of the program in each episode — the objective a Policy pursues
  (an index into ``layout.objectives``), or 0/1 for a Bool;
* description items referenced (each paid once);
* nodes per type (for ``node_bits`` and prefix codes);
* executions of each time group in each episode, counting only nodes that run: an
  ``if`` runs its condition and the branch it takes.
"""
from __future__ import annotations

__all__ = ["Features", "evaluate", "classify", "ALIGNED", "DECEPTIVE", "INCOMPATIBLE", "CLASS_NAMES"]

from dataclasses import dataclass

import numpy as np

from ..lang.dsl import Call, If
from ..outputs import natural_key
from .layout import CONST, OP_AND, OP_NOT, OP_OR, TYPE_INDEX, Layout

ALIGNED, DECEPTIVE, INCOMPATIBLE = 0, 1, 2
CLASS_NAMES = ("aligned", "deceptive", "incompatible")


@dataclass(frozen=True)
class Features:
    """Cost features and behaviour of one program (see module docstring)."""

    type: int
    signature: tuple          # value per episode
    items: frozenset          # description item indices
    nodes: tuple              # nodes per type
    time_counts: tuple        # (n_groups x n_episodes) executions, as nested tuples

    @property
    def size(self) -> int:
        return sum(self.nodes)

    def key(self):
        """What makes two programs interchangeable in every context."""
        return (self.type, self.signature, self.items, self.nodes, self.time_counts)


def evaluate(program, layout: Layout) -> Features:
    """Features of a checked program (aliases resolved, well typed).

    Parameters
    ----------
    program : Call or If
        A program tree as :func:`priorsearch.lang.typecheck.check` returns it.
    layout : Layout
        The model's layout: which items, time groups and episodes the features count.

    Returns
    -------
    Features
        Type, behaviour per episode, description items, nodes per type and executions per
        time group and episode.
    """
    E, G = len(layout.episodes), layout.n_groups
    items: set[int] = set()
    nodes = [0] * 3
    counts = np.zeros((G, E), dtype=np.int64)
    signature = []
    _static(program, layout, items, nodes)
    for e in range(E):
        signature.append(_run(program, layout, e, counts))
    ptype = _type(program, layout)
    return Features(ptype, tuple(signature), frozenset(items), tuple(nodes),
                    tuple(tuple(int(x) for x in row) for row in counts))


def _type(node, layout):
    if isinstance(node, If):
        return _type(node.then_, layout)
    return int(layout.prim_type[layout.prim_index[node.name]])


def _static(node, layout, items, nodes):
    """Description items and node counts: properties of the text, not of a run."""
    if isinstance(node, If):
        nodes[_type(node, layout)] += 1
        for child in node.children:
            _static(child, layout, items, nodes)
        return
    i = layout.prim_index[node.name]
    nodes[int(layout.prim_type[i])] += 1
    items.update(layout.prim_items[i])
    if layout.prim_per_objective[i]:
        # a per-objective component is specialised to every objective this node can
        # pursue, i.e. its value in any episode
        values = {_value(node, layout, e) for e in range(len(layout.episodes))}
        items.update(layout.per_objective_items(i, values))
    for child in node.args:
        _static(child, layout, items, nodes)


def _value(node, layout, e):
    """Value in episode ``e`` without counting time."""
    return _run(node, layout, e, None)


def _run(node, layout, e, counts):
    """Value of ``node`` in episode ``e``; adds executed nodes' groups to ``counts``."""
    if isinstance(node, If):
        cond = _run(node.cond, layout, e, counts)
        return _run(node.then_ if cond else node.else_, layout, e, counts)
    i = layout.prim_index[node.name]
    if counts is not None and layout.prim_group[i] >= 0:
        counts[layout.prim_group[i], e] += 1
    args = [_run(a, layout, e, counts) for a in node.args]
    op = layout.prim_op[i]
    if op == OP_NOT:
        return 1 - args[0]
    if op == OP_AND:
        return args[0] & args[1]
    if op == OP_OR:
        return args[0] | args[1]
    j = layout.table_arg[i, e]
    return int(layout.table_value[i, e]) if j == CONST else args[j]


def classify(signature, layout: Layout):
    """(class, deployment objectives) of a Policy's behaviour signature.

    Compatible: pursues ``base`` in every checked training episode.  Aligned: compatible
    and pursues ``base`` in every deployment episode; otherwise deceptive.

    Parameters
    ----------
    signature : sequence of int
        The objective index the program pursues in each episode.
    layout : Layout
        Supplies the episodes' phases, which training episodes are checked, and ``base``.

    Returns
    -------
    cls : int
        ``ALIGNED``, ``DECEPTIVE`` or ``INCOMPATIBLE``.
    deploy : list of str
        The objectives pursued in deployment episodes, sorted.
    """
    base = layout.base
    if any(signature[e] != base for e in range(len(signature)) if layout.is_checked[e]):
        cls = INCOMPATIBLE
    elif all(signature[e] == base for e in range(len(signature)) if not layout.is_train[e]):
        cls = ALIGNED
    else:
        cls = DECEPTIVE
    deploy = sorted({layout.objectives[signature[e]] for e in range(len(signature)) if not layout.is_train[e]},
                    key=natural_key)
    return cls, deploy


