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
from ..outputs import atomic_write_text
from ..lang.expr import Expr, parse_expr
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
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file", Location(str(path))) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected a .toml cost model", Location(str(path))) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", Location(str(path))) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", Location(str(path))) from None
    return loads_model(text, path=str(path))


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


class _Locator:
    """Finds the line of a dotted key in the TOML text, for error messages.

    tomllib gives no positions for values, so this scans table headers and ``key =``
    lines; it is approximate for unusual layouts but exact for the documented format.
    """

    # Linear-time patterns: every line is scanned (also inside multi-line strings), so a
    # long line must not trigger backtracking (a lazy group before \s*\] was cubic).
    _HEADER = re.compile(r"^[ \t]*(\[\[?)([^\]]*)\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")
    # a key starts where a word starts: without the look-behind every position inside a
    # long word is tried and backtracked (quadratic in a 40 kB doc string)
    _INLINE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z0-9_]+)\s*=\s*(\"?)")

    def __init__(self, text, path):
        self.path = path
        self.keys = {}        # dotted key -> (line, column of its value)
        self.key_starts = {}  # dotted key -> (line, column of the key itself)
        table, counters = (), {}
        for number, line in enumerate(text.splitlines(), start=1):
            m = self._HEADER.match(line)
            if m:
                if not m.group(2).strip():
                    continue
                parts = tuple(x.strip().strip('"') for x in m.group(2).split("."))
                if m.group(1) == "[[":
                    idx = counters.get(parts, 0)
                    counters[parts] = idx + 1
                    parts = parts + (idx,)
                table = parts
                self.keys.setdefault(table, (number, m.start(2) + len(m.group(2)) - len(m.group(2).lstrip()) + 1))
                continue
            m = self._KEY.match(line)
            if m:
                parts = table + tuple(x.strip().strip('"') for x in m.group(1).split("."))
                after = line[m.end():]
                col = m.end() + len(after) - len(after.lstrip()) + 1
                if after.lstrip().startswith(('"', "'")):
                    col += 1
                self.keys.setdefault(parts, (number, col))
                self.key_starts.setdefault(parts, (number, m.start(1) + 1))
                for k in range(len(table) + 1, len(parts)):
                    self.keys.setdefault(parts[:k], (number, m.start(1) + 1))
                inline = self._INLINE.finditer(after)
                for im in inline:
                    sub = parts + (im.group(1),)
                    self.keys.setdefault(sub, (number, m.end() + im.end() + 1))

    def key_at(self, *parts) -> Location:
        """Where the key itself is written (for unknown-key errors)."""
        if parts in self.key_starts:
            line, col = self.key_starts[parts]
            return Location(self.path, line, col)
        return self.at(*parts)

    def at(self, *parts) -> Location:
        while parts:
            if parts in self.keys:
                line, col = self.keys[parts]
                return Location(self.path, line, col)
            parts = parts[:-1]
        return Location(self.path, 1, 1)


def _unknown_keys(table, allowed, where, locator, parts):
    for key in table:
        if key not in allowed:
            raise InputError(f"unknown key {key!r} in {where}{suggest(key, allowed)}", locator.key_at(*parts, key))


def _table(value, what, loc):
    if not isinstance(value, dict):
        raise InputError(f"{what} must be a table, got {type(value).__name__}", loc)
    return value


def _str(value, what, loc):
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {value!r}", loc)
    return value


def _str_list(value, what, loc):
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{what} must be a list of strings, got {value!r}", loc)
    return tuple(value)


def _float(value, what, loc) -> float:
    """A TOML number as a float; TOML integers are unbounded, floats are not."""
    try:
        return float(value)
    except OverflowError:
        digits = str(value)
        shown = digits if len(digits) <= 40 else f"{digits[:20]}...({len(digits)} digits)"
        raise InputError(f"{what}: {shown} is too large (floats end near 1.8e308)", loc) from None


def _expr(value, what, loc):
    try:
        return parse_expr(value, loc)
    except InputError as exc:
        raise InputError(f"{what}: {exc.message}", exc.location or loc) from None


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
        objectives.append(Objective(name, _str_list(spec["agrees_with_base"], f"objective {name!r} agrees_with_base",
                                                    locator.at("objectives", name, "agrees_with_base")),
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


def _guess_location(message, locator):
    """Best place for a model-level error: the table its first quoted name refers to."""
    m = re.search(r"(component|primitive|episode|family|exchange parameter|parameter|objective) '?([A-Za-z0-9_]+)", message)
    if m:
        kind, name = m.group(1), m.group(2)
        section = {"component": "components", "primitive": "primitives", "family": "families",
                   "parameter": "parameters", "exchange parameter": "exchange", "objective": "objectives"}.get(kind)
        if section:
            loc = locator.at(section, name)
            if loc.line > 1 or (section, name) in locator.keys:
                return loc
            if section == "primitives":
                for fam_key in locator.keys:
                    if fam_key[:1] == ("families",) and len(fam_key) == 2 and name.startswith(fam_key[1] + "_"):
                        return locator.at(*fam_key)
    return Location(locator.path)


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
