"""Class 2: figures never overwrites its inputs (config, models, program files) or
one of its own outputs with another -- on normalised, resolved paths, through symbolic
and hard links."""
from __future__ import annotations

import os

import pytest

from conftest import POST, listing

PHASE = 'kind = "phase"\nx = "g=1:2:3"\ny = "C_B=1:2:3"\n'


def _config(path, *entries):
    path.write_text("".join(f'[[figure]]\nname = "f{i}"\n{e}\n' for i, e in enumerate(entries)))
    return path


def _refused(r, text):
    assert r.status == 2, r.err
    assert r.err.count("\n") == 1 and text in r.err, r.err


def test_data_file_that_is_its_own_model(cli, tmp_path):
    figs = tmp_path / "figures"
    figs.mkdir()
    model = figs / "m.csv"
    model.write_text(POST.read_text())
    config = _config(tmp_path / "c.toml", PHASE + 'model = "figures/m.csv"\nout = "a.png"\ndata = "m.csv"')
    before = model.read_bytes()
    _refused(cli("figures", config), "refusing to overwrite an input")
    assert model.read_bytes() == before and listing(figs) == ["m.csv"]


def test_experiment_csv_that_is_its_model(cli, tmp_path, monkeypatch):
    """An experiment names its model relative to the working directory."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "m.csv").write_text(POST.read_text())
    config = _config(tmp_path / "c.toml", 'kind = "fixed_compute"\nmodel = "out/m.csv"\nout = "x.png"\ndata = "m.csv"')
    _refused(cli("figures", config, "--out", out), "refusing to overwrite an input")


def test_config_named_like_its_hash_list(cli, tmp_path):
    config = _config(tmp_path / "x.sha256", PHASE + 'out = "a.png"')
    before = config.read_bytes()
    _refused(cli("figures", config), "refusing to overwrite an input")
    assert config.read_bytes() == before and listing(tmp_path) == ["x.sha256"]


@pytest.mark.parametrize("first, second", [("a.png", "./a.png"), ("sub/a.png", "sub//a.png"),
                                           ("sub/a.png", "sub/./a.png"), ("a.png", "x/../a.png")])
def test_spellings_of_one_file_are_one_output(cli, tmp_path, first, second):
    config = _config(tmp_path / "c.toml", PHASE + f'out = "{first}"', PHASE + f'out = "{second}"')
    r = cli("figures", config, "--out", tmp_path / "o")
    assert r.status == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert listing(tmp_path) == ["c.toml"]


def test_symlinked_directory_makes_two_names_one_file(cli, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "alias").symlink_to(".")
    config = _config(tmp_path / "c.toml", PHASE + 'out = "a.png"', PHASE + 'out = "alias/a.png"')
    _refused(cli("figures", config, "--out", out), "written twice")
    assert listing(out) == ["alias"]


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_output_linked_to_an_input_is_refused(cli, tmp_path, link):
    out = tmp_path / "o"
    out.mkdir()
    model = tmp_path / "m.toml"
    model.write_text(POST.read_text())
    target = out / "a.csv"
    (target.symlink_to if link == "symlink" else lambda m: os.link(m, target))(model)
    config = _config(tmp_path / "c.toml", PHASE + 'model = "m.toml"\nout = "a.png"\ndata = "a.csv"')
    before = model.read_bytes()
    _refused(cli("figures", config, "--out", out), "refusing to overwrite an input")
    assert model.read_bytes() == before


def test_output_that_is_a_program_file_of_the_entry(cli, tmp_path):
    prog = tmp_path / "h.csv"
    prog.write_text((POST.parent / "honest.prog").read_text())
    config = _config(tmp_path / "c.toml", PHASE + 'programs = ["h.csv"]\nout = "a.png"\ndata = "h.csv"')
    _refused(cli("figures", config, "--out", tmp_path), "refusing to overwrite an input")


def test_file_and_directory_at_one_path(cli, tmp_path):
    config = _config(tmp_path / "c.toml", PHASE + 'out = "a.png"\ndata = "a.png/x.csv"')
    r = cli("figures", config, "--out", tmp_path / "o")
    assert r.status == 2 and "both a file and a directory" in r.err, r.err
    assert listing(tmp_path) == ["c.toml"]


def test_phase_command_the_same_rules(cli, tmp_path):
    """phase shares the one rule: its model through a hard link, and two spellings."""
    model = tmp_path / "m.toml"
    model.write_text(POST.read_text())
    os.link(model, tmp_path / "same.csv")
    small = ["--x", "g=1:2:3", "--y", "C_B=1:2:3", "--out", "none"]
    _refused(cli("phase", "--model", model, *small, "--data", tmp_path / "same.csv"), "refusing to overwrite an input")
    _refused(cli("phase", *small, "--data", tmp_path / "p.csv", f"{tmp_path}//p.csv"), "written twice")
