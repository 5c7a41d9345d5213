"""Hostile inputs to ``priorsearch uncertainty`` (second review battery).

Each is exit 2 with one line (file:line:col when it came from the model file), no
traceback and no output file.  Found by review: errors about the model file's
``[uncertainty]`` table (an unknown parameter, a negative fixed value, a correlation out of
range or on an unknown name, an unknown structure key, an unknown ``exclude``) named
``--dist`` or nothing instead of the file's line; ``inf`` weights in
``[uncertainty.structure]`` were an internal error (exit 1) and ``inf`` values slipped
through to the model; a rank correlation on a ``fixed`` parameter, or the same pair
given twice in both orders, was silently accepted (one of the two values won);
``normal(1e308, 1e308)`` leaked scipy overflow warnings; a 44-digit seed was accepted;
``--structure K=...`` given twice (or ``--models`` and ``--structure models=``) let the
last one win silently; an empty ``--out``/``--data`` was taken as "no output".
"""
import pytest

from errorcheck import assert_input_error
from paths import REPO

POST = (REPO / "programs" / "post.toml").read_text()
G = ["--dist", "g=uniform(0, 3)", "--draws", "50"]

BAD_ARGS = [
    ("corr-on-fixed", [*G, "--dist", "C_B=fixed(3)", "--corr", "g,C_B=0.5"],
     r"error: correlation g,C_B: C_B takes a single value, so it cannot be correlated"),
    ("corr-on-one-valued-choice", [*G, "--dist", "C_B=choice(3, 3)", "--corr", "C_B,g=0.5"],
     r"error: correlation C_B,g: C_B takes a single value, so it cannot be correlated"),
    ("corr-twice-reversed", [*G, "--dist", "C_B=uniform(1, 9)", "--corr", "g,C_B=0.5", "--corr", "C_B,g=-0.5"],
     r"error: --corr C_B,g given twice; give it once"),
    ("corr-twice", [*G, "--dist", "C_B=uniform(1, 9)", "--corr", "g,C_B=0.5", "--corr", "g,C_B=0.5"],
     r"error: --corr g,C_B given twice; give it once"),
    ("seed-huge", [*G, "--seed", "9" * 44], r"error: --seed must be a whole number from 0 to 2\^64 - 1, got 9{44}"),
    ("seed-2^64", [*G, "--seed", str(2**64)], r"error: --seed must be a whole number from 0 to 2\^64 - 1, got \d+"),
    ("normal-overflows", ["--dist", "g=normal(1e308, 1e308)", "--draws", "50"],
     r"error: g = normal\(1e\+308, 1e\+308\): a draw \(quantile [0-9.e-]+\) overflows the float range; "
     r"use smaller numbers"),
    ("all-mass-far-below-0", ["--dist", "g=normal(-40, 1)", "--draws", "50"],
     r"error: g = normal\(-40, 1\): all of its mass is below 0, and g must be >= 0"),
    ("structure-weight-inf", [*G, "--models", REPO / "programs" / "post.toml", REPO / "programs" / "post.toml",
                              "--weights", "1", "1e400"], r"error: --weights: '1e400' is not a finite number"),
    ("structure-twice", [*G, "--structure", "C_B=1,2", "--structure", "C_B=3,4"],
     r"error: --structure C_B: C_B is already drawn by --structure C_B; give it once"),
    ("models-twice", [*G, "--models", REPO / "programs" / "post.toml", "--structure",
                      f"models={REPO / 'programs' / 'post.toml'}"],
     r"error: --structure models: models is already drawn by --models; give it once"),
]


@pytest.mark.parametrize("name,argv,pattern", BAD_ARGS, ids=[b[0] for b in BAD_ARGS])
def test_hostile_uncertainty_arguments_are_one_line_and_write_nothing(cli, tmp_path, name, argv, pattern):
    out, data = tmp_path / "u.png", tmp_path / "u.csv"
    assert_input_error(cli("uncertainty", *argv, "--out", out, "--data", data), pattern)
    assert not out.exists() and not data.exists()


@pytest.mark.parametrize("flag", ["--out", "--data"])
def test_an_empty_output_path_is_a_bad_path_not_no_output(cli, flag):
    assert_input_error(cli("uncertainty", *G, flag, ""), r"error: : expected a file name")


def test_the_largest_seed_is_taken(cli):
    r = cli("uncertainty", *G, "--seed", str(2**64 - 1), "--json", "--sobol-n", "0")
    assert r.status == 0, r.err
    assert f'"seed": {2**64 - 1}' in r.out


