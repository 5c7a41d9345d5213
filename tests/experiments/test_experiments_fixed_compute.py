"""Experiment 5: fixed compute under the cap exchange, and the rollout budget."""
from __future__ import annotations

import numpy as np

from analysis_entries import data
from experiment_base import ExperimentTest


class TestFixedCompute(ExperimentTest):
    figure = "fixed_compute"

    def test_cap_winner_regions(self):
        d = self.data
        k, cb, labels = d["k"], d["C_B"], d["labels"]
        assert d["t"] == {"Hfh": 101.0, "Hsd": 131.0, "Hfd": 101.5, "Hhyb": 110.5}
        assert (labels[:, k < 101] == "none").all()
        assert (labels[:, (k >= 101) & (k < 110.5)] == "Hfh").all()
        # correction (b): with the hybrid in the space the cap picks Hhyb for every
        # k >= 110.5 once C_B > C_S + C_D + C_ptr = 3 (c(Hhyb) = 153 < c(Hsd) = 154)
        late = labels[:, k >= 110.5]
        assert d["c_threshold_hybrid"] == 3
        assert (late[cb > 3] == "Hhyb").all() and (late[cb <= 3] == "Hfh").all()
        assert "Hfd" not in labels and "Hsd" not in labels
        # the safe slack is 9.5 time units, about 9 % above t(Hfh), not 30 %
        assert d["t"]["Hhyb"] - d["t"]["Hfh"] == 9.5 and round(d["t"]["Hhyb"] / d["t"]["Hfh"] - 1, 3) == 0.094
        # without the hybrid the next program up is Hsd: the "30 %" the summary once gave
        assert round(d["t"]["Hsd"] / d["t"]["Hfh"] - 1, 2) == 0.30

    def test_episode_budget_and_marginal_loss(self):
        d = self.data
        k, T = d["k"], d["T"]
        assert T == 1e6
        assert np.allclose(d["episodes"], T / k) and np.allclose(d["lost"], T / k - T / (k + 1), rtol=1e-12)
        at = {x: int(np.argmin(np.abs(k - x))) for x in (101, 131)}
        assert k[at[101]] == 101 and k[at[131]] == 131
        assert abs(d["episodes"][at[101]] - 9900.990099) < 1e-5
        assert abs(d["episodes"][at[131]] - 7633.587786) < 1e-5
        assert abs(1 - d["episodes"][at[131]] / d["episodes"][at[101]] - 0.229008) < 1e-6
        assert abs(d["lost"][at[101]] - 1e6 / 10302) < 1e-9 and abs(d["lost"][at[101]] - 97.068531) < 1e-6

    def test_vectorised_cap_score_is_the_cap_exchange(self):
        from priorsearch.exchange import Cap
        from priorsearch.experiments.fixed_compute import _cap_score

        c, t = np.array([170.0, 154.0, 173.0]), np.array([101.0, 131.0, 101.5])
        for k in (100.0, 101.0, 101.4, 130.99, 131.0, 200.0):
            assert np.array_equal(_cap_score(c, t, k), Cap(k=k).score(c, t))


def test_tk_k_plus_1_read_literally_is_impossible():
    """Correction (e): the post's "Tk(k+1)" is T/(k(k+1)) with the fraction bar lost in
    transcription: read literally, the episodes lost would exceed the episodes bought."""
    from priorsearch.exchange import episodes_in_budget, episodes_lost

    T, k = 1e6, 101.0
    literal = T * k * (k + 1)
    assert literal > 1e10 > episodes_in_budget(T, k)
    assert abs(episodes_lost(T, k) - T / (k * (k + 1))) < 1e-12 and episodes_lost(T, k) < episodes_in_budget(T, k)
