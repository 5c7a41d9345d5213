"""Bad cost models and bad command-line values: one located line, exit 2, no traceback,
and nothing from a cost expression is ever executed."""
import os
import re
from pathlib import Path

import pytest

import priorsearch as ps
from errorcheck import assert_input_error
from paths import REPO

POST = (REPO / "programs" / "post.toml").read_text()


def _edit(old, new, count=1):
    assert old in POST, old
    return POST.replace(old, new, count)


def _line_col(text, needle, offset=0):
    """1-based line and column of the first ``needle`` in ``text`` (plus ``offset``)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1 + offset
    raise AssertionError(needle)


# name -> (model text, needle locating the error, column offset from it, message regex)
CASES = {
    "TOML syntax error": (
        _edit('name = "linear"', 'name = "linear'), 'name = "linear', 14,
        r"invalid TOML: Illegal character '\\n'"),
    "duplicate table": (
        POST + '\n[parameters]  # again\nC_X = 1\n', "[parameters]  # again", 11,
        r"invalid TOML: Cannot declare \('parameters',\) twice"),
    "unknown parameter in a cost": (
        _edit('c = "C_B"', 'c = "C_BB"'), 'c = "C_BB"', 5,
        r"primitive 'base_obj' c: unknown parameter 'C_BB' \(did you mean 'C_B'\?\)"),
    "unknown component": (
        _edit('components = ["mesaoptimize", "useful_knowledge"]\naliases',
              'components = ["mesaoptimise", "useful_knowledge"]\naliases'), "[primitives.optimize]", 1,
        r"primitive 'optimize': unknown component 'mesaoptimise' \(did you mean 'mesaoptimize'\?\)"),
    "negative cost": (
        _edit('c = "C_B"', 'c = "C_B - 30"'), 'c = "C_B - 30"', 5,
        r"primitive 'base_obj' c = C_B - 30 = -10 is negative at the given parameters"),
    "infinite cost": (
        _edit('c = "C_ptr"', 'c = "log2(C_ptr)"'), 'c = "log2(C_ptr)"', 5,
        r"primitive 'find_base_obj' c = log2\(C_ptr\) is not finite at the given parameters"),
    "division by zero": (
        _edit('t = "T_B"', 't = "T_B / (T_D - 0.5)"'), 't = "T_B / (T_D', 5,
        r"primitive 'base_obj' t\[train\] = T_B / \(T_D - 0.5\) is not finite at the given parameters"),
    "overflowing number": (
        _edit('c = "C_B"', 'c = "C_B * 1e400"'), "1e400", 0,
        r"primitive 'base_obj' c: number 1e400 is not finite in 'C_B \* 1e400'"),
    "no training episode": (
        _edit('name = "train"\nphase = "train"', 'name = "practice"\nphase = "deploy"'), None, None,
        r"the model has no training episode; add one with phase = \"train\""),
    "duplicate episode": (
        _edit('name = "deploy"\nphase = "deploy"', 'name = "train"\nphase = "train"'), None, None,
        r"duplicate episode name 'train'"),
    "duplicate alias": (
        _edit('aliases = ["simple_objective"]', 'aliases = ["get_base_obj"]'), "[primitives.simplest_obj]", 1,
        r"duplicate primitive name 'get_base_obj' \(also used by 'base_obj'\)"),
    "unknown primitive key": (
        _edit('kind = "objective"', 'knd = "objective"'), 'knd = "objective"', 0,
        r"unknown key 'knd' in primitive 'base_obj' \(did you mean 'kind'\?\)"),
    "unknown top-level key": (
        _edit('time_aggregate = "mean"', 'time_agregate = "mean"'), "time_agregate", 0,
        r"unknown key 'time_agregate' in the model \(did you mean 'time_aggregate'\?\)"),
    "unknown episode key": (
        _edit('phase = "train"\nweight = 1', 'phase = "train"\nweigth = 1'), "weigth", 0,
        r"unknown key 'weigth' in an episode \(did you mean 'weight'\?\)"),
    "unknown exchange parameter": (
        _edit("g = 1\n", "gg = 1\n"), "gg = 1", 0,
        r"unknown key 'gg' in exchange 'linear' \(did you mean 'g'\?\)"),
    "unknown exchange": (
        _edit('name = "linear"', 'name = "linaer"'), '"linaer"', None,
        r"unknown exchange 'linaer' \(did you mean 'linear'\?\); choose from linear, levin, power, cap"),
    "unknown type": (
        _edit('type = "Bool"', 'type = "Boolean"'), "[primitives.is_deployed]", 1,
        r"primitive 'is_deployed': unknown type 'Boolean' \(did you mean 'Bool'\?\); types are Obj, Bool, Policy"),
    "unknown function": (
        _edit('c = "C_B"', 'c = "exp(C_B)"'), 'c = "exp', 5,
        r"primitive 'base_obj' c: unknown function 'exp' \(allowed: log2, ln, sqrt, min, max\) in 'exp\(C_B\)'"),
    "parameter that is not a number": (
        _edit("C_B    = { value = 20,", 'C_B    = { value = "20",'), "C_B    =", None,
        r"parameter 'C_B' must be a number, got '20'"),
}


def _check(cli, tmp_path, name, command):
    text, needle, offset, message = CASES[name]
    path = tmp_path / "model.toml"
    path.write_text(text)
    if needle is None:
        where = r"(\d+:\d+)?"  # a model-level error: the file, and a line when there is one
    elif offset is None:
        where = rf"{_line_col(text, needle)[0]}:\d+"
    else:
        where = "{}:{}".format(*_line_col(text, needle, offset))
    args = ["validate", path] if command == "validate" else ["rank", "--model", path, "--json"]
    return assert_input_error(cli(*args), rf"{re.escape(str(path))}:?{where}: error: {message}")


@pytest.mark.parametrize("name", list(CASES))
def test_validate_reports_model_error(cli, tmp_path, name):
    _check(cli, tmp_path, name, "validate")


@pytest.mark.parametrize("name", ["TOML syntax error", "negative cost", "unknown component", "no training episode"])
def test_rank_reports_model_error(cli, tmp_path, name):
    _check(cli, tmp_path, name, "rank")


def test_code_in_a_cost_is_an_error_and_never_runs(cli, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    marker = tmp_path / "PWNED"
    for cost in [f"__import__('os').system('touch {marker}')", "C_B.__class__", "[C_B]", "C_B; C_S", "lambda: 1"]:
        text = _edit('c = "C_B"', f'c = "{cost}"')
        path = tmp_path / "model.toml"
        path.write_text(text)
        line = _line_col(text, cost)[0]
        assert_input_error(cli("rank", "--model", path), rf"{re.escape(str(path))}:{line}:\d+: error: primitive 'base_obj' c: .*")
        with pytest.raises(ps.InputError):
            ps.parse_expr(cost)
    assert calls == [] and not marker.exists()
    r = cli("validate", path)
    assert r.status == 2


def test_import_names_the_column_of_the_underscore(cli, tmp_path):
    text = _edit('c = "C_B"', "c = \"__import__('os').system('x')\"")
    path = tmp_path / "model.toml"
    path.write_text(text)
    line, col = _line_col(text, "__import__")
    assert_input_error(cli("validate", path), re.escape(
        f"{path}:{line}:{col}: error: primitive 'base_obj' c: name '__import__' is not allowed in an expression (names may not start with '_')"))


def test_missing_model_file(cli, tmp_path):
    missing = tmp_path / "nope.toml"
    assert_input_error(cli("rank", "--model", missing), re.escape(f"{missing}: error: no such file"))
    assert_input_error(cli("validate", missing), re.escape(f"{missing}: error: no such file"))


def test_program_using_a_primitive_the_model_lacks(cli, tmp_path):
    """An unknown primitive relative to a custom model (here: one without combine)."""
    text = POST.split("[primitives.combine]")[0] + "[[episodes]]" + POST.split("[[episodes]]", 1)[1]
    model = tmp_path / "nocombine.toml"
    model.write_text(text)
    r = cli("rank", "--model", model, "--json")
    assert_input_error(r, r"programs/simple_deceptive\.prog:\d+:20: error: unknown primitive 'combine'( \(did you mean '\w+'\?\))?")


# ------------------------------------------------------------------ --set, --g, options

SET_CASES = {
    ("--set", "C_X=3"): r"error: unknown parameter 'C_X' \(did you mean 'C_\w+'\?\)",
    ("--set", "C_B=abc"): r"error: --set C_B: expected a number, got 'abc'",
    ("--set", "C_B=nan"): r"error: --set C_B: 'nan' is not a finite number",
    ("--set", "C_B=inf"): r"error: --set C_B: 'inf' is not a finite number",
    ("--set", "C_B=-inf"): r"error: --set C_B: '-inf' is not a finite number",
    ("--set", "C_B"): r"error: --set 'C_B': expected NAME=VALUE",
    ("--set", "=3"): r"error: --set '=3': expected NAME=VALUE",
    ("--set", "lambda=2"): r"error: --set lambda: exchange 'linear' has no parameter 'lambda' \(it has g\)",
    ("--set", "C_B=-3"): r"<default model: post\.toml>:\d+:\d+: error: primitive 'base_obj' c = C_B = -3 is negative at the given parameters",
    ("--g", "abc"): r"error: --g: expected a number, got 'abc'",
    ("--g", "nan"): r"error: --g: 'nan' is not a finite number",
    ("--g", "inf"): r"error: --g: 'inf' is not a finite number",
    ("--g", "-1"): r"error: exchange parameter g = -1 must be finite and >= 0",
    ("--exchange", "levin", "--g", "2"): r"error: --g applies to the linear and power exchanges, not 'levin'",
    ("--exchange", "linearr"): r"error: priorsearch rank: argument --exchange: invalid choice: 'linearr' .*",
    ("--g",): r"error: priorsearch rank: argument --g: expected one argument",
    ("--bogus",): r"error: priorsearch: unrecognized arguments: --bogus",
}


@pytest.mark.parametrize("args", list(SET_CASES), ids=" ".join)
def test_command_line_value_errors(cli, args):
    assert_input_error(cli("rank", *args, "--json"), SET_CASES[args])


def test_unknown_command(cli):
    assert_input_error(cli("rnak"), r"error: priorsearch: argument COMMAND: invalid choice: 'rnak' .*")


@pytest.mark.parametrize("args, message", [
    (("--set", "C_M=1e308", "--set", "C_K=1e308"), r"error: c of honest overflows to inf: .*use smaller units"),
    (("--set", "C_M=1e308", "--g", "10"), r"error: the linear\(g=10\) score of honest overflows to inf: .*"),
    (("--set", "T_M=1e308", "--set", "T_MO=1e308"),
     r"<default model: post\.toml>:\d+:\d+: error: primitive 'combine' t\[train\] = T_comb \+ T_F \+ T_M \+ T_MO is not finite at the given parameters"),
])
def test_overflowing_costs_are_input_errors_not_partial_json(cli, args, message):
    """Regression: huge --set values used to print half a JSON document, then exit 1."""
    assert_input_error(cli("rank", *args, "--json"), message)
