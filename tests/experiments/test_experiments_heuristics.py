"""Experiment 8: multiplying lengths by m_c and times by m_t moves g* by m_t/m_c."""
from __future__ import annotations

import numpy as np

from analysis_entries import data
from experiment_base import ExperimentTest


class TestHeuristics(ExperimentTest):
    figure = "heuristics"

    def test_tie_scales_by_m_t_over_m_c(self):
        d = self.data
        m = d["m"]
        MC, MT = np.meshgrid(m, m)
        assert d["g_star0"] == 1.875
        assert np.allclose(d["g_star"], d["g_star0"] * MT / MC, rtol=1e-12)
        # over the grid the tie spans 2^-6 .. 2^6 times g*0
        assert np.isclose(d["g_star"].max() / d["g_star0"], 64) and np.isclose(d["g_star"].min() / d["g_star0"], 1 / 64)

    def test_equal_multipliers_change_no_winner(self):
        d = self.data
        assert len(d["m"]) > 1 and set(np.unique(d["base_winners"])) == {"Hfh", "Hsd"}
        assert (d["equal_winners"] == d["base_winners"][None, :]).all()
