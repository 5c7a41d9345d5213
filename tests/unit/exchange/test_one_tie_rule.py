"""One tie rule on every path: rank, search, the phase kernel, custom (NumPy) exchanges
and the experiments give the same winner on near-ties, and agree with the pure-Python
reference of the documented rule."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import priorsearch as ps
import reference
from priorsearch.exchange import best_rows, order, winners_by_column
from priorsearch.lang.dsl import parse_definitions
from priorsearch.phase import kernels


def near_tie_programs():
    return parse_definitions("honest = optimize(base_obj)\nenv = optimize(find_base_obj)\n")


def near_tie_model():
    return ps.CostModel.default().with_params(C_B=20, C_ptr=20 - 1e-10, T_B=1, T_F=1 + 1e-10)


def test_the_reported_near_tie_gives_one_winner_everywhere():
    model, programs = near_tie_model(), near_tie_programs()
    assert ps.rank(model, programs, g=1).winner.name == "honest"
    builtin = ps.phase_diagram(model, x="C_M=40:60:3", y="C_K=90:110:3", programs=programs,
                               exchange="linear", params={"g": 1})
    custom = ps.phase_diagram(model, x="C_M=40:60:3", y="C_K=90:110:3", programs=programs,
                              exchange=ps.custom(lambda c, t: c + t))
    assert (builtin.winner == 0).all() and (custom.winner == 0).all()
    np.testing.assert_array_equal(builtin.runner_up, custom.runner_up)


def kernel_winner(score, c, t, size, eligible):
    n = len(score)
    s = np.where(eligible, score, np.inf)
    w, r = np.empty((1, 1), dtype=np.int64), np.empty((1, 1), dtype=np.int64)
    kernels.select_grid(np.ascontiguousarray(s[None, None, :]), np.ascontiguousarray(c[None, :]),
                        np.ascontiguousarray(t[None, :]), np.ascontiguousarray(size[None, :]),
                        np.arange(n, dtype=np.int64)[None, :], np.array([n], dtype=np.int64), w, r)
    return int(w[0, 0]), int(r[0, 0])


base = st.floats(1.0, 1000.0, allow_nan=False)
jitter = st.sampled_from([0.0, 1e-12, -1e-12, 3e-10, -3e-10, 1e-7, -1e-7])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(base, base, jitter, jitter, st.integers(1, 4), st.booleans()), min_size=1, max_size=7),
       st.floats(0.1, 10.0))
def test_random_near_ties_agree_on_every_path(rows, g):
    # rows share c and t up to tiny relative jitters, so scores, c and t nearly tie
    c0, t0 = rows[0][0], rows[0][1]
    c = np.array([c0 * (1 + dc) if i % 2 else cc for i, (cc, _, dc, _, _, _) in enumerate(rows)])
    t = np.array([t0 * (1 + dt) if i % 2 else tt for i, (_, tt, _, dt, _, _) in enumerate(rows)])
    size = np.array([r[4] for r in rows], dtype=np.int64)
    eligible = np.array([r[5] for r in rows])
    ex = ps.Linear(g=g)
    score = np.asarray(ex.score(c, t), dtype=float)
    expect = reference.winner_runner(list(score), list(c), list(t), list(size), list(eligible))
    ranked = order(score, c, t, size, eligible)                        # rank's path
    top, _ = best_rows(score, c, t, size, eligible, 2)                 # search's path
    # search passes int8 sizes (millions of rows): the same ranking and ties
    assert [a.tolist() for a in best_rows(score, c, t, size.astype(np.int8), eligible, 3)] == \
        [a.tolist() for a in best_rows(score, c, t, size, eligible, 3)]
    w_col, r_col = winners_by_column(score[:, None], c, t, size, eligible)  # experiments / NumPy
    custom_score = np.asarray(ps.custom(lambda cc, tt: g * cc + tt).score(c, t), dtype=float)
    got = {
        "rank": (int(ranked[0]) if eligible[ranked[0]] else -1,
                 int(ranked[1]) if len(ranked) > 1 and eligible[ranked[1]] else -1),
        "search": (int(top[0]) if len(top) else -1, int(top[1]) if len(top) > 1 else -1),
        "experiments": (int(w_col[0]), int(r_col[0])),
        "kernel": kernel_winner(score, c, t, size, eligible),
        "custom": kernel_winner(custom_score, c, t, size, eligible),
    }
    for path, pair in got.items():
        assert pair == expect, path


def test_tie_mask_is_is_tie_elementwise():
    """best_rows's array form of the tie rule gives is_tie's booleans, row by row."""
    from priorsearch.exchange.ties import TIE_RTOL, _tie_mask, is_tie

    rng = np.random.default_rng(3)
    base = rng.normal(size=200) * 10.0 ** rng.integers(-12, 12, size=200)
    near = [b * (1 + f * TIE_RTOL) for b in (1.0, -3.5, 1e-12, 1e9) for f in (0.0, 0.5, 0.999, 1.0, 1.001, 2.0)]
    s = np.concatenate([base, near, [np.inf, -np.inf, 0.0, -0.0, 1e-9, -1e-9]])
    for best in (0.0, 1.0, -3.5, 1e9, 1e-12, float(base[0]), np.inf, -np.inf):
        mask = _tie_mask(s, best)
        assert mask.tolist() == [bool(is_tie.py_func(float(x), float(best))) for x in s], best
