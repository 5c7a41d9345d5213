"""The orbit reduction of families against families written out as K plain primitives.

For K = 1..6 and sizes up to 9, on the post's model plus a family and on
programs/rich.toml: per-size program counts, compatible/aligned/deceptive counts, log2
masses (to 1e-9, classes and deployment objectives grouped per family) and the winner
equal those of the explicit enumeration.  Per-size counts equal the counting recurrence
(a polynomial in K) exactly at K = 2^100, and the classes do not depend on K.
"""
from __future__ import annotations

import json
import math
import re
from fractions import Fraction

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.exchange import make_exchange
from priorsearch.scoring.search import search_table
from priorsearch.space import enumerate as en
from priorsearch.space.counting import model_program_counts
from priorsearch.space.orbits import falling, log2_falling, member_maps

from orbit_reference import compare_with_explicit as _compare, explicit_model, with_family

RICH = "programs/rich.toml"


def _post_family(K):
    return with_family(ps.CostModel.default().with_params(C_ptr=20), K)


def _rich(K):
    return ps.CostModel.load(RICH).with_params(K=K)


@pytest.mark.parametrize("K", range(1, 7))
def test_post_plus_family_equals_explicit(K):
    for g in (0.5, 1.0, 1.9):
        _compare(_post_family(K), 9, g)


@pytest.mark.parametrize("K", range(1, 7))
def test_rich_equals_explicit(K):
    size = 9 if K <= 3 else 8
    reduced, explicit = _compare(_rich(K), size, 1.0)
    assert len(reduced) < len(explicit) or K == 1


def test_rich_size_9_at_K_6_equals_explicit():
    _compare(_rich(6), 9, 2.0)


def test_prefix_code_and_per_objective_components_equal_explicit():
    # counting.toml: a prefix code (log2 of the productions per type, counting all K)
    base = ps.CostModel.load("programs/counting.toml")
    for K in (1, 3, 5):
        _compare(base.with_params(K=K), 8, 1.0)
    # nonfactorable.toml has a per-objective component; give it a family
    nf = ps.CostModel.load("programs/nonfactorable.toml")
    for K in (1, 2, 4):
        _compare(with_family(nf, K, c="C_S" if "C_S" in nf.parameters else "1"), 7, 1.0)


def test_two_families_and_a_flag_family_equal_explicit():
    model = with_family(_post_family(2), 3, name="other", c="C_D")
    _compare(model, 7, 1.0)
    flags = with_family(ps.CostModel.default(), 3, name="check", c="C_D", type="Bool", kind="flag",
                        objective=None, true_in=("deploy",))
    _compare(flags, 8, 1.0)


def test_counts_equal_the_recurrence_polynomial_in_K_exactly_at_2_to_100():
    for model in (_post_family(2 ** 100), _rich(2 ** 100)):
        size = 9 if model.name != "rich" else 8
        table = en.enumerate_classes(model, size)
        assert en.counts_by_size(table)["programs"] == model_program_counts(model, size)["Policy"][1:]
    # the recurrence is a polynomial in K: at K = 16 it counts the explicit space
    rich16 = _rich(16)
    assert model_program_counts(rich16, 7)["Policy"] == \
        ps.space.program_counts(ps.Layout(explicit_model(rich16)), 7)["Policy"]


def test_classes_do_not_depend_on_K():
    for make, size in ((_post_family, 9), (_rich, 8)):
        ten = en.enumerate_classes(make(10), size)
        huge = en.enumerate_classes(make(2 ** 100), size)
        assert len(ten) == len(huge)
        assert len(ten.enumeration.mult) == len(huge.enumeration.mult)
        assert list(ten.sources) == list(huge.sources)
        # multiplicities are falling factorials of K times the same pattern counts
        assert np.array_equal(ten.pattern_count, huge.pattern_count)
        K = 2 ** 100
        for m, n, exact in zip(huge.pattern[:, 0], huge.pattern_count, huge.multiplicity):
            assert exact == falling(K, int(m)) * int(n)


def test_multiplicities_are_exact_ints_and_log2_is_stable():
    K = 2 ** 1000
    table = en.enumerate_classes(_post_family(K), 6)
    assert all(isinstance(m, int) for m in table.multiplicity)
    for m, lm in zip(table.multiplicity, table.log2_multiplicity):
        assert lm == pytest.approx(math.log2(m), abs=1e-9)
    assert log2_falling(2 ** 100, 3) == pytest.approx(300.0, abs=1e-12)
    assert log2_falling(2, 3) == -math.inf and falling(2, 3) == 0


def test_member_maps_count_set_partitions_with_order():
    # an argument with m slots joins s seen slots: sum over j of C(m, j) * s!/(s-j)!
    for m in range(4):
        for s in range(4):
            want = sum(math.comb(m, j) * math.perm(s, j) for j in range(min(m, s) + 1))
            assert len(member_maps(m, s, 10)) == want
    assert member_maps(2, 1, 2) == [(0, 1), (1, 0)]


