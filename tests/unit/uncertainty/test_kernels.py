"""The draw kernels against the slow pure-Python references of the tie rule and masses,
and the grouped mass path against a direct per-class sum over the whole program space."""
import math

import numpy as np
import pytest

import reference
from priorsearch.uncertainty.kernels import group_totals, score_draws


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
    cls = np.sort(rng.integers(0, 3, size=m))  # groups are contiguous by class
    mult = rng.integers(1, 9, size=m)
    return score, c, t, size, index, bits, cls, mult


def _starts(cls, n_classes=3):
    return np.searchsorted(cls, np.arange(n_classes + 1)).astype(np.int64)


def _run(score, c, t, size, index, bits, cls, mult, want_mass=True):
    K = score.shape[0]
    winner = np.empty(K, dtype=np.int64)
    lm = np.empty((3, K))
    score_draws(np.ascontiguousarray(score), np.ascontiguousarray(c), np.ascontiguousarray(t), size, index,
                bits, np.log2(mult.astype(float)), _starts(cls), want_mass, winner, lm)
    return winner, lm


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("cand_kind", ["all", "some"])
def test_winner_and_masses_match_the_reference(seed, cand_kind):
    score, c, t, size, index, bits, cls, mult = _case(seed, with_ties=seed % 2 == 0)
    K, m = c.shape
    cand = np.arange(m) if cand_kind == "all" else np.array([0, 2, 3, 6])
    winner, lm = _run(score[:, cand], c[:, cand], t[:, cand], size[cand], index[cand], bits, cls, mult)
    for k in range(K):
        # the reference ranks by place in the program space: rows ordered by index
        sub = list(cand)
        w, _ = reference.winner_runner([score[k, p] for p in sub], [c[k, p] for p in sub], [t[k, p] for p in sub],
                                       [int(size[p]) for p in sub], [True] * len(sub))
        assert winner[k] == w, k
        for klass in (0, 1, 2):
            rows = [p for p in range(m) if cls[p] == klass]
            ref = reference.log2_mass(list(bits[k]), list(mult), rows)
            assert (lm[klass, k] == ref == -math.inf) or math.isclose(lm[klass, k], ref, rel_tol=1e-12, abs_tol=1e-12)


def test_no_eligible_row_gives_minus_one():
    score = np.full((3, 2), np.inf)
    c = t = np.zeros((3, 2))
    winner = np.empty(3, dtype=np.int64)
    lm = np.empty((0, 3))
    score_draws(score, c, t, np.ones(2, dtype=np.int64), np.arange(2, dtype=np.int64), np.zeros((1, 1)), np.zeros(0),
                np.zeros(1, dtype=np.int64), False, winner, lm)
    assert (winner == -1).all()


def test_blocks_do_not_change_the_result():
    # more draws than one block: results equal draw-by-draw calls
    score, c, t, size, index, bits, cls, mult = _case(11, K=700, m=5)
    w_all, lm = _run(score, c, t, size, index, bits, cls, mult)
    for k in (0, 255, 256, 511, 699):
        w, l1 = _run(score[k:k + 1], c[k:k + 1], t[k:k + 1], size, index, bits[k:k + 1].copy(), cls, mult)
        assert w[0] == w_all[k] and np.array_equal(l1[:, 0], lm[:, k])


def test_group_totals_are_the_fixed_part_plus_the_varying_columns():
    rng = np.random.default_rng(3)
    m, K, F = 6, 9, 5
    feat = rng.integers(0, 4, size=(m, F)).astype(float)
    w = rng.uniform(0, 10, size=(K, F))
    vary = np.array([True, False, True, False, False])
    w[:, ~vary] = w[0, ~vary]  # these columns are priced alike at every draw
    c, t = np.empty((K, m)), np.empty((K, m))
    group_totals(np.ascontiguousarray(feat[:, vary]), np.ascontiguousarray(w[:, vary]), feat @ np.where(vary, 0, w[0]),
                 np.ascontiguousarray(feat[:, :0]), np.zeros((K, 0)), np.full(m, 7.0), c, t)
    for k in range(K):
        for r in range(m):
            assert math.isclose(c[k, r], sum(feat[r, f] * w[k, f] for f in range(F)), rel_tol=1e-12)
            assert t[k, r] == 7.0


