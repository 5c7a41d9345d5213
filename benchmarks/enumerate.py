"""Throughput and scaling of the enumeration on the rich DSL (programs/rich.toml).

Prints, for each max size: wall time, peak memory (each size runs in a fresh process,
so the peak is its own), classes (every type) and raw programs (their multiplicities),
classes/s and raw programs/s.  Then the pure-Python reference (tests/naive.py: every
program tree built and evaluated with priorsearch.features.semantics) runs at growing sizes until
the next one would take more than --reference-budget seconds, and the kernel is timed
at the largest size the reference finished — in the same run — for the speed-up ratio.

    python benchmarks/enumerate.py [--sizes 4:10] [--max-classes 60000000]

Numba compilation is excluded (a warm-up enumeration runs first).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RICH = ROOT / "programs" / "rich.toml"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def one_size(max_size: int, max_classes: int, model_path: str) -> dict:
    """Enumerate once (after a warm-up) and report time, counts and this process's peak."""
    from priorsearch.space.enumerate import enumerate_all, enumerate_classes, policy_table
    from priorsearch.model.cost_model import CostModel

    model = CostModel.load(model_path)
    enumerate_classes(model, 3)                      # compile / load the cached kernels
    start = time.perf_counter()
    enum = enumerate_all(model, max_size, max_classes=max_classes)
    mid = time.perf_counter()
    table = policy_table(enum)
    end = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "max_size": max_size,
        "seconds": end - start,
        "kernel_seconds": mid - start,
        "classes": int(len(enum.mult)),
        "policy_classes": int(len(table)),
        "programs": int(enum.mult.sum()),
        "policy_programs": int(table.multiplicity.sum()),
        "peak_mb": peak_kb / 1024,
    }


def reference(model_path: str, max_size: int) -> dict:
    import naive
    from priorsearch.model.cost_model import CostModel

    model = CostModel.load(model_path)
    start = time.perf_counter()
    classes = naive.policy_classes(model, max_size)
    seconds = time.perf_counter() - start
    return {"max_size": max_size, "seconds": seconds, "policy_classes": len(classes),
            "policy_programs": sum(v[0] for v in classes.values())}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="4:10", help="LO:HI max sizes of the scaling table")
    p.add_argument("--max-classes", type=int, default=60_000_000)
    p.add_argument("--reference-budget", type=float, default=30.0,
                   help="stop the reference before a size predicted to take longer (s)")
    p.add_argument("--model", default=str(RICH))
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one_size(args.one, args.max_classes, args.model)))
        return
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    lo, hi = (int(x) for x in args.sizes.split(":"))
    print(f"model {args.model}")
    print(f"{'N':>3} {'time s':>8} {'peak MB':>8} {'classes':>12} {'raw programs':>14} {'classes/s':>11} {'programs/s':>11}")
    rows = []
    for n in range(lo, hi + 1):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--max-classes", str(args.max_classes),
                              "--model", args.model], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{n:>3} failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
            break
        r = json.loads(out.stdout)
        rows.append(r)
        print(f"{n:>3} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {r['classes']:12,} {r['programs']:14,} "
              f"{r['classes'] / r['seconds']:11,.0f} {r['programs'] / r['seconds']:11,.0f}", flush=True)

    print("\npure-Python reference (tests/naive.py) vs kernel, same run")
    print(f"{'N':>3} {'reference s':>12} {'kernel s':>9} {'ratio':>7} {'policy programs':>16} {'policy classes':>15}")
    from priorsearch.space.counting import program_counts
    from priorsearch.features.layout import Layout
    from priorsearch.model.cost_model import CostModel

    counts = program_counts(Layout(CostModel.load(args.model)), 20)
    n, last = 2, None
    while True:
        if last is not None:
            grow = sum(counts["Policy"][: n + 1]) / max(1, sum(counts["Policy"][:n]))
            if last["seconds"] * grow > args.reference_budget * 1.5:
                break
        ref = reference(args.model, n)
        kern = one_size(n, args.max_classes, args.model)
        assert kern["policy_classes"] == ref["policy_classes"] and kern["policy_programs"] == ref["policy_programs"]
        print(f"{n:>3} {ref['seconds']:12.2f} {kern['seconds']:9.4f} {ref['seconds'] / kern['seconds']:7.0f} "
              f"{ref['policy_programs']:16,} {ref['policy_classes']:15,}", flush=True)
        last = ref
        n += 1
    if last is not None:
        print(f"\nlargest size the reference finished: {last['max_size']} in {last['seconds']:.1f} s")


if __name__ == "__main__":
    main()