# (name, text appended to post.toml, line:col of the offending entry counted from the
# table's first line (0), message)
BAD_TABLES = [
    ("unknown-parameter", '[uncertainty]\nX_Y = "uniform(0, 1)"\n', "1:8",
     r"\[uncertainty\] X_Y: no parameter 'X_Y'; the model has .*"),
    ("negative-fixed", "[uncertainty]\ng = -1\n", "1:5",
     r"g = fixed\(-1\): values must be >= 0 \(g is a cost or an exchange rate\)"),
    ("all-mass-below-0", '[uncertainty]\ng = "uniform(-2, -1)"\n', "1:6",
     r"g = uniform\(-2, -1\): all of its mass is below 0, and g must be >= 0"),
    ("rho-out-of-range", '[uncertainty]\ng = "uniform(0, 1)"\nC_B = "uniform(0, 1)"\n'
     'correlations = [["g", "C_B", 1.5]]\n', "3:16",
     r"correlation g,C_B = 1\.5: a rank correlation must lie strictly between -1 and 1"),
    ("rho-nan", '[uncertainty]\ng = "uniform(0, 1)"\nC_B = "uniform(0, 1)"\ncorrelations = [["g", "C_B", nan]]\n',
     "3:16", r"correlation g,C_B = nan: a rank correlation must lie strictly between -1 and 1"),
    ("rho-unknown-name", '[uncertainty]\ng = "uniform(0, 1)"\ncorrelations = [["g", "C_Q", 0.5]]\n', "2:16",
     r"correlation g,C_Q: C_Q has no distribution \(give it one with --dist\)"),
    ("rho-on-fixed", '[uncertainty]\ng = "uniform(0, 1)"\nC_B = 3\ncorrelations = [["g", "C_B", 0.5]]\n', "3:16",
     r"correlation g,C_B: C_B takes a single value, so it cannot be correlated"),
    ("rho-twice", '[uncertainty]\ng = "uniform(0, 1)"\nC_B = "uniform(0, 1)"\n'
     'correlations = [["g", "C_B", 0.5], ["C_B", "g", 0.1]]\n', "3:16",
     r"correlation C_B,g given twice; give it once"),
    ("structure-value-inf", '[uncertainty]\ng = "uniform(0, 1)"\n[uncertainty.structure]\nC_B = [1, inf]\n', "3:7",
     r"structure C_B: values must be numbers >= 0"),
    ("structure-weight-inf", '[uncertainty]\ng = "uniform(0, 1)"\n[uncertainty.structure]\n'
     "C_B = { values = [1, 2], weights = [inf, 1] }\n", "3:7",
     r"structure C_B: weights must be 2 numbers >= 0, not all 0"),
    ("structure-unknown-key", '[uncertainty]\ng = "uniform(0, 1)"\n[uncertainty.structure]\nfoo = [1, 2]\n', "3:7",
     r"structure foo: no parameter 'foo'; use models, max_size, exclude or a parameter of the model"),
    ("structure-unknown-exclude", '[uncertainty.structure]\nexclude = ["zzz"]\n', "1:11",
     r"structure exclude: no primitive or episode 'zzz'.*"),
]


@pytest.mark.parametrize("name,table,where,pattern", BAD_TABLES, ids=[b[0] for b in BAD_TABLES])
def test_errors_in_the_uncertainty_table_are_located_in_the_model_file(cli, tmp_path, name, table, where, pattern):
    path = tmp_path / "m.toml"
    path.write_text(POST + table)
    first = POST.count("\n") + 1  # the table header's line; `where` counts from it (0)
    line, col = (int(x) for x in where.split(":"))
    out = tmp_path / "u.png"
    assert_input_error(cli("uncertainty", "--model", path, "--draws", "50", "--out", out),
                       rf"{path}:{first + line}:{col}: error: {pattern}")
    assert not out.exists()


def test_a_command_line_correlation_overrides_the_files_pair_in_either_order(tmp_path):
    import priorsearch as ps

    path = tmp_path / "m.toml"
    path.write_text(POST + '[uncertainty]\ng = "uniform(0, 3)"\nC_B = "uniform(1, 60)"\n'
                           'correlations = [["g", "C_B", 0.9]]\n')
    a = ps.uncertainty(path, correlations={("C_B", "g"): -0.5}, draws=400, sobol_n=0, mass=False)
    b = ps.uncertainty(path, correlations={("g", "C_B"): -0.5}, draws=400, sobol_n=0, mass=False)
    assert (a.values == b.values).all()
    assert a.metadata["correlations"] == [["C_B", "g", -0.5]]


@pytest.mark.parametrize("spec", ["loguniform(1e-300, 1e-299)", "loguniform(1e300, 1e301)", "lognormal(1e300, 3)"])
def test_extreme_log_bins_have_finite_positive_middles_and_plot_without_warnings(cli, tmp_path, spec):
    # found by review: sqrt(lo * hi) overflowed (numpy warnings, inf middles) or underflowed
    # to 0 (matplotlib: "Data has no positive values, and therefore cannot be log-scaled")
    import math

    import priorsearch as ps

    r = ps.uncertainty(None, {"g": spec}, draws=200, sobol_n=0, mass=False)
    bins = r.by_parameter()
    assert bins and all(0 < b["lo"] <= b["mid"] <= b["hi"] and math.isfinite(b["mid"]) for b in bins)
    out = tmp_path / "u.png"
    done = cli("uncertainty", "--dist", f"g={spec}", "--draws", "200", "--no-mass", "--out", out)
    assert done.status == 0 and done.err == "", done.err
    assert out.exists()


@pytest.mark.parametrize("kwargs,message", [
    (dict(dists=["g"]), r"dists must be a dict of parameter name -> distribution, got list"),
    (dict(dists={"g": "uniform(0, 1)", "C_B": "uniform(0, 9)"}, correlations={("g", "C_B"): "x"}),
     r"correlation \('g', 'C_B'\): 'x': expected \(a, b\) -> a number rho"),
    (dict(dists={"g": "uniform(0, 1)", "C_B": "uniform(0, 9)"}, correlations={("g",): 0.3}),
     r"correlation \('g',\): 0\.3: expected \(a, b\) -> a number rho"),
    (dict(dists={"g": "uniform(0, 1)"}, correlations=[("g", "C_B", 0.3)]),
     r"correlations must be a dict \(a, b\) -> rho, got list"),
    (dict(dists={"g": "uniform(0, 1)"}, space="nope"), r"unknown space 'nope'.*; use templates or enumerate"),
])
def test_bad_api_arguments_are_input_errors(kwargs, message):
    # found by review: AttributeError / TypeError / ValueError, and space="nope" ran the templates
    import priorsearch as ps
    from priorsearch.errors import InputError

    with pytest.raises(InputError, match=message):
        ps.uncertainty(None, draws=20, **kwargs)
