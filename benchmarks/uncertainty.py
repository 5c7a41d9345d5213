"""Uncertainty workload: 10^6 draws over the enumerated size-9 post space (DESIGN 6).

Draws g ~ loguniform(0.01, 100), C_B ~ loguniform(1, 1000), T_F ~ uniform(0, 50) and
T_MO ~ lognormal(20, 1), then times, warm (Numba compiled, the enumeration built):

* kernel, winners only: c and t by dot products (class_totals), the exchange ufunc, the
  tie-rule kernel over the classes that can win;
* kernel, winners + masses: every compatible class counts, merged into groups with the
  same priced features, c and t as the fixed part plus the varying columns, plus the
  log-sum-exp per draw;
* ``ps.uncertainty(...)`` end to end (sampling included, Sobol off), without and with masses;
* the NumPy reference: the same draws broadcast over every compatible class
  ((draws, classes, features) products summed, the same ufuncs, argmin, and the masses
  by np.logaddexp2 for the mass path's ratio), in chunks.

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


def numpy_reference(ev, values, n, want_mass, chunk=4096):
    """Winners and deceptive mass shares of the same draws by plain NumPy broadcasting
    over every compatible class: (draws, classes, features) products summed, the same
    exchange ufuncs, argmin, and NumPy's logaddexp2 over the classes."""
    from priorsearch.features.semantics import ALIGNED, DECEPTIVE

    table = ev.table
    rows = ev.mass_rows
    desc = table.desc[rows].astype(float)
    nodes = table.nodes[rows].astype(float)
    counts = table.time_counts[rows].astype(float)
    log2_mult = np.asarray(table.log2_multiplicity[rows], dtype=float)
    cls = np.asarray(table.behaviour)[rows]
    winner = np.empty(n, dtype=np.int64)
    share = np.empty(n)
    layout = table.layout
    costs_names = [k for k in values if ev.parameter_kind(k) == "cost"]
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        costs = layout.cost_arrays({k: values[k][s:e] for k in costs_names})
        c = (desc[None, :, :] * costs.item_c[:, None, :]).sum(-1) + (nodes[None] * costs.node_c[:, None, :]).sum(-1)
        per_episode = (counts[None] * costs.time_unit[:, None, :, :]).sum(2)  # (k, m, E)
        t = (per_episode * costs.train_weight[:, None, :]).sum(-1)
        params = {"g": values["g"][s:e, None]}
        winner[s:e] = rows[np.argmin(ev.ex.score(c, t, params), axis=1)]
        if want_mass:
            weight = log2_mult[None, :] - ev.ex.bits(c, t, params)
            aligned = np.logaddexp2.reduce(np.where(cls == ALIGNED, weight, -np.inf), axis=1)
            deceptive = np.logaddexp2.reduce(np.where(cls == DECEPTIVE, weight, -np.inf), axis=1)
            share[s:e] = 1.0 / (1.0 + np.exp2(aligned - deceptive))
    return winner, share


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
    ap.add_argument("--reference-draws", type=int, default=100_000,
                    help="draws for the NumPy references (default 10^5; their time is scaled to --draws)")
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
    t_api_mass, _ = timed(lambda: ps.uncertainty(dists=DISTS, draws=n, space="enumerate", max_size=9, sobol_n=0,
                                                 mass=True), repeat=1)
    n_ref = min(args.reference_draws, n)
    ref_values = {k: v[:n_ref] for k, v in values.items()}
    t_ref, (ref, _) = timed(lambda: numpy_reference(full, ref_values, n_ref, False), repeat=1)
    t_ref_mass, (_, ref_share) = timed(lambda: numpy_reference(full, ref_values, n_ref, True), repeat=1)
    t_ref_per = t_ref / n_ref
    t_ref_mass_per = t_ref_mass / n_ref
    fast_rows = fast.cand[out_fast.winner[:n_ref]]
    agree = float((fast_rows == ref).mean())
    full_rows = full.cand[out_full.winner[:n_ref]]
    agree_full = float((full_rows == ref).mean())
    share_err = float(np.nanmax(np.abs(out_full.share[:n_ref] - ref_share)))
    report = {
        "draws": n, "classes": len(fast.table), "compatible_classes": len(full.mass_rows), "winning_candidates": len(fast.cand),
        "numba_threads": numba.get_num_threads(),
        "kernel_winners_s": t_fast, "kernel_winners_and_masses_s": t_full, "api_end_to_end_s": t_api, "api_end_to_end_with_masses_s": t_api_mass,
        "numpy_reference_draws": n_ref, "numpy_reference_s": t_ref,
        "numpy_reference_s_per_1e6": t_ref_per * 1e6,
        "ratio_winners": t_ref_per * n / t_fast, "ratio_winners_and_masses": t_ref_mass_per * n / t_full,
        "numpy_reference_with_masses_s": t_ref_mass, "numpy_reference_with_masses_s_per_1e6": t_ref_mass_per * 1e6,
        "winner_agreement": agree, "winner_agreement_mass_path": agree_full,
        "max_share_difference": share_err, "mass_groups": int(full.last_groups), "p_deceptive": float(out_fast.deceptive.mean()),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{n:,} draws over the enumerated size-9 post space ({report['classes']} classes, "
          f"{report['compatible_classes']} compatible, {report['winning_candidates']} can win); "
          f"{report['numba_threads']} Numba threads")
    import os

    print(f"  load average               {os.getloadavg()[0]:8.2f}")
    print(f"  kernel, winners only       {t_fast:8.3f} s")
    print(f"  kernel, winners + masses   {t_full:8.3f} s")
    print(f"  ps.uncertainty end to end  {t_api:8.3f} s  (sampling included, no Sobol, no masses)")
    print(f"  ... with masses            {t_api_mass:8.3f} s")
    print(f"  NumPy broadcast reference  {t_ref:8.3f} s  for {n_ref:,} draws ({t_ref_per * 1e6:.2f} s per 10^6)")
    print(f"  NumPy reference + masses   {t_ref_mass:8.3f} s  for {n_ref:,} draws ({t_ref_mass_per * 1e6:.2f} s per 10^6)")
    print(f"  ratio winners only         {report['ratio_winners']:8.1f} x")
    print(f"  ratio winners + masses     {report['ratio_winners_and_masses']:8.1f} x")
    print(f"  winner agreement           {agree:8.5f} / {agree_full:.5f} (mass path)   "
          f"P(deceptive wins) = {report['p_deceptive']:.4f}")
    print(f"  mass groups                {report['mass_groups']:8d}   max |share - NumPy share| = {share_err:.3g}")


if __name__ == "__main__":
    main()
