"""Reproducible figures and bad-input handling of phase/figures (exit 2, one line, no files)."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO

ROOT = REPO

SMALL = """
[[figure]]
name = "small"
kind = "phase"
x = "g=0.1:10:25:log"
y = "C_B=1:100:20:log"
out = ["small.png", "small.svg"]
data = ["small.csv", "small.npz"]

[[figure]]
name = "small_mass"
kind = "phase"
mode = "mass"
x = "C_B=1:60:12"
y = "T_F=1:40:10"
set = { g = 2 }
out = "mass.png"
"""


def digest(directory):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(directory).iterdir())}


def test_figures_twice_give_identical_bytes_and_check_passes(cli, tmp_path):
    config = tmp_path / "figures.toml"
    config.write_text(SMALL)
    r = cli("figures", config)
    assert r.status == 0, r.err
    first = digest(tmp_path / "figures")
    assert set(first) == {"small.png", "small.svg", "small.csv", "small.npz", "mass.png"}
    assert cli("figures", config).status == 0
    assert digest(tmp_path / "figures") == first
    recorded = (tmp_path / "figures.sha256").read_text().splitlines()
    assert sorted(recorded) == sorted(f"{h}  {n}" for n, h in first.items())
    r = cli("figures", config, "--check")
    assert r.status == 0 and "ok: all 5 files match" in r.out
    # a wrong hash and a missing output are each listed, exit 1
    lines = [l if not l.endswith("small.svg") else "0" * 64 + "  small.svg" for l in recorded]
    (tmp_path / "figures.sha256").write_text("\n".join(lines + ["1" * 64 + "  gone.png"]) + "\n")
    r = cli("figures", config, "--check")
    assert r.status == 1
    assert "differs: small.svg" in r.out and "missing: gone.png" in r.out and "small.png" not in r.out


def test_repository_figures_check_passes(cli):
    r = cli("figures", ROOT / "analysis" / "figures.toml", "--check")
    assert r.status == 0, r.out + r.err


def test_same_bytes_across_processes_and_thread_counts(tmp_path):
    config = tmp_path / "figures.toml"
    config.write_text("[[figure]]" + SMALL.split("[[figure]]")[1])  # PNG, SVG, CSV, NPZ
    outs = {}
    for threads in ("1", "2"):
        env = {**os.environ, "NUMBA_NUM_THREADS": threads}
        out = tmp_path / f"out{threads}"
        subprocess.run([sys.executable, "-m", "priorsearch.cli.main", "figures", str(config), "--out", str(out)],
                       check=True, env=env, capture_output=True)
        outs[threads] = digest(out)
    assert outs["1"] == outs["2"] and len(outs["1"]) == 4


def test_unknown_kind_is_a_located_error(cli, tmp_path):
    config = tmp_path / "f.toml"
    config.write_text('[[figure]]\nname = "a"\nkind = "phase"\nout = "a.png"\n\n[[figure]]\nname = "b"\n  kind = "phsae"\nout = "b.png"\n')
    r = cli("figures", config)
    assert r.status == 2 and r.err.count("\n") == 1
    assert r.err.startswith(f"{config}:8:3: error:") and "'phsae'" in r.err
    assert not (tmp_path / "figures").exists()


def test_other_kinds_dispatch_to_experiments(cli, tmp_path, monkeypatch):
    import types

    calls = []

    def make_figure(entry, out_dir):
        calls.append(entry["name"])
        path = Path(out_dir) / "exp.txt"
        path.write_text(entry["note"])
        return [path]

    import priorsearch.reproduce as reproduce

    monkeypatch.setitem(reproduce.EXPERIMENTS, "demo", types.SimpleNamespace(make_figure=make_figure))
    config = tmp_path / "f.toml"
    config.write_text('[[figure]]\nname = "e"\nkind = "demo"\nnote = "hello"\n')
    assert cli("figures", config).status == 0 and calls == ["e"]
    assert (tmp_path / "figures" / "exp.txt").read_text() == "hello"
    assert "exp.txt" in (tmp_path / "f.sha256").read_text()


BAD = [
    (["--x", "gg=0.1:1:5"], "did you mean 'g'"),
    (["--x", "g=1:1:5"], "LO = 1 must be below HI = 1"),
    (["--x", "g=0.1:1:1"], "at least 2 points"),
    (["--x", "g=0:1:5:log"], "log axis needs LO > 0"),
    (["--x", "g=inf:1:5"], "not a finite number"),
    (["--x", "g=0.1:1:5:logg"], "must be 'log'"),
    (["--x", "g=0.1:1:3000", "--y", "C_B=1:2:3000"], "exceeds --max-points"),
    (["--x", "C_B=1:2:3"], "both sweep C_B"),
    (["--out", "missing/p.png"], "does not exist"),
    (["--out", "p.jpg"], "unsupported extension"),
    (["--data", "p.txt"], "unsupported extension"),
    (["--data", "missing/p.csv"], "does not exist"),
    (["--x", "k=1:2:3"], "parameter of the cap exchange"),
    (["--x", "C_B=-5:10:4", "--y", "T_F=1:2:3"], "must be finite and >= 0"),
    (["--mode", "mass", "--x", "g=0:1:4"], "mass mode needs g > 0"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[b[1] for b in BAD])
def test_bad_input_exit_2_one_line_no_files(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = cli("phase", *args)
    assert r.status == 2
    assert r.err.count("\n") == 1 and r.err.startswith("error:") and message in r.err, r.err
    assert list(tmp_path.iterdir()) == []


def test_phase_cli_enumerate_mass_with_npz(cli, tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.chdir(tmp_path)
    r = cli("phase", "--space", "enumerate", "--max-size", "7", "--mode", "mass", "--x", "g=0.5:20:9:log",
            "--y", "C_B=1:100:7:log", "--out", "m.svg", "--data", "m.csv", "m.npz")
    assert r.status == 0, r.err
    assert r.out.splitlines()[:3] == ["wrote m.svg", "wrote m.csv", "wrote m.npz"]
    assert "deceptive share of prior mass" in r.out
    z = np.load(tmp_path / "m.npz")
    share = np.exp2(z["log2_mass"][1]) / np.exp2(z["log2_mass"]).sum(axis=0)
    assert z["winner"].shape == (7, 9) and ((share > 0) & (share < 1)).all()
    header = [l for l in (tmp_path / "m.csv").read_text().splitlines() if not l.startswith("#")][0]
    assert header.endswith("log2_mass_aligned,log2_mass_deceptive,deceptive_share")
    assert "--space enumerate --max-size 7 --mode mass" in (tmp_path / "m.csv").read_text().splitlines()[1]


def test_failed_run_leaves_no_new_output_directory(cli, tmp_path):
    config = tmp_path / "figures.toml"
    config.write_text('[[figure]]\nname = "bad"\nkind = "phase"\nout = "bad.png"\nmodel = "missing.toml"\n',
                      encoding="utf-8")
    out = tmp_path / "new_dir"
    r = cli("figures", config, "--out", out)
    assert r.status == 2 and len(r.err.splitlines()) == 1 and "Traceback" not in r.err
    assert "missing.toml" in r.err
    assert not out.exists()
