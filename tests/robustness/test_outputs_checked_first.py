"""Class 1: every output is checked before any work -- writable, a file and not a
directory, its directory there -- exit 2 with one line, nothing left behind, and the
computation never starts (a trap in phase_diagram would turn it into another error)."""
from __future__ import annotations

import errno
import os

import pytest

import priorsearch.cli.phase as phase_cli
from conftest import POST, SMALL, listing
from priorsearch.errors import InputError
from priorsearch.outputs import check_outputs


@pytest.fixture
def no_work(monkeypatch):
    """Any computation is a test failure: checks must come first."""
    def trap(*args, **kwargs):
        raise AssertionError("the computation started before the outputs were checked")

    monkeypatch.setattr(phase_cli, "phase_diagram", trap)


def _one_line_exit_2(r, text):
    assert r.status == 2, r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err and text in r.err, r.err


def test_read_only_file_system_is_refused_up_front(cli, tmpfs, no_work):
    ro = tmpfs("64k", readonly=True)
    r = cli("phase", *SMALL, "--out", ro / "p.png", "--data", ro / "p.csv")
    _one_line_exit_2(r, "Read-only file system")
    assert listing(ro) == []


@pytest.mark.parametrize("err, text", [(errno.EROFS, "Read-only file system"), (errno.EACCES, "Permission denied"),
                                       (errno.ENOSPC, "No space left on device")])
def test_unwritable_directory_injected(cli, tmp_path, fail_writes, no_work, err, text):
    """Whoever runs it (root ignores chmod): the probe creates a file, so it sees what a
    write would see."""
    out = tmp_path / "out"
    out.mkdir()
    fail_writes(out, err)
    r = cli("phase", *SMALL, "--out", "none", "--data", out / "p.csv", out / "p.npz")
    _one_line_exit_2(r, text)
    assert listing(tmp_path) == ["out"]


@pytest.mark.parametrize("case", ["out_is_dir", "parent_is_file", "parent_missing", "data_under_figure",
                                  "same_file_twice", "device", "dot_name"])
def test_shape_of_every_output_path(cli, tmp_path, monkeypatch, no_work, case):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir.png").mkdir()
    (tmp_path / "file").write_text("x")
    args = {
        "out_is_dir": ("--out", "dir.png", "--data", "none"),
        "parent_is_file": ("--out", "none", "--data", "file/p.csv"),
        "parent_missing": ("--out", "missing/p.png", "--data", "none"),
        "data_under_figure": ("--out", "a.png", "--data", "a.png/x.csv"),
        "same_file_twice": ("--out", "none", "--data", "p.csv", "./sub/../p.csv"),
        "device": ("--out", "none", "--data", "/dev/null.csv" if os.path.exists("/dev/null.csv") else "/dev/null"),
        "dot_name": ("--out", "none", "--data", ".."),
    }[case]
    if case == "same_file_twice":
        (tmp_path / "sub").mkdir()
    before = listing(tmp_path)
    r = cli("phase", *SMALL, *args)
    assert r.status == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert listing(tmp_path) == before


def test_an_existing_special_file_is_never_replaced(tmp_path):
    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        check_outputs([fifo])
    assert fifo.is_fifo()


def test_outputs_that_are_fine_pass_and_name_order_is_kept(tmp_path):
    paths = [tmp_path / "a.png", tmp_path / "sub" / "b.csv"]
    assert check_outputs(paths, make_dirs=True) == paths
    assert listing(tmp_path) == []  # the probe leaves nothing, and no directory is made yet


def test_figures_checks_every_entry_before_the_first_is_drawn(cli, tmp_path, monkeypatch):
    """The third entry's output is a directory: the run must stop before drawing the
    first one, and leave no output directory behind."""
    import priorsearch.reproduce as reproduce

    config = tmp_path / "f.toml"
    config.write_text("".join(f'[[figure]]\nname = "f{i}"\nkind = "phase"\nx = "g=1:2:3"\ny = "C_B=1:2:3"\n'
                              f'out = "f{i}.png"\n' for i in range(3)))
    out = tmp_path / "figs"
    out.mkdir()
    (out / "f2.png").mkdir()
    monkeypatch.setattr(reproduce, "phase_diagram", lambda *a, **k: pytest.fail("drew before checking"))
    r = cli("figures", config, "--out", out)
    assert r.status == 2 and "f2.png: is a directory" in r.err, r.err
    assert listing(tmp_path) == ["f.toml", "figs", "figs/f2.png"]
