"""``ps.search`` / ``priorsearch search``: what searching every program shows (issue 3)."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.space.enumerate import enumerate_classes
from priorsearch.exchange import make_exchange, order
from priorsearch.lang.expr import parse_expr
from priorsearch.model.cost_model import Family, Primitive
from priorsearch.scoring.search import search_table


@pytest.fixture(scope="module")
def post9():
    """The default DSL up to 9 nodes: one enumeration serves every cost draw."""
    return enumerate_classes(ps.CostModel.default(), 9)


def winner(table, model, g):
    return search_table(table, "linear", model=model, g=g).winner.name


def g_star(p):
    """DESIGN 2.4.3: Hfh and Hsd tie at g*."""
    return (p["T_comb"] + p["T_F"] + p["T_MO"] - p["T_B"]) / (p["C_B"] - p["C_S"] - p["C_comb"])


def test_worked_example_hfh_below_g_star_hsd_above(post9):
    # find_base_obj priced like storing the objective (C_ptr = C_B), so Henv never wins
    # and the post's two programs are the whole lower envelope
    model = ps.CostModel.default().with_params(C_ptr=20)
    assert g_star(model.parameters) == 1.875
    for g in (0.01, 0.5, 1.0, 1.8, 1.87):
        assert winner(post9, model, g) == "honest"
    for g in (1.88, 2.0, 5.0, 100.0):
        assert winner(post9, model, g) == "simple_deceptive"
    # at g* the scores tie; the rule (smaller c first) picks Hsd and both are reported
    at = search_table(post9, "linear", model=model, g=1.875)
    assert at.winner.label == "Hsd" and at.winner.c == 154 and at.winner.t == 131
    assert [r.name for r in at.ties] == ["simple_deceptive", "honest"]
    assert at.top[1].tie and not at.top[2].tie


def test_random_costs_hfh_below_g_star_hsd_above(post9):
    rng = np.random.default_rng(3)
    base = ps.CostModel.default()
    for _ in range(15):
        p = dict(C_S=rng.uniform(0.1, 5), C_comb=rng.uniform(0.1, 5), C_D=rng.uniform(0.1, 5),
                 C_M=rng.uniform(0, 100), C_K=rng.uniform(0, 100), T_B=rng.uniform(0.1, 5),
                 T_comb=rng.uniform(0, 5), T_MO=rng.uniform(0, 30), T_M=rng.uniform(0, 200),
                 T_D=rng.uniform(0.1, 3))
        p["C_B"] = p["C_S"] + p["C_comb"] + rng.uniform(1, 40)
        p["T_F"] = p["T_B"] + rng.uniform(0.1, 20)
        p["C_ptr"] = p["C_B"] + rng.uniform(0, 10)        # Henv dominated by Hfh
        model = base.with_params(**p)
        gs = g_star(model.parameters)
        assert winner(post9, model, gs * 0.97) == "honest"
        assert winner(post9, model, gs * 1.03) == "simple_deceptive"


def test_cheap_find_base_obj_never_lets_hsd_win(post9):
    """C_ptr <= C_S + C_comb and T_comb + T_MO > 0: Henv beats Hsd for every g > 0, so
    the search returns Hfh or derive_and_pursue (not in the post), switching where their
    scores tie."""
    rng = np.random.default_rng(7)
    base = ps.CostModel.default()
    grid = np.geomspace(1e-3, 1e3, 25)
    for draw in range(12):
        p = dict(C_S=rng.uniform(0.1, 5), C_comb=rng.uniform(0.1, 5), C_D=rng.uniform(0.1, 5),
                 C_M=rng.uniform(0, 100), C_K=rng.uniform(0, 100), T_B=rng.uniform(0.1, 5),
                 T_comb=rng.uniform(0, 5), T_M=rng.uniform(0, 200), T_D=rng.uniform(0.1, 3))
        p["T_MO"] = rng.uniform(0.01, 30)
        p["C_ptr"] = rng.uniform(0, p["C_S"] + p["C_comb"])
        p["C_B"] = p["C_ptr"] + rng.uniform(0.5, 40)
        p["T_F"] = p["T_B"] + rng.uniform(0.1, 20)
        if draw == 0:
            p = {}  # the worked example itself has C_ptr = 0
        model = base.with_params(**p)
        q = model.parameters
        g_env = (q["T_F"] - q["T_B"]) / (q["C_B"] - q["C_ptr"])
        seen = set()
        for g in list(grid) + [g_env * 0.98, g_env * 1.02]:
            name = winner(post9, model, g)
            assert name != "simple_deceptive"
            assert name == ("honest" if g < g_env else "derive_and_pursue"), (draw, g, g_env)
            seen.add(name)
        assert seen == {"honest", "derive_and_pursue"}
        # where they tie, both are reported and the shorter (Henv) wins by the rule
        at = search_table(post9, "linear", model=model, g=g_env)
        assert {r.name for r in at.ties} == {"honest", "derive_and_pursue"}
        assert at.winner.name == "derive_and_pursue"


def _with_family(K):
    """The worked example (C_ptr = C_B) plus K misaligned objectives as cheap as simplest_obj."""
    member = Primitive("misaligned", "Obj", "objective", parse_expr("C_S"),
                       {"train": parse_expr("0"), "deploy": parse_expr("0")}, objective="misaligned_{i}")
    family = Family("misaligned", parse_expr(str(K)), member)
    return ps.CostModel.default().with_options(families=(family,)).with_params(C_ptr=20)


def test_deceptive_mass_grows_with_K_and_heaviest_class_differs_from_argmin():
    masses = []
    for K in (0, 1, 2, 4, 8, 16):
        result = ps.search(_with_family(K), max_size=5, g=1.0)
        masses.append(result.masses.classes)
        # the documented setting (README / search docs): worked example, C_ptr = C_B,
        # g = 1 well below g* = 1.875, programs up to 5 nodes.  Hfh is the argmin, but
        # with K = 16 misaligned objectives the deceptive class outweighs the aligned one
        assert result.winner.name == "honest" and result.argmin_class == "aligned"
        assert result.heaviest_class == ("deceptive" if K == 16 else "aligned")
        # a family's members are one deployment key, whatever K
        assert set(result.masses.deploy) >= {"base", "simplest"} | ({"misaligned_*"} if K else set())
        assert not any(re.fullmatch(r"misaligned_\d+", k) for k in result.masses.deploy)
    deceptive = [m["deceptive"] for m in masses]
    aligned = [m["aligned"] for m in masses]
    assert all(b > a for a, b in zip(deceptive, deceptive[1:]))
    assert max(aligned) - min(aligned) < 1e-9     # aligned programs do not change with K


def test_top_rows_are_the_first_rows_of_the_full_order(post9):
    model = ps.CostModel.default()
    for g in (0.3, 1.0, 2.0, 50.0):
        ex = make_exchange("linear", g=g)
        result = search_table(post9, ex, model=model, top=25)
        from priorsearch.scoring.search import _totals

        c, t, _ = _totals(post9, post9.layout.cost_arrays())
        eligible = post9.cls != 2
        full = order(ex.score(c, t), c, t, post9.size, eligible=eligible)
        assert [r.row for r in result.top] == [int(i) for i in full[:25]]


def test_search_cli_json_and_table(cli):
    r = cli("search", "--max-size", "9", "--g", "1.9", "--set", "C_ptr=20", "--top", "3", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["winner"]["name"] == "simple_deceptive" and data["winner"]["label"] == "Hsd"
    assert data["winner"]["source"] == "combine(simplest_obj)"
    assert len(data["top"]) == 3 and data["max_size"] == 9
    assert data["counts"]["programs"] == [0, 6, 0, 0, 18, 36, 0, 126, 252]
    assert data["programs"] == 438 and data["ties"]["count"] == 0
    assert set(data["masses"]["classes"]) == {"aligned", "deceptive", "compatible"}
    text = cli("search", "--max-size", "6", "--g", "1").out
    assert "winner: optimize(find_base_obj) = template derive_and_pursue (Henv), aligned" in text


def test_search_cli_refuses_too_many_classes(cli):
    r = cli("search", "--model", "programs/rich.toml", "--max-size", "9", "--max-classes", "5000")
    assert r.status == 2 and r.out == ""
    assert "--max-classes 5,000" in r.err and "classes" in r.err and "Traceback" not in r.err
    assert cli("search", "--max-size", "0").status == 2


def test_progress_bar_only_on_a_terminal_after_a_delay():
    import io

    from priorsearch.cli.search import ProgressBar

    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet = ProgressBar(io.StringIO(), delay=0.0)
    quiet(1.0, 3, "size 1/3")
    assert quiet.bar is None
    early = ProgressBar(Tty(), delay=60.0)
    early(1.0, 3, "size 1/3")
    assert early.bar is None
    stream = Tty()
    bar = ProgressBar(stream, delay=0.0)
    bar(2.0, 3, "size 2/3")
    bar.close()
    assert "size 2/3" in stream.getvalue()


def test_text_report_without_a_feasible_program_says_none(cli):
    r = cli("search", "--max-size", "6", "--exchange", "cap", "--set", "k=50")
    assert r.status == 0, r.err
    assert "argmin class none, heaviest class none" in r.out and "None" not in r.out
