"""Exactness of ``ps.uncertainty`` against probabilities computed outside it (review).

- One uncertain parameter: P(each winner) is the marginal's mass between the
  deterministic tie points, found here by bisection with ``ps.rank`` / ``search_table``,
  the marginal written here with scipy.stats (truncated at 0 by hand), never with
  priorsearch's own :class:`Marginal`.  Within 4 SE, and the 95% interval covers it.
- Two uncertain parameters: a brute-force Monte Carlo with ``ps.rank`` per draw on the
  very same values gives the same winner in every draw.
- Truncation at 0 keeps all its digits for a distribution mostly below 0 (found by
  review: normal(-7, 1) was drawn through F^-1(F(0) + u (1 - F(0))), and 1 - F(0) =
  1.3e-12 left about 5,800 distinct values; normal(-8, 1) was refused as "all of its mass
  below 0").
- The mass share of each draw equals ``search_table``'s share at that draw's values,
  with the prefix code and a family (counting.toml) and with the flat code.
"""
import math

import numpy as np
import pytest
from scipy import stats

import priorsearch as ps
from paths import REPO
from priorsearch.uncertainty.distributions import marginal
from priorsearch.uncertainty.specs import parse_spec

POST = ps.CostModel.load(REPO / "programs" / "post.toml")


def _frozen(spec):
    """The scipy distribution of ``spec`` and its mass at or above 0 (the truncation)."""
    f, a = spec.family, spec.args
    d = {"uniform": lambda: stats.uniform(a[0], a[1] - a[0]),
         "loguniform": lambda: stats.reciprocal(a[0], a[1]),
         "normal": lambda: stats.norm(a[0], a[1]),
         "triangular": lambda: stats.triang((a[1] - a[0]) / (a[2] - a[0]), a[0], a[2] - a[0]),
         "beta": lambda: stats.beta(a[0], a[1], a[2], a[3] - a[2])}[f]()
    return d, d.sf(0.0)


def _mass_between(spec, lo, hi):
    """P(lo < X <= hi) under ``spec`` truncated at 0 (written here, not priorsearch's)."""
    if spec.family == "choice":
        v = np.asarray(spec.args)
        return float(np.mean((v > lo) & (v <= hi)))
    d, above = _frozen(spec)
    lo, hi = max(lo, 0.0), max(hi, 0.0)
    return float((d.sf(lo) - d.sf(hi)) / above) if hi > lo else 0.0


def _exact_winners(spec, winner_at, lo, hi):
    """P(each winner): the winner is constant between tie points; the ties are found by
    bisection on a grid over [lo, hi] and each interval gets the marginal's mass."""
    grid = np.linspace(lo, hi, 161)
    names = [winner_at(x) for x in grid]
    cuts, owners = [-math.inf], [names[0]]
    for a, b, wa, wb in zip(grid, grid[1:], names, names[1:]):
        if wa == wb:
            continue
        for _ in range(60):
            m = 0.5 * (a + b)
            a, b = (m, b) if winner_at(m) == wa else (a, m)
        cuts.append(a)
        owners.append(wb)
    cuts.append(math.inf)
    out = {}
    for k, name in enumerate(owners):
        out[name] = out.get(name, 0.0) + _mass_between(spec, cuts[k], cuts[k + 1])
    return out


def _check(result, exact, n):
    got = result.winners()
    assert set(got) <= {k for k, v in exact.items() if v > 0}, (got, exact)
    for name, p in exact.items():
        se = math.sqrt(max(p * (1 - p), 1e-12) / n)
        assert abs(got.get(name, 0.0) - p) < 4 * se + 1e-9, (name, got, exact)
    p_dec = sum(p for name, p in exact.items() if name in ("simple_deceptive", "fast_deceptive"))
    p, lo, hi = result.p_deceptive()
    assert lo <= p_dec <= hi, (p_dec, lo, hi)


# (parameter, spec, fixed g or None, support to search for ties over)
TEMPLATE_CASES = [
    ("g", "uniform(0.2, 4)", None, (0.2, 4)),
    ("g", "loguniform(0.05, 20)", None, (0.05, 20)),
    ("g", "triangular(0, 1.9, 6)", None, (0, 6)),
    ("g", "normal(-1, 2)", None, (0, 12)),          # truncated at 0: most of its mass cut off
    ("g", "beta(2, 5, 0.5, 3.5)", None, (0.5, 3.5)),
    ("g", "choice(1.875, 1.875, 0.5, 3, 3)", None, (0, 4)),  # repeats and the exact tie g* = 30/16
    ("C_B", "uniform(1, 100)", 1.0, (1, 100)),
    ("C_B", "loguniform(2, 300)", 0.3, (2, 300)),
    ("C_B", "triangular(10, 20, 40)", 1.875, (10, 40)),
    ("C_B", "normal(-20, 40)", 1.0, (0, 300)),
    ("C_B", "choice(34, 34, 10, 60)", 1.0, (0, 70)),  # 34: the exact tie at g = 1
    ("T_F", "uniform(0, 60)", 2.7, (0, 60)),
    ("T_B", "beta(0.7, 1.3, 0, 40)", 1.0, (0, 40)),
]


