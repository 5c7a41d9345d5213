"""priorsearch.jit (issue 12, Deliver 4): the Python twins of the kernels give the
compiled kernels' very results, small sweeps skip compilation with byte-identical
outputs, and ufuncs are built only when used."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import priorsearch as ps
import priorsearch.jit as jit
from paths import REPO
from priorsearch.exchange import ties
from priorsearch.exchange.linear import linear_bits, linear_score
from priorsearch.jit import python_twin
from priorsearch.phase import kernels


def _near_ties(rng, shape):
    # values on a coarse lattice plus rounding-size noise: ties, near ties and clear wins
    base = rng.integers(0, 4, size=shape).astype(float)
    return base + rng.choice([0.0, 1e-12, -1e-12, 1e-6], size=shape)


@pytest.mark.parametrize("seed", range(4))
def test_select_grid_twin_equals_kernel(seed):
    rng = np.random.default_rng(seed)
    K, X, m = 7, 5, 6
    score, c, t = _near_ties(rng, (K, X, m)), _near_ties(rng, (K, m)), _near_ties(rng, (K, m))
    score[rng.random(score.shape) < 0.1] = np.inf
    size = rng.integers(1, 4, size=(K, m)).astype(np.int64)
    index = np.tile(np.arange(m, dtype=np.int64), (K, 1))
    n_cand = rng.integers(0, m + 1, size=K).astype(np.int64)
    outs = []
    for f in (kernels.select_grid, python_twin(kernels.select_grid)):
        w, r = np.empty((K, X), np.int64), np.empty((K, X), np.int64)
        f(score, c, t, size, index, n_cand, w, r)
        outs.append((w, r))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])


@pytest.mark.parametrize("seed", range(3))
def test_totals_and_pruning_twins_equal_kernels(seed):
    rng = np.random.default_rng(seed)
    n, I, T, G, E, K = 9, 5, 3, 4, 3, 6
    desc = rng.integers(0, 2, size=(n, I)).astype(np.uint8)
    nodes = rng.integers(0, 3, size=(n, T)).astype(np.int64)
    counts = rng.integers(0, 3, size=(n, G, E)).astype(np.int64)
    item_c, node_c = rng.random((K, I)) * 10, rng.random((K, T))
    time_unit, train_w = rng.random((K, G, E)) * 7, rng.random((K, E))
    for use_max in (False, True):
        res = []
        for f in (kernels.class_totals, python_twin(kernels.class_totals)):
            c, t = np.empty((K, n)), np.empty((K, n))
            f(desc, nodes, counts, item_c, node_c, time_unit, train_w, use_max, c, t)
            res.append((c, t))
        assert res[0][0].tobytes() == res[1][0].tobytes() and res[0][1].tobytes() == res[1][1].tobytes()
    c, t = _near_ties(rng, (K, n)), _near_ties(rng, (K, n))
    size = rng.integers(1, 4, size=n).astype(np.int64)
    compatible = rng.random(n) < 0.8
    res = []
    for f in (kernels.pareto_candidates, python_twin(kernels.pareto_candidates)):
        cand, n_cand = np.zeros((K, n), np.int64), np.empty(K, np.int64)
        f(c, t, size, np.ascontiguousarray(np.broadcast_to(compatible, (K, n))), cand, n_cand)
        res.append((cand, n_cand))
    np.testing.assert_array_equal(res[0][0], res[1][0])
    np.testing.assert_array_equal(res[0][1], res[1][1])
    feats = rng.integers(0, 3, size=(n, 4)).astype(np.int64)
    np.testing.assert_array_equal(kernels.static_keep(feats, size, compatible),
                                  python_twin(kernels.static_keep)(feats, size, compatible))


@pytest.mark.parametrize("seed", range(3))
def test_order_twin_equals_kernel(seed):
    rng = np.random.default_rng(seed)
    n = 40
    score, c, t = _near_ties(rng, n), _near_ties(rng, n), _near_ties(rng, n)
    size = rng.integers(1, 5, size=n).astype(np.int64)
    eligible = rng.random(n) < 0.7
    np.testing.assert_array_equal(ties._order(score, c, t, size, eligible),
                                  python_twin(ties._order)(score, c, t, size, eligible))


def test_linear_ufunc_small_path_gives_the_compiled_bits():
    rng = np.random.default_rng(1)
    c, t, g = rng.random(1000) * 300, rng.random(1000) * 200, rng.random(1000) * 50
    for f in (linear_score, linear_bits):
        assert f(c, t, g).tobytes() == f.ufunc(c, t, g).tobytes()


def test_small_sweeps_skip_compilation_with_identical_outputs(monkeypatch):
    """The same diagrams through the Python twins (small) and the compiled kernels."""
    cases = [dict(), dict(x="T_F=0:60:31", y="C_B=1:60:30"),
             dict(space="enumerate", max_size=5, x="g=0.1:10:9:log", y="C_B=1:40:7")]
    small = [ps.phase_diagram(**kw).csv_text() for kw in cases]
    monkeypatch.setattr(jit, "SMALL_WORK", -1)  # everything through the compiled kernels
    compiled = [ps.phase_diagram(**kw).csv_text() for kw in cases]
    assert small == compiled
    assert ps.rank(g=1.5).to_json() == ps.rank(g=1.5).to_json()


def test_ufuncs_are_built_only_when_used():
    code = ("import priorsearch as ps\n"
            "from priorsearch.exchange import levin, power, cap, linear\n"
            "assert all(f._ufunc is None for f in (levin.levin_score, power.power_score, cap.cap_score, linear.linear_score))\n"
            "ps.rank(g=1)\n"
            "ps.phase_diagram(x='g=0.01:100:51:log', y='C_B=0:40:41')\n"
            "assert all(f._ufunc is None for f in (levin.levin_score, power.power_score, cap.cap_score))\n"
            "assert linear.linear_score._ufunc is None  # small: NumPy, no Numba\n"
            "import numba.core.registry as r\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_compiling_holds_ctrl_c_until_the_build_ends():
    """A Ctrl-C during a Numba build is delivered after it, not lost in a C callback."""
    import os
    import signal
    import time

    from priorsearch.jit import compiling

    done = []

    def build():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the signal arrives here, inside the build
        done.append(True)
        return 7

    with pytest.raises(KeyboardInterrupt):
        compiling(build)
    assert done == [True]
    assert compiling(lambda: 5) == 5
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
