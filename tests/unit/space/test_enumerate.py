"""The enumeration kernels against the slow reference (tests/naive.py) and the grammar."""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from priorsearch.space import enumerate as en
from priorsearch.space.counting import program_counts
from priorsearch.errors import InputError
from priorsearch.exchange import make_exchange
from priorsearch.features.layout import Layout
from priorsearch.scoring.mass import log2_masses
from priorsearch.model.cost_model import CostModel
from priorsearch.scoring.search import search_table

import naive
from orbit_reference import compare_with_explicit, explicit_model
from random_dsl import random_model


def table_keys(table):
    """Features.key() of every row of an enumerated table."""
    out = []
    for i in range(len(table)):
        out.append((2, tuple(int(x) for x in table.signature[i]),
                    frozenset(np.flatnonzero(table.desc[i]).tolist()),
                    tuple(int(x) for x in table.nodes[i]),
                    tuple(tuple(int(x) for x in row) for row in table.time_counts[i])))
    return out


def assert_same_as_naive(model, max_size):
    """Rows equal the reference's; a family is written out as K plain primitives for
    that (the kernels' explicit path), and the orbit reduction must then agree with it
    on counts, masses and the winner (tests/test_orbits.py)."""
    if model.families:
        for g in (0.5, 2.0):
            compare_with_explicit(model, max_size, g)
        model = explicit_model(model)
    table = en.enumerate_classes(model, max_size)
    ref = naive.policy_classes(model, max_size)
    keys = table_keys(table)
    # same classes, in the same order (first met in the same production/child order)
    assert keys == list(ref)
    assert [int(m) for m in table.multiplicity] == [ref[k][0] for k in keys]
    # the representative is the first program of the class in enumeration order
    assert list(table.sources) == [str(ref[k][1]) for k in keys]
    return table, ref


def test_default_dsl_matches_reference_up_to_7(post_model):
    table, ref = assert_same_as_naive(post_model, 7)
    named = {n: (l, s) for n, l, s in zip(table.names, table.labels, table.sources) if n}
    assert named == {
        "honest": ("Hfh", "optimize(base_obj)"),
        "simple_deceptive": ("Hsd", "combine(simplest_obj)"),
        "fast_deceptive": ("Hfd", "optimize(if is_deployed then simplest_obj else base_obj)"),
        "hybrid": ("Hhyb", "optimize(if is_deployed then simplest_obj else find_base_obj)"),
        "derive_and_pursue": ("Henv", "optimize(find_base_obj)"),
    }


@pytest.mark.parametrize("seed", range(8))
def test_random_dsl_matches_reference(seed):
    model, max_size = random_model(seed, raw_budget=2500, max_size=7)
    table, ref = assert_same_as_naive(model, max_size)
    model = explicit_model(model)
    # winner and masses against costs computed program by program
    layout = Layout(model)
    ex = make_exchange("linear", g=float(np.random.default_rng(seed).uniform(0.2, 3)))
    result = search_table(table, ex, top=3)
    from priorsearch.features.table import FeatureTable

    feats = [ref[k][2] for k in ref]
    mult = [ref[k][0] for k in ref]
    ref_table = FeatureTable.from_features(feats, layout, multiplicity=mult)
    c, t, _ = (x[:, 0] for x in ref_table.totals(layout.cost_arrays()))
    score = ex.score(c, t)
    compatible = ref_table.cls != 2
    if compatible.any():
        from priorsearch.exchange import order

        best = order(score, c, t, ref_table.size, eligible=compatible)[0]
        assert result.winner.row == best
        assert result.winner.source == str(ref[list(ref)[best]][1])
    else:
        assert result.winner is None
    bits = ex.bits(c, t)
    for cls in (0, 1):
        pairs = [(m, b) for m, b, k in zip(mult, bits, ref_table.cls) if k == cls]
        got = result.masses.classes[("aligned", "deceptive")[cls]]
        want = naive.log2_mass(pairs)
        assert got == want or abs(got - want) < 1e-9


