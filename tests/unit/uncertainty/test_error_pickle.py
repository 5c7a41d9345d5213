"""Errors cross process boundaries whole: a Dask worker's InputError keeps its location.

distributed pickles a task's exception back to the client; the CLI then prints the
error's one line.  InputError (and its subclasses, and Location) must round-trip exactly.
"""
import pickle

import pytest

from errorcheck import assert_input_error
from paths import REPO
from priorsearch.errors import InputError, Location
from priorsearch.outputs import OutputError


@pytest.mark.parametrize("error", [
    InputError("bad spec", Location("models/a.toml", 12, 7)),
    InputError("no place"),
    InputError("file only", Location("b.prog")),
    OutputError("disk full", Location("out.csv")),
])
def test_input_errors_pickle_round_trip_exactly(error):
    error.note = "extra state"
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error) and back.message == error.message
    assert back.location == error.location and back.note == "extra state"
    assert back.args == error.args


def test_location_pickles_as_itself():
    where = Location("a.toml", 3, 4)
    assert pickle.loads(pickle.dumps(where)) == where and str(pickle.loads(pickle.dumps(where))) == "a.toml:3:4"


def _bad_programs(tmp_path):
    prog = tmp_path / "bad.prog"
    prog.write_text("# label: X\nx = optimize(bse_obj)\n")
    text = (REPO / "programs" / "post.toml").read_text()
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(text)
    b.write_text(text.replace("C_B    = { value = 20", "C_B    = { value = 50", 1))
    return prog, a, b


def test_a_located_error_raised_in_a_dask_worker_prints_the_same_line(cli, tmp_path):
    # the programs file is read where the task runs: in a LocalCluster worker process
    prog, a, b = _bad_programs(tmp_path)
    args = ["uncertainty", "--programs", prog, "--models", a, b, "--g", "1", "--draws", "100"]
    here = assert_input_error(cli(*args), r".*bad\.prog:2:\d+: error: .*")
    remote = assert_input_error(cli(*args, "--workers", "2"), r".*bad\.prog:2:\d+: error: .*")
    assert remote == here
