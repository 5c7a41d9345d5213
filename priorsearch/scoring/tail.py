"""An upper bound on the prior mass of programs larger than N nodes, from the grammar.

A program x weighs 2^-bits(x) with bits = c + h(t), c = its code bits (per node,
``node_c`` of its type) plus its items (each paid once) and t its training time.  The
bound is a dynamic programme over the grammar, by type and size, of

    S(n) = sum over Policy programs x of n nodes of 2^-code(x) * prod_{i in I(x)} a_i * 2^-h1 t(x)

with a_i = 2^-c_i for the (up to :data:`TRACKED_ITEMS` costliest) items I(x) a program
references.  Items are paid once, so that product does not factor over nodes; but it
is the probability that a random set R, holding each item i independently with
probability a_i, contains I(x).  Hence S(n) = sum_R P(R) S_R(n), where S_R counts only
programs whose nodes all use items in R: a plain generating function per R, computed
for every R at once (one vector entry per subset).

Time: all arguments of a primitive run, an ``if`` runs its condition and one branch.  With
a linear h (h(t) = h(0) + h1 t) and at most :data:`TRACKED_EPISODES` training episodes,
the programme tracks in which training episodes a subtree runs (and, for Bool
subtrees, their value there, which decides an ``if``'s branch), so each executed node
pays its time exactly.  Otherwise time enters through the lower bound LBt every
program pays (:func:`priorsearch.scoring.codes.cost_lower_bounds`) and h increasing.

With values tracked (a bit per training episode: a Bool is true, an objective agrees
with base there) the programme also knows which Policy programs are compatible, so at
an infinite loss price it bounds the mass of those only, the mass ``search`` reports.

All sizes at once: per subset R the weights V_R(n) of n-node programs (n <= N) and the
total q_R over every size are generating-function values of one branching system; q_R
is bounded by a certified u_R >= q_R (F(u) <= u, as in :mod:`.codes`), so the mass
above N is at most sum_R P(R) (u_R - sum_{n <= N} V_R(n)) 2^-(untracked item bits).

Items not tracked, per-objective components and the loss term are left out: they only
add bits, so the bound stays an upper bound.
"""
from __future__ import annotations

__all__ = ["size_tail_bound", "TRACKED_ITEMS", "TRACKED_EPISODES"]

import itertools
import math

import numpy as np

from ..features.layout import CONST, OP_AND, OP_NOT, OP_OR, OP_TABLE, TYPE_INDEX

#: items tracked exactly (2^this subsets)
TRACKED_ITEMS = 10
#: training episodes whose execution is tracked exactly
TRACKED_EPISODES = 2

_BOOL = TYPE_INDEX["Bool"]
_IF = -1


def _productions(layout, node_c):
    """[(type, weight, items, time group, argtypes, op, prim index)] with a family's
    members as one production of weight K x the node weight, or None when the
    model's primitives are not all found (then no per-size bound)."""
    model = layout.model
    index = layout.prim_index
    sizes = getattr(model, "counted_family_sizes", None) or model.family_sizes
    out = []
    chosen = [(p.name, 1) for p in model.base_primitives]
    for fam in model.families:
        chosen.append((fam.member(1).name, int(sizes[fam.name])))
    for name, count in chosen:
        if name not in index:
            return None
        i = index[name]
        t = int(layout.prim_type[i])
        args = tuple(int(layout.prim_argtypes[i, k]) for k in range(int(layout.prim_arity[i])))
        out.append((t, float(count) * 2.0 ** -node_c[t], list(layout.prim_items[i]), int(layout.prim_group[i]),
                    args, int(layout.prim_op[i]), i))
    for t in range(3):
        out.append((t, 2.0 ** -node_c[t], [], -1, (_BOOL, t, t), _IF, -1))
    return out


