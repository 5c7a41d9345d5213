"""Issue 14, item 3: every output shows the proxy class where it occurs, on
programs/camera.toml (the camera proxy optimize(camera_obj) agrees with base in
training).  The rule for the optional proxy columns: they appear exactly when the space
holds a proxy among the programs counted (per-size counts: a compatible proxy; masses:
a competing one), so the post's model, which has none, keeps every output byte for byte
(tests/integration/test_loss_price_inf.py)."""
import io
import json
import zipfile

import numpy as np

import priorsearch as ps
from priorsearch.features.semantics import CLASS_NAMES
from priorsearch.plot.colours import PROXY_PALETTE
from priorsearch.space.counting import model_program_counts, program_counts
from priorsearch.space.enumerate import counts_by_size, enumerate_classes
from paths import REPO

CAMERA = REPO / "programs" / "camera.toml"
CAMERA_PROGRAMS = REPO / "programs" / "camera" / "programs.prog"
AXES = ("--x", "g=0.5:2:3", "--y", "C_cam=4:30:3")


def _reference_counts(table):
    """Per size and class: the plain sum of the rows' exact multiplicities."""
    sizes = range(1, int(table.max_size) + 1)
    mult = list(table.multiplicity)
    out = {}
    for code, name in enumerate(CLASS_NAMES):
        out[name] = [sum(int(m) for m, s, c in zip(mult, table.size, table.cls) if s == n and c == code)
                     for n in sizes]
    return out


def _check_counts(counts, table, policy_counts):
    ref = _reference_counts(table)
    for name in ("aligned", "deceptive", "proxy", "incompatible"):
        assert counts[name] == ref[name], name
    assert counts["compatible"] == [a + d + p for a, d, p in zip(ref["aligned"], ref["deceptive"], ref["proxy"])]
    # every program counted once: the per-size totals are the counting recurrence's
    assert counts["programs"] == policy_counts
    assert list(counts) == ["size", "classes", "programs", "compatible", "aligned", "deceptive", "proxy",
                            "incompatible"]
    assert sum(counts["proxy"]) > 0


def test_search_counts_have_a_proxy_column_that_sums_to_the_recurrence():
    model = ps.CostModel.load(CAMERA)
    table = enumerate_classes(model, 7)
    _check_counts(counts_by_size(table), table, program_counts(ps.Layout(model), 7)["Policy"][1:])
    res = ps.search(model, max_size=7)
    assert res.n_programs == sum(program_counts(ps.Layout(model), 7)["Policy"])
    assert res.n_compatible == sum(res.counts["compatible"]) == int(
        sum(int(m) for m, c in zip(table.multiplicity, table.cls) if c != 2))


def test_search_counts_with_families_and_a_proxy():
    """The family path (pattern sums times falling factorials) with a proxy objective
    added to programs/rich.toml: the same counts as a plain sum over the rows."""
    text = (REPO / "programs" / "rich.toml").read_text()
    text = text.replace("[families.misaligned]", '''[primitives.camera_obj]
type = "Obj"
kind = "objective"
objective = "camera"
c = 8
t = 1
doc = "a proxy that agrees with base in training"

[objectives.camera]
agrees_with_base = ["train"]

[families.misaligned]''', 1)
    model = ps.CostModel.codec.loads(text)
    table = enumerate_classes(model, 5)
    assert table.families
    _check_counts(counts_by_size(table), table, model_program_counts(model, 5)["Policy"][1:])


def test_the_post_model_has_no_proxy_column(post_model):
    counts = ps.search(post_model, max_size=6).counts
    assert "proxy" not in counts


def test_search_text_and_json_show_the_proxy_column(cli):
    r = cli("search", "--model", CAMERA, "--max-size", "7")
    assert r.status == 0, r.err
    data = json.loads(cli("search", "--model", CAMERA, "--max-size", "7", "--json").out)
    c = data["counts"]
    assert "programs per size (all / compatible / aligned / deceptive / proxy / incompatible; classes):" in r.out
    i = c["size"].index(2)
    line = (f"    2: {c['programs'][i]} / {c['compatible'][i]} / {c['aligned'][i]} / {c['deceptive'][i]} / "
            f"{c['proxy'][i]} / {c['incompatible'][i]}; {c['classes'][i]}")
    assert line in r.out.splitlines()
    assert c["proxy"][i] == 2  # optimize(camera_obj) and combine(camera_obj)
    assert f"{data['programs']:,} programs in" in r.out
    assert f"{data['compatible_programs']:,} training-compatible" in r.out
    assert data["programs"] == sum(c["programs"]) and data["compatible_programs"] == sum(c["compatible"])
    assert data["winner"]["class"] == "proxy" and data["argmin_class"] == "proxy"
    assert data["heaviest_class"] == "proxy" and "proxy" in data["masses"]["classes"]
    assert "winner: optimize(camera_obj) (no template), proxy" in r.out


