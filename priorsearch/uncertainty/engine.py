"""One program space, many draws: the winner, its class and the deceptive mass share.

One enumeration (or the templates table) serves every draw: c and t are dot products of
class features with the drawn costs.  Draws are processed in chunks, so memory stays
bounded whatever the number of draws; see :mod:`priorsearch.uncertainty.kernels`.

Which programs compete: the training-compatible ones at the default ``loss_price = inf``
(pass/fail); when the loss price is finite (``--set loss_price=X``) or drawn, every
program competes with score ``exchange(c, t) + loss_price * L`` (the exchange's own loss
term, :mod:`priorsearch.exchange.base`), as in ``search`` and ``phase`` at a finite price.

Masses are those of ``search`` and of the phase diagram's mass mode: bits = the
exchange's ``bits`` of the totals (loss term included), whose c includes the model's
node code (``flat`` or ``prefix``, via the cost layout), summed over the competing
classes with their multiplicities, by class (aligned, deceptive, and proxy when a
competing class is one); the deceptive mass share is deceptive / all competing mass.
"""
from __future__ import annotations

__all__ = ["SpaceEvaluator", "Draws", "CHUNK_CELLS"]

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..exchange import make_exchange
from ..features.semantics import CLASS_NAMES, DECEPTIVE
from ..phase import kernels as phase_kernels
from ..phase.rows import mass_class_codes, rows_to_score
from ..scoring.logsum import log2_sum_exp2
from ..space.programs import program_space
from .kernels import group_totals, score_draws

#: (draws x classes) cells per chunk: ~16 MB per work array
CHUNK_CELLS = 1 << 21


@dataclass
class Draws:
    """Per-draw outcomes of one program space.

    winner : (n,) int64 index into ``names`` (-1: no winner)
    deceptive : (n,) bool, the winner is deceptive
    share : (n,) float deceptive share of prior mass (NaN when masses are off)
    names, classes : the display names and classes of the programs that can win
    """

    winner: np.ndarray
    deceptive: np.ndarray
    share: np.ndarray
    names: list
    classes: list


