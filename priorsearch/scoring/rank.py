"""Score a set of programs (by default the post's Hfh, Hsd, Hfd) under one exchange."""
from __future__ import annotations

__all__ = ["rank", "Ranking", "RankedProgram"]

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..exchange import Exchange, is_tie, make_exchange, order
from ..features.semantics import CLASS_NAMES
from ..model.resolve import resolve_model, resolve_programs
from ..space.templates import template_table


@dataclass(frozen=True)
class RankedProgram:
    """One program of a :class:`Ranking`: its totals, score and behaviour class.

    Attributes
    ----------
    name, label, source : str
        The definition's name, its label and its canonical program text.
    c, t : float
        Description length (bits) and training time at the model's parameters.
    score : float
        The exchange's score of (c, t); lower wins.
    compatible : bool
        Whether it pursues ``base`` in every checked training episode (only these can win).
    cls : str
        ``"aligned"``, ``"deceptive"`` or ``"incompatible"``.
    deploy_objective : str
        The objective(s) it pursues when deployed, comma-joined.
    t_deploy : float
        Its weighted deployment time.
    size : int
        Nodes of the program.
    doc : str
        The definition's comment block.
    """

    name: str
    label: str
    source: str
    c: float
    t: float
    score: float
    compatible: bool
    cls: str
    deploy_objective: str
    t_deploy: float = 0.0
    size: int = 0
    doc: str = ""
    loss: float = 0.0
    eligible: bool | None = None  # competes (compatible, or any program at a finite loss price)
    priced: bool = False          # a finite loss price: the JSON reports the loss L

    def to_json(self) -> dict:
        out = {"name": self.name, "label": self.label, "source": self.source, "c": self.c,
               "t": self.t, "score": self.score, "compatible": self.compatible,
               "class": self.cls, "deploy_objective": self.deploy_objective}
        if self.priced:
            out["loss"] = self.loss
        return out


@dataclass(frozen=True)
class Ranking:
    """Programs best first; ``winner`` is None when no program is training-compatible."""

    exchange: Exchange
    params: dict
    programs: list = field(default_factory=list)
    tie: bool = False

    @property
    def winner(self) -> RankedProgram | None:
        """The first program if it is training-compatible and not excluded, else None."""
        first = self.programs[0] if self.programs else None
        # -inf is a real score (levin at t = 0: log2 0); only +inf (outside a cap) cannot win
        ok = first is not None and (first.compatible if first.eligible is None else first.eligible)
        return first if ok and first.score < np.inf else None

    def to_json(self) -> dict:
        """The ``rank --json`` document: exchange, params, winner and programs."""
        return {
            "exchange": self.exchange.to_json(),
            "params": dict(self.params),
            "winner": self.winner.name if self.winner else None,
            "programs": [p.to_json() for p in self.programs],
        }


def _check_finite(definitions, values, what):
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"{what} of {definitions[i].name} overflows to {values[i]:g}: "
                         "the costs are too large for floating point; use smaller units")


def rank(model=None, programs=None, exchange=None, params=None, **exchange_params) -> Ranking:
    """Score programs under ``model`` and an exchange, best first.

    Parameters
    ----------
    model : CostModel, path or None
        None is the post's model (:meth:`CostModel.default`).
    programs : None, path(s) or Definitions
        None scores the post's Hfh, Hsd and Hfd.
    exchange : name, Exchange, callable or None
        None uses the model's exchange; a callable ``f(c, t)`` is a custom exchange.
    params : dict, optional
        Parameter overrides (cost or exchange parameters).
    **exchange_params
        Exchange parameter values, e.g. ``g=2`` for the linear exchange (None values
        are ignored).

    Returns
    -------
    Ranking
        Every program best first, with its totals, score and class.

    Notes
    -----
    Only training-compatible programs can win unless the exchange's ``loss_price`` is
    finite: then every program competes with score ``exchange(c, t) + loss_price * L``
    (L: :meth:`~priorsearch.features.table.FeatureTable.loss`).  Ties follow the rule in
    :mod:`priorsearch.exchange`.
    """
    model = resolve_model(model, params)
    xparams = {k: v for k, v in exchange_params.items() if v is not None}
    ex = make_exchange(exchange, model, **xparams)
    definitions = resolve_programs(programs, model)
    table = template_table(model, definitions)
    costs = table.layout.cost_arrays()
    with np.errstate(over="ignore", invalid="ignore"):
        c, t, t_deploy = (x[:, 0] for x in table.totals(costs))
        _check_finite(definitions, c, "c")
        _check_finite(definitions, t, "t")
        compatible = table.compatible
        priced = ex.loss_price < np.inf
        eligible = compatible | priced
        loss = table.loss(costs)[:, 0]
        raw = np.asarray(ex.score(c, t), dtype=float)
        if ex.finite_scores and np.isposinf(raw).any():
            # finite totals score finite under such an exchange unless the arithmetic overflows
            _check_finite(definitions, raw, f"the {ex.describe()} score")
        # at a finite price the loss term is part of the score; at the default (inf) a
        # program with a loss is out of the running and reports its exchange score, as before
        score = np.asarray(ex.score(c, t, loss=loss), dtype=float) if table.lossy and priced else raw
    ex.check_totals(t, eligible, [d.name for d in definitions])
    if (eligible & np.isnan(score)).any():
        bad = int(np.argmax(eligible & np.isnan(score)))
        raise InputError(f"exchange {ex.describe()} gives no score (NaN) for {definitions[bad].name} at c={c[bad]:g}, t={t[bad]:g}")
    # +inf means excluded (cap, or a training loss at an infinite price)
    idx = order(score, c, t, table.size, eligible=eligible & (score < np.inf))
    klass = table.classes_at(eligible)
    rows = [
        RankedProgram(definitions[i].name, definitions[i].label, table.sources[i], float(c[i]), float(t[i]),
                      float(score[i]), bool(compatible[i]), CLASS_NAMES[klass[i]], table.deploy[i],
                      float(t_deploy[i]), int(table.size[i]), definitions[i].doc, float(loss[i]),
                      bool(eligible[i]), bool(priced))
        for i in idx
    ]
    tie = len(rows) > 1 and rows[1].eligible and rows[0].eligible and bool(is_tie(rows[0].score, rows[1].score))
    values = {**dict(model.parameters)}
    return Ranking(ex, values, rows, tie)
