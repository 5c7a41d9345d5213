"""The program DSL: syntax tree, parser with located errors, and pretty printer.

Grammar (``#`` starts a comment that runs to the end of the line)::

    file        := definition+
    definition  := NAME '=' expression
    expression  := 'if' expression 'then' expression 'else' expression
                 | NAME [ '(' expression (',' expression)* ')' ]
                 | '(' expression ')'

This module knows only syntax.  Which names exist, their arity and their types depend on
the cost model and are checked by :mod:`priorsearch.lang.typecheck`.  The comment block
directly above a definition is its documentation; lines of the form ``label: Hfh``,
``c: <expression>`` and ``t: <expression>`` in it are metadata (the template's label and
its declared cost formulas, which the test-suite checks against the computed costs).
"""
from __future__ import annotations

__all__ = [
    "Call", "If", "Program", "Definition", "parse_program", "parse_definitions",
    "read_definitions", "MAX_DEPTH", "KEYWORDS",
]

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location

KEYWORDS = frozenset({"if", "then", "else"})
#: deepest nesting accepted; deeper programs are a clear error, not a RecursionError
MAX_DEPTH = 200
#: metadata keys of a definition's comment block: its label, declared c and t, and (for
#: programs of models with losses or proxies) its declared training loss and class
META_KEYS = ("label", "c", "t", "loss", "class")


@dataclass(frozen=True)
class Call:
    """A primitive applied to arguments (a leaf when ``args`` is empty)."""

    name: str
    args: tuple = ()
    loc: Location | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}({', '.join(_show(a, top=True) for a in self.args)})"

    @property
    def children(self) -> tuple:
        """The argument nodes, in order."""
        return self.args


@dataclass(frozen=True)
class If:
    """``if cond then then_ else else_``: runs ``cond`` and the branch it selects."""

    cond: object
    then_: object
    else_: object
    loc: Location | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return _show(self, top=True)

    @property
    def children(self) -> tuple:
        """``(cond, then_, else_)``."""
        return (self.cond, self.then_, self.else_)


Program = Call | If


def _show(node, top: bool = False) -> str:
    if isinstance(node, Call):
        return str(node)
    # An if in condition or then position is parenthesised for the reader; an if in
    # else position chains (``if a then x else if b then y else z``).
    text = f"if {_show(node.cond)} then {_show(node.then_)} else {_show(node.else_, top=True)}"
    return text if top else f"({text})"


def size(program) -> int:
    """Number of nodes."""
    return 1 + sum(size(c) for c in program.children)


@dataclass(frozen=True)
class Definition:
    """``name = program`` from a file, with its documentation and metadata."""

    name: str
    program: object
    doc: str = ""
    meta: dict = field(default_factory=dict, compare=False)
    loc: Location | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """The ``# label:`` of the definition's comment block (default: its name)."""
        return self.meta.get("label", self.name)

    def __str__(self) -> str:
        return f"{self.name} = {self.program}"


# ---------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[(),=])|(?P<comment>#[^\n]*)|(?P<nl>\n)|(?P<ws>[ \t\r\f\v]+)")


@dataclass(frozen=True)
class _Tok:
    kind: str  # name, keyword, op, end
    text: str
    loc: Location


def _tokenize(text: str, path: str):
    tokens, comments = [], {}
    line, line_start, pos = 1, 0, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        col = pos - line_start + 1
        if m is None:
            char = text[pos]
            hint = " (names are letters, digits and '_')" if not char.isspace() else ""
            raise InputError(f"unexpected character {char!r}{hint}", Location(path, line, col))
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "nl":
            line += 1
            line_start = m.end()
        elif kind == "comment":
            # only a comment alone on its line can document the definition below it;
            # a trailing comment belongs to the code before it on the same line
            if not tokens or tokens[-1].loc.line != line:
                comments[line] = (value[1:], col)
        elif kind == "name":
            tokens.append(_Tok("keyword" if value in KEYWORDS else "name", value, Location(path, line, col)))
        elif kind == "op":
            tokens.append(_Tok("op", value, Location(path, line, col)))
        pos = m.end()
    tokens.append(_Tok("end", "end of file", Location(path, line, pos - line_start + 1)))
    return tokens, comments


class _Parser:
    def __init__(self, tokens, path):
        self.tokens, self.i, self.path, self.depth = tokens, 0, path, 0

    def peek(self, k=0) -> _Tok:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text, context):
        tok = self.peek()
        if tok.text != text or tok.kind not in ("op", "keyword"):
            raise InputError(f"expected {text!r} {context}, got {_describe(tok)}", tok.loc)
        return self.take()

    def expression(self):
        tok = self.peek()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputError(f"program nested deeper than {MAX_DEPTH} levels", tok.loc)
        if tok.kind == "keyword" and tok.text == "if":
            self.take()
            cond = self.expression()
            self.expect("then", f"after the condition of the 'if' at {tok.loc.line}:{tok.loc.col}")
            then_ = self.expression()
            self.expect("else", f"after the 'then' branch of the 'if' at {tok.loc.line}:{tok.loc.col}")
            else_ = self.expression()
            node = If(cond, then_, else_, tok.loc)
        elif tok.kind == "name":
            self.take()
            args = ()
            if self.peek().text == "(" and self.peek().kind == "op":
                open_tok = self.take()
                if self.peek().text == ")":
                    raise InputError(f"empty argument list for {tok.text!r}; write {tok.text} without parentheses", self.peek().loc)
                items = [self.expression()]
                while self.peek().text == ",":
                    self.take()
                    items.append(self.expression())
                self._close(open_tok)
                args = tuple(items)
            node = Call(tok.text, args, tok.loc)
        elif tok.kind == "op" and tok.text == "(":
            open_tok = self.take()
            node = self.expression()
            self._close(open_tok)
        elif tok.kind == "op" and tok.text == ")":
            raise InputError("unbalanced parentheses: ')' has no matching '('", tok.loc)
        else:
            raise InputError(f"expected an expression, got {_describe(tok)}", tok.loc)
        self.depth -= 1
        return node

    def _close(self, open_tok):
        tok = self.peek()
        if tok.text == ")" and tok.kind == "op":
            self.take()
            return
        if tok.kind == "end":
            raise InputError(f"unbalanced parentheses: '(' at {open_tok.loc.line}:{open_tok.loc.col} is never closed", tok.loc)
        raise InputError(f"expected ',' or ')' (closing '(' at {open_tok.loc.line}:{open_tok.loc.col}), got {_describe(tok)}", tok.loc)


