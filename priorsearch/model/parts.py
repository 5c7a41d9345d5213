"""The parts of a cost model: components, primitives, episodes, families, and the
rules for their names, kinds and values (:class:`~priorsearch.model.CostModel` puts
them together)."""
from __future__ import annotations

__all__ = ["expand_primitives", "TYPES", "PHASES", "BASE", "KINDS", "Component", "Primitive", "Episode", "Family",
           "Objective", "arg_index", "check_training_weights"]

import math

from fractions import Fraction

import numpy as np
import re
from dataclasses import dataclass, field, replace

from ..errors import InputError, Location, suggest
from ..lang.expr import Expr, parse_expr
from ..lang.exact import exact_value

TYPES = ("Obj", "Bool", "Policy")
PHASES = ("train", "deploy")
#: the objective a program must pursue in every checked training episode
BASE = "base"
#: kind -> (result types allowed, argument types or None when declared freely)
KINDS = {
    "objective": "an Obj (or Policy) leaf that always evaluates to one objective",
    "flag": "a Bool leaf, true in the episodes or phases listed in true_in",
    "not": "Bool negation: not(b)",
    "and": "Bool conjunction: and(a, b)",
    "or": "Bool disjunction: or(a, b)",
    "pursue": "a Policy that pursues its Obj argument in every episode",
    "play_along": "a Policy that pursues base in training episodes and its argument when deployed",
    "select": "a value chosen per phase or episode from a table: an objective id, or 'arg1', 'arg2', ...",
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: member numbers are ASCII digits (str.isdigit also takes '²' and '٣')
_ASCII_DIGITS = re.compile(r"[0-9]+")


def _check_name(name, what, loc=None):
    if not isinstance(name, str) or not _NAME.match(name):
        raise InputError(f"invalid {what} name {name!r}: use letters, digits and '_', starting with a letter", loc)
    if name in ("if", "then", "else"):
        raise InputError(f"{what} name {name!r} is a keyword of the program language", loc)


@dataclass(frozen=True)
class Component:
    """A shared part of a program (e.g. ``mesaoptimize``), paid once however often used.

    With ``per_objective`` it is paid once per distinct objective pursued through it: the
    non-factorable optimizer, whose search machinery is specialised to each goal.
    """

    name: str
    c: Expr
    per_objective: bool = False
    doc: str = ""
    loc: Location | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "c", _as_expr(self.c, f"component {self.name!r} c", self.loc))


@dataclass(frozen=True)
class Primitive:
    """A primitive of the DSL.

    ``t`` maps a phase (``train``/``deploy``) or an episode name to the time of one
    execution; ``behaviour`` (for kinds ``pursue``, ``play_along`` and ``select``) maps a
    phase or episode name to what the node evaluates to there: an objective id or
    ``argN`` (the value of argument N, 1-based).
    """

    name: str
    type: str
    kind: str
    c: Expr
    t: dict
    args: tuple = ()
    objective: str | None = None
    true_in: tuple = ()
    behaviour: dict = field(default_factory=dict)
    components: tuple = ()
    aliases: tuple = ()
    doc: str = ""
    family: str | None = None
    loc: Location | None = field(default=None, compare=False)

    def __post_init__(self):
        # from Python, costs may be numbers or expression strings and lists may be lists;
        # a single t is the time in both phases, as in the TOML format
        what = f"primitive {self.name!r}"
        object.__setattr__(self, "c", _as_expr(self.c, f"{what} c", self.loc))
        t = self.t if isinstance(self.t, dict) else {"train": self.t, "deploy": self.t}
        object.__setattr__(self, "t", {k: _as_expr(v, f"{what} t[{k}]", self.loc) for k, v in t.items()})
        for key in ("args", "true_in", "components", "aliases"):
            value = getattr(self, key)
            object.__setattr__(self, key, (value,) if isinstance(value, str) else tuple(value))
        if not self.behaviour and self.kind in _DEFAULT_BEHAVIOUR:
            object.__setattr__(self, "behaviour", dict(_DEFAULT_BEHAVIOUR[self.kind]))

    def time_in(self, episode: "Episode") -> Expr:
        """Time of one execution in ``episode`` (episode-specific entry beats the phase's)."""
        return self.t.get(episode.name, self.t.get(episode.phase))

    def value_in(self, episode: "Episode"):
        """Behaviour table entry for ``episode`` (kinds pursue/play_along/select)."""
        return self.behaviour.get(episode.name, self.behaviour.get(episode.phase))


@dataclass(frozen=True)
class Episode:
    """An episode: a phase, a weight in the time average, and whether training checks it.

    A training-compatible program pursues ``base`` in every *checked* training episode
    (``checked`` defaults to true for training and is always false for deployment).
    ``loss`` is what missing base in this episode costs in the training loss L (default
    1: L is then the weighted share of checked training episodes missed).
    """

    name: str
    phase: str
    weight: Expr = field(default_factory=lambda: Expr.constant(1.0))
    checked: bool = True
    loc: Location | None = field(default=None, compare=False)
    loss: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "weight", _as_expr(self.weight, f"episode {self.name!r} weight", self.loc))
        loss = self.loss
        if isinstance(loss, bool) or not isinstance(loss, (int, float)) or not math.isfinite(loss) or loss < 0:
            raise InputError(f"episode {self.name!r}: loss = {loss!r} must be a finite number >= 0", self.loc)
        object.__setattr__(self, "loss", float(loss))


