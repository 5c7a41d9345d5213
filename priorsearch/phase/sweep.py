"""Phase diagrams: which program wins (or how much prior mass deception gets) over two axes.

An axis is ``NAME=LO:HI:N[:log]``: N values of one parameter from LO to HI (log-spaced
with ``:log``).  NAME is the exchange parameter (``g``, ``lambda``, ``alpha`` or ``k`` of
the chosen exchange) or any cost parameter of the model.  :func:`phase_diagram` returns
:class:`PhaseData` — plain arrays and metadata, no drawing; :mod:`priorsearch.plot.phase` draws
it and :func:`write_data` saves it (CSV with a metadata header, NPZ).

How the sweep is computed (see :mod:`priorsearch.phase.kernels`): the program classes
(the templates, or the whole enumerated DSL) carry integer cost features, so c and t at
a grid point are dot products of those features with the costs at that point.  Costs are
evaluated once per *cost point*: when one axis is the exchange parameter, every value of
it shares the costs of its row, and only the first two (c, t) Pareto layers of each row
can be winner or runner-up, so the rest are pruned before scoring.  Classes beaten by two
others at every point (feature-wise) are dropped before any cost is evaluated.
"""
from __future__ import annotations

__all__ = ["Axis", "PhaseData", "phase_diagram", "parse_axis", "write_data", "DATA_EXTENSIONS",
           "MAX_POINTS", "DEFAULT_X", "DEFAULT_Y", "EXCHANGE_AXIS_LABELS"]

import hashlib
import io
import json
import math
import sys
import zipfile
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..exchange.families import EXCHANGES, TIE_RTOL, Exchange, make_exchange
from ..model.cost_model import suggest

#: refuse grids with more points than this unless ``max_points`` (``--max-points``) is raised
MAX_POINTS = 4_000_000
#: the post's diagram: g from 1e-2 to 1e2 (log) against C_B
DEFAULT_X = "g=0.01:100:201:log"
DEFAULT_Y = "C_B=1:1000:201:log"
DATA_EXTENSIONS = (".csv", ".npz")
#: axis labels of the exchange parameters
EXCHANGE_AXIS_LABELS = {
    "g": "g (time units per bit)",
    "lambda": "λ (bits per doubling of t; Levin's Kt at λ = 1)",
    "alpha": "α (power of t in g·c + t^α)",
    "k": "k (time budget of the cap exchange)",
}
CLASS_LABELS = ("aligned", "deceptive", "incompatible")
# cost points per kernel call: bounds the (points x classes) work arrays to ~16 MB each
_CHUNK_CELLS = 1 << 21


# --------------------------------------------------------------------------- axes

def axis_values(lo: float, hi: float, n: int, log: bool) -> np.ndarray:
    """The n grid values of an axis, end points exact.

    Plain Python floats (correctly rounded pow): the same values on every machine,
    whatever SIMD code NumPy's logspace would pick.
    """
    if log:
        a, b = math.log10(lo), math.log10(hi)
        v = [10.0 ** (a + (b - a) * i / (n - 1)) for i in range(n)]
    else:
        # (hi - lo) * i overflows near the top of the float range; dividing first
        # there only (elsewhere the established values stay bit for bit)
        v = [lo + (hi - lo) * i / (n - 1) if math.isfinite((hi - lo) * i) else lo + (hi - lo) * (i / (n - 1))
             for i in range(n)]
    v[0], v[-1] = lo, hi
    return np.array(v, dtype=float)


