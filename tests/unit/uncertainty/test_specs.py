"""Distribution specs: the families, their checks, and the whitelist grammar."""
import pytest

from priorsearch.errors import InputError
from priorsearch.uncertainty.specs import parse_assignment, parse_spec


@pytest.mark.parametrize("text, family, args", [
    ("uniform(0, 50)", "uniform", (0.0, 50.0)),
    ("loguniform(1, 1e3)", "loguniform", (1.0, 1000.0)),
    ("normal(10, 2^2)", "normal", (10.0, 4.0)),
    ("lognormal(20, 0.5)", "lognormal", (20.0, 0.5)),
    ("triangular(0, 1/2, 3)", "triangular", (0.0, 0.5, 3.0)),
    ("beta(2, 5, 0, 100)", "beta", (2.0, 5.0, 0.0, 100.0)),
    ("choice(1, 16, 1000)", "choice", (1.0, 16.0, 1000.0)),
    ("fixed(-(-3))", "fixed", (3.0,)),
])
def test_families_parse_with_constant_arithmetic(text, family, args):
    spec = parse_spec(text)
    assert (spec.family, spec.args) == (family, args)


@pytest.mark.parametrize("text, message", [
    ("unifrom(1, 2)", r"unknown distribution 'unifrom' \(did you mean 'uniform'\?\)"),
    ("uniform(1)", r"uniform\(\) takes 2 arguments"),
    ("beta(1, 2, 3)", r"beta\(\) takes 4 arguments"),
    ("uniform(5, 1)", r"needs lo < hi, got lo = 5 >= hi = 1"),
    ("loguniform(3, 3)", r"needs lo < hi"),
    ("loguniform(0, 3)", r"needs lo > 0"),
    ("normal(1, -2)", r"needs sd > 0, got -2"),
    ("lognormal(0, 1)", r"needs median > 0"),
    ("triangular(0, 5, 3)", r"needs lo <= mode <= hi"),
    ("choice()", r"needs at least one value"),
    ("uniform(C_B, 3)", r"must be numbers, got the name 'C_B'"),
    ("uniform(1, 2) + 1", r"unexpected '\+' after the distribution"),
    ("__import__('os')", r"not allowed"),
    ("uniform(1, 'x')", r"unexpected character"),
])
def test_bad_specs_are_one_clear_error(text, message):
    with pytest.raises(InputError, match=message):
        parse_spec(text, "--dist C_B")


def test_nothing_is_evaluated_beyond_the_whitelist():
    # a call the arithmetic grammar knows is still only arithmetic
    assert parse_spec("uniform(log2(2), max(3, 4))").args == (1.0, 4.0)
    with pytest.raises(InputError, match="unknown function 'open'"):
        parse_spec("uniform(open(1), 2)")


def test_assignment_names_the_parameter_in_errors():
    assert parse_assignment("C_B=loguniform(1, 1000)")[0] == "C_B"
    with pytest.raises(InputError, match=r"--dist C_B: uniform\(\) needs lo < hi"):
        parse_assignment("C_B=uniform(2, 1)")
    with pytest.raises(InputError, match="expected NAME=SPEC"):
        parse_assignment("loguniform(1, 2)")