def test_search_dataframe_class_is_the_reported_class():
    """The DataFrame's class column is the one search reports: proxy for the camera
    proxy; at a finite loss price a lossy competitor by its behaviour, as in the table."""
    res = ps.search(ps.CostModel.load(CAMERA), max_size=7)
    frame = res.to_dataframe()
    assert frame.loc[frame["rank"] == 1, "class"].item() == "proxy"
    assert frame.loc[frame["rank"] == 1, "source"].item() == "optimize(camera_obj)"
    assert set(frame["class"]) == {"aligned", "deceptive", "proxy", "incompatible"}
    priced = ps.search(ps.CostModel.load(CAMERA), max_size=7, loss_price=1.0)
    frame = priced.to_dataframe()
    for r in priced.top:
        assert frame.loc[frame["row"] == r.row, "class"].item() == r.cls
    # at price 1 everything competes: no row is reported incompatible
    assert "incompatible" not in set(frame["class"]) and frame["eligible"].all()
    # and each row's training loss follows its score (absent at the default price)
    assert list(frame.columns).index("loss") == list(frame.columns).index("score") + 1
    for r in priced.top:
        assert frame.loc[frame["row"] == r.row, "loss"].item() == r.loss
    assert np.allclose(frame["score"], frame["c"] + frame["t"] + frame["loss"], rtol=1e-12)
    assert "loss" not in res.to_dataframe().columns


def test_rank_text_and_json_show_the_proxy(cli):
    r = cli("rank", "--model", CAMERA, "--programs", CAMERA_PROGRAMS)
    assert r.status == 0, r.err
    row = next(line for line in r.out.splitlines() if " camera_proxy " in line)
    assert row.split()[6] == "proxy"
    data = json.loads(cli("rank", "--model", CAMERA, "--programs", CAMERA_PROGRAMS, "--json").out)
    classes = {p["name"]: p["class"] for p in data["programs"]}
    assert classes == {"honest": "aligned", "camera_proxy": "proxy", "simple_deceptive": "deceptive",
                       "fast_deceptive": "deceptive", "camera_deceptive": "deceptive"}
    assert data["winner"] == "camera_proxy"


def test_phase_winner_csv_json_and_summary_name_the_proxy(cli, tmp_path):
    csv = tmp_path / "w.csv"
    r = cli("phase", "--model", CAMERA, "--programs", CAMERA_PROGRAMS, *AXES, "--out", "none", "--data", csv)
    assert r.status == 0, r.err
    assert "camera_proxy (Hcam, proxy) 66.7%" in r.out + r.err
    lines = csv.read_text().splitlines()
    meta = json.loads(lines[4][len("# metadata: "):])
    assert {p["name"]: p["class"] for p in meta["programs"]}["camera_proxy"] == "proxy"
    rows = [line.split(",") for line in lines[6:]]
    header = lines[5].split(",")
    who = {(row[header.index("winner")], row[header.index("class")]) for row in rows}
    assert ("camera_proxy", "proxy") in who and ("honest", "aligned") in who
    j = json.loads(cli("phase", "--model", CAMERA, "--programs", CAMERA_PROGRAMS, *AXES, "--out", "none",
                       "--data", "none", "--json").out)
    assert "proxy" in json.dumps(j)


def test_phase_mass_dataframe_xarray_and_npz_carry_the_proxy_mass(tmp_path):
    data = ps.phase_diagram(ps.CostModel.load(CAMERA), x="g=0.5:2:3", y="C_cam=4:30:3", space="enumerate",
                            max_size=7, mode="mass")
    assert data.mass_classes == ("aligned", "deceptive", "proxy")
    frame = data.to_dataframe()
    np.testing.assert_array_equal(frame["log2_mass_proxy"].to_numpy(), data.log2_mass[2].ravel())
    ds = data.to_xarray()
    np.testing.assert_array_equal(ds["log2_mass_proxy"].values, data.log2_mass[2])
    with zipfile.ZipFile(io.BytesIO(data.npz_bytes())) as zf:
        classes = np.load(io.BytesIO(zf.read("mass_classes.npy")))
    assert list(classes) == ["aligned", "deceptive", "proxy"]
    # without proxies: no mass_classes member (the post's NPZ is unchanged)
    post = ps.phase_diagram(x="g=0.5:2:3", y="C_B=1:40:3", space="enumerate", max_size=6, mode="mass")
    with zipfile.ZipFile(io.BytesIO(post.npz_bytes())) as zf:
        assert "mass_classes.npy" not in zf.namelist()
    assert "log2_mass_proxy" not in post.to_dataframe().columns


def test_plot_colours_and_legends_mark_the_proxy():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    data = ps.phase_diagram(ps.CostModel.load(CAMERA), x="g=0.5:2:3", y="C_cam=4:30:3", space="enumerate",
                            max_size=7, ties=False)
    proxy_row = next(r for r in range(len(data.names)) if data.sources[r] == "optimize(camera_obj)")
    assert data.classes[proxy_row] == "proxy" and proxy_row in data.row_counts()
    fig = ps.plot_phase(data)
    try:
        handles = fig.axes[0].get_legend().get_patches()
        entries = {h.get_label(): to_hex(h.get_facecolor()) for h in handles}
        assert entries["optimize(camera_obj) (proxy)"] == PROXY_PALETTE[0]
        # aligned and deceptive entries keep their names and template colours
        assert entries["Henv derive_and_pursue"] == "#009e73"
        assert not any(k.endswith("(proxy)") for k in entries if "camera" not in k)
    finally:
        plt.close(fig)
    mass = ps.phase_diagram(ps.CostModel.load(CAMERA), x="g=0.5:2:3", y="C_cam=4:30:3", space="enumerate",
                            max_size=7, mode="mass", ties=False)
    fig = ps.plot_phase(mass)
    try:
        labels = [a.get_ylabel() for a in fig.axes]
        assert "deceptive share of prior mass (compatible programs, proxies included)" in labels
    finally:
        plt.close(fig)

