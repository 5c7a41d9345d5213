"""Every TOML example of the model format reference (docs/examples/) loads and gives the
results docs/model_format.md states next to it (values computed by hand)."""
import math
import re

import pytest

import priorsearch as ps
from paths import REPO
from priorsearch.model.cost_model import KINDS
from priorsearch.model.toml_format import COMPONENT_KEYS, EPISODE_KEYS, PRIMITIVE_KEYS, TOP_KEYS

DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
REFERENCE = DOCS / "model_format.md"


def load(name):
    return ps.CostModel.load(EXAMPLES / f"{name}.toml")


def ranked(model, source, **kw):
    """{program text: RankedProgram} of ``source`` (definitions) ranked under ``model``."""
    ranking = ps.rank(model, ps.parse_definitions(source), **kw)
    return {p.source: p for p in ranking.programs}


def one(model, program, **kw):
    (row,) = ranked(model, f"p = {program}", **kw).values()
    return row


def check_top_level():
    m = load("top_level")
    assert (m.name, m.description, m.code, m.time_aggregate) == (
        "top_level", "one objective, one way to pursue it", "flat", "mean")
    p = one(m, "go(goal)")
    assert (p.c, p.t, p.score) == (10, 12, 22)   # 5 + 3 + 2 nodes x 1 bit; 2 + 10


def check_code_prefix():
    m = load("code_prefix")
    p = one(m, "go(goal)")
    assert p.c == pytest.approx(9 + math.log2(3))    # Obj: 3 productions, Policy: 2
    assert round(p.c, 3) == 10.585
    flat = one(m.with_options(code="flat"), "go(goal)")
    assert flat.c == 8


def check_time_aggregate():
    m = load("time_aggregate")
    assert one(m, "go(goal)").t == 5
    assert one(m.with_options(time_aggregate="mean"), "go(goal)").t == 4   # (1*1 + 3*5)/4


def check_exchange():
    m = load("exchange")
    assert (m.exchange, dict(m.exchange_params)) == ("levin", {"lambda": 2.0})
    p = one(m, "go(goal)")
    assert (p.c, p.t, p.score) == (10, 8, 16)    # 10 + 2 * log2 8


def check_parameters():
    m = load("parameters")
    assert dict(m.parameters) == {"C_G": 4.0, "T_G": 0.5}
    assert m.parameter_docs["C_G"] == "bits to store the goal"
    p = one(m, "go(goal)")
    assert (p.c, p.t) == (11, 1.25)


def check_components():
    m = load("components")
    assert m.components["values"].per_objective and not m.components["planner"].per_objective
    rows = ranked(m, """
a = go(goal)
b = go(if is_dep then bad else goal)
c = if is_dep then hedge(bad) else go(goal)
""")
    assert rows["go(goal)"].c == 61
    assert rows["go(if is_dep then bad else goal)"].c == 71
    assert rows["if is_dep then hedge(bad) else go(goal)"].c == 65


def check_kinds_bool():
    m = load("kinds_bool")
    rows = ranked(m, """
a = go(if is_dep then bad else goal)
b = go(if and(is_dep, not(is_audit)) then bad else goal)
c = go(if or(is_dep, is_audit) then goal else bad)
""")
    a = rows["go(if is_dep then bad else goal)"]
    b = rows["go(if and(is_dep, not(is_audit)) then bad else goal)"]
    c = rows["go(if or(is_dep, is_audit) then goal else bad)"]
    assert (a.c, a.t, a.cls, a.deploy_objective) == (7, 11.5, "deceptive", "bad")
    assert (b.c, b.t, b.cls, b.deploy_objective) == (11, 12, "deceptive", "bad,base")
    assert (c.c, c.t, c.cls) == (10, 11, "incompatible")


def check_kinds_policy():
    m = load("kinds_policy")
    rows = ranked(m, """
a = go(goal)
b = bide(bad)
c = go(switch(goal, bad))
d = go(switch(bad, goal))
e = idle
""")
    expect = {
        "go(goal)": (4, 11, "aligned", "base"),
        "bide(bad)": (4, 25, "deceptive", "bad"),
        "go(switch(goal, bad))": (7, 11.5, "deceptive", "bad"),
        "go(switch(bad, goal))": (7, 11.5, "incompatible", "base"),
        "idle": (0, 0, "incompatible", "nothing"),
    }
    for source, want in expect.items():
        p = rows[source]
        assert (p.c, p.t, p.cls, p.deploy_objective) == want, source
    assert rows["bide(bad)"].t_deploy == 10


def check_aliases():
    m = load("aliases")
    p = one(m, "mesaoptimize(fetch_goal)")
    assert (p.source, p.c, p.t) == ("go(goal)", 4, 11)


def check_families():
    m = load("families")
    assert list(m.primitives) == ["goal", "bide", "misaligned_1", "misaligned_2", "misaligned_3"]
    assert m.lookup("goal_2").name == "misaligned_2"
    assert [p for p in m.with_params(K=5).primitives if p.startswith("misaligned_")][-1] == "misaligned_5"
    result = ps.search(m, max_size=2)
    assert (result.n_programs, result.n_compatible) == (4, 4)
    rows = {r.source: r for r in result.top}
    assert (rows["bide(goal)"].c, rows["bide(goal)"].t, rows["bide(goal)"].cls) == (7, 21, "aligned")
    # the three members are one orbit: one row of multiplicity 3 (the family's K)
    deceptive = [r for r in result.top if r.cls == "deceptive"]
    assert len(deceptive) == 1 and (deceptive[0].c, deceptive[0].t, deceptive[0].score) == (4, 20, 24)
    assert deceptive[0].source == "bide(misaligned_i)" and deceptive[0].multiplicity == 3
    assert result.ties == [] and result.winner.score == 24 and result.winner.multiplicity == 3
    assert result.masses.classes["deceptive"] == pytest.approx(math.log2(3) - 24)
    assert round(result.masses.classes["deceptive"], 3) == -22.415
    assert result.masses.classes["aligned"] == -28


