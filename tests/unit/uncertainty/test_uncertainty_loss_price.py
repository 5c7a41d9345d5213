"""loss_price in uncertainty (issue 14): drawn or fixed finite, lossy programs compete
with score exchange(c, t) + loss_price * L; at loss_price = inf nothing changes."""
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import priorsearch as ps
from errorcheck import assert_input_error
from paths import REPO

LOSSY = REPO / "programs" / "lossy.toml"
LOSSY_PROGRAMS = [REPO / "programs" / "lossy" / "programs.prog"]
GOLDEN = Path(__file__).resolve().parents[2] / "data" / "uncertainty_loss_price_inf"


def _loss_price_star(g=1.0):
    """(g*(C_B - C_Bp) + (T_B - T_Bp)) / w: below it Hfh' (B') beats Hfh (B)."""
    p = ps.CostModel.load(LOSSY).parameters
    return (g * (p["C_B"] - p["C_Bp"]) + (p["T_B"] - p["T_Bp"])) / p["w"]


@pytest.mark.parametrize("spec, exact", [
    ("loguniform(1, 10000)", lambda x: math.log(x) / math.log(10000)),
    # normal(100, 100) reaches below 0: truncated at 0 like every cost
    ("normal(100, 100)", lambda x: (stats.norm.cdf(x, 100, 100) - stats.norm.cdf(0, 100, 100))
                                   / stats.norm.sf(0, 100, 100)),
])
def test_only_loss_price_uncertain_gives_the_exact_probability_below_loss_price_star(spec, exact):
    star = _loss_price_star()
    assert star == 160.0
    n = 20_000
    r = ps.uncertainty(str(LOSSY), {"loss_price": spec}, programs=LOSSY_PROGRAMS, draws=n, seed=3, sobol_n=0)
    p_exact = exact(star)
    se = math.sqrt(p_exact * (1 - p_exact) / n)
    p = r.winners().get("lossy_honest", 0.0)
    assert abs(p - p_exact) < 4 * se, (p, p_exact)
    price = r.values[:, 0]
    won = np.asarray(r.names + ["none"], dtype=object)[r.winner] == "lossy_honest"
    assert (price >= 0).all() and np.array_equal(won, price < star)  # draw by draw, not only on average
    assert set(r.winners()) == {"lossy_honest", "honest"} and r.p_deceptive()[0] == 0.0
    assert r.classes[r.names.index("lossy_honest")] == "aligned"


def test_the_mass_share_moves_with_the_loss_price_alone():
    # the lossy programs' prior mass carries the loss term: the price is the only input
    r = ps.uncertainty(str(LOSSY), {"loss_price": "loguniform(1, 10000)"}, programs=LOSSY_PROGRAMS, draws=2000,
                       seed=4, sobol_n=512)
    order = np.argsort(r.values[:, 0])
    assert np.all(np.diff(r.share[order]) >= -1e-15)  # dearer loss, less aligned mass from Hfh'
    assert r.sobol_mass_share["loss_price"]["ST"] > 0.95 and r.sobol_mass_share["loss_price"]["S1"] > 0.9


def test_a_finite_fixed_loss_price_is_priced_and_inf_is_pass_fail():
    kw = dict(programs=LOSSY_PROGRAMS, draws=200, seed=1, sobol_n=0)
    assert ps.uncertainty(str(LOSSY), {"g": "fixed(1)"}, params={"loss_price": 100}, **kw).winners() == {"lossy_honest": 1.0}
    assert ps.uncertainty(str(LOSSY), {"g": "fixed(1)"}, params={"loss_price": 200}, **kw).winners() == {"honest": 1.0}
    inf = ps.uncertainty(str(LOSSY), {"g": "fixed(1)"}, params={"loss_price": math.inf}, **kw)
    assert inf.winners() == {"honest": 1.0} and "lossy_honest" not in inf.names


