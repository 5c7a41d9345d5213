"""``uncertainty()``: distributions over the costs -> P(each winner), P(deceptive), Sobol.

Checks everything before any work (names, specs, conflicts, memory), builds one task per
program space (:mod:`~priorsearch.uncertainty.structure`), runs them in-process or on
Dask, and assembles an :class:`~priorsearch.uncertainty.result.UncertaintyResult`.
"""
from __future__ import annotations

__all__ = ["uncertainty", "MAX_DRAW_BYTES", "draw_limit"]

import sys
from pathlib import Path

import numpy as np

from .._version import __version__
from ..errors import InputError, suggest
from ..exchange import make_exchange, parameter_owners
from ..exchange.base import LOSS_PRICE
from ..model.resolve import resolve_model, with_settings
from ..phase.axes import family_counts
from ..model.toml_dump import dump_model
from ..provenance import model_sha256
from .config import STRUCTURE_KEYS, UncertaintyConfig, check_dimension, read_config
from .distributions import correlation_matrix, marginal
from .result import UncertaintyResult
from .sampling import SAMPLERS, check_seed
from .sobol import default_base, saltelli_design, sobol_indices, structural_alternative
from .specs import DistSpec, parse_spec
from .structure import SCHEDULER_TIMEOUT, allocate, alternatives, exclude, run_tasks

#: the per-draw results must fit in this many bytes (values, winner, flags, share)
MAX_DRAW_BYTES = 4 << 30


def draw_bytes(n_parameters: int) -> int:
    """Peak bytes per draw of a run: the unit points and the values (twice each while
    they are made and combined), winner, class flags, share and structure index, with
    their combined copies (measured: about 130 bytes per draw with one parameter)."""
    return 16 * (n_parameters + 8)


def draw_limit(n_parameters: int) -> int:
    """The most draws whose per-draw results fit in :data:`MAX_DRAW_BYTES`.

    Parameters
    ----------
    n_parameters : int

    Returns
    -------
    int
    """
    return MAX_DRAW_BYTES // draw_bytes(n_parameters)


