"""Exact c(p) and t(p) as sympy expressions over the model's parameters.

Built from the same features as the numeric path, with each cost expression converted by
the whitelist parser's own translator (never ``sympify`` of user text).
"""
from __future__ import annotations

__all__ = ["symbols", "cost_expressions"]

import sympy

from .layout import Layout
from .model import TYPES
from .semantics import Features


def symbols(model) -> dict:
    """One positive-or-zero real symbol per parameter (and exchange parameter)."""
    names = list(model.parameters) + [k for k in model.exchange_params]
    return {n: sympy.Symbol(n, nonnegative=True, real=True) for n in names}


def cost_expressions(features: Features, layout: Layout, syms=None):
    """(c, t, t_deploy) of one program as sympy expressions."""
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


