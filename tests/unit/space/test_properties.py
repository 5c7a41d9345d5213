"""Property-based tests (hypothesis) over random programs, cost models and DSLs.

Generators live in tests/strategies.py.  Every test is derandomized, so CI runs the same
examples every time.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies as S
from priorsearch.lang.dsl import Call, Definition, If, parse_definitions, parse_program
from priorsearch.exchange import TIE_RTOL, Linear
from priorsearch.model.cost_model import Episode, Primitive
from priorsearch.model.toml_format import dump_model, loads_model
from priorsearch.lang.expr import parse_expr
from priorsearch.scoring.rank import rank
from priorsearch.lang.typecheck import check

FAST = settings(max_examples=100, deadline=None, derandomize=True)
SLOW = settings(max_examples=60, deadline=None, derandomize=True)


def _defs(programs, prefix="p"):
    return [Definition(f"{prefix}{i}", p) for i, p in enumerate(programs)]


def _scores(ranking):
    return {p.name: p.score for p in ranking.programs}


# ------------------------------------------------------------------- round trips

@FAST
@given(S.syntactic_programs())
def test_print_then_parse_gives_the_same_tree(program):
    assert parse_program(str(program)) == program


@FAST
@given(st.lists(S.syntactic_programs(max_leaves=6), min_size=1, max_size=4))
def test_definition_files_round_trip(programs):
    text = "".join(f"# doc of d{i}\nd{i} = {p}\n" for i, p in enumerate(programs))
    parsed = parse_definitions(text)
    assert [d.name for d in parsed] == [f"d{i}" for i in range(len(programs))]
    assert [d.program for d in parsed] == programs
    assert [d.doc for d in parsed] == [f"doc of d{i}" for i in range(len(programs))]


@SLOW
@given(S.model_and_programs(n=(1, 3)))
def test_typed_programs_round_trip_and_check(model_programs):
    model, programs = model_programs
    for p in programs:
        assert check(parse_program(str(p)), model) == p


@SLOW
@given(S.models())
def test_model_save_load_round_trip(model):
    again = loads_model(dump_model(model))
    assert again == model
    assert dump_model(again) == dump_model(model)


# --------------------------------------------------------------- monotone in costs

@SLOW
@given(S.model_and_programs(), S.exchanges(), st.data())
def test_raising_one_cost_parameter_never_lowers_a_score(model_programs, exchange, data):
    """Costs are monotone in the parameters (strategies._cost) and every exchange
    increases in c and t, so a larger parameter can only raise a program's score."""
    model, programs = model_programs
    name = data.draw(st.sampled_from(sorted(model.parameters)))
    delta = data.draw(st.sampled_from([0.5, 1.0, 7.0, 1000.0]))
    defs = _defs(programs)
    before = _scores(rank(model, defs, exchange))
    raised = model.with_params(**{name: model.parameters[name] + delta})
    after = _scores(rank(raised, defs, exchange))
    for key, b in before.items():
        a = after[key]
        assert a >= b or (np.isfinite(b) and a >= b - 1e-12 * max(1.0, abs(b))), (key, name, b, a)


# ------------------------------------------------ a primitive that cannot be compatible

ROGUE = "rogue_goal"


def _with_rogue(model):
    """``model`` plus a free Policy leaf pursuing a fresh objective and a flag true in
    every training episode (so ``if in_training then rogue ...`` takes rogue there)."""
    zero = parse_expr(0)
    rogue = Primitive("rogue", "Policy", "objective", zero, {"train": zero, "deploy": zero}, objective=ROGUE)
    flag = Primitive("in_training", "Bool", "flag", zero, {"train": zero, "deploy": zero}, true_in=("train",))
    return model.with_primitives(rogue, flag)


@SLOW
@given(S.model_and_programs(code="flat"), S.exchanges(), st.data())
def test_adding_a_never_compatible_primitive_changes_no_winner(model_programs, exchange, data):
    """A Policy leaf that pursues a new objective is incompatible wherever it decides a
    training episode; it costs nothing (c = t = 0) so it would win if compatibility were
    not enforced.  Under the flat code adding it (and programs using it) must leave the
    winner and the order of the original programs unchanged.  (Under the prefix code
    every node pays log2(#choices), so a new primitive legitimately changes costs.)"""
    model, programs = model_programs
    defs = _defs(programs)
    base = rank(model, defs, exchange)
    rogue = Call("rogue")
    extra = [rogue, If(Call("in_training"), rogue, rogue)]
    extra += [If(Call("in_training"), rogue, p) for p in data.draw(st.lists(st.sampled_from(programs), max_size=2))]
    grown = rank(_with_rogue(model), defs + _defs(extra, "r"), exchange)
    assert all(not p.compatible for p in grown.programs if p.name.startswith("r"))
    assert (grown.winner and grown.winner.name) == (base.winner and base.winner.name)
    original = [p.name for p in grown.programs if not p.name.startswith("r")]
    assert original == [p.name for p in base.programs]
    assert _scores(grown) | _scores(base) == _scores(grown)  # same scores for the originals


