"""PhaseData: a phase diagram as plain arrays and metadata, and its CSV and NPZ forms."""
from __future__ import annotations

__all__ = ["PhaseData", "write_data", "check_data_paths", "DATA_EXTENSIONS", "CLASS_LABELS"]

import io
import json
import math
import zipfile
from dataclasses import dataclass, field

import numpy as np

from ..features.semantics import CLASS_NAMES
from ..outputs import atomic_write_bytes, atomic_write_text, check_output_path
from .axes import Axis
from .frames import phase_dataframe, phase_dataset

DATA_EXTENSIONS = (".csv", ".npz")
#: class names by code (:data:`priorsearch.features.semantics.CLASS_NAMES`)
CLASS_LABELS = CLASS_NAMES


@dataclass
class PhaseData:
    """A phase diagram as data.  Grids have shape (len(y_values), len(x_values)).

    Attributes
    ----------
    x, y : Axis
        The swept parameters.
    x_values, y_values : float arrays
        Their grid values.
    winner, runner_up : int grids
        Row indices into ``names`` (-1: none).
    c, t, score : float grids
        The winner's totals and score (NaN where no program is eligible).
    margin : float grid
        Runner-up's score minus the winner's (inf without a runner-up).
    log2_mass : (n_classes, ny, nx) float array or None
        log2 prior mass of each class in ``mass_classes`` (mass mode: aligned,
        deceptive, and proxy when the space has proxies), over the competing programs of
        the space, loss term included (:meth:`~priorsearch.exchange.Exchange.bits`);
        ``deceptive_share`` = deceptive / all classes.
    names, labels, classes, sources : sequences
        Per row of the program space.
    ties : list of dict
        Exact tie curves between neighbouring winners, with ``a``, ``b`` (row indices),
        ``condition`` (text) and ``segments`` (list of (m, 2) x-y arrays).
    mode : str
        ``"winner"`` or ``"mass"``.
    metadata : dict
        Model, params, exchange, axes, space, mode, version, command.
    mass_classes : tuple of str
        The classes of ``log2_mass``, in order.
    """

    x: Axis
    y: Axis
    x_values: np.ndarray
    y_values: np.ndarray
    winner: np.ndarray
    runner_up: np.ndarray
    c: np.ndarray
    t: np.ndarray
    score: np.ndarray
    margin: np.ndarray
    names: list
    labels: list
    classes: list
    sources: list
    mode: str = "winner"
    log2_mass: np.ndarray | None = None
    ties: list = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    mass_classes: tuple = ("aligned", "deceptive")

    def share(self, name: str) -> np.ndarray | None:
        """Prior mass of class ``name`` / mass of all competing programs."""
        if self.log2_mass is None:
            return None
        masses = np.asarray(self.log2_mass)
        top = masses.max(axis=0)
        with np.errstate(invalid="ignore"):
            share = np.exp2(masses[self.mass_classes.index(name)] - top) / np.exp2(masses - top).sum(axis=0)
        return np.where(np.isfinite(top), share, np.nan)

    @property
    def deceptive_share(self) -> np.ndarray | None:
        """Prior mass of the deceptive class / mass of all competing programs."""
        return self.share("deceptive")

    def display_name(self, row: int) -> str:
        """The row's template name, else its program text."""
        return self.names[row] or self.sources[row] or f"class_{row}"

    def legend_label(self, row: int) -> str:
        """``Hfh honest`` for a template, the program text for another class."""
        name, label = self.names[row], self.labels[row]
        if name and label and label != name:
            return f"{label} {name}"
        return name or self.sources[row] or f"class {row}"

    def shown_rows(self) -> list:
        """Rows that win somewhere, and the named templates."""
        return sorted({int(r) for r in np.unique(self.winner) if r >= 0} |
                      {r for r in range(len(self.names)) if self.names[r]})

    def region_counts(self) -> dict:
        """Cells won by each winner, keyed by its name (:meth:`display_name`: the
        template's name, else the class's program text); ``"none"`` counts the cells
        without an eligible program."""
        return {("none" if r < 0 else self.display_name(r)): k for r, k in self.row_counts().items()}

    def row_counts(self) -> dict:
        """Cells won by each row of the table (``-1``: no eligible program)."""
        rows, counts = np.unique(self.winner, return_counts=True)
        return {int(r): int(k) for r, k in zip(rows, counts)}

    def summary(self) -> str:
        """One line: the share of the grid each winner takes."""
        total = self.winner.size
        parts = []
        counts = self.row_counts()
        for row, k in sorted(counts.items(), key=lambda rk: (-rk[1], rk[0])):
            what = "no eligible program" if row < 0 else self._named(row)
            parts.append(f"{what} {100.0 * k / total:.1f}%")
        text = "regions: " + ", ".join(parts)
        never = [self._named(r) for r in range(len(self.names)) if self.names[r] and r not in counts]
        if never:
            text += "; never wins: " + ", ".join(never)
        if self.log2_mass is not None:
            share = self.deceptive_share
            if np.isfinite(share).any():
                text += f"; deceptive share of prior mass {np.nanmin(share):.3g} to {np.nanmax(share):.3g}"
        return text

    def _named(self, row):
        name, label = self.display_name(row), self.labels[row]
        # a proxy says so (aligned and deceptive rows, all the post's model has, do not)
        notes = [label] if label and label != name and self.names[row] else []
        notes += ["proxy"] if self.classes[row] == "proxy" else []
        return f"{name} ({', '.join(notes)})" if notes else name

    # ------------------------------------------------------------------ outputs

    def to_dataframe(self):
        """A pandas DataFrame, one row per grid point in the CSV's order: one column per
        axis, ``winner`` (name), ``label``, ``class``, ``c``, ``t``, ``score``, ``margin``
        and in mass mode the masses (see :mod:`priorsearch.phase.frames`)."""
        return phase_dataframe(self)

    def to_xarray(self):
        """An xarray Dataset over the two axes with the same quantities as (y, x) grids
        (see :mod:`priorsearch.phase.frames`)."""
        return phase_dataset(self)

    def csv_text(self) -> str:
        """Tidy CSV: metadata as ``#`` lines, then one row per grid point."""
        xname, yname = _column(self.x.name, "x"), _column(self.y.name, "y")
        header = [xname, yname, "winner", "label", "class", "c", "t", "score", "margin"]
        if self.log2_mass is not None:
            header += [f"log2_mass_{name}" for name in self.mass_classes] + ["deceptive_share"]
        lines = [f"# priorsearch phase data ({self.metadata.get('version', '')})",
                 f"# command: {self.metadata.get('command', '')}",
                 f"# x: {self.x.spec} -- {self.x.label}",
                 f"# y: {self.y.spec} -- {self.y.label}",
                 "# metadata: " + json.dumps(self.metadata, sort_keys=True, allow_nan=False, default=_jsonable),
                 ",".join(header)]
        rowname = [_csv(self.display_name(r)) for r in range(len(self.names))]
        rowlabel = [_csv(self.labels[r]) for r in range(len(self.names))]
        share = self.deceptive_share
        xs, ys_all = _axis_texts(self.x, self.x_values), _axis_texts(self.y, self.y_values)
        for iy in range(len(self.y_values)):
            ys = ys_all[iy]
            w = self.winner[iy]
            for ix in range(len(self.x_values)):
                r = int(w[ix])
                if r < 0:
                    who = ["none", "", "none"]
                else:
                    who = [rowname[r], rowlabel[r], self.classes[r]]
                fields = [xs[ix], ys, *who, _f(self.c[iy, ix]), _f(self.t[iy, ix]),
                          _f(self.score[iy, ix]), _f(self.margin[iy, ix])]
                if self.log2_mass is not None:
                    fields += [_f(v) for v in self.log2_mass[:, iy, ix]] + [_f(share[iy, ix])]
                lines.append(",".join(fields))
        return "\n".join(lines) + "\n"

    def npz_bytes(self) -> bytes:
        """NPZ archive (byte-deterministic: fixed member dates and order)."""
        shown = self.shown_rows()
        arrays = {
            "x": self.x_values, "y": self.y_values, "winner": self.winner, "runner_up": self.runner_up,
            "c": self.c, "t": self.t, "score": self.score, "margin": self.margin,
            # programs that win somewhere or are named templates; winner indices refer to
            # rows of the whole program space, listed in program_rows
            "program_rows": np.array(shown, dtype=np.int64),
            "names": np.array([self.names[r] for r in shown], dtype=str),
            "labels": np.array([self.labels[r] for r in shown], dtype=str),
            "classes": np.array([self.classes[r] for r in shown], dtype=str),
            "sources": np.array([self.sources[r] for r in shown], dtype=str),
            "metadata": np.array(json.dumps(self.metadata, sort_keys=True, default=_jsonable)),
        }
        if self.log2_mass is not None:
            arrays["log2_mass"] = self.log2_mass
            if tuple(self.mass_classes) != ("aligned", "deceptive"):  # with proxies: say the order
                arrays["mass_classes"] = np.array(self.mass_classes, dtype=str)
        for key, axis in (("x", self.x), ("y", self.y)):
            if axis.whole:  # a count axis: its exact whole values as decimal text
                arrays[f"{key}_whole"] = np.array([str(k) for k in axis.whole], dtype=str)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for key in sorted(arrays):
                member = io.BytesIO()
                np.lib.format.write_array(member, np.ascontiguousarray(arrays[key]), allow_pickle=False)
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, member.getvalue())
        return buffer.getvalue()