@dataclass(frozen=True)
class Objective:
    """A declared objective (TOML ``[objectives.NAME]``): a proxy for ``base``.

    ``agrees_with_base`` lists the episodes (or phases) where pursuing it is
    indistinguishable from pursuing ``base`` — e.g. "what the camera shows", which agrees
    with the diamond in training.  Pursuing it there counts as compatible, with no
    training loss.

    Attributes
    ----------
    name : str
        The objective id (one the model's primitives evaluate to).
    agrees_with_base : tuple of str
        Episode or phase names; not all of the model's episodes (then it is base).
    doc : str
        Documentation text.
    loc : Location or None
        Where it was declared (for errors).
    """

    name: str
    agrees_with_base: tuple = ()
    doc: str = ""
    loc: Location | None = field(default=None, compare=False)

    def __post_init__(self):
        value = self.agrees_with_base
        object.__setattr__(self, "agrees_with_base", (value,) if isinstance(value, str) else tuple(value))

    def agrees_in(self, episode: "Episode") -> bool:
        """Whether it agrees with base in ``episode`` (by its name or its phase)."""
        return episode.name in self.agrees_with_base or episode.phase in self.agrees_with_base


def check_training_weights(episodes, weights, where=lambda j: "") -> None:
    """The one rule for episode weights: every training episode's weight is > 0.

    ``weights`` has one column per episode (rows: parameter points, e.g. a phase axis
    over a weight parameter); ``where(j)`` describes point j (" at W=0").  A weight of 0
    would silently drop the episode from the training-compatibility check and the time
    average, so it is rejected on every path (model files, rank, sweeps).

    Parameters
    ----------
    episodes : sequence of Episode
        The model's episodes (one column of ``weights`` each).
    weights : array, shape (n_points, n_episodes) or (n_episodes,)
        Episode weights at each parameter point.
    where : callable(int) -> str
        Describes point j for the message (default: nothing).
    """
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    for e, ep in enumerate(episodes):
        if ep.phase != "train":
            continue
        bad = ~(w[:, e] > 0)
        if bad.any():
            j = int(np.argmax(bad))
            raise InputError(f"training episode {ep.name!r} has weight {w[j, e]:g}{where(j)}; it must be > 0", ep.loc)


@dataclass(frozen=True)
class Family:
    """``count`` interchangeable primitives written once: members are ``NAME_1..NAME_count``
    and ``{i}`` in the objective (or any name) is replaced by the member's number.
    ``count`` may be an expression over parameters (e.g. ``K``), so it can be swept."""

    name: str
    count: Expr
    template: Primitive
    loc: Location | None = field(default=None, compare=False)

    def size(self, params, exact=None) -> int:
        """The member count at ``params``: an exact Python int (see :data:`MAX_FAMILY_COUNT`).

        ``exact`` maps parameter names to exact values (ints, Fractions) where known, so
        ``K = 1e30`` set on the command line is 10**30 and not the nearest float.
        """
        env = dict(params)
        env.update(exact or {})
        value = exact_value(self.count, env)
        if value is None:  # an irrational count expression: its float value
            number = float(self.count.evaluate(params))
            value = Fraction(number) if math.isfinite(number) else None
        shown = _show_count(value, self.count, params)
        if value is None or value < 0 or value.denominator != 1:
            raise InputError(f"family {self.name!r}: count {self.count} = {shown} is not a whole number >= 0", self.loc)
        if value > MAX_FAMILY_COUNT:
            raise InputError(f"family {self.name!r}: count {self.count} = {shown} is above the supported 2^1023", self.loc)
        return int(value)

    def member_digits(self, name: str) -> str | None:
        """The digits of ``name`` written as a member, ``NAME_<ASCII digits>``, else None
        (leading zeros kept: ``misaligned_01`` looks like a member but is none)."""
        head, sep, digits = name.rpartition("_")
        return digits if sep and head == self.name and _ASCII_DIGITS.fullmatch(digits) else None

    def member_number(self, name: str) -> int | None:
        """i of the member called ``name`` = ``NAME_i`` (i >= 1, no leading zero), else
        None; whether i is within the count is the caller's question.  The one reading
        of member names (lookup, hints, listing, templates on a count axis)."""
        digits = self.member_digits(name)
        return int(digits) if digits is not None and digits[0] != "0" else None

    def objective_number(self, objective: str) -> int | None:
        """i of the member whose objective id is ``objective`` (the template's objective
        with ``{i}`` replaced), else None; None too when members share one objective."""
        template = self.template.objective
        if not isinstance(template, str) or "{i}" not in template or not isinstance(objective, str):
            return None
        head, _, tail = template.partition("{i}")
        if "{i}" in tail or not (objective.startswith(head) and objective.endswith(tail)):
            return None
        digits = objective[len(head):len(objective) - len(tail)]
        return int(digits) if _ASCII_DIGITS.fullmatch(digits) and digits[0] != "0" else None

    def member(self, i: int) -> Primitive:
        """Member ``i`` (1-based): the template with ``{i}`` replaced by ``i``."""
        sub = lambda s: s.replace("{i}", str(i)) if isinstance(s, str) else s
        return replace(
            self.template,
            name=f"{self.name}_{i}",
            objective=sub(self.template.objective),
            aliases=tuple(sub(a) for a in self.template.aliases if "{i}" in a),
            behaviour={k: sub(v) for k, v in self.template.behaviour.items()},
            family=self.name,
        )

    def expand(self, params, exact=None, limit=None) -> list[Primitive]:
        """Members ``1..count`` (at most ``limit`` of them) as plain primitives."""
        n = self.size(params, exact)
        if limit is not None:
            n = min(n, limit)
        return [self.member(i) for i in range(1, n + 1)]


