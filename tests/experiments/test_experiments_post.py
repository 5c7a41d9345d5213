"""Experiment 1: the post's diagram — Hfd wins nowhere; Hfh and Hsd split at the tie."""
from __future__ import annotations

import numpy as np

from analysis_entries import phase

DT = 1 + 10 + 20 - 1     # T_comb + T_F + T_MO - T_B (post.toml)
C_SC = 1 + 3             # C_S + C_comb


def test_hfd_wins_nowhere():
    d = phase("post_phase")
    assert d.names == ["honest", "simple_deceptive", "fast_deceptive"]
    counts = d.region_counts()
    assert set(counts) == {0, 1}          # Hfh and Hsd only; no empty cell either
    assert counts[0] + counts[1] == 201 * 201
    assert round(100 * counts[0] / d.winner.size, 1) == 56.1 and round(100 * counts[1] / d.winner.size, 1) == 43.9


def test_winners_follow_the_linear_tie():
    d = phase("post_phase")
    G, CB = np.meshgrid(d.x_values, d.y_values)
    with np.errstate(divide="ignore"):
        star = np.where(CB > C_SC, DT / (CB - C_SC), np.inf)
    clear = np.abs(G - star) > 1e-6 * np.minimum(star, 1e300)
    assert (d.winner[clear] == np.where(G[clear] < star[clear], 0, 1)).all()
    assert (d.winner[CB <= C_SC] == 0).all()


def test_tie_curve_is_g_times_length_difference_equals_time_difference():
    d = phase("post_phase")
    (tie,) = [t for t in d.ties if {t["a"], t["b"]} == {0, 1}]
    pts = np.concatenate(tie["segments"])
    assert len(pts) > 100
    # the drawn curve is a contour of the exact condition on a fine grid: within 0.05%
    assert np.allclose(pts[:, 0] * (pts[:, 1] - C_SC), DT, rtol=5e-4)
    assert abs(DT / (20 - C_SC) - 1.875) < 1e-12      # the worked example's g*
