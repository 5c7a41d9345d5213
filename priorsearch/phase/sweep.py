"""Phase diagrams: which program wins (or how much prior mass deception gets) over two axes.

:func:`phase_diagram` returns :class:`~priorsearch.phase.data.PhaseData` — plain arrays
and metadata, no drawing; :mod:`priorsearch.plot.phase` draws it and
:func:`~priorsearch.phase.data.write_data` saves it.  Axes are parsed by
:mod:`priorsearch.phase.axes`.

How the sweep is computed (kernels in :mod:`priorsearch.phase.kernels`): the program
classes (the templates, or the whole enumerated DSL) carry integer cost features, so c
and t at a grid point are dot products of those features with the costs at that point.
Costs are evaluated once per *cost point*: when one axis is the exchange parameter,
every value of it shares the costs of its row.  Under an exchange non-decreasing in c
and t (``Exchange.monotone``) only the first two (c, t) Pareto layers of each row can be
winner or runner-up, so the rest are pruned before scoring, and classes beaten by two
others at every point (feature-wise) are dropped before any cost is evaluated.  Scores
are the exchange's own ufunc; the winner is the one tie rule,
:func:`priorsearch.exchange.ties.select_two`.
"""
from __future__ import annotations

__all__ = ["phase_diagram", "exchange_points", "cost_points"]

import sys

import numpy as np

from ..scoring.codes import code_report
from ..errors import InputError, suggest
from ..exchange import make_exchange
from ..jit import kernel
from ..model.resolve import resolve_model, resolve_programs
from ..provenance import command_line, model_sha256
from ..space.programs import program_space
from ..exchange.base import LOSS_PRICE
from ..features.semantics import CLASS_NAMES, INCOMPATIBLE
from . import kernels
from .rows import can_compete as _can_compete, mass_class_codes, rows_to_score
from .counts import check_templates_depend_on_count, covering_model, family_sizes_at, log2_multiplicity_points, \
    members_named, model_value
from .axes import DEFAULT_Y, MAX_POINTS, check_grid_size, number_text, parse_axis
from .data import PhaseData
from .._version import __version__

