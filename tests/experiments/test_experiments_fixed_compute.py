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
        assert d["t"] == {"Hfh": 101.0, "Hsd": 131.0, "Hfd": 101.5}
        assert (labels[:, k < 101] == "none").all()
        assert (labels[:, (k >= 101) & (k < 131)] == "Hfh").all()
        late = labels[:, k >= 131]
        assert (late[cb > 4] == "Hsd").all() and (late[cb <= 4] == "Hfh").all()
        assert "Hfd" not in labels
        # the slack that hands the win to Hsd: 30 time units, 30 % above t(Hfh)
        assert d["t"]["Hsd"] - d["t"]["Hfh"] == 30 and round(d["t"]["Hsd"] / d["t"]["Hfh"] - 1, 2) == 0.30

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
