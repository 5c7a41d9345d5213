"""The linear cost-feature layout of a model.

Every program's c and t are dot products of integer *features* with cost vectors that
depend on the parameters:

* description items — each primitive, each shared component, and for a per-objective
  component one item per objective: c = sum of c(item) over the items referenced (each
  once) + node cost per node (``node_bits``, plus log2(choices) under a prefix code);
* time groups — primitives whose time expressions coincide share a column; t in episode
  e = sum over groups of (executions in e) x (time of one execution in e).

So one enumeration (or one set of templates) serves every point of a cost sweep: only
:meth:`Layout.cost_arrays` depends on the parameters.  The integer tables here are also
what the Numba kernels receive — no Python objects cross into them.
"""
from __future__ import annotations

__all__ = ["Layout", "CostArrays", "OP_TABLE", "OP_NOT", "OP_AND", "OP_OR", "TYPE_INDEX"]

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..model.cost_model import CostModel
from ..model.parts import BASE, TYPES, _is_arg, arg_index, check_training_weights
from ..errors import suggest

OP_TABLE, OP_NOT, OP_AND, OP_OR = 0, 1, 2, 3
TYPE_INDEX = {t: i for i, t in enumerate(TYPES)}
#: marks a table entry that is a constant rather than an argument
CONST = -1


@dataclass(frozen=True)
class CostArrays:
    """Costs at K parameter points.

    Attributes
    ----------
    item_c : (K, n_items) float array
        c of each description item.
    node_c : (K, n_types) float array
        Bits per node of each type.
    time_unit : (K, n_groups, n_episodes) float array
        Time of one execution of a group in an episode.
    train_weight : (K, n_episodes) float array
        Normalised weights of training episodes (0 elsewhere).
    deploy_weight : (K, n_episodes) float array
        Normalised weights of deployment episodes.
    aggregate : str
        How training episodes combine into t: ``"mean"`` (weighted) or ``"max"``.
    loss_weight : (K, n_episodes) float array or None
        What missing each checked training episode adds to the training loss L: weight x
        loss amount / total weight of the checked training episodes (0 elsewhere), so L
        is the sum over the episodes missed.
    """

    item_c: np.ndarray
    node_c: np.ndarray
    time_unit: np.ndarray
    train_weight: np.ndarray
    deploy_weight: np.ndarray
    aggregate: str  # "mean" or "max"
    loss_weight: np.ndarray | None = None

    @property
    def n_points(self) -> int:
        return self.item_c.shape[0]


