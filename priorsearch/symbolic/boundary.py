"""Exact c(p) and t(p) as sympy expressions over the model's parameters.

Built from the same features as the numeric path, with each cost expression converted by
the whitelist parser's own translator (never ``sympify`` of user text).
"""
from __future__ import annotations

__all__ = ["symbols", "cost_expressions", "row_cost_expressions", "Boundary", "boundary", "boundary_rows",
           "exchange_symbols"]

from dataclasses import dataclass

import numpy as np
import sympy

from ..errors import InputError, suggest
from ..exchange import Exchange, make_exchange
from ..features.layout import Layout
from ..features.semantics import INCOMPATIBLE, Features
from ..lang.templates import TEMPLATE_NAMES, default_programs
from ..model.cost_model import TYPES
from ..model.resolve import resolve_model, resolve_programs
from ..space.templates import template_table


def symbols(model) -> dict:
    """One positive-or-zero real symbol per parameter (and exchange parameter).

    Parameters
    ----------
    model : CostModel
        Its cost parameters and its exchange's parameters get symbols.

    Returns
    -------
    dict
        Parameter name -> ``sympy.Symbol`` (nonnegative, real).
    """
    names = list(model.parameters) + [k for k in model.exchange_params]
    return {n: sympy.Symbol(n, nonnegative=True, real=True) for n in names}


def cost_expressions(features: Features, layout: Layout, syms=None):
    """(c, t, t_deploy) of one program as sympy expressions.

    Parameters
    ----------
    features : Features
        The program's features (:func:`priorsearch.features.semantics.evaluate`).
    layout : Layout
        The layout the features refer to.
    syms : dict or None
        Parameter name -> symbol; None is :func:`symbols` of the layout's model.

    Returns
    -------
    c, t, t_deploy : sympy expressions
        t aggregates training episodes as the model does (weighted mean or max).
    """
    model = layout.model
    syms = syms or symbols(model)
    c = sympy.Integer(0)
    for item in sorted(features.items):
        c += layout.item_exprs[item].to_sympy(syms)
    node_bits = model.node_bits.to_sympy(syms)
    for type_index, count in enumerate(features.nodes):
        if count:
            per_node = node_bits
            if model.code == "prefix":
                per_node = per_node + sympy.log(int(layout.choices[type_index]), 2)
            c += count * per_node
    per_episode = []
    for e, ep in enumerate(layout.episodes):
        total = sympy.Integer(0)
        for g in range(layout.n_groups):
            n = features.time_counts[g][e]
            if n:
                total += n * layout.group_exprs[g][e].to_sympy(syms)
        per_episode.append(total)

    def mean(phase):
        idx = [e for e, ep in enumerate(layout.episodes) if ep.phase == phase]
        if not idx:
            return sympy.Integer(0)
        weights = [layout.episodes[e].weight.to_sympy(syms) for e in idx]
        if phase == "train" and model.time_aggregate == "max":
            return sympy.Max(*[per_episode[e] for e in idx])
        return sympy.simplify(sum(w * per_episode[e] for w, e in zip(weights, idx)) / sum(weights))

    return sympy.expand(c), mean("train"), mean("deploy")


def row_cost_expressions(table, row: int, syms=None):
    """(c, t) of row ``row`` of a FeatureTable as sympy expressions (same features as the
    numeric path: referenced items, nodes per type, executions per time group).

    Parameters
    ----------
    table : FeatureTable
        The table holding the row.
    row : int
        The row index.
    syms : dict or None
        Parameter name -> symbol; None is :func:`symbols` of the table's model.

    Returns
    -------
    c, t : sympy expressions
    """
    layout = table.layout
    model = layout.model
    syms = syms or symbols(model)
    c = sympy.Integer(0)
    for item in np.flatnonzero(table.desc[row]):
        c += layout.item_exprs[int(item)].to_sympy(syms)
    node_bits = model.node_bits.to_sympy(syms)
    for type_index, count in enumerate(table.nodes[row]):
        if count:
            per_node = node_bits
            if model.code == "prefix":
                per_node = per_node + sympy.log(int(layout.choices[type_index]), 2)
            c += int(count) * per_node
    per_episode = []
    for e in range(len(layout.episodes)):
        total = sympy.Integer(0)
        for g in range(layout.n_groups):
            n = int(table.time_counts[row, g, e])
            if n:
                total += n * layout.group_exprs[g][e].to_sympy(syms)
        per_episode.append(total)
    train = [e for e, ep in enumerate(layout.episodes) if ep.phase == "train"]
    if model.time_aggregate == "max":
        t = sympy.Max(*[per_episode[e] for e in train])
    else:
        weights = [layout.episodes[e].weight.to_sympy(syms) for e in train]
        t = sympy.simplify(sum(w * per_episode[e] for w, e in zip(weights, train)) / sum(weights))
    return sympy.expand(c), t


