"""Experiment 2: the comment thread's programs in the space — how the winner map changes.

The post compares Hfh, Hsd and Hfd.  Its comment thread adds two programs:

* Hhyb (``hybrid``, a commenter): hard-code the deployment check but *derive* the base
  objective instead of storing it — deceptive;
* Henv (``derive_and_pursue``, the author's reply): "figure out what the environment
  wants and then do it" — stores no objective at all; aligned by behaviour (whether it
  counts as honest is disputed in the thread).

Panels (linear exchange, g on x): (a) the post's three over (g, C_B); (b) + Hhyb;
(c) all five; (d) all five over (g, C_ptr), which shows where Henv removes Hsd entirely
(C_ptr ≤ C_S + C_comb, DESIGN 2.4 item 8); (e), (f) as (c), (d) but with every program
of the DSL up to ``max_size`` nodes competing (the enumeration), to check that no
program outside the templates wins.

Assumption (review correction (a)): in the post's model ``combine`` re-derives the base
objective every training episode *without* paying C_ptr, while Henv and Hhyb, which name
find_base_obj, pay it — "the deceptive model gets the pointer for free".  With the key
``combine_pays_ptr = true`` combine's c is C_comb + C_ptr, and panel (d)'s deceptive
region disappears (Henv is then shorter and faster than Hsd at every C_ptr).
"""
from __future__ import annotations

__all__ = ["compute", "table", "winner_maps", "enumerated_maps", "enumerated_labels", "draw", "make_figure", "KIND",
           "combine_pays_pointer"]

import dataclasses

import numpy as np

from .common import (Entry, draw_winner_map, labels_of, linear_score, runs_text, template_table,
                     winner_grid)
from .writing import figure_writer
from ..errors import InputError
from ..phase import phase_diagram

KIND = "comment_programs"
POST = ["honest", "simple_deceptive", "fast_deceptive"]
WITH_HYBRID = POST + ["hybrid"]
ALL = POST + ["hybrid", "derive_and_pursue"]


def combine_pays_pointer(model):
    """The model with combine paying C_ptr too, like every program that finds base.

    Parameters
    ----------
    model : CostModel
        A model with a primitive ``combine`` and a parameter ``C_ptr``.

    Returns
    -------
    CostModel
    """
    combine = model.primitives["combine"]
    return model.with_primitives(dataclasses.replace(combine, c=f"{combine.c.text} + C_ptr"))


def enumerated_labels(data) -> np.ndarray:
    """Winner labels of an enumerated PhaseData: the template's label, else
    "other aligned" / "other deceptive" ("none" where nothing is compatible).

    Parameters
    ----------
    data : PhaseData
        A phase diagram over ``space="enumerate"``.

    Returns
    -------
    object array of str
        The shape of ``data.winner``.
    """
    names = [lab if name else f"other {cls}" for name, lab, cls in zip(data.names, data.labels, data.classes)]
    table = np.array(names + ["none"], dtype=object)
    return table[np.where(data.winner < 0, len(names), data.winner)]


def enumerated_maps(model, g_axis, axes, max_size):
    """Winner maps of the whole DSL (programs up to ``max_size`` nodes) on (g, y) for
    each y axis spec, via :func:`priorsearch.phase.sweep.phase_diagram`.

    Parameters
    ----------
    model : CostModel
        The cost model.
    g_axis : str
        The x axis spec, ``"g=LO:HI:N[:log]"``.
    axes : iterable of str
        One y axis spec per panel (e.g. ``"C_B=0:60:121"``).
    max_size : int
        The largest program (nodes) enumerated.

    Returns
    -------
    list of dict
        Per panel: ``programs``, ``y_name``, ``y``, ``labels`` (:func:`enumerated_labels`)
        and ``classes`` (how many classes were enumerated).
    """

    out = []
    for spec in axes:
        d = phase_diagram(model, g_axis, spec, space="enumerate", max_size=max_size, ties=False)
        out.append({"programs": ["enumerate"], "y_name": d.y.name, "y": np.asarray(d.y_values, float),
                    "labels": enumerated_labels(d), "classes": len(d.names)})
    return out


