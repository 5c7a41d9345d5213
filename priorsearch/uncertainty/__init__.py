"""Uncertainty over the costs: distributions, draws, Sobol indices (SALib), ensembles on Dask.

:func:`uncertainty` turns distributions over cost and exchange parameters into the
probability that each program (and a deceptive one) wins, the distribution of the
deceptive share of prior mass, and Sobol indices saying which assumption drives them.
"""
from .result import UncertaintyResult
from .run import uncertainty
from .specs import FAMILIES, DistSpec, parse_spec

__all__ = ["uncertainty", "UncertaintyResult", "parse_spec", "DistSpec", "FAMILIES"]
