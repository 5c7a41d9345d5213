"""Experiment 3: linear vs Levin exchange as the shared search time T_M grows.

A comment on the post argues that re-deriving the base objective is "mostly contained in
t(mesaoptimize_env)": the search time T_M that every mesaoptimizer pays dominates.  Under
the linear exchange g·c + t a time shared by Hfh and Hsd cancels, so the tie
g* = (T_comb + T_F + T_MO − T_B)/(C_B − C_S − C_comb) does not move with T_M.  Under
Levin's c + λ·log2 t only time *ratios* count, so the tie
λ* = (C_B − C_S − C_comb)/log2(t(Hsd)/t(Hfh)) rises with T_M: Hsd (which wins below λ*)
takes more of the diagram as the shared search gets slower (DESIGN 2.4 item 7).
"""
from __future__ import annotations

__all__ = ["compute", "table", "shared_time", "draw", "make_figure", "KIND"]

import numpy as np

from .common import (Entry, draw_winner_map, labels_of, levin_score, linear_score, new_axes, template_table,
                     template_totals, tie_levin, tie_linear, winner_grid)
from .writing import figure_writer

KIND = "shared_time"
PROGRAMS = ["honest", "simple_deceptive", "fast_deceptive"]


def shared_time(model, tm_values, g_values, lambda_values):
    """Ties and winner maps against T_M under both exchanges.

    Parameters
    ----------
    model : CostModel
        A model with the shared search time T_M as a parameter.
    tm_values : float array
        Values of T_M (the x axis).
    g_values : float array
        Values of the linear exchange's g.
    lambda_values : float array
        Values of the levin exchange's lambda.

    Returns
    -------
    dict
        ``T_M``, ``g``, ``lambda``; ``g_star``, ``lambda_star`` (ties between Hfh and Hsd
        computed from the programs' totals at each T_M); ``c`` and ``t`` (label -> array);
        ``linear`` and ``levin`` winner label grids of shape (len(g), len(T_M)) and
        (len(lambda), len(T_M)).
    """
    tm = np.asarray(tm_values, dtype=float)
    table = template_table(model, PROGRAMS)
    c, t = template_totals(table, {"T_M": tm})
    fh, sd = table.names.index("honest"), table.names.index("simple_deceptive")
    g = np.asarray(g_values, dtype=float)
    lam = np.asarray(lambda_values, dtype=float)
    # x axis of the maps is T_M (a cost parameter), y the exchange parameter
    lin = winner_grid(table, lambda cc, tt, x: linear_score(cc, tt, x), g, "T_M", tm).T
    lev = winner_grid(table, lambda cc, tt, x: levin_score(cc, tt, x), lam, "T_M", tm).T
    return {"T_M": tm, "g": g, "lambda": lam,
            "g_star": tie_linear(c, t, fh, sd), "lambda_star": tie_levin(c, t, fh, sd),
            "c": {n: c[i] for i, n in enumerate(table.labels)},
            "t": {n: t[i] for i, n in enumerate(table.labels)},
            "linear": labels_of(table, lin), "levin": labels_of(table, lev)}


def draw(data, ax=None):
    """Winner maps against T_M under the linear and the Levin exchange.

    Parameters
    ----------
    data : dict
        What :func:`compute` returns; nothing else is read.
    ax : matplotlib Axes, sequence of Axes, or None
        Axes to draw into (one per panel); None makes a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = new_axes(ax, ncols=2, figsize=(11.0, 4.4))
    tm = data["T_M"]
    draw_winner_map(axes[0], tm, data["g"], data["linear"], xlog=True, ylog=True,
                    xlabel="T_M, shared search time", ylabel="g",
                    title="linear g·c + t: the tie g* stays put")
    axes[0].plot(tm, data["g_star"], color="black", lw=1.2, label="g*")
    draw_winner_map(axes[1], tm, data["lambda"], data["levin"], xlog=True, ylog=True,
                    xlabel="T_M, shared search time", ylabel="λ",
                    title="Levin c + λ·log2 t: λ* rises with T_M")
    axes[1].plot(tm, data["lambda_star"], color="black", lw=1.2)
    axes[1].axhline(1.0, color="black", lw=0.8, ls=":")
    axes[1].annotate("Levin's Kt (λ = 1)", (tm[0], 1.0), xytext=(4, 4), textcoords="offset points", fontsize=8)
    for a, y in ((axes[0], data["g"]), (axes[1], data["lambda"])):
        a.set_ylim(y[0], y[-1])
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` and the axes ``T_M``, ``g`` and ``lambda``.

    Returns
    -------
    dict
        :func:`shared_time` of the entry.
    """
    model = e.model()
    tm = e.axis("T_M", "T_M=1:100000:81:log", parameter="T_M")
    g = e.axis("g", "g=0.1:100:81:log", parameter="g")
    lam = e.axis("lambda", "lambda=0.1:10000:101:log", parameter="lambda")
    e.finish()  # every key read: reject typos before any work
    return shared_time(model, tm.values, g.values, lam.values)


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
    rows = [(x, data["g_star"][i], data["lambda_star"][i], data["t"]["Hfh"][i], data["t"]["Hsd"][i])
            for i, x in enumerate(data["T_M"])]
    return ("T_M", "g_star", "lambda_star", "t_Hfh", "t_Hsd"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