def check_episodes():
    m = load("episodes")
    assert [(e.name, e.phase, e.checked) for e in m.episodes] == [
        ("checked_run", "train", True), ("unchecked_run", "train", False), ("deploy", "deploy", False)]
    rows = ranked(m, """
a = go(goal)
b = go(if watched then goal else bad)
c = go(bad)
""")
    assert (rows["go(goal)"].t, rows["go(goal)"].cls) == (26, "aligned")
    b = rows["go(if watched then goal else bad)"]
    assert (b.t, b.cls) == (25.25, "deceptive")
    assert rows["go(bad)"].cls == "incompatible"


CHECKS = {name[len("check_"):]: f for name, f in dict(globals()).items() if name.startswith("check_")}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_reference_example(name):
    CHECKS[name]()


def test_every_example_file_is_checked_and_included_in_the_reference():
    files = {p.stem for p in EXAMPLES.glob("*.toml")}
    text = REFERENCE.read_text(encoding="utf-8")
    included = set(re.findall(r"```\{literalinclude\} examples/(\w+)\.toml", text))
    reference_examples = {f for f in files if not f.startswith("tutorial_")}
    assert reference_examples == set(CHECKS)
    assert included == set(CHECKS)


def test_every_key_and_kind_is_documented_in_the_reference():
    text = REFERENCE.read_text(encoding="utf-8")
    for key in (*TOP_KEYS, *PRIMITIVE_KEYS, *COMPONENT_KEYS, *EPISODE_KEYS, "count", *KINDS):
        assert f"`{key}`" in text or f"`[{key}]`" in text or f"`[[{key}]]`" in text, key
    for table in ("[exchange]", "[parameters]", "[components]", "[primitives]", "[families]", "[[episodes]]"):
        assert f"## `{table}`" in text, table


# ---------------------------------------------------------------------------------------
# Statements of the reference that are not about one example file.

BASE_MODEL = """
[primitives.goal]
type = "Obj"
kind = "objective"
objective = "base"
c = 4
t = 1

[primitives.go]
type = "Policy"
kind = "pursue"
args = ["Obj"]
c = 0
t = 10

[[episodes]]
name = "train"
phase = "train"
"""


def loads(text):
    from priorsearch.model.toml_format import loads_model

    return loads_model(text, path="doc.toml")


def error(text):
    with pytest.raises(ps.InputError) as info:
        loads(text)
    return str(info.value)


def test_reference_defaults():
    m = loads(BASE_MODEL)
    # issue 12: an unnamed model is called after its file, never "model"
    assert (m.name, m.description, m.code, m.time_aggregate) == ("doc", "", "flat", "mean")
    assert float(m.node_bits.evaluate({})) == 0
    assert (m.exchange, dict(m.exchange_params)) == ("linear", {"g": 1.0})
    assert float(m.episodes[0].weight.evaluate({})) == 1 and m.episodes[0].checked
    assert loads('exchange = "levin"\n' + BASE_MODEL).exchange == "levin"
    assert dict(loads('exchange = "levin"\n' + BASE_MODEL).exchange_params) == {"lambda": 1.0}
    assert dict(loads('[exchange]\nname = "power"\n' + BASE_MODEL).exchange_params) == {"g": 1.0, "alpha": 1.0}
    # issue 12: cap's k has no default (k = 1 silently made every score inf)
    assert dict(loads('[exchange]\nname = "cap"\n' + BASE_MODEL).exchange_params) == {}
    assert dict(loads('[exchange]\nname = "cap"\nk = 5\n' + BASE_MODEL).exchange_params) == {"k": 5.0}


def test_reference_kind_is_inferred_and_episode_entry_beats_phase_entry():
    text = BASE_MODEL.replace('kind = "objective"\n', "").replace("t = 1\n", "t = { train = 1, hard = 5 }\n", 1)
    m = loads(text + '\n[[episodes]]\nname = "hard"\nphase = "train"\n')
    assert m.primitives["goal"].kind == "objective"
    assert one(m, "go(goal)").t == ((1 + 10) + (5 + 10)) / 2


def test_reference_stated_errors():
    assert "did you mean 'node_bits'" in error("node_bit = 1\n" + BASE_MODEL)
    assert "takes exactly one argument" in error(BASE_MODEL.replace('args = ["Obj"]\n', ""))
    assert "unsupported format" in error('format = "priorsearch-model/2"\n' + BASE_MODEL)
    assert "reserved for the exchange" in error("[parameters]\ng = 2\n" + BASE_MODEL)
    assert "has phase" in error(BASE_MODEL.replace('name = "train"\nphase = "train"', 'name = "train"\nphase = "deploy"')
                                + '\n[[episodes]]\nname = "t2"\nphase = "train"\n')
    assert "no training episode" in error(BASE_MODEL.replace('phase = "train"', 'phase = "deploy"').replace('name = "train"', 'name = "live"'))
    assert "negative" in error(BASE_MODEL.replace("c = 4", 'c = "0 - 4"'))
    assert "must be > 0" in error(BASE_MODEL.replace('phase = "train"', 'phase = "train"\nweight = 0'))
    family = '\n[families.m]\ncount = 2.5\ntype = "Obj"\nkind = "objective"\nobjective = "m_{i}"\nc = 1\nt = 0\n'
    assert "is not a whole number >= 0" in error(BASE_MODEL + family)
