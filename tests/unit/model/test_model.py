"""Cost models: TOML round trip, with_params, and extending the post's model from Python
(custom primitives, components, episodes, families, exchanges) without editing the
package; per-objective components, unchecked episodes, the max aggregate, node_bits and
the prefix code change c and t exactly as documented."""
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import priorsearch as ps
from priorsearch.lang.dsl import parse_definitions
from priorsearch.features.layout import Layout
from priorsearch.model.toml_format import dump_model, loads_model
from priorsearch.symbolic.boundary import cost_expressions, symbols
from priorsearch.lang.typecheck import check
from post_formulas import c_formula, t_formula
from paths import REPO

PROGRAMS = REPO / "programs"
POST = (PROGRAMS / "post.toml").read_text()


def _defs(text):
    return parse_definitions(text, "<test>")


def _rows(model, text, **kw):
    return {r.name: r for r in ps.rank(model, _defs(text), **kw).programs}


def _with_new_param(model, **values):
    """Public constructor route: a copy of ``model`` with extra parameters."""
    return ps.CostModel(
        parameters={**model.parameters, **values}, components=model.components.values(),
        primitives=model.base_primitives, episodes=model.episodes, families=model.families,
        node_bits=model.node_bits, code=model.code, time_aggregate=model.time_aggregate,
        exchange=model.exchange, exchange_params=model.exchange_params, name=model.name)


# ------------------------------------------------------------------ TOML round trip

def test_post_model_save_load_round_trip(tmp_path, post_model):
    path = tmp_path / "saved.toml"
    post_model.save(path)
    loaded = ps.CostModel.load(path)
    assert loaded == post_model
    assert dict(loaded.parameter_docs) == dict(post_model.parameter_docs)
    assert dump_model(loaded) == path.read_text()  # saving is stable byte for byte
    assert ps.CostModel.load(PROGRAMS / "post.toml") == post_model  # programs/ is the default


def test_round_trip_of_every_feature(tmp_path, post_model):
    model = _rich_model(post_model).with_params(C_B=7.25).with_exchange("power", g=0.5, alpha=1.5)
    model = model.with_options(node_bits=ps.parse_expr("C_S / 2"), code="prefix", time_aggregate="max")
    path = tmp_path / "rich.toml"
    model.save(path)
    loaded = ps.CostModel.load(path)
    assert loaded == model
    assert sorted(loaded.primitives) == sorted(model.primitives)
    assert loaded.episodes[2].checked is False


def test_changing_anything_breaks_equality(post_model):
    assert post_model.with_params(C_B=21) != post_model
    assert post_model.with_exchange("levin") != post_model
    assert post_model.with_options(node_bits=1) != post_model


# ------------------------------------------------------------------ with_params

def test_with_params_is_a_new_model(post_model):
    changed = post_model.with_params(C_B=3, T_F=0.5, g=2)
    assert post_model.parameters["C_B"] == 20 and changed.parameters["C_B"] == 3
    assert changed.parameters["T_F"] == 0.5 and changed.exchange_params["g"] == 2
    rows = {r.name: r for r in ps.rank(changed).programs}
    p = dict(changed.parameters)
    for name, r in rows.items():
        assert (r.c, r.t) == (c_formula(name, p), t_formula(name, p))
        assert r.score == 2 * r.c + r.t  # the model's own g is used
    with pytest.raises(ps.InputError, match=r"unknown parameter 'C_BB' \(did you mean 'C_B'\?\)"):
        post_model.with_params(C_BB=1)
    with pytest.raises(ps.InputError, match="not a finite number"):
        post_model.with_params(C_B=float("nan"))
    with pytest.raises(ps.InputError, match="negative"):
        post_model.with_params(C_B=-1)


# ------------------------------------------------------------------ custom primitives

def test_custom_flag_primitive_from_python(post_model):
    """A check_timestamp flag (another way to tell deployment) used by a program."""
    stamp = ps.Primitive("check_timestamp", "Bool", "flag", c="C_TS", t="T_TS", true_in=["deploy"],
                         aliases=["timestamp_after_2030"])
    model = _with_new_param(post_model, C_TS=1.5, T_TS=0.25).with_primitives(stamp)
    rows = _rows(model, "# uses the new flag\nstamp = optimize(if timestamp_after_2030 then simplest_obj else base_obj)\n"
                        "honest = optimize(base_obj)\n", g=1)
    p = dict(model.parameters)
    assert rows["stamp"].c == p["C_B"] + p["C_S"] + 1.5 + p["C_M"] + p["C_K"]
    assert rows["stamp"].t == 0.25 + p["T_B"] + p["T_M"]
    assert (rows["stamp"].cls, rows["stamp"].deploy_objective) == ("deceptive", "simplest")
    assert rows["stamp"].source == "optimize(if check_timestamp then simplest_obj else base_obj)"
    # numbers work as costs too, and a bad cost string is a clear error
    model2 = post_model.with_primitives(replace(stamp, c=4, t=0))
    assert _rows(model2, "s = optimize(if check_timestamp then simplest_obj else base_obj)\n")["s"].c == 20 + 1 + 4 + 150
    with pytest.raises(ps.InputError, match="unexpected character"):
        ps.Primitive("bad", "Bool", "flag", c="C_B; 1", t=0)


