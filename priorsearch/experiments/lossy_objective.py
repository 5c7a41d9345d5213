"""Experiment 11: when does a cheaper, lossy objective win? (the post's B vs B')

The post imagines a slightly simpler objective B' that does slightly worse in training.
programs/lossy.toml adds ``cheap_base_obj`` (B'): C_Bp bits instead of C_B, pursuing
base except in the training episode ``rare`` of weight (share) w, where it misfires.
So optimize(cheap_base_obj) (Hfh') has training loss L = w.  With the score
``g·c + t + loss_price·L`` (the loss term of every exchange,
:mod:`priorsearch.exchange.base`) Hfh' beats Hfh exactly when

    loss_price < loss_price* = (g·(C_B − C_Bp) + (T_B − T_Bp)) / w,

i.e. the price a training loss must carry grows linearly with the bit saving, with slope
g/w.  At the default loss_price = inf (pass/fail) Hfh' never competes.
"""
from __future__ import annotations

__all__ = ["compute", "table", "lossy_winners", "draw", "make_figure", "KIND", "lossy_programs"]

import numpy as np

from ..exchange import make_exchange
from ..lang.templates import packaged_definitions
from ..space.templates import template_table
from .common import Entry, draw_winner_map, labels_of, new_axes, runs_text, winners
from .writing import figure_writer

KIND = "lossy_objective"


def lossy_programs():
    """Hfh, Hfh' and Hsd as declared in programs/lossy/programs.prog.

    Returns
    -------
    list of Definition
    """
    return packaged_definitions("lossy/programs.prog")


def lossy_winners(model, savings, prices, w, g):
    """Winner labels on (bit saving C_B − C_Bp, loss_price) at share ``w``.

    Parameters
    ----------
    model : CostModel
        The lossy model (programs/lossy.toml).
    savings : array
        Bit savings C_B − C_Bp of B'.
    prices : array
        Loss prices.
    w : float
        Weight (share) of the training episode where B' misfires.
    g : float
        The linear exchange's g.

    Returns
    -------
    dict
        ``labels`` (array (len(savings), len(prices))) and ``tie``: loss_price* per saving.
    """
    savings = np.asarray(savings, dtype=float)
    prices = np.asarray(prices, dtype=float)
    m = model.with_params(w=float(w))
    table = template_table(m, lossy_programs())
    cb = m.parameters["C_B"]
    costs = table.layout.cost_arrays({"C_Bp": cb - savings})
    c, t, _ = table.totals(costs)                                 # (n, S)
    loss = table.loss(costs)                                      # (n, S)
    ex = make_exchange("linear", m, g=g)
    n, S, P = len(table), len(savings), len(prices)
    score = ex.score(c[:, :, None], t[:, :, None], {"loss_price": prices[None, None, :]}, loss[:, :, None])
    score = np.broadcast_to(score, (n, S, P)).reshape(n, -1)
    cc = np.broadcast_to(c[:, :, None], (n, S, P)).reshape(n, -1)
    tt = np.broadcast_to(t[:, :, None], (n, S, P)).reshape(n, -1)
    grid = winners(score, cc, tt, table.size, np.ones(n, dtype=bool)).reshape(S, P)
    dt = m.parameters["T_B"] - m.parameters["T_Bp"]
    return {"labels": labels_of(table, grid), "tie": (g * savings + dt) / w}


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
    ws = data["w"]
    fig, axes = new_axes(ax, ncols=len(ws), figsize=(4.6 * len(ws), 4.2))
    for a, w, panel in zip(axes, ws, data["panels"]):
        draw_winner_map(a, data["loss_price"], data["saving"], panel["labels"], xlog=True,
                        xlabel="loss_price (score units per unit of training loss)",
                        ylabel="bit saving C_B − C_Bp of B'", title=f"B' misfires in a share w = {w:g} of training")
        ok = (panel["tie"] >= data["loss_price"][0]) & (panel["tie"] <= data["loss_price"][-1])
        (line,) = a.plot(panel["tie"][ok], data["saving"][ok], color="black", lw=1.5,
                         label="loss_price* = (g·Δc + Δt)/w")
        winners_legend = a.get_legend()
        handles = list(getattr(winners_legend, "legend_handles", [])) if winners_legend else []
        a.legend(handles=handles + [line], loc="lower right", fontsize=8)
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``lossy``), the axes ``saving`` (C_B − C_Bp) and ``loss_price``, ``w`` (a list of shares) and ``g``.

    Returns
    -------
    dict
    """
    model = e.model(default="lossy")
    saving = e.axis("saving", "saving=0:19:77")
    prices = e.axis("loss_price", "loss_price=1:10000:161:log", parameter="loss_price")
    ws = e.numbers("w", [0.01, 0.05, 0.2], positive=True)
    g = e.number("g", 1.0, positive=True)
    e.finish()  # every key read: reject typos before any work
    panels = [lossy_winners(model, saving.values, prices.values, w, g) for w in ws]
    return {"saving": saving.values, "loss_price": prices.values, "w": ws, "g": g, "panels": panels,
            "dt": model.parameters["T_B"] - model.parameters["T_Bp"]}


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
    for w, panel in zip(data["w"], data["panels"]):
        for i, s in enumerate(data["saving"]):
            rows.append((w, s, panel["tie"][i], runs_text(data["loss_price"], panel["labels"][i])))
    return ("w", "bit_saving", "loss_price_star", "winner_by_loss_price"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
