"""Cost models as TOML: load with located errors, and save.

Format (``programs/post.toml`` is the annotated reference)::

    name = "post"                 # optional
    description = "..."           # optional
    node_bits = 0                 # glue bits per node
    code = "flat"                 # or "prefix": + log2(#productions) bits per node
    time_aggregate = "mean"       # or "max" over training episodes

    [exchange]                    # the default exchange and its parameter(s)
    name = "linear"               # linear (g) | levin (lambda) | power (g, alpha) | cap (k)
    g = 1

    [parameters]                  # NAME = number, or NAME = { value = number, doc = "..." }
    C_B = 20

    [components.mesaoptimize]     # paid once per program (per objective if per_objective)
    c = "C_M"

    [primitives.base_obj]         # type, kind, args, c, t, components, aliases, doc and
    type = "Obj"                  # kind-specific keys: objective | true_in | behaviour
    kind = "objective"
    objective = "base"
    c = "C_B"
    t = "T_B"                     # or a table by phase/episode: { train = "...", deploy = "..." }

    [families.misaligned]         # count interchangeable primitives misaligned_1..count
    count = "K"                   # ({i} in objective/aliases/behaviour becomes the number)
    type = "Obj"
    kind = "objective"
    objective = "misaligned_{i}"
    c = "C_S"
    t = 0

    [[episodes]]                  # name, phase (train | deploy), weight, checked, loss
    name = "train"
    phase = "train"
    loss = 1                      # what missing base here adds to the training loss L

    [objectives.camera]           # a proxy: indistinguishable from base in these
    agrees_with_base = ["train"]  # episodes or phases (pursuing it there: no loss)

``[exchange]`` may also set ``loss_price`` (any family; default inf): the score becomes
exchange(c, t) + loss_price * L, so programs with a training loss L > 0 compete.

Every cost is a number or an expression string over the parameters (see
:mod:`priorsearch.lang.expr`).  Unknown keys are errors with a suggestion.
"""
from __future__ import annotations

__all__ = ["load_model", "loads_model", "dump_model"]

import re
import tomllib
from pathlib import Path

from ..errors import InputError, Location
from ..inputs import read_input_text
from ..outputs import atomic_write_text
from ..lang.dsl import parse_definitions
from ..lang.expr import Expr, parse_expr
from .toml_reading import _Locator, _expr, _float, _guess_location, _str, _str_list, _table, _unknown_keys
from .toml_dump import FORMAT, dump_model
from ..exchange.base import LOSS_PRICE
from .cost_model import EXCHANGE_PARAMS, KINDS, Component, CostModel, Episode, Family, Objective, Primitive, suggest

TOP_KEYS = ("format", "name", "description", "node_bits", "code", "time_aggregate", "exchange",
            "parameters", "components", "primitives", "families", "episodes", "objectives",
            "uncertainty")  # [uncertainty] is read by priorsearch.uncertainty.config
PRIMITIVE_KEYS = ("type", "kind", "args", "objective", "true_in", "behaviour", "c", "t",
                  "components", "aliases", "doc")
FAMILY_KEYS = ("count",) + PRIMITIVE_KEYS
COMPONENT_KEYS = ("c", "per_objective", "doc")
EPISODE_KEYS = ("name", "phase", "weight", "checked", "loss")
OBJECTIVE_KEYS = ("agrees_with_base", "doc")


def load_model(path) -> CostModel:
    """Read a cost model from a TOML file; an unreadable file is an :class:`InputError`.

    Parameters
    ----------
    path : str or path-like
        The ``.toml`` file (UTF-8); errors name ``path:line:col``.

    Returns
    -------
    CostModel
    """
    return loads_model(read_input_text(path, "a .toml cost model"), path=str(path))


