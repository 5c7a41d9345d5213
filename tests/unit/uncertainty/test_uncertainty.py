"""What ``ps.uncertainty`` must show: exact probabilities, Sobol indices, structural draws."""
import math

import numpy as np
import pytest

import priorsearch as ps
from paths import REPO
from priorsearch.errors import InputError
from priorsearch.uncertainty.structure import allocate

G_STAR = 30 / 16  # the worked example's Hfh/Hsd tie (DESIGN 2.3)


def _exact_loguniform_tail(lo, hi, x):
    return (math.log(hi) - math.log(x)) / (math.log(hi) - math.log(lo))


@pytest.mark.parametrize("sampler", ["random", "sobol", "lhs"])
def test_only_g_uncertain_gives_the_exact_probability_of_g_above_g_star(sampler):
    exact = _exact_loguniform_tail(0.01, 100, G_STAR)
    assert abs(exact - 0.43175) < 5e-6
    n = 40_000
    r = ps.uncertainty(dists={"g": "loguniform(0.01, 100)"}, draws=n, seed=5, sampler=sampler, sobol_n=0)
    p, lo, hi = r.p_deceptive()
    se = math.sqrt(exact * (1 - exact) / n)
    assert abs(p - exact) < 4 * se
    assert lo <= exact <= hi
    assert r.winners()["simple_deceptive"] == p
    # P(deceptive | g) is 0 in bins below g* and 1 in bins above it
    for b in r.by_parameter():
        if b["hi"] < G_STAR:
            assert b["p"] == 0.0
        if b["lo"] > G_STAR:
            assert b["p"] == 1.0


def test_only_c_b_uncertain_at_g_1_gives_66_over_99_and_sobol_picks_c_b():
    # Hsd wins iff C_B > 34 at g = 1; C_D only moves Hfd, which never wins
    r = ps.uncertainty(dists={"C_B": "uniform(1, 100)", "C_D": "uniform(0, 50)"}, params={"g": 1},
                       draws=20_000, seed=2)
    assert abs(r.p_deceptive()[0] - 66 / 99) < 0.01
    assert abs(r.sobol["C_D"]["ST"]) < 0.02 and abs(r.sobol["C_D"]["S1"]) < 0.02
    assert r.sobol["C_B"]["ST"] > 0.95 and r.sobol["C_B"]["S1"] > 0.9
    lo, hi = r.sobol["C_B"]["ST_ci"]
    assert lo <= r.sobol["C_B"]["ST"] <= hi
    assert set(r.sobol_mass_share) == {"C_B", "C_D"}


def test_mass_share_per_draw_equals_a_direct_log_sum_over_the_templates():
    import reference

    r = ps.uncertainty(dists={"g": "choice(0.5, 2, 8)"}, draws=30, seed=1, sobol_n=0)
    progs = ps.rank(g=1).programs
    c = [p.c for p in progs]
    t = [p.t for p in progs]
    deceptive = [p.cls == "deceptive" for p in progs]
    for j in range(30):
        g = r.values[j, 0]
        bits = [ci + ti / g for ci, ti in zip(c, t)]  # linear bits: c + t/g
        a = reference.log2_mass(bits, [1] * len(c), [i for i, d in enumerate(deceptive) if not d])
        d = reference.log2_mass(bits, [1] * len(c), [i for i, d in enumerate(deceptive) if d])
        assert math.isclose(r.share[j], 1 / (1 + 2.0 ** (a - d)), rel_tol=1e-12)


def test_structural_draw_over_two_model_files_weights_the_deterministic_runs(tmp_path):
    text = (REPO / "programs" / "post.toml").read_text()
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(text)  # C_B = 20: Hfh wins at g = 1
    b.write_text(text.replace("C_B    = { value = 20", "C_B    = { value = 50", 1) if "C_B    = { value = 20" in text
                 else text.replace("C_B = 20", "C_B = 50", 1))
    assert ps.rank(model=ps.CostModel.load(b), g=1).winner.name == "simple_deceptive"
    assert ps.rank(model=ps.CostModel.load(a), g=1).winner.name == "honest"
    r = ps.uncertainty(None, structure={"models": ([str(a), str(b)], [1, 3])}, params={"g": 1}, draws=1000)
    assert r.p_deceptive()[0] == 0.75
    assert r.winners() == {"simple_deceptive": 0.75, "honest": 0.25}


