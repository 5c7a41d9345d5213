"""The analysis experiments: one module per figure kind (see analysis/README.md).

``EXPERIMENTS`` maps a figure ``kind`` of analysis/figures.toml to its module; each module
has pure data function(s), ``draw(data, ax=None) -> Figure`` and
``make_figure(entry, out_dir) -> list[Path]`` (see :mod:`priorsearch.experiments.common`).
Kind ``phase`` (the post's diagram) belongs to :mod:`priorsearch.plot.phase`.
"""
from __future__ import annotations

__all__ = ["EXPERIMENTS"]

from . import (camera_proxy, comment_programs, constraints, counting, fixed_compute, goal_table, heuristics,
               lossy_objective, nonfactorable, observable_flag, shared_time, uncertainty)

EXPERIMENTS = {
    m.KIND: m
    for m in (comment_programs, shared_time, counting, fixed_compute, observable_flag, goal_table, heuristics,
              nonfactorable, constraints, uncertainty, lossy_objective, camera_proxy)
}
