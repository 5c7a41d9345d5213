"""Fuzzing the DSL parser, the expression parser and the cost-model loader.

Contract: every input either loads or raises InputError whose text is one line; never
another exception, never a hang.  Inputs: hypothesis text over each grammar's tokens,
random mutations of the real files in programs/, structural mutations of the default
model, and pathological sizes (thousands of nesting levels, very long files).  Bugs the
fuzzing found are pinned below as plain regression tests.
"""
from __future__ import annotations

import contextlib
import io
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import strategies as S
from guards import within
from priorsearch.cli.main import main
from priorsearch.lang.dsl import parse_definitions, parse_program
from priorsearch.errors import InputError
from priorsearch.lang.expr import MAX_DEPTH, parse_expr
from priorsearch.model.cost_model import CostModel
from priorsearch.model.toml_format import loads_model
from priorsearch.lang.typecheck import check
from paths import REPO

PROGRAMS = REPO / "programs"
PROG_FILES = sorted(PROGRAMS.glob("*.prog"))
POST_TOML = (PROGRAMS / "post.toml").read_text(encoding="utf-8")
POST_MODEL = CostModel.default()
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _event(text):
    """Count outcomes for ``pytest --hypothesis-show-statistics`` (outside @given: no-op)."""
    with contextlib.suppress(Exception):
        event(text)




def loads_or_clear_error(fn, *args, path=None):
    """Run ``fn``; return its value or the InputError, asserting the error is one line."""
    try:
        value = fn(*args)
        _event(f"{getattr(fn, '__name__', 'call')}: loads")
        return value
    except InputError as exc:
        _event(f"{getattr(fn, '__name__', 'call')}: InputError")
        text = str(exc)
        assert "\n" not in text and "\r" not in text, text
        assert text.startswith(f"{path}:") or text.startswith("error:"), text
        assert "Traceback" not in text
        return exc


# ---------------------------------------------------------------------------- DSL

DSL_TEXT = st.one_of(
    st.lists(st.sampled_from(S.DSL_TOKENS), max_size=40).map(" ".join),
    st.lists(st.sampled_from(S.DSL_TOKENS), max_size=40).map("".join),
    st.text(max_size=80),
)


@FUZZ
@given(DSL_TEXT)
@example("p = if then else")
@example("p = f(" * 300 + "x" + ")" * 300)
@example("\x00")
@example("p = (((((")
@example("p = a,b")
@example("# label: Hfh\n# c: C_B +\np = optimize(base_obj)")
def test_dsl_parser_random_text(text):
    with within(10):
        result = loads_or_clear_error(parse_definitions, text, "<fuzz>", path="<fuzz>")
        if not isinstance(result, InputError):
            for d in result:
                assert parse_program(str(d.program)) == d.program


@pytest.fixture(scope="module")
def model():
    return CostModel.default()


@FUZZ
@given(st.data())
def test_dsl_parser_and_checker_on_mutated_program_files(data):
    path = data.draw(st.sampled_from(PROG_FILES))
    text = data.draw(S.mutations(path.read_text(encoding="utf-8"), S.DSL_TOKENS))
    model = POST_MODEL
    with within(10):
        result = loads_or_clear_error(parse_definitions, text, str(path), path=str(path))
        if not isinstance(result, InputError):
            for d in result:
                loads_or_clear_error(check, d.program, model, "Policy", path=str(path))


# --------------------------------------------------------------------- expressions

EXPR_TOKENS = ("a", "b", "C_B", "+", "-", "*", "/", "^", "(", ")", ",", "log2", "ln", "sqrt", "min",
               "max", "1", "0", "2.5", "1e308", "9", ".", "'", "_x", "__class__", "lambda", ":", "[", "]",
               "{", "}", "%s", "f'", "import", "os", "e", " ", "1e400", "0.0")


@FUZZ
@given(st.one_of(st.lists(st.sampled_from(EXPR_TOKENS), max_size=25).map("".join),
                 st.lists(st.sampled_from(EXPR_TOKENS), max_size=25).map(" ".join),
                 st.text(max_size=40)),
       st.floats(0, 1e6))
@example("9^9^9", 1.0)
@example("min(1, (((a*10^64)^64)^64)^64)", 0.0)
@example("+".join(["a"] * 500), 1.0)
@example("-" * 150 + "a", 1.0)
@example("log2(0)", 1.0)
@example("0/0", 1.0)
def test_expression_parser_evaluate_and_sympy(text, value):
    with within(10):
        result = loads_or_clear_error(parse_expr, text, path=None)
        if isinstance(result, InputError):
            return
        env = {name: value for name in result.params}
        out = np.asarray(result.evaluate(env), dtype=float)  # any float, never an exception
        assert out.shape == ()
        symbols = {name: sympy.Symbol(name) for name in result.params}
        exact = loads_or_clear_error(result.to_sympy, symbols)
        if not isinstance(exact, InputError):
            assert isinstance(exact, sympy.Basic)


