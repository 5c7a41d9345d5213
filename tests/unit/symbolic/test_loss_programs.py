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
