"""Phase sweeps with a priced training loss: the kernels' lossy path against a NumPy
broadcast, and against the pass/fail path on the same grid size.

Workload: programs/lossy.toml (the post's model plus B', a cheaper objective that
misfires in a training episode) enumerated up to --max-size nodes, swept over
loss_price x C_Bp.  With a finite price every class competes and the (c, t) Pareto
pruning is off (the loss is a third cost), so this measures what the loss costs.  The
reference computes c, t and L for every class and point with FeatureTable.totals /
FeatureTable.loss, scores g*c + t + loss_price*L by broadcasting and picks winners with
the one tie rule (priorsearch.exchange.winners_by_column); both winner grids must be equal.
Run:  python benchmarks/loss.py [--max-size 9] [--n 60]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from priorsearch.exchange import winners_by_column
from priorsearch.model.cost_model import CostModel
from priorsearch.phase import phase_diagram
from priorsearch.space.enumerate import enumerate_classes


def reference(table, model, prices, cbp):
    """Winner grid (len(cbp), len(prices)) by NumPy broadcasting."""
    costs = table.layout.cost_arrays({"C_Bp": cbp})
    c, t, _ = table.totals(costs)                         # (n, Y)
    loss = table.loss(costs)                              # (n, Y)
    g = model.exchange_params["g"]
    n, Y, X = len(table), len(cbp), len(prices)
    score = g * c[:, :, None] + t[:, :, None] + np.where(loss[:, :, None] > 0, prices[None, None, :] * loss[:, :, None], 0)
    cc = np.broadcast_to(c[:, :, None], (n, Y, X)).reshape(n, -1)
    tt = np.broadcast_to(t[:, :, None], (n, Y, X)).reshape(n, -1)
    w, _ = winners_by_column(score.reshape(n, -1), cc, tt, table.size, np.ones(n, dtype=bool))
    return w.reshape(Y, X)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-size", type=int, default=9)
    parser.add_argument("--n", type=int, default=60, help="points per axis")
    args = parser.parse_args()
    model = CostModel.load("programs/lossy.toml")
    table = enumerate_classes(model, args.max_size)
    x, y = f"loss_price=1:10000:{args.n}:log", f"C_Bp=0:20:{args.n}"
    phase_diagram(model, x="loss_price=1:10:2", y="C_Bp=0:1:2", space="enumerate", max_size=args.max_size, ties=False)
    t0 = time.perf_counter()
    lossy = phase_diagram(model, x=x, y=y, space="enumerate", max_size=args.max_size, ties=False)
    t_lossy = time.perf_counter() - t0
    t0 = time.perf_counter()
    phase_diagram(model, x=f"g=0.01:100:{args.n}:log", y=y, space="enumerate", max_size=args.max_size, ties=False)
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = reference(table, model, lossy.x_values, lossy.y_values)
    t_ref = time.perf_counter() - t0
    assert np.array_equal(ref, lossy.winner), "lossy sweep and NumPy reference disagree"
    cells = args.n * args.n
    print(f"lossy.toml, {len(table):,} classes (<= {args.max_size} nodes), {cells:,} points")
    print(f"  priced loss (kernels):    {t_lossy:8.3f} s  {cells / t_lossy:12,.0f} points/s")
    print(f"  NumPy reference:          {t_ref:8.3f} s  ratio {t_ref / t_lossy:6.2f}x")
    print(f"  pass/fail, g x C_Bp:      {t_plain:8.3f} s  (lossy / pass-fail = {t_lossy / t_plain:5.2f})")


if __name__ == "__main__":
    main()