def test_structural_draw_over_k_weights_the_two_enumerations():
    path = REPO / "programs" / "counting.toml"
    r = ps.uncertainty(path, structure={"K": ([1, 16], [1, 3])}, draws=400, space="enumerate", max_size=7)
    expected = 0.0
    for K, w in ((1, 0.25), (16, 0.75)):
        s = ps.search(model=ps.CostModel.load(path).with_params(K=K), max_size=7)
        a, d = s.masses.classes["aligned"], s.masses.classes["deceptive"]
        expected += w * (1 / (1 + 2.0 ** (a - d)))
        assert (r.share[r.structure == (0 if K == 1 else 1)] == r.share[r.structure == (0 if K == 1 else 1)][0]).all()
    assert math.isclose(r.mass_share()["mean"], expected, rel_tol=1e-12)
    assert r.p_deceptive()[0] == 0.0  # Hfh wins both enumerations at the model's costs


def test_largest_remainder_allocation():
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(1000, [1, 3]) == [250, 750]
    assert sum(allocate(7, [0.1, 0.2, 0.7])) == 7


def test_result_is_deterministic_by_seed_and_has_the_fixed_keys():
    kw = dict(dists={"C_B": "loguniform(1, 1000)", "g": "loguniform(0.01, 100)"}, draws=3000, seed=9)
    r1, r2 = ps.uncertainty(**kw), ps.uncertainty(**kw)
    assert r1.json_text() == r2.json_text() and r1.csv_text() == r2.csv_text()
    assert ps.uncertainty(**{**kw, "seed": 10}).json_text() != r1.json_text()
    data = r1.to_json()
    for key in ("draws", "seed", "sampler", "winners", "deceptive", "deceptive_mass_share", "sobol"):
        assert key in data
    assert set(data["deceptive"]) == {"p", "ci95"}
    assert set(data["deceptive_mass_share"]) == {"mean", "q05", "q50", "q95"}
    assert set(data["sobol"]["g"]) == {"S1", "S1_ci", "ST", "ST_ci"}
    df = r1.to_dataframe()
    assert len(df) == 3000 and list(df.columns[:3]) == ["draw", "C_B", "g"]
    assert (df["deceptive"].to_numpy() == r1.deceptive).all()


def test_correlated_draws_keep_rank_correlation():
    from scipy import stats

    r = ps.uncertainty(dists={"C_B": "loguniform(1, 1000)", "T_F": "uniform(0, 50)"},
                       correlations={("C_B", "T_F"): 0.7}, draws=5000, seed=4, sobol_n=0)
    assert abs(stats.spearmanr(r.values[:, 0], r.values[:, 1]).statistic - 0.7) < 0.03


@pytest.mark.parametrize("kw, message", [
    ({"dists": {"C_X": "uniform(1, 2)"}}, r"no parameter 'C_X'"),
    ({"dists": {"lambda": "uniform(1, 2)"}}, r"linear exchange has no parameter 'lambda'"),
    ({"dists": {"C_B": "uniform(1, 2)"}, "params": {"C_B": 3}}, r"C_B has a distribution and a fixed value"),
    ({"draws": 0}, r"--draws must be a whole number >= 1"),
    ({"draws": 10**12}, r"--draws 1,000,000,000,000 needs about .* GiB"),
    ({"sampler": "halton"}, r"unknown sampler 'halton'"),
    ({"sobol_n": 100, "dists": {"C_B": "uniform(1, 2)"}}, r"--sobol-n must be a power of 2"),
    ({"structure": {"Q": [1, 2]}}, r"structure Q: no parameter 'Q'"),
    ({"structure": {"exclude": ["", "is_deployd"]}}, r"no primitive or episode 'is_deployd' \(did you mean 'is_deployed'\?\)"),
])
def test_bad_arguments_are_input_errors(kw, message):
    with pytest.raises(InputError, match=message):
        ps.uncertainty(**kw)


def test_plot_uncertainty_draws_band_and_sobol_bars():
    import matplotlib.pyplot as plt

    r = ps.uncertainty(dists={"g": "loguniform(0.01, 100)", "C_B": "uniform(10, 30)"}, draws=2000, seed=1)
    fig = ps.plot_uncertainty(r)
    try:
        left, right = fig.axes[:2]
        assert left.get_xscale() == "log" and len(right.patches) == 2
    finally:
        plt.close(fig)


