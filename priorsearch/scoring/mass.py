"""Prior mass of behaviour classes: log2 of sum of multiplicity * 2**(-bits), stably.

``bits`` is what an exchange turns a program's totals into (:meth:`Exchange.bits`, e.g.
c + t/g for the linear exchange), so a program's prior weight is 2**(-bits) and a class
of ``m`` identical programs weighs m * 2**(-bits).  Sums run over training-compatible
rows only ("equal performance first, then priors") and are computed as a log-sum-exp in
base 2, so weights like 2**-5000 neither underflow nor lose the ratio between classes.

Rows with infinite bits (excluded, e.g. over a compute cap) weigh nothing; a class with
no weight has log2 mass -inf.  With node_bits = 0 the sums grow with the size limit, so
a mass is always "over programs up to N nodes".

The sum itself is :func:`priorsearch.scoring.logsum.log2_sum_exp2`, shared with the phase sweep.
"""
from __future__ import annotations

__all__ = ["log2_sum", "class_log2_mass", "deploy_log2_mass", "Masses", "log2_masses"]

from dataclasses import dataclass

import numpy as np

from ..outputs import natural_key
from .logsum import log2_sum_exp2_columns
from ..features.semantics import ALIGNED, CLASS_NAMES, DECEPTIVE, INCOMPATIBLE


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
    b = bits.reshape(len(bits), -1)
    if np.isnan(b).any():
        raise ValueError("bits contain NaN; an exchange must give every row a number or +inf")
    if log2_multiplicity is None:
        # log2 of the multiplicity: exact enough for int64 counts (53-bit mantissa, then log)
        with np.errstate(divide="ignore"):
            log2_multiplicity = np.log2(np.asarray(multiplicity, dtype=float))
    lm = np.asarray(log2_multiplicity, dtype=float)
    keep = lm > -np.inf if mask is None else (np.asarray(mask, dtype=bool) & (lm > -np.inf))
    logm = np.where(keep, lm, 0.0)[:, None]
    out = np.empty(b.shape[1])
    log2_sum_exp2_columns(np.ascontiguousarray(logm - b), np.ascontiguousarray(keep), out)
    return float(out[0]) if one_d else out


def grouped_log2_sum(log2_multiplicity, bits, group, n_groups):
    """log2 of sum of multiplicity * 2**(-bits) per group, in one pass over the rows.

    ``group`` (n,) int gives each row's group (-1: left out); ``bits`` is (n,).  A
    log-sum-exp per group with bincount, no Python loop over groups.
    """
    lm = np.asarray(log2_multiplicity, dtype=float)
    b = np.asarray(bits, dtype=float).reshape(-1)
    if np.isnan(b).any():
        raise ValueError("bits contain NaN; an exchange must give every row a number or +inf")
    group = np.asarray(group, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        x = lm - b
    keep = (group >= 0) & (x > -np.inf) & ~np.isnan(x)
    g, x = group[keep], x[keep]
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, g, x)
    out = top.copy()
    finite = np.isfinite(top)
    if len(g):
        fin_rows = finite[g]
        sums = np.bincount(g[fin_rows], weights=np.exp2(x[fin_rows] - top[g[fin_rows]]), minlength=n_groups)
        out[finite] = top[finite] + np.log2(sums[finite])
    return out


def class_log2_mass(table, bits) -> dict:
    """``{"aligned", "deceptive", "compatible"}`` -> log2 mass (float or (K,) array).

    Parameters
    ----------
    table : FeatureTable
        The classes; their ``cls`` and ``multiplicity`` are used.
    bits : (n,) or (n, K) float array
        -log2 prior weight of each row (:meth:`Exchange.bits`), per point for 2-D.

    Returns
    -------
    dict
        ``"compatible"`` is aligned plus deceptive.
    """
    cls = np.asarray(table.cls)
    lm = table.log2_multiplicity
    if np.ndim(bits) == 1:
        a, d = grouped_log2_sum(lm, bits, np.where(cls == INCOMPATIBLE, -1, cls), 2)
        return {CLASS_NAMES[ALIGNED]: float(a), CLASS_NAMES[DECEPTIVE]: float(d),
                "compatible": float(np.logaddexp2(a, d))}
    return {
        CLASS_NAMES[ALIGNED]: log2_sum(None, bits, cls == ALIGNED, lm),
        CLASS_NAMES[DECEPTIVE]: log2_sum(None, bits, cls == DECEPTIVE, lm),
        "compatible": log2_sum(None, bits, cls != INCOMPATIBLE, lm),
    }


def deploy_log2_mass(table, bits) -> dict:
    """Deployment objective(s) -> log2 mass of the compatible rows pursuing them.

    The key is the row's deployment objectives, e.g. ``base`` for aligned rows,
    ``simplest`` or ``base,simplest`` (different objectives in different deployment
    episodes) for deceptive ones; a family's members are one key ``NAME_*`` (all K
    members together).  Keys in natural order (misaligned_2 before misaligned_10).

    Parameters
    ----------
    table : FeatureTable
        The classes; their ``cls``, ``deploy`` (or ``deploy_groups``) and
        ``log2_multiplicity`` are used.
    bits : (n,) or (n, K) float array
        -log2 prior weight of each row (:meth:`Exchange.bits`).

    Returns
    -------
    dict
    """
    cls = np.asarray(table.cls)
    compatible = cls != INCOMPATIBLE
    groups = getattr(table, "deploy_groups", None)
    if groups is not None and hasattr(groups, "codes"):
        codes, keys = groups.codes, list(groups.names)
    else:
        keys, codes = np.unique(np.asarray(list(table.deploy), dtype=object), return_inverse=True)
        keys, codes = [str(k) for k in keys], np.asarray(codes).reshape(-1)
    present = np.unique(codes[compatible])
    names = sorted((keys[k] for k in present), key=natural_key)
    lm = table.log2_multiplicity
    index = {k: i for i, k in enumerate(keys)}
    if np.ndim(bits) == 1:
        mass = grouped_log2_sum(lm, bits, np.where(compatible, codes, -1), len(keys))
        return {k: float(mass[index[k]]) for k in names}
    return {k: log2_sum(None, bits, compatible & (codes == index[k]), lm) for k in names}


@dataclass(frozen=True)
class Masses:
    """log2 prior masses of one table under one bits array."""

    classes: dict   # aligned / deceptive / compatible
    deploy: dict    # deployment objective(s) -> mass

    @property
    def heaviest(self) -> str | None:
        """``aligned`` or ``deceptive``, whichever weighs more (None if neither weighs)."""
        a, d = self.classes["aligned"], self.classes["deceptive"]
        if np.ndim(a):
            raise ValueError("heaviest is defined for one parameter point")
        if a == -np.inf and d == -np.inf:
            return None
        return "aligned" if a >= d else "deceptive"

    def to_json(self) -> dict:
        conv = lambda v: None if not np.isfinite(v) else float(v)
        return {"classes": {k: conv(v) for k, v in self.classes.items()},
                "deploy": {k: conv(v) for k, v in self.deploy.items()}}


def log2_masses(table, bits) -> Masses:
    """Class and deployment-objective masses of ``table`` (see module docstring).

    Parameters
    ----------
    table : FeatureTable
        The classes.
    bits : (n,) or (n, K) float array
        -log2 prior weight of each row (:meth:`Exchange.bits`).

    Returns
    -------
    Masses
        :func:`class_log2_mass` and :func:`deploy_log2_mass` of the same rows.
    """
    return Masses(class_log2_mass(table, bits), deploy_log2_mass(table, bits))
