"""Also: a full disk. Nothing partial is left, and a run that writes several outputs
either replaces all of them or none (then says so); when renaming fails half way the
error names what was written and what was not."""
from __future__ import annotations

import errno
import io
import os
import sys

import pytest

from conftest import SMALL, listing
from priorsearch.errors import InputError
from priorsearch.outputs import OutputError, atomic_write_text, output_batch

BIG = ["--x", "g=0.01:100:60:log", "--y", "C_B=1:100:60"]  # a CSV of ~200 kB


def test_tiny_tmpfs_phase_leaves_the_old_outputs(cli, tmpfs):
    disk = tmpfs("96k", files={"x.csv": b"old csv\n", "x.png": b"old png"})
    r = cli("phase", *BIG, "--out", disk / "x.png", "--data", disk / "x.csv")
    assert r.status == 2 and "No space left on device" in r.err and r.err.count("\n") == 1, r.err
    assert "no output of this run was written" in r.err
    assert listing(disk) == ["x.csv", "x.png"]
    assert (disk / "x.csv").read_bytes() == b"old csv\n" and (disk / "x.png").read_bytes() == b"old png"


def test_tiny_tmpfs_figures_run_leaves_nothing(cli, tmp_path, tmpfs):
    disk = tmpfs("96k")
    config = tmp_path / "c.toml"
    config.write_text("".join(f'[[figure]]\nname = "f{i}"\nkind = "phase"\nx = "g=0.01:100:60:log"\n'
                              f'y = "C_B=1:100:60"\nout = "sub/f{i}.png"\ndata = "f{i}.csv"\n' for i in range(3)))
    r = cli("figures", config, "--out", disk / "figs")
    assert r.status == 2 and "No space left on device" in r.err, r.err
    assert listing(disk) == []  # not even the directories it made


@pytest.mark.parametrize("failing", ["x.png", "x.csv", "x.npz"])
def test_second_output_fails_first_is_not_replaced(cli, tmp_path, fail_writes, failing):
    """Injected: the disk fills while one output is written, after every check passed."""
    for name in ("x.csv", "x.npz", "x.png"):
        (tmp_path / name).write_bytes(b"old " + name.encode())
    fail_writes(tmp_path, errno.ENOSPC, only=[failing])
    r = cli("phase", *SMALL, "--out", tmp_path / "x.png", "--data", tmp_path / "x.csv", tmp_path / "x.npz")
    assert r.status == 2 and failing in r.err and "No space left on device" in r.err, r.err
    assert listing(tmp_path) == ["x.csv", "x.npz", "x.png"]
    assert all((tmp_path / n).read_bytes() == b"old " + n.encode() for n in ("x.csv", "x.npz", "x.png"))


def test_rename_failing_half_way_names_what_was_written(tmp_path, monkeypatch):
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    paths = [tmp_path / f"o{i}.csv" for i in range(3)]
    with pytest.raises(OutputError) as info:
        with output_batch():
            for p in paths:
                atomic_write_text(p, p.name)
    message = str(info.value)
    assert f"written: {paths[0]}" in message and f"not written: {paths[1]}, {paths[2]}" in message
    assert listing(tmp_path) == ["o0.csv"]  # the one renamed; no temporary left
    assert isinstance(info.value, InputError)  # exit 2, one line


def test_failed_batch_removes_the_directories_it_made(tmp_path):
    from priorsearch.outputs import ensure_parent

    with pytest.raises(RuntimeError):
        with output_batch():
            target = tmp_path / "a" / "b" / "x.csv"
            ensure_parent(target)
            atomic_write_text(target, "x")
            raise RuntimeError("drawing failed")
    assert listing(tmp_path) == []


class _FullDevice(io.RawIOBase):
    """A raw stream that fails like /dev/full until ``full`` is cleared."""

    full = True

    def writable(self):
        return True

    def write(self, data):
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return len(data)


@pytest.mark.parametrize("argv", [["rank"], ["rank", "--json"], ["search", "--max-size", "5"]])
def test_stdout_on_a_full_disk(capsys, monkeypatch, argv):
    """A report redirected to a full file system: one line, exit 2 (not 'internal error')."""
    from priorsearch.cli.main import main

    device = _FullDevice()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(device), encoding="utf-8"))
    try:
        assert main(argv) == 2
    finally:
        device.full = False
    err = capsys.readouterr().err
    assert err == "error: cannot write the output (No space left on device)\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_real_process_writing_to_dev_full():
    import subprocess

    from conftest import env

    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "priorsearch", "rank"], stdout=full, stderr=subprocess.PIPE,
                              env=env(), timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode() == "error: cannot write the output (No space left on device)\n"


def test_uncertainty_writes_its_csv_and_figure_together(cli, tmp_path, fail_writes):
    """The third command with several outputs: the figure fails, the CSV stays old."""
    (tmp_path / "u.csv").write_text("old\n")
    fail_writes(tmp_path, errno.ENOSPC, only=["u.png"])
    r = cli("uncertainty", "--dist", "C_B=uniform(10,30)", "--draws", "200", "--seed", "1",
            "--data", tmp_path / "u.csv", "--out", tmp_path / "u.png")
    assert r.status == 2 and "No space left on device" in r.err, r.err
    assert listing(tmp_path) == ["u.csv"] and (tmp_path / "u.csv").read_text() == "old\n"