@dataclass
class _MassGroups:
    """Competing classes merged by the features the draws price (see kernels)."""

    rep: np.ndarray        # (G,) a row of each group (into the table)
    log2_mult: np.ndarray  # (G,) log2 programs per group
    starts: np.ndarray     # (n_classes + 1,) groups of class j: starts[j]..starts[j+1]-1
    vary_c: np.ndarray     # column masks (into the c and t feature columns)
    vary_t: np.ndarray
    fixed_c: np.ndarray    # (Fc,) the column costs shared by every draw
    fixed_t: np.ndarray
    loss_cols: np.ndarray  # episodes whose loss weight is non-zero somewhere
    cand_group: np.ndarray  # (q,) the group of each class that can win
    names: list            # a program of each group, for error messages


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
        Also compute the deceptive share of prior mass (every competing class counts).
    priced : bool
        The loss price is finite in some draw (given or drawn): programs with a training
        loss compete too.
    """

    def __init__(self, model, space="templates", programs=None, max_size=9, mass=True, priced=False):
        self.model = model
        self.ex = make_exchange(None, model)
        self.table = table = program_space(model, space, programs, int(max_size))
        self.mass = bool(mass)
        self.lossy = bool(priced) and table.lossy
        competing = np.ones(len(table), dtype=bool) if self.lossy else np.asarray(table.compatible)
        behaviour = np.asarray(table.behaviour)
        # only the classes that can win are scored for the winner
        cand = np.intersect1d(rows_to_score(table, self.ex, "winner", competing, self.lossy), np.flatnonzero(competing))
        self.cand = cand.astype(np.int64)
        self.desc = np.ascontiguousarray(table.desc[cand])
        self.nodes = np.ascontiguousarray(table.nodes[cand].astype(np.int64))
        self.counts = np.ascontiguousarray(table.time_counts[cand].astype(np.int64))
        self.size = np.ascontiguousarray(table.size[cand].astype(np.int64))
        self.index = np.ascontiguousarray(cand.astype(np.int64))
        self.miss = np.asarray(table.miss, dtype=float)
        self.cand_deceptive = behaviour[cand] == DECEPTIVE
        sources = table.sources
        self.row_names = [table.names[r] or sources[r] for r in cand]
        self.row_classes = [CLASS_NAMES[int(k)] for k in behaviour[cand]]  # aligned, deceptive or proxy
        # the mass rows: every competing class, by class (aligned, deceptive, proxy)
        self.mass_rows = np.flatnonzero(competing)
        self.mass_codes = mass_class_codes(behaviour[self.mass_rows])
        self.mass_classes = tuple(CLASS_NAMES[c] for c in self.mass_codes)
        self.mass_index = np.full(len(self.mass_rows), -1, dtype=np.int64)
        for j, code in enumerate(self.mass_codes):
            self.mass_index[behaviour[self.mass_rows] == code] = j
        n = len(table)
        # the c and t feature columns (draw costs are linear in these)
        self.feat_c = np.concatenate([table.desc, table.nodes], axis=1).astype(float)
        self.feat_t = table.time_counts.reshape(n, -1).astype(float)
        self.last_groups = 0

    def parameter_kind(self, name) -> str | None:
        if name in self.ex.parameter_names:
            return "exchange"
        if name in self.model.parameters:
            return "cost"
        return None

    # ------------------------------------------------------------------ column costs

    def _column_costs(self, costs):
        """(w_c, w_t): the price of one unit of each c and t feature column, per point."""
        K = costs.item_c.shape[0]
        w_c = np.concatenate([costs.item_c, costs.node_c], axis=1)
        w_t = (costs.time_unit * costs.train_weight[:, None, :]).reshape(K, -1)
        return w_c, w_t

    def _groups(self, cost_chunks) -> _MassGroups:
        """Merge the competing classes that have equal features in every column priced
        at some draw (and the same class): they have the same c, t and loss everywhere."""
        ref = nz_c = nz_t = vary_c = vary_t = nz_loss = None
        for costs in cost_chunks:
            w_c, w_t = self._column_costs(costs)
            lw = costs.loss_weight if costs.loss_weight is not None else np.zeros_like(costs.train_weight)
            if ref is None:
                ref = (w_c[0].copy(), w_t[0].copy())
                nz_c, nz_t = np.zeros(w_c.shape[1], bool), np.zeros(w_t.shape[1], bool)
                vary_c, vary_t = nz_c.copy(), nz_t.copy()
                nz_loss = np.zeros(lw.shape[1], bool)
            nz_c |= (w_c != 0).any(axis=0)
            nz_t |= (w_t != 0).any(axis=0)
            vary_c |= (w_c != ref[0]).any(axis=0)
            vary_t |= (w_t != ref[1]).any(axis=0)
            nz_loss |= (lw != 0).any(axis=0)
        rows = self.mass_rows
        if self.table.layout.model.time_aggregate == "max":
            nz_t = np.ones_like(nz_t)  # a max over episodes: every executed count matters
        parts = [self.mass_index[:, None].astype(float), self.feat_c[rows][:, nz_c], self.feat_t[rows][:, nz_t]]
        if self.lossy:
            parts.append(self.miss[rows][:, nz_loss])
        key = np.concatenate(parts, axis=1)
        # sorted by class first: each class's groups are contiguous
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        G = len(first)
        log2_rows = np.asarray(self.table.log2_multiplicity[rows], dtype=float)  # exact counts may pass 2^1024
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(G + 1))
        log2_mult = np.array([log2_sum_exp2(log2_rows[order[bounds[g]:bounds[g + 1]]],
                                            np.ones(bounds[g + 1] - bounds[g], dtype=bool)) for g in range(G)])
        group_class = self.mass_index[first]
        starts = np.searchsorted(group_class, np.arange(len(self.mass_codes) + 1)).astype(np.int64)
        const_c, const_t = nz_c & ~vary_c, nz_t & ~vary_t
        cand_group = inverse[np.searchsorted(rows, self.cand)].astype(np.int64)  # candidates compete
        sources = self.table.sources
        return _MassGroups(rows[first].astype(np.int64), log2_mult, starts, nz_c & vary_c, nz_t & vary_t,
                           np.where(const_c, ref[0], 0.0), np.where(const_t, ref[1], 0.0), nz_loss, cand_group,
                           [sources[r] for r in rows[first]])

    def _group_totals(self, grp, costs, c, t):
        rep = grp.rep
        if self.table.layout.model.time_aggregate == "max":
            phase_kernels.class_totals(np.ascontiguousarray(self.table.desc[rep]),
                                       np.ascontiguousarray(self.table.nodes[rep].astype(np.int64)),
                                       np.ascontiguousarray(self.table.time_counts[rep].astype(np.int64)),
                                       np.ascontiguousarray(costs.item_c), np.ascontiguousarray(costs.node_c),
                                       np.ascontiguousarray(costs.time_unit), np.ascontiguousarray(costs.train_weight),
                                       True, c, t)
            return
        w_c, w_t = self._column_costs(costs)
        fc, ft = self.feat_c[rep], self.feat_t[rep]
        group_totals(np.ascontiguousarray(fc[:, grp.vary_c]), np.ascontiguousarray(w_c[:, grp.vary_c]),
                     np.ascontiguousarray(fc @ grp.fixed_c), np.ascontiguousarray(ft[:, grp.vary_t]),
                     np.ascontiguousarray(w_t[:, grp.vary_t]), np.ascontiguousarray(ft @ grp.fixed_t), c, t)

    # ------------------------------------------------------------------ draws

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
        q = len(self.cand)
        winner = np.full(n, -1, dtype=np.int64)
        if n == 0:
            return Draws(winner, np.zeros(0, dtype=bool), np.zeros(0), self.row_names, self.row_classes)
        costs_drawn = {k: v for k, v in values.items() if self.parameter_kind(k) == "cost"}
        xdrawn = {k: v for k, v in values.items() if self.parameter_kind(k) == "exchange"}
        layout = self.table.layout
        fixed_costs = None if costs_drawn else layout.cost_arrays(None)

        def chunks(per):
            for s in range(0, n, per):
                e = min(n, s + per)
                if costs_drawn:
                    yield s, e, layout.cost_arrays({name: v[s:e] for name, v in costs_drawn.items()})
                else:
                    yield s, e, fixed_costs

        # a chunk's widest arrays: the classes scored, or the per-draw cost arrays
        n_cols = self.feat_c.shape[1] + self.feat_t.shape[1] + self.miss.shape[1]
        width = max(q, n_cols, 1)
        grp = None
        if self.mass:
            grp = self._groups(costs for _, _, costs in chunks(max(1, CHUNK_CELLS // n_cols)))
            width = max(width, len(grp.rep))
            self.last_groups = len(grp.rep)  # reported by benchmarks/uncertainty.py
            log2_mass = np.full((len(self.mass_codes), n), -np.inf)
        for s, e, costs in chunks(max(1, CHUNK_CELLS // width)):
            k = e - s
            K = costs.item_c.shape[0]
            params = {name: v[s:e, None] for name, v in xdrawn.items()}
            bits, lm = np.zeros((1, 1)), np.empty((len(self.mass_codes), k))
            log2_mult, starts = np.zeros(0), np.zeros(1, dtype=np.int64)
            if grp is not None:
                G = len(grp.rep)
                cg, tg = np.empty((K, G)), np.empty((K, G))
                self._group_totals(grp, costs, cg, tg)
                self.ex.check_totals(tg.T, np.ones(G, dtype=bool), grp.names, where="")
                bits = np.ascontiguousarray(np.broadcast_to(
                    self.ex.bits(cg, tg, params, self._loss(grp.rep, costs, k)), (k, G)), dtype=float)
                log2_mult, starts = grp.log2_mult, grp.starts
                c, t = cg[:, grp.cand_group], tg[:, grp.cand_group]  # a class's totals are its group's
            else:
                c, t = np.empty((K, q)), np.empty((K, q))
                phase_kernels.class_totals(self.desc, self.nodes, self.counts, np.ascontiguousarray(costs.item_c),
                                           np.ascontiguousarray(costs.node_c), np.ascontiguousarray(costs.time_unit),
                                           np.ascontiguousarray(costs.train_weight), costs.aggregate == "max", c, t)
                self.ex.check_totals(t.T, np.ones(q, dtype=bool), self.row_names, where="")
            c = np.ascontiguousarray(np.broadcast_to(c, (k, q)))
            t = np.ascontiguousarray(np.broadcast_to(t, (k, q)))
            loss = self._loss(self.cand, costs, k)
            score = np.ascontiguousarray(np.broadcast_to(self.ex.score(c, t, params, loss), (k, q)), dtype=float)
            w = np.empty(k, dtype=np.int64)
            score_draws(score, c, t, self.size, self.index, bits, log2_mult, starts, grp is not None, w, lm)
            if self.ex.finite_scores and q and (w < 0).any():
                j = int(np.argmax(w < 0))
                at = ", ".join(f"{name}={v[s + j]:g}" for name, v in values.items())
                raise InputError(f"scores overflow the float range at draw {s + j} ({at}); use smaller values")
            winner[s:e] = w
            if grp is not None:
                log2_mass[:, s:e] = lm
            if progress is not None:
                progress(k)
        dec = np.zeros(n, dtype=bool)
        has = winner >= 0
        dec[has] = self.cand_deceptive[winner[has]]
        share = np.full(n, np.nan)
        if grp is not None:
            top = log2_mass.max(axis=0)
            with np.errstate(invalid="ignore"):
                share = np.exp2(log2_mass[self.mass_codes.index(DECEPTIVE)] - top) / np.exp2(log2_mass - top).sum(axis=0)
            share = np.where(np.isfinite(top), share, np.nan)
        return Draws(winner, dec, share, self.row_names, self.row_classes)

    def _loss(self, rows, costs, k):
        """Training loss L of ``rows`` at the chunk's draws, (k or 1, len(rows)); None when
        no loss is in play (pass/fail: the scores are the exchange's alone)."""
        if not self.lossy:
            return None
        return costs.loss_weight @ self.miss[rows].T
