"""Fault injection for the robustness battery: real read-only and full file systems
(tmpfs, root only; skipped cleanly otherwise), injected OS errors (anyone), and a
listing helper that sees leftover temporaries."""
from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POST = ROOT / "programs" / "post.toml"
SMALL = ["--x", "g=1:2:3", "--y", "C_B=1:2:3"]


def listing(directory) -> list[str]:
    """Every entry under ``directory`` (relative, sorted), temporaries included."""
    base = Path(directory)
    return sorted(str(p.relative_to(base)) for p in base.rglob("*"))


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and sys.platform.startswith("linux")


@contextlib.contextmanager
def _tmpfs(where: Path, options: str):
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def tmpfs(tmp_path):
    """``make(size, readonly=False, files={name: bytes})`` -> a freshly mounted tmpfs
    (root and Linux only: skipped otherwise).  Files are written before a read-only
    remount."""
    if not _can_mount():
        pytest.skip("mounting a tmpfs needs root on Linux")
    stack = contextlib.ExitStack()

    def make(size="64k", readonly=False, files=None):
        where = tmp_path / f"fs-{uuid.uuid4().hex[:8]}"
        stack.enter_context(_tmpfs(where, f"size={size},mode=0777"))
        for name, data in (files or {}).items():
            (where / name).write_bytes(data)
        if readonly:
            done = subprocess.run(["mount", "-o", "remount,ro", str(where)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        return where

    with stack:
        yield make


@pytest.fixture
def fail_writes(monkeypatch):
    """``fail(directory, err=errno.EROFS, only=None)``: creating a file in ``directory``
    fails with ``err`` -- every file (a read-only directory: the up-front probe sees
    it), or with ``only`` just the temporaries of those output names (a disk that
    fills up while the outputs are written, after every check passed)."""
    real = tempfile.mkstemp

    def fail(directory, err=errno.EROFS, only=None):
        target = os.path.realpath(directory)

        def mkstemp(*args, dir=None, prefix=None, **kwargs):
            if dir is not None and os.path.realpath(dir) == target:
                if only is None or any(prefix == f".{name}." for name in only):
                    raise OSError(err, os.strerror(err))
            return real(*args, dir=dir, prefix=prefix, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)

    return fail


def driver(*lines) -> str:
    """Source of a ``python -c`` driver that runs priorsearch's main after ``lines``."""
    return "\n".join(["import sys", *lines, "from priorsearch.cli.main import main",
                      "print('ready', flush=True)", "sys.exit(main(sys.argv[1:]))"])


def env(**extra):
    return {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1", **extra}
