"""DESIGN 2.4 statements 9 (exchanges apply to totals, never term by term) and 10 (the
cap exchange and the post's budget arithmetic)."""
import numpy as np
import pytest

import priorsearch as ps
from priorsearch.exchange import episodes_in_budget, episodes_lost
from priorsearch.features.table import FeatureTable
from priorsearch.features.layout import Layout
from priorsearch.lang.typecheck import check
from post_formulas import draws, t_formula
from paths import REPO

POST_THREE = ps.default_programs()
HFH_HSD = [ps.template("honest"), ps.template("simple_deceptive")]
SQRT = ps.custom(lambda c, t: np.sqrt(c) + t, name="sqrt")

# c = (10, 6), t = (2, 3.5) as in DESIGN 2.4 statement 9, split into terms so that
# Hfh's c is C_B + C_M = 4 + 6 and Hsd's is C_M = 6 (C_S = C_comb = C_K = 0).
SQRT_EXAMPLE = dict(C_B=4, C_S=0, C_comb=0, C_D=0, C_M=6, C_K=0, C_ptr=0,
                    T_B=1, T_M=1, T_comb=0.5, T_F=1, T_MO=1, T_D=0)


def _term_by_term(model, definitions, g):
    """Score = sum over the description items referenced of g(item c) + t: the wrong way."""
    layout = Layout(model)
    feats = [ps.evaluate(check(d.program, model), layout) for d in definitions]
    table = FeatureTable.from_features(feats, layout)
    costs = layout.cost_arrays()
    _, t, _ = table.totals(costs)
    per_item = g(costs.item_c[0])
    return table.desc.astype(float) @ per_item + t[:, 0]


def test_sqrt_example_totals_pick_hfh(post_model):
    model = post_model.with_params(**SQRT_EXAMPLE)
    ranking = ps.rank(model, HFH_HSD, SQRT)
    rows = {r.label: r for r in ranking.programs}
    assert (rows["Hfh"].c, rows["Hfh"].t) == (10, 2) and (rows["Hsd"].c, rows["Hsd"].t) == (6, 3.5)
    assert rows["Hfh"].score == pytest.approx(np.sqrt(10) + 2)
    assert rows["Hsd"].score == pytest.approx(np.sqrt(6) + 3.5)
    assert ranking.winner.name == "honest"
    # applying g term by term would have picked Hsd: sqrt(4) + sqrt(6) + 2 > sqrt(6) + 3.5
    wrong = _term_by_term(model, HFH_HSD, np.sqrt)
    assert wrong[1] < wrong[0]


def test_custom_exchange_receives_totals_at_random_points(post_model):
    """For every draw the score rank reports is g(total c) + total t, whatever the terms."""
    differs = 0
    for p in draws(seed=90, n=80):
        model = post_model.with_params(**p)
        ranking = ps.rank(model, POST_THREE, SQRT)
        for r in ranking.programs:
            assert r.score == pytest.approx(np.sqrt(r.c) + r.t, rel=1e-12)
        wrong = _term_by_term(model, [ps.template(r.name) for r in ranking.programs], np.sqrt)
        differs += int(np.argmin(wrong)) != 0
    assert differs > 0  # the distinction is not vacuous on these draws


# ---------------------------------------------------------------- statement 10: cap

def test_cap_between_hfh_and_hsd_times_picks_hfh(post_model):
    rng = np.random.default_rng(100)
    checked = 0
    for p in draws(seed=101, n=150):
        t_hfh, t_hsd = t_formula("honest", p), t_formula("simple_deceptive", p)
        if not t_hfh < t_hsd:
            continue
        k = float(rng.uniform(t_hfh, t_hsd))
        for kk in (t_hfh, k):
            ranking = ps.rank(post_model.with_params(**p), POST_THREE, "cap", k=kk)
            assert ranking.winner.name == "honest", (kk, p)
            rows = {r.name: r for r in ranking.programs}
            assert rows["simple_deceptive"].score == np.inf
            assert rows["honest"].score == pytest.approx(rows["honest"].c)
        checked += 1
    assert checked > 100


def test_smallest_cap_with_a_compatible_program_is_min_t(post_model):
    from pathlib import Path

    programs = REPO / "programs"
    for p in draws(seed=102, n=60):
        model = post_model.with_params(**p)
        t_min = min(r.t for r in ps.rank(model, programs).programs if r.compatible)
        at = ps.rank(model, programs, "cap", k=t_min)
        assert at.winner is not None and at.winner.t == pytest.approx(t_min)
        if t_min > 0:
            below = ps.rank(model, programs, "cap", k=t_min * (1 - 1e-6))
            assert below.winner is None
            assert all(r.score == np.inf for r in below.programs)


def test_budget_arithmetic():
    rng = np.random.default_rng(103)
    T = 10 ** rng.uniform(0, 9, 500)
    k = rng.integers(1, 10_000, 500).astype(float)
    np.testing.assert_allclose(episodes_in_budget(T, k), T / k, rtol=1e-15)
    lost = episodes_lost(T, k)
    np.testing.assert_allclose(lost, T / (k * (k + 1)), rtol=1e-15)
    np.testing.assert_allclose(lost, episodes_in_budget(T, k) - episodes_in_budget(T, k + 1), rtol=1e-9)
    # not the post's printed "Tk(k+1)"
    assert not np.allclose(lost, T * k * (k + 1))
    assert episodes_lost(100.0, 4.0) == pytest.approx(5.0)  # 100/4 - 100/5 = 25 - 20
