"""A family's count as a phase axis (``K=1:1e30:31:log``): whole values, exact ends, and
one enumeration that equals a separate ``--set K=k`` run at every point (winner grid and
log2 masses), and the family written out as K plain primitives for small K."""
from __future__ import annotations

import json

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.errors import InputError
from priorsearch.exchange import make_exchange
from priorsearch.phase import phase_diagram, parse_axis
from priorsearch.space import programs as space_programs

from orbit_reference import _normalize, explicit_model
from paths import REPO

G_AXIS = "g=0.3:6:5:log"


def load(name, code):
    return ps.CostModel.load(REPO / "programs" / f"{name}.toml").with_options(code=code)


def names(data, grid):
    return [[data.display_name(int(r)) if r >= 0 else None for r in row] for row in np.atleast_2d(grid)]


def assert_point_equal(sweep, at, own, own_at, normalize=lambda s: s, runner_up=True):
    """The sweep's cells ``at`` (an index into the grids) equal ``own``'s cells ``own_at``:
    winner and runner-up (by name), c, t, score, margin, and every class's log2 mass.
    (Against the family written out, the runner-up may be a renaming of the winner,
    which the orbits merge: then only the winner is compared.)"""
    for key in ("winner", "runner_up") if runner_up else ("winner",):
        a = names(sweep, getattr(sweep, key)[at])
        b = [[normalize(v) if v else v for v in row] for row in names(own, getattr(own, key)[own_at])]
        assert a == b, key
    for key in ("c", "t", "score", "margin") if runner_up else ("c", "t", "score"):
        np.testing.assert_allclose(getattr(sweep, key)[at], getattr(own, key)[own_at], rtol=1e-12, atol=1e-9,
                                   err_msg=key)
    if own.log2_mass is not None:
        for j, klass in enumerate(sweep.mass_classes):
            mass = sweep.log2_mass[j][at]
            if klass in own.mass_classes:
                np.testing.assert_allclose(mass, own.log2_mass[own.mass_classes.index(klass)][own_at], atol=1e-9,
                                           rtol=0, err_msg=klass)
            else:  # a class the smaller count has none of
                assert np.all(mass == -np.inf), klass


CASES = [("counting", 7), ("rich", 5)]


