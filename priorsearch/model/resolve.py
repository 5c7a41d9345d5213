"""Resolvers: a CostModel or checked program definitions from what a user passes.

Every entry point (API functions, commands, figure configs, experiments) turns its
``model`` and ``programs`` arguments into objects here, so a path, an instance or None
means the same everywhere.
"""
from __future__ import annotations

__all__ = ["resolve_model", "resolve_programs", "with_settings", "resolve_packaged_model"]

from dataclasses import replace
from importlib import resources

from ..errors import InputError, suggest
from ..exchange import EXCHANGES
from ..exchange.base import LOSS_PRICE
from ..lang.dsl import Definition
from ..lang.templates import default_programs, load_programs
from ..lang.typecheck import check
from .cost_model import CostModel
from .toml_format import loads_model


def resolve_model(model=None, params=None) -> CostModel:
    """A CostModel from an instance, a path or None (the post's model), with overrides.

    Parameters
    ----------
    model : CostModel, str, path-like or None
        An instance, a ``.toml`` path, or None for :meth:`CostModel.default`.
    params : dict or None
        Cost parameter overrides (name -> value), applied with :meth:`CostModel.with_params`.

    Returns
    -------
    CostModel
    """
    if model is None:
        model = CostModel.default()
    elif not isinstance(model, CostModel):
        model = CostModel.load(model)
    if params:
        model = model.with_params(**params)
    return model


def resolve_programs(programs, model: CostModel) -> list[Definition]:
    """Checked definitions from None (the post's three), Definitions, or paths.

    Parameters
    ----------
    programs : None, Definition, str, path-like or iterable of these
        None is the post's Hfh, Hsd and Hfd; paths are ``.prog`` files or directories.
    model : CostModel
        Each program is type-checked against it as a ``Policy``.

    Returns
    -------
    list of Definition
        Definitions with aliases resolved; no programs at all is an :class:`InputError`.
    """
    if programs is None:
        definitions = default_programs()
    else:
        if isinstance(programs, (str, bytes)) or not hasattr(programs, "__iter__"):
            programs = [programs]
        definitions = []
        for item in programs:
            if isinstance(item, Definition):
                definitions.append(item)
            else:
                definitions.extend(load_programs(item))
    if not definitions:
        raise InputError("no programs to rank")
    return [replace(d, program=check(d.program, model, "Policy")) for d in definitions]


def with_settings(model: CostModel, settings: dict, exchange=None, what: str | None = "--set") -> CostModel:
    """``model`` with ``NAME=VALUE`` settings applied and its exchange set.

    A name that is a parameter of any registered exchange family (g, lambda, alpha, k,
    ...) sets the exchange; every other name a cost parameter.

    Parameters
    ----------
    model : CostModel
        The model to start from.
    settings : dict
        Name -> value, e.g. from ``--set NAME=VALUE``.
    exchange : str or None
        A family name that replaces the model's exchange (None: keep it).
    what : str or None
        Prefix of the error for an exchange parameter the chosen family lacks (None: the
        model's own message).

    Returns
    -------
    CostModel
    """
    xnames = {p.name for cls in EXCHANGES.values() for p in cls.parameters} | {LOSS_PRICE}
    costs = {k: v for k, v in settings.items() if k not in xnames}
    xsets = {k: v for k, v in settings.items() if k in xnames}
    if costs:
        model = model.with_params(**costs)
    name = exchange or model.exchange
    if what is not None and name in EXCHANGES:
        have = [p.name for p in EXCHANGES[name].parameters]
        for key in xsets:
            if key not in have and key != LOSS_PRICE:
                raise InputError(f"{what} {key}: exchange {name!r} has no parameter {key!r} (it has {', '.join(have)})")
    return model.with_exchange(name, **xsets)


def resolve_packaged_model(value: str) -> CostModel:
    """A model by packaged name (``post``, ``goal_table``, ...; see programs/) or by path.

    A value with a ``/`` or ending in ``.toml`` is a path; otherwise it names a model
    shipped in priorsearch/data (and linked from programs/), so ``priorsearch figures``
    works from any directory and from an installed package.

    Parameters
    ----------
    value : str
        A packaged model name or a path.

    Returns
    -------
    CostModel
    """
    if "/" in value or value.endswith(".toml"):
        return CostModel.load(value)
    res = resources.files("priorsearch").joinpath(f"data/{value}.toml")
    if not res.is_file():
        shipped = sorted(p.name[:-5] for p in resources.files("priorsearch").joinpath("data").iterdir()
                         if p.name.endswith(".toml"))
        raise InputError(f"no packaged model {value!r}{suggest(value, shipped)}; give a path to a .toml file or one of {', '.join(shipped)}")
    return loads_model(res.read_text(encoding="utf-8"), path=f"programs/{value}.toml")