# --------------------------------------------------------------------------- boundaries

def _sign(expr) -> str:
    """'+', '-', '0', '>=0', '<=0' or '?' for an expression over non-negative symbols."""
    expr = sympy.simplify(expr)
    if expr.is_zero:
        return "0"
    if expr.is_positive:
        return "+"
    if expr.is_negative:
        return "-"
    if expr.is_nonnegative:
        return ">=0"
    if expr.is_nonpositive:
        return "<=0"
    return "?"


@dataclass
class Boundary:
    """When program ``a`` beats program ``b`` under one exchange, exactly.

    ``condition`` is a sympy relation over the parameters (and the exchange parameter)
    that holds iff a's score is lower than b's; ties on score are broken by (c, t, size,
    order) as everywhere in priorsearch.  For linear, levin and power the scores differ by
    ``P*x + Q`` in the exchange parameter x (``g`` or ``lambda``): ``tie`` is x* = -Q/P.
    ``cases`` says who wins where, in words; ``at_model`` is the same at the model's
    parameter values.
    """

    a: str
    b: str
    label_a: str
    label_b: str
    exchange: str
    parameter: str
    c_a: object
    t_a: object
    c_b: object
    t_b: object
    condition: object
    difference: object | None  # score_a - score_b (None for cap)
    slope: object | None  # P
    offset: object | None  # Q
    tie: object | None
    cases: list
    at_model: str
    dominance: str = ""
    score_text: str = ""

    def text(self) -> str:
        """The report ``priorsearch boundary`` prints: costs, condition, tie and cases."""
        A, B = self._n(self.a, self.label_a), self._n(self.b, self.label_b)
        lines = [f"{A} vs {B}, exchange {self.exchange} (score {self.score_text}; lower wins)",
                 f"  c({self.a}) = {self.c_a}    t({self.a}) = {self.t_a}",
                 f"  c({self.b}) = {self.c_b}    t({self.b}) = {self.t_b}",
                 f"  c({self.a}) - c({self.b}) = {sympy.factor(self.c_a - self.c_b)}",
                 f"  t({self.a}) - t({self.b}) = {sympy.factor(self.t_a - self.t_b)}",
                 f"{self.a} beats {self.b} iff {self.condition}"]
        if self.tie is not None:
            lines.append(f"tie: {self.parameter}* = {self.tie}")
        if self.dominance:
            lines.append(self.dominance)
        lines += [f"  {c}" for c in self.cases]
        lines.append(self.at_model)
        return "\n".join(lines)

    def latex(self) -> str:
        """The condition (and the tie, if any) as LaTeX lines."""
        out = [f"% {self.a} vs {self.b}, exchange {self.exchange}",
               f"\\text{{{_tex(self.a)} beats {_tex(self.b)}}} \\iff {sympy.latex(self.condition)}"]
        if self.tie is not None:
            out.append(f"{sympy.latex(sympy.Symbol(self.parameter))}^* = {sympy.latex(self.tie)}")
        return "\n".join(out)

    def to_json(self) -> dict:
        """The boundary as JSON-ready data (expressions as text)."""
        return {"a": self.a, "b": self.b, "exchange": self.exchange, "parameter": self.parameter,
                "condition": str(self.condition), "tie": None if self.tie is None else str(self.tie),
                "cases": list(self.cases), "at_model": self.at_model, "dominance": self.dominance}

    @staticmethod
    def _n(name, label):
        return f"{name} ({label})" if label and label != name else name


