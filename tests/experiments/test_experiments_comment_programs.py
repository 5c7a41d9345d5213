"""Experiment 2 (analysis/README.md): the comment thread's programs change the winner map."""
from __future__ import annotations

import numpy as np

from analysis_entries import data
from priorsearch.experiments.common import load_model, template_table, template_totals
from experiment_base import ExperimentTest

P = dict(C_S=1, C_comb=3, C_D=2, C_ptr=0, T_B=1, T_comb=1, T_F=10, T_MO=20, T_D=0.5)  # post.toml


def _panel(i):
    d = data("comment_programs")
    return d["g"], d["panels"][i]


def _away_from(g, boundary, rtol=1e-6):
    return np.abs(g - boundary) > rtol * boundary


class TestCommentPrograms(ExperimentTest):
    figure = "comment_programs"

    def test_post_three_hfd_nowhere_and_tie_at_g_star(self):
        g, panel = _panel(0)
        assert set(np.unique(panel["labels"])) == {"Hfh", "Hsd"}
        for cb, row in zip(panel["y"], panel["labels"]):
            dc = cb - P["C_S"] - P["C_comb"]
            dt = P["T_comb"] + P["T_F"] + P["T_MO"] - P["T_B"]
            if dc <= 0:
                assert (row == "Hfh").all()
                continue
            star = dt / dc
            ok = _away_from(g, star)
            assert (row[ok] == np.where(g[ok] < star, "Hfh", "Hsd")).all()

    def test_hybrid_is_shorter_and_faster_than_hsd(self):
        table = template_table(load_model("post"), ["simple_deceptive", "hybrid"])
        c, t = template_totals(table)
        assert c[0, 0] - c[1, 0] == 1 and t[0, 0] - t[1, 0] == 20.5

    def test_hybrid_replaces_hsd_and_grows_the_deceptive_region(self):
        g, post = _panel(0)
        _, hyb = _panel(1)
        assert "Hsd" not in hyb["labels"] and "Hfd" not in hyb["labels"]
        # every cell where Hsd won now goes to the (also deceptive) hybrid, and more
        assert (hyb["labels"][post["labels"] == "Hsd"] == "Hhyb").all()
        assert (hyb["labels"] == "Hhyb").sum() > (post["labels"] == "Hsd").sum()
        # at the worked example's C_B = 20 the hybrid wins above g = 9.5/17, Hsd only above 30/16
        row = hyb["labels"][list(hyb["y"]).index(20.0)]
        star = (P["T_D"] + P["T_F"] - P["T_B"]) / (20 - P["C_S"] - P["C_D"] - P["C_ptr"])
        assert abs(star - 0.5588235294) < 1e-9
        ok = _away_from(g, star)
        assert (row[ok] == np.where(g[ok] < star, "Hfh", "Hhyb")).all()

    def test_derive_and_pursue_leaves_no_deceptive_winner(self):
        g, panel = _panel(2)
        assert set(np.unique(panel["labels"])) == {"Hfh", "Henv"}
        # Henv (C_ptr = 0) takes over above g = (T_F - T_B) / C_B
        for cb, row in zip(panel["y"], panel["labels"]):
            if cb == 0:
                continue
            star = (P["T_F"] - P["T_B"]) / cb
            ok = _away_from(g, star)
            assert (row[ok] == np.where(g[ok] < star, "Hfh", "Henv")).all()

    def test_hsd_survives_derive_and_pursue_only_when_pointing_costs_more_than_c_s_plus_c_comb(self):
        g, panel = _panel(3)
        assert panel["y_name"] == "C_ptr"
        threshold = self.data["ptr_threshold"]
        assert threshold == P["C_S"] + P["C_comb"] == 4
        has_hsd = (panel["labels"] == "Hsd").any(axis=1)
        assert not has_hsd[panel["y"] <= threshold].any()
        assert has_hsd[panel["y"] > threshold].any()
        # above the threshold Hsd must beat Hfh (g > 30/16), Henv (g > 21/(C_ptr - 4)) and
        # Hhyb (g > 20.5/(C_ptr - 1)); with g <= 10 that first happens past C_ptr = 6.1
        for ptr, row, hsd in zip(panel["y"], panel["labels"], has_hsd):
            if ptr <= threshold:
                continue
            need = max(30 / 16, 21 / (ptr - 4), 20.5 / (ptr - 1))
            assert hsd == bool((g > need * (1 + 1e-6)).any())
        assert panel["y"][has_hsd].min() == 6.25

    def test_no_program_outside_the_templates_wins_in_the_enumerated_dsl(self):
        d = self.data
        assert d["max_size"] == 9
        for templates, enumerated in ((2, 4), (3, 5)):
            a, b = d["panels"][templates], d["panels"][enumerated]
            assert b["programs"] == ["enumerate"] and b["y_name"] == a["y_name"]
            assert np.array_equal(a["y"], b["y"])
            assert (a["labels"] == b["labels"]).all()
        assert d["panels"][4]["classes"] == 366


class TestCombinePaysPointer(ExperimentTest):
    """Correction (a): combine re-derives base without paying C_ptr, while Henv and Hhyb
    pay it ("the deceptive model gets the pointer for free").  Panel (d)'s deceptive
    region, 22.2 % of its cells, exists only because of that: if combine pays C_ptr too,
    Hsd wins no cell (Henv is then shorter by C_S + C_comb and faster by
    T_comb + T_MO)."""

    figure = "comment_programs_ptr"

    def test_hsd_region_exists_only_with_a_free_pointer(self):
        free = data("comment_programs")["panels"]
        paid = self.data["panels"]
        assert self.data["combine_pays_ptr"] and not data("comment_programs")["combine_pays_ptr"]
        assert round(float((free[3]["labels"] == "Hsd").mean()), 3) == 0.222
        assert (free[5]["labels"] == free[3]["labels"]).all()  # the enumeration agrees
        for i in (3, 5):
            assert "Hsd" not in paid[i]["labels"] and set(np.unique(paid[i]["labels"])) == {"Hfh", "Henv"}
        # the C_B panels have C_ptr = 0: paying it changes nothing there
        for i in (0, 1, 2, 4):
            assert (paid[i]["labels"] == free[i]["labels"]).all()
