"""Structural draws and tasks: each program space is one task, run in-process or on Dask.

A structural dimension changes the program space itself — the model file, a family's
count K (a parameter the enumeration depends on), the size limit, or leaving out a
primitive or an episode — so every combination of values (an *alternative*) needs its
own enumeration.  Alternatives get draws in proportion to their weights (largest
remainders, ties to the earlier one), and each runs as one task.

Determinism: task i draws from child i + 2 of ``SeedSequence(seed).spawn`` (child 0 is
the Sobol design's, child 1 its bootstrap's); the design's rows go to the task of their
alternative (a structural dimension is a Sobol input), and results are combined in task
order, so the outcome is byte-identical in-process, on a LocalCluster (``workers``) or
on any scheduler.
"""
from __future__ import annotations

__all__ = ["Alternative", "alternatives", "allocate", "run_task", "run_tasks", "exclude", "SCHEDULER_TIMEOUT"]

import itertools
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError, suggest
from ..model.toml_format import loads_model
from .distributions import correlate, marginal
from .engine import SpaceEvaluator
from .sampling import unit_draws
from .specs import parse_spec

#: seconds to wait for a --scheduler before giving up (exit 2, never a hang)
SCHEDULER_TIMEOUT = 10.0


@dataclass(frozen=True)
class Alternative:
    """One program space: ``choices`` maps a dimension to its value here."""

    choices: dict = field(default_factory=dict)
    weight: float = 1.0

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                         for k, v in self.choices.items()) or "the model"


def alternatives(dimensions: dict) -> list:
    """Every combination of the dimensions' values, weight = product of the weights.

    Parameters
    ----------
    dimensions : dict
        A name (``models``, ``max_size``, ``exclude`` or a parameter) -> (values,
        weights); weights need not sum to 1.

    Returns
    -------
    list of Alternative
    """
    if not dimensions:
        return [Alternative()]
    names = list(dimensions)
    out = []
    for combo in itertools.product(*[range(len(dimensions[n][0])) for n in names]):
        choices = {n: dimensions[n][0][i] for n, i in zip(names, combo)}
        weight = 1.0
        for n, i in zip(names, combo):
            values, weights = dimensions[n]
            weight *= float(weights[i]) / float(sum(weights))
        out.append(Alternative(choices, weight))
    return out


