"""Issue 14, bad input, the whole battery: every malformed loss price, ``loss`` amount
and ``[objectives]`` declaration is exit 2 with one line that names the file, line and
column (or the offending value on the command line), no traceback, no output, and no
partial output file."""
import pytest

from errorcheck import assert_input_error
from paths import REPO

CAMERA = (REPO / "programs" / "camera.toml").read_text()
LOSSY = (REPO / "programs" / "lossy.toml").read_text()
CAMERA_PROGRAMS = REPO / "programs" / "camera" / "programs.prog"
LOSSY_PROGRAMS = REPO / "programs" / "lossy" / "programs.prog"
AGREES = 'agrees_with_base = ["train"]'


def _price(value):
    return CAMERA.replace("g = 1\n", f"g = 1\nloss_price = {value}\n", 1)


def _agrees(value):
    return CAMERA.replace(AGREES, f"agrees_with_base = {value}")


def _loss(value):
    return LOSSY.replace("loss = 1 ", f"loss = {value} ")


#: (id, model text, the text on the line the error must point at, message pattern)
BAD_MODELS = [
    ("price-negative", _price("-1"), "loss_price = -1", r"loss_price = -1: a loss price must be >= 0 .*"),
    ("price-nan", _price("nan"), "loss_price = nan", r"loss_price = nan: a loss price must be >= 0 .*"),
    ("price-minus-inf", _price("-inf"), "loss_price = -inf", r"loss_price = -inf: a loss price must be >= 0 .*"),
    ("price-string", _price('"x"'), "loss_price", r"exchange parameter loss_price must be a number, got 'x'"),
    ("price-bool", _price("true"), "loss_price", r"exchange parameter loss_price must be a number, got True"),
    ("unknown-objective", CAMERA.replace("[objectives.camera]", "[objectives.camra]"), "agrees_with_base",
     r"unknown objective 'camra' in \[objectives\] \(did you mean 'camera'\?\).*"),
    ("objective-base", CAMERA.replace("[objectives.camera]", "[objectives.base]"), "agrees_with_base",
     r"\[objectives.base\]: base is the objective every other one is compared with.*"),
    ("unknown-episode", _agrees('["trian"]'), "agrees_with_base",
     r"objective 'camera': agrees_with_base entry 'trian' is neither a phase nor an episode "
     r"\(did you mean 'train'\?\)"),
    ("agrees-everywhere", _agrees('["train", "deploy"]'), "agrees_with_base",
     r"objective 'camera' agrees with base in every episode, so it is base: .*"),
    ("agrees-not-a-list", _agrees('"train"'), "agrees_with_base",
     r"objective 'camera' agrees_with_base must be a list of strings, got 'train' \(write \[\"train\"\]\)"),
    ("agrees-a-number", _agrees("3"), "agrees_with_base",
     r"objective 'camera' agrees_with_base must be a list of strings, got 3"),
    ("agrees-list-of-numbers", _agrees("[3]"), "agrees_with_base",
     r"objective 'camera' agrees_with_base must be a list of strings, got \[3\]"),
    ("agrees-empty", _agrees("[]"), "agrees_with_base",
     r"objective 'camera': agrees_with_base is empty, so it agrees with base nowhere .*"),
    ("agrees-duplicate", _agrees('["train", "train"]'), "agrees_with_base",
     r"objective 'camera': agrees_with_base lists 'train' twice"),
    ("agrees-missing", CAMERA.replace(AGREES, ""), "[objectives.camera]",
     r"objective 'camera' needs agrees_with_base = \[episodes or phases\]"),
    ("loss-negative", _loss("-2"), "loss = -2", r"episode loss = -2 must be finite and >= 0 .*"),
    ("loss-inf", _loss("inf"), "loss = inf", r"episode loss = inf must be finite and >= 0 .*"),
    ("loss-nan", _loss("nan"), "loss = nan", r"episode loss = nan must be finite and >= 0 .*"),
    ("loss-string", _loss('"w"'), "loss = ", r"episode loss must be a number, got 'w'"),
    ("loss-bool", _loss("true"), "loss = true", r"episode loss must be a number, got True"),
    ("loss-list", _loss("[1]"), "loss = [1]", r"episode loss must be a number, got \[1\]"),
    ("loss-on-deploy", LOSSY.replace('phase = "deploy"\nweight = 1\n', 'phase = "deploy"\nweight = 1\nloss = 2\n'),
     "loss = 2", r"episode 'deploy' is a deployment episode: only checked training episodes add to the training "
                 r"loss, so its loss would never count; remove it"),
    ("loss-unchecked", LOSSY.replace('weight = "w"\nloss = 1 ', 'weight = "w"\nchecked = false\nloss = 1 '),
     "loss = 1 ", r"episode 'rare' is not checked \(checked = false\): .*"),
]