def test_custom_component_and_select_primitive(post_model):
    """A new Obj that pursues a different objective in deployment, and a shared component."""
    world = ps.Component("world_model", c=9)
    proxy = ps.Primitive("proxy_obj", "Obj", "select", c=2, t=3, components=["world_model"],
                         behaviour={"train": "base", "deploy": "proxy"})
    model = post_model.with_components(world).with_primitives(proxy)
    rows = _rows(model, "a = optimize(proxy_obj)\nb = optimize(if is_deployed then proxy_obj else proxy_obj)\n")
    assert rows["a"].c == 2 + 9 + 150 and rows["a"].t == 3 + 100
    assert (rows["a"].cls, rows["a"].deploy_objective) == ("deceptive", "proxy")
    assert rows["b"].c == 2 + 9 + 2 + 150  # proxy_obj and world_model paid once
    assert rows["b"].t == 0.5 + 3 + 100


# ------------------------------------------------------------------ families

FAMILY = """
[families.misaligned]
count = "K"
type = "Obj"
kind = "objective"
objective = "goal_{i}"
c = "C_S + 0.5"
t = 0
aliases = ["wants_{i}"]
"""


def test_family_expands_to_count_members(post_model):
    text = POST.replace("[parameters]\n", "[parameters]\nK = 4\n") + FAMILY
    model = loads_model(text)
    members = [p for p in model.primitives.values() if p.family == "misaligned"]
    assert [p.name for p in members] == [f"misaligned_{i}" for i in range(1, 5)]
    assert [p.objective for p in members] == [f"goal_{i}" for i in range(1, 5)]
    assert model.objectives[-4:] == tuple(f"goal_{i}" for i in range(1, 5))
    assert len(model.with_params(K=7).primitives) == len(model.primitives) + 3
    assert len(model.with_params(K=0).primitives) == len(post_model.primitives)
    rows = _rows(model, "d = combine(wants_3)\n")
    assert rows["d"].source == "combine(misaligned_3)"
    assert rows["d"].c == 1.5 + 3 + 150 and rows["d"].deploy_objective == "goal_3"
    with pytest.raises(ps.InputError, match="count K = 2.5 is not a whole number"):
        model.with_params(K=2.5)


# ------------------------------------------------------------------ per-objective components

def test_per_objective_component_is_paid_once_per_objective(post_model):
    spec = ps.Component("goal_search", c="C_G", per_objective=True)
    optimize = replace(post_model.primitives["optimize"],
                       components=("mesaoptimize", "useful_knowledge", "goal_search"))
    model = _with_new_param(post_model, C_G=7).with_components(spec).with_primitives(optimize)
    rows = _rows(model, """
one = optimize(base_obj)
same_twice = if is_deployed then optimize(base_obj) else optimize(get_base_obj)
two = optimize(if is_deployed then simplest_obj else base_obj)
two_nodes = if is_deployed then optimize(simplest_obj) else optimize(base_obj)
""")
    assert rows["one"].c == 20 + 150 + 7
    assert rows["same_twice"].c == 2 + 20 + 150 + 7
    assert rows["two"].c == 20 + 1 + 2 + 150 + 2 * 7
    assert rows["two_nodes"].c == 20 + 1 + 2 + 150 + 2 * 7
    # a flat component is paid once however many objectives
    flat = post_model.with_components(replace(spec, per_objective=False, c=ps.parse_expr("7")))
    flat = flat.with_primitives(optimize)
    assert _rows(flat, "two = optimize(if is_deployed then simplest_obj else base_obj)\n")["two"].c == 20 + 1 + 2 + 150 + 7


# ------------------------------------------------------------------ episodes

def _rich_model(post_model):
    """Post model + an unchecked training episode 'holdout' (weight 3) and its flag."""
    holdout = ps.Primitive("in_holdout", "Bool", "flag", c=1, t="T_D", true_in=["holdout"])
    episodes = post_model.episodes[:1] + (ps.Episode("holdout", "train", weight=3, checked=False),) + post_model.episodes[1:]
    spec = ps.Component("goal_search", c=7, per_objective=True)
    model = post_model.with_episodes(*episodes).with_primitives(holdout).with_components(spec)
    fam = ps.Family("mis", ps.parse_expr("2"), ps.Primitive("mis", "Obj", "objective", c=1, t=0, objective="m{i}"))
    return model.with_options(families=(fam,))


HOLDOUT_PROGRAMS = """
sneaky = optimize(if in_holdout then simplest_obj else base_obj)
slow = optimize(if in_holdout then find_base_obj else base_obj)
"""


