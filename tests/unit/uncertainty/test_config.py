"""The [uncertainty] and [uncertainty.structure] tables of a model file."""
import pytest

import priorsearch as ps
from paths import REPO
from priorsearch.errors import InputError
from priorsearch.uncertainty.config import read_config

POST = (REPO / "programs" / "post.toml").read_text()


def _model(tmp_path, extra, name="m.toml"):
    path = tmp_path / name
    path.write_text(POST + "\n" + extra)
    return path


def test_tables_are_read_with_relative_model_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    path = _model(tmp_path, '[uncertainty]\nC_B = "loguniform(1, 1000)"\ncorrelations = [["C_B", "T_F", 0.5]]\n'
                            'T_F = "uniform(0, 50)"\n[uncertainty.structure]\nmax_size = [7, 9]\n'
                            'K = { values = [4, 16], weights = [1, 3] }\nmodels = ["sub/a.toml", "b.toml"]\n')
    cfg = read_config(path)
    assert [str(s) for s in cfg.dists.values()] == ["loguniform(1, 1000)", "uniform(0, 50)"]
    assert cfg.correlations == {("C_B", "T_F"): 0.5}
    assert cfg.structure["max_size"] == ([7, 9], [1.0, 1.0])
    assert cfg.structure["K"] == ([4, 16], [1.0, 3.0])
    assert cfg.structure["models"][0] == [str(tmp_path / "sub" / "a.toml"), str(tmp_path / "b.toml")]
    # the model reader lets the table through unchanged
    assert ps.CostModel.load(path).parameters == ps.CostModel.default().parameters


def test_a_model_file_without_the_table_has_an_empty_config():
    cfg = read_config(REPO / "programs" / "post.toml")
    assert not cfg.dists and not cfg.structure and not cfg.correlations


@pytest.mark.parametrize("extra, message", [
    ('[uncertainty]\nC_B = "normal(1, -1)"\n', r"\[uncertainty\] C_B: normal\(\) needs sd > 0"),
    ('[uncertainty]\nC_B = true\n', r"expected a distribution"),
    ('[uncertainty]\ncorrelations = [["C_B", 0.5]]\n', r"expected \[\"A\", \"B\", rho\]"),
    ('[uncertainty.structure]\nmax_size = { values = [7, 9], weights = [1] }\n', r"weights must be 2 numbers"),
    ('[uncertainty.structure]\nmax_size = [0]\n', r"whole numbers >= 1"),
    ('[uncertainty.structure]\nK = { values = [4], wieghts = [1] }\n', r"unknown key 'wieghts'"),
])
def test_errors_are_located_at_the_offending_line(tmp_path, extra, message):
    path = _model(tmp_path, extra)
    line = len(POST.splitlines()) + 2 + extra.rstrip("\n").count("\n")  # a blank line, then extra
    with pytest.raises(InputError, match=message) as info:
        read_config(path)
    assert info.value.location is not None and info.value.location.line == line


def test_structure_from_the_file_runs_each_alternative(tmp_path):
    path = _model(tmp_path, '[uncertainty.structure]\nmax_size = { values = [3, 5], weights = [1, 1] }\n')
    r = ps.uncertainty(path, draws=10, space="enumerate")
    assert r.alternatives == ["max_size=3", "max_size=5"] and list(r.structure) == [0] * 5 + [1] * 5
