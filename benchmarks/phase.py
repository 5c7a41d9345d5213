"""Phase-sweep throughput: the Numba kernels against a straightforward NumPy broadcast.

Workload: the post's model enumerated up to --max-size nodes (default 9), swept over
two grids, both measured here in the same run:

* g x C_B (exchange axis x cost axis): costs shared along each row, rows pruned to two
  (c, t) Pareto layers before scoring;
* C_B x T_F (two cost axes): every point has its own costs; classes beaten feature-wise
  by two others are dropped first.

The NumPy reference computes c and t with FeatureTable.totals, broadcasts the score over
(classes x points) and picks winner and runner-up with the same tie rule
(a vectorised lexsort with the tie tolerance, below), in row chunks that fit in memory.  Both produce
identical winner grids (checked below).  Run:  python benchmarks/phase.py [--sizes 100 1000]
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

from priorsearch.space.enumerate import enumerate_classes
from priorsearch.model.cost_model import CostModel
from priorsearch.phase import Axis, cost_points, exchange_points, phase_diagram, parse_axis
from priorsearch.exchange import make_exchange
from priorsearch.exchange import TIE_RTOL

CELLS = 1 << 22  # scores held at once by the NumPy reference (32 MB)


def winners_numpy(score, c, t, size, compatible):
    """Winner per column by NumPy broadcasting: lowest score, ties within TIE_RTOL broken
    by (c, t, size, index) — the rule of priorsearch.exchange.ties, vectorised."""
    n, P = score.shape
    s = np.where(compatible[:, None] & np.isfinite(score), score, np.inf)
    best = s.min(axis=0)
    with np.errstate(invalid="ignore"):
        tied = np.isfinite(best) & (np.abs(s - best) <= TIE_RTOL * np.maximum(1.0, np.maximum(np.abs(s), np.abs(best))))
    big = np.inf
    idx = np.broadcast_to(np.arange(n)[:, None], (n, P))
    sz = np.broadcast_to(np.asarray(size, dtype=float)[:, None], (n, P))
    order = np.lexsort((np.where(tied, idx, n), np.where(tied, sz, big), np.where(tied, t, big),
                        np.where(tied, c, big)), axis=0)
    return (np.where(np.isfinite(best), order[0], -1),)


def numpy_sweep(table, model, ex, ax_x, ax_y):
    """Winner grid by broadcasting in NumPy (same semantics as the kernels)."""
    xv, yv = ax_x.values, ax_y.values
    kind, xparams = exchange_points(ex, ax_x, ax_y, xv, yv)
    points = cost_points(kind, ax_x, ax_y, xv, yv)
    n_cost = len(next(iter(points.values())))
    X = len(xparams)
    n = len(table)
    compatible = table.cls != 2
    size = table.size
    winner = np.empty((n_cost, X), dtype=np.int64)
    step = max(1, CELLS // (n * X))
    for s in range(0, n_cost, step):
        e = min(n_cost, s + step)
        costs = table.layout.cost_arrays({k: v[s:e] for k, v in points.items()})
        c, t, _ = table.totals(costs)  # (n, rows)
        g = xparams[:, 0]
        score = (g[None, None, :] * c[:, :, None] + t[:, :, None]).reshape(n, -1)
        cc = np.repeat(c, X, axis=1)
        tt = np.repeat(t, X, axis=1)
        w, *_ = winners_numpy(score, cc, tt, size, compatible)
        winner[s:e] = w.reshape(e - s, X)
    return winner.reshape(len(yv), len(xv))


def timed(fn, repeat=1):
    best = np.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-size", type=int, default=9)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 500, 1000])
    ap.add_argument("--numpy-max", type=int, default=1000, help="largest side the NumPy reference runs")
    args = ap.parse_args()
    model = CostModel.default()
    table = enumerate_classes(model, args.max_size)
    ex = make_exchange(None, model)
    print(f"model post, max size {args.max_size}: {len(table)} classes "
          f"({int((table.cls != 2).sum())} compatible), NUMBA_NUM_THREADS={os.environ.get('NUMBA_NUM_THREADS', 'default')}")
    # compile once outside the timings
    phase_diagram(x="g=0.1:10:5:log", y="C_B=1:10:4", space="enumerate", max_size=args.max_size, ties=False)
    phase_diagram(x="C_B=1:10:5", y="T_F=1:10:4", space="enumerate", max_size=args.max_size, ties=False)
    print(f"{'grid':>11} {'axes':>9} {'kernel s':>9} {'Mpt/s':>7} {'numpy s':>8} {'ratio':>6}")
    for axes in (("g", "0.01:100", True, "C_B", "1:1000", True), ("C_B", "1:1000", True, "T_F", "0:100", False)):
        for n in args.sizes:
            xs = f"{axes[0]}={axes[1]}:{n}" + (":log" if axes[2] else "")
            ys = f"{axes[3]}={axes[4]}:{n}" + (":log" if axes[5] else "")
            tk, data = timed(lambda: phase_diagram(x=xs, y=ys, space="enumerate", max_size=args.max_size,
                                                   ties=False), repeat=2 if n <= 500 else 1)
            line = f"{n:>5}x{n:<5} {axes[0] + 'x' + axes[3]:>9} {tk:9.3f} {n * n / tk / 1e6:7.2f}"
            if n <= args.numpy_max:
                ax_x, ax_y = parse_axis(xs, model, ex), parse_axis(ys, model, ex)
                tn, ref = timed(lambda: numpy_sweep(table, model, ex, ax_x, ax_y))
                assert np.array_equal(ref, data.winner), "NumPy and kernel winners differ"
                line += f" {tn:8.2f} {tn / tk:6.1f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
