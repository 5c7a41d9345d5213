"""Throughput and scaling of the enumeration (families as orbits, issue 10).

Four tables, each row measured in a fresh process (so its peak memory is its own),
after a warm-up in that process that loads the cached Numba kernels ("warm"):

1. K scaling: ``search`` on programs/rich.toml at --max-size 9 for K = 16, 10^3, 10^6
   and 2^100 — time and memory must not grow with K (ratios against K = 16); the
   warm-up is the same search, then the best (and median) of three warm runs.
2. The rich DSL (K = 16) by size, until its raw programs (exact, by multiplicity) pass
   10^9: the whole search (kernel, Policy table, scoring), peak memory, classes of every
   type, Policy orbits, raw programs, raw programs/s and classes/s.
3. The default grammar (programs/post.toml) at sizes 24 and 28: the whole ``search``
   in-process, warm (best and median of three runs after a warm-up), and the kernel's
   time in a fresh process.
4. The pure-Python reference (tests/support/naive.py: every program tree built and
   evaluated, the family written out as K plain primitives) against the kernel at
   growing sizes, until the next size would exceed --reference-budget seconds.

    python benchmarks/enumerate.py [--target 1e9] [--reference-budget 30]
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
POST = ROOT / "programs" / "post.toml"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, model_path: str, max_size: int, K: str | None) -> dict:
    """One measurement (run in its own process by :func:`run`)."""
    from priorsearch.lang.numbers import parse_number
    from priorsearch.model.cost_model import CostModel
    from priorsearch.scoring.search import search
    from priorsearch.space.classes import policy_table
    from priorsearch.space.enumerate import enumerate_all

    from priorsearch.scoring.search import search_table

    model = CostModel.load(model_path)
    if K is not None:
        model = model.with_params(K=int(parse_number(K, "K")))
    # load the cached kernels: the same search when it is small, else one at 9 nodes
    search(model, max_size if kind == "search" else min(max_size, 9))
    start = time.perf_counter()
    if kind == "search":
        # the machine is shared: the best of three warm runs, and their median
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = search(model, max_size, top=10)
            times.append(time.perf_counter() - start)
        return {"seconds": min(times), "median": sorted(times)[1], "classes": result.n_classes,
                "programs": str(result.n_programs), "peak_mb": _peak_mb()}
    enum = enumerate_all(model, max_size)
    mid = time.perf_counter()
    table = policy_table(enum)
    tabled = time.perf_counter()
    result = search_table(table, model=model, top=10)
    end = time.perf_counter()
    return {"seconds": end - start, "kernel_seconds": mid - start, "table_seconds": tabled - mid,
            "score_seconds": end - tabled, "classes": int(len(enum.mult)), "policy_classes": int(len(table)),
            "programs": str(result.n_programs), "peak_mb": _peak_mb()}


def run(kind, model_path, max_size, K=None) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", json.dumps([kind, str(model_path), max_size, K])],
                         capture_output=True, text=True, env=dict(os.environ, NUMBA_NUM_THREADS="1"))
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else str(out.returncode))
    return json.loads(out.stdout)


def k_scaling(size=9):
    print(f"1. K scaling: search --model programs/rich.toml --max-size {size} --set K=...")
    print(f"{'K':>8} {'time s':>8} {'median':>8} {'ratio':>6} {'peak MB':>8} {'classes':>8}  programs")
    base = None
    for K in ("16", "10^3", "10^6", "2^100"):
        r = run("search", RICH, size, K)
        base = base or r
        print(f"{K:>8} {r['seconds']:8.3f} {r['median']:8.3f} {r['seconds'] / base['seconds']:6.2f} "
              f"{r['peak_mb']:8.0f} {r['classes']:8,}  {int(r['programs']):.4e}", flush=True)


def rich_sizes(target: float):
    print(f"\n2. rich DSL (K = 16) by size, until raw programs pass {target:.0e}")
    print(f"{'N':>3} {'time s':>8} {'kernel s':>9} {'table s':>8} {'score s':>8} {'peak MB':>8} {'classes':>11} "
          f"{'policy rows':>11} {'raw programs':>16} {'programs/s':>14} {'classes/s':>11}")
    n = 7
    while True:
        r = run("enumerate", RICH, n)
        programs = int(r["programs"])
        print(f"{n:>3} {r['seconds']:8.2f} {r['kernel_seconds']:9.2f} {r['table_seconds']:8.2f} "
              f"{r['score_seconds']:8.2f} {r['peak_mb']:8.0f} {r['classes']:11,} {r['policy_classes']:11,} "
              f"{programs:16,} {programs / r['seconds']:14,.0f} {r['classes'] / r['seconds']:11,.0f}", flush=True)
        if programs > target or n >= 20:
            break
        n += 1


def default_sizes():
    print("\n3. default grammar (programs/post.toml)")
    print(f"{'N':>3} {'search s':>9} {'median':>7} {'kernel s':>9} {'peak MB':>8} {'classes':>9} "
          f"{'raw programs':>15}")
    for n in (24, 28):
        e = run("enumerate", POST, n)
        s = run("search", POST, n)
        print(f"{n:>3} {s['seconds']:9.2f} {s['median']:7.2f} {e['kernel_seconds']:9.2f} "
              f"{max(e['peak_mb'], s['peak_mb']):8.0f} {e['classes']:9,} {int(e['programs']):15,}", flush=True)


def reference_ratio(budget: float):
    import naive
    from orbit_reference import explicit_model
    from priorsearch.features.layout import Layout
    from priorsearch.model.cost_model import CostModel
    from priorsearch.space.counting import program_counts

    print("\n4. pure-Python reference (family written out) vs the orbit search (kernel, table, scoring), same run")
    print(f"{'N':>3} {'reference s':>12} {'orbits s':>9} {'ratio':>7} {'policy programs':>16}")
    model = CostModel.load(RICH)
    plain = explicit_model(model)
    counts = program_counts(Layout(plain), 20)["Policy"]
    n, last = 2, None
    while True:
        if last is not None and last * sum(counts[: n + 1]) / max(1, sum(counts[:n])) > budget * 1.5:
            break
        start = time.perf_counter()
        classes = naive.policy_classes(plain, n)
        ref = time.perf_counter() - start
        kern = run("enumerate", RICH, n)
        programs = sum(v[0] for v in classes.values())
        assert int(kern["programs"]) == programs
        print(f"{n:>3} {ref:12.2f} {kern['seconds']:9.4f} {ref / kern['seconds']:7.0f} {programs:16,}", flush=True)
        last = ref
        n += 1


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--target", type=float, default=1e9, help="raw programs the rich table must pass")
    p.add_argument("--reference-budget", type=float, default=30.0,
                   help="stop the reference before a size predicted to take longer (s)")
    p.add_argument("--one", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure(*json.loads(args.one))))
        return
    k_scaling()
    rich_sizes(args.target)
    default_sizes()
    reference_ratio(args.reference_budget)


if __name__ == "__main__":
    main()
