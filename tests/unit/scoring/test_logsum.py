"""The grouped log-sum-exp gives, bit for bit, what one call per group gives."""
from __future__ import annotations

import numpy as np

from priorsearch.scoring.logsum import log2_sum_exp2, log2_sum_exp2_groups


def test_groups_equal_one_call_per_group_bit_for_bit():
    rng = np.random.default_rng(7)
    n, n_groups = 5000, 9
    values = rng.normal(size=n) * 300 - 250
    values[rng.integers(0, n, 40)] = -np.inf
    codes = rng.integers(0, n_groups - 1, n)          # the last group is empty
    mask = rng.random(n) < 0.8
    out = np.empty(n_groups)
    log2_sum_exp2_groups(values, mask, codes, n_groups, out)
    for k in range(n_groups):
        expected = log2_sum_exp2(values, mask & (codes == k))
        assert out[k] == expected or (np.isnan(out[k]) and np.isnan(expected)), k
    assert out[-1] == -np.inf
    # a +inf term makes its group +inf, as in log2_sum_exp2
    values[np.flatnonzero(mask & (codes == 2))[0]] = np.inf
    log2_sum_exp2_groups(values, mask, codes, n_groups, out)
    assert out[2] == np.inf == log2_sum_exp2(values, mask & (codes == 2))