@pytest.mark.parametrize("mode", ["winner", "mass"])
@pytest.mark.parametrize("code", ["flat", "prefix"])
@pytest.mark.parametrize("name,max_size", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("k_axis", ["K=1:6:6", "K=1e30:2^100:3:log"], ids=["small", "huge"])
def test_a_K_sweep_equals_separate_runs_point_by_point(name, max_size, code, mode, k_axis):
    model = load(name, code)
    sweep = phase_diagram(model, x=G_AXIS, y=k_axis, space="enumerate", max_size=max_size, mode=mode, ties=False)
    assert sweep.y.whole[0] in (1, 10 ** 30) and sweep.y.whole[-1] in (6, 2 ** 100)
    for iy, k in enumerate(sweep.y.whole):
        own = phase_diagram(model.with_params(K=k), x=G_AXIS, y="C_B=20:21:2", space="enumerate",
                            max_size=max_size, mode=mode, ties=False)
        assert_point_equal(sweep, iy, own, 0)


@pytest.mark.parametrize("code", ["flat", "prefix"])
def test_K_on_the_x_axis_against_an_exchange_and_against_a_cost_axis(code):
    model = load("counting", code)
    as_y = phase_diagram(model, x=G_AXIS, y="K=0:5:6", space="enumerate", max_size=7, mode="mass", ties=False)
    as_x = phase_diagram(model, x="K=0:5:6", y=G_AXIS, space="enumerate", max_size=7, mode="mass", ties=False)
    np.testing.assert_array_equal(as_x.winner, as_y.winner.T)
    np.testing.assert_array_equal(as_x.log2_mass, np.swapaxes(as_y.log2_mass, 1, 2))
    # both cost axes: one cost point per cell
    both = phase_diagram(model, x="K=0:5:6", y="C_B=5:40:4", space="enumerate", max_size=7, mode="mass", ties=False)
    for ix, k in enumerate(both.x.whole):
        own = phase_diagram(model.with_params(K=k), x="C_B=5:40:4", y="g=1:2:2", space="enumerate", max_size=7,
                            mode="mass", ties=False)
        assert_point_equal(both, (slice(None), ix), own, (0, slice(None)))


@pytest.mark.parametrize("code", ["flat", "prefix"])
@pytest.mark.parametrize("name,max_size", [("counting", 6), ("rich", 5)], ids=["counting", "rich"])
def test_a_K_sweep_equals_the_family_written_out(name, max_size, code):
    """K = 1..5: the reduced sweep against the explicit model (K plain primitives)."""
    model = load(name, code)
    sweep = phase_diagram(model, x=G_AXIS, y="K=1:5:5", space="enumerate", max_size=max_size, mode="mass",
                          ties=False)
    for iy, k in enumerate(sweep.y.whole):
        at_k = model.with_params(K=k)
        plain = phase_diagram(explicit_model(at_k), x=G_AXIS, y="C_B=20:21:2", space="enumerate",
                              max_size=max_size, mode="mass", ties=False)
        assert_point_equal(sweep, iy, plain, 0, normalize=lambda s: _normalize(s, at_k), runner_up=False)


def test_classes_needing_more_members_than_K_do_not_exist_there():
    model = load("counting", "prefix")
    sweep = phase_diagram(model, x="g=2:50:4:log", y="K=0:3:4", space="enumerate", max_size=7, mode="mass",
                          ties=False)
    row = sweep.y.whole.index(0)
    assert all(sweep.classes[r] == "aligned" or "misaligned" not in sweep.display_name(r)
               for r in sweep.winner[row] if r >= 0)
    assert np.all(sweep.log2_mass[sweep.mass_classes.index("deceptive"), row] == -np.inf)
    assert np.all(np.isfinite(sweep.log2_mass[sweep.mass_classes.index("deceptive"), 1:]))


def test_one_enumeration_serves_the_whole_sweep(monkeypatch):
    calls = []
    real = space_programs.enumerate_classes

    def counted(model, max_size, *args, **kwargs):
        calls.append(model.family_sizes["misaligned"])
        return real(model, max_size, *args, **kwargs)

    monkeypatch.setattr(space_programs, "enumerate_classes", counted)
    phase_diagram(load("counting", "prefix"), x=G_AXIS, y="K=1:1e30:31:log", space="enumerate", max_size=6,
                  mode="mass", ties=False)
    assert calls == [10 ** 30]


def test_count_axis_values_are_whole_and_the_ends_exact():
    model = load("counting", "prefix")
    ex = make_exchange(None, model)
    axis = parse_axis("K=1:1e30:31:log", model, ex, "--y")
    assert axis.whole == tuple(10 ** i for i in range(31)) and all(type(k) is int for k in axis.whole)
    assert axis.spec == "K=1:1e30:31:log" and parse_axis(axis.spec, model, ex).whole == axis.whole
    assert parse_axis("K=1:2^100:5:log", model, ex).whole == (1, 2 ** 25, 2 ** 50, 2 ** 75, 2 ** 100)
    # halves to even on a linear axis computed exactly: 0, 1.25, 2.5, 3.75, 5
    assert parse_axis("K=0:5:5", model, ex).whole == (0, 1, 2, 4, 5)
    assert parse_axis("K=1.4:6.6:6", model, ex).whole == (1, 2, 3, 5, 6, 7)
    assert parse_axis("K=2:10:3", model, ex).values.tolist() == [2.0, 6.0, 10.0]
    assert parse_axis("C_B=1:1e30:3:log", model, ex).whole == ()


@pytest.mark.parametrize("spec,message", [
    ("K=1:3:10", r"--y 'K=1:3:10': rounded to whole numbers \(K is the member count of family misaligned\) "
                 r"the axis repeats K = 1"),
    ("K=-2:5:8", r"--y 'K=-2:5:8': family 'misaligned': count K = -2 is not a whole number >= 0"),
    ("K=1:2^1024:3:log", r"family 'misaligned': count K = .* is above the supported 2\^1023"),
    ("K=1:inf:3", r"family 'misaligned': count K = inf is not a whole number >= 0"),
    ("K=1:nan:3", r"family 'misaligned': count K = nan is not a whole number >= 0"),
])
def test_bad_count_axes_are_one_clear_error(spec, message):
    model = load("counting", "prefix")
    with pytest.raises(InputError, match=message):
        parse_axis(spec, model, make_exchange(None, model), "--y")


def test_outputs_write_K_as_exact_whole_numbers():
    data = phase_diagram(load("counting", "prefix"), x="g=0.5:4:3:log", y="K=1:1e30:4:log", space="enumerate",
                         max_size=6, mode="mass", ties=False)
    text = data.csv_text()
    assert text == phase_diagram(load("counting", "prefix"), x="g=0.5:4:3:log", y="K=1:1e30:4:log",
                                 space="enumerate", max_size=6, mode="mass", ties=False).csv_text()
    rows = [line.split(",") for line in text.splitlines() if not line.startswith("#")]
    assert rows[0][:2] == ["g", "K"]
    assert [r[1] for r in rows[1::3]] == ["1", str(10 ** 10), str(10 ** 20), str(10 ** 30)]
    meta = json.loads(text.splitlines()[4].removeprefix("# metadata: "))
    assert meta["axes"]["y"]["values"] == [1, 10 ** 10, 10 ** 20, 10 ** 30]
    assert meta["axes"]["y"]["hi"] == 10 ** 30 and meta["model_point"]["K"] == 4
    assert meta["code"]["at_family_counts"] == {"misaligned": 10 ** 30}
    frame = data.to_dataframe()
    assert list(frame["K"])[::3] == [1, 10 ** 10, 10 ** 20, 10 ** 30]


def test_templates_on_a_K_axis_exist_where_their_members_do(tmp_path):
    """Under the prefix code a template's costs depend on K; a template naming member 3
    exists from K = 3 on: at smaller K the sweep equals a run without it."""
    model = load("counting", "prefix")
    defs = ps.parse_definitions("honest = optimize(base_obj)\nthird = combine(misaligned_3)\n"
                                "first = combine(misaligned_1)\n")
    sweep = phase_diagram(model, x=G_AXIS, y="K=1:6:6", programs=defs, mode="mass", ties=False)
    for iy, k in enumerate(sweep.y.whole):
        kept = [d for d in defs if d.name != "third" or k >= 3]
        own = phase_diagram(model.with_params(K=k), x=G_AXIS, y="C_B=20:21:2", programs=kept, mode="mass",
                            ties=False)
        assert_point_equal(sweep, iy, own, 0)
    assert "third" not in {sweep.display_name(r) for r in sweep.winner[:2].ravel() if r >= 0}


@pytest.mark.parametrize("code", ["flat", "prefix"])
@pytest.mark.parametrize("x,y", [("K=0:4:5", "C_B=2:40:4"), ("g=0.2:8:6:log", "K=0:4:5")])
def test_pruning_on_a_K_axis_keeps_every_winner_and_runner_up(code, x, y):
    """Winner mode prunes classes dominated at every point (a dominating class must also
    exist wherever the dominated one does); a custom exchange, which is not pruned,
    gives the same winners, runner-ups and margins."""
    from priorsearch.exchange import Linear, custom

    model = load("rich", code)
    g = "g=1.5:2:2" if x.startswith("K") else None
    fast = phase_diagram(model, x=x, y=y, space="enumerate", max_size=5, exchange=Linear(g=1.5) if g else None,
                         ties=False)
    slow = phase_diagram(model, x=x, y=y, space="enumerate", max_size=5, ties=False,
                         exchange=custom(lambda c, t: 1.5 * c + t) if g else None, mode="mass")
    np.testing.assert_array_equal(fast.winner, slow.winner)
    np.testing.assert_array_equal(fast.runner_up, slow.runner_up)
    np.testing.assert_allclose(fast.margin, slow.margin, rtol=1e-9)


def test_two_families_on_two_count_axes_equal_separate_runs():
    from orbit_reference import with_family

    base = load("counting", "prefix")
    model = with_family(base.with_params()._replace(parameters={**base.parameters, "K2": 3.0}), "K2", name="other")
    sweep = phase_diagram(model, x="K=0:3:4", y="K2=0:3:4", space="enumerate", max_size=6, mode="mass", ties=False)
    for iy, k2 in enumerate(sweep.y.whole):
        for ix, k in enumerate(sweep.x.whole):
            own = phase_diagram(model.with_params(K=k, K2=k2), x="g=1:2:2", y="C_B=20:21:2", space="enumerate",
                                max_size=6, mode="mass", ties=False)
            assert_point_equal(sweep, (slice(iy, iy + 1), slice(ix, ix + 1)), own, (slice(0, 1), slice(0, 1)))


# ------------------------------------------------------- kernels with per-point arrays

def test_pareto_and_select_kernels_with_a_per_point_live_mask_match_the_rule():
    """A class may exist at some cost points only (a count axis): the kernels' winner
    and runner-up equal the documented rule over the classes live at each point."""
    import reference
    from priorsearch.exchange import Linear
    from priorsearch.jit import python_twin
    from priorsearch.phase import kernels as K

    rng = np.random.default_rng(11)
    for trial in range(30):
        n, P = int(rng.integers(1, 10)), 6
        c = rng.integers(0, 6, size=(P, n)).astype(float)
        t = rng.integers(1, 6, size=(P, n)).astype(float)
        size = rng.integers(1, 4, size=n).astype(np.int64)
        live = np.ascontiguousarray(rng.random((P, n)) < 0.7)
        ex = Linear(g=float(rng.choice([0.3, 1.0, 2.0])))
        for pareto in (K.pareto_candidates, python_twin(K.pareto_candidates)):
            cand, n_cand = np.zeros((P, n), dtype=np.int64), np.empty(P, dtype=np.int64)
            pareto(c, t, size, live, cand, n_cand)
            kk = np.arange(P)[:, None]
            cc, tc = np.ascontiguousarray(c[kk, cand]), np.ascontiguousarray(t[kk, cand])
            score = np.ascontiguousarray(np.asarray(ex.score(cc, tc), dtype=float)[:, None, :])
            w, r = np.empty((P, 1), dtype=np.int64), np.empty((P, 1), dtype=np.int64)
            K.select_grid(score, cc, tc, np.ascontiguousarray(size[cand]), np.ascontiguousarray(cand), n_cand, w, r)
            full = np.asarray(ex.score(c, t), dtype=float)
            for k in range(P):
                got = tuple(int(cand[k, q[k, 0]]) if q[k, 0] >= 0 else -1 for q in (w, r))
                assert got == reference.winner_runner(list(full[k]), list(c[k]), list(t[k]), list(size), list(live[k]))


def test_mass_kernel_with_per_point_multiplicities_matches_the_pure_python_sum():
    import reference
    from priorsearch.jit import python_twin
    from priorsearch.phase import kernels as K

    rng = np.random.default_rng(12)
    n, P, X = 9, 5, 3
    bits = rng.uniform(0, 20, size=(P, X, n))
    cls = rng.integers(-1, 2, size=n).astype(np.int64)
    mult = rng.integers(1, 50, size=(P, n)).astype(float)
    log2_mult = np.where(rng.random((P, n)) < 0.3, -np.inf, np.log2(mult))  # -inf: absent at that point
    for kernel in (K.class_mass_grid, python_twin(K.class_mass_grid)):
        out = np.empty((2, P, X))
        kernel(bits, cls, np.ascontiguousarray(log2_mult), out)
        for k in range(P):
            for x in range(X):
                for klass in (0, 1):
                    rows = [i for i in range(n) if cls[i] == klass and log2_mult[k, i] > -np.inf]
                    want = reference.log2_mass(list(bits[k, x]), list(mult[k]), rows)
                    assert out[klass, k, x] == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_count_axis_ends_apart_exactly_but_one_float_are_refused():
    """2^60 and 2^60+3 are different counts but one float: no grid value or figure could
    tell them apart, so the axis is refused and the message shows the ends as typed."""
    model = ps.CostModel.load(REPO / "programs" / "counting.toml")
    with pytest.raises(InputError, match=r"LO = 2\^60 and HI = 2\^60\+3 are the same floating-point number"):
        parse_axis("K=2^60:2^60+3:4", model, make_exchange("linear"), "--y")
    axis = parse_axis("K=2^60:2^60+4096:3", model, make_exchange("linear"), "--y")
    assert axis.whole == (2**60, 2**60 + 2048, 2**60 + 4096)
