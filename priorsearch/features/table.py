"""Tables of program classes with linear cost features, and their totals at parameters.

A :class:`FeatureTable` is what the templates (``rank``), the enumeration (``search``)
and the sweeps (``phase``) share: one row per program class, integer features that do not
depend on parameters, and :meth:`FeatureTable.totals` that turns them into c and t at any
number of parameter points with a few matrix products.
"""
from __future__ import annotations

__all__ = ["FeatureTable", "totals", "check_finite_totals"]

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from .layout import CostArrays, Layout
from .semantics import INCOMPATIBLE, Features, classify_rows


@dataclass
class FeatureTable:
    """Program classes of one layout.

    Attributes
    ----------
    layout : Layout
        The layout the features refer to.
    desc : (n, n_items) uint8 array
        1 where the class references a description item.
    nodes : (n, n_types) int array
        Nodes of each type.
    time_counts : (n, n_groups, n_episodes) int array
        Executions per time group and episode.
    signature : (n, n_episodes) int array
        Behaviour per episode.
    multiplicity : (n,) array
        Raw programs in the class: int64, or exact Python ints (an object array) when a
        family's count makes them larger (K = 2^100).
    cls : (n,) int array
        0 aligned, 1 deceptive, 3 proxy; 2 incompatible (misses a checked training
        episode: the class at the default, infinite loss price).
    deploy : list of str
        Deployment objective(s), comma-joined.
    names, labels, sources : list of str
        For reports (sources: canonical program text).
    behaviour : (n,) int array
        Aligned/deceptive/proxy of every row, incompatible ones too (what competes at a
        finite loss price); derived from ``signature`` when omitted.
    miss : (n, n_episodes) uint8 array
        1 in the checked training episodes the row misses; derived from ``signature``
        when omitted.  ``cls``, ``behaviour`` and ``miss`` come from one
        :func:`~priorsearch.features.semantics.classify_rows` call.
    log2_multiplicity : (n,) float array
        log2 of ``multiplicity``, computed stably for huge counts (-inf: an empty class).
    pattern : (n, n_families) int array or None
        Member slots each class uses, per family (:mod:`priorsearch.space.orbits`).
    pattern_count : (n,) int64 array or None
        Normalized programs per class; multiplicity = prod over families of
        K(K-1)...(K-m+1) times this.
    family_sizes : tuple of (str, int)
        Each family and its exact member count K.
    """

    layout: Layout
    desc: np.ndarray
    nodes: np.ndarray
    time_counts: np.ndarray
    signature: np.ndarray
    multiplicity: np.ndarray
    cls: np.ndarray
    deploy: list
    names: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    behaviour: np.ndarray | None = None
    miss: np.ndarray | None = None

    log2_multiplicity: np.ndarray = None
    pattern: np.ndarray = None
    pattern_count: np.ndarray = None
    family_sizes: tuple = ()

    def __post_init__(self):
        if self.log2_multiplicity is None:
            with np.errstate(divide="ignore"):
                self.log2_multiplicity = np.log2(np.asarray(self.multiplicity, dtype=float))
        if self.behaviour is None or self.miss is None:
            out = classify_rows(self.signature, self.layout)
            self.behaviour, self.miss = out.behaviour, out.miss

    @property
    def compatible(self) -> np.ndarray:
        """(n,) bool: no training loss (pursues base, or an agreeing proxy, in every
        checked training episode)."""
        return np.asarray(self.cls) != INCOMPATIBLE

    @property
    def lossy(self) -> bool:
        """Whether any row has a training loss (only those need a loss term)."""
        return bool(np.asarray(self.miss).any())

    def loss(self, costs: CostArrays) -> np.ndarray:
        """Training loss L of every row at every cost point, (n, K): the loss-weighted
        share of checked training episodes in which the row pursues neither base nor an
        objective agreeing with base there (:attr:`CostArrays.loss_weight`)."""
        return np.asarray(self.miss, dtype=float) @ costs.loss_weight.T

    def classes_at(self, eligible) -> np.ndarray:
        """Class codes reported when ``eligible`` rows compete: their behaviour class
        (aligned/deceptive/proxy), ``incompatible`` for rows out of the running."""
        return np.where(np.asarray(eligible, dtype=bool), self.behaviour, INCOMPATIBLE)

    def __len__(self) -> int:
        return len(self.multiplicity)

    @property
    def size(self) -> np.ndarray:
        return self.nodes.sum(axis=1)

    @classmethod
    def from_features(cls, features, layout: Layout, names=None, labels=None, sources=None,
                      multiplicity=None) -> "FeatureTable":
        feats: list[Features] = list(features)
        n, E, G = len(feats), len(layout.episodes), layout.n_groups
        desc = np.zeros((n, layout.n_items), dtype=np.uint8)
        nodes = np.zeros((n, 3), dtype=np.int64)
        counts = np.zeros((n, G, E), dtype=np.int64)
        sig = np.zeros((n, E), dtype=np.int64)
        for i, f in enumerate(feats):
            desc[i, list(f.items)] = 1
            nodes[i] = f.nodes
            if G:
                counts[i] = np.array(f.time_counts, dtype=np.int64).reshape(G, E)
            sig[i] = f.signature
        klass, deploy, behaviour, miss = classify_rows(sig, layout)
        mult = np.ones(n, dtype=np.int64) if multiplicity is None else np.asarray(multiplicity, dtype=np.int64)
        names = list(names) if names is not None else [""] * n
        return cls(layout, desc, nodes, counts, sig, mult, klass, deploy, names,
                   list(labels) if labels is not None else list(names),
                   list(sources) if sources is not None else [""] * n, behaviour, miss)

    def totals(self, costs: CostArrays):
        """(c, t, t_deploy), each of shape (n, K)."""
        return totals(self.desc, self.nodes, self.time_counts, costs)

    def feature_chunks(self, rows: int):
        """(lo, hi, desc, nodes, time_counts) for consecutive blocks of at most ``rows``
        rows: the totals' inputs a block at a time (an enumerated table unpacks them
        from its packed keys into one reused buffer instead of holding them all, so a
        block's arrays are valid only until the next block is asked for)."""
        for lo in range(0, len(self), rows):
            hi = min(len(self), lo + rows)
            yield lo, hi, self.desc[lo:hi], self.nodes[lo:hi], self.time_counts[lo:hi]

    def subset(self, index) -> "FeatureTable":
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        # lazy columns (enumerated tables) know how to take rows without building strings
        pick = lambda xs: xs.take(index) if hasattr(xs, "take") else [xs[i] for i in index]
        opt = lambda a: None if a is None else a[index]
        out = FeatureTable(self.layout, self.desc[index], self.nodes[index], self.time_counts[index],
                           self.signature[index], self.multiplicity[index], self.cls[index],
                           pick(self.deploy), pick(self.names), pick(self.labels), pick(self.sources),
                           self.behaviour[index], self.miss[index],
                           self.log2_multiplicity[index], opt(self.pattern), opt(self.pattern_count),
                           self.family_sizes)
        for attr in ("enumeration", "max_size", "families"):
            if hasattr(self, attr):
                setattr(out, attr, getattr(self, attr))
        if hasattr(self, "deploy_groups"):
            out.deploy_groups = pick(self.deploy_groups)
        return out


