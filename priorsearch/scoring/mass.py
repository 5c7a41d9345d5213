"""Prior mass of behaviour classes: log2 of sum of multiplicity * 2**(-bits), stably.

``bits`` is what an exchange turns a program's totals into (:meth:`Exchange.bits`, e.g.
c + t/g for the linear exchange), so a program's prior weight is 2**(-bits) and a class
of ``m`` identical programs weighs m * 2**(-bits).  Sums run over training-compatible
rows only ("equal performance first, then priors") and are computed as a log-sum-exp in
base 2, so weights like 2**-5000 neither underflow nor lose the ratio between classes.

Rows with infinite bits (excluded, e.g. over a compute cap) weigh nothing; a class with
no weight has log2 mass -inf.  At a finite loss price every row competes and its bits
include the loss term, ``loss_price * L`` converted to bits as the exchange converts its
score (:mod:`priorsearch.exchange.base`): a program that misses a share L of training
weighs 2**(-loss_price*L/g) times less than a compatible one with its c and t under the
linear exchange.  With node_bits = 0 the sums grow with the size limit, so
a mass is always "over programs up to N nodes".

The sum itself is :func:`priorsearch.scoring.logsum.log2_sum_exp2`, shared with the phase sweep.
"""
from __future__ import annotations

__all__ = ["log2_sum", "class_log2_mass", "deploy_log2_mass", "Masses", "log2_masses"]

from dataclasses import dataclass

import numpy as np

from ..errors import natural_key
from .logsum import log2_sum_exp2_columns, log2_sum_exp2_groups
from ..features.semantics import ALIGNED, CLASS_NAMES, DECEPTIVE, INCOMPATIBLE, PROXY


def log2_sum(multiplicity, bits, mask=None, log2_multiplicity=None):
    """log2(sum over rows of multiplicity * 2**(-bits)), per column of ``bits``.

    Parameters
    ----------
    multiplicity : (n,) integer array
    bits : (n,) or (n, K) float array
    mask : (n,) bool array, optional
        Rows to include (default all).
    log2_multiplicity : (n,) float array, optional
        log2 of ``multiplicity`` when it is known more precisely (exact ints beyond the
        float range, e.g. a family of K = 2^1000); ``multiplicity`` may then be None.

    Returns
    -------
    float, or (K,) array when ``bits`` is 2-D; -inf where nothing has weight.
    """
    bits = np.asarray(bits, dtype=float)
    one_d = bits.ndim == 1
    b = bits.reshape(len(bits), int(np.prod(bits.shape[1:])))  # also with no rows (an empty space)
    if np.isnan(b).any():
        raise ValueError("bits contain NaN; an exchange must give every row a number or +inf")
    if log2_multiplicity is None:
        # log2 of the multiplicity: exact enough for int64 counts (53-bit mantissa, then log)
        with np.errstate(divide="ignore"):
            log2_multiplicity = np.log2(np.asarray(multiplicity, dtype=float))
    lm = np.asarray(log2_multiplicity, dtype=float)
    keep = lm > -np.inf if mask is None else (np.asarray(mask, dtype=bool) & (lm > -np.inf))
    logm = np.where(keep, lm, 0.0)[:, None]
    if b.shape[1] == 1:
        logm -= b   # in place: the same differences, no second array of the rows
    else:
        logm = logm - b
    out = np.empty(b.shape[1])
    log2_sum_exp2_columns(np.ascontiguousarray(logm), np.ascontiguousarray(keep), out)
    return float(out[0]) if one_d else out


def _classes(table, competing):
    """(class code per row, competing mask, name of the total): the default is the
    compatible rows, classed by ``cls``; with ``competing`` those rows by behaviour."""
    if competing is None:
        cls = np.asarray(table.cls)
        return cls, cls != INCOMPATIBLE, "compatible"
    competing = np.asarray(competing, dtype=bool)
    return np.asarray(table.classes_at(competing)), competing, "competing"


def class_log2_mass(table, bits, competing=None) -> dict:
    """Class name -> log2 mass (float or (K,) array).

    Parameters
    ----------
    table : FeatureTable
        The classes; their ``cls`` (or ``behaviour``) and ``multiplicity`` are used.
    bits : (n,) or (n, K) float array
        -log2 prior weight of each row (:meth:`Exchange.bits`), per point for 2-D.
    competing : (n,) bool array, optional
        The rows that compete when a finite loss price lets programs with a training
        loss in; they are classed by behaviour (default: the compatible rows, by ``cls``).

    Returns
    -------
    dict
        ``aligned``, ``deceptive``, ``proxy`` (when any competing row is one), and the
        total: ``compatible`` (or ``competing`` with ``competing`` given).
    """
    cls, keep, total = _classes(table, competing)
    codes = (ALIGNED, DECEPTIVE, PROXY) if (cls[keep] == PROXY).any() else (ALIGNED, DECEPTIVE)
    out = {CLASS_NAMES[code]: log2_sum(None, bits, cls == code, table.log2_multiplicity) for code in codes}
    out[total] = log2_sum(None, bits, keep, table.log2_multiplicity)
    return out


