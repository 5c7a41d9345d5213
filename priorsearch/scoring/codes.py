"""Which code a mass is measured in, whether its masses converge, and a tail bound.

A program's prior weight is 2^-bits with bits = c + h(t) (h(t) = t/g for the linear
exchange).  Its c includes, per node, ``node_bits`` and under ``code = "prefix"``
log2(number of productions of the node's type).  Drop everything but those code bits
and the weights are a *branching process*: a node of type T picks each production with
weight w_T = 2^-node_bits (/ #productions of T under prefix), and its children are
independent subtrees.  With W_T(n) the total code weight of T-programs of n nodes,

    W_T(n) = sum over productions p of T: w_T * sum over child sizes: prod W_arg(s)
    q_T    = sum_n W_T(n)   (the smallest fixed point of q_T = sum_p w_T prod q_arg)

The code is *convergent* when that fixed point is finite: then the mass over programs
up to N nodes approaches a limit as N grows.  Under the flat code with node_bits = 0
every w_T is 1 and the sums diverge (the masses grow with --max-size); the prefix code
has q_T <= 1 (a prefix-free code: Kraft's inequality).

The tail bound.  Every Policy program pays at least LBc item bits (the costliest single
node's items: items are paid once, so a program pays at least any one node's) and at
least LBt time (executed nodes' times add: all arguments of a primitive run, an ``if``
runs its condition and one branch).  For exchanges of the form bits = c + h(t), h
increasing (linear, levin, power, cap), the mass of programs larger than N is at most

    2^-(LBc + h(LBt))  *  (u_Policy - sum_{n <= N} W_Policy(n))

where u >= q is certified by F(u) <= u (F the fixed-point map: then F^k(0) <= u for
every k).  Multiplicities are in it: a family's K members are K productions.  The
report gives the smaller of that and :func:`priorsearch.scoring.tail.size_tail_bound`,
which follows items, executed time and compatibility through the grammar (far tighter:
-272.7 instead of -254 bits on the post at 9 nodes, prefix code, g = 1).
"""
from __future__ import annotations

__all__ = ["CodeReport", "code_report", "CODES"]

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..model.cost_model import TYPES
from ..space.counting import compositions
from .tail import size_tail_bound

CODES = ("flat", "prefix")
#: exchanges whose bits are c + h(t) with h increasing (the tail bound's assumption)
_SEPARABLE = ("linear", "levin", "power", "cap")


@dataclass(frozen=True)
class CodeReport:
    """The code of a mass output and what can be said about its convergence."""

    code: str
    node_bits: float
    convergent: bool
    max_size: int
    tail_log2_bound: float | None   # log2 upper bound on the mass of programs > max_size

    def describe(self) -> str:
        return f"code {self.code}, node_bits {self.node_bits:g}"

    @property
    def warning(self) -> str | None:
        if self.convergent:
            return None
        return (f"warning: under {self.describe()} the masses grow with --max-size (the code's weights do not "
                f"converge); use --code prefix for masses that converge")

    def to_json(self) -> dict:
        bound = self.tail_log2_bound
        return {"code": self.code, "node_bits": self.node_bits, "convergent": self.convergent,
                "tail_log2_bound": None if bound is None or not math.isfinite(bound) else bound,
                "tail_above_nodes": self.max_size}


def code_report(layout, max_size: int, exchange=None, costs=None) -> CodeReport:
    """What can be said about the masses of ``layout``'s model under its code.

    Parameters
    ----------
    layout : Layout
        The layout (of an enumeration's reduced model, or of a model).
    max_size : int
        The size limit of the masses; the tail bound is about programs larger.
    exchange : Exchange, optional
        The exchange turning totals into bits (the tail bound needs one of the form
        c + h(t)); without it, no bound.
    costs : CostArrays, optional
        Costs at the point (default: the model's parameters).

    Returns
    -------
    CodeReport
    """
    model = layout.model
    weights, prods = production_weights(layout)
    node_bits = float(model.node_bits.evaluate(dict(model.parameters)))
    u = _certified_total(weights, prods)
    if u is None:
        return CodeReport(model.code, node_bits, False, max_size, None)
    policy = 2

    def remainder(size):
        """Upper bound on the code weight of Policy programs larger than ``size``."""
        W = _weights_by_size(weights, prods, size)
        tail = max(float(u[policy]) - math.fsum(W[policy][1:]), 0.0)
        # float rounding of u - partial sums: never report less than a few ulps of u
        return tail + 8 * np.finfo(float).eps * float(u[policy])

    bound = None
    if exchange is not None and getattr(exchange, "name", None) in _SEPARABLE:
        costs = costs if costs is not None else layout.cost_arrays()
        lbc, lbt = cost_lower_bounds(layout, costs)
        try:
            with np.errstate(all="ignore"):
                floor = float(np.asarray(exchange.bits(np.array([lbc]), np.array([lbt]))).reshape(-1)[0])
        except InputError:  # no masses at these parameters (e.g. g = 0): no bound either
            floor = math.nan
        if math.isfinite(floor):
            tail = remainder(max_size)
            bound = math.log2(tail) - floor if tail > 0 else -math.inf
            sized = size_tail_bound(layout, costs, exchange, max_size, lbt)
            if sized is not None:
                bound = min(bound, sized)
    return CodeReport(model.code, node_bits, True, max_size, bound)


