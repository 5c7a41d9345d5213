"""Search every program of the DSL: the winner, a top-K ranking, ties, masses and counts.

:func:`search` enumerates every well-typed Policy program up to ``max_size`` nodes (as
classes, :mod:`priorsearch.space.enumerate`), prices each class at the model's parameters and
scores it with the exchange.  Only training-compatible classes compete.  The order is
the documented rule of :func:`priorsearch.exchange.order`: by score; scores within
``TIE_RTOL`` of the best are ties, broken by smaller c, then smaller t, then fewer
nodes, then enumeration order.  Every class tied with the winner is reported.

:func:`search_table` does the same on a table enumerated once, so a sweep over costs
(or many random cost draws) pays for one enumeration.
"""
from __future__ import annotations

__all__ = ["search", "search_table", "SearchResult", "SearchedClass", "TIE_RULE"]

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..space.classes import at_family_sizes, same_structure
from ..space.enumerate import counts_by_size, enumerate_classes, label_classes
from ..errors import InputError
from ..exchange import TIE_RULE, Exchange, best_rows, make_exchange
from ..features.table import FeatureTable, check_finite_totals, totals
from .codes import CodeReport, code_report
from .frames import search_dataframe
from .mass import Masses, log2_masses
from ..model.resolve import resolve_model, resolve_programs
from ..features.semantics import CLASS_NAMES, INCOMPATIBLE

#: rows per totals chunk: its float temporaries (~400 B per row) stay in cache and are
#: reused, not faulted in anew (2-3x faster than 32k rows on the rich DSL; a row's totals
#: do not depend on its chunk)
_CHUNK = 1 << 11


