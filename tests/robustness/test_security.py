"""Security: cost expressions cannot execute code, models reject keys outside the format,
and nothing in the package evaluates or unpickles user text."""
from __future__ import annotations

import builtins
import io
import tokenize
from pathlib import Path

import numpy as np
import pytest
import sympy

from guards import within
from priorsearch.errors import InputError
from priorsearch.lang.expr import parse_expr
from priorsearch.model.toml_format import loads_model
from paths import REPO

PACKAGE = REPO / "priorsearch"
POST_TOML = (PACKAGE / "data" / "post.toml").read_text(encoding="utf-8")

PAYLOADS = [
    "__import__('os').system('touch /tmp/pwned')",
    "C_B.__class__",
    "C_B.real",
    "().__class__.__bases__[0].__subclasses__()",
    "__builtins__",
    "_secret",
    "lambda: 1",
    "(lambda x: x)(1)",
    "import os",
    "os.system('id')",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd')",
    "getattr(C_B, 'x')",
    "'%s' % C_B",
    "'{0.__class__}'.format(C_B)",
    "f'{C_B}'",
    "C_B if 1 else 2",
    "[C_B]",
    "{C_B: 1}",
    "C_B; 1",
    "C_B\n1",
    "C_B = 1",
    "C_B == 1",
    "C_B ** 2",
    "sqrt",
    "log2(C_B)(1)",
    "min()",
    "max(C_B)",
    "print(C_B)",
    "\\x41",
    "C_B @ C_B",
    "`C_B`",
    "$C_B",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_payloads_are_rejected_by_the_expression_parser(payload):
    with pytest.raises(InputError) as info:
        parse_expr(payload)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_payloads_are_rejected_as_costs_in_a_model(payload):
    text = POST_TOML.replace('c = "C_B"', f"c = {_toml_string(payload)}", 1)
    with pytest.raises(InputError) as info:
        loads_model(text, "evil.toml")
    message = str(info.value)
    assert message.startswith("evil.toml:") and "\n" not in message


def _toml_string(text):
    import json

    return json.dumps(text)


def test_names_that_look_like_code_are_only_parameter_names():
    """Identifiers are parameters, looked up in a dict: 'exec' or 'os' run nothing."""
    expr = parse_expr("exec + os * system")
    assert expr.params == {"exec", "os", "system"}
    assert float(expr.evaluate({"exec": 1.0, "os": 2.0, "system": 3.0})) == 7.0
    with pytest.raises(InputError, match="unknown parameter"):
        expr.evaluate({})


def _forbid_dynamic_code(monkeypatch):
    """Make every way of running text as code fail loudly from now on."""
    def forbidden(*args, **kwargs):
        raise AssertionError("dynamic code execution")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    import sympy.parsing.sympy_parser as sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)  # what sympify(str) uses
    import pickle

    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)


def _load_evaluate_convert():
    text = POST_TOML.replace('c = "C_B"', 'c = "max(C_B, 2*C_S) + sqrt(C_D)^2 - ln(1) + log2(1) + min(1, C_B)/1.5"', 1)
    model = loads_model(text, "m.toml")
    for _, expr, _ in model.cost_expressions():
        env = dict(model.parameters)
        value = float(expr.evaluate(env))
        assert np.isfinite(value)
        exact = expr.to_sympy({k: sympy.Symbol(k) for k in env})
        assert float(exact.subs({sympy.Symbol(k): v for k, v in env.items()})) == pytest.approx(value)


def test_loading_evaluating_and_converting_runs_no_dynamic_code(monkeypatch):
    _load_evaluate_convert()  # first run: Python's import system execs lazily imported modules
    _forbid_dynamic_code(monkeypatch)
    try:
        _load_evaluate_convert()  # second run: any eval/exec/compile/sympify(str) now fails
    except AssertionError as exc:
        monkeypatch.undo()  # pytest's own report needs compile()
        import traceback

        pytest.fail(f"{exc}:\n{''.join(traceback.format_tb(exc.__traceback__)[-4:])}")




@pytest.mark.parametrize("text", [
    "9^9^9", "9^9^9^9", "(9^9)^9^9", "2^1e308", "10^-400", "(10^64)^64^64", "9^(9^9)*0",
    "((((10^64)^64)^64)^64)", "sqrt(9^9^9)", "max(9^9^9, 1)", "9" * 308, "1e308*1e308", "-(9^9^9)",
])
def test_enormous_numbers_never_hang(text):
    """Numeric evaluation overflows to inf at once; the exact (sympy) path refuses to
    build huge integers instead of hanging."""
    with within(10):
        expr = parse_expr(text)
        value = float(expr.evaluate({}))
        assert np.isnan(value) or np.isinf(value) or abs(value) < 1e309
        try:
            exact = expr.to_sympy({})
        except InputError as exc:
            assert "too large" in str(exc) or "nested" in str(exc)
        else:
            assert isinstance(exact, sympy.Basic)