def production_weights(layout):
    """(per-type node weight w_T, [(type, weight, argtypes)]) of the code's branching process."""
    model = layout.model
    node_bits = float(model.node_bits.evaluate(dict(model.parameters)))
    sizes = getattr(model, "counted_family_sizes", None) or model.family_sizes
    w = np.full(3, 2.0 ** -node_bits)
    if model.code == "prefix":
        w = w / np.array([float(n) for n in layout.choices])
    prods = []
    for p in model.base_primitives:
        prods.append((TYPES.index(p.type), float(w[TYPES.index(p.type)]), tuple(TYPES.index(a) for a in p.args)))
    for fam in model.families:
        p = fam.template
        t = TYPES.index(p.type)
        prods.append((t, float(w[t]) * float(sizes[fam.name]), tuple(TYPES.index(a) for a in p.args)))
    bool_t = TYPES.index("Bool")
    for t in range(3):
        prods.append((t, float(w[t]), (bool_t, t, t)))
    return w, prods


def _apply(weights, prods, q):
    out = np.zeros(3)
    for t, w, args in prods:
        term = w
        for a in args:
            term *= q[a]
        out[t] += term
    return out


def _certified_total(weights, prods):
    """u >= the least fixed point with F(u) <= u, or None when none is found (divergent)."""
    q = np.zeros(3)
    for _ in range(20000):
        nxt = _apply(weights, prods, q)
        if not np.isfinite(nxt).all() or nxt.max() > 1e12:
            return None
        if np.allclose(nxt, q, rtol=1e-14, atol=0):
            q = nxt
            break
        q = nxt
    # step off q along (I - J)^-1 1, J the Jacobian of F at q: F(q + d) ~ q + J d < q + d
    h = 1e-7
    J = np.empty((3, 3))
    base = _apply(weights, prods, q)
    for k in range(3):
        e = q.copy()
        e[k] += h
        J[:, k] = (_apply(weights, prods, e) - base) / h
    try:
        direction = np.linalg.solve(np.eye(3) - J, np.ones(3))
    except np.linalg.LinAlgError:
        direction = np.ones(3)
    if not (direction > 0).all():
        direction = np.ones(3)
    for eps in (1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2):
        u = q + eps * direction
        if (_apply(weights, prods, u) <= u).all():
            return u
    return None


def _weights_by_size(weights, prods, max_size):
    W = [[0.0] * (max_size + 1) for _ in range(3)]
    for n in range(1, max_size + 1):
        for t, w, args in prods:
            total = 0.0
            for sizes in compositions(n - 1, len(args)):
                term = w
                for a, s in zip(args, sizes):
                    term *= W[a][s]
                    if term == 0.0:
                        break
                total += term
            W[t][n] += total
    return W


def cost_lower_bounds(layout, costs):
    """(LBc, LBt): item bits and training time every Policy program pays at least."""
    item_c = costs.item_c[0]
    unit = costs.time_unit[0]          # (groups, episodes)
    weight = costs.train_weight[0]
    E = len(layout.episodes)
    prods = []                        # (type, own c, own time per episode, argtypes, is_if)
    for p, prim in enumerate(layout.primitives):
        own_t = unit[layout.prim_group[p]] if layout.prim_group[p] >= 0 else np.zeros(E)
        args = tuple(int(layout.prim_argtypes[p, k]) for k in range(int(layout.prim_arity[p])))
        prods.append((int(layout.prim_type[p]), float(item_c[layout.prim_items[p]].sum()), own_t, args, False))
    for t in range(3):
        prods.append((t, 0.0, np.zeros(E), (1, t, t), True))
    lbc = [math.inf] * 3
    lbt = [np.full(E, np.inf) for _ in range(3)]
    for _ in range(64):
        changed = False
        for t, c, own_t, args, is_if in prods:
            cand = max([c] + [lbc[a] for a in args])
            if cand < lbc[t]:
                lbc[t], changed = cand, True
            if is_if:
                tt = own_t + lbt[1] + lbt[t]
            else:
                tt = own_t + sum((lbt[a] for a in args), np.zeros(E))
            better = tt < lbt[t]
            if better.any():
                lbt[t] = np.where(better, tt, lbt[t])
                changed = True
        if not changed:
            break
    time = float(np.dot(weight, np.where(np.isfinite(lbt[2]), lbt[2], 0.0)))
    return lbc[2], time
