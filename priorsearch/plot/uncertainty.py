"""The uncertainty figure: P(deceptive wins) against the exchange parameter with its 95%
band, next to a bar chart of the total Sobol indices (with their intervals).

Data function :func:`uncertainty_plot_data` (plain numbers from an UncertaintyResult),
draw function :func:`draw_uncertainty`; :func:`plot_uncertainty` chains them and
:func:`write_uncertainty_figure` saves through :mod:`priorsearch.plot.style`.
"""
from __future__ import annotations

__all__ = ["uncertainty_plot_data", "draw_uncertainty", "plot_uncertainty", "write_uncertainty_figure"]

from .colours import PALETTE
from .style import save_figure, style


def uncertainty_plot_data(result) -> dict:
    """What the figure shows, as plain lists.

    Parameters
    ----------
    result : UncertaintyResult

    Returns
    -------
    dict
        The bins over the exchange parameter (mid, p, interval), the overall probability
        and the Sobol indices sorted by total index.
    """
    p, lo, hi = result.p_deceptive()
    bins = [b for b in result.by_parameter() if b["n"]]
    sobol = sorted(result.sobol.items(), key=lambda kv: (-kv[1]["ST"], kv[0]))
    return {
        "parameter": result.bins_parameter, "log": result.log_bins,
        "x": [b["mid"] for b in bins], "p": [b["p"] for b in bins],
        "lo": [b["ci95"][0] for b in bins], "hi": [b["ci95"][1] for b in bins],
        "overall": (p, lo, hi), "draws": result.draws,
        "sobol_names": [k for k, _ in sobol], "ST": [v["ST"] for _, v in sobol],
        "ST_ci": [v["ST_ci"] for _, v in sobol], "S1": [v["S1"] for _, v in sobol],
    }


def draw_uncertainty(data: dict, fig=None, axes=None, title=None):
    """Draw :func:`uncertainty_plot_data` output.

    Parameters
    ----------
    data : dict
        What :func:`uncertainty_plot_data` returns.
    fig : matplotlib Figure or None
        An empty figure to draw a new pair of axes into (None: a new figure).
    axes : (Axes, Axes) or None
        Draw into these instead (left: P(deceptive) against g, right: Sobol indices).
    title : str or None
        Title of the left axes (default: the number of draws).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if axes is not None:
        left, right = axes
        fig = left.figure
    else:
        if fig is None:
            fig = plt.figure(figsize=(10.0, 4.2))
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1.0]})
    p, lo, hi = data["overall"]
    if data["x"]:
        left.fill_between(data["x"], data["lo"], data["hi"], color=PALETTE[1], alpha=0.3, lw=0, label="95% interval")
        left.plot(data["x"], data["p"], "o-", color=PALETTE[1], ms=3, label="P(deceptive wins | bin)")
        if data["log"]:
            left.set_xscale("log")
        left.set_xlabel(data["parameter"])
    else:
        left.set_xticks([])
        left.set_xlabel("(the exchange parameter is not uncertain)")
    left.axhline(p, color=PALETTE[7], ls="--", lw=1, label=f"overall {p:.3f} [{lo:.3f}, {hi:.3f}]")
    left.set_ylim(-0.02, 1.02)
    left.set_ylabel("P(a deceptive program wins)")
    left.legend(loc="best", fontsize="small")
    left.set_title(title or f"{data['draws']:,} draws")
    names = data["sobol_names"]
    if names:
        ys = list(range(len(names)))
        err = [[max(0.0, st - ci[0]) for st, ci in zip(data["ST"], data["ST_ci"])],
               [max(0.0, ci[1] - st) for st, ci in zip(data["ST"], data["ST_ci"])]]
        right.barh(ys, data["ST"], height=0.6, xerr=err, color=PALETTE[0], capsize=3, label="total (ST)")
        right.plot(data["S1"], ys, "k|", ms=12, label="first order (S1)")
        right.set_yticks(ys, names)
        right.invert_yaxis()
        right.set_xlim(0, max(1.05, max(data["ST"]) + 0.05))
        right.legend(loc="lower right", fontsize="small")
    else:
        right.text(0.5, 0.5, "no Sobol indices", ha="center", va="center", transform=right.transAxes)
        right.set_yticks([])
    right.set_xlabel("Sobol index of 'a deceptive program wins'")
    return fig


def plot_uncertainty(result, ax=None):
    """The figure of an :class:`~priorsearch.uncertainty.UncertaintyResult`.

    Parameters
    ----------
    result : UncertaintyResult
    ax : matplotlib Axes or None
        Its figure is used (the axes is replaced by the figure's pair); None: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = None
    if ax is not None:
        fig = ax.figure
        ax.remove()
    return draw_uncertainty(uncertainty_plot_data(result), fig)


def write_uncertainty_figure(result, path):
    """Draw ``result`` in the priorsearch style and save it atomically.

    Parameters
    ----------
    result : UncertaintyResult
    path : str or path-like
        ``.png``, ``.svg`` or ``.pdf``.

    Returns
    -------
    pathlib.Path
    """
    with style():
        fig = plot_uncertainty(result)
        return save_figure(fig, path)
