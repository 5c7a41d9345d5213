"""Cost models: parameters, shared components, primitives, episodes and the exchange.

A :class:`CostModel` says which programs exist (the primitives and their types), what
they do in each episode (their semantic kind), and what they cost: every cost is an
:class:`~priorsearch.lang.expr.Expr` over named parameters, so one model serves a whole sweep.
The post's model (DESIGN 2.3) is embedded as :meth:`CostModel.default`.

Costs follow the post's accounting:

* c(p) = sum of c over the *distinct* primitives and components p references
  (+ ``node_bits`` per node, + log2(choices) per node under ``code = "prefix"``);
* t(p) = weighted mean (or max) over *training* episodes of the time of the nodes
  actually executed.
"""
from __future__ import annotations

__all__ = [
    "TYPES", "PHASES", "KINDS", "BASE", "EXCHANGE_PARAMS", "Primitive", "Component",
    "Episode", "Family", "Objective", "CostModel",
]

import math
from fractions import Fraction
from importlib import resources
from types import MappingProxyType

from ..errors import InputError, suggest
from ..exchange.base import LOSS_PRICE, check_loss_price
from ..lang.expr import Expr, parse_expr
from .validation import EXCHANGE_PARAMS, ModelChecks
from .parts import expand_primitives, BASE, EXPLICIT_MEMBERS, KINDS, MAX_FAMILY_COUNT, PHASES, TYPES, Component, Episode, Family, Objective, Primitive, _big, _is_arg, _number