def deploy_log2_mass(table, bits, competing=None) -> dict:
    """Deployment objective(s) -> log2 mass of the competing rows pursuing them.

    The key is the row's ``deploy`` string: ``base`` for aligned rows, e.g. ``simplest``
    or ``base,simplest`` (pursues different objectives in different deployment
    episodes) for the others.  Keys are sorted.

    Parameters
    ----------
    table : FeatureTable
        The classes; their ``cls``, ``deploy`` (or ``deploy_groups``) and
        ``log2_multiplicity`` are used.
    bits : (n,) or (n, K) float array
        -log2 prior weight of each row (:meth:`Exchange.bits`).
    competing : (n,) bool array, optional
        The rows that compete (default: the compatible ones).

    Returns
    -------
    dict
    """
    _, keep, _ = _classes(table, competing)
    # a family's members are one key NAME_* (all K together); natural order
    groups = getattr(table, "deploy_groups", None)
    out = {}
    if groups is not None and hasattr(groups, "codes"):
        # int codes, one distinct name each: no string per row
        codes = np.ascontiguousarray(groups.codes)   # int32 (or int64): not widened
        if codes.dtype.kind not in "iu":
            codes = codes.astype(np.int64)
        present = np.flatnonzero(np.bincount(codes[keep], minlength=len(groups.names)))
        order = sorted(present.tolist(), key=lambda k: natural_key(groups.names[k]))
        b = np.asarray(bits, dtype=float)
        if b.ndim == 1:   # one pass over the rows for every group (log2_sum per group)
            if np.isnan(b).any():
                raise ValueError("bits contain NaN; an exchange must give every row a number or +inf")
            lm = np.asarray(table.log2_multiplicity, dtype=float)
            rows = keep & (lm > -np.inf)
            per = np.empty(len(groups.names))
            values = np.where(rows, lm, 0.0)
            values -= b   # in place: the same differences
            log2_sum_exp2_groups(values, np.ascontiguousarray(rows), codes, len(groups.names), per)
            return {groups.names[k]: float(per[k]) for k in order}
        for k in order:
            out[groups.names[k]] = log2_sum(None, bits, keep & (codes == k), table.log2_multiplicity)
        return out
    deploy = np.asarray(list(groups if groups is not None else table.deploy), dtype=object)
    for key in sorted(set(deploy[keep].tolist()), key=natural_key):
        out[key] = log2_sum(None, bits, keep & (deploy == key), table.log2_multiplicity)
    return out


@dataclass(frozen=True)
class Masses:
    """log2 prior masses of one table under one bits array."""

    classes: dict   # aligned / deceptive (/ proxy) / compatible (or competing)
    deploy: dict    # deployment objective(s) -> mass

    @property
    def heaviest(self) -> str | None:
        """The behaviour class that weighs most (None if none weighs; ties: the first of
        aligned, deceptive, proxy)."""
        named = [(k, v) for k, v in self.classes.items() if k in CLASS_NAMES]
        if any(np.ndim(v) for _, v in named):
            raise ValueError("heaviest is defined for one parameter point")
        best = max(named, key=lambda kv: kv[1])  # max keeps the first of equal values
        return None if best[1] == -np.inf else best[0]

    @property
    def total(self) -> str:
        """Name of the total among :attr:`classes`: ``compatible`` (the default price), or
        ``competing`` at a finite loss price, where programs with a training loss count too."""
        return "competing" if "competing" in self.classes else "compatible"

    def to_json(self) -> dict:
        conv = lambda v: None if not np.isfinite(v) else float(v)
        return {"classes": {k: conv(v) for k, v in self.classes.items()},
                "deploy": {k: conv(v) for k, v in self.deploy.items()}}


def log2_masses(table, bits, competing=None) -> Masses:
    """Class and deployment-objective masses of ``table`` (see module docstring).

    Parameters
    ----------
    table : FeatureTable
        The classes.
    bits : (n,) or (n, K) float array
        -log2 prior weight of each row (:meth:`Exchange.bits`), loss term included.
    competing : (n,) bool array, optional
        The rows that compete when a finite loss price lets programs with a training
        loss in (default: the compatible ones).

    Returns
    -------
    Masses
        :func:`class_log2_mass` and :func:`deploy_log2_mass` of the same rows.
    """
    return Masses(class_log2_mass(table, bits, competing), deploy_log2_mass(table, bits, competing))
