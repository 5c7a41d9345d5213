"""Sobol sensitivity indices with SALib: Saltelli's design and the Sobol analysis.

The design lives in the unit cube (one column per uncertain parameter) and goes through
the same marginals as the draws; the inputs are taken as independent (Sobol indices
are defined for independent inputs, so rank correlations are not applied here).  An
output that never varies gets indices 0: no parameter moves it.

A structural choice (the model file, a family's K, the size limit, a primitive left out)
is a Sobol input too: one uniform column per structural dimension, named after it, maps
to that dimension's values by cumulative weight (:func:`structural_alternative`), so
P(value) is its weight, as for the draws.  Each design row is then evaluated on its
alternative's program space.
"""
from __future__ import annotations

__all__ = ["saltelli_design", "sobol_indices", "default_base", "structural_alternative"]

import warnings

import numpy as np

#: bootstrap resamples for the confidence intervals
RESAMPLES = 200


def default_base(draws: int, d: int) -> int:
    """Base sample size N of the design (a power of 2).

    Parameters
    ----------
    draws : int
        About this many evaluations in all (N (d + 2)).
    d : int
        Uncertain parameters.

    Returns
    -------
    int
        At least 64 and at most 2^16.
    """
    target = max(1, draws // (d + 2))
    n = 1 << max(6, min(16, int(np.floor(np.log2(target))) if target > 1 else 0))
    return n


def _problem(names):
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def saltelli_design(names, base: int, seq: np.random.SeedSequence) -> np.ndarray:
    """Saltelli's design for first and total order indices, in the unit cube.

    Parameters
    ----------
    names : list of str
    base : int
        N, a power of 2.
    seq : numpy.random.SeedSequence

    Returns
    -------
    numpy.ndarray
        (base (d + 2), d).
    """
    from SALib.sample import sobol as sobol_sample

    rng = np.random.Generator(np.random.PCG64(seq))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        u = sobol_sample.sample(_problem(names), int(base), calc_second_order=False, scramble=True, seed=rng)
    return np.clip(u, 1e-16, 1.0 - 1e-16)


def sobol_indices(names, y: np.ndarray, seq: np.random.SeedSequence) -> dict:
    """First-order and total Sobol indices of output ``y`` over the design.

    Parameters
    ----------
    names : list of str
    y : numpy.ndarray
        The output at every design point, in design order.
    seq : numpy.random.SeedSequence
        Seeds the bootstrap.

    Returns
    -------
    dict
        ``{name: {"S1", "S1_ci", "ST", "ST_ci"}}``; ``*_ci`` are 95% bootstrap intervals
        [lo, hi] (SALib's estimate +- its confidence half-width).
    """
    y = np.asarray(y, dtype=float)
    if not len(names):
        return {}
    if np.isnan(y).any() or np.ptp(y) == 0.0:
        return {n: {"S1": 0.0, "S1_ci": [0.0, 0.0], "ST": 0.0, "ST_ci": [0.0, 0.0]} for n in names}
    from SALib.analyze import sobol as sobol_analyze

    seed = int(np.random.Generator(np.random.PCG64(seq)).integers(0, 2**31 - 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sobol_analyze.analyze(_problem(names), y, calc_second_order=False, num_resamples=RESAMPLES,
                                    conf_level=0.95, seed=seed)
    out = {}
    for i, n in enumerate(names):
        s1, s1c = float(res["S1"][i]), float(res["S1_conf"][i])
        st, stc = float(res["ST"][i]), float(res["ST_conf"][i])
        out[n] = {"S1": s1, "S1_ci": [s1 - s1c, s1 + s1c], "ST": st, "ST_ci": [st - stc, st + stc]}
    return out


def structural_alternative(u: np.ndarray, weights: list) -> np.ndarray:
    """The alternative of each design row from its structural columns.

    Parameters
    ----------
    u : numpy.ndarray
        (N, s) points in (0, 1), one column per structural dimension, in the order the
        alternatives are built (:func:`priorsearch.uncertainty.structure.alternatives`:
        the last dimension varies fastest).
    weights : list of sequences
        Each dimension's value weights (any positive scale): column j picks value i
        where u falls in the i-th interval of the cumulative normalised weights.

    Returns
    -------
    numpy.ndarray
        (N,) int64 index into the alternatives.
    """
    index = np.zeros(len(u), dtype=np.int64)
    for j, w in enumerate(weights):
        w = np.asarray(w, dtype=float)
        edges = np.cumsum(w / w.sum())[:-1]
        pick = np.searchsorted(edges, u[:, j], side="right").astype(np.int64)
        index = index * len(w) + np.minimum(pick, len(w) - 1)
    return index
