"""A family's count as a phase axis: one sweep against one run per K, in the same run.

Workload: programs/rich.toml (a family of K misaligned objectives) enumerated up to
--max-size nodes, g (--nx points) against K = 1 .. 10^30 (31 log points), in winner
and mass mode.  The sweep enumerates once (member slots for the largest K) and
evaluates multiplicities and prefix-code bits per grid point; the reference runs
``phase_diagram`` at each K separately (``--set K=k``), over the same g values.  Both
give the same winners (checked here; the tests check masses to 1e-9).
Run:  python benchmarks/count_axis.py [--max-size 8] [--nx 101]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from priorsearch.model.cost_model import CostModel
from priorsearch.phase import phase_diagram


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-size", type=int, default=8)
    parser.add_argument("--nx", type=int, default=101)
    parser.add_argument("--code", default="prefix", choices=("flat", "prefix"))
    args = parser.parse_args()
    model = CostModel.load("programs/rich.toml").with_options(code=args.code)
    x = f"g=0.1:10:{args.nx}:log"
    for mode in ("winner", "mass"):
        # warm-up: compile the kernels (small grids run their Python twins) once
        for y, m in (("K=1:1e30:31:log", model), ("C_B=20:21:2", model.with_params(K=7))):
            phase_diagram(m, x=x, y=y, space="enumerate", max_size=args.max_size, mode=mode, ties=False)
        t0 = time.perf_counter()
        sweep = phase_diagram(model, x=x, y="K=1:1e30:31:log", space="enumerate", max_size=args.max_size,
                              mode=mode, ties=False)
        t_sweep = time.perf_counter() - t0
        t0 = time.perf_counter()
        for iy, k in enumerate(sweep.y.whole):
            own = phase_diagram(model.with_params(K=k), x=x, y="C_B=20:21:2", space="enumerate",
                                max_size=args.max_size, mode=mode, ties=False)
            assert [sweep.display_name(r) for r in sweep.winner[iy]] == [own.display_name(r) for r in own.winner[0]]
        t_runs = time.perf_counter() - t0
        print(f"{mode:6s} rich --max-size {args.max_size}, {args.nx} g x 31 K ({args.code}): sweep {t_sweep:.2f} s, "
              f"31 separate runs {t_runs:.2f} s, ratio {t_runs / t_sweep:.1f}x; "
              f"{len(np.unique(sweep.winner))} winners")


if __name__ == "__main__":
    main()
