"""Experiment 6: a free, observable deployment flag does not make Hfd win."""
from __future__ import annotations

import numpy as np

import priorsearch as ps
from analysis_entries import data
from experiment_base import ExperimentTest


class TestObservableFlag(ExperimentTest):
    figure = "observable_flag"

    def test_margin_shrinks_to_g_c_s_and_never_below(self):
        d = self.data
        s, C_S = d["s"], d["C_S"]
        assert C_S == 1 and d["g"].tolist() == [0.5, 1, 2, 4]
        for i, g in enumerate(d["g"]):
            margin = d["linear"][i]
            assert np.allclose(margin, g * (C_S + s * d["C_D0"]) + s * d["T_D0"], rtol=1e-12)
            assert (np.diff(margin) > 0).all()                 # smaller s, smaller margin
            assert s[0] == 0 and abs(margin[0] - g * C_S) < 1e-12
            assert margin.min() > 0
        assert np.allclose(d["levin"][:, 0], C_S, rtol=1e-12) and d["levin"].min() > 0

    def test_with_a_free_flag_and_a_free_objective_the_tie_rule_still_picks_hfh(self):
        ranking = ps.rank(params={"C_D": 0, "T_D": 0, "C_S": 0},
                          programs=[ps.template("honest"), ps.template("fast_deceptive")], g=1)
        assert ranking.tie and ranking.winner.label == "Hfh"
