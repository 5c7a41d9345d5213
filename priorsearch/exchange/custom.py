"""Custom exchanges: any function of the (c, t) arrays, from the Python API."""
from __future__ import annotations

__all__ = ["Custom", "custom"]

import math

import numpy as np

from ..errors import InputError
from .base import Exchange, loss_term


class Custom(Exchange):
    """A user function ``score(c, t)`` (and optionally ``bits(c, t)``) on arrays.

    Nothing is assumed about it (not even monotonicity), so sweeps score every program
    and it has no symbolic form; the tie rule is the same as for every exchange.

    Parameters
    ----------
    score : callable
        ``score(c, t)`` on float arrays, returning scores that broadcast to their shape
        (lower wins).
    bits : callable or None
        ``bits(c, t)``: -log2 prior weight for masses; None uses ``score``.
    name : str
        The name shown in outputs and error messages.
    """

    monotone = False

    def __init__(self, score, bits=None, name="custom"):
        if not callable(score):
            raise InputError("a custom exchange needs a callable score(c, t)")
        self.name = name
        self.params = {}
        self.loss_price = math.inf
        self._score, self._bits = score, bits
        self.score_text = f"{name}(c, t)"

    def score(self, c, t, params=None, loss=None):
        c, t = np.asarray(c, dtype=float), np.asarray(t, dtype=float)
        out = np.asarray(self._score(c, t), dtype=float)
        shape = np.broadcast(c, t).shape
        try:
            out = np.broadcast_to(out, shape)
        except ValueError:
            raise InputError(f"custom exchange {self.name!r} returned shape {out.shape}, expected {shape}") from None
        return out if loss is None else self._with_loss(out, params, loss)

    def bits(self, c, t, params=None, loss=None):
        if self._bits is None:
            return self.score(c, t, params, loss)
        out = np.asarray(self._bits(np.asarray(c, dtype=float), np.asarray(t, dtype=float)), dtype=float)
        return out if loss is None else self._with_loss(out, params, loss)

    def _with_loss(self, out, params, loss):
        # bits and score share units here (no score_per_bit), as for levin
        term = loss_term((params or {}).get("loss_price", self.loss_price), loss)
        with np.errstate(invalid="ignore", over="ignore"):
            return np.where(np.isposinf(term), np.inf, out + term)


def custom(score, bits=None, name="custom") -> Custom:
    """Wrap a function of the (c, t) arrays as an exchange.

    Parameters
    ----------
    score : callable
        ``score(c, t)`` on float arrays (lower wins).
    bits : callable or None
        ``bits(c, t)`` for prior masses; None uses ``score``.
    name : str
        The name shown in outputs and error messages.

    Returns
    -------
    Custom
    """
    return Custom(score, bits, name)
