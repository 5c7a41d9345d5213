"""Any member 1..K of a family is nameable in programs (issue 10): a model lists only the
first EXPLICIT_MEMBERS as primitives, but ``misaligned_123456`` at K = 10^6 is found,
checked and costed like any listed member; above K it is an unknown primitive."""
import pytest

import priorsearch as ps
from priorsearch.errors import InputError
from priorsearch.model.parts import EXPLICIT_MEMBERS
from priorsearch.phase import phase_diagram
from priorsearch.space.templates import template_table

from paths import REPO

PROGRAMS = "far = combine(misaligned_123456)\nnear = combine(misaligned_3)\nhonest = optimize(base_obj)\n"


def counting(K):
    return ps.CostModel.load(REPO / "programs" / "counting.toml").with_params(K=K)


def test_a_member_above_the_listed_ones_is_found_and_costed_like_a_listed_one():
    model = counting(10 ** 6)
    assert len([p for p in model.primitives.values() if p.family]) == EXPLICIT_MEMBERS
    far = model.lookup("misaligned_123456")
    assert (far.name, far.objective, far.family) == ("misaligned_123456", "misaligned_123456", "misaligned")
    assert model.lookup("misaligned_1000001") is None and model.lookup("misaligned_0") is None
    assert model.lookup("misaligned_0123") is None
    ranking = ps.rank(model, programs=ps.parse_definitions(PROGRAMS))
    rows = {r.name: r for r in ranking.programs}
    assert (rows["far"].c, rows["far"].t) == (rows["near"].c, rows["near"].t)
    assert rows["far"].deploy_objective == "misaligned_123456"
    table = template_table(model, ps.parse_definitions(PROGRAMS))
    assert "misaligned_123456" in table.layout.objectives
    assert model.with_members(["misaligned_123456"]).named_members == {"misaligned": (123456,)}
    assert model.with_members(["misaligned_3", "base_obj"]) is model


def test_a_member_above_K_is_an_unknown_primitive():
    with pytest.raises(InputError, match=r"unknown primitive 'misaligned_123456' \(family 'misaligned' has K = 1000 "
                                         r"members, misaligned_1 \.\. misaligned_1000\)"):
        ps.rank(counting(1000), programs=ps.parse_definitions(PROGRAMS))


def test_on_a_K_axis_a_far_member_exists_from_its_number_on():
    data = phase_diagram(counting(4), x="g=2:20:3:log", y="K=1e5:1e6:2", programs=ps.parse_definitions(PROGRAMS),
                         ties=False)
    winners = [{data.display_name(r) for r in row} for row in data.winner]
    # equal costs: the tie rule gives the first program, far, the cells where it exists
    assert "far" not in winners[0] and "near" in winners[0]
    assert "far" in winners[1] and "near" not in winners[1]
