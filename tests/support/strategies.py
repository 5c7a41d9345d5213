"""Hypothesis generators shared by the property, fuzzing and hardening tests.

* :func:`syntactic_programs` — program trees over arbitrary names (syntax only);
* :func:`models` — small random cost models (DSLs) built from every primitive kind, with
  non-negative costs that are *monotone* in the parameters (``+``, ``*`` by positive
  constants, ``min``, ``max``), optionally *homogeneous* of degree 1 (scaling every
  parameter by m scales every cost by m);
* :func:`programs` — well-typed programs over a model's primitives;
* :func:`overrides` — parameter overrides for a model;
* :func:`exchanges` — an exchange family with random parameters;
* :func:`mutations` — random edits of a text (for mutation fuzzing of real files);
* :func:`toml_value` — a tiny TOML writer (inline tables) for structured fuzzing.

Models are generated as TOML text and loaded with the real loader, so the defaults the
loader fills in (behaviour tables of ``pursue``/``play_along``) are the ones users get.
"""
from __future__ import annotations

import json
import math

from hypothesis import strategies as st

from priorsearch.lang.dsl import KEYWORDS, Call, If
from priorsearch.exchange import Cap, Levin, Linear, Power
from priorsearch.model.toml_format import loads_model

# ------------------------------------------------------------------------ syntax only

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,7}", fullmatch=True).filter(lambda s: s not in KEYWORDS)


def syntactic_programs(max_leaves=12):
    """Program trees (Call/If) over arbitrary names; no typing."""
    leaf = st.builds(Call, NAMES)
    return st.recursive(
        leaf,
        lambda kids: st.one_of(
            st.builds(lambda n, a: Call(n, tuple(a)), NAMES, st.lists(kids, min_size=1, max_size=3)),
            st.builds(If, kids, kids, kids),
        ),
        max_leaves=max_leaves,
    )


# ------------------------------------------------------------------------ cost models

OBJECTIVES = ("base", "m1", "m2")