def _untracked_lower_bound(prods, cost):
    """Item bits every Policy program pays at least, counting ``cost`` per item (the
    costliest single node's: items are paid once)."""
    lb = [math.inf] * 3
    for _ in range(64):
        changed = False
        for t, _, items, _, args, _, _ in prods:
            cand = max([sum(cost[i] for i in items)] + [lb[a] for a in args])
            if cand < lb[t]:
                lb[t], changed = cand, True
        if not changed:
            break
    return lb[2]


def size_tail_bound(layout, costs, exchange, max_size, lbt, per_size=None):
    """log2 of an upper bound on the mass of programs of max_size+1 nodes or more.

    Parameters
    ----------
    layout : Layout
        The layout whose programs are bounded.
    costs : CostArrays
        Costs at one point.
    exchange : Exchange
        An exchange with bits = c + h(t), h increasing.
    max_size : int
        N: programs larger are bounded.
    lbt : float
        Training time every Policy program pays at least
        (:func:`priorsearch.scoring.codes.cost_lower_bounds`; used when time is not tracked).
    per_size : list, optional
        Receives, for n = 1..N, log2 of the programme's bound on the mass of the
        programs of n nodes (equal to it when every item is tracked, time and values
        are tracked and no per-objective component is priced; tests check that).

    Returns
    -------
    float or None
        None when the model is outside the assumptions (negative costs, a primitive not
        found); the caller keeps its cruder bound.
    """
    item_c = np.asarray(costs.item_c[0], dtype=float)
    node_c = np.asarray(costs.node_c[0], dtype=float)
    unit = np.asarray(costs.time_unit[0], dtype=float)
    if (item_c < 0).any() or (node_c < 0).any() or (unit < 0).any() or not np.isfinite(item_c).all():
        return None
    prods = _productions(layout, node_c)
    if prods is None:
        return None
    with np.errstate(all="ignore"):
        h = lambda t: float(np.asarray(exchange.bits(np.array([0.0]), np.array([float(t)]))).reshape(-1)[0])
        h0 = h(0.0)
        h1 = h(1.0) - h0
        linear = math.isfinite(h0) and h1 > 0 and all(
            math.isclose(h(x) - h0, h1 * x, rel_tol=1e-12) for x in (2.0, 10.0, 1000.0))
    # the items tracked: the costliest ones with c > 0
    used = sorted({i for p in prods for i in p[2] if item_c[i] > 0}, key=lambda i: (-item_c[i], i))
    tracked = used[:TRACKED_ITEMS]
    bit = {i: k for k, i in enumerate(tracked)}
    untracked_cost = np.where(np.isin(np.arange(len(item_c)), tracked), 0.0, item_c)
    lbu = _untracked_lower_bound(prods, untracked_cost)
    R = 1 << len(tracked)
    subsets = np.arange(R)
    a = 2.0 ** -item_c[tracked] if tracked else np.zeros(0)
    p_subset = np.ones(R)
    for k in range(len(tracked)):
        has = (subsets >> k) & 1
        p_subset *= np.where(has == 1, a[k], 1.0 - a[k])
    # training episodes and their weights in t (max aggregate: t >= the plain mean)
    weight = np.asarray(costs.train_weight[0], dtype=float)
    if costs.aggregate == "max":
        weight = np.where(weight > 0, 1.0 / max(int((weight > 0).sum()), 1), 0.0)
    train = [e for e in range(len(layout.episodes)) if layout.is_train[e]]
    track_time = linear and len(train) <= TRACKED_EPISODES and _values_follow_types(layout, prods)
    if not track_time:
        train = []
    m = len(train)
    nA = 1 << m
    full = nA - 1
    sigma_of = {}   # Bool leaf/table prims: episodes (bits of ``train``) where the value is 1

    def own(p, A):
        """weight x allowed subsets x time factor of one node of production p run in A."""
        t, w, items, group, _, _, _ = p
        mask = 0
        for i in items:
            if i in bit:
                mask |= 1 << bit[i]
        vec = np.where((subsets & mask) == mask, w, 0.0)
        if track_time and group >= 0:
            tt = sum(weight[e] * unit[group, e] for j, e in enumerate(train) if (A >> j) & 1)
            vec = vec * 2.0 ** (-h1 * tt)
        return vec

    N = max_size
    nS = [nA, nA, nA]   # a subtree's value bits: Bool true / objective agrees with base
    states = [(t, A, v) for t in range(3) for A in range(nA) for v in range(nS[t])]
    where = {st: k for k, st in enumerate(states)}
    own_vec = {(q, A): own(p, A) for q, p in enumerate(prods) for A in range(nA)}

    def accumulate(out, combine, leaves):
        """out[state] += every production's node weight x combine(its children's states)."""
        for q, p in enumerate(prods):
            t, _, _, _, args, op, prim = p
            if not args and not leaves:
                continue
            for A in range(nA):
                base = own_vec[(q, A)]
                if not base.any():
                    continue
                if op == _IF:
                    for sc in range(nA):
                        ta, ea = A & sc, A & ~sc & full
                        for s1 in range(nA):
                            for s2 in range(nA):
                                out_s = (sc & s1) | (~sc & s2 & full)
                                out[where[(t, A, out_s)]] += base * combine(((_BOOL, A, sc), (t, ta, s1), (t, ea, s2)))
                elif not args:
                    out[where[(t, A, _leaf_value(layout, prim, t, train))]] += base
                else:
                    read = _args_read(layout, prim, op, len(args), train)
                    for values in itertools.product(*[range(nA) if k in read else [None] for k in range(len(args))]):
                        out_s = _node_value(layout, prim, t, op, values, train, full)
                        out[where[(t, A, out_s)]] += base * combine(tuple((b, A, v) for b, v in zip(args, values)))

    def value(x, state):
        t, A, v = state
        if v is None:   # any value (the parent does not look at it)
            return sum(x[where[(t, A, w)]] for w in range(nS[t]))
        return x[where[state]]

    # V[n]: (states, R) weights of programs of n nodes, n <= N
    V = np.zeros((N + 1, len(states), R))
    conv_cache = {}

    def conv(sts, total):
        """sum over sizes s_1 + ... + s_k = total (each >= 1) of prod V[s_i][state_i]."""
        key = (sts, total)
        if key not in conv_cache:
            if len(sts) == 1:
                out = value(V[total], sts[0]) if total >= 1 else np.zeros(R)
            else:
                out = np.zeros(R)
                for s_ in range(1, total - len(sts) + 2):
                    out = out + value(V[s_], sts[0]) * conv(sts[1:], total - s_)
            conv_cache[key] = out
        return conv_cache[key]

    for n in range(1, N + 1):
        accumulate(V[n], lambda sts: conv(sts, n - 1), n == 1)

    def F(x):
        out = np.zeros_like(x)
        accumulate(out, lambda sts: np.prod([value(x, st) for st in sts], axis=0), True)
        return out

    u = _certified_fixed_point(F, (len(states), R))
    if u is None:
        return None
    # the Policy programs whose mass is reported: run in every training episode, and
    # (at an infinite loss price) compatible: agreeing with base in every checked one
    checked = 0
    if getattr(exchange, "loss_price", math.inf) == math.inf:
        for j, e in enumerate(train):
            if layout.is_checked[e]:
                checked |= 1 << j
    tops = [where[(2, full, v)] for v in range(nA) if v & checked == checked]
    total_R = sum(u[k] for k in tops)
    # float rounding of the partial sums: never less than a few ulps per size of u
    tail_R = np.maximum(total_R - sum(V[:, k].sum(axis=0) for k in tops), 0.0)
    tail_R = tail_R + 16 * (N + 1) * np.finfo(float).eps * total_R
    if per_size is not None:
        with np.errstate(divide="ignore"):
            per_size.extend(float(np.log2(np.dot(p_subset, sum(V[n, k] for k in tops)))) - lbu - h0
                            for n in range(1, N + 1))
    # time: exact per executed node (linear h), else the h(LBt) every program pays
    extra = lbu + (h0 if track_time else h(lbt))
    if not math.isfinite(extra):
        return None
    total = math.fsum((p_subset * tail_R).tolist()) * 2.0 ** -extra
    total *= 1 + 1e-9   # rounding in the sums above
    return math.log2(total) if total > 0 else -math.inf


