"""Marginals (scipy.stats inverse CDFs), truncation at 0 and the Gaussian copula."""
import math

import numpy as np
import pytest
from scipy import stats

from priorsearch.errors import InputError
from priorsearch.uncertainty.distributions import correlate, marginal
from priorsearch.uncertainty.sampling import seed_sequence, unit_draws
from priorsearch.uncertainty.specs import parse_spec

U = np.linspace(0.001, 0.999, 999)


def m(text, name="C_B"):
    return marginal(name, parse_spec(text))


def test_loguniform_inverse_cdf_is_exact():
    x = m("loguniform(0.01, 100)").ppf(U)
    assert np.allclose(np.log10(x), -2 + 4 * U)


def test_families_match_scipy_where_no_truncation_applies():
    assert np.allclose(m("uniform(2, 6)").ppf(U), 2 + 4 * U)
    assert np.allclose(m("lognormal(20, 0.5)").ppf(U), 20 * np.exp(0.5 * stats.norm.ppf(U)))
    assert np.allclose(m("triangular(0, 1, 4)").ppf(U), stats.triang(0.25, 0, 4).ppf(U))
    assert np.allclose(m("beta(2, 5, 0, 10)").ppf(U), 10 * stats.beta(2, 5).ppf(U))


def test_a_distribution_reaching_below_zero_is_truncated_at_zero():
    d = m("normal(0, 1)")
    x = d.ppf(U)
    assert d.truncated and (x >= 0).all()
    # conditioned on x >= 0: the half-normal, whose median is ppf(0.75) of the normal
    assert math.isclose(d.ppf(np.array([0.5]))[0], stats.norm.ppf(0.75), rel_tol=1e-9)
    assert np.allclose(m("uniform(-10, 10)").ppf(U), 10 * U)
    assert not m("normal(100, 1)").truncated


def test_choice_fixed_and_negative_values():
    x = m("choice(1, 16, 1000)").ppf(U)
    assert set(np.unique(x)) == {1.0, 16.0, 1000.0}
    assert abs((x == 16).mean() - 1 / 3) < 0.01
    assert not m("fixed(3)").uncertain
    with pytest.raises(InputError, match="values must be >= 0"):
        m("choice(-1, 2)")
    with pytest.raises(InputError, match="all of its mass is below 0"):
        m("uniform(-5, -1)")


def test_copula_keeps_marginals_and_correlates_ranks():
    u = unit_draws(20000, 2, "random", seed_sequence(3))
    v = correlate(u, ["a", "b"], {("a", "b"): 0.6})
    rho = stats.spearmanr(v[:, 0], v[:, 1]).statistic
    assert abs(rho - 0.6) < 0.02
    # marginals stay uniform
    assert stats.kstest(v[:, 0], "uniform").pvalue > 1e-3
    with pytest.raises(InputError, match="strictly between -1 and 1"):
        correlate(u, ["a", "b"], {("a", "b"): 1.0})
    with pytest.raises(InputError, match="c has no distribution"):
        correlate(u, ["a", "b"], {("a", "c"): 0.2})
    with pytest.raises(InputError, match="not positive definite"):
        correlate(np.full((2, 3), 0.5), ["a", "b", "c"],
                  {("a", "b"): 0.95, ("b", "c"): 0.95, ("a", "c"): -0.95})


@pytest.mark.parametrize("sampler", ["random", "sobol", "lhs"])
def test_samplers_are_deterministic_by_seed_and_inside_the_cube(sampler):
    a = unit_draws(257, 3, sampler, seed_sequence(7))
    assert np.array_equal(a, unit_draws(257, 3, sampler, seed_sequence(7)))
    assert not np.array_equal(a, unit_draws(257, 3, sampler, seed_sequence(8)))
    assert ((a > 0) & (a < 1)).all()


def test_lhs_puts_one_point_in_every_stratum():
    n = 200
    u = unit_draws(n, 2, "lhs", seed_sequence(1))
    for j in range(2):
        assert sorted(np.floor(u[:, j] * n).astype(int)) == list(range(n))