@dataclass(frozen=True)
class Axis:
    """One axis of a sweep: ``name`` from ``lo`` to ``hi`` in ``n`` steps (log or linear).

    ``kind`` is ``"exchange"`` for the exchange parameter, ``"cost"`` for a cost
    parameter; ``label`` says what the parameter is (for plots).
    """

    name: str
    lo: float
    hi: float
    n: int
    log: bool = False
    kind: str = "cost"
    label: str = ""

    @property
    def values(self) -> np.ndarray:
        return axis_values(self.lo, self.hi, self.n, self.log)

    @property
    def spec(self) -> str:
        return f"{self.name}={_num(self.lo)}:{_num(self.hi)}:{self.n}" + (":log" if self.log else "")

    def to_json(self) -> dict:
        return {"name": self.name, "lo": self.lo, "hi": self.hi, "n": self.n, "log": self.log,
                "kind": self.kind, "label": self.label}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def parse_axis(spec, model, exchange, flag="--x") -> Axis:
    """Parse ``NAME=LO:HI:N[:log]`` against a model and an exchange (see module docstring)."""
    if isinstance(spec, Axis):
        text = spec.spec
    else:
        text = str(spec).strip()
    where = f"{flag} {text!r}"
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise InputError(f"{where}: expected NAME=LO:HI:N[:log], e.g. {DEFAULT_X}")
    parts = [p.strip() for p in rest.split(":")]
    if len(parts) not in (3, 4):
        raise InputError(f"{where}: expected NAME=LO:HI:N[:log] (3 or 4 fields after '='), got {len(parts)}")
    log = False
    if len(parts) == 4:
        if parts[3].lower() not in ("log", "lin"):
            raise InputError(f"{where}: the 4th field must be 'log' (or 'lin'), got {parts[3]!r}")
        log = parts[3].lower() == "log"
    lo, hi = (_axis_number(p, where, what) for p, what in ((parts[0], "LO"), (parts[1], "HI")))
    try:
        n = int(parts[2])
    except ValueError:
        raise InputError(f"{where}: N must be a whole number, got {parts[2]!r}") from None
    if n < 2:
        raise InputError(f"{where}: N = {n}; an axis needs at least 2 points")
    if lo >= hi:
        raise InputError(f"{where}: LO = {lo:g} must be below HI = {hi:g}")
    if log and lo <= 0:
        raise InputError(f"{where}: a log axis needs LO > 0, got {lo:g}")
    kind, label = _axis_kind(name, model, exchange, where)
    if kind == "exchange" and lo < 0:
        raise InputError(f"{where}: the exchange parameter {name} must be >= 0, got LO = {lo:g}")
    return Axis(name, lo, hi, n, log, kind, label)


