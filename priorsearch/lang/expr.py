"""Cost expressions: a whitelist parser for arithmetic over parameters.

The grammar is the only thing that runs; nothing is ever passed to ``eval`` or
``sympify``.  Accepted: numbers, parameter names, ``+ - * / ^`` (``^`` is power and
right-associative), unary minus, parentheses and the functions ``log2``, ``ln``,
``sqrt``, ``min`` and ``max``.  Anything else (quotes, dots, brackets, unknown
functions, names starting with ``_``) is a located error.
"""
from __future__ import annotations

__all__ = ["Expr", "parse_expr", "parse_call", "FUNCTIONS", "MAX_DEPTH"]

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import numpy as np

from ..errors import InputError, Location
from .sympy_budget import min_max
from .exact import MAX_EXACT_BITS, literal

#: function name -> (min args, max args)
FUNCTIONS = {"log2": (1, 1), "ln": (1, 1), "sqrt": (1, 1), "min": (2, 64), "max": (2, 64)}
#: deepest nesting of parentheses/operators accepted; deeper input is a clear error
MAX_DEPTH = 200
MAX_LENGTH = 10_000

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>[-+*/^(),]))"
)


@dataclass(frozen=True)
class Node:
    op: str  # 'num', 'param', 'neg', '+', '-', '*', '/', '^', or a function name
    args: tuple = ()
    value: float = 0.0
    name: str = ""
    #: a literal's exact value (1e30 is 10**30); not in equality (1 and 1.0 are one Expr)
    exact: object = field(default=None, compare=False, hash=False)


class Expr:
    """A parsed cost expression.

    Its free names are parameters; :meth:`evaluate` maps them to numbers (or NumPy arrays,
    which broadcast) and :meth:`to_sympy` to symbols.

    Parameters
    ----------
    text : str
        The source text (what ``str()`` returns).
    root : Node
        The parsed tree; equality and hashing compare trees, not texts.
    location : Location or None
        Where the text came from, for error messages.
    """

    __slots__ = ("text", "root", "params", "location")

    def __init__(self, text: str, root: Node, location: Location | None = None):
        self.text = text
        self.root = root
        self.location = location
        self.params = frozenset(_names(root))

    @classmethod
    def constant(cls, value: float) -> "Expr":
        text = repr(float(value)) if value != int(value) else str(int(value))
        return cls(text, Node("num", value=float(value)))

    def is_constant(self) -> bool:
        return not self.params

    def evaluate(self, env: Mapping[str, object]):
        """Value at the parameter values in ``env`` (floats or broadcastable arrays)."""
        with np.errstate(all="ignore"):
            return _eval(self.root, env)

    def to_sympy(self, symbols: Mapping[str, object]):
        """The same expression in sympy, with ``symbols[name]`` for each parameter.

        Raises :class:`InputError` when an exact number would grow beyond
        ``_MAX_EXACT_BITS`` (e.g. ``9^9^9``) or sympy cannot handle the nesting.
        """
        try:
            return _to_sympy(self.root, symbols)
        except RecursionError:
            # sympy's own simplifications recurse several frames per level
            raise InputError(f"expression {_abbreviate(self.text, 30, 'characters')!r} is nested too deeply for exact (sympy) arithmetic", self.location) from None

    def __eq__(self, other):
        return isinstance(other, Expr) and self.root == other.root

    def __hash__(self):
        return hash(self.root)

    def __repr__(self):
        return f"Expr({self.text!r})"

    def __str__(self):
        return self.text


def parse_expr(text, location: Location | None = None) -> Expr:
    """Parse ``text`` (a string, int or float) into an :class:`Expr`.

    Parameters
    ----------
    text : str, int or float
        The expression; a number must be finite.
    location : Location or None
        Where ``text`` came from (e.g. a TOML key); errors name it and the column.

    Raises
    ------
    InputError
        Naming the column of the first offending character.
    """
    loc = location
    if isinstance(text, bool):
        raise InputError(f"expected a number or an expression, got {text!r}", loc)
    if isinstance(text, (int, float)):
        try:
            number = float(text)
        except OverflowError:  # a TOML integer is unbounded; float() is not
            raise InputError(f"number {_abbreviate(str(text))} is too large (floats end near 1.8e308)", loc) from None
        if not math.isfinite(number):
            raise InputError(f"cost {text!r} is not finite", loc)
        return Expr.constant(number)
    if not isinstance(text, str):
        raise InputError(f"expected a number or an expression, got {type(text).__name__}", loc)
    if len(text) > MAX_LENGTH:
        raise InputError(f"expression is {len(text)} characters long (limit {MAX_LENGTH})", loc)
    tokens = _tokenize(text, loc)
    parser = _Parser(text, tokens, loc)
    root = parser.expression(0)
    if parser.peek()[0] != "end":
        kind, value, col = parser.peek()
        raise parser.error(f"unexpected {value!r} in expression", col)
    # The parser loops over 'a + b + c ...', but the tree it builds is as deep as the
    # chain is long and every walk of it (evaluate, to_sympy, ==) recurses: bound the
    # height of the tree, not only the nesting the parser sees.
    height = _height(root)
    if height > MAX_DEPTH:
        raise parser.error(f"expression nested deeper than {MAX_DEPTH} levels (each operator of a chain is a level; it has {height}):", 0)
    return Expr(text, root, location)


