"""Drawing phase diagrams from :class:`~priorsearch.phase.sweep.PhaseData` (and nothing else).

:func:`plot_phase` colours the regions by winner (Okabe-Ito colour-blind-safe palette),
names each region, draws the exact tie curves on top and labels the axes with what the
parameters are.  In mass mode the colour is the deceptive share of prior mass, with
contours.  Save with :func:`priorsearch.plot.style.save_figure` inside
:func:`priorsearch.plot.style.style` for byte-identical files.
"""
from __future__ import annotations

__all__ = ["plot_phase", "PALETTE"]

import textwrap

import numpy as np

from ..exchange import EXCHANGES
from .colours import PALETTE, PROXY_PALETTE, TEMPLATE_COLOURS, TIE_STYLES



def _edges(values, log):
    """Cell edges halfway between grid values; the outer edges are the axis ends, so the
    plot never shows values outside LO..HI (a coarse grid would otherwise draw, e.g., a
    negative g or time)."""
    v = np.log10(values) if log else np.asarray(values, dtype=float)
    mids = (v[1:] + v[:-1]) / 2
    e = np.concatenate([[v[0]], mids, [v[-1]]])
    return 10 ** e if log else e


def _plain(value, _pos=None):
    return f"{value:g}"


def _count(value, _pos=None):
    """A tick of a count axis (K): whole numbers up to 10^4, powers of ten above."""
    if value < 1e4:
        return f"{value:g}"
    if not np.isfinite(value):  # a locator's tick beyond the float range (K near 2^1023)
        return ""
    exponent = np.log10(value)
    return f"$10^{{{exponent:.0f}}}$" if abs(exponent - round(exponent)) < 1e-9 else f"{value:.0e}"


def _format_axis(axis, log, count=False):
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    class FiniteLogLocator(LogLocator):
        """LogLocator without the ticks past the float range (an axis up to 2^1023 asks
        for 10^309, which overflows): the same ticks everywhere else."""

        def tick_values(self, vmin, vmax):
            with np.errstate(over="ignore"):
                ticks = super().tick_values(vmin, vmax)
            return ticks[np.isfinite(ticks)]

    if log:
        axis.set_major_locator(FiniteLogLocator(base=10))
        axis.set_major_formatter(FuncFormatter(_count if count else _plain))
        axis.set_minor_formatter(NullFormatter())


def _colours(data):
    """Row -> colour: every row shown in the legend gets the next palette colour."""
    rows = sorted({int(r) for r in np.unique(data.winner) if r >= 0} |
                  {r for r in range(len(data.names)) if data.names[r]})
    wins = set(data.row_counts())
    rows.sort(key=lambda r: (r not in wins, r))  # winners first in the legend
    # the templates keep one colour in every figure (Hfh blue, Hsd orange, ...)
    colours = {r: TEMPLATE_COLOURS[data.names[r]] for r in rows if data.names[r] in TEMPLATE_COLOURS}
    # other proxies take the proxy colours first (a space without proxies: unchanged)
    proxy_free = [c for c in PROXY_PALETTE if c not in colours.values()]
    for r in rows:
        if r not in colours and data.classes[r] == "proxy" and proxy_free:
            colours[r] = proxy_free.pop(0)
    free = [c for c in PALETTE if c not in colours.values()]
    for r in rows:
        if r not in colours:
            colours[r] = free.pop(0) if free else PALETTE[r % len(PALETTE)]
    return colours, rows


def _legend_text(data, r) -> str:
    """A row's legend entry: its name, with ``(proxy)`` for a proxy (the templates'
    labels, Hfh, Hsd, ..., already say aligned or deceptive; the post's model has no proxy,
    so its legends are unchanged)."""
    text = data.legend_label(r)
    return f"{text} (proxy)" if data.classes[r] == "proxy" else text


def _label_position(mask, xe, ye, log_x, log_y):
    """The cell of a region farthest from its edge (where a label fits best)."""
    from scipy.ndimage import distance_transform_edt

    padded = np.pad(mask, 1)
    dist = distance_transform_edt(padded)[1:-1, 1:-1]
    iy, ix = np.unravel_index(int(np.argmax(dist)), mask.shape)
    cx = np.sqrt(xe[ix] * xe[ix + 1]) if log_x else (xe[ix] + xe[ix + 1]) / 2
    cy = np.sqrt(ye[iy] * ye[iy + 1]) if log_y else (ye[iy] + ye[iy + 1]) / 2
    return cx, cy, dist[iy, ix]


