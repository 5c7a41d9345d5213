"""Exact tie conditions between two programs, from their sympy c(p), t(p) and L(p)
(:mod:`priorsearch.symbolic.costs`, re-exported here).
"""
from __future__ import annotations

__all__ = ["symbols", "cost_expressions", "row_cost_expressions", "row_loss_expression", "Boundary", "boundary",
           "boundary_rows", "loss_price_boundary", "exchange_symbols"]

import math
from dataclasses import dataclass

import sympy

from ..errors import InputError, suggest
from ..exchange import Exchange, make_exchange
from ..exchange.base import LOSS_PRICE
from ..features.semantics import INCOMPATIBLE
from ..lang.templates import TEMPLATE_NAMES, default_programs
from ..model.resolve import resolve_model, resolve_programs
from ..space.templates import template_table
from ..lang.sympy_budget import expand, factor, tidy
from .costs import cost_expressions, row_cost_expressions, row_loss_expression, symbols


def _sign(expr) -> str:
    """'+', '-', '0', '>=0', '<=0' or '?' for an expression over non-negative symbols."""
    expr = tidy(expr)
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
                 f"  c({self.a}) - c({self.b}) = {factor(self.c_a - self.c_b)}",
                 f"  t({self.a}) - t({self.b}) = {factor(self.t_a - self.t_b)}",
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