def parse_call(text: str, location: Location | None = None, what: str = "specification"):
    """Parse ``NAME(arg, ...)`` into (NAME, [Expr, ...]) with the same whitelist grammar.

    The call's name is not checked (the caller knows its own vocabulary, e.g. the
    distribution families); each argument is an ordinary expression.  Used for
    distribution specs such as ``loguniform(1, 1000)``: nothing is evaluated here.

    Parameters
    ----------
    text : str
    location : Location or None
        Where ``text`` starts, for errors.
    what : str
        What the text is, for errors (``"distribution"``).

    Returns
    -------
    tuple
        (name, list of Expr).
    """
    if not isinstance(text, str):
        raise InputError(f"expected a {what} such as uniform(0, 1), got {text!r}", location)
    if len(text) > MAX_LENGTH:
        raise InputError(f"{what} is {len(text)} characters long (limit {MAX_LENGTH})", location)
    tokens = _tokenize(text, location)
    parser = _Parser(text, tokens, location)
    kind, name, col = parser.take()
    if kind != "name":
        raise parser.error(f"expected a name such as uniform(...) at the start of the {what}", col)
    kind, value, open_col = parser.take()
    if value != "(" or kind != "op":
        raise parser.error(f"expected '(' after {name!r} in the {what}", open_col)
    args = []
    if parser.peek()[1] != ")":
        args.append(Expr(text, parser.expression(0), location))
        while parser.peek()[1] == "," and parser.peek()[0] == "op":
            parser.take()
            args.append(Expr(text, parser.expression(0), location))
    parser.expect(")", open_col)
    if parser.peek()[0] != "end":
        kind, value, col = parser.peek()
        raise parser.error(f"unexpected {value!r} after the {what}", col)
    return name, args


def _height(root: Node) -> int:
    """Height of the tree, computed without recursion."""
    best, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        best = max(best, depth)
        stack.extend((arg, depth + 1) for arg in node.args)
    return best


def _abbreviate(text: str, keep: int = 20, unit: str = "digits") -> str:
    """``text`` cut to its ends when long, so an error message stays readable."""
    return text if len(text) <= 2 * keep else f"{text[:keep]}...{text[-keep:]} ({len(text)} {unit})"


# ---------------------------------------------------------------------------- parsing

def _tokenize(text: str, loc: Location):
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            rest = text[pos:]
            stripped = rest.lstrip()
            if not stripped:
                break
            col = pos + len(rest) - len(stripped)
            raise InputError(
                f"unexpected character {stripped[0]!r} in expression {text!r} "
                f"(allowed: numbers, parameter names, + - * / ^, parentheses, "
                f"{', '.join(FUNCTIONS)})",
                _shift(loc, col),
            )
        kind = m.lastgroup
        value = m.group(kind)
        col = m.start(kind)
        if kind == "name" and value.startswith("_"):
            raise InputError(f"name {value!r} is not allowed in an expression (names may not start with '_')", _shift(loc, col))
        tokens.append((kind, value, col))
        pos = m.end()
    tokens.append(("end", "end of expression", len(text)))
    return tokens


def _shift(loc: Location | None, col: int) -> Location | None:
    """The location of column ``col`` (0-based) of an expression that starts at ``loc``."""
    if loc is None:
        return None
    if loc.line:
        return Location(loc.path, loc.line, loc.col + col)
    return loc


_BINARY = {"+": (10, 11), "-": (10, 11), "*": (20, 21), "/": (20, 21), "^": (31, 30)}


