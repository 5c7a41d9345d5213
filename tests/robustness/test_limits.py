"""Huge, tiny, zero, negative, NaN and infinite numbers in parameters (TOML), --set and
--g: each gives exit 2 with one clear line, or the correct result."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import REPO

# a numpy warning would be a second line on the user's terminal: make it an error here
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

POST_TOML = (REPO / "programs" / "post.toml").read_text(encoding="utf-8")


def _error_line(r):
    assert r.status == 2, (r.status, r.out, r.err)
    assert r.out == ""
    lines = r.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err, r.err
    return lines[0]


# (arguments, expected winner) — numbers at the edges that have a correct answer
CORRECT = [
    (["--g", "0"], "honest"),                                   # pure speed prior: fastest
    (["--g", "1e300"], "simple_deceptive"),                     # ~pure simplicity: shortest
    (["--g", "5e-324"], "honest"),                              # subnormal g
    (["--g", "1.875"], "simple_deceptive"),                     # the tie at g*: smaller c wins
    (["--g=-0"], "honest"),                                  # negative zero is zero
    (["--set", "C_B=1e300"], "simple_deceptive"),               # huge but finite
    (["--set", "T_D=1e-300"], "honest"),                        # tiny
    (["--set", "C_S=0", "--set", "C_D=0", "--set", "T_D=0"], "honest"),  # Hfh = Hfd: tie by size
    (["--set", "C_B=0", "--set", "T_B=0"], "honest"),           # zero costs
    (["--set", "T_F=1e200", "--g", "2"], "honest"),             # Hsd astronomically slow
    (["--exchange", "cap", "--set", "k=101"], "honest"),        # k exactly t(Hfh)
    (["--exchange", "cap", "--set", "k=131"], "simple_deceptive"),
    (["--exchange", "levin", "--set", "lambda=0"], "simple_deceptive"),
    (["--exchange", "power", "--set", "alpha=0", "--g", "1"], "simple_deceptive"),
    (["--set", "C_B=1_000"], "simple_deceptive"),               # Python float syntax
]


@pytest.mark.parametrize("args,winner", CORRECT, ids=[" ".join(a) for a, _ in CORRECT])
def test_edge_numbers_give_the_correct_winner(cli, args, winner):
    r = cli("rank", *args, "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["winner"] == winner


def test_tie_at_g_star_is_broken_by_c(cli):
    """At g* = 30/16 Hfh and Hsd tie on score; the rule prefers the smaller c: Hsd."""
    data = json.loads(cli("rank", "--g", "1.875", "--json").out)
    scores = {p["name"]: p["score"] for p in data["programs"]}
    assert scores["honest"] == scores["simple_deceptive"] == 1.875 * 170 + 101
    assert data["winner"] == "simple_deceptive"



# (arguments, a fragment the one-line error must contain)
ERRORS = [
    (["--g", "nan"], "not a finite number"),
    (["--g", "inf"], "not a finite number"),
    (["--g=-inf"], "not a finite number"),
    (["--g", "1e309"], "not a finite number"),
    (["--g=-1"], "must be finite and >= 0"),
    (["--g=-1e-300"], "must be finite and >= 0"),
    (["--g", "abc"], "expected a number"),
    (["--g", ""], "expected a number"),
    (["--g", "0x10"], "expected a number"),
    (["--g", "1e308"], "overflows"),                           # g*c beyond the float range
    (["--set", "C_B=nan"], "not a finite number"),
    (["--set", "C_B=inf"], "not a finite number"),
    (["--set", "C_B=-inf"], "not a finite number"),
    (["--set", "C_B=1e400"], "not a finite number"),
    (["--set", "C_B=-1"], "negative"),
    (["--set", "T_M=-1e-300"], "negative"),
    (["--set", "C_B="], "expected a number"),
    (["--set", "C_B"], "expected NAME=VALUE"),
    (["--set", "=5"], "expected NAME=VALUE"),
    (["--set", "C_B==5"], "expected a number"),
    (["--set", "CB=5"], "did you mean 'C_B'"),
    (["--set", "g=nan"], "not a finite number"),
    (["--set", "g=-2"], "must be finite and >= 0"),
    (["--set", "lambda=1"], "has no parameter 'lambda'"),
    (["--set", "C_M=1e308", "--set", "C_K=1e308"], "overflows"),   # c = inf
    (["--set", "T_M=1e308", "--set", "T_MO=1e308"], "is not finite"),  # t(combine) = inf
    (["--exchange", "power", "--set", "alpha=1e300"], "overflows"),
    (["--exchange", "levin", "--set", "lambda=nan"], "not a finite number"),
    (["--exchange", "cap", "--set", "k=-1"], "must be finite and >= 0"),
    (["--exchange", "levin", "--g", "1"], "--g applies to the linear and power"),
]


@pytest.mark.parametrize("args,fragment", ERRORS, ids=[" ".join(a) for a, _ in ERRORS])
def test_bad_numbers_on_the_command_line_are_one_clear_line(cli, args, fragment):
    line = _error_line(cli("rank", *args))
    assert fragment in line, line


# (text replacing "value = 20," of C_B, error fragment or None for success with winner)
TOML_NUMBERS = [
    ("value = nan,", "not finite"),
    ("value = inf,", "not finite"),
    ("value = -inf,", "not finite"),
    ("value = 1e400,", "not finite"),                   # TOML reads it as inf
    ("value = " + "9" * 400 + ",", "too large"),        # TOML integers are unbounded
    ("value = -1,", "negative"),
    ("value = -0.0,", None),
    ("value = 0,", None),
    ("value = 5e-324,", None),
    ("value = 1e300,", None),
    ("value = 0x14,", None),                            # TOML hex integer = 20
    ("value = true,", "must be a number"),
    ('value = "20",', "must be a number"),
    ("value = 2024-01-01,", "must be a number"),
    ("value = [20],", "must be a number"),
]


@pytest.mark.parametrize("replacement,fragment", TOML_NUMBERS, ids=[r for r, _ in TOML_NUMBERS])
def test_numbers_in_a_model_file(cli, tmp_path, replacement, fragment):
    path = tmp_path / "m.toml"
    path.write_text(POST_TOML.replace("value = 20,", replacement, 1), encoding="utf-8")
    r = cli("rank", "--model", path, "--json")
    if fragment is None:
        assert r.status == 0, r.err
        data = json.loads(r.out)
        honest = next(p for p in data["programs"] if p["name"] == "honest")
        assert honest["c"] == data["params"]["C_B"] + 150
    else:
        line = _error_line(r)
        assert line.startswith(f"{path}:") and fragment in line, line


@pytest.mark.parametrize("key,value,fragment", [
    ("g", "nan", "must be finite"), ("g", "-1", "must be finite"), ("g", "inf", "must be finite"),
    ("g", "9" * 400, "too large"), ("g", "true", "must be a number"),
])
def test_exchange_numbers_in_a_model_file(cli, tmp_path, key, value, fragment):
    path = tmp_path / "m.toml"
    path.write_text(POST_TOML.replace("g = 1\n", f"{key} = {value}\n", 1), encoding="utf-8")
    line = _error_line(cli("rank", "--model", path))
    assert line.startswith(f"{path}:") and fragment in line, line


@pytest.mark.parametrize("weight,fragment", [("0", "must be > 0"), ("-1", "negative"), ("nan", "not finite"),
                                             ("inf", "not finite"), ("1e308", None), ("1e-300", None)])
def test_episode_weights(cli, tmp_path, weight, fragment):
    path = tmp_path / "m.toml"
    path.write_text(POST_TOML.replace("weight = 1\n", f"weight = {weight}\n", 1), encoding="utf-8")
    r = cli("rank", "--model", path, "--json")
    if fragment is None:  # one training episode: its weight normalises away
        assert r.status == 0, r.err
        assert json.loads(r.out)["winner"] == "honest"
    else:
        assert fragment in _error_line(r)


# ------------------------------------------------------------- phase axes and search

SMALL_Y = ["--y", "C_B=1:40:3"]

AXIS_ERRORS = [
    ("g=0:inf:10", "not a finite number"),
    ("g=nan:1:5", "not a finite number"),
    ("g=-inf:1:5", "not a finite number"),
    ("g=1:0:5", "must be below"),
    ("g=1:1:5", "must be below"),
    ("g=1:1+1e-17:5", "are the same floating-point number"),  # exactly apart, one float
    ("C_B=2^60:2^60+3:5", "are the same floating-point number"),
    ("g=-1:1:5", "must be >= 0"),
    ("g=1:2:0", "at least 2 points"),
    ("g=1:2:1", "at least 2 points"),
    ("g=1:2:-5", "at least 2 points"),
    ("g=1:2:5.5", "whole number"),
    ("g=1:2:" + "9" * 30, "exceeds --max-points"),            # resource limit, named with its flag
    ("g=1:2:100000000", "exceeds --max-points"),
    ("g=0:1:5:log", "log axis needs LO > 0"),
    ("g=1:2", "3 or 4 fields"),
    ("g=1:2:3:log:log", "3 or 4 fields"),
    ("=1:2:3", "expected NAME=LO:HI:N"),
    ("g=0x1:2:3", "must be a number"),
    ("C_X=1:2:5", "did you mean"),
    ("lambda=1:2:5", "choose it with --exchange"),
    ("g=1e308:1.7e308:3", "overflow"),                         # was a silent "no eligible program"
    ("g=1e-320:1e308:5:log", "overflow"),
]


@pytest.mark.parametrize("axis,fragment", AXIS_ERRORS, ids=[a for a, _ in AXIS_ERRORS])
def test_bad_phase_axes_are_one_clear_line(cli, tmp_path, axis, fragment):
    r = cli("phase", f"--x={axis}", *SMALL_Y, "--out", tmp_path / "p.png", "--data", tmp_path / "p.csv")
    line = _error_line(r)
    assert fragment in line, line
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("axes,winners", [
    (["--x", "g=0:0.001:3"], {"honest"}),                           # g = 0 is the pure speed prior
    (["--x", "g=1e-300:1e-290:3:log"], {"honest"}),                 # tiny
    (["--x", "g=1e200:1e300:3:log", "--y", "C_B=20:40:3"], {"simple_deceptive"}),  # huge, finite scores
    (["--x", "g=1:2:3", "--y", "C_B=1e300:1e308:3"], {"simple_deceptive"}),  # no overflow in the axis
    (["--x", "g=1:2:3", "--y", "C_B=0:5e-324:2"], {"honest"}),       # subnormal step
])
def test_edge_phase_axes_give_correct_regions(cli, tmp_path, axes, winners):
    import csv

    y = [] if "--y" in axes else SMALL_Y
    r = cli("phase", *axes, *y, "--out", "none", "--data", tmp_path / "p.csv")
    assert r.status == 0, r.err
    rows = list(csv.DictReader(line for line in (tmp_path / "p.csv").read_text().splitlines() if not line.startswith("#")))
    assert {row["winner"] for row in rows} == winners


def test_phase_winner_at_huge_c_b_is_the_shorter_program(cli, tmp_path):
    """At C_B = 1e308 and g = 2, g*c(Hfh) overflows but the true winner (Hsd, c = 154)
    has a finite score: that is a correct result, not an error."""
    r = cli("phase", "--x", "g=1:2:2", "--y", "C_B=1e307:1e308:2", "--out", "none", "--data", tmp_path / "p.csv")
    assert r.status == 0, r.err
    assert "simple_deceptive" in (tmp_path / "p.csv").read_text()


SEARCH_CASES = [
    (["--g", "1e308"], "overflows"),
    (["--max-size", "0"], ">= 1"),
    (["--max-size", "-3"], ">= 1"),
    (["--max-size", "100"], "beyond what the enumeration supports"),
    (["--top", "-1"], ">= 0"),
    (["--g", "nan"], "not a finite number"),
    (["--set", "C_B=1e400"], "not a finite number"),
]


@pytest.mark.parametrize("args,fragment", SEARCH_CASES, ids=[" ".join(a) for a, _ in SEARCH_CASES])
def test_bad_search_numbers_are_one_clear_line(cli, args, fragment):
    line = _error_line(cli("search", *args))
    assert fragment in line, line


def test_search_refuses_above_its_class_limit_naming_the_estimate_and_flag(cli):
    line = _error_line(cli("search", "--max-size", "12", "--max-classes", "50"))
    assert "--max-classes" in line and any(ch.isdigit() for ch in line), line


@pytest.mark.parametrize("args,winner", [
    (["--g", "0", "--max-size", "5"], "optimize(base_obj)"),     # fastest compatible
    (["--g", "1e300", "--max-size", "5"], "optimize(find_base_obj)"),  # shortest (C_ptr = 0)
    (["--exchange", "levin", "--set", "lambda=0", "--max-size", "5"], "optimize(find_base_obj)"),
])
def test_edge_search_numbers_give_the_correct_winner(cli, args, winner):
    r = cli("search", *args, "--json")
    assert r.status == 0, r.err
    assert json.loads(r.out)["winner"]["source"] == winner


def test_running_out_of_memory_while_enumerating_is_one_clear_line(cli, monkeypatch):
    """Wide class keys (a family of 100,000 objectives) exhausted memory below the
    class limit: an internal MemoryError before, one line with exit 2 now."""
    import priorsearch.space.enumerate as en

    def exhausted(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(en, "enumerate_all", exhausted)
    line = _error_line(cli("search", "--max-size", "4"))
    assert "ran out of memory" in line and "--max-size" in line


def test_a_family_of_many_objectives_ranks_in_seconds(post_model):
    """model.objectives was quadratic in the number of objectives (K = 100,000 took
    100 s in rank); a family of 2^100 must be quick: the model lists the first
    EXPLICIT_MEMBERS members as primitives and counts the rest exactly."""
    import signal

    from priorsearch.model.cost_model import CostModel
    from priorsearch.scoring.rank import rank

    from priorsearch.model.cost_model import EXPLICIT_MEMBERS

    model = CostModel.load(REPO / "programs" / "rich.toml").with_params(K=2 ** 100)

    def alarm(signum, frame):
        raise AssertionError("took longer than 20 s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 20)
    try:
        assert model.family_sizes["misaligned"] == 2 ** 100
        assert len(model.objectives) == 2 + EXPLICIT_MEMBERS
        assert rank(model).winner.name == "honest"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
