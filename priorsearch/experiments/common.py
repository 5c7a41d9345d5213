"""Shared pieces of the analysis experiments: entry keys, template sweeps, winners, output.

Every experiment module follows one pattern (STYLE.md, "figures"):

* pure data function(s) returning arrays and dicts, unit-tested on their numbers;
* ``draw(data, ax=None) -> Figure``, drawn from the data only;
* ``make_figure(entry, out_dir) -> list[Path]``: reads the entry's keys (an unknown or
  bad key is an :class:`~priorsearch.errors.InputError` naming it), computes the data,
  writes the figure (PNG) and a CSV of the data, and returns the paths written.

Nothing is written before every key has been checked and the data computed, so a bad
entry leaves no partial output.
"""
from __future__ import annotations

# public: what tests and the figures pipeline use; the sweep and drawing helpers (winner_grid,
# labels_of, *_score, tie_*, runs_text, draw_winner_map, new_axes) serve the experiments only
__all__ = [
    "Entry", "Axis", "parse_axis", "load_model", "template_table", "template_totals", "winners",
    "runs", "csv_text", "entry_data", "LABEL_COLORS",
]

import math
from pathlib import Path

import numpy as np

from ..errors import InputError, suggest
from ..exchange import Levin, Linear, winners_by_column
from ..features.table import FeatureTable
from ..lang.templates import template
from ..model.cost_model import CostModel
from ..model.resolve import resolve_packaged_model
from ..phase import Axis, parse_axis_spec
from ..plot.colours import LABEL_COLORS
from ..space.templates import template_table as space_template_table

#: the most points an experiment axis may have (each point is a full evaluation)
MAX_AXIS_POINTS = 2001
#: keys every entry may carry besides its kind-specific ones
COMMON_KEYS = ("name", "kind", "out", "data", "caption")


# --------------------------------------------------------------------------- entry keys

class Entry:
    """Typed, checked access to one ``[[figure]]`` table of analysis/figures.toml.

    Every getter records the key as known; :meth:`finish` rejects any key nobody asked
    for, so a typo is an error naming it rather than a silently ignored option.

    Parameters
    ----------
    entry : dict
        The table (it must have a non-empty string ``name``).
    kind : str
        The experiment kind, named in error messages.
    """

    def __init__(self, entry: dict, kind: str):
        if not isinstance(entry, dict):
            raise InputError(f"figure entry of kind {kind!r} must be a table")
        self.raw = entry
        self.kind = kind
        self.known = set(COMMON_KEYS)
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise InputError(f"figure entry of kind {kind!r}: key 'name' must be a non-empty string")
        self.name = name

    def _where(self, key) -> str:
        return f"figure {self.name!r} (kind {self.kind}): key {key!r}"

    def get(self, key, default=None):
        self.known.add(key)
        return self.raw.get(key, default)

    def number(self, key, default, lo=None, hi=None, positive=False) -> float:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"{self._where(key)} must be a finite number, got {value!r}")
        value = float(value)
        if (lo is not None and value < lo) or (hi is not None and value > hi) or (positive and value <= 0):
            bounds = "> 0" if positive else f"in [{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
            raise InputError(f"{self._where(key)} = {value:g} must be {bounds}")
        return value

    def integer(self, key, default, lo=None, hi=None) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{self._where(key)} must be an integer, got {value!r}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise InputError(f"{self._where(key)} = {value} must be between {lo} and {hi}")
        return value

    def numbers(self, key, default, positive=False) -> list[float]:
        value = self.get(key, default)
        if not isinstance(value, list) or not value:
            raise InputError(f"{self._where(key)} must be a non-empty list of numbers, got {value!r}")
        out = []
        for v in value:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or (positive and v <= 0):
                raise InputError(f"{self._where(key)}: {v!r} is not a {'positive ' if positive else ''}finite number")
            out.append(float(v))
        return out

    def string(self, key, default, choices=None) -> str:
        value = self.get(key, default)
        if not isinstance(value, str):
            raise InputError(f"{self._where(key)} must be a string, got {value!r}")
        if choices is not None and value not in choices:
            raise InputError(f"{self._where(key)} = {value!r} is not one of {', '.join(choices)}{suggest(value, choices)}")
        return value

    def axis(self, key, default, parameter=None, positive=False) -> "Axis":
        """An axis ``"NAME=LO:HI:N[:log]"``; ``parameter`` fixes NAME when given;
        ``positive``: every value must be > 0 (a budget, a count, a multiplier)."""
        value = self.get(key, default)
        if not isinstance(value, str):
            raise InputError(f"{self._where(key)} must be a string 'NAME=LO:HI:N[:log]', got {value!r}")
        try:
            ax = parse_axis(value)
        except InputError as exc:
            raise InputError(f"{self._where(key)}: {exc.message}") from None
        if parameter is not None and ax.name != parameter:
            raise InputError(f"{self._where(key)} must sweep {parameter}, got {ax.name!r}")
        if positive and ax.lo <= 0:
            raise InputError(f"{self._where(key)} = {value!r}: {ax.name} must be > 0 (start the axis above 0)")
        return ax

    def model(self, key="model", default="post") -> CostModel:
        value = self.string(key, default)
        try:
            return load_model(value)
        except InputError as exc:
            raise InputError(f"{self._where(key)}: {exc.message}") from None

    def programs(self, key, default) -> list[str]:
        value = self.get(key, default)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise InputError(f"{self._where(key)} must be a non-empty list of template names")
        for v in value:
            try:
                template(v)
            except InputError as exc:
                raise InputError(f"{self._where(key)}: {exc.message}") from None
        return list(value)

    def outputs(self, out_dir) -> tuple[Path, Path]:
        """(figure path, CSV path): keys ``out`` and ``data`` (as in kind ``phase``),
        default ``NAME.png`` and ``NAME.csv``; a one-element list is accepted too."""
        fig = self.raw.get("out", f"{self.name}.png")
        data = self.raw.get("data", f"{self.name}.csv")
        fig = fig[0] if isinstance(fig, list) and len(fig) == 1 else fig
        data = data[0] if isinstance(data, list) and len(data) == 1 else data
        for key, value, ext in (("out", fig, (".png", ".svg", ".pdf")), ("data", data, (".csv",))):
            if not isinstance(value, str) or Path(value).name != value or Path(value).suffix.lower() not in ext:
                raise InputError(f"{self._where(key)} must be a plain file name ending in {' or '.join(ext)}, got {value!r}")
        out = Path(out_dir)
        if not out.is_dir():
            raise InputError(f"output directory {str(out)!r} does not exist")
        return out / fig, out / data

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.known)
        if unknown:
            key = unknown[0]
            raise InputError(f"figure {self.name!r} (kind {self.kind}): unknown key {key!r}{suggest(key, sorted(self.known))}")


