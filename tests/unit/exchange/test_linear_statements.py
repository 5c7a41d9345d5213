"""DESIGN 2.4 statements 3-6 and 8 under the linear exchange g*c + t, over many seeded
random non-negative cost draws (not just the worked example)."""
from pathlib import Path

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.exchange import TIE_RTOL, is_tie
from post_formulas import COST_PARAMS, TIME_PARAMS, c_formula, draws, t_formula
from paths import REPO

PROGRAMS = REPO / "programs"
POST_THREE = ps.default_programs()


def _differences(p):
    """(length difference C_B - C_S - C_comb, time difference T_comb + T_F + T_MO - T_B)."""
    return p["C_B"] - p["C_S"] - p["C_comb"], p["T_comb"] + p["T_F"] + p["T_MO"] - p["T_B"]


def _winner(model, g, programs=POST_THREE):
    return ps.rank(model, programs, "linear", g=g).winner.name


def _g_values(rng, n=12):
    return [0.0] + [float(10 ** x) for x in rng.uniform(-4, 4, n)]


# ------------------------------------------------------------------ statement 3

def test_linear_tie_at_g_star(post_model):
    """Both differences positive: Hfh wins below g*, Hsd above, and they tie at g*."""
    rng = np.random.default_rng(30)
    checked = 0
    for p in draws(seed=31, n=300):
        dc, dt = _differences(p)
        if not (dc > 0 and dt > 0):
            continue
        g_star = dt / dc
        model = post_model.with_params(**p)
        at = ps.rank(model, POST_THREE, "linear", g=g_star)
        rows = {r.name: r for r in at.programs}
        assert is_tie(rows["honest"].score, rows["simple_deceptive"].score)
        # at the tie the rule prefers the smaller c: Hsd (dc > 0)
        assert at.winner.name == "simple_deceptive" and at.tie
        for g in _g_values(rng):
            margin = abs(g * dc - dt)
            scale = max(1.0, g * (c_formula("honest", p)) + t_formula("honest", p))
            if margin <= 1e3 * TIE_RTOL * scale:
                continue  # too close to g* to be decided by the score
            assert _winner(model, g) == ("honest" if g < g_star else "simple_deceptive"), (g, g_star, p)
        checked += 1
    assert checked > 50


def test_hfh_wins_for_every_g_when_it_is_not_longer(post_model):
    """C_B <= C_S + C_comb (and Hsd not faster): Hfh wins for every g >= 0."""
    rng = np.random.default_rng(32)
    for p in draws(seed=33, n=80):
        p = dict(p, C_B=(p["C_S"] + p["C_comb"]) * float(rng.uniform(0, 1)))
        if rng.random() < 0.2:
            # the boundary itself: with dt = 0 too, c and t are equal and the tie rule
            # (file order: honest is listed first) decides
            p["C_B"] = p["C_S"] + p["C_comb"]
        p["T_B"] = min(p["T_B"], p["T_comb"] + p["T_F"] + p["T_MO"])  # time difference >= 0
        model = post_model.with_params(**p)
        for g in _g_values(rng) + [1e9]:
            assert _winner(model, g) == "honest", (g, p)


def test_hsd_wins_for_every_positive_g_when_hfh_is_not_faster(post_model):
    """Time difference <= 0 and length difference > 0: Hsd wins for every g > 0 (the
    post's "undoubtedly t(Hfh) < t(Hsd)" is an assumption, not a fact of the model)."""
    rng = np.random.default_rng(34)
    for p in draws(seed=35, n=80):
        p = dict(p)
        p["T_B"] = (p["T_comb"] + p["T_F"] + p["T_MO"]) * float(1 + rng.uniform(0, 1))
        p["C_B"] = p["C_S"] + p["C_comb"] + float(10 ** rng.uniform(-1, 2))
        model = post_model.with_params(**p)
        for g in _g_values(rng)[1:] + [1e-9]:
            assert _winner(model, g) == "simple_deceptive", (g, p)


# ------------------------------------------------------------------ statement 4

def test_hsd_wins_only_when_g_cb_exceeds_tf_minus_tb(post_model):
    """If Hsd wins under linear g then g*C_B > T_F - T_B.  The post prints the reverse
    inequality; a simulator encoding the printed form would fail here."""
    rng = np.random.default_rng(40)
    hsd_wins = 0
    for p in draws(seed=41, n=200):
        model = post_model.with_params(**p)
        for g in _g_values(rng, 6):
            ranking = ps.rank(model, POST_THREE, "linear", g=g)
            if ranking.winner.name != "simple_deceptive":
                continue
            hsd_wins += 1
            lhs, rhs = g * p["C_B"], p["T_F"] - p["T_B"]
            rows = {r.name: r for r in ranking.programs}
            if is_tie(rows["simple_deceptive"].score, rows["honest"].score):
                # won on the tie rule (smaller c): only >= holds, up to rounding
                assert lhs >= rhs - 1e-6 * max(1.0, abs(rhs))
            else:
                assert lhs > rhs, (g, p)
            printed_form = lhs < rhs  # "g(c(get_proxy_for_base_obj)) < s(find(...))"
            assert not printed_form
    assert hsd_wins > 100


