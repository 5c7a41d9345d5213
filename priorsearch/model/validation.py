"""The checks a CostModel runs on itself when it is built: structure, primitives and
their kinds, declared objectives, that base is reachable in training, and values.

A mixin of :class:`~priorsearch.model.CostModel`, so each rule reads ``self.primitives``
and friends as before; kept apart because it is one idea (validation) of its own.
"""
from __future__ import annotations

__all__ = ["ModelChecks", "EXCHANGE_PARAMS"]

import math
from collections.abc import Mapping

from ..errors import InputError, suggest
from ..exchange.base import LOSS_PRICE
from ..exchange.registry import EXCHANGES, exchange_defaults
from ..lang.expr import FUNCTIONS
from .parts import _NAME, BASE, KINDS, PHASES, TYPES, _check_name, _is_arg, check_training_weights


class _ExchangeParams(Mapping):
    """Exchange name -> its parameters with defaults: a live view of the exchange
    registry (:mod:`priorsearch.exchange.registry`), so a registered family is known to
    models and TOML files too."""

    def __getitem__(self, name):
        if name not in EXCHANGES:
            raise KeyError(name)
        return exchange_defaults(name)

    def __iter__(self):
        return iter(EXCHANGES)

    def __len__(self):
        return len(EXCHANGES)


#: exchange name -> its parameters with defaults
EXCHANGE_PARAMS = _ExchangeParams()


