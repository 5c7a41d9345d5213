"""Phase diagrams: the post's switch at g*, kernels == NumPy/order() references, masses."""
import csv
import math

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.phase import kernels as K
from priorsearch.exchange import TIE_RTOL, Cap, Levin, Linear, Power, custom, order
from priorsearch.phase import phase_diagram

import reference


def read_csv(path):
    lines = [l for l in open(path, encoding="utf-8") if not l.startswith("#")]
    return list(csv.DictReader(lines))


def test_default_diagram_switches_at_the_posts_tie_within_one_cell(cli, tmp_path, monkeypatch, post_model):
    monkeypatch.chdir(tmp_path)
    r = cli("phase")
    assert r.status == 0, r.err
    assert "wrote phase.png" in r.out and "wrote phase.csv" in r.out
    assert r.out.strip().splitlines()[-1].startswith("regions: honest (Hfh)")
    assert (tmp_path / "phase.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = read_csv(tmp_path / "phase.csv")
    p = post_model.parameters
    gs = sorted({float(r["g"]) for r in rows})
    assert len(gs) == 201 and gs[0] == 0.01 and gs[-1] == 100
    by_cb = {}
    for r in rows:
        by_cb.setdefault(float(r["C_B"]), []).append((float(r["g"]), r["winner"]))
    switches = honest_rows = 0
    for cb, cells in by_cb.items():
        cells.sort()
        winners = [w for _, w in cells]
        dc = cb - p["C_S"] - p["C_comb"]
        dt = p["T_comb"] + p["T_F"] + p["T_MO"] - p["T_B"]
        if dc <= 0:
            assert set(winners) == {"honest"}, cb
            honest_rows += 1
            continue
        g_star = dt / dc
        if g_star > gs[-1]:
            assert set(winners) == {"honest"}
        elif g_star < gs[0]:
            assert set(winners) == {"simple_deceptive"}
        else:
            j = winners.index("simple_deceptive")
            assert set(winners[:j]) == {"honest"} and set(winners[j:]) == {"simple_deceptive"}, cb
            assert j > 0 and cells[j - 1][0] <= g_star <= cells[j][0], (cb, g_star)
            switches += 1
    assert switches > 100 and honest_rows > 20  # both kinds of row are really exercised


def test_csv_columns_and_metadata(tmp_path):
    data = phase_diagram(x="g=0.5:4:8", y="C_B=10:30:3")
    path = tmp_path / "d.csv"
    ps.phase.write_data(data, path)
    text = path.read_text()
    assert "# command: priorsearch phase" in text and "# metadata: {" in text
    rows = read_csv(path)
    assert list(rows[0]) == ["g", "C_B", "winner", "label", "class", "c", "t", "score", "margin"]
    assert len(rows) == 24
    r = next(r for r in rows if float(r["g"]) == 0.5 and float(r["C_B"]) == 20)
    assert (r["winner"], r["label"], r["class"]) == ("honest", "Hfh", "aligned")
    assert (float(r["c"]), float(r["t"]), float(r["score"])) == (170, 101, 186)
    assert float(r["margin"]) == pytest.approx(min(0.5 * 173 + 101.5, 0.5 * 154 + 131) - 186)
    npz = np.load(_write(tmp_path / "d.npz", data))
    assert npz["winner"].shape == (3, 8) and list(npz["program_rows"]) == [0, 1, 2] and list(npz["names"]) == ["honest", "simple_deceptive", "fast_deceptive"]


def _write(path, data):
    ps.phase.write_data(data, path)
    return path


# ------------------------------------------------------------------ kernel == references

def random_case(rng, n, K_points, ties=True):
    c = rng.integers(0, 6, size=(K_points, n)).astype(float) if ties else rng.uniform(0, 10, (K_points, n))
    t = rng.integers(1, 6, size=(K_points, n)).astype(float) if ties else rng.uniform(0.5, 10, (K_points, n))
    size = rng.integers(1, 4, size=n).astype(np.int64)
    compatible = rng.random(n) < 0.8
    cls = np.where(compatible, rng.integers(0, 2, size=n), 2).astype(np.int64)
    return c, t, size, compatible, cls


def run_kernel(c, t, size, compatible, ex, prune):
    """Winner, runner-up (K, X) the way phase.sweep computes them: candidates, the
    exchange's ufunc scores, then the select_grid kernel."""
    Kp, n = c.shape
    if prune:
        cand = np.zeros((Kp, n), dtype=np.int64)
        n_cand = np.empty(Kp, dtype=np.int64)
        live = compatible if compatible.ndim == 2 else np.broadcast_to(compatible, (Kp, n))
        K.pareto_candidates(c, t, size, np.ascontiguousarray(live), cand, n_cand)
    else:
        pos = np.flatnonzero(compatible)
        cand = np.ascontiguousarray(np.broadcast_to(pos, (Kp, len(pos))))
        n_cand = np.full(Kp, len(pos), dtype=np.int64)
    kk = np.arange(Kp)[:, None]
    cc, tc = np.ascontiguousarray(c[kk, cand]), np.ascontiguousarray(t[kk, cand])
    score = np.ascontiguousarray(np.asarray(ex.score(cc, tc), dtype=float)[:, None, :])
    w, r = np.empty((Kp, 1), dtype=np.int64), np.empty((Kp, 1), dtype=np.int64)
    K.select_grid(score, cc, tc, np.ascontiguousarray(size[cand]), np.ascontiguousarray(cand), n_cand, w, r)
    rows = lambda q: np.where(q[:, 0] >= 0, cand[np.arange(Kp), np.maximum(q[:, 0], 0)], -1)
    return rows(w), rows(r)


EXCHANGES = [(Linear, "g", [0.0, 0.3, 1.0, 2.0]), (Levin, "lambda", [0.0, 0.5, 1.0, 3.0]),
             (Power, "g", [0.5, 1.0, 2.0]), (Cap, "k", [0.5, 2.0, 3.0, 5.0])]


@pytest.mark.parametrize("cls_, pname, values", EXCHANGES, ids=[e[0].__name__ for e in EXCHANGES])
@pytest.mark.parametrize("prune", [False, True])
def test_select_kernel_matches_the_pure_python_rule_and_order(cls_, pname, values, prune):
    rng = np.random.default_rng(7)
    for trial in range(12):
        n = int(rng.integers(1, 9))
        c, t, size, compatible, cls = random_case(rng, n, 5, ties=trial % 2 == 0)
        extra = {"alpha": 0.7} if cls_ is Power else {}
        for v in values:
            ex = cls_(**{pname: v}, **extra)
            w, r = run_kernel(c, t, size, compatible, ex, prune)
            score = np.asarray(ex.score(c, t), dtype=float)
            for k in range(c.shape[0]):  # the documented rule itself, point by point
                eligible = compatible & (score[k] < np.inf)
                ref = reference.winner_runner(list(score[k]), list(c[k]), list(t[k]), list(size), list(eligible))
                assert (w[k], r[k]) == ref
                ranked = order(score[k], c[k], t[k], size, eligible=eligible)
                assert w[k] == (ranked[0] if ref[0] >= 0 else -1)


def test_static_pruning_keeps_every_winner_and_runner_up():
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = 12
        feats = rng.integers(0, 3, size=(n, 5)).astype(np.int64)
        size = feats.sum(axis=1) + 1
        compatible = rng.random(n) < 0.9
        keep = K.static_keep(feats, size, compatible)
        costs = rng.uniform(0, 3, size=(6, 5))
        c = costs[:, :3] @ feats[:, :3].T
        t = costs[:, 3:] @ feats[:, 3:].T
        rows = np.flatnonzero(keep)
        for g in (0.1, 1.0, 10.0):
            full = run_kernel(c, t, size, compatible, Linear(g=g), False)
            sub = run_kernel(np.ascontiguousarray(c[:, rows]), np.ascontiguousarray(t[:, rows]), size[rows],
                             compatible[rows], Linear(g=g), True)
            np.testing.assert_array_equal(np.where(sub[0] >= 0, rows[np.maximum(sub[0], 0)], -1), full[0])
            np.testing.assert_array_equal(np.where(sub[1] >= 0, rows[np.maximum(sub[1], 0)], -1), full[1])


def test_mass_kernel_matches_the_pure_python_sum():
    rng = np.random.default_rng(5)
    c, t, size, compatible, cls = random_case(rng, 9, 4, ties=False)
    mult = rng.integers(1, 50, size=9).astype(float)
    for ex in (Linear(g=0.7), Levin(**{"lambda": 1.0}), Power(g=2.0, alpha=0.5), Cap(k=5.0)):
        bits = np.ascontiguousarray(np.asarray(ex.bits(c, t), dtype=float)[:, None, :])
        lm = np.empty((2, c.shape[0], 1))
        K.class_mass_grid(bits, np.where(compatible, cls, -1), np.log2(mult)[None, :], lm)
        for k in range(c.shape[0]):
            for klass in (0, 1):
                rows = [i for i in range(9) if compatible[i] and cls[i] == klass]
                assert lm[klass, k, 0] == pytest.approx(reference.log2_mass(list(bits[k, 0]), list(mult), rows), rel=1e-12)


def test_kernel_sweep_equals_numpy_path_over_two_cost_axes():
    axes = dict(x="C_B=1:40:9", y="T_F=0:60:7")
    fast = phase_diagram(x=axes["x"], y=axes["y"], exchange=Linear(g=1.5), mode="mass",
                         programs=[ps.template(n) for n in ps.lang.TEMPLATE_NAMES])
    slow = phase_diagram(x=axes["x"], y=axes["y"], exchange=custom(lambda c, t: 1.5 * c + t,
                         bits=lambda c, t: c + t / 1.5), mode="mass",
                         programs=[ps.template(n) for n in ps.lang.TEMPLATE_NAMES])
    np.testing.assert_array_equal(fast.winner, slow.winner)
    np.testing.assert_array_equal(fast.runner_up, slow.runner_up)
    np.testing.assert_allclose(fast.score, slow.score, rtol=1e-12)
    np.testing.assert_allclose(fast.log2_mass, slow.log2_mass, rtol=1e-12)
    assert len(set(fast.winner.ravel())) >= 2


def test_mass_mode_deceptive_share_of_the_three_templates():
    data = phase_diagram(x="g=0.5:8:5:log", y="C_B=5:50:4", mode="mass")
    for iy, cb in enumerate(data.y_values):
        for ix, g in enumerate(data.x_values):
            bits = {"Hfh": cb + 150 + 101 / g, "Hsd": 154 + 131 / g, "Hfd": cb + 153 + 101.5 / g}
            w = {k: 2.0 ** -(v - 150) for k, v in bits.items()}
            assert data.deceptive_share[iy, ix] == pytest.approx((w["Hsd"] + w["Hfd"]) / sum(w.values()), rel=1e-9)


def test_axis_order_and_exchange_on_y_give_the_transposed_diagram():
    a = phase_diagram(x="g=0.1:10:6:log", y="C_B=2:40:5")
    b = phase_diagram(x="C_B=2:40:5", y="g=0.1:10:6:log")
    np.testing.assert_array_equal(a.winner, b.winner.T)
    np.testing.assert_array_equal(a.margin, b.margin.T)


def test_cap_budget_against_a_cost_parameter():
    # t(Hfh) = T_B + T_M = 101, t(Hsd) = 131: below 101 nothing fits, then Hfh, then the shorter
    data = phase_diagram(x="k=90:140:51", y="C_B=10:30:3", exchange="cap")
    k = data.x_values
    for iy, cb in enumerate(data.y_values):
        w = data.winner[iy]
        assert (w[k < 101] == -1).all() and (w[(k >= 101) & (k < 131)] == 0).all()
        assert (w[k >= 131] == (1 if cb > 4 else 0)).all()
    assert "no eligible program" in data.summary()


def test_family_count_axis_on_templates_that_do_not_depend_on_it_is_refused(post_model):
    """Flat code, no template naming a member, no cost using N_obj: nothing changes along
    the axis, so --space templates says so (the enumeration is where a count matters)."""
    from priorsearch.errors import InputError
    from priorsearch.model.cost_model import Family

    model = post_model.with_params()._replace(
        parameters={**post_model.parameters, "N_obj": 2.0},
        families=[Family("obj", ps.parse_expr("N_obj"), post_model.primitives["simplest_obj"])])
    with pytest.raises(InputError, match="on --space templates nothing depends on N_obj.*--space enumerate"):
        phase_diagram(model, x="N_obj=1:4:4", y="C_B=1:10:3")
    enumerated = phase_diagram(model, x="N_obj=1:4:4", y="C_B=1:10:3", space="enumerate", max_size=5)
    assert enumerated.x.whole == (1, 2, 3, 4)


@pytest.mark.parametrize("mode", ["winner", "mass"])
def test_enumerated_space_kernel_equals_numpy_path(mode):
    # winner mode prunes classes dominated feature-wise (static_keep) and per row (Pareto)
    x, y = "C_B=1:60:7", "T_F=0:50:6"
    fast = phase_diagram(x=x, y=y, space="enumerate", max_size=7, exchange=Linear(g=1.5), mode=mode, ties=False)
    slow = phase_diagram(x=x, y=y, space="enumerate", max_size=7, exchange=custom(lambda c, t: 1.5 * c + t,
                         bits=lambda c, t: c + t / 1.5), mode=mode)
    np.testing.assert_array_equal(fast.winner, slow.winner)
    np.testing.assert_array_equal(fast.runner_up, slow.runner_up)
    np.testing.assert_allclose(fast.margin, slow.margin, rtol=1e-9)
    if mode == "mass":
        np.testing.assert_allclose(fast.log2_mass, slow.log2_mass, rtol=1e-12)
    assert len(np.unique(fast.winner)) >= 2
    sweep = phase_diagram(x="g=0.1:10:9:log", y=y, space="enumerate", max_size=7, ties=False)
    for ix, g in enumerate(sweep.x_values):  # exchange axis: rows pruned to two Pareto layers
        ref = phase_diagram(x="C_B=20:21:2", y=y, space="enumerate", max_size=7,
                            exchange=custom(lambda c, t, g=g: g * c + t))
        np.testing.assert_array_equal(sweep.winner[:, ix], ref.winner[:, 0])
        np.testing.assert_array_equal(sweep.runner_up[:, ix], ref.runner_up[:, 0])
