"""Issue 10, hostile inputs to a family's count axis and to member names (review battery).

Each bad count axis, member name or model is exit 2 with one line (file:line:col where
there is a file), no traceback and no output file; the extremes that are valid (K = 0,
K up to 2^1023) work.  Found by review: a count axis of 10^7 points computed every whole
value before the grid size was refused (minutes); an axis up to 2^1023 crashed drawing its
ticks; a primitive named ``misaligned_²`` crashed the model loader (``str.isdigit``
takes '²'); a proxy declared on one member of a family validated, then failed inside the
enumeration with a wrong list of objectives.
"""
import json
import warnings

import pytest

from errorcheck import assert_input_error
from paths import REPO

COUNTING_PATH = REPO / "programs" / "counting.toml"
COUNTING = COUNTING_PATH.read_text()
SMALL = ["--space", "enumerate", "--max-size", "4", "--x", "g=1:10:3"]

BAD_AXES = [
    ("lo-overflows", ["--y", "K=1:1e400:5:log"],
     r"error: --y 'K=1:1e400:5:log': family 'misaligned': count K = inf is not a whole number >= 0"),
    ("hi-above-2^1023", ["--y", "K=1:10^400:5:log"],
     r"error: --y 'K=1:10\^400:5:log': family 'misaligned': count K = 10000000\.\.\. \(401 digits\) is above the "
     r"supported 2\^1023"),
    ("lo-nan", ["--y", "K=nan:5:3"], r"error: --y 'K=nan:5:3': family 'misaligned': count K = nan is not a whole number >= 0"),
    ("lo-negative-log", ["--y", "K=-1:5:3:log"],
     r"error: --y 'K=-1:5:3:log': family 'misaligned': count K = -1 is not a whole number >= 0"),
    ("halves-repeat", ["--y", "K=1.5:2.5:2"],
     r"error: --y 'K=1.5:2.5:2': rounded to whole numbers \(K is the member count of family misaligned\) the axis "
     r"repeats K = 2 \(2, 2\); use fewer points or a wider range"),
    ("huge-N", ["--y", "K=1:1e30:10000000:log"],
     r"error: grid of 3 x 10000000 = 30,000,000 points exceeds --max-points 4,000,000; use fewer points or raise "
     r"--max-points"),
    ("N-not-whole", ["--y", "K=1:5:2.5"], r"error: --y 'K=1:5:2.5': N must be a whole number, got '2.5'"),
    ("g-log-from-0", ["--y", "K=1:1e30:31:log", "--x", "g=0:10:3:log"],
     r"error: --x 'g=0:10:3:log': a log axis needs LO > 0, got 0"),
    ("g-negative", ["--y", "K=1:1e30:31:log", "--x", "g=-1:10:3"],
     r"error: --x 'g=-1:10:3': the exchange parameter g must be >= 0, got LO = -1"),
    ("K-twice", ["--y", "K=1:5:5", "--x", "K=1:9:5"], r"error: --x and --y both sweep K; choose two different parameters"),
]


@pytest.mark.parametrize("name,argv,pattern", BAD_AXES, ids=[b[0] for b in BAD_AXES])
def test_hostile_count_axes_are_one_line_and_write_nothing(cli, tmp_path, name, argv, pattern):
    out, data = tmp_path / "p.png", tmp_path / "p.csv"
    args = ["phase", "--model", COUNTING_PATH, *SMALL, *argv, "--out", out, "--data", data]
    assert_input_error(cli(*args), pattern)
    assert not out.exists() and not data.exists()


def test_a_count_axis_on_a_model_without_a_family_is_an_unknown_parameter(cli, tmp_path):
    data = tmp_path / "p.csv"
    assert_input_error(cli("phase", *SMALL, "--y", "K=1:5:5", "--out", "none", "--data", data),
                       r"error: --y 'K=1:5:5': unknown parameter 'K'; axes are the exchange parameter or a cost "
                       r"parameter \(.*\)")
    assert not data.exists()


def test_the_grid_size_is_refused_before_any_count_value_is_computed(monkeypatch):
    """10^7 whole values are minutes of exact arithmetic: the size check must come first."""
    import priorsearch as ps
    from priorsearch.errors import InputError
    from priorsearch.phase import axes

    def never(*args, **kwargs):
        raise AssertionError("whole values computed for a grid that is refused")

    monkeypatch.setattr(axes, "_whole_values", never)
    with pytest.raises(InputError, match="points exceeds --max-points"):
        ps.phase_diagram(COUNTING_PATH, x="g=1:10:3", y="K=1:1e30:10000000:log", space="enumerate", max_size=3)


