"""Exact rational evaluation of parsed cost expressions (no floats, no eval).

Used where a number must be exact: a family's count K (``2^100``, ``1e30`` = 10**30)
and ``--set`` values.  Works on the parser's nodes (:mod:`.expr`): ``+ - * /``, integer
powers, min and max; anything irrational (log2, ln, sqrt, a fractional power) or any
number beyond :data:`MAX_EXACT_BITS` bits raises :class:`Inexact` and the caller falls
back to float evaluation.
"""
from __future__ import annotations

__all__ = ["Inexact", "MAX_EXACT_BITS", "exact_value"]

import math
from fractions import Fraction

from ..errors import InputError

#: bits of the largest exact numerator or denominator (4096 bits is 1233 digits, far
#: beyond any finite float cost); also bounds sympy's exact numbers (see expr.py)
MAX_EXACT_BITS = 4096


class Inexact(Exception):
    """Raised inside :func:`_eval_exact` when a result is not an exact rational."""


def literal(text: str):
    """A number token's exact value (a Fraction), or None if it is absurdly long."""
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXACT_BITS:
        return None
    return Fraction(mantissa if mantissa != "." else "0") * Fraction(10) ** int(exponent or 0)


def _bounded(q: Fraction) -> Fraction:
    if max(abs(q.numerator).bit_length(), q.denominator.bit_length()) > MAX_EXACT_BITS:
        raise Inexact
    return q


def eval_exact(node: Node, env):
    op = node.op
    if op == "num":
        if node.exact is None:
            raise Inexact
        return node.exact
    if op == "param":
        try:
            value = env[node.name]
        except KeyError:
            raise InputError(f"unknown parameter {node.name!r}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise Inexact
        return Fraction(value)
    args = [eval_exact(a, env) for a in node.args]
    if op == "neg":
        return -args[0]
    if op == "+":
        return _bounded(args[0] + args[1])
    if op == "-":
        return _bounded(args[0] - args[1])
    if op == "*":
        return _bounded(args[0] * args[1])
    if op == "/":
        return _bounded(args[0] / args[1])
    if op == "^":
        base, power = args
        if power.denominator != 1 or abs(power.numerator) > MAX_EXACT_BITS:
            raise Inexact
        bits = max(abs(base.numerator).bit_length(), base.denominator.bit_length())
        if bits * abs(power.numerator) > MAX_EXACT_BITS:
            raise Inexact
        return base ** power.numerator
    if op == "min":
        return min(args)
    if op == "max":
        return max(args)
    raise Inexact  # log2, ln, sqrt


def exact_value(expr, env):
    """The exact rational value of a parsed expression, or None.

    Parameters
    ----------
    expr : Expr
        A parsed expression (:func:`priorsearch.lang.expr.parse_expr`).
    env : mapping
        Parameter name -> int, Fraction or float (a float is its exact binary value).

    Returns
    -------
    Fraction or None
        None when the value needs an irrational function (log2, ln, sqrt), a
        non-integer power, or a number beyond :data:`MAX_EXACT_BITS` bits.
    """
    try:
        return eval_exact(expr.root, env)
    except (Inexact, ZeroDivisionError):
        return None
