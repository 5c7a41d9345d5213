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

__all__ = [
    "Entry", "Axis", "parse_axis", "load_model", "template_table", "template_totals", "winners",
    "winner_grid", "labels_of", "linear_score", "levin_score", "tie_linear", "tie_levin", "runs",
    "runs_text", "csv_text", "entry_data", "write_outputs", "LABEL_COLORS", "draw_winner_map", "new_axes",
]

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..exchange.families import TIE_RTOL
from ..features.table import FeatureTable
from ..plot.style import save_figure, style
from ..features.layout import Layout
from ..model.cost_model import CostModel, suggest
from ..outputs import atomic_write_text
from ..scoring.rank import resolve_programs
from ..features.semantics import evaluate
from ..lang.templates import template

#: keys every entry may carry besides its kind-specific ones
COMMON_KEYS = ("name", "kind", "out", "data", "caption")


# --------------------------------------------------------------------------- entry keys

class Entry:
    """Typed, checked access to one ``[[figure]]`` table of analysis/figures.toml.

    Every getter records the key as known; :meth:`finish` rejects any key nobody asked
    for, so a typo is an error naming it rather than a silently ignored option.
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

    def axis(self, key, default, parameter=None) -> "Axis":
        """An axis ``"NAME=LO:HI:N[:log]"``; ``parameter`` fixes NAME when given."""
        value = self.get(key, default)
        if not isinstance(value, str):
            raise InputError(f"{self._where(key)} must be a string 'NAME=LO:HI:N[:log]', got {value!r}")
        try:
            ax = parse_axis(value)
        except InputError as exc:
            raise InputError(f"{self._where(key)}: {exc.message}") from None
        if parameter is not None and ax.name != parameter:
            raise InputError(f"{self._where(key)} must sweep {parameter}, got {ax.name!r}")
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


@dataclass(frozen=True)
class Axis:
    name: str
    lo: float
    hi: float
    n: int
    log: bool

    @property
    def values(self) -> np.ndarray:
        # the values of priorsearch.phase.sweep.Axis, so a grid here and a phase diagram on
        # the same axis spec share every point
        from ..phase.sweep import axis_values

        return axis_values(self.lo, self.hi, self.n, self.log)


def parse_axis(text: str) -> Axis:
    """``"NAME=LO:HI:N[:log]"`` (the phase command's axis syntax)."""
    name, sep, rest = text.partition("=")
    parts = rest.split(":")
    if not sep or not name.strip() or len(parts) not in (3, 4) or (len(parts) == 4 and parts[3] != "log"):
        raise InputError(f"axis {text!r}: expected NAME=LO:HI:N or NAME=LO:HI:N:log")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise InputError(f"axis {text!r}: LO and HI must be numbers and N an integer") from None
    log = len(parts) == 4
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or not 2 <= n <= 2001:
        raise InputError(f"axis {text!r}: need finite LO < HI and 2 <= N <= 2001")
    if log and lo <= 0:
        raise InputError(f"axis {text!r}: a log axis needs LO > 0")
    return Axis(name.strip(), lo, hi, n, log)


def load_model(value: str) -> CostModel:
    """A model by packaged name (``post``, ``goal_table``, ...; see programs/) or by path.

    A value with a ``/`` or ending in ``.toml`` is a path; otherwise it names a model
    shipped in priorsearch/data (and linked from programs/), so ``priorsearch figures``
    works from any directory and from an installed package.
    """
    if "/" in value or value.endswith(".toml"):
        return CostModel.load(value)
    res = resources.files("priorsearch").joinpath(f"data/{value}.toml")
    if not res.is_file():
        shipped = sorted(p.name[:-5] for p in resources.files("priorsearch").joinpath("data").iterdir()
                         if p.name.endswith(".toml"))
        raise InputError(f"no packaged model {value!r}{suggest(value, shipped)}; give a path to a .toml file or one of {', '.join(shipped)}")
    from ..model.toml_format import loads_model

    return loads_model(res.read_text(encoding="utf-8"), path=f"programs/{value}.toml")


# ------------------------------------------------------------------ template sweeps

def template_table(model: CostModel, names) -> FeatureTable:
    """Features of packaged templates under ``model`` (one row each, in order)."""
    definitions = resolve_programs([template(n) for n in names], model)
    layout = Layout(model)
    return FeatureTable.from_features(
        [evaluate(d.program, layout) for d in definitions], layout,
        names=[d.name for d in definitions], labels=[d.label for d in definitions],
        sources=[str(d.program) for d in definitions])


def template_totals(table: FeatureTable, points=None):
    """(c, t) of every row at K parameter points: arrays of shape (n, K)."""
    costs = table.layout.cost_arrays(points)
    c, t, _ = table.totals(costs)
    return c, t


def winners(score, c, t, size, eligible) -> np.ndarray:
    """Winner row per column of ``score`` (n, K) by the tie rule of priorsearch.exchange.families.

    Lowest score among eligible, finite rows; scores within TIE_RTOL of the best tie and
    are broken by smaller c, then smaller t, then fewer nodes, then the earlier row.
    -1 where no row is eligible.  Vectorised version of :func:`priorsearch.exchange.families.order`.
    """
    score = np.asarray(score, dtype=float)
    n, K = score.shape
    c = np.broadcast_to(np.asarray(c, dtype=float), (n, K))
    t = np.broadcast_to(np.asarray(t, dtype=float), (n, K))
    size = np.broadcast_to(np.asarray(size, dtype=float).reshape(n, 1), (n, K))
    ok = np.broadcast_to(np.asarray(eligible, dtype=bool).reshape(n, -1), (n, K)) & np.isfinite(score)
    s = np.where(ok, score, np.inf)
    best = s.min(axis=0)
    finite = np.isfinite(best)
    with np.errstate(invalid="ignore"):
        tied = ok & (np.abs(s - best) <= TIE_RTOL * np.maximum(1.0, np.maximum(np.abs(s), np.abs(best))))
    for key in (c, t, size):
        k = np.where(tied, key, np.inf)
        tied &= k == k.min(axis=0)
    out = np.argmax(tied, axis=0)
    return np.where(finite, out, -1)


def tie_linear(c, t, a: int, b: int) -> np.ndarray:
    """g at which rows a and b tie under linear g·c + t: (t_b − t_a)/(c_a − c_b).

    With a the faster, longer program (Hfh) and b the slower, shorter one (Hsd), a wins
    below this g and b above it.  NaN where c_a == c_b; a non-positive value means one
    program wins at every g > 0 (the caller says which).
    """
    dc = c[a] - c[b]
    dt = t[b] - t[a]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dc != 0, dt / np.where(dc != 0, dc, 1.0), np.nan)