def _describe(tok: _Tok) -> str:
    return "end of file" if tok.kind == "end" else repr(tok.text)


# --------------------------------------------------------------------------- entry points

def parse_program(text: str, path: str = "<string>"):
    """Parse one expression (no ``name =``) into a program tree.

    Parameters
    ----------
    text : str
        The program text, e.g. ``"if obs_m then pursue_m else fail"``.
    path : str
        The file name that error locations report.

    Returns
    -------
    Call or If
        The root of the program tree.

    Raises
    ------
    InputError
        On a syntax error, naming ``path:line:col``.
    """
    tokens, _ = _tokenize(text, path)
    parser = _Parser(tokens, path)
    if parser.peek().kind == "end":
        raise InputError("empty program", parser.peek().loc)
    program = parser.expression()
    tok = parser.peek()
    if tok.kind != "end":
        if tok.text == ")":
            raise InputError("unbalanced parentheses: ')' has no matching '('", tok.loc)
        raise InputError(f"unexpected {_describe(tok)} after the end of the program", tok.loc)
    return program


def parse_definitions(text: str, path: str = "<string>") -> list[Definition]:
    """Parse a program file: one or more ``name = expression`` definitions.

    Parameters
    ----------
    text : str
        The file's text; ``#`` comments directly above a definition become its doc and
        metadata (``label``, ``c``, ``t``).
    path : str
        The file name that error locations report.

    Returns
    -------
    list of Definition
        The definitions in file order; a duplicate name is an :class:`InputError`.
    """
    tokens, comments = _tokenize(text, path)
    parser = _Parser(tokens, path)
    definitions: dict[str, Definition] = {}
    if parser.peek().kind == "end":
        raise InputError("empty file: expected at least one definition 'name = expression'", Location(path, 1, 1))
    while parser.peek().kind != "end":
        name_tok = parser.take()
        if name_tok.kind != "name":
            if name_tok.text == ")":
                raise InputError("unbalanced parentheses: ')' has no matching '('", name_tok.loc)
            raise InputError(f"expected a definition 'name = expression', got {_describe(name_tok)}", name_tok.loc)
        eq = parser.peek()
        if eq.text != "=" or eq.kind != "op":
            raise InputError(f"expected '=' after {name_tok.text!r} (a definition is 'name = expression'), got {_describe(eq)}", eq.loc)
        parser.take()
        parser.depth = 0
        program = parser.expression()
        if name_tok.text in definitions:
            first = definitions[name_tok.text].loc
            raise InputError(f"duplicate definition {name_tok.text!r} (first defined at {first.line}:{first.col})", name_tok.loc)
        doc, meta = _doc_block(comments, name_tok.loc)
        definitions[name_tok.text] = Definition(name_tok.text, program, doc, meta, name_tok.loc)
        nxt = parser.peek()
        if nxt.kind == "op" and nxt.text == "=":
            raise InputError("unexpected '=': a definition's expression cannot contain '='", nxt.loc)
        if nxt.kind == "op" and nxt.text == ")":
            raise InputError("unbalanced parentheses: ')' has no matching '('", nxt.loc)
        if nxt.kind not in ("name", "end"):
            raise InputError(f"unexpected {_describe(nxt)} after the definition of {name_tok.text!r}", nxt.loc)
    return list(definitions.values())


def _doc_block(comments, loc: Location):
    """The comment lines directly above ``loc`` (no blank line between)."""
    lines = []
    line = loc.line - 1
    while line in comments:
        lines.append((line, comments[line]))
        line -= 1
    lines.reverse()
    doc, meta = [], {}
    for number, (text, col) in lines:
        stripped = text.strip()
        key, sep, value = stripped.partition(":")
        if sep and key.strip() in META_KEYS and value.strip():
            meta[key.strip()] = value.strip()
            meta[f"{key.strip()}@"] = Location(loc.path, number, col + 1 + text.index(value.strip()))
        else:
            doc.append(text[1:] if text.startswith(" ") else text)
    while doc and not doc[0].strip():
        doc.pop(0)
    while doc and not doc[-1].strip():
        doc.pop()
    return "\n".join(doc), meta


def read_definitions(path) -> list[Definition]:
    """Read and parse a program file; a missing or unreadable file is an :class:`InputError`.

    Parameters
    ----------
    path : str or path-like
        The ``.prog`` file (UTF-8).

    Returns
    -------
    list of Definition
        As :func:`parse_definitions` returns them.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file", Location(str(path))) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected a .prog file", Location(str(path))) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", Location(str(path))) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", Location(str(path))) from None
    return parse_definitions(text, str(path))
