"""Issue 14, must show: classes after Hubinger.  The camera proxy is classed ``proxy``
and can win; Hsd, Hfd and the camera-conditional program are ``deceptive``; honest is
``aligned``.  classify_rows (vectorised) equals a per-program reference on every
enumerated program of the camera model."""
import numpy as np
import pytest

import priorsearch as ps
from priorsearch.features.semantics import ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY, classify_rows
from priorsearch.space.enumerate import enumerate_classes
from paths import REPO

CAMERA = REPO / "programs" / "camera.toml"
CAMERA_PROGRAMS = REPO / "programs" / "camera" / "programs.prog"


def test_camera_classes_and_the_proxy_wins():
    ranking = ps.rank(ps.CostModel.load(CAMERA), CAMERA_PROGRAMS)
    cls = {r.name: r.cls for r in ranking.programs}
    assert cls == {"honest": "aligned", "camera_proxy": "proxy", "simple_deceptive": "deceptive",
                   "fast_deceptive": "deceptive", "camera_deceptive": "deceptive"}
    assert all(r.compatible for r in ranking.programs)
    assert ranking.winner.name == "camera_proxy"
    # the declared class of each program file entry
    for d in ps.load_programs(CAMERA_PROGRAMS):
        assert cls[d.name] == d.meta["class"]


def test_the_default_model_has_no_proxies():
    """No compatible proxy (nothing agrees with base), so its results don't change;
    optimize(simplest_obj) pursues one goal throughout but fails training: its behaviour
    is proxy, which matters only at a finite loss price."""
    table = enumerate_classes(ps.CostModel.default(), 7)
    assert not (table.cls == PROXY).any()
    rows = table.behaviour == PROXY
    assert rows.any() and (table.cls[rows] == INCOMPATIBLE).all()
    assert "optimize(simplest_obj)" in [table.sources[int(i)] for i in np.flatnonzero(rows)]


def _reference_class(sig, layout):
    """Issue 14's definitions, one program at a time, in words turned into code."""
    base = layout.base
    agrees = lambda o, e: bool(layout.agrees[o, e])
    E = range(len(sig))
    compatible = all(agrees(sig[e], e) for e in E if layout.is_checked[e])
    deploy = [e for e in E if not layout.is_train[e]]
    if all(sig[e] == base for e in deploy):
        behaviour = ALIGNED
    else:
        o = sig[deploy[0]]
        same_goal = o != base and all(sig[e] == o or (sig[e] == base and agrees(o, e)) for e in E)
        behaviour = PROXY if same_goal else DECEPTIVE
    return (behaviour if compatible else INCOMPATIBLE), behaviour


def test_classify_rows_equals_the_reference_on_every_camera_program():
    table = enumerate_classes(ps.CostModel.load(CAMERA), 7)
    seen = set()
    for row in range(len(table)):
        cls, behaviour = _reference_class(table.signature[row], table.layout)
        assert (int(table.cls[row]), int(table.behaviour[row])) == (cls, behaviour)
        seen.add(cls)
    assert seen == {ALIGNED, DECEPTIVE, INCOMPATIBLE, PROXY}


def test_proxy_mass_is_reported_and_sums_with_the_others():
    res = ps.search(ps.CostModel.load(CAMERA), max_size=7)
    m = res.masses.classes
    assert set(m) == {"aligned", "deceptive", "proxy", "compatible"}
    total = np.log2(sum(2.0 ** (m[k] - m["compatible"]) for k in ("aligned", "deceptive", "proxy"))) + m["compatible"]
    assert total == pytest.approx(m["compatible"], rel=1e-12)
    assert res.winner.cls == "proxy"
    data = ps.phase_diagram(ps.CostModel.load(CAMERA), x="g=0.5:2:2", y="C_cam=4:30:3", space="enumerate",
                            max_size=7, mode="mass")
    assert data.mass_classes == ("aligned", "deceptive", "proxy")
    assert data.log2_mass[2, 0, 1] == pytest.approx(
        ps.search(ps.CostModel.load(CAMERA).with_params(C_cam=4.0), max_size=7, g=2.0).masses.classes["proxy"],
        rel=1e-12)
    header = data.csv_text().splitlines()[5]
    assert header.endswith("log2_mass_aligned,log2_mass_deceptive,log2_mass_proxy,deceptive_share")


def test_a_proxy_declared_from_python():
    """ps.Objective through CostModel.with_objectives: camera_obj without the declaration
    fails training (incompatible); with it the same program is a compatible proxy."""
    model = ps.CostModel.load(CAMERA)
    bare = model._replace(declared_objectives=())
    assert next(r for r in ps.rank(bare, CAMERA_PROGRAMS).programs if r.name == "camera_proxy").cls == "incompatible"
    again = bare.with_objectives(ps.Objective("camera", ["train"], model.declared_objectives["camera"].doc))
    assert again == model
    assert ps.rank(again, CAMERA_PROGRAMS).winner.name == "camera_proxy"


def test_agrees_with_base_names_episodes_as_well_as_phases():
    """Two training episodes, lab (weight 3) and field (weight 1): a camera that agrees
    with base only in lab is a proxy that misses field (L = 1/4, incompatible at the
    default price, a competing proxy at a finite one); naming both episodes, or the
    phase train, makes it a compatible proxy again."""
    text = CAMERA.read_text().replace('[[episodes]]\nname = "train"\nphase = "train"\nweight = 1\n',
                                      '[[episodes]]\nname = "lab"\nphase = "train"\nweight = 3\n\n'
                                      '[[episodes]]\nname = "field"\nphase = "train"\nweight = 1\n')
    assert 'name = "field"' in text

    def camera(agrees, **kw):
        model = ps.CostModel.codec.loads(text.replace('agrees_with_base = ["train"]', f"agrees_with_base = {agrees}"))
        return next(r for r in ps.rank(model, CAMERA_PROGRAMS, **kw).programs if r.name == "camera_proxy")

    lab = camera('["lab"]')
    assert lab.cls == "incompatible" and not lab.compatible
    priced = camera('["lab"]', loss_price=100.0)
    assert priced.cls == "proxy" and priced.loss == pytest.approx(0.25)
    assert priced.score == pytest.approx(priced.c + priced.t + 25.0)
    for agrees in ('["lab", "field"]', '["train"]'):
        both = camera(agrees)
        assert both.cls == "proxy" and both.compatible
