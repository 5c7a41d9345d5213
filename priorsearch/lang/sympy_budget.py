"""Bounded sympy: ``simplify``, ``expand`` and ``factor`` only where they are cheap.

A model may legally write expressions whose exact algebra explodes: a 64-argument
``max(...)`` (sympy's simplify tries its piecewise splits), or a product of 20 sums
(expanding it gives 2^20 terms).  The symbolic commands must still answer within
seconds, so these wrappers leave an expression as it is (still exact, only less tidy)
when the work would be large: more than :data:`MAX_OPS` operations, a min/max inside
(for simplify and factor), or an expansion of more than :data:`MAX_TERMS` terms.
"""
from __future__ import annotations

__all__ = ["tidy", "expand", "factor", "expanded_terms", "min_max", "MAX_OPS", "MAX_TERMS", "EVALUATED_MIN_MAX"]

import math

#: expressions with more operations than this are not simplified or factored
MAX_OPS = 200
#: expansions that would have more terms than this are not done
MAX_TERMS = 2000


def expanded_terms(expr, cap: int = 10 ** 9) -> int:
    """An upper bound on the number of terms ``sympy.expand(expr)`` gives (capped); for a
    relation or a function call, the terms expanded inside its arguments.

    Parameters
    ----------
    expr : sympy expression
        Any expression.
    cap : int
        The bound is not computed beyond this.

    Returns
    -------
    int
    """
    if getattr(expr, "is_Add", False):
        return min(cap, sum(expanded_terms(a, cap) for a in expr.args))
    if getattr(expr, "is_Mul", False):
        total = 1
        for a in expr.args:
            total = min(cap, total * expanded_terms(a, cap))
        return total
    if getattr(expr, "is_Pow", False) and expr.exp.is_Integer and expr.exp > 0:
        m, k = expanded_terms(expr.base, cap), int(expr.exp)
        if m <= 1:
            return 1
        if k > 10_000:
            return cap
        return min(cap, math.comb(m + k - 1, k))
    args = getattr(expr, "args", ())
    # a relation, a function (log, max): expand works inside each argument
    return min(cap, max(1, sum(expanded_terms(a, cap) for a in args)))


def _large(expr) -> bool:
    import sympy

    return sympy.count_ops(expr) > MAX_OPS or expanded_terms(expr, MAX_TERMS + 1) > MAX_TERMS


def tidy(expr):
    """``sympy.simplify(expr)`` when that is cheap, else ``expr`` unchanged.

    Parameters
    ----------
    expr : sympy expression or relation
        Any expression.

    Returns
    -------
    sympy expression
    """
    import sympy

    if isinstance(expr, sympy.Basic) and (expr.has(sympy.Min, sympy.Max) or _large(expr)):
        return expr
    return sympy.simplify(expr)


def expand(expr):
    """``sympy.expand(expr)`` unless the result would exceed :data:`MAX_TERMS` terms.

    Parameters
    ----------
    expr : sympy expression
        Any expression.

    Returns
    -------
    sympy expression
    """
    import sympy

    if isinstance(expr, sympy.Basic) and expanded_terms(expr, MAX_TERMS + 1) > MAX_TERMS:
        return expr
    return sympy.expand(expr)


def factor(expr):
    """``sympy.factor(expr)`` when that is cheap, else ``expr`` unchanged.

    Parameters
    ----------
    expr : sympy expression
        Any expression.

    Returns
    -------
    sympy expression
    """
    import sympy

    if isinstance(expr, sympy.Basic) and (expr.has(sympy.Min, sympy.Max) or _large(expr)):
        return expr
    return sympy.factor(expr)


#: min/max with more symbolic arguments than this are built unevaluated: sympy compares
#: every pair of arguments under their assumptions (2 s for 64 symbols, at every rebuild)
EVALUATED_MIN_MAX = 8


def min_max(func, args):
    """``func(*args)`` for ``sympy.Min`` or ``sympy.Max``, unevaluated when wide.

    Parameters
    ----------
    func : sympy.Min or sympy.Max
        Which one.
    args : sequence of sympy expressions
        Its arguments; the numeric ones are combined into one.

    Returns
    -------
    sympy expression
    """
    numbers = [a for a in args if a.is_number]
    others = [a for a in args if not a.is_number]
    if len(others) <= EVALUATED_MIN_MAX:
        return func(*args)
    if numbers:
        others.append(func(*numbers))
    return func(*others, evaluate=False)