def _axis_texts(axis, values) -> list:
    """CSV text of an axis's values: exact whole numbers on a count axis (``K`` up to
    2^1023 printed in full), else :func:`_f`."""
    if axis.whole:
        return [str(int(k)) for k in axis.whole]
    return [_f(v) for v in values]


def _column(name, fallback):
    reserved = {"winner", "label", "class", "c", "t", "score", "margin"}
    return f"{fallback}_{name}" if name in reserved else name


def _csv(text: str) -> str:
    text = str(text)
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _f(value) -> str:
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def check_data_paths(paths, inputs=()):
    """Validate data output paths before any work (exit 2 on a bad one, or on one of
    the command's ``inputs``).

    Parameters
    ----------
    paths : iterable of str or path-like
        Data files to be written (``.csv`` or ``.npz``).
    inputs : iterable of paths
        The command's input files, which may not be overwritten.

    Returns
    -------
    list of pathlib.Path
    """
    return [check_output_path(p, set(DATA_EXTENSIONS), inputs) for p in paths]


def write_data(data: PhaseData, path) -> None:
    """Write ``data`` as CSV or NPZ (by extension), atomically.

    Parameters
    ----------
    data : PhaseData
        The phase diagram.
    path : str or path-like
        ``.csv`` (one row per grid point) or ``.npz`` (the arrays).
    """
    (p,) = check_data_paths([path])
    if p.suffix.lower() == ".csv":
        atomic_write_text(p, data.csv_text())
    else:
        atomic_write_bytes(p, data.npz_bytes())