def test_json_and_text_print_exact_counts(cli):
    import json

    r = cli("search", "--model", RICH, "--max-size", "5", "--set", "K=2^100", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    K = 2 ** 100
    assert data["counts"]["programs"] == model_program_counts(_rich(K), 5)["Policy"][1:]
    assert data["programs"] == sum(model_program_counts(_rich(K), 5)["Policy"])
    text = cli("search", "--model", RICH, "--max-size", "5", "--set", "K=1e30").out
    assert f"{sum(model_program_counts(_rich(10 ** 30), 5)['Policy']):,}" in text


def test_k_from_the_command_line_is_exact():
    from priorsearch.lang.numbers import parse_number

    assert parse_number("1e30", "K") == 10 ** 30
    assert parse_number("2^100", "K") == 2 ** 100
    assert parse_number("3/4", "x") == Fraction(3, 4)
    assert parse_number("1_000", "x") == 1000 and parse_number("-2.5", "x") == Fraction(-5, 2)
    # a huge exponent stays a float (no 330-million-bit denominator)
    assert parse_number("1e-99999999", "x") == 0.0
    model = _rich(parse_number("1e30", "K"))
    assert model.family_sizes["misaligned"] == 10 ** 30


@pytest.mark.parametrize("size", [24, 28])
def test_large_default_searches_run_with_default_flags(cli, size):
    """The class-growth estimate refused these (it erred high 300-1000x); there is no
    pre-size refusal now, only the kernel's hard stop and the memory budget."""
    r = cli("search", "--max-size", size, "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["programs"] == sum(ps.space.program_counts(ps.Layout(ps.CostModel.default()), size)["Policy"])
    assert data["winner"]["source"] == "optimize(find_base_obj)"


def test_outputs_show_each_orbit_once_grouped_per_family(cli):
    r = cli("search", "--model", RICH, "--max-size", "6", "--g", "3", "--set", "K=1000", "--set", "C_ptr=20", "--set", "C_mis=0.5", "--json")
    data = json.loads(r.out)
    K = 1000
    assert data["winner"]["source"] == "combine(misaligned_i)"
    assert data["winner"]["multiplicity"] == K and data["winner"]["members"] == {"misaligned": 1}
    sources = [row["source"] for row in data["top"]]
    assert len(sources) == len(set(sources)) and not any(re.search(r"misaligned_\d", s) for s in sources)
    assert [k for k in data["masses"]["deploy"] if "misaligned" in k] and \
        not any(re.search(r"misaligned_\d", k) for k in data["masses"]["deploy"])
    share = 2 ** (data["masses"]["classes"]["deceptive"] - data["masses"]["classes"]["compatible"])
    assert data["deceptive_share"] == pytest.approx(share)
    text = cli("search", "--model", RICH, "--max-size", "6", "--g", "3", "--set", "K=1000", "--set", "C_ptr=20", "--set", "C_mis=0.5").out
    assert "misaligned_* (1,000 members)" in text
    assert f"deceptive share of the compatible mass: {share:.6g}" in text


def test_natural_order_of_objectives():
    from priorsearch.space.classes import natural_key

    names = ["misaligned_10", "misaligned_2", "misaligned_1", "base"]
    assert sorted(names, key=natural_key) == ["base", "misaligned_1", "misaligned_2", "misaligned_10"]


def test_huge_counts_run_through_search_and_phase(cli):
    """K = 2^1000: multiplicities beyond the float range stay exact ints (JSON) and the
    phase sweep uses their stable log2."""
    r = cli("search", "--model", RICH, "--max-size", "5", "--set", "K=2^1000", "--code", "prefix", "--json")
    assert r.status == 0, r.err
    data = json.loads(r.out)
    assert data["programs"] == sum(model_program_counts(_rich(2 ** 1000), 5)["Policy"])
    assert data["families"] == {"misaligned": 2 ** 1000}
    r = cli("phase", "--model", RICH, "--space", "enumerate", "--max-size", "5", "--set", "K=2^1000",
            "--mode", "mass", "--x", "g=0.5:3:3", "--y", "C_B=10:30:3", "--out", "none", "--data", "none")
    assert r.status == 0, r.err


def test_one_enumeration_serves_every_K():
    """Multiplicities and prefix-code costs at many K from one enumeration equal
    enumerating at each K (the groundwork of a K axis)."""
    from priorsearch.space.classes import log2_multiplicity_at

    base = ps.CostModel.load("programs/counting.toml")
    Ks = [1, 2, 3, 7, 1000, 2 ** 100]
    big = en.enumerate_classes(base.with_params(K=max(Ks)), 7)
    grid = log2_multiplicity_at(big, {"misaligned": Ks})
    costs = big.layout.cost_arrays({"K": np.array([float(k) for k in Ks])})
    c_grid, _, _ = big.totals(costs)
    for j, K in enumerate(Ks):
        own = en.enumerate_classes(base.with_params(K=K), 7)
        live = grid[:, j] > -np.inf
        assert live.sum() == len(own)
        # same classes (texts) with the same log2 multiplicities and c, in the same order
        assert [big.sources[i] for i in np.flatnonzero(live)] == list(own.sources)
        assert np.allclose(grid[live, j], own.log2_multiplicity, atol=1e-9)
        c_own, _, _ = own.totals(own.layout.cost_arrays())
        assert np.allclose(c_grid[live, j], c_own[:, 0], atol=1e-9)