def _tex(name: str) -> str:
    return name.replace("_", "\\_")


def boundary(a, b, model=None, exchange=None, programs=None) -> Boundary:
    """The exact condition under which program ``a`` beats program ``b``.

    Parameters
    ----------
    a, b : str
        Template or program names (``honest``, ``simple_deceptive``, ...).
    model : CostModel, path or None
        None: the post's model.
    exchange : name, Exchange or None
        A built-in exchange (linear, levin, power, cap); None: the model's.
    programs : path(s) or Definitions, optional
        Where to look the names up (default: every packaged template).

    Returns
    -------
    Boundary
        The condition, the tie value (when the scores are affine in the exchange
        parameter) and who wins where, in words.

    Examples
    --------
    >>> import priorsearch as ps
    >>> str(ps.boundary("honest", "simple_deceptive").tie)
    '(-T_B + T_F + T_MO + T_comb)/(C_B - C_S - C_comb)'
    """
    model = resolve_model(model)
    ex = make_exchange(exchange, model) if not isinstance(exchange, Exchange) else exchange
    if not ex.symbolic:
        raise InputError(f"boundary needs an exchange with a symbolic form (linear, levin, power, cap or a "
                         f"registered one), not {ex.name!r}")
    if a == b:
        raise InputError(f"boundary needs two different programs, got {a!r} twice")
    definitions = resolve_programs(programs if programs is not None else default_programs(TEMPLATE_NAMES), model)
    by_name = {d.name: d for d in definitions}
    for name in (a, b):
        if name not in by_name:
            raise InputError(f"unknown program {name!r}{suggest(name, by_name)}; known: {', '.join(by_name)}")
    da, db = by_name[a], by_name[b]
    table = template_table(model, [da, db])
    for row, d in enumerate((da, db)):
        if table.cls[row] == INCOMPATIBLE:
            raise InputError(f"{d.name} is not training-compatible (it does not pursue base in training), so it never competes")
    return boundary_rows(table, 0, 1, model, ex)


def boundary_rows(table, ra: int, rb: int, model, ex) -> Boundary:
    """:func:`boundary` between two rows of a FeatureTable (used by phase diagrams).

    Parameters
    ----------
    table : FeatureTable
        The table holding both rows.
    ra, rb : int
        The rows of programs a and b.
    model : CostModel
        Supplies the parameter values for ``at_model``.
    ex : Exchange
        An exchange with a symbolic form.

    Returns
    -------
    Boundary
    """
    syms = exchange_symbols(model, ex)
    c_a, t_a = row_cost_expressions(table, ra, syms)
    c_b, t_b = row_cost_expressions(table, rb, syms)
    a = table.names[ra] or table.sources[ra] or f"class_{ra}"
    b = table.names[rb] or table.sources[rb] or f"class_{rb}"
    la, lb = table.labels[ra], table.labels[rb]
    dc, dt = sympy.simplify(c_a - c_b), sympy.simplify(t_a - t_b)
    param = ex.sweep_parameter
    values = {syms[k]: v for k, v in model.parameters.items()}
    values.update({syms[k]: v for k, v in ex.params.items()})
    dominance = ""
    sc, st = _sign(dc), _sign(dt)
    if sc in ("0", "-", "<=0") and st in ("0", "-", "<=0"):
        dominance = (f"{a} never loses to {b} under any exchange increasing in c and t: its c is lower by "
                     f"{sympy.factor(-dc)} >= 0 and its t by {sympy.factor(-dt)} >= 0 "
                     f"(strictly better unless both are 0; then the tie goes to the shorter, faster, smaller program)")
    elif sc in ("0", "+", ">=0") and st in ("0", "+", ">=0"):
        dominance = (f"{b} never loses to {a} under any exchange increasing in c and t: {a}'s c is higher by "
                     f"{sympy.factor(dc)} >= 0 and its t by {sympy.factor(dt)} >= 0")
    bd = Boundary(a, b, la, lb, ex.name, param, c_a, t_a, c_b, t_b, None, None, None, None, None,
                  [], "", dominance, ex.score_text)
    bd.values = values
    special = ex.symbolic_condition(bd, syms)
    if special is not None:  # not affine in a parameter (cap): the exchange says it all
        bd.condition, bd.cases, bd.at_model = special
        return bd
    x = syms[param]
    P, Q, sign_p, sign_q, what_p, what_q = ex.affine_terms(c_a, t_a, c_b, t_b, syms)
    sp, sq = _sign(sign_p), _sign(sign_q)
    what_p, what_q = what_p.format(a=a, b=b), what_q.format(a=a, b=b)
    bd.difference = sympy.simplify(ex.sympy_score(c_a, t_a, syms) - ex.sympy_score(c_b, t_b, syms))
    bd.condition = sympy.simplify(P * x < -Q) if not P.is_zero else sympy.simplify(Q < 0)
    # expand, not simplify: keeps the post's form (T_comb + T_F + T_MO - T_B)/(C_B - C_S - C_comb)
    bd.tie = None if P.is_zero or dominance else sympy.expand(-Q) / sympy.expand(P)
    bd.slope, bd.offset = P, Q
    bd.cases = _linear_cases(a, b, param, sp, sq, what_p, what_q, P, Q)
    pv, qv = float(sympy.N(P.subs(values))), float(sympy.N(Q.subs(values)))
    bd.at_model = "at the model's values: " + _numeric_case(a, b, param, pv, qv)
    return bd