def test_a_count_axis_up_to_2_1023_draws_and_writes(cli, tmp_path):
    """The largest supported count: the log axis's locator asks for 10^309 (inf); the
    figure still draws, without warnings, and the CSV holds the exact end."""
    out, data = tmp_path / "p.png", tmp_path / "p.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = cli("phase", "--model", COUNTING_PATH, *SMALL, "--y", "K=1:2^1023:5:log", "--out", out, "--data", data)
    assert r.status == 0, r.err
    assert out.stat().st_size > 0
    ks = [int(line.split(",")[1]) for line in data.read_text().splitlines()[1:] if not line.startswith(("#", "g,"))]
    assert max(ks) == 2 ** 1023 and min(ks) == 1


def test_K_from_0_has_no_member_classes_at_0(cli, tmp_path):
    """K = 0 is a valid count (no misaligned objective at all): only aligned programs."""
    data = tmp_path / "p.csv"
    r = cli("phase", "--model", COUNTING_PATH, *SMALL, "--y", "K=0:2:3", "--mode", "mass", "--out", "none",
            "--data", data)
    assert r.status == 0, r.err
    rows = [line.split(",") for line in data.read_text().splitlines() if not line.startswith("#")]
    head, body = rows[0], rows[1:]
    at_zero = [dict(zip(head, row)) for row in body if row[1] == "0"]
    assert at_zero and all(row["class"] == "aligned" and float(row["log2_mass_deceptive"]) == float("-inf")
                           for row in at_zero)


BAD_NAMES = [
    ("zero", "misaligned_0", r"unknown primitive 'misaligned_0' \(family 'misaligned' has K = 4 members, "
                             r"misaligned_1 \.\. misaligned_4\)"),
    ("leading-zero", "misaligned_01", r"unknown primitive 'misaligned_01' \(member numbers have no leading zeros: "
                                      r"misaligned_1\)"),
    ("above-K", "misaligned_5", r"unknown primitive 'misaligned_5' \(family 'misaligned' has K = 4 members, "
                                r"misaligned_1 \.\. misaligned_4\)"),
    ("far-above-K", "misaligned_123456789012345678901234567890",
     r"unknown primitive 'misaligned_123456789012345678901234567890' \(family 'misaligned' has K = 4 members, .*\)"),
    ("exponent", "misaligned_1e3", r"unknown primitive 'misaligned_1e3'.*"),
    ("minus", "misaligned_-1", r"unexpected character '-' \(names are letters, digits and '_'\)"),
    ("superscript", "misaligned_²", r"unexpected character '²' \(names are letters, digits and '_'\)"),
]


@pytest.mark.parametrize("name,member,pattern", BAD_NAMES, ids=[b[0] for b in BAD_NAMES])
def test_bad_member_names_in_programs_are_located(cli, tmp_path, name, member, pattern):
    prog = tmp_path / "p.prog"
    prog.write_text(f"# label: P\np = combine({member})\n")
    for argv in (["rank"], ["phase", "--y", "C_B=1:2:2", "--out", tmp_path / "p.png", "--data", tmp_path / "p.csv"]):
        line = assert_input_error(cli(*argv, "--model", COUNTING_PATH, "--programs", prog),
                                  rf"{prog}:2:\d+: error: {pattern}")
        assert line.startswith(f"{prog}:2:")
    assert not (tmp_path / "p.png").exists() and not (tmp_path / "p.csv").exists()


def _primitive(name):
    block = f'[primitives."{name}"]\ntype = "Obj"\nkind = "objective"\nc = "1"\nt = {{ train = "0", deploy = "0" }}\n\n'
    return COUNTING.replace("[families.misaligned]", block + "[families.misaligned]", 1)