def parse_axis(text: str) -> Axis:
    """``"NAME=LO:HI:N[:log]"``: the phase command's axis syntax and parser
    (:func:`priorsearch.phase.parse_axis_spec`), with the experiments' size bound.

    Parameters
    ----------
    text : str
        The axis spec; N may not exceed ``MAX_AXIS_POINTS``.
    """
    ax = parse_axis_spec(text, "axis")
    if ax.n > MAX_AXIS_POINTS:
        raise InputError(f"axis {text!r}: N = {ax.n} exceeds {MAX_AXIS_POINTS} points per experiment axis")
    return ax


def load_model(value: str) -> CostModel:
    """A model by packaged name (``post``, ``goal_table``, ...) or by path
    (:func:`priorsearch.model.resolve_packaged_model`).

    Parameters
    ----------
    value : str
        The name or path.
    """
    return resolve_packaged_model(value)


# ------------------------------------------------------------------ template sweeps

def template_table(model: CostModel, names) -> FeatureTable:
    """Features of packaged templates under ``model`` (one row each, in order).

    Parameters
    ----------
    model : CostModel
    names : iterable of str
        Template names (``honest``, ``simple_deceptive``, ...).
    """
    return space_template_table(model, [template(n) for n in names])


def template_totals(table: FeatureTable, points=None):
    """(c, t) of every row at K parameter points: arrays of shape (n, K).

    Parameters
    ----------
    table : FeatureTable
    points : dict or None
        Parameter name -> (K,) values; None is the model's own point (K = 1).
    """
    costs = table.layout.cost_arrays(points)
    c, t, _ = table.totals(costs)
    return c, t


def winners(score, c, t, size, eligible) -> np.ndarray:
    """Winner row per column of ``score`` (n, K) by the one tie rule
    (:func:`priorsearch.exchange.winners_by_column`); -1 where no row is eligible.

    Parameters
    ----------
    score, c, t, size, eligible : arrays
        As :func:`priorsearch.exchange.winners_by_column` takes them.
    """
    return winners_by_column(score, c, t, size, eligible)[0]


def tie_linear(c, t, a: int, b: int) -> np.ndarray:
    """g at which rows a and b tie under linear g·c + t (:meth:`Linear.tie_value`)."""
    return Linear.tie_value(c[a], t[a], c[b], t[b])


def tie_levin(c, t, a: int, b: int) -> np.ndarray:
    """λ at which rows a and b tie under Levin c + λ·log2 t (:meth:`Levin.tie_value`)."""
    return Levin.tie_value(c[a], t[a], c[b], t[b])


# --------------------------------------------------------------------------- output

