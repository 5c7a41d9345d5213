"""Experiment 8: heuristics that multiply costs — when do they strengthen the argument?

The post: heuristics "effectively multiply both the speed and complexity costs", so the
argument "only gets stronger".  programs/heuristics.toml multiplies every description
length by m_c and every time by m_t.  Under the linear exchange the Hfh/Hsd tie moves
from g*₀ to g*₀·m_t/m_c (DESIGN 2.4 item 6): Hfh's region (g < g*) grows only when
heuristics multiply time more than length, and equal multipliers change no winner at all.
"""
from __future__ import annotations

__all__ = ["compute", "table", "tie_shift", "draw", "make_figure", "KIND"]

import numpy as np

from .common import (Entry, labels_of, linear_score, new_axes, template_table, template_totals, tie_linear,
                     winners)
from .writing import figure_writer

KIND = "heuristics"
PROGRAMS = ["honest", "simple_deceptive", "fast_deceptive"]


def tie_shift(model, m_values, g_values):
    """g*(m_c, m_t) on the grid m_c × m_t (shape (len(m), len(m)), rows m_t), g*₀ at
    m_c = m_t = 1, and the winners at every g for equal multipliers m_c = m_t = m
    (shape (len(m), len(g))) next to the winners of the unscaled model (len(g),).

    Parameters
    ----------
    model : CostModel
        A model with the multipliers m_c (description) and m_t (time) as parameters.
    m_values : float array
        Multiplier values, used for both m_c and m_t.
    g_values : float array
        Values of the linear exchange's g.

    Returns
    -------
    dict
        ``m``, ``g``, ``g_star``, ``g_star0``, ``equal_winners`` and ``base_winners``.
    """
    m = np.asarray(m_values, dtype=float)
    table = template_table(model, PROGRAMS)
    fh, sd = table.names.index("honest"), table.names.index("simple_deceptive")
    MC, MT = np.meshgrid(m, m)
    c, t = template_totals(table, {"m_c": MC.ravel(), "m_t": MT.ravel()})
    g_star = tie_linear(c, t, fh, sd).reshape(len(m), len(m))
    c0, t0 = template_totals(table, {"m_c": np.array([1.0]), "m_t": np.array([1.0])})
    g0 = float(tie_linear(c0, t0, fh, sd)[0])
    g = np.asarray(g_values, dtype=float)

    def winners_at(cc, tt):
        s = linear_score(cc[:, None], tt[:, None], g[None, :])
        return winners(s, cc[:, None], tt[:, None], table.size, table.cls != 2)

    ce, te = template_totals(table, {"m_c": m, "m_t": m})
    equal = np.stack([labels_of(table, winners_at(ce[:, i], te[:, i])) for i in range(len(m))])
    base = labels_of(table, winners_at(c0[:, 0], t0[:, 0]))
    return {"m": m, "g": g, "g_star": g_star, "g_star0": g0, "equal_winners": equal, "base_winners": base}


def draw(data, ax=None):
    """log2 of g*(m_c, m_t) / g*0 on the multiplier grid, and the winners at equal multipliers.

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
    m = data["m"]
    ratio = np.log2(data["g_star"] / data["g_star0"])
    a = axes[0]
    mesh = a.pcolormesh(m, m, ratio, cmap="RdBu_r", shading="nearest", rasterized=True,
                        vmin=-np.abs(ratio).max(), vmax=np.abs(ratio).max())
    a.contour(m, m, ratio, levels=np.arange(np.floor(ratio.min()), np.ceil(ratio.max()) + 1), colors="black",
              linewidths=0.6)
    _log2_axes(a)
    a.set_xlabel("m_c (multiplies every description length)")
    a.set_ylabel("m_t (multiplies every time)")
    a.set_title("log2(g*/g*₀) = log2(m_t/m_c): contours on m_t/m_c = const")
    fig.colorbar(mesh, ax=a).set_label("log2(g*/g*₀)")
    b = axes[1]
    i_one = int(np.argmin(np.abs(m - 1.0)))
    b.loglog(m, data["g_star"][:, i_one], label="time only (m_c = 1, m_t = m)", color="#4C72B0")
    b.loglog(m, data["g_star"][i_one, :], label="length only (m_t = 1, m_c = m)", color="#C44E52")
    b.loglog(m, np.diag(data["g_star"]), label="both (m_c = m_t = m)", color="black", ls="--")
    _log2_axes(b)
    b.set_xlabel("multiplier m")
    b.set_ylabel("g*: Hfh wins below, Hsd above")
    b.set_title("equal multipliers leave the tie where it was")
    b.legend(loc="upper left")
    return fig


def _log2_axes(ax):
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        axis.set_minor_formatter(NullFormatter())


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``heuristics``) and the axes ``m`` and ``g``.

    Returns
    -------
    dict
        :func:`tie_shift` of the entry.
    """
    model = e.model(default="heuristics")
    m = e.axis("m", "m=0.125:8:25:log", parameter="m", positive=True)  # a cost multiplier
    g = e.axis("g", "g=0.01:100:81:log", parameter="g")
    e.finish()  # every key read: reject typos before any work
    return tie_shift(model, m.values, g.values)


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
    for i, mt in enumerate(data["m"]):
        for j, mc in enumerate(data["m"]):
            rows.append((mc, mt, data["g_star"][i, j]))
    return ("m_c", "m_t", "g_star"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