def uncertainty(model=None, dists=None, *, draws=10_000, seed=0, sampler="random", space="templates",
                programs=None, max_size=9, params=None, exchange=None, correlations=None, structure=None,
                sobol_n=None, mass=True, scheduler=None, workers=None, timeout=SCHEDULER_TIMEOUT,
                progress=False, command=None) -> UncertaintyResult:
    """P(each program wins), P(deceptive wins) and Sobol indices under distributions.

    Parameters
    ----------
    model : CostModel, path or None
        A path's ``[uncertainty]`` and ``[uncertainty.structure]`` tables are read too;
        ``dists``, ``correlations`` and ``structure`` override them.
    dists : dict
        Parameter name (cost or exchange parameter) -> spec text such as
        ``"loguniform(1, 1000)"`` (see :mod:`priorsearch.uncertainty.specs`).
        Distributions reaching below 0 are truncated at 0.
    draws, seed, sampler : number of draws, seed, ``random`` | ``sobol`` | ``lhs``
    space, programs, max_size : the program space (as for ``phase``)
    params : fixed parameter values (like ``--set``); a parameter cannot be both
    exchange : the exchange family by name (default the model's)
    correlations : ``{(a, b): spearman_rho}`` (a Gaussian copula)
    structure : ``{dimension: values or (values, weights)}``; dimensions ``models``,
        ``max_size``, ``exclude`` or a parameter the space depends on (a family's K)
    sobol_n : base sample N of the Saltelli design (power of 2; 0: no Sobol indices)
    mass : compute the deceptive share of prior mass per draw
    scheduler, workers, timeout : run the tasks on a Dask scheduler at this address, or
        on a LocalCluster with this many workers; wait at most ``timeout`` s to connect
    progress : show a progress bar (tqdm) on stderr
    command : the command line recorded in the metadata

    Returns
    -------
    UncertaintyResult
    """
    cfg = read_config(model) if isinstance(model, (str, Path)) else UncertaintyConfig()
    params = dict(params or {})
    base = with_settings(resolve_model(model), params, exchange)
    ex = make_exchange(None, base)
    if dists is not None and not isinstance(dists, dict):
        raise InputError(f"dists must be a dict of parameter name -> distribution, got {type(dists).__name__}")
    if correlations is not None and not isinstance(correlations, dict):
        raise InputError(f"correlations must be a dict (a, b) -> rho, got {type(correlations).__name__}")
    for pair, rho in (correlations or {}).items():
        if (not isinstance(pair, tuple) or len(pair) != 2 or not all(isinstance(n, str) for n in pair)
                or isinstance(rho, bool) or not isinstance(rho, (int, float, np.integer, np.floating))):
            raise InputError(f"correlation {pair!r}: {rho!r}: expected (a, b) -> a number rho")
    if space not in ("templates", "enumerate"):
        raise InputError(f"unknown space {space!r}{suggest(str(space), ['templates', 'enumerate'])}; "
                         f"use templates or enumerate")
    specs = dict(cfg.dists)
    for name, spec in (dists or {}).items():
        specs[name] = spec if isinstance(spec, DistSpec) else parse_spec(spec, f"--dist {name}")
    draws = _check_draws(draws, len(specs))
    seed = check_seed(seed)
    if sampler not in SAMPLERS:
        raise InputError(f"unknown sampler {sampler!r}{suggest(sampler, SAMPLERS)}; use one of {', '.join(SAMPLERS)}")
    # a name from the model file's [uncertainty] table is located there in every error
    where = {n: cfg.where(n) for n in specs if n not in (dists or {})}
    for name in specs:
        try:
            _check_parameter(name, base, ex, "--dist" if where.get(name) is None else "[uncertainty]")
        except InputError as exc:
            raise (exc.at(where[name]) if where.get(name) is not None else exc) from None
        if name in params:  # a conflict with the command line: about the command line
            raise InputError(f"{name} has a distribution and a fixed value (--set {name}); give one of them")
    margins = {}
    for name, spec in specs.items():
        try:
            margins[name] = marginal(name, spec)
        except InputError as exc:
            raise (exc.at(where[name]) if where.get(name) is not None else exc) from None
    names = list(specs)
    uncertain = [n for n in names if margins[n].uncertain]
    corr = dict(cfg.correlations)
    for (a, b), rho in (correlations or {}).items():  # an API/CLI pair overrides the file's, either order
        corr.pop((b, a), None)
        corr[(a, b)] = rho
    correlation_matrix(names, corr, [n for n in names if not margins[n].uncertain],
                       {pair: cfg.where(pair) for pair in corr if (correlations or {}).get(pair) is None})

    dims = dict(cfg.structure)
    for key, value in (structure or {}).items():
        values, weights = value if isinstance(value, tuple) else (list(value), None)
        dims[key] = check_dimension(key, list(values), weights)
    given = set(structure or {})
    models = []
    alts = alternatives(dims)
    for a in alts:
        try:
            models.append(_alternative_model(base, a.choices, params, exchange, names, ex))
        except InputError as exc:
            # an error about a dimension the model file wrote is located at that key
            key = next((k for k in a.choices if k not in given and exc.message.startswith(f"structure {k}:")), None)
            place = cfg.where(("structure", key)) if key is not None else None
            raise (exc.at(place) if place is not None else exc) from None
    sizes = [int(a.choices.get("max_size", max_size)) for a in alts]
    counts = allocate(draws, [a.weight for a in alts])

    children = np.random.SeedSequence(seed).spawn(len(alts) + 2)
    # Sobol inputs: the uncertain parameters, then every structural dimension with a
    # choice (one uniform column each, mapped to its values by cumulative weight)
    structural = [key for key, (values, _) in dims.items() if len(values) > 1]
    sobol_names = uncertain + structural
    design, design_alt = None, np.zeros(0, dtype=np.int64)
    if sobol_names and sobol_n != 0:
        n_base = default_base(draws, len(sobol_names)) if sobol_n is None else _check_base(sobol_n)
        rows = n_base * (len(sobol_names) + 2)
        if rows > draw_limit(len(sobol_names)):
            raise InputError(f"--sobol-n {n_base:,} means {rows:,} design points, about "
                             f"{rows * draw_bytes(len(sobol_names)) / 2**30:.1f} GiB (limit "
                             f"{draw_limit(len(sobol_names)) // (len(sobol_names) + 2):,}); use a smaller --sobol-n")
        design = saltelli_design(sobol_names, n_base, children[0])
        columns = iter(design[:, len(uncertain):].T)  # a dimension with one value picks it
        u = np.column_stack([next(columns) if k in structural else np.full(len(design), 0.5) for k in dims]
                            or [np.zeros(len(design))])
        design_alt = structural_alternative(u, [dims[k][1] for k in dims])
    bar = _bar(draws + (len(design) if design is not None else 0)) if progress else None
    tasks = []
    for i, (alt, m, size, n) in enumerate(zip(alts, models, sizes, counts)):
        rows = np.flatnonzero(design_alt == i)
        if n == 0 and not len(rows):
            continue
        tasks.append({"model_toml": dump_model(m), "model_path": str(m.source or m.name), "space": space,
                      "programs": programs, "max_size": size, "dists": [(k, str(specs[k])) for k in names],
                      "correlations": corr, "sampler": sampler, "draws": n, "seed": children[2 + i],
                      "mass": mass, "priced": LOSS_PRICE in names or make_exchange(None, m).loss_price < float("inf"),
                      "design": np.ascontiguousarray(design[rows, :len(uncertain)]) if design is not None else None,
                      "design_rows": rows, "sobol_names": uncertain, "alternative": i,
                      "progress": bar.update if bar is not None else None})
    try:
        results = run_tasks(tasks, scheduler, workers, timeout, bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()

    result = _combine(results, tasks, draws, seed, sampler, names, [a.label for a in alts])
    if design is not None:
        y_dec, y_share = np.zeros(len(design)), np.zeros(len(design))
        for task, res in zip(tasks, results):  # each design row from its alternative's task
            y_dec[task["design_rows"]] = res["design"]["deceptive"]
            y_share[task["design_rows"]] = res["design"]["share"]
        result.sobol = sobol_indices(sobol_names, y_dec, children[1])
        if mass:
            result.sobol_mass_share = sobol_indices(sobol_names, y_share, children[1])
    bp = ex.sweep_parameter
    if bp in uncertain:
        result.bins_parameter, result.log_bins = bp, margins[bp].log_scale
    result.metadata = {
        "version": f"priorsearch {__version__}", "model": base.name, "model_sha256": model_sha256(base),
        "exchange": ex.to_json(), "space": space, "max_size": int(max_size) if space == "enumerate" else None,
        "dists": {k: str(v) for k, v in specs.items()},
        "truncated_at_0": sorted(k for k in names if margins[k].truncated),
        "correlations": [[a, b, float(r)] for (a, b), r in sorted(corr.items())],
        "structure": [{"alternative": a.label, "weight": a.weight, "draws": n} for a, n in zip(alts, counts)],
        "sobol_base": int(len(design) // (len(sobol_names) + 2)) if design is not None else None,
        "sobol_inputs": sobol_names if design is not None else [],
        "mass": bool(mass), "command": command or "",
    }
    return result


def _check_draws(draws, d) -> int:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise InputError(f"--draws must be a whole number >= 1, got {draws!r}")
    limit = draw_limit(d)
    if draws > limit:
        gib = draws * draw_bytes(d) / 2**30
        raise InputError(f"--draws {draws:,} needs about {gib:.1f} GiB for the per-draw results "
                         f"(limit {limit:,} draws with {d} distributions); use fewer draws")
    return int(draws)


def _check_base(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or n & (n - 1):
        raise InputError(f"--sobol-n must be a power of 2 >= 2 (or 0 for no Sobol indices), got {n!r}")
    return int(n)


def _check_parameter(name, model, ex, what):
    counted = family_counts(model, name, model.parameters[name]) if name in model.parameters else {}
    if counted:
        # the program space itself depends on it (members, multiplicities): one
        # enumeration per value, which is what a structural choice is
        fams = ", ".join(repr(f) for f in counted)
        raise InputError(f"{what} {name}: {name} is the member count of the family {fams}, so the program space "
                         f"depends on it; draw it as a structural choice: --structure {name}=V1,V2,... "
                         f"(or [uncertainty.structure] {name} = [...])")
    if name in model.parameters or name in ex.parameter_names:
        return
    owners = parameter_owners(name)
    if owners:
        raise InputError(f"{what} {name}: the {ex.name} exchange has no parameter {name!r} "
                         f"(it belongs to {', '.join(owners)}; choose it with --exchange)")
    known = list(model.parameters) + list(ex.parameter_names)
    raise InputError(f"{what} {name}: no parameter {name!r}{suggest(name, known)}; "
                     f"the model has {', '.join(known)}")


def _alternative_model(base, choices, params, exchange, dist_names, ex):
    model = base
    if "models" in choices:
        model = with_settings(resolve_model(choices["models"]), params, exchange)
        for name in dist_names:
            _check_parameter(name, model, make_exchange(None, model), f"--dist (in {choices['models']})")
    for key, value in choices.items():
        if key in STRUCTURE_KEYS:
            continue
        if key in dist_names:
            raise InputError(f"structure {key}: {key} also has a distribution; give one of them")
        if key in params:
            raise InputError(f"structure {key}: {key} is also fixed by --set {key}; give one of them")
        if key not in model.parameters:
            raise InputError(f"structure {key}: no parameter {key!r}{suggest(key, list(model.parameters) + list(STRUCTURE_KEYS))}; "
                             f"use models, max_size, exclude or a parameter of the model")
        model = model.with_params(**{key: float(value)})
    return exclude(model, choices.get("exclude", ""))


def _combine(results, tasks, draws, seed, sampler, names, labels) -> UncertaintyResult:
    """Concatenate task results in task order; winners named in first-seen order."""
    index, all_names, all_classes = {}, [], []
    parts = {"values": [], "winner": [], "deceptive": [], "share": [], "structure": []}
    for task, res in zip(tasks, results):
        remap = np.empty(len(res["names"]) + 1, dtype=np.int64)
        remap[-1] = -1
        for i, (nm, cl) in enumerate(zip(res["names"], res["classes"])):
            if nm not in index:
                index[nm] = len(all_names)
                all_names.append(nm)
                all_classes.append(cl)
            remap[i] = index[nm]
        parts["winner"].append(remap[res["winner"]])
        for key in ("values", "deceptive", "share"):
            parts[key].append(res[key])
        parts["structure"].append(np.full(len(res["winner"]), task["alternative"], dtype=np.int64))
    cat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in parts.items()}
    # names seen in tasks but never winning are dropped from the report, not from the index
    return UncertaintyResult(draws, seed, sampler, names, cat["values"].reshape(draws, len(names)),
                             cat["winner"].astype(np.int64), all_names, all_classes, cat["deceptive"].astype(bool),
                             cat["share"].astype(float), cat["structure"].astype(np.int64), labels)


def _bar(total):
    from tqdm import tqdm

    return tqdm(total=total, unit="draw", unit_scale=True, file=sys.stderr, leave=False)