@pytest.mark.parametrize("text", ["9^9^9", "10^400", "1e400", "9" * 400, "0*9^9^9", "1/0", "ln(0)", "sqrt(-1)"])
def test_enormous_or_undefined_costs_are_a_clear_model_error(text):
    model_text = POST_TOML.replace('c = "C_B"', f'c = "{text}"', 1)
    with within(10):
        with pytest.raises(InputError, match="not finite|is negative|too large|nested") as info:
            loads_model(model_text, "m.toml")
    assert str(info.value).startswith("m.toml:")


# --------------------------------------------------------------- keys outside the format

@pytest.mark.parametrize("old,new,suggestion", [
    ("format = ", "formt = 1\nformat = ", "format"),
    ("[parameters]", "[paramters]\nX = 1\n[parameters]", "parameters"),
    ('C_B    = { value = 20,', 'C_B    = { vaule = 1, value = 20,', "value"),
    ('[components.mesaoptimize]\nc = "C_M"', '[components.mesaoptimize]\nc = "C_M"\nper_objectiv = true', "per_objective"),
    ('[primitives.base_obj]\ntype = "Obj"', '[primitives.base_obj]\ntype = "Obj"\nalias = ["x"]', "aliases"),
    ('[primitives.base_obj]\ntype = "Obj"', '[primitives.base_obj]\ntype = "Obj"\n__class__ = 1', None),
    ('name = "train"\nphase = "train"', 'name = "train"\nphase = "train"\nwieght = 2', "weight"),
    ("g = 1\n", "g = 1\ngg = 2\n", "g"),
    ("[exchange]", "[exchange]\nlamda = 1", None),
], ids=["top", "section", "parameter-table", "component", "primitive", "dunder", "episode", "exchange", "exchange-other"])
def test_keys_outside_the_format_are_rejected_with_a_suggestion(old, new, suggestion):
    assert old in POST_TOML
    with pytest.raises(InputError) as info:
        loads_model(POST_TOML.replace(old, new, 1), "m.toml")
    message = str(info.value)
    assert message.startswith("m.toml:") and "unknown key" in message or "has no parameter" in message, message
    if suggestion:
        assert f"did you mean {suggestion!r}" in message or f"(it has {suggestion}" in message, message


def test_family_keys_outside_the_format_are_rejected():
    text = POST_TOML + '\n[families.mis]\ncount = 2\ntype = "Obj"\nkind = "objective"\nobjective = "m{i}"\nc = 1\nt = 0\ncout = 3\n'
    with pytest.raises(InputError, match=r"unknown key 'cout'.*did you mean 'count'"):
        loads_model(text, "m.toml")


# ------------------------------------------------------------------ source-level audit

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "sympify", "parse_expr_sympy", "lambdastr"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "joblib"}


def _code_tokens(path):
    with open(path, "rb") as handle:
        tokens = list(tokenize.tokenize(handle.readline))
    return [t for t in tokens if t.type in (tokenize.NAME, tokenize.OP)]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_package_source_never_evaluates_or_unpickles(path):
    """Code tokens only (docstrings and comments may say 'never eval'): no builtin
    eval/exec/compile/__import__, no sympify or sympy's string parser, no pickle-family
    module, no allow_pickle=True."""
    tokens = _code_tokens(path)
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1].string if i else ""
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        where = f"{path.name}:{tok.start[0]}"
        if tok.string in ("eval", "exec", "compile", "__import__") and prev != "." and nxt == "(":
            pytest.fail(f"{where}: builtin {tok.string}()")
        assert tok.string not in ("sympify", "sympy_parser", "parse_expr_sympy", "lambdastr"), where
        if tok.string == "S" and prev == "." and nxt == "(":
            pytest.fail(f"{where}: sympy.S(...) parses strings")
        assert tok.string not in FORBIDDEN_MODULES, f"{where}: {tok.string}"
        if tok.string == "allow_pickle":
            assert tokens[i + 2].string != "True", where
        if tok.string in ("system", "popen") and prev == ".":
            pytest.fail(f"{where}: shell command")


def test_the_audit_catches_what_it_looks_for(tmp_path):
    """The audit itself can fail: a file with eval( and import pickle is flagged."""
    bad = tmp_path / "bad.py"
    bad.write_text('"""never eval"""\nimport pickle\nx = eval("1")\n')
    names = [t.string for t in _code_tokens(bad)]
    assert "pickle" in names and "eval" in names
    assert names.count("eval") == 1  # the docstring does not count