class CostModel(ModelChecks):
    """A complete model; immutable — :meth:`with_params` returns a new one.

    Parameters
    ----------
    parameters : dict
        Parameter name -> value (the point the model is evaluated at).
    components, primitives : sequences of Component / Primitive
        Shared description components and the primitives the programs are built from.
    episodes : sequence of Episode
        Training and deployment episodes: phase, weight, whether training checks it.
    families : sequence of Family, optional
        Primitive families; their exact counts are ``family_sizes``, and the first
        ``EXPLICIT_MEMBERS`` members are listed in ``primitives``.
    node_bits : float
        Glue bits paid per node (0 in the post's model).
    code : {"flat", "prefix"}
        ``prefix`` adds log2(number of productions of the node's type) bits per node: a
        prefix-free code, so prior masses no longer grow with the size limit.
    time_aggregate : {"mean", "max"}
        How per-episode training times combine into t.
    exchange : str
        The default exchange (a registry name, e.g. ``"linear"``).
    exchange_params : dict, optional
        Its parameters (``g``, ``lambda``, ``alpha``, ``k``); missing ones take the family's defaults.
        ``loss_price`` (any family; default +inf: only training-compatible programs
        compete) is kept out of ``exchange_params`` while infinite.
    name, description : str
        The model's name and one-line description (reports, TOML ``name``/``description``).
    parameter_docs : dict, optional
        Parameter name -> documentation text (TOML ``{ value = ..., doc = ... }``).
    source : str, optional
        The file the model was read from (None when built in Python).
    declared_objectives : sequence of Objective, optional
        Objectives declared in ``[objectives.NAME]``: proxies that agree with ``base`` in
        the episodes they list.
    exact_parameters : dict, optional
        Exact values (ints, Fractions) of parameters, kept for family counts: K = 1e30
        given exactly is 10**30, not the nearest float.  Ints and Fractions in
        ``parameters`` are kept exactly too.
    named_members : dict, optional
        Family name -> member numbers above the first ``EXPLICIT_MEMBERS`` to list as
        primitives as well (:meth:`with_members`: the members programs name).
    """

    def __init__(self, *, parameters, components=(), primitives=(), episodes=(), families=(),
                 node_bits=0.0, code="flat", time_aggregate="mean", exchange="linear",
                 exchange_params=None, name="unnamed", description="", parameter_docs=None,
                 source=None, declared_objectives=(), exact_parameters=None, named_members=None):
        self.name = name
        self.description = description
        self.source = source
        given = dict(parameters)
        self.parameters = MappingProxyType({k: _float(k, v) for k, v in given.items()})
        # exact values (ints, Fractions) of parameters given exactly: family counts use
        # them, so K = 2^100 or 1e30 is that whole number, not the nearest float
        exact = dict(exact_parameters or {})
        exact.update({k: Fraction(v) for k, v in given.items()
                      if isinstance(v, (int, Fraction)) and not isinstance(v, bool)})
        self.exact_parameters = MappingProxyType({k: v for k, v in exact.items()
                                                  if k in self.parameters and float(v) == self.parameters[k]})
        self.parameter_docs = MappingProxyType(dict(parameter_docs or {}))
        self.components = MappingProxyType({c.name: c for c in components})
        self.base_primitives = tuple(primitives)
        self.families = tuple(families)
        self.episodes = tuple(episodes)
        self.node_bits = node_bits if isinstance(node_bits, Expr) else parse_expr(node_bits)
        self.code = code
        self.time_aggregate = time_aggregate
        self.exchange = exchange
        # a required exchange parameter (default None, e.g. cap's k) stays unset until given
        params = {k: v for k, v in EXCHANGE_PARAMS.get(exchange, {}).items() if v is not None}
        params.update(exchange_params or {})
        if LOSS_PRICE in params:
            check_loss_price(params[LOSS_PRICE])
            if float(params[LOSS_PRICE]) == math.inf:  # the default: stored nowhere, so files and hashes stay
                del params[LOSS_PRICE]
        self.exchange_params = MappingProxyType({k: float(v) for k, v in params.items()})
        self.declared_objectives = MappingProxyType({o.name: o for o in declared_objectives})
        self._validate_structure()
        #: exact member count of each family (any size up to MAX_FAMILY_COUNT); only the
        #: first EXPLICIT_MEMBERS members are listed as primitives (what programs can name)
        self.family_sizes = MappingProxyType(
            {fam.name: fam.size(self.parameters, self.exact_parameters) for fam in self.families})
        extra = {fam.name: tuple(sorted({int(i) for i in (named_members or {}).get(fam.name, ())
                                         if EXPLICIT_MEMBERS < int(i) <= self.family_sizes[fam.name]}))
                 for fam in self.families}
        #: members above EXPLICIT_MEMBERS listed as well, per family (:meth:`with_members`)
        self.named_members = MappingProxyType({k: v for k, v in extra.items() if v})
        members = {fam.name: [fam.member(i) for i in range(1, min(self.family_sizes[fam.name], EXPLICIT_MEMBERS) + 1)]
                   + [fam.member(i) for i in extra[fam.name]] for fam in self.families}
        self.primitives = MappingProxyType(expand_primitives(self.base_primitives, self.families, members))
        self._validate_primitives()
        self._validate_objectives()
        self._check_base_reachable()
        self._validate_values()

    # ------------------------------------------------------------------ construction

    #: the file format (set by :mod:`priorsearch.model.toml_format` when it is imported,
    #: which the package always does): the format imports the model, never the reverse
    codec = None

    @classmethod
    def default(cls) -> "CostModel":
        """The post's model (DESIGN 2.3) with the worked-example numbers."""
        text = resources.files("priorsearch").joinpath("data/post.toml").read_text(encoding="utf-8")
        return cls.codec.loads(text, path="<default model: post.toml>")

    @classmethod
    def load(cls, path) -> "CostModel":
        """Read a model from a TOML file (the format: docs/model_format.md)."""
        return cls.codec.load(path)

    def save(self, path) -> None:
        """Write the model as TOML that :meth:`load` reads back to an equal model."""
        self.codec.save(self, path)

    def _replace(self, **changes) -> "CostModel":
        kwargs = dict(
            parameters=self.parameters, components=self.components.values(),
            primitives=self.base_primitives, episodes=self.episodes, families=self.families,
            node_bits=self.node_bits, code=self.code, time_aggregate=self.time_aggregate,
            exchange=self.exchange, exchange_params=self.exchange_params, name=self.name,
            description=self.description, parameter_docs=self.parameter_docs, source=self.source,
            declared_objectives=self.declared_objectives.values(),
            exact_parameters=self.exact_parameters, named_members=self.named_members,
        )
        kwargs.update(changes)
        return CostModel(**kwargs)

    def with_params(self, **values) -> "CostModel":
        """A copy with some parameters (cost or exchange parameters) set to new values."""
        params = dict(self.parameters)
        xparams = dict(self.exchange_params)
        exact = dict(self.exact_parameters)
        for key, value in values.items():
            if key == LOSS_PRICE:
                xparams[key] = check_loss_price(value, f"parameter {key}")
                continue
            for fam in self.families:  # a count past any float: the family's own check says so
                if key in fam.count.params and isinstance(value, (int, Fraction)) and value > MAX_FAMILY_COUNT:
                    fam.size(self.parameters, {**self.exact_parameters, key: value})
            number = _number(value, f"parameter {key}")
            if key in params:
                params[key] = number
                if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
                    exact[key] = Fraction(value)
                else:
                    exact.pop(key, None)
            elif key in xparams:
                xparams[key] = number
            else:
                known = list(params) + list(xparams)
                raise InputError(f"unknown parameter {key!r}{suggest(key, known)}")
        return self._replace(parameters=params, exchange_params=xparams, exact_parameters=exact)

    def with_exchange(self, name: str, **params) -> "CostModel":
        """A copy whose default exchange is ``name`` (parameters default as documented)."""
        if name not in EXCHANGE_PARAMS:
            raise InputError(f"unknown exchange {name!r}{suggest(name, EXCHANGE_PARAMS)}; choose from {', '.join(EXCHANGE_PARAMS)}")
        merged = {k: v for k, v in EXCHANGE_PARAMS[name].items() if v is not None}
        if name == self.exchange:
            merged.update(self.exchange_params)
        elif LOSS_PRICE in self.exchange_params:  # the loss price belongs to no family
            merged[LOSS_PRICE] = self.exchange_params[LOSS_PRICE]
        merged.update({k: check_loss_price(v, f"parameter {k}") if k == LOSS_PRICE else _number(v, f"parameter {k}")
                       for k, v in params.items()})
        unknown = set(merged) - set(EXCHANGE_PARAMS[name]) - {LOSS_PRICE}
        if unknown:
            key = sorted(unknown)[0]
            raise InputError(f"exchange {name!r} has no parameter {key!r} (it has {', '.join(EXCHANGE_PARAMS[name])})")
        return self._replace(exchange=name, exchange_params=merged)

    def with_primitives(self, *primitives: Primitive) -> "CostModel":
        """A copy with extra (or replaced, by name) primitives."""
        names = {p.name for p in primitives}
        kept = [p for p in self.base_primitives if p.name not in names]
        return self._replace(primitives=kept + list(primitives))

    def with_components(self, *components: Component) -> "CostModel":
        """A copy with extra (or replaced, by name) components."""
        merged = dict(self.components)
        merged.update({c.name: c for c in components})
        return self._replace(components=merged.values())

    def with_objectives(self, *objectives: Objective) -> "CostModel":
        """A copy with extra (or replaced, by name) declared objectives (proxies)."""
        merged = dict(self.declared_objectives)
        merged.update({o.name: o for o in objectives})
        return self._replace(declared_objectives=merged.values())

    def with_episodes(self, *episodes: Episode) -> "CostModel":
        """A copy whose episodes are exactly ``episodes``."""
        return self._replace(episodes=episodes)

    def with_options(self, **options) -> "CostModel":
        """A copy with ``node_bits``, ``code``, ``time_aggregate`` or ``families`` changed."""
        allowed = {"node_bits", "code", "time_aggregate", "families", "name", "description"}
        bad = set(options) - allowed
        if bad:
            key = sorted(bad)[0]
            raise InputError(f"unknown option {key!r}{suggest(key, allowed)}")
        return self._replace(**options)

    # ---------------------------------------------------------------------- queries

    @property
    def objectives(self) -> tuple:
        """Objective ids: ``base`` first, then the others in declaration order."""
        seen = {BASE: None}  # a dict keeps the order; a list made this quadratic in K
        for p in self.primitives.values():
            ids = [p.objective] if p.kind == "objective" else [
                v for v in p.behaviour.values() if not _is_arg(v)]
            for obj in ids:
                if obj is not None:
                    seen.setdefault(obj, None)
        return tuple(seen)

    @property
    def training_episodes(self) -> tuple:
        """The episodes whose phase is ``train``, in declaration order."""
        return tuple(e for e in self.episodes if e.phase == "train")

    def lookup(self, name: str):
        """The primitive called ``name`` or having it as an alias, else None.

        Any member ``NAME_i`` of a family, 1 <= i <= its count, is found, listed or not
        (a family of K = 10^6 lists its first EXPLICIT_MEMBERS as primitives).
        """
        if name in self.primitives:
            return self.primitives[name]
        found = self._aliases().get(name)
        return found if found is not None else self.family_member(name)

    def family_member(self, name: str):
        """The family member called ``name`` (``misaligned_123456``), else None.

        Parameters
        ----------
        name : str
            ``FAMILY_i`` with i a whole number from 1 to the family's count.

        Returns
        -------
        Primitive or None
        """
        for fam in self.families:
            i = fam.member_number(name)
            if i is not None and i <= self.family_sizes[fam.name]:
                return fam.member(i)
        return None

    def member_hint(self, name: str) -> str:
        """For an unknown ``FAMILY_i`` above the family's count: what the members are.

        Parameters
        ----------
        name : str
            The unknown name.

        Returns
        -------
        str
            e.g. `` (family 'misaligned' has K = 1000 members, misaligned_1 .. misaligned_1000)``, or "".
        """
        for fam in self.families:
            digits = fam.member_digits(name)
            if digits is not None:
                n = self.family_sizes[fam.name]
                if fam.member_number(name) is None and 1 <= int(digits) <= n:
                    return f" (member numbers have no leading zeros: {fam.name}_{int(digits)})"
                return f" (family {fam.name!r} has {fam.count} = {n} members, {fam.name}_1 .. {fam.name}_{n})"
        return ""

    def with_members(self, names) -> "CostModel":
        """A copy that lists the family members among ``names`` as primitives too (those
        above the first EXPLICIT_MEMBERS), so a layout gives them items and objectives.

        Parameters
        ----------
        names : iterable of str
            Primitive names, e.g. the names a program uses; other names are ignored.

        Returns
        -------
        CostModel
            ``self`` when nothing new is named.
        """
        extra = {}
        for name in names:
            if name in self.primitives:
                continue
            member = self.family_member(name)
            if member is not None:
                fam = next(f for f in self.families if f.name == member.family)
                extra.setdefault(member.family, set()).add(fam.member_number(name))
        if not extra:
            return self
        merged = {f: set(self.named_members.get(f, ())) | extra.get(f, set()) for f in set(extra) | set(self.named_members)}
        return self._replace(named_members=merged)

    def _aliases(self):
        table = {}
        for p in self.primitives.values():
            for a in p.aliases:
                table[a] = p
        return table

    def all_names(self) -> list[str]:
        """Every name a program may use: primitive names, then aliases."""
        return list(self.primitives) + list(self._aliases())

    def cost_expressions(self):
        """Every (description, Expr) pair of the model, for validation and reporting."""
        for c in self.components.values():
            yield f"component {c.name!r} c", c.c, c.loc
        for p in self.primitives.values():
            yield f"primitive {p.name!r} c", p.c, p.loc
            for key, expr in p.t.items():
                yield f"primitive {p.name!r} t[{key}]", expr, p.loc
        for e in self.episodes:
            yield f"episode {e.name!r} weight", e.weight, e.loc
        yield "node_bits", self.node_bits, None

    def __eq__(self, other):
        if not isinstance(other, CostModel):
            return NotImplemented
        return (
            dict(self.parameters) == dict(other.parameters)
            and dict(self.components) == dict(other.components)
            and self.base_primitives == other.base_primitives
            and self.families == other.families
            and self.episodes == other.episodes
            and self.node_bits == other.node_bits
            and (self.code, self.time_aggregate, self.exchange) == (other.code, other.time_aggregate, other.exchange)
            and dict(self.exchange_params) == dict(other.exchange_params)
            and dict(self.declared_objectives) == dict(other.declared_objectives)
        )

    __hash__ = None

    def __repr__(self):
        return f"CostModel({self.name!r}, {len(self.primitives)} primitives, {len(self.episodes)} episodes)"

    # ------------------------------------------------------------------- validation


def _float(name, value) -> float:
    try:
        return float(value)
    except OverflowError:
        raise InputError(f"parameter {name}: {_big(value)} is too large (floats end near 1.8e308)") from None
