"""Experiment 7: a memorised goal table vs deriving the goal (seed 001).

Seed 001 suggests an agent that has seen only finitely many games may simply memorise a
goal per environment.  In programs/goal_table.toml the honest program's stored base
objective is such a table: C_B = N·c_entry for N training environments, while Hsd
re-derives the goal every episode at a cost (T_F) that does not grow with N.  The
linear tie between Hfh and Hsd is then

    g*(N) = (T_comb + T_F + T_MO − T_B) / (N·c_entry − C_S − C_comb),

finite only once N·c_entry > C_S + C_comb, and falling as N grows: the more environments
the honest program must remember, the weaker the simplicity prior needed for Hsd to win.
"""
from __future__ import annotations

__all__ = ["compute", "table", "goal_table", "draw", "make_figure", "KIND"]

import numpy as np

from .common import (Entry, draw_winner_map, labels_of, linear_score, new_axes, template_table, template_totals,
                     tie_linear, winner_grid)
from .writing import figure_writer

KIND = "goal_table"
PROGRAMS = ["honest", "simple_deceptive", "fast_deceptive"]


def goal_table(model, n_values, g_values):
    """g*(N) from the programs' totals (inf where Hfh wins at every g) and the winner map
    on (g, N), shape (len(g), len(N)).

    Parameters
    ----------
    model : CostModel
        A model with parameters N and c_entry (C_B = N·c_entry).
    n_values : float array
        Numbers of training environments N.
    g_values : float array
        Values of the linear exchange's g.

    Returns
    -------
    dict
        ``N``, ``g``, ``g_star``, ``labels``, ``C_B`` and ``c_entry``.
    """
    n = np.asarray(n_values, dtype=float)
    table = template_table(model, PROGRAMS)
    c, t = template_totals(table, {"N": n})
    fh, sd = table.names.index("honest"), table.names.index("simple_deceptive")
    g_star = tie_linear(c, t, fh, sd)
    # c(Hfh) <= c(Hsd) with Hfh faster: Hfh wins at every g, the tie is at g = inf
    g_star = np.where((c[fh] <= c[sd]) & (t[fh] < t[sd]), np.inf, g_star)
    g = np.asarray(g_values, dtype=float)
    grid = winner_grid(table, linear_score, g, "N", n).T
    return {"N": n, "g": g, "g_star": g_star, "labels": labels_of(table, grid),
            "C_B": n * model.parameters["c_entry"],
            "c_entry": model.parameters["c_entry"]}


def draw(data, ax=None):
    """The winner map on (N, g) with the tie g*(N).

    Parameters
    ----------
    data : dict
        What :func:`compute` returns; nothing else is read.
    ax : matplotlib Axes or None
        Axes to draw into; None makes a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = new_axes(ax, ncols=1, figsize=(6.4, 4.6))
    a = axes[0]
    draw_winner_map(a, data["N"], data["g"], data["labels"], xlog=True, ylog=True,
                    xlabel=f"N, training environments (C_B = N·{data['c_entry']:g} bits)", ylabel="g",
                    title="a goal table that grows with N: g*(N) falls")
    finite = np.isfinite(data["g_star"])
    a.plot(data["N"][finite], data["g_star"][finite], color="black", lw=1.2)
    a.set_ylim(data["g"][0], data["g"][-1])
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``goal_table``) and the axes ``N`` and ``g``.

    Returns
    -------
    dict
        :func:`goal_table` of the entry.
    """
    model = e.model(default="goal_table")
    n = e.axis("N", "N=1:10000:121:log", parameter="N")
    g = e.axis("g", "g=0.001:100:101:log", parameter="g")
    e.finish()  # every key read: reject typos before any work
    return goal_table(model, n.values, g.values)


def table(data) -> tuple:
    """(header, rows) of the CSV written next to the figure.

    Parameters
    ----------
    data : dict
        What :func:`compute` returns.

    Returns
    -------
    header : tuple of str
    rows : list of tuples
    """
    rows = [(x, data["C_B"][i], data["g_star"][i]) for i, x in enumerate(data["N"])]
    return ("N", "C_B", "g_star"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
