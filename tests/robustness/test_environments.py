"""Class 7: installs and environments -- a read-only install with no writable cache
still runs (compiled in memory, one warning), and file names that are not UTF-8 are
recorded in outputs losslessly."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numba.core.caching as caching
import pytest

import priorsearch.jit as jit
from conftest import POST, ROOT, SMALL, _can_mount, env
from priorsearch.provenance import command_line, escape, unescape


@pytest.fixture
def no_cache_locator(monkeypatch):
    """What Numba sees on a read-only install: no place for a cache."""
    monkeypatch.setattr(caching.CacheImpl, "_locator_classes", [])
    monkeypatch.setattr(jit, "_warned", False)


def test_njit_falls_back_without_a_cache_and_warns_once(no_cache_locator, capsys):
    def add(a, b):
        return a + b

    def mul(a, b):
        return a * b

    with pytest.raises(RuntimeError, match="cannot cache"):  # what Numba itself does
        import numba

        numba.njit(cache=True)(add)
    fast_add = jit.njit(cache=True)(add)
    fast_mul = jit.njit(mul, cache=True)
    assert (fast_add(2, 3), fast_mul(2.0, 4.0)) == (5, 8.0)
    err = capsys.readouterr().err
    assert err.count("warning: no writable cache directory") == 1


def test_vectorize_falls_back_too(no_cache_locator, capsys):
    import numpy as np

    def f(x, y):
        return x - y

    ufunc = jit.vectorize(["float64(float64, float64)"], cache=True)(f)
    assert ufunc(np.array([3.0, 4.0]), 1.0).tolist() == [2.0, 3.0]
    assert capsys.readouterr().err.count("warning:") == 1


def test_every_kernel_of_the_package_goes_through_the_fallback():
    """No module decorates with numba directly (a direct cache=True dies at import)."""
    offenders = []
    for path in (ROOT / "priorsearch").rglob("*.py"):
        if path.name == "jit.py":
            continue
        text = path.read_text()
        if "from numba import njit" in text or "from numba import vectorize" in text or "numba.njit(" in text \
                or "@numba." in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _read_only_install(tmp_path):
    """A copy of the package on a read-only bind mount (root), HOME and the cache
    directory unwritable; without root, Numba's cache locators are removed instead."""
    if _can_mount():
        src = tmp_path / "site"
        shutil.copytree(ROOT / "priorsearch", src / "priorsearch",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        mounted = subprocess.run(["mount", "--bind", str(src), str(src)], capture_output=True)
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(src)], capture_output=True)
        if mounted.returncode == 0 and ro.returncode == 0:
            return src, [], lambda: subprocess.run(["umount", "-l", str(src)], capture_output=True)
    code = ["import numba.core.caching as c", "c.CacheImpl._locator_classes = []"]
    return ROOT, code, lambda: None


def test_a_read_only_install_runs_every_command_path(tmp_path):
    """One process: import (every kernel decorated, the ufuncs compiled) and rank."""
    site, code, cleanup = _read_only_install(tmp_path)
    try:
        script = "\n".join([*code, "import sys", "from priorsearch.cli.main import main",
                            "sys.exit(main(sys.argv[1:]))"])
        e = env(PYTHONPATH=str(site), HOME="/proc/nonexistent", NUMBA_CACHE_DIR="/proc/nonexistent/numba",
                MPLCONFIGDIR=str(tmp_path / "mpl"), PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([sys.executable, "-c", script, "rank"], capture_output=True,
                              text=True, env=e, cwd=tmp_path, timeout=300)
    finally:
        cleanup()
    assert done.returncode == 0, done.stderr
    assert "winner:" in done.stdout and "Traceback" not in done.stderr
    assert done.stderr.count("warning: no writable cache directory") == 1


NAMES = [b"m\xff.toml", b"caf\xc3\xa9 \\ x.toml", b"tab\there.toml", b"\xe9\xe8.toml"]


@pytest.mark.parametrize("raw", NAMES, ids=["ff", "utf8-backslash", "tab", "latin1"])
def test_phase_records_odd_model_paths_losslessly(cli, tmp_path, raw):
    model = os.path.join(os.fsencode(tmp_path), raw)
    Path(os.fsdecode(model)).write_text(POST.read_text())
    out = tmp_path / "p.csv"
    r = cli("phase", "--model", os.fsdecode(model), *SMALL, "--out", "none", "--data", out)
    assert r.status == 0, r.err
    line = next(l for l in out.read_text(encoding="utf-8").splitlines() if l.startswith("# command: "))
    recorded = line[len("# command: "):]
    assert recorded.isprintable()
    words = recorded.split(" ")
    assert unescape(words[words.index("--model") + 1]) == os.fsdecode(model)


def test_odd_output_names_are_written_and_printed_as_their_bytes(tmp_path, monkeypatch):
    """stdout is strict UTF-8 by default; the name is printed as the bytes it is."""
    import io

    from priorsearch.cli.main import main

    raw = os.path.join(os.fsencode(tmp_path), b"out\xfe.csv")
    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer, encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["phase", *SMALL, "--out", "none", "--data", os.fsdecode(raw)]) == 0
    stdout.flush()
    assert os.path.exists(raw)
    assert b"wrote " + raw + b"\n" in buffer.getvalue()
    assert stdout.errors == "strict"  # restored after the call


def test_escape_round_trips_any_text():
    rng = random.Random(7)
    alphabet = ["a", "Z", " ", "\\", "\n", "\t", "\r", "\x00", "\x7f", "é", "€", "\U0001F600", "x"] + \
               [chr(0xDC80 + b) for b in (0, 0x7F, 0x1F)] + [chr(0xD800)]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        encoded = escape(text)
        assert encoded.isprintable() or encoded == ""
        encoded.encode("utf-8")  # never raises
        assert unescape(encoded) == text
    assert command_line(["phase", "--model", "m\udcff.toml", None]) == "phase --model m\\xff.toml"
    assert [unescape(w) for w in command_line(["a b", "c\\ d"]).split(" ")] == ["a b", "c\\ d"]