BAD_MODELS = [
    ("superscript-digit", _primitive("misaligned_²"), '[primitives."misaligned_²"]',
     r"invalid primitive name 'misaligned_²': use letters, digits and '_', starting with a letter"),
    ("arabic-digit", _primitive("misaligned_٣"), '[primitives."misaligned_٣"]',
     r"invalid primitive name 'misaligned_٣': use letters, digits and '_', starting with a letter"),
    ("member-name", _primitive("misaligned_3"), '[primitives."misaligned_3"]',
     r"primitive 'misaligned_3' has the name of member 3 of family 'misaligned' .*"),
    ("proxy-member", COUNTING + '\n[objectives.misaligned_2]\nagrees_with_base = ["train"]\n', "agrees_with_base",
     r"objective 'misaligned_2' is the objective of a member of family 'misaligned', whose members are "
     r"interchangeable, so one of them cannot be a proxy; .*"),
    ("proxy-member-above-listed", COUNTING + '\n[objectives.misaligned_5000]\nagrees_with_base = ["train"]\n',
     "agrees_with_base", r"objective 'misaligned_5000' is the objective of a member of family 'misaligned'.*"),
]


@pytest.mark.parametrize("name,text,needle,pattern", BAD_MODELS, ids=[b[0] for b in BAD_MODELS])
def test_member_names_in_models_are_one_located_line(cli, tmp_path, name, text, needle, pattern):
    path = tmp_path / "m.toml"
    path.write_text(text)
    line_no = next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)
    for argv in (["validate", path], ["search", "--model", path, "--max-size", "4", "--set", "K=1e6"]):
        line = assert_input_error(cli(*argv), rf"{path}:\d+:\d+: error: {pattern}")
        assert line.startswith(f"{path}:{line_no}:"), line
    data = tmp_path / "p.csv"
    assert_input_error(cli("phase", "--model", path, "--space", "enumerate", "--max-size", "3", "--y", "K=1:4:4",
                           "--out", "none", "--data", data), rf"{path}:\d+:\d+: error: {pattern}")
    assert not data.exists()


def test_a_long_list_of_objectives_is_cut_short(cli, tmp_path):
    """At K = 10^6 a model lists 1000 member objectives; an unknown one names a dozen."""
    path = tmp_path / "m.toml"
    path.write_text(COUNTING.replace("K      = { value = 4,", "K      = { value = 1e6,", 1)
                    + '\n[objectives.misalignd]\nagrees_with_base = ["train"]\n')
    line = assert_input_error(cli("validate", path), rf"{path}:\d+:\d+: error: unknown objective 'misalignd' .*")
    assert line.endswith("misaligned_12, ... (1000 in all)") and len(line) < 400, line


def test_member_numbers_are_read_in_one_place():
    from priorsearch.model.cost_model import CostModel

    model = CostModel.load(COUNTING_PATH).with_params(K=10 ** 30)
    fam = model.families[0]
    assert [fam.member_number(n) for n in ("misaligned_7", "misaligned_07", "misaligned_0", "misaligned_٣",
                                           "misaligned_²", "misaligned_", "misaligned", "other_3")] == \
        [7, None, None, None, None, None, None, None]
    assert fam.objective_number("misaligned_9") == 9 and fam.objective_number("misaligned_09") is None
    assert model.lookup("misaligned_٣") is None and model.lookup(f"misaligned_{10 ** 30}").family == "misaligned"
    assert model.lookup(f"misaligned_{10 ** 30 + 1}") is None


def test_a_template_naming_a_member_beyond_int64_exists_from_its_number_on(cli, tmp_path):
    """``misaligned_10^25`` on a K axis to 10^30: it is out of the running below K = 10^25
    (was an OverflowError: member numbers were held as int64), and from there on the
    winner is what ``rank --set K=...`` says at that point."""
    member = 10 ** 25
    prog = tmp_path / "far.prog"
    prog.write_text(f"# label: H\nhonest = optimize(base_obj)\n# label: F\nfar = combine(misaligned_{member})\n")
    data = tmp_path / "far.csv"
    r = cli("phase", "--model", COUNTING_PATH, "--programs", prog, "--y", "K=1:1e30:31:log", "--x", "g=0.1:10:3:log",
            "--out", "none", "--data", data)
    assert r.status == 0, r.err
    rows = [line.split(",") for line in data.read_text().splitlines() if not line.startswith(("#", "g,"))]
    for g, k, winner in ((float(row[0]), int(row[1]), row[2]) for row in rows):
        if k < member:
            assert winner == "honest", (g, k)
            continue
        ranked = cli("rank", "--model", COUNTING_PATH, "--programs", prog, "--set", f"K={k}", "--g", repr(g), "--json")
        assert ranked.status == 0, ranked.err
        assert json.loads(ranked.out)["winner"] == winner, (g, k)
    assert any(row[2] == "far" for row in rows)