def test_each_draw_agrees_with_search_at_its_own_loss_price():
    from priorsearch.scoring.search import search_table
    from priorsearch.uncertainty.engine import SpaceEvaluator

    model = ps.CostModel.load(LOSSY)
    ev = SpaceEvaluator(model, "enumerate", None, 7, mass=True, priced=True)
    rng = np.random.default_rng(2)
    n = 12
    values = {"loss_price": 10 ** rng.uniform(0, 4, n), "g": 10 ** rng.uniform(-1, 1, n),
              "C_Bp": rng.uniform(1, 30, n), "w": rng.uniform(0.01, 0.3, n)}
    out = ev.evaluate(values, n)
    lossy_wins = 0
    for j in range(n):
        at = model.with_params(C_Bp=float(values["C_Bp"][j]), w=float(values["w"][j]))
        s = search_table(ev.table, model=at, g=float(values["g"][j]), loss_price=float(values["loss_price"][j]))
        assert int(ev.cand[out.winner[j]]) == s.winner.row, j
        lossy_wins += bool(s.winner.loss)
        classes = s.masses.classes
        total = classes.get("competing", classes.get("compatible"))
        assert math.isclose(out.share[j], 2.0 ** (classes["deceptive"] - total), rel_tol=1e-9)
    assert 0 < lossy_wins < n  # the price decides some draws each way


def test_cli_takes_a_loss_price_distribution_and_a_finite_set(cli):
    base = ["uncertainty", "--model", LOSSY, "--programs", *LOSSY_PROGRAMS, "--draws", "400", "--json"]
    r = cli(*base, "--dist", "loss_price=uniform(0, 400)", "--sobol-n", "256")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert abs(data["winners"]["lossy_honest"] - 0.4) < 0.1 and set(data["sobol"]) == {"loss_price"}
    assert data["sobol"]["loss_price"]["ST"] == 0.0  # no deceptive program ever wins here
    r = cli(*base, "--dist", "g=fixed(1)", "--set", "loss_price=100")
    assert json.loads(r.out)["winners"] == {"lossy_honest": 1.0}
    assert_input_error(cli(*base, "--dist", "loss_price=uniform(0, 9)", "--set", "loss_price=3"),
                       r"error: --dist loss_price: loss_price is also fixed by --set loss_price; give one of them")
    assert_input_error(cli(*base, "--set", "loss_price=-1"), r".*loss.price.*>= 0.*")


CASES = {
    "post_templates": dict(model="post.toml", dists={"g": "loguniform(0.01, 100)", "C_B": "uniform(1, 100)"}),
    "post_enumerate": dict(model="post.toml", dists={"g": "loguniform(0.01, 100)", "C_ptr": "loguniform(0.1, 100)"},
                           space="enumerate", max_size=7),
    "lossy_templates": dict(model="lossy.toml", programs=LOSSY_PROGRAMS,
                            dists={"g": "loguniform(0.1, 10)", "C_Bp": "uniform(1, 30)"}),
    "lossy_enumerate": dict(model="lossy.toml", dists={"g": "loguniform(0.1, 10)", "C_Bp": "uniform(1, 30)"},
                            space="enumerate", max_size=7),
    "camera_enumerate": dict(model="camera.toml", dists={"g": "loguniform(0.1, 10)"}, space="enumerate", max_size=7),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("params", [{}, {"loss_price": math.inf}])
def test_loss_price_inf_outputs_are_byte_identical_to_the_pass_fail_code(name, params):
    # goldens written by the code before uncertainty priced the loss (winners, P,
    # Sobol indices and the per-draw CSV; masses off, their floats are checked above)
    kw = dict(CASES[name])
    model = REPO / "programs" / kw.pop("model")
    r = ps.uncertainty(str(model), kw.pop("dists"), draws=500, seed=7, mass=False, sobol_n=64, params=params, **kw)
    assert r.json_text() == (GOLDEN / f"{name}.json").read_text()
    csv = "".join(l for l in r.csv_text().splitlines(True) if not l.startswith("# "))
    assert csv == (GOLDEN / f"{name}.csv").read_text()