#: largest family count: multiplicities are exact Python ints and log2 masses stay
#: finite floats (falling factorials of K are summed as log2(K - i))
MAX_FAMILY_COUNT = 2 ** 1023
#: members a model lists as plain primitives (``model.primitives``); programs may name
#: any member 1..K (``CostModel.lookup`` finds the others by name, and
#: ``CostModel.with_members`` lists the ones a program names); the enumeration counts
#: all members whatever the count
EXPLICIT_MEMBERS = 1000


def _show_count(value, count, params) -> str:
    if value is None:
        return f"{float(count.evaluate(params)):g}"
    if value.denominator == 1:
        n = int(value)
        return str(n) if abs(n) < 10 ** 15 else f"{float(n):.6g}" if abs(n) < 2 ** 1024 else _big(n)
    return f"{float(value):g}"


def _big(value) -> str:
    """A number for a message: long integers abbreviated (2^1024 has 309 digits)."""
    text = str(value)
    if len(text) <= 24:
        return text
    return f"{float(Fraction(value)):.6g}" if abs(value) < 2 ** 1024 else f"{text[:8]}... ({len(text)} digits)"


_DEFAULT_BEHAVIOUR = {"pursue": {"train": "arg", "deploy": "arg"},
                      "play_along": {"train": BASE, "deploy": "arg"}}


def _as_expr(value, what, loc=None) -> Expr:
    """A cost given as an Expr, a number or an expression string."""
    if isinstance(value, Expr):
        return value
    try:
        return parse_expr(value, loc)
    except InputError as exc:
        raise InputError(f"{what}: {exc.message}", exc.location or loc) from None


def _is_arg(value) -> bool:
    return isinstance(value, str) and value.startswith("arg") and (value[3:] == "" or value[3:].isdigit())


def _number(value, what) -> float:
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}: expected a number, got {value!r}") from None
    except OverflowError:  # an int beyond the float range
        raise InputError(f"{what}: {_big(value)} is too large (floats end near 1.8e308)") from None
    if not math.isfinite(number):
        raise InputError(f"{what}: {value!r} is not a finite number")
    return number


def arg_index(value: str) -> int:
    """0-based argument index of a behaviour entry ``arg``/``argN``.

    Parameters
    ----------
    value : str
        ``"arg"`` (the first argument) or ``"argN"`` (the N-th, counting from 1).

    Returns
    -------
    int
    """
    return int(value[3:] or 1) - 1


def expand_primitives(primitives, families, members) -> dict:
    """Explicit primitives plus every family's members, each name defined once.

    A primitive named like a family member (``m_1`` next to ``[families.m]``) is an
    error whatever the count: with a swept count it would silently replace, or be
    replaced by, a member at some values and not at others.

    Parameters
    ----------
    primitives : iterable of Primitive
        The explicit primitives.
    families : iterable of Family
        The families.
    members : mapping
        Family name -> the members to list (see ``CostModel.family_sizes``).

    Returns
    -------
    dict
        Name -> Primitive.
    """
    primitives, out = list(primitives), {}
    for p in primitives:
        if p.name in out:
            raise InputError(f"duplicate primitive name {p.name!r}", p.loc)
        out[p.name] = p
    for fam in families:
        for p in primitives:
            number = fam.member_digits(p.name)
            if number is not None and int(number) >= 1:
                raise InputError(f"primitive {p.name!r} has the name of member {number} of family {fam.name!r} "
                                 f"(members are {fam.name}_1..{fam.name}_count); rename one of them", p.loc)
        for member in members[fam.name]:
            if member.name in out:
                other = out[member.name]
                raise InputError(f"family {fam.name!r}: member {member.name!r} is also defined by "
                                 f"{'family ' + repr(other.family) if other.family else 'a primitive'}", fam.loc)
            out[member.name] = member
    return out
