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

    ``expected`` is the type the whole program must have (``None``: any type).
    """
    resolved, found = _check(program, model, expected, "the program")
    return resolved


def infer_type(program, model: CostModel) -> str:
    return _check(program, model, None, "the program")[1]


def check_definitions(definitions, model: CostModel, expected: str | None = "Policy") -> list[Definition]:

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
