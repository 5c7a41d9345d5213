"""Exact boundaries: the post's g*, Levin's lambda*, dominance, and agreement with the grid."""
import numpy as np
import pytest
import sympy

import priorsearch as ps
from priorsearch.phase import phase_diagram
from priorsearch.symbolic.boundary import boundary


def sym(*names):
    return [sympy.Symbol(n, nonnegative=True, real=True) for n in names]


def test_linear_tie_is_the_posts_g_star_with_sides():
    b = boundary("honest", "simple_deceptive")
    C_B, C_S, C_comb, T_B, T_comb, T_F, T_MO = sym("C_B", "C_S", "C_comb", "T_B", "T_comb", "T_F", "T_MO")
    assert sympy.simplify(b.tie - (T_comb + T_F + T_MO - T_B) / (C_B - C_S - C_comb)) == 0
    text = b.text()
    assert "g* = 1.875: honest wins for g < 1.875, simple_deceptive for g > 1.875" in text
    # the sign condition itself: honest wins iff g (C_B - C_S - C_comb) < T_comb + T_F + T_MO - T_B
    g = sympy.Symbol("g", nonnegative=True, real=True)
    for point, expect in (({g: 1.8}, True), ({g: 1.9}, False)):
        values = {s: v for s, v in zip((C_B, C_S, C_comb, T_B, T_comb, T_F, T_MO), (20, 1, 3, 1, 1, 10, 20))}
        assert bool(b.condition.subs({**values, **point})) is expect


def test_no_tie_when_lengths_favour_honest_and_hfd_never_wins(post_model):
    b = boundary("honest", "simple_deceptive", post_model.with_params(C_B=3))
    assert "honest wins for every g > 0" in b.at_model
    d = boundary("honest", "fast_deceptive")
    assert d.tie is None and "honest never loses to fast_deceptive" in d.dominance
    assert "C_D + C_S" in d.dominance and "T_D" in d.dominance


def test_slower_honest_loses_everywhere_when_it_is_also_longer(post_model):
    # DESIGN 2.4 item 3: time difference <= 0 and length difference > 0 -> Hsd for every g > 0
    m = post_model.with_params(T_B=40)
    assert "simple_deceptive wins for every g > 0" in boundary("honest", "simple_deceptive", m).at_model


def test_levin_lambda_star(post_model):
    b = boundary("honest", "simple_deceptive", exchange="levin")
    p = post_model.parameters
    t_h, t_s = p["T_B"] + p["T_M"], p["T_comb"] + p["T_F"] + p["T_M"] + p["T_MO"]
    expect = (p["C_B"] - p["C_S"] - p["C_comb"]) / np.log2(t_s / t_h)
    assert f"lambda* = {expect:.6g}" in b.at_model
    values = {s: p[s.name] for s in b.tie.free_symbols}
    assert float(b.tie.subs(values)) == pytest.approx(expect, rel=1e-12)


def test_boundary_cli(cli):
    r = cli("boundary", "honest", "simple_deceptive", "--latex")
    assert r.status == 0 and r"g^* = \frac{- T_{B} + T_{F} + T_{MO} + T_{comb}}{C_{B} - C_{S} - C_{comb}}" in r.out
    r = cli("boundary", "honest", "fast_deceptive", "--exchange", "cap", "--set", "k=120")
    assert r.status == 0 and "honest fits the budget iff k >= T_B + T_M" in r.out
    r = cli("boundary", "honest", "simple_deceptve")
    assert r.status == 2 and r.err.count("\n") == 1 and "did you mean 'simple_deceptive'" in r.err


def symbolic_winner(data, model, exchange):
    """Winner per cell from the boundaries alone: the program beating every other."""
    names = data.names
    env = {sympy.Symbol(k, nonnegative=True, real=True): v for k, v in model.parameters.items()}
    gx, gy = np.meshgrid(data.x_values, data.y_values)
    beats = {}
    for a in range(len(names)):
        for b in range(len(names)):
            if a != b:
                expr = boundary(names[a], names[b], model, exchange).difference
                free = sorted(expr.free_symbols, key=str)
                grid = {data.x.name: gx, data.y.name: gy}
                f = sympy.lambdify(free, expr, "numpy")
                args = [grid.get(s.name, env.get(s)) for s in free]
                beats[a, b] = np.broadcast_to(f(*args), gx.shape)
    win = np.full(gx.shape, -1)
    for a in range(len(names)):
        ok = np.ones(gx.shape, dtype=bool)
        for b in range(len(names)):
            if a != b:
                ok &= beats[a, b] < 0
        win[ok] = a
    return win, beats


@pytest.mark.parametrize("exchange, x", [("linear", "g=0.01:100:81:log"), ("levin", "lambda=1:200:81:log")])
def test_every_cell_agrees_with_the_symbolic_boundaries(post_model, exchange, x):
    model = post_model.with_exchange(exchange)
    data = phase_diagram(model, x=x, y="C_B=1:1000:61:log", ties=False)
    win, beats = symbolic_winner(data, model, ps.make_exchange(exchange))
    crossed = np.zeros(win.shape, dtype=bool)  # cells next to a sign change of some pair
    for d in beats.values():
        s = d < 0
        for axis in (0, 1):
            change = np.diff(s, axis=axis)
            if axis == 0:
                crossed[:-1] |= change
                crossed[1:] |= change
            else:
                crossed[:, :-1] |= change
                crossed[:, 1:] |= change
    assert len(set(win.ravel()) - {-1}) == 2
    assert (win[~crossed] == data.winner[~crossed]).all()
    # at the crossed cells the boundary is exact too, unless it is an exact tie
    assert (win[crossed] == data.winner[crossed]).mean() > 0.95


def test_phase_diagram_overlays_the_exact_tie_curve():
    data = phase_diagram()
    (tie,) = data.ties
    assert (tie["a"], tie["b"]) == (0, 1) and tie["tie"] == "(-T_B + T_F + T_MO + T_comb)/(C_B - C_S - C_comb)"
    pts = np.concatenate(tie["segments"])
    g_star = 30.0 / (pts[:, 1] - 4.0)
    np.testing.assert_allclose(pts[:, 0], g_star, rtol=2e-3)
    assert pts[:, 1].min() < 5 and pts[:, 1].max() == pytest.approx(1000)