# --------------------------------------------------------------------- cost models

@FUZZ
@given(st.data())
def test_model_loader_on_mutated_text(data):
    text = data.draw(S.mutations(POST_TOML, S.TOML_TOKENS))
    with within(10):
        result = loads_or_clear_error(loads_model, text, "post.toml", path="post.toml")
        if not isinstance(result, InputError):
            assert result.primitives


def _edit(draw, value, depth=0):
    """A structurally mutated copy of a TOML value: drop, retype or add keys."""
    junk = st.one_of(st.integers(-5, 10**30), st.floats(allow_nan=True), st.booleans(), st.text(max_size=6),
                     st.lists(st.integers(), max_size=2), st.just({}), st.just("__import__('os')"),
                     st.sampled_from(["C_B", "9^9^9", "1e400", "-1", "train", "Obj", "arg2", "base"]))
    if isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            action = draw(st.integers(0, 12))
            if action == 0:
                continue  # drop the key
            if action == 1:
                out[key] = draw(junk)
            else:
                out[key] = _edit(draw, sub, depth + 1)
        if draw(st.integers(0, 6)) == 0:
            out[draw(st.sampled_from(["typ", "kinds", "extra", "c ", "weight", "doc", "count"]))] = draw(junk)
        return out
    if isinstance(value, list):
        items = [_edit(draw, v, depth + 1) for v in value]
        if draw(st.integers(0, 5)) == 0:
            items = items[:-1]
        return items
    return draw(junk) if draw(st.integers(0, 8)) == 0 else value


@FUZZ
@given(st.data())
def test_model_loader_on_structural_mutations(data):
    doc = _edit(data.draw, tomllib.loads(POST_TOML))
    text = S.toml_document(doc)
    with within(10):
        loads_or_clear_error(loads_model, text, "post.toml", path="post.toml")


@settings(max_examples=25, deadline=None, derandomize=True)
@given(S.model_texts())
def test_random_valid_models_load(text):
    model = loads_model(text, "<random>")
    assert loads_model(text, "<random>") == model


# ------------------------------------------------------------ the validate command

def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.data())
def test_validate_on_mutated_files(tmp_path_factory, data):
    directory = tmp_path_factory.mktemp("fuzz")
    prog = data.draw(st.sampled_from(PROG_FILES))
    files = []
    for source, tokens, suffix in ((prog.read_text(encoding="utf-8"), S.DSL_TOKENS, ".prog"),
                                   (POST_TOML, S.TOML_TOKENS, ".toml")):
        path = directory / f"f{suffix}"
        payload = data.draw(S.mutations(source, tokens))
        if data.draw(st.booleans()):
            path.write_bytes(payload.encode("utf-8", "surrogatepass") + data.draw(st.sampled_from([b"", b"\xff\xfe", b"\x80"])))
        else:
            path.write_text(payload, encoding="utf-8", errors="surrogatepass")
        files.append(str(path))
    with within(20):
        status, out, err = _run(["validate", *files])
    assert status in (0, 2)
    assert "Traceback" not in err and "internal error" not in err
    lines = [line for line in err.splitlines() if line]
    assert (status == 2) == bool(lines)
    for line in lines:
        assert line.startswith(tuple(files)), line  # each failure names its file
    assert len(lines) + out.count("ok: ") == len(files)


# ------------------------------------------------------------ pathological sizes

@pytest.mark.parametrize("text", [
    "p = " + "optimize(" * 5000 + "base_obj" + ")" * 5000,
    "p = " + "if is_deployed then base_obj else " * 5000 + "base_obj",
    "p = " + "(" * 5000 + "base_obj" + ")" * 5000,
    "p = " + "(" * 100000,
    "p = " + ")" * 100000,
], ids=["calls", "if-chain", "parens", "open", "close"])
def test_deep_programs_give_a_clear_error_quickly(text):
    with within(10):
        with pytest.raises(InputError, match=r"nested deeper than 200 levels|unbalanced|no matching"):
            parse_definitions(text, "deep.prog")


def test_nesting_just_under_the_limit_parses_and_checks(model):
    deep = "honest = optimize(" + "if is_deployed then " * 150 + "base_obj" + " else base_obj" * 150 + ")"
    (d,) = parse_definitions(deep)
    assert check(d.program, model) is not None


def test_long_program_file_loads_within_seconds():
    text = "".join(f"# doc {i}\np{i} = optimize(if is_deployed then simplest_obj else base_obj)\n" for i in range(10000))
    with within(30):
        defs = parse_definitions(text, "long.prog")
    assert len(defs) == 10000 and defs[-1].doc == "doc 9999"