def _certified_fixed_point(F, shape):
    """u >= the least fixed point of F (blocks of states per column, independent
    columns), certified by F(u) <= u; None when no certificate is found."""
    x = np.zeros(shape)
    for _ in range(20000):
        nxt = F(x)
        if not np.isfinite(nxt).all() or nxt.max() > 1e12:
            return None
        done = np.all(np.abs(nxt - x) <= 1e-15 * np.maximum(np.abs(nxt), 1e-300))
        x = nxt
        if done:
            break
    d, R = shape
    # step off x along (I - J)^-1 1 per column, in units of each state's own scale
    # (weights of one column range from ~1 to 2^-150): J the Jacobian of F at x
    scale = np.maximum(x, 1e-300)
    base = F(x)
    J = np.zeros((R, d, d))
    for k in range(d):
        e = x.copy()
        e[k] += 1e-7 * scale[k]
        J[:, :, k] = ((F(e) - base) / (1e-7 * scale[k]) * scale[k] / scale).T
    try:
        direction = np.linalg.solve(np.eye(d)[None] - J, np.ones((R, d, 1)))[:, :, 0].T
    except np.linalg.LinAlgError:
        direction = np.ones(shape)
    direction = np.where(direction > 0, direction, 1.0)
    u = np.full(shape, np.nan)
    for eps in (1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2):
        cand = x + eps * direction * scale
        ok = np.all(F(cand) <= cand, axis=0) & np.isnan(u[0])
        u[:, ok] = cand[:, ok]
    if np.isnan(u).any():
        return None
    return u