def boundary(a, b, model=None, exchange=None, programs=None, parameter=None) -> Boundary:
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
    parameter : str, optional
        The parameter to solve the tie for (default: the exchange's own, g or lambda).
        ``loss_price`` gives loss_price* = (score difference) / (L difference), where
        programs with a training loss L compete (:func:`loss_price_boundary`).  At a
        finite loss price (``--set loss_price=X``) a program with a training loss
        competes in the default case too: both scores carry loss_price * L, so the tie
        in the exchange's parameter has loss_price * (L_a - L_b) in it.

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
    if parameter == LOSS_PRICE:
        return loss_price_boundary(table, 0, 1, model, ex)
    if parameter is not None and parameter != ex.sweep_parameter:
        raise InputError(f"boundary --x {parameter}: solve for {ex.sweep_parameter} (the {ex.name} exchange's "
                         f"parameter) or {LOSS_PRICE}")
    for row, d in enumerate((da, db)):
        if table.cls[row] == INCOMPATIBLE and not ex.loss_price < math.inf:
            raise InputError(f"{d.name} is not training-compatible (it does not pursue base in training), so it never "
                             f"competes at loss_price = inf; price its training loss with --set loss_price=X, or "
                             f"solve for the price with --x {LOSS_PRICE}")
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
    (c_a, t_a, c_b, t_b), unmask = _mask_min_max((c_a, t_a, c_b, t_b))
    a = table.names[ra] or table.sources[ra] or f"class_{ra}"
    b = table.names[rb] or table.sources[rb] or f"class_{rb}"
    la, lb = table.labels[ra], table.labels[rb]
    dc, dt = tidy(c_a - c_b), tidy(t_a - t_b)
    param = ex.sweep_parameter
    values = {syms[k]: v for k, v in model.parameters.items()}
    values.update({syms[k]: v for k, v in ex.params.items()})
    # at a finite loss price a program with a training loss competes: both scores carry
    # loss_price * L, a term free of the exchange's own parameter (it adds to Q below)
    dl = 0
    if ex.loss_price < math.inf and (table.miss[ra].any() or table.miss[rb].any()):
        dl = tidy(row_loss_expression(table, ra, syms) - row_loss_expression(table, rb, syms))
        values[syms[LOSS_PRICE]] = ex.loss_price
    # xreplace, not subs: all values at once, so a min/max is rebuilt once, of numbers
    numbers = {k: sympy.Float(float(v)) for k, v in values.items()}
    values.update({s: float(sympy.N(m.xreplace(numbers))) for s, m in unmask.items()})
    dominance = ""
    sc, st, sl = _sign(dc), _sign(dt), _sign(dl) if dl != 0 else "0"
    if sc in ("0", "-", "<=0") and st in ("0", "-", "<=0") and sl in ("0", "-", "<=0"):
        dominance = (f"{a} never loses to {b} under any exchange increasing in c and t: its c is lower by "
                     f"{factor(-dc)} >= 0 and its t by {factor(-dt)} >= 0 "
                     f"(strictly better unless both are 0; then the tie goes to the shorter, faster, smaller program)")
    elif sc in ("0", "+", ">=0") and st in ("0", "+", ">=0") and sl in ("0", "+", ">=0"):
        dominance = (f"{b} never loses to {a} under any exchange increasing in c and t: {a}'s c is higher by "
                     f"{factor(dc)} >= 0 and its t by {factor(dt)} >= 0")
    bd = Boundary(a, b, la, lb, ex.name, param, c_a, t_a, c_b, t_b, None, None, None, None, None,
                  [], "", dominance, ex.score_text)
    bd.values = values
    special = ex.symbolic_condition(bd, syms)
    if special is not None:  # not affine in a parameter (cap): the exchange says it all
        if dl != 0:
            raise InputError(f"boundary between programs with a training loss at loss_price = {ex.loss_price:g} "
                             f"needs an exchange with a symbolic score (linear, levin, power), not {ex.name!r}")
        bd.condition, bd.cases, bd.at_model = special
        return _unmasked(bd, unmask)
    x = syms[param]
    P, Q, sign_p, sign_q, what_p, what_q = ex.affine_terms(c_a, t_a, c_b, t_b, syms)
    what_p, what_q = what_p.format(a=a, b=b), what_q.format(a=a, b=b)
    if dl != 0:
        Q = tidy(Q + syms[LOSS_PRICE] * dl)
        sign_q = Q
        what_q = f"{what_q} + {LOSS_PRICE}*(L({a}) - L({b}))"
        bd.score_text = f"{ex.score_text} + loss_price*L"
    sp, sq = _sign(sign_p), _sign(sign_q)
    bd.difference = tidy(ex.sympy_score(c_a, t_a, syms) - ex.sympy_score(c_b, t_b, syms) + syms[LOSS_PRICE] * dl)
    bd.condition = tidy(P * x < -Q) if not P.is_zero else tidy(Q < 0)
    # expand, not simplify: keeps the post's form (T_comb + T_F + T_MO - T_B)/(C_B - C_S - C_comb)
    bd.tie = None if P.is_zero or dominance else expand(-Q) / expand(P)
    bd.slope, bd.offset = P, Q
    bd.cases = _linear_cases(a, b, param, sp, sq, what_p, what_q, P, Q)
    pv, qv = float(sympy.N(P.subs(values))), float(sympy.N(Q.subs(values)))
    bd.at_model = "at the model's values: " + _numeric_case(a, b, param, pv, qv)
    return _unmasked(bd, unmask)


def _mask_min_max(exprs):
    """Each min/max in ``exprs`` replaced by one real symbol printed like it (and as
    non-negative or positive as it is): sympy rebuilds a Min/Max at every subs and
    simplify step, comparing every pair of its arguments, which made ``boundary`` take
    minutes on a 64-argument max.  Exact: the symbol stands for the same quantity, and
    :func:`_unmasked` puts the min/max back.  Returns (exprs, {symbol: min/max})."""
    found = set()
    for e in exprs:
        if isinstance(e, sympy.Basic):
            found |= e.atoms(sympy.Min, sympy.Max)
    if not found:
        return tuple(exprs), {}
    mask, unmask = {}, {}
    for m in found:
        pick = any if isinstance(m, sympy.Max) else all  # max >= each argument, min <= each
        s = sympy.Symbol(str(m), real=True, nonnegative=pick(a.is_nonnegative for a in m.args) or None,
                         positive=pick(a.is_positive for a in m.args) or None)
        mask[m], unmask[s] = s, m
    return tuple(e.xreplace(mask) if isinstance(e, sympy.Basic) else e for e in exprs), unmask


def _unmasked(result: "Boundary", unmask) -> "Boundary":
    """The min/max of :func:`_mask_min_max` back in every expression of ``result``."""
    if not unmask:
        return result
    for field in ("c_a", "t_a", "c_b", "t_b", "condition", "difference", "slope", "offset", "tie"):
        value = getattr(result, field)
        if isinstance(value, sympy.Basic):
            setattr(result, field, value.xreplace(unmask))
    return result


def loss_price_boundary(table, ra: int, rb: int, model, ex) -> Boundary:
    """The tie between two rows in ``loss_price``.

    a's score minus b's is D + loss_price * (L_a - L_b), with D the exchange's score
    difference, so loss_price* = -D / (L_a - L_b) = (score difference) / (L difference).

    Parameters
    ----------
    table : FeatureTable
    ra, rb : int
        The rows of the programs a and b.
    model : CostModel
        Its values give the at-the-model case.
    ex : Exchange
        An exchange with a sympy score (linear, levin, power).

    Returns
    -------
    Boundary
    """
    if type(ex).sympy_score is Exchange.sympy_score:
        raise InputError(f"boundary --x {LOSS_PRICE} needs an exchange with a symbolic score (linear, levin, "
                         f"power), not {ex.name!r}")
    syms = exchange_symbols(model, ex)
    c_a, t_a = row_cost_expressions(table, ra, syms)
    c_b, t_b = row_cost_expressions(table, rb, syms)
    loss_a, loss_b = row_loss_expression(table, ra, syms), row_loss_expression(table, rb, syms)
    a = table.names[ra] or table.sources[ra] or f"class_{ra}"
    b = table.names[rb] or table.sources[rb] or f"class_{rb}"
    lam = syms[LOSS_PRICE]
    D = sympy.simplify(ex.sympy_score(c_a, t_a, syms) - ex.sympy_score(c_b, t_b, syms))
    P = sympy.simplify(loss_a - loss_b)
    bd = Boundary(a, b, table.labels[ra], table.labels[rb], ex.name, LOSS_PRICE, c_a, t_a, c_b, t_b, None,
                  sympy.simplify(D + lam * P), P, D, None, [], "", "", f"{ex.score_text} + loss_price*L")
    values = {syms[k]: v for k, v in model.parameters.items()}
    values.update({syms[k]: v for k, v in ex.params.items()})
    bd.values = values
    bd.condition = sympy.simplify(lam * P < -D) if not P.is_zero else sympy.simplify(D < 0)
    num, den = (D, -P) if _sign(P) in ("-", "<=0") else (-D, P)  # a positive denominator reads best
    bd.tie = None if P.is_zero else sympy.expand(num) / sympy.factor(den)
    what_p, what_q = f"L({a}) - L({b})", f"score({a}) - score({b}) without the loss term"
    bd.cases = [f"L({a}) = {loss_a}, L({b}) = {loss_b}"] + _linear_cases(
        a, b, LOSS_PRICE, _sign(P), _sign(D), what_p, what_q, P, D)
    pv, qv = float(sympy.N(P.subs(values))), float(sympy.N(D.subs(values)))
    bd.at_model = "at the model's values: " + _numeric_case(a, b, LOSS_PRICE, pv, qv)
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
    p, q = factor(P), factor(Q)
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
