"""Issue 14, must show: a cheaper objective B' that misfires in one training episode of
share w beats the stored one exactly when loss_price < (g*dc + dt)/w — over random draws
against ``rank``, ``search`` and ``phase`` — and ``boundary --x loss_price`` prints that
tie.  Masses include the loss term in bits (checked against a plain sum)."""
import numpy as np
import pytest
import sympy

import priorsearch as ps
from priorsearch.exchange import make_exchange
from priorsearch.features.semantics import ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY
from priorsearch.model.resolve import resolve_packaged_model
from priorsearch.scoring.search import search_table
from priorsearch.space.enumerate import enumerate_classes
from paths import REPO

LOSSY = REPO / "programs" / "lossy.toml"
LOSSY_PROGRAMS = REPO / "programs" / "lossy" / "programs.prog"


def _draws(n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        yield {"g": float(rng.uniform(0.1, 5)), "C_B": float(rng.uniform(5, 40)), "C_Bp": float(rng.uniform(0, 5)),
               "T_B": float(rng.uniform(0, 3)), "T_Bp": float(rng.uniform(0, 3)), "w": float(rng.uniform(0.01, 0.6))}


def _tie(p):
    return (p["g"] * (p["C_B"] - p["C_Bp"]) + (p["T_B"] - p["T_Bp"])) / p["w"]


def test_winner_switches_at_the_loss_price_tie_over_random_draws():
    model = ps.CostModel.load(LOSSY)
    checked = 0
    for p in _draws(60, seed=14):
        star = _tie(p)
        if star <= 0:
            continue
        g = p.pop("g")
        m = model.with_params(**p)
        for factor, winner in ((0.97, "lossy_honest"), (1.03, "honest")):
            ranking = ps.rank(m, LOSSY_PROGRAMS, g=g, loss_price=star * factor)
            # Hsd may beat both where g is large; the switch is between Hfh and Hfh'
            pair = [r.name for r in ranking.programs if r.name in ("honest", "lossy_honest")]
            assert pair[0] == winner, (p, g, star, factor)
            lossy = next(r for r in ranking.programs if r.name == "lossy_honest")
            honest = next(r for r in ranking.programs if r.name == "honest")
            assert lossy.loss == pytest.approx(p["w"]) and honest.loss == 0
            assert lossy.score == pytest.approx(g * lossy.c + lossy.t + star * factor * p["w"])
            assert lossy.cls == "aligned" and not lossy.compatible
        checked += 1
    assert checked > 30


def test_default_price_keeps_the_lossy_program_out():
    ranking = ps.rank(ps.CostModel.load(LOSSY), LOSSY_PROGRAMS)
    lossy = next(r for r in ranking.programs if r.name == "lossy_honest")
    # out of the running, it reports its exchange score as before the loss existed
    assert lossy.score == lossy.c + lossy.t and lossy.cls == "incompatible" and ranking.winner.name == "honest"
    assert ranking.programs[-1].name == "lossy_honest"
    # at price 0 the loss is free: the cheaper objective wins as if compatible
    assert ps.rank(ps.CostModel.load(LOSSY), LOSSY_PROGRAMS, loss_price=0).winner.name == "lossy_honest"


def test_boundary_prints_the_loss_price_tie(cli):
    r = cli("boundary", "honest", "lossy_honest", "--model", LOSSY, "--programs", LOSSY_PROGRAMS, "--x", "loss_price")
    assert r.status == 0, r.err
    assert "tie: loss_price* = (C_B*g - C_Bp*g + T_B - T_Bp)/w" in r.out
    # the model's values: g = 1, C_B = 20, C_Bp = 12, T_B = T_Bp = 1, w = 0.05 -> 160
    assert "loss_price* = 160: lossy_honest wins for loss_price < 160" in r.out
    bd = ps.boundary("honest", "lossy_honest", ps.CostModel.load(LOSSY), programs=LOSSY_PROGRAMS,
                     parameter="loss_price")
    s = {n: sympy.Symbol(n, nonnegative=True, real=True) for n in ("g", "C_B", "C_Bp", "T_B", "T_Bp", "w")}
    expected = (s["g"] * (s["C_B"] - s["C_Bp"]) + s["T_B"] - s["T_Bp"]) / s["w"]
    assert sympy.simplify(bd.tie - expected) == 0


def test_cli_loss_price_through_set_and_toml(cli, tmp_path):
    base = ["rank", "--model", LOSSY, "--programs", LOSSY_PROGRAMS, "--json"]
    import json

    below = json.loads(cli(*base, "--set", "loss_price=150").out)
    above = json.loads(cli(*base, "--set", "loss_price=170").out)
    assert below["winner"] == "lossy_honest" and above["winner"] == "honest"
    assert below["exchange"]["loss_price"] == 150
    text = LOSSY.read_text().replace("g = 1\n", "g = 1\nloss_price = 150\n", 1)
    (tmp_path / "m.toml").write_text(text)
    from_toml = json.loads(cli("rank", "--model", tmp_path / "m.toml", "--programs", LOSSY_PROGRAMS, "--json").out)
    assert from_toml["winner"] == "lossy_honest"
    model = ps.CostModel.load(tmp_path / "m.toml")
    assert ps.CostModel.codec.loads(ps.model.toml_dump.dump_model(model)) == model


def test_search_and_phase_agree_with_rank_along_the_price_axis():
    model = ps.CostModel.load(LOSSY)
    table = enumerate_classes(model, 5)
    prices = np.array([10.0, 100.0, 155.0, 165.0, 400.0, 1e4])
    data = ps.phase_diagram(model, x="loss_price=10:10000:7:log", y="C_Bp=4:16:5", space="enumerate", max_size=5)
    for iy, cbp in enumerate(data.y_values):
        m = model.with_params(C_Bp=float(cbp))
        for ix, price in enumerate(data.x_values):
            res = search_table(table, make_exchange(None, m, loss_price=float(price)), model=m, top=1)
            assert data.display_name(int(data.winner[iy, ix])) == (res.winner.name or res.winner.source)
    costs = table.layout.cost_arrays()
    c, t, _ = (x[:, 0] for x in table.totals(costs))
    loss = table.loss(costs)[:, 0]
    for price in prices:
        res = search_table(table, make_exchange(None, model, loss_price=float(price)), model=model, top=3)
        # a plain reference: the lowest g*c + t + price*L over every enumerated class
        assert res.winner.score == pytest.approx(np.min(c + t + price * loss), rel=1e-12)
        assert res.winner.loss == pytest.approx(loss[res.winner.row])


def test_masses_include_the_loss_term_in_bits():
    """bits = c + t/g + loss_price*L/g under linear; per-class sums equal a plain sum."""
    model = ps.CostModel.load(LOSSY)
    table = enumerate_classes(model, 5)
    price, g = 40.0, 2.0
    ex = make_exchange(None, model, g=g, loss_price=price)
    res = search_table(table, ex, model=model)
    costs = table.layout.cost_arrays()
    c, t, _ = (x[:, 0] for x in table.totals(costs))
    loss = table.loss(costs)[:, 0]
    bits = c + t / g + price * loss / g
    mult = table.multiplicity.astype(float)
    # optimize(simplest_obj) misses all of training but pursues one goal throughout: a proxy
    for code, name in ((ALIGNED, "aligned"), (DECEPTIVE, "deceptive"), (PROXY, "proxy")):
        rows = table.behaviour == code
        expected = np.log2(np.sum(mult[rows] * np.exp2(-(bits[rows] - bits.min())))) - bits.min()
        assert res.masses.classes[name] == pytest.approx(expected, rel=1e-12)
    assert "competing" in res.masses.classes and "compatible" not in res.masses.classes
    # and the phase kernel gives the same per-class masses
    data = ps.phase_diagram(model, x="loss_price=40:41:2", y="g=2:3:2", space="enumerate", max_size=5, mode="mass")
    assert data.mass_classes == ("aligned", "deceptive", "proxy")
    for j, name in enumerate(data.mass_classes):
        assert data.log2_mass[j, 0, 0] == pytest.approx(res.masses.classes[name], rel=1e-12)


def test_loss_is_the_weighted_share_of_checked_training_episodes():
    """Per-episode loss amounts replace the 0/1, and weights may be expressions."""
    model = ps.CostModel.load(LOSSY)
    eps = [ps.Episode("train", "train", "1 - w"), ps.Episode("rare", "train", "w", loss=3.0),
           ps.Episode("deploy", "deploy")]
    m = model.with_episodes(*eps)
    ranking = ps.rank(m, LOSSY_PROGRAMS, loss_price=1.0)
    lossy = next(r for r in ranking.programs if r.name == "lossy_honest")
    assert lossy.loss == pytest.approx(3.0 * 0.05)
    unchecked = model.with_episodes(ps.Episode("train", "train", "1 - w"),
                                    ps.Episode("rare", "train", "w", checked=False), ps.Episode("deploy", "deploy"))
    r = next(r for r in ps.rank(unchecked, LOSSY_PROGRAMS).programs if r.name == "lossy_honest")
    assert r.compatible and r.loss == 0


def test_phase_tie_curve_along_the_price_axis_is_exact():
    """The drawn tie between Hfh and Hfh' lies on loss_price = g*(C_B - C_Bp)/w."""
    model = ps.CostModel.load(LOSSY)
    data = ps.phase_diagram(model, x="loss_price=1:1000:41:log", y="C_Bp=1:19:10", programs=LOSSY_PROGRAMS)
    (curve,) = [c for c in data.ties if {data.names[c["a"]], data.names[c["b"]]} == {"honest", "lossy_honest"}]
    assert curve["tie"] == "(C_B*g - C_Bp*g + T_B - T_Bp)/w"
    points = np.concatenate(curve["segments"])
    assert len(points) > 10
    np.testing.assert_allclose(points[:, 0], (20 - points[:, 1]) / 0.05, rtol=1e-3)
    assert data.metadata["model_point"]["loss_price"] is None  # the default inf is no point of the plane


def test_plot_title_names_the_loss_term():
    import matplotlib.pyplot as plt

    model = ps.CostModel.load(LOSSY)
    data = ps.phase_diagram(model, x="loss_price=1:1000:5:log", y="C_Bp=1:19:3", programs=LOSSY_PROGRAMS, ties=False)
    fig = ps.plot_phase(data)
    try:
        assert "score g·c + t + loss_price·L" in fig.axes[0].get_title().replace("\n", " ")
    finally:
        plt.close(fig)
    plain = ps.phase_diagram(x="g=0.5:4:3", y="C_B=1:40:3", ties=False)
    fig = ps.plot_phase(plain)
    try:
        assert "loss_price" not in fig.axes[0].get_title()
    finally:
        plt.close(fig)


def test_cli_per_episode_loss_amount_from_toml(cli, tmp_path):
    """An episode's ``loss`` in the TOML replaces the 0/1: L = weight share * loss."""
    import json

    text = LOSSY.read_text().replace("loss = 1 ", "loss = 3 ")
    assert "loss = 3 " in text
    (tmp_path / "m.toml").write_text(text)
    r = cli("rank", "--model", tmp_path / "m.toml", "--programs", LOSSY_PROGRAMS, "--set", "loss_price=10", "--json")
    assert r.status == 0, r.err
    lossy = next(p for p in json.loads(r.out)["programs"] if p["name"] == "lossy_honest")
    assert lossy["loss"] == pytest.approx(3 * 0.05)
    assert lossy["score"] == pytest.approx(162 + 101 + 10 * 3 * 0.05)
    # the dumped model keeps the amount
    model = ps.CostModel.load(tmp_path / "m.toml")
    assert next(e for e in ps.CostModel.codec.loads(ps.model.toml_dump.dump_model(model)).episodes
                if e.name == "rare").loss == 3.0


@pytest.mark.parametrize("mode", ["winner", "mass"])
def test_cli_phase_along_the_loss_price_axis(cli, tmp_path, mode):
    """``phase --x loss_price=...`` from the command line, winner and mass mode: the
    winner column switches from Hfh' to Hfh at loss_price* = (C_B - C_Bp)/w = 20*(20 - C_Bp)
    (g = 1, T_B = T_Bp) in every row, and mass mode adds the per-class masses."""
    data = tmp_path / "p.csv"
    argv = ["phase", "--model", LOSSY, "--x", "loss_price=10:400:40", "--y", "C_Bp=8:18:6", "--mode", mode,
            "--out", "none", "--data", data]
    argv += ["--programs", LOSSY_PROGRAMS] if mode == "winner" else ["--space", "enumerate", "--max-size", "5"]
    r = cli(*argv)
    assert r.status == 0, r.err
    lines = data.read_text().splitlines()
    header = lines[5].split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[6:]]
    assert len(rows) == 240
    if mode == "mass":
        assert header[-4:] == ["log2_mass_aligned", "log2_mass_deceptive", "log2_mass_proxy", "deceptive_share"]
    for row in rows:
        price, cbp = float(row["loss_price"]), float(row["C_Bp"])
        star = (20 - cbp) / 0.05
        if abs(price - star) < 1e-9:
            continue
        lossy = row["winner"] in ("lossy_honest", "optimize(cheap_base_obj)")
        if mode == "winner":
            assert lossy == (price < star), row
        elif price > star:  # enumerated: Henv may beat both, but Hfh' cannot win above its tie
            assert not lossy, row