def winner_maps(model, g_values, cb_axis, ptr_axis, panels=(POST, WITH_HYBRID, ALL)):
    """Winner labels on (C_B, g) for each program set, and on (C_ptr, g) for the last.

    Parameters
    ----------
    model : CostModel
        The cost model.
    g_values : float array
        The x axis: values of the linear exchange's g.
    cb_axis, ptr_axis : (str, float array)
        (parameter name, values) of the y axis of the C_B panels and of the C_ptr panel.
    panels : sequence of lists of str
        Template names, one list per C_B panel.

    Returns
    -------
    dict
        ``g``; ``panels``: list of dicts with ``programs``, ``y_name``, ``y``, ``labels``
        (array (len(y), len(g)) of winner labels); ``params``; ``ptr_threshold``
        (C_S + C_comb).
    """
    g = np.asarray(g_values, dtype=float)
    out = []
    for names in panels:
        table = template_table(model, names)
        grid = winner_grid(table, linear_score, g, cb_axis[0], cb_axis[1])
        out.append({"programs": list(names), "y_name": cb_axis[0], "y": np.asarray(cb_axis[1], float),
                    "labels": labels_of(table, grid)})
    table = template_table(model, panels[-1])
    grid = winner_grid(table, linear_score, g, ptr_axis[0], ptr_axis[1])
    out.append({"programs": list(panels[-1]), "y_name": ptr_axis[0], "y": np.asarray(ptr_axis[1], float),
                "labels": labels_of(table, grid)})
    p = model.parameters
    return {"g": g, "panels": out, "params": dict(p),
            "ptr_threshold": p["C_S"] + p["C_comb"]}


_TITLES = ["(a) the post: Hfh, Hsd, Hfd", "(b) + the commenter's hybrid Hhyb",
           "(c) + the author's derive-and-pursue Henv", "(d) all five, against C_ptr",
           "(e) every DSL program ≤ {n} nodes", "(f) every DSL program ≤ {n} nodes, against C_ptr"]


#: the parameters some panel sweeps: every other panel says its fixed value
_FIXED_SHOWN = ("C_B", "C_ptr")


def draw(data, ax=None):
    """Six winner maps: the template sets on (g, C_B), all five against C_ptr, and the whole DSL.

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
    import matplotlib.pyplot as plt

    if ax is None:
        fig, axes = plt.subplots(2, 3, figsize=(15.0, 8.8), constrained_layout=True)
        axes = [axes[0, 0], axes[0, 1], axes[0, 2], axes[1, 0], axes[1, 1], axes[1, 2]]
    else:
        axes = list(np.atleast_1d(ax))
        fig = axes[0].figure
    for i, (panel, a) in enumerate(zip(data["panels"], axes)):
        title = _TITLES[i].format(n=data.get("max_size")) if i < len(_TITLES) else ""
        # each panel states the swept-elsewhere parameter it holds fixed (C_B or C_ptr)
        fixed = [f"{k} = {data['params'][k]:g}" for k in _FIXED_SHOWN
                 if k != panel["y_name"] and k in data.get("params", {})]
        if fixed:
            title += "\nfixed: " + ", ".join(fixed)
        draw_winner_map(a, data["g"], panel["y"], panel["labels"], xlog=True,
                        xlabel="g (time units per bit)", ylabel=panel["y_name"], title=title)
        if panel["y_name"] == "C_ptr":
            a.axhline(data["ptr_threshold"], color="black", lw=1, ls="--")
            a.annotate("C_ptr = C_S + C_comb", (data["g"][0], data["ptr_threshold"]),
                       xytext=(4, 4), textcoords="offset points", fontsize=8)
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model``, the axes ``g``, ``C_B`` and ``C_ptr`` and ``max_size``.

    Returns
    -------
    dict
        :func:`winner_maps` plus the :func:`enumerated_maps` panels and ``max_size``.
    """
    model = e.model()
    g = e.axis("g", "g=0.1:10:161:log", parameter="g")
    cb = e.axis("C_B", "C_B=0:60:121", parameter="C_B")
    ptr = e.axis("C_ptr", "C_ptr=0:24:97", parameter="C_ptr")
    size = e.integer("max_size", 9, lo=2, hi=13)
    pays = e.get("combine_pays_ptr", False)
    if not isinstance(pays, bool):
        raise InputError(f"figure {e.name!r} (kind {KIND}): key 'combine_pays_ptr' must be true or false, got {pays!r}")
    e.finish()  # every key read: reject typos before any work
    if pays:
        model = combine_pays_pointer(model)
    data = winner_maps(model, g.values, (cb.name, cb.values), (ptr.name, ptr.values))
    data["panels"] += enumerated_maps(model, e.raw.get("g", "g=0.1:10:161:log"),
                                      [e.raw.get("C_B", "C_B=0:60:121"), e.raw.get("C_ptr", "C_ptr=0:24:97")], size)
    data["max_size"] = size
    data["combine_pays_ptr"] = pays
    return data


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
    rows = [(chr(ord("a") + i), panel["y_name"], y, runs_text(data["g"], panel["labels"][iy]))
            for i, panel in enumerate(data["panels"]) for iy, y in enumerate(panel["y"])]
    return ("panel", "y_name", "y", "winner_from_g"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
