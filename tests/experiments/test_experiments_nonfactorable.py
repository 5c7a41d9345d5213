"""Experiment 9: search machinery paid per objective makes Hsd lose on both axes."""
from __future__ import annotations

import numpy as np

from analysis_entries import data
from experiment_base import ExperimentTest


class TestNonfactorable(ExperimentTest):
    figure = "nonfactorable"

    def test_factorable_tie_ignores_c_m(self):
        d = self.data
        post = d["panels"][0]
        assert np.allclose(post["g_star"], 30 / 16, rtol=1e-12)
        assert np.allclose(post["dc"], -16) and np.allclose(post["dt"], 30)

    def test_per_objective_hsd_loses_on_both_axes_past_the_threshold(self):
        d = self.data
        cm, g, panel = d["C_M"], d["g"], d["panels"][1]
        assert d["threshold"] == 16                          # C_B - C_S - C_comb
        assert np.allclose(panel["dc"], cm - 16) and np.allclose(panel["dt"], 30)
        past = cm > d["threshold"]
        assert (panel["dc"][past] > 0).all() and (panel["dt"] > 0).all()
        assert (panel["labels"][:, past] == "Hfh").all() and np.isinf(panel["g_star"][past]).all()
        before = cm < d["threshold"]
        assert np.allclose(panel["g_star"][before], 30 / (16 - cm[before]), rtol=1e-12)
        for j in np.flatnonzero(before):
            star = panel["g_star"][j]
            ok = np.abs(g - star) > 1e-6 * star
            assert (panel["labels"][ok, j] == np.where(g[ok] < star, "Hfh", "Hsd")).all()
        assert "Hfd" not in panel["labels"] and "Hfd" not in d["panels"][0]["labels"]

    def test_hfd_pays_the_search_machinery_twice_too(self):
        from priorsearch.experiments.common import load_model, template_table, template_totals

        for name, extra in (("post", 0), ("nonfactorable", 50)):
            table = template_table(load_model(name), ["honest", "fast_deceptive"])
            c, _ = template_totals(table)
            assert c[1, 0] - c[0, 0] == 1 + 2 + extra          # C_S + C_D (+ C_M once more)


def test_the_extra_search_is_the_one_specialised_to_base():
    """Correction (f): "strengthens the post" assumes that playing along in training needs
    machinery specialised to the base objective.  In the model Hsd's extra C_M is exactly
    the item mesaoptimize[base] that combine's playing along pays; without it the length
    difference is the factorable -16 bits again."""
    from priorsearch.experiments.common import load_model, template_table

    model = load_model("nonfactorable")
    table = template_table(model, ["honest", "simple_deceptive"])
    items = table.layout.item_names
    hsd = {items[i] for i in np.flatnonzero(table.desc[1])}
    hfh = {items[i] for i in np.flatnonzero(table.desc[0])}
    assert {"mesaoptimize[base]", "mesaoptimize[simplest]"} <= hsd and "mesaoptimize[simplest]" not in hfh
    c = table.totals(table.layout.cost_arrays())[0][:, 0]
    p = model.parameters
    assert c[1] - c[0] == p["C_M"] - 16
    assert c[1] - p["C_M"] - c[0] == -16   # what Hsd would pay if playing along reused its own search
