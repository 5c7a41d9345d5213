"""The experiments' shared machinery: tie rule, entry keys, outputs."""
from __future__ import annotations

import numpy as np
import pytest

from priorsearch.errors import InputError
from priorsearch.exchange import order
from priorsearch.experiments import EXPERIMENTS
from priorsearch.experiments.common import Entry, csv_text, load_model, parse_axis, runs, template_table, template_totals, winners


def test_vectorised_winner_equals_the_documented_tie_rule():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 6))
        # small integer values make exact ties (score, c, t) common
        c = rng.integers(0, 4, n).astype(float)
        t = rng.integers(0, 4, n).astype(float)
        size = rng.integers(1, 4, n)
        score = c + t if rng.random() < 0.5 else rng.integers(0, 3, n).astype(float)
        if rng.random() < 0.2:
            score[rng.integers(0, n)] = np.inf
        eligible = rng.random(n) < 0.8
        got = winners(score[:, None], c[:, None], t[:, None], size, eligible)[0]
        ok = eligible & np.isfinite(score)
        expected = order(score, c, t, size, eligible=ok)[0] if ok.any() else -1
        assert got == expected


def test_template_totals_reproduce_the_worked_example(post_model):
    table = template_table(post_model, ["honest", "simple_deceptive", "fast_deceptive"])
    c, t = template_totals(table, {"C_B": np.array([20.0, 30.0])})
    assert c[:, 0].tolist() == [170, 154, 173] and t[:, 0].tolist() == [101, 131, 101.5]
    assert c[:, 1].tolist() == [180, 154, 183]


@pytest.mark.parametrize("text", ["g", "g=1:2", "g=2:1:5", "g=0:1:5:log", "g=a:1:5", "g=0:1:5:cubic", "=0:1:5"])
def test_bad_axes_are_input_errors(text):
    with pytest.raises(InputError):
        parse_axis(text)


def test_axis_values():
    ax = parse_axis("g=0.125:8:7:log")
    assert ax.name == "g" and np.allclose(ax.values, 2.0 ** np.arange(-3, 4))


def test_unknown_model_name_suggests():
    with pytest.raises(InputError, match="goal_table"):
        load_model("goal_tabel")


@pytest.mark.parametrize("kind", sorted(EXPERIMENTS))
def test_unknown_key_is_named_and_nothing_is_written(kind, tmp_path):
    with pytest.raises(InputError, match="unknown key 'colour'"):
        EXPERIMENTS[kind].make_figure({"name": "x", "kind": kind, "colour": "red"}, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bad_key_value_is_named(tmp_path):
    with pytest.raises(InputError, match="key 'C_B'"):
        EXPERIMENTS["fixed_compute"].make_figure({"name": "x", "kind": "fixed_compute", "C_B": "C_X=0:1:3"}, tmp_path)
    with pytest.raises(InputError, match="key 'T'"):
        EXPERIMENTS["fixed_compute"].make_figure({"name": "x", "kind": "fixed_compute", "T": -1}, tmp_path)
    with pytest.raises(InputError, match="key 'model'"):
        EXPERIMENTS["goal_table"].make_figure({"name": "x", "kind": "goal_table", "model": "nope"}, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_entry_needs_a_name():
    with pytest.raises(InputError, match="'name'"):
        Entry({"kind": "goal_table"}, "goal_table")


def test_figure_and_csv_are_byte_identical_across_runs(tmp_path):
    entry = {"name": "flag", "kind": "observable_flag", "s": "s=0:1:11", "g": [1, 2], "lambda": [1]}
    first = [p.read_bytes() for p in EXPERIMENTS["observable_flag"].make_figure(entry, tmp_path)]
    paths = EXPERIMENTS["observable_flag"].make_figure(entry, tmp_path)
    assert [p.name for p in paths] == ["flag.png", "flag.csv"]
    assert [p.read_bytes() for p in paths] == first
    header = first[1].decode().splitlines()[0]
    assert header == "s,linear_g=1,linear_g=2,levin_lambda=1"


def test_csv_cells_are_exact_and_quoted():
    text = csv_text(("a", "b"), [(0.1, "x,y"), (np.inf, 3)])
    assert text == 'a,b\n0.1,"x,y"\ninf,3\n'
    assert runs([0, 1, 2, 3], ["A", "A", "B", "A"]) == [(0.0, "A"), (2.0, "B"), (3.0, "A")]


def test_experiment_axes_are_the_phase_axes():
    # one parser: an experiment axis means what the same text means to `phase`
    from priorsearch.phase import parse_axis_spec

    for text in ("g=0:1:5:lin", "C_B=1:1000:7:log", "N=2:10:5"):
        a, b = parse_axis(text), parse_axis_spec(text)
        assert (a.name, a.lo, a.hi, a.n, a.log) == (b.name, b.lo, b.hi, b.n, b.log)
        np.testing.assert_array_equal(a.values, b.values)