#: level -> (colour, dash) of the deceptive-share contours: each its own style, so the
#: legend says which is which (light on the dark low end of the colour map)
_SHARE_LEVELS = {0.1: ("#BBBBBB", "dotted"), 0.5: ("black", "dashed"), 0.9: ("black", "dashdot")}


def _unit(values, lo, hi, log):
    """Positions in 0..1 along an axis (log10 on log axes): for distances between labels."""
    if log:
        return (np.log10(values) - np.log10(lo)) / max(np.log10(hi) - np.log10(lo), 1e-300)
    return (np.asarray(values) - lo) / max(hi - lo, 1e-300)


def _share_contours(ax, data, share, handles):
    """Contours of the deceptive share at 0.1, 0.5 and 0.9, one label each placed on its
    own curve as far as possible from the other labels, and a legend entry per level."""
    from matplotlib.lines import Line2D

    finite = np.isfinite(share)
    if not finite.any():
        return
    gx, gy = np.meshgrid(data.x_values, data.y_values)
    z = np.where(finite, share, np.nan)
    placed = []
    for level, (colour, dash) in _SHARE_LEVELS.items():
        if not (np.nanmin(share) < level < np.nanmax(share)):
            continue
        cs = ax.contour(gx, gy, z, levels=[level], colors=[colour], linewidths=1.3, linestyles=[dash])
        segments = [seg for seg in cs.allsegs[0] if len(seg) >= 2]
        if not segments:
            continue
        handles.append(Line2D([], [], color=colour, lw=1.3, ls=dash, label=f"deceptive share = {level:g}"))
        seg = max(segments, key=len)
        u = np.column_stack([_unit(seg[:, 0], data.x.lo, data.x.hi, data.x.log),
                             _unit(seg[:, 1], data.y.lo, data.y.hi, data.y.log)])
        inner = slice(len(seg) // 10, max(len(seg) - len(seg) // 10, len(seg) // 10 + 1))
        if placed:
            far = np.min([np.hypot(*(u[inner] - p).T) for p in placed], axis=0)
            k = inner.start + int(np.argmax(far))
        else:
            k = len(seg) // 2  # the middle of the curve
        placed.append(u[k])
        ax.clabel(cs, fmt="%.1f", fontsize=8, manual=[tuple(seg[k])], inline=True)


def plot_phase(data, ax=None):
    """Draw a phase diagram; returns the Figure.

    Parameters
    ----------
    data : PhaseData
    ax : matplotlib Axes, optional
        Drawn into a new figure when omitted.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if ax is None:
        fig, ax = plt.subplots(figsize=(7.4, 6.2))
    else:
        fig = ax.figure
    xe, ye = _edges(data.x_values, data.x.log), _edges(data.y_values, data.y.log)
    colours, rows = _colours(data)
    handles = []
    mass = data.mode == "mass" and data.log2_mass is not None
    if mass:
        share = data.deceptive_share
        mesh = ax.pcolormesh(xe, ye, np.ma.masked_invalid(share), cmap="cividis", vmin=0.0, vmax=1.0,
                             shading="flat", rasterized=True)
        bar = fig.colorbar(mesh, ax=ax, pad=0.02)
        bar.set_label(_share_label(data))
        _share_contours(ax, data, share, handles)
    else:
        # winner rows -> consecutive colour indices (-1, no eligible program: white)
        index = {r: i for i, r in enumerate(rows)}
        grid = np.vectorize(lambda r: index.get(int(r), -1), otypes=[float])(data.winner)
        cmap = ListedColormap([colours[r] for r in rows] or ["white"])
        norm = BoundaryNorm(np.arange(-0.5, max(len(rows), 1) + 0.5), cmap.N)
        ax.pcolormesh(xe, ye, np.ma.masked_less(grid, 0), cmap=cmap, norm=norm, shading="flat",
                      alpha=0.85, rasterized=True, edgecolors="none")
        counts = data.row_counts()
        for r in rows:
            wins = r in counts
            what = _legend_text(data, r) + ("" if wins else " (never wins here)")
            if wins:
                handles.append(Patch(facecolor=colours[r], alpha=0.85, label=what))
            else:
                handles.append(Patch(facecolor="none", edgecolor=colours[r], hatch="///", label=what))
            if wins:
                cx, cy, depth = _label_position(data.winner == r, xe, ye, data.x.log, data.y.log)
                if depth >= 3:
                    ax.text(cx, cy, data.legend_label(r), ha="center", va="center",
                            fontsize=11, fontweight="bold", color="black",
                            bbox=dict(boxstyle="round,pad=0.25", facecolor="white", alpha=0.8, linewidth=0))
        if -1 in counts:
            handles.append(Patch(facecolor="white", edgecolor="0.5", label="no eligible program"))
    if (np.asarray(data.winner) < 0).all():  # an empty or all-incompatible program space
        why = ("no program is training-compatible" if not any(c != "incompatible" for c in data.classes)
               else "no compatible program has a finite score here")
        ax.text(0.5, 0.5, f"no winner anywhere in this plane:\n{why}", transform=ax.transAxes,
                ha="center", va="center", fontsize=12, color="0.25",
                bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="0.5"))
    for k, tie in enumerate(data.ties):
        a, b = data.labels[tie["a"]] or data.display_name(tie["a"]), data.labels[tie["b"]] or data.display_name(tie["b"])
        # each tie its own colour and dash, so several curves can be told apart
        colour, dash = TIE_STYLES[k % len(TIE_STYLES)]
        for seg in tie["segments"]:
            ax.plot(seg[:, 0], seg[:, 1], color=colour, ls=dash, lw=1.8, solid_capstyle="butt")
        text = f"exact tie {a} = {b}"
        if tie.get("axis_tie"):
            text += f": {tie['axis_tie']}"
        handles.append(Line2D([], [], color=colour, ls=dash, lw=1.8, label=_wrap(text, 90)))
    point = data.metadata.get("model_point", {})
    px, py = point.get(data.x.name), point.get(data.y.name)
    if px is not None and py is not None and data.x.lo <= px <= data.x.hi and data.y.lo <= py <= data.y.hi:
        ax.plot([px], [py], marker="o", ms=6, mfc="white", mec="black", mew=1.5, ls="none")
        handles.append(Line2D([], [], marker="o", ms=6, mfc="white", mec="black", mew=1.5, ls="none",
                              label=f"the model's values ({data.x.name} = {px:g}, {data.y.name} = {py:g})"))
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    if data.x.log:
        ax.set_xscale("log")
    if data.y.log:
        ax.set_yscale("log")
    _format_axis(ax.xaxis, data.x.log, bool(getattr(data.x, "whole", ())))
    _format_axis(ax.yaxis, data.y.log, bool(getattr(data.y, "whole", ())))
    ax.set_xlabel(data.x.label or data.x.name)
    ax.set_ylabel(data.y.label or data.y.name)
    meta = data.metadata
    ex = meta.get("exchange", {})
    exname = ex.get("name", "")
    fixed = ", ".join(f"{k} = {v:g}" for k, v in ex.items() if k != "name")
    what = "Deceptive share of prior mass" if mass else "Which program the prior favours"
    title = f"{what}: model {meta.get('model', '')}, {_exchange_title(exname)}"
    axes_names = [a.get("name") for a in meta.get("axes", {}).values()]
    if "loss_price" in ex or "loss_price" in axes_names:  # a finite loss price is in play
        title = title[:-1] + " + loss_price·L)" if title.endswith(")") else title + " (+ loss_price·L)"
    if fixed:
        title += f", {fixed}"
    space = meta.get("space", "")
    sub = "space: the templates" if space == "templates" else f"space: every program up to {meta.get('max_size')} nodes"
    params = meta.get("params", {})
    if params:
        sub += "; other parameters: " + ", ".join(f"{k} = {v:g}" for k, v in params.items())
    ax.set_title(_wrap(title, 100) + "\n" + _wrap(sub, 100), fontsize=9)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, frameon=False)
    fig.tight_layout()
    return fig


def _share_label(data) -> str:
    """What the mass colour is a share of: the compatible programs (at a finite loss
    price, every competing one), proxies included when the space has them."""
    ex = data.metadata.get("exchange", {})
    priced = "loss_price" in ex or "loss_price" in [a.get("name") for a in data.metadata.get("axes", {}).values()]
    whose = "competing programs" if priced else "compatible programs"
    if "proxy" in data.mass_classes:
        whose += ", proxies included"
    return f"deceptive share of prior mass ({whose})"


def _wrap(text, width):

    return "\n".join(textwrap.wrap(text, width)) or text


def _exchange_title(name) -> str:
    """``linear exchange (score g·c + t)`` for a registered family (its own words for its
    score); a custom exchange (a user function, unknown to the registry) is called that,
    with its name when it has one."""
    cls = EXCHANGES.get(name)
    if cls is not None and cls.score_label:
        return f"{name} exchange ({cls.score_label})"
    if cls is not None:
        return f"{name} exchange"
    return "a custom exchange" if name in ("", "custom") else f"custom exchange {name!r}"