def tie_levin(c, t, a: int, b: int) -> np.ndarray:
    """λ at which rows a and b tie under Levin c + λ·log2 t: (c_a − c_b)/log2(t_b/t_a)."""
    lr = np.log2(t[b] / t[a])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(lr != 0, (c[a] - c[b]) / np.where(lr != 0, lr, 1.0), np.nan)


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
    """(first x, label) of each run of equal labels along a line: a compact winner map."""
    out = []
    for x, label in zip(xs, labels):
        if not out or out[-1][1] != label:
            out.append((float(x), str(label)))
    return out


def runs_text(xs, labels) -> str:
    """``x0:label;x1:label;...`` — where along the line each winner takes over."""
    return ";".join(f"{x!r}:{label}" for x, label in runs(xs, labels))


def csv_text(header, rows) -> str:
    """CSV with exact, deterministic number formatting (repr of floats)."""
    lines = [",".join(header)]
    lines += [",".join(_cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def entry_data(compute, entry: Entry) -> dict:
    """``compute(entry)``, then reject keys nobody read (a typo is an error, not a no-op).

    Each ``compute`` also calls :meth:`Entry.finish` itself once it has read its keys,
    so a typo fails before an enumeration runs; this second check guards new modules.
    """
    data = compute(entry)
    entry.finish()
    return data


def write_outputs(entry: Entry, out_dir, compute, draw, table) -> list[Path]:
    """Compute the data, draw the figure in the priorsearch style, write it and the CSV.

    Every key and output name is checked before anything is written.
    """
    fig_path, csv_path = entry.outputs(out_dir)
    data = entry_data(compute, entry)
    header, rows = table(data)
    text = csv_text(header, rows)
    with style():
        fig = draw(data)
        save_figure(fig, fig_path)
    atomic_write_text(csv_path, text)
    return [fig_path, csv_path]


# ---------------------------------------------------------------------------- drawing

#: one colour per program label, the same in every figure (the templates' colours of
#: priorsearch.plot.phase, so the post's diagram and the experiments agree)
LABEL_COLORS = {
    "Hfh": "#0072B2", "Hsd": "#E69F00", "Hfd": "#D55E00", "Hhyb": "#CC79A7",
    "Henv": "#009E73", "none": "#DDDDDD", "other aligned": "#56B4E9", "other deceptive": "#F0E442",
}


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
    if log:
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
    return g * c + t


def levin_score(c, t, lam):
    with np.errstate(divide="ignore"):
        return c + lam * np.log2(t)
