"""Issue 14, bad input: a negative loss_price, an unknown objective or episode in
agrees_with_base, a proxy agreeing with base everywhere, a negative or non-finite
``loss``.  Each is exit 2 with one located line."""
import pytest

from errorcheck import assert_input_error
from paths import REPO

CAMERA = (REPO / "programs" / "camera.toml").read_text()
LOSSY = (REPO / "programs" / "lossy.toml").read_text()


def _write(tmp_path, text):
    path = tmp_path / "m.toml"
    path.write_text(text)
    return path


def _line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


BAD_TOML = [
    ("negative-price", CAMERA.replace("g = 1\n", "g = 1\nloss_price = -1\n", 1), "loss_price = -1",
     r".*loss_price = -1: a loss price must be >= 0.*"),
    ("nan-price", CAMERA.replace("g = 1\n", "g = 1\nloss_price = nan\n", 1), "loss_price = nan",
     r".*loss_price = nan: a loss price must be >= 0.*"),
    ("unknown-objective", CAMERA.replace("[objectives.camera]", "[objectives.camra]"), "agrees_with_base",
     r".*unknown objective 'camra' in \[objectives\] \(did you mean 'camera'\?\).*"),
    ("unknown-episode", CAMERA.replace('agrees_with_base = ["train"]', 'agrees_with_base = ["trian"]'),
     "agrees_with_base", r".*agrees_with_base entry 'trian' is neither a phase nor an episode \(did you mean 'train'\?\)"),
    ("agrees-everywhere", CAMERA.replace('agrees_with_base = ["train"]', 'agrees_with_base = ["train", "deploy"]'),
     "agrees_with_base", r".*objective 'camera' agrees with base in every episode, so it is base.*"),
    ("negative-loss", LOSSY.replace("loss = 1 ", "loss = -2 "), "loss = -2", r".*episode loss = -2 must be finite and >= 0.*"),
    ("infinite-loss", LOSSY.replace("loss = 1 ", "loss = inf "), "loss = inf", r".*episode loss = inf must be finite and >= 0.*"),
]


@pytest.mark.parametrize("name,text,needle,pattern", BAD_TOML, ids=[b[0] for b in BAD_TOML])
def test_bad_model_is_one_located_line(cli, tmp_path, name, text, needle, pattern):
    path = _write(tmp_path, text)
    line = assert_input_error(cli("rank", "--model", path, "--programs", REPO / "programs" / "camera" / "programs.prog"
                                  if "loss" not in name else REPO / "programs" / "lossy" / "programs.prog"), pattern)
    assert line.startswith(f"{path}:{_line_of(text, needle)}:"), line


def test_negative_price_on_the_command_line(cli):
    assert_input_error(cli("rank", "--set", "loss_price=-3"), r"error: --set loss_price = -3.0: a loss price must be >= 0.*")
    assert_input_error(cli("rank", "--set", "loss_price=x"), r"error: --set loss_price: expected a number, got 'x'")
    assert_input_error(cli("phase", "--x", "loss_price=-1:10:3", "--out", "none", "--data", "none"), r".*loss_price.*")


def test_python_api_errors():
    import priorsearch as ps
    from priorsearch.errors import InputError

    with pytest.raises(InputError, match="loss price must be >= 0"):
        ps.CostModel.default().with_params(loss_price=-1)
    with pytest.raises(InputError, match="loss = -1 must be a finite number"):
        ps.Episode("train", "train", loss=-1)
