"""Experiment 12: the camera proxy against Hsd and Hfh (the diamond/camera objection).

A comment on the post: a network may learn "what the camera shows" rather than "where the
diamond is"; the two agree in every training episode and diverge when deployed.
programs/camera.toml declares ``[objectives.camera] agrees_with_base = ["train"]`` and a
primitive camera_obj of C_cam bits and T_cam time.  Pursuing it in training counts as
compatible, with no loss.  The classes after Hubinger:

* Hcam = optimize(camera_obj) pursues the camera in both phases: **proxy**
  (misgeneralised, not deceptive);
* Hcd = optimize(if is_deployed then simplest_obj else camera_obj) depends on the
  phase: **deceptive**, like Hsd and Hfd; Hfh is **aligned**.

Under linear g·c + t, Hcam differs from Hfh by C_cam − C_B bits and T_cam − T_B time,
so with T_cam = T_B it wins exactly when C_cam < C_B, at every g; against Hsd it wins
below g = (t(Hsd) − t(Hcam)) / (c(Hcam) − c(Hsd)) = 30/(C_cam − 4) at the worked
example.  Hcd is Hcam plus a flag and a second objective and never wins.
"""
from __future__ import annotations

__all__ = ["compute", "table", "camera_winners", "draw", "make_figure", "KIND", "camera_programs"]

import numpy as np

from ..features.semantics import CLASS_NAMES
from ..lang.templates import packaged_definitions
from ..space.templates import template_table
from .common import (Entry, draw_winner_map, labels_of, linear_score, new_axes, runs_text, winner_grid)
from .writing import figure_writer

KIND = "camera_proxy"


def camera_programs():
    """Hfh, Hcam, Hsd, Hfd and Hcd as declared in programs/camera/programs.prog.

    Returns
    -------
    list of Definition
    """
    return packaged_definitions("camera/programs.prog")


def camera_winners(model, g_values, c_cam_values):
    """Winner labels and their classes on (C_cam, g).

    Parameters
    ----------
    model : CostModel
        The camera model (programs/camera.toml).
    g_values : array
        Values of the linear exchange's g.
    c_cam_values : array
        Values of C_cam, the camera proxy's bits.

    Returns
    -------
    dict
        ``labels`` and ``classes`` (arrays (len(C_cam), len(g))), ``class_of`` (label ->
        class).
    """
    table = template_table(model, camera_programs())
    grid = winner_grid(table, linear_score, np.asarray(g_values, float), "C_cam", np.asarray(c_cam_values, float))
    classes = np.array([CLASS_NAMES[k] for k in table.cls] + ["none"], dtype=object)
    return {"labels": labels_of(table, grid), "classes": classes[np.where(grid < 0, len(table), grid)],
            "class_of": {l: CLASS_NAMES[k] for l, k in zip(table.labels, table.cls)}}


def draw(data, ax=None):
    """The experiment's figure, drawn from ``data`` only.

    Parameters
    ----------
    data : dict
        What :func:`compute` returns; nothing else is read.
    ax : matplotlib Axes or None
        Axes to draw into (one per panel); None makes a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = new_axes(ax, ncols=2, figsize=(11.0, 4.4))
    draw_winner_map(axes[0], data["g"], data["C_cam"], data["labels"], xlog=True, xlabel="g (time units per bit)",
                    ylabel="C_cam, bits of the camera proxy", title="winner: Hfh, Hsd, Hfd, Hcam, Hcd")
    axes[0].axhline(data["C_B"], color="black", lw=0.8, ls="--")
    g = data["g"]
    with np.errstate(divide="ignore", invalid="ignore"):
        curve = data["c_threshold"] + data["dt_sd"] / g
    ok = curve <= data["C_cam"][-1]
    axes[0].plot(g[ok], curve[ok], color="black", lw=1.2)
    names = {"aligned": "#0072B2", "proxy": "#882255", "deceptive": "#E69F00", "none": "#DDDDDD"}
    present = [k for k in names if (data["classes"] == k).any()]
    code = np.zeros(data["classes"].shape)
    for i, k in enumerate(present):
        code[data["classes"] == k] = i
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    axes[1].pcolormesh(g, data["C_cam"], code, cmap=ListedColormap([names[k] for k in present]),
                       vmin=-0.5, vmax=len(present) - 0.5, shading="nearest")
    axes[1].set_xscale("log")
    axes[1].set_xlabel("g (time units per bit)")
    axes[1].set_ylabel("C_cam")
    axes[1].set_title("class of the winner (after Hubinger)")
    axes[1].legend(handles=[Patch(color=names[k], label=k) for k in present], loc="upper right", fontsize=8)
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``camera``) and the axes ``g`` and ``C_cam``.

    Returns
    -------
    dict
    """
    model = e.model(default="camera")
    g = e.axis("g", "g=0.01:100:161:log", parameter="g")
    c_cam = e.axis("C_cam", "C_cam=0:40:81", parameter="C_cam")
    e.finish()  # every key read: reject typos before any work
    data = camera_winners(model, g.values, c_cam.values)
    p = model.parameters
    data.update(g=g.values, C_cam=c_cam.values, C_B=p["C_B"], c_threshold=p["C_S"] + p["C_comb"],
                dt_sd=p["T_comb"] + p["T_F"] + p["T_MO"] - p["T_cam"])
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
    rows = [(cc, runs_text(data["g"], data["labels"][i])) for i, cc in enumerate(data["C_cam"])]
    return ("C_cam", "winner_by_g"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
