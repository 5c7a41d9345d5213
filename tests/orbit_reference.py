"""References for the orbit reduction: families written out as K plain primitives.

:func:`explicit_model` turns every family into K ordinary primitives, so the enumeration
runs without any symmetry reduction (that path is itself checked against tests/naive.py
row by row); the reduced enumeration must give the same counts, masses and winner.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

from priorsearch.lang.expr import parse_expr
from priorsearch.model.cost_model import CostModel, Family, Primitive
from priorsearch.space.classes import natural_key


def with_family(model: CostModel, K, name="misaligned", c="C_S", **kw) -> CostModel:
    """``model`` plus a family of K Obj objectives ``NAME_{i}`` of c bits each."""
    member = Primitive(name, kw.pop("type", "Obj"), kw.pop("kind", "objective"), parse_expr(c),
                       {"train": parse_expr("0"), "deploy": parse_expr("0")},
                       objective=kw.pop("objective", f"{name}_{{i}}"), **kw)
    family = Family(name, parse_expr(str(K)), member)
    return model.with_options(families=tuple(model.families) + (family,))


def explicit_model(model: CostModel) -> CostModel:
    """The same model with each family written out as K plain primitives."""
    prims = list(model.base_primitives)
    for fam in model.families:
        prims += [replace(fam.member(i), family=None) for i in range(1, model.family_sizes[fam.name] + 1)]
    return model._replace(primitives=prims, families=())


def group_deploy(name: str, model: CostModel) -> str:
    """An explicit deployment key with each family's members grouped (``misaligned_*``)."""
    parts = set()
    for part in name.split(","):
        for fam in model.families:
            for t in _templates(fam):
                head, _, tail = t.partition("{i}")
                if re.fullmatch(re.escape(head) + r"\d+" + re.escape(tail), part):
                    part = t.replace("{i}", "*")
        parts.add(part)
    return ",".join(sorted(parts, key=natural_key))


def _templates(fam):
    out = []
    t = fam.template
    if t.objective and "{i}" in t.objective:
        out.append(t.objective)
    out += [v for v in t.behaviour.values() if isinstance(v, str) and "{i}" in v]
    return out


def log2_add(values):
    values = [v for v in values if v > -math.inf]
    if not values:
        return -math.inf
    top = max(values)
    return top + math.log2(math.fsum(2.0 ** (v - top) for v in values))