class ModelChecks:
    """Validation of a cost model (mixed into :class:`~priorsearch.model.CostModel`)."""

    def _validate_structure(self):
        for name, value in self.parameters.items():
            _check_name(name, "parameter")
            if name in FUNCTIONS:
                raise InputError(f"parameter name {name!r} is a function name of cost expressions")
            if not math.isfinite(value):
                raise InputError(f"parameter {name} = {value} is not finite")
        for xname in {k for v in EXCHANGE_PARAMS.values() for k in v} | {LOSS_PRICE}:
            if xname in self.parameters:
                raise InputError(f"parameter name {xname!r} is reserved for the exchange; rename it")
        if self.exchange not in EXCHANGE_PARAMS:
            raise InputError(f"unknown exchange {self.exchange!r}{suggest(self.exchange, EXCHANGE_PARAMS)}; choose from {', '.join(EXCHANGE_PARAMS)}")
        extra = set(self.exchange_params) - set(EXCHANGE_PARAMS[self.exchange]) - {LOSS_PRICE}
        if extra:
            key = sorted(extra)[0]
            raise InputError(f"exchange {self.exchange!r} has no parameter {key!r} (it has {', '.join(EXCHANGE_PARAMS[self.exchange])})")
        for key, value in self.exchange_params.items():
            if key != LOSS_PRICE and (not math.isfinite(value) or value < 0):
                raise InputError(f"exchange parameter {key} = {value:g} must be finite and >= 0")
        if self.code not in ("flat", "prefix"):
            raise InputError(f"code must be 'flat' or 'prefix', got {self.code!r}")
        if self.time_aggregate not in ("mean", "max"):
            raise InputError(f"time_aggregate must be 'mean' or 'max', got {self.time_aggregate!r}")
        for comp in self.components.values():
            _check_name(comp.name, "component", comp.loc)
        names = set()
        if not self.episodes:
            raise InputError("the model has no episodes; add at least one training episode")
        for ep in self.episodes:
            _check_name(ep.name, "episode", ep.loc)
            if ep.name in names:
                raise InputError(f"duplicate episode name {ep.name!r}", ep.loc)
            # the phase first: a misspelt phase (deployment) is the real mistake, not a name clash
            if ep.phase not in PHASES:
                raise InputError(f"episode {ep.name!r}: phase must be 'train' or 'deploy', got {ep.phase!r}"
                                 f"{suggest(ep.phase, PHASES)}", ep.loc)
            if ep.loss != 1.0 and (ep.phase != "train" or not ep.checked):
                raise InputError(f"episode {ep.name!r}: loss = {ep.loss:g} would never count (only checked training "
                                 f"episodes add to the training loss)", ep.loc)
            if ep.name in PHASES:
                if ep.phase != ep.name:
                    raise InputError(f"episode {ep.name!r} shares its name with a phase but has phase {ep.phase!r}", ep.loc)
            names.add(ep.name)
        if not any(e.phase == "train" for e in self.episodes):
            raise InputError("the model has no training episode; add one with phase = \"train\"")
        fam_names = set()
        for fam in self.families:
            _check_name(fam.name, "family", fam.loc)
            if fam.name in fam_names:
                raise InputError(f"duplicate family {fam.name!r}", fam.loc)
            fam_names.add(fam.name)

    def _validate_primitives(self):
        seen: dict[str, str] = {}
        episode_names = {e.name for e in self.episodes}
        keys_ok = set(PHASES) | episode_names
        for p in self.primitives.values():
            loc = p.loc
            _check_name(p.name, "primitive", loc)
            for n in (p.name, *p.aliases):
                _check_name(n, "alias" if n != p.name else "primitive", loc)
                if n in seen:
                    raise InputError(f"duplicate primitive name {n!r} (also used by {seen[n]!r})", loc)
                seen[n] = p.name
            if p.type not in TYPES:
                raise InputError(f"primitive {p.name!r}: unknown type {p.type!r}{suggest(p.type, TYPES)}; types are {', '.join(TYPES)}", loc)
            for a in p.args:
                if a not in TYPES:
                    raise InputError(f"primitive {p.name!r}: unknown argument type {a!r}{suggest(a, TYPES)}", loc)
            if p.kind not in KINDS:
                raise InputError(f"primitive {p.name!r}: unknown kind {p.kind!r}{suggest(p.kind, KINDS)}", loc)
            for comp in p.components:
                if comp not in self.components:
                    raise InputError(f"primitive {p.name!r}: unknown component {comp!r}{suggest(comp, self.components)}", loc)
            for key in p.t:
                if key not in keys_ok:
                    raise InputError(f"primitive {p.name!r}: t has key {key!r}, which is neither a phase nor an episode{suggest(key, keys_ok)}", loc)
            for ep in self.episodes:
                if p.time_in(ep) is None:
                    raise InputError(f"primitive {p.name!r}: t gives no time for episode {ep.name!r} (phase {ep.phase}); add a '{ep.phase}' entry", loc)
            self._validate_kind(p, keys_ok, episode_names)

    def _validate_kind(self, p, keys_ok, episode_names):
        loc, k = p.loc, p.kind
        def need(cond, message):
            if not cond:
                raise InputError(f"primitive {p.name!r} (kind {k}): {message}", loc)
        if k == "objective":
            need(not p.args, "takes no arguments")
            need(p.type in ("Obj", "Policy"), "must have type Obj or Policy")
            need(isinstance(p.objective, str) and _NAME.match(p.objective or ""), f"needs objective = \"<id>\", got {p.objective!r}")
        elif k == "flag":
            need(not p.args and p.type == "Bool", "must be a Bool leaf (no arguments)")
            for where in p.true_in:
                need(where in keys_ok, f"true_in entry {where!r} is neither a phase nor an episode{suggest(where, keys_ok)}")
        elif k == "not":
            need(p.type == "Bool" and p.args == ("Bool",), "must have type Bool and args [\"Bool\"]")
        elif k in ("and", "or"):
            need(p.type == "Bool" and p.args == ("Bool", "Bool"), "must have type Bool and args [\"Bool\", \"Bool\"]")
        else:  # pursue, play_along, select
            need(p.type in ("Obj", "Policy"), "must have type Obj or Policy")
            for arg in p.args:
                need(arg in ("Obj", "Policy"), f"arguments must be Obj or Policy, got {arg}")
            if k in ("pursue", "play_along"):
                need(len(p.args) == 1, f"takes exactly one argument; declare it with args = [\"Obj\"] "
                                       f"(the type it pursues), got args = {list(p.args)}")
            for key, value in p.behaviour.items():
                need(key in keys_ok, f"behaviour key {key!r} is neither a phase nor an episode{suggest(key, keys_ok)}")
                if _is_arg(value):
                    need(1 <= int(value[3:] or 1) <= len(p.args), f"behaviour {key} = {value!r} names an argument it does not have")
                else:
                    need(isinstance(value, str) and bool(_NAME.match(value)), f"behaviour {key} = {value!r} is not an objective id or 'argN'")
            for ep in self.episodes:
                need(p.value_in(ep) is not None, f"behaviour gives no value for episode {ep.name!r} (phase {ep.phase})")

    def _validate_objectives(self):
        """``[objectives.NAME]``: a known non-base objective, agreeing with base in known
        episodes or phases, and not in all of them (then it is base)."""
        known = self.objectives
        where_ok = set(PHASES) | {e.name for e in self.episodes}
        for obj in self.declared_objectives.values():
            loc = obj.loc
            _check_name(obj.name, "objective", loc)
            if obj.name == BASE:
                raise InputError("[objectives.base]: base is the objective every other one is compared with; "
                                 "declare a proxy under its own name", loc)
            for fam in self.families:
                # members are interchangeable (the enumeration counts them as one orbit): a
                # proxy among them would make one member different from the others
                if fam.objective_number(obj.name) is not None:
                    raise InputError(f"objective {obj.name!r} is the objective of a member of family {fam.name!r}, "
                                     f"whose members are interchangeable, so one of them cannot be a proxy; declare "
                                     f"the proxy as a primitive of its own, outside the family", loc)
            if obj.name not in known:
                others = [o for o in known if o != BASE]
                shown = ", ".join(others[:12]) + (f", ... ({len(others)} in all)" if len(others) > 12 else "")
                raise InputError(f"unknown objective {obj.name!r} in [objectives]{suggest(obj.name, others)}; "
                                 f"the model's objectives are {shown or 'base only'}", loc)
            if not obj.agrees_with_base:
                raise InputError(f"objective {obj.name!r}: agrees_with_base is empty, so it agrees with base nowhere "
                                 f"and needs no declaration; list the episodes or phases where it agrees", loc)
            seen = set()
            for where in obj.agrees_with_base:
                if where in seen:
                    raise InputError(f"objective {obj.name!r}: agrees_with_base lists {where!r} twice", loc)
                seen.add(where)
                if where not in where_ok:
                    raise InputError(f"objective {obj.name!r}: agrees_with_base entry {where!r} is neither a phase "
                                     f"nor an episode{suggest(where, where_ok)}", loc)
            if all(obj.agrees_in(e) for e in self.episodes):
                raise InputError(f"objective {obj.name!r} agrees with base in every episode, so it is base: "
                                 f"give its primitives objective = \"base\" (or list only the episodes where it agrees)", loc)

    def _check_base_reachable(self):
        """Some primitive other than a play-along must yield ``base`` in training, or only
        programs that play along can be training-compatible and every ranking is silently
        meaningless (a typo such as ``objective = "bas"`` made the deceptive program win
        without a word)."""
        train = self.training_episodes
        seen = {}
        for p in self.primitives.values():
            if p.kind == "play_along":
                continue  # plays along with base in training, but never holds it as a goal
            if p.kind == "objective":
                values = [(p.objective, p)]
            else:
                values = [(p.value_in(ep), p) for ep in train]
            for value, prim in values:
                if value == BASE:
                    return
                if isinstance(value, str) and not _is_arg(value):
                    seen.setdefault(value, prim)
        if not seen and not any(p.kind == "objective" or p.behaviour for p in self.primitives.values()):
            return  # no objectives at all (a bare cost table): nothing to pursue, nothing to misspell
        ids = ", ".join(repr(k) for k in seen) or "none"
        near = next((k for k in seen if suggest(k, [BASE])), None)
        hint = suggest(near, [BASE]) if near else ""
        loc = seen[near].loc if near else None
        raise InputError(f"no primitive yields the objective {BASE!r} in training, so only play-along "
                         f"programs can be training-compatible; objective ids seen: {ids}{hint} "
                         f"(a primitive with kind = \"objective\", objective = \"base\", or a behaviour "
                         f"with train = \"base\")", loc)

    def _validate_values(self):
        """Every cost must be finite and >= 0 at the model's parameter values."""
        env = dict(self.parameters)
        for what, expr, loc in self.cost_expressions():
            unknown = sorted(expr.params - set(env))
            if unknown:
                raise InputError(f"{what}: unknown parameter {unknown[0]!r}{suggest(unknown[0], env)}", expr.location or loc)
            value = float(expr.evaluate(env))
            if not math.isfinite(value):
                raise InputError(f"{what} = {expr} is not finite at the given parameters", expr.location or loc)
            if value < 0:
                raise InputError(f"{what} = {expr} = {value:g} is negative at the given parameters", expr.location or loc)
        check_training_weights(self.episodes, [float(e.weight.evaluate(env)) for e in self.episodes])
        total = sum(float(e.weight.evaluate(env)) for e in self.episodes if e.phase == "train")
        if not math.isfinite(total):
            raise InputError("the training episodes' weights do not sum to a finite number")


#: what pursue / play_along nodes evaluate to when no behaviour table is given