def toml_value(value) -> str:
    """A Python value as TOML (tables inline), for structured fuzzing of the loader."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # JSON escapes are TOML escapes, except that TOML forbids a raw DEL
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(data: dict) -> str:
    """Top-level ``key = value`` lines (nested tables inline)."""
    return "".join(f"{json.dumps(str(k))} = {toml_value(v)}\n" for k, v in data.items())


@st.composite
def _cost(draw, params, homogeneous, zero_ok=True):
    """A monotone non-decreasing, non-negative cost expression over ``params``."""
    terms = []
    for name in draw(st.lists(st.sampled_from(params), max_size=2, unique=True)):
        coef = draw(st.sampled_from([1, 1, 2, 3]))
        terms.append(name if coef == 1 else f"{coef}*{name}")
    if len(terms) == 2 and draw(st.booleans()):
        text = f"{draw(st.sampled_from(['min', 'max']))}({terms[0]}, {terms[1]})"
    else:
        text = " + ".join(terms)
    if not homogeneous and (not text or draw(st.booleans())):
        const = draw(st.integers(0 if zero_ok else 1, 5))
        text = f"{text} + {const}" if text else str(const)
    return text or "0"


@st.composite
def model_texts(draw, homogeneous=False, code=None, all_checked=False, weights=(1.0, 2.0, 0.5),
                values=st.integers(0, 40), n_params=(1, 4), select=True):
    """TOML text of a small random cost model.

    Parameters
    ----------
    homogeneous : bool
        Every cost (and node_bits) is homogeneous of degree 1 in the parameters.
    code : None, "flat" or "prefix"
        None draws it.
    all_checked : bool
        Every training episode is checked (else some may be unchecked).
    weights : tuple of float
        Episode weights to choose from (``(1.0,)`` keeps time means exact).
    values : strategy of int or float
        Parameter values (non-negative).
    select : bool
        Whether ``select`` primitives (value chosen per episode) may appear.
    """
    params = [f"P{i}" for i in range(draw(st.integers(*n_params)))]
    values_ = {p: float(draw(values)) for p in params}
    cost = lambda: draw(_cost(params, homogeneous))
    n_train = draw(st.integers(1, 2))
    n_deploy = draw(st.integers(0, 2))
    episodes = []
    for i in range(n_train):
        checked = True if (i == 0 or all_checked) else draw(st.booleans())
        episodes.append({"name": f"tr{i}", "phase": "train", "weight": draw(st.sampled_from(weights)), "checked": checked})
    for i in range(n_deploy):
        episodes.append({"name": f"dp{i}", "phase": "deploy", "weight": draw(st.sampled_from(weights))})
    episode_names = [e["name"] for e in episodes]

    def times():
        if draw(st.booleans()):
            return cost()
        return {"train": cost(), "deploy": cost()}

    components = {}
    for i in range(draw(st.integers(0, 2))):
        components[f"comp{i}"] = {"c": cost(), "per_objective": draw(st.booleans())}
    comp_names = list(components)

    def comps():
        return draw(st.lists(st.sampled_from(comp_names), unique=True, max_size=2)) if comp_names else []

    primitives = {}
    # Obj leaves: the first always stores base, so every DSL has a compatible program
    for i in range(draw(st.integers(1, 3))):
        objective = "base" if i == 0 else draw(st.sampled_from(OBJECTIVES))
        primitives[f"obj{i}"] = {"type": "Obj", "kind": "objective", "objective": objective,
                                 "c": cost(), "t": times(), "components": comps()}
    n_flags = draw(st.integers(0, 2))
    for i in range(n_flags):
        true_in = draw(st.lists(st.sampled_from(episode_names + ["train", "deploy"]), unique=True, max_size=2))
        primitives[f"flag{i}"] = {"type": "Bool", "kind": "flag", "true_in": true_in, "c": cost(), "t": times()}
    if n_flags:
        for kind, args in (("not", ["Bool"]), ("and", ["Bool", "Bool"]), ("or", ["Bool", "Bool"])):
            if draw(st.booleans()):
                primitives[f"b_{kind}"] = {"type": "Bool", "kind": kind, "args": args, "c": cost(), "t": times()}
    primitives["opt"] = {"type": "Policy", "kind": "pursue", "args": ["Obj"], "c": cost(), "t": times(),
                         "components": comps()}
    if draw(st.booleans()):
        primitives["comb"] = {"type": "Policy", "kind": "play_along", "args": ["Obj"], "c": cost(),
                              "t": times(), "components": comps()}
    if select and draw(st.booleans()):
        choices = ["arg1", "arg2", *OBJECTIVES]
        behaviour = {"train": draw(st.sampled_from(choices)), "deploy": draw(st.sampled_from(choices))}
        for name in episode_names:
            if draw(st.integers(0, 3)) == 0:
                behaviour[name] = draw(st.sampled_from(choices))
        primitives["sel"] = {"type": "Obj", "kind": "select", "args": ["Obj", "Obj"], "behaviour": behaviour,
                             "c": cost(), "t": times(), "components": comps()}
    if draw(st.booleans()):
        primitives["pol_leaf"] = {"type": "Policy", "kind": "objective",
                                  "objective": draw(st.sampled_from(OBJECTIVES)), "c": cost(), "t": times()}
    data = {
        "name": "random",
        "node_bits": draw(st.sampled_from(["0", params[0] if params else "0"])) if homogeneous
        else draw(st.sampled_from(["0", "0", "1", "0.5"])),
        "code": code or draw(st.sampled_from(["flat", "prefix"])),
        "time_aggregate": draw(st.sampled_from(["mean", "max"])),
        "parameters": values_,
        "components": components,
        "primitives": primitives,
        "episodes": episodes,
    }
    return toml_document(data)


def models(**kwargs):
    """Random :class:`~priorsearch.model.cost_model.CostModel` (see :func:`model_texts`)."""
    return model_texts(**kwargs).map(lambda text: loads_model(text, "<random model>"))


# --------------------------------------------------------------------------- programs

@st.composite
def program_of_type(draw, model, type_, depth):
    """A well-typed program of ``type_`` at most ``depth`` levels of arguments deep
    (a level more when the type has no leaf)."""
    prims = [p for p in model.primitives.values() if p.type == type_]
    leaves = [p for p in prims if not p.args]
    has_bool = any(p.type == "Bool" and not p.args for p in model.primitives.values())
    if depth <= 0:
        options = leaves or [p for p in prims if all(any(q.type == a and not q.args for q in model.primitives.values()) for a in p.args)]
    else:
        options = prims + (["if"] if has_bool else [])
    choice = draw(st.sampled_from(options))
    if choice == "if":
        return If(draw(program_of_type(model, "Bool", depth - 1)),
                  draw(program_of_type(model, type_, depth - 1)),
                  draw(program_of_type(model, type_, depth - 1)))
    return Call(choice.name, tuple(draw(program_of_type(model, a, depth - 1)) for a in choice.args))


def programs(model, depth=3):
    """Well-typed Policy programs over ``model``'s primitives."""
    return program_of_type(model, "Policy", depth)


