"""References for the orbit reduction: families written out as K plain primitives.

:func:`explicit_model` turns every family into K ordinary primitives, so the enumeration
runs without any symmetry reduction (that path is itself checked against tests/naive.py
row by row); the reduced enumeration must give the same counts, masses and winner.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest

from priorsearch.exchange import make_exchange
from priorsearch.lang.expr import parse_expr
from priorsearch.scoring.search import search_table
from priorsearch.space import enumerate as en
from priorsearch.space.orbits import slot_name
from priorsearch.model.cost_model import CostModel, Family, Primitive
from priorsearch.errors import natural_key


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


def _normalize(source: str, model) -> str:
    """Explicit member numbers renamed by first occurrence (i, j, ...), as the orbits print."""
    out = source
    for fam in model.families:
        seen = {}

        def sub(m):
            n = m.group(1)
            seen.setdefault(n, slot_name(len(seen)))
            return f"{fam.name}_{seen[n]}"
        out = re.sub(rf"\b{fam.name}_(\d+)\b", sub, out)
    return out


def compare_with_explicit(model, max_size, g):
    """Counts, masses (classes; deployment objectives grouped per family) and the winner
    of the orbit enumeration equal those of the family written out; both tables back."""
    reduced = en.enumerate_classes(model, max_size)
    plain = explicit_model(model)
    explicit = en.enumerate_classes(plain, max_size)
    assert en.counts_by_size(reduced) | {"classes": None} == en.counts_by_size(explicit) | {"classes": None}
    ex = make_exchange("linear", g=g)
    a = search_table(reduced, ex, model=model, top=3)
    b = search_table(explicit, ex, model=plain, top=3)
    assert a.n_programs == b.n_programs and a.n_compatible == b.n_compatible
    for k in ("aligned", "deceptive", "compatible"):
        assert a.masses.classes[k] == pytest.approx(b.masses.classes[k], abs=1e-9), k
    grouped = {}
    for key, v in b.masses.deploy.items():
        grouped.setdefault(group_deploy(key, model), []).append(v)
    assert set(a.masses.deploy) == set(grouped)
    for key, vs in grouped.items():
        assert a.masses.deploy[key] == pytest.approx(log2_add(vs), abs=1e-9), key
    wa, wb = a.winner, b.winner
    assert (wa is None) == (wb is None)
    if wa is not None:
        assert (wa.c, wa.t, wa.score, wa.size, wa.cls) == (wb.c, wb.t, wb.score, wb.size, wb.cls)
        assert wa.source == _normalize(wb.source, model)
    return reduced, explicit
