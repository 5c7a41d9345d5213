"""The draw kernel against the slow pure-Python references of the tie rule and masses."""
import math

import numpy as np
import pytest

import reference
from priorsearch.uncertainty.kernels import score_draws


def _case(seed, K=40, m=7, with_ties=True):
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 6, size=(K, m)).astype(float)
    t = rng.integers(0, 6, size=(K, m)).astype(float)
    g = rng.choice([0.5, 1.0, 2.0], size=K)
    score = g[:, None] * c + t  # small integers: many exact ties
    if not with_ties:
        score = score + rng.random((K, m)) * 1e-3
    if K > 3:
        score[3, 2] = np.inf  # an ineligible row
    bits = c + t / g[:, None]
    size = rng.integers(1, 5, size=m).astype(np.int64)
    index = np.sort(rng.choice(100, size=m, replace=False)).astype(np.int64)
    cls = rng.integers(0, 2, size=m)
    mult = rng.integers(1, 9, size=m)
    return score, c, t, size, index, bits, cls, mult


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("cand_kind", ["all", "some"])
def test_winner_and_masses_match_the_reference(seed, cand_kind):
    score, c, t, size, index, bits, cls, mult = _case(seed, with_ties=seed % 2 == 0)
    K, m = c.shape
    cand = np.arange(m, dtype=np.int64) if cand_kind == "all" else np.array([0, 2, 3, 6], dtype=np.int64)
    winner = np.empty(K, dtype=np.int64)
    lm = np.empty((2, K))
    score_draws(score, c, t, size, index, cand, bits, cls == 0, cls == 1, np.log2(mult.astype(float)), True,
                winner, lm)
    for k in range(K):
        # the reference ranks by place in the program space: rows ordered by index
        sub = list(cand)
        w, _ = reference.winner_runner([score[k, p] for p in sub], [c[k, p] for p in sub], [t[k, p] for p in sub],
                                       [int(size[p]) for p in sub], [True] * len(sub))
        assert winner[k] == (sub[w] if w >= 0 else -1), k
        for klass in (0, 1):
            rows = [p for p in range(m) if cls[p] == klass]
            ref = reference.log2_mass(list(bits[k]), list(mult), rows)
            assert (lm[klass, k] == ref == -math.inf) or math.isclose(lm[klass, k], ref, rel_tol=1e-12, abs_tol=1e-12)


def test_no_eligible_row_gives_minus_one():
    score = np.full((3, 2), np.inf)
    c = t = np.zeros((3, 2))
    winner = np.empty(3, dtype=np.int64)
    lm = np.empty((2, 3))
    score_draws(score, c, t, np.ones(2, dtype=np.int64), np.arange(2, dtype=np.int64), np.arange(2, dtype=np.int64),
                np.zeros((1, 1)), np.ones(2, bool), np.zeros(2, bool), np.zeros(2), False, winner, lm)
    assert (winner == -1).all()


def test_blocks_do_not_change_the_result():
    # more draws than one block: results equal draw-by-draw calls
    score, c, t, size, index, bits, cls, mult = _case(11, K=700, m=5)
    cand = np.arange(5, dtype=np.int64)
    args = (size, index, cand)
    w_all = np.empty(700, dtype=np.int64)
    lm = np.empty((2, 700))
    score_draws(score, c, t, *args, bits, cls == 0, cls == 1, np.zeros(5), True, w_all, lm)
    for k in (0, 255, 256, 511, 699):
        w = np.empty(1, dtype=np.int64)
        l1 = np.empty((2, 1))
        score_draws(score[k:k + 1].copy(), c[k:k + 1].copy(), t[k:k + 1].copy(), *args, bits[k:k + 1].copy(),
                    cls == 0, cls == 1, np.zeros(5), True, w, l1)
        assert w[0] == w_all[k] and np.array_equal(l1[:, 0], lm[:, k])


def test_draw_totals_match_the_feature_tables_numpy_totals(post_model):
    from priorsearch.uncertainty.engine import SpaceEvaluator

    ev = SpaceEvaluator(post_model, "enumerate", None, 6, mass=True)
    rng = np.random.default_rng(0)
    points = {k: rng.uniform(0, 50, size=9) for k in ("C_B", "T_F", "C_D", "T_MO")}
    costs = ev.table.layout.cost_arrays(points)
    c = np.empty((9, len(ev.rows)))
    t = np.empty_like(c)
    ev._totals(costs, c, t)
    c_ref, t_ref, _ = ev.table.subset(ev.rows).totals(costs)
    assert np.allclose(c, c_ref.T, rtol=1e-12) and np.allclose(t, t_ref.T, rtol=1e-12)
    # and by hand for one class and one draw: c = sum of the referenced items' costs
    r, k = 3, 5
    items = np.flatnonzero(ev.desc[r])
    assert math.isclose(c[k, r], sum(costs.item_c[k, i] for i in items) + sum(
        ev.nodes[r, ty] * costs.node_c[k, ty] for ty in range(ev.nodes.shape[1])), rel_tol=1e-12)


@pytest.mark.parametrize("aggregate", ["mean", "max"])
def test_winners_agree_between_the_mass_and_the_winner_paths(post_model, aggregate):
    # mass=True scores every compatible class (draw_totals for the mean aggregate),
    # mass=False only the classes that can win (class_totals): the winners must agree
    from priorsearch.uncertainty.engine import SpaceEvaluator

    model = post_model.with_options(time_aggregate=aggregate)
    rng = np.random.default_rng(1)
    values = {"g": 10 ** rng.uniform(-2, 2, 3000), "C_B": 10 ** rng.uniform(0, 3, 3000),
              "C_ptr": 10 ** rng.uniform(-1, 3, 3000), "T_F": rng.uniform(0, 50, 3000)}
    full = SpaceEvaluator(model, "enumerate", None, 7, mass=True).evaluate(values, 3000)
    fast = SpaceEvaluator(model, "enumerate", None, 7, mass=False).evaluate(values, 3000)
    assert [full.names[w] for w in full.winner] == [fast.names[w] for w in fast.winner]
    assert np.array_equal(full.deceptive, fast.deceptive) and full.deceptive.any() and not full.deceptive.all()
