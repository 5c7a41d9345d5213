"""Safe outputs: atomic writes, never overwriting an input, and no partial file after an
interrupted run (SIGINT to a real ``priorsearch phase`` process)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from priorsearch.errors import InputError
from priorsearch.outputs import atomic_write_text, atomic_writer, check_output_path
from paths import REPO

ROOT = REPO


def _leftovers(directory):
    return sorted(p.name for p in Path(directory).iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, exc):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(exc):
        with atomic_writer(target) as handle:
            handle.write("new, half written")
            raise exc()
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_a_successful_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n" and _leftovers(tmp_path) == []


def test_the_rename_replaces_a_symlink_not_its_target(tmp_path):
    """Even an output path that links to another file never writes into that file."""
    precious = tmp_path / "model.toml"
    precious.write_text("keep")
    link = tmp_path / "out.csv"
    link.symlink_to(precious)
    atomic_write_text(link, "data")
    assert precious.read_text() == "keep" and link.read_text() == "data" and not link.is_symlink()


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_check_output_path_refuses_an_input(tmp_path, how):
    model = tmp_path / "m.csv"
    model.write_text("x")
    out = {"same": model, "symlink": tmp_path / "l.csv", "hardlink": tmp_path / "h.csv"}[how]
    if how == "symlink":
        out.symlink_to(model)
    elif how == "hardlink":
        os.link(model, out)
    with pytest.raises(InputError, match="refusing to overwrite an input"):
        check_output_path(out, {".csv"}, inputs=[model])


def test_regression_phase_never_overwrites_its_model_or_programs(cli, tmp_path):
    """phase --model phase.csv used to write its CSV over the model it had just read
    (and --programs h.png its figure over the program file)."""
    model = tmp_path / "phase.csv"
    model.write_text((ROOT / "programs" / "post.toml").read_text())
    prog = tmp_path / "h.png"
    prog.write_text((ROOT / "programs" / "honest.prog").read_text())
    before = model.read_bytes(), prog.read_bytes()
    small = ["--x", "g=1:2:3", "--y", "C_B=1:2:3"]
    r = cli("phase", "--model", model, *small, "--out", "none", "--data", model)
    assert r.status == 2 and "refusing to overwrite an input" in r.err and r.err.count("\n") == 1
    r = cli("phase", "--programs", prog, *small, "--out", prog, "--data", "none")
    assert r.status == 2 and "refusing to overwrite an input" in r.err
    assert (model.read_bytes(), prog.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.png", "phase.csv"]


DRIVER = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started ignoring SIGINT
from priorsearch.cli.main import main
print("ready", flush=True)
sys.exit(main(sys.argv[1:]))
"""


def test_sigint_during_phase_leaves_no_output_files(tmp_path):
    """A 4-million-point grid takes tens of seconds; SIGINT a second into the run must
    end it with status 130, one line, and no output file, complete or partial."""
    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
    args = [sys.executable, "-c", DRIVER, "phase", "--x", "g=0.01:100:2000:log", "--y", "C_B=1:100:2000",
            "--out", str(tmp_path / "x.png"), "--data", str(tmp_path / "x.csv"), str(tmp_path / "x.npz")]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(1.5)
        assert proc.poll() is None, "finished before the interrupt; make the grid larger"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert err.decode().strip() == "error: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == []
