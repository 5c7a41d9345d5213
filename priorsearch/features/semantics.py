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

__all__ = ["Features", "evaluate", "classify", "classify_rows", "Classes", "ALIGNED", "DECEPTIVE",
           "INCOMPATIBLE", "PROXY", "CLASS_NAMES", "BEHAVIOUR_CLASSES"]

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..lang.dsl import Call, If
from ..errors import natural_key
from .layout import CONST, OP_AND, OP_NOT, OP_OR, TYPE_INDEX, Layout

# codes 0 and 1 are fixed: kernels and saved outputs index masses by them
ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY = 0, 1, 2, 3
CLASS_NAMES = ("aligned", "deceptive", "incompatible", "proxy")
#: the behaviour classes after Hubinger, in the order masses are reported
BEHAVIOUR_CLASSES = (ALIGNED, DECEPTIVE, PROXY)


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


class Classes(NamedTuple):
    """What :func:`classify_rows` says about every row.

    Parameters
    ----------
    class_code : (n,) int array
        The class at the default loss price (infinite): the behaviour class when the row
        is training-compatible, else ``INCOMPATIBLE``.
    deploy : list of str
        Deployment objective(s), comma-joined.
    behaviour : (n,) int array
        ``ALIGNED``, ``DECEPTIVE`` or ``PROXY``, for every row (what a row that misses
        training episodes is, when a finite loss price lets it compete).
    miss : (n, E) uint8 array
        1 in the checked training episodes where the row pursues neither base nor an
        objective declared to agree with base there.
    """

    class_code: np.ndarray
    deploy: list
    behaviour: np.ndarray
    miss: np.ndarray


def classify_rows(sig, layout: Layout, with_deploy: bool = True) -> Classes:
    """Behaviour classes of many Policy signatures at once.

    The one definition of the classes (after Hubinger); ``layout.agrees`` (objectives x
    episodes) is true where pursuing an objective is indistinguishable from pursuing
    ``base`` (base everywhere, a declared proxy in its ``agrees_with_base`` episodes).

    * compatible: in every checked training episode it pursues base or an agreeing
      proxy (no training loss, :meth:`FeatureTable.loss` = 0);
    * aligned: pursues base in every deployment episode;
    * proxy: not aligned, and one non-base objective o is what it pursues in every
      episode, training and deployment alike (or base where o agrees with base, which
      cannot be told apart): misgeneralised, not deceptive;
    * deceptive: otherwise — its deployment behaviour differs from its training
      behaviour, i.e. it depends on the phase (Hsd, Hfd, ``optimize(if is_deployed
      then simplest_obj else camera_obj)``).

    Parameters
    ----------
    sig : (n, E) int array
        The objective index each program pursues in each episode.
    layout : Layout
        Supplies the phases, the checked episodes, ``base`` and ``agrees``.
    with_deploy : bool
        Build the ``deploy`` strings (False: ``deploy`` is None, for callers that name
        deployment objectives their own way, e.g. millions of enumerated classes).

    Returns
    -------
    Classes
        ``class_code``, ``deploy``, ``behaviour`` and ``miss`` of every row.
    """
    sig = np.asarray(sig)
    # integer signatures index as they are (an int64 copy of millions of rows costs)
    sig = (sig if sig.dtype.kind in "iu" else sig.astype(np.int64)).reshape(-1, len(layout.episodes))
    n, E = sig.shape
    base = layout.base
    agrees = layout.agrees                       # (n_objectives, E)
    eps = np.arange(E)[None, :]
    ok = agrees[sig, eps]                        # indistinguishable from base there
    checked = layout.is_checked
    miss = (~ok & checked[None, :]).astype(np.uint8)
    compatible = ~miss.any(axis=1)
    deploy_eps = ~layout.is_train
    aligned = np.all(sig[:, deploy_eps] == base, axis=1) if deploy_eps.any() else np.ones(n, dtype=bool)
    # proxy: the objective of the first deployment episode (any non-base one if there
    # is none), pursued in every episode up to agreement with base in training
    if deploy_eps.any():
        o = sig[:, int(np.flatnonzero(deploy_eps)[0])]
        same = np.all((sig == o[:, None]) | ((sig == base) & agrees[o]), axis=1)
        proxy = ~aligned & (o != base) & same
    else:
        proxy = np.zeros(n, dtype=bool)
    behaviour = np.where(aligned, ALIGNED, np.where(proxy, PROXY, DECEPTIVE)).astype(np.int64)
    cls = np.where(compatible, behaviour, INCOMPATIBLE).astype(np.int64)
    deploy = [""] * n if with_deploy else None
    if n and with_deploy:
        # one integer per row for its deployment values, so unique() sorts plain ints
        code = np.zeros(n, dtype=np.int64)
        n_obj = len(layout.objectives)
        for e in np.flatnonzero(deploy_eps):
            code = code * n_obj + sig[:, e]
        _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        names = [",".join(sorted({layout.objectives[v] for v in sig[i, deploy_eps]})) for i in first]
        deploy = [names[i] for i in np.asarray(inverse).reshape(-1)]
    return Classes(cls, deploy, behaviour, miss)


def classify(signature, layout: Layout):
    """(class, deployment objectives) of one Policy's behaviour signature.

    :func:`classify_rows` for one row: the class at the default, infinite loss price.

    Parameters
    ----------
    signature : sequence of int
        The objective index the program pursues in each episode.
    layout : Layout
        Supplies the episodes' phases, which training episodes are checked, and ``base``.

    Returns
    -------
    cls : int
        ``ALIGNED``, ``DECEPTIVE``, ``PROXY`` or ``INCOMPATIBLE``.
    deploy : list of str
        The objectives pursued in deployment episodes, sorted.
    """
    out = classify_rows(np.asarray([signature]), layout)
    return int(out.class_code[0]), out.deploy[0].split(",") if out.deploy[0] else []
