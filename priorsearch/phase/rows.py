"""Which rows of a program space a sweep scores: the candidates that can win (static
domination pruning, training loss included) and the classes masses are reported for."""
from __future__ import annotations

__all__ = ["can_compete", "rows_to_score", "mass_class_codes"]

import numpy as np

from ..exchange.base import LOSS_PRICE
from ..jit import kernel
from ..features.semantics import ALIGNED, DECEPTIVE, PROXY
from . import kernels


def _features_matrix(table) -> np.ndarray:
    """The integer features c and t can depend on: description items, nodes (only when
    nodes cost bits) and executions in *training* episodes (deployment time does not
    enter the prior)."""
    n = len(table)
    model = table.layout.model
    parts = [table.desc.astype(np.int64)]
    free_nodes = model.code == "flat" and model.node_bits.is_constant() and float(model.node_bits.evaluate({})) == 0
    if not free_nodes:
        parts.append(table.nodes.astype(np.int64))
    train = np.flatnonzero(table.layout.is_train)
    parts.append(table.time_counts[:, :, train].reshape(n, -1).astype(np.int64))
    return np.concatenate(parts, axis=1)


def can_compete(table, ex, ax_x=None, ax_y=None) -> np.ndarray:
    """Rows that compete somewhere on the grid.

    Parameters
    ----------
    table : FeatureTable
    ex : Exchange
    ax_x, ax_y : Axis, optional
        The diagram's axes (a ``loss_price`` axis may make the price finite).

    Returns
    -------
    (n,) bool array
        The compatible rows, and every row when the loss price is finite somewhere.
    """
    prices = [ex.loss_price] + [float(np.min(a.values)) for a in (ax_x, ax_y) if a is not None and a.name == LOSS_PRICE]
    if table.lossy and min(prices) < np.inf:
        return np.ones(len(table), dtype=bool)
    return np.asarray(table.compatible)


def rows_to_score(table, ex, mode, competing=None, lossy=False, by_members=False):
    """Rows that can matter: without masses, under a monotone exchange, the classes not
    beaten everywhere by two others.

    Parameters
    ----------
    table : FeatureTable
    ex : Exchange
    mode : {"winner", "mass"}
    competing : (n,) bool array, optional
        The rows that may win (default: the compatible ones).
    lossy : bool
        A training loss is in play: the checked episodes missed are features too (L is a
        sum of non-negative terms over them).
    by_members : bool
        The family counts vary over the sweep (a count axis): a class exists only where
        K covers its distinct members, so the members used per family are features too
        (a dominating class must exist wherever the dominated one does).

    Returns
    -------
    (m,) int array
        Row indices, in order.
    """
    n = len(table)
    competing = np.asarray(table.compatible) if competing is None else competing
    size = np.ascontiguousarray(table.size.astype(np.int64))
    if mode == "winner" and ex.monotone and n > 2:
        features = _features_matrix(table)
        if lossy:
            features = np.concatenate([features, np.asarray(table.miss, dtype=np.int64)], axis=1)
        if by_members and table.pattern is not None:
            features = np.concatenate([features, np.asarray(table.pattern, dtype=np.int64)], axis=1)
        keep = kernel(kernels.static_keep, n * n * max(features.shape[1], 1))
        return np.flatnonzero(keep(features, size, np.ascontiguousarray(competing)))
    return np.arange(n)


def mass_class_codes(behaviour) -> tuple:
    """The classes masses are reported for.

    Parameters
    ----------
    behaviour : (n,) int array
        Behaviour classes of the competing rows.

    Returns
    -------
    tuple of int
        Aligned and deceptive always (their codes 0 and 1 index the mass arrays), then
        proxy when any row is one.
    """
    return (ALIGNED, DECEPTIVE, PROXY) if (np.asarray(behaviour) == PROXY).any() else (ALIGNED, DECEPTIVE)
