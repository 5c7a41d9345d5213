"""Issue 14: ``boundary`` with a training loss.  ``--x loss_price`` prints the tie
loss_price* = (score difference) / (L difference), which ``rank`` confirms over random
draws; with equal L it says the price drops out; at a finite ``--set loss_price`` a
lossy program competes and the tie in g carries the loss term (rank confirms it too)."""
import json

import numpy as np
import pytest
import sympy

import priorsearch as ps
from errorcheck import assert_input_error
from paths import REPO

LOSSY = REPO / "programs" / "lossy.toml"
LOSSY_PROGRAMS = REPO / "programs" / "lossy" / "programs.prog"


def _draws(n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        yield {"C_B": float(rng.uniform(5, 40)), "C_Bp": float(rng.uniform(0, 5)), "T_B": float(rng.uniform(0, 3)),
               "T_Bp": float(rng.uniform(0, 3)), "w": float(rng.uniform(0.01, 0.6))}


def _pair_winner(ranking):
    return [r.name for r in ranking.programs if r.name in ("honest", "lossy_honest")][0]


def test_loss_price_tie_of_boundary_is_where_rank_switches():
    """The tie boundary prints, evaluated at each draw, is (g*dc + dt)/w, and rank's
    winner of the pair switches there."""
    model = ps.CostModel.load(LOSSY)
    bd = ps.boundary("lossy_honest", "honest", model, programs=LOSSY_PROGRAMS, parameter="loss_price")
    syms = {s.name: s for s in bd.tie.free_symbols}
    rng = np.random.default_rng(140)
    checked = 0
    for p in _draws(40, seed=141):
        g = float(rng.uniform(0.2, 4))
        star = float(bd.tie.subs({syms[k]: v for k, v in {**p, "g": g}.items() if k in syms}))
        assert star == pytest.approx((g * (p["C_B"] - p["C_Bp"]) + p["T_B"] - p["T_Bp"]) / p["w"], rel=1e-12)
        if star <= 0:
            continue
        m = model.with_params(**p)
        assert _pair_winner(ps.rank(m, LOSSY_PROGRAMS, g=g, loss_price=star * 0.98)) == "lossy_honest"
        assert _pair_winner(ps.rank(m, LOSSY_PROGRAMS, g=g, loss_price=star * 1.02)) == "honest"
        # and the at-the-model line of boundary names the same number
        at = ps.boundary("lossy_honest", "honest", m.with_params(g=g), programs=LOSSY_PROGRAMS,
                         parameter="loss_price").at_model
        assert f"loss_price* = {star:.6g}" in at
        checked += 1
    assert checked > 20


def test_equal_loss_the_price_drops_out(cli):
    r = cli("boundary", "honest", "simple_deceptive", "--model", LOSSY, "--programs", LOSSY_PROGRAMS,
            "--x", "loss_price")
    assert r.status == 0, r.err
    assert "tie:" not in r.out
    assert "L(honest) = 0, L(simple_deceptive) = 0" in r.out
    assert "the loss_price term cancels" in r.out
    assert r.out.rstrip().endswith("at the model's values: honest wins for every loss_price (loss_price drops out)")
    data = json.loads(cli("boundary", "honest", "simple_deceptive", "--model", LOSSY, "--programs", LOSSY_PROGRAMS,
                          "--x", "loss_price", "--json").out)
    assert data["tie"] is None and data["parameter"] == "loss_price"


def test_finite_price_boundary_in_g_carries_the_loss_term(cli):
    """--set loss_price=100: Hfh' competes; g* = (dt + loss_price*w)/(-dc) and rank
    agrees on both sides of it, over random draws."""
    r = cli("boundary", "lossy_honest", "honest", "--model", LOSSY, "--programs", LOSSY_PROGRAMS,
            "--set", "loss_price=100")
    assert r.status == 0, r.err
    assert "tie: g* = (T_B - T_Bp - loss_price*w)/(-C_B + C_Bp)" in r.out
    # C_B = 20, C_Bp = 12, T_B = T_Bp = 1, w = 0.05: g* = 5/8
    assert "g* = 0.625: honest wins for g < 0.625, lossy_honest for g > 0.625" in r.out
    model = ps.CostModel.load(LOSSY)
    rng = np.random.default_rng(142)
    checked = 0
    for p in _draws(40, seed=143):
        price = float(rng.uniform(1, 300))
        m = model.with_params(**p)
        bd = ps.boundary("lossy_honest", "honest", m.with_params(loss_price=price), programs=LOSSY_PROGRAMS)
        syms = {s.name: s for s in bd.tie.free_symbols}
        values = {**p, "loss_price": price}
        star = float(bd.tie.subs({syms[k]: v for k, v in values.items() if k in syms}))
        assert star == pytest.approx((p["T_B"] - p["T_Bp"] - price * p["w"]) / (p["C_Bp"] - p["C_B"]), rel=1e-12)
        if star <= 0:
            continue
        assert _pair_winner(ps.rank(m, LOSSY_PROGRAMS, g=star * 0.98, loss_price=price)) == "honest"
        assert _pair_winner(ps.rank(m, LOSSY_PROGRAMS, g=star * 1.02, loss_price=price)) == "lossy_honest"
        checked += 1
    assert checked > 20
    # the score difference the phase tie curves use includes the loss term
    s = {n: sympy.Symbol(n, real=True, nonnegative=True) for n in ("g", "C_B", "C_Bp", "T_B", "T_Bp", "w",
                                                                  "loss_price")}
    expected = s["g"] * (s["C_Bp"] - s["C_B"]) + s["T_Bp"] - s["T_B"] + s["loss_price"] * s["w"]
    bd = ps.boundary("lossy_honest", "honest", model.with_params(loss_price=100.0), programs=LOSSY_PROGRAMS)
    assert sympy.simplify(bd.difference.subs({x: s[x.name] for x in bd.difference.free_symbols}) - expected) == 0


def test_lossy_boundary_errors(cli):
    base = ("--model", LOSSY, "--programs", LOSSY_PROGRAMS)
    assert_input_error(cli("boundary", "lossy_honest", "honest", *base),
                       r"error: lossy_honest is not training-compatible .* so it never competes at loss_price = inf; "
                       r"price its training loss with --set loss_price=X, or solve for the price with --x loss_price")
    assert_input_error(cli("boundary", "lossy_honest", "honest", *base, "--set", "loss_price=100", "--exchange", "cap"),
                       r"error: boundary between programs with a training loss at loss_price = 100 needs an exchange "
                       r"with a symbolic score \(linear, levin, power\), not 'cap'")
    assert_input_error(cli("boundary", "lossy_honest", "honest", *base, "--x", "loss_price", "--exchange", "cap"),
                       r"error: boundary --x loss_price needs an exchange with a symbolic score .*")
