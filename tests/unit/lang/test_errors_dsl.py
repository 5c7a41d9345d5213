"""Bad program files: every DSL error is one located line, exit 2, no traceback — through
``validate`` and through ``rank --programs``."""
import re

import pytest

from errorcheck import assert_input_error

# (file text, expected "line:col: error: message" as a regular expression)
CASES = {
    "unknown primitive": (
        "x = optimze(base_obj)\n",
        r"1:5: error: unknown primitive 'optimze' \(did you mean 'optimize'\?\)"),
    "unknown alias-like name": (
        "# doc\nx = optimize(get_base_objective)\n",
        r"2:14: error: unknown primitive 'get_base_objective' \(did you mean 'get_base_obj'\?\)"),
    "too many arguments": (
        "x = optimize(base_obj, base_obj)\n",
        r"1:5: error: optimize takes 1 argument \(Obj\), got 2"),
    "arguments to a leaf": (
        "x = optimize(base_obj(simplest_obj))\n",
        r"1:14: error: base_obj takes no arguments, got 1"),
    "missing argument": (
        "x = optimize\n",
        r"1:5: error: optimize takes 1 argument \(Obj\), got 0"),
    "type mismatch optimize(is_deployed)": (
        "x = optimize(is_deployed)\n",
        r"1:14: error: type mismatch: argument 1 of optimize must be Obj, but is_deployed is Bool"),
    "non-Bool condition": (
        "x = optimize(if base_obj then base_obj else simplest_obj)\n",
        r"1:17: error: type mismatch: the condition of 'if' must be Bool, but base_obj is Obj"),
    "branches of different types": (
        "x = optimize(if is_deployed then base_obj else is_deployed)\n",
        r"1:48: error: type mismatch: the 'else' branch must be Obj, but is_deployed is Bool"),
    "program is not a Policy": (
        "x = base_obj\n",
        r"1:5: error: type mismatch: the program must be Policy, but base_obj is Obj"),
    "unclosed parenthesis": (
        "x = optimize(base_obj\n",
        r"2:1: error: unbalanced parentheses: '\(' at 1:13 is never closed"),
    "extra closing parenthesis": (
        "x = optimize(base_obj))\n",
        r"1:23: error: unbalanced parentheses: '\)' has no matching '\('"),
    "stray closing parenthesis in a definition": (
        "x = )\n",
        r"1:5: error: unbalanced parentheses: '\)' has no matching '\('"),
    "duplicate definition": (
        "x = optimize(base_obj)\n\nx = combine(simplest_obj)\n",
        r"3:1: error: duplicate definition 'x' \(first defined at 1:1\)"),
    "empty file": (
        "",
        r"1:1: error: empty file: expected at least one definition 'name = expression'"),
    "comments only": (
        "# nothing here\n# at all\n",
        r"1:1: error: empty file: expected at least one definition 'name = expression'"),
    "unexpected character": (
        "x = optimize(base_obj$)\n",
        r"1:22: error: unexpected character '\$' \(names are letters, digits and '_'\)"),
    "unexpected character on a later line": (
        "# doc\n\nx = optimize(\n  base_obj + simplest_obj)\n",
        r"4:12: error: unexpected character '\+' \(names are letters, digits and '_'\)"),
    "missing =": (
        "x optimize(base_obj)\n",
        r"1:3: error: expected '=' after 'x' \(a definition is 'name = expression'\), got 'optimize'"),
    "if without then": (
        "x = optimize(if is_deployed simplest_obj else base_obj)\n",
        r"1:29: error: expected 'then' after the condition of the 'if' at 1:14, got 'simplest_obj'"),
    "empty argument list": (
        "x = optimize()\n",
        r"1:14: error: empty argument list for 'optimize'; write optimize without parentheses"),
    "too deep": (
        "x = " + "(" * 300 + "optimize(base_obj)" + ")" * 300 + "\n",
        r"1:\d+: error: program nested deeper than 200 levels"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_validate_reports_dsl_error(cli, tmp_path, name):
    text, pattern = CASES[name]
    path = tmp_path / "bad.prog"
    path.write_text(text)
    assert_input_error(cli("validate", path), re.escape(str(path)) + ":" + pattern)


@pytest.mark.parametrize("name", ["unknown primitive", "type mismatch optimize(is_deployed)",
                                  "unclosed parenthesis", "duplicate definition", "empty file"])
def test_rank_reports_dsl_error(cli, tmp_path, name):
    text, pattern = CASES[name]
    path = tmp_path / "bad.prog"
    path.write_text(text)
    assert_input_error(cli("rank", "--programs", path, "--json"), re.escape(str(path)) + ":" + pattern)


def test_same_name_in_two_files_is_an_error(cli, tmp_path):
    (tmp_path / "a.prog").write_text("x = optimize(base_obj)\n")
    (tmp_path / "b.prog").write_text("\nx = combine(simplest_obj)\n")
    assert_input_error(cli("rank", "--programs", tmp_path),
                       re.escape(f"{tmp_path / 'b.prog'}:2:1: error: duplicate definition 'x' (first defined at {tmp_path / 'a.prog'}:1:1)"))


def test_missing_and_unreadable_program_files(cli, tmp_path):
    missing = tmp_path / "nope.prog"
    assert_input_error(cli("rank", "--programs", missing), re.escape(f"{missing}: error: no such file"))
    assert_input_error(cli("validate", missing), re.escape(f"{missing}: error: no such file"))
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    assert_input_error(cli("rank", "--programs", empty_dir), re.escape(f"error: {empty_dir}: directory holds no .prog files"))
    binary = tmp_path / "bin.prog"
    binary.write_bytes(b"x = \xff\xfe\n")
    assert_input_error(cli("validate", binary), re.escape(f"{binary}: error: not UTF-8 text") + r".*")
