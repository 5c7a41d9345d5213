"""Class 5: a name defined twice is an error naming both places, never a silent
replacement -- primitives against family members, programs across files."""
from __future__ import annotations

import pytest

from conftest import POST

FAMILY = '\n[families.m]\ncount = {count}\ntype = "Obj"\nobjective = "m_{{i}}"\nc = "C_S"\nt = 0\n'
EXPLICIT = '\n[primitives.{name}]\ntype = "Obj"\nobjective = "other"\nc = "C_S"\nt = 0\n'


def _model(tmp_path, text):
    path = tmp_path / "m.toml"
    path.write_text(POST.read_text() + text)
    return path


@pytest.mark.parametrize("name, count", [("m_1", 3), ("m_3", 3), ("m_7", 3), ("m_2", "0")])
def test_explicit_primitive_with_a_family_member_name(cli, tmp_path, name, count):
    """Also beyond the count (m_7 with count 3): a swept count would reach it."""
    path = _model(tmp_path, EXPLICIT.format(name=name) + FAMILY.format(count=count))
    r = cli("validate", path)
    assert r.status == 2 and name in r.err and "family 'm'" in r.err and r.err.count("\n") == 1, r.err
    assert r.err.startswith(f"{path}:")


@pytest.mark.parametrize("name", ["m_0", "m_x", "mm_1", "m"])
def test_names_that_are_not_members_stay_legal(cli, tmp_path, name):
    path = _model(tmp_path, EXPLICIT.format(name=name) + FAMILY.format(count=3))
    r = cli("validate", path)
    assert r.status == 0, r.err


def test_two_families_whose_members_collide(cli, tmp_path):
    """[families.a_1] with count 2 makes a_1_1, a_1_2; [families.a] never makes a_1_1,
    but an explicit a_1_1 next to family a_1 does collide."""
    text = (FAMILY.replace("families.m", "families.a_1").format(count=2)
            + EXPLICIT.format(name="a_1_2"))
    r = cli("validate", _model(tmp_path, text))
    assert r.status == 2 and "a_1_2" in r.err, r.err


@pytest.mark.parametrize("layout", ["two_files", "same_file_twice", "dir_and_file"])
def test_program_defined_in_two_files(cli, tmp_path, layout):
    a = tmp_path / "progs" / "a.prog"
    a.parent.mkdir()
    a.write_text("honest = optimize(base_obj)\n")
    b = tmp_path / "b.prog"
    b.write_text("other = optimize(find_base_obj)\nhonest = optimize(find_base_obj)\n")
    args = {"two_files": [a, b], "same_file_twice": [a, a], "dir_and_file": [a.parent, a]}[layout]
    for command in (["rank"], ["phase", "--out", "none", "--data", "none"], ["boundary", "honest", "other"]):
        r = cli(*command, "--programs", *args)
        assert r.status == 2 and "duplicate program 'honest'" in r.err and r.err.count("\n") == 1, (command, r.err)
        assert "first defined at" in r.err


def test_distinct_names_across_files_still_rank(cli, tmp_path):
    a, b = tmp_path / "a.prog", tmp_path / "b.prog"
    a.write_text("honest = optimize(base_obj)\n")
    b.write_text("env = optimize(find_base_obj)\n")
    r = cli("rank", "--programs", a, b, "--json")
    assert r.status == 0, r.err
    assert "honest" in r.out and "env" in r.out


@pytest.mark.parametrize("args", [["--set", "C_B=1", "--set", "C_B=2"], ["--set", "g=1", "--set", "g=1.5"],
                                  ["--g", "2", "--set", "g=3"]])
def test_a_setting_given_twice_with_different_values(cli, args):
    """Which value was meant? Last-one-wins would pass silently (the same value twice
    is no conflict: tests/integration/test_first_hour.py)."""
    for command in (["rank"], ["phase", "--out", "none", "--data", "none"]):
        r = cli(*command, *args)
        assert r.status == 2 and "conflicting values" in r.err and r.err.count("\n") == 1, (command, r.err)


@pytest.mark.parametrize("args, text", [(["--dist", "C_B=uniform(1,2)", "--dist", "C_B=uniform(3,4)"], "--dist C_B given twice"),
                                        (["--dist", "C_B=uniform(1,2)", "--set", "T_F=1", "--set", "T_F=2"], "conflicting values for T_F")])
def test_uncertainty_settings_given_twice(cli, args, text):
    r = cli("uncertainty", *args, "--draws", "10")
    assert r.status == 2 and text in r.err and r.err.count("\n") == 1, r.err
