"""Custom exchanges: any function of the (c, t) arrays, from the Python API."""
from __future__ import annotations

__all__ = ["Custom", "custom"]

import numpy as np

from ..errors import InputError
from .base import Exchange


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
        self._score, self._bits = score, bits
        self.score_text = f"{name}(c, t)"

    def score(self, c, t, params=None):
        c, t = np.asarray(c, dtype=float), np.asarray(t, dtype=float)
        out = np.asarray(self._score(c, t), dtype=float)
        shape = np.broadcast(c, t).shape
        try:
            return np.broadcast_to(out, shape)
        except ValueError:
            raise InputError(f"custom exchange {self.name!r} returned shape {out.shape}, expected {shape}") from None

    def bits(self, c, t, params=None):
        if self._bits is None:
            return self.score(c, t)
        return np.asarray(self._bits(np.asarray(c, dtype=float), np.asarray(t, dtype=float)), dtype=float)


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
