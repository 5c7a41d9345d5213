"""Experiment 4: the counting argument — prior mass of the deceptive class against K.

The post compares single programs.  The counting argument compares *classes*: if there
are K misaligned objectives of equal cost, there are K copies of Hsd (and of Hfd, ...),
so the deceptive class may carry more prior mass than the aligned one even where the
single best program is honest.  programs/counting.toml is the post's space with the
simplest objective replaced by a family of K misaligned objectives (C_S bits each) and a
prefix code (every node pays log2 of its type's number of productions), so masses
converge as the size limit grows.

For every K (one enumeration each, DSL programs up to ``max_size`` nodes) and every g:

* class mass  M = Σ over compatible programs of multiplicity · 2^(−bits),
  bits = c + t/g (the linear exchange's prior, :meth:`priorsearch.exchange.Linear.bits`);
* the best single program (lowest g·c + t, the documented tie rule) and its class.

Where log2(M_deceptive/M_aligned) > 0 but the best program is aligned, the heaviest
class differs from the single best program.  The leading term, Hsd's K copies against
Hfh, predicts log2(M_dec/M_al) ≈ log2 K − (c(Hsd) − c(Hfh)) − (t(Hsd) − t(Hfh))/g.
Under the prefix code Hsd and Hfh each have one Obj node, so the log2(K + 2) bits the
code charges for picking an Obj production cancel in the ratio and the K copies remain:
the class boundary sits at g = Δt / (log2 K − Δc) = 30 / (16 + log2 K) in the worked
example, 1.875 at K = 1, 1.0 at K = 2^14 and 0.26 at K = 2^100 — it moves towards 0 as
log2 K grows, while the best single program never changes.  Families are enumerated as
orbits (:mod:`priorsearch.space.orbits`), so K = 2^100 costs what K = 16 does.

That is a consequence of the measure (every program weighted 2^-bits, the K
interchangeable objectives counted as K distinct programs), which is what Belrose &
Pope (2024) dispute; the experiment computes the measure, it does not defend it.
"""
from __future__ import annotations

__all__ = ["compute", "table", "class_masses", "draw", "make_figure", "KIND"]

import math
from fractions import Fraction

import numpy as np

from ..errors import InputError
from ..lang.numbers import parse_number
from ..exchange import Linear
from ..scoring.mass import class_log2_mass
from ..features.semantics import ALIGNED, INCOMPATIBLE
from .common import Entry, new_axes, winners
from .writing import figure_writer
from ..space.enumerate import enumerate_classes

KIND = "counting"


def class_masses(table, g_values):
    """log2 class masses (aligned, deceptive) and the best program at every g.

    Parameters
    ----------
    table : FeatureTable
        Enumerated classes, scored at their model's parameters.
    g_values : iterable of float
        Values of the linear exchange's g (> 0).

    Returns
    -------
    dict
        Over g: ``aligned``, ``deceptive`` (log2 mass arrays), ``best_class`` (0 aligned /
        1 deceptive), and ``best_source`` (list of program text).
    """
    costs = table.layout.cost_arrays()
    c, t, _ = table.totals(costs)
    c, t = c[:, 0], t[:, 0]
    out = {"aligned": [], "deceptive": [], "best_class": [], "best_source": []}
    compatible = table.cls != INCOMPATIBLE
    for g in g_values:
        ex = Linear(g=float(g))
        masses = class_log2_mass(table, ex.bits(c, t))
        for name in ("aligned", "deceptive"):
            out[name].append(masses[name])
        w = int(winners(ex.score(c, t)[:, None], c[:, None], t[:, None], table.size, compatible)[0])
        out["best_class"].append(int(table.cls[w]))
        out["best_source"].append(str(table.sources[w]))
    return {k: (np.array(v) if k != "best_source" else v) for k, v in out.items()}


def counting(model, k_values, g_values, max_size, enumerate_classes):
    """The experiment's data: masses and best programs on the grid K × g.

    Arrays have shape (len(K), len(g)); ``log2_ratio_smaller`` is the same ratio over
    programs up to ``max_size − 2`` nodes (how far the truncated sums still move).
    """
    g = np.asarray(g_values, dtype=float)
    rows = {"aligned": [], "deceptive": [], "best_class": [], "best_source": [], "ratio_smaller": []}
    for K in k_values:
        m = model.with_params(K=K)
        res = class_masses(enumerate_classes(m, max_size), g)
        for key in ("aligned", "deceptive", "best_class", "best_source"):
            rows[key].append(res[key])
        smaller = class_masses(enumerate_classes(m, max_size - 2), g)
        rows["ratio_smaller"].append(smaller["deceptive"] - smaller["aligned"])
    p = model.parameters
    dc = p["C_S"] + p["C_comb"] - p["C_B"]
    dt = p["T_comb"] + p["T_F"] + p["T_MO"] - p["T_B"]
    K = np.array([float(k) for k in k_values])
    aligned, deceptive = np.array(rows["aligned"]), np.array(rows["deceptive"])
    return {"K": K, "g": g, "max_size": max_size, "aligned": aligned, "deceptive": deceptive,
            "log2_ratio": deceptive - aligned, "log2_ratio_smaller": np.array(rows["ratio_smaller"]),
            "best_class": np.array(rows["best_class"]), "best_source": rows["best_source"],
            "leading_term": np.log2(K)[:, None] - dc - dt / g[None, :], "g_star": dt / -dc,
            # where the leading term crosses 0: the class boundary moves left as log2 K grows
            "boundary": np.where(np.log2(K) - dc > 0, dt / np.maximum(np.log2(K) - dc, 1e-300), np.inf)}


