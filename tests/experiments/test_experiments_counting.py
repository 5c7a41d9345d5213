"""Experiment 4: many misaligned objectives — the heaviest class vs the best program,
under the prefix code (masses that converge), for K from 1 to 2^100."""
from __future__ import annotations

import numpy as np

from experiment_base import ExperimentTest

G_STAR = 30 / 16  # the post's tie between Hfh and Hsd (worked example)


class TestCounting(ExperimentTest):
    figure = "counting"

    def test_best_single_program_ignores_k(self):
        d = self.data
        g = d["g"]
        assert d["K"].max() == 2.0 ** 100
        for row in d["best_source"]:
            assert row == ["optimize(base_obj)" if x < G_STAR else "combine(misaligned_i)" for x in g]
        assert (d["best_class"] == (g >= G_STAR)[None, :]).all()

    def test_class_boundary_moves_to_30_over_16_plus_log2_k(self):
        """Hsd and Hfh have one Obj node each, so the prefix code's log2(K + 2) bits for it
        cancel and K copies of Hsd remain: the deceptive class is heavier from
        g = 30 / (16 + log2 K) — 0.26 at K = 2^100 — while the best program is Hfh up to
        g* = 1.875 for every K."""
        d = self.data
        K, g, ratio = d["K"], d["g"], d["log2_ratio"]
        step = g[1] - g[0]
        differ = (ratio > 0) & (d["best_class"] == 0)
        assert not differ[K == 1].any()
        for i, k in enumerate(K):
            if k == 1:
                continue
            boundary = 30 / (16 + np.log2(k))
            assert d["boundary"][i] == boundary
            first = g[differ[i]].min()
            # the first grid point at or above the formula's boundary
            assert 0 <= first - boundary < step + 1e-9, (k, first, boundary)
            assert (differ[i] == ((g >= first) & (g < G_STAR))).all()
        at = list(K).index(2.0 ** 100)
        assert abs(g[differ[at]].min() - 0.3) < 1e-9 and abs(d["boundary"][at] - 30 / 116) < 1e-12
        assert int(differ.sum()) == 182
        # where the best program is deceptive the deceptive class is heavier too
        assert (ratio[d["best_class"] == 1] > 0).all()

    def test_deceptive_mass_grows_with_k_where_hsd_carries_it(self):
        d = self.data
        g, ratio = d["g"], d["log2_ratio"]
        assert (np.diff(ratio[:, g >= 1.5 - 1e-9], axis=0) > 0).all()
        near = g >= 1.75 - 1e-9
        assert np.abs(ratio - d["leading_term"])[:, near].max() < 0.05
        # below the boundary the deceptive mass is carried by Hfd-like programs instead,
        # 9 to 9.5 bits below the aligned class and not growing with K: at g = 0.2 even
        # K = 2^100 leaves the aligned class heavier (the boundary is at 0.26)
        at = ratio[:, 0]
        assert g[0] == 0.2 and (at < -8.8).all() and (at > -9.6).all()

    def test_truncated_masses_have_converged_where_the_classes_disagree(self):
        d = self.data
        moved = np.abs(d["log2_ratio"] - d["log2_ratio_smaller"])
        assert d["max_size"] == 7
        assert moved[d["log2_ratio"] > 0].max() < 0.03