# (points x candidates) work arrays per chunk: bounds memory to ~16 MB each
_CHUNK_CELLS = 1 << 21


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
        against ``C_B=1:1000:201:log``.  A family's count (``K=1:1e30:31:log``) is an
        axis of whole numbers (:mod:`priorsearch.phase.axes`), served by one enumeration.
    space : {"templates", "enumerate"}
        The templates (default the post's Hfh, Hsd, Hfd, or ``programs``) or every
        program of the DSL up to ``max_size`` nodes (one row per behaviour/cost class).
    programs : None, path(s) or Definitions
        The templates for ``space="templates"`` (None: the post's three).
    max_size : int
        The largest program (nodes) for ``space="enumerate"``.
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

    model = resolve_model(model, params)
    if space not in ("templates", "enumerate"):
        raise InputError(f"unknown space {space!r}{suggest(space, ('templates', 'enumerate'))}; use templates or enumerate")
    if mode not in ("winner", "mass"):
        raise InputError(f"unknown mode {mode!r}{suggest(mode, ('winner', 'mass'))}; use winner or mass")
    ex = make_exchange(exchange, model)
    if x is None:
        if ex.default_axis is None:
            raise InputError(f"the {ex.name} exchange has no default x axis; give one (NAME=LO:HI:N[:log])")
        x = ex.default_axis
    if y is None:
        if "C_B" not in model.parameters:
            raise InputError("the model has no parameter C_B for the default y axis; give one (NAME=LO:HI:N[:log])")
        y = DEFAULT_Y
    # the grid's size is known from the syntax alone: refused before a count axis
    # computes (and checks) each of its whole values
    check_grid_size(x, y, max_points)
    ax_x = parse_axis(x, model, ex, "--x")
    ax_y = parse_axis(y, model, ex, "--y")
    ex.require([a.name for a in (ax_x, ax_y) if a.kind == "exchange"])
    if ax_x.name == ax_y.name:
        raise InputError(f"--x and --y both sweep {ax_x.name}; choose two different parameters")
    if not isinstance(max_size, (int, np.integer)) or max_size < 1:
        raise InputError(f"--max-size must be a positive whole number, got {max_size!r}")

    count_axes = [a for a in (ax_x, ax_y) if a.is_count]
    # a count axis: one enumeration with member slots for the largest counts serves every
    # point; classes needing more members than a point's K do not exist there
    covering = covering_model(model, count_axes, int(max_size) if space == "enumerate" else None)
    table = program_space(covering, space, programs, int(max_size))
    named = None
    if count_axes and space == "templates":
        named = members_named(resolve_programs(programs, covering), covering)
        check_templates_depend_on_count(table, named, count_axes)
    xv, yv = ax_x.values, ax_y.values
    result = _sweep(table, model, ex, ax_x, ax_y, xv, yv, mode, progress, named)
    mass_classes = result.pop("mass_classes")

    swept = (ax_x.name, ax_y.name)
    # sources stay lazy (the enumeration builds a program text only when a row is shown)
    names, labels, sources = list(table.names), list(table.labels), table.sources
    # a row that misses training competes (as its behaviour class) where the price is finite
    classes = [CLASS_NAMES[int(k)] for k in table.classes_at(_can_compete(table, ex, ax_x, ax_y))]
    metadata = {
        "version": f"priorsearch {__version__}",
        "model": model.name,
        "model_sha256": model_sha256(model),
        # parameters at their fixed values; the swept ones are described under "axes"
        "params": {k: float(v) for k, v in model.parameters.items() if k not in swept},
        "exchange": {"name": ex.name, **{k: float(v) for k, v in ex.shown_params.items() if k not in swept}},
        "axes": {"x": ax_x.to_json(), "y": ax_y.to_json()},
        "space": space,
        "mode": mode,
        # where the model itself sits in the plane (the plot marks it)
        # (None for the default loss_price = inf: no point of the plane; a required
        # exchange parameter the model lacks is on an axis, not at a model point)
        "model_point": {a.name: model_value(model, a) if a.kind == "cost" else _finite_or_none(ex.value(a.name))
                        for a in (ax_x, ax_y) if a.kind == "cost" or a.name == LOSS_PRICE or a.name in ex.params},
        "command": command or _command(model, ex, ax_x, ax_y, space, max_size, mode, programs, params),
    }
    if space == "enumerate":
        metadata["max_size"] = int(max_size)
    if mode == "mass":
        # every mass output names its code (and whether its masses converge)
        code = code_report(table.layout, int(max_size) if space == "enumerate" else 0, ex)
        metadata["code"] = dict(code.to_json(), warning=code.warning)
        if count_axes:  # the report is about the enumerated (largest) counts
            metadata["code"]["at_family_counts"] = {n: k for n, k in table.family_sizes}
    data = PhaseData(ax_x, ax_y, xv, yv, names=names, labels=labels, classes=classes, sources=sources,
                     mode=mode, metadata=metadata, mass_classes=mass_classes, **result)
    shown = data.shown_rows()
    metadata["programs"] = [{"row": r, "name": data.display_name(r), "label": labels[r], "source": sources[r],
                             "class": classes[r]} for r in shown]
    # on a count axis the winner changes in steps between whole K, not along a curve
    if ties and ex.symbolic and not count_axes:
        from ..symbolic.curves import tie_curves

        data.ties = tie_curves(data, table, model, ex)
    return data


def _finite_or_none(value):
    value = float(value)
    return value if np.isfinite(value) else None


def _command(model, ex, ax_x, ax_y, space, max_size, mode, programs, params) -> str:
    """An equivalent ``priorsearch phase`` call for a diagram made from Python."""
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
        parts += ["--set", f"{k}={number_text(float(v))}"]
    for k, v in ex.shown_params.items():
        if k not in (ax_x.name, ax_y.name):
            parts += ["--set", f"{k}={number_text(v)}"]
    parts += ["--x", ax_x.spec, "--y", ax_y.spec, "--space", space]
    if space == "enumerate":
        parts += ["--max-size", str(max_size)]
    parts += ["--mode", mode]
    return command_line(parts)


def exchange_points(ex, ax_x, ax_y, xv, yv):
    """Exchange parameters (X, P) at each exchange point, and how the grid maps to them.

    Parameters
    ----------
    ex : Exchange
        Its own values fill the parameters that are not on an axis.
    ax_x, ax_y : Axis
    xv, yv : float arrays
        The axes and their values.

    Returns
    -------
    layout : str
        ``"x"`` (x is the exchange axis: grid[iy, ix] = result[iy, ix]), ``"y"``
        (transposed), ``"none"`` (both cost axes: one exchange point) or ``"both"`` (both
        exchange axes: one cost point).
    xparams : (X, P) float array
        One row per exchange point, one column per exchange parameter.
    """
    # a required parameter the exchange lacks must be on an axis (checked by sweep)
    base = np.array([ex.value(k) if (k == LOSS_PRICE or k in ex.params) else np.nan for k in ex.parameter_names],
                    dtype=float)
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
    """Parameter arrays of the cost points (in the order the result rows come out).

    Parameters
    ----------
    layout_kind : str
        The layout :func:`exchange_points` returned.
    ax_x, ax_y : Axis
    xv, yv : float arrays
        The axes and their values; two cost axes give the grid row by row (y outer).
    """
    if layout_kind == "both":
        return {}
    if layout_kind == "x":
        return {ax_y.name: yv}
    if layout_kind == "y":
        return {ax_x.name: xv}
    gx, gy = np.meshgrid(xv, yv)
    return {ax_x.name: gx.ravel(), ax_y.name: gy.ravel()}


def _sweep(table, model, ex, ax_x, ax_y, xv, yv, mode, progress, named=None):
    layout = table.layout
    kind, xparams = exchange_points(ex, ax_x, ax_y, xv, yv)
    points = cost_points(kind, ax_x, ax_y, xv, yv)
    n_cost = len(next(iter(points.values()))) if points else 1
    if mode == "mass" and ex.mass_parameter is not None:
        col = ex.parameter_names.index(ex.mass_parameter)
        if (xparams[:, col] <= 0).any():
            p = ex.mass_parameter
            raise InputError(f"mass mode needs {p} > 0 (at {p} = 0 all prior mass sits on the fastest programs); "
                             f"start the {p} axis above 0")
    # the count per cost point: the grid positions laid out as cost_points lays out values
    sizes = family_sizes_at(model, cost_points(kind, ax_x, ax_y, np.arange(ax_x.n), np.arange(ax_y.n)), ax_x, ax_y)
    out = _sweep_points(table, layout, ex, points, n_cost, xparams, mode, progress, sizes, named)
    ny, nx = len(yv), len(xv)
    shaped = {"mass_classes": out.pop("mass_classes")}
    for key, arr in out.items():
        if arr is None:
            shaped[key] = None
            continue
        lead = arr.shape[:-2]
        if kind == "y":
            arr = np.swapaxes(arr, -1, -2)
        shaped[key] = np.ascontiguousarray(arr.reshape(lead + (ny, nx)))
    _check_no_overflow(shaped["winner"], table, ex, ax_x, ax_y, xv, yv, shaped.pop("no_candidate"))
    return shaped


def _check_no_overflow(winner, table, ex, ax_x, ax_y, xv, yv, no_candidate=None):
    """Under an exchange whose finite totals score finite (linear, power) a cell without
    a winner means the float range was left: an error naming the cell, never a silent
    "no eligible program" region (cells where no compatible class exists, at a count
    too small for any, stay empty)."""
    if not ex.finite_scores or not (np.asarray(table.cls) != INCOMPATIBLE).any():
        return
    empty = np.asarray(winner) < 0
    if no_candidate is not None:
        empty &= ~np.asarray(no_candidate)
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


def _sweep_points(table, layout, ex, points, n_cost, xparams, mode, progress, sizes=None, named=None):
    """The sweep over cost points x exchange points.  ``sizes`` (family -> exact count per
    cost point, a count axis) evaluates multiplicities per point: a class needing more
    members than a point's count has multiplicity 0 there and neither wins nor weighs
    (``named``: templates, see :func:`~priorsearch.phase.counts.log2_multiplicity_points`)."""
    prices = xparams[:, ex.parameter_names.index(LOSS_PRICE)]
    lossy = table.lossy and bool((prices < np.inf).any())
    competing = np.ones(len(table), dtype=bool) if lossy else np.asarray(table.compatible)
    rows = rows_to_score(table, ex, mode, competing, lossy, by_members=sizes is not None)
    desc = np.ascontiguousarray(table.desc[rows])
    nodes = np.ascontiguousarray(table.nodes[rows].astype(np.int64))
    counts = np.ascontiguousarray(table.time_counts[rows].astype(np.int64))
    size = np.ascontiguousarray(table.size[rows].astype(np.int64))
    compat = np.ascontiguousarray(competing[rows])
    behaviour = np.asarray(table.behaviour)[rows]
    codes = mass_class_codes(behaviour[compat])
    # mass index of each row (its position in ``codes``), -1 for rows out of the running
    mass_index = np.full(len(rows), -1, dtype=np.int64)
    for j, code in enumerate(codes):
        mass_index[compat & (behaviour == code)] = j
    miss = np.asarray(table.miss, dtype=float)[rows]
    log2_mult = np.asarray(table.log2_multiplicity[rows], dtype=float)  # exact counts may pass 2^1024
    names = [table.labels[r] or table.sources[r] for r in rows]
    m = len(rows)
    X = xparams.shape[0]
    want_mass = mode == "mass"
    out = {key: np.full((n_cost, X), np.nan) for key in ("score", "margin", "c", "t")}
    out["winner"] = np.full((n_cost, X), -1, dtype=np.int64)
    out["runner_up"] = np.full((n_cost, X), -1, dtype=np.int64)
    out["no_candidate"] = np.zeros((n_cost, X), dtype=bool)
    out["log2_mass"] = np.full((len(codes), n_cost, X), -np.inf) if want_mass else None
    out["mass_classes"] = tuple(CLASS_NAMES[c] for c in codes) if want_mass else ()
    compatible_pos = np.flatnonzero(compat).astype(np.int64)
    # pruning pays when costs are shared along the exchange axis, and is valid only for
    # exchanges non-decreasing in c and t (and with no loss term: it looks at c, t only)
    prune = ex.monotone and X >= 4 and m > 2 and not lossy
    xp = {name: xparams[:, j] for j, name in enumerate(ex.parameter_names)}
    width = max(X * (m if want_mass else max(len(compatible_pos), 1)), 1)
    for s, e in _chunks(n_cost, width, X, progress):
        k = e - s
        costs = layout.cost_arrays({name: v[s:e] for name, v in points.items()} if points else None)
        c = np.empty((k, m))
        t = np.empty((k, m))
        # small chunks run the kernels' Python twins: the same code, no compilation
        kernel(kernels.class_totals, k * m * (desc.shape[1] + counts.shape[1] * counts.shape[2]))(
                             desc, nodes, counts, np.ascontiguousarray(costs.item_c),
                             np.ascontiguousarray(costs.node_c), np.ascontiguousarray(costs.time_unit),
                             np.ascontiguousarray(costs.train_weight), costs.aggregate == "max", c, t)
        ex.check_totals(t.T, compat, names, where=_where(points, s))
        if sizes is None:
            live = np.ascontiguousarray(np.broadcast_to(compat, (k, m)))
            chunk_mult = log2_mult[None, :]
        else:  # multiplicities at each point's counts; -inf: the class does not exist there
            chunk_mult = np.ascontiguousarray(
                log2_multiplicity_points(table, {f: v[s:e] for f, v in sizes.items()}, rows, named).T)
            live = np.ascontiguousarray(compat[None, :] & (chunk_mult > -np.inf))
        if prune:
            cand = np.zeros((k, m), dtype=np.int64)
            n_cand = np.empty(k, dtype=np.int64)
            kernel(kernels.pareto_candidates, k * m * m)(c, t, size, live, cand, n_cand)
            cand = cand[:, :max(int(n_cand.max()), 1)] if k else cand
        elif sizes is None:  # every compatible class is a candidate at every cost point
            cand = np.ascontiguousarray(np.broadcast_to(compatible_pos, (k, len(compatible_pos))))
            n_cand = np.full(k, len(compatible_pos), dtype=np.int64)
        else:  # the classes that exist at each point, in row order, first
            n_cand = live.sum(axis=1).astype(np.int64)
            cand = np.ascontiguousarray(np.argsort(~live, axis=1, kind="stable")[:, :max(int(n_cand.max()), 1)], np.int64)
        out["no_candidate"][s:e] = ~live.any(axis=1)[:, None]
        params = {name: v[None, :, None] for name, v in xp.items()}
        # with no candidate (an empty or all-incompatible space) the cells keep winner -1
        # and NaN, as documented; the masses below are still computed
        if cand.shape[1] > 0:
            kk = np.arange(k)[:, None]
            cc, tc = np.ascontiguousarray(c[kk, cand]), np.ascontiguousarray(t[kk, cand])
            if lossy:
                loss = miss @ costs.loss_weight.T                     # (m, k)
                loss_c = np.ascontiguousarray(loss.T[kk, cand])[:, None, :]
                score = np.ascontiguousarray(ex.score(cc[:, None, :], tc[:, None, :], params, loss_c), dtype=float)
            else:
                score = np.ascontiguousarray(ex.score(cc[:, None, :], tc[:, None, :], params), dtype=float)
            score = np.ascontiguousarray(np.broadcast_to(score, (k, X, cand.shape[1])))
            _check_custom_scores(ex, score, n_cand)
            w = np.empty((k, X), dtype=np.int64)
            r = np.empty((k, X), dtype=np.int64)
            kernel(kernels.select_grid, score.size)(score, cc, tc, np.ascontiguousarray(size[cand]),
                                                    np.ascontiguousarray(rows[cand]), n_cand, w, r)
            has, has_r = w >= 0, r >= 0
            kx = np.broadcast_to(np.arange(k)[:, None], w.shape)
            xx = np.broadcast_to(np.arange(X)[None, :], w.shape)
            wq, rq = np.maximum(w, 0), np.maximum(r, 0)
            sw = score[kx, xx, wq]
            out["score"][s:e] = np.where(has, sw, np.nan)
            with np.errstate(invalid="ignore"):  # cells without a winner: NaN, as documented
                out["margin"][s:e] = np.where(has, np.where(has_r, score[kx, xx, rq] - sw, np.inf), np.nan)
            out["c"][s:e] = np.where(has, cc[kx, wq], np.nan)
            out["t"][s:e] = np.where(has, tc[kx, wq], np.nan)
            out["winner"][s:e] = np.where(has, rows[cand[kx, wq]], -1)
            out["runner_up"][s:e] = np.where(has_r, rows[cand[kx, rq]], -1)
        if want_mass:
            loss_all = (miss @ costs.loss_weight.T).T[:, None, :] if lossy else None
            bits = np.ascontiguousarray(np.broadcast_to(
                ex.bits(c[:, None, :], t[:, None, :], params, loss_all), (k, X, m)), dtype=float)
            lm = np.empty((len(codes), k, X))
            kernels.class_mass_grid(bits, mass_index, np.ascontiguousarray(chunk_mult), lm)
            out["log2_mass"][:, s:e] = lm
    return out


def _where(points, start):
    """Text naming cost point ``start + j`` of a chunk, for error messages."""
    def at(index):
        j = int(index[0]) if len(index) else 0
        text = ", ".join(f"{n}={v[start + j]:g}" for n, v in points.items()) if points else "the model's values"
        return f" at {text}"
    return at


def _check_custom_scores(ex, score, n_cand):
    """NaN from a user's exchange would make the order meaningless: one clear error."""
    if ex.monotone:
        return
    real = np.arange(score.shape[2])[None, None, :] < n_cand[:, None, None]
    if (np.isnan(score) & real).any():
        raise InputError(f"custom exchange {ex.name!r} returned NaN for a compatible program")