class _Parser:
    def __init__(self, text, tokens, loc):
        self.text, self.tokens, self.loc, self.i, self.depth = text, tokens, loc, 0, 0

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message, col):
        where = "" if self.loc is not None else f" at column {col + 1}"
        return InputError(f"{message} {self.text!r}{where}", _shift(self.loc, col))

    def expression(self, min_bp):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested deeper than {MAX_DEPTH} levels:", self.peek()[2])
        left = self.unary()
        while True:
            kind, value, col = self.peek()
            if kind != "op" or value not in _BINARY:
                break
            lbp, rbp = _BINARY[value]
            if lbp < min_bp:
                break
            self.take()
            right = self.expression(rbp)
            left = Node(value, (left, right))
        self.depth -= 1
        return left

    def unary(self):
        kind, value, col = self.peek()
        if kind == "op" and value in "+-":
            self.take()
            operand = self.expression(25)  # binds tighter than * but looser than ^
            return operand if value == "+" else Node("neg", (operand,))
        return self.primary()

    def primary(self):
        kind, value, col = self.take()
        if kind == "num":
            number = float(value)
            if not math.isfinite(number):
                raise self.error(f"number {value} is not finite in", col)
            return Node("num", value=number, exact=literal(value))
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                if value not in FUNCTIONS:
                    raise self.error(f"unknown function {value!r} (allowed: {', '.join(FUNCTIONS)}) in", col)
                self.take()
                args = [self.expression(0)]
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.expression(0))
                self.expect(")", col)
                lo, hi = FUNCTIONS[value]
                if not lo <= len(args) <= hi:
                    want = str(lo) if lo == hi else f"at least {lo}"
                    raise self.error(f"{value}() takes {want} argument(s), got {len(args)} in", col)
                return Node(value, tuple(args))
            if value in FUNCTIONS:
                raise self.error(f"function {value!r} needs parentheses in", col)
            return Node("param", name=value)
        if kind == "op" and value == "(":
            inner = self.expression(0)
            self.expect(")", col)
            return inner
        if kind == "end":
            raise self.error("expression ends too early:", col)
        raise self.error(f"unexpected {value!r} in expression", col)

    def expect(self, symbol, open_col):
        kind, value, col = self.peek()
        if value != symbol or kind != "op":
            raise self.error(f"expected {symbol!r} (to close the one at column {open_col + 1}), got {value!r} in", col)
        self.take()


def _names(node: Node):
    if node.op == "param":
        yield node.name
    for arg in node.args:
        yield from _names(arg)


# ------------------------------------------------------------------------- evaluation

def _eval(node: Node, env):
    op = node.op
    if op == "num":
        return node.value
    if op == "param":
        try:
            value = env[node.name]
        except KeyError:
            raise InputError(f"unknown parameter {node.name!r}") from None
        return np.asarray(value, dtype=float) if not isinstance(value, float) else value
    args = [_eval(a, env) for a in node.args]
    if op == "neg":
        return -args[0]
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    if op == "/":
        return np.divide(args[0], args[1])
    if op == "^":
        return np.power(np.asarray(args[0], dtype=float), args[1])
    if op == "log2":
        return np.log2(args[0])
    if op == "ln":
        return np.log(args[0])
    if op == "sqrt":
        return np.sqrt(args[0])
    if op == "min":
        return _reduce(np.minimum, args)
    if op == "max":
        return _reduce(np.maximum, args)
    raise AssertionError(op)


def _reduce(fn, args):
    out = args[0]
    for a in args[1:]:
        out = fn(out, a)
    return out


# Exact powers of two numbers are folded only while small, so 9^9^9 never builds a
# 370-million-digit integer inside sympy.
_MAX_FOLDED_EXPONENT = 64
# sympy keeps rationals exact and distributes integer powers over products, so
# ((x*10^64)^64)^64 would build a 10^262144 coefficient: every exact number of the
# result is bounded (4096 bits is 1233 digits, far beyond any finite float cost).
_MAX_EXACT_BITS = MAX_EXACT_BITS


def _exact_bits(expr) -> int:
    """Bits of the largest numerator or denominator of a rational number in ``expr``."""
    import sympy

    numbers = [expr] if expr.is_Rational else expr.atoms(sympy.Rational)
    return max([max(abs(int(q.p)).bit_length(), int(q.q).bit_length()) for q in numbers] + [0])


def _to_sympy(node: Node, symbols):
    result = _to_sympy_node(node, symbols)
    if node.args and _exact_bits(result) > _MAX_EXACT_BITS:
        raise InputError(f"an exact number in this expression exceeds {_MAX_EXACT_BITS} bits; it is too large for an exact expression")
    return result


def _to_sympy_node(node: Node, symbols):
    import sympy

    op = node.op
    if op == "num":
        # the shortest decimal of the float, exactly (0.5 -> 1/2, 0.1 -> 1/10); Rational
        # parses it with fractions.Fraction, where nsimplify would exec a sympify
        return sympy.Rational(repr(node.value)) if node.value == int(node.value) or abs(node.value) < 1e15 else sympy.Float(node.value)
    if op == "param":
        return symbols[node.name]
    args = [_to_sympy(a, symbols) for a in node.args]
    if op == "neg":
        return -args[0]
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    if op == "/":
        return args[0] / args[1]
    if op == "^":
        base, exponent = args
        if exponent.is_number and (not exponent.is_finite or abs(float(exponent)) > _MAX_FOLDED_EXPONENT):
            raise InputError(f"exponent {exponent} is too large for an exact expression")
        if exponent.is_Rational and _exact_bits(base) * abs(int(exponent.p)) > _MAX_EXACT_BITS:
            raise InputError(f"a power with exponent {exponent} would need more than {_MAX_EXACT_BITS} bits; it is too large for an exact expression")
        return sympy.Pow(base, exponent)
    if op == "log2":
        return sympy.log(args[0], 2)
    if op == "ln":
        return sympy.log(args[0])
    if op == "sqrt":
        return sympy.sqrt(args[0])
    if op in ("min", "max"):
        return min_max(sympy.Min if op == "min" else sympy.Max, args)
    raise AssertionError(op)
