"""Experiment 10: dense vs sparse training constraints (seed 000).

Seed 000: the more constraints training imposes, the fewer training-compatible "goal
sets" survive — but a dense loss "does not as heavily constrain out of distribution
behavior".  programs/dense_sparse.toml has four training episodes told apart by input
features and one deployment episode.  Checking the first m training episodes (m = 0 ..
4; ``checked`` in the model), this experiment enumerates every program up to
``max_size`` nodes and counts, by multiplicity, the training-compatible programs and how
many of them are deceptive, and (after Hubinger) how many are proxies: programs that
pursue one non-base objective in every episode.  Those exist only while some training
episode is unchecked; they are misgeneralised, not deceptive.

A program that pursues base in every training episode and something else only when
deployed is compatible under *every* set of checked episodes: no added training
constraint removes it.  Those are exactly the deceptive survivors at m = 4.
"""
from __future__ import annotations

__all__ = ["compute", "table", "constraint_counts", "draw", "make_figure", "KIND"]

import dataclasses

import numpy as np

from ..errors import InputError
from ..features.semantics import ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY
from .common import Entry, new_axes
from .writing import figure_writer
from ..space.enumerate import enumerate_classes

KIND = "constraints"


def with_checked(model, m: int):
    """The model with exactly its first ``m`` training episodes checked."""
    episodes, seen = [], 0
    for ep in model.episodes:
        checked = ep.phase == "train" and seen < m
        seen += ep.phase == "train"
        episodes.append(dataclasses.replace(ep, checked=checked))
    return model.with_episodes(*episodes)


def constraint_counts(model, max_size, enumerate_classes):
    """Survivor counts (by multiplicity) for m = 0 .. number of training episodes.

    Parameters
    ----------
    model : CostModel
        A model with a primitive ``is_deployed``; its first m training episodes are
        checked in turn.
    max_size : int
        The largest program (nodes) enumerated.
    enumerate_classes : callable
        ``enumerate_classes(model, max_size) -> FeatureTable`` (the library's, or a
        reference in tests).

    Returns
    -------
    dict
        Arrays over m: ``compatible``, ``aligned``, ``deceptive``, ``proxy``, ``classes``
        (compatible classes); ``off_distribution``: programs that pursue base in every
        training episode but not when deployed (from the signatures alone);
        ``offdist_survive``: how many of those are compatible at each m; and
        ``deceptive_use_flag``: deceptive survivors at the largest m that reference the
        deployment flag ``is_deployed`` (by multiplicity).
    """
    n_train = sum(e.phase == "train" for e in model.episodes)
    out = {k: [] for k in ("compatible", "aligned", "deceptive", "proxy", "classes", "offdist_survive")}
    train = np.array([e.phase == "train" for e in model.episodes])
    off = None
    last = None
    for m in range(n_train + 1):
        tab = enumerate_classes(with_checked(model, m), max_size)
        mult = tab.multiplicity
        sig, base = tab.signature, tab.layout.base
        # behaviour alone, whatever is checked: base in training, something else deployed
        off_mask = (sig[:, train] == base).all(axis=1) & (sig[:, ~train] != base).any(axis=1)
        if off is None:
            off = int(mult[off_mask].sum())
        out["offdist_survive"].append(int(mult[off_mask & (tab.cls != INCOMPATIBLE)].sum()))
        out["compatible"].append(int(mult[tab.cls != INCOMPATIBLE].sum()))
        out["aligned"].append(int(mult[tab.cls == ALIGNED].sum()))
        out["deceptive"].append(int(mult[tab.cls == DECEPTIVE].sum()))
        out["proxy"].append(int(mult[tab.cls == PROXY].sum()))
        out["classes"].append(int((tab.cls != INCOMPATIBLE).sum()))
        last = tab
    if "is_deployed" not in last.layout.prim_index:
        raise InputError("the constraints experiment needs a primitive 'is_deployed' in its model")
    flag = last.desc[:, last.layout.prim_index["is_deployed"]] == 1
    dec = last.cls == DECEPTIVE
    data = {k: np.array(v, dtype=np.int64) for k, v in out.items()}
    data.update(m=np.arange(n_train + 1), off_distribution=off, max_size=max_size,
                total=int(last.multiplicity.sum()),
                deceptive_use_flag=int(last.multiplicity[dec & flag].sum()),
                episodes=[e.name for e in model.episodes if e.phase == "train"])
    return data


def draw(data, ax=None):
    """Survivors by number of checked training episodes, and the deceptive share.

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
    a = axes[0]
    a.bar(m, data["aligned"], color="#4C72B0", label="aligned survivors")
    a.bar(m, data["deceptive"], bottom=data["aligned"], color="#C44E52", label="deceptive survivors")
    a.bar(m, data["proxy"], bottom=data["aligned"] + data["deceptive"], color="#999999",
          label="proxy survivors (one non-base goal throughout)")
    a.plot(m, data["offdist_survive"], color="black", marker="o", ms=3,
           label="deceptive only off-distribution (survive every m)")
    a.set_xticks(m)
    a.set_xlabel("m, training episodes checked (of %d)" % (len(m) - 1))
    a.set_ylabel(f"training-compatible programs ≤ {data['max_size']} nodes")
    a.set_title(f"survivors of {data['total']} programs, by multiplicity")
    a.legend(loc="upper right")
    b = axes[1]
    b.plot(m, data["deceptive"] / data["compatible"], color="#C44E52", marker="o")
    b.set_xticks(m)
    b.set_ylim(0, 1)
    b.set_xlabel("m, training episodes checked")
    b.set_ylabel("deceptive fraction of survivors")
    b.set_title("deceptive share of the survivors")
    return fig


def compute(e: Entry) -> dict:
    """Read the entry's keys and compute the experiment's data.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``dense_sparse``) and ``max_size``.

    Returns
    -------
    dict
        :func:`constraint_counts` of the model.
    """
    model = e.model(default="dense_sparse")
    size = e.integer("max_size", 10, lo=2, hi=14)
    e.finish()  # every key read: reject typos before any work
    return constraint_counts(model, size, enumerate_classes)


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
    rows = [(int(m), data["compatible"][i], data["aligned"][i], data["deceptive"][i], data["proxy"][i],
             data["classes"][i], data["offdist_survive"][i]) for i, m in enumerate(data["m"])]
    return ("checked_episodes", "compatible", "aligned", "deceptive", "proxy", "compatible_classes",
            "offdist_deceptive_surviving"), rows


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