@pytest.mark.parametrize("name,spec,g,support", TEMPLATE_CASES, ids=[f"{c[0]}={c[1]}" for c in TEMPLATE_CASES])
def test_one_parameter_on_the_templates_gives_the_exact_probabilities(name, spec, g, support):
    params = {} if g is None else {"g": g}

    def winner_at(x):
        kw = {**params, name: float(x)}
        return ps.rank(POST, params={k: v for k, v in kw.items() if k != "g"}, g=kw["g"]).winner.name

    exact = _exact_winners(parse_spec(spec), winner_at, *support)
    n = 20_000
    r = ps.uncertainty(POST, {name: spec}, params=params, draws=n, seed=11, sobol_n=0, mass=False)
    _check(r, exact, n)


def test_one_parameter_on_an_enumerated_space_gives_the_exact_probabilities():
    from priorsearch.scoring.search import search_table
    from priorsearch.uncertainty.engine import SpaceEvaluator

    table = SpaceEvaluator(POST, "enumerate", None, 6, mass=False).table
    spec = "loguniform(0.02, 50)"

    def winner_at(g):
        return search_table(table, model=POST, g=float(g)).winner.name

    exact = _exact_winners(parse_spec(spec), winner_at, 0.02, 50)
    assert len([p for p in exact.values() if p > 0.01]) >= 2  # the space has a real tie point
    n = 20_000
    r = ps.uncertainty(POST, {"g": spec}, space="enumerate", max_size=6, draws=n, seed=3, sobol_n=0, mass=False)
    _check(r, exact, n)


@pytest.mark.parametrize("dists", [
    {"g": "loguniform(0.1, 10)", "C_B": "uniform(1, 80)"},
    {"C_B": "triangular(5, 30, 90)", "T_F": "normal(10, 15)"},
    {"g": "choice(0.5, 1.875, 3)", "T_B": "beta(2, 2, 0, 40)"},
])
def test_two_parameters_agree_draw_by_draw_with_rank(dists):
    n = 150
    r = ps.uncertainty(POST, dists, params={} if "g" in dists else {"g": 1.5}, draws=n, seed=4, sobol_n=0, mass=False)
    names = list(r.parameters) if hasattr(r, "parameters") else list(dists)
    for j in range(n):
        kw = dict(zip(names, (float(v) for v in r.values[j])))
        g = kw.pop("g", 1.5)
        expected = ps.rank(POST, params=kw, g=g).winner.name
        assert r.names[r.winner[j]] == expected, (j, kw, g)
    assert len(set(r.winner.tolist())) >= 2  # both sides of a tie are drawn


@pytest.mark.parametrize("spec,mean,sd", [("normal(-7, 1)", -7, 1), ("normal(-8, 1)", -8, 1),
                                          ("normal(-3, 0.5)", -3, 0.5), ("normal(-30, 1)", -30, 1)])
def test_truncation_at_0_keeps_its_digits_far_in_the_tail(spec, mean, sd):
    u = (np.arange(1, 2000) - 0.5) / 2000
    x = marginal("C_B", parse_spec(spec)).ppf(u)
    exact = stats.truncnorm((0 - mean) / sd, np.inf, loc=mean, scale=sd).ppf(u)
    assert np.allclose(x, exact, rtol=1e-9, atol=0)
    assert len(np.unique(x)) == len(u)


def test_a_truncated_normal_gives_the_exact_probability():
    # P(g > g*) under normal(-1, 2) conditioned on g >= 0
    n = 40_000
    r = ps.uncertainty(POST, {"g": "normal(-1, 2)"}, draws=n, seed=8, sobol_n=0, mass=False)
    d = stats.norm(-1, 2)
    exact = d.sf(30 / 16) / d.sf(0)
    p, lo, hi = r.p_deceptive()
    assert abs(p - exact) < 4 * math.sqrt(exact * (1 - exact) / n) and lo <= exact <= hi
    assert r.values.min() >= 0


@pytest.mark.parametrize("model_name,dists,size", [
    ("counting.toml", {"g": "loguniform(0.1, 10)", "C_B": "uniform(1, 60)"}, 5),  # prefix code, a family
    ("post.toml", {"g": "loguniform(0.1, 10)", "C_ptr": "uniform(0, 40)", "T_F": "uniform(0, 40)"}, 6),  # flat
])
def test_mass_share_per_draw_equals_search_at_the_draws_values(model_name, dists, size):
    from priorsearch.scoring.search import search_table
    from priorsearch.uncertainty.engine import SpaceEvaluator

    model = ps.CostModel.load(REPO / "programs" / model_name)
    n = 10
    r = ps.uncertainty(model, dists, space="enumerate", max_size=size, draws=n, seed=6, sobol_n=0)
    table = SpaceEvaluator(model, "enumerate", None, size, mass=True).table
    names = list(dists)
    for j in range(n):
        kw = dict(zip(names, (float(v) for v in r.values[j])))
        g = kw.pop("g")
        s = search_table(table, model=model.with_params(**kw), g=g)
        assert r.names[r.winner[j]] == (s.winner.name or s.winner.source)
        classes = s.masses.classes
        total = classes.get("competing", classes.get("compatible"))
        assert math.isclose(r.share[j], 2.0 ** (classes["deceptive"] - total), rel_tol=1e-9), j