@dataclass(frozen=True)
class SearchedClass:
    """One class of programs: its representative, totals, score and multiplicity."""

    row: int
    source: str
    name: str
    label: str
    c: float
    t: float
    score: float
    size: int
    cls: str
    deploy_objective: str
    multiplicity: int
    t_deploy: float = 0.0
    tie: bool = False
    loss: float | None = None  # the training loss L, reported at a finite loss price
    #: distinct members of each family the class's programs use (an orbit: its text
    #: names them NAME_i, NAME_j, ...; multiplicity = K(K-1)... times the pattern count)
    members: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"row": self.row, "source": self.source, "name": self.name, "label": self.label,
               "c": self.c, "t": self.t, "score": _finite(self.score), "size": self.size,
               "class": self.cls, "deploy_objective": self.deploy_objective,
               "multiplicity": self.multiplicity, "t_deploy": self.t_deploy, "tie": self.tie}
        if self.loss is not None:
            out["loss"] = self.loss
        if self.members:
            out["members"] = dict(self.members)
        return out


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search` found (see module docstring)."""

    model: str
    exchange: Exchange
    params: dict
    max_size: int
    winner: SearchedClass | None
    top: list
    ties: list
    masses: Masses | None
    mass_note: str
    counts: dict
    n_classes: int
    n_programs: int
    n_compatible: int
    table: FeatureTable = field(repr=False, compare=False, default=None)
    family_sizes: tuple = ()   # ((family, K), ...): exact member counts
    code: CodeReport = None    # the code masses are measured in; convergence; tail bound
    #: per class of ``table``: c, t, t_deploy, score, eligible and class-code arrays (for
    #: to_dataframe; the class is the one reported, by behaviour at a finite loss price)
    arrays: dict = field(repr=False, compare=False, default=None)

    def to_dataframe(self):
        """A pandas DataFrame with one row per class, best first by the tie rule
        (ineligible classes last): see :func:`priorsearch.scoring.frames.search_dataframe`."""
        return search_dataframe(self)

    @property
    def argmin_class(self) -> str | None:
        """Behaviour class of the winner (``aligned``/``deceptive``/``proxy``)."""
        return self.winner.cls if self.winner else None

    @property
    def heaviest_class(self) -> str | None:
        """The behaviour class (``aligned``, ``deceptive`` or ``proxy``) that carries the
        most prior mass (None without masses)."""
        return self.masses.heaviest if self.masses else None

    def to_json(self) -> dict:
        """The ``search --json`` document."""
        return {
            "model": self.model,
            "exchange": self.exchange.to_json(),
            "params": dict(self.params),
            "max_size": self.max_size,
            "winner": self.winner.to_json() if self.winner else None,
            "top": [r.to_json() for r in self.top],
            "ties": {"rule": TIE_RULE, "count": len(self.ties), "classes": [r.to_json() for r in self.ties]},
            "masses": self.masses.to_json() if self.masses else None,
            "mass_note": self.mass_note,
            "code": self.code.to_json() if self.code else None,
            "argmin_class": self.argmin_class,
            "heaviest_class": self.heaviest_class,
            "counts": self.counts,
            "classes": self.n_classes,
            "programs": self.n_programs,
            "compatible_programs": self.n_compatible,
            "families": {name: k for name, k in self.family_sizes},
            "deceptive_share": self.deceptive_share,
        }

    @property
    def deceptive_share(self) -> float | None:
        """The deceptive class's share of the compatible mass (of the competing mass at a
        finite loss price, :attr:`priorsearch.scoring.mass.Masses.total`; None without masses)."""
        if self.masses is None:
            return None
        d, comp = self.masses.classes["deceptive"], self.masses.classes[self.masses.total]
        if not np.isfinite(comp):
            return None
        return float(2.0 ** (d - comp)) if np.isfinite(d) else 0.0


def _finite(x):
    return float(x) if np.isfinite(x) else None


def search(model=None, max_size=9, exchange=None, params=None, top=10, max_classes=None,
           progress=None, programs=None, **exchange_params) -> SearchResult:
    """Enumerate every Policy program up to ``max_size`` nodes and rank the classes.

    Parameters
    ----------
    model : CostModel, path or None
        None is the post's model.
    max_size : int
        Largest program size (nodes).
    exchange : name, Exchange, callable or None
        None uses the model's exchange.
    params : dict, optional
        Parameter overrides (cost or exchange parameters).
    top : int
        Rows of the ranking (compatible classes, best first).
    max_classes : int, optional
        Bound on the classes the enumeration may hold (see
        :func:`priorsearch.space.enumerate.enumerate_classes`).
    progress : callable(done, total, note), optional
        Progress of the enumeration (the CLI passes a tqdm bar).
    programs : paths or Definitions, optional
        The user's templates: the classes they fall in are named after them (every
        program is enumerated anyway; the packaged templates name the others).
    **exchange_params
        e.g. ``g=2``.
    """
    model = resolve_model(model, params)
    xparams = {k: v for k, v in exchange_params.items() if v is not None}
    ex = make_exchange(exchange, model, **xparams)
    table = enumerate_classes(model, max_size, max_classes=max_classes, progress=progress)
    if programs is not None:
        table = label_classes(table, resolve_programs(programs, model))
    return search_table(table, ex, model=model, top=top)


def search_table(table: FeatureTable, exchange=None, model=None, top=10, **exchange_params) -> SearchResult:
    """Rank an enumerated table at ``model``'s parameters (default: the table's model).

    Parameters
    ----------
    table : FeatureTable
        Enumerated classes (:func:`priorsearch.space.enumerate_classes`).
    exchange : name, Exchange, callable or None
        As for :func:`priorsearch.rank`; None uses the model's exchange.
    model : CostModel or None
        Must have the structure the table was enumerated for (same primitives and
        episodes); only its parameter values are used.  None is the table's model.
    top : int
        How many of the best classes to report (>= 0).
    **exchange_params
        Exchange parameter values, e.g. ``g=2`` (None values are ignored).

    Returns
    -------
    SearchResult
        The winner, the ``top`` best classes, every class tied with the best, masses and
        counts by size.
    """
    layout = table.layout
    enumerated = getattr(getattr(table, "enumeration", None), "model", None) or layout.model
    model = enumerated if model is None else model
    if not same_structure(model, table):
        raise InputError("search_table: the model's primitives or episodes differ from the enumerated ones; enumerate again")
    table = at_family_sizes(table, dict(model.family_sizes))
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 0:
        raise InputError(f"top must be a whole number >= 0, got {top!r}")
    ex = make_exchange(exchange, model, **{k: v for k, v in exchange_params.items() if v is not None})
    points = {k: np.array([v]) for k, v in model.parameters.items()}
    costs = layout.cost_arrays(points)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is one clear error below
        c, t, t_deploy = _totals(table, costs)
        check_finite_totals(c, t, table.sources)
        score = np.asarray(ex.score(c, t), dtype=float).reshape(-1)
        ex.check_scores(c, t, score, table.sources)
    compatible = np.asarray(table.compatible)
    priced = ex.loss_price < np.inf
    # at a finite loss price every program competes, its training loss priced in
    competing = compatible | priced
    loss = table.loss(costs)[:, 0] if table.lossy and priced else None
    if loss is not None:
        score = np.asarray(ex.score(c, t, loss=loss), dtype=float).reshape(-1)
    ex.check_totals(t, competing, table.sources)
    bad = competing & np.isnan(score)
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"exchange {ex.describe()} gives no score (NaN) for {table.sources[i]} at c={c[i]:g}, t={t[i]:g}")
    # a class whose programs need more members than a family has (K(K-1)... = 0) is empty
    eligible = competing & np.isfinite(score) & (table.log2_multiplicity > -np.inf)
    klass = table.classes_at(competing)
    size = np.asarray(table.size)
    ranked, tied = best_rows(score, c, t, size, eligible, top)
    rows = {}

    fam_names = [name for name, _ in table.family_sizes]

    def row(i, is_tie):
        members = {} if table.pattern is None else {
            n: int(m) for n, m in zip(fam_names, table.pattern[i]) if m}
        return SearchedClass(
            int(i), table.sources[i], table.names[i], table.labels[i], float(c[i]), float(t[i]),
            float(score[i]), int(size[i]), CLASS_NAMES[int(klass[i])], table.deploy[i],
            int(table.multiplicity[i]), float(t_deploy[i]), is_tie,
            (float(loss[i]) if loss is not None else 0.0) if priced else None, members)

    tied_set = set(int(i) for i in tied)
    top_rows = [row(i, int(i) in tied_set and len(tied) > 1) for i in ranked]
    tie_rows = [row(i, True) for i in tied] if len(tied) > 1 else []
    winner = top_rows[0] if top_rows else (row(tied[0], False) if len(tied) else None)
    max_size = int(getattr(table, "max_size", 0) or (size.max() if len(size) else 0))
    code = code_report(layout, max_size, ex, costs)
    try:
        bits = np.asarray(ex.bits(c, t, loss=loss), dtype=float).reshape(-1)
        masses = log2_masses(table, bits, competing if priced else None)
        note = f"log2 prior mass over programs up to {max_size} nodes ({code.describe()})"
    except InputError as exc:
        masses, note = None, f"no masses: {exc.message}"
    counts = counts_by_size(table)
    return SearchResult(
        model.name, ex, dict(model.parameters), int(getattr(table, "max_size", 0) or (size.max() if len(size) else 0)),
        winner, top_rows, tie_rows, masses, note, counts, len(table), sum(counts["programs"]),
        sum(counts["compatible"]), table, tuple(table.family_sizes), code,
        {"c": c, "t": t, "t_deploy": t_deploy, "score": score, "eligible": eligible, "class": klass,
         "loss": (loss if loss is not None else np.zeros(len(table))) if priced else None})


def _totals(table, costs):
    """c, t, t_deploy at one parameter point, in chunks (bounded memory)."""
    n = len(table)
    c = np.empty(n)
    t = np.empty(n)
    td = np.empty(n)
    for lo, hi, desc, nodes, counts in table.feature_chunks(_CHUNK):
        cc, tt, dd = totals(desc, nodes, counts, costs)
        c[lo:hi], t[lo:hi], td[lo:hi] = cc[:, 0], tt[:, 0], dd[:, 0]
    return c, t, td
