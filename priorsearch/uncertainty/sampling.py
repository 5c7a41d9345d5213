"""Points of the unit cube for the draws: random, Sobol or Latin hypercube, by seed.

One seed helper, :func:`seed_sequence`: every stream priorsearch draws from is a child
of ``numpy.random.SeedSequence(seed)`` spawned in a fixed order (main draws, Sobol
design, one per structural task), so results never depend on scheduling.
"""
from __future__ import annotations

__all__ = ["SAMPLERS", "seed_sequence", "unit_draws", "check_seed"]

import warnings

import numpy as np

from ..errors import InputError

SAMPLERS = ("random", "sobol", "lhs")
#: keep u away from 0 and 1 so unbounded inverse CDFs stay finite
_EDGE = 1e-16


#: the largest seed: 64 bits, what every numpy generator takes as one word (a longer
#: seed would work with SeedSequence but is almost surely a typo, and is not portable)
MAX_SEED = 2**64 - 1


def check_seed(seed) -> int:
    """``seed`` as an int, or an InputError unless it is a whole number >= 0.

    Parameters
    ----------
    seed : int

    Returns
    -------
    int
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise InputError(f"--seed must be a whole number from 0 to 2^64 - 1, got {seed!r}")
    return int(seed)


def seed_sequence(seed, *spawn_key) -> np.random.SeedSequence:
    """The SeedSequence of ``seed``, or of its child at ``spawn_key`` (fixed order).

    Parameters
    ----------
    seed : int
    *spawn_key : int
        ``seed_sequence(s, i)`` equals ``SeedSequence(s).spawn(i + 1)[i]``.

    Returns
    -------
    numpy.random.SeedSequence
    """
    return np.random.SeedSequence(check_seed(seed), spawn_key=tuple(int(k) for k in spawn_key))


def unit_draws(n: int, d: int, sampler: str, seq: np.random.SeedSequence) -> np.ndarray:
    """(n, d) points in (0, 1), seeded from ``seq``.

    Parameters
    ----------
    n, d : int
        Points and dimensions.
    sampler : {"random", "sobol", "lhs"}
        Independent uniforms, a scrambled Sobol' sequence or a Latin hypercube.
    seq : numpy.random.SeedSequence

    Returns
    -------
    numpy.ndarray
    """
    rng = np.random.Generator(np.random.PCG64(seq))
    if d == 0:
        return np.zeros((n, 0))
    if sampler == "random":
        u = rng.random((n, d))
    elif sampler == "sobol":
        from scipy.stats import qmc

        engine = qmc.Sobol(d, scramble=True, seed=rng)
        with warnings.catch_warnings():  # balance properties need n = 2^m; any n is valid
            warnings.simplefilter("ignore", UserWarning)
            u = engine.random(n)
    elif sampler == "lhs":
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d, seed=rng).random(n)
    else:
        raise InputError(f"unknown sampler {sampler!r}; use one of {', '.join(SAMPLERS)}")
    return np.clip(u, _EDGE, 1.0 - _EDGE)
