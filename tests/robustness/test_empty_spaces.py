"""Class 4: empty and degenerate program spaces give a clear answer -- no winner, a
plot and a CSV that say so -- never a crash."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from conftest import POST, SMALL

INCOMPATIBLE = "never = optimize(simplest_obj)\nalso_never = optimize(if is_deployed then base_obj else simplest_obj)\n"


def _rows(path):
    lines = [l for l in path.read_text().splitlines() if not l.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("json_out", [False, True])
def test_search_over_an_empty_space(cli, json_out):
    r = cli("search", "--max-size", "1", *(["--json"] if json_out else []))
    assert r.status == 0, r.err
    if json_out:
        doc = json.loads(r.out)
        assert doc["winner"] is None and doc["programs"] == 0
    else:
        assert "winner: none" in r.out and "0 programs" in r.out


@pytest.mark.parametrize("mode", ["winner", "mass"])
def test_phase_enumerate_over_an_empty_space(cli, tmp_path, mode):
    r = cli("phase", *SMALL, "--space", "enumerate", "--max-size", "1", "--mode", mode,
            "--out", tmp_path / "e.png", "--data", tmp_path / "e.csv", tmp_path / "e.npz")
    assert r.status == 0, r.err
    rows = _rows(tmp_path / "e.csv")
    assert len(rows) == 9 and {row["winner"] for row in rows} == {"none"}
    assert (tmp_path / "e.png").stat().st_size > 0
    with np.load(tmp_path / "e.npz") as z:
        assert (z["winner"] < 0).all()


@pytest.mark.parametrize("exchange", ["linear", "levin", "cap"])
def test_phase_over_programs_that_are_all_incompatible(cli, tmp_path, exchange):
    prog = tmp_path / "bad.prog"
    prog.write_text(INCOMPATIBLE)
    x = {"linear": "g=1:2:3", "levin": "lambda=1:2:3", "cap": "k=100:200:3"}[exchange]
    r = cli("phase", "--programs", prog, "--exchange", exchange, "--x", x, "--y", "C_B=1:2:3",
            "--out", tmp_path / "b.png", "--data", tmp_path / "b.csv")
    assert r.status == 0, r.err
    assert "no eligible program 100.0%" in r.out
    assert {row["winner"] for row in _rows(tmp_path / "b.csv")} == {"none"}
    given = ["--set", "k=150"] if exchange == "cap" else []  # cap needs its budget k
    assert cli("rank", "--programs", prog, "--exchange", exchange, *given).out.count("winner: none") == 1


def test_phase_on_a_model_where_base_is_never_pursued(cli, tmp_path):
    """Rename the base objective away and make combine pursue its argument: nothing
    pursues 'base' in training, in any program of the space."""
    text = POST.read_text().replace('objective = "base"', 'objective = "elsewhere"').replace(
        'kind = "play_along"', 'kind = "pursue"')
    model = tmp_path / "m.toml"
    model.write_text(text)
    r = cli("phase", "--model", model, *SMALL, "--space", "enumerate", "--max-size", "4",
            "--out", tmp_path / "m.png", "--data", tmp_path / "m.csv")
    assert r.status in (0, 2), r.err  # a clear answer or a clear refusal, never a crash
    assert "internal error" not in r.err and "Traceback" not in r.err
    if r.status == 0:
        assert {row["winner"] for row in _rows(tmp_path / "m.csv")} == {"none"}


def test_the_no_winner_plot_says_so(tmp_path):
    """The figure carries a text naming the situation, not only an empty legend entry."""
    import matplotlib

    matplotlib.use("Agg")
    from priorsearch.phase import phase_diagram
    from priorsearch.plot.phase import plot_phase

    prog = tmp_path / "bad.prog"
    prog.write_text(INCOMPATIBLE)
    data = phase_diagram(None, "g=1:2:3", "C_B=1:2:3", programs=[str(prog)])
    fig = plot_phase(data)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("no winner anywhere" in t for t in texts), texts


def test_a_budget_nothing_fits_is_named_as_such(tmp_path):
    """cap(k) below every program's t: compatible programs, none eligible."""
    import matplotlib

    matplotlib.use("Agg")
    from priorsearch.phase import phase_diagram
    from priorsearch.plot.phase import plot_phase

    data = phase_diagram(None, "k=1:2:3", "C_B=1:2:3", exchange="cap")
    assert (data.winner < 0).all()
    texts = [t.get_text() for ax in plot_phase(data).axes for t in ax.texts]
    assert any("no compatible program has a finite score" in t for t in texts), texts
