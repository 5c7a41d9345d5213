"""Experiment 5: fixed compute — the cap exchange, and what each rollout costs.

The post's recipe: pick "the maximum speed prior that allows for good completion of the
task", i.e. give each episode the smallest number k of rollouts (time units) that some
training-compatible program fits in.  Under the cap exchange the winner is the shortest
program with t ≤ k (ties by t).  With a total budget of T time units an episode of k
rollouts leaves T/k episodes, and one more rollout per episode loses
T/k − T/(k+1) = T/(k(k+1)) of them (the post's "Tk(k+1)", its fraction bar lost in
transcription).

Assumption: one rollout is one unit of the model's time t, so k and t share an axis.
The programs are the post's three plus the commenter's hybrid Hhyb, the strongest
deceptive competitor of experiment 2 (review correction (b)): it fits from k = t(Hhyb)
= T_D + T_F + T_M = 110.5 and is shorter than Hfh whenever C_B > C_S + C_D + C_ptr = 3.
"""
from __future__ import annotations

__all__ = ["compute", "table", "cap_winners", "budget", "draw", "make_figure", "KIND"]

import numpy as np

from ..exchange import TIE_RTOL, episodes_in_budget, episodes_lost
from .common import (Entry, draw_winner_map, labels_of, new_axes, runs_text, template_table, template_totals, winner_grid)
from .writing import figure_writer

KIND = "fixed_compute"
PROGRAMS = ["honest", "simple_deceptive", "fast_deceptive", "hybrid"]


def _cap_score(c, t, k):
    """:meth:`priorsearch.exchange.Cap.score`, vectorised over the budget k."""
    return np.where(t <= k * (1 + TIE_RTOL), c, np.inf)


def cap_winners(model, k_values, cb_values, programs=PROGRAMS):
    """Winner labels under cap(k) on (C_B, k), shape (len(C_B), len(k)), and the
    templates' t at the model's C_B (t does not depend on C_B).

    Parameters
    ----------
    model : CostModel
        The cost model.
    k_values : float array
        Budgets k of the cap exchange (the x axis).
    cb_values : float array
        Values of C_B (the y axis).
    programs : list of str
        Template names.

    Returns
    -------
    dict
        ``k``, ``C_B``, ``labels``, ``t`` (label -> t) and ``c_threshold`` (C_S + C_comb).
    """
    table = template_table(model, programs)
    grid = winner_grid(table, _cap_score, np.asarray(k_values, float), "C_B", np.asarray(cb_values, float))
    _, t = template_totals(table)
    return {"k": np.asarray(k_values, float), "C_B": np.asarray(cb_values, float),
            "labels": labels_of(table, grid), "t": {l: float(t[i, 0]) for i, l in enumerate(table.labels)},
            "c_threshold": model.parameters["C_S"] + model.parameters["C_comb"],
            "c_threshold_hybrid": model.parameters["C_S"] + model.parameters["C_D"] + model.parameters["C_ptr"]}


def budget(total_time, k_values):
    """Episodes T/k and the marginal loss T/(k(k+1)) of one more rollout, per k.

    Parameters
    ----------
    total_time : float
        The compute budget T.
    k_values : float array
        Rollouts per episode.

    Returns
    -------
    dict
        ``episodes`` and ``lost``, arrays over k.
    """
    k = np.asarray(k_values, dtype=float)
    return {"episodes": episodes_in_budget(total_time, k), "lost": episodes_lost(total_time, k)}


def draw(data, ax=None):
    """The cap(k) winner map on (k, C_B); the episodes a budget buys per k; the episodes
    one more rollout loses (one quantity per axis).

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
    fig, axes = new_axes(ax, ncols=3, figsize=(15.0, 4.4))
    draw_winner_map(axes[0], data["k"], data["C_B"], data["labels"], xlabel="k, rollouts (time units) per episode",
                    ylabel="C_B", title="cap(k): shortest program with t ≤ k")
    for i, (label, t) in enumerate(sorted(data["t"].items(), key=lambda kv: kv[1])):
        axes[0].axvline(t, color="black", lw=0.8, ls=":")
        axes[0].annotate(f"t({label})", (t, data["C_B"][-1]), xytext=(2, -12 - 12 * i), textcoords="offset points",
                         fontsize=8)
    axes[0].axhline(data["c_threshold_hybrid"], color="black", lw=0.8, ls="--")
    # one quantity per axis (two y axes on one panel overlapped): episodes, then the loss
    for a, key, colour, ylabel, title in (
            (axes[1], "episodes", "#4C72B0", f"episodes T/k in a budget of T = {data['T']:g}",
             "the price of a weaker speed prior: episodes T/k"),
            (axes[2], "lost", "#C44E52", "episodes lost by k → k+1: T/(k(k+1))",
             f"what one more rollout costs (T = {data['T']:g})")):
        a.plot(data["k"], data[key], color=colour)
        a.set_xlabel("k, rollouts (time units) per episode")
        a.set_ylabel(ylabel)
        for label, t in sorted(data["t"].items(), key=lambda kv: kv[1]):
            a.axvline(t, color="black", lw=0.8, ls=":")
        a.set_title(title, fontsize=10)
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model``, the axes ``k`` and ``C_B``, and the budget ``T``.

    Returns
    -------
    dict
        :func:`cap_winners` and :func:`budget` of the entry, and ``T``.
    """
    model = e.model()
    k = e.axis("k", "k=90:150:241", parameter="k", positive=True)  # T/k episodes: k > 0
    cb = e.axis("C_B", "C_B=0:40:81", parameter="C_B")
    total = e.number("T", 1.0e6, positive=True)
    e.finish()  # every key read: reject typos before any work
    data = cap_winners(model, k.values, cb.values)
    data.update(budget(total, k.values), T=total)
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
    rows = []
    for ik, kv in enumerate(data["k"]):
        col = data["labels"][:, ik]
        rows.append((kv, data["episodes"][ik], data["lost"][ik], runs_text(data["C_B"], col)))
    return ("k", "episodes", "episodes_lost", "winner_by_C_B"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
