"""Issue 12, "Why": every silent mistake, weak message and wrong label a new user met,
each with the corrected behaviour asserted (one test per item)."""
from __future__ import annotations

import re

import numpy as np
import pytest
import sympy

import priorsearch as ps
from paths import REPO
from priorsearch.errors import InputError, suggest

POST = (REPO / "programs" / "post.toml").read_text()


def _model_file(tmp_path, text, name="mine.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _one_error_line(r, status=2):
    assert r.status == status, (r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err
    return lines[0]


# ---------------------------------------------------------------- 1. the tie legend

def test_tie_legend_is_solved_for_the_plotted_parameter():
    d = ps.phase_diagram(x="C_B=1:60:60", y="T_F=0:60:61")
    (tie,) = d.ties
    name, _, rhs = tie["axis_tie"].partition("* = ")
    assert name == "T_F"
    expr = sympy.sympify(rhs)  # our own printed sympy text, not user input
    assert sympy.Symbol("T_F") not in expr.free_symbols  # never its own unknown
    # at the model's other values the printed T_F* is where Hfh and Hsd tie (DESIGN 2.3)
    m = ps.CostModel.default()
    g, cb = 1.0, 40.0
    env = {sympy.Symbol(k): v for k, v in m.parameters.items()}
    env.update({sympy.Symbol("g"): g, sympy.Symbol("C_B"): cb})
    tf = float(expr.subs(env))
    p = m.parameters
    c_h, c_s = cb + p["C_M"] + p["C_K"], p["C_S"] + p["C_comb"] + p["C_M"] + p["C_K"]
    t_h, t_s = p["T_B"] + p["T_M"], p["T_comb"] + tf + p["T_M"] + p["T_MO"]
    assert g * c_h + t_h == pytest.approx(g * c_s + t_s)


def test_tie_legend_on_the_exchange_axis_is_the_exchange_solution():
    d = ps.phase_diagram(x="g=0.5:5:10", y="C_B=20:40:11")
    (tie,) = d.ties
    assert tie["axis_tie"].startswith("g* = ") and "C_B - C_S - C_comb" in tie["axis_tie"]


def test_tie_legend_drawn_in_the_figure(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from priorsearch.plot.phase import plot_phase

    d = ps.phase_diagram(x="C_B=1:60:30", y="T_F=0:60:31")
    fig = plot_phase(d)
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    tie = [t for t in texts if t.startswith("exact tie")]
    assert tie and "T_F* =" in tie[0]
    assert "T_F" not in tie[0].split("T_F* =", 1)[1]


# ---------------------------------------------------------------- 2. silent mistakes

def test_objective_typo_names_the_ids_seen(tmp_path, cli):
    path = _model_file(tmp_path, POST.replace('objective = "base"', 'objective = "bas"'))
    for args in (("validate", path), ("rank", "--model", path)):
        line = _one_error_line(cli(*args))
        assert "'base'" in line and "'bas'" in line and "'simplest'" in line and "did you mean 'base'" in line
        assert line.startswith(f"{path}:")


def test_cap_needs_k(cli):
    line = _one_error_line(cli("rank", "--exchange", "cap"))
    assert "needs k" in line and "--set k=" in line
    with pytest.raises(InputError, match="needs k"):
        ps.make_exchange("cap").score(1.0, 2.0)
    assert ps.make_exchange("cap", k=5).score(1.0, 2.0) == 1.0
    # k given per point (an axis) is enough: the sweep supplies it
    assert cli("phase", "--exchange", "cap", "--x", "k=90:140:6", "--out", "none", "--data", "none").status == 0
    r = cli("rank", "--exchange", "cap", "--set", "k=120")
    assert r.status == 0 and "winner: honest" in r.out


def test_conflicting_values_for_one_parameter(cli):
    line = _one_error_line(cli("rank", "--set", "g=2", "--g", "3"))
    assert "conflicting values for g" in line and "--set g=2" in line and "--g 3" in line
    assert "conflicting" in _one_error_line(cli("rank", "--set", "C_B=2", "--set", "C_B=3"))
    assert cli("rank", "--set", "g=3", "--g", "3").status == 0  # the same value twice is no conflict


def test_episode_weights_one_rule_everywhere(tmp_path, cli):
    text = POST.replace("[parameters]", "[parameters]\nW = 1", 1)
    text = text.replace('name = "train"\nphase = "train"\nweight = 1', 'name = "train"\nphase = "train"\nweight = "W"')
    assert 'weight = "W"' in text
    path = _model_file(tmp_path, text)
    rank = _one_error_line(cli("rank", "--model", path, "--set", "W=0"))
    phase = _one_error_line(cli("phase", "--model", path, "--x", "W=0:1:51", "--out", "none", "--data", "none"))
    assert "training episode 'train' has weight 0" in rank and "must be > 0" in rank
    assert "training episode 'train' has weight 0 at W=0" in phase and "must be > 0" in phase
    assert cli("phase", "--model", path, "--x", "W=0.1:1:5", "--out", "none", "--data", "none").status == 0


# ---------------------------------------------------------------- 3. model files

def test_validate_checks_programs_against_the_model_given(tmp_path, cli):
    # a model whose Obj leaf is called differently: the packaged honest.prog fails against
    # it, and a program written for it passes only against it
    text = POST.replace('aliases = ["get_base_obj", "get_proxy_for_base_obj"]', 'aliases = ["stored_goal"]')
    model = _model_file(tmp_path, text)
    prog = tmp_path / "mine.prog"
    prog.write_text("mine = optimize(stored_goal)\n")
    r = cli("validate", model, prog)
    assert r.status == 0 and f"ok: {prog}" in r.out, r.err
    r = cli("validate", "--model", model, prog)
    assert r.status == 0, r.err
    r = cli("validate", prog)  # against the post's model: unknown name
    assert "unknown primitive 'stored_goal'" in _one_error_line(r)
    r = cli("validate", "--model", model, REPO / "programs" / "honest.prog")
    assert "unknown primitive 'get_base_obj'" in _one_error_line(r)


def test_default_templates_name_the_missing_aliases(tmp_path, cli):
    text = POST.replace('aliases = ["get_base_obj", "get_proxy_for_base_obj"]', "aliases = []")
    line = _one_error_line(cli("rank", "--model", _model_file(tmp_path, text)))
    assert "default templates" in line and "get_base_obj" in line and "--programs" in line
    assert "programs/honest.prog" not in line  # not located in a file the user never wrote


def test_model_without_name_is_named_after_its_file(tmp_path, cli):
    text = re.sub(r'(?m)^name = "post"\n', "", POST)
    path = _model_file(tmp_path, text, "mine.toml")
    m = ps.CostModel.load(path)
    assert m.name == "mine"
    r = cli("rank", "--model", path)
    assert r.out.startswith("model mine,") and "model model" not in r.out


def test_definition_using_a_definition_is_a_subroutine(tmp_path, cli):
    prog = tmp_path / "sub.prog"
    prog.write_text("a = optimize(base_obj)\nb = a\nc = optimize(if is_deployed then simplest_obj else base_obj)\n")
    r = cli("rank", "--programs", prog, "--json")
    assert r.status == 0, r.err
    import json

    rows = {p["name"]: p for p in json.loads(r.out)["programs"]}
    assert (rows["b"]["c"], rows["b"]["t"]) == (rows["a"]["c"], rows["a"]["t"]) == (170, 101)
    loop = tmp_path / "loop.prog"
    loop.write_text("a = optimize(if is_deployed then b else base_obj)\nb = a\n")
    assert "uses itself" in _one_error_line(cli("rank", "--programs", loop))


def test_primitive_without_args_gets_the_fix(tmp_path, cli):
    text = POST.replace('args = ["Obj"]', "", 1)
    assert text != POST
    line = _one_error_line(cli("validate", _model_file(tmp_path, text)))
    assert "takes exactly one argument" in line and 'args = ["Obj"]' in line


# ---------------------------------------------------------------- 4. messages

def test_suggestions_ignore_case_and_know_the_keys(tmp_path, cli):
    assert suggest("C_b", ["C_comb", "C_B", "C_S"]) == " (did you mean 'C_B'?)"
    assert suggest("c_comb", ["C_comb", "C_B"]) == " (did you mean 'C_comb'?)"
    assert suggest("time", ["c", "t", "type"]) == " (did you mean 't'?)"
    assert suggest("time", ["alpha"]) == ""  # a synonym only when its key is a choice
    assert "did you mean 'C_B'" in _one_error_line(cli("rank", "--set", "C_b=3"))
    text = POST.replace('t = "T_B"', 'time = "T_B"', 1)
    assert text != POST
    assert "did you mean 't'" in _one_error_line(cli("validate", _model_file(tmp_path, text)))


def test_misspelt_phase_blames_the_phase(tmp_path, cli):
    text = POST.replace('phase = "deploy"', 'phase = "deployment"')
    line = _one_error_line(cli("rank", "--model", _model_file(tmp_path, text)))
    assert "phase must be 'train' or 'deploy', got 'deployment'" in line and "did you mean 'deploy'" in line
    assert "shares its name" not in line


def test_file_of_the_wrong_kind_is_named(cli):
    line = _one_error_line(cli("rank", "--model", REPO / "programs" / "honest.prog"))
    assert "program file" in line and "--programs" in line
    line = _one_error_line(cli("rank", "--programs", REPO / "programs" / "post.toml"))
    assert "cost model" in line and "--model" in line
    # a .prog that is broken is still a program error, located in it
    assert "invalid TOML" not in line


# figures --check exit code: tests/integration/test_figures.py::test_figures_config_roundtrip (exit 3)

# ---------------------------------------------------------------- 5. labels

def test_programs_name_the_classes_they_fall_in(tmp_path, cli):
    prog = tmp_path / "mine.prog"
    prog.write_text("# label: Hme\nmine = optimize(base_obj)\n")
    result = ps.search(max_size=5, programs=[prog])
    assert "mine" in [row.name for row in result.top]
    out = cli("search", "--programs", prog, "--max-size", "5")
    assert out.status == 0, out.err
    line = next(l for l in out.out.splitlines() if l.rstrip().endswith(" optimize(base_obj)"))
    assert " Hme " in line
    d = ps.phase_diagram(space="enumerate", max_size=5, programs=[prog], x="g=0.01:100:9:log", y="C_B=1:40:9")
    assert "mine" in d.names and "honest" not in d.names  # the user's name wins in its class
    assert "mine" in d.region_counts()


def test_region_counts_keyed_by_names():
    d = ps.phase_diagram(x="g=0.01:100:21:log", y="C_B=0:40:21")
    counts = d.region_counts()
    assert set(counts) <= {"honest", "simple_deceptive", "fast_deceptive", "none"}
    assert sum(counts.values()) == d.winner.size
    for name, k in counts.items():
        assert k == int((d.winner == d.names.index(name)).sum())


def test_custom_exchange_title():
    import matplotlib
    matplotlib.use("Agg")
    from priorsearch.plot.phase import plot_phase

    ex = ps.custom(lambda c, t: np.sqrt(c) + t, name="sqrt")
    d = ps.phase_diagram(exchange=ex, x="C_B=1:40:8", y="T_F=0:40:8", ties=False)
    title = plot_phase(d).axes[0].get_title()
    assert "custom exchange 'sqrt'" in title and "(custom)" not in title and "sqrt exchange (sqrt)" not in title
