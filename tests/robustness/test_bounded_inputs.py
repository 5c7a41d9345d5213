"""Class 8: bounded work on small inputs -- input files are regular files or pipes under
a documented limit (anything else refused before reading), and the exact symbolic
tie condition answers within seconds whatever min/max the model uses."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from conftest import POST, env
from guards import within
from priorsearch.inputs import MAX_INPUT_BYTES, read_input_text
from priorsearch.errors import InputError

COMMANDS = [("rank", "--model"), ("validate",), ("figures",), ("boundary", "honest", "simple_deceptive", "--model")]


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "/dev/urandom"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_special_files_are_refused_before_reading(cli, special, command):
    if not os.path.exists(special):
        pytest.skip(f"no {special}")
    with within(10):
        r = cli(*command, special)
    assert r.status == 2 and "not a regular file or a pipe" in r.err and r.err.count("\n") == 1, r.err


def test_a_directory_is_refused(cli, tmp_path):
    r = cli("rank", "--model", tmp_path)
    assert r.status == 2 and "is a directory" in r.err


def test_a_huge_regular_file_is_refused_by_its_size(cli, tmp_path):
    """Sparse: no disk used, refused from its size without reading it."""
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    with within(10):
        r = cli("validate", big)
    assert r.status == 2 and "larger than the input limit of 16 MiB" in r.err, r.err


def test_a_file_exactly_at_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.prog"
    path.write_bytes(b"#" * (MAX_INPUT_BYTES - 1) + b"\n")
    assert len(read_input_text(path)) == MAX_INPUT_BYTES


def test_an_endless_pipe_is_cut_at_the_limit(tmp_path):
    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as handle:
            try:
                while True:
                    handle.write(b"# " * 65536)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with within(20), pytest.raises(InputError, match="larger than the input limit"):
        read_input_text(fifo)


def test_a_model_through_a_pipe_works(tmp_path):
    """``--model <(cat post.toml)``: a pipe of reasonable size is an input like a file."""
    script = "import sys\nfrom priorsearch.cli.main import main\nsys.exit(main(['rank', '--model', '/dev/stdin']))"
    done = subprocess.run([sys.executable, "-c", script], input=POST.read_bytes(), capture_output=True,
                          env=env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"winner: honest" in done.stdout


def test_crlf_and_bom_free_text_as_before(tmp_path):
    path = tmp_path / "m.prog"
    path.write_bytes(b"honest = optimize(base_obj)\r\nx = optimize(find_base_obj)\r")
    assert read_input_text(path) == "honest = optimize(base_obj)\nx = optimize(find_base_obj)\n"


def _max_model(tmp_path, n, where="c", func="max"):
    """c(base_obj) (or t) = one n-argument min/max of fresh parameters."""
    text = POST.read_text()
    params = "".join(f"P{i} = {{ value = {i + 1} }}\n" for i in range(n))
    text = text.replace("[parameters]\n", "[parameters]\n" + params, 1)
    call = f'"{func}(' + ", ".join(f"P{i}" for i in range(n)) + ')"'
    head, sep, tail = text.partition("[primitives.base_obj]")
    line = 'c = "C_B"' if where == "c" else 't = "T_B"'
    tail = tail.replace(line, f"{line.split(' =')[0]} = {call}", 1)
    path = tmp_path / f"{func}{n}{where}.toml"
    path.write_text(head + sep + tail)
    return path


@pytest.mark.parametrize("n, where, func, exchange", [
    (64, "c", "max", "linear"), (64, "c", "min", "levin"), (48, "t", "max", "linear"), (64, "c", "max", "cap"),
    (32, "t", "min", "power")])
def test_boundary_on_a_wide_min_max_answers_in_seconds(cli, tmp_path, n, where, func, exchange):
    model = _max_model(tmp_path, n, where, func)
    with within(30):  # was 137 s for 64 arguments; now about one second
        r = cli("boundary", "honest", "simple_deceptive", "--model", model, "--exchange", exchange)
    assert r.status == 0, r.err
    assert f"{func.capitalize()}(P0" in r.out


def test_wide_max_tie_is_exact(tmp_path):
    """g* = (T_F + T_MO + T_comb - T_B) / (max(P) - C_S - C_comb), max(P) = 64."""
    import priorsearch as ps

    model = ps.CostModel.load(_max_model(tmp_path, 64))
    with within(30):
        b = ps.boundary("honest", "simple_deceptive", model)
    assert "g* = 0.5:" in b.at_model  # 30 / (64 - 4)
    import sympy

    values = {s: sympy.Float(model.parameters[s.name]) for s in b.tie.free_symbols}
    # xreplace, all at once (subs would rebuild the 64-argument Max once per symbol)
    assert float(b.tie.xreplace(values)) == pytest.approx(30 / 60)


@pytest.mark.parametrize("kind", ["fifo", "dir"])
def test_a_special_entry_in_a_programs_directory(cli, tmp_path, kind):
    """A FIFO called x.prog in a --programs directory would block the read forever."""
    progs = tmp_path / "progs"
    progs.mkdir()
    (progs / "a.prog").write_text("honest = optimize(base_obj)\n")
    odd = progs / "x.prog"
    os.mkfifo(odd) if kind == "fifo" else odd.mkdir()
    with within(10):
        r = cli("rank", "--programs", progs)
    assert r.status == 2 and "x.prog" in r.err and "not a regular file" in r.err, r.err


def test_boundary_on_a_product_of_many_sums_answers_in_seconds(cli, tmp_path):
    """c(base_obj) = (P0 + P1)(P2 + P3)...(P38 + P39): expanding it gives 2^20 terms, so
    the symbolic path keeps it factored (exact) instead of hanging."""
    text = POST.read_text()
    n = 20
    text = text.replace("[parameters]\n", "[parameters]\n" + "".join(f"P{i} = {{ value = 1 }}\n" for i in range(2 * n)), 1)
    head, sep, tail = text.partition("[primitives.base_obj]")
    product = "*".join(f"(P{2 * i} + P{2 * i + 1})" for i in range(n))
    model = tmp_path / "prod.toml"
    model.write_text(head + sep + tail.replace('c = "C_B"', f'c = "{product}"', 1))
    for exchange in ("linear", "levin"):
        with within(60):  # hung for minutes before; ~1-4 s now
            r = cli("boundary", "honest", "simple_deceptive", "--model", model, "--exchange", exchange)
        assert r.status == 0, r.err
    # g* = 30 / (2^20 - 4) at P = 1
    r = cli("boundary", "honest", "simple_deceptive", "--model", model)
    assert f"g* = {30 / (2 ** 20 - 4):.6g}" in r.out


def test_expanded_terms_bounds_sympy_expand():
    import sympy

    from priorsearch.lang.sympy_budget import expand, expanded_terms

    x, y, z = sympy.symbols("x y z")
    for e in [(x + y) * (y + z), (x + y + z) ** 3, (x + 1) * (y + 1) * (z + 1) + x, sympy.log((x + y) * (x + z))]:
        assert expanded_terms(e) >= len(sympy.Add.make_args(sympy.expand(e)))
    big = sympy.Mul(*[(sympy.Symbol(f"a{i}") + sympy.Symbol(f"b{i}")) for i in range(16)])
    assert expanded_terms(big) == 2 ** 16 and expand(big) == big  # left factored
