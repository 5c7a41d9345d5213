"""Name resolution and type checking of programs against a cost model.

Aliases (``get_base_obj``, ``mesaoptimize``, ...) are replaced by canonical names, so a
checked program prints under the canonical names.  Errors carry the node's location.
"""
from __future__ import annotations

__all__ = ["check", "check_definitions", "infer_type", "inline_definitions"]

from .dsl import Call, Definition, If
from dataclasses import replace

from ..errors import InputError, suggest


def check(program, model: CostModel, expected: str | None = "Policy"):
    """Return ``program`` with aliases resolved; raise InputError on any type error.

    Parameters
    ----------
    program : Call or If
        A parsed program tree.
    model : CostModel
        Supplies the primitives, their argument types and their aliases.
    expected : str or None
        The type the whole program must have (``"Policy"``, ``"Bool"``, ...; ``None``: any type).

    Returns
    -------
    Call or If
        The same tree with every primitive under its canonical name.
    """
    resolved, found = _check(program, model, expected, "the program")
    return resolved


def infer_type(program, model: CostModel) -> str:
    """The type of ``program`` under ``model`` (an :class:`InputError` if it is ill-typed).

    Parameters
    ----------
    program : Call or If
        A parsed program tree.
    model : CostModel
        Supplies the primitives and their types.

    Returns
    -------
    str
        The type of the program's root, e.g. ``"Policy"``.
    """
    return _check(program, model, None, "the program")[1]


def check_definitions(definitions, model: CostModel, expected: str | None = "Policy") -> list[Definition]:
    """:func:`check` applied to each definition's program.

    Parameters
    ----------
    definitions : iterable of Definition
        Parsed definitions.
    model : CostModel
        Supplies the primitives and their types.
    expected : str or None
        The type every program must have (``None``: any type).

    Returns
    -------
    list of Definition
        Copies whose programs have aliases resolved.
    """
    return [replace(d, program=check(d.program, model, expected)) for d in definitions]


def _check(node, model, expected, context):
    if isinstance(node, If):
        cond, _ = _check(node.cond, model, "Bool", "the condition of 'if'")
        then_, t1 = _check(node.then_, model, expected, "the 'then' branch")
        else_, t2 = _check(node.else_, model, expected or t1, "the 'else' branch")
        return If(cond, then_, else_, node.loc), t1
    prim = model.lookup(node.name)
    if prim is None:
        # a family member above the count is named as such (a model lists K members lazily)
        member_hint = getattr(model, "member_hint", None)
        hint = (member_hint(node.name) if member_hint else "") or suggest(node.name, model.all_names())
        raise InputError(f"unknown primitive {node.name!r}{hint}", node.loc)
    if len(node.args) != len(prim.args):
        want = "no arguments" if not prim.args else f"{len(prim.args)} argument{'s' if len(prim.args) > 1 else ''} ({', '.join(prim.args)})"
        raise InputError(f"{prim.name} takes {want}, got {len(node.args)}", node.loc)
    if expected is not None and prim.type != expected:
        raise InputError(f"type mismatch: {context} must be {expected}, but {prim.name} is {prim.type}", node.loc)
    args = tuple(
        _check(a, model, t, f"argument {i + 1} of {prim.name}")[0] for i, (a, t) in enumerate(zip(node.args, prim.args))
    )
    return Call(prim.name, args, node.loc), prim.type


def inline_definitions(definitions, model: CostModel) -> list[Definition]:
    """Definitions with every use of another definition replaced by its program.

    ``b = a`` (or ``b = optimize(if is_deployed then s else a)``) uses ``a`` as a
    subroutine.  Inlining is exact under the post's accounting: c counts each distinct
    primitive once however often it is used, and t runs what is executed.  A name that
    is both a definition and a primitive (or alias) of the model, and a definition that
    uses itself, are errors.

    Parameters
    ----------
    definitions : list of Definition
        Parsed definitions (their programs not yet checked).
    model : CostModel
        The model whose primitive and alias names take precedence.

    Returns
    -------
    list of Definition
        The same definitions, every use of another definition replaced by its program.
    """
    by_name = {d.name: d for d in definitions}
    for d in definitions:
        if d.name in by_name and model.lookup(d.name) is not None:
            raise InputError(f"definition {d.name!r} has the name of a primitive of model {model.name!r}; rename it", d.loc)
    done: dict = {}

    def expand(name, stack):
        if name in done:
            return done[name]
        if name in stack:
            cycle = " -> ".join([*stack[stack.index(name):], name])
            raise InputError(f"definition {name!r} uses itself ({cycle})", by_name[name].loc)
        done[name] = node = _substitute(by_name[name].program, lambda n: expand(n, [*stack, name]), by_name)
        return node

    return [replace(d, program=expand(d.name, [])) for d in definitions]


def _substitute(node, expand, by_name):
    if isinstance(node, If):
        return If(_substitute(node.cond, expand, by_name), _substitute(node.then_, expand, by_name),
                  _substitute(node.else_, expand, by_name), node.loc)
    if node.name in by_name:
        if node.args:
            raise InputError(f"definition {node.name!r} takes no arguments, got {len(node.args)}", node.loc)
        return expand(node.name)
    return Call(node.name, tuple(_substitute(a, expand, by_name) for a in node.args), node.loc)

