"""Uncertainty workload: 10^6 draws over the enumerated size-9 post space (DESIGN 6).

Draws g ~ loguniform(0.01, 100), C_B ~ loguniform(1, 1000), T_F ~ uniform(0, 50) and
T_MO ~ lognormal(20, 1), then times, warm (Numba compiled, the enumeration built):

* kernel, winners only: c and t by dot products (class_totals), the exchange ufunc, the
  tie-rule kernel over the classes that can win;
* kernel, winners + masses: every compatible class, plus the log-sum-exp per draw;
* ``ps.uncertainty(...)`` end to end (sampling included, Sobol off);
* the NumPy reference: the same draws broadcast over every compatible class
  ((draws, classes, features) products summed, the same ufunc, argmin), in chunks.

It prints the ratios against the NumPy reference measured in the same run, and how
often the two agree on the winner (they differ only at exact ties, which the NumPy
argmin breaks by position rather than by the tie rule).

    python benchmarks/uncertainty.py [--draws 1000000] [--reference-draws N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DISTS = {"g": "loguniform(0.01, 100)", "C_B": "loguniform(1, 1000)", "T_F": "uniform(0, 50)",
         "T_MO": "lognormal(20, 1)"}


def draws(n, seed=0):
    from priorsearch.uncertainty.distributions import marginal
    from priorsearch.uncertainty.sampling import seed_sequence, unit_draws
    from priorsearch.uncertainty.specs import parse_spec

    u = unit_draws(n, len(DISTS), "random", seed_sequence(seed))
    return {k: marginal(k, parse_spec(s)).ppf(u[:, j]) for j, (k, s) in enumerate(DISTS.items())}


def numpy_reference(ev, values, n, chunk=4096):
    """Winners of the same draws by plain NumPy broadcasting over every compatible class."""
    desc = ev.desc.astype(float)
    nodes = ev.nodes.astype(float)
    counts = ev.counts.astype(float)
    winner = np.empty(n, dtype=np.int64)
    layout = ev.table.layout
    costs_names = [k for k in values if ev.parameter_kind(k) == "cost"]
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        costs = layout.cost_arrays({k: values[k][s:e] for k in costs_names})
        c = (desc[None, :, :] * costs.item_c[:, None, :]).sum(-1) + (nodes[None] * costs.node_c[:, None, :]).sum(-1)
        per_episode = (counts[None] * costs.time_unit[:, None, :, :]).sum(2)  # (k, m, E)
        t = (per_episode * costs.train_weight[:, None, :]).sum(-1)
        score = ev.ex.score(c, t, {"g": values["g"][s:e, None]})
        winner[s:e] = np.argmin(score, axis=1)
    return winner


def timed(fn, repeat=2):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1_000_000)
    ap.add_argument("--reference-draws", type=int, default=None, help="draws for the NumPy reference (default --draws)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    import numba

    import priorsearch as ps
    from priorsearch.uncertainty.engine import SpaceEvaluator

    model = ps.CostModel.default()
    n = args.draws
    values = draws(n)
    fast = SpaceEvaluator(model, "enumerate", None, 9, mass=False)
    full = SpaceEvaluator(model, "enumerate", None, 9, mass=True)
    small = {k: v[:2000] for k, v in values.items()}
    fast.evaluate(small, 2000)
    full.evaluate(small, 2000)  # compile / load the cached kernels
    t_fast, out_fast = timed(lambda: fast.evaluate(values, n))
    t_full, out_full = timed(lambda: full.evaluate(values, n), repeat=1)
    t_api, _ = timed(lambda: ps.uncertainty(dists=DISTS, draws=n, space="enumerate", max_size=9, sobol_n=0,
                                            mass=False), repeat=1)
    n_ref = args.reference_draws or n
    ref_values = {k: v[:n_ref] for k, v in values.items()}
    t_ref, ref = timed(lambda: numpy_reference(full, ref_values, n_ref), repeat=1)
    t_ref_per = t_ref / n_ref
    fast_names = np.asarray(fast.row_names, dtype=object)[out_fast.winner[:n_ref]]
    ref_names = np.asarray(full.row_names, dtype=object)[ref]
    agree = float((fast_names == ref_names).mean())
    report = {
        "draws": n, "classes": len(fast.table), "compatible_classes": len(full.rows), "winning_candidates": len(fast.cand),
        "numba_threads": numba.get_num_threads(),
        "kernel_winners_s": t_fast, "kernel_winners_and_masses_s": t_full, "api_end_to_end_s": t_api,
        "numpy_reference_draws": n_ref, "numpy_reference_s": t_ref,
        "numpy_reference_s_per_1e6": t_ref_per * 1e6,
        "ratio_winners": t_ref_per * n / t_fast, "ratio_winners_and_masses": t_ref_per * n / t_full,
        "winner_agreement": agree, "p_deceptive": float(out_fast.deceptive.mean()),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{n:,} draws over the enumerated size-9 post space ({report['classes']} classes, "
          f"{report['compatible_classes']} compatible, {report['winning_candidates']} can win); "
          f"{report['numba_threads']} Numba threads")
    print(f"  kernel, winners only       {t_fast:8.3f} s")
    print(f"  kernel, winners + masses   {t_full:8.3f} s")
    print(f"  ps.uncertainty end to end  {t_api:8.3f} s  (sampling included, no Sobol, no masses)")
    print(f"  NumPy broadcast reference  {t_ref:8.3f} s  for {n_ref:,} draws ({t_ref_per * 1e6:.2f} s per 10^6)")
    print(f"  ratio winners only         {report['ratio_winners']:8.1f} x")
    print(f"  ratio winners + masses     {report['ratio_winners_and_masses']:8.1f} x")
    print(f"  winner agreement           {agree:8.5f}   P(deceptive wins) = {report['p_deceptive']:.4f}")


if __name__ == "__main__":
    main()
