"""Determinism: the same command gives byte-identical JSON, CSV, NPZ and PNG — twice in
one process, and across processes with different NUMBA_NUM_THREADS and PYTHONHASHSEED.

Each process pays import and Numba compile time, so one driver process runs every
command (twice) and there are only two processes.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from paths import REPO

ROOT = REPO

COMMANDS = [
    ["rank", "--json"],
    ["rank", "--json", "--exchange", "levin", "--programs", str(ROOT / "programs")],
    ["search", "--max-size", "7", "--json", "--g", "2"],
    ["search", "--model", str(ROOT / "programs" / "rich.toml"), "--set", "K=3", "--max-size", "5", "--json"],
    ["phase", "--space", "enumerate", "--max-size", "5", "--x", "g=0.1:10:9:log", "--y", "C_B=1:40:7",
     "--out", "{out}/enum.png", "--data", "{out}/enum.csv", "{out}/enum.npz"],
    ["phase", "--mode", "mass", "--x", "g=0.5:4:8", "--y", "T_F=0:40:6", "--out", "{out}/mass.png",
     "--data", "{out}/mass.csv"],
]

DRIVER = r"""
import contextlib, hashlib, io, json, os, sys
from priorsearch.cli.main import main

commands, out = json.loads(sys.argv[1]), sys.argv[2]
digests = []
for attempt in range(2):
    run = os.path.join(out, str(attempt))
    os.makedirs(run)
    for argv in commands:
        argv = [a.replace("{out}", run) for a in argv]
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            status = main(argv)
        assert status == 0, (argv, status)
        if argv[0] != "phase":
            digests.append(hashlib.sha256(buffer.getvalue().encode()).hexdigest())
    for name in sorted(os.listdir(run)):
        with open(os.path.join(run, name), "rb") as handle:
            digests.append(name + ":" + hashlib.sha256(handle.read()).hexdigest())
print(json.dumps(digests))
"""


def _run(tmp_path, threads, hashseed):
    out = tmp_path / f"t{threads}-h{hashseed}"
    out.mkdir()
    env = {**os.environ, "NUMBA_NUM_THREADS": str(threads), "PYTHONHASHSEED": str(hashseed),
           "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(COMMANDS), str(out)], env=env,
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    digests = json.loads(proc.stdout.strip().splitlines()[-1])
    half = len(digests) // 2
    assert digests[:half] == digests[half:], "two runs in one process differ"
    return digests[:half]


def test_same_bytes_across_runs_threads_and_processes(tmp_path):
    one = _run(tmp_path, threads=1, hashseed=0)
    two = _run(tmp_path, threads=2, hashseed=12345)
    assert len(one) == 4 + 5  # four stdout JSON documents, five files
    assert one == two