def exchange_symbols(model, ex) -> dict:
    """Symbols of the model's parameters and of the exchange's (non-negative reals).

    Parameters
    ----------
    model : CostModel
        Its parameters get symbols (:func:`symbols`).
    ex : Exchange
        Its parameters get symbols too, when the model has none of that name.

    Returns
    -------
    dict
        Parameter name -> ``sympy.Symbol``.
    """
    syms = symbols(model)
    for name in ex.parameter_names:
        syms.setdefault(name, sympy.Symbol(name, nonnegative=True, real=True))
    return syms


def _linear_cases(a, b, x, sp, sq, what_p, what_q, P, Q):
    """Who wins where when a's score minus b's is P*x + Q (x >= 0)."""
    p, q = sympy.factor(P), sympy.factor(Q)
    cases = []
    pos, neg = ("+", ">=0", "?"), ("-", "<=0", "?")
    if sp in ("+", ">=0", "?") and sq in ("-", "<=0", "?"):
        cases.append(f"when {what_p} = {p} > 0 and {what_q} = {q} < 0: {a} wins for {x} < {x}*, {b} for {x} > {x}*")
    if sp in pos and sq in ("+", ">=0", "0", "?"):
        cases.append(f"when {what_p} = {p} > 0 and {what_q} = {q} >= 0: {b} wins for every {x} > 0 "
                     f"({a} is behind on both terms)")
    if sp in neg and sq in ("+", ">=0", "?"):
        cases.append(f"when {what_p} = {p} < 0 and {what_q} = {q} > 0: {b} wins for {x} < {x}*, {a} for {x} > {x}*")
    if sp in neg and sq in ("-", "<=0", "0", "?"):
        cases.append(f"when {what_p} = {p} < 0 and {what_q} = {q} <= 0: {a} wins for every {x} > 0 "
                     f"({b} is behind on both terms)")
    if sp in ("0", ">=0", "<=0", "?"):
        cases.append(f"when {what_p} = 0: the {x} term cancels; {a} wins iff {what_q} = {q} < 0 (for every {x})")
    return cases


def _numeric_case(a, b, x, pv, qv) -> str:
    if pv == 0:
        if qv == 0:
            return f"equal scores for every {x} (the tie rule decides: shorter, then faster, then smaller)"
        return f"{a if qv < 0 else b} wins for every {x} ({x} drops out)"
    star = -qv / pv
    if star <= 0:
        return f"{a if pv < 0 else b} wins for every {x} > 0 (no tie at positive {x}: {x}* = {star:.6g})"
    low, high = (a, b) if pv > 0 else (b, a)
    return f"{x}* = {star:.6g}: {low} wins for {x} < {star:.6g}, {high} for {x} > {star:.6g}"
