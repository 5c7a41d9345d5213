"""Experiment 9: a non-factorable optimizer — search machinery specialised per objective.

The post's first comment doubts that a mesaoptimizer factors into "goal + general
search": the search is a pile of heuristics built around its goal.  In
programs/nonfactorable.toml the ``mesaoptimize`` component is ``per_objective``: paid
once per distinct objective a program pursues through it.  Hsd pursues base in training
and its own objective when deployed, so it pays C_M twice; Hfh pays it once.  Then

    c(Hsd) − c(Hfh) = C_S + C_comb + C_M − C_B,   t(Hsd) − t(Hfh) = T_comb + T_F + T_MO − T_B,

so whenever C_M > C_B − C_S − C_comb Hsd is longer *and* slower: it loses on both axes
and wins at no g.  Below that, the tie is g* = Δt / (C_B − C_S − C_comb − C_M).  In the
post's factorable model the tie does not depend on C_M at all.
"""
from __future__ import annotations

__all__ = ["compute", "table", "nonfactorable", "draw", "make_figure", "KIND"]

import numpy as np

from .common import (Entry, draw_winner_map, labels_of, linear_score, new_axes, template_table,
                     template_totals, tie_linear, winner_grid)
from .writing import figure_writer

KIND = "nonfactorable"
PROGRAMS = ["honest", "simple_deceptive", "fast_deceptive"]


def nonfactorable(models, cm_values, g_values):
    """For each (title, model): winner map on (g, C_M) (shape (len(g), len(C_M))), the
    tie g*(C_M) (inf where Hfh wins at every g) and c(Hsd) − c(Hfh), t(Hsd) − t(Hfh).

    Parameters
    ----------
    models : list of (str, CostModel)
        Panel titles and models, each with a parameter C_M; the last one's C_B, C_S and
        C_comb give the drawn threshold.
    cm_values : float array
        Values of C_M.
    g_values : float array
        Values of the linear exchange's g.

    Returns
    -------
    dict
        ``C_M``, ``g``, ``panels`` (``title``, ``labels``, ``g_star``, ``dc``, ``dt``) and
        ``threshold`` (C_B − C_S − C_comb).
    """
    cm = np.asarray(cm_values, dtype=float)
    g = np.asarray(g_values, dtype=float)
    panels = []
    for title, model in models:
        table = template_table(model, PROGRAMS)
        c, t = template_totals(table, {"C_M": cm})
        fh, sd = table.names.index("honest"), table.names.index("simple_deceptive")
        g_star = tie_linear(c, t, fh, sd)
        g_star = np.where((c[fh] <= c[sd]) & (t[fh] < t[sd]), np.inf, g_star)
        grid = winner_grid(table, linear_score, g, "C_M", cm).T
        panels.append({"title": title, "labels": labels_of(table, grid), "g_star": g_star,
                       "dc": c[sd] - c[fh], "dt": t[sd] - t[fh]})
    p = models[-1][1].parameters
    return {"C_M": cm, "g": g, "panels": panels, "threshold": p["C_B"] - p["C_S"] - p["C_comb"]}


def draw(data, ax=None):
    """One winner map on (C_M, g) per model, with its tie g*(C_M).

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
    fig, axes = new_axes(ax, ncols=len(data["panels"]), figsize=(5.5 * len(data["panels"]), 4.4))
    for a, panel in zip(axes, data["panels"]):
        draw_winner_map(a, data["C_M"], data["g"], panel["labels"], ylog=True,
                        xlabel="C_M, bits of search machinery", ylabel="g", title=panel["title"])
        finite = np.isfinite(panel["g_star"]) & (panel["g_star"] > 0)
        a.plot(data["C_M"][finite], panel["g_star"][finite], color="black", lw=1.2)
        a.set_ylim(data["g"][0], data["g"][-1])
    axes[-1].axvline(data["threshold"], color="black", lw=0.8, ls="--")
    axes[-1].annotate("C_M = C_B − C_S − C_comb", (data["threshold"], data["g"][0]), xytext=(4, 6),
                      textcoords="offset points", fontsize=8)
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``factorable_model`` (default ``post``), ``model`` (default ``nonfactorable``) and the axes ``C_M`` and ``g``.

    Returns
    -------
    dict
        :func:`nonfactorable` of the two models.
    """
    factorable = e.model("factorable_model", "post")
    model = e.model("model", "nonfactorable")
    cm = e.axis("C_M", "C_M=0:40:81", parameter="C_M")
    g = e.axis("g", "g=0.1:100:101:log", parameter="g")
    e.finish()  # every key read: reject typos before any work
    return nonfactorable([("the post: one shared mesaoptimize", factorable),
                          ("per-objective mesaoptimize", model)], cm.values, g.values)


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
    rows = []
    for i, x in enumerate(data["C_M"]):
        row = [x]
        for panel in data["panels"]:
            row += [panel["dc"][i], panel["dt"][i], panel["g_star"][i]]
        rows.append(row)
    header = ["C_M", "factorable_dc", "factorable_dt", "factorable_g_star",
              "per_objective_dc", "per_objective_dt", "per_objective_g_star"]
    return header, rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