@st.composite
def model_and_programs(draw, n=(1, 5), depth=3, **model_kwargs):
    """(model, [programs]) with ``n`` programs (a range)."""
    model = draw(models(**model_kwargs))
    progs = draw(st.lists(programs(model, depth), min_size=n[0], max_size=n[1]))
    return model, progs


def overrides(model, values=st.integers(0, 60)):
    """A dict of new values for some of ``model``'s parameters."""
    names = sorted(model.parameters)
    if not names:
        return st.just({})
    return st.dictionaries(st.sampled_from(names), values.map(float), max_size=len(names))


# -------------------------------------------------------------------------- exchanges

def exchanges(families=("linear", "levin", "power", "cap"), dyadic=False):
    """An exchange of one of ``families`` with random parameters.

    ``dyadic`` draws parameters that are exact binary fractions (exact arithmetic on
    integer costs).
    """
    if dyadic:
        number = st.integers(0, 64).map(lambda k: k / 8)
    else:
        number = st.floats(0, 20, allow_nan=False, allow_infinity=False)
    make = {
        "linear": st.builds(lambda g: Linear(g=g), number),
        "levin": st.builds(lambda lam: Levin(**{"lambda": lam}), number),
        "power": st.builds(lambda g, a: Power(g=g, alpha=a), number, st.sampled_from([0.5, 1.0, 2.0]) if dyadic else st.floats(0, 3)),
        "cap": st.builds(lambda k: Cap(k=k), st.integers(0, 400).map(float)),
    }
    return st.one_of([make[f] for f in families])


# -------------------------------------------------------------------------- mutations

DSL_TOKENS = ("if", "then", "else", "(", ")", ",", "=", "#", "\n", " ", "optimize", "combine", "base_obj",
              "simplest_obj", "is_deployed", "find_base_obj", "x", "_", "label:", "c:", "t:", "9", "\t",
              "\r", "\x00", "é", "((((", "))))")
TOML_TOKENS = ("[", "]", "[[", "]]", "=", '"', "'", '"""', "{", "}", ",", ".", "\n", " ", "#", "-", "+",
               "1e400", "nan", "inf", "9" * 400, "true", "type", "kind", "c", "t", "args", "primitives",
               "episodes", "x", "^", "__import__", "\\", "\\u0000", "é", "0x1F", "1979-05-27")


@st.composite
def mutations(draw, text, tokens, max_edits=4):
    """``text`` after up to ``max_edits`` random edits (delete, insert, replace, duplicate)."""
    for _ in range(draw(st.integers(1, max_edits))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        op = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        piece = draw(st.one_of(st.sampled_from(tokens), st.text(max_size=4)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "replace":
            text = text[:i] + piece + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text