def totals(desc, nodes, time_counts, costs: CostArrays):
    """c, t (training aggregate) and deployment time of every class at every point.

    Parameters
    ----------
    desc : (n, n_items) int array
        1 where a class references a description item.
    nodes : (n, n_types) int array
        Nodes of each type.
    time_counts : (n, n_groups, n_episodes) int array
        Executions per time group and episode.
    costs : CostArrays
        Costs at K points (:meth:`Layout.cost_arrays`).

    Returns
    -------
    c, t, t_deploy : (n, K) float arrays
        t aggregates training episodes by ``costs.aggregate``; t_deploy is the weighted
        deployment time.
    """
    c = desc.astype(float) @ costs.item_c.T + nodes.astype(float) @ costs.node_c.T
    per_episode = np.einsum("nge,kge->nke", time_counts.astype(float), costs.time_unit)
    if costs.aggregate == "max":
        masked = np.where(costs.train_weight[None, :, :] > 0, per_episode, -np.inf)
        t = masked.max(axis=2)
    else:
        t = np.einsum("nke,ke->nk", per_episode, costs.train_weight)
    t_deploy = np.einsum("nke,ke->nk", per_episode, costs.deploy_weight)
    return c, t, t_deploy


def check_finite_totals(c, t, names):
    """Raise InputError when a total left the float range, naming the first such row.

    An infinite c or t would silently lose (or win) instead of telling the user that the
    cost values are too large for floating point.

    Parameters
    ----------
    c, t : float arrays
        Totals with rows first (one row per program).
    names : sequence of str
        Program names by row, for the message.
    """
    c, t = np.asarray(c, dtype=float), np.asarray(t, dtype=float)
    bad = ~np.isfinite(c) | ~np.isfinite(t)
    if bad.any():
        i = np.unravel_index(int(np.argmax(bad)), bad.shape)
        raise InputError(f"c or t of {names[i[0]]} overflows the float range (c={c[i]:g}, t={t[i]:g}); use smaller cost values")