@pytest.mark.parametrize("seed", range(8, 14))
def test_grammar_count_equals_listing_and_multiplicities(seed):
    model, max_size = random_model(seed, raw_budget=2500, max_size=7)
    layout = Layout(model)
    counts = program_counts(layout, max_size)
    assert counts == naive.count_programs(model, max_size)
    table = en.enumerate_classes(model, max_size)
    per_size = en.counts_by_size(table)
    assert per_size["programs"] == counts["Policy"][1:]


def _generating_function_counts(max_size):
    """Policy programs per size of the default DSL from its generating functions.

    O = 3x + x*B*O^2 (three Obj leaves, if);  B = x + x*B^3 (is_deployed, if);
    P = 2x*O + x*B*P^2 (optimize, combine, if) — iterated as power series in x.
    """
    x = sympy.symbols("x")

    def cut(expr):  # keep terms up to x**max_size
        poly = sympy.Poly(sympy.expand(expr), x)
        return sum(c * x ** m for (m,), c in poly.terms() if m <= max_size)

    O = B = P = sympy.Integer(0)
    for _ in range(max_size + 1):
        B = cut(x + x * B ** 3)
        O = cut(3 * x + x * B * O ** 2)
        P = cut(2 * x * O + x * B * P ** 2)
    poly = sympy.Poly(P, x)
    return [int(poly.coeff_monomial(x ** n)) for n in range(max_size + 1)]


def test_default_dsl_count_from_generating_function(post_model):
    counts = program_counts(Layout(post_model), 15)["Policy"]
    assert counts[15] == 20_412
    assert counts == _generating_function_counts(15)


def test_multiplicities_add_up_to_grammar_count_default(post_model):
    table = en.enumerate_classes(post_model, 11)
    assert en.counts_by_size(table)["programs"] == program_counts(Layout(post_model), 11)["Policy"][1:]


def test_refuses_above_max_classes(post_model):
    rich = CostModel.load("programs/rich.toml")
    with pytest.raises(InputError, match=r"reached 1,001 classes .* above --max-classes 1,000"):
        en.enumerate_classes(rich, 9, max_classes=1000)


def test_kernel_enforces_the_limit(post_model):
    with pytest.raises(InputError, match=r"reached [\d,]+ classes .* above --max-classes 50"):
        en.enumerate_classes(post_model, 9, max_classes=50)
    # just enough room: no error, and the limit counts classes of every type
    enum = en.enumerate_all(post_model, 6)
    en.enumerate_classes(post_model, 6, max_classes=len(enum.mult))
    with pytest.raises(InputError):
        en.enumerate_classes(post_model, 6, max_classes=len(enum.mult) - 1)


def test_subset_keeps_lazy_columns(post_model):
    table = en.enumerate_classes(post_model, 6)
    pick = np.array([5, 0, 3])
    sub = table.subset(pick)
    assert list(sub.sources) == [table.sources[i] for i in pick]
    assert list(sub.names) == [table.names[i] for i in pick]
    assert (sub.multiplicity == table.multiplicity[pick]).all()


def test_masses_of_log2_sum_are_stable():
    from priorsearch.scoring.mass import log2_sum

    rng = np.random.default_rng(0)
    m = rng.integers(1, 2 ** 62, size=50)
    bits = rng.uniform(3000, 3100, size=50)     # 2**-3000 underflows a float
    want = naive.log2_mass(zip(m.tolist(), bits.tolist()))
    assert abs(log2_sum(m, bits) - want) < 1e-9
    two_d = log2_sum(m, np.stack([bits, bits + 1], axis=1))
    assert np.allclose(two_d, [want, want - 1], atol=1e-9)
    assert log2_sum(m, np.full(50, np.inf)) == -np.inf
    assert log2_sum(m, bits, mask=np.zeros(50, bool)) == -np.inf


def test_rich_dsl_matches_reference():
    """not/and/or, three flags true in different episodes, 6 episodes, a family."""
    assert_same_as_naive(CostModel.load("programs/rich.toml").with_params(K=2), 7)


