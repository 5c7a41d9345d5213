"""Experiment 4: many misaligned objectives — the heaviest class vs the best program."""
from __future__ import annotations

import numpy as np

from analysis_entries import data

G_STAR = 30 / 16  # the post's tie between Hfh and Hsd (worked example)


def test_best_single_program_ignores_k():
    d = data("counting")
    g = d["g"]
    for row in d["best_source"]:
        assert row == ["optimize(base_obj)" if x < G_STAR else "combine(misaligned_i)" for x in g]
    assert (d["best_class"] == (g >= G_STAR)[None, :]).all()


def test_heaviest_class_is_deceptive_where_the_best_program_is_honest():
    d = data("counting")
    K, g, ratio = d["K"], d["g"], d["log2_ratio"]
    differ = (ratio > 0) & (d["best_class"] == 0)
    assert not differ[K == 1].any()
    assert differ.any() and (np.broadcast_to(g, differ.shape)[differ] < G_STAR).all()
    # where the best program is deceptive the deceptive class is heavier too
    assert (ratio[d["best_class"] == 1] > 0).all()
    # the mismatch starts where K copies of Hsd outweigh Hfh: g > 30/(16 + log2 K),
    # found on the grid (step 0.05) within one step of that prediction
    for i, k in enumerate(K):
        if k == 1:
            continue
        first = g[differ[i]].min()
        assert abs(first - 30 / (16 + np.log2(k))) <= 0.05 + 1e-9
    assert abs(g[differ[list(K).index(64)]].min() - 1.4) < 1e-9
    assert int(differ.sum()) == 39


def test_deceptive_mass_grows_with_k_where_hsd_carries_it():
    d = data("counting")
    g, ratio = d["g"], d["log2_ratio"]
    assert (np.diff(ratio[:, g >= 1.5 - 1e-9], axis=0) > 0).all()
    near = g >= 1.75 - 1e-9
    assert np.abs(ratio - d["leading_term"])[:, near].max() < 0.05
    # at g = 1 the deceptive mass is carried by Hfd-like programs instead, about 7 bits
    # below the aligned class and not growing with K under the prefix code
    at1 = ratio[:, 0]
    assert g[0] == 1 and (at1 < -6.5).all() and (at1 > -7.5).all()


def test_truncated_masses_have_converged_where_the_classes_disagree():
    d = data("counting")
    g = d["g"]
    moved = np.abs(d["log2_ratio"] - d["log2_ratio_smaller"])
    assert d["max_size"] == 7
    assert moved[:, g >= 1.4 - 1e-9].max() < 0.11
    assert moved.max() < 1.5
