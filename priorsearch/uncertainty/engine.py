"""One program space, many draws: the winner, its class and the deceptive mass share.

One enumeration (or the templates table) serves every draw: c and t are dot products of
class features with the drawn costs.  Draws are processed in chunks, so memory stays
bounded whatever the number of draws; see :mod:`priorsearch.uncertainty.kernels`.

Masses are those of ``search``: bits = the exchange's ``bits`` of the totals, whose c
includes the model's node code (``flat`` or ``prefix``, via the cost layout), summed over
training-compatible classes with their multiplicities; the deceptive mass share is
deceptive / (aligned + deceptive), as in the phase diagram's mass mode.
"""
from __future__ import annotations

__all__ = ["SpaceEvaluator", "Draws"]

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..exchange import make_exchange
from ..features.semantics import ALIGNED, CLASS_NAMES, DECEPTIVE, INCOMPATIBLE
from ..phase import kernels as phase_kernels
from ..phase.sweep import rows_to_score
from ..space.programs import program_space
from .kernels import draw_totals, score_draws

#: (draws x classes) cells per chunk: ~16 MB per work array
CHUNK_CELLS = 1 << 21


@dataclass
class Draws:
    """Per-draw outcomes of one program space.

    winner : (n,) int64 index into ``names`` (-1: no winner)
    deceptive : (n,) bool, the winner is deceptive
    share : (n,) float deceptive share of prior mass (NaN when masses are off)
    names, classes : the winning programs' display names and classes
    """

    winner: np.ndarray
    deceptive: np.ndarray
    share: np.ndarray
    names: list
    classes: list


