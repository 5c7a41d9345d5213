"""Name resolution and type checking of programs against a cost model.

Aliases (``get_base_obj``, ``mesaoptimize``, ...) are replaced by canonical names, so a
checked program prints under the canonical names.  Errors carry the node's location.
"""
from __future__ import annotations

__all__ = ["check", "check_definitions", "infer_type"]

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
        hint = suggest(node.name, model.all_names())
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
