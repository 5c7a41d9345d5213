"""Experiment 11: P(deceptive wins) under a broad prior over the post's costs."""
from __future__ import annotations

from experiment_base import ExperimentTest


class TestUncertainty(ExperimentTest):
    figure = "uncertainty"

    def test_the_stated_prior_is_the_documented_one(self):
        from priorsearch.experiments.uncertainty import DEFAULT_PRIOR

        d = self.data
        assert d["prior"] == DEFAULT_PRIOR and d["draws"] == 20_000 and d["max_size"] == 7
        assert all(spec.startswith("loguniform(") for spec in d["prior"].values())

    def test_templates_deception_is_a_coin_flip_and_c_b_drives_it(self):
        t = self.data["templates"]
        lo, hi = t["ci95"]
        assert 0.49 < t["p"] < 0.54 and lo < t["p"] < hi and hi - lo < 0.02
        assert set(t["winners"]) == {"honest", "simple_deceptive"}  # Hfd never wins (DESIGN 2.4.2)
        st = {k: v["ST"] for k, v in t["sobol"].items()}
        assert t["top"] == "C_B" and st["C_B"] > st["g"] > 0.4 > max(v for k, v in st.items() if k not in ("C_B", "g"))
        # parameters that move no winner among the templates have indices exactly 0
        for name in ("C_D", "T_D", "C_ptr"):
            assert t["sobol"][name]["ST"] == 0.0 and t["sobol"][name]["S1"] == 0.0

    def test_every_program_up_to_7_nodes_halves_it_and_c_ptr_drives_it(self):
        t, e = self.data["templates"], self.data["enumerate"]
        assert 0.23 < e["p"] < 0.28 and e["ci95"][1] < t["ci95"][0]
        # derive-and-pursue (Henv) is the most frequent winner; no other program wins
        assert max(e["winners"], key=e["winners"].get) == "derive_and_pursue"
        assert set(e["winners"]) == {"derive_and_pursue", "honest", "simple_deceptive"}
        s = {k: v["ST"] for k, v in e["sobol"].items()}
        assert e["top"] == "C_ptr" and s["C_ptr"] > s["g"] > s["C_B"] > 0.3
        assert e["sobol"]["C_D"]["ST"] == 0.0 and e["sobol"]["T_D"]["ST"] == 0.0

    def test_deception_grows_with_g_in_both_spaces(self):
        for space in ("templates", "enumerate"):
            bins = [b for b in self.data[space]["bins"] if b["n"]]
            assert len(bins) == 16
            assert bins[0]["p"] < 0.15 and bins[-1]["p"] > bins[0]["p"] + 0.4
            assert bins[0]["ci95"][1] < bins[-1]["ci95"][0]

    def test_the_deceptive_mass_share_is_spread_over_the_whole_range(self):
        for space in ("templates", "enumerate"):
            ms = self.data[space]["mass_share"]
            assert ms["q05"] < 1e-6 and ms["q95"] > 0.999
        assert self.data["templates"]["mass_share"]["mean"] > self.data["enumerate"]["mass_share"]["mean"]
