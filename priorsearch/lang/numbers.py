"""Numbers typed by a user (``--set K=2^100``, ``1e30``): exact where they can be.

:func:`parse_number` reads a literal or an arithmetic expression over numbers with the
whitelist grammar of :mod:`.expr` (never eval) and keeps rationals exact, so a family's
count K = 1e30 is 10**30, not the nearest float.
"""
from __future__ import annotations

__all__ = ["parse_number"]

import math

from ..errors import InputError
from .exact import exact_value, literal
from .expr import _TOKEN, parse_expr


def parse_number(text: str, what: str):
    """A number given as a literal or an expression over numbers (``2^100``, ``1e30``).

    What float() reads is read as before (``1_000``; ``nan``/``inf`` are not finite);
    other text goes through :func:`parse_expr` with no parameter names.

    Parameters
    ----------
    text : str
        The value as typed.
    what : str
        What it is, for the error line (e.g. ``--set K``).

    Returns
    -------
    Fraction or float
        A Fraction when the value is an exact rational (``1e30`` is exactly 10**30).
    """
    text = str(text).strip()
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if not math.isfinite(number):
            raise InputError(f"{what}: {text!r} is not a finite number")
        body = text.replace("_", "").lstrip("+-")
        match = _TOKEN.fullmatch(body)  # exact only for a bounded decimal literal
        exact = literal(body) if match and match.group("num") else None
        return (-exact if text.startswith("-") else exact) if exact is not None else number
    try:
        expr = parse_expr(text)
    except InputError:
        raise InputError(f"{what}: expected a number, got {text!r}") from None
    if expr.params:
        raise InputError(f"{what}: expected a number, got {text!r}")
    exact = exact_value(expr, {})
    value = exact if exact is not None else float(expr.evaluate({}))
    if exact is None and not math.isfinite(value):
        raise InputError(f"{what}: {text!r} is not a finite number")
    return value
