"""The first ``priorsearch phase`` after a fresh install, and the runs after it.

Copies the package to a temporary directory (no __pycache__, no Numba cache files), runs
the default ``priorsearch phase`` (the post's diagram: 3 programs on 201 x 201 points,
PNG and CSV) there once cold and --warm times warm, then ``priorsearch rank``; prints
wall and CPU seconds of each.  With --against DIR the same runs for another checkout
(e.g. the main branch) are measured in the same session, for the ratio.

    python benchmarks/first_run.py [--warm 2] [--against /work/main]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(pythonpath, args, cwd):
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    env.pop("NUMBA_CACHE_DIR", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "priorsearch", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(checkout: Path, warm: int) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copytree(checkout / "priorsearch", tmp / "priorsearch",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        rows = [("phase, cold", *_run(tmp, ["phase"], tmp))]
        for i in range(warm):
            rows.append((f"phase, warm {i + 1}", *_run(tmp, ["phase"], tmp)))
        rows.append(("rank, warm", *_run(tmp, ["rank"], tmp)))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--warm", type=int, default=2)
    p.add_argument("--against", type=Path, help="another checkout to measure in the same run")
    args = p.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    results = {"this checkout": measure(ROOT, args.warm)}
    if args.against:
        results[str(args.against)] = measure(args.against, args.warm)
    for name, rows in results.items():
        print(name)
        for what, wall, cpu in rows:
            print(f"  {what:14s} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    if args.against:
        mine, other = results["this checkout"][0], results[str(args.against)][0]
        print(f"cold phase: {other[1] / mine[1]:.2f}x faster (wall), {other[2] / mine[2]:.2f}x (cpu) than {args.against}")


if __name__ == "__main__":
    main()
