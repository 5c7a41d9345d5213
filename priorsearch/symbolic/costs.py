"""Exact c(p), t(p) and the training loss L(p) as sympy expressions over a model's
parameters.

Built from the same features as the numeric path, with each cost expression converted by
the whitelist parser's own translator (never ``sympify`` of user text).
"""
from __future__ import annotations

__all__ = ["symbols", "cost_expressions", "row_cost_expressions", "row_loss_expression"]

import numpy as np
import sympy

from ..features.layout import Layout
from ..features.semantics import Features


def symbols(model) -> dict:
    """One positive-or-zero real symbol per parameter (and exchange parameter).

    Parameters
    ----------
    model : CostModel
        Its cost parameters and its exchange's parameters get symbols.

    Returns
    -------
    dict
        Parameter name -> ``sympy.Symbol`` (nonnegative, real).
    """
    names = list(model.parameters) + [k for k in model.exchange_params]
    return {n: sympy.Symbol(n, nonnegative=True, real=True) for n in names}


def cost_expressions(features: Features, layout: Layout, syms=None):
    """(c, t, t_deploy) of one program as sympy expressions.

    Parameters
    ----------
    features : Features
        The program's features (:func:`priorsearch.features.semantics.evaluate`).
    layout : Layout
        The layout the features refer to.
    syms : dict or None
        Parameter name -> symbol; None is :func:`symbols` of the layout's model.

    Returns
    -------
    c, t, t_deploy : sympy expressions
        t aggregates training episodes as the model does (weighted mean or max).
    """
    model = layout.model
    syms = syms or symbols(model)
    c = sympy.Integer(0)
    for item in sorted(features.items):
        c += layout.item_exprs[item].to_sympy(syms)
    node_bits = model.node_bits.to_sympy(syms)
    for type_index, count in enumerate(features.nodes):
        if count:
            per_node = node_bits
            if model.code == "prefix":
                per_node = per_node + sympy.log(int(layout.choices[type_index]), 2)
            c += count * per_node
    per_episode = []
    for e, ep in enumerate(layout.episodes):
        total = sympy.Integer(0)
        for g in range(layout.n_groups):
            n = features.time_counts[g][e]
            if n:
                total += n * layout.group_exprs[g][e].to_sympy(syms)
        per_episode.append(total)

    def mean(phase):
        idx = [e for e, ep in enumerate(layout.episodes) if ep.phase == phase]
        if not idx:
            return sympy.Integer(0)
        weights = [layout.episodes[e].weight.to_sympy(syms) for e in idx]
        if phase == "train" and model.time_aggregate == "max":
            return sympy.Max(*[per_episode[e] for e in idx])
        return sympy.simplify(sum(w * per_episode[e] for w, e in zip(weights, idx)) / sum(weights))

    return sympy.expand(c), mean("train"), mean("deploy")


def row_cost_expressions(table, row: int, syms=None):
    """(c, t) of row ``row`` of a FeatureTable as sympy expressions (same features as the
    numeric path: referenced items, nodes per type, executions per time group).

    Parameters
    ----------
    table : FeatureTable
        The table holding the row.
    row : int
        The row index.
    syms : dict or None
        Parameter name -> symbol; None is :func:`symbols` of the table's model.

    Returns
    -------
    c, t : sympy expressions
    """
    layout = table.layout
    model = layout.model
    syms = syms or symbols(model)
    c = sympy.Integer(0)
    for item in np.flatnonzero(table.desc[row]):
        c += layout.item_exprs[int(item)].to_sympy(syms)
    node_bits = model.node_bits.to_sympy(syms)
    for type_index, count in enumerate(table.nodes[row]):
        if count:
            per_node = node_bits
            if model.code == "prefix":
                per_node = per_node + sympy.log(int(layout.choices[type_index]), 2)
            c += int(count) * per_node
    per_episode = []
    for e in range(len(layout.episodes)):
        total = sympy.Integer(0)
        for g in range(layout.n_groups):
            n = int(table.time_counts[row, g, e])
            if n:
                total += n * layout.group_exprs[g][e].to_sympy(syms)
        per_episode.append(total)
    train = [e for e, ep in enumerate(layout.episodes) if ep.phase == "train"]
    if model.time_aggregate == "max":
        t = sympy.Max(*[per_episode[e] for e in train])
    else:
        weights = [layout.episodes[e].weight.to_sympy(syms) for e in train]
        t = sympy.simplify(sum(w * per_episode[e] for w, e in zip(weights, train)) / sum(weights))
    return sympy.expand(c), t


def row_loss_expression(table, row: int, syms=None):
    """Training loss L of a row as a sympy expression.

    The sum, over the checked training episodes it misses, of weight x loss amount, over
    the checked weight (the numeric :meth:`~priorsearch.features.table.FeatureTable.loss`).

    Parameters
    ----------
    table : FeatureTable
    row : int
    syms : dict, optional
        Parameter symbols (default :func:`symbols` of the table's model).

    Returns
    -------
    sympy.Expr
    """
    layout = table.layout
    syms = syms or symbols(layout.model)
    checked = [e for e in range(len(layout.episodes)) if layout.is_checked[e]]
    if not checked:
        return sympy.Integer(0)
    weight = {e: layout.episodes[e].weight.to_sympy(syms) for e in checked}
    missed = sum((weight[e] * sympy.nsimplify(layout.episodes[e].loss) for e in checked if table.miss[row, e]),
                 sympy.Integer(0))
    return sympy.simplify(missed / sum(weight.values()))


# --------------------------------------------------------------------------- boundaries
