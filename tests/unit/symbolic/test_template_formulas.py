"""DESIGN 2.4 statement 1: the five templates' c and t equal the DESIGN 2.3 formulas for
arbitrary non-negative costs, numerically (vectorised and through ``ps.rank``) and
symbolically (``priorsearch.symbolic.boundary`` against each file's declared ``c:``/``t:``)."""
from pathlib import Path

import numpy as np
import pytest
import sympy

import priorsearch as ps
from priorsearch.features.table import FeatureTable
from priorsearch.features.layout import Layout
from priorsearch.symbolic.boundary import cost_expressions, symbols
from priorsearch.lang.typecheck import check
from post_formulas import PARAMS, TEMPLATES, c_formula, draws, t_formula
from paths import REPO

PROGRAMS = REPO / "programs"
PROG_FILES = sorted(PROGRAMS.glob("*.prog"))


def test_programs_dir_holds_exactly_the_five_templates():
    assert sorted(p.stem for p in PROG_FILES) == sorted(TEMPLATES)


def test_formulas_at_many_random_points_vectorised(post_model):
    """One FeatureTable, 500 parameter points: c and t equal the formulas at each."""
    points = draws(seed=1, n=500)
    arrays = {k: np.array([p[k] for p in points]) for k in PARAMS}
    layout = Layout(post_model)
    definitions = [ps.template(n) for n in TEMPLATES]
    feats = [ps.evaluate(check(d.program, post_model), layout) for d in definitions]
    table = FeatureTable.from_features(feats, layout, names=list(TEMPLATES))
    c, t, _ = table.totals(layout.cost_arrays(arrays))
    for i, name in enumerate(TEMPLATES):
        np.testing.assert_allclose(c[i], c_formula(name, arrays), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(t[i], t_formula(name, arrays), rtol=1e-12, atol=1e-12)


def test_formulas_through_rank(post_model):
    """The public path: ps.rank over all five templates at 60 random points."""
    for p in draws(seed=2, n=60):
        ranking = ps.rank(post_model.with_params(**p), programs=PROGRAMS, g=1.0)
        assert sorted(r.name for r in ranking.programs) == sorted(TEMPLATES)
        for r in ranking.programs:
            assert r.c == pytest.approx(c_formula(r.name, p), rel=1e-12, abs=1e-12)
            assert r.t == pytest.approx(t_formula(r.name, p), rel=1e-12, abs=1e-12)
            assert r.compatible


@pytest.mark.parametrize("path", PROG_FILES, ids=lambda p: p.stem)
def test_symbolic_costs_equal_declared_formulas(path, post_model):
    """priorsearch.symbolic.boundary gives exactly the c:/t: formulas each template declares."""
    (definition,) = ps.load_programs(path)
    assert {"label", "c", "t"} <= set(definition.meta)
    layout = Layout(post_model)
    syms = symbols(post_model)
    c, t, _ = cost_expressions(ps.evaluate(check(definition.program, post_model), layout), layout, syms)
    declared_c = ps.parse_expr(definition.meta["c"]).to_sympy(syms)
    declared_t = ps.parse_expr(definition.meta["t"]).to_sympy(syms)
    assert sympy.simplify(c - declared_c) == 0
    assert sympy.simplify(t - declared_t) == 0
    # and the declared metadata is the DESIGN 2.3 table, not just self-consistent
    probe = draws(seed=3, n=1)[0]
    values = {syms[k]: v for k, v in probe.items()}
    assert float(declared_c.subs(values)) == pytest.approx(c_formula(definition.name, probe))
    assert float(declared_t.subs(values)) == pytest.approx(t_formula(definition.name, probe))


def test_worked_example_numbers():
    """DESIGN 2.3: Hfh (170, 101), Hsd (154, 131), Hfd (173, 101.5)."""
    ranking = ps.rank(g=1)
    got = {r.label: (r.c, r.t) for r in ranking.programs}
    assert got == {"Hfh": (170, 101), "Hsd": (154, 131), "Hfd": (173, 101.5)}