def _line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("name,text,needle,pattern", BAD_MODELS, ids=[b[0] for b in BAD_MODELS])
def test_bad_model_is_one_located_line(cli, tmp_path, name, text, needle, pattern):
    path = tmp_path / "m.toml"
    path.write_text(text)
    programs = LOSSY_PROGRAMS if name.startswith("loss-") else CAMERA_PROGRAMS
    line = assert_input_error(cli("rank", "--model", path, "--programs", programs), rf"{path}:\d+:\d+: error: {pattern}")
    assert line.startswith(f"{path}:{_line_of(text, needle)}:"), line
    # the same model through phase writes nothing
    out, data = tmp_path / "p.png", tmp_path / "p.csv"
    assert_input_error(cli("phase", "--model", path, "--programs", programs, "--out", out, "--data", data),
                       rf"{path}:\d+:\d+: error: {pattern}")
    assert not out.exists() and not data.exists()


BAD_COMMAND_LINES = [
    ("set-negative", ["rank", "--set", "loss_price=-3"], r"error: --set loss_price = -3.0: a loss price must be >= 0 .*"),
    ("set-nan", ["rank", "--set", "loss_price=nan"], r"error: --set loss_price = nan: a loss price must be >= 0 .*"),
    ("set-minus-inf", ["rank", "--set", "loss_price=-inf"], r"error: --set loss_price = -inf: a loss price must be >= 0 .*"),
    ("set-not-a-number", ["rank", "--set", "loss_price=-C_B"], r"error: --set loss_price: expected a number, got '-C_B'"),
    ("search-set-negative", ["search", "--max-size", "3", "--set", "loss_price=-1"],
     r"error: --set loss_price = -1.0: a loss price must be >= 0 .*"),
    ("boundary-set-negative", ["boundary", "honest", "simple_deceptive", "--set", "loss_price=-1", "--x", "loss_price"],
     r"error: --set loss_price = -1.0: a loss price must be >= 0 .*"),
    ("axis-lo-negative", ["phase", "--x", "loss_price=-1:10:3"],
     r"error: --x 'loss_price=-1:10:3': the exchange parameter loss_price must be >= 0, got LO = -1"),
    ("y-axis-lo-negative", ["phase", "--y", "loss_price=-5:10:3"],
     r"error: --y 'loss_price=-5:10:3': the exchange parameter loss_price must be >= 0, got LO = -5"),
    ("axis-nan", ["phase", "--x", "loss_price=nan:10:3"], r"error: --x 'loss_price=nan:10:3': LO = 'nan' is not a finite number"),
    ("axis-inf", ["phase", "--x", "loss_price=0:inf:3"], r"error: --x 'loss_price=0:inf:3': HI = 'inf' is not a finite number"),
    ("axis-log-from-0", ["phase", "--x", "loss_price=0:10:3:log"],
     r"error: --x 'loss_price=0:10:3:log': a log axis needs LO > 0, got 0"),
]


@pytest.mark.parametrize("name,argv,pattern", BAD_COMMAND_LINES, ids=[b[0] for b in BAD_COMMAND_LINES])
def test_bad_command_line_is_one_line_naming_the_value(cli, tmp_path, name, argv, pattern):
    argv = list(argv)
    out, data = tmp_path / "p.png", tmp_path / "p.csv"
    if argv[0] == "phase":
        argv += ["--out", out, "--data", data]
    assert_input_error(cli(*argv), pattern)
    assert not out.exists() and not data.exists()


def test_python_api_refuses_the_same():
    import priorsearch as ps
    from priorsearch.errors import InputError

    model = ps.CostModel.load(REPO / "programs" / "lossy.toml")
    with pytest.raises(InputError, match=r"episode 'deploy': loss = 2 would never count"):
        model.with_episodes(ps.Episode("train", "train", "1 - w"), ps.Episode("rare", "train", "w"),
                            ps.Episode("deploy", "deploy", loss=2.0))
    camera = ps.CostModel.load(REPO / "programs" / "camera.toml")
    bare = camera._replace(declared_objectives=())
    with pytest.raises(InputError, match="agrees_with_base is empty"):
        bare.with_objectives(ps.Objective("camera", []))
    with pytest.raises(InputError, match="agrees_with_base lists 'train' twice"):
        bare.with_objectives(ps.Objective("camera", ["train", "train"]))
