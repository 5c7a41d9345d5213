"""Writing a CostModel as TOML that :func:`~priorsearch.model.load_model` reads back to
an equal model (the canonical form that provenance hashes)."""
from __future__ import annotations

__all__ = ["dump_model", "FORMAT"]

from ..lang.expr import Expr
from .cost_model import CostModel
from .parts import Primitive

FORMAT = "priorsearch-model/1"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _v(expr: Expr) -> str:
    if expr.is_constant():
        value = float(expr.evaluate({}))
        return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)
    return _q(expr.text)


def _num(value: float) -> str:
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def _primitive_lines(p: Primitive, count: Expr | None = None):
    lines = []
    if count is not None:
        lines.append(f"count = {_v(count)}")
    lines.append(f"type = {_q(p.type)}")
    lines.append(f"kind = {_q(p.kind)}")
    if p.args:
        lines.append(f"args = [{', '.join(_q(a) for a in p.args)}]")
    if p.objective is not None:
        lines.append(f"objective = {_q(p.objective)}")
    if p.true_in:
        lines.append(f"true_in = [{', '.join(_q(a) for a in p.true_in)}]")
    if p.behaviour and p.kind == "select":
        lines.append("behaviour = { " + ", ".join(f"{k} = {_q(v)}" for k, v in p.behaviour.items()) + " }")
    lines.append(f"c = {_v(p.c)}")
    if set(p.t) == {"train", "deploy"} and p.t["train"] == p.t["deploy"]:
        lines.append(f"t = {_v(p.t['train'])}")
    else:
        lines.append("t = { " + ", ".join(f"{k} = {_v(v)}" for k, v in p.t.items()) + " }")
    if p.components:
        lines.append(f"components = [{', '.join(_q(a) for a in p.components)}]")
    if p.aliases:
        lines.append(f"aliases = [{', '.join(_q(a) for a in p.aliases)}]")
    if p.doc:
        lines.append(f"doc = {_q(p.doc)}")
    return lines


def dump_model(model: CostModel) -> str:
    """TOML text for ``model`` (comments are not preserved).

    Parameters
    ----------
    model : CostModel
        Any model; :func:`priorsearch.model.toml_format.loads_model` reads the text back
        to an equal model.

    Returns
    -------
    str
    """
    out = [f"format = {_q(FORMAT)}", f"name = {_q(model.name)}"]
    if model.description:
        out.append(f"description = {_q(model.description)}")
    out += [f"node_bits = {_v(model.node_bits)}", f"code = {_q(model.code)}",
            f"time_aggregate = {_q(model.time_aggregate)}", "", "[exchange]", f"name = {_q(model.exchange)}"]
    out += [f"{k} = {_num(v)}" for k, v in model.exchange_params.items()]
    out += ["", "[parameters]"]
    for k, v in model.parameters.items():
        doc = model.parameter_docs.get(k)
        out.append(f"{k} = {{ value = {_num(v)}, doc = {_q(doc)} }}" if doc else f"{k} = {_num(v)}")
    for comp in model.components.values():
        out += ["", f"[components.{comp.name}]", f"c = {_v(comp.c)}"]
        if comp.per_objective:
            out.append("per_objective = true")
        if comp.doc:
            out.append(f"doc = {_q(comp.doc)}")
    for p in model.base_primitives:
        out += ["", f"[primitives.{p.name}]"] + _primitive_lines(p)
    for fam in model.families:
        out += ["", f"[families.{fam.name}]"] + _primitive_lines(fam.template, fam.count)
    for ep in model.episodes:
        out += ["", "[[episodes]]", f"name = {_q(ep.name)}", f"phase = {_q(ep.phase)}",
                f"weight = {_v(ep.weight)}"]
        if ep.phase == "train" and not ep.checked:
            out.append("checked = false")
        if ep.loss != 1.0:  # the default is not written, so models without losses dump as before
            out.append(f"loss = {_num(ep.loss)}")
    for obj in model.declared_objectives.values():
        out += ["", f"[objectives.{obj.name}]",
                f"agrees_with_base = [{', '.join(_q(a) for a in obj.agrees_with_base)}]"]
        if obj.doc:
            out.append(f"doc = {_q(obj.doc)}")
    return "\n".join(out) + "\n"