def allocate(n: int, weights) -> list:
    """``n`` draws split in proportion to ``weights``: floors, then the largest remainders.

    Parameters
    ----------
    n : int
    weights : sequence of float

    Returns
    -------
    list of int
    """
    w = np.asarray(weights, dtype=float)
    share = w / w.sum() * n
    base = np.floor(share).astype(np.int64)
    rest = n - int(base.sum())
    order = sorted(range(len(w)), key=lambda i: (-(share[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return [int(x) for x in base]


def exclude(model, name: str):
    """``model`` without the primitive (or family) or the episode called ``name``.

    Parameters
    ----------
    model : CostModel
    name : str
        Empty: ``model`` unchanged.

    Returns
    -------
    CostModel
    """
    if not name:
        return model
    prims = [p for p in model.base_primitives if p.name != name]
    fams = [f for f in model.families if f.name != name]
    if len(prims) < len(model.base_primitives) or len(fams) < len(model.families):
        return model._replace(primitives=prims, families=fams)
    eps = [e for e in model.episodes if e.name != name]
    if len(eps) < len(model.episodes):
        return model.with_episodes(*eps)
    known = [p.name for p in model.base_primitives] + [f.name for f in model.families] + [e.name for e in model.episodes]
    raise InputError(f"structure exclude: no primitive or episode {name!r}{suggest(name, known)}")


def run_task(task: dict) -> dict:
    """Draw and score one alternative (a plain dict in, arrays out: picklable for Dask).

    Parameters
    ----------
    task : dict
        ``model_toml``, ``model_path``, ``space``, ``programs``, ``max_size``, ``dists``
        (name, spec text) pairs, ``correlations``, ``sampler``, ``draws``, ``seed`` (a
        SeedSequence), ``mass``, ``priced`` (the loss price is finite in some draw),
        ``design`` ((N, d) unit points of the parameters, the design rows whose
        structural columns pick this alternative, or None),
        ``sobol_names`` and optionally ``progress``.

    Returns
    -------
    dict
        ``values``, ``winner``, ``names``, ``classes``, ``deceptive``, ``share`` and
        ``design`` (the outputs at the design points, or None).
    """
    model = loads_model(task["model_toml"], path=task["model_path"])
    ev = SpaceEvaluator(model, task["space"], task["programs"], task["max_size"], task["mass"],
                         task.get("priced", False))
    names = [n for n, _ in task["dists"]]
    margins = [marginal(n, parse_spec(s, n)) for n, s in task["dists"]]
    n = int(task["draws"])
    values = np.empty((n, len(names)))
    if n:  # an alternative may have Sobol design rows only
        u = unit_draws(n, len(names), task["sampler"], task["seed"])
        u = correlate(u, names, task["correlations"])
        for j, m in enumerate(margins):
            values[:, j] = m.ppf(u[:, j])
    out = ev.evaluate({nm: values[:, j] for j, nm in enumerate(names)}, n, task.get("progress"))
    result = {"values": values, "winner": out.winner, "names": out.names, "classes": out.classes,
              "deceptive": out.deceptive, "share": out.share, "design": None}
    design = task.get("design")
    if design is not None:
        sobol_names = task["sobol_names"]
        cols = {nm: m for nm, m in zip(names, margins)}
        dv = {nm: cols[nm].ppf(design[:, j]) for j, nm in enumerate(sobol_names)}
        for nm, m in cols.items():  # parameters held fixed in the design
            if nm not in dv:
                dv[nm] = np.full(len(design), m.ppf(np.array([0.5]))[0])
        d_out = ev.evaluate(dv, len(design), task.get("progress"))
        result["design"] = {"deceptive": d_out.deceptive.astype(float), "share": d_out.share}
    return result


def run_tasks(tasks, scheduler=None, workers=None, timeout=SCHEDULER_TIMEOUT, progress=None):
    """Results of ``tasks`` in their order, in-process or as Dask tasks.

    Parameters
    ----------
    tasks : list of dict
        See :func:`run_task`.
    scheduler : str or None
        Address of a running Dask scheduler.
    workers : int or None
        Start a LocalCluster of this many worker processes instead (at most one per task).
    timeout : float
        Seconds to wait for ``scheduler`` (and for one of its workers) before an
        InputError.
    progress : callable or None
        On Dask, called with each task's draws (and design rows) as it completes; in
        process the tasks' own ``progress`` callbacks report every chunk.

    Returns
    -------
    list of dict
    """
    if scheduler is None and workers is None:
        return [run_task(t) for t in tasks]
    if scheduler is not None and workers is not None:
        raise InputError("give --scheduler or --workers, not both")
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - the dask extra is missing
        raise InputError('--scheduler and --workers need dask.distributed: pip install "priorsearch[dask]"') from None
    for t in tasks:
        t.pop("progress", None)  # a callback stays in this process
    cluster = None
    if scheduler is not None:
        if not (isinstance(timeout, (int, float)) and 0 < timeout < float("inf")):
            raise InputError(f"--timeout must be a positive number of seconds, got {timeout!r}")
        address = str(scheduler)
        try:
            client = Client(address, timeout=f"{float(timeout)}s")
        except Exception as exc:  # refused, timed out, a bad address, or not a Dask scheduler at all
            known = isinstance(exc, (OSError, TimeoutError, ValueError))
            reason = " ".join(str(exc).split())[:160] if known else "it does not answer as a Dask scheduler"
            raise InputError(f"--scheduler {address}: cannot reach a Dask scheduler within {timeout:g} s ({reason})") from None
        try:  # a scheduler without workers would leave the tasks waiting for ever
            client.wait_for_workers(1, timeout=float(timeout))
        except Exception:
            client.close()
            raise InputError(f"--scheduler {address}: the scheduler has no workers after {timeout:g} s; "
                             f"start some with: dask worker {address}") from None
    else:
        if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
            raise InputError(f"--workers must be a whole number >= 1, got {workers!r}")
        # more workers than tasks would only idle (and a huge N would swamp the machine)
        cluster = LocalCluster(n_workers=min(int(workers), max(len(tasks), 1)), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=50)
        client = Client(cluster)
    try:
        futures = client.map(run_task, tasks, pure=False)
        if progress is not None:
            from distributed import as_completed

            done = {f.key: t["draws"] + (len(t["design"]) if t.get("design") is not None else 0)
                    for f, t in zip(futures, tasks)}
            for future in as_completed(futures):
                progress(done[future.key])
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