class Layout:
    """Feature layout and semantic tables of ``model`` (see module docstring).

    Parameters
    ----------
    model : CostModel
        The model whose primitives, components and episodes define the description items,
        time groups and the per-episode value tables.
    """

    def __init__(self, model: CostModel):
        self.model = model
        self.objectives = model.objectives
        self.objective_index = {o: i for i, o in enumerate(self.objectives)}
        self.episodes = model.episodes
        E = len(self.episodes)
        self.is_train = np.array([e.phase == "train" for e in self.episodes])
        self.is_checked = np.array([e.phase == "train" and e.checked for e in self.episodes])
        # objectives x episodes: pursuing it there is indistinguishable from pursuing base
        self.agrees = np.zeros((len(self.objectives), E), dtype=bool)
        self.agrees[self.objective_index[BASE], :] = True
        for decl in model.declared_objectives.values():
            if decl.name in self.objective_index:
                for k, ep in enumerate(self.episodes):
                    self.agrees[self.objective_index[decl.name], k] = decl.agrees_in(ep)
        self.episode_loss = np.array([e.loss for e in self.episodes], dtype=float)
        self.primitives = tuple(model.primitives.values())
        self.prim_index = {p.name: i for i, p in enumerate(self.primitives)}
        P = len(self.primitives)

        # description items: primitives, then flat components, then per-objective ones
        self.item_names = [p.name for p in self.primitives]
        self.item_exprs = [p.c for p in self.primitives]
        self.component_item = {}
        for comp in model.components.values():
            if not comp.per_objective:
                self.component_item[comp.name] = len(self.item_names)
                self.item_names.append(comp.name)
                self.item_exprs.append(comp.c)
        self.per_objective_item = {}
        for comp in model.components.values():
            if comp.per_objective:
                for obj in self.objectives:
                    self.per_objective_item[(comp.name, obj)] = len(self.item_names)
                    self.item_names.append(f"{comp.name}[{obj}]")
                    self.item_exprs.append(comp.c)
        self.n_items = len(self.item_names)

        # time groups: identical per-episode time expressions share a column; primitives
        # whose time is the constant 0 everywhere need none
        groups: dict[tuple, int] = {}
        self.prim_group = np.full(P, -1, dtype=np.int64)
        for i, p in enumerate(self.primitives):
            key = tuple(p.time_in(e) for e in self.episodes)
            if all(x.is_constant() and float(x.evaluate({})) == 0.0 for x in key):
                continue
            self.prim_group[i] = groups.setdefault(key, len(groups))
        self.group_exprs = list(groups)
        self.group_names = [
            "+".join(p.name for i, p in enumerate(self.primitives) if self.prim_group[i] == g)
            for g in range(len(groups))
        ]
        self.n_groups = len(groups)

        # semantic tables (what each primitive evaluates to in each episode)
        self.prim_type = np.array([TYPE_INDEX[p.type] for p in self.primitives], dtype=np.int64)
        self.prim_arity = np.array([len(p.args) for p in self.primitives], dtype=np.int64)
        max_arity = max([len(p.args) for p in self.primitives] + [1])
        self.prim_argtypes = np.full((P, max_arity), -1, dtype=np.int64)
        self.prim_op = np.zeros(P, dtype=np.int64)
        self.table_arg = np.full((P, E), CONST, dtype=np.int64)
        self.table_value = np.zeros((P, E), dtype=np.int64)
        for i, p in enumerate(self.primitives):
            for j, a in enumerate(p.args):
                self.prim_argtypes[i, j] = TYPE_INDEX[a]
            self.prim_op[i] = {"not": OP_NOT, "and": OP_AND, "or": OP_OR}.get(p.kind, OP_TABLE)
            for k, ep in enumerate(self.episodes):
                if p.kind == "objective":
                    self.table_value[i, k] = self.objective_index[p.objective]
                elif p.kind == "flag":
                    self.table_value[i, k] = int(ep.name in p.true_in or ep.phase in p.true_in)
                elif p.kind in ("pursue", "play_along", "select"):
                    v = p.value_in(ep)
                    if _is_arg(v):
                        self.table_arg[i, k] = arg_index(v)
                    else:
                        self.table_value[i, k] = self.objective_index[v]
        # items a node of each primitive always references, and its per-objective comps
        self.prim_items = [
            [i] + [self.component_item[c] for c in p.components if c in self.component_item]
            for i, p in enumerate(self.primitives)
        ]
        self.prim_per_objective = [
            [c for c in p.components if model.components[c].per_objective] for p in self.primitives
        ]
        # per-objective item index table: (P, n_objectives, max comps) for the kernels
        # productions per type (primitives + if), with every member of a family counted
        # (model.primitives lists at most EXPLICIT_MEMBERS of them; an enumeration's
        # reduced model sets counted_family_sizes to the real counts): exact ints
        sizes = getattr(model, "counted_family_sizes", None) or model.family_sizes
        counted = [sum(1 for p in model.base_primitives if p.type == t) + 1 for t in TYPES]
        for fam in model.families:
            counted[TYPES.index(fam.template.type)] += int(sizes[fam.name])
        self.choices = np.array(counted, dtype=object if max(counted) > 2 ** 62 else np.int64)
        self.log2_choices = np.array([math.log2(n) for n in counted])

    # ------------------------------------------------------------------ helpers

    def per_objective_items(self, prim: int, objectives) -> list[int]:
        """Items paid by a node of primitive ``prim`` that pursues ``objectives``."""
        out = []
        for comp in self.prim_per_objective[prim]:
            for obj in sorted(set(objectives)):
                out.append(self.per_objective_item[(comp, self.objectives[obj])])
        return out

    @property
    def base(self) -> int:
        """Index of the objective ``base`` in ``objectives``."""
        return self.objective_index[BASE]

    def grid_env(self, points=None) -> dict:
        """Parameter values as arrays of length K (default: the model's own point)."""
        env = {k: np.array([v]) for k, v in self.model.parameters.items()}
        if points:
            lengths = {len(np.atleast_1d(v)) for v in points.values()}
            if len(lengths) != 1:
                raise InputError("parameter arrays of a sweep must have equal lengths")
            n = lengths.pop()
            env = {k: np.full(n, v[0]) for k, v in env.items()}
            for k, v in points.items():
                if k not in env:
                    raise InputError(f"unknown parameter {k!r}{suggest(k, env)}")
                env[k] = np.asarray(v, dtype=float).reshape(n)
        return env

    def log2_choices_at(self, env, n_points) -> np.ndarray:
        """(n_points, n_types) log2 productions per type under the prefix code.

        A family's count may vary over the points (a sweep over K): then its members
        are counted at each point (whole numbers, as the family's count must be).
        """
        model = self.model
        families = getattr(model, "counted_families", None) or model.families
        swept = [f for f in families if any(np.ndim(env.get(p, 0)) and len(set(np.atleast_1d(env[p]))) > 1
                                                   for p in f.count.params)]
        if not swept:
            return np.broadcast_to(self.log2_choices[None, :], (n_points, len(TYPES)))
        sizes = getattr(model, "counted_family_sizes", None) or model.family_sizes
        counted = np.zeros((n_points, len(TYPES)))
        for t, name in enumerate(TYPES):
            counted[:, t] = sum(1 for p in model.base_primitives if p.type == name) + 1
        for fam in families:
            t = TYPES.index(fam.template.type)
            if fam in swept:
                counted[:, t] += np.rint(np.broadcast_to(np.asarray(fam.count.evaluate(env), dtype=float), (n_points,)))
            else:
                counted[:, t] += float(sizes[fam.name])
        return np.log2(counted)

    def cost_arrays(self, points=None, check=True) -> CostArrays:
        """Evaluate every cost at K parameter points.

        ``points`` maps parameter names to arrays of length K (others keep the model's
        values).  With ``check``, a negative or non-finite cost is an InputError naming
        the offending value.
        """
        env = self.grid_env(points)
        K = len(next(iter(env.values()))) if env else 1

        def ev(expr, what):
            value = np.broadcast_to(np.asarray(expr.evaluate(env), dtype=float), (K,)).copy()
            if check:
                bad = ~np.isfinite(value) | (value < 0)
                if bad.any():
                    j = int(np.argmax(bad))
                    at = ", ".join(f"{k}={env[k][j]:g}" for k in sorted(expr.params))
                    raise InputError(f"{what} = {expr} = {value[j]:g} at {at or 'the given parameters'}: costs must be finite and >= 0")
            return value

        item_c = np.stack([ev(e, f"c({n})") for n, e in zip(self.item_names, self.item_exprs)], axis=1) if self.n_items else np.zeros((K, 0))
        node_bits = ev(self.model.node_bits, "node_bits")
        node_c = np.repeat(node_bits[:, None], len(TYPES), axis=1)
        if self.model.code == "prefix":
            node_c = node_c + self.log2_choices_at(env, K)
        E = len(self.episodes)
        time_unit = np.zeros((K, self.n_groups, E))
        for g, exprs in enumerate(self.group_exprs):
            for e, expr in enumerate(exprs):
                time_unit[:, g, e] = ev(expr, f"t({self.group_names[g]}) in episode {self.episodes[e].name}")
        weights = np.stack([ev(ep.weight, f"weight of episode {ep.name}") for ep in self.episodes], axis=1)
        if check:
            swept = sorted({k for ep in self.episodes for k in ep.weight.params})
            check_training_weights(self.episodes, weights,
                                   lambda j: " at " + ", ".join(f"{k}={env[k][j]:g}" for k in swept) if swept else "")
        train_w = np.where(self.is_train[None, :], weights, 0.0)
        deploy_w = np.where(~self.is_train[None, :], weights, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            train_w = train_w / train_w.sum(axis=1, keepdims=True)
            dsum = deploy_w.sum(axis=1, keepdims=True)
            deploy_w = np.where(dsum > 0, deploy_w / np.where(dsum > 0, dsum, 1), 0.0)
        if check and not np.isfinite(train_w).all():
            raise InputError("training episode weights must sum to a positive number")
        checked_w = np.where(self.is_checked[None, :], weights, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            csum = checked_w.sum(axis=1, keepdims=True)
            loss_w = np.where(csum > 0, checked_w * self.episode_loss[None, :] / np.where(csum > 0, csum, 1), 0.0)
        return CostArrays(item_c, node_c, time_unit, train_w, deploy_w, self.model.time_aggregate, loss_w)