class SpaceEvaluator:
    """Scores draws of parameter values over one model's program space.

    Parameters
    ----------
    model : CostModel
    space : {"templates", "enumerate"}
    programs : paths or Definitions or None
        The templates (default the post's three).
    max_size : int
        Size limit of the enumerated space.
    mass : bool
        Also compute the deceptive share of prior mass (scores every compatible class).
    """

    def __init__(self, model, space="templates", programs=None, max_size=9, mass=True):
        self.model = model
        self.ex = make_exchange(None, model)
        self.table = table = program_space(model, space, programs, int(max_size))
        self.mass = bool(mass)
        compatible = np.flatnonzero(table.cls != INCOMPATIBLE)
        keep = np.intersect1d(rows_to_score(table, self.ex, "winner"), compatible)
        self.rows = compatible if self.mass else keep
        self.cand = np.searchsorted(self.rows, keep).astype(np.int64)
        rows = self.rows
        self.desc = np.ascontiguousarray(table.desc[rows])
        self.nodes = np.ascontiguousarray(table.nodes[rows].astype(np.int64))
        self.counts = np.ascontiguousarray(table.time_counts[rows].astype(np.int64))
        self.size = np.ascontiguousarray(table.size[rows].astype(np.int64))
        self.index = np.ascontiguousarray(rows.astype(np.int64))
        cls = np.asarray(table.cls[rows])
        self.aligned = np.ascontiguousarray(cls == ALIGNED)
        self.deceptive = np.ascontiguousarray(cls == DECEPTIVE)
        self.log2_mult = np.asarray(table.log2_multiplicity[rows], dtype=float)  # exact counts may pass 2^1024
        self.cand_size = np.ascontiguousarray(self.size[self.cand])
        self.cand_index = np.ascontiguousarray(self.index[self.cand])
        self.cand_pos = np.arange(len(self.cand), dtype=np.int64)
        # dense float features for draw_totals (all classes scored: the mass path)
        m = len(rows)
        self.feat_c = np.ascontiguousarray(np.concatenate([self.desc, self.nodes], axis=1), dtype=float)
        self.feat_t = np.ascontiguousarray(self.counts.reshape(m, -1), dtype=float)
        self.row_names = [table.names[r] or table.sources[r] for r in rows]
        self.row_classes = [CLASS_NAMES[int(k)] for k in cls]  # aligned, deceptive or proxy

    def parameter_kind(self, name) -> str | None:
        if name in self.ex.parameter_names:
            return "exchange"
        if name in self.model.parameters:
            return "cost"
        return None

    def _totals(self, costs, c, t):
        if self.mass and costs.aggregate == "mean":
            K = costs.item_c.shape[0]
            w_c = np.concatenate([costs.item_c, costs.node_c], axis=1)
            w_t = (costs.time_unit * costs.train_weight[:, None, :]).reshape(K, -1)
            # columns priced 0 at every draw of the chunk (free nodes, deployment
            # episodes) add nothing: skip them
            keep_c, keep_t = (w_c != 0).any(axis=0), (w_t != 0).any(axis=0)
            draw_totals(np.ascontiguousarray(self.feat_c[:, keep_c]), np.ascontiguousarray(w_c[:, keep_c]),
                        np.ascontiguousarray(self.feat_t[:, keep_t]), np.ascontiguousarray(w_t[:, keep_t]), c, t)
        else:
            phase_kernels.class_totals(self.desc, self.nodes, self.counts, np.ascontiguousarray(costs.item_c),
                                       np.ascontiguousarray(costs.node_c), np.ascontiguousarray(costs.time_unit),
                                       np.ascontiguousarray(costs.train_weight), costs.aggregate == "max", c, t)

    def evaluate(self, values: dict, n: int, progress=None) -> Draws:
        """Outcomes of ``n`` draws.

        Parameters
        ----------
        values : dict
            Parameter name -> (n,) array; missing parameters keep the model's values.
        n : int
        progress : callable or None
            Called with the number of draws done after each chunk.

        Returns
        -------
        Draws
        """
        m = len(self.rows)
        winner = np.full(n, -1, dtype=np.int64)
        log2_mass = np.full((2, n), -np.inf)
        costs_drawn = {k: v for k, v in values.items() if self.parameter_kind(k) == "cost"}
        xdrawn = {k: v for k, v in values.items() if self.parameter_kind(k) == "exchange"}
        per = max(1, CHUNK_CELLS // max(m, 1))
        layout = self.table.layout
        fixed_costs = None if costs_drawn else layout.cost_arrays(None)
        for s in range(0, n, per):
            e = min(n, s + per)
            k = e - s
            if costs_drawn:
                costs = layout.cost_arrays({name: v[s:e] for name, v in costs_drawn.items()})
                K = k
            else:
                costs, K = fixed_costs, 1
            c = np.empty((K, m))
            t = np.empty((K, m))
            self._totals(costs, c, t)
            self.ex.check_totals(t.T, np.ones(m, dtype=bool), self.row_names, where="")
            if K == 1:
                c = np.ascontiguousarray(np.broadcast_to(c, (k, m)))
                t = np.ascontiguousarray(np.broadcast_to(t, (k, m)))
            params = {name: v[s:e, None] for name, v in xdrawn.items()}
            bits = (np.ascontiguousarray(np.broadcast_to(self.ex.bits(c, t, params), (k, m)), dtype=float)
                    if self.mass else np.zeros((1, 1)))
            # only the classes that can win are scored
            cc, tc = np.ascontiguousarray(c[:, self.cand]), np.ascontiguousarray(t[:, self.cand])
            q = len(self.cand)
            score = np.ascontiguousarray(np.broadcast_to(self.ex.score(cc, tc, params), (k, q)), dtype=float)
            w = np.empty(k, dtype=np.int64)
            lm = np.empty((2, k))
            score_draws(score, cc, tc, self.cand_size, self.cand_index, self.cand_pos, bits, self.aligned,
                        self.deceptive, self.log2_mult, self.mass, w, lm)
            w = np.where(w >= 0, self.cand[np.maximum(w, 0)], -1)
            if self.ex.finite_scores and len(self.cand) and (w < 0).any():
                j = int(np.argmax(w < 0))
                at = ", ".join(f"{name}={v[s + j]:g}" for name, v in values.items())
                raise InputError(f"scores overflow the float range at draw {s + j} ({at}); use smaller values")
            winner[s:e] = w
            log2_mass[:, s:e] = lm
            if progress is not None:
                progress(k)
        dec = np.zeros(n, dtype=bool)
        has = winner >= 0
        dec[has] = self.deceptive[winner[has]]
        if self.mass:
            a, d = log2_mass
            top = np.maximum(a, d)
            with np.errstate(invalid="ignore"):
                share = np.exp2(d - top) / (np.exp2(a - top) + np.exp2(d - top))
            share = np.where(np.isfinite(top), share, np.nan)
        else:
            share = np.full(n, np.nan)
        return Draws(winner, dec, share, self.row_names, self.row_classes)
