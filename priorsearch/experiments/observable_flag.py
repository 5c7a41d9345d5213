"""Experiment 6: an observable deployment flag — does a free check rescue Hfd?

Seed 002 proposes a token that marks "no feedback here" episodes.  If deployment were
marked that openly, checking for it would cost almost nothing: C_D → 0 and T_D → 0.
Along the path C_D = s·C_D0, T_D = s·T_D0 (s from 1 down to 0) this experiment computes
Hfd's margin over Hfh, score(Hfd) − score(Hfh), from the programs' totals:

* linear g·c + t: the margin is g·(C_S + C_D) + T_D, which falls to g·C_S, never below;
* Levin c + λ·log2 t: the margin falls to C_S.

Hfd still stores both objectives, so it keeps paying C_S: a free flag makes deception
cheaper, never cheaper than honesty.  (With C_S = 0 too the margin reaches 0 and the
tie rule — fewer nodes — still picks Hfh.)
"""
from __future__ import annotations

__all__ = ["compute", "table", "margins", "draw", "make_figure", "KIND"]

import numpy as np

from ..errors import InputError
from .common import Entry, levin_score, linear_score, new_axes, template_table, template_totals
from .writing import figure_writer

KIND = "observable_flag"
PROGRAMS = ["honest", "fast_deceptive"]


def margins(model, s_values, g_values, lambda_values):
    """Hfd − Hfh score margins along the path (C_D, T_D) = s·(C_D0, T_D0).

    Parameters
    ----------
    model : CostModel
        Its C_D and T_D are C_D0 and T_D0.
    s_values : float array
        Scale factors s >= 0.
    g_values : sequence of float
        Values of the linear exchange's g.
    lambda_values : sequence of float
        Values of the levin exchange's lambda.

    Returns
    -------
    dict
        ``s``, ``g``, ``lambda``, ``linear`` (len(g), len(s)), ``levin``
        (len(lambda), len(s)), and ``C_S``, ``C_D0``, ``T_D0``.
    """
    p = model.parameters
    s = np.asarray(s_values, dtype=float)
    table = template_table(model, PROGRAMS)
    c, t = template_totals(table, {"C_D": s * p["C_D"], "T_D": s * p["T_D"]})
    fh, fd = table.names.index("honest"), table.names.index("fast_deceptive")
    g = np.asarray(g_values, dtype=float)[:, None]
    lam = np.asarray(lambda_values, dtype=float)[:, None]
    lin = linear_score(c[fd], t[fd], g) - linear_score(c[fh], t[fh], g)
    lev = levin_score(c[fd], t[fd], lam) - levin_score(c[fh], t[fh], lam)
    return {"s": s, "g": g[:, 0], "lambda": lam[:, 0], "linear": lin, "levin": lev,
            "C_S": p["C_S"], "C_D0": p["C_D"], "T_D0": p["T_D"]}


def draw(data, ax=None):
    """The Hfd - Hfh margins along s under linear (per g) and Levin (per lambda).

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
    s = data["s"]
    colors = ["#4C72B0", "#55A868", "#DD8452", "#C44E52", "#8172B3", "#937860"]
    for i, g in enumerate(data["g"]):
        col = colors[i % len(colors)]
        axes[0].plot(s, data["linear"][i], color=col, label=f"g = {g:g}")
        axes[0].axhline(g * data["C_S"], color=col, lw=0.8, ls="--")
    axes[0].set_title("linear: margin → g·C_S (dashed), never < 0")
    for i, lam in enumerate(data["lambda"]):
        axes[1].plot(s, data["levin"][i], color=colors[i % len(colors)], label=f"λ = {lam:g}")
    axes[1].axhline(data["C_S"], color="black", lw=0.8, ls="--")
    axes[1].set_title("Levin: margin → C_S (dashed), never < 0")
    for a in axes:
        a.axhline(0, color="black", lw=0.8)
        a.set_xlabel(f"s: C_D = s·{data['C_D0']:g}, T_D = s·{data['T_D0']:g}  (s → 0: a free, observable flag)")
        a.set_ylabel("score(Hfd) − score(Hfh)  (> 0: Hfh wins)")
        a.invert_xaxis()
        a.legend(loc="upper right")
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model``, the axis ``s`` (from 0 up), and the lists ``g`` and ``lambda``.

    Returns
    -------
    dict
        :func:`margins` of the entry.
    """
    model = e.model()
    s = e.axis("s", "s=0:1:101", parameter="s")
    if s.lo < 0:
        raise InputError(f"figure {e.name!r} (kind {KIND}): key 's' must not go below 0 (costs would be negative)")
    g = e.numbers("g", [0.5, 1.0, 2.0, 4.0], positive=True)
    lam = e.numbers("lambda", [1.0, 100.0, 1000.0], positive=True)
    e.finish()  # every key read: reject typos before any work
    return margins(model, s.values, g, lam)


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
    header = ["s"] + [f"linear_g={x:g}" for x in data["g"]] + [f"levin_lambda={x:g}" for x in data["lambda"]]
    rows = [[sv] + list(data["linear"][:, i]) + list(data["levin"][:, i]) for i, sv in enumerate(data["s"])]
    return header, rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
