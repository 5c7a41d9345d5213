"""Experiment 11: P(a deceptive program wins) under a broad, stated prior over the costs.

Nobody knows the post's costs to within an order of magnitude, so each is given a
log-uniform prior spanning two to four decades around the worked example (the entry's
``prior`` table; C_M, C_K and T_M are shared by every mesaoptimizer and move no winner
under the linear exchange, so they stay at the example's values).  The experiment
reports, in the templates space (Hfh, Hsd, Hfd) and in the enumerated space (every
program of the DSL up to ``max_size`` nodes, which adds Henv and the rest):

* P(a deceptive program wins) with its 95% interval, and P(deceptive | g) in bins of g;
* the deceptive share of prior mass (mean and quantiles);
* first-order and total Sobol indices of "a deceptive program wins" for every cost,
  from SALib's Saltelli design — which assumption the probability hinges on.
"""
from __future__ import annotations

__all__ = ["compute", "table", "draw", "make_figure", "KIND", "DEFAULT_PRIOR"]

from ..errors import InputError
from ..plot.uncertainty import draw_uncertainty, uncertainty_plot_data
from ..uncertainty import uncertainty
from .common import Entry, new_axes
from .writing import figure_writer

KIND = "uncertainty"

#: the stated prior: log-uniform over wide ranges around the worked example (DESIGN 2.3)
DEFAULT_PRIOR = {
    "g": "loguniform(0.01, 100)",
    "C_B": "loguniform(1, 1000)", "C_S": "loguniform(0.1, 10)", "C_comb": "loguniform(0.1, 30)",
    "C_D": "loguniform(0.1, 30)", "C_ptr": "loguniform(0.1, 1000)",
    "T_B": "loguniform(0.1, 10)", "T_comb": "loguniform(0.1, 10)", "T_F": "loguniform(0.1, 100)",
    "T_MO": "loguniform(0.1, 100)", "T_D": "loguniform(0.01, 10)",
}
SPACES = ("templates", "enumerate")


def compute(e: Entry) -> dict:
    """Read the entry's keys and run the two uncertainty analyses.

    Parameters
    ----------
    e : Entry
        The ``[[figure]]`` entry; keys: ``model`` (default ``post``), ``prior`` (a table
        NAME = "SPEC", default :data:`DEFAULT_PRIOR`), ``draws``, ``seed``, ``sobol_n``
        and ``max_size`` (of the enumerated space).

    Returns
    -------
    dict
        ``prior``, ``draws``, ``max_size`` and, per space (``templates``, ``enumerate``),
        P(deceptive) with its interval, winners, mass share, Sobol indices, the top total
        index, the bins over g and the figure's data.
    """
    model = e.model(default="post")
    prior = e.get("prior", DEFAULT_PRIOR)
    if not isinstance(prior, dict) or not prior or not all(isinstance(v, str) for v in prior.values()):
        raise InputError(f"figure {e.name!r} (kind {KIND}): key 'prior' must be a table NAME = \"SPEC\"")
    draws = e.integer("draws", 20_000, lo=100, hi=10_000_000)
    seed = e.integer("seed", 0, lo=0)
    sobol_n = e.integer("sobol_n", 1024, lo=0, hi=1 << 20)
    max_size = e.integer("max_size", 7, lo=1, hi=12)
    e.finish()
    results = {}
    for space in SPACES:
        results[space] = uncertainty(model, dict(prior), draws=draws, seed=seed, space=space, max_size=max_size,
                                     sobol_n=sobol_n)
    out = {"prior": dict(prior), "draws": draws, "max_size": max_size}
    for space, r in results.items():
        p, lo, hi = r.p_deceptive()
        top = max(r.sobol.items(), key=lambda kv: (kv[1]["ST"], kv[0]))
        out[space] = {"p": p, "ci95": (lo, hi), "winners": r.winners(), "mass_share": r.mass_share(),
                      "sobol": r.sobol, "top": top[0], "bins": r.by_parameter(), "plot": uncertainty_plot_data(r)}
    return out


def table(data) -> tuple:
    """One row per reported number: (space, quantity, value, lo, hi).

    Parameters
    ----------
    data : dict
        What :func:`compute` returns.

    Returns
    -------
    tuple
        (header, rows) of the CSV written next to the figure.
    """
    rows = []
    for space in SPACES:
        d = data[space]
        rows.append((space, "P(deceptive wins)", d["p"], d["ci95"][0], d["ci95"][1]))
        for name, p in d["winners"].items():
            rows.append((space, f"P({name} wins)", p, "", ""))
        ms = d["mass_share"]
        rows.append((space, "deceptive mass share", ms["mean"], ms["q05"], ms["q95"]))
        for name in sorted(d["sobol"], key=lambda k: (-d["sobol"][k]["ST"], k)):
            s = d["sobol"][name]
            rows.append((space, f"ST({name})", s["ST"], s["ST_ci"][0], s["ST_ci"][1]))
            rows.append((space, f"S1({name})", s["S1"], s["S1_ci"][0], s["S1_ci"][1]))
        for b in d["bins"]:
            if b["n"]:
                rows.append((space, f"P(deceptive | g in [{b['lo']:.4g}, {b['hi']:.4g}])", b["p"],
                             b["ci95"][0], b["ci95"][1]))
    return ("space", "quantity", "value", "lo", "hi"), rows


def draw(data, ax=None):
    """P(deceptive | g) with its band and the total Sobol indices, one row per space.

    Parameters
    ----------
    data : dict
        What :func:`compute` returns; nothing else is read.
    ax : sequence of 4 matplotlib Axes or None
        Axes to draw into (two rows of two); None makes a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        import matplotlib.pyplot as plt

        fig, grid = plt.subplots(2, 2, figsize=(10.5, 8.0), constrained_layout=True,
                                 gridspec_kw={"width_ratios": [1.6, 1.0]})
        axes = list(grid.ravel())
    else:
        fig, axes = new_axes(ax)
        if len(axes) < 4:
            raise InputError("the uncertainty experiment draws into 4 axes (2 rows of 2)")
    for row, space in enumerate(SPACES):
        title = ("templates Hfh, Hsd, Hfd" if space == "templates"
                 else f"every program up to {data['max_size']} nodes")
        draw_uncertainty(data[space]["plot"], axes=(axes[2 * row], axes[2 * row + 1]),
                         title=f"{title}: {data['draws']:,} draws")
    return fig


#: write this experiment's figure and CSV for one ``[[figure]]`` entry
make_figure = figure_writer(KIND, compute, draw, table)