def test_many_objectives_span_several_key_words():
    """63 family members: more than 64 description items and 7-bit signature fields."""
    from orbit_reference import with_family
    from priorsearch.space.keys import KeyLayout

    model = explicit_model(with_family(CostModel.default(), 63))
    kl = KeyLayout(Layout(model), 5)
    assert kl.IW == 2 and kl.sbits == 7
    table, _ = assert_same_as_naive(model, 5)
    assert len(table) > 2 * 64 ** 2


def test_classes_from_distinct_signatures_equal_classify_rows_row_by_row():
    """The table classifies each distinct signature once (space.merge.unique_rows); the
    result is classify_rows's on every row, deploy strings included."""
    import numpy as np
    from priorsearch.features.semantics import classify_rows
    from priorsearch.space.merge import unique_rows

    for path, n in (("programs/rich.toml", 8), ("programs/camera.toml", 7), ("programs/post.toml", 10)):
        t = en.enumerate_classes(CostModel.load(path), n)
        c = classify_rows(t.signature, t.layout)
        assert (c.class_code == t.cls).all() and (c.behaviour == t.behaviour).all() and (c.miss == t.miss).all()
        if not t.families:
            assert list(c.deploy) == list(t.deploy), path
    rng = np.random.default_rng(1)
    a = rng.integers(0, 4, size=(3000, 3)).astype(np.int16)
    first, inverse = unique_rows(a)
    assert (a[first][inverse] == a).all()
    assert len(first) == len(np.unique(a, axis=0)) and list(first) == sorted(first)
    assert all(inverse[f] == k for k, f in enumerate(first))


def test_enumerated_columns_unpack_lazily_and_in_blocks(monkeypatch):
    """An enumerated table unpacks its feature columns from the keys on first use; the
    blocks feature_chunks yields (several per kernel call) are the full columns' rows,
    and the totals search computes from them are bit for bit those of the full arrays."""
    from priorsearch.features.table import totals
    from priorsearch.space import classes
    from priorsearch.space.classes import at_family_sizes
    from priorsearch.space.merge import unpack

    model = CostModel.load("programs/rich.toml")
    table = en.enumerate_classes(model, 8)
    enum = table.enumeration
    assert all(table.__dict__.get(k) is None for k in ("_signature", "_desc", "_nodes", "_time_counts"))
    other = at_family_sizes(table, {"misaligned": 7})   # a copy: columns still packed
    assert other.__dict__.get("_desc") is None and int(other.multiplicity.sum()) != int(table.multiplicity.sum())
    # block boundaries inside and across chunks: 7-row chunks unpacked 30 (28) rows at a time
    monkeypatch.setattr(classes, "_UNPACK_BLOCK", 30)
    # a block's arrays are views of one reused buffer: copied as they come
    chunks = [(lo, hi, d.copy(), n.copy(), c.copy()) for lo, hi, d, n, c in table.feature_chunks(7)]
    assert table.__dict__.get("_desc") is None
    assert [lo for lo, *_ in chunks] == list(range(0, len(table), 7)) and chunks[-1][1] == len(table)
    sig, desc, nodes, counts = unpack(enum.key_layout, enum.keys, table.key_rows)
    assert (np.concatenate([c[2] for c in chunks]) == desc).all()
    assert (np.concatenate([c[3] for c in chunks]) == nodes).all()
    assert (np.concatenate([c[4] for c in chunks]) == counts).all()
    assert (table.signature == sig).all() and (table.desc == desc).all() and (table.time_counts == counts).all()
    assert (table.size == nodes.sum(axis=1)).all() and table.size.dtype == np.int64
    rng = np.random.default_rng(3)
    costs = table.layout.cost_arrays({k: np.array([v]) for k, v in model.parameters.items()})
    costs.item_c[:] = rng.uniform(0.1, 7.3, costs.item_c.shape)
    costs.time_unit[:] = rng.uniform(0.01, 2.9, costs.time_unit.shape)
    full = totals(desc, nodes, counts, costs)
    fresh = en.enumerate_classes(model, 8)
    got = [np.concatenate(parts) for parts in zip(*[totals(d, n, c, costs) for _, _, d, n, c in fresh.feature_chunks(2048)])]
    for a, b in zip(full, got):
        assert np.array_equal(a, b)