def _axis_number(text, where, what) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: {what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {what} = {text!r} is not a finite number")
    return value


def _axis_kind(name, model, exchange, where):
    if isinstance(exchange, Exchange) and exchange.code is not None and name in exchange.parameter_names:
        return "exchange", EXCHANGE_AXIS_LABELS.get(name, name)
    if name in model.parameters:
        counted = {p for fam in model.families for p in fam.count.params}
        if name in counted:
            fams = ", ".join(f.name for f in model.families if name in f.count.params)
            raise InputError(f"{where}: {name} is the member count of family {fams}, which changes the "
                             "program space itself; sweep it with one run per value (--set)")
        return "cost", parameter_label(name, model)
    owners = [ex for ex, cls in EXCHANGES.items() if name in cls.parameter_names]
    if owners:
        have = ", ".join(exchange.parameter_names) if exchange.parameter_names else "none"
        raise InputError(f"{where}: {name} is a parameter of the {' and '.join(owners)} exchange, but this "
                         f"diagram uses {exchange.name} (parameters: {have}); choose it with --exchange")
    known = list(model.parameters) + list(getattr(exchange, "parameter_names", ()))
    raise InputError(f"{where}: unknown parameter {name!r}{suggest(name, known)}; axes are the exchange "
                     f"parameter or a cost parameter ({', '.join(known)})")


def parameter_label(name, model) -> str:
    """Axis label of a cost parameter: its doc's subject and unit, e.g.
    ``c(get_base_obj) = C_B (bits)``."""
    from ..features.layout import Layout

    doc = model.parameter_docs.get(name, "") or ""
    head = doc.split(":", 1)[0].strip() if ":" in doc else ""
    layout = Layout(model)
    in_c = any(name in e.params for e in layout.item_exprs) or name in model.node_bits.params
    in_t = any(name in e.params for exprs in layout.group_exprs for e in exprs)
    unit = "bits" if in_c and not in_t else "time units" if in_t and not in_c else ""
    if not in_c and not in_t:
        unit = "episode weight" if any(name in e.weight.params for e in model.episodes) else ""
    text = f"{head} = {name}" if head else name
    return f"{text} ({unit})" if unit else text


# --------------------------------------------------------------------------- data

@dataclass
class PhaseData:
    """A phase diagram as data.  Grids have shape (len(y_values), len(x_values)).

    Attributes
    ----------
    x, y : Axis
        The two axes; ``x_values`` and ``y_values`` are their grid values.
    winner, runner_up : int arrays
        Grids of row indices into ``names`` (-1: none).
    c, t, score : float arrays
        The winner's totals and score (NaN where no program is eligible).
    margin : float array
        Runner-up's score minus the winner's (inf without a runner-up).
    log2_mass : (2, ny, nx) float array or None
        log2 prior mass of the aligned and deceptive classes (mass mode), over the
        programs of the space; ``deceptive_share`` = deceptive / both.
    names, labels, classes, sources : lists
        Per row of the program space.
    ties : list of dict
        Exact tie curves between neighbouring winners, with ``a``, ``b`` (row indices),
        ``condition`` (text) and ``segments`` (list of (m, 2) x-y arrays).
    metadata : dict
        Model, params, exchange, axes, space, mode, version, command.
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

    @property
    def deceptive_share(self) -> np.ndarray | None:
        """Prior mass of the deceptive class / mass of all compatible programs."""
        if self.log2_mass is None:
            return None
        a, d = self.log2_mass
        top = np.maximum(a, d)
        with np.errstate(invalid="ignore"):
            share = np.exp2(d - top) / (np.exp2(a - top) + np.exp2(d - top))
        return np.where(np.isfinite(top), share, np.nan)

    def display_name(self, row: int) -> str:
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
        """Cells won by each row (``-1`` for cells without an eligible program)."""
        rows, counts = np.unique(self.winner, return_counts=True)
        return {int(r): int(k) for r, k in zip(rows, counts)}

    def summary(self) -> str:
        """One line: the share of the grid each winner takes."""
        total = self.winner.size
        parts = []
        counts = self.region_counts()
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
        return f"{name} ({label})" if label and label != name and self.names[row] else name

    # ------------------------------------------------------------------ outputs

    def csv_text(self) -> str:
        """Tidy CSV: metadata as ``#`` lines, then one row per grid point."""
        xname, yname = _column(self.x.name, "x"), _column(self.y.name, "y")
        header = [xname, yname, "winner", "label", "class", "c", "t", "score", "margin"]
        if self.log2_mass is not None:
            header += ["log2_mass_aligned", "log2_mass_deceptive", "deceptive_share"]
        lines = [f"# priorsearch phase data ({self.metadata.get('version', '')})",
                 f"# command: {self.metadata.get('command', '')}",
                 f"# x: {self.x.spec} -- {self.x.label}",
                 f"# y: {self.y.spec} -- {self.y.label}",
                 "# metadata: " + json.dumps(self.metadata, sort_keys=True, allow_nan=False, default=_jsonable),
                 ",".join(header)]
        rowname = [_csv(self.display_name(r)) for r in range(len(self.names))]
        rowlabel = [_csv(self.labels[r]) for r in range(len(self.names))]
        share = self.deceptive_share
        xs = [_f(v) for v in self.x_values]
        for iy, yv in enumerate(self.y_values):
            ys = _f(yv)
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
                    fields += [_f(self.log2_mass[0, iy, ix]), _f(self.log2_mass[1, iy, ix]), _f(share[iy, ix])]
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
    the command's ``inputs``)."""
    from ..outputs import check_output_path

    return [check_output_path(p, set(DATA_EXTENSIONS), inputs) for p in paths]


def write_data(data: PhaseData, path) -> None:
    """Write ``data`` as CSV or NPZ (by extension), atomically."""
    from ..outputs import atomic_write_bytes, atomic_write_text

    (p,) = check_data_paths([path])
    if p.suffix.lower() == ".csv":
        atomic_write_text(p, data.csv_text())
    else:
        atomic_write_bytes(p, data.npz_bytes())


# --------------------------------------------------------------------------- sweep

def phase_diagram(model=None, x=None, y=None, space="templates", programs=None, max_size=9,
                  exchange=None, mode="winner", params=None, *, max_points=MAX_POINTS,
                  progress=False, ties=True, command=None) -> PhaseData:
    """Winner (and prior mass) of a program space over a grid of two parameters.

    Parameters
    ----------
    model : CostModel, path or None
        None: the post's model.
    x, y : str or Axis
        ``NAME=LO:HI:N[:log]``.  Defaults: the post's diagram, ``g=0.01:100:201:log``
        against ``C_B=1:1000:201:log``.
    space : {"templates", "enumerate"}
        The templates (default the post's Hfh, Hsd, Hfd, or ``programs``) or every
        program of the DSL up to ``max_size`` nodes (one row per behaviour/cost class).
    exchange : name, Exchange, callable or None
        None: the model's exchange.  A callable ``f(c, t)`` is scored in NumPy and cannot
        be an axis.
    mode : {"winner", "mass"}
        ``mass`` also computes the log2 prior mass of the aligned and deceptive classes.
    params : dict, optional
        Parameter overrides (cost or exchange parameters) for everything not on an axis.
    max_points : int
        Refuse larger grids (protects memory; raise it deliberately).
    progress : bool
        Show a progress bar (tqdm) on stderr.
    ties : bool
        Compute the exact tie curves between neighbouring winners (for plots).
    command : str, optional
        The command line recorded in the metadata (default: an equivalent ``phase`` call).

    Returns
    -------
    PhaseData
        Winner index, c, t, score, margin to the runner-up (and masses) per grid point.
    """
    from .. import __version__
    from ..scoring.rank import resolve_model

    model = resolve_model(model, params)
    if space not in ("templates", "enumerate"):
        raise InputError(f"unknown space {space!r}{suggest(space, ('templates', 'enumerate'))}; use templates or enumerate")
    if mode not in ("winner", "mass"):
        raise InputError(f"unknown mode {mode!r}{suggest(mode, ('winner', 'mass'))}; use winner or mass")
    ex = make_exchange(exchange, model)
    if x is None:
        if ex.code is None or not ex.parameter_names or ex.name == "cap":
            raise InputError(f"the {ex.name} exchange has no default x axis; give one (NAME=LO:HI:N[:log])")
        x = DEFAULT_X.replace("g=", f"{ex.parameter_names[0]}=", 1)
    if y is None:
        if "C_B" not in model.parameters:
            raise InputError("the model has no parameter C_B for the default y axis; give one (NAME=LO:HI:N[:log])")
        y = DEFAULT_Y
    ax_x = parse_axis(x, model, ex, "--x")
    ax_y = parse_axis(y, model, ex, "--y")
    if ax_x.name == ax_y.name:
        raise InputError(f"--x and --y both sweep {ax_x.name}; choose two different parameters")
    if ax_x.n * ax_y.n > max_points:
        raise InputError(f"grid of {ax_x.n} x {ax_y.n} = {ax_x.n * ax_y.n:,} points exceeds --max-points "
                         f"{max_points:,}; use fewer points or raise --max-points")
    if not isinstance(max_size, (int, np.integer)) or max_size < 1:
        raise InputError(f"--max-size must be a positive whole number, got {max_size!r}")

    table = program_space(model, space, programs, int(max_size))
    xv, yv = ax_x.values, ax_y.values
    result = _sweep(table, model, ex, ax_x, ax_y, xv, yv, mode, progress)

    swept = (ax_x.name, ax_y.name)
    # sources stay lazy (the enumeration builds a program text only when a row is shown)
    names, labels, sources = list(table.names), list(table.labels), table.sources
    classes = [CLASS_LABELS[int(k)] for k in table.cls]
    metadata = {
        "version": f"priorsearch {__version__}",
        "model": model.name,
        "model_sha256": _model_hash(model),
        # parameters at their fixed values; the swept ones are described under "axes"
        "params": {k: float(v) for k, v in model.parameters.items() if k not in swept},
        "exchange": {"name": ex.name, **{k: float(v) for k, v in ex.params.items() if k not in swept}},
        "axes": {"x": ax_x.to_json(), "y": ax_y.to_json()},
        "space": space,
        "mode": mode,
        # where the model itself sits in the plane (the plot marks it)
        "model_point": {a.name: float(model.parameters[a.name] if a.kind == "cost" else ex.params[a.name])
                        for a in (ax_x, ax_y)},
        "command": command or _command(model, ex, ax_x, ax_y, space, max_size, mode, programs, params),
    }
    if space == "enumerate":
        metadata["max_size"] = int(max_size)
    data = PhaseData(ax_x, ax_y, xv, yv, names=names, labels=labels, classes=classes, sources=sources,
                     mode=mode, metadata=metadata, **result)
    shown = data.shown_rows()
    metadata["programs"] = [{"row": r, "name": data.display_name(r), "label": labels[r], "source": sources[r],
                             "class": classes[r]} for r in shown]
    if ties and ex.code is not None:
        from ..symbolic.curves import tie_curves

        data.ties = tie_curves(data, table, model, ex)
    return data


def _model_hash(model) -> str:
    from ..model.toml_format import dump_model

    return hashlib.sha256(dump_model(model).encode("utf-8")).hexdigest()


def _command(model, ex, ax_x, ax_y, space, max_size, mode, programs, params) -> str:
    parts = ["priorsearch", "phase"]
    source = str(model.source or "")
    if source and not source.startswith("<"):
        parts += ["--model", source]
    elif model.name != "post":
        parts += ["--model", f"<{model.name}>"]
    if programs is not None:
        items = [programs] if isinstance(programs, (str, bytes)) or not hasattr(programs, "__iter__") else programs
        parts += ["--programs", *[getattr(p, "name", str(p)) for p in items]]
    parts += ["--exchange", ex.name]
    for k, v in sorted((params or {}).items()):
        parts += ["--set", f"{k}={_num(float(v))}"]
    for k, v in ex.params.items():
        if k not in (ax_x.name, ax_y.name):
            parts += ["--set", f"{k}={_num(v)}"]
    parts += ["--x", ax_x.spec, "--y", ax_y.spec, "--space", space]
    if space == "enumerate":
        parts += ["--max-size", str(max_size)]
    parts += ["--mode", mode]
    return " ".join(parts)


def program_space(model, space, programs=None, max_size=9):
    """The FeatureTable of the templates (as ``rank`` builds it) or of the enumerated DSL."""
    from ..features.table import FeatureTable
    from ..features.layout import Layout
    from ..scoring.rank import resolve_programs
    from ..features.semantics import evaluate

    if space == "enumerate":
        if programs is not None:
            raise InputError("--programs applies to --space templates; --space enumerate covers every program")
        try:
            from ..space.enumerate import enumerate_classes
        except ImportError:
            raise InputError("--space enumerate needs priorsearch.space.enumerate, which this build does not have") from None
        return enumerate_classes(model, max_size)
    definitions = resolve_programs(programs, model)
    layout = Layout(model)
    feats = [evaluate(d.program, layout) for d in definitions]
    return FeatureTable.from_features(feats, layout, names=[d.name for d in definitions],
                                      labels=[d.label for d in definitions],
                                      sources=[str(d.program) for d in definitions])


def exchange_points(ex, ax_x, ax_y, xv, yv):
    """Exchange parameters (X, 2) at each exchange point, and how the grid maps to them.

    Returns (cost_axes, xparams, layout) where layout is one of ``"x"`` (x is the
    exchange axis: grid[iy, ix] = result[iy, ix]), ``"y"`` (transposed), ``"none"``
    (both cost axes: one exchange point) or ``"both"`` (both exchange axes: one cost
    point).
    """
    base = np.array([ex.params.get(k, 0.0) for k in ex.parameter_names] + [0.0] * (2 - len(ex.parameter_names)))
    col = {k: i for i, k in enumerate(ex.parameter_names)}
    if ax_x.kind == "exchange" and ax_y.kind == "exchange":
        gx, gy = np.meshgrid(xv, yv)
        xp = np.tile(base, (gx.size, 1))
        xp[:, col[ax_x.name]] = gx.ravel()
        xp[:, col[ax_y.name]] = gy.ravel()
        return "both", xp
    if ax_x.kind == "exchange":
        xp = np.tile(base, (len(xv), 1))
        xp[:, col[ax_x.name]] = xv
        return "x", xp
    if ax_y.kind == "exchange":
        xp = np.tile(base, (len(yv), 1))
        xp[:, col[ax_y.name]] = yv
        return "y", xp
    return "none", base[None, :].copy()


def cost_points(layout_kind, ax_x, ax_y, xv, yv) -> dict:
    """Parameter arrays of the cost points (in the order the result rows come out)."""
    if layout_kind == "both":
        return {}
    if layout_kind == "x":
        return {ax_y.name: yv}
    if layout_kind == "y":
        return {ax_x.name: xv}
    gx, gy = np.meshgrid(xv, yv)
    return {ax_x.name: gx.ravel(), ax_y.name: gy.ravel()}


def _sweep(table, model, ex, ax_x, ax_y, xv, yv, mode, progress):
    from ..features.layout import Layout

    layout = table.layout if table.layout is not None else Layout(model)
    kind, xparams = exchange_points(ex, ax_x, ax_y, xv, yv)
    points = cost_points(kind, ax_x, ax_y, xv, yv)
    n_cost = len(next(iter(points.values()))) if points else 1
    if mode == "mass" and ex.name in ("linear", "power") and (xparams[:, 0] <= 0).any():
        raise InputError("mass mode needs g > 0 (at g = 0 all prior mass sits on the fastest programs); "
                         "start the g axis above 0")
    if ex.code is None:
        out = _sweep_numpy(table, layout, ex, points, n_cost, mode, progress)
    else:
        out = _sweep_kernel(table, layout, ex, points, n_cost, xparams, mode, progress)
    ny, nx = len(yv), len(xv)
    shaped = {}
    for key, arr in out.items():
        if arr is None:
            shaped[key] = None
            continue
        lead = arr.shape[:-2]
        if kind == "y":
            arr = np.swapaxes(arr, -1, -2)
        shaped[key] = np.ascontiguousarray(arr.reshape(lead + (ny, nx)))
    _check_no_overflow(shaped["winner"], table, ex, ax_x, ax_y, xv, yv)
    return shaped


def _check_no_overflow(winner, table, ex, ax_x, ax_y, xv, yv):
    """Under linear and power every compatible program has a finite score unless the
    arithmetic overflows, so a cell without a winner means the float range was left:
    an error naming the cell, never a silent "no eligible program" region."""
    if ex.name not in ("linear", "power") or not (np.asarray(table.cls) != 2).any():
        return
    empty = np.asarray(winner) < 0
    if empty.any():
        iy, ix = np.unravel_index(int(np.argmax(empty)), empty.shape)
        raise InputError(f"scores overflow the float range at {ax_x.name}={xv[ix]:g}, {ax_y.name}={yv[iy]:g} "
                         f"(under {ex.name}); use smaller axis or cost values")


def _chunks(n_cost, n_rows, n_exchange, progress):
    per = max(1, _CHUNK_CELLS // max(n_rows, 1))
    total = n_cost * n_exchange
    if total >= 200_000:  # a visible progress bar: at least ~20 steps
        per = min(per, max(1, -(-n_cost // 20)))
    starts = list(range(0, n_cost, per))
    bar = None
    if progress and len(starts) > 1:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="pt", unit_scale=True, file=sys.stderr, leave=False)
    for s in starts:
        e = min(n_cost, s + per)
        yield s, e
        if bar is not None:
            bar.update((e - s) * n_exchange)
    if bar is not None:
        bar.close()


def _features_matrix(table) -> np.ndarray:
    """The integer features c and t can depend on: description items, nodes (only when
    nodes cost bits) and executions in *training* episodes (deployment time does not
    enter the prior)."""
    n = len(table)
    model = table.layout.model
    parts = [table.desc.astype(np.int64)]
    free_nodes = model.code == "flat" and model.node_bits.is_constant() and float(model.node_bits.evaluate({})) == 0
    if not free_nodes:
        parts.append(table.nodes.astype(np.int64))
    train = np.flatnonzero(table.layout.is_train)
    parts.append(table.time_counts[:, :, train].reshape(n, -1).astype(np.int64))
    return np.concatenate(parts, axis=1)


def _sweep_kernel(table, layout, ex, points, n_cost, xparams, mode, progress):
    from . import kernels as K

    n = len(table)
    compatible = np.ascontiguousarray(table.cls != 2)
    size_all = np.ascontiguousarray(table.size.astype(np.int64))
    if mode == "winner" and n > 2:
        rows = np.flatnonzero(K.static_keep(_features_matrix(table), size_all, compatible))
    else:
        rows = np.arange(n)
    desc = np.ascontiguousarray(table.desc[rows])
    nodes = np.ascontiguousarray(table.nodes[rows].astype(np.int64))
    counts = np.ascontiguousarray(table.time_counts[rows].astype(np.int64))
    size = np.ascontiguousarray(size_all[rows])
    compat = np.ascontiguousarray(compatible[rows])
    cls = np.ascontiguousarray(table.cls[rows].astype(np.int64))
    log2_mult = np.log2(np.asarray(table.multiplicity[rows], dtype=float))
    m = len(rows)
    X = xparams.shape[0]
    want_mass = mode == "mass"
    winner = np.full((n_cost, X), -1, dtype=np.int64)
    runner = np.full((n_cost, X), -1, dtype=np.int64)
    score = np.full((n_cost, X), np.nan)
    margin = np.full((n_cost, X), np.nan)
    cw = np.full((n_cost, X), np.nan)
    tw = np.full((n_cost, X), np.nan)
    mass = np.full((2, n_cost, X), -np.inf) if want_mass else np.zeros((2, 1, 1))
    compatible_pos = np.flatnonzero(compat).astype(np.int64)
    prune = X >= 4 and m > 2  # costs shared along the exchange axis: pruning pays
    for s, e in _chunks(n_cost, m, X, progress):
        k = e - s
        costs = layout.cost_arrays({name: v[s:e] for name, v in points.items()} if points else None)
        if not points and k != costs.n_points:
            raise AssertionError("one cost point expected")
        c = np.empty((k, m))
        t = np.empty((k, m))
        K.class_totals(desc, nodes, counts, np.ascontiguousarray(costs.item_c), np.ascontiguousarray(costs.node_c),
                       np.ascontiguousarray(costs.time_unit), np.ascontiguousarray(costs.train_weight),
                       costs.aggregate == "max", c, t)
        if ex.name == "levin":  # the same rule as rank and search (exchange.check_levin_times)
            bad = (t <= 0) & compat[None, :]
            if bad.any():
                j, q = np.unravel_index(int(np.argmax(bad)), bad.shape)
                at = ", ".join(f"{n}={v[s + j]:g}" for n, v in points.items()) if points else "the model's values"
                name = table.labels[rows[q]] or table.sources[rows[q]]
                raise InputError(f"the levin exchange needs t > 0 (it scores log2 t), but {name} has t = {t[j, q]:g} "
                                 f"at {at}; give the programs positive running times")
        if prune:
            cand = np.empty((k, m), dtype=np.int64)
            n_cand = np.empty(k, dtype=np.int64)
            K.pareto_candidates(c, t, size, compat, cand, n_cand)
        else:  # one candidate list shared by every cost point
            cand = compatible_pos[None, :]
            n_cand = np.full(1, len(compatible_pos), dtype=np.int64)
        w = np.empty((k, X), dtype=np.int64)
        r = np.empty((k, X), dtype=np.int64)
        sc = np.empty((k, X))
        mg = np.empty((k, X))
        lm = np.empty((2, k, X)) if want_mass else np.empty((2, 1, 1))
        K.score_grid(c, t, size, compat, cls, log2_mult, cand, n_cand, not prune, int(ex.code),
                     np.ascontiguousarray(xparams, dtype=float), TIE_RTOL, want_mass, w, r, sc, mg, lm)
        has = w >= 0
        kk = np.broadcast_to(np.arange(k)[:, None], w.shape)
        cw[s:e] = np.where(has, c[kk, np.maximum(w, 0)], np.nan)
        tw[s:e] = np.where(has, t[kk, np.maximum(w, 0)], np.nan)
        winner[s:e] = np.where(has, rows[np.maximum(w, 0)], -1)
        runner[s:e] = np.where(r >= 0, rows[np.maximum(r, 0)], -1)
        score[s:e], margin[s:e] = sc, mg
        if want_mass:
            mass[:, s:e] = lm
    return {"winner": winner, "runner_up": runner, "c": cw, "t": tw, "score": score, "margin": margin,
            "log2_mass": mass if want_mass else None}


def _sweep_numpy(table, layout, ex, points, n_cost, mode, progress):
    """Custom exchanges: totals and scores in NumPy (one exchange point)."""
    from .numpy_path import log2_mass_numpy, winners_numpy

    n = len(table)
    compatible = table.cls != 2
    out = {key: np.empty((n_cost, 1)) for key in ("c", "t", "score", "margin")}
    out["winner"] = np.empty((n_cost, 1), dtype=np.int64)
    out["runner_up"] = np.empty((n_cost, 1), dtype=np.int64)
    mass = np.empty((2, n_cost, 1)) if mode == "mass" else None
    for s, e in _chunks(n_cost, n, 1, progress):
        costs = layout.cost_arrays({name: v[s:e] for name, v in points.items()} if points else None)
        c, t, _ = table.totals(costs)
        score = np.asarray(ex.score(c, t), dtype=float)
        if score.shape != c.shape:
            raise InputError(f"custom exchange {ex.name!r} returned shape {score.shape}, expected {c.shape}")
        if (compatible[:, None] & np.isnan(score)).any():
            raise InputError(f"custom exchange {ex.name!r} returned NaN for a compatible program")
        w, r, sc, mg = winners_numpy(score, c, t, table.size, compatible)
        cols = np.arange(c.shape[1])
        out["winner"][s:e, 0], out["runner_up"][s:e, 0] = w, r
        out["score"][s:e, 0], out["margin"][s:e, 0] = sc, mg
        out["c"][s:e, 0] = np.where(w >= 0, c[np.maximum(w, 0), cols], np.nan)
        out["t"][s:e, 0] = np.where(w >= 0, t[np.maximum(w, 0), cols], np.nan)
        if mass is not None:
            mass[:, s:e, 0] = log2_mass_numpy(ex.bits(c, t), table.cls, table.multiplicity)
    out["log2_mass"] = mass
    return out
