"""Experiments 11 and 12: a cheaper lossy objective (B vs B') and the camera proxy."""
from __future__ import annotations

import numpy as np

from experiment_base import ExperimentTest


class TestLossyObjective(ExperimentTest):
    figure = "lossy_objective"

    def test_the_tie_is_the_bit_saving_priced_by_g_over_w(self):
        d = self.data
        assert d["w"] == [0.01, 0.05, 0.2] and d["g"] == 1 and d["dt"] == 0
        prices, savings = d["loss_price"], d["saving"]
        for w, panel in zip(d["w"], d["panels"]):
            assert np.allclose(panel["tie"], d["g"] * savings / w)
            for i, s in enumerate(savings):
                row = panel["labels"][i]
                assert set(row) <= {"Hfh", "Hfh'"}  # g = 1 < 1.875: Hsd never wins
                if s == 0:  # no saving: the lossy objective never wins at a positive price
                    assert (row == "Hfh").all()
                    continue
                star = panel["tie"][i]
                assert (row[prices < star * (1 - 1e-9)] == "Hfh'").all()
                assert (row[prices > star * (1 + 1e-9)] == "Hfh").all()
        # e.g. a 10-bit saving must be priced above 1000 to lose when it misfires 1 % of the time
        assert d["panels"][0]["tie"][np.argmin(np.abs(savings - 10))] == 1000.0


class TestCameraProxy(ExperimentTest):
    figure = "camera_proxy"

    def test_classes_after_hubinger(self):
        assert self.data["class_of"] == {"Hfh": "aligned", "Hcam": "proxy", "Hsd": "deceptive",
                                         "Hfd": "deceptive", "Hcd": "deceptive"}

    def test_where_misgeneralisation_rather_than_deception_wins(self):
        d = self.data
        g, cc, labels = d["g"], d["C_cam"], d["labels"]
        assert "Hcd" not in labels and "Hfd" not in labels
        G, C = np.meshgrid(g, cc)
        # below C_B the proxy beats Hfh at every g (T_cam = T_B); against Hsd it wins
        # below g = 30/(C_cam - 4) (and at every g when C_cam <= 4)
        proxy_wins = (C < d["C_B"]) & ((C <= 4) | (G * (C - 4) < 30 * (1 - 1e-9)))
        assert (labels[proxy_wins] == "Hcam").all()
        assert (labels[~proxy_wins & (C < d["C_B"]) & (G * (C - 4) > 30 * (1 + 1e-9))] == "Hsd").all()
        above = C > d["C_B"]
        assert set(labels[above]) == {"Hfh", "Hsd"}
        assert (labels[above & (G < 1.875 * (1 - 1e-9))] == "Hfh").all()
        share = float((labels == "Hcam").mean())
        assert round(share, 3) == 0.368  # 36.8 % of the (g, C_cam) grid
