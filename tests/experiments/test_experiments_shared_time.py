"""Experiment 3: a shared search time T_M moves the Levin tie, not the linear one."""
from __future__ import annotations

import numpy as np

from analysis_entries import data
from experiment_base import ExperimentTest


class TestSharedTime(ExperimentTest):
    figure = "shared_time"

    def test_linear_tie_does_not_move_with_t_m(self):
        d = self.data
        assert np.allclose(d["g_star"], 30 / 16, rtol=1e-12)
        for j, star in enumerate(d["g_star"]):
            col = d["linear"][:, j]
            assert (col == np.where(d["g"] < star, "Hfh", "Hsd")).all()

    def test_levin_tie_is_the_formula_and_rises_with_t_m(self):
        d = self.data
        tm = d["T_M"]
        expected = 16 / np.log2((tm + 31) / (tm + 1))
        assert np.allclose(d["lambda_star"], expected, rtol=1e-9)
        assert (np.diff(d["lambda_star"]) > 0).all()
        assert abs(d["lambda_star"][0] - 4.0) < 1e-9            # T_M = 1: 16 / log2(32/2)
        assert 3.69e4 < d["lambda_star"][-1] < 3.70e4            # T_M = 1e5
        lam = d["lambda"]
        for j, star in enumerate(d["lambda_star"]):
            ok = np.abs(lam - star) > 1e-6 * star
            assert (d["levin"][ok, j] == np.where(lam[ok] < star, "Hsd", "Hfh")).all()

    def test_levin_kt_favours_hsd_at_every_shared_time(self):
        d = self.data
        # lambda* >= 16/log2(31) = 3.23 > 1 for every T_M >= 0, so at lambda = 1 Hsd wins
        assert d["lambda_star"].min() > 16 / np.log2(31) > 1
        assert abs(16 / np.log2(31) - 3.23) < 0.005
        row = int(np.argmin(np.abs(d["lambda"] - 1.0)))
        assert abs(d["lambda"][row] - 1.0) < 1e-9
        assert (d["levin"][row] == "Hsd").all()
        assert "Hfd" not in d["levin"] and "Hfd" not in d["linear"]


def test_kt_favours_hsd_even_without_a_shared_search_time():
    """Correction (d): at T_M = 0, under Kt (lambda = 1), Hsd still wins: its 16 bits
    saved beat log2(t(Hsd)/t(Hfh)) = log2(31/1) ≈ 4.95 bits (at the worked example's
    T_M = 100 the ratio is only log2(131/101) ≈ 0.375).  So Hsd's Kt win is not the
    commenter's shared-time effect; only the growth of lambda* with T_M is."""
    import priorsearch as ps

    ranking = ps.rank(exchange="levin", params={"T_M": 0})
    assert ranking.winner.label == "Hsd"
    scores = {p.label: p.score for p in ranking.programs}
    assert abs(scores["Hfh"] - 170) < 1e-12 and abs(scores["Hsd"] - (154 + np.log2(31))) < 1e-12
    assert abs(16 / np.log2(31) - 3.2296) < 1e-4 and abs(np.log2(131 / 101) - 0.375) < 1e-3