# ------------------------------------------------------------------ statement 5

@pytest.mark.parametrize("g, primary, secondary", [(0.0, "t", "c"), (1e-6, "t", "c"), (1e6, "c", "t")])
def test_limits_pick_fastest_or_shortest(post_model, g, primary, secondary):
    """g -> 0 picks the fastest compatible program (ties: shorter), g -> inf the shortest
    (ties: faster); all five templates, quantized draws (differences 0 or >= 0.5)."""
    for p in draws(seed=50, n=120, quantized=True):
        ranking = ps.rank(post_model.with_params(**p), PROGRAMS, "linear", g=g)
        rows = [r for r in ranking.programs if r.compatible]
        best = min(getattr(r, primary) for r in rows)
        best_second = min(getattr(r, secondary) for r in rows if getattr(r, primary) == best)
        w = ranking.winner
        assert getattr(w, primary) == best and getattr(w, secondary) == best_second, (g, p)


# ------------------------------------------------------------------ statement 6

def _scaled(p, a, b):
    return {k: v * (a if k in COST_PARAMS else b) for k, v in p.items()}


def test_scaling_c_by_a_and_t_by_b_maps_g_star_to_g_star_b_over_a(post_model):
    rng = np.random.default_rng(60)
    checked = 0
    for p in draws(seed=61, n=150):
        dc, dt = _differences(p)
        a, b = (float(10 ** x) for x in rng.uniform(-1, 1, 2))
        model, scaled = post_model.with_params(**p), post_model.with_params(**_scaled(p, a, b))
        if dc > 0 and dt > 0:
            g_star = dt / dc
            rows = {r.name: r for r in ps.rank(scaled, POST_THREE, "linear", g=g_star * b / a).programs}
            assert is_tie(rows["honest"].score, rows["simple_deceptive"].score)
            checked += 1
        for g in _g_values(rng, 5)[1:]:
            margin = abs(g * dc - dt)
            if margin <= 1e-6 * max(1.0, g * c_formula("honest", p) + t_formula("honest", p)):
                continue
            assert _winner(model, g) == _winner(scaled, g * b / a), (a, b, g, p)
    assert checked > 20


def test_multiplying_every_cost_by_m_changes_no_winner(post_model):
    rng = np.random.default_rng(62)
    for p in draws(seed=63, n=100, quantized=True):
        m = float(2.0 ** rng.integers(-6, 7))  # exact in binary floating point
        model, scaled = post_model.with_params(**p), post_model.with_params(**_scaled(p, m, m))
        for g in _g_values(rng, 5):
            assert _winner(model, g, PROGRAMS) == _winner(scaled, g, PROGRAMS), (m, g, p)


def test_g_star_moves_only_with_the_ratio_of_the_scales():
    """So "heuristics multiply both costs" helps Hfh only when b > a."""
    p = draws(seed=64, n=1)[0] | {"C_B": 50.0, "C_S": 1.0, "C_comb": 1.0, "T_B": 1.0, "T_F": 10.0}
    dc, dt = _differences(p)
    for a, b in [(2.0, 3.0), (3.0, 2.0), (5.0, 5.0)]:
        dc2, dt2 = _differences(_scaled(p, a, b))
        assert np.sign(dt2 / dc2 - dt / dc) == np.sign(b - a)


# ------------------------------------------------------------------ statement 8

def test_henv_beats_hsd_for_every_positive_g(post_model):
    """With derive_and_pursue present and C_ptr <= C_S + C_comb, Henv ranks above Hsd."""
    rng = np.random.default_rng(80)
    for p in draws(seed=81, n=100):
        p = dict(p, C_ptr=(p["C_S"] + p["C_comb"]) * float(rng.choice([0.0, rng.uniform(), 1.0])))
        model = post_model.with_params(**p)
        for g in _g_values(rng, 6)[1:] + [1e9]:
            ranking = ps.rank(model, PROGRAMS, "linear", g=g)
            names = [r.name for r in ranking.programs]
            assert names.index("derive_and_pursue") < names.index("simple_deceptive"), (g, p)
            assert ranking.winner.name != "simple_deceptive"


def test_hsd_can_beat_henv_when_pointing_costs_more(post_model):
    """The condition matters: with C_ptr > C_S + C_comb, Hsd wins over Henv at large g."""
    for p in draws(seed=82, n=40):
        p = dict(p, C_ptr=p["C_S"] + p["C_comb"] + 1.0)
        ranking = ps.rank(post_model.with_params(**p), PROGRAMS, "linear", g=1e9)
        names = [r.name for r in ranking.programs]
        assert names.index("simple_deceptive") < names.index("derive_and_pursue")
