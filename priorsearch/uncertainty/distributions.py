"""Distributions over parameters: scipy.stats marginals, truncation at 0, a Gaussian copula.

Every draw is made by the inverse CDF (``ppf``) of a scipy.stats distribution applied to
a point of the unit cube, so the same marginals serve random, Sobol, Latin-hypercube and
Saltelli designs alike.

Truncation: every parameter priorsearch prices programs with is a cost or an exchange
rate, and both must be >= 0.  A distribution with mass below 0 (``normal``, ``uniform``
with lo < 0, ...) is truncated at 0: it is conditioned on x >= 0, F_trunc^-1(u) =
F^-1(F(0) + u (1 - F(0))).  ``choice`` and ``fixed`` values must be >= 0 themselves.

Rank correlations: ``correlate(u, names, pairs)`` moves the unit-cube points through a
Gaussian copula whose Pearson matrix is 2 sin(pi rho_s / 6) for each Spearman rank
correlation rho_s, so the marginals are unchanged and the ranks correlate as asked.
"""
from __future__ import annotations

__all__ = ["Marginal", "marginal", "correlate", "correlation_matrix"]

import math

import numpy as np

from ..errors import InputError
from .specs import DistSpec


class Marginal:
    """One parameter's distribution: ``ppf(u)`` maps (0, 1) to values (truncated at 0).

    Parameters
    ----------
    name : str
        The parameter (for errors).
    spec : DistSpec
    """

    def __init__(self, name: str, spec: DistSpec):
        self.name = name
        self.spec = spec
        self.family = spec.family
        a = spec.args
        if self.family in ("choice", "fixed"):
            self.values = np.asarray(a, dtype=float)
            if (self.values < 0).any():
                raise InputError(f"{name} = {spec}: values must be >= 0 ({name} is a cost or an exchange rate)")
            self._frozen = None
            self._low = 0.0
            return
        self.values = None
        self._frozen = _frozen(self.family, a)
        with np.errstate(all="ignore"):
            low, above = float(self._frozen.cdf(0.0)), float(self._frozen.sf(0.0))
            ends = self._frozen.ppf([0.0, 1.0])
        if not above > 1e-300:
            raise InputError(f"{name} = {spec}: all of its mass is below 0, and {name} must be >= 0")
        if self.family in ("uniform", "loguniform", "triangular", "beta") and not np.isfinite(ends).all():
            raise InputError(f"{name} = {spec}: its range overflows the float range; use smaller numbers")
        self._low = low  # mass below 0, cut off by the truncation
        self._above = above  # mass at or above 0: the truncated distribution's total

    @property
    def uncertain(self) -> bool:
        return not (self.values is not None and len(np.unique(self.values)) == 1)

    @property
    def truncated(self) -> bool:
        return self._low > 0.0

    @property
    def log_scale(self) -> bool:
        """Whether bins over this parameter are better spaced logarithmically."""
        return self.family in ("loguniform", "lognormal")

    def ppf(self, u):
        u = np.asarray(u, dtype=float)
        if self.values is not None:
            k = np.minimum((u * len(self.values)).astype(np.int64), len(self.values) - 1)
            return self.values[k]
        with np.errstate(all="ignore"):
            if self._low > 0:
                # conditioned on x >= 0: F^-1(F(0) + u (1 - F(0))), written with the
                # survival function so a distribution mostly below 0 (normal(-5, 1):
                # 1 - F(0) = 3e-7) keeps all its digits instead of cancelling in 1 - ...
                x = self._frozen.isf((1.0 - u) * self._above)
            else:
                x = self._frozen.ppf(u)
        if not np.isfinite(x).all():
            bad = float(np.asarray(u).ravel()[np.flatnonzero(~np.isfinite(np.asarray(x).ravel()))[0]])
            raise InputError(f"{self.name} = {self.spec}: a draw (quantile {bad:.6g}) overflows the float range; "
                             f"use smaller numbers")
        return np.maximum(x, 0.0)


def _frozen(family, a):
    from scipy import stats

    if family == "uniform":
        return stats.uniform(loc=a[0], scale=a[1] - a[0])
    if family == "loguniform":
        return stats.loguniform(a[0], a[1])
    if family == "normal":
        return stats.norm(loc=a[0], scale=a[1])
    if family == "lognormal":
        return stats.lognorm(s=a[1], scale=a[0])
    if family == "triangular":
        return stats.triang(c=(a[1] - a[0]) / (a[2] - a[0]), loc=a[0], scale=a[2] - a[0])
    if family == "beta":
        return stats.beta(a[0], a[1], loc=a[2], scale=a[3] - a[2])
    raise AssertionError(family)


def marginal(name: str, spec: DistSpec) -> Marginal:
    """The :class:`Marginal` of parameter ``name`` under ``spec``.

    Parameters
    ----------
    name : str
    spec : DistSpec

    Returns
    -------
    Marginal
    """
    return Marginal(name, spec)


def correlation_matrix(names, pairs, constant=(), locations=None) -> np.ndarray:
    """The copula's Pearson matrix from Spearman rank correlations.

    Parameters
    ----------
    names : list of str
        The drawn parameters, in column order.
    pairs : dict
        ``{(a, b): rho}``, -1 < rho < 1; each unordered pair at most once.
    constant : collection of str
        Drawn parameters that take one value (``fixed(v)``, ``choice(v, v)``): a rank
        correlation with one of them means nothing, so it is an error.
    locations : dict or None
        ``{(a, b): Location}``: where a pair was written (a model file), for errors.

    Returns
    -------
    numpy.ndarray
        (d, d), positive definite (else an InputError).
    """
    index = {n: i for i, n in enumerate(names)}
    R = np.eye(len(names))
    seen = set()
    for (a, b), rho in sorted(pairs.items()):
        where = (locations or {}).get((a, b))
        for n in (a, b):
            if n not in index:
                raise InputError(f"correlation {a},{b}: {n} has no distribution (give it one with --dist)", where)
        if a == b:
            raise InputError(f"correlation {a},{b}: a parameter cannot be correlated with itself", where)
        if frozenset((a, b)) in seen:
            raise InputError(f"correlation {a},{b}: given twice (as {a},{b} and {b},{a}); give it once", where)
        seen.add(frozenset((a, b)))
        for n in (a, b):
            if n in constant:
                raise InputError(f"correlation {a},{b}: {n} takes a single value, so it cannot be correlated", where)
        if not -1.0 < rho < 1.0:
            raise InputError(f"correlation {a},{b} = {rho:g}: a rank correlation must lie strictly between -1 and 1",
                             where)
        r = 2.0 * math.sin(math.pi * rho / 6.0)
        R[index[a], index[b]] = R[index[b], index[a]] = r
    if len(names) and np.linalg.eigvalsh(R).min() <= 1e-10:
        raise InputError("the rank correlations are inconsistent (their matrix is not positive definite)")
    return R


def correlate(u: np.ndarray, names, pairs) -> np.ndarray:
    """Unit-cube points (n, d) with the columns' ranks correlated as ``pairs`` asks.

    Parameters
    ----------
    u : numpy.ndarray
        (n, d) points in (0, 1).
    names : list of str
        The parameter of each column.
    pairs : dict
        ``{(a, b): spearman_rho}``; empty: ``u`` unchanged.

    Returns
    -------
    numpy.ndarray
    """
    if not pairs:
        return u
    from scipy.special import ndtr, ndtri

    L = np.linalg.cholesky(correlation_matrix(names, pairs))
    z = ndtri(u) @ L.T
    return np.clip(ndtr(z), 1e-16, 1.0 - 1e-16)