# ----------------------------------------------------------------- scale invariance

@SLOW
@given(S.model_and_programs(homogeneous=True, code="flat", weights=(1.0,)),
       S.exchanges(("linear",), dyadic=True), st.sampled_from([2.0, 3.0, 10.0, 0.5, 0.25, 1024.0]))
def test_scaling_every_cost_by_one_factor_changes_no_winner(model_programs, exchange, factor):
    """Costs are homogeneous of degree 1, so multiplying every parameter by m multiplies
    every c and t by m, and g*c + t by m: the order cannot change (DESIGN 2.4.6).
    Integer costs, dyadic g and unit weights keep the arithmetic exact."""
    model, programs = model_programs
    defs = _defs(programs)
    base = rank(model, defs, exchange)
    scaled = model.with_params(**{k: v * factor for k, v in model.parameters.items()})
    again = rank(scaled, defs, exchange)
    assert (again.winner and again.winner.name) == (base.winner and base.winner.name)
    assert [p.name for p in again.programs] == [p.name for p in base.programs]
    for p, q in zip(base.programs, again.programs):
        assert q.c == pytest.approx(p.c * factor) and q.t == pytest.approx(p.t * factor)


# ------------------------------------------------------------------------ tie rule

@SLOW
@given(S.model_and_programs(n=(2, 6), values=st.integers(0, 2), weights=(1.0,)),
       S.exchanges(dyadic=True), st.data())
def test_ties_are_broken_the_same_way_every_time(model_programs, exchange, data):
    """Same input twice gives the same ranking; a permutation of the program list only
    reorders programs that tie on every key (score, c, t, size), and those keep the
    order they have in the input (DESIGN: ties by c, then t, then size, then order).
    Costs in {0, 1, 2} make ties frequent."""
    model, programs = model_programs
    defs = _defs(programs)
    first = rank(model, defs, exchange)
    assert rank(model, defs, exchange).to_json() == first.to_json()
    perm = data.draw(st.permutations(range(len(defs))))
    permuted = rank(model, [defs[i] for i in perm], exchange)

    def key(p):
        return (p.compatible, p.score, p.c, p.t, p.size)

    assert [key(p) for p in permuted.programs] == [key(p) for p in first.programs]
    position = {defs[i].name: k for k, i in enumerate(perm)}
    for _, group in itertools.groupby(permuted.programs, key=key):
        names = [p.name for p in group]
        assert names == sorted(names, key=position.get)
    if first.winner is not None:
        tied = [p.name for p in first.programs if key(p) == key(first.winner)]
        assert permuted.winner.name == min(tied, key=position.get)


def test_tie_tolerance_is_relative():
    """The documented tolerance: scores within TIE_RTOL are a tie, broken by c."""
    from priorsearch.exchange import order

    score = np.array([1.0 + TIE_RTOL / 4, 1.0])
    assert list(order(score, c=[1.0, 2.0], t=[0.0, 0.0], size=[1, 1])) == [0, 1]
    score = np.array([1.0 + 4 * TIE_RTOL, 1.0])
    assert list(order(score, c=[1.0, 2.0], t=[0.0, 0.0], size=[1, 1])) == [1, 0]


# --------------------------------------------------- enumeration (search branch)

import priorsearch.space.enumerate as en  # noqa: E402
from priorsearch.scoring.search import search  # noqa: E402
from test_enumerate import assert_same_as_naive  # noqa: E402
from hypothesis import assume  # noqa: E402


@settings(max_examples=25, deadline=None, derandomize=True)
@given(S.models(), st.integers(3, 5))
def test_kernels_equal_the_pure_python_reference_on_random_dsls(model, max_size):
    """Same classes in the same order, same multiplicities and representatives as
    tests/naive.py, which lists every raw program and evaluates it."""
    table = en.enumerate_classes(model, max_size)
    assume(int(table.multiplicity.sum()) <= 3000)  # the reference lists every program
    assert_same_as_naive(model, max_size)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(S.models(code="flat", all_checked=True), S.exchanges(), st.integers(2, 5))
def test_a_never_compatible_primitive_changes_no_searched_winner(model, exchange, max_size):
    """With every training episode checked, a Policy leaf pursuing a new objective can
    only sit in an if branch never taken in training (else the program is incompatible),
    so replacing that if by its other branch gives a compatible program with c <= and
    t <= and fewer nodes: the searched winner cannot change.  (An unchecked training
    episode would let the free leaf save time there, and the prefix code changes every
    node's bits: both genuinely change winners, so they are excluded here.)"""
    before = search(model, max_size, exchange, top=1)
    zero = parse_expr(0)
    rogue = Primitive("rogue", "Policy", "objective", zero, {"train": zero, "deploy": zero}, objective=ROGUE)
    after = search(model.with_primitives(rogue), max_size, exchange, top=1)
    assert after.n_programs >= before.n_programs
    if before.winner is None:
        assert after.winner is None
        return
    assert (after.winner.source, after.winner.c, after.winner.t) == (before.winner.source, before.winner.c, before.winner.t)
