"""Random small DSLs with random costs, for checking the kernels against tests/naive.py.

Each model mixes what the kernels must handle: objective leaves (Obj and Policy typed),
flags true in random episodes, not/and/or, pursue / play_along / select primitives,
flat and per-objective components, a family, unchecked training episodes, primitives
without time (no time group) and primitives sharing a time expression (one group).
"""
from __future__ import annotations

import numpy as np

from priorsearch.lang.expr import parse_expr
from priorsearch.features.layout import Layout
from priorsearch.space.counting import program_counts
from priorsearch.model.cost_model import Component, CostModel, Episode, Family, Primitive


def _e(x):
    return parse_expr(str(x))


def random_model(seed: int, raw_budget: int = 2500, max_size: int = 6):
    """(model, max_size): a random DSL and the largest size whose Policy programs up to it
    number at most ``raw_budget`` (so the naive reference stays fast)."""
    rng = np.random.default_rng(seed)
    params = {}

    def cost(prefix, zero_p=0.2):
        if rng.random() < zero_p:
            return _e(0)
        name = f"{prefix}{len(params)}"
        params[name] = float(np.round(rng.uniform(0, 10), 3))
        return _e(name)

    n_train = int(rng.integers(1, 4))
    n_deploy = int(rng.integers(1, 3))
    episodes = []
    for i in range(n_train):
        checked = bool(i == 0 or rng.random() < 0.7)
        episodes.append(Episode(f"tr{i}", "train", _e(int(rng.integers(1, 4))), checked))
    for i in range(n_deploy):
        episodes.append(Episode(f"dep{i}", "deploy", _e(int(rng.integers(1, 3))), False))
    names = [e.name for e in episodes]

    def times(shared=None):
        if shared is not None and rng.random() < 0.3:
            return {"train": shared, "deploy": shared}
        if rng.random() < 0.25:
            return {"train": _e(0), "deploy": _e(0)}
        t = {"train": cost("T"), "deploy": cost("T")}
        if rng.random() < 0.3:
            t[names[int(rng.integers(len(names)))]] = cost("T")
        return t

    shared_time = cost("T", zero_p=0)
    components = [Component("machinery", cost("C")), Component("knowledge", cost("C"))]
    if rng.random() < 0.6:
        components.append(Component("specialise", cost("C"), per_objective=True))
    comp_names = [c.name for c in components]
    objectives = ["base", "mis_a", "mis_b"]
    prims = []
    for i in range(int(rng.integers(2, 4))):
        obj = objectives[i] if i < 3 else objectives[int(rng.integers(3))]
        prims.append(Primitive(f"obj{i}", "Obj", "objective", cost("C"), times(shared_time), objective=obj))
    if rng.random() < 0.4:
        prims.append(Primitive("reflex", "Policy", "objective", cost("C"), times(), objective=objectives[int(rng.integers(3))]))
    for i in range(int(rng.integers(1, 3))):
        k = int(rng.integers(1, len(names) + 1))
        where = sorted(rng.choice(names + ["deploy"], size=k, replace=False).tolist())
        prims.append(Primitive(f"flag{i}", "Bool", "flag", cost("C"), times(shared_time), true_in=tuple(where)))
    for kind, args in (("not", ("Bool",)), ("and", ("Bool", "Bool")), ("or", ("Bool", "Bool"))):
        if rng.random() < 0.4:
            prims.append(Primitive(f"{kind}_op", "Bool", kind, cost("C"), times(), args=args))

    def comps():
        k = int(rng.integers(0, len(comp_names) + 1))
        return tuple(sorted(rng.choice(comp_names, size=k, replace=False).tolist()))

    prims.append(Primitive("pursue", "Policy", "pursue", cost("C"), times(), args=("Obj",),
                           behaviour={"train": "arg1", "deploy": "arg1"}, components=comps()))
    if rng.random() < 0.7:
        prims.append(Primitive("play", "Policy", "play_along", cost("C"), times(shared_time), args=("Obj",),
                               behaviour={"train": "base", "deploy": "arg1"}, components=comps()))
    if rng.random() < 0.5:
        behaviour = {}
        for ep in names:
            behaviour[ep] = str(rng.choice(["arg1", "arg2", objectives[int(rng.integers(3))]]))
        prims.append(Primitive("pick", "Obj", "select", cost("C"), times(), args=("Obj", "Obj"),
                               behaviour=behaviour, components=comps()))
    families = []
    if rng.random() < 0.5:
        params["K"] = float(rng.integers(1, 3))
        families.append(Family("fam", _e("K"), Primitive(
            "fam", "Obj", "objective", cost("C"), {"train": _e(0), "deploy": _e(0)}, objective="fam_{i}")))
    node_bits = _e(0) if rng.random() < 0.5 else cost("N", zero_p=0)
    model = CostModel(parameters=params, components=components, primitives=prims, episodes=episodes,
                      families=families, node_bits=node_bits,
                      code="prefix" if rng.random() < 0.3 else "flat",
                      time_aggregate="max" if rng.random() < 0.3 else "mean", name=f"random{seed}")
    counts = program_counts(Layout(model), max_size)["Policy"]
    size = 2
    for n in range(2, max_size + 1):
        if sum(counts[: n + 1]) <= raw_budget:
            size = n
    return model, size
