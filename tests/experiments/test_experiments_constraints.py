"""Experiment 10: more checked training episodes, fewer survivors — but not fewer
programs that differ only off-distribution."""
from __future__ import annotations

import numpy as np

from analysis_entries import data
from experiment_base import ExperimentTest


class TestConstraints(ExperimentTest):
    figure = "constraints"

    def test_survivors_fall_as_constraints_are_added(self):
        d = self.data
        assert d["episodes"] == ["train_1", "train_2", "train_3", "train_4"] and d["max_size"] == 10
        assert d["total"] == 2001
        assert d["compatible"].tolist() == [2001, 667, 351, 323, 303]
        assert (np.diff(d["compatible"]) < 0).all()
        assert (d["aligned"] + d["deceptive"] + d["proxy"] == d["compatible"]).all()
        # with nothing checked, 382 programs pursue one non-base goal everywhere: proxies
        # (after Hubinger), not deceptive; one checked episode removes them all
        assert d["deceptive"].tolist() == [952, 316, 140, 132, 112]
        assert d["proxy"].tolist() == [382, 0, 0, 0, 0]
        share = d["deceptive"] / d["compatible"]
        assert np.allclose(share[[0, -1]], [952 / 2001, 112 / 303])
        assert np.round(share, 3).tolist() == [0.476, 0.474, 0.399, 0.409, 0.37]
        # the share is not monotone: checking train_3 removes aligned programs too
        assert share[3] > share[2]

    def test_the_non_monotone_share_depends_on_the_size_limit(self):
        """Correction (g): the rise at m = 3 holds at 10, 13 and 16 nodes, not at 7
        (where checking train_3 and train_4 changes nothing)."""
        from priorsearch.experiments.common import load_model
        from priorsearch.experiments.constraints import constraint_counts
        from priorsearch.space.enumerate import enumerate_classes

        model = load_model("dense_sparse")
        shares = {}
        for size in (7, 13, 16):
            c = constraint_counts(model, size, enumerate_classes)
            shares[size] = c["deceptive"] / c["compatible"]
        assert np.allclose(shares[7][2:], 4 / 11)
        for size in (13, 16):
            assert shares[size][3] > shares[size][2]
        assert np.round(shares[16], 3).tolist() == [0.505, 0.492, 0.41, 0.423, 0.372]

    def test_off_distribution_deception_survives_every_constraint(self):
        d = self.data
        assert d["off_distribution"] == 112
        assert (d["offdist_survive"] == d["off_distribution"]).all()
        # with every training episode checked the deceptive survivors are exactly these,
        # and each of them reads the deployment flag (no input feature tells deploy apart)
        assert d["deceptive"][-1] == d["off_distribution"] == d["deceptive_use_flag"]

    def test_checked_flag_is_what_classify_uses(self, post_model):
        from priorsearch.experiments.constraints import with_checked
        from priorsearch.experiments.common import load_model

        model = load_model("dense_sparse")
        for m in range(5):
            checked = [e.checked for e in with_checked(model, m).episodes]
            assert checked == [i < m for i in range(4)] + [False]
