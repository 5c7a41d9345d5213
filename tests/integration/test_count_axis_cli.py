"""``priorsearch phase --y K=1:1e30:31:log`` (issue 10): a family's count as an axis from
the command line, in winner and mass mode; bad count axes are one line, exit 2, and
leave no output file."""
import json

import pytest

from paths import REPO

COUNTING = REPO / "programs" / "counting.toml"


@pytest.mark.parametrize("mode", ["winner", "mass"])
def test_phase_sweeps_K_from_1_to_1e30(cli, tmp_path, mode):
    csv, png = tmp_path / "k.csv", tmp_path / "k.png"
    args = ("phase", "--model", COUNTING, "--space", "enumerate", "--max-size", "6", "--x", "g=0.1:10:9:log",
            "--y", "K=1:1e30:31:log", "--mode", mode, "--out", png, "--data", csv)
    r = cli(*args)
    assert r.status == 0, r.err
    lines = [l for l in csv.read_text().splitlines() if not l.startswith("#")]
    assert lines[0].split(",")[:2] == ["g", "K"]
    assert sorted({int(l.split(",")[1]) for l in lines[1:]}) == [10 ** i for i in range(31)]
    assert png.stat().st_size > 0
    first = csv.read_bytes()
    assert cli(*args).status == 0 and csv.read_bytes() == first  # deterministic
    if mode == "mass":
        assert "deceptive share of prior mass" in r.out
    r = cli("phase", "--model", COUNTING, "--space", "enumerate", "--max-size", "6", "--x", "K=0:4:5",
            "--y", "C_B=5:40:3", "--mode", mode, "--out", "none", "--data", "none", "--json")
    meta = json.loads(r.out)["metadata"]
    assert meta["axes"]["x"]["values"] == [0, 1, 2, 3, 4] and meta["model_point"]["K"] == 4


@pytest.mark.parametrize("axis,message", [
    ("K=1:3:10", "error: --y 'K=1:3:10': rounded to whole numbers (K is the member count of family misaligned) "
                 "the axis repeats K = 1 (1, 1, 1, 2, 2, 2, 2, 3, ...); use fewer points or a wider range"),
    ("K=-1:5:7", "error: --y 'K=-1:5:7': family 'misaligned': count K = -1 is not a whole number >= 0"),
    ("K=1:2^1024:5:log", "error: --y 'K=1:2^1024:5:log': family 'misaligned': count K = 17976931... (309 digits) "
                         "is above the supported 2^1023"),
    ("K=1:inf:5", "error: --y 'K=1:inf:5': family 'misaligned': count K = inf is not a whole number >= 0"),
])
def test_bad_count_axis_is_one_line_exit_2_no_file(cli, tmp_path, axis, message):
    csv = tmp_path / "k.csv"
    r = cli("phase", "--model", COUNTING, "--space", "enumerate", "--max-size", "5", "--y", axis,
            "--out", "none", "--data", csv)
    assert r.status == 2 and r.err.strip() == message and r.out == ""
    assert not csv.exists()


def test_templates_that_do_not_depend_on_K_are_refused(cli, tmp_path):
    prog = tmp_path / "h.prog"
    prog.write_text("honest = optimize(base_obj)\n")
    r = cli("phase", "--model", COUNTING, "--code", "flat", "--programs", prog, "--y", "K=1:100:3:log",
            "--out", "none", "--data", "none")
    assert r.status == 2 and len(r.err.strip().splitlines()) == 1
    assert "on --space templates nothing depends on K" in r.err and "--space enumerate" in r.err
    r = cli("phase", "--model", COUNTING, "--programs", prog, "--y", "K=1:100:3:log", "--out", "none",
            "--data", "none")
    assert r.status == 0, r.err  # the prefix code's log2(K + 2) bits per Obj node depend on K
