"""DESIGN 2.3 as plain Python: the templates' c and t, and seeded random cost draws.

Shared by the tests of DESIGN 2.4.  The formulas are written out here independently of
the package (and of the ``c:``/``t:`` metadata in programs/*.prog) so that a test
comparing them with the simulator checks the simulator, not itself.
"""
from __future__ import annotations

import numpy as np

COST_PARAMS = ("C_B", "C_S", "C_comb", "C_D", "C_M", "C_K", "C_ptr")
TIME_PARAMS = ("T_B", "T_comb", "T_F", "T_M", "T_MO", "T_D")
PARAMS = COST_PARAMS + TIME_PARAMS
TEMPLATES = ("honest", "simple_deceptive", "fast_deceptive", "hybrid", "derive_and_pursue")


def c_formula(name, p):
    """DESIGN 2.3 table, column c."""
    shared = p["C_M"] + p["C_K"]
    return {
        "honest": p["C_B"] + shared,
        "simple_deceptive": p["C_S"] + p["C_comb"] + shared,
        "fast_deceptive": p["C_B"] + p["C_S"] + p["C_D"] + shared,
        "hybrid": p["C_S"] + p["C_D"] + p["C_ptr"] + shared,
        "derive_and_pursue": p["C_ptr"] + shared,
    }[name]


def t_formula(name, p):
    """DESIGN 2.3 table, column t."""
    return {
        "honest": p["T_B"] + p["T_M"],
        "simple_deceptive": p["T_comb"] + p["T_F"] + p["T_M"] + p["T_MO"],
        "fast_deceptive": p["T_D"] + p["T_B"] + p["T_M"],
        "hybrid": p["T_D"] + p["T_F"] + p["T_M"],
        "derive_and_pursue": p["T_F"] + p["T_M"],
    }[name]


def random_params(rng: np.random.Generator, quantized: bool = False) -> dict:
    """One draw of non-negative costs.

    About one value in six is exactly 0 (the boundary cases of the statements), the rest
    spread over four orders of magnitude.  ``quantized`` draws multiples of 0.5 up to 200,
    so sums are exact and differences are 0 or at least 0.5 (for the limit tests).
    """
    out = {}
    for name in PARAMS:
        if quantized:
            value = 0.5 * int(rng.integers(0, 401))
        else:
            value = float(10 ** rng.uniform(-2, 2.5))
        if rng.random() < 1 / 6:
            value = 0.0
        out[name] = value
    return out


def draws(seed: int, n: int, quantized: bool = False) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [random_params(rng, quantized) for _ in range(n)]