def _cell(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)  # shortest round-trip form: deterministic and exact
    text = str(value)
    if any(ch in text for ch in ',"\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def runs(xs, labels) -> list:
    """(first x, label) of each run of equal labels along a line: a compact winner map.

    Parameters
    ----------
    xs, labels : sequences of equal length
        Positions along the line and the winner label at each.
    """
    out = []
    for x, label in zip(xs, labels):
        if not out or out[-1][1] != label:
            out.append((float(x), str(label)))
    return out


def runs_text(xs, labels) -> str:
    """``x0:label;x1:label;...`` — where along the line each winner takes over."""
    return ";".join(f"{x!r}:{label}" for x, label in runs(xs, labels))


def csv_text(header, rows) -> str:
    """CSV with exact, deterministic number formatting (repr of floats).

    Parameters
    ----------
    header : sequence of str
    rows : iterable of sequences
        Cells: bools as 0/1, floats by repr (``nan``, ``inf``), text quoted when needed.
    """
    lines = [",".join(header)]
    lines += [",".join(_cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def entry_data(compute, entry: Entry) -> dict:
    """``compute(entry)``, then reject keys nobody read (a typo is an error, not a no-op).

    Each ``compute`` also calls :meth:`Entry.finish` itself once it has read its keys,
    so a typo fails before an enumeration runs; this second check guards new modules.

    Parameters
    ----------
    compute : callable
        An experiment's ``compute(entry) -> dict``.
    entry : Entry
    """
    data = compute(entry)
    entry.finish()
    return data


# ---------------------------------------------------------------------------- drawing



def draw_winner_map(ax, xs, ys, labels_grid, *, xlog=False, ylog=False, xlabel="", ylabel="", title=""):
    """Categorical map of winner labels (array of str, shape (len(ys), len(xs)))."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    present = [l for l in LABEL_COLORS if (labels_grid == l).any()]
    extra = sorted(set(np.unique(labels_grid)) - set(present))
    present += extra
    index = {l: i for i, l in enumerate(present)}
    codes = np.vectorize(index.__getitem__, otypes=[int])(labels_grid)
    cmap = ListedColormap([LABEL_COLORS.get(l, "#999999") for l in present])
    # a log scale only where every value is > 0 (a valid linear axis may start at 0)
    xlog = xlog and bool((np.asarray(xs, dtype=float) > 0).all())
    ylog = ylog and bool((np.asarray(ys, dtype=float) > 0).all())
    ax.pcolormesh(_edges(xs, xlog), _edges(ys, ylog), codes, cmap=cmap, vmin=-0.5,
                  vmax=len(present) - 0.5, shading="flat", rasterized=True)
    if xlog:
        ax.set_xscale("log")
    if ylog:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(handles=[Patch(color=LABEL_COLORS.get(l, "#999999"), label=l) for l in present],
              loc="upper left", framealpha=0.9)


def _edges(values, log):
    v = np.asarray(values, dtype=float)
    if log and (v > 0).all():  # a linear axis through 0 is drawn linearly
        lv = np.log(v)
        mid = (lv[1:] + lv[:-1]) / 2
        return np.exp(np.concatenate([[lv[0] - (mid[0] - lv[0])], mid, [lv[-1] + (lv[-1] - mid[-1])]]))
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def new_axes(ax=None, ncols=1, figsize=None):
    """A figure and its axes (a list), or the given axes' figure."""
    import matplotlib.pyplot as plt

    if ax is not None:
        axes = list(np.atleast_1d(ax))
        return axes[0].figure, axes
    fig, axes = plt.subplots(1, ncols, figsize=figsize or (5.0 * ncols, 4.2), constrained_layout=True)
    return fig, list(np.atleast_1d(axes))


def winner_grid(table: FeatureTable, score, xs, y_name, ys, eligible=None):
    """Winner row at every (y, x) of a grid: shape (len(ys), len(xs)), -1 for none.

    ``score(c, t, x)`` broadcasts: c and t have shape (n, len(ys), 1), x (1, 1, len(xs)).
    Costs are evaluated once per y (the x axis is an exchange parameter).
    """
    c, t = template_totals(table, {y_name: np.asarray(ys, dtype=float)})
    n, ny, nx = len(table), len(ys), len(xs)
    x = np.asarray(xs, dtype=float).reshape(1, 1, nx)
    s = np.broadcast_to(score(c[:, :, None], t[:, :, None], x), (n, ny, nx)).reshape(n, ny * nx)
    cc = np.broadcast_to(c[:, :, None], (n, ny, nx)).reshape(n, -1)
    tt = np.broadcast_to(t[:, :, None], (n, ny, nx)).reshape(n, -1)
    ok = table.cls != 2 if eligible is None else eligible
    return winners(s, cc, tt, table.size, ok).reshape(ny, nx)


def labels_of(table: FeatureTable, index_grid) -> np.ndarray:
    """Winner labels ("none" where no program is eligible) for an index grid."""
    names = np.array(list(table.labels) + ["none"], dtype=object)
    return names[np.where(index_grid < 0, len(table), index_grid)]


def linear_score(c, t, g):
    """The linear exchange's score g·c + t (its own ufunc)."""
    return Linear().score(c, t, {"g": g})


def levin_score(c, t, lam):
    """The levin exchange's score c + λ·log2 t (its own ufunc)."""
    return Levin().score(c, t, {"lambda": lam})