@pytest.mark.parametrize("text", [
    "(" * 5000 + "a" + ")" * 5000,
    "-" * 5000 + "a",
    "a^" * 3000 + "a",
    "+".join(["a"] * 4000),  # regression: a left-deep chain overflowed the stack (RecursionError)
    "*".join(["a"] * 1000),
    "min(" * 1000 + "a" + ", a)" * 1000,
    "1" * 20000,
], ids=["parens", "minus", "power", "plus-chain", "times-chain", "min", "long-literal"])
def test_deep_or_long_expressions_give_a_clear_error(text):
    with within(10):
        with pytest.raises(InputError, match=r"nested deeper than|characters long"):
            parse_expr(text)


def test_an_operator_chain_under_the_limit_evaluates():
    expr = parse_expr("+".join(["a"] * (MAX_DEPTH - 1)))
    assert float(expr.evaluate({"a": 1.0})) == MAX_DEPTH - 1
    assert expr.to_sympy({"a": sympy.Symbol("a")}) == (MAX_DEPTH - 1) * sympy.Symbol("a")


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000 + "]" * 5000,
    "a = " + "{b=" * 2000 + "1" + "}" * 2000,
], ids=["arrays", "inline-tables"])
def test_deep_toml_gives_a_clear_error(text):
    with within(10):
        with pytest.raises(InputError, match="nested too deeply|invalid TOML"):
            loads_model(text)


# ---------------------------------------------------------- pinned regressions

@pytest.mark.parametrize("payload", [
    'doc = "' + "a" * 200_000 + '"',                 # quadratic: inline-key scan of a long word
    'doc = """\n[' + " " * 100_000 + 'x\n"""',       # cubic: header pattern on a long line
    'doc = """\n' + "a " * 100_000 + 'x\n"""',
], ids=["long-word", "bracket-line", "many-words"])
def test_regression_long_lines_in_a_model_load_in_linear_time(payload):
    text = POST_TOML.replace('doc = "the stored base objective"', payload)
    with within(10):
        assert loads_model(text).primitives["base_obj"].doc


@pytest.mark.parametrize("old,new", [
    ("value = 20,", "value = " + "9" * 400 + ","),
    ('c = "C_B"', "c = " + "9" * 400),
    ("g = 1\n", "g = " + "9" * 400 + "\n"),
    ("weight = 1\n", "weight = " + "9" * 400 + "\n"),
], ids=["parameter", "cost", "exchange", "weight"])
def test_regression_huge_toml_integers_are_a_clear_error(old, new):
    """TOML integers are unbounded; float() of them raised OverflowError."""
    with pytest.raises(InputError, match="too large"):
        loads_model(POST_TOML.replace(old, new, 1), "m.toml")


def test_regression_huge_api_values_are_a_clear_error(model):
    with pytest.raises(InputError, match="too large"):
        model.with_params(C_B=10**400)
    with pytest.raises(InputError, match="too large"):
        parse_expr(10**400)


def test_regression_exact_power_towers_are_refused_quickly():
    """A cost that is finite at the model's values (min(...) with C_ptr = 0) passed
    validation, then built a 10^(64^4) integer in sympy: 30 s and a crash."""
    text = POST_TOML.replace('c = "C_B"', 'c = "min(C_B, (((C_ptr*10^64)^64)^64)^64)"')
    model = loads_model(text)
    from priorsearch.features.layout import Layout
    from priorsearch.features.semantics import evaluate
    from priorsearch.symbolic.boundary import cost_expressions
    from priorsearch.lang.templates import template

    layout = Layout(model)
    features = evaluate(check(template("honest").program, model), layout)
    with within(10):
        with pytest.raises(InputError, match="too large for an exact expression"):
            cost_expressions(features, layout)


def test_regression_deep_sympy_recursion_is_a_clear_error():
    text = "".join("log2(a+" for _ in range(99)) + "a" + ")" * 99
    with within(20):
        result = loads_or_clear_error(parse_expr(text).to_sympy, {"a": sympy.Symbol("a")})
    assert isinstance(result, (InputError, sympy.Basic))


def test_regression_levin_lambda_zero_at_zero_time_is_the_simplicity_prior():
    from priorsearch.exchange import Levin

    assert list(Levin(**{"lambda": 0.0}).score(np.array([3.0, 2.0]), np.array([0.0, 5.0]))) == [3.0, 2.0]
    assert math.isinf(Levin(**{"lambda": 1.0}).score(np.array([3.0]), np.array([0.0]))[0])


# ------------------------------------------------------ phase axes and figure configs