def draw(data, ax=None):
    """log2(M_deceptive / M_aligned) on (g, K), and against K at a few g with the leading term.

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
    fig, axes = new_axes(ax, ncols=2, figsize=(11.5, 4.6))
    K, g, ratio = data["K"], data["g"], data["log2_ratio"]
    a = axes[0]
    lim = np.abs(ratio).max()
    mesh = a.pcolormesh(g, K, ratio, cmap="RdBu_r", vmin=-lim, vmax=lim, shading="nearest", rasterized=True)
    a.contour(g, K, ratio, levels=[0.0], colors="black", linewidths=1.2)
    a.axvline(data["g_star"], color="black", lw=1.0, ls="--")
    differ = (ratio > 0) & (data["best_class"] == ALIGNED)
    gg, kk = np.meshgrid(g, K)
    a.scatter(gg[differ], kk[differ], marker="x", s=10, color="black", lw=0.6,
              label="heaviest class deceptive, best program aligned")
    a.set_yscale("log", base=2)
    a.set_ylim(K[0], K[-1])  # the counting axis starts at the smallest K (cells end there)
    a.plot(data["boundary"], K, color="black", lw=0.9, ls=":", label="g = Δt / (log2 K − Δc)")
    a.set_xlabel("g (time units per bit)")
    a.set_ylabel("K, misaligned objectives")
    a.set_title(f"log2(M_deceptive / M_aligned), programs ≤ {data['max_size']} nodes")
    a.annotate("g*: best program flips", (data["g_star"], K[-1]), xytext=(4, -12), textcoords="offset points",
               fontsize=8)
    a.legend(loc="upper left", fontsize=7.5)  # clear of the g* note on the K = 1 edge
    fig.colorbar(mesh, ax=a).set_label("log2 mass ratio (deceptive / aligned)")
    b = axes[1]
    picks = np.unique(np.linspace(0, len(g) - 1, 5).round().astype(int))
    colors = ["#4C72B0", "#55A868", "#DD8452", "#C44E52", "#8172B3"]
    for col, j in zip(colors, picks):
        b.plot(K, ratio[:, j], marker="o", ms=3, color=col, label=f"g = {g[j]:.3g}")
        b.plot(K, data["leading_term"][:, j], color=col, lw=0.8, ls=":")
    b.axhline(0, color="black", lw=0.8)
    b.set_xscale("log", base=2)
    b.set_xlim(K[0], K[-1])
    b.set_xlabel("K, misaligned objectives")
    b.set_ylabel("log2(M_deceptive / M_aligned)")
    b.set_title("dotted: leading term log2 K − Δc − Δt/g (Hsd copies vs Hfh)")
    b.legend(loc="upper left")
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``counting``, with a family count K), ``K`` (whole numbers), the axis ``g`` (above 0) and ``max_size``.

    Returns
    -------
    dict
        Masses and best programs on the grid K x g.
    """
    model = e.model(default="counting")
    if "K" not in model.parameters:
        raise InputError(f"figure {e.name!r} (kind {KIND}): key 'model' must have a parameter K (the family count)")
    ks = _whole_numbers(e, "K", [1, 2, 4, 8, 16, 32, 64])
    g = e.axis("g", "g=1:3:41", parameter="g")
    if g.lo <= 0:
        raise InputError(f"figure {e.name!r} (kind {KIND}): key 'g' must stay above 0 (masses need g > 0)")
    size = e.integer("max_size", 7, lo=3, hi=15)
    e.finish()  # every key read: reject typos before any work
    return counting(model, ks, g.values, size, enumerate_classes)


def _whole_numbers(e: Entry, key, default) -> list[int]:
    """A list of whole numbers >= 1, each a number or a number expression ("2^100"),
    kept exact (TOML integers end at 2^63)."""
    value = e.get(key, default)
    where = f"figure {e.name!r} (kind {KIND}): key {key!r}"
    if not isinstance(value, list) or not value:
        raise InputError(f"{where} must be a non-empty list of whole numbers, got {value!r}")
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise InputError(f"{where}: {v!r} is not a whole number")
        number = parse_number(v, where) if isinstance(v, str) else Fraction(v) if math.isfinite(v) else None
        if number is None or number != int(number) or number < 1:
            raise InputError(f"{where} must list whole numbers >= 1, got {v!r}")
        out.append(int(number))
    return out


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
    for i, K in enumerate(data["K"]):
        for j, g in enumerate(data["g"]):
            rows.append((int(K), g, data["aligned"][i, j], data["deceptive"][i, j], data["log2_ratio"][i, j],
                         data["log2_ratio_smaller"][i, j], data["leading_term"][i, j],
                         ("aligned", "deceptive")[data["best_class"][i, j]], data["best_source"][i][j]))
    return ("K", "g", "log2_mass_aligned", "log2_mass_deceptive", "log2_ratio", "log2_ratio_N_minus_2",
            "leading_term", "best_class", "best_program"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
