"""Exchange families by name: the registry every command, model file and sweep asks.

Adding a family is one small module with an :class:`~priorsearch.exchange.Exchange`
subclass plus ``register(TheClass)``; ``--exchange``, TOML ``[exchange] name``, phase
axes and ``boundary`` then know it.
"""
from __future__ import annotations

__all__ = ["EXCHANGES", "register", "make_exchange", "exchange_defaults", "parameter_owners"]

from ..errors import InputError, suggest
from .base import LOSS_PRICE, Exchange
from .cap import Cap
from .custom import Custom
from .levin import Levin
from .linear import Linear
from .power import Power

#: name -> Exchange subclass
EXCHANGES: dict = {}


def register(cls):
    """Make an Exchange subclass known by its ``name``; returns the class (a decorator)."""
    if not (isinstance(cls, type) and issubclass(cls, Exchange)) or not isinstance(cls.name, str):
        raise TypeError("register takes an Exchange subclass with a name")
    EXCHANGES[cls.name] = cls
    return cls


for _cls in (Linear, Levin, Power, Cap):
    register(_cls)


def exchange_defaults(name) -> dict:
    """Parameter defaults of the family ``name`` ({} for an unknown name).

    Parameters
    ----------
    name : str
        A registry name (a key of ``EXCHANGES``).

    Returns
    -------
    dict
        Parameter name -> default value.
    """
    cls = EXCHANGES.get(name)
    return {p.name: p.default for p in cls.parameters} if cls else {}


def parameter_owners(parameter) -> list:
    """Names of the families that have a parameter called ``parameter``.

    Every family has ``loss_price`` (the training-loss price of
    :mod:`priorsearch.exchange.base`).

    Parameters
    ----------
    parameter : str
        A parameter name, e.g. ``"g"``.

    Returns
    -------
    list of str
        Registry names, in registration order.
    """
    return [name for name, cls in EXCHANGES.items()
            if parameter == LOSS_PRICE or parameter in (p.name for p in cls.parameters)]


def make_exchange(spec=None, model=None, **params) -> Exchange:
    """An :class:`Exchange` from a name (with parameters), an instance, or a callable.

    Parameters
    ----------
    spec : str, Exchange, callable or None
        A registry name; an instance (returned as is); a callable ``f(c, t)`` (wrapped as
        :class:`Custom`); or None for the model's exchange (``"linear"`` without a model).
    model : CostModel or None
        When its exchange is ``spec``, its exchange parameters are the starting values.
    **params : float or None
        Parameter values overriding the model's; None values are ignored.

    Returns
    -------
    Exchange
    """
    if isinstance(spec, Exchange):
        return spec
    if callable(spec):
        return Custom(spec)
    if spec is None:
        spec = model.exchange if model is not None else "linear"
    if spec not in EXCHANGES:
        raise InputError(f"unknown exchange {spec!r}{suggest(spec, EXCHANGES)}; choose from {', '.join(EXCHANGES)}")
    merged = {}
    if model is not None and model.exchange == spec:
        merged.update(model.exchange_params)
    elif model is not None and LOSS_PRICE in model.exchange_params:  # the loss price belongs to no family
        merged[LOSS_PRICE] = model.exchange_params[LOSS_PRICE]
    merged.update({k: v for k, v in params.items() if v is not None})
    return EXCHANGES[spec](**merged)
