"""Class 3: SIGINT, SIGTERM and SIGHUP stop a command the same way -- exit 128 + signum
(130 for SIGINT, "error: interrupted"), no temporary or partial file -- also when the
interrupt surfaces from inside a compiled kernel as another exception."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

import priorsearch.cli.phase as phase_cli
from conftest import SMALL, driver, env, listing
from priorsearch.cli.main import main
from priorsearch.outputs import atomic_writer, output_batch

SIGNALS = [(signal.SIGINT, 130, "error: interrupted"), (signal.SIGTERM, 143, "error: interrupted (SIGTERM)"),
           (signal.SIGHUP, 129, "error: interrupted (SIGHUP)")]


def _wait_for_handler():
    for _ in range(200):  # the handler runs between bytecodes of the main thread
        time.sleep(0.005)


@pytest.mark.parametrize("signum, status, text", SIGNALS)
def test_signal_in_the_middle_of_a_write(capsys, tmp_path, monkeypatch, signum, status, text):
    target = tmp_path / "p.csv"
    target.write_text("old\n")

    def write(data, figure, paths):
        with atomic_writer(target) as handle:
            handle.write("half of the new")
            os.kill(os.getpid(), signum)
            _wait_for_handler()
            handle.write("never")
        pytest.fail("the signal did not stop the command")

    monkeypatch.setattr(phase_cli, "write_phase_outputs", write)
    assert main(["phase", *SMALL, "--out", "none", "--data", str(target)]) == status
    assert capsys.readouterr().err.strip() == text
    assert listing(tmp_path) == ["p.csv"] and target.read_text() == "old\n"


def test_a_signal_while_a_batch_is_renamed_waits_for_the_batch(capsys, tmp_path, monkeypatch):
    """Renaming several outputs is not interrupted half way: all of them land, then the
    command stops with the signal's status."""
    real_replace = os.replace
    fired = []

    def replace(src, dst):
        if not fired:
            fired.append(dst)
            os.kill(os.getpid(), signal.SIGTERM)
            _wait_for_handler()  # deferred: nothing may be raised here
        real_replace(src, dst)

    def write(data, figure, paths):
        with output_batch():
            for p in paths:
                with atomic_writer(p) as handle:
                    handle.write(f"new {p.name}\n")
        return list(paths)

    monkeypatch.setattr(phase_cli, "write_phase_outputs", write)
    monkeypatch.setattr(os, "replace", replace)
    paths = [tmp_path / f"p{i}.csv" for i in range(3)]
    assert main(["phase", *SMALL, "--out", "none", "--data", *map(str, paths)]) == 143
    assert [p.read_text() for p in paths] == [f"new p{i}.csv\n" for i in range(3)]
    assert listing(tmp_path) == ["p0.csv", "p1.csv", "p2.csv"]


@pytest.mark.parametrize("batch", [True, False])
def test_an_interrupt_swallowed_before_the_outputs_still_stops_every_output(capsys, tmp_path, monkeypatch, batch):
    """The Interrupted the handler raises can land in code that swallows it (a __del__, a
    C library's callback) and the command runs on; no output may be renamed into place
    after that (seen as exit 143 with every output written, under load)."""
    real = phase_cli.write_phase_outputs

    def write(data, figure, paths):
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            _wait_for_handler()
        except KeyboardInterrupt:
            pass  # swallowed: the command goes on writing
        if batch:
            return real(data, figure, paths)
        with atomic_writer(paths[0]) as handle:
            handle.write("new\n")
        pytest.fail("an output was renamed after the signal")

    monkeypatch.setattr(phase_cli, "write_phase_outputs", write)
    old = tmp_path / "old.csv"
    old.write_text("old\n")
    args = ["--data", str(old)] if not batch else ["--data", str(tmp_path / "x.csv"), str(tmp_path / "x.npz")]
    assert main(["phase", *SMALL, "--out", "none", *args]) == 143
    assert capsys.readouterr().err.strip() == "error: interrupted (SIGTERM)"
    assert listing(tmp_path) == ["old.csv"] and old.read_text() == "old\n"
    monkeypatch.undo()
    assert main(["phase", *SMALL, "--out", "none", "--data", str(tmp_path / "y.csv")]) == 0  # the next call starts clean
    assert (tmp_path / "y.csv").exists()


@pytest.mark.parametrize("chained", [True, False])
def test_interrupt_inside_a_kernel_exits_cleanly(capsys, monkeypatch, chained):
    """Numba's dispatcher turns a KeyboardInterrupt raised while a kernel returns into
    SystemError('... returned a result with an exception set'); the signal decides."""
    import priorsearch.cli.rank as rank_cli

    def run(args):
        if chained:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt as exc:
                raise SystemError("CPUDispatcher(<function select_grid>) returned a result with an exception set") from exc
        try:
            os.kill(os.getpid(), signal.SIGINT)
            _wait_for_handler()
        except KeyboardInterrupt:
            pass  # swallowed inside the kernel's C code
        raise SystemError("CPUDispatcher(<function x>) returned a result with an exception set")

    monkeypatch.setattr(rank_cli, "run", run)
    assert main(["rank"]) == 130
    assert capsys.readouterr().err.strip() == "error: interrupted"


def test_a_signal_the_process_ignores_stays_ignored(capsys, monkeypatch):
    """nohup: SIGHUP was ignored when the command started, so it does not stop it."""
    import priorsearch.cli.rank as rank_cli

    real = rank_cli.run

    def run(args):
        os.kill(os.getpid(), signal.SIGHUP)
        _wait_for_handler()
        return real(args)

    monkeypatch.setattr(rank_cli, "run", run)
    old = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        assert main(["rank"]) == 0
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, old)


def test_handlers_are_restored_after_an_in_process_call():
    before = {s: signal.getsignal(s) for s, _, _ in SIGNALS}
    assert main(["rank"]) == 0
    assert {s: signal.getsignal(s) for s, _, _ in SIGNALS} == before


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_real_process_signalled_during_phase(tmp_path, signum, status):
    """A real process (one per signal), signalled a moment into a 4-million-point sweep."""
    args = [sys.executable, "-c", driver(), "phase", "--x", "g=0.01:100:2000:log", "--y", "C_B=1:100:2000",
            "--out", "x.png", "--data", "x.csv", "x.npz"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), cwd=tmp_path)
    try:
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(1.0)
        assert proc.poll() is None, "finished before the signal; make the grid larger"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == status, err
    assert err.decode().strip().endswith(f"error: interrupted ({signal.Signals(signum).name})")
    assert listing(tmp_path) == []