def _direct_share(ev, values, j):
    """deceptive / all competing mass at draw j, summed row by row over the whole table."""
    table = ev.table
    costs = table.layout.cost_arrays({k: v[j:j + 1] for k, v in values.items() if ev.parameter_kind(k) == "cost"})
    c, t, _ = table.totals(costs)
    params = {k: v[j] for k, v in values.items() if ev.parameter_kind(k) == "exchange"}
    loss = table.loss(costs)[:, 0] if ev.lossy else None
    bits = list(np.broadcast_to(ev.ex.bits(c[:, 0], t[:, 0], params, loss), (len(table),)))
    mult = [2.0 ** x for x in table.log2_multiplicity]
    behaviour = np.asarray(table.behaviour)
    masses = {k: reference.log2_mass(bits, mult, [int(r) for r in ev.mass_rows if behaviour[r] == k]) for k in (0, 1, 3)}
    top = max(masses.values())
    return 2.0 ** (masses[1] - top) / sum(2.0 ** (v - top) for v in masses.values())


@pytest.mark.parametrize("aggregate", ["mean", "max"])
def test_grouped_masses_equal_a_direct_sum_over_every_competing_class(post_model, aggregate):
    from priorsearch.uncertainty.engine import SpaceEvaluator

    model = post_model.with_options(time_aggregate=aggregate)
    ev = SpaceEvaluator(model, "enumerate", None, 7, mass=True)
    rng = np.random.default_rng(4)
    n = 40
    values = {"g": 10 ** rng.uniform(-1, 1, n), "C_B": 10 ** rng.uniform(0, 3, n), "T_F": rng.uniform(0, 50, n),
              "C_ptr": rng.choice([0.0, 5.0], n)}
    out = ev.evaluate(values, n)
    assert ev.last_groups < len(ev.mass_rows)  # free nodes and unpriced columns merge classes
    for j in range(n):
        assert math.isclose(out.share[j], _direct_share(ev, values, j), rel_tol=1e-9, abs_tol=1e-300)


def test_chunks_do_not_change_any_draw(post_model, monkeypatch):
    from priorsearch.uncertainty import engine

    rng = np.random.default_rng(5)
    n = 3000
    values = {"g": 10 ** rng.uniform(-2, 2, n), "C_B": 10 ** rng.uniform(0, 3, n), "T_MO": rng.uniform(0, 50, n)}
    whole = engine.SpaceEvaluator(post_model, "enumerate", None, 7).evaluate(values, n)
    monkeypatch.setattr(engine, "CHUNK_CELLS", 997)
    split = engine.SpaceEvaluator(post_model, "enumerate", None, 7).evaluate(values, n)
    assert np.array_equal(whole.winner, split.winner) and np.array_equal(whole.share, split.share)


@pytest.mark.parametrize("aggregate", ["mean", "max"])
def test_winners_agree_between_the_mass_and_the_winner_paths(post_model, aggregate):
    from priorsearch.uncertainty.engine import SpaceEvaluator

    model = post_model.with_options(time_aggregate=aggregate)
    rng = np.random.default_rng(1)
    values = {"g": 10 ** rng.uniform(-2, 2, 3000), "C_B": 10 ** rng.uniform(0, 3, 3000),
              "C_ptr": 10 ** rng.uniform(-1, 3, 3000), "T_F": rng.uniform(0, 50, 3000)}
    full = SpaceEvaluator(model, "enumerate", None, 7, mass=True).evaluate(values, 3000)
    fast = SpaceEvaluator(model, "enumerate", None, 7, mass=False).evaluate(values, 3000)
    assert [full.names[w] for w in full.winner] == [fast.names[w] for w in fast.winner]
    assert np.array_equal(full.deceptive, fast.deceptive) and full.deceptive.any() and not full.deceptive.all()