def test_sobol_under_structural_uncertainty_names_the_structure(tmp_path):
    # two model files where only the file decides the winner (C_B 20: Hfh, 50: Hsd at
    # g = 1); C_D moves only Hfd, which never wins
    text = (REPO / "programs" / "post.toml").read_text()
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(text)
    b.write_text(text.replace("C_B    = { value = 20", "C_B    = { value = 50", 1))
    r = ps.uncertainty(None, {"C_D": "uniform(0, 50)"}, structure={"models": ([str(a), str(b)], [1, 3])},
                       params={"g": 1}, draws=4000, seed=3)
    assert set(r.sobol) == {"C_D", "models"}
    assert r.sobol["models"]["ST"] > 0.95 and r.sobol["models"]["S1"] > 0.9
    assert abs(r.sobol["C_D"]["ST"]) < 0.02 and abs(r.sobol["C_D"]["S1"]) < 0.02
    assert r.metadata["sobol_inputs"] == ["C_D", "models"]
    assert "models" in r.summary()


def test_structural_sobol_inputs_map_by_cumulative_weight():
    from priorsearch.uncertainty.sobol import structural_alternative

    u = np.array([[0.1, 0.1], [0.3, 0.9], [0.5, 0.2], [0.99, 0.6]])
    # dims: weights (1, 3) then (1, 1); alternatives in product order, the last fastest
    assert structural_alternative(u, [[1, 3], [1, 1]]).tolist() == [0, 3, 2, 3]
    rng = np.random.default_rng(0)
    picks = structural_alternative(rng.random((40_000, 1)), [[1, 3]])
    assert abs(picks.mean() - 0.75) < 0.01


def test_sobol_over_a_structural_choice_and_a_parameter_together():
    # without combine no deceptive program can be written; with it Hsd wins iff C_B > 34
    # (g = 1, C_ptr = 100 so that Henv does not win): both inputs matter, and they interact
    r = ps.uncertainty(None, {"C_B": "uniform(1, 100)"}, structure={"exclude": ["", "combine"]},
                       params={"g": 1, "C_ptr": 100}, space="enumerate", max_size=7, draws=2000, seed=1,
                       sobol_n=1024)
    assert set(r.sobol) == {"C_B", "exclude"}
    # y = [combine kept] * [C_B > 34]: Var y = 2/9, ST(exclude) = (2/3)(1/4) / (2/9) = 3/4,
    # ST(C_B) = (1/2)(2/9) / (2/9) = 1/2
    assert abs(r.sobol["exclude"]["ST"] - 0.75) < 0.08 and abs(r.sobol["C_B"]["ST"] - 0.5) < 0.08
    assert abs(r.p_deceptive()[0] - 0.5 * 66 / 99) < 0.03


def test_class_probabilities_add_the_winners_of_each_class():
    r = ps.uncertainty(REPO / "programs" / "camera.toml", {"g": "loguniform(0.1, 10)", "C_B": "loguniform(1, 1000)"},
                       space="enumerate", max_size=7, draws=3000, seed=2, sobol_n=0)
    by_class = r.class_winners()
    assert math.isclose(sum(by_class.values()), 1.0)
    for klass, p in by_class.items():
        assert math.isclose(p, sum(v for k, v in r.winners().items() if r.classes[r.names.index(k)] == klass))
    assert by_class.get("proxy", 0) > 0 and by_class.get("deceptive", 0) == r.p_deceptive()[0]
    assert "winning class: " in r.summary()


@pytest.mark.parametrize("space", ["templates", "enumerate"])
def test_a_distribution_on_a_familys_count_points_at_the_structure(space):
    # one enumeration serves every draw only while the space is fixed: K changes the
    # members and multiplicities, so it is a structural choice (each value enumerated)
    path = REPO / "programs" / "counting.toml"
    with pytest.raises(InputError, match=r"--dist K: K is the member count of the family 'misaligned', so the "
                                         r"program space depends on it; draw it as a structural choice: "
                                         r"--structure K=V1,V2,\.\.\. "):
        ps.uncertainty(path, {"K": "choice(1, 16)"}, space=space, max_size=5, draws=10)
