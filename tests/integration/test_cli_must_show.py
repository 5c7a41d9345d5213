"""Issue 2's "Must show" for the command line: ``rank`` names the right winner, its JSON
c and t equal the DESIGN 2.3 formulas under any ``--set`` overrides, the human table
shows the templates' documentation, and ``validate`` passes the shipped files and fails
a broken one with its line and column."""
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import priorsearch as ps

from post_formulas import PARAMS, TEMPLATES, c_formula, draws, t_formula
from paths import REPO

PROGRAMS = REPO / "programs"
JSON_FIELDS = {"name", "label", "source", "c", "t", "score", "compatible", "class", "deploy_objective"}


def test_rank_g1_json_names_honest_with_honest_fields(cli):
    r = cli("rank", "--g", "1", "--json")
    assert r.status == 0 and r.err == ""
    data = json.loads(r.out)
    assert set(data) == {"exchange", "params", "winner", "programs"}
    assert data["winner"] == "honest"
    assert data["exchange"] == {"name": "linear", "g": 1.0}
    honest = data["programs"][0]
    assert set(honest) == JSON_FIELDS
    assert (honest["label"], honest["class"], honest["deploy_objective"], honest["compatible"]) == ("Hfh", "aligned", "base", True)
    scores = [p["score"] for p in data["programs"]]
    assert scores == sorted(scores)  # best first
    assert honest["score"] == 170 + 101


def test_rank_g2_json_names_simple_deceptive(cli):
    data = json.loads(cli("rank", "--g", "2", "--json").out)
    assert data["winner"] == "simple_deceptive"
    hsd = data["programs"][0]
    assert (hsd["label"], hsd["class"], hsd["deploy_objective"]) == ("Hsd", "deceptive", "simplest")
    assert hsd["score"] == 2 * 154 + 131


@pytest.mark.parametrize("seed", range(8))
def test_rank_json_costs_equal_formulas_under_random_sets(cli, seed):
    (p,) = draws(seed=200 + seed, n=1)
    rng = np.random.default_rng(seed)
    chosen = [k for k in PARAMS if rng.random() < 0.6]  # a random subset is overridden
    args = ["rank", "--programs", PROGRAMS, "--json", "--g", repr(float(10 ** rng.uniform(-2, 2)))]
    for k in chosen:
        args += ["--set", f"{k}={p[k]!r}"]
    r = cli(*args)
    assert r.status == 0, r.err
    data = json.loads(r.out)
    values = dict(data["params"])
    for k in chosen:
        assert values[k] == p[k]
    assert sorted(x["name"] for x in data["programs"]) == sorted(TEMPLATES)
    for x in data["programs"]:
        assert x["c"] == pytest.approx(c_formula(x["name"], values), rel=1e-12, abs=1e-12)
        assert x["t"] == pytest.approx(t_formula(x["name"], values), rel=1e-12, abs=1e-12)
        assert x["score"] == pytest.approx(data["exchange"]["g"] * x["c"] + x["t"], rel=1e-12, abs=1e-12)


def test_set_g_is_the_same_as_the_g_option(cli):
    assert cli("rank", "--set", "g=2", "--json").out == cli("rank", "--g", "2", "--json").out


def test_rank_table_shows_costs_winner_and_docs(cli):
    r = cli("rank", "--programs", PROGRAMS)
    assert r.status == 0
    lines = r.out.splitlines()
    assert lines[0] == "model post, exchange linear(g=1)"
    assert lines[1].split() == ["#", "name", "label", "c", "t", "score", "class", "deploys"]
    assert lines[2].split()[:6] == ["1", "derive_and_pursue", "Henv", "150", "110", "260"]
    assert "winner: derive_and_pursue (Henv) = optimize(find_base_obj)" in r.out
    for name in TEMPLATES:
        (definition,) = ps.load_programs(PROGRAMS / f"{name}.prog")
        canonical = ps.check(definition.program, ps.CostModel.default())
        assert f"{name} ({definition.label}) = {canonical}" in lines  # under canonical names
        for doc_line in definition.doc.splitlines():
            assert f"    {doc_line}".rstrip() in lines, name
    # metadata lines are not documentation
    assert not any(re.match(r"\s+(label|c|t):", line) for line in lines)


def test_validate_passes_the_shipped_files(cli):
    files = sorted(PROGRAMS.glob("*.prog")) + sorted(PROGRAMS.glob("*.toml"))
    r = cli("validate", *files)
    assert r.status == 0 and r.err == ""
    assert len(r.out.splitlines()) == len(files)
    assert all(line.startswith("ok: ") for line in r.out.splitlines())


def test_validate_fails_a_broken_file_with_line_and_column(cli, tmp_path):
    for f in PROGRAMS.glob("*"):
        if f.is_file():  # programs/lossy and programs/camera are directories of their models' programs
            shutil.copy(f, tmp_path / f.name)
    broken = tmp_path / "hybrid.prog"
    text = broken.read_text().replace("else find_base_obj", "else find_base_objective")
    broken.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "find_base_objective" in l)
    col = text.splitlines()[line - 1].index("find_base_objective") + 1
    r = cli("validate", *sorted(tmp_path.glob("*.prog")), *sorted(tmp_path.glob("*.toml")))
    assert r.status == 2
    assert r.err == f"{broken}:{line}:{col}: error: unknown primitive 'find_base_objective' (did you mean 'find_base_obj'?)\n"
    assert "Traceback" not in r.err
    assert len(r.out.splitlines()) == len(list(tmp_path.glob("*.prog"))) + len(list(tmp_path.glob("*.toml"))) - 1  # the other files are still checked


def test_validate_fails_a_broken_model_with_line_and_column(cli, tmp_path):
    text = (PROGRAMS / "post.toml").read_text()
    broken = tmp_path / "post.toml"
    broken.write_text(text.replace('c = "C_comb"', 'c = "C_comb +* 2"'))
    line = next(i for i, l in enumerate(broken.read_text().splitlines(), 1) if "C_comb +*" in l)
    r = cli("validate", broken)
    assert r.status == 2
    col = broken.read_text().splitlines()[line - 1].index("*") + 1  # the offending '*'
    assert r.err == f"{broken}:{line}:{col}: error: primitive 'combine' c: unexpected '*' in expression 'C_comb +* 2'\n"