def test_unchecked_training_episode_counts_in_time_but_not_compatibility(post_model):
    model = _rich_model(post_model)
    rows = _rows(model, HOLDOUT_PROGRAMS)
    # pursues 'simplest' only in the unchecked episode: still training-compatible
    assert rows["sneaky"].compatible and rows["sneaky"].cls == "aligned"
    # t is the weighted mean over both training episodes (weights 1 and 3)
    t_train, t_holdout = 0.5 + 1 + 100, 0.5 + 0 + 100
    assert rows["sneaky"].t == pytest.approx((1 * t_train + 3 * t_holdout) / 4)
    checked = model.with_episodes(*(replace(e, checked=True) if e.name == "holdout" else e for e in model.episodes))
    rows = _rows(checked, HOLDOUT_PROGRAMS)
    assert not rows["sneaky"].compatible and rows["sneaky"].cls == "incompatible"


def test_time_aggregate_max(post_model):
    model = _rich_model(post_model)
    t_train, t_holdout = 0.5 + 1 + 100, 0.5 + 10 + 100
    mean = _rows(model, HOLDOUT_PROGRAMS)["slow"].t
    assert mean == pytest.approx((t_train + 3 * t_holdout) / 4)
    assert _rows(model.with_options(time_aggregate="max"), HOLDOUT_PROGRAMS)["slow"].t == t_holdout
    assert _rows(model.with_options(time_aggregate="max"), "h = optimize(base_obj)\n")["h"].t == 101


def test_no_training_episode_from_python(post_model):
    with pytest.raises(ps.InputError, match="no training episode"):
        post_model.with_episodes(ps.Episode("deploy", "deploy"))


# ------------------------------------------------------------------ node_bits and prefix code

SIZES = {"honest": 2, "simple_deceptive": 2, "fast_deceptive": 5, "hybrid": 5, "derive_and_pursue": 2}


def test_node_bits_add_per_node(post_model):
    base = {r.name: r for r in ps.rank(post_model, PROGRAMS).programs}
    model = post_model.with_options(node_bits=ps.parse_expr("C_S + 1.5"))
    for r in ps.rank(model, PROGRAMS).programs:
        assert r.c == base[r.name].c + 2.5 * SIZES[r.name]
        assert r.t == base[r.name].t


def test_prefix_code_adds_log2_choices_per_node(post_model):
    """log2(productions of the node's type): Obj 3 primitives + if = 4, Bool 2, Policy 3."""
    base = {r.name: r for r in ps.rank(post_model, PROGRAMS).programs}
    model = post_model.with_options(code="prefix", node_bits=ps.parse_expr("1"))
    L = {"Obj": math.log2(4), "Bool": math.log2(2), "Policy": math.log2(3)}
    extra = {
        "honest": L["Policy"] + L["Obj"],
        "simple_deceptive": L["Policy"] + L["Obj"],
        "derive_and_pursue": L["Policy"] + L["Obj"],
        "fast_deceptive": L["Policy"] + 3 * L["Obj"] + L["Bool"],  # optimize, if, 2 leaves; is_deployed
        "hybrid": L["Policy"] + 3 * L["Obj"] + L["Bool"],
    }
    layout = Layout(model)
    syms = symbols(model)
    for r in ps.rank(model, PROGRAMS).programs:
        assert r.c == pytest.approx(base[r.name].c + SIZES[r.name] + extra[r.name], rel=1e-12)
        # the symbolic path agrees
        feats = ps.evaluate(check(ps.template(r.name).program, model), layout)
        c_sym = cost_expressions(feats, layout, syms)[0]
        assert float(c_sym.subs({syms[k]: v for k, v in model.parameters.items()})) == pytest.approx(r.c, rel=1e-12)


# ------------------------------------------------------------------ custom exchanges

def test_custom_exchange_function_and_subclass(post_model):
    seen = []

    def score(c, t):
        seen.append((c.copy(), t.copy()))
        return c * t  # increasing in both for non-negative costs

    ranking = ps.rank(post_model, None, ps.custom(score, name="product"))
    c, t = seen[0]
    np.testing.assert_array_equal(np.sort(c), [154, 170, 173])  # totals, not terms
    assert [r.score for r in ranking.programs] == sorted(r.c * r.t for r in ranking.programs)
    assert ranking.winner.name == "honest" and ranking.exchange.describe() == "product"

    class Shortest(ps.Exchange):
        name = "shortest"

        def score(self, c, t):
            return np.asarray(c, dtype=float)

    assert ps.rank(post_model, None, Shortest()).winner.name == "simple_deceptive"
    # a plain callable is a custom exchange too
    assert ps.rank(post_model, None, lambda c, t: t).winner.name == "honest"
    with pytest.raises(ps.InputError, match="callable"):
        ps.custom("g*c+t")