def _values_follow_types(layout, prods):
    """Whether every table primitive takes a value only from an argument of its own
    kind (Bool from Bool, objectives from Obj/Policy): then a value bit per episode
    (true / agrees with base) is enough to follow it."""
    for t, _, _, _, args, op, prim in prods:
        if op == _IF or prim < 0 or op != OP_TABLE:
            continue
        for e in range(len(layout.episodes)):
            k = int(layout.table_arg[prim, e])
            if k != CONST and (args[k] == _BOOL) != (t == _BOOL):
                return False
    return True


def _bit(layout, t, value, e):
    """A constant value's bit in episode e: Bool true, or the objective agrees with base."""
    return int(value) if t == _BOOL else int(layout.agrees[int(value), e])


def _leaf_value(layout, prim, t, train):
    s = 0
    for j, e in enumerate(train):
        if _bit(layout, t, layout.table_value[prim, e], e):
            s |= 1 << j
    return s


def _args_read(layout, prim, op, arity, train):
    """Arguments whose value bits decide the node's (others are summed over)."""
    if op in (OP_NOT, OP_AND, OP_OR):
        return set(range(arity))
    return {int(layout.table_arg[prim, e]) for e in train if int(layout.table_arg[prim, e]) != CONST}


def _node_value(layout, prim, t, op, values, train, full):
    """The value bits (over ``train``) of a node given its arguments' value bits."""
    if op == OP_NOT:
        return ~values[0] & full
    if op == OP_AND:
        return values[0] & values[1]
    if op == OP_OR:
        return values[0] | values[1]
    s = 0
    for j, e in enumerate(train):
        k = int(layout.table_arg[prim, e])
        v = _bit(layout, t, layout.table_value[prim, e], e) if k == CONST else (values[k] >> j) & 1
        if v:
            s |= 1 << j
    return s