def loads_model(text: str, path: str = "<string>") -> CostModel:
    """Parse a cost model from TOML text.

    Parameters
    ----------
    text : str
        The TOML document.
    path : str
        The file name that error locations report (and the model's ``source``).

    Returns
    -------
    CostModel
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = Location(path, int(m.group(1)), int(m.group(2))) if m else Location(path)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) if m else message
        if _is_program_file(text, path):
            raise InputError("this is a program file (.prog), not a cost model; give it with --programs",
                             Location(path)) from None
        raise InputError(f"invalid TOML: {message}", where) from None
    except RecursionError:
        raise InputError("invalid TOML: nested too deeply", Location(path)) from None
    locator = _Locator(text, path)
    try:
        return _build(data, locator, path)
    except InputError as exc:
        if exc.location is None:
            raise exc.at(Location(path)) from None
        raise


def _is_program_file(text, path) -> bool:
    """Whether ``text`` parses as program definitions (to name a file of the wrong kind)."""
    try:
        return bool(parse_definitions(text, path))
    except InputError:
        return False


def _build(data, locator, path):
    _unknown_keys(data, TOP_KEYS, "the model", locator, ())
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InputError(f"unsupported format {fmt!r}; this version reads {FORMAT!r}", locator.at("format"))

    params, docs = {}, {}
    for name, value in _table(data.get("parameters", {}), "[parameters]", locator.at("parameters")).items():
        loc = locator.at("parameters", name)
        if isinstance(value, dict):
            _unknown_keys(value, ("value", "doc"), f"parameter {name!r}", locator, ("parameters", name))
            if "value" not in value:
                raise InputError(f"parameter {name!r} needs a value", loc)
            docs[name] = _str(value.get("doc", ""), f"parameter {name!r} doc", loc)
            value = value["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"parameter {name!r} must be a number, got {value!r}", loc)
        params[name] = _float(value, f"parameter {name!r}", loc)

    components = []
    for name, spec in _table(data.get("components", {}), "[components]", locator.at("components")).items():
        loc = locator.at("components", name)
        spec = _table(spec, f"component {name!r}", loc)
        _unknown_keys(spec, COMPONENT_KEYS, f"component {name!r}", locator, ("components", name))
        if "c" not in spec:
            raise InputError(f"component {name!r} needs a cost c", loc)
        per_obj = spec.get("per_objective", False)
        if not isinstance(per_obj, bool):
            raise InputError(f"component {name!r}: per_objective must be true or false", locator.at("components", name, "per_objective"))
        components.append(Component(name, _expr(spec["c"], f"component {name!r} c", locator.at("components", name, "c")),
                                    per_obj, _str(spec.get("doc", ""), "doc", loc), loc))

    primitives = [
        _primitive(name, spec, locator, ("primitives", name), PRIMITIVE_KEYS)
        for name, spec in _table(data.get("primitives", {}), "[primitives]", locator.at("primitives")).items()
    ]
    families = []
    for name, spec in _table(data.get("families", {}), "[families]", locator.at("families")).items():
        loc = locator.at("families", name)
        spec = _table(spec, f"family {name!r}", loc)
        if "count" not in spec:
            raise InputError(f"family {name!r} needs a count", loc)
        template = _primitive(name, {k: v for k, v in spec.items() if k != "count"}, locator, ("families", name), FAMILY_KEYS)
        families.append(Family(name, _expr(spec["count"], f"family {name!r} count", locator.at("families", name, "count")), template, loc))

    episodes = []
    raw_episodes = data.get("episodes", [])
    if not isinstance(raw_episodes, list):
        raise InputError("episodes must be an array of tables: [[episodes]]", locator.at("episodes"))
    for i, spec in enumerate(raw_episodes):
        loc = locator.at("episodes", i)
        spec = _table(spec, "an episode", loc)
        _unknown_keys(spec, EPISODE_KEYS, "an episode", locator, ("episodes", i))
        for key in ("name", "phase"):
            if key not in spec:
                raise InputError(f"episode {i + 1} needs a {key}", loc)
        checked = spec.get("checked", spec.get("phase") == "train")
        if not isinstance(checked, bool):
            raise InputError("episode checked must be true or false", locator.at("episodes", i, "checked"))
        loss = spec.get("loss", 1.0)
        loss_at = locator.at("episodes", i, "loss")
        if isinstance(loss, bool) or not isinstance(loss, (int, float)):
            raise InputError(f"episode loss must be a number, got {loss!r}", loss_at)
        loss = _float(loss, "episode loss", loss_at)
        if not (loss >= 0 and loss < float("inf")):
            raise InputError(f"episode loss = {loss:g} must be finite and >= 0 (what missing base in this "
                             f"episode adds to the training loss)", loss_at)
        if "loss" in spec and (spec.get("phase") != "train" or not checked):
            why = "a deployment episode" if spec.get("phase") != "train" else "not checked (checked = false)"
            raise InputError(f"episode {spec['name']!r} is {why}: only checked training episodes add to the "
                             f"training loss, so its loss would never count; remove it", loss_at)
        episodes.append(Episode(
            _str(spec["name"], "episode name", loc), _str(spec["phase"], "episode phase", locator.at("episodes", i, "phase")),
            _expr(spec.get("weight", 1), "episode weight", locator.at("episodes", i, "weight")), checked, loc, loss))

    objectives = []
    for name, spec in _table(data.get("objectives", {}), "[objectives]", locator.at("objectives")).items():
        loc = locator.at("objectives", name)
        spec = _table(spec, f"objective {name!r}", loc)
        _unknown_keys(spec, OBJECTIVE_KEYS, f"objective {name!r}", locator, ("objectives", name))
        if "agrees_with_base" not in spec:
            raise InputError(f"objective {name!r} needs agrees_with_base = [episodes or phases]", loc)
        agrees_at = locator.at("objectives", name, "agrees_with_base")
        if isinstance(spec["agrees_with_base"], str):  # a list even for one entry: say which
            raise InputError(f"objective {name!r} agrees_with_base must be a list of strings, got "
                             f"{spec['agrees_with_base']!r} (write [\"{spec['agrees_with_base']}\"])", agrees_at)
        objectives.append(Objective(name, _str_list(spec["agrees_with_base"], f"objective {name!r} agrees_with_base",
                                                    agrees_at),
                                    _str(spec.get("doc", ""), f"objective {name!r} doc", loc),
                                    locator.at("objectives", name, "agrees_with_base")))

    xspec = data.get("exchange", {"name": "linear"})
    if isinstance(xspec, str):
        xspec = {"name": xspec}
    xspec = dict(_table(xspec, "[exchange]", locator.at("exchange")))
    xname = _str(xspec.pop("name", "linear"), "exchange name", locator.at("exchange", "name"))
    if xname not in EXCHANGE_PARAMS:
        raise InputError(f"unknown exchange {xname!r}{suggest(xname, EXCHANGE_PARAMS)}; choose from {', '.join(EXCHANGE_PARAMS)}", locator.at("exchange", "name"))
    _unknown_keys(xspec, tuple(EXCHANGE_PARAMS[xname]) + (LOSS_PRICE,), f"exchange {xname!r}", locator, ("exchange",))
    for key, value in xspec.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"exchange parameter {key} must be a number, got {value!r}", locator.at("exchange", key))
        xspec[key] = _float(value, f"exchange parameter {key}", locator.at("exchange", key))
        if key == LOSS_PRICE and not xspec[key] >= 0:
            raise InputError(f"loss_price = {value!r}: a loss price must be >= 0 (inf, the default, is pass/fail)",
                             locator.at("exchange", key))

    options = {}
    for key in ("code", "time_aggregate", "name", "description"):
        if key in data:
            options[key] = _str(data[key], key, locator.at(key))
    if "name" not in options:
        # an unnamed model is called after its file (mine.toml -> "mine"), never "model"
        stem = Path(path).stem if not str(path).startswith("<") else ""
        options["name"] = stem or "unnamed"
    node_bits = _expr(data.get("node_bits", 0), "node_bits", locator.at("node_bits"))
    try:
        return CostModel(parameters=params, parameter_docs=docs, components=components,
                         primitives=primitives, families=families, episodes=episodes,
                         node_bits=node_bits, exchange=xname, exchange_params=xspec, source=path,
                         declared_objectives=objectives, **options)
    except InputError as exc:
        if exc.location is None or not exc.location.line:
            guess = _guess_location(exc.message, locator)
            raise exc.at(guess) from None
        raise


def _primitive(name, spec, locator, parts, allowed):
    loc = locator.at(*parts)
    what = f"{'family' if parts[0] == 'families' else 'primitive'} {name!r}"
    spec = _table(spec, what, loc)
    _unknown_keys(spec, allowed, what, locator, parts)
    for key in ("type", "c", "t"):
        if key not in spec:
            raise InputError(f"{what} needs a {key}", loc)
    kind = spec.get("kind")
    if kind is None:
        kind = "objective" if "objective" in spec else "flag" if "true_in" in spec else "select" if "behaviour" in spec else None
        if kind is None:
            raise InputError(f"{what} needs a kind ({', '.join(KINDS)})", loc)
    kind = _str(kind, f"{what} kind", locator.at(*parts, "kind"))
    if kind not in KINDS:
        raise InputError(f"{what}: unknown kind {kind!r}{suggest(kind, KINDS)}", locator.at(*parts, "kind"))
    t = spec["t"]
    if isinstance(t, dict):
        times = {k: _expr(v, f"{what} t[{k}]", locator.at(*parts, "t", k)) for k, v in t.items()}
    else:
        times = {"train": _expr(t, f"{what} t", locator.at(*parts, "t"))}
        times["deploy"] = times["train"]
    behaviour = spec.get("behaviour")
    if kind == "pursue":
        behaviour = behaviour or {"train": "arg", "deploy": "arg"}
    elif kind == "play_along":
        behaviour = behaviour or {"train": "base", "deploy": "arg"}
    elif behaviour is None:
        behaviour = {}
    elif isinstance(behaviour, str):
        behaviour = {"train": behaviour, "deploy": behaviour}
    behaviour = _table(behaviour, f"{what} behaviour", locator.at(*parts, "behaviour"))
    for k, v in behaviour.items():
        _str(v, f"{what} behaviour[{k}]", locator.at(*parts, "behaviour", k))
    objective = spec.get("objective")
    if objective is not None:
        _str(objective, f"{what} objective", locator.at(*parts, "objective"))
    return Primitive(
        name=name,
        type=_str(spec["type"], f"{what} type", locator.at(*parts, "type")),
        kind=kind,
        c=_expr(spec["c"], f"{what} c", locator.at(*parts, "c")),
        t=times,
        args=_str_list(spec.get("args", []), f"{what} args", locator.at(*parts, "args")),
        objective=objective,
        true_in=_str_list(spec.get("true_in", []), f"{what} true_in", locator.at(*parts, "true_in")),
        behaviour=dict(behaviour),
        components=_str_list(spec.get("components", []), f"{what} components", locator.at(*parts, "components")),
        aliases=_str_list(spec.get("aliases", []), f"{what} aliases", locator.at(*parts, "aliases")),
        doc=_str(spec.get("doc", ""), f"{what} doc", loc),
        loc=loc,
    )


# ------------------------------------------------------------------------------ saving


class TomlCodec:
    """How :class:`CostModel` reads and writes itself (its ``codec``)."""

    load = staticmethod(load_model)
    loads = staticmethod(loads_model)

    @staticmethod
    def save(model, path) -> None:
        atomic_write_text(path, dump_model(model))


CostModel.codec = TomlCodec
