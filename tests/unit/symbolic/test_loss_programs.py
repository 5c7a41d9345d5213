"""The programs of the lossy and camera models declare their c, t (and loss or class);
checked symbolically against the computed ones, like the templates."""
import pytest
import sympy

import priorsearch as ps
from priorsearch.features.layout import Layout
from priorsearch.lang.typecheck import check
from priorsearch.space.templates import template_table
from priorsearch.symbolic.boundary import cost_expressions, row_loss_expression, symbols
from paths import REPO

CASES = [(name, d) for name in ("lossy", "camera")
         for d in ps.load_programs(REPO / "programs" / name / "programs.prog")]


@pytest.mark.parametrize("model_name,definition", CASES, ids=[f"{m}-{d.name}" for m, d in CASES])
def test_declared_formulas(model_name, definition):
    model = ps.CostModel.load(REPO / "programs" / f"{model_name}.toml")
    layout = Layout(model)
    syms = symbols(model)
    program = check(definition.program, model)
    c, t, _ = cost_expressions(ps.evaluate(program, layout), layout, syms)
    assert sympy.simplify(c - ps.parse_expr(definition.meta["c"]).to_sympy(syms)) == 0
    assert sympy.simplify(t - ps.parse_expr(definition.meta["t"]).to_sympy(syms)) == 0
    if "loss" in definition.meta:
        table = template_table(model, [definition])
        loss = row_loss_expression(table, 0, syms)
        assert sympy.simplify(loss - ps.parse_expr(definition.meta["loss"]).to_sympy(syms)) == 0


@pytest.mark.parametrize("model_name", ["lossy", "camera"])
def test_declared_formulas_through_rank_at_random_points(model_name):
    """The public path, like the templates (test_template_formulas): at 40 random cost
    points ps.rank gives each program its declared c and t, its declared loss (at a
    finite price) and its declared class."""
    import numpy as np

    model = ps.CostModel.load(REPO / "programs" / f"{model_name}.toml")
    definitions = ps.load_programs(REPO / "programs" / model_name / "programs.prog")
    rng = np.random.default_rng(14)
    for _ in range(40):
        point = {k: float(rng.uniform(0, 0.5) if k == "w" else rng.uniform(0, 60)) for k in model.parameters}
        g = float(rng.uniform(0.1, 5))
        m = model.with_params(**point)
        ranking = ps.rank(m, definitions, g=g, loss_price=float(rng.uniform(0, 100)))
        by_name = {r.name: r for r in ranking.programs}
        for d in definitions:
            r = by_name[d.name]
            for key, got in (("c", r.c), ("t", r.t), ("loss", r.loss)):
                if key in d.meta:
                    assert got == pytest.approx(ps.parse_expr(d.meta[key]).evaluate(point), rel=1e-12, abs=1e-12)
            if "class" in d.meta:
                assert r.cls == d.meta["class"]
            assert r.score == pytest.approx(g * r.c + r.t + ranking.exchange.loss_price * r.loss, rel=1e-12)