@FUZZ
@given(st.one_of(
    st.lists(st.sampled_from(["g", "C_B", "T_F", "lambda", "=", ":", "log", "lin", "0", "1", "-1", "1e308", "1e-320",
                              "nan", "inf", "2", "201", "9" * 30, " ", ".", "e", "\n", "x"]), max_size=12).map("".join),
    st.text(max_size=30)))
@example("g=1:2:" + "9" * 5000)
@example("g=1:2:3\n")
def test_axis_specs_parse_or_give_one_clear_line(text):
    from priorsearch.exchange import make_exchange
    from priorsearch.phase import parse_axis

    with within(10):
        axis = loads_or_clear_error(parse_axis, text, POST_MODEL, make_exchange(None, POST_MODEL), path=None)
        if not isinstance(axis, InputError):
            values = axis.values
            assert np.isfinite(values).all() and len(values) == axis.n and values[0] == axis.lo and values[-1] == axis.hi
            assert (np.diff(values) >= 0).all()


FIGURES_TOML = (REPO / "analysis" / "figures.toml").read_text(encoding="utf-8")


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.data())
def test_figure_configs_load_or_give_one_clear_line(tmp_path_factory, data):
    from priorsearch.reproduce import load_config

    path = tmp_path_factory.mktemp("cfg") / "figures.toml"
    text = data.draw(S.mutations(FIGURES_TOML, S.TOML_TOKENS))
    path.write_bytes(text.encode("utf-8") + data.draw(st.sampled_from([b"", b"", b"\xff", b"\xc3"])))
    with within(10):
        loads_or_clear_error(load_config, path, path=str(path))


@pytest.mark.parametrize("content", [
    b'[[figure]]\nname = "a\xff"\n',                          # was UnicodeDecodeError (exit 1)
    ("a = " + "[" * 5000 + "]" * 5000).encode(),              # was RecursionError (exit 1)
], ids=["not-utf8", "deep"])
def test_regression_bad_figure_configs_exit_2_with_one_line(tmp_path, content):
    path = tmp_path / "figures.toml"
    path.write_bytes(content)
    status, out, err = _run(["figures", str(path), "--out", str(tmp_path / "out")])
    assert status == 2 and err.count("\n") == 1 and str(path) in err, err


# ------------------------------------------------------------- command-line argv

ARGV_TOKENS = ["--g", "--set", "--exchange", "levin", "cap", "power", "linear", "--json", "--latex", "C_B=1",
               "C_B=-1", "g=2", "lambda=0", "k=101", "alpha=2", "T_M=1e308", "nan", "-1", "0", "1e308", "1e-320",
               "--programs", str(PROGRAMS), str(PROGRAMS / "honest.prog"), "--model", str(PROGRAMS / "post.toml"),
               "honest", "simple_deceptive", "fast_deceptive", "hybrid", "x", "--", "-", "=", "--help-me", "é"]


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.sampled_from(["rank", "boundary", "validate"]), st.lists(st.sampled_from(ARGV_TOKENS), max_size=7))
@example("rank", ["--set", "T_M=1e308", "--set", "T_MO=1e308"])
@example("boundary", ["honest", "simple_deceptive", "--set", "C_B=1e308", "--latex"])
@example("boundary", ["honest", "honest"])
def test_random_command_lines_exit_0_or_2_with_one_line(command, argv):
    with within(30):
        status, out, err = _run([command, *argv])
    assert status in (0, 2), err
    if status == 2:
        lines = err.splitlines()
        assert lines and all("error: " in line for line in lines) and "Traceback" not in err, err
        if command != "validate":  # validate reports each failing file on its own line
            assert len(lines) == 1, err
    else:
        assert "Traceback" not in err


SWEEP_TOKENS = ["--max-size", "3", "0", "-1", "100", "--top", "--g", "--set", "C_B=5", "K=2", "nan", "1e308",
                "--exchange", "cap", "levin", "--mode", "mass", "winner", "--space", "enumerate", "--x", "--y",
                "g=0.1:10:5:log", "C_B=1:40:4", "T_F=0:1e308:3", "g=0:1:3", "--max-points", "10", "--json"]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.sampled_from(["search", "phase"]), st.lists(st.sampled_from(SWEEP_TOKENS), max_size=6))
def test_random_search_and_phase_command_lines(tmp_path_factory, command, argv):
    """(phase writes nothing: --out none --data none come last and win)"""
    if command == "search" and "--max-size" not in argv:
        argv = argv + ["--max-size", "4"]
    if command == "phase":
        argv = argv + ["--out", "none", "--data", "none"]
    with within(60):
        status, out, err = _run([command, *argv])
    assert status in (0, 2), err
    if status == 2:
        assert err.count("\n") == 1 and "error: " in err and "Traceback" not in err, err
